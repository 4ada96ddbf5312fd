/*
 * ui.h - the dashboard application: its state, the panel interface and the
 * helpers panels share (drawing, status line, running CLI commands).
 *
 * Shaped like htop: a panel is a struct with a class vtable (draw,
 * handle, destroy); keys become actions through the key table (keys.h)
 * before any panel sees them; every handler returns reaction flags
 * (REDRAW, RESCAN, RESIZE, QUIT) and the main loop alone decides what to
 * repaint or reload.  Panels read data only through the model (model.h) and
 * change things only through the command table (ui_run_cli), so the
 * dashboard never has a second implementation of a command.
 */
#ifndef CONTAINR_UI_UI_H
#define CONTAINR_UI_UI_H

#include <stdbool.h>
#include <stdint.h>

#include "cli/cli.h"
#include "keys.h"
#include "model.h"
#include "theme.h"

struct ui;
struct panel;

/* What the bottom-line prompt is asking for. */
enum ui_prompt_kind {
	UI_PROMPT_NONE,
	UI_PROMPT_COMMAND,
	UI_PROMPT_FILTER,
	UI_PROMPT_SEARCH,
	UI_PROMPT_CONFIRM
};

struct panel_class {
	const char *name;
	/* Paint into the rectangle (y, x, h, w). */
	void (*draw)(struct panel *p, struct ui *ui, int y, int x, int h, int w);
	/*
	 * React to an action (already mapped from a key).  Returns reaction
	 * flags, or -1 when the panel does not handle it (the global handler
	 * then gets it).
	 */
	int (*handle)(struct panel *p, struct ui *ui, enum ui_action a);
	/* Mouse click at a row relative to the panel's top (optional). */
	int (*click)(struct panel *p, struct ui *ui, int row);
	/* Text typed in the prompt for this panel (filter, search); optional. */
	int (*input)(struct panel *p, struct ui *ui, enum ui_prompt_kind kind, const char *text);
	/* Called after each model refresh (optional): sample, read new logs. */
	void (*tick)(struct panel *p, struct ui *ui);
	/* Key contexts active now (enum ui_ctx mask). */
	unsigned (*context)(struct panel *p);
	void (*destroy)(struct panel *p);
};

struct panel {
	const struct panel_class *cls;
};

struct ui_opts {
	int64_t interval_ms;
	bool ascii, mouse, read_only, show_all;
	char theme[256];
};

enum ui_viewid { UI_VIEW_CONTAINERS, UI_VIEW_IMAGES, UI_VIEW_VOLUMES, UI_VIEW__COUNT };

/* Captured stderr while curses owns the screen (capture.c). */
struct ui_capture {
	int saved_fd; /* the real stderr */
	int mem_fd;   /* memfd holding everything written */
	int64_t off;  /* bytes already shown in the status line */
};

/* A command running in a child process so the screen stays live (job.c). */
struct ui_job {
	pid_t pid; /* 0 when idle */
	int fd;    /* read end of the child's stdout+stderr */
	struct strbuf out;
	char *cmdline;
	bool show_output; /* open a pane with the output when it ends (':' commands) */
	int64_t started_ns;
};

struct ui {
	struct cli_ctx *ctx;
	struct ui_opts opts;
	struct ui_model model;
	struct ui_view view; /* container list: filter, sort, rows */
	struct ui_keymap km;
	struct ui_theme theme;
	struct strv themes; /* installed theme names, for A_THEME_NEXT */
	bool colors;
	int rows, cols;
	enum ui_viewid current;
	struct panel *views[UI_VIEW__COUNT];
	struct panel *overlay[4]; /* detail / pager stacked over the view */
	int depth;
	/* status line */
	char status[512];
	bool status_err;
	/* prompt */
	enum ui_prompt_kind prompt;
	char pbuf[512];
	size_t plen;
	char *confirm_cmd; /* command line run when a confirmation says yes */
	struct strv history;
	size_t hist_pos;
	struct ui_capture cap;
	struct ui_job job;
	int64_t next_refresh;
	bool quit;
};

/* ---- panels (one constructor per panel file) --------------------------- */
struct panel *ui_ctrs_new(struct ui *ui);
struct panel *ui_storage_new(struct ui *ui, bool volumes);
struct panel *ui_detail_new(struct ui *ui, const char *id, int tab);
struct panel *ui_pager_new(const char *title, const char *text, bool tail);
enum { UI_TAB_LOGS, UI_TAB_STATS, UI_TAB_TOP, UI_TAB_INSPECT, UI_TAB_INTERNALS, UI_TAB__COUNT };

