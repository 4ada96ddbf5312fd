#!/usr/bin/env bash
# 80-dashboard.sh - the ncurses dashboard, driven through tmux (120x40):
# it shows running containers with live numbers, stops one with keys (checked
# with `containr ps -a`), shows log lines printed after it started, runs a
# ':' command, switches theme (different SGR codes), survives resizes, and
# leaves no stray output on the screen.
#   DASHBOARD_PNG=docs/dashboard.png bash tests/e2e/80-dashboard.sh
# additionally renders the first screen to a PNG (needs chromium).
. "$(dirname "$0")/lib.sh"
need_root
command -v tmux >/dev/null || apt-get install -y tmux >/dev/null 2>&1 || fail "tmux is needed"
command -v busybox >/dev/null || [ -x /bin/busybox ] || fail "busybox-static is needed (make deps)"

rootfs=$E2E_TMP/rootfs
make_busybox_rootfs "$rootfs"
# busybox --install -s may write absolute host paths: make the links relative.
for l in "$rootfs"/bin/*; do [ -L "$l" ] && ln -sf busybox "$l"; done
export HOME=$E2E_TMP/home XDG_CONFIG_HOME=$E2E_TMP/home/.config
mkdir -p "$HOME"

# Containers: one prints a numbered line every 0.2 s, one burns CPU.
"$CTR" volume create scratch >/dev/null || fail "volume create"
"$CTR" run -d --name web --pids-limit 77 -v data:/data --rootfs "$rootfs" /bin/sh -c 'i=0; while :; do i=$((i+1)); echo "tick $i"; sleep 0.2; done' >/dev/null ||
	fail "run web"
"$CTR" run -d --name burner --rootfs "$rootfs" /bin/sh -c 'while :; do :; done' >/dev/null || fail "run burner"
# A root filesystem with busybox but no shell at all.
bare=$E2E_TMP/bare
mkdir -p "$bare"/{bin,proc,sys,dev,tmp}
cp "$rootfs/bin/busybox" "$bare/bin/busybox"
"$CTR" run -d --name noshell --rootfs "$bare" /bin/busybox sleep 100000 >/dev/null || fail "run noshell"
ok "three containers running"

# ansi2html FILE: a tmux capture-pane -e dump as an HTML page (for screenshots).
ansi2html() {
	python3 - "$1" <<'PY'
import html, re, sys
pal = ["#000000", "#cd3131", "#0dbc79", "#e5e510", "#2472c8", "#bc3fbc", "#11a8cd", "#e5e5e5",
       "#666666", "#f14c4c", "#23d18b", "#f5f543", "#3b8eea", "#d670d6", "#29b8db", "#ffffff"]
def c256(n):
    if n < 16: return pal[n]
    if n < 232:
        n -= 16; v = [0, 95, 135, 175, 215, 255]
        return "#%02x%02x%02x" % (v[n // 36], v[n // 6 % 6], v[n % 6])
    g = 8 + (n - 232) * 10
    return "#%02x%02x%02x" % (g, g, g)
FG, BG = "#d4d4d4", "#1e1e1e"
out = []
st = dict(fg=None, bg=None, bold=False, dim=False, ul=False, rev=False)
def span(text):
    fg, bg = st["fg"] or FG, st["bg"] or BG
    if st["rev"]: fg, bg = bg, fg
    css = "color:%s;background:%s" % (fg, bg)
    if st["bold"]: css += ";font-weight:bold"
    if st["dim"]: css += ";opacity:.65"
    if st["ul"]: css += ";text-decoration:underline"
    out.append('<span style="%s">%s</span>' % (css, html.escape(text)))
data = open(sys.argv[1], encoding="utf-8", errors="replace").read()
for line in data.split("\n"):
    for part in re.split(r"(\x1b\[[0-9;:]*m)", line):
        m = re.fullmatch(r"\x1b\[([0-9;:]*)m", part)
        if not m:
            if part: span(part)
            continue
        a = [int(x) if x else 0 for x in re.split("[;:]", m.group(1))] or [0]
        i = 0
        while i < len(a):
            c = a[i]
            if c == 0: st.update(fg=None, bg=None, bold=False, dim=False, ul=False, rev=False)
            elif c == 1: st["bold"] = True
            elif c == 2: st["dim"] = True
            elif c == 4: st["ul"] = True
            elif c == 7: st["rev"] = True
            elif c == 22: st["bold"] = st["dim"] = False
            elif c == 24: st["ul"] = False
            elif c == 27: st["rev"] = False
            elif 30 <= c <= 37: st["fg"] = pal[c - 30]
            elif 40 <= c <= 47: st["bg"] = pal[c - 40]
            elif 90 <= c <= 97: st["fg"] = pal[c - 82]
            elif 100 <= c <= 107: st["bg"] = pal[c - 92]
            elif c == 39: st["fg"] = None
            elif c == 49: st["bg"] = None
            elif c in (38, 48) and i + 2 < len(a) and a[i + 1] == 5:
                st["fg" if c == 38 else "bg"] = c256(a[i + 2]); i += 2
            elif c in (38, 48) and i + 4 < len(a) and a[i + 1] == 2:
                st["fg" if c == 38 else "bg"] = "#%02x%02x%02x" % tuple(a[i + 2:i + 5]); i += 4
            i += 1
    out.append("\n")
print('<!doctype html><meta charset="utf-8"><body style="margin:0;background:%s">'
      '<pre style="margin:4px;font:13px/16px \'DejaVu Sans Mono\',monospace;color:%s">%s</pre>'
      % (BG, FG, "".join(out)))
PY
}

sock=containr-e2e-$$
T() { tmux -L "$sock" "$@"; }
on_exit "tmux -L $sock kill-server"
T -f /dev/null new-session -d -s dash -x 120 -y 40 \
	"env LANG=C.UTF-8 TERM=tmux-256color CONTAINR_ROOT=$CONTAINR_ROOT HOME=$HOME XDG_CONFIG_HOME=$XDG_CONFIG_HOME $CTR dashboard --interval 500ms 2>$E2E_TMP/dash.stderr"
T set-option -t dash remain-on-exit on >/dev/null
screen() { T capture-pane -p -t dash "$@"; }
alive() { [ "$(T list-panes -t dash -F '#{pane_dead}')" = 0 ]; }
has() { screen | grep -q -- "$1"; }
# burner's CPU% column shows a live number >= 1% (it spins; the host may be busy)
burner_busy() {
	screen | awk '/ burner /{for (i = 1; i <= NF; i++) if ($i ~ /^[0-9.]+%$/) { sub("%", "", $i); if ($i + 0 >= 1) found = 1 }} END {exit !found}'
}

wait_until 10 has "web" || fail "dashboard does not show web: $(screen)"
wait_until 10 has "burner" || fail "dashboard does not show burner"
ok "container names on screen"
wait_until 10 burner_busy || fail "no live CPU number for burner: $(screen | grep burner)"
ok "live CPU % for a busy container ($(screen | grep -o 'burner.*' | tr -s ' ' | cut -c1-80))"
has "Up " || fail "no uptime status"
ok "Docker-style status column"

if [ -n "${DASHBOARD_PNG:-}" ]; then
	T capture-pane -e -p -t dash >"$E2E_TMP/screen.ansi"
	ansi2html "$E2E_TMP/screen.ansi" >"$E2E_TMP/screen.html"
	chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
		--disable-component-update --no-first-run --user-data-dir="$E2E_TMP/chrome" \
		--hide-scrollbars --window-size=952,652 --screenshot="$DASHBOARD_PNG" \
		"file://$E2E_TMP/screen.html" >/dev/null 2>&1 || fail "chromium screenshot"
	ok "screenshot written to $DASHBOARD_PNG"
fi

# Logs: filter to web, open its logs, a line printed after this point appears.
T send-keys -t dash / w e b Enter
wait_until 5 sh -c "! tmux -L $sock capture-pane -p -t dash | grep -q ' burner '" || fail "filter did not hide burner"
ok "filter hides other containers"
T send-keys -t dash l
wait_until 5 has "follow:on" || fail "logs tab did not open: $(screen)"
last=$(screen | grep -o 'tick [0-9]*' | tail -1 | cut -d' ' -f2)
[ -n "$last" ] || fail "no log lines in the logs pane: $(screen)"
newer() { n=$(screen | grep -o 'tick [0-9]*' | tail -1 | cut -d' ' -f2); [ "${n:-0}" -gt $((last + 3)) ]; }
wait_until 10 newer || fail "logs pane does not follow new lines (stuck at tick $last)"
ok "logs pane follows lines printed after it opened (tick $last -> $n)"
for tab in Stats Top Inspect Internals; do
	T send-keys -t dash Tab
	case $tab in
	Stats) want="MEMORY" ;;
	Top) want="COMMAND" ;;
	Inspect) want='"Id"' ;;
	Internals) want="Namespaces" ;;
	esac
	wait_until 5 has "$want" || fail "$tab tab does not show $want: $(screen)"
	ok "$tab tab shows $want"
	if [ "$tab" = Top ]; then
		# processes listed from the container's cgroup: the loop's sleep
		wait_until 5 has "sleep 0.2" || fail "Top does not list web's processes: $(screen)"
		ok "Top lists the container's processes"
	fi
done
has "own namespace" || fail "Internals does not compare namespaces with the host"
ok "Internals compares namespaces with pid 1"
# The limit files come from the container's cgroup (the engine's cgroup
# module): --pids-limit 77 is in pids.max, on v1 and v2 alike.
T send-keys -t dash Down Down Down Down Down Down Down Down Down Down Down Down
wait_until 5 has "pids.max  *77" || fail "Internals does not show pids.max 77: $(screen)"
ok "Internals shows the cgroup's limit files (pids.max 77)"
T send-keys -t dash Escape

# Shell: e leaves curses, runs exec -it web sh through the CLI code path, comes back.
T send-keys -t dash e
wait_until 10 has "exit the shell to return" || fail "e did not start a shell: $(screen)"
T send-keys -t dash 'echo marker-$((6*7))' Enter
wait_until 10 has "marker-42" || fail "no output from the shell: $(screen)"
T send-keys -t dash 'exit' Enter
wait_until 10 has "exec -it web sh  -> exit status 0" || fail "did not come back from the shell: $(screen)"
alive || fail "dashboard died after exec"
ok "e opens a shell in the container and returns to the dashboard"
# A container without any shell: a clear message, no crash.
T send-keys -t dash / C-u n o s h e l l Enter
wait_until 5 has "noshell" || fail "noshell not listed"
T send-keys -t dash e
wait_until 5 has "no shell in noshell" || fail "no message for a container without a shell: $(screen | tail -2)"
ok "clear message when the container has no shell"
T send-keys -t dash / C-u w e b Enter
wait_until 5 sh -c "! tmux -L $sock capture-pane -p -t dash | grep -q ' noshell '" || fail "filter back to web"

# Stop web with keys, confirm, and check with the CLI.
T send-keys -t dash s
wait_until 5 has "containr stop web" || fail "no confirmation with the CLI equivalent: $(screen | tail -3)"
ok "confirmation shows 'containr stop web'"
T send-keys -t dash y
stopped_any() { "$CTR" ps -a 2>/dev/null | grep web | grep -q Exited; }
wait_until 20 stopped_any || fail "web did not stop: $("$CTR" ps -a)"
ok "s + y stopped web (containr ps -a says Exited)"
"$CTR" ps | grep -q burner || fail "burner was stopped too"
ok "only the selected container stopped"
T send-keys -t dash / C-u Enter

# ':' runs a command through the shared parser; its output shows in a pane.
T send-keys -t dash : v e r s i o n Enter
wait_until 5 has "containr version" || fail ":version output not shown: $(screen)"
ok ":version output shown"
T send-keys -t dash Escape
: >"$E2E_TMP/before"
T send-keys -t dash : n o s u c h c m d Enter
wait_until 5 has "unknown command" || fail "error of a bad command not in the status line: $(screen | tail -2)"
ok "errors land in the status line"

# Volumes browser: which container uses each; remove an unused one with D + y.
T send-keys -t dash 3
wait_until 5 sh -c "tmux -L $sock capture-pane -p -t dash | grep -q 'scratch'" || fail "volume view: $(screen)"
screen | grep -E '^ +data +local .* web' >/dev/null || fail "volume data not shown as used by web: $(screen | grep data)"
ok "volumes view lists volumes with the containers using them"
T send-keys -t dash / s c r a t c h Enter D
wait_until 5 has "containr volume rm scratch" || fail "no confirmation for volume rm: $(screen | tail -2)"
T send-keys -t dash y
gone() { ! "$CTR" volume ls -q | grep -qx scratch; }
wait_until 10 gone || fail "scratch not removed: $("$CTR" volume ls)"
ok "D + y removed the volume (containr volume ls)"
T send-keys -t dash 2
wait_until 5 has "REPOSITORY:TAG" || fail "images view did not open"
ok "images view opens"
T send-keys -t dash 1

# Theme switch changes the colours (SGR codes).
sgr() { screen -e | grep -o $'\e\\[[0-9;]*m' | sort -u; }
sgr >"$E2E_TMP/sgr1"
T send-keys -t dash T
wait_until 5 has "theme:" || fail "no theme indicator"
changed() { sgr >"$E2E_TMP/sgr2"; ! cmp -s "$E2E_TMP/sgr1" "$E2E_TMP/sgr2"; }
wait_until 5 changed || fail "theme switch did not change the SGR codes"
ok "theme switch changes colours ($(screen | grep -o 'theme:[a-z-]*' | head -1))"

# Resizes down to 80x24 and below, and back.
for size in "80 24" "60 15" "200 50" "120 40"; do
	set -- $size
	T resize-window -t dash -x "$1" -y "$2"
	wait_until 3 has "containr dashboard" || wait_until 3 has "too small" || fail "nothing drawn at $1x$2"
	alive || fail "dashboard died at $1x$2"
done
ok "survives resizes (80x24, 60x15, 200x50)"

# Help is generated from the key table.
T send-keys -t dash '?'
wait_until 5 has "\[containr stop\]" || fail "help does not list the stop action"
ok "help lists actions with their CLI equivalents"
T send-keys -t dash Escape q
wait_until 5 sh -c "[ \"\$(tmux -L $sock list-panes -t dash -F '#{pane_dead}')\" = 1 ]" || fail "q did not quit"
ok "q quits"
# Nothing was written over the screen: stderr was captured and replayed at exit.
grep -q "unknown command" "$E2E_TMP/dash.stderr" || fail "captured stderr not replayed on exit"
ok "stderr captured while running and replayed on exit"
# --read-only: no mutating keys, the prompt refuses changes, reading works.
T new-session -d -s ro -x 120 -y 40 \
	"env LANG=C.UTF-8 TERM=tmux-256color CONTAINR_ROOT=$CONTAINR_ROOT HOME=$HOME $CTR dashboard --read-only --ascii"
ro() { T capture-pane -p -t ro; }
wait_until 10 sh -c "tmux -L $sock capture-pane -p -t ro | grep -q burner" || fail "read-only dashboard shows nothing"
ro | grep -q "read-only" || fail "no read-only indicator"
ro | tail -1 | grep -q "Stop" && fail "read-only key bar offers Stop"
ok "read-only: indicator shown, no Stop in the key bar"
# s then T: had s opened a confirmation, T would answer it and the theme would not change.
T send-keys -t ro / b u r n e r Enter s T
wait_until 5 sh -c "! tmux -L $sock capture-pane -p -t ro | grep -q 'theme:default'" ||
	fail "s was not ignored in read-only mode: $(ro | tail -2)"
T send-keys -t ro : s t o p Space b u r n e r Enter
wait_until 5 sh -c "tmux -L $sock capture-pane -p -t ro | grep -q 'read-only dashboard'" || fail "prompt did not refuse stop"
"$CTR" ps | grep -q burner || fail "burner stopped by a read-only dashboard"
ok "read-only: s does nothing, :stop is refused, burner still runs"
ro | LC_ALL=C grep -q -P '[\x80-\xff]' && fail "--ascii drew non-ASCII characters: $(ro | LC_ALL=C grep -P '[\x80-\xff]')"
ok "--ascii draws ASCII only"
T kill-session -t ro

# --mouse: a click (X10 mouse sequence: press, release) on "2 Images" opens that view.
T new-session -d -s mouse -x 120 -y 40 \
	"env LANG=C.UTF-8 TERM=tmux-256color CONTAINR_ROOT=$CONTAINR_ROOT HOME=$HOME $CTR dashboard --mouse"
wait_until 10 sh -c "tmux -L $sock capture-pane -p -t mouse | grep -q 'NAME'" || fail "mouse dashboard did not start"
click() { # click COL ROW (0-based)
	T send-keys -t mouse -l "$(printf '\033[M %b%b' "\\x$(printf %x $((33 + $1)))" "\\x$(printf %x $((33 + $2)))")"
	T send-keys -t mouse -l "$(printf '\033[M#%b%b' "\\x$(printf %x $((33 + $1)))" "\\x$(printf %x $((33 + $2)))")"
}
click 18 1
wait_until 5 sh -c "tmux -L $sock capture-pane -p -t mouse | grep -q 'REPOSITORY:TAG'" || fail "click on the Images tab did nothing"
ok "--mouse: clicking a view tab switches view"
T kill-session -t mouse

# dashboard.conf: theme and key remapping; errors name the file and line.
mkdir -p "$XDG_CONFIG_HOME/containr"
printf '# test settings\ntheme = mono\nkey.stop = x\n' >"$XDG_CONFIG_HOME/containr/dashboard.conf"
T new-session -d -s conf -x 120 -y 40 \
	"env LANG=C.UTF-8 TERM=tmux-256color CONTAINR_ROOT=$CONTAINR_ROOT HOME=$HOME XDG_CONFIG_HOME=$XDG_CONFIG_HOME $CTR dashboard"
wait_until 10 sh -c "tmux -L $sock capture-pane -p -t conf | grep -q 'theme:mono'" || fail "theme from dashboard.conf not used"
T capture-pane -p -t conf | tail -1 | grep -q 'xStop' || fail "key.stop = x not in the key bar: $(T capture-pane -p -t conf | tail -1)"
ok "dashboard.conf sets the theme and remaps keys (x stops)"
T kill-session -t conf
printf 'theme = mono\nkey.stop = q\n' >"$XDG_CONFIG_HOME/containr/dashboard.conf"
expect_rc 1 "$CTR" dashboard
expect_contains "$ERR" "key q is bound to both" "a key conflict in dashboard.conf is refused"
printf 'colour = red\n' >"$XDG_CONFIG_HOME/containr/dashboard.conf"
expect_rc 1 "$CTR" dashboard
expect_contains "$ERR" "dashboard.conf line 1" "a bad setting names the file and line"
rm "$XDG_CONFIG_HOME/containr/dashboard.conf"
expect_rc 1 "$CTR" dashboard --theme nosuchtheme
expect_contains "$ERR" 'no theme named "nosuchtheme"' "an unknown theme is an error"
expect_rc 125 "$CTR" dashboard
expect_contains "$ERR" "needs a terminal" "without a terminal: a clear error, no curses garbage"

echo "all dashboard tests passed"
