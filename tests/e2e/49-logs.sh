#!/usr/bin/env bash
# 49-logs.sh - logs that scale: rotation by the monitor (--log-opt
# max-size/max-file: at most max-file files, each within max-size), `logs`
# and `logs --tail` across rotated files in order, -f across a rotation,
# --log-driver none and k8s-file, the containr.conf default, --since/--until
# formats, and bad --log-opt values (one line + hint, exit 125, nothing left).
. "$(dirname "$0")/lib.sh"
need_root
rootfs=$E2E_TMP/rootfs
make_busybox_rootfs "$rootfs"
export XDG_CONFIG_HOME=$E2E_TMP/config HOME=$E2E_TMP/home
unset CONTAINR_CONFIG

# seq_ok FIRST LAST TEXT: TEXT is "line FIRST" ... "line LAST", one per line
seq_ok() { [ "$3" = "$(seq -f 'line %03g' "$1" "$2")" ]; }

# --- rotation: 300 lines of ~75-byte entries into 2 KiB files, keep 3 ---
expect_rc 0 "$CTR" run --name rot --log-opt max-size=2k --log-opt max-file=3 --rootfs "$rootfs" \
	/bin/sh -c 'i=1; while [ $i -le 300 ]; do printf "line %03d\n" $i; i=$((i+1)); done'
log=$("$CTR" inspect -f '{{.LogPath}}' rot)
[ -s "$log" ] && [ -s "$log.1" ] && [ -s "$log.2" ] || fail "ctr.log, ctr.log.1, ctr.log.2 should exist: $(ls "$(dirname "$log")")"
ok "rotated into ctr.log, ctr.log.1, ctr.log.2"
[ ! -e "$log.3" ] || fail "max-file=3 keeps 3 files, found ctr.log.3"
ok "no more than max-file files"
for f in "$log" "$log.1" "$log.2"; do
	[ "$(stat -c %s "$f")" -le 2048 ] || fail "$f is $(stat -c %s "$f") bytes, above max-size 2k"
done
ok "every file within max-size"
expect_rc 0 "$CTR" logs rot
all=$OUT
first=$(printf '%s\n' "$all" | head -1 | sed 's/line 0*//')
[ "$first" -gt 1 ] || fail "the oldest lines should be gone, first is $first"
seq_ok "$first" 300 "$all" || fail "logs is not lines $first..300 in order: $(printf '%s\n' "$all" | head -3)"
ok "logs reads ctr.log.2, ctr.log.1, ctr.log in order (lines $first..300)"
inlast=$(wc -l <"$log")
n=$((inlast + 5)) # reaches back into ctr.log.1
expect_rc 0 "$CTR" logs --tail "$n" rot
expect_eq "$OUT" "$(printf '%s\n' "$all" | tail -n "$n")" "--tail $n crosses the rotation boundary"
expect_rc 0 "$CTR" logs --tail 1 rot
expect_eq "$OUT" "line 300" "--tail 1"
expect_rc 0 "$CTR" logs --tail 100000 rot
expect_eq "$OUT" "$all" "--tail beyond every file gives everything kept"
expect_eq "$("$CTR" inspect -f '{{.HostConfig.LogConfig.Type}} {{index .HostConfig.LogConfig.Config "max-size"}} {{index .HostConfig.LogConfig.Config "max-file"}}' rot)" \
	"json-file 2k 3" "inspect shows the driver and options"

# --- max-file=1: one file, truncated when full (Docker's json-file) ---
expect_rc 0 "$CTR" run --name one --log-opt max-size=1k --rootfs "$rootfs" \
	/bin/sh -c 'i=1; while [ $i -le 100 ]; do printf "line %03d\n" $i; i=$((i+1)); done'
log1=$("$CTR" inspect -f '{{.LogPath}}' one)
[ ! -e "$log1.1" ] && [ "$(stat -c %s "$log1")" -le 1024 ] || fail "max-file 1 keeps one file within 1k"
expect_rc 0 "$CTR" logs --tail 1 one
expect_eq "$OUT" "line 100" "max-file=1: the newest line is kept"

