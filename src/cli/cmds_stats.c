/*
 * cmds_stats.c - the stats commands of the command table: stats, top,
 * pause, unpause.  Each command is one struct cli_command; this list is
 * merged into the table by src/cli/table.c.
 *
 * Containers are found through the runtime's API (container.h); the
 * numbers come from the stats module (stats.h); pause/unpause are the
 * engine's ctr_container_pause()/ctr_container_unpause().  Output follows Docker: same columns,
 * same units.
 */
#include "cli/cli.h"
#include "cli/format.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "containr/cgroup.h"
#include "containr/container.h"
#include "containr/log.h"
#include "containr/runtime.h"
#include "containr/stats.h"

/* ---- helpers -------------------------------------------------------------- */

/* Print rows (first = titles) aligned as Docker's top does (tabwriter 20, 1, 3). */
static void print_columns(FILE *f, struct strv *rows, size_t nrows)
{
	struct strbuf text, out;

	strbuf_init(&text);
	strbuf_init(&out);
	for (size_t r = 0; r < nrows; r++) {
		for (size_t c = 0; c < rows[r].n; c++) {
			strbuf_puts(&text, rows[r].v[c]);
			strbuf_putc(&text, c + 1 < rows[r].n ? '\t' : '\n');
		}
	}
	ctr_tabwrite(text.buf, text.len, 20, 3, &out);
	fwrite(out.buf, 1, out.len, f);
	fflush(f);
	strbuf_release(&text);
	strbuf_release(&out);
}

static const char *display_name(const struct ctr_container *c)
{
	return c->cfg.name ? c->cfg.name : "";
}

static bool is_live(const struct ctr_container *c)
{
	return c->state.status == CTR_STATUS_RUNNING || c->state.status == CTR_STATUS_PAUSED;
}

/* Sleep up to `ms`, returning early (true) when the user interrupts. */
static bool sleep_interruptible(struct cli_ctx *ctx, int ms)
{
	for (int t = 0; t < ms; t += 100) {
		struct timespec ts = {0, 100 * 1000000L};
		if (ctx->interrupted)
			return true;
		nanosleep(&ts, NULL);
	}
	return ctx->interrupted != 0;
}

/* ---- stats ---------------------------------------------------------------- */

static const struct cli_flag stats_flags[] = {
    {.name = "all",
     .shortname = 'a',
     .type = CLI_BOOL,
     .help = "Show all containers (default shows just running)"},
    {.name = "format",
     .type = CLI_STRING,
     .metavar = "FORMAT",
     .help = "Format output: \"table\" (default), \"json\" (one object per line), "
             "\"table TEMPLATE\" or a Go template such as '{{.Name}} {{.CPUPerc}}'",
     .complete = COMP_CHOICES,
     .choices = "table|json"},
    {.name = "no-stream",
     .type = CLI_BOOL,
     .help = "Disable streaming stats and only pull the first result"},
    {.name = "no-trunc", .type = CLI_BOOL, .help = "Do not truncate output"},
    {0},
};

struct stat_entry {
	struct ctr_container c;
	char *label; /* "Container" column/field: what the user typed, or the short id */
	struct ctr_stats_sample prev, cur;
	bool have_prev, have_cur;
};

static void entries_free(struct stat_entry *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		ctr_container_free(&v[i].c);
		free(v[i].label);
	}
	free(v);
}

/* The containers to show: those named, or all running (all with -a). */
static int stats_targets(struct ctr_store *st, struct cli_args *a, struct stat_entry **out,
                         size_t *n, struct ctr_err *err)
{
	struct stat_entry *v = NULL;

	*n = 0;
	if (a->argc > 0) {
		v = xcalloc((size_t)a->argc, sizeof *v);
		for (int i = 0; i < a->argc; i++) {
			if (ctr_container_load(st, a->argv[i], &v[i].c, err) < 0) {
				entries_free(v, (size_t)i);
				return -1;
			}
			v[i].label = xstrdup(a->argv[i]);
		}
		*n = (size_t)a->argc;
	} else {
		struct ctr_container *list = NULL;
		size_t k = 0;
		if (ctr_container_list(st, cli_bool(a, "all"), &list, &k, err) < 0)
			return -1;
		v = xcalloc(k ? k : 1, sizeof *v);
		for (size_t i = 0; i < k; i++) {
			v[i].c = list[i]; /* moved: the list array itself is freed below */
			v[i].label = xstrndup(v[i].c.id, 12);
		}
		free(list);
		*n = k;
	}
	*out = v;
	return 0;
}

/* Sample one container; a stopped or vanished one gives an all-zero row. */
static void stats_sample_one(struct stat_entry *e)
{
	struct ctr_cgroup *cg = NULL;
	struct ctr_err err = {0};

	e->prev = e->cur;
	e->have_prev = e->have_cur;
	if (is_live(&e->c) && ctr_container_cgroup_open(&e->c, &cg, &err) == 0) {
		if (ctr_stats_sample(cg, e->c.state.pid, &e->cur, &err) < 0) {
			ctr_debug("stats sample failed", "container", e->c.id, "error", err.msg);
			ctr_stats_sample(NULL, 0, &e->cur, NULL);
		}
		ctr_cgroup_free(cg);
	} else {
		ctr_stats_sample(NULL, 0, &e->cur, NULL);
	}
	e->have_cur = true;
}

