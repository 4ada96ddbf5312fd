/* test_net.c - IPAM (pick, release, exhaustion, overlap, the pool), the -p
 * parser, and leases under concurrent allocation (in a private netns). */
#include <criterion/criterion.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "containr/network.h"
#include "fixture.h"

static struct ctr_cidr cidr(const char *s)
{
	struct ctr_cidr c;
	struct ctr_err err;
	cr_assert_eq(ctr_cidr_parse(s, &c, &err), 0, "%s: %s", s, err.msg);
	return c;
}

static uint32_t ip(const char *s)
{
	uint32_t v;
	cr_assert_eq(ctr_ip_parse(s, &v), 0, "%s", s);
	return v;
}

Test(ipam, cidr_parse_and_reject)
{
	struct ctr_cidr c;
	struct ctr_err err;
	char buf[20];

	c = cidr("10.88.0.0/16");
	ctr_cidr_str(&c, buf);
	cr_assert_str_eq(buf, "10.88.0.0/16");
	cr_assert_eq(ctr_cidr_parse("10.88.0.1/16", &c, &err), -1);
	cr_assert(strstr(err.hint, "10.88.0.0/16"), "%s", err.hint);
	cr_assert_eq(ctr_cidr_parse("10.88.0.0", &c, &err), -1);
	cr_assert_eq(ctr_cidr_parse("10.88.0.0/33", &c, &err), -1);
	cr_assert_eq(ctr_cidr_parse("10.88.0.0/31", &c, &err), -1);
	cr_assert_eq(ctr_cidr_parse("300.1.0.0/16", &c, &err), -1);
	cr_assert_eq(ctr_cidr_parse("10.88.0.0/1x", &c, &err), -1);
	cr_assert_eq(err.code, E_INVALID_ARG);
}

Test(ipam, overlap_and_contains)
{
	struct ctr_cidr a = cidr("10.88.0.0/16"), b = cidr("10.88.4.0/24"),
	                c = cidr("10.89.0.0/16");

	cr_assert(ctr_cidr_overlaps(&a, &b));
	cr_assert(ctr_cidr_overlaps(&b, &a));
	cr_assert(!ctr_cidr_overlaps(&a, &c));
	cr_assert(ctr_cidr_contains(&a, ip("10.88.255.254")));
	cr_assert(!ctr_cidr_contains(&a, ip("10.89.0.1")));
}

Test(ipam, pick_skips_gateway_used_and_reuses_released)
{
	struct ctr_cidr n = cidr("10.1.2.0/29"); /* hosts .1-.6 */
	uint32_t used[6], got;
	size_t nused = 0;
	struct ctr_err err;

	for (int i = 0; i < 5; i++) { /* .1 is the gateway: .2 .. .6 */
		cr_assert_eq(ctr_ipam_pick(&n, ip("10.1.2.1"), used, nused, &got, &err), 0);
		cr_assert_eq(got, ip("10.1.2.2") + (uint32_t)i);
		used[nused++] = got;
	}
	/* exhausted: never the broadcast address */
	cr_assert_eq(ctr_ipam_pick(&n, ip("10.1.2.1"), used, nused, &got, &err), -1);
	cr_assert_eq(err.code, E_CONFLICT);
	cr_assert(strstr(err.msg, "10.1.2.0/29"));
	/* release .4: it is the next one given out */
	used[2] = used[--nused];
	cr_assert_eq(ctr_ipam_pick(&n, ip("10.1.2.1"), used, nused, &got, &err), 0);
	cr_assert_eq(got, ip("10.1.2.4"));
}

Test(ipam, subnet_pool_avoids_routes)
{
	struct ctr_cidr taken[3] = {cidr("10.0.0.0/8"), cidr("172.16.0.0/12"),
	                            cidr("192.168.0.0/24")};
	struct ctr_cidr got;
	struct ctr_err err;
	char buf[20];

	cr_assert_eq(ctr_subnet_pick(taken, 0, &got, &err), 0);
	ctr_cidr_str(&got, buf);
	cr_assert_str_eq(buf, "10.88.0.0/16");
	taken[0] = cidr("10.88.0.0/15"); /* 10.88 and 10.89 */
	cr_assert_eq(ctr_subnet_pick(taken, 1, &got, &err), 0);
	ctr_cidr_str(&got, buf);
	cr_assert_str_eq(buf, "10.90.0.0/16");
	taken[0] = cidr("10.0.0.0/8");
	cr_assert_eq(ctr_subnet_pick(taken, 3, &got, &err), 0);
	ctr_cidr_str(&got, buf);
	cr_assert_str_eq(buf, "192.168.1.0/24");
}

