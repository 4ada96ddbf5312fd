/*
 * cgroup_v2.c - the cgroup v2 (unified) backend.
 *
 * One directory per container.  Controllers must be enabled top-down: each
 * ancestor's cgroup.subtree_control gets "+cpu +io +memory +pids" (those the
 * root offers) before the child can use them.  Limits map from Docker's
 * flags: memory.max, memory.swap.max (= --memory-swap minus --memory),
 * cpu.max ("quota period"), cpu.weight (from shares), pids.max.  The
 * freezer is cgroup.freeze, confirmed through cgroup.events.
 */
#include "cgroup/cgroup_internal.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "containr/log.h"
#include "containr/util.h"

#define CFS_PERIOD_US 100000

static const char *const v2_ctrls[] = {"cpu", "io", "memory", "pids"};

/* Is `word` one of the blank-separated words of `list`? */
static bool word_in(const char *list, const char *word)
{
	size_t wl = strlen(word);

	for (const char *p = list; p && *p;) {
		while (*p == ' ' || *p == '\n')
			p++;
		const char *e = p;
		while (*e && *e != ' ' && *e != '\n')
			e++;
		if ((size_t)(e - p) == wl && strncmp(p, word, wl) == 0)
			return true;
		p = e;
	}
	return false;
}

/* Enable `want` (blank-separated "+x" list) in dir's subtree_control. */
static int enable_controllers(const char *dir, const char *avail, const bool *required,
                              struct ctr_err *err)
{
	cleanup_free char *cur = NULL;
	struct strbuf all;
	bool missing = false;
	int ret = 0;

	cg_read(dir, "cgroup.subtree_control", &cur, NULL);
	strbuf_init(&all);
	for (size_t i = 0; i < CTR_ARRAY_SIZE(v2_ctrls); i++) {
		if (!word_in(avail, v2_ctrls[i]))
			continue;
		if (cur && word_in(cur, v2_ctrls[i]))
			continue;
		strbuf_printf(&all, "%s+%s", all.len ? " " : "", v2_ctrls[i]);
		missing = true;
	}
	if (!missing || cg_write(dir, "cgroup.subtree_control", all.buf, NULL, NULL) == 0)
		goto out;
	/* One failed (e.g. cpu with realtime tasks): enable one by one. */
	for (size_t i = 0; i < CTR_ARRAY_SIZE(v2_ctrls); i++) {
		char buf[16];
		if (!word_in(avail, v2_ctrls[i]) || (cur && word_in(cur, v2_ctrls[i])))
			continue;
		snprintf(buf, sizeof buf, "+%s", v2_ctrls[i]);
		if (cg_write(dir, "cgroup.subtree_control", buf, NULL, err) < 0 && required[i]) {
			ctr_err_wrap(err, "cgroup controller \"%s\" cannot be enabled",
			             v2_ctrls[i]);
			ret = -1;
			goto out;
		}
	}
out:
	strbuf_release(&all);
	return ret;
}

static int make_dir(const char *dir, struct ctr_err *err)
{
	ctr_explain("mkdir", "create a cgroup (v2 unified hierarchy)", "%s", dir);
	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		return ctr_fail_errno(err, E_IO, errno, "cannot create cgroup %s", dir);
	return 0;
}

static int set_memory(struct ctr_cgroup *cg, const struct ctr_cgroup_limits *lim,
                      struct ctr_err *err)
{
	const char *d = cg->dir[0];
	char buf[32];
	int64_t swap;

