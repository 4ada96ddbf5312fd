/*
 * cli.h - the one command table and the parser every way in shares.
 *
 * argv (`containr ps -a`), batch (`containr -c "…"`, `-f FILE`, stdin), the
 * REPL and the dashboard's ':' prompt all turn text into words and hand the
 * words to cli_dispatch().  Each command is one `struct cli_command` in a
 * module list (cmds_*.c); help, bash completion and the man page are
 * generated from the same table.
 *
 * Handlers return 0 on success, or -1 with `err` filled on failure; the
 * dispatcher prints the error exactly once ("containr: <msg>" /
 * "hint: <hint>") on stderr and derives the exit status from err's code
 * (cli_exit_status()).  Commands that run a container (run, start -a,
 * exec) return its own status with `err` clear.
 */
#ifndef CONTAINR_CLI_H
#define CONTAINR_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "containr/error.h"
#include "containr/store.h"
#include "containr/util.h"

enum cli_ftype {
	CLI_BOOL,     /* --all, -a, --rm=false */
	CLI_STRING,   /* --name web */
	CLI_INT,      /* -n 5 (signed 64-bit) */
	CLI_FLOAT,    /* --cpus 0.5 */
	CLI_SIZE,     /* --memory 512m  -> bytes; "-1" -> -1 (unlimited) */
	CLI_DURATION, /* --since 10m    -> nanoseconds */
};

/* What a word is completed from (REPL Tab, bash completion). */
enum cli_complete {
	COMP_NONE,
	COMP_CONTAINER,    /* any container name or id */
	COMP_CONTAINER_UP, /* running containers */
	COMP_IMAGE,        /* local image references */
	COMP_VOLUME,       /* volume names */
	COMP_FILE,         /* a path */
	COMP_COMMAND,      /* a containr command name */
	COMP_SIGNAL,       /* SIGTERM, KILL, ... */
	COMP_CHOICES,      /* the '|'-separated list in cli_flag.choices */
};

/* cli_flag.opts */
#define CLI_REPEAT 0x1 /* may be given several times; values collect in order */
#define CLI_HIDDEN 0x2 /* not shown in help */
#define CLI_OPTVAL 0x4 /* --flag alone means the value "" (never takes the next word) */

struct cli_flag {
	const char *name; /* long name without "--" ("all"); required */
	char shortname;   /* 'a', or 0 */
	enum cli_ftype type;
	const char *metavar; /* "NAME"; NULL for bools */
	const char *def;     /* default value as text (shown in help, parsed when unset) */
	const char *help;
	unsigned opts;
	enum cli_complete complete;
	const char *choices; /* for COMP_CHOICES: "json|table" */
};

/* cli_command.opts */
#define CLI_TRAILING   0x1 /* options stop at the first positional (run IMAGE CMD...) */
#define CLI_HIDDEN_CMD 0x2
#define CLI_NO_STORE   0x4 /* handler never opens the state root */
#define CLI_ENGINE_125 0x8 /* run/create: any failure of containr itself exits 125 */

/* Docker's status for a usage error (every command) and for run/create failing. */
#define CLI_EXIT_USAGE 125

struct cli_ctx;
struct cli_args;
struct cli_unsupported;
typedef int (*cli_handler)(struct cli_ctx *ctx, struct cli_args *a, struct ctr_err *err);

struct cli_command {
	const char *name;
	const char *const *aliases; /* NULL-terminated, or NULL */
	const char *summary;        /* one line, no trailing period */
	const char *usage;          /* after "containr NAME ": "[OPTIONS] CONTAINER..." */
	const char *group;          /* help section: "Containers", "Images", "Volumes", "General" */
	const struct cli_flag *flags; /* array ended by an entry with name == NULL; may be NULL */
	int min_args, max_args;       /* positional counts; max -1 = unlimited */
	unsigned opts;
	enum cli_complete complete;      /* first positional */
	enum cli_complete complete_rest; /* later positionals (COMP_NONE = same as first) */
	cli_handler handler;             /* NULL for a pure group */
	const struct cli_command *const *subcommands; /* NULL-terminated, for "volume ls" */
	const char *description; /* optional longer text for --help and the man page */
	/* Docker's flags of this command that containr does not support yet, so
	 * that they are named as such instead of "unknown flag, did you mean…";
	 * ended by an entry with name == NULL; may be NULL. */
	const struct cli_unsupported *unsupported;
};

