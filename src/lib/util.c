/*
 * util.c - shared helpers: allocation, strbuf, strv, strings, files,
 * Docker-style size/duration parsing and formatting, ids and time.
 */
#include "containr/util.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

void ctr_freep(void *p)
{
	free(*(void **)p);
}

void ctr_closep(int *fd)
{
	if (*fd >= 0)
		close(*fd);
}

void ctr_fclosep(void *fp)
{
	FILE *f = *(FILE **)fp;

	if (f)
		fclose(f);
}

void *ctr_steal_ptr(void *pp)
{
	void **p = pp;
	void *r = *p;

	*p = NULL;
	return r;
}

int ctr_steal_fd(int *fd)
{
	int r = *fd;

	*fd = -1;
	return r;
}

static void oom(size_t n)
{
	fprintf(stderr, "containr: out of memory (allocating %zu bytes)\n", n);
	abort();
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		oom(n);
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		oom(n * size);
	return p;
}

void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (!q)
		oom(n);
	return q;
}

char *xstrdup(const char *s)
{
	char *r = strdup(s ? s : "");

	if (!r)
		oom(strlen(s));
	return r;
}

char *xstrndup(const char *s, size_t n)
{
	char *r = strndup(s, n);

	if (!r)
		oom(n);
	return r;
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *r;

	va_start(ap, fmt);
	if (vasprintf(&r, fmt, ap) < 0)
		oom(0);
	va_end(ap);
	return r;
}

/* ---- strbuf ------------------------------------------------------------ */

static char strbuf_empty[1];

void strbuf_init(struct strbuf *sb)
{
	sb->buf = strbuf_empty;
	sb->len = 0;
	sb->cap = 0;
}

void strbuf_release(struct strbuf *sb)
{
	if (sb->cap)
		free(sb->buf);
	strbuf_init(sb);
}

static void strbuf_grow(struct strbuf *sb, size_t extra)
{
	size_t need = sb->len + extra + 1;

	if (need <= sb->cap)
		return;
	size_t cap = sb->cap ? sb->cap : 64;
	while (cap < need)
		cap *= 2;
	if (sb->cap == 0) {
		sb->buf = xmalloc(cap);
		sb->buf[0] = '\0';
	} else {
		sb->buf = xrealloc(sb->buf, cap);
	}
	sb->cap = cap;
}

void strbuf_add(struct strbuf *sb, const void *data, size_t len)
{
	strbuf_grow(sb, len);
	memcpy(sb->buf + sb->len, data, len);
	sb->len += len;
	sb->buf[sb->len] = '\0';
}

void strbuf_puts(struct strbuf *sb, const char *s)
{
	strbuf_add(sb, s, strlen(s));
}

void strbuf_putc(struct strbuf *sb, char c)
{
	strbuf_add(sb, &c, 1);
}

void strbuf_printf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n <= 0)
		return;
	strbuf_grow(sb, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	sb->len += (size_t)n;
}

void strbuf_reset(struct strbuf *sb)
{
	sb->len = 0;
	if (sb->cap)
		sb->buf[0] = '\0';
}

char *strbuf_detach(struct strbuf *sb)
{
	char *r = sb->cap ? sb->buf : xstrdup("");

	strbuf_init(sb);
	return r;
}

/* ---- strv -------------------------------------------------------------- */

void strv_init(struct strv *sv)
{
	sv->v = xcalloc(1, sizeof(char *));
	sv->n = 0;
	sv->cap = 1;
}

void strv_release(struct strv *sv)
{
	if (!sv->v)
		return;
	for (size_t i = 0; i < sv->n; i++)
		free(sv->v[i]);
	free(sv->v);
	sv->v = NULL;
	sv->n = sv->cap = 0;
}

void strv_push_owned(struct strv *sv, char *s)
{
	if (!sv->v)
		strv_init(sv);
	if (sv->n + 1 >= sv->cap) {
		sv->cap = sv->cap * 2 + 4;
		sv->v = xrealloc(sv->v, sv->cap * sizeof(char *));
	}
	sv->v[sv->n++] = s;
	sv->v[sv->n] = NULL;
}

