/*
 * main.c - containr's entry point: global options, then one of
 *   containr COMMAND ARGS...        (argv)
 *   containr -c "cmd; cmd"          (batch text)
 *   containr -f FILE | -            (batch file / stdin)
 *   containr < script               (stdin is not a terminal: batch)
 *   containr                        (stdin is a terminal: the REPL)
 * Everything funnels into the one command table (src/cli/table.c).
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "containr/log.h"
#include "containr/runtime.h"
#include "lib/ext.h"

/* A bad global option: printed; the caller exits with the usage status (125). */
static int usage_error(const char *msg, const char *arg)
{
	struct ctr_err err;

	ctr_fail(&err, E_USAGE, msg, arg);
	ctr_hint(&err, "see 'containr --help'");
	cli_print_error(&err);
	return cli_exit_status(NULL, -1, &err);
}

static int read_all(FILE *f, char **out)
{
	struct strbuf sb;
	char buf[4096];
	size_t n;

	strbuf_init(&sb);
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		strbuf_add(&sb, buf, n);
	if (ferror(f)) {
		strbuf_release(&sb);
		return -1;
	}
	*out = strbuf_detach(&sb);
	return 0;
}

/* The REPL (readline) lives in containr-ext.so: lib/ext.h. */
static int repl(struct cli_ctx *ctx)
{
	struct ctr_err err;
	const struct ctr_ext *x;

	ctr_err_clear(&err);
	x = ctr_ext_get(&err);
	if (!x) {
		cli_print_error(&err);
		return ctr_err_exit_status(err.code);
	}
	return x->cli_repl(ctx);
}

int main(int argc, char **argv)
{
	struct cli_ctx ctx = {0};
	const char *script = NULL, *file = NULL;
	bool keep_going = false;
	int i, rc;

	ctx.out = stdout;
	ctx.stdout_tty = isatty(STDOUT_FILENO);
	signal(SIGPIPE, SIG_IGN);
	ctr_runtime_set_engine_exe();
	if (getenv("CONTAINR_LOG_LEVEL")) {
		int l = ctr_log_level_parse(getenv("CONTAINR_LOG_LEVEL"));
		if (l >= 0)
			ctr_log_set_level((enum ctr_log_level)l);
	}

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *val = NULL;
		char name[64];

		if (a[0] != '-' || a[1] == '\0')
			break;
		if (strcmp(a, "--") == 0) {
			i++;
			break;
		}
		/* split --opt=value */
		const char *eq = strchr(a, '=');
		if (a[1] == '-' && eq && (size_t)(eq - a) < sizeof name) {
			memcpy(name, a, (size_t)(eq - a));
			name[eq - a] = '\0';
			val = eq + 1;
			a = name;
		}
#define TAKE_VALUE()                                                                               \
	do {                                                                                       \
		if (!val) {                                                                        \
			if (i + 1 >= argc) {                                                       \
				return usage_error("flag needs an argument: %s", a);               \
			}                                                                          \
			val = argv[++i];                                                           \
		}                                                                                  \
	} while (0)
		if (!strcmp(a, "--root")) {
			TAKE_VALUE();
			ctx.root = val;
		} else if (!strcmp(a, "-c")) {
			TAKE_VALUE();
			script = val;
		} else if (!strcmp(a, "-f") || !strcmp(a, "--file")) {
			TAKE_VALUE();
			file = val;
		} else if (!strcmp(a, "--keep-going")) {
			keep_going = true;
		} else if (!strcmp(a, "--explain")) {
			ctr_explain_set(true);
		} else if (!strcmp(a, "-D") || !strcmp(a, "--debug")) {
			ctr_log_set_level(CTR_LOG_DEBUG);
		} else if (!strcmp(a, "--log-level") || !strcmp(a, "-l")) {
			TAKE_VALUE();
			int l = ctr_log_level_parse(val);
			if (l < 0) {
				return usage_error(
				    "invalid log level \"%s\" (use debug, info, warn or error)",
				    val);
			}
			ctr_log_set_level((enum ctr_log_level)l);
		} else if (!strcmp(a, "--log-file")) {
			TAKE_VALUE();
			if (ctr_log_set_file(val) < 0) {
				struct ctr_err err;
				ctr_fail_errno(&err, E_IO, errno, "cannot open log file %s", val);
				cli_print_error(&err);
				return 1;
			}
		} else if (!strcmp(a, "-v") || !strcmp(a, "--version")) {
			char *v[] = {"version", NULL};
			return cli_dispatch(&ctx, 1, v);
		} else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			cli_help_overview(stdout);
			return 0;
		} else {
			return usage_error("unknown global option: %s", a);
		}
#undef TAKE_VALUE
	}

	if (script || file) {
		if (i < argc) {
			return usage_error("unexpected argument \"%s\" after -c/-f", argv[i]);
		}
		ctx.batch = true;
		if (script) {
			rc = cli_run_script(&ctx, script, keep_going);
			goto out;
		}
		char *text = NULL;
		FILE *f = strcmp(file, "-") == 0 ? stdin : fopen(file, "re");
		if (!f) {
			struct ctr_err err;
			ctr_fail_errno(&err, E_IO, errno, "cannot open script %s", file);
			cli_print_error(&err);
			return 1;
		}
		rc = read_all(f, &text);
		if (f != stdin)
			fclose(f);
		if (rc < 0) {
			usage_error("cannot read script %s", file);
			return 1;
		}
		rc = cli_run_script(&ctx, text, keep_going);
		free(text);
		goto out;
	}
	if (i < argc) {
		rc = cli_dispatch(&ctx, argc - i, argv + i);
	} else if (!isatty(STDIN_FILENO)) {
		char *text = NULL;
		ctx.batch = true;
		if (read_all(stdin, &text) < 0) {
			usage_error("cannot read commands from %s", "stdin");
			return 1;
		}
		rc = cli_run_script(&ctx, text, keep_going);
		free(text);
	} else {
		ctx.repl = true;
		rc = repl(&ctx);
	}
out:
	if (ctx.store_open)
		ctr_store_close(&ctx.store);
	return rc;
}
