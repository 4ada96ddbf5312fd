/*
 * config.c - dashboard.conf parsing (see config.h).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config.h"
#include "containr/util.h"

char *ui_config_default_path(void)
{
	const char *xdg = getenv("XDG_CONFIG_HOME");
	const char *home = getenv("HOME");
	if (xdg && *xdg)
		return xasprintf("%s/containr/dashboard.conf", xdg);
	return xasprintf("%s/.config/containr/dashboard.conf", home && *home ? home : "/root");
}

static char *trim(char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	char *e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

static int parse_yesno(const char *v, bool *out)
{
	if (!strcasecmp(v, "yes") || !strcasecmp(v, "true") || !strcasecmp(v, "on") ||
	    !strcmp(v, "1"))
		*out = true;
	else if (!strcasecmp(v, "no") || !strcasecmp(v, "false") || !strcasecmp(v, "off") ||
	         !strcmp(v, "0"))
		*out = false;
	else
		return -1;
	return 0;
}

int ui_config_parse(const char *text, const char *name, struct ui_opts *opts, struct ui_keymap *km,
                    struct ctr_err *err)
{
	cleanup_free char *copy = xstrdup(text);
	struct ui_opts o = *opts;
	struct ui_keymap *k = xmalloc(sizeof *k);
	int lineno = 0, rc = -1;

	*k = *km;
	for (char *line = copy, *next; line; line = next) {
		char *nl = strchr(line, '\n');
		next = nl ? nl + 1 : NULL;
		if (nl)
			*nl = '\0';
		lineno++;
		char *hash = strchr(line, '#');
		if (hash)
			*hash = '\0';
		char *l = trim(line);
		if (!*l)
			continue;
		char *eq = strchr(l, '=');
		if (!eq) {
			ctr_fail(err, E_INVALID_ARG, "%s line %d: expected \"setting = value\"",
			         name, lineno);
			goto out;
		}
		*eq = '\0';
		char *key = trim(l), *val = trim(eq + 1);
		bool b;
		if (str_startswith(key, "key.")) {
			if (ui_keymap_set(k, key + 4, val, err) < 0) {
				ctr_err_wrap(err, "%s line %d", name, lineno);
				goto out;
			}
		} else if (!strcmp(key, "theme")) {
			snprintf(o.theme, sizeof o.theme, "%s", val);
		} else if (!strcmp(key, "interval")) {
			int64_t ns;
			if (ctr_parse_duration(val, &ns, err) < 0 || ns < 100000000LL) {
				ctr_fail(err, E_INVALID_ARG, "%s line %d: bad interval \"%s\"",
				         name, lineno, val);
				ctr_hint(err, "at least 100ms, e.g. interval = 2s");
				goto out;
			}
			o.interval_ms = ns / 1000000;
		} else if (!strcmp(key, "ascii") || !strcmp(key, "mouse") ||
		           !strcmp(key, "read-only") || !strcmp(key, "show-all")) {
			if (parse_yesno(val, &b) < 0) {
				ctr_fail(err, E_INVALID_ARG,
				         "%s line %d: %s wants yes or no, not \"%s\"", name, lineno,
				         key, val);
				goto out;
			}
			if (!strcmp(key, "ascii"))
				o.ascii = b;
			else if (!strcmp(key, "mouse"))
				o.mouse = b;
			else if (!strcmp(key, "read-only"))
				o.read_only = b;
			else
				o.show_all = b;
		} else {
			ctr_fail(err, E_INVALID_ARG, "%s line %d: unknown setting \"%s\"", name,
			         lineno, key);
			ctr_hint(err, "settings: theme, interval, ascii, mouse, read-only, "
			              "show-all, key.<action>");
			goto out;
		}
	}
	*opts = o;
	*km = *k;
	rc = 0;
out:
	free(k);
	return rc;
}

int ui_config_load(const char *path, bool must_exist, struct ui_opts *opts, struct ui_keymap *km,
                   struct ctr_err *err)
{
	cleanup_free char *text = NULL;
	if (ctr_read_file(path, &text, NULL, err) < 0) {
		if (err->code == E_NOT_FOUND && !must_exist) {
			ctr_err_clear(err);
			return 0;
		}
		return -1;
	}
	return ui_config_parse(text, path, opts, km, err);
}
