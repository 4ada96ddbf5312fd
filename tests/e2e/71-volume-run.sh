#!/usr/bin/env bash
# Volumes with real containers: a named volume outlives its container and
# is read by the next one; :ro bind and named mounts refuse writes (EROFS);
# a bind mount sees host changes live; copy-up fills a new volume from the
# image; --volumes-from shares mounts; volume rm/prune respect real users.
. "$(dirname "$0")/lib.sh"
need_root

R=$E2E_TMP/rootfs
make_busybox_rootfs "$R"
# busybox --install -s links to its absolute host path: relink inside the root
for l in "$R"/bin/*; do [ -L "$l" ] && ln -sf busybox "$l"; done
mkdir -p "$R/app/sub" && echo "from the image" >"$R/app/hello.txt"
chmod 0640 "$R/app/hello.txt" && chown 1000:1000 "$R/app/hello.txt"
ln -s hello.txt "$R/app/link"
H=$E2E_TMP/host
mkdir -p "$H"

# named volume: written by one container, read by the next after removal
expect_rc 0 "$CTR" run --name w1 -v vdata:/data --rootfs "$R" /bin/sh -c 'echo persisted >/data/f'
expect_rc 0 "$CTR" rm w1
expect_rc 0 "$CTR" run --rm -v vdata:/data --rootfs "$R" /bin/cat /data/f
expect_eq "$OUT" "persisted" "named volume data survives its container"
expect_eq "$(cat "$CONTAINR_ROOT/volumes/vdata/_data/f")" "persisted" "data lives in <root>/volumes/vdata/_data"

# :ro refuses writes, for a named volume and a bind mount
expect_rc 1 "$CTR" run --rm -v vdata:/data:ro --rootfs "$R" /bin/sh -c 'echo x >/data/g'
expect_contains "$ERR" "Read-only file system" "named :ro volume refuses writes"
expect_rc 0 "$CTR" run --rm -v vdata:/data:ro --rootfs "$R" /bin/cat /data/f
expect_eq "$OUT" "persisted" "named :ro volume is readable"
echo host-file >"$H/f"
expect_rc 1 "$CTR" run --rm -v "$H:/h:ro" --rootfs "$R" /bin/sh -c 'echo x >/h/f'
expect_contains "$ERR" "Read-only file system" "bind :ro refuses writes"
expect_eq "$(cat "$H/f")" "host-file" "host file unchanged by a :ro mount"
expect_rc 1 "$CTR" run --rm --mount "type=bind,src=$H,dst=/h,readonly" --rootfs "$R" /bin/touch /h/new
expect_contains "$ERR" "Read-only file system" "--mount readonly refuses writes"
expect_rc 0 "$CTR" run --rm -v "$H:/h" --rootfs "$R" /bin/sh -c 'echo rw >/h/rw'
expect_eq "$(cat "$H/rw")" "rw" "rw bind writes reach the host"

# bind mounts are live: the container waits for a file the host writes later
expect_rc 0 "$CTR" run -d --name live -v "$H:/h" --rootfs "$R" /bin/sh -c \
	'while [ ! -f /h/go ]; do sleep 0.1; done; cat /h/go >/h/seen'
on_exit "$CTR" rm -f live
sleep 0.3
echo "hello-live" >"$H/go"
wait_until 10 test -s "$H/seen" || fail "container never saw the host's new file"
expect_eq "$(cat "$H/seen")" "hello-live" "bind mount sees host changes live"

# missing -v host path is created as a directory; --mount does not create it
expect_rc 0 "$CTR" run --rm -v "$H/made/here:/m" --rootfs "$R" /bin/true
[ -d "$H/made/here" ] || fail "-v did not create the missing host directory"
ok "-v creates a missing host directory"
expect_rc 125 "$CTR" run --rm --mount "type=bind,src=$H/nope,dst=/m" --rootfs "$R" /bin/true
expect_contains "$ERR" "bind source path does not exist" "--mount bind needs an existing source"

# copy-up: a new volume over /app gets the image's content, with owners and modes
expect_rc 0 "$CTR" run --rm -v cu:/app --rootfs "$R" /bin/cat /app/hello.txt
expect_eq "$OUT" "from the image" "copy-up: image content visible through the new volume"
D=$CONTAINR_ROOT/volumes/cu/_data
expect_eq "$(stat -c '%a %u' "$D/hello.txt")" "640 1000" "copy-up keeps mode and owner"
expect_eq "$(readlink "$D/link")" "hello.txt" "copy-up keeps symlinks"
[ -d "$D/sub" ] || fail "copy-up missed a subdirectory"
ok "copy-up copies subdirectories"
rm -f "$D/hello.txt"
expect_rc 0 "$CTR" run --rm -v cu:/app --rootfs "$R" /bin/ls /app
expect_not_contains "$OUT" "hello.txt" "copy-up happens once (an emptied file is not refilled)"
expect_rc 0 "$CTR" run --rm -v nc:/app:nocopy --rootfs "$R" /bin/ls -A /app
expect_eq "$OUT" "" "nocopy leaves a new volume empty"

# --volumes-from
expect_rc 0 "$CTR" create --name src -v vdata:/data -v "$H:/h" --rootfs "$R" /bin/true
expect_rc 1 "$CTR" run --rm --volumes-from src:ro --rootfs "$R" /bin/sh -c 'cat /data/f /h/f; touch /data/x'
expect_contains "$OUT" "persisted" "--volumes-from shares the named volume"
expect_contains "$OUT" "host-file" "--volumes-from shares the bind mount"
expect_contains "$ERR" "Read-only file system" "--volumes-from C:ro makes them read-only"

# volume rm / prune with real containers
expect_rc 1 "$CTR" volume rm vdata
expect_contains "$ERR" "in use" "volume rm refuses a volume of a created container"
expect_rc 0 "$CTR" run -d --name busy -v busyvol:/d --rootfs "$R" /bin/sleep 1000
on_exit "$CTR" rm -f busy
expect_rc 1 "$CTR" volume rm -f busyvol
expect_contains "$ERR" "running" "volume rm -f refuses a running container's volume"
expect_rc 0 "$CTR" volume create unused
expect_rc 0 "$CTR" volume prune -f -a
expect_contains "$OUT" "unused" "prune -a removed the unused volume"
expect_not_contains "$OUT" "busyvol" "prune kept the running container's volume"
expect_not_contains "$OUT" "vdata" "prune kept the created container's volume"
expect_rc 0 "$CTR" rm -f busy src
expect_rc 0 "$CTR" volume rm busyvol
