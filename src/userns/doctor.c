/*
 * doctor.c - the prerequisites of user namespaces and rootless containers,
 * each checked from the files the kernel and shadow-utils expose, each
 * with the exact fix.
 *
 * Every path is read under a prefix (`root`): "" for the real host, a fake
 * tree in tests, so each check can be broken on purpose without touching
 * the machine.  Checks that matter only to an unprivileged user (newuidmap,
 * subordinate IDs, cgroup delegation, ports) are warnings for root, who
 * writes maps and cgroups directly.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "containr/userns.h"
#include "containr/util.h"

struct dctx {
	const char *root;
	const char *user;
	uid_t uid;
	gid_t gid;
	struct ctr_check *out;
	size_t max, n;
};

static char *hp(const struct dctx *d, const char *path)
{
	return xasprintf("%s%s", d->root, path);
}

static void add(struct dctx *d, const char *name, enum ctr_check_status st, const char *fix,
                const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static void add(struct dctx *d, const char *name, enum ctr_check_status st, const char *fix,
                const char *fmt, ...)
{
	va_list ap;
	if (d->n >= d->max)
		return;
	struct ctr_check *c = &d->out[d->n++];
	memset(c, 0, sizeof *c);
	snprintf(c->name, sizeof c->name, "%s", name);
	c->status = st;
	va_start(ap, fmt);
	vsnprintf(c->detail, sizeof c->detail, fmt, ap);
	va_end(ap);
	snprintf(c->fix, sizeof c->fix, "%s", st == CTR_CHECK_OK || !fix ? "" : fix);
}

/* First line of a /proc/sys file as a long; false if missing/unparsable. */
static bool read_long(const struct dctx *d, const char *path, long *v)
{
	cleanup_free char *p = hp(d, path), *buf = NULL;
	size_t len;
	struct ctr_err e;
	char *end;
	if (ctr_read_file(p, &buf, &len, &e) < 0)
		return false;
	errno = 0;
	*v = strtol(buf, &end, 10);
	return end != buf && errno == 0;
}

static bool rootful(const struct dctx *d)
{
	return d->uid == 0;
}

static void check_userns(struct dctx *d)
{
	long v;
	if (!read_long(d, "/proc/sys/user/max_user_namespaces", &v))
		add(d, "userns", CTR_CHECK_FAIL,
		    "build the kernel with CONFIG_USER_NS=y (user namespaces are missing)",
		    "/proc/sys/user/max_user_namespaces not found");
	else if (v <= 0)
		add(d, "userns", CTR_CHECK_FAIL, "sysctl -w user.max_user_namespaces=15000",
		    "user.max_user_namespaces = %ld: no user namespace can be created", v);
	else
		add(d, "userns", CTR_CHECK_OK, NULL, "user.max_user_namespaces = %ld", v);

	enum ctr_check_status bad = rootful(d) ? CTR_CHECK_WARN : CTR_CHECK_FAIL;
	if (read_long(d, "/proc/sys/kernel/unprivileged_userns_clone", &v) && v == 0)
		add(d, "userns-clone", bad, "sysctl -w kernel.unprivileged_userns_clone=1",
		    "kernel.unprivileged_userns_clone = 0: only root may create user namespaces");
	else if (read_long(d, "/proc/sys/kernel/apparmor_restrict_unprivileged_userns", &v) &&
	         v != 0)
		add(d, "userns-clone", bad,
		    "sysctl -w kernel.apparmor_restrict_unprivileged_userns=0",
		    "AppArmor restricts unprivileged user namespaces");
	else
		add(d, "userns-clone", CTR_CHECK_OK, NULL,
		    "unprivileged users may create user namespaces");
}

static void check_helper(struct dctx *d, const char *name)
{
	cleanup_free char *rel = xasprintf("/usr/bin/%s", name), *p = hp(d, rel);
	enum ctr_check_status bad = rootful(d) ? CTR_CHECK_WARN : CTR_CHECK_FAIL;
	struct stat sb;
	char fix[] = "apt-get install uidmap";

	if (stat(p, &sb) < 0) {
		add(d, name, bad, fix, "%s not found: %s", rel,
		    rootful(d) ? "root writes maps directly; rootless gets a single-ID map"
		               : "without it a rootless container maps only your own ID");
		return;
	}
	bool setuid = sb.st_uid == 0 && (sb.st_mode & S_ISUID);
	bool fcap = getxattr(p, "security.capability", NULL, 0) > 0;
	if (!setuid && !fcap) {
		cleanup_free char *f = xasprintf("chown root %s && chmod u+s %s", rel, rel);
		add(d, name, bad, f, "%s is neither setuid root nor has file capabilities", rel);
		return;
	}
	add(d, name, CTR_CHECK_OK, NULL, "%s (%s)", rel, setuid ? "setuid root" : "file caps");
}

