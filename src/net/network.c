/*
 * network.c - network objects, leases, attach/detach (docs/NETWORK.md).
 *
 * State under the root:
 *   networks/<id>/network.json   Name, Id, Created, Driver, Subnet, Gateway,
 *                                Bridge, Internal, Labels
 *   networks/<id>/leases.json    { "<ip>": {Container, Mac, Veth, Ports} }
 *   networks/<id>/lock           flock for read-modify-write of the above
 *   networks/.names/<name>       symlink -> <id> (the store's name reservation)
 *   networks/sysctl.json         host sysctls containr changed, with old values
 * Host-wide (every state root on the host): /run/containr-net.lock, held
 * while a subnet is chosen, a bridge made, a lease taken or the table rebuilt.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "containr/log.h"
#include "ext/ext.h"
#include "net/net_int.h"

#define HOST_LOCK    "/run/containr-net.lock"
#define DEFAULT_ROOT "/var/lib/containr"

void ctr_network_release(struct ctr_network *n)
{
	free(n->name);
	free(n->bridge);
	cJSON_Delete(n->labels);
	memset(n, 0, sizeof *n);
}

void ctr_net_lease_release(struct ctr_net_lease *l)
{
	free(l->network);
	free(l->bridge);
	free(l->ports);
	memset(l, 0, sizeof *l);
}

int net_host_lock(struct ctr_err *err)
{
	return ctr_lock_path(HOST_LOCK, true, true, err);
}

static uint32_t root_hash(const struct ctr_store *st)
{
	uint32_t h = 2166136261u;
	for (const char *p = st->root; *p; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	return h;
}

static bool default_root(const struct ctr_store *st)
{
	return strcmp(st->root, DEFAULT_ROOT) == 0;
}

char *ctr_net_table_name(const struct ctr_store *st)
{
	if (default_root(st))
		return xstrdup("containr");
	return xasprintf("containr_%08x", root_hash(st));
}

/* The bridge name of a new network: containr0 for the default network of
 * the default root; else "cr" + 4 hex of the root + "-" + 8 hex of the id. */
static char *bridge_name(const struct ctr_store *st, const char *name, const char *id)
{
	if (default_root(st) && !strcmp(name, CTR_NET_DEFAULT))
		return xstrdup("containr0");
	return xasprintf("cr%04x-%.8s", root_hash(st) & 0xffff, id);
}

/* ---- load/save --------------------------------------------------------- */

static const char *jstr(const cJSON *o, const char *k)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, k);
	return cJSON_IsString(it) ? it->valuestring : NULL;
}

static int network_from_json(const char *id, const cJSON *j, struct ctr_network *n,
                             struct ctr_err *err)
{
	const char *name = jstr(j, "Name"), *sub = jstr(j, "Subnet"), *gw = jstr(j, "Gateway"),
	           *br = jstr(j, "Bridge");
	const cJSON *it;

	memset(n, 0, sizeof *n);
	if (!name || !sub || !gw || !br || ctr_cidr_parse(sub, &n->subnet, err) < 0 ||
	    ctr_ip_parse(gw, &n->gateway) < 0)
		return ctr_fail(err, E_CORRUPT, "network %.12s: network.json is incomplete", id);
	snprintf(n->id, sizeof n->id, "%s", id);
	n->name = xstrdup(name);
	n->bridge = xstrdup(br);
	n->internal = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(j, "Internal"));
	it = cJSON_GetObjectItemCaseSensitive(j, "Created");
	if (cJSON_IsString(it))
		ctr_parse_rfc3339(it->valuestring, &n->created);
	it = cJSON_GetObjectItemCaseSensitive(j, "Labels");
	n->labels = cJSON_IsObject(it) ? cJSON_Duplicate(it, true) : cJSON_CreateObject();
	return 0;
}

static cJSON *network_to_json(const struct ctr_network *n)
{
	cJSON *j = cJSON_CreateObject();
	char buf[40];

	cJSON_AddStringToObject(j, "Name", n->name);
	cJSON_AddStringToObject(j, "Id", n->id);
	ctr_format_rfc3339(buf, sizeof buf, n->created);
	cJSON_AddStringToObject(j, "Created", buf);
	cJSON_AddStringToObject(j, "Driver", "bridge");
	ctr_cidr_str(&n->subnet, buf);
	cJSON_AddStringToObject(j, "Subnet", buf);
	ctr_ip_str(n->gateway, buf);
	cJSON_AddStringToObject(j, "Gateway", buf);
	cJSON_AddStringToObject(j, "Bridge", n->bridge);
	cJSON_AddBoolToObject(j, "Internal", n->internal);
	cJSON_AddItemToObject(j, "Labels",
	                      n->labels ? cJSON_Duplicate(n->labels, true) : cJSON_CreateObject());
	return j;
}

static int network_load_id(const struct ctr_store *st, const char *id, struct ctr_network *n,
                           struct ctr_err *err)
{
	cleanup_free char *p = ctr_store_obj_path(st, CTR_KIND_NETWORK, id, "network.json");
	cJSON *j = NULL;
	int rc;

	if (ctr_json_load(p, &j, err) < 0)
		return -1;
	rc = network_from_json(id, j, n, err);
	cJSON_Delete(j);
	return rc;
}

int net_load_all(const struct ctr_store *st, struct ctr_network **v, size_t *n, struct ctr_err *err)
{
	struct strv ids;

	*v = NULL;
	*n = 0;
	if (ctr_store_list(st, CTR_KIND_NETWORK, &ids, err) < 0) {
		strv_release(&ids);
		return -1;
	}
	for (size_t i = 0; i < ids.n; i++) {
		struct ctr_network net;
		struct ctr_err e;
		if (network_load_id(st, ids.v[i], &net, &e) < 0) {
			if (e.code != E_NOT_FOUND)
				ctr_warn("skipping network", "id", ids.v[i], "error", e.msg);
			continue;
		}
		*v = xrealloc(*v, (*n + 1) * sizeof **v);
		(*v)[(*n)++] = net;
	}
	strv_release(&ids);
	return 0;
}

