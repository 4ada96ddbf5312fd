/*
 * image.h - local images: content store, layers, the images index, overlay.
 *
 * Owned by the image module (src/image/).  The runtime only uses
 * ctr_image_lookup() / ctr_image_free() and ctr_overlay_mount(); the
 * registry module uses the blob writer, the layer writer and
 * ctr_image_add() to record what it pulled.  These calls keep their meaning;
 * the interface may grow.
 *
 * On disk (under the state root):
 *   blobs/sha256/<hex>      manifests, configs, compressed layers; a blob is
 *                           only ever visible once its digest was verified
 *   layers/<diffid-hex>/    one extracted layer in overlay form (whiteouts
 *                           are 0:0 char devices, opaque dirs carry
 *                           trusted.overlay.opaque=y), shared by all images
 *   layers/<diffid-hex>.json  {"size": uncompressed tar bytes}
 *   images.json             the images index (flock on images.lock)
 *   tmp/                    temp files and half-extracted layers
 */
#ifndef CONTAINR_IMAGE_H
#define CONTAINR_IMAGE_H

#include <stdbool.h>
#include <stdint.h>
#include <cjson/cJSON.h>

#include "containr/error.h"
#include "containr/reference.h"
#include "containr/store.h"
#include "containr/util.h"

/* "sha256:" + 64 hex + NUL */
#define CTR_DIGEST_BUF 72

/* The built-in image, built offline from the host's busybox-static. */
#define CTR_DEFAULT_IMAGE "localhost/containr/busybox:latest"

/* What `run IMAGE` needs from a local image. */
struct ctr_image {
	char *id;               /* "sha256:<config digest hex>" */
	char *ref;              /* normalized reference the user asked for, e.g.
	                           "docker.io/library/busybox:latest" */
	char *display_ref;      /* as Docker shows it: "busybox:latest" / "busybox" */
	struct strv entrypoint; /* image Entrypoint (may be empty) */
	struct strv cmd;        /* image Cmd (may be empty) */
	struct strv env;        /* image Env, "K=V" */
	char *workdir;          /* WorkingDir or NULL */
	char *user;             /* User or NULL */
	char *stop_signal;      /* StopSignal or NULL */
	cJSON *labels;          /* Labels object or NULL (owned) */
	cJSON *config;          /* the whole OCI image config JSON (owned) */
	struct strv layers;     /* extracted layer dirs, absolute, bottom-most FIRST */
};

/*
 * Find a local image by reference ("busybox", "busybox:1.36",
 * "host:5000/x/y:tag", "name@sha256:…"), by image id ("sha256:<hex>", the
 * full hex, or a unique prefix of at least 1 hex digit as Docker) or by
 * manifest digest.  E_NOT_FOUND when it is not in the local store; the
 * built-in CTR_DEFAULT_IMAGE is built on first use.  Free with
 * ctr_image_free() (also after a failure).
 */
int ctr_image_lookup(const struct ctr_store *st, const char *ref, struct ctr_image *out,
                     struct ctr_err *err);
void ctr_image_free(struct ctr_image *img);

/*
 * Mount an overlay at `target` with `lowerdirs` (bottom-most first, as in
 * struct ctr_image.layers), `upper` and `work` (both NULL for a read-only
 * overlay; a read-only bind mount when that leaves a single layer).  Works with many layers: when
 * the absolute paths do not fit the one-page mount data, the layers are reached through short
 * symlinks in a temp dir next to `target`.  Called inside the container's mount namespace.
 */
int ctr_overlay_mount(const struct strv *lowerdirs, const char *upper, const char *work,
                      const char *target, struct ctr_err *err);

/* ---- digests ------------------------------------------------------------ */

/* ctr_digest_hex(), ctr_digest_valid(): containr/reference.h (src/ref/). */
/* SHA-256 of a buffer as "sha256:<hex>". */
void ctr_digest_buf(const void *data, size_t len, char out[CTR_DIGEST_BUF]);

/* ---- content store: blobs/sha256/<hex> ----------------------------------- */

struct ctr_blob_writer;

/*
 * Start writing a blob: a temp file under <root>/tmp, hashed while written.
 * `expected` ("sha256:<hex>") may be NULL when the digest is not known in
 * advance (the blob is then stored under whatever it hashes to).
 */
int ctr_blob_writer_open(const struct ctr_store *st, const char *expected,
                         struct ctr_blob_writer **out, struct ctr_err *err);
int ctr_blob_writer_write(struct ctr_blob_writer *w, const void *buf, size_t len,
                          struct ctr_err *err);
/* Bytes written so far. */
uint64_t ctr_blob_writer_size(const struct ctr_blob_writer *w);
/*
 * Finish: fsync and rename into blobs/sha256/<hex> if the digest matches
 * `expected`; otherwise E_DIGEST naming both digests, and the temp file is
 * removed.  `digest_out` (may be NULL) receives the digest.  Frees `w` in
 * every case.
 */
