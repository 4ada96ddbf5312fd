/*
 * test_ctrlog.c - the ctr.log format (src/lib/ctrlog.h): the encoder the
 * engine and containr-monitor share, the entry parser `logs` and the
 * dashboard share, and the line cutting.  Round trips: encode then parse
 * gives the bytes back (quotes, backslashes, control characters, NUL,
 * invalid UTF-8, long and unterminated lines); the runtime's writer cut at
 * '\n' and 16 KiB and flushed at the end gives the stream back.
 */
#include <cjson/cJSON.h>
#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "containr/util.h"
#include "lib/ctrlog.h"
#include "runtime/internal.h"

#define T0 1764944479123456789LL /* 2025-12-05T14:21:19.123456789Z */

/* Encode `data` (len bytes) as one entry; heap, NUL-terminated, without the '\n'. */
static char *enc(int stream, const char *data, size_t len)
{
	char *out = xmalloc(CTR_LOGLINE_ENCODED_LEN(len) + 1);
	size_t n = ctr_logline_encode(out, T0, stream, data, len);
	cr_assert_gt(n, 0);
	cr_assert_eq(out[n - 1], '\n', "an entry ends in a newline");
	cr_assert_null(memchr(out, '\n', n - 1), "one entry is one line");
	cr_assert_leq(n, CTR_LOGLINE_ENCODED_LEN(len));
	out[n - 1] = '\0';
	return out;
}

/* encode -> parse -> same bytes, same stream, same time */
static void round_trip(int stream, const char *data, size_t len)
{
	cleanup_free char *line = enc(stream, data, len);
	struct ctr_logline e;

	cr_assert_eq(ctr_logline_parse(line, strlen(line), &e), 0, "parse %.80s", line);
	cr_assert_eq(e.stream, stream);
	cr_assert_eq(e.t_ns, T0);
	cr_assert_str_eq(e.ts, "2025-12-05T14:21:19.123456789Z");
	cr_assert_eq(e.len, len, "length %zu, want %zu", e.len, len);
	cr_assert_eq(memcmp(e.text, data, len), 0, "bytes differ");
	cr_assert_eq(e.text[len], '\0');
}

Test(ctrlog, encodes_the_documented_line)
{
	cleanup_free char *a = enc(0, "hello\n", 6);
	cleanup_free char *b = enc(1, "x", 1);
	char want_ts[64];

	cr_assert_str_eq(a, "{\"t\":\"2025-12-05T14:21:19.123456789Z\",\"s\":\"stdout\","
	                    "\"l\":\"hello\\n\"}");
	cr_assert_str_eq(b, "{\"t\":\"2025-12-05T14:21:19.123456789Z\",\"s\":\"stderr\","
	                    "\"l\":\"x\"}");
	/* the same time text as the engine's own formatter */
	ctr_format_rfc3339(want_ts, sizeof want_ts, T0);
	cr_assert(strstr(a, want_ts));
}

Test(ctrlog, escapes_quotes_backslashes_and_control_chars)
{
	const char in[] = "say \"hi\" \\ path\\n\t\r\x01\x1f\x7f end";
	cleanup_free char *line = enc(0, in, sizeof in - 1);
	const char *l = strstr(line, "\"l\":\"") + 5;

	cr_assert_str_eq(l, "say \\\"hi\\\" \\\\ path\\\\n\\t\\r\\u0001\\u001f\\u007f end\"}");
	round_trip(0, in, sizeof in - 1);
	/* a standard JSON parser reads the same text */
	cJSON *j = cJSON_Parse(line);
	cr_assert_not_null(j);
	cr_assert_str_eq(cJSON_GetObjectItem(j, "l")->valuestring, in);
	cJSON_Delete(j);
}

Test(ctrlog, nul_and_every_byte_value_round_trip)
{
	char all[256];
	for (int i = 0; i < 256; i++)
		all[i] = (char)i;
	round_trip(0, all, sizeof all);
	round_trip(1, "a\0b\0", 4);
	round_trip(0, "", 0);
}

Test(ctrlog, utf8_raw_and_invalid_utf8_kept_byte_for_byte)
{
	const char ok[] = "h\xc3\xa9llo \xe2\x82\xac \xf0\x9f\x90\xb3\n";
	const char bad[] = "\xff\xfe \xc3 \xe2\x82 \xed\xa0\x80 \xc0\xaf \x80\n";
	cleanup_free char *line = enc(0, ok, sizeof ok - 1);

	cr_assert(strstr(line, "h\xc3\xa9llo \xe2\x82\xac \xf0\x9f\x90\xb3\\n"), "UTF-8 as is: %s",
	          line);
	round_trip(0, ok, sizeof ok - 1);
	round_trip(0, bad, sizeof bad - 1);
}

