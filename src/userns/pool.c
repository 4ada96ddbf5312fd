/*
 * pool.c - the `--userns auto` allocator.
 *
 * The pool is one range of host IDs (the `containers` user's subordinate
 * IDs, as podman does, else a fixed default far above normal users).  Each
 * container holding an `auto` namespace owns [offset, offset+size) of it,
 * recorded in <root>/userns/auto.json ({"<id>": [offset, size], ...}).
 * Allocation is first fit under an exclusive flock on <root>/userns/lock,
 * so two concurrent `run --userns auto` get disjoint ranges; `rm` gives the
 * range back, and ranges of containers that vanished are reclaimed.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "containr/store.h"
#include "containr/userns.h"
#include "containr/util.h"

void ctr_userns_pool_default(const char *subuid, const char *subgid, struct ctr_userns_pool *out)
{
	struct ctr_subid_range u, g;
	size_t nu = 0, ng = 0;
	struct ctr_err e;

	ctr_subid_lookup(subuid ? subuid : "/etc/subuid", "containers", (uid_t)-1, &u, 1, &nu, &e);
	ctr_subid_lookup(subgid ? subgid : "/etc/subgid", "containers", (uid_t)-1, &g, 1, &ng, &e);
	if (nu == 1 && ng == 1) {
		out->uid_start = u.start;
		out->gid_start = g.start;
		out->size = u.count < g.count ? u.count : g.count;
		out->from_subid = true;
		return;
	}
	out->uid_start = out->gid_start = CTR_USERNS_POOL_START;
	out->size = CTR_USERNS_POOL_SIZE;
	out->from_subid = false;
}

struct held {
	uint32_t off, size;
};

static int cmp_held(const void *a, const void *b)
{
	const struct held *x = a, *y = b;
	return x->off < y->off ? -1 : x->off > y->off;
}

/* Load auto.json (missing = empty object). */
static int load_table(const char *path, cJSON **out, struct ctr_err *err)
{
	if (access(path, F_OK) < 0) {
		*out = cJSON_CreateObject();
		return 0;
	}
	return ctr_json_load(path, out, err);
}

static bool entry_valid(const cJSON *e, uint32_t *off, uint32_t *size)
{
	if (!cJSON_IsArray(e) || cJSON_GetArraySize(e) != 2)
		return false;
	const cJSON *a = cJSON_GetArrayItem(e, 0), *b = cJSON_GetArrayItem(e, 1);
	if (!cJSON_IsNumber(a) || !cJSON_IsNumber(b) || a->valuedouble < 0 || b->valuedouble < 1 ||
	    a->valuedouble + b->valuedouble > (double)UINT32_MAX)
		return false;
	*off = (uint32_t)a->valuedouble;
	*size = (uint32_t)b->valuedouble;
	return true;
}

int ctr_userns_auto_alloc(const char *dir, const struct ctr_userns_pool *pool, uint32_t size,
                          const char *id, ctr_userns_alive_fn alive, void *ud, uint32_t *offset,
                          struct ctr_err *err)
{
	cleanup_free char *lockp = ctr_path_join(dir, "lock"),
	                  *path = ctr_path_join(dir, "auto.json");
	cJSON *tab = NULL;
	struct held *h = NULL;
	size_t n = 0;
	int lk, rc = -1;

	if (size == 0 || size > pool->size) {
		ctr_fail(err, E_INVALID_ARG, "--userns auto:size=%u: the pool holds %u IDs", size,
		         pool->size);
		return ctr_hint(
		    err, "%s",
		    pool->from_subid
		        ? "ask for less, or give the `containers` user a larger range in "
		          "/etc/subuid and /etc/subgid"
		        : "ask for less, or add a `containers:START:COUNT` line to "
		          "/etc/subuid and /etc/subgid");
	}
	if (ctr_mkdir_p(dir, 0700, err) < 0)
		return -1;
	lk = ctr_lock_path(lockp, true, true, err);
	if (lk < 0)
		return -1;
	if (load_table(path, &tab, err) < 0)
		goto out;
	h = xcalloc((size_t)cJSON_GetArraySize(tab) + 1, sizeof *h);
	for (cJSON *e = tab->child, *next; e; e = next) {
		uint32_t o, s;
		next = e->next;
		if (strcmp(e->string, id) == 0 && entry_valid(e, &o, &s) && s == size &&
		    (uint64_t)o + s <= pool->size) {
			*offset = o; /* already ours */
			rc = 0;
			goto out;
		}
		if (!entry_valid(e, &o, &s) || strcmp(e->string, id) == 0 ||
		    (alive && !alive(e->string, ud))) {
			cJSON_DetachItemViaPointer(tab, e);
			cJSON_Delete(e);
			continue;
		}
		h[n++] = (struct held){o, s};
	}
	qsort(h, n, sizeof *h, cmp_held);
	uint64_t cand = 0;
	for (size_t i = 0; i < n; i++) {
		if (cand + size <= h[i].off)
			break;
		if ((uint64_t)h[i].off + h[i].size > cand)
			cand = (uint64_t)h[i].off + h[i].size;
	}
	if (cand + size > pool->size) {
		ctr_fail(err, E_CONFLICT, "--userns auto: no free range of %u IDs left in the pool",
		         size);
		ctr_hint(err,
		         "remove containers that use --userns auto, or ask for a smaller size");
		goto out;
	}
	cJSON *pair = cJSON_CreateArray();
	cJSON_AddItemToArray(pair, cJSON_CreateNumber((double)cand));
	cJSON_AddItemToArray(pair, cJSON_CreateNumber((double)size));
	cJSON_AddItemToObject(tab, id, pair);
	if (ctr_json_save(path, tab, err) < 0)
		goto out;
	*offset = (uint32_t)cand;
	rc = 0;
out:
	free(h);
	cJSON_Delete(tab);
	ctr_unlock(lk);
	return rc;
}

int ctr_userns_auto_release(const char *dir, const char *id, struct ctr_err *err)
{
	cleanup_free char *lockp = ctr_path_join(dir, "lock"),
	                  *path = ctr_path_join(dir, "auto.json");
	cJSON *tab = NULL;
	int lk, rc = 0;

	if (access(path, F_OK) < 0)
		return 0;
	lk = ctr_lock_path(lockp, true, true, err);
	if (lk < 0)
		return -1;
	if (load_table(path, &tab, err) < 0) {
		ctr_unlock(lk);
		return -1;
	}
	if (cJSON_GetObjectItemCaseSensitive(tab, id)) {
		cJSON_DeleteItemFromObjectCaseSensitive(tab, id);
		rc = ctr_json_save(path, tab, err);
	}
	cJSON_Delete(tab);
	ctr_unlock(lk);
	return rc;
}
