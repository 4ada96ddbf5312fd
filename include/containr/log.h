/*
 * log.h - leveled, key=value logging and the explain trace.
 *
 * Log lines go to stderr (or the --log-file), never stdout:
 *   time=2026-11-28T14:21:19Z level=warn msg="cannot raise rlimit" res=nofile
 * ctr_log() takes a message and then "key", "value" pairs ended by NULL.
 *
 * The explain trace (--explain, `.explain on` in the REPL) is the teaching
 * view: the real code path calls ctr_explain() right before each
 * kernel-facing step, with the call and a one-line reason.  It is a no-op
 * unless explain mode is on.
 */
#ifndef CONTAINR_LOG_H
#define CONTAINR_LOG_H

#include <stdbool.h>
#include <stdio.h>

enum ctr_log_level { CTR_LOG_DEBUG, CTR_LOG_INFO, CTR_LOG_WARN, CTR_LOG_ERROR };

/* Set the minimum level printed (default: warn). */
void ctr_log_set_level(enum ctr_log_level level);
enum ctr_log_level ctr_log_get_level(void);
/* "debug", "info", "warn"/"warning", "error" -> level; -1 if unknown. */
int ctr_log_level_parse(const char *s);
/* "debug", "info", "warn", "error" for a level. */
const char *ctr_log_level_name(enum ctr_log_level level);
/* Send log lines to `path` (appended) instead of stderr; NULL resets.
 * -1 with errno set if it cannot be opened. */
int ctr_log_set_file(const char *path);
/* The log file's absolute path, NULL when logging to stderr. */
const char *ctr_log_file_path(void);
/* The log file's descriptor, -1 when logging to stderr: a forked process
 * that closes inherited descriptors (the monitor) keeps this one. */
int ctr_log_fd(void);
/* The stream log lines go to (stderr unless a file was set). */
FILE *ctr_log_stream(void);

/* Log `msg` with key/value string pairs, terminated by NULL. */
void ctr_log(enum ctr_log_level level, const char *msg, ...) __attribute__((sentinel));
#define ctr_debug(...)  ctr_log(CTR_LOG_DEBUG, __VA_ARGS__, (char *)NULL)
#define ctr_info(...)   ctr_log(CTR_LOG_INFO, __VA_ARGS__, (char *)NULL)
#define ctr_warn(...)   ctr_log(CTR_LOG_WARN, __VA_ARGS__, (char *)NULL)
#define ctr_logerr(...) ctr_log(CTR_LOG_ERROR, __VA_ARGS__, (char *)NULL)

/* Explain mode. */
void ctr_explain_set(bool on);
bool ctr_explain_enabled(void);
/* Redirect explain lines (default stderr); used by tests and the dashboard. */
void ctr_explain_set_stream(FILE *f);
/*
 * Print one explain line: "[explain] <step>  <detail>  -- <why>".
 * `step` names the syscall or action (e.g. "clone", "mount", "pivot_root").
 */
void ctr_explain(const char *step, const char *why, const char *detail_fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
