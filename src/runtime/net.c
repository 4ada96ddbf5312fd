/*
 * net.c - the runtime's side of networking: which network a container is
 * on, its published ports, taking and releasing its lease, /etc/hosts and
 * resolv.conf for a bridge container, inspect's NetworkSettings.  The
 * plumbing itself is the network module's (src/net/, docs/NETWORK.md).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "containr/log.h"
#include "containr/network.h"
#include "runtime/internal.h"

const char *runtime_net_name(const struct ctr_container_config *cfg)
{
	if (!cfg->network || !strcmp(cfg->network, "none") || !strcmp(cfg->network, "host"))
		return NULL;
	return cfg->network;
}

int runtime_net_ports(const struct ctr_container_config *cfg, struct ctr_port_map **v, size_t *n,
                      struct ctr_err *err)
{
	*v = NULL;
	*n = 0;
	for (size_t i = 0; i < cfg->publish.n; i++)
		if (ctr_publish_parse(cfg->publish.v[i], v, n, err) < 0)
			return -1;
	if (!cfg->publish_all)
		return 0;
	for (size_t i = 0; i < cfg->expose.n; i++) {
		struct ctr_port_map *e = NULL;
		size_t ne = 0;
		if (ctr_publish_parse(cfg->expose.v[i], &e, &ne, err) < 0) {
			free(e);
			return -1;
		}
		for (size_t k = 0; k < ne; k++) {
			bool have = false;
			for (size_t j = 0; j < *n && !have; j++)
				have = (*v)[j].ctr_port == e[k].ctr_port &&
				       (*v)[j].proto == e[k].proto;
			if (have)
				continue;
			*v = xrealloc(*v, (*n + 1) * sizeof **v);
			(*v)[(*n)++] = e[k]; /* host port 0: random */
		}
		free(e);
	}
	return 0;
}

/* A lease is live while its container runs or someone holds its lock (a start). */
static bool lease_live(const char *id, void *ud)
{
	const struct ctr_store *st = ud;
	struct ctr_container c;
	struct ctr_err e;
	bool live;
	int fd;

	if (ctr_container_load_id(st, id, &c, &e) < 0)
		return e.code != E_NOT_FOUND; /* unreadable: keep, gone: stale */
	live = c.state.status == CTR_STATUS_RUNNING || c.state.status == CTR_STATUS_PAUSED;
	ctr_container_free(&c);
	if (live)
		return true;
	cleanup_free char *lock = ctr_store_obj_path(st, CTR_KIND_CONTAINER, id, "lock");
	fd = ctr_lock_path(lock, true, false, &e);
	if (fd < 0)
		return true; /* being started or stopped right now */
	ctr_unlock(fd);
	return false;
}

void runtime_net_reconcile(const struct ctr_store *st)
{
	struct ctr_err e;

	if (ctr_net_reconcile(st, lease_live, (void *)st, &e) < 0)
		ctr_warn("cannot reconcile network leases", "error", e.msg);
}

int runtime_net_take(const struct ctr_store *st, const struct ctr_container *c,
                     struct ctr_net_lease *l, struct ctr_err *err)
{
	const char *net = runtime_net_name(&c->cfg);
	struct ctr_port_map *ports = NULL;
	size_t nports = 0;
	uint32_t ip = 0;
	struct ctr_err e;
	int rc;

	runtime_net_release(st, c->id); /* a previous run's, if its exit went unrecorded */
	runtime_net_reconcile(st);
	if (c->cfg.ip && ctr_ip_parse(c->cfg.ip, &ip) < 0) {
		ctr_fail(err, E_INVALID_ARG, "invalid --ip \"%s\"", c->cfg.ip);
		return ctr_hint(err, "give an IPv4 address of the network's subnet");
	}
	if (runtime_net_ports(&c->cfg, &ports, &nports, err) < 0)
		return -1;
	ctr_err_clear(&e);
	rc = ctr_net_lease_take(st, net, c->id, ip, ports, nports, l, err);
	free(ports);
	if (rc == 0 && ctr_net_prepare(st, l, err) < 0) {
		ctr_net_lease_release(l);
		runtime_net_release(st, c->id);
		return -1;
	}
	if (rc == 0) {
		char ips[16];
		ctr_ip_str(l->ip, ips);
		ctr_explain("ipam",
		            "the container's address on its network (under the network lock)",
		            "lease %s on %s (%s), %zu published port(s)", ips, l->network,
		            l->bridge, l->nports);
	}
	return rc;
}

