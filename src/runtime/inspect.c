/*
 * inspect.c - the Docker-shaped `inspect` object of a container.
 *
 * Every key of Docker's ContainerJSON (API 1.45: Id, Created, Path, Args,
 * State, Image, …, HostConfig, GraphDriver, Mounts, Config,
 * NetworkSettings) in Docker's order, so scripts and templates written for
 * Docker keep working.  A value containr has comes from the container's
 * config and state; a setting containr does not have is Docker's zero
 * value for it.  docs/INSPECT.md lists each key and where it comes from;
 * keys Docker omits when empty (`omitempty`) are omitted here too.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "containr/cgroup.h"
#include "containr/image.h"
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

static cJSON *list_json(const char *const *v)
{
	cJSON *a = cJSON_CreateArray();
	for (size_t i = 0; v[i]; i++)
		cJSON_AddItemToArray(a, cJSON_CreateString(v[i]));
	return a;
}

static void put_opt_str(cJSON *o, const char *k, const char *v)
{
	cJSON_AddStringToObject(o, k, v ? v : "");
}

/* Add "k": 0 for each name of a NULL-terminated list. */
static void put_zeros(cJSON *o, const char *const *keys)
{
	for (size_t i = 0; keys[i]; i++)
		cJSON_AddNumberToObject(o, keys[i], 0);
}

/* The store root is c->dir minus "/containers/<id>". */
static char *store_root(const struct ctr_container *c)
{
	char *root = xstrdup(c->dir ? c->dir : "");

	for (int i = 0; i < 2; i++) {
		char *slash = strrchr(root, '/');
		if (slash)
			*slash = '\0';
	}
	return root;
}

/* Docker's Mounts[] (volume module). */
static cJSON *mounts_json(const struct ctr_container *c, const struct ctr_mount_list *list,
                          bool parsed)
{
	cleanup_free char *root = store_root(c);
	struct ctr_store st = {.root = root};

	if (!parsed)
		return cJSON_Duplicate(c->cfg.mounts, true);
	return ctr_mounts_inspect_json(&st, list);
}

/*
 * HostConfig.Binds ("SRC:DST[:MODE]" of -v binds and named volumes),
 * HostConfig.Tmpfs ({DST: options}) and Config.Volumes ({DST: {}} of the
 * anonymous volumes) from the stored mounts.
 */
static void mount_keys(const struct ctr_mount_list *list, cJSON **binds, cJSON **tmpfs,
                       cJSON **volumes)
{
	*binds = *tmpfs = *volumes = NULL;
	for (size_t i = 0; i < list->n; i++) {
		const struct ctr_mount *m = &list->v[i];
		if (m->type == CTR_MOUNT_TMPFS) {
			if (!*tmpfs)
				*tmpfs = cJSON_CreateObject();
			cJSON_AddStringToObject(*tmpfs, m->destination,
			                        m->options ? m->options : "");
		} else if (m->anonymous) {
			if (!*volumes)
				*volumes = cJSON_CreateObject();
			cJSON_AddObjectToObject(*volumes, m->destination);
		} else {
			char *b =
			    xasprintf("%s:%s%s%s", m->source ? m->source : "", m->destination,
			              m->mode && m->mode[0] ? ":" : "", m->mode ? m->mode : "");
			if (!*binds)
				*binds = cJSON_CreateArray();
			cJSON_AddItemToArray(*binds, cJSON_CreateString(b));
			free(b);
		}
	}
	if (!*binds)
		*binds = cJSON_CreateNull();
	if (!*volumes)
		*volumes = cJSON_CreateNull();
}

static void put_state(cJSON *o, const struct ctr_container_state *s)
{
	cJSON *st = cJSON_AddObjectToObject(o, "State");

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
	/* Health: no healthchecks yet, so absent as Docker omits it. containr's own: */
	cJSON_AddNumberToObject(st, "MonitorPid", s->monitor_pid);
	put_opt_str(st, "CgroupPath", s->cgroup_path);
}

