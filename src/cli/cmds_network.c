/*
 * cmds_network.c - `containr network create|ls|inspect|rm|prune|reload|explain`.
 *
 * Thin wrappers over include/containr/network.h, printing what
 * `docker network` prints (ids on create, a table for ls, a JSON array for
 * inspect).  `reload` and `explain` are containr's: rebuild the host side
 * from the state, and show the live picture (docs/NETWORK.md).
 */
#include "cli/cli.h"
#include "cli/format.h"

#include <stdlib.h>
#include <string.h>

#include "containr/log.h"
#include "containr/network.h"

static const struct ctr_tmpl_header network_headers[] = {
    {"ID", "NETWORK ID"}, {"Name", "NAME"},         {"Driver", "DRIVER"},
    {"Scope", "SCOPE"},   {"Subnet", "SUBNET"},     {"Internal", "INTERNAL"},
    {"Labels", "LABELS"}, {"CreatedAt", "CREATED"}, {NULL, NULL},
};

/* ---- create ------------------------------------------------------------ */

static const struct cli_flag create_flags[] = {
    {.name = "driver",
     .shortname = 'd',
     .type = CLI_STRING,
     .metavar = "DRIVER",
     .def = "bridge",
     .help = "Network driver (only \"bridge\")",
     .complete = COMP_CHOICES,
     .choices = "bridge"},
    {.name = "subnet",
     .type = CLI_STRING,
     .metavar = "CIDR",
     .help = "IPv4 subnet, e.g. 10.90.0.0/16 (default: the first free one of the pool)"},
    {.name = "gateway",
     .type = CLI_STRING,
     .metavar = "IP",
     .help = "The bridge's address (default: the subnet's first address)"},
    {.name = "internal", .type = CLI_BOOL, .help = "No traffic in or out of the network"},
    {.name = "label",
     .type = CLI_STRING,
     .metavar = "KEY=VALUE",
     .help = "Set metadata on the network",
     .opts = CLI_REPEAT},
    {0},
};

static int cmd_create(struct cli_ctx *ctx, struct cli_args *a, struct ctr_err *err)
{
	struct ctr_store *st;
	char id[65];
	struct ctr_network_opts o = {
	    .name = a->argv[0],
	    .subnet = cli_str(a, "subnet"),
	    .gateway = cli_str(a, "gateway"),
	    .driver = cli_str(a, "driver"),
	    .internal = cli_bool(a, "internal"),
	    .labels = cli_list(a, "label"),
	};

	if (cli_store(ctx, &st, err) < 0)
		return 1;
	if (ctr_network_create(st, &o, id, err) < 0)
		return ctr_err_exit_status(err->code);
	fprintf(ctx->out, "%s\n", id);
	return 0;
}

/* ---- ls ---------------------------------------------------------------- */

static const struct cli_flag ls_flags[] = {
    {.name = "quiet", .shortname = 'q', .type = CLI_BOOL, .help = "Only display network IDs"},
    {.name = "filter",
     .shortname = 'f',
     .type = CLI_STRING,
     .metavar = "FILTER",
     .help = "Filter: name=TEXT, id=PREFIX, driver=bridge, label=KEY[=VALUE], type=custom|builtin",
     .opts = CLI_REPEAT},
    {.name = "format",
     .type = CLI_STRING,
     .metavar = "FORMAT",
     .help = "table, json, or a template such as {{.Name}}"},
    {.name = "no-trunc", .type = CLI_BOOL, .help = "Do not truncate the output"},
    {0},
};

static bool label_match(const cJSON *labels, const char *want)
{
	const char *eq = strchr(want, '=');
	const cJSON *it;

	cJSON_ArrayForEach (it, labels) {
		if (eq ? (strlen(it->string) == (size_t)(eq - want) &&
		          !strncmp(it->string, want, (size_t)(eq - want)) && cJSON_IsString(it) &&
		          !strcmp(it->valuestring, eq + 1))
		       : !strcmp(it->string, want))
			return true;
	}
	return false;
}

