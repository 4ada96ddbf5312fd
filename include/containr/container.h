/*
 * container.h - the container model: what the user asked for (config),
 * what is true now (state), and how both live in the store.
 *
 *   <root>/containers/<id>/config.json   struct ctr_container_config
 *   <root>/containers/<id>/state.json    struct ctr_container_state
 *   <root>/containers/<id>/ctr.log       JSON lines {"t":RFC3339Nano,"s":"stdout|stderr","l":"…\n"}
 *   <root>/containers/<id>/lock          flock for state updates
 *
 * Owned by src/runtime/.  Other modules (dashboard, stats, volumes) read
 * containers through ctr_container_load()/ctr_container_list(); both
 * reconcile the recorded state with the kernel's truth (a monitor that
 * died behind our back turns "running" into "exited").
 */
#ifndef CONTAINR_CONTAINER_H
#define CONTAINR_CONTAINER_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <cjson/cJSON.h>

#include "containr/cgroup.h"
#include "containr/error.h"
#include "containr/store.h"
#include "containr/userns.h"
#include "containr/util.h"

struct ctr_image;

enum ctr_status {
	CTR_STATUS_CREATED,
	CTR_STATUS_RUNNING,
	CTR_STATUS_PAUSED,
	CTR_STATUS_EXITED,
	CTR_STATUS_DEAD,
};

/* What the user asked for; written once at create (Docker's Config+HostConfig). */
struct ctr_container_config {
	char *name;             /* without the leading '/' */
	char *image;            /* image reference as given, NULL with --rootfs */
	char *image_id;         /* "sha256:…" or NULL */
	char *rootfs;           /* --rootfs DIR (absolute) or NULL */
	struct strv entrypoint; /* effective entrypoint (image default applied) */
	struct strv cmd;        /* effective cmd */
	struct strv env;        /* "K=V", image env first, then user env */
	char *workdir;          /* absolute, or NULL = "/" */
	char *user;             /* "uid[:gid]" or "name[:group]" or NULL = root */
	char *hostname;         /* NULL = first 12 chars of the id */
	cJSON *labels;          /* object (owned), never NULL after load */
	struct ctr_cgroup_limits limits;
	struct strv ulimits;           /* "nofile=1024:2048" */
	struct strv cap_add, cap_drop; /* "NET_ADMIN", "ALL" (no CAP_ prefix, upper case) */
	bool privileged;
	bool read_only;
	bool no_new_privs;        /* --security-opt no-new-privileges */
	char *seccomp;            /* NULL = default profile, "unconfined", or a profile file path
	                           * (its content is copied to <dir>/seccomp.json at create) */
	struct strv security_opt; /* as given, for inspect */
	char *network;            /* "bridge" (default) | "none" | "host" | a network name */
	char *ip;                 /* --ip: the address asked for on the network, or NULL */
	struct strv publish;      /* -p specs as given (parsed again at each start) */
	struct strv expose;       /* --expose and the image's ExposedPorts: "80/tcp" */
	bool publish_all;         /* -P: publish every exposed port on a random host port */
	char *stop_signal;        /* "SIGTERM" by default */
	int stop_timeout;         /* seconds; -1 = default (10) */
	bool init, tty, interactive, auto_remove;
	char *userns; /* NULL = host, "private", "auto[:size=N]" (docs/USERNS.md) */
	struct ctr_idmap uidmap, gidmap; /* empty = no user namespace */
	char *cgroup_parent;             /* NULL = "containr" */
	/* Logging (--log-driver, --log-opt; defaults from containr.conf):
	 * ctr_log_config_apply() fills them. */
	char *log_driver;      /* "json-file" (NULL means it too), "k8s-file" or "none" */
	struct strv log_opts;  /* "max-size=10m", "max-file=3" as given (inspect) */
	int64_t log_max_size;  /* bytes; 0 = unlimited, ctr.log never rotates */
	int log_max_file;      /* files kept with max-size, ctr.log included (>= 1) */
	cJSON *mounts;         /* "Mounts" array (owned; filled by the volume module) */
	int64_t created;       /* ns since epoch */
	bool entrypoint_given; /* create only, not stored: --entrypoint was given
	                        * (so the image's Entrypoint and Cmd are replaced) */
	/* create only, not stored: the mount requests as given (-v, --mount, --tmpfs,
	 * --volumes-from); ctr_container_create() turns them, plus the image's
	 * VOLUMEs, into `mounts` */
	struct strv volume_specs, mount_specs, tmpfs_specs, volumes_from;
	/* create only, not stored: the image of `image`, already looked up by the
	 * caller (borrowed), so create does not look it up again; NULL = look up */
	const struct ctr_image *image_found;
};

