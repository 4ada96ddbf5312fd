#!/usr/bin/env bash
# Runtime benchmark (a measurement, not a test):
#   1. `containr run --rm IMAGE /bin/true` (the built-in busybox image, cached,
#      overlay root) and `containr run --rm --rootfs R /bin/true` on that
#      image's files: median / min / max over N runs
#   2. the same rootfs as an OCI bundle with crun and runc, and the same image
#      loaded into a private podman store (podman --runtime runc), when installed
#   3. memory of a detached container's monitor: RSS, PSS, USS (smaps_rollup)
#   bench/runtime-bench.sh [N]   (default N=30; as root)
set -u
N=${1:-30}
here=$(cd "$(dirname "$0")" && pwd)
CTR=${CONTAINR_BIN:-$here/../build/containr}
T=$(mktemp -d /tmp/containr-bench.XXXXXX)
export CONTAINR_ROOT=$T/root
cleanup() {
	"$CTR" rm -f bench-mon bench-src >/dev/null 2>&1
	umount -R "$T/podman/overlay" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT
IMG=localhost/containr/busybox
R=$T/rootfs
mkdir -p "$R"
# The image's own files, so every runtime below starts the same root.
"$CTR" create --name bench-src "$IMG" /bin/true >/dev/null || { echo "cannot create from $IMG"; exit 1; }
"$CTR" export bench-src | tar -xf - -C "$R"
"$CTR" rm bench-src >/dev/null

# stats LABEL < one duration (ns) per line
stats() {
	sort -n | awk -v label="$1" '{ v[NR] = $1 / 1e6 } END {
		if (NR == 0) { printf "%-34s (no runs)\n", label; exit }
		m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		printf "%-34s median %7.1f ms   min %7.1f   max %7.1f   (n=%d)\n", label, m, v[1], v[NR], NR }'
}
# time_runs N CMD...: run CMD N times, print each duration; a failing run aborts
time_runs() {
	local n=$1; shift
	for _ in $(seq "$n"); do
		# bash's clock, read without forking (a `date` per sample added ~3 ms)
		local s=${EPOCHREALTIME/./}
		"$@" >/dev/null 2>&1 || { echo "run failed: $*" >&2; return 1; }
		local e=${EPOCHREALTIME/./}
		echo $(( (e - s) * 1000 ))
	done
}

echo "host: $(uname -r), $(nproc) CPUs, cgroups $(stat -fc %T /sys/fs/cgroup)"
"$CTR" run --rm --rootfs "$R" /bin/true || { echo "containr cannot run: skipping"; exit 1; }
time_runs "$N" "$CTR" run --rm "$IMG" /bin/true | stats "containr run --rm IMAGE /bin/true"
time_runs "$N" "$CTR" run --rm --rootfs "$R" /bin/true | stats "containr run --rm --rootfs R"
time_runs "$N" "$CTR" run --rm --network host --security-opt seccomp=unconfined --rootfs "$R" /bin/true |
	stats "  (no netns, no seccomp)"

# OCI bundle for crun/runc: same rootfs, /bin/true, no terminal.
B=$T/bundle
mkdir -p "$B"
if command -v crun >/dev/null || command -v runc >/dev/null; then
	(cd "$B" && { crun spec 2>/dev/null || runc spec; } >/dev/null 2>&1)
	# runc refuses a symlinked rootfs: point root.path at the directory itself
	sed -i 's/"terminal": true/"terminal": false/; s/"sh"/"\/bin\/true"/; s|"path": "rootfs"|"path": "'"$R"'"|' "$B/config.json"
fi
if command -v crun >/dev/null; then
	# crun needs the (controller-less) cgroup2 at /sys/fs/cgroup/unified out of
	# its view on this hybrid host: run the loop in a private mount namespace.
	unshare -m bash -c "umount /sys/fs/cgroup/unified 2>/dev/null
		$(declare -f time_runs)
		time_runs $N crun run --bundle $B bench-crun" | stats "crun run /bin/true"
fi
if command -v runc >/dev/null; then
	time_runs "$N" runc run --bundle "$B" bench-runc | stats "runc run /bin/true"
fi

if command -v podman >/dev/null; then
	# A private store, so the host's podman state is untouched.  Rootful podman
	# here needs its default ulimits under this host's hard limits, and runc
	# (crun 1.8 refuses the hybrid cgroup layout).
	P=(podman --root "$T/podman" --runroot "$T/podman-run" --cgroup-manager cgroupfs)
	"$CTR" save -o "$T/img.tar" "$IMG" &&
		"${P[@]}" load -q -i "$T/img.tar" >/dev/null 2>&1 &&
		"${P[@]}" run --rm --runtime runc --network none --ulimit nofile=20000:20000 \
			--ulimit nproc=32768:32768 "$IMG" /bin/true >/dev/null 2>&1 &&
		time_runs "$N" "${P[@]}" run --rm --runtime runc --network none \
			--ulimit nofile=20000:20000 --ulimit nproc=32768:32768 "$IMG" /bin/true |
		stats "podman run --rm IMAGE (runc)"
	"${P[@]}" rmi -af >/dev/null 2>&1
	"${P[@]}" system reset -f >/dev/null 2>&1
fi

# Monitor memory (a detached container).
"$CTR" run -d --name bench-mon --rootfs "$R" sleep 1000 >/dev/null
mon=$("$CTR" inspect -f '{{.State.MonitorPid}}' bench-mon)
# it becomes containr-monitor right after reporting the start
for _ in $(seq 20); do
	case "$(readlink "/proc/$mon/exe")" in */containr-monitor) break ;; esac
	sleep 0.05
done
if [ -r "/proc/$mon/smaps_rollup" ]; then
	awk '/^Rss:/ {rss=$2} /^Pss:/ {pss=$2} /^Private_(Clean|Dirty):/ {uss+=$2}
	     END {printf "monitor memory (pid %s, %s): RSS %d KiB, PSS %d KiB, USS %d KiB\n", pid, exe, rss, pss, uss}' \
		pid="$mon" exe="$(basename "$(readlink "/proc/$mon/exe")")" "/proc/$mon/smaps_rollup"
fi
"$CTR" rm -f bench-mon >/dev/null
