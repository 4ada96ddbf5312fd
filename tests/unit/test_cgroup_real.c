/*
 * test_cgroup_real.c - the cgroup backend against this machine's kernel.
 *
 * Creates "containr-unittest/rt-<pid>" with limits, reads the limits back
 * from the kernel files, moves a busy child (it increments a counter in
 * shared memory) into it, checks it is listed, that freezing really stops
 * the counter and thawing resumes it, that stats see its CPU time and
 * memory, then kills everything and removes the cgroup.  The teardown kills
 * the child and removes the cgroup on every path.  Needs root.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cgroup/cgroup_internal.h"
#include "containr/cgroup.h"
#include "containr/util.h"

#define PARENT "containr-unittest"

static pid_t child = -1;
static struct ctr_cgroup *cg;
static volatile uint64_t *counter;

static void teardown(void)
{
	if (child > 0) {
		kill(child, SIGKILL);
		if (cg)
			ctr_cgroup_freeze(cg, false, NULL);
		waitpid(child, NULL, 0);
		child = -1;
	}
	if (cg) {
		ctr_cgroup_destroy(cg, NULL);
		ctr_cgroup_free(cg);
		cg = NULL;
	}
	/* the shared parent: remove it when no other test run uses it */
	const struct cg_host *h = cg_host_get();
	for (int c = 0; c < CG__N; c++) {
		if (h->v1_mnt[c]) {
			cleanup_free char *d = ctr_path_join(h->v1_mnt[c], PARENT);
			rmdir(d);
		}
	}
	if (h->mode == CTR_CGROUP_V2) {
		cleanup_free char *d = ctr_path_join(h->v2_root, PARENT);
		rmdir(d);
	}
	if (counter)
		munmap((void *)counter, sizeof *counter);
	counter = NULL;
}

/* The kernel file holding `file` for the memory/pids/cpu controller. */
static char *limit_file(enum cg_ctrl c, const char *v1file, const char *v2file)
{
	const struct cg_host *h = cg_host_get();
	cleanup_free char *rel = xasprintf("%s/%s", PARENT, strchr(ctr_cgroup_path(cg), '/') + 1);
	if (h->mode == CTR_CGROUP_V2)
		return xasprintf("%s/%s/%s", h->v2_root, rel, v2file);
	return xasprintf("%s/%s/%s", h->v1_mnt[c], rel, v1file);
}

static char *read_trim(const char *path)
{
	char *s = NULL;
	size_t n = 0;
	cr_assert_eq(ctr_read_file(path, &s, &n, NULL), 0, "read %s", path);
	while (n && (s[n - 1] == '\n' || s[n - 1] == ' '))
		s[--n] = 0;
	return s;
}

/* Wait (bounded) until the counter moves; returns whether it did. */
static bool counter_moves(void)
{
	uint64_t a = *counter;
	for (int i = 0; i < 500; i++) {
		cg_sleep_ms(10);
		if (*counter != a)
			return true;
	}
	return false;
}

