/* test_ui_model.c - dashboard data side: filter/sort, themes, dashboard.conf, /proc parsers, log
 * tail. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../ui/config.h"
#include "../../ui/logtail.h"
#include "../../ui/model.h"
#include "../../ui/procinfo.h"
#include "../../ui/theme.h"

static struct ui_ctr *add(struct ui_model *m, const char *id, const char *name, const char *image,
                          const char *state, double cpu, uint64_t mem)
{
	struct ui_ctr *c = ui_model_ctr(m, id);
	c->name = strdup(name);
	c->image = strdup(image);
	c->state = strdup(state);
	c->cpu_pct = cpu;
	c->mem = mem;
	c->started_s = 100;
	return c;
}

static const char *row_name(struct ui_model *m, struct ui_view *v, size_t i)
{
	return m->c[v->rows[i]]->name;
}

Test(ui_model, filter_match_and_invert)
{
	const char *f[] = {"web", "nginx:latest", NULL};
	cr_assert(ui_filter_match("", f, 3));
	cr_assert(ui_filter_match("NGINX", f, 3));
	cr_assert_not(ui_filter_match("redis", f, 3));
	cr_assert(ui_filter_match("!redis", f, 3));
	cr_assert_not(ui_filter_match("!web", f, 3));
	cr_assert(ui_filter_match("!", f, 3));
}

Test(ui_model, view_filters_sorts_and_hides_stopped)
{
	struct ui_model m;
	struct ui_view v = {0};
	ui_model_init(&m, NULL);
	m.now_s = 1000;
	add(&m, "aaa1", "web", "nginx", "running", 5.0, 300);
	add(&m, "bbb2", "db", "postgres", "running", 50.0, 900);
	add(&m, "ccc3", "old", "busybox", "exited", 0, 0);
	add(&m, "ddd4", "cache", "redis", "paused", 1.0, 100);
	/* Same id again: the same object (identity kept across refreshes). */
	cr_assert_eq(ui_model_ctr(&m, "aaa1"), m.c[0]);

	v.sort = UI_COL_NAME;
	ui_view_build(&m, &v);
	cr_assert_eq(v.n, 3, "stopped hidden by default");
	cr_assert_str_eq(row_name(&m, &v, 0), "cache");
	cr_assert_str_eq(row_name(&m, &v, 2), "web");

	v.show_all = true;
	v.sort = UI_COL_CPU;
	ui_view_build(&m, &v);
	cr_assert_eq(v.n, 4);
	cr_assert_str_eq(row_name(&m, &v, 0), "db", "highest CPU first");
	v.reverse = true;
	ui_view_build(&m, &v);
	cr_assert_str_eq(row_name(&m, &v, 3), "db");

	v.reverse = false;
	v.sort = UI_COL_STATUS;
	ui_view_build(&m, &v);
	cr_assert_str_eq(row_name(&m, &v, 3), "old", "exited last");

	snprintf(v.filter, sizeof v.filter, "!nginx");
	v.sort = UI_COL_MEM;
	ui_view_build(&m, &v);
	cr_assert_eq(v.n, 3);
	cr_assert_str_eq(row_name(&m, &v, 0), "db");
	snprintf(v.filter, sizeof v.filter, "bbb");
	ui_view_build(&m, &v);
	cr_assert_eq(v.n, 1, "filter matches the short id");
	ui_view_free(&v);
	ui_model_free(&m);
}

Test(ui_model, history_keeps_the_newest)
{
	struct ui_hist h = {0};
	for (int i = 0; i < UI_HIST + 10; i++)
		ui_hist_push(&h, i);
	cr_assert_eq(h.n, UI_HIST);
	cr_assert_eq(h.v[0], 10);
	cr_assert_eq(h.v[UI_HIST - 1], UI_HIST + 9);
}

