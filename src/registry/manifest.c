/*
 * manifest.c - image manifests, indexes and platforms.
 *
 * Classifies what a registry sent (OCI index, Docker manifest list, OCI
 * manifest, Docker schema2; schema1 is refused with E_UNSUPPORTED), parses
 * image manifests into descriptors, and picks the entry of an index that
 * matches the wanted platform with Docker's rules: arch aliases (x86_64 =
 * amd64, aarch64 = arm64), arm64 "v8" = no variant, and for 32-bit arm a
 * wanted variant also accepts lower ones (v7 runs v6, v5) when no exact
 * match exists.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <openssl/evp.h>

#include "registry/registry_int.h"

void reg_sha256_digest(const void *data, size_t len, char out[72])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;

	EVP_Digest(data, len, md, &n, EVP_sha256(), NULL);
	strcpy(out, "sha256:");
	for (unsigned int i = 0; i < n; i++)
		sprintf(out + 7 + 2 * i, "%02x", md[i]);
}

/* ---- platforms (matching is in platform.c) ------------------------------ */

/* Lower arm variants run on higher ones: v7 host accepts v6 and v5 entries. */
static bool arm_compatible(const struct ctr_platform *want, const char *os, const char *arch,
                           const char *variant)
{
	if (strcmp(want->arch, "arm") != 0 || !want->variant[0] || !variant)
		return false;
	if (strcmp(os ? os : "", want->os) != 0 || strcmp(arch ? arch : "", "arm") != 0)
		return false;
	int have, need;
	if (variant[0] != 'v' || want->variant[0] != 'v' ||
	    ctr_parse_int(variant + 1, 0, INT_MAX, &have) < 0 ||
	    ctr_parse_int(want->variant + 1, 0, INT_MAX, &need) < 0)
		return false;
	return have < need && have >= 5;
}

static void platform_str(char *buf, size_t n, const struct ctr_platform *p)
{
	snprintf(buf, n, "%s/%s%s%s", p->os, p->arch, p->variant[0] ? "/" : "", p->variant);
}

int reg_index_select(const char *body, size_t len, const struct ctr_platform *want, char **digest,
                     struct ctr_err *err)
{
	cJSON *j = cJSON_ParseWithLength(body, len);
	cJSON *m;
	const char *best = NULL, *fallback = NULL;
	struct strbuf avail;
	char wantbuf[96];

	*digest = NULL;
	if (!j)
		return ctr_fail(err, E_REGISTRY, "the image index is not valid JSON");
	strbuf_init(&avail);
	cJSON_ArrayForEach (m, cJSON_GetObjectItem(j, "manifests")) {
		cJSON *p = cJSON_GetObjectItem(m, "platform");
		const char *os = cJSON_GetStringValue(cJSON_GetObjectItem(p, "os"));
		const char *arch = cJSON_GetStringValue(cJSON_GetObjectItem(p, "architecture"));
		const char *var = cJSON_GetStringValue(cJSON_GetObjectItem(p, "variant"));
		const char *d = cJSON_GetStringValue(cJSON_GetObjectItem(m, "digest"));
		if (!os || !arch || !ctr_digest_valid(d))
			continue;
		strbuf_printf(&avail, "%s%s/%s%s%s", avail.len ? ", " : "", os, arch,
		              var ? "/" : "", var ? var : "");
		if (!best && ctr_platform_match(want, os, arch, var))
			best = d;
		else if (!fallback && arm_compatible(want, os, arch, var))
			fallback = d;
	}
	if (!best)
		best = fallback;
	platform_str(wantbuf, sizeof wantbuf, want);
	if (!best) {
		ctr_fail(err, E_NOT_FOUND,
		         "no matching manifest for %s in the manifest list entries", wantbuf);
		ctr_hint(err, "available platforms: %s; choose one with --platform",
		         avail.len ? avail.buf : "(none)");
		strbuf_release(&avail);
		cJSON_Delete(j);
		return -1;
	}
	*digest = xstrdup(best);
	strbuf_release(&avail);
	cJSON_Delete(j);
	return 0;
}

/* ---- manifests ---------------------------------------------------------- */

