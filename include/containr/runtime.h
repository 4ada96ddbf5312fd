/*
 * runtime.h - running containers: create, start (with a monitor), stop,
 * kill, wait, remove, exec and logs.
 *
 * Process model (docs/RUNTIME.md):
 *
 *   containr CLI ──fork──► (intermediate, exits) ──fork──► monitor (setsid)
 *                                                            │ clone(NEWNS|NEWPID|…)
 *                                                            ▼
 *                                                      container init ─execve─► user cmd
 *
 * The monitor is a fork of the CLI (no exec): it parents the container
 * init, copies its stdout/stderr to ctr.log as JSON lines (and to the
 * attached CLI, if any), records the exit status, finish time and OOM kill
 * in state.json and applies --rm.  It survives the CLI being killed.
 */
#ifndef CONTAINR_RUNTIME_H
#define CONTAINR_RUNTIME_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "containr/container.h"
#include "containr/error.h"
#include "containr/store.h"

/* Exit statuses of `run`, as Docker. */
#define CTR_EXIT_ENGINE   125
#define CTR_EXIT_NOEXEC   126
#define CTR_EXIT_NOTFOUND 127

/*
 * Create a container from `cfg` (validated here: name, image or rootfs,
 * command, capabilities, ulimits, security options).  Writes config.json
 * and a "created" state.json; reserves the name (a generated one when
 * cfg->name is NULL, stored back into cfg).  `id_out` receives the new id.
 */
int ctr_container_create(const struct ctr_store *st, struct ctr_container_config *cfg,
                         char id_out[65], struct ctr_err *err);

/* How `start` connects to the caller. */
struct ctr_start_opts {
	bool attach;     /* stay attached: relay output, wait for the exit */
	bool stdin_open; /* -i: give the container the caller's stdin */
	int stdin_fd;    /* normally 0 */
	int stdout_fd;   /* normally 1 */
	int stderr_fd;   /* normally 2 */
	bool sig_proxy;  /* forward SIGINT/SIGTERM/... to the container (attached) */
};
void ctr_start_opts_init(struct ctr_start_opts *o);

/*
 * Start container `c` (status created or exited).  Creates its cgroup,
 * forks the monitor, which clones the init.  Returns once the user's
 * command has been exec'd (detached) or has exited (attached, *exit_code
 * set to its status: code, or 128+signal).  An error inside the init
 * before execve comes back as a one-line error and *exit_code = 125, 126
 * (not executable) or 127 (not found).
 */
int ctr_container_start(const struct ctr_store *st, struct ctr_container *c,
                        const struct ctr_start_opts *o, int *exit_code, struct ctr_err *err);

/*
 * Let monitors become the small containr-monitor helper once the container
 * runs (docs/RUNTIME.md): remembers /proc/self/exe as the engine binary the
 * helper execs for the exit step.  The CLI calls it at start-up; without
 * it (e.g. in unit tests) monitors copy output in-process.
 */
void ctr_runtime_set_engine_exe(void);
/*
 * The exit step of a monitor that ran containr-monitor (the hidden
 * `__monitor-exit ID STATUS REPORTFD`): record ExitCode/OOMKilled/
 * FinishedAt, remove the cgroup, apply --rm, send 'X' on report_fd and
 * _exit(0).  Returns -1 (err set) only if the container cannot be loaded.
 */
int ctr_container_monitor_exit(const struct ctr_store *st, const char *id, int status,
                               int report_fd, struct ctr_err *err);

struct ctr_cgroup;
/*
 * Open the container's cgroup: the path its state recorded, else
 * <cgroup-parent or "containr">/<id>.  Fails (err set) if it does not exist.
 */
int ctr_container_cgroup_open(const struct ctr_container *c, struct ctr_cgroup **cg,
                              struct ctr_err *err);

/*
 * Send `sig` to the container's init. E_CONFLICT if it is not running.
 * SIGKILL returns once the init is dead and the monitor has recorded the
 * exit (up to 10 s each), as Docker's kill; other signals return at once.
 */
int ctr_container_kill(const struct ctr_store *st, struct ctr_container *c, int sig,
                       struct ctr_err *err);
/*
 * For `start` of a container whose (reconciled) status is running or
 * paused: 0 if its init really runs (start is then a no-op, as Docker);
 * E_CONFLICT "still exiting" if the init is gone but its monitor has not
 * recorded the exit yet (reconciliation already waited 10 s for it).
 */
