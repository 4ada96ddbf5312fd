/*
 * test_extract.c - layer extraction: overlay whiteouts, opaque dirs,
 * hardlinks, symlinks, devices, modes, mtimes, xattrs, every compression,
 * the push API, and malicious tars (which must be refused with the host
 * untouched and nothing left in the store).  Tars are built here with
 * libarchive's writer.
 */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#include <criterion/criterion.h>
#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>
#include <dirent.h>

#include "containr/image.h"
#include "containr/store.h"
#include "fixture.h"

struct ent {
	const char *name;
	mode_t type; /* AE_IFREG, AE_IFDIR, AE_IFLNK, AE_IFCHR, AE_IFIFO; 0 = hardlink */
	mode_t mode;
	const char *data; /* content, symlink target or hardlink target */
	int uid, gid;
	time_t mtime;
	const char *xattr; /* "user.name=value" or NULL */
};

enum comp { C_NONE, C_GZIP, C_ZSTD, C_XZ };

/* Write a tar of `ents` to `path` with compression `c`. */
static void make_tar(const char *path, const struct ent *ents, size_t n, enum comp c)
{
	struct archive *a = archive_write_new();

	archive_write_set_format_pax_restricted(a);
	if (c == C_GZIP)
		archive_write_add_filter_gzip(a);
	else if (c == C_ZSTD)
		archive_write_add_filter_zstd(a);
	else if (c == C_XZ)
		archive_write_add_filter_xz(a);
	cr_assert_eq(archive_write_open_filename(a, path), ARCHIVE_OK);
	for (size_t i = 0; i < n; i++) {
		struct archive_entry *e = archive_entry_new();
		const struct ent *x = &ents[i];
		archive_entry_set_pathname(e, x->name);
		archive_entry_set_uid(e, x->uid);
		archive_entry_set_gid(e, x->gid);
		archive_entry_set_mtime(e, x->mtime ? x->mtime : 1600000000, 0);
		if (x->type == 0) {
			archive_entry_set_filetype(e, AE_IFREG);
			archive_entry_set_perm(e, 0644);
			archive_entry_set_hardlink(e, x->data);
			archive_entry_set_size(e, 0);
		} else {
			archive_entry_set_filetype(e, x->type);
			archive_entry_set_perm(e, x->mode ? x->mode
			                                  : (x->type == AE_IFDIR ? 0755 : 0644));
			if (x->type == AE_IFLNK)
				archive_entry_set_symlink(e, x->data);
			if (x->type == AE_IFCHR)
				archive_entry_set_rdev(e, makedev(1, 3));
			if (x->type == AE_IFREG)
				archive_entry_set_size(e,
				                       x->data ? (la_int64_t)strlen(x->data) : 0);
		}
		if (x->xattr) {
			const char *eq = strchr(x->xattr, '=');
			char *k = strndup(x->xattr, (size_t)(eq - x->xattr));
			archive_entry_xattr_add_entry(e, k, eq + 1, strlen(eq + 1));
			free(k);
		}
		cr_assert_eq(archive_write_header(a, e), ARCHIVE_OK, "%s", archive_error_string(a));
		if (x->type == AE_IFREG && x->data)
			archive_write_data(a, x->data, strlen(x->data));
		archive_entry_free(e);
	}
	archive_write_close(a);
	archive_write_free(a);
}

static char root[UNIT_ROOT_MAX];
static struct ctr_store st;

static void setup(void)
{
	unit_store_open(root, &st, "extract");
}

static void teardown(void)
{
	unit_store_close(root, &st);
}

static char *p(const char *fmt, const char *a)
{
	static char buf[4][512];
	static int i;
	char *b = buf[i++ % 4];
	snprintf(b, 512, fmt, a);
	return b;
}

/* Number of entries in a directory (no . and ..). */
static int count_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	if (!d)
		return -1;
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

static int extract(const char *tar, char diffid[CTR_DIGEST_BUF], struct ctr_err *err)
{
	ctr_err_clear(err);
	return ctr_layer_extract_file(&st, tar, NULL, diffid, err);
}

TestSuite(extract, .init = setup, .fini = teardown);

