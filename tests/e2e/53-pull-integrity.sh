#!/usr/bin/env bash
# 53-pull-integrity.sh - what a pull leaves behind when things go wrong:
# a layer blob altered in the registry's storage fails the pull with a
# digest error naming the digest and leaves nothing in the store; a pull
# killed with SIGKILL in the middle of a download leaves only temp files
# (no blob, layer or image under its final name) and the next pull
# completes; a pull that outlives its bearer token renews it.  The
# corruption happens on a private registry of this test.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
. "$here/lib-registry.sh"
need_root
export CONTAINR_AUTH_FILE=$E2E_TMP/auth.json

BB_LAYER=sha256:88a960f9ec0a39a62bb37ea30d85274145c1b8c2dccc84db8bfc5ea35f33abac
BB_DIFF=sha256:be7db7e0c963acd4ae959d3e546d0256b835396879335a7c7aad1dea3c1d3096

no_trace() {
	[ ! -e "$(blob_file "$BB_LAYER")" ] || fail "$1: the bad blob is in blobs/"
	[ ! -e "$CONTAINR_ROOT/layers/${BB_DIFF#sha256:}" ] || fail "$1: the layer is in layers/"
	local left
	left=$(find "$CONTAINR_ROOT/layers" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l)
	[ "$left" = 0 ] || fail "$1: layers/ is not empty: $(ls "$CONTAINR_ROOT/layers")"
	if [ -e "$CONTAINR_ROOT/images/index.json" ] && grep -q busybox "$CONTAINR_ROOT/images/index.json"; then
		fail "$1: the image was recorded"
	fi
	store_consistent || fail "$1: store inconsistent"
	ok "$1: nothing under a final name, every blob verified"
}

# A private registry pair for this test: its storage gets damaged, and its
# tokens live 5 s.
priv=$E2E_TMP/reg
REG_TOKEN_TTL=5 reg_fixture_private "$priv" "plain token" "busybox layered"
PRIV_PLAIN=$(. "$priv/env"; echo "$REG_PLAIN")
PRIV_TOKEN=$(. "$priv/env"; echo "$REG_TOKEN")
PRIV_TOKENSRV=$(. "$priv/env"; echo "$REG_TOKENSRV")

# -- short-lived tokens (5 s) are renewed during a pull that outlives them
before=$(curl -fsS "http://$PRIV_TOKENSRV/stats" | jq .token_requests)
CONTAINR_PULL_RATE_LIMIT=150k "$CTR" pull -q --max-concurrent-downloads 1 "$PRIV_TOKEN/layered:latest" \
	>"$E2E_TMP/ttl.out" 2>&1 || fail "pull with 5 s tokens failed: $(cat "$E2E_TMP/ttl.out")"
after=$(curl -fsS "http://$PRIV_TOKENSRV/stats" | jq .token_requests)
[ $((after - before)) -ge 2 ] || fail "token not renewed: $((after - before)) token request(s) for a ~7 s pull"
ok "expired token renewed during the pull ($((after - before)) tokens for a ~7 s pull with 5 s tokens)"
rm -rf "$CONTAINR_ROOT" && mkdir -p "$CONTAINR_ROOT"

