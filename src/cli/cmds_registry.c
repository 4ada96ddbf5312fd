/*
 * cmds_registry.c - the registry commands of the command table: pull,
 * login, logout.  The library reports pull progress through a callback;
 * this file draws it as Docker does: per-layer lines redrawn in place on a
 * terminal, one line per finished layer otherwise, nothing but the
 * reference with -q.  Everything goes to stdout, like Docker.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cli/cli.h"
#include "containr/reference.h"
#include "containr/registry.h"
#include "containr/util.h"

/* ---- pull progress ------------------------------------------------------- */

struct layer_line {
	char id[13];
	const char *status; /* "Waiting", "Downloading", "Pull complete"... */
	int64_t cur, total;
	int64_t start_ns;
};

struct pull_ui {
	FILE *out;
	bool tty, quiet;
	int n;
	struct layer_line *lines;
	int drawn; /* lines currently on screen */
	int64_t last_draw;
};

static void draw_line(struct pull_ui *u, struct layer_line *l)
{
	char cur[32], tot[32], rate[32] = "";

	fprintf(u->out, "\033[2K%s: %s", l->id, l->status);
	if (strcmp(l->status, "Downloading") == 0 && l->total > 0) {
		int width = 30, fill = (int)(l->cur * width / l->total);
		double secs = (double)(ctr_mono_ns() - l->start_ns) / 1e9;
		ctr_format_bytes(cur, sizeof cur, (double)l->cur, false);
		ctr_format_bytes(tot, sizeof tot, (double)l->total, false);
		if (secs > 0.05) {
			ctr_format_bytes(rate, sizeof rate, (double)l->cur / secs, false);
			strcat(rate, "/s");
		}
		fprintf(u->out, "  [");
		for (int i = 0; i < width; i++)
			fputc(i < fill ? '=' : (i == fill ? '>' : ' '), u->out);
		fprintf(u->out, "]  %s/%s  %s", cur, tot, rate);
	}
	fputc('\n', u->out);
}

static void redraw(struct pull_ui *u, bool force)
{
	int64_t now = ctr_mono_ns();

	if (!force && now - u->last_draw < 100000000LL)
		return;
	u->last_draw = now;
	if (u->drawn)
		fprintf(u->out, "\033[%dA", u->drawn);
	u->drawn = 0;
	for (int i = 0; i < u->n; i++) {
		if (!u->lines[i].status)
			continue; /* not announced yet */
		draw_line(u, &u->lines[i]);
		u->drawn++;
	}
	fflush(u->out);
}

static void on_progress(const struct ctr_pull_event *ev, void *ud)
{
	struct pull_ui *u = ud;
	struct layer_line *l;

	if (u->quiet)
		return;
	if (ev->kind == CTR_PULL_RESOLVED) {
		free(u->lines);
		u->n = ev->nlayers;
		u->lines = xcalloc((size_t)u->n + 1, sizeof *u->lines);
		return;
	}
	if (ev->layer < 0 || ev->layer >= u->n)
		return;
	l = &u->lines[ev->layer];
	if (!l->id[0] && ev->digest && strlen(ev->digest) > 19)
		snprintf(l->id, sizeof l->id, "%.12s", ev->digest + 7);
	l->cur = ev->current;
	l->total = ev->total;
	switch (ev->kind) {
	case CTR_PULL_LAYER_WAIT:
		l->status = "Pulling fs layer";
		break;
	case CTR_PULL_LAYER_EXISTS:
		l->status = "Already exists";
		if (!u->tty)
			fprintf(u->out, "%s: Already exists\n", l->id);
		break;
	case CTR_PULL_LAYER_PROGRESS:
		if (!l->start_ns)
			l->start_ns = ctr_mono_ns();
		l->status = "Downloading";
		break;
	case CTR_PULL_LAYER_RETRY:
		l->status = "Retrying";
		l->start_ns = 0;
		break;
	case CTR_PULL_LAYER_VERIFY:
		l->status = "Extracting";
		break;
	case CTR_PULL_LAYER_DONE:
		l->status = "Pull complete";
		if (!u->tty)
			fprintf(u->out, "%s: Pull complete\n", l->id);
		break;
	default:
		break;
	}
	if (u->tty)
		redraw(u, ev->kind != CTR_PULL_LAYER_PROGRESS);
	else
		fflush(u->out);
}

/*
 * SIGINT/SIGTERM during a pull: the pull stops at its next chunk, removes its
 * temp files and returns E_INTERRUPTED; the exit status is 128 + the signal.
 */
static volatile sig_atomic_t pull_signal;
static volatile int *pull_flag;

