/*
 * cmds_ui.c - the ui commands of the command table: `containr dashboard`
 * (alias `ui`), the full-screen live view of everything on this host.
 * The dashboard itself lives in ui/, inside containr-ext.so; this file only
 * declares the command and its flags (ui/command.c reads them).
 */
#include "cli/cli.h"

#include "ext/ext.h"

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

/* The dashboard lives in containr-ext.so (ncurses): ui/command.c. */
static int cmd_dashboard(struct cli_ctx *ctx, struct cli_args *a, struct ctr_err *err)
{
	const struct ctr_ext *x = ctr_ext_get(err);

	return x ? x->cli_dashboard(ctx, a, err) : ctr_err_exit_status(err->code);
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
