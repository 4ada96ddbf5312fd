/*
 * mount_spec.c - the mount list of a container: parsing -v, --mount, --tmpfs
 * and --volumes-from as Docker does, storing the list in config.json,
 * Docker's inspect view, preparing volumes at create and removing anonymous
 * volumes at rm.
 *
 * Parsing only checks and normalises: destinations are cleaned absolute
 * paths, tmpfs options become mount(2) data ("size=67108864,mode=1777") plus
 * flag words, nothing on disk changes.  ctr_mounts_prepare() is the step
 * that creates things.  Applying the list lives in mount_apply.c.
 */
#include "containr/volume.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "containr/container.h"
#include "containr/log.h"
#include "lib/json.h"
#include "volume/internal.h"

static void mount_free(struct ctr_mount *m)
{
	free(m->source);
	free(m->destination);
	free(m->options);
	free(m->propagation);
	free(m->mode);
	strv_release(&m->vol_labels);
	strv_release(&m->vol_opts);
}

void ctr_mount_list_free(struct ctr_mount_list *list)
{
	for (size_t i = 0; i < list->n; i++)
		mount_free(&list->v[i]);
	free(list->v);
	list->v = NULL;
	list->n = 0;
}

static struct ctr_mount *list_add(struct ctr_mount_list *l)
{
	l->v = xrealloc(l->v, (l->n + 1) * sizeof *l->v);
	struct ctr_mount *m = &l->v[l->n++];
	memset(m, 0, sizeof *m);
	strv_init(&m->vol_labels);
	strv_init(&m->vol_opts);
	return m;
}

static const char *type_name(enum ctr_mount_type t)
{
	return t == CTR_MOUNT_BIND ? "bind" : t == CTR_MOUNT_VOLUME ? "volume" : "tmpfs";
}

/*
 * Clean an absolute path lexically: collapse "//" and ".", resolve ".."
 * (clamped at "/"), drop a trailing slash.  NULL if `p` is not absolute.
 */
static char *clean_abs_path(const char *p)
{
	if (!p || p[0] != '/')
		return NULL;
	char *out = xmalloc(strlen(p) + 2);
	size_t len = 0;
	const char *s = p;

	while (*s) {
		while (*s == '/')
			s++;
		if (!*s)
			break;
		const char *e = strchrnul(s, '/');
		size_t n = (size_t)(e - s);
		if (n == 1 && s[0] == '.') {
			/* skip */
		} else if (n == 2 && s[0] == '.' && s[1] == '.') {
			while (len > 0 && out[len - 1] != '/')
				len--;
			if (len > 0)
				len--; /* the slash */
		} else {
			out[len++] = '/';
			memcpy(out + len, s, n);
			len += n;
		}
		s = e;
	}
	if (len == 0)
		out[len++] = '/';
	out[len] = '\0';
	return out;
}

static int set_destination(struct ctr_mount *m, const char *dst, const char *spec,
                           struct ctr_err *err)
{
	if (!dst || !*dst) {
		ctr_fail(err, E_INVALID_ARG, "invalid mount spec \"%s\": no container path", spec);
		return ctr_hint(err, "write -v SOURCE:/path/in/container");
	}
	if (dst[0] != '/') {
		ctr_fail(err, E_INVALID_ARG,
		         "invalid mount spec \"%s\": container path \"%s\" is not absolute", spec,
		         dst);
		return ctr_hint(err, "container paths start with '/', e.g. /data");
	}
	m->destination = clean_abs_path(dst);
	if (!strcmp(m->destination, "/")) {
		ctr_fail(err, E_INVALID_ARG, "invalid mount spec \"%s\": cannot mount over /",
		         spec);
		return ctr_hint(err, "mount on a directory such as /data");
	}
	return 0;
}

/* A bind source: absolute, or ./ ../ relative to the working directory. */
static int set_bind_source(struct ctr_mount *m, const char *src, const char *spec,
                           struct ctr_err *err)
{
	if (src[0] == '/') {
		m->source = clean_abs_path(src);
		return 0;
	}
	char cwd[4096];
	if (!getcwd(cwd, sizeof cwd))
		return ctr_fail_errno(err, E_IO, errno, "cannot resolve %s in \"%s\"", src, spec);
	cleanup_free char *abs = ctr_path_join(cwd, src);
	m->source = clean_abs_path(abs);
	return 0;
}

static bool is_bind_source(const char *s)
{
	return s[0] == '/' || s[0] == '.' || s[0] == '~';
}

static bool is_propagation(const char *s)
{
	return volume_propagation_find(s) != NULL;
}

