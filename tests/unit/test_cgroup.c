/*
 * test_cgroup.c - cgroup backends against fake cgroup trees in a temp dir.
 *
 * The test creates the interface files a kernel would show, points the
 * module at the tree with ctr_cgroup_set_root_for_test(), calls the public
 * API and checks what was written (limits, subtree_control, cgroup.procs,
 * freezer) and what was read (stats, OOM).  Also: mountinfo parsing for
 * v1 / v2 / hybrid hosts and the pure parsers.  Real-kernel tests are in
 * test_cgroup_real.c.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cgroup/cgroup_internal.h"
#include "containr/cgroup.h"
#include "containr/log.h"
#include "containr/util.h"

static char tmp[64];

static void put(const char *rel, const char *content)
{
	cleanup_free char *path = ctr_path_join(tmp, rel);
	cleanup_free char *dir = xstrdup(path);
	*strrchr(dir, '/') = '\0';
	cr_assert_eq(ctr_mkdir_p(dir, 0755, NULL), 0);
	FILE *f = fopen(path, "w");
	cr_assert(f, "create %s", path);
	fputs(content, f);
	fclose(f);
}

static char *get(const char *rel)
{
	cleanup_free char *path = ctr_path_join(tmp, rel);
	char *s = NULL;
	size_t len = 0;
	cr_assert_eq(ctr_read_file(path, &s, &len, NULL), 0, "read %s", path);
	while (len && s[len - 1] == '\n')
		s[--len] = '\0';
	return s;
}

#define expect_file(rel, want)                                                                     \
	do {                                                                                       \
		cleanup_free char *got_ = get(rel);                                                \
		cr_assert_str_eq(got_, want, "%s: got \"%s\" want \"%s\"", rel, got_, want);       \
	} while (0)

static void setup(void)
{
	snprintf(tmp, sizeof tmp, "/tmp/ctr-cgtest-XXXXXX");
	cr_assert(mkdtemp(tmp));
}

static void teardown(void)
{
	ctr_cgroup_set_root_for_test(CTR_CGROUP_NONE, NULL);
	ctr_rm_rf(tmp, NULL);
}

static uint64_t meminfo_total(void)
{
	return cg_host_mem_total();
}

/* ---- mountinfo ------------------------------------------------------------ */

Test(cgroup, mountinfo_hybrid_separate_cpu_cpuacct)
{
	const char *mi =
	    "30 22 0:27 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n"
	    "31 30 0:28 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu\n"
	    "32 30 0:29 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct\n"
	    "34 30 0:31 / /sys/fs/cgroup/memory rw,relatime shared:9 - cgroup cgroup rw,memory\n"
	    "36 30 0:33 / /sys/fs/cgroup/freezer rw,relatime - cgroup cgroup rw,freezer\n"
	    "37 30 0:34 / /sys/fs/cgroup/blkio rw,relatime - cgroup cgroup rw,blkio\n"
	    "38 30 0:35 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids\n"
	    "39 30 0:36 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,name=systemd\n"
	    "40 30 0:37 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw\n";
	struct cg_host h;

	cg_parse_mountinfo(mi, &h);
	cr_assert_eq(h.mode, CTR_CGROUP_HYBRID);
	cr_assert_str_eq(h.v2_root, "/sys/fs/cgroup/unified");
	cr_assert_str_eq(h.v1_mnt[CG_CPU], "/sys/fs/cgroup/cpu");
	cr_assert_str_eq(h.v1_mnt[CG_CPUACCT], "/sys/fs/cgroup/cpuacct");
	cr_assert_str_eq(h.v1_mnt[CG_MEMORY], "/sys/fs/cgroup/memory");
	cr_assert_str_eq(h.v1_mnt[CG_PIDS], "/sys/fs/cgroup/pids");
	cr_assert_str_eq(h.v1_mnt[CG_FREEZER], "/sys/fs/cgroup/freezer");
	cr_assert_str_eq(h.v1_mnt[CG_BLKIO], "/sys/fs/cgroup/blkio");
	/* membership-only: name=systemd, and unified on a hybrid host */
	cr_assert_str_eq(h.v1_mnt[CG_SYSTEMD], "/sys/fs/cgroup/systemd");
	cr_assert_str_eq(h.v1_mnt[CG_UNIFIED], "/sys/fs/cgroup/unified");
	cr_assert_null(h.v1_mnt[CG_CPUSET]);
	cg_host_release(&h);
}

Test(cgroup, mountinfo_v2_with_a_systemd_v1_hierarchy_stays_v2)
{
	struct cg_host h;

	cg_parse_mountinfo("25 1 0:22 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n"
	                   "26 1 0:23 / /run/systemd/c rw - cgroup cgroup rw,name=systemd\n",
	                   &h);
	cr_assert_eq(h.mode, CTR_CGROUP_V2);
	cr_assert_null(h.v1_mnt[CG_SYSTEMD]);
	cr_assert_null(h.v1_mnt[CG_UNIFIED]);
	cg_host_release(&h);
}

