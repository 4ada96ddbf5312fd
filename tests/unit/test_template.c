/*
 * test_template.c - the Go-template subset behind every --format flag:
 * each construct, Go's printing rules, Docker's functions, table layout
 * and every error path.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "containr/template.h"

static const char *DATA = "{"
                          "\"ID\":\"0123456789abcdef\",\"Names\":[\"web\",\"db\"],"
                          "\"State\":{\"Status\":\"running\",\"Pid\":4242,\"Running\":true},"
                          "\"Labels\":{\"app\":\"shop\",\"tier\":\"front\"},"
                          "\"Empty\":\"\",\"Zero\":0,\"None\":null,\"List\":[],"
                          "\"Ratio\":0.25,\"Big\":8589934592,\"Html\":\"<a&b>\","
                          "\"Mounts\":[{\"Source\":\"/a\",\"Destination\":\"/x\"},"
                          "{\"Source\":\"/b\",\"Destination\":\"/y\"}]"
                          "}";

/* Execute `fmt` over DATA; returns the output (caller frees) or NULL with err. */
static char *run_on(const char *fmt, const char *json, struct ctr_err *err)
{
	struct ctr_tmpl *t = NULL;
	struct strbuf out;
	cJSON *data = json ? cJSON_Parse(json) : NULL;
	int rc;

	ctr_err_clear(err);
	strbuf_init(&out);
	rc = ctr_tmpl_parse(fmt, &t, err);
	if (rc == 0)
		rc = ctr_tmpl_exec(t, data, &out, err);
	ctr_tmpl_free(t);
	cJSON_Delete(data);
	if (rc < 0) {
		strbuf_release(&out);
		return NULL;
	}
	return strbuf_detach(&out);
}

static void expect(const char *fmt, const char *want)
{
	struct ctr_err err;
	char *got = run_on(fmt, DATA, &err);

	cr_assert(got, "template %s failed: %s", fmt, err.msg);
	cr_expect_str_eq(got, want, "template %s", fmt);
	free(got);
}

static void expect_err(const char *fmt, const char *want_msg)
{
	struct ctr_err err;
	char *got = run_on(fmt, DATA, &err);

	cr_assert_null(got, "template %s should fail, got '%s'", fmt, got ? got : "");
	cr_expect_eq(err.code, E_INVALID_ARG);
	cr_expect_str_eq(err.msg, want_msg, "template %s", fmt);
}

Test(template, text_only)
{
	expect("plain text", "plain text");
	expect("", "");
}

Test(template, fields)
{
	expect("{{.ID}}", "0123456789abcdef");
	expect("{{.State.Status}} {{.State.Pid}}", "running 4242");
	expect("{{ .State.Running }}", "true");
	expect("{{.Names}}", "[web db]");
	expect("{{.Labels}}", "map[app:shop tier:front]");
	expect("{{.None}}", "<no value>");
	expect("{{.lowercase}}", "<no value>"); /* map-key style: no error */
	expect("{{.None.Anything}}", "<no value>");
}

Test(template, dot_and_root)
{
	struct ctr_err err;
	char *got = run_on("{{.}}", "\"hello\"", &err);

	cr_assert_str_eq(got, "hello");
	free(got);
	got = run_on("{{range .Names}}{{.}}/{{$.ID}} {{end}}", DATA, &err);
	cr_assert_str_eq(got, "web/0123456789abcdef db/0123456789abcdef ");
	free(got);
	got = run_on("{{.}}", "[1,\"a\",true,null]", &err);
	cr_assert_str_eq(got, "[1 a true <nil>]");
	free(got);
}

Test(template, numbers_print_as_go)
{
	expect("{{.State.Pid}}", "4242");
	expect("{{.Big}}", "8589934592");
	expect("{{.Ratio}}", "0.25");
	expect("{{.Zero}}", "0");
	expect("{{1.5}} {{-3}} {{0x10}} {{1e3}}", "1.5 -3 16 1000");
	expect("{{1234567.5}}", "1.2345675e+06");
	expect("{{0.00001}}", "1e-05");
}

