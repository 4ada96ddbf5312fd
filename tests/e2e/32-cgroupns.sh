#!/usr/bin/env bash
# The container sees its own cgroup at /sys/fs/cgroup (issue #16): a cgroup
# namespace, the host's layout (v1 hierarchies on a tmpfs, cgroup2, or
# both), read-only except with --privileged.  Limits are readable inside
# (what the JVM, Go, nginx read), /proc/self/cgroup says "/", exec sees the
# same, --network host and --privileged too, and --explain shows the mounts.
. "$(dirname "$0")/lib.sh"
need_root
R=$E2E_TMP/rootfs
make_busybox_rootfs "$R"
if grep -q ' - cgroup cgroup ' /proc/self/mountinfo; then v1=1; else v1=0; fi
if [ $v1 = 1 ]; then
	MEM=/sys/fs/cgroup/memory/memory.limit_in_bytes PIDS=/sys/fs/cgroup/pids/pids.max
else
	MEM=/sys/fs/cgroup/memory.max PIDS=/sys/fs/cgroup/pids.max
fi

expect_rc 0 "$CTR" run --rm -m 64m --pids-limit 50 --rootfs "$R" sh -c "cat $MEM $PIDS"
expect_eq "$OUT" "67108864
50" "-m 64m and --pids-limit 50 are readable inside ($MEM, $PIDS)"

expect_rc 0 "$CTR" run --rm --rootfs "$R" cat /proc/self/cgroup
bad=$(echo "$OUT" | grep -v ':/$' || true)
[ -n "$OUT" ] && [ -z "$bad" ] || fail "/proc/self/cgroup inside is not rooted at /: $OUT"
ok "/proc/self/cgroup inside shows / for every hierarchy"

expect_rc 0 "$CTR" run --rm --pids-limit 50 --rootfs "$R" sh -c \
	"echo 7 > $PIDS; echo rc=\$?; touch /sys/fs/cgroup/x; echo rc=\$?; cat $PIDS; grep ' /sys/fs/cgroup' /proc/self/mountinfo"
expect_contains "$OUT" "rc=1
rc=1
50" "writes to the cgroup files and to /sys/fs/cgroup fail, the limit is unchanged"
rw=$(echo "$OUT" | grep ' /sys/fs/cgroup' | awk '{print $6}' | grep -v '^ro' || true)
[ -z "$rw" ] || fail "a /sys/fs/cgroup mount is not read-only: $OUT"
ok "every /sys/fs/cgroup mount is read-only"
if [ $v1 = 1 ]; then
	expect_contains "$OUT" " /sys/fs/cgroup/memory " "v1: the memory hierarchy is mounted"
	if grep -q ' /sys/fs/cgroup/unified .* - cgroup2 ' /proc/self/mountinfo; then
		expect_contains "$OUT" " /sys/fs/cgroup/unified " "hybrid: the unified hierarchy too"
	fi
	# cpuset, name=systemd and (hybrid) unified hold no limit, but the
	# container has its own cgroup there too (as with runc): no
	# root-only file (cgroup.sane_behavior, v2 has cgroup.events below the root)
	expect_rc 0 "$CTR" run -d --name mb --rootfs "$R" sleep 100
	id=$("$CTR" inspect -f '{{.Id}}' mb)
	expect_rc 0 "$CTR" exec mb sh -c 'for h in cpuset systemd; do [ -e /sys/fs/cgroup/$h/cgroup.sane_behavior ] && echo root-$h; done; [ -d /sys/fs/cgroup/unified ] && ! [ -e /sys/fs/cgroup/unified/cgroup.events ] && echo root-unified; cat /sys/fs/cgroup/cpuset/cpuset.cpus'
	expect_not_contains "$OUT" "root-" "cpuset/systemd/unified inside are the container's own cgroups"
	expect_eq "$(echo "$OUT" | tail -1)" "$(cat /sys/fs/cgroup/cpuset/cpuset.cpus)" "its cpuset.cpus is the host's (copied down)"
	for h in cpuset systemd unified; do
		[ -d /sys/fs/cgroup/$h ] || continue
		[ -d /sys/fs/cgroup/$h/containr/$id ] || fail "no cgroup of the container in $h"
	done
	expect_rc 0 "$CTR" rm -f mb
	for h in cpuset systemd unified; do
		[ -d /sys/fs/cgroup/$h/containr/$id ] && fail "$h/containr/$id left behind"
	done
	ok "membership cgroups exist while running and are removed with the container"

	# the host's tree stays hidden: only the container's cgroup is the root
	expect_rc 0 "$CTR" run --rm --rootfs "$R" sh -c 'ls /sys/fs/cgroup/memory/containr 2>&1; ls -d /sys/fs/cgroup/memory/memory.limit_in_bytes'
	expect_contains "$OUT" "No such file" "the host's containr/ parent is not visible"
fi

# exec joins the cgroup namespace and sees the same files
expect_rc 0 "$CTR" run -d --name cg -m 32m --rootfs "$R" sleep 100
expect_rc 0 "$CTR" exec cg sh -c "cat $MEM; grep -v ':/\$' /proc/self/cgroup || echo all-root"
expect_eq "$OUT" "33554432
all-root" "exec: the container's limit, / in /proc/self/cgroup"
expect_rc 0 "$CTR" rm -f cg

# --network host: /sys is the host's, /sys/fs/cgroup still the container's
expect_rc 0 "$CTR" run --rm --network host -m 64m --rootfs "$R" sh -c "cat $MEM; ls /sys/fs/cgroup/memory/containr 2>&1 | head -1; echo 1 > $MEM || echo ro"
expect_contains "$OUT" "67108864" "--network host: the limit is readable"
expect_contains "$OUT" "ro" "--network host: read-only"
[ $v1 = 1 ] && expect_contains "$OUT" "No such file" "--network host: the host's tree is hidden"

# --privileged: read-write, and a write really changes the container's limit
expect_rc 0 "$CTR" run -d --name pr --privileged --pids-limit 40 --rootfs "$R" sh -c "echo 30 > $PIDS && echo written; sleep 100"
wait_until 5 sh -c "\"$CTR\" logs pr | grep -q written" || fail "--privileged: write failed: $("$CTR" logs pr 2>&1)"
id=$("$CTR" inspect -f '{{.Id}}' pr)
if [ $v1 = 1 ]; then host=/sys/fs/cgroup/pids/containr/$id/pids.max; else host=$(grep ' - cgroup2 ' /proc/self/mountinfo | awk '{print $5}' | head -1)/containr/$id/pids.max; fi
expect_eq "$(cat "$host")" "30" "--privileged: the write reached the container's cgroup on the host"
expect_rc 0 "$CTR" rm -f pr

# --explain names the mounts
expect_rc 0 "$CTR" --explain run --rm --rootfs "$R" true
expect_contains "$ERR" "the container sees its own cgroup (cgroup namespace)" "--explain: the cgroup namespace mount"
if [ $v1 = 1 ]; then
	expect_contains "$ERR" "/sys/fs/cgroup/memory type cgroup" "--explain: each hierarchy"
fi
