#!/usr/bin/env bash
# image-import-bench.sh - `import` and `load` of a big rootfs tar: containr
# against podman on the same files, in the same run, repeats interleaved so
# both see the same load on the machine.
#
#   bench/image-import-bench.sh                   # builds the tar once
#   BENCH_TAR=/tmp/x.tar RUNS=4 bench/image-import-bench.sh
#
# The tar: $BENCH_TAR if it exists, else one is made from $BENCH_SRC (host
# directories, ~20k files / ~500 MB) and kept in $BENCH_DIR for the next run.
# The load archive is `containr save` of that tar imported gzip'd (an OCI
# layout with one gzip layer, what `docker save` writes), also kept.
#
# Per tool, RUNS imports of the same tar into ONE store (the repeats show
# whether the same content is reused), then RUNS loads of the archive, each
# into a FRESH store (a first load every time).  Stores are removed only at
# the end: deleting 20k files just before a run would slow the next run's
# file creation (ext4 skips recently freed inodes, see docs/IMAGES.md).
# Columns: wall seconds and CPU seconds (user+sys, children included).
# podman runs with a private --root/--runroot and CONTAINERS_CONF (its
# default ulimits are too high for this host), so the host is not changed;
# without podman its column says so.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
CTR=${CONTAINR_BIN:-$top/build/containr}
RUNS=${RUNS:-4}
DIR=${BENCH_DIR:-/var/tmp/containr-import-bench}
TAR=${BENCH_TAR:-$DIR/rootfs.tar}
SRC=${BENCH_SRC:-"/usr/include /usr/lib/python3.11 /usr/share/perl /usr/lib/gcc /usr/share/doc"}
[ "$(id -u)" = 0 ] || { echo "image-import-bench: needs root"; exit 1; }
[ -x "$CTR" ] || { echo "image-import-bench: build containr first ($CTR)"; exit 1; }
mkdir -p "$DIR"
work=$(mktemp -d "$DIR/run.XXXXXX")
trap 'rm -rf "$work"' EXIT

if [ ! -s "$TAR" ]; then
	echo "building $TAR from: $SRC"
	# shellcheck disable=SC2046 # (GNU tar: "file changed as we read it" is fine)
	tar --numeric-owner -C / -cf "$TAR.tmp" $(for d in $SRC; do echo "${d#/}"; done) 2>/dev/null
	mv "$TAR.tmp" "$TAR"
fi
OCI=$DIR/$(basename "$TAR" .tar)-oci.tar
if [ ! -s "$OCI" ] || [ "$OCI" -ot "$TAR" ]; then
	echo "building $OCI (gzip -1 layer, containr save)"
	gzip -1 -c "$TAR" >"$work/layer.tar.gz"
	CONTAINR_ROOT=$work/mk "$CTR" import "$work/layer.tar.gz" bench/load:latest >/dev/null || exit 1
	CONTAINR_ROOT=$work/mk "$CTR" save -o "$OCI" bench/load:latest || exit 1
	rm -rf "$work/mk" "$work/layer.tar.gz"
fi
printf 'tar: %s, %d entries, %.0f MB; load archive: %.0f MB; %d repeats\n' "$TAR" \
	"$(tar -tf "$TAR" | wc -l)" "$(echo "$(stat -c %s "$TAR") / 1000000" | bc -l)" \
	"$(echo "$(stat -c %s "$OCI") / 1000000" | bc -l)" "$RUNS"

PODMAN=$(command -v podman || true)
if [ -n "$PODMAN" ]; then
	cat >"$work/containers.conf" <<-'EOF'
		[containers]
		default_ulimits = ["nofile=20000:20000","nproc=32768:32768"]
	EOF
	export CONTAINERS_CONF=$work/containers.conf
	pm() { echo "$PODMAN" --root "$work/pm-$1" --runroot "$work/pmrun-$1" --storage-driver overlay; }
else
	echo "podman: not installed, its column is skipped (apt-get install podman)"
fi

# timed NAME CMD...: appends "NAME wall cpu" to $work/times (exit status kept)
timed() {
	local name=$1 t0 t1 rc
	shift
	t0=$(date +%s.%N)
	/usr/bin/time -f '%U %S' -o "$work/t" "$@" >/dev/null 2>"$work/err"
	rc=$?
	t1=$(date +%s.%N)
	if [ $rc -ne 0 ]; then
		echo "$name failed ($rc): $(tail -1 "$work/err")"
		echo "$name - -" >>"$work/times"
		return
	fi
	echo "$name $(echo "$t1 - $t0" | bc -l) $(awk '{print $1 + $2}' "$work/t")" >>"$work/times"
}

: >"$work/times"
sync
for i in $(seq "$RUNS"); do
	timed "import.containr.$i" env CONTAINR_ROOT="$work/ci" "$CTR" import "$TAR" "bench/imp:$i"
	# shellcheck disable=SC2046
	[ -n "$PODMAN" ] && timed "import.podman.$i" $(pm imp) import -q "$TAR" "bench/imp:$i"
done
for i in $(seq "$RUNS"); do
	timed "load.containr.$i" env CONTAINR_ROOT="$work/cl$i" "$CTR" load -q -i "$OCI"
	# shellcheck disable=SC2046
	[ -n "$PODMAN" ] && timed "load.podman.$i" $(pm "load$i") load -q -i "$OCI"
done
layers=$(find "$work/ci/layers" -mindepth 1 -maxdepth 1 -type d | wc -l)

cell() { awk -v k="$1" '$1 == k { if ($2 == "-") print "   failed      "; else printf "%6.2fs %5.2fs", $2, $3 }' "$work/times"; }
printf '\n%-10s %3s   %-20s %-20s\n' "" "run" "containr wall  cpu" "podman wall  cpu"
for op in import load; do
	for i in $(seq "$RUNS"); do
		c=$(cell "$op.containr.$i")
		p=$([ -n "$PODMAN" ] && cell "$op.podman.$i" || echo "   (no podman)")
		printf '%-10s %3d   %-20s %-20s\n' "$op" "$i" "$c" "$p"
	done
done
echo "containr layers after $RUNS imports of the same tar: $layers (1 = reused)"
exit 0
