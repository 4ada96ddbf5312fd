#!/bin/bash
# 21-cli.sh - what users see of the command table: help for every command,
# help and completion agree on flags, the man page renders and covers every
# command, the bash completion script in a real bash (Tab in a pty, and
# COMP_WORDS simulation incl. --flag=value), batch modes, and --format
# templates on version/info.
. "$(dirname "$0")/lib.sh"
command -v tmux >/dev/null || fail "tmux is required (apt-get install tmux)"
SOCK="containr-e2e-$$"
on_exit tmux -L "$SOCK" kill-server

# ---- help for every command ---------------------------------------------
cmds=$("$CTR" __complete 1 containr "")
[ -n "$cmds" ] || fail "__complete lists no commands"
expect_rc 0 "$CTR" help
for c in $cmds; do
	grep -Eq "^  $c +[A-Z]" <<<"$OUT" || fail "'containr help' does not list $c"
done
ok "'containr help' lists every command ($(echo $cmds | wc -w))"
for c in $cmds; do
	h=$("$CTR" "$c" --help) || fail "$c --help failed"
	[[ $h == "Usage:  containr $c"* ]] || fail "$c --help does not start with its usage"
	[ "$h" = "$("$CTR" help "$c")" ] || fail "'help $c' differs from '$c --help'"
	# every flag shown in help is offered by completion, and the reverse
	helpflags=$(grep -Eo -- '--[a-z][a-z0-9-]*' <<<"$(sed -n '/^Options:/,$p' <<<"$h")" | sort -u)
	compflags=$("$CTR" __complete 2 containr "$c" -- | grep -v '^--help$' | sort -u)
	[ "$helpflags" = "$compflags" ] || fail "$c: help flags [$helpflags] != completion [$compflags]"
done
ok "every command: --help, 'help CMD' identical, flags in help == flags completed"
if "$CTR" ps --help >/dev/null 2>&1; then
	expect_rc 0 "$CTR" ps --help
	expect_contains "$OUT" "--all" "ps --help shows --all"
fi
expect_rc 125 "$CTR" help nosuch
expect_contains "$ERR" 'unknown command "nosuch"' "help for an unknown command"

# ---- man page --------------------------------------------------------------
"$CTR" __man >"$E2E_TMP/containr.1" || fail "__man failed"
warn=$(groff -man -Tutf8 -ww -z "$E2E_TMP/containr.1" 2>&1)
expect_eq "$warn" "" "man page renders without groff warnings"
text=$(MANWIDTH=100 man -l "$E2E_TMP/containr.1" 2>/dev/null | col -b)
for c in $cmds; do
	grep -Eq "containr $c( |$)" <<<"$text" || fail "man page lacks $c"
done
ok "man page documents every command"

# ---- bash completion -------------------------------------------------------
"$CTR" completion bash >"$E2E_TMP/comp.bash"
bash -n "$E2E_TMP/comp.bash" || fail "completion script has a syntax error"
sim() { # sim WORD...: COMPREPLY for the last word
	PATH="$(dirname "$CTR"):$PATH" bash -c '
		source "$1"; shift
		COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); _containr
		printf "%s\n" "${COMPREPLY[@]}"' _ "$E2E_TMP/comp.bash" "$@"
}
expect_eq "$(sim containr ver)" "version" "compgen: ver -> version"
expect_eq "$(sim containr info --format "" | tr '\n' ' ')" "json text " "compgen: flag choices"
expect_eq "$(sim containr info --format = j)" "json" "compgen: --format=j (bash splits at '=')"
expect_eq "$(sim containr --root = /tmp ver)" "version" "compgen: after a global --root=DIR"
expect_eq "$(sim containr help comp)" "completion" "compgen: help CMD"

# the same in a real interactive bash: readline replaces the right text
tmux -L "$SOCK" new-session -d -s b -x 150 -y 30 \
	"env PATH=$(dirname "$CTR"):\$PATH INPUTRC=/dev/null PS1='$ ' bash --norc --noprofile"
pane() { tmux -L "$SOCK" capture-pane -p -t b | sed 's/[[:space:]]*$//'; }
wait_pane() { wait_until 5 bash -c "tmux -L $SOCK capture-pane -p -t b | sed 's/[[:space:]]*\$//' | grep -Eq -- \"\$0\"" "$1"; }
tmux -L "$SOCK" send-keys -t b "source $E2E_TMP/comp.bash" Enter
tmux -L "$SOCK" send-keys -t b "containr vers" Tab
wait_pane '^\$ containr version$' && ok "bash Tab: containr vers -> version" || fail "bash Tab on vers: $(pane)"
tmux -L "$SOCK" send-keys -t b C-u "containr info --format=j" Tab
wait_pane '^\$ containr info --format=json$' && ok "bash Tab: --format=j -> --format=json" ||
	fail "bash Tab on --format=j: $(pane)"

