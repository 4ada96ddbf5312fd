/*
 * template_int.h - internals shared by template.c (parser, executor) and
 * template_funcs.c (value printing, the function table, tabwriter).
 * Not a public header: only the two template files include it.
 */
#ifndef CONTAINR_TEMPLATE_INT_H
#define CONTAINR_TEMPLATE_INT_H

#include "containr/template.h"

/* ---- syntax tree ------------------------------------------------------- */
enum tmpl_arg_kind {
	ARG_DOT,    /* .            (fields: a chain is not allowed after it) */
	ARG_FIELD,  /* .A.B         (fields = A, B) */
	ARG_VAR,    /* $x.A         (name = "$x", fields = A) */
	ARG_FUNC,   /* upper        (name = "upper") */
	ARG_STRING, /* "text"       (name = the unquoted text) */
	ARG_NUMBER, /* 12, 1.5 */
	ARG_BOOL,   /* true, false */
	ARG_NIL,    /* nil */
	ARG_PIPE,   /* (pipeline).A (pipe, fields = A) */
};

struct tmpl_pipe;

struct tmpl_arg {
	enum tmpl_arg_kind kind;
	int pos, end; /* byte span in the source, for error messages */
	char *name;
	struct strv fields;
	double num;
	bool b;
	struct tmpl_pipe *pipe;
};

struct tmpl_cmd {
	int pos, end;
	struct tmpl_arg **args;
	int nargs;
};

struct tmpl_pipe {
	int pos, end;
	char *vars[2]; /* declared variables ("$i", "$e"), or NULL */
	int nvars;
	struct tmpl_cmd **cmds;
	int ncmds;
};

enum tmpl_node_kind { NODE_TEXT, NODE_ACTION, NODE_IF, NODE_RANGE, NODE_WITH };

struct tmpl_node {
	enum tmpl_node_kind kind;
	int pos;
	char *text; /* NODE_TEXT */
	size_t len;
	struct tmpl_pipe *pipe;
	struct tmpl_node *body, *alt; /* if/range/with: then-list and else-list */
	struct tmpl_node *next;
};

struct ctr_tmpl {
	char *src;
	struct tmpl_node *root;
};

/* Nesting limit of the parser and the executor (stack safety). */
#define MAX_DEPTH 100

/* ---- execution state --------------------------------------------------- */
struct tmpl_var {
	const char *name;
	const cJSON *val;
};

struct tmpl_exec {
	const struct ctr_tmpl *t;
	struct strbuf *out;
	struct ctr_err *err;
	cJSON *arena; /* temporaries created while executing; deleted at the end */
	struct tmpl_var *vars;
	size_t nvars, capvars;
	const struct ctr_tmpl_header *headers;
	bool header_mode;
	int depth;
};

/* Keep a new temporary alive until the end of the execution; returns v. */
cJSON *tmpl_keep(struct tmpl_exec *ex, cJSON *v);
/* Fail with Go's exec error format, at the source span [pos, end). */
int tmpl_exec_fail(struct tmpl_exec *ex, int pos, int end, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Make an error message one line (source spans may hold newlines, tabs). */
void tmpl_err_oneline(struct ctr_err *err);

/* ---- values (template_funcs.c) ----------------------------------------- */
/* Append `v` as Go's %v prints it (NULL or JSON null: "<no value>"). */
void tmpl_print_value(struct strbuf *sb, const cJSON *v);
/* A number as Go's %v prints a float64, integers without ".0". */
void tmpl_print_number(struct strbuf *sb, double d);
/* Go's truth: false, 0, "", empty array/object, null and missing are false. */
bool tmpl_truth(const cJSON *v);
/* The JSON type of v in Go-ish words, for messages ("string", "object"...). */
const char *tmpl_type_name(const cJSON *v);

typedef int (*tmpl_fn)(struct tmpl_exec *ex, const struct tmpl_arg *at, const cJSON **argv,
                       int argc, const cJSON **out);
struct tmpl_func {
	const char *name;
	int min_args, max_args; /* max -1: any number */
	tmpl_fn fn;
	bool passthrough_header; /* in header mode, return the first argument */
};
/* Look up a function by name; NULL if there is none. */
const struct tmpl_func *tmpl_func_find(const char *name);
/* The value of `labels` (an object, or a "k=v,k2=v2" string) for `key`. */
const char *tmpl_label_lookup(const cJSON *labels, const char *key, char **owned);

#endif
