/*
 * theme.c - theme files: parse, find on disk, install into curses (see
 * theme.h).  The applied theme lives in a static table of attributes, one
 * per element, because curses colour pairs are global too.
 */
#include <ctype.h>
#include <curses.h>
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "containr/util.h"
#include "theme.h"

static const char *const element_names[UI_EL__COUNT] = {
    [UI_EL_NORMAL] = "normal",
    [UI_EL_HEADER] = "header",
    [UI_EL_TAB] = "tab",
    [UI_EL_TAB_ACTIVE] = "tab-active",
    [UI_EL_COLUMNS] = "columns",
    [UI_EL_SORT_COLUMN] = "sort-column",
    [UI_EL_SELECTED] = "selected",
    [UI_EL_MARKED] = "marked",
    [UI_EL_RUNNING] = "running",
    [UI_EL_PAUSED] = "paused",
    [UI_EL_STOPPED] = "stopped",
    [UI_EL_CPU_LOW] = "cpu-low",
    [UI_EL_CPU_MID] = "cpu-mid",
    [UI_EL_CPU_HIGH] = "cpu-high",
    [UI_EL_SPARK] = "spark",
    [UI_EL_GRAPH] = "graph",
    [UI_EL_DIM] = "dim",
    [UI_EL_STATUS] = "status",
    [UI_EL_STATUS_ERROR] = "status-error",
    [UI_EL_KEY] = "key",
    [UI_EL_KEY_LABEL] = "key-label",
    [UI_EL_PROMPT] = "prompt",
    [UI_EL_MATCH] = "match",
    [UI_EL_STDERR] = "stderr",
    [UI_EL_TITLE] = "title",
};

static const char *const color_names[8] = {"black", "red",     "green", "yellow",
                                           "blue",  "magenta", "cyan",  "white"};

const char *ui_element_name(enum ui_element e)
{
	if ((int)e < 0 || e >= UI_EL__COUNT)
		return NULL;
	return element_names[e];
}

#define S(f, b, a) ((struct ui_style){(f), (b), (a)})
#define D          UI_COLOR_DEFAULT

void ui_theme_builtin(struct ui_theme *t)
{
	memset(t, 0, sizeof *t);
	snprintf(t->name, sizeof t->name, "builtin");
	t->el[UI_EL_NORMAL] = S(D, D, 0);
	t->el[UI_EL_HEADER] = S(0, 6, 0);
	t->el[UI_EL_TAB] = S(D, D, 0);
	t->el[UI_EL_TAB_ACTIVE] = S(0, 6, UI_ATTR_BOLD);
	t->el[UI_EL_COLUMNS] = S(0, 2, 0);
	t->el[UI_EL_SORT_COLUMN] = S(0, 6, UI_ATTR_BOLD);
	t->el[UI_EL_SELECTED] = S(0, 6, 0);
	t->el[UI_EL_MARKED] = S(3, D, UI_ATTR_BOLD);
	t->el[UI_EL_RUNNING] = S(2, D, 0);
	t->el[UI_EL_PAUSED] = S(3, D, 0);
	t->el[UI_EL_STOPPED] = S(D, D, UI_ATTR_DIM);
	t->el[UI_EL_CPU_LOW] = S(2, D, 0);
	t->el[UI_EL_CPU_MID] = S(3, D, 0);
	t->el[UI_EL_CPU_HIGH] = S(1, D, UI_ATTR_BOLD);
	t->el[UI_EL_SPARK] = S(6, D, 0);
	t->el[UI_EL_GRAPH] = S(2, D, 0);
	t->el[UI_EL_DIM] = S(D, D, UI_ATTR_DIM);
	t->el[UI_EL_STATUS] = S(D, D, 0);
	t->el[UI_EL_STATUS_ERROR] = S(1, D, UI_ATTR_BOLD);
	t->el[UI_EL_KEY] = S(D, D, UI_ATTR_BOLD);
	t->el[UI_EL_KEY_LABEL] = S(0, 6, 0);
	t->el[UI_EL_PROMPT] = S(3, D, UI_ATTR_BOLD);
	t->el[UI_EL_MATCH] = S(0, 3, 0);
	t->el[UI_EL_STDERR] = S(1, D, 0);
	t->el[UI_EL_TITLE] = S(6, D, UI_ATTR_BOLD);
}

