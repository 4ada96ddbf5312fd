#!/usr/bin/env bash
# Mount safety: an image whose mount point is a symlink out of the root
# (/data -> /etc, /up -> ../../../..) gets the mount INSIDE the root, never
# on the host; bad -v/--mount/--tmpfs specs give one clear line + hint and
# create nothing.
. "$(dirname "$0")/lib.sh"
need_root

R=$E2E_TMP/rootfs
make_busybox_rootfs "$R"
# busybox --install -s links to its absolute host path: relink inside the root
for l in "$R"/bin/*; do [ -L "$l" ] && ln -sf busybox "$l"; done
ln -s /etc "$R/data"
ln -s ../../../../../../../../../tmp/containr-evil-$$ "$R/up"
ln -s /nonexistent-containr-$$/dir "$R/dangling"
H=$E2E_TMP/host
mkdir -p "$H" && echo "marker-$$" >"$H/marker-$$"
host_etc_before=$(ls /etc | md5sum)

expect_rc 0 "$CTR" run --rm -v "$H:/data" --rootfs "$R" /bin/cat /etc/marker-$$
expect_eq "$OUT" "marker-$$" "/data -> /etc: the mount lands on the container's /etc"
[ -e /etc/marker-$$ ] && fail "the mount landed on the host /etc"
expect_eq "$(ls /etc | md5sum)" "$host_etc_before" "host /etc untouched"

expect_rc 0 "$CTR" run --rm -v "$H:/up/x" --rootfs "$R" /bin/cat /tmp/containr-evil-$$/x/marker-$$
expect_eq "$OUT" "marker-$$" "/up -> ../../..: the mount stays inside the root"
[ -e /tmp/containr-evil-$$ ] && { rm -rf /tmp/containr-evil-$$; fail "created /tmp/containr-evil on the host"; }
ok "nothing created on the host through a .. symlink"
[ -d "$R/tmp/containr-evil-$$/x" ] || fail "mount point not created inside the root"
ok "missing mount point created inside the root"

expect_rc 0 "$CTR" run --rm --tmpfs /dangling/t --rootfs "$R" /bin/sh -c 'grep -c " /nonexistent-containr-'$$'/dir/t tmpfs" /proc/mounts'
expect_eq "$OUT" "1" "dangling symlink target created inside the root"
[ -e /nonexistent-containr-$$ ] && { rm -rf /nonexistent-containr-$$; fail "dangling symlink followed onto the host"; }
ok "dangling symlink not followed onto the host"

# bad specs: exit 125, one line + hint, nothing created
bad() { # MESSAGE-PART ARGS...
	local want=$1; shift
	expect_rc 125 "$CTR" run --rm "$@" --rootfs "$R" /bin/true
	expect_contains "$ERR" "$want" "bad spec $* -> $want"
	expect_contains "$ERR" "hint:" "bad spec $* has a hint"
	expect_eq "$(printf '%s\n' "$ERR" | grep -c '^containr:')" "1" "bad spec $* error printed once"
}
bad 'empty source' -v :/x
bad 'is not absolute' -v data:relative/path
bad 'invalid mode "rx"' -v "$H:/x:rx"
bad 'not a valid volume name' -v 'bad$name:/x'
bad 'cannot mount over /' -v vol:/
bad 'unknown key "colour"' --mount type=bind,src=$H,dst=/x,colour=blue
bad 'unknown type "nfs"' --mount type=nfs,src=x,dst=/x
bad 'invalid tmpfs size' --tmpfs /t:size=lots
bad 'unknown tmpfs option "bogus"' --tmpfs /t:bogus
bad 'duplicate mount point: /x' -v a:/x --tmpfs /x
bad 'no such container' --volumes-from nosuchcontainer
expect_rc 0 "$CTR" volume ls -q
expect_eq "$OUT" "" "failed runs created no volumes"
expect_rc 0 "$CTR" ps -aq
expect_eq "$OUT" "" "failed runs left no containers"
