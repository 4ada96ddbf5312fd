#!/usr/bin/env bash
# 22-log-file.sh - -D --log-file F: every process of the command logs to F
# (the CLI, the container's init before execve, the monitor and its exit
# step), nothing to stderr or stdout; a relative F; an unwritable F.
. "$(dirname "$0")/lib.sh"
need_root
R=$E2E_TMP/rootfs
make_busybox_rootfs "$R"
L=$E2E_TMP/debug.log

# The container outlives the monitor's first check, so the monitor execs
# containr-monitor, whose exit step (containr __monitor-exit) logs too.
expect_rc 0 "$CTR" -D --log-file "$L" run --rm --name lf1 --rootfs "$R" sh -c 'echo hi; sleep 0.3'
expect_eq "$OUT" "hi" "the container's output on stdout, no log lines"
expect_eq "$ERR" "" "nothing on stderr"
[ -s "$L" ] || fail "--log-file left the file empty"
ok "the log file has lines"
log=$(cat "$L")
expect_contains "$log" 'msg="monitor: exec helper"' "the monitor's lines land in the file"
expect_contains "$log" 'msg="monitor: container exited"' "the exit step (re-executed engine) logs to the file"
expect_contains "$log" 'status=0' "with the exit status"
bad=$(grep -vc '^time=[0-9T:-]*Z level=debug msg=' "$L")
expect_eq "$bad" "0" "every line is a well-formed debug line"

# Without -D, the default level (warn) writes no debug lines.
: >"$L"
expect_rc 0 "$CTR" --log-file "$L" run --rm --rootfs "$R" sh -c 'sleep 0.3'
expect_eq "$(cat "$L")" "" "no debug lines at the default level"

# --log-level info + a relative path, from another directory: the exit step
# (which the monitor runs with its own working directory) finds the file.
mkdir -p "$E2E_TMP/wd"
(cd "$E2E_TMP/wd" && "$CTR" --log-level debug --log-file rel.log run --rm --rootfs "$R" sh -c 'sleep 0.3') ||
	fail "run with a relative --log-file failed"
expect_contains "$(cat "$E2E_TMP/wd/rel.log")" 'msg="monitor: container exited"' "a relative --log-file works for every process"

# Detached: the monitor keeps logging after the CLI has exited.
: >"$L"
expect_rc 0 "$CTR" -D --log-file "$L" run -d --name lf2 --rootfs "$R" sh -c 'sleep 0.3'
expect_rc 0 "$CTR" wait lf2
wait_until 5 grep -q 'monitor: container exited' "$L" || fail "no exit line from a detached container: $(cat "$L")"
ok "a detached container's monitor logs to the file"
expect_rc 0 "$CTR" rm lf2

# An unwritable log file is one clear error and runs nothing.
expect_rc 1 "$CTR" --log-file "$E2E_TMP/nodir/x.log" run --rm --name lf3 --rootfs "$R" true
expect_contains "$ERR" "containr: cannot open log file" "unwritable log file: error"
expect_rc 0 "$CTR" ps -aq
expect_eq "$OUT" "" "and no container was made"
