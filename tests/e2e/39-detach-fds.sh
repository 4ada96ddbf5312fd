#!/usr/bin/env bash
# 39-detach-fds.sh - `run -d` returns at once and holds none of the
# caller's fds: reading its stdout+stderr to EOF (as $(...) does) must not
# wait for the container, with or without --explain.
. "$(dirname "$0")/lib.sh"
need_root
img=localhost/containr/busybox
for explain in "" --explain; do
	start=$(date +%s)
	out=$(timeout 20 "$CTR" $explain run -d "$img" sleep 60 2>&1); rc=$?
	expect_eq "$rc" 0 "run -d $explain returned (did not wait for the container)"
	id=$(printf '%s\n' "$out" | tail -n1)
	[ $(( $(date +%s) - start )) -lt 20 ] || fail "run -d $explain held the pipe"
	expect_eq "$("$CTR" inspect -f '{{.State.Status}}' "$id")" running "container $explain still running"
	"$CTR" rm -f "$id" >/dev/null
done