int ctr_blob_writer_commit(struct ctr_blob_writer *w, char digest_out[CTR_DIGEST_BUF],
                           struct ctr_err *err);
/* Drop a writer and its temp file (NULL is fine). */
void ctr_blob_writer_abort(struct ctr_blob_writer *w);

/* Store a whole buffer as a blob (digest checked against `expected` if set). */
int ctr_blob_put(const struct ctr_store *st, const void *data, size_t len, const char *expected,
                 char digest_out[CTR_DIGEST_BUF], struct ctr_err *err);
/* Heap path of blobs/sha256/<hex>; NULL if `digest` is malformed. */
char *ctr_blob_path(const struct ctr_store *st, const char *digest);
bool ctr_blob_exists(const struct ctr_store *st, const char *digest);
/* Read a (small) blob into memory; E_NOT_FOUND if absent. */
int ctr_blob_read(const struct ctr_store *st, const char *digest, char **data, size_t *len,
                  struct ctr_err *err);
/* Remove a blob; absent is not an error. */
int ctr_blob_remove(const struct ctr_store *st, const char *digest, struct ctr_err *err);

/* ---- layers: layers/<diffid-hex>/ --------------------------------------- */

struct ctr_layer_writer;

struct ctr_layer_opts {
	const char *expected_diffid; /* "sha256:<hex>" of the uncompressed tar, or NULL */
	bool store_tar; /* also store the uncompressed tar as a blob (digest = diff_id) */
};

/*
 * Push API for extracting a layer while it downloads.  Bytes given to
 * ctr_layer_writer_write() may be gzip, zstd, xz or plain tar (detected);
 * a worker thread decompresses, hashes the uncompressed stream (diff_id)
 * and extracts into a temp dir, refusing unsafe entries (absolute names,
 * "..", writes through symlinks, hardlinks leaving the layer).  Commit
 * renames the dir to layers/<diffid-hex> if the diff_id matches.  If that
 * layer already exists the new copy is dropped (layers are shared).
 */
int ctr_layer_writer_open(const struct ctr_store *st, const struct ctr_layer_opts *opts,
                          struct ctr_layer_writer **out, struct ctr_err *err);
/* Feed bytes.  Fails early (with the extraction error) if extraction failed. */
int ctr_layer_writer_write(struct ctr_layer_writer *w, const void *buf, size_t len,
                           struct ctr_err *err);
/*
 * End of input: wait for extraction, verify, rename into place.  Fills
 * `diffid_out` (may be NULL) and `digest_out` (the digest of the bytes as
 * pushed, i.e. the compressed blob; may be NULL).  Frees `w` in every case;
 * on failure nothing is left behind.
 */
int ctr_layer_writer_commit(struct ctr_layer_writer *w, char diffid_out[CTR_DIGEST_BUF],
                            char digest_out[CTR_DIGEST_BUF], struct ctr_err *err);
/* Stop, remove the partial layer, free `w` (NULL is fine). */
void ctr_layer_writer_abort(struct ctr_layer_writer *w);

/* Extract a layer file (any supported compression), same rules as above. */
int ctr_layer_extract_file(const struct ctr_store *st, const char *path,
                           const struct ctr_layer_opts *opts, char diffid_out[CTR_DIGEST_BUF],
                           struct ctr_err *err);
/* Heap path of layers/<hex>; NULL if malformed. */
char *ctr_layer_path(const struct ctr_store *st, const char *diffid);
bool ctr_layer_exists(const struct ctr_store *st, const char *diffid);
/* Uncompressed size recorded at extraction, or -1. */
int64_t ctr_layer_size(const struct ctr_store *st, const char *diffid);
int ctr_layer_remove(const struct ctr_store *st, const char *diffid, struct ctr_err *err);

/* ---- the images index ---------------------------------------------------- */

/*
 * Record an image whose manifest and config blobs are in the store and
 * whose layers are extracted.  `manifest_digest` names an OCI or Docker
 * schema2 image manifest blob.  `ref` (may be NULL: a dangling image) is a
 * reference as the user gave it: a tag moves to this image (an image left
 * without tags becomes "<none>"), a digest reference becomes a repo digest.
 * With `repo_digest` (pulls), "name@<manifest digest>" is recorded too.
 * Fills `id_out` (may be NULL) with the image id.
 */
int ctr_image_add(const struct ctr_store *st, const char *ref, const char *manifest_digest,
                  bool repo_digest, char id_out[CTR_DIGEST_BUF], struct ctr_err *err);

/*
 * Build manifest + config blobs for an image made of `diff_ids` (layers
 * already extracted; their blobs given in `layer_digests`, same order, with
 * `layer_media_types`) and `config` (an OCI config JSON without rootfs,
 * which is filled in here), then ctr_image_add() it under `ref`.
 */
