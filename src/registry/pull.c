/*
 * pull.c - ctr_image_pull(): reference -> manifest -> config -> layers.
 *
 * Resolution (manifest, index, platform choice, config) uses plain GETs
 * through the client in http.c.  Layers are fetched by blobs.c with curl
 * multi, a few at a time, each streamed at once into the image store's
 * blob writer (temp file + SHA-256) and layer writer (decompress, diff_id,
 * extract).  Nothing becomes visible in the store before it is verified:
 * the blob store and layer store rename verified content into place, and
 * the image index is written last.  An interrupted pull (opts.interrupted)
 * removes its temp files before it returns; those of a killed one are
 * removed by the next pull (ctr_image_tmp_gc: temp entries nobody locks).
 */
#include <stdlib.h>
#include <string.h>

#include "containr/image.h"
#include "containr/log.h"
#include "registry/pull_int.h"

#define MANIFEST_ACCEPT                                                                            \
	MT_OCI_INDEX ", " MT_DOCKER_LIST ", " MT_OCI_MANIFEST ", " MT_DOCKER_MANIFEST

void ctr_pull_result_free_impl(struct ctr_pull_result *r)
{
	if (!r)
		return;
	free(r->ref);
	free(r->display_ref);
	free(r->digest);
	free(r->manifest_digest);
	free(r->image_id);
	memset(r, 0, sizeof *r);
}

void pull_emit(struct pull *p, enum ctr_pull_event_kind kind, int layer, const char *digest,
               int64_t cur, int64_t total)
{
	struct ctr_pull_event ev = {kind, layer, p->m.nlayers, digest, cur, total};

	if (p->opts.progress)
		p->opts.progress(&ev, p->opts.progress_ud);
}

/* GET a manifest by tag or digest; verify its digest; returns body. */
static int fetch_manifest(struct pull *p, const char *what, const char *expect_digest,
                          struct reg_resp *resp, char digest[72], struct ctr_err *err)
{
	cleanup_free char *path = xasprintf("/v2/%s/manifests/%s", p->ref.path, what);

	if (reg_get(&p->cl, path, MANIFEST_ACCEPT, resp, err) < 0)
		return -1;
	if (resp->status != 200) {
		cleanup_free char *name = ctr_ref_familiar_name(&p->ref);
		cleanup_free char *w =
		    xasprintf("manifest for %s%s%s", name,
		              what[0] == 's' && strchr(what, ':') ? "@" : ":", what);
		return reg_fail_status(&p->cl, resp, w, err);
	}
	reg_sha256_digest(resp->body.buf, resp->body.len, digest);
	if (expect_digest && strcmp(expect_digest, digest) != 0) {
		ctr_fail(err, E_DIGEST, "manifest digest mismatch: expected %s, got %s from %s",
		         expect_digest, digest, p->cl.host);
		return ctr_hint(err, "the registry served content that does not match its digest");
	}
	if (resp->digest && str_startswith(resp->digest, "sha256:") &&
	    strcmp(resp->digest, digest) != 0) {
		ctr_fail(err, E_DIGEST, "manifest digest mismatch: registry says %s, content is %s",
		         resp->digest, digest);
		return -1;
	}
	return 0;
}

static int check_config_platform(struct pull *p, cJSON *cfg, struct ctr_err *err)
{
	const char *os = cJSON_GetStringValue(cJSON_GetObjectItem(cfg, "os"));
	const char *arch = cJSON_GetStringValue(cJSON_GetObjectItem(cfg, "architecture"));
	const char *var = cJSON_GetStringValue(cJSON_GetObjectItem(cfg, "variant"));

	if (!os || !arch || ctr_platform_match(&p->want, os, arch, var))
		return 0;
	if (p->opts.platform) {
		ctr_fail(err, E_NOT_FOUND,
		         "image %s was found but does not match the specified platform: wanted %s, "
		         "actual %s/%s%s%s",
		         p->display, p->opts.platform, os, arch, var ? "/" : "", var ? var : "");
		return -1;
	}
	ctr_warn("image platform does not match the host", "image", p->display, "os", os, "arch",
	         arch);
	return 0;
}

/* Config blob: from the store, or fetched, verified and stored. */
static int load_config(struct pull *p, struct ctr_err *err)
{
	cleanup_free char *data = NULL;
	size_t len = 0;
	const char *cd = p->m.config.digest;

	if (ctr_blob_exists(p->st, cd)) {
		if (ctr_blob_read(p->st, cd, &data, &len, err) < 0)
			return -1;
	} else {
		struct reg_resp r = {0};
		cleanup_free char *path = xasprintf("/v2/%s/blobs/%s", p->ref.path, cd);
		strbuf_init(&r.body);
		if (reg_get(&p->cl, path, NULL, &r, err) < 0) {
			reg_resp_free(&r);
			strbuf_release(&r.body);
			return -1;
		}
		if (r.status != 200) {
			cleanup_free char *w = xasprintf("config blob %s", cd);
			reg_fail_status(&p->cl, &r, w, err);
			reg_resp_free(&r);
			strbuf_release(&r.body);
			return -1;
		}
		int rc = ctr_blob_put(p->st, r.body.buf, r.body.len, cd, NULL, err);
		len = r.body.len;
		data = strbuf_detach(&r.body);
		reg_resp_free(&r);
		strbuf_release(&r.body);
		if (rc < 0)
			return -1;
		p->downloaded = true;
	}
	p->config = cJSON_ParseWithLength(data, len);
	if (!p->config)
		return ctr_fail(err, E_REGISTRY, "image config %s is not valid JSON", cd);
	cJSON *ids = cJSON_GetObjectItem(cJSON_GetObjectItem(p->config, "rootfs"), "diff_ids");
	if (cJSON_GetArraySize(ids) != p->m.nlayers)
		return ctr_fail(err, E_REGISTRY,
		                "image config %s lists %d diff_ids but the manifest has %d layers",
		                cd, cJSON_GetArraySize(ids), p->m.nlayers);
	p->diff_ids = xcalloc((size_t)p->m.nlayers + 1, sizeof(char *));
	for (int i = 0; i < p->m.nlayers; i++) {
		const char *d = cJSON_GetStringValue(cJSON_GetArrayItem(ids, i));
		if (!ctr_digest_valid(d))
			return ctr_fail(err, E_UNSUPPORTED,
			                "image config %s has an unsupported diff_id", cd);
		p->diff_ids[i] = d;
	}
	return check_config_platform(p, p->config, err);
}