static cJSON *ulimits_json(const struct strv *ulimits)
{
	cJSON *ul;

	if (ulimits->n == 0)
		return cJSON_CreateNull();
	ul = cJSON_CreateArray();
	for (size_t i = 0; i < ulimits->n; i++) {
		int res;
		uint64_t soft, hard;
		if (runtime_ulimit_parse(ulimits->v[i], &res, &soft, &hard, NULL) < 0)
			continue;
		cJSON *u = cJSON_CreateObject();
		char *name = xstrndup(ulimits->v[i], strcspn(ulimits->v[i], "="));
		cJSON_AddStringToObject(u, "Name", name);
		cJSON_AddNumberToObject(u, "Hard", (double)hard);
		cJSON_AddNumberToObject(u, "Soft", (double)soft);
		cJSON_AddItemToArray(ul, u);
		free(name);
	}
	return ul;
}

static void put_host_config(cJSON *o, const struct ctr_container_config *cfg, cJSON *binds,
                            cJSON *tmpfs)
{
	static const char *const zeros1[] = {"BlkioWeight", NULL};
	static const char *const blkio_lists[] = {"BlkioWeightDevice",    "BlkioDeviceReadBps",
	                                          "BlkioDeviceWriteBps",  "BlkioDeviceReadIOps",
	                                          "BlkioDeviceWriteIOps", NULL};
	static const char *const zeros2[] = {"CpuPeriod", "CpuQuota", "CpuRealtimePeriod",
	                                     "CpuRealtimeRuntime", NULL};
	static const char *const zeros3[] = {"CpuCount", "CpuPercent", "IOMaximumIOps",
	                                     "IOMaximumBandwidth", NULL};
	cJSON *hc = cJSON_AddObjectToObject(o, "HostConfig"), *lc, *rp, *cs;

	cJSON_AddItemToObject(hc, "Binds", binds);
	cJSON_AddStringToObject(hc, "ContainerIDFile", "");
	lc = cJSON_AddObjectToObject(hc, "LogConfig");
	cJSON_AddStringToObject(lc, "Type", cfg->log_driver ? cfg->log_driver : "json-file");
	{
		/* The options as given (--log-opt, containr.conf), strings as Docker. */
		cJSON *lo = cJSON_AddObjectToObject(lc, "Config");
		for (size_t i = 0; i < cfg->log_opts.n; i++) {
			const char *o = cfg->log_opts.v[i], *eq = strchr(o, '=');
			if (!eq)
				continue;
			char *k = xstrndup(o, (size_t)(eq - o));
			cJSON_DeleteItemFromObjectCaseSensitive(lo, k); /* the last one wins */
			cJSON_AddStringToObject(lo, k, eq + 1);
			free(k);
		}
	}
	cJSON_AddStringToObject(hc, "NetworkMode", cfg->network ? cfg->network : "none");
	cJSON_AddObjectToObject(hc, "PortBindings");
	rp = cJSON_AddObjectToObject(hc, "RestartPolicy");
	cJSON_AddStringToObject(rp, "Name", "no");
	cJSON_AddNumberToObject(rp, "MaximumRetryCount", 0);
	cJSON_AddBoolToObject(hc, "AutoRemove", cfg->auto_remove);
	cJSON_AddStringToObject(hc, "VolumeDriver", "");
	cJSON_AddNullToObject(hc, "VolumesFrom");
	cs = cJSON_AddArrayToObject(hc, "ConsoleSize");
	cJSON_AddItemToArray(cs, cJSON_CreateNumber(0));
	cJSON_AddItemToArray(cs, cJSON_CreateNumber(0));
	cJSON_AddItemToObject(hc, "CapAdd", strv_json(&cfg->cap_add, true));
	cJSON_AddItemToObject(hc, "CapDrop", strv_json(&cfg->cap_drop, true));
	cJSON_AddStringToObject(hc, "CgroupnsMode", "private"); /* child.c unshares it */
	cJSON_AddArrayToObject(hc, "Dns");
	cJSON_AddArrayToObject(hc, "DnsOptions");
	cJSON_AddArrayToObject(hc, "DnsSearch");
	cJSON_AddNullToObject(hc, "ExtraHosts");
	cJSON_AddNullToObject(hc, "GroupAdd");
	cJSON_AddStringToObject(hc, "IpcMode", "private");
	cJSON_AddStringToObject(hc, "Cgroup", "");
	cJSON_AddNullToObject(hc, "Links");
	cJSON_AddNumberToObject(hc, "OomScoreAdj", 0);
	cJSON_AddStringToObject(hc, "PidMode", "");
	cJSON_AddBoolToObject(hc, "Privileged", cfg->privileged);
	cJSON_AddBoolToObject(hc, "PublishAllPorts", false);
	cJSON_AddBoolToObject(hc, "ReadonlyRootfs", cfg->read_only);
	cJSON_AddItemToObject(hc, "SecurityOpt", strv_json(&cfg->security_opt, true));
	if (tmpfs)
		cJSON_AddItemToObject(hc, "Tmpfs", tmpfs);
	cJSON_AddStringToObject(hc, "UTSMode", "");
	cJSON_AddStringToObject(hc, "UsernsMode", cfg->uidmap.n && cfg->userns ? cfg->userns : "");
	if (cfg->uidmap.n) {
		/* podman's shape: HostConfig.IDMappings {UidMap: ["0:100000:65536"], GidMap: [...]}
		 */
		cJSON *idm = cJSON_AddObjectToObject(hc, "IDMappings");
		const struct ctr_idmap *maps[2] = {&cfg->uidmap, &cfg->gidmap};
		for (int k = 0; k < 2; k++) {
			cJSON *arr = cJSON_AddArrayToObject(idm, k ? "GidMap" : "UidMap");
			for (size_t i = 0; i < maps[k]->n; i++) {
				char b[48];
				snprintf(b, sizeof b, "%u:%u:%u", maps[k]->e[i].inside,
				         maps[k]->e[i].outside, maps[k]->e[i].count);
				cJSON_AddItemToArray(arr, cJSON_CreateString(b));
			}
		}
	}
	cJSON_AddNumberToObject(hc, "ShmSize", (double)RUNTIME_SHM_SIZE);
	cJSON_AddStringToObject(hc, "Runtime", "containr");
	cJSON_AddStringToObject(hc, "Isolation", "");
	/* Resources */
	cJSON_AddNumberToObject(hc, "CpuShares", (double)cfg->limits.cpu_shares);
	cJSON_AddNumberToObject(hc, "Memory", (double)cfg->limits.memory);
	cJSON_AddNumberToObject(hc, "NanoCpus", (double)(int64_t)(cfg->limits.cpus * 1e9 + 0.5));
	cJSON_AddStringToObject(hc, "CgroupParent", cfg->cgroup_parent ? cfg->cgroup_parent : "");
	put_zeros(hc, zeros1);
	for (size_t i = 0; blkio_lists[i]; i++)
		cJSON_AddArrayToObject(hc, blkio_lists[i]);
	put_zeros(hc, zeros2);
	cJSON_AddStringToObject(hc, "CpusetCpus", "");
	cJSON_AddStringToObject(hc, "CpusetMems", "");
	cJSON_AddArrayToObject(hc, "Devices");
	cJSON_AddNullToObject(hc, "DeviceCgroupRules");
	cJSON_AddNullToObject(hc, "DeviceRequests");
	cJSON_AddNumberToObject(hc, "MemoryReservation", 0);
	cJSON_AddNumberToObject(hc, "MemorySwap", (double)cfg->limits.memory_swap);
	cJSON_AddNullToObject(hc, "MemorySwappiness");
	if (ctr_cgroup_detect() == CTR_CGROUP_V2)
		cJSON_AddNullToObject(hc, "OomKillDisable");
	else
		cJSON_AddBoolToObject(hc, "OomKillDisable", false);
	if (cfg->limits.pids_limit)
		cJSON_AddNumberToObject(hc, "PidsLimit", (double)cfg->limits.pids_limit);
	else
		cJSON_AddNullToObject(hc, "PidsLimit");
	cJSON_AddItemToObject(hc, "Ulimits", ulimits_json(&cfg->ulimits));
	put_zeros(hc, zeros3);
	if (cfg->privileged) {
		cJSON_AddNullToObject(hc, "MaskedPaths");
		cJSON_AddNullToObject(hc, "ReadonlyPaths");
	} else {
		cJSON_AddItemToObject(hc, "MaskedPaths", list_json(runtime_masked_paths));
		cJSON_AddItemToObject(hc, "ReadonlyPaths", list_json(runtime_readonly_paths));
	}
	if (cfg->init)
		cJSON_AddBoolToObject(hc, "Init", true);
}