/* Docker's default `stats` table and the headers of its fields. */
static const char stats_table[] = "table {{.ID}}\t{{.Name}}\t{{.CPUPerc}}\t{{.MemUsage}}\t"
                                  "{{.MemPerc}}\t{{.NetIO}}\t{{.BlockIO}}\t{{.PIDs}}";
static const struct ctr_tmpl_header stats_headers[] = {
    {"ID", "CONTAINER ID"}, {"Container", "CONTAINER"},        {"Name", "NAME"},
    {"CPUPerc", "CPU %"},   {"MemUsage", "MEM USAGE / LIMIT"}, {"MemPerc", "MEM %"},
    {"NetIO", "NET I/O"},   {"BlockIO", "BLOCK I/O"},          {"PIDs", "PIDS"},
    {NULL, NULL},
};

/* One frame: rows with Docker's field names, through the --format machinery. */
static int stats_print(struct cli_ctx *ctx, struct stat_entry *v, size_t n, const char *fmt,
                       bool no_trunc, struct ctr_err *err)
{
	cJSON *rows = cJSON_CreateArray();
	int rc;

	for (size_t i = 0; i < n; i++) {
		struct ctr_stats_row r = {0};
		char id[65];
		ctr_stats_format(v[i].have_prev ? &v[i].prev : NULL, &v[i].cur, &r);
		snprintf(id, sizeof id, "%.*s", no_trunc ? 64 : 12, v[i].c.id);
		cJSON *j = cJSON_CreateObject();
		cJSON_AddStringToObject(j, "BlockIO", r.block_io);
		cJSON_AddStringToObject(j, "CPUPerc", r.cpu_perc);
		cJSON_AddStringToObject(j, "Container", v[i].label);
		cJSON_AddStringToObject(j, "ID", id);
		cJSON_AddStringToObject(j, "MemPerc", r.mem_perc);
		cJSON_AddStringToObject(j, "MemUsage", r.mem_usage);
		cJSON_AddStringToObject(j, "Name", display_name(&v[i].c));
		cJSON_AddStringToObject(j, "NetIO", r.net_io);
		cJSON_AddStringToObject(j, "PIDs", r.pids);
		cJSON_AddItemToArray(rows, j);
	}
	rc = cli_format_list(ctx, fmt, stats_table, stats_headers, rows, err);
	cJSON_Delete(rows);
	return rc;
}

/* Carry samples of containers still listed into a fresh listing. */
static void carry_samples(struct stat_entry *old, size_t nold, struct stat_entry *neu, size_t nnew)
{
	for (size_t i = 0; i < nnew; i++)
		for (size_t k = 0; k < nold; k++)
			if (strcmp(neu[i].c.id, old[k].c.id) == 0) {
				neu[i].cur = old[k].cur;
				neu[i].have_cur = old[k].have_cur;
			}
}

static int cmd_stats(struct cli_ctx *ctx, struct cli_args *a, struct ctr_err *err)
{
	struct ctr_store *st;
	struct stat_entry *v = NULL;
	size_t n = 0;
	const char *fmt = cli_str(a, "format");
	bool stream = !cli_bool(a, "no-stream"), no_trunc = cli_bool(a, "no-trunc");
	bool json = fmt && strcmp(fmt, "json") == 0;
	int ret = 0;

	/* A template with a syntax error fails now, not after the first second. */
	if (fmt && !json && *fmt) {
		struct ctr_tmpl *t = NULL;
		const char *body = fmt + strspn(fmt, " ");
		if (ctr_tmpl_is_table(body))
			body += 5;
		if (ctr_tmpl_parse(body, &t, err) < 0)
			return -1;
		ctr_tmpl_free(t);
	}
	if (cli_store(ctx, &st, err) < 0)
		return -1;
	if (stats_targets(st, a, &v, &n, err) < 0)
		return -1;
	/* Two samples a second apart give the CPU % of the first frame. */
	for (size_t i = 0; i < n; i++)
		stats_sample_one(&v[i]);
	for (;;) {
		if (sleep_interruptible(ctx, 1000))
			break;
		if (stream && a->argc == 0) {
			/* containers come and go while streaming: list again */
			struct stat_entry *nv = NULL;
			size_t nn = 0;
			if (stats_targets(st, a, &nv, &nn, err) < 0) {
				entries_free(v, n);
				return -1;
			}
			carry_samples(v, n, nv, nn);
			entries_free(v, n);
			v = nv;
			n = nn;
		} else {
			for (size_t i = 0; i < n; i++)
				ctr_container_reconcile(st, &v[i].c);
		}
		for (size_t i = 0; i < n; i++)
			stats_sample_one(&v[i]);
		if (stream && ctx->stdout_tty && !json)
			fputs("\033[2J\033[H", ctx->out);
		if (stats_print(ctx, v, n, fmt, no_trunc, err) < 0) {
			ret = 2;
			break;
		}
		if (!stream)
			break;
	}
	entries_free(v, n);
	return ret;
}

