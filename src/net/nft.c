/*
 * nft.c - containr's nftables table, built from the state (docs/NETWORK.md).
 *
 * One table per state root, `inet containr` for the default root (else
 * `inet containr_<hash of the root>`), owned wholly by containr:
 *   set  bridges   the bridges of this root
 *   map  pub_any   proto . port            -> container ip . port  (-p PORT:CPORT)
 *   map  pub_ip    daddr . proto . port    -> container ip . port  (-p IP:PORT:CPORT)
 *   raw_pre   prerouting/raw:   drop 127/8 arriving anywhere but lo (moby#41872)
 *   nat_pre   prerouting/dstnat, nat_out output/dstnat: local daddr -> publish
 *   publish   the two map lookups (DNAT)
 *   nat_post  postrouting/srcnat: masquerade loopback clients and hairpin into
 *             a bridge, and each non-internal subnet leaving by another device
 *   forward   filter/forward: established, isolation between bridges,
 *             internal networks, accept from/to the bridge
 * The table is rebuilt atomically (one batch: add, delete, define) on
 * network create/rm/reload; ports are map elements added/removed per
 * container through libnftables' JSON API.  All of it runs in containr-ext.so.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "containr/log.h"
#include "ext/ext.h"
#include "net/net_int.h"

static void elem_text(struct strbuf *sb, const struct ctr_net_lease *l, bool with_ip, bool *first)
{
	char ip[16], hip[16];

	ctr_ip_str(l->ip, ip);
	for (size_t i = 0; i < l->nports; i++) {
		const struct ctr_port_map *m = &l->ports[i];
		if ((m->host_ip != 0) != with_ip)
			continue;
		ctr_ip_str(m->host_ip, hip);
		strbuf_printf(sb, "%s%s%s%s . %u : %s . %u", *first ? "" : ", ", with_ip ? hip : "",
		              with_ip ? " . " : "", ctr_proto_name(m->proto), m->host_port, ip,
		              m->ctr_port);
		*first = false;
	}
}

int nft_rebuild(const struct ctr_store *st, struct ctr_err *err)
{
	cleanup_free char *t = ctr_net_table_name(st);
	struct ctr_network *all;
	size_t n;
	struct strbuf sb, any, ipk;
	bool fa = true, fi = true;
	int rc;

	if (net_load_all(st, &all, &n, err) < 0)
		return -1;
	strbuf_init(&sb);
	strbuf_init(&any);
	strbuf_init(&ipk);
	for (size_t i = 0; i < n; i++) {
		cJSON *leases = NULL, *it;
		struct ctr_err e;
		if (net_leases_load(st, all[i].id, &leases, &e) < 0)
			continue;
		cJSON_ArrayForEach (it, leases) {
			struct ctr_net_lease l;
			net_lease_from_json(&l, &all[i], it->string, it);
			elem_text(&any, &l, false, &fa);
			elem_text(&ipk, &l, true, &fi);
			ctr_net_lease_release(&l);
		}
		cJSON_Delete(leases);
	}
	strbuf_printf(&sb, "add table inet %s\ndelete table inet %s\ntable inet %s {\n", t, t, t);
	strbuf_puts(&sb, "  set bridges { type ifname; ");
	for (size_t i = 0; i < n; i++)
		strbuf_printf(&sb, "%s\"%s\"%s", i ? ", " : "elements = { ", all[i].bridge,
		              i + 1 == n ? " }; " : "");
	strbuf_puts(&sb, "}\n");
	strbuf_printf(&sb,
	              "  map pub_any { type inet_proto . inet_service : ipv4_addr . "
	              "inet_service; %s%s%s}\n",
	              any.len ? "elements = { " : "", any.len ? any.buf : "",
	              any.len ? " }; " : "");
	strbuf_printf(&sb,
	              "  map pub_ip { type ipv4_addr . inet_proto . inet_service : ipv4_addr . "
	              "inet_service; %s%s%s}\n",
	              ipk.len ? "elements = { " : "", ipk.len ? ipk.buf : "",
	              ipk.len ? " }; " : "");
	strbuf_puts(
	    &sb, "  chain raw_pre { type filter hook prerouting priority raw; policy accept;\n"
	         "    iifname != \"lo\" ip daddr 127.0.0.0/8 counter drop comment \"moby#41872\"\n"
	         "  }\n"
	         "  chain nat_pre { type nat hook prerouting priority dstnat; policy accept;\n"
	         "    fib daddr type local counter jump publish\n"
	         "  }\n"
	         "  chain nat_out { type nat hook output priority -100; policy accept;\n"
	         "    fib daddr type local counter jump publish\n"
	         "  }\n"
	         "  chain publish {\n"
	         "    meta l4proto { tcp, udp } dnat ip to ip daddr . meta l4proto . th dport map "
	         "@pub_ip\n"
	         "    meta nfproto ipv4 meta l4proto { tcp, udp } dnat ip to meta l4proto . th "
	         "dport map @pub_any\n"
	         "  }\n"
	         "  chain nat_post { type nat hook postrouting priority srcnat; policy accept;\n"
	         "    ip saddr 127.0.0.0/8 oifname @bridges counter masquerade comment "
	         "\"loopback clients\"\n");
	for (size_t i = 0; i < n; i++) {
		char sub[20];
		ctr_cidr_str(&all[i].subnet, sub);
		strbuf_printf(&sb,
		              "    iifname \"%s\" oifname \"%s\" ct status dnat counter masquerade "
		              "comment \"hairpin %s\"\n",
		              all[i].bridge, all[i].bridge, all[i].name);
		if (!all[i].internal)
			strbuf_printf(
			    &sb,
			    "    ip saddr %s oifname != \"%s\" counter masquerade comment \"%s\"\n",
			    sub, all[i].bridge, all[i].name);
	}
	strbuf_puts(&sb,
	            "  }\n"
	            "  chain forward { type filter hook forward priority filter; policy accept;\n"
	            "    ct state established,related counter accept\n");
	for (size_t i = 0; i < n; i++) {
		const char *b = all[i].bridge;
		strbuf_printf(&sb,
		              "    iifname \"%s\" oifname != \"%s\" oifname @bridges counter drop "
		              "comment \"isolate %s\"\n",
		              b, b, all[i].name);
		if (all[i].internal)
			strbuf_printf(&sb,
			              "    iifname \"%s\" oifname != \"%s\" counter drop comment "
			              "\"internal\"\n"
			              "    oifname \"%s\" iifname != \"%s\" counter drop comment "
			              "\"internal\"\n",
			              b, b, b, b);
		strbuf_printf(&sb,
		              "    iifname \"%s\" counter accept\n"
		              "    oifname \"%s\" ct status dnat counter accept\n",
		              b, b);
	}
	strbuf_puts(&sb, "  }\n}\n");
	ctr_explain("nft", "containr's table, rebuilt atomically from the state (one batch)",
	            "table inet %s: %zu network(s)\n%s", t, n, sb.buf);
	ctr_debug("nft rebuild", "table", t, "batch", sb.buf);
	rc = ctr_nft_run(sb.buf, false, NULL, err);
	strbuf_release(&sb);
	strbuf_release(&any);
	strbuf_release(&ipk);
	for (size_t i = 0; i < n; i++)
		ctr_network_release(&all[i]);
	free(all);
	return rc;
}

/* The JSON way (libnftables in the plugin): the fallback of nft_ports(). */
static int nft_ports_json(const struct ctr_store *st, const struct ctr_net_lease *l, bool add,
                          struct ctr_err *err)
{
	cleanup_free char *t = ctr_net_table_name(st);
	cJSON *root = cJSON_CreateObject(), *cmds = cJSON_AddArrayToObject(root, "nftables");
	char ip[16], hip[16];
	char *batch;
	int rc;