/* "ro", "rw,nocopy"...: the last field of "-v /ctr:ro" (anonymous + mode). */
static bool is_mode_list(const char *s)
{
	static const char *const words[] = {"ro", "rw", "z", "Z", "nocopy", "U", "idmap"};
	cleanup_free char *o = xstrdup(s);
	char *save = NULL;
	bool any = false;

	for (char *tok = strtok_r(o, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		bool known = false;
		for (size_t i = 0; i < CTR_ARRAY_SIZE(words); i++)
			known = known || !strcmp(tok, words[i]);
		if (!known)
			return false;
		any = true;
	}
	return any;
}

/* U on a bind of the host's "/" would chown the whole host file system. */
static int check_chown_source(const struct ctr_mount *m, const char *spec, struct ctr_err *err)
{
	if (!m->chown || m->type != CTR_MOUNT_BIND || strcmp(m->source, "/") != 0)
		return 0;
	ctr_fail(err, E_INVALID_ARG,
	         "invalid mount spec \"%s\": U would chown the host's whole root file system",
	         spec);
	return ctr_hint(err, "bind a dedicated directory, or drop U");
}

/* -v [SRC:]DST[:OPTS] */
static int parse_volume(const struct ctr_store *st, const char *spec, struct ctr_mount_list *l,
                        struct ctr_err *err)
{
	cleanup_free char *copy = xstrdup(spec);
	char *parts[4] = {0};
	int n = 0;
	char *save = NULL;

	/* strtok would skip empty fields; we need ":/x" to be an error. */
	char *p = copy;
	while (n < 4) {
		parts[n++] = p;
		char *c = strchr(p, ':');
		if (!c)
			break;
		*c = '\0';
		p = c + 1;
	}
	if (n > 3 || !*spec) {
		ctr_fail(err, E_INVALID_ARG, "invalid volume spec \"%s\": too many colons", spec);
		return ctr_hint(err, "use -v [SOURCE:]/container/path[:ro|rw]");
	}

	struct ctr_mount *m = list_add(l);
	const char *src = NULL, *dst, *opts = NULL;
	if (n == 1) {
		dst = parts[0];
	} else if (n == 2 && parts[0][0] == '/' && is_mode_list(parts[1])) {
		/* "/ctr:ro" : anonymous volume with options */
		dst = parts[0];
		opts = parts[1];
	} else {
		src = parts[0];
		dst = parts[1];
		opts = n == 3 ? parts[2] : NULL;
		if (!*src) {
			ctr_fail(err, E_INVALID_ARG, "invalid volume spec \"%s\": empty source",
			         spec);
			return ctr_hint(err,
			                "write -v NAME:%s for a named volume, -v /host/dir:%s "
			                "for a bind mount, or -v %s for an anonymous volume",
			                dst, dst, dst);
		}
	}
	if (set_destination(m, dst, spec, err) < 0)
		return -1;
	if (!src) {
		m->type = CTR_MOUNT_VOLUME;
		m->anonymous = true;
	} else if (is_bind_source(src)) {
		if (src[0] == '~') {
			ctr_fail(err, E_INVALID_ARG,
			         "invalid volume spec \"%s\": ~ is not expanded", spec);
			return ctr_hint(err, "give an absolute host path");
		}
		m->type = CTR_MOUNT_BIND;
		if (set_bind_source(m, src, spec, err) < 0)
			return -1;
	} else {
		if (!ctr_name_valid(src)) {
			ctr_fail(err, E_INVALID_ARG,
			         "invalid volume spec \"%s\": \"%s\" is not a valid volume name",
			         spec, src);
			return ctr_hint(err, "volume names match [a-zA-Z0-9][a-zA-Z0-9_.-]*; bind "
			                     "mounts need an absolute host path");
		}
		m->type = CTR_MOUNT_VOLUME;
		m->source = xstrdup(src);
	}
	m->mode = xstrdup(opts ? opts : "");
	if (opts && *opts) {
		cleanup_free char *o = xstrdup(opts);
		int rw_seen = 0;
		for (char *tok = strtok_r(o, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
			if (!strcmp(tok, "ro") || !strcmp(tok, "rw")) {
				if (rw_seen++) {
					ctr_fail(err, E_INVALID_ARG,
					         "invalid volume spec \"%s\": ro and rw both given",
					         spec);
					return ctr_hint(err, "give one of ro or rw");
				}
				m->readonly = tok[1] == 'o';
			} else if (!strcmp(tok, "z") || !strcmp(tok, "Z")) {
				/* SELinux relabel: nothing to do without SELinux (as Docker). */
			} else if (!strcmp(tok, "U")) {
				m->chown = true;
			} else if (!strcmp(tok, "idmap")) {
				m->idmap = true;
			} else if (!strcmp(tok, "nocopy")) {
				if (m->type != CTR_MOUNT_VOLUME) {
					ctr_fail(err, E_INVALID_ARG,
					         "invalid volume spec \"%s\": nocopy is only for "
					         "volumes",
					         spec);
					return ctr_hint(err, "drop nocopy for a bind mount");
				}
				m->nocopy = true;
			} else if (is_propagation(tok)) {
				if (m->type != CTR_MOUNT_BIND) {
					ctr_fail(err, E_INVALID_ARG,
					         "invalid volume spec \"%s\": propagation %s is "
					         "only for "
					         "bind mounts",
					         spec, tok);
					return ctr_hint(err, "drop it, or bind a host path");
				}
				free(m->propagation);
				m->propagation = xstrdup(tok);
			} else {
				ctr_fail(err, E_INVALID_ARG,
				         "invalid mode \"%s\" in volume spec \"%s\"", tok, spec);
				return ctr_hint(
				    err, "modes are ro, rw, nocopy, U, z, Z and a propagation "
				         "(rprivate, rshared, rslave...)");
			}
		}
	}
	return check_chown_source(m, spec, err);
}

/*
 * tmpfs options (--tmpfs DST:OPTS, tmpfs-size/-mode, volume o=) ->
 * canonical "size=BYTES,mode=OCTAL,...flags".  Defaults: noexec,nosuid,nodev.
 */
int volume_tmpfs_options(const char *opts, const char *spec, char **out, struct ctr_err *err)
{
	struct strbuf sb;
	cleanup_free char *o = xstrdup(opts ? opts : "");
	char *save = NULL;
	const struct volume_mount_opt *fo, *po;
	unsigned long flags = MS_NOEXEC | MS_NOSUID | MS_NODEV; /* Docker's defaults */

	strbuf_init(&sb);
	for (char *tok = strtok_r(o, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(tok, '=');
		if (eq) {
			*eq = '\0';
			const char *v = eq + 1;
			if (!strcmp(tok, "size")) {
				int64_t bytes;
				struct ctr_err e2;
				ctr_err_clear(&e2);
				if (!strcmp(v, "") || (v[strlen(v) - 1] == '%')) {
					ctr_fail(err, E_INVALID_ARG,
					         "invalid tmpfs size \"%s\" in \"%s\"", v, spec);
					goto bad_size;
				}
				if (ctr_parse_size(v, &bytes, &e2) < 0 || bytes <= 0) {
					ctr_fail(err, E_INVALID_ARG,
					         "invalid tmpfs size \"%s\" in \"%s\"", v, spec);
					goto bad_size;
				}
				strbuf_printf(&sb, "%ssize=%lld", sb.len ? "," : "",
				              (long long)bytes);
			} else if (!strcmp(tok, "mode")) {
				char *end;
				long mode = strtol(v, &end, 8);
				if (!*v || *end || mode < 0 || mode > 07777) {
					ctr_fail(err, E_INVALID_ARG,
					         "invalid tmpfs mode \"%s\" in \"%s\"", v, spec);
					strbuf_release(&sb);
					return ctr_hint(err, "an octal mode such as 1777 or 755");
				}
				strbuf_printf(&sb, "%smode=%lo", sb.len ? "," : "",
				              (unsigned long)mode);
			} else if (!strcmp(tok, "uid") || !strcmp(tok, "gid") ||
			           !strcmp(tok, "nr_inodes") || !strcmp(tok, "nr_blocks")) {
				uint64_t num;
				/* nr_inodes also takes k/m/g suffixes and % (tmpfs(5)) */
				if (!*v || (ctr_parse_u64(v, UINT64_MAX, &num) < 0 &&
				            strcmp(tok, "nr_inodes") != 0)) {
					ctr_fail(err, E_INVALID_ARG,
					         "invalid tmpfs option %s=%s in \"%s\"", tok, v,
					         spec);
					strbuf_release(&sb);
					return ctr_hint(err, "a number is expected");
				}
				strbuf_printf(&sb, "%s%s=%s", sb.len ? "," : "", tok, v);
			} else {
				ctr_fail(err, E_INVALID_ARG, "unknown tmpfs option %s= in \"%s\"",
				         tok, spec);
				strbuf_release(&sb);
				return ctr_hint(err, "tmpfs options: size=, mode=, uid=, gid=, "
				                     "nr_inodes=, ro, rw, exec, noexec, suid, dev");
			}
			continue;
		}
		if ((fo = volume_tmpfs_flag_find(tok)) != NULL)
			flags = (flags | fo->set) & ~fo->clear;
		else if ((po = volume_propagation_find(tok)) != NULL && (po->set & MS_PRIVATE))
			; /* private, rprivate: the default */
		else {
			ctr_fail(err, E_INVALID_ARG, "unknown tmpfs option \"%s\" in \"%s\"", tok,
			         spec);
			strbuf_release(&sb);
			return ctr_hint(err, "tmpfs options: size=, mode=, uid=, gid=, nr_inodes=, "
			                     "ro, rw, exec, noexec, suid, dev");
		}
	}
	strbuf_printf(&sb, "%s%s,%s,%s%s", sb.len ? "," : "", flags & MS_NOEXEC ? "noexec" : "exec",
	              flags & MS_NOSUID ? "nosuid" : "suid", flags & MS_NODEV ? "nodev" : "dev",
	              flags & MS_RDONLY ? ",ro" : "");
	*out = strbuf_detach(&sb);
	return 0;
bad_size:
	strbuf_release(&sb);
	return ctr_hint(err, "a size such as 64m, 1g or 65536 (bytes)");
}

/* --tmpfs DST[:OPTS] */
static int parse_tmpfs(const char *spec, struct ctr_mount_list *l, struct ctr_err *err)
{
	const char *colon = strchr(spec, ':');
	cleanup_free char *dst = colon ? xstrndup(spec, (size_t)(colon - spec)) : xstrdup(spec);
	struct ctr_mount *m = list_add(l);

	m->type = CTR_MOUNT_TMPFS;
	if (set_destination(m, dst, spec, err) < 0)
		return -1;
	if (volume_tmpfs_options(colon ? colon + 1 : NULL, spec, &m->options, err) < 0)
		return -1;
	m->readonly = strstr(m->options, ",ro") != NULL;
	m->mode = xstrdup(colon ? colon + 1 : "");
	return 0;
}

static int parse_bool_value(const char *key, const char *v, bool *out, const char *spec,
                            struct ctr_err *err)
{
	if (!v || !strcmp(v, "true") || !strcmp(v, "1")) {
		*out = true;
		return 0;
	}
	if (!strcmp(v, "false") || !strcmp(v, "0")) {
		*out = false;
		return 0;
	}
	ctr_fail(err, E_INVALID_ARG, "invalid value %s=%s in --mount \"%s\"", key, v, spec);
	return ctr_hint(err, "use %s, %s=true or %s=false", key, key, key);
}

/* --mount type=...,source=...,target=...,... */
static int parse_mount(const char *spec, struct ctr_mount_list *l, struct ctr_err *err)
{
	cleanup_free char *o = xstrdup(spec);
	cleanup_free char *src = NULL, *dst = NULL, *tsize = NULL, *tmode = NULL;
	char *save = NULL;
	const char *type = "volume";
	cleanup_free char *type_s = NULL;
	struct ctr_mount *m = list_add(l);
	bool ro = false;

	for (char *tok = strtok_r(o, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(tok, '=');
		const char *v = NULL;
		if (eq) {
			*eq = '\0';
			v = eq + 1;
		}
		const char *k = tok;
		bool needs_value = true;
		if (!strcmp(k, "type")) {
			free(type_s);
			type = type_s = xstrdup(v ? v : "");
		} else if (!strcmp(k, "source") || !strcmp(k, "src")) {
			free(src);
			src = xstrdup(v ? v : "");
		} else if (!strcmp(k, "target") || !strcmp(k, "destination") || !strcmp(k, "dst")) {
			free(dst);
			dst = xstrdup(v ? v : "");
		} else if (!strcmp(k, "readonly") || !strcmp(k, "ro")) {
			needs_value = false;
			if (parse_bool_value(k, v, &ro, spec, err) < 0)
				return -1;
		} else if (!strcmp(k, "volume-nocopy")) {
			needs_value = false;
			if (parse_bool_value(k, v, &m->nocopy, spec, err) < 0)
				return -1;
		} else if (!strcmp(k, "U") || !strcmp(k, "chown")) {
			/* podman: chown the source to the container's user. */
			needs_value = false;
			if (parse_bool_value(k, v, &m->chown, spec, err) < 0)
				return -1;
		} else if (!strcmp(k, "bind-propagation")) {
			if (v && !is_propagation(v)) {
				ctr_fail(err, E_INVALID_ARG, "invalid bind-propagation \"%s\"", v);
				return ctr_hint(err, "one of rprivate, private, rshared, shared, "
				                     "rslave, slave");
			}
			free(m->propagation);
			m->propagation = xstrdup(v ? v : "");
		} else if (!strcmp(k, "volume-driver")) {
			if (v && strcmp(v, "local") != 0) {
				ctr_fail(err, E_UNSUPPORTED, "volume driver %s is not available",
				         v);
				return ctr_hint(err, "containr has only the `local` driver");
			}
		} else if (!strcmp(k, "volume-label")) {
			strv_push(&m->vol_labels, v ? v : "");
		} else if (!strcmp(k, "volume-opt")) {
			strv_push(&m->vol_opts, v ? v : "");
		} else if (!strcmp(k, "tmpfs-size")) {
			free(tsize);
			tsize = xstrdup(v ? v : "");
		} else if (!strcmp(k, "tmpfs-mode")) {
			free(tmode);
			tmode = xstrdup(v ? v : "");
		} else if (!strcmp(k, "consistency")) {
			/* macOS-only in Docker; no effect on Linux. */
		} else {
			ctr_fail(err, E_INVALID_ARG, "unknown key \"%s\" in --mount \"%s\"", k,
			         spec);
			return ctr_hint(err,
			                "keys: type, source|src, target|destination|dst, "
			                "readonly|ro, bind-propagation, volume-nocopy, U|chown, "
			                "volume-label, volume-opt, volume-driver, tmpfs-size, "
			                "tmpfs-mode");
		}
		if (needs_value && (!v || !*v) && strcmp(k, "consistency") != 0) {
			ctr_fail(err, E_INVALID_ARG, "key \"%s\" needs a value in --mount \"%s\"",
			         k, spec);
			return ctr_hint(err, "write %s=VALUE", k);
		}
	}
	m->readonly = ro;
	m->mode = xstrdup(ro ? "ro" : "");
	if (set_destination(m, dst, spec, err) < 0) {
		if (!dst)
			ctr_hint(err, "--mount needs target=/path/in/container");
		return -1;
	}
	if (!strcmp(type, "bind")) {
		m->type = CTR_MOUNT_BIND;
		if (!src) {
			ctr_fail(err, E_INVALID_ARG,
			         "--mount \"%s\": a bind mount needs source=", spec);
			return ctr_hint(err, "add source=/host/path");
		}
		if (src[0] != '/') {
			ctr_fail(err, E_INVALID_ARG,
			         "--mount \"%s\": bind source \"%s\" is not an absolute path", spec,
			         src);
			return ctr_hint(err, "give an absolute host path");
		}
		if (set_bind_source(m, src, spec, err) < 0)
			return -1;
		struct stat sb;
		if (stat(m->source, &sb) < 0) {
			ctr_fail(err, E_NOT_FOUND, "bind source path does not exist: %s",
			         m->source);
			return ctr_hint(err, "create it first (-v creates missing directories, "
			                     "--mount does not, as Docker)");
		}
	} else if (!strcmp(type, "volume")) {
		m->type = CTR_MOUNT_VOLUME;
		if (!src || !*src) {
			m->anonymous = true;
		} else if (!ctr_name_valid(src)) {
			ctr_fail(err, E_INVALID_ARG,
			         "--mount \"%s\": \"%s\" is not a valid volume name", spec, src);
			return ctr_hint(err, "volume names match [a-zA-Z0-9][a-zA-Z0-9_.-]*; use "
			                     "type=bind for a host path");
		} else {
			m->source = xstrdup(src);
		}
	} else if (!strcmp(type, "tmpfs")) {
		m->type = CTR_MOUNT_TMPFS;
		if (src) {
			ctr_fail(err, E_INVALID_ARG, "--mount \"%s\": a tmpfs mount has no source",
			         spec);
			return ctr_hint(err, "drop source=");
		}
		struct strbuf sb;
		strbuf_init(&sb);
		if (tsize)
			strbuf_printf(&sb, "size=%s", tsize);
		if (tmode)
			strbuf_printf(&sb, "%smode=%s", sb.len ? "," : "", tmode);
		if (ro)
			strbuf_printf(&sb, "%sro", sb.len ? "," : "");
		int rc = volume_tmpfs_options(sb.buf, spec, &m->options, err);
		strbuf_release(&sb);
		if (rc < 0)
			return -1;
	} else {
		ctr_fail(err, E_INVALID_ARG, "--mount \"%s\": unknown type \"%s\"", spec, type);
		return ctr_hint(err, "type=bind, type=volume or type=tmpfs");
	}
	if (m->type != CTR_MOUNT_TMPFS && (tsize || tmode)) {
		ctr_fail(err, E_INVALID_ARG,
		         "--mount \"%s\": tmpfs-size/tmpfs-mode need type=tmpfs", spec);
		return ctr_hint(err, "add type=tmpfs");
	}
	if (m->type != CTR_MOUNT_VOLUME && (m->nocopy || m->vol_labels.n || m->vol_opts.n)) {
		ctr_fail(err, E_INVALID_ARG, "--mount \"%s\": volume-* keys need type=volume",
		         spec);
		return ctr_hint(err, "drop them or use type=volume");
	}
	if (m->type == CTR_MOUNT_TMPFS && m->chown) {
		ctr_fail(err, E_INVALID_ARG,
		         "--mount \"%s\": U (chown) needs type=bind or "
		         "type=volume",
		         spec);
		return ctr_hint(err, "for a tmpfs, give its owner with --tmpfs /path:uid=N,gid=N");
	}
	if (m->type != CTR_MOUNT_BIND && m->propagation) {
		ctr_fail(err, E_INVALID_ARG, "--mount \"%s\": bind-propagation needs type=bind",
		         spec);
		return ctr_hint(err, "drop it or use type=bind");
	}
	return check_chown_source(m, spec, err);
}

static void mount_copy(struct ctr_mount *to, const struct ctr_mount *from)
{
	to->type = from->type;
	to->source = from->source ? xstrdup(from->source) : NULL;
	to->destination = xstrdup(from->destination);
	to->readonly = from->readonly;
	to->options = from->options ? xstrdup(from->options) : NULL;
	to->nocopy = from->nocopy;
	to->propagation = from->propagation ? xstrdup(from->propagation) : NULL;
	to->mode = from->mode ? xstrdup(from->mode) : NULL;
	to->chown = from->chown;
	to->idmap = from->idmap;
}

/* --volumes-from C[:ro|:rw] */
static int parse_volumes_from(const struct ctr_store *st, const char *spec,
                              struct ctr_mount_list *l, struct ctr_err *err)
{
	const char *colon = strchr(spec, ':');
	cleanup_free char *name = colon ? xstrndup(spec, (size_t)(colon - spec)) : xstrdup(spec);
	const char *mode = colon ? colon + 1 : NULL;
	char id[65];

	if (mode && strcmp(mode, "ro") != 0 && strcmp(mode, "rw") != 0) {
		ctr_fail(err, E_INVALID_ARG, "invalid mode \"%s\" in --volumes-from \"%s\"", mode,
		         spec);
		return ctr_hint(err, "use --volumes-from CONTAINER[:ro|:rw]");
	}
	if (!st)
		return ctr_fail(err, E_INTERNAL, "--volumes-from needs the store");
	if (ctr_store_resolve(st, CTR_KIND_CONTAINER, name, id, err) < 0)
		return ctr_err_wrap(err, "--volumes-from");
	struct ctr_container_record rec;
	if (ctr_container_record_load(st, id, &rec, err) < 0)
		return -1;
	struct ctr_mount_list theirs = {0};
	int rc = ctr_mounts_from_json(rec.mounts, &theirs, err);
	ctr_container_record_release(&rec);
	if (rc < 0)
		return ctr_err_wrap(err, "--volumes-from %s", name);
	for (size_t i = 0; i < theirs.n; i++) {
		struct ctr_mount *m = list_add(l);
		mount_copy(m, &theirs.v[i]);
		/* Not anonymous for us: removing this container keeps them. */
		m->anonymous = false;
		if (mode) {
			m->readonly = mode[1] == 'o';
			free(m->mode);
			m->mode = xstrdup(mode);
		}
	}
	ctr_mount_list_free(&theirs);
	return 0;
}

int ctr_mounts_parse(const struct ctr_store *st, const struct strv *volumes,
                     const struct strv *mounts, const struct strv *tmpfs,
                     const struct strv *volumes_from, struct ctr_mount_list *out,
                     struct ctr_err *err)
{
	out->v = NULL;
	out->n = 0;
	/* --volumes-from first, so explicit mounts may be checked against them. */
	for (size_t i = 0; volumes_from && i < volumes_from->n; i++)
		if (parse_volumes_from(st, volumes_from->v[i], out, err) < 0)
			return -1;
	size_t inherited = out->n;
	for (size_t i = 0; volumes && i < volumes->n; i++)
		if (parse_volume(st, volumes->v[i], out, err) < 0)
			return -1;
	for (size_t i = 0; mounts && i < mounts->n; i++)
		if (parse_mount(mounts->v[i], out, err) < 0)
			return -1;
	for (size_t i = 0; tmpfs && i < tmpfs->n; i++)
		if (parse_tmpfs(tmpfs->v[i], out, err) < 0)
			return -1;
	for (size_t i = 0; i < out->n; i++)
		for (size_t j = i + 1; j < out->n; j++) {
			if (strcmp(out->v[i].destination, out->v[j].destination) != 0)
				continue;
			if (i < inherited && j >= inherited) {
				/* An explicit mount replaces an inherited one (as Docker). */
				mount_free(&out->v[i]);
				memmove(&out->v[i], &out->v[i + 1],
				        (out->n - i - 1) * sizeof *out->v);
				out->n--;
				inherited--;
				i--;
				break;
			}
			ctr_fail(err, E_INVALID_ARG, "duplicate mount point: %s",
			         out->v[i].destination);
			return ctr_hint(err, "each container path can be mounted once");
		}
	return 0;
}

int ctr_mounts_add_image_volumes(struct ctr_mount_list *list, const cJSON *volumes,
                                 struct ctr_err *err)
{
	const cJSON *it;

	cJSON_ArrayForEach (it, volumes) {
		const char *path = it->string ? it->string : it->valuestring;
		cleanup_free char *clean = clean_abs_path(path);
		bool covered = false;
		if (!clean || !strcmp(clean, "/")) {
			ctr_fail(err, E_INVALID_ARG, "image volume \"%s\" is not an absolute path",
			         path ? path : "");
			return ctr_hint(err, "the image's VOLUME paths must be absolute");
		}
		for (size_t i = 0; i < list->n && !covered; i++)
			covered = !strcmp(list->v[i].destination, clean);
		if (covered)
			continue;
		struct ctr_mount *m = list_add(list);
		m->type = CTR_MOUNT_VOLUME;
		m->anonymous = true;
		m->destination = steal_pointer(&clean);
		m->mode = xstrdup("");
	}
	return 0;
}

/* ---- prepare and remove ------------------------------------------------ */

int ctr_mounts_prepare(const struct ctr_store *st, struct ctr_mount_list *list, struct ctr_err *err)
{
	for (size_t i = 0; i < list->n; i++) {
		struct ctr_mount *m = &list->v[i];
		if (m->type == CTR_MOUNT_VOLUME) {
			if (m->anonymous && !m->source) {
				if (ctr_volume_create(st, NULL, &m->vol_labels, &m->vol_opts, NULL,
				                      true, &m->source, err) < 0)
					return ctr_err_wrap(err, "anonymous volume for %s",
					                    m->destination);
			} else if (!ctr_volume_exists(st, m->source)) {
				if (ctr_volume_create(st, m->source, &m->vol_labels, &m->vol_opts,
				                      NULL, false, NULL, err) < 0 &&
				    !(err && err->code == E_CONFLICT)) /* created meanwhile */
					return -1;
			}
		} else if (m->type == CTR_MOUNT_BIND) {
			struct stat sb;
			if (stat(m->source, &sb) == 0)
				continue;
			if (errno != ENOENT)
				return ctr_fail_errno(err, E_IO, errno, "bind source %s",
				                      m->source);
			ctr_explain("mkdir", "a missing -v bind source is created as a directory",
			            "%s", m->source);
			if (ctr_mkdir_p(m->source, 0755, err) < 0)
				return -1;
		}
	}
	if (err)
		ctr_err_clear(err);
	return 0;
}

int ctr_mounts_remove_anonymous(const struct ctr_store *st, const struct ctr_mount_list *list,
                                struct ctr_err *err)
{
	int rc = 0;

	for (size_t i = 0; i < list->n; i++) {
		const struct ctr_mount *m = &list->v[i];
		struct ctr_err e;
		if (m->type != CTR_MOUNT_VOLUME || !m->anonymous || !m->source)
			continue;
		ctr_err_clear(&e);
		if (ctr_volume_remove(st, m->source, false, &e) < 0) {
			if (e.code == E_NOT_FOUND)
				continue;
			ctr_warn("anonymous volume kept", "name", m->source, "reason", e.msg);
			if (rc == 0 && err)
				*err = e;
			rc = -1;
		}
	}
	return rc;
}

/* ---- JSON -------------------------------------------------------------- */

cJSON *ctr_mounts_to_json(const struct ctr_mount_list *list)
{
	cJSON *a = cJSON_CreateArray();

	for (size_t i = 0; i < list->n; i++) {
		const struct ctr_mount *m = &list->v[i];
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "Type", type_name(m->type));
		if (m->source)
			cJSON_AddStringToObject(o, "Source", m->source);
		cJSON_AddStringToObject(o, "Destination", m->destination);
		cJSON_AddBoolToObject(o, "ReadOnly", m->readonly);
		if (m->anonymous)
			cJSON_AddBoolToObject(o, "Anonymous", true);
		if (m->nocopy)
			cJSON_AddBoolToObject(o, "NoCopy", true);
		if (m->chown)
			cJSON_AddBoolToObject(o, "Chown", true);
		if (m->idmap)
			cJSON_AddBoolToObject(o, "IDMap", true);
		if (m->options)
			cJSON_AddStringToObject(o, "Options", m->options);
		if (m->propagation)
			cJSON_AddStringToObject(o, "Propagation", m->propagation);
		if (m->mode)
			cJSON_AddStringToObject(o, "Mode", m->mode);
		cJSON_AddItemToArray(a, o);
	}
	return a;
}

int ctr_mounts_from_json(const cJSON *json, struct ctr_mount_list *out, struct ctr_err *err)
{
	const cJSON *o;

	out->v = NULL;
	out->n = 0;
	if (!json)
		return 0;
	if (!cJSON_IsArray(json))
		return ctr_fail(err, E_CORRUPT, "\"Mounts\" is not an array");
	cJSON_ArrayForEach (o, json) {
		cleanup_free char *type = ctr_json_strdup(o, "Type");
		struct ctr_mount *m = list_add(out);
		m->destination = ctr_json_strdup(o, "Destination");
		if (!type || !m->destination || m->destination[0] != '/')
			return ctr_fail(err, E_CORRUPT,
			                "a stored mount has no Type or Destination");
		if (!strcmp(type, "bind"))
			m->type = CTR_MOUNT_BIND;
		else if (!strcmp(type, "volume"))
			m->type = CTR_MOUNT_VOLUME;
		else if (!strcmp(type, "tmpfs"))
			m->type = CTR_MOUNT_TMPFS;
		else
			return ctr_fail(err, E_CORRUPT, "stored mount has unknown Type %s", type);
		m->source = ctr_json_strdup(o, "Source");
		if (m->type != CTR_MOUNT_TMPFS && !m->source)
			return ctr_fail(err, E_CORRUPT, "stored %s mount on %s has no Source", type,
			                m->destination);
		if (m->type == CTR_MOUNT_VOLUME && !ctr_name_valid(m->source))
			return ctr_fail(err, E_CORRUPT, "stored volume name %s is invalid",
			                m->source);
		m->readonly = ctr_json_bool(o, "ReadOnly");
		m->anonymous = ctr_json_bool(o, "Anonymous");
		m->nocopy = ctr_json_bool(o, "NoCopy");
		m->chown = ctr_json_bool(o, "Chown");
		m->idmap = ctr_json_bool(o, "IDMap");
		m->options = ctr_json_strdup(o, "Options");
		m->propagation = ctr_json_strdup(o, "Propagation");
		m->mode = ctr_json_strdup(o, "Mode");
	}
	return 0;
}

cJSON *ctr_mounts_inspect_json(const struct ctr_store *st, const struct ctr_mount_list *list)
{
	cJSON *a = cJSON_CreateArray();

	for (size_t i = 0; i < list->n; i++) {
		const struct ctr_mount *m = &list->v[i];
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "Type", type_name(m->type));
		if (m->type == CTR_MOUNT_VOLUME) {
			cleanup_free char *data = ctr_volume_data_path(st, m->source);
			cJSON_AddStringToObject(o, "Name", m->source);
			cJSON_AddStringToObject(o, "Source", data);
		} else {
			cJSON_AddStringToObject(o, "Source", m->source ? m->source : "");
		}
		cJSON_AddStringToObject(o, "Destination", m->destination);
		if (m->type == CTR_MOUNT_VOLUME)
			cJSON_AddStringToObject(o, "Driver", "local");
		cJSON_AddStringToObject(o, "Mode", m->mode ? m->mode : "");
		cJSON_AddBoolToObject(o, "RW", !m->readonly);
		cJSON_AddStringToObject(o, "Propagation",
		                        m->type == CTR_MOUNT_BIND
		                            ? (m->propagation ? m->propagation : "rprivate")
		                            : "");
		cJSON_AddItemToArray(a, o);
	}
	return a;
}
