/*
 * monitor.c - the per-container monitor process (conmon's role).
 *
 * Starts as a fork of the CLI (no exec: nothing to serialise, nothing to
 * look up to start the init).  It has no threads and keeps no engine state
 * beyond the container it runs.  It:
 *   - leads its own session, so terminal signals and the CLI's death do
 *     not reach it;
 *   - clones the container init and moves it into the cgroup before the
 *     init continues (go pipe);
 *   - learns whether execve worked (CLOEXEC error pipe) and tells the CLI
 *     (report pipe), then writes state "running";
 *   - execve()s the small static containr-monitor (tools/monitor/), which
 *     copies the init's stdout/stderr (or pty) to ctr.log and to the
 *     attached CLI and waits for the init; without it, does so in-process;
 *   - on exit (here, or in `containr __monitor-exit` which the helper
 *     execs) records ExitCode, FinishedAt, OOMKilled, destroys the cgroup
 *     and applies --rm, then tells the CLI the status.
 * See docs/RUNTIME.md, "Process model".
 */
#include <errno.h>
#include <sched.h>
#include <fcntl.h>
#include <malloc.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "containr/cgroup.h"
#include "containr/log.h"
#include "containr/network.h"
#include "runtime/internal.h"

static void send_report(int fd, const struct runtime_report *r)
{
	if (fd >= 0 && runtime_write_all(fd, r, sizeof *r) < 0)
		ctr_debug("monitor: CLI gone, not reporting", "error", strerror(errno));
}

