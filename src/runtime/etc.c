/*
 * etc.c - the container's /etc/hostname, /etc/hosts and /etc/resolv.conf,
 * made as Docker makes them.
 *
 * They are files in the container's directory, written when it first
 * starts and bind-mounted over the image's own (which stay untouched in
 * the layers), so edits made inside the container survive a restart and
 * `inspect` names them (HostnamePath, HostsPath, ResolvConfPath):
 *   hostname     the container's hostname (12 hex of the id, or --hostname)
 *   hosts        localhost entries (with --network host: the host's file)
 *   resolv.conf  the host's resolvers
 * A user mount on one of these paths (-v f:/etc/hosts) wins.  The mounts
 * go through the volume module, so the destination is resolved inside the
 * root: an image whose /etc/hosts is a symlink to /../../etc/shadow only
 * ever reaches its own files.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "containr/log.h"
#include "containr/volume.h"
#include "runtime/internal.h"

static const char *const etc_files[] = {"hostname", "hosts", "resolv.conf"};

/* Docker's /etc/hosts for a container without a shared network. */
static const char default_hosts[] = "127.0.0.1\tlocalhost\n"
                                    "::1\tlocalhost ip6-localhost ip6-loopback\n"
                                    "fe00::0\tip6-localnet\n"
                                    "ff00::0\tip6-mcastprefix\n"
                                    "ff02::1\tip6-allnodes\n"
                                    "ff02::2\tip6-allrouters\n";

void runtime_hostname(const struct ctr_container *c, char out[65])
{
	if (!c->cfg.hostname && runtime_host_network(&c->cfg) && gethostname(out, 64) == 0) {
		out[64] = '\0'; /* Docker: the host's network, the host's name */
		return;
	}
	snprintf(out, 65, "%s", c->cfg.hostname ? c->cfg.hostname : c->id);
	if (!c->cfg.hostname)
		out[12] = '\0';
}

char *runtime_etc_path(const struct ctr_container *c, const char *name)
{
	return c->dir ? xasprintf("%s/%s", c->dir, name) : xstrdup("");
}

/*
 * Make <dir>/<name> from the host's `host_file` (if not NULL and readable)
 * or `fallback`, unless an earlier start made it: the container's edits
 * stay.  Not state: atomic but not fsynced.
 */
static int etc_make(const struct ctr_container *c, const char *name, const char *host_file,
                    const char *fallback, struct ctr_err *err)
{
	cleanup_free char *path = runtime_etc_path(c, name);
	cleanup_free char *text = NULL;
	struct ctr_err ignore;
	size_t len;

	if (access(path, F_OK) == 0)
		return 0;
	if (!host_file || ctr_read_file(host_file, &text, &len, &ignore) < 0) {
		text = xstrdup(fallback);
		len = strlen(text);
	}
	return ctr_write_file_replace(path, text, len, 0644, false, err);
}

int runtime_etc_prepare(const struct ctr_container *c, struct ctr_err *err)
{
	char hostname[66];

	runtime_hostname(c, hostname);
	strcat(hostname, "\n");
	if (runtime_net_name(&c->cfg)) {
		/* On a network: the address changes with each start, so hosts is
		 * rewritten each time (as Docker does); resolv.conf drops the
		 * host's loopback resolvers. */
		cleanup_free char *hpath = runtime_etc_path(c, "hosts");
		struct ctr_err ignore;
		cleanup_free char *old = NULL;
		cleanup_free char *hosts = NULL;
		size_t olen;
		if (ctr_read_file(hpath, &old, &olen, &ignore) == 0) {
			/* A restart: keep the user's edits, replace our address line. */
			struct strbuf kept;
			char suffix[70];
			snprintf(suffix, sizeof suffix, "\t%.*s", (int)strcspn(hostname, "\n"),
			         hostname);
			strbuf_init(&kept);
			for (char *line = old, *nl; *line; line = nl + (*nl == '\n')) {
				nl = line + strcspn(line, "\n");
				size_t len = (size_t)(nl - line), sl = strlen(suffix);
				bool ours = len > sl && line[0] >= '0' && line[0] <= '9' &&
				            !memcmp(line + len - sl, suffix, sl);
				if (!ours)
					strbuf_printf(&kept, "%.*s\n", (int)len, line);
			}
			hosts = runtime_net_hosts(c, kept.buf);
			strbuf_release(&kept);
		} else {
			hosts = runtime_net_hosts(c, default_hosts);
		}
		cleanup_free char *host_resolv = NULL, *resolv = NULL;
		size_t len;
		if (etc_make(c, "hostname", NULL, hostname, err) < 0 ||
		    ctr_write_file_replace(hpath, hosts, strlen(hosts), 0644, false, err) < 0)
			return -1;
		if (ctr_read_file("/etc/resolv.conf", &host_resolv, &len, &ignore) < 0)
			host_resolv = xstrdup("");
		resolv = runtime_net_resolv(host_resolv);
		return etc_make(c, "resolv.conf", NULL, resolv, err);
	}
	if (etc_make(c, "hostname", NULL, hostname, err) < 0 ||
	    etc_make(c, "hosts", runtime_host_network(&c->cfg) ? "/etc/hosts" : NULL, default_hosts,
	             err) < 0 ||
	    /* no resolvers on the host: an empty file, as Docker */
	    etc_make(c, "resolv.conf", "/etc/resolv.conf", "", err) < 0)
		return -1;
	return 0;
}

void runtime_etc_mounts(const struct ctr_container *c, struct ctr_mount_list *list)
{
	for (size_t i = 0; i < CTR_ARRAY_SIZE(etc_files); i++) {
		cleanup_free char *dest = xasprintf("/etc/%s", etc_files[i]);
		struct ctr_mount *m;
		bool taken = false;

		for (size_t j = 0; j < list->n && !taken; j++)
			taken = strcmp(list->v[j].destination, dest) == 0;
		if (taken)
			continue;
		list->v = xrealloc(list->v, (list->n + 1) * sizeof *list->v);
		m = &list->v[list->n++];
		memset(m, 0, sizeof *m);
		strv_init(&m->vol_labels);
		strv_init(&m->vol_opts);
		m->type = CTR_MOUNT_BIND;
		m->source = runtime_etc_path(c, etc_files[i]);
		m->destination = dest;
		dest = NULL;
	}
}
