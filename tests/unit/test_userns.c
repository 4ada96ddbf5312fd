/* test_userns.c - ID maps (--uidmap specs, kernel text, round trip),
 * /etc/subuid parsing, the `auto` pool (first fit, reuse, concurrent
 * processes get disjoint ranges), --userns words, doctor on fake roots. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "containr/store.h"
#include "containr/userns.h"
#include "fixture.h"

static char root[UNIT_ROOT_MAX];
static struct ctr_store st;

static void setup(void)
{
	unit_store_open(root, &st, "userns");
}

static void teardown(void)
{
	unit_store_close(root, &st);
}

TestSuite(userns, .init = setup, .fini = teardown);

static void write_file(const char *rel, const char *text)
{
	char *p = xasprintf("%s/%s", root, rel), *dir = xstrdup(p);
	struct ctr_err e;
	*strrchr(dir, '/') = '\0';
	cr_assert_eq(ctr_mkdir_p(dir, 0755, &e), 0);
	FILE *f = fopen(p, "w");
	cr_assert(f);
	fputs(text, f);
	fclose(f);
	free(p);
	free(dir);
}

Test(userns, idmap_specs_parse_and_format)
{
	struct ctr_idmap m = {0};
	struct ctr_err e;
	cr_assert_eq(ctr_idmap_add_spec(&m, "0:100000:1000", "--uidmap", &e), 0);
	cr_assert_eq(ctr_idmap_add_spec(&m, "1000:5000:1", "--uidmap", &e), 0);
	cr_assert_eq(ctr_idmap_add_spec(&m, "1001:101000:64535", "--uidmap", &e), 0);
	char *k = ctr_idmap_format(&m), *s = ctr_idmap_to_string(&m);
	cr_assert_str_eq(k, "0 100000 1000\n1000 5000 1\n1001 101000 64535\n");
	cr_assert_str_eq(s, "0:100000:1000,1000:5000:1,1001:101000:64535");
	struct ctr_idmap back;
	cr_assert_eq(ctr_idmap_from_string(&back, s, &e), 0);
	cr_assert_eq(back.n, 3);
	cr_assert_eq(back.e[2].count, 64535);
	cr_assert_eq(ctr_idmap_to_host(&m, 0), 100000);
	cr_assert_eq(ctr_idmap_to_host(&m, 1000), 5000);
	cr_assert_eq(ctr_idmap_to_host(&m, 1500), 101499);
	cr_assert_eq(ctr_idmap_to_host(&m, 70000), -1);
	cr_assert_eq(ctr_idmap_size(&m), 65536);
	free(k);
	free(s);
}

Test(userns, idmap_refuses_bad_specs)
{
	static const char *const bad[] = {"",      "0:1",   "0:1:2:3", "a:1:2", "0:-1:5",
	                                  "0:1:0", "0:1:x", ":1:2",    "0::2",  "99999999999:0:1",
	                                  "0:1:2 "};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		struct ctr_idmap m = {0};
		struct ctr_err e;
		ctr_err_clear(&e);
		cr_assert_lt(ctr_idmap_add_spec(&m, bad[i], "--uidmap", &e), 0, "%s accepted",
		             bad[i]);
		cr_assert_eq(e.code, E_INVALID_ARG);
		cr_assert(e.hint[0], "no hint for %s", bad[i]);
		cr_assert_eq(m.n, 0);
	}
}

Test(userns, idmap_refuses_overlap_and_overflow)
{
	struct ctr_idmap m = {0};
	struct ctr_err e;
	cr_assert_eq(ctr_idmap_add_spec(&m, "0:100000:65536", "--uidmap", &e), 0);
	/* inside overlap */
	cr_assert_lt(ctr_idmap_add_spec(&m, "65535:300000:10", "--uidmap", &e), 0);
	cr_assert(strstr(e.msg, "container side"), "%s", e.msg);
	/* outside overlap */
	cr_assert_lt(ctr_idmap_add_spec(&m, "70000:165535:10", "--uidmap", &e), 0);
	cr_assert(strstr(e.msg, "host side"), "%s", e.msg);
	/* adjacent is fine */
	cr_assert_eq(ctr_idmap_add_spec(&m, "65536:165536:10", "--uidmap", &e), 0);
	/* overflow past 2^32-1 */
	cr_assert_lt(ctr_idmap_add_spec(&m, "0:4294967295:1", "--gidmap", &e), 0);
	cr_assert(strstr(e.msg, "--gidmap"), "%s", e.msg);
	cr_assert_lt(ctr_idmap_add_spec(&m, "4294967000:1:1000", "--uidmap", &e), 0);
	cr_assert(strstr(e.msg, "passes the last ID"), "%s", e.msg);
	cr_assert_eq(ctr_idmap_add_spec(&m, "4294966295:500000:1000", "--uidmap", &e), 0);
	cr_assert_eq(m.n, 3);
}

