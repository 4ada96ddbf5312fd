/*
 * detail.h - the container detail panel and its tabs (internal to ui/).
 *
 * The panel (panel_detail.c) owns the tab strip, the title line and the
 * actions every tab shares (back, tab switching, container actions); each
 * tab is one file (tab_logs.c, tab_stats.c, tab_top.c, tab_inspect.c,
 * tab_internals.c) exporting one `struct detail_tab`, the way htop keeps
 * one file per screen behind a small vtable.  The panel keeps the state of
 * all tabs in one struct, grouped per tab, so switching tabs loses nothing.
 */
#ifndef CONTAINR_UI_DETAIL_H
#define CONTAINR_UI_DETAIL_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "logtail.h"
#include "ui.h"

struct detail_topprev {
	pid_t pid;
	uint64_t ticks;
};

struct detail {
	struct panel base;
	char id[65];
	int tab;
	int h, w;
	/* Logs tab */
	struct ui_logtail logs;
	bool logs_open, follow, timestamps, wrap;
	int ltop; /* first log line shown */
	char search[128];
	/* text tabs (Top, Inspect, Internals): lines and scroll */
	struct strv text;
	int ttop;
	int64_t inspect_loaded;
	/* Top tab: previous tick counts for CPU % */
	struct detail_topprev *prev;
	size_t nprev;
	int64_t prev_ns;
};

/*
 * One tab.  Every callback but draw is optional.  `c` is the container as
 * the model has it now, never NULL (the panel handles a vanished container).
 */
struct detail_tab {
	const char *name;
	/* An action that jumps straight to this tab from any tab (A_NONE: none);
	 * the tab's handle() then gets the same action. */
	enum ui_action key;
	/* Key contexts (enum ui_ctx) active while this tab shows. */
	unsigned ctx;
	/* The tab becomes the current one. */
	void (*enter)(struct detail *d, struct ui *ui);
	/* After each model refresh while current (and right after enter). */
	void (*refresh)(struct detail *d, struct ui *ui, struct ui_ctr *c);
	/* Paint into (y, x, h, w), below the tab strip. */
	void (*draw)(struct detail *d, struct ui *ui, struct ui_ctr *c, int y, int x, int h, int w);
	/* Reaction flags, or -1 when the panel's shared handler should act. */
	int (*handle)(struct detail *d, struct ui *ui, enum ui_action a);
	/* Text typed in the search prompt. */
	int (*input)(struct detail *d, struct ui *ui, const char *text);
	/* Free what the tab holds in `d` (the panel is being destroyed). */
	void (*destroy)(struct detail *d);
};

extern const struct detail_tab detail_tab_logs, detail_tab_stats, detail_tab_top,
    detail_tab_inspect, detail_tab_internals;

/* Text tabs: replace d->text by `text` cut at newlines (tabs become spaces). */
void detail_set_text(struct detail *d, const char *text);
/* Text tabs: draw d->text from d->ttop; `header` paints line 0 as column names. */
void detail_draw_text(struct detail *d, struct ui *ui, int y, int x, int h, int w, bool header);
/* Text tabs: scroll d->text for Up/Down/PgUp/PgDown/Home/End; -1 for other actions. */
int detail_scroll_text(struct detail *d, enum ui_action a);

#endif
