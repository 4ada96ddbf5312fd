#!/bin/bash
# 20-repl.sh - the interactive prompt through a real pty (tmux): prompt,
# commands, errors, Tab completion, Ctrl-C, dot-commands, history shared
# between sessions without clobbering, and Ctrl-D exiting with status 0.
. "$(dirname "$0")/lib.sh"
command -v tmux >/dev/null || fail "tmux is required (apt-get install tmux)"

BIN=$CTR
T=$E2E_TMP
SOCK="containr-e2e-$$"
on_exit tmux -L "$SOCK" kill-server

# start NAME [ENV=VAL...]: run containr in a new tmux session; when it exits
# the pane prints EXIT=<status> and stays open for inspection.
start() {
	local name=$1
	shift
	tmux -L "$SOCK" new-session -d -s "$name" -x 150 -y 50 \
		"env $* TERM=xterm $BIN; echo EXIT=\$?; sleep 600"
	wait_for "$name" '^containr>' 10 || fail "$name: no prompt"
}
# the pane's text, trailing blanks removed (readline redraws leave spaces)
pane() { tmux -L "$SOCK" capture-pane -p -J -S -500 -t "$1" | sed 's/[[:space:]]*$//'; }
keys() {
	local name=$1
	shift
	tmux -L "$SOCK" send-keys -t "$name" "$@"
}
# wait_for NAME REGEX SECONDS: poll the pane until REGEX (grep -E) matches.
wait_for() {
	local i
	for ((i = 0; i < $3 * 10; i++)); do
		pane "$1" | grep -Eq -- "$2" && return 0
		sleep 0.1
	done
	echo "---- pane $1 ----"
	pane "$1" | sed '/^$/d' | tail -20
	return 1
}
# count NAME REGEX: how many pane lines match
count() { pane "$1" | grep -Ec -- "$2"; }
# the last non-empty line of the pane
last_line() { pane "$1" | sed '/^$/d' | tail -1; }
wait_prompt_idle() { # the last line is an empty prompt
	local i
	for ((i = 0; i < $2 * 10; i++)); do
		[ "$(last_line "$1")" = "containr>" ] && return 0
		sleep 0.1
	done
	return 1
}

H="$T/history"

# ---- session 1 -------------------------------------------------------------
start s1 CONTAINR_HISTFILE="$H"
ok "prompt appears"

keys s1 'version' Enter
wait_for s1 '^Client: containr' 5 && ok "version prints" || fail "version output"

# Tab completes a command name
keys s1 'vers' Tab
wait_for s1 '^containr> version$' 5 && ok "Tab: vers -> version" || fail "Tab on vers"
keys s1 Enter
for ((i = 0; i < 50; i++)); do [ "$(count s1 '^Client: containr')" -ge 2 ] && break; sleep 0.1; done
[ "$(count s1 '^Client: containr')" -ge 2 ] && ok "completed command runs" || fail "completed version did not run"

# Tab completes a flag (ps when the runtime module provides it, else info)
if "$BIN" ps --help >/dev/null 2>&1; then
	keys s1 'ps --al' Tab
	want='^containr> ps --all$'
else
	keys s1 'info --form' Tab
	want='^containr> info --format$'
fi
wait_for s1 "$want" 5 && ok "Tab completes a flag" || fail "Tab on a flag"

keys s1 C-u 'info --format=j' Tab
wait_for s1 '^containr> info --format=json$' 5 && ok "Tab completes --flag=VALUE" || fail "Tab on --format=j"

# Ctrl-C clears the line and does not exit
keys s1 C-c
wait_prompt_idle s1 5 && ok "Ctrl-C clears the line" || fail "Ctrl-C: no fresh prompt"
! pane s1 | grep -q '^EXIT=' && ok "Ctrl-C does not exit" || fail "Ctrl-C ended the REPL"

# an unknown command prints the error and the prompt comes back
keys s1 'nosuch' Enter
wait_for s1 'unknown command "nosuch"' 5 && ok "unknown command error" || fail "no error for nosuch"
wait_prompt_idle s1 5 && ok "prompt back after an error" || fail "no prompt after error"

# .timing on prints the elapsed time of each command
keys s1 '.timing on' Enter
wait_prompt_idle s1 5
keys s1 'help version' Enter
wait_for s1 '^time: [0-9.]+m?s \(exit status 0\)' 5 && ok ".timing on prints a time" || fail ".timing"
keys s1 '.timing off' Enter '.bogus' Enter
wait_for s1 'unknown dot-command "\.bogus"' 5 && ok "unknown dot-command" || fail ".bogus"

# a; b runs both
keys s1 'help info; help completion' Enter
wait_for s1 'Usage:  containr completion' 5 && ok "a; b runs both" || fail "a; b"

keys s1 C-d
wait_for s1 '^EXIT=0$' 5 && ok "Ctrl-D exits with status 0" || fail "Ctrl-D exit status"

for l in 'version' '.timing on' 'nosuch' 'help info; help completion'; do
	grep -qxF -- "$l" "$H" || fail "history file lacks '$l'"
done
[ "$(stat -c %a "$H")" = 600 ] && ok "history file is private (0600)" || fail "history mode $(stat -c %a "$H")"

# ---- session 2: Up recalls session 1's lines -------------------------------
start s2 CONTAINR_HISTFILE="$H"
keys s2 Up
wait_for s2 '^containr> help info; help completion$' 5 && ok "Up recalls the last line" || fail "Up arrow"
keys s2 Up Up
wait_for s2 '^containr> \.timing off$' 5 && ok "Up Up Up walks back" || fail "Up Up Up"
keys s2 C-c

