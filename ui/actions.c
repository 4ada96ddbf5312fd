/*
 * actions.c - everything the dashboard changes goes through the shared
 * command table: a key press becomes a command line ("stop web db"), shown
 * in the status line as the CLI equivalent and run by cli_dispatch() with
 * its output captured.  No command is implemented twice.
 */
#include <ctype.h>
#include <curses.h>
#include <limits.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "containr/util.h"
#include "ui.h"

void ui_cmdline_add(struct strbuf *sb, const char *word)
{
	bool plain = *word != '\0';
	for (const char *p = word; *p; p++)
		if (!(isalnum((unsigned char)*p) || strchr("-_.:/@=,+%", *p)))
			plain = false;
	if (sb->len)
		strbuf_putc(sb, ' ');
	if (plain) {
		strbuf_puts(sb, word);
		return;
	}
	strbuf_putc(sb, '\'');
	for (const char *p = word; *p; p++) {
		if (*p == '\'')
			strbuf_puts(sb, "'\\''");
		else
			strbuf_putc(sb, *p);
	}
	strbuf_putc(sb, '\'');
}

/* Commands that only read: allowed from the prompt in --read-only mode. */
bool ui_cli_read_only_ok(const char *cmdline)
{
	static const char *const ok[] = {"ps",   "ls",    "list",    "images", "inspect", "logs",
	                                 "top",  "stats", "version", "info",   "help",    "history",
	                                 "port", "diff",  "events",  NULL};
	struct cli_script s;
	struct ctr_err err;
	bool allowed = true;

	if (cli_split(cmdline, &s, &err) < 0)
		return true; /* the dispatcher reports the syntax error */
	for (size_t i = 0; i < s.n && allowed; i++) {
		char **v = s.cmds[i].v;
		bool hit = false;
		const struct cli_command *c = cli_find(NULL, v[0]);
		const char *name = c ? c->name : v[0];
		for (size_t k = 0; ok[k]; k++)
			if (!strcmp(name, ok[k]))
				hit = true;
		/* "volume ls", "volume inspect", "image ls", "image inspect" */
		if (!hit && s.cmds[i].n >= 2 && (!strcmp(name, "volume") || !strcmp(name, "image")))
			hit = !strcmp(v[1], "ls") || !strcmp(v[1], "list") ||
			      !strcmp(v[1], "inspect");
		allowed = hit;
	}
	cli_script_free(&s);
	return allowed;
}

/* Read all of a memfd (heap string). */
static char *memfd_text(int fd)
{
	struct strbuf sb;
	char buf[4096];
	off_t off = 0;
	ssize_t n;
	strbuf_init(&sb);
	while ((n = pread(fd, buf, sizeof buf, off)) > 0) {
		strbuf_add(&sb, buf, (size_t)n);
		off += n;
	}
	return strbuf_detach(&sb);
}

int ui_run_cli_quiet(struct ui *ui, const char *cmdline, char **out, char **errtext)
{
	struct cli_script s;
	struct ctr_err err;
	char *buf = NULL;
	size_t len = 0;
	int rc = 0;

	if (errtext)
		*errtext = NULL;
	if (out)
		*out = NULL;
	free(ui_capture_take(&ui->cap)); /* only what this command says */
	if (cli_split(cmdline, &s, &err) < 0) {
		cli_print_error(&err);
		rc = 2;
		goto done;
	}
	FILE *mem = open_memstream(&buf, &len);
	FILE *saved = ui->ctx->out;
	bool saved_batch = ui->ctx->batch, saved_tty = ui->ctx->stdout_tty;
	/* A handler that writes to stdout directly must not hit the screen. */
	fflush(stdout);
	int out_fd = memfd_create("containr-stdout", MFD_CLOEXEC);
	int saved_stdout = fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3);
	if (out_fd >= 0 && saved_stdout >= 0)
		dup2(out_fd, STDOUT_FILENO);
	ui->ctx->out = mem;
	ui->ctx->batch = true; /* never prompt on the terminal curses owns */
	ui->ctx->stdout_tty = false;
	for (size_t i = 0; i < s.n; i++) {
		rc = cli_dispatch(ui->ctx, (int)s.cmds[i].n, s.cmds[i].v);
		if (rc != 0)
			break;
	}
	ui->ctx->out = saved;
	ui->ctx->batch = saved_batch;
	ui->ctx->stdout_tty = saved_tty;
	fclose(mem);
	fflush(stdout);
	if (saved_stdout >= 0) {
		dup2(saved_stdout, STDOUT_FILENO);
		close(saved_stdout);
	}
	if (out_fd >= 0) {
		cleanup_free char *stray = memfd_text(out_fd);
		close(out_fd);
		if (*stray) {
			char *joined = xasprintf("%s%s", buf ? buf : "", stray);
			free(buf);
			buf = joined;
		}
	}
	cli_script_free(&s);
done:
	if (out)
		*out = buf ? buf : xstrdup("");
	else
		free(buf);
	char *e = ui_capture_take(&ui->cap);
	if (errtext)
		*errtext = e;
	else
		free(e);
	return rc;
}

