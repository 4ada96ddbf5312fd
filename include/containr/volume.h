/*
 * volume.h - named volumes, bind mounts and tmpfs mounts of containers.
 *
 * Owned by src/volume/.  The runtime uses it in three places:
 *   create:  ctr_mounts_parse() turns -v/--mount/--tmpfs/--volumes-from into a
 *            ctr_mount_list, ctr_mounts_prepare() creates named and anonymous
 *            volumes, and the list is stored in the container's config.json
 *            under "Mounts" (ctr_mounts_to_json / ctr_mounts_from_json);
 *   start:   in the container's mount namespace, after the root filesystem is
 *            mounted at `rootfs` and before pivot_root, ctr_mounts_apply();
 *   remove:  ctr_mounts_remove_anonymous() for `rm -v` and `--rm`.
 * Volumes live in <root>/volumes/<name>/{_data,volume.json}.
 *
 * Two halves:
 *   ctr_volume_*   the volume objects themselves (volume create/ls/rm/prune);
 *   ctr_mounts_*   the mount list of one container (parse, store, apply).
 */
#ifndef CONTAINR_VOLUME_H
#define CONTAINR_VOLUME_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <cjson/cJSON.h>

#include "containr/error.h"
#include "containr/store.h"
#include "containr/util.h"

enum ctr_mount_type { CTR_MOUNT_BIND, CTR_MOUNT_VOLUME, CTR_MOUNT_TMPFS };

struct ctr_mount {
	enum ctr_mount_type type;
	char *source;      /* host path (bind) or volume name (volume); NULL for tmpfs */
	char *destination; /* absolute, cleaned path inside the container */
	bool readonly;
	bool anonymous;    /* `-v /path`: removed by rm -v and --rm */
	char *options;     /* tmpfs: "size=67108864,mode=1777,noexec,nosuid,nodev"; else NULL */
	bool nocopy;       /* volume: never copy the image's content in (volume-nocopy) */
	char *propagation; /* bind: "rprivate" (default), "private", "rshared", ... */
	char *mode;        /* mode as the user wrote it ("ro", "rw,z", "") for inspect */
	bool chown;        /* `:U` / --mount U: chown the source to the container's user */
	bool idmap;        /* `:idmap`: an idmapped bind (the container's user namespace) */
	/* Only between parse and prepare (not stored): --mount volume-label/-opt. */
	struct strv vol_labels; /* "K=V" */
	struct strv vol_opts;   /* "K=V" */
};

struct ctr_mount_list {
	struct ctr_mount *v;
	size_t n;
};

/* The container's user (after --user is resolved in its /etc/passwd). */
struct ctr_mount_owner {
	uid_t uid;
	gid_t gid;
	int userns_fd; /* the container's user namespace for `:idmap` binds; 0 = none */
};

/* ---- volumes ----------------------------------------------------------- */

/* Label that marks a volume created for `-v /path` (Docker: com.docker.volume.anonymous). */
#define CTR_VOLUME_ANON_LABEL "containr.volume.anonymous"

/*
 * Create a volume.  `name` NULL makes a random 64-hex name (anonymous use).
 * `labels` and `opts` are "K=V" strings (may be NULL).  `driver` NULL means
 * "local", the only driver.  Local options: type=tmpfs (device=tmpfs,
 * o=size=..,mode=..) or type=none,o=bind,device=/host/path; anything else is
 * E_UNSUPPORTED.  An existing name is E_CONFLICT.  `anonymous` adds
 * CTR_VOLUME_ANON_LABEL.  On success *name_out (if not NULL) receives the
 * name (heap, caller frees).
 */
int ctr_volume_create(const struct ctr_store *st, const char *name, const struct strv *labels,
                      const struct strv *opts, const char *driver, bool anonymous, char **name_out,
                      struct ctr_err *err);

/* True if volume `name` exists (its volume.json is present). */
bool ctr_volume_exists(const struct ctr_store *st, const char *name);

/* Heap path of the data directory <root>/volumes/<name>/_data. */
char *ctr_volume_data_path(const struct ctr_store *st, const char *name);

/*
 * Load volume.json of `name`.  E_NOT_FOUND (with a hint) if there is no such
 * volume, E_INVALID_ARG for an invalid name.  *out is owned by the caller.
 */
int ctr_volume_load(const struct ctr_store *st, const char *name, cJSON **out, struct ctr_err *err);

/*
 * Docker's `volume inspect` object of `name`: Name, Driver, Mountpoint,
 * CreatedAt, Labels, Options, Scope.  *out is owned by the caller.
 */
int ctr_volume_inspect(const struct ctr_store *st, const char *name, cJSON **out,
                       struct ctr_err *err);

/* Names of all volumes (sorted). */
int ctr_volume_list(const struct ctr_store *st, struct strv *out, struct ctr_err *err);

/*
 * Containers whose config.json "Mounts" use volume `name`: their ids are
 * pushed to `users` (may be NULL); *running (may be NULL) is set if one of
 * them is running or paused.  Returns the number of users, or -1.
 */
int ctr_volume_users(const struct ctr_store *st, const char *name, struct strv *users,
                     bool *running, struct ctr_err *err);

/*
 * Remove volume `name`.  A volume used by any container is E_CONFLICT
 * naming the containers; with `force`, a volume used only by stopped
 * containers is removed, one used by a running container never (as Docker).
 * A missing volume is E_NOT_FOUND, unless `force` (then 0).  Never follows a
 * symlink out of the volume directory.
 */
int ctr_volume_remove(const struct ctr_store *st, const char *name, bool force,
                      struct ctr_err *err);

