/*
 * help.c - everything generated from the command table: `containr help`,
 * `containr CMD --help`, completion candidates (REPL Tab and the bash, zsh
 * and fish completion scripts, which call `containr __complete`), and the
 * man page.  Help tables pad by display width (cli_print_padded).
 */
#include "cli/cli.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "containr/image.h"
#include "containr/log.h"

static const char *const groups[] = {"Containers", "Images",    "Volumes",
                                     "Networks",   "Dashboard", "General"};

size_t cli_display_width(const char *s)
{
	size_t w = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xc0) != 0x80) /* not a continuation byte */
			w++;
	return w;
}

void cli_print_padded(FILE *f, const char *s, size_t width)
{
	size_t w = cli_display_width(s);

	fputs(s, f);
	for (; w < width; w++)
		fputc(' ', f);
}

/* One help row: "  LEFT  HELP" with LEFT padded to `width` columns. */
static void help_row(FILE *f, const char *left, size_t width, const char *gap, const char *help)
{
	fputs("  ", f);
	cli_print_padded(f, left, width);
	fputs(gap, f);
	fputs(help, f);
}

static bool visible(const struct cli_command *c)
{
	return !(c->opts & CLI_HIDDEN_CMD);
}

void cli_help_overview(FILE *f)
{
	const struct cli_command *const *all = cli_commands();

	fprintf(f, "Usage:  containr [OPTIONS] COMMAND [ARG...]\n"
	           "        containr [OPTIONS] -c \"CMD; CMD...\" | -f FILE\n"
	           "        containr            (interactive prompt on a terminal)\n\n"
	           "A daemonless, Docker-compatible container engine.\n");
	for (size_t g = 0; g < CTR_ARRAY_SIZE(groups); g++) {
		bool header = false;
		for (size_t i = 0; all[i]; i++) {
			const char *grp = all[i]->group ? all[i]->group : "General";
			if (!visible(all[i]) || strcmp(grp, groups[g]) != 0)
				continue;
			if (!header) {
				fprintf(f, "\n%s commands:\n", groups[g]);
				header = true;
			}
			help_row(f, all[i]->name, 12, " ", all[i]->summary);
			fputc('\n', f);
		}
	}
	fprintf(f, "\nGlobal options:\n");
	size_t w = 0;
	char left[64];
	for (const struct cli_global_opt *o = cli_global_opts; o->help; o++) {
		cli_global_opt_left(left, sizeof left, o, true);
		if (cli_display_width(left) > w)
			w = cli_display_width(left);
	}
	for (const struct cli_global_opt *o = cli_global_opts; o->help; o++) {
		cli_global_opt_left(left, sizeof left, o, true);
		help_row(f, left, w, "   ", o->help);
		fputc('\n', f);
	}
	fprintf(f, "\nRun 'containr COMMAND --help' for more information on a command.\n");
}

static const char *type_word(const struct cli_flag *fl)
{
	if (fl->metavar)
		return fl->metavar;
	switch (fl->type) {
	case CLI_BOOL:
		return "";
	case CLI_STRING:
		return (fl->opts & CLI_REPEAT) ? "list" : "string";
	case CLI_INT:
		return "int";
	case CLI_FLOAT:
		return "decimal";
	case CLI_SIZE:
		return "bytes";
	case CLI_DURATION:
		return "duration";
	}
	return "";
}

static void flag_left(char *buf, size_t len, const struct cli_flag *fl)
{
	const char *t = type_word(fl);

	if (fl->shortname)
		snprintf(buf, len, "-%c, --%s%s%s", fl->shortname, fl->name, *t ? " " : "", t);
	else
		snprintf(buf, len, "    --%s%s%s", fl->name, *t ? " " : "", t);
}

