/*
 * model.c - the dashboard's data model (see model.h): object lists kept by
 * id across refreshes, live sampling, filter and sort.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "containr/cgroup.h"
#include "containr/container.h"
#include "containr/image.h"
#include "containr/runtime.h"
#include "containr/stats.h"
#include "containr/util.h"
#include "containr/volume.h"
#include "format.h"
#include "lib/json.h"
#include "model.h"

void ui_hist_push(struct ui_hist *h, double x)
{
	if (h->n == UI_HIST) {
		memmove(h->v, h->v + 1, (UI_HIST - 1) * sizeof h->v[0]);
		h->n--;
	}
	h->v[h->n++] = x;
}

void ui_model_init(struct ui_model *m, struct ctr_store *st)
{
	memset(m, 0, sizeof *m);
	m->st = st;
	m->ncpu = (int)sysconf(_SC_NPROCESSORS_ONLN);
	if (m->ncpu < 1)
		m->ncpu = 1;
}

/* Forget live-sampling state (the container stopped or went away). */
static void ctr_unsample(struct ui_ctr *c)
{
	if (c->cg)
		ctr_cgroup_free(c->cg);
	c->cg = NULL;
	free(c->prev);
	c->prev = NULL;
	c->has_stats = false;
	c->cpu_pct = 0;
	c->last_sample_ns = 0;
}

static void ctr_free(struct ui_ctr *c)
{
	if (!c)
		return;
	ctr_unsample(c);
	free(c->name);
	free(c->image);
	free(c->command);
	free(c->state);
	free(c->cg_err);
	free(c);
}

static void img_free(struct ui_image *i)
{
	if (!i)
		return;
	free(i->id);
	free(i->ref);
	strv_release(&i->users);
	free(i);
}

static void vol_free(struct ui_volume *v)
{
	if (!v)
		return;
	free(v->name);
	free(v->driver);
	free(v->mountpoint);
	strv_release(&v->users);
	free(v);
}

void ui_model_free(struct ui_model *m)
{
	for (size_t i = 0; i < m->nc; i++)
		ctr_free(m->c[i]);
	for (size_t i = 0; i < m->nimg; i++)
		img_free(m->img[i]);
	for (size_t i = 0; i < m->nvol; i++)
		vol_free(m->vol[i]);
	free(m->c);
	free(m->img);
	free(m->vol);
	memset(m, 0, sizeof *m);
}

struct ui_ctr *ui_model_find(const struct ui_model *m, const char *id)
{
	for (size_t i = 0; i < m->nc; i++)
		if (!strcmp(m->c[i]->id, id))
			return m->c[i];
	return NULL;
}

struct ui_ctr *ui_model_ctr(struct ui_model *m, const char *id)
{
	struct ui_ctr *c = ui_model_find(m, id);
	if (c)
		return c;
	c = xcalloc(1, sizeof *c);
	snprintf(c->id, sizeof c->id, "%s", id);
	m->c = xrealloc(m->c, (m->nc + 1) * sizeof *m->c);
	m->c[m->nc++] = c;
	return c;
}

bool ui_ctr_running(const struct ui_ctr *c)
{
	return c->state && (!strcmp(c->state, "running") || !strcmp(c->state, "paused"));
}

const char *ui_ctr_ref(const struct ui_ctr *c)
{
	static char shortid[13];
	if (c->name && *c->name)
		return c->name;
	snprintf(shortid, sizeof shortid, "%.12s", c->id);
	return shortid;
}

/* Drop objects not seen in the last listing; clear `seen` for the next. */
static void sweep_ctrs(struct ui_model *m)
{
	size_t o = 0;
	for (size_t i = 0; i < m->nc; i++) {
		if (m->c[i]->seen) {
			m->c[i]->seen = false;
			m->c[o++] = m->c[i];
		} else {
			ctr_free(m->c[i]);
		}
	}
	m->nc = o;
}

