/*
 * panel_detail.c - one container, five tabs: Logs (follow, timestamps,
 * wrap, search), Stats (history graphs), Top (its processes), Inspect
 * (the `inspect` command's JSON) and Internals (the teaching view: what
 * the kernel says about it, from /proc and the cgroup files).
 */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "containr/cgroup.h"
#include "containr/store.h"
#include "format.h"
#include "logtail.h"
#include "procinfo.h"
#include "ui.h"

static const char *const tab_names[UI_TAB__COUNT] = {"Logs", "Stats", "Top", "Inspect",
                                                     "Internals"};

struct topprev {
	pid_t pid;
	uint64_t ticks;
};

struct detail {
	struct panel base;
	char id[65];
	int tab;
	int h, w;
	/* logs */
	struct ui_logtail logs;
	bool logs_open, follow, timestamps, wrap;
	int ltop; /* first log line shown */
	char search[128];
	/* text tabs (Inspect, Internals, Top): lines and scroll */
	struct strv text;
	int ttop;
	int64_t inspect_loaded;
	/* top: previous tick counts for CPU % */
	struct topprev *prev;
	size_t nprev;
	int64_t prev_ns;
};

static struct ui_ctr *cur(struct detail *d, struct ui *ui)
{
	return ui_model_find(&ui->model, d->id);
}

/* ---- Logs -------------------------------------------------------------- */

static void logs_open(struct detail *d, struct ui *ui)
{
	if (d->logs_open)
		return;
	cleanup_free char *path =
	    ctr_store_obj_path(ui->model.st, CTR_KIND_CONTAINER, d->id, "ctr.log");
	ui_logtail_init(&d->logs, path, 5000);
	d->logs_open = true;
	(void)ui_logtail_poll(&d->logs);
}

/* Display rows a log line takes at width w. */
static int line_rows(struct detail *d, const struct ui_logline *l, int w, int prefix)
{
	if (!d->wrap || w <= prefix)
		return 1;
	int cols = (int)ui_strwidth(l->text) + prefix;
	return cols <= w ? 1 : (cols + w - 1) / w;
}

static void logs_to_end(struct detail *d)
{
	d->ltop = (int)d->logs.n; /* clamped when drawn */
}

static void draw_logs(struct detail *d, struct ui *ui, int y, int x, int h, int w)
{
	int prefix = d->timestamps ? 31 : 0;
	int n = (int)d->logs.n;

	if (n == 0) {
		ui_put(ui, y, x + 1, w - 2, UI_EL_DIM, "(no log output yet)");
		return;
	}
	/* In follow mode (or past the end) show the last screenful. */
	if (d->follow || d->ltop >= n) {
		int rows = 0, i = n;
		while (i > 0 && rows + line_rows(d, &d->logs.v[i - 1], w, prefix) <= h)
			rows += line_rows(d, &d->logs.v[--i], w, prefix);
		d->ltop = i;
	}
	if (d->ltop < 0)
		d->ltop = 0;
	int row = 0;
	for (int i = d->ltop; i < n && row < h; i++) {
		const struct ui_logline *l = &d->logs.v[i];
		bool hit = d->search[0] && ui_contains_ci(l->text, d->search);
		enum ui_element el = hit ? UI_EL_MATCH : l->err ? UI_EL_STDERR : UI_EL_NORMAL;
		char ts[40] = "";
		if (d->timestamps) {
			ctr_format_rfc3339(ts, sizeof ts, l->t_ns);
			ui_put(ui, y + row, x, prefix, UI_EL_DIM, ts);
		}
		if (!d->wrap) {
			ui_put(ui, y + row, x + prefix, w - prefix, el, l->text);
			row++;
			continue;
		}
		/* Wrap: cut the text into pieces of the available width. */
		const char *t = l->text;
		int avail = w - prefix, indent = prefix; /* the first piece follows the time */
		do {
			char piece[1024];
			size_t o = 0;
			int cols = 0;
			while (*t && cols < avail && o + 5 < sizeof piece) {
				size_t len = 1;
				while ((t[len] & 0xc0) == 0x80)
					len++;
				memcpy(piece + o, t, len);
				o += len;
				t += len;
				cols++;
			}
			piece[o] = '\0';
			ui_put(ui, y + row, x + indent, avail, el, piece);
			row++;
			avail = w;
			indent = 0;
		} while (*t && row < h);
	}
}

