#!/usr/bin/env bash
# 65-image-many-layers.sh - an image of 1 + 120 layers (an OCI layout built
# here) loads, and `run` mounts it: the overlay options would not fit one
# page with absolute layer paths, so ctr_overlay_mount() goes through short
# names.  The top-most layer wins for a file every layer writes, and a file
# from every layer is visible.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
need_root

N=120
rootfs=$E2E_TMP/rootfs
make_busybox_rootfs "$rootfs"
tar -C "$rootfs" -cf "$E2E_TMP/base.tar" .
python3 - "$E2E_TMP/layout" "$E2E_TMP/base.tar" "$N" <<'PY'
import hashlib, io, json, os, sys, tarfile
out, base, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
os.makedirs(out + "/blobs/sha256")
def blob(data):
    d = hashlib.sha256(data).hexdigest()
    open(f"{out}/blobs/sha256/{d}", "wb").write(data)
    return "sha256:" + d, len(data)
layers = [open(base, "rb").read()]
for i in range(n):
    b = io.BytesIO()
    with tarfile.open(fileobj=b, mode="w", format=tarfile.PAX_FORMAT) as t:
        for name, data in ((f"layers/l{i}", b"%d\n" % i), ("same", b"%d\n" % i)):
            ti = tarfile.TarInfo(name); ti.size = len(data); ti.mtime = 1700000000
            t.addfile(ti, io.BytesIO(data))
    layers.append(b.getvalue())
descs, diffs = [], []
for l in layers:
    d, s = blob(l)
    descs.append({"mediaType": "application/vnd.oci.image.layer.v1.tar", "digest": d, "size": s})
    diffs.append(d)
cfg = json.dumps({"architecture": "amd64", "os": "linux", "created": "2024-01-01T00:00:00Z",
                  "config": {"Cmd": ["cat", "/same"]},
                  "rootfs": {"type": "layers", "diff_ids": diffs}}).encode()
cd, cs = blob(cfg)
man = json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                  "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": cd, "size": cs},
                  "layers": descs}).encode()
md, ms = blob(man)
json.dump({"schemaVersion": 2, "manifests": [{"mediaType": "application/vnd.oci.image.manifest.v1+json",
           "digest": md, "size": ms, "annotations": {"io.containerd.image.name": "localhost/many:layers"}}]},
          open(out + "/index.json", "w"))
json.dump({"imageLayoutVersion": "1.0.0"}, open(out + "/oci-layout", "w"))
PY
tar -C "$E2E_TMP/layout" -cf "$E2E_TMP/many.tar" .
expect_rc 0 "$CTR" load -i "$E2E_TMP/many.tar"
expect_eq "$OUT" "Loaded image: localhost/many:layers" "a $((N + 1))-layer image loads"
expect_rc 0 "$CTR" image inspect localhost/many:layers
expect_eq "$(echo "$OUT" | jq '.[0].RootFS.Layers | length')" "$((N + 1))" "with all its layers"
lower=$(echo "$OUT" | jq -r '.[0].GraphDriver.Data.LowerDir')
[ "${#lower}" -gt 4096 ] || fail "lowerdir is only ${#lower} bytes: the test would not cross the page limit"
ok "absolute lowerdirs take ${#lower} bytes (> one page)"
expect_rc 0 "$CTR" run --rm localhost/many:layers
expect_eq "$OUT" "$((N - 1))" "the top-most layer wins"
expect_rc 0 "$CTR" run --name many localhost/many:layers sh -c "ls /layers | wc -l; cat /layers/l0 /layers/l$((N - 1))"
expect_eq "$(echo $OUT)" "$N 0 $((N - 1))" "every layer is visible"
expect_eq "$(find "$CONTAINR_ROOT" -name '.ovl-*' | wc -l)" "0" "no short-name dir left behind"
expect_rc 0 "$CTR" rm many
echo "PASS"
