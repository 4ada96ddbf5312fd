/*
 * logtail.c - incremental JSON-lines log reader (see logtail.h); each
 * line is decoded by the engine's ctr.log parser (src/lib/ctrlog.h).
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "containr/util.h"
#include "lib/ctrlog.h"
#include "logtail.h"

/* Read at most this much of an existing log on open (the newest part). */
#define LOGTAIL_BACKLOG (512 * 1024)

void ui_logtail_init(struct ui_logtail *t, const char *path, size_t max)
{
	memset(t, 0, sizeof *t);
	t->path = xstrdup(path);
	t->max = max ? max : 5000;
	t->off = -1; /* first poll: start near the end */
}

void ui_logline_parse(const char *json, struct ui_logline *l)
{
	size_t len = strlen(json);
	cleanup_free char *copy = xstrndup(json, len); /* decoded in place */
	struct ctr_logline e;

	memset(l, 0, sizeof *l);
	if (ctr_logline_parse(copy, len, &e) < 0) {
		l->text = xstrdup(json); /* not an entry: shown as it is */
		return;
	}
	l->t_ns = e.t_ns;
	l->err = e.stream == 1;
	const char *text = e.text ? e.text : "";
	size_t n = e.text ? e.len : 0;
	while (n && (text[n - 1] == '\n' || text[n - 1] == '\r'))
		n--;
	l->text = xmalloc(n + 1);
	memcpy(l->text, text, n);
	l->text[n] = '\0';
	/* Tabs, control characters and NULs would break the layout: make them
	 * visible as spaces. */
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)l->text[i] < 32)
			l->text[i] = ' ';
}

static void add_line(struct ui_logtail *t, const char *s, size_t len)
{
	cleanup_free char *copy = xstrndup(s, len);
	if (!len)
		return;
	if (t->n == t->max) {
		free(t->v[0].text);
		memmove(t->v, t->v + 1, (t->n - 1) * sizeof *t->v);
		t->n--;
		t->dropped++;
	}
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 256;
		if (t->cap > t->max)
			t->cap = t->max;
		t->v = xrealloc(t->v, t->cap * sizeof *t->v);
	}
	ui_logline_parse(copy, &t->v[t->n++]);
}

int ui_logtail_poll(struct ui_logtail *t)
{
	struct stat st;
	cleanup_close int fd = open(t->path, O_RDONLY | O_CLOEXEC);
	size_t before = t->n + t->dropped;
	bool skip_first = false;
	char buf[65536];

	if (fd < 0 || fstat(fd, &st) < 0)
		return -1;
	if (t->off >= 0 && (st.st_ino != t->ino || st.st_size < t->off)) {
		/* Rotated or truncated: read it again from the start. */
		t->off = 0;
		free(t->partial);
		t->partial = NULL;
	}
	if (t->off < 0) {
		t->off = st.st_size > LOGTAIL_BACKLOG ? st.st_size - LOGTAIL_BACKLOG : 0;
		skip_first = t->off > 0;
	}
	t->ino = st.st_ino;
	while (t->off < st.st_size) {
		ssize_t n = pread(fd, buf, sizeof buf, t->off);
		if (n <= 0)
			break;
		t->off += n;
		size_t start = 0;
		for (size_t i = 0; i < (size_t)n; i++) {
			if (buf[i] != '\n')
				continue;
			if (skip_first) {
				skip_first = false;
			} else if (t->partial) {
				cleanup_free char *joined =
				    xasprintf("%s%.*s", t->partial, (int)(i - start), buf + start);
				free(t->partial);
				t->partial = NULL;
				add_line(t, joined, strlen(joined));
			} else {
				add_line(t, buf + start, i - start);
			}
			start = i + 1;
		}
		if (start < (size_t)n && !skip_first) {
			char *rest = xasprintf("%s%.*s", t->partial ? t->partial : "",
			                       (int)((size_t)n - start), buf + start);
			free(t->partial);
			t->partial = rest;
		}
	}
	return (int)(t->n + t->dropped - before);
}

void ui_logtail_free(struct ui_logtail *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->v[i].text);
	free(t->v);
	free(t->partial);
	free(t->path);
	memset(t, 0, sizeof *t);
}
