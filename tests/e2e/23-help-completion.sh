#!/usr/bin/env bash
# 23-help-completion.sh - help tables line up in display columns (a
# multi-byte "…" counts as one), the global options table drives help and
# completion alike, and the zsh and fish completion scripts work in real
# zsh and fish (a command, a flag, a container name).
. "$(dirname "$0")/lib.sh"
export LC_ALL=C.UTF-8 # ${#var} counts characters

# ---- help tables: every description starts in the same column -------------
# align FILE: FILE holds help texts separated by form feeds; fail unless in
# each table (after "Options:" / "Global options:") every row starts its
# description at one column, counted in code points.
align() {
	python3 -c '
import re, sys
bad = []
for text in open(sys.argv[1], encoding="utf-8").read().split("\f"):
    table, cols = None, set()
    for line in text.split("\n") + [""]:
        if line in ("Options:", "Global options:"):
            table, cols = line, set()
        elif table and line.startswith("  "):
            m = re.match(r"^ +\S.*?\S( {3,})\S", line)
            cols.add(m.end(1) if m else -1)
        elif table:
            if len(cols) != 1 or -1 in cols:
                bad.append(text.split("\n")[0] + " / " + table)
            table = None
if bad:
    sys.exit("misaligned: %s" % bad)
' "$1"
}
H=$E2E_TMP/help.txt
expect_rc 0 "$CTR" run --help
mount_row=$(grep -- '--mount' <<<"$OUT")
expect_contains "$mount_row" "…" "run --help has the multi-byte --mount row"
rm_row=$(grep -- ' --rm ' <<<"$OUT")
pre_mount=${mount_row%%Attach*}
pre_rm=${rm_row%%Automatically*}
expect_eq "${#pre_mount}" "${#pre_rm}" "the --mount row's description lines up with --rm's (characters, not bytes)"
printf '%s\f' "$OUT" >"$H"
"$CTR" --help >>"$H" && printf '\f' >>"$H"
for c in $("$CTR" __complete 1 containr ""); do
	"$CTR" "$c" --help >>"$H" && printf '\f' >>"$H"
	for s in $("$CTR" __complete 2 containr "$c" ""); do
		[[ $s == -* ]] || { "$CTR" "$c" "$s" --help >>"$H" 2>/dev/null && printf '\f' >>"$H"; }
	done
done
[ "$(grep -c 'Options:' "$H")" -gt 20 ] || fail "too few help tables collected"
align "$H" || fail "help tables misaligned"
ok "every option table (run, all commands, subcommands, global) is aligned"

# ---- global options: help and completion from one table -------------------
helpg=$("$CTR" --help | sed -n '/^Global options:/,/^$/p' | grep -Eo -- '--[a-z][a-z-]*' | sort -u)
compg=$("$CTR" __complete 1 containr -- | sort -u)
expect_eq "$compg" "$helpg" "global options completed == global options in help"
expect_eq "$("$CTR" __complete 2 containr --log-level "" | tr '\n' ' ')" "debug info warn error " "a global option's value"
expect_rc 125 "$CTR" --debug=yes version
expect_contains "$ERR" "flag takes no value: --debug=yes" "a switch given a value is an error"
expect_rc 0 "$CTR" -l debug --file=/dev/null
ok "-l LEVEL and --file=FILE parse"

# ---- zsh and fish, for real ------------------------------------------------
command -v zsh >/dev/null || fail "zsh is required (apt-get install zsh)"
command -v fish >/dev/null || fail "fish is required (apt-get install fish)"
command -v tmux >/dev/null || fail "tmux is required (apt-get install tmux)"
need_root
R=$E2E_TMP/rootfs
make_busybox_rootfs "$R"
expect_rc 0 "$CTR" create --name compbox-one --rootfs "$R" true
expect_rc 0 "$CTR" completion zsh
printf '%s\n' "$OUT" >"$E2E_TMP/comp.zsh"
mkdir -p "$E2E_TMP/zfunc"
printf '%s\n' "$OUT" >"$E2E_TMP/zfunc/_containr"
expect_rc 0 "$CTR" completion fish
printf '%s\n' "$OUT" >"$E2E_TMP/comp.fish"
BIN=$(dirname "$CTR")

