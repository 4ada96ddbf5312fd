/* test_volume.c - volume objects: create (names, drivers, options), inspect,
 * in-use detection from container configs, rm/rm -f rules, prune, and
 * removal that never follows a symlink out of the volume. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "containr/volume.h"
#include "fixture.h"

static char root[UNIT_ROOT_MAX];
static struct ctr_store st;

static void setup(void)
{
	unit_store_open(root, &st, "vol");
}

static void teardown(void)
{
	unit_store_close(root, &st);
}

TestSuite(volume, .init = setup, .fini = teardown);

static void mkvol(const char *name, bool anonymous)
{
	struct ctr_err err;

	ctr_err_clear(&err);
	cr_assert_eq(ctr_volume_create(&st, name, NULL, NULL, NULL, anonymous, NULL, &err), 0, "%s",
	             err.msg);
}

static void container_using(const char *id, const char *vol, const char *status)
{
	struct ctr_err err;
	char *p, json[512];
	cJSON *cfg = cJSON_CreateObject(), *state = cJSON_CreateObject();

	cr_assert_eq(ctr_store_obj_create(&st, CTR_KIND_CONTAINER, id, &err), 0, "%s", err.msg);
	snprintf(
	    json, sizeof json,
	    "[{\"Type\":\"volume\",\"Source\":\"%s\",\"Destination\":\"/d\",\"ReadOnly\":false}]",
	    vol);
	cJSON_AddItemToObject(cfg, "Mounts", cJSON_Parse(json));
	p = ctr_store_obj_path(&st, CTR_KIND_CONTAINER, id, "config.json");
	cr_assert_eq(ctr_json_save(p, cfg, &err), 0, "%s", err.msg);
	free(p);
	cJSON_AddStringToObject(state, "Status", status);
	p = ctr_store_obj_path(&st, CTR_KIND_CONTAINER, id, "state.json");
	cr_assert_eq(ctr_json_save(p, state, &err), 0, "%s", err.msg);
	free(p);
	cJSON_Delete(cfg);
	cJSON_Delete(state);
}

Test(volume, create_and_inspect)
{
	struct ctr_err err;
	struct strv labels;
	char *name = NULL;
	cJSON *o = NULL;

	strv_init(&labels);
	strv_push(&labels, "team=web");
	strv_push(&labels, "flag");
	cr_assert_eq(ctr_volume_create(&st, "web-data", &labels, NULL, "local", false, &name, &err),
	             0, "%s", err.msg);
	cr_assert_str_eq(name, "web-data");
	free(name);
	cr_assert(ctr_volume_exists(&st, "web-data"));
	cr_assert_eq(ctr_volume_inspect(&st, "web-data", &o, &err), 0, "%s", err.msg);
	cr_assert_str_eq(cJSON_GetObjectItem(o, "Name")->valuestring, "web-data");
	cr_assert_str_eq(cJSON_GetObjectItem(o, "Driver")->valuestring, "local");
	cr_assert_str_eq(cJSON_GetObjectItem(o, "Scope")->valuestring, "local");
	cr_assert_str_eq(cJSON_GetObjectItem(cJSON_GetObjectItem(o, "Labels"), "team")->valuestring,
	                 "web");
	char *mp = cJSON_GetObjectItem(o, "Mountpoint")->valuestring;
	struct stat sb;
	cr_assert_eq(stat(mp, &sb), 0);
	cr_assert(S_ISDIR(sb.st_mode));
	cr_assert(str_endswith(mp, "/volumes/web-data/_data"));
	cJSON_Delete(o);
	strv_release(&labels);

	/* duplicate */
	cr_assert_lt(ctr_volume_create(&st, "web-data", NULL, NULL, NULL, false, NULL, &err), 0);
	cr_assert_eq(err.code, E_CONFLICT);
}

