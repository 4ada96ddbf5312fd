/*
 * seccomp.c - the container's system-call filter (libseccomp).
 *
 * One engine applies a profile in Docker's JSON format
 * (defaultAction, defaultErrnoRet, architectures, syscalls[] with names,
 * action, errnoRet, args and includes/excludes.caps).  The default profile
 * is the same structure built from the tables below: an allowlist in the
 * spirit of Docker's default (everything ordinary programs need), where
 * everything else - mount, umount2, unshare, setns, keyctl, bpf, ptrace,
 * reboot, swapon, kexec_load, init_module... - fails with EPERM unless the
 * container holds the capability that makes it legitimate (CAP_SYS_ADMIN,
 * CAP_SYS_PTRACE, ...).  clone3 answers ENOSYS so libc falls back to clone,
 * whose namespace flags are filtered.
 */
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <sched.h>
#include <seccomp.h>
#include <stdlib.h>
#include <string.h>
#include <linux/capability.h>

#include "containr/log.h"
#include "containr/store.h"
#include "runtime/internal.h"

/* Allowed for everybody. */
/* clang-format off */
static const char *const allow_always[] = {
	"accept", "accept4", "access", "adjtimex", "alarm", "bind", "brk", "cachestat", "capget",
	"capset", "chdir", "chmod", "chown", "chown32", "clock_adjtime", "clock_getres",
	"clock_gettime", "clock_nanosleep", "close", "close_range", "connect", "copy_file_range",
	"creat", "dup", "dup2", "dup3", "epoll_create", "epoll_create1", "epoll_ctl",
	"epoll_ctl_old", "epoll_pwait", "epoll_pwait2", "epoll_wait", "epoll_wait_old",
	"eventfd", "eventfd2", "execve", "execveat", "exit", "exit_group", "faccessat",
	"faccessat2", "fadvise64", "fallocate", "fanotify_mark", "fchdir", "fchmod", "fchmodat",
	"fchmodat2", "fchown", "fchownat", "fcntl", "fdatasync", "fgetxattr", "flistxattr",
	"flock", "fork", "fremovexattr", "fsetxattr", "fstat", "fstatfs", "fsync", "ftruncate",
	"futex", "futex_requeue", "futex_time64", "futex_wait", "futex_waitv", "futex_wake",
	"futimesat", "getcpu", "getcwd", "getdents", "getdents64", "getegid", "geteuid",
	"getgid", "getgroups", "getitimer", "getpeername", "getpgid", "getpgrp", "getpid",
	"getppid", "getpriority", "getrandom", "getresgid", "getresuid", "getrlimit",
	"get_robust_list", "getrusage", "getsid", "getsockname", "getsockopt", "get_thread_area",
	"gettid", "gettimeofday", "getuid", "getxattr", "inotify_add_watch", "inotify_init",
	"inotify_init1", "inotify_rm_watch", "io_cancel", "ioctl", "io_destroy", "io_getevents",
	"io_pgetevents", "ioprio_get", "ioprio_set", "io_setup", "io_submit", "io_uring_enter",
	"io_uring_register", "io_uring_setup", "ipc", "kill", "landlock_add_rule",
	"landlock_create_ruleset", "landlock_restrict_self", "lchown", "lgetxattr", "link",
	"linkat", "listen", "listxattr", "llistxattr", "lremovexattr", "lseek", "lsetxattr",
	"lstat", "madvise", "map_shadow_stack", "membarrier", "memfd_create", "memfd_secret",
	"mincore", "mkdir", "mkdirat", "mknod", "mknodat", "mlock", "mlock2", "mlockall", "mmap",
	"mprotect", "mq_getsetattr", "mq_notify", "mq_open", "mq_timedreceive", "mq_timedsend",
	"mq_unlink", "mremap", "msgctl", "msgget", "msgrcv", "msgsnd", "msync", "munlock",
	"munlockall", "munmap", "name_to_handle_at", "nanosleep", "newfstatat", "open", "openat",
	"openat2", "pause", "pidfd_getfd", "pidfd_open", "pidfd_send_signal", "pipe", "pipe2",
	"pkey_alloc", "pkey_free", "pkey_mprotect", "poll", "ppoll", "prctl", "pread64",
	"preadv", "preadv2", "prlimit64", "process_mrelease", "pselect6", "pwrite64", "pwritev",
	"pwritev2", "read", "readahead", "readlink", "readlinkat", "readv", "recvfrom",
	"recvmmsg", "recvmsg", "remap_file_pages", "removexattr", "rename", "renameat",
	"renameat2", "restart_syscall", "rmdir", "rseq", "rt_sigaction", "rt_sigpending",
	"rt_sigprocmask", "rt_sigqueueinfo", "rt_sigreturn", "rt_sigsuspend", "rt_sigtimedwait",
	"rt_tgsigqueueinfo", "sched_getaffinity", "sched_getattr", "sched_getparam",
	"sched_get_priority_max", "sched_get_priority_min", "sched_getscheduler",
	"sched_rr_get_interval", "sched_setaffinity", "sched_setattr", "sched_setparam",
	"sched_setscheduler", "sched_yield", "seccomp", "select", "semctl", "semget", "semop",
	"semtimedop", "sendfile", "sendmmsg", "sendmsg", "sendto", "setfsgid", "setfsuid",
	"setgid", "setgroups", "setitimer", "setpgid", "setpriority", "setregid", "setresgid",
	"setresuid", "setreuid", "setrlimit", "set_robust_list", "setsid", "setsockopt",
	"set_thread_area", "set_tid_address", "setuid", "setxattr", "shmat", "shmctl", "shmdt",
	"shmget", "shutdown", "sigaltstack", "signalfd", "signalfd4", "socket", "socketcall",
	"socketpair", "splice", "stat", "statfs", "statx", "symlink", "symlinkat", "sync",
	"sync_file_range", "syncfs", "sysinfo", "tee", "tgkill", "time", "timer_create",
	"timer_delete", "timer_getoverrun", "timer_gettime", "timer_settime", "timerfd_create",
	"timerfd_gettime", "timerfd_settime", "times", "tkill", "truncate", "umask", "uname",
	"unlink", "unlinkat", "utime", "utimensat", "utimes", "vfork", "vmsplice", "wait4",
	"waitid", "waitpid", "write", "writev", "arch_prctl", "modify_ldt", NULL,
};
/* clang-format on */