Test(cgroup, mountinfo_v1_comounted_and_escaped)
{
	const char *mi =
	    "31 30 0:28 / /sys/fs/cgroup/cpu,cpuacct rw - cgroup cgroup rw,cpu,cpuacct\n"
	    "34 30 0:31 / /mnt/my\\040cg rw - cgroup cgroup rw,memory\n";
	struct cg_host h;

	cg_parse_mountinfo(mi, &h);
	cr_assert_eq(h.mode, CTR_CGROUP_V1);
	cr_assert_null(h.v2_root);
	cr_assert_str_eq(h.v1_mnt[CG_CPU], "/sys/fs/cgroup/cpu,cpuacct");
	cr_assert_str_eq(h.v1_mnt[CG_CPUACCT], "/sys/fs/cgroup/cpu,cpuacct");
	cr_assert_str_eq(h.v1_mnt[CG_MEMORY], "/mnt/my cg");
	cr_assert_null(h.v1_mnt[CG_PIDS]);
	cg_host_release(&h);
}

Test(cgroup, mountinfo_v2_and_none)
{
	struct cg_host h;

	cg_parse_mountinfo("25 1 0:22 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw,nsdelegate\n",
	                   &h);
	cr_assert_eq(h.mode, CTR_CGROUP_V2);
	cr_assert_str_eq(h.v2_root, "/sys/fs/cgroup");
	cg_host_release(&h);
	cg_parse_mountinfo("22 1 8:1 / / rw - ext4 /dev/vda rw\n", &h);
	cr_assert_eq(h.mode, CTR_CGROUP_NONE);
	cg_host_release(&h);
	cr_assert_str_eq(ctr_cgroup_mode_name(CTR_CGROUP_HYBRID), "hybrid");
}

Test(cgroup, detect_this_host)
{
	/* mode must agree with the mountinfo of the machine running the test */
	enum ctr_cgroup_mode m = ctr_cgroup_detect();
	cleanup_free char *mi = NULL;
	cr_assert_eq(ctr_read_file("/proc/self/mountinfo", &mi, NULL, NULL), 0);
	bool has2 = strstr(mi, " - cgroup2 ") != NULL;
	bool has1 = strstr(mi, " - cgroup cgroup ") != NULL;
	if (has1 && has2)
		cr_assert_eq(m, CTR_CGROUP_HYBRID);
	else if (has2)
		cr_assert_eq(m, CTR_CGROUP_V2);
	else if (has1)
		cr_assert_eq(m, CTR_CGROUP_V1);
}

/* ---- what a container mounts at /sys/fs/cgroup (cgroup namespace) -------- */

/* "kind path [data]" per entry, one line each, to compare whole plans. */
static char *plan_text(const char *mountinfo)
{
	struct ctr_cgroup_mnt_plan p;
	struct strbuf b;
	static const char *const kinds[] = {"tmpfs", "cgroup", "cgroup2", "symlink"};

	ctr_cgroup_ns_plan(mountinfo, &p);
	strbuf_init(&b);
	for (size_t i = 0; i < p.n; i++)
		strbuf_printf(&b, "%s /%s%s%s\n", kinds[p.v[i].kind], p.v[i].path,
		              p.v[i].data ? " " : "", p.v[i].data ? p.v[i].data : "");
	ctr_cgroup_ns_plan_free(&p);
	return strbuf_detach(&b);
}

Test(cgroup_ns, v2_mounts_the_unified_tree_at_the_top)
{
	cleanup_free char *got =
	    plan_text("22 1 8:1 / / rw - ext4 /dev/vda rw\n"
	              "25 21 0:22 / /sys/fs/cgroup rw,nosuid,nodev,noexec - cgroup2 cgroup2 "
	              "rw,nsdelegate,memory_recursiveprot\n");
	/* no tmpfs, no options (nsdelegate is refused outside the init namespace) */
	cr_assert_str_eq(got, "cgroup2 /\n");
}

Test(cgroup_ns, hybrid_mounts_each_hierarchy_and_unified)
{
	cleanup_free char *got =
	    plan_text("30 22 0:27 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n"
	              "31 30 0:28 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu\n"
	              "34 30 0:31 / /sys/fs/cgroup/memory rw shared:9 - cgroup cgroup rw,memory\n"
	              "38 30 0:35 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids\n"
	              "39 30 0:36 / /sys/fs/cgroup/systemd rw - cgroup cgroup "
	              "rw,xattr,release_agent=/lib/systemd/systemd-cgroups-agent,name=systemd\n"
	              "40 30 0:37 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw\n"
	              /* the same hierarchy bind-mounted elsewhere: once only */
	              "90 22 0:31 /x /mnt/memory rw - cgroup cgroup rw,memory\n");
	cr_assert_str_eq(got, "tmpfs /\n"
	                      "cgroup /cpu cpu\n"
	                      "cgroup /memory memory\n"
	                      "cgroup /pids pids\n"
	                      "cgroup /systemd xattr,name=systemd\n"
	                      "cgroup2 /unified\n");
}

