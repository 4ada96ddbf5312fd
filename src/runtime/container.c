/*
 * container.c - the container model in the store: config.json and
 * state.json (de)serialisation, load/list, and reconciliation of the
 * recorded state with the kernel.
 *
 * JSON keys follow Docker's inspect names so `inspect` is a rename-free
 * projection and other tools recognise the files.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "containr/container.h"
#include "containr/log.h"
#include "lib/json.h"
#include "runtime/internal.h"

static const char *const status_names[] = {"created", "running", "paused", "exited", "dead"};

const char *ctr_status_name(enum ctr_status s)
{
	if ((unsigned)s >= CTR_ARRAY_SIZE(status_names))
		return "unknown";
	return status_names[s];
}

int ctr_status_parse(const char *s)
{
	for (size_t i = 0; i < CTR_ARRAY_SIZE(status_names); i++)
		if (s && strcmp(s, status_names[i]) == 0)
			return (int)i;
	return -1;
}

void ctr_container_config_init(struct ctr_container_config *cfg)
{
	memset(cfg, 0, sizeof *cfg);
	strv_init(&cfg->entrypoint);
	strv_init(&cfg->cmd);
	strv_init(&cfg->env);
	strv_init(&cfg->ulimits);
	strv_init(&cfg->cap_add);
	strv_init(&cfg->cap_drop);
	strv_init(&cfg->security_opt);
	strv_init(&cfg->publish);
	strv_init(&cfg->expose);
	strv_init(&cfg->volume_specs);
	strv_init(&cfg->mount_specs);
	strv_init(&cfg->tmpfs_specs);
	strv_init(&cfg->volumes_from);
	cfg->labels = cJSON_CreateObject();
	cfg->mounts = cJSON_CreateArray();
	cfg->stop_timeout = -1;
	strv_init(&cfg->log_opts);
	cfg->log_max_file = 1;
	cfg->limits.memory_swap = 0;
	cfg->limits.pids_limit = 0;
}

void ctr_container_config_release(struct ctr_container_config *cfg)
{
	free(cfg->name);
	free(cfg->image);
	free(cfg->image_id);
	free(cfg->rootfs);
	strv_release(&cfg->entrypoint);
	strv_release(&cfg->cmd);
	strv_release(&cfg->env);
	free(cfg->workdir);
	free(cfg->user);
	free(cfg->hostname);
	cJSON_Delete(cfg->labels);
	strv_release(&cfg->ulimits);
	strv_release(&cfg->cap_add);
	strv_release(&cfg->cap_drop);
	free(cfg->seccomp);
	strv_release(&cfg->security_opt);
	free(cfg->network);
	free(cfg->ip);
	strv_release(&cfg->publish);
	strv_release(&cfg->expose);
	free(cfg->userns);
	free(cfg->stop_signal);
	free(cfg->log_driver);
	strv_release(&cfg->log_opts);
	free(cfg->cgroup_parent);
	cJSON_Delete(cfg->mounts);
	strv_release(&cfg->volume_specs);
	strv_release(&cfg->mount_specs);
	strv_release(&cfg->tmpfs_specs);
	strv_release(&cfg->volumes_from);
	memset(cfg, 0, sizeof *cfg);
}

void ctr_container_argv(const struct ctr_container_config *cfg, struct strv *out)
{
	strv_init(out);
	for (size_t i = 0; i < cfg->entrypoint.n; i++)
		strv_push(out, cfg->entrypoint.v[i]);
	for (size_t i = 0; i < cfg->cmd.n; i++)
		strv_push(out, cfg->cmd.v[i]);
}

/* ---- JSON helpers ------------------------------------------------------- */

static void put_str(cJSON *o, const char *k, const char *v)
{
	if (v)
		cJSON_AddStringToObject(o, k, v);
	else
		cJSON_AddNullToObject(o, k);
}

