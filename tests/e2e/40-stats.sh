#!/usr/bin/env bash
# stats: a running container shows real usage (memory, pids, CPU %) read
# from its cgroup; the limit is the --memory given; json and table formats;
# streaming appends frames when stdout is not a terminal.
. "$(dirname "$0")/lib.sh"
need_root

R=$E2E_TMP/rootfs
make_busybox_rootfs "$R"
# busybox --install -s links to its absolute host path: relink inside the root
for l in "$R"/bin/*; do [ -L "$l" ] && ln -sf busybox "$l"; done

# a busy loop (CPU) that also holds a few MiB of memory (a shell variable)
expect_rc 0 "$CTR" run -d --name st1 --memory 64m --rootfs "$R" /bin/sh -c \
	'big=$(head -c 4000000 /dev/zero | tr "\0" x); i=0; while :; do i=$((i+1)); done'
id=$(printf '%s' "$OUT" | tail -n1)
on_exit "$CTR" rm -f st1
expect_eq "${#id}" 64 "run -d prints the full id"
# wait until the 4 MB string is built (memory is charged)
sleep 1

expect_rc 0 "$CTR" stats --no-stream --format json st1
j=$OUT
field() { printf '%s' "$j" | jq -r ".$1"; }
expect_eq "$(field Name)" "st1" "json Name"
expect_eq "$(field ID)" "${id:0:12}" "json ID is the short id"
expect_eq "$(field Container)" "st1" "json Container is the argument"
mem=$(field MemUsage)
expect_contains "$mem" " / 64MiB" "memory limit is --memory"
case "$mem" in 0B*) fail "memory usage is zero: $mem" ;; esac
ok "memory usage is non-zero ($mem)"
pids=$(field PIDs)
[ "$pids" -ge 1 ] || fail "PIDS is $pids"
ok "pids >= 1 ($pids)"
cpu=$(field CPUPerc)
[ "$cpu" != "0.00%" ] || fail "a busy loop shows 0.00% CPU"
ok "busy loop has CPU % ($cpu)"
expect_contains "$(field NetIO)" " / " "net io column"
expect_contains "$(field BlockIO)" " / " "block io column"

# the memory shown is what the cgroup says (v1 or v2 file), minus cache
cg=$(jq -r '.CgroupPath // empty' "$CONTAINR_ROOT/containers/$id/state.json")
[ -n "$cg" ] || cg=containr/$id
if [ -d /sys/fs/cgroup/memory ]; then
	lim=$(cat "/sys/fs/cgroup/memory/$cg/memory.limit_in_bytes")
else
	lim=$(cat "/sys/fs/cgroup/$cg/memory.max")
fi
expect_eq "$lim" 67108864 "kernel limit is 64 MiB"

# table: Docker's header and a row for the container
expect_rc 0 "$CTR" stats --no-stream
expect_contains "$OUT" "CONTAINER ID   NAME" "table header"
expect_contains "$OUT" "MEM USAGE / LIMIT" "table header memory"
expect_contains "$OUT" "${id:0:12}" "row has the short id"
expect_contains "$OUT" "st1" "row has the name"
expect_rc 0 "$CTR" stats --no-stream --no-trunc st1
expect_contains "$OUT" "$id" "--no-trunc shows the full id"

# streaming to a pipe: frames appended, no ANSI clear
out=$(timeout -s INT 3.5 "$CTR" stats st1 2>/dev/null)
frames=$(printf '%s\n' "$out" | grep -c '^CONTAINER ID')
[ "$frames" -ge 2 ] || fail "streaming printed $frames frames: $out"
ok "streaming appends frames ($frames)"
expect_not_contains "$out" $'\033[2J' "no screen clearing when not a tty"

# BLOCK I/O counts real disk writes (direct I/O bypasses the page cache)
expect_rc 0 "$CTR" run -d --name st3 --rootfs "$R" /bin/sh -c \
	'dd if=/dev/zero of=/tmp/blk bs=1M count=8 oflag=direct 2>/dev/null; sleep 1000'
on_exit "$CTR" rm -f st3
blkw() {
	"$CTR" stats --no-stream --format '{{.BlockIO}}' st3 | awk -F' / ' '{print $2}' |
		grep -Eq '^[1-9][0-9.]*MB$'
}
wait_until 20 blkw || fail "BLOCK I/O shows no writes: $("$CTR" stats --no-stream --format '{{.BlockIO}}' st3)"
ok "block I/O counts the 8 MB direct write ($("$CTR" stats --no-stream --format '{{.BlockIO}}' st3))"
expect_rc 0 "$CTR" rm -f st3

# a stopped container shows zeros with -a, and is not listed without it
expect_rc 0 "$CTR" run -d --name st2 --rootfs "$R" /bin/true
on_exit "$CTR" rm -f st2
wait_until 10 sh -c "! \"$CTR\" stats --no-stream --format json | grep -q '\"Name\":\"st2\"'" ||
	fail "exited st2 still listed without -a"
ok "stopped container not listed without -a"
expect_rc 0 "$CTR" stats --no-stream -a --format json
expect_contains "$OUT" '"Name":"st2"' "-a lists the stopped container"

expect_rc 1 "$CTR" stats --no-stream nosuchcontainer
expect_contains "$ERR" "nosuchcontainer" "unknown container named in the error"
# Go templates, as docker stats --format
expect_rc 0 "$CTR" stats --no-stream --format '{{.Name}}:{{.PIDs}}' st1
case "$OUT" in st1:[1-9]*) ok "plain template ($OUT)" ;; *) fail "template output: $OUT" ;; esac
expect_rc 0 "$CTR" stats --no-stream --format 'table {{.Name}}\t{{.MemPerc}}' st1
expect_contains "$(printf '%s\n' "$OUT" | head -n1)" "MEM %" "table template has Docker's header"
expect_contains "$OUT" "st1" "table template row"
expect_rc 1 "$CTR" stats --no-stream --format '{{.Name' st1
expect_contains "$ERR" "template" "template syntax error reported"