# both load without a word on stderr: zsh sourced and from $fpath, fish
err=$(zsh -f -c 'autoload -Uz compinit && compinit -u -d "$2/zcd" && source "$1"' _ "$E2E_TMP/comp.zsh" "$E2E_TMP" 2>&1)
expect_eq "$err" "" "zsh: sourcing the script after compinit is silent"
got=$(zsh -f -c 'fpath=("$1" $fpath); autoload -Uz compinit && compinit -u -d "$2/zcd2" && print -r -- $_comps[containr]' _ "$E2E_TMP/zfunc" "$E2E_TMP" 2>&1)
expect_eq "$got" "_containr" "zsh: _containr in \$fpath is picked up by compinit (#compdef)"
err=$(fish -c 'source $argv[1]' "$E2E_TMP/comp.fish" 2>&1)
expect_eq "$err" "" "fish: sourcing the script is silent"

# fish: complete -C prints what Tab would offer
fc() { PATH="$BIN:$PATH" CONTAINR_ROOT=$CONTAINR_ROOT fish -c 'source $argv[1]; complete -C $argv[2]' "$E2E_TMP/comp.fish" "$1" | cut -f1; }
expect_eq "$(fc 'containr ru')" "run" "fish: a command"
expect_eq "$(fc 'containr run --priv')" "--privileged" "fish: a flag"
expect_eq "$(fc 'containr start compb')" "compbox-one" "fish: a container name"
expect_eq "$(fc 'containr info --format=j')" "--format=json" "fish: --flag=value"
expect_eq "$(fc 'containr --log-level d')" "debug" "fish: a global option's value"
mkdir -p "$E2E_TMP/pathdir-only"
expect_eq "$(fc "containr run --rootfs $E2E_TMP/pathdir-o")" "$E2E_TMP/pathdir-only/" "fish: paths where the table has no candidates"

# zsh: Tab in a real interactive zsh (compsys), the line as zsh leaves it
SOCK="containr-e2e-zsh-$$"
on_exit tmux -L "$SOCK" kill-server
tmux -L "$SOCK" new-session -d -s z -x 150 -y 30 \
	"env PATH=$BIN:\$PATH CONTAINR_ROOT=$CONTAINR_ROOT zsh -f"
zpane() { tmux -L "$SOCK" capture-pane -p -t z | sed 's/[[:space:]]*$//' | grep -v '^$' | tail -1; }
tmux -L "$SOCK" send-keys -t z "PS1='%% '; autoload -Uz compinit && compinit -u -d $E2E_TMP/zcd3 && source $E2E_TMP/comp.zsh && echo READY" Enter
wait_until 10 bash -c "tmux -L $SOCK capture-pane -p -t z | grep -q '^READY'" || fail "zsh did not start: $(zpane)"
ztab() { # ztab TEXT WANT MESSAGE: type TEXT, Tab, expect the line WANT
	tmux -L "$SOCK" send-keys -t z "$1" Tab
	wait_until 5 bash -c '[ "$(tmux -L "$0" capture-pane -p -t z | sed "s/[[:space:]]*\$//" | grep -v "^\$" | tail -1)" = "$1" ]' "$SOCK" "% $2" ||
		fail "$3: got '$(zpane)', want '% $2'"
	ok "$3"
	tmux -L "$SOCK" send-keys -t z C-u
}
ztab "containr ru" "containr run" "zsh Tab: a command"
ztab "containr run --priv" "containr run --privileged" "zsh Tab: a flag"
ztab "containr start compb" "containr start compbox-one" "zsh Tab: a container name"
ztab "containr info --format=j" "containr info --format=json" "zsh Tab: --flag=value"
ztab "containr --log-level d" "containr --log-level debug" "zsh Tab: a global option's value"
ztab "containr run --rootfs $E2E_TMP/pathdir-o" "containr run --rootfs $E2E_TMP/pathdir-only/" "zsh Tab: paths where the table has no candidates"
expect_rc 0 "$CTR" rm compbox-one
