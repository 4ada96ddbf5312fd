# tests/e2e/lib-registry.sh - real registries on loopback for the 5x pull tests.
# Source it after lib.sh, then call reg_fixture_up:
#   . "$(dirname "$0")/lib.sh"; . "$(dirname "$0")/lib-registry.sh"; reg_fixture_up
# It starts (or joins) one shared fixture in $CONTAINR_TEST_REGISTRY
# (default /tmp/containr-e2e-registry) from tests/fixtures/registry, with
# the busybox, layered and multiarch images, and sources its env (REG_PLAIN,
# REG_TOKEN, ...).  Users are counted under a lock: the last test to leave
# stops the registries.  reg_fixture_private DIR starts a separate one (for
# tests that damage the registry storage); it is stopped at exit.
REG_KIT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../fixtures/registry" && pwd)
REG_SHARED=${CONTAINR_TEST_REGISTRY:-/tmp/containr-e2e-registry}

_reg_lock() { exec 9>"$REG_SHARED.lock" && flock 9; }
_reg_unlock() { flock -u 9; exec 9>&-; }

reg_fixture_up() {
	mkdir -p "$REG_SHARED.users" || fail "cannot create $REG_SHARED.users"
	_reg_lock
	touch "$REG_SHARED.users/$$"
	on_exit reg_fixture_down
	"$REG_KIT/registry.sh" start "$REG_SHARED" >"$E2E_TMP/registry-start.log" 2>&1 || {
		_reg_unlock; cat "$E2E_TMP/registry-start.log" >&2; fail "registry fixtures did not start"; }
	# shellcheck disable=SC1091
	. "$REG_SHARED/env"
	# (Re)push when the images are missing or were pushed to other ports
	# (a restart picks free ports again).
	if [ ! -s "$REG_SHARED/images.txt" ] || ! grep -q '/multiarch:oci ' "$REG_SHARED/images.txt" ||
		! grep -q " $REG_PLAIN/busybox:latest " "$REG_SHARED/images.txt"; then
		FIXTURE_IMAGES="busybox layered multiarch" "$REG_KIT/images.sh" "$REG_SHARED" \
			>"$E2E_TMP/registry-images.log" 2>&1 || {
			_reg_unlock; tail -30 "$E2E_TMP/registry-images.log" >&2; fail "fixture images were not pushed"; }
	fi
	_reg_unlock
	# shellcheck disable=SC1091
	. "$REG_SHARED/env"
}

reg_fixture_down() {
	_reg_lock
	rm -f "$REG_SHARED.users/$$"
	local u alive=0
	for u in "$REG_SHARED.users"/*; do
		[ -e "$u" ] || continue
		if kill -0 "$(basename "$u")" 2>/dev/null; then alive=1; else rm -f "$u"; fi
	done
	[ $alive = 0 ] && "$REG_KIT/registry.sh" stop "$REG_SHARED" >/dev/null 2>&1
	_reg_unlock
}

# reg_fixture_private DIR INSTANCES IMAGES: a fixture of our own (stopped at exit).
reg_fixture_private() {
	local d=$1
	on_exit "'$REG_KIT/registry.sh' stop '$d'"
	REG_INSTANCES=$2 REG_PORT_BASE=${REG_PRIVATE_PORT_BASE:-5100} "$REG_KIT/registry.sh" start "$d" \
		>"$E2E_TMP/private-start.log" 2>&1 || { cat "$E2E_TMP/private-start.log" >&2; fail "private registry did not start"; }
	FIXTURE_IMAGES=$3 "$REG_KIT/images.sh" "$d" >"$E2E_TMP/private-images.log" 2>&1 || {
		tail -30 "$E2E_TMP/private-images.log" >&2; fail "private fixture images were not pushed"; }
}

# image_digest REF: the manifest digest images.sh recorded for REF
image_digest() { awk -v r="$1" '$2 == r {print $3}' "$REG_DIR/images.txt"; }

# blob_json DIGEST: a blob of the containr store (manifest, config)
blob_file() { echo "$CONTAINR_ROOT/blobs/sha256/${1#sha256:}"; }

# image_diff_ids MANIFEST_DIGEST: the layer diff_ids of a pulled image manifest, bottom first
image_diff_ids() {
	local cfg
	cfg=$(jq -r .config.digest "$(blob_file "$1")") || return 1
	jq -r '.rootfs.diff_ids[]' "$(blob_file "$cfg")"
}

# image_config MANIFEST_DIGEST: path of the config blob
image_config() { blob_file "$(jq -r .config.digest "$(blob_file "$1")")"; }

# store_consistent: every blob hashes to its name; no layer dir without its .json
store_consistent() {
	local f h
	for f in "$CONTAINR_ROOT"/blobs/sha256/*; do
		[ -e "$f" ] || continue
		h=$(sha256sum "$f" | cut -d' ' -f1)
		[ "$h" = "$(basename "$f")" ] || { echo "blob $f hashes to $h"; return 1; }
	done
	return 0
}
