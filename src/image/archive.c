/*
 * archive.c - images in and out of tarballs: import (rootfs tarball ->
 * one-layer image), save (OCI layout + docker-archive in one tar) and load
 * (OCI layout, Docker 25+ save, or the older docker-archive).
 *
 * import of a regular file hashes it first (SHA-256 is cheap next to
 * creating thousands of files): a plain tar's digest is its diff_id, a
 * gzip/zstd blob's diff_id is found in the index when an image lists it, and
 * a layer or blob the store already has is reused, not extracted or written
 * again.  Then the input is streamed once: every chunk goes both to the blob
 * writer (the layer blob, kept compressed as given) and to the layer writer
 * (the extraction), so stdin works and nothing is staged.  xz has no OCI
 * media type, so an xz input is stored as its uncompressed tar instead.
 *
 * load streams every file of the archive into the content store (verified
 * against its name for blobs/sha256/<hex>), then builds images from
 * index.json or manifest.json; blobs that end up unused are removed again.
 */
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
#include "containr/reference.h"
#include "image/image_int.h"
#include "lib/json.h"

#define MT_TAR  "application/vnd.oci.image.layer.v1.tar"
#define MT_GZIP "application/vnd.oci.image.layer.v1.tar+gzip"
#define MT_ZSTD "application/vnd.oci.image.layer.v1.tar+zstd"

enum magic { MAGIC_NONE, MAGIC_GZIP, MAGIC_ZSTD, MAGIC_XZ, MAGIC_BZIP2 };

static enum magic detect_magic(const unsigned char *b, size_t n)
{
	if (n >= 2 && b[0] == 0x1f && b[1] == 0x8b)
		return MAGIC_GZIP;
	if (n >= 4 && b[0] == 0x28 && b[1] == 0xb5 && b[2] == 0x2f && b[3] == 0xfd)
		return MAGIC_ZSTD;
	if (n >= 6 && !memcmp(b,
	                      "\xfd"
	                      "7zXZ\0",
	                      6))
		return MAGIC_XZ;
	if (n >= 3 && !memcmp(b, "BZh", 3))
		return MAGIC_BZIP2;
	return MAGIC_NONE;
}

const char *image_layer_media_type(const char *path)
{
	unsigned char b[8];
	cleanup_close int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : read(fd, b, sizeof(b));

	switch (detect_magic(b, n > 0 ? (size_t)n : 0)) {
	case MAGIC_GZIP:
		return MT_GZIP;
	case MAGIC_ZSTD:
		return MT_ZSTD;
	case MAGIC_NONE:
		return MT_TAR;
	default:
		return NULL;
	}
}

/* ---- import ---------------------------------------------------------------- */

/* "CMD x y" shell form -> ["/bin/sh","-c","x y"]; JSON form as is. */
static cJSON *exec_form(const char *arg, struct ctr_err *err)
{
	cJSON *a;

	while (*arg == ' ')
		arg++;
	if (arg[0] == '[') {
		const cJSON *e;
		a = cJSON_Parse(arg);
		if (!cJSON_IsArray(a))
			goto bad;
		cJSON_ArrayForEach (e, a) {
			if (!cJSON_IsString(e))
				goto bad;
		}
		return a;
	bad:
		cJSON_Delete(a);
		ctr_fail(err, E_INVALID_ARG, "invalid JSON array: %s", arg);
		return NULL;
	}
	a = cJSON_CreateArray();
	cJSON_AddItemToArray(a, cJSON_CreateString("/bin/sh"));
	cJSON_AddItemToArray(a, cJSON_CreateString("-c"));
	cJSON_AddItemToArray(a, cJSON_CreateString(arg));
	return a;
}

/* Split "K=V K2=V2" or "K V" (ENV/LABEL); values may be "quoted". */
static int kv_pairs(const char *arg, struct strv *keys, struct strv *vals, struct ctr_err *err)
{
	const char *p = arg;

	while (*p == ' ')
		p++;
	if (!strchr(p, '=')) {
		const char *sp = strchr(p, ' ');
		if (!sp)
			return ctr_fail(err, E_INVALID_ARG, "expected KEY=VALUE or KEY VALUE: %s",
			                arg);
		strv_push_owned(keys, xstrndup(p, (size_t)(sp - p)));
		while (*sp == ' ')
			sp++;
		strv_push(vals, sp);
		return 0;
	}
	while (*p) {
		const char *eq = strchr(p, '=');
		struct strbuf v;
		if (!eq)
			return ctr_fail(err, E_INVALID_ARG, "expected KEY=VALUE: %s", p);
		strv_push_owned(keys, xstrndup(p, (size_t)(eq - p)));
		p = eq + 1;
		strbuf_init(&v);
		if (*p == '"') {
			for (p++; *p && *p != '"'; p++) {
				if (*p == '\\' && p[1])
					p++;
				strbuf_putc(&v, *p);
			}
			if (*p == '"')
				p++;
		} else {
			while (*p && *p != ' ')
				strbuf_putc(&v, *p++);
		}
		strv_push_owned(vals, strbuf_detach(&v));
		while (*p == ' ')
			p++;
	}
	return 0;
}

