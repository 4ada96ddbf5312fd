#!/usr/bin/env bash
# 64-image-run-export.sh - images with the runtime: the built-in image runs
# offline; import -> run (writes and deletes files) -> export -> import ->
# run sees the changes; rmi refuses an image a container uses, rmi -f
# keeps it dangling with a "containr: warning:" line, and rmi works once
# the container is gone.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
need_root

# the built-in image, built on first use, no registry anywhere
expect_rc 0 "$CTR" run --rm localhost/containr/busybox echo hello
expect_eq "$OUT" "hello" "the built-in image runs offline"
expect_rc 0 "$CTR" images localhost/containr/busybox
expect_contains "$OUT" "localhost/containr/busybox" "and is listed"

rootfs=$E2E_TMP/rootfs
make_busybox_rootfs "$rootfs"
echo "from the image" >"$rootfs/hello.txt"
tar -C "$rootfs" -czf "$E2E_TMP/rootfs.tar.gz" .
expect_rc 0 "$CTR" import --change 'CMD ["cat", "/hello.txt"]' "$E2E_TMP/rootfs.tar.gz" rt:base
id=$OUT
expect_rc 0 "$CTR" run --rm rt:base
expect_eq "$OUT" "from the image" "an imported image runs with its CMD"

expect_rc 0 "$CTR" run --name rt-exp rt:base sh -c 'echo data >/newfile && rm /hello.txt && mkdir -p /srv/x'
expect_rc 0 "$CTR" export -o "$E2E_TMP/exp.tar" rt-exp
tar -tf "$E2E_TMP/exp.tar" >"$E2E_TMP/list"
grep -qx 'newfile' "$E2E_TMP/list" || fail "newfile not exported"
ok "export has the container's new file"
grep -qx 'hello.txt' "$E2E_TMP/list" && fail "deleted file exported"
ok "export lacks the file the container deleted"
grep -qx 'srv/x/' "$E2E_TMP/list" || fail "new dir not exported"
ok "export has the new directory"

expect_rc 0 "$CTR" import "$E2E_TMP/exp.tar" rt:exported
expect_rc 0 "$CTR" run --rm rt:exported cat /newfile
expect_eq "$OUT" "data" "export -> import -> run round-trips"
expect_rc 1 "$CTR" run --rm rt:exported cat /hello.txt

expect_rc 1 "$CTR" rmi rt:base
expect_contains "$ERR" "is using" "rmi refuses an image a container uses"
expect_rc 0 "$CTR" image inspect "$id"
# forced: the names go, the image stays (dangling) for the container, and
# the CLI says so in its own voice, not as a log record
expect_rc 0 "$CTR" rmi -f "$id"
expect_contains "$OUT" "Untagged: rt:base" "rmi -f of an image in use untags it"
expect_eq "$(echo "$ERR" | wc -l)" "1" "rmi -f of an image in use: one line on stderr"
expect_contains "$ERR" "containr: warning: image ${id:7:12} is kept (dangling): container " "rmi -f says the image is kept"
expect_not_contains "$ERR" "level=" "no raw log record"
expect_rc 0 "$CTR" image inspect "$id"
expect_rc 0 "$CTR" rm rt-exp
expect_rc 0 "$CTR" rmi "$id"
expect_contains "$OUT" "Deleted: $id" "rmi works once the container is gone"
echo "PASS"
