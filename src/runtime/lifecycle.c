/*
 * lifecycle.c - acting on a started container: kill, stop, pause/unpause,
 * wait, remove, and the cgroup glue they share.
 *
 * The container init's host pid and its monitor's pid are in state.json.
 * We wait on them with pidfds (pidfd_open works for non-children), so
 * `stop` and `wait` need no polling and no daemon.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "containr/cgroup.h"
#include "containr/log.h"
#include "containr/volume.h"
#include "runtime/internal.h"

static int pidfd_open_pid(pid_t pid)
{
	return (int)syscall(SYS_pidfd_open, pid, 0);
}

/* Wait until `pid` exits or `ms` pass (-1 = forever); true if it exited. */
static bool wait_pid_exit(pid_t pid, uint64_t start, int ms)
{
	int fd;
	bool gone;

	if (!ctr_pid_alive(pid, start))
		return true;
	fd = pidfd_open_pid(pid);
	if (fd < 0)
		return !ctr_pid_alive(pid, start);
	for (;;) {
		struct pollfd pf = {fd, POLLIN, 0};
		int r = poll(&pf, 1, ms);
		if (r < 0 && errno == EINTR)
			continue;
		break;
	}
	close(fd);
	gone = !ctr_pid_alive(pid, start);
	return gone;
}

static bool is_up(const struct ctr_container *c)
{
	return c->state.status == CTR_STATUS_RUNNING || c->state.status == CTR_STATUS_PAUSED;
}

bool runtime_wait_exiting(struct ctr_container *c, int ms)
{
	/* The monitor's own exit step loads the container too: never wait
	 * for ourselves. */
	if (c->state.pid <= 0 || c->state.monitor_pid <= 0 || c->state.monitor_pid == getpid() ||
	    ctr_pid_alive(c->state.pid, 0))
		return false;
	ctr_debug("container is exiting, waiting for its monitor to record it", "id", c->id);
	wait_pid_exit(c->state.monitor_pid, c->state.monitor_start, ms);
	return ctr_container_reload_state(c, NULL) == 0;
}

int ctr_container_check_up(const struct ctr_container *c, struct ctr_err *err)
{
	if (c->state.pid <= 0 || ctr_pid_alive(c->state.pid, 0))
		return 0;
	ctr_fail(err, E_CONFLICT, "container %s is still exiting: its exit is not recorded yet",
	         c->cfg.name);
	return ctr_hint(err, "start it once `containr wait %s` has returned", c->cfg.name);
}

/* ---- cgroup glue -------------------------------------------------------- */

bool runtime_cgroup_frozen(const struct ctr_container *c)
{
	struct ctr_cgroup *cg = NULL;
	struct ctr_err e;
	bool frozen;

	if (!c->state.cgroup_path)
		return false;
	ctr_err_clear(&e);
	if (ctr_cgroup_open(c->state.cgroup_path, &cg, &e) < 0)
		return false;
	frozen = ctr_cgroup_is_frozen(cg);
	ctr_cgroup_free(cg);
	return frozen;
}

bool runtime_pid_in_container(const struct ctr_container *c, pid_t pid)
{
	char path[64];
	cleanup_free char *buf = NULL;
	size_t len;

	snprintf(path, sizeof path, "/proc/%d/cgroup", (int)pid);
	if (ctr_read_file(path, &buf, &len, NULL) < 0)
		return false;
	return strstr(buf, c->id) != NULL;
}

int ctr_container_cgroup_open(const struct ctr_container *c, struct ctr_cgroup **cg,
                              struct ctr_err *err)
{
	cleanup_free char *rel = NULL;

	if (c->state.cgroup_path && *c->state.cgroup_path)
		rel = xstrdup(c->state.cgroup_path);
	else
		rel = xasprintf("%s/%s", c->cfg.cgroup_parent ? c->cfg.cgroup_parent : "containr",
		                c->id);
	return ctr_cgroup_open(rel, cg, err);
}

void runtime_cgroup_cleanup(const struct ctr_container *c)
{
	struct ctr_cgroup *cg = NULL;
	struct ctr_err e;

	ctr_err_clear(&e);
	if (ctr_container_cgroup_open(c, &cg, &e) < 0)
		return;
	if (ctr_cgroup_destroy(cg, &e) < 0)
		ctr_debug("cannot remove cgroup", "id", c->id, "error", e.msg);
	ctr_cgroup_free(cg);
}