static void put_strv(cJSON *o, const char *k, const struct strv *sv)
{
	cJSON *a = cJSON_AddArrayToObject(o, k);
	for (size_t i = 0; i < sv->n; i++)
		cJSON_AddItemToArray(a, cJSON_CreateString(sv->v[i]));
}

static void put_time(cJSON *o, const char *k, int64_t ns)
{
	char buf[64];
	ctr_format_rfc3339(buf, sizeof buf, ns);
	cJSON_AddStringToObject(o, k, buf);
}

static int64_t get_time(const cJSON *o, const char *k)
{
	const char *v = ctr_json_str(o, k);
	int64_t ns = 0;
	/* Go's zero time ("0001-01-01T00:00:00Z") means "never"; it does not
	 * fit in int64 nanoseconds, so do not parse it. */
	if (!v || str_startswith(v, "0001-") || ctr_parse_rfc3339(v, &ns) < 0 || ns < 0)
		return 0;
	return ns;
}

/* ---- config ------------------------------------------------------------- */

cJSON *ctr_container_config_to_json(const struct ctr_container_config *cfg)
{
	cJSON *o = cJSON_CreateObject();

	put_str(o, "Name", cfg->name);
	put_str(o, "Image", cfg->image);
	put_str(o, "ImageID", cfg->image_id);
	put_str(o, "Rootfs", cfg->rootfs);
	put_strv(o, "Entrypoint", &cfg->entrypoint);
	put_strv(o, "Cmd", &cfg->cmd);
	put_strv(o, "Env", &cfg->env);
	put_str(o, "WorkingDir", cfg->workdir);
	put_str(o, "User", cfg->user);
	put_str(o, "Hostname", cfg->hostname);
	cJSON_AddItemToObject(o, "Labels", cJSON_Duplicate(cfg->labels, true));
	cJSON_AddNumberToObject(o, "Memory", (double)cfg->limits.memory);
	cJSON_AddNumberToObject(o, "MemorySwap", (double)cfg->limits.memory_swap);
	cJSON_AddNumberToObject(o, "NanoCpus", cfg->limits.cpus * 1e9);
	cJSON_AddNumberToObject(o, "CpuShares", (double)cfg->limits.cpu_shares);
	cJSON_AddNumberToObject(o, "PidsLimit", (double)cfg->limits.pids_limit);
	put_strv(o, "Ulimits", &cfg->ulimits);
	put_strv(o, "CapAdd", &cfg->cap_add);
	put_strv(o, "CapDrop", &cfg->cap_drop);
	cJSON_AddBoolToObject(o, "Privileged", cfg->privileged);
	cJSON_AddBoolToObject(o, "ReadonlyRootfs", cfg->read_only);
	cJSON_AddBoolToObject(o, "NoNewPrivileges", cfg->no_new_privs);
	put_str(o, "Seccomp", cfg->seccomp);
	put_strv(o, "SecurityOpt", &cfg->security_opt);
	put_str(o, "NetworkMode", cfg->network);
	put_str(o, "IPAddress", cfg->ip);
	put_strv(o, "Publish", &cfg->publish);
	put_strv(o, "Expose", &cfg->expose);
	cJSON_AddBoolToObject(o, "PublishAllPorts", cfg->publish_all);
	put_str(o, "StopSignal", cfg->stop_signal);
	cJSON_AddNumberToObject(o, "StopTimeout", cfg->stop_timeout);
	cJSON_AddBoolToObject(o, "Init", cfg->init);
	cJSON_AddBoolToObject(o, "Tty", cfg->tty);
	cJSON_AddBoolToObject(o, "OpenStdin", cfg->interactive);
	cJSON_AddBoolToObject(o, "AutoRemove", cfg->auto_remove);
	put_str(o, "CgroupParent", cfg->cgroup_parent);
	if (cfg->uidmap.n) {
		cleanup_free char *u = ctr_idmap_to_string(&cfg->uidmap),
		                  *g = ctr_idmap_to_string(&cfg->gidmap);
		put_str(o, "UsernsMode", cfg->userns);
		put_str(o, "UidMap", u);
		put_str(o, "GidMap", g);
	}
	put_str(o, "LogDriver", cfg->log_driver);
	put_strv(o, "LogOpts", &cfg->log_opts);
	cJSON_AddNumberToObject(o, "LogMaxSize", (double)cfg->log_max_size);
	cJSON_AddNumberToObject(o, "LogMaxFile", cfg->log_max_file);
	cJSON_AddItemToObject(o, "Mounts", cJSON_Duplicate(cfg->mounts, true));
	put_time(o, "Created", cfg->created);
	return o;
}