static void read_host(struct ui_model *m)
{
	cleanup_free char *mi = NULL, *la = NULL;
	m->now_s = ctr_now_ns() / 1000000000LL;
	if (ctr_read_file("/proc/loadavg", &la, NULL, NULL) == 0)
		sscanf(la, "%lf %lf %lf", &m->load[0], &m->load[1], &m->load[2]);
	if (ctr_read_file("/proc/meminfo", &mi, NULL, NULL) == 0) {
		unsigned long long v;
		char *p = strstr(mi, "MemTotal:");
		if (p && sscanf(p + 9, "%llu", &v) == 1)
			m->mem_total = v * 1024;
		p = strstr(mi, "MemAvailable:");
		if (p && sscanf(p + 13, "%llu", &v) == 1)
			m->mem_avail = v * 1024;
	}
}

/* Replace a heap string field if it changed. */
static void set_str(char **field, const char *v)
{
	if (*field && v && !strcmp(*field, v))
		return;
	free(*field);
	*field = v ? xstrdup(v) : NULL;
}

/* Per-second rate from two counters, 0 when the counter went backwards. */
static double rate(uint64_t now, uint64_t before, double dt)
{
	return dt > 0 && now >= before ? (double)(now - before) / dt : 0;
}

/*
 * Sample one running container: its cgroup counters and network bytes
 * through the stats module (no fork), CPU % with Docker's formula.
 */
static void sample(struct ui_model *m, struct ui_ctr *c)
{
	struct ctr_stats_sample s;
	struct ctr_err err;
	int64_t now = ctr_mono_ns();

	if (!c->cg) { /* update_ctr() could not open it */
		snprintf(m->err, sizeof m->err, "%s: %s", ui_ctr_ref(c),
		         c->cg_err ? c->cg_err : "no cgroup");
		return;
	}
	if (ctr_stats_sample(c->cg, c->pid, &s, &err) < 0) {
		snprintf(m->err, sizeof m->err, "%s: %s", ui_ctr_ref(c), err.msg);
		return;
	}
	c->mem = s.cg.mem_usage;
	c->mem_limit = s.cg.mem_limit;
	c->pids = s.cg.pids;
	if (c->prev) {
		double dt = (double)(now - c->last_sample_ns) / 1e9;
		c->cpu_pct = ctr_stats_cpu_percent(c->prev, &s);
		ui_hist_push(&c->h_cpu, c->cpu_pct);
		ui_hist_push(&c->h_mem, (double)c->mem);
		ui_hist_push(&c->h_net_rx, rate(s.net_rx, c->prev->net_rx, dt));
		ui_hist_push(&c->h_net_tx, rate(s.net_tx, c->prev->net_tx, dt));
		ui_hist_push(&c->h_blk_r, rate(s.cg.blk_read, c->prev->cg.blk_read, dt));
		ui_hist_push(&c->h_blk_w, rate(s.cg.blk_write, c->prev->cg.blk_write, dt));
	} else {
		c->prev = xmalloc(sizeof *c->prev);
	}
	c->net_rx = s.net_rx;
	c->net_tx = s.net_tx;
	c->blk_r = s.cg.blk_read;
	c->blk_w = s.cg.blk_write;
	*c->prev = s;
	c->last_sample_ns = now;
	c->has_stats = true;
}

static void update_ctr(struct ui_ctr *c, const struct ctr_container *src)
{
	struct strv argv;
	struct strbuf cmd;

	set_str(&c->name, src->cfg.name);
	set_str(&c->image, src->cfg.image ? src->cfg.image : src->cfg.rootfs);
	set_str(&c->state, ctr_status_name(src->state.status));
	strbuf_init(&cmd);
	ctr_container_argv(&src->cfg, &argv); /* initialises argv */
	for (size_t i = 0; i < argv.n; i++)
		strbuf_printf(&cmd, "%s%s", i ? " " : "", argv.v[i]);
	set_str(&c->command, cmd.buf);
	strbuf_release(&cmd);
	strv_release(&argv);
	if (c->pid != src->state.pid)
		ctr_unsample(c); /* restarted: a new init, maybe a new cgroup */
	c->pid = src->state.pid;
	if (ui_ctr_running(c) && c->pid > 0 && !c->cg) {
		/* The engine knows where it is (the recorded path, else
		 * <cgroup-parent>/<id>) and which hierarchy (v1, v2). */
		struct ctr_err err;
		if (ctr_container_cgroup_open(src, &c->cg, &err) < 0) {
			c->cg = NULL;
			set_str(&c->cg_err, err.msg);
		} else {
			set_str(&c->cg_err, NULL);
		}
	}
	c->exit_code = src->state.exit_code;
	c->created_s = src->cfg.created / 1000000000LL;
	c->started_s = src->state.started_at / 1000000000LL;
	c->finished_s = src->state.finished_at / 1000000000LL;
	c->seen = true;
}

