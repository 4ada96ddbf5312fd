/*
 * logtail.h - incremental reader of a container's log (containers/<id>/
 * ctr.log, JSON lines {"t": time, "s": "stdout"|"stderr", "l": text};
 * format and parser: src/lib/ctrlog.h).
 *
 * The Logs tab polls it once per refresh: only bytes appended since the
 * last poll are read (the file offset is kept), so following a busy log
 * costs one read() per second.  A truncated or replaced file starts over.
 */
#ifndef CONTAINR_UI_LOGTAIL_H
#define CONTAINR_UI_LOGTAIL_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

struct ui_logline {
	int64_t t_ns; /* 0 if unknown */
	bool err;     /* from stderr */
	char *text;   /* without the trailing newline */
};

struct ui_logtail {
	char *path;
	off_t off;
	ino_t ino;
	char *partial; /* an unterminated last line, kept for the next poll */
	struct ui_logline *v;
	size_t n, cap, max;
	size_t dropped; /* lines dropped from the front (to keep `max`) */
};

/* Start tailing `path`, keeping at most `max` lines (the newest). */
void ui_logtail_init(struct ui_logtail *t, const char *path, size_t max);
/* Read what was appended; returns the number of new lines (0 if none, -1 if unreadable). */
int ui_logtail_poll(struct ui_logtail *t);
/* Parse one JSON log line into l (text heap); plain text lines are kept as text. */
void ui_logline_parse(const char *json, struct ui_logline *l);
void ui_logtail_free(struct ui_logtail *t);

#endif
