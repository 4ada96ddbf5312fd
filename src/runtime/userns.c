/*
 * userns.c - the runtime side of user namespaces (docs/USERNS.md).
 *
 *   create   --userns/--uidmap/--gidmap -> the two maps in the config,
 *            `private`/`auto` ranges taken from the pool (released at rm)
 *   monitor  after clone(CLONE_NEWUSER|...): write uid_map/gid_map, then a
 *            mount helper (host root, setns into the init's mount
 *            namespace) mounts the root filesystem on idmapped layers and
 *            the volumes, and hands the init an fd of the mounted root
 *   init     becomes 0:0 of its namespace, fchdir()s to that fd, mounts
 *            /proc, /dev (device binds, no mknod), /sys itself
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/mount.h>
#include <linux/securebits.h>

#include "containr/log.h"
#include "containr/userns.h"
#include "runtime/internal.h"

/* ---- create ---------------------------------------------------------------- */

static bool container_alive(const char *id, void *ud)
{
	const struct ctr_store *st = ud;
	cleanup_free char *p = ctr_store_obj_path(st, CTR_KIND_CONTAINER, id, NULL);
	return access(p, F_OK) == 0;
}

static char *pool_dir(const struct ctr_store *st)
{
	return ctr_store_path(st, "userns");
}

int runtime_userns_validate(const struct ctr_container_config *cfg, struct ctr_err *err)
{
	const char *mode = NULL;
	uint32_t size;

	if (cfg->userns && ctr_userns_parse_mode(cfg->userns, &mode, &size, err) < 0)
		return -1;
	if (mode && (strcmp(mode, "keep-id") == 0 || strcmp(mode, "nomap") == 0) &&
	    geteuid() == 0) {
		ctr_fail(err, E_INVALID_ARG, "--userns %s is only for rootless containers", mode);
		return ctr_hint(err, "as root, use --userns auto (a private range) or --uidmap");
	}
	if (runtime_rootless() && (cfg->uidmap.n || (mode && strcmp(mode, "host") != 0 &&
	                                             strcmp(mode, "private") != 0))) {
		ctr_fail(err, E_UNSUPPORTED,
		         "%s%s: only the default user namespace is built for rootless containers",
		         cfg->uidmap.n ? "--uidmap" : "--userns ", cfg->uidmap.n ? "" : mode);
		return ctr_hint(err, "run as root (docs/USERNS.md, \"Rootless\"; containr doctor "
		                     "checks the prerequisites)");
	}
	if (mode && strcmp(mode, "host") == 0 && cfg->uidmap.n) {
		ctr_fail(err, E_INVALID_ARG, "--uidmap cannot be used with --userns host");
		return ctr_hint(err, "drop --userns host: --uidmap creates a user namespace");
	}
	if (mode && strcmp(mode, "auto") == 0 && cfg->uidmap.n) {
		ctr_fail(err, E_INVALID_ARG, "--uidmap cannot be used with --userns auto");
		return ctr_hint(err, "auto picks the range; give one or the other");
	}
	if (cfg->gidmap.n && !cfg->uidmap.n) {
		ctr_fail(err, E_INVALID_ARG, "--gidmap needs --uidmap");
		return ctr_hint(err,
		                "give --uidmap too (a --uidmap alone is used for gids as well)");
	}
	if (cfg->uidmap.n && ctr_idmap_to_host(&cfg->uidmap, 0) < 0) {
		ctr_fail(err, E_INVALID_ARG, "--uidmap does not map the container's root (uid 0)");
		return ctr_hint(err, "start a range at 0, e.g. --uidmap 0:100000:65536");
	}
	return 0;
}

int runtime_userns_check_mounts(const struct ctr_container_config *cfg, struct ctr_err *err)
{
	const char *mode = NULL;
	uint32_t size;

	if (cfg->userns && ctr_userns_parse_mode(cfg->userns, &mode, &size, err) < 0)
		return -1;
	if (!cfg->uidmap.n && (!mode || strcmp(mode, "host") == 0)) {
		const cJSON *m;
		cJSON_ArrayForEach (m, cfg->mounts)
			if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(m, "IDMap"))) {
				const cJSON *d = cJSON_GetObjectItemCaseSensitive(m, "Destination");
				ctr_fail(err, E_INVALID_ARG,
				         "the idmap mount on %s needs a user namespace",
				         cJSON_IsString(d) ? d->valuestring : "?");
				return ctr_hint(err,
				                "add --userns auto (or --uidmap), or drop :idmap");
			}
	}
	return 0;
}

