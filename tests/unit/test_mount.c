/* test_mount.c - mount specs (-v, --mount, --tmpfs, --volumes-from), the
 * stored JSON, and ctr_mounts_apply() against a temp "rootfs" full of evil
 * symlinks, in a private mount namespace of a forked child (needs root). */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/magic.h>

#include "containr/volume.h"
#include "fixture.h"

static char root[UNIT_ROOT_MAX];
static struct ctr_store st;

static void setup(void)
{
	unit_store_open(root, &st, "mount");
}

static void teardown(void)
{
	unit_store_close(root, &st);
}

TestSuite(mount, .init = setup, .fini = teardown);

/* Parse one flag kind; returns rc, list in *l, error in *err. */
static int parse1(const char *kind, const char *spec, struct ctr_mount_list *l, struct ctr_err *err)
{
	struct strv v;
	int rc;

	strv_init(&v);
	strv_push(&v, spec);
	ctr_err_clear(err);
	rc = ctr_mounts_parse(&st, !strcmp(kind, "v") ? &v : NULL,
	                      !strcmp(kind, "mount") ? &v : NULL,
	                      !strcmp(kind, "tmpfs") ? &v : NULL, NULL, l, err);
	strv_release(&v);
	return rc;
}

Test(mount, volume_specs)
{
	struct ctr_mount_list l;
	struct ctr_err err;

	cr_assert_eq(parse1("v", "data:/var/lib/data/", &l, &err), 0, "%s", err.msg);
	cr_assert_eq(l.n, 1);
	cr_assert_eq(l.v[0].type, CTR_MOUNT_VOLUME);
	cr_assert_str_eq(l.v[0].source, "data");
	cr_assert_str_eq(l.v[0].destination, "/var/lib/data");
	cr_assert(!l.v[0].readonly && !l.v[0].anonymous);
	ctr_mount_list_free(&l);

	cr_assert_eq(parse1("v", "/srv/x:/x//y/../z:ro", &l, &err), 0, "%s", err.msg);
	cr_assert_eq(l.v[0].type, CTR_MOUNT_BIND);
	cr_assert_str_eq(l.v[0].source, "/srv/x");
	cr_assert_str_eq(l.v[0].destination, "/x/z");
	cr_assert(l.v[0].readonly);
	ctr_mount_list_free(&l);

	cr_assert_eq(parse1("v", "/cache", &l, &err), 0, "%s", err.msg);
	cr_assert_eq(l.v[0].type, CTR_MOUNT_VOLUME);
	cr_assert(l.v[0].anonymous);
	cr_assert_null(l.v[0].source);
	ctr_mount_list_free(&l);

	cr_assert_eq(parse1("v", "/cache:ro", &l, &err), 0, "%s", err.msg);
	cr_assert(l.v[0].anonymous && l.v[0].readonly);
	cr_assert_str_eq(l.v[0].destination, "/cache");
	ctr_mount_list_free(&l);

	cr_assert_eq(parse1("v", "/h:/c:rw,rshared", &l, &err), 0, "%s", err.msg);
	cr_assert_str_eq(l.v[0].propagation, "rshared");
	ctr_mount_list_free(&l);
}

Test(mount, bad_volume_specs)
{
	struct ctr_mount_list l;
	struct ctr_err err;

	cr_assert_lt(parse1("v", ":/x", &l, &err), 0);
	cr_assert_eq(err.code, E_INVALID_ARG);
	cr_assert(strstr(err.msg, "empty source"), "%s", err.msg);
	cr_assert(err.hint[0]);
	ctr_mount_list_free(&l);

	cr_assert_lt(parse1("v", "data:relative", &l, &err), 0);
	cr_assert(strstr(err.msg, "not absolute"), "%s", err.msg);
	ctr_mount_list_free(&l);

	cr_assert_lt(parse1("v", "/h:/c:rx", &l, &err), 0);
	cr_assert(strstr(err.msg, "invalid mode \"rx\""), "%s", err.msg);
	ctr_mount_list_free(&l);

	cr_assert_lt(parse1("v", "bad$name:/c", &l, &err), 0);
	cr_assert(strstr(err.msg, "not a valid volume name"), "%s", err.msg);
	ctr_mount_list_free(&l);

	cr_assert_lt(parse1("v", "data:/", &l, &err), 0);
	cr_assert(strstr(err.msg, "cannot mount over /"), "%s", err.msg);
	ctr_mount_list_free(&l);

	cr_assert_lt(parse1("v", "a:/b:ro:x", &l, &err), 0);
	ctr_mount_list_free(&l);

	cr_assert_lt(parse1("v", "data:/c:nocopy,rshared", &l, &err), 0);
	cr_assert(strstr(err.msg, "only for bind"), "%s", err.msg);
	ctr_mount_list_free(&l);
}

