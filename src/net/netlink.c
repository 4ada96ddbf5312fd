/*
 * netlink.c - links, addresses and routes through rtnetlink (libmnl).
 *
 * libmnl rather than libnl-route-3: it is one 30 KiB library with no
 * dependencies, so the engine binary (which runs every `run`) can link it
 * at ~no load cost, and the few messages containr needs (bridge, veth,
 * address, route, link dump) are short to write by hand
 * (docs/NETWORK.md, "Libraries").
 *
 * Each step is one request with NLM_F_ACK; the kernel's error (errno) is
 * turned into a ctr_err naming the step.  The container side is configured
 * from inside its network namespace (setns and back; the caller is the
 * single-threaded monitor or CLI).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <libmnl/libmnl.h>
#include <net/if.h>
#include <linux/if_link.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "containr/log.h"
#include "net/net_int.h"

struct nl {
	struct mnl_socket *s;
	unsigned seq, portid;
};

static int nl_open(struct nl *nl, struct ctr_err *err)
{
	nl->s = mnl_socket_open(NETLINK_ROUTE);
	if (!nl->s)
		return ctr_fail_errno(err, E_IO, errno, "cannot open a netlink socket");
	if (mnl_socket_bind(nl->s, 0, MNL_SOCKET_AUTOPID) < 0) {
		int e = errno;
		mnl_socket_close(nl->s);
		return ctr_fail_errno(err, E_IO, e, "cannot bind a netlink socket");
	}
	nl->portid = mnl_socket_get_portid(nl->s);
	nl->seq = (unsigned)time(NULL);
	return 0;
}

static void nl_close(struct nl *nl)
{
	if (nl->s)
		mnl_socket_close(nl->s);
	nl->s = NULL;
}

/* Send one request and wait for its ACK; -errno on a kernel error. */
static int nl_talk(struct nl *nl, struct nlmsghdr *nlh)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	ssize_t r;

	nlh->nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = ++nl->seq;
	if (mnl_socket_sendto(nl->s, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	for (;;) {
		r = mnl_socket_recvfrom(nl->s, buf, sizeof buf);
		if (r < 0)
			return -errno;
		int rc = mnl_cb_run(buf, (size_t)r, nlh->nlmsg_seq, nl->portid, NULL, NULL);
		if (rc < 0)
			return -errno;
		if (rc == MNL_CB_STOP)
			return 0;
	}
}

static struct nlmsghdr *msg_link(char *buf, uint16_t type, uint16_t flags, int ifindex)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifinfomsg *ifm;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = flags;
	ifm = mnl_nlmsg_put_extra_header(nlh, sizeof *ifm);
	ifm->ifi_family = AF_UNSPEC;
	ifm->ifi_index = ifindex;
	return nlh;
}

static int link_up(struct nl *nl, int ifindex, const char *master, unsigned mtu)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = msg_link(buf, RTM_NEWLINK, 0, ifindex);
	struct ifinfomsg *ifm = mnl_nlmsg_get_payload(nlh);

	ifm->ifi_change = IFF_UP;
	ifm->ifi_flags = IFF_UP;
	if (mtu)
		mnl_attr_put_u32(nlh, IFLA_MTU, mtu);
	if (master)
		mnl_attr_put_u32(nlh, IFLA_MASTER, if_nametoindex(master));
	return nl_talk(nl, nlh);
}

static int addr_add(struct nl *nl, int ifindex, uint32_t ip, unsigned prefix)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifaddrmsg *ifa;
	uint32_t a = htonl(ip), bc = htonl(ip | ~ctr_cidr_mask(prefix));

	nlh->nlmsg_type = RTM_NEWADDR;
	nlh->nlmsg_flags = NLM_F_CREATE | NLM_F_REPLACE;
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof *ifa);
	ifa->ifa_family = AF_INET;
	ifa->ifa_prefixlen = (unsigned char)prefix;
	ifa->ifa_index = (unsigned)ifindex;
	mnl_attr_put(nlh, IFA_LOCAL, 4, &a);
	mnl_attr_put(nlh, IFA_ADDRESS, 4, &a);
	mnl_attr_put(nlh, IFA_BROADCAST, 4, &bc);
	return nl_talk(nl, nlh);
}

bool nl_link_exists(const char *name)
{
	return if_nametoindex(name) != 0;
}

