/*
 * create.c - validating a container config and creating it in the store;
 * Docker-style generated names.
 *
 * Everything a user can get wrong is checked here, before anything runs,
 * so `create`/`run` fail with one clear line (exit 125) instead of an
 * init dying half-way.
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "containr/cgroup.h"
#include "containr/log.h"
#include "containr/network.h"
#include "containr/volume.h"
#include "runtime/internal.h"

/* ---- names --------------------------------------------------------------- */

static const char *const adjectives[] = {
    "agile",   "bold",   "brave",  "bright",  "calm",   "clever", "cool",   "crisp",
    "curious", "daring", "eager",  "fair",    "fancy",  "gentle", "happy",  "honest",
    "humble",  "jolly",  "keen",   "kind",    "lively", "lucid",  "merry",  "modest",
    "neat",    "nimble", "noble",  "patient", "plucky", "polite", "proud",  "quick",
    "quiet",   "rapid",  "serene", "sharp",   "shy",    "smart",  "steady", "sunny",
    "swift",   "tender", "tidy",   "vivid",   "warm",   "wise",   "witty",  "zesty",
};
/* Computing and systems pioneers. */
static const char *const people[] = {
    "allen",     "babbage", "backus",   "bell",     "cerf",       "corbato",   "dijkstra",
    "engelbart", "hamming", "hopper",   "kahn",     "kay",        "kernighan", "knuth",
    "lamport",   "liskov",  "lovelace", "mccarthy", "mcilroy",    "minsky",    "naur",
    "neumann",   "perlman", "ritchie",  "shannon",  "sutherland", "tanenbaum", "thompson",
    "torvalds",  "turing",  "wirth",    "wozniak",
};

char *ctr_name_generate(const struct ctr_store *st)
{
	for (int attempt = 0; attempt < 64; attempt++) {
		unsigned int r[2] = {0, 0};
		if (getrandom(r, sizeof r, 0) != (ssize_t)sizeof r)
			r[0] = (unsigned)rand(), r[1] = (unsigned)rand();
		char *name =
		    attempt < 32
		        ? xasprintf("%s_%s", adjectives[r[0] % CTR_ARRAY_SIZE(adjectives)],
		                    people[r[1] % CTR_ARRAY_SIZE(people)])
		        : xasprintf("%s_%s%u", adjectives[r[0] % CTR_ARRAY_SIZE(adjectives)],
		                    people[r[1] % CTR_ARRAY_SIZE(people)], r[0] % 10);
		char id[65];
		if (ctr_store_resolve(st, CTR_KIND_CONTAINER, name, id, NULL) < 0)
			return name;
		free(name);
	}
	return NULL;
}

/* ---- validation ------------------------------------------------------------ */

static bool lsm_enabled(const char *which)
{
	if (strcmp(which, "apparmor") == 0)
		return access("/sys/kernel/security/apparmor", F_OK) == 0;
	/* SELinux: selinuxfs mounted and enforcing/permissive. */
	return access("/sys/fs/selinux/enforce", F_OK) == 0;
}

/* Apply --security-opt values (kept verbatim in cfg->security_opt). */
static int parse_security_opts(struct ctr_container_config *cfg, struct ctr_err *err)
{
	for (size_t i = 0; i < cfg->security_opt.n; i++) {
		const char *o = cfg->security_opt.v[i];
		size_t kl = strcspn(o, "=:");
		const char *val = o[kl] ? o + kl + 1 : NULL;

		if (strncmp(o, "no-new-privileges", kl) == 0 && kl == 17) {
			cfg->no_new_privs = !val || strcmp(val, "true") == 0;
			if (val && strcmp(val, "true") != 0 && strcmp(val, "false") != 0)
				return ctr_fail(err, E_INVALID_ARG,
				                "invalid --security-opt %s: expected true or false",
				                o);
		} else if (kl == 7 && strncmp(o, "seccomp", 7) == 0 && val && *val) {
			free(cfg->seccomp);
			cfg->seccomp = xstrdup(val);
		} else if ((kl == 8 && strncmp(o, "apparmor", 8) == 0) ||
		           (kl == 5 && strncmp(o, "label", 5) == 0)) {
			bool aa = o[0] == 'a';
			if (val && (strcmp(val, "unconfined") == 0 || strcmp(val, "disable") == 0))
				continue; /* asking for no confinement is always satisfiable */
			if (!lsm_enabled(aa ? "apparmor" : "selinux")) {
				ctr_fail(err, E_UNSUPPORTED,
				         "--security-opt %s: %s is not enabled on this host", o,
				         aa ? "AppArmor" : "SELinux");
				return ctr_hint(err,
				                "drop the option, or run on a host with %s enabled",
				                aa ? "AppArmor (/sys/kernel/security/apparmor)"
				                   : "SELinux (selinuxfs)");
			}
			ctr_fail(err, E_UNSUPPORTED,
			         "--security-opt %s: %s profiles are not supported by containr", o,
			         aa ? "AppArmor" : "SELinux");
			return ctr_hint(err,
			                "use seccomp and capabilities to confine the container");
		} else {
			ctr_fail(err, E_INVALID_ARG, "invalid --security-opt: %s", o);
			return ctr_hint(err, "known: no-new-privileges, "
			                     "seccomp=unconfined|PROFILE.json, apparmor=, label=");
		}
	}
	return 0;
}