static const struct cli_command cmd_stats_def = {
    .name = "stats",
    .summary = "Display a live stream of container(s) resource usage statistics",
    .usage = "[OPTIONS] [CONTAINER...]",
    .group = "Containers",
    .flags = stats_flags,
    .min_args = 0,
    .max_args = -1,
    .complete = COMP_CONTAINER,
    .handler = cmd_stats,
    .description = "Columns: CPU % is the container's CPU time over the host's, times the "
                   "number of CPUs (100% = one full CPU); MEM USAGE excludes inactive page "
                   "cache; the LIMIT is the host's memory when none was set.  Without "
                   "--no-stream the table is redrawn every second until Ctrl-C.",
};

/* ---- top ------------------------------------------------------------------ */

static int cmd_top(struct cli_ctx *ctx, struct cli_args *a, struct ctr_err *err)
{
	struct ctr_store *st;
	struct ctr_container c = {0};
	struct ctr_cgroup *cg = NULL;
	struct ctr_top t;
	int ret = 1;

	if (cli_store(ctx, &st, err) < 0)
		return -1;
	if (ctr_container_load(st, a->argv[0], &c, err) < 0)
		return -1;
	if (!is_live(&c)) {
		ctr_fail(err, E_CONFLICT, "container %s is not running", a->argv[0]);
		ctr_hint(err, "start it first: containr start %s", a->argv[0]);
		goto out;
	}
	if (ctr_container_cgroup_open(&c, &cg, err) < 0)
		goto out;
	if (ctr_top(cg, a->argv + 1, a->argc - 1, &t, err) < 0)
		goto out;
	struct strv *rows = xcalloc(t.n + 1, sizeof *rows);
	rows[0] = t.titles;
	for (size_t i = 0; i < t.n; i++)
		rows[i + 1] = t.rows[i];
	print_columns(ctx->out, rows, t.n + 1);
	free(rows);
	ctr_top_free(&t);
	ret = 0;
out:
	ctr_cgroup_free(cg);
	ctr_container_free(&c);
	return ret;
}

static const struct cli_command cmd_top_def = {
    .name = "top",
    .summary = "Display the running processes of a container",
    .usage = "CONTAINER [ps OPTIONS]",
    .group = "Containers",
    .min_args = 1,
    .max_args = -1,
    .opts = CLI_TRAILING,
    .complete = COMP_CONTAINER_UP,
    .complete_rest = COMP_NONE,
    .handler = cmd_top,
    .description = "Runs the host's ps with the given options (default -ef) and keeps the "
                   "container's processes; pids are host pids.",
};

/* ---- pause / unpause ------------------------------------------------------ */

/* Docker's behaviour for several containers: do each, report each failure. */
static int pause_each(struct cli_ctx *ctx, struct cli_args *a, bool freeze, struct ctr_err *err)
{
	struct ctr_store *st;
	int failed = 0;

	if (cli_store(ctx, &st, err) < 0)
		return -1;
	for (int i = 0; i < a->argc; i++) {
		struct ctr_err e = {0};
		struct ctr_container c = {0};
		if (ctr_container_load(st, a->argv[i], &c, &e) < 0 ||
		    (freeze ? ctr_container_pause(st, &c, &e) : ctr_container_unpause(st, &c, &e)) <
		        0) {
			ctr_container_free(&c);
			if (failed++)
				cli_print_error(
				    err); /* the previous one; the last is left to the dispatcher */
			*err = e;
			continue;
		}
		ctr_container_free(&c);
		fprintf(ctx->out, "%s\n", a->argv[i]);
		fflush(ctx->out);
	}
	return failed ? -1 : 0;
}

static int cmd_pause(struct cli_ctx *ctx, struct cli_args *a, struct ctr_err *err)
{
	return pause_each(ctx, a, true, err);
}

static int cmd_unpause(struct cli_ctx *ctx, struct cli_args *a, struct ctr_err *err)
{
	return pause_each(ctx, a, false, err);
}

static const struct cli_command cmd_pause_def = {
    .name = "pause",
    .summary = "Pause all processes within one or more containers",
    .usage = "CONTAINER...",
    .group = "Containers",
    .min_args = 1,
    .max_args = -1,
    .complete = COMP_CONTAINER_UP,
    .handler = cmd_pause,
    .description = "Freezes every process of the container with the cgroup freezer "
                   "(v1 freezer.state, v2 cgroup.freeze); the status becomes \"paused\".",
};

static const struct cli_command cmd_unpause_def = {
    .name = "unpause",
    .summary = "Unpause all processes within one or more containers",
    .usage = "CONTAINER...",
    .group = "Containers",
    .min_args = 1,
    .max_args = -1,
    .complete = COMP_CONTAINER_UP,
    .handler = cmd_unpause,
};

const struct cli_command *const cli_cmds_stats[] = {
    &cmd_stats_def, &cmd_top_def, &cmd_pause_def, &cmd_unpause_def, NULL,
};
