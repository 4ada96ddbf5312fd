/*
 * panel_ctrs.c - the container list, the dashboard's default view: one row
 * per container with live CPU, memory, pids and a CPU sparkline; sort by
 * any column, filter, mark rows for bulk actions.
 */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "ui.h"

struct ctrs {
	struct panel base;
	int cursor, top, h;
	char sel_id[65]; /* the cursor follows a container, not a row number */
};

struct col {
	enum ui_col id; /* UI_COL__COUNT for the sparkline */
	const char *title;
	int w;
	bool right;
	bool on;
};

static struct ui_ctr *row_ctr(struct ui *ui, int row)
{
	if (row < 0 || (size_t)row >= ui->view.n)
		return NULL;
	return ui->model.c[ui->view.rows[row]];
}

/* Keep the cursor on the same container after a rebuild. */
static void follow_selection(struct ctrs *cp, struct ui *ui)
{
	if (cp->sel_id[0])
		for (size_t i = 0; i < ui->view.n; i++)
			if (!strcmp(row_ctr(ui, (int)i)->id, cp->sel_id)) {
				cp->cursor = (int)i;
				break;
			}
	ui_scroll_fix(&cp->cursor, &cp->top, (int)ui->view.n, cp->h);
	struct ui_ctr *c = row_ctr(ui, cp->cursor);
	snprintf(cp->sel_id, sizeof cp->sel_id, "%s", c ? c->id : "");
}

static void layout(struct col *cols, int ncols, int w)
{
	int total = 0, flex = 0;
	static const enum ui_col drop[] = {UI_COL_ID, UI_COL_UPTIME, UI_COL__COUNT, UI_COL_PIDS};

	for (int i = 0; i < ncols; i++)
		cols[i].on = true;
	for (size_t d = 0;; d++) {
		total = 2; /* mark column */
		for (int i = 0; i < ncols; i++)
			if (cols[i].on)
				total += cols[i].w + 1;
		/* NAME and IMAGE need at least 8 more columns each. */
		if (total + 16 <= w || d >= CTR_ARRAY_SIZE(drop))
			break;
		for (int i = 0; i < ncols; i++)
			if (cols[i].id == drop[d])
				cols[i].on = false;
	}
	flex = w - total;
	if (flex < 0)
		flex = 0;
	for (int i = 0; i < ncols; i++) {
		if (cols[i].id == UI_COL_NAME)
			cols[i].w += flex * 45 / 100;
		else if (cols[i].id == UI_COL_IMAGE)
			cols[i].w += flex - flex * 45 / 100;
	}
}

static void cell(struct ui *ui, const struct ui_ctr *c, enum ui_col id, char *buf, size_t len,
                 enum ui_element *el)
{
	bool up = ui_ctr_running(c);
	*el = UI_EL_NORMAL;
	switch (id) {
	case UI_COL_ID:
		snprintf(buf, len, "%.12s", c->id);
		*el = UI_EL_DIM;
		break;
	case UI_COL_NAME:
		snprintf(buf, len, "%s", c->name ? c->name : "");
		break;
	case UI_COL_IMAGE:
		snprintf(buf, len, "%s", c->image ? c->image : "");
		break;
	case UI_COL_STATUS:
		ui_fmt_status(buf, len, c->state, c->exit_code, c->started_s, c->finished_s,
		              ui->model.now_s);
		*el = !up                           ? UI_EL_STOPPED
		      : !strcmp(c->state, "paused") ? UI_EL_PAUSED
		                                    : UI_EL_RUNNING;
		break;
	case UI_COL_CPU:
		if (up && c->has_stats) {
			ui_fmt_percent(buf, len, c->cpu_pct);
			*el = ui_cpu_element(c->cpu_pct);
		} else {
			snprintf(buf, len, "%s", up ? "..." : "");
		}
		break;
	case UI_COL_MEM:
		if (up && c->has_stats)
			ui_fmt_size(buf, len, c->mem);
		else
			snprintf(buf, len, "%s", up ? "..." : "");
		break;
	case UI_COL_PIDS:
		if (up && c->has_stats)
			snprintf(buf, len, "%llu", (unsigned long long)c->pids);
		else
			buf[0] = '\0';
		break;
	case UI_COL_UPTIME:
		if (up)
			ui_fmt_uptime(buf, len, ui->model.now_s - c->started_s);
		else
			buf[0] = '\0';
		break;
	default:
		buf[0] = '\0';
	}
}

