/* test_parse.c - flag parsing from the command table: every type, errors. */
#include <criterion/criterion.h>
#include <string.h>

#include "cli/cli.h"

static int dummy(struct cli_ctx *ctx, struct cli_args *a, struct ctr_err *err)
{
	return 0;
}

static const struct cli_flag flags[] = {
    {.name = "all", .shortname = 'a', .type = CLI_BOOL, .help = "all"},
    {.name = "quiet", .shortname = 'q', .type = CLI_BOOL, .help = "quiet"},
    {.name = "name", .type = CLI_STRING, .metavar = "NAME", .help = "name"},
    {.name = "last", .shortname = 'n', .type = CLI_INT, .def = "-1", .help = "n"},
    {.name = "cpus", .type = CLI_FLOAT, .help = "cpus"},
    {.name = "memory", .shortname = 'm', .type = CLI_SIZE, .help = "mem"},
    {.name = "since", .type = CLI_DURATION, .help = "since"},
    {.name = "env", .shortname = 'e', .type = CLI_STRING, .opts = CLI_REPEAT, .help = "env"},
    {.name = "hostname", .shortname = 'h', .type = CLI_STRING, .help = "hostname"},
    {0},
};

static const struct cli_command trailing = {.name = "run",
                                            .usage = "IMAGE [CMD]",
                                            .summary = "s",
                                            .flags = flags,
                                            .min_args = 1,
                                            .max_args = -1,
                                            .opts = CLI_TRAILING,
                                            .handler = dummy};
static const struct cli_command interleaved = {.name = "rm",
                                               .usage = "C...",
                                               .summary = "s",
                                               .flags = flags,
                                               .min_args = 1,
                                               .max_args = 3,
                                               .handler = dummy};

static int parse(const struct cli_command *cmd, struct cli_args *a, struct ctr_err *err, bool *help,
                 int argc, char **argv)
{
	ctr_err_clear(err);
	return cli_parse(cmd, cmd->name, argc, argv, a, help, err);
}

Test(parse, every_type)
{
	char *argv[] = {"run",       "-aq",    "--name=web", "-n",    "5",  "--cpus",
	                "0.5",       "-m512m", "--since",    "1m30s", "-e", "A=1",
	                "--env=B=2", "-h",     "box",        "img",   NULL};
	struct cli_args a;
	struct ctr_err err;
	bool help;

	cr_assert_eq(parse(&trailing, &a, &err, &help, 16, argv), 0, "%s", err.msg);
	cr_assert(cli_bool(&a, "all"));
	cr_assert(cli_bool(&a, "quiet"));
	cr_assert_str_eq(cli_str(&a, "name"), "web");
	cr_assert_eq(cli_int(&a, "last"), 5);
	cr_assert_float_eq(cli_float(&a, "cpus"), 0.5, 1e-9);
	cr_assert_eq(cli_int(&a, "memory"), 512LL * 1024 * 1024);
	cr_assert_eq(cli_int(&a, "since"), 90LL * 1000000000LL);
	cr_assert_eq(cli_list(&a, "env")->n, 2);
	cr_assert_str_eq(cli_list(&a, "env")->v[1], "B=2");
	cr_assert_str_eq(cli_str(&a, "hostname"), "box");
	cr_assert_eq(a.argc, 1);
	cr_assert_str_eq(a.argv[0], "img");
	cli_args_free(&a);
}

Test(parse, defaults_apply_when_unset)
{
	char *argv[] = {"rm", "c1", NULL};
	struct cli_args a;
	struct ctr_err err;
	bool help;

	cr_assert_eq(parse(&interleaved, &a, &err, &help, 2, argv), 0);
	cr_assert_not(cli_isset(&a, "last"));
	cr_assert_eq(cli_int(&a, "last"), -1);
	cr_assert_not(cli_bool(&a, "all"));
	cr_assert_null(cli_str(&a, "name"));
	cli_args_free(&a);
}

Test(parse, trailing_stops_at_first_positional)
{
	char *argv[] = {"run", "--name", "x", "img", "sh", "-c", "echo -a --all", NULL};
	struct cli_args a;
	struct ctr_err err;
	bool help;

	cr_assert_eq(parse(&trailing, &a, &err, &help, 7, argv), 0, "%s", err.msg);
	cr_assert_eq(a.argc, 4);
	cr_assert_str_eq(a.argv[2], "-c");
	cr_assert_not(cli_bool(&a, "all"));
	cli_args_free(&a);
}

Test(parse, interleaved_flags_and_double_dash)
{
	char *argv[] = {"rm", "c1", "-a", "--", "-c2", NULL};
	struct cli_args a;
	struct ctr_err err;
	bool help;

	cr_assert_eq(parse(&interleaved, &a, &err, &help, 5, argv), 0, "%s", err.msg);
	cr_assert(cli_bool(&a, "all"));
	cr_assert_eq(a.argc, 2);
	cr_assert_str_eq(a.argv[1], "-c2");
	cli_args_free(&a);
}

Test(parse, bool_with_explicit_value)
{
	char *argv[] = {"rm", "--all=false", "-q=true", "c", NULL};
	struct cli_args a;
	struct ctr_err err;
	bool help;

	cr_assert_eq(parse(&interleaved, &a, &err, &help, 4, argv), 0, "%s", err.msg);
	cr_assert(cli_isset(&a, "all"));
	cr_assert_not(cli_bool(&a, "all"));
	cr_assert(cli_bool(&a, "quiet"));
	cli_args_free(&a);
}

