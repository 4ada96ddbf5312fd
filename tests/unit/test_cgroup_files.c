/*
 * test_cgroup_files.c - ctr_cgroup_limit_files() (what the dashboard's
 * Internals tab shows) on fake v2 and v1 trees, with the cgroup found the
 * way the dashboard finds it: ctr_container_cgroup_open().
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "containr/cgroup.h"
#include "containr/container.h"
#include "containr/runtime.h"
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

static void setup(void)
{
	snprintf(tmp, sizeof tmp, "/tmp/ctr-cgfiles-XXXXXX");
	cr_assert(mkdtemp(tmp));
}

static void teardown(void)
{
	ctr_cgroup_set_root_for_test(CTR_CGROUP_NONE, NULL);
	ctr_rm_rf(tmp, NULL);
}

/* "name=value;" for each file, to compare in one assertion. */
static char *joined(const struct ctr_cgroup *cg)
{
	struct ctr_cgroup_file f[CTR_CGROUP_FILES_MAX];
	size_t n = ctr_cgroup_limit_files(cg, f);
	struct strbuf sb;

	strbuf_init(&sb);
	for (size_t i = 0; i < n; i++)
		strbuf_printf(&sb, "%s=%s;", f[i].name, f[i].value);
	ctr_cgroup_files_release(f, n);
	return strbuf_detach(&sb);
}

Test(cgroup_files, v2_under_a_cgroup_parent, .init = setup, .fini = teardown)
{
	struct ctr_container c;
	struct ctr_cgroup *cg = NULL;
	struct ctr_err err = {0};

	memset(&c, 0, sizeof c);
	snprintf(c.id, sizeof c.id, "abc123");
	c.cfg.cgroup_parent = "user.slice/me"; /* rootless-style parent, no recorded path */
	put("user.slice/me/abc123/cgroup.procs", "42\n43\n");
	put("user.slice/me/abc123/memory.max", "67108864\n");
	put("user.slice/me/abc123/cpu.max", "50000 100000\n");
	put("user.slice/me/abc123/cpu.weight", "100\n");
	put("user.slice/me/abc123/pids.max", "max\n");
	put("user.slice/me/abc123/pids.current", "2\n");
	/* no memory.swap.max: no swap accounting on this "host" */
	ctr_cgroup_set_root_for_test(CTR_CGROUP_V2, tmp);

	cr_assert_eq(ctr_container_cgroup_open(&c, &cg, &err), 0, "%s", err.msg);
	cleanup_free char *got = joined(cg);
	cr_assert_str_eq(got, "memory.max=67108864;cpu.max=50000 100000;cpu.weight=100;"
	                      "pids.max=max;pids.current=2;");
	ctr_cgroup_free(cg);

	/* The recorded path wins over the parent. */
	c.state.cgroup_path = "other/abc123";
	cr_assert_lt(ctr_container_cgroup_open(&c, &cg, &err), 0);
	cr_assert_eq(err.code, E_NOT_FOUND);
	put("other/abc123/cgroup.procs", "");
	put("other/abc123/memory.max", "max\nsecond line is not shown\n");
	cr_assert_eq(ctr_container_cgroup_open(&c, &cg, &err), 0, "%s", err.msg);
	cleanup_free char *got2 = joined(cg);
	cr_assert_str_eq(got2, "memory.max=max;");
	ctr_cgroup_free(cg);
}

Test(cgroup_files, v1_each_controller_dir, .init = setup, .fini = teardown)
{
	struct ctr_cgroup *cg = NULL;
	struct ctr_err err = {0};

	put("memory/containr/x/memory.limit_in_bytes", "33554432\n");
	put("memory/containr/x/memory.usage_in_bytes", "1048576\n");
	put("cpu/containr/x/cpu.cfs_quota_us", "-1\n");
	put("cpu/containr/x/cpu.cfs_period_us", "100000\n");
	put("cpu/containr/x/cpu.shares", "1024\n");
	put("pids/containr/x/pids.max", "50\n");
	put("pids/containr/x/pids.current", "1\n");
	ctr_cgroup_set_root_for_test(CTR_CGROUP_HYBRID, tmp);

	cr_assert_eq(ctr_cgroup_open("containr/x", &cg, &err), 0, "%s", err.msg);
	cleanup_free char *got = joined(cg);
	cr_assert_str_eq(got, "memory.limit_in_bytes=33554432;memory.usage_in_bytes=1048576;"
	                      "cpu.cfs_quota_us=-1;cpu.cfs_period_us=100000;cpu.shares=1024;"
	                      "pids.max=50;pids.current=1;");
	ctr_cgroup_free(cg);
}