static void networks_free(struct ctr_network *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		ctr_network_release(&v[i]);
	free(v);
}

int net_leases_load(const struct ctr_store *st, const char *id, cJSON **out, struct ctr_err *err)
{
	cleanup_free char *p = ctr_store_obj_path(st, CTR_KIND_NETWORK, id, "leases.json");

	if (ctr_json_load(p, out, err) < 0) {
		if (err->code != E_NOT_FOUND)
			return -1;
		ctr_err_clear(err); /* no lease yet */
		*out = cJSON_CreateObject();
	}
	return 0;
}

static int leases_save(const struct ctr_store *st, const char *id, const cJSON *j,
                       struct ctr_err *err)
{
	cleanup_free char *p = ctr_store_obj_path(st, CTR_KIND_NETWORK, id, "leases.json");
	/* Atomic (rename) but not fsynced: a lease only matters while its
	 * container runs, and after a power loss none does (reconciled). The
	 * two fsyncs cost ~7 ms per start and per exit here. */
	return ctr_json_save_opt(p, j, false, err);
}

void net_lease_from_json(struct ctr_net_lease *l, const struct ctr_network *n, const char *ip,
                         const cJSON *j)
{
	const cJSON *p;

	memset(l, 0, sizeof *l);
	snprintf(l->network_id, sizeof l->network_id, "%s", n->id);
	l->network = xstrdup(n->name);
	l->bridge = xstrdup(n->bridge);
	ctr_ip_parse(ip, &l->ip);
	l->gateway = n->gateway;
	l->prefix = n->subnet.prefix;
	snprintf(l->mac, sizeof l->mac, "%s", jstr(j, "Mac") ? jstr(j, "Mac") : "");
	snprintf(l->veth, sizeof l->veth, "%s", jstr(j, "Veth") ? jstr(j, "Veth") : "");
	cJSON_ArrayForEach (p, cJSON_GetObjectItemCaseSensitive(j, "Ports")) {
		struct ctr_port_map m = {0};
		const char *hip = jstr(p, "HostIp"), *proto = jstr(p, "Proto");
		if (hip && *hip)
			ctr_ip_parse(hip, &m.host_ip);
		m.host_port = (uint16_t)cJSON_GetNumberValue(cJSON_GetObjectItem(p, "HostPort"));
		m.ctr_port =
		    (uint16_t)cJSON_GetNumberValue(cJSON_GetObjectItem(p, "ContainerPort"));
		m.proto = proto && !strcmp(proto, "udp") ? CTR_PROTO_UDP : CTR_PROTO_TCP;
		l->ports = xrealloc(l->ports, (l->nports + 1) * sizeof *l->ports);
		l->ports[l->nports++] = m;
	}
}

/* ---- sysctls ----------------------------------------------------------- */

int net_sysctl_set(const char *key, const char *val, char *old, size_t oldlen, struct ctr_err *err)
{
	cleanup_free char *path = xasprintf("/proc/sys/%s", key);
	char cur[64] = "";
	FILE *f;

	for (char *p = path + 10; *p; p++)
		if (*p == '.')
			*p = '/';
	if ((f = fopen(path, "re"))) {
		if (!fgets(cur, sizeof cur, f))
			cur[0] = '\0';
		fclose(f);
	}
	cur[strcspn(cur, "\n")] = '\0';
	if (old)
		snprintf(old, oldlen, "%s", cur);
	if (!strcmp(cur, val)) {
		ctr_explain("sysctl", "needed for container networking", "%s: %s (already)", key,
		            cur);
		return 0;
	}
	ctr_explain("sysctl", "needed for container networking", "%s: %s -> %s", key,
	            cur[0] ? cur : "?", val);
	if (!(f = fopen(path, "we")))
		return ctr_fail_errno(err, E_IO, errno, "cannot set %s", key);
	fputs(val, f);
	if (fclose(f) != 0)
		return ctr_fail_errno(err, E_IO, errno, "cannot set %s", key);
	ctr_debug("sysctl changed", "key", key, "old", cur, "new", val);
	return 1;
}

/* ip_forward: on when a network needs it; the old value is recorded once. */
static int forward_on(const struct ctr_store *st, struct ctr_err *err)
{
	char old[64];
	int rc = net_sysctl_set("net.ipv4.ip_forward", "1", old, sizeof old, err);

	if (rc == 1) {
		cleanup_free char *p = ctr_store_path(st, "networks/sysctl.json");
		cJSON *j = NULL;
		struct ctr_err e;
		if (ctr_json_load(p, &j, &e) < 0)
			j = cJSON_CreateObject();
		if (!cJSON_GetObjectItem(j, "net.ipv4.ip_forward"))
			cJSON_AddStringToObject(j, "net.ipv4.ip_forward", old);
		ctr_json_save(p, j, &e);
		cJSON_Delete(j);
	}
	return rc < 0 ? -1 : 0;
}

/* The bridge with its address and sysctls (idempotent). */
static int bridge_up(const struct ctr_network *n, struct ctr_err *err)
{
	cleanup_free char *key = NULL;

	if (nl_bridge_ensure(n->bridge, n->gateway, n->subnet.prefix, err) < 0)
		return -1;
	/* Published ports from the host's loopback: DNAT in `output` keeps the
	 * 127.0.0.1 source, which may only leave through the bridge with
	 * route_localnet; the table drops 127/8 arriving elsewhere (moby#41872). */
	key = xasprintf("net.ipv4.conf.%s.route_localnet", n->bridge);
	return net_sysctl_set(key, "1", NULL, 0, err) < 0 ? -1 : 0;
}

