#!/usr/bin/env python3
"""rule_links.py ECRLINT ROOT - every finding's documentation link resolves to an anchor of the
committed rule reference (rules/REFERENCE.md).

- every rule that `ecrlint rules` lists has its anchor (<a id="ecr1012"></a>) in the reference;
- the program in the build tree, with no ECRLINT_RULES_URL, links each finding of every format
  that carries links (json, sarif, text -v) to file://ROOT/rules/REFERENCE.md#<rule in lower
  case>, and that anchor exists;
- a rule from a pack given with --rules is not in the reference: its findings carry no link.
(The installed program's link to the installed copy: tests/package/install_test.sh.)"""
import json
import os
import re
import subprocess
import sys

ECR, ROOT = sys.argv[1], sys.argv[2]
REF = os.path.realpath(os.path.join(ROOT, "rules", "REFERENCE.md"))
anchors = set(re.findall(r'<a id="([^"]+)"></a>', open(REF, encoding="utf-8").read()))
env = dict(os.environ)
env.pop("ECRLINT_RULES_URL", None)
failures = []


def run(*args):
    p = subprocess.run([ECR, "--no-config"] + list(args), cwd=ROOT, env=env, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, universal_newlines=True, timeout=120)
    return p.stdout


def check_link(where, rule, link):
    want = "file://" + REF + "#" + rule.lower()
    if link != want:
        failures.append("%s: %s links to %r, expected %r" % (where, rule, link, want))
    elif rule.lower() not in anchors:
        failures.append("%s: %s: no anchor %s in rules/REFERENCE.md" % (where, rule, rule.lower()))


rules = [r["id"] for r in json.loads(subprocess.run(
    [ECR, "rules", "--no-config", "--format", "json"], stdout=subprocess.PIPE, check=True,
    universal_newlines=True).stdout)["rules"]]
for r in rules:
    if r.lower() not in anchors:
        failures.append("rule %s has no anchor in rules/REFERENCE.md" % r)

inputs = ["testdata/examples", "testdata/manifests", "testdata/images"]
doc = json.loads(run("-f", "json", "-s", "info", *inputs))
n = 0
for f in doc["files"]:
    for d in f["diagnostics"]:
        n += 1
        check_link("json " + f["path"], d["rule"], d.get("helpUri"))
# SARIF, GitHub and JUnit reports are read on other machines: a file: link is left out of them
# (SARIF's helpUri is then the public page the rule's facts come from), a web address is not
sarif = json.loads(run("-f", "sarif", "-s", "info", *inputs))
for rule in sarif["runs"][0]["tool"]["driver"]["rules"]:
    if not rule.get("helpUri", "https://").startswith("https://"):
        failures.append("sarif: %s: helpUri %r is no web address" % (rule["id"], rule["helpUri"]))
if "REFERENCE.md#" in run("-f", "github", "-s", "info", *inputs) + run("-f", "junit", "--fail-on", "info", *inputs):
    failures.append("github or junit report with a file: link")
WEB = "https://example.com/ecrlint/rules/REFERENCE.md"
env["ECRLINT_RULES_URL"] = WEB
sarif = json.loads(run("-f", "sarif", "-s", "info", *inputs))
for rule in sarif["runs"][0]["tool"]["driver"]["rules"]:
    if rule.get("helpUri") != WEB + "#" + rule["id"].lower() or rule["id"].lower() not in anchors:
        failures.append("sarif with %s: %s: helpUri %r" % (WEB, rule["id"], rule.get("helpUri")))
del env["ECRLINT_RULES_URL"]
lines = run("-v", "-s", "info", "--color", "never", *inputs).splitlines()
for i, line in enumerate(lines):
    m = re.search(r": (error|warning|info): .* \[([A-Za-z0-9_-]+)\]$", line)
    if m:
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        check_link("text -v line %d" % (i + 1), m.group(2), nxt[len("    see "):] if nxt.startswith("    see ") else None)
if n < 20:
    failures.append("only %d findings over %s: too few to say anything" % (n, inputs))

for f in failures[:50]:
    print("FAIL:", f)
print("%d rules, %d findings checked; %d failures" % (len(rules), n, len(failures)))
sys.exit(1 if failures else 0)
