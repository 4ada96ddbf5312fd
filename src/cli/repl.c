/*
 * repl.c - the interactive `containr>` prompt (GNU readline).
 *
 * Each line is split like a batch script (cli_split: `a; b` works, quotes,
 * backslashes) and every command goes through cli_dispatch(), so the REPL
 * is just another face of the one command table: same help, same errors,
 * same completion (cli_complete).  A failing command prints its error and
 * the prompt comes back.
 *
 * readline runs in its callback mode under our own select() loop, so a
 * SIGINT handler only sets a flag and Ctrl-C at the prompt clears the line
 * without exiting, the way shells do; during a command the same flag is
 * ctx->interrupted, which batch loops and long-running commands check.
 *
 * History: $CONTAINR_HISTFILE, else $XDG_STATE_HOME/containr/history
 * (~/.local/state/containr/history); "/dev/null" or "" disables it.  The
 * file is read at start and each new line is appended as it is entered
 * (append_history), so two REPLs never overwrite each other's lines; at exit
 * the file is trimmed to the last CONTAINR_HISTSIZE (default 1000) lines.
 *
 * Client-side dot-commands: .timing on|off, .explain on|off, .help.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <unistd.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "cli/cli.h"
#include "containr/log.h"

#define PROMPT      "containr> "
#define PROMPT_MORE "      ...> "

struct repl {
	struct cli_ctx *ctx;
	char *histfile; /* NULL: no history file */
	bool timing;
	bool quit;
	int exit_status;
};

static volatile sig_atomic_t got_sigint;
static volatile sig_atomic_t got_sigwinch;
static struct cli_ctx *sig_ctx;

static void on_sigint(int sig)
{
	(void)sig;
	got_sigint = 1;
	if (sig_ctx)
		sig_ctx->interrupted = 1;
}

static void on_sigwinch(int sig)
{
	(void)sig;
	got_sigwinch = 1;
}

static void install_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_sigint; /* no SA_RESTART: select() and reads see EINTR */
	sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = on_sigwinch;
	sigaction(SIGWINCH, &sa, NULL);
}

/* ---- history ----------------------------------------------------------- */

/* The history file to use, or NULL when history is disabled. */
static char *history_path(void)
{
	const char *env = getenv("CONTAINR_HISTFILE");
	const char *state = getenv("XDG_STATE_HOME");
	const char *home = getenv("HOME");

	if (env)
		return (*env && strcmp(env, "/dev/null") != 0) ? xstrdup(env) : NULL;
	if (state && *state)
		return xasprintf("%s/containr/history", state);
	if (home && *home)
		return xasprintf("%s/.local/state/containr/history", home);
	return NULL;
}

