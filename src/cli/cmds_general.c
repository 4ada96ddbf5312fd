/*
 * cmds_general.c - commands about containr itself: version, info, help,
 * completion, and the hidden __complete / __man used by the bash, zsh and
 * fish completion scripts and `make man`.
 */
#include "cli/cli.h"
#include "cli/format.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <seccomp.h>
#include <unistd.h>

#include "containr/cgroup.h"
#include "containr/image.h"
#include "containr/log.h"

static void print_json(FILE *f, cJSON *j)
{
	char *s = cJSON_Print(j);

	fprintf(f, "%s\n", s);
	free(s);
}

/* ---- version ----------------------------------------------------------- */

/* version and info take the same --format flag. */
static const struct cli_flag format_flags[] = {
    {.name = "format",
     .shortname = 'f',
     .type = CLI_STRING,
     .metavar = "FORMAT",
     .help = "Output format: text, json, or a Go template (docs/TEMPLATES.md)",
     .complete = COMP_CHOICES,
     .choices = "text|json"},
    {0},
};

static int cmd_version(struct cli_ctx *ctx, struct cli_args *a, struct ctr_err *err)
{
	const char *fmt = cli_str(a, "format");
	struct utsname u;
	const struct scmp_version *sv = seccomp_version();

	uname(&u);
	if (fmt && strcmp(fmt, "text") != 0) {
		cJSON *j = cJSON_CreateObject();
		int rc = 0;

		cJSON_AddStringToObject(j, "Version", CONTAINR_VERSION);
		cJSON_AddStringToObject(j, "GitCommit", CONTAINR_COMMIT);
		cJSON_AddStringToObject(j, "Os", "linux");
		cJSON_AddStringToObject(j, "Arch", u.machine);
		cJSON_AddStringToObject(j, "KernelVersion", u.release);
		cJSON_AddStringToObject(j, "BuildTime", __DATE__ " " __TIME__);
		if (strcmp(fmt, "json") == 0)
			print_json(ctx->out, j);
		else if (cli_format_inspect(ctx, fmt, j, err) < 0) /* a Go template, as Docker */
			rc = 2;
		cJSON_Delete(j);
		return rc;
	}
	fprintf(ctx->out,
	        "containr version %s (commit %s)\n"
	        " OS/Arch:     linux/%s\n"
	        " Kernel:      %s\n"
	        " libseccomp:  %u.%u.%u\n",
	        CONTAINR_VERSION, CONTAINR_COMMIT, u.machine, u.release, sv ? sv->major : 0,
	        sv ? sv->minor : 0, sv ? sv->micro : 0);
	return 0;
}

static const struct cli_command cmd_version_def = {
    .name = "version",
    .summary = "Show the containr version information",
    .usage = "[OPTIONS]",
    .group = "General",
    .flags = format_flags,
    .max_args = 0,
    .opts = CLI_NO_STORE,
    .handler = cmd_version,
};

/* ---- info -------------------------------------------------------------- */

static bool file_contains(const char *path, const char *needle)
{
	cleanup_free char *data = NULL;
	struct ctr_err e;

	if (ctr_read_file(path, &data, NULL, &e) < 0)
		return false;
	return strstr(data, needle) != NULL;
}

static long count_objects(const struct ctr_store *st, enum ctr_kind kind)
{
	struct strv ids;
	struct ctr_err e;
	long n;

	if (ctr_store_list(st, kind, &ids, &e) < 0)
		return 0;
	n = (long)ids.n;
	strv_release(&ids);
	return n;
}

static long count_images(const struct ctr_store *st)
{
	cJSON *idx = NULL;
	struct ctr_err e;
	long n;

	if (ctr_image_index_load(st, &idx, &e) < 0)
		return 0;
	n = cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(idx, "images"));
	cJSON_Delete(idx);
	return n;
}