Test(mount, duplicate_destination)
{
	struct ctr_mount_list l;
	struct ctr_err err;
	struct strv v, t;

	strv_init(&v);
	strv_init(&t);
	strv_push(&v, "a:/data");
	strv_push(&t, "/data/");
	ctr_err_clear(&err);
	cr_assert_lt(ctr_mounts_parse(&st, &v, NULL, &t, NULL, &l, &err), 0);
	cr_assert(strstr(err.msg, "duplicate mount point: /data"), "%s", err.msg);
	ctr_mount_list_free(&l);
	strv_release(&v);
	strv_release(&t);
}

Test(mount, mount_flag_specs)
{
	struct ctr_mount_list l;
	struct ctr_err err;

	cr_assert_eq(parse1("mount", "type=bind,src=/tmp,dst=/h,readonly", &l, &err), 0, "%s",
	             err.msg);
	cr_assert_eq(l.v[0].type, CTR_MOUNT_BIND);
	cr_assert_str_eq(l.v[0].source, "/tmp");
	cr_assert(l.v[0].readonly);
	ctr_mount_list_free(&l);

	cr_assert_eq(parse1("mount", "source=v1,target=/d,ro=false,volume-nocopy", &l, &err), 0,
	             "%s", err.msg);
	cr_assert_eq(l.v[0].type, CTR_MOUNT_VOLUME);
	cr_assert_str_eq(l.v[0].source, "v1");
	cr_assert(!l.v[0].readonly && l.v[0].nocopy);
	ctr_mount_list_free(&l);

	cr_assert_eq(parse1("mount", "type=volume,target=/anon", &l, &err), 0, "%s", err.msg);
	cr_assert(l.v[0].anonymous);
	ctr_mount_list_free(&l);

	cr_assert_eq(
	    parse1("mount", "type=tmpfs,destination=/t,tmpfs-size=1m,tmpfs-mode=700", &l, &err), 0,
	    "%s", err.msg);
	cr_assert_eq(l.v[0].type, CTR_MOUNT_TMPFS);
	cr_assert_str_eq(l.v[0].options, "size=1048576,mode=700,noexec,nosuid,nodev");
	ctr_mount_list_free(&l);

	cr_assert_lt(parse1("mount", "type=bind,src=/tmp,dst=/h,colour=blue", &l, &err), 0);
	cr_assert(strstr(err.msg, "unknown key \"colour\""), "%s", err.msg);
	ctr_mount_list_free(&l);

	cr_assert_lt(parse1("mount", "type=bind,src=/does/not/exist/x,dst=/h", &l, &err), 0);
	cr_assert(strstr(err.msg, "does not exist"), "%s", err.msg);
	ctr_mount_list_free(&l);

	cr_assert_lt(parse1("mount", "type=nfs,src=x,dst=/h", &l, &err), 0);
	cr_assert(strstr(err.msg, "unknown type"), "%s", err.msg);
	ctr_mount_list_free(&l);

	cr_assert_lt(parse1("mount", "type=volume,src=v", &l, &err), 0);
	cr_assert(strstr(err.hint, "target="), "%s", err.hint);
	ctr_mount_list_free(&l);

	cr_assert_lt(parse1("mount", "type=bind,src=/tmp,dst=/h,readonly=maybe", &l, &err), 0);
	ctr_mount_list_free(&l);
}

