#!/usr/bin/env bash
# 62-image-malicious.sh - import of crafted tars that try to write outside
# the layer (../evil, /abs/evil, a symlink planted by an earlier entry then
# written through, a hardlink to /etc/shadow): each is refused naming the
# entry, the host is untouched, and nothing is left in the store.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
need_root

victim=$E2E_TMP/victim
mkdir -p "$victim"
shadow_sum=$(sha256sum /etc/shadow)
mk() { python3 - "$@" <<'PY'
import io, sys, tarfile
out, kind, victim = sys.argv[1], sys.argv[2], sys.argv[3]
with tarfile.open(out, "w:gz") as t:
    def add(name, data=b"pwned", **kw):
        ti = tarfile.TarInfo(name)
        for k, v in kw.items(): setattr(ti, k, v)
        if ti.type == tarfile.REGTYPE:
            ti.size = len(data)
            t.addfile(ti, io.BytesIO(data))
        else:
            t.addfile(ti)
    add("ok.txt", b"fine")
    if kind == "dotdot":
        add("../../../../../../.." + victim + "/dotdot")
    elif kind == "abs":
        add(victim + "/abs")
    elif kind == "symlink":
        add("x", type=tarfile.SYMTYPE, linkname=victim)
        add("x/through-symlink")
    elif kind == "hardlink":
        add("shadow", type=tarfile.LNKTYPE, linkname="/etc/shadow")
    elif kind == "hardlink-rel":
        add("shadow", type=tarfile.LNKTYPE, linkname="../../../../../etc/shadow")
PY
}
for kind in dotdot abs symlink hardlink hardlink-rel; do
	mk "$E2E_TMP/$kind.tar.gz" "$kind" "$victim"
	expect_rc 1 "$CTR" import "$E2E_TMP/$kind.tar.gz" evil:$kind
	expect_contains "$ERR" "unsafe layer entry" "$kind: refused as unsafe"
	expect_eq "$(ls -A "$victim" | wc -l)" "0" "$kind: nothing written outside"
	expect_eq "$(ls -A "$CONTAINR_ROOT/layers" | wc -l)" "0" "$kind: no layer left"
	expect_eq "$(ls -A "$CONTAINR_ROOT/tmp" | wc -l)" "0" "$kind: no partial layer left"
	expect_eq "$(ls -A "$CONTAINR_ROOT/blobs/sha256" | wc -l)" "0" "$kind: no blob left"
done
expect_contains "$ERR" "shadow" "the error names the entry"
expect_eq "$(sha256sum /etc/shadow)" "$shadow_sum" "/etc/shadow untouched"
expect_rc 0 "$CTR" images -q
expect_eq "$OUT" "" "no image was created"
echo "PASS"