void cli_help_command(FILE *f, const struct cli_command *cmd, const char *path)
{
	fprintf(f, "Usage:  containr %s %s\n\n%s\n", path, cmd->usage ? cmd->usage : "",
	        cmd->summary);
	if (cmd->description)
		fprintf(f, "\n%s\n", cmd->description);
	if (cmd->aliases && cmd->aliases[0]) {
		fprintf(f, "\nAliases:\n  %s", cmd->name);
		for (size_t i = 0; cmd->aliases[i]; i++)
			fprintf(f, ", %s", cmd->aliases[i]);
		fputc('\n', f);
	}
	if (cmd->subcommands) {
		fprintf(f, "\nCommands:\n");
		for (size_t i = 0; cmd->subcommands[i]; i++)
			if (visible(cmd->subcommands[i])) {
				help_row(f, cmd->subcommands[i]->name, 12, " ",
				         cmd->subcommands[i]->summary);
				fputc('\n', f);
			}
	}
	if (cmd->flags && cmd->flags[0].name) {
		size_t w = 0;
		char left[96];
		for (size_t i = 0; cmd->flags[i].name; i++) {
			if (cmd->flags[i].opts & CLI_HIDDEN)
				continue;
			flag_left(left, sizeof left, &cmd->flags[i]);
			if (cli_display_width(left) > w)
				w = cli_display_width(left);
		}
		fprintf(f, "\nOptions:\n");
		for (size_t i = 0; cmd->flags[i].name; i++) {
			const struct cli_flag *fl = &cmd->flags[i];
			if (fl->opts & CLI_HIDDEN)
				continue;
			flag_left(left, sizeof left, fl);
			help_row(f, left, w, "   ", fl->help ? fl->help : "");
			if (fl->def && fl->type != CLI_BOOL && *fl->def)
				fprintf(f, " (default %s)", fl->def);
			fputc('\n', f);
		}
	}
	if (cmd->subcommands)
		fprintf(f,
		        "\nRun 'containr %s COMMAND --help' for more information on a command.\n",
		        path);
}

/* ---- completion -------------------------------------------------------- */

static void add_if_prefix(struct strv *out, const char *cand, const char *prefix)
{
	if (str_startswith(cand, prefix) && !strv_contains(out, cand))
		strv_push(out, cand);
}

static void complete_containers(struct cli_ctx *ctx, bool running_only, const char *prefix,
                                struct strv *out)
{
	struct ctr_store *st;
	struct ctr_err err;
	struct strv ids;

	ctr_err_clear(&err);
	if (cli_store(ctx, &st, &err) < 0 || ctr_store_list(st, CTR_KIND_CONTAINER, &ids, &err) < 0)
		return;
	for (size_t i = 0; i < ids.n; i++) {
		if (running_only) {
			cleanup_free char *sp =
			    ctr_store_obj_path(st, CTR_KIND_CONTAINER, ids.v[i], "state.json");
			cJSON *state = NULL;
			struct ctr_err e2;
			if (ctr_json_load(sp, &state, &e2) < 0)
				continue;
			const cJSON *s = cJSON_GetObjectItemCaseSensitive(state, "Status");
			bool up = cJSON_IsString(s) && (!strcmp(s->valuestring, "running") ||
			                                !strcmp(s->valuestring, "paused"));
			cJSON_Delete(state);
			if (!up)
				continue;
		}
		cleanup_free char *name = ctr_store_name_of(st, CTR_KIND_CONTAINER, ids.v[i]);
		char shortid[13];
		snprintf(shortid, sizeof shortid, "%.12s", ids.v[i]);
		if (name)
			add_if_prefix(out, name, prefix);
		if (*prefix)
			add_if_prefix(out, shortid, prefix);
	}
	strv_release(&ids);
}

static void complete_dir_entries(const char *dir, const char *prefix, struct strv *out)
{
	DIR *d = opendir(dir);
	struct dirent *de;

	if (!d)
		return;
	while ((de = readdir(d)))
		if (de->d_name[0] != '.')
			add_if_prefix(out, de->d_name, prefix);
	closedir(d);
}

static void complete_images(struct cli_ctx *ctx, const char *prefix, struct strv *out)
{
	struct ctr_store *st;
	struct ctr_err err;
	cJSON *idx = NULL;
	const cJSON *e;

	ctr_err_clear(&err);
	if (cli_store(ctx, &st, &err) < 0 || ctr_image_index_load(st, &idx, &err) < 0)
		return;
	cJSON_ArrayForEach (e, cJSON_GetObjectItemCaseSensitive(idx, "refs")) {
		const cJSON *disp = cJSON_GetObjectItemCaseSensitive(e, "display");
		if (cJSON_IsString(disp))
			add_if_prefix(out, disp->valuestring, prefix);
	}
	cJSON_Delete(idx);
}

