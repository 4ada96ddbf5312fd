/*
 * inspect.h - the one `inspect` of the CLI (cmds_inspect.c): `inspect`,
 * `image inspect` and `volume inspect` print containers, images and
 * volumes the way Docker's inspect does (docs/INSPECT.md).
 */
#ifndef CONTAINR_CLI_INSPECT_H
#define CONTAINR_CLI_INSPECT_H

#include "cli/cli.h"

enum cli_inspect_type {
	CLI_INSPECT_ANY, /* container, then image, then volume (Docker's order) */
	CLI_INSPECT_CONTAINER,
	CLI_INSPECT_IMAGE,
	CLI_INSPECT_VOLUME,
};

/*
 * Inspect argv[0..argc) and print them with `format` (NULL/"json": the
 * indented array; else a Go template per object, over the object plus the
 * keys Docker omits when empty, as null, so `{{.State.Health}}` prints
 * `<no value>` rather than failing).  Objects found are printed even if
 * others are not; each missing one is an error line ("no such object: X"
 * for CLI_INSPECT_ANY), the last one left in `err`.  `size` adds SizeRw and
 * SizeRootFs to containers (inspect --size).  Returns the exit status.
 */
int cli_inspect_objects(struct cli_ctx *ctx, int argc, char **argv, enum cli_inspect_type type,
                        const char *format, bool size, struct ctr_err *err);

/*
 * For templates: add each absent "A.B.C" of the NULL-terminated `paths` (keys
 * Docker's structs have but its JSON omits when empty) to `o` as null.
 */
void cli_add_omitted(cJSON *o, const char *const *paths);

/* Docker's image Config (container.Config keys, zero values) from an OCI config's "config". */
cJSON *cli_image_config_json(const cJSON *oci);

/* The image inspect object of `query` (cmds_image.c); NULL with err set. */
cJSON *cli_image_inspect_json(const struct ctr_store *st, cJSON *idx, const char *query,
                              struct ctr_err *err);

#endif
