/*
 * exec.c - running another process in a running container.
 *
 *   CLI ──fork──► A: join the container's cgroup, setns() into its
 *                    cgroup/ipc/uts/net/pid/mnt namespaces
 *                    ──fork──► B (now inside the pid namespace): stdio or
 *                              pty (from the container's devpts, opened by
 *                              the CLI through /proc/PID/root), user,
 *                              rlimits, capabilities, seccomp,
 *                              execve
 * A is needed because setns(CLONE_NEWPID) only applies to children.  A
 * waits for B and exits with its status (forwarding signals); with -d
 * A exits at once and B is adopted by the container's init.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <linux/close_range.h>
#include <termios.h>
#include <unistd.h>

#include "containr/cgroup.h"
#include "containr/log.h"
#include "runtime/internal.h"

static const struct {
	const char *name;
	int type;
} namespaces[] = {
    /* user first: it owns the others, and joining it grants the rights to enter them */
    {"user", CLONE_NEWUSER}, {"cgroup", CLONE_NEWCGROUP}, {"ipc", CLONE_NEWIPC},
    {"uts", CLONE_NEWUTS},   {"net", CLONE_NEWNET},       {"pid", CLONE_NEWPID},
    {"mnt", CLONE_NEWNS},
};
#define NNS (sizeof namespaces / sizeof namespaces[0])

static volatile pid_t forward_to;

static void forward_signal(int sig)
{
	if (forward_to > 0)
		kill(forward_to, sig);
}

static const int forwarded[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2};

static void set_forwarding(pid_t pid, struct sigaction *old)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = forward_signal;
	sa.sa_flags = SA_RESTART;
	forward_to = pid;
	for (size_t i = 0; i < CTR_ARRAY_SIZE(forwarded); i++)
		sigaction(forwarded[i], &sa, old ? &old[i] : NULL);
}

static void restore_forwarding(struct sigaction *old)
{
	forward_to = 0;
	for (size_t i = 0; i < CTR_ARRAY_SIZE(forwarded); i++)
		sigaction(forwarded[i], &old[i], NULL);
}

/* B: the process that becomes the command.  Never returns. */
__attribute__((noreturn)) static void exec_child(const struct ctr_container *c,
                                                 const struct ctr_exec_opts *o,
                                                 const struct runtime_bpf *prof, int slave,
                                                 int err_fd)
{
	struct ctr_container_config cfg = c->cfg; /* shallow: only read */
	struct runtime_user user;
	struct ctr_err err;
	struct strv env, argv;
	uint64_t caps;
	char hostname[65] = "";
	int exit_code = CTR_EXIT_ENGINE;

	ctr_err_clear(&err);
	setsid();
	if (slave >= 0) {
		ioctl(slave, TIOCSCTTY, 0);
		for (int i = 0; i < 3; i++)
			dup2(slave, i);
		if (slave > 2)
			close(slave);
	} else if (!o->interactive || o->detach) {
		int nul = open("/dev/null", O_RDONLY);
		if (nul >= 0) {
			dup2(nul, 0);
			if (nul > 0)
				close(nul);
		}
	}
	if (o->detach) {
		int nul = open("/dev/null", O_WRONLY);
		if (nul >= 0) {
			dup2(nul, 1);
			dup2(nul, 2);
			if (nul > 2)
				close(nul);
		}
	}
	if (o->privileged)
		cfg.privileged = true;
	gethostname(hostname, sizeof hostname - 1);
	if (runtime_apply_rlimits(&cfg, &err) < 0 ||
	    runtime_user_resolve(o->user ? o->user : cfg.user, &user, &err) < 0)
		runtime_child_fail(err_fd, CTR_EXIT_ENGINE, &err);
	/* The user owns its terminal, as after login (sudo, ssh-keygen). */
	if (slave >= 0 && user.uid != 0 && fchown(0, user.uid, (gid_t)-1) < 0)
		ctr_debug("cannot give the tty to the user", "error", strerror(errno));
	const char *wd = o->workdir ? o->workdir : (cfg.workdir ? cfg.workdir : "/");
	ctr_explain("chdir", "exec working directory", "%s", wd);
	if (chdir(wd) < 0) {
		ctr_fail_errno(&err, E_RUNTIME, errno, "chdir to %s", wd);
		runtime_child_fail(err_fd, CTR_EXIT_NOEXEC, &err);
	}
	if (runtime_caps_compute(&cfg, &caps, &err) < 0 ||
	    runtime_apply_identity(&user, caps, cfg.no_new_privs || !cfg.privileged, &err) < 0)
		runtime_child_fail(err_fd, CTR_EXIT_ENGINE, &err);
	(void)caps; /* the filter was compiled for the same set before fork */
	if (runtime_seccomp_apply(prof, &err) < 0)
		runtime_child_fail(err_fd, CTR_EXIT_ENGINE, &err);
	runtime_build_env(&cfg, hostname, &user, &o->env, o->tty, &env);
	strv_init(&argv);
	for (size_t i = 0; i < o->argv.n; i++)
		strv_push(&argv, o->argv.v[i]);
	/* No fd of the engine leaks into the container. */
	syscall(SYS_close_range, 3, ~0U, CLOSE_RANGE_CLOEXEC);
	runtime_execve(argv.v, env.v, &exit_code, &err);
	runtime_child_fail(err_fd, exit_code, &err);
}