/* Apply one Dockerfile line (--change) to the config's "config" object. */
static int apply_change(cJSON *cc, const char *line, struct ctr_err *err)
{
	const char *sp = strchr(line, ' ');
	cleanup_free char *ins = sp ? xstrndup(line, (size_t)(sp - line)) : xstrdup(line);
	const char *arg = sp ? sp + 1 : "";

	for (char *c = ins; *c; c++)
		*c = (char)(*c >= 'a' && *c <= 'z' ? *c - 32 : *c);
	while (*arg == ' ')
		arg++;
	if (!strcmp(ins, "CMD") || !strcmp(ins, "ENTRYPOINT")) {
		cJSON *a = exec_form(arg, err);
		const char *key = !strcmp(ins, "CMD") ? "Cmd" : "Entrypoint";
		if (!a)
			return -1;
		cJSON_DeleteItemFromObjectCaseSensitive(cc, key);
		cJSON_AddItemToObject(cc, key, a);
	} else if (!strcmp(ins, "ENV") || !strcmp(ins, "LABEL")) {
		struct strv k, v;
		int rc;
		strv_init(&k);
		strv_init(&v);
		rc = kv_pairs(arg, &k, &v, err);
		for (size_t i = 0; rc == 0 && i < k.n; i++) {
			if (!strcmp(ins, "ENV")) {
				cJSON *env = cJSON_GetObjectItemCaseSensitive(cc, "Env");
				cJSON *e;
				int idx = 0;
				size_t kl = strlen(k.v[i]);
				if (!env)
					env = cJSON_AddArrayToObject(cc, "Env");
				cJSON_ArrayForEach (e, env) {
					if (cJSON_IsString(e) &&
					    !strncmp(e->valuestring, k.v[i], kl) &&
					    e->valuestring[kl] == '=')
						break;
					idx++;
				}
				{
					char *kv = xasprintf("%s=%s", k.v[i], v.v[i]);
					if (e)
						cJSON_ReplaceItemInArray(env, idx,
						                         cJSON_CreateString(kv));
					else
						cJSON_AddItemToArray(env, cJSON_CreateString(kv));
					free(kv);
				}
			} else {
				cJSON *l = cJSON_GetObjectItemCaseSensitive(cc, "Labels");
				if (!l)
					l = cJSON_AddObjectToObject(cc, "Labels");
				cJSON_DeleteItemFromObjectCaseSensitive(l, k.v[i]);
				cJSON_AddStringToObject(l, k.v[i], v.v[i]);
			}
		}
		strv_release(&k);
		strv_release(&v);
		return rc;
	} else if (!strcmp(ins, "WORKDIR") || !strcmp(ins, "USER") || !strcmp(ins, "STOPSIGNAL")) {
		const char *key = !strcmp(ins, "WORKDIR") ? "WorkingDir"
		                  : !strcmp(ins, "USER")  ? "User"
		                                          : "StopSignal";
		if (!arg[0])
			return ctr_fail(err, E_INVALID_ARG, "%s needs an argument", ins);
		cJSON_DeleteItemFromObjectCaseSensitive(cc, key);
		cJSON_AddStringToObject(cc, key, arg);
	} else if (!strcmp(ins, "EXPOSE")) {
		cJSON *ports = cJSON_GetObjectItemCaseSensitive(cc, "ExposedPorts");
		cleanup_free char *copy = xstrdup(arg);
		char *save = NULL;
		if (!ports)
			ports = cJSON_AddObjectToObject(cc, "ExposedPorts");
		for (char *t = strtok_r(copy, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
			char *key = strchr(t, '/') ? xstrdup(t) : xasprintf("%s/tcp", t);
			cJSON_DeleteItemFromObjectCaseSensitive(ports, key);
			cJSON_AddObjectToObject(ports, key);
			free(key);
		}
	} else {
		ctr_fail(err, E_INVALID_ARG, "unsupported --change instruction: %s", ins);
		return ctr_hint(err,
		                "supported: CMD, ENTRYPOINT, ENV, WORKDIR, USER, LABEL, EXPOSE, "
		                "STOPSIGNAL");
	}
	return 0;
}

/* The diff_id of layer blob `digest` as an image in the index records it ("" if none). */
static void index_diffid_of_blob(const struct ctr_store *st, const char *digest,
                                 char diffid[CTR_DIGEST_BUF])
{
	cJSON *idx = NULL, *img;
	struct ctr_err e;

	diffid[0] = '\0';
	if (ctr_image_index_load(st, &idx, &e) < 0)
		return;
	cJSON_ArrayForEach (img, image_index_images(idx)) {
		const cJSON *l;
		cJSON_ArrayForEach (l, cJSON_GetObjectItemCaseSensitive(img, "Layers")) {
			const char *d = ctr_json_str(l, "Digest");
			const char *id = ctr_json_str(l, "DiffID");
			if (d && id && !strcmp(d, digest) && ctr_digest_valid(id)) {
				snprintf(diffid, CTR_DIGEST_BUF, "%s", id);
				goto out;
			}
		}
	}
out:
	cJSON_Delete(idx);
}

/*
 * What a regular file brings, found by hashing it once (SHA-256 runs at
 * GB/s; extracting thousands of files is what costs): its digest, its
 * compression, and -- for a plain tar (digest == diff_id) or a gzip/zstd
 * blob some image already lists -- the diff_id, so a layer that is already
 * in the store is not extracted again.  Leaves `fd` at offset 0.
 */
struct import_src {
	bool known; /* a regular file, hashed */
	enum magic magic;
	char digest[CTR_DIGEST_BUF]; /* of the file as given */
	char diffid[CTR_DIGEST_BUF]; /* "" when not known without extracting */
};

static int import_identify(const struct ctr_store *st, int fd, const char *path,
                           struct import_src *src, struct ctr_err *err)
{
	struct stat sb;
	EVP_MD_CTX *md;
	cleanup_free char *buf = NULL;
	bool first = true;
	ssize_t n;

	memset(src, 0, sizeof(*src));
	if (fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode))
		return 0; /* a pipe: one streaming pass */
	buf = xmalloc(1024 * 1024);
	image_sha256_init(&md);
	while ((n = read(fd, buf, 1024 * 1024)) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			EVP_MD_CTX_free(md);
			return ctr_fail_errno(err, E_IO, errno, "cannot read %s", path);
		}
		if (first)
			src->magic = detect_magic((unsigned char *)buf, (size_t)n);
		first = false;
		EVP_DigestUpdate(md, buf, (size_t)n);
	}
	image_sha256_final(md, src->digest);
	EVP_MD_CTX_free(md);
	if (lseek(fd, 0, SEEK_SET) < 0)
		return ctr_fail_errno(err, E_IO, errno, "cannot rewind %s", path);
	src->known = true;
	if (src->magic == MAGIC_NONE)
		memcpy(src->diffid, src->digest, CTR_DIGEST_BUF);
	else if (src->magic == MAGIC_GZIP || src->magic == MAGIC_ZSTD)
		index_diffid_of_blob(st, src->digest, src->diffid);
	return 0;
}

