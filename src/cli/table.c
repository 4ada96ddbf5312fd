/*
 * table.c - the command table, the flag parser and the dispatcher.
 *
 * Every way into containr (argv, -c/-f/stdin batch, REPL, the dashboard's
 * ':' prompt) ends in cli_dispatch(): find the command (and subcommand),
 * parse its flags with cli_parse(), run its handler, print its error once.
 * Parsing follows Docker's (cobra's) rules: flags and positionals may be
 * interleaved, except for commands marked CLI_TRAILING where options stop
 * at the first positional (`run IMAGE sh -c "..."`); `--` ends options;
 * `-abc` groups short booleans; `--flag=value` and `--flag value`.
 */
#include "cli/cli.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "containr/log.h"

static const struct cli_command *const *const module_lists[] = {
    cli_cmds_runtime, cli_cmds_stats, cli_cmds_image,   cli_cmds_registry, cli_cmds_volume,
    cli_cmds_network, cli_cmds_ui,    cli_cmds_general, cli_cmds_userns,
};

const struct cli_command *const *cli_commands(void)
{
	static const struct cli_command **all;

	if (!all) {
		size_t n = 0, k = 0;
		for (size_t m = 0; m < CTR_ARRAY_SIZE(module_lists); m++)
			for (size_t i = 0; module_lists[m][i]; i++)
				n++;
		all = xcalloc(n + 1, sizeof *all);
		for (size_t m = 0; m < CTR_ARRAY_SIZE(module_lists); m++)
			for (size_t i = 0; module_lists[m][i]; i++)
				all[k++] = module_lists[m][i];
	}
	return (const struct cli_command *const *)all;
}

const struct cli_command *cli_find(const struct cli_command *const *list, const char *name)
{
	if (!list)
		list = cli_commands();
	for (size_t i = 0; list[i]; i++) {
		if (strcmp(list[i]->name, name) == 0)
			return list[i];
		for (size_t j = 0; list[i]->aliases && list[i]->aliases[j]; j++)
			if (strcmp(list[i]->aliases[j], name) == 0)
				return list[i];
	}
	return NULL;
}

/* ---- values ------------------------------------------------------------ */

static const struct cli_value *value_of(const struct cli_args *a, const char *flag)
{
	for (int i = 0; i < a->nflags; i++)
		if (strcmp(a->cmd->flags[i].name, flag) == 0)
			return &a->vals[i];
	/* Asking for a flag the command does not declare is a programming error. */
	fprintf(stderr, "containr: internal error: command %s has no flag --%s\n", a->cmd->name,
	        flag);
	abort();
}

bool cli_isset(const struct cli_args *a, const char *flag)
{
	return value_of(a, flag)->set;
}

bool cli_bool(const struct cli_args *a, const char *flag)
{
	return value_of(a, flag)->b;
}

const char *cli_str(const struct cli_args *a, const char *flag)
{
	return value_of(a, flag)->s;
}

int64_t cli_int(const struct cli_args *a, const char *flag)
{
	return value_of(a, flag)->i;
}

double cli_float(const struct cli_args *a, const char *flag)
{
	return value_of(a, flag)->f;
}

const struct strv *cli_list(const struct cli_args *a, const char *flag)
{
	return &value_of(a, flag)->all;
}

/* ---- parsing ----------------------------------------------------------- */

static void flag_display(char *buf, size_t len, const struct cli_flag *f)
{
	if (f->shortname)
		snprintf(buf, len, "-%c, --%s", f->shortname, f->name);
	else
		snprintf(buf, len, "--%s", f->name);
}

/*
 * CLI_OPTVAL: does the next word name one of the flag's choices ("auto" or
 * "auto:size=N" for "host|auto")?  Only then is it the value: `--userns
 * IMAGE` keeps IMAGE as the image.
 */
static bool optval_choice(const struct cli_flag *f, const char *w)
{
	const char *c = f->choices;
	while (c && *c) {
		size_t n = strcspn(c, "|");
		if (strncmp(w, c, n) == 0 && (w[n] == '\0' || w[n] == ':'))
			return true;
		c += n + (c[n] == '|');
	}
	return false;
}

