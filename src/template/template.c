/*
 * template.c - executor of the Go text/template subset used by every
 * `--format` flag, and Docker's handling of format strings (table prefix,
 * "\t" and "\n", header row, column alignment).  The language is described
 * in include/containr/template.h; the parser is template_parse.c, values and
 * functions are template_funcs.c.
 *
 * The executor walks the tree with dot = a cJSON value; temporaries
 * (function results) live in an arena array deleted after the run, so
 * values are plain `const cJSON *` and NULL means "no value".
 */
#include "template_int.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
/* ======================================================================= */
/* executor                                                                 */
/* ======================================================================= */

cJSON *tmpl_keep(struct tmpl_exec *ex, cJSON *v)
{
	cJSON_AddItemToArray(ex->arena, v);
	return v;
}

int tmpl_exec_fail(struct tmpl_exec *ex, int pos, int end, const char *fmt, ...)
{
	const char *s = ex->t->src;
	char msg[512];
	int line = 1, last_nl = -1, col;
	va_list ap;

	for (int i = 0; i < pos && s[i]; i++)
		if (s[i] == '\n') {
			line++;
			last_nl = i;
		}
	col = last_nl < 0 ? pos : pos - last_nl - 1;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (end < pos)
		end = pos;
	ctr_fail(ex->err, E_INVALID_ARG, "template: :%d:%d: executing \"\" at <%.*s>: %s", line,
	         col, end - pos > 200 ? 200 : end - pos, s + pos, msg);
	tmpl_err_oneline(ex->err);
	ctr_hint(ex->err, "see docs/TEMPLATES.md for the --format language");
	return -1;
}

static int eval_pipe(struct tmpl_exec *ex, const struct tmpl_pipe *pp, const cJSON *dot,
                     const cJSON **out);

/* Header-mode value of a field chain: its header, or the last name upper-cased. */
static const cJSON *header_for(struct tmpl_exec *ex, const struct strv *fields)
{
	struct strbuf path;
	const char *last = fields->n ? fields->v[fields->n - 1] : "";
	cJSON *v = NULL;

	strbuf_init(&path);
	for (size_t i = 0; i < fields->n; i++)
		strbuf_printf(&path, "%s%s", i ? "." : "", fields->v[i]);
	for (const struct ctr_tmpl_header *h = ex->headers; h && h->field && !v; h++)
		if (!strcmp(h->field, path.buf))
			v = cJSON_CreateString(h->header);
	for (const struct ctr_tmpl_header *h = ex->headers; h && h->field && !v; h++)
		if (!strcmp(h->field, last))
			v = cJSON_CreateString(h->header);
	if (!v) {
		strbuf_reset(&path);
		for (const char *c = last; *c; c++)
			strbuf_putc(&path, (char)toupper((unsigned char)*c));
		v = cJSON_CreateString(path.buf);
	}
	strbuf_release(&path);
	return tmpl_keep(ex, v);
}

/*
 * A JSON object stands for a Go struct when it has keys and all of them are
 * exported field names (upper-case first letter): a missing upper-case field
 * of it is an error, as in Go.  Any other object is a map (Labels, Tmpfs,
 * Networks, an empty {}): a missing key prints <no value>, as Go does for maps.
 */
static bool struct_like(const cJSON *o)
{
	const cJSON *it;

	if (!o->child)
		return false;
	cJSON_ArrayForEach (it, o)
		if (!it->string || !isupper((unsigned char)it->string[0]))
			return false;
	return true;
}

/*
 * Evaluate the field chain of `a` on `recv`.  `margs` are the arguments of
 * a method call on the last field (only .Label "key" is a method).
 */
static int eval_fields(struct tmpl_exec *ex, const struct tmpl_arg *a, const cJSON *recv,
                       const cJSON **margs, int nmargs, const cJSON **out)
{
	if (ex->header_mode && a->fields.n) {
		*out = header_for(ex, &a->fields);
		return 0;
	}
	for (size_t i = 0; i < a->fields.n; i++) {
		const char *f = a->fields.v[i];
		bool last = i + 1 == a->fields.n;
		const cJSON *next;

		if (last && nmargs > 0) {
			char *owned = NULL;
			const char *v;

			if (strcmp(f, "Label") || !cJSON_IsObject(recv))
				return tmpl_exec_fail(ex, a->pos, a->end,
				                      "%s is not a method but has arguments", f);
			if (nmargs != 1 || !cJSON_IsString(margs[0]))
				return tmpl_exec_fail(
				    ex, a->pos, a->end,
				    "wrong number of args for Label: want 1 got %d", nmargs);
			v = tmpl_label_lookup(cJSON_GetObjectItemCaseSensitive(recv, "Labels"),
			                      margs[0]->valuestring, &owned);
			*out = tmpl_keep(ex, cJSON_CreateString(v));
			free(owned);
			return 0;
		}
		if (!recv || cJSON_IsNull(recv)) {
			*out = NULL; /* nil.Field: no value, as Go does for maps */
			return 0;
		}
		if (!cJSON_IsObject(recv))
			return tmpl_exec_fail(ex, a->pos, a->end,
			                      "can't evaluate field %s in type %s", f,
			                      tmpl_type_name(recv));
		next = cJSON_GetObjectItemCaseSensitive(recv, f);
		if (!next && isupper((unsigned char)f[0]) && struct_like(recv))
			return tmpl_exec_fail(ex, a->pos, a->end,
			                      "can't evaluate field %s in type object", f);
		recv = next;
	}
	*out = recv;
	return 0;
}