static int ls_match(const cJSON *obj, const struct strv *filters, bool *match, struct ctr_err *err)
{
	const char *name = cJSON_GetObjectItem(obj, "Name")->valuestring;
	const char *id = cJSON_GetObjectItem(obj, "Id")->valuestring;

	*match = true;
	for (size_t i = 0; filters && i < filters->n && *match; i++) {
		const char *f = filters->v[i], *eq = strchr(f, '=');
		if (!eq) {
			ctr_fail(err, E_INVALID_ARG, "bad filter \"%s\"", f);
			return ctr_hint(
			    err, "filters are KEY=VALUE: name=, id=, driver=, label=, type=");
		}
		cleanup_free char *key = xstrndup(f, (size_t)(eq - f));
		const char *val = eq + 1;
		if (!strcmp(key, "name"))
			*match = strstr(name, val) != NULL;
		else if (!strcmp(key, "id"))
			*match = str_startswith(id, val);
		else if (!strcmp(key, "driver"))
			*match = !strcmp(val, "bridge");
		else if (!strcmp(key, "label"))
			*match = label_match(cJSON_GetObjectItem(obj, "Labels"), val);
		else if (!strcmp(key, "type")) {
			bool builtin = !strcmp(name, CTR_NET_DEFAULT);
			if (strcmp(val, "custom") && strcmp(val, "builtin")) {
				ctr_fail(err, E_INVALID_ARG, "bad filter value type=%s", val);
				return ctr_hint(err, "use type=custom or type=builtin");
			}
			*match = builtin == !strcmp(val, "builtin");
		} else {
			ctr_fail(err, E_INVALID_ARG, "unknown filter \"%s\"", key);
			return ctr_hint(err, "filters: name, id, driver, label, type");
		}
	}
	return 0;
}

static cJSON *ls_row(const cJSON *obj, bool notrunc)
{
	cJSON *row = cJSON_CreateObject(), *cfg, *it;
	const char *id = cJSON_GetObjectItem(obj, "Id")->valuestring;
	struct strbuf labels;

	char shortid[13];

	snprintf(shortid, sizeof shortid, "%.12s", id);
	cJSON_AddStringToObject(row, "ID", notrunc ? id : shortid);
	cJSON_AddStringToObject(row, "Name", cJSON_GetObjectItem(obj, "Name")->valuestring);
	cJSON_AddStringToObject(row, "Driver", "bridge");
	cJSON_AddStringToObject(row, "Scope", "local");
	cfg =
	    cJSON_GetArrayItem(cJSON_GetObjectItem(cJSON_GetObjectItem(obj, "IPAM"), "Config"), 0);
	cJSON_AddStringToObject(row, "Subnet", cJSON_GetObjectItem(cfg, "Subnet")->valuestring);
	cJSON_AddStringToObject(
	    row, "Internal", cJSON_IsTrue(cJSON_GetObjectItem(obj, "Internal")) ? "true" : "false");
	cJSON_AddStringToObject(row, "IPv6", "false");
	cJSON_AddStringToObject(row, "CreatedAt", cJSON_GetObjectItem(obj, "Created")->valuestring);
	strbuf_init(&labels);
	cJSON_ArrayForEach (it, cJSON_GetObjectItem(obj, "Labels"))
		strbuf_printf(&labels, "%s%s=%s", labels.len ? "," : "", it->string,
		              cJSON_IsString(it) ? it->valuestring : "");
	cJSON_AddStringToObject(row, "Labels", labels.buf);
	strbuf_release(&labels);
	return row;
}

