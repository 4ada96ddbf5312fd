/*
 * cgroup_v2_devices.c - device access control on cgroup v2.
 *
 * v2 has no devices.allow file: the kernel asks a BPF program of type
 * BPF_PROG_TYPE_CGROUP_DEVICE attached to the cgroup, for every mknod and
 * open of a device node, and denies when it returns 0.  This file builds
 * that program from the same allowlist the v1 backend writes (Docker's
 * default: mknod anything; open null, zero, full, random, urandom, tty,
 * console, ptmx, ptys, tun), loads it and attaches it.  The attachment
 * lives as long as the cgroup; nothing needs detaching.
 */
#include "cgroup/cgroup_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <linux/magic.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "containr/log.h"
#include "containr/util.h"

#define ANY -1

struct dev_rule {
	int type; /* BPF_DEVCG_DEV_CHAR / _BLOCK */
	int major, minor;
	int access; /* BPF_DEVCG_ACC_* bits */
};

#define RWM (BPF_DEVCG_ACC_READ | BPF_DEVCG_ACC_WRITE | BPF_DEVCG_ACC_MKNOD)
#define CHR BPF_DEVCG_DEV_CHAR
static const struct dev_rule default_rules[] = {
    {CHR, ANY, ANY, BPF_DEVCG_ACC_MKNOD},
    {BPF_DEVCG_DEV_BLOCK, ANY, ANY, BPF_DEVCG_ACC_MKNOD},
    {CHR, 1, 3, RWM},
    {CHR, 1, 5, RWM},
    {CHR, 1, 7, RWM},
    {CHR, 1, 8, RWM},
    {CHR, 1, 9, RWM},
    {CHR, 5, 0, RWM},
    {CHR, 5, 1, RWM},
    {CHR, 5, 2, RWM},
    {CHR, 136, ANY, RWM},
    {CHR, 10, 200, RWM},
};

struct prog {
	struct bpf_insn insn[256];
	int n;
};

static void emit(struct prog *p, uint8_t code, uint8_t dst, uint8_t src, int16_t off, int32_t imm)
{
	struct bpf_insn i = {.code = code, .dst_reg = dst, .src_reg = src, .off = off, .imm = imm};

	p->insn[p->n++] = i;
}

/*
 * r2 = device type, r3 = requested access, r4 = major, r5 = minor; one
 * block per rule: a mismatch jumps to the next block, a match returns 1.
 */
static void build(struct prog *p, const struct dev_rule *rules, size_t n)
{
	emit(p, BPF_LDX | BPF_MEM | BPF_W, 2, 1, 0, 0);
	emit(p, BPF_ALU64 | BPF_AND | BPF_K, 2, 0, 0, 0xffff);
	emit(p, BPF_LDX | BPF_MEM | BPF_W, 3, 1, 0, 0);
	emit(p, BPF_ALU64 | BPF_RSH | BPF_K, 3, 0, 0, 16);
	emit(p, BPF_LDX | BPF_MEM | BPF_W, 4, 1, 4, 0);
	emit(p, BPF_LDX | BPF_MEM | BPF_W, 5, 1, 8, 0);
	for (size_t r = 0; r < n; r++) {
		const struct dev_rule *d = &rules[r];
		/* type check, [major], [minor], r0 = access & ~allowed, jne, r0 = 1, exit */
		int len = 6 + (d->major != ANY) + (d->minor != ANY);
		int start = p->n;
		/* off of a jump emitted now: land on the first insn of the next block */
#define SKIP ((int16_t)(start + len - p->n - 1))
		emit(p, BPF_JMP | BPF_JNE | BPF_K, 2, 0, SKIP, d->type);
		if (d->major != ANY)
			emit(p, BPF_JMP | BPF_JNE | BPF_K, 4, 0, SKIP, d->major);
		if (d->minor != ANY)
			emit(p, BPF_JMP | BPF_JNE | BPF_K, 5, 0, SKIP, d->minor);
		emit(p, BPF_ALU64 | BPF_MOV | BPF_X, 0, 3, 0, 0);
		emit(p, BPF_ALU64 | BPF_AND | BPF_K, 0, 0, 0, ~d->access);
		emit(p, BPF_JMP | BPF_JNE | BPF_K, 0, 0, SKIP, 0);
#undef SKIP
		emit(p, BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 1);
		emit(p, BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
	}
	emit(p, BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 0);
	emit(p, BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
}

static long sys_bpf(int cmd, union bpf_attr *attr)
{
	return syscall(__NR_bpf, cmd, attr, sizeof *attr);
}

int cg_v2_devices_apply(const char *dir, bool allow_all, struct ctr_err *err)
{
	struct statfs sfs;
	struct prog p = {.n = 0};
	union bpf_attr attr;
	char log[4096] = "";
	cleanup_close int dfd = -1;
	cleanup_close int pfd = -1;

	if (allow_all)
		return 0; /* no program: every device */
	if (statfs(dir, &sfs) < 0 || sfs.f_type != CGROUP2_SUPER_MAGIC)
		return 0; /* not a real cgroup2 directory (a test tree): nothing to attach to */
	build(&p, default_rules, CTR_ARRAY_SIZE(default_rules));

	memset(&attr, 0, sizeof attr);
	attr.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
	attr.insns = (uint64_t)(uintptr_t)p.insn;
	attr.insn_cnt = (uint32_t)p.n;
	attr.license = (uint64_t)(uintptr_t) "GPL";
	ctr_explain("bpf", "cgroup v2 device policy: only Docker's default devices may be opened",
	            "BPF_PROG_LOAD type=CGROUP_DEVICE (%d insns, %zu rules)", p.n,
	            CTR_ARRAY_SIZE(default_rules));
	pfd = (int)sys_bpf(BPF_PROG_LOAD, &attr);
	if (pfd < 0 && errno != EPERM) {
		/* again with the verifier's log, for the error message (its tail) */
		attr.log_buf = (uint64_t)(uintptr_t)log;
		attr.log_size = sizeof log;
		attr.log_level = 1;
		sys_bpf(BPF_PROG_LOAD, &attr);
		errno = EINVAL;
	}
	if (pfd < 0) {
		ctr_fail_errno(err, E_RUNTIME, errno,
		               "cannot load the device-control BPF program%s%s", *log ? ": " : "",
		               log);
		return ctr_hint(
		    err, "the kernel needs CONFIG_CGROUP_BPF for device control on cgroup v2");
	}
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return ctr_fail_errno(err, E_IO, errno, "cannot open cgroup %s", dir);
	memset(&attr, 0, sizeof attr);
	attr.target_fd = (uint32_t)dfd;
	attr.attach_bpf_fd = (uint32_t)pfd;
	attr.attach_type = BPF_CGROUP_DEVICE;
	attr.attach_flags = BPF_F_ALLOW_MULTI;
	ctr_explain("bpf", "the kernel runs it for every mknod/open of a device in the cgroup",
	            "BPF_PROG_ATTACH BPF_CGROUP_DEVICE %s", dir);
	if (sys_bpf(BPF_PROG_ATTACH, &attr) < 0)
		return ctr_fail_errno(err, E_RUNTIME, errno,
		                      "cannot attach the device-control BPF program to %s", dir);
	return 0;
}