int nl_bridge_ensure(const char *name, uint32_t gw, unsigned prefix, struct ctr_err *err)
{
	struct nl nl;
	char buf[MNL_SOCKET_BUFFER_SIZE], ip[16];
	int rc, idx;

	ctr_ip_str(gw, ip);
	if (nl_open(&nl, err) < 0)
		return -1;
	if (!nl_link_exists(name)) {
		struct nlmsghdr *nlh = msg_link(buf, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, 0);
		struct nlattr *li;
		ctr_explain("netlink", "the network's switch: containers' veths are its ports",
		            "RTM_NEWLINK %s type bridge mtu %d", name, NET_MTU);
		mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
		mnl_attr_put_u32(nlh, IFLA_MTU, NET_MTU);
		li = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
		mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "bridge");
		mnl_attr_nest_end(nlh, li);
		if ((rc = nl_talk(&nl, nlh)) < 0 && rc != -EEXIST) {
			nl_close(&nl);
			ctr_fail_errno(err, E_IO, -rc, "cannot create bridge %s", name);
			return ctr_hint(err, "creating a bridge needs root (CAP_NET_ADMIN)");
		}
	}
	idx = (int)if_nametoindex(name);
	ctr_explain("netlink", "the gateway address of the network, on the bridge",
	            "RTM_NEWADDR %s/%u dev %s", ip, prefix, name);
	if ((rc = addr_add(&nl, idx, gw, prefix)) < 0 && rc != -EEXIST) {
		nl_close(&nl);
		return ctr_fail_errno(err, E_IO, -rc, "cannot add address %s/%u to %s", ip, prefix,
		                      name);
	}
	ctr_explain("netlink", "bring the bridge up", "RTM_NEWLINK %s up", name);
	if ((rc = link_up(&nl, idx, NULL, 0)) < 0) {
		nl_close(&nl);
		return ctr_fail_errno(err, E_IO, -rc, "cannot bring %s up", name);
	}
	nl_close(&nl);
	return 0;
}

int nl_link_del(const char *name, struct ctr_err *err)
{
	struct nl nl;
	char buf[MNL_SOCKET_BUFFER_SIZE];
	int idx = (int)if_nametoindex(name), rc;

	if (idx == 0)
		return 0;
	if (nl_open(&nl, err) < 0)
		return -1;
	ctr_explain("netlink", "remove the device", "RTM_DELLINK %s", name);
	rc = nl_talk(&nl, msg_link(buf, RTM_DELLINK, 0, idx));
	nl_close(&nl);
	if (rc < 0 && rc != -ENODEV)
		return ctr_fail_errno(err, E_IO, -rc, "cannot delete link %s", name);
	return 0;
}

static int parse_mac(const char *s, unsigned char mac[6])
{
	unsigned v[6];
	if (sscanf(s, "%x:%x:%x:%x:%x:%x", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5]) != 6)
		return -1;
	for (int i = 0; i < 6; i++)
		mac[i] = (unsigned char)v[i];
	return 0;
}

/* Configure eth0 and lo inside the current netns. */
static int configure_inside(uint32_t ip, unsigned prefix, uint32_t gw, struct ctr_err *err)
{
	struct nl nl;
	char buf[MNL_SOCKET_BUFFER_SIZE], ips[16], gws[16];
	int idx = (int)if_nametoindex("eth0"), rc;
	struct nlmsghdr *nlh;
	struct rtmsg *rtm;
	uint32_t g = htonl(gw);

	ctr_ip_str(ip, ips);
	ctr_ip_str(gw, gws);
	if (idx == 0)
		return ctr_fail(err, E_RUNTIME, "eth0 did not appear in the container's netns");
	if (nl_open(&nl, err) < 0)
		return -1;
	ctr_explain("netlink", "the container's address (its lease)",
	            "[netns] RTM_NEWADDR %s/%u dev eth0", ips, prefix);
	if ((rc = addr_add(&nl, idx, ip, prefix)) < 0) {
		ctr_fail_errno(err, E_RUNTIME, -rc, "cannot set %s/%u on eth0", ips, prefix);
		goto out;
	}
	ctr_explain("netlink", "bring eth0 up", "[netns] RTM_NEWLINK eth0 up mtu %d", NET_MTU);
	if ((rc = link_up(&nl, idx, NULL, NET_MTU)) < 0) {
		ctr_fail_errno(err, E_RUNTIME, -rc, "cannot bring eth0 up");
		goto out;
	}
	ctr_explain("netlink", "everything off-subnet goes through the bridge's address",
	            "[netns] RTM_NEWROUTE default via %s dev eth0", gws);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_NEWROUTE;
	nlh->nlmsg_flags = NLM_F_CREATE | NLM_F_EXCL;
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof *rtm);
	rtm->rtm_family = AF_INET;
	rtm->rtm_table = RT_TABLE_MAIN;
	rtm->rtm_protocol = RTPROT_BOOT;
	rtm->rtm_scope = RT_SCOPE_UNIVERSE;
	rtm->rtm_type = RTN_UNICAST;
	mnl_attr_put(nlh, RTA_GATEWAY, 4, &g);
	mnl_attr_put_u32(nlh, RTA_OIF, (uint32_t)idx);
	if ((rc = nl_talk(&nl, nlh)) < 0 && rc != -EEXIST) {
		ctr_fail_errno(err, E_RUNTIME, -rc, "cannot add the default route via %s", gws);
		goto out;
	}
	rc = 0;
