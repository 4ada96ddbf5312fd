/*
 * registry.h - pulling images from OCI / Docker registries (Distribution
 * API v2) and managing registry credentials.
 *
 * Owned by the registry module (src/registry/).  The library never prints:
 * pull progress is reported through a callback so the CLI can draw
 * per-layer progress lines, the dashboard can update a pane and tests can
 * record events.  Credentials live in Docker's config.json format
 * ($CONTAINR_AUTH_FILE, else $DOCKER_CONFIG/config.json, else
 * ~/.docker/config.json), so `docker login` and `containr login` share them.
 */
#ifndef CONTAINR_REGISTRY_H
#define CONTAINR_REGISTRY_H

#include <stdbool.h>
#include <stdint.h>

#include "containr/error.h"
#include "containr/reference.h" /* platforms */
#include "containr/store.h"

/* ---- pull -------------------------------------------------------------- */

enum ctr_pull_event_kind {
	CTR_PULL_RESOLVED,     /* manifest chosen: ev->digest is the manifest digest, nlayers set */
	CTR_PULL_LAYER_WAIT,   /* layer queued ("Pulling fs layer") */
	CTR_PULL_LAYER_EXISTS, /* layer already in the store ("Already exists") */
	CTR_PULL_LAYER_PROGRESS, /* bytes arrived: current / total */
	CTR_PULL_LAYER_VERIFY,   /* download done, digest verified; finishing extraction */
	CTR_PULL_LAYER_DONE,     /* layer committed ("Pull complete") */
	CTR_PULL_LAYER_RETRY,    /* a transfer failed and is being retried */
};

struct ctr_pull_event {
	enum ctr_pull_event_kind kind;
	int layer;          /* layer index (0 = bottom-most), -1 for image events */
	int nlayers;        /* number of layers of the image */
	const char *digest; /* layer blob digest "sha256:…" (manifest digest for RESOLVED) */
	int64_t current;    /* bytes received so far for this layer */
	int64_t total;      /* layer size from the manifest (compressed bytes) */
};

typedef void (*ctr_pull_progress_fn)(const struct ctr_pull_event *ev, void *ud);

struct ctr_pull_opts {
	const char *platform;          /* "os/arch[/variant]"; NULL = this host */
	int max_parallel;              /* concurrent layer downloads; <= 0 means 3 */
	ctr_pull_progress_fn progress; /* may be NULL */
	volatile int *interrupted;     /* when set non-zero (e.g. by SIGINT), the pull stops with
	                                  E_INTERRUPTED and discards its temp files; may be NULL */
	void *progress_ud;
};

struct ctr_pull_result {
	char *ref;         /* normalized reference "docker.io/library/busybox:latest" */
	char *display_ref; /* as the user sees it ("busybox:latest") */
	char *digest; /* "sha256:…" the reference resolves to (an index for multi-arch images) */
	char *manifest_digest; /* "sha256:…" of the (platform) manifest that was pulled */
	char *image_id;        /* "sha256:…" config digest */
	bool up_to_date;       /* nothing new was downloaded: "Image is up to date" */
};
void ctr_pull_result_free(struct ctr_pull_result *r);

/*
 * Pull `ref` into the store `st`: resolve the manifest (choosing the
 * platform from an index or manifest list), download the config and the
 * layers that are not present yet (opts->max_parallel at a time), verify
 * every blob against its digest while streaming, extract each layer once
 * on the fly (its diff_id checked against the config), and record the
 * reference in the image index.  `opts` and `res` may be NULL; `res` is
 * filled on success and freed by the caller with ctr_pull_result_free().
 *
 * Errors: E_INVALID_ARG (bad reference or platform), E_NOT_FOUND (no such
 * repository, tag or platform), E_AUTH (credentials missing or refused),
 * E_NETWORK (registry unreachable; names the host), E_DIGEST (content did
 * not match; names the digest; nothing of it stays in the store),
 * E_UNSUPPORTED (schema1 manifests, unknown media types), E_REGISTRY.
 * A pull killed at any point leaves only temp files; the next pull redoes
 * what was missing.
 */
int ctr_image_pull(struct ctr_store *st, const char *ref, const struct ctr_pull_opts *opts,
                   struct ctr_pull_result *res, struct ctr_err *err);

/* ---- credentials ------------------------------------------------------- */

/* The auth file in use (heap): $CONTAINR_AUTH_FILE, $DOCKER_CONFIG/config.json or
 * ~/.docker/config.json. */
char *ctr_auth_file_path(void);

/*
 * Look up stored credentials for `registry` ("host:port", or "docker.io").
 * Returns 1 and sets *user and *pass (heap) when found, 0 when none, -1 on a
 * corrupt file.
 */
int ctr_auth_get(const char *registry, char **user, char **pass, struct ctr_err *err);

/*
 * Check `user`/`pass` against `registry` (a /v2/ ping, then the challenge it
 * answers with: Basic, or a Bearer token request) and, if accepted, store
 * them in the auth file (mode 0600).  E_AUTH when refused.
 */
int ctr_registry_login(const char *registry, const char *user, const char *pass,
                       struct ctr_err *err);

/* Remove stored credentials for `registry`; E_NOT_FOUND if there were none. */
int ctr_registry_logout(const char *registry, struct ctr_err *err);

#endif
