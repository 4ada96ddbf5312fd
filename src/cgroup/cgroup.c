/*
 * cgroup.c - the cgroup front end: host detection, the test override, file
 * helpers shared by both backends, and the public ctr_cgroup_* calls that
 * do not differ much between v1 and v2 (create/open, add a pid, list and
 * kill the pids, destroy).  Version-specific work (limits, freezer, stats)
 * lives in cgroup_v1.c and cgroup_v2.c.
 *
 * Detection parses /proc/self/mountinfo rather than assuming paths, so a
 * machine with cpu and cpuacct mounted separately, or a cgroup2 mount at
 * /sys/fs/cgroup/unified next to v1 controllers (hybrid), is handled.
 */
#include "cgroup/cgroup_internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "containr/log.h"
#include "containr/util.h"

static const char *const ctrl_names[CG__N] = {
    [CG_MEMORY] = "memory",   [CG_CPU] = "cpu",       [CG_CPUACCT] = "cpuacct",
    [CG_PIDS] = "pids",       [CG_BLKIO] = "blkio",   [CG_FREEZER] = "freezer",
    [CG_DEVICES] = "devices", [CG_CPUSET] = "cpuset", [CG_SYSTEMD] = "name=systemd",
    [CG_UNIFIED] = "unified",
};

const char *cg_ctrl_name(enum cg_ctrl c)
{
	return (unsigned)c < CG__N ? ctrl_names[c] : "?";
}

const char *ctr_cgroup_mode_name(enum ctr_cgroup_mode m)
{
	switch (m) {
	case CTR_CGROUP_V1:
		return "v1";
	case CTR_CGROUP_V2:
		return "v2";
	case CTR_CGROUP_HYBRID:
		return "hybrid";
	default:
		return "none";
	}
}

/* ---- detection ---------------------------------------------------------- */

/* Undo mountinfo's octal escapes (\040 space, \011 tab, \012, \134). */
char *cg_unescape(const char *s, size_t len)
{
	char *out = xmalloc(len + 1);
	size_t o = 0;

	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\\' && i + 3 < len && s[i + 1] >= '0' && s[i + 1] <= '3' &&
		    s[i + 2] >= '0' && s[i + 2] <= '7' && s[i + 3] >= '0' && s[i + 3] <= '7') {
			out[o++] =
			    (char)((s[i + 1] - '0') * 64 + (s[i + 2] - '0') * 8 + (s[i + 3] - '0'));
			i += 3;
		} else {
			out[o++] = s[i];
		}
	}
	out[o] = '\0';
	return out;
}

/* Does the comma-separated option list `opts` contain `word`? */
static bool opt_has(const char *opts, size_t len, const char *word)
{
	size_t wl = strlen(word);
	const char *p = opts, *end = opts + len;

	while (p < end) {
		const char *c = memchr(p, ',', (size_t)(end - p));
		size_t n = c ? (size_t)(c - p) : (size_t)(end - p);
		if (n == wl && memcmp(p, word, wl) == 0)
			return true;
		p += n + 1;
	}
	return false;
}

