/*
 * login.c - `containr login` / `logout` in the library: verify credentials
 * against the registry the way Docker does (GET /v2/, answer its challenge
 * with the credentials: Basic directly, Bearer through a token request),
 * then store them in the auth file (creds.c).
 */
#include <stdlib.h>
#include <string.h>

#include "containr/log.h"
#include "registry/registry_int.h"

/* "https://index.docker.io/v1/" -> "docker.io"; "host:5000/" -> "host:5000". Heap. */
static char *login_domain(const char *registry)
{
	const char *r = registry && *registry ? registry : "docker.io";

	if (str_startswith(r, "http://"))
		r += 7;
	else if (str_startswith(r, "https://"))
		r += 8;
	char *d = xstrndup(r, strcspn(r, "/"));
	if (strcmp(d, "index.docker.io") == 0 || strcmp(d, "registry-1.docker.io") == 0) {
		free(d);
		d = xstrdup("docker.io");
	}
	return d;
}

int ctr_registry_login_impl(const char *registry, const char *user, const char *pass,
                            struct ctr_err *err)
{
	cleanup_free char *domain = login_domain(registry);
	const char *host = strcmp(domain, "docker.io") == 0 ? "registry-1.docker.io" : domain;
	struct reg_client c;
	struct reg_resp r = {0};
	int rc = -1;

	if (!user || !*user)
		return ctr_fail(err, E_INVALID_ARG, "login to %s needs a user name", domain);
	if (!pass || !*pass)
		return ctr_fail(err, E_INVALID_ARG, "login to %s needs a password", domain);
	if (reg_client_init(&c, host, NULL, err) < 0)
		return -1;
	reg_client_set_creds(&c, user, pass);
	strbuf_init(&r.body);
	if (reg_ping(&c, err) < 0)
		goto out;
	if (c.auth == REG_AUTH_BASIC)
		c.auth = REG_AUTH_BASIC; /* credentials go along from the first request */
	if (reg_get(&c, "/v2/", NULL, &r, err) < 0) {
		if (err && err->code == E_AUTH) {
			ctr_fail(err, E_AUTH,
			         "login to %s failed: wrong user name or password for %s", domain,
			         user);
			ctr_hint(err, "check the credentials and try again");
		}
		goto out;
	}
	if (r.status == 401) {
		ctr_fail(err, E_AUTH, "login to %s failed: wrong user name or password for %s",
		         domain, user);
		ctr_hint(err, "check the credentials and try again");
		goto out;
	}
	if (r.status != 200) {
		ctr_fail(err, E_REGISTRY, "login to %s failed: GET /v2/ answered HTTP %ld", domain,
		         r.status);
		goto out;
	}
	if (reg_creds_store(c.cred_key, user, pass, err) < 0)
		goto out;
	rc = 0;
out:
	reg_resp_free(&r);
	strbuf_release(&r.body);
	reg_client_free(&c);
	return rc;
}

int ctr_registry_logout_impl(const char *registry, struct ctr_err *err)
{
	cleanup_free char *domain = login_domain(registry);
	cleanup_free char *key = reg_creds_key(domain);

	return reg_creds_remove(key, err);
}
