/*
 * image.h - local images: what the runtime needs to run one.
 *
 * Owned by the image module (src/image/).  The runtime only uses
 * ctr_image_lookup() / ctr_image_free() / ctr_image_ensure() and
 * ctr_overlay_mount(); everything else (pull, store, extraction) is behind
 * them.  This interface may grow but these calls keep their meaning.
 */
#ifndef CONTAINR_IMAGE_H
#define CONTAINR_IMAGE_H

#include <stdbool.h>
#include <cjson/cJSON.h>

#include "containr/error.h"
#include "containr/store.h"
#include "containr/util.h"

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
 * "host:5000/x/y:tag", "name@sha256:…") or by (prefix of) image id.
 * E_NOT_FOUND when it is not in the local store.  Free with ctr_image_free().
 */
int ctr_image_lookup(const struct ctr_store *st, const char *ref, struct ctr_image *out,
                     struct ctr_err *err);
void ctr_image_free(struct ctr_image *img);

/*
 * Mount an overlay at `target` with `lowerdirs` (bottom-most first, as in
 * struct ctr_image.layers), `upper` and `work` (upper may be NULL for a
 * read-only overlay).  Works with many layers (keeps mount data under the
 * page-size limit).  Called inside the container's mount namespace.
 */
int ctr_overlay_mount(const struct strv *lowerdirs, const char *upper, const char *work,
                      const char *target, struct ctr_err *err);

#endif
