/*
 * image_int.h - helpers shared by the files of the image module only.
 */
#ifndef CONTAINR_IMAGE_INT_H
#define CONTAINR_IMAGE_INT_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include <cjson/cJSON.h>
#include <openssl/evp.h>

#include "containr/image.h"

/* SHA-256 helpers (abort on an OpenSSL failure: that is a broken host). */
void image_sha256_init(EVP_MD_CTX **md);
void image_sha256_final(EVP_MD_CTX *md, char out[CTR_DIGEST_BUF]);

/* <root>/tmp, created if missing (heap path in *out). */
int image_tmp_dir(const struct ctr_store *st, char **out, struct ctr_err *err);

/*
 * Lock temp entry `path` (just created, open as `fd`) for as long as `fd`
 * stays open, so ctr_image_tmp_gc() leaves it alone; -1 with errno ESTALE
 * when a cleaner removed it before the lock was taken (create another).
 */
int image_tmp_claim(int fd, const char *path);

/* ---- extraction (extract.c) ---------------------------------------------- */
struct archive;
struct image_extract;

/* Start extracting into the directory `dirfd` (borrowed; must be empty). */
struct image_extract *image_extract_new(int dirfd, const char *label);
/* Extract every entry of an opened tar reader.  Returns 0 or -1 (err set). */
int image_extract_archive(struct image_extract *x, struct archive *tar, struct ctr_err *err);
/*
 * Wait until the data of every regular file written so far is on disk
 * (their writeback was started as each was written).  Before _finish().
 */
int image_extract_sync(struct image_extract *x, struct ctr_err *err);
/* Apply deferred directory modes and mtimes (after all entries). */
int image_extract_finish(struct image_extract *x, struct ctr_err *err);
void image_extract_free(struct image_extract *x);

/* Remove `name` under `dirfd` recursively without following symlinks. */
int image_remove_at(int dirfd, const char *name, struct ctr_err *err);

/* ---- the images index (index.c) ----------------------------------------- */
/*
 * Lock images.lock and load images.json (an empty index if missing).
 * Returns the lock fd (>= 0); *idx is owned by the caller.
 */
int image_index_open(const struct ctr_store *st, bool exclusive, cJSON **idx, struct ctr_err *err);
/* Save the index atomically (the caller still holds the lock). */
int image_index_save(const struct ctr_store *st, const cJSON *idx, struct ctr_err *err);
/* The "images" array of an index. */
cJSON *image_index_images(cJSON *idx);
/* Find an image object by query in an opened index (NULL + err if none). */
cJSON *image_index_find(cJSON *idx, const char *query, struct ctr_err *err);
/*
 * Store an OCI manifest for config blob `config_digest` and the given layer
 * blobs (all already in the store); its digest goes to `mdigest`.
 */
int image_manifest_create(const struct ctr_store *st, const char *config_digest,
                          const struct strv *layer_digests, const struct strv *layer_media_types,
                          char mdigest[CTR_DIGEST_BUF], struct ctr_err *err);
/* Media type of a layer blob from its magic bytes (gzip, zstd, tar; NULL for xz). */
const char *image_layer_media_type(const char *path);
/* The host's OCI architecture ("amd64", "arm64", "arm", "386"...: ctr_platform_host). */
const char *image_host_arch(void);

#endif
