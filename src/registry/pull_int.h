/*
 * pull_int.h - the state of one pull, shared by pull.c (resolution) and
 * blobs.c (parallel layer download).
 */
#ifndef CONTAINR_PULL_INT_H
#define CONTAINR_PULL_INT_H

#include "containr/image.h"
#include "registry/registry_int.h"

struct pull {
	struct ctr_store *st;
	struct ctr_pull_opts opts;
	struct ctr_ref ref;
	struct ctr_platform want;
	char *display; /* "busybox:latest" */
	char *full;    /* "docker.io/library/busybox:latest" */
	struct reg_client cl;
	char top_digest[72];      /* what the tag points to (index or manifest) */
	char manifest_digest[72]; /* the image manifest pulled */
	char *manifest;           /* the image manifest bytes */
	size_t manifest_len;
	bool manifest_existed;
	bool downloaded; /* anything new came over the network */
	int64_t
	    rate_limit; /* bytes/s for all layer transfers ($CONTAINR_PULL_RATE_LIMIT), 0 = none */
	int64_t rate_start, rate_bytes;
	struct reg_manifest m;
	cJSON *config;
	const char **diff_ids; /* borrowed from config, one per layer */
};

void pull_emit(struct pull *p, enum ctr_pull_event_kind kind, int layer, const char *digest,
               int64_t cur, int64_t total);

/* Download and extract every layer that is not in the store yet. */
int pull_layers(struct pull *p, struct ctr_err *err);

#endif
