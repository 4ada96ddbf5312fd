/*
 * cmds_runtime.c - the container lifecycle commands: start, stop, kill,
 * restart, wait, rm, logs, exec (run/create: cmds_run.c; ps/inspect:
 * cmds_runtime_ps.c), and the table of the runtime module.
 *
 * Thin: flags become options and the engine (include/containr/runtime.h)
 * does the work.  Handlers return 0 or -1 with the error; the dispatcher
 * derives the exit status (cli_exit_status()).
 */
#include "cli/cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "containr/container.h"
#include "containr/log.h"
#include "containr/runtime.h"

/* ---- start / stop / kill / restart / wait / rm ---------------------------- */

/*
 * Run `fn` on every container argument, as Docker: each success prints its
 * name (when `echo`), each failure its own error line, and the command
 * fails if any did.  Earlier failures are printed here; the last one is left
 * in `err` for the dispatcher, which prints it and derives the status.
 */
typedef int (*each_fn)(struct cli_ctx *ctx, struct cli_args *a, struct ctr_store *st,
                       struct ctr_container *c, struct ctr_err *err);

static int for_each_container(struct cli_ctx *ctx, struct cli_args *a, each_fn fn, bool echo,
                              struct ctr_err *err)
{
	struct ctr_store *st;
	bool failed = false;

	if (cli_store(ctx, &st, err) < 0)
		return -1;
	for (int i = 0; i < a->argc; i++) {
		struct ctr_container c;
		struct ctr_err e;
		memset(&c, 0, sizeof c);
		ctr_err_clear(&e);
		if (ctr_container_load(st, a->argv[i], &c, &e) < 0 || fn(ctx, a, st, &c, &e) < 0) {
			if (failed)
				cli_print_error(err);
			*err = e;
			failed = true;
		} else if (echo) {
			fprintf(ctx->out, "%s\n", a->argv[i]);
			fflush(ctx->out);
		}
		ctr_container_free(&c);
	}
	return failed ? -1 : 0;
}

static int do_start(struct cli_ctx *ctx, struct cli_args *a, struct ctr_store *st,
                    struct ctr_container *c, struct ctr_err *err)
{
	struct ctr_start_opts o;
	int status;

	if (c->state.status == CTR_STATUS_RUNNING || c->state.status == CTR_STATUS_PAUSED)
		return ctr_container_check_up(c, err); /* a no-op in Docker, unless exiting */
	ctr_start_opts_init(&o);
	o.attach = cli_bool(a, "attach");
	o.stdin_open = cli_bool(a, "interactive");
	if (ctr_container_start(st, c, &o, &status, err) < 0)
		return -1;
	return status;
}

static int cmd_start(struct cli_ctx *ctx, struct cli_args *a, struct ctr_err *err)
{
	if (cli_bool(a, "attach")) {
		struct ctr_store *st;
		struct ctr_container c;
		int r;
		if (a->argc != 1)
			return ctr_fail(err, E_USAGE,
			                "you cannot start and attach multiple containers at once");
		if (cli_store(ctx, &st, err) < 0 || ctr_container_load(st, a->argv[0], &c, err) < 0)
			return -1;
		r = do_start(ctx, a, st, &c, err);
		ctr_container_free(&c);
		return r < 0 ? -1 : r;
	}
	return for_each_container(ctx, a, do_start, true, err);
}

static int do_stop(struct cli_ctx *ctx, struct cli_args *a, struct ctr_store *st,
                   struct ctr_container *c, struct ctr_err *err)
{
	return ctr_container_stop(st, c, cli_isset(a, "time") ? (int)cli_int(a, "time") : -1, err);
}

static int cmd_stop(struct cli_ctx *ctx, struct cli_args *a, struct ctr_err *err)
{
	return for_each_container(ctx, a, do_stop, true, err);
}

static int do_restart(struct cli_ctx *ctx, struct cli_args *a, struct ctr_store *st,
                      struct ctr_container *c, struct ctr_err *err)
{
	struct ctr_start_opts o;
	int status;

	if (do_stop(ctx, a, st, c, err) < 0)
		return -1;
	ctr_start_opts_init(&o);
	return ctr_container_start(st, c, &o, &status, err);
}

static int cmd_restart(struct cli_ctx *ctx, struct cli_args *a, struct ctr_err *err)
{
	return for_each_container(ctx, a, do_restart, true, err);
}