static void check_subid(struct dctx *d, const char *file, const char *flag)
{
	cleanup_free char *p = hp(d, file);
	/* Root's `auto` pool is the `containers` user's range (podman). */
	const char *who = rootful(d) ? "containers" : d->user;
	uid_t uid = rootful(d) ? (uid_t)-1 : d->uid;
	struct ctr_subid_range r[16];
	size_t n = 0;
	uint64_t total = 0;
	struct ctr_err e;
	char name[16];
	char fix[256];

	snprintf(name, sizeof name, "%s", file + 5); /* "subuid" */
	if (rootful(d))
		snprintf(fix, sizeof fix, "echo containers:%u:%u >> %s", CTR_USERNS_POOL_START,
		         CTR_USERNS_POOL_SIZE, file);
	else
		snprintf(fix, sizeof fix, "usermod %s 100000-165535 %s (a range no other user has)",
		         flag, who);
	if (ctr_subid_lookup(p, who, uid, r, CTR_ARRAY_SIZE(r), &n, &e) < 0) {
		add(d, name, CTR_CHECK_FAIL, fix, "%s", e.msg);
		return;
	}
	for (size_t i = 0; i < n; i++)
		total += r[i].count;
	if (n == 0) {
		if (rootful(d))
			add(d, name, CTR_CHECK_WARN, fix,
			    "no `containers` range in %s: --userns auto uses %u-%u", file,
			    CTR_USERNS_POOL_START,
			    CTR_USERNS_POOL_START + CTR_USERNS_POOL_SIZE - 1);
		else
			add(d, name, CTR_CHECK_FAIL, fix, "no range for %s in %s", who, file);
	} else if (total < CTR_USERNS_AUTO_SIZE) {
		add(d, name, CTR_CHECK_FAIL, fix,
		    "%s has %llu IDs in %s, fewer than %u (images use IDs up to 65534)", who,
		    (unsigned long long)total, file, CTR_USERNS_AUTO_SIZE);
	} else {
		add(d, name, CTR_CHECK_OK, NULL, "%s has %llu IDs in %s (%zu range%s)", who,
		    (unsigned long long)total, file, n, n == 1 ? "" : "s");
	}
}

static void check_overlap(struct dctx *d)
{
	static const char *const files[] = {"/etc/subuid", "/etc/subgid"};
	for (size_t i = 0; i < 2; i++) {
		cleanup_free char *p = hp(d, files[i]);
		char *a = NULL, *b = NULL;
		struct ctr_subid_range ra, rb;
		struct ctr_err e;
		if (ctr_subid_overlap(p, &a, &b, &ra, &rb, &e) == 1) {
			char fix[256];
			snprintf(fix, sizeof fix, "edit %s so that %s and %s get disjoint ranges",
			         files[i], a, b);
			add(d, "subid-overlap", CTR_CHECK_FAIL, fix,
			    "%s: %s:%u:%u overlaps %s:%u:%u (their containers could read each "
			    "other's files)",
			    files[i], a, ra.start, ra.count, b, rb.start, rb.count);
			free(a);
			free(b);
			return;
		}
	}
	add(d, "subid-overlap", CTR_CHECK_OK, NULL, "no two users share subordinate IDs");
}

static void check_kernel(struct dctx *d)
{
	cleanup_free char *p = hp(d, "/proc/sys/kernel/osrelease"), *buf = NULL;
	size_t len;
	struct ctr_err e;
	int maj = 0, min = 0;

	if (ctr_read_file(p, &buf, &len, &e) < 0 || sscanf(buf, "%d.%d", &maj, &min) != 2) {
		add(d, "kernel", CTR_CHECK_WARN, "check /proc/sys/kernel/osrelease",
		    "kernel version unknown");
		return;
	}
	buf[strcspn(buf, "\n")] = '\0';
	int v = maj * 1000 + min;
	if (v < 5011)
		add(d, "kernel-overlay", CTR_CHECK_WARN,
		    "use Linux >= 5.11, or apt-get install fuse-overlayfs",
		    "Linux %s: no native overlayfs in a user namespace (needs 5.11)", buf);
	else
		add(d, "kernel-overlay", CTR_CHECK_OK, NULL,
		    "Linux %s: native overlayfs in a user namespace", buf);
	if (v < 5012)
		add(d, "kernel-idmap", CTR_CHECK_WARN, "use Linux >= 5.12",
		    "Linux %s: no idmapped mounts (needs 5.12): layers get a chowned copy per "
		    "mapping",
		    buf);
	else
		add(d, "kernel-idmap", CTR_CHECK_OK, NULL, "Linux %s: idmapped mounts", buf);
}

