#!/usr/bin/env bash
# --tmpfs / --mount type=tmpfs are real tmpfs mounts of the requested size
# and mode, empty on every start; anonymous volumes (-v /path) are removed
# by rm -v and by --rm, kept by a plain rm; inspect shows Docker's Mounts.
. "$(dirname "$0")/lib.sh"
need_root

R=$E2E_TMP/rootfs
make_busybox_rootfs "$R"
# busybox --install -s links to its absolute host path: relink inside the root
for l in "$R"/bin/*; do [ -L "$l" ] && ln -sf busybox "$l"; done

# --tmpfs: type, size (df, 1K blocks) and mode
expect_rc 0 "$CTR" run --rm --tmpfs /scratch:size=2m,mode=1770 --rootfs "$R" /bin/sh -c \
	'grep " /scratch " /proc/mounts; df -k /scratch | tail -n1; stat -c %a /scratch'
expect_contains "$OUT" "tmpfs /scratch tmpfs" "--tmpfs is a tmpfs"
expect_contains "$OUT" "size=2048k" "--tmpfs has the requested size"
expect_contains "$OUT" "mode=1770" "--tmpfs has the requested mode"
size=$(printf '%s\n' "$OUT" | awk 'NR==2 {print $2}')
expect_eq "$size" "2048" "df sees a 2 MiB tmpfs"
expect_contains "$OUT" "noexec" "--tmpfs is noexec by default"
expect_rc 0 "$CTR" run --rm --mount type=tmpfs,dst=/t,tmpfs-size=1m,tmpfs-mode=700 --rootfs "$R" \
	/bin/sh -c 'df -k /t | tail -n1; stat -c %a /t'
expect_contains "$OUT" " 1024 " "--mount type=tmpfs,tmpfs-size=1m"
expect_contains "$OUT" "700" "--mount tmpfs-mode"
# the size is enforced
expect_rc 1 "$CTR" run --rm --tmpfs /t:size=1m --rootfs "$R" /bin/sh -c \
	'dd if=/dev/zero of=/t/big bs=1k count=2048'
expect_contains "$ERR" "No space left on device" "writing past the tmpfs size fails"

# empty on the next start
expect_rc 0 "$CTR" run --name tm --tmpfs /scratch --rootfs "$R" /bin/sh -c \
	'ls /scratch | wc -l; touch /scratch/was-here'
on_exit "$CTR" rm -f tm
expect_eq "$(echo $OUT)" "0" "tmpfs empty on the first start"
expect_rc 0 "$CTR" start -a tm
expect_eq "$(echo $OUT)" "0" "tmpfs empty again on the next start"

# anonymous volumes: rm -v removes them, plain rm keeps them, --rm removes them
expect_rc 0 "$CTR" run --name an1 -v /anon --rootfs "$R" /bin/sh -c 'echo a >/anon/f'
expect_rc 0 "$CTR" inspect an1
vol=$(printf '%s' "$OUT" | python3 -c '
import json,sys
m=json.load(sys.stdin)[0]["Mounts"][0]
print(m["Type"], m["Destination"], m["Driver"], m["RW"], m["Name"])')
read -r t d drv rw name <<<"$vol"
expect_eq "$t $d $drv $rw" "volume /anon local True" "inspect Mounts: Type, Destination, Driver, RW"
[[ "$name" =~ ^[0-9a-f]{64}$ ]] || fail "anonymous volume name: $name"
ok "anonymous volume has a 64-hex name"
expect_rc 0 "$CTR" volume inspect "$name"
expect_contains "$OUT" "containr.volume.anonymous" "anonymous volume is labelled"
expect_rc 0 "$CTR" rm -v an1
[ -e "$CONTAINR_ROOT/volumes/$name" ] && fail "rm -v kept the anonymous volume"
ok "rm -v removes the anonymous volume"

expect_rc 0 "$CTR" run --name an2 -v /anon -v keepme:/k --rootfs "$R" /bin/true
name2=$("$CTR" volume ls -q -f label=containr.volume.anonymous)
[ -n "$name2" ] || fail "no anonymous volume for an2"
expect_rc 0 "$CTR" rm an2
expect_rc 0 "$CTR" volume ls -q
expect_contains "$OUT" "$name2" "plain rm keeps the anonymous volume (as Docker)"
expect_contains "$OUT" "keepme" "named volume kept"
expect_rc 0 "$CTR" volume prune -f
expect_contains "$OUT" "$name2" "prune removes the orphaned anonymous volume"
expect_rc 0 "$CTR" volume ls -q
expect_eq "$OUT" "keepme" "prune without -a keeps named volumes"

before=$("$CTR" volume ls -q | wc -l)
expect_rc 0 "$CTR" run --rm -v /anon3 -v keepme:/k --rootfs "$R" /bin/sh -c 'echo x >/anon3/f'
wait_until 10 sh -c "[ \$('$CTR' volume ls -q | wc -l) -eq $before ]" ||
	fail "--rm left the anonymous volume behind: $("$CTR" volume ls -q)"
ok "--rm removes the anonymous volume"
expect_rc 0 "$CTR" volume ls -q
expect_eq "$OUT" "keepme" "--rm keeps named volumes"

# local driver options: a tmpfs-backed volume and a bind-backed volume
expect_rc 0 "$CTR" volume create -o type=tmpfs -o device=tmpfs -o o=size=3m,mode=770 tv
expect_rc 0 "$CTR" run --rm -v tv:/x --rootfs "$R" /bin/sh -c 'grep " /x " /proc/mounts; df -k /x | tail -n1'
expect_contains "$OUT" "tmpfs /x tmpfs" "type=tmpfs volume is a tmpfs"
expect_contains "$OUT" " 3072 " "type=tmpfs volume has o=size"
B=$E2E_TMP/bindvol
mkdir -p "$B"
expect_rc 0 "$CTR" volume create -o type=none -o o=bind -o device="$B" bv
expect_rc 0 "$CTR" run --rm -v bv:/b --rootfs "$R" /bin/sh -c 'echo through-volume >/b/f'
expect_eq "$(cat "$B/f")" "through-volume" "type=none,o=bind volume writes to its device directory"