static void logs_find(struct detail *d, struct ui *ui, int dir, bool from_current)
{
	int n = (int)d->logs.n;
	if (!d->search[0] || n == 0)
		return;
	d->follow = false;
	for (int k = from_current ? 0 : 1; k <= n; k++) {
		int i = ((d->ltop + dir * k) % n + n) % n;
		if (ui_contains_ci(d->logs.v[i].text, d->search)) {
			d->ltop = i;
			return;
		}
	}
	ui_status(ui, true, "not found in the logs: %s", d->search);
}

/* ---- Stats ------------------------------------------------------------- */

/* A filled area graph of `h` (oldest left), scaled to max (0 = auto). */
static void graph(struct ui *ui, int y, int x, int rows, int w, const struct ui_hist *hs,
                  double max)
{
	static const char *const eighths[8] = {"\u2581", "\u2582", "\u2583", "\u2584",
	                                       "\u2585", "\u2586", "\u2587", "\u2588"};
	size_t start = hs->n > (size_t)w ? hs->n - (size_t)w : 0;
	int pad = hs->n < (size_t)w ? w - (int)hs->n : 0;

	if (max <= 0)
		for (size_t i = start; i < hs->n; i++)
			if (hs->v[i] > max)
				max = hs->v[i];
	if (max <= 0)
		max = 1;
	attrset(ui_theme_attr(UI_EL_GRAPH));
	for (size_t i = start; i < hs->n; i++) {
		int col = x + pad + (int)(i - start);
		double f = hs->v[i] / max;
		if (f > 1)
			f = 1;
		int fill = (int)(f * rows * 8 + 0.5);
		if (fill == 0 && hs->v[i] > 0)
			fill = 1;
		for (int r = 0; r < rows; r++) {
			int level = fill - r * 8;
			int yy = y + rows - 1 - r;
			if (level <= 0)
				continue;
			if (ui->opts.ascii)
				mvaddstr(yy, col, level >= 8 ? "#" : level >= 4 ? "+" : ".");
			else
				mvaddstr(yy, col, eighths[(level >= 8 ? 8 : level) - 1]);
		}
	}
	attrset(ui_theme_attr(UI_EL_NORMAL));
}

/* The largest value of a history, at least `floor`. */
static double hist_max(const struct ui_hist *h, double floor)
{
	double m = floor;
	for (size_t i = 0; i < h->n; i++)
		if (h->v[i] > m)
			m = h->v[i];
	return m;
}