	ctr_ip_str(l->ip, ip);
	for (size_t i = 0; i < l->nports; i++) {
		const struct ctr_port_map *m = &l->ports[i];
		cJSON *cmd = cJSON_CreateObject(), *el, *elems, *pair, *key, *kc, *val, *vc;
		el = cJSON_AddObjectToObject(cJSON_AddObjectToObject(cmd, add ? "add" : "delete"),
		                             "element");
		cJSON_AddStringToObject(el, "family", "inet");
		cJSON_AddStringToObject(el, "table", t);
		cJSON_AddStringToObject(el, "name", m->host_ip ? "pub_ip" : "pub_any");
		elems = cJSON_AddArrayToObject(el, "elem");
		key = cJSON_CreateObject();
		kc = cJSON_AddArrayToObject(key, "concat");
		if (m->host_ip) {
			ctr_ip_str(m->host_ip, hip);
			cJSON_AddItemToArray(kc, cJSON_CreateString(hip));
		}
		cJSON_AddItemToArray(kc, cJSON_CreateString(ctr_proto_name(m->proto)));
		cJSON_AddItemToArray(kc, cJSON_CreateNumber(m->host_port));
		if (add) {
			pair = cJSON_CreateArray();
			cJSON_AddItemToArray(pair, key);
			val = cJSON_CreateObject();
			vc = cJSON_AddArrayToObject(val, "concat");
			cJSON_AddItemToArray(vc, cJSON_CreateString(ip));
			cJSON_AddItemToArray(vc, cJSON_CreateNumber(m->ctr_port));
			cJSON_AddItemToArray(pair, val);
			cJSON_AddItemToArray(elems, pair);
		} else {
			cJSON_AddItemToArray(elems, key);
		}
		cJSON_AddItemToArray(cmds, cmd);
		ctr_explain("nft",
		            add ? "publish: one map element per port (DNAT)"
		                : "unpublish: the container's map element goes",
		            "%s element inet %s %s { %s%s%s . %u : %s . %u }",
		            add ? "add" : "delete", t, m->host_ip ? "pub_ip" : "pub_any",
		            m->host_ip ? hip : "", m->host_ip ? " . " : "",
		            ctr_proto_name(m->proto), m->host_port, ip, m->ctr_port);
	}
	batch = cJSON_PrintUnformatted(root);
	cJSON_Delete(root);
	ctr_debug("nft elements", "batch", batch);
	rc = ctr_nft_run(batch, true, NULL, err);
	free(batch);
	return rc;
}