static void ctrs_draw(struct panel *p, struct ui *ui, int y, int x, int h, int w)
{
	struct ctrs *cp = (struct ctrs *)p;
	struct col cols[] = {
	    {UI_COL_ID, "ID", 12, false, true},
	    {UI_COL_NAME, "NAME", 8, false, true},
	    {UI_COL_IMAGE, "IMAGE", 8, false, true},
	    {UI_COL_STATUS, "STATUS", 26, false, true},
	    {UI_COL_CPU, "CPU%", 6, true, true},
	    {UI_COL_MEM, "MEM", 9, true, true},
	    {UI_COL_PIDS, "PIDS", 5, true, true},
	    {UI_COL__COUNT, "CPU HISTORY", 12, false, true},
	    {UI_COL_UPTIME, "UPTIME", 7, true, true},
	};
	int ncols = (int)CTR_ARRAY_SIZE(cols);
	char buf[512];

	cp->h = h - 1;
	/* Narrow terminals: a shorter STATUS ("Exited (0) 2 hou…") keeps PIDS. */
	if (w < 100)
		for (int i = 0; i < ncols; i++)
			if (cols[i].id == UI_COL_STATUS)
				cols[i].w = 20;
	layout(cols, ncols, w);
	follow_selection(cp, ui);

	ui_fill(y, x, w, UI_EL_COLUMNS);
	int cx = x + 2;
	for (int i = 0; i < ncols; i++) {
		if (!cols[i].on)
			continue;
		bool sorted = cols[i].id == ui->view.sort;
		snprintf(buf, sizeof buf, "%s%s", cols[i].title,
		         !sorted          ? ""
		         : ui->opts.ascii ? (ui->view.reverse ? "^" : "v")
		                          : (ui->view.reverse ? "\u25b2" : "\u25bc"));
		if (cols[i].right)
			ui_put_right(ui, y, cx, cols[i].w,
			             sorted ? UI_EL_SORT_COLUMN : UI_EL_COLUMNS, buf);
		else
			ui_put(ui, y, cx, cols[i].w, sorted ? UI_EL_SORT_COLUMN : UI_EL_COLUMNS,
			       buf);
		cx += cols[i].w + 1;
	}

	if (ui->view.n == 0) {
		const char *msg =
		    ui->model.nc == 0
		        ? "No containers. Press : and type  run -d --name web IMAGE CMD"
		    : ui->view.filter[0] ? "No container matches the filter (/ to change it)."
		                         : "No running containers (a shows stopped ones too).";
		ui_put(ui, y + 2, x + 2, w - 4, UI_EL_DIM, msg);
		return;
	}
	for (int r = 0; r < cp->h; r++) {
		int row = cp->top + r;
		struct ui_ctr *c = row_ctr(ui, row);
		int ry = y + 1 + r;
		if (!c)
			break;
		bool sel = row == cp->cursor;
		enum ui_element base = sel         ? UI_EL_SELECTED
		                       : c->marked ? UI_EL_MARKED
		                                   : UI_EL_NORMAL;
		ui_fill(ry, x, w, base);
		ui_put(ui, ry, x, 2, base, c->marked ? (ui->opts.ascii ? "*" : "\u25cf") : "");
		cx = x + 2;
		for (int i = 0; i < ncols; i++) {
			enum ui_element el;
			if (!cols[i].on)
				continue;
			if (cols[i].id == UI_COL__COUNT) {
				/* A stopped container has no live history to show. */
				if (ui_ctr_running(c))
					ui_sparkline(buf, sizeof buf, c->h_cpu.v, c->h_cpu.n,
					             (size_t)cols[i].w, 100.0, ui->opts.ascii);
				else
					buf[0] = '\0';
				el = UI_EL_SPARK;
			} else {
				cell(ui, c, cols[i].id, buf, sizeof buf, &el);
			}
			if (sel || c->marked)
				el = base;
			if (cols[i].right)
				ui_put_right(ui, ry, cx, cols[i].w, el, buf);
			else
				ui_put(ui, ry, cx, cols[i].w, el, buf);
			cx += cols[i].w + 1;
		}
	}
}

