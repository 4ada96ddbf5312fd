/*
 * cgroup_internal.h - what the cgroup front end (cgroup.c) shares with its
 * two backends (cgroup_v1.c, cgroup_v2.c) and with the unit tests.
 *
 * The host's hierarchies are found once by parsing /proc/self/mountinfo
 * (struct cg_host).  An open cgroup (struct ctr_cgroup) is just a set of
 * absolute directories: one per v1 controller, or one unified directory on
 * v2.  Every file access goes through cg_write()/cg_read() so explain mode
 * shows each write and errors always name the file.
 */
#ifndef CONTAINR_CGROUP_INTERNAL_H
#define CONTAINR_CGROUP_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "containr/cgroup.h"
#include "containr/error.h"

/*
 * The v1 hierarchies containr uses (index into cg_host.v1_mnt, ctr_cgroup.dir).
 * From CG_CPUSET on, membership only (no limit is set there): the
 * container gets a cgroup of its own in them, as with runc, so that the
 * cgroup namespace shows its own cgroup there too; best effort.
 * CG_UNIFIED is the cgroup2 mount of a hybrid host (v1_mnt = v2_root).
 */
enum cg_ctrl {
	CG_MEMORY,
	CG_CPU,
	CG_CPUACCT,
	CG_PIDS,
	CG_BLKIO,
	CG_FREEZER,
	CG_DEVICES,
	CG_CPUSET,
	CG_SYSTEMD,
	CG_UNIFIED,
	CG__N
};
#define CG_MEMBERSHIP_FIRST CG_CPUSET

/* Controller name as the kernel spells it ("memory", "cpuacct", ...). */
const char *cg_ctrl_name(enum cg_ctrl c);

struct cg_host {
	enum ctr_cgroup_mode mode;
	char *v2_root;       /* cgroup2 mount point, or NULL */
	char *v1_mnt[CG__N]; /* v1 mount point per controller, or NULL */
};

/*
 * Fill `h` from the text of a mountinfo file.  Mode: V2 when only cgroup2
 * is mounted, V1 when only v1 controller hierarchies are, HYBRID when both
 * (the v1 backend is used), NONE otherwise.  Mount points are unescaped
 * (\040 -> ' ').  Release with cg_host_release().
 */
void cg_parse_mountinfo(const char *text, struct cg_host *h);
/* A heap copy of the first `len` bytes of a mountinfo field, octal escapes undone. */
char *cg_unescape(const char *s, size_t len);
void cg_host_release(struct cg_host *h);
/* The host description in use (detected once, or the test override). */
const struct cg_host *cg_host_get(void);

struct ctr_cgroup {
	bool v2;
	char *relpath;    /* "containr/<id>" */
	char *dir[CG__N]; /* v1: absolute dir per controller (NULL: not mounted);
	                     v2: dir[0] is the unified directory */
};

/* ---- file helpers (errors name the file and, if given, the controller) -- */
/* Write `value` to dir/file (O_TRUNC), with an explain line. */
int cg_write(const char *dir, const char *file, const char *value, const char *ctrl,
             struct ctr_err *err);
/* Read dir/file into a heap string with trailing whitespace removed. */
int cg_read(const char *dir, const char *file, char **out, struct ctr_err *err);
/* Read a single unsigned number ("max" reads as UINT64_MAX). -1 if missing/bad. */
int cg_read_u64(const char *dir, const char *file, uint64_t *out);
bool cg_has(const char *dir, const char *file);
/* Find "key value" in a flat-keyed file's text (memory.stat, cpu.stat...). */
int cg_kv_get(const char *text, const char *key, uint64_t *out);
/* Read the pids in dir/cgroup.procs and in every descendant cgroup. */
int cg_read_procs(const char *dir, pid_t **pids, size_t *n, struct ctr_err *err);
/* rmdir dir and its descendant cgroups, retrying briefly while busy. */
int cg_rmdir_tree(const char *dir, struct ctr_err *err);
/* Host MemTotal in bytes (from /proc/meminfo), 0 if unknown. */
uint64_t cg_host_mem_total(void);
/* Sleep `ms` milliseconds. */
void cg_sleep_ms(int ms);

/* ---- parsers (pure; unit-tested) ---------------------------------------- */
/* v1 blkio.*io_service_bytes_recursive: sum the "Read" and "Write" rows. */
void cg_parse_blkio(const char *text, uint64_t *rd, uint64_t *wr);
/* v2 io.stat: sum rbytes= and wbytes= over all devices. */
void cg_parse_io_stat(const char *text, uint64_t *rd, uint64_t *wr);
/* v1 cpu.shares -> v2 cpu.weight: 1 + ((shares-2)*9999)/262142, clamped. */
uint64_t cg_shares_to_weight(uint64_t shares);

/* ---- backends ----------------------------------------------------------- */
int cg_v1_setup(struct ctr_cgroup *cg, const struct ctr_cgroup_limits *lim, struct ctr_err *err);
int cg_v1_freeze(struct ctr_cgroup *cg, bool frozen, struct ctr_err *err);
bool cg_v1_is_frozen(struct ctr_cgroup *cg);
int cg_v1_stats(struct ctr_cgroup *cg, struct ctr_cgroup_stats *out, struct ctr_err *err);

int cg_v2_setup(struct ctr_cgroup *cg, const char *root, const struct ctr_cgroup_limits *lim,
                struct ctr_err *err);
int cg_v2_freeze(struct ctr_cgroup *cg, bool frozen, struct ctr_err *err);
bool cg_v2_is_frozen(struct ctr_cgroup *cg);
int cg_v2_stats(struct ctr_cgroup *cg, struct ctr_cgroup_stats *out, struct ctr_err *err);
/* Attach Docker's device allowlist as a BPF program (nothing if allow_all
 * or `dir` is not on cgroup2, e.g. a test tree). */
int cg_v2_devices_apply(const char *dir, bool allow_all, struct ctr_err *err);
int cg_v2_kill(struct ctr_cgroup *cg, struct ctr_err *err); /* cgroup.kill; 1 if absent */

#endif