Test(userns, subid_names_numbers_multiple_ranges)
{
	write_file("etc/subuid", "# comment\n\nalice:100000:65536\nbob:165536:65536\n"
	                         "1001:300000:1000\nalice:400000:10\nbroken line\ncarol:5:0\n"
	                         "dave:x:10\n");
	char *p = xasprintf("%s/etc/subuid", root);
	struct ctr_subid_range r[4];
	size_t n;
	struct ctr_err e;
	cr_assert_eq(ctr_subid_lookup(p, "alice", 1000, r, 4, &n, &e), 0);
	cr_assert_eq(n, 2);
	cr_assert_eq(r[0].start, 100000);
	cr_assert_eq(r[0].count, 65536);
	cr_assert_eq(r[1].start, 400000);
	/* numeric owner matches by uid */
	cr_assert_eq(ctr_subid_lookup(p, "erin", 1001, r, 4, &n, &e), 0);
	cr_assert_eq(n, 1);
	cr_assert_eq(r[0].start, 300000);
	/* zero-count and malformed lines are ignored */
	cr_assert_eq(ctr_subid_lookup(p, "carol", (uid_t)-1, r, 4, &n, &e), 0);
	cr_assert_eq(n, 0);
	cr_assert_eq(ctr_subid_lookup(p, "dave", (uid_t)-1, r, 4, &n, &e), 0);
	cr_assert_eq(n, 0);
	/* missing file: no ranges, no error */
	cr_assert_eq(ctr_subid_lookup("/nonexistent/subuid", "alice", 0, r, 4, &n, &e), 0);
	cr_assert_eq(n, 0);
	free(p);
}

Test(userns, subid_overlap_between_users)
{
	write_file("etc/subuid", "alice:100000:65536\nalice:120000:10\nbob:165536:65536\n");
	char *p = xasprintf("%s/etc/subuid", root), *a = NULL, *b = NULL;
	struct ctr_subid_range ra, rb;
	struct ctr_err e;
	/* the same user's ranges may overlap; different users may touch */
	cr_assert_eq(ctr_subid_overlap(p, &a, &b, &ra, &rb, &e), 0);
	write_file("etc/subuid", "alice:100000:65536\nbob:165535:65536\n");
	cr_assert_eq(ctr_subid_overlap(p, &a, &b, &ra, &rb, &e), 1);
	cr_assert_str_eq(a, "alice");
	cr_assert_str_eq(b, "bob");
	cr_assert_eq(rb.start, 165535);
	free(a);
	free(b);
	free(p);
}