static void history_open(struct repl *r)
{
	cleanup_free char *dir = NULL;
	struct ctr_err err;
	char *slash;
	int fd;

	using_history();
	r->histfile = history_path();
	if (!r->histfile)
		return;
	dir = xstrdup(r->histfile);
	slash = strrchr(dir, '/');
	if (slash && slash != dir) {
		*slash = '\0';
		ctr_err_clear(&err);
		if (ctr_mkdir_p(dir, 0700, &err) < 0) {
			ctr_warn("history disabled", "file", r->histfile, "error", err.msg);
			free(r->histfile);
			r->histfile = NULL;
			return;
		}
	}
	/* append_history() needs an existing file */
	fd = open(r->histfile, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (fd < 0) {
		ctr_warn("history disabled", "file", r->histfile, "error", strerror(errno));
		free(r->histfile);
		r->histfile = NULL;
		return;
	}
	close(fd);
	read_history(r->histfile);
}

/* Remember `line` in memory and append it to the file at once. */
static void history_remember(struct repl *r, const char *line)
{
	HIST_ENTRY *last =
	    history_length > 0 ? history_get(history_base + history_length - 1) : NULL;

	if (last && !strcmp(last->line, line))
		return; /* like HISTCONTROL=ignoredups */
	add_history(line);
	if (r->histfile && append_history(1, r->histfile) != 0)
		ctr_debug("cannot append to history", "file", r->histfile);
}

static void history_close(struct repl *r)
{
	const char *env = getenv("CONTAINR_HISTSIZE");
	int max = 1000;

	if (env && ctr_parse_int(env, INT_MIN, INT_MAX, &max) < 0)
		max = 1000;

	if (r->histfile)
		history_truncate_file(r->histfile, max > 0 ? max : 1000);
	clear_history();
	free(r->histfile);
	r->histfile = NULL;
}

/* ---- completion -------------------------------------------------------- */

static struct cli_ctx *comp_ctx;
static struct strv comp_cands;
static size_t comp_next;

static char *comp_generator(const char *text, int state)
{
	(void)text; /* candidates are already filtered by cli_complete() */
	if (state == 0)
		comp_next = 0;
	if (comp_next < comp_cands.n)
		return xstrdup(comp_cands.v[comp_next++]);
	return NULL;
}

/*
 * Complete the word at [start, end) of the line: the words of the current
 * command (after the last ';') before it, then the partial word itself.
 */
static char **repl_complete(const char *text, int start, int end)
{
	cleanup_free char *before = xstrndup(rl_line_buffer, start);
	const char *eq = text[0] == '-' ? strchr(text, '=') : NULL;
	struct strv words;
	char *seg, *save = NULL, *w;

	(void)end;
	seg = strrchr(before, ';');
	seg = seg ? seg + 1 : before;
	strv_init(&words);
	for (w = strtok_r(seg, " \t", &save); w; w = strtok_r(NULL, " \t", &save))
		strv_push(&words, w);
	if (eq) {
		/* --flag=VAL completes like --flag VAL; keep "--flag=" in the word */
		strv_push_owned(&words, xstrndup(text, eq - text));
		strv_push(&words, eq + 1);
	} else {
		strv_push(&words, text);
	}
	strv_release(&comp_cands);
	strv_init(&comp_cands);
	cli_complete(comp_ctx, (int)words.n, words.v, (int)words.n - 1, &comp_cands);
	strv_release(&words);
	if (eq)
		for (size_t i = 0; i < comp_cands.n; i++) {
			char *c = xasprintf("%.*s%s", (int)(eq + 1 - text), text, comp_cands.v[i]);

			free(comp_cands.v[i]);
			comp_cands.v[i] = c;
		}
	if (comp_cands.n == 0)
		return NULL; /* readline falls back to file names, like bash -o default */
	rl_attempted_completion_over = 1;
	return rl_completion_matches(text, comp_generator);
}

/* ---- reading a line ---------------------------------------------------- */

static char *cb_line;
static bool cb_done, cb_eof;

static void on_line(char *line)
{
	cb_line = line;
	cb_eof = line == NULL;
	cb_done = true;
	/* no new prompt while the command runs */
	rl_callback_handler_remove();
}

/*
 * Read one line with `prompt`.  Ctrl-C clears the line and prompts again.
 * Returns a heap string, or NULL at end of input (Ctrl-D).
 */
static char *repl_readline(const char *prompt)
{
	int fd = fileno(rl_instream ? rl_instream : stdin);

	cb_done = cb_eof = false;
	cb_line = NULL;
	got_sigint = 0;
	rl_callback_handler_install(prompt, on_line);
	while (!cb_done) {
		fd_set fds;
		int n;

		FD_ZERO(&fds);
		FD_SET(fd, &fds);
		n = select(fd + 1, &fds, NULL, NULL, NULL);
		if (got_sigwinch) {
			got_sigwinch = 0;
			rl_resize_terminal();
		}
		if (got_sigint) {
			/* Ctrl-C: drop the line, show a fresh prompt */
			got_sigint = 0;
			rl_free_line_state();
			rl_callback_sigcleanup();
			rl_replace_line("", 0);
			rl_crlf();
			rl_on_new_line();
			rl_redisplay();
			continue;
		}
		if (n < 0) {
			if (errno == EINTR)
				continue;
			rl_callback_handler_remove();
			return NULL;
		}
		if (n > 0)
			rl_callback_read_char();
	}
	if (cb_eof)
		fputc('\n', rl_outstream ? rl_outstream : stdout);
	return cb_line;
}

/* ---- dot-commands ------------------------------------------------------ */

static int parse_onoff(const char *what, const char *arg, bool *val)
{
	struct ctr_err err;

	if (!arg) {
		printf("%s is %s\n", what, *val ? "on" : "off");
		return 0;
	}
	if (!strcmp(arg, "on") || !strcmp(arg, "1") || !strcmp(arg, "true")) {
		*val = true;
		return 0;
	}
	if (!strcmp(arg, "off") || !strcmp(arg, "0") || !strcmp(arg, "false")) {
		*val = false;
		return 0;
	}
	ctr_fail(&err, E_USAGE, "%s takes on or off, not \"%s\"", what, arg);
	ctr_hint(&err, "type .help for the dot-commands");
	cli_print_error(&err);
	return cli_exit_status(NULL, -1, &err);
}

static void dot_help(void)
{
	printf("Commands are the same as on the command line, without \"containr\":\n"
	       "  ps -a; images          several commands on one line\n"
	       "  help [COMMAND]         list commands, or help for one command\n"
	       "  exit, quit, Ctrl-D     leave (exit N: with status N)\n"
	       "Client-side commands:\n"
	       "  .timing on|off         print the time each command takes (stderr)\n"
	       "  .explain on|off        print each kernel-facing step (like --explain)\n"
	       "  .help                  this text\n"
	       "Tab completes commands, flags, containers, images and volumes.\n"
	       "Ctrl-C clears the line; Up/Down and Ctrl-R search the history.\n");
}

static int dot_command(struct repl *r, const struct strv *w)
{
	const char *arg = w->n > 1 ? w->v[1] : NULL;
	struct ctr_err err;

	if (w->n > 2) {
		ctr_fail(&err, E_USAGE, "%s takes at most one argument", w->v[0]);
		cli_print_error(&err);
		return cli_exit_status(NULL, -1, &err);
	}
	if (!strcmp(w->v[0], ".timing"))
		return parse_onoff(".timing", arg, &r->timing);
	if (!strcmp(w->v[0], ".explain")) {
		bool on = ctr_explain_enabled();
		int rc = parse_onoff(".explain", arg, &on);

		ctr_explain_set(on);
		return rc;
	}
	if (!strcmp(w->v[0], ".help")) {
		dot_help();
		return 0;
	}
	ctr_fail(&err, E_USAGE, "unknown dot-command \"%s\"", w->v[0]);
	ctr_hint(&err, "the dot-commands are .timing, .explain and .help");
	cli_print_error(&err);
	return cli_exit_status(NULL, -1, &err);
}

/* ---- running a line ---------------------------------------------------- */

static bool is_exit(const char *w)
{
	return !strcmp(w, "exit") || !strcmp(w, "quit");
}

static int run_one(struct repl *r, struct strv *w)
{
	int64_t t0;
	int rc;

	if (w->v[0][0] == '.')
		return dot_command(r, w);
	if (is_exit(w->v[0])) {
		r->quit = true;
		r->exit_status = 0; /* "exit N"; not a number exits 0, as before */
		if (w->n > 1 && ctr_parse_int(w->v[1], INT_MIN, INT_MAX, &r->exit_status) < 0)
			r->exit_status = 0;
		return 0;
	}
	t0 = ctr_mono_ns();
	rc = cli_dispatch(r->ctx, (int)w->n, w->v);
	fflush(r->ctx->out ? r->ctx->out : stdout);
	if (r->timing) {
		double ms = (double)(ctr_mono_ns() - t0) / 1e6;

		if (ms < 1000)
			fprintf(stderr, "time: %.3fms (exit status %d)\n", ms, rc);
		else
			fprintf(stderr, "time: %.3fs (exit status %d)\n", ms / 1000, rc);
	}
	return rc;
}

/*
 * Run every command of `text`, stopping at the first failure (as -c
 * does) or at Ctrl-C.
 */
static void run_line(struct repl *r, const char *text)
{
	struct cli_script s;
	struct ctr_err err;

	ctr_err_clear(&err);
	if (cli_split(text, &s, &err) < 0) {
		cli_print_error(&err);
		return;
	}
	int rc = 0;

	r->ctx->interrupted = 0;
	for (size_t i = 0; i < s.n && !r->quit; i++) {
		rc = run_one(r, &s.cmds[i]);
		if (rc != 0 || r->ctx->interrupted)
			break;
	}
	/* after the echoed ^C (seen by us, or by a command that relays SIGINT) */
	if (r->ctx->interrupted || rc == 128 + SIGINT)
		fputc('\n', stderr);
	r->ctx->interrupted = 0;
	cli_script_free(&s);
}

/* A line needs more input when a quote is open or it ends with a backslash. */
static bool needs_more(const char *text)
{
	struct cli_script s;
	struct ctr_err err;
	size_t len = strlen(text);

	if (len > 0 && text[len - 1] == '\\')
		return true;
	ctr_err_clear(&err);
	if (cli_split(text, &s, &err) == 0) {
		cli_script_free(&s);
		return false;
	}
	return strstr(err.msg, "unterminated") != NULL;
}

/*
 * The history form of a command: backslash-newline continuations joined
 * (in place, in the caller's copy), so a continued command is one history
 * line.  A newline inside
 * quotes stays (readline's file then shows it as two lines).
 */
static char *joined_for_history(char *text)
{
	char *w = text;

	for (const char *r = text; *r; r++) {
		if (r[0] == '\\' && r[1] == '\n') {
			r++;
			continue;
		}
		*w++ = *r;
	}
	*w = '\0';
	return text;
}

int cli_repl_impl(struct cli_ctx *ctx)
{
	struct repl r = {.ctx = ctx};
	struct sigaction old_int, old_winch;

	ctx->repl = true;
	sig_ctx = ctx;
	comp_ctx = ctx;
	strv_init(&comp_cands);
	sigaction(SIGINT, NULL, &old_int);
	sigaction(SIGWINCH, NULL, &old_winch);
	rl_readline_name = "containr";
	rl_catch_signals = 0;
	rl_catch_sigwinch = 0;
	rl_attempted_completion_function = repl_complete;
	/* words are whole shell words: "--format=j" and "busybox:la" stay one word */
	rl_completer_word_break_characters = " \t\n;";
	history_open(&r);
	printf("containr %s - type help for commands, .help for the prompt, Ctrl-D to leave\n",
	       CONTAINR_VERSION);
	while (!r.quit) {
		struct strbuf text;
		char *line;

		install_signals();
		line = repl_readline(PROMPT);
		if (!line)
			break;
		strbuf_init(&text);
		strbuf_puts(&text, line);
		free(line);
		while (needs_more(text.buf)) {
			line = repl_readline(PROMPT_MORE);
			if (!line)
				break;
			strbuf_putc(&text, '\n');
			strbuf_puts(&text, line);
			free(line);
		}
		while (text.len > 0 &&
		       (text.buf[text.len - 1] == ' ' || text.buf[text.len - 1] == '\t'))
			text.buf[--text.len] = '\0';
		if (text.buf[strspn(text.buf, " \t\n")] != '\0') {
			cleanup_free char *h = joined_for_history(xstrdup(text.buf));

			history_remember(&r, h);
			run_line(&r, text.buf);
		}
		strbuf_release(&text);
	}
	history_close(&r);
	strv_release(&comp_cands);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGWINCH, &old_winch, NULL);
	sig_ctx = NULL;
	comp_ctx = NULL;
	return r.exit_status;
}