/* Last non-empty line of text, without "containr: " (into buf). */
static void last_line(const char *text, char *buf, size_t len, bool skip_hint)
{
	const char *best = NULL;
	size_t best_len = 0;
	for (const char *l = text; l && *l;) {
		const char *nl = strchr(l, '\n');
		size_t n = nl ? (size_t)(nl - l) : strlen(l);
		if (n && !(skip_hint && !strncmp(l, "hint: ", 6))) {
			best = l;
			best_len = n;
		}
		l = nl ? nl + 1 : NULL;
	}
	if (best && best_len > 10 && !strncmp(best, "containr: ", 10)) {
		best += 10;
		best_len -= 10;
	}
	snprintf(buf, len, "%.*s", (int)best_len, best ? best : "");
}

int ui_run_cli(struct ui *ui, const char *cmdline, char **out)
{
	cleanup_free char *errtext = NULL, *o = NULL;
	char line[400];
	int rc;

	ui_status(ui, false, "containr %s ...", cmdline);
	refresh();
	rc = ui_run_cli_quiet(ui, cmdline, &o, &errtext);
	if (rc != 0) {
		last_line(errtext, line, sizeof line, true);
		ui_status(ui, true, "containr %s: %s", cmdline, line[0] ? line : "failed");
	} else {
		last_line(o, line, sizeof line, false);
		ui_status(ui, false, "containr %s%s%s", cmdline, line[0] ? "  -> " : "  ok", line);
	}
	if (out)
		*out = steal_pointer(&o);
	return rc;
}

int ui_ctr_action(struct ui *ui, enum ui_action a, struct ui_ctr *cur, bool use_marks)
{
	const struct ui_action_def *def = ui_action_def(a);
	struct strbuf cmd, names;
	size_t n = 0;
	bool any_running = false;

	strbuf_init(&cmd);
	strbuf_init(&names);
	for (size_t i = 0; i < ui->model.nc; i++) {
		struct ui_ctr *c = ui->model.c[i];
		if (!use_marks || !c->marked)
			continue;
		ui_cmdline_add(&names, ui_ctr_ref(c));
		any_running |= ui_ctr_running(c);
		n++;
	}
	if (n == 0 && cur) {
		ui_cmdline_add(&names, ui_ctr_ref(cur));
		any_running = ui_ctr_running(cur);
		n = 1;
	}
	if (n == 0) {
		ui_status(ui, true, "no container selected");
		goto out;
	}
	if (a == A_REMOVE)
		strbuf_printf(&cmd, "rm%s %s", any_running ? " -f" : "", names.buf);
	else
		strbuf_printf(&cmd, "%s %s", def->cli, names.buf);
	if (a == A_STOP || a == A_KILL || a == A_RESTART || a == A_REMOVE) {
		ui_confirm(ui, cmd.buf, "%s %s%s?", def->label, names.buf,
		           a == A_REMOVE && any_running ? " (running: forced)" : "");
	} else {
		ui_job_start(ui, cmd.buf, false);
		for (size_t i = 0; i < ui->model.nc; i++)
			ui->model.c[i]->marked = false;
	}
out:
	strbuf_release(&cmd);
	strbuf_release(&names);
	return UI_REDRAW | UI_RESCAN;
}

int ui_exec_shell(struct ui *ui, struct ui_ctr *c)
{
	static const char *const shells[] = {"/bin/bash",     "/bin/sh",     "/bin/ash",
	                                     "/usr/bin/bash", "/usr/bin/sh", NULL};
	const char *shell = NULL;
	char path[PATH_MAX];

	if (!c || !ui_ctr_running(c) || c->pid <= 0) {
		ui_status(ui, true, "%s is not running: start it first (S)",
		          c ? ui_ctr_ref(c) : "?");
		return UI_REDRAW;
	}
	if (!strcmp(c->state, "paused")) {
		ui_status(ui, true, "%s is paused: unpause it first (P)", ui_ctr_ref(c));
		return UI_REDRAW;
	}
	for (size_t i = 0; shells[i] && !shell; i++) {
		snprintf(path, sizeof path, "/proc/%d/root%s", (int)c->pid, shells[i]);
		if (access(path, X_OK) == 0)
			shell = strrchr(shells[i], '/') + 1;
	}
	if (!shell) {
		ui_status(ui, true,
		          "no shell in %s (looked for bash, sh, ash): try  :exec %s COMMAND",
		          ui_ctr_ref(c), ui_ctr_ref(c));
		return UI_REDRAW;
	}
	char ref[140];
	snprintf(ref, sizeof ref, "%s", ui_ctr_ref(c));
	char *argv[] = {"exec", "-it", ref, (char *)shell, NULL};

	def_prog_mode();
	endwin();
	ui_capture_suspend(&ui->cap);
	printf("containr exec -it %s %s   (exit the shell to return to the dashboard)\n", ref,
	       shell);
	fflush(stdout);
	FILE *saved = ui->ctx->out;
	bool saved_tty = ui->ctx->stdout_tty;
	ui->ctx->out = stdout;
	ui->ctx->stdout_tty = true;
	int rc = cli_dispatch(ui->ctx, 4, argv);
	ui->ctx->out = saved;
	ui->ctx->stdout_tty = saved_tty;
	fflush(stdout);
	ui_capture_resume(&ui->cap);
	reset_prog_mode();
	clear();
	refresh();
	ui_status(ui, rc != 0, "containr exec -it %s %s  -> exit status %d", ref, shell, rc);
	return UI_REDRAW | UI_RESCAN | UI_RESIZE;
}
