/*
 * network.h - container networks: addresses and IPAM, -p parsing, the
 * network objects (bridge, subnet, leases), their host plumbing (netlink,
 * nftables) and the per-container attach/detach the runtime calls.
 *
 * Model (docs/NETWORK.md): a network is a Linux bridge with a subnet; a
 * container on it gets a veth pair (host side on the bridge, `eth0` in its
 * network namespace) and a lease (an address of the subnet) recorded in
 * networks/<id>/leases.json under the network's lock.  NAT, isolation and
 * published ports live in one nftables table per state root, rebuilt from
 * the state on `network create|rm|reload`; published ports are elements of
 * its maps, added and removed per container.
 *
 * Addresses are IPv4, kept in host byte order.
 */
#ifndef CONTAINR_NETWORK_H
#define CONTAINR_NETWORK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>
#include <cjson/cJSON.h>

#include "containr/error.h"
#include "containr/store.h"
#include "containr/util.h"

/* ---- addresses and IPAM (pure functions) ------------------------------- */

struct ctr_cidr {
	uint32_t addr;   /* network address, host order, masked */
	unsigned prefix; /* 0..32 */
};

/* "a.b.c.d" -> host-order address; -1 if malformed. */
int ctr_ip_parse(const char *s, uint32_t *out);
void ctr_ip_str(uint32_t ip, char buf[16]);
/* "a.b.c.d/n": the address must be the network address (host bits zero),
 * prefix 8..30.  E_INVALID_ARG with a hint otherwise. */
int ctr_cidr_parse(const char *s, struct ctr_cidr *out, struct ctr_err *err);
void ctr_cidr_str(const struct ctr_cidr *c, char buf[20]);
uint32_t ctr_cidr_mask(unsigned prefix);
bool ctr_cidr_contains(const struct ctr_cidr *c, uint32_t ip);
bool ctr_cidr_overlaps(const struct ctr_cidr *a, const struct ctr_cidr *b);

/*
 * The lowest host address of `net` that is not the network or broadcast
 * address, not `gateway` and not in `used`.  E_CONFLICT ("subnet is full")
 * when none is left.
 */
int ctr_ipam_pick(const struct ctr_cidr *net, uint32_t gateway, const uint32_t *used, size_t nused,
                  uint32_t *out, struct ctr_err *err);
/*
 * The first subnet of containr's pool (10.88.0.0/16 ... 10.99.0.0/16, then
 * 172.18.0.0/16 ... 172.31.0.0/16, then 192.168.N.0/24) that overlaps none
 * of `taken` (host routes and existing networks).  E_CONFLICT when the pool
 * is exhausted.
 */
int ctr_subnet_pick(const struct ctr_cidr *taken, size_t ntaken, struct ctr_cidr *out,
                    struct ctr_err *err);

/* ---- -p / --publish ---------------------------------------------------- */

enum { CTR_PROTO_TCP = 6, CTR_PROTO_UDP = 17 };

struct ctr_port_map {
	uint32_t host_ip;   /* 0: every host address */
	uint16_t host_port; /* 0: pick a free one at start */
	uint16_t ctr_port;
	uint8_t proto; /* CTR_PROTO_TCP or CTR_PROTO_UDP */
};

/*
 * Parse one -p value, [IP:][HOSTPORT[-END]:]CPORT[-END][/tcp|udp], into one
 * entry per port (a range becomes several entries).  A host range must
 * have the container range's length (or the container side is one port and
 * the host range is a choice: not supported, E_INVALID_ARG).  Appends to
 * *v / *n (realloc'd; the caller frees *v).
 */
int ctr_publish_parse(const char *spec, struct ctr_port_map **v, size_t *n, struct ctr_err *err);
/* "tcp"/"udp" for a protocol number. */
const char *ctr_proto_name(uint8_t proto);

/* ---- networks ---------------------------------------------------------- */

#define CTR_NET_DEFAULT "bridge"

struct ctr_network {
	char id[65];
	char *name;
	char *bridge; /* Linux bridge device */
	struct ctr_cidr subnet;
	uint32_t gateway; /* the bridge's address */
	bool internal;    /* no masquerade, no traffic out of the bridge */
	int64_t created;  /* ns since the epoch */
	cJSON *labels;    /* object, may be NULL */
};
void ctr_network_release(struct ctr_network *n);

struct ctr_network_opts {
	const char *name;
	const char *subnet;  /* NULL: pick from the pool */
	const char *gateway; /* NULL: first host address */
	const char *driver;  /* NULL or "bridge" */
	bool internal;
	const struct strv *labels; /* KEY=VALUE */
};

/* Create a network: state, bridge device, nft table.  Nothing is left on failure. */
int ctr_network_create(const struct ctr_store *st, const struct ctr_network_opts *o,
                       char id_out[65], struct ctr_err *err);