/* Allowed only with a capability (Docker's includes.caps). */
static const struct {
	int cap;
	const char *names[20];
} allow_with_cap[] = {
    {CAP_SYS_ADMIN, {"bpf",           "clone3",      "fanotify_init",   "fsconfig", "fsmount",
                     "fsopen",        "fspick",      "lookup_dcookie",  "mount",    "mount_setattr",
                     "move_mount",    "open_tree",   "perf_event_open", "quotactl", "quotactl_fd",
                     "setdomainname", "sethostname", "setns",           "syslog",   "umount2"}},
    {CAP_SYS_ADMIN, {"umount", "unshare", "pivot_root", "keyctl", "add_key", "request_key", NULL}},
    {CAP_SYS_BOOT, {"reboot", NULL}},
    {CAP_SYS_CHROOT, {"chroot", NULL}},
    {CAP_SYS_MODULE, {"delete_module", "init_module", "finit_module", NULL}},
    {CAP_SYS_PACCT, {"acct", NULL}},
    {CAP_SYS_PTRACE,
     {"kcmp", "process_madvise", "process_vm_readv", "process_vm_writev", "ptrace", NULL}},
    {CAP_SYS_RAWIO, {"iopl", "ioperm", NULL}},
    {CAP_SYS_TIME, {"settimeofday", "stime", "clock_settime", "clock_settime64", NULL}},
    {CAP_SYS_TTY_CONFIG, {"vhangup", NULL}},
    {CAP_SYS_NICE, {"get_mempolicy", "mbind", "set_mempolicy", "set_mempolicy_home_node", NULL}},
    {CAP_SYSLOG, {"syslog", NULL}},
    {CAP_DAC_READ_SEARCH, {"open_by_handle_at", NULL}},
    {CAP_SYS_ADMIN, {"swapon", "swapoff", "kexec_load", "kexec_file_load", NULL}},
};