int ctr_container_config_from_json(const cJSON *j, struct ctr_container_config *cfg,
                                   struct ctr_err *err)
{
	const cJSON *v;

	if (!cJSON_IsObject(j))
		return ctr_fail(err, E_CORRUPT, "container config is not a JSON object");
	ctr_container_config_init(cfg);
	cfg->name = ctr_json_strdup(j, "Name");
	cfg->image = ctr_json_strdup(j, "Image");
	cfg->image_id = ctr_json_strdup(j, "ImageID");
	cfg->rootfs = ctr_json_strdup(j, "Rootfs");
	ctr_json_strv(j, "Entrypoint", &cfg->entrypoint);
	ctr_json_strv(j, "Cmd", &cfg->cmd);
	ctr_json_strv(j, "Env", &cfg->env);
	cfg->workdir = ctr_json_strdup(j, "WorkingDir");
	cfg->user = ctr_json_strdup(j, "User");
	cfg->hostname = ctr_json_strdup(j, "Hostname");
	v = ctr_json_obj(j, "Labels");
	if (v) {
		cJSON_Delete(cfg->labels);
		cfg->labels = cJSON_Duplicate(v, true);
	}
	cfg->limits.memory = ctr_json_int(j, "Memory", 0);
	cfg->limits.memory_swap = ctr_json_int(j, "MemorySwap", 0);
	cfg->limits.cpus = ctr_json_num(j, "NanoCpus", 0) / 1e9;
	cfg->limits.cpu_shares = ctr_json_int(j, "CpuShares", 0);
	cfg->limits.pids_limit = ctr_json_int(j, "PidsLimit", 0);
	ctr_json_strv(j, "Ulimits", &cfg->ulimits);
	ctr_json_strv(j, "CapAdd", &cfg->cap_add);
	ctr_json_strv(j, "CapDrop", &cfg->cap_drop);
	cfg->privileged = ctr_json_bool(j, "Privileged");
	cfg->read_only = ctr_json_bool(j, "ReadonlyRootfs");
	cfg->no_new_privs = ctr_json_bool(j, "NoNewPrivileges");
	cfg->seccomp = ctr_json_strdup(j, "Seccomp");
	ctr_json_strv(j, "SecurityOpt", &cfg->security_opt);
	cfg->network = ctr_json_strdup(j, "NetworkMode");
	cfg->ip = ctr_json_strdup(j, "IPAddress");
	ctr_json_strv(j, "Publish", &cfg->publish);
	ctr_json_strv(j, "Expose", &cfg->expose);
	cfg->publish_all = ctr_json_bool(j, "PublishAllPorts");
	cfg->stop_signal = ctr_json_strdup(j, "StopSignal");
	cfg->stop_timeout = (int)ctr_json_int(j, "StopTimeout", -1);
	cfg->init = ctr_json_bool(j, "Init");
	cfg->tty = ctr_json_bool(j, "Tty");
	cfg->interactive = ctr_json_bool(j, "OpenStdin");
	cfg->auto_remove = ctr_json_bool(j, "AutoRemove");
	cfg->cgroup_parent = ctr_json_strdup(j, "CgroupParent");
	cfg->userns = ctr_json_strdup(j, "UsernsMode");
	{
		const char *u = ctr_json_str(j, "UidMap"), *g = ctr_json_str(j, "GidMap");
		if (ctr_idmap_from_string(&cfg->uidmap, u, err) < 0 ||
		    ctr_idmap_from_string(&cfg->gidmap, g, err) < 0)
			return ctr_err_wrap(err, "container config");
	}
	cfg->log_driver = ctr_json_strdup(j, "LogDriver");
	ctr_json_strv(j, "LogOpts", &cfg->log_opts);
	cfg->log_max_size = ctr_json_int(j, "LogMaxSize", 0);
	cfg->log_max_file = (int)ctr_json_int(j, "LogMaxFile", 1);
	if (cfg->log_max_file < 1)
		cfg->log_max_file = 1;
	v = ctr_json_arr(j, "Mounts");
	if (v) {
		cJSON_Delete(cfg->mounts);
		cfg->mounts = cJSON_Duplicate(v, true);
	}
	cfg->created = get_time(j, "Created");
	return 0;
}

