/*
 * userns.h - user namespaces as values: ID maps, /etc/subuid and
 * /etc/subgid, the `auto` range pool, and the `doctor` checks.
 *
 * Nothing here creates a namespace: the runtime writes the maps
 * (ctr_idmap_format) into /proc/<pid>/uid_map and gid_map.  The model
 * and its choices are in docs/USERNS.md.
 */
#ifndef CONTAINR_USERNS_H
#define CONTAINR_USERNS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "containr/error.h"

/* The kernel accepts up to 340 lines per map; 32 is plenty for the CLI. */
#define CTR_IDMAP_MAX 32
/* Highest ID + 1 the kernel maps (IDs are 32 bit, (uid_t)-1 is invalid). */
#define CTR_ID_LIMIT 4294967295ULL
/* `auto` without size=, and the minimum a subordinate range should have. */
#define CTR_USERNS_AUTO_SIZE 65536U
/* The pool when no `containers` user has subordinate IDs (podman's name). */
#define CTR_USERNS_POOL_START 100000000U
#define CTR_USERNS_POOL_SIZE  1000000000U

struct ctr_idmap_entry {
	uint32_t inside;  /* first ID in the container */
	uint32_t outside; /* first ID on the host (the parent namespace) */
	uint32_t count;
};

struct ctr_idmap {
	struct ctr_idmap_entry e[CTR_IDMAP_MAX];
	size_t n;
};

/*
 * Add "CONTAINER:HOST:SIZE" (podman's --uidmap syntax, decimal) to `m`.
 * `flag` names the option in messages ("--uidmap").  Refused with
 * E_INVALID_ARG and a hint: malformed, size 0, a range that passes
 * 2^32-1, or one that overlaps an entry already in `m` inside or outside.
 */
int ctr_idmap_add_spec(struct ctr_idmap *m, const char *spec, const char *flag,
                       struct ctr_err *err);
/* Add one entry with the same checks (used by the parser and the modes). */
int ctr_idmap_add(struct ctr_idmap *m, uint32_t inside, uint32_t outside, uint32_t count,
                  const char *flag, struct ctr_err *err);
/* The kernel's form, "inside outside count\n" per entry, into a heap string. */
char *ctr_idmap_format(const struct ctr_idmap *m);
/* "0:100000:65536,65536:..." (podman's shape in inspect), heap string. */
char *ctr_idmap_to_string(const struct ctr_idmap *m);
/* Parse what ctr_idmap_to_string wrote (empty string = empty map). */
int ctr_idmap_from_string(struct ctr_idmap *m, const char *s, struct ctr_err *err);
/* Host ID for container ID `id`, or -1 if unmapped. */
int64_t ctr_idmap_to_host(const struct ctr_idmap *m, uint32_t id);
/* Total number of IDs mapped. */
uint64_t ctr_idmap_size(const struct ctr_idmap *m);

/* ---- /etc/subuid, /etc/subgid ------------------------------------------ */
struct ctr_subid_range {
	uint32_t start, count;
};
/*
 * The ranges of `user` (matched by name) or `uid` (matched by a numeric
 * first field; pass (uid_t)-1 to match by name only) in a subuid/subgid
 * file, in file order, at most `max`.  A missing file gives *n = 0 and
 * returns 0.  Lines that are comments, blank or malformed are skipped.
 */
int ctr_subid_lookup(const char *path, const char *user, uid_t uid, struct ctr_subid_range *out,
                     size_t max, size_t *n, struct ctr_err *err);
/*
 * First pair of ranges of different owners that overlap in the file:
 * returns 1 and fills a and b (owner names, heap) if found, 0 if none.
 */
int ctr_subid_overlap(const char *path, char **a, char **b, struct ctr_subid_range *ra,
                      struct ctr_subid_range *rb, struct ctr_err *err);

/* ---- the `auto` pool ---------------------------------------------------- */
struct ctr_userns_pool {
	uint32_t uid_start, gid_start, size; /* uids [uid_start, +size), gids alike */
	bool from_subid;                     /* the `containers` user's ranges */
};
/*
 * The pool: the first range of the `containers` user in `subuid`/`subgid`
 * (both needed; the shorter length wins), else CTR_USERNS_POOL_START with
 * CTR_USERNS_POOL_SIZE.  Paths may be NULL for /etc/subuid, /etc/subgid.
 */
void ctr_userns_pool_default(const char *subuid, const char *subgid, struct ctr_userns_pool *out);
/*
 * Is the container `id` still there?  Used to reclaim ranges whose owner
 * vanished without release (a crash).  NULL = every owner is alive.
 */
typedef bool (*ctr_userns_alive_fn)(const char *id, void *ud);
/*
 * Reserve `size` IDs for container `id` in the pool: the lowest free
 * offset (first fit) under an exclusive flock on <dir>/lock, recorded in
 * <dir>/auto.json.  *offset is relative to the pool (uid = uid_start +
 * offset, gid = gid_start + offset).  An id that already holds a range
 * gets it back.  E_INVALID_ARG if size is 0 or larger than the pool,
 * E_CONFLICT if the pool is full; the hint says what to do.
 */
int ctr_userns_auto_alloc(const char *dir, const struct ctr_userns_pool *pool, uint32_t size,
                          const char *id, ctr_userns_alive_fn alive, void *ud, uint32_t *offset,
                          struct ctr_err *err);
/* Give the range of `id` back (no error if it holds none). */
int ctr_userns_auto_release(const char *dir, const char *id, struct ctr_err *err);

/*
 * Parse a --userns value: "" (the flag alone) = "private", "host",
 * "private", "nomap", "keep-id", "auto", "auto:size=N".  Fills *mode
 * with the canonical word and *size for auto (0 = default).
 */
int ctr_userns_parse_mode(const char *s, const char **mode, uint32_t *size, struct ctr_err *err);

/* ---- doctor ------------------------------------------------------------- */
enum ctr_check_status { CTR_CHECK_OK, CTR_CHECK_WARN, CTR_CHECK_FAIL };

struct ctr_check {
	char name[32];
	enum ctr_check_status status;
	char detail[256]; /* what was found */
	char fix[320];    /* the exact fix ("" for ok) */
};

/*
 * Every prerequisite of user namespaces and rootless containers, for the
 * user `user` (uid, primary gid).  `root` prefixes every host path read
 * ("" or NULL = the real host; tests point it at a fake tree): proc/sys
 * knobs, etc/subuid, etc/subgid, usr/bin/newuidmap, newgidmap,
 * proc/sys/kernel/osrelease, sys/fs/cgroup, proc/self/cgroup.  Fills
 * up to `max` checks; returns the number filled.
 */
size_t ctr_doctor_run(const char *root, const char *user, uid_t uid, gid_t gid,
                      struct ctr_check *out, size_t max);

#endif