Test(cgroup_ns, v1_comounted_gets_symlinks)
{
	cleanup_free char *got = plan_text(
	    "31 30 0:28 / /sys/fs/cgroup/cpu,cpuacct rw - cgroup cgroup rw,cpu,cpuacct\n"
	    "32 30 0:29 / /sys/fs/cgroup/net_cls,net_prio rw - cgroup cgroup rw,net_cls,net_prio\n"
	    "33 30 0:30 / /sys/fs/cgroup/cpu rw - cgroup cgroup rw,cpu,cpuacct\n"
	    "34 30 0:31 / /sys/fs/cgroup/my\\040mem rw - cgroup cgroup ro,memory\n");
	/* "cpu" is already a mount point (a duplicate of cpu,cpuacct): no symlink */
	cr_assert_str_eq(got, "tmpfs /\n"
	                      "cgroup /cpu,cpuacct cpu,cpuacct\n"
	                      "cgroup /net_cls,net_prio net_cls,net_prio\n"
	                      "cgroup /cpu cpu,cpuacct\n"
	                      "cgroup /my mem memory\n"
	                      "symlink /cpuacct cpu,cpuacct\n"
	                      "symlink /net_cls net_cls,net_prio\n"
	                      "symlink /net_prio net_cls,net_prio\n");
}

Test(cgroup_ns, no_cgroup_filesystem_mounts_nothing)
{
	cleanup_free char *got = plan_text("22 1 8:1 / / rw - ext4 /dev/vda rw\n");
	cr_assert_str_eq(got, "");
	cleanup_free char *none = plan_text("");
	cr_assert_str_eq(none, "");
}

Test(cgroup_ns, this_host)
{
	/* The plan of the machine running the test matches its mode. */
	cleanup_free char *mi = NULL;
	struct ctr_cgroup_mnt_plan p;
	enum ctr_cgroup_mode m = ctr_cgroup_detect();

	cr_assert_eq(ctr_read_file("/proc/self/mountinfo", &mi, NULL, NULL), 0);
	ctr_cgroup_ns_plan(mi, &p);
	if (m == CTR_CGROUP_V2) {
		cr_assert_eq(p.n, 1);
		cr_assert_eq(p.v[0].kind, CTR_CGMNT_V2);
	} else if (m == CTR_CGROUP_V1 || m == CTR_CGROUP_HYBRID) {
		bool memory = false, unified = false;
		cr_assert_eq(p.v[0].kind, CTR_CGMNT_TMPFS);
		for (size_t i = 0; i < p.n; i++) {
			if (p.v[i].kind == CTR_CGMNT_V1 && strstr(p.v[i].data, "memory"))
				memory = true;
			if (p.v[i].kind == CTR_CGMNT_V2)
				unified = true;
		}
		cr_assert(memory, "the memory hierarchy is in the plan");
		cr_assert_eq(unified, m == CTR_CGROUP_HYBRID);
	}
	ctr_cgroup_ns_plan_free(&p);
}

/* ---- parsers -------------------------------------------------------------- */

Test(cgroup, shares_to_weight)
{
	cr_assert_eq(cg_shares_to_weight(2), 1);
	cr_assert_eq(cg_shares_to_weight(1024), 39);
	cr_assert_eq(cg_shares_to_weight(262144), 10000);
	cr_assert_eq(cg_shares_to_weight(512), 20);
}

Test(cgroup, parse_blkio_and_io_stat)
{
	uint64_t r, w;

	cg_parse_blkio("8:0 Read 4096\n8:0 Write 8192\n8:0 Sync 1\n8:0 Async 2\n8:0 Total 12288\n"
	               "8:16 Read 10\n8:16 Write 20\nTotal 12318\n",
	               &r, &w);
	cr_assert_eq(r, 4106);
	cr_assert_eq(w, 8212);
	cg_parse_io_stat("8:0 rbytes=100 wbytes=200 rios=1 wios=2 dbytes=0 dios=0\n"
	                 "253:0 rbytes=5 wbytes=7 rios=1 wios=1 dbytes=0 dios=0\n",
	                 &r, &w);
	cr_assert_eq(r, 105);
	cr_assert_eq(w, 207);
}

/* ---- v2 fake tree ----------------------------------------------------------- */

