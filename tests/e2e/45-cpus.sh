#!/usr/bin/env bash
# 45-cpus.sh - --cpus is enforced, not only written: a busy loop limited to
# half a core uses at most about half a core of CPU time over a few seconds
# (cgroup CPU usage / wall time), and the kernel reports it was throttled.
# Only the upper bound is asserted: a loaded machine may give it less.
. "$(dirname "$0")/lib.sh"
need_root
img=localhost/containr/busybox
expect_rc 0 "$CTR" run -d --name spin --cpus 0.5 "$img" sh -c 'while :; do :; done'
id=$(printf '%s' "$OUT" | tail -n1)
on_exit "$CTR" rm -f spin
cg=$("$CTR" inspect -f '{{.State.CgroupPath}}' spin 2>/dev/null || true)
[ -n "$cg" ] && [ "$cg" != "<no value>" ] || cg=containr/$id
if [ -f /sys/fs/cgroup/cgroup.controllers ]; then # v2
	usage() { awk '$1 == "usage_usec" {print $2 * 1000}' "/sys/fs/cgroup/$cg/cpu.stat"; }
	throttled() { awk '$1 == "nr_throttled" {print $2}' "/sys/fs/cgroup/$cg/cpu.stat"; }
else # v1: the hierarchy of each controller, from mountinfo's super options
	v1_mount() {
		awk -v c="$1" '{ for (i = 1; i <= NF; i++) if ($i == "-") break
			if ($(i + 1) == "cgroup" && $(i + 3) ~ ("(^|,)" c "(,|$)")) { print $5; exit } }' \
			/proc/self/mountinfo
	}
	acct=$(v1_mount cpuacct)
	cpu=$(v1_mount cpu)
	usage() { cat "$acct/$cg/cpuacct.usage"; }
	throttled() { awk '$1 == "nr_throttled" {print $2}' "$cpu/$cg/cpu.stat"; }
fi
sleep 1
u0=$(usage); t0=$(date +%s%N)
sleep 4
u1=$(usage); t1=$(date +%s%N)
ratio=$(awk -v du=$((u1 - u0)) -v dt=$((t1 - t0)) 'BEGIN {printf "%.3f", du / dt}')
echo "cpu use with --cpus 0.5: $ratio of one core"
awk -v r="$ratio" 'BEGIN {exit !(r <= 0.62)}' || fail "--cpus 0.5 not enforced: used $ratio of a core"
ok "--cpus 0.5 holds CPU use at or below half a core ($ratio)"
n=$(throttled)
[ "${n:-0}" -gt 0 ] || fail "the kernel never throttled the container (nr_throttled=$n)"
ok "the CFS quota throttled the container ($n periods)"
