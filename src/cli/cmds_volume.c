/*
 * cmds_volume.c - `containr volume create|ls|inspect|rm|prune`.
 *
 * Thin wrappers over the volume engine (include/containr/volume.h): the
 * handlers parse flags, call ctr_volume_*, and print results the way
 * `docker volume` does (names on stdout, a table for ls, a JSON array for
 * inspect, "Total reclaimed space" for prune).  --format goes through the
 * shared formatter (cli/format.h, the Go template engine).
 */
#include "cli/cli.h"
#include "cli/format.h"
#include "cli/inspect.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "containr/log.h"
#include "containr/volume.h"

/* ---- formatting -------------------------------------------------------- */

static const struct ctr_tmpl_header volume_headers[] = {
    {"Name", "VOLUME NAME"}, {"Driver", "DRIVER"}, {"Mountpoint", "MOUNTPOINT"},
    {"Scope", "SCOPE"},      {"Labels", "LABELS"}, {"CreatedAt", "CREATED AT"},
    {"Links", "LINKS"},      {"Size", "SIZE"},     {NULL, NULL},
};

/*
 * One `volume ls` row as Docker's formatter sees it: Labels as "k=v,k=v",
 * the fields it cannot know locally as "N/A".
 */
static cJSON *ls_row(const cJSON *obj)
{
	cJSON *row = cJSON_CreateObject();
	static const char *const copy[] = {"Name", "Driver", "Mountpoint", "Scope", "CreatedAt"};
	struct strbuf labels;
	const cJSON *it;

	for (size_t i = 0; i < CTR_ARRAY_SIZE(copy); i++) {
		it = cJSON_GetObjectItemCaseSensitive(obj, copy[i]);
		cJSON_AddStringToObject(row, copy[i], cJSON_IsString(it) ? it->valuestring : "");
	}
	strbuf_init(&labels);
	cJSON_ArrayForEach (it, cJSON_GetObjectItemCaseSensitive(obj, "Labels")) {
		strbuf_printf(&labels, "%s%s=%s", labels.len ? "," : "", it->string,
		              cJSON_IsString(it) ? it->valuestring : "");
	}
	cJSON_AddStringToObject(row, "Labels", labels.buf);
	strbuf_release(&labels);
	cJSON_AddStringToObject(row, "Links", "N/A");
	cJSON_AddStringToObject(row, "Size", "N/A");
	cJSON_AddStringToObject(row, "Availability", "N/A");
	cJSON_AddStringToObject(row, "Group", "N/A");
	cJSON_AddStringToObject(row, "Status", "N/A");
	return row;
}

/* ---- volume create ----------------------------------------------------- */

static const struct cli_flag create_flags[] = {
    {.name = "driver",
     .shortname = 'd',
     .type = CLI_STRING,
     .metavar = "DRIVER",
     .def = "local",
     .help = "Volume driver (only \"local\")",
     .complete = COMP_CHOICES,
     .choices = "local"},
    {.name = "label",
     .type = CLI_STRING,
     .metavar = "KEY=VALUE",
     .help = "Set metadata on the volume",
     .opts = CLI_REPEAT},
    {.name = "opt",
     .shortname = 'o',
     .type = CLI_STRING,
     .metavar = "KEY=VALUE",
     .help = "Driver options: type=tmpfs,device=tmpfs,o=size=64m or "
             "type=none,o=bind,device=/path",
     .opts = CLI_REPEAT},
    {.name = "name",
     .type = CLI_STRING,
     .metavar = "NAME",
     .help = "Volume name",
     .opts = CLI_HIDDEN},
    {0},
};

static int cmd_create(struct cli_ctx *ctx, struct cli_args *a, struct ctr_err *err)
{
	struct ctr_store *st;
	const char *name = a->argc > 0 ? a->argv[0] : cli_str(a, "name");
	cleanup_free char *made = NULL;

	if (a->argc > 0 && cli_isset(a, "name") && strcmp(a->argv[0], cli_str(a, "name")) != 0) {
		ctr_fail(err, E_USAGE, "conflicting volume names \"%s\" and --name \"%s\"",
		         a->argv[0], cli_str(a, "name"));
		ctr_hint(err, "give the name once");
		return 2;
	}
	if (cli_store(ctx, &st, err) < 0)
		return 1;
	if (ctr_volume_create(st, name, cli_list(a, "label"), cli_list(a, "opt"),
	                      cli_str(a, "driver"), false, &made, err) < 0)
		return ctr_err_exit_status(err->code);
	fprintf(ctx->out, "%s\n", made);
	return 0;
}

