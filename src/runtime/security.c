/*
 * security.c - the identity a container process ends up with: capability
 * sets, user and groups looked up in the container's own /etc files,
 * rlimits, environment, and the PATH lookup for execve.
 *
 * These run inside the container init (and exec'd processes) after
 * pivot_root, so /etc/passwd is the container's, never the host's: we
 * parse the files ourselves instead of calling NSS.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/openat2.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "containr/log.h"
#include "runtime/internal.h"

/* Docker's default set (moby oci/caps/defaults.go semantics). */
static const int default_caps[] = {
    CAP_CHOWN,   CAP_DAC_OVERRIDE, CAP_FSETID,           CAP_FOWNER,
    CAP_MKNOD,   CAP_NET_RAW,      CAP_SETGID,           CAP_SETUID,
    CAP_SETFCAP, CAP_SETPCAP,      CAP_NET_BIND_SERVICE, CAP_SYS_CHROOT,
    CAP_KILL,    CAP_AUDIT_WRITE,
};

static int cap_last(void)
{
	static int last = -1;
	FILE *f;

	if (last >= 0)
		return last;
	f = fopen("/proc/sys/kernel/cap_last_cap", "re");
	if (!f || fscanf(f, "%d", &last) != 1 || last < 0 || last > 63)
		last = CAP_LAST_CAP;
	if (f)
		fclose(f);
	return last;
}

uint64_t runtime_caps_default(void)
{
	uint64_t m = 0;
	for (size_t i = 0; i < CTR_ARRAY_SIZE(default_caps); i++)
		m |= 1ULL << default_caps[i];
	return m;
}

uint64_t runtime_caps_all(void)
{
	uint64_t m = 0;
	for (int c = 0; c <= cap_last(); c++)
		if (prctl(PR_CAPBSET_READ, c, 0, 0, 0) == 1)
			m |= 1ULL << c;
	return m;
}

int runtime_cap_parse(const char *name)
{
	char buf[64];
	cap_value_t v;
	size_t i;

	if (!name || strlen(name) > 40)
		return -1;
	if (strncasecmp(name, "CAP_", 4) != 0)
		snprintf(buf, sizeof buf, "cap_%s", name);
	else
		snprintf(buf, sizeof buf, "%s", name);
	for (i = 0; buf[i]; i++)
		buf[i] = (char)tolower((unsigned char)buf[i]);
	if (cap_from_name(buf, &v) < 0 || v < 0 || v > 63)
		return -1;
	return (int)v;
}

char *runtime_caps_string(uint64_t mask)
{
	struct strbuf sb;

	strbuf_init(&sb);
	for (int c = 0; c <= 63; c++) {
		if (!(mask & (1ULL << c)))
			continue;
		char *n = cap_to_name(c);
		if (sb.len)
			strbuf_putc(&sb, ',');
		for (char *p = n; p && *p; p++)
			strbuf_putc(&sb, (char)toupper((unsigned char)*p));
		cap_free(n);
	}
	return strbuf_detach(&sb);
}

static bool list_has_all(const struct strv *l)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcasecmp(l->v[i], "ALL") == 0)
			return true;
	return false;
}

int runtime_caps_compute(const struct ctr_container_config *cfg, uint64_t *out, struct ctr_err *err)
{
	uint64_t all = runtime_caps_all();
	uint64_t m = cfg->privileged ? all : runtime_caps_default();

	if (list_has_all(&cfg->cap_drop))
		m = 0;
	if (list_has_all(&cfg->cap_add))
		m = all;
	for (size_t i = 0; i < cfg->cap_add.n; i++) {
		if (strcasecmp(cfg->cap_add.v[i], "ALL") == 0)
			continue;
		int c = runtime_cap_parse(cfg->cap_add.v[i]);
		if (c < 0)
			return ctr_fail(err, E_INVALID_ARG, "unknown capability to add: %s",
			                cfg->cap_add.v[i]);
		m |= 1ULL << c;
	}
	for (size_t i = 0; i < cfg->cap_drop.n; i++) {
		if (strcasecmp(cfg->cap_drop.v[i], "ALL") == 0)
			continue;
		int c = runtime_cap_parse(cfg->cap_drop.v[i]);
		if (c < 0)
			return ctr_fail(err, E_INVALID_ARG, "unknown capability to drop: %s",
			                cfg->cap_drop.v[i]);
		m &= ~(1ULL << c);
	}
	if (m & ~all) {
		cleanup_free char *missing = runtime_caps_string(m & ~all);
		ctr_debug("capabilities not in the host bounding set are left out", "caps",
		          missing);
		m &= all;
	}
	*out = m;
	return 0;
}