void cg_parse_mountinfo(const char *text, struct cg_host *h)
{
	bool any_v1 = false;

	memset(h, 0, sizeof *h);
	for (const char *line = text; line && *line;) {
		const char *eol = strchr(line, '\n');
		size_t llen = eol ? (size_t)(eol - line) : strlen(line);
		/* fields: id parent maj:min root mountpoint opts [optional...] - fstype src
		 * superopts */
		const char *f[6] = {0};
		size_t fl[6] = {0};
		int nf = 0;
		const char *p = line, *end = line + llen;
		const char *sep = NULL;

		while (p < end && nf < 6) {
			while (p < end && *p == ' ')
				p++;
			const char *s = p;
			while (p < end && *p != ' ')
				p++;
			if (p > s) {
				f[nf] = s;
				fl[nf] = (size_t)(p - s);
				nf++;
			}
		}
		/* find " - " separator after the optional fields */
		for (const char *q = p; q + 2 < end; q++) {
			if (q[0] == ' ' && q[1] == '-' && q[2] == ' ') {
				sep = q + 3;
				break;
			}
		}
		if (nf >= 5 && sep) {
			char fstype[32] = "", src[256] = "";
			const char *so = NULL;
			int n = 0;
			if (sscanf(sep, "%31s %255s %n", fstype, src, &n) >= 2 && n > 0)
				so = sep + n;
			size_t solen = so ? (size_t)(end - so) : 0;
			if (strcmp(fstype, "cgroup2") == 0 && !h->v2_root) {
				h->v2_root = cg_unescape(f[4], fl[4]);
			} else if (strcmp(fstype, "cgroup") == 0 && so) {
				for (int c = 0; c < CG_UNIFIED; c++) {
					if (!h->v1_mnt[c] && opt_has(so, solen, ctrl_names[c])) {
						h->v1_mnt[c] = cg_unescape(f[4], fl[4]);
						/* membership-only hierarchies (a v2
						 * host's name=systemd) decide nothing */
						if (c < CG_MEMBERSHIP_FIRST)
							any_v1 = true;
					}
				}
			}
		}
		line = eol ? eol + 1 : NULL;
	}
	if (any_v1)
		h->mode = h->v2_root ? CTR_CGROUP_HYBRID : CTR_CGROUP_V1;
	else
		h->mode = h->v2_root ? CTR_CGROUP_V2 : CTR_CGROUP_NONE;
	if (h->mode == CTR_CGROUP_HYBRID)
		h->v1_mnt[CG_UNIFIED] = xstrdup(h->v2_root);
	if (h->mode == CTR_CGROUP_V2 || h->mode == CTR_CGROUP_NONE)
		for (int c = CG_MEMBERSHIP_FIRST; c < CG__N; c++) {
			free(h->v1_mnt[c]);
			h->v1_mnt[c] = NULL;
		}
}

void cg_host_release(struct cg_host *h)
{
	free(h->v2_root);
	for (int c = 0; c < CG__N; c++)
		free(h->v1_mnt[c]);
	memset(h, 0, sizeof *h);
}

static struct cg_host host;
static bool host_ready;

static void host_reset(void)
{
	if (host_ready)
		cg_host_release(&host);
	host_ready = false;
}

const struct cg_host *cg_host_get(void)
{
	if (!host_ready) {
		cleanup_free char *text = NULL;
		if (ctr_read_file("/proc/self/mountinfo", &text, NULL, NULL) == 0)
			cg_parse_mountinfo(text, &host);
		else
			memset(&host, 0, sizeof host);
		host_ready = true;
	}
	return &host;
}

enum ctr_cgroup_mode ctr_cgroup_detect(void)
{
	return cg_host_get()->mode;
}

static bool word_in(const char *text, const char *word)
{
	size_t n = strlen(word);

	for (const char *p = text; p && (p = strstr(p, word)); p += n)
		if ((p == text || p[-1] == ' ') && (p[n] == '\0' || p[n] == ' ' || p[n] == '\n'))
			return true;
	return false;
}

void ctr_cgroup_features(struct ctr_cgroup_features *f)
{
	const struct cg_host *h = cg_host_get();

	memset(f, 0, sizeof *f);
	if (h->mode == CTR_CGROUP_V2) {
		cleanup_free char *ctl = NULL;
		struct ctr_err e;
		DIR *d;
		struct dirent *de;

		if (cg_read(h->v2_root, "cgroup.controllers", &ctl, &e) < 0)
			return;
		f->memory = word_in(ctl, "memory");
		f->cpu_cfs = f->cpu_shares = word_in(ctl, "cpu");
		f->pids = word_in(ctl, "pids");
		d = f->memory ? opendir(h->v2_root) : NULL;
		while (d && !f->swap && (de = readdir(d))) {
			cleanup_free char *sub = NULL;
			if (de->d_type != DT_DIR || de->d_name[0] == '.')
				continue;
			sub = ctr_path_join(h->v2_root, de->d_name);
			f->swap = cg_has(sub, "memory.swap.max");
		}
		if (d)
			closedir(d);
		return;
	}
	f->memory = h->v1_mnt[CG_MEMORY] != NULL;
	f->swap = cg_has(h->v1_mnt[CG_MEMORY], "memory.memsw.limit_in_bytes");
	f->oom_kill_disable = cg_has(h->v1_mnt[CG_MEMORY], "memory.oom_control");
	f->cpu_cfs = cg_has(h->v1_mnt[CG_CPU], "cpu.cfs_quota_us");
	f->cpu_shares = cg_has(h->v1_mnt[CG_CPU], "cpu.shares");
	f->pids = h->v1_mnt[CG_PIDS] != NULL;
}

