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