/* Push a panel over the current view (the ui owns it). */
void ui_push(struct ui *ui, struct panel *p);
void ui_pop(struct ui *ui);
struct panel *ui_top(struct ui *ui);

/* ---- status line and prompt -------------------------------------------- */
void ui_status(struct ui *ui, bool error, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Open the prompt; `initial` pre-fills it (may be NULL). */
void ui_prompt_open(struct ui *ui, enum ui_prompt_kind kind, const char *initial);
/* Ask "question [y/N]" and run `cmdline` through the command table on yes. */
void ui_confirm(struct ui *ui, const char *cmdline, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Handle one key while the prompt is open (prompt.c). */
int ui_prompt_key(struct ui *ui, int key);

/*
 * Run one command line through the shared command table (cli_split +
 * cli_dispatch) with results captured in a memory stream and stderr in the
 * capture file.  *out (may be NULL) receives stdout text (heap).  The status
 * line shows "containr <cmdline>" and the outcome.  Returns the exit code.
 */
int ui_run_cli(struct ui *ui, const char *cmdline, char **out);
/*
 * Run a command line in a child process (fork; the child runs cli_split +
 * cli_dispatch exactly as ui_run_cli would, output to a pipe) so a slow
 * command (stop waits up to 10 s, pull downloads) never freezes the screen.
 * The status line shows "containr <cmdline>" and the last output line while
 * it runs, the outcome when it ends.  One job at a time: returns -1 (and
 * says so) while another runs.
 */
int ui_job_start(struct ui *ui, const char *cmdline, bool show_output);
/* Collect output / the exit of the running job; returns reaction flags. */
int ui_job_poll(struct ui *ui);
/* Wait for a running job to end (at exit). */
void ui_job_finish(struct ui *ui);
/* The dashboard's crash handler must not run in a forked child. */
void ui_crash_guard_off(void);

/* Same without touching the status line; *errtext gets captured stderr. */
int ui_run_cli_quiet(struct ui *ui, const char *cmdline, char **out, char **errtext);
/* True if a command may run in --read-only mode. */
bool ui_cli_read_only_ok(const char *cmdline);
/* Quote a word for a command line (names are safe; paths may not be). */
void ui_cmdline_add(struct strbuf *sb, const char *word);

/* Container actions on the marked rows, or the given container (actions.c). */
int ui_ctr_action(struct ui *ui, enum ui_action a, struct ui_ctr *cur, bool use_marks);
/* endwin, run `exec -it C SHELL` on the terminal, come back (actions.c). */
int ui_exec_shell(struct ui *ui, struct ui_ctr *c);

/* ---- stderr capture (capture.c) ---------------------------------------- */
int ui_capture_start(struct ui_capture *c);
/* New captured text since the last call (heap, "" if none). */
char *ui_capture_take(struct ui_capture *c);
void ui_capture_suspend(struct ui_capture *c); /* real stderr back (exec) */
void ui_capture_resume(struct ui_capture *c);
/* Restore stderr and replay everything captured on it. */
void ui_capture_stop(struct ui_capture *c);

/* ---- drawing helpers (draw.c) ------------------------------------------ */
/* Put text fitted to exactly w columns at (y, x) in element `el`. */
void ui_put(struct ui *ui, int y, int x, int w, enum ui_element el, const char *text);
/* Same, right-aligned. */
void ui_put_right(struct ui *ui, int y, int x, int w, enum ui_element el, const char *text);
/* Fill a line segment with spaces in `el`. */
void ui_fill(int y, int x, int w, enum ui_element el);
/* CPU percent -> element (low / mid / high). */
enum ui_element ui_cpu_element(double pct);
/* Scroll helper: keep *cursor in [0,n) and visible in a window of h rows. */
void ui_scroll_fix(int *cursor, int *top, int n, int h);
/* Apply a navigation action to cursor/top; returns true if it was one. */
bool ui_nav(enum ui_action a, int *cursor, int n, int h);

/* The dashboard entry point (dashboard.c), called by the command handler. */
int ui_dashboard_run(struct cli_ctx *ctx, const struct ui_opts *opts, const struct ui_keymap *km,
                     struct ctr_err *err);

#endif
