/*
 * template_funcs.c - the value side of the template engine: printing values
 * the way Go's fmt %v does, truth, the function table (Go's builtins plus
 * Docker's json/join/split/title/lower/upper/truncate/pad), and a port of
 * the layout rules of Go's text/tabwriter used by `table` formats.
 */
#include "template_int.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void tmpl_err_oneline(struct ctr_err *err)
{
	if (!err)
		return;
	for (char *c = err->msg; *c; c++)
		if ((unsigned char)*c < 0x20)
			*c = ' ';
}

/* ---- printing ---------------------------------------------------------- */

void tmpl_print_number(struct strbuf *sb, double d)
{
	char buf[64];
	int prec, exp;
	char *e;

	if (isnan(d)) {
		strbuf_puts(sb, "NaN");
		return;
	}
	if (isinf(d)) {
		strbuf_puts(sb, d > 0 ? "+Inf" : "-Inf");
		return;
	}
	/* JSON lost Go's int types: integral values print as integers */
	if (d == floor(d) && fabs(d) < 9.2e18) {
		strbuf_printf(sb, "%lld", (long long)d);
		return;
	}
	/* shortest representation that reads back exactly, as strconv 'g' -1 */
	for (prec = 1; prec < 17; prec++) {
		snprintf(buf, sizeof buf, "%.*e", prec - 1, d);
		if (strtod(buf, NULL) == d)
			break;
	}
	snprintf(buf, sizeof buf, "%.*e", prec - 1, d);
	e = strchr(buf, 'e');
	if (!e || ctr_parse_int(e + 1, -400, 400, &exp) < 0)
		exp = 0;
	if (exp < -4 || exp >= 6) {   /* strconv "g" with shortest precision */
		strbuf_puts(sb, buf); /* C's "1.5e-05" is Go's form too */
		return;
	}
	strbuf_printf(sb, "%.*f", prec - 1 - exp > 0 ? prec - 1 - exp : 0, d);
}

static int cmp_child_keys(const void *a, const void *b)
{
	return strcmp((*(cJSON *const *)a)->string, (*(cJSON *const *)b)->string);
}

static void print_inner(struct strbuf *sb, const cJSON *v)
{
	const cJSON *it;

	if (!v || cJSON_IsNull(v)) {
		strbuf_puts(sb, "<nil>");
		return;
	}
	if (cJSON_IsArray(v)) {
		bool first = true;

		strbuf_putc(sb, '[');
		cJSON_ArrayForEach (it, v) {
			if (!first)
				strbuf_putc(sb, ' ');
			first = false;
			print_inner(sb, it);
		}
		strbuf_putc(sb, ']');
		return;
	}
	if (cJSON_IsObject(v)) {
		int n = cJSON_GetArraySize(v), i = 0;
		cJSON **kids = xcalloc(n + 1, sizeof *kids);

		cJSON_ArrayForEach (it, v)
			kids[i++] = (cJSON *)it;
		qsort(kids, n, sizeof *kids, cmp_child_keys); /* Go prints maps sorted */
		strbuf_puts(sb, "map[");
		for (i = 0; i < n; i++) {
			if (i)
				strbuf_putc(sb, ' ');
			strbuf_printf(sb, "%s:", kids[i]->string);
			print_inner(sb, kids[i]);
		}
		strbuf_putc(sb, ']');
		free(kids);
		return;
	}
	if (cJSON_IsString(v))
		strbuf_puts(sb, v->valuestring);
	else if (cJSON_IsNumber(v))
		tmpl_print_number(sb, v->valuedouble);
	else if (cJSON_IsBool(v))
		strbuf_puts(sb, cJSON_IsTrue(v) ? "true" : "false");
}

void tmpl_print_value(struct strbuf *sb, const cJSON *v)
{
	if (!v || cJSON_IsNull(v))
		strbuf_puts(sb, "<no value>");
	else
		print_inner(sb, v);
}

/* The printed form of v as a new heap string (strings as they are). */
static char *str_of(const cJSON *v)
{
	struct strbuf sb;

	if (cJSON_IsString(v))
		return xstrdup(v->valuestring);
	strbuf_init(&sb);
	print_inner(&sb, v);
	return strbuf_detach(&sb);
}

bool tmpl_truth(const cJSON *v)
{
	if (!v || cJSON_IsNull(v) || cJSON_IsFalse(v))
		return false;
	if (cJSON_IsNumber(v))
		return v->valuedouble != 0;
	if (cJSON_IsString(v))
		return v->valuestring[0] != '\0';
	if (cJSON_IsArray(v) || cJSON_IsObject(v))
		return v->child != NULL;
	return true;
}

