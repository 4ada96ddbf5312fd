/*
 * ext.h - containr-ext.so: the half of the engine that needs the big
 * libraries (libcurl, libarchive, OpenSSL, readline, ncurses).
 *
 * Loading those costs ~15 ms of dynamic linking per process on a small VM,
 * which `run`, `ps`, `stop` and every monitor's exit step would pay without
 * using them.  So the engine binary links only libc, cJSON, libseccomp and
 * libcap, and the commands that pull, log in, import/export/save/load, build
 * the built-in image, or run the REPL or the dashboard load containr-ext.so
 * on first use (dlopen).  The plugin calls back into the engine through the
 * binary's exported symbols (-rdynamic), so there is one copy of every
 * engine function and of its state (log level, explain mode).
 *
 * The public names (ctr_image_pull...) stay the API: in the engine binary
 * they are forwarders (forward.c); the implementations are the *_impl
 * functions, reached through `containr_ext`, the plugin's one exported
 * table.  The unit-test binary links both halves statically; then the
 * table is found without dlopen.  See docs/ARCHITECTURE.md.
 */
#ifndef CONTAINR_EXT_H
#define CONTAINR_EXT_H

#include <stdbool.h>
#include <stddef.h>

#include "containr/error.h"
#include "containr/image.h"
#include "containr/registry.h"

struct cli_ctx;
struct cli_args;

/* Bump when a function's meaning changes without the table's size changing. */
#define CTR_EXT_ABI 1

struct ctr_ext {
	size_t size;       /* sizeof(struct ctr_ext) */
	unsigned abi;      /* CTR_EXT_ABI */
	const char *build; /* CONTAINR_VERSION: a plugin of another version is refused */
	/* images (src/image) */
	int (*image_init_default)(const struct ctr_store *st, bool force, struct ctr_err *err);
	int (*image_import)(const struct ctr_store *st, const char *path, const char *ref,
	                    const struct strv *changes, const char *message,
	                    char id_out[CTR_DIGEST_BUF], struct ctr_err *err);
	int (*image_save)(const struct ctr_store *st, const struct strv *queries,
	                  const char *out_path, struct ctr_err *err);
	int (*image_load)(const struct ctr_store *st, const char *path, struct strv *loaded,
	                  struct ctr_err *err);
	int (*container_export)(const struct ctr_store *st, const char *query, const char *out_path,
	                        struct ctr_err *err);
	int (*layer_extract_file)(const struct ctr_store *st, const char *path,
	                          const struct ctr_layer_opts *opts,
	                          char diffid_out[CTR_DIGEST_BUF], struct ctr_err *err);
	/* registries (src/registry) */
	int (*image_pull)(struct ctr_store *st, const char *ref, const struct ctr_pull_opts *opts,
	                  struct ctr_pull_result *res, struct ctr_err *err);
	void (*pull_result_free)(struct ctr_pull_result *r);
	int (*registry_login)(const char *registry, const char *user, const char *pass,
	                      struct ctr_err *err);
	int (*registry_logout)(const char *registry, struct ctr_err *err);
	/* faces (src/cli/repl.c, ui/) */
	int (*cli_repl)(struct cli_ctx *ctx);
	int (*cli_dashboard)(struct cli_ctx *ctx, struct cli_args *a, struct ctr_err *err);
	/* nftables (src/ext/nft.c): run one batch (nft syntax or JSON) */
	int (*nft_run)(const char *cmd, bool json, char **out, struct ctr_err *err);
};

/*
 * The plugin's table: linked in (unit tests) or loaded once from
 * containr-ext.so next to the running binary, then CONTAINR_LIBEXEC_DIR.
 * NULL with E_UNSUPPORTED (and a hint) if it is missing or of another build.
 */
const struct ctr_ext *ctr_ext_get(struct ctr_err *err);

/* The implementations behind the forwarders (defined in the plugin). */
int ctr_image_init_default_impl(const struct ctr_store *st, bool force, struct ctr_err *err);
int ctr_image_import_impl(const struct ctr_store *st, const char *path, const char *ref,
                          const struct strv *changes, const char *message,
                          char id_out[CTR_DIGEST_BUF], struct ctr_err *err);
int ctr_image_save_impl(const struct ctr_store *st, const struct strv *queries,
                        const char *out_path, struct ctr_err *err);
int ctr_image_load_impl(const struct ctr_store *st, const char *path, struct strv *loaded,
                        struct ctr_err *err);
int ctr_container_export_impl(const struct ctr_store *st, const char *query, const char *out_path,
                              struct ctr_err *err);
int ctr_layer_extract_file_impl(const struct ctr_store *st, const char *path,
                                const struct ctr_layer_opts *opts, char diffid_out[CTR_DIGEST_BUF],
                                struct ctr_err *err);
int ctr_image_pull_impl(struct ctr_store *st, const char *ref, const struct ctr_pull_opts *opts,
                        struct ctr_pull_result *res, struct ctr_err *err);
void ctr_pull_result_free_impl(struct ctr_pull_result *r);
int ctr_registry_login_impl(const char *registry, const char *user, const char *pass,
                            struct ctr_err *err);
int ctr_registry_logout_impl(const char *registry, struct ctr_err *err);
int cli_repl_impl(struct cli_ctx *ctx);
int ui_cmd_dashboard(struct cli_ctx *ctx, struct cli_args *a, struct ctr_err *err);
int ctr_nft_run_impl(const char *cmd, bool json, char **out, struct ctr_err *err);
/*
 * Run one nftables batch through libnftables in the plugin: `cmd` in nft
 * syntax or JSON; with `json` the output (listings) is JSON.  *out (may be
 * NULL) receives the output.  E_IO with nft's first error line.
 */
int ctr_nft_run(const char *cmd, bool json, char **out, struct ctr_err *err);

#endif
