/*
 * creds.c - registry credentials in Docker's config.json format:
 *   {"auths": {"host:port": {"auth": base64("user:password")}}}
 * The file is $CONTAINR_AUTH_FILE, else $DOCKER_CONFIG/config.json, else
 * ~/.docker/config.json.  Other keys in the file are preserved; writes are
 * atomic with mode 0600.  Credential helpers (credsStore) are not used.
 * Passwords never reach logs or error messages.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <pwd.h>
#include <openssl/evp.h>

#include "containr/log.h"
#include "registry/registry_int.h"

#define HUB_KEY "https://index.docker.io/v1/"

char *ctr_auth_file_path(void)
{
	const char *e = getenv("CONTAINR_AUTH_FILE");
	if (e && *e)
		return xstrdup(e);
	e = getenv("DOCKER_CONFIG");
	if (e && *e)
		return xasprintf("%s/config.json", e);
	e = getenv("HOME");
	if (!e || !*e) {
		struct passwd *pw = getpwuid(getuid());
		e = pw ? pw->pw_dir : "/";
	}
	return xasprintf("%s/.docker/config.json", e);
}

static bool is_hub(const char *d)
{
	return strcmp(d, "docker.io") == 0 || strcmp(d, "index.docker.io") == 0 ||
	       strcmp(d, "registry-1.docker.io") == 0;
}

char *reg_creds_key(const char *domain)
{
	return xstrdup(is_hub(domain) ? HUB_KEY : domain);
}

/* "https://host:port/v1/" -> "host:port" (heap). */
static char *normalize_key(const char *k)
{
	if (str_startswith(k, "http://"))
		k += 7;
	else if (str_startswith(k, "https://"))
		k += 8;
	return xstrndup(k, strcspn(k, "/"));
}

static bool key_matches(const char *key, const char *domain)
{
	cleanup_free char *n = normalize_key(key);
	if (is_hub(domain))
		return is_hub(n);
	return strcasecmp(n, domain) == 0;
}

static int load_config(const char *path, cJSON **out, struct ctr_err *err)
{
	cleanup_free char *data = NULL;
	size_t len = 0;

	*out = NULL;
	if (access(path, F_OK) != 0)
		return 0;
	if (ctr_read_file(path, &data, &len, err) < 0)
		return -1;
	*out = cJSON_ParseWithLength(data, len);
	if (!*out || !cJSON_IsObject(*out)) {
		cJSON_Delete(*out);
		*out = NULL;
		ctr_fail(err, E_CORRUPT, "auth file %s is not valid JSON", path);
		return ctr_hint(err, "fix or remove the file, then containr login again");
	}
	return 0;
}

static char *b64_encode(const char *s)
{
	size_t n = strlen(s);
	char *out = xmalloc(4 * ((n + 2) / 3) + 1);
	EVP_EncodeBlock((unsigned char *)out, (const unsigned char *)s, (int)n);
	return out;
}

static char *b64_decode(const char *s)
{
	size_t n = strlen(s);
	unsigned char *out = xmalloc(3 * (n / 4) + 4);
	int m = EVP_DecodeBlock(out, (const unsigned char *)s, (int)n);
	if (m < 0) {
		free(out);
		return NULL;
	}
	/* EVP_DecodeBlock counts '=' padding as zero bytes. */
	while (n && s[n - 1] == '=' && m > 0) {
		n--;
		m--;
	}
	out[m] = '\0';
	return (char *)out;
}