/* ---- volume ls --------------------------------------------------------- */

static const struct cli_flag ls_flags[] = {
    {.name = "quiet", .shortname = 'q', .type = CLI_BOOL, .help = "Only display volume names"},
    {.name = "filter",
     .shortname = 'f',
     .type = CLI_STRING,
     .metavar = "FILTER",
     .help = "Filter: dangling=true|false, name=TEXT, label=KEY[=VALUE], driver=local",
     .opts = CLI_REPEAT},
    {.name = "format",
     .type = CLI_STRING,
     .metavar = "FORMAT",
     .help = "table, json, or a template such as {{.Name}}"},
    {0},
};

/* Does volume `obj` pass every ls filter? */
static int ls_match(const struct ctr_store *st, const cJSON *obj, const struct strv *filters,
                    bool *match, struct ctr_err *err)
{
	const char *name = cJSON_GetObjectItemCaseSensitive(obj, "Name")->valuestring;

	*match = true;
	for (size_t i = 0; filters && i < filters->n; i++) {
		const char *f = filters->v[i];
		const char *eq = strchr(f, '=');
		if (!eq) {
			ctr_fail(err, E_INVALID_ARG, "bad filter \"%s\"", f);
			return ctr_hint(err, "filters are KEY=VALUE: dangling=true, name=NAME, "
			                     "label=KEY[=VALUE]");
		}
		cleanup_free char *key = xstrndup(f, (size_t)(eq - f));
		const char *val = eq + 1;
		bool ok;
		if (!strcmp(key, "dangling")) {
			bool want;
			if (!strcmp(val, "true") || !strcmp(val, "1"))
				want = true;
			else if (!strcmp(val, "false") || !strcmp(val, "0"))
				want = false;
			else {
				ctr_fail(err, E_INVALID_ARG, "bad filter value dangling=%s", val);
				return ctr_hint(err, "use dangling=true or dangling=false");
			}
			int n = ctr_volume_users(st, name, NULL, NULL, err);
			if (n < 0)
				return -1;
			ok = (n == 0) == want;
		} else if (!strcmp(key, "name")) {
			ok = strstr(name, val) != NULL;
		} else if (!strcmp(key, "label")) {
			ok = ctr_volume_label_match(obj, val);
		} else if (!strcmp(key, "label!")) {
			cleanup_free char *neg = xasprintf("!%s", val);
			ok = ctr_volume_label_match(obj, neg);
		} else if (!strcmp(key, "driver")) {
			ok = !strcmp(val, "local");
		} else {
			ctr_fail(err, E_INVALID_ARG, "unknown filter \"%s\"", key);
			return ctr_hint(err, "filters: dangling, name, label, driver");
		}
		if (!ok) {
			*match = false;
			return 0;
		}
	}
	return 0;
}

static int cmd_ls(struct cli_ctx *ctx, struct cli_args *a, struct ctr_err *err)
{
	struct ctr_store *st;
	struct strv names;
	bool quiet = cli_bool(a, "quiet");
	cJSON *rows = cJSON_CreateArray();
	int rc = 0;

	if (cli_store(ctx, &st, err) < 0) {
		cJSON_Delete(rows);
		return 1;
	}
	strv_init(&names);
	if (ctr_volume_list(st, &names, err) < 0) {
		strv_release(&names);
		cJSON_Delete(rows);
		return 1;
	}
	for (size_t i = 0; i < names.n && rc == 0; i++) {
		cJSON *obj = NULL;
		struct ctr_err e;
		bool match;
		ctr_err_clear(&e);
		if (ctr_volume_inspect(st, names.v[i], &obj, &e) < 0)
			continue; /* removed while listing */
		rc = ls_match(st, obj, cli_list(a, "filter"), &match, err);
		if (rc == 0 && match) {
			if (quiet)
				fprintf(ctx->out, "%s\n", names.v[i]);
			else
				cJSON_AddItemToArray(rows, ls_row(obj));
		}
		cJSON_Delete(obj);
	}
	if (rc == 0 && !quiet)
		rc = cli_format_list(ctx, cli_str(a, "format"), "table {{.Driver}}\t{{.Name}}",
		                     volume_headers, rows, err);
	strv_release(&names);
	cJSON_Delete(rows);
	return rc < 0 ? ctr_err_exit_status(err->code) : 0;
}

