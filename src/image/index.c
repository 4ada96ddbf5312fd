/*
 * index.c - the images index: images/index.json.
 *
 *   {
 *     "refs":   { "docker.io/library/busybox:latest":
 *                   {"display": "busybox:latest", "id": "sha256:…",
 *                    "digest": "sha256:<manifest pulled for this tag>"} },
 *     "images": { "sha256:<config hex>": {
 *                   "Id", "ManifestDigest", "ManifestMediaType", "Created",
 *                   "Os", "Architecture", "Variant", "Size", "Added",
 *                   "RepoDigests": [...],
 *                   "Layers": [{"DiffID", "Digest", "MediaType", "Size"}] } }
 *   }
 *
 * A tag lives in "refs" only, so moving a tag to another image is one key
 * update; an image no ref points at is dangling ("<none>").  Every update
 * holds an exclusive flock on images/index.lock around load-modify-save,
 * and the save is atomic (ctr_json_save), so concurrent pulls/tags never
 * lose each other's updates and a reader never sees a half-written index.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "containr/image.h"
#include "containr/log.h"
#include "containr/reference.h"
#include "image/image_int.h"
#include "lib/json.h"

static cJSON *obj_child(cJSON *parent, const char *key)
{
	cJSON *o = cJSON_GetObjectItemCaseSensitive(parent, key);

	if (!cJSON_IsObject(o)) {
		cJSON_DeleteItemFromObjectCaseSensitive(parent, key);
		o = cJSON_AddObjectToObject(parent, key);
	}
	return o;
}

int image_index_open(const struct ctr_store *st, bool exclusive, cJSON **idx, struct ctr_err *err)
{
	cleanup_free char *dir = ctr_path_join(st->root, "images");
	cleanup_free char *lock = ctr_path_join(dir, "index.lock");
	cleanup_free char *path = ctr_path_join(dir, "index.json");
	int fd;

	if (ctr_mkdir_p(dir, 0700, err) < 0)
		return -1;
	fd = ctr_lock_path(lock, exclusive, true, err);
	if (fd < 0)
		return -1;
	if (ctr_json_load(path, idx, err) < 0) {
		if (err->code != E_NOT_FOUND) {
			ctr_unlock(fd);
			return ctr_hint(err,
			                "move the file away to start with an empty image list");
		}
		ctr_err_clear(err);
		*idx = cJSON_CreateObject();
	}
	if (!cJSON_IsObject(*idx)) {
		cJSON_Delete(*idx);
		ctr_unlock(fd);
		return ctr_fail(err, E_CORRUPT, "%s is not a JSON object", path);
	}
	obj_child(*idx, "refs");
	obj_child(*idx, "images");
	return fd;
}

int image_index_save(const struct ctr_store *st, const cJSON *idx, struct ctr_err *err)
{
	cleanup_free char *path = ctr_path_join(st->root, "images/index.json");

	return ctr_json_save(path, idx, err);
}

cJSON *image_index_images(cJSON *idx)
{
	return cJSON_GetObjectItemCaseSensitive(idx, "images");
}

/* Does image `img` have `repo_digest` ("name@sha256:…") among its repo digests? */
static bool has_repo_digest(const cJSON *img, const char *rd)
{
	const cJSON *d;

	cJSON_ArrayForEach (d, cJSON_GetObjectItemCaseSensitive(img, "RepoDigests")) {
		if (cJSON_IsString(d) && strcmp(d->valuestring, rd) == 0)
			return true;
	}
	return false;
}

static cJSON *find_by_id_prefix(cJSON *images, const char *hex, const char *query,
                                struct ctr_err *err)
{
	cJSON *img, *found = NULL;
	size_t n = strlen(hex);
	int count = 0;

	cJSON_ArrayForEach (img, images) {
		const char *id = ctr_digest_hex(img->string);
		if (strncmp(id, hex, n) == 0) {
			found = img;
			count++;
		}
	}
	if (count > 1) {
		ctr_fail(err, E_AMBIGUOUS, "image id prefix \"%s\" matches %d images", query,
		         count);
		ctr_hint(err, "give more characters of the id (see: containr images --no-trunc)");
		return NULL;
	}
	return found;
}

