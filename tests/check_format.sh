#!/usr/bin/env bash
# Fails when a C/C++ source or header differs from what clang-format makes of it.
set -u
cf="${1:-clang-format}"
files=$(find models sim driver energy tests -type f \( -name '*.c' -o -name '*.h' -o -name '*.cpp' -o -name '*.hpp' \) | sort)
bad=0
for f in $files; do
    if ! "$cf" --dry-run --Werror "$f" >/dev/null 2>&1; then
        echo "not formatted: $f (run: clang-format -i $f)"; bad=1
    fi
done
[ $bad -eq 0 ] && echo "format: $(echo "$files" | wc -w) files ok"
exit $bad