Test(template, json)
{
	expect("{{json .Names}}", "[\"web\",\"db\"]");
	expect("{{json .State}}", "{\"Status\":\"running\",\"Pid\":4242,\"Running\":true}");
	expect("{{json .Html}}", "\"\\u003ca\\u0026b\\u003e\"");
	expect("{{json .None}}", "null");
	expect("{{json .nothing}}", "null");
	expect("{{json .Big}}", "8589934592");
}

Test(template, index_and_label)
{
	expect("{{index .Labels \"app\"}}", "shop");
	expect("{{index .Labels \"missing\"}}", "");
	expect("{{index .Names 1}}", "db");
	expect("{{index .Mounts 0 \"Source\"}}", "/a");
	expect("{{.Label \"tier\"}}", "front");
	expect("{{.Label \"nope\"}}", "");
	struct ctr_err err;
	char *got = run_on("{{.Label \"b\"}}", "{\"Labels\":\"a=1,b=two,c=3\"}", &err);
	cr_assert_str_eq(got, "two");
	free(got);
}

Test(template, string_functions)
{
	expect("{{join .Names \", \"}}", "web, db");
	expect("{{upper .State.Status}}", "RUNNING");
	expect("{{lower \"MiXeD\"}}", "mixed");
	expect("{{title \"hello big-world\"}}", "Hello Big-World");
	expect("{{truncate .ID 12}}", "0123456789ab");
	expect("{{truncate \"short\" 12}}", "short");
	expect("{{truncate \"h\u00e9llo\" 2}}", "h\u00e9");
	expect("{{pad .State.Status 2 1}}|", "  running |");
	expect("{{pad .Empty 2 1}}|", "|");
	expect("{{split \"a:b:c\" \":\"}}", "[a b c]");
	expect("{{join (split \"a:b\" \":\") \"+\"}}", "a+b");
	expect("{{len .Names}} {{len .ID}} {{len .Labels}} {{len .List}}", "2 16 2 0");
}

Test(template, print_functions)
{
	expect("{{println .ID}}", "0123456789abcdef\n");
	expect("{{println}}", "\n");
	expect("{{print 1 2}} {{print \"a\" \"b\"}}", "1 2 ab");
	expect("{{printf \"%.4s|%5d|%-4s|%q|%v\" .ID 42 \"ab\" \"q\" .Names}}",
	       "0123|   42|ab  |\"q\"|[web db]");
	expect("{{printf \"%.2f%%\" .Ratio}}", "0.25%");
	expect("{{printf \"%d\"}}", "%!d(MISSING)");
}

Test(template, pipelines_and_parens)
{
	expect("{{.State.Status | upper}}", "RUNNING");
	expect("{{\"x\" | printf \"%s-%s\" \"a\"}}", "a-x");
	expect("{{.ID | printf \"%.3s\" | upper}}", "012");
	expect("{{(index .Mounts 1).Destination}}", "/y");
	expect("{{upper (index .Labels \"app\")}}", "SHOP");
}

Test(template, if_else)
{
	expect("{{if .State.Running}}up{{else}}down{{end}}", "up");
	expect("{{if .Empty}}yes{{else}}no{{end}}", "no");
	expect("{{if .Zero}}yes{{end}}", "");
	expect("{{if .List}}yes{{else}}empty{{end}}", "empty");
	expect("{{if .None}}yes{{else}}nil{{end}}", "nil");
	expect("{{if .Empty}}a{{else if .Zero}}b{{else if .ID}}c{{else}}d{{end}}", "c");
	expect("{{if not .Empty}}neg{{end}}", "neg");
	expect("{{if and .ID .Zero}}1{{else}}0{{end}}{{if or .Zero .ID}}1{{end}}", "01");
}

Test(template, comparisons)
{
	expect("{{if eq .State.Status \"running\"}}R{{end}}", "R");
	expect("{{eq .State.Status \"a\" \"running\"}}", "true");
	expect("{{ne 1 2}} {{lt 1 2}} {{le 2 2}} {{gt 1 2}} {{ge \"b\" \"a\"}}",
	       "true true true false true");
	expect_err("{{eq .ID 1}}", "template: :1:2: executing \"\" at <eq>: error calling eq: "
	                           "incompatible types for comparison");
	expect_err("{{lt .Names 1}}", "template: :1:2: executing \"\" at <lt>: error calling lt: "
	                              "invalid type for comparison");
}