	snprintf(buf, sizeof buf, "%" PRId64, lim->memory);
	if (cg_write(d, "memory.max", buf, "memory", err) < 0)
		return -1;
	if (lim->memory_swap == 0) {
		/* Docker's default: as much swap as memory. */
		if (!cg_has(d, "memory.swap.max")) {
			ctr_warn("kernel has no swap accounting: memory limited without swap limit",
			         "controller", "memory");
			return 0;
		}
		swap = lim->memory;
	} else {
		swap = lim->memory_swap < 0 ? -1 : lim->memory_swap - lim->memory;
	}
	if (swap < 0)
		snprintf(buf, sizeof buf, "max");
	else
		snprintf(buf, sizeof buf, "%" PRId64, swap);
	if (!cg_has(d, "memory.swap.max")) {
		if (swap < 0)
			return 0; /* unlimited is what we get anyway */
		ctr_fail(err, E_UNSUPPORTED,
		         "cgroup controller \"memory\" cannot limit swap on this host (no "
		         "memory.swap.max)");
		return ctr_hint(
		    err, "enable swap accounting (CONFIG_MEMCG_SWAP), or drop --memory-swap");
	}
	return cg_write(d, "memory.swap.max", buf, "memory", err);
}

static int apply_limits(struct ctr_cgroup *cg, const struct ctr_cgroup_limits *lim,
                        struct ctr_err *err)
{
	const char *d = cg->dir[0];
	char buf[64];

	if (lim->memory > 0 && set_memory(cg, lim, err) < 0)
		return -1;
	if (lim->cpus > 0) {
		snprintf(buf, sizeof buf, "%lld %d", (long long)(lim->cpus * CFS_PERIOD_US + 0.5),
		         CFS_PERIOD_US);
		if (cg_write(d, "cpu.max", buf, "cpu", err) < 0)
			return -1;
	}
	if (lim->cpu_shares > 0) {
		snprintf(buf, sizeof buf, "%" PRIu64,
		         cg_shares_to_weight((uint64_t)lim->cpu_shares));
		if (cg_write(d, "cpu.weight", buf, "cpu", err) < 0)
			return -1;
	}
	if (lim->pids_limit > 0) {
		snprintf(buf, sizeof buf, "%" PRId64, lim->pids_limit);
		if (cg_write(d, "pids.max", buf, "pids", err) < 0)
			return -1;
	}
	return 0;
}

int cg_v2_setup(struct ctr_cgroup *cg, const char *root, const struct ctr_cgroup_limits *lim,
                struct ctr_err *err)
{
	cleanup_free char *avail = NULL;
	bool required[CTR_ARRAY_SIZE(v2_ctrls)] = {lim->cpus > 0 || lim->cpu_shares > 0, false,
	                                           lim->memory > 0, lim->pids_limit > 0};
	static const char *const flag_of[] = {"--cpus/--cpu-shares", "", "--memory",
	                                      "--pids-limit"};
	cleanup_free char *dir = xstrdup(root);

	if (cg_read(root, "cgroup.controllers", &avail, NULL) < 0)
		avail = xstrdup("");
	for (size_t i = 0; i < CTR_ARRAY_SIZE(v2_ctrls); i++)
		if (required[i] && !word_in(avail, v2_ctrls[i]))
			return ctr_fail(err, E_UNSUPPORTED,
			                "cgroup controller \"%s\" is not available on this host "
			                "(needed for %s)",
			                v2_ctrls[i], flag_of[i]),
			       ctr_hint(err, "the cgroup2 root does not offer %s; drop %s",
			                v2_ctrls[i], flag_of[i]);
	/* Walk down: enable in each ancestor, then create the next level. */
	const char *rest = cg->relpath;
	while (*rest) {
		const char *slash = strchr(rest, '/');
		size_t n = slash ? (size_t)(slash - rest) : strlen(rest);
		if (enable_controllers(dir, avail, required, err) < 0)
			return -1;
		char *next = xasprintf("%s/%.*s", dir, (int)n, rest);
		free(dir);
		dir = next;
		if (make_dir(dir, err) < 0)
			return -1;
		rest += n + (slash ? 1 : 0);
	}
	if (cg_v2_devices_apply(cg->dir[0], lim->devices_all, err) < 0)
		return -1;
	return apply_limits(cg, lim, err);
}

