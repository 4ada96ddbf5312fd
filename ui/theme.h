/*
 * theme.h - colour schemes: a table of scheme x element, loaded from
 * themes/<name>.theme files.
 *
 * A theme file is lines of `element = foreground [on background] [attr...]`
 * with colours black, red, green, yellow, blue, magenta, cyan, white, their
 * bright- variants, a number 0-255, or `default` (the terminal's own colour,
 * through use_default_colors(), so light and dark terminals both read well).
 * Attributes: bold, dim, reverse, underline, standout.  `#` starts a comment.
 * Elements a file does not name keep the built-in default.
 */
#ifndef CONTAINR_UI_THEME_H
#define CONTAINR_UI_THEME_H

#include <stdbool.h>
#include <stddef.h>

#include "containr/error.h"
#include "containr/util.h"

enum ui_element {
	UI_EL_NORMAL,
	UI_EL_HEADER, /* top line */
	UI_EL_TAB,    /* inactive view/tab names */
	UI_EL_TAB_ACTIVE,
	UI_EL_COLUMNS,     /* column header row */
	UI_EL_SORT_COLUMN, /* the column sorted by */
	UI_EL_SELECTED,    /* cursor row */
	UI_EL_MARKED,      /* marked rows */
	UI_EL_RUNNING,
	UI_EL_PAUSED,
	UI_EL_STOPPED,
	UI_EL_CPU_LOW,
	UI_EL_CPU_MID,
	UI_EL_CPU_HIGH,
	UI_EL_SPARK,
	UI_EL_GRAPH,
	UI_EL_DIM,    /* secondary text (ids, hints) */
	UI_EL_STATUS, /* status line */
	UI_EL_STATUS_ERROR,
	UI_EL_KEY,       /* key bar: key */
	UI_EL_KEY_LABEL, /* key bar: label */
	UI_EL_PROMPT,
	UI_EL_MATCH,  /* search matches */
	UI_EL_STDERR, /* stderr lines in logs */
	UI_EL_TITLE,  /* section titles in detail tabs */
	UI_EL__COUNT
};

#define UI_COLOR_DEFAULT  (-1)
#define UI_ATTR_BOLD      0x1
#define UI_ATTR_DIM       0x2
#define UI_ATTR_REVERSE   0x4
#define UI_ATTR_UNDERLINE 0x8
#define UI_ATTR_STANDOUT  0x10

struct ui_style {
	short fg, bg;   /* 0-255 or UI_COLOR_DEFAULT */
	unsigned attrs; /* UI_ATTR_* */
};

struct ui_theme {
	char name[64];
	struct ui_style el[UI_EL__COUNT];
};

/* Element name as used in theme files ("selected"); NULL if out of range. */
const char *ui_element_name(enum ui_element e);

/* The built-in default theme (used as the base of every file). */
void ui_theme_builtin(struct ui_theme *t);
/*
 * Parse theme text over the built-in defaults.  Errors name the line:
 * "theme dark.theme line 4: unknown colour \"purpel\"" (E_INVALID_ARG).
 */
int ui_theme_parse(struct ui_theme *t, const char *name, const char *text, struct ctr_err *err);
/*
 * Load a theme by name or path.  A name is looked up as <dir>/<name>.theme
 * in: $CONTAINR_THEMES, $XDG_CONFIG_HOME/containr/themes (~/.config/...),
 * the themes/ directory next to the binary (build/../themes) and
 * PREFIX/share/containr/themes.  E_NOT_FOUND lists where it looked.
 */
int ui_theme_load(struct ui_theme *t, const char *name_or_path, struct ctr_err *err);
/* Names of every installed theme (sorted, unique) into `out`. */
void ui_theme_list(struct strv *out);

/* Install the theme into curses colour pairs (pair = element + 1). */
void ui_theme_apply(const struct ui_theme *t, bool has_colors);
/* The curses attribute (colour pair | attrs) for an element. */
int ui_theme_attr(enum ui_element e);

#endif