/* Bytes used by the files of a volume (st_size, hard links counted once per dir walk). */
int64_t ctr_volume_size(const struct ctr_store *st, const char *name);

/*
 * Remove every volume not used by any container.  Without `all`, only
 * anonymous volumes (Docker >= 23).  `label_filters` ("K" or "K=V", also
 * "label!=K[=V]" written as "!K[=V]") restrict the set; may be NULL.
 * Removed names go to `removed`, the bytes freed to *reclaimed.
 */
int ctr_volume_prune(const struct ctr_store *st, bool all, const struct strv *label_filters,
                     struct strv *removed, int64_t *reclaimed, struct ctr_err *err);

/* True if the volume's labels match the filter "K", "K=V" ("!K..." negates). */
bool ctr_volume_label_match(const cJSON *vol, const char *filter);

/* ---- the mounts of a container ----------------------------------------- */

/*
 * Parse the mount flags of run/create into `out` (initialised here, freed
 * with ctr_mount_list_free even on failure):
 *   volumes       -v [SRC:]DST[:OPTS]   SRC absolute (or ./rel) = bind,
 *                 else a volume name; no SRC = anonymous volume; OPTS
 *                 ro|rw, nocopy, z|Z (accepted; no SELinux here), U (chown
 *                 to the container's user, podman), [r]private|[r]shared|[r]slave;
 *   mounts        --mount type=bind|volume|tmpfs,source=,target=,readonly,
 *                 bind-propagation=, volume-nocopy, U|chown[=bool], volume-driver=local,
 *                 volume-label=K=V, volume-opt=K=V, tmpfs-size=, tmpfs-mode=;
 *   tmpfs         --tmpfs DST[:size=64m,mode=1777,exec,...];
 *   volumes_from  --volumes-from CONTAINER[:ro|:rw] (reads its config.json).
 * Any list may be NULL.  Errors are E_INVALID_ARG with a hint, naming the
 * spec; a duplicate destination is E_INVALID_ARG.  Nothing is created here.
 */
int ctr_mounts_parse(const struct ctr_store *st, const struct strv *volumes,
                     const struct strv *mounts, const struct strv *tmpfs,
                     const struct strv *volumes_from, struct ctr_mount_list *out,
                     struct ctr_err *err);

/*
 * Add an anonymous volume for each path of an image's config "Volumes"
 * object ({"/data": {}}) that no mount in `list` already covers (Docker's
 * VOLUME instruction).  Call between parse and prepare.  A path that is not
 * absolute is E_INVALID_ARG naming it.  NULL `volumes` is a no-op.
 */
int ctr_mounts_add_image_volumes(struct ctr_mount_list *list, const cJSON *volumes,
                                 struct ctr_err *err);

/*
 * Make the list ready to store: anonymous volumes get a fresh random name
 * (and are created, labelled anonymous); named volumes are created on first
 * use; a missing `-v` bind source is created as a directory (as Docker).
 */
int ctr_mounts_prepare(const struct ctr_store *st, struct ctr_mount_list *list,
                       struct ctr_err *err);

/*
 * True if applying `list` needs the container's user (ctr_mounts_apply's
 * `owner`): it has a volume (the ownership rule below) or a `U` mount.
 */
bool ctr_mounts_need_owner(const struct ctr_mount_list *list);

/*
 * Mount everything in `list` under `rootfs` (the container's root, already
 * mounted, in the container's private mount namespace, before pivot_root).
 * Destinations are resolved inside rootfs with openat2(RESOLVE_IN_ROOT), so
 * a symlink in the image can never redirect a mount onto the host; missing
 * directories (or an empty file, for a file bind) are created inside.  A
 * read-only mount is remounted MS_RDONLY.  Mounts are applied parents first
 * (by path depth).
 * Ownership of an empty volume that was never copied up, at each mount:
 *   - the image has a directory there: its content (if any) is copied in
 *     once, and the volume root takes the directory's owner and mode
 *     (Docker); `nocopy` skips both;
 *   - the image has no directory there: the volume root is chowned to
 *     `owner` (podman's rule; Docker leaves it root-owned).
 * A `U` mount's source (volume data or bind host path) is chowned to `owner`
 * recursively before mounting, on every start (podman's :U), without
 * following symlinks or crossing into other file systems.
 * `owner` NULL means 0:0 (root).
 */
int ctr_mounts_apply(const struct ctr_store *st, const char *rootfs,
                     const struct ctr_mount_list *list, const struct ctr_mount_owner *owner,
                     struct ctr_err *err);

/* The list as stored in config.json "Mounts" (a new cJSON array). */
cJSON *ctr_mounts_to_json(const struct ctr_mount_list *list);
/* Read a "Mounts" array back.  NULL json gives an empty list. */
int ctr_mounts_from_json(const cJSON *json, struct ctr_mount_list *out, struct ctr_err *err);

/*
 * Docker's inspect "Mounts": [{Type, Name, Source, Destination, Driver,
 * Mode, RW, Propagation}] (a new cJSON array).
 */
cJSON *ctr_mounts_inspect_json(const struct ctr_store *st, const struct ctr_mount_list *list);

/*
 * Remove the anonymous volumes of `list` (rm -v, --rm).  Call it after the
 * container's own directory is gone: a volume still used by another
 * container (--volumes-from) is kept.  Errors are warned and skipped; the
 * first one is returned.
 */
int ctr_mounts_remove_anonymous(const struct ctr_store *st, const struct ctr_mount_list *list,
                                struct ctr_err *err);

void ctr_mount_list_free(struct ctr_mount_list *list);

#endif