/*
 * Rootless (podman's default): container 0 is the user, 1..N the user's first
 * subordinate range (at most 65536).  Without subordinate IDs: only 0, with a
 * warning (files of other owners in the image appear as nobody).
 */
static int rootless_maps(struct ctr_container_config *cfg, struct ctr_err *err)
{
	struct passwd *pw = getpwuid(getuid());
	struct ctr_subid_range su, sg;
	size_t nu = 0, ng = 0;

	ctr_subid_lookup("/etc/subuid", pw ? pw->pw_name : NULL, getuid(), &su, 1, &nu, err);
	ctr_subid_lookup("/etc/subgid", pw ? pw->pw_name : NULL, getuid(), &sg, 1, &ng, err);
	ctr_err_clear(err);
	cfg->uidmap.n = cfg->gidmap.n = 0;
	ctr_idmap_add(&cfg->uidmap, 0, getuid(), 1, "--userns", err);
	ctr_idmap_add(&cfg->gidmap, 0, getgid(), 1, "--userns", err);
	if (nu && ng && access("/usr/bin/newuidmap", X_OK) == 0 &&
	    access("/usr/bin/newgidmap", X_OK) == 0) {
		uint32_t n = su.count < sg.count ? su.count : sg.count;
		if (n > CTR_USERNS_AUTO_SIZE - 1)
			n = CTR_USERNS_AUTO_SIZE - 1;
		if (ctr_idmap_add(&cfg->uidmap, 1, su.start, n, "/etc/subuid", err) < 0 ||
		    ctr_idmap_add(&cfg->gidmap, 1, sg.start, n, "/etc/subgid", err) < 0)
			return -1;
	} else {
		ctr_warn("rootless: only your own ID is mapped (container root); other IDs of the "
		         "image appear as nobody",
		         "fix",
		         "add ranges to /etc/subuid and /etc/subgid, install uidmap "
		         "(containr doctor)");
	}
	free(cfg->userns);
	cfg->userns = xstrdup("private");
	return 0;
}

int runtime_userns_prepare(const struct ctr_store *st, struct ctr_container_config *cfg,
                           const char *id, struct ctr_err *err)
{
	const char *mode = NULL;
	uint32_t size = 0, off;

	if (cfg->userns && ctr_userns_parse_mode(cfg->userns, &mode, &size, err) < 0)
		return -1;
	if (runtime_rootless())
		return rootless_maps(cfg, err);
	if (cfg->uidmap.n) {
		if (!cfg->gidmap.n)
			cfg->gidmap = cfg->uidmap;
		free(cfg->userns);
		cfg->userns = xstrdup("private");
		return 0;
	}
	if (!mode || strcmp(mode, "host") == 0) {
		free(cfg->userns);
		cfg->userns = NULL;
		return 0;
	}
	/* private and auto: a fresh range of the pool. */
	struct ctr_userns_pool pool;
	cleanup_free char *dir = pool_dir(st);
	ctr_userns_pool_default(NULL, NULL, &pool);
	if (!size)
		size = CTR_USERNS_AUTO_SIZE;
	if (ctr_userns_auto_alloc(dir, &pool, size, id, container_alive, (void *)st, &off, err) < 0)
		return -1;
	cfg->uidmap.n = cfg->gidmap.n = 0;
	ctr_idmap_add(&cfg->uidmap, 0, pool.uid_start + off, size, "--userns", err);
	ctr_idmap_add(&cfg->gidmap, 0, pool.gid_start + off, size, "--userns", err);
	ctr_explain("userns", "a private range of host IDs from the pool (flock'd auto.json)",
	            "uid 0-%u -> %u-%u", size - 1, pool.uid_start + off,
	            pool.uid_start + off + size - 1);
	return 0;
}

