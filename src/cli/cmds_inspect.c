/*
 * cmds_inspect.c - `inspect` (containers, images, volumes, as Docker's
 * top-level inspect), and the one code path behind `image inspect` and
 * `volume inspect` (see inspect.h).
 *
 * The objects come from the engine (ctr_container_inspect_json,
 * ctr_volume_inspect) and cmds_image.c (cli_image_inspect_json) with
 * Docker's keys; docs/INSPECT.md lists them.  Docker templates run over Go
 * structs, where a field that JSON omits when empty (`omitempty`: e.g.
 * State.Health without a healthcheck) still exists; the tables below add
 * those keys as null for templates only, so `{{.State.Health}}` prints
 * `<no value>` instead of failing, while the JSON stays Docker's.
 */
#include "cli/format.h"
#include "cli/inspect.h"

#include <stdlib.h>
#include <string.h>

#include "containr/container.h"
#include "containr/image.h"
#include "containr/volume.h"

/* Keys Docker's structs have but its JSON omits when empty (docs/INSPECT.md). */
static const char *const container_omitted[] = {
    "Node",
    "SizeRw",
    "SizeRootFs",
    "State.Health",
    "HostConfig.Annotations",
    "HostConfig.StorageOpt",
    "HostConfig.Tmpfs",
    "HostConfig.Sysctls",
    "HostConfig.Mounts",
    "HostConfig.Init",
    "HostConfig.IDMappings", /* podman's, only with a user namespace */
    "Config.ExposedPorts",
    "Config.Healthcheck",
    "Config.ArgsEscaped",
    "Config.NetworkDisabled",
    "Config.MacAddress",
    "Config.StopTimeout",
    "Config.Shell",
    NULL,
};
static const char *const image_omitted[] = {
    "Variant",
    "OsVersion",
    "RootFS.BaseLayer",
    "Config.ExposedPorts",
    "Config.Healthcheck",
    "Config.ArgsEscaped",
    "Config.NetworkDisabled",
    "Config.MacAddress",
    "Config.StopSignal",
    "Config.StopTimeout",
    "Config.Shell",
    NULL,
};
static const char *const volume_omitted[] = {
    "ClusterVolume",
    "Status",
    "UsageData",
    NULL,
};

void cli_add_omitted(cJSON *o, const char *const *paths)
{
	for (size_t i = 0; paths[i]; i++) {
		cJSON *cur = o;
		const char *p = paths[i];

		for (;;) {
			size_t n = strcspn(p, ".");
			char key[64];

			snprintf(key, sizeof key, "%.*s", (int)n, p);
			if (p[n] == '\0') {
				if (!cJSON_GetObjectItemCaseSensitive(cur, key))
					cJSON_AddNullToObject(cur, key);
				break;
			}
			cur = cJSON_GetObjectItemCaseSensitive(cur, key);
			if (!cJSON_IsObject(cur))
				break;
			p += n + 1;
		}
	}
}

static const char *const type_names[] = {"", "container", "image", "volume"};

static void copy_or(cJSON *c, const cJSON *oci, const char *key, cJSON *zero)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(oci, key);

	if (it && !cJSON_IsNull(it)) {
		cJSON_Delete(zero);
		zero = cJSON_Duplicate(it, true);
	}
	cJSON_AddItemToObject(c, key, zero);
}