Test(volume, random_name_and_bad_input)
{
	struct ctr_err err;
	char *name = NULL;
	struct strv opts;

	cr_assert_eq(ctr_volume_create(&st, NULL, NULL, NULL, NULL, false, &name, &err), 0, "%s",
	             err.msg);
	cr_assert_eq(strlen(name), 64);
	cr_assert(str_is_hex(name, 64));
	free(name);

	cr_assert_lt(ctr_volume_create(&st, "../etc", NULL, NULL, NULL, false, NULL, &err), 0);
	cr_assert_eq(err.code, E_INVALID_ARG);
	cr_assert_lt(ctr_volume_create(&st, "x", NULL, NULL, "nfs", false, NULL, &err), 0);
	cr_assert_eq(err.code, E_UNSUPPORTED);
	cr_assert(!ctr_volume_exists(&st, "x"));

	strv_init(&opts);
	strv_push(&opts, "colour=blue");
	cr_assert_lt(ctr_volume_create(&st, "x", NULL, &opts, NULL, false, NULL, &err), 0);
	cr_assert(strstr(err.msg, "colour"), "%s", err.msg);
	strv_release(&opts);
	strv_init(&opts);
	strv_push(&opts, "type=tmpfs");
	strv_push(&opts, "o=size=bogus");
	cr_assert_lt(ctr_volume_create(&st, "x", NULL, &opts, NULL, false, NULL, &err), 0);
	strv_release(&opts);
	strv_init(&opts);
	strv_push(&opts, "type=tmpfs");
	strv_push(&opts, "device=tmpfs");
	strv_push(&opts, "o=size=1m");
	cr_assert_eq(ctr_volume_create(&st, "x", NULL, &opts, NULL, false, NULL, &err), 0, "%s",
	             err.msg);
	strv_release(&opts);
	cr_assert(!ctr_volume_exists(&st, ".."));
}

Test(volume, in_use_rules)
{
	struct ctr_err err;
	struct strv users;
	bool running;

	mkvol("busy", false);
	mkvol("stopped", false);
	container_using("c000000000000000000000000000000000000000000000000000000000000001", "busy",
	                "running");
	container_using("c000000000000000000000000000000000000000000000000000000000000002",
	                "stopped", "exited");
	strv_init(&users);
	cr_assert_eq(ctr_volume_users(&st, "busy", &users, &running, &err), 1);
	cr_assert(running);
	cr_assert_str_eq(users.v[0],
	                 "c000000000000000000000000000000000000000000000000000000000000001");
	strv_release(&users);

	/* In use by a running container: refused even with force. */
	cr_assert_lt(ctr_volume_remove(&st, "busy", false, &err), 0);
	cr_assert_eq(err.code, E_CONFLICT);
	cr_assert(strstr(err.msg, "c00000000000"), "%s", err.msg);
	cr_assert_lt(ctr_volume_remove(&st, "busy", true, &err), 0);
	cr_assert(ctr_volume_exists(&st, "busy"));

	/* In use by a stopped container: refused, but -f removes it. */
	cr_assert_lt(ctr_volume_remove(&st, "stopped", false, &err), 0);
	cr_assert_eq(err.code, E_CONFLICT);
	cr_assert_eq(ctr_volume_remove(&st, "stopped", true, &err), 0, "%s", err.msg);
	cr_assert(!ctr_volume_exists(&st, "stopped"));

	/* Missing: E_NOT_FOUND, -f ignores it. */
	cr_assert_lt(ctr_volume_remove(&st, "nope", false, &err), 0);
	cr_assert_eq(err.code, E_NOT_FOUND);
	cr_assert_eq(ctr_volume_remove(&st, "nope", true, &err), 0);
}

Test(volume, prune_anonymous_unless_all)
{
	struct ctr_err err;
	struct strv removed, filt;
	int64_t bytes;
	char p[512];

	mkvol("named", false);
	mkvol("anon1", true);
	mkvol("anon2", true);
	container_using("d000000000000000000000000000000000000000000000000000000000000001", "anon2",
	                "exited");
	snprintf(p, sizeof p, "%s/volumes/anon1/_data/f", root);
	FILE *f = fopen(p, "w");
	fputs("0123456789", f);
	fclose(f);

	strv_init(&removed);
	cr_assert_eq(ctr_volume_prune(&st, false, NULL, &removed, &bytes, &err), 0, "%s", err.msg);
	cr_assert_eq(removed.n, 1);
	cr_assert_str_eq(removed.v[0], "anon1");
	cr_assert_eq(bytes, 10);
	cr_assert(ctr_volume_exists(&st, "named"));
	cr_assert(ctr_volume_exists(&st, "anon2"), "used volumes are kept");
	strv_release(&removed);

	/* -a with a label filter that matches nothing keeps everything. */
	strv_init(&removed);
	strv_init(&filt);
	strv_push(&filt, "env=prod");
	cr_assert_eq(ctr_volume_prune(&st, true, &filt, &removed, &bytes, &err), 0);
	cr_assert_eq(removed.n, 0);
	strv_release(&filt);
	cr_assert_eq(ctr_volume_prune(&st, true, NULL, &removed, &bytes, &err), 0);
	cr_assert_eq(removed.n, 1);
	cr_assert_str_eq(removed.v[0], "named");
	cr_assert(ctr_volume_exists(&st, "anon2"));
	strv_release(&removed);
}

