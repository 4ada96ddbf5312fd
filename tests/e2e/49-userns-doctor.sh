#!/bin/bash
# containr doctor: every check read from a fake root (CONTAINR_DOCTOR_ROOT),
# first healthy, then each prerequisite broken on purpose: the line says
# warn/FAIL with the fix, and a FAIL makes the exit status 1.
. "$(dirname "$0")/lib.sh"

F=$E2E_TMP/fake
good() {
	rm -rf "$F"
	mkdir -p "$F"/proc/sys/{user,kernel,net/ipv4} "$F"/etc "$F"/usr/bin "$F"/proc/self \
		"$F"/sys/fs/cgroup/user.slice/user-1000.slice
	echo 15000 >"$F"/proc/sys/user/max_user_namespaces
	echo 1 >"$F"/proc/sys/kernel/unprivileged_userns_clone
	echo 6.1.0-13-amd64 >"$F"/proc/sys/kernel/osrelease
	echo "0 2147483647" >"$F"/proc/sys/net/ipv4/ping_group_range
	echo 80 >"$F"/proc/sys/net/ipv4/ip_unprivileged_port_start
	printf 'root:x:0:0:root:/root:/bin/sh\nalice:x:1000:1000::/home/alice:/bin/sh\n' >"$F"/etc/passwd
	echo alice:100000:65536 >"$F"/etc/subuid
	echo alice:100000:65536 >"$F"/etc/subgid
	: >"$F"/usr/bin/newuidmap; : >"$F"/usr/bin/newgidmap
	chmod 4755 "$F"/usr/bin/newuidmap "$F"/usr/bin/newgidmap
	echo "cpu memory pids" >"$F"/sys/fs/cgroup/cgroup.controllers
	echo "0::/user.slice/user-1000.slice" >"$F"/proc/self/cgroup
	echo "cpu memory pids" >"$F"/sys/fs/cgroup/user.slice/user-1000.slice/cgroup.subtree_control
	chown 1000 "$F"/sys/fs/cgroup/user.slice/user-1000.slice
}
doc() { CONTAINR_DOCTOR_ROOT=$F "$CTR" doctor --user alice; }
# line NAME: the check's line of the last run
line() { grep -E "^[a-zA-Z]+ +$1 " <<<"$OUT"; }

good
expect_rc 0 doc
expect_eq "$(grep -c '^ok ' <<<"$OUT")" 12 "a healthy fake root: 12 checks, all ok"
expect_contains "$OUT" "for alice (uid 1000)" "checks are for the named user"

# breaks: <check> <status> <needle in the line> <exit status> <command that breaks it>
breaks() {
	local name=$1 status=$2 needle=$3 rc=$4; shift 4
	good; eval "$*"
	expect_rc "$rc" doc
	local l; l=$(line "$name")
	expect_contains "$l" "$status" "$name broken ($*): $status"
	expect_contains "$l" "$needle" "$name: the line names the fix"
	[ "$rc" = 1 ] && expect_contains "$ERR" "containr: doctor: 1 check failed" "one failure counted"
	return 0
}
breaks userns FAIL "sysctl -w user.max_user_namespaces=15000" 1 'echo 0 >$F/proc/sys/user/max_user_namespaces'
breaks userns FAIL "CONFIG_USER_NS" 1 'rm $F/proc/sys/user/max_user_namespaces'
breaks userns-clone FAIL "kernel.unprivileged_userns_clone=1" 1 'echo 0 >$F/proc/sys/kernel/unprivileged_userns_clone'
breaks userns-clone FAIL "apparmor_restrict_unprivileged_userns=0" 1 'echo 1 >$F/proc/sys/kernel/apparmor_restrict_unprivileged_userns'
breaks newuidmap FAIL "apt-get install uidmap" 1 'rm $F/usr/bin/newuidmap'
breaks newgidmap FAIL "chmod u+s /usr/bin/newgidmap" 1 'chmod 755 $F/usr/bin/newgidmap'
breaks subuid FAIL "usermod --add-subuids 100000-165535 alice" 1 'echo bob:100000:65536 >$F/etc/subuid'
breaks subgid FAIL "fewer than 65536" 1 'echo alice:100000:1000 >$F/etc/subgid'
breaks subid-overlap FAIL "alice and bob get disjoint ranges" 1 'echo bob:120000:65536 >>$F/etc/subuid'
breaks kernel-overlay warn "needs 5.11" 0 'echo 5.10.0-28-amd64 >$F/proc/sys/kernel/osrelease'
breaks kernel-idmap warn "chowned copy" 0 'echo 5.11.22 >$F/proc/sys/kernel/osrelease'
breaks cgroup warn "cgroup v1: no delegation to users, rootless limits are NOT applied" 0 'rm $F/sys/fs/cgroup/cgroup.controllers'
breaks cgroup warn "not delegated to alice" 0 'chown 0 $F/sys/fs/cgroup/user.slice/user-1000.slice'
breaks cgroup warn "memory/pids are not enabled" 0 'echo cpu >$F/sys/fs/cgroup/user.slice/user-1000.slice/cgroup.subtree_control'
breaks ping warn 'ping_group_range="0 2147483647"' 0 'echo "1 0" >$F/proc/sys/net/ipv4/ping_group_range'
breaks low-ports warn "ip_unprivileged_port_start=80" 0 'echo 1024 >$F/proc/sys/net/ipv4/ip_unprivileged_port_start'

# Two failures at once are both reported and counted.
good; echo 0 >"$F"/proc/sys/user/max_user_namespaces; rm "$F"/etc/subgid
expect_rc 1 doc
expect_contains "$ERR" "2 checks failed" "two failures counted"

# Root: subordinate IDs are the `containers` pool, and missing ones only warn.
good
expect_rc 0 env CONTAINR_DOCTOR_ROOT="$F" "$CTR" doctor --user root
expect_contains "$(line subuid)" "echo containers:100000000:1000000000 >> /etc/subuid" "root: the auto pool's fix"
expect_contains "$(line newuidmap)" "ok" "root: helper present"
rm "$F"/usr/bin/newuidmap
expect_rc 0 env CONTAINR_DOCTOR_ROOT="$F" "$CTR" doctor --user root
expect_contains "$(line newuidmap)" "warn" "root: a missing newuidmap only warns"

# Unknown user: one line + hint.
expect_rc 1 env CONTAINR_DOCTOR_ROOT="$F" "$CTR" doctor --user nosuch
expect_contains "$ERR" "containr: doctor: no user nosuch in $F/etc/passwd" "unknown user"
expect_contains "$ERR" "hint:" "with a hint"

# The real host answers too (as root): no FAIL expected on this machine's kernel.
expect_rc 0 "$CTR" doctor
expect_contains "$OUT" "kernel-idmap" "real host: all checks printed"
