/* test_store.c - state store: atomic writes under SIGKILL, flock with
 * concurrent writers, ids, names, prefix lookup, corrupt files. */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "containr/store.h"
#include "fixture.h"

static char root[UNIT_ROOT_MAX];
static struct ctr_store st;

static void setup(void)
{
	unit_store_open(root, &st, "store");
}

static void teardown(void)
{
	unit_store_close(root, &st);
}

TestSuite(store, .init = setup, .fini = teardown);

static void make_obj(const char *id, const char *name)
{
	struct ctr_err err;

	cr_assert_eq(ctr_store_obj_create(&st, CTR_KIND_CONTAINER, id, &err), 0, "%s", err.msg);
	if (name)
		cr_assert_eq(ctr_store_name_reserve(&st, CTR_KIND_CONTAINER, name, id, &err), 0,
		             "%s", err.msg);
}

Test(store, layout_created)
{
	struct stat sb;
	char *p = ctr_store_path(&st, "containers");

	cr_assert_eq(stat(p, &sb), 0);
	cr_assert(S_ISDIR(sb.st_mode));
	free(p);
	p = ctr_store_path(&st, "blobs/sha256");
	cr_assert_eq(stat(p, &sb), 0);
	free(p);
}

Test(store, random_ids_are_64_hex_and_distinct)
{
	char a[65], b[65];
	struct ctr_err err;

	cr_assert_eq(ctr_store_new_id(&st, CTR_KIND_CONTAINER, a, &err), 0);
	cr_assert_eq(ctr_store_new_id(&st, CTR_KIND_CONTAINER, b, &err), 0);
	cr_assert_eq(strlen(a), 64);
	cr_assert(str_is_hex(a, 64));
	cr_assert_str_neq(a, b);
}

Test(store, resolve_by_name_full_id_and_prefix)
{
	char id[65];
	struct ctr_err err;
	const char *x = "abc1230000000000000000000000000000000000000000000000000000000001";
	const char *y = "abc4560000000000000000000000000000000000000000000000000000000002";

	make_obj(x, "web");
	make_obj(y, NULL);
	cr_assert_eq(ctr_store_resolve(&st, CTR_KIND_CONTAINER, "web", id, &err), 0);
	cr_assert_str_eq(id, x);
	cr_assert_eq(ctr_store_resolve(&st, CTR_KIND_CONTAINER, y, id, &err), 0);
	cr_assert_str_eq(id, y);
	cr_assert_eq(ctr_store_resolve(&st, CTR_KIND_CONTAINER, "abc4", id, &err), 0);
	cr_assert_str_eq(id, y);
	/* ambiguous prefix */
	cr_assert_eq(ctr_store_resolve(&st, CTR_KIND_CONTAINER, "abc", id, &err), -1);
	cr_assert_eq(err.code, E_AMBIGUOUS);
	cr_assert(strstr(err.hint, "abc123000000"), "%s", err.hint);
	cr_assert(strstr(err.hint, "abc456000000"), "%s", err.hint);
	/* not found */
	cr_assert_eq(ctr_store_resolve(&st, CTR_KIND_CONTAINER, "nope", id, &err), -1);
	cr_assert_eq(err.code, E_NOT_FOUND);
	cr_assert(strstr(err.msg, "no such container: nope"), "%s", err.msg);
	/* paths never resolve */
	cr_assert_eq(ctr_store_resolve(&st, CTR_KIND_CONTAINER, "../x", id, &err), -1);
}

Test(store, name_reservation_conflicts_and_stale_takeover)
{
	struct ctr_err err;
	const char *x = "1110000000000000000000000000000000000000000000000000000000000000";
	const char *y = "2220000000000000000000000000000000000000000000000000000000000000";

	make_obj(x, "db");
	cr_assert_eq(ctr_store_obj_create(&st, CTR_KIND_CONTAINER, y, &err), 0);
	cr_assert_eq(ctr_store_name_reserve(&st, CTR_KIND_CONTAINER, "db", y, &err), -1);
	cr_assert_eq(err.code, E_CONFLICT);
	cr_assert(strstr(err.msg, "already in use"), "%s", err.msg);
	/* once x is gone, its name is stale and can be taken */
	cr_assert_eq(ctr_store_obj_remove(&st, CTR_KIND_CONTAINER, x, &err), 0, "%s", err.msg);
	cr_assert_eq(ctr_store_name_reserve(&st, CTR_KIND_CONTAINER, "db", y, &err), 0, "%s",
	             err.msg);
	char *name = ctr_store_name_of(&st, CTR_KIND_CONTAINER, y);
	cr_assert_str_eq(name, "db");
	free(name);
	ctr_store_name_release(&st, CTR_KIND_CONTAINER, "db", y);
	cr_assert_null(ctr_store_name_of(&st, CTR_KIND_CONTAINER, y));
}

Test(store, name_validation)
{
	cr_assert(ctr_name_valid("web"));
	cr_assert(ctr_name_valid("a.b_c-1"));
	cr_assert(ctr_name_valid("X"));
	cr_assert_not(ctr_name_valid(""));
	cr_assert_not(ctr_name_valid("-x"));
	cr_assert_not(ctr_name_valid(".hidden"));
	cr_assert_not(ctr_name_valid("a/b"));
	cr_assert_not(ctr_name_valid("a b"));
	cr_assert_not(ctr_name_valid(".."));
}

