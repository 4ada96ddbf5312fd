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

/*
 * The mount option table (mount_opts.c): a name and the mount(2) flags it
 * sets and clears.  Propagation: rprivate private rshared shared rslave
 * slave.  tmpfs flags: noexec/exec nosuid/suid nodev/dev ro/rw.
 */
struct volume_mount_opt {
	const char *name;
	unsigned long set;
	unsigned long clear;
};
/* NULL if `name` is not a propagation mode. */
const struct volume_mount_opt *volume_propagation_find(const char *name);
/* NULL if `name` is not a tmpfs flag option. */
const struct volume_mount_opt *volume_tmpfs_flag_find(const char *name);
/* mount(2) propagation flags for a stored mode; NULL or "" is rprivate. */
unsigned long volume_propagation_flags(const char *name);

#endif
