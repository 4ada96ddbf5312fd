/*
 * template_parse.c - lexer and recursive-descent parser of the template
 * language (include/containr/template.h).  Text runs and {{actions}}
 * become a linked list of nodes; an action holds a pipeline of commands,
 * each a list of operands.  Every node keeps its byte offset so errors
 * read like Go's ("template: :1:2: ...").  Execution is in template.c.
 */
#include "template_int.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
/* ======================================================================= */
/* parser                                                                   */
/* ======================================================================= */

enum tok_kind {
	T_EOF,
	T_CLOSE, /* }} or -}} */
	T_DOT,
	T_FIELD,
	T_VAR,
	T_IDENT,
	T_STRING,
	T_NUMBER,
	T_PIPE,
	T_LPAREN,
	T_RPAREN,
	T_DECLARE,
	T_COMMA,
	T_BAD,
};

struct tok {
	enum tok_kind k;
	int pos, end;
	bool space; /* whitespace before the token */
	bool trim;  /* T_CLOSE: "-}}" */
	char *val;  /* owned: name or unquoted string */
	double num;
};

struct parser {
	const char *s;
	int len, i;
	struct ctr_err *err;
	bool failed;
	bool trim_next;   /* the last action ended with -}} */
	struct strv vars; /* variables in scope, for "undefined variable" */
};

