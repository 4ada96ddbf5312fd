/*
 * child.c - the container init between clone() and execve().
 *
 * Runs in fresh namespaces (mount, pid, uts, ipc, net unless --network
 * host; cgroup after joining the cgroup).  In order: wait until the
 * monitor has moved us into the cgroup, take the stdio (pty as
 * controlling terminal), make every mount private, mount the root
 * filesystem, /proc, /dev, /sys, ..., apply volumes and /etc/hosts & co
 * (hook), pivot_root,
 * mask paths, hostname, loopback, rlimits, user, capabilities,
 * no_new_privs, seccomp, execve.  Any failure is sent back on err_fd as a
 * struct runtime_child_error and the init exits 125/126/127.
 */
#include <errno.h>
#include <sched.h>
#include <fcntl.h>
#include <net/if.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <linux/close_range.h>
#include <unistd.h>

#include "containr/cgroup.h"
#include "containr/log.h"
#include "containr/volume.h"
#include "runtime/internal.h"

int runtime_clone_flags(const struct ctr_container_config *cfg)
{
	int f = CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWUTS | CLONE_NEWIPC;
	if (!runtime_host_network(cfg))
		f |= CLONE_NEWNET;
	/* One clone: the user namespace owns every other one (docs/USERNS.md). */
	if (runtime_userns_enabled(cfg))
		f |= CLONE_NEWUSER;
	return f;
}

void runtime_child_fail(int fd, int exit_code, const struct ctr_err *err)
{
	struct runtime_child_error e;

	memset(&e, 0, sizeof e);
	e.exit_code = exit_code;
	e.code = err ? (int)err->code : (int)E_RUNTIME;
	e.sys_errno = err ? err->sys_errno : 0;
	snprintf(e.msg, sizeof e.msg, "%s",
	         err && err->msg[0] ? err->msg : "container init failed");
	snprintf(e.hint, sizeof e.hint, "%s", err ? err->hint : "");
	if (fd >= 0) {
		ssize_t r = write(fd, &e, sizeof e);
		(void)r;
	}
	_exit(exit_code);
}

/* mount(2) with explain and a one-line error naming the target. */
static int do_mount(const char *src, const char *target, const char *fstype, unsigned long flags,
                    const char *data, const char *why, struct ctr_err *err)
{
	ctr_explain("mount", why, "%s on %s type %s flags=0x%lx%s%s", src ? src : "none", target,
	            fstype ? fstype : "-", flags, data ? " data=" : "", data ? data : "");
	if (mount(src, target, fstype, flags, data) < 0)
		return ctr_fail_errno(err, E_RUNTIME, errno, "mount %s on %s",
		                      fstype ? fstype : src, target);
	return 0;
}

static char *in_root(const char *root, const char *p)
{
	return xasprintf("%s%s", root, p);
}

/* mkdir -p of a mount point inside the rootfs (best effort for existing ones). */
static int ensure_dir(const char *root, const char *p, struct ctr_err *err)
{
	cleanup_free char *full = in_root(root, p);
	struct stat sb;
	if (lstat(full, &sb) == 0) {
		if (S_ISLNK(sb.st_mode))
			return ctr_fail(err, E_RUNTIME, "mount point %s is a symlink in the rootfs",
			                p);
		return 0;
	}
	return ctr_mkdir_p(full, 0755, err);
}

static int mount_rootfs(struct runtime_child *ch, struct ctr_err *err)
{
	const struct ctr_container_config *cfg = &ch->c->cfg;

	ctr_explain("mount", "stop mount events propagating to/from the host",
	            "/ MS_REC|MS_PRIVATE");
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		return ctr_fail_errno(err, E_RUNTIME, errno, "make / private");
	if (ch->lowerdirs.n > 0) {
		ctr_explain("mount",
		            "image layers read-only, writes go to the container's upper dir",
		            "overlay on %s (%zu layers)", ch->rootfs, ch->lowerdirs.n);
		if (runtime_overlay_mount(&ch->lowerdirs, ch->upper, ch->work, ch->rootfs, err) < 0)
			return -1;
	} else {
		if (do_mount(cfg->rootfs, ch->rootfs, NULL, MS_BIND | MS_REC, NULL,
		             "--rootfs: the directory becomes the container's /", err) < 0)
			return -1;
	}
	return 0;
}

