/*
 * cmds_run.c - `run` and `create`: their flags, the flags Docker has that
 * they lack, and the config they build for the engine.
 *
 * Thin: flags become a struct ctr_container_config and the engine's
 * ctr_container_create() does the work (validation, image defaults, mounts
 * and image VOLUMEs, rollback), then ctr_container_start() for `run`.
 * Limit flags are typed (the parser checks their syntax, the engine their
 * rules); both commands are marked CLI_ENGINE_125, so any failure of
 * containr exits 125 as with Docker (cli_exit_status()).
 */
#include "cli/cli.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "containr/container.h"
#include "containr/image.h"
#include "containr/log.h"
#include "containr/runtime.h"

/*
 * The flags of `run`; `create` has the same minus --detach, which is
 * therefore first: create's table is run_flags + 1.
 */
static const struct cli_flag run_flags[] = {
    {.name = "detach",
     .shortname = 'd',
     .type = CLI_BOOL,
     .help = "Run container in background and print container ID"},
    {.name = "name",
     .type = CLI_STRING,
     .metavar = "NAME",
     .help = "Assign a name to the container"},
    {.name = "rm", .type = CLI_BOOL, .help = "Automatically remove the container when it exits"},
    {.name = "interactive", .shortname = 'i', .type = CLI_BOOL, .help = "Keep STDIN open"},
    {.name = "tty", .shortname = 't', .type = CLI_BOOL, .help = "Allocate a pseudo-TTY"},
    {.name = "env",
     .shortname = 'e',
     .type = CLI_STRING,
     .metavar = "KEY=VALUE",
     .help = "Set environment variables",
     .opts = CLI_REPEAT},
    {.name = "env-file",
     .type = CLI_STRING,
     .metavar = "FILE",
     .help = "Read in a file of environment variables",
     .opts = CLI_REPEAT,
     .complete = COMP_FILE},
    {.name = "workdir",
     .shortname = 'w',
     .type = CLI_STRING,
     .metavar = "DIR",
     .help = "Working directory inside the container"},
    {.name = "user",
     .shortname = 'u',
     .type = CLI_STRING,
     .metavar = "USER[:GROUP]",
     .help = "Username or UID (format: <name|uid>[:<group|gid>])"},
    {.name = "hostname",
     .shortname = 'h',
     .type = CLI_STRING,
     .metavar = "NAME",
     .help = "Container host name"},
    {.name = "entrypoint",
     .type = CLI_STRING,
     .metavar = "CMD",
     .help = "Overwrite the default ENTRYPOINT of the image"},
    {.name = "label",
     .shortname = 'l',
     .type = CLI_STRING,
     .metavar = "KEY=VALUE",
     .help = "Set meta data on a container",
     .opts = CLI_REPEAT},
    {.name = "memory",
     .shortname = 'm',
     .type = CLI_SIZE,
     .metavar = "BYTES",
     .help = "Memory limit (e.g. 32m, 1g)"},
    {.name = "memory-swap",
     .type = CLI_SIZE,
     .metavar = "BYTES",
     .help = "Memory plus swap limit; -1 for unlimited swap"},
    {.name = "cpus", .type = CLI_FLOAT, .metavar = "N", .help = "Number of CPUs (e.g. 0.5)"},
    {.name = "cpu-shares",
     .shortname = 'c',
     .type = CLI_INT,
     .metavar = "N",
     .help = "CPU shares (relative weight)"},
    {.name = "pids-limit",
     .type = CLI_INT,
     .metavar = "N",
     .help = "Tune container pids limit (-1 for unlimited)"},
    {.name = "ulimit",
     .type = CLI_STRING,
     .metavar = "NAME=SOFT[:HARD]",
     .help = "Ulimit options",
     .opts = CLI_REPEAT},
    {.name = "cap-add",
     .type = CLI_STRING,
     .metavar = "CAP",
     .help = "Add Linux capabilities (or ALL)",
     .opts = CLI_REPEAT},
    {.name = "cap-drop",
     .type = CLI_STRING,
     .metavar = "CAP",
     .help = "Drop Linux capabilities (or ALL)",
     .opts = CLI_REPEAT},
    {.name = "privileged",
     .type = CLI_BOOL,
     .help = "Give extended privileges (all capabilities, no seccomp, no masked paths)"},
    {.name = "security-opt",
     .type = CLI_STRING,
     .metavar = "OPT",
     .help = "Security options: no-new-privileges, seccomp=unconfined|FILE, apparmor=, "
             "label=",
     .opts = CLI_REPEAT},
    {.name = "read-only",
     .type = CLI_BOOL,
     .help = "Mount the container's root filesystem as read only"},
    {.name = "network",
     .type = CLI_STRING,
     .metavar = "NETWORK",
     .help = "Connect to a network: bridge (the default; none when rootless), none (only "
             "loopback), host, or a network name",
     .complete = COMP_CHOICES,
     .choices = "bridge|none|host"},
    {.name = "net",
     .type = CLI_STRING,
     .metavar = "NETWORK",
     .opts = CLI_HIDDEN,
     .help = "Alias of --network"},
    {.name = "publish",
     .shortname = 'p',
     .type = CLI_STRING,
     .metavar = "[IP:][HOSTPORT:]CPORT[/PROTO]",
     .help = "Publish a container's port(s) to the host (ranges: 8000-8009:80-89)",
     .opts = CLI_REPEAT},
    {.name = "publish-all",
     .shortname = 'P',
     .type = CLI_BOOL,
     .help = "Publish all exposed ports to random host ports"},
    {.name = "expose",
     .type = CLI_STRING,
     .metavar = "PORT[/PROTO]",
     .help = "Expose a port or a range of ports (published with -P)",
     .opts = CLI_REPEAT},
    {.name = "ip",
     .type = CLI_STRING,
     .metavar = "IPV4",
     .help = "IPv4 address on a user-defined network (e.g. 172.30.100.104)"},
    {.name = "stop-signal",
     .type = CLI_STRING,
     .metavar = "SIGNAL",
     .help = "Signal to stop the container",
     .complete = COMP_SIGNAL},
    {.name = "stop-timeout",
     .type = CLI_INT,
     .metavar = "SECONDS",
     .help = "Timeout (in seconds) to stop a container"},
    {.name = "cgroup-parent",
     .type = CLI_STRING,
     .metavar = "PATH",
     .help = "Optional parent cgroup for the container"},
    {.name = "log-driver",
     .type = CLI_STRING,
     .metavar = "DRIVER",
     .help = "Logging driver: json-file (default), k8s-file or none (default from "
             "containr.conf)",
     .complete = COMP_CHOICES,
     .choices = "json-file|k8s-file|none"},
    {.name = "log-opt",
     .type = CLI_STRING,
     .metavar = "KEY=VALUE",
     .help = "Log driver option: max-size=SIZE (rotate past it), max-file=N (files kept)",
     .opts = CLI_REPEAT},
    {.name = "init",
     .type = CLI_BOOL,
     .help = "Run an init inside the container that forwards signals and reaps "
             "processes"}, /* volume module (docs/VOLUMES.md) */
    {.name = "volume",
     .shortname = 'v',
     .type = CLI_STRING,
     .metavar = "[SRC:]DST[:OPTS]",
     .opts = CLI_REPEAT,
     .complete = COMP_VOLUME,
     .help = "Bind mount a host path or mount a volume (NAME:/path, /host:/path:ro, /path)"},
    {.name = "mount",
     .type = CLI_STRING,
     .metavar = "type=…,src=…,dst=…",
     .opts = CLI_REPEAT,
     .help = "Attach a bind, volume or tmpfs mount"},
    {.name = "tmpfs",
     .type = CLI_STRING,
     .metavar = "DST[:OPTS]",
     .opts = CLI_REPEAT,
     .help = "Mount a tmpfs (e.g. /run:size=64m,mode=1777)"},
    {.name = "volumes-from",
     .type = CLI_STRING,
     .metavar = "CONTAINER[:ro|:rw]",
     .opts = CLI_REPEAT,
     .complete = COMP_CONTAINER,
     .help = "Mount the volumes of another container"},
    {.name = "userns",
     .type = CLI_STRING,
     .metavar = "MODE",
     .opts = CLI_OPTVAL,
     .help = "User namespace: host (default), private (or --userns alone), auto[:size=N]; "
             "keep-id and nomap are rootless only",
     .complete = COMP_CHOICES,
     .choices = "host|private|auto|keep-id|nomap"},
    {.name = "uidmap",
     .type = CLI_STRING,
     .metavar = "CONTAINER:HOST:SIZE",
     .opts = CLI_REPEAT,
     .help = "UID map of a new user namespace (repeatable)"},
    {.name = "gidmap",
     .type = CLI_STRING,
     .metavar = "CONTAINER:HOST:SIZE",
     .opts = CLI_REPEAT,
     .help = "GID map of a new user namespace (repeatable; default: the --uidmap)"},
    {.name = "rootfs",
     .type = CLI_STRING,
     .metavar = "DIR",
     .help = "Run a root filesystem directory instead of an image (all arguments are "
             "the command)",
     .complete = COMP_FILE},
    {0},
};