out:
	nl_close(&nl);
	return rc < 0 ? -1 : 0;
}

int nl_veth_attach(const char *host, const char *bridge, pid_t pid, uint32_t ip, unsigned prefix,
                   uint32_t gw, const char *mac, struct ctr_err *err)
{
	struct nl nl;
	char buf[MNL_SOCKET_BUFFER_SIZE], path[64];
	struct nlmsghdr *nlh;
	struct nlattr *li, *data, *peer;
	struct ifinfomsg *pifm;
	unsigned char hw[6];
	int rc, self = -1, target = -1;

	if (parse_mac(mac, hw) < 0)
		return ctr_fail(err, E_INTERNAL, "bad MAC address %s", mac);
	if (nl_open(&nl, err) < 0)
		return -1;
	ctr_explain("netlink", "a cable: one end on the bridge, the other in the container",
	            "RTM_NEWLINK %s type veth peer eth0 netns pid %d address %s", host, (int)pid,
	            mac);
	nlh = msg_link(buf, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, 0);
	mnl_attr_put_strz(nlh, IFLA_IFNAME, host);
	mnl_attr_put_u32(nlh, IFLA_MTU, NET_MTU);
	li = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "veth");
	data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	peer = mnl_attr_nest_start(nlh, VETH_INFO_PEER);
	pifm = mnl_nlmsg_put_extra_header(nlh, sizeof *pifm);
	pifm->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, "eth0");
	mnl_attr_put_u32(nlh, IFLA_NET_NS_PID, (uint32_t)pid);
	mnl_attr_put_u32(nlh, IFLA_MTU, NET_MTU);
	mnl_attr_put(nlh, IFLA_ADDRESS, 6, hw);
	mnl_attr_nest_end(nlh, peer);
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, li);
	if ((rc = nl_talk(&nl, nlh)) < 0) {
		nl_close(&nl);
		return ctr_fail_errno(err, E_RUNTIME, -rc, "cannot create veth %s", host);
	}
	ctr_explain("netlink", "plug the host end into the bridge", "RTM_NEWLINK %s master %s up",
	            host, bridge);
	if ((rc = link_up(&nl, (int)if_nametoindex(host), bridge, 0)) < 0) {
		nl_close(&nl);
		ctr_fail_errno(err, E_RUNTIME, -rc, "cannot attach %s to %s", host, bridge);
		goto undo;
	}
	nl_close(&nl);
	/* The container side: from inside its network namespace. */
	snprintf(path, sizeof path, "/proc/%d/ns/net", (int)pid);
	self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	target = open(path, O_RDONLY | O_CLOEXEC);
	if (self < 0 || target < 0) {
		ctr_fail_errno(err, E_RUNTIME, errno, "cannot open %s", path);
		goto undo;
	}
	ctr_explain("setns", "configure eth0 from inside the container's network namespace",
	            "setns(%s, CLONE_NEWNET)", path);
	if (setns(target, CLONE_NEWNET) < 0) {
		ctr_fail_errno(err, E_RUNTIME, errno, "cannot enter %s", path);
		goto undo;
	}
	rc = configure_inside(ip, prefix, gw, err);
	if (setns(self, CLONE_NEWNET) < 0) {
		/* Cannot happen for root; continuing would act in the wrong netns. */
		ctr_logerr("cannot return to the host network namespace", "error", strerror(errno));
		abort();
	}
	close(self);
	close(target);
	if (rc < 0)
		goto undo_quiet;
	return 0;
