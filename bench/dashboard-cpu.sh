#!/usr/bin/env bash
# dashboard-cpu.sh - CPU cost of `containr dashboard` watching N running
# containers (default 50) at the default 1 s refresh, in a 120x40 tmux.
# Measures the dashboard process's utime+stime over a window (default 30 s)
# after a warm-up and prints it as % of one core.  Goal: < 2 %.
#   bench/dashboard-cpu.sh [N] [SECONDS]
# Needs root, tmux and busybox-static.  A measurement, never a test.
set -u
N=${1:-50}
SECS=${2:-30}
CTR=${CONTAINR_BIN:-$(cd "$(dirname "$0")/.." && pwd)/build/containr}
TMP=$(mktemp -d /tmp/containr-bench.XXXXXX)
export CONTAINR_ROOT=$TMP/root
SOCK=containr-bench-$$
cleanup() {
	tmux -L "$SOCK" kill-server 2>/dev/null
	"$CTR" rm -f $("$CTR" ps -aq 2>/dev/null) >/dev/null 2>&1
	grep -o " $TMP[^ ]*" /proc/self/mountinfo 2>/dev/null | sort -r | while read -r m; do umount -l "$m"; done
	rm -rf "$TMP"
}
trap cleanup EXIT
[ "$(id -u)" = 0 ] || { echo "needs root" >&2; exit 1; }
command -v tmux >/dev/null || { echo "needs tmux" >&2; exit 1; }
bb=$(command -v busybox || echo /bin/busybox)
mkdir -p "$CONTAINR_ROOT" "$TMP/rootfs"/{bin,proc,sys,dev,tmp,etc}
cp "$bb" "$TMP/rootfs/bin/busybox"
for a in sh sleep; do ln -s busybox "$TMP/rootfs/bin/$a"; done

echo "starting $N containers..."
for i in $(seq 1 "$N"); do
	"$CTR" run -d --name "c$i" --rootfs "$TMP/rootfs" /bin/sleep 100000 >/dev/null || { echo "run c$i failed" >&2; exit 1; }
done
running=$("$CTR" ps -q | wc -l)
echo "running: $running"

tmux -L "$SOCK" -f /dev/null new-session -d -s b -x 120 -y 40 \
	"exec env LANG=C.UTF-8 TERM=tmux-256color CONTAINR_ROOT=$CONTAINR_ROOT $CTR dashboard --interval 1s"
pid=$(tmux -L "$SOCK" list-panes -t b -F '#{pane_pid}')
sleep 5 # warm-up: first listing, cgroups opened
ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
hz=$(getconf CLK_TCK)
t0=$(ticks)
s0=$(date +%s.%N)
sleep "$SECS"
t1=$(ticks)
s1=$(date +%s.%N)
shown=$(tmux -L "$SOCK" capture-pane -p -t b | grep -c ' Up ')
awk -v t=$((t1 - t0)) -v hz="$hz" -v a="$s0" -v b="$s1" -v n="$running" -v shown="$shown" 'BEGIN {
	cpu = t / hz; wall = b - a
	printf "dashboard: %d running containers (%d rows on screen), %.1f s window\n", n, shown, wall
	printf "CPU: %.2f s used = %.2f%% of one core (goal < 2%%)\n", cpu, 100 * cpu / wall
}'