int ctr_image_import_impl(const struct ctr_store *st, const char *path, const char *ref,
                          const struct strv *changes, const char *message,
                          char id_out[CTR_DIGEST_BUF], struct ctr_err *err)
{
	cleanup_close int fd = -1;
	struct ctr_blob_writer *bw = NULL;
	struct ctr_layer_writer *lw = NULL;
	struct ctr_layer_opts opts = {0};
	cleanup_free char *buf = xmalloc(256 * 1024);
	char diffid[CTR_DIGEST_BUF], bdigest[CTR_DIGEST_BUF], now[64];
	const char *mt = MT_TAR;
	struct import_src src;
	struct strv ids, digests, types;
	cJSON *config, *cc, *hist, *h;
	bool first = true, need_blob = true, need_layer = true;
	ssize_t n;
	int rc;

	if (ref) {
		struct ctr_ref r = {0};
		rc = ctr_ref_parse(ref, &r, err);
		if (rc == 0 && r.digest)
			rc = ctr_fail(err, E_INVALID_ARG, "import needs a tag, not a digest: %s",
			              ref);
		ctr_ref_free(&r);
		if (rc < 0)
			return -1;
	}
	/* check --change lines before reading anything */
	config = cJSON_CreateObject();
	cc = cJSON_AddObjectToObject(config, "config");
	for (size_t i = 0; changes && i < changes->n; i++) {
		if (apply_change(cc, changes->v[i], err) < 0) {
			cJSON_Delete(config);
			return -1;
		}
	}
	fd = strcmp(path, "-") == 0 ? dup(STDIN_FILENO) : open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		cJSON_Delete(config);
		return ctr_fail_errno(err, E_IO, errno, "cannot open %s", path);
	}
	if (import_identify(st, fd, path, &src, err) < 0)
		goto fail;
	if (src.known && src.magic != MAGIC_XZ && src.magic != MAGIC_BZIP2) {
		/* content-addressed: what the store has already is not written again */
		need_blob = !ctr_blob_exists(st, src.digest);
		need_layer = !(src.diffid[0] && ctr_layer_exists(st, src.diffid));
		memcpy(bdigest, src.digest, sizeof(bdigest));
		if (src.diffid[0]) {
			memcpy(diffid, src.diffid, sizeof(diffid));
			opts.expected_diffid = diffid;
		}
		mt = src.magic == MAGIC_GZIP ? MT_GZIP : src.magic == MAGIC_ZSTD ? MT_ZSTD : MT_TAR;
		ctr_debug("import", "file", path, "digest", src.digest, "reuse layer",
		          need_layer ? "no" : "yes", "reuse blob", need_blob ? "no" : "yes");
		if (!need_blob && !need_layer) {
			ctr_explain("import", "the same content is already in the store: reuse it",
			            "layer %s, blob %s", diffid, bdigest);
			goto image;
		}
	}
	while ((n = read(fd, buf, 256 * 1024)) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			ctr_fail_errno(err, E_IO, errno, "cannot read %s", path);
			goto fail;
		}
		if (first) {
			enum magic m = detect_magic((unsigned char *)buf, (size_t)n);
			first = false;
			if (m == MAGIC_GZIP)
				mt = MT_GZIP;
			else if (m == MAGIC_ZSTD)
				mt = MT_ZSTD;
			if (m == MAGIC_XZ || m == MAGIC_BZIP2)
				opts.store_tar = true; /* no OCI media type: keep the tar */
			else if (need_blob && ctr_blob_writer_open(
			                          st, src.known ? src.digest : NULL, &bw, err) < 0)
				goto fail;
			if (need_layer && ctr_layer_writer_open(st, &opts, &lw, err) < 0)
				goto fail;
		}
		if ((bw && ctr_blob_writer_write(bw, buf, (size_t)n, err) < 0) ||
		    (lw && ctr_layer_writer_write(lw, buf, (size_t)n, err) < 0))
			goto fail;
	}
	if (first) {
		ctr_fail(err, E_INVALID_ARG, "%s is empty", path);
		goto fail;
	}
	if (lw) {
		char pushed[CTR_DIGEST_BUF];
		rc = ctr_layer_writer_commit(lw, diffid, pushed, err);
		lw = NULL;
		if (rc < 0)
			goto fail;
		if (src.known && strcmp(pushed, src.digest) != 0) {
			ctr_fail(err, E_DIGEST, "%s changed while it was imported", path);
			goto fail;
		}
	}
	if (bw) {
		rc = ctr_blob_writer_commit(bw, bdigest, err);
		bw = NULL;
		if (rc < 0)
			goto fail;
	} else if (opts.store_tar) {
		memcpy(bdigest, diffid, sizeof(bdigest));
	}
image:
	ctr_format_rfc3339(now, sizeof(now), ctr_now_ns());
	cJSON_AddStringToObject(config, "created", now);
	cJSON_AddStringToObject(config, "architecture", image_host_arch());
	cJSON_AddStringToObject(config, "os", "linux");
	hist = cJSON_AddArrayToObject(config, "history");
	h = cJSON_CreateObject();
	cJSON_AddStringToObject(h, "created", now);
	cJSON_AddStringToObject(h, "created_by", "containr import");
	if (message)
		cJSON_AddStringToObject(h, "comment", message);
	cJSON_AddItemToArray(hist, h);
	strv_init(&ids);
	strv_init(&digests);
	strv_init(&types);
	strv_push(&ids, diffid);
	strv_push(&digests, bdigest);
	strv_push(&types, mt);
	rc = ctr_image_create(st, ref, config, &ids, &digests, &types, id_out, err);
	strv_release(&ids);
	strv_release(&digests);
	strv_release(&types);
	cJSON_Delete(config);
	return rc;
fail:
	ctr_layer_writer_abort(lw);
	ctr_blob_writer_abort(bw);
	cJSON_Delete(config);
	return -1;
}
