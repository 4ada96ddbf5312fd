/*
 * tab_logs.c - the detail panel's Logs tab: the container's ctr.log read
 * incrementally (logtail.c), with follow, timestamps, wrap and search.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "containr/store.h"
#include "detail.h"
#include "format.h"

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

static void draw_lines(struct detail *d, struct ui *ui, int y, int x, int h, int w)
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

static void logs_refresh(struct detail *d, struct ui *ui, struct ui_ctr *c)
{
	(void)c;
	logs_open(d, ui);
	if (ui_logtail_poll(&d->logs) > 0 && d->follow)
		logs_to_end(d);
}

static void logs_draw(struct detail *d, struct ui *ui, struct ui_ctr *c, int y, int x, int h, int w)
{
	char flags[256];
	(void)c;
	snprintf(flags, sizeof flags, " follow:%s  timestamps:%s  wrap:%s%s%s   (f t w / n N End)",
	         d->follow ? "on" : "off", d->timestamps ? "on" : "off", d->wrap ? "on" : "off",
	         d->search[0] ? "  search:" : "", d->search);
	ui_put(ui, y, x, w, UI_EL_DIM, flags);
	draw_lines(d, ui, y + 1, x, h - 1, w);
}

static int logs_handle(struct detail *d, struct ui *ui, enum ui_action a)
{
	int page = d->h > 1 ? d->h - 1 : 1;

	switch (a) {
	case A_UP:
	case A_DOWN:
	case A_PGUP:
	case A_PGDOWN:
	case A_HOME:
	case A_END: {
		int delta = a == A_UP ? -1 : a == A_DOWN ? 1 : a == A_PGUP ? -page : page;
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
	case A_LOGS: /* `l`: jump here following (the panel switched tabs already) */
		d->follow = true;
		logs_to_end(d);
		return UI_REDRAW;
	default:
		return -1;
	}
}

static int logs_input(struct detail *d, struct ui *ui, const char *text)
{
	snprintf(d->search, sizeof d->search, "%s", text);
	logs_find(d, ui, 1, true);
	return UI_REDRAW;
}

static void logs_destroy(struct detail *d)
{
	if (d->logs_open)
		ui_logtail_free(&d->logs);
}

const struct detail_tab detail_tab_logs = {
    .name = "Logs",
    .key = A_LOGS,
    .ctx = UI_CTX_LOGS,
    .refresh = logs_refresh,
    .draw = logs_draw,
    .handle = logs_handle,
    .input = logs_input,
    .destroy = logs_destroy,
};