/* ---- volume inspect ---------------------------------------------------- */

static const struct cli_flag inspect_flags[] = {
    {.name = "format",
     .shortname = 'f',
     .type = CLI_STRING,
     .metavar = "FORMAT",
     .help = "Format each volume with a template such as {{.Mountpoint}}"},
    {0},
};

static int cmd_inspect(struct cli_ctx *ctx, struct cli_args *a, struct ctr_err *err)
{
	return cli_inspect_objects(ctx, a->argc, a->argv, CLI_INSPECT_VOLUME, cli_str(a, "format"),
	                           false, err);
}

/* ---- volume rm --------------------------------------------------------- */

static const struct cli_flag rm_flags[] = {
    {.name = "force",
     .shortname = 'f',
     .type = CLI_BOOL,
     .help = "Ignore missing volumes; remove volumes of stopped containers"},
    {0},
};

static int cmd_rm(struct cli_ctx *ctx, struct cli_args *a, struct ctr_err *err)
{
	struct ctr_store *st;
	int failed = 0;

	if (cli_store(ctx, &st, err) < 0)
		return 1;
	for (int i = 0; i < a->argc; i++) {
		struct ctr_err e;
		ctr_err_clear(&e);
		if (ctr_volume_remove(st, a->argv[i], cli_bool(a, "force"), &e) < 0) {
			if (failed++)
				cli_print_error(err);
			*err = e;
			continue;
		}
		fprintf(ctx->out, "%s\n", a->argv[i]);
	}
	return failed ? 1 : 0;
}

/* ---- volume prune ------------------------------------------------------ */

static const struct cli_flag prune_flags[] = {
    {.name = "force", .shortname = 'f', .type = CLI_BOOL, .help = "Do not prompt for confirmation"},
    {.name = "all",
     .shortname = 'a',
     .type = CLI_BOOL,
     .help = "Remove all unused volumes, not just anonymous ones"},
    {.name = "filter",
     .type = CLI_STRING,
     .metavar = "FILTER",
     .help = "label=KEY[=VALUE], label!=KEY[=VALUE], all=true",
     .opts = CLI_REPEAT},
    {0},
};

/* Ask on the terminal; true for y/yes. */
static bool confirm(struct cli_ctx *ctx, const char *question)
{
	char line[64];

	fprintf(stderr, "%s [y/N] ", question);
	fflush(stderr);
	if (!fgets(line, sizeof line, stdin))
		return false;
	return line[0] == 'y' || line[0] == 'Y';
}