/* The default network `bridge` (created on first use). */
int ctr_network_ensure_default(const struct ctr_store *st, struct ctr_err *err);
/* Resolve a name, id or id prefix and load the network. */
int ctr_network_get(const struct ctr_store *st, const char *query, struct ctr_network *out,
                    struct ctr_err *err);
/* All network ids (the default network is created first). */
int ctr_network_list(const struct ctr_store *st, struct strv *ids, struct ctr_err *err);
/* Docker's `network inspect` object (with Containers). */
int ctr_network_inspect(const struct ctr_store *st, const char *query, cJSON **out,
                        struct ctr_err *err);
/* Remove: E_CONFLICT while a container holds a lease; `bridge` is refused. */
int ctr_network_remove(const struct ctr_store *st, const char *query, struct ctr_err *err);
/* Remove every user network without leases; names in `removed`. */
int ctr_network_prune(const struct ctr_store *st, struct strv *removed, struct ctr_err *err);
/* Recreate bridges and the nft table (rules and published ports) from the state. */
int ctr_network_reload(const struct ctr_store *st, struct ctr_err *err);
/* Remove every network of this root with its bridge, and the root's nft
 * table (tests, uninstall).  Containers must be gone first (E_CONFLICT). */
int ctr_network_purge(const struct ctr_store *st, struct ctr_err *err);
/* Print the live picture of a network or a container's network to `out`. */
int ctr_network_explain(const struct ctr_store *st, const char *query, FILE *out,
                        struct ctr_err *err);
/* Number of leases (containers attached) of a network; -1 on error. */
int ctr_network_users(const struct ctr_store *st, const char *id, struct ctr_err *err);

/* ---- containers -------------------------------------------------------- */

struct ctr_net_lease {
	char network_id[65];
	char *network; /* name */
	char *bridge;
	uint32_t ip, gateway;
	unsigned prefix;
	char mac[18];
	char veth[16]; /* host side */
	struct ctr_port_map *ports;
	size_t nports;
};
void ctr_net_lease_release(struct ctr_net_lease *l);

/*
 * Reserve an address for container `ctr_id` on network `net` (the
 * requested `ip` if not 0) and resolve the published ports (random host
 * ports chosen, each host port checked free by binding it).  Writes the
 * lease; nothing is plumbed yet.  E_CONFLICT (address or port in use),
 * E_INVALID_ARG (ip outside the subnet).
 */
int ctr_net_lease_take(const struct ctr_store *st, const char *net, const char *ctr_id, uint32_t ip,
                       const struct ctr_port_map *ports, size_t nports, struct ctr_net_lease *out,
                       struct ctr_err *err);
/* The lease of a container on its network, E_NOT_FOUND if none. */
int ctr_net_lease_find(const struct ctr_store *st, const char *ctr_id, struct ctr_net_lease *out,
                       struct ctr_err *err);
/*
 * Make the host side ready for a lease (in the CLI, before the monitor):
 * the bridge (recreated if missing: reboot), ip_forward, the nft table
 * (rebuilt from the state if missing, saying so on stderr).
 */
int ctr_net_prepare(const struct ctr_store *st, const struct ctr_net_lease *l, struct ctr_err *err);
/*
 * Plumb a lease into the network namespace of `pid` (the monitor, before
 * the init runs): veth pair, eth0 address/MTU/up, default route, nft
 * elements for the ports.  On failure what was made is undone.
 */
int ctr_net_attach(const struct ctr_store *st, const struct ctr_net_lease *l, pid_t pid,
                   struct ctr_err *err);
/*
 * Release everything of container `ctr_id`: nft elements, host veth (if
 * still there), the lease.  Idempotent; a container without a lease is 0.
 */
int ctr_net_detach(const struct ctr_store *st, const char *ctr_id, struct ctr_err *err);
/*
 * Release the leases of containers that no longer run (their monitor was
 * SIGKILLed and never recorded the exit).  `running(id, ud)` decides.
 */
int ctr_net_reconcile(const struct ctr_store *st, bool (*running)(const char *id, void *ud),
                      void *ud, struct ctr_err *err);

/* The same with the runtime's notion of running (the container module). */
int ctr_net_reconcile_containers(const struct ctr_store *st);
/*
 * The lease (with resolved published ports) of a running container; an
 * empty lease (nports 0, ip 0) for a stopped one or one without a network.
 */
int ctr_container_ports(const struct ctr_store *st, const char *query, struct ctr_net_lease *out,
                        struct ctr_err *err);

/* The nft table name of this state root ("containr" for the default root). */
char *ctr_net_table_name(const struct ctr_store *st);

#endif
