/*
 * cmds_runtime.c - the container lifecycle commands: run, create, start,
 * stop, kill, restart, wait, rm, logs, exec, ps, inspect.
 *
 * Thin: flags become a struct ctr_container_config / options and the
 * engine (include/containr/runtime.h) does the work.  Values of run/create
 * are parsed here (not by the flag parser) so a bad value exits 125 as
 * with Docker.
 */
#include "cli/cli.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "containr/container.h"
#include "containr/log.h"
#include "containr/image.h"
#include "containr/runtime.h"
#include "containr/volume.h"

/* ---- run / create ------------------------------------------------------- */

#define RUN_FLAGS                                                                                  \
	{.name = "name",                                                                           \
	 .type = CLI_STRING,                                                                       \
	 .metavar = "NAME",                                                                        \
	 .help = "Assign a name to the container"},                                                \
	    {.name = "rm",                                                                         \
	     .type = CLI_BOOL,                                                                     \
	     .help = "Automatically remove the container when it exits"},                          \
	    {.name = "interactive",                                                                \
	     .shortname = 'i',                                                                     \
	     .type = CLI_BOOL,                                                                     \
	     .help = "Keep STDIN open"},                                                           \
	    {.name = "tty", .shortname = 't', .type = CLI_BOOL, .help = "Allocate a pseudo-TTY"},  \
	    {.name = "env",                                                                        \
	     .shortname = 'e',                                                                     \
	     .type = CLI_STRING,                                                                   \
	     .metavar = "KEY=VALUE",                                                               \
	     .help = "Set environment variables",                                                  \
	     .opts = CLI_REPEAT},                                                                  \
	    {.name = "env-file",                                                                   \
	     .type = CLI_STRING,                                                                   \
	     .metavar = "FILE",                                                                    \
	     .help = "Read in a file of environment variables",                                    \
	     .opts = CLI_REPEAT,                                                                   \
	     .complete = COMP_FILE},                                                               \
	    {.name = "workdir",                                                                    \
	     .shortname = 'w',                                                                     \
	     .type = CLI_STRING,                                                                   \
	     .metavar = "DIR",                                                                     \
	     .help = "Working directory inside the container"},                                    \
	    {.name = "user",                                                                       \
	     .shortname = 'u',                                                                     \
	     .type = CLI_STRING,                                                                   \
	     .metavar = "USER[:GROUP]",                                                            \
	     .help = "Username or UID (format: <name|uid>[:<group|gid>])"},                        \
	    {.name = "hostname",                                                                   \
	     .shortname = 'h',                                                                     \
	     .type = CLI_STRING,                                                                   \
	     .metavar = "NAME",                                                                    \
	     .help = "Container host name"},                                                       \
	    {.name = "entrypoint",                                                                 \
	     .type = CLI_STRING,                                                                   \
	     .metavar = "CMD",                                                                     \
	     .help = "Overwrite the default ENTRYPOINT of the image"},                             \
	    {.name = "label",                                                                      \
	     .shortname = 'l',                                                                     \
	     .type = CLI_STRING,                                                                   \
	     .metavar = "KEY=VALUE",                                                               \
	     .help = "Set meta data on a container",                                               \
	     .opts = CLI_REPEAT},                                                                  \
	    {.name = "memory",                                                                     \
	     .shortname = 'm',                                                                     \
	     .type = CLI_STRING,                                                                   \
	     .metavar = "BYTES",                                                                   \
	     .help = "Memory limit (e.g. 32m, 1g)"},                                               \
	    {.name = "memory-swap",                                                                \
	     .type = CLI_STRING,                                                                   \
	     .metavar = "BYTES",                                                                   \
	     .help = "Memory plus swap limit; -1 for unlimited swap"},                             \
	    {.name = "cpus",                                                                       \
	     .type = CLI_STRING,                                                                   \
	     .metavar = "N",                                                                       \
	     .help = "Number of CPUs (e.g. 0.5)"},                                                 \
	    {.name = "cpu-shares",                                                                 \
	     .shortname = 'c',                                                                     \
	     .type = CLI_STRING,                                                                   \
	     .metavar = "N",                                                                       \
	     .help = "CPU shares (relative weight)"},                                              \
	    {.name = "pids-limit",                                                                 \
	     .type = CLI_STRING,                                                                   \
	     .metavar = "N",                                                                       \
	     .help = "Tune container pids limit (-1 for unlimited)"},                              \
	    {.name = "ulimit",                                                                     \
	     .type = CLI_STRING,                                                                   \
	     .metavar = "NAME=SOFT[:HARD]",                                                        \
	     .help = "Ulimit options",                                                             \
	     .opts = CLI_REPEAT},                                                                  \
	    {.name = "cap-add",                                                                    \
	     .type = CLI_STRING,                                                                   \
	     .metavar = "CAP",                                                                     \
	     .help = "Add Linux capabilities (or ALL)",                                            \
	     .opts = CLI_REPEAT},                                                                  \
	    {.name = "cap-drop",                                                                   \
	     .type = CLI_STRING,                                                                   \
	     .metavar = "CAP",                                                                     \
	     .help = "Drop Linux capabilities (or ALL)",                                           \
	     .opts = CLI_REPEAT},                                                                  \
	    {.name = "privileged",                                                                 \
	     .type = CLI_BOOL,                                                                     \
	     .help = "Give extended privileges (all capabilities, no seccomp, no masked paths)"},  \
	    {.name = "security-opt",                                                               \
	     .type = CLI_STRING,                                                                   \
	     .metavar = "OPT",                                                                     \
	     .help = "Security options: no-new-privileges, seccomp=unconfined|FILE, apparmor=, "   \
	             "label=",                                                                     \
	     .opts = CLI_REPEAT},                                                                  \
	    {.name = "read-only",                                                                  \
	     .type = CLI_BOOL,                                                                     \
	     .help = "Mount the container's root filesystem as read only"},                        \
	    {.name = "network",                                                                    \
	     .type = CLI_STRING,                                                                   \
	     .metavar = "MODE",                                                                    \
	     .def = "none",                                                                        \
	     .help = "Network mode: none (only loopback) or host",                                 \
	     .complete = COMP_CHOICES,                                                             \
	     .choices = "none|host"},                                                              \
	    {.name = "stop-signal",                                                                \
	     .type = CLI_STRING,                                                                   \
	     .metavar = "SIGNAL",                                                                  \
	     .help = "Signal to stop the container",                                               \
	     .complete = COMP_SIGNAL},                                                             \
	    {.name = "stop-timeout",                                                               \
	     .type = CLI_STRING,                                                                   \
	     .metavar = "SECONDS",                                                                 \
	     .help = "Timeout (in seconds) to stop a container"},                                  \
	    {.name = "cgroup-parent",                                                              \
	     .type = CLI_STRING,                                                                   \
	     .metavar = "PATH",                                                                    \
	     .help = "Optional parent cgroup for the container"},                                  \
	    {.name = "init",                                                                       \
	     .type = CLI_BOOL,                                                                     \
	     .help = "Run an init inside the container that forwards signals and reaps "           \
	             "processes"}, /* volume module (docs/VOLUMES.md) */                           \
	    {.name = "volume",                                                                     \
	     .shortname = 'v',                                                                     \
	     .type = CLI_STRING,                                                                   \
	     .metavar = "[SRC:]DST[:OPTS]",                                                        \
	     .opts = CLI_REPEAT,                                                                   \
	     .complete = COMP_VOLUME,                                                              \
	     .help =                                                                               \
	         "Bind mount a host path or mount a volume (NAME:/path, /host:/path:ro, /path)"},  \
	    {.name = "mount",                                                                      \
	     .type = CLI_STRING,                                                                   \
	     .metavar = "type=…,src=…,dst=…",                                                      \
	     .opts = CLI_REPEAT,                                                                   \
	     .help = "Attach a bind, volume or tmpfs mount"},                                      \
	    {.name = "tmpfs",                                                                      \
	     .type = CLI_STRING,                                                                   \
	     .metavar = "DST[:OPTS]",                                                              \
	     .opts = CLI_REPEAT,                                                                   \
	     .help = "Mount a tmpfs (e.g. /run:size=64m,mode=1777)"},                              \
	    {.name = "volumes-from",                                                               \
	     .type = CLI_STRING,                                                                   \
	     .metavar = "CONTAINER[:ro|:rw]",                                                      \
	     .opts = CLI_REPEAT,                                                                   \
	     .complete = COMP_CONTAINER,                                                           \
	     .help = "Mount the volumes of another container"},                                    \
	    {.name = "userns",                                                                     \
	     .type = CLI_STRING,                                                                   \
	     .metavar = "MODE",                                                                    \
	     .opts = CLI_OPTVAL,                                                                   \
	     .help = "User namespace: host (default), private (or --userns alone), "               \
	             "auto[:size=N]; keep-id and nomap are rootless only",                         \
	     .complete = COMP_CHOICES,                                                             \
	     .choices = "host|private|auto|keep-id|nomap"},                                        \
	    {.name = "uidmap",                                                                     \
	     .type = CLI_STRING,                                                                   \
	     .metavar = "CONTAINER:HOST:SIZE",                                                     \
	     .opts = CLI_REPEAT,                                                                   \
	     .help = "UID map of a new user namespace (repeatable)"},                              \
	    {.name = "gidmap",                                                                     \
	     .type = CLI_STRING,                                                                   \
	     .metavar = "CONTAINER:HOST:SIZE",                                                     \
	     .opts = CLI_REPEAT,                                                                   \
	     .help = "GID map of a new user namespace (repeatable; default: the --uidmap)"},       \
	{                                                                                          \
		.name = "rootfs", .type = CLI_STRING, .metavar = "DIR",                            \
		.help = "Run a root filesystem directory instead of an image (all arguments are "  \
		        "the command)",                                                            \
		.complete = COMP_FILE                                                              \
	}

