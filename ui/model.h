/*
 * model.h - the dashboard's data model: what is on this host, sampled.
 *
 * The views only talk to this module.  It lists containers, images and
 * volumes through the engine library (container.h, image.h, volume.h) and
 * samples each running container's cgroup and /proc files once per refresh
 * (no fork), keeping a short history for sparklines and graphs.  Objects
 * keep their identity (and history, and marks) across refreshes by id.
 *
 * Filtering and sorting are pure functions over the model (ui_view_build)
 * so they are unit-tested without curses or containers.
 */
#ifndef CONTAINR_UI_MODEL_H
#define CONTAINR_UI_MODEL_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "containr/error.h"
#include "containr/store.h"
#include "containr/util.h"

struct ctr_cgroup;
struct ctr_stats_sample;

#define UI_HIST 120
/* A full, reconciled ctr_container_list() every this many refreshes; in
 * between only containers whose state.json/config.json changed are reloaded. */
#define UI_FULL_LIST 5 /* samples kept per series (2 minutes at 1s) */

struct ui_hist {
	double v[UI_HIST]; /* oldest first */
	size_t n;
};
void ui_hist_push(struct ui_hist *h, double x);

struct ui_ctr {
	char id[65];
	char *name, *image, *command;
	char *state; /* "running", "paused", "exited", "created" */
	pid_t pid;
	int exit_code;
	int64_t created_s, started_s, finished_s;
	/* live numbers (running containers only) */
	bool has_stats;
	double cpu_pct; /* percent of one core (200% = two cores busy) */
	uint64_t mem, mem_limit, pids;
	uint64_t net_rx, net_tx, blk_r, blk_w;
	struct ui_hist h_cpu, h_mem, h_net_rx, h_net_tx, h_blk_r, h_blk_w; /* rates per second */
	uint64_t last_cpu_ns, last_net_rx, last_net_tx, last_blk_r, last_blk_w;
	int64_t last_sample_ns;
	int64_t state_mtime; /* state.json and config.json mtimes at the last load */
	int64_t config_mtime;
	struct ctr_cgroup *cg;         /* open while running (ctr_container_cgroup_open) */
	char *cg_err;                  /* why it could not be opened, or NULL */
	struct ctr_stats_sample *prev; /* previous sample (CPU % needs two) */
	/* view state kept across refreshes */
	bool marked;
	bool seen;
};

struct ui_image {
	char *id, *ref;
	uint64_t size;
	int64_t created_s;
	struct strv users; /* container names using it */
	bool marked, seen;
};

struct ui_volume {
	char *name, *driver, *mountpoint;
	uint64_t size;
	struct strv users;
	bool marked, seen;
};

struct ui_model {
	struct ctr_store *st; /* borrowed */
	struct ui_ctr **c;
	size_t nc;
	struct ui_image **img;
	size_t nimg;
	struct ui_volume **vol;
	size_t nvol;
	/* host */
	int ncpu;
	uint64_t mem_total, mem_avail;
	double load[3];
	int64_t now_s;
	unsigned ticks; /* refreshes so far: every UI_FULL_LIST-th one re-lists everything */
	char err[1536]; /* last refresh problem, "" if none */
};

void ui_model_init(struct ui_model *m, struct ctr_store *st);
void ui_model_free(struct ui_model *m);
/* Re-list containers and sample live numbers.  Errors land in m->err. */
void ui_model_refresh(struct ui_model *m);
/* Re-list images and volumes (slower: only while those views are shown). */
void ui_model_refresh_storage(struct ui_model *m);

/* Find or add a container by id (the model owns it). */
struct ui_ctr *ui_model_ctr(struct ui_model *m, const char *id);
struct ui_ctr *ui_model_find(const struct ui_model *m, const char *id);
bool ui_ctr_running(const struct ui_ctr *c); /* running or paused */
/* The name users type: the name, else the short id (static buffer per call site). */
const char *ui_ctr_ref(const struct ui_ctr *c);

/* Columns of the container list. */
enum ui_col {
	UI_COL_ID,
	UI_COL_NAME,
	UI_COL_IMAGE,
	UI_COL_STATUS,
	UI_COL_CPU,
	UI_COL_MEM,
	UI_COL_PIDS,
	UI_COL_UPTIME,
	UI_COL__COUNT
};
const char *ui_col_name(enum ui_col c);

/*
 * Does a row match `filter`?  Case-insensitive substring of any field;
 * a leading '!' inverts.  Empty filter (or just "!") matches everything.
 */
bool ui_filter_match(const char *filter, const char *const *fields, size_t nfields);

/* Order of two containers by a column (ties broken by name). */
int ui_ctr_cmp(const struct ui_ctr *a, const struct ui_ctr *b, enum ui_col col, int64_t now_s);

struct ui_view {
	char filter[128];
	enum ui_col sort;
	bool reverse;
	bool show_all;
	size_t *rows; /* indexes into model->c */
	size_t n;
};
/* Filter and sort the container list into v->rows (heap, replaced). */
void ui_view_build(const struct ui_model *m, struct ui_view *v);
void ui_view_free(struct ui_view *v);

#endif