static int make_dev(const char *root, struct ctr_err *err)
{
	static const struct {
		const char *name;
		unsigned maj, min;
	} devs[] = {{"null", 1, 3},   {"zero", 1, 5},    {"full", 1, 7},
	            {"random", 1, 8}, {"urandom", 1, 9}, {"tty", 5, 0}};
	static const struct {
		const char *target, *link;
	} links[] = {{"/proc/self/fd", "fd"},
	             {"/proc/self/fd/0", "stdin"},
	             {"/proc/self/fd/1", "stdout"},
	             {"/proc/self/fd/2", "stderr"},
	             {"pts/ptmx", "ptmx"}};

	for (size_t i = 0; i < CTR_ARRAY_SIZE(devs); i++) {
		cleanup_free char *p = xasprintf("%s/dev/%s", root, devs[i].name);
		ctr_explain("mknod", "a minimal /dev", "/dev/%s c %u:%u", devs[i].name, devs[i].maj,
		            devs[i].min);
		if (mknod(p, S_IFCHR | 0666, makedev(devs[i].maj, devs[i].min)) < 0)
			return ctr_fail_errno(err, E_RUNTIME, errno, "mknod /dev/%s", devs[i].name);
		chmod(p, 0666); /* umask */
	}
	for (size_t i = 0; i < CTR_ARRAY_SIZE(links); i++) {
		cleanup_free char *p = xasprintf("%s/dev/%s", root, links[i].link);
		if (symlink(links[i].target, p) < 0)
			return ctr_fail_errno(err, E_RUNTIME, errno, "symlink /dev/%s",
			                      links[i].link);
	}
	return 0;
}

static int mount_cgroups(struct runtime_child *ch, struct ctr_err *err);

static int mount_system(struct runtime_child *ch, struct ctr_err *err)
{
	const char *r = ch->rootfs;
	const unsigned long nse = MS_NOSUID | MS_NOEXEC | MS_NODEV;
	cleanup_free char *proc = in_root(r, "/proc"), *dev = in_root(r, "/dev"),
	                  *pts = in_root(r, "/dev/pts"), *shm = in_root(r, "/dev/shm"),
	                  *mq = in_root(r, "/dev/mqueue"), *sys = in_root(r, "/sys");

	if (ensure_dir(r, "/proc", err) < 0 || ensure_dir(r, "/dev", err) < 0 ||
	    ensure_dir(r, "/sys", err) < 0)
		return -1;
	if (do_mount("proc", proc, "proc", nse, NULL, "process list of the new pid namespace",
	             err) < 0)
		return -1;
	if (do_mount("tmpfs", dev, "tmpfs", MS_NOSUID | MS_STRICTATIME, "mode=755,size=65536k",
	             "private /dev with only safe devices", err) < 0)
		return -1;
	if (mkdir(pts, 0755) < 0 || mkdir(shm, 01777) < 0 || mkdir(mq, 0755) < 0)
		return ctr_fail_errno(err, E_RUNTIME, errno, "mkdir in /dev");
	/* gid=5 (tty) only where the user namespace maps it (a single-ID map does not). */
	bool tty_gid =
	    !runtime_userns_enabled(&ch->c->cfg) || ctr_idmap_to_host(&ch->c->cfg.gidmap, 5) >= 0;
	if (do_mount("devpts", pts, "devpts", MS_NOSUID | MS_NOEXEC,
	             tty_gid ? "newinstance,ptmxmode=0666,mode=0620,gid=5"
	                     : "newinstance,ptmxmode=0666,mode=0620",
	             "a private pty namespace", err) < 0)
		return -1;
	_Static_assert(RUNTIME_SHM_SIZE == 65536LL * 1024, "the size= below is RUNTIME_SHM_SIZE");
	if (do_mount("shm", shm, "tmpfs", nse, "mode=1777,size=65536k", "POSIX shared memory",
	             err) < 0)
		return -1;
	if (do_mount("mqueue", mq, "mqueue", nse, NULL, "POSIX message queues of the ipc namespace",
	             err) < 0)
		return -1;
	if (runtime_userns_enabled(&ch->c->cfg) ? runtime_userns_bind_devices(r, err) < 0
	                                        : make_dev(r, err) < 0)
		return -1;
	if (ch->c->cfg.privileged || !(runtime_clone_flags(&ch->c->cfg) & CLONE_NEWNET)) {
		/* sysfs of the host network namespace: bind it read-only. */
		if (do_mount("/sys", sys, NULL, MS_BIND | MS_REC, NULL,
		             "host's /sys (shared netns)", err) < 0)
			return -1;
		if (!ch->c->cfg.privileged &&
		    do_mount(NULL, sys, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | nse, NULL,
		             "read-only /sys", err) < 0)
			return -1;
	} else if (do_mount("sysfs", sys, "sysfs", nse | MS_RDONLY, NULL,
	                    "read-only /sys of the new net namespace", err) < 0) {
		return -1;
	}
	if (ch->rootless)
		return 0; /* no cgroup of our own to show (no delegation) */
	return mount_cgroups(ch, err);
}

