/*
 * prompt.c - the bottom line: status messages, the ':' command prompt
 * (with Tab completion from cli_complete() and history), the filter and
 * search prompts, and y/N confirmations of destructive actions.
 */
#include <curses.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "containr/util.h"
#include "ui.h"

void ui_status(struct ui *ui, bool error, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(ui->status, sizeof ui->status, fmt, ap);
	va_end(ap);
	/* One line only: a multi-line error shows its first line. */
	char *nl = strchr(ui->status, '\n');
	if (nl)
		*nl = '\0';
	ui->status_err = error;
}

void ui_prompt_open(struct ui *ui, enum ui_prompt_kind kind, const char *initial)
{
	ui->prompt = kind;
	snprintf(ui->pbuf, sizeof ui->pbuf, "%s", initial ? initial : "");
	ui->plen = strlen(ui->pbuf);
	ui->hist_pos = ui->history.n;
	curs_set(1);
}

void ui_confirm(struct ui *ui, const char *cmdline, const char *fmt, ...)
{
	va_list ap;
	free(ui->confirm_cmd);
	ui->confirm_cmd = xstrdup(cmdline);
	va_start(ap, fmt);
	vsnprintf(ui->pbuf, sizeof ui->pbuf, fmt, ap);
	va_end(ap);
	ui->plen = strlen(ui->pbuf);
	ui->prompt = UI_PROMPT_CONFIRM;
}

static void close_prompt(struct ui *ui)
{
	ui->prompt = UI_PROMPT_NONE;
	curs_set(0);
}

/* The panel that receives filter/search text: the overlay or the view. */
static struct panel *input_panel(struct ui *ui)
{
	return ui_top(ui);
}

static void complete(struct ui *ui)
{
	struct cli_script s;
	struct ctr_err err;
	struct strv cands;
	bool at_new_word = ui->plen == 0 || ui->pbuf[ui->plen - 1] == ' ';

	if (cli_split(ui->pbuf, &s, &err) < 0)
		return;
	/* Complete only the last command of a "a; b" line. */
	struct strv words;
	strv_init(&words);
	if (s.n > 0 && !(ui->plen && ui->pbuf[ui->plen - 1] == ';'))
		for (size_t i = 0; i < s.cmds[s.n - 1].n; i++)
			strv_push(&words, s.cmds[s.n - 1].v[i]);
	if (at_new_word)
		strv_push(&words, "");
	cli_script_free(&s);
	if (words.n == 0)
		strv_push(&words, "");
	strv_init(&cands);
	cli_complete(ui->ctx, (int)words.n, words.v, (int)words.n - 1, &cands);
	const char *partial = words.v[words.n - 1];
	size_t plen = strlen(partial);
	if (cands.n == 0) {
		ui_status(ui, false, "no completion");
	} else {
		/* Longest common prefix of the candidates. */
		size_t common = strlen(cands.v[0]);
		for (size_t i = 1; i < cands.n; i++) {
			size_t k = 0;
			while (k < common && cands.v[i][k] == cands.v[0][k])
				k++;
			common = k;
		}
		if (common > plen && ui->plen + (common - plen) + 2 < sizeof ui->pbuf) {
			memcpy(ui->pbuf + ui->plen, cands.v[0] + plen, common - plen);
			ui->plen += common - plen;
		}
		if (cands.n == 1 && ui->plen + 1 < sizeof ui->pbuf)
			ui->pbuf[ui->plen++] = ' ';
		ui->pbuf[ui->plen] = '\0';
		if (cands.n > 1) {
			struct strbuf sb;
			strbuf_init(&sb);
			for (size_t i = 0; i < cands.n && sb.len < 300; i++)
				strbuf_printf(&sb, "%s ", cands.v[i]);
			ui_status(ui, false, "%s", sb.buf);
			strbuf_release(&sb);
		} else {
			ui->status[0] = '\0';
		}
	}
	strv_release(&cands);
	strv_release(&words);
}

