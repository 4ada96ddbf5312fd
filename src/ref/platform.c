/*
 * platform.c - platforms: the host's, `--platform os/arch[/variant]`, and
 * whether an index entry matches one, with Docker's aliases (x86_64 =
 * amd64, aarch64 = arm64, armhf = arm/v7, arm64 "v8" = no variant).
 * Plain string work, in the engine binary: validating `--platform` must
 * not load containr-ext.so (see src/ext/ext.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "containr/reference.h"
#include "containr/util.h"

static void set_str(char *dst, size_t n, const char *s)
{
	size_t l = s ? strnlen(s, n - 1) : 0;

	if (l)
		memcpy(dst, s, l);
	dst[l] = '\0';
}

static void normalize_platform(struct ctr_platform *p)
{
	if (strcmp(p->arch, "x86_64") == 0 || strcmp(p->arch, "x86-64") == 0)
		set_str(p->arch, sizeof p->arch, "amd64");
	else if (strcmp(p->arch, "aarch64") == 0)
		set_str(p->arch, sizeof p->arch, "arm64");
	else if (strcmp(p->arch, "armhf") == 0) {
		set_str(p->arch, sizeof p->arch, "arm");
		if (!p->variant[0])
			set_str(p->variant, sizeof p->variant, "v7");
	} else if (strcmp(p->arch, "armel") == 0) {
		set_str(p->arch, sizeof p->arch, "arm");
		if (!p->variant[0])
			set_str(p->variant, sizeof p->variant, "v6");
	} else if (strcmp(p->arch, "i386") == 0 || strcmp(p->arch, "i686") == 0)
		set_str(p->arch, sizeof p->arch, "386");
	if (strcmp(p->arch, "arm64") == 0 && strcmp(p->variant, "v8") == 0)
		p->variant[0] = '\0';
	if (strcmp(p->arch, "amd64") == 0 && strcmp(p->variant, "v1") == 0)
		p->variant[0] = '\0';
}

void ctr_platform_host(struct ctr_platform *p)
{
	struct utsname u;

	memset(p, 0, sizeof *p);
	set_str(p->os, sizeof p->os, "linux");
	if (uname(&u) < 0) {
		set_str(p->arch, sizeof p->arch, "amd64");
		return;
	}
	const char *m = u.machine;
	if (strcmp(m, "armv7l") == 0 || strcmp(m, "armv7") == 0) {
		set_str(p->arch, sizeof p->arch, "arm");
		set_str(p->variant, sizeof p->variant, "v7");
	} else if (strcmp(m, "armv6l") == 0) {
		set_str(p->arch, sizeof p->arch, "arm");
		set_str(p->variant, sizeof p->variant, "v6");
	} else if (strcmp(m, "armv5tel") == 0 || strcmp(m, "armv5l") == 0) {
		set_str(p->arch, sizeof p->arch, "arm");
		set_str(p->variant, sizeof p->variant, "v5");
	} else if (strcmp(m, "ppc64le") == 0 || strcmp(m, "s390x") == 0 ||
	           strcmp(m, "riscv64") == 0) {
		set_str(p->arch, sizeof p->arch, m);
	} else {
		set_str(p->arch, sizeof p->arch, m);
	}
	normalize_platform(p);
}

int ctr_platform_parse(const char *s, struct ctr_platform *p, struct ctr_err *err)
{
	cleanup_free char *copy = xstrdup(s ? s : "");
	char *parts[4] = {0};
	int n = 0;
	char *save = NULL;

	memset(p, 0, sizeof *p);
	for (char *t = strtok_r(copy, "/", &save); t && n < 4; t = strtok_r(NULL, "/", &save))
		parts[n++] = t;
	if (n < 2 || n > 3 || strchr(s, ' ') || s[strlen(s) - 1] == '/' || strstr(s, "//")) {
		ctr_fail(err, E_INVALID_ARG, "invalid platform \"%s\"", s ? s : "");
		return ctr_hint(err,
		                "write it as os/arch[/variant], e.g. linux/amd64 or linux/arm/v7");
	}
	for (int i = 0; i < n; i++) {
		if (strlen(parts[i]) >= (i == 2 ? sizeof p->variant : sizeof p->os)) {
			ctr_fail(err, E_INVALID_ARG, "invalid platform \"%s\": \"%s\" is too long",
			         s, parts[i]);
			return -1;
		}
		for (char *c = parts[i]; *c; c++)
			if (*c >= 'A' && *c <= 'Z')
				*c = (char)(*c - 'A' + 'a');
	}
	set_str(p->os, sizeof p->os, parts[0]);
	set_str(p->arch, sizeof p->arch, parts[1]);
	if (n == 3)
		set_str(p->variant, sizeof p->variant, parts[2]);
	normalize_platform(p);
	return 0;
}

bool ctr_platform_match(const struct ctr_platform *want, const char *os, const char *arch,
                        const char *variant)
{
	struct ctr_platform e;

	memset(&e, 0, sizeof e);
	set_str(e.os, sizeof e.os, os);
	set_str(e.arch, sizeof e.arch, arch);
	set_str(e.variant, sizeof e.variant, variant);
	normalize_platform(&e);
	if (strcmp(e.os, want->os) != 0 || strcmp(e.arch, want->arch) != 0)
		return false;
	if (!want->variant[0])
		return true; /* no variant asked for: any variant of the arch */
	if (!e.variant[0])
		return strcmp(want->arch, "arm") != 0; /* arm without variant: ambiguous, refuse */
	return strcmp(e.variant, want->variant) == 0;
}
