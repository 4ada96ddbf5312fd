/*
 * panel_storage.c - the Images and Volumes browsers: size, which
 * containers use each, inspect, remove (confirmed), pull / create through
 * the ':' prompt.  One panel type, two data sources.
 */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "ui.h"

struct storage {
	struct panel base;
	bool volumes;
	int cursor, top, h;
	char filter[128];
	size_t *rows;
	size_t n;
};

static const char *row_name(struct ui *ui, struct storage *sp, size_t i)
{
	return sp->volumes ? ui->model.vol[i]->name : ui->model.img[i]->ref;
}

static bool *row_mark(struct ui *ui, struct storage *sp, size_t i)
{
	return sp->volumes ? &ui->model.vol[i]->marked : &ui->model.img[i]->marked;
}

static void build(struct storage *sp, struct ui *ui)
{
	size_t total = sp->volumes ? ui->model.nvol : ui->model.nimg;
	free(sp->rows);
	sp->rows = xcalloc(total ? total : 1, sizeof *sp->rows);
	sp->n = 0;
	for (size_t i = 0; i < total; i++) {
		const char *fields[3];
		if (sp->volumes) {
			fields[0] = ui->model.vol[i]->name;
			fields[1] = ui->model.vol[i]->driver;
			fields[2] = ui->model.vol[i]->mountpoint;
		} else {
			fields[0] = ui->model.img[i]->ref;
			fields[1] = ui->model.img[i]->id;
			fields[2] = NULL;
		}
		if (ui_filter_match(sp->filter, fields, fields[2] ? 3 : 2))
			sp->rows[sp->n++] = i;
	}
	ui_scroll_fix(&sp->cursor, &sp->top, (int)sp->n, sp->h);
}

static void users_text(const struct strv *u, char *buf, size_t len)
{
	size_t o = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < u->n && o + 1 < len; i++) {
		o += (size_t)snprintf(buf + o, len - o, "%s%s", i ? ", " : "", u->v[i]);
		if (o >= len)
			o = len - 1;
	}
	if (!u->n)
		snprintf(buf, len, "-");
}

static void storage_draw(struct panel *p, struct ui *ui, int y, int x, int h, int w)
{
	struct storage *sp = (struct storage *)p;
	char buf[512], size[32], when[64], users[256];
	int c1 = w * 35 / 100, c2 = sp->volumes ? 8 : 13, c3 = 9, c4 = sp->volumes ? 0 : 14;
	int c5 = w - 2 - c1 - c2 - c3 - c4 - 5;

	sp->h = h - 1;
	build(sp, ui);
	ui_fill(y, x, w, UI_EL_COLUMNS);
	int cx = x + 2;
	ui_put(ui, y, cx, c1, UI_EL_COLUMNS, sp->volumes ? "VOLUME NAME" : "REPOSITORY:TAG");
	cx += c1 + 1;
	ui_put(ui, y, cx, c2, UI_EL_COLUMNS, sp->volumes ? "DRIVER" : "IMAGE ID");
	cx += c2 + 1;
	ui_put_right(ui, y, cx, c3, UI_EL_COLUMNS, "SIZE");
	cx += c3 + 1;
	if (c4) {
		ui_put(ui, y, cx, c4, UI_EL_COLUMNS, "CREATED");
		cx += c4 + 1;
	}
	ui_put(ui, y, cx, c5, UI_EL_COLUMNS, "USED BY");

	if (sp->n == 0) {
		ui_put(ui, y + 2, x + 2, w - 4, UI_EL_DIM,
		       sp->filter[0] ? "Nothing matches the filter (/ to change it)."
		       : sp->volumes ? "No volumes. Press c (or :volume create NAME) to create one."
		                     : "No images. Press p (or :pull IMAGE) to pull one.");
		return;
	}
	for (int r = 0; r < sp->h && sp->top + r < (int)sp->n; r++) {
		size_t i = sp->rows[sp->top + r];
		int ry = y + 1 + r;
		bool sel = sp->top + r == sp->cursor, marked = *row_mark(ui, sp, i);
		enum ui_element el = sel ? UI_EL_SELECTED : marked ? UI_EL_MARKED : UI_EL_NORMAL;
		ui_fill(ry, x, w, el);
		ui_put(ui, ry, x, 2, el, marked ? (ui->opts.ascii ? "*" : "\u25cf") : "");
		cx = x + 2;
		if (sp->volumes) {
			const struct ui_volume *v = ui->model.vol[i];
			ui_put(ui, ry, cx, c1, el, v->name);
			cx += c1 + 1;
			ui_put(ui, ry, cx, c2, el, v->driver ? v->driver : "local");
			cx += c2 + 1;
			ui_fmt_size(size, sizeof size, v->size);
			ui_put_right(ui, ry, cx, c3, el, size);
			cx += c3 + 1;
			users_text(&v->users, users, sizeof users);
		} else {
			const struct ui_image *im = ui->model.img[i];
			ui_put(ui, ry, cx, c1, el, im->ref);
			cx += c1 + 1;
			const char *id =
			    im->id && !strncmp(im->id, "sha256:", 7) ? im->id + 7 : im->id;
			snprintf(buf, sizeof buf, "%.12s", id ? id : "");
			ui_put(ui, ry, cx, c2, sel ? el : UI_EL_DIM, buf);
			cx += c2 + 1;
			ui_fmt_size(size, sizeof size, im->size);
			ui_put_right(ui, ry, cx, c3, el, size);
			cx += c3 + 1;
			if (im->created_s > 0) {
				char d[48];
				ctr_format_duration(d, sizeof d, ui->model.now_s - im->created_s);
				snprintf(when, sizeof when, "%s ago", d);
			} else {
				snprintf(when, sizeof when, "-");
			}
			ui_put(ui, ry, cx, c4, el, when);
			cx += c4 + 1;
			users_text(&im->users, users, sizeof users);
		}
		ui_put(ui, ry, cx, c5, el, users);
	}
}