void cli_complete_kind(struct cli_ctx *ctx, enum cli_complete kind, const char *choices,
                       const char *prefix, struct strv *out)
{
	static const char *const signals[] = {"SIGTERM", "SIGKILL", "SIGINT",  "SIGHUP",  "SIGQUIT",
	                                      "SIGUSR1", "SIGUSR2", "SIGSTOP", "SIGCONT", NULL};
	const struct cli_command *const *all;

	switch (kind) {
	case COMP_NONE:
	case COMP_FILE:
		return;
	case COMP_CONTAINER:
	case COMP_CONTAINER_UP:
		complete_containers(ctx, kind == COMP_CONTAINER_UP, prefix, out);
		return;
	case COMP_IMAGE:
		complete_images(ctx, prefix, out);
		return;
	case COMP_VOLUME: {
		struct ctr_store *st;
		struct ctr_err err;
		ctr_err_clear(&err);
		if (cli_store(ctx, &st, &err) == 0) {
			cleanup_free char *dir = ctr_store_path(st, "volumes");
			complete_dir_entries(dir, prefix, out);
		}
		return;
	}
	case COMP_COMMAND:
		all = cli_commands();
		for (size_t i = 0; all[i]; i++)
			if (visible(all[i]))
				add_if_prefix(out, all[i]->name, prefix);
		return;
	case COMP_SIGNAL:
		for (size_t i = 0; signals[i]; i++)
			add_if_prefix(out, signals[i], prefix);
		return;
	case COMP_CHOICES:
		if (choices) {
			cleanup_free char *copy = xstrdup(choices);
			char *save = NULL;
			for (char *t = strtok_r(copy, "|", &save); t;
			     t = strtok_r(NULL, "|", &save))
				add_if_prefix(out, t, prefix);
		}
		return;
	}
}

static const struct cli_flag *flag_for_word(const struct cli_command *cmd, const char *w)
{
	if (!cmd->flags || w[0] != '-' || strchr(w, '='))
		return NULL;
	for (size_t i = 0; cmd->flags[i].name; i++) {
		const struct cli_flag *fl = &cmd->flags[i];
		if (w[1] == '-' && strcmp(w + 2, fl->name) == 0)
			return fl;
		/* -n: the last letter of a short group takes the value */
		if (w[1] != '-' && w[1] && fl->shortname == w[strlen(w) - 1])
			return fl;
	}
	return NULL;
}

void cli_complete(struct cli_ctx *ctx, int nwords, char **words, int cword, struct strv *out)
{
	const char *cur = cword < nwords && words[cword] ? words[cword] : "";
	const struct cli_command *cmd;
	int i = 1, npos = 0;

	if (cword == 0) {
		cli_complete_kind(ctx, COMP_COMMAND, NULL, cur, out);
		strv_sort(out);
		return;
	}
	cmd = cli_find(NULL, words[0]);
	if (!cmd)
		return;
	/* Descend into subcommands. */
	while (cmd->subcommands && i < cword && words[i][0] != '-') {
		const struct cli_command *sub = cli_find(cmd->subcommands, words[i]);
		if (!sub)
			break;
		cmd = sub;
		i++;
	}
	if (cmd->subcommands && i == cword && cur[0] != '-') {
		for (size_t k = 0; cmd->subcommands[k]; k++)
			if (visible(cmd->subcommands[k]))
				add_if_prefix(out, cmd->subcommands[k]->name, cur);
		strv_sort(out);
		return;
	}
	/* Walk the words before the cursor: flag values and positionals. */
	bool only_pos = false;
	for (; i < cword; i++) {
		const char *w = words[i];
		if (!only_pos && strcmp(w, "--") == 0) {
			only_pos = true;
			continue;
		}
		if (!only_pos && w[0] == '-' && w[1]) {
			const struct cli_flag *fl = flag_for_word(cmd, w);
			if (fl && fl->type != CLI_BOOL)
				i++; /* skip its value */
			continue;
		}
		npos++;
		if (cmd->opts & CLI_TRAILING)
			only_pos = true;
	}
	/* Value of a flag? */
	if (cword >= 1 && !(only_pos && npos > 0)) {
		const struct cli_flag *fl = flag_for_word(cmd, words[cword - 1]);
		bool prev_is_value_flag = fl && fl->type != CLI_BOOL;
		if (prev_is_value_flag) {
			cli_complete_kind(ctx, fl->complete, fl->choices, cur, out);
			strv_sort(out);
			return;
		}
	}
	if (cur[0] == '-' && !(only_pos && npos > 0)) {
		for (size_t k = 0; cmd->flags && cmd->flags[k].name; k++) {
			const struct cli_flag *fl = &cmd->flags[k];
			if (fl->opts & CLI_HIDDEN)
				continue;
			cleanup_free char *l = xasprintf("--%s", fl->name);
			add_if_prefix(out, l, cur);
		}
		add_if_prefix(out, "--help", cur);
		strv_sort(out);
		return;
	}
	if ((cmd->opts & CLI_TRAILING) && npos > 0)
		return; /* the container's own command line */
	if (cmd->max_args >= 0 && npos >= cmd->max_args)
		return;
	enum cli_complete kind = cmd->complete;
	if (npos > 0 && cmd->complete_rest != COMP_NONE)
		kind = cmd->complete_rest;
	cli_complete_kind(ctx, kind, NULL, cur, out);
	strv_sort(out);
}

