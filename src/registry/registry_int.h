/*
 * registry_int.h - internals of the registry module shared by its files:
 * the HTTP client (http.c: TLS, insecure/loopback rules, retries), the
 * WWW-Authenticate / token logic (auth.c), credentials (creds.c), manifest
 * and platform handling (manifest.c, platform.c) and the pull itself
 * (pull.c, blobs.c).  Not installed; only src/registry and unit tests use it.
 */
#ifndef CONTAINR_REGISTRY_INT_H
#define CONTAINR_REGISTRY_INT_H

#include <stdbool.h>
#include <stdint.h>
#include <curl/curl.h>
#include <cjson/cJSON.h>

#include "containr/error.h"
#include "containr/reference.h"
#include "containr/registry.h"
#include "containr/util.h"

/* ---- WWW-Authenticate --------------------------------------------------- */
struct reg_challenge {
	char scheme[16]; /* "Bearer", "Basic" (as sent; compared case-insensitively) */
	char *realm;
	char *service;
	char *scope;
	char *error; /* "insufficient_scope", "invalid_token"... */
};
/*
 * Parse one WWW-Authenticate header value:
 *   Bearer realm="https://auth/token",service="reg",scope="repository:x:pull"
 * Quoted values may contain commas and \-escapes; unknown params are ignored.
 * Returns 0, or -1 when there is no scheme.  Free with reg_challenge_free().
 */
int reg_challenge_parse(const char *hdr, struct reg_challenge *c);
void reg_challenge_free(struct reg_challenge *c);

/* ---- client ------------------------------------------------------------- */
enum reg_auth { REG_AUTH_NONE, REG_AUTH_BASIC, REG_AUTH_BEARER };

struct reg_client {
	char *host;         /* host[:port] the API lives on */
	char *cred_key;     /* key in the auth file ("docker.io" -> https://index.docker.io/v1/) */
	const char *scheme; /* "https" or "http" once pinged */
	bool allow_http;    /* loopback or listed insecure */
	bool insecure;      /* listed insecure: TLS not verified either */
	char *ca_file;      /* certs.d/<host>/ca.crt if it exists */
	char *user, *pass;  /* credentials or NULL */
	char *repo;         /* repository path for the pull scope */
	enum reg_auth auth;
	struct reg_challenge chal; /* last Bearer challenge (realm, service) */
	char *token;               /* current bearer token */
	char *token_scope;         /* scope the token was issued for */
	int64_t token_expiry;      /* monotonic ns */
	long timeout_s;            /* total timeout for small requests */
	int retries;               /* attempts for transient failures */
};

struct reg_resp {
	long status;
	struct strbuf body;
	char *content_type;
	char *digest;   /* Docker-Content-Digest */
	char *www_auth; /* WWW-Authenticate */
	char *effective_url;
};
void reg_resp_free(struct reg_resp *r);

/* True for 127.0.0.0/8, ::1 and localhost (with or without :port). */
bool reg_host_is_loopback(const char *host);
/* True if `host` is listed in $CONTAINR_INSECURE_REGISTRIES or /etc/containr/insecure-registries.
 */
bool reg_host_is_insecure(const char *host);

/* Set up a client for `host` and repository `repo` (may be NULL), loading credentials and CA files.
 */
int reg_client_init(struct reg_client *c, const char *host, const char *repo, struct ctr_err *err);
void reg_client_free(struct reg_client *c);

/* Override stored credentials (login). */
void reg_client_set_creds(struct reg_client *c, const char *user, const char *pass);

/* GET /v2/: choose https or (if allowed) http, remember the auth challenge. */
int reg_ping(struct reg_client *c, struct ctr_err *err);

/* Apply TLS, timeouts, redirect policy and the current Authorization header to `h`. */
void reg_setup_easy(struct reg_client *c, CURL *h, const char *url, struct curl_slist **hdrs,
                    bool is_blob);