const char *tmpl_type_name(const cJSON *v)
{
	if (!v || cJSON_IsNull(v))
		return "nil";
	if (cJSON_IsString(v))
		return "string";
	if (cJSON_IsNumber(v))
		return v->valuedouble == floor(v->valuedouble) ? "int" : "float64";
	if (cJSON_IsBool(v))
		return "bool";
	if (cJSON_IsArray(v))
		return "array";
	return "object";
}

void ctr_tmpl_json(const cJSON *v, struct strbuf *out)
{
	char *s;

	if (!v) {
		strbuf_puts(out, "null");
		return;
	}
	s = cJSON_PrintUnformatted(v);
	/* json.Marshal escapes HTML characters; they only occur inside strings */
	for (const char *c = s; c && *c; c++) {
		if (*c == '<')
			strbuf_puts(out, "\\u003c");
		else if (*c == '>')
			strbuf_puts(out, "\\u003e");
		else if (*c == '&')
			strbuf_puts(out, "\\u0026");
		else
			strbuf_putc(out, *c);
	}
	cJSON_free(s);
}

const char *tmpl_label_lookup(const cJSON *labels, const char *key, char **owned)
{
	const cJSON *v;
	size_t klen = strlen(key);

	*owned = NULL;
	if (cJSON_IsObject(labels)) {
		v = cJSON_GetObjectItemCaseSensitive(labels, key);
		if (cJSON_IsString(v))
			return v->valuestring;
		if (v && !cJSON_IsNull(v))
			return *owned = str_of(v);
		return "";
	}
	if (cJSON_IsString(labels)) {
		/* the "k=v,k2=v2" form of ps rows */
		for (const char *s = labels->valuestring; *s;) {
			const char *end = strchr(s, ',');

			if (!end)
				end = s + strlen(s);
			if ((size_t)(end - s) > klen && !strncmp(s, key, klen) && s[klen] == '=')
				return *owned = xstrndup(s + klen + 1, end - s - klen - 1);
			s = *end ? end + 1 : end;
		}
	}
	return "";
}

/* ---- functions --------------------------------------------------------- */

#define FN(name)                                                                                   \
	static int name(struct tmpl_exec *ex, const struct tmpl_arg *at, const cJSON **argv,       \
	                int argc, const cJSON **out)

static const cJSON *new_str(struct tmpl_exec *ex, const char *s)
{
	return tmpl_keep(ex, cJSON_CreateString(s));
}

static const cJSON *new_str_owned(struct tmpl_exec *ex, char *s)
{
	const cJSON *v = new_str(ex, s);

	free(s);
	return v;
}

static int want_int(struct tmpl_exec *ex, const struct tmpl_arg *at, const cJSON *v, long long *out)
{
	if (!cJSON_IsNumber(v) || v->valuedouble != floor(v->valuedouble))
		return tmpl_exec_fail(
		    ex, at->pos, at->end,
		    "error calling %s: wrong type for value; expected int; got %s", at->name,
		    tmpl_type_name(v));
	*out = (long long)v->valuedouble;
	return 0;
}

FN(fn_json)
{
	struct strbuf sb;

	strbuf_init(&sb);
	ctr_tmpl_json(argv[0], &sb);
	*out = new_str_owned(ex, strbuf_detach(&sb));
	return 0;
}

FN(fn_join)
{
	struct strbuf sb;
	cleanup_free char *sep = str_of(argv[1]);
	const cJSON *it;
	bool first = true;

	if (cJSON_IsString(argv[0]) || !argv[0] || cJSON_IsNull(argv[0])) {
		*out = argv[0] ? argv[0] : new_str(ex, "");
		return 0;
	}
	if (!cJSON_IsArray(argv[0]))
		return tmpl_exec_fail(
		    ex, at->pos, at->end,
		    "error calling join: wrong type for value; expected []string; got %s",
		    tmpl_type_name(argv[0]));
	strbuf_init(&sb);
	cJSON_ArrayForEach (it, argv[0]) {
		char *s = str_of(it);

		if (!first)
			strbuf_puts(&sb, sep);
		first = false;
		strbuf_puts(&sb, s);
		free(s);
	}
	*out = new_str_owned(ex, strbuf_detach(&sb));
	return 0;
}