static int count_cb(const char *id, cJSON *json, void *ud)
{
	(*(int *)ud)++;
	cr_assert_str_eq(id, "aaaa000000000000000000000000000000000000000000000000000000000000");
	return 0;
}

Test(store, corrupt_json_is_reported_and_skipped)
{
	struct ctr_err err;
	const char *good = "aaaa000000000000000000000000000000000000000000000000000000000000";
	const char *bad = "bbbb000000000000000000000000000000000000000000000000000000000000";
	const char *empty = "cccc000000000000000000000000000000000000000000000000000000000000";
	cJSON *j;

	make_obj(good, NULL);
	make_obj(bad, NULL);
	make_obj(empty, NULL);
	char *p = ctr_store_obj_path(&st, CTR_KIND_CONTAINER, good, "config.json");
	j = cJSON_CreateObject();
	cJSON_AddStringToObject(j, "Name", "ok");
	cr_assert_eq(ctr_json_save(p, j, &err), 0);
	cJSON_Delete(j);
	free(p);
	p = ctr_store_obj_path(&st, CTR_KIND_CONTAINER, bad, "config.json");
	cr_assert_eq(ctr_write_file_atomic(p, "{\"Name\": \"tru", 13, 0600, &err), 0);
	cr_assert_eq(ctr_json_load(p, &j, &err), -1);
	cr_assert_eq(err.code, E_CORRUPT);
	cr_assert(strstr(err.msg, p), "message names the file: %s", err.msg);
	free(p);
	p = ctr_store_obj_path(&st, CTR_KIND_CONTAINER, empty, "config.json");
	cr_assert_eq(ctr_write_file_atomic(p, "", 0, 0600, &err), 0);
	free(p);

	int seen = 0;
	cr_assert_eq(
	    ctr_store_foreach(&st, CTR_KIND_CONTAINER, "config.json", count_cb, &seen, &err), 0);
	cr_assert_eq(seen, 1);
}

/* Kill a writer at random points: the file is always one complete version. */
Test(store, atomic_write_survives_sigkill)
{
	struct ctr_err err;
	char *p = ctr_store_path(&st, "atomic.json");
	size_t big = 256 * 1024;
	char *a = malloc(big), *b = malloc(big);

	memset(a, 'a', big);
	memset(b, 'b', big);
	cr_assert_eq(ctr_write_file_atomic(p, a, big, 0600, &err), 0);
	for (int round = 0; round < 25; round++) {
		pid_t pid = fork();
		if (pid == 0) {
			for (;;) {
				ctr_write_file_atomic(p, b, big, 0600, NULL);
				ctr_write_file_atomic(p, a, big, 0600, NULL);
			}
		}
		usleep(1000 + (unsigned)(rand() % 20000));
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		char *data = NULL;
		size_t len = 0;
		cr_assert_eq(ctr_read_file(p, &data, &len, &err), 0);
		cr_assert_eq(len, big, "round %d: length %zu", round, len);
		cr_assert(memcmp(data, a, big) == 0 || memcmp(data, b, big) == 0,
		          "round %d: mixed content", round);
		free(data);
	}
	free(a);
	free(b);
	free(p);
}

/* Several processes increment one counter under flock: no update is lost. */
Test(store, concurrent_writers_under_flock_lose_nothing)
{
	const int procs = 4, iters = 50;
	char *p = ctr_store_path(&st, "counter.json");
	char *lock = ctr_store_path(&st, "counter.lock");
	struct ctr_err err;
	cJSON *j = cJSON_CreateObject();

	cJSON_AddNumberToObject(j, "n", 0);
	cr_assert_eq(ctr_json_save(p, j, &err), 0);
	cJSON_Delete(j);
	for (int i = 0; i < procs; i++) {
		if (fork() == 0) {
			for (int k = 0; k < iters; k++) {
				struct ctr_err e;
				int fd = ctr_lock_path(lock, true, true, &e);
				cJSON *c = NULL;
				if (fd < 0 || ctr_json_load(p, &c, &e) < 0)
					_exit(1);
				cJSON *n = cJSON_GetObjectItem(c, "n");
				cJSON_SetNumberValue(n, n->valuedouble + 1);
				if (ctr_json_save(p, c, &e) < 0)
					_exit(1);
				cJSON_Delete(c);
				ctr_unlock(fd);
			}
			_exit(0);
		}
	}
	for (int i = 0; i < procs; i++) {
		int status;
		wait(&status);
		cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	cr_assert_eq(ctr_json_load(p, &j, &err), 0);
	cr_assert_eq(cJSON_GetObjectItem(j, "n")->valueint, procs * iters);
	cJSON_Delete(j);
	free(p);
	free(lock);
}

Test(store, nonblocking_lock_reports_conflict)
{
	struct ctr_err err;
	char *lock = ctr_store_path(&st, "x.lock");
	int fd = ctr_lock_path(lock, true, true, &err);

	cr_assert_geq(fd, 0);
	pid_t pid = fork();
	if (pid == 0) {
		struct ctr_err e;
		int r = ctr_lock_path(lock, true, false, &e);
		_exit(r < 0 && e.code == E_CONFLICT ? 0 : 1);
	}
	int status;
	waitpid(pid, &status, 0);
	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	ctr_unlock(fd);
	free(lock);
}
