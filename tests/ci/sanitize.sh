#!/usr/bin/env bash
# The whole test suite built with AddressSanitizer and UndefinedBehaviorSanitizer (leak
# detection on). Any report fails the test that triggered it.
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${BUILD_DIR:-build-san}
cmake -S . -B "$build" -DECRLINT_SANITIZE=ON -DECRLINT_STATIC_DEPS=OFF -DCMAKE_BUILD_TYPE=Debug >/dev/null
cmake --build "$build" -j2 >/dev/null
# Sanitized code runs several times slower: Check's per-test time limits are stretched to match.
export CK_TIMEOUT_MULTIPLIER=${CK_TIMEOUT_MULTIPLIER:-5}
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
ctest --test-dir "$build" --output-on-failure -j2
