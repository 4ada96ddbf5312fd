/*
 * inspect.c - the Docker-shaped `inspect` object of a container.
 *
 * Same field names and nesting as `docker inspect` (Id, Created, Path,
 * Args, State{...}, Image, Name "/name", HostConfig{...}, Config{...},
 * Mounts), so scripts and templates written for Docker keep working.
 */
#include <stdlib.h>
#include <string.h>

#include "containr/volume.h"
#include "runtime/internal.h"

static void put_time(cJSON *o, const char *k, int64_t ns)
{
	char buf[64];
	ctr_format_rfc3339(buf, sizeof buf, ns);
	cJSON_AddStringToObject(o, k, buf);
}

static cJSON *strv_json(const struct strv *sv, bool null_if_empty)
{
	cJSON *a;
	if (null_if_empty && sv->n == 0)
		return cJSON_CreateNull();
	a = cJSON_CreateArray();
	for (size_t i = 0; i < sv->n; i++)
		cJSON_AddItemToArray(a, cJSON_CreateString(sv->v[i]));
	return a;
}

static void put_opt_str(cJSON *o, const char *k, const char *v)
{
	cJSON_AddStringToObject(o, k, v ? v : "");
}

/* Docker's Mounts[] (volume module); the store root is c->dir minus "/containers/<id>". */
static cJSON *mounts_json(const struct ctr_container *c)
{
	struct ctr_mount_list list;
	struct ctr_err e;
	cleanup_free char *root = xstrdup(c->dir ? c->dir : "");
	struct ctr_store st = {.root = root};
	cJSON *j;

	for (int i = 0; i < 2; i++) {
		char *slash = strrchr(root, '/');
		if (slash)
			*slash = '\0';
	}
	if (ctr_mounts_from_json(c->cfg.mounts, &list, &e) < 0)
		j = cJSON_Duplicate(c->cfg.mounts, true);
	else
		j = ctr_mounts_inspect_json(&st, &list);
	ctr_mount_list_free(&list);
	return j;
}

