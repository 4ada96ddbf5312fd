/*
 * volume.c - volume objects: create, load, list, in-use detection, remove,
 * prune.
 *
 * A volume is the directory <root>/volumes/<name>/ holding `_data` (what
 * containers see) and `volume.json` (name, driver, labels, options, creation
 * time, copy-up flag).  The volume's name is its store id, validated like a
 * container name, so user input never becomes a path unchecked.
 * volume.json is written last on create and the directory is removed
 * through the store (which never follows symlinks nor crosses mounts), so a
 * listing never shows a half-created or half-removed volume.
 *
 * "In use" is computed, not stored: a volume is used by every container
 * whose config.json "Mounts" (written by ctr_mounts_to_json) names it.
 */
#include "containr/volume.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "containr/container.h"
#include "containr/log.h"
#include "lib/json.h"
#include "volume/internal.h"

char *ctr_volume_data_path(const struct ctr_store *st, const char *name)
{
	return ctr_store_obj_path(st, CTR_KIND_VOLUME, name, "_data");
}

bool ctr_volume_exists(const struct ctr_store *st, const char *name)
{
	if (!ctr_name_valid(name))
		return false;
	cleanup_free char *p = ctr_store_obj_path(st, CTR_KIND_VOLUME, name, "volume.json");
	return access(p, F_OK) == 0;
}

static int not_found(struct ctr_err *err, const char *name)
{
	ctr_fail(err, E_NOT_FOUND, "no such volume: %s", name);
	return ctr_hint(err, "list volumes with `containr volume ls`");
}

int ctr_volume_load(const struct ctr_store *st, const char *name, cJSON **out, struct ctr_err *err)
{
	if (!ctr_name_valid(name))
		return ctr_name_invalid_error(err, CTR_KIND_VOLUME, name);
	cleanup_free char *p = ctr_store_obj_path(st, CTR_KIND_VOLUME, name, "volume.json");
	if (ctr_json_load(p, out, err) < 0) {
		if (err && err->code == E_NOT_FOUND)
			return not_found(err, name);
		return -1;
	}
	return 0;
}

/* "K=V" list -> JSON object; "K" alone gives "". */
static cJSON *kv_object(const struct strv *kv)
{
	cJSON *o = cJSON_CreateObject();

	for (size_t i = 0; kv && i < kv->n; i++) {
		const char *eq = strchr(kv->v[i], '=');
		cleanup_free char *k =
		    eq ? xstrndup(kv->v[i], (size_t)(eq - kv->v[i])) : xstrdup(kv->v[i]);
		cJSON_DeleteItemFromObjectCaseSensitive(o, k);
		cJSON_AddStringToObject(o, k, eq ? eq + 1 : "");
	}
	return o;
}

/*
 * Validate local driver options (Docker's local driver: type, device, o).
 * Supported: type=tmpfs (o= tmpfs options) and type=none,o=bind,device=PATH.
 */
static int check_local_opts(const cJSON *opts, struct ctr_err *err)
{
	const cJSON *it;
	const char *type = NULL, *device = NULL, *o = NULL;

	cJSON_ArrayForEach (it, opts) {
		if (!strcmp(it->string, "type"))
			type = it->valuestring;
		else if (!strcmp(it->string, "device"))
			device = it->valuestring;
		else if (!strcmp(it->string, "o"))
			o = it->valuestring;
		else {
			ctr_fail(err, E_INVALID_ARG,
			         "invalid volume option %s for the local driver", it->string);
			return ctr_hint(err, "the local driver knows type=, device= and o=");
		}
	}
	if (cJSON_GetArraySize(opts) == 0)
		return 0;
	if (!type) {
		ctr_fail(err, E_INVALID_ARG, "volume options given without type=");
		return ctr_hint(err, "use --opt type=tmpfs --opt device=tmpfs --opt o=size=64m, "
		                     "or --opt type=none --opt o=bind --opt device=/path");
	}
	if (!strcmp(type, "tmpfs")) {
		cleanup_free char *norm = NULL;
		if (o && *o && volume_tmpfs_options(o, o, &norm, err) < 0)
			return ctr_err_wrap(err, "volume option o=");
		return 0;
	}
	if (!strcmp(type, "none") && o && strstr(o, "bind")) {
		if (!device || device[0] != '/') {
			ctr_fail(err, E_INVALID_ARG, "a bind volume needs an absolute device=PATH");
			return ctr_hint(err,
			                "use --opt type=none --opt o=bind --opt device=/srv/data");
		}
		struct stat sb;
		if (stat(device, &sb) < 0 || !S_ISDIR(sb.st_mode)) {
			ctr_fail(err, E_NOT_FOUND, "bind volume device %s is not a directory",
			         device);
			return ctr_hint(err, "create the directory first");
		}
		return 0;
	}
	ctr_fail(err, E_UNSUPPORTED, "volume type %s is not supported by the local driver", type);
	return ctr_hint(err, "supported: type=tmpfs, or type=none with o=bind,device=PATH");
}

