/*
 * containr-monitor.c - the small program a container's monitor becomes
 * once the container runs (see docs/RUNTIME.md, "Process model").
 *
 * The engine's monitor (a fork of the CLI) clones the init, reports 'S'
 * and then execve()s this static, libc-only program, so that a running
 * container costs a few pages instead of a copy of the whole CLI image
 * (libcurl, OpenSSL, ncurses...).  The PID stays the same, and so does
 * its start time in /proc/PID/stat: reconciliation keeps working.
 *
 *   containr-monitor ENGINE ROOT ID PID LOGFD OUTFD ERRFD ATTOUT ATTERR REPORTFD
 *                    [LOGPATH MAXSIZE MAXFILE FORMAT]
 *
 * It copies OUTFD/ERRFD (or a pty master as OUTFD, ERRFD -1) to LOGFD as
 * ctr.log entries (src/lib/ctrlog.h: the encoder, ctrlog_write.c, is
 * linked in, libc only, so this writes what src/runtime/logs.c writes),
 * rotating LOGPATH past MAXSIZE bytes and keeping MAXFILE files (--log-opt
 * max-size/max-file; MAXSIZE 0 never rotates; LOGFD -1: --log-driver none)
 * in FORMAT "json" (json-file) or "k8s" (k8s-file),
 * and to the attached CLI's
 * pipes ATTOUT/ATTERR (-1 if none); it waits for the init PID (its child,
 * inherited across execve) and then execve()s the engine:
 *   ENGINE --root ROOT __monitor-exit ID STATUS REPORTFD
 * which records the exit, cleans up (cgroup, --rm) and reports 'X'.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lib/ctrlog.h"

#define READ_MAX 16384

struct stream {
	int fd;     /* read end, -1 when closed */
	int *att;   /* attached CLI's write end (-1 if none) */
	int stream; /* 0 stdout, 1 stderr */
	size_t len; /* pending bytes (no newline yet) */
	char pending[CTR_LOGLINE_MAX + READ_MAX];
};

static struct ctr_logfile logf = {.fd = -1};
static bool cri; /* k8s-file lines instead of JSON */
/* One entry: at most CTR_LOGLINE_MAX bytes (ctr_logline_cut), escaped. */
static char line_buf[CTR_LOGLINE_ENCODED_LEN(CTR_LOGLINE_MAX)];