/*
 * The container's own cgroup at /sys/fs/cgroup (after /sys): we are in our
 * cgroup namespace already, so each cgroup filesystem mounted here has the
 * container's cgroup as its root.  What to mount mirrors the host's layout
 * (ctr_cgroup_ns_plan: v1 hierarchies on a tmpfs, cgroup2, or both).
 * Read-only, as Docker, except with --privileged.
 */
static int mount_cgroups(struct runtime_child *ch, struct ctr_err *err)
{
	const bool ro = !ch->c->cfg.privileged;
	const unsigned long fl = MS_NOSUID | MS_NODEV | MS_NOEXEC;
	cleanup_free char *base = in_root(ch->rootfs, "/sys/fs/cgroup"), *mi = NULL;
	struct ctr_cgroup_mnt_plan plan;
	bool tmpfs = false;
	int rc = -1;

	if (ctr_read_file("/proc/self/mountinfo", &mi, NULL, err) < 0)
		return -1;
	ctr_cgroup_ns_plan(mi, &plan);
	if (plan.n == 0)
		return 0; /* no cgroup filesystem on the host */
	ctr_explain("mount", "the container sees its own cgroup (cgroup namespace)",
	            "/sys/fs/cgroup %s, %zu entries",
	            ro ? "read-only" : "read-write (--privileged)", plan.n);
	for (size_t i = 0; i < plan.n; i++) {
		const struct ctr_cgroup_mnt *e = &plan.v[i];
		cleanup_free char *t = *e->path ? ctr_path_join(base, e->path) : xstrdup(base);
		cleanup_free char *why = NULL;
		switch (e->kind) {
		case CTR_CGMNT_TMPFS:
			if (do_mount("tmpfs", t, "tmpfs", fl, "mode=755",
			             "holds one directory per cgroup v1 hierarchy", err) < 0)
				goto out;
			tmpfs = true;
			break;
		case CTR_CGMNT_V1:
		case CTR_CGMNT_V2:
			if (*e->path && mkdir(t, 0755) < 0 && errno != EEXIST) {
				ctr_fail_errno(err, E_RUNTIME, errno, "mkdir /sys/fs/cgroup/%s",
				               e->path);
				goto out;
			}
			why = xasprintf("the container's cgroup as root (%s)",
			                e->kind == CTR_CGMNT_V1 ? e->data : "unified");
			if (do_mount("cgroup", t, e->kind == CTR_CGMNT_V1 ? "cgroup" : "cgroup2",
			             fl | (ro ? MS_RDONLY : 0), e->data, why, err) < 0)
				goto out;
			break;
		case CTR_CGMNT_SYMLINK:
			ctr_explain("symlink", "co-mounted controllers, as Docker",
			            "/sys/fs/cgroup/%s -> %s", e->path, e->data);
			if (symlink(e->data, t) < 0) {
				ctr_fail_errno(err, E_RUNTIME, errno, "symlink /sys/fs/cgroup/%s",
				               e->path);
				goto out;
			}
			break;
		}
	}
	if (tmpfs && ro &&
	    do_mount(NULL, base, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | fl, NULL,
	             "read-only /sys/fs/cgroup", err) < 0)
		goto out;
	rc = 0;
out:
	ctr_cgroup_ns_plan_free(&plan);
	return rc;
}

/*
 * Volumes hook: bind mounts, named volumes and tmpfs from config "Mounts",
 * plus /etc/hostname, /etc/hosts and /etc/resolv.conf (etc.c), applied by
 * the volume module after the root filesystem is mounted at ch->rootfs and
 * before pivot_root.
 */
