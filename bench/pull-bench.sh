#!/usr/bin/env bash
# pull-bench.sh - pull throughput: containr vs skopeo (and podman when it
# works) pulling the fixture's `big` image (debootstrap minbase, 4 gzip
# layers, ~48.6 MB compressed / ~120 MB uncompressed) from the same
# loopback registry (the plain HTTP instance) in the same run.
#
#   bench/pull-bench.sh            (root; first run: ~2 min for debootstrap)
#
# What each tool does (so the numbers are read right):
#   containr pull   download + SHA-256 + gunzip + diff_id + extraction into
#                   layers/ (everything a pull does before `run`)
#   skopeo copy     download + verification into a dir: (no extraction)
#   podman pull     download + extraction into containers/storage
# MB/s = compressed image bytes / wall seconds; best and median of $RUNS.
# Knobs: RUNS (3), BENCH_REGISTRY_DIR (/var/tmp/containr-bench-registry,
# kept between runs so debootstrap is cached), PARALLEL ("1 3 4").
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
CTR=${CONTAINR_BIN:-$top/build/containr}
KIT=$top/tests/fixtures/registry
DIR=${BENCH_REGISTRY_DIR:-/var/tmp/containr-bench-registry}
RUNS=${RUNS:-3}
PARALLEL=${PARALLEL:-"1 3 4"}
[ "$(id -u)" = 0 ] || { echo "pull-bench: needs root (fixtures)"; exit 1; }
[ -x "$CTR" ] || { echo "pull-bench: build containr first ($CTR)"; exit 1; }

work=$(mktemp -d /tmp/containr-pull-bench.XXXXXX)
started=0
cleanup() {
	[ $started = 1 ] && "$KIT/registry.sh" stop "$DIR" >/dev/null 2>&1
	rm -rf "$work"
}
trap cleanup EXIT

if ! "$KIT/registry.sh" status "$DIR" >/dev/null 2>&1; then
	started=1
	export REG_INSTANCES=plain # only what the benchmark needs
fi
"$KIT/registry.sh" start "$DIR" >"$work/start.log" 2>&1 || { cat "$work/start.log"; exit 1; }
if ! grep -q '/big:latest ' "$DIR/images.txt" 2>/dev/null; then
	echo "building and pushing the fixture images (debootstrap, ~2 min the first time)..."
	FIXTURES_VERIFY=quick "$KIT/images.sh" "$DIR" >"$work/images.log" 2>&1 || {
		tail -20 "$work/images.log"; exit 1; }
fi
. "$DIR/env"
REF=$REG_PLAIN/big:latest
bytes=$(awk '$1 == "big" {print $3; exit}' "$DIR/sizes.txt")
[ -n "$bytes" ] || { echo "pull-bench: no size for big in $DIR/sizes.txt"; exit 1; }
echo "image: $REF  ($bytes compressed bytes in layers)"

now() { date +%s.%N; }
# measure NAME CMD...: run CMD $RUNS times (pre_hook before each), print best/median MB/s
results=()
measure() {
	local name=$1; shift
	local times=() t0 t1 i
	for i in $(seq "$RUNS"); do
		if declare -F pre_hook >/dev/null; then pre_hook; fi
		t0=$(now)
		"$@" >"$work/out.log" 2>&1 || { echo "  $name: FAILED"; tail -5 "$work/out.log"; return 1; }
		t1=$(now)
		times+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.3f", b-a}')")
	done
	local sorted best med
	sorted=$(printf '%s\n' "${times[@]}" | sort -n)
	best=$(echo "$sorted" | head -1)
	med=$(echo "$sorted" | sed -n "$(( (RUNS + 1) / 2 ))p")
	printf '  %-40s best %6.2fs %7.1f MB/s   median %6.2fs %7.1f MB/s\n' "$name" "$best" \
		"$(awk -v b="$bytes" -v t="$best" 'BEGIN{print b/t/1e6}')" "$med" \
		"$(awk -v b="$bytes" -v t="$med" 'BEGIN{print b/t/1e6}')"
}

echo "runs: $RUNS each, same registry, same machine ($(nproc) CPUs)"
for n in $PARALLEL; do
	pre_hook() { rm -rf "$work/root"; mkdir -p "$work/root"; }
	measure "containr pull (parallel $n)" env CONTAINR_ROOT="$work/root" "$CTR" pull -q \
		--max-concurrent-downloads "$n" "$REF"
done
pre_hook() { rm -rf "$work/skopeo"; }
measure "skopeo copy to dir: (no extract)" skopeo copy -q --src-tls-verify=false \
	"docker://$REF" "dir:$work/skopeo"
if command -v podman >/dev/null 2>&1; then
	ulimit -n 20000 2>/dev/null; ulimit -u 32768 2>/dev/null
	pre_hook() { podman --root "$work/podman" --runroot "$work/podman-run" rmi -af >/dev/null 2>&1; \
		rm -rf "$work/podman" "$work/podman-run"; }
	measure "podman pull (extracts)" podman --root "$work/podman" --runroot "$work/podman-run" \
		pull -q --tls-verify=false "$REF" ||
		echo "  podman pull did not work here (see above)"
	podman --root "$work/podman" --runroot "$work/podman-run" rmi -af >/dev/null 2>&1
	unset -f pre_hook
else
	echo "  podman: not installed (apt-get install podman to compare)"
fi

# Baseline for the disk: GNU tar extracting the same layer blobs (already
# local) followed by sync, i.e. the extraction cost without any network.
mkdir -p "$work/blobs"
for l in $(curl -fsS -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' \
	"http://$REG_PLAIN/v2/big/manifests/latest" | jq -r '.layers[].digest'); do
	curl -fsS -o "$work/blobs/${l#sha256:}" "http://$REG_PLAIN/v2/big/blobs/$l" || exit 1
done
untar() {
	local d=$work/untar b
	mkdir -p "$d"
	for b in $(curl -fsS -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' \
		"http://$REG_PLAIN/v2/big/manifests/latest" | jq -r '.layers[].digest'); do
		tar -xzf "$work/blobs/${b#sha256:}" -C "$d" 2>/dev/null
	done
	sync
}
pre_hook() { rm -rf "$work/untar"; sync; }
measure "baseline: tar -xzf local blobs + sync" untar