/* The image's layer dirs (bottom-most first) into `layers`; empty if it is gone. */
static void image_layers(const struct ctr_container *c, struct strv *layers)
{
	cleanup_free char *root = store_root(c);
	struct ctr_store st = {.root = root};
	struct ctr_image img;
	struct ctr_err e;

	memset(&img, 0, sizeof img);
	if (c->cfg.image_id && ctr_image_lookup(&st, c->cfg.image_id, &img, &e) == 0)
		for (size_t i = 0; i < img.layers.n; i++)
			strv_push(layers, img.layers.v[i]);
	ctr_image_free(&img);
}

/* GraphDriver: the overlay's real directories (layers top-most first, as overlayfs). */
static void put_graph_driver(cJSON *o, const struct ctr_container *c)
{
	cJSON *gd = cJSON_AddObjectToObject(o, "GraphDriver"), *d;
	cleanup_free char *merged = ctr_path_join(c->dir, "rootfs");

	d = cJSON_AddObjectToObject(gd, "Data");
	if (c->cfg.rootfs) {
		cJSON_AddStringToObject(d, "LowerDir", "");
		cJSON_AddStringToObject(d, "MergedDir", c->cfg.rootfs);
		cJSON_AddStringToObject(d, "UpperDir", "");
		cJSON_AddStringToObject(d, "WorkDir", "");
		cJSON_AddStringToObject(gd, "Name", "rootfs");
		return;
	}
	{
		cleanup_free char *root = store_root(c);
		cleanup_free char *upper = ctr_path_join(c->dir, "upper");
		cleanup_free char *work = ctr_path_join(c->dir, "work");
		struct ctr_store st = {.root = root};
		struct ctr_image img;
		struct ctr_err e;
		struct strbuf lower;

		memset(&img, 0, sizeof img);
		strbuf_init(&lower);
		if (c->cfg.image_id && ctr_image_lookup(&st, c->cfg.image_id, &img, &e) == 0)
			for (size_t i = img.layers.n; i-- > 0;)
				strbuf_printf(&lower, "%s%s", lower.len ? ":" : "",
				              img.layers.v[i]);
		ctr_image_free(&img);
		cJSON_AddStringToObject(d, "LowerDir", lower.buf);
		cJSON_AddStringToObject(d, "MergedDir", merged);
		cJSON_AddStringToObject(d, "UpperDir", upper);
		cJSON_AddStringToObject(d, "WorkDir", work);
		strbuf_release(&lower);
	}
	cJSON_AddStringToObject(gd, "Name", "overlay2");
}

