/*
 * ps.c - the columns and filters of `ps`, as Docker shows them.
 *
 * Kept in the engine so the CLI and the dashboard print the same words:
 * "Up 3 minutes", "Exited (137) 2 seconds ago", "Less than a second ago".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/internal.h"

static char *ago(int64_t ns)
{
	char d[64];
	int64_t s = (ctr_now_ns() - ns) / 1000000000LL;
	ctr_format_duration(d, sizeof d, s < 0 ? 0 : s);
	return xasprintf("%s ago", d);
}

/* Go's strconv.Quote, enough for command lines. */
static char *quote(const char *s)
{
	struct strbuf sb;
	strbuf_init(&sb);
	strbuf_putc(&sb, '"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			strbuf_putc(&sb, '\\');
		strbuf_putc(&sb, *s);
	}
	strbuf_putc(&sb, '"');
	return strbuf_detach(&sb);
}

void ctr_ps_row_fill(const struct ctr_container *c, bool no_trunc, struct ctr_ps_row *row)
{
	struct strv argv;
	struct strbuf cmd;
	char d[64];

	memset(row, 0, sizeof *row);
	row->id = xstrndup(c->id, no_trunc ? 64 : 12);
	row->image = xstrdup(c->cfg.image ? c->cfg.image : (c->cfg.rootfs ? c->cfg.rootfs : ""));
	ctr_container_argv(&c->cfg, &argv);
	strbuf_init(&cmd);
	for (size_t i = 0; i < argv.n; i++) {
		if (i)
			strbuf_putc(&cmd, ' ');
		strbuf_puts(&cmd, argv.v[i]);
	}
	strv_release(&argv);
	if (!no_trunc && cmd.len > 20) {
		/* 19 characters (not bytes) and an ellipsis, as Docker. */
		size_t bytes = 0, chars = 0;
		while (bytes < cmd.len && chars < 19) {
			bytes++;
			while (bytes < cmd.len && ((unsigned char)cmd.buf[bytes] & 0xC0) == 0x80)
				bytes++;
			chars++;
		}
		cmd.len = bytes;
		cmd.buf[bytes] = '\0';
		strbuf_puts(&cmd, "…");
	}
	row->command = quote(cmd.buf);
	strbuf_release(&cmd);
	row->created = ago(c->cfg.created);
	switch (c->state.status) {
	case CTR_STATUS_RUNNING:
	case CTR_STATUS_PAUSED:
		ctr_format_duration(d, sizeof d,
		                    (ctr_now_ns() - c->state.started_at) / 1000000000LL);
		row->status = xasprintf("Up %s%s", d,
		                        c->state.status == CTR_STATUS_PAUSED ? " (Paused)" : "");
		break;
	case CTR_STATUS_EXITED: {
		char *a = ago(c->state.finished_at);
		row->status = xasprintf("Exited (%d) %s", c->state.exit_code, a);
		free(a);
		break;
	}
	case CTR_STATUS_DEAD:
		row->status = xstrdup("Dead");
		break;
	default:
		row->status = xstrdup("Created");
	}
	row->ports = runtime_net_ports_column(c);
	row->names = xstrdup(c->cfg.name ? c->cfg.name : "");
	row->state = xstrdup(ctr_status_name(c->state.status));
}

void ctr_ps_row_release(struct ctr_ps_row *row)
{
	free(row->id);
	free(row->image);
	free(row->command);
	free(row->created);
	free(row->status);
	free(row->ports);
	free(row->names);
	free(row->state);
	memset(row, 0, sizeof *row);
}

int ctr_ps_filter_match(const struct ctr_container *c, const char *filter, struct ctr_err *err)
{
	const char *eq = strchr(filter, '=');
	const char *v;
	size_t kl;

	if (!eq) {
		ctr_fail(err, E_INVALID_ARG, "bad filter \"%s\": expected KEY=VALUE", filter);
		return ctr_hint(
		    err,
		    "e.g. --filter status=running, name=web, label=env=prod, ancestor=busybox");
	}
	kl = (size_t)(eq - filter);
	v = eq + 1;
	if (kl == 6 && strncmp(filter, "status", 6) == 0) {
		if (ctr_status_parse(v) < 0 && strcmp(v, "restarting") != 0 &&
		    strcmp(v, "removing") != 0) {
			ctr_fail(err, E_INVALID_ARG, "invalid filter 'status=%s'", v);
			return ctr_hint(err, "statuses: created, running, paused, exited, dead");
		}
		return strcmp(ctr_status_name(c->state.status), v) == 0;
	}
	if (kl == 4 && strncmp(filter, "name", 4) == 0)
		return c->cfg.name && strstr(c->cfg.name, v) != NULL;
	if (kl == 2 && strncmp(filter, "id", 2) == 0)
		return str_startswith(c->id, v);
	if (kl == 5 && strncmp(filter, "label", 5) == 0) {
		const char *leq = strchr(v, '=');
		cleanup_free char *key = leq ? xstrndup(v, (size_t)(leq - v)) : xstrdup(v);
		const cJSON *l = cJSON_GetObjectItemCaseSensitive(c->cfg.labels, key);
		if (!cJSON_IsString(l))
			return 0;
		return !leq || strcmp(l->valuestring, leq + 1) == 0;
	}
	if (kl == 8 && strncmp(filter, "ancestor", 8) == 0) {
		if (c->cfg.image && (strcmp(c->cfg.image, v) == 0 ||
		                     (c->cfg.image_id && str_startswith(c->cfg.image_id + 7, v)) ||
		                     (strchr(v, ':') == NULL && str_startswith(c->cfg.image, v) &&
		                      c->cfg.image[strlen(v)] == ':')))
			return 1;
		return c->cfg.rootfs && strcmp(c->cfg.rootfs, v) == 0;
	}
	ctr_fail(err, E_INVALID_ARG, "invalid filter '%.*s'", (int)kl, filter);
	return ctr_hint(err, "supported filters: status, name, id, label, ancestor");
}
