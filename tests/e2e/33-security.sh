#!/usr/bin/env bash
# Security: Docker's default capabilities, --cap-add/--cap-drop/ALL,
# --privileged, no_new_privs, the default seccomp profile (EPERM for
# unshare/mount), seccomp=unconfined and a JSON profile, users and groups,
# ulimits, LSM options refused clearly when the LSM is off.
. "$(dirname "$0")/lib.sh"
need_root
R=$E2E_TMP/rootfs
make_busybox_rootfs "$R"
cap() { printf '%s\n' "$OUT" | awk -v k="$1:" '$1 == k {print $2}'; }

expect_rc 0 "$CTR" run --rm --rootfs "$R" ctr-helper caps
expect_eq "$(cap CapEff)" "00000000a80425fb" "CapEff is Docker's default set"
expect_eq "$(cap CapBnd)" "00000000a80425fb" "bounding set is the default set"
expect_eq "$(cap CapInh)" "0000000000000000" "inheritable is empty"
expect_eq "$(cap NoNewPrivs)" "1" "no_new_privs set"
expect_eq "$(cap Seccomp)" "2" "seccomp filter loaded"

expect_rc 0 "$CTR" run --rm --rootfs "$R" --cap-drop ALL ctr-helper caps
expect_eq "$(cap CapEff)" "0000000000000000" "--cap-drop ALL: no capabilities"
expect_eq "$(cap CapBnd)" "0000000000000000" "--cap-drop ALL: empty bounding set"

expect_rc 0 "$CTR" run --rm --rootfs "$R" --cap-drop ALL --cap-add NET_ADMIN --cap-add cap_kill ctr-helper caps
expect_eq "$(cap CapEff)" "0000000000001020" "--cap-drop ALL --cap-add NET_ADMIN,KILL"
expect_rc 0 "$CTR" run --rm --rootfs "$R" --cap-drop CHOWN ctr-helper caps
expect_eq "$(cap CapEff)" "00000000a80425fa" "--cap-drop CHOWN"

host_bnd=$(awk '$1 == "CapBnd:" {print $2}' /proc/self/status)
expect_rc 0 "$CTR" run --rm --rootfs "$R" --privileged ctr-helper caps
expect_eq "$(cap CapEff)" "$host_bnd" "--privileged: every capability the host has"
expect_eq "$(cap Seccomp)" "0" "--privileged: no seccomp"
expect_eq "$(cap NoNewPrivs)" "0" "--privileged: no no_new_privs"
expect_rc 0 "$CTR" run --rm --rootfs "$R" --privileged --security-opt no-new-privileges ctr-helper caps
expect_eq "$(cap NoNewPrivs)" "1" "--security-opt no-new-privileges"

expect_rc 0 "$CTR" run --rm --rootfs "$R" ctr-helper seccomp-test
expect_eq "$OUT" "$(printf 'unshare: EPERM\nmount: EPERM')" "default: unshare and mount fail EPERM"
expect_rc 0 "$CTR" run --rm --rootfs "$R" --security-opt seccomp=unconfined ctr-helper seccomp-test
expect_eq "$OUT" "$(printf 'unshare: EPERM\nmount: EPERM')" "unconfined without CAP_SYS_ADMIN: still EPERM (capabilities)"
expect_rc 0 "$CTR" run --rm --rootfs "$R" --security-opt seccomp=unconfined --cap-add SYS_ADMIN ctr-helper seccomp-test
expect_eq "$OUT" "$(printf 'unshare: OK\nmount: OK')" "unconfined + SYS_ADMIN: unshare and mount work"
expect_rc 0 "$CTR" run --rm --rootfs "$R" --security-opt seccomp=unconfined ctr-helper caps
expect_eq "$(cap Seccomp)" "0" "seccomp=unconfined loads no filter"

cat >"$E2E_TMP/prof.json" <<'JSON'
{"defaultAction": "SCMP_ACT_ALLOW",
 "syscalls": [{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 13}]}
JSON
expect_rc 1 "$CTR" run --rm --rootfs "$R" --security-opt seccomp="$E2E_TMP/prof.json" mkdir /tmp/x
expect_contains "$ERR" "Permission denied" "a Docker JSON profile is applied (mkdir -> EACCES)"
echo '{"defaultAction": "SCMP_ACT_NOPE"}' >"$E2E_TMP/bad.json"
expect_rc 125 "$CTR" run --rm --rootfs "$R" --security-opt seccomp="$E2E_TMP/bad.json" true
expect_contains "$ERR" "unknown action SCMP_ACT_NOPE" "a bad profile is refused at create"

expect_rc 0 "$CTR" run --rm --rootfs "$R" -u app id
expect_eq "$OUT" "uid=1000(app) gid=1000(app) groups=1000(app),2000(extra)" "-u name with supplementary groups"
expect_rc 0 "$CTR" run --rm --rootfs "$R" -u 1000:2000 id
expect_eq "$OUT" "uid=1000(app) gid=2000(extra) groups=2000(extra)" "-u uid:gid"
expect_rc 0 "$CTR" run --rm --rootfs "$R" -u app ctr-helper caps
expect_eq "$(cap CapEff)" "0000000000000000" "non-root user: no effective capabilities"
expect_rc 0 "$CTR" run --rm --rootfs "$R" -u 4321 sh -c 'id -u; id -g'
expect_eq "$(echo $OUT)" "4321 0" "-u UID without a passwd entry: gid 0 (as Docker)"
expect_rc 125 "$CTR" run --rm --rootfs "$R" -u nosuchuser id
expect_contains "$ERR" "unable to find user nosuchuser" "unknown user"

expect_rc 0 "$CTR" run --rm --rootfs "$R" --ulimit nofile=512:1024 sh -c 'ulimit -n; ulimit -Hn'
expect_eq "$(echo $OUT)" "512 1024" "--ulimit nofile"
hard=$(ulimit -Hn)
expect_rc 0 "$CTR" run --rm --rootfs "$R" sh -c 'ulimit -n'
[ "$OUT" -le "$hard" ] || fail "default nofile $OUT exceeds the hard limit $hard"
ok "default nofile clamped to the hard limit ($OUT)"
expect_rc 125 "$CTR" run --rm --rootfs "$R" --ulimit bogus=1 true
expect_contains "$ERR" "invalid ulimit type" "bad ulimit name"

if [ ! -e /sys/kernel/security/apparmor ]; then
	expect_rc 125 "$CTR" run --rm --rootfs "$R" --security-opt apparmor=docker-default true
	expect_contains "$ERR" "AppArmor is not enabled" "apparmor refused when not enabled"
fi
if [ ! -e /sys/fs/selinux/enforce ]; then
	expect_rc 125 "$CTR" run --rm --rootfs "$R" --security-opt label=type:foo_t true
	expect_contains "$ERR" "SELinux is not enabled" "label refused when SELinux is off"
fi
