/*
 * http.c - the registry HTTP client on top of libcurl.
 *
 * Policy in one place: HTTPS with the system CAs plus a per-registry CA
 * (certs.d/HOST:PORT/ca.crt under $CONTAINR_CERTS_D or /etc/containr/certs.d);
 * plain HTTP only as a fallback for loopback registries and those listed
 * insecure (which also skip TLS verification, as Docker's
 * insecure-registries do); connect/low-speed timeouts; a bounded retry with
 * backoff for transient failures ending in one E_NETWORK error naming the
 * host; redirects followed without ever sending our Authorization header
 * to another host (curl drops custom Authorization headers on a host change).
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "containr/log.h"
#include "registry/registry_int.h"

#define MAX_SMALL_BODY    (16u << 20)
#define CONNECT_TIMEOUT_S 15L
#define SMALL_TIMEOUT_S   120L

void reg_resp_free(struct reg_resp *r)
{
	strbuf_release(&r->body);
	free(r->content_type);
	free(r->digest);
	free(r->www_auth);
	free(r->effective_url);
	memset(r, 0, sizeof *r);
	strbuf_init(&r->body);
}

/* Split "host:port" / "[v6]:port" into a bare host (heap). */
static char *host_only(const char *host)
{
	if (host[0] == '[') {
		const char *e = strchr(host, ']');
		return e ? xstrndup(host + 1, (size_t)(e - host - 1)) : xstrdup(host);
	}
	const char *colon = strchr(host, ':');
	if (colon && strchr(colon + 1, ':')) /* bare IPv6 */
		return xstrdup(host);
	return colon ? xstrndup(host, (size_t)(colon - host)) : xstrdup(host);
}

bool reg_host_is_loopback(const char *host)
{
	cleanup_free char *h = host_only(host);
	struct in_addr a4;
	struct in6_addr a6;

	if (strcasecmp(h, "localhost") == 0)
		return true;
	if (inet_pton(AF_INET, h, &a4) == 1)
		return (ntohl(a4.s_addr) >> 24) == 127;
	if (inet_pton(AF_INET6, h, &a6) == 1)
		return IN6_IS_ADDR_LOOPBACK(&a6);
	return false;
}

static bool list_has(const char *list, const char *host, const char *seps)
{
	cleanup_free char *copy = xstrdup(list);
	char *save = NULL;

	for (char *t = strtok_r(copy, seps, &save); t; t = strtok_r(NULL, seps, &save)) {
		/* strip scheme a user might have written */
		if (str_startswith(t, "http://"))
			t += 7;
		else if (str_startswith(t, "https://"))
			t += 8;
		size_t n = strlen(t);
		while (n && t[n - 1] == '/')
			t[--n] = '\0';
		if (strcasecmp(t, host) == 0)
			return true;
	}
	return false;
}

bool reg_host_is_insecure(const char *host)
{
	const char *env = getenv("CONTAINR_INSECURE_REGISTRIES");
	cleanup_free char *file = NULL;

	if (env && list_has(env, host, ", \t"))
		return true;
	const char *path = getenv("CONTAINR_INSECURE_FILE");
	if (!path)
		path = "/etc/containr/insecure-registries";
	if (access(path, R_OK) == 0 && ctr_read_file(path, &file, NULL, NULL) == 0)
		return list_has(file, host, " \t\r\n,");
	return false;
}

static char *certs_dir(void)
{
	const char *env = getenv("CONTAINR_CERTS_D");
	return xstrdup(env && *env ? env : "/etc/containr/certs.d");
}

int reg_client_init(struct reg_client *c, const char *host, const char *repo, struct ctr_err *err)
{
	memset(c, 0, sizeof *c);
	c->host = xstrdup(host);
	c->repo = repo ? xstrdup(repo) : NULL;
	c->allow_http = reg_host_is_loopback(host) || reg_host_is_insecure(host);
	c->insecure = reg_host_is_insecure(host);
	c->timeout_s = SMALL_TIMEOUT_S;
	c->retries = 3;
	c->scheme = NULL;

	cleanup_free char *dir = certs_dir();
	cleanup_free char *ca = xasprintf("%s/%s/ca.crt", dir, host);
	if (access(ca, R_OK) == 0)
		c->ca_file = steal_pointer(&ca);

	/* Credentials: the auth file is keyed by the domain the user wrote. */
	const char *domain = strcmp(host, "registry-1.docker.io") == 0 ? "docker.io" : host;
	c->cred_key = reg_creds_key(domain);
	if (ctr_auth_get(domain, &c->user, &c->pass, err) < 0) {
		reg_client_free(c);
		return -1;
	}
	return 0;
}

