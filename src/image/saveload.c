/*
 * saveload.c - `save` and `load`.
 *
 * save writes one tar that is both an OCI image layout and a docker-archive,
 * the way Docker 25+ does:
 *   oci-layout, index.json            OCI: manifests with their ref names
 *   manifest.json                     docker: Config, RepoTags, Layers paths
 *   blobs/sha256/<hex>                manifests, configs, layer blobs (as stored)
 *
 * load accepts that, a plain OCI layout tar, and the older docker-archive
 * (<id>.json configs, <dir>/layer.tar).  Every regular file is streamed into
 * the content store first (files under blobs/sha256/ are verified against
 * their names), then images are built: from index.json when present
 * (manifest digests are kept), else from manifest.json (a manifest is made).
 * Layers are extracted from their blobs with the usual safety rules; blobs
 * the archive brought but no image uses are removed again.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>

#include "containr/image.h"
#include "containr/log.h"
#include "containr/reference.h"
#include "image/image_int.h"
#include "lib/json.h"

/* ---- save ---------------------------------------------------------------- */

static int tar_add_bytes(struct archive *a, const char *name, const void *data, size_t len,
                         struct ctr_err *err)
{
	struct archive_entry *e = archive_entry_new();
	int r;

	archive_entry_set_pathname(e, name);
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, 0644);
	archive_entry_set_size(e, (la_int64_t)len);
	archive_entry_set_mtime(e, 0, 0);
	r = archive_write_header(a, e);
	archive_entry_free(e);
	if (r != ARCHIVE_OK || (len && archive_write_data(a, data, len) != (la_ssize_t)len))
		return ctr_fail(err, E_IO, "cannot write %s: %s", name, archive_error_string(a));
	return 0;
}

static int tar_add_dir(struct archive *a, const char *name, struct ctr_err *err)
{
	struct archive_entry *e = archive_entry_new();
	int r;

	archive_entry_set_pathname(e, name);
	archive_entry_set_filetype(e, AE_IFDIR);
	archive_entry_set_perm(e, 0755);
	archive_entry_set_mtime(e, 0, 0);
	r = archive_write_header(a, e);
	archive_entry_free(e);
	if (r != ARCHIVE_OK)
		return ctr_fail(err, E_IO, "cannot write %s: %s", name, archive_error_string(a));
	return 0;
}

static int tar_add_blob(const struct ctr_store *st, struct archive *a, const char *digest,
                        struct strv *done, struct ctr_err *err)
{
	cleanup_free char *path = ctr_blob_path(st, digest);
	cleanup_free char *name = NULL;
	cleanup_close int fd = -1;
	struct archive_entry *e;
	struct stat sb;
	char buf[65536];
	ssize_t n;
	int r;

	if (strv_contains(done, digest))
		return 0;
	if (!path || (fd = open(path, O_RDONLY | O_CLOEXEC)) < 0 || fstat(fd, &sb) < 0) {
		ctr_fail(err, E_NOT_FOUND, "blob %s is not in the local store",
		         digest ? digest : "?");
		return ctr_hint(err, "pull the image again to fetch its layer blobs");
	}
	name = xasprintf("blobs/sha256/%s", ctr_digest_hex(digest));
	e = archive_entry_new();
	archive_entry_set_pathname(e, name);
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, 0644);
	archive_entry_set_size(e, sb.st_size);
	archive_entry_set_mtime(e, 0, 0);
	r = archive_write_header(a, e);
	archive_entry_free(e);
	if (r != ARCHIVE_OK)
		return ctr_fail(err, E_IO, "cannot write %s: %s", name, archive_error_string(a));
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		if (archive_write_data(a, buf, (size_t)n) != n)
			return ctr_fail(err, E_IO, "cannot write %s: %s", name,
			                archive_error_string(a));
	if (n < 0)
		return ctr_fail_errno(err, E_IO, errno, "cannot read %s", path);
	strv_push(done, digest);
	return 0;
}

