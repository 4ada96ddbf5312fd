/*
 * ctrlog_write.c - the ctr.log encoder (see ctrlog.h).
 *
 * libc only and no allocation: the static containr-monitor is built from
 * its own source plus this file (Makefile, $(MONITOR)), and must stay a
 * few pages (docs/RUNTIME.md).  Do not include containr/ headers here.
 */
#include "lib/ctrlog.h"

#include <string.h>
#include <time.h>

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