#define NS_CLONE_FLAGS                                                                             \
	(CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET | \
	 CLONE_NEWCGROUP)

static bool has_cap(uint64_t caps, int c)
{
	return c >= 0 && c < 64 && (caps & (1ULL << c));
}

/* Add `name` with `action`; names unknown to this libseccomp are skipped. */
static int add_rule(scmp_filter_ctx ctx, const char *name, uint32_t action, unsigned nargs,
                    const struct scmp_arg_cmp *args, struct ctr_err *err)
{
	int nr = seccomp_syscall_resolve_name(name);
	int r;

	if (nr == __NR_SCMP_ERROR) {
		ctr_debug("seccomp: syscall unknown to libseccomp, skipped", "name", name);
		return 0;
	}
	r = seccomp_rule_add_array(ctx, action, nr, nargs, args);
	if (r == -EEXIST || r == -EACCES)
		return 0; /* same as the default action / already present */
	if (r < 0)
		return ctr_fail_errno(err, E_RUNTIME, -r, "seccomp: cannot add rule for %s", name);
	return 0;
}

static int build_default(scmp_filter_ctx ctx, uint64_t caps, struct ctr_err *err)
{
	for (size_t i = 0; allow_always[i]; i++)
		if (add_rule(ctx, allow_always[i], SCMP_ACT_ALLOW, 0, NULL, err) < 0)
			return -1;
	for (size_t i = 0; i < CTR_ARRAY_SIZE(allow_with_cap); i++) {
		if (!has_cap(caps, allow_with_cap[i].cap))
			continue;
		for (size_t k = 0; k < 20 && allow_with_cap[i].names[k]; k++)
			if (add_rule(ctx, allow_with_cap[i].names[k], SCMP_ACT_ALLOW, 0, NULL,
			             err) < 0)
				return -1;
	}
	/* personality: only the harmless personas (as Docker). */
	static const uint64_t personas[] = {0x0, 0x8, 0x20000, 0x20008, 0xffffffff};
	for (size_t i = 0; i < CTR_ARRAY_SIZE(personas); i++) {
		struct scmp_arg_cmp a = SCMP_A0(SCMP_CMP_EQ, personas[i]);
		if (add_rule(ctx, "personality", SCMP_ACT_ALLOW, 1, &a, err) < 0)
			return -1;
	}
	if (!has_cap(caps, CAP_SYS_ADMIN)) {
		/* clone without namespace flags; clone3 cannot be filtered by
		 * flags (they are in memory): ENOSYS makes libc use clone. */
		struct scmp_arg_cmp a = SCMP_A0(SCMP_CMP_MASKED_EQ, NS_CLONE_FLAGS, 0);
		if (add_rule(ctx, "clone", SCMP_ACT_ALLOW, 1, &a, err) < 0 ||
		    add_rule(ctx, "clone3", SCMP_ACT_ERRNO(ENOSYS), 0, NULL, err) < 0)
			return -1;
	} else if (add_rule(ctx, "clone", SCMP_ACT_ALLOW, 0, NULL, err) < 0) {
		return -1;
	}
	return 0;
}

/* ---- Docker JSON profiles ------------------------------------------------ */

static int parse_action(const char *s, const cJSON *errno_ret, uint32_t *out, struct ctr_err *err)
{
	int e = cJSON_IsNumber(errno_ret) ? errno_ret->valueint : EPERM;

	if (!s)
		return ctr_fail(err, E_INVALID_ARG, "seccomp profile: missing action");
	if (strcmp(s, "SCMP_ACT_ALLOW") == 0)
		*out = SCMP_ACT_ALLOW;
	else if (strcmp(s, "SCMP_ACT_ERRNO") == 0)
		*out = SCMP_ACT_ERRNO((uint16_t)e);
	else if (strcmp(s, "SCMP_ACT_KILL") == 0 || strcmp(s, "SCMP_ACT_KILL_THREAD") == 0)
		*out = SCMP_ACT_KILL;
	else if (strcmp(s, "SCMP_ACT_KILL_PROCESS") == 0)
		*out = SCMP_ACT_KILL_PROCESS;
	else if (strcmp(s, "SCMP_ACT_TRAP") == 0)
		*out = SCMP_ACT_TRAP;
	else if (strcmp(s, "SCMP_ACT_LOG") == 0)
		*out = SCMP_ACT_LOG;
	else if (strcmp(s, "SCMP_ACT_TRACE") == 0)
		*out = SCMP_ACT_TRACE((uint16_t)e);
	else
		return ctr_fail(err, E_INVALID_ARG, "seccomp profile: unknown action %s", s);
	return 0;
}