static const struct cli_flag create_flags[] = {RUN_FLAGS, {0}};
static const struct cli_flag run_flags[] = {
    {.name = "detach",
     .shortname = 'd',
     .type = CLI_BOOL,
     .help = "Run container in background and print container ID"},
    RUN_FLAGS,
    {0},
};

static void env_add(struct strv *env, const char *kv)
{
	if (strchr(kv, '=')) {
		strv_push(env, kv);
	} else {
		/* "-e NAME": take it from our environment, skip if unset (Docker). */
		const char *v = getenv(kv);
		if (v)
			strv_push_owned(env, xasprintf("%s=%s", kv, v));
	}
}

static int read_env_file(const char *path, struct strv *env, struct ctr_err *err)
{
	cleanup_free char *data = NULL;
	size_t len;
	char *save = NULL;

	if (ctr_read_file(path, &data, &len, err) < 0)
		return ctr_err_wrap(err, "--env-file");
	for (char *line = strtok_r(data, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		line[strcspn(line, "\r")] = '\0';
		while (*line == ' ' || *line == '\t')
			line++;
		if (!*line || *line == '#')
			continue;
		if (*line == '=')
			return ctr_fail(err, E_INVALID_ARG,
			                "invalid environment variable in %s: %s", path, line);
		env_add(env, line);
	}
	return 0;
}

static int parse_i64(const char *flag, const char *s, int64_t *out, struct ctr_err *err)
{
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno || end == s || *end)
		return ctr_fail(err, E_INVALID_ARG, "invalid value \"%s\" for --%s: not an integer",
		                s, flag);
	*out = v;
	return 0;
}