static int do_kill(struct cli_ctx *ctx, struct cli_args *a, struct ctr_store *st,
                   struct ctr_container *c, struct ctr_err *err)
{
	int sig = ctr_signal_parse(cli_str(a, "signal"));
	if (sig <= 0)
		return ctr_fail(err, E_INVALID_ARG, "invalid signal: %s", cli_str(a, "signal"));
	return ctr_container_kill(st, c, sig, err);
}

static int cmd_kill(struct cli_ctx *ctx, struct cli_args *a, struct ctr_err *err)
{
	return for_each_container(ctx, a, do_kill, true, err);
}

static int do_wait(struct cli_ctx *ctx, struct cli_args *a, struct ctr_store *st,
                   struct ctr_container *c, struct ctr_err *err)
{
	int code;
	if (ctr_container_wait(st, c, &code, err) < 0)
		return -1;
	fprintf(ctx->out, "%d\n", code);
	fflush(ctx->out);
	return 0;
}

static int cmd_wait(struct cli_ctx *ctx, struct cli_args *a, struct ctr_err *err)
{
	return for_each_container(ctx, a, do_wait, false, err);
}

static int do_rm(struct cli_ctx *ctx, struct cli_args *a, struct ctr_store *st,
                 struct ctr_container *c, struct ctr_err *err)
{
	return ctr_container_remove(st, c, cli_bool(a, "force"), cli_bool(a, "volumes"), err);
}

static int cmd_rm(struct cli_ctx *ctx, struct cli_args *a, struct ctr_err *err)
{
	return for_each_container(ctx, a, do_rm, true, err);
}

static int parse_i64(const char *flag, const char *s, int64_t *out, struct ctr_err *err)
{
	if (ctr_parse_i64(s, INT64_MIN, INT64_MAX, out) < 0)
		return ctr_fail(err, E_INVALID_ARG, "invalid value \"%s\" for --%s: not an integer",
		                s, flag);
	return 0;
}

/* ---- logs ------------------------------------------------------------------ */

static int parse_time_arg(const char *flag, const char *s, int64_t *out, struct ctr_err *err)
{
	if (ctr_parse_time_arg(s, ctr_now_ns(), out) == 0)
		return 0;
	ctr_fail(err, E_INVALID_ARG, "invalid value for --%s: %s", flag, s);
	return ctr_hint(err, "use a timestamp (2026-11-28T14:00:00Z, 2026-11-28T14:00:00.5+01:00, "
	                     "2026-11-28), Unix seconds (1764338400.5) or a duration (10m, 1h30m)");
}

static int cmd_logs(struct cli_ctx *ctx, struct cli_args *a, struct ctr_err *err)
{
	struct ctr_store *st;
	struct ctr_container c;
	struct ctr_logs_opts o;
	const char *tail = cli_str(a, "tail");
	int r;

	memset(&o, 0, sizeof o);
	o.follow = cli_bool(a, "follow");
	o.timestamps = cli_bool(a, "timestamps");
	o.tail = -1;
	o.out_fd = 1;
	o.err_fd = 2;
	o.interrupted = &ctx->interrupted;
	if (tail && strcmp(tail, "all") != 0 && (parse_i64("tail", tail, &o.tail, err) < 0))
		return -1;
	if (cli_str(a, "since") && parse_time_arg("since", cli_str(a, "since"), &o.since, err) < 0)
		return -1;
	if (cli_str(a, "until") && parse_time_arg("until", cli_str(a, "until"), &o.until, err) < 0)
		return -1;
	if (cli_store(ctx, &st, err) < 0 || ctr_container_load(st, a->argv[0], &c, err) < 0)
		return -1;
	fflush(ctx->out);
	r = ctr_container_logs(st, &c, &o, err);
	ctr_container_free(&c);
	return r < 0 ? -1 : 0;
}

/* ---- exec ------------------------------------------------------------------ */

static int cmd_exec(struct cli_ctx *ctx, struct cli_args *a, struct ctr_err *err)
{
	struct ctr_store *st;
	struct ctr_container c;
	struct ctr_exec_opts o;
	int status = 1;

	memset(&o, 0, sizeof o);
	strv_init(&o.argv);
	strv_init(&o.env);
	for (int i = 1; i < a->argc; i++)
		strv_push(&o.argv, a->argv[i]);
	for (size_t i = 0; i < cli_list(a, "env")->n; i++)
		cli_env_add(&o.env, cli_list(a, "env")->v[i]);
	o.user = cli_str(a, "user");
	o.workdir = cli_str(a, "workdir");
	o.detach = cli_bool(a, "detach");
	o.interactive = cli_bool(a, "interactive");
	o.tty = cli_bool(a, "tty");
	o.privileged = cli_bool(a, "privileged");
	if (o.workdir && o.workdir[0] != '/') {
		ctr_fail(err, E_INVALID_ARG,
		         "the working directory '%s' is invalid: it needs to be an absolute path",
		         o.workdir);
		goto out;
	}
	if (cli_store(ctx, &st, err) < 0 || ctr_container_load(st, a->argv[0], &c, err) < 0)
		goto out;
	fflush(ctx->out);
	if (ctr_container_exec(st, &c, &o, &status, err) < 0 && status == 0)
		status = 1;
	ctr_container_free(&c);
out:
	strv_release(&o.argv);
	strv_release(&o.env);
	return status;
}