static int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	while (len) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int64_t mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void emit(int stream, const char *data, size_t len)
{
	struct timespec ts;

	if (logf.fd < 0)
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	int64_t t = (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
	ctr_logfile_write(&logf, line_buf,
	                  cri ? ctr_logline_encode_cri(line_buf, t, stream, data, len)
	                      : ctr_logline_encode(line_buf, t, stream, data, len));
}

/* Cut pending data into entries (at '\n' or 16 KiB), as runtime_logw_feed(). */
static void feed(struct stream *s)
{
	size_t off = 0;
	for (;;) {
		size_t n = ctr_logline_cut(s->pending + off, s->len - off);
		if (!n)
			break;
		emit(s->stream, s->pending + off, n);
		off += n;
	}
	memmove(s->pending, s->pending + off, s->len - off);
	s->len -= off;
}

static void flush(struct stream *s)
{
	if (s->len)
		emit(s->stream, s->pending, s->len);
	s->len = 0;
}

/* One read: log it and copy it to the attached CLI. */
static void pump(struct stream *s)
{
	ssize_t n = read(s->fd, s->pending + s->len, READ_MAX);

	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	if (n <= 0) { /* EOF, or EIO from a pty whose slave is closed */
		close(s->fd);
		s->fd = -1;
		return;
	}
	if (*s->att >= 0 && write_all(*s->att, s->pending + s->len, (size_t)n) < 0) {
		close(*s->att); /* the CLI went away: keep logging */
		*s->att = -1;
	}
	s->len += (size_t)n;
	feed(s);
}

static struct stream streams[2];

/* A decimal number (no strtoull: it would pull in musl's number scanner). */
static uint64_t decimal(const char *s)
{
	uint64_t v = 0;
	while (*s >= '0' && *s <= '9')
		v = v * 10 + (uint64_t)(*s++ - '0');
	return v;
}

int main(int argc, char **argv)
{
	int att[2], report_fd, sfd, status = 0;
	bool exited = false;
	int64_t drain_deadline = 0;
	sigset_t chld;
	pid_t pid;
	char st[16], rep[16];

	if (argc != 11 && argc != 15) {
		fprintf(stderr,
		        "containr-monitor: internal helper of containr, not for direct use\n");
		return 2;
	}
	pid = (pid_t)atoi(argv[4]);
	cri = argc == 15 && strcmp(argv[14], "k8s") == 0;
	if (argc == 15)
		ctr_logfile_init(&logf, atoi(argv[5]), argv[11], decimal(argv[12]),
		                 (int)decimal(argv[13]));
	else
		ctr_logfile_init(&logf, atoi(argv[5]), NULL, 0, 1);
	streams[0].fd = atoi(argv[6]);
	streams[1].fd = atoi(argv[7]);
	att[0] = atoi(argv[8]);
	att[1] = atoi(argv[9]);
	report_fd = atoi(argv[10]);
	for (int i = 0; i < 2; i++) {
		streams[i].att = &att[i];
		streams[i].stream = i;
	}
	/* SIGCHLD stays blocked across execve; a pending one stays pending. */
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, NULL);
	sfd = signalfd(-1, &chld, SFD_CLOEXEC | SFD_NONBLOCK);
	signal(SIGPIPE, SIG_IGN);

	while (streams[0].fd >= 0 || streams[1].fd >= 0) {
		struct pollfd pf[3];
		int np = 0, idx[2] = {-1, -1}, timeout = -1;
		for (int i = 0; i < 2; i++)
			if (streams[i].fd >= 0) {
				idx[i] = np;
				pf[np++] = (struct pollfd){streams[i].fd, POLLIN, 0};
			}
		if (sfd >= 0)
			pf[np++] = (struct pollfd){sfd, POLLIN, 0};
		else if (!exited)
			timeout = 100; /* no signalfd: poll waitpid */
		if (exited) {
			int64_t left = (drain_deadline - mono_ns()) / 1000000;
			if (left <= 0)
				break;
			timeout = (int)left;
		}
		if (poll(pf, (nfds_t)np, timeout) < 0 && errno != EINTR)
			break;
		for (int i = 0; i < 2; i++)
			if (idx[i] >= 0 && pf[idx[i]].revents)
				pump(&streams[i]);
		if (!exited) {
			struct signalfd_siginfo si;
			while (sfd >= 0 && read(sfd, &si, sizeof si) > 0) {
			}
			if (waitpid(pid, &status, WNOHANG) == pid) {
				exited = true;
				/* The rest of the pid namespace died with its
				 * init: the pipes close now.  Drain briefly. */
				drain_deadline = mono_ns() + 2000000000LL;
			}
		}
	}
	for (int i = 0; i < 2; i++) {
		if (streams[i].fd >= 0)
			close(streams[i].fd);
		flush(&streams[i]);
		if (att[i] >= 0)
			close(att[i]);
	}
	if (!exited)
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
		}
	if (logf.fd >= 0)
		close(logf.fd);
	status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);

	snprintf(st, sizeof st, "%d", status);
	snprintf(rep, sizeof rep, "%d", report_fd);
	char *const eargv[] = {argv[1], "--root", argv[2], "__monitor-exit",
	                       argv[3], st,       rep,     NULL};
	execv(argv[1], eargv);
	/* The engine is gone (upgraded away?): reconciliation will record an
	 * unknown exit; the attached CLI still learns nothing better than EOF. */
	return 1;
}