FN(fn_split)
{
	cleanup_free char *s = str_of(argv[0]);
	cleanup_free char *sep = str_of(argv[1]);
	cJSON *arr = cJSON_CreateArray();
	size_t seplen = strlen(sep);
	const char *p = s;

	if (seplen == 0) {
		/* Go splits into UTF-8 sequences */
		while (*p) {
			size_t n = 1;

			while (((unsigned char)p[n] & 0xc0) == 0x80)
				n++;
			cJSON_AddItemToArray(arr, cJSON_CreateString(""));
			free(cJSON_GetArrayItem(arr, cJSON_GetArraySize(arr) - 1)->valuestring);
			cJSON_GetArrayItem(arr, cJSON_GetArraySize(arr) - 1)->valuestring =
			    xstrndup(p, n);
			p += n;
		}
	} else {
		for (;;) {
			const char *e = strstr(p, sep);
			char *part = xstrndup(p, e ? (size_t)(e - p) : strlen(p));

			cJSON_AddItemToArray(arr, cJSON_CreateString(part));
			free(part);
			if (!e)
				break;
			p = e + seplen;
		}
	}
	*out = tmpl_keep(ex, arr);
	return 0;
}

static int case_map(struct tmpl_exec *ex, const cJSON *v, int mode, const cJSON **out)
{
	char *s = str_of(v);
	bool boundary = true;

	for (char *c = s; *c; c++) {
		unsigned char u = (unsigned char)*c;

		if (mode == 0)
			*c = (char)toupper(u);
		else if (mode == 1)
			*c = (char)tolower(u);
		else {
			if (boundary && islower(u))
				*c = (char)toupper(u);
			boundary = !(isalnum(u) || u == '_' || u == '\'' || u >= 0x80);
		}
	}
	*out = new_str_owned(ex, s);
	return 0;
}

FN(fn_upper)
{
	return case_map(ex, argv[0], 0, out);
}
FN(fn_lower)
{
	return case_map(ex, argv[0], 1, out);
}
FN(fn_title)
{
	return case_map(ex, argv[0], 2, out);
}

FN(fn_len)
{
	const cJSON *v = argv[0];

	if (cJSON_IsString(v))
		*out = tmpl_keep(ex, cJSON_CreateNumber((double)strlen(v->valuestring)));
	else if (cJSON_IsArray(v) || cJSON_IsObject(v))
		*out = tmpl_keep(ex, cJSON_CreateNumber(cJSON_GetArraySize(v)));
	else if (!v || cJSON_IsNull(v))
		*out = tmpl_keep(ex, cJSON_CreateNumber(0));
	else
		return tmpl_exec_fail(ex, at->pos, at->end, "error calling len: len of type %s",
		                      tmpl_type_name(v));
	return 0;
}

FN(fn_truncate)
{
	cleanup_free char *s = str_of(argv[0]);
	long long n;
	size_t i = 0;

	if (want_int(ex, at, argv[1], &n) < 0)
		return -1;
	for (long long r = 0; s[i] && r < n; r++) {
		i++;
		while (((unsigned char)s[i] & 0xc0) == 0x80)
			i++;
	}
	s[i] = '\0';
	*out = new_str(ex, s);
	return 0;
}

FN(fn_pad)
{
	cleanup_free char *s = str_of(argv[0]);
	long long l, r;
	struct strbuf sb;

	if (want_int(ex, at, argv[1], &l) < 0 || want_int(ex, at, argv[2], &r) < 0)
		return -1;
	if (!*s) {
		*out = new_str(ex, "");
		return 0;
	}
	strbuf_init(&sb);
	for (long long i = 0; i < l && i < 4096; i++)
		strbuf_putc(&sb, ' ');
	strbuf_puts(&sb, s);
	for (long long i = 0; i < r && i < 4096; i++)
		strbuf_putc(&sb, ' ');
	*out = new_str_owned(ex, strbuf_detach(&sb));
	return 0;
}

FN(fn_index)
{
	const cJSON *v = argv[0];

	for (int i = 1; i < argc; i++) {
		const cJSON *k = argv[i];

		if (!v || cJSON_IsNull(v)) {
			v = NULL;
			break;
		}
		if (cJSON_IsArray(v)) {
			long long idx;

			if (!cJSON_IsNumber(k) || k->valuedouble != floor(k->valuedouble))
				return tmpl_exec_fail(
				    ex, at->pos, at->end,
				    "error calling index: cannot index slice/array with type %s",
				    tmpl_type_name(k));
			idx = (long long)k->valuedouble;
			if (idx < 0 || idx >= cJSON_GetArraySize(v))
				return tmpl_exec_fail(
				    ex, at->pos, at->end,
				    "error calling index: index out of range: %lld", idx);
			v = cJSON_GetArrayItem(v, (int)idx);
		} else if (cJSON_IsObject(v)) {
			cleanup_free char *key = str_of(k);

			v = cJSON_GetObjectItemCaseSensitive(v, key);
			if (!v)
				v = new_str(ex, ""); /* a missing map key is the zero value */
		} else {
			return tmpl_exec_fail(ex, at->pos, at->end,
			                      "error calling index: can't index item of type %s",
			                      tmpl_type_name(v));
		}
	}
	*out = v;
	return 0;
}

