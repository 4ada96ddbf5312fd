/*
 * job.c - commands the dashboard runs in a child process.
 *
 * The child is a fork of the dashboard: it runs the command line through
 * the same cli_split + cli_dispatch as the CLI (so still no second
 * implementation), with stdout and stderr on a pipe, and _exits with the
 * command's status.  The parent keeps drawing; each loop turn it drains the
 * pipe (the last line goes to the status line, so `pull` shows progress)
 * and reaps the child.  Curses state is inherited but never touched by the
 * child.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "containr/util.h"
#include "ui.h"

static void run_child(struct ui *ui, const char *cmdline, int wfd)
{
	struct cli_script s;
	struct ctr_err err;
	int rc = 0;

	ui_crash_guard_off();
	dup2(wfd, STDOUT_FILENO);
	dup2(wfd, STDERR_FILENO);
	close(wfd);
	ui->ctx->out = stdout;
	ui->ctx->batch = true; /* never prompt: the terminal belongs to curses */
	ui->ctx->stdout_tty = false;
	if (cli_split(cmdline, &s, &err) < 0) {
		cli_print_error(&err);
		_exit(2);
	}
	for (size_t i = 0; i < s.n; i++) {
		rc = cli_dispatch(ui->ctx, (int)s.cmds[i].n, s.cmds[i].v);
		if (rc != 0)
			break;
	}
	fflush(stdout);
	fflush(stderr);
	_exit(rc & 0xff);
}

int ui_job_start(struct ui *ui, const char *cmdline, bool show_output)
{
	int p[2];

	if (ui->job.pid) {
		ui_status(ui, true, "busy: containr %s is still running", ui->job.cmdline);
		return -1;
	}
	if (pipe2(p, O_CLOEXEC) < 0) {
		ui_status(ui, true, "cannot run containr %s: %s", cmdline, strerror(errno));
		return -1;
	}
	fflush(stdout);
	fflush(stderr);
	pid_t pid = fork();
	if (pid < 0) {
		ui_status(ui, true, "cannot run containr %s: %s", cmdline, strerror(errno));
		close(p[0]);
		close(p[1]);
		return -1;
	}
	if (pid == 0) {
		close(p[0]);
		run_child(ui, cmdline, p[1]);
	}
	close(p[1]);
	fcntl(p[0], F_SETFL, O_NONBLOCK);
	ui->job.pid = pid;
	ui->job.fd = p[0];
	ui->job.show_output = show_output;
	ui->job.started_ns = ctr_mono_ns();
	free(ui->job.cmdline);
	ui->job.cmdline = xstrdup(cmdline);
	strbuf_reset(&ui->job.out);
	ui_status(ui, false, "containr %s ...", cmdline);
	return 0;
}

/* Last non-empty line of text (progress redraws with \r count as lines). */
static void last_line(const char *text, char *buf, size_t len, bool skip_hint)
{
	const char *best = NULL;
	size_t best_len = 0;

	if (!text)
		text = "";
	for (const char *l = text; *l;) {
		size_t n = strcspn(l, "\r\n");
		if (n && !(skip_hint && !strncmp(l, "hint: ", 6))) {
			best = l;
			best_len = n;
		}
		l += n;
		while (*l == '\r' || *l == '\n')
			l++;
	}
	if (best && best_len > 10 && !strncmp(best, "containr: ", 10)) {
		best += 10;
		best_len -= 10;
	}
	snprintf(buf, len, "%.*s", (int)best_len, best ? best : "");
}

static bool drain(struct ui *ui)
{
	char buf[4096];
	bool got = false;
	ssize_t n;

	while ((n = read(ui->job.fd, buf, sizeof buf)) > 0) {
		strbuf_add(&ui->job.out, buf, (size_t)n);
		got = true;
	}
	return got;
}

int ui_job_poll(struct ui *ui)
{
	char line[400];
	int status;

	if (!ui->job.pid)
		return UI_NOTHING;
	bool got = drain(ui);
	pid_t r = waitpid(ui->job.pid, &status, WNOHANG);
	if (r == 0) {
		if (!got)
			return UI_NOTHING;
		last_line(ui->job.out.buf, line, sizeof line, false);
		ui_status(ui, false, "containr %s ... %s", ui->job.cmdline, line);
		return UI_REDRAW;
	}
	drain(ui);
	close(ui->job.fd);
	ui->job.fd = -1;
	ui->job.pid = 0;
	int rc = r < 0 ? 1 : WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	if (rc != 0) {
		/* Keep the failure for the stderr replay at exit, as if the
		 * command had run in-process; it is shown now, so mark it read. */
		fputs(ui->job.out.buf, stderr);
		free(ui_capture_take(&ui->cap));
		last_line(ui->job.out.buf, line, sizeof line, true);
		ui_status(ui, true, "containr %s: %s", ui->job.cmdline, line[0] ? line : "failed");
	} else {
		last_line(ui->job.out.buf, line, sizeof line, false);
		ui_status(ui, false, "containr %s%s%s", ui->job.cmdline, line[0] ? "  -> " : "  ok",
		          line);
	}
	if (ui->job.show_output && ui->job.out.len) {
		char *title = xasprintf("containr %s", ui->job.cmdline);
		ui_push(ui, ui_pager_new(title, ui->job.out.buf, false));
		free(title);
	}
	return UI_REDRAW | UI_RESCAN;
}

void ui_job_finish(struct ui *ui)
{
	int status;

	if (ui->job.pid) {
		while (waitpid(ui->job.pid, &status, 0) < 0 && errno == EINTR)
			;
		ui->job.pid = 0;
	}
	if (ui->job.fd >= 0)
		close(ui->job.fd);
	ui->job.fd = -1;
	strbuf_release(&ui->job.out);
	free(ui->job.cmdline);
	ui->job.cmdline = NULL;
}