/* Flags + positionals -> config.  `image_first`: positional 0 is the image. */
static int build_config(struct cli_args *a, struct ctr_container_config *cfg, struct ctr_err *err)
{
	const char *s;
	int first = 0;

	ctr_container_config_init(cfg);
	if ((s = cli_str(a, "rootfs")))
		cfg->rootfs = xstrdup(s);
	else if (a->argc > 0)
		cfg->image = xstrdup(a->argv[first++]);
	if (cli_isset(a, "entrypoint")) {
		cfg->entrypoint_given = true;
		if (*cli_str(a, "entrypoint"))
			strv_push(&cfg->entrypoint, cli_str(a, "entrypoint"));
	}
	for (int i = first; i < a->argc; i++)
		strv_push(&cfg->cmd, a->argv[i]);
	if ((s = cli_str(a, "name")))
		cfg->name = xstrdup(s);
	for (size_t i = 0; i < cli_list(a, "env-file")->n; i++)
		if (read_env_file(cli_list(a, "env-file")->v[i], &cfg->env, err) < 0)
			return -1;
	for (size_t i = 0; i < cli_list(a, "env")->n; i++)
		env_add(&cfg->env, cli_list(a, "env")->v[i]);
	if ((s = cli_str(a, "workdir")))
		cfg->workdir = xstrdup(s);
	if ((s = cli_str(a, "user")))
		cfg->user = xstrdup(s);
	if ((s = cli_str(a, "hostname")))
		cfg->hostname = xstrdup(s);
	for (size_t i = 0; i < cli_list(a, "label")->n; i++) {
		const char *l = cli_list(a, "label")->v[i];
		const char *eq = strchr(l, '=');
		cleanup_free char *k = eq ? xstrndup(l, (size_t)(eq - l)) : xstrdup(l);
		if (!*k)
			return ctr_fail(err, E_INVALID_ARG, "invalid label \"%s\": empty key", l);
		cJSON_DeleteItemFromObjectCaseSensitive(cfg->labels, k);
		cJSON_AddStringToObject(cfg->labels, k, eq ? eq + 1 : "");
	}
	if ((s = cli_str(a, "memory")) && ctr_parse_size(s, &cfg->limits.memory, err) < 0)
		return ctr_err_wrap(err, "invalid --memory");
	if ((s = cli_str(a, "memory-swap"))) {
		if (strcmp(s, "-1") == 0)
			cfg->limits.memory_swap = -1;
		else if (ctr_parse_size(s, &cfg->limits.memory_swap, err) < 0)
			return ctr_err_wrap(err, "invalid --memory-swap");
	}
	if ((s = cli_str(a, "cpus"))) {
		char *end;
		cfg->limits.cpus = strtod(s, &end);
		if (end == s || *end || cfg->limits.cpus <= 0)
			return ctr_fail(err, E_INVALID_ARG, "invalid value \"%s\" for --cpus", s);
	}
	if ((s = cli_str(a, "cpu-shares")) &&
	    parse_i64("cpu-shares", s, &cfg->limits.cpu_shares, err) < 0)
		return -1;
	if ((s = cli_str(a, "pids-limit")) &&
	    parse_i64("pids-limit", s, &cfg->limits.pids_limit, err) < 0)
		return -1;
	for (size_t i = 0; i < cli_list(a, "ulimit")->n; i++)
		strv_push(&cfg->ulimits, cli_list(a, "ulimit")->v[i]);
	for (size_t i = 0; i < cli_list(a, "cap-add")->n; i++)
		strv_push(&cfg->cap_add, cli_list(a, "cap-add")->v[i]);
	for (size_t i = 0; i < cli_list(a, "cap-drop")->n; i++)
		strv_push(&cfg->cap_drop, cli_list(a, "cap-drop")->v[i]);
	for (size_t i = 0; i < cli_list(a, "security-opt")->n; i++)
		strv_push(&cfg->security_opt, cli_list(a, "security-opt")->v[i]);
	cfg->privileged = cli_bool(a, "privileged");
	cfg->read_only = cli_bool(a, "read-only");
	if ((s = cli_str(a, "network")))
		cfg->network = xstrdup(s);
	if ((s = cli_str(a, "stop-signal")))
		cfg->stop_signal = xstrdup(s);
	if ((s = cli_str(a, "stop-timeout"))) {
		int64_t t;
		if (parse_i64("stop-timeout", s, &t, err) < 0)
			return -1;
		cfg->stop_timeout = t < 0 ? -1 : (int)t;
	}
	if ((s = cli_str(a, "cgroup-parent")))
		cfg->cgroup_parent = xstrdup(s);
	cfg->init = cli_bool(a, "init");
	cfg->tty = cli_bool(a, "tty");
	cfg->interactive = cli_bool(a, "interactive");
	cfg->auto_remove = cli_bool(a, "rm");
	if (cli_isset(a, "userns")) {
		const char *mode;
		uint32_t size;
		if (ctr_userns_parse_mode(cli_str(a, "userns"), &mode, &size, err) < 0)
			return -1;
		cfg->userns = size ? xasprintf("auto:size=%u", size) : xstrdup(mode);
	}
	for (size_t i = 0; i < cli_list(a, "uidmap")->n; i++)
		if (ctr_idmap_add_spec(&cfg->uidmap, cli_list(a, "uidmap")->v[i], "--uidmap", err) <
		    0)
			return -1;
	for (size_t i = 0; i < cli_list(a, "gidmap")->n; i++)
		if (ctr_idmap_add_spec(&cfg->gidmap, cli_list(a, "gidmap")->v[i], "--gidmap", err) <
		    0)
			return -1;
	return 0;
}