static int cmd_info(struct cli_ctx *ctx, struct cli_args *a, struct ctr_err *err)
{
	static const char *const ns_names[] = {"mnt", "pid",    "uts",  "ipc",
	                                       "net", "cgroup", "user", "time"};
	const char *fmt = cli_str(a, "format");
	struct ctr_store *st;
	struct utsname u;
	cJSON *j, *nsarr, *sec;
	enum ctr_cgroup_mode mode;

	if (cli_store(ctx, &st, err) < 0)
		return 1;
	uname(&u);
	mode = ctr_cgroup_detect();

	j = cJSON_CreateObject();
	cJSON_AddStringToObject(j, "ServerVersion", CONTAINR_VERSION);
	cJSON_AddStringToObject(j, "RootDir", st->root);
	cJSON_AddStringToObject(j, "Driver", "overlay");
	cJSON_AddNumberToObject(j, "Containers", (double)count_objects(st, CTR_KIND_CONTAINER));
	cJSON_AddNumberToObject(j, "Images", (double)count_images(st));
	cJSON_AddNumberToObject(j, "Volumes", (double)count_objects(st, CTR_KIND_VOLUME));
	cJSON_AddStringToObject(j, "CgroupVersion",
	                        mode == CTR_CGROUP_V2     ? "2"
	                        : mode == CTR_CGROUP_NONE ? ""
	                                                  : "1");
	cJSON_AddStringToObject(j, "CgroupMode", ctr_cgroup_mode_name(mode));
	cJSON_AddStringToObject(j, "KernelVersion", u.release);
	cJSON_AddStringToObject(j, "OperatingSystem", "linux");
	cJSON_AddStringToObject(j, "Architecture", u.machine);
	cJSON_AddNumberToObject(j, "NCPU", (double)sysconf(_SC_NPROCESSORS_ONLN));
	cJSON_AddNumberToObject(j, "MemTotal",
	                        (double)sysconf(_SC_PHYS_PAGES) * (double)sysconf(_SC_PAGESIZE));
	nsarr = cJSON_AddArrayToObject(j, "Namespaces");
	for (size_t i = 0; i < CTR_ARRAY_SIZE(ns_names); i++) {
		cleanup_free char *p = xasprintf("/proc/self/ns/%s", ns_names[i]);
		if (access(p, F_OK) == 0)
			cJSON_AddItemToArray(nsarr, cJSON_CreateString(ns_names[i]));
	}
	bool seccomp_ok = file_contains("/proc/self/status", "Seccomp:");
	bool overlay_ok = file_contains("/proc/filesystems", "overlay");
	cJSON_AddBoolToObject(j, "Seccomp", seccomp_ok);
	cJSON_AddBoolToObject(j, "Overlayfs", overlay_ok);
	sec = cJSON_AddArrayToObject(j, "SecurityOptions");
	if (seccomp_ok)
		cJSON_AddItemToArray(sec, cJSON_CreateString("name=seccomp,profile=builtin"));
	if (access("/sys/kernel/security/apparmor", F_OK) == 0)
		cJSON_AddItemToArray(sec, cJSON_CreateString("name=apparmor"));
	if (access("/sys/fs/selinux/enforce", F_OK) == 0)
		cJSON_AddItemToArray(sec, cJSON_CreateString("name=selinux"));

	if (fmt && strcmp(fmt, "json") == 0) {
		print_json(ctx->out, j);
		cJSON_Delete(j);
		return 0;
	}
	if (fmt && strcmp(fmt, "text") != 0) {
		/* any other value is a Go template over the JSON, as Docker */
		int rc = cli_format_inspect(ctx, fmt, j, err) < 0 ? 2 : 0;

		cJSON_Delete(j);
		return rc;
	}
	FILE *o = ctx->out;
	fprintf(o, "Containers: %d\n", cJSON_GetObjectItem(j, "Containers")->valueint);
	fprintf(o, "Images: %d\n", cJSON_GetObjectItem(j, "Images")->valueint);
	fprintf(o, "Volumes: %d\n", cJSON_GetObjectItem(j, "Volumes")->valueint);
	fprintf(o, "Server Version: %s\n", CONTAINR_VERSION);
	fprintf(o, "Storage Driver: overlay (overlayfs %s)\n",
	        overlay_ok ? "available" : "NOT available");
	fprintf(o, "Root Dir: %s\n", st->root);
	fprintf(o, "Cgroup Driver: cgroupfs\n");
	fprintf(o, "Cgroup Version: %s (mode: %s)\n",
	        mode == CTR_CGROUP_V2     ? "2"
	        : mode == CTR_CGROUP_NONE ? "none"
	                                  : "1",
	        ctr_cgroup_mode_name(mode));
	fprintf(o, "Namespaces:");
	const cJSON *e;
	cJSON_ArrayForEach (e, nsarr)
		fprintf(o, " %s", e->valuestring);
	fprintf(o, "\nSecurity Options:\n");
	cJSON_ArrayForEach (e, sec)
		fprintf(o, " %s\n", e->valuestring);
	if (!seccomp_ok)
		fprintf(o, " (seccomp not supported by this kernel)\n");
	fprintf(o, "Kernel Version: %s\n", u.release);
	fprintf(o, "Operating System: linux\n");
	fprintf(o, "Architecture: %s\n", u.machine);
	fprintf(o, "CPUs: %ld\n", sysconf(_SC_NPROCESSORS_ONLN));
	char mem[32];
	ctr_format_bytes(mem, sizeof mem, cJSON_GetObjectItem(j, "MemTotal")->valuedouble, true);
	fprintf(o, "Total Memory: %s\n", mem);
	cJSON_Delete(j);
	return 0;
}