void reg_client_set_creds(struct reg_client *c, const char *user, const char *pass)
{
	free(c->user);
	free(c->pass);
	c->user = user ? xstrdup(user) : NULL;
	c->pass = pass ? xstrdup(pass) : NULL;
}

void reg_client_free(struct reg_client *c)
{
	free(c->host);
	free(c->cred_key);
	free(c->ca_file);
	if (c->pass)
		explicit_bzero(c->pass, strlen(c->pass));
	free(c->user);
	free(c->pass);
	free(c->repo);
	reg_challenge_free(&c->chal);
	free(c->token);
	free(c->token_scope);
	memset(c, 0, sizeof *c);
}

char *reg_url(const struct reg_client *c, const char *path)
{
	return xasprintf("%s://%s%s", c->scheme ? c->scheme : "https", c->host, path);
}

/* ---- one request -------------------------------------------------------- */

struct req_ctx {
	struct reg_resp *resp;
	bool too_big;
};

static size_t body_cb(char *p, size_t sz, size_t n, void *ud)
{
	struct req_ctx *rc = ud;

	if (rc->resp->body.len + sz * n > MAX_SMALL_BODY) {
		rc->too_big = true;
		return 0;
	}
	strbuf_add(&rc->resp->body, p, sz * n);
	return sz * n;
}

static void set_hdr(char **dst, const char *v, size_t n)
{
	while (n && isspace((unsigned char)*v)) {
		v++;
		n--;
	}
	while (n && isspace((unsigned char)v[n - 1]))
		n--;
	free(*dst);
	*dst = xstrndup(v, n);
}

static size_t header_cb(char *p, size_t sz, size_t n, void *ud)
{
	struct req_ctx *rc = ud;
	size_t len = sz * n;

	/* A new status line (after a redirect or 100-continue) resets headers. */
	if (len > 5 && strncmp(p, "HTTP/", 5) == 0) {
		free(rc->resp->www_auth);
		rc->resp->www_auth = NULL;
		free(rc->resp->content_type);
		rc->resp->content_type = NULL;
		free(rc->resp->digest);
		rc->resp->digest = NULL;
		return len;
	}
	const char *colon = memchr(p, ':', len);
	if (!colon)
		return len;
	size_t kl = (size_t)(colon - p);
	const char *v = colon + 1;
	size_t vl = len - kl - 1;
	if (kl == 16 && strncasecmp(p, "www-authenticate", kl) == 0) {
		/* Prefer a Bearer challenge when several are sent. */
		if (!rc->resp->www_auth || strncasecmp(rc->resp->www_auth, "bearer", 6) != 0)
			set_hdr(&rc->resp->www_auth, v, vl);
	} else if (kl == 12 && strncasecmp(p, "content-type", kl) == 0) {
		set_hdr(&rc->resp->content_type, v, vl);
	} else if (kl == 21 && strncasecmp(p, "docker-content-digest", kl) == 0) {
		set_hdr(&rc->resp->digest, v, vl);
	}
	return len;
}

void reg_setup_easy(struct reg_client *c, CURL *h, const char *url, struct curl_slist **hdrs,
                    bool is_blob)
{
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_USERAGENT, "containr/" CONTAINR_VERSION);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, CONNECT_TIMEOUT_S);
	/* Abort a transfer that moves less than 1 KiB/s for 30 s. */
	curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 1024L);
	curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, 30L);
	if (!is_blob)
		curl_easy_setopt(h, CURLOPT_TIMEOUT, c->timeout_s);
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(h, CURLOPT_MAXREDIRS, 5L);
	curl_easy_setopt(h, CURLOPT_UNRESTRICTED_AUTH, 0L);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, is_blob ? NULL : "");
	if (c->ca_file)
		curl_easy_setopt(h, CURLOPT_CAINFO, c->ca_file);
	if (c->ca_file)
		curl_easy_setopt(h, CURLOPT_CAPATH, "/etc/ssl/certs");
	if (c->insecure) {
		curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 0L);
		curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 0L);
	}
	if (c->auth == REG_AUTH_BEARER && c->token) {
		cleanup_free char *hv = xasprintf("Authorization: Bearer %s", c->token);
		*hdrs = curl_slist_append(*hdrs, hv);
		explicit_bzero(hv, strlen(hv));
	} else if (c->auth == REG_AUTH_BASIC && c->user) {
		/* CURLOPT_USERPWD: curl itself never sends it to another host. */
		curl_easy_setopt(h, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
		curl_easy_setopt(h, CURLOPT_USERNAME, c->user);
		curl_easy_setopt(h, CURLOPT_PASSWORD, c->pass ? c->pass : "");
	}
	if (*hdrs)
		curl_easy_setopt(h, CURLOPT_HTTPHEADER, *hdrs);
}

