/*
 * keys.c - the action table, the keymap built from it, key names, conflict
 * checking and the generated help (see keys.h).
 */
#include <ctype.h>
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "containr/util.h"
#include "keys.h"

#define NAV (UI_CTX_LIST | UI_CTX_DETAIL | UI_CTX_PAGER)
#define CTR (UI_CTX_CONTAINERS | UI_CTX_DETAIL)
#define M   UI_ACT_MUTATES
#define B   UI_ACT_BAR

static const struct ui_action_def actions[A__COUNT] = {
    [A_NONE] = {A_NONE, "none", "", 0, 0, "", "", NULL},
    [A_QUIT] = {A_QUIT, "quit", "q F10", UI_CTX_GLOBAL, B, "Quit", "leave the dashboard", NULL},
    [A_HELP] = {A_HELP, "help", "F1 ?", UI_CTX_GLOBAL, B, "Help",
                "this help (generated from the key table)", NULL},
    [A_PROMPT] = {A_PROMPT, "prompt", ":", UI_CTX_GLOBAL, B, "Cmd",
                  "run any containr command (Tab completes)", NULL},
    [A_VIEW_CONTAINERS] = {A_VIEW_CONTAINERS, "containers", "1", UI_CTX_GLOBAL, 0, "Ctrs",
                           "containers view", "ps"},
    [A_VIEW_IMAGES] = {A_VIEW_IMAGES, "images", "2", UI_CTX_GLOBAL, 0, "Images", "images view",
                       "images"},
    [A_VIEW_VOLUMES] = {A_VIEW_VOLUMES, "volumes", "3", UI_CTX_GLOBAL, 0, "Vols", "volumes view",
                        "volume ls"},
    [A_NEXT_VIEW] = {A_NEXT_VIEW, "next-view", "Tab", UI_CTX_LIST, 0, "View",
                     "next view (containers, images, volumes)", NULL},
    [A_THEME_NEXT] = {A_THEME_NEXT, "theme", "T", UI_CTX_GLOBAL, 0, "Theme",
                      "switch to the next colour theme", NULL},
    [A_REFRESH] = {A_REFRESH, "refresh", "C-l F5", UI_CTX_GLOBAL, 0, "Redraw",
                   "re-read everything and repaint", NULL},
    [A_UP] = {A_UP, "up", "Up k", NAV, 0, "Up", "move up", NULL},
    [A_DOWN] = {A_DOWN, "down", "Down j", NAV, 0, "Down", "move down", NULL},
    [A_PGUP] = {A_PGUP, "page-up", "PgUp C-b", NAV, 0, "PgUp", "page up", NULL},
    [A_PGDOWN] = {A_PGDOWN, "page-down", "PgDn C-f", NAV, 0, "PgDn", "page down", NULL},
    [A_HOME] = {A_HOME, "home", "Home g", NAV, 0, "Top", "first line", NULL},
    [A_END] = {A_END, "end", "End G", NAV, 0, "End", "last line (logs: jump to end)", NULL},
    [A_BACK] = {A_BACK, "back", "Esc Backspace", UI_CTX_DETAIL | UI_CTX_PAGER, B, "Back",
                "back to the list", NULL},
    [A_FILTER] = {A_FILTER, "filter", "/", UI_CTX_LIST, B, "Filter",
                  "filter rows by substring ('!' inverts)", NULL},
    [A_SORT_NEXT] = {A_SORT_NEXT, "sort", "> F6", UI_CTX_LIST, B, "Sort", "sort by the next column",
                     NULL},
    [A_SORT_PREV] = {A_SORT_PREV, "sort-prev", "<", UI_CTX_LIST, 0, "Sort<",
                     "sort by the previous column", NULL},
    [A_SORT_REVERSE] = {A_SORT_REVERSE, "sort-reverse", "I", UI_CTX_LIST, 0, "Invert",
                        "invert the sort order", NULL},
    [A_MARK] = {A_MARK, "mark", "Space", UI_CTX_LIST, 0, "Mark",
                "mark the row (actions apply to all marked rows)", NULL},
    [A_UNMARK_ALL] = {A_UNMARK_ALL, "unmark-all", "U", UI_CTX_LIST, 0, "Unmark", "clear all marks",
                      NULL},
    [A_INSPECT] = {A_INSPECT, "inspect", "i", UI_CTX_LIST, 0, "Inspect", "inspect (JSON)",
                   "inspect"},
    [A_REMOVE] = {A_REMOVE, "remove", "D Delete", UI_CTX_LIST, M | B, "Remove",
                  "remove (asks first)", "rm"},
    [A_SHOW_ALL] = {A_SHOW_ALL, "show-all", "a", UI_CTX_CONTAINERS, 0, "All",
                    "show stopped containers too", "ps -a"},
    [A_OPEN] = {A_OPEN, "open", "Enter", UI_CTX_CONTAINERS, 0, "Open",
                "open the detail tabs of the container", NULL},
    [A_START] = {A_START, "start", "S", CTR, M | B, "Start", "start", "start"},
    [A_STOP] = {A_STOP, "stop", "s", CTR, M | B, "Stop", "stop (SIGTERM, then SIGKILL after 10s)",
                "stop"},
    [A_RESTART] = {A_RESTART, "restart", "r", CTR, M, "Restart", "restart", "restart"},
    [A_KILL] = {A_KILL, "kill", "K F9", CTR, M | B, "Kill", "kill (SIGKILL)", "kill"},
    [A_PAUSE] = {A_PAUSE, "pause", "p", CTR, M, "Pause", "pause (freeze all processes)", "pause"},
    [A_UNPAUSE] = {A_UNPAUSE, "unpause", "P", CTR, M, "Unpause", "unpause", "unpause"},
    [A_EXEC] = {A_EXEC, "exec", "e", CTR, M | B, "Shell",
                "open a shell in the container (bash, sh or ash)", "exec -it"},
    [A_LOGS] = {A_LOGS, "logs", "l", CTR, B, "Logs", "follow the logs full-screen", "logs -f"},
    [A_TAB_NEXT] = {A_TAB_NEXT, "tab-next", "Tab Right", UI_CTX_DETAIL, B, "NextTab",
                    "next tab (Logs, Stats, Top, Inspect, Internals)", NULL},
    [A_TAB_PREV] = {A_TAB_PREV, "tab-prev", "BackTab Left", UI_CTX_DETAIL, 0, "<Tab",
                    "previous tab", NULL},
    [A_FOLLOW] = {A_FOLLOW, "follow", "f", UI_CTX_LOGS, 0, "Follow", "follow new lines on/off",
                  NULL},
    [A_TIMESTAMPS] = {A_TIMESTAMPS, "timestamps", "t", UI_CTX_LOGS, 0, "Time", "timestamps on/off",
                      NULL},
    [A_WRAP] = {A_WRAP, "wrap", "w", UI_CTX_LOGS, 0, "Wrap", "wrap long lines on/off", NULL},
    [A_SEARCH] = {A_SEARCH, "search", "/", UI_CTX_LOGS | UI_CTX_PAGER, 0, "Search", "search", NULL},
    [A_SEARCH_NEXT] = {A_SEARCH_NEXT, "search-next", "n", UI_CTX_LOGS | UI_CTX_PAGER, 0, "Next",
                       "next match", NULL},
    [A_SEARCH_PREV] = {A_SEARCH_PREV, "search-prev", "N", UI_CTX_LOGS | UI_CTX_PAGER, 0, "Prev",
                       "previous match", NULL},
    [A_PULL] = {A_PULL, "pull", "p", UI_CTX_IMAGES, M | B, "Pull",
                "pull an image (opens the prompt)", "pull"},
    [A_CREATE] = {A_CREATE, "create", "c", UI_CTX_IMAGES | UI_CTX_VOLUMES, M | B, "Create",
                  "volumes: create one; images: run the selected image (opens the prompt)",
                  "volume create"},
};

