/*
 * mount_apply.c - put a container's mounts in place, inside its root.
 *
 * Runs in the container's private mount namespace, after the root
 * filesystem is mounted and before pivot_root.  The one rule: a path in the
 * image is never trusted.  An image may ship /data -> /etc or
 * /data -> ../../..; resolving "<rootfs>/data" with the host's rules would
 * put the mount on the host.  So every destination is resolved with
 * openat2(RESOLVE_IN_ROOT): symlinks and ".." are interpreted as if rootfs
 * were "/", the kernel guarantees the walk never leaves it, and the result
 * is an O_PATH fd.  The mount then targets "/proc/self/fd/N", i.e. exactly
 * the inode we resolved, with no second lookup an attacker could race.
 * Missing components are created by our own chroot-style walk
 * (mkdir_all_in_root) that never asks the kernel to follow a symlink or "..".
 *
 * Copy-up: an empty volume mounted over a non-empty image directory gets
 * the directory's content first (modes, owners, times, symlinks, devices),
 * once per volume: volume.json "CopiedUp" is set after the copy, so a
 * volume emptied later is not refilled.  An empty volume takes the owner of
 * the image's directory, or the container's user where the image has none
 * (volume_init).  `:U` chowns a mount's source recursively (chown_source).
 */
#include "containr/volume.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <linux/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "containr/log.h"
#include "lib/json.h"
#include "volume/internal.h"

static int openat2_in_root(int rootfd, const char *rel, int flags)
{
	struct open_how how = {
	    .flags = (uint64_t)(flags | O_CLOEXEC),
	    .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};
	int fd;

	for (int tries = 0; tries < 8; tries++) {
		fd = (int)syscall(SYS_openat2, rootfd, *rel ? rel : ".", &how, sizeof how);
		if (fd >= 0 || errno != EAGAIN)
			break;
	}
	return fd;
}

/*
 * Create what is missing on the way to `dest` inside the root, the way a
 * path walk in a chroot at `rootfd` would see it: each component is opened
 * with O_NOFOLLOW relative to the directory fd reached so far; a symlink is
 * read and its target walked instead (absolute targets restart at the
 * root); ".." pops our own stack of fds and never goes above the root, so
 * no kernel lookup of ".." or of a symlink ever happens here.  Missing
 * components become directories (the last one an empty file when
 * `want_dir` is false), e.g. an image's /var/run -> /run with /run absent.
 */
static int mkdir_all_in_root(int rootfd, const char *dest, bool want_dir, struct ctr_err *err)
{
	enum { MAXDEPTH = 256 };
	int stack[MAXDEPTH];
	int depth = 0, links = 0, rc = -1;
	char *todo = xstrdup(dest);

	stack[0] = dup(rootfd);
	if (stack[0] < 0) {
		free(todo);
		return ctr_fail_errno(err, E_RUNTIME, errno, "dup");
	}
	for (;;) {
		char *p = todo;
		while (*p == '/')
			p++;
		if (!*p)
			break;
		char *slash = strchr(p, '/');
		cleanup_free char *comp = slash ? xstrndup(p, (size_t)(slash - p)) : xstrdup(p);
		char *rest = xstrdup(slash ? slash : "");
		free(todo);
		todo = rest;
		const char *r = rest;
		while (*r == '/')
			r++;
		bool last = *r == '\0';

		if (!strcmp(comp, "."))
			continue;
		if (!strcmp(comp, "..")) {
			if (depth > 0)
				close(stack[depth--]);
			continue;
		}
		int fd = openat(stack[depth], comp, O_PATH | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0 && errno == ENOENT) {
			int c;
			if (last && !want_dir) {
				c = openat(stack[depth], comp,
				           O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
				           0644);
				if (c >= 0)
					close(c);
			} else {
				c = mkdirat(stack[depth], comp, 0755);
			}
			if (c < 0 && errno != EEXIST) {
				ctr_fail_errno(
				    err, E_RUNTIME, errno,
				    "cannot create %s of mount point %s in the container", comp,
				    dest);
				goto out;
			}
			fd = openat(stack[depth], comp, O_PATH | O_NOFOLLOW | O_CLOEXEC);
		}
		if (fd < 0) {
			ctr_fail_errno(err, E_RUNTIME, errno, "cannot open %s of mount point %s",
			               comp, dest);
			goto out;
		}
		struct stat sb;
		if (fstat(fd, &sb) < 0) {
			close(fd);
			ctr_fail_errno(err, E_RUNTIME, errno, "cannot stat %s", comp);
			goto out;
		}
		if (S_ISLNK(sb.st_mode)) {
			char target[4096];
			ssize_t n = readlinkat(fd, "", target, sizeof target - 1);
			close(fd);
			if (n < 0 || ++links > 40) {
				ctr_fail(err, E_RUNTIME,
				         "mount point %s: too many or unreadable "
				         "symlinks in the image",
				         dest);
				goto out;
			}
			target[n] = '\0';
			char *next = xasprintf("%s%s", target, todo);
			free(todo);
			todo = next;
			if (target[0] == '/')
				while (depth > 0)
					close(stack[depth--]);
			continue;
		}
		if (!last && !S_ISDIR(sb.st_mode)) {
			close(fd);
			ctr_fail(err, E_RUNTIME,
			         "mount point %s: %s in the image is not a directory", dest, comp);
			goto out;
		}
		if (depth + 1 >= MAXDEPTH) {
			close(fd);
			ctr_fail(err, E_RUNTIME, "mount point %s is too deep", dest);
			goto out;
		}
		stack[++depth] = fd;
	}
	rc = 0;
out:
	while (depth >= 0)
		close(stack[depth--]);
	free(todo);
	return rc;
}