static void reset_signals(void)
{
	sigset_t none;
	struct sigaction dfl;

	memset(&dfl, 0, sizeof dfl);
	dfl.sa_handler = SIG_DFL;
	for (int s = 1; s < NSIG; s++)
		sigaction(s, &dfl, NULL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
}

/* The monitor's own stdio: /dev/null, so it holds no terminal. */
static void detach_stdio(void)
{
	int fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return;
	for (int i = 0; i < 3; i++)
		dup3(fd, i, 0);
	if (fd > 2)
		close(fd);
}

static int cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

/*
 * Close every inherited fd >= 3 the monitor does not use: it is a fork of
 * whatever process started it (a REPL, the dashboard with its terminal)
 * and may live for days.
 */
static void close_other_fds(const struct runtime_monitor_args *m)
{
	int keep[8] = {m->lock_fd,  m->report_fd, m->attach_out, m->attach_err,
	               m->stdin_fd, m->pty_cli,   m->explain_fd, ctr_log_fd()};
	int from = 3;

	qsort(keep, CTR_ARRAY_SIZE(keep), sizeof keep[0], cmp_int);
	for (size_t i = 0; i < CTR_ARRAY_SIZE(keep); i++) {
		if (keep[i] < from)
			continue;
		if (keep[i] > from)
			syscall(SYS_close_range, (unsigned)from, (unsigned)keep[i] - 1, 0);
		from = keep[i] + 1;
	}
	syscall(SYS_close_range, (unsigned)from, ~0U, 0);
}

struct out_stream {
	int fd;     /* read end, -1 when closed */
	int stream; /* 0 stdout, 1 stderr */
};

/* Copy one read to the log and the attached CLI; false on EOF. */
static bool pump(struct runtime_monitor_args *m, struct runtime_logw *lw, struct out_stream *s)
{
	char buf[32768];
	ssize_t n = read(s->fd, buf, sizeof buf);
	int *att;

	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return true;
	if (n <= 0) { /* EOF, or EIO from a pty whose slave is closed */
		close(s->fd);
		s->fd = -1;
		return false;
	}
	runtime_logw_feed(lw, s->stream, buf, (size_t)n);
	att = s->stream ? &m->attach_err : &m->attach_out;
	if (*att >= 0 && runtime_write_all(*att, buf, (size_t)n) < 0) {
		close(*att); /* the CLI went away: keep logging */
		*att = -1;
	}
	return true;
}

/* Did the kernel OOM-kill something in it?  Read before the cgroup goes. */
static bool read_oom(struct ctr_cgroup *cg)
{
	struct ctr_cgroup_stats cst;
	struct ctr_err e;

	ctr_err_clear(&e);
	memset(&cst, 0, sizeof cst);
	return cg && ctr_cgroup_stats(cg, &cst, &e) == 0 && cst.oom_killed;
}

static void update_exit_state(const struct ctr_store *st, struct ctr_container *c, bool oom,
                              int status)
{
	struct ctr_err e;
	int lock;

	ctr_err_clear(&e);
	lock = ctr_store_lock(st, CTR_KIND_CONTAINER, c->id, &e);
	if (ctr_container_reload_state(c, &e) < 0)
		ctr_warn("monitor: cannot reload state", "id", c->id, "error", e.msg);
	c->state.status = CTR_STATUS_EXITED;
	c->state.exit_code = status;
	c->state.oom_killed = oom;
	c->state.finished_at = ctr_now_ns();
	c->state.pid = 0;
	c->state.monitor_pid = 0;
	c->state.monitor_start = 0;
	if (ctr_container_save_state(c, &e) < 0)
		ctr_warn("monitor: cannot save state", "id", c->id, "error", e.msg);
	if (lock >= 0)
		ctr_unlock(lock);
}

/* Remove the cgroup (empty now) and free it. */
static void destroy_cgroup(const struct ctr_container *c, struct ctr_cgroup *cg)
{
	struct ctr_err e;

	if (!cg)
		return;
	/* PID 1 of the namespace exited: the kernel kills the rest,
	 * which may take a moment to leave the cgroup.  Bounded (5 s): the
	 * exit is recorded after this. */
	int64_t deadline = ctr_mono_ns() + 5000000000LL;
	for (;;) {
		ctr_err_clear(&e);
		if (ctr_cgroup_destroy(cg, &e) == 0)
			break;
		if (ctr_mono_ns() >= deadline) {
			ctr_warn("monitor: cannot remove cgroup", "id", c->id, "error", e.msg);
			break;
		}
		poll(NULL, 0, 20);
	}
	ctr_cgroup_free(cg);
}

/* Apply --rm. */
static void auto_remove(const struct ctr_store *st, const struct ctr_container *c)
{
	struct ctr_err e;

	if (c->cfg.auto_remove) {
		ctr_err_clear(&e);
		if (runtime_remove_files(st, c, true, &e) < 0)
			ctr_warn("monitor: --rm failed", "id", c->id, "error", e.msg);
	}
}

/* The init exited with `status`: record it, clean up, report 'X'. */
__attribute__((noreturn)) static void finish(const struct ctr_store *st, struct ctr_container *c,
                                             struct ctr_cgroup *cg, int status, int report_fd)
{
	struct runtime_report rep;
	char num[16];
	bool oom = read_oom(cg);

	snprintf(num, sizeof num, "%d", status);
	ctr_debug("monitor: container exited", "id", c->id, "status", num);
	/*
	 * The cgroup goes before the exit is recorded: once state.json says
	 * exited, a new `start` may create the same cgroup, which this
	 * monitor must not remove.
	 */
	destroy_cgroup(c, cg);
	/* The lease, nft elements and a surviving veth go before the exit is
	 * recorded, for the same reason: a new start takes a new lease. */
	if (runtime_net_name(&c->cfg))
		runtime_net_release(st, c->id);
	update_exit_state(st, c, oom, status);
	auto_remove(st, c);
	memset(&rep, 0, sizeof rep);
	rep.kind = 'X';
	rep.status = status;
	send_report(report_fd, &rep);
	_exit(0);
}

int ctr_container_monitor_exit(const struct ctr_store *st, const char *id, int status,
                               int report_fd, struct ctr_err *err)
{
	struct ctr_container c;
	struct ctr_cgroup *cg = NULL;
	struct ctr_err e;

	memset(&c, 0, sizeof c);
	if (ctr_container_load_id(st, id, &c, err) < 0) {
		struct runtime_report rep;
		memset(&rep, 0, sizeof rep);
		rep.kind = 'X';
		rep.status = status;
		send_report(report_fd, &rep);
		return -1;
	}
	ctr_err_clear(&e);
	if (c.state.cgroup_path && ctr_cgroup_open(c.state.cgroup_path, &cg, &e) < 0) {
		ctr_warn("monitor: cannot open cgroup", "id", c.id, "error", e.msg);
		cg = NULL;
	}
	finish(st, &c, cg, status, report_fd);
}

static char *engine_exe; /* the CLI binary, for the exit step after the helper */

void ctr_runtime_set_engine_exe(void)
{
	char buf[4096];
	ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);

	free(engine_exe);
	engine_exe = NULL;
	if (n > 0) {
		buf[n] = '\0';
		engine_exe = xstrdup(buf);
	}
}

