/*
 * image.c - the runtime's use of images: the layers and overlay dirs of
 * an image container.  Until the image module (ctr_image_lookup,
 * ctr_overlay_mount) is part of the build, image containers cannot start
 * and say so; --rootfs containers do not come here.
 */
#include "runtime/internal.h"

int runtime_image_layers(const struct ctr_container *c, struct strv *lower, char **upper,
			 char **work, struct ctr_err *err)
{
	(void)lower;
	*upper = *work = NULL;
	ctr_fail(err, E_UNSUPPORTED, "cannot run image %s: images are not supported by this build",
		 c->cfg.image ? c->cfg.image : "?");
	return ctr_hint(err, "run an unpacked root filesystem with --rootfs DIR");
}

int runtime_overlay_mount(const struct strv *lower, const char *upper, const char *work,
			  const char *target, struct ctr_err *err)
{
	(void)lower, (void)upper, (void)work;
	return ctr_fail(err, E_UNSUPPORTED, "cannot mount an image root filesystem on %s: images are not supported by this build", target);
}
