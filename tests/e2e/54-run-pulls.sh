#!/usr/bin/env bash
# 54-run-pulls.sh - `run IMAGE` pulls a missing image first (as Docker):
# the note and the progress go to stderr, the container's output alone to
# stdout, the image's Entrypoint/Cmd/Env/WorkingDir apply; a second run
# uses the local image without pulling.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
. "$here/lib-registry.sh"
need_root
reg_fixture_up

ref=$REG_PLAIN/busybox:latest
expect_rc 0 "$CTR" run --rm "$ref" sh -c 'echo "$FIXTURE $FIXTURE_ENTRYPOINT $(pwd)"'
expect_eq "$OUT" "busybox 1 /app" "container output alone on stdout; image config applied"
expect_contains "$ERR" "Unable to find image '$ref' locally" "missing image announced on stderr"
expect_contains "$ERR" "Digest: $(image_digest "$ref")" "pull progress on stderr"
expect_rc 0 "$CTR" images --format '{{.Repository}}:{{.Tag}}'
expect_contains "$OUT" "$ref" "the pulled image is listed"
expect_rc 0 "$CTR" run --rm "$ref" cat /app/hello.txt
expect_not_contains "$ERR" "Unable to find image" "second run uses the local image"
expect_rc 125 "$CTR" run --rm "$REG_PLAIN/no-such-image:latest" true
expect_contains "$ERR" "no-such-image" "unknown image named in the error"
expect_rc 0 "$CTR" ps -aq
expect_eq "$OUT" "" "a failed pull leaves no container behind"