static const cJSON *var_lookup(struct tmpl_exec *ex, const char *name)
{
	for (size_t i = ex->nvars; i-- > 0;)
		if (!strcmp(ex->vars[i].name, name))
			return ex->vars[i].val;
	return NULL;
}

static void var_push(struct tmpl_exec *ex, const char *name, const cJSON *val)
{
	if (ex->nvars == ex->capvars) {
		ex->capvars = ex->capvars ? ex->capvars * 2 : 16;
		ex->vars = xrealloc(ex->vars, ex->capvars * sizeof *ex->vars);
	}
	ex->vars[ex->nvars].name = name;
	ex->vars[ex->nvars].val = val;
	ex->nvars++;
}

/* Evaluate one operand (not a function name) to a value. */
static int eval_arg(struct tmpl_exec *ex, const struct tmpl_arg *a, const cJSON *dot,
                    const cJSON **margs, int nmargs, const cJSON **out)
{
	const cJSON *base;

	switch (a->kind) {
	case ARG_DOT:
		*out = ex->header_mode ? tmpl_keep(ex, cJSON_CreateString("")) : dot;
		return 0;
	case ARG_FIELD:
		return eval_fields(ex, a, dot, margs, nmargs, out);
	case ARG_VAR:
		base = var_lookup(ex, a->name);
		return eval_fields(ex, a, base, margs, nmargs, out);
	case ARG_PIPE:
		if (eval_pipe(ex, a->pipe, dot, &base) < 0)
			return -1;
		return eval_fields(ex, a, base, margs, nmargs, out);
	case ARG_STRING:
		*out = tmpl_keep(ex, cJSON_CreateString(a->name));
		return 0;
	case ARG_NUMBER:
		*out = tmpl_keep(ex, cJSON_CreateNumber(a->num));
		return 0;
	case ARG_BOOL:
		*out = tmpl_keep(ex, cJSON_CreateBool(a->b));
		return 0;
	case ARG_NIL:
		return tmpl_exec_fail(ex, a->pos, a->end, "nil is not a command");
	case ARG_FUNC:
		break;
	}
	return tmpl_exec_fail(ex, a->pos, a->end, "internal error: bad operand");
}

/* Evaluate a command; `final` is the previous command's result in a pipeline. */
static int eval_cmd(struct tmpl_exec *ex, const struct tmpl_cmd *c, const cJSON *dot,
                    const cJSON *final, bool has_final, const cJSON **out)
{
	const struct tmpl_arg *first = c->args[0];
	int n = c->nargs - 1 + (has_final ? 1 : 0);
	const cJSON **argv = xcalloc(n + 1, sizeof *argv);
	int rc = -1;

	for (int i = 1; i < c->nargs; i++) {
		const struct tmpl_arg *a = c->args[i];

		if (a->kind == ARG_FUNC) {
			/* a bare function name as an argument: call it with no args */
			const struct tmpl_func *fn = tmpl_func_find(a->name);

			if (fn->min_args > 0) {
				tmpl_exec_fail(ex, a->pos, a->end,
				               "wrong number of args for %s: want %d got 0",
				               a->name, fn->min_args);
				goto out;
			}
			if (fn->fn(ex, a, NULL, 0, &argv[i - 1]) < 0)
				goto out;
		} else if (eval_arg(ex, a, dot, NULL, 0, &argv[i - 1]) < 0) {
			goto out;
		}
	}
	if (has_final)
		argv[n - 1] = final;
	if (first->kind == ARG_FUNC) {
		const struct tmpl_func *fn = tmpl_func_find(first->name);

		if (n < fn->min_args || (fn->max_args >= 0 && n > fn->max_args)) {
			if (fn->min_args == fn->max_args)
				tmpl_exec_fail(ex, first->pos, first->end,
				               "wrong number of args for %s: want %d got %d",
				               first->name, fn->min_args, n);
			else
				tmpl_exec_fail(
				    ex, first->pos, first->end,
				    "wrong number of args for %s: want at least %d got %d",
				    first->name, fn->min_args, n);
			goto out;
		}
		if (ex->header_mode && fn->passthrough_header) {
			/* Docker's header functions return their (header) argument */
			const cJSON *v = NULL;

			for (int i = 0; i < n && !v; i++)
				if (i == n - 1 || (c->args[i + 1]->kind != ARG_STRING &&
				                   c->args[i + 1]->kind != ARG_NUMBER &&
				                   c->args[i + 1]->kind != ARG_BOOL))
					v = argv[i];
			*out = v ? v : tmpl_keep(ex, cJSON_CreateString(""));
			rc = 0;
			goto out;
		}
		rc = fn->fn(ex, first, argv, n, out);
		goto out;
	}
	if (first->kind == ARG_FIELD || first->kind == ARG_VAR || first->kind == ARG_PIPE) {
		if (n > 0 && first->fields.n == 0) {
			tmpl_exec_fail(ex, first->pos, first->end,
			               "can't give argument to non-function %.*s",
			               first->end - first->pos, ex->t->src + first->pos);
			goto out;
		}
		rc = eval_arg(ex, first, dot, argv, n, out);
		goto out;
	}
	if (n > 0) {
		tmpl_exec_fail(ex, first->pos, first->end,
		               "can't give argument to non-function %.*s", first->end - first->pos,
		               ex->t->src + first->pos);
		goto out;
	}
	rc = eval_arg(ex, first, dot, NULL, 0, out);
out:
	free(argv);
	return rc;
}