/* ---- state -------------------------------------------------------------- */

cJSON *ctr_container_state_to_json(const struct ctr_container_state *s)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "Status", ctr_status_name(s->status));
	cJSON_AddNumberToObject(o, "Pid", s->pid);
	cJSON_AddNumberToObject(o, "MonitorPid", s->monitor_pid);
	cJSON_AddNumberToObject(o, "MonitorStart", (double)s->monitor_start);
	cJSON_AddNumberToObject(o, "ExitCode", s->exit_code);
	cJSON_AddBoolToObject(o, "OOMKilled", s->oom_killed);
	put_time(o, "StartedAt", s->started_at);
	put_time(o, "FinishedAt", s->finished_at);
	put_str(o, "CgroupPath", s->cgroup_path);
	cJSON_AddStringToObject(o, "Error", s->error ? s->error : "");
	return o;
}

int ctr_container_state_from_json(const cJSON *j, struct ctr_container_state *s,
                                  struct ctr_err *err)
{
	int st;

	memset(s, 0, sizeof *s);
	if (!cJSON_IsObject(j))
		return ctr_fail(err, E_CORRUPT, "container state is not a JSON object");
	st = ctr_status_parse(ctr_json_str(j, "Status"));
	if (st < 0)
		return ctr_fail(err, E_CORRUPT, "container state has an unknown Status");
	s->status = (enum ctr_status)st;
	s->pid = (pid_t)ctr_json_int(j, "Pid", 0);
	s->monitor_pid = (pid_t)ctr_json_int(j, "MonitorPid", 0);
	s->monitor_start = (uint64_t)ctr_json_int(j, "MonitorStart", 0);
	s->exit_code = (int)ctr_json_int(j, "ExitCode", 0);
	s->oom_killed = ctr_json_bool(j, "OOMKilled");
	s->started_at = get_time(j, "StartedAt");
	s->finished_at = get_time(j, "FinishedAt");
	s->cgroup_path = ctr_json_strdup(j, "CgroupPath");
	s->error = ctr_json_strdup(j, "Error");
	if (s->error && !*s->error) {
		free(s->error);
		s->error = NULL;
	}
	return 0;
}

static void state_release(struct ctr_container_state *s)
{
	free(s->cgroup_path);
	free(s->error);
	memset(s, 0, sizeof *s);
}

/* ---- files -------------------------------------------------------------- */

int ctr_container_save_config(const struct ctr_container *c, struct ctr_err *err)
{
	cleanup_free char *path = ctr_path_join(c->dir, "config.json");
	cJSON *j = ctr_container_config_to_json(&c->cfg);
	/* a --rm container does not outlive a reboot: no fsyncs (docs/RUNTIME.md) */
	int r = ctr_json_save_opt(path, j, !c->cfg.auto_remove, err);
	cJSON_Delete(j);
	return r;
}