/* ---- users ------------------------------------------------------------- */

/* A numeric uid or gid: decimal digits within uid_t (2^32-2: -1 is "none"). */
static bool parse_id(const char *s, uint32_t *out)
{
	uint64_t v;

	if (!s || ctr_parse_u64(s, UINT32_MAX - 1, &v) < 0)
		return false;
	*out = (uint32_t)v;
	return true;
}

/*
 * Open an /etc file of the current root (rootfd < 0), or of the root at
 * rootfd, resolved as if it were "/" (symlinks in the image stay inside).
 */
static FILE *etc_open(int rootfd, const char *file)
{
	if (rootfd < 0)
		return fopen(file, "re");
	struct open_how how = {
	    .flags = O_RDONLY | O_CLOEXEC,
	    .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};
	int fd = (int)syscall(SYS_openat2, rootfd, file + 1, &how, sizeof how);
	if (fd < 0)
		return NULL;
	FILE *f = fdopen(fd, "r");
	if (!f)
		close(fd);
	return f;
}

/* Find a line of an /etc file whose field 0 (name) or field 2 (id) matches. */
static char **etc_find(int rootfd, const char *file, const char *name, long id, char *line,
                       size_t len, char **fields, int nfields)
{
	FILE *f = etc_open(rootfd, file);

	if (!f)
		return NULL;
	while (fgets(line, (int)len, f)) {
		int n = 0;
		uint32_t fid;
		char *save = NULL, *p = line;
		line[strcspn(line, "\n")] = '\0';
		if (line[0] == '#' || !line[0])
			continue;
		/* strsep keeps empty fields (passwords are often empty). */
		while (n < nfields && (fields[n] = strsep(&p, ":")) != NULL)
			n++;
		(void)save;
		if (n < 3)
			continue;
		if ((name && strcmp(fields[0], name) == 0) ||
		    (!name && id >= 0 && parse_id(fields[2], &fid) && fid == id)) {
			fclose(f);
			return fields;
		}
	}
	fclose(f);
	return NULL;
}

static void add_group(struct runtime_user *u, gid_t g)
{
	for (size_t i = 0; i < u->ngroups; i++)
		if (u->groups[i] == g)
			return;
	u->groups = xrealloc(u->groups, (u->ngroups + 1) * sizeof(gid_t));
	u->groups[u->ngroups++] = g;
}

/* Supplementary groups: every /etc/group entry listing `user` as member. */
static void collect_groups(int rootfd, struct runtime_user *u, const char *user)
{
	char line[4096];
	FILE *f;

	if (!user)
		return;
	f = etc_open(rootfd, "/etc/group");
	if (!f)
		return;
	while (fgets(line, sizeof line, f)) {
		char *fields[4] = {0}, *p = line;
		int n = 0;
		line[strcspn(line, "\n")] = '\0';
		while (n < 4 && (fields[n] = strsep(&p, ":")) != NULL)
			n++;
		uint32_t gid;
		if (n < 4 || !parse_id(fields[2], &gid))
			continue;
		char *mem = fields[3], *tok;
		while ((tok = strsep(&mem, ",")) != NULL)
			if (strcmp(tok, user) == 0)
				add_group(u, (gid_t)gid);
	}
	fclose(f);
}

int runtime_user_resolve(const char *spec, struct runtime_user *u, struct ctr_err *err)
{
	return runtime_user_resolve_at(-1, spec, u, err);
}

int runtime_user_resolve_at(int rootfd, const char *spec, struct runtime_user *u,
                            struct ctr_err *err)
{
	cleanup_free char *copy = xstrdup(spec && *spec ? spec : "0");
	char *grp = strchr(copy, ':');
	char line[4096], *fields[7] = {0};
	char *username = NULL;

	uint32_t id, id2;

