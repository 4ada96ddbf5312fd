#!/usr/bin/env bash
# 46-ext-split: the engine binary links only the small libraries, and the
# container path (run, ps, stop) never loads containr-ext.so; the commands that
# need it (import, REPL...) load it; a broken plugin gives a one-line error and
# leaves every other command working.  Why: docs/ARCHITECTURE.md.
. "$(dirname "$0")/lib.sh"
need_root
R=$E2E_TMP/rootfs
make_busybox_rootfs "$R"

libs=$(ldd "$CTR")
for l in libcurl libarchive libcrypto libreadline libncurses; do
	expect_not_contains "$libs" "$l" "the engine binary does not link $l"
done

# The default network's first use builds the root's nftables table (libnftables,
# in the plugin): once per state root, done here first.
expect_rc 0 "$CTR" network ls
# A foreground run: while the container runs, the CLI maps neither the plugin nor libcurl.
"$CTR" run --name fg --rootfs "$R" sleep 3 >/dev/null 2>&1 &
cli=$!
wait_until 10 sh -c "'$CTR' ps -q -f name=fg -f status=running | grep -q ." || fail "fg did not start"
maps=$(cat "/proc/$cli/maps")
expect_contains "$maps" "$(basename "$CTR")" "the CLI's maps were read while it ran"
expect_not_contains "$maps" containr-ext.so "run does not load containr-ext.so"
expect_not_contains "$maps" libcurl "run does not map libcurl"
wait "$cli"
expect_eq "$?" 0 "the foreground run exited 0"

# import needs libarchive: it loads the plugin, and its image then runs.
tar -C "$R" -cf "$E2E_TMP/root.tar" .
expect_rc 0 "$CTR" --log-level debug import "$E2E_TMP/root.tar" split/imported:1
expect_contains "$ERR" "ext: loaded" "import loads containr-ext.so"
expect_rc 0 "$CTR" run --rm split/imported:1 echo from-import
expect_eq "$OUT" from-import "the imported image runs"

# A copy of the binary next to a broken plugin.
mkdir -p "$E2E_TMP/bin"
cp "$CTR" "$E2E_TMP/bin/containr"
: >"$E2E_TMP/bin/containr-ext.so"
B=$E2E_TMP/bin/containr
expect_rc 0 "$B" version
expect_rc 0 "$B" run --rm --rootfs "$R" echo still-runs
expect_eq "$OUT" still-runs "containers run without the plugin"
expect_rc 0 "$B" images
expect_contains "$OUT" split/imported "images lists without the plugin"
expect_rc 1 "$B" import "$E2E_TMP/root.tar" split/two:1
expect_contains "$ERR" "containr: cannot load $E2E_TMP/bin/containr-ext.so" "import names the broken plugin"
expect_contains "$ERR" "hint: " "with a hint"
expect_eq "$(printf '%s\n' "$ERR" | wc -l)" 2 "in one line plus the hint"
expect_rc 0 "$B" images -q split/two
expect_eq "$OUT" "" "the failed import left no image"
