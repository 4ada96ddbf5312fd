/*
 * internal.h - declarations shared by the files of src/runtime/ only.
 *
 *   container.c  config/state files, load/list, reconcile
 *   inspect.c    Docker-shaped inspect JSON
 *   create.c     validation + create
 *   start.c      CLI side of start: cgroup, pipes, fork of the monitor, attach relay
 *   monitor.c    the monitor process: clone of the init, log copying, exit recording
 *   child.c      the container init before execve: namespaces, rootfs, mounts
 *   security.c   capabilities, no_new_privs, user/groups, rlimits, exec lookup
 *   seccomp.c    seccomp profiles (default allowlist + Docker JSON format)
 *   lifecycle.c  kill, stop, wait, remove
 *   exec.c       exec into a running container
 *   logs.c       ctr.log writer and reader
 *   tty.c        pty creation, raw mode, relay helpers
 */
#ifndef CONTAINR_RUNTIME_INTERNAL_H
#define CONTAINR_RUNTIME_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include "containr/container.h"
#include "containr/runtime.h"
#include "lib/ctrlog.h"

/* ---- cgroup glue (lifecycle.c) ----------------------------------------- */
/* Is the container's cgroup frozen (paused)? false if unknown. */
bool runtime_cgroup_frozen(const struct ctr_container *c);
/* Does /proc/<pid>/cgroup name this container's cgroup? */
bool runtime_pid_in_container(const struct ctr_container *c, pid_t pid);
/* Destroy the cgroup recorded in the state, if any (errors logged). */
void runtime_cgroup_cleanup(const struct ctr_container *c);
/*
 * The container is exiting: its init is gone but its monitor (alive) has
 * not recorded the exit yet.  Wait up to `ms` for the monitor to finish
 * (state.json then says exited) and reload the state.  True if the state
 * was reloaded.  Called by reconciliation, so `start` right after `kill`
 * never takes a dying container for a running one.
 */
bool runtime_wait_exiting(struct ctr_container *c, int ms);
/* Remove everything of a stopped container (cgroup, dir, name). */
int runtime_remove_files(const struct ctr_store *st, const struct ctr_container *c, bool volumes,
                         struct ctr_err *err);

/* ---- image glue (image.c) ----------------------------------------------- */
/* start failed: with --rm, remove the container unless it runs (lifecycle.c). */
void runtime_start_failed(const struct ctr_store *st, struct ctr_container *c);
/*
 * For an image container: the layer dirs (bottom-most first) and the
 * container's overlay upper/work dirs (created under its directory).
 */
int runtime_image_layers(const struct ctr_store *st, const struct ctr_container *c,
                         struct strv *lower, char **upper, char **work, struct ctr_err *err);
/*
 * create: the image of cfg->image (cfg->image_found when the caller looked
 * it up, else one lookup) applies its defaults (Entrypoint/Cmd unless
 * overridden, Env merged under the user's, WorkingDir, User, StopSignal,
 * Labels); records cfg->image_id.  *volumes receives a copy of its config's
 * "Volumes" object (or NULL; free with cJSON_Delete).  The layer dirs are
 * remembered for a start of the same image id in this thread, so `run`
 * looks the image up once.  E_NOT_FOUND with a `pull` hint.
 */
int runtime_image_apply(const struct ctr_store *st, struct ctr_container_config *cfg,
                        cJSON **volumes, struct ctr_err *err);
/* Mount the overlay root filesystem (inside the container's mount namespace). */
int runtime_overlay_mount(const struct strv *lower, const char *upper, const char *work,
                          const char *target, struct ctr_err *err);

/* ---- security.c --------------------------------------------------------- */
/* Docker's default capability set as a bit mask. */
uint64_t runtime_caps_default(void);
/* Every capability this host (our bounding set) can grant. */
uint64_t runtime_caps_all(void);
/* Name ("NET_ADMIN", "CAP_NET_ADMIN", case-insensitive) -> number; -1 if unknown. */
int runtime_cap_parse(const char *name);
/* The effective set for a config (privileged, add, drop, ALL). */
int runtime_caps_compute(const struct ctr_container_config *cfg, uint64_t *out,
                         struct ctr_err *err);