int ctr_volume_create(const struct ctr_store *st, const char *name, const struct strv *labels,
                      const struct strv *opts, const char *driver, bool anonymous, char **name_out,
                      struct ctr_err *err)
{
	char id[65];

	if (driver && strcmp(driver, "local") != 0) {
		ctr_fail(err, E_UNSUPPORTED, "volume driver %s is not available", driver);
		return ctr_hint(err, "containr has only the `local` driver");
	}
	if (!name) {
		if (ctr_store_new_id(st, CTR_KIND_VOLUME, id, err) < 0)
			return -1;
		name = id;
	} else if (!ctr_name_valid(name)) {
		return ctr_name_invalid_error(err, CTR_KIND_VOLUME, name);
	}

	cJSON *jopts = kv_object(opts);
	if (check_local_opts(jopts, err) < 0) {
		cJSON_Delete(jopts);
		return -1;
	}

	if (ctr_store_obj_create(st, CTR_KIND_VOLUME, name, err) < 0) {
		cJSON_Delete(jopts);
		if (err && err->code == E_CONFLICT) {
			ctr_fail(err, E_CONFLICT, "volume %s already exists", name);
			ctr_hint(err,
			         "pick another name, or remove it with `containr volume rm %s`",
			         name);
		}
		return -1;
	}
	int lock = ctr_store_lock(st, CTR_KIND_VOLUME, name, err);
	if (lock < 0) {
		cJSON_Delete(jopts);
		return -1;
	}

	int rc = -1;
	cJSON *v = cJSON_CreateObject();
	cleanup_free char *data = ctr_volume_data_path(st, name);
	cleanup_free char *json = ctr_store_obj_path(st, CTR_KIND_VOLUME, name, "volume.json");
	char created[64];
	time_t now = time(NULL);
	struct tm tm;

	ctr_explain("mkdir", "a volume's data lives in its own directory", "%s (0755)", data);
	if (mkdir(data, 0755) < 0 && errno != EEXIST) {
		ctr_fail_errno(err, E_IO, errno, "cannot create %s", data);
		goto out;
	}
	gmtime_r(&now, &tm);
	strftime(created, sizeof created, "%Y-%m-%dT%H:%M:%SZ", &tm);
	cJSON_AddStringToObject(v, "Name", name);
	cJSON_AddStringToObject(v, "Driver", "local");
	cJSON_AddStringToObject(v, "CreatedAt", created);
	cJSON *jl = kv_object(labels);
	if (anonymous && !cJSON_GetObjectItemCaseSensitive(jl, CTR_VOLUME_ANON_LABEL))
		cJSON_AddStringToObject(jl, CTR_VOLUME_ANON_LABEL, "");
	cJSON_AddItemToObject(v, "Labels", jl);
	cJSON_AddItemToObject(v, "Options", jopts);
	jopts = NULL;
	cJSON_AddBoolToObject(v, "CopiedUp", false);
	if (ctr_json_save(json, v, err) < 0)
		goto out;
	ctr_info("volume created", "name", name);
	if (name_out)
		*name_out = xstrdup(name);
	rc = 0;
out:
	if (rc < 0) {
		struct ctr_err e2;
		ctr_err_clear(&e2);
		ctr_store_obj_remove(st, CTR_KIND_VOLUME, name, &e2);
	}
	ctr_unlock(lock);
	cJSON_Delete(jopts);
	cJSON_Delete(v);
	return rc;
}

