#!/usr/bin/env bash
# volume create/ls/inspect/rm/prune through the real binary: names, labels,
# options, filters, formats, in-use refusal (from stored container configs),
# prune rules (anonymous only unless -a), batch mode never prompting, and
# removal that never follows a symlink out of the volume.
. "$(dirname "$0")/lib.sh"

# create: named, random, duplicate, bad name, unknown driver and option
expect_rc 0 "$CTR" volume create data1
expect_eq "$OUT" "data1" "create prints the name"
expect_rc 0 "$CTR" volume create
rand=$OUT
[[ "$rand" =~ ^[0-9a-f]{64}$ ]] || fail "random volume name: $rand"
ok "create without a name gives a 64-hex name"
expect_rc 1 "$CTR" volume create data1
expect_contains "$ERR" "volume data1 already exists" "duplicate name refused"
expect_rc 1 "$CTR" volume create 'bad/name'
expect_contains "$ERR" 'invalid volume name "bad/name"' "invalid name refused"
expect_contains "$ERR" "hint:" "invalid name has a hint"
expect_rc 1 "$CTR" volume create -d nfs x
expect_contains "$ERR" "volume driver nfs is not available" "only the local driver"
expect_rc 1 "$CTR" volume create -o colour=blue x
expect_contains "$ERR" "invalid volume option colour" "unknown --opt named"
expect_rc 0 "$CTR" volume create --label team=web --label tier web
expect_rc 0 "$CTR" volume create -o type=tmpfs -o device=tmpfs -o o=size=8m tvol
[ -d "$CONTAINR_ROOT/volumes/data1/_data" ] || fail "no _data directory"
ok "volume has <root>/volumes/NAME/_data"

# ls, filters, formats
expect_rc 0 "$CTR" volume ls
expect_contains "$OUT" "DRIVER    VOLUME NAME" "ls header"
expect_contains "$OUT" "local     data1" "ls row"
expect_rc 0 "$CTR" volume ls -q -f label=team=web
expect_eq "$OUT" "web" "label=K=V filter"
expect_rc 0 "$CTR" volume ls -q -f label=tier -f name=we
expect_eq "$OUT" "web" "label=K and name= filters combine"
expect_rc 0 "$CTR" volume ls --format '{{.Name}}:{{.Driver}}' -f name=data1
expect_eq "$OUT" "data1:local" "template format"
expect_rc 0 "$CTR" volume ls --format json -f name=web
n=$(printf '%s' "$OUT" | python3 -c 'import json,sys; j=json.loads(sys.stdin.read()); print(j["Name"], j["Driver"], j["Labels"], j["Mountpoint"].endswith("/volumes/web/_data"))')
expect_eq "$n" "web local team=web,tier= True" "ls --format json (Docker's row fields)"
expect_rc 0 "$CTR" volume ls --format 'table {{.Name}}\t{{.Labels}}' -f name=web
expect_eq "$(echo $OUT)" "VOLUME NAME LABELS web team=web,tier=" "ls --format table TEMPLATE"
expect_rc 0 "$CTR" volume inspect -f '{{.Options.o}} {{index .Options "type"}}' tvol
expect_eq "$OUT" "size=8m tmpfs" "inspect template reaches Options"
expect_rc 1 "$CTR" volume ls -f colour=red
expect_contains "$ERR" 'unknown filter "colour"' "unknown filter named"