/* ---- create ------------------------------------------------------------ */

static int labels_json(const struct strv *labels, cJSON **out, struct ctr_err *err)
{
	*out = cJSON_CreateObject();
	for (size_t i = 0; labels && i < labels->n; i++) {
		const char *eq = strchr(labels->v[i], '=');
		cleanup_free char *k = eq ? xstrndup(labels->v[i], (size_t)(eq - labels->v[i]))
		                          : xstrdup(labels->v[i]);
		if (!*k) {
			cJSON_Delete(*out);
			ctr_fail(err, E_INVALID_ARG, "invalid label \"%s\"", labels->v[i]);
			return ctr_hint(err, "labels are KEY=VALUE");
		}
		cJSON_DeleteItemFromObjectCaseSensitive(*out, k);
		cJSON_AddStringToObject(*out, k, eq ? eq + 1 : "");
	}
	return 0;
}

int ctr_network_create(const struct ctr_store *st, const struct ctr_network_opts *o,
                       char id_out[65], struct ctr_err *err)
{
	struct ctr_network n, *all = NULL;
	size_t nall = 0;
	struct ctr_cidr *taken = NULL;
	size_t ntaken = 0;
	int lock = -1, rc = -1;
	bool reserved = false, made_dir = false, made_bridge = false;
	cleanup_free char *path = NULL;
	cJSON *j = NULL;

	memset(&n, 0, sizeof n);
	if (!o->name || !ctr_name_valid(o->name))
		return ctr_name_invalid_error(err, CTR_KIND_NETWORK, o->name ? o->name : "");
	if (!strcmp(o->name, "host") || !strcmp(o->name, "none") ||
	    (!strcmp(o->name, CTR_NET_DEFAULT) && o->subnet)) {
		ctr_fail(err, E_CONFLICT, "network name \"%s\" is reserved", o->name);
		return ctr_hint(err, "bridge, host and none are predefined: pick another name");
	}
	if (o->driver && strcmp(o->driver, "bridge") != 0) {
		ctr_fail(err, E_UNSUPPORTED, "network driver \"%s\" is not supported", o->driver);
		return ctr_hint(err, "only -d bridge exists");
	}
	if (o->subnet && ctr_cidr_parse(o->subnet, &n.subnet, err) < 0)
		return -1;
	if (o->gateway && !o->subnet) {
		ctr_fail(err, E_INVALID_ARG, "--gateway needs --subnet");
		return ctr_hint(err, "give both, e.g. --subnet 10.90.0.0/16 --gateway 10.90.0.254");
	}
	if (labels_json(o->labels, &n.labels, err) < 0)
		return -1;
	if ((lock = net_host_lock(err)) < 0)
		goto out;
	if (net_load_all(st, &all, &nall, err) < 0)
		goto out;
	for (size_t i = 0; i < nall; i++) {
		if (!strcmp(all[i].name, o->name)) {
			ctr_fail(err, E_CONFLICT, "network with name %s already exists", o->name);
			ctr_hint(err,
			         "remove it first (containr network rm %s) or pick another name",
			         o->name);
			goto out;
		}
	}
	/* What a subnet must not overlap: host routes (other than our own
	 * bridges of this root, which are listed as networks) and networks. */
	for (size_t i = 0; i < nall; i++) {
		taken = xrealloc(taken, (ntaken + 1) * sizeof *taken);
		taken[ntaken++] = all[i].subnet;
	}
	if (nl_route_dsts(&taken, &ntaken, err) < 0)
		goto out;
	if (o->subnet) {
		for (size_t i = 0; i < ntaken; i++) {
			if (ctr_cidr_overlaps(&n.subnet, &taken[i])) {
				char a[20];
				ctr_cidr_str(&taken[i], a);
				const char *who = i < nall ? all[i].name : NULL;
				ctr_fail(err, E_CONFLICT, "subnet %s overlaps %s%s", o->subnet,
				         who ? "network " : "the host route ", who ? who : a);
				ctr_hint(err,
				         "pick a subnet that overlaps no route (ip route) and no "
				         "network (containr network ls)");
				goto out;
			}
		}
	} else if (ctr_subnet_pick(taken, ntaken, &n.subnet, err) < 0) {
		goto out;
	}
	if (o->gateway) {
		if (ctr_ip_parse(o->gateway, &n.gateway) < 0 ||
		    !ctr_cidr_contains(&n.subnet, n.gateway) || n.gateway == n.subnet.addr ||
		    n.gateway == (n.subnet.addr | ~ctr_cidr_mask(n.subnet.prefix))) {
			ctr_fail(err, E_INVALID_ARG, "invalid gateway %s for subnet %s", o->gateway,
			         o->subnet);
			ctr_hint(err, "the gateway is a host address inside the subnet");
			goto out;
		}
	} else {
		n.gateway = n.subnet.addr + 1;
	}
	if (ctr_store_new_id(st, CTR_KIND_NETWORK, n.id, err) < 0)
		goto out;
	n.name = xstrdup(o->name);
	n.bridge = bridge_name(st, o->name, n.id);
	n.internal = o->internal;
	n.created = ctr_now_ns();
	if (nl_link_exists(n.bridge)) {
		ctr_fail(err, E_CONFLICT, "a link named %s already exists on the host", n.bridge);
		ctr_hint(err, "remove it (ip link del %s) if it is a leftover", n.bridge);
		goto out;
	}
	/* network.json before the name: whoever finds the name finds the record. */
	if (ctr_store_obj_create(st, CTR_KIND_NETWORK, n.id, err) < 0)
		goto out;
	made_dir = true;
	j = network_to_json(&n);
	path = ctr_store_obj_path(st, CTR_KIND_NETWORK, n.id, "network.json");
	if (ctr_json_save(path, j, err) < 0)
		goto out;
	if (ctr_store_name_reserve(st, CTR_KIND_NETWORK, n.name, n.id, err) < 0)
		goto out;
	reserved = true;
	made_bridge = true;
	if (bridge_up(&n, err) < 0)
		goto out;
	if (nft_rebuild(st, err) < 0)
		goto out;
	if (id_out)
		snprintf(id_out, 65, "%s", n.id);
	rc = 0;
out:
	if (rc < 0) {
		struct ctr_err e;
		if (made_bridge)
			nl_link_del(n.bridge, &e);
		if (made_dir) {
			ctr_store_obj_remove(st, CTR_KIND_NETWORK, n.id, &e);
			if (made_bridge)
				nft_rebuild(st, &e);
		}
		if (reserved)
			ctr_store_name_release(st, CTR_KIND_NETWORK, n.name, n.id);
	}
	if (lock >= 0)
		ctr_unlock(lock);
	cJSON_Delete(j);
	free(taken);
	networks_free(all, nall);
	ctr_network_release(&n);
	return rc;
}

