/*
 * cgroup_v1.c - the cgroup v1 backend (also used on hybrid hosts).
 *
 * Each controller is its own hierarchy (cpu and cpuacct may or may not be
 * co-mounted); the front end has already created "<mnt>/<parent>/<name>" in
 * every mounted one.  Here: limits (memory, memsw, CFS quota, shares,
 * pids), the freezer, and the usage counters `stats` shows.
 */
#include "cgroup/cgroup_internal.h"

#include <dirent.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "containr/log.h"
#include "containr/util.h"

#define CFS_PERIOD_US 100000

/* A limit needs controller `c`; fail naming it when the host lacks it. */
static int need(struct ctr_cgroup *cg, enum cg_ctrl c, const char *flag, struct ctr_err *err)
{
	if (cg->dir[c])
		return 0;
	ctr_fail(err, E_UNSUPPORTED,
	         "cgroup controller \"%s\" is not available on this host (needed for %s)",
	         cg_ctrl_name(c), flag);
	return ctr_hint(err, "mount the %s controller or drop %s", cg_ctrl_name(c), flag);
}

static int set_memory(struct ctr_cgroup *cg, const struct ctr_cgroup_limits *lim,
                      struct ctr_err *err)
{
	const char *d = cg->dir[CG_MEMORY];
	char buf[32];
	int64_t swap = lim->memory_swap;
	bool memsw = cg_has(d, "memory.memsw.limit_in_bytes");

	snprintf(buf, sizeof buf, "%" PRId64, lim->memory);
	if (cg_write(d, "memory.limit_in_bytes", buf, "memory", err) < 0)
		return -1;
	if (swap == 0) {
		/* Docker's default: as much swap as memory (memsw = 2 x memory). */
		if (!memsw) {
			ctr_warn("kernel has no swap accounting: memory limited without swap limit",
			         "controller", "memory");
			return 0;
		}
		swap = lim->memory * 2;
	}
	if (swap < 0) {
		/* unlimited swap: the default of a new cgroup, written when possible */
		return memsw ? cg_write(d, "memory.memsw.limit_in_bytes", "-1", "memory", err) : 0;
	}
	if (!memsw) {
		ctr_fail(err, E_UNSUPPORTED,
		         "cgroup controller \"memory\" cannot limit swap on this host (no "
		         "memory.memsw.limit_in_bytes)");
		return ctr_hint(err, "boot with swapaccount=1, or drop --memory-swap");
	}
	snprintf(buf, sizeof buf, "%" PRId64, swap);
	return cg_write(d, "memory.memsw.limit_in_bytes", buf, "memory", err);
}

/*
 * Recent kernels count v1 blkio.throttle.* bytes only on disks where
 * throttling was ever activated, so without this BLOCK I/O would read 0 on
 * every container.  A no-op rule (1 PB/s) on each real disk activates the
 * accounting.  Best effort: a failure only costs the BLOCK I/O column.
 */
static void blkio_enable_accounting(struct ctr_cgroup *cg)
{
	const char *d = cg->dir[CG_BLKIO];
	DIR *sys;
	struct dirent *de;

	if (!d || !cg_has(d, "blkio.throttle.read_bps_device") || !(sys = opendir("/sys/block")))
		return;
	while ((de = readdir(sys))) {
		char path[300], dev[32], rule[64];
		FILE *f;
		if (de->d_name[0] == '.')
			continue;
		/* real disks have a device link; loop, ram, zram and dm have none */
		snprintf(path, sizeof path, "/sys/block/%s/device", de->d_name);
		if (access(path, F_OK) < 0)
			continue;
		snprintf(path, sizeof path, "/sys/block/%s/dev", de->d_name);
		if (!(f = fopen(path, "re")))
			continue;
		bool got = fgets(dev, sizeof dev, f) != NULL;
		fclose(f);
		if (!got)
			continue;
		dev[strcspn(dev, "\n")] = '\0';
		snprintf(rule, sizeof rule, "%s 1000000000000000", dev);
		if (cg_write(d, "blkio.throttle.read_bps_device", rule, NULL, NULL) < 0)
			ctr_debug("cannot activate blkio accounting", "device", dev);
	}
	closedir(sys);
}