cJSON *image_index_find(cJSON *idx, const char *query, struct ctr_err *err)
{
	cJSON *images = image_index_images(idx);
	cJSON *refs = cJSON_GetObjectItemCaseSensitive(idx, "refs");
	struct ctr_ref r = {0};
	struct ctr_err perr;
	cJSON *img;

	if (!query || !query[0]) {
		ctr_fail(err, E_INVALID_ARG, "empty image reference");
		return NULL;
	}
	/* full id or manifest digest */
	if (ctr_digest_valid(query)) {
		img = cJSON_GetObjectItemCaseSensitive(images, query);
		if (img)
			return img;
		cJSON_ArrayForEach (img, images) {
			const char *md = ctr_json_str(img, "ManifestDigest");
			if (md && strcmp(md, query) == 0)
				return img;
		}
	}
	/* a reference: tag, or name@digest */
	ctr_err_clear(&perr);
	if (ctr_ref_parse(query, &r, &perr) == 0) {
		cleanup_free char *full = ctr_ref_string(&r);
		if (r.digest) {
			cleanup_free char *name = ctr_ref_name(&r);
			cleanup_free char *rd = xasprintf("%s@%s", name, r.digest);
			cJSON_ArrayForEach (img, images) {
				const char *md = ctr_json_str(img, "ManifestDigest");
				if (has_repo_digest(img, rd) || (md && strcmp(md, r.digest) == 0)) {
					ctr_ref_free(&r);
					return img;
				}
			}
		} else {
			const cJSON *e = cJSON_GetObjectItemCaseSensitive(refs, full);
			const char *id = ctr_json_str(e, "id");
			if (id && (img = cJSON_GetObjectItemCaseSensitive(images, id))) {
				ctr_ref_free(&r);
				return img;
			}
		}
	}
	ctr_ref_free(&r);
	/* id prefix, with or without "sha256:" */
	{
		const char *hex = ctr_digest_hex(query);
		size_t n = strlen(hex);
		if (n > 0 && n <= 64 && str_is_hex(hex, n)) {
			img = find_by_id_prefix(images, hex, query, err);
			if (img || err->code == E_AMBIGUOUS)
				return img;
		}
	}
	ctr_fail(err, E_NOT_FOUND, "no such image: %s", query);
	ctr_hint(err, "list local images with: containr images (or pull it: containr pull %s)",
	         query);
	return NULL;
}

int ctr_image_index_load(const struct ctr_store *st, cJSON **out, struct ctr_err *err)
{
	int fd = image_index_open(st, false, out, err);

	if (fd < 0)
		return -1;
	ctr_unlock(fd);
	return 0;
}

int ctr_image_resolve(const struct ctr_store *st, const char *query, char id_out[CTR_DIGEST_BUF],
                      struct ctr_err *err)
{
	cJSON *idx = NULL;
	cJSON *img;
	int fd = image_index_open(st, false, &idx, err);
	int rc = -1;

	if (fd < 0)
		return -1;
	img = image_index_find(idx, query, err);
	if (img) {
		snprintf(id_out, CTR_DIGEST_BUF, "%s", img->string);
		rc = 0;
	}
	cJSON_Delete(idx);
	ctr_unlock(fd);
	return rc;
}

/* ---- adding images -------------------------------------------------------- */

static const char *const manifest_types[] = {
    "application/vnd.oci.image.manifest.v1+json",
    "application/vnd.docker.distribution.manifest.v2+json",
};

static bool is_manifest_type(const char *mt)
{
	for (size_t i = 0; i < CTR_ARRAY_SIZE(manifest_types); i++)
		if (strcmp(mt, manifest_types[i]) == 0)
			return true;
	return false;
}

static void add_string_unique(cJSON *arr, const char *s)
{
	const cJSON *e;

	cJSON_ArrayForEach (e, arr) {
		if (cJSON_IsString(e) && strcmp(e->valuestring, s) == 0)
			return;
	}
	cJSON_AddItemToArray(arr, cJSON_CreateString(s));
}

/* Build the index record of an image from its manifest and config blobs. */
static cJSON *build_record(const struct ctr_store *st, const char *manifest_digest,
                           struct ctr_err *err)
{
	cleanup_free char *mtext = NULL;
	cleanup_free char *ctext = NULL;
	size_t mlen, clen;
	cJSON *m = NULL, *c = NULL, *rec = NULL, *layers;
	const cJSON *ml, *diffs, *d;
	const char *mt, *cdigest;
	double total = 0;
	int i = 0;
	char now[64];