/* Tags of image `id` that `query` selects: the tag itself, or all for a repo name. */
static void save_tags(cJSON *idx, const char *query, const char *id, cJSON *repotags,
                      cJSON *fullrefs)
{
	struct ctr_ref q = {0};
	struct ctr_err e;
	const cJSON *r;
	bool is_ref =
	    !str_startswith(query, "sha256:") && ctr_ref_parse(query, &q, &e) == 0 && !q.digest;
	cleanup_free char *qfull = is_ref ? ctr_ref_string(&q) : NULL;

	cJSON_ArrayForEach (r, cJSON_GetObjectItemCaseSensitive(idx, "refs")) {
		const char *rid = ctr_json_str(r, "id");
		if (!is_ref || !rid || strcmp(rid, id) != 0 || strcmp(r->string, qfull) != 0)
			continue;
		cJSON_AddItemToArray(repotags, cJSON_CreateString(ctr_json_str(r, "display")));
		cJSON_AddItemToArray(fullrefs, cJSON_CreateString(r->string));
	}
	ctr_ref_free(&q);
}

int ctr_image_save_impl(const struct ctr_store *st, const struct strv *queries,
                        const char *out_path, struct ctr_err *err)
{
	cJSON *idx = NULL, *dmanifest = cJSON_CreateArray(), *oindex = cJSON_CreateObject();
	cJSON *omanifests;
	struct archive *a = archive_write_new();
	struct strv done;
	cleanup_close int fd = -1;
	cleanup_free char *tmp = NULL;
	int lock, rc = -1;

	strv_init(&done);
	cJSON_AddNumberToObject(oindex, "schemaVersion", 2);
	cJSON_AddStringToObject(oindex, "mediaType", "application/vnd.oci.image.index.v1+json");
	omanifests = cJSON_AddArrayToObject(oindex, "manifests");
	lock = image_index_open(st, false, &idx, err);
	if (lock < 0)
		goto out_nolock;
	if (strcmp(out_path, "-") == 0) {
		fd = dup(STDOUT_FILENO);
	} else {
		tmp = xasprintf("%s.tmp-%d", out_path, (int)getpid());
		fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	}
	if (fd < 0) {
		ctr_fail_errno(err, E_IO, errno, "cannot write %s", out_path);
		goto out;
	}
	archive_write_set_format_pax_restricted(a);
	if (archive_write_open_fd(a, fd) != ARCHIVE_OK) {
		ctr_fail(err, E_IO, "cannot write %s: %s", out_path, archive_error_string(a));
		goto out;
	}
	if (tar_add_dir(a, "blobs", err) < 0 || tar_add_dir(a, "blobs/sha256", err) < 0)
		goto out;
	for (size_t i = 0; i < queries->n; i++) {
		cJSON *rec = image_index_find(idx, queries->v[i], err);
		cJSON *dm, *tags, *full, *layers;
		const cJSON *l, *f;
		const char *md;
		cleanup_free char *cpath = NULL;

		if (!rec)
			goto out;
		md = ctr_json_str(rec, "ManifestDigest");
		if (tar_add_blob(st, a, rec->string, &done, err) < 0 ||
		    tar_add_blob(st, a, md, &done, err) < 0)
			goto out;
		dm = cJSON_CreateObject();
		cJSON_AddItemToArray(dmanifest, dm);
		cpath = xasprintf("blobs/sha256/%s", ctr_digest_hex(rec->string));
		cJSON_AddStringToObject(dm, "Config", cpath);
		tags = cJSON_AddArrayToObject(dm, "RepoTags");
		full = cJSON_CreateArray();
		save_tags(idx, queries->v[i], rec->string, tags, full);
		layers = cJSON_AddArrayToObject(dm, "Layers");
		cJSON_ArrayForEach (l, cJSON_GetObjectItemCaseSensitive(rec, "Layers")) {
			const char *d = ctr_json_str(l, "Digest");
			char *p;
			if (tar_add_blob(st, a, d, &done, err) < 0) {
				cJSON_Delete(full);
				goto out;
			}
			p = xasprintf("blobs/sha256/%s", ctr_digest_hex(d));
			cJSON_AddItemToArray(layers, cJSON_CreateString(p));
			free(p);
		}
		/* one OCI descriptor per name (or one without a name) */
		for (int k = 0; k < (cJSON_GetArraySize(full) ? cJSON_GetArraySize(full) : 1);
		     k++) {
			cleanup_free char *mpath = ctr_blob_path(st, md);
			struct stat sb;
			cJSON *desc = cJSON_CreateObject(), *ann;
			cJSON_AddStringToObject(desc, "mediaType",
			                        ctr_json_str(rec, "ManifestMediaType"));
			cJSON_AddStringToObject(desc, "digest", md);
			cJSON_AddNumberToObject(desc, "size",
			                        stat(mpath, &sb) == 0 ? (double)sb.st_size : 0);
			f = cJSON_GetArrayItem(full, k);
			if (f) {
				const char *colon = strrchr(f->valuestring, ':');
				ann = cJSON_AddObjectToObject(desc, "annotations");
				cJSON_AddStringToObject(ann, "io.containerd.image.name",
				                        f->valuestring);
				cJSON_AddStringToObject(ann, "org.opencontainers.image.ref.name",
				                        colon ? colon + 1 : "latest");
			}
			cJSON_AddItemToArray(omanifests, desc);
		}
		cJSON_Delete(full);
	}
	{
		cleanup_free char *m = cJSON_PrintUnformatted(dmanifest);
		cleanup_free char *o = cJSON_PrintUnformatted(oindex);
		static const char layout[] = "{\"imageLayoutVersion\":\"1.0.0\"}";
		if (tar_add_bytes(a, "index.json", o, strlen(o), err) < 0 ||
		    tar_add_bytes(a, "manifest.json", m, strlen(m), err) < 0 ||
		    tar_add_bytes(a, "oci-layout", layout, strlen(layout), err) < 0)
			goto out;
	}
	if (archive_write_close(a) != ARCHIVE_OK) {
		ctr_fail(err, E_IO, "cannot write %s: %s", out_path, archive_error_string(a));
		goto out;
	}
	if (tmp && (fsync(fd) < 0 || rename(tmp, out_path) < 0)) {
		ctr_fail_errno(err, E_IO, errno, "cannot write %s", out_path);
		goto out;
	}
	rc = 0;
out:
	ctr_unlock(lock);
out_nolock:
	if (rc < 0 && tmp)
		unlink(tmp);
	archive_write_free(a);
	cJSON_Delete(idx);
	cJSON_Delete(dmanifest);
	cJSON_Delete(oindex);
	strv_release(&done);
	return rc;
}

