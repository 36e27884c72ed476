#!/bin/sh
# sarif_validate.sh ECRLINT ROOT - validates `ecrlint -f sarif` with Microsoft's SARIF validator
# (npm @microsoft/sarif-multitool, installed in tests/tools/node by install.sh): the SARIF 2.1.0
# schema plus the GitHub code scanning ingestion rules (--rule-kind "Sarif;Gh"); any error or
# warning fails. Then checks with node what the validator cannot: rule indexes, positions,
# uriBaseId, columnKind and baseline suppressions.
set -u
ECRLINT=$1
ROOT=$2
. "$ROOT/tests/tools/common.sh"

NODE_DIR="$ROOT/tests/tools/node/node_modules"
case "$(uname -s)" in
Linux) VALIDATOR="$NODE_DIR/@microsoft/sarif-multitool-linux/Sarif.Multitool" ;;
Darwin) VALIDATOR="$NODE_DIR/@microsoft/sarif-multitool-darwin/Sarif.Multitool" ;;
*) VALIDATOR="" ;;
esac
[ -n "$VALIDATOR" ] && [ -f "$VALIDATOR" ] ||
    missing_tool "Microsoft SARIF validator not installed ($NODE_DIR/@microsoft/sarif-multitool-*)"
command -v node >/dev/null 2>&1 || missing_tool "node not found"
# npm may skip the package's postinstall (chmod u+x); make sure it can run.
[ -x "$VALIDATOR" ] || chmod u+x "$VALIDATOR" 2>/dev/null || cp "$VALIDATOR" "${TMPDIR:-/tmp}/"

make_scratch
make_fixtures
cd "$SCRATCH/work" || fail "cd"

# Accept one finding through a baseline: it must stay in SARIF, marked as suppressed.
cat > baseline.json <<'JSON'
{"version": 1, "findings": [{"path": "requests/describe-bad.json", "rule": "ECR0020", "pointer": "/imageID"}]}
JSON
"$ECRLINT" --no-config --baseline baseline.json -f sarif:report.sarif . missing.json >/dev/null 2>&1
rc=$?
[ "$rc" = 2 ] || fail "ecrlint exited $rc, expected 2 (missing.json cannot be read)"
[ -s report.sarif ] || fail "no SARIF written"

# Also an empty run (no findings at all).
"$ECRLINT" --no-config -f sarif:empty.sarif requests/good.json --disable ECR0040 >/dev/null 2>&1 ||
    fail "ecrlint on a good file failed"

# And the --protect findings of `ecrlint preview` (exit 1: a protected image would expire).
"$ECRLINT" preview --no-config --policy "$ROOT/testdata/cases/preview-text/policy.json" \
    --images "$ROOT/testdata/cases/preview-text/images" --now 2025-12-04 --protect 'git-*' \
    -f sarif > preview.sarif 2>/dev/null
rc=$?
[ "$rc" = 1 ] || fail "ecrlint preview exited $rc, expected 1 (a protected image expires)"
grep -q '"ruleId":"ECR9001"' preview.sarif || fail "no ECR9001 result in the preview's SARIF"

DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1 \
    "$VALIDATOR" validate --rule-kind "Sarif;Gh" --level "Error;Warning" \
    report.sarif empty.sarif preview.sarif > validator.log 2>&1
rc=$?
cat validator.log
grep -q "Done. 3 files scanned" validator.log || fail "the SARIF validator did not run (exit $rc)"
# SARIF2005 asks for tool.driver.informationUri, which ecrlint writes only when built with
# -DECRLINT_HOMEPAGE=URL (there is no public home page to name by default); every other
# warning or error fails.
if grep -E ": (error|warning) [A-Z]+[0-9]+" validator.log | grep -vq "warning SARIF2005:"; then
    fail "the SARIF validator reported problems (see above)"
fi

node - report.sarif <<'JS' || fail "SARIF content checks"
const fs = require("fs");
const log = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const problems = [];
const check = (ok, what) => { if (!ok) problems.push(what); };
check(log.version === "2.1.0", "version");
const run = log.runs[0];
check(run.columnKind === "unicodeCodePoints", "columnKind");
const rules = run.tool.driver.rules;
check(run.results.length >= 8, "expected at least 8 results, got " + run.results.length);
let suppressed = 0, odd = 0, absent = 0;
for (const r of run.results) {
  const rule = rules[r.ruleIndex];
  check(rule && rule.id === r.ruleId, `ruleIndex ${r.ruleIndex} does not name ${r.ruleId}`);
  check(["error", "warning", "note"].includes(r.level), "level " + r.level);
  const loc = r.locations[0].physicalLocation;
  const uri = loc.artifactLocation.uri;
  check(!/[\s"<>\\%]/.test(uri.replace(/%[0-9A-F]{2}/g, "")), "uri not encoded: " + uri);
  check(loc.artifactLocation.uriBaseId === "%SRCROOT%", "uriBaseId of " + uri);
  check(loc.region.startLine >= 1, "startLine of " + uri);
  if (r.ruleId !== "ECR0000") {
    check(loc.region.startColumn >= 1, `startColumn of ${uri} ${r.ruleId}`);
  }
  if (uri === "missing.json") absent++;
  if (decodeURIComponent(uri).startsWith("requests/odd &<name>,x:y%\"q\u0001")) odd++;
  if (r.suppressions) {
    suppressed++;
    check(r.suppressions[0].kind === "external", "suppression kind");
    check(r.ruleId === "ECR0020", "wrong finding suppressed: " + r.ruleId);
  }
}
check(suppressed === 1, "expected 1 suppressed result, got " + suppressed);
check(odd >= 1, "no result for the oddly named file");
check(absent === 1, "no result for the missing file");
for (const rule of rules) {
  check(rule.shortDescription.text && rule.fullDescription.text && rule.help.text, "texts of " + rule.id);
  check(!rule.helpUri || /^https?:\/\//.test(rule.helpUri), "helpUri of " + rule.id);
}
if (problems.length) { console.error(problems.join("\n")); process.exit(1); }
console.log(`SARIF content OK: ${run.results.length} results, ${rules.length} rules`);
JS
echo "PASSED: SARIF validated"