/*
 * React to a 401: obtain/refresh a token (Bearer) or switch to Basic.
 * `www_auth` is the challenge from the response.  `had_auth` says whether the
 * failed request already carried fresh credentials for this scope.
 * Returns 0 when the request should be retried, -1 (E_AUTH) otherwise.
 */
int reg_authorize(struct reg_client *c, const char *www_auth, bool had_auth, struct ctr_err *err);

/* Make sure a bearer token is valid before a batch of requests (refresh on expiry). */
int reg_auth_refresh(struct reg_client *c, struct ctr_err *err);

/*
 * GET `path` ("/v2/…") with `accept` (may be NULL): auth challenges
 * answered, transient failures retried, body kept in memory (at most 16 MiB).
 * Returns 0 with any HTTP status in resp->status; -1 with E_NETWORK/E_AUTH.
 */
int reg_get(struct reg_client *c, const char *path, const char *accept, struct reg_resp *resp,
            struct ctr_err *err);

/* Base URL "scheme://host". Heap. */
char *reg_url(const struct reg_client *c, const char *path);

/* Turn an error response into err: E_NOT_FOUND / E_AUTH / E_REGISTRY with the registry's message.
 */
int reg_fail_status(struct reg_client *c, const struct reg_resp *r, const char *what,
                    struct ctr_err *err);

/* ---- credentials -------------------------------------------------------- */
/* Store credentials (auth file created with 0600) / remove them. */
int reg_creds_store(const char *key, const char *user, const char *pass, struct ctr_err *err);
int reg_creds_remove(const char *key, struct ctr_err *err);
/* The auth-file key for a registry domain (docker.io -> "https://index.docker.io/v1/"). Heap. */
char *reg_creds_key(const char *domain);

/* ---- manifests ---------------------------------------------------------- */
#define MT_OCI_INDEX             "application/vnd.oci.image.index.v1+json"
#define MT_DOCKER_LIST           "application/vnd.docker.distribution.manifest.list.v2+json"
#define MT_OCI_MANIFEST          "application/vnd.oci.image.manifest.v1+json"
#define MT_DOCKER_MANIFEST       "application/vnd.docker.distribution.manifest.v2+json"
#define MT_DOCKER_SCHEMA1        "application/vnd.docker.distribution.manifest.v1+json"
#define MT_DOCKER_SCHEMA1_SIGNED "application/vnd.docker.distribution.manifest.v1+prettyjws"

enum reg_compression { COMP_NONE_, COMP_GZIP, COMP_ZSTD };

struct reg_descriptor {
	char *media_type;
	char *digest;
	int64_t size;
	enum reg_compression comp;
};

struct reg_manifest {
	char *media_type;
	struct reg_descriptor config;
	struct reg_descriptor *layers;
	int nlayers;
};

enum reg_mkind { REG_M_INDEX, REG_M_IMAGE };

/*
 * Classify a manifest body by Content-Type (may be NULL) and its own
 * mediaType/schemaVersion.  schema1 is E_UNSUPPORTED; anything unknown too.
 */
int reg_manifest_kind(const char *content_type, const char *body, size_t len, enum reg_mkind *kind,
                      char **media_type, struct ctr_err *err);
/* Parse an image manifest (OCI or Docker schema2). Free with reg_manifest_free(). */
int reg_manifest_parse(const char *body, size_t len, struct reg_manifest *m, struct ctr_err *err);
void reg_manifest_free(struct reg_manifest *m);
/*
 * Pick the manifest for `want` from an index / manifest list.  *digest (heap)
 * is the chosen entry.  E_NOT_FOUND naming the wanted platform and listing the
 * available ones when none matches.
 */
int reg_index_select(const char *body, size_t len, const struct ctr_platform *want, char **digest,
                     struct ctr_err *err);

/* "sha256:<hex>" of a buffer. out must hold 72 bytes. */
void reg_sha256_digest(const void *data, size_t len, char out[72]);

#endif