static int parse_color(const char *w, short *out)
{

	if (!strcasecmp(w, "default") || !strcasecmp(w, "none")) {
		*out = UI_COLOR_DEFAULT;
		return 0;
	}
	bool bright = false;
	if (!strncasecmp(w, "bright-", 7) || !strncasecmp(w, "bright", 6)) {
		bright = true;
		w += w[6] == '-' ? 7 : 6;
	}
	for (int i = 0; i < 8; i++)
		if (!strcasecmp(w, color_names[i])) {
			*out = (short)(i + (bright ? 8 : 0));
			return 0;
		}
	if (bright)
		return -1;
	int n;
	if (ctr_parse_int(w, 0, 255, &n) < 0)
		return -1;
	*out = (short)n;
	return 0;
}

static int parse_attr(const char *w, unsigned *attrs)
{
	static const struct {
		const char *n;
		unsigned a;
	} names[] = {{"bold", UI_ATTR_BOLD},         {"dim", UI_ATTR_DIM},
	             {"reverse", UI_ATTR_REVERSE},   {"underline", UI_ATTR_UNDERLINE},
	             {"standout", UI_ATTR_STANDOUT}, {"normal", 0}};
	for (size_t i = 0; i < CTR_ARRAY_SIZE(names); i++)
		if (!strcasecmp(w, names[i].n)) {
			*attrs |= names[i].a;
			return 0;
		}
	return -1;
}

static char *trim(char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	char *e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

int ui_theme_parse(struct ui_theme *t, const char *name, const char *text, struct ctr_err *err)
{
	cleanup_free char *copy = xstrdup(text);
	char *save = NULL;
	int lineno = 0;

	ui_theme_builtin(t);
	snprintf(t->name, sizeof t->name, "%s", name);
	/* strtok_r would skip empty lines and break numbering: walk by hand. */
	for (char *line = copy; line; line = save) {
		char *nl = strchr(line, '\n');
		save = nl ? nl + 1 : NULL;
		if (nl)
			*nl = '\0';
		lineno++;
		char *hash = strchr(line, '#');
		if (hash)
			*hash = '\0';
		char *l = trim(line);
		if (!*l)
			continue;
		char *eq = strchr(l, '=');
		if (!eq)
			return ctr_fail(err, E_INVALID_ARG,
			                "theme %s line %d: expected \"element = colours\"", name,
			                lineno);
		*eq = '\0';
		char *key = trim(l), *val = trim(eq + 1);
		if (!strcmp(key, "name")) {
			snprintf(t->name, sizeof t->name, "%s", val);
			continue;
		}
		int el = -1;
		for (int i = 0; i < UI_EL__COUNT; i++)
			if (!strcmp(element_names[i], key))
				el = i;
		if (el < 0)
			return ctr_fail(err, E_INVALID_ARG,
			                "theme %s line %d: unknown element \"%s\"", name, lineno,
			                key),
			       ctr_hint(err, "elements: normal, header, selected, running, ... "
			                     "(docs/DASHBOARD.md)");
		struct ui_style st = S(D, D, 0);
		int ncolor = 0;
		bool on = false;
		char *ws = NULL;
		for (char *w = strtok_r(val, " \t", &ws); w; w = strtok_r(NULL, " \t", &ws)) {
			short c;
			if (!strcasecmp(w, "on")) {
				if (on)
					return ctr_fail(
					    err, E_INVALID_ARG,
					    "theme %s line %d: more than one background", name,
					    lineno);
				on = true;
				ncolor = 1;
				continue;
			}
			if (parse_attr(w, &st.attrs) == 0)
				continue;
			if (parse_color(w, &c) < 0 || ncolor > 1)
				return ctr_fail(
				    err, E_INVALID_ARG,
				    "theme %s line %d: unknown colour or attribute \"%s\"", name,
				    lineno, w);
			if (ncolor == 0 && !on)
				st.fg = c;
			else
				st.bg = c;
			ncolor++;
		}
		t->el[el] = st;
	}
	return 0;
}

/* Directories searched for themes, in order; *n set. Strings are heap. */
static void theme_dirs(struct strv *dirs)
{
	const char *env = getenv("CONTAINR_THEMES");
	const char *xdg = getenv("XDG_CONFIG_HOME");
	const char *home = getenv("HOME");
	char exe[PATH_MAX];
	ssize_t n;

	if (env && *env)
		strv_push(dirs, env);
	if (xdg && *xdg)
		strv_push_owned(dirs, xasprintf("%s/containr/themes", xdg));
	else if (home && *home)
		strv_push_owned(dirs, xasprintf("%s/.config/containr/themes", home));
	n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		exe[n] = '\0';
		char *slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			strv_push_owned(dirs, xasprintf("%s/../themes", exe));
			strv_push_owned(dirs, xasprintf("%s/themes", exe));
			strv_push_owned(dirs, xasprintf("%s/../share/containr/themes", exe));
		}
	}
	strv_push(dirs, "/usr/local/share/containr/themes");
	strv_push(dirs, "/usr/share/containr/themes");
}

