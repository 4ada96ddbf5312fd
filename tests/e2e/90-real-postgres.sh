#!/usr/bin/env bash
# A real image: Debian bookworm's postgresql-15, built by mmdebstrap from
# Debian's mirror (tests/fixtures/images/build.sh, cached in
# /var/cache/containr-test-images; the first run builds it, ~5-8 min), with
# an entrypoint that follows the official postgres image: initdb into an
# empty $PGDATA as the current user, then exec postgres.
# The issue's reproducer: run -d -u postgres -v pgdata:/var/lib/postgresql/data
# where the image has no such directory; initdb must be able to chmod the
# new volume (it belongs to postgres).  Then: ready (exec pg_isready), rows
# written with exec psql, stop is clean and fast (SIGINT, exit 0, not 137),
# start keeps the rows, rm, a new container on the same volume sees them.
# Also: a root-owned bind mount fails as in the issue; :U fixes it.
. "$(dirname "$0")/lib.sh"
need_root

IMAGES=$(cd "$(dirname "$0")/../fixtures/images" && pwd)/build.sh
IMG=containr-test/postgres:15
PGDATA=/var/lib/postgresql/data

t0=$SECONDS
"$IMAGES" tar postgres >/dev/null || fail "building the postgres image failed"
t1=$SECONDS
CONTAINR_BIN=$CTR "$IMAGES" import postgres $IMG || fail "import of the postgres image failed"
ok "image ready (build/cache $((t1 - t0))s, import $((SECONDS - t1))s)"
expect_rc 0 "$CTR" run --rm $IMG sh -c "test ! -e $PGDATA && id -u postgres"
pguid=$OUT
ok "the image has no $PGDATA (the volume is new there); postgres is uid $pguid"

psql() { "$CTR" exec "$1" psql -U postgres -Atc "$2"; }
# wait_ready NAME: until pg_isready answers (60 s); fail at once if postgres died
wait_ready() {
	local end=$((SECONDS + 60))
	until "$CTR" exec "$1" pg_isready -q 2>/dev/null; do
		[ "$("$CTR" inspect -f '{{.State.Status}}' "$1")" = running ] &&
			[ $SECONDS -lt $end ] ||
			fail "$1 is not ready: $("$CTR" inspect -f '{{.State.Status}} {{.State.ExitCode}}' "$1"); logs: $("$CTR" logs "$1" 2>&1 | tail -n 20)"
		sleep 0.2
	done
	ok "$1 accepts connections (exec pg_isready)"
}
on_exit '"$CTR" rm -f pg pg2; "$CTR" volume rm -f pgdata; "$CTR" rmi -f '$IMG

# 1. fresh volume, -u postgres: initdb succeeds
expect_rc 0 "$CTR" run -d --name pg -u postgres -v pgdata:$PGDATA $IMG
wait_ready pg
expect_contains "$("$CTR" logs pg 2>&1)" "initialised $PGDATA" "initdb ran as postgres on the new volume"
expect_eq "$(stat -c %u "$CONTAINR_ROOT/volumes/pgdata/_data")" "$pguid" "the volume belongs to postgres"

# 2. write rows with exec psql over the unix socket
expect_rc 0 psql pg "CREATE TABLE t (id int PRIMARY KEY, v text); INSERT INTO t SELECT g, 'row ' || g FROM generate_series(1, 100) g"
expect_rc 0 psql pg "SELECT count(*), max(v) FROM t WHERE id > 0"
expect_eq "$OUT" "100|row 99" "100 rows written and read back"

# 3. stop: SIGINT (image STOPSIGNAL) is postgres' fast shutdown: exit 0, quick
s=$(date +%s.%N)
expect_rc 0 "$CTR" stop pg
secs=$(awk -v s="$s" -v e="$(date +%s.%N)" 'BEGIN{printf "%.1f", e-s}')
expect_rc 0 "$CTR" inspect -f '{{.State.Status}} {{.State.ExitCode}}' pg
expect_eq "$OUT" "exited 0" "postgres stopped cleanly (exit 0, not 137)"
awk -v s="$secs" 'BEGIN{exit !(s < 8)}' || fail "stop took ${secs}s (killed after the timeout?)"
ok "stop took ${secs}s"
logs=$("$CTR" logs pg 2>&1)
expect_contains "$logs" "received fast shutdown request" "stop sent SIGINT (STOPSIGNAL of the image)"
expect_contains "$logs" "database system is shut down" "postgres shut down cleanly"

# 4. start again: same data, no second initdb
expect_rc 0 "$CTR" start pg
wait_ready pg
expect_rc 0 psql pg "SELECT count(*) FROM t"
expect_eq "$OUT" "100" "rows survive stop/start"
expect_eq "$("$CTR" logs pg 2>&1 | grep -c "initialised $PGDATA")" "1" "no second initdb on restart"
expect_rc 0 "$CTR" stop pg
expect_rc 0 "$CTR" rm pg

# 5. a new container on the same volume sees the rows
expect_rc 0 "$CTR" run -d --name pg2 -u postgres -v pgdata:$PGDATA $IMG
wait_ready pg2
expect_rc 0 psql pg2 "SELECT count(*) FROM t"
expect_eq "$OUT" "100" "a new container on the volume sees the rows"
expect_not_contains "$("$CTR" logs pg2 2>&1)" "initialised" "the new container did not initdb again"
expect_rc 0 "$CTR" stop pg2
expect_rc 0 "$CTR" inspect -f '{{.State.ExitCode}}' pg2
expect_eq "$OUT" "0" "second container stopped cleanly"

# 6. the issue's failure, reproduced with a root-owned bind mount (the rule
#    only chowns new volumes), and podman's :U as the fix for binds
B=$E2E_TMP/pgbind
mkdir -p "$B"
expect_rc 1 "$CTR" run --rm -u postgres -v "$B:$PGDATA" $IMG initdb -D $PGDATA
expect_contains "$ERR$OUT" "could not change permissions of directory" \
	"a root-owned data directory fails in initdb as in the issue (Docker's behaviour)"
expect_rc 0 "$CTR" run --rm -u postgres -v "$B:$PGDATA:U" $IMG \
	initdb -D $PGDATA --auth=trust --locale=C.UTF-8
expect_eq "$(stat -c %u "$B" "$B/PG_VERSION" "$B/base" | sort -u)" "$pguid" "-v HOST:$PGDATA:U: initdb works, files owned by postgres"

# cleanup, checked
expect_rc 0 "$CTR" rm pg2
expect_rc 0 "$CTR" volume rm pgdata
expect_rc 0 "$CTR" rmi $IMG
expect_rc 0 "$CTR" ps -aq
expect_eq "$OUT" "" "no container left"
expect_rc 0 "$CTR" volume ls -q
expect_eq "$OUT" "" "no volume left"
ok "total $((SECONDS - t0))s"