struct ctr_container_state {
	enum ctr_status status;
	pid_t pid;              /* container init, host pid namespace (0 if none) */
	pid_t monitor_pid;      /* its monitor (0 if none) */
	uint64_t monitor_start; /* starttime of the monitor (/proc/PID/stat field 22) */
	int exit_code;
	bool oom_killed;
	int64_t started_at, finished_at; /* ns since epoch, 0 = never */
	char *cgroup_path;               /* relative cgroup path, e.g. "containr/<id>" */
	char *error;                     /* last runtime error or NULL */
};

struct ctr_container {
	char id[65];
	char *dir; /* <root>/containers/<id> */
	struct ctr_container_config cfg;
	struct ctr_container_state state;
};

/* "created", "running", … (Docker's State.Status words). */
const char *ctr_status_name(enum ctr_status s);
/* Parse a status word; -1 if unknown. */
int ctr_status_parse(const char *s);

/* Initialise an empty config with Docker's defaults. */
void ctr_container_config_init(struct ctr_container_config *cfg);
void ctr_container_config_release(struct ctr_container_config *cfg);
/* The full command (entrypoint + cmd) as a new strv (caller releases). */
void ctr_container_argv(const struct ctr_container_config *cfg, struct strv *out);

/*
 * Set the container's logging from `--log-driver` (NULL: not given) and
 * `--log-opt` values ("max-size=10m", "max-file=3"), merged with the
 * defaults of containr.conf as Docker merges daemon.json: a driver not
 * given is the default one, and the default options apply when the
 * driver is the default one (options given win).  Drivers: json-file,
 * k8s-file, none.  Options (json-file, k8s-file): max-size (a size > 0,
 * units k m g), max-file (an integer >= 1, default 1; with max-size).
 * Fails with E_INVALID_ARG (message and hint) on a bad driver, option or
 * value, or a bad containr.conf (naming its file and line); cfg is then
 * unchanged.
 */
int ctr_log_config_apply(struct ctr_container_config *cfg, const char *driver,
                         const struct strv *opts, struct ctr_err *err);
/* Does the container keep no log (--log-driver none)? */
bool ctr_log_driver_none(const struct ctr_container_config *cfg);
/*
 * The configuration file read by ctr_log_config_apply(): the first that
 * exists of $CONTAINR_CONFIG, $XDG_CONFIG_HOME/containr/containr.conf (or
 * ~/.config/containr/containr.conf) and /etc/containr/containr.conf.
 * Returns a heap path, or NULL if there is none.
 */
char *ctr_config_path(void);

/*
 * Load a container by name, full id or unique id prefix, reconcile its
 * state with the kernel (see ctr_container_reconcile) and fill `out`.
 * E_NOT_FOUND / E_AMBIGUOUS as ctr_store_resolve().  Free with
 * ctr_container_free().
 */
int ctr_container_load(const struct ctr_store *st, const char *query, struct ctr_container *out,
                       struct ctr_err *err);
/* Same as ctr_container_load() but by full id, without resolving names. */
int ctr_container_load_id(const struct ctr_store *st, const char *id, struct ctr_container *out,
                          struct ctr_err *err);
void ctr_container_free(struct ctr_container *c);

/*
 * Every container (running only unless `all`), newest first, reconciled.
 * Corrupt ones are warned about and skipped.  *out is a heap array of n
 * entries; free with ctr_container_list_free().
 */
