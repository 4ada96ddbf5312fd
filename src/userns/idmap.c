/*
 * idmap.c - ID maps as values: --uidmap/--gidmap specs, the kernel's
 * uid_map text, the string kept in config.json, /etc/subuid parsing and
 * the --userns mode words.
 *
 * A map is a short array of (inside, outside, count) ranges.  Each
 * addition is checked against what is already there, so a map that
 * exists is always one the kernel accepts (no overlap on either side, no
 * wrap past 2^32-1).  docs/USERNS.md has the model.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "containr/userns.h"
#include "containr/util.h"

static bool ranges_overlap(uint64_t a, uint64_t an, uint64_t b, uint64_t bn)
{
	return a < b + bn && b < a + an;
}

int ctr_idmap_add(struct ctr_idmap *m, uint32_t inside, uint32_t outside, uint32_t count,
                  const char *flag, struct ctr_err *err)
{
	if (count == 0)
		return ctr_fail(err, E_INVALID_ARG, "%s %u:%u:0: the size must be at least 1", flag,
		                inside, outside),
		       ctr_hint(err, "write CONTAINER:HOST:SIZE, e.g. %s 0:100000:65536", flag);
	if ((uint64_t)inside + count > CTR_ID_LIMIT || (uint64_t)outside + count > CTR_ID_LIMIT)
		return ctr_fail(err, E_INVALID_ARG,
		                "%s %u:%u:%u: the range passes the last ID %llu", flag, inside,
		                outside, count, CTR_ID_LIMIT - 1),
		       ctr_hint(err, "IDs are 32 bit: START+SIZE must stay at or below %llu",
		                CTR_ID_LIMIT);
	for (size_t i = 0; i < m->n; i++) {
		const struct ctr_idmap_entry *o = &m->e[i];
		bool in = ranges_overlap(inside, count, o->inside, o->count);
		if (in || ranges_overlap(outside, count, o->outside, o->count))
			return ctr_fail(err, E_INVALID_ARG,
			                "%s %u:%u:%u overlaps %u:%u:%u on the %s side", flag,
			                inside, outside, count, o->inside, o->outside, o->count,
			                in ? "container" : "host"),
			       ctr_hint(err,
			                "each ID may appear once in a map, inside and outside");
	}
	if (m->n >= CTR_IDMAP_MAX)
		return ctr_fail(err, E_INVALID_ARG, "%s: at most %d ranges", flag, CTR_IDMAP_MAX),
		       ctr_hint(err, "merge adjacent ranges into one");
	m->e[m->n++] = (struct ctr_idmap_entry){inside, outside, count};
	return 0;
}

/* A decimal uint32 that fills [s, end); false if not. */
static bool parse_u32(const char *s, const char *end, uint32_t *out)
{
	uint64_t v = 0;
	if (s == end || end - s > 10)
		return false;
	for (const char *p = s; p < end; p++) {
		if (*p < '0' || *p > '9')
			return false;
		v = v * 10 + (uint64_t)(*p - '0');
	}
	if (v > UINT32_MAX)
		return false;
	*out = (uint32_t)v;
	return true;
}

