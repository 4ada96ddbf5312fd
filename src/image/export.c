/*
 * export.c - `containr export`: a container's merged filesystem as a tar.
 *
 * The container's image layers plus its upper dir (as the top-most,
 * read-only layer, so its whiteouts hide what was deleted) are mounted as a
 * read-only overlay in a child process that first unshares its mount
 * namespace and makes "/" private: the mount is never visible on the host
 * and vanishes with the child, whatever happens.  The child walks the
 * merged tree with libarchive's disk reader and writes a pax tar (numeric
 * owners, hardlinks kept) to the output.  This works for a running
 * container too.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>

#include "containr/image.h"
#include "containr/container.h"
#include "containr/log.h"
#include "image/image_int.h"
#include "lib/json.h"

static int write_tree(const char *dir, int fd, struct ctr_err *err)
{
	struct archive *disk = archive_read_disk_new();
	struct archive *out = archive_write_new();
	struct archive_entry_linkresolver *lr = archive_entry_linkresolver_new();
	struct archive_entry *e = NULL, *spare = NULL;
	size_t dlen = strlen(dir);
	char buf[65536];
	int r, rc = -1;

	archive_entry_linkresolver_set_strategy(lr, ARCHIVE_FORMAT_TAR_PAX_RESTRICTED);
	archive_read_disk_set_symlink_physical(disk);
	archive_write_set_format_pax_restricted(out);
	if (archive_write_open_fd(out, fd) != ARCHIVE_OK ||
	    archive_read_disk_open(disk, dir) != ARCHIVE_OK) {
		ctr_fail(err, E_IO, "cannot export %s: %s", dir, archive_error_string(disk));
		goto out;
	}
	for (;;) {
		const char *p;
		e = archive_entry_new();
		r = archive_read_next_header2(disk, e);
		if (r == ARCHIVE_EOF)
			break;
		if (r != ARCHIVE_OK && r != ARCHIVE_WARN) {
			ctr_fail(err, E_IO, "cannot export: %s", archive_error_string(disk));
			goto out;
		}
		archive_read_disk_descend(disk);
		p = archive_entry_pathname(e);
		if (strlen(p) <= dlen + 1) {
			archive_entry_free(e);
			e = NULL;
			continue; /* the root itself */
		}
		{
			char *rel = xstrdup(p + dlen + 1);
			archive_entry_copy_pathname(e, rel);
			free(rel);
		}
		archive_entry_set_uname(e, NULL);
		archive_entry_set_gname(e, NULL);
		archive_entry_linkify(lr, &e, &spare);
		if (e) {
			bool data = archive_entry_filetype(e) == AE_IFREG &&
			            !archive_entry_hardlink(e) && archive_entry_size(e) > 0;
			if (archive_write_header(out, e) < ARCHIVE_WARN) {
				ctr_fail(err, E_IO, "cannot write the tar: %s",
				         archive_error_string(out));
				goto out;
			}
			if (data) {
				la_ssize_t n;
				while ((n = archive_read_data(disk, buf, sizeof(buf))) > 0)
					if (archive_write_data(out, buf, (size_t)n) < 0) {
						ctr_fail(err, E_IO, "cannot write the tar: %s",
						         archive_error_string(out));
						goto out;
					}
			}
			archive_entry_free(e);
			e = NULL;
		}
		if (spare) {
			archive_entry_free(spare);
			spare = NULL;
		}
	}
	if (archive_write_close(out) != ARCHIVE_OK) {
		ctr_fail(err, E_IO, "cannot write the tar: %s", archive_error_string(out));
		goto out;
	}
	rc = 0;
out:
	archive_entry_free(e);
	archive_entry_linkresolver_free(lr);
	archive_read_free(disk);
	archive_write_free(out);
	return rc;
}

/* In a child: private mount namespace, overlay, tar.  Returns the exit status. */
static int export_child(const struct strv *lowers, const char *mnt, int fd, int errfd)
{
	struct ctr_err err;

	ctr_err_clear(&err);
	ctr_explain("unshare", "mount the container's filesystem where only this process sees it",
	            "CLONE_NEWNS");
	if (unshare(CLONE_NEWNS) < 0) {
		ctr_fail_errno(&err, E_PERMISSION, errno, "cannot create a mount namespace");
		goto fail;
	}
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0) {
		ctr_fail_errno(&err, E_IO, errno, "cannot make / private");
		goto fail;
	}
	if (ctr_overlay_mount(lowers, NULL, NULL, mnt, &err) < 0 || write_tree(mnt, fd, &err) < 0)
		goto fail;
	return 0;