static int parse_bool_text(const char *s, bool *out)
{
	if (!strcmp(s, "true") || !strcmp(s, "1") || !strcmp(s, "t") || !strcmp(s, "TRUE") ||
	    !strcmp(s, "True")) {
		*out = true;
		return 0;
	}
	if (!strcmp(s, "false") || !strcmp(s, "0") || !strcmp(s, "f") || !strcmp(s, "FALSE") ||
	    !strcmp(s, "False")) {
		*out = false;
		return 0;
	}
	return -1;
}

/* Convert `text` for flag `f` into `v` (typed fields).  */
static int convert(const struct cli_flag *f, const char *text, struct cli_value *v,
                   struct ctr_err *err)
{
	char disp[64];
	char *end;
	struct ctr_err e2;

	flag_display(disp, sizeof disp, f);
	switch (f->type) {
	case CLI_BOOL:
		if (parse_bool_text(text, &v->b) < 0)
			return ctr_fail(err, E_USAGE,
			                "invalid argument \"%s\" for \"%s\" flag: not a boolean",
			                text, disp);
		return 0;
	case CLI_STRING:
		return 0;
	case CLI_INT:
		if (ctr_parse_i64(text, INT64_MIN, INT64_MAX, &v->i) < 0)
			return ctr_fail(err, E_USAGE,
			                "invalid argument \"%s\" for \"%s\" flag: not an integer",
			                text, disp);
		return 0;
	case CLI_FLOAT:
		errno = 0;
		v->f = strtod(text, &end);
		if (!*text || *end || errno || isnan(v->f) || isinf(v->f))
			return ctr_fail(err, E_USAGE,
			                "invalid argument \"%s\" for \"%s\" flag: not a number",
			                text, disp);
		return 0;
	case CLI_SIZE:
		if (strcmp(text, "-1") == 0) { /* "unlimited", as Docker's --memory-swap -1 */
			v->i = -1;
			return 0;
		}
		ctr_err_clear(&e2);
		if (ctr_parse_size(text, &v->i, &e2) < 0) {
			ctr_fail(err, E_USAGE, "invalid argument \"%s\" for \"%s\" flag: %s", text,
			         disp, e2.msg);
			return ctr_hint(err, "%s", e2.hint);
		}
		return 0;
	case CLI_DURATION:
		ctr_err_clear(&e2);
		if (ctr_parse_duration(text, &v->i, &e2) < 0) {
			ctr_fail(err, E_USAGE, "invalid argument \"%s\" for \"%s\" flag: %s", text,
			         disp, e2.msg);
			return ctr_hint(err, "%s", e2.hint);
		}
		return 0;
	}
	return ctr_fail(err, E_INTERNAL, "bad flag type");
}

static int set_value(const struct cli_flag *f, struct cli_value *v, const char *text,
                     struct ctr_err *err)
{
	/* A non-repeatable flag given twice keeps the last value, as Docker. */
	if (convert(f, text, v, err) < 0)
		return -1;
	v->set = true;
	v->s = text;
	strv_push(&v->all, text);
	return 0;
}

static const struct cli_flag *find_long(const struct cli_command *cmd, const char *name, int *idx)
{
	for (int i = 0; cmd->flags && cmd->flags[i].name; i++)
		if (strcmp(cmd->flags[i].name, name) == 0) {
			*idx = i;
			return &cmd->flags[i];
		}
	return NULL;
}

static const struct cli_flag *find_short(const struct cli_command *cmd, char c, int *idx)
{
	for (int i = 0; cmd->flags && cmd->flags[i].name; i++)
		if (cmd->flags[i].shortname == c) {
			*idx = i;
			return &cmd->flags[i];
		}
	return NULL;
}

static int unknown_flag(const struct cli_command *cmd, const char *path, const char *given,
                        struct ctr_err *err)
{
	const char *best = NULL;
	int bestd = 3;
	const char *name = given;

