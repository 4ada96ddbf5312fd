/*
 * store.c - the on-disk state root (see include/containr/store.h).
 *
 * Objects are directories named by id under <root>/<kind>/.  Names are
 * reserved with symlinks in <root>/<kind>/.names/, because symlink(2) is
 * atomic and fails with EEXIST: two concurrent `run --name web` cannot both
 * win.  A name whose object directory is gone (a crash between reserve and
 * create, or rm) is stale and may be taken over.
 */
#include "containr/store.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "containr/log.h"

static const char *const kind_dirs[CTR_KIND__COUNT] = {"containers", "images", "volumes",
                                                       "networks"};
static const char *const kind_nouns[CTR_KIND__COUNT] = {"container", "image", "volume", "network"};

const char *ctr_kind_dir(enum ctr_kind kind)
{
	return kind_dirs[kind];
}

const char *ctr_kind_noun(enum ctr_kind kind)
{
	return kind_nouns[kind];
}

char *ctr_default_root(void)
{
	const char *env = getenv("CONTAINR_ROOT");

	if (env && *env)
		return xstrdup(env);
	if (geteuid() == 0)
		return xstrdup("/var/lib/containr");
	env = getenv("XDG_DATA_HOME");
	if (env && *env)
		return xasprintf("%s/containr", env);
	env = getenv("HOME");
	return xasprintf("%s/.local/share/containr", env && *env ? env : "/tmp");
}

int ctr_store_open(struct ctr_store *st, const char *root, struct ctr_err *err)
{
	static const char *const subdirs[] = {
	    "containers/.names", "networks/.names", "images", "volumes",
	    "blobs/sha256",      "layers",          "tmp",    "run"};
	char abs[PATH_MAX];

	memset(st, 0, sizeof *st);
	if (!root || !*root)
		return ctr_fail(err, E_INVALID_ARG, "empty state root");
	if (ctr_mkdir_p(root, 0711, err) < 0)
		return ctr_err_wrap(err, "cannot create state root");
	if (!realpath(root, abs))
		return ctr_fail_errno(err, E_IO, errno, "cannot resolve state root %s", root);
	for (size_t i = 0; i < CTR_ARRAY_SIZE(subdirs); i++) {
		cleanup_free char *p = ctr_path_join(abs, subdirs[i]);
		if (ctr_mkdir_p(p, 0700, err) < 0)
			return -1;
	}
	st->root = xstrdup(abs);
	st->run_dir = ctr_path_join(abs, "run");
	return 0;
}

void ctr_store_close(struct ctr_store *st)
{
	free(st->root);
	free(st->run_dir);
	st->root = st->run_dir = NULL;
}

char *ctr_store_path(const struct ctr_store *st, const char *fmt, ...)
{
	cleanup_free char *rel = NULL;
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(&rel, fmt, ap) < 0)
		rel = NULL;
	va_end(ap);
	return ctr_path_join(st->root, rel ? rel : "");
}

char *ctr_store_obj_path(const struct ctr_store *st, enum ctr_kind kind, const char *id,
                         const char *file)
{
	if (file)
		return xasprintf("%s/%s/%s/%s", st->root, kind_dirs[kind], id, file);
	return xasprintf("%s/%s/%s", st->root, kind_dirs[kind], id);
}

/* ---- JSON -------------------------------------------------------------- */

int ctr_json_load(const char *path, cJSON **out, struct ctr_err *err)
{
	cleanup_free char *data = NULL;
	size_t len = 0;

	*out = NULL;
	if (ctr_read_file(path, &data, &len, err) < 0)
		return -1;
	if (len == 0) {
		ctr_fail(err, E_CORRUPT, "%s is empty (truncated state file)", path);
		return ctr_hint(err, "the file was cut short; remove the object or restore it");
	}
	*out = cJSON_ParseWithLength(data, len);
	if (!*out) {
		const char *where = cJSON_GetErrorPtr();
		long off =
		    where && where >= data && where <= data + len ? (long)(where - data) : -1;
		ctr_fail(err, E_CORRUPT, "%s is not valid JSON (error near byte %ld)", path, off);
		return ctr_hint(err,
		                "the state file is corrupt; remove the object or restore the file");
	}
	return 0;
}

int ctr_json_save(const char *path, const cJSON *json, struct ctr_err *err)
{
	return ctr_json_save_opt(path, json, true, err);
}

