/*
 * extract.c - write the entries of a layer tar into a directory, safely,
 * in overlay form.
 *
 * Every name is made relative and checked (no absolute names, no ".."), and
 * every parent directory is reached by walking from the layer root one
 * component at a time with openat(O_NOFOLLOW|O_DIRECTORY): a symlink
 * anywhere in the path (even one an earlier entry planted) stops the walk
 * instead of being followed, so nothing is ever written outside the layer.
 * Hardlink targets get the same treatment.  Files are created with
 * O_EXCL|O_NOFOLLOW and their metadata set through the fd.
 *
 * Docker whiteouts become overlayfs ones: ".wh.NAME" -> char device 0:0
 * NAME, ".wh..wh..opq" -> xattr trusted.overlay.opaque=y on the directory.
 * Directory modes and mtimes are applied at the end, after their children.
 * The parent directory fd of the previous entry is cached (tars are mostly
 * sorted), and dropped whenever an entry touches that directory or an
 * ancestor of it.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>

#include "containr/log.h"
#include "image/image_int.h"

/*
 * Durability without syncfs(): syncfs() writes back everything dirty on the
 * filesystem -- other processes' data too (a podman import just before us
 * made a load wait for its 500 MB).  Instead each regular file's writeback
 * is started as soon as it is written (sync_file_range WRITE: async), the
 * fd is kept in a ring, and SYNC_RING files later -- by when the I/O is
 * usually done -- we wait for that file's writeback and close it.
 * image_extract_sync() waits for the rest; layer.c then commits the
 * metadata with one fsync (see there).  At most 128 fds per extraction,
 * and all rings together at most a quarter of RLIMIT_NOFILE.
 */
#define SYNC_RING 128

struct dir_meta {
	char *path; /* clean relative path, "" for the root */
	mode_t mode;
	uid_t uid;
	gid_t gid;
	struct timespec mtime;
};

struct image_extract {
	int rootfd;
	const char *label;
	bool is_root;
	uid_t euid;
	gid_t egid;
	mode_t umask;     /* read once: new files get mode & ~umask */
	char *cache_path; /* parent dir whose fd is cached */
	int cache_fd;
	struct dir_meta *dirs;
	size_t ndirs, capdirs;
	/* files whose writeback was started, waited for SYNC_RING files later */
	int ring[SYNC_RING];
	size_t nring;
};

/* The umask without changing it (umask(2) would race with other threads). */
static mode_t current_umask(void)
{
	FILE *f = fopen("/proc/self/status", "re");
	char line[128];
	unsigned int m = 022;

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "Umask: %o", &m) == 1)
			break;
	if (f)
		fclose(f);
	return (mode_t)m;
}

struct image_extract *image_extract_new(int dirfd, const char *label)
{
	struct image_extract *x = xcalloc(1, sizeof(*x));

	x->rootfd = dirfd;
	x->label = label ? label : "layer";
	x->is_root = geteuid() == 0;
	x->euid = geteuid();
	x->egid = getegid();
	x->umask = current_umask();
	x->cache_fd = -1;
	return x;
}

static void cache_drop(struct image_extract *x)
{
	if (x->cache_fd >= 0)
		close(x->cache_fd);
	x->cache_fd = -1;
	free(x->cache_path);
	x->cache_path = NULL;
}

/* Wait until the file data of `fd` is on disk (its writeback was started). */
static void ring_wait_close(int fd)
{
	sync_file_range(fd, 0, 0,
	                SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WRITE |
	                    SYNC_FILE_RANGE_WAIT_AFTER);
	close(fd);
}

/*
 * Fds held by all rings of the process (a pull extracts up to 64 layers at
 * once): at most a quarter of RLIMIT_NOFILE, so extraction never runs out.
 */
static int ring_total;

static int ring_budget(void)
{
	static int budget;
	struct rlimit rl;

	if (!budget) {
		int b = 256;
		if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
			b = (int)(rl.rlim_cur / 4);
		budget = b < 8 ? 8 : b > 4096 ? 4096 : b;
	}
	return budget;
}

static void ring_evict_oldest(struct image_extract *x)
{
	ring_wait_close(x->ring[0]);
	memmove(x->ring, x->ring + 1, (x->nring - 1) * sizeof(int));
	x->nring--;
	__atomic_sub_fetch(&ring_total, 1, __ATOMIC_RELAXED);
}

