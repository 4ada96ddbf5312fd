/*
 * tab_top.c - the detail panel's Top tab: every process of the container's
 * cgroup (as `containr top` lists them), with CPU % from the tick counts
 * seen at the previous refresh.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "containr/cgroup.h"
#include "detail.h"
#include "format.h"
#include "procinfo.h"

static int cmp_pid(const void *a, const void *b)
{
	pid_t x = *(const pid_t *)a, y = *(const pid_t *)b;
	return (x > y) - (x < y);
}

static void top_refresh(struct detail *d, struct ui *ui, struct ui_ctr *c)
{
	pid_t *pids = NULL;
	size_t n = 0;
	int64_t now = ctr_mono_ns();
	double dt = d->prev_ns ? (double)(now - d->prev_ns) / 1e9 : 0;
	long hz = sysconf(_SC_CLK_TCK);
	struct detail_topprev *next = NULL;
	size_t nnext = 0;

	strv_release(&d->text);
	strv_init(&d->text);
	/* The container's cgroup (every process of it, sub-cgroups included),
	 * as `containr top` lists them. */
	if (!ui_ctr_running(c) || c->pid <= 0 || !c->cg ||
	    ctr_cgroup_pids(c->cg, &pids, &n, NULL) < 0) {
		strv_push(&d->text, ui_ctr_running(c) ? "(cannot read the container's cgroup)"
		                                      : "(not running: no processes)");
		return;
	}
	strv_push_owned(&d->text, xasprintf("%7s %7s %7s %5s %1s %6s %9s %9s  %s", "PID", "CTR PID",
	                                    "PPID", "UID", "S", "CPU%", "RSS", "TIME", "COMMAND"));
	if (n > 1)
		qsort(pids, n, sizeof *pids, cmp_pid);
	next = xcalloc(n ? n : 1, sizeof *next);
	for (size_t i = 0; i < n; i++) {
		struct ui_procrow r;
		char rss[32], cpu[16], tm[32];
		if (ui_proc_row(pids[i], &r) < 0)
			continue;
		double pct = 0;
		for (size_t k = 0; k < d->nprev; k++)
			if (d->prev[k].pid == r.pid && dt > 0 && r.ticks >= d->prev[k].ticks)
				pct =
				    100.0 * (double)(r.ticks - d->prev[k].ticks) / (double)hz / dt;
		next[nnext++] = (struct detail_topprev){r.pid, r.ticks};
		ui_fmt_size(rss, sizeof rss, r.rss);
		ui_fmt_percent(cpu, sizeof cpu, pct);
		uint64_t secs = r.ticks / (uint64_t)hz;
		snprintf(tm, sizeof tm, "%llu:%02llu.%02llu", (unsigned long long)(secs / 60),
		         (unsigned long long)(secs % 60),
		         (unsigned long long)(r.ticks % (uint64_t)hz * 100 / (uint64_t)hz));
		strv_push_owned(&d->text, xasprintf("%7d %7d %7d %5u %c %6s %9s %9s  %s",
		                                    (int)r.pid, (int)r.nspid, (int)r.ppid,
		                                    (unsigned)r.uid, r.state, cpu, rss, tm, r.cmd));
	}
	free(pids);
	free(d->prev);
	d->prev = next;
	d->nprev = nnext;
	d->prev_ns = now;
}

static void top_draw(struct detail *d, struct ui *ui, struct ui_ctr *c, int y, int x, int h, int w)
{
	(void)c;
	detail_draw_text(d, ui, y, x, h, w, true);
}

static int top_handle(struct detail *d, struct ui *ui, enum ui_action a)
{
	(void)ui;
	return detail_scroll_text(d, a);
}

static void top_destroy(struct detail *d)
{
	free(d->prev);
	d->prev = NULL;
}

const struct detail_tab detail_tab_top = {
    .name = "Top",
    .refresh = top_refresh,
    .draw = top_draw,
    .handle = top_handle,
    .destroy = top_destroy,
};
