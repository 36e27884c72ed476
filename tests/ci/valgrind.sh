#!/usr/bin/env bash
# Every command-line case of testdata/cases run under valgrind memcheck: zero errors, zero
# definite or indirect leaks (the exit status and output are checked by ctest elsewhere).
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v valgrind >/dev/null || apt-get install -y valgrind >/dev/null
# Its own build: valgrind cannot follow malloc in the static executable the default build makes.
build=${BUILD_DIR:-build-valgrind}
bin=$(pwd)/$build/src/ecrlint
cmake -S . -B "$build" -DECRLINT_STATIC_EXE=OFF -DBUILD_TESTING=OFF >/dev/null
cmake --build "$build" -j2 --target ecrlint_cli >/dev/null
root=$(pwd)
failed=0 n=0
for dir in testdata/cases/*/; do
    [ -f "$dir/args" ] || continue
    mapfile -t args < <(grep -v '^$' "$dir/args" | sed "s|%ROOT%|$root|g")
    input=/dev/null
    [ -f "$dir/stdin" ] && input=$root/$dir/stdin
    n=$((n + 1))
    if ! (cd "$dir" && valgrind -q --error-exitcode=99 --leak-check=full \
            --errors-for-leak-kinds=definite,indirect "$bin" "${args[@]}" \
            <"$input" >/dev/null 2>/tmp/ecrlint-valgrind.log; test $? -ne 99); then
        echo "valgrind: errors in $dir"
        cat /tmp/ecrlint-valgrind.log
        failed=$((failed + 1))
    fi
done
echo "valgrind: $n cases, $failed with errors"
[ "$failed" -eq 0 ]
