#!/usr/bin/env bash
# Device access (v1 devices cgroup, Docker's allowlist): a container may
# mknod any node (CAP_MKNOD is in the default set) but open only the
# allowed ones, so it cannot reach host devices such as /dev/kmsg or disks.
. "$(dirname "$0")/lib.sh"
need_root
[ -d /sys/fs/cgroup/devices ] || fail "this test is for hosts with the v1 devices controller"

R=$E2E_TMP/rootfs
make_busybox_rootfs "$R"
for l in "$R"/bin/*; do [ -L "$l" ] && ln -sf busybox "$l"; done

expect_rc 0 "$CTR" run --rm --rootfs "$R" sh -c \
	'mknod /tmp/n c 1 3 && echo x >/tmp/n && echo null-ok; rm -f /tmp/n'
expect_eq "$OUT" "null-ok" "an allowed device (1:3) made with mknod opens"

# /dev/kmsg opened write-only needs no capability (only reading checks
# CAP_SYSLOG), so EPERM here can only come from the devices cgroup
expect_rc 2 "$CTR" run --rm --rootfs "$R" sh -c \
	'mknod /tmp/k c 1 11 || exit 9; (exec 3>/tmp/k) || { rm -f /tmp/k; exit 2; }; rm -f /tmp/k'
expect_contains "$ERR" "Operation not permitted" "a host device (/dev/kmsg, 1:11) cannot be opened"

expect_rc 0 "$CTR" run -d --name dv --rootfs "$R" sleep 1000
on_exit "$CTR" rm -f dv
cg=$(jq -r '.CgroupPath' "$CONTAINR_ROOT/containers/$(printf '%s' "$OUT" | tail -n1)/state.json")
list=$(cat "/sys/fs/cgroup/devices/$cg/devices.list")
expect_contains "$list" "c 136:* rwm" "ptys allowed"
expect_not_contains "$list" "a *:* rwm" "not every device"
