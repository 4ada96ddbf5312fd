#!/usr/bin/env bash
# 20 parallel `run --rm` all succeed, and leave no container, cgroup,
# mount or monitor behind.
. "$(dirname "$0")/lib.sh"
need_root
R=$E2E_TMP/rootfs
make_busybox_rootfs "$R"
# Mounts of this test live under $E2E_TMP (rootfs, state root, overlays); other
# tools may mount elsewhere on the host meanwhile, so only ours are compared.
ours() { grep -F "$E2E_TMP" /proc/self/mountinfo | awk '{print $5}' | sort; }
before=$(ours)
# a private cgroup parent, so other containers on the host do not count
CGP=ctrpar$$
on_exit rmdir /sys/fs/cgroup/{memory,pids,cpu,cpuacct,blkio,freezer,cpuset,devices}/$CGP
pids=()
for i in $(seq 20); do
	"$CTR" run --rm --cgroup-parent "$CGP" --rootfs "$R" sh -c "echo run-$i" >"$E2E_TMP/out.$i" 2>&1 &
	pids+=($!)
done
failed=0
for i in $(seq 20); do
	wait "${pids[$((i - 1))]}" || failed=$((failed + 1))
	[ "$(cat "$E2E_TMP/out.$i")" = "run-$i" ] || fail "run $i printed: $(cat "$E2E_TMP/out.$i")"
done
expect_eq "$failed" "0" "all 20 parallel runs exited 0"
ok "each printed its own output"
expect_rc 0 "$CTR" ps -aq
expect_eq "$OUT" "" "no containers left"
expect_eq "$(ls "$CONTAINR_ROOT/containers" | grep -c .)" "0" "no container directories left"
left=$(ls -d /sys/fs/cgroup/*/$CGP/*/ 2>/dev/null | grep -c .)
expect_eq "$left" "0" "no cgroups left"
after=$(ours)
expect_eq "$after" "$before" "no mounts left"
if pgrep -f -- "--cgroup-parent $CGP" >/dev/null; then fail "monitors left: $(pgrep -af -- "--cgroup-parent $CGP")"; fi
ok "no monitors left"
