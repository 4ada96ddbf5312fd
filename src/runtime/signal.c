/*
 * signal.c - signal names and numbers, as Docker reads them: "SIGTERM",
 * "TERM", "term", "15", "SIGRTMIN+3"; and back, 15 -> "SIGTERM".  Used by
 * kill, stop (--signal, the image's StopSignal), --stop-signal at create.
 */
#include <signal.h>
#include <stdio.h>
#include <strings.h>

#include "containr/runtime.h"
#include "containr/util.h"

static const struct {
	const char *name;
	int sig;
} signals[] = {
    {"HUP", SIGHUP},   {"INT", SIGINT},       {"QUIT", SIGQUIT}, {"ILL", SIGILL},
    {"TRAP", SIGTRAP}, {"ABRT", SIGABRT},     {"BUS", SIGBUS},   {"FPE", SIGFPE},
    {"KILL", SIGKILL}, {"USR1", SIGUSR1},     {"SEGV", SIGSEGV}, {"USR2", SIGUSR2},
    {"PIPE", SIGPIPE}, {"ALRM", SIGALRM},     {"TERM", SIGTERM}, {"STKFLT", SIGSTKFLT},
    {"CHLD", SIGCHLD}, {"CONT", SIGCONT},     {"STOP", SIGSTOP}, {"TSTP", SIGTSTP},
    {"TTIN", SIGTTIN}, {"TTOU", SIGTTOU},     {"URG", SIGURG},   {"XCPU", SIGXCPU},
    {"XFSZ", SIGXFSZ}, {"VTALRM", SIGVTALRM}, {"PROF", SIGPROF}, {"WINCH", SIGWINCH},
    {"IO", SIGIO},     {"PWR", SIGPWR},       {"SYS", SIGSYS},
};

int ctr_signal_parse(const char *s)
{
	int v;

	if (!s || !*s)
		return -1;
	if (s[0] >= '0' && s[0] <= '9')
		return ctr_parse_int(s, 1, NSIG - 1, &v) < 0 ? -1 : v;
	if (strncasecmp(s, "SIG", 3) == 0)
		s += 3;
	for (size_t i = 0; i < CTR_ARRAY_SIZE(signals); i++)
		if (strcasecmp(s, signals[i].name) == 0)
			return signals[i].sig;
	if (strncasecmp(s, "RTMIN", 5) == 0) {
		v = 0;
		if (!s[5] || ctr_parse_int(s + 5, 0, SIGRTMAX - SIGRTMIN, &v) == 0)
			return SIGRTMIN + v;
	}
	return -1;
}

const char *ctr_signal_name(int sig)
{
	static char buf[16];
	for (size_t i = 0; i < CTR_ARRAY_SIZE(signals); i++)
		if (signals[i].sig == sig) {
			snprintf(buf, sizeof buf, "SIG%s", signals[i].name);
			return buf;
		}
	snprintf(buf, sizeof buf, "%d", sig);
	return buf;
}
