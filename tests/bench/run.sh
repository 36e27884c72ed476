#!/usr/bin/env bash
# The ecrlint benchmark: ecrlint beside its floors (/bin/true, jansson parsing alone) and its
# peers (ajv, botocore), on a seeded corpus, in one table. See tests/bench/README.md.
#
#   tests/bench/run.sh            full run: 10,000 files, 40 MB response, 100,000 JSON Lines
#   tests/bench/run.sh --smoke    tiny corpus, a few runs: checks that everything works (CI)
#
# Environment:
#   ECRLINT=PATH        the binary to measure (default: a Release build in BUILD_DIR, made or
#                       brought up to date here; --smoke takes build/src/ecrlint when it exists)
#   BUILD_DIR=DIR       default build-bench/ at the repository root (git-ignored)
#   BENCH_DIR=DIR       the corpus (default tests/bench/corpus/full, git-ignored; --smoke: a
#                       temporary directory); regenerated when the generator or sizes change
#   BENCH_FILES, BENCH_JSONL, BENCH_RESPONSE_MB   corpus sizes
# Exit 1 when something is broken (a command failed, ecrlint's accuracy below 100%), never
# because of a timing.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
smoke=""
case "${1:-}" in
    --smoke) smoke=--smoke ;;
    "") ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "usage: $0 [--smoke]" >&2; exit 2 ;;
esac
say() { echo "run.sh: $*" >&2; }
started=$(date +%s)

# ecrlint: a Release build for the full run (build/ may be a Debug build: it would measure the
# wrong thing); the smoke run takes build/src/ecrlint when it is there (CI has just built it).
build=${BUILD_DIR:-$root/build-bench}
if [ -z "${ECRLINT:-}" ] && [ -n "$smoke" ] && [ -x "$root/build/src/ecrlint" ]; then
    ECRLINT=$root/build/src/ecrlint
fi
if [ -z "${ECRLINT:-}" ]; then
    say "building ecrlint (Release) in $build"
    cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >/dev/null
    cmake --build "$build" -j "$(nproc)" --target ecrlint_cli >/dev/null
    ECRLINT=$build/src/ecrlint
fi
[ -x "$ECRLINT" ] || { say "no ecrlint at $ECRLINT"; exit 1; }

# the floor and the loop timer, next to the build
tools=$build/bench-tools
mkdir -p "$tools"
cc -O2 -Wall -o "$tools/parse_only" "$here/parse_only.c" $(pkg-config --cflags --libs jansson)
cc -O2 -Wall -o "$tools/spawn_loop" "$here/spawn_loop.c"

# GNU time for peak RSS
if [ ! -x /usr/bin/time ] && [ "$(id -u)" = 0 ]; then
    say "installing GNU time"
    apt-get install -y time >/dev/null 2>&1 || say "GNU time not installed: peak RSS left out"
fi

# peers: ajv from npm (package-lock.json), botocore from Debian; skipped when they cannot be had
if command -v node >/dev/null && command -v npm >/dev/null; then
    if [ ! -d "$here/node/node_modules/ajv" ] && [ -z "$smoke" ]; then
        say "installing ajv (npm ci)"
        (cd "$here/node" && npm ci --no-audit --no-fund >/dev/null 2>&1) || say "npm ci failed: ajv skipped"
    fi
    if [ -d "$here/node/node_modules/ajv" ]; then
        node "$here/node/compile.js"
    fi
fi
if ! /usr/bin/python3 -c 'import botocore' 2>/dev/null && [ -z "$smoke" ] && [ "$(id -u)" = 0 ]; then
    say "installing python3-botocore"
    apt-get install -y python3-botocore >/dev/null 2>&1 || say "python3-botocore not installed: skipped"
fi

# the corpus: regenerated when the generator or the sizes change
if [ -n "$smoke" ]; then
    args=(--files "${BENCH_FILES:-120}" --jsonl-lines "${BENCH_JSONL:-200}" --response-mb "${BENCH_RESPONSE_MB:-0.5}"
          --index-bytes 200000)
    if [ -z "${BENCH_DIR:-}" ]; then
        BENCH_DIR=$(mktemp -d)
        trap 'rm -rf "$BENCH_DIR"' EXIT
    fi
else
    args=(--files "${BENCH_FILES:-10000}" --jsonl-lines "${BENCH_JSONL:-100000}" --response-mb "${BENCH_RESPONSE_MB:-40}")
    BENCH_DIR=${BENCH_DIR:-$here/corpus/full}
fi
stamp="$(sha256sum "$here/gen_corpus.py" | cut -c1-16) ${args[*]}"
if [ "$(cat "$BENCH_DIR/.stamp" 2>/dev/null)" != "$stamp" ]; then
    say "generating the corpus in $BENCH_DIR"
    rm -rf "$BENCH_DIR"
    mkdir -p "$BENCH_DIR"
    python3 "$here/gen_corpus.py" "$BENCH_DIR" "${args[@]}"
    echo "$stamp" > "$BENCH_DIR/.stamp"
fi

out=()
[ -z "$smoke" ] && out=(--out "$here/results/latest.md")
say "measuring (setup took $(( $(date +%s) - started )) s)"
status=0
python3 "$here/measure.py" --ecrlint "$ECRLINT" --corpus "$BENCH_DIR" --tools "$tools" $smoke "${out[@]}" || status=$?

# the programs linked with the library (libecrlint.a), one row each: NAME.c (built with
# bench_util.c), what it measures, its arguments in the smoke run and in the full run.
#   preview_bench    the lifecycle preview (ecrlint preview): 10k images in the smoke run; 10k,
#                    100k and 1M in the full run, to show the n log n growth and the memory per
#                    image
#   policy_bench     a 100 KB repository policy: the policy checks on top of parsing
#   lifecycle_bench  a 100 KB lifecycle policy: the lifecycle checks on top of parsing
benches=(
    "preview_bench|lifecycle preview|${BENCH_PREVIEW:-10000}|${BENCH_PREVIEW:-10000 100000 1000000}"
    "policy_bench|repository policy|100 50|100 2000"
    "lifecycle_bench|lifecycle policy|100 50|100 2000"
)
lib=$(dirname "$ECRLINT")
if [ -f "$lib/libecrlint.a" ]; then
    for row in "${benches[@]}"; do
        IFS='|' read -r name what smoke_args full_args <<< "$row"
        cc -O2 -Wall -DECRLINT_STATIC_DEFINE -I"$root/src/include" -I"$lib/include" \
            -o "$tools/$name" "$here/$name.c" "$here/bench_util.c" "$lib/libecrlint.a" \
            $(pkg-config --libs jansson libpcre2-8 nettle libarchive) -lpthread
        say "$what"
        if [ -n "$smoke" ]; then
            # shellcheck disable=SC2086 # the arguments are words
            "$tools/$name" $smoke_args || status=1
        else
            # shellcheck disable=SC2086
            "$tools/$name" $full_args | tee -a "$here/results/latest.md" || status=1
        fi
    done
else
    say "no $lib/libecrlint.a beside $ECRLINT: the lifecycle preview and policy benchmarks are left out"
fi
say "done in $(( $(date +%s) - started )) s"
exit $status
