#!/usr/bin/env bash
# top: lists exactly the container's processes from the host's ps, with
# default (-ef) and custom ps options.
. "$(dirname "$0")/lib.sh"
need_root

R=$E2E_TMP/rootfs
make_busybox_rootfs "$R"
# busybox --install -s links to its absolute host path: relink inside the root
for l in "$R"/bin/*; do [ -L "$l" ] && ln -sf busybox "$l"; done

expect_rc 0 "$CTR" run -d --name tp --rootfs "$R" /bin/sleep 1000
on_exit "$CTR" rm -f tp

expect_rc 0 "$CTR" top tp
expect_contains "$OUT" "UID" "ps -ef header (UID)"
expect_contains "$OUT" "PID" "ps -ef header (PID)"
expect_contains "$OUT" "sleep 1000" "the container's process is listed"
rows=$(printf '%s\n' "$OUT" | tail -n +2 | grep -c .)
expect_eq "$rows" 1 "only the container's process (not the host's)"
pid=$(printf '%s\n' "$OUT" | awk 'NR == 2 {print $2}')
expect_eq "$(tr '\0' ' ' <"/proc/$pid/cmdline")" "/bin/sleep 1000 " "the pid is the host pid of sleep"

expect_rc 0 "$CTR" top tp -o pid,comm,args
expect_contains "$(printf '%s\n' "$OUT" | head -n1)" "COMMAND" "custom ps columns"
expect_contains "$OUT" "$pid" "custom columns keep the pid"

expect_rc 1 "$CTR" top tp -o comm
expect_contains "$ERR" "PID" "ps options without a pid column are refused"

expect_rc 0 "$CTR" rm -f tp
expect_rc 1 "$CTR" top tp