Test(parse, help_flag)
{
	char *argv[] = {"rm", "--help", NULL};
	struct cli_args a;
	struct ctr_err err;
	bool help;

	cr_assert_eq(parse(&interleaved, &a, &err, &help, 2, argv), 0);
	cr_assert(help);
	cli_args_free(&a);
}

struct bad_case {
	char *argv[4];
	int argc;
	const char *needle;
};

Test(parse, errors_name_the_problem)
{
	static const struct bad_case cases[] = {
	    {{"rm", "--nmae", "x", NULL}, 3, "unknown flag: --nmae"},
	    {{"rm", "-z", "x", NULL}, 3, "unknown flag: -z"},
	    {{"rm", "x", "--name", NULL}, 3, "flag needs an argument: --name"},
	    {{"rm", "-n", "abc", "x"}, 4, "not an integer"},
	    {{"rm", "--cpus", "lots", "x"}, 4, "not a number"},
	    {{"rm", "-m", "12q", "x"}, 4, "invalid size"},
	    {{"rm", "--since", "soon", "x"}, 4, "invalid duration"},
	    {{"rm", "--all=maybe", "x", NULL}, 3, "not a boolean"},
	    {{"rm", NULL}, 1, "requires at least 1 argument"},
	    {{"rm", "a", "b", "c"}, 4, NULL},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct cli_args a;
		struct ctr_err err;
		bool help;
		int rc =
		    parse(&interleaved, &a, &err, &help, cases[i].argc, (char **)cases[i].argv);
		if (!cases[i].needle) {
			cr_assert_eq(rc, 0, "case %zu: %s", i, err.msg);
		} else {
			cr_assert_eq(rc, -1, "case %zu should fail", i);
			cr_assert_eq(err.code, E_USAGE, "case %zu code %d", i, err.code);
			cr_assert(strstr(err.msg, cases[i].needle), "case %zu: %s", i, err.msg);
		}
		cli_args_free(&a);
	}
}

Test(parse, unknown_flag_suggests_close_name)
{
	char *argv[] = {"rm", "--nmae", "x", NULL};
	struct cli_args a;
	struct ctr_err err;
	bool help;

	cr_assert_eq(parse(&interleaved, &a, &err, &help, 3, argv), -1);
	cr_assert(strstr(err.hint, "--name"), "%s", err.hint);
	cli_args_free(&a);
}

Test(parse, too_many_arguments)
{
	char *argv[] = {"rm", "a", "b", "c", "d", NULL};
	struct cli_args a;
	struct ctr_err err;
	bool help;

	cr_assert_eq(parse(&interleaved, &a, &err, &help, 5, argv), -1);
	cr_assert(strstr(err.msg, "at most 3"), "%s", err.msg);
	cli_args_free(&a);
}

Test(table, commands_are_unique_and_documented)
{
	const struct cli_command *const *all = cli_commands();
	size_t n = 0;

	for (size_t i = 0; all[i]; i++, n++) {
		cr_assert(all[i]->summary && *all[i]->summary, "%s has no summary", all[i]->name);
		cr_assert_eq(cli_find(NULL, all[i]->name), all[i], "duplicate name %s",
		             all[i]->name);
		for (size_t k = 0; all[i]->flags && all[i]->flags[k].name; k++) {
			const struct cli_flag *f = &all[i]->flags[k];
			cr_assert(f->help && *f->help, "%s --%s has no help", all[i]->name,
			          f->name);
			for (size_t m = k + 1; all[i]->flags[m].name; m++) {
				cr_assert_str_neq(f->name, all[i]->flags[m].name);
				if (f->shortname)
					cr_assert_neq(f->shortname, all[i]->flags[m].shortname,
					              "%s: duplicate -%c", all[i]->name,
					              f->shortname);
			}
		}
	}
	cr_assert_geq(n, 4);
	cr_assert_not_null(cli_find(NULL, "version"));
	cr_assert_null(cli_find(NULL, "no-such-command"));
}

/* The one exit-status rule of cli_dispatch (docs/ERRORS.md). */
Test(parse, exit_status_rule)
{
	static const struct cli_command plain = {.name = "ps"};
	static const struct cli_command run = {.name = "run", .opts = CLI_ENGINE_125};
	struct ctr_err err;

	ctr_err_clear(&err);
	cr_assert_eq(cli_exit_status(&plain, 0, &err), 0);
	cr_assert_eq(cli_exit_status(&run, 3, &err), 3, "a container's own status");
	cr_assert_eq(cli_exit_status(&plain, -1, &err), 1, "failure without an error");
	ctr_fail(&err, E_USAGE, "x");
	cr_assert_eq(cli_exit_status(&plain, -1, &err), 125);
	cr_assert_eq(cli_exit_status(NULL, -1, &err), 125);
	cr_assert_eq(cli_exit_status(&run, -1, &err), 125);
	ctr_fail(&err, E_NOT_FOUND, "x");
	cr_assert_eq(cli_exit_status(&plain, -1, &err), 1);
	cr_assert_eq(cli_exit_status(&plain, 2, &err), 1, "a handler's 2 is not a status");
	cr_assert_eq(cli_exit_status(&run, -1, &err), 125);
	ctr_fail(&err, E_RUNTIME, "x");
	cr_assert_eq(cli_exit_status(&run, 127, &err), 127, "command not found");
	cr_assert_eq(cli_exit_status(&plain, 126, &err), 126, "exec: not executable");
	ctr_fail(&err, E_INVALID_ARG, "x");
	cr_assert_eq(cli_exit_status(&plain, -1, &err), 1, "a bad --format: 1 everywhere");
}