int ctr_auth_get(const char *registry, char **user, char **pass, struct ctr_err *err)
{
	cleanup_free char *path = ctr_auth_file_path();
	cJSON *cfg = NULL, *e;
	int found = 0;

	*user = *pass = NULL;
	if (load_config(path, &cfg, err) < 0)
		return -1;
	cJSON_ArrayForEach (e, cJSON_GetObjectItem(cfg, "auths")) {
		if (!e->string || !key_matches(e->string, registry))
			continue;
		const char *a = cJSON_GetStringValue(cJSON_GetObjectItem(e, "auth"));
		if (a && *a) {
			char *dec = b64_decode(a);
			char *colon = dec ? strchr(dec, ':') : NULL;
			if (!colon) {
				free(dec);
				continue;
			}
			*user = xstrndup(dec, (size_t)(colon - dec));
			*pass = xstrdup(colon + 1);
			explicit_bzero(dec, strlen(dec));
			free(dec);
			found = 1;
			break;
		}
		const char *u = cJSON_GetStringValue(cJSON_GetObjectItem(e, "username"));
		const char *p = cJSON_GetStringValue(cJSON_GetObjectItem(e, "password"));
		if (u && p) {
			*user = xstrdup(u);
			*pass = xstrdup(p);
			found = 1;
			break;
		}
	}
	cJSON_Delete(cfg);
	return found;
}

static int save_config(const char *path, cJSON *cfg, struct ctr_err *err)
{
	cleanup_free char *dir = xstrdup(path);
	char *slash = strrchr(dir, '/');
	char *text;
	int r;

	if (slash && slash != dir) {
		*slash = '\0';
		if (ctr_mkdir_p(dir, 0700, err) < 0)
			return -1;
	}
	text = cJSON_Print(cfg);
	if (!text)
		return ctr_fail(err, E_INTERNAL, "cannot serialize %s", path);
	struct strbuf sb;
	strbuf_init(&sb);
	strbuf_puts(&sb, text);
	strbuf_putc(&sb, '\n');
	explicit_bzero(text, strlen(text));
	free(text);
	r = ctr_write_file_atomic(path, sb.buf, sb.len, 0600, err);
	if (r == 0)
		chmod(path, 0600);
	explicit_bzero(sb.buf, sb.len);
	strbuf_release(&sb);
	return r;
}

int reg_creds_store(const char *key, const char *user, const char *pass, struct ctr_err *err)
{
	cleanup_free char *path = ctr_auth_file_path();
	cJSON *cfg = NULL, *auths, *e, *next;

	if (load_config(path, &cfg, err) < 0)
		return -1;
	if (!cfg)
		cfg = cJSON_CreateObject();
	auths = cJSON_GetObjectItem(cfg, "auths");
	if (!cJSON_IsObject(auths)) {
		cJSON_DeleteItemFromObject(cfg, "auths");
		auths = cJSON_AddObjectToObject(cfg, "auths");
	}
	/* Drop other spellings of the same registry ("http://host", ...). */
	cleanup_free char *domain = normalize_key(key);
	for (e = auths->child; e; e = next) {
		next = e->next;
		if (e->string && key_matches(e->string, domain))
			cJSON_Delete(cJSON_DetachItemViaPointer(auths, e));
	}
	cleanup_free char *up = xasprintf("%s:%s", user, pass);
	cleanup_free char *b64 = b64_encode(up);
	cJSON *ent = cJSON_AddObjectToObject(auths, key);
	cJSON_AddStringToObject(ent, "auth", b64);
	explicit_bzero(up, strlen(up));
	explicit_bzero(b64, strlen(b64));
	int r = save_config(path, cfg, err);
	cJSON_Delete(cfg);
	return r;
}

int reg_creds_remove(const char *key, struct ctr_err *err)
{
	cleanup_free char *path = ctr_auth_file_path();
	cleanup_free char *domain = normalize_key(key);
	cJSON *cfg = NULL, *auths, *e, *next;
	int removed = 0;

	if (load_config(path, &cfg, err) < 0)
		return -1;
	auths = cJSON_GetObjectItem(cfg, "auths");
	for (e = auths ? auths->child : NULL; e; e = next) {
		next = e->next;
		if (e->string && key_matches(e->string, domain)) {
			cJSON_Delete(cJSON_DetachItemViaPointer(auths, e));
			removed++;
		}
	}
	if (!removed) {
		cJSON_Delete(cfg);
		return ctr_fail(err, E_NOT_FOUND, "not logged in to %s", domain);
	}
	int r = save_config(path, cfg, err);
	cJSON_Delete(cfg);
	return r;
}