/* Mask -> "CAP_CHOWN,CAP_KILL" (heap). */
char *runtime_caps_string(uint64_t mask);

struct runtime_user {
	uid_t uid;
	gid_t gid;
	gid_t *groups; /* supplementary (heap) */
	size_t ngroups;
	char *home; /* heap, "/" if unknown */
};
/* Resolve "name", "uid", "uid:gid", "name:group" against /etc in the CURRENT root. */
int runtime_user_resolve(const char *spec, struct runtime_user *u, struct ctr_err *err);
/* The same against the root at `rootfd` (before pivot_root); -1 = current root. */
int runtime_user_resolve_at(int rootfd, const char *spec, struct runtime_user *u,
                            struct ctr_err *err);
void runtime_user_release(struct runtime_user *u);

/* Parse "nofile=1024:2048" -> resource, soft, hard. */
int runtime_ulimit_parse(const char *s, int *resource, uint64_t *soft, uint64_t *hard,
                         struct ctr_err *err);
/* Apply defaults and --ulimit values (default ones clamp, user ones fail). */
int runtime_apply_rlimits(const struct ctr_container_config *cfg, struct ctr_err *err);

/*
 * Drop to the final identity: bounding set = caps, setgroups/gid/uid,
 * then permitted/effective = caps for uid 0 (empty for others), inheritable
 * and ambient empty; no_new_privs if asked.  Called after the rootfs is in
 * place, right before seccomp and execve.
 */
int runtime_apply_identity(const struct runtime_user *u, uint64_t caps, bool no_new_privs,
                           struct ctr_err *err);

/* Set K=V in an environment list, replacing an existing K. */
void runtime_env_set(struct strv *env, const char *kv);
/* Build the environment: image/user env + PATH/HOSTNAME/HOME/TERM defaults. */
void runtime_build_env(const struct ctr_container_config *cfg, const char *hostname,
                       const struct runtime_user *u, const struct strv *extra, bool tty,
                       struct strv *out);
/*
 * execve argv[0] looked up in PATH from `env` (not our own environment).
 * Only returns on failure: err set, *exit_code 127 (not found) or 126.
 */
void runtime_execve(char *const argv[], char *const envp[], int *exit_code, struct ctr_err *err);

/* ---- seccomp.c ------------------------------------------------------------ */
/* A compiled seccomp filter (classic BPF), made before clone. */
struct runtime_bpf {
	bool none;          /* no filter (unconfined / privileged) */
	bool cached;        /* the default profile, read from the cache */
	struct strbuf prog; /* struct sock_filter[] */
};
/*
 * Compile the container's filter while the host's files are reachable:
 * cfg->seccomp NULL = the default profile (`caps` selects the
 * capability-gated rules; cached as BPF in <run_dir>), "unconfined" or
 * --privileged = none, otherwise <dir>/seccomp.json (Docker JSON).
 * Release with runtime_bpf_release().
 */
int runtime_seccomp_prepare(const struct ctr_store *st, const struct ctr_container *c,
                            uint64_t caps, struct runtime_bpf *out, struct ctr_err *err);
void runtime_bpf_release(struct runtime_bpf *b);
/* Load it (seccomp(2)); right before execve. */
int runtime_seccomp_apply(const struct runtime_bpf *b, struct ctr_err *err);
/* Check that a Docker JSON profile parses (at create time). */
int runtime_seccomp_check_file(const char *path, struct ctr_err *err);