static void draw_stats(struct detail *d, struct ui *ui, struct ui_ctr *c, int y, int x, int h,
                       int w)
{
	char a[32], b[32], line[256];
	if (!ui_ctr_running(c) || !c->has_stats) {
		ui_put(ui, y, x + 1, w - 2, UI_EL_DIM,
		       ui_ctr_running(c) ? "(collecting...)" : "(not running: no live statistics)");
		return;
	}
	int gh = (h - 4) / 4;
	if (gh < 1)
		gh = 1;
	int gy = y;
	/* CPU */
	ui_fmt_percent(a, sizeof a, c->cpu_pct);
	snprintf(line, sizeof line, "CPU  %s of one core  (%d cores: max %d%%)", a, ui->model.ncpu,
	         ui->model.ncpu * 100);
	ui_put(ui, gy, x + 1, w - 2, UI_EL_TITLE, line);
	graph(ui, gy + 1, x + 1, gh, w - 2, &c->h_cpu, hist_max(&c->h_cpu, 100));
	gy += gh + 1;
	/* Memory */
	ui_fmt_size(a, sizeof a, c->mem);
	ui_fmt_size(b, sizeof b, c->mem_limit);
	snprintf(line, sizeof line, "MEMORY  %s / %s  (%.1f%%)", a, b,
	         c->mem_limit ? 100.0 * (double)c->mem / (double)c->mem_limit : 0.0);
	ui_put(ui, gy, x + 1, w - 2, UI_EL_TITLE, line);
	graph(ui, gy + 1, x + 1, gh, w - 2, &c->h_mem,
	      c->mem_limit && c->mem_limit < ui->model.mem_total ? (double)c->mem_limit
	                                                         : hist_max(&c->h_mem, 0) * 1.5);
	gy += gh + 1;
	/* Network */
	char r1[32], t1[32];
	ui_fmt_size(a, sizeof a, c->net_rx);
	ui_fmt_size(b, sizeof b, c->net_tx);
	ui_fmt_size(r1, sizeof r1,
	            (uint64_t)(c->h_net_rx.n ? c->h_net_rx.v[c->h_net_rx.n - 1] : 0));
	ui_fmt_size(t1, sizeof t1,
	            (uint64_t)(c->h_net_tx.n ? c->h_net_tx.v[c->h_net_tx.n - 1] : 0));
	snprintf(line, sizeof line, "NET I/O  rx %s (%s/s)  tx %s (%s/s)   graph: rx", a, r1, b,
	         t1);
	ui_put(ui, gy, x + 1, w - 2, UI_EL_TITLE, line);
	graph(ui, gy + 1, x + 1, gh, w - 2, &c->h_net_rx, 0);
	gy += gh + 1;
	/* Block I/O */
	ui_fmt_size(a, sizeof a, c->blk_r);
	ui_fmt_size(b, sizeof b, c->blk_w);
	snprintf(line, sizeof line, "BLOCK I/O  read %s  written %s   graph: writes/s", a, b);
	ui_put(ui, gy, x + 1, w - 2, UI_EL_TITLE, line);
	graph(ui, gy + 1, x + 1, gh, w - 2, &c->h_blk_w, 0);
}

/* ---- Top --------------------------------------------------------------- */

static int cmp_pid(const void *a, const void *b)
{
	pid_t x = *(const pid_t *)a, y = *(const pid_t *)b;
	return (x > y) - (x < y);
}

static void build_top(struct detail *d, struct ui *ui, struct ui_ctr *c)
{
	pid_t *pids = NULL;
	size_t n = 0;
	int64_t now = ctr_mono_ns();
	double dt = d->prev_ns ? (double)(now - d->prev_ns) / 1e9 : 0;
	long hz = sysconf(_SC_CLK_TCK);
	struct topprev *next = NULL;
	size_t nnext = 0;

	strv_release(&d->text);
	strv_init(&d->text);
	/* The container's cgroup (every process of it, sub-cgroups included),
	 * as `containr top` lists them. */
	if (!ui_ctr_running(c) || c->pid <= 0 || !c->cg ||
	    ctr_cgroup_pids(c->cg, &pids, &n, NULL) < 0) {
		strv_push(&d->text, ui_ctr_running(c) ? "(cannot read the container's cgroup)"
		                                      : "(not running: no processes)");
		return;
	}
	strv_push_owned(&d->text, xasprintf("%7s %7s %7s %5s %1s %6s %9s %9s  %s", "PID", "CTR PID",
	                                    "PPID", "UID", "S", "CPU%", "RSS", "TIME", "COMMAND"));
	if (n > 1)
		qsort(pids, n, sizeof *pids, cmp_pid);
	next = xcalloc(n ? n : 1, sizeof *next);
	for (size_t i = 0; i < n; i++) {
		struct ui_procrow r;
		char rss[32], cpu[16], tm[32];
		if (ui_proc_row(pids[i], &r) < 0)
			continue;
		double pct = 0;
		for (size_t k = 0; k < d->nprev; k++)
			if (d->prev[k].pid == r.pid && dt > 0 && r.ticks >= d->prev[k].ticks)
				pct =
				    100.0 * (double)(r.ticks - d->prev[k].ticks) / (double)hz / dt;
		next[nnext++] = (struct topprev){r.pid, r.ticks};
		ui_fmt_size(rss, sizeof rss, r.rss);
		ui_fmt_percent(cpu, sizeof cpu, pct);
		uint64_t secs = r.ticks / (uint64_t)hz;
		snprintf(tm, sizeof tm, "%llu:%02llu.%02llu", (unsigned long long)(secs / 60),
		         (unsigned long long)(secs % 60),
		         (unsigned long long)(r.ticks % (uint64_t)hz * 100 / (uint64_t)hz));
		strv_push_owned(&d->text, xasprintf("%7d %7d %7d %5u %c %6s %9s %9s  %s",
		                                    (int)r.pid, (int)r.nspid, (int)r.ppid,
		                                    (unsigned)r.uid, r.state, cpu, rss, tm, r.cmd));
	}
	free(pids);
	free(d->prev);
	d->prev = next;
	d->nprev = nnext;
	d->prev_ns = now;
}