Test(template, range)
{
	expect("{{range .Names}}[{{.}}]{{end}}", "[web][db]");
	expect("{{range $i, $n := .Names}}{{$i}}={{$n}} {{end}}", "0=web 1=db ");
	expect("{{range $k, $v := .Labels}}{{$k}}:{{$v}};{{end}}", "app:shop;tier:front;");
	expect("{{range .Labels}}{{.}},{{end}}", "shop,front,");
	expect("{{range .Mounts}}{{.Source}}:{{.Destination}} {{end}}", "/a:/x /b:/y ");
	expect("{{range .List}}x{{else}}none{{end}}", "none");
	expect("{{range .None}}x{{else}}none{{end}}", "none");
	expect("{{range $m := .Mounts}}{{$m.Source}}{{end}}", "/a/b");
}

Test(template, with_and_variables)
{
	expect("{{with .State}}{{.Status}}{{end}}", "running");
	expect("{{with .Empty}}x{{else}}empty{{end}}", "empty");
	expect("{{$s := .State.Status}}{{$s}}-{{$s}}", "running-running");
	expect("{{$}}", "map[Big:8589934592 Empty: Html:<a&b> ID:0123456789abcdef "
	                "Labels:map[app:shop tier:front] List:[] Mounts:[map[Destination:/x "
	                "Source:/a] map[Destination:/y Source:/b]] Names:[web db] None:<nil> "
	                "Ratio:0.25 State:map[Pid:4242 Running:true Status:running] Zero:0]");
}

Test(template, literals)
{
	expect("{{\"a\\tb\\n\\\"q\\\"\\\\\"}}", "a\tb\n\"q\"\\");
	expect("{{\"\\u00e9\\x41\"}}", "\u00e9A");
	expect("{{`raw \\n`}}", "raw \\n");
	expect("{{true}} {{false}}", "true false");
}

Test(template, trim_markers_and_comments)
{
	expect("a  {{- .State.Status -}}  b", "arunningb");
	expect("a\n\t{{- \"x\"}}\n", "ax\n");
	expect("{{.ID | printf \"%.1s\" -}}\n  z", "0z");
	expect("a{{/* a comment */}}b", "ab");
	expect("a {{- /* c */ -}} b", "ab");
	expect("{{-3}}", "-3");
	expect("{{if .ID -}}\n  yes\n{{- end}}", "yes");
}

Test(template, exec_errors)
{
	expect_err("{{.Nope}}", "template: :1:2: executing \"\" at <.Nope>: "
	                        "can't evaluate field Nope in type object");
	expect_err("x\n{{.State.Nope}}", "template: :2:2: executing \"\" at <.State.Nope>: "
	                                 "can't evaluate field Nope in type object");
	expect_err("{{.ID.Sub}}", "template: :1:2: executing \"\" at <.ID.Sub>: "
	                          "can't evaluate field Sub in type string");
	expect_err("{{index .Names 5}}", "template: :1:2: executing \"\" at <index>: "
	                                 "error calling index: index out of range: 5");
	expect_err("{{index .ID 1}}", "template: :1:2: executing \"\" at <index>: "
	                              "error calling index: can't index item of type string");
	expect_err("{{join .Names}}", "template: :1:2: executing \"\" at <join>: "
	                              "wrong number of args for join: want 2 got 1");
	expect_err("{{truncate .ID \"x\"}}",
	           "template: :1:2: executing \"\" at <truncate>: error "
	           "calling truncate: wrong type for value; expected int; got string");
	expect_err("{{range .ID}}{{end}}", "template: :1:8: executing \"\" at <.ID>: "
	                                   "range can't iterate over string");
	expect_err("{{.ID 1}}", "template: :1:2: executing \"\" at <.ID>: "
	                        "ID is not a method but has arguments");
	expect_err("{{1 2}}",
	           "template: :1:2: executing \"\" at <1>: can't give argument to non-function 1");
	expect_err("{{len 3}}",
	           "template: :1:2: executing \"\" at <len>: error calling len: len of type int");
	expect_err("{{nil}}", "template: :1:2: executing \"\" at <nil>: nil is not a command");
}