static int eval_pipe(struct tmpl_exec *ex, const struct tmpl_pipe *pp, const cJSON *dot,
                     const cJSON **out)
{
	const cJSON *v = NULL;

	for (int i = 0; i < pp->ncmds; i++)
		if (eval_cmd(ex, pp->cmds[i], dot, v, i > 0, &v) < 0)
			return -1;
	for (int i = 0; i < pp->nvars; i++)
		var_push(ex, pp->vars[i], v);
	*out = v;
	return 0;
}

static int cmp_keys(const void *a, const void *b)
{
	return strcmp((*(cJSON *const *)a)->string, (*(cJSON *const *)b)->string);
}

static int walk(struct tmpl_exec *ex, const struct tmpl_node *n, const cJSON *dot);

static int walk_range(struct tmpl_exec *ex, const struct tmpl_node *n, const cJSON *dot)
{
	const struct tmpl_pipe *pp = n->pipe;
	size_t nvars = ex->nvars;
	const cJSON *v = NULL;
	cJSON **items = NULL;
	int count = 0, rc = 0;

	/* evaluate without declaring: range binds $i, $e per element */
	for (int i = 0; i < pp->ncmds; i++)
		if (eval_cmd(ex, pp->cmds[i], dot, i ? v : NULL, i > 0, &v) < 0)
			return -1;
	if (ex->header_mode) {
		if (pp->nvars)
			var_push(ex, pp->vars[pp->nvars - 1], v);
		rc = walk(ex, n->body, v);
		ex->nvars = nvars;
		return rc;
	}
	if (v && !cJSON_IsNull(v) && !cJSON_IsArray(v) && !cJSON_IsObject(v))
		return tmpl_exec_fail(ex, pp->cmds[0]->pos, pp->cmds[pp->ncmds - 1]->end,
		                      "range can't iterate over %s", tmpl_type_name(v));
	count = v ? cJSON_GetArraySize(v) : 0;
	if (count == 0 || cJSON_IsNull(v))
		return walk(ex, n->alt, dot);
	items = xcalloc(count, sizeof *items);
	{
		int i = 0;
		cJSON *it;

		cJSON_ArrayForEach (it, v)
			items[i++] = it;
	}
	if (cJSON_IsObject(v))
		qsort(items, count, sizeof *items, cmp_keys);
	for (int i = 0; i < count && rc == 0; i++) {
		if (pp->nvars == 2) {
			cJSON *k = cJSON_IsObject(v) ? cJSON_CreateString(items[i]->string)
			                             : cJSON_CreateNumber(i);

			var_push(ex, pp->vars[0], tmpl_keep(ex, k));
			var_push(ex, pp->vars[1], items[i]);
		} else if (pp->nvars == 1) {
			var_push(ex, pp->vars[0], items[i]);
		}
		rc = walk(ex, n->body, items[i]);
		ex->nvars = nvars;
	}
	free(items);
	return rc;
}