/* --network, --ip, -p, --expose: checked now so a bad one leaves nothing. */
static int validate_network(const struct ctr_store *st, struct ctr_container_config *cfg,
                            struct ctr_err *err)
{
	const char *net = runtime_net_name(cfg);
	struct ctr_port_map *ports = NULL;
	size_t nports = 0;
	int rc;

	if (cfg->network && str_startswith(cfg->network, "container:")) {
		ctr_fail(err, E_UNSUPPORTED, "network mode %s is not supported yet", cfg->network);
		return ctr_hint(err, "use --network bridge, none, host or a network name");
	}
	for (size_t i = 0; i < cfg->expose.n; i++) {
		const char *e = cfg->expose.v[i];
		if (strchr(e, ':') || ctr_publish_parse(e, &ports, &nports, err) < 0) {
			free(ports);
			ctr_fail(err, E_INVALID_ARG, "invalid --expose \"%s\"", e);
			return ctr_hint(err, "give PORT[/tcp|udp] or a range START-END[/PROTO]");
		}
	}
	free(ports);
	ports = NULL;
	nports = 0;
	rc = runtime_net_ports(cfg, &ports, &nports, err);
	free(ports);
	if (rc < 0)
		return -1;
	if (!net) {
		if (nports || cfg->publish.n) {
			/* Docker ignores -p with --network host|none (with a warning). */
			ctr_warn(
			    "published ports are discarded when using host or none network mode");
		}
		if (cfg->ip) {
			ctr_fail(err, E_INVALID_ARG, "--ip needs a network (not --network %s)",
			         cfg->network ? cfg->network : "none");
			return ctr_hint(err, "use --network NAME --ip ADDR");
		}
		return 0;
	}
	if (cfg->ip && !strcmp(net, CTR_NET_DEFAULT)) {
		ctr_fail(err, E_INVALID_ARG,
		         "user specified IP address is supported on user defined networks only");
		return ctr_hint(err, "create one: containr network create --subnet CIDR NAME");
	}
	struct ctr_network n;
	if (ctr_network_get(st, net, &n, err) < 0)
		return -1;
	if (cfg->ip) {
		uint32_t ip;
		char sub[20];
		ctr_cidr_str(&n.subnet, sub);
		if (ctr_ip_parse(cfg->ip, &ip) < 0 || !ctr_cidr_contains(&n.subnet, ip) ||
		    ip == n.gateway) {
			ctr_fail(err, E_INVALID_ARG,
			         "invalid --ip %s: not a host address of %s (%s)", cfg->ip, n.name,
			         sub);
			ctr_network_release(&n);
			return ctr_hint(err, "give an address inside %s other than its gateway",
			                sub);
		}
	}
	/* Store the network by name (as Docker's NetworkMode). */
	free(cfg->network);
	cfg->network = xstrdup(n.name);
	ctr_network_release(&n);
	return 0;
}

/*
 * The default network: `bridge` as Docker; rootless, `none` until pasta or
 * slirp4netns plug in (issue #11, docs/NETWORK.md): an unprivileged user
 * cannot make bridges, veths or nftables rules.
 */
