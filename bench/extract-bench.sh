#!/usr/bin/env bash
# extract-bench.sh - layer extraction speed: containr's extractor (libarchive
# gzip -> SHA-256 diff_id -> safe openat-based writer, overlay whiteouts)
# against GNU `tar -xzf` of the same layer, both pinned to one core.
#
#   bench/extract-bench.sh            # layer = tar.gz of $BENCH_SRC
#   BENCH_SRC="/usr/include" RUNS=5 bench/extract-bench.sh
#
# Each run extracts into a fresh directory of the same filesystem.  Two
# numbers per tool, best of RUNS:
#   cpu   user+sys seconds (tar's include its gzip child): the work done,
#         insensitive to other load on the machine -- the ratio that counts;
#   wall  elapsed seconds including a final `sync` for both (containr's
#         extractor syncfs()es before it publishes a layer, tar does not).
# MB/s are of the uncompressed tar.  Goal: containr/tar <= 1.3.
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
printf 'layer: %d entries, %.1f MB uncompressed, %.1f MB gzip; pinned to CPU %s\n' "$files" \
	"$(echo "$usize / 1000000" | bc -l)" "$(echo "$csize / 1000000" | bc -l)" "$CPU"

# run CMD...: sets WALL and CPUT (user+sys of CMD and its children); sync included in WALL
run() {
	local t0 t1
	t0=$(date +%s.%N)
	/usr/bin/time -f '%U %S' -o "$W/time" taskset -c "$CPU" "$@" >/dev/null
	sync
	t1=$(date +%s.%N)
	WALL=$(echo "$t1 - $t0" | bc -l)
	CPUT=$(awk '{print $1 + $2}' "$W/time")
}
min() { echo "if ($1 < $2) $1 else $2" | bc -l; }
bt_w=999999 bt_c=999999 bc_w=999999 bc_c=999999
for i in $(seq "$RUNS"); do
	rm -rf "$W/t" "$W/root"; mkdir -p "$W/t"; sync
	run tar -xzf "$W/layer.tar.gz" -C "$W/t"
	tw=$WALL tc=$CPUT
	rm -rf "$W/t"; sync
	CONTAINR_ROOT=$W/root run "$CTR" image extract-layer "$W/layer.tar.gz"
	cw=$WALL cc=$CPUT
	bt_w=$(min "$tw" "$bt_w"); bt_c=$(min "$tc" "$bt_c")
	bc_w=$(min "$cw" "$bc_w"); bc_c=$(min "$cc" "$bc_c")
	printf 'run %d: tar cpu %.2fs wall %.2fs | containr cpu %.2fs wall %.2fs\n' "$i" "$tc" "$tw" "$cc" "$cw"
done
mbs() { echo "$usize / $1 / 1000000" | bc -l; }
printf '%-20s cpu %6.2fs %7.1f MB/s   wall %6.2fs %7.1f MB/s\n' "tar -xzf:" \
	"$bt_c" "$(mbs "$bt_c")" "$bt_w" "$(mbs "$bt_w")"
printf '%-20s cpu %6.2fs %7.1f MB/s   wall %6.2fs %7.1f MB/s\n' "containr extractor:" \
	"$bc_c" "$(mbs "$bc_c")" "$bc_w" "$(mbs "$bc_w")"
printf 'ratio containr/tar:  cpu %.2f   wall %.2f   (goal <= 1.30)\n' \
	"$(echo "$bc_c / $bt_c" | bc -l)" "$(echo "$bc_w / $bt_w" | bc -l)"