/* ---- load ---------------------------------------------------------------- */

struct loaded_file {
	char *name; /* clean archive name */
	char digest[CTR_DIGEST_BUF];
	bool existed; /* the blob was in the store before the load */
};

struct load_ctx {
	const struct ctr_store *st;
	struct loaded_file *files;
	size_t n;
	struct strv used; /* blob digests referenced by loaded images */
};

static const char *file_digest(struct load_ctx *lc, const char *name)
{
	while (str_startswith(name, "./"))
		name += 2;
	for (size_t i = 0; i < lc->n; i++)
		if (!strcmp(lc->files[i].name, name))
			return lc->files[i].digest;
	return NULL;
}

static cJSON *load_json_file(struct load_ctx *lc, const char *name)
{
	const char *d = file_digest(lc, name);
	cleanup_free char *text = NULL;
	size_t len;
	struct ctr_err e;

	if (!d || ctr_blob_read(lc->st, d, &text, &len, &e) < 0)
		return NULL;
	return cJSON_ParseWithLength(text, len);
}

/* Stream every regular file of the archive into the content store. */
static int load_files(struct load_ctx *lc, const char *path, struct ctr_err *err)
{
	struct archive *a = archive_read_new();
	struct archive_entry *e;
	char buf[65536];
	int r, rc = -1;

	archive_read_support_filter_all(a);
	archive_read_support_format_tar(a);
	r = strcmp(path, "-") == 0 ? archive_read_open_fd(a, STDIN_FILENO, 65536)
	                           : archive_read_open_filename(a, path, 65536);
	if (r != ARCHIVE_OK) {
		ctr_fail(err, E_IO, "cannot read %s: %s", path, archive_error_string(a));
		goto out;
	}
	while ((r = archive_read_next_header(a, &e)) == ARCHIVE_OK || r == ARCHIVE_WARN) {
		const char *name = archive_entry_pathname(e);
		const char *expected = NULL;
		cleanup_free char *exp = NULL;
		struct ctr_blob_writer *w;
		struct loaded_file *f;
		la_ssize_t n;

		if (archive_entry_filetype(e) != AE_IFREG || !name)
			continue;
		while (str_startswith(name, "./"))
			name += 2;
		if (str_startswith(name, "blobs/sha256/")) {
			exp = xasprintf("sha256:%s", name + 13);
			if (!ctr_digest_valid(exp)) {
				ctr_fail(err, E_CORRUPT, "%s: bad blob name %s", path, name);
				goto out;
			}
			expected = exp;
		}
		if (expected && ctr_blob_exists(lc->st, expected)) {
			archive_read_data_skip(a);
		} else {
			if (ctr_blob_writer_open(lc->st, expected, &w, err) < 0)
				goto out;
			while ((n = archive_read_data(a, buf, sizeof(buf))) > 0)
				if (ctr_blob_writer_write(w, buf, (size_t)n, err) < 0) {
					ctr_blob_writer_abort(w);
					goto out;
				}
			if (n < 0) {
				ctr_blob_writer_abort(w);
				ctr_fail(err, E_CORRUPT, "%s: %s", path, archive_error_string(a));
				goto out;
			}
			lc->files = xrealloc(lc->files, (lc->n + 1) * sizeof(*lc->files));
			f = &lc->files[lc->n];
			memset(f, 0, sizeof(*f));
			if (ctr_blob_writer_commit(w, f->digest, err) < 0)
				goto out;
			f->name = xstrdup(name);
			lc->n++;
			continue;
		}
		lc->files = xrealloc(lc->files, (lc->n + 1) * sizeof(*lc->files));
		f = &lc->files[lc->n++];
		f->name = xstrdup(name);
		f->existed = true;
		snprintf(f->digest, sizeof(f->digest), "%s", expected);
	}
	if (r != ARCHIVE_EOF) {
		ctr_fail(err, E_CORRUPT, "cannot read %s: %s", path, archive_error_string(a));
		goto out;
	}
	rc = 0;
out:
	archive_read_free(a);
	return rc;
}