static void sprint(struct strbuf *sb, const cJSON **argv, int argc, bool ln)
{
	for (int i = 0; i < argc; i++) {
		/* Sprint: a space between operands when neither is a string */
		if (i > 0 && (ln || (!cJSON_IsString(argv[i - 1]) && !cJSON_IsString(argv[i]))))
			strbuf_putc(sb, ' ');
		print_inner(sb, argv[i]);
	}
	if (ln)
		strbuf_putc(sb, '\n');
}

FN(fn_print)
{
	struct strbuf sb;

	strbuf_init(&sb);
	sprint(&sb, argv, argc, false);
	*out = new_str_owned(ex, strbuf_detach(&sb));
	return 0;
}

FN(fn_println)
{
	struct strbuf sb;

	strbuf_init(&sb);
	sprint(&sb, argv, argc, true);
	*out = new_str_owned(ex, strbuf_detach(&sb));
	return 0;
}

/* printf with Go's common verbs: %v %s %d %f %e %g %x %X %q %t %c %%. */
FN(fn_printf)
{
	cleanup_free char *fmt = str_of(argv[0]);
	struct strbuf sb;
	int ai = 1;

	strbuf_init(&sb);
	for (const char *p = fmt; *p; p++) {
		char spec[64];
		size_t sl = 0;
		const cJSON *v;

		if (*p != '%') {
			strbuf_putc(&sb, *p);
			continue;
		}
		spec[sl++] = '%';
		p++;
		while (*p && strchr("-+# 0", *p) && sl < 20)
			spec[sl++] = *p++;
		while (isdigit((unsigned char)*p) && sl < 30)
			spec[sl++] = *p++;
		if (*p == '.') {
			spec[sl++] = *p++;
			while (isdigit((unsigned char)*p) && sl < 40)
				spec[sl++] = *p++;
		}
		if (!*p) {
			strbuf_puts(&sb, "%!(NOVERB)");
			break;
		}
		if (*p == '%') {
			strbuf_putc(&sb, '%');
			continue;
		}
		if (ai >= argc) {
			strbuf_printf(&sb, "%%!%c(MISSING)", *p);
			continue;
		}
		v = argv[ai++];
		spec[sl] = '\0';
		switch (*p) {
		case 'd':
		case 'c':
		case 'x':
		case 'X':
		case 'o':
			if (cJSON_IsNumber(v)) {
				spec[sl++] = 'l';
				spec[sl++] = 'l';
				spec[sl++] = *p == 'c' ? 'd' : *p;
				spec[sl] = '\0';
				if (*p == 'c') {
					char ch[2] = {(char)v->valuedouble, 0};

					strbuf_puts(&sb, ch);
				} else {
					strbuf_printf(&sb, spec, (long long)v->valuedouble);
				}
			} else if ((*p == 'x' || *p == 'X') && cJSON_IsString(v)) {
				for (const char *c = v->valuestring; *c; c++)
					strbuf_printf(&sb, *p == 'x' ? "%02x" : "%02X",
					              (unsigned char)*c);
			} else {
				cleanup_free char *s = str_of(v);

				strbuf_printf(&sb, "%%!%c(%s=%s)", *p, tmpl_type_name(v), s);
			}
			break;
		case 'f':
		case 'F':
		case 'e':
		case 'E':
		case 'g':
		case 'G':
			if (cJSON_IsNumber(v)) {
				spec[sl] = *p;
				spec[sl + 1] = '\0';
				strbuf_printf(&sb, spec, v->valuedouble);
			} else {
				cleanup_free char *s = str_of(v);

				strbuf_printf(&sb, "%%!%c(%s=%s)", *p, tmpl_type_name(v), s);
			}
			break;
		case 'q': {
			cleanup_free char *s = str_of(v);
			cJSON *tmp = cJSON_CreateString(s);
			struct strbuf q;

			strbuf_init(&q);
			ctr_tmpl_json(tmp, &q);
			cJSON_Delete(tmp);
			strcpy(spec + sl, "s");
			strbuf_printf(&sb, spec, q.buf);
			strbuf_release(&q);
			break;
		}
		case 's':
		case 'v':
		case 't': {
			cleanup_free char *s = str_of(v);

			strcpy(spec + sl, "s");
			strbuf_printf(&sb, spec, s);
			break;
		}
		default:
			strbuf_printf(&sb, "%%!%c(BADVERB)", *p);
		}
	}
	*out = new_str_owned(ex, strbuf_detach(&sb));
	return 0;
}

