#!/usr/bin/env bash
# Foundation end to end: argv, batch (-c, -f, stdin), exit statuses, errors
# printed once on stderr, help, completion, man page, version and info.
. "$(dirname "$0")/lib.sh"

# version / info, text and json
expect_rc 0 "$CTR" version
expect_contains "$OUT" "Client: containr" "version text"
expect_rc 0 "$CTR" version --format json
v=$(printf '%s' "$OUT" | python3 -c 'import json,sys; print(json.load(sys.stdin)["Client"]["Version"])')
expect_eq "$v" "$(cat "$CONTAINR_TOP/VERSION")" "version json carries VERSION"
expect_rc 0 "$CTR" -c "version; info"
expect_contains "$OUT" "Root Dir: $CONTAINR_ROOT" "info shows the state root"
expect_contains "$OUT" "Cgroup Version:" "info shows the cgroup version"
expect_rc 0 "$CTR" info --format json
mode=$(printf '%s' "$OUT" | python3 -c 'import json,sys; print(json.load(sys.stdin)["CgroupMode"])')
if grep -q ' /sys/fs/cgroup cgroup2 ' /proc/self/mounts; then want=v2
elif grep -q ' cgroup2 ' /proc/self/mounts; then want=hybrid
else want=v1; fi
expect_eq "$mode" "$want" "cgroup mode detected from /proc/self/mounts"
expect_rc 0 "$CTR" --root "$E2E_TMP/other" info
expect_contains "$OUT" "Root Dir: $E2E_TMP/other" "--root overrides CONTAINR_ROOT"

# unknown command / flag: one line + hint, exit 125 (as Docker), nothing on stdout
expect_rc 125 "$CTR" verison
expect_eq "$OUT" "" "errors never go to stdout"
expect_eq "$(printf '%s\n' "$ERR" | grep -c '^containr: unknown command "verison"')" 1 "error printed once"
expect_contains "$ERR" 'hint: did you mean "version"' "did-you-mean for commands"
expect_rc 125 "$CTR" version --formt json
expect_contains "$ERR" "unknown flag: --formt" "unknown flag named"
expect_contains "$ERR" "did you mean --format" "did-you-mean for flags"

# batch: stop at first failure with its status; --keep-going runs everything
expect_rc 125 "$CTR" -c "version; nosuch; info"
expect_contains "$OUT" "Client: containr" "first command ran"
expect_not_contains "$OUT" "Root Dir" "stopped at the failing command"
expect_rc 125 "$CTR" --keep-going -c "nosuch; version"
expect_contains "$OUT" "Client: containr" "--keep-going ran the rest"
expect_rc 0 "$CTR" -c 'version --format "json" ; help   version'
expect_contains "$OUT" '"Version"' "quoted words in -c"
expect_contains "$OUT" "Usage:  containr version" "second command in -c"
expect_rc 125 "$CTR" -c "version 'unterminated"
expect_contains "$ERR" "unterminated single quote" "quote error"

printf 'version\n# a comment\ninfo --format json\n' >"$E2E_TMP/script.ctr"
expect_rc 0 "$CTR" -f "$E2E_TMP/script.ctr"
expect_contains "$OUT" '"RootDir"' "-f runs a script"
OUT=$(printf 'version\nnosuch\nversion\n' | "$CTR" 2>/dev/null); rc=$?
expect_eq "$rc" 125 "stdin batch stops at the failure"
expect_eq "$(printf '%s\n' "$OUT" | grep -c '^Client: containr')" 1 "stdin batch ran one command before failing"
OUT=$(printf 'version; version' | "$CTR" -f - 2>/dev/null)
expect_eq "$(printf '%s\n' "$OUT" | grep -c '^Client: containr')" 2 "-f - reads stdin"

# help
expect_rc 0 "$CTR" help
expect_contains "$OUT" "General commands:" "help overview"
expect_rc 0 "$CTR" info --help
expect_contains "$OUT" "--format" "command --help lists flags"
expect_rc 125 "$CTR" version extra
expect_contains "$ERR" "accepts no arguments" "arity error"

# completion: the generated script completes through __complete
expect_rc 0 "$CTR" completion bash
printf '%s\n' "$OUT" >"$E2E_TMP/comp.bash"
got=$(PATH="$(dirname "$CTR"):$PATH" bash -c '
  source "$1"
  COMP_WORDS=(containr vers); COMP_CWORD=1; _containr; echo "${COMPREPLY[*]}"
  COMP_WORDS=(containr info --f); COMP_CWORD=2; _containr; echo "${COMPREPLY[*]}"
' _ "$E2E_TMP/comp.bash")
expect_contains "$got" "version" "bash completes command names"
expect_contains "$got" "--format" "bash completes flags"
expect_rc 1 "$CTR" completion tcsh
expect_contains "$ERR" "use bash, zsh or fish" "an unsupported shell names the supported ones"

# the man page in docs/ is the one the table generates
"$CTR" __man >"$E2E_TMP/containr.1"
diff -u "$CONTAINR_TOP/docs/containr.1" "$E2E_TMP/containr.1" >/dev/null || fail "docs/containr.1 is stale: run 'make man'"
ok "docs/containr.1 matches the command table"

# logging goes to stderr or --log-file, never stdout
expect_rc 0 "$CTR" --debug --log-file "$E2E_TMP/log" version
expect_not_contains "$OUT" "level=" "no log lines on stdout"
expect_rc 125 "$CTR" --log-level loud version
expect_contains "$ERR" "invalid log level" "bad log level"
