/*
 * blob.c - the content store's read side: blobs/sha256/<hex> and
 * layers/<hex>, found, read, sized and removed by digest.
 *
 * Writing a blob or a layer hashes it (blob_write.c, layer.c) and needs
 * OpenSSL and libarchive; those live in containr-ext.so, which the engine
 * binary loads only for the commands that write images (src/ext/ext.h).
 * Everything here is plain file access, so `run`, `ps` or `rmi` never pay
 * for loading them.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "containr/image.h"
#include "containr/log.h"
#include "containr/reference.h"
#include "image/image_int.h"

int image_tmp_dir(const struct ctr_store *st, char **out, struct ctr_err *err)
{
	char *dir = ctr_path_join(st->root, "tmp");

	if (ctr_mkdir_p(dir, 0700, err) < 0) {
		free(dir);
		return -1;
	}
	*out = dir;
	return 0;
}

char *ctr_blob_path(const struct ctr_store *st, const char *digest)
{
	if (!digest || !ctr_digest_valid(digest))
		return NULL;
	return xasprintf("%s/blobs/sha256/%s", st->root, ctr_digest_hex(digest));
}

bool ctr_blob_exists(const struct ctr_store *st, const char *digest)
{
	cleanup_free char *p = ctr_blob_path(st, digest);

	return p && access(p, F_OK) == 0;
}

int ctr_blob_read(const struct ctr_store *st, const char *digest, char **data, size_t *len,
                  struct ctr_err *err)
{
	cleanup_free char *p = ctr_blob_path(st, digest);

	if (!p)
		return ctr_fail(err, E_INVALID_ARG, "invalid digest %s",
		                digest ? digest : "(null)");
	if (ctr_read_file(p, data, len, err) < 0) {
		if (err && err->code == E_NOT_FOUND)
			ctr_fail(err, E_NOT_FOUND, "blob %s is not in the local store", digest);
		return -1;
	}
	return 0;
}

int ctr_blob_remove(const struct ctr_store *st, const char *digest, struct ctr_err *err)
{
	cleanup_free char *p = ctr_blob_path(st, digest);

	if (!p)
		return ctr_fail(err, E_INVALID_ARG, "invalid digest %s",
		                digest ? digest : "(null)");
	if (unlink(p) < 0 && errno != ENOENT)
		return ctr_fail_errno(err, E_IO, errno, "cannot remove %s", p);
	return 0;
}

/* ---- layers ------------------------------------------------------------- */

char *ctr_layer_path(const struct ctr_store *st, const char *diffid)
{
	if (!diffid || !ctr_digest_valid(diffid))
		return NULL;
	return xasprintf("%s/layers/%s", st->root, ctr_digest_hex(diffid));
}

bool ctr_layer_exists(const struct ctr_store *st, const char *diffid)
{
	cleanup_free char *p = ctr_layer_path(st, diffid);
	struct stat sb;

	return p && stat(p, &sb) == 0 && S_ISDIR(sb.st_mode);
}

int64_t ctr_layer_size(const struct ctr_store *st, const char *diffid)
{
	cleanup_free char *p = NULL;
	cleanup_free char *text = NULL;
	size_t len;
	struct ctr_err ignore;
	cJSON *j, *s;
	int64_t size = -1;

	if (!diffid || !ctr_digest_valid(diffid))
		return -1;
	p = xasprintf("%s/layers/%s.json", st->root, ctr_digest_hex(diffid));
	if (ctr_read_file(p, &text, &len, &ignore) < 0)
		return -1;
	j = cJSON_Parse(text);
	s = cJSON_GetObjectItemCaseSensitive(j, "size");
	if (cJSON_IsNumber(s))
		size = (int64_t)s->valuedouble;
	cJSON_Delete(j);
	return size;
}

int ctr_layer_remove(const struct ctr_store *st, const char *diffid, struct ctr_err *err)
{
	cleanup_free char *p = ctr_layer_path(st, diffid);
	cleanup_free char *meta = NULL;
	cleanup_free char *tmp = NULL;
	cleanup_free char *grave = NULL;
	int rc;

	if (!p)
		return ctr_fail(err, E_INVALID_ARG, "invalid diff_id %s",
		                diffid ? diffid : "(null)");
	meta = xasprintf("%s.json", p);
	/* rename first, so the layer vanishes atomically, then delete at leisure */
	if (image_tmp_dir(st, &tmp, err) < 0)
		return -1;
	grave = xasprintf("%s/rm-%s", tmp, ctr_digest_hex(diffid));
	rc = rename(p, grave);
	if (rc < 0 && (errno == ENOTEMPTY || errno == EEXIST)) {
		/* a grave left by an interrupted removal: finish that one first */
		if (ctr_rm_rf(grave, err) < 0)
			return -1;
		rc = rename(p, grave);
	}
	if (rc < 0) {
		if (errno == ENOENT) {
			unlink(meta);
			return 0;
		}
		return ctr_fail_errno(err, E_IO, errno, "cannot remove layer %s", p);
	}
	unlink(meta);
	return ctr_rm_rf(grave, err);
}
