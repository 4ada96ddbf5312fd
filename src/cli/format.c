/*
 * format.c - `--format` for list and inspect commands (see format.h).
 *
 * The command builds cJSON rows with Docker's field names (ID, Names,
 * Image, Status...) and hands them here with its default table; this file
 * decides between the default table, JSON lines and a user template, and
 * writes the result to ctx->out in one piece, so a template error never
 * leaves half a table on the screen.
 */
#include "cli/format.h"

#include <string.h>

static void put_indent(struct strbuf *out, int depth)
{
	for (int i = 0; i < depth; i++)
		strbuf_puts(out, "    ");
}

static void json_indent(const cJSON *v, struct strbuf *out, int depth)
{
	const cJSON *it;
	bool obj = cJSON_IsObject(v);

	if (!obj && !cJSON_IsArray(v)) {
		ctr_tmpl_json(v, out);
		return;
	}
	if (!v->child) {
		strbuf_puts(out, obj ? "{}" : "[]");
		return;
	}
	strbuf_puts(out, obj ? "{\n" : "[\n");
	cJSON_ArrayForEach (it, v) {
		put_indent(out, depth + 1);
		if (obj) {
			cJSON *key = cJSON_CreateString(it->string);

			ctr_tmpl_json(key, out);
			cJSON_Delete(key);
			strbuf_puts(out, ": ");
		}
		json_indent(it, out, depth + 1);
		strbuf_puts(out, it->next ? ",\n" : "\n");
	}
	put_indent(out, depth);
	strbuf_putc(out, obj ? '}' : ']');
}

void cli_json_indent(const cJSON *v, struct strbuf *out)
{
	json_indent(v, out, 0);
}

static bool is_blank(const char *s)
{
	return !s || s[strspn(s, " ")] == '\0';
}

static void flush(struct cli_ctx *ctx, struct strbuf *sb)
{
	FILE *out = ctx->out ? ctx->out : stdout;

	fwrite(sb->buf, 1, sb->len, out);
	fflush(out);
}

int cli_format_list(struct cli_ctx *ctx, const char *format, const char *def_table,
                    const struct ctr_tmpl_header *headers, const cJSON *rows, struct ctr_err *err)
{
	struct strbuf sb;
	const char *f = format;
	int rc = 0;

	while (f && *f == ' ')
		f++;
	if (is_blank(f) || !strcmp(f, "table") || (ctr_tmpl_is_table(f) && is_blank(f + 5)))
		f = def_table;
	strbuf_init(&sb);
	if (!strcmp(f, "json")) {
		const cJSON *row;

		cJSON_ArrayForEach (row, rows) {
			ctr_tmpl_json(row, &sb);
			strbuf_putc(&sb, '\n');
		}
	} else {
		rc = ctr_tmpl_render(f, headers, rows, &sb, err);
	}
	if (rc == 0)
		flush(ctx, &sb);
	strbuf_release(&sb);
	return rc;
}

int cli_format_inspect(struct cli_ctx *ctx, const char *format, const cJSON *objs,
                       struct ctr_err *err)
{
	struct strbuf sb;
	int rc = 0;

	strbuf_init(&sb);
	if (is_blank(format) || !strcmp(format + strspn(format, " "), "json")) {
		cli_json_indent(objs, &sb);
		strbuf_putc(&sb, '\n');
	} else {
		rc = ctr_tmpl_render(format, NULL, objs, &sb, err);
	}
	if (rc == 0)
		flush(ctx, &sb);
	strbuf_release(&sb);
	return rc;
}