/*
 * `run`/`create` pull a missing image first, as Docker does: a note and the
 * pull progress go to stderr so that stdout carries only the container's
 * output (or its id).  A local image (or the built-in default one, built on
 * first use) is used as it is.
 */
static int ensure_image(struct cli_ctx *ctx, struct ctr_store *st, const char *ref,
                        struct ctr_err *err)
{
	struct ctr_image img = {0};
	struct ctr_err e;

	ctr_err_clear(&e);
	if (ctr_image_lookup(st, ref, &img, &e) == 0) {
		ctr_image_free(&img);
		return 0;
	}
	ctr_image_free(&img);
	if (e.code != E_NOT_FOUND) {
		*err = e;
		return -1;
	}
	fprintf(stderr, "Unable to find image '%s' locally\n", ref);
	if (cli_pull(ctx, ref, stderr, false, NULL, 3, err) != 0)
		return -1;
	return 0;
}

static int create_common(struct cli_ctx *ctx, struct cli_args *a, char id[65],
                         struct ctr_container *c, struct ctr_err *err)
{
	struct ctr_store *st;
	struct ctr_container_config cfg;
	int r;

	struct ctr_mount_list mounts = {0};

	if (cli_store(ctx, &st, err) < 0)
		return -1;
	r = build_config(a, &cfg, err);
	if (r == 0 && cfg.image)
		r = ensure_image(ctx, st, cfg.image, err);
	/* -v/--mount/--tmpfs/--volumes-from: parsed, volumes created, stored as "Mounts". */
	if (r == 0)
		r = ctr_mounts_parse(st, cli_list(a, "volume"), cli_list(a, "mount"),
		                     cli_list(a, "tmpfs"), cli_list(a, "volumes-from"), &mounts,
		                     err);
	if (r == 0 && cfg.image) {
		/* The image's VOLUME paths get anonymous volumes (as Docker). */
		struct ctr_image img = {0};
		struct ctr_err e;
		ctr_err_clear(&e);
		if (ctr_image_lookup(st, cfg.image, &img, &e) == 0)
			r = ctr_mounts_add_image_volumes(
			    &mounts,
			    cJSON_GetObjectItemCaseSensitive(
			        cJSON_GetObjectItemCaseSensitive(img.config, "config"), "Volumes"),
			    err);
		ctr_image_free(&img);
	}
	if (r == 0 && (r = ctr_mounts_prepare(st, &mounts, err)) == 0) {
		cJSON_Delete(cfg.mounts);
		cfg.mounts = ctr_mounts_to_json(&mounts);
	}
	if (r == 0 && (r = ctr_container_create(st, &cfg, id, err)) < 0) {
		struct ctr_err e;
		ctr_err_clear(&e);
		ctr_mounts_remove_anonymous(st, &mounts, &e);
	}
	ctr_mount_list_free(&mounts);
	ctr_container_config_release(&cfg);
	if (r < 0)
		return -1;
	return c ? ctr_container_load_id(st, id, c, err) : 0;
}