int runtime_child_volume_mounts(struct runtime_child *ch, struct ctr_err *err)
{
	struct ctr_mount_list list;
	int rc;

	if (ctr_mounts_from_json(ch->c->cfg.mounts, &list, err) < 0) {
		ctr_mount_list_free(&list);
		return -1;
	}
	runtime_etc_mounts(ch->c, &list);
	/* Volume ownership needs the user, looked up in the image's /etc. */
	struct ctr_mount_owner owner = {0, 0, 0};
	if (ctr_mounts_need_owner(&list)) {
		struct runtime_user u;
		int rootfd = open(ch->rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
		rc = rootfd < 0 ? ctr_fail_errno(err, E_RUNTIME, errno, "open %s", ch->rootfs)
		                : runtime_user_resolve_at(rootfd, ch->c->cfg.user, &u, err);
		if (rootfd >= 0)
			close(rootfd);
		if (rc < 0) {
			ctr_mount_list_free(&list);
			return -1;
		}
		owner.uid = u.uid;
		owner.gid = u.gid;
		runtime_user_release(&u);
	}
	owner.userns_fd = ch->userns_fd;
	if (runtime_userns_enabled(&ch->c->cfg)) {
		/* The host IDs the container's user has (a volume it may write). */
		int64_t hu = ctr_idmap_to_host(&ch->c->cfg.uidmap, owner.uid),
		        hg = ctr_idmap_to_host(&ch->c->cfg.gidmap, owner.gid);
		owner.uid = hu < 0 ? (uid_t)ctr_idmap_to_host(&ch->c->cfg.uidmap, 0) : (uid_t)hu;
		owner.gid = hg < 0 ? (gid_t)ctr_idmap_to_host(&ch->c->cfg.gidmap, 0) : (gid_t)hg;
	}
	rc = ctr_mounts_apply(ch->st, ch->rootfs, &list, &owner, err);
	ctr_mount_list_free(&list);
	return rc;
}

static int do_pivot_root(const char *root, struct ctr_err *err)
{
	ctr_explain("pivot_root", "the rootfs becomes /, the host's / is detached", "%s", root);
	if (chdir(root) < 0)
		return ctr_fail_errno(err, E_RUNTIME, errno, "chdir %s", root);
	if (syscall(SYS_pivot_root, ".", ".") < 0)
		return ctr_fail_errno(err, E_RUNTIME, errno, "pivot_root %s", root);
	ctr_explain("umount2", "drop every host mount from our view", "old root MNT_DETACH");
	if (umount2(".", MNT_DETACH) < 0)
		return ctr_fail_errno(err, E_RUNTIME, errno, "detach the old root");
	if (chdir("/") < 0)
		return ctr_fail_errno(err, E_RUNTIME, errno, "chdir /");
	return 0;
}

const char *const runtime_masked_paths[] = {
    "/proc/asound",
    "/proc/acpi",
    "/proc/kcore",
    "/proc/keys",
    "/proc/latency_stats",
    "/proc/timer_list",
    "/proc/timer_stats",
    "/proc/sched_debug",
    "/proc/scsi",
    "/sys/firmware",
    "/sys/devices/virtual/powercap",
    NULL,
};
const char *const runtime_readonly_paths[] = {
    "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger", NULL,
};

static int mask_paths(struct ctr_err *err)
{
	for (size_t i = 0; runtime_masked_paths[i]; i++) {
		struct stat sb;
		const char *p = runtime_masked_paths[i];
		if (stat(p, &sb) < 0)
			continue;
		if (S_ISDIR(sb.st_mode)) {
			if (do_mount("tmpfs", p, "tmpfs", MS_RDONLY, NULL,
			             "masked path (empty dir)", err) < 0)
				return -1;
		} else if (do_mount("/dev/null", p, NULL, MS_BIND, NULL,
		                    "masked path (reads empty)", err) < 0) {
			return -1;
		}
	}
	for (size_t i = 0; runtime_readonly_paths[i]; i++) {
		const char *p = runtime_readonly_paths[i];
		if (access(p, F_OK) < 0)
			continue;
		if (do_mount(p, p, NULL, MS_BIND | MS_REC, NULL, "read-only kernel knobs", err) <
		        0 ||
		    do_mount(NULL, p, NULL,
		             MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC,
		             NULL, "read-only kernel knobs", err) < 0)
			return -1;
	}
	return 0;
}

static int loopback_up(struct ctr_err *err)
{
	struct ifreq ifr;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return ctr_fail_errno(err, E_RUNTIME, errno, "socket");
	memset(&ifr, 0, sizeof ifr);
	snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "lo");
	ctr_explain("ioctl", "the new net namespace has only lo, down: bring it up",
	            "SIOCSIFFLAGS lo IFF_UP");
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) < 0 ||
	    (ifr.ifr_flags |= IFF_UP | IFF_RUNNING, ioctl(fd, SIOCSIFFLAGS, &ifr) < 0)) {
		int e = errno;
		close(fd);
		return ctr_fail_errno(err, E_RUNTIME, e, "bring up lo");
	}
	close(fd);
	return 0;
}