FN(fn_not)
{
	*out = tmpl_keep(ex, cJSON_CreateBool(!tmpl_truth(argv[0])));
	return 0;
}

FN(fn_and)
{
	for (int i = 0; i < argc; i++)
		if (!tmpl_truth(argv[i]) || i == argc - 1) {
			*out = argv[i];
			break;
		}
	return 0;
}

FN(fn_or)
{
	for (int i = 0; i < argc; i++)
		if (tmpl_truth(argv[i]) || i == argc - 1) {
			*out = argv[i];
			break;
		}
	return 0;
}

/* Compare two basic values: -2 on a type error, else <0, 0, >0. */
static int compare(struct tmpl_exec *ex, const struct tmpl_arg *at, const cJSON *a, const cJSON *b,
                   bool ordered, int *res)
{
	if (!(cJSON_IsNumber(a) || cJSON_IsString(a) || cJSON_IsBool(a)) ||
	    (ordered && cJSON_IsBool(a)))
		return tmpl_exec_fail(ex, at->pos, at->end,
		                      "error calling %s: invalid type for comparison", at->name);
	if ((a->type & 0xff) != (b ? (b->type & 0xff) : 0) && !(cJSON_IsBool(a) && cJSON_IsBool(b)))
		return tmpl_exec_fail(ex, at->pos, at->end,
		                      "error calling %s: incompatible types for comparison",
		                      at->name);
	if (cJSON_IsNumber(a))
		*res = a->valuedouble < b->valuedouble ? -1 : a->valuedouble > b->valuedouble;
	else if (cJSON_IsString(a))
		*res = strcmp(a->valuestring, b->valuestring);
	else
		*res = cJSON_IsTrue(a) != cJSON_IsTrue(b);
	return 0;
}

FN(fn_eq)
{
	bool eq = false;

	for (int i = 1; i < argc && !eq; i++) {
		int r;

		if (compare(ex, at, argv[0], argv[i], false, &r) < 0)
			return -1;
		eq = r == 0;
	}
	*out = tmpl_keep(ex, cJSON_CreateBool(eq));
	return 0;
}

static int ordered(struct tmpl_exec *ex, const struct tmpl_arg *at, const cJSON **argv,
                   const cJSON **out, int want)
{
	int r;
	bool res;

	if (compare(ex, at, argv[0], argv[1], want != 9, &r) < 0)
		return -1;
	switch (want) {
	case 0:
		res = r < 0;
		break; /* lt */
	case 1:
		res = r <= 0;
		break; /* le */
	case 2:
		res = r > 0;
		break; /* gt */
	case 3:
		res = r >= 0;
		break; /* ge */
	default:
		res = r != 0;
		break; /* ne */
	}
	*out = tmpl_keep(ex, cJSON_CreateBool(res));
	return 0;
}

FN(fn_ne)
{
	return ordered(ex, at, argv, out, 9);
}
FN(fn_lt)
{
	return ordered(ex, at, argv, out, 0);
}
FN(fn_le)
{
	return ordered(ex, at, argv, out, 1);
}
FN(fn_gt)
{
	return ordered(ex, at, argv, out, 2);
}
FN(fn_ge)
{
	return ordered(ex, at, argv, out, 3);
}

static const struct tmpl_func funcs[] = {
    {"json", 1, 1, fn_json, true},
    {"join", 2, 2, fn_join, true},
    {"split", 2, 2, fn_split, true},
    {"title", 1, 1, fn_title, true},
    {"lower", 1, 1, fn_lower, true},
    {"upper", 1, 1, fn_upper, true},
    {"truncate", 2, 2, fn_truncate, true},
    {"pad", 3, 3, fn_pad, true},
    {"index", 1, -1, fn_index, true},
    {"len", 1, 1, fn_len, true},
    {"print", 0, -1, fn_print, false},
    {"println", 0, -1, fn_println, false},
    {"printf", 1, -1, fn_printf, false},
    {"not", 1, 1, fn_not, false},
    {"and", 1, -1, fn_and, false},
    {"or", 1, -1, fn_or, false},
    {"eq", 2, -1, fn_eq, false},
    {"ne", 2, 2, fn_ne, false},
    {"lt", 2, 2, fn_lt, false},
    {"le", 2, 2, fn_le, false},
    {"gt", 2, 2, fn_gt, false},
    {"ge", 2, 2, fn_ge, false},
};

