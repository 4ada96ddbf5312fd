/*
 * stats.c - usage samples and Docker's formulas for `containr stats`.
 *
 * Everything is read from files (cgroup counters, /proc/stat,
 * /proc/<pid>/net/dev): a sample of many containers costs a few reads each
 * and no process.  Formatting follows Docker's CLI: binary units for
 * memory ("MiB"), decimal units for network and block I/O ("kB").
 */
#include "containr/stats.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "containr/log.h"

int ctr_stats_parse_proc_stat(const char *text, long clk_tck, uint64_t *ns)
{
	for (const char *p = text; p && *p;) {
		if (strncmp(p, "cpu ", 4) == 0) {
			unsigned long long f[7] = {0}, total = 0;
			if (sscanf(p + 4, "%llu %llu %llu %llu %llu %llu %llu", &f[0], &f[1], &f[2],
			           &f[3], &f[4], &f[5], &f[6]) != 7)
				return -1;
			for (int i = 0; i < 7; i++)
				total += f[i];
			if (clk_tck <= 0)
				clk_tck = 100;
			/* ticks * 1e9 / clk_tck, without overflowing for long uptimes */
			*ns = (uint64_t)(total / (unsigned long long)clk_tck) * 1000000000ULL +
			      (uint64_t)(total % (unsigned long long)clk_tck) * 1000000000ULL /
			          (uint64_t)clk_tck;
			return 0;
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return -1;
}

int ctr_stats_parse_net_dev(const char *text, uint64_t *rx, uint64_t *tx)
{
	*rx = *tx = 0;
	/* "  eth0: rx_bytes packets errs drop fifo frame compressed multicast tx_bytes ..." */
	for (const char *p = text; p && *p;) {
		const char *colon = strchr(p, ':');
		const char *eol = strchr(p, '\n');
		if (colon && (!eol || colon < eol)) {
			const char *name = p;
			while (*name == ' ')
				name++;
			size_t nl = (size_t)(colon - name);
			unsigned long long v[9];
			if (!(nl == 2 && strncmp(name, "lo", 2) == 0) &&
			    sscanf(colon + 1, "%llu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0],
			           &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7], &v[8]) == 9) {
				*rx += v[0];
				*tx += v[8];
			}
		}
		p = eol ? eol + 1 : NULL;
	}
	return 0;
}

/* Same network namespace as ours (e.g. --network host)? */
static bool shares_our_netns(pid_t pid)
{
	char path[64];
	struct stat a, b;

	snprintf(path, sizeof path, "/proc/%d/ns/net", (int)pid);
	if (stat(path, &a) < 0 || stat("/proc/self/ns/net", &b) < 0)
		return false;
	return a.st_ino == b.st_ino && a.st_dev == b.st_dev;
}

int ctr_stats_sample(struct ctr_cgroup *cg, pid_t init_pid, struct ctr_stats_sample *out,
                     struct ctr_err *err)
{
	cleanup_free char *text = NULL;
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	memset(out, 0, sizeof *out);
	out->online_cpus = n > 0 ? (uint32_t)n : 1;
	if (ctr_read_file("/proc/stat", &text, NULL, err) < 0)
		return -1;
	if (ctr_stats_parse_proc_stat(text, sysconf(_SC_CLK_TCK), &out->system_cpu_ns) < 0)
		return ctr_fail(err, E_IO, "/proc/stat has no \"cpu\" line");
	if (!cg)
		return 0;
	if (ctr_cgroup_stats(cg, &out->cg, err) < 0)
		return -1;
	out->running = true;
	if (init_pid > 0 && !shares_our_netns(init_pid)) {
		char path[64];
		cleanup_free char *nd = NULL;
		snprintf(path, sizeof path, "/proc/%d/net/dev", (int)init_pid);
		if (ctr_read_file(path, &nd, NULL, NULL) == 0)
			ctr_stats_parse_net_dev(nd, &out->net_rx, &out->net_tx);
	}
	return 0;
}

double ctr_stats_cpu_percent(const struct ctr_stats_sample *prev,
                             const struct ctr_stats_sample *cur)
{
	double cpu_delta = (double)cur->cg.cpu_usage_ns - (double)prev->cg.cpu_usage_ns;
	double sys_delta = (double)cur->system_cpu_ns - (double)prev->system_cpu_ns;

	if (!prev->running || !cur->running || cpu_delta <= 0 || sys_delta <= 0)
		return 0.0;
	return cpu_delta / sys_delta * (double)cur->online_cpus * 100.0;
}

double ctr_stats_mem_percent(const struct ctr_stats_sample *s)
{
	if (s->cg.mem_limit == 0)
		return 0.0;
	return (double)s->cg.mem_usage / (double)s->cg.mem_limit * 100.0;
}

static void pair(char *buf, size_t len, uint64_t a, uint64_t b, bool binary)
{
	char x[32], y[32];

	ctr_format_bytes(x, sizeof x, (double)a, binary);
	ctr_format_bytes(y, sizeof y, (double)b, binary);
	if (snprintf(buf, len, "%s / %s", x, y) >= (int)len)
		buf[len - 1] = '\0'; /* truncated: fields are sized for Docker's widths */
}

void ctr_stats_format(const struct ctr_stats_sample *prev, const struct ctr_stats_sample *cur,
                      struct ctr_stats_row *row)
{
	snprintf(row->cpu_perc, sizeof row->cpu_perc, "%.2f%%",
	         prev ? ctr_stats_cpu_percent(prev, cur) : 0.0);
	pair(row->mem_usage, sizeof row->mem_usage, cur->cg.mem_usage, cur->cg.mem_limit, true);
	snprintf(row->mem_perc, sizeof row->mem_perc, "%.2f%%", ctr_stats_mem_percent(cur));
	pair(row->net_io, sizeof row->net_io, cur->net_rx, cur->net_tx, false);
	pair(row->block_io, sizeof row->block_io, cur->cg.blk_read, cur->cg.blk_write, false);
	snprintf(row->pids, sizeof row->pids, "%llu", (unsigned long long)cur->cg.pids);
}