static void put_config(cJSON *o, const struct ctr_container *c, cJSON *volumes)
{
	const struct ctr_container_config *cfg = &c->cfg;
	cJSON *cf = cJSON_AddObjectToObject(o, "Config");
	char hostname[65];

	runtime_hostname(c, hostname);
	cJSON_AddStringToObject(cf, "Hostname", hostname);
	cJSON_AddStringToObject(cf, "Domainname", "");
	put_opt_str(cf, "User", cfg->user);
	/* containr does not record whether a client was attached: OpenStdin (-i) only. */
	cJSON_AddBoolToObject(cf, "AttachStdin", false);
	cJSON_AddBoolToObject(cf, "AttachStdout", false);
	cJSON_AddBoolToObject(cf, "AttachStderr", false);
	cJSON_AddBoolToObject(cf, "Tty", cfg->tty);
	cJSON_AddBoolToObject(cf, "OpenStdin", cfg->interactive);
	cJSON_AddBoolToObject(cf, "StdinOnce", false);
	cJSON_AddItemToObject(cf, "Env", strv_json(&cfg->env, false));
	cJSON_AddItemToObject(cf, "Cmd", strv_json(&cfg->cmd, true));
	cJSON_AddStringToObject(cf, "Image", cfg->image ? cfg->image : "");
	cJSON_AddItemToObject(cf, "Volumes", volumes);
	put_opt_str(cf, "WorkingDir", cfg->workdir);
	cJSON_AddItemToObject(cf, "Entrypoint", strv_json(&cfg->entrypoint, true));
	cJSON_AddNullToObject(cf, "OnBuild");
	cJSON_AddItemToObject(cf, "Labels", cJSON_Duplicate(cfg->labels, true));
	cJSON_AddStringToObject(cf, "StopSignal", cfg->stop_signal ? cfg->stop_signal : "SIGTERM");
	if (cfg->stop_timeout >= 0)
		cJSON_AddNumberToObject(cf, "StopTimeout", cfg->stop_timeout);
}

