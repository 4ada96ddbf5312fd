/*
 * test_stats.c - stats formulas and parsers on fixed inputs, plus a sample
 * and a top of a fake v2 cgroup holding this test's own pid.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "containr/cgroup.h"
#include "containr/stats.h"
#include "containr/util.h"

Test(stats, parse_proc_stat)
{
	const char *t = "cpu  100 5 50 1000 10 3 2 7 0 0\ncpu0 50 2 25 500 5 1 1 0 0 0\nintr 1\n";
	uint64_t ns = 0;

	/* 100+5+50+1000+10+3+2 = 1170 ticks at 100 Hz = 11.7 s; steal not counted */
	cr_assert_eq(ctr_stats_parse_proc_stat(t, 100, &ns), 0);
	cr_assert_eq(ns, 11700000000ULL);
	cr_assert_lt(ctr_stats_parse_proc_stat("intr 1\n", 100, &ns), 0);
}

Test(stats, parse_net_dev_skips_lo)
{
	const char *t =
	    "Inter-|   Receive                                                |  Transmit\n"
	    " face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets "
	    "errs drop fifo colls carrier compressed\n"
	    "    lo:    1000      10    0    0    0     0          0         0     1000      10    "
	    "0    0    0     0       0          0\n"
	    "  eth0:    1296      16    0    0    0     0          0         0      648       8    "
	    "0    0    0     0       0          0\n"
	    "  eth1:       4       1    0    0    0     0          0         0        2       1    "
	    "0    0    0     0       0          0\n";
	uint64_t rx, tx;

	cr_assert_eq(ctr_stats_parse_net_dev(t, &rx, &tx), 0);
	cr_assert_eq(rx, 1300);
	cr_assert_eq(tx, 650);
}

Test(stats, cpu_percent_docker_formula)
{
	struct ctr_stats_sample a = {0}, b = {0};

	a.running = b.running = true;
	a.cg.cpu_usage_ns = 1000000000ULL;
	b.cg.cpu_usage_ns = 1500000000ULL; /* +0.5 s of CPU */
	a.system_cpu_ns = 100000000000ULL;
	b.system_cpu_ns = 102000000000ULL; /* +2 s of host time (2 CPUs x 1 s) */
	b.online_cpus = 2;
	/* 0.5 / 2 * 2 * 100 = 50 % */
	cr_assert_float_eq(ctr_stats_cpu_percent(&a, &b), 50.0, 1e-9);
	/* no system progress or no cpu progress: 0 */
	b.system_cpu_ns = a.system_cpu_ns;
	cr_assert_float_eq(ctr_stats_cpu_percent(&a, &b), 0.0, 1e-9);
	b.system_cpu_ns = 102000000000ULL;
	b.cg.cpu_usage_ns = a.cg.cpu_usage_ns;
	cr_assert_float_eq(ctr_stats_cpu_percent(&a, &b), 0.0, 1e-9);
}

Test(stats, mem_percent_and_format)
{
	struct ctr_stats_sample a = {0}, b = {0};
	struct ctr_stats_row row;

	a.running = b.running = true;
	b.online_cpus = 2;
	b.cg.mem_usage = 1536 * 1024;      /* 1.5 MiB */
	b.cg.mem_limit = 64 * 1024 * 1024; /* 64 MiB */
	b.cg.pids = 3;
	b.net_rx = 1296;
	b.net_tx = 648;
	b.cg.blk_read = 0;
	b.cg.blk_write = 4096;
	a.system_cpu_ns = 0;
	b.system_cpu_ns = 1000000000ULL;
	b.cg.cpu_usage_ns = 125000000ULL;
	cr_assert_float_eq(ctr_stats_mem_percent(&b), 2.34375, 1e-9);
	ctr_stats_format(&a, &b, &row);
	cr_assert_str_eq(row.cpu_perc, "25.00%");
	cr_assert_str_eq(row.mem_usage, "1.5MiB / 64MiB");
	cr_assert_str_eq(row.mem_perc, "2.34%");
	cr_assert_str_eq(row.net_io, "1.3kB / 648B");
	cr_assert_str_eq(row.block_io, "0B / 4.1kB");
	cr_assert_str_eq(row.pids, "3");
	b.cg.mem_limit = 0;
	cr_assert_float_eq(ctr_stats_mem_percent(&b), 0.0, 1e-9);
}

