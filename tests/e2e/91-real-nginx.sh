#!/usr/bin/env bash
# A second real image: Debian bookworm's nginx-light (tests/fixtures/images/
# build.sh, cached; the first run builds it).  nginx runs in the foreground
# as its CMD, serves the image's page and a read-only bind-mounted site;
# there is no bridge network yet, so the page is fetched inside the
# container over loopback (bash's /dev/tcp: minbase has no wget/curl).
# stop sends the image's STOPSIGNAL (SIGQUIT, graceful): exit 0.
. "$(dirname "$0")/lib.sh"
need_root

IMAGES=$(cd "$(dirname "$0")/../fixtures/images" && pwd)/build.sh
IMG=containr-test/nginx:1

t0=$SECONDS
CONTAINR_BIN=$CTR "$IMAGES" import nginx $IMG || fail "building/importing the nginx image failed"
ok "image ready ($((SECONDS - t0))s)"
on_exit '"$CTR" rm -f web; "$CTR" rmi -f '$IMG

# get NAME PATH: HTTP GET http://127.0.0.1PATH inside NAME, body only
get() {
	"$CTR" exec "$1" bash -c 'exec 3<>/dev/tcp/127.0.0.1/80 &&
		printf "GET %s HTTP/1.0\r\nHost: x\r\n\r\n" "$0" >&3 && sed "1,/^\r$/d" <&3' "$2"
}

H=$E2E_TMP/site
mkdir -p "$H" && echo "mounted site" >"$H/site.html"
expect_rc 0 "$CTR" run -d --name web -v "$H:/var/www/html/mounted:ro" $IMG
wait_until 30 get web / || fail "nginx does not answer; logs: $("$CTR" logs web 2>&1 | tail -n 20)"
expect_rc 0 get web /
expect_eq "$OUT" "hello from containr nginx" "nginx serves the image's page"
expect_rc 0 get web /mounted/site.html
expect_eq "$OUT" "mounted site" "nginx serves a file from a :ro bind mount"
expect_contains "$("$CTR" logs web 2>&1)" '"GET / HTTP/1.0" 200' "the access log goes to the container's stdout"

s=$(date +%s.%N)
expect_rc 0 "$CTR" stop web
secs=$(awk -v s="$s" -v e="$(date +%s.%N)" 'BEGIN{printf "%.1f", e-s}')
expect_rc 0 "$CTR" inspect -f '{{.State.Status}} {{.State.ExitCode}}' web
expect_eq "$OUT" "exited 0" "nginx stopped gracefully (SIGQUIT, exit 0)"
awk -v s="$secs" 'BEGIN{exit !(s < 8)}' || fail "stop took ${secs}s"
ok "stop took ${secs}s"

expect_rc 0 "$CTR" rm web
expect_rc 0 "$CTR" rmi $IMG
expect_rc 0 "$CTR" ps -aq
expect_eq "$OUT" "" "no container left"