int ctr_container_check_up(const struct ctr_container *c, struct ctr_err *err);
/*
 * Stop: the stop signal, wait `timeout` seconds (-1 = the container's
 * StopTimeout, default 10), then SIGKILL; returns when the monitor has
 * recorded the exit.  Stopping a stopped container is not an error.
 */
int ctr_container_stop(const struct ctr_store *st, struct ctr_container *c, int timeout,
                       struct ctr_err *err);
/*
 * Pause/unpause: freeze or thaw every process of the container with the
 * cgroup freezer and record Paused/Running, under the container lock.
 * E_CONFLICT if it is not running, already paused (pause) or not paused
 * (unpause).
 */
int ctr_container_pause(const struct ctr_store *st, struct ctr_container *c, struct ctr_err *err);
int ctr_container_unpause(const struct ctr_store *st, struct ctr_container *c, struct ctr_err *err);
/* Block until the container is not running; *exit_code = its ExitCode. */
int ctr_container_wait(const struct ctr_store *st, struct ctr_container *c, int *exit_code,
                       struct ctr_err *err);
/*
 * Remove: refuses a running container unless `force` (then SIGKILL first).
 * Destroys its cgroup, its directory and its name; `volumes` also removes
 * anonymous volumes.
 */
int ctr_container_remove(const struct ctr_store *st, struct ctr_container *c, bool force,
                         bool volumes, struct ctr_err *err);

/* `exec` options. */
struct ctr_exec_opts {
	struct strv argv;    /* command (required) */
	struct strv env;     /* extra "K=V" */
	const char *user;    /* NULL = the container's user */
	const char *workdir; /* NULL = the container's workdir */
	bool detach, interactive, tty;
	bool privileged;
};
/*
 * Run a command in a running container: setns into its namespaces, join
 * its cgroup, same capabilities and seccomp filter.  Attached: *exit_code
 * is the command's status.
 */
int ctr_container_exec(const struct ctr_store *st, struct ctr_container *c,
                       const struct ctr_exec_opts *o, int *exit_code, struct ctr_err *err);

struct ctr_logs_opts {
	bool follow;
	bool timestamps;
	int64_t tail;  /* -1 = all */
	int64_t since; /* ns since epoch, 0 = all */
	int64_t until; /* ns since epoch, 0 = none */
	int out_fd, err_fd;
	volatile int *interrupted; /* polled while following (may be NULL) */
};
/* Print the container's log (stdout lines to out_fd, stderr lines to err_fd). */
int ctr_container_logs(const struct ctr_store *st, struct ctr_container *c,
                       const struct ctr_logs_opts *o, struct ctr_err *err);

/* ---- `ps` columns (shared by the CLI and the dashboard) ------------------ */
/* One row of `ps`, as Docker prints it.  All strings are heap, owned. */
struct ctr_ps_row {
	char *id;      /* 12 chars, or 64 with no_trunc */
	char *image;   /* image reference, or the --rootfs directory */
	char *command; /* "\"/bin/sh -c 'sle…\"" (quoted; truncated to 20 unless no_trunc) */
	char *created; /* "2 minutes ago" */
	char *status;  /* "Up 3 minutes", "Exited (0) 2 seconds ago", "Created", "Up 1 second
	                  (Paused)" */
	char *ports;   /* "" */
	char *names;   /* "brave_turing" */
	char *state;   /* "running", ... */
};
void ctr_ps_row_fill(const struct ctr_container *c, bool no_trunc, struct ctr_ps_row *row);
void ctr_ps_row_release(struct ctr_ps_row *row);
/*
 * Does `c` pass a Docker `ps --filter` expression ("status=exited",
 * "name=web", "label=k" or "label=k=v", "ancestor=busybox", "id=abc")?
 * Unknown keys are E_INVALID_ARG (returned as -1); 1 = match, 0 = no.
 */
int ctr_ps_filter_match(const struct ctr_container *c, const char *filter, struct ctr_err *err);

/* ---- signals (signal.c) ------------------------------------------------ */
/*
 * "SIGTERM", "TERM", "term", "15", "RTMIN", "SIGRTMIN+3" -> the number;
 * -1 if unknown or out of 1..NSIG-1.
 */
int ctr_signal_parse(const char *s);
/* 15 -> "SIGTERM"; a number without a name -> "40" (static buffer). */
const char *ctr_signal_name(int sig);

/* ---- helpers shared with the CLI --------------------------------------- */
/* A Docker-style random name ("brave_turing"), not yet used in the store. */
char *ctr_name_generate(const struct ctr_store *st);

#endif