int ctr_container_list(const struct ctr_store *st, bool all, struct ctr_container **out, size_t *n,
                       struct ctr_err *err);
void ctr_container_list_free(struct ctr_container *v, size_t n);

/*
 * Container records as stored, for the modules that only need to know which
 * containers use an image or a volume (image rmi/prune/export, volume rm,
 * --volumes-from).  No reconcile, no lock, no kernel access: the files as
 * they are.  Key names (Docker's) stay in container.c.
 */
struct ctr_container_record {
	char id[65];
	cJSON *config;        /* config.json, owned */
	const char *image_id; /* "ImageID" or NULL (points into config) */
	const char *image;    /* "Image" (the name given at create) or NULL */
	const cJSON *mounts;  /* the "Mounts" array (or HostConfig.Mounts), or NULL */
};
/* Read container `id`'s (full id) config.json; release with ..._release(). */
int ctr_container_record_load(const struct ctr_store *st, const char *id,
                              struct ctr_container_record *out, struct ctr_err *err);
void ctr_container_record_release(struct ctr_container_record *r);
/*
 * Call `fn` for each container whose config.json loads (corrupt ones are
 * warned about and skipped, as ctr_store_foreach); `fn` returning non-zero
 * stops the walk and is returned.
 */
typedef int (*ctr_container_record_fn)(const struct ctr_container_record *r, void *ud);
int ctr_container_records_each(const struct ctr_store *st, ctr_container_record_fn fn, void *ud,
                               struct ctr_err *err);
/* Whether state.json says running, paused or restarting (no reconcile). */
bool ctr_container_record_active(const struct ctr_store *st, const char *id);

/* Write config.json / state.json atomically. */
int ctr_container_save_config(const struct ctr_container *c, struct ctr_err *err);
int ctr_container_save_state(const struct ctr_container *c, struct ctr_err *err);
/* Re-read state.json into c->state (no reconciliation). */
int ctr_container_reload_state(struct ctr_container *c, struct ctr_err *err);

/*
 * Bring c->state in line with the kernel: a "running"/"paused" container
 * whose monitor and init are both gone becomes "exited" (exit code 255,
 * Error says the monitor vanished) and is saved; a frozen cgroup reads as
 * "paused".  Caller should hold no lock; this takes the container lock
 * while it writes.  Never fails the caller: problems are logged.
 */
void ctr_container_reconcile(const struct ctr_store *st, struct ctr_container *c);

/* True if the process `pid` exists and (if start != 0) started at `start`. */
bool ctr_pid_alive(pid_t pid, uint64_t start);
/* starttime of `pid` in clock ticks (field 22 of /proc/PID/stat), 0 if gone. */
uint64_t ctr_pid_starttime(pid_t pid);

/* config/state <-> JSON (used by the store files and inspect). */
cJSON *ctr_container_config_to_json(const struct ctr_container_config *cfg);
int ctr_container_config_from_json(const cJSON *j, struct ctr_container_config *cfg,
                                   struct ctr_err *err);
cJSON *ctr_container_state_to_json(const struct ctr_container_state *s);
int ctr_container_state_from_json(const cJSON *j, struct ctr_container_state *s,
                                  struct ctr_err *err);

/*
 * Docker-shaped `inspect` object (Id, Created, Path, Args, State, Image,
 * Name, HostConfig, Config, Mounts, …).  Caller owns the result.
 */
cJSON *ctr_container_inspect_json(const struct ctr_container *c);
/*
 * Docker's inspect --size: *rw = bytes in the container's writable layer
 * (the overlay upper dir; the --rootfs dir itself with --rootfs), *rootfs =
 * that plus the image's layers.  Walks the directories (ctr_dir_size).
 */
void ctr_container_size(const struct ctr_container *c, int64_t *rw, int64_t *rootfs);
/* Add SizeRw and SizeRootFs to an inspect object, after GraphDriver as Docker. */
void ctr_container_inspect_add_size(const struct ctr_container *c, cJSON *o);

#endif
