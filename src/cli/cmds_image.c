/*
 * cmds_image.c - the image commands of the command table, with Docker's
 * semantics: images, image inspect, tag, rmi, image prune, import, export,
 * save, load, and the `image` group (ls, inspect, rm, prune, tag, import,
 * save, load, init-default).  The work is done by the image module
 * (include/containr/image.h); this file parses, prints and maps errors.
 */
#include "cli/cli.h"

#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "containr/image.h"
#include "containr/log.h"
#include "containr/reference.h"
#include "cli/format.h"
#include "cli/inspect.h"
#include "lib/json.h"
#include "containr/template.h"

/* ---- output helpers ------------------------------------------------------ */

/* "2 weeks ago" from an RFC 3339 time. */
static void created_since(const char *created, char *buf, size_t len)
{
	int64_t ns;

	if (!created[0] || ctr_parse_rfc3339(created, &ns) < 0) {
		snprintf(buf, len, "N/A");
		return;
	}
	ctr_format_duration(buf, len, (ctr_now_ns() - ns) / 1000000000LL);
	strncat(buf, " ago", len - strlen(buf) - 1);
}

/* ---- images ------------------------------------------------------------- */

struct image_row {
	const cJSON *img;
	char *repo, *tag, *digest;
	int64_t created_ns;
};

static int row_cmp(const void *a, const void *b)
{
	const struct image_row *x = a, *y = b;

	if (x->created_ns != y->created_ns)
		return x->created_ns < y->created_ns ? 1 : -1;
	int c = strcmp(x->repo, y->repo);
	return c ? c : strcmp(x->tag, y->tag);
}

static void rows_add(struct image_row **rows, size_t *n, const cJSON *img, const char *repo,
                     const char *tag, const char *digest)
{
	struct image_row *r;
	int64_t ns = 0;

	*rows = xrealloc(*rows, (*n + 1) * sizeof(**rows));
	r = &(*rows)[(*n)++];
	r->img = img;
	r->repo = xstrdup(repo);
	r->tag = xstrdup(tag);
	r->digest = xstrdup(digest);
	ctr_parse_rfc3339(ctr_json_str_or(img, "Created", ""), &ns);
	r->created_ns = ns;
}

/* The repo digest of `img` in repository `repo` (familiar name), or "<none>". */
static const char *digest_for(const cJSON *img, const char *repo_full)
{
	const cJSON *d;

	cJSON_ArrayForEach (d, cJSON_GetObjectItemCaseSensitive(img, "RepoDigests")) {
		const char *at = cJSON_IsString(d) ? strchr(d->valuestring, '@') : NULL;
		if (at && (!repo_full ||
		           strncmp(d->valuestring, repo_full, (size_t)(at - d->valuestring)) == 0))
			return at + 1;
	}
	return "<none>";
}

/* Build one row per tag (and per digest-only repo, and one for dangling). */
static void build_rows(cJSON *idx, const char *filter, struct image_row **rows, size_t *n)
{
	const cJSON *images = cJSON_GetObjectItemCaseSensitive(idx, "images");
	const cJSON *refs = cJSON_GetObjectItemCaseSensitive(idx, "refs");
	const cJSON *img, *e;
	struct ctr_ref fr = {0};
	struct ctr_err ferr;
	cleanup_free char *fname = NULL;
	bool ftag = false;

	if (filter && ctr_ref_parse(filter, &fr, &ferr) == 0) {
		fname = ctr_ref_name(&fr);
		/* "busybox" filters by repository; "busybox:1.36" by tag too */
		/* (a ':' before the last '/' is a registry port, not a tag) */
		const char *last = strrchr(filter, '/');
		ftag = strchr(last ? last : filter, ':') && fr.tag;
	}
	cJSON_ArrayForEach (img, images) {
		bool any = false;
		cJSON_ArrayForEach (e, refs) {
			struct ctr_ref r = {0};
			struct ctr_err perr;
			if (strcmp(ctr_json_str_or(e, "id", ""), img->string) != 0)
				continue;
			any = true;
			if (ctr_ref_parse(e->string, &r, &perr) == 0) {
				cleanup_free char *name = ctr_ref_name(&r);
				cleanup_free char *fam = ctr_ref_familiar_name(&r);
				/* the manifest this tag was pulled as, else the repo's */
				const char *dg = ctr_json_str_or(e, "digest", "");
				if (!filter || (fname && strcmp(name, fname) == 0 &&
				                (!ftag || strcmp(r.tag, fr.tag) == 0)))
					rows_add(rows, n, img, fam, r.tag ? r.tag : "<none>",
					         dg[0] ? dg : digest_for(img, name));
			}
			ctr_ref_free(&r);
		}
		if (!any && !filter) {
			/* dangling, or only known by digest */
			const cJSON *d = cJSON_GetArrayItem(
			    cJSON_GetObjectItemCaseSensitive(img, "RepoDigests"), 0);
			if (cJSON_IsString(d) && strchr(d->valuestring, '@')) {
				struct ctr_ref r = {0};
				struct ctr_err perr;
				if (ctr_ref_parse(d->valuestring, &r, &perr) == 0) {
					cleanup_free char *fam = ctr_ref_familiar_name(&r);
					rows_add(rows, n, img, fam, "<none>", r.digest);
				}
				ctr_ref_free(&r);
			} else {
				rows_add(rows, n, img, "<none>", "<none>", "<none>");
			}
		}
	}
	ctr_ref_free(&fr);
	if (*n > 1)
		qsort(*rows, *n, sizeof(**rows), row_cmp);
}

