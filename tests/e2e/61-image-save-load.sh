#!/usr/bin/env bash
# 61-image-save-load.sh - save -> load round trip (one tar that is both an
# OCI layout and a docker-archive), into a fresh root and back over rmi;
# ids, tags, config and layer content survive; load of an archive without
# manifests fails cleanly; a tampered blob is refused (digest checked).
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
need_root

rootfs=$E2E_TMP/rootfs
make_busybox_rootfs "$rootfs"
echo "saved" >"$rootfs/marker"
tar -C "$rootfs" -czf "$E2E_TMP/rootfs.tar.gz" .
expect_rc 0 "$CTR" import --change 'CMD ["/bin/sh"]' "$E2E_TMP/rootfs.tar.gz" saveme:1
id=$OUT
expect_rc 0 "$CTR" tag saveme:1 saveme:2
expect_rc 0 "$CTR" image init-default
defid=${OUT##* }

expect_rc 0 "$CTR" save -o "$E2E_TMP/out.tar" saveme:1 saveme:2 localhost/containr/busybox
tar -tf "$E2E_TMP/out.tar" >"$E2E_TMP/list"
grep -qx 'oci-layout' "$E2E_TMP/list" && grep -qx 'index.json' "$E2E_TMP/list" && grep -qx 'manifest.json' "$E2E_TMP/list" || fail "layout files missing: $(cat "$E2E_TMP/list")"
ok "archive is an OCI layout and a docker-archive"
tar -xOf "$E2E_TMP/out.tar" manifest.json >"$E2E_TMP/manifest.json"
expect_eq "$(jq -r '.[0].RepoTags[0]' "$E2E_TMP/manifest.json")" "saveme:1" "manifest.json RepoTags"
expect_eq "$(jq -r '.[0].Config' "$E2E_TMP/manifest.json")" "blobs/sha256/${id#sha256:}" "manifest.json Config"

# into a fresh root
first=$CONTAINR_ROOT
export CONTAINR_ROOT=$E2E_TMP/root2
expect_rc 0 "$CTR" load -i "$E2E_TMP/out.tar"
expect_contains "$OUT" "Loaded image: saveme:1" "load reports the tag"
expect_contains "$OUT" "Loaded image: saveme:2" "load reports the second tag"
expect_contains "$OUT" "Loaded image: localhost/containr/busybox:latest" "load reports the default image"
expect_rc 0 "$CTR" image inspect saveme:2
expect_eq "$(echo "$OUT" | jq -r '.[0].Id')" "$id" "same image id after the round trip"
expect_eq "$(echo "$OUT" | jq -c '.[0].Config.Cmd')" '["/bin/sh"]' "config kept"
diff=$(echo "$OUT" | jq -r '.[0].RootFS.Layers[0]')
expect_eq "$(cat "$CONTAINR_ROOT/layers/${diff#sha256:}/marker")" "saved" "layer content kept"
expect_rc 0 "$CTR" image inspect localhost/containr/busybox
expect_eq "$(echo "$OUT" | jq -r '.[0].Id')" "$defid" "default image id kept"

# back into the first root over rmi, from stdin
export CONTAINR_ROOT=$first
expect_rc 0 "$CTR" rmi -f saveme:1
expect_rc 0 bash -c "\"$CTR\" load <\"$E2E_TMP/out.tar\""
expect_rc 0 "$CTR" images saveme
expect_eq "$(echo "$OUT" | grep -c '^saveme')" "2" "both tags back"

# garbage and tampering
tar -C "$rootfs" -cf "$E2E_TMP/notanimage.tar" marker
expect_rc 1 "$CTR" load -i "$E2E_TMP/notanimage.tar"
expect_contains "$ERR" "not an image archive" "load refuses a non-image tar"
mkdir -p "$E2E_TMP/bad" && tar -C "$E2E_TMP/bad" -xf "$E2E_TMP/out.tar"
printf 'tampered' >>"$E2E_TMP/bad/blobs/sha256/${id#sha256:}"
tar -C "$E2E_TMP/bad" -cf "$E2E_TMP/bad.tar" .
export CONTAINR_ROOT=$E2E_TMP/root3
expect_rc 1 "$CTR" load -i "$E2E_TMP/bad.tar"
expect_contains "$ERR" "digest mismatch" "a tampered blob is refused"
[ -e "$CONTAINR_ROOT/blobs/sha256/${id#sha256:}" ] && fail "tampered blob stored"
ok "tampered blob not stored"
expect_eq "$(ls "$CONTAINR_ROOT/tmp" | wc -l)" "0" "no temp files left"
echo "PASS"