	while (*name == '-')
		name++;
	for (int i = 0; cmd->unsupported && cmd->unsupported[i].name; i++) {
		const struct cli_unsupported *u = &cmd->unsupported[i];
		bool is_short = given[0] == '-' && given[1] != '-';
		if (is_short ? (u->shortname && name[0] == u->shortname && !name[1])
		             : strcmp(name, u->name) == 0) {
			if (u->shortname)
				ctr_fail(err, E_UNSUPPORTED,
				         "-%c/--%s (a flag of docker %s) is not supported yet",
				         u->shortname, u->name, path);
			else
				ctr_fail(err, E_UNSUPPORTED,
				         "--%s (a flag of docker %s) is not supported yet", u->name,
				         path);
			if (u->hint)
				return ctr_hint(err, "%s; see 'containr %s --help'", u->hint, path);
			return ctr_hint(
			    err, "drop it; see 'containr %s --help' for the flags it has", path);
		}
	}
	for (int i = 0; cmd->flags && cmd->flags[i].name; i++) {
		int d = str_distance(name, cmd->flags[i].name);
		if (d < bestd) {
			bestd = d;
			best = cmd->flags[i].name;
		}
	}
	ctr_fail(err, E_USAGE, "unknown flag: %s", given);
	if (best)
		return ctr_hint(err, "did you mean --%s? See 'containr %s --help'", best, path);
	return ctr_hint(err, "see 'containr %s --help'", path);
}

void cli_args_free(struct cli_args *a)
{
	for (int i = 0; i < a->nflags; i++)
		strv_release(&a->vals[i].all);
	free(a->vals);
	free(a->argv);
	memset(a, 0, sizeof *a);
}

int cli_parse(const struct cli_command *cmd, const char *path, int argc, char **argv,
              struct cli_args *a, bool *help_requested, struct ctr_err *err)
{
	bool only_pos = false;
	bool h_is_help = true;
	int idx;

	memset(a, 0, sizeof *a);
	*help_requested = false;
	a->cmd = cmd;
	a->path = path;
	while (cmd->flags && cmd->flags[a->nflags].name)
		a->nflags++;
	a->vals = xcalloc((size_t)a->nflags + 1, sizeof *a->vals);
	a->argv = xcalloc((size_t)argc + 1, sizeof(char *));
	for (int i = 0; i < a->nflags; i++) {
		strv_init(&a->vals[i].all);
		if (cmd->flags[i].shortname == 'h')
			h_is_help = false;
	}

	for (int i = 1; i < argc; i++) {
		char *w = argv[i];

		if (only_pos || w[0] != '-' || w[1] == '\0') {
			a->argv[a->argc++] = w;
			if (cmd->opts & CLI_TRAILING)
				only_pos = true;
			continue;
		}
		if (strcmp(w, "--") == 0) {
			only_pos = true;
			continue;
		}
		if (strcmp(w, "--help") == 0 || (h_is_help && strcmp(w, "-h") == 0)) {
			*help_requested = true;
			return 0;
		}
		if (w[1] == '-') {
			/* --name, --name=value */
			char name[128];
			const char *eq = strchr(w + 2, '=');
			size_t nl = eq ? (size_t)(eq - (w + 2)) : strlen(w + 2);
			if (nl >= sizeof name)
				return unknown_flag(cmd, path, w, err);
			memcpy(name, w + 2, nl);
			name[nl] = '\0';
			const struct cli_flag *f = find_long(cmd, name, &idx);
			if (!f) {
				char given[140];
				snprintf(given, sizeof given, "--%s", name);
				return unknown_flag(cmd, path, given, err);
			}
			const char *val;
			if (eq)
				val = eq + 1;
			else if (f->type == CLI_BOOL)
				val = "true";
			else if (f->opts & CLI_OPTVAL)
				val =
				    i + 1 < argc && optval_choice(f, argv[i + 1]) ? argv[++i] : "";
			else if (i + 1 < argc)
				val = argv[++i];
			else
				goto needs_arg_long;
			if (set_value(f, &a->vals[idx], val, err) < 0)
				return -1;
			continue;
		needs_arg_long:
			ctr_fail(err, E_USAGE, "flag needs an argument: --%s", f->name);
			return ctr_hint(err, "see 'containr %s --help'", path);
		}
		/* -abc, -n5, -n 5 */
		for (const char *p = w + 1; *p; p++) {
			const struct cli_flag *f = find_short(cmd, *p, &idx);
			if (!f) {
				char given[4] = {'-', *p, 0, 0};
				if (*p == 'h' && h_is_help) {
					*help_requested = true;
					return 0;
				}
				return unknown_flag(cmd, path, given, err);
			}
			if (f->type == CLI_BOOL) {
				if (p[1] == '=') {
					if (set_value(f, &a->vals[idx], p + 2, err) < 0)
						return -1;
					break;
				}
				if (set_value(f, &a->vals[idx], "true", err) < 0)
					return -1;
				continue;
			}
			const char *val;
			if (p[1])
				val = p[1] == '=' ? p + 2 : p + 1;
			else if (i + 1 < argc)
				val = argv[++i];
			else {
				ctr_fail(err, E_USAGE, "flag needs an argument: '%c' in -%c", *p,
				         *p);
				return ctr_hint(err, "see 'containr %s --help'", path);
			}
			if (set_value(f, &a->vals[idx], val, err) < 0)
				return -1;
			break;
		}
	}