undo:
	if (self >= 0)
		close(self);
	if (target >= 0)
		close(target);
undo_quiet : {
	struct ctr_err e2;
	nl_link_del(host, &e2);
}
	return -1;
}

struct route_dump {
	struct ctr_cidr *v;
	size_t n;
};

static int route_cb(const struct nlmsghdr *nlh, void *data)
{
	struct route_dump *d = data;
	struct rtmsg *rtm = mnl_nlmsg_get_payload(nlh);
	struct nlattr *a;
	uint32_t dst = 0;

	if (rtm->rtm_family != AF_INET || rtm->rtm_type != RTN_UNICAST)
		return MNL_CB_OK;
	if (rtm->rtm_table != RT_TABLE_MAIN && rtm->rtm_table != RT_TABLE_UNSPEC)
		return MNL_CB_OK;
	if (rtm->rtm_dst_len == 0) /* the default route overlaps everything: skip */
		return MNL_CB_OK;
	mnl_attr_for_each(a, nlh, sizeof *rtm)
	{
		if (mnl_attr_get_type(a) == RTA_DST && mnl_attr_get_payload_len(a) == 4)
			dst = ntohl(mnl_attr_get_u32(a));
	}
	d->v = xrealloc(d->v, (d->n + 1) * sizeof *d->v);
	d->v[d->n].prefix = rtm->rtm_dst_len;
	d->v[d->n].addr = dst & ctr_cidr_mask(rtm->rtm_dst_len);
	d->n++;
	return MNL_CB_OK;
}

/* Send a dump request and run `cb` over every answer. */
static int nl_dump(struct nl *nl, struct nlmsghdr *nlh, mnl_cb_t cb, void *data)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	ssize_t r;
	int rc;

	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = ++nl->seq;
	if (mnl_socket_sendto(nl->s, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	do {
		r = mnl_socket_recvfrom(nl->s, buf, sizeof buf);
		if (r < 0)
			return -errno;
		rc = mnl_cb_run(buf, (size_t)r, nlh->nlmsg_seq, nl->portid, cb, data);
	} while (rc > MNL_CB_STOP);
	return rc < 0 ? -errno : 0;
}

int nl_route_dsts(struct ctr_cidr **v, size_t *n, struct ctr_err *err)
{
	struct nl nl;
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct rtmsg *rtm;
	struct route_dump d = {*v, *n};
	int rc;

	nlh->nlmsg_type = RTM_GETROUTE;
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof *rtm);
	rtm->rtm_family = AF_INET;
	if (nl_open(&nl, err) < 0)
		return -1;
	ctr_explain("netlink", "the host's routes: a new subnet must overlap none",
	            "RTM_GETROUTE dump (IPv4, main table)");
	rc = nl_dump(&nl, nlh, route_cb, &d);
	nl_close(&nl);
	*v = d.v;
	*n = d.n;
	if (rc < 0)
		return ctr_fail_errno(err, E_IO, -rc, "cannot list the host's routes");
	return 0;
}

/* ---- the live picture (network explain) -------------------------------- */

struct link_dump {
	FILE *out;
	int master; /* ifindex of the bridge, or 0 */
	int *idx;
	size_t n;
};

static int link_cb(const struct nlmsghdr *nlh, void *data)
{
	struct link_dump *d = data;
	struct ifinfomsg *ifm = mnl_nlmsg_get_payload(nlh);
	struct nlattr *a;
	const char *name = "?";
	unsigned mtu = 0, master = 0;
	char mac[18] = "";

	mnl_attr_for_each(a, nlh, sizeof *ifm)
	{
		switch (mnl_attr_get_type(a)) {
		case IFLA_IFNAME:
			name = mnl_attr_get_str(a);
			break;
		case IFLA_MTU:
			mtu = mnl_attr_get_u32(a);
			break;
		case IFLA_MASTER:
			master = mnl_attr_get_u32(a);
			break;
		case IFLA_ADDRESS:
			if (mnl_attr_get_payload_len(a) == 6) {
				const unsigned char *m = mnl_attr_get_payload(a);
				snprintf(mac, sizeof mac, "%02x:%02x:%02x:%02x:%02x:%02x", m[0],
				         m[1], m[2], m[3], m[4], m[5]);
			}
			break;
		}
	}
	if (ifm->ifi_index != d->master && (int)master != d->master)
		return MNL_CB_OK;
	char m[IF_NAMESIZE] = "";
	if (master)
		if_indextoname(master, m);
	fprintf(d->out, "  %d: %s  mtu %u  %s  %s%s%s\n", ifm->ifi_index, name, mtu, mac,
	        (ifm->ifi_flags & IFF_UP) ? "UP" : "DOWN", master ? "  port of " : "", m);
	return MNL_CB_OK;
}