int ctr_container_save_state(const struct ctr_container *c, struct ctr_err *err)
{
	cleanup_free char *path = ctr_path_join(c->dir, "state.json");
	cJSON *j = ctr_container_state_to_json(&c->state);
	int r = ctr_json_save_opt(path, j, !c->cfg.auto_remove, err);
	cJSON_Delete(j);
	return r;
}

int ctr_container_reload_state(struct ctr_container *c, struct ctr_err *err)
{
	cleanup_free char *path = ctr_path_join(c->dir, "state.json");
	struct ctr_container_state s;
	cJSON *j = NULL;

	if (ctr_json_load(path, &j, err) < 0)
		return -1;
	if (ctr_container_state_from_json(j, &s, err) < 0) {
		cJSON_Delete(j);
		return ctr_err_wrap(err, "%s", path);
	}
	cJSON_Delete(j);
	state_release(&c->state);
	c->state = s;
	return 0;
}

static int load_files(const struct ctr_store *st, const char *id, struct ctr_container *out,
                      struct ctr_err *err)
{
	cleanup_free char *cpath = NULL;
	cJSON *j = NULL;

	memset(out, 0, sizeof *out);
	snprintf(out->id, sizeof out->id, "%s", id);
	out->dir = ctr_store_obj_path(st, CTR_KIND_CONTAINER, id, NULL);
	cpath = ctr_path_join(out->dir, "config.json");
	if (ctr_json_load(cpath, &j, err) < 0)
		goto fail;
	if (ctr_container_config_from_json(j, &out->cfg, err) < 0) {
		ctr_err_wrap(err, "%s", cpath);
		cJSON_Delete(j);
		goto fail;
	}
	cJSON_Delete(j);
	if (ctr_container_reload_state(out, err) < 0) {
		if (!err || err->code != E_CORRUPT)
			goto fail;
		/*
		 * The state was lost (a crash or power loss mid-write): the config
		 * still names the container, so show it as Docker's "dead" and let
		 * rm remove it, instead of hiding it from every command.
		 */
		ctr_warn("container state unreadable, shown as dead", "id", id, "error", err->msg);
		out->state.status = CTR_STATUS_DEAD;
		out->state.error = xstrdup(err->msg);
		ctr_err_clear(err);
	}
	return 0;
fail:
	ctr_container_free(out);
	return -1;
}

int ctr_container_load_id(const struct ctr_store *st, const char *id, struct ctr_container *out,
                          struct ctr_err *err)
{
	if (load_files(st, id, out, err) < 0)
		return -1;
	ctr_container_reconcile(st, out);
	return 0;
}

int ctr_container_load(const struct ctr_store *st, const char *query, struct ctr_container *out,
                       struct ctr_err *err)
{
	char id[65];

	if (!query || !*query)
		return ctr_fail(err, E_INVALID_ARG, "empty container name or id");
	if (ctr_store_resolve(st, CTR_KIND_CONTAINER, query, id, err) < 0) {
		if (err && err->code == E_NOT_FOUND) {
			ctr_fail(err, E_NOT_FOUND, "no such container: %s", query);
			ctr_hint(err, "see `containr ps -a` for the containers that exist");
		}
		return -1;
	}
	return ctr_container_load_id(st, id, out, err);
}

void ctr_container_free(struct ctr_container *c)
{
	if (!c)
		return;
	free(c->dir);
	ctr_container_config_release(&c->cfg);
	state_release(&c->state);
	memset(c, 0, sizeof *c);
}

static int cmp_created_desc(const void *a, const void *b)
{
	const struct ctr_container *x = a, *y = b;
	if (x->cfg.created != y->cfg.created)
		return x->cfg.created < y->cfg.created ? 1 : -1;
	return strcmp(x->id, y->id);
}

