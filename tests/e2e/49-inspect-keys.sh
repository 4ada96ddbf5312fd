#!/usr/bin/env bash
# 49-inspect-keys.sh - inspect, version and info are Docker's objects: every
# key of docs/INSPECT.md exists in the JSON of a real container, image, volume,
# version and info (omitempty keys may be absent), every key in the JSON is in
# the doc, and {{.Key}} of every listed key renders (no template error). Then
# the values containr has are real (limits, binds, tmpfs, /dev/shm size, the
# overlay dirs on disk), and the top-level inspect finds each kind in
# Docker's order, with Docker's errors.
. "$(dirname "$0")/lib.sh"
need_root
IMG=localhost/containr/busybox
DOC=${CONTAINR_TOP:-$(dirname "$0")/../..}/docs/INSPECT.md

expect_rc 0 "$CTR" volume create --label team=a keysvol
on_exit "$CTR" volume rm -f keysvol
mkdir -p "$E2E_TMP/bind"
expect_rc 0 "$CTR" run -d --name keys -m 64m --cpus 1.5 --stop-timeout 7 --init \
	--pids-limit 50 --ulimit nofile=100:200 --cap-add NET_ADMIN --label a=b \
	-v keysvol:/data -v "$E2E_TMP/bind:/bind:ro" -v /anon --tmpfs /scratch \
	"$IMG" sh -c 'echo hi >/written; exec sleep 300'
on_exit "$CTR" rm -f -v keys
wait_until 5 test -e "$("$CTR" inspect -f '{{.GraphDriver.Data.UpperDir}}' keys)/written" ||
	fail "the container did not write /written"

# ---- every documented key, both ways, and as a template ------------------------
# check KIND JSON: KIND is the doc section (Container, Image, Volume, version, info)
check_keys() {
	python3 - "$DOC" "$1" "$2" <<'EOF' || fail "$1: keys differ from docs/INSPECT.md"
import json, re, sys
doc, section, data = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
obj = data[0] if isinstance(data, list) else data
rows, cur = [], None
for line in open(doc):
    if line.startswith("## "):
        cur = line[3:].strip()
    m = re.match(r"\| `([^`]+)` \| ([^|]*)\|", line)
    if m and cur == section:
        rows.append((m.group(1), m.group(2)))
assert rows, "no rows for " + section
listed = {k for k, _ in rows}
maps = {k for k, t in rows if "map" in t}
bad = []
def get(o, path):
    for p in path.split("."):
        if p.endswith("[]"):
            o = o.get(p[:-2]) if isinstance(o, dict) else None
            return ("list", o)
        if not isinstance(o, dict) or p not in o:
            return ("missing", None)
        o = o[p]
    return ("ok", o)
for key, typ in rows:
    if "[]" in key:
        head, tail = key.split("[].", 1)
        st, lst = get(obj, head + "[]")
        if not isinstance(lst, list):
            bad.append("not a list: " + head); continue
        if "omitempty" not in typ and lst and not all(tail in e for e in lst):
            bad.append("missing in an element: " + key)
        continue
    st, _ = get(obj, key)
    if st == "missing" and "omitempty" not in typ:
        bad.append("missing: " + key)
# every key of the JSON is listed (not inside maps)
def walk(o, prefix):
    if isinstance(o, dict):
        for k, v in o.items():
            p = prefix + k
            if p not in listed:
                bad.append("not in the doc: " + p)
            elif p not in maps:
                walk(v, p + ".")
    elif isinstance(o, list):
        pass
walk(obj, "")
for k, _ in rows:
    if "[]" in k:
        head, _ = k.split("[].", 1)
        st, lst = get(obj, head + "[]")
        for e in lst or []:
            for ek in e:
                if head + "[]." + ek not in listed:
                    bad.append("not in the doc: " + head + "[]." + ek)
if bad:
    print("\n".join(sorted(set(bad))), file=sys.stderr)
    sys.exit(1)
EOF
	ok "$1: JSON keys == docs/INSPECT.md"
}
# template_keys SECTION CMD...: one template naming every listed key renders
template_keys() {
	local section=$1; shift
	local t
	t=$(python3 - "$DOC" "$section" <<'EOF'
import re, sys
cur, out = None, []
for line in open(sys.argv[1]):
    if line.startswith("## "):
        cur = line[3:].strip()
    m = re.match(r"\| `([^`]+)` \|", line)
    if m and cur == sys.argv[2] and "[]" not in m.group(1):
        out.append("{{." + m.group(1) + "}}")
print("|".join(out))
EOF
)
	OUT=$("$@" --format "$t" 2>"$E2E_TMP/terr") || fail "$section: template of every key failed: $(cat "$E2E_TMP/terr")"
	ok "$section: {{.Key}} of every documented key renders"
}