int ctr_volume_inspect(const struct ctr_store *st, const char *name, cJSON **out,
                       struct ctr_err *err)
{
	cJSON *v = NULL;

	if (ctr_volume_load(st, name, &v, err) < 0)
		return -1;
	cJSON *o = cJSON_CreateObject();
	const cJSON *it;
	cleanup_free char *mp = ctr_volume_data_path(st, name);

	cJSON_AddStringToObject(o, "CreatedAt", ctr_json_str_or(v, "CreatedAt", ""));
	cJSON_AddStringToObject(o, "Driver", "local");
	it = ctr_json_obj(v, "Labels");
	cJSON_AddItemToObject(o, "Labels",
	                      cJSON_GetArraySize(it) ? cJSON_Duplicate(it, 1) : cJSON_CreateNull());
	cJSON_AddStringToObject(o, "Mountpoint", mp);
	cJSON_AddStringToObject(o, "Name", name);
	it = ctr_json_obj(v, "Options");
	cJSON_AddItemToObject(o, "Options",
	                      cJSON_GetArraySize(it) ? cJSON_Duplicate(it, 1) : cJSON_CreateNull());
	cJSON_AddStringToObject(o, "Scope", "local");
	cJSON_Delete(v);
	*out = o;
	return 0;
}

int ctr_volume_list(const struct ctr_store *st, struct strv *out, struct ctr_err *err)
{
	struct strv all; /* initialised by ctr_store_list */

	if (ctr_store_list(st, CTR_KIND_VOLUME, &all, err) < 0) {
		strv_release(&all);
		return -1;
	}
	for (size_t i = 0; i < all.n; i++)
		if (ctr_volume_exists(st, all.v[i]))
			strv_push(out, all.v[i]);
	strv_release(&all);
	return 0;
}

/* ---- in use ------------------------------------------------------------ */

struct users_ctx {
	const struct ctr_store *st;
	const char *name;
	struct strv *users;
	bool running;
	int count;
};

/* The "Mounts" array of a container config (top level, or HostConfig). */
static int users_each(const struct ctr_container_record *r, void *ud)
{
	struct users_ctx *u = ud;
	const char *id = r->id;
	const cJSON *m;

	cJSON_ArrayForEach (m, r->mounts) {
		if (strcmp(ctr_json_str_or(m, "Type", ""), "volume") != 0 ||
		    strcmp(ctr_json_str_or(m, "Source", ""), u->name) != 0)
			continue;
		u->count++;
		if (u->users)
			strv_push(u->users, id);
		if (ctr_container_record_active(u->st, id))
			u->running = true;
		break;
	}
	return 0;
}

int ctr_volume_users(const struct ctr_store *st, const char *name, struct strv *users,
                     bool *running, struct ctr_err *err)
{
	struct users_ctx u = {.st = st, .name = name, .users = users};

	if (ctr_container_records_each(st, users_each, &u, err) < 0)
		return -1;
	if (running)
		*running = u.running;
	return u.count;
}

/* "abc123def456, other" : short ids of the users, for messages. */
static void users_text(const struct strv *users, char *buf, size_t len)
{
	size_t off = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < users->n && off + 16 < len; i++)
		off +=
		    (size_t)snprintf(buf + off, len - off, "%s%.12s", i ? ", " : "", users->v[i]);
}