/* Start writing `fd` back now; it is waited for SYNC_RING files later. */
static void ring_push(struct image_extract *x, int fd)
{
	sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WRITE);
	if (x->nring == SYNC_RING ||
	    (x->nring > 0 && __atomic_load_n(&ring_total, __ATOMIC_RELAXED) >= ring_budget()))
		ring_evict_oldest(x);
	if (__atomic_load_n(&ring_total, __ATOMIC_RELAXED) >= ring_budget()) {
		ring_wait_close(fd); /* the other rings hold the budget */
		return;
	}
	x->ring[x->nring++] = fd;
	__atomic_add_fetch(&ring_total, 1, __ATOMIC_RELAXED);
}

int image_extract_sync(struct image_extract *x, struct ctr_err *err)
{
	for (size_t i = 0; i < x->nring; i++)
		ring_wait_close(x->ring[i]);
	__atomic_sub_fetch(&ring_total, (int)x->nring, __ATOMIC_RELAXED);
	x->nring = 0;
	(void)err;
	return 0;
}

void image_extract_free(struct image_extract *x)
{
	if (!x)
		return;
	for (size_t i = 0; i < x->nring; i++)
		close(x->ring[i]); /* failed or aborted: nothing to wait for */
	__atomic_sub_fetch(&ring_total, (int)x->nring, __ATOMIC_RELAXED);
	cache_drop(x);
	for (size_t i = 0; i < x->ndirs; i++)
		free(x->dirs[i].path);
	free(x->dirs);
	free(x);
}

/*
 * Normalize a tar name into "a/b/c" (no leading "./", no empty or "."
 * components).  Absolute names and ".." are refused.  "" means the root.
 */
static int clean_name(const char *name, const char *what, const char *entry, char **out,
                      struct ctr_err *err)
{
	struct strbuf sb;
	const char *p = name;

	if (name[0] == '/')
		return ctr_fail(err, E_INVALID_ARG, "unsafe layer entry %s: %s is an absolute path",
		                entry, what);
	strbuf_init(&sb);
	while (*p) {
		const char *e = strchr(p, '/');
		size_t n = e ? (size_t)(e - p) : strlen(p);

		if (n == 2 && p[0] == '.' && p[1] == '.') {
			strbuf_release(&sb);
			return ctr_fail(err, E_INVALID_ARG,
			                "unsafe layer entry %s: %s contains '..'", entry, what);
		}
		if (n > 0 && !(n == 1 && p[0] == '.')) {
			if (sb.len)
				strbuf_putc(&sb, '/');
			strbuf_add(&sb, p, n);
		}
		p += n;
		if (*p == '/')
			p++;
	}
	*out = strbuf_detach(&sb);
	return 0;
}

/* Does `path` name `dir` or one of its ancestors? ("" is everyone's.) */
static bool is_ancestor_or_self(const char *path, const char *dir)
{
	size_t n = strlen(path);

	if (n == 0)
		return true;
	return strncmp(dir, path, n) == 0 && (dir[n] == '\0' || dir[n] == '/');
}

/*
 * Open directory `dir` (clean relative path) under the root, walking
 * component by component without following symlinks.  Missing components
 * are created (0755) when `create` is set.  Returns a new fd or -1.
 */
static int walk_dir(struct image_extract *x, const char *dir, bool create, const char *entry,
                    struct ctr_err *err)
{
	int fd = fcntl(x->rootfd, F_DUPFD_CLOEXEC, 0);
	const char *p = dir;
	char comp[NAME_MAX + 1];