int ctr_network_ensure_default(const struct ctr_store *st, struct ctr_err *err)
{
	char id[65];
	struct ctr_network_opts o = {.name = CTR_NET_DEFAULT};
	struct ctr_err e;

	if (ctr_store_resolve(st, CTR_KIND_NETWORK, CTR_NET_DEFAULT, id, &e) == 0)
		return 0;
	if (ctr_network_create(st, &o, NULL, err) < 0) {
		if (err->code == E_CONFLICT &&
		    ctr_store_resolve(st, CTR_KIND_NETWORK, CTR_NET_DEFAULT, id, &e) == 0)
			return 0; /* a concurrent command made it */
		return ctr_err_wrap(err, "cannot create the default network");
	}
	return 0;
}

int ctr_network_get(const struct ctr_store *st, const char *query, struct ctr_network *out,
                    struct ctr_err *err)
{
	char id[65];

	if (!strcmp(query, CTR_NET_DEFAULT) && ctr_network_ensure_default(st, err) < 0)
		return -1;
	if (ctr_store_resolve(st, CTR_KIND_NETWORK, query, id, err) < 0) {
		if (err->code == E_NOT_FOUND) {
			ctr_fail(err, E_NOT_FOUND, "network %s not found", query);
			ctr_hint(err, "list networks with: containr network ls");
		}
		return -1;
	}
	return network_load_id(st, id, out, err);
}

int ctr_network_list(const struct ctr_store *st, struct strv *ids, struct ctr_err *err)
{
	struct ctr_err e;

	if (ctr_network_ensure_default(st, &e) < 0)
		ctr_warn("no default network", "error", e.msg);
	return ctr_store_list(st, CTR_KIND_NETWORK, ids, err);
}

int ctr_network_users(const struct ctr_store *st, const char *id, struct ctr_err *err)
{
	cJSON *l = NULL;
	int n;

	if (net_leases_load(st, id, &l, err) < 0)
		return -1;
	n = cJSON_GetArraySize(l);
	cJSON_Delete(l);
	return n;
}

int ctr_network_inspect(const struct ctr_store *st, const char *query, cJSON **out,
                        struct ctr_err *err)
{
	struct ctr_network n;
	cJSON *o, *ipam, *cfgs, *cfg, *ctrs, *leases = NULL, *opts, *it;
	char buf[40];

	if (ctr_network_get(st, query, &n, err) < 0)
		return -1;
	if (net_leases_load(st, n.id, &leases, err) < 0) {
		ctr_network_release(&n);
		return -1;
	}
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "Name", n.name);
	cJSON_AddStringToObject(o, "Id", n.id);
	ctr_format_rfc3339(buf, sizeof buf, n.created);
	cJSON_AddStringToObject(o, "Created", buf);
	cJSON_AddStringToObject(o, "Scope", "local");
	cJSON_AddStringToObject(o, "Driver", "bridge");
	cJSON_AddBoolToObject(o, "EnableIPv6", false);
	ipam = cJSON_AddObjectToObject(o, "IPAM");
	cJSON_AddStringToObject(ipam, "Driver", "default");
	cJSON_AddNullToObject(ipam, "Options");
	cfgs = cJSON_AddArrayToObject(ipam, "Config");
	cfg = cJSON_CreateObject();
	ctr_cidr_str(&n.subnet, buf);
	cJSON_AddStringToObject(cfg, "Subnet", buf);
	ctr_ip_str(n.gateway, buf);
	cJSON_AddStringToObject(cfg, "Gateway", buf);
	cJSON_AddItemToArray(cfgs, cfg);
	cJSON_AddBoolToObject(o, "Internal", n.internal);
	cJSON_AddBoolToObject(o, "Attachable", false);
	cJSON_AddBoolToObject(o, "Ingress", false);
	cJSON_AddItemToObject(o, "ConfigFrom", cJSON_Parse("{\"Network\":\"\"}"));
	cJSON_AddBoolToObject(o, "ConfigOnly", false);
	ctrs = cJSON_AddObjectToObject(o, "Containers");
	cJSON_ArrayForEach (it, leases) {
		const char *cid = jstr(it, "Container");
		cJSON *c;
		if (!cid)
			continue;
		c = cJSON_AddObjectToObject(ctrs, cid);
		cleanup_free char *cname = ctr_store_name_of(st, CTR_KIND_CONTAINER, cid);
		cJSON_AddStringToObject(c, "Name", cname ? cname : "");
		cJSON_AddStringToObject(c, "EndpointID", jstr(it, "Veth") ? jstr(it, "Veth") : "");
		cJSON_AddStringToObject(c, "MacAddress", jstr(it, "Mac") ? jstr(it, "Mac") : "");
		snprintf(buf, sizeof buf, "%s/%u", it->string, n.subnet.prefix);
		cJSON_AddStringToObject(c, "IPv4Address", buf);
		cJSON_AddStringToObject(c, "IPv6Address", "");
	}
	opts = cJSON_AddObjectToObject(o, "Options");
	cJSON_AddStringToObject(opts, "com.docker.network.bridge.name", n.bridge);
	cJSON_AddStringToObject(opts, "com.docker.network.driver.mtu", "1500");
	cJSON_AddItemToObject(o, "Labels", cJSON_Duplicate(n.labels, true));
	cJSON_Delete(leases);
	ctr_network_release(&n);
	*out = o;
	return 0;
}

