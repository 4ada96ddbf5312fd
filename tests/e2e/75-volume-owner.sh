#!/usr/bin/env bash
# Who owns a volume.  A new, empty volume mounted where the image has no
# directory belongs to the container's user (podman's rule; Docker leaves it
# root-owned), so a non-root service can initialise it; where the image has
# the directory, the volume takes the directory's owner and mode (Docker).
# A volume with content is never chowned.  :U (and --mount ...,U) chowns
# the source, bind or volume, recursively to the container's user, never
# through a symlink.  User names resolve in the container's /etc/passwd.
. "$(dirname "$0")/lib.sh"
need_root

IMG=localhost/containr/busybox # built in; /etc/passwd has root, daemon (1), nobody
vol_owner() { stat -c %u:%g "$CONTAINR_ROOT/volumes/$1/_data"; }

# the rule: -u UID:GID, new volume, no directory in the image
expect_rc 0 "$CTR" run --rm -u 1000:1000 -v fresh:/srv/data $IMG \
	sh -c 'stat -c %u:%g /srv/data && echo hi >/srv/data/f && cat /srv/data/f'
expect_eq "$OUT" "1000:1000
hi" "a new volume where the image has no directory belongs to -u 1000:1000, who can write it"
expect_eq "$(vol_owner fresh)" "1000:1000" "the volume's data directory is owned by 1000:1000 on the host"
expect_eq "$(stat -c %u "$CONTAINR_ROOT/volumes/fresh/_data/f")" "1000" "the file was written by uid 1000"

# without -u the user is root: root-owned, as Docker
expect_rc 0 "$CTR" run --rm -v asroot:/srv/data $IMG stat -c %u:%g /srv/data
expect_eq "$OUT" "0:0" "without -u a new volume stays root-owned"

# a volume with content is never chowned, not even by the next user
expect_rc 0 "$CTR" run --rm -u 2000:2000 -v fresh:/elsewhere $IMG stat -c %u:%g /elsewhere
expect_eq "$OUT" "1000:1000" "a volume with content keeps its owner"

# while it stays empty, each mount applies the rule again (Docker, podman >= 5)
expect_rc 0 "$CTR" run --rm -u 1000:1000 -v empty:/a $IMG true
expect_rc 0 "$CTR" run --rm -u 3000:3000 -v empty:/b $IMG stat -c %u:%g /b
expect_eq "$OUT" "3000:3000" "an empty volume follows the user of each new mount"

# the image has the directory: its owner and mode win (/tmp is root 1777)
expect_rc 0 "$CTR" run --rm -u 1000:1000 -v overtmp:/tmp $IMG stat -c %u:%g:%a /tmp
expect_eq "$OUT" "0:0:1777" "over an image directory the volume takes its owner and mode"

# names resolve in the container's /etc/passwd and /etc/group, as --user does
R=$E2E_TMP/rootfs
make_busybox_rootfs "$R" # passwd: app 1000:1000; group: extra 2000
for l in "$R"/bin/*; do [ -L "$l" ] && ln -sf busybox "$l"; done
getent passwd app >/dev/null && fail "the host has a user 'app': the name test would prove nothing"
expect_rc 0 "$CTR" run --rm -u app:extra -v named:/data --rootfs "$R" /bin/stat -c %u:%g /data
expect_eq "$OUT" "1000:2000" "-u app:extra resolves in the container's passwd/group"
expect_rc 0 "$CTR" run --rm -u daemon -v named2:/data $IMG stat -c %U /data
expect_eq "$OUT" "daemon" "-u daemon: the new volume belongs to daemon"
expect_rc 125 "$CTR" run --rm -u nosuch -v named3:/data $IMG true
expect_contains "$ERR" "unable to find user nosuch" "an unknown user is one clear error"

# :U on a bind mount: recursive, the link itself but never its target
H=$E2E_TMP/host
mkdir -p "$H/sub/deeper" && echo x >"$H/sub/deeper/f" && echo y >"$E2E_TMP/outside"
ln -s "$E2E_TMP/outside" "$H/sub/link"
expect_rc 0 "$CTR" run --rm -u 1000:1000 -v "$H:/work:U" $IMG sh -c 'echo z >/work/sub/deeper/f && stat -c %u /work/sub/deeper/f'
expect_eq "$OUT" "1000" "-v HOST:/work:U lets uid 1000 write the host files"
expect_eq "$(stat -c %u:%g "$H" "$H/sub" "$H/sub/deeper" "$H/sub/deeper/f" | sort -u)" "1000:1000" \
	"-v HOST:/work:U chowns the bind source recursively"
expect_eq "$(stat -c %u "$E2E_TMP/outside")" "0" "-v HOST:/work:U never follows a symlink (its target stays root)"
expect_eq "$(stat -c %u "$H/sub/link")" "1000" "the symlink itself is chowned"

# :U on a named volume with content (which the rule above never touches)
expect_rc 0 "$CTR" run --rm -u 2000:2000 -v fresh:/d:U $IMG sh -c 'stat -c %u:%g /d /d/f | sort -u'
expect_eq "$OUT" "2000:2000" "-v VOL:/d:U chowns a volume with content to the user"
expect_rc 0 "$CTR" run --rm -u 1:1 --mount type=volume,src=fresh,dst=/d,U $IMG stat -c %u:%g /d/f
expect_eq "$OUT" "1:1" "--mount ...,U chowns too"

# U is stored with the container (applied again at each start) and shown by inspect
expect_rc 0 "$CTR" create --name keepu -u 1000:1000 -v "$H:/work:U" $IMG stat -c %u /work/sub/deeper/f
chown -R 0:0 "$H"
expect_rc 0 "$CTR" start -a keepu
expect_eq "$OUT" "1000" "U is applied at each start"
expect_rc 0 "$CTR" inspect -f '{{range .Mounts}}{{.Mode}}{{end}}' keepu
expect_eq "$OUT" "U" "inspect shows the U mode"
expect_rc 0 "$CTR" rm keepu

# bad input: one clear error, nothing left behind
expect_rc 125 "$CTR" run --rm -v /:/host:U $IMG true
expect_contains "$ERR" "U would chown the host's whole root file system" "U on the host's / is refused"
expect_rc 125 "$CTR" run --rm --mount type=tmpfs,dst=/t,U $IMG true
expect_contains "$ERR" "needs type=bind or type=volume" "U on a tmpfs mount is refused"
expect_rc 0 "$CTR" ps -aq
expect_eq "$OUT" "" "no container left behind"

expect_rc 0 "$CTR" volume rm fresh asroot empty overtmp named named2 named3
expect_rc 0 "$CTR" volume ls -q
expect_eq "$OUT" "" "every volume removed"