void strv_push(struct strv *sv, const char *s)
{
	strv_push_owned(sv, xstrdup(s));
}

bool strv_contains(const struct strv *sv, const char *s)
{
	for (size_t i = 0; i < sv->n; i++)
		if (strcmp(sv->v[i], s) == 0)
			return true;
	return false;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void strv_sort(struct strv *sv)
{
	if (sv->n > 1)
		qsort(sv->v, sv->n, sizeof(char *), cmp_str);
}

/* ---- strings ----------------------------------------------------------- */

bool str_startswith(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

bool str_endswith(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	return a >= b && strcmp(s + a - b, suffix) == 0;
}

bool str_is_hex(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (!s[i] || !isxdigit((unsigned char)s[i]) || isupper((unsigned char)s[i]))
			return false;
	return true;
}

int str_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	int *prev, *cur, r;

	if (la > 64 || lb > 64)
		return 99;
	prev = xcalloc(lb + 1, sizeof(int));
	cur = xcalloc(lb + 1, sizeof(int));
	for (size_t j = 0; j <= lb; j++)
		prev[j] = (int)j;
	for (size_t i = 1; i <= la; i++) {
		cur[0] = (int)i;
		for (size_t j = 1; j <= lb; j++) {
			int c = prev[j - 1] + (a[i - 1] != b[j - 1]);
			if (prev[j] + 1 < c)
				c = prev[j] + 1;
			if (cur[j - 1] + 1 < c)
				c = cur[j - 1] + 1;
			cur[j] = c;
		}
		memcpy(prev, cur, (lb + 1) * sizeof(int));
	}
	r = prev[lb];
	free(prev);
	free(cur);
	return r;
}

/* ---- files ------------------------------------------------------------- */

int ctr_read_file(const char *path, char **out, size_t *len, struct ctr_err *err)
{
	cleanup_close int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct strbuf sb;
	char buf[8192];

	if (fd < 0)
		return ctr_fail_errno(err, E_IO, errno, "cannot open %s", path);
	strbuf_init(&sb);
	for (;;) {
		ssize_t n = read(fd, buf, sizeof buf);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			strbuf_release(&sb);
			return ctr_fail_errno(err, E_IO, errno, "cannot read %s", path);
		}
		if (n == 0)
			break;
		strbuf_add(&sb, buf, (size_t)n);
	}
	if (len)
		*len = sb.len;
	*out = strbuf_detach(&sb);
	return 0;
}