static bool transient_curl(CURLcode rc)
{
	switch (rc) {
	case CURLE_COULDNT_CONNECT:
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_PARTIAL_FILE:
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
		return true;
	default:
		return false;
	}
}

static void backoff(int attempt)
{
	struct timespec ts = {0, 250000000L};

	for (int i = 1; i < attempt; i++) {
		ts.tv_nsec *= 2;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec += ts.tv_nsec / 1000000000L;
			ts.tv_nsec %= 1000000000L;
		}
	}
	nanosleep(&ts, NULL);
}

/*
 * One GET to a full URL with retries of transient failures.  `use_auth`
 * says whether the client's current credentials go along.  Fills resp.
 */
static int raw_get(struct reg_client *c, const char *url, const char *accept, bool use_auth,
                   struct reg_resp *resp, CURLcode *curl_rc, struct ctr_err *err)
{
	CURLcode rc = CURLE_OK;
	char ebuf[CURL_ERROR_SIZE];

	for (int attempt = 1; attempt <= c->retries; attempt++) {
		CURL *h = curl_easy_init();
		struct curl_slist *hdrs = NULL;
		struct req_ctx rcx = {resp, false};
		enum reg_auth saved = c->auth;

		if (!h)
			return ctr_fail(err, E_INTERNAL, "curl_easy_init failed");
		reg_resp_free(resp);
		if (accept) {
			cleanup_free char *a = xasprintf("Accept: %s", accept);
			hdrs = curl_slist_append(hdrs, a);
		}
		if (!use_auth)
			c->auth = REG_AUTH_NONE;
		reg_setup_easy(c, h, url, &hdrs, false);
		c->auth = saved;
		ebuf[0] = '\0';
		curl_easy_setopt(h, CURLOPT_ERRORBUFFER, ebuf);
		curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, body_cb);
		curl_easy_setopt(h, CURLOPT_WRITEDATA, &rcx);
		curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, header_cb);
		curl_easy_setopt(h, CURLOPT_HEADERDATA, &rcx);
		ctr_debug("registry request", "url", url);
		rc = curl_easy_perform(h);
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &resp->status);
		char *eff = NULL;
		curl_easy_getinfo(h, CURLINFO_EFFECTIVE_URL, &eff);
		resp->effective_url = eff ? xstrdup(eff) : NULL;
		curl_slist_free_all(hdrs);
		curl_easy_cleanup(h);
		if (curl_rc)
			*curl_rc = rc;
		if (rcx.too_big)
			return ctr_fail(err, E_REGISTRY, "response from %s is larger than %u MiB",
			                c->host, MAX_SMALL_BODY >> 20);
		if (rc == CURLE_OK && resp->status != 429 &&
		    !(resp->status >= 500 && resp->status <= 504))
			return 0;
		if (rc != CURLE_OK && !transient_curl(rc))
			break;
		if (attempt < c->retries) {
			ctr_info("registry request failed, retrying", "host", c->host, "error",
			         rc ? (ebuf[0] ? ebuf : curl_easy_strerror(rc)) : "server error");
			backoff(attempt);
		}
	}
	if (rc == CURLE_OK)
		return 0; /* a 5xx after all retries: the caller reports the status */
	ctr_fail(err, E_NETWORK, "cannot reach registry %s: %s", c->host,
	         ebuf[0] ? ebuf : curl_easy_strerror(rc));
	if (rc == CURLE_PEER_FAILED_VERIFICATION || rc == CURLE_SSL_CACERT_BADFILE)
		ctr_hint(
		    err,
		    "put the registry's CA certificate in %s/%s/ca.crt (or set CONTAINR_CERTS_D)",
		    getenv("CONTAINR_CERTS_D") ? getenv("CONTAINR_CERTS_D")
		                               : "/etc/containr/certs.d",
		    c->host);
	else if (rc == CURLE_OPERATION_TIMEDOUT || rc == CURLE_COULDNT_CONNECT ||
	         rc == CURLE_COULDNT_RESOLVE_HOST)
		ctr_hint(err, "check that the registry is running and reachable (tried %d times)",
		         c->retries);
	return -1;
}