/* Extract the layers of config blob `cdigest` from `layer_digests`. */
static int load_layers(struct load_ctx *lc, const char *cdigest, const struct strv *layer_digests,
                       struct ctr_err *err)
{
	cleanup_free char *text = NULL;
	size_t len;
	cJSON *c;
	const cJSON *diffs, *d;
	size_t i = 0;
	int rc = 0;

	if (ctr_blob_read(lc->st, cdigest, &text, &len, err) < 0)
		return -1;
	c = cJSON_ParseWithLength(text, len);
	diffs = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(c, "rootfs"),
	                                         "diff_ids");
	if ((size_t)cJSON_GetArraySize(diffs) != layer_digests->n) {
		cJSON_Delete(c);
		return ctr_fail(err, E_CORRUPT, "image %s: %d diff_ids for %zu layers", cdigest,
		                cJSON_GetArraySize(diffs), layer_digests->n);
	}
	cJSON_ArrayForEach (d, diffs) {
		const char *ld = layer_digests->v[i++];
		struct ctr_layer_opts o = {.expected_diffid =
		                               cJSON_IsString(d) ? d->valuestring : NULL};
		cleanup_free char *p = ctr_blob_path(lc->st, ld);

		strv_push(&lc->used, ld);
		if (!o.expected_diffid) {
			rc = ctr_fail(err, E_CORRUPT, "image %s: bad diff_id", cdigest);
			break;
		}
		if (ctr_layer_exists(lc->st, o.expected_diffid))
			continue;
		if (!p || ctr_layer_extract_file(lc->st, p, &o, NULL, err) < 0) {
			rc = -1;
			break;
		}
	}
	cJSON_Delete(c);
	return rc;
}