Test(cgroup_real, lifecycle_on_this_host, .fini = teardown, .timeout = 60)
{
	struct ctr_cgroup_limits lim = {.memory = 64 << 20, .cpus = 0.5, .pids_limit = 20};
	struct ctr_err err = {0};
	struct ctr_cgroup_stats st;
	cleanup_free char *name = xasprintf("rt-%d", (int)getpid());
	cleanup_free pid_t *pids = NULL;
	size_t n = 0;

	cr_assert_neq(ctr_cgroup_detect(), CTR_CGROUP_NONE, "no cgroup filesystem on this host");
	cr_assert_eq(getuid(), 0, "this test needs root");
	cr_assert_eq(ctr_cgroup_create(PARENT, name, &lim, &cg, &err), 0, "%s", err.msg);

	/* limits as the kernel reports them */
	cleanup_free char *mf = limit_file(CG_MEMORY, "memory.limit_in_bytes", "memory.max");
	cleanup_free char *mv = read_trim(mf);
	cr_assert_str_eq(mv, "67108864");
	cleanup_free char *pf = limit_file(CG_PIDS, "pids.max", "pids.max");
	cleanup_free char *pv = read_trim(pf);
	cr_assert_str_eq(pv, "20");
	cleanup_free char *cf = limit_file(CG_CPU, "cpu.cfs_quota_us", "cpu.max");
	cleanup_free char *cv = read_trim(cf);
	cr_assert(strncmp(cv, "50000", 5) == 0, "cpu quota %s", cv);

	/* a busy child, moved in */
	counter =
	    mmap(NULL, sizeof *counter, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	cr_assert_neq((void *)counter, MAP_FAILED);
	*counter = 0;
	int go[2];
	cr_assert_eq(pipe(go), 0);
	child = fork();
	cr_assert_geq(child, 0);
	if (child == 0) {
		/* once inside the cgroup: touch 4 MiB (charged to it), then spin */
		char c;
		close(go[1]);
		if (read(go[0], &c, 1) != 1)
			_exit(3);
		volatile char *mem = malloc(4 << 20);
		for (size_t i = 0; mem && i < (4 << 20); i += 4096)
			mem[i] = 1;
		for (;;)
			(*counter)++;
	}
	close(go[0]);
	cr_assert_eq(ctr_cgroup_add_pid(cg, child, &err), 0, "%s", err.msg);
	cr_assert_eq(write(go[1], "g", 1), 1);
	close(go[1]);
	cr_assert_eq(ctr_cgroup_pids(cg, &pids, &n, &err), 0, "%s", err.msg);
	cr_assert_eq(n, 1);
	cr_assert_eq(pids[0], child);
	cleanup_free char *procpath = xasprintf("/proc/%d/cgroup", (int)child);
	cleanup_free char *proccg = read_trim(procpath);
	cr_assert(strstr(proccg, ctr_cgroup_path(cg)), "%s", proccg);

	/* freeze really stops it, thaw resumes it */
	cr_assert(counter_moves());
	cr_assert_eq(ctr_cgroup_freeze(cg, true, &err), 0, "%s", err.msg);
	cr_assert(ctr_cgroup_is_frozen(cg));
	uint64_t before = *counter;
	cg_sleep_ms(200);
	cr_assert_eq(*counter, before, "counter advanced while frozen");
	cr_assert_eq(ctr_cgroup_freeze(cg, false, &err), 0, "%s", err.msg);
	cr_assert_not(ctr_cgroup_is_frozen(cg));
	cr_assert(counter_moves(), "counter did not resume after thaw");

	/* stats see the child */
	cr_assert_eq(ctr_cgroup_stats(cg, &st, &err), 0, "%s", err.msg);
	cr_assert_gt(st.cpu_usage_ns, 0);
	cr_assert_gt(st.mem_usage, 0, "usage %llu limit %llu cpu %llu",
	             (unsigned long long)st.mem_usage, (unsigned long long)st.mem_limit,
	             (unsigned long long)st.cpu_usage_ns);
	cr_assert_eq(st.mem_limit, 64 << 20);
	cr_assert_eq(st.pids, 1);
	cr_assert_not(st.oom_killed);

	/* destroy refuses while busy; kill_all empties it */
	struct ctr_err e2 = {0};
	cr_assert_lt(ctr_cgroup_destroy(cg, &e2), 0);
	cr_assert_eq(e2.code, E_CONFLICT);
	cr_assert_eq(ctr_cgroup_kill_all(cg, SIGKILL, &err), 0, "%s", err.msg);
	int status = 0;
	cr_assert_eq(waitpid(child, &status, 0), child);
	child = -1;
	cr_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	cr_assert_eq(ctr_cgroup_destroy(cg, &err), 0, "%s", err.msg);
	cr_assert_lt(access(mf, F_OK), 0, "%s still exists", mf);
}

Test(cgroup_real, oom_kill_detected, .fini = teardown, .timeout = 60)
{
	struct ctr_cgroup_limits lim = {.memory = 8 << 20, .memory_swap = 8 << 20};
	struct ctr_err err = {0};
	cleanup_free char *name = xasprintf("oom-%d", (int)getpid());
	int status = 0;

	cr_assert_eq(ctr_cgroup_create(PARENT, name, &lim, &cg, &err), 0, "%s", err.msg);
	cr_assert_not(ctr_cgroup_oom_killed(cg));
	int sync[2];
	cr_assert_eq(pipe(sync), 0);
	child = fork();
	cr_assert_geq(child, 0);
	if (child == 0) {
		char c;
		close(sync[1]);
		if (read(sync[0], &c, 1) != 1)
			_exit(3);
		for (size_t i = 0; i < 64; i++) { /* 64 MiB of touched memory */
			volatile char *p = malloc(1 << 20);
			for (size_t k = 0; p && k < (1 << 20); k += 4096)
				p[k] = 1;
		}
		_exit(0);
	}
	close(sync[0]);
	cr_assert_eq(ctr_cgroup_add_pid(cg, child, &err), 0, "%s", err.msg);
	cr_assert_eq(write(sync[1], "x", 1), 1);
	close(sync[1]);
	cr_assert_eq(waitpid(child, &status, 0), child);
	child = -1;
	cr_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL, "child was not OOM-killed");
	cr_assert(ctr_cgroup_oom_killed(cg));
	cr_assert_eq(ctr_cgroup_destroy(cg, &err), 0, "%s", err.msg);
}