/* ---- ps / inspect: cmds_runtime_ps.c ------------------------------------------ */
extern const struct cli_command cli_cmd_ps, cli_cmd_inspect;
/* ---- run / create: cmds_run.c ------------------------------------------------ */
extern const struct cli_command cli_cmd_run, cli_cmd_create;

/* ---- table ------------------------------------------------------------------- */

static const struct cli_flag start_flags[] = {
    {.name = "attach",
     .shortname = 'a',
     .type = CLI_BOOL,
     .help = "Attach STDOUT/STDERR and forward signals"},
    {.name = "interactive", .shortname = 'i', .type = CLI_BOOL, .help = "Attach container's STDIN"},
    {0},
};
static const struct cli_flag stop_flags[] = {
    {.name = "time",
     .shortname = 't',
     .type = CLI_INT,
     .metavar = "SECONDS",
     .help = "Seconds to wait before killing the container (default: its stop timeout, 10)"},
    {0},
};
static const struct cli_flag kill_flags[] = {
    {.name = "signal",
     .shortname = 's',
     .type = CLI_STRING,
     .metavar = "SIGNAL",
     .def = "KILL",
     .help = "Signal to send to the container",
     .complete = COMP_SIGNAL},
    {0},
};
static const struct cli_flag rm_flags[] = {
    {.name = "force",
     .shortname = 'f',
     .type = CLI_BOOL,
     .help = "Force the removal of a running container (uses SIGKILL)"},
    {.name = "volumes",
     .shortname = 'v',
     .type = CLI_BOOL,
     .help = "Remove anonymous volumes associated with the container"},
    {0},
};
static const struct cli_flag logs_flags[] = {
    {.name = "follow", .shortname = 'f', .type = CLI_BOOL, .help = "Follow log output"},
    {.name = "tail",
     .shortname = 'n',
     .type = CLI_STRING,
     .metavar = "N",
     .def = "all",
     .help = "Number of lines to show from the end of the logs"},
    {.name = "timestamps", .shortname = 't', .type = CLI_BOOL, .help = "Show timestamps"},
    {.name = "since",
     .type = CLI_STRING,
     .metavar = "TIME",
     .help = "Show logs since timestamp (2026-11-28T14:00:00Z) or relative (42m)"},
    {.name = "until",
     .type = CLI_STRING,
     .metavar = "TIME",
     .help = "Show logs before a timestamp or relative time"},
    {0},
};
static const struct cli_flag exec_flags[] = {
    {.name = "detach",
     .shortname = 'd',
     .type = CLI_BOOL,
     .help = "Detached mode: run command in the background"},
    {.name = "interactive", .shortname = 'i', .type = CLI_BOOL, .help = "Keep STDIN open"},
    {.name = "tty", .shortname = 't', .type = CLI_BOOL, .help = "Allocate a pseudo-TTY"},
    {.name = "user",
     .shortname = 'u',
     .type = CLI_STRING,
     .metavar = "USER[:GROUP]",
     .help = "Username or UID"},
    {.name = "env",
     .shortname = 'e',
     .type = CLI_STRING,
     .metavar = "KEY=VALUE",
     .help = "Set environment variables",
     .opts = CLI_REPEAT},
    {.name = "workdir",
     .shortname = 'w',
     .type = CLI_STRING,
     .metavar = "DIR",
     .help = "Working directory inside the container"},
    {.name = "privileged", .type = CLI_BOOL, .help = "Give extended privileges to the command"},
    {0},
};

static const struct cli_unsupported exec_unsupported[] = {
    {"detach-keys", 0, NULL},
    {"env-file", 0, "use -e KEY=VALUE"},
    {NULL, 0, NULL},
};