static const struct cli_flag images_flags[] = {
    {.name = "all",
     .shortname = 'a',
     .type = CLI_BOOL,
     .help = "Show all images (containr keeps no intermediate images, so this is the default)"},
    {.name = "quiet", .shortname = 'q', .type = CLI_BOOL, .help = "Only show image IDs"},
    {.name = "digests", .type = CLI_BOOL, .help = "Show digests"},
    {.name = "no-trunc", .type = CLI_BOOL, .help = "Don't truncate output"},
    {.name = "filter",
     .shortname = 'f',
     .type = CLI_STRING,
     .metavar = "FILTER",
     .help = "Filter output: dangling=true|false, reference=PATTERN, before=IMAGE, since=IMAGE",
     .opts = CLI_REPEAT},
    {.name = "format",
     .type = CLI_STRING,
     .metavar = "FORMAT",
     .help = "Format output: table, json, or a Go template (\"table {{.Repository}}\\t{{.ID}}\")",
     .complete = COMP_CHOICES,
     .choices = "table|json"},
    {0},
};

/* RFC 3339 -> Go's time.Time String() in UTC, as Docker's CreatedAt; "" stays "". */
static const char *go_time(const char *rfc3339, char *buf, size_t len)
{
	int64_t ns;
	time_t t;
	struct tm tm;

	if (!rfc3339[0] || ctr_parse_rfc3339(rfc3339, &ns) < 0)
		return rfc3339;
	t = (time_t)(ns / 1000000000LL);
	gmtime_r(&t, &tm);
	strftime(buf, len, "%Y-%m-%d %H:%M:%S +0000 UTC", &tm);
	return buf;
}

static const struct ctr_tmpl_header image_headers[] = {
    {"Repository", "REPOSITORY"},
    {"Tag", "TAG"},
    {"Digest", "DIGEST"},
    {"ID", "IMAGE ID"},
    {"CreatedSince", "CREATED"},
    {"CreatedAt", "CREATED AT"},
    {"Size", "SIZE"},
    {"Containers", "CONTAINERS"},
    {"SharedSize", "SHARED SIZE"},
    {"UniqueSize", "UNIQUE SIZE"},
    {"VirtualSize", "VIRTUAL SIZE"},
    {NULL, NULL},
};

/* Created time (ns) of the image `query` names, for before=/since=. */
static int created_of(const struct ctr_store *st, cJSON *idx, const char *query, int64_t *ns,
                      struct ctr_err *err)
{
	char id[CTR_DIGEST_BUF];
	const cJSON *img;

	if (ctr_image_resolve(st, query, id, err) < 0)
		return -1;
	img = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(idx, "images"), id);
	*ns = 0;
	ctr_parse_rfc3339(ctr_json_str_or(img, "Created", ""), ns);
	return 0;
}

/*
 * Docker's `images --filter`: every filter must match (several values of
 * one key: any of them).  Keeps the matching rows at the front; returns the
 * new count or -1 for a bad filter.
 */
static long filter_rows(const struct ctr_store *st, cJSON *idx, const struct strv *filters,
                        struct image_row *rows, size_t n, struct ctr_err *err)
{
	static const char *const keys[] = {"dangling", "reference", "before", "since"};
	size_t kept = 0;

