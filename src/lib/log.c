/*
 * log.c - leveled key=value logging to stderr or a file, and the explain
 * trace.  Global state is two flags and a stream: logging is process-wide.
 * The file's descriptor survives fork (the monitor keeps it, see
 * ctr_log_fd); processes the engine re-executes find the file and level
 * in CONTAINR_LOG_FILE / CONTAINR_LOG_LEVEL (exported by main.c).
 */
#include "containr/log.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "containr/util.h"

static enum ctr_log_level min_level = CTR_LOG_WARN;
static FILE *log_file;
static char *log_path; /* absolute, for processes the engine re-executes */
static bool explain_on;
static FILE *explain_stream;

void ctr_log_set_level(enum ctr_log_level level)
{
	min_level = level;
}

enum ctr_log_level ctr_log_get_level(void)
{
	return min_level;
}

const char *ctr_log_level_name(enum ctr_log_level level)
{
	static const char *const names[] = {"debug", "info", "warn", "error"};

	return (unsigned)level < CTR_ARRAY_SIZE(names) ? names[level] : "warn";
}

int ctr_log_level_parse(const char *s)
{
	if (!s)
		return -1;
	if (!strcmp(s, "debug"))
		return CTR_LOG_DEBUG;
	if (!strcmp(s, "info"))
		return CTR_LOG_INFO;
	if (!strcmp(s, "warn") || !strcmp(s, "warning"))
		return CTR_LOG_WARN;
	if (!strcmp(s, "error"))
		return CTR_LOG_ERROR;
	return -1;
}

int ctr_log_set_file(const char *path)
{
	if (log_file) {
		fclose(log_file);
		log_file = NULL;
	}
	free(log_path);
	log_path = NULL;
	if (!path)
		return 0;
	log_file = fopen(path, "ae");
	if (!log_file)
		return -1;
	setvbuf(log_file, NULL, _IOLBF, 0);
	log_path = realpath(path, NULL);
	if (!log_path)
		log_path = xstrdup(path);
	return 0;
}

const char *ctr_log_file_path(void)
{
	return log_path;
}

int ctr_log_fd(void)
{
	return log_file ? fileno(log_file) : -1;
}

FILE *ctr_log_stream(void)
{
	return log_file ? log_file : stderr;
}

static void put_value(FILE *f, const char *v)
{
	bool quote = !*v || strpbrk(v, " \t\"=\n\\") != NULL;

	if (!quote) {
		fputs(v, f);
		return;
	}
	fputc('"', f);
	for (; *v; v++) {
		if (*v == '"' || *v == '\\')
			fputc('\\', f);
		if (*v == '\n') {
			fputs("\\n", f);
			continue;
		}
		fputc(*v, f);
	}
	fputc('"', f);
}

void ctr_log(enum ctr_log_level level, const char *msg, ...)
{
	FILE *f = ctr_log_stream();
	char ts[32];
	time_t now = time(NULL);
	struct tm tm;
	va_list ap;

	if (level < min_level)
		return;
	gmtime_r(&now, &tm);
	strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", &tm);
	flockfile(f);
	fprintf(f, "time=%s level=%s msg=", ts, ctr_log_level_name(level));
	put_value(f, msg);
	va_start(ap, msg);
	for (;;) {
		const char *k = va_arg(ap, const char *);
		if (!k)
			break;
		const char *v = va_arg(ap, const char *);
		fprintf(f, " %s=", k);
		put_value(f, v ? v : "");
	}
	va_end(ap);
	fputc('\n', f);
	funlockfile(f);
	fflush(f);
}

void ctr_explain_set(bool on)
{
	explain_on = on;
}

bool ctr_explain_enabled(void)
{
	return explain_on;
}

void ctr_explain_set_stream(FILE *f)
{
	explain_stream = f;
}

void ctr_explain(const char *step, const char *why, const char *detail_fmt, ...)
{
	FILE *f = explain_stream ? explain_stream : stderr;
	char detail[1024];
	va_list ap;

	if (!explain_on)
		return;
	va_start(ap, detail_fmt);
	vsnprintf(detail, sizeof detail, detail_fmt, ap);
	va_end(ap);
	fprintf(f, "[explain] %-12s %s%s%s\n", step, detail, why && *why ? "  -- " : "",
	        why ? why : "");
	fflush(f);
}