Test(extract, whiteouts_and_opaque_dirs)
{
	const struct ent ents[] = {
	    {"etc", AE_IFDIR},
	    {"etc/.wh.passwd", AE_IFREG},
	    {"opq", AE_IFDIR},
	    {"opq/.wh..wh..opq", AE_IFREG},
	    {"opq/new", AE_IFREG, 0644, "n"},
	    {"not.wh.file", AE_IFREG, 0644, "x"},
	    {".wh.gone-dir", AE_IFREG},
	};
	char tar[600], diffid[CTR_DIGEST_BUF], val[8];
	struct ctr_err err;
	struct stat sb;
	char *l;

	snprintf(tar, sizeof tar, "%s/l.tar", root);
	make_tar(tar, ents, 7, C_NONE);
	cr_assert_eq(extract(tar, diffid, &err), 0, "%s", err.msg);
	l = ctr_layer_path(&st, diffid);
	cr_assert_eq(lstat(p("%s/etc/passwd", l), &sb), 0);
	cr_assert(S_ISCHR(sb.st_mode) && sb.st_rdev == makedev(0, 0), "whiteout is a 0:0 char dev");
	cr_assert_eq(lstat(p("%s/gone-dir", l), &sb), 0);
	cr_assert(S_ISCHR(sb.st_mode));
	cr_assert_neq(lstat(p("%s/etc/.wh.passwd", l), &sb), 0, "marker not kept");
	cr_assert_neq(lstat(p("%s/opq/.wh..wh..opq", l), &sb), 0, "opaque marker not kept");
	cr_assert_eq(getxattr(p("%s/opq", l), "trusted.overlay.opaque", val, sizeof val), 1);
	cr_assert_eq(val[0], 'y');
	cr_assert_eq(lstat(p("%s/not.wh.file", l), &sb), 0);
	cr_assert(S_ISREG(sb.st_mode));
	free(l);
}

Test(extract, links_modes_owners_devices_xattrs_mtimes)
{
	const struct ent ents[] = {
	    {"./", AE_IFDIR, 0755},
	    {"./bin/", AE_IFDIR, 0755, NULL, 0, 0, 1500000000},
	    {"./bin/su", AE_IFREG, 04755, "suid", 0, 0, 1500000001, "user.test=hello"},
	    {"./bin/sgid", AE_IFREG, 02711, "sgid", 1000, 50},
	    {"./bin/su-link", 0, 0, "bin/su"},
	    {"./bin/sh", AE_IFLNK, 0777, "/bin/busybox"},
	    {"./abs", AE_IFLNK, 0777, "/etc/shadow"},
	    {"./tmp", AE_IFDIR, 01777},
	    {"./priv", AE_IFDIR, 0700, NULL, 1000, 1000, 1400000000},
	    {"./priv/f", AE_IFREG, 0600, "p", 1000, 1000},
	    {"./dev", AE_IFDIR},
	    {"./dev/null", AE_IFCHR, 0666},
	    {"./fifo", AE_IFIFO, 0640},
	    {"./deep/a/b/c", AE_IFREG, 0644, "implicit parents"},
	};
	char tar[600], diffid[CTR_DIGEST_BUF], val[16];
	struct ctr_err err;
	struct stat sb, sb2;
	char *l;

	snprintf(tar, sizeof tar, "%s/l.tar", root);
	make_tar(tar, ents, CTR_ARRAY_SIZE(ents), C_NONE);
	cr_assert_eq(extract(tar, diffid, &err), 0, "%s", err.msg);
	l = ctr_layer_path(&st, diffid);
	cr_assert_eq(stat(p("%s/bin/su", l), &sb), 0);
	cr_assert_eq(sb.st_mode & 07777, 04755, "setuid kept: %o", sb.st_mode & 07777);
	cr_assert_eq(sb.st_mtime, 1500000001);
	cr_assert_eq(getxattr(p("%s/bin/su", l), "user.test", val, sizeof val), 5);
	cr_assert_eq(stat(p("%s/bin/su-link", l), &sb2), 0);
	cr_assert_eq(sb.st_ino, sb2.st_ino, "hardlink shares the inode");
	cr_assert_eq(sb.st_nlink, 2);
	cr_assert_eq(stat(p("%s/bin/sgid", l), &sb), 0);
	cr_assert_eq(sb.st_mode & 07777, 02711);
	cr_assert_eq(sb.st_uid, 1000);
	cr_assert_eq(sb.st_gid, 50);
	cr_assert_eq(lstat(p("%s/abs", l), &sb), 0);
	cr_assert(S_ISLNK(sb.st_mode), "absolute symlink stays a symlink");
	cr_assert_eq(readlink(p("%s/abs", l), val, sizeof val), 11);
	cr_assert_eq(stat(p("%s/tmp", l), &sb), 0);
	cr_assert_eq(sb.st_mode & 07777, 01777, "sticky kept");
	cr_assert_eq(stat(p("%s/priv", l), &sb), 0);
	cr_assert_eq(sb.st_mode & 07777, 0700);
	cr_assert_eq(sb.st_uid, 1000);
	cr_assert_eq(sb.st_mtime, 1400000000, "dir mtime set after its children");
	cr_assert_eq(stat(p("%s/bin", l), &sb), 0);
	cr_assert_eq(sb.st_mtime, 1500000000);
	cr_assert_eq(lstat(p("%s/dev/null", l), &sb), 0);
	cr_assert(S_ISCHR(sb.st_mode) && sb.st_rdev == makedev(1, 3));
	cr_assert_eq(lstat(p("%s/fifo", l), &sb), 0);
	cr_assert(S_ISFIFO(sb.st_mode));
	cr_assert_eq(sb.st_mode & 0777, 0640);
	cr_assert_eq(stat(p("%s/deep/a/b/c", l), &sb), 0);
	free(l);
}

