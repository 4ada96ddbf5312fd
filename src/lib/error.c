/*
 * error.c - the engine's error object (see include/containr/error.h).
 * Messages live in fixed buffers inside the caller's struct: an error path
 * never allocates and never needs freeing.
 */
#include "containr/error.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static const char *const names[E__COUNT] = {
    [E_OK] = "E_OK",
    [E_USAGE] = "E_USAGE",
    [E_INVALID_ARG] = "E_INVALID_ARG",
    [E_NOT_FOUND] = "E_NOT_FOUND",
    [E_AMBIGUOUS] = "E_AMBIGUOUS",
    [E_CONFLICT] = "E_CONFLICT",
    [E_PERMISSION] = "E_PERMISSION",
    [E_IO] = "E_IO",
    [E_CORRUPT] = "E_CORRUPT",
    [E_REGISTRY] = "E_REGISTRY",
    [E_AUTH] = "E_AUTH",
    [E_NETWORK] = "E_NETWORK",
    [E_DIGEST] = "E_DIGEST",
    [E_RUNTIME] = "E_RUNTIME",
    [E_UNSUPPORTED] = "E_UNSUPPORTED",
    [E_INTERRUPTED] = "E_INTERRUPTED",
    [E_INTERNAL] = "E_INTERNAL",
};

void ctr_err_clear(struct ctr_err *err)
{
	if (!err)
		return;
	err->code = E_OK;
	err->sys_errno = 0;
	err->msg[0] = '\0';
	err->hint[0] = '\0';
}

static void vset(struct ctr_err *err, enum ctr_errcode code, const char *fmt, va_list ap)
{
	err->code = code;
	err->sys_errno = 0;
	err->hint[0] = '\0';
	vsnprintf(err->msg, sizeof err->msg, fmt, ap);
}

int ctr_fail(struct ctr_err *err, enum ctr_errcode code, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return -1;
	va_start(ap, fmt);
	vset(err, code, fmt, ap);
	va_end(ap);
	return -1;
}

int ctr_fail_errno(struct ctr_err *err, enum ctr_errcode code, int errnum, const char *fmt, ...)
{
	va_list ap;
	size_t len;

	if (!err)
		return -1;
	if (errnum == ENOENT)
		code = E_NOT_FOUND;
	else if (errnum == EPERM || errnum == EACCES)
		code = E_PERMISSION;
	va_start(ap, fmt);
	vset(err, code, fmt, ap);
	va_end(ap);
	err->sys_errno = errnum;
	len = strlen(err->msg);
	snprintf(err->msg + len, sizeof err->msg - len, ": %s", strerror(errnum));
	if (code == E_PERMISSION)
		snprintf(err->hint, sizeof err->hint,
		         "containr needs root for this; try again with sudo");
	return -1;
}

int ctr_hint(struct ctr_err *err, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return -1;
	va_start(ap, fmt);
	vsnprintf(err->hint, sizeof err->hint, fmt, ap);
	va_end(ap);
	return -1;
}

int ctr_err_wrap(struct ctr_err *err, const char *fmt, ...)
{
	char prefix[CTR_ERR_MSG_MAX], old[CTR_ERR_MSG_MAX];
	va_list ap;

	if (!err)
		return -1;
	va_start(ap, fmt);
	vsnprintf(prefix, sizeof prefix, fmt, ap);
	va_end(ap);
	memcpy(old, err->msg, sizeof old);
	size_t pl = strnlen(prefix, sizeof err->msg - 3);
	memcpy(err->msg, prefix, pl);
	memcpy(err->msg + pl, ": ", 2);
	size_t room = sizeof err->msg - pl - 3;
	size_t ol = strnlen(old, room);
	memcpy(err->msg + pl + 2, old, ol);
	err->msg[pl + 2 + ol] = '\0';
	return -1;
}

const char *ctr_err_name(enum ctr_errcode code)
{
	if ((int)code < 0 || code >= E__COUNT || !names[code])
		return "E_UNKNOWN";
	return names[code];
}

int ctr_err_exit_status(enum ctr_errcode code)
{
	switch (code) {
	case E_OK:
		return 0;
	case E_USAGE:
		return 125; /* Docker's status for a usage error */
	default:
		return 1;
	}
}
