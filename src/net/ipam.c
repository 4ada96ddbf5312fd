/*
 * ipam.c - IPv4 addresses, subnets, the subnet pool and address picking.
 *
 * Pure functions over host-order addresses: the network module calls them
 * under the network's lock with the leases it read, so allocation is
 * serialised by the lock, not here (docs/NETWORK.md, "IPAM").
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "containr/network.h"

int ctr_ip_parse(const char *s, uint32_t *out)
{
	struct in_addr a;
	unsigned dots = 0;

	if (!s || !*s)
		return -1;
	for (const char *p = s; *p; p++) {
		if (*p == '.')
			dots++;
		else if (*p < '0' || *p > '9')
			return -1;
	}
	if (dots != 3 || inet_pton(AF_INET, s, &a) != 1)
		return -1;
	*out = ntohl(a.s_addr);
	return 0;
}

void ctr_ip_str(uint32_t ip, char buf[16])
{
	snprintf(buf, 16, "%u.%u.%u.%u", ip >> 24, (ip >> 16) & 255, (ip >> 8) & 255, ip & 255);
}

uint32_t ctr_cidr_mask(unsigned prefix)
{
	return prefix == 0 ? 0 : prefix >= 32 ? 0xffffffffu : ~((1u << (32 - prefix)) - 1);
}

int ctr_cidr_parse(const char *s, struct ctr_cidr *out, struct ctr_err *err)
{
	const char *slash = s ? strchr(s, '/') : NULL;
	char ipbuf[16];
	char *end;
	unsigned long pfx;
	uint32_t ip;

	if (!slash || (size_t)(slash - s) >= sizeof ipbuf) {
		ctr_fail(err, E_INVALID_ARG, "invalid subnet \"%s\"", s ? s : "");
		return ctr_hint(err, "give an IPv4 subnet in CIDR form, e.g. 10.90.0.0/16");
	}
	memcpy(ipbuf, s, (size_t)(slash - s));
	ipbuf[slash - s] = '\0';
	pfx = strtoul(slash + 1, &end, 10);
	if (ctr_ip_parse(ipbuf, &ip) < 0 || !slash[1] || *end || pfx > 32) {
		ctr_fail(err, E_INVALID_ARG, "invalid subnet \"%s\"", s);
		return ctr_hint(err, "give an IPv4 subnet in CIDR form, e.g. 10.90.0.0/16");
	}
	if (pfx < 8 || pfx > 30) {
		ctr_fail(err, E_INVALID_ARG, "subnet %s: prefix /%lu is out of range", s, pfx);
		return ctr_hint(err, "use a prefix between /8 and /30");
	}
	if (ip & ~ctr_cidr_mask((unsigned)pfx)) {
		char net[16];
		ctr_ip_str(ip & ctr_cidr_mask((unsigned)pfx), net);
		ctr_fail(err, E_INVALID_ARG, "subnet %s has host bits set", s);
		return ctr_hint(err, "did you mean %s/%lu?", net, pfx);
	}
	out->addr = ip;
	out->prefix = (unsigned)pfx;
	return 0;
}

void ctr_cidr_str(const struct ctr_cidr *c, char buf[20])
{
	char ip[16];
	ctr_ip_str(c->addr, ip);
	snprintf(buf, 20, "%s/%u", ip, c->prefix);
}

bool ctr_cidr_contains(const struct ctr_cidr *c, uint32_t ip)
{
	return (ip & ctr_cidr_mask(c->prefix)) == c->addr;
}

bool ctr_cidr_overlaps(const struct ctr_cidr *a, const struct ctr_cidr *b)
{
	unsigned p = a->prefix < b->prefix ? a->prefix : b->prefix;
	uint32_t m = ctr_cidr_mask(p);
	return (a->addr & m) == (b->addr & m);
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

int ctr_ipam_pick(const struct ctr_cidr *net, uint32_t gateway, const uint32_t *used, size_t nused,
                  uint32_t *out, struct ctr_err *err)
{
	uint32_t first = net->addr + 1;
	uint32_t last = (net->addr | ~ctr_cidr_mask(net->prefix)) - 1; /* before broadcast */
	uint32_t *sorted = NULL;
	size_t i = 0;
	char buf[20];

	if (nused) {
		sorted = xmalloc(nused * sizeof *sorted);
		memcpy(sorted, used, nused * sizeof *sorted);
		qsort(sorted, nused, sizeof *sorted, cmp_u32);
	}
	for (uint32_t ip = first; ip <= last && ip >= first; ip++) {
		while (i < nused && sorted[i] < ip)
			i++;
		if (ip == gateway || (i < nused && sorted[i] == ip))
			continue;
		free(sorted);
		*out = ip;
		return 0;
	}
	free(sorted);
	ctr_cidr_str(net, buf);
	ctr_fail(err, E_CONFLICT, "no free address left in subnet %s", buf);
	return ctr_hint(err, "remove containers from this network, or create a network with a "
	                     "larger --subnet");
}

int ctr_subnet_pick(const struct ctr_cidr *taken, size_t ntaken, struct ctr_cidr *out,
                    struct ctr_err *err)
{
	struct ctr_cidr cand;

	for (unsigned k = 0; k < 12 + 14 + 256; k++) {
		if (k < 12) /* 10.88.0.0/16 .. 10.99.0.0/16 (podman's default first) */
			cand = (struct ctr_cidr){(10u << 24) | ((88u + k) << 16), 16};
		else if (k < 26) /* 172.18.0.0/16 .. 172.31.0.0/16 (Docker's user range) */
			cand = (struct ctr_cidr){(172u << 24) | ((18u + k - 12) << 16), 16};
		else /* 192.168.N.0/24 */
			cand = (struct ctr_cidr){(192u << 24) | (168u << 16) | ((k - 26) << 8), 24};
		bool clash = false;
		for (size_t i = 0; i < ntaken && !clash; i++)
			clash = ctr_cidr_overlaps(&cand, &taken[i]);
		if (!clash) {
			*out = cand;
			return 0;
		}
	}
	ctr_fail(err, E_CONFLICT,
	         "every subnet of containr's pool overlaps a host route or network");
	return ctr_hint(err, "give one explicitly: containr network create --subnet CIDR NAME");
}
