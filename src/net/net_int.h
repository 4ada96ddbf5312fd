/*
 * net_int.h - inside the network module: netlink (libmnl), sysctls, the
 * nftables ruleset builder, and the state helpers shared by its files.
 */
#ifndef CONTAINR_NET_INT_H
#define CONTAINR_NET_INT_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "containr/network.h"

#define NET_MTU 1500

/* ---- netlink.c (libmnl) ------------------------------------------------- */
/* Create bridge `name` with gateway/prefix, up; idempotent (an existing
 * bridge gets the address if it lacks it). */
int nl_bridge_ensure(const char *name, uint32_t gw, unsigned prefix, struct ctr_err *err);
/* Delete a link; a missing link is not an error. */
int nl_link_del(const char *name, struct ctr_err *err);
bool nl_link_exists(const char *name);
/* veth pair `host` (on `bridge`, up) and eth0 in the netns of `pid`
 * (address ip/prefix, MAC `mac`, up, default route via gw, lo up). */
int nl_veth_attach(const char *host, const char *bridge, pid_t pid, uint32_t ip, unsigned prefix,
                   uint32_t gw, const char *mac, struct ctr_err *err);
/* IPv4 routes of the main table (destinations), to avoid overlapping subnets. */
int nl_route_dsts(struct ctr_cidr **v, size_t *n, struct ctr_err *err);
/* Print links, addresses and routes (`ip`-like) of the current netns
 * matching `filter` (a link name prefix, or NULL for all) to `out`. */
int nl_dump_links(FILE *out, const char *master, struct ctr_err *err);

/* 1 if table `inet <table>` exists, 0 if not, -1 on error (nfnetlink). */
int nl_nft_table_exists(const char *table, struct ctr_err *err);

/* One map element in kernel layout: each concatenated field padded to 4 bytes. */
struct nl_nft_elem {
	unsigned char key[12], data[8];
	size_t klen, dlen;
};
/* Add (or delete) elements of map `set` in table inet `table` in one
 * nfnetlink transaction; deleting a missing element is not an error. */
int nl_nft_elems(const char *table, const char *set, bool add, const struct nl_nft_elem *v,
                 size_t n, struct ctr_err *err);

/* ---- sysctl.c ----------------------------------------------------------- */
/* Write /proc/sys/<key> (dots become '/') if different; explain old -> new;
 * the old value is returned in old (may be NULL). */
int net_sysctl_set(const char *key, const char *val, char *old, size_t oldlen, struct ctr_err *err);

/* ---- nft.c -------------------------------------------------------------- */
/* Rebuild the whole table from state (networks + leases). */
int nft_rebuild(const struct ctr_store *st, struct ctr_err *err);
/* Add/delete the map elements of a lease's published ports. */
int nft_ports(const struct ctr_store *st, const struct ctr_net_lease *l, bool add,
              struct ctr_err *err);
/* Does the table exist? (-1 on error). */
int nft_table_exists(const struct ctr_store *st, struct ctr_err *err);
/* Print the table (with counters) to `out`. */
int nft_list(const struct ctr_store *st, FILE *out, struct ctr_err *err);

/* ---- network.c ---------------------------------------------------------- */
/* Host-wide lock (subnet choice, bridge creation, the nft table). */
int net_host_lock(struct ctr_err *err);
/* Every network's state (the caller releases each and frees the array). */
int net_load_all(const struct ctr_store *st, struct ctr_network **v, size_t *n,
                 struct ctr_err *err);
/* The leases of a network as a JSON object ip -> lease (owned by caller). */
int net_leases_load(const struct ctr_store *st, const char *id, cJSON **out, struct ctr_err *err);
/* Fill a lease from its JSON record. */
void net_lease_from_json(struct ctr_net_lease *l, const struct ctr_network *n, const char *ip,
                         const cJSON *j);

#endif
