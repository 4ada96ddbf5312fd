#!/usr/bin/env bash
# An image's VOLUME paths (config "Volumes") get anonymous volumes at
# create, unless a -v/--mount already covers the path; rm -v removes them.
. "$(dirname "$0")/lib.sh"
need_root

R=$E2E_TMP/rootfs
make_busybox_rootfs "$R"
for l in "$R"/bin/*; do [ -L "$l" ] && ln -sf busybox "$l"; done
mkdir -p "$R/app" "$R/cache" && echo img >"$R/app/hello.txt"

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