expect_rc 0 "$CTR" inspect keys
check_keys Container "$OUT"
template_keys Container "$CTR" inspect keys
expect_rc 0 "$CTR" inspect "$IMG"
check_keys Image "$OUT"
template_keys Image "$CTR" inspect "$IMG"
expect_rc 0 "$CTR" inspect keysvol
check_keys Volume "$OUT"
template_keys Volume "$CTR" inspect keysvol
expect_rc 0 "$CTR" version --format json
check_keys version "$OUT"
template_keys version "$CTR" version
expect_rc 0 "$CTR" info --format json
check_keys info "$OUT"
template_keys info "$CTR" info
expect_eq "$(wc -l <<<"$OUT")" 1 "info --format json is one line ({{json .}})"

# ---- real values -----------------------------------------------------------------
f() { "$CTR" inspect -f "$1" keys; }
expect_eq "$(f '{{.HostConfig.NanoCpus}} {{.HostConfig.Memory}} {{.HostConfig.PidsLimit}}')" \
	"1500000000 67108864 50" "NanoCpus, Memory, PidsLimit from --cpus, -m, --pids-limit"
expect_eq "$(f '{{json .HostConfig.RestartPolicy}} {{json .HostConfig.LogConfig}}')" \
	'{"Name":"no","MaximumRetryCount":0} {"Type":"json-file","Config":{}}' "RestartPolicy, LogConfig"
expect_eq "$(f '{{json .HostConfig.Binds}}')" "[\"keysvol:/data\",\"$E2E_TMP/bind:/bind:ro\"]" "Binds from -v"
expect_eq "$(f '{{range $k, $v := .HostConfig.Tmpfs}}{{$k}}{{end}} {{json .Config.Volumes}}')" \
	'/scratch {"/anon":{}}' "Tmpfs from --tmpfs, Config.Volumes from -v /anon"
expect_eq "$(f '{{.Config.StopTimeout}} {{.HostConfig.Init}} {{.HostConfig.CapAdd}} {{json .HostConfig.Ulimits}}')" \
	'7 true [NET_ADMIN] [{"Name":"nofile","Hard":200,"Soft":100}]' "StopTimeout, Init, CapAdd, Ulimits"
shm=$(f '{{.HostConfig.ShmSize}}')
kb=$("$CTR" exec keys df -k /dev/shm | awk 'NR == 2 {print $2}')
expect_eq "$((kb * 1024))" "$shm" "ShmSize is the real /dev/shm size"
expect_eq "$(f '{{.State.Health}}|{{.State.Health.Status}}|{{.Config.Healthcheck}}')" \
	"<no value>|<no value>|<no value>" "absent healthcheck prints <no value>, not an error"
expect_eq "$(f '{{.Config.Labels.Maintainer}}|{{.HostConfig.LogConfig.Config.Max}}|{{.Config.Labels.a}}')" \
	"<no value>|<no value>|b" "a missing key of a map (Labels, LogConfig.Config) is <no value>, as Go"
expect_eq "$(f '{{.NetworkSettings.IPAddress}}|{{json .NetworkSettings.Ports}}|{{range $k, $v := .NetworkSettings.Networks}}{{$k}}{{end}}')" \
	"|{}|none" "NetworkSettings for --network none"
pid=$(f '{{.State.Pid}}')
expect_eq "$(f '{{.NetworkSettings.SandboxKey}}')" "/proc/$pid/ns/net" "SandboxKey is the init's net namespace"
upper=$(f '{{.GraphDriver.Data.UpperDir}}')
expect_eq "$(cat "$upper/written")" hi "GraphDriver UpperDir holds what the container wrote"
merged=$(f '{{.GraphDriver.Data.MergedDir}}')
lower=$(f '{{.GraphDriver.Data.LowerDir}}')
[ -d "$lower" ] && [ -x "$lower/bin/busybox" ] || fail "LowerDir $lower is not the image layer"
ok "GraphDriver LowerDir is the image's layer"
[ "$(f '{{.GraphDriver.Name}} {{.Driver}}')" = "overlay2 overlay2" ] || fail "driver name"
ok "GraphDriver.Name overlay2"
[ -d "$(f '{{.GraphDriver.Data.WorkDir}}')" ] && [ -n "$merged" ] || fail "WorkDir/MergedDir"
ok "GraphDriver WorkDir exists"
expect_rc 0 "$CTR" run -d --name keyshost --network host "$IMG" sleep 300
on_exit "$CTR" rm -f keyshost
expect_eq "$("$CTR" inspect -f '{{range $k, $v := .NetworkSettings.Networks}}{{$k}}{{end}} {{.HostConfig.NetworkMode}}' keyshost)" \
	"host host" "NetworkSettings.Networks has host for --network host"
expect_eq "$("$CTR" inspect -f '{{.Config.StopTimeout}}|{{.HostConfig.Init}}' keyshost)" \
	"<no value>|<no value>" "omitempty keys without the flag print <no value>"

