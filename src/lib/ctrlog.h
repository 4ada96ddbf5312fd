/*
 * ctrlog.h - the one owner of the ctr.log format: a container's log, one
 * JSON object per line,
 *
 *   {"t":"2026-11-28T14:21:19.123456789Z","s":"stdout","l":"hello\n"}
 *
 * "t" is the time the bytes were read (RFC 3339, nanoseconds, UTC), "s"
 * "stdout" or "stderr", "l" the bytes, newline included.  A line longer
 * than CTR_LOGLINE_MAX is cut into entries of that size (as Docker's 16 KiB
 * partial messages); the last entry of a stream that ended without a
 * newline has none.
 *
 * Escaping: '"' '\\' and "\n" "\r" "\t" as two characters, other bytes
 * below 0x20 and 0x7f as \u00XX, every other byte as it is (UTF-8, and
 * also invalid UTF-8, byte for byte: the log keeps what the program wrote).
 *
 * Writers: the encoder (ctrlog_write.c) uses libc only, no allocation, so
 * the static containr-monitor links it (tools/monitor/, built with
 * musl-gcc -static from its own file plus ctrlog_write.c) as well as the
 * engine's in-process writer (src/runtime/logs.c).  Readers: the parser
 * (ctrlog_read.c) decodes in place, for `logs` (src/runtime/logs.c) and
 * the dashboard's Logs tab (ui/logtail.c), and the backwards line finder
 * (ctr_log_tail_offset) for `logs --tail`.  Encode then parse gives the
 * bytes back, NUL bytes included.
 */
#ifndef CONTAINR_LIB_CTRLOG_H
#define CONTAINR_LIB_CTRLOG_H

#include <stddef.h>
#include <stdint.h>

/* Longest entry, in bytes of output (16 KiB, as Docker). */
#define CTR_LOGLINE_MAX 16384
/* Room ctr_logline_encode() needs for `len` bytes: each may become \u00XX. */
#define CTR_LOGLINE_ENCODED_LEN(len) (6 * (size_t)(len) + 96)

/*
 * How many bytes of `buf` make the next entry: through the first '\n'
 * within CTR_LOGLINE_MAX bytes, else CTR_LOGLINE_MAX when `len` reached
 * it; 0 when more data is needed (no newline yet, shorter than the max).
 * A stream's end flushes what is left as one last entry (len <= max).
 */
size_t ctr_logline_cut(const char *buf, size_t len);

/*
 * Write the entry for `data` (len bytes) read at `t_ns` (ns since the
 * epoch, UTC) from `stream` (0 stdout, 1 stderr) into `out`, which has
 * room for CTR_LOGLINE_ENCODED_LEN(len) bytes.  Returns the bytes written,
 * ending in '\n'; `out` is not NUL-terminated.
 */
size_t ctr_logline_encode(char *out, int64_t t_ns, int stream, const char *data, size_t len);

/*
 * The same entry in podman's k8s-file (CRI) format, for --log-driver
 * k8s-file:  2026-11-28T14:21:19.123456789Z stdout F hello
 * "F" when `data` ends with its '\n' (which is not written), "P" for a
 * partial line (cut at 16 KiB, or a stream's unterminated end); the bytes
 * are written as they are.  Needs CTR_LOGLINE_ENCODED_LEN(len) bytes too.
 */
size_t ctr_logline_encode_cri(char *out, int64_t t_ns, int stream, const char *data, size_t len);

/*
 * The log file being written, with Docker json-file rotation
 * (--log-opt max-size, max-file).  Before an entry that would take ctr.log
 * past max_size (and ctr.log is not empty), ctr.log is rotated:
 * max_file >= 2 renames ctr.log.N-1 -> ctr.log.N ... ctr.log -> ctr.log.1
 * (the oldest beyond max_file-1 is replaced, so at most max_file files
 * exist) and starts a new ctr.log; max_file 1 truncates ctr.log (Docker
 * keeps one file).  libc only, no allocation: containr-monitor uses it.
 */
struct ctr_logfile {
	int fd;            /* ctr.log, opened O_WRONLY|O_APPEND; -1: no log */
	const char *path;  /* its path (rotated files go beside it); borrowed */
	uint64_t size;     /* bytes in ctr.log now */
	uint64_t max_size; /* 0: unlimited, never rotates */
	int max_file;      /* files kept, ctr.log included (>= 1) */
};

/* Fill `lf` for `fd` (its size from fstat) and the limits. */
void ctr_logfile_init(struct ctr_logfile *lf, int fd, const char *path, uint64_t max_size,
                      int max_file);

/*
 * Append one or more whole entries (len bytes), rotating first when due
 * (see above).  Returns 0, or -1 with errno set when the write failed (a
 * failed rotation is not an error: ctr.log keeps growing).
 */
int ctr_logfile_write(struct ctr_logfile *lf, const char *buf, size_t len);

/* One decoded entry; the pointers point into the parsed line. */
struct ctr_logline {
	const char *ts; /* "t" as written, NUL-terminated; NULL if not a string */
	int64_t t_ns;   /* "t" parsed (RFC 3339 string or a number of ns); 0 if not */
	int stream;     /* 1 "stderr", 0 another string, -1 "s" missing */
	char *text;     /* "l" decoded, NUL-terminated (may hold NULs); NULL if missing */
	size_t len;     /* its length */
};

/*
 * Parse one line (without its '\n') of `len` bytes, decoding the strings
 * in place (`line` is modified).  Accepts any flat JSON object (keys in any
 * order, unknown keys of any scalar value skipped), or a k8s-file (CRI)
 * line "TIME STREAM F|P TEXT" (F gives TEXT its '\n' back).  \uXXXX escapes become
 * the byte (below 0x80) or UTF-8 (above; surrogate pairs joined, a lone
 * surrogate becomes U+FFFD); raw bytes stay as they are.  Returns 0, or -1
 * if the line is not such an object (e->* are then unspecified).
 */
int ctr_logline_parse(char *line, size_t len, struct ctr_logline *e);

/*
 * Where the last `n` lines of the first `end` bytes of `fd` start, read
 * backwards in blocks of `block` bytes (0: 64 KiB) with pread(), so the
 * cost is the size of those lines, not of the file.  A last line without
 * a final '\n' counts as a line; an empty file has none.  Sets *off to
 * that offset and *found to the lines it holds (n, or fewer when the file
 * has fewer lines: then *off is 0).  Returns 0, or -1 with errno set.
 */
int ctr_log_tail_offset(int fd, int64_t end, size_t n, size_t block, int64_t *off, size_t *found);

#endif
