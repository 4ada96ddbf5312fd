/*
 * reference.h - image references as Docker parses them.
 *
 *   busybox                      -> docker.io/library/busybox:latest
 *   user/img:tag                 -> docker.io/user/img:tag
 *   host:5000/path/img:tag       -> host:5000/path/img:tag
 *   img@sha256:<64 hex>          -> docker.io/library/img@sha256:...
 *   localhost/x, localhost:5000/x
 *
 * The first path component is a registry host when it contains '.' or ':'
 * or is "localhost" (Docker's rule); otherwise the reference is on Docker
 * Hub.  Repository names must be lowercase ([a-z0-9] separated by '.', '_',
 * '__' or '-'), tags are [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}, digests are
 * "sha256:<64 lowercase hex>" (other algorithms are refused).
 */
#ifndef CONTAINR_REFERENCE_H
#define CONTAINR_REFERENCE_H

#include <stdbool.h>

#include "containr/error.h"

struct ctr_ref {
	char *domain; /* "docker.io", "127.0.0.1:5000", "localhost" */
	char *path;   /* repository path: "library/busybox", "x/y" */
	char *tag;    /* "latest" when neither tag nor digest was given; NULL with a bare digest */
	char *digest; /* "sha256:<hex>" or NULL */
};

/*
 * Parse and normalize `s` into `out` (all fields heap-allocated; free with
 * ctr_ref_free(), also after a failure).  Invalid input fails with
 * E_INVALID_ARG and a message saying what is wrong ("invalid reference
 * format: repository name must be lowercase").
 */
int ctr_ref_parse(const char *s, struct ctr_ref *out, struct ctr_err *err);
void ctr_ref_free(struct ctr_ref *r);

/* Fully qualified form: "docker.io/library/busybox:latest" (tag and/or digest). Heap string. */
char *ctr_ref_string(const struct ctr_ref *r);
/* Repository name in full: "docker.io/library/busybox".  Heap string. */
char *ctr_ref_name(const struct ctr_ref *r);
/* Docker's display ("familiar") name without tag: "busybox", "user/img", "host:5000/x". Heap. */
char *ctr_ref_familiar_name(const struct ctr_ref *r);
/* Familiar name with tag and/or digest: "busybox:latest", "host:5000/x@sha256:...". Heap. */
char *ctr_ref_familiar(const struct ctr_ref *r);
/*
 * The host:port to talk to for the reference's domain: "registry-1.docker.io"
 * for docker.io, the domain itself otherwise.  Static or owned by `r`.
 */
const char *ctr_ref_api_host(const struct ctr_ref *r);

/* ---- digests (src/ref/digest.c) ---------------------------------------- */

/* True if `s` is a valid digest "sha256:<64 lowercase hex>". */
int ctr_digest_valid(const char *s);
/* The 64-hex part of "sha256:<hex>" (or `digest` itself if it has no prefix). */
const char *ctr_digest_hex(const char *digest);

/* ---- platforms (src/ref/platform.c) ------------------------------------ */

struct ctr_platform {
	char os[32];
	char arch[32];
	char variant[16]; /* "" when none */
};

/* This host's platform: linux/amd64, linux/arm64/v8, linux/arm/v7 ... from uname. */
void ctr_platform_host(struct ctr_platform *p);
/* Parse "os/arch[/variant]" (e.g. "linux/arm/v7"); E_INVALID_ARG if malformed. */
int ctr_platform_parse(const char *s, struct ctr_platform *p, struct ctr_err *err);
/* Does an index entry's platform satisfy `want`?  (arch aliases, arm variants, arm64 v8 == "") */
bool ctr_platform_match(const struct ctr_platform *want, const char *os, const char *arch,
                        const char *variant);

#endif