int ctr_network_remove(const struct ctr_store *st, const char *query, struct ctr_err *err)
{
	struct ctr_network n;
	int lock, users, rc = -1;

	if (!strcmp(query, "host") || !strcmp(query, "none") || !strcmp(query, CTR_NET_DEFAULT)) {
		ctr_fail(err, E_CONFLICT, "%s is a pre-defined network and cannot be removed",
		         query);
		return ctr_hint(err,
		                "only networks made with `containr network create` can be removed");
	}
	if (ctr_network_get(st, query, &n, err) < 0)
		return -1;
	if (!strcmp(n.name, CTR_NET_DEFAULT)) {
		ctr_network_release(&n);
		ctr_fail(err, E_CONFLICT, "%s is a pre-defined network and cannot be removed",
		         query);
		return ctr_hint(err,
		                "only networks made with `containr network create` can be removed");
	}
	if ((lock = net_host_lock(err)) < 0)
		goto out;
	users = ctr_network_users(st, n.id, err);
	if (users < 0)
		goto unlock;
	if (users > 0) {
		ctr_fail(err, E_CONFLICT, "network %s is in use by %d container%s", n.name, users,
		         users == 1 ? "" : "s");
		ctr_hint(err, "stop and remove them first (containr network inspect %s lists them)",
		         n.name);
		goto unlock;
	}
	if (ctr_store_obj_remove(st, CTR_KIND_NETWORK, n.id, err) < 0)
		goto unlock;
	ctr_store_name_release(st, CTR_KIND_NETWORK, n.name, n.id);
	if (nl_link_del(n.bridge, err) < 0)
		goto unlock;
	rc = nft_rebuild(st, err);
unlock:
	ctr_unlock(lock);
out:
	ctr_network_release(&n);
	return rc;
}

int ctr_network_prune(const struct ctr_store *st, struct strv *removed, struct ctr_err *err)
{
	struct ctr_network *all;
	size_t n;

	if (net_load_all(st, &all, &n, err) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		struct ctr_err e;
		if (!strcmp(all[i].name, CTR_NET_DEFAULT))
			continue;
		ctr_err_clear(&e);
		if (ctr_network_remove(st, all[i].id, &e) == 0)
			strv_push(removed, all[i].name);
		else if (e.code != E_CONFLICT)
			ctr_warn("cannot prune network", "network", all[i].name, "error", e.msg);
	}
	networks_free(all, n);
	return 0;
}

int ctr_network_purge(const struct ctr_store *st, struct ctr_err *err)
{
	struct ctr_network *all;
	size_t n;
	cleanup_free char *table = ctr_net_table_name(st);
	int lock, rc = 0;

	if ((lock = net_host_lock(err)) < 0)
		return -1;
	if (net_load_all(st, &all, &n, err) < 0) {
		ctr_unlock(lock);
		return -1;
	}
	for (size_t i = 0; i < n && rc == 0; i++) {
		int users = ctr_network_users(st, all[i].id, err);
		if (users != 0) {
			if (users > 0)
				ctr_fail(err, E_CONFLICT, "network %s is in use", all[i].name);
			rc = -1;
		}
	}
	for (size_t i = 0; i < n && rc == 0; i++) {
		rc = nl_link_del(all[i].bridge, err);
		if (rc == 0 && ctr_store_obj_remove(st, CTR_KIND_NETWORK, all[i].id, err) == 0)
			ctr_store_name_release(st, CTR_KIND_NETWORK, all[i].name, all[i].id);
	}
	if (rc == 0 && nl_nft_table_exists(table, err) == 1) {
		cleanup_free char *cmd = xasprintf("delete table inet %s", table);
		ctr_explain("nft", "the root's table goes with its networks", "%s", cmd);
		rc = ctr_nft_run(cmd, false, NULL, err);
	}
	networks_free(all, n);
	ctr_unlock(lock);
	return rc;
}

int ctr_network_reload(const struct ctr_store *st, struct ctr_err *err)
{
	struct ctr_network *all;
	size_t n;
	int lock, rc = 0;

	if ((lock = net_host_lock(err)) < 0)
		return -1;
	if (net_load_all(st, &all, &n, err) < 0) {
		ctr_unlock(lock);
		return -1;
	}
	for (size_t i = 0; i < n && rc == 0; i++)
		rc = bridge_up(&all[i], err);
	if (rc == 0)
		rc = nft_rebuild(st, err);
	networks_free(all, n);
	ctr_unlock(lock);
	return rc;
}

/* ---- leases ------------------------------------------------------------ */

/* Is `m` (proto/port, host ip) already taken by a lease of this root? */
static bool port_leased(const struct ctr_network *all, size_t nall, cJSON *const *leases,
                        const struct ctr_port_map *m)
{
	for (size_t i = 0; i < nall; i++) {
		const cJSON *l;
		cJSON_ArrayForEach (l, leases[i]) {
			struct ctr_net_lease x;
			bool hit = false;
			net_lease_from_json(&x, &all[i], l->string, l);
			for (size_t k = 0; k < x.nports && !hit; k++)
				hit = x.ports[k].proto == m->proto &&
				      x.ports[k].host_port == m->host_port &&
				      (!x.ports[k].host_ip || !m->host_ip ||
				       x.ports[k].host_ip == m->host_ip);
			ctr_net_lease_release(&x);
			if (hit)
				return true;
		}
	}
	return false;
}