static int load_from_index(struct load_ctx *lc, cJSON *index, struct strv *loaded,
                           struct ctr_err *err)
{
	const cJSON *desc;

	cJSON_ArrayForEach (desc, cJSON_GetObjectItemCaseSensitive(index, "manifests")) {
		const char *md = ctr_json_str(desc, "digest");
		const cJSON *ann = cJSON_GetObjectItemCaseSensitive(desc, "annotations");
		const char *name = ctr_json_str(ann, "io.containerd.image.name");
		const cJSON *plat = cJSON_GetObjectItemCaseSensitive(desc, "platform");
		cleanup_free char *text = NULL;
		size_t len;
		cJSON *m;
		const cJSON *l;
		struct strv layers;
		char id[CTR_DIGEST_BUF];
		int rc;

		if (plat &&
		    (strcmp(ctr_json_str(plat, "os") ? ctr_json_str(plat, "os") : "", "linux") ||
		     strcmp(ctr_json_str(plat, "architecture") ? ctr_json_str(plat, "architecture")
		                                               : "",
		            image_host_arch())))
			continue; /* another platform's image */
		if (!name) {
			/* an OCI layout names images by ref.name: use it if it is a reference */
			struct ctr_ref r = {0};
			struct ctr_err e;
			const char *rn = ctr_json_str(ann, "org.opencontainers.image.ref.name");
			if (rn && ctr_ref_parse(rn, &r, &e) == 0)
				name = rn;
			ctr_ref_free(&r);
		}
		if (!md || ctr_blob_read(lc->st, md, &text, &len, err) < 0)
			return ctr_err_wrap(err, "index.json");
		m = cJSON_ParseWithLength(text, len);
		if (cJSON_GetObjectItemCaseSensitive(m, "manifests")) {
			/* a nested index: take what it lists */
			strv_push(&lc->used, md);
			rc = load_from_index(lc, m, loaded, err);
			cJSON_Delete(m);
			if (rc < 0)
				return -1;
			continue;
		}
		strv_init(&layers);
		cJSON_ArrayForEach (l, cJSON_GetObjectItemCaseSensitive(m, "layers")) {
			const char *ld = ctr_json_str(l, "digest");
			strv_push(&layers, ld ? ld : "");
		}
		{
			const char *cd =
			    ctr_json_str(cJSON_GetObjectItemCaseSensitive(m, "config"), "digest");
			rc = cd ? load_layers(lc, cd, &layers, err)
			        : ctr_fail(err, E_CORRUPT, "manifest %s has no config", md);
			if (cd)
				strv_push(&lc->used, cd);
		}
		strv_push(&lc->used, md);
		strv_release(&layers);
		cJSON_Delete(m);
		if (rc < 0 || ctr_image_add(lc->st, name, md, false, id, err) < 0)
			return -1;
		if (name) {
			struct ctr_ref r = {0};
			struct ctr_err e;
			char *fam =
			    ctr_ref_parse(name, &r, &e) == 0 ? ctr_ref_familiar(&r) : xstrdup(name);
			strv_push_owned(loaded, xasprintf("Loaded image: %s", fam));
			free(fam);
			ctr_ref_free(&r);
		} else {
			strv_push_owned(loaded, xasprintf("Loaded image ID: %s", id));
		}
	}
	return 0;
}

static int load_from_docker_manifest(struct load_ctx *lc, cJSON *dm, struct strv *loaded,
                                     struct ctr_err *err)
{
	const cJSON *img;