/*
 * Docker's default device policy: any node may be created (mknod), but only
 * these may be opened.  Without it, CAP_MKNOD (in the default set) would let
 * a container make and open the host's disks.
 */
static const char *const default_devices[] = {
    "c *:* m",   "b *:* m",   "c 1:3 rwm", "c 1:8 rwm",   "c 1:7 rwm", "c 5:0 rwm",
    "c 1:5 rwm", "c 1:9 rwm", "c 5:1 rwm", "c 136:* rwm", "c 5:2 rwm", "c 10:200 rwm",
};

static int set_devices(struct ctr_cgroup *cg, bool all, struct ctr_err *err)
{
	const char *d = cg->dir[CG_DEVICES];

	if (!d)
		return 0; /* no devices controller mounted: nothing to restrict with */
	if (all)
		return cg_write(d, "devices.allow", "a", "devices", err);
	if (cg_write(d, "devices.deny", "a", "devices", err) < 0)
		return -1;
	for (size_t i = 0; i < CTR_ARRAY_SIZE(default_devices); i++)
		if (cg_write(d, "devices.allow", default_devices[i], "devices", err) < 0)
			return -1;
	return 0;
}

int cg_v1_setup(struct ctr_cgroup *cg, const struct ctr_cgroup_limits *lim, struct ctr_err *err)
{
	char buf[32];

	blkio_enable_accounting(cg);
	if (set_devices(cg, lim->devices_all, err) < 0)
		return -1;

	if (lim->memory > 0) {
		if (need(cg, CG_MEMORY, "--memory", err) < 0 || set_memory(cg, lim, err) < 0)
			return -1;
	}
	if (lim->cpus > 0) {
		if (need(cg, CG_CPU, "--cpus", err) < 0)
			return -1;
		snprintf(buf, sizeof buf, "%d", CFS_PERIOD_US);
		if (cg_write(cg->dir[CG_CPU], "cpu.cfs_period_us", buf, "cpu", err) < 0)
			return -1;
		snprintf(buf, sizeof buf, "%lld", (long long)(lim->cpus * CFS_PERIOD_US + 0.5));
		if (cg_write(cg->dir[CG_CPU], "cpu.cfs_quota_us", buf, "cpu", err) < 0)
			return -1;
	}
	if (lim->cpu_shares > 0) {
		if (need(cg, CG_CPU, "--cpu-shares", err) < 0)
			return -1;
		snprintf(buf, sizeof buf, "%" PRId64, lim->cpu_shares);
		if (cg_write(cg->dir[CG_CPU], "cpu.shares", buf, "cpu", err) < 0)
			return -1;
	}
	if (lim->pids_limit > 0) {
		if (need(cg, CG_PIDS, "--pids-limit", err) < 0)
			return -1;
		snprintf(buf, sizeof buf, "%" PRId64, lim->pids_limit);
		if (cg_write(cg->dir[CG_PIDS], "pids.max", buf, "pids", err) < 0)
			return -1;
	}
	return 0;
}

static int freezer_state(const char *d, char state[16])
{
	cleanup_free char *s = NULL;

	if (cg_read(d, "freezer.state", &s, NULL) < 0)
		return -1;
	snprintf(state, 16, "%s", s);
	return 0;
}

int cg_v1_freeze(struct ctr_cgroup *cg, bool frozen, struct ctr_err *err)
{
	const char *d = cg->dir[CG_FREEZER];
	const char *want = frozen ? "FROZEN" : "THAWED";
	char state[16] = "";

	if (!d || !cg_has(d, "freezer.state"))
		return ctr_fail(err, E_UNSUPPORTED,
		                "cgroup controller \"freezer\" is not available for %s",
		                cg->relpath),
		       ctr_hint(err, "pause/unpause need the v1 freezer controller mounted");
	/* FREEZING can linger while tasks are in uninterruptible sleep: re-ask. */
	for (int i = 0; i < 500; i++) {
		if (i % 10 == 0 && cg_write(d, "freezer.state", want, "freezer", err) < 0)
			return -1;
		if (freezer_state(d, state) == 0 && strcmp(state, want) == 0)
			return 0;
		cg_sleep_ms(10);
	}
	if (frozen)
		cg_write(d, "freezer.state", "THAWED", "freezer", NULL);
	return ctr_fail(err, E_IO, "cgroup %s did not become %s (state %s)", cg->relpath, want,
	                state);
}

