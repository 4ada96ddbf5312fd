/*
 * image.c - what the runtime asks of an image: ctr_image_lookup() turns a
 * user's reference into the parsed config and the layer directories, and
 * ctr_image_tag() adds a name.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "containr/image.h"
#include "containr/log.h"
#include "containr/reference.h"
#include "image/image_int.h"
#include "lib/json.h"

void ctr_image_free(struct ctr_image *img)
{
	if (!img)
		return;
	free(img->id);
	free(img->ref);
	free(img->display_ref);
	strv_release(&img->entrypoint);
	strv_release(&img->cmd);
	strv_release(&img->env);
	free(img->workdir);
	free(img->user);
	free(img->stop_signal);
	cJSON_Delete(img->labels);
	cJSON_Delete(img->config);
	strv_release(&img->layers);
	/* Zeroed, not re-initialised: freeing must not allocate.  strv_push()
	 * and strv_release() both accept a zeroed strv. */
	memset(img, 0, sizeof(*img));
}

static char *dup_nonempty(const char *s)
{
	return s && s[0] ? xstrdup(s) : NULL;
}

/* Is `query` (as a reference) the built-in default image? */
static bool is_default_ref(const char *query)
{
	struct ctr_ref a = {0}, b = {0};
	struct ctr_err e;
	bool same = false;

	if (ctr_ref_parse(query, &a, &e) == 0 && ctr_ref_parse(CTR_DEFAULT_IMAGE, &b, &e) == 0) {
		cleanup_free char *sa = ctr_ref_string(&a);
		cleanup_free char *sb = ctr_ref_string(&b);
		same = strcmp(sa, sb) == 0;
	}
	ctr_ref_free(&a);
	ctr_ref_free(&b);
	return same;
}

static int fill_image(const struct ctr_store *st, const char *query, cJSON *rec,
                      struct ctr_image *out, struct ctr_err *err)
{
	cleanup_free char *ctext = NULL;
	size_t clen;
	const cJSON *cc, *l;
	struct ctr_ref r = {0};
	struct ctr_err perr;

	out->id = xstrdup(rec->string);
	if (ctr_ref_parse(query, &r, &perr) == 0 && !str_startswith(query, "sha256:") &&
	    !(strlen(query) <= 64 && str_is_hex(query, strlen(query)) &&
	      strncmp(ctr_digest_hex(rec->string), query, strlen(query)) == 0)) {
		out->ref = ctr_ref_string(&r);
		out->display_ref = ctr_ref_familiar(&r);
	} else {
		out->ref = xstrdup(rec->string);
		out->display_ref = xstrndup(ctr_digest_hex(rec->string), 12);
	}
	ctr_ref_free(&r);
	if (ctr_blob_read(st, rec->string, &ctext, &clen, err) < 0)
		return -1;
	out->config = cJSON_ParseWithLength(ctext, clen);
	if (!out->config)
		return ctr_fail(err, E_CORRUPT, "image config %s is not valid JSON", rec->string);
	cc = cJSON_GetObjectItemCaseSensitive(out->config, "config");
	ctr_json_strv(cc, "Entrypoint", &out->entrypoint);
	ctr_json_strv(cc, "Cmd", &out->cmd);
	ctr_json_strv(cc, "Env", &out->env);
	out->workdir = dup_nonempty(ctr_json_str(cc, "WorkingDir"));
	out->user = dup_nonempty(ctr_json_str(cc, "User"));
	out->stop_signal = dup_nonempty(ctr_json_str(cc, "StopSignal"));
	if (cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(cc, "Labels")))
		out->labels = cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(cc, "Labels"), true);
	cJSON_ArrayForEach (l, cJSON_GetObjectItemCaseSensitive(rec, "Layers")) {
		const char *d = ctr_json_str(l, "DiffID");
		char *p = ctr_layer_path(st, d);
		if (!p || !ctr_layer_exists(st, d)) {
			free(p);
			ctr_fail(err, E_CORRUPT, "image %.19s: layer %s is missing", rec->string,
			         d ? d : "?");
			return ctr_hint(
			    err, "remove the image (containr rmi) and pull or load it again");
		}
		strv_push_owned(&out->layers, p);
	}
	return 0;
}

int ctr_image_lookup(const struct ctr_store *st, const char *ref, struct ctr_image *out,
                     struct ctr_err *err)
{
	cJSON *idx = NULL, *rec;
	int fd, rc = -1;

	memset(out, 0, sizeof(*out));
	strv_init(&out->entrypoint);
	strv_init(&out->cmd);
	strv_init(&out->env);
	strv_init(&out->layers);
	for (int attempt = 0; attempt < 2; attempt++) {
		fd = image_index_open(st, false, &idx, err);
		if (fd < 0)
			return -1;
		rec = image_index_find(idx, ref, err);
		if (rec) {
			rc = fill_image(st, ref, rec, out, err);
			cJSON_Delete(idx);
			ctr_unlock(fd);
			return rc;
		}
		cJSON_Delete(idx);
		ctr_unlock(fd);
		if (attempt > 0 || err->code != E_NOT_FOUND || !is_default_ref(ref))
			return -1;
		/* the built-in image is made on first use */
		if (ctr_image_init_default(st, false, err) < 0)
			return -1;
	}
	return -1;
}