void cli_env_add(struct strv *env, const char *kv)
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
		cli_env_add(env, line);
	}
	return 0;
}

static void copy_list(struct strv *to, const struct strv *from)
{
	for (size_t i = 0; i < from->n; i++)
		strv_push(to, from->v[i]);
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
		cli_env_add(&cfg->env, cli_list(a, "env")->v[i]);
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
	/* Typed flags: the parser has checked the syntax; the limit rules are the
	 * engine's (ctr_cgroup_limits_check). */
	if (cli_isset(a, "memory"))
		cfg->limits.memory = cli_int(a, "memory");
	if (cli_isset(a, "memory-swap"))
		cfg->limits.memory_swap = cli_int(a, "memory-swap");
	if (cli_isset(a, "cpus"))
		cfg->limits.cpus = cli_float(a, "cpus");
	if (cli_isset(a, "cpu-shares"))
		cfg->limits.cpu_shares = cli_int(a, "cpu-shares");
	if (cli_isset(a, "pids-limit"))
		cfg->limits.pids_limit = cli_int(a, "pids-limit");
	copy_list(&cfg->volume_specs, cli_list(a, "volume"));
	copy_list(&cfg->mount_specs, cli_list(a, "mount"));
	copy_list(&cfg->tmpfs_specs, cli_list(a, "tmpfs"));
	copy_list(&cfg->volumes_from, cli_list(a, "volumes-from"));
	copy_list(&cfg->ulimits, cli_list(a, "ulimit"));
	copy_list(&cfg->cap_add, cli_list(a, "cap-add"));
	copy_list(&cfg->cap_drop, cli_list(a, "cap-drop"));
	copy_list(&cfg->security_opt, cli_list(a, "security-opt"));
	cfg->privileged = cli_bool(a, "privileged");
	cfg->read_only = cli_bool(a, "read-only");
	/* Not given: the engine's default (bridge; none when rootless). */
	if ((s = cli_isset(a, "net")       ? cli_str(a, "net")
	         : cli_isset(a, "network") ? cli_str(a, "network")
	                                   : NULL))
		cfg->network = xstrdup(s);
	copy_list(&cfg->publish, cli_list(a, "publish"));
	copy_list(&cfg->expose, cli_list(a, "expose"));
	cfg->publish_all = cli_bool(a, "publish-all");
	if ((s = cli_str(a, "ip")))
		cfg->ip = xstrdup(s);
	if ((s = cli_str(a, "stop-signal")))
		cfg->stop_signal = xstrdup(s);
	if (cli_isset(a, "stop-timeout")) {
		int64_t t = cli_int(a, "stop-timeout");
		cfg->stop_timeout = t < 0 ? -1 : t > INT_MAX ? INT_MAX : (int)t;
	}
	if ((s = cli_str(a, "cgroup-parent")))
		cfg->cgroup_parent = xstrdup(s);
	/* Checked here, before any pull: a bad option leaves nothing behind. */
	if (ctr_log_config_apply(cfg, cli_str(a, "log-driver"), cli_list(a, "log-opt"), err) < 0)
		return -1;
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
 * first use) is used as it is.  `img` is the one lookup of the image: the
 * engine's create takes it (cfg.image_found) instead of looking again.
 */
