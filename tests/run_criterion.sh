#!/usr/bin/env bash
# Runs one Criterion test binary for CTest and fails it when it ran no test at all: a binary
# that links libsystemc (whose main() shadows Criterion's) or filters everything out would
# otherwise "pass" silently with "Tested: 0".
set -u
bin="$1"; shift
out=$("$bin" --jobs 1 "$@" 2>&1); rc=$?
printf '%s\n' "$out"
if [ $rc -ne 0 ]; then exit $rc; fi
summary=$(printf '%s\n' "$out" | grep -E 'Synthesis: Tested: [0-9]+' | tail -n 1)
if [ -z "$summary" ]; then
    echo "run_criterion: $bin printed no Criterion summary" >&2; exit 1
fi
tested=$(printf '%s\n' "$summary" | sed -E 's/.*Tested: ([0-9]+).*/\1/')
if [ "$tested" -eq 0 ]; then
    echo "run_criterion: $bin ran zero tests" >&2; exit 1
fi
exit 0