void runtime_net_release(const struct ctr_store *st, const char *id)
{
	struct ctr_err e;

	if (ctr_net_detach(st, id, &e) < 0)
		ctr_warn("cannot release the network lease", "id", id, "error", e.msg);
}

/* The store a container directory belongs to (<root>/containers/<id>). */
static bool store_of(const struct ctr_container *c, struct ctr_store *st, char *buf, size_t len)
{
	const char *cut;

	if (!c->dir || !(cut = strstr(c->dir, "/containers/")))
		return false;
	snprintf(buf, len, "%.*s", (int)(cut - c->dir), c->dir);
	st->root = buf;
	st->run_dir = NULL;
	return true;
}

int runtime_net_lease_of(const struct ctr_container *c, struct ctr_net_lease *l)
{
	struct ctr_store st;
	char root[4096];
	struct ctr_err e;

	if (!runtime_net_name(&c->cfg) || !store_of(c, &st, root, sizeof root))
		return -1;
	return ctr_net_lease_find(&st, c->id, l, &e);
}

char *runtime_net_hosts(const struct ctr_container *c, const char *base)
{
	struct ctr_net_lease l;
	char ip[16], hostname[65];

	if (runtime_net_lease_of(c, &l) < 0)
		return xstrdup(base);
	ctr_ip_str(l.ip, ip);
	runtime_hostname(c, hostname);
	ctr_net_lease_release(&l);
	return xasprintf("%s%s\t%s\n", base, ip, hostname);
}

char *runtime_net_resolv(const char *host)
{
	struct strbuf sb;
	bool any = false;
	const char *p = host;

	/* Docker: the host's file without its loopback nameservers (a 127.x stub is
	 * not reachable from another netns); none left: Google's public DNS. */
	strbuf_init(&sb);
	while (p && *p) {
		size_t len = strcspn(p, "\n");
		char line[512];
		snprintf(line, sizeof line, "%.*s", (int)(len < 511 ? len : 511), p);
		if (str_startswith(line, "nameserver")) {
			const char *a = line + 10;
			while (*a == ' ' || *a == '\t')
				a++;
			if (str_startswith(a, "127.") || !strncmp(a, "::1", 3))
				goto next;
			any = true;
		}
		strbuf_printf(&sb, "%s\n", line);
	next:
		p += len + (p[len] == '\n');
	}
	if (!any)
		strbuf_puts(&sb,
		            "\n# containr: the host's resolvers are loopback-only (unreachable "
		            "from the container)\nnameserver 8.8.8.8\nnameserver 8.8.4.4\n");
	return strbuf_detach(&sb);
}

