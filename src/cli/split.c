/*
 * split.c - shell-like splitting of batch text into commands, and running a
 * script (containr -c "…", -f FILE, stdin, REPL lines).
 *
 * Quoting follows POSIX sh closely enough for command lines: '…' is
 * literal; "…" keeps \" \\ \$ \` and backslash-newline as escapes; a
 * backslash outside quotes escapes the next character; ';' and newlines end
 * a command; '#' at the start of a word starts a comment to end of line.
 * No variable expansion or globbing: the engine gets exactly the words the
 * user wrote.
 */
#include "cli/cli.h"

#include <stdlib.h>
#include <string.h>

void cli_script_free(struct cli_script *s)
{
	for (size_t i = 0; i < s->n; i++)
		strv_release(&s->cmds[i]);
	free(s->cmds);
	s->cmds = NULL;
	s->n = 0;
}

static void end_command(struct cli_script *out, struct strv *cur)
{
	if (cur->n == 0)
		return;
	out->cmds = xrealloc(out->cmds, (out->n + 1) * sizeof *out->cmds);
	out->cmds[out->n++] = *cur;
	strv_init(cur);
}

int cli_split(const char *text, struct cli_script *out, struct ctr_err *err)
{
	struct strv cur;
	struct strbuf word;
	bool in_word = false;
	int line = 1;
	const char *p = text;

	out->cmds = NULL;
	out->n = 0;
	strv_init(&cur);
	strbuf_init(&word);
	while (*p) {
		char c = *p;

		if (c == ' ' || c == '\t' || c == '\r') {
			if (in_word) {
				strv_push(&cur, word.buf);
				strbuf_reset(&word);
				in_word = false;
			}
			p++;
			continue;
		}
		if (c == '\n' || c == ';') {
			if (in_word) {
				strv_push(&cur, word.buf);
				strbuf_reset(&word);
				in_word = false;
			}
			end_command(out, &cur);
			if (c == '\n')
				line++;
			p++;
			continue;
		}
		if (c == '#' && !in_word) {
			while (*p && *p != '\n')
				p++;
			continue;
		}
		if (c == '\\') {
			if (p[1] == '\n') { /* line continuation */
				p += 2;
				line++;
				continue;
			}
			if (!p[1]) {
				p++;
				continue;
			}
			strbuf_putc(&word, p[1]);
			in_word = true;
			p += 2;
			continue;
		}
		if (c == '\'') {
			const char *end = strchr(p + 1, '\'');
			if (!end) {
				ctr_fail(err, E_USAGE, "unterminated single quote on line %d",
				         line);
				goto fail;
			}
			strbuf_add(&word, p + 1, (size_t)(end - p - 1));
			for (const char *q = p; q < end; q++)
				line += *q == '\n';
			in_word = true;
			p = end + 1;
			continue;
		}
		if (c == '"') {
			int start_line = line;
			p++;
			while (*p && *p != '"') {
				if (*p == '\\' &&
				    (p[1] == '"' || p[1] == '\\' || p[1] == '$' || p[1] == '`')) {
					strbuf_putc(&word, p[1]);
					p += 2;
					continue;
				}
				if (*p == '\\' && p[1] == '\n') {
					p += 2;
					line++;
					continue;
				}
				if (*p == '\n')
					line++;
				strbuf_putc(&word, *p++);
			}
			if (*p != '"') {
				ctr_fail(err, E_USAGE,
				         "unterminated double quote (opened on line %d)",
				         start_line);
				goto fail;
			}
			in_word = true;
			p++;
			continue;
		}
		strbuf_putc(&word, c);
		in_word = true;
		p++;
	}
	if (in_word)
		strv_push(&cur, word.buf);
	end_command(out, &cur);
	strv_release(&cur);
	strbuf_release(&word);
	return 0;
fail:
	ctr_hint(err, "close the quote, or escape it with a backslash");
	strv_release(&cur);
	strbuf_release(&word);
	cli_script_free(out);
	return -1;
}

int cli_run_script(struct cli_ctx *ctx, const char *text, bool keep_going)
{
	struct cli_script s;
	struct ctr_err err;
	int status = 0;

	ctr_err_clear(&err);
	if (cli_split(text, &s, &err) < 0) {
		cli_print_error(&err);
		return cli_exit_status(NULL, -1, &err);
	}
	for (size_t i = 0; i < s.n; i++) {
		int rc = cli_dispatch(ctx, (int)s.cmds[i].n, s.cmds[i].v);
		if (rc != 0) {
			status = rc;
			if (!keep_going)
				break;
		}
		if (ctx->interrupted)
			break;
	}
	cli_script_free(&s);
	return status;
}