/* ---- -p ---------------------------------------------------------------- */

Test(publish, forms)
{
	struct ctr_port_map *v = NULL;
	size_t n = 0;
	struct ctr_err err;

	cr_assert_eq(ctr_publish_parse("80", &v, &n, &err), 0, "%s", err.msg);
	cr_assert_eq(n, 1);
	cr_assert_eq(v[0].host_port, 0); /* random */
	cr_assert_eq(v[0].ctr_port, 80);
	cr_assert_eq(v[0].proto, CTR_PROTO_TCP);
	cr_assert_eq(ctr_publish_parse("8080:80/udp", &v, &n, &err), 0);
	cr_assert_eq(v[1].host_port, 8080);
	cr_assert_eq(v[1].proto, CTR_PROTO_UDP);
	cr_assert_eq(ctr_publish_parse("127.0.0.1:9000:90", &v, &n, &err), 0);
	cr_assert_eq(v[2].host_ip, ip("127.0.0.1"));
	cr_assert_eq(v[2].host_port, 9000);
	cr_assert_eq(ctr_publish_parse("127.0.0.1::91", &v, &n, &err), 0);
	cr_assert_eq(v[3].host_port, 0);
	cr_assert_eq(v[3].host_ip, ip("127.0.0.1"));
	cr_assert_eq(ctr_publish_parse("8000-8002:80-82", &v, &n, &err), 0);
	cr_assert_eq(n, 7);
	for (int i = 0; i < 3; i++) {
		cr_assert_eq(v[4 + i].host_port, 8000 + i);
		cr_assert_eq(v[4 + i].ctr_port, 80 + i);
	}
	cr_assert_eq(ctr_publish_parse("5000-5001", &v, &n, &err), 0);
	cr_assert_eq(n, 9);
	free(v);
}

Test(publish, rejects_malformed)
{
	static const char *const bad[] = {
	    "",      "abc",     "0",     "65536", "80/sctp", "1.2.3:80:80", "8000-8001:80",
	    "90-80", "a:b:c:d", "8080:", ":80x",  "-1"};
	struct ctr_port_map *v = NULL;
	size_t n = 0;
	struct ctr_err err;

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		ctr_err_clear(&err);
		cr_assert_eq(ctr_publish_parse(bad[i], &v, &n, &err), -1, "accepted \"%s\"",
		             bad[i]);
		cr_assert_eq(err.code, E_INVALID_ARG, "%s", bad[i]);
		cr_assert(err.hint[0], "no hint for \"%s\"", bad[i]);
	}
	cr_assert_eq(n, 0);
	free(v);
}

/* ---- leases (a private network namespace: bridges and nft stay there) -- */

static char root[UNIT_ROOT_MAX];
static struct ctr_store st;

static void setup(void)
{
	if (geteuid() != 0 || unshare(CLONE_NEWNET) < 0)
		cr_skip_test("needs root for a private network namespace");
	unit_store_open(root, &st, "net");
}

static void teardown(void)
{
	unit_store_close(root, &st);
}

TestSuite(lease, .init = setup, .fini = teardown, .timeout = 60);

static void make_net(const char *name, const char *subnet)
{
	struct ctr_network_opts o = {.name = name, .subnet = subnet};
	struct ctr_err err;
	cr_assert_eq(ctr_network_create(&st, &o, NULL, &err), 0, "%s", err.msg);
}

Test(lease, overlapping_subnet_is_refused_and_nothing_is_left)
{
	struct ctr_network_opts o = {.name = "b", .subnet = "10.50.1.0/24"};
	struct ctr_err err;
	struct strv ids;

	make_net("a", "10.50.0.0/16");
	cr_assert_eq(ctr_network_create(&st, &o, NULL, &err), -1);
	cr_assert_eq(err.code, E_CONFLICT);
	cr_assert(strstr(err.msg, "overlaps network a"), "%s", err.msg);
	cr_assert_eq(ctr_store_list(&st, CTR_KIND_NETWORK, &ids, &err), 0);
	cr_assert_eq(ids.n, 1);
	strv_release(&ids);
}