cJSON *cli_image_config_json(const cJSON *oci)
{
	static const char *const strs1[] = {"Hostname", "Domainname", "User", NULL};
	static const char *const bools[] = {"AttachStdin", "AttachStdout", "AttachStderr", NULL};
	static const char *const bools2[] = {"Tty", "OpenStdin", "StdinOnce", NULL};
	static const char *const lists[] = {"Env", "Cmd", NULL};
	cJSON *c = cJSON_CreateObject();
	const cJSON *it;

	/* Docker's order; a key the OCI config has is copied, else the zero value. */
#define COPY_OR(key, zero) copy_or(c, oci, key, zero)
	for (size_t i = 0; strs1[i]; i++)
		COPY_OR(strs1[i], cJSON_CreateString(""));
	for (size_t i = 0; bools[i]; i++)
		COPY_OR(bools[i], cJSON_CreateFalse());
	if ((it = cJSON_GetObjectItemCaseSensitive(oci, "ExposedPorts")) && cJSON_IsObject(it))
		cJSON_AddItemToObject(c, "ExposedPorts", cJSON_Duplicate(it, true));
	for (size_t i = 0; bools2[i]; i++)
		COPY_OR(bools2[i], cJSON_CreateFalse());
	for (size_t i = 0; lists[i]; i++)
		COPY_OR(lists[i], cJSON_CreateNull());
	if ((it = cJSON_GetObjectItemCaseSensitive(oci, "Healthcheck")) && cJSON_IsObject(it))
		cJSON_AddItemToObject(c, "Healthcheck", cJSON_Duplicate(it, true));
	if ((it = cJSON_GetObjectItemCaseSensitive(oci, "ArgsEscaped")) && cJSON_IsTrue(it))
		cJSON_AddTrueToObject(c, "ArgsEscaped");
	COPY_OR("Image", cJSON_CreateString(""));
	COPY_OR("Volumes", cJSON_CreateNull());
	COPY_OR("WorkingDir", cJSON_CreateString(""));
	COPY_OR("Entrypoint", cJSON_CreateNull());
	COPY_OR("OnBuild", cJSON_CreateNull());
	COPY_OR("Labels", cJSON_CreateNull());
	if ((it = cJSON_GetObjectItemCaseSensitive(oci, "StopSignal")) && cJSON_IsString(it) &&
	    it->valuestring[0])
		cJSON_AddStringToObject(c, "StopSignal", it->valuestring);
	if ((it = cJSON_GetObjectItemCaseSensitive(oci, "Shell")) && cJSON_IsArray(it))
		cJSON_AddItemToObject(c, "Shell", cJSON_Duplicate(it, true));
#undef COPY_OR
	return c;
}

/* Skippable while guessing the type: "not this kind", not a real failure. */
static bool skippable(const struct ctr_err *e)
{
	return e->code == E_NOT_FOUND || e->code == E_INVALID_ARG;
}

/* Find `q` as `type` (ANY: each in Docker's order); the type found in *found. */
static cJSON *inspect_one(const struct ctr_store *st, cJSON **idx, const char *q,
                          enum cli_inspect_type type, bool size, enum cli_inspect_type *found,
                          struct ctr_err *err)
{
	for (int t = CLI_INSPECT_CONTAINER; t <= CLI_INSPECT_VOLUME; t++) {
		cJSON *o = NULL;
		int rc = 0;

		if (type != CLI_INSPECT_ANY && type != (enum cli_inspect_type)t)
			continue;
		ctr_err_clear(err);
		if (t == CLI_INSPECT_CONTAINER) {
			struct ctr_container c;
			rc = ctr_container_load(st, q, &c, err);
			if (rc == 0) {
				o = ctr_container_inspect_json(&c);
				if (size)
					ctr_container_inspect_add_size(&c, o);
				ctr_container_free(&c);
			}
		} else if (t == CLI_INSPECT_IMAGE) {
			if (!*idx && ctr_image_index_load(st, idx, err) < 0)
				return NULL;
			o = cli_image_inspect_json(st, *idx, q, err);
			rc = o ? 0 : -1;
		} else {
			rc = ctr_volume_inspect(st, q, &o, err);
		}
		if (rc == 0) {
			*found = (enum cli_inspect_type)t;
			return o;
		}
		if (type != CLI_INSPECT_ANY || !skippable(err))
			return NULL;
	}
	ctr_fail(err, E_NOT_FOUND, "no such object: %s", q);
	ctr_hint(err, "no container, image or volume has this name or id: see 'containr ps -a', "
	              "'containr images' and 'containr volume ls'");
	return NULL;
}