void cli_print_bash_completion(FILE *f)
{
	/*
	 * bash splits words at COMP_WORDBREAKS, so "--format=j" arrives as
	 * "--format" "=" "j" and "busybox:la" as "busybox" ":" "la".  Rejoin
	 * them; complete "--flag=VAL" as "--flag VAL"; for a word with ':'
	 * drop what readline will not replace (the part up to the last ':').
	 */
	fputs("# bash completion for containr (generated by `containr completion bash`)\n"
	      "# Install: containr completion bash > "
	      "/usr/share/bash-completion/completions/containr\n"
	      "_containr() {\n"
	      "    local IFS=$'\\n' w cur pre= i\n"
	      "    local -a words=()\n"
	      "    for ((i = 0; i <= COMP_CWORD; i++)); do\n"
	      "        w=${COMP_WORDS[i]}\n"
	      "        if ((i > 1)) && [[ $w == [=:] || ${COMP_WORDS[i-1]} == [=:] ]]; then\n"
	      "            words[${#words[@]}-1]+=$w\n"
	      "        else\n"
	      "            words+=(\"$w\")\n"
	      "        fi\n"
	      "    done\n"
	      "    cur=${words[${#words[@]}-1]}\n"
	      "    if [[ $cur == -*=* ]]; then\n"
	      "        unset 'words[${#words[@]}-1]'\n"
	      "        words+=(\"${cur%%=*}\" \"${cur#*=}\")\n"
	      "    elif [[ $cur == *:* ]]; then\n"
	      "        pre=${cur%\"${cur##*:}\"}\n"
	      "    fi\n"
	      "    COMPREPLY=( $(\"${COMP_WORDS[0]}\" __complete \"$((${#words[@]} - 1))\" "
	      "\"${words[@]}\" 2>/dev/null) )\n"
	      "    [[ -n $pre ]] && COMPREPLY=( \"${COMPREPLY[@]#\"$pre\"}\" )\n"
	      "    return 0\n"
	      "}\n"
	      "complete -o default -o nosort -F _containr containr\n",
	      f);
}

/*
 * zsh: the same __complete protocol.  zsh does not split words at '=' or
 * ':', so only "--flag=VAL" needs care: compset moves "--flag=" out of the
 * word and __complete sees "--flag" "VAL".  No candidates (a path): _files.
 * Works autoloaded from $fpath (#compdef) or sourced (compdef).
 */