Test(ui_theme, parse_colours_attrs_and_errors)
{
	struct ui_theme t;
	struct ctr_err err;
	const char *text = "# comment\nname = test\n\nselected = black on bright-cyan bold\n"
	                   "running = 208\nstopped = default dim underline\n";
	cr_assert_eq(ui_theme_parse(&t, "t.theme", text, &err), 0, "%s", err.msg);
	cr_assert_str_eq(t.name, "test");
	cr_assert_eq(t.el[UI_EL_SELECTED].fg, 0);
	cr_assert_eq(t.el[UI_EL_SELECTED].bg, 14);
	cr_assert_eq(t.el[UI_EL_SELECTED].attrs, UI_ATTR_BOLD);
	cr_assert_eq(t.el[UI_EL_RUNNING].fg, 208);
	cr_assert_eq(t.el[UI_EL_RUNNING].bg, UI_COLOR_DEFAULT);
	cr_assert_eq(t.el[UI_EL_STOPPED].attrs, UI_ATTR_DIM | UI_ATTR_UNDERLINE);
	/* Unnamed elements keep the built-in default. */
	struct ui_theme b;
	ui_theme_builtin(&b);
	cr_assert_eq(memcmp(&t.el[UI_EL_HEADER], &b.el[UI_EL_HEADER], sizeof b.el[0]), 0);

	cr_assert_eq(ui_theme_parse(&t, "bad.theme", "running = purpel\n", &err), -1);
	cr_assert(strstr(err.msg, "bad.theme line 1") && strstr(err.msg, "purpel"), "%s", err.msg);
	cr_assert_eq(ui_theme_parse(&t, "bad.theme", "\n\nrunnin = red\n", &err), -1);
	cr_assert(strstr(err.msg, "line 3"), "%s", err.msg);
	cr_assert_eq(ui_theme_parse(&t, "bad.theme", "running red\n", &err), -1);
	cr_assert_eq(ui_theme_parse(&t, "bad.theme", "running = red on blue on green\n", &err), -1);
}

Test(ui_theme, shipped_themes_parse)
{
	const char *names[] = {"default", "light", "dark", "high-contrast", "mono"};
	struct ui_theme t;
	struct ctr_err err;
	setenv("CONTAINR_THEMES", "themes", 1);
	for (size_t i = 0; i < 5; i++) {
		cr_assert_eq(ui_theme_load(&t, names[i], &err), 0, "%s: %s", names[i], err.msg);
		cr_assert_str_eq(t.name, names[i]);
		for (int e = 0; e < UI_EL__COUNT; e++)
			cr_assert_not_null(ui_element_name((enum ui_element)e));
	}
	/* mono uses no colours at all. */
	ui_theme_load(&t, "mono", &err);
	for (int e = 0; e < UI_EL__COUNT; e++)
		cr_assert(t.el[e].fg == UI_COLOR_DEFAULT && t.el[e].bg == UI_COLOR_DEFAULT);
	cr_assert_eq(ui_theme_load(&t, "nope", &err), -1);
	cr_assert_eq(err.code, E_NOT_FOUND);
	cr_assert_eq(ui_theme_load(&t, "../etc/passwd", &err), -1);
	struct strv all;
	strv_init(&all);
	ui_theme_list(&all);
	cr_assert(strv_contains(&all, "high-contrast"));
	strv_release(&all);
}

Test(ui_config, settings_and_key_remaps)
{
	struct ui_opts o = {.interval_ms = 1000};
	struct ui_keymap km;
	struct ctr_err err;
	ui_keymap_defaults(&km, false);
	const char *text = "# my dashboard\ntheme = dark\ninterval = 2s\nascii = yes\nmouse=on\n"
	                   "read-only = no\nshow-all = true\nkey.stop = x\n";
	cr_assert_eq(ui_config_parse(text, "dashboard.conf", &o, &km, &err), 0, "%s", err.msg);
	cr_assert_str_eq(o.theme, "dark");
	cr_assert_eq(o.interval_ms, 2000);
	cr_assert(o.ascii && o.mouse && o.show_all && !o.read_only);
	cr_assert_eq(ui_keymap_lookup(&km, UI_CTX_GLOBAL | UI_CTX_CONTAINERS, 'x'), A_STOP);

	struct ui_opts before = o;
	cr_assert_eq(ui_config_parse("theme = light\nbogus = 1\n", "c.conf", &o, &km, &err), -1);
	cr_assert(strstr(err.msg, "c.conf line 2"), "%s", err.msg);
	cr_assert_str_eq(o.theme, before.theme, "untouched on error");
	cr_assert_eq(ui_config_parse("key.nope = x\n", "c.conf", &o, &km, &err), -1);
	cr_assert_eq(ui_config_parse("interval = 1ms\n", "c.conf", &o, &km, &err), -1);
	cr_assert_eq(ui_config_parse("mouse = maybe\n", "c.conf", &o, &km, &err), -1);
	/* A missing default file is fine, a missing --config file is not. */
	cr_assert_eq(ui_config_load("/nonexistent/dashboard.conf", false, &o, &km, &err), 0);
	cr_assert_eq(ui_config_load("/nonexistent/dashboard.conf", true, &o, &km, &err), -1);
}

