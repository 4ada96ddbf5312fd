/*
 * store.h - the on-disk state root: layout, atomic JSON, locks, ids, names.
 *
 * Layout under the root (see docs/ARCHITECTURE.md):
 *   containers/<id>/...    one directory per container
 *   containers/.names/<n>  symlink -> <id>: the name reservation
 *   volumes/<name>/...     one directory per volume (the name is the id)
 *   networks/<id>/...      one directory per network, networks/.names/<n> (net module)
 *   images/, blobs/sha256/, layers/   owned by the image module
 *   tmp/                   scratch space on the same filesystem (renames)
 *
 * Objects are directories named by a 64-hex id.  Lookup accepts the full
 * id, a unique prefix, or a name.  Every JSON write is atomic (temp, fsync,
 * rename); cross-process updates of an object hold an flock on its `lock`
 * file.  A corrupt JSON file is reported by name and skipped in listings.
 */
#ifndef CONTAINR_STORE_H
#define CONTAINR_STORE_H

#include <stdbool.h>
#include <cjson/cJSON.h>

#include "containr/error.h"
#include "containr/util.h"

enum ctr_kind {
	CTR_KIND_CONTAINER,
	CTR_KIND_IMAGE,
	CTR_KIND_VOLUME,
	CTR_KIND_NETWORK,
	CTR_KIND__COUNT
};

struct ctr_store {
	char *root;    /* absolute path of the state root */
	char *run_dir; /* runtime files (pid files, sockets): <root>/run unless overridden */
};

/*
 * The root to use when none is given: $CONTAINR_ROOT, else /var/lib/containr
 * for root, else $XDG_DATA_HOME/containr (~/.local/share/containr).
 * Returns a heap string.
 */
char *ctr_default_root(void);

/* Open (and create if needed) the store at `root`.  Fills `st`. */
int ctr_store_open(struct ctr_store *st, const char *root, struct ctr_err *err);
void ctr_store_close(struct ctr_store *st);

/* Directory name of a kind: "containers", "images", "volumes". */
const char *ctr_kind_dir(enum ctr_kind kind);
/* Human noun of a kind: "container", "image", "volume". */
const char *ctr_kind_noun(enum ctr_kind kind);

/* Heap path "<root>/<fmt...>". */
char *ctr_store_path(const struct ctr_store *st, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Heap path of an object's directory, or of a file in it (file may be NULL). */
char *ctr_store_obj_path(const struct ctr_store *st, enum ctr_kind kind, const char *id,
                         const char *file);

/* ---- JSON -------------------------------------------------------------- */
/*
 * Load a JSON file.  Missing file: E_NOT_FOUND.  Unparsable or truncated:
 * E_CORRUPT with the file named in the message.  *out is owned by the caller.
 */
int ctr_json_load(const char *path, cJSON **out, struct ctr_err *err);
/* Write JSON atomically (pretty-printed, trailing newline, mode 0600). */
int ctr_json_save(const char *path, const cJSON *json, struct ctr_err *err);
/* The same, with fsyncs only if `durable` (see ctr_write_file_replace). */
int ctr_json_save_opt(const char *path, const cJSON *json, bool durable, struct ctr_err *err);

/* ---- locks ------------------------------------------------------------- */
/*
 * flock() `path` (created if missing).  Returns the fd that holds the lock
 * (>= 0) or -1 with `err` set.  With `wait` false a held lock fails with
 * E_CONFLICT.  Release with ctr_unlock() (closing the fd also releases).
 */
int ctr_lock_path(const char *path, bool exclusive, bool wait, struct ctr_err *err);
void ctr_unlock(int fd);
/* Lock an object's `lock` file (exclusive, waiting). */
int ctr_store_lock(const struct ctr_store *st, enum ctr_kind kind, const char *id,
                   struct ctr_err *err);

/* ---- names and ids ----------------------------------------------------- */
/* Docker's rule: [a-zA-Z0-9][a-zA-Z0-9_.-]*, at most 128 characters. */
bool ctr_name_valid(const char *name);
/* A one-line error for an invalid name of `kind`. Returns -1. */
int ctr_name_invalid_error(struct ctr_err *err, enum ctr_kind kind, const char *name);
/* Generate an id not yet used in `kind`. */
int ctr_store_new_id(const struct ctr_store *st, enum ctr_kind kind, char id[65],
                     struct ctr_err *err);
/*
 * Reserve `name` for object `id` (atomic: symlink creation).  Fails with
 * E_CONFLICT if a live object holds it; a stale reservation (its object
 * directory is gone) is taken over.
 */
int ctr_store_name_reserve(const struct ctr_store *st, enum ctr_kind kind, const char *name,
                           const char *id, struct ctr_err *err);
/* Release a name (only if it still points at `id`). */
void ctr_store_name_release(const struct ctr_store *st, enum ctr_kind kind, const char *name,
                            const char *id);
/* The name reserved for `id`, or NULL (heap string). Scans the names dir. */
char *ctr_store_name_of(const struct ctr_store *st, enum ctr_kind kind, const char *id);

/*
 * Resolve a user query to an object id: exact name, full id, or unique id
 * prefix (in that order, as Docker).  E_NOT_FOUND if nothing matches,
 * E_AMBIGUOUS (with a hint listing matches) if a prefix matches several.
 */
int ctr_store_resolve(const struct ctr_store *st, enum ctr_kind kind, const char *query,
                      char id_out[65], struct ctr_err *err);

/*
 * All object ids of a kind (directory names not starting with '.'), sorted.
 * `out` is initialised by the call (do not strv_init it first: that leaks);
 * release it with strv_release() on success and on failure.
 */
int ctr_store_list(const struct ctr_store *st, enum ctr_kind kind, struct strv *out,
                   struct ctr_err *err);

/*
 * Call `fn` for each object of `kind` whose `file` (e.g. "config.json")
 * loads; corrupt files are reported with ctr_warn naming the file and
 * skipped.  `fn` returning non-zero stops the walk and is returned.
 */
typedef int (*ctr_store_each_fn)(const char *id, cJSON *json, void *ud);
int ctr_store_foreach(const struct ctr_store *st, enum ctr_kind kind, const char *file,
                      ctr_store_each_fn fn, void *ud, struct ctr_err *err);

/* Create the object directory (mode 0700). E_CONFLICT if it exists. */
int ctr_store_obj_create(const struct ctr_store *st, enum ctr_kind kind, const char *id,
                         struct ctr_err *err);
/* Remove an object's directory recursively (never crossing mounts). */
int ctr_store_obj_remove(const struct ctr_store *st, enum ctr_kind kind, const char *id,
                         struct ctr_err *err);

#endif