static const struct cli_command cmd_info_def = {
    .name = "info",
    .summary = "Display system-wide information",
    .usage = "[OPTIONS]",
    .group = "General",
    .flags = format_flags,
    .max_args = 0,
    .handler = cmd_info,
};

/* ---- help, completion, man ---------------------------------------------- */

static int cmd_help(struct cli_ctx *ctx, struct cli_args *a, struct ctr_err *err)
{
	const struct cli_command *cmd;
	struct strbuf path;

	if (a->argc == 0) {
		cli_help_overview(ctx->out);
		return 0;
	}
	cmd = cli_find(NULL, a->argv[0]);
	if (!cmd) {
		ctr_fail(err, E_USAGE, "unknown command \"%s\"", a->argv[0]);
		ctr_hint(err, "see 'containr help' for the list of commands");
		return 2;
	}
	strbuf_init(&path);
	strbuf_puts(&path, cmd->name);
	for (int i = 1; i < a->argc && cmd->subcommands; i++) {
		const struct cli_command *sub = cli_find(cmd->subcommands, a->argv[i]);
		if (!sub)
			break;
		cmd = sub;
		strbuf_printf(&path, " %s", sub->name);
	}
	cli_help_command(ctx->out, cmd, path.buf);
	strbuf_release(&path);
	return 0;
}

static const struct cli_command cmd_help_def = {
    .name = "help",
    .summary = "Show help for containr or one of its commands",
    .usage = "[COMMAND [SUBCOMMAND]]",
    .group = "General",
    .max_args = -1,
    .opts = CLI_NO_STORE,
    .complete = COMP_COMMAND,
    .handler = cmd_help,
};

static int cmd_completion(struct cli_ctx *ctx, struct cli_args *a, struct ctr_err *err)
{
	static const struct {
		const char *shell;
		void (*print)(FILE *f);
	} shells[] = {
	    {"bash", cli_print_bash_completion},
	    {"zsh", cli_print_zsh_completion},
	    {"fish", cli_print_fish_completion},
	};

	for (size_t i = 0; i < CTR_ARRAY_SIZE(shells); i++) {
		if (strcmp(a->argv[0], shells[i].shell) == 0) {
			shells[i].print(ctx->out);
			return 0;
		}
	}
	ctr_fail(err, E_INVALID_ARG, "unsupported shell \"%s\"", a->argv[0]);
	ctr_hint(err, "use bash, zsh or fish: containr completion bash");
	return 2;
}

