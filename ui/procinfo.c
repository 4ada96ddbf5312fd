/*
 * procinfo.c - /proc readers for the Internals and Top tabs (procinfo.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <unistd.h>

#include "containr/util.h"
#include "procinfo.h"

static const char *const ns_types[UI_NS_COUNT] = {"cgroup", "ipc",  "mnt",  "net",
                                                  "pid",    "time", "user", "uts"};

static unsigned long ns_inode(pid_t pid, const char *type)
{
	char path[64], link[128];
	ssize_t n;
	snprintf(path, sizeof path, "/proc/%d/ns/%s", (int)pid, type);
	n = readlink(path, link, sizeof link - 1);
	if (n <= 0)
		return 0;
	link[n] = '\0';
	char *b = strchr(link, '[');
	return b ? strtoul(b + 1, NULL, 10) : 0;
}

int ui_proc_namespaces(pid_t pid, struct ui_ns out[UI_NS_COUNT], struct ctr_err *err)
{
	int found = 0;
	for (int i = 0; i < UI_NS_COUNT; i++) {
		out[i].type = ns_types[i];
		out[i].inode = ns_inode(pid, ns_types[i]);
		out[i].host = ns_inode(1, ns_types[i]);
		/* pid 1 may be hidden (hardened /proc, nested sandboxes): compare
		 * with our own namespaces then; the dashboard runs on the host. */
		out[i].host_is_self = out[i].host == 0;
		if (out[i].host_is_self)
			out[i].host = ns_inode(getpid(), ns_types[i]);
		out[i].shared = out[i].inode && out[i].inode == out[i].host;
		found += out[i].inode != 0;
	}
	if (!found)
		return ctr_fail(err, E_NOT_FOUND, "cannot read /proc/%d/ns", (int)pid);
	return 0;
}

void ui_procstatus_parse(const char *text, struct ui_procstatus *st)
{
	memset(st, 0, sizeof *st);
	st->seccomp = -1;
	st->no_new_privs = -1;
	for (const char *l = text; l && *l;) {
		const char *nl = strchr(l, '\n');
		char line[512];
		size_t len = nl ? (size_t)(nl - l) : strlen(l);
		if (len >= sizeof line)
			len = sizeof line - 1;
		memcpy(line, l, len);
		line[len] = '\0';
		l = nl ? nl + 1 : NULL;
		char *v = strchr(line, ':');
		if (!v)
			continue;
		*v++ = '\0';
		while (*v == ' ' || *v == '\t')
			v++;
		if (!strcmp(line, "Name"))
			snprintf(st->name, sizeof st->name, "%s", v);
		else if (!strcmp(line, "State"))
			snprintf(st->state, sizeof st->state, "%s", v);
		else if (!strcmp(line, "CapInh"))
			st->cap_inh = strtoull(v, NULL, 16);
		else if (!strcmp(line, "CapPrm"))
			st->cap_prm = strtoull(v, NULL, 16);
		else if (!strcmp(line, "CapEff"))
			st->cap_eff = strtoull(v, NULL, 16);
		else if (!strcmp(line, "CapBnd"))
			st->cap_bnd = strtoull(v, NULL, 16);
		else if (!strcmp(line, "CapAmb"))
			st->cap_amb = strtoull(v, NULL, 16);
		else if (!strcmp(line, "Seccomp"))
			st->seccomp = atoi(v);
		else if (!strcmp(line, "Seccomp_filters"))
			st->seccomp_filters = atoi(v);
		else if (!strcmp(line, "NoNewPrivs"))
			st->no_new_privs = atoi(v);
		else if (!strcmp(line, "VmRSS"))
			st->vm_rss = strtoull(v, NULL, 10) * 1024;
		else if (!strcmp(line, "Uid"))
			sscanf(v, "%u %u %u %u", &st->uid[0], &st->uid[1], &st->uid[2],
			       &st->uid[3]);
		else if (!strcmp(line, "NSpid")) {
			char *save = NULL;
			for (char *t = strtok_r(v, " \t", &save); t && st->nnspid < 8;
			     t = strtok_r(NULL, " \t", &save))
				st->nspid[st->nnspid++] = (pid_t)atoi(t);
		}
	}
}

int ui_proc_status(pid_t pid, struct ui_procstatus *st, struct ctr_err *err)
{
	char path[64];
	cleanup_free char *text = NULL;
	snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
	if (ctr_read_file(path, &text, NULL, err) < 0)
		return -1;
	ui_procstatus_parse(text, st);
	return 0;
}

void ui_caps_names(uint64_t caps, struct strbuf *out)
{
	int last = (int)cap_max_bits() - 1;
	uint64_t all = last >= 63 ? ~0ULL : ((1ULL << (last + 1)) - 1);

	if (last < 0)
		last = 40;
	if (caps == 0) {
		strbuf_puts(out, "(none)");
		return;
	}
	if ((caps & all) == all) {
		strbuf_puts(out, "(all)");
		return;
	}
	bool first = true;
	for (int i = 0; i < 64; i++) {
		if (!(caps & (1ULL << i)))
			continue;
		char *n = cap_to_name((cap_value_t)i);
		strbuf_printf(out, "%s%s", first ? "" : " ", n ? n : "?");
		if (n)
			cap_free(n);
		first = false;
	}
}

const char *ui_seccomp_mode(int mode)
{
	switch (mode) {
	case 0:
		return "disabled";
	case 1:
		return "strict";
	case 2:
		return "filter";
	default:
		return "unknown";
	}
}

