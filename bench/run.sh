#!/usr/bin/env bash
# Run every benchmark in bench/ (each prints its own table). Benchmarks are
# measurements, not tests: they never fail on numbers, only on errors.
#   bench/run.sh [NAME-PREFIX]
set -u
here=$(cd "$(dirname "$0")" && pwd)
export CONTAINR_BIN=${CONTAINR_BIN:-$here/../build/containr}
for b in "$here"/*-bench.sh; do
	[ -e "$b" ] || continue
	case "$(basename "$b")" in "${1:-}"*) ;; *) continue ;; esac
	echo "=== $(basename "$b")"
	bash "$b" || echo "(benchmark $(basename "$b") failed: exit $?)"
done
