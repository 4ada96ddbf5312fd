#!/usr/bin/env bash
# 63-image-export.sh - export of a container's merged filesystem (image
# layers + its upper dir, whiteouts applied) through a private read-only
# overlay that never shows on the host; import of the export round-trips;
# rmi refuses an image a container uses.  The container directory is laid
# out as the runtime does (config.json "ImageID", upper/), so this test does
# not depend on `run`; 64-image-run-export.sh does the same with `run`.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
need_root

rootfs=$E2E_TMP/rootfs
make_busybox_rootfs "$rootfs"
echo "from the image" >"$rootfs/hello.txt"
echo "will be deleted" >"$rootfs/deleted.txt"
ln "$rootfs/hello.txt" "$rootfs/hello-link.txt"
tar -C "$rootfs" -czf "$E2E_TMP/rootfs.tar.gz" .
expect_rc 0 "$CTR" import "$E2E_TMP/rootfs.tar.gz" exp:base
id=$OUT

cid=$(printf 'c%.0s' {1..64})
cdir=$CONTAINR_ROOT/containers/$cid
mkdir -p "$cdir/upper/etc"
printf '{"Image": "exp:base", "ImageID": "%s"}\n' "$id" >"$cdir/config.json"
echo "written by the container" >"$cdir/upper/etc/new.txt"
mknod "$cdir/upper/deleted.txt" c 0 0

mounts_before=$(wc -l </proc/self/mountinfo)
expect_rc 0 "$CTR" export -o "$E2E_TMP/out.tar" "${cid:0:12}"
expect_eq "$(wc -l </proc/self/mountinfo)" "$mounts_before" "no mount left on the host"
expect_eq "$(ls -A "$CONTAINR_ROOT/tmp" | wc -l)" "0" "no temp mount point left"
tar -tvf "$E2E_TMP/out.tar" >"$E2E_TMP/list"
grep -q ' etc/new.txt$' "$E2E_TMP/list" || fail "upper file missing: $(head "$E2E_TMP/list")"
ok "the container's own file is exported"
grep -q 'deleted.txt' "$E2E_TMP/list" && fail "whited-out file exported"
ok "a file deleted in the container is not exported"
grep -q ' bin/busybox$' "$E2E_TMP/list" || fail "image file missing"
ok "image files are exported"
grep -q '^h.* hello-link.txt link to hello.txt$\|^h.* hello.txt link to hello-link.txt$' "$E2E_TMP/list" || fail "hardlink not kept: $(grep hello "$E2E_TMP/list")"
ok "hardlinks are kept"
grep -q '^drwxrwxrwt .* tmp/$' "$E2E_TMP/list" || fail "tmp mode: $(grep ' tmp/$' "$E2E_TMP/list")"
ok "modes are kept"
expect_eq "$(tar -xOf "$E2E_TMP/out.tar" etc/new.txt)" "written by the container" "content exported"

# stdout, and import of the export
expect_rc 0 bash -c "\"$CTR\" export $cid | \"$CTR\" import - exp:roundtrip"
expect_rc 0 "$CTR" image inspect exp:roundtrip
diff=$(echo "$OUT" | jq -r '.[0].RootFS.Layers[0]')
expect_eq "$(cat "$CONTAINR_ROOT/layers/${diff#sha256:}/etc/new.txt")" "written by the container" "export | import round-trips"
expect_rc 1 "$CTR" export -o "$E2E_TMP/x.tar" nosuchcontainer

# a created, never started container of a one-layer image (no upper dir yet:
# overlayfs refuses a single read-only lower, so this is a read-only bind)
expect_rc 0 "$CTR" create --name never localhost/containr/busybox true
expect_rc 0 "$CTR" export -o "$E2E_TMP/never.tar" never
expect_contains "$(tar -tf "$E2E_TMP/never.tar")" "bin/busybox" "export of a never-started container"
expect_rc 0 "$CTR" rm never

# rmi while a container uses the image
expect_rc 1 "$CTR" rmi exp:base
expect_contains "$ERR" "is using" "rmi refuses an image in use"
expect_rc 0 "$CTR" rmi -f exp:base
expect_eq "$OUT" "Untagged: exp:base" "rmi -f only untags an image in use"
expect_rc 0 "$CTR" image inspect "$id"
expect_rc 0 "$CTR" image prune -a -f
expect_not_contains "$OUT" "$id" "prune keeps the image in use"
rm -rf "$cdir"
expect_rc 0 "$CTR" image prune -f
expect_contains "$OUT" "deleted: $id" "prune deletes it once the container is gone"
echo "PASS"