/*
 * Become containr-monitor (tools/monitor/): the small static program that
 * copies output and waits, so the running container does not keep a copy
 * of the CLI's image.  Looked for next to the engine binary, then in
 * CONTAINR_LIBEXEC_DIR.  Returns only if it cannot (then the caller runs
 * the loop in-process).
 */
static void exec_helper(struct runtime_monitor_args *m, pid_t pid, int logfd, int out_rd,
                        int err_rd)
{
	cleanup_free char *dir = NULL, *helper = NULL;
	cleanup_free char *logpath = ctr_path_join(m->c->dir, "ctr.log");
	char num[7][16], maxsize[24], maxfile[16];
	bool cri = m->c->cfg.log_driver && strcmp(m->c->cfg.log_driver, "k8s-file") == 0;
	int fds[6] = {logfd, out_rd, err_rd, m->attach_out, m->attach_err, m->report_fd};
	char *slash;

	siginfo_t si;

	if (!engine_exe)
		return; /* not the CLI (unit tests): keep the loop in-process */
	/* Already exited (run --rm /bin/true): two execs would only add time. */
	memset(&si, 0, sizeof si);
	if (waitid(P_PID, (id_t)pid, &si, WEXITED | WNOHANG | WNOWAIT) == 0 && si.si_pid == pid)
		return;
	dir = xstrdup(engine_exe);
	slash = strrchr(dir, '/');
	if (slash)
		*slash = '\0';
	helper = ctr_path_join(dir, "containr-monitor");
	if (access(helper, X_OK) < 0) {
		free(helper);
		helper = ctr_path_join(CONTAINR_LIBEXEC_DIR, "containr-monitor");
		if (access(helper, X_OK) < 0)
			return;
	}
	snprintf(num[0], sizeof num[0], "%d", (int)pid);
	for (int i = 0; i < 6; i++) {
		if (fds[i] >= 0)
			fcntl(fds[i], F_SETFD, 0); /* these cross the execve */
		snprintf(num[i + 1], sizeof num[i + 1], "%d", fds[i]);
	}
	snprintf(maxsize, sizeof maxsize, "%lld", (long long)m->c->cfg.log_max_size);
	snprintf(maxfile, sizeof maxfile, "%d", m->c->cfg.log_max_file);
	char *const argv[] = {helper, engine_exe, m->st->root, m->c->id, num[0],
	                      num[1], num[2],     num[3],      num[4],   num[5],
	                      num[6], logpath,    maxsize,     maxfile,  cri ? "k8s" : "json",
	                      NULL};
	ctr_debug("monitor: exec helper", "path", helper);
	execv(helper, argv);
	ctr_debug("monitor: cannot exec helper, copying in-process", "path", helper, "error",
	          strerror(errno));
	for (int i = 0; i < 6; i++)
		if (fds[i] >= 0)
			fcntl(fds[i], F_SETFD, FD_CLOEXEC);
}

/* Start failed: record it like Docker (status stays "created"), clean up, tell the CLI. */
__attribute__((noreturn)) static void fail_start(struct runtime_monitor_args *m,
                                                 const struct ctr_err *e, int exit_code)
{
	struct ctr_container *c = m->c;
	struct runtime_report rep;
	struct ctr_err e2;

	c->state.status = CTR_STATUS_CREATED;
	c->state.exit_code = exit_code;
	c->state.pid = 0;
	c->state.monitor_pid = 0;
	free(c->state.error);
	c->state.error = xstrdup(e->msg);
	ctr_err_clear(&e2);
	if (ctr_container_save_state(c, &e2) < 0)
		ctr_warn("monitor: cannot save state", "id", c->id, "error", e2.msg);
	close(m->lock_fd);
	close(m->attach_out);
	close(m->attach_err);
	m->attach_out = m->attach_err = -1;
	destroy_cgroup(m->c, m->cg);
	m->cg = NULL;
	auto_remove(m->st, m->c);
	memset(&rep, 0, sizeof rep);
	rep.kind = 'E';
	rep.exit_code = exit_code;
	rep.err_code = (int)e->code;
	rep.sys_errno = e->sys_errno;
	snprintf(rep.msg, sizeof rep.msg, "%s", e->msg);
	snprintf(rep.hint, sizeof rep.hint, "%s", e->hint);
	send_report(m->report_fd, &rep);
	_exit(0);
}

