/*
 * auth.c - answering registry authentication challenges.
 *
 * A registry says how to authenticate in its 401's WWW-Authenticate:
 *   Basic realm="..."                         -> send user:password on each request
 *   Bearer realm=URL,service=S,scope=SCOPE    -> GET URL?service=S&scope=SCOPE
 *                                                (Basic auth when we have credentials)
 *                                                and send "Bearer <token>" afterwards.
 * One token per client and scope is reused for every blob of a pull; it is
 * renewed shortly before it expires and once on a 401 (invalid/expired
 * token).  A second 401 with fresh credentials is final: E_AUTH.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "containr/log.h"
#include "registry/registry_int.h"

void reg_challenge_free(struct reg_challenge *c)
{
	free(c->realm);
	free(c->service);
	free(c->scope);
	free(c->error);
	memset(c, 0, sizeof *c);
}

int reg_challenge_parse(const char *hdr, struct reg_challenge *c)
{
	const char *p = hdr;
	size_t n;

	memset(c, 0, sizeof *c);
	if (!hdr)
		return -1;
	while (isspace((unsigned char)*p))
		p++;
	n = strcspn(p, " \t");
	if (n == 0 || n >= sizeof c->scheme)
		return -1;
	memcpy(c->scheme, p, n);
	c->scheme[n] = '\0';
	p += n;
	for (;;) {
		while (isspace((unsigned char)*p) || *p == ',')
			p++;
		if (!*p)
			break;
		const char *k = p;
		while (*p && *p != '=' && *p != ',' && !isspace((unsigned char)*p))
			p++;
		size_t kl = (size_t)(p - k);
		while (isspace((unsigned char)*p))
			p++;
		if (*p != '=')
			continue; /* a token68 or junk: ignore */
		p++;
		while (isspace((unsigned char)*p))
			p++;
		struct strbuf v;
		strbuf_init(&v);
		if (*p == '"') {
			p++;
			while (*p && *p != '"') {
				if (*p == '\\' && p[1])
					p++;
				strbuf_putc(&v, *p++);
			}
			if (*p == '"')
				p++;
		} else {
			while (*p && *p != ',' && !isspace((unsigned char)*p))
				strbuf_putc(&v, *p++);
		}
		char **dst = NULL;
		if (kl == 5 && strncasecmp(k, "realm", 5) == 0)
			dst = &c->realm;
		else if (kl == 7 && strncasecmp(k, "service", 7) == 0)
			dst = &c->service;
		else if (kl == 5 && strncasecmp(k, "scope", 5) == 0)
			dst = &c->scope;
		else if (kl == 5 && strncasecmp(k, "error", 5) == 0)
			dst = &c->error;
		if (dst) {
			free(*dst);
			*dst = strbuf_detach(&v);
		} else {
			strbuf_release(&v);
		}
	}
	return 0;
}

static char *pull_scope(const struct reg_client *c)
{
	return c->repo ? xasprintf("repository:%s:pull", c->repo) : NULL;
}