	for (size_t f = 0; filters && f < filters->n; f++) {
		const char *eq = strchr(filters->v[f], '=');
		bool known = false;
		for (size_t k = 0; eq && k < CTR_ARRAY_SIZE(keys); k++)
			known |= strlen(keys[k]) == (size_t)(eq - filters->v[f]) &&
			         !strncmp(filters->v[f], keys[k], strlen(keys[k]));
		if (!known) {
			ctr_fail(err, E_INVALID_ARG, "invalid filter '%s'", filters->v[f]);
			ctr_hint(err,
			         "filters: dangling=true|false, reference=PATTERN, before=IMAGE, "
			         "since=IMAGE");
			return -1;
		}
		if (str_startswith(filters->v[f], "dangling=") && strcmp(eq + 1, "true") &&
		    strcmp(eq + 1, "false")) {
			ctr_fail(err, E_INVALID_ARG, "invalid filter 'dangling=%s'", eq + 1);
			ctr_hint(err, "use dangling=true or dangling=false");
			return -1;
		}
	}
	for (size_t i = 0; i < n; i++) {
		bool keep = true;
		for (size_t k = 0; keep && k < CTR_ARRAY_SIZE(keys); k++) {
			bool any = false, seen = false;
			for (size_t f = 0; filters && f < filters->n; f++) {
				const char *v = filters->v[f] + strlen(keys[k]) + 1;
				int64_t ns;
				if (!str_startswith(filters->v[f], keys[k]) ||
				    filters->v[f][strlen(keys[k])] != '=')
					continue;
				seen = true;
				if (k == 0) {
					bool dangling = !strcmp(rows[i].repo, "<none>") &&
					                !strcmp(rows[i].tag, "<none>");
					any |= dangling == !strcmp(v, "true");
				} else if (k == 1) {
					cleanup_free char *rt =
					    xasprintf("%s:%s", rows[i].repo, rows[i].tag);
					any |= fnmatch(v, rows[i].repo, 0) == 0 ||
					       fnmatch(v, rt, 0) == 0;
				} else {
					if (created_of(st, idx, v, &ns, err) < 0)
						return -1;
					any |= k == 2 ? rows[i].created_ns < ns
					              : rows[i].created_ns > ns;
				}
			}
			keep = !seen || any;
		}
		if (keep) {
			struct image_row tmp = rows[kept];
			rows[kept++] = rows[i];
			rows[i] = tmp;
		}
	}
	return (long)kept;
}

static int cmd_images(struct cli_ctx *ctx, struct cli_args *a, struct ctr_err *err)
{
	struct ctr_store *st;
	cJSON *idx = NULL, *out;
	struct image_row *rows = NULL;
	size_t n = 0;
	bool quiet = cli_bool(a, "quiet"), digests = cli_bool(a, "digests");
	bool notrunc = cli_bool(a, "no-trunc");
	const char *fmt = cli_str(a, "format");
	struct strv seen;
	size_t shown;
	int rc = 0;

	if (cli_store(ctx, &st, err) < 0 || ctr_image_index_load(st, &idx, err) < 0)
		return 1;
	build_rows(idx, a->argc > 0 ? a->argv[0] : NULL, &rows, &n);
	strv_init(&seen);
	out = cJSON_CreateArray();
	{
		long kept = filter_rows(st, idx, cli_list(a, "filter"), rows, n, err);
		if (kept < 0) {
			rc = 2;
			quiet = true; /* print nothing */
			kept = 0;
		}
		shown = (size_t)kept;
	}
	for (size_t i = 0; i < shown; i++) {
		const char *id = rows[i].img->string;
		cleanup_free char *shortid =
		    notrunc ? xstrdup(id) : xstrndup(ctr_digest_hex(id), 12);
		char since[64], size[32];
		cJSON *j;

		char at[64];

		created_since(ctr_json_str_or(rows[i].img, "Created", ""), since, sizeof(since));
		ctr_format_bytes(size, sizeof(size), ctr_json_num(rows[i].img, "Size", 0), false);
		if (quiet) {
			if (!strv_contains(&seen, shortid)) {
				fprintf(ctx->out, "%s\n", shortid);
				strv_push(&seen, shortid);
			}
			continue;
		}
		j = cJSON_CreateObject();
		cJSON_AddStringToObject(j, "Containers", "N/A");
		cJSON_AddStringToObject(
		    j, "CreatedAt",
		    go_time(ctr_json_str_or(rows[i].img, "Created", ""), at, sizeof at));
		cJSON_AddStringToObject(j, "CreatedSince", since);
		cJSON_AddStringToObject(j, "Digest", rows[i].digest);
		cJSON_AddStringToObject(j, "ID", shortid);
		cJSON_AddStringToObject(j, "Repository", rows[i].repo);
		cJSON_AddStringToObject(j, "SharedSize", "N/A");
		cJSON_AddStringToObject(j, "Size", size);
		cJSON_AddStringToObject(j, "Tag", rows[i].tag);
		cJSON_AddStringToObject(j, "UniqueSize", "N/A");
		cJSON_AddStringToObject(j, "VirtualSize", size);
		cJSON_AddItemToArray(out, j);
	}
	if (!quiet && rc == 0) {
		const char *table =
		    digests
		        ? "table {{.Repository}}\t{{.Tag}}\t{{.Digest}}\t{{.ID}}\t"
		          "{{.CreatedSince}}\t{{.Size}}"
		        : "table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}";
		if (cli_format_list(ctx, fmt, table, image_headers, out, err) < 0)
			rc = 2;
	}
	for (size_t i = 0; i < n; i++) {
		free(rows[i].repo);
		free(rows[i].tag);
		free(rows[i].digest);
	}
	free(rows);
	strv_release(&seen);
	cJSON_Delete(out);
	cJSON_Delete(idx);
	return rc;
}

