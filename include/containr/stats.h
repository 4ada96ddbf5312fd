/*
 * stats.h - live resource usage of containers, as `docker stats` and
 * `docker top` show it.
 *
 * A sample reads the container's cgroup counters (ctr_cgroup_stats), the
 * host's total CPU time from /proc/stat and the container's network
 * counters from /proc/<init pid>/net/dev (the init is in the container's
 * network namespace).  Nothing is forked.  Two samples give CPU % with
 * Docker's formula:
 *
 *     cpu % = (cpu_delta / system_delta) * online_cpus * 100
 *
 * where cpu_delta is the cgroup's CPU time and system_delta the host's
 * (all CPUs) between the samples.  MEM % = usage / limit * 100 with usage
 * minus inactive file cache.  Owned by src/stats/.
 */
#ifndef CONTAINR_STATS_H
#define CONTAINR_STATS_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "containr/cgroup.h"
#include "containr/error.h"
#include "containr/util.h"

struct ctr_stats_sample {
	struct ctr_cgroup_stats cg; /* cgroup counters (all zero when no cgroup) */
	uint64_t system_cpu_ns;     /* host CPU time, all CPUs (Docker's system_cpu_usage) */
	uint32_t online_cpus;
	uint64_t net_rx, net_tx; /* bytes over the container's interfaces except lo */
	bool running;            /* counters were read from a live cgroup */
};

/*
 * Take a sample.  `cg` may be NULL (container not running: only the host
 * CPU time is filled, so the row shows zeros).  `init_pid` > 0 reads its
 * /proc/<pid>/net/dev; a container sharing the host's network namespace
 * (--network host) reports 0 network bytes, as Docker does.
 */
int ctr_stats_sample(struct ctr_cgroup *cg, pid_t init_pid, struct ctr_stats_sample *out,
                     struct ctr_err *err);

/* Docker's CPU %: 0 when either delta is not positive. */
double ctr_stats_cpu_percent(const struct ctr_stats_sample *prev,
                             const struct ctr_stats_sample *cur);
/* usage / limit * 100, 0 without a limit. */
double ctr_stats_mem_percent(const struct ctr_stats_sample *s);

/* One row of `stats`, formatted as Docker prints it. */
struct ctr_stats_row {
	char cpu_perc[24];  /* "0.52%" */
	char mem_usage[64]; /* "1.2MiB / 23.5GiB" */
	char mem_perc[24];  /* "0.01%" */
	char net_io[64];    /* "1.05kB / 0B" */
	char block_io[64];  /* "0B / 4.1kB" */
	char pids[24];      /* "1" */
};
void ctr_stats_format(const struct ctr_stats_sample *prev, const struct ctr_stats_sample *cur,
                      struct ctr_stats_row *row);

/* ---- parsers (exposed for tests) ----------------------------------------- */
/*
 * Host CPU time in ns from /proc/stat text: the first 7 fields of the
 * "cpu" line (user nice system idle iowait irq softirq), in clock ticks of
 * `clk_tck` per second.  -1 if there is no "cpu" line.
 */
int ctr_stats_parse_proc_stat(const char *text, long clk_tck, uint64_t *ns);
/* Sum receive/transmit bytes over every interface of net/dev text but lo. */
int ctr_stats_parse_net_dev(const char *text, uint64_t *rx, uint64_t *tx);

/* ---- top ------------------------------------------------------------------ */
struct ctr_top {
	struct strv titles; /* ps header fields: "UID", "PID", ... */
	struct strv *rows;  /* one strv per process, same length as titles */
	size_t n;
};

/*
 * Filter `ps` output to the processes in `pids`, the way Docker's top does:
 * the header gives the titles (it must have a PID column), each line is
 * split on blanks into as many fields as titles, the last taking the rest
 * (the command with its arguments).  E_RUNTIME if there is no PID column.
 */
int ctr_top_parse(const char *ps_output, const pid_t *pids, size_t npids, struct ctr_top *out,
                  struct ctr_err *err);
/*
 * Run the host's `ps` with `ps_args` (NULL/empty = "-ef") and keep the
 * container's processes (those in `cg`).  The ps options are passed as
 * separate arguments, never through a shell.
 */
int ctr_top(struct ctr_cgroup *cg, char *const *ps_args, int nargs, struct ctr_top *out,
            struct ctr_err *err);
void ctr_top_free(struct ctr_top *t);

#endif