const struct ui_action_def *ui_action_def(enum ui_action a)
{
	if ((int)a < 0 || a >= A__COUNT)
		return &actions[A_NONE];
	return &actions[a];
}

enum ui_action ui_action_by_name(const char *name)
{
	for (int i = 1; i < A__COUNT; i++)
		if (!strcmp(actions[i].name, name))
			return (enum ui_action)i;
	return A_NONE;
}

static const struct {
	const char *name;
	int key;
} named_keys[] = {
    {"Space", ' '},        {"Enter", '\n'},     {"Tab", '\t'},
    {"BackTab", KEY_BTAB}, {"Esc", 27},         {"Backspace", KEY_BACKSPACE},
    {"Delete", KEY_DC},    {"Insert", KEY_IC},  {"Up", KEY_UP},
    {"Down", KEY_DOWN},    {"Left", KEY_LEFT},  {"Right", KEY_RIGHT},
    {"PgUp", KEY_PPAGE},   {"PgDn", KEY_NPAGE}, {"Home", KEY_HOME},
    {"End", KEY_END},
};

int ui_key_parse(const char *name)
{
	if (!name || !*name)
		return -1;
	for (size_t i = 0; i < CTR_ARRAY_SIZE(named_keys); i++)
		if (!strcasecmp(named_keys[i].name, name))
			return named_keys[i].key;
	if (!strcasecmp(name, "PageUp"))
		return KEY_PPAGE;
	if (!strcasecmp(name, "PageDown") || !strcasecmp(name, "PgDown"))
		return KEY_NPAGE;
	if ((name[0] == 'F' || name[0] == 'f') && isdigit((unsigned char)name[1])) {
		int n;
		if (ctr_parse_int(name + 1, 1, 12, &n) == 0)
			return KEY_F(n);
		return -1;
	}
	if ((name[0] == 'C' || name[0] == 'c') && name[1] == '-' && name[2] && !name[3]) {
		int c = tolower((unsigned char)name[2]);
		if (c >= 'a' && c <= 'z')
			return c - 'a' + 1;
		return -1;
	}
	if (!name[1] && isgraph((unsigned char)name[0]))
		return (unsigned char)name[0];
	return -1;
}

