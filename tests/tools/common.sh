# common.sh - shared by the tests/tools/*.sh scripts (sourced; POSIX sh).
#
# These tests run real consumers of ecrlint's output. A missing tool FAILS the test, so that CI
# cannot pass by accident; a developer without the tools skips them with `ctest -LE tools` or
# ECRLINT_SKIP_TOOLS=1 (the test then exits 77, which CTest reports as skipped).
# Install everything with: tests/tools/install.sh

missing_tool() {
    if [ "${ECRLINT_SKIP_TOOLS:-}" = 1 ]; then
        echo "SKIPPED: $1 (ECRLINT_SKIP_TOOLS=1)"
        exit 77
    fi
    echo "FAILED: $1" >&2
    echo "Install the test tools with tests/tools/install.sh, or skip these tests with" >&2
    echo "'ctest -LE tools' or ECRLINT_SKIP_TOOLS=1." >&2
    exit 1
}

fail() {
    echo "FAILED: $*" >&2
    exit 1
}

# A scratch directory removed on exit.
make_scratch() {
    SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/ecrlint-tools.XXXXXX") || fail "mktemp"
    trap 'rm -rf "$SCRATCH"' EXIT
}

# Copies the fixtures into $SCRATCH/work and adds files whose names need escaping in every
# format (space, '#', non-ASCII, XML and workflow-command metacharacters, a control character),
# plus a file that is not UTF-8.
make_fixtures() {
    mkdir -p "$SCRATCH/work" || fail "mkdir"
    cp -R "$ROOT/tests/tools/fixtures/." "$SCRATCH/work/" || fail "copying fixtures"
    odd=$(printf 'requests/odd &<name>,x:y%%"q\001.json')
    printf '{"repositoryName": "A", "maxResults": 0}\n' > "$SCRATCH/work/$odd" || fail "odd name"
    printf '{"repositoryName": "a\377\376", "maxResults": 0}\n' > "$SCRATCH/work/requests/not-utf8.json"
}
