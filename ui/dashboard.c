/*
 * dashboard.c - the dashboard's main loop and chrome (header, view tabs,
 * status line, key bar).
 *
 * One loop: wait for a key or the next refresh tick; turn the key into an
 * action through the keymap (focused panel's context first, then global);
 * let the focused panel handle it, else handle it here; then act on the
 * reaction flags (rescan the model, recompute the layout, repaint, quit).
 * The screen is repainted only after a key or a tick, and curses sends only
 * the cells that changed, so an idle dashboard costs little CPU.
 */
#include <curses.h>
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "containr/log.h"
#include "containr/util.h"
#include "format.h"
#include "ui.h"

void ui_push(struct ui *ui, struct panel *p)
{
	if (ui->depth == (int)CTR_ARRAY_SIZE(ui->overlay)) {
		ui->overlay[0]->cls->destroy(ui->overlay[0]);
		memmove(ui->overlay, ui->overlay + 1,
		        sizeof ui->overlay[0] * (size_t)(ui->depth - 1));
		ui->depth--;
	}
	ui->overlay[ui->depth++] = p;
	if (p->cls->tick)
		p->cls->tick(p, ui);
}

void ui_pop(struct ui *ui)
{
	if (ui->depth > 0) {
		struct panel *p = ui->overlay[--ui->depth];
		p->cls->destroy(p);
	}
}

struct panel *ui_top(struct ui *ui)
{
	return ui->depth > 0 ? ui->overlay[ui->depth - 1] : ui->views[ui->current];
}

static void pop_all(struct ui *ui)
{
	while (ui->depth > 0)
		ui_pop(ui);
}

/* ---- refresh ----------------------------------------------------------- */

static void rescan(struct ui *ui)
{
	ui_model_refresh(&ui->model);
	if (ui->current != UI_VIEW_CONTAINERS)
		ui_model_refresh_storage(&ui->model);
	ui_view_build(&ui->model, &ui->view);
	for (int i = 0; i < ui->depth; i++)
		if (ui->overlay[i]->cls->tick)
			ui->overlay[i]->cls->tick(ui->overlay[i], ui);
	if (ui->model.err[0] && !ui->status[0])
		ui_status(ui, true, "%s", ui->model.err);
	/* Library warnings written to stderr meanwhile: last line to the status. */
	cleanup_free char *e = ui_capture_take(&ui->cap);
	if (*e) {
		char *end = e + strlen(e);
		while (end > e && end[-1] == '\n')
			*--end = '\0';
		char *last = strrchr(e, '\n');
		ui_status(ui, true, "%s", last ? last + 1 : e);
	}
}

/* ---- chrome ------------------------------------------------------------ */

static void draw_header(struct ui *ui)
{
	char buf[512], mem[32], tot[32], clock[16];
	size_t running = 0;
	time_t now = time(NULL);
	struct tm tm;

	for (size_t i = 0; i < ui->model.nc; i++)
		running += ui_ctr_running(ui->model.c[i]);
	ui_fmt_size(mem, sizeof mem, ui->model.mem_total - ui->model.mem_avail);
	ui_fmt_size(tot, sizeof tot, ui->model.mem_total);
	localtime_r(&now, &tm);
	strftime(clock, sizeof clock, "%H:%M:%S", &tm);
	snprintf(buf, sizeof buf,
	         " containr dashboard   %zu running / %zu containers   %d CPUs  load %.2f %.2f "
	         "%.2f   mem %s / %s",
	         running, ui->model.nc, ui->model.ncpu, ui->model.load[0], ui->model.load[1],
	         ui->model.load[2], mem, tot);
	ui_fill(0, 0, ui->cols, UI_EL_HEADER);
	ui_put(ui, 0, 0, ui->cols - 10, UI_EL_HEADER, buf);
	ui_put_right(ui, 0, ui->cols - 10, 9, UI_EL_HEADER, clock);
}

