/*
 * tty.c - terminals and the attached relay.
 *
 * `run -it` and `exec -it` give the container a pty slave as controlling
 * terminal, allocated from the container's own devpts instance (its
 * /dev/pts/ptmx), so the container can name it (/dev/pts/N, `tty`); the
 * caller's terminal is put in raw mode and bytes are copied both ways.
 * SIGWINCH resizes the pty.  The master travels between processes as an
 * SCM_RIGHTS message (runtime_fd_send/recv).  Without -t the relay copies the
 * monitor's stdout/stderr pipes and forwards signals (Docker's sig-proxy).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <termios.h>
#include <unistd.h>

#include "containr/log.h"
#include "runtime/internal.h"

int runtime_write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN) {
				struct pollfd pf = {fd, POLLOUT, 0};
				poll(&pf, 1, 1000);
				continue;
			}
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

void runtime_tty_copy_size(int from, int to)
{
	struct winsize ws;
	if (from >= 0 && to >= 0 && ioctl(from, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0)
		ioctl(to, TIOCSWINSZ, &ws);
}

int runtime_pty_open_at(int dirfd, const char *ptmx, const struct winsize *ws, int *master,
                        int *slave, unsigned *num, struct ctr_err *err)
{
	struct open_how how;
	struct statfs sfs;
	int m, s, unlock = 0;
	unsigned n = 0;

	/* Resolved as if dirfd were "/": a symlink planted in the container
	 * cannot lead out of it. */
	memset(&how, 0, sizeof how);
	how.flags = O_RDWR | O_NOCTTY | O_CLOEXEC;
	how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
	m = (int)syscall(SYS_openat2, dirfd, ptmx, &how, sizeof how);
	if (m < 0)
		return ctr_fail_errno(err, E_RUNTIME, errno, "cannot open the container's %s",
		                      ptmx);
	if (fstatfs(m, &sfs) < 0 || sfs.f_type != DEVPTS_SUPER_MAGIC) {
		close(m);
		return ctr_fail(err, E_RUNTIME, "the container's %s is not on a devpts file system",
		                ptmx);
	}
	if (ioctl(m, TIOCSPTLCK, &unlock) < 0 || ioctl(m, TIOCGPTN, &n) < 0 ||
	    (s = ioctl(m, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC)) < 0) {
		int e = errno;
		close(m);
		return ctr_fail_errno(err, E_RUNTIME, e, "cannot set up the pty");
	}
	ctr_explain("openpt", "the container's terminal, from its own devpts instance",
	            "%s -> /dev/pts/%u", ptmx, n);
	if (ws && ws->ws_row > 0)
		ioctl(s, TIOCSWINSZ, ws);
	*master = m;
	*slave = s;
	*num = n;
	return 0;
}

int runtime_fd_send(int sock, int fd)
{
	char byte = 'F', cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = {&byte, 1};
	struct msghdr msg;
	struct cmsghdr *cm;
	ssize_t r;

	memset(&msg, 0, sizeof msg);
	memset(cbuf, 0, sizeof cbuf);
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = cbuf;
	msg.msg_controllen = sizeof cbuf;
	cm = CMSG_FIRSTHDR(&msg);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fd, sizeof fd);
	do
		r = sendmsg(sock, &msg, MSG_NOSIGNAL);
	while (r < 0 && errno == EINTR);
	return r == 1 ? 0 : -1;
}

int runtime_fd_recv(int sock)
{
	char byte, cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = {&byte, 1};
	struct msghdr msg;
	struct cmsghdr *cm;
	ssize_t r;
	int fd = -1;

	memset(&msg, 0, sizeof msg);
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = cbuf;
	msg.msg_controllen = sizeof cbuf;
	do
		r = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
	while (r < 0 && errno == EINTR);
	if (r != 1)
		return -1;
	for (cm = CMSG_FIRSTHDR(&msg); cm; cm = CMSG_NXTHDR(&msg, cm))
		if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_RIGHTS &&
		    cm->cmsg_len == CMSG_LEN(sizeof(int)))
			memcpy(&fd, CMSG_DATA(cm), sizeof fd);
	return fd;
}

