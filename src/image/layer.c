/*
 * layer.c - layers/<diffid-hex>/: streaming decompression, diff_id and
 * extraction, with a push API for downloads.
 *
 * Two libarchive readers are chained in one thread:
 *   bytes -> [raw reader: gzip/zstd/xz/none filters] -> uncompressed stream
 *         -> SHA-256 (diff_id) -> [tar reader] -> extract.c
 * The tar reader's read callback pulls decompressed blocks straight from the
 * raw reader (no copy) and hashes them on the way, so the diff_id covers the
 * whole uncompressed stream (tar padding included, drained at the end).
 *
 * The push API (ctr_layer_writer_*) runs that chain in a worker thread that
 * reads from a socketpair; ctr_layer_writer_write() sends into it.  If the
 * extraction fails, the worker closes its end, the next write gets EPIPE and
 * returns the worker's error.  A socketpair rather than a pipe, so send()
 * can use MSG_NOSIGNAL instead of raising SIGPIPE.
 *
 * A layer is extracted under <root>/tmp/layer-XXXXXX (flocked while the job
 * lives, see ctr_image_tmp_gc) and renamed to layers/<hex> only once
 * complete and verified; any failure removes it.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>
#include <linux/magic.h>

#include "containr/log.h"
#include "containr/reference.h"
#include "image/image_int.h"

#define SRC_BUF (128 * 1024)

struct layer_job {
	char *root;
	char *tmpdir;
	int dirfd;
	char expected[CTR_DIGEST_BUF];
	const char *label;
	/* chain */
	int src_fd;
	char *srcbuf;
	struct archive *raw;
	bool raw_eof;
	EVP_MD_CTX *diff_md;
	uint64_t usize;
	struct ctr_blob_writer *tee;
	bool tee_failed;
	struct ctr_err tee_err;
	/* result */
	char diffid[CTR_DIGEST_BUF];
	struct ctr_err err;
	int rc;
};

static la_ssize_t raw_read_cb(struct archive *a, void *ud, const void **buf)
{
	struct layer_job *j = ud;

	for (;;) {
		ssize_t n = read(j->src_fd, j->srcbuf, SRC_BUF);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			archive_set_error(a, errno, "read: %s", strerror(errno));
			return -1;
		}
		*buf = j->srcbuf;
		return n;
	}
}

/* Next decompressed block (0 at the end), hashed and teed on the way. */
static la_ssize_t pull_uncompressed(struct layer_job *j, const void **buf, const char **errmsg)
{
	size_t size = 0;
	la_int64_t off;
	int r;

	if (j->raw_eof)
		return 0;
	r = archive_read_data_block(j->raw, buf, &size, &off);
	if (r == ARCHIVE_EOF) {
		j->raw_eof = true;
		return 0;
	}
	if (r != ARCHIVE_OK && r != ARCHIVE_WARN) {
		*errmsg = archive_error_string(j->raw);
		return -1;
	}
	EVP_DigestUpdate(j->diff_md, *buf, size);
	j->usize += size;
	if (j->tee && !j->tee_failed && ctr_blob_writer_write(j->tee, *buf, size, &j->tee_err) < 0)
		j->tee_failed = true;
	return (la_ssize_t)size;
}

static la_ssize_t tar_read_cb(struct archive *a, void *ud, const void **buf)
{
	const char *msg = NULL;
	la_ssize_t n = pull_uncompressed(ud, buf, &msg);

	if (n < 0)
		archive_set_error(a, EIO, "decompression failed: %s", msg ? msg : "unknown error");
	return n;
}

static void job_free(struct layer_job *j, bool remove_tmp)
{
	/* remove while the dir fd (and its lock) is held */
	if (remove_tmp && j->tmpdir) {
		struct ctr_err ignore;
		ctr_rm_rf(j->tmpdir, &ignore);
	}
	if (j->dirfd >= 0)
		close(j->dirfd);
	j->dirfd = -1;
	ctr_blob_writer_abort(j->tee);
	j->tee = NULL;
	if (j->diff_md)
		EVP_MD_CTX_free(j->diff_md);
	j->diff_md = NULL;
	free(j->srcbuf);
	free(j->tmpdir);
	free(j->root);
	j->srcbuf = j->tmpdir = j->root = NULL;
}

