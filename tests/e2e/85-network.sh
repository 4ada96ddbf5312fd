#!/usr/bin/env bash
# Networks for real: user networks with their bridges, two containers
# talking by IP, isolation between networks, -p from the host's loopback,
# from a client network namespace (the container sees the client's
# address), hairpin, the spoofed-127.0.0.1 drop (moby#41872), port ranges,
# ports in use, bad -p, overlapping subnets, removing a network in use,
# teardown after stop/--rm/kill -9 of the monitor, `network reload` after
# the table is flushed, and a simulated reboot.  Everything made on the
# host (bridges, veths, a client netns, the root's nft table) is removed.
. "$(dirname "$0")/lib.sh"
need_root
command -v nft >/dev/null || fail "nft is not installed (make deps)"
IMG=localhost/containr/busybox
T=$$
NS=ctrt$T
HV=ctv${T}h
on_exit "ip netns del $NS"
on_exit "ip link del $HV"
rp() { echo $((20000 + RANDOM % 9000)); }

# ---- network objects -----------------------------------------------------------
expect_rc 0 "$CTR" network create n1
n1id=$OUT
[[ "$n1id" =~ ^[0-9a-f]{64}$ ]] || fail "network create prints the id: $n1id"
ok "network create prints the id"
sub1=$("$CTR" network inspect -f '{{(index .IPAM.Config 0).Subnet}}' n1)
gw1=$("$CTR" network inspect -f '{{(index .IPAM.Config 0).Gateway}}' n1)
br1=$("$CTR" network inspect -f '{{index .Options "com.docker.network.bridge.name"}}' n1)
ip -br addr show dev "$br1" | grep -q "$gw1/" || fail "bridge $br1 has no $gw1"
ok "bridge $br1 carries the gateway $gw1 of $sub1"
ip route | grep -v "dev $br1" | grep -q "^${sub1%/*}" && fail "subnet $sub1 overlaps a host route"
ok "the picked subnet overlaps no host route"
expect_rc 0 "$CTR" network create n2
sub2=$("$CTR" network inspect -f '{{(index .IPAM.Config 0).Subnet}}' n2)
[ "$sub1" != "$sub2" ] || fail "two networks share $sub1"
ok "a second network gets another subnet ($sub2)"
expect_rc 1 "$CTR" network create --subnet "$sub1" n3
expect_contains "$ERR" "overlaps network n1" "overlapping subnet refused"
expect_contains "$ERR" "hint:" "overlapping subnet has a hint"
expect_rc 1 "$CTR" network create --subnet 10.1.2.3/16 n3
expect_contains "$ERR" "did you mean 10.1.0.0/16" "host bits in a subnet refused"
expect_eq "$("$CTR" network ls -q -f name=n3)" "" "nothing left by refused creates"
expect_rc 0 "$CTR" network ls --format '{{.Name}} {{.Driver}}'
expect_contains "$OUT" "bridge bridge" "the default network is listed"
expect_contains "$OUT" "n1 bridge" "n1 is listed"

# ---- two containers on n1 reach each other; n2 is isolated from n1 ---------------
expect_rc 0 "$CTR" run -d --name a --network n1 "$IMG" sleep 300
ipa=$("$CTR" inspect -f '{{.NetworkSettings.Networks.n1.IPAddress}}' a)
case "$ipa" in "${sub1%.*}".*) ok "a has an address of n1: $ipa" ;; *) fail "a's address: '$ipa'" ;; esac
expect_rc 0 "$CTR" run --rm --network n1 "$IMG" ping -c1 -W2 "$ipa"
expect_rc 0 "$CTR" run --rm --network n1 --hostname hh "$IMG" sh -c 'grep -E "^[0-9.]+	hh$" /etc/hosts && ip route | grep -q "^default via '"$gw1"'"'
ok "/etc/hosts names the container's address and hostname; default route via the gateway"
expect_rc 1 "$CTR" run --rm --network n2 "$IMG" ping -c1 -W1 "$ipa"
ok "n2 cannot reach a container of n1 (isolation)"
expect_rc 125 "$CTR" run --rm --network n1 --ip 10.255.255.5 "$IMG" true
expect_contains "$ERR" "not a host address of n1" "--ip outside the subnet refused"
expect_rc 125 "$CTR" run --rm --network nosuch "$IMG" true
expect_contains "$ERR" "network nosuch not found" "unknown network refused"
expect_rc 1 "$CTR" network rm n1
expect_contains "$ERR" "in use by 1 container" "removing a network in use refused"

