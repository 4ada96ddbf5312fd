#!/usr/bin/env bash
# 47-etc-files: /etc/hostname, /etc/hosts and /etc/resolv.conf as Docker makes
# them: files of the container bind-mounted in, localhost resolvable on lo,
# the host's resolvers, edits kept across restarts, user mounts win, and an
# image symlink cannot point the mount at a host file.
. "$(dirname "$0")/lib.sh"
need_root
R=$E2E_TMP/rootfs
make_busybox_rootfs "$R"

expect_rc 0 "$CTR" run --name e1 --rootfs "$R" sh -c 'cat /etc/hostname; hostname'
expect_eq "$(printf '%s\n' "$OUT" | sort -u | wc -l)" 1 "/etc/hostname is the hostname"
expect_eq "$(printf '%s\n' "$OUT" | head -1)" "$("$CTR" inspect -f '{{.Config.Hostname}}' e1)" \
	"and the one inspect shows"
for k in HostnamePath HostsPath ResolvConfPath; do
	p=$("$CTR" inspect -f "{{.$k}}" e1)
	[ -f "$p" ] || fail "inspect $k: $p is not a file"
	ok "inspect $k names an existing file"
done
expect_rc 0 "$CTR" run --rm --hostname web1 --rootfs "$R" cat /etc/hostname
expect_eq "$OUT" web1 "--hostname goes to /etc/hostname"

expect_rc 0 "$CTR" run --rm --rootfs "$R" cat /etc/hosts
expect_contains "$OUT" "$(printf '127.0.0.1\tlocalhost')" "/etc/hosts maps localhost"
expect_rc 0 "$CTR" run --rm --rootfs "$R" ping -c 1 -W 2 localhost
expect_contains "$OUT" "1 packets received" "localhost resolves and answers on lo"
expect_rc 0 "$CTR" run --rm --rootfs "$R" cat /etc/resolv.conf
expect_eq "$OUT" "$(cat /etc/resolv.conf)" "/etc/resolv.conf has the host's resolvers"
expect_rc 0 "$CTR" run --rm --network host --rootfs "$R" cat /etc/hosts
expect_eq "$OUT" "$(cat /etc/hosts)" "--network host: the host's /etc/hosts"
expect_rc 0 "$CTR" run --rm --network host --rootfs "$R" sh -c 'hostname; cat /etc/hostname'
expect_eq "$OUT" "$(hostname)
$(hostname)" "--network host: the host's hostname, as Docker"

# Edits inside the container survive a restart (the file is the container's).
expect_rc 0 "$CTR" run -d --name e2 --rootfs "$R" sleep 60
expect_rc 0 "$CTR" exec e2 sh -c 'echo "10.1.2.3 db" >> /etc/hosts'
expect_rc 0 "$CTR" restart -t 0 e2
expect_rc 0 "$CTR" exec e2 grep -c '10.1.2.3 db' /etc/hosts
expect_eq "$OUT" 1 "an edit of /etc/hosts survives restart"
expect_rc 0 "$CTR" rm -f e2

# --read-only: the root refuses writes, /etc/hosts still takes them (Docker).
expect_rc 0 "$CTR" run --rm --read-only --rootfs "$R" sh -c \
	'echo "10.0.0.1 x" >> /etc/hosts && ! touch /etc/other 2>/dev/null && echo ro-ok'
expect_eq "$OUT" ro-ok "--read-only root, writable /etc/hosts"

# A user mount on the path wins.
printf '192.0.2.7 mine\n' >"$E2E_TMP/myhosts"
expect_rc 0 "$CTR" run --rm -v "$E2E_TMP/myhosts:/etc/hosts:ro" --rootfs "$R" cat /etc/hosts
expect_eq "$OUT" "192.0.2.7 mine" "-v FILE:/etc/hosts replaces ours"

# An image whose /etc/hosts is a dangling symlink leaving its root: the mount
# point is created inside the root, never on the host.
R2=$E2E_TMP/rootfs2
make_busybox_rootfs "$R2"
marker=$E2E_TMP/host-created
ln -sf "../../../../../../..$marker" "$R2/etc/hosts"
expect_rc 0 "$CTR" run --rm --rootfs "$R2" sh -c 'echo overwritten > /etc/hosts; cat /etc/hosts'
expect_eq "$OUT" overwritten "the container writes its own /etc/hosts"
[ ! -e "$marker" ] || fail "a file was created on the host at $marker"
ok "nothing was created on the host through the symlink"