/* mtime of a container's file in ns, -1 if missing. */
static int64_t obj_mtime(const struct ui_model *m, const char *id, const char *file)
{
	cleanup_free char *path = ctr_store_obj_path(m->st, CTR_KIND_CONTAINER, id, file);
	struct stat st;

	if (stat(path, &st) < 0)
		return -1;
	return (int64_t)st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec;
}

static void remember_mtimes(const struct ui_model *m, struct ui_ctr *c)
{
	c->state_mtime = obj_mtime(m, c->id, "state.json");
	c->config_mtime = obj_mtime(m, c->id, "config.json");
}

/* Everything, reconciled with the kernel (a monitor that died is noticed). */
static int list_full(struct ui_model *m)
{
	struct ctr_container *v = NULL;
	struct ctr_err err;
	size_t n = 0;

	if (ctr_container_list(m->st, true, &v, &n, &err) < 0) {
		snprintf(m->err, sizeof m->err, "cannot list containers: %s", err.msg);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		struct ui_ctr *c = ui_model_ctr(m, v[i].id);
		update_ctr(c, &v[i]);
		remember_mtimes(m, c);
	}
	ctr_container_list_free(v, n);
	return 0;
}

/*
 * The cheap refresh between full ones: list the ids and reload (through
 * ctr_container_load_id, which reconciles) only containers that are new or
 * whose state.json or config.json changed: one stat() per file instead of
 * parsing every container's JSON every second.
 */
static int list_changed(struct ui_model *m)
{
	struct strv ids;
	struct ctr_err err;

	/* ctr_store_list() initialises ids (even when it fails). */
	if (ctr_store_list(m->st, CTR_KIND_CONTAINER, &ids, &err) < 0) {
		strv_release(&ids);
		return list_full(m);
	}
	for (size_t i = 0; i < ids.n; i++) {
		struct ui_ctr *c = ui_model_find(m, ids.v[i]);
		int64_t smt = obj_mtime(m, ids.v[i], "state.json");
		int64_t cmt = obj_mtime(m, ids.v[i], "config.json");
		struct ctr_container one;

		if (c && smt == c->state_mtime && cmt == c->config_mtime) {
			c->seen = true;
			continue;
		}
		if (ctr_container_load_id(m->st, ids.v[i], &one, &err) < 0) {
			if (c)
				c->seen = true; /* half-written or being removed: keep the row */
			continue;
		}
		c = ui_model_ctr(m, ids.v[i]);
		update_ctr(c, &one);
		remember_mtimes(m, c);
		ctr_container_free(&one);
	}
	strv_release(&ids);
	return 0;
}

void ui_model_refresh(struct ui_model *m)
{
	int rc;

	m->err[0] = '\0';
	read_host(m);
	if (!m->st)
		return;
	rc = m->ticks++ % UI_FULL_LIST == 0 ? list_full(m) : list_changed(m);
	if (rc < 0) {
		for (size_t i = 0; i < m->nc; i++)
			m->c[i]->seen = false;
		return; /* keep showing the last good list */
	}
	sweep_ctrs(m);
	for (size_t i = 0; i < m->nc; i++) {
		struct ui_ctr *c = m->c[i];
		if (ui_ctr_running(c) && c->pid > 0)
			sample(m, c);
		else
			ctr_unsample(c);
	}
}