void ctr_cgroup_set_root_for_test(enum ctr_cgroup_mode mode, const char *path)
{
	host_reset();
	if (!path)
		return; /* next call detects the real host again */
	memset(&host, 0, sizeof host);
	host.mode = mode;
	if (mode == CTR_CGROUP_V2) {
		host.v2_root = xstrdup(path);
	} else {
		/* only the controllers the fake tree has are "mounted" */
		for (int c = 0; c < CG__N; c++) {
			char *d = ctr_path_join(path, ctrl_names[c]);
			if (access(d, F_OK) == 0)
				host.v1_mnt[c] = d;
			else
				free(d);
		}
	}
	host_ready = true;
}

/* ---- file helpers ------------------------------------------------------- */

/* A one-line reason per file, for explain mode. */
static const char *why_of(const char *file)
{
	static const struct {
		const char *file, *why;
	} tab[] = {
	    {"cgroup.procs", "move the process into the container's cgroup"},
	    {"cgroup.subtree_control", "let child cgroups use these controllers"},
	    {"cgroup.freeze", "freeze/thaw every task in the cgroup (pause/unpause)"},
	    {"cgroup.kill", "SIGKILL every task in the cgroup at once"},
	    {"freezer.state", "freeze/thaw every task in the cgroup (pause/unpause)"},
	    {"memory.limit_in_bytes", "hard memory limit (--memory)"},
	    {"memory.memsw.limit_in_bytes", "memory+swap limit (--memory-swap)"},
	    {"memory.max", "hard memory limit (--memory)"},
	    {"memory.swap.max", "swap limit (--memory-swap minus --memory)"},
	    {"cpu.cfs_period_us", "CFS period for the CPU quota (--cpus)"},
	    {"cpu.cfs_quota_us", "CPU time allowed per period (--cpus)"},
	    {"cpu.max", "CPU quota and period (--cpus)"},
	    {"cpu.shares", "relative CPU weight (--cpu-shares)"},
	    {"cpu.weight", "relative CPU weight (--cpu-shares mapped to weight)"},
	    {"pids.max", "maximum number of tasks (--pids-limit)"},
	    {"devices.deny", "devices cgroup: deny every device, then allow Docker's list"},
	    {"devices.allow", "devices cgroup: a device the container may mknod/open"},
	    {"blkio.throttle.read_bps_device",
	     "no-op 1 PB/s rule: makes the kernel count block I/O for `stats`"},
	};
	for (size_t i = 0; i < CTR_ARRAY_SIZE(tab); i++)
		if (strcmp(tab[i].file, file) == 0)
			return tab[i].why;
	return "cgroup setting";
}

int cg_write(const char *dir, const char *file, const char *value, const char *ctrl,
             struct ctr_err *err)
{
	cleanup_free char *path = ctr_path_join(dir, file);
	cleanup_close int fd = -1;
	size_t len = strlen(value);

	ctr_explain("cgroup", why_of(file), "write %s = %s", path, value);
	fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT && ctrl)
			return ctr_fail(err, E_UNSUPPORTED,
			                "cgroup controller \"%s\" cannot do this on this host: %s "
			                "is missing",
			                ctrl, path),
			       ctr_hint(err,
			                "the kernel lacks this %s feature or the controller is not "
			                "enabled; drop the option",
			                ctrl);
		return ctr_fail_errno(err, E_IO, errno, "cannot open %s", path);
	}
	ssize_t n = write(fd, value, len);
	if (n < 0 || (size_t)n != len)
		return ctr_fail_errno(err, E_IO, n < 0 ? errno : EIO, "cannot write \"%s\" to %s",
		                      value, path);
	return 0;
}