cJSON *ctr_container_inspect_json(const struct ctr_container *c)
{
	const struct ctr_container_config *cfg = &c->cfg;
	const struct ctr_container_state *s = &c->state;
	cJSON *o = cJSON_CreateObject(), *st, *hc, *cf, *args, *ul;
	struct strv argv;
	char hostname[65];

	cJSON_AddStringToObject(o, "Id", c->id);
	put_time(o, "Created", cfg->created);
	ctr_container_argv(cfg, &argv);
	cJSON_AddStringToObject(o, "Path", argv.n ? argv.v[0] : "");
	args = cJSON_AddArrayToObject(o, "Args");
	for (size_t i = 1; i < argv.n; i++)
		cJSON_AddItemToArray(args, cJSON_CreateString(argv.v[i]));
	strv_release(&argv);

	st = cJSON_AddObjectToObject(o, "State");
	cJSON_AddStringToObject(st, "Status", ctr_status_name(s->status));
	cJSON_AddBoolToObject(st, "Running",
	                      s->status == CTR_STATUS_RUNNING || s->status == CTR_STATUS_PAUSED);
	cJSON_AddBoolToObject(st, "Paused", s->status == CTR_STATUS_PAUSED);
	cJSON_AddBoolToObject(st, "Restarting", false);
	cJSON_AddBoolToObject(st, "OOMKilled", s->oom_killed);
	cJSON_AddBoolToObject(st, "Dead", s->status == CTR_STATUS_DEAD);
	cJSON_AddNumberToObject(st, "Pid", s->pid);
	cJSON_AddNumberToObject(st, "ExitCode", s->exit_code);
	put_opt_str(st, "Error", s->error);
	put_time(st, "StartedAt", s->started_at);
	put_time(st, "FinishedAt", s->finished_at);
	cJSON_AddNumberToObject(st, "MonitorPid", s->monitor_pid);
	put_opt_str(st, "CgroupPath", s->cgroup_path);

	put_opt_str(o, "Image", cfg->image_id ? cfg->image_id : "");
	put_opt_str(o, "Rootfs", cfg->rootfs);
	{
		static const struct {
			const char *key, *file;
		} etc[] = {{"ResolvConfPath", "resolv.conf"},
		           {"HostnamePath", "hostname"},
		           {"HostsPath", "hosts"}};
		for (size_t i = 0; i < CTR_ARRAY_SIZE(etc); i++) {
			char *p = runtime_etc_path(c, etc[i].file);
			cJSON_AddStringToObject(o, etc[i].key, p);
			free(p);
		}
	}
	put_opt_str(o, "LogPath", NULL);
	{
		char *lp = ctr_path_join(c->dir, "ctr.log");
		cJSON_ReplaceItemInObject(o, "LogPath", cJSON_CreateString(lp));
		free(lp);
	}
	{
		char *n = xasprintf("/%s", cfg->name ? cfg->name : "");
		cJSON_AddStringToObject(o, "Name", n);
		free(n);
	}
	cJSON_AddNumberToObject(o, "RestartCount", 0);
	cJSON_AddStringToObject(o, "Driver", cfg->rootfs ? "rootfs" : "overlay");

	hc = cJSON_AddObjectToObject(o, "HostConfig");
	cJSON_AddStringToObject(hc, "NetworkMode", cfg->network ? cfg->network : "none");
	cJSON_AddBoolToObject(hc, "AutoRemove", cfg->auto_remove);
	cJSON_AddItemToObject(hc, "CapAdd", strv_json(&cfg->cap_add, true));
	cJSON_AddItemToObject(hc, "CapDrop", strv_json(&cfg->cap_drop, true));
	cJSON_AddBoolToObject(hc, "Privileged", cfg->privileged);
	cJSON_AddBoolToObject(hc, "ReadonlyRootfs", cfg->read_only);
	cJSON_AddItemToObject(hc, "SecurityOpt", strv_json(&cfg->security_opt, true));
	cJSON_AddStringToObject(hc, "CgroupParent", cfg->cgroup_parent ? cfg->cgroup_parent : "");
	cJSON_AddBoolToObject(hc, "Init", cfg->init);
	cJSON_AddNumberToObject(hc, "Memory", (double)cfg->limits.memory);
	cJSON_AddNumberToObject(hc, "MemorySwap", (double)cfg->limits.memory_swap);
	cJSON_AddNumberToObject(hc, "NanoCpus", cfg->limits.cpus * 1e9);
	cJSON_AddNumberToObject(hc, "CpuShares", (double)cfg->limits.cpu_shares);
	if (cfg->limits.pids_limit)
		cJSON_AddNumberToObject(hc, "PidsLimit", (double)cfg->limits.pids_limit);
	else
		cJSON_AddNullToObject(hc, "PidsLimit");
	ul = cJSON_AddArrayToObject(hc, "Ulimits");
	for (size_t i = 0; i < cfg->ulimits.n; i++) {
		int res;
		uint64_t soft, hard;
		if (runtime_ulimit_parse(cfg->ulimits.v[i], &res, &soft, &hard, NULL) < 0)
			continue;
		cJSON *u = cJSON_CreateObject();
		char *name = xstrndup(cfg->ulimits.v[i], strcspn(cfg->ulimits.v[i], "="));
		cJSON_AddStringToObject(u, "Name", name);
		cJSON_AddNumberToObject(u, "Soft", (double)soft);
		cJSON_AddNumberToObject(u, "Hard", (double)hard);
		cJSON_AddItemToArray(ul, u);
		free(name);
	}

	cf = cJSON_AddObjectToObject(o, "Config");
	runtime_hostname(c, hostname);
	cJSON_AddStringToObject(cf, "Hostname", hostname);
	put_opt_str(cf, "User", cfg->user);
	cJSON_AddBoolToObject(cf, "Tty", cfg->tty);
	cJSON_AddBoolToObject(cf, "OpenStdin", cfg->interactive);
	cJSON_AddItemToObject(cf, "Env", strv_json(&cfg->env, false));
	cJSON_AddItemToObject(cf, "Cmd", strv_json(&cfg->cmd, true));
	cJSON_AddItemToObject(cf, "Entrypoint", strv_json(&cfg->entrypoint, true));
	cJSON_AddStringToObject(cf, "Image", cfg->image ? cfg->image : "");
	put_opt_str(cf, "WorkingDir", cfg->workdir);
	cJSON_AddItemToObject(cf, "Labels", cJSON_Duplicate(cfg->labels, true));
	cJSON_AddStringToObject(cf, "StopSignal", cfg->stop_signal ? cfg->stop_signal : "SIGTERM");
	if (cfg->stop_timeout >= 0)
		cJSON_AddNumberToObject(cf, "StopTimeout", cfg->stop_timeout);

	cJSON_AddItemToObject(o, "Mounts", mounts_json(c));
	return o;
}