# ---- publishing ------------------------------------------------------------------
www=$E2E_TMP/www
mkdir -p "$www/cgi-bin"
echo hello-web >"$www/index.html"
# busybox httpd gives REMOTE_ADDR as [::ffff:a.b.c.d]
printf '#!/bin/sh\necho "Content-Type: text/plain"\necho\na=${REMOTE_ADDR#\\[::ffff:}\necho "${a%%]}"\n' >"$www/cgi-bin/ip"
chmod +x "$www/cgi-bin/ip"
P1=$(rp); P2=$((P1 + 1)); PR=$((P1 + 2))
expect_rc 0 "$CTR" run -d --name web --network n1 -p $P1:80 -p 127.0.0.1:$P2:80 \
	-p $PR-$((PR + 1)):80-81 -v "$www:/www" "$IMG" httpd -f -p 80 -h /www
wait_until 5 curl -fs -m1 "http://127.0.0.1:$P1/" || fail "no answer on 127.0.0.1:$P1"
expect_eq "$(curl -fs -m2 "http://127.0.0.1:$P1/")" "hello-web" "published port answers on the host's loopback"
expect_eq "$(curl -fs -m2 "http://127.0.0.1:$P2/")" "hello-web" "127.0.0.1-bound port answers on loopback"
expect_eq "$(curl -fs -m2 "http://127.0.0.1:$PR/")" "hello-web" "first port of a range answers"
expect_rc 0 "$CTR" port web
expect_contains "$OUT" "80/tcp -> 0.0.0.0:$P1" "port lists the mapping"
expect_contains "$OUT" "81/tcp -> 0.0.0.0:$((PR + 1))" "port lists the range's second port"
expect_rc 0 "$CTR" port web 80/tcp
expect_contains "$OUT" "127.0.0.1:$P2" "port CTR 80/tcp"
expect_rc 0 "$CTR" ps --format '{{.Ports}}' -f name=web
expect_contains "$OUT" "0.0.0.0:$P1->80/tcp" "ps PORTS column"
expect_contains "$OUT" "0.0.0.0:$PR-$((PR + 1))->80-81/tcp" "ps PORTS collapses a range"
hp=$("$CTR" inspect -f '{{(index (index .NetworkSettings.Ports "80/tcp") 0).HostPort}}' web)
expect_eq "$hp" "$P1" "inspect NetworkSettings.Ports"
table=$("$CTR" network explain n1 | sed -n 's/^table inet \([a-z0-9_]*\) {$/\1/p')
[ -n "$table" ] || fail "network explain shows no table"
ok "network explain shows the table inet $table"
n=$(nft -j list map inet "$table" pub_any | python3 -c 'import json,sys; print(sum(len(x["map"].get("elem",[])) for x in json.load(sys.stdin)["nftables"] if "map" in x))')
expect_eq "$n" 3 "a range is elements of one map (3 elements for $P1 and $PR-$((PR + 1)))"

