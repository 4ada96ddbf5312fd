/*
 * forward.c - finding and loading containr-ext.so, and the forwarders that
 * keep the public API (ctr_image_pull...) callable from the engine binary.
 * Why the split exists, and what is on each side: ext.h.
 */
#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "containr/log.h"
#include "ext/ext.h"

#ifndef CONTAINR_LIBEXEC_DIR
#define CONTAINR_LIBEXEC_DIR "/usr/local/libexec/containr"
#endif
#ifndef CONTAINR_VERSION
#define CONTAINR_VERSION "0.0.0"
#endif

#define EXT_NAME "containr-ext.so"

/* Defined by the plugin (src/ext/table.c); non-NULL only when linked in. */
extern const struct ctr_ext containr_ext __attribute__((weak));

static const struct ctr_ext *ext;

/* dlopen `path`; 1 = loaded, 0 = not there, -1 = there but unusable (err set). */
static int ext_try(const char *path, struct ctr_err *err)
{
	const struct ctr_ext *t;
	void *h;

	if (access(path, F_OK) < 0)
		return 0;
	ctr_explain("dlopen", "load the image/registry/terminal half of the engine on first use",
	            "%s", path);
	h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		ctr_fail(err, E_UNSUPPORTED, "cannot load %s: %s", path, dlerror());
		ctr_hint(err, "install its libraries (make deps) or rebuild containr (make)");
		return -1;
	}
	t = dlsym(h, "containr_ext");
	if (!t || t->size != sizeof(struct ctr_ext) || t->abi != CTR_EXT_ABI ||
	    strcmp(t->build, CONTAINR_VERSION) != 0) {
		ctr_fail(err, E_UNSUPPORTED, "%s belongs to another build of containr (%s)", path,
		         t ? t->build : "no table");
		ctr_hint(err, "install both from one build: make && make install");
		dlclose(h);
		return -1;
	}
	ext = t;
	ctr_debug("ext: loaded", "path", path);
	return 1;
}

const struct ctr_ext *ctr_ext_get(struct ctr_err *err)
{
	char exe[PATH_MAX];
	cleanup_free char *here = NULL;
	ssize_t n;
	int rc;

	if (ext)
		return ext;
	if (&containr_ext != NULL)
		return ext = &containr_ext;
	n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		char *slash;

		exe[n] = '\0';
		slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			here = ctr_path_join(exe, EXT_NAME);
			rc = ext_try(here, err);
			if (rc != 0)
				return rc > 0 ? ext : NULL;
		}
	}
	rc = ext_try(CONTAINR_LIBEXEC_DIR "/" EXT_NAME, err);
	if (rc > 0)
		return ext;
	if (rc == 0) {
		ctr_fail(err, E_UNSUPPORTED,
		         "this command needs " EXT_NAME ", found neither next to containr%s%s nor "
		         "in " CONTAINR_LIBEXEC_DIR,
		         here ? " in " : "", here ? exe : "");
		ctr_hint(err, "build it with make, or install containr with make install");
	}
	return NULL;
}

/* ---- forwarders --------------------------------------------------------- */

int ctr_image_init_default(const struct ctr_store *st, bool force, struct ctr_err *err)
{
	const struct ctr_ext *x = ctr_ext_get(err);

	return x ? x->image_init_default(st, force, err) : -1;
}

int ctr_image_import(const struct ctr_store *st, const char *path, const char *ref,
                     const struct strv *changes, const char *message, char id_out[CTR_DIGEST_BUF],
                     struct ctr_err *err)
{
	const struct ctr_ext *x = ctr_ext_get(err);

	return x ? x->image_import(st, path, ref, changes, message, id_out, err) : -1;
}

int ctr_image_save(const struct ctr_store *st, const struct strv *queries, const char *out_path,
                   struct ctr_err *err)
{
	const struct ctr_ext *x = ctr_ext_get(err);

	return x ? x->image_save(st, queries, out_path, err) : -1;
}

int ctr_image_load(const struct ctr_store *st, const char *path, struct strv *loaded,
                   struct ctr_err *err)
{
	const struct ctr_ext *x = ctr_ext_get(err);

	return x ? x->image_load(st, path, loaded, err) : -1;
}

int ctr_container_export(const struct ctr_store *st, const char *query, const char *out_path,
                         struct ctr_err *err)
{
	const struct ctr_ext *x = ctr_ext_get(err);

	return x ? x->container_export(st, query, out_path, err) : -1;
}

int ctr_layer_extract_file(const struct ctr_store *st, const char *path,
                           const struct ctr_layer_opts *opts, char diffid_out[CTR_DIGEST_BUF],
                           struct ctr_err *err)
{
	const struct ctr_ext *x = ctr_ext_get(err);

	return x ? x->layer_extract_file(st, path, opts, diffid_out, err) : -1;
}

int ctr_image_pull(struct ctr_store *st, const char *ref, const struct ctr_pull_opts *opts,
                   struct ctr_pull_result *res, struct ctr_err *err)
{
	const struct ctr_ext *x = ctr_ext_get(err);

	return x ? x->image_pull(st, ref, opts, res, err) : -1;
}

void ctr_pull_result_free(struct ctr_pull_result *r)
{
	/* a result was only ever filled by a loaded plugin */
	if (ext)
		ext->pull_result_free(r);
	else if (&containr_ext != NULL)
		containr_ext.pull_result_free(r);
}

int ctr_registry_login(const char *registry, const char *user, const char *pass,
                       struct ctr_err *err)
{
	const struct ctr_ext *x = ctr_ext_get(err);

	return x ? x->registry_login(registry, user, pass, err) : -1;
}

int ctr_registry_logout(const char *registry, struct ctr_err *err)
{
	const struct ctr_ext *x = ctr_ext_get(err);

	return x ? x->registry_logout(registry, err) : -1;
}

int ctr_nft_run(const char *cmd, bool json, char **out, struct ctr_err *err)
{
	const struct ctr_ext *x = ctr_ext_get(err);

	return x ? x->nft_run(cmd, json, out, err) : -1;
}
