/*
 * tab_inspect.c - the detail panel's Inspect tab: the `inspect` command's
 * JSON, run through the command table (reloaded every 5 s).
 */
#include <stdlib.h>

#include "detail.h"

static void inspect_enter(struct detail *d, struct ui *ui)
{
	(void)ui;
	d->inspect_loaded = 0; /* reload on entering the tab */
}

static void inspect_refresh(struct detail *d, struct ui *ui, struct ui_ctr *c)
{
	(void)c;
	/* The JSON changes little: reload every 5 s, or on entering the tab. */
	if (ctr_mono_ns() - d->inspect_loaded <= 5000000000LL)
		return;
	cleanup_free char *out = NULL, *errtext = NULL;
	char *cmd = xasprintf("inspect %s", d->id);
	int rc = ui_run_cli_quiet(ui, cmd, &out, &errtext);
	free(cmd);
	detail_set_text(d, rc == 0 ? out : errtext);
	d->inspect_loaded = ctr_mono_ns();
}

static void inspect_draw(struct detail *d, struct ui *ui, struct ui_ctr *c, int y, int x, int h,
                         int w)
{
	(void)c;
	detail_draw_text(d, ui, y, x, h, w, false);
}

static int inspect_handle(struct detail *d, struct ui *ui, enum ui_action a)
{
	(void)ui;
	return detail_scroll_text(d, a);
}

const struct detail_tab detail_tab_inspect = {
    .name = "Inspect",
    .enter = inspect_enter,
    .refresh = inspect_refresh,
    .draw = inspect_draw,
    .handle = inspect_handle,
};