int ctr_image_create(const struct ctr_store *st, const char *ref, cJSON *config,
                     const struct strv *diff_ids, const struct strv *layer_digests,
                     const struct strv *layer_media_types, char id_out[CTR_DIGEST_BUF],
                     struct ctr_err *err);

/*
 * A snapshot of the images index (see src/image/index.c for its shape:
 * "refs" {full ref: {display, id}}, "images" {id: record}).  Owned by the
 * caller.  For listings (images, info, the dashboard, completion).
 */
int ctr_image_index_load(const struct ctr_store *st, cJSON **out, struct ctr_err *err);

/* Resolve a user query (reference, id or prefix, digest) to a full image id. */
int ctr_image_resolve(const struct ctr_store *st, const char *query, char id_out[CTR_DIGEST_BUF],
                      struct ctr_err *err);

/* Give image `src` (any query) the extra name `dst` (a tag reference). */
int ctr_image_tag(const struct ctr_store *st, const char *src, const char *dst,
                  struct ctr_err *err);

/* Ids of containers whose config.json uses image `id` (appended to `out`). */
int ctr_image_users(const struct ctr_store *st, const char *id, struct strv *out,
                    struct ctr_err *err);

/* What rmi/prune did, for Docker's "Untagged:" / "Deleted:" lines. */
struct ctr_rmi_result {
	struct strv untagged; /* display names and repo digests removed */
	struct strv deleted;  /* image ids deleted */
	struct strv kept;     /* "IMAGE-ID CONTAINER-ID": forced, kept dangling for a container */
	int64_t reclaimed;    /* bytes freed (blobs + extracted layers) */
};
void ctr_rmi_result_init(struct ctr_rmi_result *r);
void ctr_rmi_result_release(struct ctr_rmi_result *r);

/*
 * Docker's rmi: a tag among several is only untagged; the last name (or an
 * id) deletes the image and every blob/layer no other image uses.  An id
 * with several names, or an image a container uses, is E_CONFLICT unless
 * `force`; forced, an image in use loses its names but is kept (dangling).
 */
int ctr_image_remove(const struct ctr_store *st, const char *query, bool force,
                     struct ctr_rmi_result *res, struct ctr_err *err);
/*
 * Remove what dead processes left in <root>/tmp: blob-* and layer-* entries
 * no live process holds the flock of (a SIGKILLed pull's; a running pull's
 * are never touched), and other temp entries older than an hour.
 */
void ctr_image_tmp_gc(const struct ctr_store *st);
/*
 * Delete dangling images (all unused ones with `all`) no container uses.
 * Also removes the temp entries of dead processes (ctr_image_tmp_gc).
 */
int ctr_image_prune(const struct ctr_store *st, bool all, struct ctr_rmi_result *res,
                    struct ctr_err *err);

/*
 * `import`: a rootfs tarball (plain, gzip, xz, zstd; "-" = stdin) becomes a
 * one-layer image named `ref` (may be NULL).  `changes` holds Dockerfile
 * lines (CMD, ENTRYPOINT, ENV, WORKDIR, USER, LABEL, EXPOSE, STOPSIGNAL)
 * applied to the config; `message` goes into the history.
 */
int ctr_image_import(const struct ctr_store *st, const char *path, const char *ref,
                     const struct strv *changes, const char *message, char id_out[CTR_DIGEST_BUF],
                     struct ctr_err *err);

/*
 * `save`: write images as one tar that is both an OCI image layout
 * (oci-layout, index.json, blobs/sha256/) and a docker-archive
 * (manifest.json), as Docker 25+ does.  `out_path` "-" = stdout.
 */
int ctr_image_save(const struct ctr_store *st, const struct strv *queries, const char *out_path,
                   struct ctr_err *err);

/*
 * `load`: read an archive written by save (or by docker save, old or new,
 * or an OCI layout tar) and add its images.  `loaded` receives Docker's
 * lines ("Loaded image: busybox:latest" / "Loaded image ID: sha256:…").
 */
int ctr_image_load(const struct ctr_store *st, const char *path, struct strv *loaded,
                   struct ctr_err *err);

/*
 * `export`: the merged filesystem of container `cid` (its image layers plus
 * <root>/containers/<id>/upper) as a tar to `out_path` ("-" = stdout).  The
 * overlay is mounted read-only in a private mount namespace of a child
 * process, so nothing leaks to the host's mounts.
 */
int ctr_container_export(const struct ctr_store *st, const char *cid, const char *out_path,
                         struct ctr_err *err);

/* Make the built-in image (CTR_DEFAULT_IMAGE) if it is missing. */
int ctr_image_init_default(const struct ctr_store *st, bool force, struct ctr_err *err);

#endif