/* ---- Inspect ----------------------------------------------------------- */

static void set_text(struct detail *d, const char *text)
{
	strv_release(&d->text);
	strv_init(&d->text);
	for (const char *l = text; l && *l;) {
		const char *nl = strchr(l, '\n');
		size_t len = nl ? (size_t)(nl - l) : strlen(l);
		char *s = xstrndup(l, len);
		for (char *p = s; *p; p++)
			if (*p == '\t')
				*p = ' ';
		strv_push_owned(&d->text, s);
		l = nl ? nl + 1 : NULL;
	}
}

static void build_inspect(struct detail *d, struct ui *ui)
{
	cleanup_free char *out = NULL, *errtext = NULL;
	char *cmd = xasprintf("inspect %s", d->id);
	int rc = ui_run_cli_quiet(ui, cmd, &out, &errtext);
	free(cmd);
	set_text(d, rc == 0 ? out : errtext);
}

/* ---- Internals --------------------------------------------------------- */

static void section(struct strv *t, const char *title)
{
	if (t->n)
		strv_push(t, "");
	strv_push_owned(t, xasprintf("## %s", title));
}

static void wrap_words(struct strv *t, const char *label, const char *words, int w)
{
	struct strbuf sb;
	strbuf_init(&sb);
	strbuf_printf(&sb, "  %-8s ", label);
	const char *p = words;
	while (*p) {
		size_t len = strcspn(p, " ");
		if (sb.len + len + 1 > (size_t)w && sb.len > 11) {
			strv_push(t, sb.buf);
			strbuf_reset(&sb);
			strbuf_puts(&sb, "           ");
		}
		strbuf_add(&sb, p, len);
		strbuf_putc(&sb, ' ');
		p += len;
		while (*p == ' ')
			p++;
	}
	strv_push(t, sb.buf);
	strbuf_release(&sb);
}