# a remote client: a netns with a veth to the host
sub=$((T % 200 + 20))
ip netns add "$NS"
ip link add "$HV" type veth peer name eth0 netns "$NS"
ip addr add 10.254.$sub.1/30 dev "$HV"
ip link set "$HV" up
ip -n "$NS" addr add 10.254.$sub.2/30 dev eth0
ip -n "$NS" link set eth0 up
ip -n "$NS" link set lo up
ip -n "$NS" route add default via 10.254.$sub.1
got=$(ip netns exec "$NS" curl -fs -m3 "http://10.254.$sub.1:$P1/cgi-bin/ip")
expect_eq "$got" "10.254.$sub.2" "a remote client reaches the port and the container sees its address"
expect_rc 7 ip netns exec "$NS" curl -fs -m2 "http://10.254.$sub.1:$P2/"
ok "a 127.0.0.1-bound port is not reachable from another host"
# a spoofed packet to 127.0.0.1:P2 arriving on the veth must be dropped before NAT
# Summed over every containr table's raw_pre: parallel test roots each have
# one, and whichever runs first at the same priority drops the packet.
drops() {
	nft -j list chains inet | python3 -c 'import json,sys
print(" ".join(c["chain"]["table"] for c in json.load(sys.stdin)["nftables"]
               if "chain" in c and c["chain"]["name"] == "raw_pre"
               and c["chain"]["table"].startswith("containr")))' | tr " " "\n" |
		while read -r t; do
			[ -n "$t" ] && nft -j list chain inet "$t" raw_pre 2>/dev/null
		done | python3 -c 'import json,sys
n = 0
for line in sys.stdin.read().replace("}{", "}\n{").splitlines():
    try: doc = json.loads(line)
    except ValueError: continue
    n += sum(e["counter"]["packets"] for r in doc["nftables"] if "rule" in r
             for e in r["rule"]["expr"] if "counter" in e)
print(n)'
}
hvmac=$(cat /sys/class/net/$HV/address)
before=$(drops)
ip netns exec "$NS" python3 - "$hvmac" "$P2" <<'PY'
import socket, struct, sys
mac = bytes.fromhex(sys.argv[1].replace(":", "")); dport = int(sys.argv[2])
def csum(b):
    if len(b) % 2: b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b)); s = (s >> 16) + (s & 0xffff); s += s >> 16
    return (~s) & 0xffff
src, dst = socket.inet_aton("10.254.0.2"), socket.inet_aton("127.0.0.1")
tcp = struct.pack("!HHIIBBHHH", 40000, dport, 1, 0, 5 << 4, 0x02, 65535, 0, 0)
tcp = tcp[:16] + struct.pack("!H", csum(src + dst + struct.pack("!BBH", 0, 6, len(tcp)) + tcp)) + tcp[18:]
ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp), 1, 0, 64, 6, 0, src, dst)
ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind(("eth0", 0))
s.send(mac + bytes(6) + b"\x08\x00" + ip + tcp)
PY
sleep 0.3
after=$(drops)
[ "$after" -gt "$before" ] || fail "the spoofed 127.0.0.1 packet was not dropped ($before -> $after)"
ok "a spoofed packet to 127.0.0.1 from outside is dropped before NAT (moby#41872)"
# hairpin: a container -> a host address -> the published port -> web
# (busybox-static's wget crashes in containers: nc speaks HTTP/1.0 instead)
expect_rc 0 "$CTR" run --rm --network n1 "$IMG" sh -c "printf 'GET / HTTP/1.0\r\n\r\n' | nc -w 3 10.254.$sub.1 $P1"
expect_contains "$OUT" "hello-web" "hairpin: container -> host address -> published port"

