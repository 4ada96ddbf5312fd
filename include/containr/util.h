/*
 * util.h - the few shared utilities every module uses instead of ad-hoc
 * code: cleanup attributes, a growable string (strbuf), a string vector
 * (strv), allocation that aborts on OOM, file helpers, and parsers for sizes
 * and durations as Docker writes them.
 */
#ifndef CONTAINR_UTIL_H
#define CONTAINR_UTIL_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "containr/error.h"

/* ---- cleanup attributes (crun style) ----------------------------------- */
void ctr_freep(void *p);
void ctr_closep(int *fd);
void ctr_fclosep(void *fp);
#define cleanup_free   __attribute__((cleanup(ctr_freep)))
#define cleanup_close  __attribute__((cleanup(ctr_closep)))
#define cleanup_fclose __attribute__((cleanup(ctr_fclosep)))
/* Hand a cleanup-owned pointer to someone else: the variable becomes NULL. */
#define steal_pointer(pp) ctr_steal_ptr((void *)(pp))
void *ctr_steal_ptr(void *pp);
/* Same for file descriptors: returns the fd and sets the variable to -1. */
int ctr_steal_fd(int *fd);

#define CTR_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* ---- allocation: these abort with a message on out-of-memory ----------- */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* printf into a new heap string. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* ---- strbuf: growable, always NUL-terminated string -------------------- */
struct strbuf {
	char *buf; /* never NULL after strbuf_init */
	size_t len;
	size_t cap;
};
void strbuf_init(struct strbuf *sb);
void strbuf_release(struct strbuf *sb);
void strbuf_add(struct strbuf *sb, const void *data, size_t len);
void strbuf_puts(struct strbuf *sb, const char *s);
void strbuf_putc(struct strbuf *sb, char c);
void strbuf_printf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void strbuf_reset(struct strbuf *sb);
/* Give the buffer to the caller (who frees it); sb is re-initialised. */
char *strbuf_detach(struct strbuf *sb);

/* ---- strv: NULL-terminated vector of owned strings --------------------- */
struct strv {
	char **v; /* NULL-terminated; never NULL after strv_init */
	size_t n;
	size_t cap;
};
void strv_init(struct strv *sv);
void strv_release(struct strv *sv);
void strv_push(struct strv *sv, const char *s); /* copies s */
void strv_push_owned(struct strv *sv, char *s); /* takes s */
bool strv_contains(const struct strv *sv, const char *s);
void strv_sort(struct strv *sv);

/* ---- strings ----------------------------------------------------------- */
bool str_startswith(const char *s, const char *prefix);
bool str_endswith(const char *s, const char *suffix);
bool str_is_hex(const char *s, size_t len);
/* Levenshtein distance, for "did you mean" suggestions. */
int str_distance(const char *a, const char *b);

/* ---- files ------------------------------------------------------------- */
/* Read a whole file into a new NUL-terminated buffer (*len excludes NUL). */
int ctr_read_file(const char *path, char **out, size_t *len, struct ctr_err *err);
/*
 * Write `len` bytes to `path` atomically: a temp file in the same directory,
 * fsync, rename, fsync of the directory.  Readers see the old or the new
 * content, never a mix, even if the process is killed at any point.
 */
int ctr_write_file_atomic(const char *path, const void *data, size_t len, mode_t mode,
                          struct ctr_err *err);
/*
 * The same without the two fsyncs when `durable` is false: still atomic
 * against a killed process, but a power loss may leave an empty file (which
 * readers report and skip).  For objects that do not outlive a reboot
 * anyway (the state of a --rm container): the fsyncs cost ~2 ms per write.
 */
int ctr_write_file_replace(const char *path, const void *data, size_t len, mode_t mode,
                           bool durable, struct ctr_err *err);
/* mkdir -p with the given mode for created directories. */
int ctr_mkdir_p(const char *path, mode_t mode, struct ctr_err *err);
/* rm -rf that never crosses into another filesystem or follows symlinks. */
int ctr_rm_rf(const char *path, struct ctr_err *err);
/*
 * Bytes of the files under `path` (st_size; a hard-linked file counts its
 * share once per link), without following symlinks or crossing into other
 * filesystems.  0 if `path` cannot be opened.  For `volume ls`, inspect --size.
 */
int64_t ctr_dir_size(const char *path);
/* Join a and b with one '/'; the result is heap-allocated. */
char *ctr_path_join(const char *a, const char *b);

/* ---- parsing ----------------------------------------------------------- */
/*
 * Strict base-10 integers, the one way a value is read from text.  The whole
 * string is the number: no leading or trailing space, no empty string, no
 * "0x".  ctr_parse_i64 and ctr_parse_int accept one leading '+' or '-' (as
 * Go's strconv.ParseInt, so Docker's values read the same); ctr_parse_u64
 * accepts digits only.  A value outside [min, max] (or max) is an error.
 * Returns 0 and sets *out, or -1 leaving *out and errno untouched.
 */
int ctr_parse_i64(const char *s, int64_t min, int64_t max, int64_t *out);
int ctr_parse_u64(const char *s, uint64_t max, uint64_t *out);
int ctr_parse_int(const char *s, int min, int max, int *out);
/* "512", "64k", "1.5g", "100MB" -> bytes (binary units, Docker's rules). */
int ctr_parse_size(const char *s, int64_t *out, struct ctr_err *err);
/* "10", "1.5s", "300ms", "2m", "1h30m" -> nanoseconds; bare numbers are seconds. */
int ctr_parse_duration(const char *s, int64_t *out_ns, struct ctr_err *err);
/* Format bytes as Docker does: "1.5MiB" (binary) or "1.5MB" (decimal). */
void ctr_format_bytes(char *buf, size_t len, double bytes, bool binary);
/* "Up 3 minutes", "2 hours ago" style human durations (seconds). */
void ctr_format_duration(char *buf, size_t len, int64_t seconds);

/* ---- ids and time ------------------------------------------------------ */
/* Fill out[65] with 64 random lowercase hex characters (getrandom). */
int ctr_random_id(char out[65], struct ctr_err *err);
/* Current wall time in nanoseconds since the epoch. */
int64_t ctr_now_ns(void);
/* Monotonic clock in nanoseconds. */
int64_t ctr_mono_ns(void);
/* RFC 3339 with nanoseconds, UTC: "2026-11-28T14:21:19.123456789Z". */
void ctr_format_rfc3339(char *buf, size_t len, int64_t ns);
/* Parse RFC 3339 (as written above, or with an offset); returns -1 if bad. */
int ctr_parse_rfc3339(const char *s, int64_t *out_ns);
/*
 * A `logs --since/--until` value as Docker reads it: RFC 3339 with or
 * without fractional seconds and zone ("2026-11-28T14:00:00Z",
 * "2026-11-28T15:00:00.5+01:00"; without a zone, and in the shorter forms
 * "2026-11-28T14:00", "2026-11-28T14", "2026-11-28", it is local time),
 * Unix seconds with an optional fraction ("1764944479.123456789", exact to
 * the nanosecond), or a duration before `now_ns` ("42s", "10m", "1h30m").
 * Returns 0 with *out_ns (ns since the epoch), -1 if it is none of these.
 */
int ctr_parse_time_arg(const char *s, int64_t now_ns, int64_t *out_ns);

#endif