static void build_internals(struct detail *d, struct ui *ui, struct ui_ctr *c)
{
	struct strv *t = &d->text;
	struct ctr_err err;
	struct ui_ns ns[UI_NS_COUNT];
	struct ui_procstatus ps;
	struct strbuf sb;
	int w = d->w > 20 ? d->w - 2 : 78;

	strv_release(t);
	strv_init(t);
	if (!ui_ctr_running(c) || c->pid <= 0) {
		strv_push(t, "(not running: the kernel objects exist only while it runs)");
		return;
	}
	pid_t pid = c->pid;
	section(t, "Process");
	if (ui_proc_status(pid, &ps, &err) == 0) {
		strbuf_init(&sb);
		for (int i = 0; i < ps.nnspid; i++)
			strbuf_printf(&sb, "%s%d", i ? " -> " : "", (int)ps.nspid[i]);
		strv_push_owned(t, xasprintf("  init: %s, state %s", ps.name, ps.state));
		strv_push_owned(t, xasprintf("  PID on the host %d, inside the container %d   "
		                             "(NSpid: %s, /proc/%d/status)",
		                             (int)pid,
		                             ps.nnspid ? (int)ps.nspid[ps.nnspid - 1] : (int)pid,
		                             sb.buf, (int)pid));
		strv_push_owned(t, xasprintf("  uid %u (effective %u)", ps.uid[0], ps.uid[1]));
		strbuf_release(&sb);
	}
	section(t, "Namespaces   (/proc/<pid>/ns/* compared with /proc/1/ns/*)");
	if (ui_proc_namespaces(pid, ns, &err) == 0)
		for (int i = 0; i < UI_NS_COUNT; i++) {
			if (!ns[i].inode)
				continue;
			char label[64];
			snprintf(label, sizeof label, "%s:[%lu]", ns[i].type, ns[i].inode);
			strv_push_owned(t, xasprintf("  %-7s %-20s %s", ns[i].type, label,
			                             ns[i].shared ? "SHARED with the host"
			                                          : "own namespace (isolated)"));
		}
	if (ns[0].host_is_self)
		strv_push(t,
		          "  (/proc/1/ns is not readable here: compared with the dashboard's own)");
	section(t, "Cgroup   (/proc/<pid>/cgroup and the limit files)");
	struct strv lines;
	strv_init(&lines);
	if (ui_proc_cgroups(pid, &lines, &err) == 0)
		for (size_t i = 0; i < lines.n; i++)
			strv_push_owned(t, xasprintf("  %s", lines.v[i]));
	strv_release(&lines);
	if (c->cg) {
		struct ctr_cgroup_file files[CTR_CGROUP_FILES_MAX];
		size_t nf = ctr_cgroup_limit_files(c->cg, files);
		for (size_t i = 0; i < nf; i++)
			strv_push_owned(t, xasprintf("  %-28s %s", files[i].name, files[i].value));
		ctr_cgroup_files_release(files, nf);
	}
	section(t, "Security   (/proc/<pid>/status)");
	if (ui_proc_status(pid, &ps, &err) == 0) {
		static const struct {
			const char *n;
			size_t off;
		} sets[] = {
		    {"CapEff", offsetof(struct ui_procstatus, cap_eff)},
		    {"CapPrm", offsetof(struct ui_procstatus, cap_prm)},
		    {"CapBnd", offsetof(struct ui_procstatus, cap_bnd)},
		    {"CapInh", offsetof(struct ui_procstatus, cap_inh)},
		    {"CapAmb", offsetof(struct ui_procstatus, cap_amb)},
		};
		for (size_t i = 0; i < CTR_ARRAY_SIZE(sets); i++) {
			uint64_t v = *(const uint64_t *)((const char *)&ps + sets[i].off);
			strbuf_init(&sb);
			strbuf_printf(&sb, "%016llx = ", (unsigned long long)v);
			ui_caps_names(v, &sb);
			wrap_words(t, sets[i].n, sb.buf, w);
			strbuf_release(&sb);
		}
		strv_push_owned(t,
		                xasprintf("  Seccomp  %d = %s  (%d filter%s attached)", ps.seccomp,
		                          ui_seccomp_mode(ps.seccomp), ps.seccomp_filters,
		                          ps.seccomp_filters == 1 ? "" : "s"));
		strv_push_owned(t, xasprintf("  NoNewPrivs %d  (%s)", ps.no_new_privs,
		                             ps.no_new_privs == 1
		                                 ? "setuid binaries cannot gain privileges"
		                                 : "privileges can be gained by exec"));
	}
	struct ui_mount *m = NULL;
	size_t nm = 0;
	if (ui_proc_mounts(pid, &m, &nm, &err) == 0) {
		struct strv lower;
		cleanup_free char *upper = NULL;
		strv_init(&lower);
		ui_overlay_layers(m, nm, &lower, &upper);
		section(t, "Root filesystem   (overlay layers from mountinfo, top first)");
		if (lower.n || upper) {
			strv_push_owned(t,
			                xasprintf("  upper (writable)  %s", upper ? upper : "-"));
			for (size_t i = 0; i < lower.n; i++)
				strv_push_owned(
				    t, xasprintf("  lower %-2zu (ro)     %s", i + 1, lower.v[i]));
		} else {
			strv_push(t, "  (not an overlay: a plain directory root)");
		}
		strv_release(&lower);
		section(t, "Mounts   (/proc/<pid>/mountinfo)");
		strv_push_owned(
		    t, xasprintf("  %-28s %-10s %-14s %s", "TARGET", "TYPE", "SOURCE", "OPTIONS"));
		for (size_t i = 0; i < nm; i++)
			strv_push_owned(t, xasprintf("  %-28s %-10s %-14s %s", m[i].target,
			                             m[i].fstype, m[i].source, m[i].options));
		ui_mounts_free(m, nm);
	}
}

