#!/usr/bin/env bash
# 52-pull-tls-hub.sh - HTTPS and redirects: the tls registry is refused
# without its CA (hint names the certs.d path) and pulled with the CA in
# $CONTAINR_CERTS_D/HOST:PORT/ca.crt; the hub look-alike answers blob GETs
# with a 307 to a CDN on another host that rejects any request carrying
# Authorization (so the token must not follow the redirect); a registry
# that only speaks HTTP is refused when it is not loopback or listed as
# insecure.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
. "$here/lib-registry.sh"
need_root
reg_fixture_up
export CONTAINR_AUTH_FILE=$E2E_TMP/auth.json
export CONTAINR_CERTS_D=$E2E_TMP/certs.d

# -- TLS
expect_rc 1 "$CTR" pull "$REG_TLS/busybox:latest"
expect_contains "$ERR" "cannot reach registry $REG_TLS" "tls: unknown CA refused, host named"
expect_contains "$ERR" "certificate" "tls: the certificate problem is said"
expect_contains "$ERR" "$CONTAINR_CERTS_D/$REG_TLS/ca.crt" "tls: hint names the CA file to add"
mkdir -p "$CONTAINR_CERTS_D/$REG_TLS"
cp "$REG_CA" "$CONTAINR_CERTS_D/$REG_TLS/ca.crt"
expect_rc 0 "$CTR" pull "$REG_TLS/busybox:latest"
expect_contains "$OUT" "Digest: $(image_digest "$REG_TLS/busybox:latest")" "tls: pull with the registry CA"
expect_rc 0 "$CTR" pull "$REG_TLS/multiarch:oci"
expect_contains "$OUT" "Digest: $(image_digest "$REG_TLS/multiarch:oci")" "tls: OCI index over HTTPS"
# The same registry by another name that is in the certificate (SAN localhost).
tlsport=${REG_TLS##*:}
mkdir -p "$CONTAINR_CERTS_D/localhost:$tlsport"
cp "$REG_CA" "$CONTAINR_CERTS_D/localhost:$tlsport/ca.crt"
expect_rc 0 "$CTR" pull -q "localhost:$tlsport/busybox:oci"
expect_eq "$OUT" "localhost:$tlsport/busybox:oci" "tls: localhost name verified against the SAN"

# -- hub: token + 307 to a CDN that refuses Authorization
cdn_before=$(curl -fsS "$REG_CDN_URL/stats")
expect_rc 0 "$CTR" pull "$REG_HUB/layered:latest"
expect_contains "$OUT" "Digest: $(image_digest "$REG_HUB/layered:latest")" "hub: pull through the CDN redirect"
cdn_after=$(curl -fsS "$REG_CDN_URL/stats")
expect_eq "$(( $(echo "$cdn_after" | jq .rejected_auth) - $(echo "$cdn_before" | jq .rejected_auth) ))" "0" \
	"hub: Authorization never sent to the CDN"
[ $(( $(echo "$cdn_after" | jq .requests) - $(echo "$cdn_before" | jq .requests) )) -ge 4 ] ||
	fail "hub: blobs did not come from the CDN ($cdn_before -> $cdn_after)"
ok "hub: config and the 3 new layers came from the CDN"
expect_rc 0 "$CTR" pull "$REG_HUB/multiarch:latest"
expect_eq "$(cat "$CONTAINR_ROOT"/layers/*/etc/fixture-platform)" "amd64" "hub: multiarch picks amd64"

# -- registries listed insecure: TLS not verified (the loopback-only rule
# for plain HTTP is unit-tested: the fixtures listen on 127.0.0.1 only)
rm -rf "$CONTAINR_CERTS_D"
CONTAINR_INSECURE_REGISTRIES="$REG_TLS" "$CTR" pull -q "$REG_TLS/busybox:latest" >/dev/null 2>&1 ||
	fail "tls: a registry listed insecure should be pulled without its CA"
ok "insecure list: TLS verification skipped for that registry"
expect_rc 1 "$CTR" pull "$REG_TLS/busybox:latest"
expect_contains "$ERR" "certificate" "not listed: verification required again"
