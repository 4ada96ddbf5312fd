/*
 * digest.c - content digests as values: "sha256:<64 lowercase hex>" checks
 * and the hex part.  No hashing here (that needs OpenSSL and lives with the
 * blob writer, src/image/blob_write.c: ctr_digest_buf).
 */
#include <string.h>

#include "containr/reference.h"
#include "containr/util.h"

int ctr_digest_valid(const char *s)
{
	return s && str_startswith(s, "sha256:") && strlen(s) == 7 + 64 && str_is_hex(s + 7, 64);
}

const char *ctr_digest_hex(const char *digest)
{
	if (digest && str_startswith(digest, "sha256:"))
		return digest + 7;
	return digest;
}