struct cli_unsupported {
	const char *name; /* long name without "--" */
	char shortname;   /* or 0 */
	const char *hint; /* what to do instead, or NULL */
};

/* Parsed value of one flag. */
struct cli_value {
	bool set;        /* given on the command line */
	const char *s;   /* last value as text (or the default) */
	struct strv all; /* every value given, in order (CLI_REPEAT) */
	int64_t i;       /* CLI_INT, CLI_SIZE, CLI_DURATION */
	double f;        /* CLI_FLOAT */
	bool b;          /* CLI_BOOL */
};

struct cli_args {
	const struct cli_command *cmd;
	const char *path;       /* "volume ls" : the full command path, for messages */
	struct cli_value *vals; /* one per cmd->flags entry */
	int nflags;
	int argc;
	char **argv; /* positionals (pointers into the caller's words) */
};

struct cli_ctx {
	const char *root;       /* state root (NULL = ctr_default_root()) */
	struct ctr_store store; /* opened lazily by cli_store() */
	bool store_open;
	FILE *out;                /* results (stdout) */
	bool batch;               /* batch mode: never prompt */
	bool repl;                /* inside the REPL */
	bool stdout_tty;          /* stdout is a terminal */
	volatile int interrupted; /* set by SIGINT in the REPL */
};

/* ---- the table --------------------------------------------------------- */
/* Every top-level command, NULL-terminated, in help order. */
const struct cli_command *const *cli_commands(void);
/* Find a command or alias by name among `list` (NULL = top level). */
const struct cli_command *cli_find(const struct cli_command *const *list, const char *name);

/* ---- values ------------------------------------------------------------ */
bool cli_isset(const struct cli_args *a, const char *flag);
bool cli_bool(const struct cli_args *a, const char *flag);
const char *cli_str(const struct cli_args *a, const char *flag); /* value or default or NULL */
int64_t cli_int(const struct cli_args *a, const char *flag);
double cli_float(const struct cli_args *a, const char *flag);
const struct strv *cli_list(const struct cli_args *a, const char *flag);

/* ---- parsing and dispatch ---------------------------------------------- */
/*
 * Parse `words` (argv[0] is the command name) for `cmd`.  On error returns
 * -1 with E_USAGE/E_INVALID_ARG in err.  `a` must be freed with
 * cli_args_free() in both cases.  Sets *help_requested for -h/--help.
 */
int cli_parse(const struct cli_command *cmd, const char *path, int argc, char **argv,
              struct cli_args *a, bool *help_requested, struct ctr_err *err);
void cli_args_free(struct cli_args *a);

/*
 * Run one command given as words (words[0] = command name).  Prints errors
 * (once) and usage help; returns the exit status.
 */
int cli_dispatch(struct cli_ctx *ctx, int argc, char **argv);

/*
 * The exit status of `cmd` (NULL: no command found) whose handler returned
 * `rc` with `err`: the one rule of docs/ERRORS.md.
 */
int cli_exit_status(const struct cli_command *cmd, int rc, const struct ctr_err *err);

/* Print an error as "containr: msg" + "hint: hint" to stderr. */
void cli_print_error(const struct ctr_err *err);

/* Open the state root on first use. */
int cli_store(struct cli_ctx *ctx, struct ctr_store **st, struct ctr_err *err);

/* ---- batch ------------------------------------------------------------- */
/*
 * Split a script into commands, shell-like: words separated by blanks;
 * '…' literal, "…" with \" \\ \$ \` escapes, backslash escapes outside
 * quotes, backslash-newline continues a line; ';' and newlines end a
 * command; '#' at the start of a word starts a comment.  `out` receives one
 * strv per non-empty command.  Unterminated quotes are E_USAGE.
 */
struct cli_script {
	struct strv *cmds;
	size_t n;
};
int cli_split(const char *text, struct cli_script *out, struct ctr_err *err);
void cli_script_free(struct cli_script *s);
/*
 * Run every command of `text`.  Stops at the first failure and returns its
 * status, unless keep_going, in which case all run and the status is the
 * last failing one (0 if all passed).
 */
int cli_run_script(struct cli_ctx *ctx, const char *text, bool keep_going);