	/* Defaults for flags not given. */
	for (int i = 0; i < a->nflags; i++) {
		const struct cli_flag *f = &cmd->flags[i];
		struct cli_value *v = &a->vals[i];
		if (v->set || !f->def)
			continue;
		struct cli_value tmp = {0};
		if (convert(f, f->def, &tmp, err) < 0)
			return ctr_err_wrap(err, "internal error: bad default for --%s", f->name);
		v->s = f->def;
		v->i = tmp.i;
		v->f = tmp.f;
		v->b = tmp.b;
	}

	if (a->argc < cmd->min_args || (cmd->max_args >= 0 && a->argc > cmd->max_args)) {
		if (cmd->max_args == 0)
			ctr_fail(err, E_USAGE, "\"containr %s\" accepts no arguments", path);
		else if (a->argc < cmd->min_args && cmd->min_args == cmd->max_args)
			ctr_fail(err, E_USAGE, "\"containr %s\" requires exactly %d argument%s",
			         path, cmd->min_args, cmd->min_args == 1 ? "" : "s");
		else if (a->argc < cmd->min_args)
			ctr_fail(err, E_USAGE, "\"containr %s\" requires at least %d argument%s",
			         path, cmd->min_args, cmd->min_args == 1 ? "" : "s");
		else
			ctr_fail(err, E_USAGE, "\"containr %s\" accepts at most %d argument%s",
			         path, cmd->max_args, cmd->max_args == 1 ? "" : "s");
		return ctr_hint(err, "usage: containr %s %s (see 'containr %s --help')", path,
		                cmd->usage ? cmd->usage : "", path);
	}
	return 0;
}

/* ---- dispatch ---------------------------------------------------------- */

void cli_print_error(const struct ctr_err *err)
{
	fflush(stdout);
	fprintf(stderr, "containr: %s\n", err->msg[0] ? err->msg : ctr_err_name(err->code));
	if (err->hint[0])
		fprintf(stderr, "hint: %s\n", err->hint);
}

int cli_store(struct cli_ctx *ctx, struct ctr_store **st, struct ctr_err *err)
{
	if (!ctx->store_open) {
		cleanup_free char *def = NULL;
		const char *root = ctx->root;
		if (!root)
			root = def = ctr_default_root();
		if (ctr_store_open(&ctx->store, root, err) < 0)
			return -1;
		ctx->store_open = true;
	}
	*st = &ctx->store;
	return 0;
}