static int cmd_ls(struct cli_ctx *ctx, struct cli_args *a, struct ctr_err *err)
{
	struct ctr_store *st;
	struct strv ids;
	cJSON *rows;
	int rc = 0;

	if (cli_store(ctx, &st, err) < 0)
		return 1;
	ctr_net_reconcile_containers(st);
	if (ctr_network_list(st, &ids, err) < 0) {
		strv_release(&ids);
		return 1;
	}
	rows = cJSON_CreateArray();
	for (size_t i = 0; i < ids.n && rc == 0; i++) {
		cJSON *obj = NULL;
		struct ctr_err e;
		bool match;
		if (ctr_network_inspect(st, ids.v[i], &obj, &e) < 0)
			continue;
		rc = ls_match(obj, cli_list(a, "filter"), &match, err);
		if (rc == 0 && match) {
			if (cli_bool(a, "quiet"))
				fprintf(ctx->out, "%.*s\n", cli_bool(a, "no-trunc") ? 64 : 12,
				        ids.v[i]);
			else
				cJSON_AddItemToArray(rows, ls_row(obj, cli_bool(a, "no-trunc")));
		}
		cJSON_Delete(obj);
	}
	if (rc == 0 && !cli_bool(a, "quiet"))
		rc = cli_format_list(ctx, cli_str(a, "format"),
		                     "table {{.ID}}\t{{.Name}}\t{{.Driver}}\t{{.Scope}}",
		                     network_headers, rows, err);
	cJSON_Delete(rows);
	strv_release(&ids);
	return rc < 0 ? ctr_err_exit_status(err->code) : 0;
}

/* ---- inspect ----------------------------------------------------------- */

static const struct cli_flag inspect_flags[] = {
    {.name = "format",
     .shortname = 'f',
     .type = CLI_STRING,
     .metavar = "FORMAT",
     .help = "Format each network with a template such as {{.IPAM.Config}}"},
    {0},
};

static int cmd_inspect(struct cli_ctx *ctx, struct cli_args *a, struct ctr_err *err)
{
	struct ctr_store *st;
	cJSON *arr;
	int failed = 0;
	struct ctr_err fe;

	if (cli_store(ctx, &st, err) < 0)
		return 1;
	ctr_net_reconcile_containers(st);
	arr = cJSON_CreateArray();
	for (int i = 0; i < a->argc; i++) {
		cJSON *obj = NULL;
		struct ctr_err e;
		ctr_err_clear(&e);
		if (ctr_network_inspect(st, a->argv[i], &obj, &e) < 0) {
			if (failed++)
				cli_print_error(err);
			*err = e;
			continue;
		}
		cJSON_AddItemToArray(arr, obj);
	}
	ctr_err_clear(&fe);
	if (cli_format_inspect(ctx, cli_str(a, "format"), arr, &fe) < 0) {
		cJSON_Delete(arr);
		*err = fe;
		return ctr_err_exit_status(fe.code);
	}
	cJSON_Delete(arr);
	return failed ? 1 : 0;
}

/* ---- rm / prune -------------------------------------------------------- */

static int cmd_rm(struct cli_ctx *ctx, struct cli_args *a, struct ctr_err *err)
{
	struct ctr_store *st;
	int failed = 0;

	if (cli_store(ctx, &st, err) < 0)
		return 1;
	ctr_net_reconcile_containers(st);
	for (int i = 0; i < a->argc; i++) {
		struct ctr_err e;
		ctr_err_clear(&e);
		if (ctr_network_remove(st, a->argv[i], &e) < 0) {
			if (failed++)
				cli_print_error(err);
			*err = e;
			continue;
		}
		fprintf(ctx->out, "%s\n", a->argv[i]);
	}
	return failed ? 1 : 0;
}

static const struct cli_flag prune_flags[] = {
    {.name = "force", .shortname = 'f', .type = CLI_BOOL, .help = "Do not prompt for confirmation"},
    {0},
};