/* Container ids -> names known to the model (ids of unknown ones shortened). */
static void ids_to_names(const struct ui_model *m, const struct strv *ids, struct strv *out)
{
	for (size_t i = 0; i < ids->n; i++) {
		const struct ui_ctr *c = ui_model_find(m, ids->v[i]);
		char shortid[13];
		snprintf(shortid, sizeof shortid, "%.12s", ids->v[i]);
		strv_push(out, c ? ui_ctr_ref(c) : shortid);
	}
}

static void refresh_images(struct ui_model *m)
{
	cJSON *idx = NULL;
	struct ctr_err err;

	if (ctr_image_index_load(m->st, &idx, &err) < 0) {
		snprintf(m->err, sizeof m->err, "cannot read the images index: %s", err.msg);
		return;
	}
	for (size_t i = 0; i < m->nimg; i++)
		img_free(m->img[i]);
	free(m->img);
	m->img = NULL;
	m->nimg = 0;
	const cJSON *refs = ctr_json_obj(idx, "refs");
	const cJSON *images = ctr_json_obj(idx, "images");
	const cJSON *img;
	/* One row per image record, named by its first tag ("<none>" if dangling). */
	cJSON_ArrayForEach (img, images) {
		struct ui_image *im = xcalloc(1, sizeof *im);
		const cJSON *r;
		strv_init(&im->users);
		im->id = xstrdup(img->string);
		cJSON_ArrayForEach (r, refs) {
			const char *id = ctr_json_str(r, "id");
			if (id && !strcmp(id, im->id) && !im->ref)
				im->ref = xstrdup(ctr_json_str_or(r, "display", r->string));
		}
		if (!im->ref)
			im->ref = xasprintf("<none>@%.19s", im->id);
		const char *created = ctr_json_str(img, "Created");
		int64_t ns = 0, size = ctr_json_int(img, "Size", 0);
		im->size = size > 0 ? (uint64_t)size : 0;
		if (created && ctr_parse_rfc3339(created, &ns) == 0)
			im->created_s = ns / 1000000000LL;
		struct strv ids;
		strv_init(&ids);
		if (ctr_image_users(m->st, im->id, &ids, &err) == 0)
			ids_to_names(m, &ids, &im->users);
		strv_release(&ids);
		m->img = xrealloc(m->img, (m->nimg + 1) * sizeof *m->img);
		m->img[m->nimg++] = im;
	}
	cJSON_Delete(idx);
}

static void refresh_volumes(struct ui_model *m)
{
	struct strv names;
	struct ctr_err err;

	strv_init(&names);
	if (ctr_volume_list(m->st, &names, &err) < 0) {
		snprintf(m->err, sizeof m->err, "cannot list volumes: %s", err.msg);
		strv_release(&names);
		return;
	}
	for (size_t i = 0; i < m->nvol; i++)
		vol_free(m->vol[i]);
	free(m->vol);
	m->vol = NULL;
	m->nvol = 0;
	for (size_t i = 0; i < names.n; i++) {
		struct ui_volume *v = xcalloc(1, sizeof *v);
		cJSON *j = NULL;
		strv_init(&v->users);
		v->name = xstrdup(names.v[i]);
		if (ctr_volume_inspect(m->st, v->name, &j, &err) == 0) {
			v->driver = xstrdup(ctr_json_str_or(j, "Driver", "local"));
			v->mountpoint = ctr_json_strdup(j, "Mountpoint");
			cJSON_Delete(j);
		}
		int64_t sz = ctr_volume_size(m->st, v->name);
		v->size = sz > 0 ? (uint64_t)sz : 0;
		struct strv ids;
		strv_init(&ids);
		if (ctr_volume_users(m->st, v->name, &ids, NULL, &err) >= 0)
			ids_to_names(m, &ids, &v->users);
		strv_release(&ids);
		m->vol = xrealloc(m->vol, (m->nvol + 1) * sizeof *m->vol);
		m->vol[m->nvol++] = v;
	}
	strv_release(&names);
}

void ui_model_refresh_storage(struct ui_model *m)
{
	if (!m->st)
		return;
	refresh_images(m);
	refresh_volumes(m);
}

/* ---- filter and sort ---------------------------------------------------- */