Test(template, parse_errors)
{
	expect_err("{{.ID", "template: :1:5: unclosed action");
	expect_err("{{nope .ID}}", "template: :1:2: function \"nope\" not defined");
	expect_err("{{if .ID}}x", "template: :1:11: unexpected EOF");
	expect_err("{{end}}", "template: :1:0: unexpected {{end}}");
	expect_err("{{else}}", "template: :1:0: unexpected {{else}}");
	expect_err("{{}}", "template: :1:2: missing value for command");
	expect_err("{{if}}{{end}}", "template: :1:2: missing value for if");
	expect_err("{{\"abc}}", "template: :1:2: unterminated quoted string");
	expect_err("{{`abc}}", "template: :1:2: unterminated raw quoted string");
	expect_err("{{\"\\q\"}}", "template: :1:3: invalid escape \\q in quoted string");
	expect_err("{{$x}}", "template: :1:2: undefined variable \"$x\"");
	expect_err("{{.ID | }}", "template: :1:8: missing value for command");
	expect_err("{{#}}", "template: :1:2: unexpected \"#\" in command");
	expect_err("{{(.ID}}", "template: :1:6: unexpected \"}}\" in operand");
	expect_err("{{template \"x\"}}",
	           "template: :1:2: {{template}} is not supported by containr templates");
	expect_err("a\nb{{.ID}}{{1x}}", "template: :2:10: bad number syntax: \"1x\"");
	expect_err("{{/* open", "template: :1:0: unclosed comment");
	expect_err("{{if .ID}}{{else}}{{else}}{{end}}",
	           "template: :1:18: expected end; found {{else}}");
	/* a variable declared inside if is gone after its end */
	expect_err("{{if $x := .ID}}{{$x}}{{end}}{{$x}}",
	           "template: :1:31: undefined variable \"$x\"");
}

Test(template, errors_have_hint)
{
	struct ctr_err err;
	char *got = run_on("{{.Nope}}", DATA, &err);

	cr_assert_null(got);
	cr_expect(strlen(err.hint) > 0);
	cr_expect_null(strchr(err.msg, '\n'), "one-line message");
}

static char *render(const char *fmt, const char *rows, struct ctr_err *err)
{
	static const struct ctr_tmpl_header hdr[] = {
	    {"ID", "CONTAINER ID"},
	    {"Names", "NAMES"},
	    {"State.Status", "STATUS"},
	    {NULL, NULL},
	};
	struct strbuf out;
	cJSON *data = cJSON_Parse(rows);
	int rc;

	strbuf_init(&out);
	ctr_err_clear(err);
	rc = ctr_tmpl_render(fmt, hdr, data, &out, err);
	cJSON_Delete(data);
	if (rc < 0) {
		cr_expect_eq(out.len, 0, "nothing appended on error");
		strbuf_release(&out);
		return NULL;
	}
	return strbuf_detach(&out);
}

static const char *ROWS =
    "[{\"ID\":\"abc\",\"Names\":\"web\",\"Image\":\"busybox\",\"State\":{\"Status\":\"up\"}},"
    "{\"ID\":\"0123456789ab\",\"Names\":\"a-much-longer-name\",\"Image\":\"alpine:3\","
    "\"State\":{\"Status\":\"exited\"}}]";

Test(template, render_rows)
{
	struct ctr_err err;
	char *got = render("{{.ID}}:{{.Names}}", ROWS, &err);

	cr_assert_str_eq(got, "abc:web\n0123456789ab:a-much-longer-name\n");
	free(got);
	/* Docker turns the two characters \t and \n into tab and newline */
	got = render("  {{.ID}}\\t{{.Names}}\\n ", ROWS, &err);
	cr_assert_str_eq(got, "abc\tweb\n\n0123456789ab\ta-much-longer-name\n\n");
	free(got);
	got = render("{{.ID}}", "{\"ID\":\"one\"}", &err);
	cr_assert_str_eq(got, "one\n");
	free(got);
}

