/*
 * default.c - the built-in image CTR_DEFAULT_IMAGE
 * ("localhost/containr/busybox:latest"), so `containr run --rm
 * localhost/containr/busybox echo hello` works offline on a fresh machine.
 *
 * It is made from the host's static busybox (Debian's busybox-static,
 * /bin/busybox): one layer with the binary, an absolute symlink per applet
 * (from `busybox --list-full`), /etc/passwd, /etc/group, /tmp 1777 and the
 * usual empty mount points.  Every entry has the same fixed mtime and the
 * config a fixed "created", so the same busybox always gives the same image
 * id.  The "localhost/" name cannot be mistaken for Docker Hub's busybox.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>

#include "containr/image.h"
#include "containr/log.h"
#include "image/image_int.h"

#define DEFAULT_MTIME   1700000000
#define DEFAULT_CREATED "2023-11-14T22:13:20Z"

static const char *const busybox_paths[] = {"/bin/busybox", "/usr/bin/busybox"};

/* True if `path` is an ELF executable without an interpreter (static). */
static bool is_static_elf(const char *path)
{
	cleanup_close int fd = open(path, O_RDONLY | O_CLOEXEC);
	Elf64_Ehdr eh;

	if (fd < 0 || pread(fd, &eh, sizeof(eh), 0) != (ssize_t)sizeof(eh))
		return false;
	if (memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0 || eh.e_ident[EI_CLASS] != ELFCLASS64)
		return false;
	for (int i = 0; i < eh.e_phnum; i++) {
		Elf64_Phdr ph;
		if (pread(fd, &ph, sizeof(ph),
		          (off_t)(eh.e_phoff + (uint64_t)i * eh.e_phentsize)) !=
		    (ssize_t)sizeof(ph))
			return false;
		if (ph.p_type == PT_INTERP)
			return false;
	}
	return true;
}

static int add_entry(struct archive *a, const char *path, mode_t type, mode_t mode,
                     const char *symlink, const void *data, size_t len, struct ctr_err *err)
{
	struct archive_entry *e = archive_entry_new();
	int r;

	archive_entry_set_pathname(e, path);
	archive_entry_set_filetype(e, type);
	archive_entry_set_perm(e, mode);
	archive_entry_set_uid(e, 0);
	archive_entry_set_gid(e, 0);
	archive_entry_set_mtime(e, DEFAULT_MTIME, 0);
	if (symlink)
		archive_entry_set_symlink(e, symlink);
	if (type == AE_IFREG)
		archive_entry_set_size(e, (la_int64_t)len);
	r = archive_write_header(a, e);
	if (r == ARCHIVE_OK && len && archive_write_data(a, data, len) != (la_ssize_t)len)
		r = ARCHIVE_FATAL;
	archive_entry_free(e);
	if (r != ARCHIVE_OK)
		return ctr_fail(err, E_IO, "cannot write %s into the default image: %s", path,
		                archive_error_string(a));
	return 0;
}

static int cmp_strp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Write the rootfs tar of the default image to `tar_path`. */
static int write_rootfs_tar(const char *busybox, const char *tar_path, struct ctr_err *err)
{
	static const struct {
		const char *path;
		mode_t mode;
	} dirs[] = {
	    {"bin", 0755},  {"dev", 0755},      {"etc", 0755},     {"home", 0755},
	    {"proc", 0555}, {"root", 0700},     {"sbin", 0755},    {"sys", 0555},
	    {"tmp", 01777}, {"usr", 0755},      {"usr/bin", 0755}, {"usr/sbin", 0755},
	    {"var", 0755},  {"var/tmp", 01777},
	};
	static const char passwd[] = "root:x:0:0:root:/root:/bin/sh\n"
	                             "daemon:x:1:1:daemon:/usr/sbin:/bin/false\n"
	                             "nobody:x:65534:65534:nobody:/nonexistent:/bin/false\n";
	static const char group[] = "root:x:0:\ndaemon:x:1:\ntty:x:5:\nnogroup:x:65534:\n";
	cleanup_free char *bin = NULL;
	cleanup_free char *cmd = NULL;
	size_t binlen;
	struct strv applets;
	struct archive *a;
	FILE *p;
	char line[512];
	int rc = -1;

	if (ctr_read_file(busybox, &bin, &binlen, err) < 0)
		return -1;
	strv_init(&applets);
	cmd = xasprintf("'%s' --list-full", busybox);
	p = popen(cmd, "r");
	if (!p)
		return ctr_fail_errno(err, E_IO, errno, "cannot run %s --list-full", busybox);
	while (fgets(line, sizeof(line), p)) {
		line[strcspn(line, "\n")] = '\0';
		/* applets only in known dirs; never a name with ".." */
		if (line[0] && !strstr(line, "..") && strcmp(line, "bin/busybox") != 0 &&
		    (str_startswith(line, "bin/") || str_startswith(line, "sbin/") ||
		     str_startswith(line, "usr/bin/") || str_startswith(line, "usr/sbin/")))
			strv_push(&applets, line);
	}
	pclose(p);
	qsort(applets.v, applets.n, sizeof(char *), cmp_strp);

	a = archive_write_new();
	archive_write_set_format_pax_restricted(a);
	if (archive_write_open_filename(a, tar_path) != ARCHIVE_OK) {
		ctr_fail(err, E_IO, "cannot write %s: %s", tar_path, archive_error_string(a));
		goto out;
	}
	for (size_t i = 0; i < CTR_ARRAY_SIZE(dirs); i++)
		if (add_entry(a, dirs[i].path, AE_IFDIR, dirs[i].mode, NULL, NULL, 0, err) < 0)
			goto out;
	if (add_entry(a, "bin/busybox", AE_IFREG, 0755, NULL, bin, binlen, err) < 0 ||
	    add_entry(a, "etc/passwd", AE_IFREG, 0644, NULL, passwd, strlen(passwd), err) < 0 ||
	    add_entry(a, "etc/group", AE_IFREG, 0644, NULL, group, strlen(group), err) < 0)
		goto out;
	for (size_t i = 0; i < applets.n; i++)
		if (add_entry(a, applets.v[i], AE_IFLNK, 0777, "/bin/busybox", NULL, 0, err) < 0)
			goto out;
	if (archive_write_close(a) != ARCHIVE_OK) {
		ctr_fail(err, E_IO, "cannot write %s: %s", tar_path, archive_error_string(a));
		goto out;
	}
	rc = 0;
out:
	archive_write_free(a);
	strv_release(&applets);
	return rc;
}