static void default_network(struct ctr_container_config *cfg)
{
	if (!cfg->network)
		cfg->network = xstrdup(runtime_rootless() ? "none" : CTR_NET_DEFAULT);
}

static int validate(const struct ctr_store *st, struct ctr_container_config *cfg,
                    cJSON **image_volumes, struct ctr_err *err)
{
	uint64_t caps;

	if (cfg->name && !ctr_name_valid(cfg->name))
		return ctr_name_invalid_error(err, CTR_KIND_CONTAINER, cfg->name);
	if (!cfg->rootfs && !cfg->image) {
		ctr_fail(err, E_USAGE, "no image or --rootfs given");
		return ctr_hint(err, "usage: containr run [OPTIONS] IMAGE [COMMAND] [ARG...]");
	}
	if (cfg->rootfs) {
		char real[PATH_MAX];
		struct stat sb;
		if (!realpath(cfg->rootfs, real) || stat(real, &sb) < 0 || !S_ISDIR(sb.st_mode)) {
			ctr_fail(err, E_NOT_FOUND, "--rootfs %s: not an existing directory",
			         cfg->rootfs);
			return ctr_hint(err, "give the path of an unpacked root filesystem");
		}
		if (strcmp(real, "/") == 0)
			return ctr_fail(err, E_INVALID_ARG, "--rootfs cannot be the host's /");
		free(cfg->rootfs);
		cfg->rootfs = xstrdup(real);
	}
	if (!cfg->rootfs && runtime_image_apply(st, cfg, image_volumes, err) < 0)
		return -1;
	if (cfg->entrypoint.n + cfg->cmd.n == 0) {
		ctr_fail(err, E_INVALID_ARG, "no command specified");
		return ctr_hint(err, "give a command after the image (or --rootfs DIR): containr "
		                     "run --rootfs DIR /bin/sh");
	}
	if (cfg->workdir && cfg->workdir[0] != '/')
		return ctr_fail(
		    err, E_INVALID_ARG,
		    "the working directory '%s' is invalid: it needs to be an absolute path",
		    cfg->workdir);
	if (cfg->hostname && (strlen(cfg->hostname) > 64 || !*cfg->hostname))
		return ctr_fail(err, E_INVALID_ARG, "invalid hostname %s: 1 to 64 characters",
		                cfg->hostname);
	if (ctr_cgroup_limits_check(&cfg->limits, err) < 0 ||
	    ctr_cgroup_parent_check(cfg->cgroup_parent, err) < 0)
		return -1;
	default_network(cfg);
	if (validate_network(st, cfg, err) < 0)
		return -1;
	if (cfg->stop_signal && ctr_signal_parse(cfg->stop_signal) < 0)
		return ctr_fail(err, E_INVALID_ARG, "invalid stop signal: %s", cfg->stop_signal);
	for (size_t i = 0; i < cfg->ulimits.n; i++) {
		int res;
		uint64_t s, h;
		if (runtime_ulimit_parse(cfg->ulimits.v[i], &res, &s, &h, err) < 0)
			return -1;
	}
	for (size_t i = 0; i < cfg->env.n; i++)
		if (!cfg->env.v[i][0] || cfg->env.v[i][0] == '=')
			return ctr_fail(err, E_INVALID_ARG, "invalid environment variable: %s",
			                cfg->env.v[i]);
	if (parse_security_opts(cfg, err) < 0 || runtime_userns_validate(cfg, err) < 0)
		return -1;
	if (runtime_caps_compute(cfg, &caps, err) < 0)
		return ctr_hint(err,
		                "capability names look like NET_ADMIN or CAP_NET_ADMIN, or ALL");
	if (cfg->seccomp && strcmp(cfg->seccomp, "unconfined") != 0 &&
	    runtime_seccomp_check_file(cfg->seccomp, err) < 0)
		return -1;
	return 0;
}

/*
 * -v/--mount/--tmpfs/--volumes-from plus the image's VOLUMEs (anonymous
 * volumes, as Docker) become cfg->mounts; named and anonymous volumes are
 * created here.  A config whose `mounts` the caller already filled is kept.
 */