/* ---- child.c -------------------------------------------------------------- */
/* Everything the init needs, prepared by the monitor before clone. */
struct runtime_child {
	const struct ctr_container *c;
	const struct ctr_store *st;    /* for the volume module (ctr_mounts_apply) */
	const char *rootfs;            /* mount point for the root filesystem (<dir>/rootfs) */
	struct strv lowerdirs;         /* image layers (empty with --rootfs) */
	char *upper, *work;            /* overlay dirs for images */
	const struct runtime_bpf *bpf; /* seccomp filter, compiled before clone */
	int go_fd;                     /* read: the monitor has put us in the cgroup */
	int err_fd;                    /* write, CLOEXEC: error report before execve */
	int stdio[3];                  /* the container's fd 0, 1, 2 (unused with tty) */
	bool tty;                      /* -t: open a pty from our devpts, it is fd 0-2 */
	int pty_sock;                  /* tty: unix socket to send the master to the monitor */
	unsigned short ws_row, ws_col; /* tty: initial window size (0: unknown) */
	int explain_fd;                /* where explain lines go, or -1 */
	int userns_sock;               /* user namespace: receives the mounted root's fd, or -1 */
	int userns_fd;                 /* mount helper: the init's userns (`:idmap`), 0 = none */
	bool rootless;                 /* the engine runs as a regular user (set before clone) */
};

/* The error report an init sends back before execve. */
struct runtime_child_error {
	int exit_code; /* 125, 126, 127 */
	int code;      /* enum ctr_errcode */
	int sys_errno;
	char msg[CTR_ERR_MSG_MAX];
	char hint[CTR_ERR_HINT_MAX];
};

/* Volumes, /etc/hosts & co on ch->rootfs (child.c; the userns mount helper calls it too). */
int runtime_child_volume_mounts(struct runtime_child *ch, struct ctr_err *err);

/* ---- userns.c: user namespaces (docs/USERNS.md) ----------------------------- */
/* Does the container get a user namespace (maps filled at create)? */
static inline bool runtime_userns_enabled(const struct ctr_container_config *cfg)
{
	return cfg->uidmap.n > 0;
}
/* create: check --userns/--uidmap/--gidmap (keep-id/nomap as root, conflicts). */
int runtime_userns_validate(const struct ctr_container_config *cfg, struct ctr_err *err);
/* Rootless: the engine runs as a regular user (the init gets a user namespace always). */
static inline bool runtime_rootless(void)
{
	return geteuid() != 0;
}
/* create, once the mounts are made: `:idmap` needs a user namespace. */
int runtime_userns_check_mounts(const struct ctr_container_config *cfg, struct ctr_err *err);
/* create, once the id exists: fill the maps (private/auto take a pool range). */
int runtime_userns_prepare(const struct ctr_store *st, struct ctr_container_config *cfg,
                           const char *id, struct ctr_err *err);
/* rm / a failed create: give the pool range back (errors logged). */
void runtime_userns_release(const struct ctr_store *st, const char *id);
/* monitor: write /proc/PID/uid_map and gid_map. */
int runtime_userns_write_maps(const struct ctr_container_config *cfg, pid_t pid,
                              struct ctr_err *err);
/*
 * monitor: fork a helper that enters the init's mount namespace as host
 * root, mounts the rootfs on idmapped layers and the volumes, and sends an
 * fd of the mounted root on `sock`.  Waits for it.
 */
int runtime_userns_mount_helper(struct runtime_child *ch, pid_t pid, int sock, struct ctr_err *err);
/* init, after go: become 0:0 of the namespace, fchdir to the root sent by the helper. */
int runtime_userns_child_enter(struct runtime_child *ch, struct ctr_err *err);
/* init: /dev nodes as binds of the host's (mknod is refused in a userns). */
int runtime_userns_bind_devices(const char *root, struct ctr_err *err);

/* ---- /etc/hostname, /etc/hosts, /etc/resolv.conf (etc.c) ---------------- */
struct ctr_mount_list;
/*
 * The container's hostname: --hostname, else the host's with --network host
 * (as Docker), else the first 12 hex of its id.
 */