static const struct cli_command cmd_start_def = {
    .name = "start",
    .summary = "Start one or more stopped containers",
    .group = "Containers",
    .usage = "[OPTIONS] CONTAINER [CONTAINER...]",
    .flags = start_flags,
    .min_args = 1,
    .max_args = -1,
    .complete = COMP_CONTAINER,
    .handler = cmd_start,
};
static const struct cli_command cmd_stop_def = {
    .name = "stop",
    .summary = "Stop one or more running containers",
    .group = "Containers",
    .usage = "[OPTIONS] CONTAINER [CONTAINER...]",
    .flags = stop_flags,
    .min_args = 1,
    .max_args = -1,
    .complete = COMP_CONTAINER_UP,
    .handler = cmd_stop,
};
static const struct cli_command cmd_restart_def = {
    .name = "restart",
    .summary = "Restart one or more containers",
    .group = "Containers",
    .usage = "[OPTIONS] CONTAINER [CONTAINER...]",
    .flags = stop_flags,
    .min_args = 1,
    .max_args = -1,
    .complete = COMP_CONTAINER,
    .handler = cmd_restart,
};
static const struct cli_command cmd_kill_def = {
    .name = "kill",
    .summary = "Kill one or more running containers",
    .group = "Containers",
    .usage = "[OPTIONS] CONTAINER [CONTAINER...]",
    .flags = kill_flags,
    .min_args = 1,
    .max_args = -1,
    .complete = COMP_CONTAINER_UP,
    .handler = cmd_kill,
};
static const struct cli_command cmd_wait_def = {
    .name = "wait",
    .summary = "Block until containers stop, then print their exit codes",
    .group = "Containers",
    .usage = "CONTAINER [CONTAINER...]",
    .min_args = 1,
    .max_args = -1,
    .complete = COMP_CONTAINER,
    .handler = cmd_wait,
};
static const char *const rm_aliases[] = {"remove", NULL};
static const struct cli_command cmd_rm_def = {
    .name = "rm",
    .aliases = rm_aliases,
    .summary = "Remove one or more containers",
    .group = "Containers",
    .usage = "[OPTIONS] CONTAINER [CONTAINER...]",
    .flags = rm_flags,
    .min_args = 1,
    .max_args = -1,
    .complete = COMP_CONTAINER,
    .handler = cmd_rm,
};
static const struct cli_command cmd_logs_def = {
    .name = "logs",
    .summary = "Fetch the logs of a container",
    .group = "Containers",
    .usage = "[OPTIONS] CONTAINER",
    .flags = logs_flags,
    .min_args = 1,
    .max_args = 1,
    .complete = COMP_CONTAINER,
    .handler = cmd_logs,
};
static const struct cli_command cmd_exec_def = {
    .name = "exec",
    .summary = "Execute a command in a running container",
    .group = "Containers",
    .usage = "[OPTIONS] CONTAINER COMMAND [ARG...]",
    .flags = exec_flags,
    .min_args = 2,
    .max_args = -1,
    .opts = CLI_TRAILING,
    .complete = COMP_CONTAINER_UP,
    .complete_rest = COMP_FILE,
    .handler = cmd_exec,
    .unsupported = exec_unsupported,
};

/* The monitor's exit step after containr-monitor (see docs/RUNTIME.md). */
static int cmd_monitor_exit(struct cli_ctx *ctx, struct cli_args *a, struct ctr_err *err)
{
	struct ctr_store *st;

	int pid, status;

	if (ctr_parse_int(a->argv[1], INT_MIN, INT_MAX, &pid) < 0 ||
	    ctr_parse_int(a->argv[2], INT_MIN, INT_MAX, &status) < 0)
		return ctr_fail(err, E_USAGE, "__monitor-exit: PID and STATUS must be integers");
	if (cli_store(ctx, &st, err) < 0)
		return -1;
	if (ctr_container_monitor_exit(st, a->argv[0], pid, status, err) < 0)
		return -1;
	return 0;
}

static const struct cli_command cmd_monitor_exit_def = {
    .name = "__monitor-exit",
    .summary = "Record a container's exit (run by its monitor, not by users)",
    .usage = "ID STATUS REPORTFD",
    .group = "Containers",
    .min_args = 3,
    .max_args = 3,
    .opts = CLI_HIDDEN_CMD,
    .handler = cmd_monitor_exit,
};

const struct cli_command *const cli_cmds_runtime[] = {
    &cli_cmd_run,  &cli_cmd_create,  &cmd_start_def,        &cmd_stop_def, &cmd_restart_def,
    &cmd_kill_def, &cmd_wait_def,    &cmd_rm_def,           &cmd_logs_def, &cmd_exec_def,
    &cli_cmd_ps,   &cli_cmd_inspect, &cmd_monitor_exit_def, NULL,
};