/* podman's U: -v SRC:DST:U, --mount ...,U|chown[=bool] */
Test(mount, chown_u_specs)
{
	struct ctr_mount_list l;
	struct ctr_err err;

	cr_assert_eq(parse1("v", "data:/d:U", &l, &err), 0, "%s", err.msg);
	cr_assert(l.v[0].chown && !l.v[0].readonly);
	cr_assert_str_eq(l.v[0].mode, "U");
	ctr_mount_list_free(&l);

	cr_assert_eq(parse1("v", "/h:/c:ro,U", &l, &err), 0, "%s", err.msg);
	cr_assert_eq(l.v[0].type, CTR_MOUNT_BIND);
	cr_assert(l.v[0].chown && l.v[0].readonly);
	ctr_mount_list_free(&l);

	cr_assert_eq(parse1("v", "/cache:U", &l, &err), 0, "%s", err.msg);
	cr_assert(l.v[0].anonymous && l.v[0].chown);
	cr_assert_str_eq(l.v[0].destination, "/cache");
	ctr_mount_list_free(&l);

	cr_assert_eq(parse1("v", "data:/d", &l, &err), 0, "%s", err.msg);
	cr_assert(!l.v[0].chown);
	ctr_mount_list_free(&l);

	/* lower-case u is not podman's option */
	cr_assert_lt(parse1("v", "data:/d:u", &l, &err), 0);
	cr_assert(strstr(err.msg, "invalid mode \"u\""), "%s", err.msg);
	ctr_mount_list_free(&l);

	cr_assert_lt(parse1("v", "/:/host:U", &l, &err), 0);
	cr_assert(strstr(err.msg, "whole root"), "%s", err.msg);
	cr_assert(err.hint[0]);
	ctr_mount_list_free(&l);

	cr_assert_eq(parse1("mount", "type=bind,src=/tmp,dst=/h,U", &l, &err), 0, "%s", err.msg);
	cr_assert(l.v[0].chown);
	ctr_mount_list_free(&l);

	cr_assert_eq(parse1("mount", "src=v1,dst=/d,chown=true", &l, &err), 0, "%s", err.msg);
	cr_assert(l.v[0].chown);
	ctr_mount_list_free(&l);

	cr_assert_eq(parse1("mount", "src=v1,dst=/d,U=false", &l, &err), 0, "%s", err.msg);
	cr_assert(!l.v[0].chown);
	ctr_mount_list_free(&l);

	cr_assert_lt(parse1("mount", "src=v1,dst=/d,U=maybe", &l, &err), 0);
	cr_assert(strstr(err.msg, "U=maybe"), "%s", err.msg);
	ctr_mount_list_free(&l);

	cr_assert_lt(parse1("mount", "type=tmpfs,dst=/t,U", &l, &err), 0);
	cr_assert(strstr(err.msg, "needs type=bind or type=volume"), "%s", err.msg);
	ctr_mount_list_free(&l);

	/* stored and read back */
	cr_assert_eq(parse1("v", "data:/d:U", &l, &err), 0, "%s", err.msg);
	cJSON *j = ctr_mounts_to_json(&l);
	ctr_mount_list_free(&l);
	cr_assert_eq(ctr_mounts_from_json(j, &l, &err), 0, "%s", err.msg);
	cr_assert(l.v[0].chown);
	cr_assert(ctr_mounts_need_owner(&l));
	ctr_mount_list_free(&l);
	cJSON_Delete(j);

	cr_assert_eq(parse1("tmpfs", "/run", &l, &err), 0, "%s", err.msg);
	cr_assert(!ctr_mounts_need_owner(&l));
	ctr_mount_list_free(&l);
}

Test(mount, tmpfs_specs)
{
	struct ctr_mount_list l;
	struct ctr_err err;

	cr_assert_eq(parse1("tmpfs", "/run", &l, &err), 0, "%s", err.msg);
	cr_assert_str_eq(l.v[0].options, "noexec,nosuid,nodev");
	ctr_mount_list_free(&l);

	cr_assert_eq(parse1("tmpfs", "/run:size=64m,mode=1777,exec", &l, &err), 0, "%s", err.msg);
	cr_assert_str_eq(l.v[0].options, "size=67108864,mode=1777,exec,nosuid,nodev");
	ctr_mount_list_free(&l);

	cr_assert_lt(parse1("tmpfs", "/run:size=lots", &l, &err), 0);
	cr_assert(strstr(err.msg, "invalid tmpfs size"), "%s", err.msg);
	ctr_mount_list_free(&l);

	cr_assert_lt(parse1("tmpfs", "/run:mode=999", &l, &err), 0);
	ctr_mount_list_free(&l);

	cr_assert_lt(parse1("tmpfs", "/run:bogus", &l, &err), 0);
	cr_assert(strstr(err.msg, "unknown tmpfs option \"bogus\""), "%s", err.msg);
	ctr_mount_list_free(&l);

	cr_assert_lt(parse1("tmpfs", "run", &l, &err), 0);
	ctr_mount_list_free(&l);
}

