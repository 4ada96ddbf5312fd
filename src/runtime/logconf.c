/*
 * logconf.c - a container's logging configuration: --log-driver and
 * --log-opt checked and merged with the defaults of containr.conf, the
 * one global configuration file (docs/RUNTIME.md, "Logs").
 *
 * containr.conf is a TOML subset: `[section]` lines, `key = value` lines
 * (a value "quoted" or bare), `#` comments.  Today it holds one section:
 *
 *   [logs]
 *   driver = "json-file"   # json-file | k8s-file | none
 *   max_size = "10m"       # as --log-opt max-size
 *   max_file = 3           # as --log-opt max-file
 *
 * An unknown section or key is an error naming the file and line, so a
 * typo never silently keeps logs growing.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "containr/container.h"
#include "containr/util.h"

static const char *const drivers[] = {"json-file", "k8s-file", "none"};

bool ctr_log_driver_none(const struct ctr_container_config *cfg)
{
	return cfg->log_driver && strcmp(cfg->log_driver, "none") == 0;
}

char *ctr_config_path(void)
{
	const char *env = getenv("CONTAINR_CONFIG"), *xdg = getenv("XDG_CONFIG_HOME");
	const char *home = getenv("HOME");
	char *p;

	if (env && *env)
		return xstrdup(env); /* named explicitly: must exist (checked by the reader) */
	if (xdg && *xdg)
		p = xasprintf("%s/containr/containr.conf", xdg);
	else if (home && *home)
		p = xasprintf("%s/.config/containr/containr.conf", home);
	else
		p = NULL;
	if (p && access(p, F_OK) == 0)
		return p;
	free(p);
	if (access("/etc/containr/containr.conf", F_OK) == 0)
		return xstrdup("/etc/containr/containr.conf");
	return NULL;
}

/* The defaults of containr.conf: driver (heap or NULL) and options as "k=v". */
struct log_defaults {
	char *driver;
	struct strv opts;
};