static const char *suggest_command(const char *name)
{
	const struct cli_command *const *all = cli_commands();
	const char *best = NULL;
	int bestd = 3;

	for (size_t i = 0; all[i]; i++) {
		if (all[i]->opts & CLI_HIDDEN_CMD)
			continue;
		int d = str_distance(name, all[i]->name);
		if (d < bestd || (d == bestd && best && strlen(all[i]->name) < strlen(best))) {
			bestd = d;
			best = all[i]->name;
		}
		if (str_startswith(all[i]->name, name) && strlen(name) >= 2 && bestd > 1) {
			bestd = 1;
			best = all[i]->name;
		}
	}
	return best;
}

/*
 * The one rule for exit statuses (docs/ERRORS.md), as Docker's CLI:
 *  - no error pending: the handler's status (0, or a container's own status
 *    for run, start -a, exec);
 *  - a usage error (E_USAGE: unknown command or flag, bad flag value, wrong
 *    number of arguments): 125, for every command;
 *  - run/create (CLI_ENGINE_125): 125 when containr failed, but 126/127/
 *    128+N when the command could not run or was killed;
 *  - anything else: 126.. kept (exec's command not executable/found), else 1.
 */
int cli_exit_status(const struct cli_command *cmd, int rc, const struct ctr_err *err)
{
	if (err->code == E_OK)
		return rc < 0 ? 1 : rc;
	if (err->code == E_USAGE)
		return CLI_EXIT_USAGE;
	if (rc > CLI_EXIT_USAGE)
		return rc;
	if (cmd && (cmd->opts & CLI_ENGINE_125))
		return CLI_EXIT_USAGE;
	return ctr_err_exit_status(err->code);
}

int cli_dispatch(struct cli_ctx *ctx, int argc, char **argv)
{
	const struct cli_command *cmd;
	struct ctr_err err;
	struct cli_args a;
	struct strbuf path;
	bool help = false;
	int first = 0, rc;

	if (argc <= 0)
		return 0;
	ctr_err_clear(&err);
	cmd = cli_find(NULL, argv[0]);
	if (!cmd) {
		const char *s = suggest_command(argv[0]);
		ctr_fail(&err, E_USAGE, "unknown command \"%s\"", argv[0]);
		if (s)
			ctr_hint(&err, "did you mean \"%s\"? See 'containr help'", s);
		else
			ctr_hint(&err, "see 'containr help' for the list of commands");
		cli_print_error(&err);
		return cli_exit_status(NULL, -1, &err);
	}
	strbuf_init(&path);
	strbuf_puts(&path, cmd->name);
	while (cmd->subcommands && first + 1 < argc && argv[first + 1][0] != '-') {
		const struct cli_command *sub = cli_find(cmd->subcommands, argv[first + 1]);
		if (!sub) {
			if (cmd->handler)
				break;
			ctr_fail(&err, E_USAGE, "unknown command \"%s %s\"", path.buf,
			         argv[first + 1]);
			ctr_hint(&err, "see 'containr %s --help'", path.buf);
			cli_print_error(&err);
			strbuf_release(&path);
			return cli_exit_status(NULL, -1, &err);
		}
		cmd = sub;
		first++;
		strbuf_printf(&path, " %s", cmd->name);
	}
	rc = cli_parse(cmd, path.buf, argc - first, argv + first, &a, &help, &err);
	if (rc < 0) {
		/* Whatever the parser refuses (an unknown, unsupported or malformed
		 * flag, the argument count) is a usage error: 125. */
		cli_print_error(&err);
		rc = CLI_EXIT_USAGE;
	} else if (help || !cmd->handler) {
		cli_help_command(ctx->out, cmd, path.buf);
		rc = 0;
	} else {
		rc = cmd->handler(ctx, &a, &err);
		fflush(ctx->out);
		if (rc != 0 && err.code != E_OK) {
			cli_print_error(&err);
			rc = cli_exit_status(cmd, rc, &err);
		} else if (rc == 0 && err.code != E_OK) {
			ctr_debug("command succeeded with a pending error", "error", err.msg);
		} else if (rc < 0) {
			rc = 1; /* a handler failed without saying why: a bug, still a failure */
		}
	}
	cli_args_free(&a);
	strbuf_release(&path);
	return rc;
}
