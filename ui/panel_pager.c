/*
 * panel_pager.c - a scrollable text pane: help, command output, inspect
 * JSON of images and volumes.  Esc goes back; '/' searches, n/N move
 * between matches.
 */
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "ui.h"

struct pager {
	struct panel base;
	char *title;
	struct strv lines;
	int top, h;
	char search[128];
};

static void pager_draw(struct panel *p, struct ui *ui, int y, int x, int h, int w)
{
	struct pager *pg = (struct pager *)p;
	char info[64];

	pg->h = h - 1;
	ui_scroll_fix(&pg->top, &pg->top, (int)pg->lines.n, 1);
	if (pg->top > (int)pg->lines.n - pg->h)
		pg->top = (int)pg->lines.n - pg->h;
	if (pg->top < 0)
		pg->top = 0;
	snprintf(info, sizeof info, "%d-%d/%zu  Esc back", pg->top + 1,
	         pg->top + pg->h < (int)pg->lines.n ? pg->top + pg->h : (int)pg->lines.n,
	         pg->lines.n);
	ui_fill(y, x, w, UI_EL_COLUMNS);
	ui_put(ui, y, x + 1, w - 1 - (int)strlen(info) - 1, UI_EL_COLUMNS, pg->title);
	ui_put_right(ui, y, x + w - (int)strlen(info) - 1, (int)strlen(info), UI_EL_COLUMNS, info);
	for (int i = 0; i < pg->h; i++) {
		int li = pg->top + i;
		const char *l = li < (int)pg->lines.n ? pg->lines.v[li] : "";
		bool hit = pg->search[0] && ui_contains_ci(l, pg->search);
		ui_put(ui, y + 1 + i, x, w, hit ? UI_EL_MATCH : UI_EL_NORMAL, l);
	}
}

static void find(struct pager *pg, struct ui *ui, int dir, bool from_current)
{
	int n = (int)pg->lines.n;
	if (!pg->search[0])
		return;
	for (int k = from_current ? 0 : 1; k <= n; k++) {
		int i = ((pg->top + dir * k) % n + n) % n;
		if (ui_contains_ci(pg->lines.v[i], pg->search)) {
			pg->top = i;
			return;
		}
	}
	ui_status(ui, true, "not found: %s", pg->search);
}

static int pager_handle(struct panel *p, struct ui *ui, enum ui_action a)
{
	struct pager *pg = (struct pager *)p;
	int n = (int)pg->lines.n;
	int last = n - pg->h > 0 ? n - pg->h : 0;

	switch (a) {
	case A_UP:
	case A_DOWN:
	case A_PGUP:
	case A_PGDOWN:
	case A_HOME:
	case A_END: {
		int step = a == A_UP ? -1 : a == A_DOWN ? 1 : a == A_PGUP ? -pg->h : pg->h;
		if (a == A_HOME)
			pg->top = 0;
		else if (a == A_END)
			pg->top = last;
		else
			pg->top += step;
		if (pg->top > last)
			pg->top = last;
		if (pg->top < 0)
			pg->top = 0;
		return UI_REDRAW;
	}
	case A_BACK:
		ui_pop(ui);
		return UI_REDRAW;
	case A_SEARCH:
		ui_prompt_open(ui, UI_PROMPT_SEARCH, pg->search);
		return UI_REDRAW;
	case A_SEARCH_NEXT:
	case A_SEARCH_PREV:
		find(pg, ui, a == A_SEARCH_NEXT ? 1 : -1, false);
		return UI_REDRAW;
	default:
		return -1;
	}
}

static int pager_input(struct panel *p, struct ui *ui, enum ui_prompt_kind k, const char *text)
{
	struct pager *pg = (struct pager *)p;
	snprintf(pg->search, sizeof pg->search, "%s", text);
	find(pg, ui, 1, true);
	return UI_REDRAW;
}

static unsigned pager_context(struct panel *p)
{
	return UI_CTX_PAGER;
}

static void pager_destroy(struct panel *p)
{
	struct pager *pg = (struct pager *)p;
	free(pg->title);
	strv_release(&pg->lines);
	free(pg);
}

static const struct panel_class pager_class = {
    .name = "pager",
    .draw = pager_draw,
    .handle = pager_handle,
    .input = pager_input,
    .context = pager_context,
    .destroy = pager_destroy,
};

struct panel *ui_pager_new(const char *title, const char *text, bool tail)
{
	struct pager *pg = xcalloc(1, sizeof *pg);
	pg->base.cls = &pager_class;
	pg->title = xstrdup(title);
	strv_init(&pg->lines);
	for (const char *l = text ? text : ""; *l;) {
		const char *nl = strchr(l, '\n');
		size_t len = nl ? (size_t)(nl - l) : strlen(l);
		char *line = xstrndup(l, len);
		/* Tabs would break the column arithmetic: expand to spaces. */
		for (char *t = line; *t; t++)
			if (*t == '\t' || *t == '\r')
				*t = ' ';
		strv_push_owned(&pg->lines, line);
		l = nl ? nl + 1 : l + len;
	}
	if (tail)
		pg->top = 1 << 30; /* clamped at the first draw */
	pg->h = 1;
	return &pg->base;
}
