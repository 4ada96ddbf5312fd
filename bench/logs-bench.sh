#!/usr/bin/env bash
# Logs benchmark (a measurement, not a test): `logs --tail 1` on a 300 MB log,
# side by side with podman's `logs --tail 1` on a 300 MB k8s-file log.
#   bench/logs-bench.sh [MB] [N]   (default 300 MB, N=5 runs; as root)
# The log is written directly in each engine's format (the same line
# count of the same text), after a real container ran and exited, so only
# the reader is measured.  CONTAINR_BIN picks another containr binary
# (e.g. an older build, to compare).
set -u
MB=${1:-300}
N=${2:-5}
here=$(cd "$(dirname "$0")" && pwd)
CTR=${CONTAINR_BIN:-$here/../build/containr}
T=$(mktemp -d /tmp/containr-logbench.XXXXXX)
export CONTAINR_ROOT=$T/root
IMG=localhost/containr/busybox
P=(podman --root "$T/podman" --runroot "$T/podman-run" --cgroup-manager cgroupfs)
cleanup() {
	"$CTR" rm -f bench-logs >/dev/null 2>&1
	if command -v podman >/dev/null; then
		"${P[@]}" rm -f bench-logs >/dev/null 2>&1
		"${P[@]}" system reset -f >/dev/null 2>&1
	fi
	rm -rf "$T"
}
trap cleanup EXIT

text='the quick brown fox jumps over the lazy dog 0123456789'
cline="{\"t\":\"2026-12-06T14:00:00.123456789Z\",\"s\":\"stdout\",\"l\":\"$text\\n\"}"
kline="2026-12-06T14:00:00.123456789Z stdout F $text"

# median of N runs of a command, in ms
time_ms() {
	local i s e all=()
	for i in $(seq "$N"); do
		s=$(date +%s%N)
		"$@" >/dev/null 2>&1
		e=$(date +%s%N)
		all+=($(((e - s) / 1000000)))
	done
	printf '%s\n' "${all[@]}" | sort -n | awk '{v[NR]=$1} END {printf "median %d ms (min %d, max %d, %d runs)", v[int((NR+1)/2)], v[1], v[NR], NR}'
}

"$CTR" run --name bench-logs "$IMG" /bin/true >/dev/null || { echo "cannot run $IMG"; exit 1; }
log=$("$CTR" inspect -f '{{.LogPath}}' bench-logs)
lines=$((MB * 1024 * 1024 / (${#cline} + 1)))
yes "$cline" | head -n "$lines" >"$log"
echo "last line" | awk '{printf "{\"t\":\"2026-12-06T14:00:01.000000000Z\",\"s\":\"stdout\",\"l\":\"%s\\n\"}\n", $0}' >>"$log"
printf 'containr: %s log (%d lines)\n' "$(du -h "$log" | cut -f1)" "$((lines + 1))"
[ "$("$CTR" logs --tail 1 bench-logs)" = "last line" ] || echo "containr: WRONG last line"
printf '  containr logs --tail 1   %s\n' "$(time_ms "$CTR" logs --tail 1 bench-logs)"

if command -v podman >/dev/null; then
	# A private store, so the host's podman state is untouched.  Rootful
	# podman here needs its default ulimits under this host's hard limits
	# (a private containers.conf).  The container is only created (crun 1.8
	# refuses this host's hybrid cgroup layout, and runc may be missing):
	# `podman logs` reads its k8s-file log all the same.
	printf '[containers]\ndefault_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]\n' >"$T/containers.conf"
	export CONTAINERS_CONF=$T/containers.conf
	if "$CTR" save -o "$T/img.tar" "$IMG" && "${P[@]}" load -q -i "$T/img.tar" >/dev/null 2>&1 &&
		"${P[@]}" create --name bench-logs --network none --log-driver k8s-file \
			"$IMG" /bin/true >/dev/null 2>&1; then
		plog=$("${P[@]}" inspect -f '{{.HostConfig.LogConfig.Path}}' bench-logs)
		lines=$((MB * 1024 * 1024 / (${#kline} + 1)))
		yes "$kline" | head -n "$lines" >"$plog"
		echo "2026-12-06T14:00:01.000000000Z stdout F last line" >>"$plog"
		printf 'podman: %s k8s-file log (%d lines)\n' "$(du -h "$plog" | cut -f1)" "$((lines + 1))"
		[ "$("${P[@]}" logs --tail 1 bench-logs 2>/dev/null)" = "last line" ] || echo "podman: WRONG last line"
		printf '  podman logs --tail 1     %s\n' "$(time_ms "${P[@]}" logs --tail 1 bench-logs)"
	else
		echo "podman: cannot run a container here (skipped)"
	fi
else
	echo "podman: not installed (skipped)"
fi