/* Read "frozen" from cgroup.events; -1 when the file is missing. */
static int events_frozen(const char *d)
{
	cleanup_free char *ev = NULL;
	uint64_t v;

	if (cg_read(d, "cgroup.events", &ev, NULL) < 0 || cg_kv_get(ev, "frozen", &v) < 0)
		return -1;
	return v ? 1 : 0;
}

int cg_v2_freeze(struct ctr_cgroup *cg, bool frozen, struct ctr_err *err)
{
	const char *d = cg->dir[0];

	if (!cg_has(d, "cgroup.freeze"))
		return ctr_fail(err, E_UNSUPPORTED,
		                "cgroup freezer is not available for %s (no cgroup.freeze)",
		                cg->relpath),
		       ctr_hint(err, "pause needs Linux 5.2 or newer on cgroup v2");
	if (cg_write(d, "cgroup.freeze", frozen ? "1" : "0", "freezer", err) < 0)
		return -1;
	for (int i = 0; i < 500; i++) {
		int f = events_frozen(d);
		if (f < 0 || f == (int)frozen)
			return 0;
		cg_sleep_ms(10);
	}
	if (frozen)
		cg_write(d, "cgroup.freeze", "0", "freezer", NULL);
	return ctr_fail(err, E_IO, "cgroup %s did not become %s", cg->relpath,
	                frozen ? "frozen" : "thawed");
}

bool cg_v2_is_frozen(struct ctr_cgroup *cg)
{
	uint64_t v = 0;
	int f = events_frozen(cg->dir[0]);

	if (f >= 0)
		return f == 1;
	return cg_read_u64(cg->dir[0], "cgroup.freeze", &v) == 0 && v == 1;
}

int cg_v2_kill(struct ctr_cgroup *cg, struct ctr_err *err)
{
	if (!cg_has(cg->dir[0], "cgroup.kill"))
		return 1;
	return cg_write(cg->dir[0], "cgroup.kill", "1", NULL, err);
}

int cg_v2_stats(struct ctr_cgroup *cg, struct ctr_cgroup_stats *out, struct ctr_err *err)
{
	const char *d = cg->dir[0];
	cleanup_free char *text = NULL;
	uint64_t v, host_mem = cg_host_mem_total();

	if (access(d, F_OK) < 0)
		return ctr_fail(err, E_NOT_FOUND, "cgroup %s does not exist", cg->relpath),
		       ctr_hint(err, "the container is probably not running");
	if (cg_read(d, "cpu.stat", &text, NULL) == 0 && cg_kv_get(text, "usage_usec", &v) == 0)
		out->cpu_usage_ns = v * 1000;
	free(steal_pointer(&text));
	if (cg_read_u64(d, "memory.current", &v) == 0) {
		uint64_t inactive = 0;
		if (cg_read(d, "memory.stat", &text, NULL) == 0 &&
		    cg_kv_get(text, "inactive_file", &inactive) == 0 && inactive < v)
			v -= inactive;
		out->mem_usage = v;
	}
	free(steal_pointer(&text));
	out->mem_limit = host_mem;
	if (cg_read_u64(d, "memory.max", &v) == 0 && (host_mem == 0 || v < host_mem))
		out->mem_limit = v;
	if (cg_read(d, "memory.events", &text, NULL) == 0 && cg_kv_get(text, "oom_kill", &v) == 0)
		out->oom_killed = v > 0;
	free(steal_pointer(&text));
	if (cg_read_u64(d, "pids.current", &v) == 0) {
		out->pids = v;
	} else {
		cleanup_free pid_t *pids = NULL;
		size_t n = 0;
		if (cg_read_procs(d, &pids, &n, NULL) == 0)
			out->pids = n;
	}
	if (cg_read(d, "io.stat", &text, NULL) == 0)
		cg_parse_io_stat(text, &out->blk_read, &out->blk_write);
	return 0;
}