void cli_print_zsh_completion(FILE *f)
{
	fputs("#compdef containr\n"
	      "# zsh completion for containr (generated by `containr completion zsh`)\n"
	      "# Install: containr completion zsh > "
	      "/usr/share/zsh/vendor-completions/_containr\n"
	      "# or, after compinit: source <(containr completion zsh)\n"
	      "_containr() {\n"
	      "    local -a w out\n"
	      "    w=(\"${(@Q)words[1,CURRENT-1]}\")\n"
	      "    if [[ $PREFIX == -*=* ]]; then\n"
	      "        w+=(\"${PREFIX%%=*}\")\n"
	      "        compset -P '*='\n"
	      "    fi\n"
	      "    w+=(\"${(Q)PREFIX}\")\n"
	      "    out=(\"${(@f)$(\"${(Q)words[1]}\" __complete \"$(( ${#w} - 1 ))\" \"${w[@]}\" "
	      "2>/dev/null)}\")\n"
	      "    out=(\"${(@)out:#}\")\n"
	      "    if (( ${#out} )); then\n"
	      "        compadd -- \"${out[@]}\"\n"
	      "    else\n"
	      "        _files\n"
	      "    fi\n"
	      "}\n"
	      "if [[ ${funcstack[1]} == _containr ]]; then\n"
	      "    _containr \"$@\"\n"
	      "else\n"
	      "    compdef _containr containr\n"
	      "fi\n",
	      f);
}

/*
 * fish: the same protocol.  fish's tokens keep "--flag=VAL" whole, so it
 * is split for __complete and the "--flag=" put back on each candidate
 * (fish matches candidates against the whole token).  No candidates (a
 * path): fish's own path completion.
 */
void cli_print_fish_completion(FILE *f)
{
	fputs("# fish completion for containr (generated by `containr completion fish`)\n"
	      "# Install: containr completion fish > "
	      "~/.config/fish/completions/containr.fish\n"
	      "function __containr_complete\n"
	      "    set -l words (commandline -opc)\n"
	      "    set -l cur (commandline -ct)\n"
	      "    set -l pre ''\n"
	      "    if string match -qr -- '^-[^=]*=' $cur\n"
	      "        set pre (string replace -r -- '=.*' '=' $cur)\n"
	      "        set -a words (string replace -r -- '=.*' '' $cur)\n"
	      "        set cur (string replace -r -- '^[^=]*=' '' $cur)\n"
	      "    end\n"
	      "    set -a words $cur\n"
	      "    set -l out ($words[1] __complete (math (count $words) - 1) $words 2>/dev/null)\n"
	      "    if test (count $out) -eq 0\n"
	      "        __fish_complete_path $cur\n"
	      "        return\n"
	      "    end\n"
	      "    printf '%s\\n' $pre$out\n"
	      "end\n"
	      "complete -c containr -e\n"
	      "complete -c containr -f -a '(__containr_complete)'\n",
	      f);
}

/* ---- man page ---------------------------------------------------------- */

/* Escape text for roff: backslashes, hyphens, a leading dot, and non-ASCII
 * characters as \[uXXXX] (groff rejects raw UTF-8 bytes). */
static void roff_text(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	if (*p == '.' || *p == '\'')
		fputs("\\&", f);
	while (*p) {
		if (*p == '\\') {
			fputs("\\e", f);
		} else if (*p == '-') {
			fputs("\\-", f);
		} else if (*p < 0x80) {
			fputc(*p, f);
		} else {
			unsigned cp = 0;
			int extra = *p >= 0xf0 ? 3 : *p >= 0xe0 ? 2 : *p >= 0xc0 ? 1 : 0;
			cp = *p & (0x3f >> extra);
			for (int i = 0; i < extra && (p[1] & 0xc0) == 0x80; i++)
				cp = (cp << 6) | (*++p & 0x3f);
			fprintf(f, "\\[u%04X]", cp);
		}
		p++;
	}
}