static void draw_tabs(struct ui *ui)
{
	static const char *const names[UI_VIEW__COUNT] = {"1 Containers", "2 Images", "3 Volumes"};
	char right[256];
	int x = 1;

	ui_fill(1, 0, ui->cols, UI_EL_TAB);
	for (int i = 0; i < UI_VIEW__COUNT; i++) {
		int w = (int)strlen(names[i]) + 2;
		char b[32];
		snprintf(b, sizeof b, " %s ", names[i]);
		ui_put(ui, 1, x, w, i == (int)ui->current ? UI_EL_TAB_ACTIVE : UI_EL_TAB, b);
		x += w + 1;
	}
	snprintf(right, sizeof right, "%s%s%s  sort:%s%s  theme:%s%s ",
	         ui->view.filter[0] ? "filter:" : "", ui->view.filter,
	         ui->view.filter[0] ? "  " : "", ui_col_name(ui->view.sort),
	         ui->view.reverse ? "(rev)" : "", ui->theme.name,
	         ui->opts.read_only ? "  [read-only]" : "");
	int rw = (int)ui_strwidth(right);
	if (x + rw < ui->cols)
		ui_put_right(ui, 1, ui->cols - rw, rw, UI_EL_DIM, right);
}

static unsigned top_context(struct ui *ui)
{
	struct panel *p = ui_top(ui);
	return (p->cls->context ? p->cls->context(p) : 0) | UI_CTX_GLOBAL;
}

static void draw_keybar(struct ui *ui)
{
	unsigned ctx = top_context(ui);
	int x = 0, y = ui->rows - 1;

	ui_fill(y, 0, ui->cols, UI_EL_KEY_LABEL);
	for (int i = 1; i < A__COUNT && x < ui->cols; i++) {
		const struct ui_action_def *d = ui_action_def((enum ui_action)i);
		char keys[64], first[16];
		if (!(d->flags & UI_ACT_BAR) || !(d->ctx & ctx))
			continue;
		if (ui->opts.read_only && (d->flags & UI_ACT_MUTATES))
			continue;
		/* The key must still reach this action here (remapping may move it). */
		ui_keymap_keys_of(&ui->km, (enum ui_action)i, keys, sizeof keys);
		if (!keys[0])
			continue;
		snprintf(first, sizeof first, "%.*s", (int)strcspn(keys, " "), keys);
		int kw = (int)strlen(first), lw = (int)strlen(d->label) + 1;
		if (x + kw + lw > ui->cols)
			break;
		ui_put(ui, y, x, kw, UI_EL_KEY, first);
		ui_put(ui, y, x + kw, lw, UI_EL_KEY_LABEL, d->label);
		x += kw + lw + 1;
	}
}

static void draw_status(struct ui *ui)
{
	int y = ui->rows - 2;
	static const char *const label[] = {[UI_PROMPT_COMMAND] = ":",
	                                    [UI_PROMPT_FILTER] = "filter: ",
	                                    [UI_PROMPT_SEARCH] = "search: "};
	ui_fill(y, 0, ui->cols, UI_EL_STATUS);
	if (ui->prompt == UI_PROMPT_CONFIRM) {
		char b[600];
		snprintf(b, sizeof b, "%s [y/N]  (containr %s)", ui->pbuf, ui->confirm_cmd);
		ui_put(ui, y, 0, ui->cols, UI_EL_PROMPT, b);
		return;
	}
	if (ui->prompt != UI_PROMPT_NONE) {
		const char *l = label[ui->prompt];
		int lw = (int)strlen(l);
		ui_put(ui, y, 0, lw, UI_EL_PROMPT, l);
		/* Show the end of a long line. */
		const char *t = ui->pbuf;
		while (ui_strwidth(t) > (size_t)(ui->cols - lw - 2))
			t++;
		ui_put(ui, y, lw, ui->cols - lw, UI_EL_NORMAL, t);
		move(y, lw + (int)ui_strwidth(t));
		return;
	}
	ui_put(ui, y, 0, ui->cols, ui->status_err ? UI_EL_STATUS_ERROR : UI_EL_STATUS, ui->status);
}

static void draw(struct ui *ui)
{
	erase();
	getmaxyx(stdscr, ui->rows, ui->cols);
	if (ui->rows < 6 || ui->cols < 30) {
		mvaddstr(0, 0, "containr: window too small");
		refresh();
		return;
	}
	draw_header(ui);
	draw_tabs(ui);
	struct panel *p = ui_top(ui);
	p->cls->draw(p, ui, 2, 0, ui->rows - 4, ui->cols);
	draw_keybar(ui);
	draw_status(ui);
	refresh();
}