void runtime_userns_release(const struct ctr_store *st, const char *id)
{
	cleanup_free char *dir = pool_dir(st);
	struct ctr_err e;
	if (ctr_userns_auto_release(dir, id, &e) < 0)
		ctr_warn("cannot release the container's ID range", "error", e.msg);
}

/* ---- monitor ------------------------------------------------------------------ */

static int write_proc(pid_t pid, const char *file, const char *text, struct ctr_err *err)
{
	cleanup_free char *p = xasprintf("/proc/%d/%s", (int)pid, file);
	int fd = open(p, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return ctr_fail_errno(err, E_RUNTIME, errno, "open %s", p);
	ssize_t n = write(fd, text, strlen(text));
	int e = errno;
	close(fd);
	if (n != (ssize_t)strlen(text))
		return ctr_fail_errno(err, E_RUNTIME, n < 0 ? e : EIO, "write %s", p);
	return 0;
}

/* newuidmap PID IN OUT COUNT... (setuid helpers from shadow's uidmap package). */
static int run_newidmap(const char *prog, pid_t pid, const struct ctr_idmap *m, struct ctr_err *err)
{
	struct strv argv;
	pid_t c;
	int status;

	strv_init(&argv);
	strv_push(&argv, prog);
	strv_push_owned(&argv, xasprintf("%d", (int)pid));
	for (size_t i = 0; i < m->n; i++) {
		strv_push_owned(&argv, xasprintf("%u", m->e[i].inside));
		strv_push_owned(&argv, xasprintf("%u", m->e[i].outside));
		strv_push_owned(&argv, xasprintf("%u", m->e[i].count));
	}
	ctr_explain("exec", "a setuid helper writes the map of subordinate IDs", "%s %d ...", prog,
	            (int)pid);
	c = fork();
	if (c == 0) {
		execv(prog, argv.v);
		_exit(127);
	}
	strv_release(&argv);
	if (c < 0 || waitpid(c, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status)) {
		ctr_fail(err, E_RUNTIME, "%s for the container failed", prog);
		return ctr_hint(err, "check /etc/subuid and /etc/subgid (containr doctor)");
	}
	return 0;
}

int runtime_userns_write_maps(const struct ctr_container_config *cfg, pid_t pid,
                              struct ctr_err *err)
{
	if (runtime_rootless()) {
		if (cfg->uidmap.n > 1)
			return run_newidmap("/usr/bin/newuidmap", pid, &cfg->uidmap, err) < 0 ||
			               run_newidmap("/usr/bin/newgidmap", pid, &cfg->gidmap, err) <
			                   0
			           ? -1
			           : 0;
		/* Our own ID only: allowed without helpers once setgroups is denied. */
		if (write_proc(pid, "setgroups", "deny", err) < 0)
			return -1;
	}
	cleanup_free char *u = ctr_idmap_format(&cfg->uidmap), *g = ctr_idmap_format(&cfg->gidmap);
	ctr_explain("write", "the init's user namespace: container IDs -> host IDs",
	            "/proc/%d/uid_map: %s", (int)pid, u);
	if (write_proc(pid, "uid_map", u, err) < 0)
		return -1;
	ctr_explain("write", "the same for groups", "/proc/%d/gid_map: %s", (int)pid, g);
	return write_proc(pid, "gid_map", g, err);
}

/* An idmapped clone of `src` attached at `target` (both in our mount namespace). */
static int idmap_mount(int userns_fd, const char *src, const char *target, bool recursive,
                       struct ctr_err *err)
{
	struct mount_attr attr = {.attr_set = MOUNT_ATTR_IDMAP, .userns_fd = (__u64)userns_fd};
	int fd = (int)syscall(SYS_open_tree, AT_FDCWD, src,
	                      OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | (recursive ? AT_RECURSIVE : 0));

	ctr_explain("mount_setattr", "an idmapped view: on-disk 0 is the container's 0",
	            "%s -> %s MOUNT_ATTR_IDMAP", src, target);
	if (fd < 0)
		return ctr_fail_errno(err, E_RUNTIME, errno, "open_tree %s", src);
	if (syscall(SYS_mount_setattr, fd, "", AT_EMPTY_PATH | (recursive ? AT_RECURSIVE : 0),
	            &attr, sizeof attr) < 0) {
		int e = errno;
		close(fd);
		ctr_fail_errno(err, E_UNSUPPORTED, e, "idmapped mount of %s", src);
		return ctr_hint(err, "needs Linux >= 5.12 and a filesystem with idmapped mounts; "
		                     "run with --userns host (containr doctor checks this)");
	}
	if (syscall(SYS_move_mount, fd, "", AT_FDCWD, target, MOVE_MOUNT_F_EMPTY_PATH) < 0) {
		int e = errno;
		close(fd);
		return ctr_fail_errno(err, E_RUNTIME, e, "move_mount %s", target);
	}
	close(fd);
	return 0;
}

/* The helper's body: in the init's mount namespace, as host root. */
static int helper_mounts(struct runtime_child *ch, pid_t pid, int sock, struct ctr_err *err)
{
	const struct ctr_container_config *cfg = &ch->c->cfg;
	cleanup_free char *unsp = xasprintf("/proc/%d/ns/user", (int)pid),
	                  *mntp = xasprintf("/proc/%d/ns/mnt", (int)pid);
	cleanup_close int userns = open(unsp, O_RDONLY | O_CLOEXEC);
	cleanup_close int mnt = open(mntp, O_RDONLY | O_CLOEXEC);
	uid_t ruid = (uid_t)ctr_idmap_to_host(&cfg->uidmap, 0);
	gid_t rgid = (gid_t)ctr_idmap_to_host(&cfg->gidmap, 0);

	if (userns < 0 || mnt < 0)
		return ctr_fail_errno(err, E_RUNTIME, errno, "open the init's namespaces");
	ctr_explain("setns", "the mount helper (host root) works in the init's mount namespace",
	            "%s", mntp);
	if (setns(mnt, CLONE_NEWNS) < 0)
		return ctr_fail_errno(err, E_RUNTIME, errno, "setns %s", mntp);
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		return ctr_fail_errno(err, E_RUNTIME, errno, "make / private");
	if (ch->lowerdirs.n > 0) {
		struct strv lowers;
		int rc = 0;
		strv_init(&lowers);
		for (size_t i = 0; i < ch->lowerdirs.n && rc == 0; i++) {
			char *t = xasprintf("%s/lowers/%zu", ch->c->dir, i);
			strv_push_owned(&lowers, t);
			rc = ctr_mkdir_p(t, 0700, err);
			if (rc == 0)
				rc = idmap_mount(userns, ch->lowerdirs.v[i], t, false, err);
		}
		/* The upper dir is the root directory: owned by the container's root. */
		if (rc == 0 &&
		    (chown(ch->upper, ruid, rgid) < 0 || chown(ch->work, ruid, rgid) < 0))
			rc = ctr_fail_errno(err, E_RUNTIME, errno, "chown %s", ch->upper);
		if (rc == 0) {
			ctr_explain("mount", "overlay on the idmapped layers", "%s (%zu layers)",
			            ch->rootfs, lowers.n);
			rc = runtime_overlay_mount(&lowers, ch->upper, ch->work, ch->rootfs, err);
		}
		strv_release(&lowers);
		if (rc < 0)
			return -1;
	} else if (idmap_mount(userns, cfg->rootfs, ch->rootfs, true, err) < 0) {
		return -1;
	}
	/*
	 * Mount points and new files made from here on (volumes, /etc/hosts & co)
	 * belong to the container's root: on an idmapped root, host root has no
	 * on-disk ID at all (EOVERFLOW).  Keep the capabilities across setfsuid.
	 */
	if (prctl(PR_SET_SECUREBITS, SECBIT_NO_SETUID_FIXUP) < 0)
		return ctr_fail_errno(err, E_RUNTIME, errno, "PR_SET_SECUREBITS");
	setfsgid(rgid);
	setfsuid(ruid);
	ch->userns_fd = userns;
	if (runtime_child_volume_mounts(ch, err) < 0)
		return -1;
	int root = open(ch->rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (root < 0)
		return ctr_fail_errno(err, E_RUNTIME, errno, "open %s", ch->rootfs);
	if (runtime_fd_send(sock, root) < 0) {
		close(root);
		return ctr_fail_errno(err, E_RUNTIME, errno, "pass the root to the init");
	}
	close(root);
	return 0;
}

int runtime_userns_mount_helper(struct runtime_child *ch, pid_t pid, int sock, struct ctr_err *err)
{
	int ep[2];
	struct runtime_child_error ce;
	pid_t h;
	ssize_t n;

	if (pipe2(ep, O_CLOEXEC) < 0)
		return ctr_fail_errno(err, E_RUNTIME, errno, "pipe");
	h = fork();
	if (h < 0) {
		close(ep[0]);
		close(ep[1]);
		return ctr_fail_errno(err, E_RUNTIME, errno, "fork the mount helper");
	}
	if (h == 0) {
		struct ctr_err e;
		close(ep[0]);
		ctr_err_clear(&e);
		if (helper_mounts(ch, pid, sock, &e) < 0)
			runtime_child_fail(ep[1], CTR_EXIT_ENGINE, &e);
		_exit(0);
	}
	close(ep[1]);
	do
		n = read(ep[0], &ce, sizeof ce);
	while (n < 0 && errno == EINTR);
	close(ep[0]);
	waitpid(h, NULL, 0);
	if (n == (ssize_t)sizeof ce) {
		ctr_err_clear(err);
		err->code = (enum ctr_errcode)ce.code;
		err->sys_errno = ce.sys_errno;
		snprintf(err->msg, sizeof err->msg, "%s", ce.msg);
		snprintf(err->hint, sizeof err->hint, "%s", ce.hint);
		return -1;
	}
	return 0;
}

/* ---- init ----------------------------------------------------------------------- */

int runtime_userns_child_enter(struct runtime_child *ch, struct ctr_err *err)
{
	ctr_explain("setresuid", "become root of the new user namespace", "0:0 (host %lld:%lld)",
	            (long long)ctr_idmap_to_host(&ch->c->cfg.uidmap, 0),
	            (long long)ctr_idmap_to_host(&ch->c->cfg.gidmap, 0));
	if (setresgid(0, 0, 0) < 0 || (setgroups(0, NULL) < 0 && !ch->rootless) ||
	    setresuid(0, 0, 0) < 0)
		return ctr_fail_errno(err, E_RUNTIME, errno, "become root of the user namespace");
	if (ch->rootless) {
		close(ch->userns_sock);
		return 0; /* our own files: the init mounts its root itself */
	}
	int root = runtime_fd_recv(ch->userns_sock);
	close(ch->userns_sock);
	if (root < 0)
		return ctr_fail(err, E_RUNTIME, "the mount helper sent no root filesystem");
	if (fchdir(root) < 0) {
		close(root);
		return ctr_fail_errno(err, E_RUNTIME, errno, "fchdir to the root filesystem");
	}
	close(root);
	ch->rootfs = ".";
	return 0;
}

int runtime_userns_bind_devices(const char *root, struct ctr_err *err)
{
	static const char *const devs[] = {"null", "zero", "full", "random", "urandom", "tty"};
	for (size_t i = 0; i < CTR_ARRAY_SIZE(devs); i++) {
		cleanup_free char *p = xasprintf("%s/dev/%s", root, devs[i]),
		                  *src = xasprintf("/dev/%s", devs[i]);
		int fd = open(p, O_CREAT | O_WRONLY | O_CLOEXEC, 0666);
		if (fd < 0)
			return ctr_fail_errno(err, E_RUNTIME, errno, "create /dev/%s", devs[i]);
		close(fd);
		ctr_explain("mount", "mknod is refused in a user namespace: bind the host's node",
		            "/dev/%s on %s MS_BIND", devs[i], p);
		if (mount(src, p, NULL, MS_BIND, NULL) < 0)
			return ctr_fail_errno(err, E_RUNTIME, errno, "bind /dev/%s", devs[i]);
	}
	return 0;
}