Test(mount, json_round_trip_and_inspect)
{
	struct ctr_mount_list l, back;
	struct ctr_err err;
	struct strv v, t;

	strv_init(&v);
	strv_init(&t);
	strv_push(&v, "/tmp:/host:ro");
	strv_push(&v, "named:/n");
	strv_push(&v, "/anon");
	strv_push(&t, "/t:size=1k");
	ctr_err_clear(&err);
	cr_assert_eq(ctr_mounts_parse(&st, &v, NULL, &t, NULL, &l, &err), 0, "%s", err.msg);
	cr_assert_eq(ctr_mounts_prepare(&st, &l, &err), 0, "%s", err.msg);
	cr_assert(ctr_volume_exists(&st, "named"));
	cr_assert_not_null(l.v[2].source);
	cr_assert_eq(strlen(l.v[2].source), 64);
	cr_assert(ctr_volume_exists(&st, l.v[2].source));

	cJSON *j = ctr_mounts_to_json(&l);
	cr_assert_eq(ctr_mounts_from_json(j, &back, &err), 0, "%s", err.msg);
	cr_assert_eq(back.n, 4);
	for (size_t i = 0; i < 4; i++) {
		cr_assert_eq(back.v[i].type, l.v[i].type);
		cr_assert_str_eq(back.v[i].destination, l.v[i].destination);
		cr_assert_eq(back.v[i].readonly, l.v[i].readonly);
		cr_assert_eq(back.v[i].anonymous, l.v[i].anonymous);
	}
	cr_assert_str_eq(back.v[3].options, "size=1024,noexec,nosuid,nodev");

	cJSON *ins = ctr_mounts_inspect_json(&st, &back);
	cJSON *m0 = cJSON_GetArrayItem(ins, 0), *m1 = cJSON_GetArrayItem(ins, 1);
	cr_assert_str_eq(cJSON_GetObjectItem(m0, "Type")->valuestring, "bind");
	cr_assert(cJSON_IsFalse(cJSON_GetObjectItem(m0, "RW")));
	cr_assert_str_eq(cJSON_GetObjectItem(m0, "Propagation")->valuestring, "rprivate");
	cr_assert_str_eq(cJSON_GetObjectItem(m1, "Name")->valuestring, "named");
	cr_assert_str_eq(cJSON_GetObjectItem(m1, "Driver")->valuestring, "local");
	cr_assert(strstr(cJSON_GetObjectItem(m1, "Source")->valuestring, "/volumes/named/_data"));

	/* rm -v: anonymous volumes go, named ones stay. */
	cr_assert_eq(ctr_mounts_remove_anonymous(&st, &back, &err), 0, "%s", err.msg);
	cr_assert(!ctr_volume_exists(&st, l.v[2].source));
	cr_assert(ctr_volume_exists(&st, "named"));

	cJSON_Delete(ins);
	cJSON_Delete(j);
	ctr_mount_list_free(&back);
	ctr_mount_list_free(&l);
	strv_release(&v);
	strv_release(&t);
}

Test(mount, image_volumes)
{
	struct ctr_mount_list l;
	struct ctr_err err;
	cJSON *vols = cJSON_Parse("{\"/data\": {}, \"/cache/\": {}}");

	cr_assert_eq(parse1("v", "named:/data", &l, &err), 0, "%s", err.msg);
	cr_assert_eq(ctr_mounts_add_image_volumes(&l, vols, &err), 0, "%s", err.msg);
	cr_assert_eq(l.n, 2, "/data is already mounted, /cache gets an anonymous volume");
	cr_assert_str_eq(l.v[1].destination, "/cache");
	cr_assert(l.v[1].anonymous);
	cr_assert_eq(l.v[1].type, CTR_MOUNT_VOLUME);
	cJSON_Delete(vols);
	vols = cJSON_Parse("{\"relative\": {}}");
	cr_assert_lt(ctr_mounts_add_image_volumes(&l, vols, &err), 0);
	cr_assert(strstr(err.msg, "relative"), "%s", err.msg);
	cJSON_Delete(vols);
	ctr_mount_list_free(&l);
}

/* A stored container that uses `mounts`, for --volumes-from and in-use tests. */
static void fake_container(const char *id, const char *name, const char *mounts_json,
                           const char *status)
{
	struct ctr_err err;
	char *p;
	cJSON *cfg = cJSON_CreateObject(), *state = cJSON_CreateObject();

	cr_assert_eq(ctr_store_obj_create(&st, CTR_KIND_CONTAINER, id, &err), 0, "%s", err.msg);
	if (name)
		cr_assert_eq(ctr_store_name_reserve(&st, CTR_KIND_CONTAINER, name, id, &err), 0);
	cJSON_AddItemToObject(cfg, "Mounts", cJSON_Parse(mounts_json));
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

Test(mount, volumes_from)
{
	struct ctr_mount_list l;
	struct ctr_err err;
	struct strv from, v;
	const char *id = "aaaa000000000000000000000000000000000000000000000000000000000001";

	fake_container(
	    id, "src",
	    "[{\"Type\":\"volume\",\"Source\":\"shared\",\"Destination\":\"/d\","
	    "\"ReadOnly\":false,\"Anonymous\":true},"
	    "{\"Type\":\"bind\",\"Source\":\"/tmp\",\"Destination\":\"/b\",\"ReadOnly\":false}]",
	    "exited");
	strv_init(&from);
	strv_init(&v);
	strv_push(&from, "src:ro");
	strv_push(&v, "other:/b");
	ctr_err_clear(&err);
	cr_assert_eq(ctr_mounts_parse(&st, &v, NULL, NULL, &from, &l, &err), 0, "%s", err.msg);
	cr_assert_eq(l.n, 2, "explicit /b replaces the inherited one");
	cr_assert_str_eq(l.v[0].source, "shared");
	cr_assert(l.v[0].readonly);
	cr_assert(!l.v[0].anonymous, "inherited volumes are never ours to remove");
	cr_assert_str_eq(l.v[1].source, "other");
	ctr_mount_list_free(&l);

	strv_release(&from);
	strv_init(&from);
	strv_push(&from, "nosuch");
	cr_assert_lt(ctr_mounts_parse(&st, NULL, NULL, NULL, &from, &l, &err), 0);
	cr_assert_eq(err.code, E_NOT_FOUND);
	ctr_mount_list_free(&l);
	strv_release(&from);
	strv_release(&v);
}

/* ---- apply, as root, in a private mount namespace -------------------- */

static char msg[512];
static char amsg[1100]; /* the last apply error */

/* Run fn in a forked child inside a new private mount namespace. */
static int in_mount_ns(int (*fn)(const char *rootfs), const char *rootfs)
{
	int pfd[2];
	cr_assert_eq(pipe(pfd), 0);
	pid_t pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		close(pfd[0]);
		char out[512] = "";
		int rc = 0;
		if (unshare(CLONE_NEWNS) < 0 ||
		    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0) {
			snprintf(out, sizeof out, "unshare: %s", strerror(errno));
			rc = 99;
		} else {
			rc = fn(rootfs);
			if (rc)
				snprintf(out, sizeof out, "%s", msg);
		}
		if (write(pfd[1], out, strlen(out)) < 0)
			rc = 98;
		_exit(rc);
	}
	close(pfd[1]);
	ssize_t n = read(pfd[0], msg, sizeof msg - 1);
	msg[n > 0 ? n : 0] = '\0';
	close(pfd[0]);
	int status;
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 100;
}

