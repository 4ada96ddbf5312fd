/*
 * reference.c - parse, validate, normalize and display image references
 * with Docker's rules (see include/containr/reference.h).  Pure string
 * code: no I/O, so it is unit-tested exhaustively (tests/unit/test_reference.c).
 */
#include "containr/reference.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "containr/util.h"

#define HUB_DOMAIN     "docker.io"
#define HUB_API_HOST   "registry-1.docker.io"
#define NAME_MAX_TOTAL 255

void ctr_ref_free(struct ctr_ref *r)
{
	if (!r)
		return;
	free(r->domain);
	free(r->path);
	free(r->tag);
	free(r->digest);
	r->domain = r->path = r->tag = r->digest = NULL;
}

static bool is_lower_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

/* One path component: [a-z0-9]+((\.|_|__|-+)[a-z0-9]+)* */
static bool component_valid(const char *s, size_t n)
{
	size_t i = 0;

	if (n == 0 || !is_lower_alnum(s[0]))
		return false;
	while (i < n) {
		while (i < n && is_lower_alnum(s[i]))
			i++;
		if (i == n)
			return true;
		size_t sep = i;
		if (s[i] == '.') {
			i++;
		} else if (s[i] == '_') {
			i++;
			if (i < n && s[i] == '_')
				i++;
		} else if (s[i] == '-') {
			while (i < n && s[i] == '-')
				i++;
		} else {
			return false;
		}
		if (i == n || !is_lower_alnum(s[i]) || i == sep)
			return false;
	}
	return true;
}

static bool path_valid(const char *p)
{
	const char *c = p;

	for (;;) {
		const char *slash = strchr(c, '/');
		size_t n = slash ? (size_t)(slash - c) : strlen(c);
		if (!component_valid(c, n))
			return false;
		if (!slash)
			return true;
		c = slash + 1;
	}
}

/* host[:port] where host is a DNS name or an IPv4 address, or [IPv6][:port]. */
static bool domain_valid(const char *d)
{
	const char *port = NULL;

	if (d[0] == '[') {
		const char *close = strchr(d, ']');
		if (!close || close == d + 1)
			return false;
		for (const char *p = d + 1; p < close; p++)
			if (!isxdigit((unsigned char)*p) && *p != ':' && *p != '.')
				return false;
		if (close[1] == '\0')
			return true;
		if (close[1] != ':')
			return false;
		port = close + 2;
	} else {
		const char *colon = strchr(d, ':');
		size_t n = colon ? (size_t)(colon - d) : strlen(d);
		size_t lablen = 0;
		if (n == 0)
			return false;
		for (size_t i = 0; i < n; i++) {
			char c = d[i];
			if (c == '.') {
				if (lablen == 0 || d[i - 1] == '-')
					return false;
				lablen = 0;
			} else if (isalnum((unsigned char)c) || (c == '-' && lablen > 0)) {
				lablen++;
			} else {
				return false;
			}
		}
		if (lablen == 0 || d[n - 1] == '-')
			return false;
		if (colon)
			port = colon + 1;
	}
	if (port) {
		size_t n = strlen(port);
		if (n == 0 || n > 5 || strspn(port, "0123456789") != n)
			return false;
	}
	return true;
}

static bool tag_valid(const char *t)
{
	size_t n = strlen(t);

	if (n == 0 || n > 128)
		return false;
	if (!isalnum((unsigned char)t[0]) && t[0] != '_')
		return false;
	for (size_t i = 1; i < n; i++)
		if (!isalnum((unsigned char)t[i]) && t[i] != '_' && t[i] != '.' && t[i] != '-')
			return false;
	return true;
}

static bool has_upper(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (isupper((unsigned char)s[i]))
			return true;
	return false;
}

