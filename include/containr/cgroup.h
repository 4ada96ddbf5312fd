/*
 * cgroup.h - one interface over cgroup v1 and v2.
 *
 * The backend is chosen at run time from what is mounted at /sys/fs/cgroup:
 *   v2      : cgroup2 at /sys/fs/cgroup (unified)
 *   v1      : per-controller v1 hierarchies
 *   hybrid  : v1 controllers plus a cgroup2 mount (e.g. /sys/fs/cgroup/unified)
 *             that holds few or no controllers -> the v1 backend is used.
 * Owned by src/cgroup/.  The runtime creates one cgroup per container, named
 * "<parent>/<id>" (parent defaults to "containr"; --cgroup-parent overrides).
 */
#ifndef CONTAINR_CGROUP_H
#define CONTAINR_CGROUP_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "containr/error.h"

enum ctr_cgroup_mode { CTR_CGROUP_NONE, CTR_CGROUP_V1, CTR_CGROUP_V2, CTR_CGROUP_HYBRID };

/* Detect the host's cgroup mode (cached after the first call). */
enum ctr_cgroup_mode ctr_cgroup_detect(void);
/* "v1", "v2", "hybrid", "none". */
const char *ctr_cgroup_mode_name(enum ctr_cgroup_mode m);

/*
 * What the host's cgroups let containr limit (`info`: MemoryLimit, SwapLimit,
 * CpuCfsQuota/Period, CPUShares, PidsLimit, OomKillDisable).  v1: the
 * controller is mounted and has the file; v2: the controller is in the root's
 * cgroup.controllers (swap: a child cgroup of the root has memory.swap.max).
 */
struct ctr_cgroup_features {
	bool memory, swap, cpu_cfs, cpu_shares, pids, oom_kill_disable;
};
void ctr_cgroup_features(struct ctr_cgroup_features *f);

/* Resource limits; 0 / negative fields mean "not set". */
struct ctr_cgroup_limits {
	int64_t memory;      /* bytes (--memory) */
	int64_t memory_swap; /* bytes incl. memory (--memory-swap); -1 = unlimited */
	double cpus;         /* --cpus (CFS quota = cpus * period) */
	int64_t cpu_shares;  /* --cpu-shares (v1 shares; mapped to weight on v2) */
	int64_t pids_limit;  /* --pids-limit; -1 = unlimited */
	bool devices_all;    /* --privileged: every device; else Docker's default
	                        device allowlist (v1 devices controller) */
};

/* Docker's smallest memory limit (6 MiB). */
#define CTR_CGROUP_MIN_MEMORY (6 * 1024 * 1024)

/*
 * Docker's rules for the limits, in one place (create checks them before
 * anything exists; ctr_cgroup_create checks them again): memory 0 or at
 * least 6 MiB; memory-swap -1, 0 or at least memory, and only with memory;
 * cpus 0 or 0.01..online CPUs; cpu-shares not negative.  E_INVALID_ARG
 * naming the rule.
 */
int ctr_cgroup_limits_check(const struct ctr_cgroup_limits *lim, struct ctr_err *err);

/*
 * A --cgroup-parent is a relative path of names (a leading '/' is dropped):
 * no '.', '..' or empty part, so it stays below the cgroup root.
 * E_INVALID_ARG otherwise.  NULL (the default, "containr") is fine.
 */
int ctr_cgroup_parent_check(const char *parent, struct ctr_err *err);

struct ctr_cgroup_stats {
	uint64_t cpu_usage_ns; /* total CPU time used */
	uint64_t mem_usage;    /* bytes, Docker's formula (usage minus inactive file) */
	uint64_t mem_limit;    /* bytes (host memory when unlimited) */
	uint64_t pids;
	uint64_t blk_read, blk_write; /* bytes */
	bool oom_killed;              /* an OOM kill happened in this cgroup */
};

/* An open container cgroup (in every v1 hierarchy used, or the v2 dir). */
struct ctr_cgroup;

/*
 * Create "<parent>/<name>" (parent NULL = "containr") in every controller
 * the container needs and apply `lim` (NULL = none).  A limit the host
 * cannot enforce is an error naming the controller, not silently dropped.
 * Docker's rules apply: memory >= 6MB, memory_swap >= memory, cpus within
 * the online CPUs (E_INVALID_ARG); memory set with memory_swap 0 gives
 * as much swap as memory (memsw = 2 x memory), when swap accounting exists.
 * An existing directory of the same name is reused.  On failure nothing
 * created is left behind.  *out is owned by the caller (ctr_cgroup_free).
 */
int ctr_cgroup_create(const char *parent, const char *name, const struct ctr_cgroup_limits *lim,
                      struct ctr_cgroup **out, struct ctr_err *err);
/* Open an existing cgroup by the relative path ctr_cgroup_path() gave. */
int ctr_cgroup_open(const char *relpath, struct ctr_cgroup **out, struct ctr_err *err);
/* Relative path, e.g. "containr/<id>" (stored in the container's state). */
const char *ctr_cgroup_path(const struct ctr_cgroup *cg);
/* Move `pid` into the cgroup (all hierarchies). */
int ctr_cgroup_add_pid(struct ctr_cgroup *cg, pid_t pid, struct ctr_err *err);
/* Freeze (pause) or thaw (unpause); waits until the state is reached. */
int ctr_cgroup_freeze(struct ctr_cgroup *cg, bool frozen, struct ctr_err *err);
/* Is it frozen now? */
bool ctr_cgroup_is_frozen(struct ctr_cgroup *cg);
/*
 * Read usage counters (see struct ctr_cgroup_stats).  Missing counters
 * (controller not mounted) read as 0; E_NOT_FOUND when the cgroup is gone.
 * mem_usage is Docker's "usage minus inactive file cache" (v1:
 * total_inactive_file, v2: inactive_file); mem_limit is the host's MemTotal
 * when the cgroup is unlimited.
 */