Test(template, render_table)
{
	struct ctr_err err;
	char *got = render("table {{.ID}}\\t{{.Names}}\\t{{.Image}}", ROWS, &err);

	cr_assert(got, "%s", err.msg);
	cr_expect_str_eq(got, "CONTAINER ID   NAMES                IMAGE\n"
	                      "abc            web                  busybox\n"
	                      "0123456789ab   a-much-longer-name   alpine:3\n");
	free(got);
	/* minimum width 10, nested fields look up "State.Status" */
	got = render("table {{.ID}}\\t{{.State.Status}}\\t{{upper .Names}}",
	             "[{\"ID\":\"a\",\"Names\":\"x\","
	             "\"State\":{\"Status\":\"up\"}}]",
	             &err);
	cr_expect_str_eq(got, "CONTAINER ID   STATUS    NAMES\n"
	                      "a              up        X\n");
	free(got);
	/* header only when there are no rows */
	got = render("table {{.ID}}\\t{{.Names}}", "[]", &err);
	cr_expect_str_eq(got, "CONTAINER ID   NAMES\n");
	free(got);
}

Test(template, header_mode)
{
	static const struct ctr_tmpl_header hdr[] = {{"Names", "NAMES"}, {NULL, NULL}};
	struct ctr_tmpl *t;
	struct ctr_err err;
	struct strbuf out;

	cr_assert_eq(
	    ctr_tmpl_parse("{{.Names}}|{{.CreatedAt}}|{{json .Names}}|{{truncate .Names 2}}|"
	                   "{{if .X}}T{{else}}F{{end}}|{{range .Names}}<{{.}}>{{end}}",
	                   &t, &err),
	    0);
	strbuf_init(&out);
	cr_assert_eq(ctr_tmpl_exec_header(t, hdr, &out, &err), 0, "%s", err.msg);
	cr_expect_str_eq(out.buf, "NAMES|CREATEDAT|NAMES|NAMES|T|<>");
	strbuf_release(&out);
	ctr_tmpl_free(t);
}

Test(template, render_errors)
{
	struct ctr_err err;

	cr_expect_null(render("table {{.Nope}}", ROWS, &err));
	cr_expect_str_eq(err.msg, "template: :1:2: executing \"\" at <.Nope>: "
	                          "can't evaluate field Nope in type object");
	cr_expect_null(render("{{.ID", ROWS, &err));
	cr_expect_eq(err.code, E_INVALID_ARG);
}

Test(template, is_table)
{
	cr_expect(ctr_tmpl_is_table("table"));
	cr_expect(ctr_tmpl_is_table("  table {{.ID}}"));
	cr_expect_not(ctr_tmpl_is_table("tablex"));
	cr_expect_not(ctr_tmpl_is_table("{{.ID}} table"));
	cr_expect_not(ctr_tmpl_is_table(NULL));
}

static char *tab(const char *in)
{
	struct strbuf out;

	strbuf_init(&out);
	ctr_tabwrite(in, strlen(in), 10, 3, &out);
	return strbuf_detach(&out);
}

Test(template, tabwriter)
{
	char *got;

	got = tab("a\tb\tc\nlonger-cell-here\tb\tc\n");
	cr_expect_str_eq(got, "a                  b         c\n"
	                      "longer-cell-here   b         c\n");
	free(got);
	/* a line without tabs ends the column block */
	got = tab("a\tb\nplain line\nccccccccccccccc\td\n");
	cr_expect_str_eq(got, "a         b\nplain line\nccccccccccccccc   d\n");
	free(got);
	/* widths count characters, not bytes */
	got = tab("\u00e9\u00e9\tx\nab\ty\n");
	cr_expect_str_eq(got, "\u00e9\u00e9        x\nab        y\n");
	free(got);
	/* trailing tab: the last cell is empty; unterminated last line */
	got = tab("a\tb\t\ncc\td");
	cr_expect_str_eq(got, "a         b         \ncc        d");
	free(got);
	got = tab("");
	cr_expect_str_eq(got, "");
	free(got);
}

/*
 * Random token soup: every template either runs or fails with a Go-style
 * E_INVALID_ARG message; never a crash (run under `make asan` for memory
 * errors and leaks).  Deterministic (fixed seed).
 */