/*
 * The v2 backend on this kernel's cgroup2 mount.  On a hybrid host that is
 * /sys/fs/cgroup/unified, which offers no resource controllers, but the
 * core files (cgroup.procs, cgroup.freeze, cgroup.events, cgroup.kill,
 * cpu.stat) are real: membership, freezing, stats and kill are tested for
 * real, and a memory limit must fail naming the controller.
 */
Test(cgroup_real, v2_backend_on_cgroup2_mount, .fini = teardown, .timeout = 60)
{
	struct ctr_err err = {0};
	struct ctr_cgroup_stats st;
	cleanup_free char *name = xasprintf("v2-%d", (int)getpid());
	cleanup_free char *root = NULL;
	cleanup_free char *avail = NULL;
	cleanup_free pid_t *pids = NULL;
	size_t n = 0;

	if (!cg_host_get()->v2_root)
		cr_skip_test("this host has no cgroup2 mount");
	root = xstrdup(cg_host_get()->v2_root);
	ctr_cgroup_set_root_for_test(CTR_CGROUP_V2, root);
	if (cg_read(root, "cgroup.controllers", &avail, NULL) < 0)
		avail = xstrdup("");

	struct ctr_cgroup_limits lim = {.memory = 64 << 20};
	if (!strstr(avail, "memory")) {
		cr_assert_lt(ctr_cgroup_create(PARENT, name, &lim, &cg, &err), 0);
		cr_assert_eq(err.code, E_UNSUPPORTED);
		cr_assert(strstr(err.msg, "\"memory\""), "%s", err.msg);
		cg = NULL;
		cr_assert_eq(ctr_cgroup_create(PARENT, name, NULL, &cg, &err), 0, "%s", err.msg);
	} else {
		cr_assert_eq(ctr_cgroup_create(PARENT, name, &lim, &cg, &err), 0, "%s", err.msg);
		cleanup_free char *mf = xasprintf("%s/%s/%s/memory.max", root, PARENT, name);
		cleanup_free char *mv = read_trim(mf);
		cr_assert_str_eq(mv, "67108864");
	}

	counter =
	    mmap(NULL, sizeof *counter, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	cr_assert_neq((void *)counter, MAP_FAILED);
	child = fork();
	cr_assert_geq(child, 0);
	if (child == 0) {
		for (;;)
			(*counter)++;
	}
	cr_assert_eq(ctr_cgroup_add_pid(cg, child, &err), 0, "%s", err.msg);
	cr_assert_eq(ctr_cgroup_pids(cg, &pids, &n, &err), 0, "%s", err.msg);
	cr_assert_eq(n, 1);
	cr_assert_eq(pids[0], child);
	cleanup_free char *procpath = xasprintf("/proc/%d/cgroup", (int)child);
	cleanup_free char *proccg = read_trim(procpath);
	cleanup_free char *want = xasprintf("0::/%s/%s", PARENT, name);
	cr_assert(strstr(proccg, want), "%s", proccg);

	cr_assert(counter_moves());
	cr_assert_eq(ctr_cgroup_freeze(cg, true, &err), 0, "%s", err.msg);
	cr_assert(ctr_cgroup_is_frozen(cg));
	uint64_t before = *counter;
	cg_sleep_ms(200);
	cr_assert_eq(*counter, before, "counter advanced while frozen (v2)");
	cr_assert_eq(ctr_cgroup_freeze(cg, false, &err), 0, "%s", err.msg);
	cr_assert_not(ctr_cgroup_is_frozen(cg));
	cr_assert(counter_moves(), "counter did not resume after thaw (v2)");

	cr_assert_eq(ctr_cgroup_stats(cg, &st, &err), 0, "%s", err.msg);
	cr_assert_gt(st.cpu_usage_ns, 0);
	cr_assert_eq(st.pids, 1);

	cr_assert_eq(ctr_cgroup_kill_all(cg, SIGKILL, &err), 0, "%s", err.msg);
	int status = 0;
	cr_assert_eq(waitpid(child, &status, 0), child);
	child = -1;
	cr_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	cr_assert_eq(ctr_cgroup_destroy(cg, &err), 0, "%s", err.msg);
	cleanup_free char *dir = xasprintf("%s/%s/%s", root, PARENT, name);
	cr_assert_lt(access(dir, F_OK), 0, "%s still exists", dir);
}

/*
 * v1 devices controller: Docker's allowlist.  A child moved into the cgroup
 * may mknod anything but open only listed devices: a copy of /dev/null
 * (1:3) opens, /dev/kmsg (1:11) gives EPERM.
 */
Test(cgroup_real, v1_device_allowlist, .fini = teardown, .timeout = 60)
{
	struct ctr_err err = {0};
	cleanup_free char *name = xasprintf("dev-%d", (int)getpid());
	char dir[] = "/tmp/ctr-devtest-XXXXXX";
	int status = 0, go[2];

	if (!cg_host_get()->v1_mnt[CG_DEVICES])
		cr_skip_test("no v1 devices controller on this host");
	cr_assert(mkdtemp(dir));
	cr_assert_eq(ctr_cgroup_create(PARENT, name, NULL, &cg, &err), 0, "%s", err.msg);
	cleanup_free char *lf =
	    xasprintf("%s/%s/%s/devices.list", cg_host_get()->v1_mnt[CG_DEVICES], PARENT, name);
	cleanup_free char *list = read_trim(lf);
	cr_assert(strstr(list, "c 1:3 rwm"), "%s", list);
	cr_assert(strstr(list, "c 136:* rwm"), "%s", list);
	cr_assert_not(strstr(list, "a *:* rwm"), "%s", list);

	cr_assert_eq(pipe(go), 0);
	child = fork();
	cr_assert_geq(child, 0);
	if (child == 0) {
		char c, p1[64], p2[64];
		close(go[1]);
		if (read(go[0], &c, 1) != 1)
			_exit(10);
		snprintf(p1, sizeof p1, "%s/null", dir);
		snprintf(p2, sizeof p2, "%s/kmsg", dir);
		if (mknod(p1, S_IFCHR | 0600, makedev(1, 3)) < 0 ||
		    mknod(p2, S_IFCHR | 0600, makedev(1, 11)) < 0)
			_exit(11); /* mknod itself is allowed ("c *:* m") */
		int fd = open(p1, O_RDWR);
		if (fd < 0)
			_exit(12);
		close(fd);
		fd = open(p2, O_RDONLY);
		_exit(fd < 0 && errno == EPERM ? 0 : 13);
	}
	close(go[0]);
	cr_assert_eq(ctr_cgroup_add_pid(cg, child, &err), 0, "%s", err.msg);
	cr_assert_eq(write(go[1], "g", 1), 1);
	close(go[1]);
	cr_assert_eq(waitpid(child, &status, 0), child);
	child = -1;
	ctr_rm_rf(dir, NULL);
	cr_assert(WIFEXITED(status), "child died");
	cr_assert_eq(WEXITSTATUS(status), 0, "device policy check failed at step %d",
	             WEXITSTATUS(status));
	cr_assert_eq(ctr_cgroup_destroy(cg, &err), 0, "%s", err.msg);

	/* --privileged: every device */
	struct ctr_cgroup_limits all = {.devices_all = true};
	ctr_cgroup_free(cg);
	cg = NULL;
	cr_assert_eq(ctr_cgroup_create(PARENT, name, &all, &cg, &err), 0, "%s", err.msg);
	cleanup_free char *list2 = read_trim(lf);
	cr_assert_str_eq(list2, "a *:* rwm");
}

/* Device check of a child moved into `cg`: 0 = policy as Docker's default. */
static int device_child_result(const char *dir)
{
	int status = 0, go[2];
	struct ctr_err err = {0};

	cr_assert_eq(pipe(go), 0);
	child = fork();
	cr_assert_geq(child, 0);
	if (child == 0) {
		char c, p1[64], p2[64];
		close(go[1]);
		if (read(go[0], &c, 1) != 1)
			_exit(10);
		snprintf(p1, sizeof p1, "%s/null", dir);
		snprintf(p2, sizeof p2, "%s/kmsg", dir);
		if (mknod(p1, S_IFCHR | 0600, makedev(1, 3)) < 0 ||
		    mknod(p2, S_IFCHR | 0600, makedev(1, 11)) < 0)
			_exit(11);
		int fd = open(p1, O_RDWR);
		if (fd < 0)
			_exit(12);
		close(fd);
		fd = open(p2, O_WRONLY); /* write-only: no CAP_SYSLOG check */
		_exit(fd < 0 && errno == EPERM ? 0 : 13);
	}
	close(go[0]);
	cr_assert_eq(ctr_cgroup_add_pid(cg, child, &err), 0, "%s", err.msg);
	cr_assert_eq(write(go[1], "g", 1), 1);
	close(go[1]);
	cr_assert_eq(waitpid(child, &status, 0), child);
	child = -1;
	cr_assert(WIFEXITED(status), "child died");
	return WEXITSTATUS(status);
}

/* v2 device control: the BPF program attached to a real cgroup2 directory. */
Test(cgroup_real, v2_device_bpf_on_cgroup2_mount, .fini = teardown, .timeout = 60)
{
	struct ctr_err err = {0};
	cleanup_free char *name = xasprintf("v2dev-%d", (int)getpid());
	char dir[] = "/tmp/ctr-devtest-XXXXXX";

	if (!cg_host_get()->v2_root)
		cr_skip_test("this host has no cgroup2 mount");
	cleanup_free char *root = xstrdup(cg_host_get()->v2_root);
	ctr_cgroup_set_root_for_test(CTR_CGROUP_V2, root);
	cr_assert(mkdtemp(dir));
	cr_assert_eq(ctr_cgroup_create(PARENT, name, NULL, &cg, &err), 0, "%s", err.msg);
	int r = device_child_result(dir);
	ctr_rm_rf(dir, NULL);
	cr_assert_eq(r, 0, "device policy check failed at step %d", r);
}