int runtime_remove_files(const struct ctr_store *st, const struct ctr_container *c, bool volumes,
                         struct ctr_err *err)
{
	runtime_cgroup_cleanup(c);
	if (runtime_net_name(&c->cfg))
		runtime_net_release(st, c->id);
	if (c->cfg.name)
		ctr_store_name_release(st, CTR_KIND_CONTAINER, c->cfg.name, c->id);
	if (ctr_store_obj_remove(st, CTR_KIND_CONTAINER, c->id, err) < 0) {
		if (!err || err->code != E_NOT_FOUND)
			return -1;
		ctr_err_clear(err);
	}
	if (runtime_userns_enabled(&c->cfg))
		runtime_userns_release(st, c->id);
	if (volumes) {
		/* rm -v / --rm: anonymous volumes go once the container is gone. */
		struct ctr_mount_list list;
		struct ctr_err e;
		ctr_err_clear(&e);
		if (ctr_mounts_from_json(c->cfg.mounts, &list, &e) == 0)
			ctr_mounts_remove_anonymous(st, &list, &e);
		ctr_mount_list_free(&list);
	}
	return 0;
}

/*
 * --rm: a container whose start failed is removed, as Docker's daemon does
 * (its AutoRemove covers a failed start, not only an exit).  Only if it is
 * not running: a start refused because it already runs must not remove it.
 */
void runtime_start_failed(const struct ctr_store *st, struct ctr_container *c)
{
	struct ctr_err e;
	int lock;

	if (!c->cfg.auto_remove)
		return;
	ctr_err_clear(&e);
	lock = ctr_store_lock(st, CTR_KIND_CONTAINER, c->id, &e);
	if (lock < 0)
		return; /* already gone (the monitor's exit step removed it) */
	if (ctr_container_reload_state(c, &e) == 0 && !is_up(c)) {
		ctr_explain("rm", "--rm: the start failed, remove the container", "%s", c->id);
		if (runtime_remove_files(st, c, true, &e) < 0)
			ctr_warn("cannot remove the container of a failed start", "id", c->id,
			         "error", e.msg);
	}
	ctr_unlock(lock);
}

/* ---- kill / stop / wait --------------------------------------------------- */

static void wait_recorded(const struct ctr_store *st, struct ctr_container *c, int ms);

int ctr_container_kill(const struct ctr_store *st, struct ctr_container *c, int sig,
                       struct ctr_err *err)
{
	pid_t pid;

	ctr_container_reconcile(st, c);
	if (!is_up(c) || c->state.pid <= 0) {
		ctr_fail(err, E_CONFLICT, "container %s is not running", c->cfg.name);
		return ctr_hint(err, "start it first: containr start %s", c->cfg.name);
	}
	pid = c->state.pid;
	ctr_explain("kill", "signal the container's init (PID 1 inside)", "kill(%d, %s)", (int)pid,
	            ctr_signal_name(sig));
	if (kill(pid, sig) < 0)
		return ctr_fail_errno(err, E_RUNTIME, errno, "cannot signal container %s",
		                      c->cfg.name);
	if (sig == SIGKILL && c->state.status == CTR_STATUS_PAUSED) {
		/* A frozen task cannot die: thaw it so the kill lands. */
		struct ctr_cgroup *cg = NULL;
		struct ctr_err e;
		ctr_err_clear(&e);
		if (c->state.cgroup_path && ctr_cgroup_open(c->state.cgroup_path, &cg, &e) == 0) {
			ctr_cgroup_freeze(cg, false, &e);
			ctr_cgroup_free(cg);
		}
	}
	if (sig == SIGKILL) {
		/*
		 * SIGKILL cannot be caught: as Docker's kill, return once the
		 * container is down and its exit recorded (bounded), so that
		 * `kill; start` starts it again instead of finding it running.
		 */
		ctr_explain("wait", "SIGKILL: wait for the exit to be recorded",
		            "pid %d, monitor %d", (int)pid, (int)c->state.monitor_pid);
		wait_pid_exit(pid, 0, 10000);
		wait_recorded(st, c, 10000);
	}
	return 0;
}

/* ---- pause / unpause ------------------------------------------------------ */

