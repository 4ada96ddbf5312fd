#!/bin/bash
# User namespaces as root: each --userns mode and --uidmap/--gidmap seen
# through /proc/self/uid_map inside; host ownership of what container root
# writes (upper dir, volume); auto ranges disjoint and reused after rm; exec
# joins the namespace; inspect shows the maps; bad input is one line + hint,
# exit 125 and leaves nothing behind.
. "$(dirname "$0")/lib.sh"
need_root
B=localhost/containr/busybox
"$CTR" image init-default >/dev/null 2>&1 || true
# The pool: the `containers` user's ranges (podman's convention), else containr's default.
U0=$(awk -F: '$1=="containers"{print $2; exit}' /etc/subuid 2>/dev/null)
G0=$(awk -F: '$1=="containers"{print $2; exit}' /etc/subgid 2>/dev/null)
[ -n "$U0" ] && [ -n "$G0" ] || { U0=100000000; G0=100000000; }
# the map as one line: "0 100000000 65536"
map() { tr -s ' \n' ' ' | sed 's/^ //; s/ $//'; }

expect_rc 0 "$CTR" run --rm $B cat /proc/self/uid_map
expect_eq "$(map <<<"$OUT")" "0 0 4294967295" "default: the host's user namespace"
expect_rc 0 "$CTR" run --rm --userns=host $B cat /proc/self/uid_map
expect_eq "$(map <<<"$OUT")" "0 0 4294967295" "--userns=host: the host's user namespace"

# --userns alone (followed by the image) = private: 65536 IDs of the pool.
expect_rc 0 "$CTR" run --rm --userns $B sh -c 'cat /proc/self/uid_map /proc/self/gid_map; id -u'
expect_eq "$(map <<<"$OUT")" "0 $U0 65536 0 $G0 65536 0" "--userns alone: private range, root inside"
expect_rc 0 "$CTR" run --rm --userns private $B cat /proc/self/uid_map
expect_eq "$(map <<<"$OUT")" "0 $U0 65536" "--userns private"
expect_rc 0 "$CTR" run --rm --userns=auto:size=1000 $B cat /proc/self/gid_map
expect_eq "$(map <<<"$OUT")" "0 $G0 1000" "--userns auto:size=1000"

# --uidmap repeatable; a --uidmap alone serves gids too; --gidmap separately.
expect_rc 0 "$CTR" run --rm --uidmap 0:300000:1000 --uidmap 1000:400000:10 $B \
	sh -c 'cat /proc/self/uid_map; echo; cat /proc/self/gid_map'
expect_eq "$(map <<<"$OUT")" "0 300000 1000 1000 400000 10 0 300000 1000 1000 400000 10" "--uidmap x2, gid map follows"
expect_rc 0 "$CTR" run --rm --uidmap 0:300000:65536 --gidmap 0:500000:65536 $B cat /proc/self/gid_map
expect_eq "$(map <<<"$OUT")" "0 500000 65536" "--gidmap separate"

# Host ownership: the upper dir and a volume get the mapped IDs.
"$CTR" volume create uv >/dev/null
expect_rc 0 "$CTR" run -d --name u1 --uidmap 0:300000:65536 -v uv:/data $B \
	sh -c 'echo r >/data/byroot; su app -c "echo a >/data/byapp" 2>/dev/null || chown 1000 /data/byroot2 2>/dev/null; echo u >/upfile; touch /data/ok; sleep 60'
wait_until 10 test -e "$CONTAINR_ROOT/volumes/uv/_data/ok" || fail "the container did not write its volume"
id1=$("$CTR" inspect -f '{{.Id}}' u1)
expect_eq "$(stat -c %u:%g "$CONTAINR_ROOT/volumes/uv/_data/byroot")" "300000:300000" "volume file of container root: mapped owner on the host"
expect_eq "$(stat -c %u:%g "$CONTAINR_ROOT/containers/$id1/upper/upfile")" "300000:300000" "upper-dir file of container root: mapped owner on the host"
expect_eq "$(stat -c %u "$CONTAINR_ROOT/containers/$id1/upper")" "300000" "the upper dir belongs to the mapped root"
expect_rc 0 "$CTR" exec u1 sh -c 'stat -c %u:%g /bin/busybox; echo x >/data/byexec'
expect_eq "$OUT" "0:0" "layers are idmapped: the image's root-owned files are root's inside"
expect_eq "$(stat -c %u "$CONTAINR_ROOT/volumes/uv/_data/byexec")" "300000" "exec writes as the mapped root too"
expect_rc 0 "$CTR" exec -u 1000 u1 sh -c 'echo y >/tmp/byuser; stat -c %u /tmp/byuser'
expect_eq "$OUT" "1000" "exec -u 1000 inside the namespace"
expect_eq "$(stat -c %u "$CONTAINR_ROOT/containers/$id1/upper/tmp/byuser")" "301000" "container uid 1000 is host uid 301000"

# -v vol:/d:idmap: on-disk IDs are the container's (host root's file is root's inside,
# container root writes on-disk 0); a plain bind of the same volume shows them unmapped.
"$CTR" volume create iv >/dev/null
echo host >"$CONTAINR_ROOT/volumes/iv/_data/hostfile"
expect_rc 0 "$CTR" run --rm --userns=auto -v iv:/d:idmap $B sh -c 'stat -c %u /d/hostfile; echo c >/d/byctr'
expect_eq "$OUT" "0" "idmapped volume: the host's root file is root's inside"
expect_eq "$(stat -c %u:%g "$CONTAINR_ROOT/volumes/iv/_data/byctr")" "0:0" "idmapped volume: container root writes on-disk 0"
expect_rc 0 "$CTR" run --rm --userns=auto -v iv:/d $B stat -c %u /d/hostfile
expect_eq "$OUT" "65534" "the same volume without idmap: host root is unmapped (nobody)"
H=$E2E_TMP/hostdir; mkdir -p "$H"
expect_rc 0 "$CTR" run --rm --uidmap 0:300000:65536 -v "$H":/h:idmap $B touch /h/f
expect_eq "$(stat -c %u "$H/f")" "0" "idmapped bind of a host path"

