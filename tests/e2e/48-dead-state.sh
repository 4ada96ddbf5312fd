#!/usr/bin/env bash
# 48-dead-state: a container whose state.json was lost (crash or power loss
# mid-write) is not hidden: ps -a shows it Dead, start refuses it, rm refuses
# while its processes still run, and rm -f kills them and removes everything.
. "$(dirname "$0")/lib.sh"
need_root
R=$E2E_TMP/rootfs
make_busybox_rootfs "$R"

expect_rc 0 "$CTR" run -d --name lost --rootfs "$R" sleep 300
id=$OUT
pid=$("$CTR" inspect -f '{{.State.Pid}}' lost)
[ -d "/proc/$pid" ] || fail "the container's init is not running"
: >"$CONTAINR_ROOT/containers/$id/state.json"

expect_rc 0 "$CTR" ps -a --format '{{.Names}} {{.Status}}'
expect_eq "$OUT" "lost Dead" "ps -a shows the container as Dead"
expect_contains "$ERR" "state.json is empty" "and warns which file was lost"
expect_rc 0 "$CTR" inspect -f '{{.State.Status}} {{.State.Dead}}' lost
expect_eq "$OUT" "dead true" "inspect says dead"
expect_rc 1 "$CTR" start lost
expect_contains "$ERR" "lost" "start refuses it"
expect_rc 1 "$CTR" rm lost
expect_contains "$ERR" "still run" "rm refuses while its processes run"
[ -d "/proc/$pid" ] || fail "rm without -f killed the init"
ok "rm without -f left the processes alone"
expect_rc 0 "$CTR" rm -f lost
wait_until 5 sh -c "! test -d /proc/$pid" || fail "rm -f did not kill the init ($pid)"
ok "rm -f killed the lost container's processes"
[ ! -d "$CONTAINR_ROOT/containers/$id" ] || fail "the container directory is left"
ok "and removed its directory"
for h in /sys/fs/cgroup/*/containr/"$id" /sys/fs/cgroup/containr/"$id"; do
	[ ! -d "$h" ] || fail "cgroup left: $h"
done
ok "no cgroup left"
pat="[${id:0:1}]${id:1}" # a regex that does not match its own command line
wait_until 5 sh -c "! pgrep -f '$pat' >/dev/null" || fail "a process naming $id is left: $(pgrep -af "$pat")"
ok "its monitor is gone too"
[ ! -d "$CONTAINR_ROOT/containers/$id" ] || fail "the monitor's exit step recreated the directory"
ok "and did not recreate the container"
expect_rc 0 "$CTR" ps -aq
expect_eq "$OUT" "" "ps -a is empty"
