#!/usr/bin/env bash
# Run every end-to-end test (tests/e2e/NN-*.sh) against the real binary.
# Each script runs in its own process with a time limit; its output is shown
# only when it fails.  Prints "N passed, N failed" last; exits 1 if any failed.
#   tests/run-e2e.sh [PATTERN]     e.g. tests/run-e2e.sh 3   (only 3*.sh)
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
export CONTAINR_BIN=${CONTAINR_BIN:-$top/build/containr}
export CONTAINR_HELPER=${CONTAINR_HELPER:-$top/build/ctr-helper}
export CONTAINR_TOP=$top
limit=${E2E_TIMEOUT:-900}
pattern=${1:-}
pass=0 fail=0 failed=()
logdir=$(mktemp -d /tmp/containr-e2e.XXXXXX)
# The bridge tests turn on net.ipv4.ip_forward (the engine records and never
# resets it, as Docker); the suite puts the host's value back when it ends.
fwd=/proc/sys/net/ipv4/ip_forward
fwd_was=$(cat "$fwd" 2>/dev/null || true)
# Test roots get bridges named crXXXX-XXXXXXXX and tables inet containr_XXXXXXXX
# (docs/NETWORK.md); each test purges its own, and whatever a test that used
# several roots left behind is removed here (never containr0 / inet containr).
net_before=" $(ip -br link 2>/dev/null | awk '{print $1}' | tr '\n' ' ') $(nft list tables 2>/dev/null | awk '{print $3}' | tr '\n' ' ') "
restore_host() {
	local l t
	[ -n "$fwd_was" ] && echo "$fwd_was" >"$fwd" 2>/dev/null
	for l in $(ip -br link 2>/dev/null | awk '$1 ~ /^cr[0-9a-f]+-[0-9a-f]+$/ {print $1}'); do
		case "$net_before" in *" $l "*) ;; *) ip link del "$l" 2>/dev/null ;; esac
	done
	for t in $(nft list tables 2>/dev/null | awk '$2 == "inet" && $3 ~ /^containr_[0-9a-f]+$/ {print $3}'); do
		case "$net_before" in *" $t "*) ;; *) nft delete table inet "$t" 2>/dev/null ;; esac
	done
	return 0
}
trap restore_host EXIT
for t in "$here"/e2e/[0-9]*.sh; do
	[ -e "$t" ] || continue
	name=$(basename "$t" .sh)
	case "$name" in "$pattern"*) ;; *) continue ;; esac
	start=$(date +%s.%N)
	timeout --kill-after=10 "$limit" bash "$t" >"$logdir/$name.log" 2>&1 </dev/null
	rc=$?
	secs=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN{printf "%.1f", e-s}')
	if [ $rc -eq 0 ]; then
		pass=$((pass + 1))
		echo "PASS  $name (${secs}s)"
	else
		fail=$((fail + 1))
		failed+=("$name")
		echo "FAIL  $name (exit $rc, ${secs}s) -- output:"
		sed 's/^/    | /' "$logdir/$name.log" | tail -n 60
	fi
done
rm -rf "$logdir"
# The shared registry fixture (tests/e2e/lib-registry.sh) is stopped by its
# last user; remove its files too, unless another run is using it right now.
reg=${CONTAINR_TEST_REGISTRY:-/tmp/containr-e2e-registry}
if [ -d "$reg.users" ]; then
	(
		flock 9
		if [ -z "$(ls -A "$reg.users" 2>/dev/null)" ]; then
			"$top/tests/fixtures/registry/registry.sh" stop "$reg" >/dev/null 2>&1
			rm -rf "$reg" "$reg.users" "$reg.lock"
		fi
	) 9>"$reg.lock"
fi
[ ${#failed[@]} -gt 0 ] && echo "failed: ${failed[*]}"
echo "e2e: $pass passed, $fail failed"
[ $fail -eq 0 ]