Test(extract, every_compression_gives_the_same_diff_id)
{
	const struct ent ents[] = {
	    {"a", AE_IFDIR},
	    {"a/file", AE_IFREG, 0644, "hello world\n"},
	};
	static const enum comp comps[] = {C_NONE, C_GZIP, C_ZSTD, C_XZ};
	char tar[600], plain[600], diffid[CTR_DIGEST_BUF], want[CTR_DIGEST_BUF];
	struct ctr_err err;
	char *data;
	size_t len;

	snprintf(plain, sizeof plain, "%s/plain.tar", root);
	make_tar(plain, ents, 2, C_NONE);
	cr_assert_eq(ctr_read_file(plain, &data, &len, &err), 0);
	ctr_digest_buf(data, len, want);
	free(data);
	for (size_t i = 0; i < CTR_ARRAY_SIZE(comps); i++) {
		snprintf(tar, sizeof tar, "%s/l%zu.tar", root, i);
		make_tar(tar, ents, 2, comps[i]);
		cr_assert_eq(extract(tar, diffid, &err), 0, "comp %zu: %s", i, err.msg);
		cr_assert_str_eq(diffid, want, "compression %zu", i);
	}
	cr_assert(ctr_layer_exists(&st, want));
	cr_assert_eq(count_dir(p("%s/tmp", root)), 0, "no temp dirs left");
}

/* A malicious tar must fail naming the entry, leave the host alone and the store clean. */
static void refused(const struct ent *ents, size_t n, const char *needle, const char *outside)
{
	char tar[600], diffid[CTR_DIGEST_BUF];
	struct ctr_err err;
	struct stat sb;

	snprintf(tar, sizeof tar, "%s/evil.tar", root);
	make_tar(tar, ents, n, C_GZIP);
	cr_assert_eq(extract(tar, diffid, &err), -1, "malicious tar accepted");
	cr_assert_eq(err.code, E_INVALID_ARG, "code %d: %s", err.code, err.msg);
	cr_assert(strstr(err.msg, needle), "message '%s' names '%s'", err.msg, needle);
	if (outside)
		cr_assert_neq(lstat(outside, &sb), 0, "%s was created on the host", outside);
	cr_assert_eq(count_dir(p("%s/layers", root)), 0, "no layer left");
	cr_assert_eq(count_dir(p("%s/tmp", root)), 0, "no partial layer left");
}

Test(extract, refuses_dotdot)
{
	char outside[600];
	snprintf(outside, sizeof outside, "%s/evil", root);
	const struct ent ents[] = {{"../evil", AE_IFREG, 0644, "x"}};
	refused(ents, 1, "../evil", outside);
	const struct ent ents2[] = {{"a/../../evil", AE_IFREG, 0644, "x"}};
	refused(ents2, 1, "a/../../evil", outside);
}

Test(extract, refuses_absolute)
{
	const struct ent ents[] = {{"/tmp/ctr-unit-evil-abs", AE_IFREG, 0644, "x"}};
	refused(ents, 1, "/tmp/ctr-unit-evil-abs", "/tmp/ctr-unit-evil-abs");
}

Test(extract, refuses_write_through_symlink)
{
	char outside[600], target[600];
	snprintf(outside, sizeof outside, "%s/outside", root);
	snprintf(target, sizeof target, "%s/outside/file", root);
	mkdir(outside, 0755);
	const struct ent ents[] = {
	    {"x", AE_IFLNK, 0777, outside},
	    {"x/file", AE_IFREG, 0644, "pwned"},
	};
	refused(ents, 2, "x/file", target);
	/* relative symlink climbing out, planted deeper */
	const struct ent ents2[] = {
	    {"d", AE_IFDIR},
	    {"d/up", AE_IFLNK, 0777, "../../../../../../../../.."},
	    {"d/up/tmp/ctr-unit-evil-rel", AE_IFREG, 0644, "pwned"},
	};
	refused(ents2, 3, "d/up", "/tmp/ctr-unit-evil-rel");
}

Test(extract, refuses_hardlink_outside)
{
	const struct ent ents[] = {{"shadow", 0, 0, "/etc/shadow"}};
	refused(ents, 1, "shadow", NULL);
	const struct ent ents2[] = {{"shadow", 0, 0, "../../../../etc/shadow"}};
	refused(ents2, 1, "shadow", NULL);
	/* through a symlink planted by an earlier entry */
	const struct ent ents3[] = {
	    {"etc", AE_IFLNK, 0777, "/etc"},
	    {"shadow", 0, 0, "etc/shadow"},
	};
	refused(ents3, 2, "shadow", NULL);
}