# ---- batch ---------------------------------------------------------------
expect_rc 125 "$CTR" verson
expect_contains "$ERR" 'did you mean "version"' "unknown command suggests"
expect_rc 125 "$CTR" -c "version; nosuch; version"
expect_eq "$(grep -c '^Client: containr' <<<"$OUT")" 1 "-c stops at the failure"
expect_rc 125 "$CTR" --keep-going -c "version; nosuch; version"
expect_eq "$(grep -c '^Client: containr' <<<"$OUT")" 2 "--keep-going runs every command"
cat >"$E2E_TMP/script.ctr" <<'EOF'
# a comment line
version --format \
  '{{.Client.Version}}'
info --format "{{.Driver}}"   # trailing comment
EOF
expect_rc 0 "$CTR" -f "$E2E_TMP/script.ctr"
expect_eq "$OUT" "$(cat "${CONTAINR_TOP:-$(dirname "$0")/../..}/VERSION")
overlay2" "-f script with comments and continuation"
OUT=$(printf 'version -f "{{.Client.Os}}"\nversion -f "{{.Client.Arch}}"\n' | "$CTR")
expect_eq "$OUT" "linux
$(uname -m | sed 's/x86_64/amd64/;s/aarch64/arm64/')" "stdin batch (not a tty)"

# ---- --format templates on version and info ------------------------------
expect_rc 0 "$CTR" version --format '{{.Client.Os}}/{{.Client.Arch}} {{upper .Server.Os}}'
expect_eq "$OUT" "linux/$(uname -m | sed 's/x86_64/amd64/;s/aarch64/arm64/') LINUX" "version --format template"
expect_rc 0 "$CTR" info --format '{{json .Namespaces}}'
python3 -c 'import json,sys; assert "mnt" in json.loads(sys.argv[1])' "$OUT" || fail "info {{json .Namespaces}}: $OUT"
ok "info --format '{{json .Namespaces}}' is JSON"
expect_rc 0 "$CTR" info --format '{{.Containers}} {{if .Seccomp}}seccomp{{end}}'
expect_contains "$OUT" "0 " "numbers print as integers"
expect_rc 1 "$CTR" info --format '{{.Nope}}'
expect_eq "$OUT" "" "template error prints nothing on stdout"
expect_contains "$ERR" 'template: :1:2: executing "" at <.Nope>: can'"'"'t evaluate field Nope' "template error message"
expect_eq "$(grep -c '^containr:' <<<"$ERR")" 1 "template error printed once"
expect_rc 1 "$CTR" version --format '{{if .Os}}'
expect_contains "$ERR" "template: :1:10: unexpected EOF" "template parse error"

# ---- --format on real lists: ps and inspect --------------------------------
need_root
R=$E2E_TMP/rootfs
make_busybox_rootfs "$R"
for l in "$R"/bin/*; do [ -L "$l" ] && ln -sf busybox "$l"; done
expect_rc 0 "$CTR" create --name fmt-a --label tier=front --rootfs "$R" sh -c true
ida=$OUT
expect_rc 0 "$CTR" create --name fmt-bb --rootfs "$R" sh -c true
expect_rc 0 "$CTR" ps -a --format '{{.Names}}'
expect_eq "$(sort <<<"$OUT" | tr '\n' ' ')" "fmt-a fmt-bb " "ps --format '{{.Names}}': one line per container"
expect_rc 0 "$CTR" ps -a --filter name=fmt-a --format 'table {{.ID}}\t{{.Names}}\t{{.Label "tier"}}'
expect_eq "$OUT" "CONTAINER ID   NAMES     LABEL
${ida:0:12}   fmt-a     front" "ps --format 'table …' header, alignment, .Label"
expect_rc 0 "$CTR" ps -a --filter name=fmt-bb --format json
python3 -c 'import json,sys; d=json.loads(sys.argv[1]); assert d["Names"]=="fmt-bb", d' "$OUT" ||
	fail "ps --format json: $OUT"
ok "ps --format json is one JSON object per line"
OUT=$("$CTR" ps -a --format '{{.Nope}}' 2>"$E2E_TMP/err") && fail "ps with a bad template succeeded"
ERR=$(cat "$E2E_TMP/err")
expect_eq "$OUT" "" "ps template error fails and prints nothing"
expect_contains "$ERR" "can't evaluate field Nope" "ps template error message"
expect_rc 0 "$CTR" inspect --format '{{.Name}} {{.State.Status}} {{index .Config.Labels "tier"}}' fmt-a
expect_contains "$OUT" "created front" "inspect --format over the inspect JSON"
expect_rc 0 "$CTR" rm fmt-a fmt-bb