static int addr_cb(const struct nlmsghdr *nlh, void *data)
{
	struct link_dump *d = data;
	struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);
	struct nlattr *a;
	char ip[16], name[IF_NAMESIZE] = "?";

	if (ifa->ifa_family != AF_INET || (int)ifa->ifa_index != d->master)
		return MNL_CB_OK;
	mnl_attr_for_each(a, nlh, sizeof *ifa)
	{
		if (mnl_attr_get_type(a) == IFA_LOCAL) {
			ctr_ip_str(ntohl(mnl_attr_get_u32(a)), ip);
			if_indextoname(ifa->ifa_index, name);
			fprintf(d->out, "  inet %s/%u dev %s\n", ip, ifa->ifa_prefixlen, name);
		}
	}
	return MNL_CB_OK;
}

int nl_dump_links(FILE *out, const char *master, struct ctr_err *err)
{
	struct nl nl;
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	struct link_dump d = {out, (int)if_nametoindex(master), NULL, 0};
	int rc;

	if (d.master == 0) {
		fprintf(out,
		        "  (bridge %s does not exist: `containr network reload` recreates it)\n",
		        master);
		return 0;
	}
	if (nl_open(&nl, err) < 0)
		return -1;
	nlh = msg_link(buf, RTM_GETLINK, 0, 0);
	rc = nl_dump(&nl, nlh, link_cb, &d);
	if (rc == 0) {
		struct ifaddrmsg *ifa;
		nlh = mnl_nlmsg_put_header(buf);
		nlh->nlmsg_type = RTM_GETADDR;
		ifa = mnl_nlmsg_put_extra_header(nlh, sizeof *ifa);
		ifa->ifa_family = AF_INET;
		rc = nl_dump(&nl, nlh, addr_cb, &d);
	}
	nl_close(&nl);
	if (rc < 0)
		return ctr_fail_errno(err, E_IO, -rc, "cannot dump links");
	return 0;
}

/* ---- nf_tables: does our table exist? (no libnftables needed) ---------- */

int nl_nft_table_exists(const char *table, struct ctr_err *err)
{
	struct mnl_socket *s = mnl_socket_open(NETLINK_NETFILTER);
	struct nl nl = {s, 0, 0};
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	struct nfgenmsg *nfg;
	int rc;

	if (!s)
		return ctr_fail_errno(err, E_IO, errno, "cannot open a netfilter netlink socket");
	if (mnl_socket_bind(s, 0, MNL_SOCKET_AUTOPID) < 0) {
		mnl_socket_close(s);
		return ctr_fail_errno(err, E_IO, errno, "cannot bind a netfilter netlink socket");
	}
	nl.portid = mnl_socket_get_portid(s);
	nl.seq = (unsigned)time(NULL);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = (NFNL_SUBSYS_NFTABLES << 8) | NFT_MSG_GETTABLE;
	nfg = mnl_nlmsg_put_extra_header(nlh, sizeof *nfg);
	nfg->nfgen_family = NFPROTO_INET;
	nfg->version = NFNETLINK_V0;
	mnl_attr_put_strz(nlh, NFTA_TABLE_NAME, table);
	rc = nl_talk(&nl, nlh);
	nl_close(&nl);
	if (rc == -ENOENT)
		return 0;
	if (rc < 0)
		return ctr_fail_errno(err, E_IO, -rc, "cannot query nftables table inet %s", table);
	return 1;
}

/* ---- nf_tables: map elements without libnftables ------------------------ */

static void put_nest_value(struct nlmsghdr *nlh, uint16_t type, const void *v, size_t len)
{
	struct nlattr *n = mnl_attr_nest_start(nlh, type);
	mnl_attr_put(nlh, NFTA_DATA_VALUE, len, v);
	mnl_attr_nest_end(nlh, n);
}