static void on_pull_signal(int sig)
{
	pull_signal = sig;
	if (pull_flag)
		*pull_flag = 1;
}

static void pull_signals(struct cli_ctx *ctx, struct sigaction old[2])
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_pull_signal;
	sigemptyset(&sa.sa_mask);
	pull_signal = 0;
	pull_flag = &ctx->interrupted;
	sigaction(SIGINT, &sa, &old[0]);
	sigaction(SIGTERM, &sa, &old[1]);
}

static void pull_signals_restore(const struct sigaction old[2])
{
	sigaction(SIGINT, &old[0], NULL);
	sigaction(SIGTERM, &old[1], NULL);
	pull_flag = NULL;
}

int cli_pull(struct cli_ctx *ctx, const char *name, FILE *out, bool quiet, const char *platform,
             int max_parallel, struct ctr_err *err)
{
	struct sigaction old_sig[2];
	struct ctr_store *st;
	struct ctr_ref ref;
	struct pull_ui ui = {.out = out, .tty = isatty(fileno(out)), .quiet = quiet};
	struct ctr_pull_opts opts = {.platform = platform,
	                             .max_parallel = max_parallel,
	                             .progress = on_progress,
	                             .progress_ud = &ui,
	                             .interrupted = &ctx->interrupted};
	struct ctr_pull_result res;
	int rc;

	struct ctr_platform plat;
	if (opts.max_parallel < 1 || opts.max_parallel > 64) {
		ctr_fail(err, E_INVALID_ARG,
		         "--max-concurrent-downloads must be between 1 and 64, not %d",
		         opts.max_parallel);
		return ctr_err_exit_status(err->code);
	}
	if (opts.platform && ctr_platform_parse(opts.platform, &plat, err) < 0)
		return ctr_err_exit_status(err->code);
	if (ctr_ref_parse(name, &ref, err) < 0)
		return ctr_err_exit_status(err->code);
	if (cli_store(ctx, &st, err) < 0) {
		ctr_ref_free(&ref);
		return 1;
	}
	if (!ui.quiet) {
		const char *last = strrchr(name, '/');
		if (!ref.digest && !strchr(last ? last : name, ':'))
			fprintf(out, "Using default tag: latest\n");
		fprintf(out, "%s: Pulling from %s\n", ref.digest ? ref.digest : ref.tag, ref.path);
		fflush(out);
	}
	ctr_ref_free(&ref);
	pull_signals(ctx, old_sig);
	rc = ctr_image_pull(st, name, &opts, &res, err);
	pull_signals_restore(old_sig);
	if (ui.tty && ui.drawn)
		redraw(&ui, true);
	free(ui.lines);
	if (rc < 0 && err->code == E_INTERRUPTED && pull_signal)
		return 128 + pull_signal;
	if (rc < 0)
		return ctr_err_exit_status(err->code);
	if (!ui.quiet) {
		fprintf(out, "Digest: %s\n", res.digest);
		fprintf(out, "Status: %s for %s\n",
		        res.up_to_date ? "Image is up to date" : "Downloaded newer image",
		        res.display_ref);
	}
	if (out == ctx->out)
		fprintf(out, "%s\n", res.ref);
	fflush(out);
	ctr_pull_result_free(&res);
	return 0;
}

static int cmd_pull(struct cli_ctx *ctx, struct cli_args *a, struct ctr_err *err)
{
	return cli_pull(ctx, a->argv[0], ctx->out, cli_bool(a, "quiet"), cli_str(a, "platform"),
	                (int)cli_int(a, "max-concurrent-downloads"), err);
}

static const struct cli_flag pull_flags[] = {
    {.name = "quiet", .shortname = 'q', .type = CLI_BOOL, .help = "Suppress verbose output"},
    {.name = "platform",
     .type = CLI_STRING,
     .metavar = "PLATFORM",
     .help = "Pull this platform (os/arch[/variant]) instead of the host's"},
    {.name = "max-concurrent-downloads",
     .type = CLI_INT,
     .metavar = "N",
     .def = "3",
     .help = "Layers downloaded at the same time"},
    {0},
};

static const struct cli_command cmd_pull_def = {
    .name = "pull",
    .summary = "Download an image from a registry",
    .usage = "[OPTIONS] NAME[:TAG|@DIGEST]",
    .group = "Images",
    .flags = pull_flags,
    .min_args = 1,
    .max_args = 1,
    .complete = COMP_IMAGE,
    .handler = cmd_pull,
    .description = "Pulls an image (by tag or digest) from Docker Hub or any registry "
                   "(host[:port]/path), choosing the host platform from multi-arch images. "
                   "Credentials come from `containr login` (Docker's config.json).",
};

/* ---- login / logout ------------------------------------------------------ */