Test(stats, top_parse_filters_rows)
{
	const char *ps = "UID          PID    PPID  C STIME TTY          TIME CMD\n"
	                 "root           1       0  0 14:00 ?        00:00:01 /sbin/init splash\n"
	                 "root         420       1  0 14:01 ?        00:00:00 sleep   1000\n"
	                 "root         421     420  0 14:01 ?        00:00:00 sh -c echo hi\n";
	pid_t pids[] = {420, 421};
	struct ctr_top t;
	struct ctr_err err = {0};

	cr_assert_eq(ctr_top_parse(ps, pids, 2, &t, &err), 0, "%s", err.msg);
	cr_assert_eq(t.titles.n, 8);
	cr_assert_str_eq(t.titles.v[1], "PID");
	cr_assert_eq(t.n, 2);
	cr_assert_eq(t.rows[0].n, 8);
	cr_assert_str_eq(t.rows[0].v[1], "420");
	cr_assert_str_eq(t.rows[0].v[7], "sleep 1000");
	cr_assert_str_eq(t.rows[1].v[7], "sh -c echo hi");
	ctr_top_free(&t);

	cr_assert_lt(ctr_top_parse("USER COMMAND\nroot sh\n", pids, 2, &t, &err), 0);
	cr_assert(strstr(err.msg, "PID"), "%s", err.msg);
}

Test(stats, sample_and_top_on_fake_cgroup)
{
	char tmp[] = "/tmp/ctr-statstest-XXXXXX";
	char buf[64];
	struct ctr_cgroup *cg = NULL;
	struct ctr_err err = {0};
	struct ctr_stats_sample s;
	struct ctr_top t;

	cr_assert(mkdtemp(tmp));
	cleanup_free char *d = ctr_path_join(tmp, "containr/c1");
	cr_assert_eq(ctr_mkdir_p(d, 0755, NULL), 0);
	snprintf(buf, sizeof buf, "%d\n", (int)getpid());
	cleanup_free char *procs = ctr_path_join(d, "cgroup.procs");
	cr_assert_eq(ctr_write_file_atomic(procs, buf, strlen(buf), 0644, NULL), 0);
	cleanup_free char *cur = ctr_path_join(d, "memory.current");
	cr_assert_eq(ctr_write_file_atomic(cur, "4096\n", 5, 0644, NULL), 0);
	ctr_cgroup_set_root_for_test(CTR_CGROUP_V2, tmp);

	cr_assert_eq(ctr_cgroup_open("containr/c1", &cg, &err), 0, "%s", err.msg);
	cr_assert_eq(ctr_stats_sample(cg, getpid(), &s, &err), 0, "%s", err.msg);
	cr_assert(s.running);
	cr_assert_gt(s.system_cpu_ns, 0);
	cr_assert_gt(s.online_cpus, 0);
	cr_assert_eq(s.cg.mem_usage, 4096);
	cr_assert_eq(s.cg.pids, 1); /* counted from cgroup.procs: no pids.current */
	/* our own netns is the host's: Docker reports no network I/O */
	cr_assert_eq(s.net_rx, 0);

	cr_assert_eq(ctr_top(cg, NULL, 0, &t, &err), 0, "%s", err.msg);
	cr_assert_eq(t.n, 1, "rows: %zu", t.n);
	cr_assert_str_eq(t.rows[0].v[1], buf[0] ? strtok(buf, "\n") : "");
	ctr_top_free(&t);
	char *args[] = {"-o", "pid,comm"};
	cr_assert_eq(ctr_top(cg, args, 2, &t, &err), 0, "%s", err.msg);
	cr_assert_eq(t.titles.n, 2);
	cr_assert_eq(t.n, 1);
	ctr_top_free(&t);

	ctr_cgroup_free(cg);
	ctr_cgroup_set_root_for_test(CTR_CGROUP_NONE, NULL);
	ctr_rm_rf(tmp, NULL);
}