static cJSON *endpoint_json(void)
{
	static const char *const nulls[] = {"IPAMConfig", "Links", "Aliases", NULL};
	static const char *const strs[] = {"NetworkID", "EndpointID", "Gateway", "IPAddress", NULL};
	cJSON *ep = cJSON_CreateObject();

	for (size_t i = 0; nulls[i]; i++)
		cJSON_AddNullToObject(ep, nulls[i]);
	cJSON_AddStringToObject(ep, "MacAddress", "");
	cJSON_AddNullToObject(ep, "DriverOpts");
	for (size_t i = 0; strs[i]; i++)
		cJSON_AddStringToObject(ep, strs[i], "");
	cJSON_AddNumberToObject(ep, "IPPrefixLen", 0);
	cJSON_AddStringToObject(ep, "IPv6Gateway", "");
	cJSON_AddStringToObject(ep, "GlobalIPv6Address", "");
	cJSON_AddNumberToObject(ep, "GlobalIPv6PrefixLen", 0);
	cJSON_AddNullToObject(ep, "DNSNames");
	return ep;
}

/*
 * NetworkSettings: only `none` (a private net namespace with lo) and `host`
 * exist, so every address is empty as Docker shows them for those modes;
 * the sandbox is the init's net namespace while it runs.
 */
static void put_network(cJSON *o, const struct ctr_container *c)
{
	const struct ctr_container_state *s = &c->state;
	bool live =
	    s->pid > 0 && (s->status == CTR_STATUS_RUNNING || s->status == CTR_STATUS_PAUSED);
	cJSON *ns = cJSON_AddObjectToObject(o, "NetworkSettings"), *nets;
	cleanup_free char *key = live ? xasprintf("/proc/%d/ns/net", (int)s->pid) : xstrdup("");

	cJSON_AddStringToObject(ns, "Bridge", "");
	cJSON_AddStringToObject(ns, "SandboxID", live ? c->id : "");
	cJSON_AddStringToObject(ns, "SandboxKey", key);
	cJSON_AddObjectToObject(ns, "Ports");
	cJSON_AddBoolToObject(ns, "HairpinMode", false);
	cJSON_AddStringToObject(ns, "LinkLocalIPv6Address", "");
	cJSON_AddNumberToObject(ns, "LinkLocalIPv6PrefixLen", 0);
	cJSON_AddNullToObject(ns, "SecondaryIPAddresses");
	cJSON_AddNullToObject(ns, "SecondaryIPv6Addresses");
	cJSON_AddStringToObject(ns, "EndpointID", "");
	cJSON_AddStringToObject(ns, "Gateway", "");
	cJSON_AddStringToObject(ns, "GlobalIPv6Address", "");
	cJSON_AddNumberToObject(ns, "GlobalIPv6PrefixLen", 0);
	cJSON_AddStringToObject(ns, "IPAddress", "");
	cJSON_AddNumberToObject(ns, "IPPrefixLen", 0);
	cJSON_AddStringToObject(ns, "IPv6Gateway", "");
	cJSON_AddStringToObject(ns, "MacAddress", "");
	nets = cJSON_AddObjectToObject(ns, "Networks");
	cJSON_AddItemToObject(nets, runtime_host_network(&c->cfg) ? "host" : "none",
	                      endpoint_json());
	runtime_net_inspect(ns, c);
}

