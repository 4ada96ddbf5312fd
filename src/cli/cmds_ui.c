/*
 * cmds_ui.c - the ui commands of the command table: `containr dashboard`
 * (alias `ui`), the full-screen live view of everything on this host.
 * The dashboard itself lives in ui/; this file only turns flags and
 * dashboard.conf into options.
 */
#include "cli/cli.h"

#include <stdio.h>
#include <string.h>

#include "../../ui/config.h"
#include "../../ui/ui.h"

static const struct cli_flag dashboard_flags[] = {
    {.name = "interval",
     .shortname = 'n',
     .type = CLI_DURATION,
     .metavar = "DURATION",
     .def = "1s",
     .help = "Refresh interval (1, 500ms, 2s)"},
    {.name = "theme",
     .shortname = 't',
     .type = CLI_STRING,
     .metavar = "THEME",
     .help = "Colour theme: default, light, dark, high-contrast, mono, or a .theme file",
     .complete = COMP_CHOICES,
     .choices = "default|light|dark|high-contrast|mono"},
    {.name = "ascii", .type = CLI_BOOL, .help = "Draw with ASCII only (no UTF-8 blocks)"},
    {.name = "mouse", .type = CLI_BOOL, .help = "Enable mouse clicks and wheel"},
    {.name = "read-only",
     .type = CLI_BOOL,
     .help = "Hide every action that changes anything (classroom screens)"},
    {.name = "all", .shortname = 'a', .type = CLI_BOOL, .help = "Show stopped containers too"},
    {.name = "config",
     .type = CLI_STRING,
     .metavar = "FILE",
     .complete = COMP_FILE,
     .help = "Settings file (default ~/.config/containr/dashboard.conf)"},
    {0},
};

static int cmd_dashboard(struct cli_ctx *ctx, struct cli_args *a, struct ctr_err *err)
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

static const char *const dashboard_aliases[] = {"ui", NULL};

static const struct cli_command cmd_dashboard_def = {
    .name = "dashboard",
    .aliases = dashboard_aliases,
    .summary = "Full-screen live view of containers, images and volumes",
    .usage = "[OPTIONS]",
    .group = "General",
    .flags = dashboard_flags,
    .max_args = 0,
    .handler = cmd_dashboard,
    .description =
        "Shows every container with live CPU, memory and pids, and puts every action a\n"
        "keystroke away (press ? inside for the keys). Actions run the same commands as\n"
        "the CLI, and the status line shows the equivalent command line. Settings and key\n"
        "remapping: ~/.config/containr/dashboard.conf (see docs/DASHBOARD.md).",
};

const struct cli_command *const cli_cmds_ui[] = {
    &cmd_dashboard_def,
    NULL,
};