static int resolve(struct pull *p, struct ctr_err *err)
{
	struct reg_resp r = {0};
	enum reg_mkind kind;
	cleanup_free char *mt = NULL;
	int rc = -1;

	strbuf_init(&r.body);
	const char *what = p->ref.digest ? p->ref.digest : p->ref.tag;
	if (fetch_manifest(p, what, p->ref.digest, &r, p->manifest_digest, err) < 0)
		goto out;
	memcpy(p->top_digest, p->manifest_digest, sizeof p->top_digest);
	if (reg_manifest_kind(r.content_type, r.body.buf, r.body.len, &kind, &mt, err) < 0)
		goto out;
	if (kind == REG_M_INDEX) {
		cleanup_free char *d = NULL;
		if (reg_index_select(r.body.buf, r.body.len, &p->want, &d, err) < 0) {
			ctr_err_wrap(err, "%s", p->display);
			goto out;
		}
		reg_resp_free(&r);
		free(mt);
		mt = NULL;
		if (fetch_manifest(p, d, d, &r, p->manifest_digest, err) < 0)
			goto out;
		if (reg_manifest_kind(r.content_type, r.body.buf, r.body.len, &kind, &mt, err) < 0)
			goto out;
		if (kind != REG_M_IMAGE) {
			ctr_fail(err, E_UNSUPPORTED, "index %s points to another index", d);
			goto out;
		}
	}
	if (reg_manifest_parse(r.body.buf, r.body.len, &p->m, err) < 0)
		goto out;
	p->manifest_existed = ctr_blob_exists(p->st, p->manifest_digest);
	p->manifest = strbuf_detach(&r.body);
	p->manifest_len = strlen(p->manifest);
	rc = 0;
out:
	reg_resp_free(&r);
	strbuf_release(&r.body);
	return rc;
}

static void pull_free(struct pull *p)
{
	ctr_ref_free(&p->ref);
	reg_client_free(&p->cl);
	reg_manifest_free(&p->m);
	cJSON_Delete(p->config);
	free(p->diff_ids);
	free(p->manifest);
	free(p->display);
	free(p->full);
}

int ctr_image_pull_impl(struct ctr_store *st, const char *ref, const struct ctr_pull_opts *opts,
                        struct ctr_pull_result *res, struct ctr_err *err)
{
	struct pull p;
	char id[CTR_DIGEST_BUF] = "";
	int rc = -1;

	memset(&p, 0, sizeof p);
	p.st = st;
	if (opts)
		p.opts = *opts;
	if (p.opts.max_parallel <= 0)
		p.opts.max_parallel = 3;
	if (res)
		memset(res, 0, sizeof *res);
	if (ctr_ref_parse(ref, &p.ref, err) < 0)
		return -1;
	/* what an earlier, killed pull left in tmp/ (never a running pull's) */
	ctr_image_tmp_gc(st);
	const char *rl = getenv("CONTAINR_PULL_RATE_LIMIT");
	if (rl && *rl && ctr_parse_size(rl, &p.rate_limit, err) < 0) {
		ctr_err_wrap(err, "CONTAINR_PULL_RATE_LIMIT");
		goto out;
	}
	if (p.opts.platform) {
		if (ctr_platform_parse(p.opts.platform, &p.want, err) < 0)
			goto out;
	} else {
		ctr_platform_host(&p.want);
	}
	p.display = ctr_ref_familiar(&p.ref);
	p.full = ctr_ref_string(&p.ref);
	if (reg_client_init(&p.cl, ctr_ref_api_host(&p.ref), p.ref.path, err) < 0)
		goto out;
	if (resolve(&p, err) < 0)
		goto out;
	pull_emit(&p, CTR_PULL_RESOLVED, -1, p.manifest_digest, 0, 0);
	if (p.opts.interrupted && *p.opts.interrupted) {
		ctr_fail(err, E_INTERRUPTED, "pull of %s interrupted", p.display);
		goto out;
	}
	if (load_config(&p, err) < 0)
		goto out;
	if (pull_layers(&p, err) < 0)
		goto out;
	if (!p.manifest_existed &&
	    ctr_blob_put(st, p.manifest, p.manifest_len, p.manifest_digest, NULL, err) < 0)
		goto out;
	char before[CTR_DIGEST_BUF] = "";
	struct ctr_err ignored = {0};
	bool had_ref = ctr_image_resolve(st, p.full, before, &ignored) == 0 &&
	               strcmp(before, p.m.config.digest) == 0;
	if (ctr_image_add(st, p.full, p.manifest_digest, true, id, err) < 0)
		goto out;
	if (res) {
		res->ref = xstrdup(p.full);
		res->display_ref = xstrdup(p.display);
		res->digest = xstrdup(p.top_digest);
		res->manifest_digest = xstrdup(p.manifest_digest);
		res->image_id = xstrdup(id);
		res->up_to_date = had_ref && !p.downloaded;
	}
	rc = 0;
out:
	pull_free(&p);
	return rc;
}