# --- -f follows across rotations ---
"$CTR" run -d --name fol --log-opt max-size=1k --log-opt max-file=2 --rootfs "$rootfs" \
	/bin/sh -c 'i=1; while [ $i -le 150 ]; do printf "line %03d\n" $i; i=$((i+1)); sleep 0.04; done' >/dev/null ||
	fail "run -d fol"
timeout 60 "$CTR" logs -f fol >"$E2E_TMP/follow.txt" || fail "logs -f fol did not end with the container"
got=$(cat "$E2E_TMP/follow.txt")
ff=$(printf '%s\n' "$got" | head -1 | sed 's/line 0*//')
seq_ok "$ff" 150 "$got" || fail "logs -f lost or repeated lines across rotations: $(printf '%s\n' "$got" | awk 'NR>1 && $2!=p+1 {print "after " p ": " $2} {p=$2}' | head -3)"
ok "logs -f follows across rotations, every line once (lines $ff..150)"

# --- a flooding container: --tail N is N lines, rotation keeps up, logs ends ---
"$CTR" run -d --name flood --log-opt max-size=1m --log-opt max-file=2 --rootfs "$rootfs" \
	/bin/sh -c 'yes "flooding the log with one line after another"' >/dev/null || fail "run -d flood"
sleep 2
for _ in 1 2 3; do
	expect_eq "$(timeout 20 "$CTR" logs --tail 2 flood | wc -l)" "2" "--tail 2 while the log floods and rotates"
done
flog=$("$CTR" inspect -f '{{.LogPath}}' flood)
[ ! -e "$flog.2" ] && [ "$(stat -c %s "$flog.1")" -le 1048576 ] || fail "flood: max-file=2, max-size=1m not kept"
ok "a flood stays within max-size x max-file"
timeout 20 "$CTR" logs flood >/dev/null || fail "logs of a flooding container did not end"
ok "logs (no -f) ends while the log floods"
"$CTR" rm -f flood >/dev/null

# --- --log-driver none ---
expect_rc 0 "$CTR" run --name quiet --log-driver none --rootfs "$rootfs" /bin/echo hello
expect_eq "$OUT" "hello" "attached output still reaches the terminal"
dir=$(dirname "$log")/../$("$CTR" inspect -f '{{.Id}}' quiet)
[ ! -e "$dir/ctr.log" ] || fail "--log-driver none wrote $dir/ctr.log"
ok "--log-driver none keeps no ctr.log"
expect_rc 1 "$CTR" logs quiet
expect_contains "$ERR" 'log driver is "none"' "logs says the container keeps no log"
expect_contains "$ERR" "hint:" "with a hint"
expect_eq "$("$CTR" inspect -f '{{.HostConfig.LogConfig.Type}}|{{.LogPath}}' quiet)" "none|" "inspect: driver none, no LogPath"

# --- --log-driver k8s-file ---
expect_rc 0 "$CTR" run --name k8s --log-driver k8s-file --rootfs "$rootfs" /bin/sh -c 'echo out; echo err >&2'
klog=$("$CTR" inspect -f '{{.LogPath}}' k8s)
grep -Eq '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z stdout F out$' "$klog" || fail "not a k8s-file line: $(head -1 "$klog")"
grep -Eq ' stderr F err$' "$klog" || fail "no stderr line in: $(cat "$klog")"
ok "k8s-file lines: TIME STREAM F TEXT"
expect_rc 0 "$CTR" logs k8s
expect_eq "$OUT" "out" "logs reads the k8s-file log (stdout)"
expect_eq "$ERR" "err" "logs reads the k8s-file log (stderr)"