/* Can a host process bind the port?  (A listening process owns it.) */
static bool port_bindable(const struct ctr_port_map *m)
{
	int fd = socket(AF_INET,
	                (m->proto == CTR_PROTO_UDP ? SOCK_DGRAM : SOCK_STREAM) | SOCK_CLOEXEC, 0);
	struct sockaddr_in sa = {.sin_family = AF_INET,
	                         .sin_port = htons(m->host_port),
	                         .sin_addr.s_addr = htonl(m->host_ip)};
	int one = 1, rc;

	if (fd < 0)
		return true;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	rc = bind(fd, (struct sockaddr *)&sa, sizeof sa);
	close(fd);
	return rc == 0 || errno != EADDRINUSE;
}

static int ports_resolve(const struct ctr_network *all, size_t nall, cJSON *const *leases,
                         struct ctr_port_map *p, size_t np, struct ctr_err *err)
{
	unsigned seed = (unsigned)ctr_mono_ns();

	for (size_t i = 0; i < np; i++) {
		/* Also against the earlier ports of this same request. */
		for (size_t k = 0; k < i && p[i].host_port; k++) {
			if (p[k].proto == p[i].proto && p[k].host_port == p[i].host_port &&
			    (!p[k].host_ip || !p[i].host_ip || p[k].host_ip == p[i].host_ip)) {
				ctr_fail(err, E_CONFLICT, "host port %u/%s is published twice",
				         p[i].host_port, ctr_proto_name(p[i].proto));
				return ctr_hint(err, "give each -p its own host port");
			}
		}
		if (p[i].host_port) {
			if (port_leased(all, nall, leases, &p[i])) {
				ctr_fail(err, E_CONFLICT,
				         "host port %u/%s is already published by another "
				         "container",
				         p[i].host_port, ctr_proto_name(p[i].proto));
				return ctr_hint(
				    err, "pick another host port, or -p %u to get a free one",
				    p[i].ctr_port);
			}
			if (!port_bindable(&p[i])) {
				ctr_fail(err, E_CONFLICT,
				         "host port %u/%s is already in use by a host process",
				         p[i].host_port, ctr_proto_name(p[i].proto));
				return ctr_hint(
				    err, "find it with: ss -lntup | grep :%u; or pick another port",
				    p[i].host_port);
			}
			continue;
		}
		/* Random: the range Docker uses (32768-60999). */
		for (unsigned tries = 0; tries < 28232; tries++) {
			p[i].host_port = (uint16_t)(32768 + (seed + tries * 7919u) % 28232);
			bool dup = false;
			for (size_t k = 0; k < i && !dup; k++)
				dup = p[k].proto == p[i].proto && p[k].host_port == p[i].host_port;
			if (!dup && !port_leased(all, nall, leases, &p[i]) && port_bindable(&p[i]))
				break;
			p[i].host_port = 0;
		}
		if (!p[i].host_port) {
			ctr_fail(err, E_CONFLICT, "no free host port for %u/%s", p[i].ctr_port,
			         ctr_proto_name(p[i].proto));
			return ctr_hint(err, "free some ports or give a host port explicitly");
		}
	}
	return 0;
}

static void mac_of(uint32_t ip, char mac[18])
{
	snprintf(mac, 18, "02:42:%02x:%02x:%02x:%02x", ip >> 24, (ip >> 16) & 255, (ip >> 8) & 255,
	         ip & 255);
}

int ctr_net_lease_take(const struct ctr_store *st, const char *net, const char *ctr_id,
                       uint32_t want, const struct ctr_port_map *ports, size_t nports,
                       struct ctr_net_lease *out, struct ctr_err *err)
{
	struct ctr_network n, *all = NULL;
	size_t nall = 0;
	cJSON **leases = NULL, *mine = NULL, *rec, *parr;
	uint32_t *used = NULL, ip;
	size_t nused = 0;
	struct ctr_port_map *p = NULL;
	int lock, rc = -1;
	char ips[16];