void ui_key_name(int key, char *buf, size_t len)
{
	for (size_t i = 0; i < CTR_ARRAY_SIZE(named_keys); i++)
		if (named_keys[i].key == key) {
			snprintf(buf, len, "%s", named_keys[i].name);
			return;
		}
	for (int n = 1; n <= 12; n++)
		if (key == KEY_F(n)) {
			snprintf(buf, len, "F%d", n);
			return;
		}
	if (key >= 1 && key <= 26)
		snprintf(buf, len, "C-%c", 'a' + key - 1);
	else if (key > 32 && key < 127)
		snprintf(buf, len, "%c", key);
	else
		snprintf(buf, len, "#%d", key);
}

static void bind(struct ui_keymap *km, int key, enum ui_action a)
{
	if (km->n < UI_MAX_BINDINGS)
		km->b[km->n++] = (struct ui_binding){key, a};
}

/* Bind every key of a blank/comma separated list; -1 if one is unknown. */
static int bind_list(struct ui_keymap *km, const char *keys, enum ui_action a, char *bad,
                     size_t badlen)
{
	cleanup_free char *copy = xstrdup(keys);
	char *save = NULL;

	for (char *t = strtok_r(copy, " ,\t", &save); t; t = strtok_r(NULL, " ,\t", &save)) {
		int k = ui_key_parse(t);
		if (k < 0) {
			snprintf(bad, badlen, "%s", t);
			return -1;
		}
		bind(km, k, a);
	}
	return 0;
}

void ui_keymap_defaults(struct ui_keymap *km, bool read_only)
{
	char bad[32];

	km->n = 0;
	km->read_only = read_only;
	for (int i = 1; i < A__COUNT; i++)
		(void)bind_list(km, actions[i].keys, (enum ui_action)i, bad, sizeof bad);
}

int ui_keymap_set(struct ui_keymap *km, const char *action_name, const char *keys,
                  struct ctr_err *err)
{
	enum ui_action a = ui_action_by_name(action_name);
	struct ui_keymap tmp = *km;
	char bad[32];
	size_t o = 0;

