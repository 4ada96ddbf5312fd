#!/usr/bin/env bash
# 60-image-import.sh - import -> images -> image inspect -> tag -> rmi, with
# Docker's output: a gzip rootfs tarball becomes a one-layer image, --change
# lines reach the config, tags move, rmi untags and then deletes the image,
# its blobs and its extracted layer; the same tarball as zstd, xz and plain
# tar (and from stdin) gives the same layer (diff_id), stored once.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
need_root

rootfs=$E2E_TMP/rootfs
make_busybox_rootfs "$rootfs"
echo "imported" >"$rootfs/hello.txt"
tar -C "$rootfs" -czf "$E2E_TMP/rootfs.tar.gz" .
tar -C "$rootfs" -cf "$E2E_TMP/rootfs.tar" .
zstd -q -f "$E2E_TMP/rootfs.tar" -o "$E2E_TMP/rootfs.tar.zst"
xz -k -f "$E2E_TMP/rootfs.tar"

expect_rc 0 "$CTR" import --change 'CMD ["sh", "-c", "echo hi"]' --change 'ENV FOO=bar' \
	--change 'WORKDIR /tmp' --change 'USER 1000' -m "from e2e" "$E2E_TMP/rootfs.tar.gz" example/imported:v1
id=$OUT
case "$id" in sha256:????????????????????????????????????????????????????????????????) ok "import prints the image id" ;; *) fail "import printed '$id'" ;; esac

expect_rc 0 "$CTR" images
expect_contains "$OUT" "REPOSITORY" "images has Docker's header"
line=$(echo "$OUT" | grep '^example/imported')
expect_contains "$line" "v1" "images lists the tag"
expect_contains "$line" "${id:7:12}" "images shows the 12-char id"
expect_contains "$line" "second" "CREATED is relative (seconds)"
expect_contains "$line" " ago " "CREATED says ago"
expect_rc 0 "$CTR" images -q
expect_eq "$OUT" "${id:7:12}" "images -q prints only ids"
expect_rc 0 "$CTR" images --no-trunc -q
expect_eq "$OUT" "$id" "--no-trunc prints the full id"
expect_rc 0 "$CTR" images --format json
expect_eq "$(echo "$OUT" | jq -r .Repository)" "example/imported" "--format json"