static int parse_op(const char *s, enum scmp_compare *out)
{
	static const struct {
		const char *n;
		enum scmp_compare op;
	} ops[] = {{"SCMP_CMP_NE", SCMP_CMP_NE},
	           {"SCMP_CMP_LT", SCMP_CMP_LT},
	           {"SCMP_CMP_LE", SCMP_CMP_LE},
	           {"SCMP_CMP_EQ", SCMP_CMP_EQ},
	           {"SCMP_CMP_GE", SCMP_CMP_GE},
	           {"SCMP_CMP_GT", SCMP_CMP_GT},
	           {"SCMP_CMP_MASKED_EQ", SCMP_CMP_MASKED_EQ}};
	for (size_t i = 0; s && i < CTR_ARRAY_SIZE(ops); i++)
		if (strcmp(s, ops[i].n) == 0) {
			*out = ops[i].op;
			return 0;
		}
	return -1;
}

/* Do includes/excludes caps allow this rule for `caps`? */
static bool caps_match(const cJSON *rule, uint64_t caps)
{
	const cJSON *inc = cJSON_GetObjectItemCaseSensitive(rule, "includes");
	const cJSON *exc = cJSON_GetObjectItemCaseSensitive(rule, "excludes");
	const cJSON *it;

	cJSON_ArrayForEach (it, cJSON_GetObjectItemCaseSensitive(inc, "caps")) {
		if (cJSON_IsString(it) && !has_cap(caps, runtime_cap_parse(it->valuestring)))
			return false;
	}
	cJSON_ArrayForEach (it, cJSON_GetObjectItemCaseSensitive(exc, "caps")) {
		if (cJSON_IsString(it) && has_cap(caps, runtime_cap_parse(it->valuestring)))
			return false;
	}
	return true;
}

static int build_from_json(scmp_filter_ctx ctx, const cJSON *prof, uint64_t caps,
                           struct ctr_err *err)
{
	const cJSON *rule;

	cJSON_ArrayForEach (rule, cJSON_GetObjectItemCaseSensitive(prof, "syscalls")) {
		const cJSON *act = cJSON_GetObjectItemCaseSensitive(rule, "action");
		const cJSON *names = cJSON_GetObjectItemCaseSensitive(rule, "names");
		const cJSON *name1 = cJSON_GetObjectItemCaseSensitive(rule, "name");
		const cJSON *args = cJSON_GetObjectItemCaseSensitive(rule, "args"), *a, *n;
		struct scmp_arg_cmp cmp[6];
		unsigned nargs = 0;
		uint32_t action;

		if (parse_action(cJSON_IsString(act) ? act->valuestring : NULL,
		                 cJSON_GetObjectItemCaseSensitive(rule, "errnoRet"), &action,
		                 err) < 0)
			return -1;
		if (!caps_match(rule, caps))
			continue;
		cJSON_ArrayForEach (a, args) {
			enum scmp_compare op;
			const cJSON *idx = cJSON_GetObjectItemCaseSensitive(a, "index");
			const cJSON *val = cJSON_GetObjectItemCaseSensitive(a, "value");
			const cJSON *val2 = cJSON_GetObjectItemCaseSensitive(a, "valueTwo");
			const cJSON *ops = cJSON_GetObjectItemCaseSensitive(a, "op");
			if (nargs >= 6 || !cJSON_IsNumber(idx) || !cJSON_IsNumber(val) ||
			    parse_op(cJSON_IsString(ops) ? ops->valuestring : NULL, &op) < 0)
				return ctr_fail(err, E_INVALID_ARG,
				                "seccomp profile: bad args entry");
			cmp[nargs].arg = (unsigned)idx->valueint;
			cmp[nargs].op = op;
			cmp[nargs].datum_a = (scmp_datum_t)val->valuedouble;
			cmp[nargs].datum_b =
			    cJSON_IsNumber(val2) ? (scmp_datum_t)val2->valuedouble : 0;
			nargs++;
		}
		if (cJSON_IsString(name1) &&
		    add_rule(ctx, name1->valuestring, action, nargs, cmp, err) < 0)
			return -1;
		cJSON_ArrayForEach (n, names) {
			if (cJSON_IsString(n) &&
			    add_rule(ctx, n->valuestring, action, nargs, cmp, err) < 0)
				return -1;
		}
	}
	return 0;
}

