#!/usr/bin/env bash
# -it through a real pty (python's pty module plays the terminal): the
# shell sees a tty, our window size, typed input, and its exit status.
. "$(dirname "$0")/lib.sh"
need_root
command -v python3 >/dev/null || fail "python3 is needed for the pty test"
R=$E2E_TMP/rootfs
make_busybox_rootfs "$R"
cat >"$E2E_TMP/term.py" <<'PY'
import fcntl, os, pty, select, struct, sys, termios, time
pid, fd = pty.fork()
if pid == 0:
    os.execv(sys.argv[1], sys.argv[1:])
fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 33, 111, 0, 0))
out = b""
def pump(t):
    global out
    end = time.time() + t
    while time.time() < end:
        r, _, _ = select.select([fd], [], [], 0.05)
        if r:
            try:
                d = os.read(fd, 4096)
            except OSError:
                return
            if not d:
                return
            out += d
pump(1.5)
os.write(fd, b"test -t 0 && echo IS-A-TTY; echo SUM-$((6*7)); stty size; echo $TERM\n")
pump(0.5)
# the pty must be nameable inside (issue #16): `tty` names a /dev/pts/N
# that exists in the container's own /dev/pts
os.write(fd, b"echo NAME-$(tty); test -c \"$(tty)\" && echo NAME-EXISTS; ls /dev/pts | tr '\\n' ' '; echo; echo OWNER-$(stat -c %u \"$(tty)\")\n")
pump(1.5)
# a resize mid-session: the kernel sends SIGWINCH to our foreground process
# (containr), which must resize the container's pty
fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 44, 122, 0, 0))
pump(0.5)
os.write(fd, b"echo RESIZED-$(stty size | tr ' ' x)\n")
pump(1.5)
os.write(fd, b"exit 5\n")
pump(3)
_, st = os.waitpid(pid, 0)
sys.stdout.write(out.decode(errors="replace").replace("\r", ""))
print("EXIT=%d" % os.WEXITSTATUS(st))
PY
OUT=$(python3 "$E2E_TMP/term.py" "$CTR" run --rm -it --rootfs "$R" sh)
expect_contains "$OUT" "IS-A-TTY" "stdin is a terminal"
expect_contains "$OUT" "SUM-42" "typed input reaches the shell"
expect_contains "$OUT" "33 111" "the pty has our window size"
expect_contains "$OUT" "RESIZED-44x122" "a resize of our terminal reaches the container's pty"
expect_contains "$OUT" "xterm" "TERM=xterm with -t"
expect_contains "$OUT" "EXIT=5" "run -it exits with the shell's status"
expect_contains "$OUT" "NAME-/dev/pts/0" "run -it: tty names /dev/pts/0 (the container's devpts)"
expect_contains "$OUT" "NAME-EXISTS" "run -it: the tty exists inside"
expect_contains "$OUT" "OWNER-0" "run -it: root owns its tty"

expect_rc 0 "$CTR" run -d --name tt --rootfs "$R" ctr-helper pause
on_exit "$CTR" rm -f tt
OUT=$(python3 "$E2E_TMP/term.py" "$CTR" exec -it tt sh)
expect_contains "$OUT" "IS-A-TTY" "exec -it: a terminal"
expect_contains "$OUT" "SUM-42" "exec -it: input reaches the shell"
expect_contains "$OUT" "33 111" "exec -it: our window size"
expect_contains "$OUT" "RESIZED-44x122" "exec -it: a resize reaches the pty"
expect_contains "$OUT" "EXIT=5" "exec -it: exit status"
expect_contains "$OUT" "NAME-/dev/pts/" "exec -it: tty names a /dev/pts/N"
expect_not_contains "$OUT" "not a tty" "exec -it: tty does not say 'not a tty'"
expect_contains "$OUT" "NAME-EXISTS" "exec -it: the tty exists in the container's /dev/pts"

# a non-root user owns its terminal (as after login: sudo, ssh-keygen)
OUT=$(python3 "$E2E_TMP/term.py" "$CTR" exec -it -u app tt sh)
expect_contains "$OUT" "NAME-EXISTS" "exec -it -u app: the tty exists"
expect_contains "$OUT" "OWNER-1000" "exec -it -u app: app owns the tty"
OUT=$(python3 "$E2E_TMP/term.py" "$CTR" run --rm -it -u app --rootfs "$R" sh)
expect_contains "$OUT" "NAME-/dev/pts/0" "run -it -u app: tty names /dev/pts/0"
expect_contains "$OUT" "OWNER-1000" "run -it -u app: app owns the tty"
expect_contains "$OUT" "RESIZED-44x122" "run -it -u app: resize still reaches the pty"

# the console is the same terminal
expect_rc 0 "$CTR" run -t --rm --rootfs "$R" sh -c 'ls -lL /dev/console $(tty) | awk "{print \$5 \$6}"'
lines=$(printf '%s' "$OUT" | tr -d '\r' | sort -u | wc -l)
expect_eq "$lines" "1" "/dev/console is the container's pty (same device numbers)"

expect_rc 0 "$CTR" run -t --rm --rootfs "$R" sh -c 'test -t 1 && echo tty-out'
expect_eq "$(printf '%s' "$OUT" | tr -d '\r')" "tty-out" "-t without -i: output through the pty"
