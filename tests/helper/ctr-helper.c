/*
 * ctr-helper.c - a tiny static program run INSIDE test containers (like
 * crun's test init), so isolation and limits can be tested without an
 * image.  Built by the Makefile as build/ctr-helper (static).
 *
 *   pause               sleep until killed
 *   memhog N_MB         allocate and touch N MiB, then print "done"
 *   forkbomb [N]        fork until it fails (or N children); print the count
 *   caps                print CapInh/Prm/Eff/Bnd/Amb and NoNewPrivs lines
 *   seccomp-test        try unshare(NEWNS) and mount(tmpfs); print errno names
 *   hostname            print the host name
 *   pid                 print getpid() and getppid()
 *   ignore-term         ignore SIGTERM, print "ready", sleep forever
 *   echo-lines N [MS]   print "line 1".."line N", MS ms apart (default 0)
 *   exit N              exit with status N
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

__attribute__((noreturn)) static int cmd_pause(void)
{
	for (;;)
		pause();
}

static int cmd_memhog(const char *mb)
{
	long n = atol(mb);
	for (long i = 0; i < n; i++) {
		char *p = malloc(1 << 20);
		if (!p) {
			printf("malloc failed at %ld MiB\n", i);
			return 1;
		}
		memset(p, 0x5a, 1 << 20);
	}
	printf("done %ld MiB\n", n);
	return 0;
}

static int cmd_forkbomb(const char *max)
{
	long limit = max ? atol(max) : 100000, n = 0;
	for (; n < limit; n++) {
		pid_t p = fork();
		if (p < 0) {
			printf("fork failed after %ld children: %s\n", n, strerror(errno));
			fflush(stdout);
			kill(0, SIGKILL);
			return 1;
		}
		if (p == 0) {
			pause();
			_exit(0);
		}
	}
	printf("forked %ld children\n", n);
	fflush(stdout);
	kill(0, SIGKILL);
	return 0;
}

static int cmd_caps(void)
{
	char line[256];
	FILE *f = fopen("/proc/self/status", "r");
	if (!f) {
		perror("/proc/self/status");
		return 1;
	}
	while (fgets(line, sizeof line, f))
		if (strncmp(line, "Cap", 3) == 0 || strncmp(line, "NoNewPrivs", 10) == 0 ||
		    strncmp(line, "Seccomp:", 8) == 0)
			fputs(line, stdout);
	fclose(f);
	return 0;
}

static const char *errname(int e)
{
	switch (e) {
	case 0: return "OK";
	case EPERM: return "EPERM";
	case EACCES: return "EACCES";
	case EINVAL: return "EINVAL";
	case ENOSYS: return "ENOSYS";
	default: return strerror(e);
	}
}

static int cmd_seccomp_test(void)
{
	int r = unshare(CLONE_NEWNS);
	printf("unshare: %s\n", errname(r < 0 ? errno : 0));
	r = mount("none", "/tmp", "tmpfs", 0, NULL);
	printf("mount: %s\n", errname(r < 0 ? errno : 0));
	if (r == 0)
		umount("/tmp");
	return 0;
}

static int cmd_echo_lines(const char *n, const char *ms)
{
	long cnt = atol(n), delay = ms ? atol(ms) : 0;
	for (long i = 1; i <= cnt; i++) {
		printf("line %ld\n", i);
		fflush(stdout);
		if (delay) {
			struct timespec ts = {delay / 1000, (delay % 1000) * 1000000L};
			nanosleep(&ts, NULL);
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "";
	const char *arg = argc > 2 ? argv[2] : NULL;

	if (strcmp(cmd, "pause") == 0)
		return cmd_pause();
	if (strcmp(cmd, "memhog") == 0 && arg)
		return cmd_memhog(arg);
	if (strcmp(cmd, "forkbomb") == 0)
		return cmd_forkbomb(arg);
	if (strcmp(cmd, "caps") == 0)
		return cmd_caps();
	if (strcmp(cmd, "seccomp-test") == 0)
		return cmd_seccomp_test();
	if (strcmp(cmd, "hostname") == 0) {
		char h[256] = "";
		gethostname(h, sizeof h - 1);
		printf("%s\n", h);
		return 0;
	}
	if (strcmp(cmd, "pid") == 0) {
		printf("pid=%d ppid=%d\n", (int)getpid(), (int)getppid());
		return 0;
	}
	if (strcmp(cmd, "ignore-term") == 0) {
		signal(SIGTERM, SIG_IGN);
		printf("ready\n");
		fflush(stdout);
		return cmd_pause();
	}
	if (strcmp(cmd, "echo-lines") == 0 && arg)
		return cmd_echo_lines(arg, argc > 3 ? argv[3] : NULL);
	if (strcmp(cmd, "exit") == 0 && arg)
		return atoi(arg);
	fprintf(stderr,
		"usage: ctr-helper pause|memhog N|forkbomb [N]|caps|seccomp-test|hostname|pid|"
		"ignore-term|echo-lines N [MS]|exit N\n");
	return 2;
}
