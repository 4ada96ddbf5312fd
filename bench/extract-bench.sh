#!/usr/bin/env bash
# extract-bench.sh - layer extraction speed: containr's extractor (libarchive
# gzip -> SHA-256 diff_id -> safe openat-based writer, overlay whiteouts)
# against GNU `tar -xzf` of the same layer, both pinned to one core.
#
#   bench/extract-bench.sh            # layer = tar.gz of $BENCH_SRC
#   BENCH_SRC="/usr/include" RUNS=5 bench/extract-bench.sh
#
# Each run extracts into a fresh directory on the same filesystem and ends
# with a sync (containr's extractor does a syncfs before it publishes the
# layer, so tar gets the same treatment).  Reports the best of RUNS for
# each, in MB/s of uncompressed tar, and the ratio containr/tar (goal: <= 1.3).
set -euo pipefail
CTR=${CONTAINR_BIN:-$(cd "$(dirname "$0")/.." && pwd)/build/containr}
SRC=${BENCH_SRC:-"/usr/include /usr/lib/python3.11"}
RUNS=${RUNS:-3}
CPU=${BENCH_CPU:-0}
W=$(mktemp -d /var/tmp/ctr-extract-bench.XXXXXX)
trap 'rm -rf "$W"' EXIT

echo "building the layer from: $SRC"
# shellcheck disable=SC2086
tar -cf "$W/layer.tar" $SRC 2>/dev/null || true
gzip -6 -c "$W/layer.tar" >"$W/layer.tar.gz"
usize=$(stat -c %s "$W/layer.tar")
csize=$(stat -c %s "$W/layer.tar.gz")
files=$(tar -tf "$W/layer.tar" | wc -l)
rm -f "$W/layer.tar"
printf 'layer: %d entries, %.1f MB uncompressed, %.1f MB gzip\n' "$files" \
	"$(echo "$usize / 1000000" | bc -l)" "$(echo "$csize / 1000000" | bc -l)"

now() { date +%s.%N; }
best_tar=999999 best_ctr=999999
for i in $(seq "$RUNS"); do
	rm -rf "$W/t" "$W/root"; mkdir -p "$W/t"; sync
	t0=$(now)
	taskset -c "$CPU" tar -xzf "$W/layer.tar.gz" -C "$W/t"
	sync
	t1=$(now)
	dt=$(echo "$t1 - $t0" | bc -l)
	best_tar=$(echo "if ($dt < $best_tar) $dt else $best_tar" | bc -l)

	rm -rf "$W/t"; sync
	t0=$(now)
	CONTAINR_ROOT=$W/root taskset -c "$CPU" "$CTR" image extract-layer "$W/layer.tar.gz" >/dev/null
	sync
	t1=$(now)
	dc=$(echo "$t1 - $t0" | bc -l)
	best_ctr=$(echo "if ($dc < $best_ctr) $dc else $best_ctr" | bc -l)
	printf 'run %d: tar %.2fs  containr %.2fs\n' "$i" "$dt" "$dc"
done
mbs() { echo "$usize / $1 / 1000000" | bc -l; }
printf 'tar -xzf:            %.2fs  %.1f MB/s\n' "$best_tar" "$(mbs "$best_tar")"
printf 'containr extractor:  %.2fs  %.1f MB/s\n' "$best_ctr" "$(mbs "$best_ctr")"
printf 'ratio containr/tar:  %.2f (goal <= 1.30)\n' "$(echo "$best_ctr / $best_tar" | bc -l)"