/* mountinfo fields: id parent maj:min root target opts [optional...] - fstype source super */
void ui_mountinfo_parse(const char *text, struct ui_mount **out, size_t *n)
{
	size_t cap = 0;
	*out = NULL;
	*n = 0;
	for (const char *l = text; l && *l;) {
		const char *nl = strchr(l, '\n');
		cleanup_free char *line = xstrndup(l, nl ? (size_t)(nl - l) : strlen(l));
		l = nl ? nl + 1 : NULL;
		char *f[32];
		int nf = 0;
		char *save = NULL;
		for (char *t = strtok_r(line, " ", &save); t && nf < 32;
		     t = strtok_r(NULL, " ", &save))
			f[nf++] = t;
		int dash = -1;
		for (int i = 6; i < nf; i++)
			if (!strcmp(f[i], "-")) {
				dash = i;
				break;
			}
		if (nf < 7 || dash < 0 || dash + 3 > nf)
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 32;
			*out = xrealloc(*out, cap * sizeof **out);
		}
		struct ui_mount *m = &(*out)[(*n)++];
		m->target = xstrdup(f[4]);
		m->options = xstrdup(f[5]);
		m->fstype = xstrdup(f[dash + 1]);
		m->source = xstrdup(f[dash + 2]);
		m->super = xstrdup(dash + 3 < nf ? f[dash + 3] : "");
	}
}

int ui_proc_mounts(pid_t pid, struct ui_mount **out, size_t *n, struct ctr_err *err)
{
	char path[64];
	cleanup_free char *text = NULL;
	snprintf(path, sizeof path, "/proc/%d/mountinfo", (int)pid);
	if (ctr_read_file(path, &text, NULL, err) < 0)
		return -1;
	ui_mountinfo_parse(text, out, n);
	return 0;
}

void ui_mounts_free(struct ui_mount *m, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(m[i].target);
		free(m[i].fstype);
		free(m[i].source);
		free(m[i].options);
		free(m[i].super);
	}
	free(m);
}

/* Value of `key=` in a comma separated option string (heap) or NULL. */
static char *opt_value(const char *opts, const char *key)
{
	size_t kl = strlen(key);
	for (const char *p = opts; p && *p;) {
		const char *c = strchr(p, ',');
		size_t len = c ? (size_t)(c - p) : strlen(p);
		if (len > kl && !strncmp(p, key, kl) && p[kl] == '=')
			return xstrndup(p + kl + 1, len - kl - 1);
		p = c ? c + 1 : NULL;
	}
	return NULL;
}

void ui_overlay_layers(const struct ui_mount *m, size_t n, struct strv *lower, char **upper)
{
	*upper = NULL;
	for (size_t i = n; i-- > 0;) { /* the last mount on "/" is the visible one */
		if (strcmp(m[i].target, "/") || strcmp(m[i].fstype, "overlay"))
			continue;
		cleanup_free char *lo = opt_value(m[i].super, "lowerdir");
		*upper = opt_value(m[i].super, "upperdir");
		char *save = NULL;
		for (char *t = lo ? strtok_r(lo, ":", &save) : NULL; t;
		     t = strtok_r(NULL, ":", &save))
			strv_push(lower, t);
		return;
	}
}

int ui_proc_cgroups(pid_t pid, struct strv *out, struct ctr_err *err)
{
	char path[64];
	cleanup_free char *text = NULL;
	snprintf(path, sizeof path, "/proc/%d/cgroup", (int)pid);
	if (ctr_read_file(path, &text, NULL, err) < 0)
		return -1;
	char *save = NULL;
	for (char *l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save))
		strv_push(out, l);
	return 0;
}

int ui_proc_row(pid_t pid, struct ui_procrow *r)
{
	char path[64];
	cleanup_free char *stat = NULL, *cmd = NULL, *status = NULL;
	size_t len = 0;
	struct ui_procstatus st;

	memset(r, 0, sizeof *r);
	r->pid = pid;
	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	if (ctr_read_file(path, &stat, NULL, NULL) < 0)
		return -1;
	/* comm may hold spaces and ')': fields restart after the last ')'. */
	char *rp = strrchr(stat, ')');
	if (!rp)
		return -1;
	unsigned long long ut = 0, stt = 0, start = 0;
	long rss = 0;
	int ppid = 0;
	if (sscanf(rp + 2,
	           "%c %d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu %*d %*d %*d %*d %*d %*d "
	           "%llu %*u %ld",
	           &r->state, &ppid, &ut, &stt, &start, &rss) < 6)
		return -1;
	r->ppid = ppid;
	r->ticks = ut + stt;
	r->start_ticks = (int64_t)start;
	r->rss = (uint64_t)rss * (uint64_t)sysconf(_SC_PAGESIZE);
	snprintf(path, sizeof path, "/proc/%d/cmdline", (int)pid);
	if (ctr_read_file(path, &cmd, &len, NULL) == 0 && len > 0) {
		for (size_t i = 0; i + 1 < len; i++)
			if (cmd[i] == '\0')
				cmd[i] = ' ';
		snprintf(r->cmd, sizeof r->cmd, "%s", cmd);
	} else {
		char *lp = strchr(stat, '(');
		if (lp)
			snprintf(r->cmd, sizeof r->cmd, "[%.*s]", (int)(rp - lp - 1), lp + 1);
	}
	snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
	if (ctr_read_file(path, &status, NULL, NULL) == 0) {
		ui_procstatus_parse(status, &st);
		r->uid = st.uid[1];
		r->nspid = st.nnspid ? st.nspid[st.nnspid - 1] : pid;
	}
	return 0;
}