/* ---- global actions ---------------------------------------------------- */

static void switch_theme(struct ui *ui)
{
	struct ctr_err err;
	struct ui_theme t;
	size_t next = 0;

	if (ui->themes.n == 0) {
		ui_status(ui, true, "no theme files installed (themes/*.theme)");
		return;
	}
	for (size_t i = 0; i < ui->themes.n; i++)
		if (!strcmp(ui->themes.v[i], ui->theme.name))
			next = (i + 1) % ui->themes.n;
	if (ui_theme_load(&t, ui->themes.v[next], &err) < 0) {
		ui_status(ui, true, "%s", err.msg);
		return;
	}
	snprintf(t.name, sizeof t.name, "%s", ui->themes.v[next]);
	ui->theme = t;
	ui_theme_apply(&ui->theme, ui->colors);
	ui_status(ui, false, "theme: %s", ui->theme.name);
}

static int global_action(struct ui *ui, enum ui_action a)
{
	switch (a) {
	case A_QUIT:
		return UI_QUIT;
	case A_HELP: {
		char *text = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&text, &len);
		fprintf(f,
		        "containr dashboard - keys (remap them in %s with key.<action> = KEY)\n\n",
		        "~/.config/containr/dashboard.conf");
		ui_keymap_help(&ui->km, f);
		fclose(f);
		ui_push(ui, ui_pager_new("Help", text, false));
		free(text);
		return UI_REDRAW;
	}
	case A_PROMPT:
		ui_prompt_open(ui, UI_PROMPT_COMMAND, NULL);
		return UI_REDRAW;
	case A_VIEW_CONTAINERS:
	case A_VIEW_IMAGES:
	case A_VIEW_VOLUMES:
	case A_NEXT_VIEW:
		pop_all(ui);
		ui->current = a == A_NEXT_VIEW
		                  ? (enum ui_viewid)((ui->current + 1) % UI_VIEW__COUNT)
		              : a == A_VIEW_IMAGES  ? UI_VIEW_IMAGES
		              : a == A_VIEW_VOLUMES ? UI_VIEW_VOLUMES
		                                    : UI_VIEW_CONTAINERS;
		if (ui->current != UI_VIEW_CONTAINERS)
			ui_model_refresh_storage(&ui->model);
		return UI_REDRAW;
	case A_THEME_NEXT:
		switch_theme(ui);
		return UI_REDRAW;
	case A_REFRESH:
		clearok(curscr, TRUE);
		return UI_REDRAW | UI_RESCAN;
	default:
		return UI_NOTHING;
	}
}

static int handle_mouse(struct ui *ui)
{
	MEVENT ev;
	struct panel *p = ui_top(ui);

	if (getmouse(&ev) != OK)
		return UI_NOTHING;
	if (ev.bstate & BUTTON4_PRESSED)
		return p->cls->handle(p, ui, A_UP) < 0 ? UI_NOTHING : UI_REDRAW;
#ifdef BUTTON5_PRESSED
	if (ev.bstate & BUTTON5_PRESSED)
		return p->cls->handle(p, ui, A_DOWN) < 0 ? UI_NOTHING : UI_REDRAW;
#endif
	if (!(ev.bstate & (BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON1_DOUBLE_CLICKED)))
		return UI_NOTHING;
	if (ev.y == 1 && ui->depth == 0) {
		int v = ev.x < 16 ? 0 : ev.x < 27 ? 1 : ev.x < 39 ? 2 : -1;
		if (v >= 0)
			return global_action(ui, v == 0   ? A_VIEW_CONTAINERS
			                         : v == 1 ? A_VIEW_IMAGES
			                                  : A_VIEW_VOLUMES);
	}
	if (ev.y >= 2 && ev.y < ui->rows - 2 && p->cls->click) {
		int r = p->cls->click(p, ui, ev.y - 2);
		if (ev.bstate & BUTTON1_DOUBLE_CLICKED)
			r |= p->cls->handle(p, ui, A_OPEN) < 0 ? 0 : UI_REDRAW;
		return r;
	}
	return UI_NOTHING;
}

