/*
 * gc.c - tags, removal and pruning of images, with Docker's rules.
 *
 * `rmi NAME:TAG` removes that tag; when it was the image's last name the
 * image goes too.  `rmi ID` refuses an image with several names unless
 * forced.  An image that a container uses (its config.json "ImageID", or
 * "Image" when that is an id) is never deleted from under the container:
 * without -f that is an error, with -f the names go and the image stays,
 * dangling, until no container needs it (then `image prune` takes it).
 *
 * Deleting an image deletes its manifest, config and layer blobs and its
 * extracted layers, except those another image still uses.  Everything
 * happens under the index lock, so a concurrent pull/tag sees either the
 * old or the new index.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "containr/image.h"
#include "containr/container.h"
#include "containr/log.h"
#include "containr/reference.h"
#include "image/image_int.h"
#include "lib/json.h"

struct users_ctx {
	const char *id;
	struct strv *out;
};

static int users_cb(const struct ctr_container_record *r, void *ud)
{
	struct users_ctx *u = ud;

	if ((r->image_id && strcmp(r->image_id, u->id) == 0) ||
	    (r->image && strcmp(r->image, u->id) == 0))
		strv_push(u->out, r->id);
	return 0;
}

int ctr_image_users(const struct ctr_store *st, const char *id, struct strv *out,
                    struct ctr_err *err)
{
	struct users_ctx u = {.id = id, .out = out};

	return ctr_container_records_each(st, users_cb, &u, err) < 0 ? -1 : 0;
}

void ctr_rmi_result_init(struct ctr_rmi_result *r)
{
	strv_init(&r->untagged);
	strv_init(&r->deleted);
	strv_init(&r->kept);
	r->reclaimed = 0;
}

void ctr_rmi_result_release(struct ctr_rmi_result *r)
{
	strv_release(&r->untagged);
	strv_release(&r->deleted);
	strv_release(&r->kept);
}

/* Names of refs pointing at `id`: full keys in `full`, display in `disp`. */
static void refs_of(cJSON *idx, const char *id, struct strv *full, struct strv *disp)
{
	cJSON *e;

	cJSON_ArrayForEach (e, cJSON_GetObjectItemCaseSensitive(idx, "refs")) {
		const char *i = ctr_json_str(e, "id");
		if (i && strcmp(i, id) == 0) {
			if (full)
				strv_push(full, e->string);
			if (disp)
				strv_push(disp, ctr_json_str(e, "display")
				                    ? ctr_json_str(e, "display")
				                    : e->string);
		}
	}
}

static bool used_by_other(cJSON *images, const char *skip_id, const char *key, const char *digest)
{
	cJSON *img, *l;

	cJSON_ArrayForEach (img, images) {
		if (strcmp(img->string, skip_id) == 0)
			continue;
		if (!strcmp(key, "Id") || !strcmp(key, "ManifestDigest")) {
			const char *v = ctr_json_str(img, key);
			if (v && strcmp(v, digest) == 0)
				return true;
			continue;
		}
		cJSON_ArrayForEach (l, cJSON_GetObjectItemCaseSensitive(img, "Layers")) {
			const char *v = ctr_json_str(l, key);
			if (v && strcmp(v, digest) == 0)
				return true;
		}
	}
	return false;
}

static int64_t file_size(const char *p)
{
	struct stat sb;

	return p && stat(p, &sb) == 0 ? (int64_t)sb.st_size : 0;
}

/* Remove image `id` from the index (refs too) and its unshared files. */
static int delete_image(const struct ctr_store *st, cJSON *idx, const char *id,
                        struct ctr_rmi_result *res, struct ctr_err *err)
{
	cJSON *images = image_index_images(idx);
	cJSON *rec = cJSON_DetachItemFromObjectCaseSensitive(images, id);
	cJSON *refs = cJSON_GetObjectItemCaseSensitive(idx, "refs");
	struct strv full, disp, blobs, layers;
	const cJSON *l;
	int rc = -1;

