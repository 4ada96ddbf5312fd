/*
 * internal.h - helpers shared by the files of src/volume/ (not public).
 */
#ifndef CONTAINR_VOLUME_INTERNAL_H
#define CONTAINR_VOLUME_INTERNAL_H

#include "containr/error.h"

/*
 * Normalise tmpfs options ("size=64m,mode=1777,exec") into
 * "size=67108864,mode=1777,exec,nosuid,nodev" (defaults noexec, nosuid,
 * nodev; ",ro" last when read-only).  `spec` names the user's text in errors.
 * *out is a heap string.
 */
int volume_tmpfs_options(const char *opts, const char *spec, char **out, struct ctr_err *err);

/*
 * Split normalised tmpfs options into mount(2) flags and data
 * ("size=...,mode=..."); *data is a heap string.
 */
void volume_tmpfs_flags(const char *options, unsigned long *flags, char **data);

#endif