# exec joins the user namespace (and the maps are those of the init).
pid=$("$CTR" inspect -f '{{.State.Pid}}' u1)
expect_rc 0 "$CTR" exec u1 sh -c 'readlink /proc/self/ns/user; cat /proc/self/uid_map'
expect_eq "$(head -1 <<<"$OUT")" "$(readlink /proc/$pid/ns/user)" "exec is in the init's user namespace"
expect_eq "$(tail -n +2 <<<"$OUT" | map)" "0 300000 65536" "exec sees the same map"
expect_rc 0 "$CTR" inspect -f '{{.HostConfig.UsernsMode}} {{json .HostConfig.IDMappings}}' u1
expect_eq "$OUT" 'private {"UidMap":["0:300000:65536"],"GidMap":["0:300000:65536"]}' "inspect shows the mode and the maps"
"$CTR" rm -f u1 >/dev/null

# /proc, /sys, /dev, cgroups inside the namespace.
expect_rc 0 "$CTR" run --rm --userns=auto $B sh -c 'ls /sys/class/net; echo z >/dev/null && head -c1 /dev/zero | wc -c; ls /proc/1/ns/user >/dev/null && echo proc; ls /sys/fs/cgroup | head -1'
expect_contains "$OUT" "lo" "sysfs of the container's own netns"
expect_contains "$OUT" "proc" "/proc of the container's pid namespace"
[ -n "$(sed -n 4p <<<"$OUT")" ] || fail "no cgroup filesystem in the container"; ok "cgroups mounted"
expect_rc 0 "$CTR" run --rm --userns=auto --memory 32m $B sh -c 'cat /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null || cat /sys/fs/cgroup/memory.max'
expect_eq "$OUT" "33554432" "--memory applies to a userns container (the host places it in its cgroup)"

# --rootfs: one idmapped bind.
R=$E2E_TMP/rootfs; make_busybox_rootfs "$R"
expect_rc 0 "$CTR" run --rm --userns=auto:size=70000 --rootfs "$R" /bin/sh -c 'stat -c %u /bin/busybox; touch /tmp/r'
expect_eq "$OUT" "0" "--rootfs is idmapped: its root-owned files are root's inside"
expect_eq "$(stat -c %u "$R/tmp/r")" "0" "…and container root writes there as on-disk root (idmapped)"

# auto: two containers get disjoint ranges, rm gives them back, reused.
a=$("$CTR" run -d --userns=auto $B sleep 60)
b=$("$CTR" run -d --userns=auto:size=1000 $B sleep 60)
ua=$("$CTR" exec "$a" cat /proc/self/uid_map | map)
ub=$("$CTR" exec "$b" cat /proc/self/uid_map | map)
expect_eq "$ua" "0 $U0 65536" "first auto container: offset 0"
expect_eq "$ub" "0 $((U0 + 65536)) 1000" "second auto container: the next free range"
"$CTR" rm -f "$a" >/dev/null
c=$("$CTR" run -d --userns=auto:size=2000 $B sleep 60)
expect_eq "$("$CTR" exec "$c" cat /proc/self/uid_map | map)" "0 $U0 2000" "a removed container's range is reused"
"$CTR" rm -f "$b" "$c" >/dev/null
expect_eq "$(tr -d ' \t\n' <"$CONTAINR_ROOT/userns/auto.json")" "{}" "every range is released after rm"
# Concurrent `run --userns auto`: disjoint.
for i in 1 2 3 4; do "$CTR" run -d --name par$i --userns=auto $B sleep 60 >/dev/null & done; wait
starts=$(for i in 1 2 3 4; do "$CTR" inspect -f '{{index .HostConfig.IDMappings.UidMap 0}}' par$i; done | sort -u | wc -l)
expect_eq "$starts" "4" "four concurrent auto containers: four distinct ranges"
"$CTR" rm -f par1 par2 par3 par4 >/dev/null

# Bad input: one line + hint, exit 125, nothing left behind.
bad() {
	local want=$1; shift
	expect_rc 125 "$CTR" run --rm "$@" $B true
	expect_contains "$ERR" "$want" "refused: $*"
	expect_contains "$ERR" "hint:" "with a hint: $*"
	expect_eq "$(grep -c '^containr:' <<<"$ERR")" "1" "one error line: $*"
}
bad "overlaps 0:100000:10 on the container side" --uidmap 0:100000:10 --uidmap 5:200000:10
bad "overlaps 0:100000:10 on the host side" --uidmap 0:100000:10 --uidmap 100:100005:10
bad "passes the last ID" --uidmap 0:4294967290:10
bad "expected CONTAINER:HOST:SIZE" --uidmap 0:1
bad "keep-id is only for rootless containers" --userns keep-id
bad "nomap is only for rootless containers" --userns=nomap
bad "the pool holds" --userns auto:size=4000000000
bad "unknown mode" --userns=bogus
bad "--gidmap needs --uidmap" --gidmap 0:1:10
bad "cannot be used with --userns host" --userns host --uidmap 0:100000:10
bad "the idmap mount on /d needs a user namespace" -v iv:/d:idmap
expect_eq "$("$CTR" ps -aq | wc -l)" "0" "no container left behind"
expect_eq "$(tr -d ' \t\n' <"$CONTAINR_ROOT/userns/auto.json")" "{}" "no range left behind"
