/*
 * overlay.c - mount an image's layers as one overlayfs.
 *
 * mount(2) takes the options as one page of text, so the absolute paths of
 * many layers (~90 bytes each) stop fitting after about 40 layers.  When
 * they do not fit, we make a private temp dir next to the target holding
 * one short symlink per layer ("0", "1", … -> the layer dir), chdir there
 * and pass the short relative names: overlayfs resolves the paths (and the
 * symlinks) at mount time, so the temp dir is removed right after.  That
 * keeps about 4 bytes per layer, enough for overlayfs's own limit of 500
 * lower layers.
 *
 * overlayfs wants lowerdir top-most first; struct ctr_image lists layers
 * bottom-most first, so the list is reversed here.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include "containr/image.h"
#include "containr/log.h"
#include "image/image_int.h"

#define OVL_MAX_LAYERS 500

static void add_opt_path(struct strbuf *sb, const char *p)
{
	/* ',' and ':' are separators in overlay options: escape them */
	for (; *p; p++) {
		if (*p == ',' || *p == ':' || *p == '\\')
			strbuf_putc(sb, '\\');
		strbuf_putc(sb, *p);
	}
}

static char *build_opts(const struct strv *lower, bool short_names, const char *upper,
                        const char *work)
{
	struct strbuf sb;

	strbuf_init(&sb);
	strbuf_puts(&sb, "lowerdir=");
	for (size_t i = lower->n; i-- > 0;) {
		if (i != lower->n - 1)
			strbuf_putc(&sb, ':');
		if (short_names)
			strbuf_printf(&sb, "%zu", i);
		else
			add_opt_path(&sb, lower->v[i]);
	}
	if (upper) {
		strbuf_puts(&sb, ",upperdir=");
		add_opt_path(&sb, upper);
		strbuf_puts(&sb, ",workdir=");
		add_opt_path(&sb, work);
	}
	return strbuf_detach(&sb);
}

static int do_mount(const char *target, const char *opts, bool ro, struct ctr_err *err)
{
	unsigned long flags = ro ? MS_RDONLY : 0;

	ctr_explain("mount", "stack the image layers (read-only) under a private writable layer",
	            "overlay on %s (%zu bytes of options)", target, strlen(opts));
	if (mount("overlay", target, "overlay", flags, opts) < 0)
		return ctr_fail_errno(err, E_IO, errno, "cannot mount overlay on %s", target);
	return 0;
}

int ctr_overlay_mount(const struct strv *lowerdirs, const char *upper, const char *work,
                      const char *target, struct ctr_err *err)
{
	long page = sysconf(_SC_PAGESIZE);
	cleanup_free char *opts = NULL;
	cleanup_free char *tcopy = NULL;
	cleanup_free char *tmp = NULL;
	cleanup_close int cwd = -1;
	int rc;

	if (!lowerdirs || lowerdirs->n == 0)
		return ctr_fail(err, E_INVALID_ARG, "overlay on %s: no layers", target);
	if ((upper == NULL) != (work == NULL))
		return ctr_fail(err, E_INVALID_ARG, "overlay on %s: upper and work go together",
		                target);
	if (lowerdirs->n > OVL_MAX_LAYERS)
		return ctr_fail(err, E_UNSUPPORTED, "image has %zu layers; overlayfs allows %d",
		                lowerdirs->n, OVL_MAX_LAYERS);
	if (!upper && lowerdirs->n == 1) {
		/* overlayfs wants two lowers without an upper: a read-only bind is the same view */
		ctr_explain("mount", "one read-only layer: bind it (overlayfs needs two)",
		            "%s on %s MS_BIND then MS_RDONLY", lowerdirs->v[0], target);
		if (mount(lowerdirs->v[0], target, NULL, MS_BIND, NULL) < 0 ||
		    mount(NULL, target, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY, NULL) < 0)
			return ctr_fail_errno(err, E_IO, errno, "cannot bind %s on %s",
			                      lowerdirs->v[0], target);
		return 0;
	}
	opts = build_opts(lowerdirs, false, upper, work);
	if ((long)strlen(opts) < page - 1)
		return do_mount(target, opts, !upper, err);

	/* too long: short symlinks in a temp dir next to the target */
	tcopy = xstrdup(target);
	tmp = xasprintf("%s/.ovl-XXXXXX", dirname(tcopy));
	if (!mkdtemp(tmp))
		return ctr_fail_errno(err, E_IO, errno, "cannot create a temp dir for %s", target);
	for (size_t i = 0; i < lowerdirs->n; i++) {
		cleanup_free char *link = xasprintf("%s/%zu", tmp, i);
		if (symlink(lowerdirs->v[i], link) < 0) {
			rc = ctr_fail_errno(err, E_IO, errno, "cannot create %s", link);
			goto out;
		}
	}
	free(opts);
	opts = build_opts(lowerdirs, true, upper, work);
	if ((long)strlen(opts) >= page - 1) {
		rc = ctr_fail(err, E_UNSUPPORTED, "overlay options for %zu layers exceed a page",
		              lowerdirs->n);
		goto out;
	}
	cwd = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (cwd < 0 || chdir(tmp) < 0) {
		rc = ctr_fail_errno(err, E_IO, errno, "cannot enter %s", tmp);
		goto out;
	}
	ctr_debug("overlay with short layer names", "layers", tmp);
	rc = do_mount(target, opts, !upper, err);
	if (fchdir(cwd) < 0)
		ctr_warn("cannot return to the previous directory", "error", strerror(errno));
out : {
	struct ctr_err ignore;
	ctr_rm_rf(tmp, &ignore);
}
	return rc;
}
