#!/usr/bin/env bash
# volume-bench.sh - what volumes cost at container start.
#   1. `run --rm --rootfs R /bin/true` with no mounts, with N (default 50) named volumes,
#      N bind mounts and N tmpfs mounts (each mount: openat2 resolution,
#      mount, propagation, for :ro also mount_setattr): best of RUNS, and the
#      extra milliseconds per mount.
#   2. copy-up: a new volume over an image directory of BENCH_SRC (default
#      /usr/include) against `cp -a` of the same directory, best of RUNS.
# Measurements, not tests: never fails on numbers.
#   RUNS=5 BENCH_SRC=/usr/share/doc bench/volume-bench.sh
set -euo pipefail
CTR=${CONTAINR_BIN:-$(cd "$(dirname "$0")/.." && pwd)/build/containr}
SRC=${BENCH_SRC:-/usr/include}
RUNS=${RUNS:-7}
N=${MOUNTS:-50}
W=$(mktemp -d /var/tmp/ctr-volume-bench.XXXXXX)
export CONTAINR_ROOT=$W/root
trap '"$CTR" rm -f $("$CTR" ps -aq) >/dev/null 2>&1; rm -rf "$W"' EXIT

R=$W/rootfs
mkdir -p "$R"/{bin,etc,tmp,proc,sys,dev,data}
cp "$(command -v busybox)" "$R/bin/busybox"
for a in sh true; do ln -s busybox "$R/bin/$a"; done
cp -a "$SRC/." "$R/data/"
files=$(find "$R/data" | wc -l)
bytes=$(du -sb "$R/data" | cut -f1)
mkdir -p "$W/host"

best() { # CMD...: best wall seconds of RUNS
	local b=999 t0 t1 d
	for _ in $(seq "$RUNS"); do
		t0=$(date +%s.%N)
		"$@" >/dev/null
		t1=$(date +%s.%N)
		d=$(echo "$t1 - $t0" | bc -l)
		b=$(echo "if ($d < $b) $d else $b" | bc -l)
	done
	echo "$b"
}
nmounts() { local i; for i in $(seq $N); do printf -- "$1 " "$i" "$i"; done; }

"$CTR" run --rm --rootfs "$R" /bin/true >/dev/null # warm-up (page cache, cgroup dirs)
base=$(best "$CTR" run --rm --rootfs "$R" /bin/true)
# shellcheck disable=SC2046
vol=$(best "$CTR" run --rm $(nmounts '-v bv%s:/v%s') --rootfs "$R" /bin/true)
# shellcheck disable=SC2046
bind=$(best "$CTR" run --rm $(nmounts "-v $W/host:/b%s%.0s:ro") --rootfs "$R" /bin/true)
# shellcheck disable=SC2046
tmp=$(best "$CTR" run --rm $(nmounts '--tmpfs /t%s%.0s:size=1m') --rootfs "$R" /bin/true)
printf 'start cost, best of %d (run --rm /bin/true):\n' "$RUNS"
printf '  %-22s %7.1f ms\n' "no mounts" "$(echo "$base * 1000" | bc -l)"
for k in "$N named volumes:$vol" "$N ro bind mounts:$bind" "$N tmpfs:$tmp"; do
	name=${k%%:*} t=${k#*:}
	printf '  %-22s %7.1f ms  (+%.2f ms per mount)\n' "$name" "$(echo "$t * 1000" | bc -l)" \
		"$(echo "($t - $base) * 1000 / $N" | bc -l)"
done

# copy-up: a fresh volume each run
i=0
cu() { i=$((i + 1)); "$CTR" run --rm -v "cu$i:/data" --rootfs "$R" /bin/true; }
cup=$(best cu)
cpa() { rm -rf "$W/cp"; cp -a "$R/data" "$W/cp"; }
cpt=$(best cpa)
printf 'copy-up of %s (%d entries, %.1f MB), best of %d:\n' "$SRC" "$files" \
	"$(echo "$bytes / 1000000" | bc -l)" "$RUNS"
printf '  %-22s %7.1f ms (whole run, start cost included)\n' "run -v new:/data" \
	"$(echo "$cup * 1000" | bc -l)"
printf '  %-22s %7.1f ms\n' "cp -a" "$(echo "$cpt * 1000" | bc -l)"
