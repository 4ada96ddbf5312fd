/*
 * ctrlog_read.c - the ctr.log entry parser (see ctrlog.h): a flat JSON
 * object, strings decoded in place (a decoded string is never longer than
 * its escaped form, so the line's own bytes hold it).
 */
#include "lib/ctrlog.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "containr/util.h"

struct scan {
	char *p, *end;
};

static void skip_ws(struct scan *s)
{
	while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\r' || *s->p == '\n'))
		s->p++;
}

static int hex4(const char *p, const char *end, unsigned *out)
{
	unsigned v = 0;

	if (end - p < 4)
		return -1;
	for (int i = 0; i < 4; i++) {
		char c = p[i];
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (unsigned)(c - 'A' + 10);
		else
			return -1;
	}
	*out = v;
	return 0;
}

static char *utf8(char *o, unsigned cp)
{
	if (cp < 0x80) {
		*o++ = (char)cp;
	} else if (cp < 0x800) {
		*o++ = (char)(0xc0 | (cp >> 6));
		*o++ = (char)(0x80 | (cp & 0x3f));
	} else if (cp < 0x10000) {
		*o++ = (char)(0xe0 | (cp >> 12));
		*o++ = (char)(0x80 | ((cp >> 6) & 0x3f));
		*o++ = (char)(0x80 | (cp & 0x3f));
	} else {
		*o++ = (char)(0xf0 | (cp >> 18));
		*o++ = (char)(0x80 | ((cp >> 12) & 0x3f));
		*o++ = (char)(0x80 | ((cp >> 6) & 0x3f));
		*o++ = (char)(0x80 | (cp & 0x3f));
	}
	return o;
}

/*
 * At an opening '"': decode the string in place, NUL-terminate it, leave
 * s->p after the closing quote.  Sets out and len to the decoded bytes.
 */
static int string(struct scan *s, char **out, size_t *len)
{
	char *o = ++s->p, *start = o;

	while (s->p < s->end && *s->p != '"') {
		if (*s->p != '\\') {
			*o++ = *s->p++;
			continue;
		}
		if (++s->p >= s->end)
			return -1;
		char c = *s->p++;
		unsigned cp, lo;
		switch (c) {
		case '"':
		case '\\':
		case '/':
			*o++ = c;
			break;
		case 'b':
			*o++ = '\b';
			break;
		case 'f':
			*o++ = '\f';
			break;
		case 'n':
			*o++ = '\n';
			break;
		case 'r':
			*o++ = '\r';
			break;
		case 't':
			*o++ = '\t';
			break;
		case 'u':
			if (hex4(s->p, s->end, &cp) < 0)
				return -1;
			s->p += 4;
			if (cp >= 0xd800 && cp <= 0xdbff && s->end - s->p >= 6 && s->p[0] == '\\' &&
			    s->p[1] == 'u' && hex4(s->p + 2, s->end, &lo) == 0 && lo >= 0xdc00 &&
			    lo <= 0xdfff) {
				cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
				s->p += 6;
			} else if (cp >= 0xd800 && cp <= 0xdfff) {
				cp = 0xfffd; /* a lone surrogate */
			}
			o = utf8(o, cp);
			break;
		default:
			return -1;
		}
	}
	if (s->p >= s->end)
		return -1; /* unterminated */
	s->p++;
	*len = (size_t)(o - start);
	*o = '\0'; /* o < the closing quote's position, or at it */
	*out = start;
	return 0;
}

/* A number, true, false or null: its text, NUL-terminated in place. */
static int scalar(struct scan *s, char **out)
{
	char *start = s->p;

	while (s->p < s->end && (strchr("+-.eE", *s->p) || (*s->p >= '0' && *s->p <= '9') ||
	                         (*s->p >= 'a' && *s->p <= 'z')))
		s->p++;
	size_t n = (size_t)(s->p - start);
	bool word = (n == 4 && (!memcmp(start, "true", 4) || !memcmp(start, "null", 4))) ||
	            (n == 5 && !memcmp(start, "false", 5));
	if (n == 0 || (!word && *start != '-' && (*start < '0' || *start > '9')))
		return -1;
	*out = start;
	return 0;
}