#define CHECK(cond, ...)                                                                           \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			char t_[4096];                                                             \
			snprintf(t_, sizeof t_, __VA_ARGS__);                                      \
			snprintf(msg, sizeof msg, "%.500s", t_);                                   \
			return __LINE__;                                                           \
		}                                                                                  \
	} while (0)

static char hostsrc[256];
static char rootfs_dir[256];

static void make_rootfs(void)
{
	cr_assert_eq(geteuid(), 0, "mount tests need root");
	snprintf(rootfs_dir, sizeof rootfs_dir, "%s/rootfs", root);
	snprintf(hostsrc, sizeof hostsrc, "%s/hostsrc", root);
	cr_assert_eq(mkdir(rootfs_dir, 0755), 0);
	cr_assert_eq(mkdir(hostsrc, 0755), 0);
	char *p = ctr_path_join(rootfs_dir, "etc");
	cr_assert_eq(mkdir(p, 0755), 0);
	free(p);
	/* The evil image: absolute and relative symlinks that point "up". */
	p = ctr_path_join(rootfs_dir, "data");
	cr_assert_eq(symlink("/etc", p), 0);
	free(p);
	p = ctr_path_join(rootfs_dir, "up");
	cr_assert_eq(symlink("../../../../../../../../tmp", p), 0);
	free(p);
	p = ctr_path_join(rootfs_dir, "dangling");
	cr_assert_eq(symlink("/nonexistent/dir", p), 0);
	free(p);
	p = ctr_path_join(hostsrc, "marker");
	FILE *f = fopen(p, "w");
	cr_assert_not_null(f);
	fputs("from-host\n", f);
	fclose(f);
	free(p);
}

/* The container's user given to ctr_mounts_apply (NULL: root). */
static const struct ctr_mount_owner *apply_owner;

static int apply_specs(const char *rootfs, const char *vol, const char *tmpfs)
{
	struct ctr_mount_list l;
	struct ctr_err err;
	struct strv v, t;
	int rc;

	strv_init(&v);
	strv_init(&t);
	if (vol)
		strv_push(&v, vol);
	if (tmpfs)
		strv_push(&t, tmpfs);
	ctr_err_clear(&err);
	rc = ctr_mounts_parse(&st, &v, NULL, &t, NULL, &l, &err);
	if (rc == 0)
		rc = ctr_mounts_prepare(&st, &l, &err);
	if (rc == 0)
		rc = ctr_mounts_apply(&st, rootfs, &l, apply_owner, &err);
	if (rc < 0)
		snprintf(amsg, sizeof amsg, "%s", err.msg);
	ctr_mount_list_free(&l);
	strv_release(&v);
	strv_release(&t);
	return rc;
}

static int evil_abs_symlink(const char *rootfs)
{
	char spec[512], p[512];
	struct stat a, b;

	snprintf(spec, sizeof spec, "%s:/data", hostsrc);
	CHECK(apply_specs(rootfs, spec, NULL) == 0, "apply: %s", amsg);
	/* The mount must be on <rootfs>/etc, never on the host's /etc. */
	snprintf(p, sizeof p, "%s/etc/marker", rootfs);
	CHECK(stat(p, &a) == 0, "marker not visible in <rootfs>/etc");
	snprintf(p, sizeof p, "%s/marker", hostsrc);
	CHECK(stat(p, &b) == 0 && a.st_ino == b.st_ino, "wrong file in <rootfs>/etc");
	CHECK(access("/etc/marker", F_OK) != 0, "the mount landed on the host /etc");
	CHECK(access("/etc/passwd", F_OK) == 0, "host /etc hidden");
	return 0;
}

