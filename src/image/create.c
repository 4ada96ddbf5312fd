/*
 * create.c - new images from a config and layers already in the store:
 * the config blob, an OCI manifest, and an entry in the images index.
 * Used by import, load and the built-in image; part of containr-ext.so
 * because storing a blob hashes it (blob_write.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "containr/image.h"
#include "containr/log.h"
#include "containr/reference.h"
#include "image/image_int.h"
#include "lib/json.h"

const char *image_host_arch(void)
{
	static struct ctr_platform host;

	if (!host.arch[0])
		ctr_platform_host(&host);
	return host.arch;
}

int image_manifest_create(const struct ctr_store *st, const char *config_digest,
                          const struct strv *layer_digests, const struct strv *layer_media_types,
                          char mdigest[CTR_DIGEST_BUF], struct ctr_err *err)
{
	cJSON *m, *cfg, *layers;
	cleanup_free char *mtext = NULL;
	cleanup_free char *cpath = ctr_blob_path(st, config_digest);
	struct stat sb;

	if (!cpath || stat(cpath, &sb) < 0)
		return ctr_fail(err, E_NOT_FOUND, "config blob %s is not in the store",
		                config_digest);
	m = cJSON_CreateObject();
	cJSON_AddNumberToObject(m, "schemaVersion", 2);
	cJSON_AddStringToObject(m, "mediaType", "application/vnd.oci.image.manifest.v1+json");
	cfg = cJSON_AddObjectToObject(m, "config");
	cJSON_AddStringToObject(cfg, "mediaType", "application/vnd.oci.image.config.v1+json");
	cJSON_AddStringToObject(cfg, "digest", config_digest);
	cJSON_AddNumberToObject(cfg, "size", (double)sb.st_size);
	layers = cJSON_AddArrayToObject(m, "layers");
	for (size_t i = 0; i < layer_digests->n; i++) {
		cleanup_free char *p = ctr_blob_path(st, layer_digests->v[i]);
		cJSON *l = cJSON_CreateObject();

		if (!p || stat(p, &sb) < 0) {
			cJSON_Delete(l);
			cJSON_Delete(m);
			return ctr_fail(err, E_NOT_FOUND, "layer blob %s is not in the store",
			                layer_digests->v[i]);
		}
		cJSON_AddStringToObject(l, "mediaType", layer_media_types->v[i]);
		cJSON_AddStringToObject(l, "digest", layer_digests->v[i]);
		cJSON_AddNumberToObject(l, "size", (double)sb.st_size);
		cJSON_AddItemToArray(layers, l);
	}
	mtext = cJSON_PrintUnformatted(m);
	cJSON_Delete(m);
	return ctr_blob_put(st, mtext, strlen(mtext), NULL, mdigest, err);
}

int ctr_image_create(const struct ctr_store *st, const char *ref, cJSON *config,
                     const struct strv *diff_ids, const struct strv *layer_digests,
                     const struct strv *layer_media_types, char id_out[CTR_DIGEST_BUF],
                     struct ctr_err *err)
{
	cJSON *rootfs, *ids;
	cleanup_free char *ctext = NULL;
	char cdigest[CTR_DIGEST_BUF], mdigest[CTR_DIGEST_BUF];

	cJSON_DeleteItemFromObjectCaseSensitive(config, "rootfs");
	rootfs = cJSON_AddObjectToObject(config, "rootfs");
	cJSON_AddStringToObject(rootfs, "type", "layers");
	ids = cJSON_AddArrayToObject(rootfs, "diff_ids");
	for (size_t i = 0; i < diff_ids->n; i++)
		cJSON_AddItemToArray(ids, cJSON_CreateString(diff_ids->v[i]));
	if (!ctr_json_str(config, "architecture"))
		cJSON_AddStringToObject(config, "architecture", "amd64");
	if (!ctr_json_str(config, "os"))
		cJSON_AddStringToObject(config, "os", "linux");
	ctext = cJSON_PrintUnformatted(config);
	if (ctr_blob_put(st, ctext, strlen(ctext), NULL, cdigest, err) < 0)
		return -1;
	if (image_manifest_create(st, cdigest, layer_digests, layer_media_types, mdigest, err) < 0)
		return -1;
	return ctr_image_add(st, ref, mdigest, false, id_out, err);
}
