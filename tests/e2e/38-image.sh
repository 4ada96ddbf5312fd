#!/usr/bin/env bash
# run IMAGE: an overlay over the image's layers; writes stay in the
# container (upper dir), the layers are never modified; image defaults
# (Cmd, Env, Labels) apply as Docker applies them and can be overridden.
. "$(dirname "$0")/lib.sh"
need_root
IMG=localhost/containr/busybox # built in (host busybox-static), no registry needed
# Mounts of this test live under $E2E_TMP (rootfs, state root, overlays); other
# tools may mount elsewhere on the host meanwhile, so only ours are compared.
ours() { grep -F "$E2E_TMP" /proc/self/mountinfo | awk '{print $5}' | sort; }
before=$(ours)

expect_rc 0 "$CTR" run --rm $IMG echo hi from image
expect_eq "$OUT" "hi from image" "run IMAGE COMMAND"
expect_rc 0 "$CTR" run --name w1 $IMG sh -c 'echo data >/written; cat /written'
expect_eq "$OUT" "data" "the container can write its root"
id=$("$CTR" ps -aq --no-trunc -f name=w1)
[ -f "$CONTAINR_ROOT/containers/$id/upper/written" ] || fail "write not in the container's upper dir"
ok "writes go to containers/<id>/upper"
layers=$("$CTR" image inspect $IMG | sed -n 's/.*"LowerDir":[[:space:]]*"\(.*\)".*/\1/p' | tr ':' ' ')
for l in $layers; do
	[ ! -e "$l/written" ] || fail "the write leaked into layer $l"
done
ok "image layers untouched"
expect_rc 1 "$CTR" run --rm $IMG cat /written
ok "another container does not see it"

expect_rc 0 "$CTR" inspect -f '{{.Config.Cmd}} {{.Config.Image}} {{.Driver}}' w1
expect_eq "$OUT" "[sh -c echo data >/written; cat /written] $IMG overlay2" "inspect shows image, cmd, driver"
expect_rc 0 "$CTR" ps -a -q -f ancestor=$IMG
expect_eq "$OUT" "${id:0:12}" "ps --filter ancestor=IMAGE"
expect_rc 0 "$CTR" rm w1
[ ! -d "$CONTAINR_ROOT/containers/$id" ] || fail "rm left the container dir"
ok "rm removes upper/work"

# image defaults
echo 'echo from-default-cmd' >"$E2E_TMP/script"
expect_rc 0 "$CTR" run --rm -i $IMG <"$E2E_TMP/script"
expect_eq "$OUT" "from-default-cmd" "no command: the image's Cmd (sh) runs"
expect_rc 0 "$CTR" run --rm $IMG sh -c 'echo $PATH'
expect_eq "$OUT" "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" "image Env applies"
expect_rc 0 "$CTR" run --rm -e PATH=/bin $IMG sh -c 'echo $PATH'
expect_eq "$OUT" "/bin" "-e overrides the image Env"
expect_rc 0 "$CTR" run --rm --entrypoint echo $IMG via entrypoint
expect_eq "$OUT" "via entrypoint" "--entrypoint replaces the image entrypoint"
expect_rc 0 "$CTR" create --name lb $IMG
expect_rc 0 "$CTR" inspect -f '{{index .Config.Labels "org.opencontainers.image.description"}}' lb
expect_contains "$OUT" "built-in image" "image labels are inherited"
expect_rc 0 "$CTR" rm lb

# a missing image is pulled first (no registry reachable here): 125, named, nothing left
expect_rc 125 "$CTR" run --rm localhost:1/no-such-image:1.0 true
expect_contains "$ERR" "Unable to find image 'localhost:1/no-such-image:1.0' locally" "missing image: 125"
expect_rc 0 "$CTR" ps -aq
expect_eq "$OUT" "" "no container left by a failed run"

after=$(ours)
expect_eq "$after" "$before" "no overlay mount leaked to the host"