Test(mount, symlink_absolute_stays_in_root)
{
	make_rootfs();
	cr_assert_eq(in_mount_ns(evil_abs_symlink, rootfs_dir), 0, "%s", msg);
}

/* A name no other process uses, so the host check below cannot be fooled by /tmp. */
static char evil_name[64];

static int evil_rel_symlink(const char *rootfs)
{
	char spec[512], p[512];

	/* /up -> ../../../../tmp must resolve to <rootfs>/tmp, created inside. */
	snprintf(spec, sizeof spec, "%s:/up/%s", hostsrc, evil_name);
	CHECK(apply_specs(rootfs, spec, NULL) == 0, "apply: %s", amsg);
	snprintf(p, sizeof p, "%s/tmp/%s/marker", rootfs, evil_name);
	CHECK(access(p, F_OK) == 0, "mount not at <rootfs>/tmp/%s", evil_name);
	snprintf(p, sizeof p, "/tmp/%s/marker", evil_name);
	CHECK(access(p, F_OK) != 0, "the mount landed on the host %s", p);
	return 0;
}

Test(mount, symlink_dotdot_stays_in_root)
{
	char host[128];

	snprintf(evil_name, sizeof evil_name, "containr-unit-evil.%d", (int)getpid());
	snprintf(host, sizeof host, "/tmp/%s", evil_name);
	make_rootfs();
	cr_assert_eq(in_mount_ns(evil_rel_symlink, rootfs_dir), 0, "%s", msg);
	cr_assert_neq(access(host, F_OK), 0, "mount point created on the host");
}

static int dangling(const char *rootfs)
{
	char spec[512], p[512];

	/* /dangling -> /nonexistent/dir: created inside the root, never on the host. */
	snprintf(spec, sizeof spec, "%s:/dangling/sub", hostsrc);
	CHECK(apply_specs(rootfs, spec, NULL) == 0, "apply: %s", amsg);
	snprintf(p, sizeof p, "%s/nonexistent/dir/sub/marker", rootfs);
	CHECK(access(p, F_OK) == 0, "mount not at <rootfs>/nonexistent/dir/sub");
	CHECK(access("/nonexistent", F_OK) != 0, "created /nonexistent on the host");
	return 0;
}

Test(mount, dangling_symlink_created_inside_root)
{
	make_rootfs();
	cr_assert_eq(in_mount_ns(dangling, rootfs_dir), 0, "%s", msg);
	cr_assert_neq(access("/nonexistent", F_OK), 0);
}

static int loop_symlink(const char *rootfs)
{
	char spec[512], p[512];

	snprintf(p, sizeof p, "%s/loop", rootfs);
	CHECK(symlink("/loop", p) == 0, "symlink");
	snprintf(spec, sizeof spec, "%s:/loop/x", hostsrc);
	CHECK(apply_specs(rootfs, spec, NULL) < 0, "mounted through a symlink loop");
	return 0;
}

Test(mount, symlink_loop_refused)
{
	make_rootfs();
	cr_assert_eq(in_mount_ns(loop_symlink, rootfs_dir), 0, "%s", msg);
}

static int readonly_bind(const char *rootfs)
{
	char spec[512], p[512];

	snprintf(spec, sizeof spec, "%s:/ro:ro", hostsrc);
	CHECK(apply_specs(rootfs, spec, NULL) == 0, "apply: %s", amsg);
	snprintf(p, sizeof p, "%s/ro/new", rootfs);
	int fd = open(p, O_WRONLY | O_CREAT, 0644);
	CHECK(fd < 0 && errno == EROFS, "write on a :ro mount: fd=%d errno=%d", fd, errno);
	snprintf(p, sizeof p, "%s/ro/marker", rootfs);
	CHECK(access(p, R_OK) == 0, "ro mount unreadable");
	return 0;
}

static int readonly_recursive(const char *rootfs)
{
	char spec[512], p[512];

	/* A submount inside the bind source must not stay writable. */
	snprintf(p, sizeof p, "%s/sub", hostsrc);
	CHECK(mkdir(p, 0755) == 0 || errno == EEXIST, "mkdir sub");
	CHECK(mount("tmpfs", p, "tmpfs", 0, "size=64k") == 0, "tmpfs submount: %s",
	      strerror(errno));
	snprintf(spec, sizeof spec, "%s:/ro:ro", hostsrc);
	CHECK(apply_specs(rootfs, spec, NULL) == 0, "apply: %s", amsg);
	snprintf(p, sizeof p, "%s/ro/sub/new", rootfs);
	int fd = open(p, O_WRONLY | O_CREAT, 0644);
	CHECK(fd < 0 && errno == EROFS, "write in a submount of a :ro bind: fd=%d errno=%d", fd,
	      errno);
	snprintf(p, sizeof p, "%s/sub/new", hostsrc);
	fd = open(p, O_WRONLY | O_CREAT, 0644);
	CHECK(fd >= 0, "the host's submount itself must stay writable");
	close(fd);
	return 0;
}