Test(userns, pool_from_containers_user_else_default)
{
	char *u = xasprintf("%s/etc/subuid", root), *g = xasprintf("%s/etc/subgid", root);
	struct ctr_userns_pool pool;
	ctr_userns_pool_default(u, g, &pool);
	cr_assert_eq(pool.uid_start, CTR_USERNS_POOL_START);
	cr_assert_eq(pool.size, CTR_USERNS_POOL_SIZE);
	cr_assert_not(pool.from_subid);
	write_file("etc/subuid", "containers:2147483647:2147483648\n");
	write_file("etc/subgid", "containers:3000000:655360\n");
	ctr_userns_pool_default(u, g, &pool);
	cr_assert(pool.from_subid);
	cr_assert_eq(pool.uid_start, 2147483647U);
	cr_assert_eq(pool.gid_start, 3000000);
	cr_assert_eq(pool.size, 655360);
	free(u);
	free(g);
}

static bool alive_unless_dead(const char *id, void *ud)
{
	return strcmp(id, (const char *)ud) != 0;
}

Test(userns, auto_first_fit_reuse_and_limits)
{
	char *dir = xasprintf("%s/userns", root);
	struct ctr_userns_pool pool = {1000000, 2000000, 65536 * 4, false};
	struct ctr_err e;
	uint32_t a, b, c, d, again;
	cr_assert_eq(ctr_userns_auto_alloc(dir, &pool, 65536, "a", NULL, NULL, &a, &e), 0);
	cr_assert_eq(ctr_userns_auto_alloc(dir, &pool, 65536, "b", NULL, NULL, &b, &e), 0);
	cr_assert_eq(ctr_userns_auto_alloc(dir, &pool, 1024, "c", NULL, NULL, &c, &e), 0);
	cr_assert_eq(a, 0);
	cr_assert_eq(b, 65536);
	cr_assert_eq(c, 131072);
	/* the same id gets its range back */
	cr_assert_eq(ctr_userns_auto_alloc(dir, &pool, 65536, "b", NULL, NULL, &again, &e), 0);
	cr_assert_eq(again, b);
	/* full: E_CONFLICT with a hint */
	cr_assert_lt(ctr_userns_auto_alloc(dir, &pool, 131072, "d", NULL, NULL, &d, &e), 0);
	cr_assert_eq(e.code, E_CONFLICT);
	cr_assert(e.hint[0]);
	/* larger than the pool: E_INVALID_ARG, nothing recorded */
	cr_assert_lt(ctr_userns_auto_alloc(dir, &pool, 65536 * 5, "d", NULL, NULL, &d, &e), 0);
	cr_assert_eq(e.code, E_INVALID_ARG);
	cr_assert(strstr(e.msg, "pool holds"), "%s", e.msg);
	/* release a: its hole is reused first */
	cr_assert_eq(ctr_userns_auto_release(dir, "a", &e), 0);
	cr_assert_eq(ctr_userns_auto_alloc(dir, &pool, 1024, "d", NULL, NULL, &d, &e), 0);
	cr_assert_eq(d, 0);
	/* a vanished owner's range is reclaimed */
	cr_assert_eq(
	    ctr_userns_auto_alloc(dir, &pool, 65536, "e", alive_unless_dead, "b", &again, &e), 0);
	cr_assert_eq(again, 1024); /* overlaps where b was */
	cr_assert_eq(ctr_userns_auto_release(dir, "nobody", &e), 0);
	free(dir);
}

Test(userns, auto_concurrent_processes_get_disjoint_ranges)
{
	enum { NPROC = 8 };
	char *dir = xasprintf("%s/userns", root);
	struct ctr_userns_pool pool = {1000000, 1000000, 65536 * 16, false};
	int fds[2];
	cr_assert_eq(pipe(fds), 0);
	for (int i = 0; i < NPROC; i++) {
		if (fork() == 0) {
			char id[16];
			uint32_t off = UINT32_MAX;
			struct ctr_err e;
			snprintf(id, sizeof id, "c%d", i);
			if (ctr_userns_auto_alloc(dir, &pool, 65536, id, NULL, NULL, &off, &e) < 0)
				off = UINT32_MAX;
			if (write(fds[1], &off, sizeof off) != sizeof off)
				_exit(1);
			_exit(0);
		}
	}
	close(fds[1]);
	uint32_t got[NPROC];
	for (int i = 0; i < NPROC; i++)
		cr_assert_eq(read(fds[0], &got[i], sizeof got[i]), sizeof got[i]);
	close(fds[0]);
	while (wait(NULL) > 0)
		;
	for (int i = 0; i < NPROC; i++) {
		cr_assert_neq(got[i], UINT32_MAX);
		cr_assert_eq(got[i] % 65536, 0);
		for (int j = i + 1; j < NPROC; j++)
			cr_assert_neq(got[i], got[j], "ranges %d and %d collide", i, j);
	}
	free(dir);
}

