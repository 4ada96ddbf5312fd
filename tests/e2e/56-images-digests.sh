#!/usr/bin/env bash
# 56-images-digests.sh - `images --digests`: the fixture pushes one image as
# NAME:latest (Docker schema2 manifest) and NAME:oci (OCI manifest), two
# manifests of the same config, so one image id with two tags; each row
# shows the digest of the manifest its own tag was pulled as.  `images
# HOST:PORT/REPO` lists every tag (the port is not a tag filter).
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
. "$here/lib-registry.sh"
need_root
export CONTAINR_AUTH_FILE=$E2E_TMP/auth.json
reg_fixture_up
REG_DIR=$REG_SHARED

repo=$REG_PLAIN/busybox
d_latest=$(image_digest "$repo:latest")
d_oci=$(image_digest "$repo:oci")
[ -n "$d_latest" ] && [ -n "$d_oci" ] || fail "fixture digests missing for $repo"
[ "$d_latest" != "$d_oci" ] || fail "the fixture's :latest and :oci have the same manifest"

expect_rc 0 "$CTR" pull -q "$repo:latest"
expect_rc 0 "$CTR" pull -q "$repo:oci"
expect_rc 0 "$CTR" images --no-trunc -q "$repo"
expect_eq "$(echo "$OUT" | sort -u | wc -l)" "1" "both tags are one image (same config)"

# (also: a registry port in REPO is not a tag filter)
expect_rc 0 "$CTR" images --digests "$repo"
expect_eq "$(echo "$OUT" | grep -c "^$repo ")" "2" "images REPO with a registry port lists both tags"
row_latest=$(echo "$OUT" | awk -v r="$repo" '$1 == r && $2 == "latest"')
row_oci=$(echo "$OUT" | awk -v r="$repo" '$1 == r && $2 == "oci"')
expect_eq "$(echo "$row_latest" | awk '{print $3}')" "$d_latest" ":latest row shows the :latest manifest digest"
expect_eq "$(echo "$row_oci" | awk '{print $3}')" "$d_oci" ":oci row shows the :oci manifest digest"
expect_rc 0 "$CTR" images --digests --format '{{.Tag}} {{.Digest}}' "$repo"
expect_contains "$OUT" "oci $d_oci" "--format {{.Digest}} per tag"

# pulled again in the other order: still each tag its own
expect_rc 0 "$CTR" pull -q "$repo:latest"
expect_rc 0 "$CTR" images --digests --format '{{.Tag}} {{.Digest}}' "$repo"
expect_contains "$OUT" "oci $d_oci" ":oci keeps its digest after :latest is pulled again"
expect_contains "$OUT" "latest $d_latest" ":latest keeps its digest"
expect_rc 0 "$CTR" rmi "$repo:latest" "$repo:oci"
echo "56-images-digests: all ok"