static void v2_tree(const char *controllers)
{
	put("cgroup.controllers", controllers);
	put("cgroup.subtree_control", "");
	put("containr/cgroup.subtree_control", "");
	put("containr/t1/cgroup.procs", "");
	put("containr/t1/memory.max", "max");
	put("containr/t1/memory.swap.max", "max");
	put("containr/t1/cpu.max", "max 100000");
	put("containr/t1/cpu.weight", "100");
	put("containr/t1/pids.max", "max");
	put("containr/t1/cgroup.freeze", "0");
	ctr_cgroup_set_root_for_test(CTR_CGROUP_V2, tmp);
}

Test(cgroup, v2_create_writes_limits, .init = setup, .fini = teardown)
{
	struct ctr_cgroup_limits lim = {.memory = 64 << 20,
	                                .memory_swap = 128 << 20,
	                                .cpus = 0.5,
	                                .cpu_shares = 1024,
	                                .pids_limit = 50};
	struct ctr_cgroup *cg = NULL;
	struct ctr_err err = {0};

	v2_tree("cpuset cpu io memory hugetlb pids");
	cr_assert_eq(ctr_cgroup_create(NULL, "t1", &lim, &cg, &err), 0, "%s", err.msg);
	cr_assert_str_eq(ctr_cgroup_path(cg), "containr/t1");
	expect_file("cgroup.subtree_control", "+cpu +io +memory +pids");
	expect_file("containr/cgroup.subtree_control", "+cpu +io +memory +pids");
	expect_file("containr/t1/memory.max", "67108864");
	expect_file("containr/t1/memory.swap.max", "67108864");
	expect_file("containr/t1/cpu.max", "50000 100000");
	expect_file("containr/t1/cpu.weight", "39");
	expect_file("containr/t1/pids.max", "50");
	cr_assert_eq(ctr_cgroup_add_pid(cg, 1234, &err), 0, "%s", err.msg);
	expect_file("containr/t1/cgroup.procs", "1234");
	ctr_cgroup_free(cg);
}

Test(cgroup, v2_swap_default_and_unlimited, .init = setup, .fini = teardown)
{
	struct ctr_cgroup_limits lim = {.memory = 32 << 20};
	struct ctr_cgroup *cg = NULL;
	struct ctr_err err = {0};

	v2_tree("cpu io memory pids");
	cr_assert_eq(ctr_cgroup_create("containr", "t1", &lim, &cg, &err), 0, "%s", err.msg);
	expect_file("containr/t1/memory.swap.max", "33554432"); /* as much swap as memory */
	ctr_cgroup_free(cg);
	lim.memory_swap = -1;
	cr_assert_eq(ctr_cgroup_create("containr", "t1", &lim, &cg, &err), 0, "%s", err.msg);
	expect_file("containr/t1/memory.swap.max", "max");
	ctr_cgroup_free(cg);
}

Test(cgroup, v2_missing_controller_is_named, .init = setup, .fini = teardown)
{
	struct ctr_cgroup_limits lim = {.pids_limit = 10};
	struct ctr_cgroup *cg = NULL;
	struct ctr_err err = {0};

	v2_tree("cpu io memory");
	cr_assert_lt(ctr_cgroup_create(NULL, "t1", &lim, &cg, &err), 0);
	cr_assert_eq(err.code, E_UNSUPPORTED);
	cr_assert(strstr(err.msg, "\"pids\""), "%s", err.msg);
	cr_assert(strstr(err.msg, "--pids-limit"), "%s", err.msg);
}

Test(cgroup, v2_swap_unsupported_is_an_error, .init = setup, .fini = teardown)
{
	struct ctr_cgroup_limits lim = {.memory = 32 << 20, .memory_swap = 64 << 20};
	struct ctr_cgroup *cg = NULL;
	struct ctr_err err = {0};

	v2_tree("cpu io memory pids");
	cleanup_free char *p = ctr_path_join(tmp, "containr/t1/memory.swap.max");
	unlink(p);
	cr_assert_lt(ctr_cgroup_create(NULL, "t1", &lim, &cg, &err), 0);
	cr_assert_eq(err.code, E_UNSUPPORTED);
	cr_assert(strstr(err.msg, "memory"), "%s", err.msg);
}

Test(cgroup, invalid_limits_rejected, .init = setup, .fini = teardown)
{
	struct ctr_cgroup *cg = NULL;
	struct ctr_err err = {0};
	struct ctr_cgroup_limits lim = {.memory = 64 << 20, .memory_swap = 32 << 20};

	v2_tree("cpu io memory pids");
	cr_assert_lt(ctr_cgroup_create(NULL, "t1", &lim, &cg, &err), 0);
	cr_assert_eq(err.code, E_INVALID_ARG);
	struct ctr_cgroup_limits small = {.memory = 1 << 20};
	cr_assert_lt(ctr_cgroup_create(NULL, "t1", &small, &cg, &err), 0);
	cr_assert(strstr(err.msg, "6MB"), "%s", err.msg);
	struct ctr_cgroup_limits cpus = {.cpus = 4096};
	cr_assert_lt(ctr_cgroup_create(NULL, "t1", &cpus, &cg, &err), 0);
	cr_assert_eq(err.code, E_INVALID_ARG);
	cr_assert_lt(ctr_cgroup_create("../etc", "t1", NULL, &cg, &err), 0);
	cr_assert_eq(err.code, E_INVALID_ARG);
	cr_assert_lt(ctr_cgroup_create(NULL, "a/b", NULL, &cg, &err), 0);
	cr_assert_eq(err.code, E_INVALID_ARG);
}