static int write_all(int fd, const void *data, size_t len)
{
	const char *p = data;

	while (len) {
		ssize_t n = write(fd, p, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static void fsync_parent(const char *path)
{
	cleanup_free char *dir = xstrdup(path);
	char *slash = strrchr(dir, '/');
	cleanup_close int fd = -1;

	if (slash == dir)
		slash[1] = '\0';
	else if (slash)
		*slash = '\0';
	else
		strcpy(dir, ".");
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0)
		fsync(fd);
}

int ctr_write_file_atomic(const char *path, const void *data, size_t len, mode_t mode,
                          struct ctr_err *err)
{
	return ctr_write_file_replace(path, data, len, mode, true, err);
}

int ctr_write_file_replace(const char *path, const void *data, size_t len, mode_t mode,
                           bool durable, struct ctr_err *err)
{
	cleanup_free char *tmp = xasprintf("%s.tmp-%d", path, (int)getpid());
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);

	if (fd < 0)
		return ctr_fail_errno(err, E_IO, errno, "cannot create %s", tmp);
	if (write_all(fd, data, len) < 0 || (durable && fsync(fd) < 0)) {
		int e = errno;
		close(fd);
		unlink(tmp);
		return ctr_fail_errno(err, E_IO, e, "cannot write %s", tmp);
	}
	if (close(fd) < 0) {
		int e = errno;
		unlink(tmp);
		return ctr_fail_errno(err, E_IO, e, "cannot write %s", tmp);
	}
	if (rename(tmp, path) < 0) {
		int e = errno;
		unlink(tmp);
		return ctr_fail_errno(err, E_IO, e, "cannot rename %s to %s", tmp, path);
	}
	if (durable)
		fsync_parent(path);
	return 0;
}

int ctr_mkdir_p(const char *path, mode_t mode, struct ctr_err *err)
{
	cleanup_free char *p = xstrdup(path);
	size_t len = strlen(p);

	for (size_t i = 1; i <= len; i++) {
		if (p[i] != '/' && p[i] != '\0')
			continue;
		char c = p[i];
		p[i] = '\0';
		if (mkdir(p, mode) < 0 && errno != EEXIST)
			return ctr_fail_errno(err, E_IO, errno, "cannot create directory %s", p);
		p[i] = c;
	}
	return 0;
}

static int rm_rf_at(int parent, const char *name, dev_t dev, struct ctr_err *err)
{
	struct stat st;

	if (fstatat(parent, name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		if (errno == ENOENT)
			return 0;
		return ctr_fail_errno(err, E_IO, errno, "cannot stat %s", name);
	}
	if (S_ISDIR(st.st_mode)) {
		if (st.st_dev != dev)
			return ctr_fail(err, E_IO, "refusing to remove %s: it is a mount point",
			                name);
		int fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0 && errno == EACCES && st.st_uid == geteuid() &&
		    fchmodat(parent, name, 0700, 0) == 0) /* overlay's work/work is mode 0 */
			fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0)
			return ctr_fail_errno(err, E_IO, errno, "cannot open %s", name);
		DIR *d = fdopendir(fd);
		if (!d) {
			close(fd);
			return ctr_fail_errno(err, E_IO, errno, "cannot open %s", name);
		}
		struct dirent *de;
		int rc = 0;
		while ((de = readdir(d))) {
			if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
				continue;
			if (rm_rf_at(dirfd(d), de->d_name, dev, err) < 0) {
				rc = -1;
				break;
			}
		}
		closedir(d);
		if (rc < 0)
			return rc;
		if (unlinkat(parent, name, AT_REMOVEDIR) < 0 && errno != ENOENT)
			return ctr_fail_errno(err, E_IO, errno, "cannot remove %s", name);
		return 0;
	}
	if (unlinkat(parent, name, 0) < 0 && errno != ENOENT)
		return ctr_fail_errno(err, E_IO, errno, "cannot remove %s", name);
	return 0;
}

int ctr_rm_rf(const char *path, struct ctr_err *err)
{
	struct stat st;

	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0
		                       : ctr_fail_errno(err, E_IO, errno, "cannot stat %s", path);
	if (rm_rf_at(AT_FDCWD, path, st.st_dev, err) < 0)
		return ctr_err_wrap(err, "removing %s", path);
	return 0;
}

char *ctr_path_join(const char *a, const char *b)
{
	size_t la = strlen(a);

	while (la > 1 && a[la - 1] == '/')
		la--;
	while (*b == '/')
		b++;
	return xasprintf("%.*s/%s", (int)la, a, b);
}

/* ---- parsing ----------------------------------------------------------- */

