#!/bin/sh
# check_format.sh ROOT - every C file of src/ and tests/ is as clang-format leaves it, with the
# project's .clang-format. clang-format's output changes between major versions: the check runs
# with version 14 (Debian 12's), and is skipped (exit 77) with another one or none. Fix a
# failure with:  clang-format -i $(git ls-files 'src/*.[ch]' 'tests/*.[ch]')
set -u
ROOT=$1
cd "$ROOT" || exit 2
command -v clang-format >/dev/null 2>&1 || { echo "SKIPPED: clang-format not installed"; exit 77; }
v=$(clang-format --version | sed -n 's/.*version \([0-9]*\)\..*/\1/p')
[ "$v" = 14 ] || { echo "SKIPPED: clang-format $v, the check is made with 14"; exit 77; }
bad=0
for f in $(find src tests -name '*.[ch]' ! -path '*/node_modules/*' | LC_ALL=C sort); do
    if ! clang-format --dry-run -Werror "$f" >/dev/null 2>&1; then
        echo "not formatted: $f"
        bad=$((bad + 1))
    fi
done
[ "$bad" -eq 0 ] || { echo "$bad files differ from clang-format; run: clang-format -i FILE..."; exit 1; }
echo "all C files formatted"