static int ctrs_handle(struct panel *p, struct ui *ui, enum ui_action a)
{
	struct ctrs *cp = (struct ctrs *)p;
	struct ui_ctr *c = row_ctr(ui, cp->cursor);

	if (ui_nav(a, &cp->cursor, (int)ui->view.n, cp->h)) {
		c = row_ctr(ui, cp->cursor);
		snprintf(cp->sel_id, sizeof cp->sel_id, "%s", c ? c->id : "");
		return UI_REDRAW;
	}
	switch (a) {
	case A_FILTER:
		ui_prompt_open(ui, UI_PROMPT_FILTER, ui->view.filter);
		return UI_REDRAW;
	case A_SORT_NEXT:
	case A_SORT_PREV:
		ui->view.sort = (enum ui_col)(
		    (ui->view.sort + (a == A_SORT_NEXT ? 1 : UI_COL__COUNT - 1)) % UI_COL__COUNT);
		ui_status(ui, false, "sorted by %s", ui_col_name(ui->view.sort));
		ui_view_build(&ui->model, &ui->view);
		return UI_REDRAW;
	case A_SORT_REVERSE:
		ui->view.reverse = !ui->view.reverse;
		ui_view_build(&ui->model, &ui->view);
		return UI_REDRAW;
	case A_SHOW_ALL:
		ui->view.show_all = !ui->view.show_all;
		ui_status(ui, false, "%s",
		          ui->view.show_all ? "showing all containers (containr ps -a)"
		                            : "showing running containers (containr ps)");
		ui_view_build(&ui->model, &ui->view);
		return UI_REDRAW;
	case A_MARK:
		if (c) {
			c->marked = !c->marked;
			ui_nav(A_DOWN, &cp->cursor, (int)ui->view.n, cp->h);
			c = row_ctr(ui, cp->cursor);
			snprintf(cp->sel_id, sizeof cp->sel_id, "%s", c ? c->id : "");
		}
		return UI_REDRAW;
	case A_UNMARK_ALL:
		for (size_t i = 0; i < ui->model.nc; i++)
			ui->model.c[i]->marked = false;
		return UI_REDRAW;
	case A_OPEN:
	case A_LOGS:
	case A_INSPECT:
		if (!c)
			return UI_NOTHING;
		ui_push(ui,
		        ui_detail_new(ui, c->id, a == A_INSPECT ? UI_TAB_INSPECT : UI_TAB_LOGS));
		return UI_REDRAW;
	case A_START:
	case A_STOP:
	case A_RESTART:
	case A_KILL:
	case A_PAUSE:
	case A_UNPAUSE:
	case A_REMOVE:
		return ui_ctr_action(ui, a, c, true);
	case A_EXEC:
		return c ? ui_exec_shell(ui, c) : UI_NOTHING;
	default:
		return -1;
	}
}

static int ctrs_input(struct panel *p, struct ui *ui, enum ui_prompt_kind k, const char *text)
{
	snprintf(ui->view.filter, sizeof ui->view.filter, "%s", text);
	ui_view_build(&ui->model, &ui->view);
	if (text[0])
		ui_status(ui, false, "filter \"%s\": %zu of %zu containers", text, ui->view.n,
		          ui->model.nc);
	return UI_REDRAW;
}

static int ctrs_click(struct panel *p, struct ui *ui, int row)
{
	struct ctrs *cp = (struct ctrs *)p;
	if (row < 1)
		return UI_NOTHING;
	cp->cursor = cp->top + row - 1;
	ui_scroll_fix(&cp->cursor, &cp->top, (int)ui->view.n, cp->h);
	struct ui_ctr *c = row_ctr(ui, cp->cursor);
	snprintf(cp->sel_id, sizeof cp->sel_id, "%s", c ? c->id : "");
	return UI_REDRAW;
}

static unsigned ctrs_context(struct panel *p)
{
	return UI_CTX_LIST | UI_CTX_CONTAINERS;
}

static void ctrs_destroy(struct panel *p)
{
	free(p);
}

static const struct panel_class ctrs_class = {
    .name = "containers",
    .draw = ctrs_draw,
    .handle = ctrs_handle,
    .click = ctrs_click,
    .input = ctrs_input,
    .context = ctrs_context,
    .destroy = ctrs_destroy,
};

struct panel *ui_ctrs_new(struct ui *ui)
{
	struct ctrs *cp = xcalloc(1, sizeof *cp);
	cp->base.cls = &ctrs_class;
	cp->h = 1;
	return &cp->base;
}