static const struct cli_command cmd_completion_def = {
    .name = "completion",
    .summary = "Print a shell completion script",
    .usage = "bash|zsh|fish",
    .group = "General",
    .description = "Load it with: source <(containr completion bash) (zsh: the same, after "
                   "compinit); fish: containr completion fish | source",
    .min_args = 1,
    .max_args = 1,
    .opts = CLI_NO_STORE,
    .handler = cmd_completion,
};

/*
 * __complete CWORD containr [WORDS...]: used by the shell completion
 * scripts.  Global options before the command (--root DIR etc., from the
 * table in globals.c) are skipped, or completed when the cursor is on one
 * or its value; --root is honoured so completion lists that root's
 * containers.
 */
static int cmd_complete(struct cli_ctx *ctx, struct cli_args *a, struct ctr_err *err)
{
	int cword = atoi(a->argv[0]);
	int n = a->argc - 1; /* words incl. "containr" */
	char **w = a->argv + 1;
	int start = 1;
	struct strv out;

	if (n < 1 || cword < 1)
		return 0;
	strv_init(&out);
	while (start < n && start < cword && w[start][0] == '-') {
		const char *val = NULL;
		const struct cli_global_opt *o = cli_global_opt_find(w[start], &val);
		if (o && o->metavar && !val) {
			if (start + 1 == cword) { /* the cursor is on its value */
				cli_complete_kind(ctx, o->complete, o->choices,
				                  cword < n ? w[cword] : "", &out);
				goto print;
			}
			if (start + 1 < n)
				val = w[++start];
		}
		if (o && val && o->name && !strcmp(o->name, "root"))
			ctx->root = val;
		start++;
	}
	if (cword < start)
		goto print;
	if (cword == start && cword < n && w[cword][0] == '-') { /* a global option */
		for (const struct cli_global_opt *o = cli_global_opts; o->help; o++) {
			cleanup_free char *l =
			    o->name ? xasprintf("--%s", o->name) : xasprintf("-%c", o->shortname);
			if (str_startswith(l, w[cword]))
				strv_push(&out, l);
		}
		strv_sort(&out);
		goto print;
	}
	/* words from the command on; pad the cursor word if the line ends there */
	int nw = n - start;
	char **words = xcalloc((size_t)nw + 2, sizeof(char *));
	for (int i = 0; i < nw; i++)
		words[i] = w[start + i];
	if (cword - start >= nw)
		words[nw++] = "";
	cli_complete(ctx, nw, words, cword - start, &out);
	free(words);
print:
	for (size_t i = 0; i < out.n; i++)
		fprintf(ctx->out, "%s\n", out.v[i]);
	strv_release(&out);
	return 0;
}

static const struct cli_command cmd_complete_def = {
    .name = "__complete",
    .summary = "Print completion candidates (used by the shell completion scripts)",
    .usage = "CWORD WORDS...",
    .group = "General",
    .min_args = 1,
    .max_args = -1,
    .opts = CLI_HIDDEN_CMD | CLI_TRAILING,
    .handler = cmd_complete,
};

static int cmd_man(struct cli_ctx *ctx, struct cli_args *a, struct ctr_err *err)
{
	cli_print_man(ctx->out);
	return 0;
}

static const struct cli_command cmd_man_def = {
    .name = "__man",
    .summary = "Print the man page (roff) generated from the command table",
    .usage = "",
    .group = "General",
    .max_args = 0,
    .opts = CLI_HIDDEN_CMD | CLI_NO_STORE,
    .handler = cmd_man,
};

const struct cli_command *const cli_cmds_general[] = {
    &cmd_info_def,     &cmd_version_def, &cmd_help_def, &cmd_completion_def,
    &cmd_complete_def, &cmd_man_def,     NULL,
};