int reg_manifest_kind(const char *content_type, const char *body, size_t len, enum reg_mkind *kind,
                      char **media_type, struct ctr_err *err)
{
	cJSON *j = cJSON_ParseWithLength(body, len);
	const char *mt = NULL;
	cleanup_free char *ct = NULL;

	*media_type = NULL;
	if (content_type) {
		ct = xstrndup(content_type, strcspn(content_type, "; "));
		if (strcmp(ct, "application/json") != 0 && strcmp(ct, "text/plain") != 0 &&
		    strcmp(ct, "application/octet-stream") != 0)
			mt = ct;
	}
	if (!j)
		return ctr_fail(err, E_REGISTRY, "the manifest is not valid JSON");
	const char *inner = cJSON_GetStringValue(cJSON_GetObjectItem(j, "mediaType"));
	double schema = cJSON_GetNumberValue(cJSON_GetObjectItem(j, "schemaVersion"));
	if (!mt)
		mt = inner;
	if (!mt && schema == 2)
		mt = cJSON_GetObjectItem(j, "manifests") ? MT_OCI_INDEX : MT_OCI_MANIFEST;
	if (schema == 1 || (mt && (strcmp(mt, MT_DOCKER_SCHEMA1) == 0 ||
	                           strcmp(mt, MT_DOCKER_SCHEMA1_SIGNED) == 0))) {
		cJSON_Delete(j);
		ctr_fail(err, E_UNSUPPORTED, "Docker image manifest schema 1 is not supported");
		return ctr_hint(
		    err, "schema 1 was deprecated in 2017: push the image again with a current "
		         "client to get a schema 2 or OCI manifest");
	}
	if (!mt) {
		cJSON_Delete(j);
		return ctr_fail(err, E_UNSUPPORTED, "the manifest has no media type");
	}
	if (strcmp(mt, MT_OCI_INDEX) == 0 || strcmp(mt, MT_DOCKER_LIST) == 0)
		*kind = REG_M_INDEX;
	else if (strcmp(mt, MT_OCI_MANIFEST) == 0 || strcmp(mt, MT_DOCKER_MANIFEST) == 0)
		*kind = REG_M_IMAGE;
	else {
		int r = ctr_fail(err, E_UNSUPPORTED, "unsupported manifest media type %s", mt);
		cJSON_Delete(j);
		return r;
	}
	*media_type = xstrdup(mt);
	cJSON_Delete(j);
	return 0;
}

static int parse_desc(cJSON *o, struct reg_descriptor *d, bool layer, struct ctr_err *err)
{
	const char *mt = cJSON_GetStringValue(cJSON_GetObjectItem(o, "mediaType"));
	const char *dg = cJSON_GetStringValue(cJSON_GetObjectItem(o, "digest"));
	cJSON *sz = cJSON_GetObjectItem(o, "size");

	if (!ctr_digest_valid(dg))
		return ctr_fail(err, E_UNSUPPORTED,
		                "manifest descriptor has an unsupported digest \"%s\"",
		                dg ? dg : "(none)");
	if (!cJSON_IsNumber(sz) || sz->valuedouble < 0)
		return ctr_fail(err, E_REGISTRY, "manifest descriptor %s has no valid size", dg);
	d->media_type = xstrdup(mt ? mt : "");
	d->digest = xstrdup(dg);
	d->size = (int64_t)sz->valuedouble;
	d->comp = COMP_NONE_;
	if (!layer)
		return 0;
	if (mt && (strstr(mt, "foreign") || strstr(mt, "nondistributable")))
		return ctr_fail(err, E_UNSUPPORTED,
		                "layer %s is a foreign (non-distributable) layer", dg);
	if (!mt || str_endswith(mt, "gzip") || str_endswith(mt, "+gzip"))
		d->comp = COMP_GZIP;
	else if (str_endswith(mt, "+zstd") || str_endswith(mt, ".zstd"))
		d->comp = COMP_ZSTD;
	else if (str_endswith(mt, ".tar") || str_endswith(mt, "tar.v1") ||
	         strcmp(mt, "application/vnd.oci.image.layer.v1.tar") == 0)
		d->comp = COMP_NONE_;
	else
		return ctr_fail(err, E_UNSUPPORTED, "layer %s has unsupported media type %s", dg,
		                mt);
	return 0;
}

int reg_manifest_parse(const char *body, size_t len, struct reg_manifest *m, struct ctr_err *err)
{
	cJSON *j = cJSON_ParseWithLength(body, len);
	cJSON *layers, *l;
	int i = 0;

	memset(m, 0, sizeof *m);
	if (!j)
		return ctr_fail(err, E_REGISTRY, "the manifest is not valid JSON");
	const char *mt = cJSON_GetStringValue(cJSON_GetObjectItem(j, "mediaType"));
	m->media_type = xstrdup(mt ? mt : MT_OCI_MANIFEST);
	if (parse_desc(cJSON_GetObjectItem(j, "config"), &m->config, false, err) < 0)
		goto fail;
	layers = cJSON_GetObjectItem(j, "layers");
	if (!cJSON_IsArray(layers)) {
		ctr_fail(err, E_REGISTRY, "the manifest has no layers array");
		goto fail;
	}
	m->nlayers = cJSON_GetArraySize(layers);
	m->layers = xcalloc((size_t)m->nlayers + 1, sizeof *m->layers);
	cJSON_ArrayForEach (l, layers) {
		if (parse_desc(l, &m->layers[i], true, err) < 0)
			goto fail;
		i++;
	}
	cJSON_Delete(j);
	return 0;
fail:
	cJSON_Delete(j);
	reg_manifest_free(m);
	return -1;
}

static void desc_free(struct reg_descriptor *d)
{
	free(d->media_type);
	free(d->digest);
	d->media_type = d->digest = NULL;
}

void reg_manifest_free(struct reg_manifest *m)
{
	free(m->media_type);
	desc_free(&m->config);
	for (int i = 0; i < m->nlayers && m->layers; i++)
		desc_free(&m->layers[i]);
	free(m->layers);
	memset(m, 0, sizeof *m);
}