static int job_init(const struct ctr_store *st, const struct ctr_layer_opts *opts,
                    const char *label, struct layer_job *j, struct ctr_err *err)
{
	cleanup_free char *tmp = NULL;

	memset(j, 0, sizeof(*j));
	j->dirfd = -1;
	j->label = label;
	if (opts && opts->expected_diffid) {
		if (!ctr_digest_valid(opts->expected_diffid))
			return ctr_fail(err, E_INVALID_ARG, "invalid diff_id %s",
			                opts->expected_diffid);
		snprintf(j->expected, sizeof(j->expected), "%s", opts->expected_diffid);
	}
	if (image_tmp_dir(st, &tmp, err) < 0)
		return -1;
	j->root = xstrdup(st->root);
	for (int tries = 0;; tries++) {
		j->tmpdir = xasprintf("%s/layer-XXXXXX", tmp);
		if (!mkdtemp(j->tmpdir)) {
			ctr_fail_errno(err, E_IO, errno, "cannot create a temp dir in %s", tmp);
			free(j->tmpdir);
			j->tmpdir = NULL;
			job_free(j, false);
			return -1;
		}
		chmod(j->tmpdir, 0755);
		j->dirfd = open(j->tmpdir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		/* the lock tells ctr_image_tmp_gc() that a live process works here */
		if (j->dirfd >= 0 && image_tmp_claim(j->dirfd, j->tmpdir) == 0)
			break;
		if (j->dirfd < 0 || errno != ESTALE || tries == 3) {
			ctr_fail_errno(err, E_IO, errno, "cannot open %s", j->tmpdir);
			job_free(j, true);
			return -1;
		}
		close(j->dirfd); /* a cleaner took it: make another */
		j->dirfd = -1;
		free(j->tmpdir);
	}
	if (opts && opts->store_tar &&
	    ctr_blob_writer_open(st, j->expected[0] ? j->expected : NULL, &j->tee, err) < 0) {
		job_free(j, true);
		return -1;
	}
	image_sha256_init(&j->diff_md);
	j->srcbuf = xmalloc(SRC_BUF);
	return 0;
}

/* Decompress, hash and extract everything readable from `fd`. */
static int job_run(struct layer_job *j, int fd, struct ctr_err *err)
{
	struct archive *tar = NULL;
	struct archive_entry *e;
	struct image_extract *x = NULL;
	const void *buf;
	const char *msg = NULL;
	la_ssize_t n;
	int rc = -1;

	j->src_fd = fd;
	j->raw = archive_read_new();
	archive_read_support_filter_all(j->raw);
	archive_read_support_format_raw(j->raw);
	if (archive_read_open(j->raw, j, NULL, raw_read_cb, NULL) != ARCHIVE_OK) {
		ctr_fail(err, E_CORRUPT, "%s: cannot read layer: %s", j->label,
		         archive_error_string(j->raw));
		goto out;
	}
	if (archive_read_next_header(j->raw, &e) != ARCHIVE_OK) {
		ctr_fail(err, E_CORRUPT, "%s: cannot read layer: %s", j->label,
		         archive_error_string(j->raw) ? archive_error_string(j->raw)
		                                      : "empty input");
		goto out;
	}
	ctr_debug("layer compression", "layer", j->label, "filter", archive_filter_name(j->raw, 0));
	tar = archive_read_new();
	archive_read_support_format_tar(tar);
	if (archive_read_open(tar, j, NULL, tar_read_cb, NULL) != ARCHIVE_OK) {
		ctr_fail(err, E_CORRUPT, "%s: not a tar archive: %s", j->label,
		         archive_error_string(tar));
		goto out;
	}
	ctr_explain("extract", "unpack the layer once, in overlayfs form, refusing unsafe entries",
	            "%s (%s) -> %s", j->label, archive_filter_name(j->raw, 0), j->tmpdir);
	x = image_extract_new(j->dirfd, j->label);
	/* file data on disk first, then the directory metadata, the root's last */
	if (image_extract_archive(x, tar, err) < 0 || image_extract_sync(x, err) < 0 ||
	    image_extract_finish(x, err) < 0)
		goto out;
	/* the rest of the stream (end-of-archive padding) counts for the diff_id */
	while ((n = pull_uncompressed(j, &buf, &msg)) > 0)
		;
	if (n < 0) {
		ctr_fail(err, E_CORRUPT, "%s: decompression failed: %s", j->label,
		         msg ? msg : "unknown error");
		goto out;
	}
	if (j->tee_failed) {
		*err = j->tee_err;
		goto out;
	}
	image_sha256_final(j->diff_md, j->diffid);
	rc = 0;
out:
	image_extract_free(x);
	if (tar)
		archive_read_free(tar);
	archive_read_free(j->raw);
	j->raw = NULL;
	return rc;
}

static int write_layer_meta(const char *root, const char *hex, uint64_t size, struct ctr_err *err)
{
	cleanup_free char *path = xasprintf("%s/layers/%s.json", root, hex);
	cleanup_free char *text = xasprintf("{\"size\": %llu}\n", (unsigned long long)size);

	return ctr_write_file_atomic(path, text, strlen(text), 0644, err);
}

/*
 * Make the extracted layer durable before it gets its final name.  The file
 * data is already on disk (image_extract_sync).  On ext4 and xfs one fsync
 * commits the journal up to that inode's last change, and with it every
 * earlier metadata change of the filesystem; the layer root's mode and
 * mtime are set last (image_extract_finish), so fsync(root) covers the whole
 * layer without writing back other processes' dirty data as syncfs() does.
 * Elsewhere (btrfs logs per inode, unknown filesystems) syncfs() it is.
 */
static void layer_durable(struct layer_job *j)
{
	struct statfs sf;

	if (fstatfs(j->dirfd, &sf) == 0 &&
	    (sf.f_type == EXT4_SUPER_MAGIC || sf.f_type == XFS_SUPER_MAGIC)) {
		ctr_explain("fsync", "commit the journal: the layer's data is already on disk",
		            "%s", j->tmpdir);
		if (fsync(j->dirfd) == 0)
			return;
	}
	ctr_explain("syncfs", "flush the filesystem before publishing the layer", "%s", j->tmpdir);
	syncfs(j->dirfd);
}

/* Verify the diff_id and move the layer into place.  Frees the job. */
static int job_commit(struct layer_job *j, char diffid_out[CTR_DIGEST_BUF], struct ctr_err *err)
{
	cleanup_free char *layers = NULL;
	cleanup_free char *final = NULL;
	const char *hex = ctr_digest_hex(j->diffid);

	if (j->expected[0] && strcmp(j->expected, j->diffid) != 0) {
		ctr_fail(err, E_DIGEST, "layer diff_id mismatch: expected %s, got %s", j->expected,
		         j->diffid);
		ctr_hint(err,
		         "the layer content does not match the image config; the image is corrupt");
		job_free(j, true);
		return -1;
	}
	if (j->tee) {
		struct ctr_blob_writer *t = steal_pointer(&j->tee);
		if (ctr_blob_writer_commit(t, NULL, err) < 0) {
			job_free(j, true);
			return -1;
		}
	}
	layers = xasprintf("%s/layers", j->root);
	if (ctr_mkdir_p(layers, 0700, err) < 0) {
		job_free(j, true);
		return -1;
	}
	final = xasprintf("%s/%s", layers, hex);
	if (access(final, F_OK) == 0) {
		/* already extracted (shared layer, or a concurrent pull won) */
		job_free(j, true);
	} else {
		layer_durable(j);
		if (write_layer_meta(j->root, hex, j->usize, err) < 0) {
			job_free(j, true);
			return -1;
		}
		ctr_explain("rename", "publish the complete layer atomically under its diff_id",
		            "%s -> %s", j->tmpdir, final);
		if (rename(j->tmpdir, final) < 0) {
			int e = errno;
			if (e != EEXIST && e != ENOTEMPTY) {
				ctr_fail_errno(err, E_IO, e, "cannot move layer into %s", final);
				job_free(j, true);
				return -1;
			}
			job_free(j, true);
		} else {
			job_free(j, false);
		}
	}
	if (diffid_out)
		memcpy(diffid_out, j->diffid, CTR_DIGEST_BUF);
	return 0;
}

int ctr_layer_extract_file_impl(const struct ctr_store *st, const char *path,
                                const struct ctr_layer_opts *opts, char diffid_out[CTR_DIGEST_BUF],
                                struct ctr_err *err)
{
	struct layer_job j;
	cleanup_close int fd = -1;

	fd = strcmp(path, "-") == 0 ? dup(STDIN_FILENO) : open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return ctr_fail_errno(err, E_IO, errno, "cannot open %s", path);
	if (job_init(st, opts, path, &j, err) < 0)
		return -1;
	if (job_run(&j, fd, err) < 0) {
		job_free(&j, true);
		return -1;
	}
	return job_commit(&j, diffid_out, err);
}

/* ---- push API ------------------------------------------------------------ */

struct ctr_layer_writer {
	struct layer_job job;
	int sock[2]; /* [0]: ours, [1]: the worker's */
	pthread_t thread;
	bool joined;
	EVP_MD_CTX *md; /* digest of the bytes as pushed */
};

static void *writer_thread(void *arg)
{
	struct ctr_layer_writer *w = arg;
	int fd = w->sock[1];
	char sink[16384];

	w->job.rc = job_run(&w->job, fd, &w->job.err);
	if (w->job.rc == 0) {
		/* take (and ignore) whatever follows the compressed stream */
		while (read(fd, sink, sizeof(sink)) > 0)
			;
	}
	close(fd);
	w->sock[1] = -1;
	return NULL;
}

int ctr_layer_writer_open(const struct ctr_store *st, const struct ctr_layer_opts *opts,
                          struct ctr_layer_writer **out, struct ctr_err *err)
{
	struct ctr_layer_writer *w = xcalloc(1, sizeof(*w));
	int r;

	if (job_init(st, opts, opts && opts->expected_diffid ? opts->expected_diffid : "layer",
	             &w->job, err) < 0) {
		free(w);
		return -1;
	}
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, w->sock) < 0) {
		ctr_fail_errno(err, E_IO, errno, "socketpair");
		job_free(&w->job, true);
		free(w);
		return -1;
	}
	image_sha256_init(&w->md);
	r = pthread_create(&w->thread, NULL, writer_thread, w);
	if (r != 0) {
		ctr_fail_errno(err, E_INTERNAL, r, "cannot start the extraction thread");
		close(w->sock[0]);
		close(w->sock[1]);
		EVP_MD_CTX_free(w->md);
		job_free(&w->job, true);
		free(w);
		return -1;
	}
	*out = w;
	return 0;
}

