/*
 * tab_stats.c - the detail panel's Stats tab: CPU, memory, network and
 * block I/O of a running container, each with a history graph drawn from
 * the model's rings (model.c samples; nothing is read here).
 */
#include <curses.h>
#include <stdio.h>

#include "detail.h"
#include "format.h"

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

static void stats_draw(struct detail *d, struct ui *ui, struct ui_ctr *c, int y, int x, int h,
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

/* Nothing scrolls here; the keys still move the (unused) text offset, as
 * they always have, rather than falling through to the list below. */
static int stats_handle(struct detail *d, struct ui *ui, enum ui_action a)
{
	(void)ui;
	return detail_scroll_text(d, a);
}

const struct detail_tab detail_tab_stats = {
    .name = "Stats",
    .draw = stats_draw,
    .handle = stats_handle,
};
