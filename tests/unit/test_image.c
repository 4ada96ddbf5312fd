/*
 * test_image.c - the content store (blob writer), the images index
 * (create, lookup by ref / id prefix / digest, tag, rmi rules, prune, an
 * image in use), and overlay mounts with many layers (as root).
 */
#pragma GCC diagnostic ignored "-Wformat-truncation"
#include <criterion/criterion.h>
#include <dirent.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "containr/image.h"
#include "containr/store.h"
#include "fixture.h"

static char root[UNIT_ROOT_MAX];
static struct ctr_store st;

static void setup(void)
{
	unit_store_open(root, &st, "image");
}

static void teardown(void)
{
	unit_store_close(root, &st);
}

static int count_dir(const char *fmt)
{
	char path[600];
	DIR *d;
	struct dirent *de;
	int n = 0;

	snprintf(path, sizeof path, fmt, root);
	d = opendir(path);
	if (!d)
		return -1;
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

TestSuite(blob, .init = setup, .fini = teardown);

Test(blob, writer_commits_under_its_digest)
{
	struct ctr_blob_writer *w;
	struct ctr_err err;
	char d[CTR_DIGEST_BUF], want[CTR_DIGEST_BUF];
	char *data;
	size_t len;

	ctr_digest_buf("hello world", 11, want);
	cr_assert_str_eq(want,
	                 "sha256:b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9");
	cr_assert_eq(ctr_blob_writer_open(&st, want, &w, &err), 0, "%s", err.msg);
	cr_assert_eq(ctr_blob_writer_write(w, "hello ", 6, &err), 0);
	cr_assert_eq(ctr_blob_writer_write(w, "world", 5, &err), 0);
	cr_assert_eq(ctr_blob_writer_size(w), 11);
	cr_assert_eq(ctr_blob_writer_commit(w, d, &err), 0, "%s", err.msg);
	cr_assert_str_eq(d, want);
	cr_assert(ctr_blob_exists(&st, want));
	cr_assert_eq(ctr_blob_read(&st, want, &data, &len, &err), 0);
	cr_assert_eq(len, 11);
	cr_assert_eq(memcmp(data, "hello world", 11), 0);
	free(data);
	cr_assert_eq(count_dir("%s/tmp"), 0);
}

Test(blob, digest_mismatch_leaves_nothing)
{
	struct ctr_blob_writer *w;
	struct ctr_err err;
	char want[CTR_DIGEST_BUF];

	ctr_digest_buf("expected", 8, want);
	cr_assert_eq(ctr_blob_writer_open(&st, want, &w, &err), 0);
	cr_assert_eq(ctr_blob_writer_write(w, "tampered", 8, &err), 0);
	ctr_err_clear(&err);
	cr_assert_eq(ctr_blob_writer_commit(w, NULL, &err), -1);
	cr_assert_eq(err.code, E_DIGEST);
	cr_assert(strstr(err.msg, want), "error names the expected digest: %s", err.msg);
	cr_assert_not(ctr_blob_exists(&st, want));
	cr_assert_eq(count_dir("%s/blobs/sha256"), 0);
	cr_assert_eq(count_dir("%s/tmp"), 0);
}

Test(blob, abort_and_bad_digest)
{
	struct ctr_blob_writer *w;
	struct ctr_err err;

	cr_assert_eq(ctr_blob_writer_open(&st, "sha256:xyz", &w, &err), -1);
	cr_assert_eq(err.code, E_INVALID_ARG);
	cr_assert_eq(ctr_blob_writer_open(&st, NULL, &w, &err), 0);
	ctr_blob_writer_write(w, "x", 1, &err);
	ctr_blob_writer_abort(w);
	cr_assert_eq(count_dir("%s/tmp"), 0);
	cr_assert_eq(count_dir("%s/blobs/sha256"), 0);
}

/* A dead process's temp entries (no flock) go; a live writer's stay. */
Test(blob, tmp_gc_spares_live_writers)
{
	struct ctr_blob_writer *w;
	struct ctr_err err;
	char path[700], d[CTR_DIGEST_BUF];
	int fd;

	cr_assert_eq(ctr_blob_writer_open(&st, NULL, &w, &err), 0);
	cr_assert_eq(ctr_blob_writer_write(w, "live", 4, &err), 0);
	snprintf(path, sizeof path, "%s/tmp/blob-dead01", root);
	fd = open(path, O_CREAT | O_WRONLY, 0600);
	cr_assert_geq(fd, 0);
	close(fd);
	snprintf(path, sizeof path, "%s/tmp/layer-dead01", root);
	cr_assert_eq(mkdir(path, 0700), 0);
	snprintf(path, sizeof path, "%s/tmp/layer-dead01/etc", root);
	cr_assert_eq(mkdir(path, 0700), 0);
	snprintf(path, sizeof path, "%s/tmp/rm-young", root);
	cr_assert_eq(mkdir(path, 0700), 0);
	cr_assert_eq(count_dir("%s/tmp"), 4);
	ctr_image_tmp_gc(&st);
	/* the writer's file and the young rm- grave are left */
	cr_assert_eq(count_dir("%s/tmp"), 2);
	snprintf(path, sizeof path, "%s/tmp/blob-dead01", root);
	cr_assert_neq(access(path, F_OK), 0, "unlocked blob temp removed");
	cr_assert_eq(ctr_blob_writer_commit(w, d, &err), 0, "%s", err.msg);
	cr_assert(ctr_blob_exists(&st, d));
}

/* ---- index ---------------------------------------------------------------- */

/* Make a one-layer image whose layer holds `file` with `content`. */
static void make_image(const char *ref, const char *file, const char *content,
                       char id[CTR_DIGEST_BUF])
{
	char dir[600], tar[700], cmd[1600], diffid[CTR_DIGEST_BUF];
	struct ctr_layer_opts o = {.store_tar = true};
	struct strv ids, dg, mt;
	struct ctr_err err;
	cJSON *cfg = cJSON_Parse("{\"config\":{\"Cmd\":[\"sh\"],\"Env\":[\"A=1\"],"
	                         "\"WorkingDir\":\"/w\"},\"created\":\"2024-01-02T03:04:05Z\"}");

	snprintf(dir, sizeof dir, "%s/src-%s", root, file);
	snprintf(tar, sizeof tar, "%s.tar", dir);
	snprintf(cmd, sizeof cmd, "mkdir -p %s && printf %%s '%s' > %s/%s && tar -C %s -cf %s .",
	         dir, content, dir, file, dir, tar);
	cr_assert_eq(system(cmd), 0);
	cr_assert_eq(ctr_layer_extract_file(&st, tar, &o, diffid, &err), 0, "%s", err.msg);
	strv_init(&ids);
	strv_init(&dg);
	strv_init(&mt);
	strv_push(&ids, diffid);
	strv_push(&dg, diffid);
	strv_push(&mt, "application/vnd.oci.image.layer.v1.tar");
	cr_assert_eq(ctr_image_create(&st, ref, cfg, &ids, &dg, &mt, id, &err), 0, "%s", err.msg);
	strv_release(&ids);
	strv_release(&dg);
	strv_release(&mt);
	cJSON_Delete(cfg);
}

TestSuite(image, .init = setup, .fini = teardown);

Test(image, lookup_by_ref_id_prefix_and_digest)
{
	char id[CTR_DIGEST_BUF], prefix[16];
	struct ctr_image img;
	struct ctr_err err;

	make_image("example/app:1.0", "a", "A", id);
	cr_assert_eq(ctr_image_lookup(&st, "example/app:1.0", &img, &err), 0, "%s", err.msg);
	cr_assert_str_eq(img.id, id);
	cr_assert_str_eq(img.ref, "docker.io/example/app:1.0");
	cr_assert_str_eq(img.display_ref, "example/app:1.0");
	cr_assert_eq(img.cmd.n, 1);
	cr_assert_str_eq(img.cmd.v[0], "sh");
	cr_assert_str_eq(img.env.v[0], "A=1");
	cr_assert_str_eq(img.workdir, "/w");
	cr_assert_eq(img.layers.n, 1);
	cr_assert_eq(access(img.layers.v[0], F_OK), 0);
	ctr_image_free(&img);

	cr_assert_eq(ctr_image_lookup(&st, "docker.io/example/app:1.0", &img, &err), 0);
	ctr_image_free(&img);
	snprintf(prefix, sizeof prefix, "%.12s", id + 7);
	cr_assert_eq(ctr_image_lookup(&st, prefix, &img, &err), 0, "%s", err.msg);
	cr_assert_str_eq(img.id, id);
	ctr_image_free(&img);
	cr_assert_eq(ctr_image_lookup(&st, id, &img, &err), 0);
	ctr_image_free(&img);

	ctr_err_clear(&err);
	cr_assert_eq(ctr_image_lookup(&st, "example/app:2.0", &img, &err), -1);
	cr_assert_eq(err.code, E_NOT_FOUND);
	ctr_image_free(&img);
	cr_assert_eq(ctr_image_lookup(&st, "example/app", &img, &err), -1, "latest is not 1.0");
	ctr_image_free(&img);
}

Test(image, tag_moves_and_rmi_untags_then_deletes)
{
	char id1[CTR_DIGEST_BUF], id2[CTR_DIGEST_BUF], r[CTR_DIGEST_BUF];
	struct ctr_rmi_result res;
	struct ctr_err err;

	make_image("app:1", "a", "A", id1);
	make_image("other:1", "b", "B", id2);
	cr_assert_eq(ctr_image_tag(&st, "app:1", "app:latest", &err), 0, "%s", err.msg);
	cr_assert_eq(ctr_image_resolve(&st, "app", r, &err), 0);
	cr_assert_str_eq(r, id1);
	/* moving a tag: app:latest now names other */
	cr_assert_eq(ctr_image_tag(&st, "other:1", "app:latest", &err), 0);
	cr_assert_eq(ctr_image_resolve(&st, "app", r, &err), 0);
	cr_assert_str_eq(r, id2);
	cr_assert_eq(ctr_image_tag(&st, "nope:1", "x:1", &err), -1);
	cr_assert_eq(err.code, E_NOT_FOUND);

	/* other has two names: by id without -f is a conflict */
	ctr_rmi_result_init(&res);
	ctr_err_clear(&err);
	cr_assert_eq(ctr_image_remove(&st, id2, false, &res, &err), -1);
	cr_assert_eq(err.code, E_CONFLICT, "%s", err.msg);
	/* by tag: only untag */
	cr_assert_eq(ctr_image_remove(&st, "app:latest", false, &res, &err), 0, "%s", err.msg);
	cr_assert_eq(res.untagged.n, 1);
	cr_assert_str_eq(res.untagged.v[0], "app:latest");
	cr_assert_eq(res.deleted.n, 0);
	cr_assert(ctr_blob_exists(&st, id2));
	/* last name: untag and delete, blobs and layer go */
	cr_assert_eq(ctr_image_remove(&st, "other:1", false, &res, &err), 0, "%s", err.msg);
	cr_assert_eq(res.deleted.n, 1);
	cr_assert_str_eq(res.deleted.v[0], id2);
	cr_assert_not(ctr_blob_exists(&st, id2));
	cr_assert_eq(ctr_image_resolve(&st, id2, r, &err), -1);
	cr_assert_eq(count_dir("%s/layers"), 2, "only app's layer (+ its .json) is left");
	ctr_rmi_result_release(&res);
}

Test(image, shared_layers_survive_rmi_and_in_use_is_refused)
{
	char id1[CTR_DIGEST_BUF], id2[CTR_DIGEST_BUF], path[700];
	struct ctr_rmi_result res;
	struct ctr_image img;
	struct ctr_err err;
	cJSON *cfg;

	make_image("one:1", "same", "S", id1);
	/* same layer, different config -> different image sharing the layer */
	{
		struct strv ids, dg, mt;
		cJSON *c = cJSON_Parse("{\"config\":{\"Cmd\":[\"other\"]}}");
		cr_assert_eq(ctr_image_lookup(&st, "one:1", &img, &err), 0);
		strv_init(&ids);
		strv_init(&dg);
		strv_init(&mt);
		const char *diffid = strrchr(img.layers.v[0], '/') + 1;
		char full[CTR_DIGEST_BUF];
		snprintf(full, sizeof full, "sha256:%s", diffid);
		strv_push(&ids, full);
		strv_push(&dg, full);
		strv_push(&mt, "application/vnd.oci.image.layer.v1.tar");
		cr_assert_eq(ctr_image_create(&st, "two:1", c, &ids, &dg, &mt, id2, &err), 0, "%s",
		             err.msg);
		strv_release(&ids);
		strv_release(&dg);
		strv_release(&mt);
		cJSON_Delete(c);
	}
	cr_assert_str_neq(id1, id2);
	/* a container uses one:1 */
	snprintf(path, sizeof path, "%s/containers/%064d", root, 7);
	mkdir(path, 0700);
	strcat(path, "/config.json");
	cfg = cJSON_CreateObject();
	cJSON_AddStringToObject(cfg, "Image", "one:1");
	cJSON_AddStringToObject(cfg, "ImageID", id1);
	cr_assert_eq(ctr_json_save(path, cfg, &err), 0);
	cJSON_Delete(cfg);

	ctr_rmi_result_init(&res);
	ctr_err_clear(&err);
	cr_assert_eq(ctr_image_remove(&st, "one:1", false, &res, &err), -1);
	cr_assert_eq(err.code, E_CONFLICT);
	cr_assert(strstr(err.msg, "is using"), "%s", err.msg);
	/* forced: the name goes, the image stays for its container */
	cr_assert_eq(ctr_image_remove(&st, "one:1", true, &res, &err), 0, "%s", err.msg);
	cr_assert_eq(res.deleted.n, 0);
	cr_assert(ctr_blob_exists(&st, id1));
	/* prune -a keeps it too (in use) but removes two:1; the shared layer stays */
	cr_assert_eq(ctr_image_prune(&st, true, &res, &err), 0, "%s", err.msg);
	cr_assert_eq(res.deleted.n, 1);
	cr_assert_str_eq(res.deleted.v[0], id2);
	cr_assert_eq(access(img.layers.v[0], F_OK), 0, "shared layer kept");
	ctr_image_free(&img);
	cr_assert_eq(ctr_image_lookup(&st, id1, &img, &err), 0, "%s", err.msg);
	ctr_image_free(&img);
	ctr_rmi_result_release(&res);
}

Test(image, default_image_builds_offline)
{
	struct ctr_image img;
	struct ctr_err err;
	char sh[700];
	struct stat sb;

	if (access("/bin/busybox", X_OK) != 0)
		cr_skip_test("busybox-static is not installed");
	cr_assert_eq(ctr_image_lookup(&st, CTR_DEFAULT_IMAGE, &img, &err), 0, "%s", err.msg);
	cr_assert_eq(img.layers.n, 1);
	snprintf(sh, sizeof sh, "%s/bin/sh", img.layers.v[0]);
	cr_assert_eq(lstat(sh, &sb), 0);
	cr_assert(S_ISLNK(sb.st_mode));
	snprintf(sh, sizeof sh, "%s/tmp", img.layers.v[0]);
	cr_assert_eq(stat(sh, &sb), 0);
	cr_assert_eq(sb.st_mode & 07777, 01777);
	ctr_image_free(&img);
}

/* ---- overlay ---------------------------------------------------------------- */

TestSuite(overlay, .init = setup, .fini = teardown);

Test(overlay, mounts_130_layers_top_most_wins)
{
	struct strv lowers;
	char path[700], target[700];
	int status;
	pid_t pid;

	if (geteuid() != 0)
		cr_skip_test("overlay mounts need root");
	strv_init(&lowers);
	for (int i = 0; i < 130; i++) {
		/* long names, like real layer dirs, so the page limit is hit */
		snprintf(path, sizeof path, "%s/layers/%064d", root, i);
		mkdir(path, 0755);
		strv_push(&lowers, path);
		snprintf(path, sizeof path, "%s/layers/%064d/f%d", root, i, i);
		FILE *f = fopen(path, "w");
		fprintf(f, "%d", i);
		fclose(f);
		snprintf(path, sizeof path, "%s/layers/%064d/same", root, i);
		f = fopen(path, "w");
		fprintf(f, "%d", i);
		fclose(f);
	}
	snprintf(target, sizeof target, "%s/merged", root);
	mkdir(target, 0755);
	pid = fork();
	if (pid == 0) {
		struct ctr_err err;
		char buf[16] = {0};
		int fd;
		if (unshare(CLONE_NEWNS) < 0 ||
		    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
			_exit(10);
		if (ctr_overlay_mount(&lowers, NULL, NULL, target, &err) < 0) {
			fprintf(stderr, "%s\n", err.msg);
			_exit(11);
		}
		snprintf(path, sizeof path, "%s/f0", target);
		if (access(path, F_OK) != 0)
			_exit(12);
		snprintf(path, sizeof path, "%s/f129", target);
		if (access(path, F_OK) != 0)
			_exit(13);
		snprintf(path, sizeof path, "%s/same", target);
		fd = open(path, O_RDONLY);
		if (fd < 0 || read(fd, buf, sizeof buf - 1) <= 0 || strcmp(buf, "129") != 0)
			_exit(14);
		_exit(0);
	}
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	cr_assert(WIFEXITED(status));
	cr_assert_eq(WEXITSTATUS(status), 0, "child failed with %d", WEXITSTATUS(status));
	cr_assert_eq(count_dir("%s/layers"), 130, "temp symlink dir removed");
	{
		DIR *d = opendir(root);
		struct dirent *de;
		while ((de = readdir(d)))
			cr_assert_not(strncmp(de->d_name, ".ovl-", 5) == 0, "%s left behind",
			              de->d_name);
		closedir(d);
	}
	strv_release(&lowers);
}

Test(overlay, writable_with_upper)
{
	struct strv lowers;
	char path[700], target[700], upper[700], work[700];
	int status;
	pid_t pid;

	if (geteuid() != 0)
		cr_skip_test("overlay mounts need root");
	strv_init(&lowers);
	snprintf(path, sizeof path, "%s/layers/l0", root);
	mkdir(path, 0755);
	strv_push(&lowers, path);
	snprintf(upper, sizeof upper, "%s/upper", root);
	snprintf(work, sizeof work, "%s/work", root);
	snprintf(target, sizeof target, "%s/merged", root);
	mkdir(upper, 0755);
	mkdir(work, 0755);
	mkdir(target, 0755);
	pid = fork();
	if (pid == 0) {
		struct ctr_err err;
		if (unshare(CLONE_NEWNS) < 0 ||
		    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
			_exit(10);
		if (ctr_overlay_mount(&lowers, upper, work, target, &err) < 0)
			_exit(11);
		snprintf(path, sizeof path, "%s/new", target);
		_exit(creat(path, 0644) < 0 ? 12 : 0);
	}
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	cr_assert_eq(WEXITSTATUS(status), 0);
	snprintf(path, sizeof path, "%s/new", upper);
	cr_assert_eq(access(path, F_OK), 0, "write landed in the upper dir");
	strv_release(&lowers);
}