static int storage_handle(struct panel *p, struct ui *ui, enum ui_action a)
{
	struct storage *sp = (struct storage *)p;
	struct strbuf names;
	int r = UI_REDRAW;

	build(sp, ui);
	if (ui_nav(a, &sp->cursor, (int)sp->n, sp->h))
		return UI_REDRAW;
	bool have = sp->cursor >= 0 && (size_t)sp->cursor < sp->n;
	size_t cur = have ? sp->rows[sp->cursor] : 0;
	switch (a) {
	case A_FILTER:
		ui_prompt_open(ui, UI_PROMPT_FILTER, sp->filter);
		return UI_REDRAW;
	case A_MARK:
		if (have) {
			bool *m = row_mark(ui, sp, cur);
			*m = !*m;
			ui_nav(A_DOWN, &sp->cursor, (int)sp->n, sp->h);
		}
		return UI_REDRAW;
	case A_UNMARK_ALL:
		for (size_t i = 0; i < (sp->volumes ? ui->model.nvol : ui->model.nimg); i++)
			*row_mark(ui, sp, i) = false;
		return UI_REDRAW;
	case A_INSPECT: {
		if (!have)
			return UI_NOTHING;
		struct strbuf cmd;
		cleanup_free char *out = NULL;
		strbuf_init(&cmd);
		strbuf_puts(&cmd, sp->volumes ? "volume inspect" : "image inspect");
		ui_cmdline_add(&cmd, row_name(ui, sp, cur));
		if (ui_run_cli(ui, cmd.buf, &out) == 0) {
			char *title = xasprintf("containr %s", cmd.buf);
			ui_push(ui, ui_pager_new(title, out, false));
			free(title);
		}
		strbuf_release(&cmd);
		return UI_REDRAW;
	}
	case A_REMOVE: {
		size_t total = sp->volumes ? ui->model.nvol : ui->model.nimg, n = 0;
		strbuf_init(&names);
		for (size_t i = 0; i < total; i++)
			if (*row_mark(ui, sp, i)) {
				ui_cmdline_add(&names, row_name(ui, sp, i));
				n++;
			}
		if (!n && have) {
			ui_cmdline_add(&names, row_name(ui, sp, cur));
			n++;
		}
		if (n) {
			cleanup_free char *cmd =
			    xasprintf("%s %s", sp->volumes ? "volume rm" : "rmi", names.buf);
			ui_confirm(ui, cmd, "Remove %s %s?", sp->volumes ? "volume" : "image",
			           names.buf);
		}
		strbuf_release(&names);
		return r;
	}
	case A_PULL:
		if (sp->volumes)
			return -1;
		ui_prompt_open(ui, UI_PROMPT_COMMAND, "pull ");
		return UI_REDRAW;
	case A_CREATE: {
		/* Volumes: a new volume.  Images: a container from the selected image. */
		struct strbuf pre;
		strbuf_init(&pre);
		if (sp->volumes) {
			strbuf_puts(&pre, "volume create ");
		} else {
			strbuf_puts(&pre, "run -d");
			if (have)
				ui_cmdline_add(&pre, row_name(ui, sp, cur));
			strbuf_putc(&pre, ' ');
		}
		ui_prompt_open(ui, UI_PROMPT_COMMAND, pre.buf);
		strbuf_release(&pre);
		return UI_REDRAW;
	}
	default:
		return -1;
	}
}

static int storage_input(struct panel *p, struct ui *ui, enum ui_prompt_kind k, const char *text)
{
	struct storage *sp = (struct storage *)p;
	snprintf(sp->filter, sizeof sp->filter, "%s", text);
	build(sp, ui);
	return UI_REDRAW;
}

static int storage_click(struct panel *p, struct ui *ui, int row)
{
	struct storage *sp = (struct storage *)p;
	if (row < 1)
		return UI_NOTHING;
	sp->cursor = sp->top + row - 1;
	ui_scroll_fix(&sp->cursor, &sp->top, (int)sp->n, sp->h);
	return UI_REDRAW;
}

static unsigned storage_context(struct panel *p)
{
	return UI_CTX_LIST | (((struct storage *)p)->volumes ? UI_CTX_VOLUMES : UI_CTX_IMAGES);
}

static void storage_destroy(struct panel *p)
{
	struct storage *sp = (struct storage *)p;
	free(sp->rows);
	free(sp);
}

static const struct panel_class storage_class = {
    .name = "storage",
    .draw = storage_draw,
    .handle = storage_handle,
    .click = storage_click,
    .input = storage_input,
    .context = storage_context,
    .destroy = storage_destroy,
};

struct panel *ui_storage_new(struct ui *ui, bool volumes)
{
	struct storage *sp = xcalloc(1, sizeof *sp);
	sp->base.cls = &storage_class;
	sp->volumes = volumes;
	sp->h = 1;
	return &sp->base;
}
