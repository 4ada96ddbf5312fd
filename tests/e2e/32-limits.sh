#!/usr/bin/env bash
# cgroup limits are enforced: OOM kill with --memory, fork bomb stopped by
# --pids-limit, cgroups created under containr/ and removed afterwards.
. "$(dirname "$0")/lib.sh"
need_root
R=$E2E_TMP/rootfs
make_busybox_rootfs "$R"

expect_rc 137 "$CTR" run --name hog --memory 32m --rootfs "$R" ctr-helper memhog 200
expect_rc 0 "$CTR" inspect hog
expect_contains "$OUT" '"OOMKilled": true' "memhog is OOM killed"
expect_contains "$OUT" '"ExitCode": 137' "exit 137"
expect_contains "$OUT" '"Memory": 33554432' "HostConfig.Memory"
expect_rc 0 "$CTR" run --rm --memory 64m --rootfs "$R" ctr-helper memhog 16
expect_eq "$OUT" "done 16 MiB" "under the limit it works"

expect_rc 1 "$CTR" run --rm --pids-limit 20 --rootfs "$R" ctr-helper forkbomb
expect_contains "$OUT" "fork failed after" "fork bomb stopped by --pids-limit"
n=$(echo "$OUT" | sed -n 's/.*after \([0-9]*\) children.*/\1/p')
[ "$n" -lt 20 ] || fail "forked $n children with --pids-limit 20"
ok "fewer than 20 processes"

expect_rc 0 "$CTR" run -d --name lim --memory 48m --cpus 0.5 --cpu-shares 512 --pids-limit 33 --rootfs "$R" ctr-helper pause
id=$(printf '%s' "$OUT" | tail -n1)
on_exit "$CTR" rm -f lim
expect_eq "$(cat /sys/fs/cgroup/memory/containr/$id/memory.limit_in_bytes)" "50331648" "memory.limit_in_bytes"
expect_eq "$(cat /sys/fs/cgroup/pids/containr/$id/pids.max)" "33" "pids.max"
expect_eq "$(cat /sys/fs/cgroup/cpu/containr/$id/cpu.shares)" "512" "cpu.shares"
expect_eq "$(cat /sys/fs/cgroup/cpu/containr/$id/cpu.cfs_quota_us)" "50000" "cpu.cfs_quota_us for --cpus 0.5"
pid=$("$CTR" inspect lim | sed -n 's/.*"Pid":[[:space:]]*\([0-9]*\).*/\1/p' | head -1)
grep -q "memory:/containr/$id" /proc/$pid/cgroup || fail "init not in its memory cgroup"
ok "the init is in the container's cgroup"
expect_rc 0 "$CTR" rm -f lim
[ ! -d /sys/fs/cgroup/memory/containr/$id ] || fail "cgroup left behind after rm"
ok "rm removes the cgroup"
expect_rc 0 "$CTR" rm hog

expect_rc 0 "$CTR" run -d --name cp --cgroup-parent ctrtest --rootfs "$R" ctr-helper pause
id=$(printf '%s' "$OUT" | tail -n1)
on_exit rmdir /sys/fs/cgroup/{memory,pids,cpu,cpuacct,blkio,freezer,cpuset,devices}/ctrtest
on_exit "$CTR" rm -f cp
[ -d /sys/fs/cgroup/pids/ctrtest/$id ] || fail "--cgroup-parent: no /sys/fs/cgroup/pids/ctrtest/$id"
ok "--cgroup-parent places the cgroup"
expect_rc 0 "$CTR" inspect cp
expect_contains "$OUT" "\"CgroupPath\": \"ctrtest/$id\"" "state records the cgroup path"
