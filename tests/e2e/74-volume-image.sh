#!/usr/bin/env bash
# Volumes with a real image (overlay root): the image's VOLUME paths get
# anonymous volumes at create unless a -v/--mount covers them, and are
# filled from the image (copy-up); rm -v removes them; an image whose
# mount point is a symlink out of the root (/data -> /etc, /up -> ../..)
# gets the mount inside the container, never on the host.
. "$(dirname "$0")/lib.sh"
need_root

R=$E2E_TMP/rootfs
make_busybox_rootfs "$R"
for l in "$R"/bin/*; do [ -L "$l" ] && ln -sf busybox "$l"; done
mkdir -p "$R/app" "$R/cache" && echo img >"$R/app/hello.txt"
ln -s /etc "$R/data"
ln -s ../../../../../../../tmp/containr-evil-$$ "$R/up"

# a docker-save archive whose config declares VOLUME /app and /cache
A=$E2E_TMP/archive
mkdir -p "$A"
tar -C "$R" -cf "$A/layer.tar" .
python3 - "$A" <<'PY'
import hashlib, json, sys
d = sys.argv[1]
lh = hashlib.sha256(open(d + "/layer.tar", "rb").read()).hexdigest()
cfg = {"architecture": "amd64", "os": "linux",
       "config": {"Volumes": {"/app": {}, "/cache": {}}, "Cmd": ["/bin/ls", "/app"]},
       "rootfs": {"type": "layers", "diff_ids": ["sha256:" + lh]}}
b = json.dumps(cfg).encode()
ch = hashlib.sha256(b).hexdigest()
open("%s/%s.json" % (d, ch), "wb").write(b)
json.dump([{"Config": ch + ".json", "RepoTags": ["volimg:1"], "Layers": ["layer.tar"]}],
          open(d + "/manifest.json", "w"))
PY
tar -C "$A" -cf "$E2E_TMP/volimg.tar" .
expect_rc 0 "$CTR" load -i "$E2E_TMP/volimg.tar"

expect_rc 0 "$CTR" create --name c1 -v mine:/app volimg:1 /bin/ls
expect_rc 0 "$CTR" inspect c1
m=$(printf '%s' "$OUT" | python3 -c '
import json,sys
for m in json.load(sys.stdin)[0]["Mounts"]:
    print(m["Destination"], m["Type"], "anon" if len(m["Name"]) == 64 else m["Name"])' | sort | tr '\n' ' ')
expect_eq "$m" "/app volume mine /cache volume anon " "image VOLUME /cache gets an anonymous volume, -v covers /app"
anon=$("$CTR" volume ls -q -f label=containr.volume.anonymous)
[[ "$anon" =~ ^[0-9a-f]{64}$ ]] || fail "anonymous volume for /cache: '$anon'"
ok "anonymous volume created for the image VOLUME"
expect_rc 0 "$CTR" rm -v c1
expect_rc 0 "$CTR" volume ls -q
expect_eq "$OUT" "mine" "rm -v removes the image's anonymous volume, keeps the named one"

# copy-up from the image's overlay root into a new named volume
expect_rc 0 "$CTR" run --rm -v cu:/app volimg:1 /bin/cat /app/hello.txt
expect_eq "$OUT" "img" "image content visible through a new volume"
expect_eq "$(cat "$CONTAINR_ROOT/volumes/cu/_data/hello.txt")" "img" "copy-up from the image into the volume"
# the image's own VOLUME /app: anonymous volume, filled from the image, gone with --rm
expect_rc 0 "$CTR" run --name dflt volimg:1
expect_contains "$OUT" "hello.txt" "image CMD sees /app through its anonymous volume"
anon=$("$CTR" inspect dflt | python3 -c '
import json,sys
print([m["Name"] for m in json.load(sys.stdin)[0]["Mounts"] if m["Destination"] == "/app"][0])')
[ -f "$CONTAINR_ROOT/volumes/$anon/_data/hello.txt" ] || fail "anonymous image volume not filled from the image"
ok "anonymous image volume filled from the image"
expect_rc 0 "$CTR" rm -v dflt
expect_eq "$("$CTR" volume ls -q -f label=containr.volume.anonymous)" "" "rm -v removed the image's anonymous volumes"

# symlink-redirect attack from the image
H=$E2E_TMP/host
mkdir -p "$H" && echo "marker-$$" >"$H/marker-$$"
expect_rc 0 "$CTR" run --rm -v "$H:/data" volimg:1 /bin/cat /etc/marker-$$
expect_eq "$OUT" "marker-$$" "image /data -> /etc: mount lands on the container's /etc"
[ -e /etc/marker-$$ ] && fail "mount landed on the host /etc"
ok "host /etc untouched"
expect_rc 0 "$CTR" run --rm -v "$H:/up/x" volimg:1 /bin/cat /tmp/containr-evil-$$/x/marker-$$
expect_eq "$OUT" "marker-$$" "image /up -> ../..: mount stays inside the container"
[ -e /tmp/containr-evil-$$ ] && { rm -rf /tmp/containr-evil-$$; fail "created a directory on the host"; }
ok "nothing created on the host"
