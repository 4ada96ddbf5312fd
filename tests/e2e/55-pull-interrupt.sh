#!/usr/bin/env bash
# 55-pull-interrupt.sh - a pull stopped by a signal cleans up after itself:
# SIGINT (Ctrl-C) and SIGTERM in the middle of a download end the pull with
# one "interrupted" line, exit 130/143 and an empty tmp/, and a retried
# pull works.  A SIGKILLed pull cannot clean up: the next pull removes its
# temp entries (nobody holds their flock any more), while `image prune`
# run during another pull leaves that pull's temp entries alone.
# Downloads are slowed with CONTAINR_PULL_RATE_LIMIT so they can be hit.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
. "$here/lib-registry.sh"
need_root
export CONTAINR_AUTH_FILE=$E2E_TMP/auth.json
reg_fixture_up
BB=$REG_PLAIN/busybox:latest
LAYERED=$REG_PLAIN/layered:latest

tmp_count() { find "$CONTAINR_ROOT/tmp" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l; }
# partial: a temp blob with some bytes in it (the download is under way)
partial() {
	local f
	for f in "$CONTAINR_ROOT"/tmp/blob-*; do
		[ -f "$f" ] && [ "$(stat -c %s "$f")" -gt 100000 ] && return 0
	done
	return 1
}

# -- SIGINT and SIGTERM mid-download: exit 128+N, one line, tmp/ empty
for sig in INT TERM; do
	want=$([ $sig = INT ] && echo 130 || echo 143)
	CONTAINR_PULL_RATE_LIMIT=200k "$CTR" pull "$BB" >"$E2E_TMP/out" 2>"$E2E_TMP/err" &
	pid=$!
	on_exit "kill -9 $pid 2>/dev/null"
	wait_until 20 partial || fail "SIG$sig: no partial download appeared: $(cat "$E2E_TMP/err")"
	[ "$(find "$CONTAINR_ROOT/tmp" -name 'layer-*' | wc -l)" -ge 1 ] || fail "no layer-* temp dir during the pull"
	kill -$sig $pid
	wait $pid
	rc=$?
	expect_eq "$rc" "$want" "SIG$sig during a pull exits $want"
	expect_eq "$(wc -l <"$E2E_TMP/err")" "1" "SIG$sig: one line on stderr"
	expect_contains "$(cat "$E2E_TMP/err")" "containr: pull of $BB interrupted" "SIG$sig: says the pull was interrupted"
	expect_eq "$(tmp_count)" "0" "SIG$sig: the pull removed its tmp/blob-* and tmp/layer-*"
	expect_eq "$(find "$CONTAINR_ROOT/layers" -mindepth 1 2>/dev/null | wc -l)" "0" "SIG$sig: no layer under a final name"
done
expect_rc 0 "$CTR" pull -q "$BB"
expect_rc 0 "$CTR" run --rm "$BB" echo pulled-after-ctrl-c
expect_eq "$OUT" "pulled-after-ctrl-c" "a retried pull works"
expect_rc 0 "$CTR" rmi "$BB"

# -- SIGKILL: the temp entries stay; the next pull removes them
CONTAINR_PULL_RATE_LIMIT=200k "$CTR" pull "$BB" >"$E2E_TMP/out" 2>&1 &
pid=$!
wait_until 20 partial || fail "SIGKILL: no partial download appeared: $(cat "$E2E_TMP/out")"
kill -9 $pid
wait $pid 2>/dev/null
stale=$(cd "$CONTAINR_ROOT/tmp" && ls -d blob-* layer-* 2>/dev/null | sort)
[ -n "$stale" ] || fail "a SIGKILLed pull left no temp entry (nothing to test)"
ok "SIGKILL left $(echo "$stale" | wc -l) temp entries: $(echo "$stale" | tr '\n' ' ')"

# a slow pull of another image: it starts by removing the dead pull's entries
CONTAINR_PULL_RATE_LIMIT=100k "$CTR" pull -q "$LAYERED" >"$E2E_TMP/layered.out" 2>&1 &
pid=$!
on_exit "kill -9 $pid 2>/dev/null"
mine() {
	local f
	for f in "$CONTAINR_ROOT"/tmp/blob-*; do
		[ -e "$f" ] && ! echo "$stale" | grep -qx "$(basename "$f")" && return 0
	done
	return 1
}
wait_until 20 mine || fail "the second pull made no temp file: $(cat "$E2E_TMP/layered.out")"
left=0
for f in $stale; do [ -e "$CONTAINR_ROOT/tmp/$f" ] && left=$((left + 1)); done
expect_eq "$left" "0" "the next pull removed the SIGKILLed pull's temp entries"
# prune while that pull runs: its (locked) temp entries are not touched
expect_rc 0 "$CTR" image prune -a -f
kill -0 $pid 2>/dev/null || fail "the pull ended before prune ran (too fast to test)"
[ "$(tmp_count)" -ge 1 ] || fail "image prune emptied tmp/ under a running pull"
ok "image prune leaves a running pull's temp entries alone ($(tmp_count) left)"
wait $pid
expect_eq "$?" "0" "the concurrent pull completes"
expect_eq "$(tmp_count)" "0" "tmp/ is empty at the end"
expect_rc 0 "$CTR" rmi "$LAYERED"
echo "55-pull-interrupt: all ok"