void runtime_hostname(const struct ctr_container *c, char out[65]);
/* Heap path of one of those files in the container's directory. */
char *runtime_etc_path(const struct ctr_container *c, const char *name);
/* Write the files the container does not have yet (before each start). */
int runtime_etc_prepare(const struct ctr_container *c, struct ctr_err *err);
/* Append their bind mounts to `list`, except where a user mount has the path. */
void runtime_etc_mounts(const struct ctr_container *c, struct ctr_mount_list *list);

/* --network host: the container shares the host's network namespace. */
static inline bool runtime_host_network(const struct ctr_container_config *cfg)
{
	return cfg->network && strcmp(cfg->network, "host") == 0;
}

/* ---- net.c ---------------------------------------------------------------- */
struct ctr_net_lease;
struct ctr_port_map;
/* The network a container joins (bridge or a user network), NULL for none/host. */
const char *runtime_net_name(const struct ctr_container_config *cfg);
/* -p specs, plus with -P every exposed port (random host port). Caller frees *v. */
int runtime_net_ports(const struct ctr_container_config *cfg, struct ctr_port_map **v, size_t *n,
                      struct ctr_err *err);
/* Take the lease of `c` (releasing stale ones first). */
int runtime_net_take(const struct ctr_store *st, const struct ctr_container *c,
                     struct ctr_net_lease *l, struct ctr_err *err);
/* Release everything of container `id` (idempotent, warns on failure). */
void runtime_net_release(const struct ctr_store *st, const char *id);
/* Release leases of containers that are not running (monitor SIGKILLed). */
void runtime_net_reconcile(const struct ctr_store *st);
/* The current lease of a running container on a network; -1 if none. */
int runtime_net_lease_of(const struct ctr_container *c, struct ctr_net_lease *l);
/* /etc/hosts: `base` plus "<ip>\t<hostname>" when on a network (heap). */
char *runtime_net_hosts(const struct ctr_container *c, const char *base);
/* resolv.conf for a bridge container from the host's text (heap). */
char *runtime_net_resolv(const char *host);
/* ps's PORTS column of a running container ("" if none). */
char *runtime_net_ports_column(const struct ctr_container *c);
/* Fill NetworkSettings (made with the none shape) with the lease's values. */
void runtime_net_inspect(cJSON *ns, const struct ctr_container *c);

/* clone() flags for a config (explained). */
int runtime_clone_flags(const struct ctr_container_config *cfg);
/* The init's body after clone: never returns. */
__attribute__((noreturn)) void runtime_child_main(struct runtime_child *ch);
/* Send an error report on `fd` and _exit(exit_code). */
__attribute__((noreturn)) void runtime_child_fail(int fd, int exit_code, const struct ctr_err *err);
/* The --init reaper: fork, exec in the child, reap and forward here. */
void runtime_init_reaper(int err_fd);

/* What every unprivileged container masks and makes read-only (child.c; NULL-terminated). */
extern const char *const runtime_masked_paths[];
extern const char *const runtime_readonly_paths[];
/* Size of the container's /dev/shm tmpfs: Docker's default 64 MiB (child.c mounts it). */
#define RUNTIME_SHM_SIZE (64LL * 1024 * 1024)

