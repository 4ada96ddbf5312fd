/*
 * volume.h - named volumes, bind mounts and tmpfs mounts of containers.
 *
 * Owned by src/volume/.  The runtime uses it in three places:
 *   create:  ctr_mounts_parse() turns -v/--mount/--tmpfs/--volumes-from into a
 *            ctr_mount_list, ctr_mounts_prepare() creates named and anonymous
 *            volumes, and the list is stored in the container's config.json
 *            under "Mounts" (ctr_mounts_to_json / ctr_mounts_from_json);
 *   start:   in the container's mount namespace, after the root filesystem is
 *            mounted at `rootfs` and before pivot_root, ctr_mounts_apply();
 *   remove:  ctr_mounts_remove_anonymous() for `rm -v` and `--rm`.
 * Volumes live in <root>/volumes/<name>/{_data,volume.json}.
 */
#ifndef CONTAINR_VOLUME_H
#define CONTAINR_VOLUME_H

#include <stdbool.h>
#include <cjson/cJSON.h>

#include "containr/error.h"
#include "containr/store.h"
#include "containr/util.h"

enum ctr_mount_type { CTR_MOUNT_BIND, CTR_MOUNT_VOLUME, CTR_MOUNT_TMPFS };

struct ctr_mount {
	enum ctr_mount_type type;
	char *source;      /* host path (bind) or volume name (volume); NULL for tmpfs */
	char *destination; /* absolute path inside the container */
	bool readonly;
	bool anonymous; /* `-v /path`: removed by rm -v and --rm */
	char *options;  /* tmpfs mount data ("size=67108864,mode=1777") or NULL */
};

struct ctr_mount_list {
	struct ctr_mount *v;
	size_t n;
};

#endif