# --- --since / --until ---
expect_rc 0 "$CTR" logs --since 1h --tail 1 rot
expect_eq "$OUT" "line 300" "--since 1h"
expect_rc 0 "$CTR" logs --until 1h rot
expect_eq "$OUT" "" "--until 1h ago: nothing"
expect_rc 0 "$CTR" logs --since "$(date -u -d '+1 hour' +%Y-%m-%dT%H:%M:%S.%NZ)" rot
expect_eq "$OUT" "" "--since in RFC 3339 with fraction, in the future: nothing"
expect_rc 0 "$CTR" logs --since "$(date -d '-1 hour' +%s).5" --tail 1 rot
expect_eq "$OUT" "line 300" "--since Unix seconds with a fraction"
expect_rc 0 "$CTR" logs --until "$(date -d '+1 day' +%Y-%m-%d)" --tail 1 rot
expect_eq "$OUT" "line 300" "--until a date"
expect_rc 1 "$CTR" logs --since yesterday rot
expect_contains "$ERR" "hint:" "a bad --since has a hint"

# --- the containr.conf default ---
mkdir -p "$XDG_CONFIG_HOME/containr"
printf '# test defaults\n[logs]\ndriver = "json-file"\nmax_size = "1k"   # small\nmax_file = 2\n' \
	>"$XDG_CONFIG_HOME/containr/containr.conf"
expect_rc 0 "$CTR" run --name conf --rootfs "$rootfs" \
	/bin/sh -c 'i=1; while [ $i -le 100 ]; do printf "line %03d\n" $i; i=$((i+1)); done'
clog=$("$CTR" inspect -f '{{.LogPath}}' conf)
[ -e "$clog.1" ] && [ ! -e "$clog.2" ] || fail "the config's max_size=1k max_file=2 did not apply: $(ls "$(dirname "$clog")")"
ok "the containr.conf default applies (rotation, 2 files)"
expect_eq "$("$CTR" inspect -f '{{index .HostConfig.LogConfig.Config "max-size"}}' conf)" "1k" "inspect shows the config's option"
expect_rc 0 "$CTR" run --name conf2 --log-opt max-file=5 --rootfs "$rootfs" /bin/true
expect_eq "$("$CTR" inspect -f '{{index .HostConfig.LogConfig.Config "max-size"}} {{index .HostConfig.LogConfig.Config "max-file"}}' conf2)" \
	"1k 5" "a --log-opt overrides one default, the others stay"
printf '[logs]\ndriver = "none"\n' >"$XDG_CONFIG_HOME/containr/containr.conf"
expect_rc 0 "$CTR" run --name conf3 --rootfs "$rootfs" /bin/true
expect_eq "$("$CTR" inspect -f '{{.HostConfig.LogConfig.Type}}' conf3)" "none" "the config's driver applies"
printf '[logs]\nmax_sise = "1k"\n' >"$XDG_CONFIG_HOME/containr/containr.conf"
before=$("$CTR" ps -aq | wc -l)
expect_rc 125 "$CTR" run --rootfs "$rootfs" /bin/true
expect_contains "$ERR" "containr.conf:2: unknown key max_sise" "a bad config names its file and line"
expect_eq "$("$CTR" ps -aq | wc -l)" "$before" "no container left by a bad config"
rm -f "$XDG_CONFIG_HOME/containr/containr.conf"

# --- bad --log-opt / --log-driver: one line + hint, exit 125, nothing left ---
before=$("$CTR" ps -aq | wc -l)
for bad in "--log-opt max-size=abc" "--log-opt max-size=0" "--log-opt max-file=0" \
	"--log-opt max-file=many" "--log-opt colour=red" "--log-opt max-size" \
	"--log-driver syslog" "--log-driver none --log-opt max-size=1m"; do
	# shellcheck disable=SC2086
	expect_rc 125 "$CTR" run --name badopt $bad --rootfs "$rootfs" /bin/true
	[ "$(printf '%s\n' "$ERR" | grep -c '^containr: ')" = 1 ] && [ "$(printf '%s\n' "$ERR" | grep -c '^hint: ')" = 1 ] ||
		fail "$bad: want one containr: line and one hint, got: $ERR"
	ok "$bad: one line and a hint"
	# shellcheck disable=SC2086
	expect_rc 125 "$CTR" create $bad --rootfs "$rootfs" /bin/true
done
expect_eq "$("$CTR" ps -aq | wc -l)" "$before" "no container left by bad log options"