	if (ctr_blob_read(st, manifest_digest, &mtext, &mlen, err) < 0)
		return NULL;
	m = cJSON_ParseWithLength(mtext, mlen);
	if (!cJSON_IsObject(m)) {
		ctr_fail(err, E_CORRUPT, "manifest %s is not valid JSON", manifest_digest);
		goto out;
	}
	mt = ctr_json_str(m, "mediaType");
	if (!mt)
		mt = manifest_types[0]; /* OCI manifests may omit it */
	if (!is_manifest_type(mt)) {
		ctr_fail(err, E_UNSUPPORTED, "manifest %s has media type %s, not an image manifest",
		         manifest_digest, mt);
		goto out;
	}
	cdigest = ctr_json_str(cJSON_GetObjectItemCaseSensitive(m, "config"), "digest");
	if (!cdigest || !ctr_digest_valid(cdigest)) {
		ctr_fail(err, E_CORRUPT, "manifest %s has no config digest", manifest_digest);
		goto out;
	}
	if (ctr_blob_read(st, cdigest, &ctext, &clen, err) < 0)
		goto out;
	c = cJSON_ParseWithLength(ctext, clen);
	if (!cJSON_IsObject(c)) {
		ctr_fail(err, E_CORRUPT, "image config %s is not valid JSON", cdigest);
		goto out;
	}
	ml = cJSON_GetObjectItemCaseSensitive(m, "layers");
	diffs = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(c, "rootfs"),
	                                         "diff_ids");
	if (cJSON_GetArraySize(ml) != cJSON_GetArraySize(diffs)) {
		ctr_fail(err, E_CORRUPT, "image %s: %d layers in the manifest but %d diff_ids",
		         cdigest, cJSON_GetArraySize(ml), cJSON_GetArraySize(diffs));
		goto out;
	}
	rec = cJSON_CreateObject();
	cJSON_AddStringToObject(rec, "Id", cdigest);
	cJSON_AddStringToObject(rec, "ManifestDigest", manifest_digest);
	cJSON_AddStringToObject(rec, "ManifestMediaType", mt);
	cJSON_AddStringToObject(rec, "Created",
	                        ctr_json_str(c, "created") ? ctr_json_str(c, "created") : "");
	cJSON_AddStringToObject(rec, "Os", ctr_json_str(c, "os") ? ctr_json_str(c, "os") : "linux");
	cJSON_AddStringToObject(rec, "Architecture",
	                        ctr_json_str(c, "architecture") ? ctr_json_str(c, "architecture")
	                                                        : "");
	if (ctr_json_str(c, "variant"))
		cJSON_AddStringToObject(rec, "Variant", ctr_json_str(c, "variant"));
	layers = cJSON_AddArrayToObject(rec, "Layers");
	cJSON_ArrayForEach (d, diffs) {
		const cJSON *l = cJSON_GetArrayItem(ml, i++);
		const cJSON *lsz = cJSON_GetObjectItemCaseSensitive(l, "size");
		cJSON *o;
		int64_t usz;

		if (!cJSON_IsString(d) || !ctr_digest_valid(d->valuestring)) {
			ctr_fail(err, E_CORRUPT, "image %s: bad diff_id", cdigest);
			goto fail;
		}
		if (!ctr_layer_exists(st, d->valuestring)) {
			ctr_fail(err, E_NOT_FOUND, "image %s: layer %s is not extracted", cdigest,
			         d->valuestring);
			goto fail;
		}
		usz = ctr_layer_size(st, d->valuestring);
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "DiffID", d->valuestring);
		cJSON_AddStringToObject(o, "Digest",
		                        ctr_json_str(l, "digest") ? ctr_json_str(l, "digest") : "");
		cJSON_AddStringToObject(o, "MediaType",
		                        ctr_json_str(l, "mediaType") ? ctr_json_str(l, "mediaType")
		                                                     : "");
		cJSON_AddNumberToObject(o, "Size", cJSON_IsNumber(lsz) ? lsz->valuedouble : 0);
		cJSON_AddNumberToObject(o, "UncompressedSize", (double)usz);
		cJSON_AddItemToArray(layers, o);
		total += usz > 0 ? (double)usz : (cJSON_IsNumber(lsz) ? lsz->valuedouble : 0);
	}
	cJSON_AddNumberToObject(rec, "Size", total);
	ctr_format_rfc3339(now, sizeof(now), ctr_now_ns());
	cJSON_AddStringToObject(rec, "Added", now);
	cJSON_AddArrayToObject(rec, "RepoDigests");
	goto out;