	memset(out, 0, sizeof *out);
	if (ctr_network_get(st, net, &n, err) < 0)
		return -1;
	if ((lock = net_host_lock(err)) < 0) {
		ctr_network_release(&n);
		return -1;
	}
	if (net_load_all(st, &all, &nall, err) < 0)
		goto out;
	leases = xcalloc(nall ? nall : 1, sizeof *leases);
	for (size_t i = 0; i < nall; i++) {
		if (net_leases_load(st, all[i].id, &leases[i], err) < 0)
			goto out;
		if (!strcmp(all[i].id, n.id))
			mine = leases[i];
	}
	if (!mine) {
		ctr_fail(err, E_NOT_FOUND, "network %s disappeared", net);
		goto out;
	}
	const cJSON *l;
	cJSON_ArrayForEach (l, mine) {
		if (ctr_ip_parse(l->string, &ip) == 0) {
			used = xrealloc(used, (nused + 1) * sizeof *used);
			used[nused++] = ip;
		}
	}
	if (want) {
		ctr_ip_str(want, ips);
		if (!ctr_cidr_contains(&n.subnet, want) || want == n.gateway ||
		    want == n.subnet.addr ||
		    want == (n.subnet.addr | ~ctr_cidr_mask(n.subnet.prefix))) {
			char sub[20];
			ctr_cidr_str(&n.subnet, sub);
			ctr_fail(err, E_INVALID_ARG,
			         "address %s is not a free host address of network %s "
			         "(%s)",
			         ips, n.name, sub);
			ctr_hint(err, "give --ip inside %s, not its gateway", sub);
			goto out;
		}
		if (cJSON_GetObjectItemCaseSensitive(mine, ips)) {
			ctr_fail(err, E_CONFLICT, "address %s is already in use on network %s", ips,
			         n.name);
			ctr_hint(err, "leave --ip out to get a free address");
			goto out;
		}
		ip = want;
	} else if (ctr_ipam_pick(&n.subnet, n.gateway, used, nused, &ip, err) < 0) {
		goto out;
	}
	if (nports) {
		p = xmalloc(nports * sizeof *p);
		memcpy(p, ports, nports * sizeof *p);
		if (ports_resolve(all, nall, leases, p, nports, err) < 0)
			goto out;
	}
	ctr_ip_str(ip, ips);
	rec = cJSON_CreateObject();
	cJSON_AddStringToObject(rec, "Container", ctr_id);
	mac_of(ip, out->mac);
	cJSON_AddStringToObject(rec, "Mac", out->mac);
	snprintf(out->veth, sizeof out->veth, "veth%.11s", ctr_id);
	cJSON_AddStringToObject(rec, "Veth", out->veth);
	parr = cJSON_AddArrayToObject(rec, "Ports");
	for (size_t i = 0; i < nports; i++) {
		cJSON *pj = cJSON_CreateObject();
		char hip[16] = "";
		if (p[i].host_ip)
			ctr_ip_str(p[i].host_ip, hip);
		cJSON_AddStringToObject(pj, "HostIp", hip);
		cJSON_AddNumberToObject(pj, "HostPort", p[i].host_port);
		cJSON_AddNumberToObject(pj, "ContainerPort", p[i].ctr_port);
		cJSON_AddStringToObject(pj, "Proto", ctr_proto_name(p[i].proto));
		cJSON_AddItemToArray(parr, pj);
	}
	cJSON_AddItemToObject(mine, ips, rec);
	if (leases_save(st, n.id, mine, err) < 0)
		goto out;
	net_lease_from_json(out, &n, ips, rec);
	rc = 0;
out:
	ctr_unlock(lock);
	for (size_t i = 0; leases && i < nall; i++)
		cJSON_Delete(leases[i]);
	free(leases);
	free(used);
	free(p);
	networks_free(all, nall);
	ctr_network_release(&n);
	return rc;
}

/* Find the lease of a container: its network and ip key. */
static int lease_locate(const struct ctr_store *st, const char *ctr_id, struct ctr_network *net,
                        char ip[16], struct ctr_net_lease *out, struct ctr_err *err)
{
	struct ctr_network *all;
	size_t n;
	int found = 0;

	if (net_load_all(st, &all, &n, err) < 0)
		return -1;
	for (size_t i = 0; i < n && !found; i++) {
		cJSON *l = NULL, *it;
		struct ctr_err e;
		if (net_leases_load(st, all[i].id, &l, &e) < 0)
			continue;
		cJSON_ArrayForEach (it, l) {
			const char *c = jstr(it, "Container");
			if (c && !strcmp(c, ctr_id)) {
				if (out)
					net_lease_from_json(out, &all[i], it->string, it);
				snprintf(ip, 16, "%s", it->string);
				*net = all[i];
				memset(&all[i], 0, sizeof all[i]);
				found = 1;
				break;
			}
		}
		cJSON_Delete(l);
	}
	networks_free(all, n);
	return found;
}

int ctr_net_lease_find(const struct ctr_store *st, const char *ctr_id, struct ctr_net_lease *out,
                       struct ctr_err *err)
{
	struct ctr_network n;
	char ip[16];
	int rc = lease_locate(st, ctr_id, &n, ip, out, err);

	if (rc < 0)
		return -1;
	if (rc == 0)
		return ctr_fail(err, E_NOT_FOUND, "container %.12s has no network lease", ctr_id);
	ctr_network_release(&n);
	return 0;
}

int ctr_net_prepare(const struct ctr_store *st, const struct ctr_net_lease *l, struct ctr_err *err)
{
	struct ctr_network n;
	cleanup_free char *table = ctr_net_table_name(st);
	int lock, rc = -1, have;

	if (network_load_id(st, l->network_id, &n, err) < 0)
		return -1;
	if ((lock = net_host_lock(err)) < 0) {
		ctr_network_release(&n);
		return -1;
	}
	/* After a reboot (or `ip link del`), the bridge is recreated here. */
	if (!nl_link_exists(n.bridge) && bridge_up(&n, err) < 0)
		goto out;
	if (!n.internal && forward_on(st, err) < 0)
		goto out;
	if ((have = nl_nft_table_exists(table, err)) < 0)
		goto out;
	if (!have) {
		fprintf(stderr,
		        "containr: nftables table inet %s was missing (ruleset flushed or "
		        "rebooted); recreating it from the state\n",
		        table);
		if (nft_rebuild(st, err) < 0)
			goto out;
	}
	rc = 0;
out:
	ctr_unlock(lock);
	ctr_network_release(&n);
	return rc;
}

int ctr_net_attach(const struct ctr_store *st, const struct ctr_net_lease *l, pid_t pid,
                   struct ctr_err *err)
{
	if (nl_veth_attach(l->veth, l->bridge, pid, l->ip, l->prefix, l->gateway, l->mac, err) < 0)
		return -1;
	/* Adding an element the table already has (rebuilt from this lease) is a no-op. */
	if (l->nports && nft_ports(st, l, true, err) < 0) {
		struct ctr_err e;
		nl_link_del(l->veth, &e);
		return -1;
	}
	return 0;
}