# inspect
expect_rc 0 "$CTR" volume inspect web data1
v=$(printf '%s' "$OUT" | python3 -c '
import json,sys
a=json.load(sys.stdin)
print(len(a), a[0]["Name"], a[0]["Driver"], a[0]["Scope"], a[0]["Labels"]["team"], a[1]["Labels"], a[0]["Mountpoint"].endswith("/volumes/web/_data"), bool(a[0]["CreatedAt"]))')
expect_eq "$v" "2 web local local web None True True" "inspect JSON fields"
expect_rc 0 "$CTR" volume inspect -f '{{.Mountpoint}}' data1
expect_eq "$OUT" "$CONTAINR_ROOT/volumes/data1/_data" "inspect --format"
expect_rc 1 "$CTR" volume inspect nosuch
expect_contains "$ERR" "no such volume: nosuch" "inspect of a missing volume"

# in use: a stored container (running / exited) that mounts the volume
mkctr() { # ID VOLUME STATUS
	mkdir -p "$CONTAINR_ROOT/containers/$1"
	printf '{"Mounts":[{"Type":"volume","Source":"%s","Destination":"/d","ReadOnly":false}]}\n' "$2" \
		>"$CONTAINR_ROOT/containers/$1/config.json"
	printf '{"Status":"%s"}\n' "$3" >"$CONTAINR_ROOT/containers/$1/state.json"
}
run_id=aaaa00000000000000000000000000000000000000000000000000000000000a
stop_id=bbbb00000000000000000000000000000000000000000000000000000000000b
"$CTR" volume create busy >/dev/null
"$CTR" volume create idle >/dev/null
mkctr $run_id busy running
mkctr $stop_id idle exited
expect_rc 0 "$CTR" volume ls -q -f dangling=false
expect_eq "$(echo $OUT)" "busy idle" "dangling=false lists used volumes"
expect_rc 1 "$CTR" volume rm busy
expect_contains "$ERR" "volume busy is in use by a running container aaaa00000000" "rm refuses a volume in use"
expect_rc 1 "$CTR" volume rm -f busy
expect_contains "$ERR" "in use" "rm -f still refuses a running container's volume"
[ -d "$CONTAINR_ROOT/volumes/busy/_data" ] || fail "busy was removed"
expect_rc 1 "$CTR" volume rm idle
expect_contains "$ERR" "in use by a container bbbb00000000" "rm refuses a stopped container's volume"
expect_rc 0 "$CTR" volume rm -f idle
expect_eq "$OUT" "idle" "rm -f removes a volume of a stopped container"
expect_rc 1 "$CTR" volume rm nosuch
expect_rc 0 "$CTR" volume rm -f nosuch

# rm never follows symlinks out of the volume
mkdir -p "$E2E_TMP/outside" && echo keep >"$E2E_TMP/outside/keep"
ln -s "$E2E_TMP/outside" "$CONTAINR_ROOT/volumes/data1/_data/link"
ln -s / "$CONTAINR_ROOT/volumes/data1/_data/root"
expect_rc 0 "$CTR" volume rm data1
[ -f "$E2E_TMP/outside/keep" ] || fail "volume rm followed a symlink"
ok "volume rm does not follow symlinks"
[ -e "$CONTAINR_ROOT/volumes/data1" ] && fail "data1 still there"
ok "volume directory gone"

# prune: anonymous only by default, -a for all unused; used ones stay
"$CTR" volume create --label containr.volume.anonymous anon1 >/dev/null
head -c 5000 /dev/zero >"$CONTAINR_ROOT/volumes/anon1/_data/f"
expect_rc 125 "$CTR" -c "volume prune"
expect_contains "$ERR" "batch mode never prompts" "batch prune without -f refused"
expect_rc 0 bash -c "echo n | '$CTR' volume prune"
[ -d "$CONTAINR_ROOT/volumes/anon1" ] || fail "answering n still pruned"
ok "prune answered n keeps everything"
expect_rc 0 "$CTR" volume prune -f
expect_contains "$OUT" "Deleted Volumes:" "prune lists removed volumes"
expect_contains "$OUT" "anon1" "prune removed the anonymous volume"
expect_contains "$OUT" "Total reclaimed space: 5kB" "prune reports reclaimed space"
expect_rc 0 "$CTR" volume ls -q
expect_contains "$OUT" "web" "named volumes survive prune without -a"
expect_rc 0 "$CTR" volume prune -f -a --filter label=team=web
expect_eq "$(echo $OUT)" "Deleted Volumes: web Total reclaimed space: 0B" "prune -a with a label filter"
expect_rc 0 "$CTR" volume prune -f -a
expect_rc 0 "$CTR" volume ls -q
expect_eq "$OUT" "busy" "prune -a keeps only the volume in use"
