#!/usr/bin/env bash
# Builds the libFuzzer targets with clang and runs each for a bounded time (FUZZ_SECONDS, default
# 45) from seed corpora made of testdata/. Fails on any crash, leak, timeout or sanitizer report;
# the input that did it is left in $OUT (default build-fuzz/findings) to become a regression case.
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${FUZZ_SECONDS:-45}
build=${BUILD_DIR:-build-fuzz}
out=${OUT:-$build/findings}
command -v clang >/dev/null || { apt-get install -y clang libclang-rt-14-dev >/dev/null; }
CC=clang cmake -S . -B "$build" -DECRLINT_FUZZ=ON -DBUILD_TESTING=OFF -DECRLINT_STATIC_DEPS=OFF \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j2 >/dev/null

corpus=$(mktemp -d)
trap 'rm -rf "$corpus"' EXIT
mkdir -p "$corpus"/{check,manifest,http,rules,locate,preview,policy,lifecycle,archive} "$out"
i=0
while IFS= read -r -d '' f; do
    i=$((i + 1))
    # fuzz_check and fuzz_manifest read a mode byte first; seed each file in two modes.
    { printf '\000'; cat "$f"; } > "$corpus/check/s$i-auto"
    { printf '\004'; cat "$f"; } > "$corpus/check/s$i-manifest"
    { printf '\001'; cat "$f"; } > "$corpus/manifest/s$i"
    { printf '/imageIds/0/imageTag\n/repositoryName\n/layers/0/digest\n\000'; cat "$f"; } > "$corpus/locate/s$i"
    { printf "\\$(printf '%03o' $((i % 8)))"; cat "$f"; } > "$corpus/preview/s$i"
done < <(find testdata -type f \( -name '*.json' -o -name '*.jsonl' \) -size -64k -print0)
# fuzz_policy: the policies of testdata, each as a file and as a request member (mode byte)
j=0
while IFS= read -r -d '' f; do
    j=$((j + 1))
    for m in 0 1 3 5; do { printf "\\$(printf '%03o' $m)"; cat "$f"; } > "$corpus/policy/s$j-$m"; done
done < <(find testdata/cases -path '*policy*' -name '*.json' ! -name expected.json -size -64k -print0)
# fuzz_lifecycle: the lifecycle policies of testdata (the files, and the texts that requests and
# creation templates carry), each in the five modes of its first byte
python3 - "$corpus/lifecycle" <<'PY'
import json, os, sys
out, k = sys.argv[1], 0
for base, _, files in os.walk("testdata"):
    for n in sorted(files):
        path = os.path.join(base, n)
        if not n.endswith(".json") or n == "expected.json" or os.path.getsize(path) > 65536:
            continue
        raw = open(path, "rb").read()
        if b"rulePriority" not in raw:
            continue
        texts = [raw]
        try:
            doc = json.loads(raw)
            for m in ("lifecyclePolicyText", "lifecyclePolicy"):
                if isinstance(doc, dict) and isinstance(doc.get(m), str):
                    texts = [doc[m].encode()]
        except ValueError:
            pass
        for t in texts:
            k += 1
            for mode in range(5):
                open(os.path.join(out, "s%d-%d" % (k, mode)), "wb").write(bytes([mode]) + t)
PY
find testdata -type f -name '*.http' -exec cp {} "$corpus/http/" \;
# fuzz_archive reads a mode byte (1: decompress layers), then a tar: the image archives of testdata
for f in testdata/images/*.tar; do
    { printf '\001'; cat "$f"; } > "$corpus/archive/$(basename "$f")"
done
cp rules/*.json "$corpus/rules/"
find testdata/rules -name '*.json' -exec cp {} "$corpus/rules/" \;

status=0
for t in check manifest http rules locate preview policy lifecycle archive; do
    echo "== fuzz_$t for ${seconds}s ($(ls "$corpus/$t" | wc -l) seeds)"
    if ! "$build/tests/fuzz/fuzz_$t" "$corpus/$t" -max_total_time="$seconds" -timeout=10 \
        -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 -artifact_prefix="$out/$t-" \
        >"$out/$t.log" 2>&1; then
        echo "fuzz_$t FAILED; the input is in $out, the log in $out/$t.log"
        tail -40 "$out/$t.log"
        status=1
    else
        grep -E "stat::number_of_executed_units|stat::peak_rss_mb" "$out/$t.log" | tr '\n' ' '
        echo
    fi
done
exit $status