Test(cgroup, v2_open_missing_is_not_found, .init = setup, .fini = teardown)
{
	struct ctr_cgroup *cg = NULL;
	struct ctr_err err = {0};

	v2_tree("cpu io memory pids");
	cr_assert_lt(ctr_cgroup_open("containr/nope", &cg, &err), 0);
	cr_assert_eq(err.code, E_NOT_FOUND);
	cr_assert_eq(ctr_cgroup_open("containr/t1", &cg, &err), 0, "%s", err.msg);
	ctr_cgroup_free(cg);
}

Test(cgroup, v2_freeze_pids_stats, .init = setup, .fini = teardown)
{
	struct ctr_cgroup *cg = NULL;
	struct ctr_err err = {0};
	struct ctr_cgroup_stats st;
	cleanup_free pid_t *pids = NULL;
	size_t n = 0;

	v2_tree("cpu io memory pids");
	put("containr/t1/cgroup.procs", "10\n11\n");
	put("containr/t1/sub/cgroup.procs", "12\n");
	put("containr/t1/cgroup.events", "populated 1\nfrozen 1\n");
	put("containr/t1/cpu.stat", "usage_usec 2500\nuser_usec 2000\nsystem_usec 500\n");
	put("containr/t1/memory.current", "10485760\n");
	put("containr/t1/memory.stat",
	    "anon 1\nfile 5\ninactive_anon 0\nactive_file 0\ninactive_file 4194304\n");
	put("containr/t1/memory.events", "low 0\nhigh 0\nmax 3\noom 1\noom_kill 1\n");
	put("containr/t1/pids.current", "3\n");
	put("containr/t1/io.stat", "8:0 rbytes=100 wbytes=200 rios=1 wios=2 dbytes=0 dios=0\n");
	cr_assert_eq(ctr_cgroup_open("containr/t1", &cg, &err), 0, "%s", err.msg);

	cr_assert_eq(ctr_cgroup_freeze(cg, true, &err), 0, "%s", err.msg);
	expect_file("containr/t1/cgroup.freeze", "1");
	cr_assert(ctr_cgroup_is_frozen(cg));

	cr_assert_eq(ctr_cgroup_pids(cg, &pids, &n, &err), 0, "%s", err.msg);
	cr_assert_eq(n, 3);
	cr_assert_eq(pids[0], 10);
	cr_assert_eq(pids[2], 12);

	cr_assert_eq(ctr_cgroup_stats(cg, &st, &err), 0, "%s", err.msg);
	cr_assert_eq(st.cpu_usage_ns, 2500000);
	cr_assert_eq(st.mem_usage, 10485760 - 4194304);
	cr_assert_eq(st.mem_limit, meminfo_total()); /* memory.max = max */
	cr_assert_eq(st.pids, 3);
	cr_assert_eq(st.blk_read, 100);
	cr_assert_eq(st.blk_write, 200);
	cr_assert(st.oom_killed);
	cr_assert(ctr_cgroup_oom_killed(cg));

	put("containr/t1/memory.events", "low 0\nhigh 0\nmax 0\noom 0\noom_kill 0\n");
	put("containr/t1/memory.max", "33554432\n");
	cr_assert_eq(ctr_cgroup_stats(cg, &st, &err), 0, "%s", err.msg);
	cr_assert_not(st.oom_killed);
	cr_assert_eq(st.mem_limit, 33554432);
	ctr_cgroup_free(cg);
}

Test(cgroup, explain_names_each_write, .init = setup, .fini = teardown)
{
	struct ctr_cgroup_limits lim = {.memory = 64 << 20};
	struct ctr_cgroup *cg = NULL;
	struct ctr_err err = {0};
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	v2_tree("cpu io memory pids");
	ctr_explain_set_stream(f);
	ctr_explain_set(true);
	int r = ctr_cgroup_create(NULL, "t1", &lim, &cg, &err);
	ctr_explain_set(false);
	ctr_explain_set_stream(NULL);
	fclose(f);
	cr_assert_eq(r, 0, "%s", err.msg);
	cr_assert(strstr(buf, "memory.max = 67108864"), "%s", buf);
	cr_assert(strstr(buf, "hard memory limit"), "%s", buf);
	free(buf);
	ctr_cgroup_free(cg);
}

/* ---- v1 fake tree ----------------------------------------------------------- */