	if (fd < 0)
		return ctr_fail_errno(err, E_IO, errno, "dup");
	while (*p) {
		const char *e = strchr(p, '/');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		int nfd;

		if (n > NAME_MAX) {
			close(fd);
			return ctr_fail(err, E_INVALID_ARG, "layer entry %s: name too long", entry);
		}
		memcpy(comp, p, n);
		comp[n] = '\0';
		nfd = openat(fd, comp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (nfd < 0 && errno == ENOENT && create) {
			if (mkdirat(fd, comp, 0755) < 0 && errno != EEXIST) {
				int e2 = errno;
				close(fd);
				return ctr_fail_errno(
				    err, E_IO, e2, "layer entry %s: cannot create %s", entry, comp);
			}
			nfd = openat(fd, comp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		}
		if (nfd < 0) {
			int e2 = errno;
			close(fd);
			if (e2 == ELOOP || e2 == ENOTDIR)
				return ctr_fail(
				    err, E_INVALID_ARG,
				    "unsafe layer entry %s: %s is a symlink or not a directory",
				    entry, comp);
			return ctr_fail_errno(err, E_IO, e2, "layer entry %s: cannot open %s",
			                      entry, comp);
		}
		close(fd);
		fd = nfd;
		p += n;
		if (*p == '/')
			p++;
	}
	return fd;
}

/* Parent dir fd of `path` (borrowed: owned by the cache) and its base name. */
static int open_parent(struct image_extract *x, const char *path, const char **base,
                       const char *entry, struct ctr_err *err)
{
	const char *slash = strrchr(path, '/');
	cleanup_free char *dir = slash ? xstrndup(path, (size_t)(slash - path)) : xstrdup("");
	int fd;

	*base = slash ? slash + 1 : path;
	if (x->cache_path && strcmp(x->cache_path, dir) == 0)
		return x->cache_fd;
	fd = walk_dir(x, dir, true, entry, err);
	if (fd < 0)
		return -1;
	cache_drop(x);
	x->cache_fd = fd;
	x->cache_path = steal_pointer(&dir);
	return fd;
}

static int remove_at_rec(int pdir, const char *name, int depth, struct ctr_err *err)
{
	struct stat sb;
	int fd;
	DIR *d;
	struct dirent *de;

	if (depth > 256)
		return ctr_fail(err, E_IO, "directory tree too deep at %s", name);
	if (fstatat(pdir, name, &sb, AT_SYMLINK_NOFOLLOW) < 0)
		return errno == ENOENT ? 0
		                       : ctr_fail_errno(err, E_IO, errno, "cannot stat %s", name);
	if (!S_ISDIR(sb.st_mode)) {
		if (unlinkat(pdir, name, 0) < 0 && errno != ENOENT)
			return ctr_fail_errno(err, E_IO, errno, "cannot remove %s", name);
		return 0;
	}
	fd = openat(pdir, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return ctr_fail_errno(err, E_IO, errno, "cannot open %s", name);
	d = fdopendir(fd);
	if (!d) {
		close(fd);
		return ctr_fail_errno(err, E_IO, errno, "cannot read %s", name);
	}
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (remove_at_rec(dirfd(d), de->d_name, depth + 1, err) < 0) {
			closedir(d);
			return -1;
		}
	}
	closedir(d);
	if (unlinkat(pdir, name, AT_REMOVEDIR) < 0 && errno != ENOENT)
		return ctr_fail_errno(err, E_IO, errno, "cannot remove %s", name);
	return 0;
}

int image_remove_at(int dirfd, const char *name, struct ctr_err *err)
{
	return remove_at_rec(dirfd, name, 0, err);
}

/*
 * Make room for a new entry `base` in `pfd`: anything there goes, except a
 * directory when the new entry is a directory too (it is merged).
 * Returns 1 if a directory was kept.
 */
static int make_room(struct image_extract *x, int pfd, const char *path, const char *base,
                     bool new_is_dir, struct ctr_err *err)
{
	struct stat sb;

	if (fstatat(pfd, base, &sb, AT_SYMLINK_NOFOLLOW) < 0) {
		if (errno == ENOENT)
			return 0;
		return ctr_fail_errno(err, E_IO, errno, "cannot stat %s", path);
	}
	if (S_ISDIR(sb.st_mode) && new_is_dir)
		return 1;
	if (S_ISDIR(sb.st_mode))
		return image_remove_at(pfd, base, err) < 0 ? -1 : 0;
	if (unlinkat(pfd, base, 0) < 0)
		return ctr_fail_errno(err, E_IO, errno, "cannot replace %s", path);
	return 0;
}

static void set_xattrs_fd(int fd, struct archive_entry *e, const char *path)
{
	const char *name;
	const void *value;
	size_t size;

	archive_entry_xattr_reset(e);
	while (archive_entry_xattr_next(e, &name, &value, &size) == ARCHIVE_OK) {
		/* overlay metadata comes from whiteouts only, never from the tar */
		if (str_startswith(name, "trusted.overlay.") ||
		    str_startswith(name, "user.overlay."))
			continue;
		if (fsetxattr(fd, name, value, size, 0) < 0)
			ctr_debug("cannot set xattr", "path", path, "xattr", name, "error",
			          strerror(errno));
	}
}

static void entry_times(struct archive_entry *e, struct timespec ts[2])
{
	ts[1].tv_sec = archive_entry_mtime(e);
	ts[1].tv_nsec = archive_entry_mtime_nsec(e);
	if (archive_entry_atime_is_set(e)) {
		ts[0].tv_sec = archive_entry_atime(e);
		ts[0].tv_nsec = archive_entry_atime_nsec(e);
	} else {
		ts[0] = ts[1];
	}
}

static int write_file(struct image_extract *x, struct archive *tar, struct archive_entry *e,
                      int pfd, const char *path, const char *base, struct ctr_err *err)
{
	cleanup_close int fd = -1;
	const void *buf;
	size_t size;
	la_int64_t off, end = 0;
	mode_t mode = archive_entry_mode(e) & 07777;
	uid_t uid = (uid_t)archive_entry_uid(e);
	gid_t gid = (gid_t)archive_entry_gid(e);
	int r;
	struct timespec ts[2];

	/* the common case costs one openat: make room only if something is there */
	fd = openat(pfd, base, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode & 0777);
	if (fd < 0 && errno == EEXIST) {
		if (make_room(x, pfd, path, base, false, err) < 0)
			return -1;
		fd = openat(pfd, base, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		            mode & 0777);
	}
	if (fd < 0)
		return ctr_fail_errno(err, E_IO, errno, "cannot create %s", path);
	while ((r = archive_read_data_block(tar, &buf, &size, &off)) == ARCHIVE_OK) {
		const char *p = buf;
		while (size > 0) {
			ssize_t n = pwrite(fd, p, size, off);
			if (n < 0) {
				if (errno == EINTR)
					continue;
				return ctr_fail_errno(err, E_IO, errno, "cannot write %s", path);
			}
			p += n;
			off += n;
			size -= (size_t)n;
		}
		end = off;
	}
	if (r != ARCHIVE_EOF)
		return ctr_fail(err, E_CORRUPT, "layer entry %s: %s", path,
		                archive_error_string(tar));
	/* a sparse file may end in a hole */
	if (archive_entry_size_is_set(e) && end < archive_entry_size(e) &&
	    ftruncate(fd, archive_entry_size(e)) < 0)
		return ctr_fail_errno(err, E_IO, errno, "cannot size %s", path);
	/* a new file is ours (dirs are not setgid while we extract): chown only if needed */
	if ((uid != x->euid || gid != x->egid) && fchown(fd, uid, gid) < 0 && x->is_root)
		ctr_warn("cannot chown layer file", "path", path, "error", strerror(errno));
	/* after chown, which clears setuid/setgid; and when the umask took bits */
	if ((mode & 07000) || (mode & x->umask))
		if (fchmod(fd, mode) < 0)
			ctr_warn("cannot chmod layer file", "path", path, "error", strerror(errno));
	if (archive_entry_xattr_count(e) > 0)
		set_xattrs_fd(fd, e, path);
	entry_times(e, ts);
	futimens(fd, ts);
	if (end > 0)
		ring_push(x, ctr_steal_fd(&fd));
	return 0;
}

static int add_dir_meta(struct image_extract *x, const char *path, struct archive_entry *e)
{
	struct dir_meta *m;

	if (x->ndirs == x->capdirs) {
		x->capdirs = x->capdirs ? 2 * x->capdirs : 64;
		x->dirs = xrealloc(x->dirs, x->capdirs * sizeof(*x->dirs));
	}
	m = &x->dirs[x->ndirs++];
	m->path = xstrdup(path);
	m->mode = archive_entry_mode(e) & 07777;
	m->uid = (uid_t)archive_entry_uid(e);
	m->gid = (gid_t)archive_entry_gid(e);
	m->mtime.tv_sec = archive_entry_mtime(e);
	m->mtime.tv_nsec = archive_entry_mtime_nsec(e);
	return 0;
}

static int write_dir(struct image_extract *x, struct archive_entry *e, int pfd, const char *path,
                     const char *base, struct ctr_err *err)
{
	cleanup_close int fd = -1;
	int kept = make_room(x, pfd, path, base, true, err);

	if (kept < 0)
		return -1;
	if (!kept && mkdirat(pfd, base, 0700) < 0)
		return ctr_fail_errno(err, E_IO, errno, "cannot create directory %s", path);
	fd = openat(pfd, base, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return ctr_fail_errno(err, E_IO, errno, "cannot open directory %s", path);
	if (fchown(fd, (uid_t)archive_entry_uid(e), (gid_t)archive_entry_gid(e)) < 0 && x->is_root)
		ctr_warn("cannot chown layer dir", "path", path, "error", strerror(errno));
	set_xattrs_fd(fd, e, path);
	return add_dir_meta(x, path, e);
}

static int write_whiteout(struct image_extract *x, int pfd, const char *path, const char *dir,
                          const char *base, const char *entry, struct ctr_err *err)
{
	const char *name = base + 4; /* after ".wh." */

	if (strcmp(base, ".wh..wh..opq") == 0) {
		cleanup_close int fd = -1;
		/* pfd is the directory itself */
		fd = fcntl(pfd, F_DUPFD_CLOEXEC, 0);
		if (fd < 0 || fsetxattr(fd, "trusted.overlay.opaque", "y", 1, 0) < 0)
			return ctr_fail_errno(err, E_PERMISSION, errno,
			                      "layer entry %s: cannot mark %s opaque", entry,
			                      dir[0] ? dir : "/");
		return 0;
	}
	if (str_startswith(base, ".wh..wh."))
		return 0; /* other AUFS metadata (.wh..wh.plnk...) */
	if (!name[0] || !strcmp(name, ".") || !strcmp(name, ".."))
		return ctr_fail(err, E_INVALID_ARG, "unsafe layer entry %s: bad whiteout", entry);
	{
		cleanup_free char *victim = dir[0] ? xasprintf("%s/%s", dir, name) : xstrdup(name);
		if (make_room(x, pfd, victim, name, false, err) < 0)
			return -1;
		if (mknodat(pfd, name, S_IFCHR | 0000, makedev(0, 0)) < 0)
			return ctr_fail_errno(err, E_PERMISSION, errno,
			                      "layer entry %s: cannot create whiteout", entry);
		(void)path;
	}
	return 0;
}

static int write_hardlink(struct image_extract *x, struct archive_entry *e, int pfd,
                          const char *path, const char *base, const char *entry,
                          struct ctr_err *err)
{
	const char *raw = archive_entry_hardlink(e);
	cleanup_free char *target = NULL;
	cleanup_free char *tdir = NULL;
	cleanup_close int tfd = -1;
	const char *slash, *tbase;
	struct stat sb;

	if (clean_name(raw, "hardlink target", entry, &target, err) < 0)
		return -1;
	if (!target[0])
		return ctr_fail(err, E_INVALID_ARG, "unsafe layer entry %s: hardlink to the root",
		                entry);
	slash = strrchr(target, '/');
	tdir = slash ? xstrndup(target, (size_t)(slash - target)) : xstrdup("");
	tbase = slash ? slash + 1 : target;
	tfd = walk_dir(x, tdir, false, entry, err);
	if (tfd < 0)
		return ctr_err_wrap(err, "hardlink %s -> %s", path, raw);
	if (fstatat(tfd, tbase, &sb, AT_SYMLINK_NOFOLLOW) < 0)
		return ctr_fail(err, E_INVALID_ARG,
		                "layer entry %s: hardlink target %s is not in the layer", entry,
		                raw);
	if (S_ISDIR(sb.st_mode))
		return ctr_fail(err, E_INVALID_ARG, "layer entry %s: hardlink to a directory",
		                entry);
	if (strcmp(target, path) == 0)
		return 0;
	if (make_room(x, pfd, path, base, false, err) < 0)
		return -1;
	if (linkat(tfd, tbase, pfd, base, 0) < 0)
		return ctr_fail_errno(err, E_IO, errno, "cannot link %s to %s", path, raw);
	return 0;
}

static int write_special(struct image_extract *x, struct archive_entry *e, int pfd,
                         const char *path, const char *base, struct ctr_err *err)
{
	mode_t type = archive_entry_filetype(e);
	struct timespec ts[2];

	if (make_room(x, pfd, path, base, false, err) < 0)
		return -1;
	if (type == AE_IFLNK) {
		const char *t = archive_entry_symlink(e);
		if (!t)
			return ctr_fail(err, E_CORRUPT, "layer entry %s: symlink without target",
			                path);
		if (symlinkat(t, pfd, base) < 0)
			return ctr_fail_errno(err, E_IO, errno, "cannot create symlink %s", path);
	} else {
		dev_t dev = 0;
		if (type == AE_IFCHR || type == AE_IFBLK)
			dev = makedev(archive_entry_rdevmajor(e), archive_entry_rdevminor(e));
		if (mknodat(pfd, base, type | 0600, dev) < 0) {
			if (errno == EPERM && !x->is_root) {
				ctr_warn("skipping device node (needs root)", "path", path);
				return 0;
			}
			return ctr_fail_errno(err, E_IO, errno, "cannot create node %s", path);
		}
	}
	if (fchownat(pfd, base, (uid_t)archive_entry_uid(e), (gid_t)archive_entry_gid(e),
	             AT_SYMLINK_NOFOLLOW) < 0 &&
	    x->is_root)
		ctr_warn("cannot chown layer node", "path", path, "error", strerror(errno));
	if (type != AE_IFLNK && fchmodat(pfd, base, archive_entry_mode(e) & 07777, 0) < 0)
		ctr_warn("cannot chmod layer node", "path", path, "error", strerror(errno));
	entry_times(e, ts);
	utimensat(pfd, base, ts, AT_SYMLINK_NOFOLLOW);
	return 0;
}

static int extract_entry(struct image_extract *x, struct archive *tar, struct archive_entry *e,
                         struct ctr_err *err)
{
	const char *raw = archive_entry_pathname(e);
	cleanup_free char *path = NULL;
	cleanup_free char *dir = NULL;
	const char *base;
	mode_t type;
	int pfd;

	if (!raw)
		raw = archive_entry_pathname_utf8(e);
	if (!raw || !raw[0])
		return ctr_fail(err, E_CORRUPT, "%s: entry without a name", x->label);
	if (clean_name(raw, "name", raw, &path, err) < 0)
		return -1;
	type = archive_entry_filetype(e);
	if (!path[0]) {
		/* "./": metadata of the layer root itself */
		if (type == AE_IFDIR && !archive_entry_hardlink(e)) {
			if (fchown(x->rootfd, (uid_t)archive_entry_uid(e),
			           (gid_t)archive_entry_gid(e)) < 0 &&
			    x->is_root)
				ctr_warn("cannot chown layer root", "error", strerror(errno));
			return add_dir_meta(x, "", e);
		}
		return ctr_fail(err, E_INVALID_ARG, "unsafe layer entry %s: not a directory", raw);
	}
	/* an entry that replaces the cached dir or an ancestor invalidates it */
	if (x->cache_path && is_ancestor_or_self(path, x->cache_path))
		cache_drop(x);
	pfd = open_parent(x, path, &base, raw, err);
	if (pfd < 0)
		return -1;
	dir = xstrndup(path, (size_t)(base - path) ? (size_t)(base - path - 1) : 0);

	if (str_startswith(base, ".wh."))
		return write_whiteout(x, pfd, path, dir, base, raw, err);
	if (archive_entry_hardlink(e))
		return write_hardlink(x, e, pfd, path, base, raw, err);
	switch (type) {
	case AE_IFREG:
		return write_file(x, tar, e, pfd, path, base, err);
	case AE_IFDIR:
		return write_dir(x, e, pfd, path, base, err);
	case AE_IFLNK:
	case AE_IFCHR:
	case AE_IFBLK:
	case AE_IFIFO:
		return write_special(x, e, pfd, path, base, err);
	default:
		ctr_warn("skipping layer entry of unsupported type", "path", path);
		return 0;
	}
}

int image_extract_archive(struct image_extract *x, struct archive *tar, struct ctr_err *err)
{
	struct archive_entry *e;
	int r;

	for (;;) {
		r = archive_read_next_header(tar, &e);
		if (r == ARCHIVE_EOF)
			return 0;
		if (r == ARCHIVE_WARN)
			ctr_debug("archive warning", "layer", x->label, "msg",
			          archive_error_string(tar));
		else if (r != ARCHIVE_OK)
			return ctr_fail(err, E_CORRUPT, "%s: cannot read tar: %s", x->label,
			                archive_error_string(tar));
		if (extract_entry(x, tar, e, err) < 0)
			return -1;
	}
}

int image_extract_finish(struct image_extract *x, struct ctr_err *err)
{
	cache_drop(x);
	/* children before parents: walk the list backwards */
	for (size_t i = x->ndirs; i-- > 0;) {
		struct dir_meta *m = &x->dirs[i];
		struct timespec ts[2] = {m->mtime, m->mtime};
		int fd;

		if (!m->path[0]) {
			fd = fcntl(x->rootfd, F_DUPFD_CLOEXEC, 0);
		} else {
			struct ctr_err ignore;
			fd = walk_dir(x, m->path, false, m->path, &ignore);
		}
		if (fd < 0)
			continue; /* replaced by a later entry */
		if (fchmod(fd, m->mode) < 0)
			ctr_warn("cannot chmod layer dir", "path", m->path, "error",
			         strerror(errno));
		futimens(fd, ts);
		close(fd);
	}
	(void)err;
	return 0;
}
