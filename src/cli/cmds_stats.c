/*
 * cmds_stats.c - the stats commands of the command table.
 * Each command is one struct cli_command; this list is merged into the
 * table by src/cli/table.c.
 */
#include "cli/cli.h"

const struct cli_command *const cli_cmds_stats[] = {
    NULL,
};