Test(ctrlog, long_lines_round_trip)
{
	size_t n = CTR_LOGLINE_MAX;
	cleanup_free char *big = xmalloc(n);

	srand(42);
	for (size_t i = 0; i < n; i++)
		big[i] = (char)(rand() & 0xff);
	round_trip(0, big, n);
	memset(big, '\x02', n); /* worst case: every byte becomes \u0002 */
	round_trip(1, big, n);
	cleanup_free char *line = enc(1, big, n);
	cr_assert_eq(strlen(line) + 1, n * 6 + 59); /* 56 before "l", "} and newline after */
}

Test(ctrlog, cut_at_newline_or_16k)
{
	cleanup_free char *buf = xmalloc(3 * CTR_LOGLINE_MAX);

	cr_assert_eq(ctr_logline_cut("abc", 3), 0, "no newline yet: wait");
	cr_assert_eq(ctr_logline_cut("", 0), 0);
	cr_assert_eq(ctr_logline_cut("ab\ncd\n", 6), 3);
	cr_assert_eq(ctr_logline_cut("\n", 1), 1);
	memset(buf, 'x', 3 * CTR_LOGLINE_MAX);
	cr_assert_eq(ctr_logline_cut(buf, CTR_LOGLINE_MAX - 1), 0);
	cr_assert_eq(ctr_logline_cut(buf, CTR_LOGLINE_MAX), CTR_LOGLINE_MAX);
	buf[CTR_LOGLINE_MAX - 1] = '\n';
	cr_assert_eq(ctr_logline_cut(buf, CTR_LOGLINE_MAX), CTR_LOGLINE_MAX);
	buf[CTR_LOGLINE_MAX - 1] = 'x';
	/* a newline past 16 KiB does not make a longer entry */
	buf[CTR_LOGLINE_MAX + 10] = '\n';
	cr_assert_eq(ctr_logline_cut(buf, 2 * CTR_LOGLINE_MAX), CTR_LOGLINE_MAX);
}

/* The runtime's writer: chunks in, entries out, the stream comes back. */
Test(ctrlog, writer_cuts_partial_and_long_lines)
{
	char path[] = "/tmp/ctrlog-XXXXXX";
	int fd = mkstemp(path);
	struct runtime_logw w;
	struct strbuf want[2], got[2];
	cleanup_free char *text = NULL;
	size_t len = 0, entries = 0, longest = 0;
	cleanup_free char *big = xmalloc(40000);

	cr_assert_geq(fd, 0);
	for (int s = 0; s < 2; s++) {
		strbuf_init(&want[s]);
		strbuf_init(&got[s]);
	}
	memset(big, 'y', 40000);
	big[39999] = '\n';
	runtime_logw_init(&w, fd);
	runtime_logw_feed(&w, 0, "par", 3); /* a line in pieces */
	runtime_logw_feed(&w, 1, "err \"1\"\n", 8);
	runtime_logw_feed(&w, 0, "tial\nnext", 9);
	runtime_logw_feed(&w, 0, big, 40000); /* 40000 bytes: cut at 16 KiB */
	runtime_logw_feed(&w, 1, "no newline at the end", 21);
	runtime_logw_flush(&w);
	runtime_logw_release(&w);
	close(fd);
	strbuf_puts(&want[0], "partial\nnext");
	strbuf_add(&want[0], big, 40000);
	strbuf_puts(&want[1], "err \"1\"\nno newline at the end");

	cr_assert_eq(ctr_read_file(path, &text, &len, NULL), 0);
	unlink(path);
	for (char *p = text, *nl; (nl = memchr(p, '\n', len - (size_t)(p - text))); p = nl + 1) {
		struct ctr_logline e;
		cr_assert_eq(ctr_logline_parse(p, (size_t)(nl - p), &e), 0);
		cr_assert(e.stream == 0 || e.stream == 1);
		strbuf_add(&got[e.stream], e.text, e.len);
		longest = e.len > longest ? e.len : longest;
		entries++;
	}
	cr_assert_eq(longest, CTR_LOGLINE_MAX);
	/* partial\n, next+16K-4, 16K, rest (40000+4-32768 = 7236), err, no newline */
	cr_assert_eq(entries, 6, "entries: %zu", entries);
	for (int s = 0; s < 2; s++) {
		cr_assert_eq(got[s].len, want[s].len);
		cr_assert_eq(memcmp(got[s].buf, want[s].buf, want[s].len), 0);
		strbuf_release(&want[s]);
		strbuf_release(&got[s]);
	}
}