/*
 * Resolve `dest` (absolute, cleaned) inside the root `rootfd`, creating
 * what is missing first.  The final lookup is always the kernel's
 * openat2(RESOLVE_IN_ROOT).  *existed tells whether the target was already
 * in the image.  Returns an O_PATH fd or -1.
 */
static int resolve_in_root(int rootfd, const char *dest, bool want_dir, bool *existed,
                           struct ctr_err *err)
{
	const char *rel = dest + 1;
	int fd;

	*existed = true;
	ctr_explain("openat2",
	            "resolve the mount point inside the container root; symlinks "
	            "cannot lead out of it",
	            "RESOLVE_IN_ROOT %s", dest);
	fd = openat2_in_root(rootfd, rel, O_PATH);
	if (fd < 0 && errno == ENOENT) {
		*existed = false;
		ctr_explain("mkdirat", "create the missing mount point inside the container root",
		            "%s", dest);
		if (mkdir_all_in_root(rootfd, dest, want_dir, err) < 0)
			return -1;
		fd = openat2_in_root(rootfd, rel, O_PATH);
	}
	if (fd < 0)
		return ctr_fail_errno(err, E_RUNTIME, errno,
		                      "cannot resolve mount point %s in the container", dest);

	struct stat sb;
	if (fstat(fd, &sb) < 0) {
		close(fd);
		return ctr_fail_errno(err, E_RUNTIME, errno, "cannot stat mount point %s", dest);
	}
	if (want_dir && !S_ISDIR(sb.st_mode)) {
		close(fd);
		ctr_fail(err, E_RUNTIME, "mount point %s is not a directory in the image", dest);
		return ctr_hint(err, "a directory can only be mounted on a directory");
	}
	if (!want_dir && S_ISDIR(sb.st_mode)) {
		close(fd);
		ctr_fail(err, E_RUNTIME, "mount point %s is a directory, the source is a file",
		         dest);
		return ctr_hint(err, "bind a file onto a file path");
	}
	return fd;
}

/* ---- copy-up ----------------------------------------------------------- */

static int copy_meta(int dirfd, const char *name, int fd, const struct stat *sb)
{
	struct timespec ts[2] = {sb->st_atim, sb->st_mtim};

	if (fd >= 0) {
		if (fchown(fd, sb->st_uid, sb->st_gid) < 0 || fchmod(fd, sb->st_mode & 07777) < 0)
			return -1;
		return futimens(fd, ts);
	}
	if (fchownat(dirfd, name, sb->st_uid, sb->st_gid, AT_SYMLINK_NOFOLLOW) < 0)
		return -1;
	return utimensat(dirfd, name, ts, AT_SYMLINK_NOFOLLOW);
}