	cJSON_ArrayForEach (img, dm) {
		const char *cd =
		    file_digest(lc, ctr_json_str(img, "Config") ? ctr_json_str(img, "Config") : "");
		const cJSON *l, *t;
		struct strv digests, types;
		char md[CTR_DIGEST_BUF], id[CTR_DIGEST_BUF];
		int rc = 0;

		if (!cd)
			return ctr_fail(
			    err, E_CORRUPT, "manifest.json: config %s is not in the archive",
			    ctr_json_str(img, "Config") ? ctr_json_str(img, "Config") : "?");
		strv_init(&digests);
		strv_init(&types);
		cJSON_ArrayForEach (l, cJSON_GetObjectItemCaseSensitive(img, "Layers")) {
			const char *ld = cJSON_IsString(l) ? file_digest(lc, l->valuestring) : NULL;
			cleanup_free char *p = NULL;
			const char *mt;
			if (!ld) {
				rc = ctr_fail(err, E_CORRUPT,
				              "manifest.json: layer %s is not in the archive",
				              cJSON_IsString(l) ? l->valuestring : "?");
				break;
			}
			p = ctr_blob_path(lc->st, ld);
			mt = image_layer_media_type(p);
			strv_push(&digests, ld);
			strv_push(&types, mt ? mt : "application/vnd.oci.image.layer.v1.tar");
		}
		if (rc == 0)
			rc = load_layers(lc, cd, &digests, err);
		strv_push(&lc->used, cd);
		if (rc == 0)
			rc = image_manifest_create(lc->st, cd, &digests, &types, md, err);
		strv_release(&digests);
		strv_release(&types);
		if (rc < 0)
			return -1;
		t = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(img, "RepoTags"), 0);
		if (ctr_image_add(lc->st, cJSON_IsString(t) ? t->valuestring : NULL, md, false, id,
		                  err) < 0)
			return -1;
		if (!cJSON_IsString(t))
			strv_push_owned(loaded, xasprintf("Loaded image ID: %s", id));
		cJSON_ArrayForEach (t, cJSON_GetObjectItemCaseSensitive(img, "RepoTags")) {
			if (!cJSON_IsString(t))
				continue;
			if (ctr_image_tag(lc->st, id, t->valuestring, err) < 0)
				return -1;
			strv_push_owned(loaded, xasprintf("Loaded image: %s", t->valuestring));
		}
	}
	return 0;
}

int ctr_image_load_impl(const struct ctr_store *st, const char *path, struct strv *loaded,
                        struct ctr_err *err)
{
	struct load_ctx lc = {.st = st};
	cJSON *index = NULL, *dm = NULL;
	int rc = -1;

	strv_init(&lc.used);
	if (load_files(&lc, path, err) < 0)
		goto out;
	dm = load_json_file(&lc, "manifest.json");
	index = load_json_file(&lc, "index.json");
	/* index.json keeps the original manifests (and their digests): prefer it */
	if (index && cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(index, "manifests")))
		rc = load_from_index(&lc, index, loaded, err);
	else if (dm && cJSON_IsArray(dm))
		rc = load_from_docker_manifest(&lc, dm, loaded, err);
	else
		rc = ctr_fail(err, E_INVALID_ARG,
		              "%s is not an image archive (no manifest.json or index.json)",
		              strcmp(path, "-") ? path : "stdin");
out:
	/* drop what the archive brought and no image uses */
	for (size_t i = 0; i < lc.n; i++) {
		struct ctr_err e;
		if (!lc.files[i].existed && !strv_contains(&lc.used, lc.files[i].digest)) {
			bool shared = false;
			for (size_t k = 0; k < lc.n; k++)
				if (k != i && lc.files[k].existed &&
				    !strcmp(lc.files[k].digest, lc.files[i].digest))
					shared = true;
			if (!shared)
				ctr_blob_remove(st, lc.files[i].digest, &e);
		}
		free(lc.files[i].name);
	}
	free(lc.files);
	strv_release(&lc.used);
	cJSON_Delete(index);
	cJSON_Delete(dm);
	return rc;
}