static int parse_str(const char *s, struct ctr_logline *e, char **keep)
{
	*keep = xstrdup(s);
	return ctr_logline_parse(*keep, strlen(*keep), e);
}

Test(ctrlog, parser_reads_any_flat_object)
{
	struct ctr_logline e;
	char *k;

	cr_assert_eq(parse_str(" { \"l\" : \"a\\/b\\u00e9\\ud83d\\udc33\\ud800x\" , \"x\":1.5e3,"
	                       "\"y\":true,\"z\":null,\"n\":\"\",\"s\":\"stdout\" ,"
	                       "\"t\":\"2026-11-28T14:21:19.5Z\" } ",
	                       &e, &k),
	             0);
	cr_assert_str_eq(e.text, "a/b\xc3\xa9\xf0\x9f\x90\xb3\xef\xbf\xbdx");
	cr_assert_eq(e.stream, 0);
	cr_assert_str_eq(e.ts, "2026-11-28T14:21:19.5Z");
	cr_assert_eq(e.t_ns % 1000000000LL, 500000000LL);
	free(k);
	/* numeric time, no stream, no text: an object, but fields missing */
	cr_assert_eq(parse_str("{\"t\":1700000000000000000}", &e, &k), 0);
	cr_assert_eq(e.t_ns, 1700000000000000000LL);
	cr_assert_null(e.ts);
	cr_assert_eq(e.stream, -1);
	cr_assert_null(e.text);
	free(k);
	cr_assert_eq(parse_str("{}", &e, &k), 0);
	free(k);
}

Test(ctrlog, parser_rejects_what_is_not_an_entry)
{
	static const char *const bad[] = {
	    "",
	    "plain text",
	    "[1,2]",
	    "{\"l\":\"abc",                                     /* a line cut mid-write */
	    "{\"t\":\"2026-11-28T14:21:19Z\",\"s\":\"stdout\"", /* no closing brace */
	    "{\"l\":{\"nested\":1}}",
	    "{\"l\":\"a\"} trailing",
	    "{\"l\":\"bad \\x escape\"}",
	    "{\"l\":\"short \\u12\"}",
	    "{\"l\" \"a\"}",
	    "{\"l\":\"a\",}",
	    "{\"l\":}",
	    "{\"l\":\"a\",\"x\":bogus}",
	};
	for (size_t i = 0; i < CTR_ARRAY_SIZE(bad); i++) {
		struct ctr_logline e;
		char *k;
		cr_assert_lt(parse_str(bad[i], &e, &k), 0, "accepted: %s", bad[i]);
		free(k);
	}
}

Test(ctrlog, parser_agrees_with_cjson)
{
	static const char *const lines[] = {
	    "{\"t\":\"2026-11-28T14:21:19.123456789Z\",\"s\":\"stderr\",\"l\":\"x \\\"y\\\" \\\\ "
	    "\\u0001\\t\\n\"}",
	    "{\"s\":\"stdout\",\"l\":\"\\u00e9\\u20ac\\ud83d\\udc33 \\b\\f\\r\",\"t\":\"x\"}",
	};
	for (size_t i = 0; i < CTR_ARRAY_SIZE(lines); i++) {
		cJSON *j = cJSON_Parse(lines[i]);
		struct ctr_logline e;
		char *k;
		cr_assert_eq(parse_str(lines[i], &e, &k), 0);
		cr_assert_str_eq(e.text, cJSON_GetObjectItem(j, "l")->valuestring);
		cr_assert_str_eq(e.ts, cJSON_GetObjectItem(j, "t")->valuestring);
		free(k);
		cJSON_Delete(j);
	}
}

/* ---- ctr_log_tail_offset: the backwards line finder behind `logs --tail` ---- */

/* A temporary file holding `data`; returns its fd (read-only use). */
static int tmpfile_with(const char *data, size_t len)
{
	char path[] = "/tmp/test-ctrlog-tail.XXXXXX";
	int fd = mkstemp(path);
	cr_assert_geq(fd, 0);
	unlink(path);
	cr_assert_eq(write(fd, data, len), (ssize_t)len);
	return fd;
}

/* The offset of the last n lines of `data`, with a block size `block`. */
static int64_t tail_off(const char *data, size_t n, size_t block, size_t *found)
{
	int fd = tmpfile_with(data, strlen(data));
	int64_t off = -1;
	cr_assert_eq(ctr_log_tail_offset(fd, (int64_t)strlen(data), n, block, &off, found), 0);
	close(fd);
	return off;
}

