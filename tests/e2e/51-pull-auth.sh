#!/usr/bin/env bash
# 51-pull-auth.sh - registry authentication: Basic (pull refused before
# login, login with wrong and right passwords, the auth file in Docker's
# format with mode 0600, pull, logout), Bearer tokens (anonymous pull, the
# private/ repository refused anonymously and allowed after login, one
# token reused for every blob of a pull), and wrong stored credentials.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
. "$here/lib-registry.sh"
need_root
reg_fixture_up
export CONTAINR_AUTH_FILE=$E2E_TMP/auth/config.json

# -- Basic
expect_rc 1 "$CTR" pull "$REG_BASIC/busybox"
expect_contains "$ERR" "requires authentication" "basic: pull without credentials refused"
expect_contains "$ERR" "containr login $REG_BASIC" "hint says how to log in"
expect_rc 1 "$CTR" login -u "$REG_USER" -p wrong-password "$REG_BASIC"
expect_contains "$ERR" "wrong user name or password" "basic: wrong password refused at login"
[ ! -e "$CONTAINR_AUTH_FILE" ] || fail "a failed login wrote $CONTAINR_AUTH_FILE"
ok "failed login stores nothing"
OUT=$(printf '%s\n' "$REG_PASS" | "$CTR" login -u "$REG_USER" --password-stdin "$REG_BASIC" 2>&1) || fail "login failed: $OUT"
expect_eq "$OUT" "Login Succeeded" "basic: login with --password-stdin"
expect_eq "$(stat -c %a "$CONTAINR_AUTH_FILE")" "600" "auth file is mode 0600"
expect_eq "$(jq -r --arg h "$REG_BASIC" '.auths[$h].auth' "$CONTAINR_AUTH_FILE")" \
	"$(printf '%s:%s' "$REG_USER" "$REG_PASS" | base64 -w0)" "auth file has Docker's auths format"
expect_rc 0 "$CTR" pull "$REG_BASIC/busybox:latest"
expect_contains "$OUT" "Digest: $(image_digest "$REG_BASIC/busybox:latest")" "basic: pull after login"
expect_not_contains "$OUT$ERR" "$REG_PASS" "password never printed"

# -- Bearer, anonymous
before=$(curl -fsS "http://$REG_TOKENSRV/stats" | jq .token_requests)
expect_rc 0 "$CTR" pull "$REG_TOKEN/layered:latest"
after=$(curl -fsS "http://$REG_TOKENSRV/stats" | jq .token_requests)
expect_contains "$OUT" "Digest: $(image_digest "$REG_TOKEN/layered:latest")" "token: anonymous pull of 4 layers"
expect_eq "$((after - before))" "1" "one token reused for manifest, config and every layer"

# -- Bearer, private repository
expect_rc 1 "$CTR" pull "$REG_TOKEN/private/busybox"
expect_contains "$ERR" "pull access denied for private/busybox" "token: private repo refused anonymously"
expect_contains "$ERR" "login" "hint mentions login"
expect_rc 1 "$CTR" login -u "$REG_USER" -p nope "$REG_TOKEN"
expect_contains "$ERR" "wrong user name or password" "token: wrong password refused at login"
printf '%s\n' "$REG_PASS" | "$CTR" login -u "$REG_USER" --password-stdin "$REG_TOKEN" >/dev/null 2>&1 || fail "token login failed"
ok "token: login"
expect_rc 0 "$CTR" pull "$REG_TOKEN/private/busybox:latest"
expect_contains "$OUT" "Digest: $(image_digest "$REG_TOKEN/private/busybox:latest")" "token: private pull with credentials"

# -- wrong credentials stored (as after a password change)
jq --arg h "$REG_TOKEN" --arg a "$(printf '%s:stale' "$REG_USER" | base64 -w0)" '.auths[$h].auth = $a' \
	"$CONTAINR_AUTH_FILE" >"$E2E_TMP/cfg" && cp "$E2E_TMP/cfg" "$CONTAINR_AUTH_FILE"
expect_rc 1 "$CTR" pull "$REG_TOKEN/private/busybox:latest"
expect_contains "$ERR" "refused the credentials of user $REG_USER" "stale credentials: E_AUTH names the user"
expect_contains "$ERR" "hint: check the user name and password: containr login $REG_TOKEN" "stale credentials: hint"
jq --arg h "$REG_BASIC" --arg a "$(printf '%s:stale' "$REG_USER" | base64 -w0)" '.auths[$h].auth = $a' \
	"$CONTAINR_AUTH_FILE" >"$E2E_TMP/cfg" && cp "$E2E_TMP/cfg" "$CONTAINR_AUTH_FILE"
expect_rc 1 "$CTR" pull "$REG_BASIC/layered:latest"
expect_contains "$ERR" "refused the credentials of user $REG_USER" "basic: stale credentials refused"

# -- logout
expect_rc 0 "$CTR" logout "$REG_TOKEN"
expect_eq "$OUT" "Removing login credentials for $REG_TOKEN" "logout"
expect_eq "$(jq -r --arg h "$REG_TOKEN" '.auths[$h] // "gone"' "$CONTAINR_AUTH_FILE")" "gone" "logout removed the entry"
expect_eq "$(jq -r --arg h "$REG_BASIC" '.auths[$h] | type' "$CONTAINR_AUTH_FILE")" "object" "other entries kept"
expect_rc 0 "$CTR" logout "$REG_TOKEN"
expect_eq "$OUT" "Not logged in to $REG_TOKEN" "logout when not logged in"

# -- DOCKER_CONFIG is honoured when CONTAINR_AUTH_FILE is not set
unset CONTAINR_AUTH_FILE
export DOCKER_CONFIG=$REG_DOCKER_CONFIG HOME=$E2E_TMP/home
expect_rc 0 "$CTR" pull -q "$REG_HUB/private/busybox:latest"
expect_eq "$OUT" "$REG_HUB/private/busybox:latest" "credentials from \$DOCKER_CONFIG/config.json (docker login's file)"
