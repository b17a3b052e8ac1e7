#!/usr/bin/env bash
# Checks the dependency rules of DESIGN.md by scanning #include "..." lines: each folder may
# include headers only from the folders listed for it (system headers <...> are always fine).
set -u
cd "${1:-.}"
# folder : folders whose headers it may include
rules=(
    "models/common:models/common"
    "models/golden:models/common models/golden"
    "models/bna:models/common models/bna"
    "models/fwfe:models/common models/fwfe"
    "models/amac:models/common models/amac"
    "driver:models/common driver"
    "energy:models/common energy"
)
bad=0; checked=0
for r in "${rules[@]}"; do
    dir="${r%%:*}"; allowed="${r#*:}"
    [ -d "$dir" ] || continue
    while IFS= read -r f; do
        while IFS= read -r inc; do
            checked=$((checked + 1))
            ok=0
            [ -f "$(dirname "$f")/$inc" ] && [ "$(cd "$(dirname "$f")" && pwd)" = "$(cd "$dir" && pwd)" ] && ok=1
            for a in $allowed; do [ -f "$a/$inc" ] && ok=1; done
            # generated register headers live in the build tree and are allowed for models/driver
            case "$inc" in erg_regs*.h) case "$dir" in models/*|driver) ok=1 ;; esac ;; esac
            if [ $ok -eq 0 ]; then
                echo "$f includes \"$inc\", which is not in: $allowed"; bad=$((bad + 1))
            fi
        done < <(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$f")
    done < <(find "$dir" -type f \( -name '*.c' -o -name '*.h' \) | sort)
done
echo "dependency rules: $checked includes checked, $bad violations"
[ $bad -eq 0 ]