static char *read_line(FILE *in, bool echo)
{
	struct termios old, quiet;
	bool restore = false;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;

	if (!echo && isatty(fileno(in)) && tcgetattr(fileno(in), &old) == 0) {
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		restore = tcsetattr(fileno(in), TCSAFLUSH, &quiet) == 0;
	}
	n = getline(&line, &cap, in);
	if (restore) {
		tcsetattr(fileno(in), TCSAFLUSH, &old);
		fputc('\n', stderr);
	}
	if (n < 0) {
		free(line);
		return NULL;
	}
	while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = '\0';
	return line;
}

static int cmd_login(struct cli_ctx *ctx, struct cli_args *a, struct ctr_err *err)
{
	const char *reg = a->argc ? a->argv[0] : "docker.io";
	cleanup_free char *user = cli_str(a, "username") ? xstrdup(cli_str(a, "username")) : NULL;
	cleanup_free char *pass = NULL;
	bool interactive = !ctx->batch && isatty(STDIN_FILENO);
	int rc;

	if (cli_isset(a, "password") && cli_bool(a, "password-stdin"))
		return ctr_fail(err, E_USAGE,
		                "--password and --password-stdin are mutually exclusive"),
		       2;
	if (cli_bool(a, "password-stdin")) {
		if (!user)
			return ctr_fail(err, E_USAGE, "--password-stdin needs --username"), 2;
		pass = read_line(stdin, true);
	} else if (cli_isset(a, "password")) {
		fprintf(
		    stderr,
		    "WARNING! Using --password via the CLI is insecure. Use --password-stdin.\n");
		pass = xstrdup(cli_str(a, "password"));
	}
	if (!user) {
		if (!interactive) {
			ctr_fail(err, E_USAGE, "login to %s needs a user name", reg);
			return ctr_hint(err, "use -u USER --password-stdin (or -p PASS)"), 2;
		}
		fprintf(stderr, "Username: ");
		user = read_line(stdin, true);
	}
	if (!pass) {
		if (!interactive) {
			ctr_fail(err, E_USAGE, "login to %s needs a password", reg);
			return ctr_hint(err,
			                "pipe it in: echo \"$PASS\" | containr login -u USER "
			                "--password-stdin %s",
			                reg),
			       2;
		}
		fprintf(stderr, "Password: ");
		pass = read_line(stdin, false);
	}
	rc = ctr_registry_login(reg, user, pass, err);
	if (pass)
		explicit_bzero(pass, strlen(pass));
	if (rc < 0)
		return ctr_err_exit_status(err->code);
	fprintf(ctx->out, "Login Succeeded\n");
	return 0;
}

static const struct cli_flag login_flags[] = {
    {.name = "username",
     .shortname = 'u',
     .type = CLI_STRING,
     .metavar = "USER",
     .help = "Username"},
    {.name = "password",
     .shortname = 'p',
     .type = CLI_STRING,
     .metavar = "PASS",
     .help = "Password"},
    {.name = "password-stdin", .type = CLI_BOOL, .help = "Take the password from stdin"},
    {0},
};

static const struct cli_command cmd_login_def = {
    .name = "login",
    .summary = "Log in to a registry",
    .usage = "[OPTIONS] [SERVER]",
    .group = "Images",
    .flags = login_flags,
    .min_args = 0,
    .max_args = 1,
    .opts = CLI_NO_STORE,
    .handler = cmd_login,
    .description = "Checks the credentials against the registry, then stores them in Docker's "
                   "config.json ($CONTAINR_AUTH_FILE, $DOCKER_CONFIG/config.json or "
                   "~/.docker/config.json, mode 0600).  SERVER defaults to Docker Hub.",
};

static int cmd_logout(struct cli_ctx *ctx, struct cli_args *a, struct ctr_err *err)
{
	const char *reg = a->argc ? a->argv[0] : "docker.io";

	if (ctr_registry_logout(reg, err) < 0) {
		if (err->code != E_NOT_FOUND)
			return 1;
		fprintf(ctx->out, "Not logged in to %s\n", reg);
		ctr_err_clear(err);
		return 0;
	}
	fprintf(ctx->out, "Removing login credentials for %s\n", reg);
	return 0;
}

static const struct cli_command cmd_logout_def = {
    .name = "logout",
    .summary = "Log out from a registry",
    .usage = "[SERVER]",
    .group = "Images",
    .min_args = 0,
    .max_args = 1,
    .opts = CLI_NO_STORE,
    .handler = cmd_logout,
};

const struct cli_command *const cli_cmds_registry[] = {
    &cmd_pull_def,
    &cmd_login_def,
    &cmd_logout_def,
    NULL,
};
