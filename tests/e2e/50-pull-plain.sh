#!/usr/bin/env bash
# 50-pull-plain.sh - containr pull from a plain-HTTP loopback registry:
# Docker schema2 (:latest) and OCI (:oci) manifests, by tag and by digest,
# a multi-arch index (host platform chosen, --platform override), Docker's
# output lines, -q, "Image is up to date", unknown images, and the layered
# image's whiteouts/opaque dirs checked on a read-only overlay of the
# extracted layers (check-rootfs.sh against expect-layered.txt).
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
. "$here/lib-registry.sh"
need_root
reg_fixture_up

# -- schema2 by tag, Docker's output
expect_rc 0 "$CTR" pull "$REG_PLAIN/busybox:latest"
want=$(image_digest "$REG_PLAIN/busybox:latest")
expect_contains "$OUT" "latest: Pulling from busybox" "pull names the repository"
expect_contains "$OUT" "88a960f9ec0a: Pull complete" "one line per layer when not a tty"
expect_contains "$OUT" "Digest: $want" "pull prints the manifest digest"
expect_contains "$OUT" "Status: Downloaded newer image for $REG_PLAIN/busybox:latest" "status line"
[ -f "$(blob_file "$want")" ] || fail "manifest blob $want not in the store"
ok "manifest stored under its digest"
cfg=$(image_config "$want")
expect_eq "$(jq -r '.config.Env[]' "$cfg" | grep ^FIXTURE=)" "FIXTURE=busybox" "config blob stored"
diff=$(image_diff_ids "$want")
layer=$CONTAINR_ROOT/layers/${diff#sha256:}
[ -x "$layer/bin/busybox" ] || fail "layer $layer has no bin/busybox"
expect_eq "$(readlink "$layer/bin/sh")" "/bin/busybox" "layer extracted with its absolute symlinks"
expect_eq "$(cat "$layer/app/hello.txt" | head -c 5)" "$(head -c 5 <"$layer/app/hello.txt")" "layer files readable"
expect_eq "$(stat -c %a "$layer/tmp")" "1777" "layer keeps /tmp 1777"
store_consistent || fail "store inconsistent"
ok "every blob hashes to its name"

# -- again: nothing downloaded
expect_rc 0 "$CTR" pull "$REG_PLAIN/busybox:latest"
expect_contains "$OUT" "88a960f9ec0a: Already exists" "existing layer not downloaded again"
expect_contains "$OUT" "Status: Image is up to date for $REG_PLAIN/busybox:latest" "up to date"

# -- -q prints only the reference
expect_rc 0 "$CTR" pull -q "$REG_PLAIN/busybox"
expect_eq "$OUT" "$REG_PLAIN/busybox:latest" "pull -q prints only the reference"

# -- OCI manifest
expect_rc 0 "$CTR" pull "$REG_PLAIN/busybox:oci"
expect_contains "$OUT" "Digest: $(image_digest "$REG_PLAIN/busybox:oci")" "OCI manifest pulled"
[ "$(jq -r .mediaType "$(blob_file "$(image_digest "$REG_PLAIN/busybox:oci")")")" = application/vnd.oci.image.manifest.v1+json ] ||
	fail "stored OCI manifest has the wrong media type"
ok "OCI manifest stored as such"

# -- by digest
d=$(image_digest "$REG_PLAIN/layered:oci")
expect_rc 0 "$CTR" pull "$REG_PLAIN/layered@$d"
expect_contains "$OUT" "Digest: $d" "pull by digest"
expect_contains "$OUT" "$REG_PLAIN/layered@$d" "by-digest reference printed"
expect_rc 1 "$CTR" pull "$REG_PLAIN/layered@sha256:$(printf '0%.0s' $(seq 64))"
expect_contains "$ERR" "not found" "unknown digest is not found"

# -- layered: whiteouts, opaque dirs, hardlinks, on a read-only overlay
expect_rc 0 "$CTR" pull "$REG_PLAIN/layered:latest"
lowers=""
for id in $(image_diff_ids "$(image_digest "$REG_PLAIN/layered:latest")"); do
	l=$CONTAINR_ROOT/layers/${id#sha256:}
	[ -d "$l" ] || fail "layer $id not extracted"
	lowers="$l${lowers:+:$lowers}" # overlay wants the top-most first
done
mnt=$E2E_TMP/layered-rootfs
mkdir -p "$mnt"
mount -t overlay overlay -o "ro,lowerdir=$lowers" "$mnt" || fail "cannot mount the overlay of the layered image"
on_exit "umount -l '$mnt'"
res=$("$REG_KIT/check-rootfs.sh" "$REG_DIR/expect-layered.txt" "$mnt" 2>&1)
expect_contains "$res" " 0 failed" "layered image: whiteouts and layer semantics ($(echo "$res" | tail -1))"
umount "$mnt"

# -- multi-arch index: the host entry (listed last) is chosen
expect_rc 0 "$CTR" pull "$REG_PLAIN/multiarch:latest"
expect_contains "$OUT" "Digest: $(image_digest "$REG_PLAIN/multiarch:latest")" "index digest printed"
plat=$(cat "$CONTAINR_ROOT"/layers/*/etc/fixture-platform 2>/dev/null)
expect_eq "$plat" "amd64" "multiarch: only the amd64 layer (/etc/fixture-platform) was extracted"
grep -l 'FIXTURE_PLATFORM=linux/amd64' "$CONTAINR_ROOT"/blobs/sha256/* >/dev/null || fail "no amd64 config"
ok "multiarch: amd64 config stored"
if grep -l 'FIXTURE_PLATFORM=linux/arm' "$CONTAINR_ROOT"/blobs/sha256/* >/dev/null; then fail "arm config pulled too"; fi
ok "multiarch: no other platform pulled"
expect_rc 0 "$CTR" pull "$REG_PLAIN/multiarch:oci"
expect_rc 0 "$CTR" pull --platform linux/arm/v7 "$REG_PLAIN/multiarch:oci"
grep -l 'FIXTURE_PLATFORM=linux/arm/v7' "$CONTAINR_ROOT"/blobs/sha256/* >/dev/null || fail "no arm/v7 config"
ok "--platform linux/arm/v7 picks that entry"
expect_rc 1 "$CTR" pull --platform linux/s390x "$REG_PLAIN/multiarch:latest"
expect_contains "$ERR" "no matching manifest for linux/s390x" "missing platform named"
expect_contains "$ERR" "linux/arm64, linux/arm/v7, linux/amd64" "available platforms listed"
expect_rc 1 "$CTR" pull --platform amd64 "$REG_PLAIN/multiarch:latest"
expect_contains "$ERR" "invalid platform" "malformed --platform refused"

# -- errors
expect_rc 1 "$CTR" pull "$REG_PLAIN/no-such-image"
expect_contains "$ERR" "not found" "unknown image: not found"
expect_contains "$ERR" "no-such-image" "unknown image named"
expect_rc 1 "$CTR" pull "$REG_PLAIN/busybox:no-such-tag"
expect_contains "$ERR" "busybox:no-such-tag not found" "unknown tag: not found"
expect_rc 1 "$CTR" pull "$REG_PLAIN/BusyBox"
expect_contains "$ERR" "must be lowercase" "bad reference refused before any request"
expect_rc 1 "$CTR" pull "127.0.0.1:1/busybox"
expect_contains "$ERR" "127.0.0.1:1" "unreachable registry: error names the host"
store_consistent || fail "store inconsistent at the end"
ok "store consistent"

# -- on a terminal: per-layer lines redrawn in place with bytes, total and rate
command -v script >/dev/null || fail "script(1) (bsdutils) is needed for the tty check"
rm -rf "$CONTAINR_ROOT" && mkdir -p "$CONTAINR_ROOT"
CONTAINR_PULL_RATE_LIMIT=2m script -qec "'$CTR' pull '$REG_PLAIN/layered:latest'" "$E2E_TMP/tty.log" >/dev/null ||
	fail "pull on a pty failed: $(tail -5 "$E2E_TMP/tty.log")"
tty_out=$(cat "$E2E_TMP/tty.log")
expect_contains "$tty_out" "88a960f9ec0a: Downloading  [" "tty: progress bar while downloading"
expect_contains "$tty_out" "/1.04MB" "tty: total size shown"
expect_contains "$tty_out" "B/s" "tty: rate shown"
expect_contains "$tty_out" $'\033[4A' "tty: the 4 layer lines are redrawn in place"
expect_contains "$tty_out" "aeedee92ac24: Pull complete" "tty: final state of each layer"