Test(ctrlog_tail, every_block_size_finds_the_same_lines)
{
	const char *data = "one\ntwo\nthree\nfour\n";
	/* block sizes 1..32: newlines land on every block boundary */
	for (size_t b = 1; b <= 32; b++) {
		size_t found;
		cr_assert_eq(tail_off(data, 1, b, &found), 14, "block %zu", b);
		cr_assert_eq(found, 1);
		cr_assert_eq(tail_off(data, 2, b, &found), 8, "block %zu", b);
		cr_assert_eq(found, 2);
		cr_assert_eq(tail_off(data, 4, b, &found), 0, "block %zu", b);
		cr_assert_eq(found, 4);
		cr_assert_eq(tail_off(data, 10, b, &found), 0, "more than the file holds");
		cr_assert_eq(found, 4, "found only the file's 4 lines");
		cr_assert_eq(tail_off(data, 0, b, &found), 19, "tail 0: the end");
		cr_assert_eq(found, 0);
	}
}

Test(ctrlog_tail, lines_longer_than_the_block)
{
	char data[3 * 1000 + 4];
	memset(data, 'a', sizeof data - 1);
	data[999] = '\n';
	data[1999] = '\n';
	data[sizeof data - 2] = '\n';
	data[sizeof data - 1] = '\0';
	size_t found;
	cr_assert_eq(tail_off(data, 1, 7, &found), 2000);
	cr_assert_eq(found, 1);
	cr_assert_eq(tail_off(data, 2, 7, &found), 1000);
	cr_assert_eq(tail_off(data, 3, 64, &found), 0);
	cr_assert_eq(found, 3);
}

Test(ctrlog_tail, a_last_line_without_newline_counts)
{
	size_t found;
	cr_assert_eq(tail_off("one\ntwo\nthr", 1, 4, &found), 8);
	cr_assert_eq(found, 1);
	cr_assert_eq(tail_off("one\ntwo\nthr", 2, 4, &found), 4);
	cr_assert_eq(tail_off("one\ntwo\nthr", 5, 4, &found), 0);
	cr_assert_eq(found, 3);
	cr_assert_eq(tail_off("lonely", 1, 2, &found), 0);
	cr_assert_eq(found, 1);
	cr_assert_eq(tail_off("\n", 1, 2, &found), 0, "one empty line");
	cr_assert_eq(found, 1);
	cr_assert_eq(tail_off("\n\n", 1, 1, &found), 1);
	cr_assert_eq(found, 1);
}

Test(ctrlog_tail, an_empty_file_has_no_lines)
{
	size_t found = 99;
	cr_assert_eq(tail_off("", 3, 0, &found), 0);
	cr_assert_eq(found, 0);
}

Test(ctrlog_tail, a_file_shorter_than_end_is_an_error)
{
	int fd = tmpfile_with("abc\n", 4);
	int64_t off;
	size_t found;
	cr_assert_eq(ctr_log_tail_offset(fd, 100, 1, 16, &off, &found), -1);
	close(fd);
}

/* ---- ctr_logfile: rotation as Docker's json-file (max-size, max-file) ---- */