/* ---- global options (globals.c) ----------------------------------------- */
/* What the global options before the command ask for. */
struct cli_globals {
	const char *root;   /* --root DIR */
	const char *script; /* -c SCRIPT */
	const char *file;   /* -f FILE */
	bool keep_going;
	enum { CLI_GLOBALS_RUN, CLI_GLOBALS_VERSION, CLI_GLOBALS_HELP } action;
};

/* One global option: the parser, help, completion and the man page read
 * the same entry.  Log and explain options take effect in `set` at once. */
struct cli_global_opt {
	const char *name;    /* long name without "--", or NULL */
	char shortname;      /* 'c', or 0 */
	const char *metavar; /* "DIR" when it takes a value, NULL for a switch */
	enum cli_complete complete;
	const char *choices; /* for COMP_CHOICES */
	const char *help;
	int (*set)(struct cli_globals *g, const char *value, struct ctr_err *err);
};

/* The table, ended by an entry with help == NULL. */
extern const struct cli_global_opt cli_global_opts[];
/*
 * The option a word names ("--root", "--root=/x", "-c"), or NULL.  When
 * `value` is not NULL it receives the text after '=' (or NULL).
 */
const struct cli_global_opt *cli_global_opt_find(const char *word, const char **value);
/* Its help column: "-l, --log-level LEVEL", "--root DIR" ("    --root DIR"
 * with `indent`, to line up with short forms), "-c SCRIPT". */
void cli_global_opt_left(char *buf, size_t len, const struct cli_global_opt *o, bool indent);
/*
 * Parse argv[1..] up to the command (the first word not starting with '-',
 * a lone "-", or after "--").  Returns the index of the command word
 * (argc when none), or -1 with E_USAGE/E_IO in err.  Stops right after
 * -v/--version or -h/--help (g->action).
 */
int cli_globals_parse(int argc, char **argv, struct cli_globals *g, struct ctr_err *err);

/* ---- help, completion, man page ---------------------------------------- */
/* Columns `s` takes on a terminal: one per UTF-8 code point. */
size_t cli_display_width(const char *s);
/* Print `s` padded with spaces to `width` display columns. */
void cli_print_padded(FILE *f, const char *s, size_t width);
void cli_help_overview(FILE *f);
void cli_help_command(FILE *f, const struct cli_command *cmd, const char *path);
/*
 * Completion candidates for the word at index `cword` of `words` (the
 * command line up to the cursor; words[cword] is the partial word, possibly
 * "").  words[0] is the first command word (no "containr").
 */
void cli_complete(struct cli_ctx *ctx, int nwords, char **words, int cword, struct strv *out);
/* Candidates of a dynamic kind with `prefix` (containers, images...). */
void cli_complete_kind(struct cli_ctx *ctx, enum cli_complete kind, const char *choices,
                       const char *prefix, struct strv *out);
void cli_print_bash_completion(FILE *f);
void cli_print_zsh_completion(FILE *f);
void cli_print_fish_completion(FILE *f);
void cli_print_man(FILE *f);

/* ---- shared command pieces -------------------------------------------- */
/*
 * Pull `name` as `containr pull` does, drawing progress on `out` (stdout for
 * `pull`; stderr when `run`/`create` pull a missing image, so the
 * container's output stays alone on stdout).  Returns an exit status.
 */
int cli_pull(struct cli_ctx *ctx, const char *name, FILE *out, bool quiet, const char *platform,
             int max_parallel, struct ctr_err *err);

/*
 * Add "-e" style KEY=VALUE to `env`; a bare KEY takes its value from our
 * environment and is skipped when unset (Docker).  run/create and exec.
 */
void cli_env_add(struct strv *env, const char *kv);

/* ---- module command lists (each NULL-terminated) ------------------------ */
extern const struct cli_command *const cli_cmds_general[];
extern const struct cli_command *const cli_cmds_userns[];
extern const struct cli_command *const cli_cmds_runtime[];
extern const struct cli_command *const cli_cmds_stats[];
extern const struct cli_command *const cli_cmds_registry[];
extern const struct cli_command *const cli_cmds_image[];
extern const struct cli_command *const cli_cmds_volume[];
extern const struct cli_command *const cli_cmds_network[];
extern const struct cli_command *const cli_cmds_ui[];

#endif