fail:
	cJSON_Delete(rec);
	rec = NULL;
out:
	cJSON_Delete(m);
	cJSON_Delete(c);
	return rec;
}

/*
 * Point tag `r` at image `id` in the index; `digest` (may be NULL) is the
 * manifest the tag was pulled as -- one image (config) can be pushed as a
 * Docker and as an OCI manifest under two tags, each with its own digest.
 */
static void set_tag(cJSON *idx, const struct ctr_ref *r, const char *id, const char *digest)
{
	cJSON *refs = cJSON_GetObjectItemCaseSensitive(idx, "refs");
	cleanup_free char *full = ctr_ref_string(r);
	cleanup_free char *disp = ctr_ref_familiar(r);
	cJSON *e = cJSON_CreateObject();

	cJSON_AddStringToObject(e, "display", disp);
	cJSON_AddStringToObject(e, "id", id);
	if (digest)
		cJSON_AddStringToObject(e, "digest", digest);
	cJSON_DeleteItemFromObjectCaseSensitive(refs, full);
	cJSON_AddItemToObject(refs, full, e);
}

int ctr_image_add(const struct ctr_store *st, const char *ref, const char *manifest_digest,
                  bool repo_digest, char id_out[CTR_DIGEST_BUF], struct ctr_err *err)
{
	struct ctr_ref r = {0};
	cJSON *idx = NULL, *rec, *images, *old;
	int fd, rc = -1;
	char id[CTR_DIGEST_BUF];

	if (ref && ctr_ref_parse(ref, &r, err) < 0) {
		ctr_ref_free(&r);
		return -1;
	}
	rec = build_record(st, manifest_digest, err);
	if (!rec) {
		ctr_ref_free(&r);
		return -1;
	}
	snprintf(id, sizeof(id), "%s", ctr_json_str(rec, "Id"));
	fd = image_index_open(st, true, &idx, err);
	if (fd < 0)
		goto out;
	images = image_index_images(idx);
	old = cJSON_GetObjectItemCaseSensitive(images, id);
	if (old) {
		/* keep what we knew (repo digests, first-added time) */
		const cJSON *d;
		cJSON *rds = cJSON_GetObjectItemCaseSensitive(rec, "RepoDigests");
		cJSON_ArrayForEach (d, cJSON_GetObjectItemCaseSensitive(old, "RepoDigests")) {
			if (cJSON_IsString(d))
				add_string_unique(rds, d->valuestring);
		}
		if (ctr_json_str(old, "Added"))
			cJSON_ReplaceItemInObjectCaseSensitive(
			    rec, "Added", cJSON_CreateString(ctr_json_str(old, "Added")));
		cJSON_DeleteItemFromObjectCaseSensitive(images, id);
	}
	if (ref) {
		cleanup_free char *name = ctr_ref_name(&r);
		cJSON *rds = cJSON_GetObjectItemCaseSensitive(rec, "RepoDigests");
		if (r.tag)
			set_tag(idx, &r, id, repo_digest ? manifest_digest : NULL);
		if (r.digest) {
			cleanup_free char *rd = xasprintf("%s@%s", name, r.digest);
			add_string_unique(rds, rd);
		} else if (repo_digest) {
			cleanup_free char *rd = xasprintf("%s@%s", name, manifest_digest);
			add_string_unique(rds, rd);
		}
	}
	cJSON_AddItemToObject(images, id, rec);
	rec = NULL;
	if (image_index_save(st, idx, err) < 0)
		goto out;
	if (id_out)
		memcpy(id_out, id, CTR_DIGEST_BUF);
	rc = 0;
out:
	cJSON_Delete(rec);
	cJSON_Delete(idx);
	if (fd >= 0)
		ctr_unlock(fd);
	ctr_ref_free(&r);
	return rc;
}