Test(ui_proc, status_parse_and_caps)
{
	struct ui_procstatus st;
	struct strbuf sb;
	ui_procstatus_parse(
	    "Name:\tsh\nState:\tS (sleeping)\nUid:\t0\t0\t0\t0\nNSpid:\t4242\t1\n"
	    "CapEff:\t00000000a80425fb\nCapBnd:\t00000000a80425fb\nCapAmb:\t0000000000000000\n"
	    "NoNewPrivs:\t1\nSeccomp:\t2\nSeccomp_filters:\t1\n",
	    &st);
	cr_assert_str_eq(st.name, "sh");
	cr_assert_eq(st.nnspid, 2);
	cr_assert_eq(st.nspid[0], 4242);
	cr_assert_eq(st.nspid[1], 1);
	cr_assert_eq(st.seccomp, 2);
	cr_assert_eq(st.no_new_privs, 1);
	cr_assert_str_eq(ui_seccomp_mode(st.seccomp), "filter");
	strbuf_init(&sb);
	ui_caps_names(st.cap_eff, &sb);
	/* Docker's default set: chown, kill, net_bind_service... but not sys_admin. */
	cr_assert(strstr(sb.buf, "cap_chown") && strstr(sb.buf, "cap_kill") &&
	              strstr(sb.buf, "cap_net_bind_service"),
	          "%s", sb.buf);
	cr_assert_null(strstr(sb.buf, "cap_sys_admin"));
	strbuf_reset(&sb);
	ui_caps_names(0, &sb);
	cr_assert_str_eq(sb.buf, "(none)");
	strbuf_release(&sb);
}

Test(ui_proc, own_process_namespaces_and_mounts)
{
	struct ui_ns ns[UI_NS_COUNT];
	struct ctr_err err;
	cr_assert_eq(ui_proc_namespaces(getpid(), ns, &err), 0);
	for (int i = 0; i < UI_NS_COUNT; i++)
		if (ns[i].inode && !strcmp(ns[i].type, "mnt"))
			cr_assert_neq(ns[i].inode, 0);
	struct ui_mount *m;
	size_t n;
	cr_assert_eq(ui_proc_mounts(getpid(), &m, &n, &err), 0);
	cr_assert_gt(n, 0);
	ui_mounts_free(m, n);
	struct ui_procrow r;
	cr_assert_eq(ui_proc_row(getpid(), &r), 0);
	cr_assert_eq(r.pid, getpid());
	cr_assert_gt(r.rss, 0);
}

Test(ui_proc, mountinfo_overlay_layers)
{
	const char *mi =
	    "600 500 0:50 / / rw,relatime - overlay overlay "
	    "rw,lowerdir=/l/top:/l/base,upperdir=/c/upper,workdir=/c/work\n"
	    "601 600 0:51 / /proc rw,nosuid - proc proc rw\n"
	    "602 600 0:52 / /dev rw,nosuid shared:1 - tmpfs tmpfs rw,size=65536k,mode=755\n";
	struct ui_mount *m;
	size_t n;
	struct strv lower;
	char *upper;
	ui_mountinfo_parse(mi, &m, &n);
	cr_assert_eq(n, 3);
	cr_assert_str_eq(m[2].target, "/dev");
	cr_assert_str_eq(m[2].fstype, "tmpfs");
	strv_init(&lower);
	ui_overlay_layers(m, n, &lower, &upper);
	cr_assert_eq(lower.n, 2);
	cr_assert_str_eq(lower.v[0], "/l/top");
	cr_assert_str_eq(upper, "/c/upper");
	free(upper);
	strv_release(&lower);
	ui_mounts_free(m, n);
}