/*
 * Freeze or thaw under the container lock, so the state written matches the
 * freezer: the monitor's exit step takes the same lock, so the container
 * cannot be recorded as exited between the check and the freeze.
 */
static int set_paused(const struct ctr_store *st, struct ctr_container *c, bool pause,
                      struct ctr_err *err)
{
	struct ctr_cgroup *cg = NULL;
	const char *name = c->cfg.name ? c->cfg.name : c->id;
	int lock, ret = -1;

	ctr_container_reconcile(st, c); /* takes the lock itself: before ours */
	lock = ctr_store_lock(st, CTR_KIND_CONTAINER, c->id, err);
	if (lock < 0)
		return -1;
	if (ctr_container_reload_state(c, err) < 0)
		goto out;
	if (!is_up(c)) {
		ctr_fail(err, E_CONFLICT, "container %s is not running", name);
		ctr_hint(err, "only running containers can be paused");
		goto out;
	}
	if (pause && c->state.status == CTR_STATUS_PAUSED) {
		ctr_fail(err, E_CONFLICT, "container %s is already paused", name);
		ctr_hint(err, "containr unpause %s", name);
		goto out;
	}
	if (!pause && c->state.status != CTR_STATUS_PAUSED) {
		ctr_fail(err, E_CONFLICT, "container %s is not paused", name);
		goto out;
	}
	ctr_explain(pause ? "freeze" : "thaw", "the cgroup freezer stops or resumes every task",
	            "container %s", c->id);
	if (ctr_container_cgroup_open(c, &cg, err) < 0 || ctr_cgroup_freeze(cg, pause, err) < 0)
		goto out;
	c->state.status = pause ? CTR_STATUS_PAUSED : CTR_STATUS_RUNNING;
	if (ctr_container_save_state(c, err) < 0) {
		struct ctr_err e;
		ctr_err_clear(&e);
		ctr_cgroup_freeze(cg, !pause, &e); /* keep the freezer and the state in step */
		goto out;
	}
	ret = 0;
out:
	ctr_unlock(lock);
	ctr_cgroup_free(cg);
	return ret;
}

int ctr_container_pause(const struct ctr_store *st, struct ctr_container *c, struct ctr_err *err)
{
	return set_paused(st, c, true, err);
}

int ctr_container_unpause(const struct ctr_store *st, struct ctr_container *c, struct ctr_err *err)
{
	return set_paused(st, c, false, err);
}

/* Wait for the monitor to record the exit (or reconcile if it is gone). */
static void wait_recorded(const struct ctr_store *st, struct ctr_container *c, int ms)
{
	if (c->state.monitor_pid > 0)
		wait_pid_exit(c->state.monitor_pid, c->state.monitor_start, ms);
	ctr_container_reload_state(c, NULL);
	ctr_container_reconcile(st, c);
}

int ctr_container_stop(const struct ctr_store *st, struct ctr_container *c, int timeout,
                       struct ctr_err *err)
{
	int sig = SIGTERM;
	pid_t pid;

	ctr_container_reconcile(st, c);
	if (!is_up(c))
		return 0;
	if (c->cfg.stop_signal) {
		sig = ctr_signal_parse(c->cfg.stop_signal);
		if (sig <= 0)
			sig = SIGTERM;
	}
	if (timeout < 0)
		timeout = c->cfg.stop_timeout >= 0 ? c->cfg.stop_timeout : 10;
	pid = c->state.pid;
	if (c->state.status == CTR_STATUS_PAUSED)
		sig = SIGKILL; /* a frozen process cannot handle a signal */
	if (ctr_container_kill(st, c, sig, err) < 0) {
		if (err->code == E_CONFLICT)
			return 0;
		return -1;
	}
	ctr_explain("wait", "give the process time to exit cleanly", "up to %d s for pid %d",
	            timeout, (int)pid);
	if (!wait_pid_exit(pid, 0, timeout * 1000)) {
		ctr_info("container did not stop in time, killing", "id", c->id);
		ctr_explain("kill", "stop timeout reached", "kill(%d, SIGKILL)", (int)pid);
		if (kill(pid, SIGKILL) < 0 && errno != ESRCH)
			return ctr_fail_errno(err, E_RUNTIME, errno, "cannot kill container %s",
			                      c->cfg.name);
		wait_pid_exit(pid, 0, 10000);
	}
	wait_recorded(st, c, 10000);
	return 0;
}