	if (!rec)
		return ctr_fail(err, E_NOT_FOUND, "no such image: %s", id);
	strv_init(&full);
	strv_init(&disp);
	strv_init(&blobs);
	strv_init(&layers);
	refs_of(idx, id, &full, &disp);
	for (size_t i = 0; i < full.n; i++) {
		cJSON_DeleteItemFromObjectCaseSensitive(refs, full.v[i]);
		strv_push(&res->untagged, disp.v[i]);
	}
	{
		const cJSON *d;
		cJSON_ArrayForEach (d, cJSON_GetObjectItemCaseSensitive(rec, "RepoDigests")) {
			if (cJSON_IsString(d))
				strv_push(&res->untagged, d->valuestring);
		}
	}
	if (!used_by_other(images, id, "Id", id))
		strv_push(&blobs, id);
	if (ctr_json_str(rec, "ManifestDigest") &&
	    !used_by_other(images, id, "ManifestDigest", ctr_json_str(rec, "ManifestDigest")))
		strv_push(&blobs, ctr_json_str(rec, "ManifestDigest"));
	cJSON_ArrayForEach (l, cJSON_GetObjectItemCaseSensitive(rec, "Layers")) {
		const char *dg = ctr_json_str(l, "Digest");
		const char *di = ctr_json_str(l, "DiffID");
		/* a layer blob may equal a diff_id (uncompressed layers) */
		if (dg && ctr_digest_valid(dg) && !used_by_other(images, id, "Digest", dg) &&
		    !used_by_other(images, id, "DiffID", dg) && !strv_contains(&blobs, dg))
			strv_push(&blobs, dg);
		if (di && ctr_digest_valid(di) && !used_by_other(images, id, "DiffID", di) &&
		    !strv_contains(&layers, di))
			strv_push(&layers, di);
	}
	if (image_index_save(st, idx, err) < 0)
		goto out;
	for (size_t i = 0; i < blobs.n; i++) {
		cleanup_free char *p = ctr_blob_path(st, blobs.v[i]);
		res->reclaimed += file_size(p);
		if (ctr_blob_remove(st, blobs.v[i], err) < 0)
			ctr_warn("cannot remove blob", "digest", blobs.v[i], "error", err->msg);
	}
	for (size_t i = 0; i < layers.n; i++) {
		int64_t sz = ctr_layer_size(st, layers.v[i]);
		res->reclaimed += sz > 0 ? sz : 0;
		if (ctr_layer_remove(st, layers.v[i], err) < 0)
			ctr_warn("cannot remove layer", "diff_id", layers.v[i], "error", err->msg);
	}
	ctr_err_clear(err);
	strv_push(&res->deleted, id);
	rc = 0;
out:
	cJSON_Delete(rec);
	strv_release(&full);
	strv_release(&disp);
	strv_release(&blobs);
	strv_release(&layers);
	return rc;
}

int ctr_image_tag(const struct ctr_store *st, const char *src, const char *dst, struct ctr_err *err)
{
	struct ctr_ref r = {0};
	cJSON *idx = NULL, *rec, *refs, *e;
	int fd, rc = -1;

	if (ctr_ref_parse(dst, &r, err) < 0)
		goto out_ref;
	if (r.digest) {
		ctr_fail(err, E_INVALID_ARG, "refusing to create a tag with a digest reference: %s",
		         dst);
		goto out_ref;
	}
	fd = image_index_open(st, true, &idx, err);
	if (fd < 0)
		goto out_ref;
	rec = image_index_find(idx, src, err);
	if (rec) {
		cleanup_free char *full = ctr_ref_string(&r);
		cleanup_free char *disp = ctr_ref_familiar(&r);
		refs = cJSON_GetObjectItemCaseSensitive(idx, "refs");
		cJSON_DeleteItemFromObjectCaseSensitive(refs, full);
		e = cJSON_CreateObject();
		cJSON_AddStringToObject(e, "display", disp);
		cJSON_AddStringToObject(e, "id", rec->string);
		cJSON_AddItemToObject(refs, full, e);
		rc = image_index_save(st, idx, err);
	}
	cJSON_Delete(idx);
	ctr_unlock(fd);
out_ref:
	ctr_ref_free(&r);
	return rc;
}

/* The tag key `query` names, if it is a tag reference present in the index. */
static char *query_tag(cJSON *idx, const char *query)
{
	struct ctr_ref r = {0};
	struct ctr_err e;
	char *full = NULL;

	if (!str_startswith(query, "sha256:") && ctr_ref_parse(query, &r, &e) == 0 && !r.digest) {
		full = ctr_ref_string(&r);
		if (!cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(idx, "refs"),
		                                      full)) {
			free(full);
			full = NULL;
		}
	}
	ctr_ref_free(&r);
	return full;
}

int ctr_image_remove(const struct ctr_store *st, const char *query, bool force,
                     struct ctr_rmi_result *res, struct ctr_err *err)
{
	cJSON *idx = NULL, *rec;
	cleanup_free char *tag = NULL;
	char id[CTR_DIGEST_BUF];
	struct strv full, disp, users;
	int fd, rc = -1;