static int cmd_prune(struct cli_ctx *ctx, struct cli_args *a, struct ctr_err *err)
{
	struct ctr_store *st;
	struct strv removed;
	int rc;

	if (!cli_bool(a, "force")) {
		char line[64];
		if (ctx->batch) {
			ctr_fail(err, E_USAGE,
			         "network prune needs confirmation, and batch mode never "
			         "prompts");
			ctr_hint(err, "add -f/--force to prune without asking");
			return 2;
		}
		fprintf(stderr,
		        "WARNING! This will remove all custom networks not used by at least "
		        "one container.\nAre you sure you want to continue? [y/N] ");
		fflush(stderr);
		if (!fgets(line, sizeof line, stdin) || (line[0] != 'y' && line[0] != 'Y'))
			return 0;
	}
	if (cli_store(ctx, &st, err) < 0)
		return 1;
	ctr_net_reconcile_containers(st);
	strv_init(&removed);
	rc = ctr_network_prune(st, &removed, err);
	if (removed.n) {
		fprintf(ctx->out, "Deleted Networks:\n");
		for (size_t i = 0; i < removed.n; i++)
			fprintf(ctx->out, "%s\n", removed.v[i]);
	}
	strv_release(&removed);
	return rc < 0 ? 1 : 0;
}

/* ---- reload / explain -------------------------------------------------- */

static int cmd_reload(struct cli_ctx *ctx, struct cli_args *a, struct ctr_err *err)
{
	struct ctr_store *st;

	if (cli_store(ctx, &st, err) < 0)
		return 1;
	if (ctr_network_reload(st, err) < 0)
		return ctr_err_exit_status(err->code);
	return 0;
}

static int cmd_explain(struct cli_ctx *ctx, struct cli_args *a, struct ctr_err *err)
{
	struct ctr_store *st;

	if (cli_store(ctx, &st, err) < 0)
		return 1;
	ctr_net_reconcile_containers(st);
	if (ctr_network_explain(st, a->argv[0], ctx->out, err) < 0)
		return ctr_err_exit_status(err->code);
	return 0;
}

static int cmd_purge(struct cli_ctx *ctx, struct cli_args *a, struct ctr_err *err)
{
	struct ctr_store *st;

	if (cli_store(ctx, &st, err) < 0)
		return 1;
	ctr_net_reconcile_containers(st);
	if (ctr_network_purge(st, err) < 0)
		return ctr_err_exit_status(err->code);
	return 0;
}

static const struct cli_command cmd_net_purge = {
    .name = "__network-purge",
    .summary = "Remove every network of this state root, its bridges and its nft table",
    .usage = "",
    .group = "Networks",
    .max_args = 0,
    .opts = CLI_HIDDEN_CMD,
    .handler = cmd_purge,
};

/* ---- port (a container command) ---------------------------------------- */

static int cmd_port(struct cli_ctx *ctx, struct cli_args *a, struct ctr_err *err)
{
	struct ctr_store *st;
	struct ctr_net_lease l;
	struct ctr_port_map *want = NULL;
	size_t nwant = 0;
	bool found = false;

	if (cli_store(ctx, &st, err) < 0)
		return 1;
	if (a->argc > 1) {
		if (strchr(a->argv[1], ':') ||
		    ctr_publish_parse(a->argv[1], &want, &nwant, err) < 0 || nwant != 1) {
			free(want);
			ctr_fail(err, E_INVALID_ARG, "invalid port \"%s\"", a->argv[1]);
			ctr_hint(err, "give PORT or PORT/tcp|udp, e.g. containr port web 80/tcp");
			return 2;
		}
	}
	if (ctr_container_ports(st, a->argv[0], &l, err) < 0) {
		free(want);
		return ctr_err_exit_status(err->code);
	}
	for (size_t i = 0; i < l.nports; i++) {
		const struct ctr_port_map *m = &l.ports[i];
		char hip[16] = "0.0.0.0";
		if (want && (want->ctr_port != m->ctr_port || want->proto != m->proto))
			continue;
		if (m->host_ip)
			ctr_ip_str(m->host_ip, hip);
		if (want)
			fprintf(ctx->out, "%s:%u\n", hip, m->host_port);
		else
			fprintf(ctx->out, "%u/%s -> %s:%u\n", m->ctr_port, ctr_proto_name(m->proto),
			        hip, m->host_port);
		found = true;
	}
	ctr_net_lease_release(&l);
	if (want && !found) {
		ctr_fail(err, E_NOT_FOUND, "no public port '%u/%s' published for %s",
		         want->ctr_port, ctr_proto_name(want->proto), a->argv[0]);
		ctr_hint(err, "list its mappings: containr port %s", a->argv[0]);
		free(want);
		return 1;
	}
	free(want);
	return 0;
}

