#!/usr/bin/env bash
# kill then start, back to back (issue #16): `kill` (SIGKILL) returns once
# the exit is recorded, and `start` never reports a start that did not
# happen: after each round the container really runs, with a new pid, and
# keeps running.  Also `kill -s TERM` (returns at once) followed by start,
# and a monitor that cannot record the exit: start then fails clearly.
. "$(dirname "$0")/lib.sh"
need_root
R=$E2E_TMP/rootfs
make_busybox_rootfs "$R"
field() { "$CTR" inspect -f "$1" "$2"; }

expect_rc 0 "$CTR" run -d --name racer --rootfs "$R" sleep 1000
prev=$(field '{{.State.Pid}}' racer)
for i in $(seq 1 10); do
	"$CTR" kill racer >/dev/null || fail "round $i: kill failed"
	out=$("$CTR" start racer 2>&1) || fail "round $i: start failed: $out"
	[ "$out" = racer ] || fail "round $i: start printed '$out'"
	st=$(field '{{.State.Status}}' racer)
	pid=$(field '{{.State.Pid}}' racer)
	[ "$st" = running ] || fail "round $i: status $st right after start"
	[ "$pid" != "$prev" ] && [ "$pid" -gt 0 ] || fail "round $i: pid $pid, previous $prev"
	kill -0 "$pid" 2>/dev/null || fail "round $i: pid $pid is not alive"
	prev=$pid
done
ok "10 rounds of kill; start: each start ran a new init"
sleep 2
expect_eq "$(field '{{.State.Status}}' racer)" running "still running 2 s after the last start"
expect_eq "$(field '{{.State.Pid}}' racer)" "$prev" "with the pid the last start reported"
kill -0 "$prev" 2>/dev/null || fail "pid $prev died"
ok "the last init ($prev) is alive"

# a signal the init does not survive, sent without waiting (TERM to a
# trap that exits): start right after must still start it for real.
expect_rc 0 "$CTR" run -d --name racer2 --rootfs "$R" sh -c 'trap "exit 5" TERM; while :; do sleep 0.05; done'
sleep 0.3
for i in $(seq 1 5); do
	prev=$(field '{{.State.Pid}}' racer2)
	"$CTR" kill -s TERM racer2 >/dev/null || fail "round $i: kill -s TERM failed"
	out=$("$CTR" start racer2 2>&1) || fail "round $i: start failed: $out"
	pid=$(field '{{.State.Pid}}' racer2)
	st=$(field '{{.State.Status}}' racer2)
	if [ "$pid" = "$prev" ] || [ "$st" != running ]; then
		# start found it still running (TERM not handled yet): a no-op,
		# as Docker; then it exits with the trap's status.
		code=$("$CTR" wait racer2)
		[ "$code" = 5 ] || fail "round $i: exit code $code, want 5"
		expect_rc 0 "$CTR" start racer2
		pid=$(field '{{.State.Pid}}' racer2)
		st=$(field '{{.State.Status}}' racer2)
	fi
	[ "$st" = running ] && [ "$pid" != "$prev" ] || fail "round $i: status $st pid $pid (was $prev)"
	sleep 0.2
done
ok "kill -s TERM; start: the container runs again each time"
sleep 1
expect_eq "$(field '{{.State.Status}}' racer2)" running "racer2 still running"

# a monitor that cannot record the exit (stopped): start waits for it,
# then fails clearly instead of printing the name for a dead container
mon=$("$CTR" inspect racer | sed -n 's/.*"MonitorPid":[[:space:]]*\([0-9]*\).*/\1/p' | head -1)
init=$(field '{{.State.Pid}}' racer)
[ -n "$mon" ] && [ "$mon" -gt 0 ] || fail "no MonitorPid in inspect"
kill -STOP "$mon"
on_exit kill -CONT "$mon"
kill -KILL "$init"
expect_rc 1 "$CTR" start racer
expect_contains "$ERR" "is still exiting" "start of a container whose exit is not recorded fails clearly"
kill -CONT "$mon"
wait_until 10 sh -c "\"$CTR\" inspect -f '{{.State.Status}}' racer | grep -qx exited" || fail "the monitor did not record the exit"
expect_rc 0 "$CTR" start racer
expect_eq "$(field '{{.State.Status}}' racer)" running "then start runs it"
expect_rc 0 "$CTR" rm -f racer racer2