Test(userns, userns_mode_words)
{
	const char *m;
	uint32_t size;
	struct ctr_err e;
	cr_assert_eq(ctr_userns_parse_mode("", &m, &size, &e), 0);
	cr_assert_str_eq(m, "private");
	cr_assert_eq(ctr_userns_parse_mode("auto:size=1024", &m, &size, &e), 0);
	cr_assert_str_eq(m, "auto");
	cr_assert_eq(size, 1024);
	cr_assert_eq(ctr_userns_parse_mode("keep-id", &m, &size, &e), 0);
	cr_assert_lt(ctr_userns_parse_mode("auto:size=0", &m, &size, &e), 0);
	cr_assert_lt(ctr_userns_parse_mode("auto:uidmapping=x", &m, &size, &e), 0);
	cr_assert_lt(ctr_userns_parse_mode("container:x", &m, &size, &e), 0);
	cr_assert(e.hint[0]);
}

/* ---- doctor on a fake root ----------------------------------------------- */

static void good_root(void)
{
	write_file("proc/sys/user/max_user_namespaces", "15000\n");
	write_file("proc/sys/kernel/unprivileged_userns_clone", "1\n");
	write_file("proc/sys/kernel/osrelease", "6.1.0-13-amd64\n");
	write_file("proc/sys/net/ipv4/ping_group_range", "0 2147483647\n");
	write_file("proc/sys/net/ipv4/ip_unprivileged_port_start", "80\n");
	write_file("etc/subuid", "alice:100000:65536\n");
	write_file("etc/subgid", "alice:100000:65536\n");
	write_file("usr/bin/newuidmap", "");
	write_file("usr/bin/newgidmap", "");
	for (int i = 0; i < 2; i++) {
		char *p = xasprintf("%s/usr/bin/%s", root, i ? "newgidmap" : "newuidmap");
		cr_assert_eq(chmod(p, 04755), 0);
		free(p);
	}
	write_file("sys/fs/cgroup/cgroup.controllers", "cpu memory pids\n");
	write_file("proc/self/cgroup", "0::/user.slice/user-0.slice\n");
	write_file("sys/fs/cgroup/user.slice/user-0.slice/cgroup.subtree_control",
	           "cpu memory pids\n");
}

static const struct ctr_check *doctor(const char *name, struct ctr_check *v, size_t *n)
{
	/* uid 0 owns the fake cgroup (we run as root); the "user" is alice. */
	*n = ctr_doctor_run(root, "alice", getuid() == 0 ? 1000 : getuid(), 1000, v, 24);
	for (size_t i = 0; i < *n; i++)
		if (strcmp(v[i].name, name) == 0)
			return &v[i];
	cr_assert_fail("no check %s", name);
	return NULL;
}

Test(userns, doctor_good_root_is_all_ok_but_cgroup_owner)
{
	struct ctr_check v[24];
	size_t n;
	good_root();
	doctor("userns", v, &n);
	cr_assert_geq(n, 12);
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i].name, "cgroup") != 0)
			cr_assert_eq(v[i].status, CTR_CHECK_OK, "%s: %s", v[i].name, v[i].detail);
}