int ctr_container_list(const struct ctr_store *st, bool all, struct ctr_container **out, size_t *n,
                       struct ctr_err *err)
{
	struct strv ids;
	struct ctr_container *v = NULL;
	size_t cnt = 0;

	/* ctr_store_list() initialises `ids` itself. */
	if (ctr_store_list(st, CTR_KIND_CONTAINER, &ids, err) < 0) {
		strv_release(&ids);
		return -1;
	}
	v = xcalloc(ids.n ? ids.n : 1, sizeof *v);
	for (size_t i = 0; i < ids.n; i++) {
		struct ctr_err e;
		ctr_err_clear(&e);
		if (load_files(st, ids.v[i], &v[cnt], &e) < 0) {
			/* A container being created or removed right now has no
			 * files yet/anymore: not worth a warning. */
			if (e.code != E_NOT_FOUND)
				ctr_warn("skipping container", "id", ids.v[i], "error", e.msg);
			continue;
		}
		ctr_container_reconcile(st, &v[cnt]);
		if (!all && v[cnt].state.status != CTR_STATUS_RUNNING &&
		    v[cnt].state.status != CTR_STATUS_PAUSED) {
			ctr_container_free(&v[cnt]);
			continue;
		}
		cnt++;
	}
	strv_release(&ids);
	qsort(v, cnt, sizeof *v, cmp_created_desc);
	*out = v;
	*n = cnt;
	return 0;
}

void ctr_container_list_free(struct ctr_container *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		ctr_container_free(&v[i]);
	free(v);
}

/* ---- reconciliation ----------------------------------------------------- */

uint64_t ctr_pid_starttime(pid_t pid)
{
	char path[64], buf[1024];
	FILE *f;
	size_t n;
	char *p;
	unsigned long long start = 0;

	if (pid <= 0)
		return 0;
	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return 0;
	n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	/* comm may contain spaces and ')': parse after the last ')'. */
	p = strrchr(buf, ')');
	if (!p)
		return 0;
	p++;
	/* fields 3.. follow; starttime is field 22 -> the 20th after ')' */
	for (int field = 3; field < 22 && p; field++) {
		p = strchr(p + 1, ' ');
	}
	if (!p || sscanf(p, " %llu", &start) != 1)
		return 0;
	return start;
}

bool ctr_pid_alive(pid_t pid, uint64_t start)
{
	char path[64], st;
	FILE *f;
	char buf[512];
	char *p;

	if (pid <= 0)
		return false;
	if (kill(pid, 0) < 0 && errno == ESRCH)
		return false;
	/* A zombie is not alive. */
	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return false;
	if (!fgets(buf, sizeof buf, f)) {
		fclose(f);
		return false;
	}
	fclose(f);
	p = strrchr(buf, ')');
	if (!p || sscanf(p + 1, " %c", &st) != 1 || st == 'Z' || st == 'X')
		return false;
	if (start && ctr_pid_starttime(pid) != start)
		return false;
	return true;
}

