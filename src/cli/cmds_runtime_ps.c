/*
 * cmds_runtime_ps.c - `ps` of the runtime command list (cmds_runtime.c
 * holds the list; `inspect` is in cmds_inspect.c).  Rows come from the
 * engine (ctr_ps_row_fill) so the dashboard shows the same words; output
 * goes through cli/format.h
 * (table, json, or a Go template as Docker's --format).
 */
#include "cli/cli.h"
#include "cli/format.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "containr/container.h"
#include "containr/runtime.h"

extern const struct cli_command cli_cmd_ps;

static const struct ctr_tmpl_header ps_headers[] = {
    {"ID", "CONTAINER ID"},
    {"Image", "IMAGE"},
    {"Command", "COMMAND"},
    {"RunningFor", "CREATED"},
    {"CreatedAt", "CREATED AT"},
    {"Status", "STATUS"},
    {"Ports", "PORTS"},
    {"Names", "NAMES"},
    {"State", "STATE"},
    {"Labels", "LABELS"},
    {"Size", "SIZE"},
    {"LocalVolumes", "LOCAL VOLUMES"},
    {"Mounts", "MOUNTS"},
    {"Networks", "NETWORKS"},
    {NULL, NULL},
};
#define PS_TABLE                                                                                   \
	"table "                                                                                   \
	"{{.ID}}\t{{.Image}}\t{{.Command}}\t{{.RunningFor}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}"

/*
 * Docker's Mounts column: the volume name or bind source of each mount, cut to
 * 15 with "…"; LocalVolumes counts the volumes.  tmpfs mounts are not mount
 * points in Docker's list (HostConfig.Tmpfs), so they are left out.
 */
static void ps_mounts(const struct ctr_container *c, bool trunc, struct strbuf *out, int *local)
{
	const cJSON *m;
	int n = 0;

	*local = 0;
	cJSON_ArrayForEach (m, c->cfg.mounts) {
		const cJSON *src = cJSON_GetObjectItemCaseSensitive(m, "Source");
		const char *name = cJSON_IsString(src) ? src->valuestring : "";
		const cJSON *type = cJSON_GetObjectItemCaseSensitive(m, "Type");
		const char *t = cJSON_IsString(type) ? type->valuestring : "";

		if (!strcmp(t, "tmpfs"))
			continue;
		if (!strcmp(t, "volume"))
			(*local)++;
		if (n++)
			strbuf_putc(out, ',');
		if (trunc && strlen(name) > 15)
			strbuf_printf(out, "%.14s\u2026", name);
		else
			strbuf_puts(out, name);
	}
}

static cJSON *ps_row_json(const struct ctr_container *c, const struct ctr_ps_row *row,
                          bool no_trunc)
{
	cJSON *o = cJSON_CreateObject();
	struct strbuf labels;
	const cJSON *l;
	char created[64];

	strbuf_init(&labels);
	cJSON_ArrayForEach (l, c->cfg.labels) {
		if (labels.len)
			strbuf_putc(&labels, ',');
		strbuf_printf(&labels, "%s=%s", l->string, cJSON_IsString(l) ? l->valuestring : "");
	}
	{
		/* Go's time.Time String(), as Docker prints CreatedAt. */
		time_t t = (time_t)(c->cfg.created / 1000000000LL);
		struct tm tm;
		gmtime_r(&t, &tm);
		strftime(created, sizeof created, "%Y-%m-%d %H:%M:%S +0000 UTC", &tm);
	}
	cJSON_AddStringToObject(o, "Command", row->command);
	cJSON_AddStringToObject(o, "CreatedAt", created);
	cJSON_AddStringToObject(o, "ID", row->id);
	cJSON_AddStringToObject(o, "Image", row->image);
	cJSON_AddStringToObject(o, "Labels", labels.buf);
	{
		struct strbuf mounts;
		int local;
		char n[16];

		strbuf_init(&mounts);
		ps_mounts(c, !no_trunc, &mounts, &local);
		snprintf(n, sizeof n, "%d", local);
		cJSON_AddStringToObject(o, "LocalVolumes", n);
		cJSON_AddStringToObject(o, "Mounts", mounts.buf);
		strbuf_release(&mounts);
	}
	cJSON_AddStringToObject(o, "Names", row->names);
	cJSON_AddStringToObject(o, "Networks", c->cfg.network ? c->cfg.network : "none");
	cJSON_AddStringToObject(o, "Ports", row->ports);
	cJSON_AddStringToObject(o, "RunningFor", row->created);
	cJSON_AddStringToObject(o, "Size", "0B"); /* as Docker without --size */
	cJSON_AddStringToObject(o, "State", row->state);
	cJSON_AddStringToObject(o, "Status", row->status);
	strbuf_release(&labels);
	return o;
}