/* GET realm?service=..&scope=.. ; stores c->token. */
static int fetch_token(struct reg_client *c, const char *scope, struct ctr_err *err)
{
	struct strbuf url;
	CURL *h;
	char ebuf[CURL_ERROR_SIZE] = "";
	struct strbuf body;
	struct curl_slist *hdrs = NULL;
	long status = 0;
	CURLcode rc = CURLE_OK;

	if (!c->chal.realm)
		return ctr_fail(err, E_AUTH, "registry %s asked for a token but named no realm",
		                c->host);
	if (!str_startswith(c->chal.realm, "https://") &&
	    !(str_startswith(c->chal.realm, "http://") && c->allow_http))
		return ctr_fail(err, E_AUTH, "refusing token realm %s: not HTTPS", c->chal.realm);
	h = curl_easy_init();
	if (!h)
		return ctr_fail(err, E_INTERNAL, "curl_easy_init failed");
	strbuf_init(&url);
	strbuf_init(&body);
	strbuf_puts(&url, c->chal.realm);
	char sep = strchr(c->chal.realm, '?') ? '&' : '?';
	if (c->chal.service) {
		char *e = curl_easy_escape(h, c->chal.service, 0);
		strbuf_printf(&url, "%cservice=%s", sep, e);
		curl_free(e);
		sep = '&';
	}
	if (scope) {
		char *e = curl_easy_escape(h, scope, 0);
		strbuf_printf(&url, "%cscope=%s", sep, e);
		curl_free(e);
	}
	for (int attempt = 1; attempt <= c->retries; attempt++) {
		enum reg_auth saved = c->auth;
		curl_easy_reset(h);
		strbuf_reset(&body);
		c->auth = c->user ? REG_AUTH_BASIC : REG_AUTH_NONE;
		reg_setup_easy(c, h, url.buf, &hdrs, false);
		c->auth = saved;
		curl_easy_setopt(h, CURLOPT_ERRORBUFFER, ebuf);
		curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, (curl_write_callback)NULL);
		FILE *mem = NULL;
		char *mbuf = NULL;
		size_t mlen = 0;
		mem = open_memstream(&mbuf, &mlen);
		curl_easy_setopt(h, CURLOPT_WRITEDATA, mem);
		rc = curl_easy_perform(h);
		fclose(mem);
		strbuf_add(&body, mbuf, mlen);
		free(mbuf);
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
		if (rc == CURLE_OK && status < 500)
			break;
	}
	curl_easy_cleanup(h);
	if (rc != CURLE_OK) {
		ctr_fail(err, E_NETWORK, "cannot reach token server %s for %s: %s", c->chal.realm,
		         c->host, ebuf[0] ? ebuf : curl_easy_strerror(rc));
		goto out;
	}
	if (status == 401 || status == 403) {
		ctr_fail(err, E_AUTH,
		         "%s refused the credentials of user %s (token server answered %ld)",
		         c->host, c->user ? c->user : "(anonymous)", status);
		ctr_hint(err, "check the user name and password: containr login %s", c->host);
		goto out;
	}
	if (status != 200) {
		ctr_fail(err, E_AUTH, "token server %s answered HTTP %ld for %s", c->chal.realm,
		         status, scope ? scope : "(no scope)");
		goto out;
	}
	cJSON *j = cJSON_ParseWithLength(body.buf, body.len);
	const char *tok = cJSON_GetStringValue(cJSON_GetObjectItem(j, "token"));
	if (!tok || !*tok)
		tok = cJSON_GetStringValue(cJSON_GetObjectItem(j, "access_token"));
	if (!tok || !*tok) {
		cJSON_Delete(j);
		ctr_fail(err, E_AUTH, "token server %s sent no token", c->chal.realm);
		goto out;
	}
	double ttl = cJSON_GetNumberValue(cJSON_GetObjectItem(j, "expires_in"));
	if (!(ttl > 0))
		ttl = 60; /* the spec's default when expires_in is missing */
	/*
	 * Renew a little before expiry: 10 s early, or a fifth of the lifetime
	 * for short-lived tokens.  A lifetime below the spec's 60 s minimum is
	 * honoured rather than stretched: renewing early is always safe.
	 */
	double margin = ttl / 5 < 10 ? ttl / 5 : 10;
	free(c->token);
	c->token = xstrdup(tok);
	char *new_scope = scope ? xstrdup(scope) : NULL; /* scope may be c->token_scope itself */
	free(c->token_scope);
	c->token_scope = new_scope;
	c->token_expiry = ctr_mono_ns() + (int64_t)((ttl - margin) * 1e9);
	c->auth = REG_AUTH_BEARER;
	cJSON_Delete(j);
	ctr_debug("got registry token", "host", c->host, "scope", scope ? scope : "");
	strbuf_release(&url);
	strbuf_release(&body);
	return 0;
out:
	strbuf_release(&url);
	strbuf_release(&body);
	return -1;
}

int reg_auth_refresh(struct reg_client *c, struct ctr_err *err)
{
	if (c->auth != REG_AUTH_BEARER)
		return 0;
	cleanup_free char *scope = pull_scope(c);
	if (c->token && ctr_mono_ns() < c->token_expiry)
		return 0;
	return fetch_token(c, c->token_scope ? c->token_scope : scope, err);
}

int reg_authorize(struct reg_client *c, const char *www_auth, bool had_auth, struct ctr_err *err)
{
	struct reg_challenge ch;

	if (reg_challenge_parse(www_auth, &ch) < 0)
		return ctr_fail(err, E_AUTH,
		                "registry %s refused the request (401) without a challenge",
		                c->host);
	if (strcasecmp(ch.scheme, "basic") == 0) {
		reg_challenge_free(&ch);
		if (!c->user) {
			ctr_fail(err, E_AUTH, "registry %s requires authentication", c->host);
			return ctr_hint(err, "log in first: containr login %s", c->host);
		}
		if (had_auth && c->auth == REG_AUTH_BASIC) {
			ctr_fail(err, E_AUTH, "registry %s refused the credentials of user %s",
			         c->host, c->user);
			return ctr_hint(err, "check the user name and password: containr login %s",
			                c->host);
		}
		c->auth = REG_AUTH_BASIC;
		return 0;
	}
	if (strcasecmp(ch.scheme, "bearer") != 0) {
		ctr_fail(err, E_UNSUPPORTED, "registry %s wants unsupported authentication \"%s\"",
		         c->host, ch.scheme);
		reg_challenge_free(&ch);
		return -1;
	}
	cleanup_free char *scope = ch.scope ? xstrdup(ch.scope) : pull_scope(c);
	bool same_scope = c->token_scope && scope && strcmp(c->token_scope, scope) == 0;
	if (had_auth && c->auth == REG_AUTH_BEARER && same_scope && ch.error &&
	    strcmp(ch.error, "insufficient_scope") == 0) {
		reg_challenge_free(&ch);
		ctr_fail(err, E_AUTH, "pull access denied for %s on %s: the token lacks %s",
		         c->repo ? c->repo : "?", c->host, scope);
		if (c->user)
			return ctr_hint(err, "user %s may not pull this repository", c->user);
		return ctr_hint(err,
		                "the repository may not exist or may require 'containr login %s'",
		                c->host);
	}
	/* Keep the realm/service, take the new scope.  reg_get() bounds the rounds. */
	if (ch.realm) {
		free(c->chal.realm);
		c->chal.realm = xstrdup(ch.realm);
	}
	if (ch.service) {
		free(c->chal.service);
		c->chal.service = xstrdup(ch.service);
	}
	reg_challenge_free(&ch);
	if (fetch_token(c, scope, err) < 0)
		return -1;
	return 0;
}