Test(ui_logtail, incremental_reads_and_partial_lines)
{
	char path[] = "/tmp/ui-logtail-XXXXXX";
	int fd = mkstemp(path);
	struct ui_logtail t;
	cr_assert_geq(fd, 0);
	dprintf(fd,
	        "{\"t\":\"2026-11-28T14:00:00.000000001Z\",\"s\":\"stdout\",\"l\":\"hello\\n\"}\n");
	ui_logtail_init(&t, path, 3);
	cr_assert_eq(ui_logtail_poll(&t), 1);
	cr_assert_str_eq(t.v[0].text, "hello");
	cr_assert_not(t.v[0].err);
	cr_assert_gt(t.v[0].t_ns, 0);
	cr_assert_eq(ui_logtail_poll(&t), 0, "nothing new");
	dprintf(fd, "{\"s\":\"stderr\",\"l\":\"oops\"}\n{\"s\":\"stdout\",\"l\":\"par");
	cr_assert_eq(ui_logtail_poll(&t), 1, "partial line waits");
	cr_assert(t.v[1].err);
	dprintf(fd, "tial\"}\nnot json\n");
	cr_assert_eq(ui_logtail_poll(&t), 2);
	cr_assert_eq(t.n, 3, "kept at max");
	cr_assert_str_eq(t.v[1].text, "partial");
	cr_assert_str_eq(t.v[2].text, "not json");
	/* Truncation starts over. */
	cr_assert_eq(ftruncate(fd, 0), 0);
	dprintf(fd, "{\"l\":\"again\"}\n");
	cr_assert_eq(ui_logtail_poll(&t), 1);
	cr_assert_str_eq(t.v[t.n - 1].text, "again");
	ui_logtail_free(&t);
	close(fd);
	unlink(path);
}

#include <sys/wait.h>

#include "../../ui/ui.h"

/* Poll a job until it ends (the dashboard does this from its loop). */
static int wait_job(struct ui *ui)
{
	int r = 0;
	for (int i = 0; i < 500 && ui->job.pid; i++) {
		r = ui_job_poll(ui);
		if (ui->job.pid)
			usleep(10000);
	}
	return r;
}

Test(ui_job, runs_a_command_line_in_a_child_through_the_dispatcher)
{
	struct cli_ctx ctx = {0};
	struct ui *ui = calloc(1, sizeof *ui);
	char root[] = "/tmp/ui-job-XXXXXX";

	cr_assert_not_null(mkdtemp(root));
	ctx.root = root;
	ctx.out = stdout;
	ui->ctx = &ctx;
	ui->job.fd = ui->cap.mem_fd = ui->cap.saved_fd = -1;
	strbuf_init(&ui->job.out);
	strv_init(&ui->history);

	cr_assert_eq(ui_job_start(ui, "version", true), 0);
	cr_assert_neq(ui->job.pid, 0);
	cr_assert_eq(ui_job_start(ui, "version", false), -1, "one job at a time");
	cr_assert(strstr(ui->status, "busy"), "%s", ui->status);
	int r = wait_job(ui);
	cr_assert_eq(ui->job.pid, 0, "job reaped");
	cr_assert(r & UI_RESCAN);
	cr_assert(strstr(ui->job.out.buf, "Client: containr"), "%s", ui->job.out.buf);
	cr_assert_not(ui->status_err);
	cr_assert_eq(ui->depth, 1, "output pane opened");

	cr_assert_eq(ui_job_start(ui, "nosuchcommand", false), 0);
	wait_job(ui);
	cr_assert(ui->status_err);
	cr_assert(strstr(ui->status, "unknown command"), "%s", ui->status);
	cr_assert_eq(ui->depth, 1, "no pane for a key action");

	ui_job_finish(ui);
	while (ui->depth)
		ui_pop(ui);
	strv_release(&ui->history);
	free(ui);
	char *cmd = xasprintf("rm -rf %s", root);
	cr_assert_eq(system(cmd), 0);
	free(cmd);
}