/* ---- monitor.c ------------------------------------------------------------ */
/* One record on the monitor -> CLI report pipe (fits in PIPE_BUF: atomic). */
struct runtime_report {
	char kind; /* 'S' started (pid), 'E' start failed, 'X' exited (status) */
	pid_t pid;
	int status;    /* 'X': exit status (code or 128+signal) */
	int exit_code; /* 'E': 125/126/127 */
	int err_code;  /* 'E': enum ctr_errcode */
	int sys_errno;
	char msg[CTR_ERR_MSG_MAX];
	char hint[CTR_ERR_HINT_MAX];
};
struct runtime_monitor_args {
	const struct ctr_store *st;
	struct ctr_container *c;
	struct ctr_cgroup *cg;
	int lock_fd;    /* container lock, inherited; closed once running */
	int report_fd;  /* write: "S pid", "E exit code\tmsg\thint", "X status" */
	int attach_out; /* write end to the CLI, or -1 */
	int attach_err; /* write end to the CLI, or -1 (tty: unused) */
	int stdin_fd;   /* the container's stdin, or -1 for /dev/null */
	int pty_master; /* tty: master (received from the init; monitor reads it), else -1 */
	int pty_cli;    /* tty + attached: socket to pass the master on to the CLI, else -1 */
	int explain_fd; /* dup of the CLI's stderr when explaining, else -1 */
	const struct ctr_net_lease *lease; /* bridge/user network: plumb it, else NULL */
	struct runtime_child child;
};
__attribute__((noreturn)) void runtime_monitor_main(struct runtime_monitor_args *m);

/* ---- logs.c ---------------------------------------------------------------- */
/* Line-splitting writer of ctr.log (JSON lines). */
struct runtime_logw {
	struct ctr_logfile lf;    /* ctr.log (fd -1: --log-driver none) */
	struct strbuf pending[2]; /* 0 = stdout, 1 = stderr */
	bool cri;                 /* k8s-file lines (--log-driver k8s-file), else JSON */
};
/* A writer to `fd` that never rotates (see runtime_logw_rotate). */
void runtime_logw_init(struct runtime_logw *w, int fd);
/* Rotate `path` (the file fd writes) past max_size, keeping max_file files. */
void runtime_logw_rotate(struct runtime_logw *w, const char *path, int64_t max_size, int max_file);
void runtime_logw_feed(struct runtime_logw *w, int stream, const char *data, size_t len);
void runtime_logw_flush(struct runtime_logw *w);
void runtime_logw_release(struct runtime_logw *w);

/* ---- tty.c ------------------------------------------------------------------ */
/*
 * A new pty from the devpts instance whose ptmx is `ptmx` under `dirfd`
 * (resolved with RESOLVE_IN_ROOT: dirfd acts as "/", so the container's
 * own symlinks cannot lead out; it must be on devpts).  The slave comes
 * from TIOCGPTPEER (no path lookup), gets `ws` if given, and is
 * /dev/pts/<*num> inside the container.  Both fds are CLOEXEC.
 */
struct winsize;
int runtime_pty_open_at(int dirfd, const char *ptmx, const struct winsize *ws, int *master,
                        int *slave, unsigned *num, struct ctr_err *err);
/* Pass one fd over a unix socket (SCM_RIGHTS); 0 or -1. */
int runtime_fd_send(int sock, int fd);
/* Receive one (CLOEXEC) fd; -1 on EOF or error. */
int runtime_fd_recv(int sock);
/* Put `fd` in raw mode, saving the old mode in *saved; returns 0 if done. */
struct termios;
int runtime_tty_raw(int fd, struct termios *saved);
void runtime_tty_restore(int fd, const struct termios *saved);
/* Copy the window size of `from` to `to`. */
void runtime_tty_copy_size(int from, int to);
/* write() all of buf, retrying on EINTR/short writes; -1 on error. */
int runtime_write_all(int fd, const void *buf, size_t len);

/*
 * The attached relay loop shared by run/start -a and exec: copy out_fd ->
 * stdout and err_fd -> stderr until both EOF; stdin -> in_fd (may be -1);
 * forward SIGINT/SIGTERM/SIGHUP/SIGQUIT/SIGUSR1/SIGUSR2 to `sig_pid`
 * (if > 0) and SIGWINCH as a resize of `pty_master` (if >= 0).
 */
struct runtime_relay {
	int out_fd, err_fd; /* read ends (-1 if unused) */
	int in_fd;          /* write end for our stdin (-1 if not interactive) */
	int stdin_fd, stdout_fd, stderr_fd;
	int pty_master;
	pid_t sig_pid;
	bool sig_proxy;
};
int runtime_relay_run(struct runtime_relay *r);

#endif