/* ---- image inspect -------------------------------------------------------- */

cJSON *cli_image_inspect_json(const struct ctr_store *st, cJSON *idx, const char *query,
                              struct ctr_err *err)
{
	struct ctr_image img;
	cJSON *rec, *o, *tags, *rootfs, *layers, *gd, *gdd;
	const cJSON *e, *l;
	struct strbuf lower;
	char id[CTR_DIGEST_BUF];

	if (ctr_image_resolve(st, query, id, err) < 0)
		return NULL;
	rec = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(idx, "images"), id);
	if (!rec || ctr_image_lookup(st, id, &img, err) < 0) {
		if (rec)
			ctr_image_free(&img);
		else
			ctr_fail(err, E_NOT_FOUND, "no such image: %s", query);
		return NULL;
	}
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "Id", id);
	tags = cJSON_AddArrayToObject(o, "RepoTags");
	cJSON_ArrayForEach (e, cJSON_GetObjectItemCaseSensitive(idx, "refs")) {
		if (!strcmp(ctr_json_str_or(e, "id", ""), id)) {
			struct ctr_ref r = {0};
			struct ctr_err perr;
			if (ctr_ref_parse(e->string, &r, &perr) == 0) {
				char *fam = ctr_ref_familiar(&r);
				cJSON_AddItemToArray(tags, cJSON_CreateString(fam));
				free(fam);
			}
			ctr_ref_free(&r);
		}
	}
	{
		cJSON *rds = cJSON_AddArrayToObject(o, "RepoDigests");
		cJSON_ArrayForEach (e, cJSON_GetObjectItemCaseSensitive(rec, "RepoDigests")) {
			struct ctr_ref r = {0};
			struct ctr_err perr;
			if (cJSON_IsString(e) && ctr_ref_parse(e->valuestring, &r, &perr) == 0) {
				char *fam = ctr_ref_familiar(&r);
				cJSON_AddItemToArray(rds, cJSON_CreateString(fam));
				free(fam);
			}
			ctr_ref_free(&r);
		}
	}
	cJSON_AddStringToObject(o, "Parent", "");
	cJSON_AddStringToObject(o, "Comment", "");
	cJSON_AddStringToObject(o, "Created", ctr_json_str_or(img.config, "created", ""));
	cJSON_AddStringToObject(o, "DockerVersion", "");
	cJSON_AddStringToObject(o, "Author", ctr_json_str_or(img.config, "author", ""));
	cJSON_AddItemToObject(
	    o, "Config",
	    cli_image_config_json(cJSON_GetObjectItemCaseSensitive(img.config, "config")));
	cJSON_AddStringToObject(o, "Architecture", ctr_json_str_or(img.config, "architecture", ""));
	if (ctr_json_str_or(img.config, "variant", "")[0])
		cJSON_AddStringToObject(o, "Variant", ctr_json_str_or(img.config, "variant", ""));
	cJSON_AddStringToObject(o, "Os", ctr_json_str_or(img.config, "os", ""));
	cJSON_AddNumberToObject(o, "Size", ctr_json_num(rec, "Size", 0));
	gd = cJSON_AddObjectToObject(o, "GraphDriver");
	gdd = cJSON_AddObjectToObject(gd, "Data");
	strbuf_init(&lower);
	for (size_t i = img.layers.n; i-- > 0;) {
		if (lower.len)
			strbuf_putc(&lower, ':');
		strbuf_puts(&lower, img.layers.v[i]);
	}
	cJSON_AddStringToObject(gdd, "LowerDir", lower.buf);
	strbuf_release(&lower);
	/* an image is read-only layers: no upper, work or merged dir until a container */
	cJSON_AddStringToObject(gdd, "MergedDir", "");
	cJSON_AddStringToObject(gdd, "UpperDir", "");
	cJSON_AddStringToObject(gdd, "WorkDir", "");
	cJSON_AddStringToObject(gd, "Name", "overlay2");
	rootfs = cJSON_AddObjectToObject(o, "RootFS");
	cJSON_AddStringToObject(rootfs, "Type", "layers");
	layers = cJSON_AddArrayToObject(rootfs, "Layers");
	cJSON_ArrayForEach (l, cJSON_GetObjectItemCaseSensitive(rec, "Layers")) {
		cJSON_AddItemToArray(layers, cJSON_CreateString(ctr_json_str_or(l, "DiffID", "")));
	}
	{
		cJSON *md = cJSON_AddObjectToObject(o, "Metadata");
		cJSON_AddStringToObject(md, "LastTagTime", ctr_json_str_or(rec, "Added", ""));
	}
	cJSON_AddStringToObject(o, "ManifestDigest", ctr_json_str_or(rec, "ManifestDigest", ""));
	ctr_image_free(&img);
	return o;
}