Test(mount, readonly_is_recursive)
{
	make_rootfs();
	cr_assert_eq(in_mount_ns(readonly_recursive, rootfs_dir), 0, "%s", msg);
}

Test(mount, readonly_is_erofs)
{
	make_rootfs();
	cr_assert_eq(in_mount_ns(readonly_bind, rootfs_dir), 0, "%s", msg);
}

static int tmpfs_size(const char *rootfs)
{
	char p[512];
	struct statfs sf;
	struct stat sb;

	CHECK(apply_specs(rootfs, NULL, "/scratch:size=2m,mode=1777") == 0, "apply: %s", amsg);
	snprintf(p, sizeof p, "%s/scratch", rootfs);
	CHECK(statfs(p, &sf) == 0, "statfs");
	CHECK(sf.f_type == TMPFS_MAGIC, "not a tmpfs: %lx", (long)sf.f_type);
	CHECK((long long)sf.f_blocks * sf.f_bsize == 2 * 1024 * 1024, "size %lld",
	      (long long)sf.f_blocks * sf.f_bsize);
	CHECK(stat(p, &sb) == 0 && (sb.st_mode & 07777) == 01777, "mode %o", sb.st_mode);
	CHECK(sf.f_flags & MS_NOEXEC, "tmpfs should be noexec by default");
	return 0;
}

Test(mount, tmpfs_size_and_mode)
{
	make_rootfs();
	cr_assert_eq(in_mount_ns(tmpfs_size, rootfs_dir), 0, "%s", msg);
}

