/*
 * panel_detail.c - one container, five tabs: Logs, Stats, Top, Inspect and
 * Internals.  This file is the panel: the tab strip and title line, tab
 * switching, the actions every tab shares (back, start/stop/kill..., exec)
 * and the text-tab helpers.  Each tab is its own file behind
 * `struct detail_tab` (detail.h); the table below orders them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "detail.h"
#include "format.h"

/* Indexed by UI_TAB_* (ui.h). */
static const struct detail_tab *const tabs[UI_TAB__COUNT] = {
    [UI_TAB_LOGS] = &detail_tab_logs,
    [UI_TAB_STATS] = &detail_tab_stats,
    [UI_TAB_TOP] = &detail_tab_top,
    [UI_TAB_INSPECT] = &detail_tab_inspect,
    [UI_TAB_INTERNALS] = &detail_tab_internals,
};

static struct ui_ctr *cur(struct detail *d, struct ui *ui)
{
	return ui_model_find(&ui->model, d->id);
}

/* ---- text tabs (Top, Inspect, Internals) -------------------------------- */

void detail_set_text(struct detail *d, const char *text)
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

void detail_draw_text(struct detail *d, struct ui *ui, int y, int x, int h, int w, bool header)
{
	int n = (int)d->text.n;
	if (d->ttop > n - h)
		d->ttop = n - h;
	if (d->ttop < 0)
		d->ttop = 0;
	for (int i = 0; i < h && d->ttop + i < n; i++) {
		const char *l = d->text.v[d->ttop + i];
		enum ui_element el = !strncmp(l, "## ", 3)               ? UI_EL_TITLE
		                     : (header && d->ttop + i == 0)      ? UI_EL_COLUMNS
		                     : strstr(l, "SHARED with the host") ? UI_EL_PAUSED
		                                                         : UI_EL_NORMAL;
		ui_put(ui, y + i, x, w, el, !strncmp(l, "## ", 3) ? l + 3 : l);
	}
}

int detail_scroll_text(struct detail *d, enum ui_action a)
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
		d->ttop = a == A_HOME ? 0 : a == A_END ? 1 << 30 : d->ttop + delta;
		return UI_REDRAW;
	}
	default:
		return -1;
	}
}

/* ---- the panel --------------------------------------------------------- */

static void refresh_tab(struct detail *d, struct ui *ui)
{
	struct ui_ctr *c = cur(d, ui);
	if (c && tabs[d->tab]->refresh)
		tabs[d->tab]->refresh(d, ui, c);
}

static void switch_tab(struct detail *d, struct ui *ui, int tab)
{
	d->tab = tab;
	d->ttop = 0;
	if (tabs[tab]->enter)
		tabs[tab]->enter(d, ui);
	refresh_tab(d, ui);
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
		snprintf(b, sizeof b, " %s ", tabs[i]->name);
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
	d->h = h - 2;
	tabs[d->tab]->draw(d, ui, c, y + 1, x, h - 1, w);
}

static int detail_handle(struct panel *p, struct ui *ui, enum ui_action a)
{
	struct detail *d = (struct detail *)p;
	struct ui_ctr *c = cur(d, ui);

	switch (a) {
	case A_BACK:
		ui_pop(ui);
		return UI_REDRAW;
	case A_TAB_NEXT:
	case A_TAB_PREV:
		switch_tab(d, ui,
		           (d->tab + (a == A_TAB_NEXT ? 1 : UI_TAB__COUNT - 1)) % UI_TAB__COUNT);
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
		break;
	}
	/* An action that jumps to a tab (`l`: Logs, following). */
	for (int i = 0; i < UI_TAB__COUNT; i++)
		if (tabs[i]->key != A_NONE && tabs[i]->key == a) {
			d->tab = i;
			refresh_tab(d, ui);
			break;
		}
	return tabs[d->tab]->handle ? tabs[d->tab]->handle(d, ui, a) : -1;
}

static int detail_input(struct panel *p, struct ui *ui, enum ui_prompt_kind k, const char *text)
{
	struct detail *d = (struct detail *)p;
	(void)k;
	/* Only the Logs tab opens the search prompt; it keeps the pattern. */
	return detail_tab_logs.input(d, ui, text);
}

static unsigned detail_context(struct panel *p)
{
	struct detail *d = (struct detail *)p;
	return UI_CTX_DETAIL | tabs[d->tab]->ctx;
}

static void detail_destroy(struct panel *p)
{
	struct detail *d = (struct detail *)p;
	for (int i = 0; i < UI_TAB__COUNT; i++)
		if (tabs[i]->destroy)
			tabs[i]->destroy(d);
	strv_release(&d->text);
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
	(void)ui;
	d->base.cls = &detail_class;
	snprintf(d->id, sizeof d->id, "%s", id);
	d->tab = tab;
	d->follow = true;
	d->h = 1;
	strv_init(&d->text);
	return &d->base;
}