bool cg_v1_is_frozen(struct ctr_cgroup *cg)
{
	char state[16];

	return cg->dir[CG_FREEZER] && freezer_state(cg->dir[CG_FREEZER], state) == 0 &&
	       strcmp(state, "THAWED") != 0;
}

/* OOM kill: the oom_kill counter when the kernel has it, else heuristics. */
static bool v1_oom(const char *d)
{
	cleanup_free char *ctl = NULL;
	uint64_t v = 0, under = 0;

	if (cg_read(d, "memory.oom_control", &ctl, NULL) == 0) {
		if (cg_kv_get(ctl, "oom_kill", &v) == 0)
			return v > 0;
		if (cg_kv_get(ctl, "under_oom", &under) == 0 && under)
			return true;
	}
	/* Old kernels: the limit was hit and nothing could be reclaimed/swapped. */
	if (cg_has(d, "memory.memsw.failcnt"))
		return cg_read_u64(d, "memory.memsw.failcnt", &v) == 0 && v > 0;
	return cg_read_u64(d, "memory.failcnt", &v) == 0 && v > 0;
}

int cg_v1_stats(struct ctr_cgroup *cg, struct ctr_cgroup_stats *out, struct ctr_err *err)
{
	static const char *const blkio_files[] = {
	    "blkio.io_service_bytes_recursive",
	    "blkio.bfq.io_service_bytes_recursive",
	    "blkio.throttle.io_service_bytes_recursive",
	};
	const char *mem = cg->dir[CG_MEMORY];
	uint64_t v, host_mem = cg_host_mem_total();
	bool any = false;

	if (cg_read_u64(cg->dir[CG_CPUACCT], "cpuacct.usage", &v) == 0) {
		out->cpu_usage_ns = v;
		any = true;
	}
	if (cg_read_u64(mem, "memory.usage_in_bytes", &v) == 0) {
		cleanup_free char *st = NULL;
		uint64_t inactive = 0;
		if (cg_read(mem, "memory.stat", &st, NULL) == 0 &&
		    cg_kv_get(st, "total_inactive_file", &inactive) == 0 && inactive < v)
			v -= inactive;
		out->mem_usage = v;
		any = true;
	}
	out->mem_limit = host_mem;
	if (cg_read_u64(mem, "memory.limit_in_bytes", &v) == 0 && (host_mem == 0 || v < host_mem))
		out->mem_limit = v;
	if (mem)
		out->oom_killed = v1_oom(mem);
	if (cg_read_u64(cg->dir[CG_PIDS], "pids.current", &v) == 0) {
		out->pids = v;
	} else {
		cleanup_free pid_t *pids = NULL;
		size_t n = 0;
		if (ctr_cgroup_pids(cg, &pids, &n, NULL) == 0)
			out->pids = n;
	}
	/*
	 * CFQ/BFQ counters exist only for disks using that scheduler; the
	 * throttle layer sees every bio.  Take the first file that counted any.
	 */
	for (size_t i = 0; i < CTR_ARRAY_SIZE(blkio_files) && cg->dir[CG_BLKIO]; i++) {
		cleanup_free char *text = NULL;
		uint64_t rd, wr;
		if (cg_read(cg->dir[CG_BLKIO], blkio_files[i], &text, NULL) < 0)
			continue;
		cg_parse_blkio(text, &rd, &wr);
		if (rd + wr > 0) {
			out->blk_read = rd;
			out->blk_write = wr;
			break;
		}
	}
	if (!any)
		return ctr_fail(err, E_NOT_FOUND, "cgroup %s has no readable counters",
		                cg->relpath),
		       ctr_hint(err, "the container is probably not running");
	return 0;
}