/* Digits only, with overflow detection; no errno (callers keep theirs). */
static int parse_digits(const char *s, uint64_t *out)
{
	uint64_t v = 0;

	if (!s || !*s)
		return -1;
	for (; *s; s++) {
		unsigned d = (unsigned)(*s - '0');
		if (d > 9)
			return -1;
		if (v > (UINT64_MAX - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

int ctr_parse_u64(const char *s, uint64_t max, uint64_t *out)
{
	uint64_t v;

	if (parse_digits(s, &v) < 0 || v > max)
		return -1;
	*out = v;
	return 0;
}

int ctr_parse_i64(const char *s, int64_t min, int64_t max, int64_t *out)
{
	bool neg = false;
	uint64_t v;
	int64_t r;

	if (!s)
		return -1;
	if (*s == '+' || *s == '-')
		neg = *s++ == '-';
	if (parse_digits(s, &v) < 0)
		return -1;
	if (neg) {
		if (v > (uint64_t)INT64_MAX + 1)
			return -1;
		r = v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v;
	} else {
		if (v > (uint64_t)INT64_MAX)
			return -1;
		r = (int64_t)v;
	}
	if (r < min || r > max)
		return -1;
	*out = r;
	return 0;
}

int ctr_parse_int(const char *s, int min, int max, int *out)
{
	int64_t v;

	if (ctr_parse_i64(s, min, max, &v) < 0)
		return -1;
	*out = (int)v;
	return 0;
}

int ctr_parse_size(const char *s, int64_t *out, struct ctr_err *err)
{
	char *end;
	double v;
	double mult = 1;

	if (!s || !*s)
		return ctr_fail(err, E_INVALID_ARG, "empty size");
	errno = 0;
	v = strtod(s, &end);
	if (end == s || errno || v < 0 || isnan(v))
		goto bad;
	char unit = (char)tolower((unsigned char)*end);
	switch (unit) {
	case '\0':
		break;
	case 'b':
		end++;
		break;
	case 'k':
		mult = 1024.0;
		end++;
		break;
	case 'm':
		mult = 1024.0 * 1024;
		end++;
		break;
	case 'g':
		mult = 1024.0 * 1024 * 1024;
		end++;
		break;
	case 't':
		mult = 1024.0 * 1024 * 1024 * 1024;
		end++;
		break;
	default:
		goto bad;
	}
	if (unit && unit != 'b') {
		if (*end == 'i' || *end == 'I')
			end++;
		if (*end == 'b' || *end == 'B')
			end++;
	}
	if (*end)
		goto bad;
	if (v * mult > 9.2e18)
		goto bad;
	*out = (int64_t)(v * mult);
	return 0;
bad:
	ctr_fail(err, E_INVALID_ARG, "invalid size: '%s'", s);
	return ctr_hint(err, "use a number with an optional unit: b, k, m, g (e.g. 512m)");
}

int ctr_parse_duration(const char *s, int64_t *out_ns, struct ctr_err *err)
{
	const char *p = s;
	double total = 0;
	char *end;

	if (!s || !*s)
		goto bad;
	/* A bare number means seconds (docker stop -t 10). */
	errno = 0;
	double v = strtod(p, &end);
	if (end != p && !*end && !errno && v >= 0) {
		*out_ns = (int64_t)(v * 1e9);
		return 0;
	}
	while (*p) {
		errno = 0;
		v = strtod(p, &end);
		if (end == p || errno || v < 0)
			goto bad;
		p = end;
		double mult;
		if (str_startswith(p, "ns")) {
			mult = 1;
			p += 2;
		} else if (str_startswith(p, "us")) {
			mult = 1e3;
			p += 2;
		} else if (str_startswith(p, "ms")) {
			mult = 1e6;
			p += 2;
		} else if (*p == 's') {
			mult = 1e9;
			p++;
		} else if (*p == 'm') {
			mult = 60e9;
			p++;
		} else if (*p == 'h') {
			mult = 3600e9;
			p++;
		} else {
			goto bad;
		}
		total += v * mult;
	}
	*out_ns = (int64_t)total;
	return 0;
bad:
	ctr_fail(err, E_INVALID_ARG, "invalid duration: '%s'", s ? s : "");
	return ctr_hint(err, "use seconds (10) or a Go-style duration (1.5s, 300ms, 2m, 1h30m)");
}

void ctr_format_bytes(char *buf, size_t len, double bytes, bool binary)
{
	static const char *const bin[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
	static const char *const dec[] = {"B", "kB", "MB", "GB", "TB", "PB"};
	double base = binary ? 1024.0 : 1000.0;
	int i = 0;

	while (bytes >= base && i < 5) {
		bytes /= base;
		i++;
	}
	if (i == 0)
		snprintf(buf, len, "%.0f%s", bytes, binary ? bin[0] : dec[0]);
	else
		snprintf(buf, len, "%.4g%s", bytes, binary ? bin[i] : dec[i]);
	/* Docker prints at most 3 significant digits ("1.23MB", "123MB"). */
	char tmp[64];
	if (i > 0) {
		snprintf(tmp, sizeof tmp, "%.3g%s", bytes, binary ? bin[i] : dec[i]);
		snprintf(buf, len, "%s", tmp);
	}
}

void ctr_format_duration(char *buf, size_t len, int64_t s)
{
	if (s < 1)
		snprintf(buf, len, "Less than a second");
	else if (s == 1)
		snprintf(buf, len, "1 second");
	else if (s < 60)
		snprintf(buf, len, "%lld seconds", (long long)s);
	else if (s < 120)
		snprintf(buf, len, "About a minute");
	else if (s < 3600)
		snprintf(buf, len, "%lld minutes", (long long)(s / 60));
	else if (s < 2 * 3600)
		snprintf(buf, len, "About an hour");
	else if (s < 48 * 3600)
		snprintf(buf, len, "%lld hours", (long long)(s / 3600));
	else if (s < 14 * 86400)
		snprintf(buf, len, "%lld days", (long long)(s / 86400));
	else if (s < 60 * 86400)
		snprintf(buf, len, "%lld weeks", (long long)(s / (7 * 86400)));
	else if (s < 2 * 365 * 86400)
		snprintf(buf, len, "%lld months", (long long)(s / (30 * 86400)));
	else
		snprintf(buf, len, "%lld years", (long long)(s / (365 * 86400)));
}

/* ---- ids and time ------------------------------------------------------ */

int ctr_random_id(char out[65], struct ctr_err *err)
{
	unsigned char raw[32];
	size_t got = 0;

	while (got < sizeof raw) {
		ssize_t n = getrandom(raw + got, sizeof raw - got, 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return ctr_fail_errno(err, E_IO, errno, "getrandom");
		}
		got += (size_t)n;
	}
	for (size_t i = 0; i < sizeof raw; i++)
		snprintf(out + 2 * i, 3, "%02x", raw[i]);
	return 0;
}

int64_t ctr_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int64_t ctr_mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

void ctr_format_rfc3339(char *buf, size_t len, int64_t ns)
{
	time_t sec = (time_t)(ns / 1000000000LL);
	long frac = (long)(ns % 1000000000LL);
	struct tm tm;

	if (ns <= 0) {
		snprintf(buf, len, "0001-01-01T00:00:00Z");
		return;
	}
	gmtime_r(&sec, &tm);
	snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02d.%09ldZ", tm.tm_year + 1900, tm.tm_mon + 1,
	         tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, frac);
}

int ctr_parse_rfc3339(const char *s, int64_t *out_ns)
{
	struct tm tm = {0};
	long frac = 0;
	const char *p;
	int off = 0;

	if (!s)
		return -1;
	p = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm);
	if (!p)
		return -1;
	if (*p == '.') {
		int digits = 0;
		p++;
		while (isdigit((unsigned char)*p)) {
			if (digits < 9) {
				frac = frac * 10 + (*p - '0');
				digits++;
			}
			p++;
		}
		while (digits++ < 9)
			frac *= 10;
	}
	if (*p == 'Z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		int hh, mm;
		if (sscanf(p + 1, "%2d:%2d", &hh, &mm) != 2)
			return -1;
		off = (hh * 3600 + mm * 60) * (*p == '-' ? -1 : 1);
		p += 6;
	} else {
		return -1;
	}
	if (*p)
		return -1;
	time_t t = timegm(&tm);
	/* Outside what int64 nanoseconds hold (years ~1678..2262): Go's zero
	 * time "0001-01-01T00:00:00Z" means "never" and maps to 0, as
	 * ctr_format_rfc3339() writes it. */
	if ((int64_t)t - off < -9200000000LL || (int64_t)t - off > 9200000000LL) {
		*out_ns = 0;
		return 0;
	}
	*out_ns = ((int64_t)t - off) * 1000000000LL + frac;
	return 0;
}

/* "SECONDS[.FRACTION]", digits only: exact nanoseconds. */
static int parse_unix_time(const char *s, int64_t *out_ns)
{
	int64_t sec = 0, frac = 0;
	int digits = 0;
	const char *p = s;

	if (!isdigit((unsigned char)*p))
		return -1;
	for (; isdigit((unsigned char)*p); p++) {
		if (sec > 9200000000LL)
			return -1;
		sec = sec * 10 + (*p - '0');
	}
	if (*p == '.') {
		for (p++; isdigit((unsigned char)*p); p++)
			if (digits < 9) {
				frac = frac * 10 + (*p - '0');
				digits++;
			}
		while (digits++ < 9)
			frac *= 10;
	}
	if (*p)
		return -1;
	*out_ns = sec * 1000000000LL + frac;
	return 0;
}

int ctr_parse_time_arg(const char *s, int64_t now_ns, int64_t *out_ns)
{
	static const char *const local_forms[] = {"%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M",
	                                          "%Y-%m-%dT%H", "%Y-%m-%d"};
	int64_t d;

	if (!s || !*s)
		return -1;
	if (ctr_parse_rfc3339(s, out_ns) == 0 || parse_unix_time(s, out_ns) == 0)
		return 0;
	for (size_t i = 0; i < CTR_ARRAY_SIZE(local_forms); i++) {
		struct tm tm = {0};
		long frac = 0;
		int digits = 0;
		const char *p = strptime(s, local_forms[i], &tm);
		if (!p)
			continue;
		if (i == 0 && *p == '.')
			for (p++; isdigit((unsigned char)*p); p++)
				if (digits < 9) {
					frac = frac * 10 + (*p - '0');
					digits++;
				}
		if (*p)
			continue;
		while (digits && digits++ < 9)
			frac *= 10;
		tm.tm_isdst = -1;
		time_t t = mktime(&tm);
		if (t == (time_t)-1)
			return -1;
		*out_ns = (int64_t)t * 1000000000LL + frac;
		return 0;
	}
	/* A duration needs its unit here: a bare number was Unix time above. */
	if (ctr_parse_duration(s, &d, NULL) == 0 && d >= 0) {
		*out_ns = now_ns - d;
		return 0;
	}
	return -1;
}

/* ---- sizes -------------------------------------------------------------- */

static int64_t dir_size_at(int fd0, dev_t dev, int depth)
{
	int64_t total = 0;
	DIR *d;
	struct dirent *de;

	if (depth > 256) {
		close(fd0);
		return 0;
	}
	d = fdopendir(fd0);
	if (!d) {
		close(fd0);
		return 0;
	}
	while ((de = readdir(d))) {
		struct stat sb;
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (fstatat(dirfd(d), de->d_name, &sb, AT_SYMLINK_NOFOLLOW) < 0)
			continue;
		if (S_ISDIR(sb.st_mode)) {
			if (sb.st_dev != dev)
				continue;
			int fd = openat(dirfd(d), de->d_name,
			                O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (fd >= 0)
				total += dir_size_at(fd, dev, depth + 1);
		} else {
			/* Hard links: count a multiply-linked file's bytes once per link count. */
			total += sb.st_nlink > 1 ? sb.st_size / (int64_t)sb.st_nlink : sb.st_size;
		}
	}
	closedir(d);
	return total;
}

int64_t ctr_dir_size(const char *path)
{
	struct stat sb;
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0)
		return 0;
	if (fstat(fd, &sb) < 0) {
		close(fd);
		return 0;
	}
	return dir_size_at(fd, sb.st_dev, 0);
}
