/*
 * format.c - text formatting helpers of the dashboard (see format.h).
 *
 * Durations reuse ctr_format_duration() so the dashboard and `containr ps`
 * say "Up 3 minutes" the same way.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <wchar.h>

#include "containr/util.h"
#include "format.h"

void ui_fmt_size(char *buf, size_t len, uint64_t bytes)
{
	ctr_format_bytes(buf, len, (double)bytes, true);
}

void ui_fmt_percent(char *buf, size_t len, double pct)
{
	if (pct < 0)
		pct = 0;
	if (pct < 99.95)
		snprintf(buf, len, "%.1f%%", pct);
	else
		snprintf(buf, len, "%.0f%%", pct);
}

void ui_fmt_status(char *buf, size_t len, const char *state, int exit_code, int64_t started_s,
                   int64_t finished_s, int64_t now_s)
{
	char d[64];

	if (!state)
		state = "unknown";
	if (!strcmp(state, "running") || !strcmp(state, "paused")) {
		ctr_format_duration(d, sizeof d, started_s > 0 ? now_s - started_s : 0);
		snprintf(buf, len, "Up %s%s", d, !strcmp(state, "paused") ? " (Paused)" : "");
	} else if (!strcmp(state, "exited") || !strcmp(state, "stopped")) {
		if (finished_s > 0) {
			ctr_format_duration(d, sizeof d, now_s - finished_s);
			snprintf(buf, len, "Exited (%d) %s ago", exit_code, d);
		} else {
			snprintf(buf, len, "Exited (%d)", exit_code);
		}
	} else if (!strcmp(state, "created")) {
		snprintf(buf, len, "Created");
	} else {
		/* "restarting", "removing", "dead": capitalised as Docker does. */
		snprintf(buf, len, "%s", state);
		if (buf[0] >= 'a' && buf[0] <= 'z')
			buf[0] = (char)(buf[0] - 'a' + 'A');
	}
}

void ui_fmt_uptime(char *buf, size_t len, int64_t s)
{
	if (s < 0)
		snprintf(buf, len, "-");
	else if (s < 60)
		snprintf(buf, len, "%llds", (long long)s);
	else if (s < 3600)
		snprintf(buf, len, "%lldm%02llds", (long long)(s / 60), (long long)(s % 60));
	else if (s < 86400)
		snprintf(buf, len, "%lldh%02lldm", (long long)(s / 3600),
		         (long long)(s % 3600 / 60));
	else
		snprintf(buf, len, "%lldd%02lldh", (long long)(s / 86400),
		         (long long)(s % 86400 / 3600));
}

void ui_sparkline(char *buf, size_t len, const double *v, size_t n, size_t width, double max,
                  bool ascii)
{
	static const char *const blocks[8] = {"\u2581", "\u2582", "\u2583", "\u2584",
	                                      "\u2585", "\u2586", "\u2587", "\u2588"};
	static const char asciiramp[] = " .:-=+*#";
	size_t o = 0, start = n > width ? n - width : 0, pad = n < width ? width - n : 0;

	if (len == 0)
		return;
	if (max <= 0) {
		for (size_t i = start; i < n; i++)
			if (v[i] > max)
				max = v[i];
		if (max <= 0)
			max = 1;
	}
	for (size_t i = 0; i < pad && o + 1 < len; i++)
		buf[o++] = ' ';
	for (size_t i = start; i < n; i++) {
		double x = v[i] / max;
		int lvl;

		if (x < 0)
			x = 0;
		if (x > 1)
			x = 1;
		lvl = (int)(x * 7.0 + 0.5); /* 0..7 */
		if (ascii) {
			if (o + 1 >= len)
				break;
			/* ASCII ramp: level 0 (idle) is a blank-ish dot only if > 0. */
			buf[o++] = (v[i] > 0 && lvl == 0) ? '.' : asciiramp[lvl];
		} else {
			if (o + 4 > len)
				break;
			memcpy(buf + o, blocks[lvl], 3);
			o += 3;
		}
	}
	buf[o] = '\0';
}

/* Decode one code point; returns bytes used (>= 1) and its column width. */
static size_t next_char(const char *s, int *cols)
{
	mbstate_t st;
	wchar_t wc;
	size_t r;

	memset(&st, 0, sizeof st);
	r = mbrtowc(&wc, s, MB_CUR_MAX, &st);
	if (r == (size_t)-1 || r == (size_t)-2 || r == 0) {
		/* Not valid in this locale: count UTF-8 sequences by hand. */
		unsigned char c = (unsigned char)*s;
		size_t n = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
		for (size_t i = 1; i < n; i++)
			if ((s[i] & 0xc0) != 0x80)
				return *cols = 1, 1;
		*cols = 1;
		return n;
	}
	int w = wcwidth(wc);
	*cols = w < 0 ? 1 : w;
	return r;
}

size_t ui_strwidth(const char *s)
{
	size_t w = 0;
	int c;

	while (*s) {
		s += next_char(s, &c);
		w += (size_t)c;
	}
	return w;
}

void ui_fit(char *buf, size_t len, const char *s, size_t width, bool right_align, bool ellipsis,
            bool ascii)
{
	size_t o = 0, cols = 0, total;
	const char *ell = ascii ? "~" : "\u2026";
	int c;

	if (len == 0)
		return;
	if (!s)
		s = "";
	total = ui_strwidth(s);
	if (total > width) {
		size_t keep = ellipsis && width > 0 ? width - 1 : width;
		while (*s) {
			size_t n = next_char(s, &c);
			if (cols + (size_t)c > keep || o + n + 4 >= len)
				break;
			memcpy(buf + o, s, n);
			o += n;
			s += n;
			cols += (size_t)c;
		}
		if (ellipsis && width > 0 && o + strlen(ell) < len) {
			memcpy(buf + o, ell, strlen(ell));
			o += strlen(ell);
			cols++;
		}
		while (cols < width && o + 1 < len)
			buf[o++] = ' ', cols++;
		buf[o] = '\0';
		return;
	}
	if (right_align)
		for (; cols + total < width && o + 1 < len; cols++)
			buf[o++] = ' ';
	size_t sl = strlen(s);
	if (o + sl >= len)
		sl = len - o - 1;
	memcpy(buf + o, s, sl);
	o += sl;
	cols += total;
	while (cols < width && o + 1 < len)
		buf[o++] = ' ', cols++;
	buf[o] = '\0';
}

bool ui_contains_ci(const char *hay, const char *needle)
{
	if (!needle || !*needle)
		return true;
	if (!hay)
		return false;
	return strcasestr(hay, needle) != NULL;
}
