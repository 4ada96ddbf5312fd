/* test_reference.c - image reference parsing, normalization and display (Docker's rules). */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "containr/error.h"
#include "containr/reference.h"

#define D64 "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static void check(const char *in, const char *domain, const char *path, const char *tag,
                  const char *digest, const char *full, const char *familiar)
{
	struct ctr_ref r;
	struct ctr_err err;

	cr_assert_eq(ctr_ref_parse(in, &r, &err), 0, "%s: %s", in, err.msg);
	cr_assert_str_eq(r.domain, domain, "%s domain", in);
	cr_assert_str_eq(r.path, path, "%s path", in);
	if (tag)
		cr_assert_str_eq(r.tag, tag, "%s tag", in);
	else
		cr_assert_null(r.tag, "%s has no tag", in);
	if (digest)
		cr_assert_str_eq(r.digest, digest, "%s digest", in);
	else
		cr_assert_null(r.digest, "%s has no digest", in);
	char *s = ctr_ref_string(&r);
	cr_assert_str_eq(s, full);
	free(s);
	s = ctr_ref_familiar(&r);
	cr_assert_str_eq(s, familiar);
	free(s);
	ctr_ref_free(&r);
}

static void bad(const char *in, const char *needle)
{
	struct ctr_ref r;
	struct ctr_err err;

	ctr_err_clear(&err);
	cr_assert_eq(ctr_ref_parse(in, &r, &err), -1, "%s should be refused", in);
	cr_assert_eq(err.code, E_INVALID_ARG, "%s", in);
	cr_assert(strstr(err.msg, needle), "%s: '%s' not in '%s'", in, needle, err.msg);
	cr_assert_null(r.domain);
	cr_assert_null(r.path);
}

Test(reference, hub_short_names)
{
	check("busybox", "docker.io", "library/busybox", "latest", NULL,
	      "docker.io/library/busybox:latest", "busybox:latest");
	check("busybox:1.36", "docker.io", "library/busybox", "1.36", NULL,
	      "docker.io/library/busybox:1.36", "busybox:1.36");
	check("user/img:tag", "docker.io", "user/img", "tag", NULL, "docker.io/user/img:tag",
	      "user/img:tag");
	check("docker.io/library/busybox", "docker.io", "library/busybox", "latest", NULL,
	      "docker.io/library/busybox:latest", "busybox:latest");
	check("index.docker.io/busybox", "docker.io", "library/busybox", "latest", NULL,
	      "docker.io/library/busybox:latest", "busybox:latest");
	check("library/busybox", "docker.io", "library/busybox", "latest", NULL,
	      "docker.io/library/busybox:latest", "busybox:latest");
	check("a/b/c", "docker.io", "a/b/c", "latest", NULL, "docker.io/a/b/c:latest",
	      "a/b/c:latest");
}

Test(reference, registries_and_ports)
{
	check("localhost:5000/x", "localhost:5000", "x", "latest", NULL, "localhost:5000/x:latest",
	      "localhost:5000/x:latest");
	check("localhost/x", "localhost", "x", "latest", NULL, "localhost/x:latest",
	      "localhost/x:latest");
	check("host:5000/path/img:tag", "host:5000", "path/img", "tag", NULL,
	      "host:5000/path/img:tag", "host:5000/path/img:tag");
	check("127.0.0.1:5000/busybox", "127.0.0.1:5000", "busybox", "latest", NULL,
	      "127.0.0.1:5000/busybox:latest", "127.0.0.1:5000/busybox:latest");
	check("quay.io/a/b", "quay.io", "a/b", "latest", NULL, "quay.io/a/b:latest",
	      "quay.io/a/b:latest");
	check("[::1]:5000/x:1", "[::1]:5000", "x", "1", NULL, "[::1]:5000/x:1", "[::1]:5000/x:1");
}

Test(reference, digests)
{
	check("img@sha256:" D64, "docker.io", "library/img", NULL, "sha256:" D64,
	      "docker.io/library/img@sha256:" D64, "img@sha256:" D64);
	check("h:1/x:t@sha256:" D64, "h:1", "x", "t", "sha256:" D64, "h:1/x:t@sha256:" D64,
	      "h:1/x:t@sha256:" D64);
	cr_assert(ctr_digest_valid("sha256:" D64));
	cr_assert_not(ctr_digest_valid("sha256:" D64 "0"));
	cr_assert_not(ctr_digest_valid("sha512:" D64));
	cr_assert_not(ctr_digest_valid(
	    "sha256:0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef"));
}

Test(reference, display_names)
{
	struct ctr_ref r;
	struct ctr_err err;
	char *s;

	cr_assert_eq(ctr_ref_parse("busybox", &r, &err), 0);
	s = ctr_ref_familiar_name(&r);
	cr_assert_str_eq(s, "busybox");
	free(s);
	cr_assert_str_eq(ctr_ref_api_host(&r), "registry-1.docker.io");
	ctr_ref_free(&r);
	cr_assert_eq(ctr_ref_parse("host:5000/x", &r, &err), 0);
	s = ctr_ref_familiar_name(&r);
	cr_assert_str_eq(s, "host:5000/x");
	free(s);
	cr_assert_str_eq(ctr_ref_api_host(&r), "host:5000");
	ctr_ref_free(&r);
	cr_assert_eq(ctr_ref_parse("library/a/b", &r, &err), 0);
	s = ctr_ref_familiar_name(&r);
	cr_assert_str_eq(s, "library/a/b", "only library/<one> is shortened");
	free(s);
	ctr_ref_free(&r);
}

Test(reference, invalid)
{
	bad("", "empty");
	bad("Busybox", "must be lowercase");
	bad("user/Img", "must be lowercase");
	bad("busybox:", "bad tag");
	bad("busybox:-x", "bad tag");
	bad("busybox:a b", "blanks");
	bad("busybox@sha256:abc", "bad digest");
	bad("busybox@md5:" D64, "bad digest");
	bad("a//b", "bad repository name");
	bad("a/b_", "bad repository name");
	bad("-a", "bad repository name");
	bad("a..b", "bad repository name");
	bad("host:5000/", "bad repository name");
	bad("ho_st:5000/x", "bad registry host");
	bad("host:port/x", "bad registry host");
	bad(":tag", "no repository name");
	char longname[300];
	memset(longname, 'a', sizeof longname);
	longname[299] = '\0';
	bad(longname, "255");
}

Test(reference, separators)
{
	check("a__b/c-d/e.f/g--h", "docker.io", "a__b/c-d/e.f/g--h", "latest", NULL,
	      "docker.io/a__b/c-d/e.f/g--h:latest", "a__b/c-d/e.f/g--h:latest");
	bad("a___b", "bad repository name");
}