static const struct cli_flag inspect_flags[] = {
    {.name = "format",
     .shortname = 'f',
     .type = CLI_STRING,
     .metavar = "FORMAT",
     .help = "Format output: json, or a Go template (\"{{.Id}}\")",
     .complete = COMP_CHOICES,
     .choices = "json"},
    {0},
};

static int cmd_inspect(struct cli_ctx *ctx, struct cli_args *a, struct ctr_err *err)
{
	return cli_inspect_objects(ctx, a->argc, a->argv, CLI_INSPECT_IMAGE, cli_str(a, "format"),
	                           false, err);
}

/* ---- tag, rmi, prune ------------------------------------------------------ */

static int cmd_tag(struct cli_ctx *ctx, struct cli_args *a, struct ctr_err *err)
{
	struct ctr_store *st;

	if (cli_store(ctx, &st, err) < 0)
		return 1;
	return ctr_image_tag(st, a->argv[0], a->argv[1], err) < 0 ? ctr_err_exit_status(err->code)
	                                                          : 0;
}

static void print_rmi(FILE *f, const struct ctr_rmi_result *r)
{
	for (size_t i = 0; i < r->untagged.n; i++)
		fprintf(f, "Untagged: %s\n", r->untagged.v[i]);
	for (size_t i = 0; i < r->deleted.n; i++)
		fprintf(f, "Deleted: %s\n", r->deleted.v[i]);
	fflush(f);
	for (size_t i = 0; i < r->kept.n; i++) {
		const char *sp = strchr(r->kept.v[i], ' ');
		fprintf(stderr,
		        "containr: warning: image %.12s is kept (dangling): container %.12s uses "
		        "it\n",
		        ctr_digest_hex(r->kept.v[i]), sp ? sp + 1 : "?");
	}
}

static const struct cli_flag rmi_flags[] = {
    {.name = "force",
     .shortname = 'f',
     .type = CLI_BOOL,
     .help = "Remove all names of the image; an image in use stays, dangling"},
    {.name = "no-prune",
     .type = CLI_BOOL,
     .help = "Accepted for Docker compatibility (no-op: "
             "containr has no parent images)"},
    {0},
};

static int cmd_rmi(struct cli_ctx *ctx, struct cli_args *a, struct ctr_err *err)
{
	struct ctr_store *st;
	int status = 0;

	if (cli_store(ctx, &st, err) < 0)
		return 1;
	for (int i = 0; i < a->argc; i++) {
		struct ctr_rmi_result r;
		struct ctr_err e;
		ctr_err_clear(&e);
		ctr_rmi_result_init(&r);
		if (ctr_image_remove(st, a->argv[i], cli_bool(a, "force"), &r, &e) < 0) {
			if (status)
				cli_print_error(err); /* print earlier failures; the last is ours */
			*err = e;
			status = 1;
		}
		print_rmi(ctx->out, &r);
		ctr_rmi_result_release(&r);
	}
	return status;
}

static const struct cli_flag prune_flags[] = {
    {.name = "all",
     .shortname = 'a',
     .type = CLI_BOOL,
     .help = "Remove all images not used by a container, not just dangling ones"},
    {.name = "force", .shortname = 'f', .type = CLI_BOOL, .help = "Do not prompt for confirmation"},
    {0},
};