static char *trim(char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	size_t n = strlen(s);
	while (n && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
	return s;
}

/* A value: "quoted" (no escapes) or bare up to a '#'. NULL if malformed. */
static char *value(char *v)
{
	if (*v == '"') {
		char *end = strchr(v + 1, '"');
		if (!end)
			return NULL;
		char *rest = trim(end + 1);
		if (*rest != '\0' && *rest != '#')
			return NULL;
		*end = '\0';
		return v + 1;
	}
	char *hash = strchr(v, '#');
	if (hash)
		*hash = '\0';
	v = trim(v);
	return *v ? v : NULL;
}

static int load_defaults(struct log_defaults *d, struct ctr_err *err)
{
	cleanup_free char *path = ctr_config_path();
	FILE *f;
	char line[1024], section[64] = "";
	int lineno = 0;

	d->driver = NULL;
	strv_init(&d->opts);
	if (!path)
		return 0;
	f = fopen(path, "re");
	if (!f)
		return ctr_fail_errno(err, E_INVALID_ARG, errno, "cannot read the configuration %s",
		                      path);
	while (fgets(line, sizeof line, f)) {
		char *s = trim(line), *eq, *key, *val;
		lineno++;
		if (!*s || *s == '#')
			continue;
		if (*s == '[') {
			char *end = strchr(s, ']');
			if (!end || end - s - 1 >= (long)sizeof section)
				goto bad;
			*end = '\0';
			snprintf(section, sizeof section, "%s", trim(s + 1));
			if (strcmp(section, "logs") != 0) {
				fclose(f);
				ctr_fail(err, E_INVALID_ARG, "%s:%d: unknown section [%s]", path,
				         lineno, section);
				return ctr_hint(err, "containr.conf knows the section [logs]");
			}
			continue;
		}
		eq = strchr(s, '=');
		if (!eq || !section[0])
			goto bad;
		*eq = '\0';
		key = trim(s);
		val = value(trim(eq + 1));
		if (!val)
			goto bad;
		if (strcmp(key, "driver") == 0) {
			free(d->driver);
			d->driver = xstrdup(val);
		} else if (strcmp(key, "max_size") == 0) {
			strv_push_owned(&d->opts, xasprintf("max-size=%s", val));
		} else if (strcmp(key, "max_file") == 0) {
			strv_push_owned(&d->opts, xasprintf("max-file=%s", val));
		} else {
			fclose(f);
			ctr_fail(err, E_INVALID_ARG, "%s:%d: unknown key %s in [logs]", path,
			         lineno, key);
			return ctr_hint(err, "[logs] knows driver, max_size and max_file");
		}
	}
	fclose(f);
	return 0;
bad:
	fclose(f);
	ctr_fail(err, E_INVALID_ARG, "%s:%d: cannot parse this line", path, lineno);
	return ctr_hint(err, "lines are [section], key = \"value\" or # comments");
}

static const char *opt_value(const struct strv *opts, const char *key)
{
	size_t kl = strlen(key);
	const char *v = NULL;
	for (size_t i = 0; i < opts->n; i++)
		if (!strncmp(opts->v[i], key, kl) && opts->v[i][kl] == '=')
			v = opts->v[i] + kl + 1; /* the last one wins */
	return v;
}

int ctr_log_config_apply(struct ctr_container_config *cfg, const char *driver,
                         const struct strv *opts, struct ctr_err *err)
{
	struct log_defaults d;
	struct strv all;
	int64_t max_size = 0, max_file = 1;
	bool known = false;
	const char *v;
	struct ctr_err e2;
	const char *from = driver ? "--log-driver" : "containr.conf";

	if (load_defaults(&d, err) < 0)
		goto fail_d; /* what it read before the bad line */
	if (!driver)
		driver = d.driver ? d.driver : "json-file";
	for (size_t i = 0; i < CTR_ARRAY_SIZE(drivers); i++)
		known |= strcmp(driver, drivers[i]) == 0;
	if (!known) {
		ctr_fail(err, E_INVALID_ARG, "unknown log driver \"%s\" (%s)", driver, from);
		ctr_hint(err, "use json-file (the default), k8s-file or none");
		goto fail_d;
	}
	/* Options given, then the defaults they do not override (same driver only). */
	strv_init(&all);
	for (size_t i = 0; opts && i < opts->n; i++) {
		const char *o = opts->v[i], *eq = strchr(o, '=');
		if (!eq || eq == o) {
			ctr_fail(err, E_INVALID_ARG, "invalid --log-opt \"%s\": not KEY=VALUE", o);
			ctr_hint(err, "e.g. --log-opt max-size=10m --log-opt max-file=3");
			goto fail;
		}
		strv_push(&all, o);
	}
	if (strcmp(driver, d.driver ? d.driver : "json-file") == 0)
		for (size_t i = 0; i < d.opts.n; i++) {
			cleanup_free char *key = xstrndup(d.opts.v[i], strcspn(d.opts.v[i], "="));
			if (!opt_value(&all, key))
				strv_push(&all, d.opts.v[i]);
		}
	for (size_t i = 0; i < all.n; i++) {
		cleanup_free char *key = xstrndup(all.v[i], strcspn(all.v[i], "="));
		if (strcmp(driver, "none") == 0 ||
		    (strcmp(key, "max-size") != 0 && strcmp(key, "max-file") != 0)) {
			ctr_fail(err, E_INVALID_ARG, "unknown log opt '%s' for %s log driver", key,
			         driver);
			ctr_hint(err, strcmp(driver, "none") == 0
			                  ? "the none driver takes no options"
			                  : "json-file and k8s-file take max-size and max-file");
			goto fail;
		}
	}
	if ((v = opt_value(&all, "max-size"))) {
		ctr_err_clear(&e2);
		if (ctr_parse_size(v, &max_size, &e2) < 0 || max_size <= 0) {
			ctr_fail(err, E_INVALID_ARG,
			         "invalid log opt max-size=%s: not a size above 0", v);
			ctr_hint(err, "max-size is a size with a unit: 512k, 10m, 1g");
			goto fail;
		}
	}
	if ((v = opt_value(&all, "max-file"))) {
		if (ctr_parse_i64(v, 1, 1000, &max_file) < 0) {
			ctr_fail(err, E_INVALID_ARG,
			         "invalid log opt max-file=%s: not a count of 1 or more", v);
			ctr_hint(err,
			         "max-file is how many files to keep, ctr.log included: 1 to 1000");
			goto fail;
		}
	}
	free(cfg->log_driver);
	cfg->log_driver = xstrdup(driver);
	strv_release(&cfg->log_opts);
	cfg->log_opts = all;
	cfg->log_max_size = max_size;
	cfg->log_max_file = (int)max_file;
	free(d.driver);
	strv_release(&d.opts);
	return 0;
fail:
	strv_release(&all);
fail_d:
	free(d.driver);
	strv_release(&d.opts);
	return -1;
}