static const char *const col_names[UI_COL__COUNT] = {
    [UI_COL_ID] = "ID",         [UI_COL_NAME] = "NAME",     [UI_COL_IMAGE] = "IMAGE",
    [UI_COL_STATUS] = "STATUS", [UI_COL_CPU] = "CPU%",      [UI_COL_MEM] = "MEM",
    [UI_COL_PIDS] = "PIDS",     [UI_COL_UPTIME] = "UPTIME",
};

const char *ui_col_name(enum ui_col c)
{
	return (int)c >= 0 && c < UI_COL__COUNT ? col_names[c] : "?";
}

bool ui_filter_match(const char *filter, const char *const *fields, size_t nfields)
{
	bool invert = false, hit = false;
	if (!filter)
		return true;
	if (*filter == '!') {
		invert = true;
		filter++;
	}
	if (!*filter)
		return true;
	for (size_t i = 0; i < nfields && !hit; i++)
		hit = ui_contains_ci(fields[i], filter);
	return hit != invert;
}

static int state_rank(const struct ui_ctr *c)
{
	if (!c->state)
		return 9;
	if (!strcmp(c->state, "running"))
		return 0;
	if (!strcmp(c->state, "paused"))
		return 1;
	if (!strcmp(c->state, "created"))
		return 2;
	return 3;
}

#define CMP(x, y) (((x) > (y)) - ((x) < (y)))

int ui_ctr_cmp(const struct ui_ctr *a, const struct ui_ctr *b, enum ui_col col, int64_t now_s)
{
	int r = 0;
	switch (col) {
	case UI_COL_ID:
		r = strcmp(a->id, b->id);
		break;
	case UI_COL_NAME:
		break;
	case UI_COL_IMAGE:
		r = strcasecmp(a->image ? a->image : "", b->image ? b->image : "");
		break;
	case UI_COL_STATUS:
		r = CMP(state_rank(a), state_rank(b));
		break;
	/* Numbers: biggest first, as in top. */
	case UI_COL_CPU:
		r = -CMP(a->cpu_pct, b->cpu_pct);
		break;
	case UI_COL_MEM:
		r = -CMP(a->mem, b->mem);
		break;
	case UI_COL_PIDS:
		r = -CMP(a->pids, b->pids);
		break;
	case UI_COL_UPTIME: {
		int64_t ua = ui_ctr_running(a) ? now_s - a->started_s : -1;
		int64_t ub = ui_ctr_running(b) ? now_s - b->started_s : -1;
		r = -CMP(ua, ub);
		break;
	}
	default:
		break;
	}
	if (!r)
		r = strcmp(a->name ? a->name : a->id, b->name ? b->name : b->id);
	if (!r)
		r = strcmp(a->id, b->id);
	return r;
}

static const struct ui_model *sort_model;
static const struct ui_view *sort_view;

static int cmp_rows(const void *x, const void *y)
{
	const struct ui_ctr *a = sort_model->c[*(const size_t *)x];
	const struct ui_ctr *b = sort_model->c[*(const size_t *)y];
	int r = ui_ctr_cmp(a, b, sort_view->sort, sort_model->now_s);
	return sort_view->reverse ? -r : r;
}

void ui_view_build(const struct ui_model *m, struct ui_view *v)
{
	free(v->rows);
	v->rows = xcalloc(m->nc ? m->nc : 1, sizeof *v->rows);
	v->n = 0;
	for (size_t i = 0; i < m->nc; i++) {
		const struct ui_ctr *c = m->c[i];
		char shortid[13];
		snprintf(shortid, sizeof shortid, "%.12s", c->id);
		const char *fields[] = {shortid, c->name, c->image, c->state, c->command};
		if (!v->show_all && !ui_ctr_running(c))
			continue;
		if (!ui_filter_match(v->filter, fields, CTR_ARRAY_SIZE(fields)))
			continue;
		v->rows[v->n++] = i;
	}
	sort_model = m;
	sort_view = v;
	qsort(v->rows, v->n, sizeof *v->rows, cmp_rows);
}

void ui_view_free(struct ui_view *v)
{
	free(v->rows);
	v->rows = NULL;
	v->n = 0;
}