static int cmd_create(struct cli_ctx *ctx, struct cli_args *a, struct ctr_err *err)
{
	char id[65];
	if (create_common(ctx, a, id, NULL, err) < 0)
		return CTR_EXIT_ENGINE;
	fprintf(ctx->out, "%s\n", id);
	return 0;
}

static int cmd_run(struct cli_ctx *ctx, struct cli_args *a, struct ctr_err *err)
{
	struct ctr_container c;
	struct ctr_start_opts o;
	struct ctr_store *st;
	char id[65];
	int status = CTR_EXIT_ENGINE;
	bool detach = cli_bool(a, "detach");

	if (create_common(ctx, a, id, &c, err) < 0)
		return CTR_EXIT_ENGINE;
	cli_store(ctx, &st, err);
	ctr_start_opts_init(&o);
	o.attach = !detach;
	o.stdin_open = cli_bool(a, "interactive");
	if (ctr_container_start(st, &c, &o, &status, err) < 0) {
		ctr_container_free(&c);
		return status ? status : CTR_EXIT_ENGINE;
	}
	if (detach)
		fprintf(ctx->out, "%s\n", c.id);
	ctr_container_free(&c);
	return status;
}

/* ---- start / stop / kill / restart / wait / rm ---------------------------- */

/* Run `fn` on every container argument; Docker prints each one on success. */
typedef int (*each_fn)(struct cli_ctx *ctx, struct cli_args *a, struct ctr_store *st,
                       struct ctr_container *c, struct ctr_err *err);

static int for_each_container(struct cli_ctx *ctx, struct cli_args *a, each_fn fn, bool echo,
                              struct ctr_err *err)
{
	struct ctr_store *st;
	int rc = 0;

