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
#include "ext/ext.h"

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

/* The REPL (readline) lives in containr-ext.so: ext/ext.h. */
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
	struct cli_globals g = {0};
	struct ctr_err gerr;
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
	if (getenv("CONTAINR_LOG_FILE") && ctr_log_set_file(getenv("CONTAINR_LOG_FILE")) < 0)
		ctr_warn("cannot open CONTAINR_LOG_FILE, logging to stderr", "file",
		         getenv("CONTAINR_LOG_FILE"), "error", strerror(errno));

	/* The global options: one table in globals.c. */
	ctr_err_clear(&gerr);
	i = cli_globals_parse(argc, argv, &g, &gerr);
	if (i < 0) {
		cli_print_error(&gerr);
		return cli_exit_status(NULL, -1, &gerr);
	}
	ctx.root = g.root;
	if (g.action == CLI_GLOBALS_VERSION) {
		char *v[] = {"version", NULL};
		return cli_dispatch(&ctx, 1, v);
	}
	if (g.action == CLI_GLOBALS_HELP) {
		cli_help_overview(stdout);
		return 0;
	}
	/* Processes the engine re-executes (the monitor's exit step) log alike. */
	setenv("CONTAINR_LOG_LEVEL", ctr_log_level_name(ctr_log_get_level()), 1);
	if (ctr_log_file_path())
		setenv("CONTAINR_LOG_FILE", ctr_log_file_path(), 1);

	const char *script = g.script, *file = g.file;
	bool keep_going = g.keep_going;

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
