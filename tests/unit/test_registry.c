/*
 * test_registry.c - registry client pieces that need no network:
 * WWW-Authenticate parsing, platform parsing and matching, manifest
 * classification/parsing, index selection, credentials file, loopback rules.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "containr/registry.h"
#include "registry/registry_int.h"

#define D(c)                                                                                       \
	"sha256:" c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c  \
	    c c c c c c c c c c c c c c c c c c c c c c c c

Test(registry, challenge_bearer)
{
	struct reg_challenge c;

	cr_assert_eq(reg_challenge_parse(
	                 "Bearer realm=\"https://auth.example/token\",service=\"reg.example\","
	                 "scope=\"repository:a/b:pull,push\",error=\"insufficient_scope\"",
	                 &c),
	             0);
	cr_assert_str_eq(c.scheme, "Bearer");
	cr_assert_str_eq(c.realm, "https://auth.example/token");
	cr_assert_str_eq(c.service, "reg.example");
	cr_assert_str_eq(c.scope, "repository:a/b:pull,push", "a comma inside quotes stays");
	cr_assert_str_eq(c.error, "insufficient_scope");
	reg_challenge_free(&c);
}

Test(registry, challenge_basic_and_odd_forms)
{
	struct reg_challenge c;

	cr_assert_eq(reg_challenge_parse("Basic realm=\"containr-basic\"", &c), 0);
	cr_assert_str_eq(c.scheme, "Basic");
	cr_assert_str_eq(c.realm, "containr-basic");
	cr_assert_null(c.service);
	reg_challenge_free(&c);
	cr_assert_eq(reg_challenge_parse(
	                 "  bearer realm=http://x/t , service = s,  Scope=\"a\\\"b\" ,x=1", &c),
	             0);
	cr_assert_str_eq(c.scheme, "bearer");
	cr_assert_str_eq(c.realm, "http://x/t");
	cr_assert_str_eq(c.service, "s");
	cr_assert_str_eq(c.scope, "a\"b", "backslash escapes are undone");
	reg_challenge_free(&c);
	cr_assert_eq(reg_challenge_parse("", &c), -1);
	cr_assert_eq(reg_challenge_parse(NULL, &c), -1);
}

Test(registry, platform_parse)
{
	struct ctr_platform p;
	struct ctr_err err;

	cr_assert_eq(ctr_platform_parse("linux/arm/v7", &p, &err), 0);
	cr_assert_str_eq(p.os, "linux");
	cr_assert_str_eq(p.arch, "arm");
	cr_assert_str_eq(p.variant, "v7");
	cr_assert_eq(ctr_platform_parse("linux/x86_64", &p, &err), 0);
	cr_assert_str_eq(p.arch, "amd64", "x86_64 is amd64");
	cr_assert_eq(ctr_platform_parse("linux/arm64/v8", &p, &err), 0);
	cr_assert_str_eq(p.arch, "arm64");
	cr_assert_str_eq(p.variant, "", "arm64/v8 is the default arm64");
	cr_assert_eq(ctr_platform_parse("amd64", &p, &err), -1);
	cr_assert_eq(err.code, E_INVALID_ARG);
	cr_assert_eq(ctr_platform_parse("linux/", &p, &err), -1);
	cr_assert_eq(ctr_platform_parse("a/b/c/d", &p, &err), -1);
	cr_assert_eq(ctr_platform_parse("linux//v7", &p, &err), -1);
}

Test(registry, platform_host)
{
	struct ctr_platform p;

	ctr_platform_host(&p);
	cr_assert_str_eq(p.os, "linux");
#if defined(__x86_64__)
	cr_assert_str_eq(p.arch, "amd64");
	cr_assert_str_eq(p.variant, "");
#elif defined(__aarch64__)
	cr_assert_str_eq(p.arch, "arm64");
#endif
}

Test(registry, platform_match)
{
	struct ctr_platform amd64 = {"linux", "amd64", ""}, arm64 = {"linux", "arm64", ""},
	                    armv7 = {"linux", "arm", "v7"}, arm = {"linux", "arm", ""};

	cr_assert(ctr_platform_match(&amd64, "linux", "amd64", NULL));
	cr_assert(ctr_platform_match(&amd64, "linux", "x86_64", NULL), "arch alias");
	cr_assert_not(ctr_platform_match(&amd64, "windows", "amd64", NULL));
	cr_assert_not(ctr_platform_match(&amd64, "linux", "arm64", NULL));
	cr_assert_not(ctr_platform_match(&amd64, "unknown", "unknown", NULL),
	              "attestation entries never match");
	cr_assert(ctr_platform_match(&arm64, "linux", "arm64", "v8"), "arm64/v8 == arm64");
	cr_assert(ctr_platform_match(&arm64, "linux", "aarch64", NULL));
	cr_assert(ctr_platform_match(&armv7, "linux", "arm", "v7"));
	cr_assert_not(ctr_platform_match(&armv7, "linux", "arm", "v6"));
	cr_assert_not(ctr_platform_match(&armv7, "linux", "arm", NULL));
	cr_assert(ctr_platform_match(&arm, "linux", "arm", "v6"), "no variant wanted: any");
}

static const char *INDEX =
    "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":["
    "{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"" D(
        "1") "\",\"size\":1,\"platform\":{\"os\":\"linux\",\"architecture\":\"arm64\"}},"
             "{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"" D(
                 "2") "\",\"size\":1,\"platform\":{\"os\":\"linux\",\"architecture\":\"arm\","
                      "\"variant\":\"v6\"}},"
                      "{\"mediaType\":\"application/"
                      "vnd.oci.image.manifest.v1+json\",\"digest\":\"" D(
                          "4") "\",\"size\":1,\"platform\":{\"os\":\"unknown\",\"architecture\":"
                               "\"unknown\"}},"
                               "{\"mediaType\":\"application/"
                               "vnd.oci.image.manifest.v1+json\",\"digest\":\"" D(
                                   "3") "\",\"size\":1,\"platform\":{\"os\":\"linux\","
                                        "\"architecture\":\"amd64\"}}]}";

Test(registry, index_select)
{
	struct ctr_platform amd64 = {"linux", "amd64", ""}, armv7 = {"linux", "arm", "v7"},
	                    s390 = {"linux", "s390x", ""};
	struct ctr_err err;
	char *d = NULL;

	cr_assert_eq(reg_index_select(INDEX, strlen(INDEX), &amd64, &d, &err), 0);
	cr_assert_str_eq(d, D("3"), "the host entry, even when listed last");
	free(d);
	cr_assert_eq(reg_index_select(INDEX, strlen(INDEX), &armv7, &d, &err), 0);
	cr_assert_str_eq(d, D("2"), "v7 falls back to a v6 image");
	free(d);
	cr_assert_eq(reg_index_select(INDEX, strlen(INDEX), &s390, &d, &err), -1);
	cr_assert_eq(err.code, E_NOT_FOUND);
	cr_assert(strstr(err.msg, "linux/s390x"));
	cr_assert(strstr(err.hint, "linux/arm64, linux/arm/v6"), "%s", err.hint);
	cr_assert_null(d);
}

Test(registry, manifest_kinds)
{
	enum reg_mkind k;
	char *mt = NULL;
	struct ctr_err err;
	const char *m2 = "{\"schemaVersion\":2,\"mediaType\":\"" MT_DOCKER_MANIFEST "\"}";
	const char *s1 = "{\"schemaVersion\":1,\"name\":\"x\",\"fsLayers\":[]}";
	const char *bare = "{\"schemaVersion\":2,\"manifests\":[]}";

	cr_assert_eq(reg_manifest_kind(NULL, m2, strlen(m2), &k, &mt, &err), 0);
	cr_assert_eq(k, REG_M_IMAGE);
	cr_assert_str_eq(mt, MT_DOCKER_MANIFEST);
	free(mt);
	cr_assert_eq(reg_manifest_kind(MT_DOCKER_LIST, bare, strlen(bare), &k, &mt, &err), 0);
	cr_assert_eq(k, REG_M_INDEX, "Content-Type wins");
	free(mt);
	cr_assert_eq(reg_manifest_kind("application/json", bare, strlen(bare), &k, &mt, &err), 0);
	cr_assert_eq(k, REG_M_INDEX, "OCI index without mediaType, by its manifests array");
	free(mt);
	cr_assert_eq(reg_manifest_kind(MT_DOCKER_SCHEMA1_SIGNED, s1, strlen(s1), &k, &mt, &err),
	             -1);
	cr_assert_eq(err.code, E_UNSUPPORTED);
	cr_assert(strstr(err.msg, "schema 1"));
	cr_assert_eq(reg_manifest_kind(NULL, s1, strlen(s1), &k, &mt, &err), -1);
	cr_assert_eq(err.code, E_UNSUPPORTED);
	cr_assert_eq(reg_manifest_kind("application/vnd.foo", m2, strlen(m2), &k, &mt, &err), -1);
	cr_assert_eq(err.code, E_UNSUPPORTED);
	cr_assert_eq(reg_manifest_kind(NULL, "{", 1, &k, &mt, &err), -1);
}

Test(registry, manifest_parse)
{
	struct reg_manifest m;
	struct ctr_err err;
	const char *body =
	    "{\"schemaVersion\":2,\"mediaType\":\"" MT_OCI_MANIFEST "\",\"config\":{\"mediaType\":"
	    "\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" D(
	        "a") "\",\"size\":12},"
	             "\"layers\":[{\"mediaType\":\"application/"
	             "vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"" D(
	                 "b") "\",\"size\":100},{\"mediaType\":\"application/"
	                      "vnd.oci.image.layer.v1.tar+zstd\",\"digest\":\"" D(
	                          "c") "\","
	                               "\"size\":"
	                               "200},{"
	                               "\"mediaType"
	                               "\":"
	                               "\"applicati"
	                               "on/"
	                               "vnd.oci."
	                               "image."
	                               "layer.v1."
	                               "tar\","
	                               "\"digest\":"
	                               "\"" D("d") "\",\"size\":300}]}";

	cr_assert_eq(reg_manifest_parse(body, strlen(body), &m, &err), 0, "%s", err.msg);
	cr_assert_str_eq(m.config.digest, D("a"));
	cr_assert_eq(m.config.size, 12);
	cr_assert_eq(m.nlayers, 3);
	cr_assert_eq(m.layers[0].comp, COMP_GZIP);
	cr_assert_eq(m.layers[1].comp, COMP_ZSTD);
	cr_assert_eq(m.layers[2].comp, COMP_NONE_);
	cr_assert_eq(m.layers[2].size, 300);
	reg_manifest_free(&m);

	const char *bad = "{\"schemaVersion\":2,\"config\":{\"digest\":\"sha256:short\",\"size\":1}"
	                  ",\"layers\":[]}";
	cr_assert_eq(reg_manifest_parse(bad, strlen(bad), &m, &err), -1);
	const char *foreign = "{\"schemaVersion\":2,\"config\":{\"digest\":\"" D(
	    "a") "\",\"size\":1},"
	         "\"layers\":[{\"mediaType\":\"application/"
	         "vnd.docker.image.rootfs.foreign.diff.tar.gzip\","
	         "\"digest\":\"" D("b") "\",\"size\":1}]}";
	cr_assert_eq(reg_manifest_parse(foreign, strlen(foreign), &m, &err), -1);
	cr_assert_eq(err.code, E_UNSUPPORTED);
}

Test(registry, loopback_and_insecure)
{
	cr_assert(reg_host_is_loopback("127.0.0.1:5000"));
	cr_assert(reg_host_is_loopback("127.9.8.7"));
	cr_assert(reg_host_is_loopback("localhost:5000"));
	cr_assert(reg_host_is_loopback("[::1]:5000"));
	cr_assert_not(reg_host_is_loopback("128.0.0.1:5000"));
	cr_assert_not(reg_host_is_loopback("registry-1.docker.io"));
	cr_assert_not(reg_host_is_loopback("localhost.evil.com"));
	setenv("CONTAINR_INSECURE_FILE", "/nonexistent", 1);
	setenv("CONTAINR_INSECURE_REGISTRIES", "a.example:5000, http://b.example/", 1);
	cr_assert(reg_host_is_insecure("a.example:5000"));
	cr_assert(reg_host_is_insecure("b.example"));
	cr_assert_not(reg_host_is_insecure("a.example"));
	unsetenv("CONTAINR_INSECURE_REGISTRIES");
}

Test(registry, credentials_file)
{
	char dir[] = "/tmp/ctr-auth-XXXXXX";
	struct ctr_err err;
	char *u = NULL, *p = NULL;
	struct stat sb;

	cr_assert_not_null(mkdtemp(dir));
	char *file = NULL;
	cr_assert(asprintf(&file, "%s/sub/config.json", dir) > 0);
	setenv("CONTAINR_AUTH_FILE", file, 1);
	cr_assert_eq(ctr_auth_get("h:1", &u, &p, &err), 0, "no file: no credentials");
	cr_assert_eq(reg_creds_store("h:1", "me", "s3:cr=t", &err), 0, "%s", err.msg);
	cr_assert_eq(stat(file, &sb), 0);
	cr_assert_eq(sb.st_mode & 0777, 0600);
	cr_assert_eq(ctr_auth_get("h:1", &u, &p, &err), 1);
	cr_assert_str_eq(u, "me");
	cr_assert_str_eq(p, "s3:cr=t", "a colon in the password survives");
	free(u);
	free(p);
	char *data = NULL;
	size_t len;
	cr_assert_eq(ctr_read_file(file, &data, &len, &err), 0);
	cr_assert(strstr(data, "\"h:1\""));
	cr_assert(strstr(data, "\"auth\""));
	cr_assert_null(strstr(data, "s3:cr=t"), "the password is not stored in clear");
	free(data);
	/* Docker Hub keys */
	cr_assert_eq(reg_creds_store("https://index.docker.io/v1/", "hub", "pw", &err), 0);
	cr_assert_eq(ctr_auth_get("docker.io", &u, &p, &err), 1);
	cr_assert_str_eq(u, "hub");
	free(u);
	free(p);
	cr_assert_eq(ctr_registry_logout("h:1", &err), 0);
	cr_assert_eq(ctr_auth_get("h:1", &u, &p, &err), 0);
	cr_assert_eq(ctr_registry_logout("h:1", &err), -1);
	cr_assert_eq(err.code, E_NOT_FOUND);
	cr_assert_eq(ctr_auth_get("docker.io", &u, &p, &err), 1, "other entries kept");
	free(u);
	free(p);
	unsetenv("CONTAINR_AUTH_FILE");
	char *cmd = NULL;
	cr_assert(asprintf(&cmd, "rm -rf %s", dir) > 0);
	cr_assert_eq(system(cmd), 0);
	free(cmd);
	free(file);
}

