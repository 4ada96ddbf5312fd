/*
 * cmds_volume.c - `containr volume create|ls|inspect|rm|prune`.
 *
 * Thin wrappers over the volume engine (include/containr/volume.h): the
 * handlers parse flags, call ctr_volume_*, and print results the way
 * `docker volume` does (names on stdout, a table for ls, a JSON array for
 * inspect, "Total reclaimed space" for prune).  --format understands
 * "table", "json" and Go-template-like {{.Field}} placeholders.
 */
#include "cli/cli.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "containr/log.h"
#include "containr/volume.h"

/* ---- formatting -------------------------------------------------------- */

static const char *const volume_fields[] = {"Name",      "Driver", "Mountpoint", "Scope",
                                            "CreatedAt", "Labels", "Options",    NULL};
static const char *const volume_headers[] = {"VOLUME NAME", "DRIVER", "MOUNTPOINT", "SCOPE",
                                             "CREATED AT",  "LABELS", "OPTIONS",    NULL};

/* A JSON value as text: strings raw, objects as "k=v,k=v", null as "". */
static void field_text(struct strbuf *sb, const cJSON *v)
{
	if (cJSON_IsString(v)) {
		strbuf_puts(sb, v->valuestring);
	} else if (cJSON_IsObject(v)) {
		const cJSON *it;
		bool first = true;
		cJSON_ArrayForEach (it, v) {
			strbuf_printf(sb, "%s%s=%s", first ? "" : ",", it->string,
			              cJSON_IsString(it) ? it->valuestring : "");
			first = false;
		}
	}
}

/*
 * Render `tmpl` for the inspect object `obj`: {{.Field}}, {{json .Field}},
 * {{json .}} and \t \n escapes.  Unknown fields are E_INVALID_ARG.
 */
static int render(const char *tmpl, const cJSON *obj, bool header, struct strbuf *out,
                  struct ctr_err *err)
{
	const char *p = tmpl;

	while (*p) {
		if (p[0] == '\\' && (p[1] == 't' || p[1] == 'n')) {
			strbuf_putc(out, p[1] == 't' ? '\t' : '\n');
			p += 2;
			continue;
		}
		if (strncmp(p, "{{", 2) != 0) {
			strbuf_putc(out, *p++);
			continue;
		}
		const char *end = strstr(p, "}}");
		if (!end) {
			ctr_fail(err, E_INVALID_ARG, "unterminated {{ in format \"%s\"", tmpl);
			return ctr_hint(err, "write placeholders as {{.Name}}");
		}
		cleanup_free char *expr = xstrndup(p + 2, (size_t)(end - p - 2));
		char *e = expr;
		bool json = false;
		while (*e == ' ')
			e++;
		if (!strncmp(e, "json ", 5)) {
			json = true;
			e += 5;
			while (*e == ' ')
				e++;
		}
		size_t n = strlen(e);
		while (n && e[n - 1] == ' ')
			e[--n] = '\0';
		if (!strcmp(e, ".")) {
			if (header) {
				strbuf_puts(out, "VOLUME");
			} else {
				char *s = cJSON_PrintUnformatted(obj);
				strbuf_puts(out, s);
				free(s);
			}
			p = end + 2;
			continue;
		}
		int idx = -1;
		for (int i = 0; volume_fields[i]; i++)
			if (e[0] == '.' && !strcmp(e + 1, volume_fields[i]))
				idx = i;
		if (idx < 0) {
			ctr_fail(err, E_INVALID_ARG, "unknown field \"%s\" in format", e);
			return ctr_hint(err, "fields: .Name .Driver .Mountpoint .Scope .CreatedAt "
			                     ".Labels .Options");
		}
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, volume_fields[idx]);
		if (header) {
			strbuf_puts(out, volume_headers[idx]);
		} else if (json) {
			char *s = cJSON_PrintUnformatted(v);
			strbuf_puts(out, s ? s : "null");
			free(s);
		} else {
			field_text(out, v);
		}
		p = end + 2;
	}
	return 0;
}

/* Print rows through a tab-aligned table (columns padded by 3, as Docker). */
static void print_table(FILE *f, struct strv *rows)
{
	size_t widths[16] = {0};

	for (size_t r = 0; r < rows->n; r++) {
		const char *s = rows->v[r];
		for (size_t c = 0; c < 16; c++) {
			const char *tab = strchr(s, '\t');
			size_t len = tab ? (size_t)(tab - s) : strlen(s);
			if (tab && len > widths[c])
				widths[c] = len;
			if (!tab)
				break;
			s = tab + 1;
		}
	}
	for (size_t r = 0; r < rows->n; r++) {
		const char *s = rows->v[r];
		for (size_t c = 0;; c++) {
			const char *tab = strchr(s, '\t');
			size_t len = tab ? (size_t)(tab - s) : strlen(s);
			if (!tab || c >= 16) {
				fprintf(f, "%s\n", s);
				break;
			}
			size_t w = widths[c] + 3 < 10 ? 10 : widths[c] + 3; /* tabwriter(10, 3) */
			fprintf(f, "%.*s%*s", (int)len, s, (int)(w - len), "");
			s = tab + 1;
		}
	}
}