int cli_inspect_objects(struct cli_ctx *ctx, int argc, char **argv, enum cli_inspect_type type,
                        const char *format, bool size, struct ctr_err *err)
{
	static const char *const *const omitted[] = {NULL, container_omitted, image_omitted,
	                                             volume_omitted};
	const char *f = format ? format + strspn(format, " ") : "";
	bool tmpl = f[0] && strcmp(f, "json") != 0;
	struct ctr_store *st;
	cJSON *arr, *idx = NULL;
	int failed = 0;

	if (cli_store(ctx, &st, err) < 0)
		return ctr_err_exit_status(err->code);
	arr = cJSON_CreateArray();
	for (int i = 0; i < argc; i++) {
		enum cli_inspect_type found = CLI_INSPECT_ANY;
		struct ctr_err e;
		cJSON *o = inspect_one(st, &idx, argv[i], type, size, &found, &e);

		if (!o) {
			if (failed++)
				cli_print_error(err);
			*err = e;
			continue;
		}
		if (tmpl)
			cli_add_omitted(o, omitted[found]);
		cJSON_AddItemToArray(arr, o);
	}
	cJSON_Delete(idx);
	if (!failed || cJSON_GetArraySize(arr) > 0) {
		struct ctr_err fe;
		ctr_err_clear(&fe);
		if (cli_format_inspect(ctx, format, arr, &fe) < 0) {
			if (failed)
				cli_print_error(err);
			*err = fe;
			failed = 1;
		}
	}
	cJSON_Delete(arr);
	return failed ? ctr_err_exit_status(err->code) : 0;
}

/* ---- the command ---------------------------------------------------------- */

static int cmd_inspect(struct cli_ctx *ctx, struct cli_args *a, struct ctr_err *err)
{
	const char *t = cli_str(a, "type");
	enum cli_inspect_type type = CLI_INSPECT_ANY;

	if (t && t[0]) {
		size_t i;
		for (i = 1; i < CTR_ARRAY_SIZE(type_names); i++)
			if (!strcmp(t, type_names[i]))
				break;
		if (i == CTR_ARRAY_SIZE(type_names)) {
			ctr_fail(err, E_USAGE, "\"%s\" is not a valid value for --type", t);
			ctr_hint(err, "use --type container, image or volume");
			return ctr_err_exit_status(err->code);
		}
		type = (enum cli_inspect_type)i;
	}
	return cli_inspect_objects(ctx, a->argc, a->argv, type, cli_str(a, "format"),
	                           cli_bool(a, "size"), err);
}

static const struct cli_flag inspect_flags[] = {
    {.name = "format",
     .shortname = 'f',
     .type = CLI_STRING,
     .metavar = "FORMAT",
     .help = "Format output: json or a Go template (\"{{.State.Status}}\")",
     .complete = COMP_CHOICES,
     .choices = "json"},
    {.name = "size",
     .shortname = 's',
     .type = CLI_BOOL,
     .help = "Display total file sizes if the type is container (SizeRw, SizeRootFs)"},
    {.name = "type",
     .type = CLI_STRING,
     .metavar = "TYPE",
     .help = "Only look for this type: container, image or volume",
     .complete = COMP_CHOICES,
     .choices = "container|image|volume"},
    {0},
};

const struct cli_command cli_cmd_inspect = {
    .name = "inspect",
    .summary = "Return low-level information on containers, images and volumes",
    .group = "Containers",
    .usage = "[OPTIONS] NAME|ID [NAME|ID...]",
    .flags = inspect_flags,
    .min_args = 1,
    .max_args = -1,
    .complete = COMP_CONTAINER,
    .handler = cmd_inspect,
    .description = "Without --type, each name is looked up as a container, then an image, "
                   "then a volume, as Docker does. The keys are Docker's (docs/INSPECT.md).",
};