static int make_mounts(const struct ctr_store *st, struct ctr_container_config *cfg,
                       const cJSON *image_volumes, struct ctr_mount_list *list, struct ctr_err *err)
{
	if (cJSON_GetArraySize(cfg->mounts) > 0)
		return 0;
	if (ctr_mounts_parse(st, &cfg->volume_specs, &cfg->mount_specs, &cfg->tmpfs_specs,
	                     &cfg->volumes_from, list, err) < 0)
		return -1;
	if (image_volumes && ctr_mounts_add_image_volumes(list, image_volumes, err) < 0)
		return -1;
	if (ctr_mounts_prepare(st, list, err) < 0)
		return -1;
	cJSON_Delete(cfg->mounts);
	cfg->mounts = ctr_mounts_to_json(list);
	return 0;
}

int ctr_container_create(const struct ctr_store *st, struct ctr_container_config *cfg,
                         char id_out[65], struct ctr_err *err)
{
	struct ctr_container c;
	struct ctr_mount_list mounts = {0};
	cJSON *image_volumes = NULL;
	bool reserved = false, made = false;
	int r;

	memset(&c, 0, sizeof c);
	r = validate(st, cfg, &image_volumes, err);
	if (r == 0)
		r = make_mounts(st, cfg, image_volumes, &mounts, err);
	if (r == 0)
		r = runtime_userns_check_mounts(cfg, err);
	cJSON_Delete(image_volumes);
	if (r < 0)
		goto fail;
	default_network(cfg);
	if (!cfg->stop_signal)
		cfg->stop_signal = xstrdup("SIGTERM");
	cfg->created = ctr_now_ns();
	if (ctr_store_new_id(st, CTR_KIND_CONTAINER, c.id, err) < 0)
		goto fail;
	if (!cfg->name) {
		cfg->name = ctr_name_generate(st);
		if (!cfg->name) {
			ctr_fail(err, E_INTERNAL, "cannot generate a container name");
			goto fail;
		}
	}
	if (ctr_store_obj_create(st, CTR_KIND_CONTAINER, c.id, err) < 0)
		goto fail;
	made = true;
	c.dir = ctr_store_obj_path(st, CTR_KIND_CONTAINER, c.id, NULL);
	if (ctr_store_name_reserve(st, CTR_KIND_CONTAINER, cfg->name, c.id, err) < 0) {
		if (err->code == E_CONFLICT)
			ctr_hint(err,
			         "remove that container (containr rm %s) or choose another --name",
			         cfg->name);
		goto fail;
	}
	reserved = true;
	if (runtime_userns_prepare(st, cfg, c.id, err) < 0)
		goto fail;
	if (cfg->seccomp && strcmp(cfg->seccomp, "unconfined") != 0) {
		cleanup_free char *data = NULL;
		cleanup_free char *dst = ctr_path_join(c.dir, "seccomp.json");
		size_t len;
		if (ctr_read_file(cfg->seccomp, &data, &len, err) < 0 ||
		    ctr_write_file_atomic(dst, data, len, 0600, err) < 0)
			goto fail;
	}
	c.cfg = *cfg; /* borrowed for saving */
	c.state.status = CTR_STATUS_CREATED;
	if (ctr_container_save_config(&c, err) < 0 || ctr_container_save_state(&c, err) < 0) {
		memset(&c.cfg, 0, sizeof c.cfg);
		goto fail;
	}
	memset(&c.cfg, 0, sizeof c.cfg);
	memcpy(id_out, c.id, 65);
	ctr_explain("create", "config.json + state.json written", "%s (%s)", c.id, cfg->name);
	ctr_mount_list_free(&mounts);
	free(c.dir);
	return 0;
fail:
	/* Roll back: nothing of a failed create stays (name, directory, the
	 * anonymous volumes it made, the userns range; named volumes stay, as
	 * with Docker). */
	runtime_userns_release(st, c.id);
	{
		struct ctr_err e2;
		ctr_err_clear(&e2);
		if (reserved)
			ctr_store_name_release(st, CTR_KIND_CONTAINER, cfg->name, c.id);
		if (made)
			ctr_store_obj_remove(st, CTR_KIND_CONTAINER, c.id, &e2);
		ctr_err_clear(&e2);
		ctr_mounts_remove_anonymous(st, &mounts, &e2);
	}
	ctr_mount_list_free(&mounts);
	free(c.dir);
	return -1;
}