int ctr_cgroup_stats(struct ctr_cgroup *cg, struct ctr_cgroup_stats *out, struct ctr_err *err);
/*
 * Did the kernel OOM-kill a task of this cgroup?  v2: memory.events
 * oom_kill > 0.  v1: memory.oom_control's oom_kill counter when the kernel
 * has it, else under_oom, else memsw.failcnt (or failcnt without swap
 * accounting) > 0.  Read it BEFORE ctr_cgroup_destroy() (the monitor does,
 * to record OOMKilled in state.json).
 */
bool ctr_cgroup_oom_killed(struct ctr_cgroup *cg);
/* PIDs in the cgroup (host pid namespace); *pids is heap, caller frees. */
int ctr_cgroup_pids(struct ctr_cgroup *cg, pid_t **pids, size_t *n, struct ctr_err *err);
/* Send `sig` to every process in it. */
int ctr_cgroup_kill_all(struct ctr_cgroup *cg, int sig, struct ctr_err *err);
/* Remove the cgroup dirs (kills nothing; fails with E_CONFLICT if busy). */
int ctr_cgroup_destroy(struct ctr_cgroup *cg, struct ctr_err *err);
void ctr_cgroup_free(struct ctr_cgroup *cg);

/* One interface file of a cgroup, as the kernel shows it. */
struct ctr_cgroup_file {
	const char *name; /* "memory.max", "cpu.cfs_quota_us"... (static) */
	char *value;      /* its first line, heap ("max", "100000 100000") */
};
#define CTR_CGROUP_FILES_MAX 8
/*
 * The limit files of the cgroup that exist, raw, in this order: v1
 * memory.limit_in_bytes, memory.memsw.limit_in_bytes, memory.usage_in_bytes,
 * cpu.cfs_quota_us, cpu.cfs_period_us, cpu.shares, pids.max, pids.current;
 * v2 memory.max, memory.swap.max, cpu.max, cpu.weight, pids.max,
 * pids.current.  A file that is missing or unreadable (controller not
 * mounted, no swap accounting) is left out.  Returns how many were filled;
 * release the values with ctr_cgroup_files_release().
 */
size_t ctr_cgroup_limit_files(const struct ctr_cgroup *cg,
                              struct ctr_cgroup_file out[CTR_CGROUP_FILES_MAX]);
void ctr_cgroup_files_release(struct ctr_cgroup_file *f, size_t n);

/*
 * What a container sees at /sys/fs/cgroup: its own cgroup, through the
 * cgroup namespace its init unshares after joining it.  The plan mirrors
 * the host's layout, read from a mountinfo text:
 *   v2      : cgroup2 at /sys/fs/cgroup;
 *   v1      : a tmpfs at /sys/fs/cgroup, each v1 hierarchy at
 *             /sys/fs/cgroup/<the host's directory name> ("memory",
 *             "cpu,cpuacct", "systemd"...), and for a co-mounted hierarchy
 *             one symlink per controller ("cpu" -> "cpu,cpuacct") unless a
 *             directory of that name exists;
 *   hybrid  : v1 as above plus the cgroup2 mount at its directory name
 *             ("unified"), as runc does.
 * Mounted inside the cgroup namespace, each hierarchy's root is the
 * container's cgroup.  Entries are in mount order; `path` is relative to
 * /sys/fs/cgroup ("" is /sys/fs/cgroup itself).
 */
enum ctr_cgroup_mnt_kind {
	CTR_CGMNT_TMPFS,   /* tmpfs holding the hierarchies */
	CTR_CGMNT_V1,      /* cgroup, data = mount options ("memory", "name=systemd") */
	CTR_CGMNT_V2,      /* cgroup2 */
	CTR_CGMNT_SYMLINK, /* symlink, data = its target */
};
struct ctr_cgroup_mnt {
	enum ctr_cgroup_mnt_kind kind;
	char *path;
	char *data;
};
struct ctr_cgroup_mnt_plan {
	struct ctr_cgroup_mnt *v;
	size_t n; /* 0: no cgroup filesystem on the host, mount nothing */
};
/* Build the plan from `mountinfo` (text of /proc/self/mountinfo). */
void ctr_cgroup_ns_plan(const char *mountinfo, struct ctr_cgroup_mnt_plan *out);
void ctr_cgroup_ns_plan_free(struct ctr_cgroup_mnt_plan *p);

/*
 * Tests only: pretend the cgroup filesystem is at `path` in `mode`.  V2:
 * `path` is the unified root.  V1/HYBRID: `path` holds one directory per
 * controller (memory, cpu, cpuacct, pids, blkio, freezer).  A NULL path
 * goes back to detecting the real host from /proc/self/mountinfo.
 */
void ctr_cgroup_set_root_for_test(enum ctr_cgroup_mode mode, const char *path);

#endif