Test(userns, doctor_each_check_breaks)
{
	struct ctr_check v[24];
	size_t n;
	const struct ctr_check *c;

	good_root();
	write_file("proc/sys/user/max_user_namespaces", "0\n");
	c = doctor("userns", v, &n);
	cr_assert_eq(c->status, CTR_CHECK_FAIL);
	cr_assert(strstr(c->fix, "max_user_namespaces"));

	write_file("proc/sys/kernel/unprivileged_userns_clone", "0\n");
	c = doctor("userns-clone", v, &n);
	cr_assert_eq(c->status, CTR_CHECK_FAIL);
	cr_assert(strstr(c->fix, "unprivileged_userns_clone=1"));

	char *p = xasprintf("%s/usr/bin/newuidmap", root);
	chmod(p, 0755);
	c = doctor("newuidmap", v, &n);
	cr_assert_eq(c->status, CTR_CHECK_FAIL);
	unlink(p);
	c = doctor("newuidmap", v, &n);
	cr_assert_eq(c->status, CTR_CHECK_FAIL);
	cr_assert(strstr(c->fix, "uidmap"));
	free(p);

	write_file("etc/subgid", "bob:100000:65536\n");
	c = doctor("subgid", v, &n);
	cr_assert_eq(c->status, CTR_CHECK_FAIL);
	cr_assert(strstr(c->fix, "--add-subgids"), "%s", c->fix);
	write_file("etc/subuid", "alice:100000:1000\n");
	c = doctor("subuid", v, &n);
	cr_assert_eq(c->status, CTR_CHECK_FAIL);
	cr_assert(strstr(c->detail, "1000 IDs"), "%s", c->detail);

	write_file("etc/subuid", "alice:100000:65536\nbob:150000:65536\n");
	c = doctor("subid-overlap", v, &n);
	cr_assert_eq(c->status, CTR_CHECK_FAIL);

	write_file("proc/sys/kernel/osrelease", "5.10.0-28-amd64\n");
	cr_assert_eq(doctor("kernel-overlay", v, &n)->status, CTR_CHECK_WARN);
	cr_assert_eq(doctor("kernel-idmap", v, &n)->status, CTR_CHECK_WARN);
	write_file("proc/sys/kernel/osrelease", "5.11.4\n");
	cr_assert_eq(doctor("kernel-overlay", v, &n)->status, CTR_CHECK_OK);
	cr_assert_eq(doctor("kernel-idmap", v, &n)->status, CTR_CHECK_WARN);

	c = doctor("cgroup", v, &n); /* owned by root, not alice: not delegated */
	cr_assert_eq(c->status, CTR_CHECK_WARN);
	cr_assert(strstr(c->detail, "NOT applied"), "%s", c->detail);
	p = xasprintf("%s/sys/fs/cgroup/cgroup.controllers", root);
	unlink(p);
	c = doctor("cgroup", v, &n);
	cr_assert(strstr(c->detail, "cgroup v1"), "%s", c->detail);
	free(p);

	write_file("proc/sys/net/ipv4/ping_group_range", "1 0\n");
	cr_assert_eq(doctor("ping", v, &n)->status, CTR_CHECK_WARN);
	write_file("proc/sys/net/ipv4/ip_unprivileged_port_start", "1024\n");
	c = doctor("low-ports", v, &n);
	cr_assert_eq(c->status, CTR_CHECK_WARN);
	cr_assert(strstr(c->fix, "ip_unprivileged_port_start=80"));
}

Test(userns, doctor_cgroup_v2_delegated)
{
	struct ctr_check v[24];
	size_t n;
	if (getuid() != 0)
		cr_skip_test("needs root to chown the fake cgroup");
	good_root();
	char *d = xasprintf("%s/sys/fs/cgroup/user.slice/user-0.slice", root);
	cr_assert_eq(chown(d, 1000, 1000), 0);
	cr_assert_eq(doctor("cgroup", v, &n)->status, CTR_CHECK_OK);
	write_file("sys/fs/cgroup/user.slice/user-0.slice/cgroup.subtree_control", "cpu\n");
	cr_assert_eq(doctor("cgroup", v, &n)->status, CTR_CHECK_WARN);
	free(d);
}