cJSON *ctr_container_inspect_json(const struct ctr_container *c)
{
	const struct ctr_container_config *cfg = &c->cfg;
	cJSON *o = cJSON_CreateObject(), *args, *binds, *tmpfs, *volumes;
	struct ctr_mount_list list;
	struct ctr_err e;
	struct strv argv;
	bool parsed = ctr_mounts_from_json(cfg->mounts, &list, &e) == 0;

	if (!parsed) {
		ctr_mount_list_free(&list);
		list.v = NULL;
		list.n = 0;
	}
	cJSON_AddStringToObject(o, "Id", c->id);
	put_time(o, "Created", cfg->created);
	ctr_container_argv(cfg, &argv);
	cJSON_AddStringToObject(o, "Path", argv.n ? argv.v[0] : "");
	args = cJSON_AddArrayToObject(o, "Args");
	for (size_t i = 1; i < argv.n; i++)
		cJSON_AddItemToArray(args, cJSON_CreateString(argv.v[i]));
	strv_release(&argv);
	put_state(o, &c->state);
	put_opt_str(o, "Image", cfg->image_id);
	put_opt_str(o, "Rootfs", cfg->rootfs); /* containr's --rootfs */
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
	{
		/* Docker: "" when the driver keeps no file. */
		char *lp =
		    ctr_log_driver_none(cfg) ? xstrdup("") : ctr_path_join(c->dir, "ctr.log");
		cJSON_AddStringToObject(o, "LogPath", lp);
		free(lp);
	}
	{
		char *n = xasprintf("/%s", cfg->name ? cfg->name : "");
		cJSON_AddStringToObject(o, "Name", n);
		free(n);
	}
	cJSON_AddNumberToObject(o, "RestartCount", 0);
	cJSON_AddStringToObject(o, "Driver", cfg->rootfs ? "rootfs" : "overlay2");
	cJSON_AddStringToObject(o, "Platform", "linux");
	cJSON_AddStringToObject(o, "MountLabel", "");
	cJSON_AddStringToObject(o, "ProcessLabel", "");
	cJSON_AddStringToObject(o, "AppArmorProfile", "");
	cJSON_AddNullToObject(o, "ExecIDs");
	mount_keys(&list, &binds, &tmpfs, &volumes);
	put_host_config(o, cfg, binds, tmpfs);
	put_graph_driver(o, c);
	cJSON_AddItemToObject(o, "Mounts", mounts_json(c, &list, parsed));
	put_config(o, c, volumes);
	put_network(o, c);
	ctr_mount_list_free(&list);
	return o;
}

void ctr_container_size(const struct ctr_container *c, int64_t *rw, int64_t *rootfs)
{
	struct strv layers;

	if (c->cfg.rootfs) {
		*rw = *rootfs = ctr_dir_size(c->cfg.rootfs);
		return;
	}
	{
		cleanup_free char *upper = ctr_path_join(c->dir, "upper");
		*rw = *rootfs = ctr_dir_size(upper);
	}
	strv_init(&layers);
	image_layers(c, &layers);
	for (size_t i = 0; i < layers.n; i++)
		*rootfs += ctr_dir_size(layers.v[i]);
	strv_release(&layers);
}

void ctr_container_inspect_add_size(const struct ctr_container *c, cJSON *o)
{
	cJSON *gd = cJSON_GetObjectItemCaseSensitive(o, "GraphDriver"), *rest;
	int64_t rw, rootfs;

	ctr_container_size(c, &rw, &rootfs);
	/* Docker's place: right after GraphDriver; detach what follows, add, re-attach. */
	rest = cJSON_CreateObject();
	while (gd && gd->next) {
		cJSON *it = cJSON_DetachItemViaPointer(o, gd->next);
		cJSON_AddItemToObject(rest, it->string, it);
	}
	cJSON_AddNumberToObject(o, "SizeRw", (double)rw);
	cJSON_AddNumberToObject(o, "SizeRootFs", (double)rootfs);
	while (rest->child) {
		cJSON *it = cJSON_DetachItemViaPointer(rest, rest->child);
		cJSON_AddItemToObject(o, it->string, it);
	}
	cJSON_Delete(rest);
}