/* JSON the way `docker inspect` prints it: 4-space indent, "key": value. */
static void print_json_indent(FILE *f, const cJSON *j, int depth)
{
	const cJSON *it;
	bool arr = cJSON_IsArray(j);

	if (!arr && !cJSON_IsObject(j)) {
		char *s = cJSON_PrintUnformatted(j);
		fputs(s, f);
		free(s);
		return;
	}
	if (!j->child) {
		fputs(arr ? "[]" : "{}", f);
		return;
	}
	fputs(arr ? "[\n" : "{\n", f);
	cJSON_ArrayForEach (it, j) {
		fprintf(f, "%*s", (depth + 1) * 4, "");
		if (!arr) {
			cJSON *k = cJSON_CreateString(it->string);
			char *ks = cJSON_PrintUnformatted(k);
			fprintf(f, "%s: ", ks);
			free(ks);
			cJSON_Delete(k);
		}
		print_json_indent(f, it, depth + 1);
		fputs(it->next ? ",\n" : "\n", f);
	}
	fprintf(f, "%*s%s", depth * 4, "", arr ? "]" : "}");
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
	struct strv names, rows;
	const char *fmt = cli_str(a, "format");
	bool quiet = cli_bool(a, "quiet");
	bool table = true, json = false;
	const char *tmpl = "{{.Driver}}\t{{.Name}}";
	int rc = 0;

	if (fmt && *fmt) {
		if (!strcmp(fmt, "json")) {
			json = true;
		} else if (!strcmp(fmt, "table")) {
			/* default columns */
		} else if (str_startswith(fmt, "table ")) {
			tmpl = fmt + 6;
		} else {
			tmpl = fmt;
			table = false;
		}
	}
	if (cli_store(ctx, &st, err) < 0)
		return 1;
	strv_init(&names);
	strv_init(&rows);
	if (ctr_volume_list(st, &names, err) < 0) {
		strv_release(&names);
		return 1;
	}
	if (table && !quiet && !json) {
		struct strbuf sb;
		strbuf_init(&sb);
		cJSON *empty = cJSON_CreateObject();
		rc = render(tmpl, empty, true, &sb, err);
		cJSON_Delete(empty);
		if (rc < 0) {
			strbuf_release(&sb);
			goto out;
		}
		strv_push_owned(&rows, strbuf_detach(&sb));
	}
	for (size_t i = 0; i < names.n; i++) {
		cJSON *obj = NULL;
		struct ctr_err e;
		bool match;
		ctr_err_clear(&e);
		if (ctr_volume_inspect(st, names.v[i], &obj, &e) < 0)
			continue; /* removed while listing */
		rc = ls_match(st, obj, cli_list(a, "filter"), &match, err);
		if (rc == 0 && match) {
			if (quiet) {
				strv_push(&rows, names.v[i]);
			} else if (json) {
				strv_push_owned(&rows, cJSON_PrintUnformatted(obj));
			} else {
				struct strbuf sb;
				strbuf_init(&sb);
				rc = render(tmpl, obj, false, &sb, err);
				strv_push_owned(&rows, strbuf_detach(&sb));
			}
		}
		cJSON_Delete(obj);
		if (rc < 0)
			goto out;
	}
	if (table && !quiet && !json)
		print_table(ctx->out, &rows);
	else
		for (size_t i = 0; i < rows.n; i++)
			fprintf(ctx->out, "%s\n", rows.v[i]);
out:
	strv_release(&names);
	strv_release(&rows);
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
	struct ctr_store *st;
	const char *fmt = cli_str(a, "format");
	cJSON *arr = cJSON_CreateArray();
	int failed = 0;

	if (cli_store(ctx, &st, err) < 0) {
		cJSON_Delete(arr);
		return 1;
	}
	for (int i = 0; i < a->argc; i++) {
		cJSON *obj = NULL;
		struct ctr_err e;
		ctr_err_clear(&e);
		if (ctr_volume_inspect(st, a->argv[i], &obj, &e) < 0) {
			if (failed++)
				cli_print_error(err);
			*err = e;
			continue;
		}
		if (fmt && *fmt) {
			struct strbuf sb;
			strbuf_init(&sb);
			if (render(fmt, obj, false, &sb, err) < 0) {
				strbuf_release(&sb);
				cJSON_Delete(obj);
				cJSON_Delete(arr);
				return 2;
			}
			fprintf(ctx->out, "%s\n", sb.buf);
			strbuf_release(&sb);
			cJSON_Delete(obj);
		} else {
			cJSON_AddItemToArray(arr, obj);
		}
	}
	if (!(fmt && *fmt)) {
		print_json_indent(ctx->out, arr, 0);
		fputc('\n', ctx->out);
	}
	cJSON_Delete(arr);
	return failed ? 1 : 0;
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