Test(registry, digest_of_buffer)
{
	char d[72];

	reg_sha256_digest("", 0, d);
	cr_assert_str_eq(d,
	                 "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

Test(registry, authorize_basic)
{
	struct reg_client c;
	struct ctr_err err;

	memset(&c, 0, sizeof c);
	c.host = xstrdup("127.0.0.1:5001");
	cr_assert_eq(reg_authorize(&c, "Basic realm=\"r\"", false, &err), -1, "no credentials");
	cr_assert_eq(err.code, E_AUTH);
	cr_assert(strstr(err.hint, "containr login 127.0.0.1:5001"));
	reg_client_set_creds(&c, "me", "pw");
	cr_assert_eq(reg_authorize(&c, "Basic realm=\"r\"", false, &err), 0,
	             "first 401: send them");
	cr_assert_eq(c.auth, REG_AUTH_BASIC);
	cr_assert_eq(reg_authorize(&c, "Basic realm=\"r\"", true, &err), -1,
	             "refused with them: final");
	cr_assert_eq(err.code, E_AUTH);
	cr_assert(strstr(err.msg, "user me"));
	cr_assert_null(strstr(err.msg, "pw"), "the password is never in a message");
	cr_assert_eq(reg_authorize(&c, "Negotiate", false, &err), -1);
	cr_assert_eq(err.code, E_UNSUPPORTED);
	cr_assert_eq(reg_authorize(&c, NULL, false, &err), -1);
	reg_client_free(&c);
}

Test(registry, authorize_bearer_insufficient_scope_is_final)
{
	struct reg_client c;
	struct ctr_err err;

	memset(&c, 0, sizeof c);
	c.host = xstrdup("r:1");
	c.repo = xstrdup("private/x");
	c.auth = REG_AUTH_BEARER;
	c.token = xstrdup("t");
	c.token_scope = xstrdup("repository:private/x:pull");
	cr_assert_eq(
	    reg_authorize(&c,
	                  "Bearer realm=\"http://127.0.0.1:1/token\",service=\"s\","
	                  "scope=\"repository:private/x:pull\",error=\"insufficient_scope\"",
	                  true, &err),
	    -1);
	cr_assert_eq(err.code, E_AUTH);
	cr_assert(strstr(err.msg, "pull access denied for private/x"), "%s", err.msg);
	cr_assert(strstr(err.hint, "containr login r:1"), "%s", err.hint);
	reg_client_free(&c);
}
