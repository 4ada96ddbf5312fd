/*
 * repl.c - placeholder until the readline REPL lands (branch cli).
 */
#include "cli/cli.h"

int cli_repl(struct cli_ctx *ctx)
{
	struct ctr_err err;

	ctr_fail(&err, E_UNSUPPORTED, "the interactive prompt is not built in this version");
	ctr_hint(&err, "pass a command (containr help) or use -c \"CMD; CMD\"");
	cli_print_error(&err);
	return 2;
}