Test(extract, diff_id_mismatch_leaves_nothing)
{
	const struct ent ents[] = {{"f", AE_IFREG, 0644, "x"}};
	struct ctr_layer_opts o = {
	    .expected_diffid =
	        "sha256:0000000000000000000000000000000000000000000000000000000000000000"};
	char tar[600];
	struct ctr_err err;

	snprintf(tar, sizeof tar, "%s/l.tar", root);
	make_tar(tar, ents, 1, C_ZSTD);
	ctr_err_clear(&err);
	cr_assert_eq(ctr_layer_extract_file(&st, tar, &o, NULL, &err), -1);
	cr_assert_eq(err.code, E_DIGEST, "%s", err.msg);
	cr_assert_eq(count_dir(p("%s/layers", root)), 0);
	cr_assert_eq(count_dir(p("%s/tmp", root)), 0);
}

Test(extract, push_api_in_small_chunks)
{
	const struct ent ents[] = {
	    {"big", AE_IFREG, 0644,
	     "0123456789012345678901234567890123456789012345678901234567890123456789"},
	    {"dir", AE_IFDIR},
	    {"dir/.wh.x", AE_IFREG},
	};
	char tar[600], diffid[CTR_DIGEST_BUF], digest[CTR_DIGEST_BUF], want[CTR_DIGEST_BUF];
	char want2[CTR_DIGEST_BUF], plain[600];
	struct ctr_layer_writer *w;
	struct ctr_err err;
	char *data;
	size_t len;

	snprintf(tar, sizeof tar, "%s/l.tar.gz", root);
	snprintf(plain, sizeof plain, "%s/l.tar", root);
	make_tar(tar, ents, 3, C_GZIP);
	make_tar(plain, ents, 3, C_NONE);
	cr_assert_eq(ctr_read_file(plain, &data, &len, &err), 0);
	ctr_digest_buf(data, len, want2);
	free(data);
	cr_assert_eq(ctr_read_file(tar, &data, &len, &err), 0);
	ctr_digest_buf(data, len, want);
	cr_assert_eq(ctr_layer_writer_open(&st, NULL, &w, &err), 0, "%s", err.msg);
	for (size_t off = 0; off < len; off += 7)
		cr_assert_eq(
		    ctr_layer_writer_write(w, data + off, len - off < 7 ? len - off : 7, &err), 0,
		    "%s", err.msg);
	free(data);
	cr_assert_eq(ctr_layer_writer_commit(w, diffid, digest, &err), 0, "%s", err.msg);
	cr_assert_str_eq(digest, want, "digest of the pushed bytes");
	cr_assert_str_eq(diffid, want2, "diff_id of the uncompressed tar");
	cr_assert(ctr_layer_exists(&st, diffid));
}

Test(extract, push_api_refuses_malicious_and_cleans_up)
{
	char tar[600];
	struct ctr_layer_writer *w;
	struct ctr_err err;
	char *data;
	size_t len;
	int rc = 0;
	const struct ent ents[] = {{"/tmp/ctr-unit-evil-push", AE_IFREG, 0644, "x"}};

	snprintf(tar, sizeof tar, "%s/evil.tar", root);
	make_tar(tar, ents, 1, C_NONE);
	cr_assert_eq(ctr_read_file(tar, &data, &len, &err), 0);
	cr_assert_eq(ctr_layer_writer_open(&st, NULL, &w, &err), 0);
	for (size_t off = 0; off < len && rc == 0; off += 512)
		rc = ctr_layer_writer_write(w, data + off, 512, &err);
	free(data);
	if (rc == 0)
		rc = ctr_layer_writer_commit(w, NULL, NULL, &err);
	else
		ctr_layer_writer_abort(w);
	cr_assert_eq(rc, -1);
	cr_assert_eq(err.code, E_INVALID_ARG, "%s", err.msg);
	cr_assert(access("/tmp/ctr-unit-evil-push", F_OK) != 0);
	cr_assert_eq(count_dir(p("%s/layers", root)), 0);
	cr_assert_eq(count_dir(p("%s/tmp", root)), 0);
}

Test(extract, abort_midway_removes_partial_layer)
{
	struct ctr_layer_writer *w;
	struct ctr_err err;
	char block[512] = {0};

	cr_assert_eq(ctr_layer_writer_open(&st, NULL, &w, &err), 0);
	memcpy(block, "partial", 7);
	ctr_layer_writer_write(w, block, sizeof block, &err);
	ctr_layer_writer_abort(w);
	cr_assert_eq(count_dir(p("%s/layers", root)), 0);
	cr_assert_eq(count_dir(p("%s/tmp", root)), 0);
}