static int ensure_image(struct cli_ctx *ctx, struct ctr_store *st, const char *ref,
                        struct ctr_image *img, struct ctr_err *err)
{
	struct ctr_err e;

	ctr_err_clear(&e);
	if (ctr_image_lookup(st, ref, img, &e) == 0)
		return 0;
	ctr_image_free(img);
	memset(img, 0, sizeof *img);
	if (e.code != E_NOT_FOUND) {
		*err = e;
		return -1;
	}
	fprintf(stderr, "Unable to find image '%s' locally\n", ref);
	if (cli_pull(ctx, ref, stderr, false, NULL, 3, err) != 0)
		return -1;
	return ctr_image_lookup(st, ref, img, err);
}

/* Flags -> config -> the engine's create (which also makes the volumes). */
static int create_common(struct cli_ctx *ctx, struct cli_args *a, char id[65],
                         struct ctr_container *c, struct ctr_err *err)
{
	struct ctr_store *st;
	struct ctr_container_config cfg;
	struct ctr_image img;
	int r;

	memset(&img, 0, sizeof img);
	if (cli_store(ctx, &st, err) < 0)
		return -1;
	r = build_config(a, &cfg, err);
	if (r == 0 && cfg.image) {
		r = ensure_image(ctx, st, cfg.image, &img, err);
		cfg.image_found = &img;
	}
	if (r == 0)
		r = ctr_container_create(st, &cfg, id, err);
	ctr_container_config_release(&cfg);
	ctr_image_free(&img);
	if (r < 0)
		return -1;
	return c ? ctr_container_load_id(st, id, c, err) : 0;
}