	if (cli_store(ctx, &st, err) < 0)
		return 1;
	for (int i = 0; i < a->argc; i++) {
		struct ctr_container c;
		struct ctr_err e;
		memset(&c, 0, sizeof c);
		ctr_err_clear(&e);
		if (ctr_container_load(st, a->argv[i], &c, &e) < 0 || fn(ctx, a, st, &c, &e) < 0) {
			if (i + 1 < a->argc || rc) {
				cli_print_error(&e); /* keep going, Docker-style */
				*err = e;
				rc = 1;
			} else {
				*err = e;
				rc = 1;
			}
			ctr_container_free(&c);
			continue;
		}
		if (echo)
			fprintf(ctx->out, "%s\n", a->argv[i]);
		ctr_container_free(&c);
	}
	if (rc && a->argc > 1)
		ctr_fail(err, err->code, "some containers failed (see above)");
	return rc;
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
			                "you cannot start and attach multiple containers at once"),
			       1;
		if (cli_store(ctx, &st, err) < 0 || ctr_container_load(st, a->argv[0], &c, err) < 0)
			return 1;
		r = do_start(ctx, a, st, &c, err);
		ctr_container_free(&c);
		return r < 0 ? 1 : r;
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

/* ---- logs ------------------------------------------------------------------ */

static int parse_time_arg(const char *flag, const char *s, int64_t *out, struct ctr_err *err)
{
	int64_t d;
	if (ctr_parse_rfc3339(s, out) == 0)
		return 0;
	if (ctr_parse_duration(s, &d, NULL) == 0) {
		*out = ctr_now_ns() - d;
		return 0;
	}
	{
		/* Unix seconds, as Docker accepts. */
		char *end;
		double v = strtod(s, &end);
		if (end != s && !*end) {
			*out = (int64_t)(v * 1e9);
			return 0;
		}
	}
	ctr_fail(err, E_INVALID_ARG, "invalid value for --%s: %s", flag, s);
	return ctr_hint(err,
	                "use a timestamp (2026-11-28T14:00:00Z), unix seconds or a duration (10m)");
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
		return 1;
	if (cli_str(a, "since") && parse_time_arg("since", cli_str(a, "since"), &o.since, err) < 0)
		return 1;
	if (cli_str(a, "until") && parse_time_arg("until", cli_str(a, "until"), &o.until, err) < 0)
		return 1;
	if (cli_store(ctx, &st, err) < 0 || ctr_container_load(st, a->argv[0], &c, err) < 0)
		return 1;
	fflush(ctx->out);
	r = ctr_container_logs(st, &c, &o, err);
	ctr_container_free(&c);
	return r < 0 ? 1 : 0;
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
		env_add(&o.env, cli_list(a, "env")->v[i]);
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

static const struct cli_command cmd_run_def = {
    .name = "run",
    .summary = "Create and run a new container",
    .group = "Containers",
    .usage = "[OPTIONS] IMAGE [COMMAND] [ARG...]  |  --rootfs DIR COMMAND [ARG...]",
    .flags = run_flags,
    .min_args = 0,
    .max_args = -1,
    .opts = CLI_TRAILING,
    .complete = COMP_IMAGE,
    .complete_rest = COMP_FILE,
    .handler = cmd_run,
    .description = "Exit status: the command's status; 125 if containr failed, 126 if the command "
                   "cannot be executed, 127 if it is not found, 128+N if killed by signal N.",
};
static const struct cli_command cmd_create_def = {
    .name = "create",
    .summary = "Create a new container",
    .group = "Containers",
    .usage = "[OPTIONS] IMAGE [COMMAND] [ARG...]  |  --rootfs DIR COMMAND [ARG...]",
    .flags = create_flags,
    .min_args = 0,
    .max_args = -1,
    .opts = CLI_TRAILING,
    .complete = COMP_IMAGE,
    .complete_rest = COMP_FILE,
    .handler = cmd_create,
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
};

/* The monitor's exit step after containr-monitor (see docs/RUNTIME.md). */
static int cmd_monitor_exit(struct cli_ctx *ctx, struct cli_args *a, struct ctr_err *err)
{
	struct ctr_store *st;

	if (cli_store(ctx, &st, err) < 0)
		return 1;
	if (ctr_container_monitor_exit(st, a->argv[0], atoi(a->argv[1]), atoi(a->argv[2]), err) < 0)
		return 1;
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
    &cmd_run_def,  &cmd_create_def,  &cmd_start_def,        &cmd_stop_def, &cmd_restart_def,
    &cmd_kill_def, &cmd_wait_def,    &cmd_rm_def,           &cmd_logs_def, &cmd_exec_def,
    &cli_cmd_ps,   &cli_cmd_inspect, &cmd_monitor_exit_def, NULL,
};
