#!/usr/bin/env bash
# Lifecycle on real processes: stop -t on a SIGTERM-ignoring process,
# stop signal, kill -s, restart, wait, logs -f, exec into the namespaces,
# a container surviving kill -9 of its CLI, reconciliation of a vanished
# monitor, rm of a running container.
. "$(dirname "$0")/lib.sh"
need_root
R=$E2E_TMP/rootfs
make_busybox_rootfs "$R"
state() { "$CTR" inspect "$1" | sed -n 's/.*"Status":[[:space:]]*"\([a-z]*\)".*/\1/p' | head -1; }
field() { "$CTR" inspect "$1" | sed -n "s/.*\"$2\":[[:space:]]*\\([^,]*\\),*/\\1/p" | head -1; }

# stop -t 2 on a process that ignores SIGTERM: SIGKILL after the timeout
expect_rc 0 "$CTR" run -d --name it --rootfs "$R" ctr-helper ignore-term
wait_until 5 sh -c "\"$CTR\" logs it | grep -q ready" || fail "ignore-term never got ready"
start=$(date +%s%N)
expect_rc 0 "$CTR" stop -t 2 it
el=$(( ($(date +%s%N) - start) / 1000000 ))
expect_eq "$(state it)" "exited" "stopped"
expect_eq "$(field it ExitCode)" "137" "exit 137 after SIGKILL"
[ "$el" -ge 1900 ] || fail "stop returned after $el ms, before the 2 s timeout"
ok "stop waited for the timeout before SIGKILL ($el ms)"

# --stop-timeout is the default of stop -t
expect_rc 0 "$CTR" run -d --name st1 --stop-timeout 1 --rootfs "$R" ctr-helper ignore-term
wait_until 5 sh -c "\"$CTR\" logs st1 | grep -q ready" || fail "st1 never got ready"
start=$(date +%s%N)
expect_rc 0 "$CTR" stop st1
el=$(( ($(date +%s%N) - start) / 1000000 ))
expect_eq "$(field st1 ExitCode)" "137" "--stop-timeout 1: killed"
[ "$el" -ge 900 ] || fail "stop returned after $el ms, before --stop-timeout"
ok "--stop-timeout 1 honoured ($el ms)"
expect_rc 0 "$CTR" rm st1

# a process that handles SIGTERM stops at once with its own status
expect_rc 0 "$CTR" run -d --name term --rootfs "$R" sh -c 'trap "exit 7" TERM; while :; do sleep 0.1; done'
sleep 0.3
expect_rc 0 "$CTR" stop term
expect_eq "$(field term ExitCode)" "7" "SIGTERM handled: the container's own exit status"
expect_rc 0 "$CTR" run -d --name usr --stop-signal USR1 --rootfs "$R" sh -c 'trap "exit 9" USR1; while :; do sleep 0.1; done'
sleep 0.3
expect_rc 0 "$CTR" stop usr
expect_eq "$(field usr ExitCode)" "9" "--stop-signal USR1 is used by stop"

# kill -s and wait
expect_rc 0 "$CTR" run -d --name kw --rootfs "$R" sh -c 'trap "exit 3" HUP; while :; do sleep 0.1; done'
sleep 0.3
expect_rc 0 "$CTR" kill -s HUP kw
expect_rc 0 "$CTR" wait kw
expect_eq "$OUT" "3" "kill -s HUP, wait prints the exit code"
expect_rc 1 "$CTR" kill kw
expect_contains "$ERR" "is not running" "kill of a stopped container"

# foreground run forwards signals to the container (sig-proxy)
"$CTR" run --rm --name sp --rootfs "$R" sh -c 'trap "echo got-term; exit 7" TERM; echo ready; while :; do sleep 0.1; done' >"$E2E_TMP/sp.out" 2>&1 &
cli=$!
wait_until 10 grep -q ready "$E2E_TMP/sp.out" || fail "sp never got ready"
kill -TERM $cli
wait $cli
expect_eq "$?" "7" "SIGTERM to the CLI reaches the container, which exits 7"
expect_contains "$(cat "$E2E_TMP/sp.out")" "got-term" "the container's trap ran"

# wait on a created container blocks until it has run (Docker)
expect_rc 0 "$CTR" create --name cw --rootfs "$R" sh -c 'exit 6'
"$CTR" wait cw >"$E2E_TMP/wait.out" 2>&1 &
waiter=$!
sleep 1
kill -0 $waiter 2>/dev/null || fail "wait returned before the container ran: $(cat "$E2E_TMP/wait.out")"
ok "wait blocks on a created container"
expect_rc 0 "$CTR" start cw
wait $waiter
expect_eq "$(cat "$E2E_TMP/wait.out")" "6" "then prints its exit code"
expect_rc 0 "$CTR" rm cw

