/*
 * template.h - a Go text/template subset over cJSON data, as Docker's
 * `--format` uses it (ps, images, inspect, stats, volume ls).
 *
 * Supported: {{.Field}}, {{.A.B}}, {{.}}, {{$}}, variables ($x := …,
 * {{range $i, $e := .List}}), pipelines (`.Names | upper`), parenthesised
 * calls, string/raw-string/number/bool literals, {{if}}/{{else if}}/{{else}}/
 * {{end}}, {{range}}…{{else}}…{{end}}, {{with}}, comment actions, trim
 * markers {{- -}}, the method-style {{.Label "key"}} (looks in .Labels), and
 * the functions json, join, split, index, len, upper, lower, title,
 * truncate, pad, print, println, printf, not, and, or, eq, ne, lt, le, gt,
 * ge.
 *
 * Values print as Go's fmt %v does: integers without ".0", arrays as
 * "[a b]", objects as "map[k:v]", a missing/null value as "<no value>".
 * A missing field whose name starts with an upper-case letter (a Go struct
 * field) is an error; a lower-case one (a map key) prints "<no value>".
 *
 * Errors are one line, in Go's words, with E_INVALID_ARG:
 *   template: :1:2: executing "" at <.Nope>: can't evaluate field Nope in type object
 *   template: :1:10: function "nope" not defined
 */
#ifndef CONTAINR_TEMPLATE_H
#define CONTAINR_TEMPLATE_H

#include <stdbool.h>
#include <stddef.h>
#include <cjson/cJSON.h>

#include "containr/error.h"
#include "containr/util.h"

struct ctr_tmpl; /* a parsed template (opaque) */

/*
 * Parse `text`.  On success *out is a new template the caller frees with
 * ctr_tmpl_free().  A syntax error returns -1 with E_INVALID_ARG and the
 * line:column in the message.
 */
int ctr_tmpl_parse(const char *text, struct ctr_tmpl **out, struct ctr_err *err);
void ctr_tmpl_free(struct ctr_tmpl *t);

/*
 * Execute `t` with dot = `data` (may be NULL), appending the output to
 * `out`.  On an execution error returns -1 (E_INVALID_ARG); `out` then
 * holds the partial output, as Go's does.
 */
int ctr_tmpl_exec(const struct ctr_tmpl *t, const cJSON *data, struct strbuf *out,
                  struct ctr_err *err);

/* Field -> column header ("ID" -> "CONTAINER ID"); arrays end with {NULL, NULL}. */
struct ctr_tmpl_header {
	const char *field;
	const char *header;
};

/*
 * Execute `t` in header mode, as Docker renders a table's first row: each
 * field evaluates to its header from `headers` (unknown fields: the last
 * field name upper-cased), functions pass their first argument through,
 * {{if}} takes its first branch and {{range}} runs its body once.
 */
int ctr_tmpl_exec_header(const struct ctr_tmpl *t, const struct ctr_tmpl_header *headers,
                         struct strbuf *out, struct ctr_err *err);

/*
 * Render `rows` (a cJSON array, or one object) with a Docker format string,
 * the way `docker ps --format` does:
 *   - surrounding spaces are trimmed and the two-character sequences "\t"
 *     and "\n" become a tab and a newline;
 *   - "table TEMPLATE": a header row (ctr_tmpl_exec_header) and one line per
 *     row, columns aligned by ctr_tabwrite() with Docker's settings;
 *   - otherwise: the template output of each row followed by a newline.
 * Appends to `out`.  Returns -1 with E_INVALID_ARG on a template error
 * (nothing is appended then).
 */
int ctr_tmpl_render(const char *format, const struct ctr_tmpl_header *headers, const cJSON *rows,
                    struct strbuf *out, struct ctr_err *err);

/* True if `format` (after leading spaces) starts with the word "table". */
bool ctr_tmpl_is_table(const char *format);

/*
 * Align tab-separated cells like Go's text/tabwriter does with Docker's
 * settings (minwidth, padding; padchar ' ', no flags): text is split into
 * lines, each tab ends a cell, a column's width is the widest cell of its
 * block of consecutive lines plus `padding`, at least `minwidth`.  Widths
 * count UTF-8 characters.  Appends the result to `out`.
 */
void ctr_tabwrite(const char *text, size_t len, int minwidth, int padding, struct strbuf *out);

/* Print a JSON value compactly, as Go's json.Marshal does (<>& escaped). */
void ctr_tmpl_json(const cJSON *v, struct strbuf *out);

#endif