int ctr_container_wait(const struct ctr_store *st, struct ctr_container *c, int *exit_code,
                       struct ctr_err *err)
{
	ctr_container_reconcile(st, c);
	/* Docker blocks on a container that was created but never started
	 * until it has run; a failed start (Error set) ends the wait. */
	while (c->state.status == CTR_STATUS_CREATED && c->state.started_at == 0 &&
	       !c->state.error) {
		poll(NULL, 0, 200);
		if (ctr_container_reload_state(c, err) < 0) {
			if (err->code != E_NOT_FOUND)
				return -1;
			ctr_err_clear(err);
			*exit_code = 0;
			return 0;
		}
	}
	while (is_up(c)) {
		if (c->state.monitor_pid > 0 &&
		    ctr_pid_alive(c->state.monitor_pid, c->state.monitor_start)) {
			wait_pid_exit(c->state.monitor_pid, c->state.monitor_start, -1);
		} else if (c->state.pid > 0) {
			wait_pid_exit(c->state.pid, 0, 1000);
		}
		if (ctr_container_reload_state(c, err) < 0) {
			if (err->code == E_NOT_FOUND) {
				/* Removed by --rm after exiting. */
				ctr_err_clear(err);
				*exit_code = 0;
				return 0;
			}
			return -1;
		}
		ctr_container_reconcile(st, c);
	}
	*exit_code = c->state.exit_code;
	return 0;
}

/*
 * A dead container's state is lost, so its init's pid is unknown: whatever
 * still runs in its cgroup blocks rm, and rm -f kills it.
 */
static int dead_processes(const struct ctr_container *c, bool force, struct ctr_err *err)
{
	struct ctr_cgroup *cg = NULL;
	struct ctr_err e;
	pid_t *pids = NULL;
	size_t n = 0;

	ctr_err_clear(&e);
	if (ctr_container_cgroup_open(c, &cg, &e) < 0)
		return 0; /* no cgroup left: nothing runs */
	for (int i = 0; i < 100 && ctr_cgroup_pids(cg, &pids, &n, &e) == 0 && n > 0; i++) {
		free(pids);
		pids = NULL;
		if (!force) {
			ctr_cgroup_free(cg);
			ctr_fail(err, E_CONFLICT,
			         "cannot remove container %s: %zu of its processes still run",
			         c->cfg.name, n);
			return ctr_hint(err, "kill them with rm -f");
		}
		ctr_explain("kill", "the state is lost: kill what runs in the container's cgroup",
		            "SIGKILL to %zu processes of container %s", n, c->id);
		ctr_cgroup_kill_all(cg, SIGKILL, &e);
		poll(NULL, 0, 20);
	}
	free(pids);
	ctr_cgroup_free(cg);
	return 0;
}

int ctr_container_remove(const struct ctr_store *st, struct ctr_container *c, bool force,
                         bool volumes, struct ctr_err *err)
{
	int lock;

	ctr_container_reconcile(st, c);
	if (is_up(c)) {
		if (!force) {
			ctr_fail(err, E_CONFLICT,
			         "cannot remove container %s: container is running", c->cfg.name);
			return ctr_hint(err, "stop the container before removing or use rm -f");
		}
		if (ctr_container_kill(st, c, SIGKILL, err) < 0 && err->code != E_CONFLICT)
			return -1;
		wait_pid_exit(c->state.pid, 0, 10000);
		wait_recorded(st, c, 10000);
		if (c->cfg.auto_remove) {
			/* The monitor removes it; wait for that. */
			for (int i = 0; i < 100 && access(c->dir, F_OK) == 0; i++)
				poll(NULL, 0, 20);
		}
	}
	if (c->state.status == CTR_STATUS_DEAD && dead_processes(c, force, err) < 0)
		return -1;
	lock = ctr_store_lock(st, CTR_KIND_CONTAINER, c->id, err);
	if (lock < 0) {
		if (err->code == E_NOT_FOUND || access(c->dir, F_OK) < 0)
			return 0;
		return -1;
	}
	int r = runtime_remove_files(st, c, volumes, err);
	ctr_unlock(lock);
	return r;
}