int ctr_json_save_opt(const char *path, const cJSON *json, bool durable, struct ctr_err *err)
{
	cleanup_free char *text = cJSON_Print(json);
	struct strbuf sb;
	int rc;

	if (!text)
		return ctr_fail(err, E_INTERNAL, "cannot serialise JSON for %s", path);
	strbuf_init(&sb);
	strbuf_puts(&sb, text);
	strbuf_putc(&sb, '\n');
	rc = ctr_write_file_replace(path, sb.buf, sb.len, 0600, durable, err);
	strbuf_release(&sb);
	return rc;
}

/* ---- locks ------------------------------------------------------------- */

int ctr_lock_path(const char *path, bool exclusive, bool wait, struct ctr_err *err)
{
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	int op = (exclusive ? LOCK_EX : LOCK_SH) | (wait ? 0 : LOCK_NB);

	if (fd < 0)
		return ctr_fail_errno(err, E_IO, errno, "cannot open lock %s", path);
	while (flock(fd, op) < 0) {
		int e = errno;
		if (e == EINTR)
			continue;
		close(fd);
		if (e == EWOULDBLOCK)
			return ctr_fail(err, E_CONFLICT, "%s is locked by another process", path);
		return ctr_fail_errno(err, E_IO, e, "cannot lock %s", path);
	}
	return fd;
}

void ctr_unlock(int fd)
{
	if (fd >= 0) {
		flock(fd, LOCK_UN);
		close(fd);
	}
}

int ctr_store_lock(const struct ctr_store *st, enum ctr_kind kind, const char *id,
                   struct ctr_err *err)
{
	cleanup_free char *dir = ctr_store_obj_path(st, kind, id, NULL);
	cleanup_free char *p = ctr_path_join(dir, "lock");
	struct stat sb;

	if (stat(dir, &sb) < 0)
		return ctr_fail(err, E_NOT_FOUND, "no such %s: %s", kind_nouns[kind], id);
	return ctr_lock_path(p, true, true, err);
}

/* ---- names and ids ----------------------------------------------------- */

bool ctr_name_valid(const char *name)
{
	size_t n;

	if (!name || !*name)
		return false;
	n = strlen(name);
	if (n > 128)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = name[i];
		bool alnum =
		    (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
		if (alnum)
			continue;
		if (i > 0 && (c == '_' || c == '.' || c == '-'))
			continue;
		return false;
	}
	return true;
}

int ctr_name_invalid_error(struct ctr_err *err, enum ctr_kind kind, const char *name)
{
	ctr_fail(err, E_INVALID_ARG, "invalid %s name \"%s\"", kind_nouns[kind], name ? name : "");
	return ctr_hint(err, "names match [a-zA-Z0-9][a-zA-Z0-9_.-]* (at most 128 characters)");
}

static bool obj_exists(const struct ctr_store *st, enum ctr_kind kind, const char *id)
{
	cleanup_free char *p = ctr_store_obj_path(st, kind, id, NULL);
	struct stat sb;

	return stat(p, &sb) == 0 && S_ISDIR(sb.st_mode);
}

int ctr_store_new_id(const struct ctr_store *st, enum ctr_kind kind, char id[65],
                     struct ctr_err *err)
{
	for (int tries = 0; tries < 8; tries++) {
		if (ctr_random_id(id, err) < 0)
			return -1;
		/* Docker avoids ids whose 12-char short form is all digits. */
		bool digits = true;
		for (int i = 0; i < 12; i++)
			if (id[i] < '0' || id[i] > '9')
				digits = false;
		if (!digits && !obj_exists(st, kind, id))
			return 0;
	}
	return ctr_fail(err, E_INTERNAL, "cannot generate a unique id");
}

static char *name_link(const struct ctr_store *st, enum ctr_kind kind, const char *name)
{
	return xasprintf("%s/%s/.names/%s", st->root, kind_dirs[kind], name);
}

static char *name_target(const struct ctr_store *st, enum ctr_kind kind, const char *name)
{
	cleanup_free char *link = name_link(st, kind, name);
	char buf[128];
	ssize_t n = readlink(link, buf, sizeof buf - 1);

	if (n <= 0)
		return NULL;
	buf[n] = '\0';
	return xstrdup(buf);
}

