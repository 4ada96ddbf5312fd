#!/usr/bin/env bash
# 39-monitor-exec.sh - once a container runs, its monitor is the small
# static containr-monitor program (same PID, so MonitorPid/MonitorStart
# still identify it), and everything the monitor does still works after
# the exec: logs (JSON lines, logs -f), the exit status and FinishedAt,
# OOMKilled, --rm (with an anonymous volume), stop, -t and a foreground
# run's relay.  Memory numbers are measured in bench/runtime-bench.sh.
. "$(dirname "$0")/lib.sh"
need_root
R=$E2E_TMP/rootfs
make_busybox_rootfs "$R"
mon_helper=$(dirname "$CTR")/containr-monitor
[ -x "$mon_helper" ] || fail "$mon_helper was not built (make)"

# Detached: the monitor became containr-monitor, and stays the recorded one.
expect_rc 0 "$CTR" run -d --name m1 --rootfs "$R" sh -c 'echo hello; echo oops >&2; exec sleep 1000'
mon=$("$CTR" inspect -f '{{.State.MonitorPid}}' m1)
[ -n "$mon" ] && [ "$mon" -gt 0 ] || fail "no MonitorPid: '$mon'"
wait_until 10 test "$(readlink "/proc/$mon/exe")" = "$(readlink -f "$mon_helper")" ||
	fail "monitor $mon runs $(readlink "/proc/$mon/exe"), not containr-monitor"
ok "monitor pid $mon is containr-monitor"
expect_eq "$(cat "/proc/$mon/comm")" "containr-monito" "monitor comm"
expect_eq "$("$CTR" inspect -f '{{.State.Status}}' m1)" running "still running after the exec (reconcile keeps it)"
pid=$("$CTR" inspect -f '{{.State.Pid}}' m1)
expect_eq "$(awk '{print $4}' "/proc/$pid/stat")" "$mon" "the init is still the monitor's child"
# It holds no library of the CLI: a static program, a handful of mappings.
if grep -q '\.so' "/proc/$mon/maps"; then fail "containr-monitor maps shared libraries"; fi
ok "no shared libraries in the monitor"
wait_until 10 sh -c "'$CTR' logs m1 | grep -q hello" || fail "logs: no hello"
expect_rc 0 "$CTR" logs m1
expect_contains "$OUT" hello "logs stdout"
expect_contains "$ERR" oops "logs stderr"
# logs -f follows until the exit; the exit is recorded by the engine step.
"$CTR" logs -f m1 >"$E2E_TMP/follow" 2>&1 &
fpid=$!
on_exit kill $fpid
expect_rc 0 "$CTR" stop -t 1 m1
wait_until 10 sh -c "! kill -0 $fpid" || fail "logs -f did not end with the container"
expect_contains "$(cat "$E2E_TMP/follow")" hello "logs -f output"
expect_eq "$("$CTR" inspect -f '{{.State.Status}}' m1)" exited "exited"
expect_eq "$("$CTR" inspect -f '{{.State.ExitCode}}' m1)" 137 "ExitCode recorded after stop (SIGKILL)"
wait_until 10 test ! -e "/proc/$mon" || fail "monitor $mon still alive"
ok "monitor gone"
ctrlog=$CONTAINR_ROOT/containers/$("$CTR" inspect -f '{{.Id}}' m1)/ctr.log
grep -q '^{"t":"[0-9-]*T[0-9:.]*Z","s":"stderr","l":"oops\\n"}$' "$ctrlog" || fail "ctr.log line format: $(cat "$ctrlog")"
ok "ctr.log JSON lines"

# (A container that has already exited when the monitor would exec stays
# in-process: the commands below sleep first, so they take the helper path.)
# Exit status and relay of a foreground run; escapes in the log.
expect_rc 5 "$CTR" run --name m2 --rootfs "$R" sh -c 'sleep 0.3; printf "a\"b\\\\c\tz\001\n"; echo e >&2; exit 5'
expect_eq "$OUT" "$(printf 'a"b\\c\tz\001')" "foreground stdout relayed"
expect_eq "$ERR" e "foreground stderr relayed"
expect_rc 0 "$CTR" logs m2
expect_eq "$OUT" "$(printf 'a"b\\c\tz\001')" "logs round-trip of escapes"
ctrlog=$CONTAINR_ROOT/containers/$("$CTR" inspect -f '{{.Id}}' m2)/ctr.log
expect_contains "$(cat "$ctrlog")" '"l":"a\"b\\c\tz\u0001\n"' "JSON escaping as logs.c"
expect_eq "$("$CTR" inspect -f '{{.State.ExitCode}}' m2)" 5 "ExitCode 5"

# -t: the pty master crosses the exec too.
expect_rc 0 "$CTR" run -t --name m3 --rootfs "$R" sh -c 'sleep 0.3; tty; echo ttyout'
expect_contains "$OUT" ttyout "tty output relayed"
expect_rc 0 "$CTR" logs m3
expect_contains "$OUT" ttyout "tty output logged"

# --rm: returns after removal, the anonymous volume included.
expect_rc 4 "$CTR" run --rm --name m4 -v /data --rootfs "$R" sh -c 'sleep 0.3; echo x > /data/f; exit 4'
expect_rc 1 "$CTR" inspect m4
[ -z "$(ls -A "$CONTAINR_ROOT/volumes" 2>/dev/null | grep -v '^\.')" ] || fail "anonymous volume left: $(ls -A "$CONTAINR_ROOT/volumes")"
ok "--rm removed the container and its anonymous volume"
expect_rc 0 "$CTR" run -d --rm --name m5 --rootfs "$R" sh -c 'sleep 0.3'
wait_until 10 sh -c "! '$CTR' inspect m5" || fail "run -d --rm: container not removed"
ok "run -d --rm removed after the exit"

# OOMKilled is read from the cgroup by the engine step.
expect_rc 137 "$CTR" run --name m6 --memory 32m --rootfs "$R" ctr-helper memhog 200
expect_eq "$("$CTR" inspect -f '{{.State.OOMKilled}}' m6)" true "OOMKilled after the exec"
