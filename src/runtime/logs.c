/*
 * logs.c - the container log, ctr.log (format: src/lib/ctrlog.h), written
 * by the in-process monitor (runtime_logw_*; containr-monitor writes the
 * same entries with the same encoder) and read by `logs`
 * (ctr_container_logs: --tail, --since, --until, -t, -f).
 *
 * The reader never reads more than it prints: --tail N finds the start of
 * the Nth line from the end by reading backwards (ctr_log_tail_offset),
 * across rotated files (ctr.log.1, ctr.log.2... written by the monitor,
 * --log-opt max-size/max-file) when ctr.log alone is too short; -f notices
 * a rotation (ctr.log is a new inode) or a truncation and carries on.
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
#include <sys/stat.h>
#include <unistd.h>

#include "containr/log.h"
#include "lib/ctrlog.h"
#include "runtime/internal.h"

void runtime_logw_init(struct runtime_logw *w, int fd)
{
	ctr_logfile_init(&w->lf, fd, NULL, 0, 1);
	w->cri = false;
	strbuf_init(&w->pending[0]);
	strbuf_init(&w->pending[1]);
}

void runtime_logw_rotate(struct runtime_logw *w, const char *path, int64_t max_size, int max_file)
{
	ctr_logfile_init(&w->lf, w->lf.fd, path, max_size > 0 ? (uint64_t)max_size : 0, max_file);
}

static void emit(struct runtime_logw *w, int stream, const char *data, size_t len)
{
	cleanup_free char *buf = NULL;
	size_t n;

	if (w->lf.fd < 0)
		return;
	buf = xmalloc(CTR_LOGLINE_ENCODED_LEN(len));
	n = w->cri ? ctr_logline_encode_cri(buf, ctr_now_ns(), stream, data, len)
	           : ctr_logline_encode(buf, ctr_now_ns(), stream, data, len);
	if (ctr_logfile_write(&w->lf, buf, n) < 0)
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

/*
 * Read complete lines from `fd` (appending to `buf`), printing each selected
 * one, up to `limit` bytes (-1: to the end; a log still being written
 * grows while we read, and `logs` without -f stops where the log ended).
 */
static int read_lines(int fd, struct strbuf *buf, const struct ctr_logs_opts *o, int64_t limit)
{
	char chunk[65536];

	while (limit != 0) {
		size_t want =
		    limit > 0 && limit < (int64_t)sizeof chunk ? (size_t)limit : sizeof chunk;
		ssize_t n = read(fd, chunk, want);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			break;
		if (limit > 0)
			limit -= n;
		strbuf_add(buf, chunk, (size_t)n);
		char *start = buf->buf, *nl;
		while ((nl = memchr(start, '\n', buf->len - (size_t)(start - buf->buf)))) {
			struct log_entry e;
			if (parse_entry(start, (size_t)(nl - start), &e)) {
				int r = entry_selected(o, &e) ? print_entry(o, &e) : 0;
				free(e.line);
				if (r < 0)
					return -1;
			}
			start = nl + 1;
		}
		size_t rest = buf->len - (size_t)(start - buf->buf);
		memmove(buf->buf, start, rest);
		buf->len = rest;
		buf->buf[rest] = '\0';
	}
	return 0;
}

/*
 * The log files, oldest first: ctr.log.K ... ctr.log.1, ctr.log (rotation,
 * --log-opt max-file; K is the last of an unbroken run from 1).  ctr.log is
 * always the last entry, even when it does not exist (yet).
 */
static void log_files(const char *dir, struct strv *files)
{
	cleanup_free char *base = ctr_path_join(dir, "ctr.log");
	int k = 0;

	strv_init(files);
	for (;;) {
		char *p = xasprintf("%s.%d", base, k + 1);
		bool ok = access(p, F_OK) == 0;
		free(p);
		if (!ok)
			break;
		k++;
	}
	for (int i = k; i >= 1; i--)
		strv_push_owned(files, xasprintf("%s.%d", base, i));
	strv_push(files, base);
}

/* The log files opened at once (so a rotation meanwhile cannot swap them), sizes then. */
struct log_set {
	size_t n;
	int *fd;       /* -1: gone (rotated away) or not there yet */
	int64_t *size; /* bytes when opened */
};

/*
 * The size up to the last complete entry: every entry ends in '\n', so bytes
 * after the last one are an entry the monitor is writing right now (a write
 * that crosses a page boundary becomes visible a page at a time).  They are
 * read later (-f), or by the next `logs`.
 */
static int64_t complete_size(int fd, int64_t size)
{
	char b[4096];

	while (size > 0) {
		size_t n = size < (int64_t)sizeof b ? (size_t)size : sizeof b;
		ssize_t r = pread(fd, b, n, (off_t)(size - (int64_t)n));
		if (r != (ssize_t)n)
			return size; /* cannot tell: keep what fstat said */
		for (size_t i = n; i-- > 0;)
			if (b[i] == '\n')
				return size - (int64_t)n + (int64_t)i + 1;
		size -= (int64_t)n;
	}
	return 0;
}