static int perr(struct parser *p, int pos, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int perr(struct parser *p, int pos, const char *fmt, ...)
{
	char msg[512];
	int line = 1, col;
	int last_nl = -1;
	va_list ap;

	if (p->failed)
		return -1;
	p->failed = true;
	for (int i = 0; i < pos && i < p->len; i++)
		if (p->s[i] == '\n') {
			line++;
			last_nl = i;
		}
	col = last_nl < 0 ? pos : pos - last_nl - 1;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	ctr_fail(p->err, E_INVALID_ARG, "template: :%d:%d: %s", line, col, msg);
	tmpl_err_oneline(p->err);
	ctr_hint(p->err, "see docs/TEMPLATES.md for the --format language");
	return -1;
}

static void tok_release(struct tok *t)
{
	free(t->val);
	t->val = NULL;
}

static bool is_ident_char(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

/* Unquote a Go interpreted string starting at s[i] == '"'. */
static int lex_string(struct parser *p, struct tok *t)
{
	struct strbuf sb;
	int i = p->i + 1;

	strbuf_init(&sb);
	for (;;) {
		char c = i < p->len ? p->s[i] : '\0';

		if (c == '\0' || c == '\n') {
			strbuf_release(&sb);
			return perr(p, t->pos, "unterminated quoted string");
		}
		if (c == '"')
			break;
		if (c != '\\') {
			strbuf_putc(&sb, c);
			i++;
			continue;
		}
		c = i + 1 < p->len ? p->s[i + 1] : '\0';
		i += 2;
		switch (c) {
		case 'n':
			strbuf_putc(&sb, '\n');
			break;
		case 't':
			strbuf_putc(&sb, '\t');
			break;
		case 'r':
			strbuf_putc(&sb, '\r');
			break;
		case 'a':
			strbuf_putc(&sb, '\a');
			break;
		case 'b':
			strbuf_putc(&sb, '\b');
			break;
		case 'f':
			strbuf_putc(&sb, '\f');
			break;
		case 'v':
			strbuf_putc(&sb, '\v');
			break;
		case '\\':
			strbuf_putc(&sb, '\\');
			break;
		case '"':
			strbuf_putc(&sb, '"');
			break;
		case '\'':
			strbuf_putc(&sb, '\'');
			break;
		case 'x':
		case 'u':
		case 'U': {
			int n = c == 'x' ? 2 : c == 'u' ? 4 : 8;
			unsigned long cp;
			char hex[9];

			if (i + n > p->len || !str_is_hex(p->s + i, n)) {
				strbuf_release(&sb);
				return perr(p, t->pos, "invalid syntax in quoted string");
			}
			memcpy(hex, p->s + i, n);
			hex[n] = '\0';
			cp = strtoul(hex, NULL, 16);
			i += n;
			if (c == 'x' || cp < 0x80) {
				strbuf_putc(&sb, (char)cp);
			} else if (cp < 0x800) {
				strbuf_putc(&sb, (char)(0xc0 | (cp >> 6)));
				strbuf_putc(&sb, (char)(0x80 | (cp & 0x3f)));
			} else if (cp < 0x10000) {
				strbuf_putc(&sb, (char)(0xe0 | (cp >> 12)));
				strbuf_putc(&sb, (char)(0x80 | ((cp >> 6) & 0x3f)));
				strbuf_putc(&sb, (char)(0x80 | (cp & 0x3f)));
			} else {
				strbuf_putc(&sb, (char)(0xf0 | (cp >> 18)));
				strbuf_putc(&sb, (char)(0x80 | ((cp >> 12) & 0x3f)));
				strbuf_putc(&sb, (char)(0x80 | ((cp >> 6) & 0x3f)));
				strbuf_putc(&sb, (char)(0x80 | (cp & 0x3f)));
			}
			break;
		}
		default:
			strbuf_release(&sb);
			return perr(p, i - 2, "invalid escape \\%c in quoted string", c ? c : ' ');
		}
	}
	p->i = i + 1;
	t->k = T_STRING;
	t->val = strbuf_detach(&sb);
	return 0;
}

/* Next token inside an action; -1 on a lexical error (reported). */
static int lex(struct parser *p, struct tok *t)
{
	const char *s = p->s;
	int start = p->i;
	char c;

	memset(t, 0, sizeof *t);
	while (p->i < p->len && isspace((unsigned char)s[p->i]))
		p->i++;
	t->space = p->i > start;
	t->pos = p->i;
	if (p->i >= p->len) {
		t->k = T_EOF;
		return 0;
	}
	c = s[p->i];
	if (c == '}' && p->i + 1 < p->len && s[p->i + 1] == '}') {
		t->k = T_CLOSE;
		p->i += 2;
	} else if (c == '-' && t->space && p->i + 2 < p->len && s[p->i + 1] == '}' &&
	           s[p->i + 2] == '}') {
		t->k = T_CLOSE;
		t->trim = true;
		p->i += 3;
	} else if (c == '.' && p->i + 1 < p->len && is_ident_char(s[p->i + 1]) &&
	           !isdigit((unsigned char)s[p->i + 1])) {
		int j = p->i + 1;

		while (j < p->len && is_ident_char(s[j]))
			j++;
		t->k = T_FIELD;
		t->val = xstrndup(s + p->i + 1, j - p->i - 1);
		p->i = j;
	} else if (c == '.' && !(p->i + 1 < p->len && isdigit((unsigned char)s[p->i + 1]))) {
		t->k = T_DOT;
		p->i++;
	} else if (c == '$') {
		int j = p->i + 1;

		while (j < p->len && is_ident_char(s[j]))
			j++;
		t->k = T_VAR;
		t->val = xstrndup(s + p->i, j - p->i);
		p->i = j;
	} else if (isalpha((unsigned char)c) || c == '_') {
		int j = p->i;

		while (j < p->len && is_ident_char(s[j]))
			j++;
		t->k = T_IDENT;
		t->val = xstrndup(s + p->i, j - p->i);
		p->i = j;
	} else if (isdigit((unsigned char)c) || c == '.' ||
	           ((c == '-' || c == '+') && p->i + 1 < p->len &&
	            (isdigit((unsigned char)s[p->i + 1]) || s[p->i + 1] == '.'))) {
		int j = p->i + 1;
		cleanup_free char *numtxt = NULL;
		char *endp;

		while (j < p->len &&
		       (isalnum((unsigned char)s[j]) || s[j] == '.' || s[j] == '_' ||
		        ((s[j] == '+' || s[j] == '-') && (s[j - 1] == 'e' || s[j - 1] == 'E' ||
		                                          s[j - 1] == 'p' || s[j - 1] == 'P'))))
			j++;
		numtxt = xstrndup(s + p->i, j - p->i);
		t->num = strtod(numtxt, &endp);
		if (*endp != '\0' || endp == numtxt)
			return perr(p, t->pos, "bad number syntax: \"%s\"", numtxt);
		t->k = T_NUMBER;
		p->i = j;
	} else if (c == '"') {
		return lex_string(p, t);
	} else if (c == '`') {
		const char *e = memchr(s + p->i + 1, '`', p->len - p->i - 1);

		if (!e)
			return perr(p, t->pos, "unterminated raw quoted string");
		t->k = T_STRING;
		t->val = xstrndup(s + p->i + 1, e - s - p->i - 1);
		p->i = e - s + 1;
	} else if (c == '|') {
		t->k = T_PIPE;
		p->i++;
	} else if (c == '(') {
		t->k = T_LPAREN;
		p->i++;
	} else if (c == ')') {
		t->k = T_RPAREN;
		p->i++;
	} else if (c == ',') {
		t->k = T_COMMA;
		p->i++;
	} else if (c == ':' && p->i + 1 < p->len && s[p->i + 1] == '=') {
		t->k = T_DECLARE;
		p->i += 2;
	} else {
		t->k = T_BAD;
		p->i++;
	}
	t->end = p->i;
	return 0;
}

/* Peek at the next token kind without consuming it. */
static enum tok_kind peek(struct parser *p, bool *space)
{
	struct tok t;
	int save = p->i;
	bool failed = p->failed;
	struct ctr_err saved;

	if (p->err)
		saved = *p->err;
	if (lex(p, &t) < 0) {
		/* report lexical errors when the token is really consumed */
		p->failed = failed;
		if (p->err)
			*p->err = saved;
		t.k = T_BAD;
	}
	tok_release(&t);
	p->i = save;
	if (space)
		*space = t.space;
	return t.k;
}

static const char *tok_desc(const struct tok *t)
{
	switch (t->k) {
	case T_EOF:
		return "EOF";
	case T_CLOSE:
		return "\"}}\"";
	case T_PIPE:
		return "\"|\"";
	case T_LPAREN:
		return "\"(\"";
	case T_RPAREN:
		return "\")\"";
	case T_COMMA:
		return "\",\"";
	case T_DECLARE:
		return "\":=\"";
	default:
		return "token";
	}
}

/* ---- freeing ----------------------------------------------------------- */
static void pipe_free(struct tmpl_pipe *pp);

static void arg_free(struct tmpl_arg *a)
{
	if (!a)
		return;
	free(a->name);
	strv_release(&a->fields);
	pipe_free(a->pipe);
	free(a);
}

static void pipe_free(struct tmpl_pipe *pp)
{
	if (!pp)
		return;
	for (int i = 0; i < pp->ncmds; i++) {
		for (int j = 0; j < pp->cmds[i]->nargs; j++)
			arg_free(pp->cmds[i]->args[j]);
		free(pp->cmds[i]->args);
		free(pp->cmds[i]);
	}
	free(pp->cmds);
	free(pp->vars[0]);
	free(pp->vars[1]);
	free(pp);
}

static void nodes_free(struct tmpl_node *n)
{
	while (n) {
		struct tmpl_node *next = n->next;

		free(n->text);
		pipe_free(n->pipe);
		nodes_free(n->body);
		nodes_free(n->alt);
		free(n);
		n = next;
	}
}

void ctr_tmpl_free(struct ctr_tmpl *t)
{
	if (!t)
		return;
	nodes_free(t->root);
	free(t->src);
	free(t);
}

/* ---- operands, commands, pipelines ------------------------------------- */
static struct tmpl_pipe *parse_pipeline(struct parser *p, int pos, enum tok_kind close,
                                        bool allow_decl, struct tok *closing, int depth);

/* Field chain directly after an operand ("$x.A.B", "(…).A"). */
static void parse_chain(struct parser *p, struct tmpl_arg *a)
{
	bool space;

	while (peek(p, &space) == T_FIELD && !space) {
		struct tok t;

		lex(p, &t);
		strv_push_owned(&a->fields, t.val);
		a->end = t.end;
	}
}

static struct tmpl_arg *parse_operand(struct parser *p, struct tok *t, int depth)
{
	struct tmpl_arg *a = xcalloc(1, sizeof *a);

	strv_init(&a->fields);
	a->pos = t->pos;
	a->end = t->end;
	switch (t->k) {
	case T_DOT:
		a->kind = ARG_DOT;
		break;
	case T_FIELD:
		a->kind = ARG_FIELD;
		strv_push_owned(&a->fields, steal_pointer(&t->val));
		parse_chain(p, a);
		break;
	case T_VAR:
		a->kind = ARG_VAR;
		a->name = steal_pointer(&t->val);
		if (!strv_contains(&p->vars, a->name)) {
			perr(p, a->pos, "undefined variable \"%s\"", a->name);
			goto fail;
		}
		parse_chain(p, a);
		break;
	case T_IDENT:
		if (!strcmp(t->val, "true") || !strcmp(t->val, "false")) {
			a->kind = ARG_BOOL;
			a->b = t->val[0] == 't';
		} else if (!strcmp(t->val, "nil")) {
			a->kind = ARG_NIL;
		} else if (tmpl_func_find(t->val)) {
			a->kind = ARG_FUNC;
			a->name = steal_pointer(&t->val);
		} else {
			perr(p, a->pos, "function \"%s\" not defined", t->val);
			goto fail;
		}
		break;
	case T_STRING:
		a->kind = ARG_STRING;
		a->name = steal_pointer(&t->val);
		break;
	case T_NUMBER:
		a->kind = ARG_NUMBER;
		a->num = t->num;
		break;
	case T_LPAREN: {
		struct tok close;

		a->kind = ARG_PIPE;
		a->pipe = parse_pipeline(p, t->pos, T_RPAREN, false, &close, depth + 1);
		if (!a->pipe)
			goto fail;
		a->end = close.end;
		parse_chain(p, a);
		break;
	}
	default:
		if (t->k == T_BAD)
			perr(p, t->pos, "unexpected \"%c\" in command", p->s[t->pos]);
		else
			perr(p, t->pos, "unexpected %s in operand", tok_desc(t));
		goto fail;
	}
	return a;
fail:
	arg_free(a);
	return NULL;
}

/*
 * Parse a pipeline up to the `close` token (T_CLOSE or T_RPAREN), which is
 * consumed and returned in *closing.  Returns NULL on error (reported).
 */
static struct tmpl_pipe *parse_pipeline(struct parser *p, int pos, enum tok_kind close,
                                        bool allow_decl, struct tok *closing, int depth)
{
	struct tmpl_pipe *pp = xcalloc(1, sizeof *pp);
	struct tmpl_cmd *cmd = NULL;
	struct tok t = {0};

	pp->pos = pos;
	if (depth > MAX_DEPTH) {
		perr(p, pos, "template nested too deeply");
		goto fail;
	}
	/* $x := …   or   $i, $e := … */
	if (allow_decl && peek(p, NULL) == T_VAR) {
		int save = p->i;
		struct tok v1, v2 = {0}, op;

		lex(p, &v1);
		if (lex(p, &op) == 0 && op.k == T_DECLARE) {
			pp->vars[0] = steal_pointer(&v1.val);
			pp->nvars = 1;
		} else if (op.k == T_COMMA && lex(p, &v2) == 0 && v2.k == T_VAR) {
			struct tok op2;

			if (lex(p, &op2) < 0 || op2.k != T_DECLARE) {
				tok_release(&v1);
				tok_release(&v2);
				tok_release(&op2);
				perr(p, op2.pos, "expected \":=\" after variables");
				goto fail;
			}
			pp->vars[0] = steal_pointer(&v1.val);
			pp->vars[1] = steal_pointer(&v2.val);
			pp->nvars = 2;
		} else {
			tok_release(&v1);
			tok_release(&v2);
			tok_release(&op);
			p->i = save;
		}
	}
	for (;;) {
		struct tmpl_arg *a;

		if (lex(p, &t) < 0)
			goto fail;
		if (t.k == close || t.k == T_PIPE) {
			if (!cmd || cmd->nargs == 0) {
				perr(p, t.pos, "missing value for command");
				goto fail;
			}
			cmd = NULL;
			if (t.k == close)
				break;
			continue;
		}
		if (t.k == T_EOF) {
			perr(p, t.pos,
			     close == T_CLOSE ? "unclosed action" : "unclosed left paren");
			goto fail;
		}
		if (t.k == T_CLOSE || t.k == T_RPAREN) {
			perr(p, t.pos, "unexpected %s in operand", tok_desc(&t));
			goto fail;
		}
		if (!cmd) {
			cmd = xcalloc(1, sizeof *cmd);
			cmd->pos = t.pos;
			pp->cmds = xrealloc(pp->cmds, (pp->ncmds + 1) * sizeof *pp->cmds);
			pp->cmds[pp->ncmds++] = cmd;
		}
		a = parse_operand(p, &t, depth);
		tok_release(&t);
		if (!a)
			goto fail;
		cmd->args = xrealloc(cmd->args, (cmd->nargs + 1) * sizeof *cmd->args);
		cmd->args[cmd->nargs++] = a;
		cmd->end = a->end;
	}
	pp->end = t.pos;
	*closing = t;
	for (int i = 0; i < pp->nvars; i++)
		strv_push(&p->vars, pp->vars[i]);
	return pp;
fail:
	tok_release(&t);
	pipe_free(pp);
	return NULL;
}

/* ---- lists and control structures -------------------------------------- */
enum list_end { END_EOF, END_END, END_ELSE };

static int parse_list(struct parser *p, struct tmpl_node **head, enum list_end *how, int *endpos,
                      int depth);

static void append(struct tmpl_node ***tail, struct tmpl_node *n)
{
	**tail = n;
	*tail = &n->next;
}

/* Pop variables declared inside a control structure. */
static void vars_truncate(struct parser *p, size_t n)
{
	while (p->vars.n > n) {
		free(p->vars.v[--p->vars.n]);
		p->vars.v[p->vars.n] = NULL;
	}
}

/*
 * After "{{if", "{{range" or "{{with": parse the pipeline, the body, the
 * optional else branch (with "else if" chains) and the {{end}}.
 */
static struct tmpl_node *parse_control(struct parser *p, enum tmpl_node_kind kind, int pos,
                                       const char *word, int depth)
{
	struct tmpl_node *n = xcalloc(1, sizeof *n);
	size_t nvars = p->vars.n;
	enum list_end how;
	struct tok close;
	int endpos;

	n->kind = kind;
	n->pos = pos;
	if (depth > MAX_DEPTH) {
		perr(p, pos, "template nested too deeply");
		goto fail;
	}
	if (peek(p, NULL) == T_CLOSE) {
		perr(p, pos, "missing value for %s", word);
		goto fail;
	}
	n->pipe = parse_pipeline(p, pos, T_CLOSE, true, &close, depth);
	if (!n->pipe)
		goto fail;
	p->trim_next = close.trim;
	if (parse_list(p, &n->body, &how, &endpos, depth + 1) < 0)
		goto fail;
	if (how == END_EOF) {
		perr(p, endpos, "unexpected EOF");
		goto fail;
	}
	if (how == END_ELSE) {
		bool space;
		enum tok_kind k = peek(p, &space);

		if (k == T_IDENT && kind != NODE_RANGE) {
			int save = p->i;
			struct tok t;

			lex(p, &t);
			if (!strcmp(t.val, "if") || !strcmp(t.val, "with")) {
				/* {{else if …}}: a nested node that consumes the {{end}} */
				enum tmpl_node_kind k2 = t.val[0] == 'i' ? NODE_IF : NODE_WITH;

				n->alt = parse_control(p, k2, t.pos, t.val, depth + 1);
				tok_release(&t);
				if (!n->alt)
					goto fail;
				vars_truncate(p, nvars);
				return n;
			}
			tok_release(&t);
			p->i = save;
		}
		if (lex(p, &close) < 0)
			goto fail;
		if (close.k != T_CLOSE) {
			tok_release(&close);
			perr(p, close.pos, "unexpected %s in else", tok_desc(&close));
			goto fail;
		}
		p->trim_next = close.trim;
		if (parse_list(p, &n->alt, &how, &endpos, depth + 1) < 0)
			goto fail;
		if (how == END_EOF) {
			perr(p, endpos, "unexpected EOF");
			goto fail;
		}
		if (how == END_ELSE) {
			perr(p, endpos, "expected end; found {{else}}");
			goto fail;
		}
	}
	vars_truncate(p, nvars);
	return n;
fail:
	vars_truncate(p, nvars);
	nodes_free(n);
	return NULL;
}

/* Skip a comment action ("{{" slash-star … star-slash "}}"); p->i is at the slash. */
static int parse_comment(struct parser *p, int pos)
{
	const char *e = NULL;

	for (int j = p->i + 2; j + 1 < p->len; j++)
		if (p->s[j] == '*' && p->s[j + 1] == '/') {
			e = p->s + j;
			break;
		}
	if (!e)
		return perr(p, pos, "unclosed comment");
	p->i = e - p->s + 2;
	if (p->i + 2 <= p->len && !strncmp(p->s + p->i, "}}", 2)) {
		p->i += 2;
		return 0;
	}
	if (p->i + 4 <= p->len && !strncmp(p->s + p->i, " -}}", 4)) {
		p->i += 4;
		p->trim_next = true;
		return 0;
	}
	return perr(p, pos, "comment ends before closing delimiter");
}

/*
 * Parse text and actions until EOF, {{end}} or {{else}} (reported in *how;
 * *endpos is where it was found).  The {{end}}/{{else}} keyword is consumed
 * (for else, the rest of the action is left to the caller).
 */
static int parse_list(struct parser *p, struct tmpl_node **head, enum list_end *how, int *endpos,
                      int depth)
{
	struct tmpl_node **tail = head;
	size_t nvars = p->vars.n;

	for (;;) {
		const char *open = p->len > p->i ? strstr(p->s + p->i, "{{") : NULL;
		int text_end = open ? (int)(open - p->s) : p->len;
		int tstart = p->i, tend = text_end;
		int apos;
		struct tok t;

		if (p->trim_next)
			while (tstart < tend && isspace((unsigned char)p->s[tstart]))
				tstart++;
		p->trim_next = false;
		if (open && text_end + 3 < p->len && open[2] == '-' &&
		    isspace((unsigned char)open[3]))
			while (tend > tstart && isspace((unsigned char)p->s[tend - 1]))
				tend--;
		if (tend > tstart) {
			struct tmpl_node *n = xcalloc(1, sizeof *n);

			n->kind = NODE_TEXT;
			n->pos = tstart;
			n->text = xstrndup(p->s + tstart, tend - tstart);
			n->len = tend - tstart;
			append(&tail, n);
		}
		if (!open) {
			p->i = p->len;
			*how = END_EOF;
			*endpos = p->len;
			break;
		}
		apos = text_end;
		p->i = text_end + 2;
		if (p->i + 1 < p->len && p->s[p->i] == '-' &&
		    isspace((unsigned char)p->s[p->i + 1]))
			p->i += 2;
		if (p->i + 1 < p->len && p->s[p->i] == '/' && p->s[p->i + 1] == '*') {
			if (parse_comment(p, apos) < 0)
				return -1;
			continue;
		}
		if (peek(p, NULL) == T_IDENT) {
			int save = p->i;
			enum tmpl_node_kind kind = NODE_ACTION;

			lex(p, &t);
			if (!strcmp(t.val, "end") || !strcmp(t.val, "else")) {
				bool is_end = t.val[1] == 'n';

				tok_release(&t);
				*endpos = apos;
				*how = is_end ? END_END : END_ELSE;
				if (depth == 0) {
					return perr(p, apos, "unexpected {{%s}}",
					            is_end ? "end" : "else");
				}
				if (is_end) {
					if (lex(p, &t) < 0)
						return -1;
					tok_release(&t);
					if (t.k != T_CLOSE)
						return perr(p, t.pos, "unexpected %s in end",
						            tok_desc(&t));
					p->trim_next = t.trim;
				}
				vars_truncate(p, nvars);
				return 0;
			}
			if (!strcmp(t.val, "if"))
				kind = NODE_IF;
			else if (!strcmp(t.val, "range"))
				kind = NODE_RANGE;
			else if (!strcmp(t.val, "with"))
				kind = NODE_WITH;
			else if (!strcmp(t.val, "define") || !strcmp(t.val, "template") ||
			         !strcmp(t.val, "block") || !strcmp(t.val, "break") ||
			         !strcmp(t.val, "continue")) {
				perr(p, t.pos, "{{%s}} is not supported by containr templates",
				     t.val);
				tok_release(&t);
				return -1;
			}
			if (kind != NODE_ACTION) {
				struct tmpl_node *n = parse_control(p, kind, t.pos, t.val, depth);

				tok_release(&t);
				if (!n)
					return -1;
				append(&tail, n);
				continue;
			}
			tok_release(&t);
			p->i = save;
		}
		{
			struct tmpl_node *n = xcalloc(1, sizeof *n);
			struct tok close;

			n->kind = NODE_ACTION;
			n->pos = apos;
			append(&tail, n);
			n->pipe = parse_pipeline(p, p->i, T_CLOSE, true, &close, depth);
			if (!n->pipe)
				return -1;
			p->trim_next = close.trim;
		}
	}
	vars_truncate(p, nvars);
	return 0;
}

int ctr_tmpl_parse(const char *text, struct ctr_tmpl **out, struct ctr_err *err)
{
	struct ctr_tmpl *t = xcalloc(1, sizeof *t);
	struct parser p = {.err = err};
	enum list_end how;
	int endpos;

	t->src = xstrdup(text ? text : "");
	p.s = t->src;
	p.len = strlen(t->src);
	strv_init(&p.vars);
	strv_push(&p.vars, "$");
	if (parse_list(&p, &t->root, &how, &endpos, 0) < 0) {
		strv_release(&p.vars);
		ctr_tmpl_free(t);
		return -1;
	}
	strv_release(&p.vars);
	*out = t;
	return 0;
}
