#!/usr/bin/env bash
# The ecrlint benchmark: builds a release ecrlint and the floors, makes the corpus, installs the
# peers when it can, runs everything and prints one table.
#   tests/bench/run.sh            full run (10,000 files, 40 MB response, 100,000 JSON Lines)
#   tests/bench/run.sh --smoke    a small corpus: checks that the benchmark works, not speed
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
smoke=""
[ "${1:-}" = "--smoke" ] && smoke=--smoke
build=${BUILD_DIR:-$root/build-bench}
work=${BENCH_DIR:-$(mktemp -d)}
mkdir -p "$work"
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >/dev/null
cmake --build "$build" -j2 --target ecrlint_cli >/dev/null
cc -O2 "$here/parse_only.c" -o "$work/parse_only" $(pkg-config --cflags --libs jansson)
command -v /usr/bin/time >/dev/null 2>&1 || apt-get install -y time >/dev/null
if [ -z "$smoke" ]; then
    python3 "$here/gen_corpus.py" "$work/corpus"
    # peers: ajv from npm, botocore from Debian (skipped when they cannot be had)
    (cd "$here/peers" && npm ci --no-audit --no-fund >/dev/null 2>&1) || echo "ajv not installed: skipped"
    [ -x /usr/bin/python3 ] && /usr/bin/python3 -c "import botocore" 2>/dev/null ||
        apt-get install -y python3-botocore >/dev/null 2>&1 || echo "botocore not installed: skipped"
else
    python3 "$here/gen_corpus.py" "$work/corpus" --files 300 --jsonl-lines 2000 --response-mb 1
fi
python3 "$here/run.py" "$build/src/ecrlint" "$work/corpus" "$work/parse_only" "$here/peers" $smoke