read -r rw rootfs <<<"$("$CTR" inspect -s -f '{{.SizeRw}} {{.SizeRootFs}}' keys)"
[ "$rw" -ge 3 ] && [ "$rw" -lt 4096 ] || fail "SizeRw $rw: the container wrote 3 bytes"
ok "inspect --size: SizeRw counts what the container wrote ($rw bytes)"
[ "$rootfs" -gt $((rw + 500000)) ] || fail "SizeRootFs $rootfs does not include the image"
ok "inspect --size: SizeRootFs adds the image layers ($rootfs bytes)"
expect_eq "$("$CTR" inspect -s keys | python3 -c 'import json,sys; k=list(json.load(sys.stdin)[0]); print(k[k.index("GraphDriver")+1:k.index("GraphDriver")+3])')" \
	"['SizeRw', 'SizeRootFs']" "SizeRw and SizeRootFs follow GraphDriver, as Docker"

# ---- lookup order, --type, errors ---------------------------------------------------
expect_rc 0 "$CTR" volume create keys
on_exit "$CTR" volume rm -f keys
expect_eq "$("$CTR" inspect -f '{{.State.Status}}' keys)" running "a container comes before a volume of the same name"
expect_eq "$("$CTR" inspect --type volume -f '{{.Driver}} {{.Name}}' keys)" "local keys" "--type volume"
expect_eq "$("$CTR" inspect -f '{{.Os}}' "$IMG")" linux "an image is found by the top-level inspect"
expect_eq "$("$CTR" inspect -f '{{.Mountpoint}}' keysvol)" "$CONTAINR_ROOT/volumes/keysvol/_data" "a volume too"
expect_rc 1 "$CTR" inspect nosuchthing
expect_eq "$OUT" "" "nothing on stdout for a missing object"
expect_contains "$ERR" "containr: no such object: nosuchthing" "Docker's 'No such object'"
expect_contains "$ERR" "hint:" "with a hint"
expect_rc 1 "$CTR" inspect --type image keys
expect_contains "$ERR" "no such image: keys" "--type image does not fall back"
expect_rc 1 "$CTR" inspect -f '{{.Name}}' keys nosuchthing
expect_eq "$OUT" "/keys" "found objects print even when one is missing"
expect_rc 125 "$CTR" inspect --type network keys
expect_contains "$ERR" '"network" is not a valid value for --type' "bad --type"
expect_rc 1 "$CTR" inspect -f '{{.Nope}}' keys
expect_contains "$ERR" "can't evaluate field Nope" "a key Docker does not have is an error"

# ---- info counts -------------------------------------------------------------------
expect_rc 0 "$CTR" info --format '{{.Containers}} {{.ContainersRunning}} {{.ContainersStopped}} {{.DockerRootDir}} {{.ID}}'
read -r n run stopped root id <<<"$OUT"
expect_eq "$n $run $stopped" "$("$CTR" ps -aq | wc -l) $("$CTR" ps -q | wc -l) 0" "info counts the containers"
expect_eq "$root" "$CONTAINR_ROOT" "DockerRootDir is the state root"
expect_eq "$("$CTR" info --format '{{.ID}}')" "$id" "the engine ID is stable"
expect_eq "$("$CTR" info --format '{{.NCPU}}')" "$(nproc)" "NCPU"

# ---- ps and images --format json: one object per line, Docker's keys --------------
json_lines() { # KEYS... : stdin has one JSON object per line with exactly these keys
	python3 -c '
import json, sys
want = sorted(sys.argv[1:])
lines = sys.stdin.read().splitlines()
assert lines, "no output"
for l in lines:
    got = sorted(json.loads(l))
    assert got == want, "keys %s, want %s" % (got, want)
' "$@"
}
expect_rc 0 "$CTR" ps -a --format json
json_lines Command CreatedAt ID Image Labels LocalVolumes Mounts Names Networks Ports RunningFor \
	Size State Status <<<"$OUT" || fail "ps --format json keys"
ok "ps --format json: one object per line with Docker's 14 keys"
expect_eq "$(wc -l <<<"$OUT")" 2 "one line per container"
# same rows without the clock-dependent columns
steady() { python3 -c 'import json,sys
for l in sys.stdin: o = json.loads(l); o.pop("RunningFor"); o.pop("Status"); print(json.dumps(o))'; }
expect_eq "$("$CTR" ps -a --format '{{json .}}' | steady)" "$(steady <<<"$OUT")" "ps --format json is {{json .}} per line"
expect_eq "$("$CTR" ps --format '{{.Names}} {{.LocalVolumes}} {{.Networks}}' | grep '^keys ')" \
	"keys 2 none" "ps LocalVolumes counts the container's volumes"
expect_rc 0 "$CTR" images --format json
json_lines Containers CreatedAt CreatedSince Digest ID Repository SharedSize Size Tag UniqueSize \
	VirtualSize <<<"$OUT" || fail "images --format json keys"
ok "images --format json: one object per line with Docker's keys"
expect_eq "$("$CTR" images --format '{{json .}}')" "$OUT" "images --format json is {{json .}} per line"
[[ $("$CTR" images --format '{{.CreatedAt}}') =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}\ [0-9:]{8}\ \+0000\ UTC$ ]] ||
	fail "images CreatedAt is not Go's time format"
ok "images CreatedAt in Go's time.Time format, as Docker"