static int cmd_prune(struct cli_ctx *ctx, struct cli_args *a, struct ctr_err *err)
{
	struct ctr_store *st;
	struct ctr_rmi_result r;
	bool all = cli_bool(a, "all");
	char buf[32];
	int rc;

	if (!cli_bool(a, "force")) {
		if (ctx->batch || !isatty(STDIN_FILENO)) {
			ctr_fail(err, E_USAGE, "image prune asks for confirmation");
			ctr_hint(err, "use -f to prune without a prompt");
			return 2;
		}
		fprintf(
		    stderr,
		    all ? "WARNING! This will remove all images without at least one container "
		          "associated to them.\nAre you sure you want to continue? [y/N] "
		        : "WARNING! This will remove all dangling images.\nAre you sure you want "
		          "to continue? [y/N] ");
		if (!fgets(buf, sizeof(buf), stdin) || (buf[0] != 'y' && buf[0] != 'Y'))
			return 0;
	}
	if (cli_store(ctx, &st, err) < 0)
		return 1;
	ctr_rmi_result_init(&r);
	rc = ctr_image_prune(st, all, &r, err);
	if (r.untagged.n || r.deleted.n) {
		fprintf(ctx->out, "Deleted Images:\n");
		for (size_t i = 0; i < r.untagged.n; i++)
			fprintf(ctx->out, "untagged: %s\n", r.untagged.v[i]);
		for (size_t i = 0; i < r.deleted.n; i++)
			fprintf(ctx->out, "deleted: %s\n", r.deleted.v[i]);
		fprintf(ctx->out, "\n");
	}
	ctr_format_bytes(buf, sizeof(buf), (double)r.reclaimed, false);
	fprintf(ctx->out, "Total reclaimed space: %s\n", buf);
	ctr_rmi_result_release(&r);
	return rc < 0 ? 1 : 0;
}

/* ---- import, export, save, load ------------------------------------------- */

static const struct cli_flag import_flags[] = {
    {.name = "change",
     .shortname = 'c',
     .type = CLI_STRING,
     .metavar = "LINE",
     .help = "Apply a Dockerfile instruction (CMD, ENTRYPOINT, ENV, WORKDIR, USER, LABEL, "
             "EXPOSE, STOPSIGNAL)",
     .opts = CLI_REPEAT},
    {.name = "message",
     .shortname = 'm',
     .type = CLI_STRING,
     .metavar = "TEXT",
     .help = "Set a commit message for the imported image"},
    {0},
};

static int cmd_import(struct cli_ctx *ctx, struct cli_args *a, struct ctr_err *err)
{
	struct ctr_store *st;
	char id[CTR_DIGEST_BUF];

	if (cli_store(ctx, &st, err) < 0)
		return 1;
	if (ctr_image_import(st, a->argv[0], a->argc > 1 ? a->argv[1] : NULL, cli_list(a, "change"),
	                     cli_str(a, "message"), id, err) < 0)
		return ctr_err_exit_status(err->code);
	fprintf(ctx->out, "%s\n", id);
	return 0;
}

static const struct cli_flag export_flags[] = {
    {.name = "output",
     .shortname = 'o',
     .type = CLI_STRING,
     .metavar = "FILE",
     .help = "Write to a file, instead of STDOUT",
     .complete = COMP_FILE},
    {0},
};

static int cmd_export(struct cli_ctx *ctx, struct cli_args *a, struct ctr_err *err)
{
	struct ctr_store *st;
	const char *out = cli_str(a, "output");

	if (!out && isatty(STDOUT_FILENO)) {
		ctr_fail(err, E_USAGE, "refusing to write a tar archive to a terminal");
		ctr_hint(err, "use -o FILE or redirect the output");
		return 2;
	}
	if (cli_store(ctx, &st, err) < 0)
		return 1;
	fflush(ctx->out);
	return ctr_container_export(st, a->argv[0], out ? out : "-", err) < 0 ? 1 : 0;
}

static const struct cli_flag save_flags[] = {
    {.name = "output",
     .shortname = 'o',
     .type = CLI_STRING,
     .metavar = "FILE",
     .help = "Write to a file, instead of STDOUT",
     .complete = COMP_FILE},
    {0},
};