static void man_command(FILE *f, const struct cli_command *cmd, const char *path)
{
	fprintf(f, ".SS \"");
	roff_text(f, path);
	fprintf(f, "\"\n.B containr ");
	roff_text(f, path);
	fputc(' ', f);
	roff_text(f, cmd->usage ? cmd->usage : "");
	fprintf(f, "\n.br\n");
	roff_text(f, cmd->summary);
	fprintf(f, ".\n");
	if (cmd->description) {
		fprintf(f, ".PP\n");
		roff_text(f, cmd->description);
		fputc('\n', f);
	}
	for (size_t i = 0; cmd->flags && cmd->flags[i].name; i++) {
		const struct cli_flag *fl = &cmd->flags[i];
		char left[96];
		if (fl->opts & CLI_HIDDEN)
			continue;
		flag_left(left, sizeof left, fl);
		char *l = left;
		while (*l == ' ')
			l++;
		fprintf(f, ".TP\n.B ");
		roff_text(f, l);
		fputc('\n', f);
		roff_text(f, fl->help ? fl->help : "");
		if (fl->def && fl->type != CLI_BOOL && *fl->def) {
			fprintf(f, " (default ");
			roff_text(f, fl->def);
			fputc(')', f);
		}
		fputc('\n', f);
	}
	for (size_t i = 0; cmd->subcommands && cmd->subcommands[i]; i++) {
		if (!visible(cmd->subcommands[i]))
			continue;
		cleanup_free char *sub = xasprintf("%s %s", path, cmd->subcommands[i]->name);
		man_command(f, cmd->subcommands[i], sub);
	}
}

void cli_print_man(FILE *f)
{
	const struct cli_command *const *all = cli_commands();

	fprintf(
	    f,
	    ".\\\" Generated by `containr __man` from the command table; do not edit.\n"
	    ".TH CONTAINR 1 \"\" \"containr %s\" \"User Commands\"\n"
	    ".SH NAME\ncontainr \\- a daemonless, Docker\\-compatible container engine\n"
	    ".SH SYNOPSIS\n.B containr\n[\\fIOPTIONS\\fR] \\fICOMMAND\\fR [\\fIARG\\fR...]\n"
	    ".br\n.B containr\n[\\fIOPTIONS\\fR] \\fB\\-c\\fR \\fISCRIPT\\fR | \\fB\\-f\\fR "
	    "\\fIFILE\\fR\n.br\n.B containr\n"
	    ".SH DESCRIPTION\n"
	    "containr runs Linux containers the way Docker users expect, without a daemon.\n"
	    "The same commands are available from the command line, in batch mode\n"
	    "(\\fB\\-c\\fR, \\fB\\-f\\fR, or standard input when it is not a terminal), at the\n"
	    "interactive \\fBcontainr>\\fR prompt (started when no command is given on a\n"
	    "terminal) and from the dashboard's \\fB:\\fR prompt.\n"
	    ".SH GLOBAL OPTIONS\n",
	    CONTAINR_VERSION);
	for (const struct cli_global_opt *o = cli_global_opts; o->help; o++) {
		char left[64];
		cli_global_opt_left(left, sizeof left, o, false);
		fprintf(f, ".TP\n.B ");
		roff_text(f, left);
		fputc('\n', f);
		roff_text(f, o->help);
		fputc('\n', f);
	}
	for (size_t g = 0; g < CTR_ARRAY_SIZE(groups); g++) {
		bool header = false;
		for (size_t i = 0; all[i]; i++) {
			const char *grp = all[i]->group ? all[i]->group : "General";
			if (!visible(all[i]) || strcmp(grp, groups[g]) != 0)
				continue;
			if (!header) {
				fprintf(f, ".SH %s COMMANDS\n", groups[g]);
				header = true;
			}
			man_command(f, all[i], all[i]->name);
		}
	}
	fprintf(f,
	        ".SH EXIT STATUS\n"
	        "0 on success; 1 for an engine error; 2 for a usage error (unknown command or\n"
	        "flag, bad value).  \\fBrun\\fR exits with the container's status, 125 when the\n"
	        "engine fails, 126 when the command cannot be executed, 127 when it is not\n"
	        "found, and 128+N when the container is killed by signal N.  See\n"
	        "docs/ERRORS.md.\n"
	        ".SH ENVIRONMENT\n"
	        ".TP\n.B CONTAINR_ROOT\nState root (default /var/lib/containr).\n"
	        ".TP\n.B CONTAINR_LOG_LEVEL\nDefault log level (debug, info, warn, error); "
	        "the global options override it.\n"
	        ".TP\n.B CONTAINR_LOG_FILE\nDefault log file, like \\fB\\-\\-log\\-file\\fR.\n"
	        ".TP\n.B CONTAINR_HISTFILE\nREPL history file (default "
	        "$XDG_STATE_HOME/containr/history; /dev/null disables).\n"
	        ".SH FILES\n.TP\n.I /var/lib/containr\nContainers, images, layers and volumes.\n");
}