# ports already taken; bad -p
expect_rc 125 "$CTR" run -d --name web2 --network n1 -p $P1:80 "$IMG" true
expect_contains "$ERR" "already published by another container" "a host port published twice is refused"
python3 -c 'import socket,time,sys; s=socket.socket(); s.bind(("0.0.0.0",int(sys.argv[1]))); s.listen(); time.sleep(30)' $((P1 + 5)) &
busy=$!
on_exit "kill $busy"
wait_until 5 sh -c "ss -ltn | grep -q ':$((P1 + 5)) '" || fail "the busy port listener did not start"
expect_rc 125 "$CTR" run -d --name web3 --network n1 -p $((P1 + 5)):80 "$IMG" true
expect_contains "$ERR" "in use by a host process" "a port bound by a host process is refused"
expect_contains "$ERR" "hint:" "port in use has a hint"
kill $busy
expect_rc 125 "$CTR" run --rm --network n1 -p 80:abc "$IMG" true
expect_contains "$ERR" "invalid publish \"80:abc\"" "malformed -p refused"
expect_contains "$ERR" "hint:" "malformed -p has a hint"
leases=$(cat "$CONTAINR_ROOT"/networks/*/leases.json | grep -c '"Container"')
expect_eq "$leases" 2 "refused runs leave no lease (only a and web)"
"$CTR" rm -f web2 web3 >/dev/null 2>&1

# -P publishes --expose'd ports on random host ports
expect_rc 0 "$CTR" run -d --name pall --network n1 -P --expose 80 -v "$www:/www" "$IMG" httpd -f -p 80 -h /www
expect_rc 0 "$CTR" port pall 80
rport=${OUT##*:}
[ "$rport" -ge 32768 ] && [ "$rport" -le 60999 ] || fail "-P host port $rport outside 32768-60999"
wait_until 5 curl -fs -m1 "http://127.0.0.1:$rport/" || fail "-P port $rport does not answer"
ok "-P --expose 80 publishes on a random port ($rport) that answers"
expect_rc 0 "$CTR" rm -f pall

# ---- reload after the table is flushed; teardown ---------------------------------
nft flush table inet "$table"
expect_rc 7 curl -fs -m1 "http://127.0.0.1:$P1/"
ok "with the table flushed the port is gone"
expect_rc 0 "$CTR" network reload
expect_eq "$(curl -fs -m2 "http://127.0.0.1:$P1/")" "hello-web" "network reload restores rules and elements"
wid=$("$CTR" inspect -f '{{.Id}}' web)
veth=$("$CTR" inspect -f '{{.NetworkSettings.EndpointID}}' web)
ip link show "$veth" >/dev/null 2>&1 || fail "no host veth $veth"
mon=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["MonitorPid"])' "$CONTAINR_ROOT/containers/$wid/state.json")
init=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["Pid"])' "$CONTAINR_ROOT/containers/$wid/state.json")
kill -9 "$mon"
kill -9 "$init"
wait_until 5 sh -c "! ip link show $veth" || fail "veth $veth outlived the container"
expect_rc 0 "$CTR" network ls
grep -q "$wid" "$CONTAINR_ROOT"/networks/*/leases.json && fail "lease of web left after kill -9 of its monitor"
n=$(nft -j list map inet "$table" pub_any | python3 -c 'import json,sys; print(sum(len(x["map"].get("elem",[])) for x in json.load(sys.stdin)["nftables"] if "map" in x))')
expect_eq "$n" 0 "no veth, lease or map element left after kill -9 of the monitor"

# stop, simulated reboot (bridge and table gone), start again
expect_rc 0 "$CTR" stop -t 1 a
grep -q '"Container"' "$CONTAINR_ROOT"/networks/$n1id/leases.json && fail "stop left a lease"
ok "stop releases the lease"
ip link del "$br1"
nft delete table inet "$table"
expect_rc 0 "$CTR" start a
expect_contains "$ERR" "was missing" "start says the table was missing"
ip link show "$br1" >/dev/null 2>&1 || fail "start did not recreate the bridge"
expect_rc 0 "$CTR" run --rm --network n1 "$IMG" ping -c1 -W2 "$("$CTR" inspect -f '{{.NetworkSettings.IPAddress}}' a)"
ok "after a simulated reboot, start recreates bridge and table"
expect_rc 0 "$CTR" rm -f a web
expect_rc 0 "$CTR" network rm n1 n2
ip link show "$br1" >/dev/null 2>&1 && fail "network rm left the bridge"
ok "network rm removes the bridge"
leftover=$(ip -br link | grep -c "^veth${wid:0:11}" || true)
expect_eq "$leftover" 0 "no veth left"