/*
 * -t: a pty from the container's own devpts instance, opened through its
 * init's root (/proc/PID/root/dev/pts/ptmx, resolved inside that root),
 * so inside it is /dev/pts/N: `tty`, sudo, ssh-keygen, script work.  The
 * slave comes from TIOCGPTPEER; the window size is ours.
 */
static int exec_pty(const struct ctr_container *c, int *master, int *slave, struct ctr_err *err)
{
	char root[64];
	struct winsize ws;
	unsigned n;
	int dfd, r;

	snprintf(root, sizeof root, "/proc/%d/root", (int)c->state.pid);
	dfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return ctr_fail_errno(err, E_RUNTIME, errno, "cannot open %s", root);
	memset(&ws, 0, sizeof ws);
	if (ioctl(0, TIOCGWINSZ, &ws) < 0)
		memset(&ws, 0, sizeof ws);
	r = runtime_pty_open_at(dfd, "dev/pts/ptmx", &ws, master, slave, &n, err);
	close(dfd);
	return r;
}

/* A: join the container, fork B, wait for it.  Never returns. */
__attribute__((noreturn)) static void exec_joiner(const struct ctr_container *c,
                                                  const struct ctr_exec_opts *o,
                                                  const struct runtime_bpf *prof, int *nsfd,
                                                  int slave, int err_fd)
{
	struct ctr_err err;
	pid_t b;
	int status;

	ctr_err_clear(&err);
	prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
	if (c->state.cgroup_path) {
		struct ctr_cgroup *cg = NULL;
		ctr_explain("cgroup", "exec'd processes count against the container's limits",
		            "join %s", c->state.cgroup_path);
		if (ctr_cgroup_open(c->state.cgroup_path, &cg, &err) < 0 ||
		    ctr_cgroup_add_pid(cg, getpid(), &err) < 0)
			runtime_child_fail(err_fd, CTR_EXIT_ENGINE, &err);
		ctr_cgroup_free(cg);
	}
	for (size_t i = 0; i < NNS; i++) {
		if (nsfd[i] < 0)
			continue;
		ctr_explain("setns", "enter the container's namespace", "/proc/%d/ns/%s",
		            (int)c->state.pid, namespaces[i].name);
		if (setns(nsfd[i], namespaces[i].type) < 0) {
			ctr_fail_errno(&err, E_RUNTIME, errno, "setns %s", namespaces[i].name);
			runtime_child_fail(err_fd, CTR_EXIT_ENGINE, &err);
		}
		close(nsfd[i]);
	}
	ctr_explain("fork", "setns(pid) applies to children: fork into the pid namespace", "%s",
	            "");
	b = fork();
	if (b < 0) {
		ctr_fail_errno(&err, E_RUNTIME, errno, "fork");
		runtime_child_fail(err_fd, CTR_EXIT_ENGINE, &err);
	}
	if (b == 0) {
		struct sigaction dfl;
		memset(&dfl, 0, sizeof dfl);
		dfl.sa_handler = SIG_DFL;
		for (int s = 1; s < NSIG; s++)
			sigaction(s, &dfl, NULL);
		exec_child(c, o, prof, slave, err_fd);
	}
	close(err_fd);
	if (slave >= 0)
		close(slave);
	if (o->detach)
		_exit(0);
	set_forwarding(b, NULL);
	while (waitpid(b, &status, 0) < 0 && errno == EINTR) {
	}
	_exit(WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
}

int ctr_container_exec(const struct ctr_store *st, struct ctr_container *c,
                       const struct ctr_exec_opts *o, int *exit_code, struct ctr_err *err)
{
	int nsfd[NNS], errp[2] = {-1, -1}, master = -1, slave = -1, status = 0, rc = -1;
	struct runtime_child_error cerr;
	struct sigaction old[CTR_ARRAY_SIZE(forwarded)];
	struct runtime_bpf prof;
	pid_t a;
	ssize_t n;

	*exit_code = CTR_EXIT_ENGINE;
	memset(&prof, 0, sizeof prof);
	strbuf_init(&prof.prog);
	for (size_t i = 0; i < NNS; i++)
		nsfd[i] = -1;
	ctr_container_reconcile(st, c);
	if (c->state.status == CTR_STATUS_PAUSED) {
		ctr_fail(err, E_CONFLICT, "container %s is paused", c->cfg.name);
		return ctr_hint(err, "unpause the container before exec");
	}
	if (c->state.status != CTR_STATUS_RUNNING || c->state.pid <= 0) {
		ctr_fail(err, E_CONFLICT, "container %s is not running", c->cfg.name);
		return ctr_hint(err, "start it first: containr start %s", c->cfg.name);
	}
	if (o->argv.n == 0)
		return ctr_fail(err, E_USAGE, "exec needs a command");
	{
		struct ctr_container_config cfg =
		    c->cfg; /* shallow: --privileged changes the set */
		uint64_t caps;
		cfg.privileged = cfg.privileged || o->privileged;
		if (runtime_caps_compute(&cfg, &caps, err) < 0 ||
		    runtime_seccomp_prepare(st, c, caps, &prof, err) < 0) {
			runtime_bpf_release(&prof);
			return -1;
		}
	}
	for (size_t i = 0; i < NNS; i++) {
		char path[64];
		snprintf(path, sizeof path, "/proc/%d/ns/%s", (int)c->state.pid,
		         namespaces[i].name);
		if (namespaces[i].type == CLONE_NEWNET && runtime_host_network(&c->cfg))
			continue;
		if (namespaces[i].type == CLONE_NEWUSER && !runtime_userns_enabled(&c->cfg))
			continue;
		nsfd[i] = open(path, O_RDONLY | O_CLOEXEC);
		if (nsfd[i] < 0) {
			ctr_fail_errno(err, E_RUNTIME, errno, "cannot open %s", path);
			goto out;
		}
	}
	if (o->tty && !o->detach && exec_pty(c, &master, &slave, err) < 0)
		goto out;
	if (pipe2(errp, O_CLOEXEC) < 0) {
		ctr_fail_errno(err, E_RUNTIME, errno, "pipe");
		goto out;
	}
	fflush(NULL);
	a = fork();
	if (a < 0) {
		ctr_fail_errno(err, E_RUNTIME, errno, "fork");
		goto out;
	}
	if (a == 0) {
		close(errp[0]);
		if (master >= 0)
			close(master);
		exec_joiner(c, o, &prof, nsfd, slave, errp[1]);
	}
	close(errp[1]);
	errp[1] = -1;
	if (slave >= 0) {
		close(slave);
		slave = -1;
	}
	do
		n = read(errp[0], &cerr, sizeof cerr);
	while (n < 0 && errno == EINTR);
	if (n == (ssize_t)sizeof cerr) {
		waitpid(a, NULL, 0);
		err->code = (enum ctr_errcode)cerr.code;
		err->sys_errno = cerr.sys_errno;
		snprintf(err->msg, sizeof err->msg, "%s", cerr.msg);
		snprintf(err->hint, sizeof err->hint, "%s", cerr.hint);
		*exit_code = cerr.exit_code;
		goto out;
	}
	if (o->detach) {
		waitpid(a, NULL, 0);
		*exit_code = 0;
		rc = 0;
		goto out;
	}
	set_forwarding(a, old);
	if (master >= 0) {
		struct termios saved;
		bool raw = o->interactive && runtime_tty_raw(0, &saved) == 0;
		struct runtime_relay r = {
		    .out_fd = fcntl(master, F_DUPFD_CLOEXEC, 3),
		    .err_fd = -1,
		    .in_fd = o->interactive ? master : -1,
		    .stdin_fd = 0,
		    .stdout_fd = 1,
		    .stderr_fd = 2,
		    .pty_master = master,
		    .sig_pid = a,
		    .sig_proxy = false,
		};
		runtime_relay_run(&r);
		if (raw)
			runtime_tty_restore(0, &saved);
	}
	while (waitpid(a, &status, 0) < 0 && errno == EINTR) {
	}
	restore_forwarding(old);
	*exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	rc = 0;
out:
	for (size_t i = 0; i < NNS; i++)
		if (nsfd[i] >= 0)
			close(nsfd[i]);
	if (errp[0] >= 0)
		close(errp[0]);
	if (errp[1] >= 0)
		close(errp[1]);
	if (master >= 0)
		close(master);
	if (slave >= 0)
		close(slave);
	runtime_bpf_release(&prof);
	return rc;
}