	memset(u, 0, sizeof *u);
	if (grp)
		*grp++ = '\0';
	if (parse_id(copy, &id)) {
		u->uid = (uid_t)id;
		u->gid = 0; /* Docker: a uid without a passwd entry runs with gid 0 */
		if (etc_find(rootfd, "/etc/passwd", NULL, (long)u->uid, line, sizeof line, fields,
		             7)) {
			u->gid = parse_id(fields[3], &id2) ? (gid_t)id2 : 0;
			u->home = xstrdup(fields[5] && *fields[5] ? fields[5] : "/");
			username = xstrdup(fields[0]);
		}
	} else {
		if (!etc_find(rootfd, "/etc/passwd", copy, -1, line, sizeof line, fields, 7) ||
		    !parse_id(fields[2], &id) || !parse_id(fields[3], &id2)) {
			ctr_fail(err, E_NOT_FOUND,
			         "unable to find user %s: no matching entries in passwd file",
			         copy);
			return ctr_hint(err, "use a numeric uid (-u 1000) or add the user to the "
			                     "image's /etc/passwd");
		}
		u->uid = (uid_t)id;
		u->gid = (gid_t)id2;
		u->home = xstrdup(fields[5] && *fields[5] ? fields[5] : "/");
		username = xstrdup(fields[0]);
	}
	if (grp && *grp) {
		if (parse_id(grp, &id)) {
			u->gid = (gid_t)id;
		} else if (etc_find(rootfd, "/etc/group", grp, -1, line, sizeof line, fields, 4) &&
		           parse_id(fields[2], &id)) {
			u->gid = (gid_t)id;
		} else {
			free(username);
			runtime_user_release(u);
			return ctr_fail(
			    err, E_NOT_FOUND,
			    "unable to find group %s: no matching entries in group file", grp);
		}
	}
	add_group(u, u->gid);
	/* Docker gives supplementary groups only when no group was forced. */
	if (!grp)
		collect_groups(rootfd, u, username);
	free(username);
	if (!u->home)
		u->home = xstrdup(u->uid == 0 ? "/root" : "/");
	return 0;
}

void runtime_user_release(struct runtime_user *u)
{
	free(u->groups);
	free(u->home);
	memset(u, 0, sizeof *u);
}

/* ---- rlimits ----------------------------------------------------------- */

static const struct {
	const char *name;
	int res;
} rlimit_names[] = {
    {"core", RLIMIT_CORE},         {"cpu", RLIMIT_CPU},
    {"data", RLIMIT_DATA},         {"fsize", RLIMIT_FSIZE},
    {"locks", RLIMIT_LOCKS},       {"memlock", RLIMIT_MEMLOCK},
    {"msgqueue", RLIMIT_MSGQUEUE}, {"nice", RLIMIT_NICE},
    {"nofile", RLIMIT_NOFILE},     {"nproc", RLIMIT_NPROC},
    {"rss", RLIMIT_RSS},           {"rtprio", RLIMIT_RTPRIO},
    {"rttime", RLIMIT_RTTIME},     {"sigpending", RLIMIT_SIGPENDING},
    {"stack", RLIMIT_STACK},       {"as", RLIMIT_AS},
};

static int parse_limit(const char *s, uint64_t *out)
{
	if (strcmp(s, "-1") == 0 || strcmp(s, "unlimited") == 0) {
		*out = RLIM_INFINITY;
		return 0;
	}
	return ctr_parse_u64(s, UINT64_MAX, out);
}

int runtime_ulimit_parse(const char *s, int *resource, uint64_t *soft, uint64_t *hard,
                         struct ctr_err *err)
{
	cleanup_free char *copy = xstrdup(s);
	char *eq = strchr(copy, '='), *colon;

	if (!eq)
		return ctr_fail(err, E_INVALID_ARG, "invalid ulimit %s: expected NAME=SOFT[:HARD]",
		                s);
	*eq++ = '\0';
	*resource = -1;
	for (size_t i = 0; i < CTR_ARRAY_SIZE(rlimit_names); i++)
		if (strcmp(copy, rlimit_names[i].name) == 0)
			*resource = rlimit_names[i].res;
	if (*resource < 0) {
		ctr_fail(err, E_INVALID_ARG, "invalid ulimit type: %s", copy);
		return ctr_hint(err,
		                "known: nofile, nproc, core, memlock, stack, cpu, fsize, as, ...");
	}
	colon = strchr(eq, ':');
	if (colon)
		*colon++ = '\0';
	if (parse_limit(eq, soft) < 0 || (colon && parse_limit(colon, hard) < 0))
		return ctr_fail(err, E_INVALID_ARG, "invalid ulimit value in %s", s);
	if (!colon)
		*hard = *soft;
	if (*soft > *hard)
		return ctr_fail(err, E_INVALID_ARG,
		                "invalid ulimit %s: soft limit is greater than the hard limit", s);
	return 0;
}