int ctr_net_detach(const struct ctr_store *st, const char *ctr_id, struct ctr_err *err)
{
	struct ctr_network n;
	struct ctr_net_lease l;
	char ip[16];
	int lock, rc, nlock;
	cJSON *leases = NULL;

	if ((lock = net_host_lock(err)) < 0)
		return -1;
	rc = lease_locate(st, ctr_id, &n, ip, &l, err);
	if (rc <= 0) {
		ctr_unlock(lock);
		return rc;
	}
	rc = 0;
	if (l.nports) {
		struct ctr_err e;
		cleanup_free char *table = ctr_net_table_name(st);
		if (nl_nft_table_exists(table, &e) == 1 && nft_ports(st, &l, false, &e) < 0)
			ctr_warn("cannot remove published ports", "error", e.msg);
	}
	/* The veth normally died with the netns; a live one is removed. */
	if (l.veth[0] && nl_link_exists(l.veth)) {
		struct ctr_err e;
		nl_link_del(l.veth, &e);
	}
	nlock = ctr_store_lock(st, CTR_KIND_NETWORK, n.id, err);
	if (nlock >= 0 && net_leases_load(st, n.id, &leases, err) == 0) {
		cJSON_DeleteItemFromObjectCaseSensitive(leases, ip);
		rc = leases_save(st, n.id, leases, err);
		cJSON_Delete(leases);
	} else {
		rc = -1;
	}
	if (nlock >= 0)
		ctr_unlock(nlock);
	ctr_explain("ipam", "the container's address is free again", "release %s on %s", ip,
	            n.name);
	ctr_net_lease_release(&l);
	ctr_network_release(&n);
	ctr_unlock(lock);
	return rc;
}

int ctr_net_reconcile(const struct ctr_store *st, bool (*running)(const char *id, void *ud),
                      void *ud, struct ctr_err *err)
{
	struct ctr_network *all;
	size_t n;
	struct strv stale;

	if (net_load_all(st, &all, &n, err) < 0)
		return -1;
	strv_init(&stale);
	for (size_t i = 0; i < n; i++) {
		cJSON *l = NULL, *it;
		struct ctr_err e;
		if (net_leases_load(st, all[i].id, &l, &e) < 0)
			continue;
		cJSON_ArrayForEach (it, l) {
			const char *c = jstr(it, "Container");
			if (c && !running(c, ud))
				strv_push(&stale, c);
		}
		cJSON_Delete(l);
	}
	networks_free(all, n);
	for (size_t i = 0; i < stale.n; i++) {
		struct ctr_err e;
		ctr_debug("releasing a stale network lease", "container", stale.v[i]);
		if (ctr_net_detach(st, stale.v[i], &e) < 0)
			ctr_warn("cannot release a stale lease", "container", stale.v[i], "error",
			         e.msg);
	}
	strv_release(&stale);
	return 0;
}

int ctr_network_explain(const struct ctr_store *st, const char *query, FILE *out,
                        struct ctr_err *err)
{
	struct ctr_network n;
	struct ctr_net_lease l = {0};
	cJSON *leases = NULL, *it;
	char sub[20], gw[16];
	char cid[65];
	bool is_ctr = false;
	struct ctr_err e;

	if (ctr_network_get(st, query, &n, &e) < 0) {
		if (ctr_store_resolve(st, CTR_KIND_CONTAINER, query, cid, err) < 0) {
			*err = e;
			ctr_fail(err, E_NOT_FOUND, "no network or container named %s", query);
			return ctr_hint(err, "containr network ls / containr ps -a");
		}
		if (ctr_net_lease_find(st, cid, &l, err) < 0)
			return ctr_hint(err, "the container is not running on a bridge network");
		if (network_load_id(st, l.network_id, &n, err) < 0) {
			ctr_net_lease_release(&l);
			return -1;
		}
		is_ctr = true;
	}
	ctr_cidr_str(&n.subnet, sub);
	ctr_ip_str(n.gateway, gw);
	if (is_ctr) {
		char ip[16];
		ctr_ip_str(l.ip, ip);
		fprintf(out, "container %.12s on network %s\n", cid, n.name);
		fprintf(out, "  eth0 %s/%u  mac %s  default via %s\n", ip, l.prefix, l.mac, gw);
		fprintf(out, "  host side: %s (port of %s)%s\n", l.veth, n.bridge,
		        nl_link_exists(l.veth) ? "" : "  [missing]");
		for (size_t i = 0; i < l.nports; i++) {
			char hip[16] = "0.0.0.0";
			if (l.ports[i].host_ip)
				ctr_ip_str(l.ports[i].host_ip, hip);
			fprintf(out, "  publish %s:%u/%s -> %s:%u (DNAT, map element)\n", hip,
			        l.ports[i].host_port, ctr_proto_name(l.ports[i].proto), ip,
			        l.ports[i].ctr_port);
		}
		fputc('\n', out);
	}
	fprintf(out, "network %s (%.12s)  subnet %s  gateway %s%s\n", n.name, n.id, sub, gw,
	        n.internal ? "  internal" : "");
	fprintf(out, "bridge %s and its ports:\n", n.bridge);
	if (nl_dump_links(out, n.bridge, err) < 0)
		goto fail;
	fprintf(out, "leases:\n");
	if (net_leases_load(st, n.id, &leases, err) < 0)
		goto fail;
	cJSON_ArrayForEach (it, leases) {
		cleanup_free char *name = ctr_store_name_of(
		    st, CTR_KIND_CONTAINER, jstr(it, "Container") ? jstr(it, "Container") : "");
		fprintf(out, "  %s  %s  %.12s %s  veth %s\n", it->string,
		        jstr(it, "Mac") ? jstr(it, "Mac") : "",
		        jstr(it, "Container") ? jstr(it, "Container") : "", name ? name : "",
		        jstr(it, "Veth") ? jstr(it, "Veth") : "");
	}
	if (!cJSON_GetArraySize(leases))
		fprintf(out, "  (none)\n");
	cJSON_Delete(leases);
	fprintf(out, "\nnftables (with counters):\n");
	if (nft_list(st, out, err) < 0)
		goto fail2;
	ctr_net_lease_release(&l);
	ctr_network_release(&n);
	return 0;
fail:
	cJSON_Delete(leases);
fail2:
	ctr_net_lease_release(&l);
	ctr_network_release(&n);
	return -1;
}