int ctr_idmap_add_spec(struct ctr_idmap *m, const char *spec, const char *flag, struct ctr_err *err)
{
	const char *c1 = strchr(spec, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
	uint32_t in, out, n;

	if (!c1 || !c2 || !parse_u32(spec, c1, &in) || !parse_u32(c1 + 1, c2, &out) ||
	    !parse_u32(c2 + 1, c2 + strlen(c2), &n))
		return ctr_fail(err, E_INVALID_ARG, "%s %s: expected CONTAINER:HOST:SIZE", flag,
		                spec),
		       ctr_hint(err, "three decimal numbers, e.g. %s 0:100000:65536", flag);
	return ctr_idmap_add(m, in, out, n, flag, err);
}

char *ctr_idmap_format(const struct ctr_idmap *m)
{
	struct strbuf sb;
	strbuf_init(&sb);
	for (size_t i = 0; i < m->n; i++)
		strbuf_printf(&sb, "%u %u %u\n", m->e[i].inside, m->e[i].outside, m->e[i].count);
	return strbuf_detach(&sb);
}

char *ctr_idmap_to_string(const struct ctr_idmap *m)
{
	struct strbuf sb;
	strbuf_init(&sb);
	for (size_t i = 0; i < m->n; i++)
		strbuf_printf(&sb, "%s%u:%u:%u", i ? "," : "", m->e[i].inside, m->e[i].outside,
		              m->e[i].count);
	return strbuf_detach(&sb);
}

int ctr_idmap_from_string(struct ctr_idmap *m, const char *s, struct ctr_err *err)
{
	m->n = 0;
	while (s && *s) {
		const char *comma = strchr(s, ',');
		size_t len = comma ? (size_t)(comma - s) : strlen(s);
		cleanup_free char *one = xstrndup(s, len);
		if (ctr_idmap_add_spec(m, one, "idmap", err) < 0)
			return -1;
		s = comma ? comma + 1 : s + len;
	}
	return 0;
}

int64_t ctr_idmap_to_host(const struct ctr_idmap *m, uint32_t id)
{
	for (size_t i = 0; i < m->n; i++)
		if (id >= m->e[i].inside && (uint64_t)id < (uint64_t)m->e[i].inside + m->e[i].count)
			return (int64_t)m->e[i].outside + (id - m->e[i].inside);
	return -1;
}

uint64_t ctr_idmap_size(const struct ctr_idmap *m)
{
	uint64_t t = 0;
	for (size_t i = 0; i < m->n; i++)
		t += m->e[i].count;
	return t;
}

/* ---- /etc/subuid -------------------------------------------------------- */

/* One "owner:start:count" line; false if malformed. */
static bool subid_line(char *line, char **owner, struct ctr_subid_range *r)
{
	char *c1, *c2, *end;
	line[strcspn(line, "\r\n")] = '\0';
	while (*line == ' ' || *line == '\t')
		line++;
	if (!*line || *line == '#')
		return false;
	c1 = strchr(line, ':');
	c2 = c1 ? strchr(c1 + 1, ':') : NULL;
	if (!c1 || !c2 || c1 == line)
		return false;
	*c1 = *c2 = '\0';
	end = c2 + 1 + strcspn(c2 + 1, " \t");
	if (!parse_u32(c1 + 1, c2, &r->start) || !parse_u32(c2 + 1, end, &r->count) ||
	    r->count == 0)
		return false;
	*owner = line;
	return true;
}

static bool owner_matches(const char *owner, const char *user, uid_t uid)
{
	uint32_t n;
	if (user && strcmp(owner, user) == 0)
		return true;
	return uid != (uid_t)-1 && parse_u32(owner, owner + strlen(owner), &n) && n == uid;
}

int ctr_subid_lookup(const char *path, const char *user, uid_t uid, struct ctr_subid_range *out,
                     size_t max, size_t *n, struct ctr_err *err)
{
	cleanup_fclose FILE *f = fopen(path, "re");
	char line[512];

	*n = 0;
	if (!f) {
		if (errno == ENOENT)
			return 0;
		return ctr_fail_errno(err, E_IO, errno, "open %s", path);
	}
	while (fgets(line, sizeof line, f)) {
		char *owner;
		struct ctr_subid_range r;
		if (!subid_line(line, &owner, &r) || !owner_matches(owner, user, uid))
			continue;
		if (*n < max)
			out[(*n)++] = r;
	}
	return 0;
}

int ctr_subid_overlap(const char *path, char **a, char **b, struct ctr_subid_range *ra,
                      struct ctr_subid_range *rb, struct ctr_err *err)
{
	cleanup_fclose FILE *f = fopen(path, "re");
	struct strv owners;
	struct ctr_subid_range *rs = NULL;
	size_t n = 0, cap = 0;
	char line[512];
	int found = 0;

	if (!f) {
		if (errno == ENOENT)
			return 0;
		return ctr_fail_errno(err, E_IO, errno, "open %s", path);
	}
	strv_init(&owners);
	while (fgets(line, sizeof line, f)) {
		char *owner;
		struct ctr_subid_range r;
		if (!subid_line(line, &owner, &r))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			rs = xrealloc(rs, cap * sizeof *rs);
		}
		rs[n++] = r;
		strv_push(&owners, owner);
	}
	for (size_t i = 0; i < n && !found; i++)
		for (size_t j = i + 1; j < n && !found; j++) {
			if (strcmp(owners.v[i], owners.v[j]) == 0 ||
			    !ranges_overlap(rs[i].start, rs[i].count, rs[j].start, rs[j].count))
				continue;
			*a = xstrdup(owners.v[i]);
			*b = xstrdup(owners.v[j]);
			*ra = rs[i];
			*rb = rs[j];
			found = 1;
		}
	free(rs);
	strv_release(&owners);
	return found;
}

/* ---- --userns ------------------------------------------------------------- */

int ctr_userns_parse_mode(const char *s, const char **mode, uint32_t *size, struct ctr_err *err)
{
	static const char *const words[] = {"host", "private", "nomap", "keep-id"};

	*size = 0;
	if (!s || !*s) {
		*mode = "private";
		return 0;
	}
	for (size_t i = 0; i < CTR_ARRAY_SIZE(words); i++)
		if (strcmp(s, words[i]) == 0) {
			*mode = words[i];
			return 0;
		}
	if (strcmp(s, "auto") == 0) {
		*mode = "auto";
		return 0;
	}
	if (str_startswith(s, "auto:")) {
		const char *o = s + 5;
		uint32_t v;
		if (str_startswith(o, "size=") && parse_u32(o + 5, o + strlen(o), &v) && v > 0) {
			*mode = "auto";
			*size = v;
			return 0;
		}
		return ctr_fail(err, E_INVALID_ARG, "--userns %s: unknown auto option", s),
		       ctr_hint(err, "auto takes size=N, e.g. --userns auto:size=65536");
	}
	return ctr_fail(err, E_INVALID_ARG, "--userns %s: unknown mode", s),
	       ctr_hint(err, "one of host, private, auto[:size=N], nomap, keep-id");
}
