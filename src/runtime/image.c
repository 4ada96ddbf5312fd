/*
 * image.c - the runtime's use of images (include/containr/image.h).
 *
 * At create: look the image up and apply its defaults the way Docker
 * does (Entrypoint/Cmd, Env, WorkingDir, User, StopSignal, Labels).  At
 * start: the image's layer dirs become the overlay's lower dirs, and the
 * container's writes go to <dir>/upper (work dir <dir>/work), so the
 * layers stay shared and untouched.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "containr/image.h"
#include "containr/log.h"
#include "runtime/internal.h"

/*
 * The layers of the image the last create in this thread used, by image id:
 * an id names its content, so they cannot change; only their presence is
 * checked again at start.  This is what spares `run` a second lookup (index
 * lock, images.json, the config) between its create and its start.
 */
static __thread struct {
	char *root; /* the store's root */
	char *id;
	struct strv layers;
} last_image;

static void remember_layers(const struct ctr_store *st, const struct ctr_image *img)
{
	free(last_image.root);
	free(last_image.id);
	strv_release(&last_image.layers);
	last_image.root = xstrdup(st->root);
	last_image.id = xstrdup(img->id);
	strv_init(&last_image.layers);
	for (size_t i = 0; i < img->layers.n; i++)
		strv_push(&last_image.layers, img->layers.v[i]);
}

static bool remembered_layers(const struct ctr_store *st, const char *id, struct strv *lower)
{
	if (!last_image.id || !id || strcmp(last_image.id, id) != 0 ||
	    strcmp(last_image.root, st->root) != 0 || last_image.layers.n == 0)
		return false;
	for (size_t i = 0; i < last_image.layers.n; i++)
		if (access(last_image.layers.v[i], F_OK) < 0)
			return false; /* removed since: let the lookup say so */
	for (size_t i = 0; i < last_image.layers.n; i++)
		strv_push(lower, last_image.layers.v[i]);
	return true;
}

int runtime_image_apply(const struct ctr_store *st, struct ctr_container_config *cfg,
                        cJSON **volumes, struct ctr_err *err)
{
	struct ctr_image own;
	const struct ctr_image *found = cfg->image_found;
	struct strv env;
	const cJSON *l, *vols;

	*volumes = NULL;
	memset(&own, 0, sizeof own);
	if (!found) {
		if (ctr_image_lookup(st, cfg->image, &own, err) < 0) {
			ctr_image_free(&own);
			if (err && err->code == E_NOT_FOUND) {
				ctr_fail(err, E_NOT_FOUND, "unable to find image '%s' locally",
				         cfg->image);
				ctr_hint(err,
				         "pull it first: containr pull %s (or run a directory with "
				         "--rootfs DIR)",
				         cfg->image);
			}
			return -1;
		}
		found = &own;
	}
	const struct ctr_image img = *found; /* shallow: read only */
	remember_layers(st, &img);
	vols = cJSON_GetObjectItemCaseSensitive(
	    cJSON_GetObjectItemCaseSensitive(img.config, "config"), "Volumes");
	if (cJSON_IsObject(vols))
		*volumes = cJSON_Duplicate(vols, true);
	free(cfg->image_id);
	cfg->image_id = xstrdup(img.id);
	/* Docker: --entrypoint replaces the image's Entrypoint AND Cmd; a
	 * command replaces only Cmd. */
	if (!cfg->entrypoint_given)
		for (size_t i = 0; i < img.entrypoint.n; i++)
			strv_push(&cfg->entrypoint, img.entrypoint.v[i]);
	if (cfg->cmd.n == 0 && !cfg->entrypoint_given)
		for (size_t i = 0; i < img.cmd.n; i++)
			strv_push(&cfg->cmd, img.cmd.v[i]);
	strv_init(&env);
	for (size_t i = 0; i < img.env.n; i++)
		runtime_env_set(&env, img.env.v[i]);
	for (size_t i = 0; i < cfg->env.n; i++)
		runtime_env_set(&env, cfg->env.v[i]);
	strv_release(&cfg->env);
	cfg->env = env;
	if (!cfg->workdir && img.workdir && *img.workdir)
		cfg->workdir = xstrdup(img.workdir);
	if (!cfg->user && img.user && *img.user)
		cfg->user = xstrdup(img.user);
	if (!cfg->stop_signal && img.stop_signal && *img.stop_signal)
		cfg->stop_signal = xstrdup(img.stop_signal);
	cJSON_ArrayForEach (l, img.labels) {
		if (cJSON_IsString(l) && !cJSON_GetObjectItemCaseSensitive(cfg->labels, l->string))
			cJSON_AddStringToObject(cfg->labels, l->string, l->valuestring);
	}
	ctr_image_free(&own);
	return 0;
}

int runtime_image_layers(const struct ctr_store *st, const struct ctr_container *c,
                         struct strv *lower, char **upper, char **work, struct ctr_err *err)
{
	struct ctr_image img;

	*upper = *work = NULL;
	memset(&img, 0, sizeof img);
	if (remembered_layers(st, c->cfg.image_id, lower)) {
		ctr_explain("image", "layers of the image this process just created from",
		            "%s (%zu layers, no second lookup)", c->cfg.image_id, lower->n);
	} else if (ctr_image_lookup(st, c->cfg.image_id ? c->cfg.image_id : c->cfg.image, &img,
	                            err) < 0) {
		ctr_image_free(&img);
		ctr_err_wrap(err, "image %s of container %s", c->cfg.image ? c->cfg.image : "?",
		             c->cfg.name);
		return ctr_hint(err,
		                "the image was removed: pull it again or remove the container");
	}
	for (size_t i = 0; i < img.layers.n; i++)
		strv_push(lower, img.layers.v[i]);
	ctr_image_free(&img);
	if (lower->n == 0)
		return ctr_fail(err, E_CORRUPT, "image %s has no layers", c->cfg.image);
	*upper = ctr_path_join(c->dir, "upper");
	*work = ctr_path_join(c->dir, "work");
	if ((mkdir(*upper, 0755) < 0 && errno != EEXIST) ||
	    (mkdir(*work, 0700) < 0 && errno != EEXIST))
		return ctr_fail_errno(err, E_IO, errno, "cannot create the overlay dirs of %s",
		                      c->cfg.name);
	return 0;
}

int runtime_overlay_mount(const struct strv *lower, const char *upper, const char *work,
                          const char *target, struct ctr_err *err)
{
	return ctr_overlay_mount(lower, upper, work, target, err);
}
