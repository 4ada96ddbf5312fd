/*
 * cmds_userns.c - `containr doctor`: the user-namespace and rootless
 * prerequisites (src/userns/doctor.c), one line per check with its fix.
 *
 * CONTAINR_DOCTOR_ROOT=DIR reads every host file under DIR instead of /
 * (tests break each prerequisite in a fake tree); the user is then looked
 * up in DIR/etc/passwd.
 */
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "containr/userns.h"

/* name/uid/gid of `who` (name or number, NULL = us) in root's etc/passwd. */
static int doctor_user(const char *root, const char *who, char *name, size_t len, uid_t *uid,
                       gid_t *gid, struct ctr_err *err)
{
	cleanup_free char *path = xasprintf("%s/etc/passwd", root);
	char want[32];
	FILE *f;
	char line[512];

	if (!who) {
		snprintf(want, sizeof want, "%u", (unsigned)getuid());
		who = want;
	}
	f = fopen(*root ? path : "/etc/passwd", "re");
	while (f && fgets(line, sizeof line, f)) {
		char *fields[4] = {line};
		int nf = 1;
		for (char *p = line; *p && nf < 4; p++)
			if (*p == ':') {
				*p = '\0';
				fields[nf++] = p + 1;
			}
		if (nf < 4)
			continue;
		fields[3][strcspn(fields[3], ":\n")] = '\0';
		if (strcmp(fields[0], who) != 0 && strcmp(fields[2], who) != 0)
			continue;
		if (strlen(fields[0]) >= len)
			continue;
		memcpy(name, fields[0], strlen(fields[0]) + 1);
		*uid = (uid_t)strtoul(fields[2], NULL, 10);
		*gid = (gid_t)strtoul(fields[3], NULL, 10);
		fclose(f);
		return 0;
	}
	if (f)
		fclose(f);
	ctr_fail(err, E_NOT_FOUND, "doctor: no user %s in %s", who, *root ? path : "/etc/passwd");
	return ctr_hint(err, "name a user that exists: containr doctor --user NAME");
}

static int cmd_doctor(struct cli_ctx *ctx, struct cli_args *a, struct ctr_err *err)
{
	const char *root = getenv("CONTAINR_DOCTOR_ROOT");
	static const char *const words[] = {"ok", "warn", "FAIL"};
	struct ctr_check checks[24];
	char name[64];
	uid_t uid = 0;
	gid_t gid = 0;
	size_t n;
	int fails = 0;

	if (!root)
		root = "";
	if (doctor_user(root, cli_str(a, "user"), name, sizeof name, &uid, &gid, err) < 0)
		return 1;
	fprintf(ctx->out, "user namespaces and rootless containers, for %s (uid %u)%s%s\n", name,
	        (unsigned)uid, *root ? " under " : "", root);
	n = ctr_doctor_run(root, name, uid, gid, checks, CTR_ARRAY_SIZE(checks));
	for (size_t i = 0; i < n; i++) {
		const struct ctr_check *c = &checks[i];
		fprintf(ctx->out, "%-4s  %-14s %s%s%s\n", words[c->status], c->name, c->detail,
		        c->fix[0] ? "; fix: " : "", c->fix);
		fails += c->status == CTR_CHECK_FAIL;
	}
	if (fails)
		fprintf(stderr, "containr: doctor: %d check%s failed\n", fails,
		        fails == 1 ? "" : "s");
	return fails ? 1 : 0;
}

static const struct cli_flag doctor_flags[] = {
    {.name = "user",
     .shortname = 'u',
     .type = CLI_STRING,
     .metavar = "USER",
     .help = "check for this user (name or uid) instead of the caller"},
    {0},
};

static const struct cli_command cmd_doctor_def = {
    .name = "doctor",
    .summary = "Check the prerequisites of user namespaces and rootless containers",
    .usage = "[OPTIONS]",
    .group = "General",
    .flags = doctor_flags,
    .max_args = 0,
    .opts = CLI_NO_STORE,
    .handler = cmd_doctor,
    .description = "One line per check: ok, warn or FAIL, with the exact fix. Exits 1 if a "
                   "check fails. Checks: user.max_user_namespaces and "
                   "kernel.unprivileged_userns_clone, newuidmap/newgidmap setuid (package "
                   "uidmap), the user's ranges in /etc/subuid and /etc/subgid (at least 65536, "
                   "no overlap between users), the kernel version for overlayfs in a user "
                   "namespace (5.11) and idmapped mounts (5.12), cgroup v2 delegation, "
                   "net.ipv4.ping_group_range and net.ipv4.ip_unprivileged_port_start. "
                   "For root, the subordinate IDs checked are those of the `containers` user "
                   "(the --userns auto pool).",
};

const struct cli_command *const cli_cmds_userns[] = {&cmd_doctor_def, NULL};
