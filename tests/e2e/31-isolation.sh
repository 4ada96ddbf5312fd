#!/usr/bin/env bash
# Isolation: host mounts invisible, no mount leaks, masked and read-only
# paths, /dev, --network none with lo up, --read-only, --rootfs untouched.
. "$(dirname "$0")/lib.sh"
need_root
R=$E2E_TMP/rootfs
make_busybox_rootfs "$R"
# Mounts of this test live under $E2E_TMP (rootfs, state root, overlays); other
# tools may mount elsewhere on the host meanwhile, so only ours are compared.
ours() { grep -F "$E2E_TMP" /proc/self/mountinfo | awk '{print $5}' | sort; }
before=$(ours)

expect_rc 0 "$CTR" run --rm --rootfs "$R" cat /proc/self/mountinfo
# /sys/fs/cgroup holds the container's own cgroup (read-only), never the
# host's rw mounts (e2e 32-cgroupns tests what it shows)
cg_rw=$(echo "$OUT" | awk '$5 ~ "^/sys/fs/cgroup" && $6 !~ /^ro/' )
[ -z "$cg_rw" ] || fail "a writable cgroup mount is visible: $cg_rw"
ok "host cgroup mounts are invisible (only the container's, read-only)"
expect_not_contains "$OUT" " /work" "host directories are invisible"
expect_contains "$OUT" " / rw" "rootfs mounted as /"
expect_contains "$OUT" "/proc/keys" "/proc/keys is masked"
expect_contains "$OUT" "/proc/sys ro" "/proc/sys is read-only"

expect_rc 0 "$CTR" run --rm --rootfs "$R" sh -c 'wc -c </proc/keys; wc -c </proc/timer_list'
expect_eq "$OUT" "$(printf '0\n0')" "masked files read empty"
expect_rc 1 "$CTR" run --rm --rootfs "$R" sh -c 'echo 1 >/proc/sys/kernel/domainname'
ok "/proc/sys is not writable"
expect_rc 0 "$CTR" run --rm --rootfs "$R" sh -c 'ls /dev | tr "\n" " "'
for d in null zero full random urandom tty ptmx pts shm mqueue fd stdin stdout stderr; do
	expect_contains " $OUT" " $d " "/dev/$d exists"
done
expect_not_contains "$OUT" "vda" "no host disks in /dev"

expect_rc 0 "$CTR" run --rm --rootfs "$R" sh -c 'ls /sys/class/net | tr "\n" " "; cat /sys/class/net/lo/operstate /sys/class/net/lo/flags'
expect_eq "$(echo $OUT)" "lo unknown 0x9" "--network none: only lo, and it is up"
expect_rc 0 "$CTR" run --rm --rootfs "$R" --network host sh -c 'ls /sys/class/net | wc -l'
[ "$OUT" -ge 2 ] || fail "--network host should see the host's interfaces, got $OUT"
ok "--network host shares the host network"

expect_rc 1 "$CTR" run --rm --rootfs "$R" --read-only touch /newfile
expect_contains "$ERR" "Read-only file system" "--read-only root"
expect_rc 0 "$CTR" run --rm --rootfs "$R" sh -c 'echo hi >/written'
[ -f "$R/written" ] || fail "writes to a --rootfs container land in the directory"
ok "--rootfs writes go to the directory"

expect_rc 0 "$CTR" run --rm --rootfs "$R" sh -c 'ps -o pid,comm >/tmp/ps; cat /tmp/ps'
expect_eq "$(echo $OUT)" "PID COMMAND 1 sh 2 ps" "only the container's processes are visible"

expect_rc 0 "$CTR" run -d --name up --rootfs "$R" ctr-helper pause
expect_eq "$(ours)" "$before" "while a container runs, none of its mounts is visible on the host"
expect_rc 0 "$CTR" rm -f up
after=$(ours)
expect_eq "$after" "$before" "no mount leaked to the host"