/* Execute a node list; variables declared in it go out of scope at its end. */
static int walk(struct tmpl_exec *ex, const struct tmpl_node *n, const cJSON *dot)
{
	size_t nvars = ex->nvars;
	int rc = 0;

	if (++ex->depth > MAX_DEPTH) {
		ex->depth--;
		return tmpl_exec_fail(ex, n ? n->pos : 0, n ? n->pos : 0,
		                      "exceeded maximum template depth");
	}
	for (; n && rc == 0; n = n->next) {
		const cJSON *v;

		switch (n->kind) {
		case NODE_TEXT:
			strbuf_add(ex->out, n->text, n->len);
			break;
		case NODE_ACTION:
			rc = eval_pipe(ex, n->pipe, dot, &v);
			if (rc == 0 && n->pipe->nvars == 0)
				tmpl_print_value(ex->out, v);
			break;
		case NODE_IF:
		case NODE_WITH: {
			size_t inner = ex->nvars;

			rc = eval_pipe(ex, n->pipe, dot, &v);
			if (rc < 0)
				break;
			if (tmpl_truth(v) || ex->header_mode)
				rc = walk(ex, n->body, n->kind == NODE_WITH ? v : dot);
			else
				rc = walk(ex, n->alt, dot);
			ex->nvars = inner;
			break;
		}
		case NODE_RANGE:
			rc = walk_range(ex, n, dot);
			break;
		}
	}
	ex->nvars = nvars;
	ex->depth--;
	return rc;
}

static int exec_common(struct tmpl_exec *ex, const cJSON *data)
{
	int rc;

	ex->arena = cJSON_CreateArray();
	var_push(ex, "$", data);
	rc = walk(ex, ex->t->root, data);
	cJSON_Delete(ex->arena);
	free(ex->vars);
	return rc;
}

int ctr_tmpl_exec(const struct ctr_tmpl *t, const cJSON *data, struct strbuf *out,
                  struct ctr_err *err)
{
	struct tmpl_exec ex = {.t = t, .out = out, .err = err};

	return exec_common(&ex, data);
}

int ctr_tmpl_exec_header(const struct ctr_tmpl *t, const struct ctr_tmpl_header *headers,
                         struct strbuf *out, struct ctr_err *err)
{
	struct tmpl_exec ex = {
	    .t = t, .out = out, .err = err, .headers = headers, .header_mode = true};

	return exec_common(&ex, NULL);
}

/* ======================================================================= */
/* Docker's format handling                                                 */
/* ======================================================================= */

bool ctr_tmpl_is_table(const char *format)
{
	while (format && *format == ' ')
		format++;
	return format && str_startswith(format, "table") &&
	       (format[5] == '\0' || isspace((unsigned char)format[5]));
}

/* Trim spaces, drop the "table" word, turn the text "\t" and "\n" into characters. */
static char *preformat(const char *format, bool table)
{
	struct strbuf sb;
	const char *s = format, *e;

	while (*s == ' ')
		s++;
	if (table)
		s += 5;
	while (*s == ' ')
		s++;
	e = s + strlen(s);
	while (e > s && e[-1] == ' ')
		e--;
	strbuf_init(&sb);
	for (; s < e; s++) {
		if (s[0] == '\\' && s + 1 < e && (s[1] == 't' || s[1] == 'n')) {
			strbuf_putc(&sb, s[1] == 't' ? '\t' : '\n');
			s++;
		} else {
			strbuf_putc(&sb, *s);
		}
	}
	return strbuf_detach(&sb);
}

int ctr_tmpl_render(const char *format, const struct ctr_tmpl_header *headers, const cJSON *rows,
                    struct strbuf *out, struct ctr_err *err)
{
	bool table = ctr_tmpl_is_table(format);
	cleanup_free char *text = preformat(format ? format : "", table);
	struct ctr_tmpl *t = NULL;
	struct strbuf buf;
	const cJSON *row;
	int rc = 0;

	if (ctr_tmpl_parse(text, &t, err) < 0)
		return -1;
	strbuf_init(&buf);
	if (table) {
		rc = ctr_tmpl_exec_header(t, headers, &buf, err);
		strbuf_putc(&buf, '\n');
	}
	if (rows && cJSON_IsArray(rows)) {
		cJSON_ArrayForEach (row, rows) {
			if (rc < 0)
				break;
			rc = ctr_tmpl_exec(t, row, &buf, err);
			strbuf_putc(&buf, '\n');
		}
	} else if (rows && rc == 0) {
		rc = ctr_tmpl_exec(t, rows, &buf, err);
		strbuf_putc(&buf, '\n');
	}
	if (rc == 0) {
		if (table)
			ctr_tabwrite(buf.buf, buf.len, 10, 3, out);
		else
			strbuf_add(out, buf.buf, buf.len);
	}
	strbuf_release(&buf);
	ctr_tmpl_free(t);
	return rc;
}
