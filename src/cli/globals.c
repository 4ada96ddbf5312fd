/*
 * globals.c - the global options (`containr [OPTIONS] COMMAND`): one table
 * that the parser (cli_globals_parse, called by main.c), `containr --help`,
 * completion (`__complete`, the REPL does not take them) and the man page
 * all read.  Each entry carries its setter, so adding an option is one line
 * here and nothing else.
 */
#include "cli/cli.h"

#include <errno.h>
#include <string.h>

#include "containr/log.h"

static int set_root(struct cli_globals *g, const char *v, struct ctr_err *err)
{
	g->root = v;
	return 0;
}

static int set_script(struct cli_globals *g, const char *v, struct ctr_err *err)
{
	g->script = v;
	return 0;
}

static int set_file(struct cli_globals *g, const char *v, struct ctr_err *err)
{
	g->file = v;
	return 0;
}

static int set_keep_going(struct cli_globals *g, const char *v, struct ctr_err *err)
{
	g->keep_going = true;
	return 0;
}

static int set_explain(struct cli_globals *g, const char *v, struct ctr_err *err)
{
	ctr_explain_set(true);
	return 0;
}

static int set_log_level(struct cli_globals *g, const char *v, struct ctr_err *err)
{
	int l = ctr_log_level_parse(v);

	if (l < 0)
		return ctr_fail(err, E_USAGE,
		                "invalid log level \"%s\" (use debug, info, warn or error)", v);
	ctr_log_set_level((enum ctr_log_level)l);
	return 0;
}

static int set_debug(struct cli_globals *g, const char *v, struct ctr_err *err)
{
	ctr_log_set_level(CTR_LOG_DEBUG);
	return 0;
}

static int set_log_file(struct cli_globals *g, const char *v, struct ctr_err *err)
{
	if (ctr_log_set_file(v) < 0)
		return ctr_fail_errno(err, E_IO, errno, "cannot open log file %s", v);
	return 0;
}

static int set_version(struct cli_globals *g, const char *v, struct ctr_err *err)
{
	g->action = CLI_GLOBALS_VERSION;
	return 0;
}

static int set_help(struct cli_globals *g, const char *v, struct ctr_err *err)
{
	g->action = CLI_GLOBALS_HELP;
	return 0;
}

const struct cli_global_opt cli_global_opts[] = {
    {"root", 0, "DIR", COMP_FILE, NULL, "State root (default $CONTAINR_ROOT or /var/lib/containr)",
     set_root},
    {NULL, 'c', "SCRIPT", COMP_NONE, NULL, "Run commands separated by ';' or newlines, then exit",
     set_script},
    {"file", 'f', "FILE", COMP_FILE, NULL, "Run commands from FILE ('-' for stdin), then exit",
     set_file},
    {"keep-going", 0, NULL, COMP_NONE, NULL,
     "In batch mode, run every command even after a failure", set_keep_going},
    {"explain", 0, NULL, COMP_NONE, NULL,
     "Print each kernel-facing step (clone, mount, pivot_root...) to stderr", set_explain},
    {"log-level", 'l', "LEVEL", COMP_CHOICES, "debug|info|warn|error",
     "Log level: debug, info, warn, error (default warn)", set_log_level},
    {"debug", 'D', NULL, COMP_NONE, NULL, "Same as --log-level debug", set_debug},
    {"log-file", 0, "FILE", COMP_FILE, NULL, "Append log lines to FILE instead of stderr",
     set_log_file},
    {"version", 'v', NULL, COMP_NONE, NULL, "Print the version and exit", set_version},
    {"help", 'h', NULL, COMP_NONE, NULL, "Print help and exit", set_help},
    {NULL, 0, NULL, COMP_NONE, NULL, NULL, NULL},
};

const struct cli_global_opt *cli_global_opt_find(const char *word, const char **value)
{
	const char *eq = NULL;
	size_t len;

	if (value)
		*value = NULL;
	if (!word || word[0] != '-' || !word[1])
		return NULL;
	if (word[1] != '-') { /* -c, -D: one letter, no groups */
		if (word[2])
			return NULL;
		for (const struct cli_global_opt *o = cli_global_opts; o->help; o++)
			if (o->shortname && o->shortname == word[1])
				return o;
		return NULL;
	}
	word += 2;
	eq = strchr(word, '=');
	len = eq ? (size_t)(eq - word) : strlen(word);
	for (const struct cli_global_opt *o = cli_global_opts; o->help; o++) {
		if (o->name && strlen(o->name) == len && strncmp(o->name, word, len) == 0) {
			if (value && eq)
				*value = eq + 1;
			return o;
		}
	}
	return NULL;
}

void cli_global_opt_left(char *buf, size_t len, const struct cli_global_opt *o, bool indent)
{
	const char *m = o->metavar ? o->metavar : "";
	const char *sp = *m ? " " : "";

	if (o->shortname && o->name)
		snprintf(buf, len, "-%c, --%s%s%s", o->shortname, o->name, sp, m);
	else if (o->name)
		snprintf(buf, len, "%s--%s%s%s", indent ? "    " : "", o->name, sp, m);
	else
		snprintf(buf, len, "-%c%s%s", o->shortname, sp, m);
}

static int usage_fail(struct ctr_err *err, const char *fmt, const char *arg)
{
	ctr_fail(err, E_USAGE, fmt, arg);
	ctr_hint(err, "see 'containr --help'");
	return -1;
}

int cli_globals_parse(int argc, char **argv, struct cli_globals *g, struct ctr_err *err)
{
	int i;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *val = NULL;
		const struct cli_global_opt *o;

		if (a[0] != '-' || a[1] == '\0')
			break;
		if (strcmp(a, "--") == 0) {
			i++;
			break;
		}
		o = cli_global_opt_find(a, &val);
		if (!o)
			return usage_fail(err, "unknown global option: %s", a);
		if (!o->metavar && val)
			return usage_fail(err, "flag takes no value: %s", a);
		if (o->metavar && !val) {
			if (i + 1 >= argc)
				return usage_fail(err, "flag needs an argument: %s", a);
			val = argv[++i];
		}
		if (o->set(g, val, err) < 0) {
			if (err->code == E_USAGE && !err->hint[0])
				ctr_hint(err, "see 'containr --help'");
			return -1;
		}
		if (g->action != CLI_GLOBALS_RUN)
			break; /* -v, -h: act now, like before any later option */
	}
	return i;
}
