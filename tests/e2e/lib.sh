# tests/e2e/lib.sh - shared helpers for end-to-end tests (source it).
#   . "$(dirname "$0")/lib.sh"
# Gives: $CTR (the binary), a private CONTAINR_ROOT removed at exit, fail/ok
# assertions, a busybox rootfs builder, and a cleanup hook list.
set -u
CTR=${CONTAINR_BIN:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/build/containr}
HELPER=${CONTAINR_HELPER:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/build/ctr-helper}
E2E_TMP=$(mktemp -d /tmp/containr-t.XXXXXX)
export CONTAINR_ROOT=$E2E_TMP/root
export CONTAINR_HISTFILE=/dev/null
mkdir -p "$CONTAINR_ROOT"
_cleanups=()
# on_exit CMD...: run CMD at exit (last registered runs first)
on_exit() { _cleanups=("$*" "${_cleanups[@]}"); }
_e2e_cleanup() {
	local rc=$?
	for c in "${_cleanups[@]}"; do eval "$c" >/dev/null 2>&1 || true; done
	# Stop anything still running from this root, then unmount and remove it.
	if [ -d "$CONTAINR_ROOT/containers" ]; then
		"$CTR" rm -f $("$CTR" ps -aq 2>/dev/null) >/dev/null 2>&1 || true
	fi
	# Networks of this root: bridges and the root's nft table live on the host.
	if [ -n "$(ls -A "$CONTAINR_ROOT/networks" 2>/dev/null | grep -v '^\.names$')" ]; then
		"$CTR" __network-purge >/dev/null 2>&1 || true
	fi
	grep -o " $E2E_TMP[^ ]*" /proc/self/mountinfo 2>/dev/null | sort -r | while read -r m; do
		umount -l "$m" 2>/dev/null || true
	done
	rm -rf "$E2E_TMP" 2>/dev/null || true
	exit $rc
}
trap _e2e_cleanup EXIT
trap 'exit 130' INT TERM

_t_n=0
fail() { echo "FAIL: $*" >&2; exit 1; }
ok() { _t_n=$((_t_n + 1)); echo "ok $_t_n - $*"; }
# expect_eq GOT WANT MESSAGE
expect_eq() { [ "$1" == "$2" ] || fail "$3: got '$1', want '$2'"; ok "$3"; }
# expect_contains HAYSTACK NEEDLE MESSAGE
expect_contains() { case "$1" in *"$2"*) ok "$3" ;; *) fail "$3: '$2' not in: $1" ;; esac; }
expect_not_contains() { case "$1" in *"$2"*) fail "$3: '$2' unexpectedly in: $1" ;; *) ok "$3" ;; esac; }
# expect_rc WANT CMD...: run CMD, check its exit status; output in $OUT, stderr in $ERR
expect_rc() {
	local want=$1; shift
	local ef=$E2E_TMP/.stderr
	OUT=$("$@" 2>"$ef"); local rc=$?
	ERR=$(cat "$ef")
	[ "$rc" -eq "$want" ] || fail "'$*' exited $rc, want $want; stdout: $OUT; stderr: $ERR"
	ok "'$*' exits $want"
}
# wait_until SECONDS CMD...: poll CMD every 0.1 s until it succeeds
wait_until() {
	local limit=$1; shift
	local end=$(( $(date +%s) + limit ))
	while ! "$@" >/dev/null 2>&1; do
		[ "$(date +%s)" -ge "$end" ] && return 1
		sleep 0.1
	done
	return 0
}
need_root() { [ "$(id -u)" = 0 ] || fail "this test needs root"; }
# make_busybox_rootfs DIR: a minimal busybox root (Debian busybox-static) plus the test helper
make_busybox_rootfs() {
	local d=$1 bb
	bb=$(command -v busybox || echo /bin/busybox)
	[ -x "$bb" ] || fail "busybox-static is not installed (make deps)"
	mkdir -p "$d"/{bin,sbin,etc,tmp,proc,sys,dev,root,home,usr/bin,usr/sbin,var}
	cp "$bb" "$d/bin/busybox"
	# relative links, so they resolve inside the container's root
	for a in $("$d/bin/busybox" --list); do
		[ "$a" = busybox ] || ln -sf busybox "$d/bin/$a"
	done
	chmod 1777 "$d/tmp"
	printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\napp:x:1000:1000:app:/home/app:/bin/sh\n' >"$d/etc/passwd"
	printf 'root:x:0:\nnogroup:x:65534:\napp:x:1000:\nextra:x:2000:app\n' >"$d/etc/group"
	[ -x "$HELPER" ] && cp "$HELPER" "$d/bin/ctr-helper"
	return 0
}