/*
 * Elements through raw nfnetlink (libmnl, in the engine binary): a -p start
 * and its exit step then never load containr-ext.so.  Should the kernel
 * refuse the hand-made message for another reason than a missing table,
 * libnftables' JSON API does the same.
 */
int nft_ports(const struct ctr_store *st, const struct ctr_net_lease *l, bool add,
              struct ctr_err *err)
{
	cleanup_free char *t = ctr_net_table_name(st);
	struct nl_nft_elem *any = xcalloc(l->nports + 1, sizeof *any);
	struct nl_nft_elem *ipk = xcalloc(l->nports + 1, sizeof *ipk);
	size_t na = 0, ni = 0;
	char ip[16], hip[16];
	int rc = 0;

	ctr_ip_str(l->ip, ip);
	for (size_t i = 0; i < l->nports; i++) {
		const struct ctr_port_map *m = &l->ports[i];
		struct nl_nft_elem *e = m->host_ip ? &ipk[ni++] : &any[na++];
		uint32_t cip = htonl(l->ip), hipn = htonl(m->host_ip);
		uint16_t hp = htons(m->host_port), cp = htons(m->ctr_port);
		size_t k = 0;
		if (m->host_ip) {
			memcpy(e->key, &hipn, 4);
			k = 4;
		}
		e->key[k] = m->proto; /* inet_proto: 1 byte in a 4-byte register */
		memcpy(e->key + k + 4, &hp, 2);
		e->klen = k + 8;
		memcpy(e->data, &cip, 4);
		memcpy(e->data + 4, &cp, 2);
		e->dlen = 8;
		ctr_ip_str(m->host_ip, hip);
		ctr_explain("nft",
		            add ? "publish: one map element per port (DNAT), raw nfnetlink"
		                : "unpublish: the container's map element goes",
		            "%s element inet %s %s { %s%s%s . %u : %s . %u }",
		            add ? "add" : "delete", t, m->host_ip ? "pub_ip" : "pub_any",
		            m->host_ip ? hip : "", m->host_ip ? " . " : "",
		            ctr_proto_name(m->proto), m->host_port, ip, m->ctr_port);
	}
	if (na)
		rc = nl_nft_elems(t, "pub_any", add, any, na, err);
	if (rc == 0 && ni)
		rc = nl_nft_elems(t, "pub_ip", add, ipk, ni, err);
	free(any);
	free(ipk);
	if (rc < 0 && err->code == E_IO) {
		ctr_debug("raw nfnetlink elements refused, using libnftables", "error", err->msg);
		ctr_err_clear(err);
		return nft_ports_json(st, l, add, err);
	}
	return rc;
}

int nft_table_exists(const struct ctr_store *st, struct ctr_err *err)
{
	cleanup_free char *t = ctr_net_table_name(st);
	return nl_nft_table_exists(t, err);
}

int nft_list(const struct ctr_store *st, FILE *out, struct ctr_err *err)
{
	cleanup_free char *t = ctr_net_table_name(st);
	cleanup_free char *cmd = xasprintf("list table inet %s", t);
	char *text = NULL;
	int have = nl_nft_table_exists(t, err);

	if (have < 0)
		return -1;
	if (!have) {
		fprintf(out, "  table inet %s is MISSING: run `containr network reload`\n", t);
		return 0;
	}
	if (ctr_nft_run(cmd, false, &text, err) < 0)
		return -1;
	fputs(text, out);
	free(text);
	return 0;
}