/* Theme names become file names: letters, digits, '-', '_', '.'; no leading '.'. */
static bool theme_name_ok(const char *n)
{
	if (!*n || *n == '.')
		return false;
	for (; *n; n++)
		if (!isalnum((unsigned char)*n) && !strchr("-_.", *n))
			return false;
	return true;
}

int ui_theme_load(struct ui_theme *t, const char *name, struct ctr_err *err)
{
	struct strv dirs;
	struct strbuf looked;
	cleanup_free char *text = NULL;
	int rc = -1;

	if (strchr(name, '/')) {
		if (ctr_read_file(name, &text, NULL, err) < 0)
			return -1;
		const char *base = strrchr(name, '/') + 1;
		return ui_theme_parse(t, base, text, err);
	}
	if (!theme_name_ok(name))
		return ctr_fail(err, E_INVALID_ARG, "invalid theme name \"%s\"", name);
	strv_init(&dirs);
	strbuf_init(&looked);
	theme_dirs(&dirs);
	for (size_t i = 0; i < dirs.n; i++) {
		cleanup_free char *path = xasprintf("%s/%s.theme", dirs.v[i], name);
		struct ctr_err e2;
		if (ctr_read_file(path, &text, NULL, &e2) == 0) {
			rc = ui_theme_parse(t, name, text, err);
			goto out;
		}
		strbuf_printf(&looked, "%s%s", looked.len ? ", " : "", dirs.v[i]);
	}
	ctr_fail(err, E_NOT_FOUND, "no theme named \"%s\"", name);
	ctr_hint(err, "looked in %s", looked.buf);
out:
	strv_release(&dirs);
	strbuf_release(&looked);
	return rc;
}

void ui_theme_list(struct strv *out)
{
	struct strv dirs;

	strv_init(&dirs);
	theme_dirs(&dirs);
	for (size_t i = 0; i < dirs.n; i++) {
		DIR *d = opendir(dirs.v[i]);
		struct dirent *de;
		if (!d)
			continue;
		while ((de = readdir(d))) {
			size_t l = strlen(de->d_name);
			if (l > 6 && str_endswith(de->d_name, ".theme")) {
				cleanup_free char *n = xstrndup(de->d_name, l - 6);
				if (!strv_contains(out, n))
					strv_push(out, n);
			}
		}
		closedir(d);
	}
	strv_sort(out);
	strv_release(&dirs);
}

static int applied[UI_EL__COUNT];

void ui_theme_apply(const struct ui_theme *t, bool has_colors)
{
	int ncolors = has_colors ? COLORS : 0;

	for (int i = 0; i < UI_EL__COUNT; i++) {
		const struct ui_style *s = &t->el[i];
		int a = 0;
		if (s->attrs & UI_ATTR_BOLD)
			a |= A_BOLD;
		if (s->attrs & UI_ATTR_DIM)
			a |= A_DIM;
		if (s->attrs & UI_ATTR_REVERSE)
			a |= A_REVERSE;
		if (s->attrs & UI_ATTR_UNDERLINE)
			a |= A_UNDERLINE;
		if (s->attrs & UI_ATTR_STANDOUT)
			a |= A_STANDOUT;
		if (has_colors && i + 1 < COLOR_PAIRS) {
			short fg = s->fg, bg = s->bg;
			/* 256-colour values on an 8-colour terminal: fold into 0-7. */
			if (fg >= ncolors)
				fg = (short)(fg % 8);
			if (bg >= ncolors)
				bg = (short)(bg % 8);
			init_pair((short)(i + 1), fg, bg);
			a |= COLOR_PAIR(i + 1);
		} else if (s->bg != UI_COLOR_DEFAULT && !(s->attrs & UI_ATTR_REVERSE)) {
			/* No colours: a background colour becomes reverse video. */
			a |= A_REVERSE;
		}
		applied[i] = a;
	}
}

int ui_theme_attr(enum ui_element e)
{
	if ((int)e < 0 || e >= UI_EL__COUNT)
		return 0;
	return applied[e];
}
