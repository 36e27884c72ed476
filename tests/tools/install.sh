#!/bin/sh
# install.sh - installs what the "tools" tests need (tests/tools/*.sh):
#   pre-commit        pre-commit's own runner, for precommit_test.sh
#   libxml2-utils     xmllint, for junit_validate.sh
#   nodejs, npm       for the SARIF validator, @microsoft/sarif-multitool (pinned in
#                     tests/tools/node/package-lock.json, installed with npm ci)
# Debian/Ubuntu; run as root or with sudo available. Safe to run again.
set -eu
here=$(cd "$(dirname "$0")" && pwd)

SUDO=""
if [ "$(id -u)" != 0 ]; then
    SUDO=sudo
fi
need=""
command -v pre-commit >/dev/null 2>&1 || need="$need pre-commit"
command -v xmllint >/dev/null 2>&1 || need="$need libxml2-utils"
command -v git >/dev/null 2>&1 || need="$need git"
command -v node >/dev/null 2>&1 || need="$need nodejs"
command -v npm >/dev/null 2>&1 || need="$need npm"
if [ -n "$need" ]; then
    $SUDO apt-get update
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends $need
fi

cd "$here/node"
npm ci --no-audit --no-fund
# npm may skip the package's postinstall script, which only makes the validator executable.
for v in node_modules/@microsoft/sarif-multitool-*/Sarif.Multitool; do
    [ -f "$v" ] && chmod u+x "$v"
done
echo "tests/tools: pre-commit $(pre-commit --version | cut -d' ' -f2), $(xmllint --version 2>&1 | head -1), node $(node --version), sarif-multitool $(node -p 'require("./node_modules/@microsoft/sarif-multitool/package.json").version')"