static void mark_running(struct runtime_monitor_args *m, pid_t pid)
{
	struct ctr_container *c = m->c;
	struct ctr_err e;

	ctr_err_clear(&e);
	c->state.status = CTR_STATUS_RUNNING;
	c->state.pid = pid;
	c->state.monitor_pid = getpid();
	c->state.monitor_start = ctr_pid_starttime(getpid());
	c->state.exit_code = 0;
	c->state.oom_killed = false;
	c->state.started_at = ctr_now_ns();
	c->state.finished_at = 0;
	free(c->state.error);
	c->state.error = NULL;
	free(c->state.cgroup_path);
	c->state.cgroup_path = m->cg ? xstrdup(ctr_cgroup_path(m->cg)) : NULL;
	if (ctr_container_save_state(c, &e) < 0)
		ctr_warn("monitor: cannot save state", "id", c->id, "error", e.msg);
	close(m->lock_fd); /* the lock was inherited from the CLI */
	m->lock_fd = -1;
}

/* Copy output until the init exits (and a short drain after). */
static int copy_output(struct runtime_monitor_args *m, pid_t pid, int sfd, int logfd, int out_rd,
                       int err_rd)
{
	struct runtime_logw lw;
	struct out_stream streams[2] = {{out_rd, 0}, {err_rd, 1}};
	bool exited = false;
	int64_t drain_deadline = 0;
	int status = 0;

	cleanup_free char *logpath = ctr_path_join(m->c->dir, "ctr.log");

	runtime_logw_init(&lw, logfd);
	runtime_logw_rotate(&lw, logpath, m->c->cfg.log_max_size, m->c->cfg.log_max_file);
	lw.cri = m->c->cfg.log_driver && strcmp(m->c->cfg.log_driver, "k8s-file") == 0;
	while (streams[0].fd >= 0 || streams[1].fd >= 0) {
		struct pollfd pf[3];
		int np = 0, idx[2] = {-1, -1}, timeout = -1;
		for (int i = 0; i < 2; i++)
			if (streams[i].fd >= 0) {
				idx[i] = np;
				pf[np++] = (struct pollfd){streams[i].fd, POLLIN, 0};
			}
		pf[np++] = (struct pollfd){sfd, POLLIN, 0};
		if (exited) {
			int64_t left = (drain_deadline - ctr_mono_ns()) / 1000000;
			if (left <= 0)
				break;
			timeout = (int)left;
		}
		if (poll(pf, (nfds_t)np, timeout) < 0 && errno != EINTR)
			break;
		for (int i = 0; i < 2; i++)
			if (idx[i] >= 0 && pf[idx[i]].revents)
				pump(m, &lw, &streams[i]);
		if (!exited) {
			struct signalfd_siginfo si;
			while (read(sfd, &si, sizeof si) > 0) {
			}
			if (waitpid(pid, &status, WNOHANG) == pid) {
				exited = true;
				/* The rest of the pid namespace died with its
				 * init: the pipes close now.  Drain briefly. */
				drain_deadline = ctr_mono_ns() + 2000000000LL;
			}
		}
	}
	for (int i = 0; i < 2; i++)
		if (streams[i].fd >= 0)
			close(streams[i].fd);
	if (!exited)
		waitpid(pid, &status, 0);
	runtime_logw_flush(&lw);
	runtime_logw_release(&lw);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

void runtime_monitor_main(struct runtime_monitor_args *m)
{
	struct ctr_container *c = m->c;
	struct runtime_child *ch = &m->child;
	struct runtime_child_error cerr;
	struct runtime_report rep;
	int outp[2] = {-1, -1}, errp[2] = {-1, -1}, ptys[2] = {-1, -1}, usock[2] = {-1, -1}, gop[2],
	    errpipe[2], sfd, logfd, status;
	const bool tty = c->cfg.tty;
	sigset_t chld;
	struct ctr_err e;
	cleanup_free char *logpath = ctr_path_join(c->dir, "ctr.log");
	pid_t pid;
	ssize_t n;
	FILE *explain_f = NULL;

	ctr_err_clear(&e);
	setsid();
	prctl(PR_SET_NAME, "containr-mon", 0, 0, 0);
	close_other_fds(m);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	signal(SIGINT, SIG_IGN);
	signal(SIGQUIT, SIG_IGN);
	signal(SIGTSTP, SIG_IGN);
	signal(SIGTTOU, SIG_IGN);
	signal(SIGTTIN, SIG_IGN);
	if (m->explain_fd >= 0) {
		explain_f = fdopen(dup(m->explain_fd), "w");
		if (explain_f)
			ctr_explain_set_stream(explain_f);
	}
	/* --log-driver none: no ctr.log at all (`logs` then says so). */
	logfd = ctr_log_driver_none(&c->cfg)
	            ? -1
	            : open(logpath, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (pipe2(gop, O_CLOEXEC) < 0 || pipe2(errpipe, O_CLOEXEC) < 0 ||
	    (!tty && (pipe2(outp, O_CLOEXEC) < 0 || pipe2(errp, O_CLOEXEC) < 0)) ||
	    (tty && socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, ptys) < 0) ||
	    (runtime_userns_enabled(&c->cfg) &&
	     socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, usock) < 0)) {
		ctr_fail_errno(&e, E_RUNTIME, errno, "monitor: pipe");
		fail_start(m, &e, CTR_EXIT_ENGINE);
	}
	if (m->stdin_fd < 0)
		m->stdin_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	ch->go_fd = gop[0];
	ch->err_fd = errpipe[1];
	ch->explain_fd = m->explain_fd;
	ch->pty_sock = -1;
	ch->userns_sock = usock[1];
	ch->rootless = runtime_rootless();
	if (tty) {
		ch->stdio[0] = ch->stdio[1] = ch->stdio[2] = -1;
		ch->tty = true;
		ch->pty_sock = ptys[1]; /* the init opens the pty, sends us the master */
	} else {
		ch->stdio[0] = m->stdin_fd;
		ch->stdio[1] = outp[1];
		ch->stdio[2] = errp[1];
	}

	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, NULL);
	sfd = signalfd(-1, &chld, SFD_CLOEXEC | SFD_NONBLOCK);

	ctr_explain("clone", "new namespaces: mount, pid, uts, ipc, net (unless --network host)",
	            "flags=0x%x (NEWNS|NEWPID|NEWUTS|NEWIPC%s%s)", runtime_clone_flags(&c->cfg),
	            runtime_clone_flags(&c->cfg) & CLONE_NEWNET ? "|NEWNET" : "",
	            runtime_clone_flags(&c->cfg) & CLONE_NEWUSER ? "|NEWUSER" : "");
	pid = (pid_t)syscall(SYS_clone, runtime_clone_flags(&c->cfg) | SIGCHLD, NULL, NULL, NULL,
	                     NULL);
	if (pid < 0) {
		ctr_fail_errno(&e, E_RUNTIME, errno, "clone");
		fail_start(m, &e, CTR_EXIT_ENGINE);
	}
	if (pid == 0) {
		reset_signals();
		close(gop[1]);
		close(errpipe[0]);
		close(outp[0]);
		close(errp[0]);
		close(m->report_fd);
		close(m->attach_out);
		close(m->attach_err);
		close(m->lock_fd);
		close(m->pty_cli);
		close(ptys[0]);
		close(usock[0]);
		close(logfd);
		close(sfd);
		runtime_child_main(ch);
	}
	close(gop[0]);
	close(errpipe[1]);
	close(outp[1]);
	close(errp[1]);
	close(ptys[1]);
	close(usock[1]);
	if (m->stdin_fd > 2)
		close(m->stdin_fd);
	detach_stdio();

	if (m->cg) {
		ctr_explain("cgroup", "limits apply before the init runs anything",
		            "add pid %d to %s", (int)pid, ctr_cgroup_path(m->cg));
		if (ctr_cgroup_add_pid(m->cg, pid, &e) < 0) {
			kill(pid, SIGKILL);
			waitpid(pid, NULL, 0);
			fail_start(m, &e, CTR_EXIT_ENGINE);
		}
	}
	if (runtime_userns_enabled(&c->cfg) &&
	    (runtime_userns_write_maps(&c->cfg, pid, &e) < 0 ||
	     (!runtime_rootless() && runtime_userns_mount_helper(ch, pid, usock[0], &e) < 0))) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		fail_start(m, &e, CTR_EXIT_ENGINE);
	}
	close(usock[0]);
	if (m->lease && ctr_net_attach(m->st, m->lease, pid, &e) < 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		fail_start(m, &e, CTR_EXIT_ENGINE);
	}
	if (write(gop[1], "g", 1) != 1) {
		ctr_fail_errno(&e, E_RUNTIME, errno, "monitor: cannot release the init");
		fail_start(m, &e, CTR_EXIT_ENGINE);
	}
	close(gop[1]);
	do
		n = read(errpipe[0], &cerr, sizeof cerr);
	while (n < 0 && errno == EINTR);
	close(errpipe[0]);
	if (n > 0) {
		waitpid(pid, NULL, 0);
		ctr_err_clear(&e);
		if (n == (ssize_t)sizeof cerr) {
			e.code = (enum ctr_errcode)cerr.code;
			e.sys_errno = cerr.sys_errno;
			snprintf(e.msg, sizeof e.msg, "%s", cerr.msg);
			snprintf(e.hint, sizeof e.hint, "%s", cerr.hint);
		} else {
			ctr_fail(&e, E_RUNTIME, "container init failed (short error report)");
			cerr.exit_code = CTR_EXIT_ENGINE;
		}
		fail_start(m, &e, cerr.exit_code);
	}

	if (tty) {
		/* The init queued the master before its execve. */
		m->pty_master = runtime_fd_recv(ptys[0]);
		close(ptys[0]);
		if (m->pty_master < 0) {
			kill(pid, SIGKILL);
			waitpid(pid, NULL, 0);
			ctr_fail(&e, E_RUNTIME, "monitor: the init did not pass its pty");
			fail_start(m, &e, CTR_EXIT_ENGINE);
		}
		/* The attached CLI writes our stdin and resizes: it needs it too. */
		if (m->pty_cli >= 0 && runtime_fd_send(m->pty_cli, m->pty_master) < 0)
			ctr_debug("monitor: cannot pass the pty to the CLI", "error",
			          strerror(errno));
		if (m->pty_cli >= 0)
			close(m->pty_cli);
		m->pty_cli = -1;
	}
	mark_running(m, pid);
	memset(&rep, 0, sizeof rep);
	rep.kind = 'S';
	rep.pid = pid;
	send_report(m->report_fd, &rep);
	/*
	 * Detached: the CLI has gone, so keep none of its fds.  Its stderr
	 * (where explain lines go) may be a pipe that someone reads to EOF,
	 * as in id=$(containr --explain run -d ... 2>&1), which would
	 * otherwise hang until the container exits.
	 */
	if (m->attach_out < 0 && m->attach_err < 0 && m->explain_fd >= 0) {
		ctr_explain_set(false);
		ctr_explain_set_stream(NULL);
		if (explain_f)
			fclose(explain_f);
		explain_f = NULL;
		close(m->explain_fd);
		m->explain_fd = -1;
	}
	if (m->pty_master >= 0)
		exec_helper(m, pid, logfd, m->pty_master, -1);
	else
		exec_helper(m, pid, logfd, outp[0], errp[0]);
	malloc_trim(0);

	if (m->pty_master >= 0)
		status = copy_output(m, pid, sfd, logfd, m->pty_master, -1);
	else
		status = copy_output(m, pid, sfd, logfd, outp[0], errp[0]);
	close(logfd);
	close(m->attach_out);
	close(m->attach_err);
	m->attach_out = m->attach_err = -1;
	finish(m->st, m->c, m->cg, status, m->report_fd);
}