static void v1_tree(bool memsw)
{
	put("memory/containr/t1/cgroup.procs", "");
	put("memory/containr/t1/memory.limit_in_bytes", "9223372036854771712");
	if (memsw)
		put("memory/containr/t1/memory.memsw.limit_in_bytes", "9223372036854771712");
	put("cpu/containr/t1/cgroup.procs", "");
	put("cpu/containr/t1/cpu.cfs_period_us", "100000");
	put("cpu/containr/t1/cpu.cfs_quota_us", "-1");
	put("cpu/containr/t1/cpu.shares", "1024");
	put("cpuacct/containr/t1/cgroup.procs", "");
	put("pids/containr/t1/cgroup.procs", "");
	put("pids/containr/t1/pids.max", "max");
	put("blkio/containr/t1/cgroup.procs", "");
	put("freezer/containr/t1/cgroup.procs", "");
	put("freezer/containr/t1/freezer.state", "THAWED");
	put("devices/containr/t1/cgroup.procs", "");
	put("devices/containr/t1/devices.deny", "");
	put("devices/containr/t1/devices.allow", "");
	ctr_cgroup_set_root_for_test(CTR_CGROUP_HYBRID, tmp);
}

Test(cgroup, v1_create_writes_limits, .init = setup, .fini = teardown)
{
	struct ctr_cgroup_limits lim = {.memory = 64 << 20,
	                                .memory_swap = 128 << 20,
	                                .cpus = 1.5,
	                                .cpu_shares = 512,
	                                .pids_limit = 50};
	struct ctr_cgroup *cg = NULL;
	struct ctr_err err = {0};

	v1_tree(true);
	cr_assert_eq(ctr_cgroup_create(NULL, "t1", &lim, &cg, &err), 0, "%s", err.msg);
	expect_file("memory/containr/t1/memory.limit_in_bytes", "67108864");
	expect_file("memory/containr/t1/memory.memsw.limit_in_bytes", "134217728");
	expect_file("cpu/containr/t1/cpu.cfs_period_us", "100000");
	expect_file("cpu/containr/t1/cpu.cfs_quota_us", "150000");
	expect_file("cpu/containr/t1/cpu.shares", "512");
	expect_file("pids/containr/t1/pids.max", "50");
	/* Docker's device policy: deny all, then the allowlist (last entry) */
	expect_file("devices/containr/t1/devices.deny", "a");
	expect_file("devices/containr/t1/devices.allow", "c 10:200 rwm");
	cr_assert_eq(ctr_cgroup_add_pid(cg, 4321, &err), 0, "%s", err.msg);
	expect_file("memory/containr/t1/cgroup.procs", "4321");
	expect_file("cpuacct/containr/t1/cgroup.procs", "4321");
	expect_file("freezer/containr/t1/cgroup.procs", "4321");
	ctr_cgroup_free(cg);
}

Test(cgroup, v1_membership_cpuset_filled_and_best_effort, .init = setup, .fini = teardown)
{
	struct ctr_cgroup *cg = NULL;
	struct ctr_err err = {0};

	/* cpuset: a new cgroup starts empty; its cpus/mems are copied down
	 * level by level.  name=systemd has no directory in this fake tree:
	 * left out, not an error. */
	put("cpuset/cpuset.cpus", "0-3");
	put("cpuset/cpuset.mems", "0");
	put("cpuset/containr/cpuset.cpus", "");
	put("cpuset/containr/cpuset.mems", "");
	put("cpuset/containr/t1/cpuset.cpus", "");
	put("cpuset/containr/t1/cpuset.mems", "");
	put("cpuset/containr/t1/cgroup.procs", "");
	v1_tree(true);
	cr_assert_eq(ctr_cgroup_create(NULL, "t1", NULL, &cg, &err), 0, "%s", err.msg);
	expect_file("cpuset/containr/cpuset.cpus", "0-3");
	expect_file("cpuset/containr/t1/cpuset.cpus", "0-3");
	expect_file("cpuset/containr/t1/cpuset.mems", "0");
	cr_assert_eq(ctr_cgroup_add_pid(cg, 77, &err), 0, "%s", err.msg);
	expect_file("cpuset/containr/t1/cgroup.procs", "77");
	ctr_cgroup_free(cg);
}

Test(cgroup, v1_membership_failure_is_not_fatal, .init = setup, .fini = teardown)
{
	struct ctr_cgroup *cg = NULL;
	struct ctr_err err = {0};

	/* no cpuset.cpus files at all: the cpuset part is dropped, the
	 * container still gets its cgroup and limits */
	put("cpuset/cgroup.procs", "");
	v1_tree(true);
	cr_assert_eq(ctr_cgroup_create(NULL, "t1", NULL, &cg, &err), 0, "%s", err.msg);
	cr_assert_eq(ctr_cgroup_add_pid(cg, 78, &err), 0, "%s", err.msg);
	expect_file("memory/containr/t1/cgroup.procs", "78");
	cleanup_free char *d = ctr_path_join(tmp, "cpuset/containr/t1");
	cr_assert_neq(access(d, F_OK), 0, "the failed cpuset cgroup is removed");
	ctr_cgroup_free(cg);
}