int ctr_store_name_reserve(const struct ctr_store *st, enum ctr_kind kind, const char *name,
                           const char *id, struct ctr_err *err)
{
	cleanup_free char *dir = xasprintf("%s/%s/.names", st->root, kind_dirs[kind]);
	cleanup_free char *link = name_link(st, kind, name);

	if (!ctr_name_valid(name))
		return ctr_name_invalid_error(err, kind, name);
	if (ctr_mkdir_p(dir, 0700, err) < 0)
		return -1;
	for (int tries = 0; tries < 3; tries++) {
		if (symlink(id, link) == 0)
			return 0;
		if (errno != EEXIST)
			return ctr_fail_errno(err, E_IO, errno, "cannot reserve name %s", name);
		cleanup_free char *owner = name_target(st, kind, name);
		if (owner && strcmp(owner, id) == 0)
			return 0;
		if (owner && obj_exists(st, kind, owner)) {
			ctr_fail(err, E_CONFLICT,
			         "the %s name \"%s\" is already in use by %s %.12s",
			         kind_nouns[kind], name, kind_nouns[kind], owner);
			return ctr_hint(err,
			                "remove that %s (containr rm %s) or choose another name",
			                kind_nouns[kind], name);
		}
		/* Stale reservation: replace it atomically via rename. */
		cleanup_free char *tmp = xasprintf("%s.%s.tmp", link, id);
		unlink(tmp);
		if (symlink(id, tmp) == 0 && rename(tmp, link) == 0)
			return 0;
		unlink(tmp);
	}
	return ctr_fail(err, E_CONFLICT, "cannot reserve name %s", name);
}

void ctr_store_name_release(const struct ctr_store *st, enum ctr_kind kind, const char *name,
                            const char *id)
{
	cleanup_free char *owner = NULL;
	cleanup_free char *link = NULL;

	if (!name || !ctr_name_valid(name))
		return;
	owner = name_target(st, kind, name);
	if (owner && (!id || strcmp(owner, id) == 0)) {
		link = name_link(st, kind, name);
		unlink(link);
	}
}

char *ctr_store_name_of(const struct ctr_store *st, enum ctr_kind kind, const char *id)
{
	cleanup_free char *dir = xasprintf("%s/%s/.names", st->root, kind_dirs[kind]);
	DIR *d = opendir(dir);
	struct dirent *de;
	char *found = NULL;

	if (!d)
		return NULL;
	while (!found && (de = readdir(d))) {
		char buf[128];
		if (de->d_name[0] == '.')
			continue;
		ssize_t n = readlinkat(dirfd(d), de->d_name, buf, sizeof buf - 1);
		if (n <= 0)
			continue;
		buf[n] = '\0';
		if (strcmp(buf, id) == 0)
			found = xstrdup(de->d_name);
	}
	closedir(d);
	return found;
}

int ctr_store_list(const struct ctr_store *st, enum ctr_kind kind, struct strv *out,
                   struct ctr_err *err)
{
	cleanup_free char *dir = ctr_path_join(st->root, kind_dirs[kind]);
	DIR *d = opendir(dir);
	struct dirent *de;

	strv_init(out);
	if (!d) {
		if (errno == ENOENT)
			return 0;
		return ctr_fail_errno(err, E_IO, errno, "cannot list %s", dir);
	}
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		if (de->d_type != DT_DIR && de->d_type != DT_UNKNOWN)
			continue;
		strv_push(out, de->d_name);
	}
	closedir(d);
	strv_sort(out);
	return 0;
}