int ctr_volume_remove(const struct ctr_store *st, const char *name, bool force, struct ctr_err *err)
{
	if (!ctr_name_valid(name))
		return ctr_name_invalid_error(err, CTR_KIND_VOLUME, name);
	if (!ctr_volume_exists(st, name)) {
		if (force)
			return 0;
		return not_found(err, name);
	}
	int lock = ctr_store_lock(st, CTR_KIND_VOLUME, name, err);
	if (lock < 0)
		return -1;

	struct strv users;
	bool running = false;
	int rc = -1;
	strv_init(&users);
	int n = ctr_volume_users(st, name, &users, &running, err);
	if (n < 0)
		goto out;
	if (n > 0 && (!force || running)) {
		char list[256];
		users_text(&users, list, sizeof list);
		ctr_fail(err, E_CONFLICT, "volume %s is in use by %s container%s %s", name,
		         running ? "a running" : "a", n > 1 ? "s:" : "", list);
		if (running)
			ctr_hint(err,
			         "stop and remove the container first (`containr rm -f %.12s`)",
			         users.v[0]);
		else
			ctr_hint(err,
			         "remove the container first (`containr rm %.12s`), or use "
			         "`volume rm -f`",
			         users.v[0]);
		goto out;
	}
	ctr_explain("rmdir", "remove the volume without following symlinks or crossing mounts",
	            "%s/volumes/%s", st->root, name);
	if (ctr_store_obj_remove(st, CTR_KIND_VOLUME, name, err) < 0)
		goto out;
	ctr_info("volume removed", "name", name);
	rc = 0;
out:
	strv_release(&users);
	ctr_unlock(lock);
	return rc;
}

/* ---- size and prune ---------------------------------------------------- */

int64_t ctr_volume_size(const struct ctr_store *st, const char *name)
{
	cleanup_free char *data = ctr_volume_data_path(st, name);

	return ctr_dir_size(data);
}

bool ctr_volume_label_match(const cJSON *vol, const char *filter)
{
	bool negate = filter[0] == '!';
	const char *f = negate ? filter + 1 : filter;
	const char *eq = strchr(f, '=');
	cleanup_free char *key = eq ? xstrndup(f, (size_t)(eq - f)) : xstrdup(f);
	const cJSON *labels = ctr_json_obj(vol, "Labels");
	const cJSON *l = labels ? cJSON_GetObjectItemCaseSensitive(labels, key) : NULL;
	bool match = l && (!eq || (cJSON_IsString(l) && !strcmp(l->valuestring, eq + 1)));

	return negate ? !match : match;
}

static bool is_anonymous(const cJSON *vol)
{
	const cJSON *labels = cJSON_GetObjectItemCaseSensitive(vol, "Labels");
	return cJSON_GetObjectItemCaseSensitive(labels, CTR_VOLUME_ANON_LABEL) != NULL;
}

int ctr_volume_prune(const struct ctr_store *st, bool all, const struct strv *label_filters,
                     struct strv *removed, int64_t *reclaimed, struct ctr_err *err)
{
	struct strv names;
	int rc = 0;

	*reclaimed = 0;
	strv_init(&names);
	if (ctr_volume_list(st, &names, err) < 0) {
		strv_release(&names);
		return -1;
	}
	for (size_t i = 0; i < names.n; i++) {
		cJSON *v = NULL;
		struct ctr_err e;
		bool keep = false;

		ctr_err_clear(&e);
		if (ctr_volume_load(st, names.v[i], &v, &e) < 0)
			continue; /* removed meanwhile, or corrupt: leave it alone */
		if (!all && !is_anonymous(v))
			keep = true;
		for (size_t j = 0; !keep && label_filters && j < label_filters->n; j++)
			if (!ctr_volume_label_match(v, label_filters->v[j]))
				keep = true;
		cJSON_Delete(v);
		if (keep)
			continue;
		int n = ctr_volume_users(st, names.v[i], NULL, NULL, &e);
		if (n != 0)
			continue;
		int64_t size = ctr_volume_size(st, names.v[i]);
		/* Not forced: ctr_volume_remove re-checks users under the lock. */
		if (ctr_volume_remove(st, names.v[i], false, &e) < 0) {
			if (e.code != E_CONFLICT && e.code != E_NOT_FOUND) {
				ctr_warn("cannot prune volume", "name", names.v[i], "error", e.msg);
				if (rc == 0 && err)
					*err = e;
				rc = -1;
			}
			continue;
		}
		strv_push(removed, names.v[i]);
		*reclaimed += size;
	}
	strv_release(&names);
	return rc;
}