static int cmd_create(struct cli_ctx *ctx, struct cli_args *a, struct ctr_err *err)
{
	char id[65];
	if (create_common(ctx, a, id, NULL, err) < 0)
		return -1;
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
		return -1;
	cli_store(ctx, &st, err);
	ctr_start_opts_init(&o);
	o.attach = !detach;
	o.stdin_open = cli_bool(a, "interactive");
	if (ctr_container_start(st, &c, &o, &status, err) < 0) {
		ctr_container_free(&c);
		return status > 0 ? status : -1;
	}
	if (detach)
		fprintf(ctx->out, "%s\n", c.id);
	ctr_container_free(&c);
	return status;
}

/*
 * Docker's run/create flags containr does not support yet: named as such
 * (E_UNSUPPORTED, 125 for run/create) rather than "unknown flag, did you
 * mean --rm?" for -p.
 */
#define NO_DNS                                                                                     \
	"the container gets the host's resolvers; mount your own: -v FILE:/etc/resolv.conf:ro"
static const struct cli_unsupported run_unsupported[] = {
    {"link", 0,
     "put both containers on one network (containr network create N; --network N) "
     "and use the other's address"},
    {"restart", 0, "restart it from a supervisor (a systemd unit running 'containr run')"},
    {"health-cmd", 0, "run the check yourself with 'containr exec'"},
    {"health-interval", 0, NULL},
    {"health-retries", 0, NULL},
    {"health-start-period", 0, NULL},
    {"health-timeout", 0, NULL},
    {"no-healthcheck", 0, NULL},
    {"add-host", 0, "mount a hosts file: -v ./hosts:/etc/hosts:ro"},
    {"dns", 0, NO_DNS},
    {"dns-option", 0, NO_DNS},
    {"dns-search", 0, NO_DNS},
    {"shm-size", 0, "mount a tmpfs of that size: --tmpfs /dev/shm:size=256m"},
    {"sysctl", 0, NULL},
    {"device", 0, "use --privileged to get the host's devices"},
    {"device-cgroup-rule", 0, NULL},
    {"gpus", 0, NULL},
    {"ip", 0, NULL},
    {"ip6", 0, NULL},
    {"mac-address", 0, NULL},
    {"network-alias", 0, NULL},
    {"pid", 0, NULL},
    {"ipc", 0, NULL},
    {"uts", 0, NULL},
    {"userns", 0, NULL},
    {"cgroupns", 0, NULL},
    {"group-add", 0, NULL},
    {"cpuset-cpus", 0, "limit the CPU time with --cpus"},
    {"cpuset-mems", 0, NULL},
    {"cpu-period", 0, "use --cpus (quota over a 100ms period)"},
    {"cpu-quota", 0, "use --cpus (quota over a 100ms period)"},
    {"memory-reservation", 0, "use --memory for a hard limit"},
    {"memory-swappiness", 0, NULL},
    {"oom-kill-disable", 0, NULL},
    {"oom-score-adj", 0, NULL},
    {"blkio-weight", 0, NULL},
    {"device-read-bps", 0, NULL},
    {"device-write-bps", 0, NULL},
    {"log-driver", 0, "the log is kept by containr: read it with containr logs"},
    {"log-opt", 0, NULL},
    {"cidfile", 0, "use -d, which prints the id"},
    {"label-file", 0, "use -l KEY=VALUE"},
    {"platform", 0, "pull the platform first: containr pull --platform P IMAGE"},
    {"pull", 0, "pull first: containr pull IMAGE"},
    {"runtime", 0, NULL},
    {"storage-opt", 0, NULL},
    {"volume-driver", 0, "only the local driver exists"},
    {"detach-keys", 0, NULL},
    {"sig-proxy", 0, NULL},
    {"attach", 'a', NULL},
    {"domainname", 0, NULL},
    {"annotation", 0, NULL},
    {"quiet", 'q', NULL},
    {NULL, 0, NULL},
};
const struct cli_command cli_cmd_run = {
    .name = "run",
    .summary = "Create and run a new container",
    .group = "Containers",
    .usage = "[OPTIONS] IMAGE [COMMAND] [ARG...]  |  --rootfs DIR COMMAND [ARG...]",
    .flags = run_flags,
    .min_args = 0,
    .max_args = -1,
    .opts = CLI_TRAILING | CLI_ENGINE_125,
    .complete = COMP_IMAGE,
    .complete_rest = COMP_FILE,
    .handler = cmd_run,
    .unsupported = run_unsupported,
    .description = "Exit status: the command's status; 125 if containr failed, 126 if the command "
                   "cannot be executed, 127 if it is not found, 128+N if killed by signal N.",
};
const struct cli_command cli_cmd_create = {
    .name = "create",
    .summary = "Create a new container",
    .group = "Containers",
    .usage = "[OPTIONS] IMAGE [COMMAND] [ARG...]  |  --rootfs DIR COMMAND [ARG...]",
    .flags = run_flags + 1, /* without --detach */
    .min_args = 0,
    .max_args = -1,
    .opts = CLI_TRAILING | CLI_ENGINE_125,
    .complete = COMP_IMAGE,
    .complete_rest = COMP_FILE,
    .handler = cmd_create,
    .unsupported = run_unsupported,
};
