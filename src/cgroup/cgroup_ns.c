/*
 * cgroup_ns.c - what a container mounts at /sys/fs/cgroup.
 *
 * The container init unshares a cgroup namespace right after the monitor
 * moved it into its cgroup, so a cgroup filesystem mounted from inside
 * shows that cgroup as its root.  This file only decides *what* to mount,
 * from the host's mountinfo (pure, unit-tested on fake mountinfo texts for
 * v1, v2 and hybrid hosts); the runtime's init (src/runtime/child.c) does
 * the mounts.  See include/containr/cgroup.h and docs/CGROUPS.md.
 */
#include "cgroup/cgroup_internal.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "containr/util.h"

static void plan_add(struct ctr_cgroup_mnt_plan *p, enum ctr_cgroup_mnt_kind kind, const char *path,
                     char *data)
{
	p->v = xrealloc(p->v, (p->n + 1) * sizeof *p->v);
	p->v[p->n].kind = kind;
	p->v[p->n].path = xstrdup(path);
	p->v[p->n].data = data;
	p->n++;
}

static bool plan_has(const struct ctr_cgroup_mnt_plan *p, const char *path)
{
	for (size_t i = 0; i < p->n; i++)
		if (strcmp(p->v[i].path, path) == 0)
			return true;
	return false;
}

/*
 * The options to mount a v1 hierarchy again: its super options without
 * rw/ro (the container decides) and release_agent= (refused outside the
 * initial cgroup namespace).
 */
static char *v1_options(const char *so, size_t len)
{
	struct strbuf b;
	const char *p = so, *end = so + len;

	strbuf_init(&b);
	while (p < end) {
		const char *c = memchr(p, ',', (size_t)(end - p));
		size_t n = c ? (size_t)(c - p) : (size_t)(end - p);
		if (n > 0 && !(n == 2 && (!memcmp(p, "rw", 2) || !memcmp(p, "ro", 2))) &&
		    !(n >= 14 && !memcmp(p, "release_agent=", 14))) {
			if (b.len)
				strbuf_putc(&b, ',');
			strbuf_add(&b, p, n);
		}
		p += n + 1;
	}
	return strbuf_detach(&b);
}

/* Last component of a mount point ("/sys/fs/cgroup/cpu,cpuacct" -> "cpu,cpuacct"). */
static const char *base_name(const char *mp)
{
	const char *s = strrchr(mp, '/');
	return s ? s + 1 : mp;
}

struct cg_line {
	char *mp;      /* mount point, unescaped */
	char *fstype;  /* "cgroup" / "cgroup2" */
	char *options; /* super options */
};

/* Split one mountinfo line; false if it is not a cgroup mount. */
static bool parse_line(const char *line, size_t llen, struct cg_line *out)
{
	const char *end = line + llen, *p = line, *f[5] = {0}, *sep = NULL;
	size_t fl[5] = {0};
	int nf = 0;

	while (p < end && nf < 5) {
		while (p < end && *p == ' ')
			p++;
		const char *s = p;
		while (p < end && *p != ' ')
			p++;
		if (p > s) {
			f[nf] = s;
			fl[nf++] = (size_t)(p - s);
		}
	}
	for (const char *q = p; q + 2 < end; q++)
		if (q[0] == ' ' && q[1] == '-' && q[2] == ' ') {
			sep = q + 3;
			break;
		}
	if (nf < 5 || !sep)
		return false;
	/* fstype source superoptions */
	const char *t = sep, *te = memchr(t, ' ', (size_t)(end - t));
	if (!te)
		return false;
	if (!((te - t == 6 && !memcmp(t, "cgroup", 6)) ||
	      (te - t == 7 && !memcmp(t, "cgroup2", 7))))
		return false;
	const char *src = te + 1, *se = memchr(src, ' ', (size_t)(end - src));
	const char *so = se ? se + 1 : end;
	out->mp = cg_unescape(f[4], fl[4]);
	out->fstype = xstrndup(t, (size_t)(te - t));
	out->options = xstrndup(so, (size_t)(end - so));
	return true;
}

void ctr_cgroup_ns_plan(const char *mountinfo, struct ctr_cgroup_mnt_plan *out)
{
	struct cg_line *lines = NULL;
	size_t nl = 0;
	bool any_v1 = false;
	size_t v2 = SIZE_MAX; /* index of the first cgroup2 mount */

	memset(out, 0, sizeof *out);
	for (const char *line = mountinfo; line && *line;) {
		const char *eol = strchr(line, '\n');
		size_t llen = eol ? (size_t)(eol - line) : strlen(line);
		struct cg_line l;
		if (parse_line(line, llen, &l)) {
			lines = xrealloc(lines, (nl + 1) * sizeof *lines);
			lines[nl++] = l;
			if (strcmp(l.fstype, "cgroup") == 0)
				any_v1 = true;
			else if (v2 == SIZE_MAX)
				v2 = nl - 1;
		}
		line = eol ? eol + 1 : NULL;
	}
	if (!any_v1 && v2 != SIZE_MAX) {
		plan_add(out, CTR_CGMNT_V2, "", NULL); /* v2: the unified tree is /sys/fs/cgroup */
	} else if (any_v1) {
		plan_add(out, CTR_CGMNT_TMPFS, "", NULL);
		for (size_t i = 0; i < nl; i++) {
			const char *name = base_name(lines[i].mp);
			if (!*name || plan_has(out, name))
				continue; /* a second mount of the same hierarchy */
			if (strcmp(lines[i].fstype, "cgroup") == 0)
				plan_add(out, CTR_CGMNT_V1, name,
				         v1_options(lines[i].options, strlen(lines[i].options)));
			else if (i == v2)
				plan_add(out, CTR_CGMNT_V2, name, NULL); /* hybrid: "unified" */
		}
		/* Co-mounted controllers: cpu -> cpu,cpuacct (as Docker/runc). */
		size_t n = out->n;
		for (size_t i = 0; i < n; i++) {
			const char *name = out->v[i].path;
			if (out->v[i].kind != CTR_CGMNT_V1 || !strchr(name, ','))
				continue;
			cleanup_free char *copy = xstrdup(name);
			char *save = NULL;
			for (char *tok = strtok_r(copy, ",", &save); tok;
			     tok = strtok_r(NULL, ",", &save))
				if (!strchr(tok, '=') && !plan_has(out, tok))
					plan_add(out, CTR_CGMNT_SYMLINK, tok, xstrdup(name));
		}
	}
	for (size_t i = 0; i < nl; i++) {
		free(lines[i].mp);
		free(lines[i].fstype);
		free(lines[i].options);
	}
	free(lines);
}

void ctr_cgroup_ns_plan_free(struct ctr_cgroup_mnt_plan *p)
{
	for (size_t i = 0; i < p->n; i++) {
		free(p->v[i].path);
		free(p->v[i].data);
	}
	free(p->v);
	memset(p, 0, sizeof *p);
}
