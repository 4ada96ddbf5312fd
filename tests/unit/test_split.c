/* test_split.c - batch splitting: quoting, separators, comments, errors. */
#include <criterion/criterion.h>
#include <string.h>

#include "cli/cli.h"

static struct cli_script split_ok(const char *text)
{
	struct cli_script s;
	struct ctr_err err;

	ctr_err_clear(&err);
	cr_assert_eq(cli_split(text, &s, &err), 0, "split failed: %s", err.msg);
	return s;
}

Test(split, words_and_semicolons)
{
	struct cli_script s = split_ok("pull busybox; run --rm busybox echo hi");
	cr_assert_eq(s.n, 2);
	cr_assert_eq(s.cmds[0].n, 2);
	cr_assert_str_eq(s.cmds[0].v[0], "pull");
	cr_assert_str_eq(s.cmds[0].v[1], "busybox");
	cr_assert_eq(s.cmds[1].n, 5);
	cr_assert_str_eq(s.cmds[1].v[4], "hi");
	cli_script_free(&s);
}

Test(split, newlines_blank_lines_and_comments)
{
	struct cli_script s = split_ok("# setup\nversion\n\n  info # trailing\n;;\nps -a\n");
	cr_assert_eq(s.n, 3);
	cr_assert_str_eq(s.cmds[0].v[0], "version");
	cr_assert_eq(s.cmds[1].n, 1);
	cr_assert_str_eq(s.cmds[2].v[1], "-a");
	cli_script_free(&s);
}

Test(split, single_quotes_are_literal)
{
	struct cli_script s = split_ok("run x sh -c 'echo \"a;b\" \\n $HOME'");
	cr_assert_eq(s.n, 1);
	cr_assert_eq(s.cmds[0].n, 5);
	cr_assert_str_eq(s.cmds[0].v[4], "echo \"a;b\" \\n $HOME");
	cli_script_free(&s);
}

Test(split, double_quotes_and_escapes)
{
	struct cli_script s = split_ok("echo \"a \\\"b\\\" \\\\ c\" d\\ e \"\" x\\;y");
	cr_assert_eq(s.n, 1);
	cr_assert_eq(s.cmds[0].n, 5);
	cr_assert_str_eq(s.cmds[0].v[1], "a \"b\" \\ c");
	cr_assert_str_eq(s.cmds[0].v[2], "d e");
	cr_assert_str_eq(s.cmds[0].v[3], "");
	cr_assert_str_eq(s.cmds[0].v[4], "x;y");
	cli_script_free(&s);
}

Test(split, adjacent_quotes_join_one_word)
{
	struct cli_script s = split_ok("a'b'\"c\"d");
	cr_assert_eq(s.cmds[0].n, 1);
	cr_assert_str_eq(s.cmds[0].v[0], "abcd");
	cli_script_free(&s);
}

Test(split, backslash_newline_continues)
{
	struct cli_script s = split_ok("run \\\n  --rm x\nps");
	cr_assert_eq(s.n, 2);
	cr_assert_eq(s.cmds[0].n, 3);
	cr_assert_str_eq(s.cmds[0].v[1], "--rm");
	cli_script_free(&s);
}

Test(split, hash_inside_word_is_not_comment)
{
	struct cli_script s = split_ok("echo a#b '#c'");
	cr_assert_eq(s.cmds[0].n, 3);
	cr_assert_str_eq(s.cmds[0].v[1], "a#b");
	cr_assert_str_eq(s.cmds[0].v[2], "#c");
	cli_script_free(&s);
}

Test(split, unterminated_quotes_are_usage_errors)
{
	struct cli_script s;
	struct ctr_err err;

	ctr_err_clear(&err);
	cr_assert_eq(cli_split("echo 'abc", &s, &err), -1);
	cr_assert_eq(err.code, E_USAGE);
	cr_assert(strstr(err.msg, "single quote") != NULL);
	cr_assert_eq(s.n, 0);
	cr_assert_eq(cli_split("version\necho \"abc", &s, &err), -1);
	cr_assert(strstr(err.msg, "line 2") != NULL, "%s", err.msg);
	cr_assert(err.hint[0] != '\0');
}

Test(split, empty_text_has_no_commands)
{
	struct cli_script s = split_ok("  ;\n ; # nothing\n");
	cr_assert_eq(s.n, 0);
	cli_script_free(&s);
}
