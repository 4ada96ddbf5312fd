/*
 * procinfo.h - what the kernel says about a container's process, read
 * straight from /proc (the dashboard's Internals and Top tabs).
 *
 * This is the teaching view: each reader shows a kernel file as it is
 * (/proc/<pid>/ns/ entries, status, mountinfo, cgroup), decoded just enough to be
 * read (capability bits to names, seccomp modes to words).  No fork, no
 * engine state: a pid is all it needs, so it works for any process.  What
 * lives in the container's cgroup (its processes, its limit files) is read
 * through the engine's cgroup module instead (ctr_cgroup_pids,
 * ctr_cgroup_limit_files), which knows v1, v2 and where the cgroup is.
 */
#ifndef CONTAINR_UI_PROCINFO_H
#define CONTAINR_UI_PROCINFO_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "containr/error.h"
#include "containr/util.h"

#define UI_NS_COUNT 8
struct ui_ns {
	const char *type;    /* "mnt", "pid", ... */
	unsigned long inode; /* 0 if unreadable */
	unsigned long host;  /* the same namespace of pid 1 */
	bool shared;         /* inode == host */
	bool host_is_self;   /* pid 1 unreadable: compared with our own namespace */
};

struct ui_procstatus {
	char name[64];
	char state[32]; /* "S (sleeping)" */
	uint64_t cap_inh, cap_prm, cap_eff, cap_bnd, cap_amb;
	int seccomp; /* 0 off, 1 strict, 2 filter, -1 unknown */
	int seccomp_filters;
	int no_new_privs; /* -1 unknown */
	pid_t nspid[8];   /* host pid first, innermost last */
	int nnspid;
	uid_t uid[4];    /* real, effective, saved, fs */
	uint64_t vm_rss; /* bytes */
};

/* Namespaces of `pid` compared with pid 1's.  Returns 0 or -1 (E_NOT_FOUND). */
int ui_proc_namespaces(pid_t pid, struct ui_ns out[UI_NS_COUNT], struct ctr_err *err);
/* Parse /proc/<pid>/status. */
int ui_proc_status(pid_t pid, struct ui_procstatus *st, struct ctr_err *err);
/* Parse status text (for tests). */
void ui_procstatus_parse(const char *text, struct ui_procstatus *st);
/*
 * Capability bit set -> names ("cap_chown cap_kill ..."), lowercase as
 * libcap prints them; "(none)" for 0, "(all)" when every known bit is set.
 */
void ui_caps_names(uint64_t caps, struct strbuf *out);
/* "disabled", "strict", "filter", "unknown". */
const char *ui_seccomp_mode(int mode);

struct ui_mount {
	char *target, *fstype, *source, *options, *super;
};
/* Mounts of `pid` (mountinfo). Free with ui_mounts_free(). */
int ui_proc_mounts(pid_t pid, struct ui_mount **out, size_t *n, struct ctr_err *err);
void ui_mounts_free(struct ui_mount *m, size_t n);
/* Parse mountinfo text (for tests). */
void ui_mountinfo_parse(const char *text, struct ui_mount **out, size_t *n);
/* The overlay layers of the root mount: lowerdir entries (top first), upper. */
void ui_overlay_layers(const struct ui_mount *m, size_t n, struct strv *lower, char **upper);

/* Lines of /proc/<pid>/cgroup ("4:memory:/containr/<id>"). */
int ui_proc_cgroups(pid_t pid, struct strv *out, struct ctr_err *err);

/* One process for the Top tab. */
struct ui_procrow {
	pid_t pid, ppid, nspid;
	uid_t uid;
	char state;
	uint64_t ticks; /* utime + stime */
	uint64_t rss;   /* bytes */
	int64_t start_ticks;
	char cmd[256];
};
int ui_proc_row(pid_t pid, struct ui_procrow *r);

#endif