static const struct cli_command cmd_port_cmd = {
    .name = "port",
    .summary = "List port mappings or a specific mapping for the container",
    .usage = "CONTAINER [PRIVATE_PORT[/PROTO]]",
    .group = "Containers",
    .min_args = 1,
    .max_args = 2,
    .complete = COMP_CONTAINER,
    .handler = cmd_port,
};

/* ---- the table --------------------------------------------------------- */

static const char *const ls_aliases[] = {"list", NULL};
static const char *const rm_aliases[] = {"remove", NULL};

static const struct cli_command cmd_network_create = {
    .name = "create",
    .summary = "Create a network",
    .usage = "[OPTIONS] NETWORK",
    .group = "Networks",
    .flags = create_flags,
    .min_args = 1,
    .max_args = 1,
    .handler = cmd_create,
    .description = "A Linux bridge with an IPv4 subnet. Without --subnet, the first subnet of "
                   "10.88-99.0.0/16, 172.18-31.0.0/16, 192.168.N.0/24 that overlaps no host "
                   "route and no network is used.",
};

static const struct cli_command cmd_network_ls = {
    .name = "ls",
    .aliases = ls_aliases,
    .summary = "List networks",
    .usage = "[OPTIONS]",
    .group = "Networks",
    .flags = ls_flags,
    .max_args = 0,
    .handler = cmd_ls,
};

static const struct cli_command cmd_network_inspect = {
    .name = "inspect",
    .summary = "Display detailed information on one or more networks",
    .usage = "[OPTIONS] NETWORK...",
    .group = "Networks",
    .flags = inspect_flags,
    .min_args = 1,
    .max_args = -1,
    .handler = cmd_inspect,
};

static const struct cli_command cmd_network_rm = {
    .name = "rm",
    .aliases = rm_aliases,
    .summary = "Remove one or more networks",
    .usage = "NETWORK...",
    .group = "Networks",
    .min_args = 1,
    .max_args = -1,
    .handler = cmd_rm,
    .description = "A network a container is attached to is refused.",
};

static const struct cli_command cmd_network_prune = {
    .name = "prune",
    .summary = "Remove all unused networks",
    .usage = "[OPTIONS]",
    .group = "Networks",
    .flags = prune_flags,
    .max_args = 0,
    .handler = cmd_prune,
};

static const struct cli_command cmd_network_reload = {
    .name = "reload",
    .summary = "Recreate bridges and the nftables table from the state",
    .usage = "",
    .group = "Networks",
    .max_args = 0,
    .handler = cmd_reload,
    .description = "After `nft flush ruleset` or a deleted bridge: rules and published ports "
                   "come back without restarting containers.",
};

static const struct cli_command cmd_network_explain = {
    .name = "explain",
    .summary = "Show the live picture of a network or a container's network",
    .usage = "NETWORK|CONTAINER",
    .group = "Networks",
    .min_args = 1,
    .max_args = 1,
    .handler = cmd_explain,
    .description = "The bridge and its veths, addresses, leases, and containr's nftables "
                   "table with its counters.",
};

static const struct cli_command *const network_subcommands[] = {
    &cmd_network_create, &cmd_network_ls,     &cmd_network_inspect, &cmd_network_rm,
    &cmd_network_prune,  &cmd_network_reload, &cmd_network_explain, NULL,
};

static const struct cli_command cmd_network = {
    .name = "network",
    .summary = "Manage networks",
    .usage = "COMMAND",
    .group = "Networks",
    .max_args = -1,
    .subcommands = network_subcommands,
};

const struct cli_command *const cli_cmds_network[] = {
    &cmd_network,
    &cmd_port_cmd,
    &cmd_net_purge,
    NULL,
};