static int normalize_key(int ch)
{
	if (ch == '\r' || ch == KEY_ENTER)
		return '\n';
	if (ch == 127 || ch == 8)
		return KEY_BACKSPACE;
	return ch;
}

static int handle_key(struct ui *ui, int ch)
{
	if (ch == KEY_RESIZE)
		return UI_RESIZE | UI_REDRAW;
	if (ch == KEY_MOUSE)
		return handle_mouse(ui);
	ch = normalize_key(ch);
	if (ui->prompt != UI_PROMPT_NONE)
		return ui_prompt_key(ui, ch);
	enum ui_action a = ui_keymap_lookup(&ui->km, top_context(ui), ch);
	if (a == A_NONE)
		return UI_NOTHING;
	ui->status[0] = '\0';
	struct panel *p = ui_top(ui);
	int r = p->cls->handle(p, ui, a);
	if (r >= 0)
		return r;
	return global_action(ui, a);
}

/* ---- setup and the loop ------------------------------------------------ */

/* ---- signals --------------------------------------------------------- */

/*
 * SIGINT/SIGTERM/SIGHUP end the loop cleanly.  A crash (SIGSEGV, SIGABRT,
 * ...) or an exit() deep in a library must not leave the terminal in curses
 * mode with the captured stderr lost: restore the screen, replay the
 * capture, then die as the signal says (htop's crash handler does the same).
 */
static volatile sig_atomic_t stop_requested;
static struct ui_capture *active_capture;

static void on_stop_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

static void restore_and_replay(void)
{
	if (!active_capture)
		return;
	if (!isendwin())
		endwin();
	ui_capture_stop(active_capture);
	active_capture = NULL;
}

void ui_crash_guard_off(void)
{
	active_capture = NULL;
}

static void on_crash(int sig)
{
	restore_and_replay();
	signal(sig, SIG_DFL);
	raise(sig);
}

static const int handled_signals[] = {SIGINT, SIGTERM, SIGHUP, SIGSEGV,
                                      SIGBUS, SIGFPE,  SIGILL, SIGABRT};
static struct sigaction saved_actions[CTR_ARRAY_SIZE(handled_signals)];

static void install_signals(struct ui *ui)
{
	static bool atexit_done;
	struct sigaction sa;

	for (size_t i = 0; i < CTR_ARRAY_SIZE(handled_signals); i++) {
		memset(&sa, 0, sizeof sa);
		sigemptyset(&sa.sa_mask);
		sa.sa_handler = i < 3 ? on_stop_signal : on_crash;
		sigaction(handled_signals[i], &sa, &saved_actions[i]);
	}
	active_capture = &ui->cap;
	if (!atexit_done)
		atexit(restore_and_replay);
	atexit_done = true;
}

/* Put back the handlers the caller had (the REPL has its own SIGINT). */
static void restore_signals(void)
{
	for (size_t i = 0; i < CTR_ARRAY_SIZE(handled_signals); i++)
		sigaction(handled_signals[i], &saved_actions[i], NULL);
}

static int init_theme(struct ui *ui, struct ctr_err *err)
{
	ui_theme_list(&ui->themes);
	if (ui->opts.theme[0]) {
		if (ui_theme_load(&ui->theme, ui->opts.theme, err) < 0)
			return -1;
		/* A path names the theme after its file. */
		const char *base = strrchr(ui->opts.theme, '/');
		snprintf(ui->theme.name, sizeof ui->theme.name, "%.*s",
		         (int)strcspn(base ? base + 1 : ui->opts.theme, "."),
		         base ? base + 1 : ui->opts.theme);
	} else if (ui_theme_load(&ui->theme, "default", err) < 0) {
		ctr_err_clear(err);
		ui_theme_builtin(&ui->theme);
		snprintf(ui->theme.name, sizeof ui->theme.name, "default");
	}
	return 0;
}

/* Is the locale's character set UTF-8 (so block characters can be drawn)? */
static bool utf8_locale(void)
{
	const char *cs = nl_langinfo(CODESET);
	return cs && (!strcasecmp(cs, "UTF-8") || !strcasecmp(cs, "utf8"));
}

