/*
 * ctrlog_write.c - the ctr.log encoder and the rotating log file writer
 * (see ctrlog.h).
 *
 * libc only and no allocation: the static containr-monitor is built from
 * its own source plus this file (Makefile, $(MONITOR)), and must stay a
 * few pages (docs/RUNTIME.md).  Do not include containr/ headers here.
 */
#include "lib/ctrlog.h"

#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdio.h> /* rename */
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

size_t ctr_logline_cut(const char *buf, size_t len)
{
	size_t scan = len < CTR_LOGLINE_MAX ? len : CTR_LOGLINE_MAX;
	const char *nl = memchr(buf, '\n', scan);

	if (nl)
		return (size_t)(nl - buf) + 1;
	return len >= CTR_LOGLINE_MAX ? CTR_LOGLINE_MAX : 0;
}

/* `v` as exactly `width` decimal digits. */
static char *digits(char *o, long v, int width)
{
	for (int i = width - 1; i >= 0; i--) {
		o[i] = (char)('0' + v % 10);
		v /= 10;
	}
	return o + width;
}

/* "2026-11-28T14:21:19.123456789Z" (30 bytes), as ctr_format_rfc3339(). */
static char *timestamp(char *o, int64_t t_ns)
{
	time_t sec = (time_t)(t_ns / 1000000000LL);
	struct tm tm;

	gmtime_r(&sec, &tm);
	o = digits(o, tm.tm_year + 1900L, 4);
	*o++ = '-';
	o = digits(o, tm.tm_mon + 1L, 2);
	*o++ = '-';
	o = digits(o, tm.tm_mday, 2);
	*o++ = 'T';
	o = digits(o, tm.tm_hour, 2);
	*o++ = ':';
	o = digits(o, tm.tm_min, 2);
	*o++ = ':';
	o = digits(o, tm.tm_sec, 2);
	*o++ = '.';
	o = digits(o, (long)(t_ns % 1000000000LL), 9);
	*o++ = 'Z';
	return o;
}

static char *put(char *o, const char *s)
{
	size_t n = strlen(s);
	memcpy(o, s, n);
	return o + n;
}

size_t ctr_logline_encode(char *out, int64_t t_ns, int stream, const char *data, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	char *o = out;

	o = put(o, "{\"t\":\"");
	o = timestamp(o, t_ns);
	o = put(o, stream ? "\",\"s\":\"stderr\",\"l\":\"" : "\",\"s\":\"stdout\",\"l\":\"");
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)data[i];
		char esc = 0;
		switch (ch) {
		case '"':
			esc = '"';
			break;
		case '\\':
			esc = '\\';
			break;
		case '\n':
			esc = 'n';
			break;
		case '\r':
			esc = 'r';
			break;
		case '\t':
			esc = 't';
			break;
		default:
			break;
		}
		if (esc) {
			*o++ = '\\';
			*o++ = esc;
		} else if (ch < 0x20 || ch == 0x7f) {
			o = put(o, "\\u00");
			*o++ = hex[ch >> 4];
			*o++ = hex[ch & 15];
		} else {
			*o++ = (char)ch;
		}
	}
	o = put(o, "\"}\n");
	return (size_t)(o - out);
}

size_t ctr_logline_encode_cri(char *out, int64_t t_ns, int stream, const char *data, size_t len)
{
	char *o = timestamp(out, t_ns);
	bool full = len && data[len - 1] == '\n';

	o = put(o, stream ? " stderr " : " stdout ");
	*o++ = full ? 'F' : 'P';
	*o++ = ' ';
	if (full)
		len--;
	memcpy(o, data, len);
	o += len;
	*o++ = '\n';
	return (size_t)(o - out);
}

void ctr_logfile_init(struct ctr_logfile *lf, int fd, const char *path, uint64_t max_size,
                      int max_file)
{
	struct stat sb;

	lf->fd = fd;
	lf->path = path;
	lf->size = fd >= 0 && fstat(fd, &sb) == 0 ? (uint64_t)sb.st_size : 0;
	lf->max_size = path ? max_size : 0;
	lf->max_file = max_file < 1 ? 1 : max_file;
}

/* "PATH.i" (i > 0) or "PATH" into buf; false if it does not fit.  (No
 * snprintf: it would pull musl's printf into containr-monitor.) */
static int rotated_name(char *buf, size_t size, const char *path, int i)
{
	size_t n = strlen(path);
	char num[16];
	int k = 0;

	for (; i > 0; i /= 10)
		num[k++] = (char)('0' + i % 10);
	if (n + (size_t)k + 2 > size)
		return 0;
	memcpy(buf, path, n);
	if (k)
		buf[n++] = '.';
	while (k)
		buf[n++] = num[--k];
	buf[n] = '\0';
	return 1;
}

static void rotate(struct ctr_logfile *lf)
{
	char from[4096], to[4096];
	int fd;

	if (lf->max_file <= 1) { /* one file: start it again */
		if (ftruncate(lf->fd, 0) == 0)
			lf->size = 0;
		return;
	}
	for (int i = lf->max_file - 1; i >= 1; i--) {
		if (!rotated_name(from, sizeof from, lf->path, i - 1) ||
		    !rotated_name(to, sizeof to, lf->path, i))
			return;
		if (rename(from, to) < 0 && errno != ENOENT)
			return;
	}
	/* ctr.log is now ctr.log.1 (lf->fd still writes there until replaced). */
	fd = open(lf->path, O_WRONLY | O_APPEND | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return;                         /* keep writing to the renamed file */
	if (dup3(fd, lf->fd, O_CLOEXEC) >= 0) { /* keep the fd number the caller knows */
		close(fd);
	} else {
		close(lf->fd);
		lf->fd = fd;
	}
	lf->size = 0;
}

int ctr_logfile_write(struct ctr_logfile *lf, const char *buf, size_t len)
{
	if (lf->fd < 0)
		return 0;
	if (lf->max_size && lf->size > 0 && lf->size + len > lf->max_size)
		rotate(lf);
	while (len) {
		ssize_t n = write(lf->fd, buf, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		buf += n;
		len -= (size_t)n;
		lf->size += (uint64_t)n;
	}
	return 0;
}
