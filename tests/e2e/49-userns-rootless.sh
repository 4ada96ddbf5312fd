#!/bin/bash
# Rootless, first step: a real unprivileged user (made here, removed at exit)
# with /etc/subuid and /etc/subgid ranges runs containers from its own
# $XDG_DATA_HOME/containr: the user namespace maps 0 to the user and 1.. to
# the subordinate range (newuidmap/newgidmap), the overlay is native in the
# userns, --network none; limits print one explicit NOT-applied warning here
# (cgroup v1: no delegation); without subordinate IDs only the user is mapped.
. "$(dirname "$0")/lib.sh"
need_root
command -v newuidmap >/dev/null || fail "newuidmap missing (apt-get install uidmap)"
U=ctrtest$$
cp /etc/subuid "$E2E_TMP/subuid.bak"; cp /etc/subgid "$E2E_TMP/subgid.bak"
on_exit "cp $E2E_TMP/subuid.bak /etc/subuid; cp $E2E_TMP/subgid.bak /etc/subgid"
useradd -m -s /bin/sh "$U" || fail "useradd"
on_exit "userdel -r $U"
H=$(getent passwd "$U" | cut -d: -f6)
UID_=$(id -u "$U")
# Our own ranges (useradd may have added some): far from any other.
sed -i "/^$U:/d" /etc/subuid /etc/subgid
echo "$U:3000000:65536" >>/etc/subuid
echo "$U:3000000:65536" >>/etc/subgid
B=localhost/containr/busybox
as_user() { (cd / && runuser -u "$U" -- env -u CONTAINR_ROOT HOME="$H" XDG_DATA_HOME="$H/.local/share" XDG_RUNTIME_DIR="$H" "$CTR" "$@"); }
ST=$H/.local/share/containr

expect_rc 0 as_user run --rm $B echo hi
expect_eq "$OUT" "hi" "rootless run --rm IMAGE echo hi"
[ -d "$ST/containers" ] && [ "$(stat -c %U "$ST")" = "$U" ] || fail "no store in \$XDG_DATA_HOME/containr"
ok "the store is the user's \$XDG_DATA_HOME/containr"
expect_rc 0 as_user run --rm --network none $B sh -c 'cat /proc/self/uid_map /proc/self/gid_map; id -u'
expect_eq "$(tr -s ' \n' ' ' <<<"$OUT" | sed 's/^ //; s/ $//')" \
	"0 $UID_ 1 1 3000000 65535 0 $(id -g "$U") 1 1 3000000 65535 0" \
	"container root is the user, 1.. the subordinate range"
expect_rc 0 as_user run --rm --memory 32m $B echo limited
expect_eq "$OUT" "limited" "a rootless run with --memory still runs"
expect_contains "$ERR" "resource limits" "one warning…"
expect_contains "$ERR" "are NOT applied" "…that says the limit is NOT applied"
expect_eq "$(grep -c . <<<"$ERR")" "1" "exactly one warning line"

id=$(as_user run -d $B sh -c 'echo out; echo x >/byroot; chown 1000 /byroot; touch /mine; sleep 60') || fail "run -d"
wait_until 10 as_user exec "$id" test -e /mine || fail "the detached container did not run"
expect_rc 0 as_user exec "$id" sh -c 'id -u; readlink /proc/self/ns/user'
expect_eq "$(head -1 <<<"$OUT")" "0" "rootless exec: root of the namespace"
expect_eq "$(tail -1 <<<"$OUT")" "$(readlink /proc/$(as_user inspect -f '{{.State.Pid}}' "$id")/ns/user)" "rootless exec joins the user namespace"
expect_rc 0 as_user logs "$id"
expect_eq "$OUT" "out" "rootless logs"
expect_eq "$(stat -c %u "$ST/containers/$id/upper/mine")" "$UID_" "container root's file is the user's on the host"
expect_eq "$(stat -c %u "$ST/containers/$id/upper/byroot")" "3000999" "container uid 1000 is subordinate ID 3000999 on the host"
expect_rc 0 as_user rm -f "$id"
expect_eq "$(ls -A "$ST/containers" | grep -v '^.names$' | wc -l)" "0" "rm leaves no container directory"
expect_eq "$(ls -A "$ST/tmp" | wc -l)" "0" "rm leaves nothing in tmp/"

# The user's doctor: subordinate IDs found, rootless cgroup warning on v1.
expect_rc 0 as_user doctor
expect_contains "$OUT" "$U has 65536 IDs in /etc/subuid" "doctor sees the user's range"

# Bad input: rootless --uidmap is not built yet (one line + hint, 125).
expect_rc 125 as_user run --rm --uidmap 0:1:1 $B true
expect_contains "$ERR" "only the default user namespace is built for rootless containers" "rootless --uidmap refused"
expect_contains "$ERR" "hint:" "with a hint"

# Without subordinate IDs: only the user is mapped, with a warning.
sed -i "/^$U:/d" /etc/subuid /etc/subgid
expect_rc 0 as_user run --rm $B cat /proc/self/uid_map
expect_eq "$(tr -s ' ' <<<"$OUT" | sed 's/^ //')" "0 $UID_ 1" "no subordinate IDs: a single-ID map"
expect_contains "$ERR" "only your own ID is mapped" "…with a warning naming the fix"