# ---- two sessions at once do not clobber each other ------------------------
start s3 CONTAINR_HISTFILE="$H"
keys s2 'help info' Enter
keys s3 'help version' Enter
wait_for s2 'Usage:  containr info' 5
wait_for s3 'Usage:  containr version' 5
keys s2 C-d
keys s3 C-d
wait_for s2 '^EXIT=0$' 5 && wait_for s3 '^EXIT=0$' 5 || fail "s2/s3 exit"
grep -qxF 'help info' "$H" && grep -qxF 'help version' "$H" && grep -qxF 'nosuch' "$H" &&
	ok "concurrent sessions both appended" || fail "history clobbered: $(cat "$H")"

# ---- default location and /dev/null ----------------------------------------
start s4 CONTAINR_HISTFILE= XDG_STATE_HOME="$T/state"
keys s4 'version' Enter C-d
wait_for s4 '^EXIT=0$' 5
# CONTAINR_HISTFILE= (empty) disables the file
[ ! -e "$T/state/containr/history" ] && ok "empty CONTAINR_HISTFILE disables history" || fail "history written"
tmux -L "$SOCK" new-session -d -s s5 -x 150 -y 50 \
	"env -u CONTAINR_HISTFILE XDG_STATE_HOME=$T/state TERM=xterm $BIN; echo EXIT=\$?; sleep 600"
wait_for s5 '^containr>' 10
keys s5 'version' Enter C-d
wait_for s5 '^EXIT=0$' 5
grep -qxF 'version' "$T/state/containr/history" && ok "default \$XDG_STATE_HOME/containr/history" ||
	fail "no history at \$XDG_STATE_HOME/containr/history"

# a backslash-continued command is one history line
start s9 CONTAINR_HISTFILE="$T/cont"
keys s9 'help \' Enter
wait_for s9 '^ +\.\.\.>$' 5 && ok "a trailing backslash continues the line" || fail "no continuation prompt"
keys s9 'version' Enter
wait_for s9 'Usage:  containr version' 5 && ok "the continued command runs" || fail "continued command"
keys s9 C-d
wait_for s9 '^EXIT=0$' 5 || fail "s9 exit"
expect_eq "$(cat "$T/cont")" "help version" "continued command stored as one history line"

# CONTAINR_HISTSIZE trims the file at exit to the newest lines
start s8 CONTAINR_HISTFILE="$T/small" CONTAINR_HISTSIZE=3
for n in 1 2 3 4 5; do keys s8 ".timing" Space "# line $n" Enter; done
wait_for s8 '# line 5' 5
keys s8 C-d
wait_for s8 '^EXIT=0$' 5 || fail "s8 exit"
expect_eq "$(cat "$T/small" | tr '\n' '|')" ".timing # line 3|.timing # line 4|.timing # line 5|" \
	"CONTAINR_HISTSIZE keeps the newest lines"

# ---- containers: completion of names, .explain on a real run --------------
need_root
R=$T/rootfs
make_busybox_rootfs "$R"
for l in "$R"/bin/*; do [ -L "$l" ] && ln -sf busybox "$l"; done
start s7 CONTAINR_HISTFILE=/dev/null
keys s7 "create --name webapp --rootfs $R sh -c true" Enter
wait_for s7 '^[0-9a-f]{64}$' 10 && ok "create from the REPL" || fail "create in the REPL"
id=$(pane s7 | grep -Eo '^[0-9a-f]{64}$' | head -1)
keys s7 'rm web' Tab
wait_for s7 '^containr> rm webapp$' 5 && ok "Tab completes a container name" || fail "Tab on rm web"
keys s7 C-u "start ${id:0:5}" Tab
wait_for s7 "^containr> start ${id:0:12}\$" 5 && ok "Tab completes a container id prefix" ||
	fail "Tab on an id prefix"
keys s7 C-u 'ps -a' Enter
wait_for s7 "^${id:0:12} .* webapp\$" 5 && ok "ps -a in the REPL" || fail "ps -a in the REPL"
keys s7 '.explain on' Enter "run --rm --rootfs $R true" Enter
wait_for s7 '^\[explain\] ' 10 && ok ".explain on traces a real run" || fail ".explain on"
keys s7 '.explain off' Enter '.explain' Enter
wait_for s7 '^\.explain is off$' 5 && ok ".explain off" || fail ".explain off"
# Ctrl-C during a foreground run stops it (--init forwards SIGINT) and the
# rest of the line; the REPL stays
keys s7 C-u "run --rm --init --rootfs $R sleep 100; help version" Enter
wait_until 10 bash -c "$CTR ps | grep -q sleep" || fail "foreground run did not start"
keys s7 C-c
wait_prompt_idle s7 10 && ok "Ctrl-C stops a foreground run, prompt back" || fail "Ctrl-C during run: $(pane s7 | tail -5)"
! pane s7 | grep -q 'Usage:  containr version' && ok "Ctrl-C skips the rest of the line" ||
	fail "the command after the interrupted one ran"
keys s7 'rm webapp' Enter
wait_for s7 '^webapp$' 5 && ok "rm from the REPL" || fail "rm webapp"
keys s7 C-d
wait_for s7 '^EXIT=0$' 5 || fail "s7 exit"

# exit N leaves with status N
start s6 CONTAINR_HISTFILE=/dev/null
keys s6 'exit 3' Enter
wait_for s6 '^EXIT=3$' 5 && ok "exit 3" || fail "exit 3 status"