fail:
	if (write(errfd, &err, sizeof(err)) < 0) {
		/* the parent reports a generic failure */
	}
	return 1;
}

int ctr_container_export_impl(const struct ctr_store *st, const char *query, const char *out_path,
                              struct ctr_err *err)
{
	char cid[65];
	cleanup_free char *upper = NULL;
	cleanup_free char *tmpdir = NULL;
	cleanup_free char *mnt = NULL;
	cleanup_free char *tmpout = NULL;
	cleanup_close int fd = -1;
	struct ctr_container_record rec;
	const char *imgid;
	struct ctr_image img;
	struct strv lowers;
	struct stat sb;
	int pfd[2] = {-1, -1}, status = 0, rc = -1;
	pid_t pid;
	ssize_t n;

	memset(&img, 0, sizeof(img));
	strv_init(&lowers);
	if (ctr_store_resolve(st, CTR_KIND_CONTAINER, query, cid, err) < 0)
		return -1;
	if (ctr_container_record_load(st, cid, &rec, err) < 0)
		return -1;
	imgid = rec.image_id ? rec.image_id : rec.image;
	if (!imgid) {
		ctr_container_record_release(&rec);
		return ctr_fail(err, E_CORRUPT, "container %.12s has no image in its config", cid);
	}
	if (ctr_image_lookup(st, imgid, &img, err) < 0) {
		ctr_container_record_release(&rec);
		ctr_image_free(&img);
		return ctr_err_wrap(err, "container %.12s", cid);
	}
	ctr_container_record_release(&rec);
	for (size_t i = 0; i < img.layers.n; i++)
		strv_push(&lowers, img.layers.v[i]);
	ctr_image_free(&img);
	upper = ctr_store_obj_path(st, CTR_KIND_CONTAINER, cid, "upper");
	if (stat(upper, &sb) == 0 && S_ISDIR(sb.st_mode))
		strv_push(&lowers, upper);

	if (strcmp(out_path, "-") == 0) {
		fd = dup(STDOUT_FILENO);
	} else {
		tmpout = xasprintf("%s.tmp-%d", out_path, (int)getpid());
		fd = open(tmpout, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	}
	if (fd < 0) {
		ctr_fail_errno(err, E_IO, errno, "cannot write %s", out_path);
		goto out;
	}
	if (image_tmp_dir(st, &tmpdir, err) < 0)
		goto out;
	mnt = xasprintf("%s/export-XXXXXX", tmpdir);
	if (!mkdtemp(mnt)) {
		ctr_fail_errno(err, E_IO, errno, "cannot create a mount point in %s", tmpdir);
		free(mnt);
		mnt = NULL;
		goto out;
	}
	if (pipe2(pfd, O_CLOEXEC) < 0) {
		ctr_fail_errno(err, E_IO, errno, "pipe");
		goto out;
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		ctr_fail_errno(err, E_IO, errno, "fork");
		goto out;
	}
	if (pid == 0) {
		close(pfd[0]);
		_exit(export_child(&lowers, mnt, fd, pfd[1]));
	}
	close(pfd[1]);
	pfd[1] = -1;
	n = read(pfd[0], err, sizeof(*err));
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (n == (ssize_t)sizeof(*err))
		goto out;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		ctr_fail(err, E_INTERNAL, "export of %.12s failed (status %d)", cid, status);
		goto out;
	}
	if (tmpout && (fsync(fd) < 0 || rename(tmpout, out_path) < 0)) {
		ctr_fail_errno(err, E_IO, errno, "cannot write %s", out_path);
		goto out;
	}
	rc = 0;
out:
	if (pfd[0] >= 0)
		close(pfd[0]);
	if (pfd[1] >= 0)
		close(pfd[1]);
	if (mnt)
		rmdir(mnt);
	if (rc < 0 && tmpout)
		unlink(tmpout);
	strv_release(&lowers);
	return rc;
}