int nl_nft_elems(const char *table, const char *set, bool add, const struct nl_nft_elem *v,
                 size_t n, struct ctr_err *err)
{
	struct mnl_socket *s;
	char *buf;
	size_t cap = MNL_SOCKET_BUFFER_SIZE + n * 128;
	struct nlmsghdr *nlh;
	struct nfgenmsg *nfg;
	struct nlattr *list;
	unsigned seq = (unsigned)time(NULL), eseq, portid;
	size_t off = 0;
	int rc = 0;

	if (n == 0)
		return 0;
	s = mnl_socket_open(NETLINK_NETFILTER);
	if (!s)
		return ctr_fail_errno(err, E_IO, errno, "cannot open a netfilter netlink socket");
	if (mnl_socket_bind(s, 0, MNL_SOCKET_AUTOPID) < 0) {
		mnl_socket_close(s);
		return ctr_fail_errno(err, E_IO, errno, "cannot bind a netfilter netlink socket");
	}
	portid = mnl_socket_get_portid(s);
	buf = xcalloc(1, cap);
	/* One transaction: BATCH_BEGIN, NEWSETELEM|DELSETELEM, BATCH_END. */
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = NFNL_MSG_BATCH_BEGIN;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	nlh->nlmsg_seq = seq++;
	nfg = mnl_nlmsg_put_extra_header(nlh, sizeof *nfg);
	nfg->nfgen_family = AF_UNSPEC;
	nfg->version = NFNETLINK_V0;
	nfg->res_id = htons(NFNL_SUBSYS_NFTABLES);
	off += nlh->nlmsg_len;

	nlh = mnl_nlmsg_put_header(buf + off);
	nlh->nlmsg_type =
	    (NFNL_SUBSYS_NFTABLES << 8) | (add ? NFT_MSG_NEWSETELEM : NFT_MSG_DELSETELEM);
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | (add ? NLM_F_CREATE : 0);
	eseq = seq++;
	nlh->nlmsg_seq = eseq;
	nfg = mnl_nlmsg_put_extra_header(nlh, sizeof *nfg);
	nfg->nfgen_family = NFPROTO_INET;
	nfg->version = NFNETLINK_V0;
	mnl_attr_put_strz(nlh, NFTA_SET_ELEM_LIST_TABLE, table);
	mnl_attr_put_strz(nlh, NFTA_SET_ELEM_LIST_SET, set);
	list = mnl_attr_nest_start(nlh, NFTA_SET_ELEM_LIST_ELEMENTS);
	for (size_t i = 0; i < n; i++) {
		struct nlattr *el = mnl_attr_nest_start(nlh, NFTA_LIST_ELEM);
		put_nest_value(nlh, NFTA_SET_ELEM_KEY, v[i].key, v[i].klen);
		if (add)
			put_nest_value(nlh, NFTA_SET_ELEM_DATA, v[i].data, v[i].dlen);
		mnl_attr_nest_end(nlh, el);
	}
	mnl_attr_nest_end(nlh, list);
	off += nlh->nlmsg_len;

	nlh = mnl_nlmsg_put_header(buf + off);
	nlh->nlmsg_type = NFNL_MSG_BATCH_END;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	nlh->nlmsg_seq = seq++;
	nfg = mnl_nlmsg_put_extra_header(nlh, sizeof *nfg);
	nfg->nfgen_family = AF_UNSPEC;
	nfg->version = NFNETLINK_V0;
	nfg->res_id = htons(NFNL_SUBSYS_NFTABLES);
	off += nlh->nlmsg_len;

	if (mnl_socket_sendto(s, buf, off) < 0) {
		rc = -errno;
	} else {
		char rbuf[MNL_SOCKET_BUFFER_SIZE];
		for (;;) {
			ssize_t r = mnl_socket_recvfrom(s, rbuf, sizeof rbuf);
			if (r < 0) {
				rc = -errno;
				break;
			}
			int cb = mnl_cb_run(rbuf, (size_t)r, eseq, portid, NULL, NULL);
			if (cb < 0) {
				rc = -errno;
				break;
			}
			if (cb == MNL_CB_STOP)
				break;
		}
	}
	free(buf);
	mnl_socket_close(s);
	if (rc == -ENOENT && !add)
		return 0; /* already gone */
	if (rc == -ENOENT) {
		ctr_fail(err, E_CONFLICT, "nftables table inet %s (or its map %s) is missing",
		         table, set);
		return ctr_hint(err, "the ruleset was flushed: run `containr network reload`");
	}
	if (rc < 0)
		return ctr_fail_errno(err, E_IO, -rc, "cannot %s elements of inet %s %s",
		                      add ? "add" : "delete", table, set);
	return 0;
}