static int run_command(struct ui *ui)
{
	char *line = xstrdup(ui->pbuf);
	int r = UI_REDRAW | UI_RESCAN;

	close_prompt(ui);
	if (!*line) {
		free(line);
		return UI_REDRAW;
	}
	if (!ui->history.n || strcmp(ui->history.v[ui->history.n - 1], line))
		strv_push(&ui->history, line);
	if (!strcmp(line, "q") || !strcmp(line, "quit") || !strcmp(line, "exit")) {
		free(line);
		return UI_QUIT;
	}
	if (ui->opts.read_only && !ui_cli_read_only_ok(line)) {
		ui_status(ui, true, "read-only dashboard: \"%s\" would change something", line);
		free(line);
		return UI_REDRAW;
	}
	ui_job_start(ui, line, true);
	free(line);
	return r;
}

int ui_prompt_key(struct ui *ui, int key)
{
	struct panel *p = input_panel(ui);
	enum ui_prompt_kind kind = ui->prompt;

	if (kind == UI_PROMPT_CONFIRM) {
		cleanup_free char *cmd = steal_pointer(&ui->confirm_cmd);
		close_prompt(ui);
		if (key == 'y' || key == 'Y') {
			ui_job_start(ui, cmd, false);
			for (size_t i = 0; i < ui->model.nc; i++)
				ui->model.c[i]->marked = false;
			for (size_t i = 0; i < ui->model.nimg; i++)
				ui->model.img[i]->marked = false;
			for (size_t i = 0; i < ui->model.nvol; i++)
				ui->model.vol[i]->marked = false;
			return UI_REDRAW | UI_RESCAN;
		}
		ui_status(ui, false, "cancelled");
		return UI_REDRAW;
	}
	switch (key) {
	case 27: /* Esc */
		close_prompt(ui);
		return UI_REDRAW;
	case '\n':
		if (kind == UI_PROMPT_COMMAND)
			return run_command(ui);
		close_prompt(ui);
		if (p && p->cls->input)
			return p->cls->input(p, ui, kind, ui->pbuf);
		return UI_REDRAW;
	case '\t':
		if (kind == UI_PROMPT_COMMAND)
			complete(ui);
		return UI_REDRAW;
	case KEY_BACKSPACE:
		if (ui->plen == 0) {
			close_prompt(ui);
			return UI_REDRAW;
		}
		/* Remove one UTF-8 character. */
		do
			ui->plen--;
		while (ui->plen > 0 && ((unsigned char)ui->pbuf[ui->plen] & 0xc0) == 0x80);
		ui->pbuf[ui->plen] = '\0';
		break;
	case 21: /* C-u */
		ui->plen = 0;
		ui->pbuf[0] = '\0';
		break;
	case 23: /* C-w */
		while (ui->plen > 0 && ui->pbuf[ui->plen - 1] == ' ')
			ui->plen--;
		while (ui->plen > 0 && ui->pbuf[ui->plen - 1] != ' ')
			ui->plen--;
		ui->pbuf[ui->plen] = '\0';
		break;
	case KEY_UP:
	case KEY_DOWN:
		if (kind != UI_PROMPT_COMMAND || !ui->history.n)
			return UI_NOTHING;
		if (key == KEY_UP && ui->hist_pos > 0)
			ui->hist_pos--;
		else if (key == KEY_DOWN && ui->hist_pos < ui->history.n)
			ui->hist_pos++;
		snprintf(ui->pbuf, sizeof ui->pbuf, "%s",
		         ui->hist_pos < ui->history.n ? ui->history.v[ui->hist_pos] : "");
		ui->plen = strlen(ui->pbuf);
		return UI_REDRAW;
	default:
		if (key < 32 || key > 255 || key == 127)
			return UI_NOTHING;
		if (ui->plen + 2 >= sizeof ui->pbuf)
			return UI_NOTHING;
		ui->pbuf[ui->plen++] = (char)key;
		ui->pbuf[ui->plen] = '\0';
	}
	/* The filter applies as you type, like htop's. */
	if (kind == UI_PROMPT_FILTER && p && p->cls->input)
		p->cls->input(p, ui, kind, ui->pbuf);
	return UI_REDRAW;
}
