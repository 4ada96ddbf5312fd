/*
 * format.h - the CLI side of `--format`: one call prints a list (ps,
 * images, volume ls, stats) or a set of objects (inspect) the way Docker
 * does for every value of the flag.  The template language itself is the
 * engine's (include/containr/template.h).
 */
#ifndef CONTAINR_CLI_FORMAT_H
#define CONTAINR_CLI_FORMAT_H

#include "cli/cli.h"
#include "containr/template.h"

/*
 * Print `rows` (a cJSON array of objects, one per line of output) to
 * ctx->out according to `format`:
 *   NULL, "" or "table"  the command's default, `def_table` (a "table …"
 *                        template, e.g. "table {{.ID}}\t{{.Names}}")
 *   "json"               each row as compact JSON, one per line
 *   "table TEMPLATE"     a header row from `headers`, then aligned rows
 *   "TEMPLATE"           the template output of each row, one per line
 * Nothing is printed when the template fails; returns -1 with the
 * template error (E_INVALID_ARG) in `err`, else 0.
 */
int cli_format_list(struct cli_ctx *ctx, const char *format, const char *def_table,
                    const struct ctr_tmpl_header *headers, const cJSON *rows, struct ctr_err *err);

/*
 * Print `objs` (a cJSON array of objects, or one object) as `inspect` does: with no
 * format (or "json") the whole array indented by 4 spaces like Docker's
 * JSON; otherwise each object through the template, one per line.
 */
int cli_format_inspect(struct cli_ctx *ctx, const char *format, const cJSON *objs,
                       struct ctr_err *err);

/* Append `v` as indented JSON the way Go's json.MarshalIndent(v, "", "    ") does. */
void cli_json_indent(const cJSON *v, struct strbuf *out);

#endif
