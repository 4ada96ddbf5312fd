#!/usr/bin/env bash
# --format benchmark (a measurement, not a test): `ps -a` over N created
# containers with the default table, user templates, a user table and json,
# against `ps -aq` (no formatting) as the baseline; median of R runs each.
#   bench/format-bench.sh [N] [R]   (default N=100 containers, R=15; as root)
set -u
N=${1:-100}
RUNS=${2:-15}
here=$(cd "$(dirname "$0")" && pwd)
CTR=${CONTAINR_BIN:-$here/../build/containr}
T=$(mktemp -d /tmp/containr-bench.XXXXXX)
export CONTAINR_ROOT=$T/root
trap 'rm -rf "$T"' EXIT
R=$T/rootfs
mkdir -p "$R"/{bin,etc,tmp,proc,sys,dev}
cp "$(command -v busybox || echo /bin/busybox)" "$R/bin/busybox"
ln -sf busybox "$R/bin/sh"

now_ns() { date +%s%N; }
median() {
	sort -n | awk -v label="$1" '{ v[NR] = $1 / 1e6 } END {
		m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		printf "%-46s median %7.1f ms   min %7.1f   max %7.1f\n", label, m, v[1], v[NR] }'
}
bench() {
	local label=$1
	shift
	for _ in $(seq "$RUNS"); do
		local s
		s=$(now_ns)
		"$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; return 1; }
		echo $(($(now_ns) - s))
	done | median "$label"
}

s=$(now_ns)
for i in $(seq "$N"); do
	"$CTR" create --name "b$i" --label "n=$i" --rootfs "$R" sh -c true >/dev/null || exit 1
done
echo "created $N containers in $((($(now_ns) - s) / 1000000)) ms"
bench "ps -aq (no formatting)" "$CTR" ps -aq
bench "ps -a (default table)" "$CTR" ps -a
bench "ps -a --format '{{.ID}} {{.Names}}'" "$CTR" ps -a --format '{{.ID}} {{.Names}}'
bench "ps -a --format 'table …\\t…\\t{{.Label \"n\"}}'" "$CTR" ps -a --format 'table {{.ID}}\t{{.Names}}\t{{.Label "n"}}'
bench "ps -a --format json" "$CTR" ps -a --format json
bench "ps -a --format '{{json .}}'" "$CTR" ps -a --format '{{json .}}'