static void add_arches(scmp_filter_ctx ctx, const cJSON *prof)
{
	const cJSON *it;

	if (!prof) {
		/* The default profile covers the 32-bit ABIs of x86_64 too. */
		if (seccomp_arch_native() == SCMP_ARCH_X86_64) {
			seccomp_arch_add(ctx, SCMP_ARCH_X86);
			seccomp_arch_add(ctx, SCMP_ARCH_X32);
		}
		return;
	}
	cJSON_ArrayForEach (it, cJSON_GetObjectItemCaseSensitive(prof, "architectures")) {
		char name[32];
		size_t i;
		if (!cJSON_IsString(it) || !str_startswith(it->valuestring, "SCMP_ARCH_"))
			continue;
		snprintf(name, sizeof name, "%s", it->valuestring + 10);
		for (i = 0; name[i]; i++)
			name[i] = (char)(name[i] >= 'A' && name[i] <= 'Z' ? name[i] + 32 : name[i]);
		uint32_t arch = seccomp_arch_resolve_name(name);
		if (arch && arch != seccomp_arch_native())
			seccomp_arch_add(ctx, arch);
	}
}

static int profile_default_action(const cJSON *prof, uint32_t *out, struct ctr_err *err)
{
	const cJSON *d = cJSON_GetObjectItemCaseSensitive(prof, "defaultAction");
	if (!cJSON_IsString(d))
		return ctr_fail(err, E_INVALID_ARG, "seccomp profile: missing defaultAction");
	return parse_action(d->valuestring,
	                    cJSON_GetObjectItemCaseSensitive(prof, "defaultErrnoRet"), out, err);
}

int runtime_seccomp_check_file(const char *path, struct ctr_err *err)
{
	cJSON *prof = NULL;
	uint32_t act;
	scmp_filter_ctx ctx;
	int r;

	if (ctr_json_load(path, &prof, err) < 0)
		return ctr_err_wrap(err, "seccomp profile");
	if (profile_default_action(prof, &act, err) < 0) {
		cJSON_Delete(prof);
		return ctr_err_wrap(err, "%s", path);
	}
	ctx = seccomp_init(act);
	r = ctx ? build_from_json(ctx, prof, runtime_caps_all(), err) : -1;
	if (!ctx)
		ctr_fail(err, E_RUNTIME, "seccomp_init failed");
	if (ctx)
		seccomp_release(ctx);
	cJSON_Delete(prof);
	if (r < 0)
		return ctr_err_wrap(err, "%s", path);
	return 0;
}

/* Compile the filter for (cfg, prof, caps) and export it as BPF into `out`. */
static int compile_bpf(const struct ctr_container_config *cfg, const cJSON *prof, uint64_t caps,
                       struct strbuf *out, struct ctr_err *err)
{
	uint32_t def = SCMP_ACT_ERRNO(EPERM);
	scmp_filter_ctx ctx;
	int r, fd;

	if (prof && profile_default_action(prof, &def, err) < 0)
		return -1;
	ctx = seccomp_init(def);
	if (!ctx)
		return ctr_fail(err, E_RUNTIME, "seccomp_init failed");
	add_arches(ctx, prof);
	/* System calls of other ABIs get the default action, not a kill. */
	seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_ERRNO(EPERM));
	r = prof ? build_from_json(ctx, prof, caps, err) : build_default(ctx, caps, err);
	if (r == 0) {
		fd = memfd_create("seccomp-bpf", MFD_CLOEXEC);
		if (fd < 0 || (r = seccomp_export_bpf(ctx, fd)) < 0) {
			r = -1;
			ctr_fail_errno(err, E_RUNTIME, fd < 0 ? errno : -r,
			               "cannot export the seccomp filter");
		} else {
			char buf[8192];
			ssize_t n;
			lseek(fd, 0, SEEK_SET);
			while ((n = read(fd, buf, sizeof buf)) > 0)
				strbuf_add(out, buf, (size_t)n);
		}
		if (fd >= 0)
			close(fd);
	}
	seccomp_release(ctx);
	return r < 0 ? -1 : 0;
}