Test(cgroup, v1_privileged_allows_all_devices, .init = setup, .fini = teardown)
{
	struct ctr_cgroup_limits lim = {.devices_all = true};
	struct ctr_cgroup *cg = NULL;
	struct ctr_err err = {0};

	v1_tree(true);
	cr_assert_eq(ctr_cgroup_create(NULL, "t1", &lim, &cg, &err), 0, "%s", err.msg);
	expect_file("devices/containr/t1/devices.allow", "a");
	expect_file("devices/containr/t1/devices.deny", "");
	ctr_cgroup_free(cg);
}

Test(cgroup, v1_swap_default_double, .init = setup, .fini = teardown)
{
	struct ctr_cgroup_limits lim = {.memory = 64 << 20};
	struct ctr_cgroup *cg = NULL;
	struct ctr_err err = {0};

	v1_tree(true);
	cr_assert_eq(ctr_cgroup_create(NULL, "t1", &lim, &cg, &err), 0, "%s", err.msg);
	expect_file("memory/containr/t1/memory.memsw.limit_in_bytes", "134217728");
	ctr_cgroup_free(cg);
}

Test(cgroup, v1_unenforceable_limits_fail, .init = setup, .fini = teardown)
{
	struct ctr_cgroup_limits lim = {.memory = 64 << 20, .memory_swap = 128 << 20};
	struct ctr_cgroup *cg = NULL;
	struct ctr_err err = {0};

	v1_tree(false); /* no swap accounting */
	cr_assert_lt(ctr_cgroup_create(NULL, "t1", &lim, &cg, &err), 0);
	cr_assert_eq(err.code, E_UNSUPPORTED);
	cr_assert(strstr(err.msg, "memory"), "%s", err.msg);
	/* memory alone still works without memsw */
	lim.memory_swap = 0;
	cr_assert_eq(ctr_cgroup_create(NULL, "t1", &lim, &cg, &err), 0, "%s", err.msg);
	ctr_cgroup_free(cg);

	/* pids controller not mounted at all */
	cleanup_free char *pids = ctr_path_join(tmp, "pids");
	ctr_rm_rf(pids, NULL);
	ctr_cgroup_set_root_for_test(CTR_CGROUP_V1, tmp);
	struct ctr_cgroup_limits pl = {.pids_limit = 5};
	cr_assert_lt(ctr_cgroup_create(NULL, "t1", &pl, &cg, &err), 0);
	cr_assert_eq(err.code, E_UNSUPPORTED);
	cr_assert(strstr(err.msg, "\"pids\""), "%s", err.msg);
}

Test(cgroup, v1_freeze_and_stats, .init = setup, .fini = teardown)
{
	struct ctr_cgroup *cg = NULL;
	struct ctr_err err = {0};
	struct ctr_cgroup_stats st;

	v1_tree(true);
	put("cpuacct/containr/t1/cpuacct.usage", "123456789\n");
	put("memory/containr/t1/memory.usage_in_bytes", "20971520\n");
	put("memory/containr/t1/memory.stat",
	    "cache 1\nrss 2\ninactive_file 7\ntotal_inactive_file 1048576\n");
	put("memory/containr/t1/memory.limit_in_bytes", "67108864\n");
	put("memory/containr/t1/memory.oom_control",
	    "oom_kill_disable 0\nunder_oom 0\noom_kill 2\n");
	put("pids/containr/t1/pids.current", "4\n");
	put("blkio/containr/t1/blkio.throttle.io_service_bytes_recursive",
	    "8:0 Read 4096\n8:0 Write 8192\n8:0 Total 12288\nTotal 12288\n");
	cr_assert_eq(ctr_cgroup_open("containr/t1", &cg, &err), 0, "%s", err.msg);

	cr_assert_eq(ctr_cgroup_freeze(cg, true, &err), 0, "%s", err.msg);
	expect_file("freezer/containr/t1/freezer.state", "FROZEN");
	cr_assert(ctr_cgroup_is_frozen(cg));
	cr_assert_eq(ctr_cgroup_freeze(cg, false, &err), 0, "%s", err.msg);
	expect_file("freezer/containr/t1/freezer.state", "THAWED");
	cr_assert_not(ctr_cgroup_is_frozen(cg));

	cr_assert_eq(ctr_cgroup_stats(cg, &st, &err), 0, "%s", err.msg);
	cr_assert_eq(st.cpu_usage_ns, 123456789);
	cr_assert_eq(st.mem_usage, 20971520 - 1048576);
	cr_assert_eq(st.mem_limit, 67108864);
	cr_assert_eq(st.pids, 4);
	cr_assert_eq(st.blk_read, 4096);
	cr_assert_eq(st.blk_write, 8192);
	cr_assert(st.oom_killed);

	/* old kernel without the oom_kill counter: memsw.failcnt heuristic */
	put("memory/containr/t1/memory.oom_control", "oom_kill_disable 0\nunder_oom 0\n");
	put("memory/containr/t1/memory.memsw.failcnt", "0\n");
	cr_assert_not(ctr_cgroup_oom_killed(cg));
	put("memory/containr/t1/memory.memsw.failcnt", "3\n");
	cr_assert(ctr_cgroup_oom_killed(cg));
	/* unlimited memory reports the host's memory */
	put("memory/containr/t1/memory.limit_in_bytes", "9223372036854771712\n");
	cr_assert_eq(ctr_cgroup_stats(cg, &st, &err), 0, "%s", err.msg);
	cr_assert_eq(st.mem_limit, meminfo_total());
	ctr_cgroup_free(cg);
}