int runtime_tty_raw(int fd, struct termios *saved)
{
	struct termios t;
	if (!isatty(fd) || tcgetattr(fd, saved) < 0)
		return -1;
	t = *saved;
	cfmakeraw(&t);
	t.c_oflag |= OPOST | ONLCR; /* keep our own output readable if any */
	if (tcsetattr(fd, TCSADRAIN, &t) < 0)
		return -1;
	return 0;
}

void runtime_tty_restore(int fd, const struct termios *saved)
{
	tcsetattr(fd, TCSADRAIN, saved);
}

/* ---- relay --------------------------------------------------------------- */

static int sig_pipe[2] = {-1, -1};

static void on_signal(int sig)
{
	int e = errno;
	unsigned char b = (unsigned char)sig;
	ssize_t r = write(sig_pipe[1], &b, 1);
	(void)r;
	errno = e;
}

static const int proxied[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGWINCH};

int runtime_relay_run(struct runtime_relay *r)
{
	struct sigaction sa, old[CTR_ARRAY_SIZE(proxied)];
	int out = r->out_fd, errfd = r->err_fd, in = r->in_fd;
	char buf[32768];

	if (pipe2(sig_pipe, O_CLOEXEC | O_NONBLOCK) < 0)
		return -1;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_RESTART;
	for (size_t i = 0; i < CTR_ARRAY_SIZE(proxied); i++)
		sigaction(proxied[i], &sa, &old[i]);
	if (r->pty_master >= 0)
		runtime_tty_copy_size(r->stdin_fd, r->pty_master);

	while (out >= 0 || errfd >= 0) {
		struct pollfd pf[4];
		int n = 0, iout = -1, ierr = -1, iin = -1, isig;
		if (out >= 0) {
			iout = n;
			pf[n++] = (struct pollfd){out, POLLIN, 0};
		}
		if (errfd >= 0) {
			ierr = n;
			pf[n++] = (struct pollfd){errfd, POLLIN, 0};
		}
		if (in >= 0 && r->stdin_fd >= 0) {
			iin = n;
			pf[n++] = (struct pollfd){r->stdin_fd, POLLIN, 0};
		}
		isig = n;
		pf[n++] = (struct pollfd){sig_pipe[0], POLLIN, 0};
		if (poll(pf, (nfds_t)n, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (pf[isig].revents & POLLIN) {
			unsigned char s;
			while (read(sig_pipe[0], &s, 1) == 1) {
				if (s == SIGWINCH) {
					if (r->pty_master >= 0)
						runtime_tty_copy_size(r->stdin_fd, r->pty_master);
				} else if (r->sig_proxy && r->sig_pid > 0) {
					ctr_debug("forwarding signal", "signal",
					          ctr_signal_name(s));
					kill(r->sig_pid, s);
				}
			}
		}
		int fds[2] = {iout, ierr};
		int *which[2] = {&out, &errfd};
		int dest[2] = {r->stdout_fd, r->stderr_fd};
		for (int k = 0; k < 2; k++) {
			if (fds[k] < 0 || !pf[fds[k]].revents)
				continue;
			ssize_t got = read(*which[k], buf, sizeof buf);
			if (got < 0 && (errno == EINTR || errno == EAGAIN))
				continue;
			if (got <= 0) {
				close(*which[k]);
				*which[k] = -1;
				continue;
			}
			if (runtime_write_all(dest[k], buf, (size_t)got) < 0)
				ctr_debug("cannot write attached output", "error", strerror(errno));
		}
		if (iin >= 0 && pf[iin].revents) {
			ssize_t got = read(r->stdin_fd, buf, sizeof buf);
			if (got <= 0 && !(got < 0 && (errno == EINTR || errno == EAGAIN))) {
				/* EOF on our stdin: EOF for the container (pipe) or
				 * ^D for a pty. */
				if (r->pty_master >= 0 && in == r->pty_master) {
					in = -1;
				} else {
					close(in);
					in = -1;
				}
			} else if (got > 0 && runtime_write_all(in, buf, (size_t)got) < 0) {
				if (in != r->pty_master)
					close(in);
				in = -1;
			}
		}
	}
	if (in >= 0 && in != r->pty_master)
		close(in);
	for (size_t i = 0; i < CTR_ARRAY_SIZE(proxied); i++)
		sigaction(proxied[i], &old[i], NULL);
	close(sig_pipe[0]);
	close(sig_pipe[1]);
	sig_pipe[0] = sig_pipe[1] = -1;
	return 0;
}