int runtime_apply_rlimits(const struct ctr_container_config *cfg, struct ctr_err *err)
{
	struct rlimit cur;

	/* Docker's engine default: 1048576 open files.  We cannot raise a
	 * hard limit without CAP_SYS_RESOURCE, so the default is clamped. */
	if (getrlimit(RLIMIT_NOFILE, &cur) == 0) {
		struct rlimit want = {1048576, 1048576};
		if (want.rlim_max > cur.rlim_max) {
			char buf[32];
			snprintf(buf, sizeof buf, "%llu", (unsigned long long)cur.rlim_max);
			ctr_debug("default nofile limit clamped to the hard limit", "hard", buf);
			want.rlim_max = want.rlim_cur = cur.rlim_max;
		}
		ctr_explain("setrlimit", "default open-file limit", "RLIMIT_NOFILE=%llu:%llu",
		            (unsigned long long)want.rlim_cur, (unsigned long long)want.rlim_max);
		if (setrlimit(RLIMIT_NOFILE, &want) < 0)
			ctr_debug("cannot set default nofile limit", "error", strerror(errno));
	}
	for (size_t i = 0; i < cfg->ulimits.n; i++) {
		int res;
		uint64_t soft, hard;
		if (runtime_ulimit_parse(cfg->ulimits.v[i], &res, &soft, &hard, err) < 0)
			return -1;
		struct rlimit rl = {soft, hard};
		ctr_explain("setrlimit", "--ulimit", "%s", cfg->ulimits.v[i]);
		if (setrlimit(res, &rl) < 0) {
			ctr_fail_errno(err, E_PERMISSION, errno, "cannot set ulimit %s",
			               cfg->ulimits.v[i]);
			return ctr_hint(
			    err,
			    "the hard limit cannot exceed the engine's own (see `ulimit -H -a`)");
		}
	}
	return 0;
}

/* ---- identity ---------------------------------------------------------- */

int runtime_apply_identity(const struct runtime_user *u, uint64_t caps, bool no_new_privs,
                           struct ctr_err *err)
{
	cap_t cp;

	ctr_explain("prctl", "limit capabilities forever (bounding set)",
	            "PR_CAPBSET_DROP for every capability outside 0x%016llx",
	            (unsigned long long)caps);
	for (int c = 0; c <= cap_last(); c++) {
		if (caps & (1ULL << c))
			continue;
		if (prctl(PR_CAPBSET_DROP, c, 0, 0, 0) < 0 && errno != EINVAL)
			return ctr_fail_errno(err, E_RUNTIME, errno,
			                      "cannot drop capability %d from the bounding set", c);
	}
	ctr_explain("setgroups", "supplementary groups of the user", "%zu group(s)", u->ngroups);
	if (setgroups(u->ngroups, u->groups) < 0) {
		/* A rootless single-ID user namespace denies setgroups (its groups stay). */
		cleanup_free char *sg = NULL;
		struct ctr_err e2;
		if (errno != EPERM || ctr_read_file("/proc/self/setgroups", &sg, NULL, &e2) < 0 ||
		    strncmp(sg, "deny", 4) != 0)
			return ctr_fail_errno(err, E_RUNTIME, errno, "setgroups");
	}
	ctr_explain("setresgid", "the container user's group", "gid=%u", (unsigned)u->gid);
	if (setresgid(u->gid, u->gid, u->gid) < 0)
		return ctr_fail_errno(err, E_RUNTIME, errno, "setresgid(%u)", (unsigned)u->gid);
	ctr_explain("setresuid", "the container user (non-root loses permitted capabilities)",
	            "uid=%u", (unsigned)u->uid);
	if (setresuid(u->uid, u->uid, u->uid) < 0)
		return ctr_fail_errno(err, E_RUNTIME, errno, "setresuid(%u)", (unsigned)u->uid);