static int cmd_save(struct cli_ctx *ctx, struct cli_args *a, struct ctr_err *err)
{
	struct ctr_store *st;
	const char *out = cli_str(a, "output");
	struct strv q;
	int rc;

	if (!out && isatty(STDOUT_FILENO)) {
		ctr_fail(err, E_USAGE, "refusing to write a tar archive to a terminal");
		ctr_hint(err, "use -o FILE or redirect the output");
		return 2;
	}
	if (cli_store(ctx, &st, err) < 0)
		return 1;
	strv_init(&q);
	for (int i = 0; i < a->argc; i++)
		strv_push(&q, a->argv[i]);
	fflush(ctx->out);
	rc = ctr_image_save(st, &q, out ? out : "-", err);
	strv_release(&q);
	return rc < 0 ? 1 : 0;
}

static const struct cli_flag load_flags[] = {
    {.name = "input",
     .shortname = 'i',
     .type = CLI_STRING,
     .metavar = "FILE",
     .help = "Read from a tar archive file, instead of STDIN",
     .complete = COMP_FILE},
    {.name = "quiet", .shortname = 'q', .type = CLI_BOOL, .help = "Suppress the load output"},
    {0},
};

static int cmd_load(struct cli_ctx *ctx, struct cli_args *a, struct ctr_err *err)
{
	struct ctr_store *st;
	const char *in = cli_str(a, "input");
	struct strv lines;
	int rc;

	if (!in && isatty(STDIN_FILENO)) {
		ctr_fail(err, E_USAGE, "requested load from stdin, but stdin is a terminal");
		ctr_hint(err, "use -i FILE or redirect the input");
		return 2;
	}
	if (cli_store(ctx, &st, err) < 0)
		return 1;
	strv_init(&lines);
	rc = ctr_image_load(st, in ? in : "-", &lines, err);
	if (!cli_bool(a, "quiet"))
		for (size_t i = 0; i < lines.n; i++)
			fprintf(ctx->out, "%s\n", lines.v[i]);
	strv_release(&lines);
	return rc < 0 ? 1 : 0;
}

static const struct cli_flag init_default_flags[] = {
    {.name = "force", .type = CLI_BOOL, .help = "Rebuild it even if it exists"},
    {0},
};

static int cmd_init_default(struct cli_ctx *ctx, struct cli_args *a, struct ctr_err *err)
{
	struct ctr_store *st;
	char id[CTR_DIGEST_BUF];

	if (cli_store(ctx, &st, err) < 0)
		return 1;
	if (ctr_image_init_default(st, cli_bool(a, "force"), err) < 0 ||
	    ctr_image_resolve(st, CTR_DEFAULT_IMAGE, id, err) < 0)
		return 1;
	fprintf(ctx->out, "%s %s\n", CTR_DEFAULT_IMAGE, id);
	return 0;
}

/* Hidden: extract one layer file into the store (benchmarks, debugging). */
static int cmd_extract_layer(struct cli_ctx *ctx, struct cli_args *a, struct ctr_err *err)
{
	struct ctr_store *st;
	char diffid[CTR_DIGEST_BUF];

	if (cli_store(ctx, &st, err) < 0)
		return 1;
	if (ctr_layer_extract_file(st, a->argv[0], NULL, diffid, err) < 0)
		return ctr_err_exit_status(err->code);
	fprintf(ctx->out, "%s\n", diffid);
	return 0;
}

/* ---- the table ------------------------------------------------------------- */

#define GROUP "Images"

