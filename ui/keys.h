/*
 * keys.h - the dashboard's key -> action table.
 *
 * Every action the dashboard can do is one row of a static table (name,
 * default keys, the contexts where it applies, help text, the CLI verb it
 * stands for).  Keys are bound to actions in a keymap built from that table
 * and then remapped from dashboard.conf (`key.stop = s`).  The help screen
 * and the key bar are generated from the same table, so they cannot drift.
 *
 * A key is looked up in the focused context first, then in the global one;
 * a key bound twice where both bindings could be seen is a conflict
 * (ui_keymap_check() reports it; unit-tested for the defaults).
 */
#ifndef CONTAINR_UI_KEYS_H
#define CONTAINR_UI_KEYS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "containr/error.h"

/* Where a key applies (bitmask). */
enum ui_ctx {
	UI_CTX_GLOBAL = 1 << 0,     /* everywhere */
	UI_CTX_LIST = 1 << 1,       /* any list view (containers, images, volumes) */
	UI_CTX_CONTAINERS = 1 << 2, /* the container list */
	UI_CTX_DETAIL = 1 << 3,     /* container detail tabs */
	UI_CTX_LOGS = 1 << 4,       /* the Logs tab */
	UI_CTX_IMAGES = 1 << 5,     /* the image browser */
	UI_CTX_PAGER = 1 << 6,      /* help and command output */
	UI_CTX_VOLUMES = 1 << 7,    /* the volume browser */
};

/* Reaction flags an action returns (htop style). */
enum ui_reaction {
	UI_NOTHING = 0,
	UI_REDRAW = 1 << 0, /* repaint */
	UI_RESCAN = 1 << 1, /* reload the model now */
	UI_RESIZE = 1 << 2, /* recompute layout */
	UI_QUIT = 1 << 3,
};

enum ui_action {
	A_NONE = 0,
	/* global */
	A_QUIT,
	A_HELP,
	A_PROMPT,
	A_VIEW_CONTAINERS,
	A_VIEW_IMAGES,
	A_VIEW_VOLUMES,
	A_NEXT_VIEW,
	A_THEME_NEXT,
	A_REFRESH,
	/* navigation (lists, tabs, pagers) */
	A_UP,
	A_DOWN,
	A_PGUP,
	A_PGDOWN,
	A_HOME,
	A_END,
	A_BACK,
	/* lists */
	A_FILTER,
	A_SORT_NEXT,
	A_SORT_PREV,
	A_SORT_REVERSE,
	A_MARK,
	A_UNMARK_ALL,
	A_INSPECT,
	A_REMOVE,
	/* containers */
	A_SHOW_ALL,
	A_OPEN,
	A_START,
	A_STOP,
	A_RESTART,
	A_KILL,
	A_PAUSE,
	A_UNPAUSE,
	A_EXEC,
	A_LOGS,
	/* detail */
	A_TAB_NEXT,
	A_TAB_PREV,
	/* logs */
	A_FOLLOW,
	A_TIMESTAMPS,
	A_WRAP,
	A_SEARCH,
	A_SEARCH_NEXT,
	A_SEARCH_PREV,
	/* images / volumes */
	A_PULL,
	A_CREATE,
	A__COUNT
};

/* Action flags */
#define UI_ACT_MUTATES 0x1 /* changes state: hidden with --read-only */
#define UI_ACT_BAR     0x2 /* shown in the bottom key bar */

struct ui_action_def {
	enum ui_action id;
	const char *name;  /* config name: "stop" (key.stop = s) */
	const char *keys;  /* default keys, blank separated: "s", "F1 ?" */
	unsigned ctx;      /* enum ui_ctx mask */
	unsigned flags;    /* UI_ACT_* */
	const char *label; /* short label for the key bar: "Stop" */
	const char *help;  /* one line for the help screen */
	const char *cli;   /* equivalent CLI verb ("stop") or NULL */
};

/* The action table, indexed by enum ui_action (entry 0 is A_NONE). */
const struct ui_action_def *ui_action_def(enum ui_action a);
/* Find an action by config name; A_NONE if unknown. */
enum ui_action ui_action_by_name(const char *name);

#define UI_MAX_BINDINGS 256
struct ui_binding {
	int key;
	enum ui_action action;
};
struct ui_keymap {
	struct ui_binding b[UI_MAX_BINDINGS];
	size_t n;
	bool read_only; /* mutating actions are not reachable */
};

/*
 * Key names: a printable character ("s", "?", "/"), "Space", "Enter",
 * "Tab", "BackTab", "Esc", "Backspace", "Delete", "Insert", "Up", "Down",
 * "Left", "Right", "PgUp", "PgDn", "Home", "End", "F1".."F12", "C-x"
 * (control).  Returns the curses key code or -1.
 */
int ui_key_parse(const char *name);
/* The display name of a key ("F1", "C-l", "s", "Space"). */
void ui_key_name(int key, char *buf, size_t len);

/* Fill `km` with the default bindings of every action. */
void ui_keymap_defaults(struct ui_keymap *km, bool read_only);
/*
 * Rebind `action_name` to `keys` (comma or blank separated key names),
 * replacing its defaults.  E_INVALID_ARG for an unknown action or key.
 */
int ui_keymap_set(struct ui_keymap *km, const char *action_name, const char *keys,
                  struct ctr_err *err);
/*
 * The action for `key` in context `ctx` (the focused view's mask): a
 * binding whose action applies in ctx wins over a global one.  Mutating
 * actions resolve to A_NONE in read-only mode.
 */
enum ui_action ui_keymap_lookup(const struct ui_keymap *km, unsigned ctx, int key);
/* Keys bound to `a`, as display names joined by " " into buf ("F1 ?"). */
void ui_keymap_keys_of(const struct ui_keymap *km, enum ui_action a, char *buf, size_t len);
/*
 * Check for conflicts: the same key bound to two actions whose contexts
 * overlap, or global vs a context.  Returns 0 or -1 with the first
 * conflict described in err.
 */
int ui_keymap_check(const struct ui_keymap *km, struct ctr_err *err);

/* Write the help text (one section per context) generated from the table. */
void ui_keymap_help(const struct ui_keymap *km, FILE *f);

#endif