Test(template, fuzz_token_soup)
{
	static const char *const toks[] = {"{{",
	                                   "}}",
	                                   "{{- ",
	                                   " -}}",
	                                   ".",
	                                   ".ID",
	                                   ".Names",
	                                   ".State",
	                                   ".Status",
	                                   ".Nope",
	                                   "$",
	                                   "$x",
	                                   "$i",
	                                   ":=",
	                                   ",",
	                                   "|",
	                                   "(",
	                                   ")",
	                                   "\"s\"",
	                                   "\"",
	                                   "`r`",
	                                   "`",
	                                   "if",
	                                   "else",
	                                   "end",
	                                   "range",
	                                   "with",
	                                   "json",
	                                   "index",
	                                   "len",
	                                   "printf",
	                                   "\"%d %s %q %5.2f %\"",
	                                   "join",
	                                   "split",
	                                   "truncate",
	                                   "pad",
	                                   "eq",
	                                   "lt",
	                                   "and",
	                                   "not",
	                                   "print",
	                                   "1",
	                                   "-2",
	                                   "0.5",
	                                   "true",
	                                   "nil",
	                                   "/*",
	                                   "*/",
	                                   " ",
	                                   " ",
	                                   " ",
	                                   "\n",
	                                   "\\",
	                                   "text",
	                                   "{{end}}",
	                                   "{{else}}",
	                                   "{{range .Names}}",
	                                   "{{if .ID}}",
	                                   ".Label",
	                                   "\"app\"",
	                                   "12"};
	unsigned seed = 12345;
	int ok = 0, bad = 0;

	for (int n = 0; n < 30000; n++) {
		struct strbuf fmt;
		struct ctr_err err;
		char *got;
		int len;

		strbuf_init(&fmt);
		seed = seed * 1103515245u + 12345u;
		len = 1 + (int)((seed >> 16) % 24);
		for (int k = 0; k < len; k++) {
			seed = seed * 1103515245u + 12345u;
			strbuf_puts(&fmt, toks[(seed >> 16) % CTR_ARRAY_SIZE(toks)]);
		}
		got = run_on(fmt.buf, DATA, &err);
		if (got) {
			ok++;
			free(got);
		} else {
			bad++;
			cr_assert_eq(err.code, E_INVALID_ARG, "template %s: code %d", fmt.buf,
			             err.code);
			cr_assert(str_startswith(err.msg, "template: :"), "template %s: %s",
			          fmt.buf, err.msg);
			cr_assert_null(strchr(err.msg, '\n'), "multi-line message for %s", fmt.buf);
		}
		strbuf_release(&fmt);
	}
	cr_expect(ok > 100 && bad > 100, "ok=%d bad=%d: the soup should hit both paths", ok, bad);
}

Test(template, null_err_is_allowed)
{
	struct strbuf out;
	cJSON *row = cJSON_Parse("{\"ID\":\"x\"}");

	strbuf_init(&out);
	cr_expect_eq(ctr_tmpl_render("{{.Nope}}", NULL, row, &out, NULL), -1);
	cr_expect_eq(ctr_tmpl_render("{{.ID", NULL, row, &out, NULL), -1);
	cr_expect_eq(ctr_tmpl_render("{{.ID}}", NULL, row, &out, NULL), 0);
	cr_expect_str_eq(out.buf, "x\n");
	strbuf_release(&out);
	cJSON_Delete(row);
}

Test(template, missing_keys_of_maps_and_structs)
{
	struct ctr_err err;
	char *got;

	/* all keys exported: a struct, a missing exported field is an error */
	got = run_on("{{.Nope}}", "{\"A\":1,\"B\":{}}", &err);
	cr_expect_null(got);
	/* an empty object or one with a non-exported key is a map: <no value> */
	got = run_on("{{.B.Maintainer}}|{{.L.Maintainer}}|{{.L.tier}}",
	             "{\"A\":1,\"B\":{},\"L\":{\"org.x\":\"1\",\"Tier\":\"2\"}}", &err);
	cr_expect_str_eq(got, "<no value>|<no value>|<no value>");
	free(got);
}
