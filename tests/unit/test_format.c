/*
 * test_format.c - the CLI's --format dispatcher: default table, json lines,
 * user tables and templates, inspect's indented JSON, and that a template
 * error prints nothing.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/format.h"

static const struct ctr_tmpl_header HDR[] = {
    {"ID", "CONTAINER ID"},
    {"Image", "IMAGE"},
    {"Names", "NAMES"},
    {NULL, NULL},
};
static const char *DEF = "table {{.ID}}\\t{{.Image}}\\t{{.Names}}";
static const char *ROWS =
    "[{\"ID\":\"aaa\",\"Image\":\"busybox\",\"Names\":\"web\"},"
    "{\"ID\":\"bbbbbbbbbbbb\",\"Image\":\"alpine:3.19\",\"Names\":\"db<1>\"}]";

/* Run cli_format_list (or inspect) and capture what it printed. */
static char *capture(const char *format, bool inspect, const char *json, int *rc,
                     struct ctr_err *err)
{
	struct cli_ctx ctx = {0};
	char *buf = NULL;
	size_t len = 0;
	cJSON *rows = cJSON_Parse(json);

	ctx.out = open_memstream(&buf, &len);
	ctr_err_clear(err);
	if (inspect)
		*rc = cli_format_inspect(&ctx, format, rows, err);
	else
		*rc = cli_format_list(&ctx, format, DEF, HDR, rows, err);
	fclose(ctx.out);
	cJSON_Delete(rows);
	return buf;
}

static void expect_list(const char *format, const char *want)
{
	struct ctr_err err;
	int rc;
	char *got = capture(format, false, ROWS, &rc, &err);

	cr_assert_eq(rc, 0, "format '%s': %s", format ? format : "(null)", err.msg);
	cr_expect_str_eq(got, want, "format '%s'", format ? format : "(null)");
	free(got);
}

static const char *TABLE = "CONTAINER ID   IMAGE         NAMES\n"
                           "aaa            busybox       web\n"
                           "bbbbbbbbbbbb   alpine:3.19   db<1>\n";

Test(format, default_table)
{
	expect_list(NULL, TABLE);
	expect_list("", TABLE);
	expect_list("table", TABLE);
	expect_list("  table  ", TABLE);
}

Test(format, json_lines)
{
	expect_list("json", "{\"ID\":\"aaa\",\"Image\":\"busybox\",\"Names\":\"web\"}\n"
	                    "{\"ID\":\"bbbbbbbbbbbb\",\"Image\":\"alpine:3.19\",\"Names\":"
	                    "\"db\\u003c1\\u003e\"}\n");
}

Test(format, user_table_and_template)
{
	expect_list("table {{.Names}}\\t{{.ID}}", "NAMES     CONTAINER ID\n"
	                                          "web       aaa\n"
	                                          "db<1>     bbbbbbbbbbbb\n");
	expect_list("{{.Names}}", "web\ndb<1>\n");
	expect_list("{{.ID}}: {{upper .Image}}", "aaa: BUSYBOX\nbbbbbbbbbbbb: ALPINE:3.19\n");
	expect_list("{{json .}}", "{\"ID\":\"aaa\",\"Image\":\"busybox\",\"Names\":\"web\"}\n"
	                          "{\"ID\":\"bbbbbbbbbbbb\",\"Image\":\"alpine:3.19\",\"Names\":"
	                          "\"db\\u003c1\\u003e\"}\n");
}

Test(format, empty_list)
{
	struct ctr_err err;
	int rc;
	char *got = capture(NULL, false, "[]", &rc, &err);

	cr_assert_eq(rc, 0);
	cr_expect_str_eq(got, "CONTAINER ID   IMAGE     NAMES\n");
	free(got);
	got = capture("{{.ID}}", false, "[]", &rc, &err);
	cr_expect_str_eq(got, "");
	free(got);
}

Test(format, error_prints_nothing)
{
	struct ctr_err err;
	int rc;
	char *got = capture("table {{.ID}}\\t{{.Nope}}", false, ROWS, &rc, &err);

	cr_expect_eq(rc, -1);
	cr_expect_eq(err.code, E_INVALID_ARG);
	cr_expect_str_eq(err.msg, "template: :1:10: executing \"\" at <.Nope>: "
	                          "can't evaluate field Nope in type object");
	cr_expect_str_eq(got, "");
	free(got);
	got = capture("{{.ID", false, ROWS, &rc, &err);
	cr_expect_eq(rc, -1);
	cr_expect_str_eq(got, "");
	free(got);
}

Test(format, inspect)
{
	struct ctr_err err;
	int rc;
	const char *objs = "[{\"Id\":\"abc\",\"State\":{\"Pid\":12,\"Running\":true},"
	                   "\"Args\":[],\"Labels\":{},\"Cmd\":[\"sh\",\"-c\"]}]";
	const char *want = "[\n"
	                   "    {\n"
	                   "        \"Id\": \"abc\",\n"
	                   "        \"State\": {\n"
	                   "            \"Pid\": 12,\n"
	                   "            \"Running\": true\n"
	                   "        },\n"
	                   "        \"Args\": [],\n"
	                   "        \"Labels\": {},\n"
	                   "        \"Cmd\": [\n"
	                   "            \"sh\",\n"
	                   "            \"-c\"\n"
	                   "        ]\n"
	                   "    }\n"
	                   "]\n";
	char *got = capture(NULL, true, objs, &rc, &err);

	cr_assert_eq(rc, 0);
	cr_expect_str_eq(got, want);
	free(got);
	got = capture("json", true, objs, &rc, &err);
	cr_expect_str_eq(got, want);
	free(got);
	got = capture("{{.Id}} {{.State.Pid}} {{json .Cmd}}", true, objs, &rc, &err);
	cr_expect_str_eq(got, "abc 12 [\"sh\",\"-c\"]\n");
	free(got);
	got = capture("{{.State.Nope}}", true, objs, &rc, &err);
	cr_expect_eq(rc, -1);
	cr_expect_str_eq(got, "");
	free(got);
}
