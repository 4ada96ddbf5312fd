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

#include "containr/image.h"
#include "containr/log.h"
#include "runtime/internal.h"

int runtime_image_apply(const struct ctr_store *st, struct ctr_container_config *cfg,
                        struct ctr_err *err)
{
	struct ctr_image img;
	struct strv env;
	const cJSON *l;

	memset(&img, 0, sizeof img);
	if (ctr_image_lookup(st, cfg->image, &img, err) < 0) {
		ctr_image_free(&img);
		if (err && err->code == E_NOT_FOUND) {
			ctr_fail(err, E_NOT_FOUND, "unable to find image '%s' locally", cfg->image);
			ctr_hint(err,
			         "pull it first: containr pull %s (or run a directory with "
			         "--rootfs DIR)",
			         cfg->image);
		}
		return -1;
	}
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
	ctr_image_free(&img);
	return 0;
}

int runtime_image_layers(const struct ctr_store *st, const struct ctr_container *c,
                         struct strv *lower, char **upper, char **work, struct ctr_err *err)
{
	struct ctr_image img;

	*upper = *work = NULL;
	memset(&img, 0, sizeof img);
	if (ctr_image_lookup(st, c->cfg.image_id ? c->cfg.image_id : c->cfg.image, &img, err) < 0) {
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
