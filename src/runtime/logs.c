/*
 * logs.c - the container log, ctr.log (format: src/lib/ctrlog.h), written
 * by the in-process monitor (runtime_logw_*; containr-monitor writes the
 * same entries with the same encoder) and read by `logs`
 * (ctr_container_logs: --tail, --since, --until, -t, -f).
 *
 * Lines are split at '\n'; a partial line is written when it reaches 16 KiB
 * (as Docker) or when the stream ends, without the newline.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "containr/log.h"
#include "lib/ctrlog.h"
#include "runtime/internal.h"

void runtime_logw_init(struct runtime_logw *w, int fd)
{
	w->fd = fd;
	strbuf_init(&w->pending[0]);
	strbuf_init(&w->pending[1]);
}

static void emit(struct runtime_logw *w, int stream, const char *data, size_t len)
{
	cleanup_free char *buf = NULL;
	size_t n;

	if (w->fd < 0)
		return;
	buf = xmalloc(CTR_LOGLINE_ENCODED_LEN(len));
	n = ctr_logline_encode(buf, ctr_now_ns(), stream, data, len);
	if (runtime_write_all(w->fd, buf, n) < 0)
		ctr_debug("cannot write container log", "error", strerror(errno));
}

void runtime_logw_feed(struct runtime_logw *w, int stream, const char *data, size_t len)
{
	struct strbuf *p = &w->pending[stream ? 1 : 0];

	strbuf_add(p, data, len);
	for (;;) {
		size_t n = ctr_logline_cut(p->buf, p->len);
		if (!n)
			break;
		emit(w, stream, p->buf, n);
		memmove(p->buf, p->buf + n, p->len - n);
		p->len -= n;
		p->buf[p->len] = '\0';
	}
}

void runtime_logw_flush(struct runtime_logw *w)
{
	for (int s = 0; s < 2; s++) {
		if (w->pending[s].len)
			emit(w, s, w->pending[s].buf, w->pending[s].len);
		strbuf_reset(&w->pending[s]);
	}
}

void runtime_logw_release(struct runtime_logw *w)
{
	strbuf_release(&w->pending[0]);
	strbuf_release(&w->pending[1]);
}

/* ---- reader -------------------------------------------------------------- */

struct log_entry {
	int64_t t;
	int stream;
	char *line;
	size_t len;
	char ts[64];
};

/* Parse one line of ctr.log (modified in place); false if it is not a log entry. */
static bool parse_entry(char *text, size_t len, struct log_entry *e)
{
	struct ctr_logline l;

	if (ctr_logline_parse(text, len, &l) < 0 || !l.ts || l.stream < 0 || !l.text)
		return false;
	e->t = l.t_ns;
	snprintf(e->ts, sizeof e->ts, "%s", l.ts);
	e->stream = l.stream;
	e->line = xmalloc(l.len + 1); /* may hold NUL bytes: copy by length */
	memcpy(e->line, l.text, l.len + 1);
	e->len = l.len;
	return true;
}

static int print_entry(const struct ctr_logs_opts *o, struct log_entry *e)
{
	int fd = e->stream ? o->err_fd : o->out_fd;
	if (o->timestamps) {
		if (runtime_write_all(fd, e->ts, strlen(e->ts)) < 0 ||
		    runtime_write_all(fd, " ", 1) < 0)
			return -1;
	}
	return runtime_write_all(fd, e->line, e->len);
}

static bool entry_selected(const struct ctr_logs_opts *o, const struct log_entry *e)
{
	if (o->since && e->t < o->since)
		return false;
	if (o->until && e->t > o->until)
		return false;
	return true;
}

/* Read complete lines from `fd` (appending to `buf`); calls back for each. */
static int read_lines(int fd, struct strbuf *buf, const struct ctr_logs_opts *o,
                      struct log_entry **ring, size_t *nring, bool collect)
{
	char chunk[65536];
	ssize_t n;

	while ((n = read(fd, chunk, sizeof chunk)) > 0 || (n < 0 && errno == EINTR)) {
		if (n < 0)
			continue;
		strbuf_add(buf, chunk, (size_t)n);
		char *start = buf->buf, *nl;
		while ((nl = memchr(start, '\n', buf->len - (size_t)(start - buf->buf)))) {
			struct log_entry e;
			if (parse_entry(start, (size_t)(nl - start), &e)) {
				if (!entry_selected(o, &e)) {
					free(e.line);
				} else if (collect) {
					*ring = xrealloc(*ring, (*nring + 1) * sizeof **ring);
					(*ring)[(*nring)++] = e;
				} else {
					int r = print_entry(o, &e);
					free(e.line);
					if (r < 0)
						return -1;
				}
			}
			start = nl + 1;
		}
		size_t rest = buf->len - (size_t)(start - buf->buf);
		memmove(buf->buf, start, rest);
		buf->len = rest;
		buf->buf[rest] = '\0';
	}
	return n < 0 ? -1 : 0;
}

int ctr_container_logs(const struct ctr_store *st, struct ctr_container *c,
                       const struct ctr_logs_opts *o, struct ctr_err *err)
{
	cleanup_free char *path = ctr_path_join(c->dir, "ctr.log");
	cleanup_close int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct log_entry *ring = NULL;
	size_t nring = 0, first = 0;
	struct strbuf buf;
	int r;

	if (fd < 0) {
		if (errno != ENOENT)
			return ctr_fail_errno(err, E_IO, errno, "cannot open %s", path);
		if (!o->follow)
			return 0;
	}
	strbuf_init(&buf);
	r = fd >= 0 ? read_lines(fd, &buf, o, &ring, &nring, true) : 0;
	if (o->tail >= 0 && (size_t)o->tail < nring)
		first = nring - (size_t)o->tail;
	for (size_t i = 0; i < nring; i++) {
		if (i >= first && r == 0 && print_entry(o, &ring[i]) < 0)
			r = -1;
		free(ring[i].line);
	}
	free(ring);
	if (r < 0) {
		strbuf_release(&buf);
		if (errno == EPIPE)
			return 0;
		return ctr_fail_errno(err, E_IO, errno, "reading %s", path);
	}
	while (o->follow) {
		/* Follow until the container stops and the log is drained. */
		bool running;
		struct ctr_err e2;
		if (o->interrupted && *o->interrupted)
			break;
		ctr_err_clear(&e2);
		ctr_container_reconcile(st, c);
		if (ctr_container_reload_state(c, &e2) < 0)
			break; /* removed */
		running =
		    c->state.status == CTR_STATUS_RUNNING || c->state.status == CTR_STATUS_PAUSED;
		if (fd < 0)
			fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd >= 0 && read_lines(fd, &buf, o, NULL, NULL, false) < 0)
			break;
		if (!running)
			break;
		poll(NULL, 0, 100);
	}
	strbuf_release(&buf);
	return 0;
}
