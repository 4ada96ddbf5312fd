/*
 * publish.c - the -p/--publish parser: [IP:][HOSTPORT[-END]:]CPORT[-END][/PROTO].
 *
 * A range expands to one entry per port: the firewall holds them as
 * elements of one map (docs/NETWORK.md), never as one rule per port.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "containr/network.h"

const char *ctr_proto_name(uint8_t proto)
{
	return proto == CTR_PROTO_UDP ? "udp" : "tcp";
}

#define PUBLISH_HINT                                                                               \
	"use [IP:][HOSTPORT:]CPORT[/tcp|udp], e.g. -p 8080:80 or -p 127.0.0.1:8000-8001:80-81/udp"

/* "N" or "N-M" (1..65535); a missing part is -1. */
static int parse_range(const char *s, size_t len, long *lo, long *hi)
{
	char buf[16];
	char *end;
	const char *dash;

	if (len == 0 || len >= sizeof buf)
		return -1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	if (buf[0] < '0' || buf[0] > '9')
		return -1;
	*lo = strtol(buf, &end, 10);
	dash = end;
	if (*dash == '-') {
		if (dash[1] < '0' || dash[1] > '9')
			return -1;
		*hi = strtol(dash + 1, &end, 10);
	} else {
		*hi = *lo;
	}
	if (*end || *lo < 1 || *lo > 65535 || *hi < *lo || *hi > 65535)
		return -1;
	return 0;
}

int ctr_publish_parse(const char *spec, struct ctr_port_map **v, size_t *n, struct ctr_err *err)
{
	const char *slash = strrchr(spec, '/');
	size_t body_len = slash ? (size_t)(slash - spec) : strlen(spec);
	uint8_t proto = CTR_PROTO_TCP;
	uint32_t hip = 0;
	long hlo = 0, hhi = 0, clo, chi;
	const char *parts[3];
	size_t lens[3], np = 0;

	if (slash) {
		if (!strcmp(slash + 1, "tcp"))
			proto = CTR_PROTO_TCP;
		else if (!strcmp(slash + 1, "udp"))
			proto = CTR_PROTO_UDP;
		else {
			ctr_fail(err, E_INVALID_ARG,
			         "invalid publish \"%s\": unknown protocol \"%s\"", spec,
			         slash + 1);
			return ctr_hint(err, "the protocol is tcp or udp (sctp is not supported)");
		}
	}
	/* Split on ':' (at most 3 parts: ip, host port, container port). */
	for (const char *p = spec, *end = spec + body_len; np < 3;) {
		const char *c = memchr(p, ':', (size_t)(end - p));
		parts[np] = p;
		lens[np++] = c ? (size_t)(c - p) : (size_t)(end - p);
		if (!c)
			break;
		p = c + 1;
		if (np == 3) {
			ctr_fail(err, E_INVALID_ARG, "invalid publish \"%s\": too many ':'", spec);
			return ctr_hint(err, "%s (IPv6 host addresses are not supported yet)",
			                PUBLISH_HINT);
		}
	}
	if (parse_range(parts[np - 1], lens[np - 1], &clo, &chi) < 0) {
		ctr_fail(err, E_INVALID_ARG, "invalid publish \"%s\": bad container port", spec);
		return ctr_hint(err, PUBLISH_HINT);
	}
	if (np >= 2 && lens[np - 2] > 0 &&
	    parse_range(parts[np - 2], lens[np - 2], &hlo, &hhi) < 0) {
		ctr_fail(err, E_INVALID_ARG, "invalid publish \"%s\": bad host port", spec);
		return ctr_hint(err, PUBLISH_HINT);
	}
	if (np == 3 && lens[0] > 0) {
		char ip[16];
		if (lens[0] >= sizeof ip || (memcpy(ip, parts[0], lens[0]), ip[lens[0]] = '\0',
		                             ctr_ip_parse(ip, &hip) < 0)) {
			ctr_fail(err, E_INVALID_ARG, "invalid publish \"%s\": bad host address",
			         spec);
			return ctr_hint(err, PUBLISH_HINT);
		}
	}
	if (hlo && hhi - hlo != chi - clo) {
		ctr_fail(err, E_INVALID_ARG,
		         "invalid publish \"%s\": host range and container range differ in length",
		         spec);
		return ctr_hint(err, "give ranges of the same size, e.g. 8000-8009:80-89");
	}
	size_t count = (size_t)(chi - clo + 1);
	*v = xrealloc(*v, (*n + count) * sizeof **v);
	for (size_t i = 0; i < count; i++) {
		struct ctr_port_map *m = &(*v)[(*n)++];
		m->host_ip = hip;
		m->host_port = hlo ? (uint16_t)(hlo + (long)i) : 0;
		m->ctr_port = (uint16_t)(clo + (long)i);
		m->proto = proto;
	}
	return 0;
}