static int copy_file(int sdir, int ddir, const char *name, const struct stat *sb)
{
	cleanup_close int in = openat(sdir, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (in < 0)
		return -1;
	cleanup_close int out =
	    openat(ddir, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (out < 0)
		return -1;
	char buf[65536];
	ssize_t n;
	int rc = 0;
	while ((n = read(in, buf, sizeof buf)) > 0) {
		char *p = buf;
		while (n > 0) {
			ssize_t w = write(out, p, (size_t)n);
			if (w < 0) {
				rc = -1;
				break;
			}
			p += w;
			n -= w;
		}
		if (rc < 0)
			break;
	}
	if (n < 0)
		rc = -1;
	if (rc == 0)
		rc = copy_meta(ddir, name, out, sb);
	return rc;
}

/* Copy the content of directory sdir into ddir (both fds owned by caller). */
static int copy_tree(int sdir, int ddir, int depth)
{
	if (depth > 128) {
		errno = ELOOP;
		return -1;
	}
	int dup_fd = dup(sdir);
	if (dup_fd < 0)
		return -1;
	DIR *d = fdopendir(dup_fd);
	if (!d) {
		close(dup_fd);
		return -1;
	}
	struct dirent *de;
	int rc = 0;
	while (rc == 0 && (de = readdir(d))) {
		const char *n = de->d_name;
		struct stat sb;
		if (!strcmp(n, ".") || !strcmp(n, ".."))
			continue;
		if (fstatat(sdir, n, &sb, AT_SYMLINK_NOFOLLOW) < 0) {
			rc = -1;
			break;
		}
		if (S_ISDIR(sb.st_mode)) {
			if (mkdirat(ddir, n, 0700) < 0) {
				rc = -1;
				break;
			}
			int s2 = openat(sdir, n, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			int d2 = openat(ddir, n, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (s2 < 0 || d2 < 0)
				rc = -1;
			else
				rc = copy_tree(s2, d2, depth + 1);
			if (rc == 0)
				rc = copy_meta(ddir, n, d2, &sb);
			if (s2 >= 0)
				close(s2);
			if (d2 >= 0)
				close(d2);
		} else if (S_ISREG(sb.st_mode)) {
			rc = copy_file(sdir, ddir, n, &sb);
		} else if (S_ISLNK(sb.st_mode)) {
			char target[4096];
			ssize_t len = readlinkat(sdir, n, target, sizeof target - 1);
			if (len < 0) {
				rc = -1;
				break;
			}
			target[len] = '\0';
			rc = symlinkat(target, ddir, n);
			if (rc == 0)
				rc = copy_meta(ddir, n, -1, &sb);
		} else if (S_ISCHR(sb.st_mode) || S_ISBLK(sb.st_mode) || S_ISFIFO(sb.st_mode)) {
			rc = mknodat(ddir, n, sb.st_mode, sb.st_rdev);
			if (rc == 0)
				rc = copy_meta(ddir, n, -1, &sb);
		}
		/* sockets are not copied (as Docker) */
	}
	closedir(d);
	return rc;
}

static bool dir_is_empty(int dirfd)
{
	int fd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return false;
	DIR *d = fdopendir(fd);
	if (!d) {
		close(fd);
		return false;
	}
	struct dirent *de;
	bool empty = true;
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0) {
			empty = false;
			break;
		}
	closedir(d);
	return empty;
}

/*
 * First-use rules for a volume (under its lock, so two containers starting
 * together act once).  Nothing happens to a volume that has content or was
 * copied up before (volume.json "CopiedUp"; a volume the user emptied stays
 * as it is).  For an empty one:
 *   - the image has a directory at the mount point (`existed`): unless
 *     nocopy, its content is copied in (then "CopiedUp" is recorded) and the
 *     volume root takes the directory's owner, mode and times (Docker);
 *   - the image has none: the volume root is chowned to the container's
 *     user, so a non-root service can initialise it (podman's rule).
 * Both are re-applied at each mount while the volume stays empty, as
 * Docker and podman >= 5 do.
 */
static int volume_init(const struct ctr_store *st, const struct ctr_mount *m, int target,
                       bool existed, const struct ctr_mount_owner *owner, struct ctr_err *err)
{
	cJSON *vol = NULL;
	cleanup_free char *data = NULL;
	int rc = 0, lock, dfd;

	if (existed && m->nocopy)
		return 0;
	lock = ctr_store_lock(st, CTR_KIND_VOLUME, m->source, err);
	if (lock < 0)
		return ctr_err_wrap(err, "volume %s", m->source);
	if (ctr_volume_load(st, m->source, &vol, err) < 0) {
		ctr_unlock(lock);
		return -1;
	}
	if (ctr_json_bool(vol, "CopiedUp"))
		goto out;
	data = ctr_volume_data_path(st, m->source);
	dfd = open(data, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dfd < 0) {
		rc = ctr_fail_errno(err, E_IO, errno, "cannot open volume data %s", data);
		goto out;
	}
	if (!dir_is_empty(dfd)) {
		/* in use: never touched again */
	} else if (existed) {
		int sfd = openat(target, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		struct stat sb;
		bool copy = sfd >= 0 && !dir_is_empty(sfd);
		if (copy)
			ctr_explain("copy-up",
			            "a new volume starts with the image's content at its mount "
			            "point",
			            "%s -> volume %s", m->destination, m->source);
		else
			ctr_explain("chown",
			            "a new volume takes the owner and mode of the image's "
			            "directory",
			            "volume %s like %s", m->source, m->destination);
		if (sfd < 0 || fstat(sfd, &sb) < 0 || (copy && copy_tree(sfd, dfd, 0) < 0) ||
		    copy_meta(-1, NULL, dfd, &sb) < 0)
			rc = ctr_fail_errno(err, E_IO, errno, "copying %s into volume %s",
			                    m->destination, m->source);
		if (sfd >= 0)
			close(sfd);
		if (rc == 0 && copy) {
			cleanup_free char *json =
			    ctr_store_obj_path(st, CTR_KIND_VOLUME, m->source, "volume.json");
			cJSON_DeleteItemFromObjectCaseSensitive(vol, "CopiedUp");
			cJSON_AddBoolToObject(vol, "CopiedUp", true);
			rc = ctr_json_save(json, vol, err);
		}
	} else {
		uid_t uid = owner ? owner->uid : 0;
		gid_t gid = owner ? owner->gid : 0;
		ctr_explain("chown",
		            "the image has no directory here: a new volume belongs to the "
		            "container's user",
		            "volume %s %u:%u", m->source, (unsigned)uid, (unsigned)gid);
		if (fchown(dfd, uid, gid) < 0)
			rc = ctr_fail_errno(err, E_IO, errno, "cannot chown volume %s to %u:%u",
			                    m->source, (unsigned)uid, (unsigned)gid);
	}
	close(dfd);
out:
	ctr_unlock(lock);
	cJSON_Delete(vol);
	return rc;
}

/* ---- :U ---------------------------------------------------------------- */

/*
 * chown everything under directory `dirfd` (not the directory itself) to
 * uid:gid: never following a symlink (the link itself is chowned), never
 * entering another file system (`dev`).
 */
static int chown_tree(int dirfd, dev_t dev, uid_t uid, gid_t gid, int depth)
{
	if (depth > 128) {
		errno = ELOOP;
		return -1;
	}
	int dup_fd = dup(dirfd);
	if (dup_fd < 0)
		return -1;
	DIR *d = fdopendir(dup_fd);
	if (!d) {
		close(dup_fd);
		return -1;
	}
	struct dirent *de;
	int rc = 0;
	while (rc == 0 && (de = readdir(d))) {
		const char *n = de->d_name;
		struct stat sb;
		if (!strcmp(n, ".") || !strcmp(n, ".."))
			continue;
		if (fstatat(dirfd, n, &sb, AT_SYMLINK_NOFOLLOW) < 0) {
			rc = errno == ENOENT ? 0 : -1; /* removed meanwhile */
			continue;
		}
		if (sb.st_dev != dev)
			continue; /* a mount point: another file system */
		if (S_ISDIR(sb.st_mode)) {
			int sub = openat(dirfd, n, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (sub < 0) {
				rc = -1;
				break;
			}
			rc = chown_tree(sub, dev, uid, gid, depth + 1);
			close(sub);
		}
		if (rc == 0 && (sb.st_uid != uid || sb.st_gid != gid) &&
		    fchownat(dirfd, n, uid, gid, AT_SYMLINK_NOFOLLOW) < 0)
			rc = -1;
	}
	closedir(d);
	return rc;
}

/* `:U`: chown the source `src` (a directory or a file) to the owner, recursively. */
static int chown_source(const struct ctr_mount *m, const char *src,
                        const struct ctr_mount_owner *owner, struct ctr_err *err)
{
	uid_t uid = owner ? owner->uid : 0;
	gid_t gid = owner ? owner->gid : 0;
	struct stat sb;
	int rc = 0;

	ctr_explain("chown", ":U gives the mount's source to the container's user, recursively",
	            "%s %u:%u", src, (unsigned)uid, (unsigned)gid);
	/* The source itself is followed, as the bind mount follows it. */
	cleanup_close int fd = open(src, O_PATH | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &sb) < 0)
		rc = -1;
	if (rc == 0 && S_ISDIR(sb.st_mode)) {
		cleanup_close int dfd = openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		rc = dfd < 0 ? -1 : chown_tree(dfd, sb.st_dev, uid, gid, 0);
	}
	if (rc == 0 && fchownat(fd, "", uid, gid, AT_EMPTY_PATH) < 0)
		rc = -1;
	int e = errno;
	if (rc < 0)
		return ctr_fail_errno(err, E_IO, e, "cannot chown %s to %u:%u for %s (U)", src,
		                      (unsigned)uid, (unsigned)gid, m->destination);
	return 0;
}

/* ---- mounting ---------------------------------------------------------- */

void volume_tmpfs_flags(const char *options, unsigned long *flags, char **data)
{
	cleanup_free char *o = xstrdup(options ? options : "");
	struct strbuf sb;
	char *save = NULL;

	*flags = 0;
	strbuf_init(&sb);
	for (char *tok = strtok_r(o, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		const struct volume_mount_opt *fo = volume_tmpfs_flag_find(tok);
		if (fo)
			*flags = (*flags | fo->set) & ~fo->clear;
		else if (strchr(tok, '='))
			strbuf_printf(&sb, "%s%s", sb.len ? "," : "", tok);
	}
	*data = strbuf_detach(&sb);
}

/* Re-resolve a destination after mounting on it: the fd now names the new mount. */
static int reopen_top(int rootfd, const char *dest, char proc[64], struct ctr_err *err)
{
	int fd = openat2_in_root(rootfd, dest + 1, O_PATH);
	if (fd < 0)
		return ctr_fail_errno(err, E_RUNTIME, errno, "cannot reopen mount %s", dest);
	snprintf(proc, 64, "/proc/self/fd/%d", fd);
	return fd;
}

static int remount_ro(int rootfd, const struct ctr_mount *m, const char *src, struct ctr_err *err)
{
	char proc[64];
	unsigned long flags = MS_BIND | MS_REMOUNT | MS_RDONLY;
	struct statvfs sv;
	cleanup_close int fd = reopen_top(rootfd, m->destination, proc, err);

	if (fd < 0)
		return -1;
	/*
	 * Recursively read-only (kernel >= 5.12): the bind and every mount
	 * under it, so a submount of the source is not a writable hole.
	 */
	struct mount_attr attr = {.attr_set = MOUNT_ATTR_RDONLY};
	ctr_explain("mount_setattr",
	            "read-only for the bind and every submount: writes fail "
	            "with EROFS",
	            "AT_RECURSIVE MOUNT_ATTR_RDONLY %s", m->destination);
	if (mount_setattr(fd, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr, sizeof attr) == 0)
		return 0;
	if (errno != ENOSYS) {
		int e = errno;
		return ctr_fail_errno(err, E_RUNTIME, e, "cannot make %s read-only (source %s)",
		                      m->destination, src);
	}
	/* Older kernels: remount the top mount only, keeping its (maybe locked) flags. */
	if (statvfs(proc, &sv) == 0) {
		if (sv.f_flag & ST_NOSUID)
			flags |= MS_NOSUID;
		if (sv.f_flag & ST_NODEV)
			flags |= MS_NODEV;
		if (sv.f_flag & ST_NOEXEC)
			flags |= MS_NOEXEC;
	}
	ctr_explain("mount", "make the bind mount read-only: writes fail with EROFS",
	            "MS_BIND|MS_REMOUNT|MS_RDONLY %s", m->destination);
	int rc = mount(NULL, proc, NULL, flags, NULL);
	int e = errno;
	if (rc < 0)
		return ctr_fail_errno(err, E_RUNTIME, e, "cannot make %s read-only (source %s)",
		                      m->destination, src);
	return 0;
}

/*
 * `:idmap`: an idmapped clone of `src` attached on `target_fd`: on-disk IDs
 * are the container's (its root writes files owned by 0 on disk).
 */
static int idmap_bind(int userns_fd, const char *src, int target_fd, const struct ctr_mount *m,
                      struct ctr_err *err)
{
	struct mount_attr attr = {.attr_set = MOUNT_ATTR_IDMAP, .userns_fd = (__u64)userns_fd};
	int t;

	if (userns_fd <= 0) {
		ctr_fail(err, E_INVALID_ARG, "%s: idmap needs a user namespace", m->destination);
		return ctr_hint(err, "add --userns auto (or --uidmap), or drop :idmap");
	}
	t = (int)syscall(SYS_open_tree, AT_FDCWD, src,
	                 OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE);
	if (t < 0)
		return ctr_fail_errno(err, E_RUNTIME, errno, "open_tree %s", src);
	if (syscall(SYS_mount_setattr, t, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr, sizeof attr) <
	        0 ||
	    syscall(SYS_move_mount, t, "", target_fd, "",
	            MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0) {
		int e = errno;
		close(t);
		ctr_fail_errno(err, E_RUNTIME, e, "idmapped mount of %s on %s", src,
		               m->destination);
		return ctr_hint(err, "the source's filesystem must support idmapped mounts "
		                     "(Linux >= 5.12; containr doctor)");
	}
	close(t);
	return 0;
}

static int apply_one(const struct ctr_store *st, int rootfd, const struct ctr_mount *m,
                     const struct ctr_mount_owner *owner, struct ctr_err *err)
{
	cleanup_free char *src = NULL;
	cleanup_free char *data = NULL;
	const char *fstype = NULL;
	unsigned long flags = 0;
	bool want_dir = true, existed = false, is_volume = m->type == CTR_MOUNT_VOLUME;
	char proc[64];

	if (m->type == CTR_MOUNT_TMPFS) {
		fstype = "tmpfs";
		volume_tmpfs_flags(m->options, &flags, &data);
	} else if (m->type == CTR_MOUNT_BIND) {
		struct stat sb;
		src = xstrdup(m->source);
		if (stat(src, &sb) < 0) {
			ctr_fail_errno(err, E_RUNTIME, errno, "bind source %s", src);
			return ctr_hint(err, "the host path must exist when the container starts");
		}
		want_dir = S_ISDIR(sb.st_mode);
	} else {
		cJSON *vol = NULL;
		if (ctr_volume_load(st, m->source, &vol, err) < 0)
			return ctr_err_wrap(err, "mount on %s", m->destination);
		const cJSON *opts = ctr_json_obj(vol, "Options");
		const char *type = ctr_json_str_or(opts, "type", "");
		const char *dev = ctr_json_str(opts, "device");
		const char *ostr = ctr_json_str_or(opts, "o", "");
		if (!strcmp(type, "tmpfs")) {
			/* Local driver type=tmpfs: a fresh tmpfs per mount. */
			cleanup_free char *norm = NULL;
			int rc = volume_tmpfs_options(ostr, ostr, &norm, err);
			if (rc == 0)
				volume_tmpfs_flags(norm, &flags, &data);
			cJSON_Delete(vol);
			if (rc < 0)
				return -1;
			flags &= ~(unsigned long)MS_NOEXEC; /* volumes are exec by default */
			fstype = "tmpfs";
			is_volume = false;
		} else if (!strcmp(type, "none") && dev) {
			src = xstrdup(dev);
			is_volume = false;
			cJSON_Delete(vol);
		} else {
			cJSON_Delete(vol);
			src = ctr_volume_data_path(st, m->source);
		}
	}

	int fd = resolve_in_root(rootfd, m->destination, want_dir, &existed, err);
	if (fd < 0)
		return -1;
	if ((is_volume && volume_init(st, m, fd, existed, owner, err) < 0) ||
	    (m->chown && src && chown_source(m, src, owner, err) < 0)) {
		close(fd);
		return -1;
	}
	snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
	int rc;
	if (fstype) {
		if (m->readonly)
			flags |= MS_RDONLY;
		ctr_explain("mount", "a private in-memory filesystem for this container",
		            "tmpfs on %s (%s%s)", m->destination, data && *data ? data : "",
		            flags & MS_RDONLY ? ",ro" : "");
		rc = mount("tmpfs", proc, fstype, flags, data);
	} else {
		ctr_explain("mount",
		            m->type == CTR_MOUNT_BIND
		                ? "bind a host path into the container"
		                : "bind the volume's data directory into the container",
		            "MS_BIND|MS_REC%s %s -> %s", m->idmap ? " idmapped" : "", src,
		            m->destination);
		if (m->idmap)
			rc = idmap_bind(owner ? owner->userns_fd : 0, src, fd, m, err);
		else
			rc = mount(src, proc, NULL, MS_BIND | MS_REC, NULL);
		if (m->idmap && rc < 0) {
			close(fd);
			return -1;
		}
	}
	int e = errno;
	close(fd);
	if (rc < 0)
		return ctr_fail_errno(err, E_RUNTIME, e, "cannot mount %s on %s",
		                      src ? src : "tmpfs", m->destination);
	if (!fstype) {
		int pfd = reopen_top(rootfd, m->destination, proc, err);
		if (pfd < 0)
			return -1;
		ctr_explain("mount", "mount events do not leak between host and container",
		            "propagation %s on %s", m->propagation ? m->propagation : "rprivate",
		            m->destination);
		rc = mount(NULL, proc, NULL, volume_propagation_flags(m->propagation), NULL);
		e = errno;
		close(pfd);
		if (rc < 0)
			return ctr_fail_errno(err, E_RUNTIME, e, "cannot set propagation of %s",
			                      m->destination);
		if (m->readonly && remount_ro(rootfd, m, src, err) < 0)
			return -1;
	} else if (m->chown) {
		/* A fresh tmpfs (local driver type=tmpfs) is empty: its root is all. */
		int tfd = reopen_top(rootfd, m->destination, proc, err);
		if (tfd < 0)
			return -1;
		rc = fchownat(tfd, "", owner ? owner->uid : 0, owner ? owner->gid : 0,
		              AT_EMPTY_PATH);
		e = errno;
		close(tfd);
		if (rc < 0)
			return ctr_fail_errno(err, E_IO, e, "cannot chown the tmpfs on %s (U)",
			                      m->destination);
	}
	return 0;
}

static size_t depth_of(const char *p)
{
	size_t d = 0;
	for (; *p; p++)
		d += *p == '/';
	return d;
}

bool ctr_mounts_need_owner(const struct ctr_mount_list *list)
{
	for (size_t i = 0; i < list->n; i++)
		if (list->v[i].type == CTR_MOUNT_VOLUME || list->v[i].chown)
			return true;
	return false;
}

int ctr_mounts_apply(const struct ctr_store *st, const char *rootfs,
                     const struct ctr_mount_list *list, const struct ctr_mount_owner *owner,
                     struct ctr_err *err)
{
	if (list->n == 0)
		return 0;
	cleanup_close int rootfd = open(rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0)
		return ctr_fail_errno(err, E_RUNTIME, errno, "cannot open container root %s",
		                      rootfs);
	/* Parents before children: stable order by depth. */
	size_t *order = xcalloc(list->n, sizeof *order);
	size_t k = 0;
	for (size_t d = 1; k < list->n; d++)
		for (size_t i = 0; i < list->n; i++)
			if (depth_of(list->v[i].destination) == d)
				order[k++] = i;
	int rc = 0;
	for (size_t i = 0; i < list->n && rc == 0; i++)
		rc = apply_one(st, rootfd, &list->v[order[i]], owner, err);
	free(order);
	return rc;
}