const struct tmpl_func *tmpl_func_find(const char *name)
{
	for (size_t i = 0; i < CTR_ARRAY_SIZE(funcs); i++)
		if (!strcmp(funcs[i].name, name))
			return &funcs[i];
	return NULL;
}

/* ---- tabwriter --------------------------------------------------------- */
/*
 * The layout rules of Go's text/tabwriter (flags 0, padchar ' '): a cell
 * is tab-terminated, the text after a line's last tab is not part of any
 * column; a column block is a run of consecutive lines that all have a
 * cell in that column; its width is the widest cell + padding, at least
 * minwidth.  Blocks nest left to right, hence the recursion.
 */
struct tw_cell {
	const char *text;
	int len, width;
};

struct tw_line {
	struct tw_cell *cells;
	int n;
};

struct tw {
	struct tw_line *lines;
	int nlines;
	int minwidth, padding;
	int *widths;
	struct strbuf *out;
};

static int utf8_width(const char *s, int len)
{
	int w = 0;

	for (int i = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			w++;
	return w;
}

static void tw_write_lines(struct tw *w, int line0, int line1, int nw)
{
	for (int i = line0; i < line1; i++) {
		const struct tw_line *l = &w->lines[i];

		for (int j = 0; j < l->n; j++) {
			const struct tw_cell *c = &l->cells[j];

			strbuf_add(w->out, c->text, c->len);
			if (j < nw)
				for (int k = c->width; k < w->widths[j]; k++)
					strbuf_putc(w->out, ' ');
		}
		if (i + 1 < w->nlines)
			strbuf_putc(w->out, '\n');
	}
}

static void tw_format(struct tw *w, int line0, int line1, int nw)
{
	int column = nw;
	int row;

	for (row = line0; row < line1; row++) {
		int width = w->minwidth;

		if (column >= w->lines[row].n - 1)
			continue;
		tw_write_lines(w, line0, row, nw);
		line0 = row;
		for (; row < line1; row++) {
			const struct tw_line *l = &w->lines[row];

			if (column >= l->n - 1)
				break;
			if (l->cells[column].width + w->padding > width)
				width = l->cells[column].width + w->padding;
		}
		w->widths[nw] = width;
		tw_format(w, line0, row, nw + 1);
		line0 = row;
	}
	tw_write_lines(w, line0, line1, nw);
}

void ctr_tabwrite(const char *text, size_t len, int minwidth, int padding, struct strbuf *out)
{
	struct tw w = {.minwidth = minwidth, .padding = padding, .out = out};
	const char *p = text, *end = text + len;
	int maxcells = 1;

	while (p <= end) {
		const char *nl = memchr(p, '\n', end - p);
		const char *le = nl ? nl : end;
		struct tw_line *l;

		if (!nl && p == end)
			break; /* text ended with a newline */
		w.lines = xrealloc(w.lines, (w.nlines + 1) * sizeof *w.lines);
		l = &w.lines[w.nlines++];
		l->cells = NULL;
		l->n = 0;
		for (const char *c = p;;) {
			const char *tab = memchr(c, '\t', le - c);
			const char *ce = tab ? tab : le;

			l->cells = xrealloc(l->cells, (l->n + 1) * sizeof *l->cells);
			l->cells[l->n].text = c;
			l->cells[l->n].len = (int)(ce - c);
			l->cells[l->n].width = utf8_width(c, (int)(ce - c));
			l->n++;
			if (!tab)
				break;
			c = tab + 1;
		}
		if (l->n > maxcells)
			maxcells = l->n;
		p = le + 1;
		if (!nl)
			break;
	}
	w.widths = xcalloc(maxcells + 1, sizeof *w.widths);
	tw_format(&w, 0, w.nlines, 0);
	/* every line but an unterminated last one ends with a newline */
	if (len > 0 && text[len - 1] == '\n')
		strbuf_putc(out, '\n');
	for (int i = 0; i < w.nlines; i++)
		free(w.lines[i].cells);
	free(w.lines);
	free(w.widths);
}