/* "TIME STREAM F|P TEXT" (k8s-file): fields cut in place; F adds the '\n'. */
static int parse_cri(char *line, size_t len, struct ctr_logline *e)
{
	char *end = line + len, *sp1, *sp2, *tag;
	size_t n;

	sp1 = memchr(line, ' ', len);
	if (!sp1 || sp1 == line)
		return -1;
	sp2 = memchr(sp1 + 1, ' ', (size_t)(end - sp1 - 1));
	if (!sp2 || end - sp2 < 3 || (sp2[1] != 'F' && sp2[1] != 'P') ||
	    (sp2 + 2 < end && sp2[2] != ' '))
		return -1;
	*sp1 = '\0';
	*sp2 = '\0';
	if (ctr_parse_rfc3339(line, &e->t_ns) < 0)
		return -1;
	e->ts = line;
	e->stream = strcmp(sp1 + 1, "stderr") == 0;
	/* The text moves 3 bytes left, over " F ", to make room for '\n' and NUL. */
	tag = sp2 + 1;
	n = sp2 + 3 <= end ? (size_t)(end - (sp2 + 3)) : 0;
	bool full = *tag == 'F';
	memmove(sp2, sp2 + 3, n);
	if (full)
		sp2[n++] = '\n';
	sp2[n] = '\0';
	e->text = sp2;
	e->len = n;
	return 0;
}

int ctr_logline_parse(char *line, size_t len, struct ctr_logline *e)
{
	struct scan s = {line, line + len};
	bool first = true;

	memset(e, 0, sizeof *e);
	e->stream = -1;
	if (len && line[0] >= '0' && line[0] <= '9')
		return parse_cri(line, len, e);
	skip_ws(&s);
	if (s.p >= s.end || *s.p++ != '{')
		return -1;
	for (;;) {
		char *key, *val, *num = NULL, *after;
		size_t klen, vlen = 0;
		bool is_str;

		skip_ws(&s);
		if (s.p < s.end && *s.p == '}' && first) {
			s.p++;
			break;
		}
		if (s.p >= s.end || *s.p != '"' || string(&s, &key, &klen) < 0)
			return -1;
		skip_ws(&s);
		if (s.p >= s.end || *s.p++ != ':')
			return -1;
		skip_ws(&s);
		if (s.p >= s.end)
			return -1;
		is_str = *s.p == '"';
		if (is_str ? string(&s, &val, &vlen) < 0 : scalar(&s, &num) < 0)
			return -1;
		after = s.p;
		skip_ws(&s);
		if (s.p >= s.end || (*s.p != ',' && *s.p != '}'))
			return -1;
		char sep = *s.p++;
		if (!is_str)
			*after = '\0'; /* the scalar's end: ',' '}' or blank, already read */
		if (klen == 1 && key[0] == 't') {
			e->t_ns = 0;
			e->ts = is_str ? val : NULL;
			if (is_str)
				(void)ctr_parse_rfc3339(val, &e->t_ns);
			else
				e->t_ns = (int64_t)strtod(num, NULL);
		} else if (klen == 1 && key[0] == 's') {
			e->stream = is_str ? strcmp(val, "stderr") == 0 : -1;
		} else if (klen == 1 && key[0] == 'l') {
			e->text = is_str ? val : NULL;
			e->len = is_str ? vlen : 0;
		}
		first = false;
		if (sep == '}')
			break;
	}
	skip_ws(&s);
	return s.p == s.end ? 0 : -1;
}

int ctr_log_tail_offset(int fd, int64_t end, size_t n, size_t block, int64_t *off, size_t *found)
{
	cleanup_free char *buf = NULL;
	int64_t pos = end;
	size_t seen = 0; /* '\n' that end a line other than the last one */

	*off = end;
	*found = 0;
	if (n == 0 || end <= 0)
		return 0;
	if (block == 0)
		block = 65536;
	buf = xmalloc(block);
	while (pos > 0) {
		size_t len = pos >= (int64_t)block ? block : (size_t)pos;
		pos -= (int64_t)len;
		for (size_t got = 0; got < len;) {
			ssize_t r = pread(fd, buf + got, len - got, (off_t)pos + (off_t)got);
			if (r < 0 && errno == EINTR)
				continue;
			if (r <= 0) {
				if (r == 0)
					errno = EIO; /* shorter than `end`: truncated meanwhile */
				return -1;
			}
			got += (size_t)r;
		}
		for (size_t i = len; i-- > 0;) {
			if (buf[i] != '\n' || pos + (int64_t)i == end - 1)
				continue; /* the last line's own newline starts nothing */
			if (++seen == n) {
				*off = pos + (int64_t)i + 1;
				*found = n;
				return 0;
			}
		}
	}
	*off = 0;
	*found = seen + 1; /* the first line has no '\n' before it */
	return 0;
}
