#!/usr/bin/env bash
# Bad inputs give one clear line and Docker's exit statuses:
# 125 engine/usage of run, 126 not executable, 127 not found.
. "$(dirname "$0")/lib.sh"
need_root
R=$E2E_TMP/rootfs
make_busybox_rootfs "$R"

expect_rc 127 "$CTR" run --rm --rootfs "$R" nosuchcmd
expect_eq "$(printf '%s\n' "$ERR" | head -1)" 'containr: exec: "nosuchcmd": executable file not found in $PATH' "not found: 127"
expect_rc 127 "$CTR" run --rm --rootfs "$R" /no/such/file
expect_rc 126 "$CTR" run --rm --rootfs "$R" /etc/passwd
expect_contains "$ERR" "Permission denied" "not executable: 126"
expect_rc 125 "$CTR" run --rm --rootfs "$R"
expect_contains "$ERR" "no command specified" "missing command: 125"
expect_rc 125 "$CTR" run --rm --rootfs "$E2E_TMP/nope" true
expect_contains "$ERR" "not an existing directory" "missing rootfs: 125"
expect_rc 125 "$CTR" run --rm --name 'bad/name' --rootfs "$R" true
expect_contains "$ERR" "bad/name" "invalid name: 125"
expect_rc 125 "$CTR" run --rm --memory 12zz --rootfs "$R" true
expect_contains "$ERR" "memory" "bad memory size: 125"
expect_rc 125 "$CTR" run --rm --memory 1m --rootfs "$R" true
expect_contains "$ERR" "6MB" "memory below 6MB: 125"
expect_rc 125 "$CTR" run --rm --cap-add NOPE --rootfs "$R" true
expect_contains "$ERR" "unknown capability" "bad capability: 125"
expect_rc 125 "$CTR" run --rm --network bridge0 --rootfs "$R" true
expect_contains "$ERR" "network mode" "unsupported network: 125"
expect_rc 125 "$CTR" run --rm --stop-signal SIGNOPE --rootfs "$R" true
expect_rc 125 "$CTR" run --rm -w relative --rootfs "$R" true
expect_contains "$ERR" "absolute path" "relative workdir: 125"
expect_rc 125 "$CTR" run --rm --security-opt bogus --rootfs "$R" true
expect_contains "$ERR" "invalid --security-opt" "bad security-opt: 125"

expect_rc 0 "$CTR" create --name dup --rootfs "$R" true
expect_rc 125 "$CTR" run --name dup --rootfs "$R" true
expect_contains "$ERR" "dup" "name in use: 125"
expect_rc 0 "$CTR" rm dup

for cmd in start stop kill wait rm logs inspect; do
	expect_rc 1 "$CTR" $cmd no-such-container
	expect_contains "$ERR" "no such" "$cmd of an unknown container"
done
expect_rc 1 "$CTR" exec no-such-container true
expect_contains "$ERR" "no such container" "exec of an unknown container"
expect_rc 1 "$CTR" ps --filter bogus=1
expect_contains "$ERR" "invalid filter" "ps with a bad filter"
n=$(printf '%s\n' "$ERR" | grep -c '^containr:')
expect_eq "$n" "1" "the error is printed once"

# One rule for exit statuses (docs/ERRORS.md): a usage error is 125 for every
# command (as Docker's FlagErrorFunc); other failures 1, run/create 125.
expect_rc 125 "$CTR" run --bogus --rootfs "$R" true
expect_contains "$ERR" "unknown flag: --bogus" "run: unknown flag is 125"
expect_rc 125 "$CTR" run --rm --cpus abc --rootfs "$R" true
expect_contains "$ERR" 'invalid argument "abc" for "--cpus" flag' "run: bad typed value is 125"
expect_rc 125 "$CTR" exec
expect_contains "$ERR" "requires at least 2 arguments" "exec without arguments is 125"
expect_rc 125 "$CTR" ps --bogus
expect_rc 125 "$CTR" images --bogus
expect_rc 125 "$CTR" stop
expect_rc 125 "$CTR" nosuchcommand
expect_rc 1 "$CTR" ps --format '{{.Nope'
expect_rc 1 "$CTR" images --format '{{.Nope'
expect_rc 1 "$CTR" volume create 'bad/name'

# Several containers: each failure on its own line, the good ones still
# print their names, and the command fails (the "ghost" error is not lost).
expect_rc 0 "$CTR" run -d --name good --rootfs "$R" sleep 60
for cmd in "pause" "unpause" "stop -t 1" "start" "restart -t 1" "kill" "rm -f"; do
	expect_rc 1 "$CTR" $cmd good ghost
	expect_eq "$OUT" "good" "$cmd good ghost: the good one printed"
	expect_eq "$(printf '%s\n' "$ERR" | grep -c '^containr: no such container: ghost')" 1 "$cmd good ghost: the ghost error printed"
	expect_rc 1 "$CTR" $cmd ghost2 ghost
	expect_eq "$(printf '%s\n' "$ERR" | grep -c '^containr: no such container: ghost')" 2 "$cmd ghost2 ghost: both errors printed"
