#!/usr/bin/env bash
# 66-image-import-reuse.sh - import is content-addressed: importing the same
# tar again (plain or gzip) reuses the extracted layer and the layer blob
# (no extraction, the layer directory keeps its inode, layers/ does not
# grow), and the image id is Docker's: the sha256 of the image config JSON.
# Two imports give two image ids, as in Docker, only because the config's
# "created" differs; the layer is the same.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
need_root

rootfs=$E2E_TMP/rootfs
make_busybox_rootfs "$rootfs"
echo "reuse me" >"$rootfs/hello.txt"
tar -C "$rootfs" -cf "$E2E_TMP/rootfs.tar" .
gzip -c "$E2E_TMP/rootfs.tar" >"$E2E_TMP/rootfs.tar.gz"
diffid=sha256:$(sha256sum <"$E2E_TMP/rootfs.tar" | cut -c1-64)
layer=$CONTAINR_ROOT/layers/${diffid#sha256:}
layers() { find "$CONTAINR_ROOT/layers" -mindepth 1 -maxdepth 1 -type d | wc -l; }

# config_of ID: the config blob of image ID, found through its manifest
config_of() {
	local md
	md=$(jq -r --arg id "$1" '.images[$id].ManifestDigest' "$CONTAINR_ROOT/images/index.json")
	echo "$CONTAINR_ROOT/blobs/sha256/$(jq -r .config.digest "$CONTAINR_ROOT/blobs/sha256/${md#sha256:}" | cut -c8-)"
}

expect_rc 0 "$CTR" --explain import "$E2E_TMP/rootfs.tar" reuse:1
id1=$OUT
expect_contains "$ERR" "[explain] extract" "the first import extracts the layer"
[ -d "$layer" ] || fail "layer $diffid not extracted"
ino=$(stat -c %i "$layer")
blob_ino=$(stat -c %i "$CONTAINR_ROOT/blobs/sha256/${diffid#sha256:}")
expect_eq "$(layers)" "1" "one layer"
cfg=$(config_of "$id1")
expect_eq "sha256:$(sha256sum <"$cfg" | cut -c1-64)" "$id1" "image id = sha256 of the config JSON"
expect_eq "$(basename "$cfg")" "${id1#sha256:}" "the manifest's config digest is the image id"
expect_eq "$(jq -r '.rootfs.diff_ids[0]' "$cfg")" "$diffid" "config lists the tar's diff_id"

sleep 1 # a different "created" second
expect_rc 0 "$CTR" --explain import "$E2E_TMP/rootfs.tar" reuse:2
id2=$OUT
expect_not_contains "$ERR" "[explain] extract" "the second import of the same tar extracts nothing"
expect_contains "$ERR" "already in the store" "and says it reuses the layer"
expect_eq "$(layers)" "1" "layers/ did not grow"
expect_eq "$(stat -c %i "$layer")" "$ino" "the layer directory is the same (inode)"
expect_eq "$(stat -c %i "$CONTAINR_ROOT/blobs/sha256/${diffid#sha256:}")" "$blob_ino" "the layer blob was not rewritten"
[ "$id1" != "$id2" ] || fail "two imports at different times gave the same id (created should differ)"
ok "a second import is a new image id (Docker: a new created time), sharing the layer"
cfg2=$(config_of "$id2")
expect_eq "sha256:$(sha256sum <"$cfg2" | cut -c1-64)" "$id2" "second image id = sha256 of its config"
expect_eq "$(jq -r '.rootfs.diff_ids[0]' "$cfg2")" "$diffid" "same diff_id"
[ -z "$(ls -A "$CONTAINR_ROOT/tmp")" ] || fail "temp entries left: $(ls "$CONTAINR_ROOT/tmp")"
ok "nothing left in tmp/"

# gzip: the first import cannot know the diff_id without decompressing, so it
# extracts and then keeps the existing layer; the second finds the blob's
# diff_id in the index and reuses everything
expect_rc 0 "$CTR" --explain import "$E2E_TMP/rootfs.tar.gz" reuse:gz1
expect_eq "$(layers)" "1" "the gzip of the same tar is the same layer"
expect_rc 0 "$CTR" --explain import "$E2E_TMP/rootfs.tar.gz" reuse:gz2
expect_not_contains "$ERR" "[explain] extract" "a second gzip import extracts nothing"
expect_eq "$(stat -c %i "$layer")" "$ino" "still the same layer directory"

# stdin cannot be hashed first: it is extracted, but the existing layer is kept
expect_rc 0 "$CTR" import - reuse:stdin <"$E2E_TMP/rootfs.tar"
expect_eq "$(layers)" "1" "stdin import: still one layer"
expect_eq "$(stat -c %i "$layer")" "$ino" "stdin import keeps the existing layer"
expect_rc 0 "$CTR" run --rm reuse:2 cat /hello.txt
expect_eq "$OUT" "reuse me" "the reused layer runs"

expect_rc 0 "$CTR" rmi reuse:1 reuse:2 reuse:gz1 reuse:gz2 reuse:stdin
expect_eq "$(layers)" "0" "rmi of every user removes the shared layer"
echo "66-image-import-reuse: all ok"