void ctr_container_reconcile(const struct ctr_store *st, struct ctr_container *c)
{
	struct ctr_err e;
	int lock;

	if (c->state.status != CTR_STATUS_RUNNING && c->state.status != CTR_STATUS_PAUSED)
		return;
	/* Init gone, monitor still recording the exit: wait for the record,
	 * so a dying container is never taken for a running one. */
	if (ctr_pid_alive(c->state.monitor_pid, c->state.monitor_start) &&
	    runtime_wait_exiting(c, 10000) && c->state.status != CTR_STATUS_RUNNING &&
	    c->state.status != CTR_STATUS_PAUSED)
		return;
	if (ctr_pid_alive(c->state.monitor_pid, c->state.monitor_start)) {
		c->state.status = runtime_cgroup_frozen(c) ? CTR_STATUS_PAUSED : CTR_STATUS_RUNNING;
		return;
	}
	/* The monitor is gone.  If the init still runs (monitor killed),
	 * it is still running: nobody can collect its status though. */
	if (ctr_pid_alive(c->state.pid, 0) && runtime_pid_in_container(c, c->state.pid))
		return;
	ctr_err_clear(&e);
	lock = ctr_store_lock(st, CTR_KIND_CONTAINER, c->id, &e);
	if (lock < 0) {
		ctr_debug("reconcile: cannot lock", "id", c->id, "error", e.msg);
		return;
	}
	/* Re-read under the lock: the monitor may have just written the truth. */
	if (ctr_container_reload_state(c, &e) == 0 &&
	    (c->state.status == CTR_STATUS_RUNNING || c->state.status == CTR_STATUS_PAUSED) &&
	    !ctr_pid_alive(c->state.monitor_pid, c->state.monitor_start)) {
		c->state.status = CTR_STATUS_EXITED;
		c->state.exit_code = 255;
		c->state.pid = 0;
		c->state.monitor_pid = 0;
		c->state.finished_at = ctr_now_ns();
		free(c->state.error);
		c->state.error =
		    xstrdup("container monitor exited unexpectedly; exit status unknown");
		if (ctr_container_save_state(c, &e) < 0)
			ctr_warn("reconcile: cannot save state", "id", c->id, "error", e.msg);
		else
			ctr_info("container monitor vanished, marked exited", "id", c->id);
	}
	ctr_unlock(lock);
}

/* ---- records as stored (for image and volume users) ---------------------- */

static void record_fill(struct ctr_container_record *r, const char *id, cJSON *cfg)
{
	const cJSON *m = ctr_json_arr(cfg, "Mounts");

	memset(r, 0, sizeof *r);
	snprintf(r->id, sizeof r->id, "%s", id);
	r->config = cfg;
	r->image_id = ctr_json_str(cfg, "ImageID");
	r->image = ctr_json_str(cfg, "Image");
	r->mounts = m ? m : ctr_json_arr(ctr_json_obj(cfg, "HostConfig"), "Mounts");
}

int ctr_container_record_load(const struct ctr_store *st, const char *id,
                              struct ctr_container_record *out, struct ctr_err *err)
{
	cleanup_free char *p = ctr_store_obj_path(st, CTR_KIND_CONTAINER, id, "config.json");
	cJSON *cfg = NULL;

	memset(out, 0, sizeof *out);
	if (ctr_json_load(p, &cfg, err) < 0)
		return -1;
	record_fill(out, id, cfg);
	return 0;
}

void ctr_container_record_release(struct ctr_container_record *r)
{
	cJSON_Delete(r->config);
	memset(r, 0, sizeof *r);
}

struct records_ctx {
	ctr_container_record_fn fn;
	void *ud;
};

static int records_cb(const char *id, cJSON *cfg, void *ud)
{
	struct records_ctx *c = ud;
	struct ctr_container_record r;

	record_fill(&r, id, cfg); /* cfg stays owned by ctr_store_foreach */
	return c->fn(&r, c->ud);
}

int ctr_container_records_each(const struct ctr_store *st, ctr_container_record_fn fn, void *ud,
                               struct ctr_err *err)
{
	struct records_ctx c = {.fn = fn, .ud = ud};

	return ctr_store_foreach(st, CTR_KIND_CONTAINER, "config.json", records_cb, &c, err);
}

bool ctr_container_record_active(const struct ctr_store *st, const char *id)
{
	cleanup_free char *p = ctr_store_obj_path(st, CTR_KIND_CONTAINER, id, "state.json");
	cJSON *s = NULL;
	struct ctr_err e;
	const char *status;
	bool up;

	ctr_err_clear(&e);
	if (ctr_json_load(p, &s, &e) < 0)
		return false;
	status = ctr_json_str_or(s, "Status", "");
	up = !strcmp(status, "running") || !strcmp(status, "paused") ||
	     !strcmp(status, "restarting");
	cJSON_Delete(s);
	return up;
}