int ctr_ref_parse(const char *s, struct ctr_ref *out, struct ctr_err *err)
{
	cleanup_free char *name = NULL;
	const char *at, *slash, *colon, *rest;
	bool is_domain = false;

	memset(out, 0, sizeof *out);
	if (!s || !*s)
		return ctr_fail(err, E_INVALID_ARG, "invalid reference format: empty reference");
	if (strspn(s, " \t\n") || strpbrk(s, " \t\n"))
		return ctr_fail(err, E_INVALID_ARG,
		                "invalid reference format: \"%s\" contains blanks", s);

	at = strchr(s, '@');
	if (at) {
		if (!ctr_digest_valid(at + 1)) {
			ctr_fail(err, E_INVALID_ARG,
			         "invalid reference format: bad digest \"%s\" in \"%s\"", at + 1,
			         s);
			return ctr_hint(err,
			                "a digest is sha256: followed by 64 lowercase hex digits");
		}
		out->digest = xstrdup(at + 1);
		name = xstrndup(s, (size_t)(at - s));
	} else {
		name = xstrdup(s);
	}

	slash = strrchr(name, '/');
	colon = strrchr(name, ':');
	if (colon && (!slash || colon > slash)) {
		if (!tag_valid(colon + 1)) {
			ctr_fail(err, E_INVALID_ARG,
			         "invalid reference format: bad tag \"%s\" in \"%s\"", colon + 1,
			         s);
			ctr_hint(err,
			         "a tag is up to 128 characters: letters, digits, '_', '.', '-', "
			         "not starting with '.' or '-'");
			goto fail;
		}
		out->tag = xstrdup(colon + 1);
		*(char *)colon = '\0';
	}
	if (!*name) {
		ctr_fail(err, E_INVALID_ARG,
		         "invalid reference format: no repository name in \"%s\"", s);
		goto fail;
	}

	slash = strchr(name, '/');
	if (slash) {
		size_t n = (size_t)(slash - name);
		is_domain = memchr(name, '.', n) || memchr(name, ':', n) ||
		            (n == 9 && strncmp(name, "localhost", 9) == 0) || has_upper(name, n);
	}
	if (!is_domain) {
		out->domain = xstrdup(HUB_DOMAIN);
		rest = name;
	} else {
		out->domain = xstrndup(name, (size_t)(slash - name));
		rest = slash + 1;
		if (!domain_valid(out->domain)) {
			ctr_fail(err, E_INVALID_ARG,
			         "invalid reference format: bad registry host \"%s\" in \"%s\"",
			         out->domain, s);
			goto fail;
		}
		if (strcmp(out->domain, "index.docker.io") == 0) {
			free(out->domain);
			out->domain = xstrdup(HUB_DOMAIN);
		}
	}
	if (strcmp(out->domain, HUB_DOMAIN) == 0 && !strchr(rest, '/'))
		out->path = xasprintf("library/%s", rest);
	else
		out->path = xstrdup(rest);

	if (!path_valid(out->path)) {
		if (has_upper(out->path, strlen(out->path)))
			ctr_fail(err, E_INVALID_ARG,
			         "invalid reference format: repository name (%s) must be lowercase",
			         out->path);
		else
			ctr_fail(err, E_INVALID_ARG,
			         "invalid reference format: bad repository name \"%s\"", out->path);
		ctr_hint(err, "names are lowercase letters and digits separated by '/', '.', '_', "
		              "'__' or '-', "
		              "e.g. busybox, user/app:1.0, host:5000/team/app@sha256:...");
		goto fail;
	}
	if (strlen(out->domain) + 1 + strlen(out->path) > NAME_MAX_TOTAL) {
		ctr_fail(
		    err, E_INVALID_ARG,
		    "invalid reference format: repository name must not be more than %d characters",
		    NAME_MAX_TOTAL);
		goto fail;
	}
	if (!out->tag && !out->digest)
		out->tag = xstrdup("latest");
	return 0;
fail:
	ctr_ref_free(out);
	return -1;
}

char *ctr_ref_name(const struct ctr_ref *r)
{
	return xasprintf("%s/%s", r->domain, r->path);
}

static char *with_suffix(char *name, const struct ctr_ref *r)
{
	struct strbuf sb;

	strbuf_init(&sb);
	strbuf_puts(&sb, name);
	free(name);
	if (r->tag) {
		strbuf_putc(&sb, ':');
		strbuf_puts(&sb, r->tag);
	}
	if (r->digest) {
		strbuf_putc(&sb, '@');
		strbuf_puts(&sb, r->digest);
	}
	return strbuf_detach(&sb);
}

char *ctr_ref_string(const struct ctr_ref *r)
{
	return with_suffix(ctr_ref_name(r), r);
}

char *ctr_ref_familiar_name(const struct ctr_ref *r)
{
	if (strcmp(r->domain, HUB_DOMAIN) == 0) {
		const char *p = r->path;
		if (str_startswith(p, "library/") && !strchr(p + 8, '/'))
			p += 8;
		return xstrdup(p);
	}
	return ctr_ref_name(r);
}

char *ctr_ref_familiar(const struct ctr_ref *r)
{
	return with_suffix(ctr_ref_familiar_name(r), r);
}

const char *ctr_ref_api_host(const struct ctr_ref *r)
{
	if (strcmp(r->domain, HUB_DOMAIN) == 0)
		return HUB_API_HOST;
	return r->domain;
}