int ui_dashboard_run(struct cli_ctx *ctx, const struct ui_opts *opts, const struct ui_keymap *km,
                     struct ctr_err *err)
{
	struct ui *ui = xcalloc(1, sizeof *ui);
	struct ctr_store *st = NULL;
	int rc = -1;

	ui->ctx = ctx;
	ui->opts = *opts;
	strv_init(&ui->themes);
	strv_init(&ui->history);
	ui->cap.mem_fd = ui->cap.saved_fd = -1;
	ui->job.fd = -1;
	strbuf_init(&ui->job.out);
	if (cli_store(ctx, &st, err) < 0)
		goto out;
	if (init_theme(ui, err) < 0)
		goto out;
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		ctr_fail(err, E_USAGE, "the dashboard needs a terminal");
		ctr_hint(err, "run it in a terminal; for scripts use 'containr ps' or 'containr "
		              "stats --no-stream'");
		goto out;
	}

	ui->km = *km;
	ui->km.read_only = ui->opts.read_only;
	ui_model_init(&ui->model, st);
	ui->view.sort = UI_COL_NAME;
	ui->view.show_all = ui->opts.show_all;
	ui->views[UI_VIEW_CONTAINERS] = ui_ctrs_new(ui);
	ui->views[UI_VIEW_IMAGES] = ui_storage_new(ui, false);
	ui->views[UI_VIEW_VOLUMES] = ui_storage_new(ui, true);

	setlocale(LC_ALL, "");
	if (!ui->opts.ascii && !utf8_locale())
		ui->opts.ascii = true;
	ui_capture_start(&ui->cap);
	stop_requested = 0;
	install_signals(ui);
	set_escdelay(25);
	initscr();
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	curs_set(0);
	ui->colors = has_colors();
	if (ui->colors) {
		start_color();
		use_default_colors();
	}
	ui_theme_apply(&ui->theme, ui->colors);
	if (ui->opts.mouse)
		mousemask(BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON1_DOUBLE_CLICKED |
		              BUTTON4_PRESSED
#ifdef BUTTON5_PRESSED
		              | BUTTON5_PRESSED
#endif
		          ,
		          NULL);
	ui_status(ui, false, "? help   : command   q quit%s",
	          ui->opts.read_only ? "   (read-only: actions that change anything are off)" : "");

	rescan(ui);
	ui->next_refresh = ctr_mono_ns() / 1000000 + ui->opts.interval_ms;
	draw(ui);
	while (!ui->quit && !stop_requested) {
		int64_t now = ctr_mono_ns() / 1000000;
		int64_t wait = ui->next_refresh - now;
		int react = UI_NOTHING;
		if (wait < 0)
			wait = 0;
		if (ui->job.pid && wait > 100)
			wait = 100; /* a job is running: watch its output */
		timeout((int)wait);
		int ch = getch();
		if (ch != ERR)
			react = handle_key(ui, ch);
		react |= ui_job_poll(ui);
		now = ctr_mono_ns() / 1000000;
		if (now >= ui->next_refresh) {
			react |= UI_RESCAN | UI_REDRAW;
			ui->next_refresh = now + ui->opts.interval_ms;
		}
		if (react & UI_QUIT)
			break;
		if (react & UI_RESIZE) {
			endwin();
			refresh();
			clearok(curscr, TRUE);
		}
		if (react & UI_RESCAN)
			rescan(ui);
		if (react & (UI_REDRAW | UI_RESCAN | UI_RESIZE))
			draw(ui);
	}
	endwin();
	rc = 0;
out:
	if (active_capture) {
		restore_and_replay();
		restore_signals();
	}
	ui_capture_stop(&ui->cap); /* no-op if already replayed */
	ui_job_finish(ui);
	pop_all(ui);
	for (int i = 0; i < UI_VIEW__COUNT; i++)
		if (ui->views[i])
			ui->views[i]->cls->destroy(ui->views[i]);
	ui_model_free(&ui->model);
	ui_view_free(&ui->view);
	strv_release(&ui->themes);
	strv_release(&ui->history);
	free(ui->confirm_cmd);
	free(ui);
	return rc;
}
