/*
 * top.c - `containr top`: the host's ps, filtered to one container.
 *
 * As Docker does: run `ps` (default options -ef) on the host, find the PID
 * column in its header, and keep the rows whose pid is in the container's
 * cgroup.  Pids are host pids, so the output matches what the host's ps
 * shows.  ps runs through posix_spawnp with the user's options as separate
 * arguments (no shell).
 */
#include "containr/stats.h"

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "containr/log.h"

extern char **environ;

static bool pid_in(const pid_t *pids, size_t n, long pid)
{
	for (size_t i = 0; i < n; i++)
		if ((long)pids[i] == pid)
			return true;
	return false;
}

/* Split a line on blanks into at most `max` fields (0 = unlimited); the
 * last field keeps the rest of the line, inner spacing collapsed. */
static void split_fields(const char *line, size_t max, struct strv *out)
{
	const char *p = line;

	strv_init(out);
	while (*p) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			break;
		if (max && out->n == max - 1) {
			struct strbuf rest;
			strbuf_init(&rest);
			while (*p) {
				const char *s = p;
				while (*p && *p != ' ' && *p != '\t')
					p++;
				if (rest.len)
					strbuf_putc(&rest, ' ');
				strbuf_add(&rest, s, (size_t)(p - s));
				while (*p == ' ' || *p == '\t')
					p++;
			}
			strv_push_owned(out, strbuf_detach(&rest));
			break;
		}
		const char *s = p;
		while (*p && *p != ' ' && *p != '\t')
			p++;
		strv_push_owned(out, xstrndup(s, (size_t)(p - s)));
	}
}

int ctr_top_parse(const char *ps_output, const pid_t *pids, size_t npids, struct ctr_top *out,
                  struct ctr_err *err)
{
	const char *eol = strchr(ps_output, '\n');
	cleanup_free char *header =
	    eol ? xstrndup(ps_output, (size_t)(eol - ps_output)) : xstrdup(ps_output);
	size_t pid_col = (size_t)-1, cap = 0;

	memset(out, 0, sizeof *out);
	split_fields(header, 0, &out->titles);
	for (size_t i = 0; i < out->titles.n; i++)
		if (strcmp(out->titles.v[i], "PID") == 0)
			pid_col = i;
	if (pid_col == (size_t)-1) {
		ctr_top_free(out);
		return ctr_fail(err, E_RUNTIME, "couldn't find PID field in ps output"),
		       ctr_hint(err, "keep the pid column in the ps options (e.g. -o pid,comm)");
	}
	for (const char *p = eol ? eol + 1 : NULL; p && *p;) {
		const char *e = strchr(p, '\n');
		cleanup_free char *line = e ? xstrndup(p, (size_t)(e - p)) : xstrdup(p);
		struct strv f;
		p = e ? e + 1 : NULL;
		split_fields(line, out->titles.n, &f);
		if (f.n <= pid_col) {
			strv_release(&f);
			continue;
		}
		int64_t pid;
		if (ctr_parse_i64(f.v[pid_col], 0, INT32_MAX, &pid) < 0) {
			ctr_fail(err, E_RUNTIME, "unexpected pid '%s' in ps output", f.v[pid_col]);
			strv_release(&f);
			ctr_top_free(out);
			return -1;
		}
		if (!pid_in(pids, npids, pid)) {
			strv_release(&f);
			continue;
		}
		if (out->n == cap) {
			cap = cap ? cap * 2 : 8;
			out->rows = xrealloc(out->rows, cap * sizeof *out->rows);
		}
		out->rows[out->n++] = f;
	}
	return 0;
}

/* Run argv, return its stdout; stderr is captured too for the message. */
static int run_ps(char *const *argv, char **output, struct ctr_err *err)
{
	int fds[2];
	posix_spawn_file_actions_t fa;
	pid_t pid;
	int status = 0, rc;
	struct strbuf sb;
	char buf[4096];

	if (pipe2(fds, O_CLOEXEC) < 0)
		return ctr_fail_errno(err, E_IO, errno, "pipe");
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
	posix_spawn_file_actions_adddup2(&fa, fds[1], 2);
	ctr_explain("exec", "list host processes; rows are filtered to the container's cgroup",
	            "ps (posix_spawnp)");
	rc = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(fds[1]);
	if (rc != 0) {
		close(fds[0]);
		return ctr_fail_errno(err, E_RUNTIME, rc, "cannot run ps"),
		       ctr_hint(err, "install procps (apt-get install procps)");
	}
	strbuf_init(&sb);
	for (;;) {
		ssize_t n = read(fds[0], buf, sizeof buf);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		strbuf_add(&sb, buf, (size_t)n);
	}
	close(fds[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		while (sb.len && sb.buf[sb.len - 1] == '\n')
			sb.buf[--sb.len] = '\0';
		ctr_fail(err, E_RUNTIME, "ps failed: %s", sb.buf);
		strbuf_release(&sb);
		return -1;
	}
	*output = strbuf_detach(&sb);
	return 0;
}

int ctr_top(struct ctr_cgroup *cg, char *const *ps_args, int nargs, struct ctr_top *out,
            struct ctr_err *err)
{
	cleanup_free pid_t *pids = NULL;
	cleanup_free char *output = NULL;
	size_t n = 0;
	struct strv argv;
	int r;

	memset(out, 0, sizeof *out);
	if (ctr_cgroup_pids(cg, &pids, &n, err) < 0)
		return -1;
	strv_init(&argv);
	strv_push(&argv, "ps");
	if (nargs <= 0)
		strv_push(&argv, "-ef");
	for (int i = 0; i < nargs; i++)
		strv_push(&argv, ps_args[i]);
	r = run_ps(argv.v, &output, err);
	strv_release(&argv);
	if (r < 0)
		return -1;
	return ctr_top_parse(output, pids, n, out, err);
}

void ctr_top_free(struct ctr_top *t)
{
	strv_release(&t->titles);
	for (size_t i = 0; i < t->n; i++)
		strv_release(&t->rows[i]);
	free(t->rows);
	memset(t, 0, sizeof *t);
}