	cp = cap_init(); /* all clear */
	if (!cp)
		return ctr_fail_errno(err, E_RUNTIME, errno, "cap_init");
	if (u->uid == 0) {
		for (int c = 0; c <= cap_last(); c++) {
			if (!(caps & (1ULL << c)))
				continue;
			cap_value_t v = c;
			cap_set_flag(cp, CAP_PERMITTED, 1, &v, CAP_SET);
			cap_set_flag(cp, CAP_EFFECTIVE, 1, &v, CAP_SET);
		}
	}
	ctr_explain("capset", "effective+permitted = the container's set, inheritable empty", "%s",
	            u->uid == 0 ? "uid 0 keeps them" : "non-root: none");
	if (cap_set_proc(cp) < 0) {
		int e = errno;
		cap_free(cp);
		return ctr_fail_errno(err, E_RUNTIME, e, "cannot set capabilities");
	}
	cap_free(cp);
	prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
	if (no_new_privs) {
		ctr_explain("prctl", "setuid binaries and file caps cannot raise privileges",
		            "PR_SET_NO_NEW_PRIVS=1");
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
			return ctr_fail_errno(err, E_RUNTIME, errno, "PR_SET_NO_NEW_PRIVS");
	}
	return 0;
}

/* ---- environment and exec ---------------------------------------------- */

static bool env_has(const struct strv *env, const char *key)
{
	size_t kl = strlen(key);
	for (size_t i = 0; i < env->n; i++)
		if (strncmp(env->v[i], key, kl) == 0 && env->v[i][kl] == '=')
			return true;
	return false;
}

void runtime_env_set(struct strv *env, const char *kv)
{
	size_t kl = strcspn(kv, "=");
	for (size_t i = 0; i < env->n; i++) {
		if (strncmp(env->v[i], kv, kl) == 0 && env->v[i][kl] == '=') {
			free(env->v[i]);
			env->v[i] = xstrdup(kv);
			return;
		}
	}
	strv_push(env, kv);
}

void runtime_build_env(const struct ctr_container_config *cfg, const char *hostname,
                       const struct runtime_user *u, const struct strv *extra, bool tty,
                       struct strv *out)
{
	strv_init(out);
	for (size_t i = 0; i < cfg->env.n; i++)
		runtime_env_set(out, cfg->env.v[i]);
	for (size_t i = 0; extra && i < extra->n; i++)
		runtime_env_set(out, extra->v[i]);
	if (!env_has(out, "PATH"))
		strv_push(out, "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
	if (!env_has(out, "HOSTNAME") && hostname)
		strv_push_owned(out, xasprintf("HOSTNAME=%s", hostname));
	if (tty && !env_has(out, "TERM"))
		strv_push(out, "TERM=xterm");
	if (!env_has(out, "HOME"))
		strv_push_owned(out, xasprintf("HOME=%s", u && u->home ? u->home : "/root"));
}

void runtime_execve(char *const argv[], char *const envp[], int *exit_code, struct ctr_err *err)
{
	const char *file = argv[0];
	const char *path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
	int saved = ENOENT;

	for (size_t i = 0; envp[i]; i++)
		if (strncmp(envp[i], "PATH=", 5) == 0)
			path = envp[i] + 5;
	if (strchr(file, '/')) {
		ctr_explain("execve", "become the user's program", "%s", file);
		execve(file, argv, envp);
		saved = errno;
	} else {
		cleanup_free char *copy = xstrdup(path);
		char *save = NULL;
		for (char *dir = strtok_r(copy, ":", &save); dir;
		     dir = strtok_r(NULL, ":", &save)) {
			char full[PATH_MAX];
			struct stat sb;
			snprintf(full, sizeof full, "%s/%s", *dir ? dir : ".", file);
			if (stat(full, &sb) < 0 || !S_ISREG(sb.st_mode))
				continue;
			ctr_explain("execve", "become the user's program", "%s (found in PATH)",
			            full);
			execve(full, argv, envp);
			saved = errno;
			if (saved != ENOENT)
				break;
		}
		if (saved == ENOENT) {
			*exit_code = CTR_EXIT_NOTFOUND;
			ctr_fail(err, E_NOT_FOUND,
			         "exec: \"%s\": executable file not found in $PATH", file);
			ctr_hint(err, "check the command name and the image's PATH");
			return;
		}
	}
	if (saved == ENOENT) {
		*exit_code = CTR_EXIT_NOTFOUND;
		ctr_fail(err, E_NOT_FOUND, "exec: \"%s\": no such file or directory", file);
		ctr_hint(err, "check the command path inside the container's root filesystem");
		return;
	}
	*exit_code = CTR_EXIT_NOEXEC;
	ctr_fail_errno(err, E_RUNTIME, saved, "exec: \"%s\"", file);
	if (err)
		err->code = saved == EACCES || saved == EPERM ? E_PERMISSION : E_RUNTIME;
	ctr_hint(err, "the file exists but cannot be executed (permissions, format, or a missing "
	              "interpreter)");
}
