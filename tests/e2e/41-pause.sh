#!/usr/bin/env bash
# pause/unpause: the freezer really stops the container (a counter stops
# advancing), state.json says paused, unpause resumes it; Docker's errors.
. "$(dirname "$0")/lib.sh"
need_root

R=$E2E_TMP/rootfs
make_busybox_rootfs "$R"
# busybox --install -s links to its absolute host path: relink inside the root
for l in "$R"/bin/*; do [ -L "$l" ] && ln -sf busybox "$l"; done

expect_rc 0 "$CTR" run -d --name pz --rootfs "$R" /bin/sh -c \
	'i=0; while :; do i=$((i+1)); echo $i >/dev/shm/count; done'
id=$(printf '%s' "$OUT" | tail -n1)
on_exit "$CTR" rm -f pz
on_exit "$CTR" unpause pz # runs first (last registered)

# the container's shell, seen from the host, and its counter file
expect_rc 0 "$CTR" top pz -o pid,comm
pid=$(printf '%s\n' "$OUT" | awk '$2 == "sh" {print $1; exit}')
[ -n "$pid" ] || fail "no sh in top output: $OUT"
# the loop truncates then writes the file (on tmpfs: no ext4 flush on
# truncate, so the window is tiny): retry a read that lands in between
count() {
	local v
	for _ in $(seq 50); do
		v=$(cat "/proc/$pid/root/dev/shm/count" 2>/dev/null)
		[ -n "$v" ] && { echo "$v"; return; }
		sleep 0.02
	done
	echo empty
}
advancing() { local a; a=$(count); sleep 0.2; [ "$(count)" != "$a" ]; }
wait_until 10 advancing || fail "counter never advances"
ok "counter advances while running"

expect_rc 0 "$CTR" pause pz
expect_eq "$OUT" "pz" "pause prints the name"
grep -Eq '"Status":[[:space:]]*"paused"' "$CONTAINR_ROOT/containers/$id/state.json" ||
	fail "state.json is not paused: $(cat "$CONTAINR_ROOT/containers/$id/state.json")"
ok "state.json status is paused"
a=$(count); sleep 0.5; b=$(count)
expect_eq "$b" "$a" "counter frozen while paused"

expect_rc 1 "$CTR" pause pz
expect_contains "$ERR" "already paused" "pausing twice is an error"

expect_rc 0 "$CTR" unpause pz
expect_eq "$OUT" "pz" "unpause prints the name"
grep -Eq '"Status":[[:space:]]*"running"' "$CONTAINR_ROOT/containers/$id/state.json" ||
	fail "state.json is not running after unpause"
ok "state.json status is running"
wait_until 10 advancing || fail "counter does not advance after unpause"
ok "counter advances again after unpause"

expect_rc 1 "$CTR" unpause pz
expect_contains "$ERR" "not paused" "unpausing a running container is an error"
expect_rc 1 "$CTR" pause nosuch pz
expect_contains "$ERR" "nosuch" "each failure is reported"
expect_contains "$OUT" "pz" "the others are still paused"
expect_rc 0 "$CTR" unpause pz