int reg_ping(struct reg_client *c, struct ctr_err *err)
{
	struct reg_resp resp = {0};
	struct ctr_err https_err = {0};
	CURLcode crc = CURLE_OK;
	int r;

	strbuf_init(&resp.body);
	c->scheme = "https";
	cleanup_free char *url = reg_url(c, "/v2/");
	r = raw_get(c, url, NULL, false, &resp, &crc, &https_err);
	CURLcode https_crc = crc;
	if (r < 0 && c->allow_http && https_err.code == E_NETWORK) {
		c->scheme = "http";
		free(url);
		url = reg_url(c, "/v2/");
		struct ctr_err http_err = {0};
		r = raw_get(c, url, NULL, false, &resp, &crc, &http_err);
		if (r == 0 && resp.status != 200 && resp.status != 401) {
			r = -1; /* e.g. 400 "plain HTTP request to an HTTPS server" */
		} else if (r < 0 && crc != CURLE_OK) {
			https_err = http_err; /* plain HTTP failed too: report that */
		}
		if (r == 0)
			ctr_debug("registry speaks plain HTTP", "host", c->host);
	}
	if (r < 0) {
		reg_resp_free(&resp);
		strbuf_release(&resp.body);
		if (err)
			*err = https_err;
		if (!c->allow_http && https_crc == CURLE_SSL_CONNECT_ERROR && !https_err.hint[0])
			ctr_hint(err,
			         "if %s speaks plain HTTP, list it in CONTAINR_INSECURE_REGISTRIES "
			         "(plain HTTP is otherwise only used for loopback registries)",
			         c->host);
		return -1;
	}
	if (resp.status == 401 && resp.www_auth) {
		struct reg_challenge ch;
		if (reg_challenge_parse(resp.www_auth, &ch) == 0) {
			if (strcasecmp(ch.scheme, "bearer") == 0) {
				reg_challenge_free(&c->chal);
				c->chal = ch;
				c->auth = REG_AUTH_BEARER;
			} else {
				if (strcasecmp(ch.scheme, "basic") == 0)
					c->auth = REG_AUTH_BASIC;
				reg_challenge_free(&ch);
			}
		}
	} else if (resp.status != 200 && resp.status != 401) {
		int rr = ctr_fail(err, E_REGISTRY,
		                  "%s does not look like a registry: GET /v2/ answered %ld",
		                  c->host, resp.status);
		reg_resp_free(&resp);
		strbuf_release(&resp.body);
		return rr;
	}
	reg_resp_free(&resp);
	strbuf_release(&resp.body);
	return 0;
}

int reg_get(struct reg_client *c, const char *path, const char *accept, struct reg_resp *resp,
            struct ctr_err *err)
{
	cleanup_free char *url = NULL;
	bool had_auth = false;

	if (!c->scheme && reg_ping(c, err) < 0)
		return -1;
	url = reg_url(c, path);
	for (int round = 0; round < 3; round++) {
		if (reg_auth_refresh(c, err) < 0)
			return -1;
		had_auth = (c->auth == REG_AUTH_BEARER && c->token) ||
		           (c->auth == REG_AUTH_BASIC && c->user);
		if (raw_get(c, url, accept, true, resp, NULL, err) < 0)
			return -1;
		if (resp->status != 401)
			return 0;
		if (reg_authorize(c, resp->www_auth, had_auth, err) < 0)
			return -1;
	}
	return 0;
}

/* Extract distribution's {"errors":[{"code","message"}]} first message. */
static char *registry_message(const struct reg_resp *r)
{
	cJSON *j = cJSON_ParseWithLength(r->body.buf, r->body.len);
	char *msg = NULL;

	if (j) {
		cJSON *e = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "errors"), 0);
		const char *m = cJSON_GetStringValue(cJSON_GetObjectItem(e, "message"));
		const char *code = cJSON_GetStringValue(cJSON_GetObjectItem(e, "code"));
		if (m)
			msg = code ? xasprintf("%s (%s)", m, code) : xstrdup(m);
		cJSON_Delete(j);
	}
	return msg;
}

int reg_fail_status(struct reg_client *c, const struct reg_resp *r, const char *what,
                    struct ctr_err *err)
{
	cleanup_free char *m = registry_message(r);

	if (r->status == 404) {
		ctr_fail(err, E_NOT_FOUND, "%s not found on %s%s%s", what, c->host, m ? ": " : "",
		         m ? m : "");
		return ctr_hint(
		    err,
		    "check the name and tag (containr pull NAME:TAG); private images need "
		    "containr login %s",
		    c->host);
	}
	if (r->status == 401 || r->status == 403) {
		ctr_fail(err, E_AUTH, "pull access denied for %s on %s%s%s", what, c->host,
		         m ? ": " : "", m ? m : "");
		return ctr_hint(err,
		                "the repository may not exist or may require 'containr login %s'",
		                c->host);
	}
	return ctr_fail(err, E_REGISTRY, "registry %s answered HTTP %ld for %s%s%s", c->host,
	                r->status, what, m ? ": " : "", m ? m : "");
}