static int cmd_ps(struct cli_ctx *ctx, struct cli_args *a, struct ctr_err *err)
{
	struct ctr_store *st;
	struct ctr_container *v = NULL;
	struct ctr_ps_row *rows;
	const struct strv *filters = cli_list(a, "filter");
	const char *fmt = cli_str(a, "format");
	bool all = cli_bool(a, "all"), no_trunc = cli_bool(a, "no-trunc");
	int64_t last = cli_isset(a, "last") ? cli_int(a, "last") : -1;
	size_t n = 0, keep = 0;
	int rc = 0;

	if (cli_bool(a, "latest"))
		last = 1;
	if (last >= 0 || filters->n)
		all = true; /* -n and filters look at every container (status filters decide) */
	for (size_t f = 0; f < filters->n; f++) {
		struct ctr_container none; /* validate every filter, even with no containers */
		memset(&none, 0, sizeof none);
		if (ctr_ps_filter_match(&none, filters->v[f], err) < 0)
			return -1;
	}
	if (cli_store(ctx, &st, err) < 0 || ctr_container_list(st, all, &v, &n, err) < 0)
		return -1;
	/* Without -a a filter still hides stopped containers unless it asks for them. */
	bool status_filter = false;
	for (size_t f = 0; f < filters->n; f++)
		if (str_startswith(filters->v[f], "status="))
			status_filter = true;
	rows = xcalloc(n ? n : 1, sizeof *rows);
	for (size_t i = 0; i < n; i++) {
		bool ok = true;
		if (!cli_bool(a, "all") && last < 0 && !status_filter &&
		    v[i].state.status != CTR_STATUS_RUNNING &&
		    v[i].state.status != CTR_STATUS_PAUSED)
			ok = false;
		for (size_t f = 0; ok && f < filters->n; f++) {
			int m = ctr_ps_filter_match(&v[i], filters->v[f], err);
			if (m < 0) {
				rc = 1;
				goto out;
			}
			ok = m == 1;
		}
		if (!ok || (last >= 0 && (int64_t)keep >= last))
			continue;
		if (keep != i) {
			struct ctr_container tmp = v[keep];
			v[keep] = v[i];
			v[i] = tmp;
		}
		ctr_ps_row_fill(&v[keep], no_trunc, &rows[keep]);
		keep++;
	}
	if (cli_bool(a, "quiet")) {
		for (size_t i = 0; i < keep; i++)
			fprintf(ctx->out, "%s\n", rows[i].id);
	} else {
		cJSON *arr = cJSON_CreateArray();
		for (size_t i = 0; i < keep; i++)
			cJSON_AddItemToArray(arr, ps_row_json(&v[i], &rows[i], no_trunc));
		if (cli_format_list(ctx, fmt, PS_TABLE, ps_headers, arr, err) < 0)
			rc = 1;
		cJSON_Delete(arr);
	}
out:
	for (size_t i = 0; i < keep; i++)
		ctr_ps_row_release(&rows[i]);
	free(rows);
	ctr_container_list_free(v, n);
	return rc;
}

static const struct cli_flag ps_flags[] = {
    {.name = "all",
     .shortname = 'a',
     .type = CLI_BOOL,
     .help = "Show all containers (default shows just running)"},
    {.name = "quiet", .shortname = 'q', .type = CLI_BOOL, .help = "Only display container IDs"},
    {.name = "last",
     .shortname = 'n',
     .type = CLI_INT,
     .metavar = "N",
     .help = "Show n last created containers (includes all states)"},
    {.name = "latest",
     .shortname = 'l',
     .type = CLI_BOOL,
     .help = "Show the latest created container (includes all states)"},
    {.name = "no-trunc", .type = CLI_BOOL, .help = "Don't truncate output"},
    {.name = "filter",
     .shortname = 'f',
     .type = CLI_STRING,
     .metavar = "KEY=VALUE",
     .opts = CLI_REPEAT,
     .help = "Filter output: status=, name=, id=, label=KEY[=VALUE], ancestor="},
    {.name = "format",
     .type = CLI_STRING,
     .metavar = "FORMAT",
     .help = "Format output: table, json, or a Go template (\"{{.ID}} {{.Names}}\")",
     .complete = COMP_CHOICES,
     .choices = "table|json"},
    {0},
};
static const char *const ps_aliases[] = {"ls", NULL};
const struct cli_command cli_cmd_ps = {
    .name = "ps",
    .aliases = ps_aliases,
    .summary = "List containers",
    .group = "Containers",
    .usage = "[OPTIONS]",
    .flags = ps_flags,
    .max_args = 0,
    .handler = cmd_ps,
};
