/*
 * command.c - `containr dashboard`: turns the flags (declared with the
 * command in src/cli/cmds_ui.c) and dashboard.conf into options, then runs
 * the dashboard.  Reached through containr-ext.so's table (ext/ext.h).
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "config.h"
#include "ext/ext.h"
#include "ui.h"

int ui_cmd_dashboard(struct cli_ctx *ctx, struct cli_args *a, struct ctr_err *err)
{
	struct ui_opts opts = {.interval_ms = 1000};
	struct ui_keymap km;
	cleanup_free char *def = NULL;
	const char *conf = cli_str(a, "config");

	if (ctx->repl || ctx->batch) {
		/* Allowed from the REPL (the terminal is free), not from scripts. */
		if (ctx->batch && !ctx->repl) {
			ctr_fail(err, E_USAGE, "the dashboard cannot run from a script");
			ctr_hint(err, "run 'containr dashboard' in a terminal");
			return 2;
		}
	}
	ui_keymap_defaults(&km, false);
	if (!conf)
		conf = def = ui_config_default_path();
	if (ui_config_load(conf, cli_isset(a, "config"), &opts, &km, err) < 0)
		return 2;
	if (cli_isset(a, "interval") || opts.interval_ms <= 0)
		opts.interval_ms = cli_int(a, "interval") / 1000000;
	if (opts.interval_ms < 100) {
		ctr_fail(err, E_INVALID_ARG, "refresh interval too short: %lldms",
		         (long long)opts.interval_ms);
		ctr_hint(err, "use at least 100ms, e.g. --interval 1s");
		return 2;
	}
	if (cli_isset(a, "theme"))
		snprintf(opts.theme, sizeof opts.theme, "%s", cli_str(a, "theme"));
	if (cli_isset(a, "ascii"))
		opts.ascii = cli_bool(a, "ascii");
	if (cli_isset(a, "mouse"))
		opts.mouse = cli_bool(a, "mouse");
	if (cli_isset(a, "read-only"))
		opts.read_only = cli_bool(a, "read-only");
	if (cli_isset(a, "all"))
		opts.show_all = cli_bool(a, "all");
	if (ui_keymap_check(&km, err) < 0) {
		ctr_err_wrap(err, "%s", conf);
		ctr_hint(err, "give each key to one action (key.<action> = KEY)");
		return 2;
	}
	if (ui_dashboard_run(ctx, &opts, &km, err) < 0)
		return ctr_err_exit_status(err->code);
	return 0;
}
