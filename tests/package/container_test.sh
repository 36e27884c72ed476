#!/bin/sh
# container_test.sh ECRLINT ROOT - builds the top-level Dockerfile with the first container
# engine that works (docker, then podman; `info` must succeed, a client without a reachable
# engine does not count) and checks the image: `--version` is the build's, the default command
# checks the mounted working directory with the same report as the built ecrlint, the process
# is not root. Without a working engine the test is skipped (exit 77) and says why.
set -u
ROOT=$(cd "$2" && pwd) || exit 1
. "$ROOT/tests/tools/common.sh"
ECRLINT=$(cd "$(dirname "$1")" && pwd)/$(basename "$1") || fail "no $1"

ENGINE=""
why=""
for e in docker podman; do
    if ! command -v "$e" >/dev/null 2>&1; then
        why="$why $e: not installed;"
    elif ! "$e" info >/dev/null 2>"${TMPDIR:-/tmp}/ecrlint-engine.$$"; then
        why="$why $e: installed, but '$e info' fails ($(head -n 1 "${TMPDIR:-/tmp}/ecrlint-engine.$$"));"
    else
        ENGINE=$e
        break
    fi
done
rm -f "${TMPDIR:-/tmp}/ecrlint-engine.$$"
if [ -z "$ENGINE" ]; then
    echo "SKIPPED: no working container engine to build the Dockerfile with:$why"
    exit 77
fi

make_scratch
IMAGE="localhost/ecrlint-test:$$"
trap '"$ENGINE" rmi -f "$IMAGE" >/dev/null 2>&1; rm -rf "$SCRATCH"' EXIT
echo "--- $ENGINE build -t $IMAGE $ROOT"
"$ENGINE" build -t "$IMAGE" "$ROOT" || fail "$ENGINE build"

echo "--- ecrlint --version"
"$ENGINE" run --rm "$IMAGE" --version > "$SCRATCH/version" || fail "$ENGINE run --version"
cat "$SCRATCH/version"
"$ECRLINT" --version | cmp - "$SCRATCH/version" || fail "the image's --version is not the build's"

echo "--- the default command on testdata/examples mounted at the working directory"
"$ENGINE" run --rm -v "$ROOT/testdata/examples:/work:ro" "$IMAGE" > "$SCRATCH/image.txt" 2>&1
rc=$?
cat "$SCRATCH/image.txt"
[ "$rc" = 1 ] || fail "the image exits $rc on testdata/examples (findings: 1)"
(cd "$ROOT/testdata/examples" && "$ECRLINT" .) > "$SCRATCH/built.txt" 2>&1
cmp "$SCRATCH/built.txt" "$SCRATCH/image.txt" || fail "the image and the built ecrlint report differently"

echo "--- user"
uid=$("$ENGINE" run --rm --entrypoint id "$IMAGE" -u) || fail "$ENGINE run id"
echo "uid $uid"
[ "$uid" != 0 ] || fail "the image runs as root"

echo "--- pre-commit's ecrlint-docker hook (language: docker)"
if [ "$ENGINE" != docker ] || ! command -v pre-commit >/dev/null 2>&1 || ! command -v git >/dev/null 2>&1; then
    echo "not run: it needs docker, pre-commit and git"
    echo "PASSED: container image ($ENGINE)"
    exit 0
fi
# The hook repository holds what the Dockerfile builds from, committed; pre-commit builds it.
export PRE_COMMIT_HOME="$SCRATCH/pre-commit-home" XDG_CACHE_HOME="$SCRATCH/cache"
export HOME="$SCRATCH/home" NO_COLOR=1 GIT_CONFIG_NOSYSTEM=1
mkdir -p "$HOME"
export GIT_AUTHOR_NAME=test GIT_AUTHOR_EMAIL=test@example.invalid
export GIT_COMMITTER_NAME=test GIT_COMMITTER_EMAIL=test@example.invalid
git config --global init.defaultBranch main
git config --global protocol.file.allow always
# pre-commit tags its image pre-commit-<hash>: remove the ones this test adds.
pc_images() { docker images --filter label=PRE_COMMIT --format '{{.Repository}}' | sort -u; }
pc_images > "$SCRATCH/pc-images-before"
trap 'pc_images | comm -13 "$SCRATCH/pc-images-before" - | xargs -r docker rmi -f >/dev/null 2>&1
      docker rmi -f "$IMAGE" >/dev/null 2>&1; rm -rf "$SCRATCH"' EXIT
HOOKS="$SCRATCH/hooks"
mkdir -p "$HOOKS" && cp -R "$ROOT/.pre-commit-hooks.yaml" "$ROOT/Dockerfile" "$ROOT/.dockerignore" \
    "$ROOT/CMakeLists.txt" "$ROOT/src" "$ROOT/rules" "$HOOKS/" || fail "hook repository files"
(cd "$HOOKS" && git init -q . && git add -A && git commit -q -m hooks) || fail "hook repository"
REPO="$SCRATCH/repo"
mkdir -p "$REPO/requests" && cd "$REPO" && git init -q . || fail "consumer repository"
printf 'repos:\n  - repo: %s\n    rev: %s\n    hooks:\n      - id: ecrlint-docker\n' \
    "$HOOKS" "$(cd "$HOOKS" && git rev-parse HEAD)" > .pre-commit-config.yaml
cp "$ROOT/tests/tools/fixtures/requests/good.json" requests/good.json
git add -A || fail "git add"
pre-commit run --all-files --color never > "$SCRATCH/hook.txt" 2>&1
rc=$?
cat "$SCRATCH/hook.txt"
[ "$rc" = 0 ] || fail "the ecrlint-docker hook failed (exit $rc) on a good request"
cp "$ROOT/tests/tools/fixtures/requests/describe-bad.json" requests/bad.json
git add -A || fail "git add"
pre-commit run --all-files --color never > "$SCRATCH/hook.txt" 2>&1
rc=$?
cat "$SCRATCH/hook.txt"
[ "$rc" = 1 ] || fail "the ecrlint-docker hook passed (exit $rc) with a bad request"
grep -q "requests/bad.json:3:17: error: .*\[ECR3001\]" "$SCRATCH/hook.txt" ||
    fail "the finding is not in the ecrlint-docker hook's output"
echo "PASSED: container image ($ENGINE) and the ecrlint-docker hook"