static int file_bind(const char *rootfs)
{
	char spec[512], p[512];
	struct stat sb;

	snprintf(spec, sizeof spec, "%s/marker:/etc/conf/app.conf:ro", hostsrc);
	CHECK(apply_specs(rootfs, spec, NULL) == 0, "apply: %s", amsg);
	snprintf(p, sizeof p, "%s/etc/conf/app.conf", rootfs);
	CHECK(stat(p, &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_size == 10, "file bind missing");
	return 0;
}

Test(mount, file_bind_creates_file)
{
	make_rootfs();
	cr_assert_eq(in_mount_ns(file_bind, rootfs_dir), 0, "%s", msg);
}

static int copy_up(const char *rootfs)
{
	char p[512];
	struct stat sb;
	char buf[64];

	CHECK(apply_specs(rootfs, "cu:/app", NULL) == 0, "apply: %s", amsg);
	/* Visible through the mount and stored in the volume. */
	snprintf(p, sizeof p, "%s/volumes/cu/_data/hello.txt", root);
	CHECK(stat(p, &sb) == 0 && (sb.st_mode & 0777) == 0640 && sb.st_uid == 1234,
	      "hello.txt not copied with mode/owner");
	snprintf(p, sizeof p, "%s/volumes/cu/_data/link", root);
	ssize_t n = readlink(p, buf, sizeof buf - 1);
	CHECK(n == 9 && !memcmp(buf, "hello.txt", 9), "symlink not copied as a symlink");
	snprintf(p, sizeof p, "%s/volumes/cu/_data/sub/deep", root);
	CHECK(access(p, F_OK) == 0, "subdirectory not copied");
	snprintf(p, sizeof p, "%s/volumes/cu/_data", root);
	CHECK(stat(p, &sb) == 0 && (sb.st_mode & 0777) == 0750, "volume root mode %o",
	      sb.st_mode & 0777);
	return 0;
}

Test(mount, copy_up_once)
{
	char p[512];
	struct ctr_err err;

	make_rootfs();
	snprintf(p, sizeof p, "%s/app/sub", rootfs_dir);
	cr_assert_eq(ctr_mkdir_p(p, 0755, &err), 0);
	snprintf(p, sizeof p, "%s/app", rootfs_dir);
	chmod(p, 0750);
	snprintf(p, sizeof p, "%s/app/sub/deep", rootfs_dir);
	close(open(p, O_CREAT | O_WRONLY, 0644));
	snprintf(p, sizeof p, "%s/app/hello.txt", rootfs_dir);
	FILE *f = fopen(p, "w");
	fputs("hi\n", f);
	fclose(f);
	chmod(p, 0640);
	cr_assert_eq(chown(p, 1234, 1234), 0);
	snprintf(p, sizeof p, "%s/app/link", rootfs_dir);
	cr_assert_eq(symlink("hello.txt", p), 0);

	cr_assert_eq(in_mount_ns(copy_up, rootfs_dir), 0, "%s", msg);

	cJSON *v = NULL;
	cr_assert_eq(ctr_volume_load(&st, "cu", &v, &err), 0, "%s", err.msg);
	cr_assert(cJSON_IsTrue(cJSON_GetObjectItem(v, "CopiedUp")));
	cJSON_Delete(v);

	/* Emptied by the user: a second start must not refill it. */
	snprintf(p, sizeof p, "%s/volumes/cu/_data", root);
	char *data = xstrdup(p);
	snprintf(p, sizeof p, "rm -rf %s/* ", data);
	cr_assert_eq(system(p), 0);
	cr_assert_neq(in_mount_ns(copy_up, rootfs_dir), 0, "copied up twice");
	snprintf(p, sizeof p, "%s/hello.txt", data);
	cr_assert_neq(access(p, F_OK), 0);
	free(data);
}

/* A new volume where the image has no directory belongs to the user. */
static int owner_rule(const char *rootfs)
{
	static const struct ctr_mount_owner app = {1000, 1001, 0};
	char p[512];
	struct stat sb;

	apply_owner = &app;
	CHECK(apply_specs(rootfs, "fresh:/var/lib/db", NULL) == 0, "apply: %s", amsg);
	snprintf(p, sizeof p, "%s/volumes/fresh/_data", root);
	CHECK(stat(p, &sb) == 0 && sb.st_uid == 1000 && sb.st_gid == 1001,
	      "new volume owned by %u:%u, want 1000:1001", sb.st_uid, sb.st_gid);
	/* The image has /etc (root, 0755): the volume takes its owner, not the user's. */
	CHECK(apply_specs(rootfs, "over:/etc", NULL) == 0, "apply: %s", amsg);
	snprintf(p, sizeof p, "%s/volumes/over/_data", root);
	CHECK(stat(p, &sb) == 0 && sb.st_uid == 0 && (sb.st_mode & 0777) == 0755,
	      "volume over /etc owned by %u mode %o", sb.st_uid, sb.st_mode & 0777);
	/* A volume with content is never touched. */
	snprintf(p, sizeof p, "%s/volumes/used/_data", root);
	apply_owner = NULL;
	CHECK(apply_specs(rootfs, "used:/srv", NULL) == 0, "apply: %s", amsg);
	snprintf(p, sizeof p, "%s/volumes/used/_data/file", root);
	close(open(p, O_CREAT | O_WRONLY, 0644));
	apply_owner = &app;
	CHECK(apply_specs(rootfs, "used:/srv2", NULL) == 0, "apply: %s", amsg);
	snprintf(p, sizeof p, "%s/volumes/used/_data", root);
	CHECK(stat(p, &sb) == 0 && sb.st_uid == 0, "non-empty volume chowned to %u", sb.st_uid);
	apply_owner = NULL;
	return 0;
}

Test(mount, new_volume_belongs_to_user)
{
	make_rootfs();
	cr_assert_eq(in_mount_ns(owner_rule, rootfs_dir), 0, "%s", msg);
}

/* :U chowns a bind source recursively, never through a symlink. */
static int chown_u(const char *rootfs)
{
	static const struct ctr_mount_owner app = {1000, 1001, 0};
	char spec[512], p[512], target[512];
	struct stat sb;

	snprintf(p, sizeof p, "%s/sub/deeper", hostsrc);
	CHECK(ctr_mkdir_p(p, 0755, NULL) == 0, "mkdir");
	snprintf(p, sizeof p, "%s/sub/deeper/f", hostsrc);
	close(open(p, O_CREAT | O_WRONLY, 0644));
	snprintf(target, sizeof target, "%s/outside", root);
	close(open(target, O_CREAT | O_WRONLY, 0644));
	snprintf(p, sizeof p, "%s/sub/link", hostsrc);
	CHECK(symlink(target, p) == 0, "symlink");

	apply_owner = &app;
	snprintf(spec, sizeof spec, "%s:/work:U", hostsrc);
	int rc = apply_specs(rootfs, spec, NULL);
	apply_owner = NULL;
	CHECK(rc == 0, "apply: %s", amsg);
	const char *names[] = {"", "/marker", "/sub", "/sub/deeper", "/sub/deeper/f"};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		snprintf(p, sizeof p, "%s%s", hostsrc, names[i]);
		CHECK(stat(p, &sb) == 0 && sb.st_uid == 1000 && sb.st_gid == 1001,
		      "%s owned by %u:%u", p, sb.st_uid, sb.st_gid);
	}
	snprintf(p, sizeof p, "%s/sub/link", hostsrc);
	CHECK(lstat(p, &sb) == 0 && sb.st_uid == 1000, "the link itself not chowned");
	CHECK(stat(target, &sb) == 0 && sb.st_uid == 0, "chown followed a symlink out");
	snprintf(p, sizeof p, "%s/work/sub/deeper/f", rootfs);
	CHECK(stat(p, &sb) == 0 && sb.st_uid == 1000, "not visible in the container");
	return 0;
}

Test(mount, chown_u_recursive_no_follow)
{
	make_rootfs();
	cr_assert_eq(in_mount_ns(chown_u, rootfs_dir), 0, "%s", msg);
}