static int cmd_prune(struct cli_ctx *ctx, struct cli_args *a, struct ctr_err *err)
{
	struct ctr_store *st;
	struct strv labels, removed;
	bool all = cli_bool(a, "all");
	const struct strv *filters = cli_list(a, "filter");
	int64_t reclaimed = 0;
	char size[32];
	int rc;

	strv_init(&labels);
	for (size_t i = 0; filters && i < filters->n; i++) {
		const char *f = filters->v[i];
		if (str_startswith(f, "label="))
			strv_push(&labels, f + 6);
		else if (str_startswith(f, "label!="))
			strv_push_owned(&labels, xasprintf("!%s", f + 7));
		else if (!strcmp(f, "all=true") || !strcmp(f, "all=1"))
			all = true;
		else if (!strcmp(f, "all=false") || !strcmp(f, "all=0"))
			;
		else {
			strv_release(&labels);
			ctr_fail(err, E_INVALID_ARG, "unknown prune filter \"%s\"", f);
			ctr_hint(err, "filters: label=KEY[=VALUE], label!=KEY[=VALUE], all=true");
			return 2;
		}
	}
	if (!cli_bool(a, "force")) {
		const char *q =
		    all ? "WARNING! This will remove all local volumes not used by at "
		          "least one container.\nAre you sure you want to continue?"
		        : "WARNING! This will remove anonymous local volumes not used by "
		          "at least one container.\nAre you sure you want to continue?";
		if (ctx->batch) {
			strv_release(&labels);
			ctr_fail(err, E_USAGE,
			         "volume prune needs confirmation, and batch mode "
			         "never prompts");
			ctr_hint(err, "add -f/--force to prune without asking");
			return 2;
		}
		if (!confirm(ctx, q)) {
			strv_release(&labels);
			return 0;
		}
	}
	if (cli_store(ctx, &st, err) < 0) {
		strv_release(&labels);
		return 1;
	}
	strv_init(&removed);
	rc = ctr_volume_prune(st, all, &labels, &removed, &reclaimed, err);
	if (removed.n) {
		fprintf(ctx->out, "Deleted Volumes:\n");
		for (size_t i = 0; i < removed.n; i++)
			fprintf(ctx->out, "%s\n", removed.v[i]);
		fprintf(ctx->out, "\n");
	}
	ctr_format_bytes(size, sizeof size, (double)reclaimed, false);
	fprintf(ctx->out, "Total reclaimed space: %s\n", size);
	strv_release(&labels);
	strv_release(&removed);
	return rc < 0 ? 1 : 0;
}

/* ---- the table --------------------------------------------------------- */

static const char *const ls_aliases[] = {"list", NULL};
static const char *const rm_aliases[] = {"remove", NULL};

static const struct cli_command cmd_volume_create = {
    .name = "create",
    .summary = "Create a volume",
    .usage = "[OPTIONS] [VOLUME]",
    .group = "Volumes",
    .flags = create_flags,
    .min_args = 0,
    .max_args = 1,
    .handler = cmd_create,
    .description = "Without a name, a random 64-hex name is chosen and printed. Only the "
                   "local driver exists; --opt type=tmpfs,o=size=64m makes a tmpfs-backed "
                   "volume, --opt type=none,o=bind,device=/path binds a host directory.",
};

static const struct cli_command cmd_volume_ls = {
    .name = "ls",
    .aliases = ls_aliases,
    .summary = "List volumes",
    .usage = "[OPTIONS]",
    .group = "Volumes",
    .flags = ls_flags,
    .max_args = 0,
    .handler = cmd_ls,
};

static const struct cli_command cmd_volume_inspect = {
    .name = "inspect",
    .summary = "Display detailed information on one or more volumes",
    .usage = "[OPTIONS] VOLUME...",
    .group = "Volumes",
    .flags = inspect_flags,
    .min_args = 1,
    .max_args = -1,
    .complete = COMP_VOLUME,
    .handler = cmd_inspect,
};

static const struct cli_command cmd_volume_rm = {
    .name = "rm",
    .aliases = rm_aliases,
    .summary = "Remove one or more volumes",
    .usage = "[OPTIONS] VOLUME...",
    .group = "Volumes",
    .flags = rm_flags,
    .min_args = 1,
    .max_args = -1,
    .complete = COMP_VOLUME,
    .handler = cmd_rm,
    .description = "A volume used by a container is refused. -f removes a volume whose "
                   "containers are all stopped, never one used by a running container.",
};

static const struct cli_command cmd_volume_prune = {
    .name = "prune",
    .summary = "Remove unused volumes",
    .usage = "[OPTIONS]",
    .group = "Volumes",
    .flags = prune_flags,
    .max_args = 0,
    .handler = cmd_prune,
    .description = "Removes anonymous volumes no container uses (-a: every unused volume, "
                   "as Docker 23+). Asks first unless -f; batch mode never asks and needs -f.",
};

static const struct cli_command *const volume_subcommands[] = {
    &cmd_volume_create, &cmd_volume_ls,    &cmd_volume_inspect,
    &cmd_volume_rm,     &cmd_volume_prune, NULL,
};

static const struct cli_command cmd_volume = {
    .name = "volume",
    .summary = "Manage volumes",
    .usage = "COMMAND",
    .group = "Volumes",
    .max_args = -1,
    .subcommands = volume_subcommands,
};

const struct cli_command *const cli_cmds_volume[] = {
    &cmd_volume,
    NULL,
};