static int setup_stdio(struct runtime_child *ch, struct ctr_err *err)
{
	ctr_explain("setsid", "the init leads its own session", "%s",
	            ch->tty ? "and takes the pty as controlling terminal" : "");
	if (setsid() < 0)
		return ctr_fail_errno(err, E_RUNTIME, errno, "setsid");
	if (ch->tty)
		return 0; /* setup_pty(), once our /dev/pts is mounted */
	for (int i = 0; i < 3; i++) {
		if (ch->stdio[i] == i) {
			int fl = fcntl(i, F_GETFD);
			if (fl >= 0)
				fcntl(i, F_SETFD, fl & ~FD_CLOEXEC);
			continue;
		}
		if (dup2(ch->stdio[i], i) < 0)
			return ctr_fail_errno(err, E_RUNTIME, errno, "dup2 stdio");
	}
	return 0;
}

/*
 * -t: the pty comes from the container's own devpts (mounted by
 * mount_system), so inside it is /dev/pts/N and `tty` can name it.  The
 * master goes to the monitor over pty_sock; the slave becomes our
 * controlling terminal, fd 0-2 and /dev/console.
 */
static int setup_pty(struct runtime_child *ch, struct ctr_err *err)
{
	struct winsize ws = {.ws_row = ch->ws_row, .ws_col = ch->ws_col};
	cleanup_free char *con = in_root(ch->rootfs, "/dev/console"), *pts = NULL;
	int root, master, slave, fd;
	unsigned n;

	if (!ch->tty)
		return 0;
	root = open(ch->rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (root < 0)
		return ctr_fail_errno(err, E_RUNTIME, errno, "open %s", ch->rootfs);
	if (runtime_pty_open_at(root, "dev/pts/ptmx", &ws, &master, &slave, &n, err) < 0) {
		close(root);
		return -1;
	}
	close(root);
	if (runtime_fd_send(ch->pty_sock, master) < 0) {
		close(master);
		close(slave);
		return ctr_fail_errno(err, E_RUNTIME, errno, "cannot pass the pty to the monitor");
	}
	close(master);
	close(ch->pty_sock);
	ch->pty_sock = -1;
	if (ioctl(slave, TIOCSCTTY, 0) < 0)
		return ctr_fail_errno(err, E_RUNTIME, errno, "TIOCSCTTY");
	for (int i = 0; i < 3; i++)
		if (dup2(slave, i) < 0)
			return ctr_fail_errno(err, E_RUNTIME, errno, "dup2 stdio");
	if (slave > 2)
		close(slave);
	pts = xasprintf("%s/dev/pts/%u", ch->rootfs, n);
	fd = open(con, O_CREAT | O_WRONLY | O_CLOEXEC, 0600);
	if (fd < 0)
		return ctr_fail_errno(err, E_RUNTIME, errno, "create /dev/console");
	close(fd);
	return do_mount(pts, con, NULL, MS_BIND, NULL, "the tty is the console", err);
}

void runtime_child_main(struct runtime_child *ch)
{
	const struct ctr_container_config *cfg = &ch->c->cfg;
	struct ctr_err err;
	struct runtime_user user;
	struct strv env, argv;
	uint64_t caps = 0;
	char go;
	char hostname[65];
	int exit_code = CTR_EXIT_ENGINE;
	bool userns = runtime_userns_enabled(cfg);
	bool helper = userns && !ch->rootless; /* the monitor's helper mounted the root */

	ctr_err_clear(&err);
	prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
	if (ch->explain_fd >= 0) {
		FILE *f = fdopen(ch->explain_fd, "w");
		if (f)
			ctr_explain_set_stream(f);
	}
	/* Wait for the monitor: we are in the cgroup after this. */
	if (read(ch->go_fd, &go, 1) != 1)
		_exit(CTR_EXIT_ENGINE);
	close(ch->go_fd);
	/* User namespace: the monitor wrote the maps, its helper mounted the root. */
	if (userns && runtime_userns_child_enter(ch, &err) < 0)
		goto fail;
	ctr_explain("unshare", "the cgroup we were just moved into becomes our cgroup root",
	            "CLONE_NEWCGROUP");
	if (unshare(CLONE_NEWCGROUP) < 0) {
		ctr_fail_errno(&err, E_RUNTIME, errno, "unshare(CLONE_NEWCGROUP)");
		goto fail;
	}
	if (setup_stdio(ch, &err) < 0 || (!helper && mount_rootfs(ch, &err) < 0) ||
	    mount_system(ch, &err) < 0 || setup_pty(ch, &err) < 0 ||
	    (!helper && runtime_child_volume_mounts(ch, &err) < 0) ||
	    do_pivot_root(ch->rootfs, &err) < 0)
		goto fail;
	if (!cfg->privileged && mask_paths(&err) < 0)
		goto fail;
	if (cfg->read_only && do_mount(NULL, "/", NULL, MS_BIND | MS_REMOUNT | MS_RDONLY, NULL,
	                               "--read-only root", &err) < 0)
		goto fail;
	runtime_hostname(ch->c, hostname);
	ctr_explain("sethostname", "the uts namespace has its own name", "%s", hostname);
	if (sethostname(hostname, strlen(hostname)) < 0) {
		ctr_fail_errno(&err, E_RUNTIME, errno, "sethostname");
		goto fail;
	}
	if ((runtime_clone_flags(cfg) & CLONE_NEWNET) && loopback_up(&err) < 0)
		goto fail;
	if (runtime_apply_rlimits(cfg, &err) < 0)
		goto fail;
	if (runtime_user_resolve(cfg->user, &user, &err) < 0)
		goto fail;
	/* The user owns its terminal, as after login (sudo, ssh-keygen). */
	if (ch->tty && user.uid != 0 && fchown(0, user.uid, (gid_t)-1) < 0)
		ctr_debug("cannot give the tty to the user", "error", strerror(errno));
	if (cfg->workdir && *cfg->workdir) {
		if (ctr_mkdir_p(cfg->workdir, 0755, &err) < 0)
			goto fail;
		ctr_explain("chdir", "the working directory", "%s", cfg->workdir);
		if (chdir(cfg->workdir) < 0) {
			ctr_fail_errno(&err, E_RUNTIME, errno, "chdir to %s", cfg->workdir);
			goto fail;
		}
	}
	if (runtime_caps_compute(cfg, &caps, &err) < 0 ||
	    runtime_apply_identity(&user, caps, cfg->no_new_privs || !cfg->privileged, &err) < 0 ||
	    runtime_seccomp_apply(ch->bpf, &err) < 0)
		goto fail;
	runtime_build_env(cfg, hostname, &user, NULL, ch->tty, &env);
	ctr_container_argv(cfg, &argv);
	/* No fd of the engine leaks into the container. */
	syscall(SYS_close_range, 3, ~0U, CLOSE_RANGE_CLOEXEC);
	/* The init must outlive a killed monitor (as with conmon). */
	prctl(PR_SET_PDEATHSIG, 0, 0, 0, 0);
	if (cfg->init)
		runtime_init_reaper(ch->err_fd);
	runtime_execve(argv.v, env.v, &exit_code, &err);
fail:
	runtime_child_fail(ch->err_fd, exit_code, &err);
}

/* ---- --init: a tiny reaper as PID 1 ------------------------------------- */

void runtime_init_reaper(int err_fd)
{
	sigset_t all, old;
	pid_t child;

	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, &old);
	ctr_explain("fork", "--init: PID 1 stays a reaper, the child runs the command", "%s", "");
	child = fork();
	if (child < 0)
		return; /* exec directly as PID 1 instead */
	if (child == 0) {
		sigprocmask(SIG_SETMASK, &old, NULL);
		return; /* the caller execs */
	}
	close(err_fd);
	for (int i = 0; i < 3; i++)
		close(i);
	prctl(PR_SET_NAME, "containr-init", 0, 0, 0);
	for (;;) {
		siginfo_t si;
		int sig = sigwaitinfo(&all, &si);
		if (sig < 0)
			continue;
		if (sig != SIGCHLD) {
			kill(child, sig);
			continue;
		}
		for (;;) {
			int status;
			pid_t p = waitpid(-1, &status, WNOHANG);
			if (p <= 0)
				break;
			if (p == child)
				_exit(WIFEXITED(status) ? WEXITSTATUS(status)
				                        : 128 + WTERMSIG(status));
		}
	}
}