void runtime_net_inspect(cJSON *ns, const struct ctr_container *c)
{
	struct ctr_net_lease l;
	char ip[16], gw[16], sub[20];
	cJSON *nets, *ep, *ports;
	const char *net = runtime_net_name(&c->cfg);

	if (!net)
		return;
	nets = cJSON_GetObjectItem(ns, "Networks");
	ports = cJSON_GetObjectItem(ns, "Ports");
	if (runtime_net_lease_of(c, &l) < 0) {
		/* Not running: Docker shows the network with empty addresses. */
		cJSON *none = cJSON_DetachItemFromObject(nets, "none");
		if (none)
			cJSON_AddItemToObject(nets, net, none);
		return;
	}
	ctr_ip_str(l.ip, ip);
	ctr_ip_str(l.gateway, gw);
	(void)sub;
	cJSON_ReplaceItemInObject(ns, "Bridge", cJSON_CreateString(l.bridge));
	cJSON_ReplaceItemInObject(ns, "EndpointID", cJSON_CreateString(l.veth));
	cJSON_ReplaceItemInObject(ns, "Gateway", cJSON_CreateString(gw));
	cJSON_ReplaceItemInObject(ns, "IPAddress", cJSON_CreateString(ip));
	cJSON_ReplaceItemInObject(ns, "IPPrefixLen", cJSON_CreateNumber(l.prefix));
	cJSON_ReplaceItemInObject(ns, "MacAddress", cJSON_CreateString(l.mac));
	ep = cJSON_DetachItemFromObject(nets, "none");
	if (!ep)
		ep = cJSON_CreateObject();
	cJSON_ReplaceItemInObject(ep, "NetworkID", cJSON_CreateString(l.network_id));
	cJSON_ReplaceItemInObject(ep, "EndpointID", cJSON_CreateString(l.veth));
	cJSON_ReplaceItemInObject(ep, "Gateway", cJSON_CreateString(gw));
	cJSON_ReplaceItemInObject(ep, "IPAddress", cJSON_CreateString(ip));
	cJSON_ReplaceItemInObject(ep, "IPPrefixLen", cJSON_CreateNumber(l.prefix));
	cJSON_ReplaceItemInObject(ep, "MacAddress", cJSON_CreateString(l.mac));
	cJSON_AddItemToObject(nets, l.network, ep);
	for (size_t i = 0; ports && i < l.nports; i++) {
		char key[24], hip[16] = "0.0.0.0", hp[8];
		cJSON *arr, *b;
		snprintf(key, sizeof key, "%u/%s", l.ports[i].ctr_port,
		         ctr_proto_name(l.ports[i].proto));
		if (l.ports[i].host_ip)
			ctr_ip_str(l.ports[i].host_ip, hip);
		snprintf(hp, sizeof hp, "%u", l.ports[i].host_port);
		arr = cJSON_GetObjectItem(ports, key);
		if (!arr || !cJSON_IsArray(arr)) {
			cJSON_DeleteItemFromObject(ports, key);
			arr = cJSON_AddArrayToObject(ports, key);
		}
		b = cJSON_CreateObject();
		cJSON_AddStringToObject(b, "HostIp", hip);
		cJSON_AddStringToObject(b, "HostPort", hp);
		cJSON_AddItemToArray(arr, b);
	}
	ctr_net_lease_release(&l);
}

int ctr_net_reconcile_containers(const struct ctr_store *st)
{
	runtime_net_reconcile(st);
	return 0;
}

int ctr_container_ports(const struct ctr_store *st, const char *query, struct ctr_net_lease *out,
                        struct ctr_err *err)
{
	struct ctr_container c;
	int rc;

	memset(out, 0, sizeof *out);
	if (ctr_container_load(st, query, &c, err) < 0)
		return -1;
	if (c.state.status != CTR_STATUS_RUNNING && c.state.status != CTR_STATUS_PAUSED) {
		ctr_container_free(&c);
		return 0; /* Docker: a stopped container has no mappings (empty output) */
	}
	rc = runtime_net_name(&c.cfg) ? ctr_net_lease_find(st, c.id, out, err) : 0;
	ctr_container_free(&c);
	if (rc < 0 && err->code == E_NOT_FOUND) {
		ctr_err_clear(err);
		rc = 0;
	}
	return rc;
}

char *runtime_net_ports_column(const struct ctr_container *c)
{
	struct ctr_net_lease l;
	struct strbuf sb;

	if ((c->state.status != CTR_STATUS_RUNNING && c->state.status != CTR_STATUS_PAUSED) ||
	    runtime_net_lease_of(c, &l) < 0)
		return xstrdup("");
	strbuf_init(&sb);
	/* Docker's column: 0.0.0.0:8000-8001->80-81/tcp, ranges collapsed. */
	for (size_t i = 0; i < l.nports;) {
		const struct ctr_port_map *m = &l.ports[i];
		size_t j = i + 1;
		char hip[16] = "0.0.0.0";
		while (j < l.nports && l.ports[j].host_ip == m->host_ip &&
		       l.ports[j].proto == m->proto &&
		       l.ports[j].host_port == m->host_port + (j - i) &&
		       l.ports[j].ctr_port == m->ctr_port + (j - i))
			j++;
		if (m->host_ip)
			ctr_ip_str(m->host_ip, hip);
		if (j - i > 1)
			strbuf_printf(&sb, "%s%s:%u-%u->%u-%u/%s", sb.len ? ", " : "", hip,
			              m->host_port, l.ports[j - 1].host_port, m->ctr_port,
			              l.ports[j - 1].ctr_port, ctr_proto_name(m->proto));
		else
			strbuf_printf(&sb, "%s%s:%u->%u/%s", sb.len ? ", " : "", hip, m->host_port,
			              m->ctr_port, ctr_proto_name(m->proto));
		i = j;
	}
	ctr_net_lease_release(&l);
	return strbuf_detach(&sb);
}
