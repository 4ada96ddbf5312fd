/*
 * blob_write.c - writing the content store: blobs/sha256/<hex>, verified
 * on write.
 *
 * A blob is written through a streaming writer: bytes go to a temp file in
 * <root>/tmp while SHA-256 (OpenSSL EVP) is computed, and commit renames
 * the file into blobs/sha256/ only if the digest is the expected one.  The
 * rename is atomic on the same filesystem, so a reader never sees a partial
 * blob under its final name, and a crash leaves at most a temp file, which
 * the writer holds an flock on while it lives (ctr_image_tmp_gc removes it
 * once nobody does).
 * Part of containr-ext.so (OpenSSL); lookups are in blob.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "containr/image.h"
#include "containr/log.h"
#include "containr/reference.h"
#include "image/image_int.h"

struct ctr_blob_writer {
	int fd;
	char *tmp_path;
	char *blobs_dir;
	char expected[CTR_DIGEST_BUF];
	EVP_MD_CTX *md;
	uint64_t size;
};

void image_sha256_init(EVP_MD_CTX **md)
{
	*md = EVP_MD_CTX_new();
	if (!*md || EVP_DigestInit_ex(*md, EVP_sha256(), NULL) != 1) {
		fprintf(stderr, "containr: cannot initialise SHA-256\n");
		abort();
	}
}

void image_sha256_final(EVP_MD_CTX *md, char out[CTR_DIGEST_BUF])
{
	unsigned char bin[EVP_MAX_MD_SIZE];
	unsigned int n = 0;

	EVP_DigestFinal_ex(md, bin, &n);
	memcpy(out, "sha256:", 7);
	for (unsigned int i = 0; i < n && i < 32; i++)
		snprintf(out + 7 + 2 * i, 3, "%02x", bin[i]);
	out[7 + 64] = '\0';
}

void ctr_digest_buf(const void *data, size_t len, char out[CTR_DIGEST_BUF])
{
	EVP_MD_CTX *md;

	image_sha256_init(&md);
	EVP_DigestUpdate(md, data, len);
	image_sha256_final(md, out);
	EVP_MD_CTX_free(md);
}

int ctr_blob_writer_open(const struct ctr_store *st, const char *expected,
                         struct ctr_blob_writer **out, struct ctr_err *err)
{
	cleanup_free char *tmpdir = NULL;
	struct ctr_blob_writer *w;

	if (expected && !ctr_digest_valid(expected))
		return ctr_fail(err, E_INVALID_ARG, "invalid digest %s", expected);
	if (image_tmp_dir(st, &tmpdir, err) < 0)
		return -1;
	w = xcalloc(1, sizeof(*w));
	w->blobs_dir = ctr_path_join(st->root, "blobs/sha256");
	if (ctr_mkdir_p(w->blobs_dir, 0700, err) < 0) {
		free(w->blobs_dir);
		free(w);
		return -1;
	}
	for (int tries = 0;; tries++) {
		w->tmp_path = xasprintf("%s/blob-XXXXXX", tmpdir);
		w->fd = mkostemp(w->tmp_path, O_CLOEXEC);
		if (w->fd >= 0 && image_tmp_claim(w->fd, w->tmp_path) == 0)
			break;
		if (w->fd < 0 || errno != ESTALE || tries == 3) {
			ctr_fail_errno(err, E_IO, errno, "cannot create a temp file in %s", tmpdir);
			if (w->fd >= 0) {
				unlink(w->tmp_path);
				close(w->fd);
			}
			free(w->tmp_path);
			free(w->blobs_dir);
			free(w);
			return -1;
		}
		close(w->fd); /* a cleaner took it: make another */
		free(w->tmp_path);
	}
	fchmod(w->fd, 0644);
	if (expected)
		snprintf(w->expected, sizeof(w->expected), "%s", expected);
	image_sha256_init(&w->md);
	*out = w;
	return 0;
}

int ctr_blob_writer_write(struct ctr_blob_writer *w, const void *buf, size_t len,
                          struct ctr_err *err)
{
	const char *p = buf;
	size_t left = len;

	EVP_DigestUpdate(w->md, buf, len);
	while (left > 0) {
		ssize_t n = write(w->fd, p, left);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return ctr_fail_errno(err, E_IO, errno, "cannot write %s", w->tmp_path);
		}
		p += n;
		left -= (size_t)n;
	}
	w->size += len;
	return 0;
}

uint64_t ctr_blob_writer_size(const struct ctr_blob_writer *w)
{
	return w->size;
}

static void blob_writer_free(struct ctr_blob_writer *w, bool unlink_tmp)
{
	/* unlink while the fd (and its lock) is held */
	if (unlink_tmp && w->tmp_path)
		unlink(w->tmp_path);
	if (w->fd >= 0)
		close(w->fd);
	EVP_MD_CTX_free(w->md);
	free(w->tmp_path);
	free(w->blobs_dir);
	free(w);
}

void ctr_blob_writer_abort(struct ctr_blob_writer *w)
{
	if (w)
		blob_writer_free(w, true);
}

int ctr_blob_writer_commit(struct ctr_blob_writer *w, char digest_out[CTR_DIGEST_BUF],
                           struct ctr_err *err)
{
	char got[CTR_DIGEST_BUF];
	cleanup_free char *final = NULL;

	image_sha256_final(w->md, got);
	if (w->expected[0] && strcmp(w->expected, got) != 0) {
		ctr_fail(err, E_DIGEST, "digest mismatch: expected %s, got %s (%llu bytes)",
		         w->expected, got, (unsigned long long)w->size);
		ctr_hint(err, "the content was corrupted or changed in transit; try again");
		blob_writer_free(w, true);
		return -1;
	}
	if (fsync(w->fd) < 0) {
		ctr_fail_errno(err, E_IO, errno, "cannot fsync %s", w->tmp_path);
		blob_writer_free(w, true);
		return -1;
	}
	final = xasprintf("%s/%s", w->blobs_dir, ctr_digest_hex(got));
	ctr_explain("rename", "the digest matched: publish the blob atomically", "%s -> %s",
	            w->tmp_path, final);
	if (rename(w->tmp_path, final) < 0) {
		ctr_fail_errno(err, E_IO, errno, "cannot store blob %s", final);
		blob_writer_free(w, true);
		return -1;
	}
	if (digest_out)
		memcpy(digest_out, got, CTR_DIGEST_BUF);
	blob_writer_free(w, false);
	return 0;
}

int ctr_blob_put(const struct ctr_store *st, const void *data, size_t len, const char *expected,
                 char digest_out[CTR_DIGEST_BUF], struct ctr_err *err)
{
	struct ctr_blob_writer *w;

	if (ctr_blob_writer_open(st, expected, &w, err) < 0)
		return -1;
	if (ctr_blob_writer_write(w, data, len, err) < 0) {
		ctr_blob_writer_abort(w);
		return -1;
	}
	return ctr_blob_writer_commit(w, digest_out, err);
}