static char *slurp_path(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return NULL;
	char *buf = xcalloc(1, 4096);
	size_t n = fread(buf, 1, 4095, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/* A fresh directory with ctr.log open for appending; fills `lf`. */
static void logfile_open(char dir[64], char path[96], struct ctr_logfile *lf, uint64_t max_size,
                         int max_file)
{
	snprintf(dir, 64, "/tmp/test-ctrlog-rot.XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, 96, "%s/ctr.log", dir);
	int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	cr_assert_geq(fd, 0);
	ctr_logfile_init(lf, fd, path, max_size, max_file);
}

static void logfile_cleanup(const char *dir, const char *path, struct ctr_logfile *lf)
{
	char p[128];
	close(lf->fd);
	unlink(path);
	for (int i = 1; i < 6; i++) {
		snprintf(p, sizeof p, "%s.%d", path, i);
		unlink(p);
	}
	rmdir(dir);
}

Test(ctrlog_rotate, keeps_max_file_files_newest_in_ctr_log)
{
	char dir[64], path[96], p[128];
	struct ctr_logfile lf;
	logfile_open(dir, path, &lf, 8, 3);
	/* 4-byte entries, 2 per file: a b | c d | e f | g */
	const char *e[] = {"aaa\n", "bbb\n", "ccc\n", "ddd\n", "eee\n", "fff\n", "ggg\n"};
	for (size_t i = 0; i < CTR_ARRAY_SIZE(e); i++)
		cr_assert_eq(ctr_logfile_write(&lf, e[i], 4), 0);
	cleanup_free char *cur = slurp_path(path);
	snprintf(p, sizeof p, "%s.1", path);
	cleanup_free char *r1 = slurp_path(p);
	snprintf(p, sizeof p, "%s.2", path);
	cleanup_free char *r2 = slurp_path(p);
	snprintf(p, sizeof p, "%s.3", path);
	cleanup_free char *r3 = slurp_path(p);
	cr_assert_str_eq(cur, "ggg\n");
	cr_assert_str_eq(r1, "eee\nfff\n");
	cr_assert_str_eq(r2, "ccc\nddd\n", "the oldest kept");
	cr_assert_null(r3, "never more than max-file files");
	logfile_cleanup(dir, path, &lf);
}

Test(ctrlog_rotate, max_file_1_truncates)
{
	char dir[64], path[96], p[128];
	struct ctr_logfile lf;
	logfile_open(dir, path, &lf, 10, 1);
	cr_assert_eq(ctr_logfile_write(&lf, "aaaa\n", 5), 0);
	cr_assert_eq(ctr_logfile_write(&lf, "bbbb\n", 5), 0);
	cr_assert_eq(ctr_logfile_write(&lf, "cccc\n", 5), 0);
	cleanup_free char *cur = slurp_path(path);
	cr_assert_str_eq(cur, "cccc\n");
	snprintf(p, sizeof p, "%s.1", path);
	cr_assert_eq(access(p, F_OK), -1, "one file only");
	logfile_cleanup(dir, path, &lf);
}

Test(ctrlog_rotate, unlimited_never_rotates_and_big_entries_still_land)
{
	char dir[64], path[96], p[128];
	struct ctr_logfile lf;
	logfile_open(dir, path, &lf, 0, 3);
	for (int i = 0; i < 50; i++)
		cr_assert_eq(ctr_logfile_write(&lf, "0123456789\n", 11), 0);
	cr_assert_eq(lf.size, 550);
	snprintf(p, sizeof p, "%s.1", path);
	cr_assert_eq(access(p, F_OK), -1);
	logfile_cleanup(dir, path, &lf);
	/* an entry bigger than max-size goes alone into a fresh file */
	logfile_open(dir, path, &lf, 4, 2);
	cr_assert_eq(ctr_logfile_write(&lf, "a\n", 2), 0);
	cr_assert_eq(ctr_logfile_write(&lf, "0123456789\n", 11), 0);
	cleanup_free char *cur = slurp_path(path);
	cr_assert_str_eq(cur, "0123456789\n");
	logfile_cleanup(dir, path, &lf);
}

/* ---- k8s-file (CRI) lines: --log-driver k8s-file ---- */

static void cri_round_trip(int stream, const char *data, size_t len)
{
	char *out = xmalloc(CTR_LOGLINE_ENCODED_LEN(len) + 1);
	size_t n = ctr_logline_encode_cri(out, T0, stream, data, len);
	struct ctr_logline e;
	cr_assert_eq(out[n - 1], '\n');
	cr_assert_null(memchr(out, '\n', n - 1), "one entry is one line");
	cr_assert_eq(ctr_logline_parse(out, n - 1, &e), 0, "parse %.*s", (int)n, out);
	cr_assert_eq(e.t_ns, T0);
	cr_assert_eq(e.stream, stream);
	cr_assert_eq(e.len, len);
	cr_assert_eq(memcmp(e.text, data, len), 0);
	cr_assert_eq(e.text[len], '\0');
	free(out);
}

Test(ctrlog_cri, round_trips_full_partial_and_empty_lines)
{
	cri_round_trip(0, "hello\n", 6);
	cri_round_trip(1, "to stderr\n", 10);
	cri_round_trip(0, "partial, no newline", 19);
	cri_round_trip(0, "\n", 1);
	cri_round_trip(0, "", 0);
	cri_round_trip(0, "tabs\tand \"quotes\" \\ raw\n", 24);
}

Test(ctrlog_cri, reads_podman_lines)
{
	char line[] = "2025-12-05T15:21:19.123456789+01:00 stdout F hello world";
	struct ctr_logline e;
	cr_assert_eq(ctr_logline_parse(line, strlen(line), &e), 0);
	cr_assert_eq(e.t_ns, T0, "the zone offset is applied");
	cr_assert_str_eq(e.text, "hello world\n");
	cr_assert_str_eq(e.ts, "2025-12-05T15:21:19.123456789+01:00");
	char bad[] = "2025-12-05T15:21:19Z stdout X what";
	cr_assert_eq(ctr_logline_parse(bad, strlen(bad), &e), -1, "tag must be F or P");
}