static int log_set_open(struct log_set *ls, const struct strv *files)
{
	ls->n = files->n;
	ls->fd = xcalloc(ls->n, sizeof *ls->fd);
	ls->size = xcalloc(ls->n, sizeof *ls->size);
	for (size_t i = 0; i < ls->n; i++)
		ls->fd[i] = -1; /* log_set_close() after a failure below closes only what opened */
	for (size_t i = 0; i < ls->n; i++) {
		struct stat sb;
		ls->fd[i] = open(files->v[i], O_RDONLY | O_CLOEXEC);
		if (ls->fd[i] < 0 && errno != ENOENT)
			return -1;
		if (ls->fd[i] >= 0 && fstat(ls->fd[i], &sb) < 0)
			return -1;
		ls->size[i] = ls->fd[i] >= 0 ? complete_size(ls->fd[i], (int64_t)sb.st_size) : 0;
	}
	return 0;
}

static void log_set_close(struct log_set *ls)
{
	for (size_t i = 0; ls->fd && i < ls->n; i++)
		if (ls->fd[i] >= 0)
			close(ls->fd[i]);
	free(ls->fd);
	free(ls->size);
}

/*
 * Where printing starts for --tail N: the file index and offset of the Nth
 * line from the end, reading each file backwards (newest first) only as far
 * as needed.  Without --tail: the oldest file, offset 0.
 */
static int tail_start(const struct log_set *ls, int64_t tail, size_t *file, int64_t *off)
{
	size_t want;

	*file = 0;
	*off = 0;
	if (tail < 0)
		return 0;
	want = (size_t)tail;
	*file = ls->n - 1;
	*off = ls->size[ls->n - 1];
	for (size_t i = ls->n; i-- > 0;) {
		size_t found;
		int64_t o;
		if (ls->fd[i] < 0)
			continue;
		if (ctr_log_tail_offset(ls->fd[i], ls->size[i], want, 0, &o, &found) < 0)
			return -1;
		*file = i;
		*off = o;
		want -= found;
		if (want == 0)
			break;
	}
	return 0;
}

/*
 * Following: after ctr.log's end, has the monitor rotated it (renamed to
 * ctr.log.1, a new ctr.log) or truncated it (max-file=1)?  Reopens or
 * rewinds *fd; returns true if it did (there may be more to read).
 */
static bool follow_rotation(const char *path, int *fd, struct strbuf *buf)
{
	struct stat now, cur;
	off_t pos;

	if (*fd < 0) {
		*fd = open(path, O_RDONLY | O_CLOEXEC);
		return *fd >= 0;
	}
	if (fstat(*fd, &cur) < 0)
		return false;
	pos = lseek(*fd, 0, SEEK_CUR);
	if (pos > cur.st_size) { /* truncated under us */
		lseek(*fd, 0, SEEK_SET);
		strbuf_reset(buf);
		return true;
	}
	if (stat(path, &now) < 0 || (now.st_ino == cur.st_ino && now.st_dev == cur.st_dev))
		return false;
	/* Rotated: the old file is complete (the writer moved on); take the new one. */
	int nfd = open(path, O_RDONLY | O_CLOEXEC);
	if (nfd < 0)
		return false;
	close(*fd);
	*fd = nfd;
	strbuf_reset(buf);
	return true;
}

int ctr_container_logs(const struct ctr_store *st, struct ctr_container *c,
                       const struct ctr_logs_opts *o, struct ctr_err *err)
{
	struct strv files;
	struct log_set ls = {0};
	struct strbuf buf;
	size_t first;
	int64_t off;
	int fd = -1, r = 0;
	const char *path;

	if (ctr_log_driver_none(&c->cfg)) {
		ctr_fail(err, E_UNSUPPORTED,
		         "container %s keeps no log: its log driver is \"none\"",
		         c->cfg.name ? c->cfg.name : c->id);
		return ctr_hint(err, "only json-file and k8s-file containers keep a log "
		                     "(run --log-driver json-file, the default)");
	}
	log_files(c->dir, &files);
	path = files.v[files.n - 1];
	strbuf_init(&buf);
	if (log_set_open(&ls, &files) < 0 || tail_start(&ls, o->tail, &first, &off) < 0) {
		ctr_fail_errno(err, E_IO, errno, "cannot read %s", path);
		goto out_err;
	}
	for (size_t i = first; i < ls.n && r == 0; i++) {
		int64_t from = i == first ? off : 0;
		strbuf_reset(&buf);
		if (ls.fd[i] < 0)
			continue;
		if (lseek(ls.fd[i], (off_t)from, SEEK_SET) < 0)
			r = -1;
		else /* what the file held when opened; -f reads on below */
			r = read_lines(ls.fd[i], &buf, o,
			               ls.size[i] > from ? ls.size[i] - from : 0);
	}
	if (r < 0) {
		if (errno == EPIPE)
			goto out;
		ctr_fail_errno(err, E_IO, errno, "reading %s", path);
		goto out_err;
	}
	/* Follow on from where ctr.log (as opened) was read up to. */
	fd = ls.fd[ls.n - 1];
	ls.fd[ls.n - 1] = -1;
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
		do {
			if (fd >= 0 && read_lines(fd, &buf, o, -1) < 0)
				goto out;
		} while (follow_rotation(path, &fd, &buf));
		if (!running)
			break;
		poll(NULL, 0, 100);
	}
out:
	if (fd >= 0)
		close(fd);
	log_set_close(&ls);
	strbuf_release(&buf);
	strv_release(&files);
	return 0;
out_err:
	if (fd >= 0)
		close(fd);
	log_set_close(&ls);
	strbuf_release(&buf);
	strv_release(&files);
	return -1;
}
