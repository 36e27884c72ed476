#!/bin/sh
# same_reports.sh OLD NEW [DIR] - a refactoring's guard: runs two ecrlint binaries over every file
# under DIR (default: testdata/), one file at a time, as JSON (and as text), and prints each
# file whose report differs. Exit 0 when every report is byte-identical, 1 otherwise.
#
#   cmake -S . -B build && cmake --build build        # the changed code
#   git stash; cmake -S . -B /tmp/old && cmake --build /tmp/old; git stash pop
#   tests/tools/same_reports.sh /tmp/old/src/ecrlint build/src/ecrlint
#
# Files are checked with --no-config (a case's own .ecrlint.json is a file like any other), and
# JSON Lines files with --jsonl, so that each run depends on the file alone.
set -u
old=$1
new=$2
dir=${3:-$(cd "$(dirname "$0")/../.." && pwd)/testdata}
[ -x "$old" ] && [ -x "$new" ] || { echo "usage: same_reports.sh OLD NEW [DIR]" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
bad=0
list="$tmp/files"
find "$dir" -type f | LC_ALL=C sort > "$list"
while IFS= read -r f; do
    case $f in
        *.jsonl|*.ndjson) extra=--jsonl ;;
        *) extra= ;;
    esac
    for fmt in json text; do
        # shellcheck disable=SC2086
        "$old" --no-config -j 1 --color never -f "$fmt" $extra -- "$f" > "$tmp/a" 2>&1
        echo "exit $?" >> "$tmp/a"
        # shellcheck disable=SC2086
        "$new" --no-config -j 1 --color never -f "$fmt" $extra -- "$f" > "$tmp/b" 2>&1
        echo "exit $?" >> "$tmp/b"
        if ! cmp -s "$tmp/a" "$tmp/b"; then
            echo "differs ($fmt): $f"
            diff "$tmp/a" "$tmp/b" | head -10
            bad=$((bad + 1))
        fi
    done
    n=$((n + 1))
done < "$list"
echo "$n files, $bad reports differ"
[ "$bad" -eq 0 ]