static const struct cli_command images_def = {
    .name = "images",
    .summary = "List images",
    .usage = "[OPTIONS] [REPOSITORY[:TAG]]",
    .group = GROUP,
    .flags = images_flags,
    .max_args = 1,
    .complete = COMP_IMAGE,
    .handler = cmd_images,
};
static const char *const ls_aliases[] = {"list", NULL};
static const struct cli_command image_ls_def = {
    .name = "ls",
    .aliases = ls_aliases,
    .summary = "List images",
    .usage = "[OPTIONS] [REPOSITORY[:TAG]]",
    .group = GROUP,
    .flags = images_flags,
    .max_args = 1,
    .complete = COMP_IMAGE,
    .handler = cmd_images,
};
static const struct cli_command image_inspect_def = {
    .name = "inspect",
    .summary = "Display detailed information on one or more images",
    .usage = "[OPTIONS] IMAGE [IMAGE...]",
    .group = GROUP,
    .flags = inspect_flags,
    .min_args = 1,
    .max_args = -1,
    .complete = COMP_IMAGE,
    .handler = cmd_inspect,
};
static const struct cli_command tag_def = {
    .name = "tag",
    .summary = "Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE",
    .usage = "SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]",
    .group = GROUP,
    .min_args = 2,
    .max_args = 2,
    .complete = COMP_IMAGE,
    .complete_rest = COMP_NONE,
    .handler = cmd_tag,
};
static const struct cli_command rmi_def = {
    .name = "rmi",
    .summary = "Remove one or more images",
    .usage = "[OPTIONS] IMAGE [IMAGE...]",
    .group = GROUP,
    .flags = rmi_flags,
    .min_args = 1,
    .max_args = -1,
    .complete = COMP_IMAGE,
    .handler = cmd_rmi,
};
static const char *const rm_aliases[] = {"remove", NULL};
static const struct cli_command image_rm_def = {
    .name = "rm",
    .aliases = rm_aliases,
    .summary = "Remove one or more images",
    .usage = "[OPTIONS] IMAGE [IMAGE...]",
    .group = GROUP,
    .flags = rmi_flags,
    .min_args = 1,
    .max_args = -1,
    .complete = COMP_IMAGE,
    .handler = cmd_rmi,
};
static const struct cli_command image_prune_def = {
    .name = "prune",
    .summary = "Remove unused images",
    .usage = "[OPTIONS]",
    .group = GROUP,
    .flags = prune_flags,
    .max_args = 0,
    .handler = cmd_prune,
};
static const struct cli_command import_def = {
    .name = "import",
    .summary = "Import the contents from a tarball to create a filesystem image",
    .usage = "[OPTIONS] FILE|- [REPOSITORY[:TAG]]",
    .group = GROUP,
    .flags = import_flags,
    .min_args = 1,
    .max_args = 2,
    .complete = COMP_FILE,
    .complete_rest = COMP_NONE,
    .handler = cmd_import,
    .description = "The tarball may be plain, gzip, xz or zstd compressed; it becomes a "
                   "one-layer image. Entries that would write outside the image (absolute "
                   "names, '..', paths through symlinks, hardlinks to outside) are refused.",
};
static const struct cli_command export_def = {
    .name = "export",
    .summary = "Export a container's filesystem as a tar archive",
    .usage = "[OPTIONS] CONTAINER",
    .group = GROUP,
    .flags = export_flags,
    .min_args = 1,
    .max_args = 1,
    .complete = COMP_CONTAINER,
    .handler = cmd_export,
};
static const struct cli_command save_def = {
    .name = "save",
    .summary = "Save one or more images to a tar archive",
    .usage = "[OPTIONS] IMAGE [IMAGE...]",
    .group = GROUP,
    .flags = save_flags,
    .min_args = 1,
    .max_args = -1,
    .complete = COMP_IMAGE,
    .handler = cmd_save,
    .description = "The archive is both an OCI image layout and a docker-archive "
                   "(manifest.json), like the one Docker 25+ writes.",
};
static const struct cli_command load_def = {
    .name = "load",
    .summary = "Load an image from a tar archive or STDIN",
    .usage = "[OPTIONS]",
    .group = GROUP,
    .flags = load_flags,
    .max_args = 0,
    .handler = cmd_load,
};
static const struct cli_command image_init_default_def = {
    .name = "init-default",
    .summary = "Build the built-in image " CTR_DEFAULT_IMAGE " from the host's busybox-static",
    .usage = "[OPTIONS]",
    .group = GROUP,
    .flags = init_default_flags,
    .max_args = 0,
    .handler = cmd_init_default,
    .description = "Also done automatically the first time a command refers to " CTR_DEFAULT_IMAGE
                   ". Needs no network.",
};

static const struct cli_command image_extract_layer_def = {
    .name = "extract-layer",
    .summary = "Extract one layer tarball into the layer store and print its diff_id",
    .usage = "FILE",
    .group = GROUP,
    .min_args = 1,
    .max_args = 1,
    .opts = CLI_HIDDEN_CMD,
    .complete = COMP_FILE,
    .handler = cmd_extract_layer,
};

static const struct cli_command *const image_subcommands[] = {
    &image_ls_def,
    &image_inspect_def,
    &image_rm_def,
    &image_prune_def,
    &tag_def,
    &import_def,
    &save_def,
    &load_def,
    &image_init_default_def,
    &image_extract_layer_def,
    NULL,
};

static const struct cli_command image_group_def = {
    .name = "image",
    .summary = "Manage images",
    .usage = "COMMAND",
    .group = GROUP,
    .subcommands = image_subcommands,
};

const struct cli_command *const cli_cmds_image[] = {
    &images_def, &image_group_def, &tag_def,  &rmi_def, &import_def,
    &export_def, &save_def,        &load_def, NULL,
};