expect_rc 0 "$CTR" image inspect example/imported:v1
expect_eq "$(echo "$OUT" | jq -r '.[0].Id')" "$id" "inspect Id"
expect_eq "$(echo "$OUT" | jq -c '.[0].Config.Cmd')" '["sh","-c","echo hi"]' "CMD change (exec form)"
expect_eq "$(echo "$OUT" | jq -r '.[0].Config.Env[0]')" "FOO=bar" "ENV change"
expect_eq "$(echo "$OUT" | jq -r '.[0].Config.WorkingDir')" "/tmp" "WORKDIR change"
expect_eq "$(echo "$OUT" | jq -r '.[0].Config.User')" "1000" "USER change"
expect_eq "$(echo "$OUT" | jq -r '.[0].RepoTags[0]')" "example/imported:v1" "RepoTags"
expect_eq "$(echo "$OUT" | jq -r '.[0].RootFS.Layers | length')" "1" "one layer"
diff=$(echo "$OUT" | jq -r '.[0].RootFS.Layers[0]')
layer=$CONTAINR_ROOT/layers/${diff#sha256:}
expect_eq "$(cat "$layer/hello.txt")" "imported" "layer extracted"
expect_eq "$(stat -c %a "$layer/tmp")" "1777" "modes kept"
expect_eq "$(sha256sum <"$E2E_TMP/rootfs.tar.gz" | cut -c1-64)" \
	"$(jq -r '.layers[0].digest' "$CONTAINR_ROOT/blobs/sha256/$(jq -r '.images["'"$id"'"].ManifestDigest' "$CONTAINR_ROOT/images/index.json" | cut -c8-)" | cut -c8-)" \
	"the gzip input is the layer blob"
expect_rc 0 "$CTR" import -c 'ENTRYPOINT echo "hi there"' -c 'LABEL a=b c="d e"' -c 'EXPOSE 80 53/udp' \
	"$E2E_TMP/rootfs.tar.gz" example/changes
expect_rc 0 "$CTR" image inspect example/changes
expect_eq "$(echo "$OUT" | jq -c '.[0].Config.Entrypoint')" '["/bin/sh","-c","echo \"hi there\""]' "ENTRYPOINT shell form"
expect_eq "$(echo "$OUT" | jq -c '.[0].Config.Labels')" '{"a":"b","c":"d e"}' "LABEL change"
expect_eq "$(echo "$OUT" | jq -c '.[0].Config.ExposedPorts | keys')" '["53/udp","80/tcp"]' "EXPOSE change"
expect_rc 1 "$CTR" import -c 'RUN make' "$E2E_TMP/rootfs.tar.gz" example/bad
expect_contains "$ERR" "unsupported --change instruction: RUN" "unsupported instructions are refused"
expect_rc 0 "$CTR" rmi example/changes
expect_rc 1 "$CTR" image inspect example/imported:v1 nosuch:image
expect_contains "$ERR" "no such image: nosuch:image" "inspect names the missing image"
expect_eq "$(echo "$OUT" | jq 'length')" "1" "inspect still prints the found one"

# same content in other compressions and from stdin: one shared layer
expect_rc 0 "$CTR" import "$E2E_TMP/rootfs.tar.zst" example/zst
expect_rc 0 "$CTR" import "$E2E_TMP/rootfs.tar.xz" example/xz
expect_rc 0 bash -c "\"$CTR\" import - example/stdin <\"$E2E_TMP/rootfs.tar\""
for r in example/zst example/xz example/stdin; do
	expect_rc 0 "$CTR" image inspect $r
	expect_eq "$(echo "$OUT" | jq -r '.[0].RootFS.Layers[0]')" "$diff" "$r has the same diff_id"
done
expect_eq "$(ls -d "$CONTAINR_ROOT"/layers/*/ | wc -l)" "1" "the layer is extracted once"

# tag and rmi
expect_rc 0 "$CTR" tag example/imported:v1 example/imported:latest
expect_rc 0 "$CTR" tag "${id:7:8}" localhost:5000/other/name:x
expect_rc 0 "$CTR" images example/imported
expect_eq "$(echo "$OUT" | grep -c '^example/imported')" "2" "images REPO filter shows both tags"
expect_rc 1 "$CTR" rmi "${id:7:12}"
expect_contains "$ERR" "must be forced" "rmi by id with several names needs -f"
expect_rc 0 "$CTR" rmi example/imported
expect_eq "$OUT" "Untagged: example/imported:latest" "rmi of one name only untags"
expect_rc 0 "$CTR" rmi example/imported:v1 localhost:5000/other/name:x
expect_contains "$OUT" "Untagged: example/imported:v1" "untagged"
expect_contains "$OUT" "Deleted: $id" "last name deletes the image"
expect_rc 1 "$CTR" image inspect "$id"
[ -e "$CONTAINR_ROOT/blobs/sha256/${id#sha256:}" ] && fail "config blob still there"
ok "config blob removed"
[ -d "$layer" ] || fail "shared layer removed while other images use it"
ok "layer kept for the other images"
expect_rc 0 "$CTR" image rm example/zst example/xz example/stdin
[ -d "$layer" ] && fail "layer kept after the last image went"
ok "layer removed with the last image"
expect_eq "$(ls "$CONTAINR_ROOT/blobs/sha256" | wc -l)" "0" "no blobs left"
expect_rc 1 "$CTR" rmi nosuch
expect_contains "$ERR" "no such image" "rmi of a missing image"

# prune: dangling images only
expect_rc 0 "$CTR" import "$E2E_TMP/rootfs.tar.gz"
dangling=$OUT
expect_rc 0 "$CTR" import "$E2E_TMP/rootfs.tar.gz" keep:me
expect_rc 0 "$CTR" images -q --no-trunc -f dangling=true
expect_eq "$OUT" "$dangling" "images -f dangling=true"
expect_rc 0 "$CTR" images -q -f 'reference=kee*'
expect_eq "$OUT" "$("$CTR" image inspect -f '{{.Id}}' keep:me | cut -c8-19)" "images -f reference=PATTERN"
expect_rc 1 "$CTR" images -f nope=1
expect_contains "$ERR" "invalid filter 'nope=1'" "unknown filters are refused"
expect_rc 0 "$CTR" image prune -f
expect_contains "$OUT" "deleted: $dangling" "prune deletes the dangling image"
expect_contains "$OUT" "Total reclaimed space:" "prune reports the space"
expect_rc 0 "$CTR" image inspect keep:me
expect_rc 0 "$CTR" image prune -a -f
expect_contains "$OUT" "untagged: keep:me" "prune -a removes unused tagged images"
echo "PASS"