int ctr_store_resolve(const struct ctr_store *st, enum ctr_kind kind, const char *query,
                      char id_out[65], struct ctr_err *err)
{
	struct strv ids;
	const char *match = NULL;
	int nmatch = 0;
	size_t qlen;

	if (!query || !*query)
		return ctr_fail(err, E_INVALID_ARG, "empty %s name or id", kind_nouns[kind]);
	/* 1. exact name */
	if (ctr_name_valid(query)) {
		cleanup_free char *owner = name_target(st, kind, query);
		if (owner && strlen(owner) < 65 && obj_exists(st, kind, owner)) {
			snprintf(id_out, 65, "%s", owner);
			return 0;
		}
	}
	qlen = strlen(query);
	/* 2. full id, 3. unique prefix (ids only contain lowercase hex... or
	 * names for volumes, which are exact directory names) */
	if (strchr(query, '/') || !strcmp(query, ".") || !strcmp(query, ".."))
		goto notfound;
	if (ctr_store_list(st, kind, &ids, err) < 0)
		return -1;
	for (size_t i = 0; i < ids.n; i++) {
		if (strcmp(ids.v[i], query) == 0) {
			snprintf(id_out, 65, "%s", ids.v[i]);
			strv_release(&ids);
			return 0;
		}
	}
	if (kind != CTR_KIND_VOLUME && str_is_hex(query, qlen)) {
		struct strbuf cands;
		strbuf_init(&cands);
		for (size_t i = 0; i < ids.n; i++) {
			if (strncmp(ids.v[i], query, qlen) == 0) {
				match = ids.v[i];
				nmatch++;
				if (nmatch <= 4)
					strbuf_printf(&cands, "%s%.12s", nmatch > 1 ? ", " : "",
					              ids.v[i]);
			}
		}
		if (nmatch == 1) {
			snprintf(id_out, 65, "%s", match);
			strbuf_release(&cands);
			strv_release(&ids);
			return 0;
		}
		if (nmatch > 1) {
			ctr_fail(err, E_AMBIGUOUS, "%s id prefix \"%s\" is ambiguous: %d %ss match",
			         kind_nouns[kind], query, nmatch, kind_nouns[kind]);
			ctr_hint(err, "give more characters of the id (matches: %s%s)", cands.buf,
			         nmatch > 4 ? ", ..." : "");
			strbuf_release(&cands);
			strv_release(&ids);
			return -1;
		}
		strbuf_release(&cands);
	}
	strv_release(&ids);
notfound:
	ctr_fail(err, E_NOT_FOUND, "no such %s: %s", kind_nouns[kind], query);
	if (kind == CTR_KIND_CONTAINER)
		return ctr_hint(err, "list containers with: containr ps -a");
	if (kind == CTR_KIND_VOLUME)
		return ctr_hint(err, "list volumes with: containr volume ls");
	if (kind == CTR_KIND_NETWORK)
		return ctr_hint(err, "list networks with: containr network ls");
	return ctr_hint(err, "list images with: containr images");
}

int ctr_store_foreach(const struct ctr_store *st, enum ctr_kind kind, const char *file,
                      ctr_store_each_fn fn, void *ud, struct ctr_err *err)
{
	struct strv ids;
	int rc = 0;

	if (ctr_store_list(st, kind, &ids, err) < 0)
		return -1;
	for (size_t i = 0; i < ids.n && rc == 0; i++) {
		cleanup_free char *p = ctr_store_obj_path(st, kind, ids.v[i], file);
		struct ctr_err e2;
		cJSON *json = NULL;

		ctr_err_clear(&e2);
		if (ctr_json_load(p, &json, &e2) < 0) {
			/* Objects being created have no file yet: skip quietly. */
			if (e2.code != E_NOT_FOUND)
				ctr_warn("skipping unreadable state file", "file", p, "error",
				         e2.msg);
			continue;
		}
		rc = fn(ids.v[i], json, ud);
		cJSON_Delete(json);
	}
	strv_release(&ids);
	return rc;
}

int ctr_store_obj_create(const struct ctr_store *st, enum ctr_kind kind, const char *id,
                         struct ctr_err *err)
{
	cleanup_free char *p = ctr_store_obj_path(st, kind, id, NULL);

	if (mkdir(p, 0700) < 0) {
		if (errno == EEXIST)
			return ctr_fail(err, E_CONFLICT, "%s %s already exists", kind_nouns[kind],
			                id);
		return ctr_fail_errno(err, E_IO, errno, "cannot create %s", p);
	}
	return 0;
}

int ctr_store_obj_remove(const struct ctr_store *st, enum ctr_kind kind, const char *id,
                         struct ctr_err *err)
{
	cleanup_free char *p = ctr_store_obj_path(st, kind, id, NULL);
	cleanup_free char *tmp = NULL;

	if (!id || !*id || strchr(id, '/') || id[0] == '.')
		return ctr_fail(err, E_INVALID_ARG, "invalid %s id \"%s\"", kind_nouns[kind], id);
	/* Rename first so a half-removed object never shows up in listings. */
	tmp = xasprintf("%s/tmp/rm-%s-%s", st->root, kind_dirs[kind], id);
	if (rename(p, tmp) < 0) {
		if (errno == ENOENT)
			return ctr_fail(err, E_NOT_FOUND, "no such %s: %s", kind_nouns[kind], id);
		return ctr_rm_rf(p, err);
	}
	return ctr_rm_rf(tmp, err);
}
