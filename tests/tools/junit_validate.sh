#!/bin/sh
# junit_validate.sh ECRLINT ROOT - validates `ecrlint -f junit` against tests/tools/junit.xsd
# with xmllint (Debian: libxml2-utils), then checks with XPath that the counts add up and that
# the report fails exactly where the exit status does (--fail-on).
set -u
ECRLINT=$1
ROOT=$2
. "$ROOT/tests/tools/common.sh"

command -v xmllint >/dev/null 2>&1 || missing_tool "xmllint not found (apt-get install libxml2-utils)"

make_scratch
make_fixtures
cd "$SCRATCH/work" || fail "cd"
XSD="$ROOT/tests/tools/junit.xsd"

"$ECRLINT" --no-config --client none -f junit:report.xml --fail-on error . missing.json >/dev/null 2>&1 &&
    fail "expected a non-zero exit"
"$ECRLINT" --no-config --client none -f junit:report-warn.xml --fail-on warning . >/dev/null 2>&1
"$ECRLINT" --no-config --client none -f junit:report-none.xml --fail-on none . >/dev/null 2>&1 ||
    fail "--fail-on none must exit 0 when every input is readable"

for f in report.xml report-warn.xml report-none.xml; do
    xmllint --noout --schema "$XSD" "$f" 2>&1 || fail "$f does not validate against junit.xsd"
done

# count(XPATH) in FILE
count() {
    xmllint --xpath "$2" "$1" 2>/dev/null
}
for f in report.xml report-warn.xml report-none.xml; do
    tests=$(count "$f" 'string(/testsuites/@tests)')
    [ "$tests" = "$(count "$f" 'count(//testcase)')" ] || fail "$f: tests= does not count test cases"
    failures=$(count "$f" 'string(/testsuites/@failures)')
    [ "$failures" = "$(count "$f" 'count(//testcase[failure and not(error)])')" ] ||
        fail "$f: failures= is wrong"
    errors=$(count "$f" 'string(/testsuites/@errors)')
    [ "$errors" = "$(count "$f" 'count(//testcase[error])')" ] || fail "$f: errors= is wrong"
    skipped=$(count "$f" 'string(/testsuites/@skipped)')
    [ "$skipped" = "$(count "$f" 'count(//testcase[skipped])')" ] || fail "$f: skipped= is wrong"
    names=$(count "$f" 'count(//testcase)')
    # GitLab keeps only the first of equal test names: they must be unique.
    unique=$(xmllint --xpath '//testcase/@name' "$f" | sort -u | wc -l)
    [ "$names" -eq "$unique" ] || fail "$f: duplicate test case names"
done
[ "$(count report.xml 'count(//testcase[@name="missing.json"]/error)')" = 1 ] ||
    fail "an unreadable input must be an <error>"
[ "$(count report.xml 'count(//testcase[@name="./package.json"]/skipped)')" = 1 ] ||
    fail "package.json must be <skipped>"
[ "$(count report.xml 'count(//testcase[@name="./requests/good.json"]/failure)')" = 0 ] ||
    fail "good.json must pass"
# warnings are failures only with --fail-on warning
[ "$(count report.xml 'count(//failure[@type="ECR0020"])')" = 0 ] || fail "--fail-on error"
[ "$(count report-warn.xml 'count(//failure[@type="ECR0020"])')" = 1 ] || fail "--fail-on warning"
[ "$(count report-none.xml 'count(//failure)')" = 0 ] || fail "--fail-on none"
echo "PASSED: JUnit validated ($(count report.xml 'string(/testsuites/@tests)') test cases)"
