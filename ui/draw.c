/*
 * draw.c - small drawing helpers shared by the panels: fitted text in a
 * theme element, fills, CPU colouring, scrolling arithmetic.
 */
#include <curses.h>
#include <string.h>

#include "format.h"
#include "ui.h"

void ui_put(struct ui *ui, int y, int x, int w, enum ui_element el, const char *text)
{
	char buf[2048];
	if (w <= 0)
		return;
	ui_fit(buf, sizeof buf, text, (size_t)w, false, true, ui->opts.ascii);
	attrset(ui_theme_attr(el));
	mvaddstr(y, x, buf);
	attrset(ui_theme_attr(UI_EL_NORMAL));
}

void ui_put_right(struct ui *ui, int y, int x, int w, enum ui_element el, const char *text)
{
	char buf[2048];
	if (w <= 0)
		return;
	ui_fit(buf, sizeof buf, text, (size_t)w, true, true, ui->opts.ascii);
	attrset(ui_theme_attr(el));
	mvaddstr(y, x, buf);
	attrset(ui_theme_attr(UI_EL_NORMAL));
}

void ui_fill(int y, int x, int w, enum ui_element el)
{
	if (w <= 0)
		return;
	attrset(ui_theme_attr(el));
	mvhline(y, x, ' ', w);
	attrset(ui_theme_attr(UI_EL_NORMAL));
}

enum ui_element ui_cpu_element(double pct)
{
	if (pct >= 80)
		return UI_EL_CPU_HIGH;
	if (pct >= 20)
		return UI_EL_CPU_MID;
	return UI_EL_CPU_LOW;
}

void ui_scroll_fix(int *cursor, int *top, int n, int h)
{
	if (*cursor >= n)
		*cursor = n - 1;
	if (*cursor < 0)
		*cursor = 0;
	if (h < 1)
		h = 1;
	if (*top > *cursor)
		*top = *cursor;
	if (*cursor >= *top + h)
		*top = *cursor - h + 1;
	if (*top > n - h)
		*top = n - h;
	if (*top < 0)
		*top = 0;
}

bool ui_nav(enum ui_action a, int *cursor, int n, int h)
{
	int page = h > 1 ? h - 1 : 1;
	switch (a) {
	case A_UP:
		(*cursor)--;
		break;
	case A_DOWN:
		(*cursor)++;
		break;
	case A_PGUP:
		*cursor -= page;
		break;
	case A_PGDOWN:
		*cursor += page;
		break;
	case A_HOME:
		*cursor = 0;
		break;
	case A_END:
		*cursor = n - 1;
		break;
	default:
		return false;
	}
	if (*cursor >= n)
		*cursor = n - 1;
	if (*cursor < 0)
		*cursor = 0;
	return true;
}
