/*
 * error.h - the one error type of the containr engine.
 *
 * Every engine function that can fail takes a `struct ctr_err *err` as its
 * last parameter, returns a negative value on failure and fills `err` with a
 * stable code, a message and (optionally) a hint.  The struct is owned by the
 * caller and needs no freeing: messages are kept in fixed buffers so an error
 * path never allocates.  Callers check and return at once (crun style):
 *
 *     if (ctr_store_open(&st, root, err) < 0)
 *             return -1;
 *
 * The CLI prints an error exactly once, as "containr: <message>" followed by
 * "hint: <hint>" when there is one, and maps the code to an exit status with
 * ctr_err_exit_status() (table in docs/ERRORS.md).
 */
#ifndef CONTAINR_ERROR_H
#define CONTAINR_ERROR_H

#include <stdarg.h>
#include <stddef.h>

/* Stable error codes.  Never renumber: names appear in docs and JSON. */
enum ctr_errcode {
	E_OK = 0,
	E_USAGE,       /* bad command line: unknown command/flag, wrong arity */
	E_INVALID_ARG, /* a value is malformed (size, name, reference...) */
	E_NOT_FOUND,   /* no such container, image, volume, file */
	E_AMBIGUOUS,   /* an id prefix matches more than one object */
	E_CONFLICT,    /* name in use, object in a state that forbids this */
	E_PERMISSION,  /* not allowed (EPERM/EACCES, needs root) */
	E_IO,          /* read/write/mount failure on the host */
	E_CORRUPT,     /* a state file is unreadable or truncated */
	E_REGISTRY,    /* a registry answered with an error */
	E_AUTH,        /* registry authentication failed */
	E_NETWORK,     /* cannot reach a registry, timeout */
	E_DIGEST,      /* content does not match its digest */
	E_RUNTIME,     /* container could not be created/started */
	E_UNSUPPORTED, /* feature unavailable on this host or format */
	E_INTERRUPTED, /* stopped by a signal or the user */
	E_INTERNAL,    /* a bug: should never happen */
	E__COUNT
};

#define CTR_ERR_MSG_MAX  1024
#define CTR_ERR_HINT_MAX 512

struct ctr_err {
	enum ctr_errcode code;
	int sys_errno; /* errno that caused it, or 0 */
	char msg[CTR_ERR_MSG_MAX];
	char hint[CTR_ERR_HINT_MAX];
};

/* Reset an error to "no error". */
void ctr_err_clear(struct ctr_err *err);

/*
 * Fill `err` (may be NULL) with `code` and a printf-style message, replacing
 * any previous error.  Always returns -1 so it can end a failing function:
 * `return ctr_fail(err, E_IO, "cannot open %s", path);`
 */
int ctr_fail(struct ctr_err *err, enum ctr_errcode code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/*
 * Like ctr_fail() but appends ": strerror(errnum)" and records errnum.  The
 * code is chosen from errnum (ENOENT -> E_NOT_FOUND, EPERM/EACCES ->
 * E_PERMISSION, otherwise `code`).  Returns -1.
 */
int ctr_fail_errno(struct ctr_err *err, enum ctr_errcode code, int errnum, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Set the hint of the current error (printf-style).  Returns -1. */
int ctr_hint(struct ctr_err *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Prefix the current message with "context: ".  Returns -1. */
int ctr_err_wrap(struct ctr_err *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The stable name of a code ("E_NOT_FOUND"); "E_UNKNOWN" for bad input. */
const char *ctr_err_name(enum ctr_errcode code);

/*
 * Exit status the CLI uses for an error code: 125 for E_USAGE (Docker's
 * status for a usage error), 1 otherwise.  `containr run`/`create` map
 * every engine error to 125 instead, as Docker does (cli_exit_status()).
 */
int ctr_err_exit_status(enum ctr_errcode code);

#endif