	if (a == A_NONE)
		return ctr_fail(err, E_INVALID_ARG, "unknown dashboard action \"%s\"", action_name),
		       ctr_hint(err,
		                "see the help screen (?) or docs/DASHBOARD.md for action names");
	for (size_t i = 0; i < tmp.n; i++)
		if (tmp.b[i].action != a)
			tmp.b[o++] = tmp.b[i];
	tmp.n = o;
	if (bind_list(&tmp, keys, a, bad, sizeof bad) < 0)
		return ctr_fail(err, E_INVALID_ARG, "unknown key \"%s\" for action %s", bad,
		                action_name),
		       ctr_hint(
		           err,
		           "keys: a character, Space, Enter, Tab, Esc, F1-F12, C-x, Up, PgDn...");
	*km = tmp;
	return 0;
}

static bool visible(const struct ui_keymap *km, enum ui_action a)
{
	return !(km->read_only && (actions[a].flags & UI_ACT_MUTATES));
}

enum ui_action ui_keymap_lookup(const struct ui_keymap *km, unsigned ctx, int key)
{
	enum ui_action global = A_NONE;

	for (size_t i = 0; i < km->n; i++) {
		const struct ui_binding *b = &km->b[i];
		if (b->key != key || !visible(km, b->action))
			continue;
		unsigned c = actions[b->action].ctx;
		if (c & ctx & ~UI_CTX_GLOBAL)
			return b->action;
		if ((c & UI_CTX_GLOBAL) && global == A_NONE)
			global = b->action;
	}
	return global;
}

void ui_keymap_keys_of(const struct ui_keymap *km, enum ui_action a, char *buf, size_t len)
{
	size_t o = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < km->n && o + 1 < len; i++) {
		char name[16];
		if (km->b[i].action != a)
			continue;
		ui_key_name(km->b[i].key, name, sizeof name);
		o += (size_t)snprintf(buf + o, len - o, "%s%s", o ? " " : "", name);
		if (o >= len)
			o = len - 1;
	}
}

int ui_keymap_check(const struct ui_keymap *km, struct ctr_err *err)
{
	for (size_t i = 0; i < km->n; i++)
		for (size_t j = i + 1; j < km->n; j++) {
			const struct ui_binding *x = &km->b[i], *y = &km->b[j];
			unsigned cx = actions[x->action].ctx, cy = actions[y->action].ctx;
			char name[16];
			if (x->key != y->key || x->action == y->action)
				continue;
			if ((cx & cy) || (cx & UI_CTX_GLOBAL) || (cy & UI_CTX_GLOBAL)) {
				ui_key_name(x->key, name, sizeof name);
				return ctr_fail(err, E_CONFLICT,
				                "key %s is bound to both %s and %s", name,
				                actions[x->action].name, actions[y->action].name);
			}
		}
	return 0;
}

void ui_keymap_help(const struct ui_keymap *km, FILE *f)
{
	static const struct {
		unsigned ctx;
		const char *title;
	} sections[] = {
	    {UI_CTX_GLOBAL, "Everywhere"},     {UI_CTX_LIST, "Lists (containers, images, volumes)"},
	    {UI_CTX_CONTAINERS, "Containers"}, {UI_CTX_DETAIL, "Container detail tabs"},
	    {UI_CTX_LOGS, "Logs tab"},         {UI_CTX_IMAGES, "Images"},
	    {UI_CTX_VOLUMES, "Volumes"},       {UI_CTX_PAGER, "Help and command output"},
	};
	for (size_t s = 0; s < CTR_ARRAY_SIZE(sections); s++) {
		fprintf(f, "%s\n", sections[s].title);
		for (int i = 1; i < A__COUNT; i++) {
			char keys[64];
			if (!(actions[i].ctx & sections[s].ctx) || !visible(km, (enum ui_action)i))
				continue;
			/* Navigation rows would repeat in every section: list them once. */
			if ((actions[i].ctx & NAV) == NAV && sections[s].ctx != UI_CTX_LIST)
				continue;
			ui_keymap_keys_of(km, (enum ui_action)i, keys, sizeof keys);
			if (!keys[0])
				strcpy(keys, "(unbound)");
			fprintf(f, "  %-16s %-14s %s", keys, actions[i].name, actions[i].help);
			if (actions[i].cli)
				fprintf(f, "  [containr %s]", actions[i].cli);
			fprintf(f, "\n");
		}
		fprintf(f, "\n");
	}
	if (km->read_only)
		fprintf(f, "Read-only mode: actions that change anything are disabled.\n");
}
