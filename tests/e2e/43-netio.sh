#!/usr/bin/env bash
# stats NET I/O: read from the container's own network namespace.  A veth
# pair is plugged in from the host (as a bridge network would), traffic is
# sent over it, and NET I/O must show exactly the bytes its interface
# counted; loopback traffic is not counted; --network host shows 0B / 0B.
. "$(dirname "$0")/lib.sh"
need_root
command -v ip >/dev/null || fail "iproute2 (ip) is needed"
command -v nsenter >/dev/null || fail "util-linux nsenter is needed"

R=$E2E_TMP/rootfs
make_busybox_rootfs "$R"
for l in "$R"/bin/*; do [ -L "$l" ] && ln -sf busybox "$l"; done
BB=$(command -v busybox)

expect_rc 0 "$CTR" run -d --name nio --network none --rootfs "$R" /bin/sleep 1000
on_exit "$CTR" rm -f nio
expect_rc 0 "$CTR" top nio -o pid,comm
pid=$(printf '%s\n' "$OUT" | awk '$2 == "sleep" {print $1; exit}')
[ -n "$pid" ] || fail "no pid for the container: $OUT"

expect_rc 0 "$CTR" stats --no-stream --format '{{.NetIO}}' nio
expect_eq "$OUT" "0B / 0B" "fresh namespace: no traffic"

h=c43h$$ c=c43c$$
ip link add "$h" type veth peer name "$c" || fail "cannot create a veth pair"
on_exit ip link del "$h"
ip link set "$c" netns "$pid"
ip addr add 10.98.43.1/24 dev "$h"
ip link set "$h" up
nsenter -t "$pid" -n ip addr add 10.98.43.2/24 dev "$c"
nsenter -t "$pid" -n ip link set "$c" up
wait_until 10 "$BB" ping -c 1 -W 1 10.98.43.2 || fail "no ping reply over the veth"
"$BB" ping -c 3 -W 1 10.98.43.2 >/dev/null || fail "ping failed"
ok "traffic sent into the container over a veth"

# what the container's interface counted, straight from its namespace
counters() { nsenter -t "$pid" -n cat /proc/net/dev | awk -v i="$c:" '$1 == i {print $2, $10}'; }
fmt() { awk -v r="$1" -v t="$2" 'function f(b) { if (b < 1000) return b "B";
	if (b < 1e6) return sprintf("%.3g", b / 1000) "kB"; return sprintf("%.3g", b / 1e6) "MB" }
	BEGIN { print f(r) " / " f(t) }'; }
# IPv6 neighbour discovery may add packets at any time: retry until the
# counters did not move while stats ran
stable_sample() {
	for _ in $(seq 10); do
		read -r rx tx < <(counters)
		netio=$("$CTR" stats --no-stream --format '{{.NetIO}}' nio)
		read -r rx2 tx2 < <(counters)
		[ "$rx" = "$rx2" ] && [ "$tx" = "$tx2" ] && return 0
	done
	fail "interface counters never stable"
}
stable_sample
[ "${rx:-0}" -gt 0 ] && [ "${tx:-0}" -gt 0 ] || fail "veth counters are zero"
expect_eq "$netio" "$(fmt "$rx" "$tx")" "NET I/O equals the container interface's rx / tx"

# loopback inside the container is not network I/O
nsenter -t "$pid" -n "$BB" ping -c 3 -W 1 127.0.0.1 >/dev/null 2>&1 || true
stable_sample
expect_eq "$netio" "$(fmt "$rx" "$tx")" "loopback traffic is not counted (only the veth's bytes)"

# --network host: Docker shows no network I/O
expect_rc 0 "$CTR" run -d --name nhost --network host --rootfs "$R" /bin/sleep 1000
on_exit "$CTR" rm -f nhost
expect_rc 0 "$CTR" stats --no-stream --format '{{.NetIO}}' nhost
expect_eq "$OUT" "0B / 0B" "--network host reports 0B / 0B"
