#!/bin/sh
# precommit_test.sh ECRLINT ROOT - runs the hooks of .pre-commit-hooks.yaml through pre-commit
# itself (Debian: pre-commit), offline: the hook repository is a throw-away local git repository
# holding this project's .pre-commit-hooks.yaml, and the consumer is another throw-away
# repository with good and bad ECR requests. PRE_COMMIT_HOME points into the scratch directory;
# the built ecrlint is put first on PATH. The hook file must validate, and without ecrlint on
# PATH the system hook must fail naming the program. (ecrlint-docker: tests/package/container_test.sh.)
set -u
ECRLINT=$1
ROOT=$2
. "$ROOT/tests/tools/common.sh"

command -v pre-commit >/dev/null 2>&1 || missing_tool "pre-commit not found (apt-get install pre-commit)"
command -v git >/dev/null 2>&1 || missing_tool "git not found"

make_scratch
BIN="$SCRATCH/bin"
mkdir -p "$BIN" && ln -s "$ECRLINT" "$BIN/ecrlint" || fail "bin"
PATH="$BIN:$PATH"
export PATH
export PRE_COMMIT_HOME="$SCRATCH/pre-commit-home" XDG_CACHE_HOME="$SCRATCH/cache"
export HOME="$SCRATCH/home" NO_COLOR=1 GIT_CONFIG_NOSYSTEM=1
mkdir -p "$HOME"
export GIT_AUTHOR_NAME=test GIT_AUTHOR_EMAIL=test@example.invalid
export GIT_COMMITTER_NAME=test GIT_COMMITTER_EMAIL=test@example.invalid
git config --global init.defaultBranch main
git config --global protocol.file.allow always

echo "--- pre-commit validate-manifest .pre-commit-hooks.yaml"
pre-commit validate-manifest "$ROOT/.pre-commit-hooks.yaml" || fail "the hook definitions do not validate"

# The hook repository: just the hook definitions, committed.
HOOKS="$SCRATCH/hooks"
mkdir -p "$HOOKS" && cp "$ROOT/.pre-commit-hooks.yaml" "$HOOKS/" || fail "hook file"
(cd "$HOOKS" && git init -q . && git add .pre-commit-hooks.yaml && git commit -q -m hooks) ||
    fail "hook repository"
REV=$(cd "$HOOKS" && git rev-parse HEAD)

# The consumer.
REPO="$SCRATCH/repo"
mkdir -p "$REPO/requests" && cd "$REPO" && git init -q . || fail "consumer repository"
cat > .pre-commit-config.yaml <<YAML
repos:
  - repo: $HOOKS
    rev: $REV
    hooks:
      - id: ecrlint
YAML
cp "$ROOT/tests/tools/fixtures/requests/good.json" requests/good.json
printf '# notes\nnot json, and not passed to ecrlint\n' > README.md
echo '{"name": "x", "version": "1.0.0"}' > package.json
git add . || fail "git add"

run() {
    pre-commit run --all-files --color never > "$SCRATCH/out.txt" 2>&1
    rc=$?
    cat "$SCRATCH/out.txt"
}

echo "--- good files only: the hook must pass"
run
[ "$rc" = 0 ] || fail "pre-commit failed on good files (exit $rc)"
grep -q "^ecrlint\.*Passed" "$SCRATCH/out.txt" || fail "the ecrlint hook did not run and pass"

echo "--- ecrlint not on PATH: the system hook must say what is missing (README: install it first)"
# A PATH with git and pre-commit only, so that no installed ecrlint is found either.
NOBIN="$SCRATCH/nobin"
mkdir -p "$NOBIN" && ln -s "$(command -v git)" "$(command -v pre-commit)" "$NOBIN/" || fail "nobin"
PATH="$NOBIN" pre-commit run --all-files --color never > "$SCRATCH/out.txt" 2>&1
rc=$?
cat "$SCRATCH/out.txt"
[ "$rc" = 1 ] || fail "pre-commit exited $rc without ecrlint on PATH"
grep -q "Executable \`ecrlint\` not found" "$SCRATCH/out.txt" || fail "no 'Executable \`ecrlint\` not found'"

echo "--- a bad request added: the hook must fail and name it"
cp "$ROOT/tests/tools/fixtures/requests/describe-bad.json" requests/bad.json
git add requests/bad.json
run
[ "$rc" = 1 ] || fail "pre-commit passed (exit $rc) with a bad request"
grep -q "^ecrlint\.*Failed" "$SCRATCH/out.txt" || fail "the ecrlint hook did not fail"
grep -q "requests/bad.json:3:17: error: .*\[ECR3001\]" "$SCRATCH/out.txt" ||
    fail "the finding (file:line:col, rule) is not in the hook's output"
grep -q "good.json:.*error" "$SCRATCH/out.txt" && fail "good.json reported"
grep -q "files checked" "$SCRATCH/out.txt" && fail "a summary line in hook output (batches would repeat it)"

echo "--- the finding disabled in .ecrlint.json: the hook must pass again"
echo '{"paths": {"requests/bad.json": {"disable": ["ECR1012", "ECR3001"], "client": "none"}}}' > .ecrlint.json
git add .ecrlint.json
run
[ "$rc" = 0 ] || fail "pre-commit failed (exit $rc) although .ecrlint.json disables the findings"

echo "--- the whole-repository hook"
cat > .pre-commit-config.yaml <<YAML
repos:
  - repo: $HOOKS
    rev: $REV
    hooks:
      - id: ecrlint-repo
YAML
rm .ecrlint.json
git add -A
run
[ "$rc" = 1 ] || fail "ecrlint-repo passed (exit $rc) with a bad request"
grep -q "requests/bad.json:3:17: error" "$SCRATCH/out.txt" || fail "ecrlint-repo did not report"
echo "--- a service repository (testdata/fixture-repo): the hook reports exactly the ECR findings"
# Terraform, a Node app with a commented tsconfig.json, VS Code settings, a devcontainer,
# Kubernetes JSON, other services' fixtures, and a few ECR fixtures and manifests: the hook must
# report what a directory run reports (the ECR findings), and nothing on the other files.
FIX="$SCRATCH/fixture-repo"
cp -R "$ROOT/testdata/fixture-repo" "$FIX" && cd "$FIX" && git init -q . || fail "fixture repository"
cat > .pre-commit-config.yaml <<YAML
repos:
  - repo: $HOOKS
    rev: $REV
    hooks:
      - id: ecrlint
YAML
git add -A || fail "git add"
run
[ "$rc" = 1 ] || fail "pre-commit exited $rc on the fixture repository (its ECR fixtures have errors)"
grep -E ': (error|warning|info|note): ' "$SCRATCH/out.txt" | sort > "$SCRATCH/hook.txt"
"$ECRLINT" --quiet . | sed 's|^\./||' | sort > "$SCRATCH/dir.txt"
echo "directory run:"; cat "$SCRATCH/dir.txt"
[ -s "$SCRATCH/dir.txt" ] || fail "the directory run found nothing in the fixture repository"
cmp -s "$SCRATCH/hook.txt" "$SCRATCH/dir.txt" || {
    diff "$SCRATCH/dir.txt" "$SCRATCH/hook.txt"
    fail "the hook's findings differ from the directory run's"
}
grep -v '^fixtures/ecr/' "$SCRATCH/hook.txt" && fail "a finding outside the ECR fixtures"
echo "PASSED: pre-commit hooks"
