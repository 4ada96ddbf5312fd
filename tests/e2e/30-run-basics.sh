#!/usr/bin/env bash
# run: a real process in its own namespaces on its own root: PID 1,
# hostname, exit statuses, output relay, -d + logs, create/start, inspect.
. "$(dirname "$0")/lib.sh"
need_root
R=$E2E_TMP/rootfs
make_busybox_rootfs "$R"

expect_rc 0 "$CTR" run --rm --rootfs "$R" ctr-helper pid
expect_eq "$OUT" "pid=1 ppid=0" "the command is PID 1 of a new pid namespace"

expect_rc 0 "$CTR" run --rm --rootfs "$R" --hostname box1 ctr-helper hostname
expect_eq "$OUT" "box1" "--hostname sets the uts name"

expect_rc 0 "$CTR" run --name hn --rootfs "$R" ctr-helper hostname
id=$("$CTR" inspect hn | grep '"Id"' | cut -d'"' -f4)
expect_eq "$OUT" "${id:0:12}" "default hostname is the 12-char id"
expect_rc 0 "$CTR" rm hn

expect_rc 3 "$CTR" run --rm --rootfs "$R" sh -c 'echo out; echo err >&2; exit 3'
expect_eq "$OUT" "out" "stdout relayed"
expect_eq "$ERR" "err" "stderr relayed separately"

expect_rc 137 "$CTR" run --rm --init --rootfs "$R" sh -c 'kill -9 $$'
ok "--init: the command is not PID 1, so it can be killed; 128+9"
expect_rc 0 "$CTR" run --rm --init --rootfs "$R" ctr-helper pid
expect_eq "$OUT" "pid=2 ppid=1" "--init: a reaper is PID 1"
expect_rc 0 "$CTR" run -d --name k9 --rootfs "$R" ctr-helper pause
expect_rc 0 "$CTR" kill k9
expect_rc 0 "$CTR" wait k9
expect_eq "$OUT" "137" "killed by SIGKILL: wait prints 128+9"
expect_rc 0 "$CTR" rm k9

expect_rc 0 "$CTR" run --rm --rootfs "$R" -e FOO=bar -w /tmp sh -c 'echo $FOO $(pwd) $HOME'
expect_eq "$OUT" "bar /tmp /root" "env, workdir and HOME"

echo "piped input" >"$E2E_TMP/in"
OUT=$("$CTR" run --rm -i --rootfs "$R" cat <"$E2E_TMP/in")
expect_eq "$OUT" "piped input" "-i gives the container our stdin"
OUT=$("$CTR" run --rm --rootfs "$R" cat <"$E2E_TMP/in")
expect_eq "$OUT" "" "without -i stdin is /dev/null"

# detached + logs
expect_rc 0 "$CTR" run -d --name d1 --rootfs "$R" ctr-helper echo-lines 5
wait_until 10 sh -c "\"$CTR\" inspect d1 | grep -q '\"exited\"'" || fail "d1 never exited"
expect_rc 0 "$CTR" logs d1
expect_eq "$(printf '%s\n' "$OUT" | wc -l)" "5" "logs has every line"
expect_rc 0 "$CTR" logs --tail 2 d1
expect_eq "$OUT" "$(printf 'line 4\nline 5')" "--tail 2"
head -1 "$CONTAINR_ROOT/containers/$("$CTR" ps -aq --no-trunc -f name=d1)/ctr.log" | \
	grep -Eq '^\{"t":"[0-9T:.-]+Z","s":"stdout","l":"line 1\\n"\}$' || fail "ctr.log is not JSON lines"
ok "ctr.log holds JSON lines"
expect_rc 0 "$CTR" logs -t d1
expect_contains "$OUT" "Z line 1" "logs -t prefixes timestamps"

# create + start -a
expect_rc 0 "$CTR" create --name c1 --rootfs "$R" sh -c 'echo started; exit 4'
expect_rc 0 "$CTR" ps -a -f name=c1
expect_contains "$OUT" "Created" "ps shows Created"
expect_rc 4 "$CTR" start -a c1
expect_eq "$OUT" "started" "start -a relays and returns the status"
expect_rc 0 "$CTR" ps -a -f name=c1
expect_contains "$OUT" "Exited (4)" "ps shows Exited (4)"
expect_rc 0 "$CTR" inspect c1
expect_contains "$OUT" '"ExitCode": 4' "inspect ExitCode"
expect_contains "$OUT" '"Name": "/c1"' "inspect Name"
expect_rc 0 "$CTR" ps -a --format json -f name=c1
expect_contains "$OUT" '"Names":"c1"' "ps --format json"
expect_rc 0 "$CTR" rm d1 c1
expect_rc 0 "$CTR" ps -aq
expect_eq "$OUT" "" "rm removed them"