done
expect_eq "$("$CTR" ps -aq)" "" "rm -f good ghost removed good"

# A failed `run --rm` leaves nothing: no container, no directory, no
# cgroup, no anonymous volume.  Values are checked before anything is made
# (--cpus against the host's CPUs, as Docker); a failed start is removed.
ncpu=$(getconf _NPROCESSORS_ONLN)
cgp=e2e-rm-$$
on_exit "for d in /sys/fs/cgroup/*/$cgp /sys/fs/cgroup/unified/$cgp; do [ -d \"\$d\" ] && rmdir \"\$d\"; done 2>/dev/null; true"
nothing_left() {
	expect_eq "$("$CTR" ps -aq)" "" "$1: no container left"
	expect_eq "$(ls "$CONTAINR_ROOT/containers" | wc -l)" "0" "$1: no container directory left"
	expect_eq "$(ls -A "$CONTAINR_ROOT/containers/.names" 2>/dev/null | wc -l)" "0" "$1: no name left"
	expect_eq "$("$CTR" volume ls -q)" "" "$1: no volume left"
	expect_eq "$(find /sys/fs/cgroup/ -mindepth 2 -maxdepth 3 -path "*/$cgp/*" -type d 2>/dev/null | wc -l)" "0" "$1: no cgroup left"
}
expect_rc 125 "$CTR" run --rm --cgroup-parent "$cgp" --cpus 99 -v /data --rootfs "$R" true
expect_contains "$ERR" "range of CPUs is from 0.01 to $ncpu.00, as there are only $ncpu CPUs available" "--cpus above the host's CPUs"
nothing_left "--cpus 99"
expect_rc 125 "$CTR" run --rm --cgroup-parent "$cgp" --memory 1m -v /data --rootfs "$R" true
nothing_left "--memory 1m"
expect_rc 127 "$CTR" run --rm --cgroup-parent "$cgp" -v /data --rootfs "$R" nosuchcmd
nothing_left "command not found"
expect_rc 125 "$CTR" run --rm --cgroup-parent "$cgp" -v /data --mount type=bind,src=/etc/hostname,dst=/bin --rootfs "$R" true
expect_contains "$ERR" "is a directory" "a bad mount fails the start"
nothing_left "bad mount"
expect_rc 125 "$CTR" run --rm --cgroup-parent ../up -v /data --rootfs "$R" true
expect_contains "$ERR" 'invalid --cgroup-parent "../up"' "--cgroup-parent checked at create"
nothing_left "bad --cgroup-parent"
# A start that fails before the monitor runs (its --rootfs is gone).
R2=$E2E_TMP/rootfs2
cp -a "$R" "$R2"
expect_rc 0 "$CTR" create --rm --name crm --cgroup-parent "$cgp" -v /data --rootfs "$R2" true
rm -rf "$R2"
expect_rc 1 "$CTR" start crm
expect_contains "$ERR" "is not a directory" "start of a create --rm whose rootfs is gone fails"
nothing_left "start of a create --rm that fails"

# A Docker flag containr does not have yet is named as such (not "did you
# mean --rm?"), with what to do instead; a usage error: 125.
expect_rc 125 "$CTR" run --rm -p 8080:80 --rootfs "$R" true
expect_contains "$ERR" "-p/--publish (a flag of docker run) is not supported yet" "-p named as unsupported"
expect_not_contains "$ERR" "did you mean" "-p: no lookalike suggested"
expect_rc 125 "$CTR" run --rm -itp 8080:80 --rootfs "$R" true
expect_contains "$ERR" "-p/--publish" "-p inside a group of short flags"
for f in --publish=80 -P "--restart always" "--health-cmd true" "--add-host a:1.2.3.4" "--shm-size 64m" "--link db"; do
	expect_rc 125 "$CTR" create $f --rootfs "$R" true
	expect_contains "$ERR" "is not supported yet" "create $f: named as unsupported"
	expect_contains "$ERR" "hint: " "create $f: with a hint"
done
expect_rc 125 "$CTR" exec --detach-keys ctrl-x nosuch true
expect_contains "$ERR" "--detach-keys (a flag of docker exec) is not supported yet" "exec --detach-keys"
expect_rc 125 "$CTR" run --rn --rootfs "$R" true
expect_contains "$ERR" "did you mean --rm?" "a real typo still gets its suggestion"
expect_eq "$("$CTR" ps -aq)" "" "no container made by a refused flag"