static void check_cgroup(struct dctx *d)
{
	cleanup_free char *ctl = hp(d, "/sys/fs/cgroup/cgroup.controllers");
	cleanup_free char *self = hp(d, "/proc/self/cgroup"), *buf = NULL;
	const char *v2fix = "boot with systemd.unified_cgroup_hierarchy=1 (cgroup v2), and "
	                    "enable user delegation (systemd: Delegate=yes in user@.service)";
	size_t len;
	struct ctr_err e;

	if (access(ctl, F_OK) < 0) {
		if (rootful(d))
			add(d, "cgroup", CTR_CHECK_OK, NULL,
			    "cgroup v1 (or hybrid): root manages its cgroups directly");
		else
			add(d, "cgroup", CTR_CHECK_WARN, v2fix,
			    "cgroup v1: no delegation to users, rootless limits are NOT applied");
		return;
	}
	if (rootful(d)) {
		add(d, "cgroup", CTR_CHECK_OK, NULL,
		    "cgroup v2: root manages its cgroups directly");
		return;
	}
	/* Rootless on v2: our own cgroup must be ours, with controllers below it. */
	char *path = NULL;
	if (ctr_read_file(self, &buf, &len, &e) == 0) {
		for (char *l = strtok(buf, "\n"); l; l = strtok(NULL, "\n"))
			if (str_startswith(l, "0::"))
				path = l + 3;
	}
	if (!path) {
		add(d, "cgroup", CTR_CHECK_WARN, v2fix,
		    "cgroup v2 but no 0:: line in /proc/self/cgroup: limits are NOT applied");
		return;
	}
	cleanup_free char *dir = xasprintf("%s/sys/fs/cgroup%s", d->root, path);
	cleanup_free char *sub = ctr_path_join(dir, "cgroup.subtree_control"), *ctrls = NULL;
	struct stat sb;
	if (stat(dir, &sb) < 0 || sb.st_uid != d->uid) {
		add(d, "cgroup", CTR_CHECK_WARN, v2fix,
		    "cgroup v2 but %s is not delegated to %s: limits are NOT applied", path,
		    d->user);
		return;
	}
	if (ctr_read_file(sub, &ctrls, &len, &e) < 0 || !strstr(ctrls, "memory") ||
	    !strstr(ctrls, "pids")) {
		add(d, "cgroup", CTR_CHECK_WARN,
		    "systemd: add Delegate=memory pids cpu io to user@.service (a drop-in)",
		    "cgroup v2, delegated, but memory/pids are not enabled below %s: those "
		    "limits are NOT applied",
		    path);
		return;
	}
	add(d, "cgroup", CTR_CHECK_OK, NULL, "cgroup v2 delegated at %s", path);
}

static void check_net(struct dctx *d)
{
	cleanup_free char *p = hp(d, "/proc/sys/net/ipv4/ping_group_range"), *buf = NULL;
	size_t len;
	struct ctr_err e;
	long lo = 1, hi = 0, port;

	if (ctr_read_file(p, &buf, &len, &e) == 0)
		sscanf(buf, "%ld %ld", &lo, &hi);
	if (rootful(d))
		add(d, "ping", CTR_CHECK_OK, NULL, "root may ping (ping_group_range %ld %ld)", lo,
		    hi);
	else if ((long)d->gid < lo || (long)d->gid > hi)
		add(d, "ping", CTR_CHECK_WARN,
		    "sysctl -w net.ipv4.ping_group_range=\"0 2147483647\"",
		    "net.ipv4.ping_group_range %ld %ld excludes gid %u: ping fails in rootless "
		    "containers",
		    lo, hi, (unsigned)d->gid);
	else
		add(d, "ping", CTR_CHECK_OK, NULL,
		    "net.ipv4.ping_group_range %ld %ld includes gid %u", lo, hi, (unsigned)d->gid);

	if (!read_long(d, "/proc/sys/net/ipv4/ip_unprivileged_port_start", &port))
		port = 1024;
	if (rootful(d) || port <= 80)
		add(d, "low-ports", CTR_CHECK_OK, NULL,
		    "net.ipv4.ip_unprivileged_port_start = %ld%s", port,
		    rootful(d) ? " (root binds any port)" : "");
	else
		add(d, "low-ports", CTR_CHECK_WARN,
		    "sysctl -w net.ipv4.ip_unprivileged_port_start=80",
		    "net.ipv4.ip_unprivileged_port_start = %ld: rootless -p below %ld is refused",
		    port, port);
}

size_t ctr_doctor_run(const char *root, const char *user, uid_t uid, gid_t gid,
                      struct ctr_check *out, size_t max)
{
	struct dctx d = {root ? root : "", user, uid, gid, out, max, 0};

	check_userns(&d);
	check_helper(&d, "newuidmap");
	check_helper(&d, "newgidmap");
	check_subid(&d, "/etc/subuid", "--add-subuids");
	check_subid(&d, "/etc/subgid", "--add-subgids");
	check_overlap(&d);
	check_kernel(&d);
	check_cgroup(&d);
	check_net(&d);
	return d.n;
}