/* ---- features (info's MemoryLimit, SwapLimit, …) ------------------------------ */

Test(cgroup, features_v2, .init = setup, .fini = teardown)
{
	struct ctr_cgroup_features f;

	v2_tree("cpu memory pids");
	ctr_cgroup_features(&f);
	cr_assert(f.memory && f.cpu_cfs && f.cpu_shares && f.pids);
	cr_assert(!f.swap, "no child cgroup has memory.swap.max");
	cr_assert(!f.oom_kill_disable, "v2 has no memory.oom_control");
	put("containr/memory.swap.max", "max");
	ctr_cgroup_features(&f);
	cr_assert(f.swap);
	v2_tree("pids");
	ctr_cgroup_features(&f);
	cr_assert(!f.memory && !f.cpu_cfs && f.pids);
}

Test(cgroup, features_v1, .init = setup, .fini = teardown)
{
	struct ctr_cgroup_features f;

	put("memory/memory.oom_control", "oom_kill_disable 0");
	put("memory/memory.limit_in_bytes", "max");
	put("cpu/cpu.shares", "1024");
	ctr_cgroup_set_root_for_test(CTR_CGROUP_V1, tmp);
	ctr_cgroup_features(&f);
	cr_assert(f.memory && f.oom_kill_disable && f.cpu_shares);
	cr_assert(!f.swap && !f.cpu_cfs);
	put("memory/memory.memsw.limit_in_bytes", "max");
	put("cpu/cpu.cfs_quota_us", "-1");
	ctr_cgroup_features(&f);
	cr_assert(f.swap && f.cpu_cfs);
}

/* The one copy of Docker's limit rules, at its edges. */
Test(cgroup, limits_check_edges)
{
	struct ctr_err err = {0};
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	struct ctr_cgroup_limits ok[] = {
	    {0},
	    {.memory = 6 * 1024 * 1024},
	    {.memory = 64 << 20, .memory_swap = -1},
	    {.memory = 64 << 20, .memory_swap = 64 << 20},
	    {.cpus = 0.01},
	    {.cpus = (double)ncpu},
	    {.pids_limit = -1},
	    {.cpu_shares = 0},
	};
	struct ctr_cgroup_limits bad[] = {
	    {.memory = 6 * 1024 * 1024 - 1},
	    {.memory = -5},
	    {.memory_swap = 64 << 20},
	    {.memory = 64 << 20, .memory_swap = 32 << 20},
	    {.memory = 64 << 20, .memory_swap = -2},
	    {.cpus = 0.005},
	    {.cpus = -1},
	    {.cpus = (double)ncpu + 0.01},
	    {.cpu_shares = -1},
	};
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
		cr_assert_eq(ctr_cgroup_limits_check(&ok[i], &err), 0, "ok[%zu]: %s", i, err.msg);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		ctr_err_clear(&err);
		cr_assert_lt(ctr_cgroup_limits_check(&bad[i], &err), 0, "bad[%zu] accepted", i);
		cr_assert_eq(err.code, E_INVALID_ARG);
	}
	struct ctr_cgroup_limits cpus = {.cpus = 99999};
	ctr_cgroup_limits_check(&cpus, &err);
	char want[128];
	snprintf(want, sizeof want,
	         "range of CPUs is from 0.01 to %ld.00, as there are only %ld CPUs", ncpu, ncpu);
	cr_assert(strstr(err.msg, want), "%s", err.msg);
	cr_assert_eq(ctr_cgroup_parent_check(NULL, &err), 0);
	cr_assert_eq(ctr_cgroup_parent_check("/myapp/db", &err), 0);
	cr_assert_lt(ctr_cgroup_parent_check("../up", &err), 0);
	cr_assert_lt(ctr_cgroup_parent_check("a//b", &err), 0);
	cr_assert_lt(ctr_cgroup_parent_check("a/./b", &err), 0);
}