Test(volume, remove_never_follows_symlinks)
{
	struct ctr_err err;
	char outside[256], p[512];

	mkvol("evil", false);
	snprintf(outside, sizeof outside, "%s/outside", root);
	cr_assert_eq(mkdir(outside, 0755), 0);
	snprintf(p, sizeof p, "%s/keep", outside);
	close(creat(p, 0644));
	snprintf(p, sizeof p, "%s/volumes/evil/_data/link", root);
	cr_assert_eq(symlink(outside, p), 0);
	snprintf(p, sizeof p, "%s/volumes/evil/_data/abs", root);
	cr_assert_eq(symlink("/etc", p), 0);
	cr_assert_eq(ctr_volume_remove(&st, "evil", false, &err), 0, "%s", err.msg);
	cr_assert(!ctr_volume_exists(&st, "evil"));
	snprintf(p, sizeof p, "%s/keep", outside);
	cr_assert_eq(access(p, F_OK), 0, "removal followed a symlink");
	cr_assert_eq(access("/etc/passwd", F_OK), 0);
}

Test(volume, label_filters)
{
	cJSON *v = cJSON_Parse("{\"Labels\":{\"a\":\"1\",\"b\":\"\"}}");

	cr_assert(ctr_volume_label_match(v, "a"));
	cr_assert(ctr_volume_label_match(v, "a=1"));
	cr_assert(!ctr_volume_label_match(v, "a=2"));
	cr_assert(ctr_volume_label_match(v, "b="));
	cr_assert(!ctr_volume_label_match(v, "c"));
	cr_assert(ctr_volume_label_match(v, "!c"));
	cr_assert(!ctr_volume_label_match(v, "!a=1"));
	cJSON_Delete(v);
}

/* The one mount-option table: what the parser accepts, the mounter maps. */
#include <sys/mount.h>

#include "volume/internal.h"

Test(volume, mount_option_table_validates_and_maps)
{
	struct ctr_err err;
	char *canon = NULL, *data = NULL;
	unsigned long flags = 0;

	ctr_err_clear(&err);
	cr_assert_eq(volume_tmpfs_options("size=1m,exec,ro,private", "t", &canon, &err), 0, "%s",
	             err.msg);
	cr_assert_str_eq(canon, "size=1048576,exec,nosuid,nodev,ro");
	volume_tmpfs_flags(canon, &flags, &data);
	cr_assert_eq(flags, MS_NOSUID | MS_NODEV | MS_RDONLY);
	cr_assert_str_eq(data, "size=1048576");
	free(canon);
	free(data);

	cr_assert_eq(volume_tmpfs_options("", "t", &canon, &err), 0);
	cr_assert_str_eq(canon, "noexec,nosuid,nodev");
	volume_tmpfs_flags(canon, &flags, &data);
	cr_assert_eq(flags, MS_NOEXEC | MS_NOSUID | MS_NODEV);
	free(canon);
	free(data);

	cr_assert_eq(volume_tmpfs_options("rshared", "t", &canon, &err), -1,
	             "only private propagation is a tmpfs option");
	cr_assert_eq(volume_propagation_flags(NULL), MS_PRIVATE | MS_REC);
	cr_assert_eq(volume_propagation_flags("rslave"), MS_SLAVE | MS_REC);
	cr_assert_eq(volume_propagation_flags("shared"), MS_SHARED);
	cr_assert_null(volume_propagation_find("bogus"));
	cr_assert_not_null(volume_tmpfs_flag_find("nodev"));
}
