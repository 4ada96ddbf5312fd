/*
 * start.c - the CLI side of starting a container.
 *
 * Under the container lock: create the cgroup with the limits, prepare
 * the root filesystem mount point (and overlay dirs for images), the
 * report pipe and (attached) the output pipes and, with -t, a socket on
 * which the monitor passes the pty master (the init opens the pty in the
 * container's own devpts); then fork twice
 * so the monitor is orphaned at once (no zombie in a long-lived REPL or
 * dashboard, and it survives the CLI).  Wait for the monitor's report:
 * started, or the init's error before execve.  Attached, relay output,
 * stdin and signals until the exit report.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "containr/cgroup.h"
#include "containr/image.h"
#include "containr/log.h"
#include "containr/network.h"
#include "runtime/internal.h"

void ctr_start_opts_init(struct ctr_start_opts *o)
{
	memset(o, 0, sizeof *o);
	o->stdin_fd = 0;
	o->stdout_fd = 1;
	o->stderr_fd = 2;
	o->sig_proxy = true;
}

/* Read one report; 0 on success, -1 on EOF/short read. */
static int read_report(int fd, struct runtime_report *r)
{
	size_t got = 0;
	while (got < sizeof *r) {
		ssize_t n = read(fd, (char *)r + got, sizeof *r - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		got += (size_t)n;
	}
	return 0;
}

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

static int prepare_rootfs(const struct ctr_store *st, struct ctr_container *c,
                          struct runtime_monitor_args *m, char **rootfs, struct ctr_err *err)
{
	if (runtime_etc_prepare(c, err) < 0)
		return -1;
	*rootfs = ctr_path_join(c->dir, "rootfs");
	if (mkdir(*rootfs, 0755) < 0 && errno != EEXIST)
		return ctr_fail_errno(err, E_IO, errno, "cannot create %s", *rootfs);
	if (c->cfg.rootfs) {
		struct stat sb;
		if (stat(c->cfg.rootfs, &sb) < 0 || !S_ISDIR(sb.st_mode)) {
			ctr_fail(err, E_NOT_FOUND, "rootfs %s of container %s is not a directory",
			         c->cfg.rootfs, c->cfg.name);
			return ctr_hint(err,
			                "recreate the container with an existing --rootfs DIR");
		}
		return 0;
	}
	return runtime_image_layers(st, c, &m->child.lowerdirs, &m->child.upper, &m->child.work,
	                            err);
}

int ctr_container_start(const struct ctr_store *st, struct ctr_container *c,
                        const struct ctr_start_opts *o, int *exit_code, struct ctr_err *err)
{
	struct runtime_monitor_args m;
	struct runtime_report rep;
	struct ctr_cgroup *cg = NULL;
	cleanup_free char *rootfs = NULL;
	struct runtime_bpf bpf;
	uint64_t caps;
	int report[2] = {-1, -1}, aout[2] = {-1, -1}, aerr[2] = {-1, -1};
	int lock, master = -1, ptys[2] = {-1, -1}, rc = -1;
	pid_t mid;
	struct ctr_net_lease lease;
	bool have_lease = false;

	*exit_code = CTR_EXIT_ENGINE;
	memset(&m, 0, sizeof m);
	memset(&bpf, 0, sizeof bpf);
	strbuf_init(&bpf.prog);
	strv_init(&m.child.lowerdirs);
	if (c->state.status == CTR_STATUS_DEAD) {
		ctr_fail(err, E_CONFLICT, "container %s is dead: its state was lost", c->cfg.name);
		return ctr_hint(err, "remove it with: containr rm -f %s", c->cfg.name);
	}
	/* Reconcile first: it takes the lock itself when it must write. */
	ctr_container_reconcile(st, c);
	lock = ctr_store_lock(st, CTR_KIND_CONTAINER, c->id, err);
	if (lock < 0)
		return -1;
	if (ctr_container_reload_state(c, err) < 0)
		goto out;
	if (c->state.status == CTR_STATUS_RUNNING || c->state.status == CTR_STATUS_PAUSED) {
		ctr_fail(err, E_CONFLICT, "container %s is already running", c->cfg.name);
		ctr_hint(err, "stop it first: containr stop %s", c->cfg.name);
		goto out;
	}
	runtime_cgroup_cleanup(c); /* a leftover of a previous run */
	/* The lease first: /etc/hosts (prepare_rootfs) names its address. */
	if (runtime_net_name(&c->cfg)) {
		if (runtime_net_take(st, c, &lease, err) < 0)
			goto out;
		have_lease = true;
		m.lease = &lease;
	}
	if (prepare_rootfs(st, c, &m, &rootfs, err) < 0)
		goto out;
	ctr_explain("cgroup", "resource limits for the container",
	            "create %s/%s memory=%lld swap=%lld cpus=%.2f shares=%lld pids=%lld",
	            c->cfg.cgroup_parent ? c->cfg.cgroup_parent : "containr", c->id,
	            (long long)c->cfg.limits.memory, (long long)c->cfg.limits.memory_swap,
	            c->cfg.limits.cpus, (long long)c->cfg.limits.cpu_shares,
	            (long long)c->cfg.limits.pids_limit);
	if (ctr_cgroup_create(c->cfg.cgroup_parent, c->id, &c->cfg.limits, &cg, err) < 0) {
		if (!runtime_rootless()) {
			ctr_err_wrap(err, "cannot create the cgroup of %s", c->cfg.name);
			goto out;
		}
		/* Rootless without a delegated cgroup: run, but say what is lost. */
		const struct ctr_cgroup_limits *l = &c->cfg.limits;
		if (l->memory || l->memory_swap || l->cpus > 0 || l->cpu_shares || l->pids_limit)
			fprintf(stderr,
			        "containr: warning: the resource limits of %s are NOT applied: "
			        "rootless containers get no cgroup here (cgroup v1 or no "
			        "delegation; containr doctor)\n",
			        c->cfg.name);
		ctr_err_clear(err);
		cg = NULL;
	}
	if (runtime_caps_compute(&c->cfg, &caps, err) < 0 ||
	    runtime_seccomp_prepare(st, c, caps, &bpf, err) < 0)
		goto out;
	if (pipe2(report, O_CLOEXEC) < 0 ||
	    (c->cfg.tty && o->attach &&
	     socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, ptys) < 0) ||
	    (o->attach &&
	     (pipe2(aout, O_CLOEXEC) < 0 || (!c->cfg.tty && pipe2(aerr, O_CLOEXEC) < 0)))) {
		ctr_fail_errno(err, E_RUNTIME, errno, "pipe");
		goto out;
	}

	m.st = st;
	m.c = c;
	m.cg = cg;
	m.lock_fd = lock;
	m.report_fd = report[1];
	m.attach_out = aout[1];
	m.attach_err = aerr[1];
	m.stdin_fd = (!c->cfg.tty && o->stdin_open && o->attach)
	                 ? fcntl(o->stdin_fd, F_DUPFD_CLOEXEC, 3)
	                 : -1;
	m.pty_master = -1; /* the init opens the pty in its own devpts */
	m.pty_cli = ptys[1];
	if (c->cfg.tty) {
		struct winsize ws;
		if (ioctl(o->stdin_fd, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0) {
			m.child.ws_row = ws.ws_row;
			m.child.ws_col = ws.ws_col;
		}
	}
	m.explain_fd = ctr_explain_enabled() ? fcntl(2, F_DUPFD_CLOEXEC, 3) : -1;
	m.child.c = c;
	m.child.st = st;
	m.child.rootfs = rootfs;
	m.child.bpf = &bpf;

	fflush(NULL);
	mid = fork();
	if (mid < 0) {
		ctr_fail_errno(err, E_RUNTIME, errno, "fork");
		goto out;
	}
	if (mid == 0) {
		/* Intermediate: fork the monitor and exit, so it is orphaned. */
		pid_t mon = fork();
		if (mon != 0)
			_exit(mon < 0 ? 1 : 0);
		close(report[0]);
		close(aout[0]);
		close(aerr[0]);
		close(ptys[0]);
		runtime_monitor_main(&m);
	}
	waitpid(mid, NULL, 0);
	close_fd(&report[1]);
	close_fd(&aout[1]);
	close_fd(&aerr[1]);
	close_fd(&ptys[1]);
	close_fd(&m.stdin_fd);
	close_fd(&m.explain_fd);
	ctr_cgroup_free(cg);
	cg = NULL;

	if (read_report(report[0], &rep) < 0) {
		ctr_fail(err, E_RUNTIME, "the monitor of %s exited before starting it",
		         c->cfg.name);
		goto out;
	}
	ctr_unlock(lock);
	lock = -1;
	if (rep.kind == 'E') {
		err->code = (enum ctr_errcode)rep.err_code;
		err->sys_errno = rep.sys_errno;
		snprintf(err->msg, sizeof err->msg, "%s", rep.msg);
		snprintf(err->hint, sizeof err->hint, "%s", rep.hint);
		*exit_code = rep.exit_code;
		goto out;
	}
	ctr_container_reload_state(c, NULL);
	c->state.pid = rep.pid;
	c->state.status = CTR_STATUS_RUNNING;
	if (!o->attach) {
		*exit_code = 0;
		rc = 0;
		goto out;
	}

	/* Attached: relay until the exit report.  With -t the monitor passed
	 * the pty master (from the container's devpts) before 'S'. */
	if (c->cfg.tty) {
		master = runtime_fd_recv(ptys[0]);
		if (master < 0)
			ctr_warn("cannot get the container's terminal: input and resize are off",
			         "id", c->id);
	}
	struct termios saved;
	bool raw = c->cfg.tty && o->stdin_open && runtime_tty_raw(o->stdin_fd, &saved) == 0;
	struct runtime_relay r = {
	    .out_fd = aout[0],
	    .err_fd = aerr[0],
	    .in_fd = (c->cfg.tty && o->stdin_open) ? master : -1,
	    .stdin_fd = o->stdin_fd,
	    .stdout_fd = o->stdout_fd,
	    .stderr_fd = o->stderr_fd,
	    .pty_master = master,
	    .sig_pid = rep.pid,
	    .sig_proxy = o->sig_proxy && !c->cfg.tty,
	};
	aout[0] = aerr[0] = -1; /* the relay closes them */
	runtime_relay_run(&r);
	if (raw)
		runtime_tty_restore(o->stdin_fd, &saved);
	if (read_report(report[0], &rep) == 0 && rep.kind == 'X') {
		*exit_code = rep.status;
	} else {
		/* The monitor died: take what the state says. */
		ctr_container_reconcile(st, c);
		*exit_code = c->state.exit_code;
	}
	rc = 0;
out:
	if (have_lease) {
		if (rc < 0) /* the monitor never ran it: nothing else releases it */
			runtime_net_release(st, c->id);
		ctr_net_lease_release(&lease);
	}
	if (lock >= 0)
		ctr_unlock(lock);
	if (cg) { /* never handed to a monitor */
		struct ctr_err e2;
		ctr_err_clear(&e2);
		ctr_cgroup_destroy(cg, &e2);
		ctr_cgroup_free(cg);
	}
	close_fd(&report[0]);
	close_fd(&report[1]);
	close_fd(&aout[0]);
	close_fd(&aout[1]);
	close_fd(&aerr[0]);
	close_fd(&aerr[1]);
	close_fd(&master);
	close_fd(&ptys[0]);
	close_fd(&ptys[1]);
	if (m.stdin_fd >= 0)
		close(m.stdin_fd);
	if (m.explain_fd >= 0)
		close(m.explain_fd);
	runtime_bpf_release(&bpf);
	strv_release(&m.child.lowerdirs);
	free(m.child.upper);
	free(m.child.work);
	if (rc < 0)
		runtime_start_failed(st, c); /* --rm: nothing stays */
	return rc;
}