int cg_read(const char *dir, const char *file, char **out, struct ctr_err *err)
{
	cleanup_free char *path = ctr_path_join(dir, file);
	size_t len = 0;

	if (ctr_read_file(path, out, &len, err) < 0)
		return -1;
	while (len > 0 && ((*out)[len - 1] == '\n' || (*out)[len - 1] == ' '))
		(*out)[--len] = '\0';
	return 0;
}

int cg_read_u64(const char *dir, const char *file, uint64_t *out)
{
	cleanup_free char *s = NULL;
	char *end;

	if (!dir || cg_read(dir, file, &s, NULL) < 0)
		return -1;
	if (strcmp(s, "max") == 0) {
		*out = UINT64_MAX;
		return 0;
	}
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || end == s)
		return -1;
	*out = v;
	return 0;
}

bool cg_has(const char *dir, const char *file)
{
	cleanup_free char *path = NULL;

	if (!dir)
		return false;
	path = ctr_path_join(dir, file);
	return access(path, F_OK) == 0;
}

int cg_kv_get(const char *text, const char *key, uint64_t *out)
{
	size_t kl = strlen(key);

	for (const char *p = text; p && *p;) {
		if (strncmp(p, key, kl) == 0 && p[kl] == ' ') {
			*out = strtoull(p + kl + 1, NULL, 10);
			return 0;
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return -1;
}

static void procs_collect(const char *dir, pid_t **pids, size_t *n, size_t *cap)
{
	cleanup_free char *text = NULL;
	DIR *d;
	struct dirent *de;

	if (cg_read(dir, "cgroup.procs", &text, NULL) == 0) {
		for (char *p = text; *p;) {
			char *end;
			long v = strtol(p, &end, 10);
			if (end == p)
				break;
			if (v > 0) {
				if (*n == *cap) {
					*cap = *cap ? *cap * 2 : 16;
					*pids = xrealloc(*pids, *cap * sizeof **pids);
				}
				(*pids)[(*n)++] = (pid_t)v;
			}
			p = end;
			while (*p == '\n' || *p == ' ')
				p++;
		}
	}
	d = opendir(dir);
	if (!d)
		return;
	while ((de = readdir(d))) {
		if (de->d_type != DT_DIR || de->d_name[0] == '.')
			continue;
		cleanup_free char *sub = ctr_path_join(dir, de->d_name);
		procs_collect(sub, pids, n, cap);
	}
	closedir(d);
}

int cg_read_procs(const char *dir, pid_t **pids, size_t *n, struct ctr_err *err)
{
	size_t cap = 0;

	*pids = NULL;
	*n = 0;
	if (!cg_has(dir, "cgroup.procs"))
		return ctr_fail(err, E_NOT_FOUND, "cgroup %s does not exist", dir);
	procs_collect(dir, pids, n, &cap);
	return 0;
}

void cg_sleep_ms(int ms)
{
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* rmdir children first; a dir with a leftover task gives EBUSY: retry. */
int cg_rmdir_tree(const char *dir, struct ctr_err *err)
{
	DIR *d = opendir(dir);
	struct dirent *de;

	if (!d)
		return errno == ENOENT ? 0
		                       : ctr_fail_errno(err, E_IO, errno, "cannot open %s", dir);
	while ((de = readdir(d))) {
		if (de->d_type != DT_DIR || de->d_name[0] == '.')
			continue;
		cleanup_free char *sub = ctr_path_join(dir, de->d_name);
		if (cg_rmdir_tree(sub, err) < 0) {
			closedir(d);
			return -1;
		}
	}
	closedir(d);
	ctr_explain("rmdir", "remove the container's cgroup", "%s", dir);
	for (int tries = 0;; tries++) {
		if (rmdir(dir) == 0 || errno == ENOENT)
			return 0;
		if (errno != EBUSY || tries >= 50)
			break;
		cg_sleep_ms(20); /* tasks still exiting */
	}
	if (errno == EBUSY)
		return ctr_fail(err, E_CONFLICT, "cgroup %s still has processes", dir),
		       ctr_hint(err, "stop the container first (containr stop)");
	return ctr_fail_errno(err, E_IO, errno, "cannot remove cgroup %s", dir);
}

uint64_t cg_host_mem_total(void)
{
	cleanup_free char *text = NULL;
	const char *p;

	if (ctr_read_file("/proc/meminfo", &text, NULL, NULL) < 0)
		return 0;
	p = strstr(text, "MemTotal:");
	if (!p)
		return 0;
	return strtoull(p + 9, NULL, 10) * 1024;
}

/* ---- parsers ------------------------------------------------------------ */

void cg_parse_blkio(const char *text, uint64_t *rd, uint64_t *wr)
{
	*rd = *wr = 0;
	for (const char *p = text; p && *p;) {
		char dev[64], op[32];
		unsigned long long v;
		if (sscanf(p, "%63s %31s %llu", dev, op, &v) == 3) {
			if (strcmp(op, "Read") == 0)
				*rd += v;
			else if (strcmp(op, "Write") == 0)
				*wr += v;
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
}

void cg_parse_io_stat(const char *text, uint64_t *rd, uint64_t *wr)
{
	*rd = *wr = 0;
	for (const char *p = text; p && *p; p++) {
		if ((p == text || p[-1] == ' ' || p[-1] == '\n') && strncmp(p, "rbytes=", 7) == 0)
			*rd += strtoull(p + 7, NULL, 10);
		else if ((p == text || p[-1] == ' ' || p[-1] == '\n') &&
		         strncmp(p, "wbytes=", 7) == 0)
			*wr += strtoull(p + 7, NULL, 10);
	}
}

uint64_t cg_shares_to_weight(uint64_t shares)
{
	if (shares < 2)
		shares = 2;
	if (shares > 262144)
		shares = 262144;
	return 1 + ((shares - 2) * 9999) / 262142;
}

/* ---- public calls ------------------------------------------------------- */

/* A cgroup path component list must not escape the hierarchy. */
static bool relpath_ok(const char *p)
{
	if (!*p)
		return false;
	for (const char *s = p; *s;) {
		const char *e = strchr(s, '/');
		size_t n = e ? (size_t)(e - s) : strlen(s);
		if (n == 0 || (n == 1 && s[0] == '.') || (n == 2 && s[0] == '.' && s[1] == '.'))
			return false;
		s += n + (e ? 1 : 0);
	}
	return true;
}

int ctr_cgroup_parent_check(const char *parent, struct ctr_err *err)
{
	if (!parent)
		return 0;
	while (*parent == '/')
		parent++;
	if (*parent && !relpath_ok(parent)) {
		ctr_fail(err, E_INVALID_ARG, "invalid --cgroup-parent \"%s\"", parent);
		return ctr_hint(err, "give a path of names below the cgroup root, without '.', "
		                     "'..' or empty parts (e.g. containr or myapp/db)");
	}
	return 0;
}

/* Build the struct for relpath on the current host; dirs are not checked. */
static int cgroup_new(const char *relpath, struct ctr_cgroup **out, struct ctr_err *err)
{
	const struct cg_host *h = cg_host_get();
	struct ctr_cgroup *cg;

	while (*relpath == '/')
		relpath++;
	if (!relpath_ok(relpath))
		return ctr_fail(err, E_INVALID_ARG, "invalid cgroup path \"%s\"", relpath);
	if (h->mode == CTR_CGROUP_NONE)
		return ctr_fail(err, E_UNSUPPORTED, "no cgroup filesystem is mounted"),
		       ctr_hint(err, "mount cgroup2 at /sys/fs/cgroup (or the v1 controllers)");
	cg = xcalloc(1, sizeof *cg);
	cg->relpath = xstrdup(relpath);
	if (h->mode == CTR_CGROUP_V2) {
		cg->v2 = true;
		cg->dir[0] = ctr_path_join(h->v2_root, relpath);
	} else {
		for (int c = 0; c < CG__N; c++)
			if (h->v1_mnt[c])
				cg->dir[c] = ctr_path_join(h->v1_mnt[c], relpath);
	}
	*out = cg;
	return 0;
}

/*
 * Docker's rules for the limits (its daemon's verifyPlatformContainerResources),
 * the one copy: `create` checks them before anything exists, and
 * ctr_cgroup_create() again for callers that skip create.
 */
int ctr_cgroup_limits_check(const struct ctr_cgroup_limits *lim, struct ctr_err *err)
{
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);

	if (lim->memory != 0 && lim->memory < CTR_CGROUP_MIN_MEMORY) {
		ctr_fail(err, E_INVALID_ARG, "minimum memory limit allowed is 6MB");
		return ctr_hint(err, "use --memory 6m or more");
	}
	if (lim->memory_swap < -1)
		return ctr_fail(err, E_INVALID_ARG, "invalid --memory-swap %lld",
		                (long long)lim->memory_swap);
	if (lim->memory_swap > 0 && lim->memory <= 0) {
		ctr_fail(err, E_INVALID_ARG,
		         "you should always set the memory limit when using the memory-swap limit");
		return ctr_hint(err, "add --memory");
	}
	if (lim->memory_swap > 0 && lim->memory_swap < lim->memory) {
		ctr_fail(err, E_INVALID_ARG,
		         "minimum memory-swap limit should be larger than the memory limit");
		return ctr_hint(err, "--memory-swap is memory plus swap; -1 means unlimited swap");
	}
	if (lim->cpus < 0 || (lim->cpus > 0 && lim->cpus < 0.01) ||
	    (ncpu > 0 && lim->cpus > (double)ncpu)) {
		ctr_fail(
		    err, E_INVALID_ARG,
		    "range of CPUs is from 0.01 to %ld.00, as there are only %ld CPUs available",
		    ncpu, ncpu);
		return ctr_hint(err, "give --cpus a value from 0.01 to %ld (0 means no limit)",
		                ncpu);
	}
	if (lim->cpu_shares < 0)
		return ctr_fail(err, E_INVALID_ARG,
		                "invalid CPU shares (%lld): value must be a positive integer",
		                (long long)lim->cpu_shares);
	return 0;
}

/*
 * A new v1 cpuset cgroup starts with empty cpuset.cpus/mems, and a task
 * cannot join it until they are set: copy them down from the parent at
 * every level of `rel` that is still empty (what runc does).
 */
static int cpuset_fill(const char *root, const char *rel, struct ctr_err *err)
{
	static const char *const files[] = {"cpuset.cpus", "cpuset.mems"};
	cleanup_free char *dir = xstrdup(root);

	for (const char *s = rel; *s;) {
		const char *e = strchr(s, '/');
		size_t n = e ? (size_t)(e - s) : strlen(s);
		cleanup_free char *parent = dir;
		dir = xasprintf("%s/%.*s", parent, (int)n, s);
		for (size_t i = 0; i < CTR_ARRAY_SIZE(files); i++) {
			cleanup_free char *mine = NULL, *theirs = NULL;
			if (cg_read(dir, files[i], &mine, err) < 0)
				return -1;
			if (*mine)
				continue;
			if (cg_read(parent, files[i], &theirs, err) < 0 ||
			    cg_write(dir, files[i], theirs, "cpuset", err) < 0)
				return -1;
		}
		s += n + (e ? 1 : 0);
	}
	return 0;
}

/* Best effort: a membership-only hierarchy that fails is just left out. */
static void membership_mkdir(struct ctr_cgroup *cg, enum cg_ctrl c)
{
	struct ctr_err e;

	ctr_err_clear(&e);
	if (ctr_mkdir_p(cg->dir[c], 0755, &e) == 0 &&
	    (c != CG_CPUSET || cpuset_fill(cg_host_get()->v1_mnt[c], cg->relpath, &e) == 0))
		return;
	ctr_debug("cgroup: leaving out a membership-only hierarchy", "hierarchy", ctrl_names[c],
	          "error", e.msg);
	rmdir(cg->dir[c]);
	free(cg->dir[c]);
	cg->dir[c] = NULL;
}

int ctr_cgroup_create(const char *parent, const char *name, const struct ctr_cgroup_limits *lim,
                      struct ctr_cgroup **out, struct ctr_err *err)
{
	static const struct ctr_cgroup_limits none = {0};
	struct ctr_cgroup *cg = NULL;
	cleanup_free char *rel = NULL;

	if (!lim)
		lim = &none;
	if (!parent || !*parent)
		parent = "containr";
	while (*parent == '/')
		parent++;
	if (!*name || strchr(name, '/') || !relpath_ok(name) || (*parent && !relpath_ok(parent)))
		return ctr_fail(err, E_INVALID_ARG, "invalid cgroup name \"%s/%s\"", parent, name);
	if (ctr_cgroup_limits_check(lim, err) < 0)
		return -1;
	rel = *parent ? xasprintf("%s/%s", parent, name) : xstrdup(name);
	if (cgroup_new(rel, &cg, err) < 0)
		return -1;
	if (cg->v2) {
		if (cg_v2_setup(cg, cg_host_get()->v2_root, lim, err) < 0)
			goto fail;
	} else {
		for (int c = 0; c < CG__N; c++) {
			if (!cg->dir[c])
				continue;
			ctr_explain("mkdir", "create the container's cgroup", "%s (%s)", cg->dir[c],
			            ctrl_names[c]);
			if (c >= CG_MEMBERSHIP_FIRST) {
				membership_mkdir(cg, (enum cg_ctrl)c);
				continue;
			}
			if (ctr_mkdir_p(cg->dir[c], 0755, err) < 0)
				goto fail;
		}
		if (cg_v1_setup(cg, lim, err) < 0)
			goto fail;
	}
	*out = cg;
	return 0;
fail:
	ctr_cgroup_destroy(cg, NULL);
	ctr_cgroup_free(cg);
	return -1;
}

int ctr_cgroup_open(const char *relpath, struct ctr_cgroup **out, struct ctr_err *err)
{
	struct ctr_cgroup *cg = NULL;
	bool found = false;

	if (cgroup_new(relpath, &cg, err) < 0)
		return -1;
	for (int c = 0; c < CG__N; c++)
		if (cg->dir[c] && access(cg->dir[c], F_OK) == 0)
			found = true;
	if (!found) {
		ctr_fail(err, E_NOT_FOUND, "cgroup %s does not exist", cg->relpath);
		ctr_hint(err, "the container is not running (its cgroup is removed when it stops)");
		ctr_cgroup_free(cg);
		return -1;
	}
	*out = cg;
	return 0;
}

const char *ctr_cgroup_path(const struct ctr_cgroup *cg)
{
	return cg->relpath;
}

/* Each distinct existing directory once (v1 controllers may be co-mounted). */
static bool dir_is_dup(const struct ctr_cgroup *cg, int c)
{
	for (int k = 0; k < c; k++)
		if (cg->dir[k] && strcmp(cg->dir[k], cg->dir[c]) == 0)
			return true;
	return false;
}

int ctr_cgroup_add_pid(struct ctr_cgroup *cg, pid_t pid, struct ctr_err *err)
{
	char buf[32];

	snprintf(buf, sizeof buf, "%d", (int)pid);
	for (int c = 0; c < CG__N; c++) {
		if (!cg->dir[c] || dir_is_dup(cg, c))
			continue;
		if (c >= CG_MEMBERSHIP_FIRST) {
			struct ctr_err e;
			ctr_err_clear(&e);
			if (access(cg->dir[c], F_OK) == 0 &&
			    cg_write(cg->dir[c], "cgroup.procs", buf, NULL, &e) < 0)
				ctr_debug("cgroup: cannot join a membership-only hierarchy",
				          "hierarchy", ctrl_names[c], "error", e.msg);
			continue;
		}
		if (cg_write(cg->dir[c], "cgroup.procs", buf, NULL, err) < 0)
			return ctr_err_wrap(err, "cannot move pid %d into cgroup %s", (int)pid,
			                    cg->relpath);
	}
	return 0;
}

int ctr_cgroup_freeze(struct ctr_cgroup *cg, bool frozen, struct ctr_err *err)
{
	return cg->v2 ? cg_v2_freeze(cg, frozen, err) : cg_v1_freeze(cg, frozen, err);
}

bool ctr_cgroup_is_frozen(struct ctr_cgroup *cg)
{
	return cg->v2 ? cg_v2_is_frozen(cg) : cg_v1_is_frozen(cg);
}

int ctr_cgroup_stats(struct ctr_cgroup *cg, struct ctr_cgroup_stats *out, struct ctr_err *err)
{
	memset(out, 0, sizeof *out);
	return cg->v2 ? cg_v2_stats(cg, out, err) : cg_v1_stats(cg, out, err);
}

bool ctr_cgroup_oom_killed(struct ctr_cgroup *cg)
{
	struct ctr_cgroup_stats st;

	return ctr_cgroup_stats(cg, &st, NULL) == 0 && st.oom_killed;
}

/* The directory whose cgroup.procs lists the container's processes. */
static const char *procs_dir(const struct ctr_cgroup *cg)
{
	static const enum cg_ctrl pref[] = {CG_FREEZER, CG_PIDS,    CG_MEMORY,
	                                    CG_CPU,     CG_CPUACCT, CG_BLKIO};

	if (cg->v2)
		return cg->dir[0];
	for (size_t i = 0; i < CTR_ARRAY_SIZE(pref); i++)
		if (cg->dir[pref[i]] && access(cg->dir[pref[i]], F_OK) == 0)
			return cg->dir[pref[i]];
	return NULL;
}

int ctr_cgroup_pids(struct ctr_cgroup *cg, pid_t **pids, size_t *n, struct ctr_err *err)
{
	const char *dir = procs_dir(cg);

	*pids = NULL;
	*n = 0;
	if (!dir)
		return ctr_fail(err, E_NOT_FOUND, "cgroup %s does not exist", cg->relpath);
	return cg_read_procs(dir, pids, n, err);
}

int ctr_cgroup_kill_all(struct ctr_cgroup *cg, int sig, struct ctr_err *err)
{
	cleanup_free pid_t *pids = NULL;
	size_t n = 0;
	bool froze = false;

	if (sig == SIGKILL && cg->v2) {
		int r = cg_v2_kill(cg, err);
		if (r <= 0)
			return r;
	}
	/*
	 * For SIGKILL, freeze first so nothing forks between listing and
	 * signalling, and thaw afterwards even if it was paused: v1 frozen
	 * tasks only die once thawed.
	 */
	if (sig == SIGKILL && ctr_cgroup_freeze(cg, true, NULL) == 0)
		froze = true;
	if (ctr_cgroup_pids(cg, &pids, &n, err) < 0)
		goto out;
	for (size_t i = 0; i < n; i++) {
		ctr_explain("kill", "signal every process of the container", "kill(%d, %d)",
		            (int)pids[i], sig);
		if (kill(pids[i], sig) < 0 && errno != ESRCH) {
			ctr_fail_errno(err, E_IO, errno, "cannot signal pid %d", (int)pids[i]);
			goto out;
		}
	}
	if (froze)
		return ctr_cgroup_freeze(cg, false, err);
	return 0;
out:
	if (froze)
		ctr_cgroup_freeze(cg, false, NULL);
	return -1;
}

int ctr_cgroup_destroy(struct ctr_cgroup *cg, struct ctr_err *err)
{
	int ret = 0;
	struct ctr_err local;

	for (int c = 0; c < CG__N; c++) {
		if (!cg->dir[c] || dir_is_dup(cg, c))
			continue;
		if (cg_rmdir_tree(cg->dir[c], &local) < 0) {
			if (err)
				*err = local;
			if (local.code == E_CONFLICT)
				return -1; /* still busy: the other hierarchies are too */
			ret = -1;
		}
	}
	return ret;
}

void ctr_cgroup_free(struct ctr_cgroup *cg)
{
	if (!cg)
		return;
	free(cg->relpath);
	for (int c = 0; c < CG__N; c++)
		free(cg->dir[c]);
	free(cg);
}