Test(lease, concurrent_allocation_gives_distinct_addresses_then_exhausts)
{
	enum { N = 12 }; /* a /28 has 13 host addresses besides the gateway */
	struct ctr_err err;
	cJSON *leases = NULL;
	struct ctr_network n;

	make_net("small", "10.51.0.0/28");
	for (int i = 0; i < N; i++) {
		if (fork() == 0) {
			char id[65];
			struct ctr_net_lease l;
			snprintf(id, sizeof id, "%064d", i);
			_exit(ctr_net_lease_take(&st, "small", id, 0, NULL, 0, &l, &err) == 0 ? 0
			                                                                      : 1);
		}
	}
	for (int i = 0; i < N; i++) {
		int status;
		wait(&status);
		cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	cr_assert_eq(ctr_network_get(&st, "small", &n, &err), 0);
	cr_assert_eq(ctr_network_inspect(&st, "small", &leases, &err), 0);
	cJSON *ctrs = cJSON_GetObjectItem(leases, "Containers");
	cr_assert_eq(cJSON_GetArraySize(ctrs), N);
	cJSON *seen = cJSON_CreateObject(), *it;
	cJSON_ArrayForEach (it, ctrs) {
		const char *a = cJSON_GetObjectItem(it, "IPv4Address")->valuestring;
		cr_assert_null(cJSON_GetObjectItem(seen, a), "%s given twice", a);
		cJSON_AddTrueToObject(seen, a);
	}
	cJSON_Delete(seen);
	cJSON_Delete(leases);
	struct ctr_net_lease l;
	cr_assert_eq(ctr_net_lease_take(&st, "small", "x1", 0, NULL, 0, &l, &err), 0, "%s",
	             err.msg);
	ctr_net_lease_release(&l);
	cr_assert_eq(ctr_net_lease_take(&st, "small", "x2", 0, NULL, 0, &l, &err), -1);
	cr_assert_eq(err.code, E_CONFLICT);
	/* release one: it comes back; and the network is in use */
	cr_assert_eq(ctr_net_detach(&st, "x1", &err), 0, "%s", err.msg);
	cr_assert_eq(ctr_net_lease_take(&st, "small", "x2", 0, NULL, 0, &l, &err), 0, "%s",
	             err.msg);
	ctr_net_lease_release(&l);
	cr_assert_eq(ctr_network_remove(&st, "small", &err), -1);
	cr_assert_eq(err.code, E_CONFLICT);
	ctr_network_release(&n);
}

Test(lease, ip_outside_subnet_and_port_conflicts)
{
	struct ctr_err err;
	struct ctr_net_lease l;
	struct ctr_port_map p = {.host_port = 18080, .ctr_port = 80, .proto = CTR_PROTO_TCP};

	make_net("n", "10.52.0.0/24");
	cr_assert_eq(ctr_net_lease_take(&st, "n", "c1", ip("10.53.0.5"), NULL, 0, &l, &err), -1);
	cr_assert_eq(err.code, E_INVALID_ARG);
	cr_assert_eq(ctr_net_lease_take(&st, "n", "c1", ip("10.52.0.5"), &p, 1, &l, &err), 0, "%s",
	             err.msg);
	cr_assert_eq(l.ip, ip("10.52.0.5"));
	ctr_net_lease_release(&l);
	cr_assert_eq(ctr_net_lease_take(&st, "n", "c2", ip("10.52.0.5"), NULL, 0, &l, &err), -1);
	cr_assert_eq(err.code, E_CONFLICT);
	cr_assert_eq(ctr_net_lease_take(&st, "n", "c2", 0, &p, 1, &l, &err), -1);
	cr_assert_eq(err.code, E_CONFLICT);
	cr_assert(strstr(err.msg, "18080/tcp"), "%s", err.msg);
	p.proto = CTR_PROTO_UDP; /* the same number over udp is another port */
	cr_assert_eq(ctr_net_lease_take(&st, "n", "c2", 0, &p, 1, &l, &err), 0, "%s", err.msg);
	ctr_net_lease_release(&l);
}