static cJSON *default_config(void)
{
	cJSON *c = cJSON_CreateObject();
	cJSON *cc, *env, *cmd, *labels, *hist, *h;

	cJSON_AddStringToObject(c, "created", DEFAULT_CREATED);
	cJSON_AddStringToObject(c, "architecture", image_host_arch());
	cJSON_AddStringToObject(c, "os", "linux");
	cc = cJSON_AddObjectToObject(c, "config");
	env = cJSON_AddArrayToObject(cc, "Env");
	cJSON_AddItemToArray(
	    env, cJSON_CreateString(
	             "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"));
	cmd = cJSON_AddArrayToObject(cc, "Cmd");
	cJSON_AddItemToArray(cmd, cJSON_CreateString("sh"));
	labels = cJSON_AddObjectToObject(cc, "Labels");
	cJSON_AddStringToObject(labels, "org.opencontainers.image.description",
	                        "containr built-in image: the host's busybox-static");
	hist = cJSON_AddArrayToObject(c, "history");
	h = cJSON_CreateObject();
	cJSON_AddStringToObject(h, "created", DEFAULT_CREATED);
	cJSON_AddStringToObject(h, "created_by", "containr image init-default");
	cJSON_AddItemToArray(hist, h);
	return c;
}

int ctr_image_init_default_impl(const struct ctr_store *st, bool force, struct ctr_err *err)
{
	const char *busybox = NULL;
	cleanup_free char *tmpdir = NULL;
	cleanup_free char *tar = NULL;
	struct ctr_layer_opts opts = {.store_tar = true};
	char diffid[CTR_DIGEST_BUF];
	struct strv ids, digests, types;
	cJSON *config;
	int rc;

	if (!force) {
		char id[CTR_DIGEST_BUF];
		struct ctr_err e;
		if (ctr_image_resolve(st, CTR_DEFAULT_IMAGE, id, &e) == 0)
			return 0;
	}
	for (size_t i = 0; i < CTR_ARRAY_SIZE(busybox_paths); i++) {
		if (is_static_elf(busybox_paths[i])) {
			busybox = busybox_paths[i];
			break;
		}
	}
	if (!busybox) {
		ctr_fail(err, E_NOT_FOUND, "cannot build %s: no static busybox on this host",
		         CTR_DEFAULT_IMAGE);
		return ctr_hint(err,
		                "install it (apt-get install busybox-static), or pull an image");
	}
	ctr_info("building the built-in image", "image", CTR_DEFAULT_IMAGE, "from", busybox);
	if (image_tmp_dir(st, &tmpdir, err) < 0)
		return -1;
	tar = xasprintf("%s/default-%d.tar", tmpdir, (int)getpid());
	if (write_rootfs_tar(busybox, tar, err) < 0) {
		unlink(tar);
		return -1;
	}
	rc = ctr_layer_extract_file(st, tar, &opts, diffid, err);
	unlink(tar);
	if (rc < 0)
		return -1;
	strv_init(&ids);
	strv_init(&digests);
	strv_init(&types);
	strv_push(&ids, diffid);
	strv_push(&digests, diffid); /* the uncompressed tar is the blob */
	strv_push(&types, "application/vnd.oci.image.layer.v1.tar");
	config = default_config();
	rc = ctr_image_create(st, CTR_DEFAULT_IMAGE, config, &ids, &digests, &types, NULL, err);
	cJSON_Delete(config);
	strv_release(&ids);
	strv_release(&digests);
	strv_release(&types);
	return rc;
}