# restart gives a new process
expect_rc 0 "$CTR" restart -t 1 it
expect_eq "$(state it)" "running" "restart runs it again"
expect_rc 0 "$CTR" rm -f it term usr kw

# logs -f follows new lines and ends when the container exits
expect_rc 0 "$CTR" run -d --name lf --rootfs "$R" ctr-helper echo-lines 6 200
expect_rc 0 timeout 20 "$CTR" logs -f lf
expect_eq "$(printf '%s\n' "$OUT" | wc -l)" "6" "logs -f saw every line and returned at exit"
expect_rc 0 "$CTR" logs --tail 1 lf
expect_eq "$OUT" "line 6" "--tail 1"
expect_rc 0 "$CTR" logs --since 1h lf
expect_eq "$(printf '%s\n' "$OUT" | wc -l)" "6" "--since 1h"
expect_rc 0 "$CTR" logs --since 2099-01-01T00:00:00Z lf
expect_eq "$OUT" "" "--since in the future"

# exec joins the namespaces, cgroup and root
expect_rc 0 "$CTR" run -d --name ex --hostname exhost --rootfs "$R" sh -c 'echo secret >/tmp/f; exec ctr-helper pause'
sleep 0.3
expect_rc 0 "$CTR" exec ex sh -c 'cat /tmp/f; hostname; ps -o comm >/tmp/ps; cat /tmp/ps'
expect_eq "$(echo $OUT)" "secret exhost COMMAND ctr-helper sh ps" "exec sees the container's files, hostname and only its processes"
expect_rc 0 "$CTR" exec ex ctr-helper caps
expect_contains "$OUT" "CapEff:	00000000a80425fb" "exec: same capabilities"
expect_contains "$OUT" "Seccomp:	2" "exec: seccomp filter"
expect_rc 0 "$CTR" exec -u app -w /tmp ex sh -c 'id -u; pwd'
expect_eq "$(echo $OUT)" "1000 /tmp" "exec -u -w"
expect_rc 0 "$CTR" exec -e A=b ex sh -c 'echo $A'
expect_eq "$OUT" "b" "exec -e"
expect_rc 5 "$CTR" exec ex sh -c 'exit 5'
expect_rc 127 "$CTR" exec ex nosuchcmd
expect_rc 0 "$CTR" exec -d ex sh -c 'sleep 0.2; touch /tmp/detached'
wait_until 5 "$CTR" exec ex test -e /tmp/detached || fail "exec -d did not run"
ok "exec -d runs in the background"
pid=$(field ex Pid)
id=$("$CTR" ps -q --no-trunc -f name=ex)
expect_rc 0 "$CTR" exec ex cat /proc/self/cgroup
grep -q "containr/$id" /proc/$pid/cgroup || fail "init not in cgroup"
ok "exec runs in the container's cgroup namespace"

# rm of a running container needs -f
expect_rc 1 "$CTR" rm ex
expect_contains "$ERR" "container is running" "rm refuses a running container"
expect_rc 0 "$CTR" rm -f ex
expect_rc 1 "$CTR" inspect ex
kill -0 "$pid" 2>/dev/null && fail "rm -f left the process running"
ok "rm -f killed the container"

# the CLI can die: the monitor keeps the container and records its exit
"$CTR" run --name fg --rootfs "$R" ctr-helper echo-lines 30 100 >/dev/null 2>&1 &
cli=$!
wait_until 5 sh -c "\"$CTR\" ps -q -f name=fg | grep -q ." || fail "fg never ran"
kill -9 $cli
wait $cli 2>/dev/null
expect_eq "$(state fg)" "running" "still running after kill -9 of the CLI"
expect_rc 0 "$CTR" wait fg
expect_eq "$OUT" "0" "it finished normally"
expect_rc 0 "$CTR" logs fg
expect_eq "$(printf '%s\n' "$OUT" | wc -l)" "30" "its monitor logged all output"

# detached, then kill -9 of the monitor: state reconciles to exited
expect_rc 0 "$CTR" run -d --name mon --rootfs "$R" ctr-helper pause
mpid=$(field mon MonitorPid)
cpid=$(field mon Pid)
kill -9 "$mpid" "$cpid"
wait_until 5 sh -c "\"$CTR\" ps -a -f name=mon | grep -q Exited" || fail "state never reconciled"
expect_rc 0 "$CTR" inspect mon
expect_contains "$OUT" "monitor exited unexpectedly" "reconciled with an explanation"
expect_rc 0 "$CTR" rm mon fg lf