/* FNV-1a over the default profile's tables: the cache key changes with them. */
static uint32_t default_profile_hash(void)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; allow_always[i]; i++)
		for (const char *p = allow_always[i]; *p; p++)
			h = (h ^ (unsigned char)*p) * 16777619u;
	for (size_t i = 0; i < CTR_ARRAY_SIZE(allow_with_cap); i++) {
		h = (h ^ (uint32_t)allow_with_cap[i].cap) * 16777619u;
		for (size_t k = 0; k < 20 && allow_with_cap[i].names[k]; k++)
			for (const char *p = allow_with_cap[i].names[k]; *p; p++)
				h = (h ^ (unsigned char)*p) * 16777619u;
	}
	return h;
}

int runtime_seccomp_prepare(const struct ctr_store *st, const struct ctr_container *c,
                            uint64_t caps, struct runtime_bpf *out, struct ctr_err *err)
{
	const struct ctr_container_config *cfg = &c->cfg;
	const struct scmp_version *v = seccomp_version();
	cleanup_free char *cache = NULL;
	cJSON *prof = NULL;
	size_t len;
	int r;

	memset(out, 0, sizeof *out);
	strbuf_init(&out->prog);
	if ((cfg->seccomp && strcmp(cfg->seccomp, "unconfined") == 0) ||
	    (cfg->privileged && !cfg->seccomp)) {
		out->none = true;
		return 0;
	}
	if (cfg->seccomp) {
		cleanup_free char *path = ctr_path_join(c->dir, "seccomp.json");
		if (ctr_json_load(path, &prof, err) < 0)
			return ctr_err_wrap(err, "seccomp profile of container %s", cfg->name);
		r = compile_bpf(cfg, prof, caps, &out->prog, err);
		cJSON_Delete(prof);
		return r;
	}
	/* The default profile depends only on the capability set (and on
	 * this build and libseccomp): compile once, keep the BPF. */
	cache = xasprintf("%s/seccomp-default-%08x-%u.%u.%u-%016llx.bpf", st->run_dir,
	                  default_profile_hash(), v ? v->major : 0, v ? v->minor : 0,
	                  v ? v->micro : 0, (unsigned long long)caps);
	{
		char *data = NULL;
		if (ctr_read_file(cache, &data, &len, NULL) == 0 && len > 0 && len % 8 == 0) {
			strbuf_add(&out->prog, data, len);
			free(data);
			out->cached = true;
			return 0;
		}
		free(data);
	}
	if (compile_bpf(cfg, NULL, caps, &out->prog, err) < 0)
		return -1;
	if (ctr_write_file_atomic(cache, out->prog.buf, out->prog.len, 0600, NULL) < 0)
		ctr_debug("cannot cache the seccomp filter", "path", cache);
	return 0;
}

void runtime_bpf_release(struct runtime_bpf *b)
{
	strbuf_release(&b->prog);
}

int runtime_seccomp_apply(const struct runtime_bpf *b, struct ctr_err *err)
{
	struct sock_fprog prog;

	if (b->none) {
		ctr_explain("seccomp", "--privileged or seccomp=unconfined", "no filter loaded");
		return 0;
	}
	prog.len = (unsigned short)(b->prog.len / sizeof(struct sock_filter));
	prog.filter = (struct sock_filter *)b->prog.buf;
	ctr_explain("seccomp", "filter system calls (default: EPERM for mount, unshare, bpf, ...)",
	            "seccomp(SET_MODE_FILTER, %u BPF instructions%s)", prog.len,
	            b->cached ? ", default profile compiled earlier" : "");
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) < 0)
		return ctr_fail_errno(err, E_RUNTIME, errno, "cannot load the seccomp filter");
	return 0;
}