/* ---- the panel --------------------------------------------------------- */

static void refresh_tab(struct detail *d, struct ui *ui)
{
	struct ui_ctr *c = cur(d, ui);
	if (!c)
		return;
	switch (d->tab) {
	case UI_TAB_LOGS:
		logs_open(d, ui);
		if (ui_logtail_poll(&d->logs) > 0 && d->follow)
			logs_to_end(d);
		break;
	case UI_TAB_TOP:
		build_top(d, ui, c);
		break;
	case UI_TAB_INTERNALS:
		build_internals(d, ui, c);
		break;
	case UI_TAB_INSPECT:
		/* The JSON changes little: reload every 5 s, or on entering the tab. */
		if (ctr_mono_ns() - d->inspect_loaded > 5000000000LL) {
			build_inspect(d, ui);
			d->inspect_loaded = ctr_mono_ns();
		}
		break;
	default:
		break;
	}
}

static void detail_tick(struct panel *p, struct ui *ui)
{
	refresh_tab((struct detail *)p, ui);
}

static void detail_draw(struct panel *p, struct ui *ui, int y, int x, int h, int w)
{
	struct detail *d = (struct detail *)p;
	struct ui_ctr *c = cur(d, ui);
	char title[256], status[128];
	int tx = x + 1;

	d->w = w;
	ui_fill(y, x, w, UI_EL_COLUMNS);
	for (int i = 0; i < UI_TAB__COUNT; i++) {
		char b[32];
		snprintf(b, sizeof b, " %s ", tab_names[i]);
		int tw = (int)strlen(b);
		ui_put(ui, y, tx, tw, i == d->tab ? UI_EL_TAB_ACTIVE : UI_EL_COLUMNS, b);
		tx += tw + 1;
	}
	if (!c) {
		ui_put(ui, y + 2, x + 2, w - 4, UI_EL_STATUS_ERROR,
		       "This container no longer exists (Esc to go back).");
		return;
	}
	ui_fmt_status(status, sizeof status, c->state, c->exit_code, c->started_s, c->finished_s,
	              ui->model.now_s);
	snprintf(title, sizeof title, "%s  %.12s  %s  %s", ui_ctr_ref(c), c->id,
	         c->image ? c->image : "", status);
	ui_put_right(ui, y, tx, w - tx - 1, UI_EL_COLUMNS, title);
	y++;
	h--;
	d->h = h - 1;
	if (d->tab == UI_TAB_LOGS) {
		char flags[256];
		snprintf(flags, sizeof flags,
		         " follow:%s  timestamps:%s  wrap:%s%s%s   (f t w / n N End)",
		         d->follow ? "on" : "off", d->timestamps ? "on" : "off",
		         d->wrap ? "on" : "off", d->search[0] ? "  search:" : "", d->search);
		ui_put(ui, y, x, w, UI_EL_DIM, flags);
		draw_logs(d, ui, y + 1, x, h - 1, w);
		return;
	}
	if (d->tab == UI_TAB_STATS) {
		draw_stats(d, ui, c, y, x, h, w);
		return;
	}
	/* Text tabs. */
	int n = (int)d->text.n;
	if (d->ttop > n - h)
		d->ttop = n - h;
	if (d->ttop < 0)
		d->ttop = 0;
	for (int i = 0; i < h && d->ttop + i < n; i++) {
		const char *l = d->text.v[d->ttop + i];
		enum ui_element el = !strncmp(l, "## ", 3)                        ? UI_EL_TITLE
		                     : (d->tab == UI_TAB_TOP && d->ttop + i == 0) ? UI_EL_COLUMNS
		                     : strstr(l, "SHARED with the host")          ? UI_EL_PAUSED
		                                                                  : UI_EL_NORMAL;
		ui_put(ui, y + i, x, w, el, !strncmp(l, "## ", 3) ? l + 3 : l);
	}
}