	strv_init(&full);
	strv_init(&disp);
	strv_init(&users);
	fd = image_index_open(st, true, &idx, err);
	if (fd < 0)
		return -1;
	rec = image_index_find(idx, query, err);
	if (!rec)
		goto out;
	snprintf(id, sizeof(id), "%s", rec->string);
	refs_of(idx, id, &full, &disp);
	if (ctr_image_users(st, id, &users, err) < 0)
		goto out;
	tag = query_tag(idx, query);
	if (tag && full.n > 1) {
		/* one of several names: just untag */
		cJSON *refs = cJSON_GetObjectItemCaseSensitive(idx, "refs");
		for (size_t i = 0; i < full.n; i++)
			if (strcmp(full.v[i], tag) == 0)
				strv_push(&res->untagged, disp.v[i]);
		cJSON_DeleteItemFromObjectCaseSensitive(refs, tag);
		rc = image_index_save(st, idx, err);
		goto out;
	}
	if (!tag && full.n > 1 && !force) {
		ctr_fail(
		    err, E_CONFLICT,
		    "conflict: unable to delete %.12s (must be forced) - image is referenced in "
		    "multiple repositories",
		    ctr_digest_hex(id));
		ctr_hint(err, "remove the names one by one (containr rmi NAME:TAG) or use -f");
		goto out;
	}
	if (users.n > 0) {
		if (!force) {
			ctr_fail(
			    err, E_CONFLICT,
			    "conflict: unable to remove %s (must force) - container %.12s is using "
			    "image %.12s",
			    query, users.v[0], ctr_digest_hex(id));
			ctr_hint(err, "remove the container first (containr rm %.12s) or use -f",
			         users.v[0]);
			goto out;
		}
		/* forced: drop the names, keep the image for its containers */
		{
			cJSON *refs = cJSON_GetObjectItemCaseSensitive(idx, "refs");
			for (size_t i = 0; i < full.n; i++) {
				cJSON_DeleteItemFromObjectCaseSensitive(refs, full.v[i]);
				strv_push(&res->untagged, disp.v[i]);
			}
		}
		/* the caller says so (the CLI as "containr: warning: …") */
		strv_push_owned(&res->kept, xasprintf("%s %s", id, users.v[0]));
		rc = image_index_save(st, idx, err);
		goto out;
	}
	rc = delete_image(st, idx, id, res, err);
out:
	cJSON_Delete(idx);
	ctr_unlock(fd);
	strv_release(&full);
	strv_release(&disp);
	strv_release(&users);
	return rc;
}

/*
 * Temp entries in <root>/tmp.  A writer holds an exclusive flock on every
 * blob-* file and layer-* directory it works on for as long as it exists
 * (image_tmp_claim); one that is not locked was left by a process that
 * died (SIGKILL, a crash), and is removed at once.  Entries without a lock
 * (rm-*, default-*, export-*) go once an hour old.
 */
int image_tmp_claim(int fd, const char *path)
{
	struct stat a, b;

	if (flock(fd, LOCK_EX) < 0)
		return -1;
	/* a cleaner may have taken it between its creation and our lock */
	if (fstat(fd, &a) < 0 || lstat(path, &b) < 0 || a.st_ino != b.st_ino ||
	    a.st_dev != b.st_dev) {
		errno = ESTALE;
		return -1;
	}
	return 0;
}

/* Remove `name` if no live process holds its lock. */
static void tmp_remove_unlocked(int dirfd, const char *dir, const char *name)
{
	cleanup_close int fd =
	    openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	cleanup_free char *p = NULL;
	struct ctr_err e;

	if (fd < 0 || flock(fd, LOCK_EX | LOCK_NB) < 0)
		return; /* gone, or in use */
	p = ctr_path_join(dir, name);
	ctr_debug("removing a temp entry no live process holds", "path", p);
	ctr_rm_rf(p, &e); /* under our lock: a writer that races us sees it gone */
}

void ctr_image_tmp_gc(const struct ctr_store *st)
{
	static const char *const locked[] = {"blob-", "layer-"};
	static const char *const aged[] = {"rm-", "default-", "export-"};
	cleanup_free char *dir = ctr_path_join(st->root, "tmp");
	DIR *d = opendir(dir);
	struct dirent *de;
	time_t now = time(NULL);

	while (d && (de = readdir(d))) {
		struct stat sb;
		bool old = false;
		for (size_t i = 0; i < CTR_ARRAY_SIZE(locked); i++) {
			if (str_startswith(de->d_name, locked[i])) {
				tmp_remove_unlocked(dirfd(d), dir, de->d_name);
				break;
			}
		}
		for (size_t i = 0; i < CTR_ARRAY_SIZE(aged); i++)
			old |= str_startswith(de->d_name, aged[i]);
		if (!old || fstatat(dirfd(d), de->d_name, &sb, AT_SYMLINK_NOFOLLOW) < 0 ||
		    now - sb.st_mtime < 3600)
			continue;
		{
			cleanup_free char *p = ctr_path_join(dir, de->d_name);
			struct ctr_err e;
			ctr_debug("removing a stale temp entry", "path", p);
			ctr_rm_rf(p, &e);
		}
	}
	if (d)
		closedir(d);
}

int ctr_image_prune(const struct ctr_store *st, bool all, struct ctr_rmi_result *res,
                    struct ctr_err *err)
{
	cJSON *idx = NULL, *img;
	struct strv victims;
	int fd, rc = 0;

	strv_init(&victims);
	ctr_image_tmp_gc(st);
	fd = image_index_open(st, true, &idx, err);
	if (fd < 0)
		return -1;
	cJSON_ArrayForEach (img, image_index_images(idx)) {
		struct strv refs, users;
		strv_init(&refs);
		strv_init(&users);
		refs_of(idx, img->string, &refs, NULL);
		if ((all || refs.n == 0) && ctr_image_users(st, img->string, &users, err) == 0 &&
		    users.n == 0)
			strv_push(&victims, img->string);
		strv_release(&refs);
		strv_release(&users);
	}
	for (size_t i = 0; i < victims.n && rc == 0; i++)
		rc = delete_image(st, idx, victims.v[i], res, err);
	cJSON_Delete(idx);
	ctr_unlock(fd);
	strv_release(&victims);
	return rc;
}