static void writer_join(struct ctr_layer_writer *w)
{
	if (w->sock[0] >= 0) {
		close(w->sock[0]);
		w->sock[0] = -1;
	}
	if (!w->joined) {
		pthread_join(w->thread, NULL);
		w->joined = true;
	}
}

int ctr_layer_writer_write(struct ctr_layer_writer *w, const void *buf, size_t len,
                           struct ctr_err *err)
{
	const char *p = buf;

	if (w->joined) {
		*err = w->job.err;
		return -1;
	}
	EVP_DigestUpdate(w->md, buf, len);
	while (len > 0) {
		ssize_t n = send(w->sock[0], p, len, MSG_NOSIGNAL);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EPIPE || errno == ECONNRESET) {
				writer_join(w);
				if (w->job.rc < 0)
					*err = w->job.err;
				else
					ctr_fail(err, E_IO, "layer extraction ended early");
				return -1;
			}
			return ctr_fail_errno(err, E_IO, errno, "cannot feed the layer extractor");
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static void writer_free(struct ctr_layer_writer *w)
{
	EVP_MD_CTX_free(w->md);
	free(w);
}

void ctr_layer_writer_abort(struct ctr_layer_writer *w)
{
	if (!w)
		return;
	if (!w->joined) {
		/* make the worker stop at once: its next read sees EOF */
		shutdown(w->sock[0], SHUT_RDWR);
	}
	writer_join(w);
	job_free(&w->job, true);
	writer_free(w);
}

int ctr_layer_writer_commit(struct ctr_layer_writer *w, char diffid_out[CTR_DIGEST_BUF],
                            char digest_out[CTR_DIGEST_BUF], struct ctr_err *err)
{
	int rc;

	writer_join(w);
	if (w->job.rc < 0) {
		*err = w->job.err;
		job_free(&w->job, true);
		writer_free(w);
		return -1;
	}
	if (digest_out)
		image_sha256_final(w->md, digest_out);
	rc = job_commit(&w->job, diffid_out, err);
	writer_free(w);
	return rc;
}