# -- a blob corrupted in the registry
data=$priv/storage/plain/docker/registry/v2/blobs/sha256/${BB_LAYER:7:2}/${BB_LAYER#sha256:}/data
[ -f "$data" ] || fail "registry blob $data not found"
size=$(stat -c %s "$data")
# flip one byte in the middle (same size, so only the digest can tell)
off=$((size / 2))
orig=$(dd if="$data" bs=1 skip=$off count=1 2>/dev/null | od -An -tu1 | tr -d ' ')
printf "$(printf '\\%03o' $(( (orig + 1) % 256 )))" | dd of="$data" bs=1 seek=$off count=1 conv=notrunc 2>/dev/null
[ "$(stat -c %s "$data")" = "$size" ] || fail "corruption changed the size"
[ "$(sha256sum "$data" | cut -d' ' -f1)" != "${BB_LAYER#sha256:}" ] || fail "blob not corrupted"
ok "registry blob altered in place"
expect_rc 1 "$CTR" pull "$PRIV_PLAIN/busybox:latest"
expect_contains "$ERR" "$BB_LAYER" "digest error names the digest"
expect_contains "$ERR" "digest" "error says it is a digest mismatch"
no_trace "corrupt blob"
tmpfiles=$(find "$CONTAINR_ROOT/tmp" -mindepth 1 2>/dev/null | wc -l)
expect_eq "$tmpfiles" "0" "corrupt blob: temp files removed too"
"$REG_KIT/registry.sh" stop "$priv" >/dev/null 2>&1

# -- SIGKILL in the middle of a download, then a pull that completes
reg_fixture_up
rm -rf "$CONTAINR_ROOT" && mkdir -p "$CONTAINR_ROOT"
CONTAINR_PULL_RATE_LIMIT=200k "$CTR" pull "$REG_PLAIN/busybox:latest" >"$E2E_TMP/killed.out" 2>&1 &
pid=$!
on_exit "kill -9 $pid"
partial() {
	local f
	for f in "$CONTAINR_ROOT"/tmp/*; do
		[ -f "$f" ] && [ "$(stat -c %s "$f")" -gt 200000 ] && return 0
	done
	return 1
}
wait_until 20 partial || fail "no partial download appeared: $(cat "$E2E_TMP/killed.out")"
kill -0 $pid 2>/dev/null || fail "the pull finished before it could be killed"
kill -9 $pid
wait $pid 2>/dev/null
ok "pull killed with SIGKILL mid-download ($(du -sb "$CONTAINR_ROOT/tmp" | cut -f1) bytes in tmp/)"
no_trace "after SIGKILL"
expect_rc 0 "$CTR" pull "$REG_PLAIN/busybox:latest"
expect_contains "$OUT" "Status: Downloaded newer image for $REG_PLAIN/busybox:latest" "second pull completes"
[ -x "$CONTAINR_ROOT/layers/${BB_DIFF#sha256:}/bin/busybox" ] || fail "layer missing after the second pull"
ok "layer extracted by the second pull"
expect_eq "$(sha256sum "$(blob_file "$BB_LAYER")" | cut -d' ' -f1)" "${BB_LAYER#sha256:}" "blob verified"
store_consistent || fail "store inconsistent after the second pull"
ok "store consistent"

# -- Ctrl-C during a pull in the REPL: the pull stops, its temp files go, the REPL stays
rm -rf "$CONTAINR_ROOT" && mkdir -p "$CONTAINR_ROOT"
res=$(CONTAINR_PULL_RATE_LIMIT=100k python3 - "$CTR" "$REG_PLAIN/busybox:latest" "$CONTAINR_ROOT" <<'PY'
import os, pty, select, signal, sys, time
ctr, ref, root = sys.argv[1:4]
pid, fd = pty.fork()
if pid == 0:
    os.execv(ctr, [ctr])
def rd(t):
    out, end = b'', time.time() + t
    while time.time() < end:
        if select.select([fd], [], [], 0.1)[0]:
            try: out += os.read(fd, 65536)
            except OSError: break
    return out.decode(errors='replace')
rd(1.5)
os.write(fd, ('pull %s\r' % ref).encode())
time.sleep(2)
tmp_during = len(os.listdir(root + '/tmp'))
os.kill(pid, signal.SIGINT)
out = rd(2.5)
tmp_after = len(os.listdir(root + '/tmp'))
os.write(fd, b'version\r')
out2 = rd(1.5)
os.write(fd, b'exit\r'); rd(1)
_, st = os.waitpid(pid, 0)
print('during=%d after=%d interrupted=%s alive=%s exit=%d' % (tmp_during, tmp_after,
      'interrupted' in out, 'Version' in out2 or 'version' in out2.lower(), os.WEXITSTATUS(st)))
PY
)
expect_contains "$res" "interrupted=True" "Ctrl-C stops a pull in the REPL with an 'interrupted' error"
expect_contains "$res" "during=2 after=0" "the interrupted pull removed its temp files"
expect_contains "$res" "alive=True" "the REPL keeps running after the interrupted pull"
no_trace "after Ctrl-C"