static int detail_handle(struct panel *p, struct ui *ui, enum ui_action a)
{
	struct detail *d = (struct detail *)p;
	struct ui_ctr *c = cur(d, ui);
	int page = d->h > 1 ? d->h - 1 : 1;

	switch (a) {
	case A_BACK:
		ui_pop(ui);
		return UI_REDRAW;
	case A_TAB_NEXT:
	case A_TAB_PREV:
		d->tab = (d->tab + (a == A_TAB_NEXT ? 1 : UI_TAB__COUNT - 1)) % UI_TAB__COUNT;
		d->ttop = 0;
		d->inspect_loaded = 0;
		refresh_tab(d, ui);
		return UI_REDRAW;
	case A_UP:
	case A_DOWN:
	case A_PGUP:
	case A_PGDOWN:
	case A_HOME:
	case A_END: {
		int delta = a == A_UP ? -1 : a == A_DOWN ? 1 : a == A_PGUP ? -page : page;
		if (d->tab == UI_TAB_LOGS) {
			d->follow = a == A_END;
			if (a == A_HOME)
				d->ltop = 0;
			else if (a == A_END)
				logs_to_end(d);
			else
				d->ltop += delta;
			if (d->ltop < 0)
				d->ltop = 0;
			if (d->ltop >= (int)d->logs.n && a != A_END)
				d->ltop = (int)d->logs.n ? (int)d->logs.n - 1 : 0;
		} else {
			d->ttop = a == A_HOME ? 0 : a == A_END ? 1 << 30 : d->ttop + delta;
		}
		return UI_REDRAW;
	}
	case A_FOLLOW:
		d->follow = !d->follow;
		if (d->follow)
			logs_to_end(d);
		return UI_REDRAW;
	case A_TIMESTAMPS:
		d->timestamps = !d->timestamps;
		return UI_REDRAW;
	case A_WRAP:
		d->wrap = !d->wrap;
		return UI_REDRAW;
	case A_SEARCH:
		ui_prompt_open(ui, UI_PROMPT_SEARCH, d->search);
		return UI_REDRAW;
	case A_SEARCH_NEXT:
	case A_SEARCH_PREV:
		logs_find(d, ui, a == A_SEARCH_NEXT ? 1 : -1, false);
		return UI_REDRAW;
	case A_LOGS:
		d->tab = UI_TAB_LOGS;
		d->follow = true;
		refresh_tab(d, ui);
		logs_to_end(d);
		return UI_REDRAW;
	case A_START:
	case A_STOP:
	case A_RESTART:
	case A_KILL:
	case A_PAUSE:
	case A_UNPAUSE:
		return c ? ui_ctr_action(ui, a, c, false) : UI_NOTHING;
	case A_EXEC:
		return c ? ui_exec_shell(ui, c) : UI_NOTHING;
	default:
		return -1;
	}
}

static int detail_input(struct panel *p, struct ui *ui, enum ui_prompt_kind k, const char *text)
{
	struct detail *d = (struct detail *)p;
	snprintf(d->search, sizeof d->search, "%s", text);
	logs_find(d, ui, 1, true);
	return UI_REDRAW;
}

static unsigned detail_context(struct panel *p)
{
	struct detail *d = (struct detail *)p;
	return UI_CTX_DETAIL | (d->tab == UI_TAB_LOGS ? UI_CTX_LOGS : 0);
}

static void detail_destroy(struct panel *p)
{
	struct detail *d = (struct detail *)p;
	if (d->logs_open)
		ui_logtail_free(&d->logs);
	strv_release(&d->text);
	free(d->prev);
	free(d);
}

static const struct panel_class detail_class = {
    .name = "detail",
    .draw = detail_draw,
    .handle = detail_handle,
    .input = detail_input,
    .tick = detail_tick,
    .context = detail_context,
    .destroy = detail_destroy,
};

struct panel *ui_detail_new(struct ui *ui, const char *id, int tab)
{
	struct detail *d = xcalloc(1, sizeof *d);
	d->base.cls = &detail_class;
	snprintf(d->id, sizeof d->id, "%s", id);
	d->tab = tab;
	d->follow = true;
	d->h = 1;
	strv_init(&d->text);
	return &d->base;
}
