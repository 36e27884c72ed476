"""check_skeletons.py ECRLINT MODELS CORPUS - recognition of CLI skeletons (see skeleton_corpus.sh).

CORPUS/<service>/<command>.json are CLI skeletons. Files under ecr/ and ecr-public/ must be
recognised as their operation (ECR Public's written ecr-public:<Operation>); every other file must
be skipped with no finding. The one exception is computed here from the models, independently of
ecrlint: a file whose name is an ECR or ECR Public operation's CLI command and whose members are
all members of that operation is the same file as that operation's fixture would be (CodeCommit's
delete-repository.json holds only a repositoryName): ecrlint may take it, and it is listed.
"""
import json
import os
import subprocess
import sys


def cli_name(op):
    out = ""
    for i, c in enumerate(op):
        if c.isupper() and i > 0 and (op[i - 1].islower() or op[i - 1].isdigit() or
                                      (i + 1 < len(op) and op[i + 1].islower())):
            out += "-"
        out += c.lower()
    return out


def load_models(folder):
    ops = {}  # cli command -> list of member-name sets
    for f in sorted(os.listdir(folder)):
        if not f.endswith(".json"):
            continue
        with open(os.path.join(folder, f)) as fh:
            m = json.load(fh)
        for name, op in m["operations"].items():
            members = set()
            if "input" in op:
                members = set(m["shapes"][op["input"]["shape"]].get("members", {}))
            ops.setdefault(cli_name(name), []).append(members)
    return ops


def run(ecrlint, paths):
    p = subprocess.run([ecrlint, "--no-config", "-f", "json", "--"] + paths,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if p.returncode not in (0, 1):
        sys.exit("ecrlint failed (%d): %s" % (p.returncode, p.stderr[:2000]))
    return json.loads(p.stdout)["files"]


def main():
    ecrlint, models, corpus = sys.argv[1:4]
    ops = load_models(models)
    failures = []
    ours = [os.path.join(corpus, s) for s in ("ecr", "ecr-public") if os.path.isdir(os.path.join(corpus, s))]
    recognised = 0
    for f in run(ecrlint, ours):
        stem = os.path.basename(f["path"])[:-len(".json")]
        service = os.path.basename(os.path.dirname(f["path"]))
        want = "".join(w.capitalize() for w in stem.split("-"))
        if service == "ecr-public":
            want = "ecr-public:" + want
        if f["kind"] != "request" or f["operation"] != want:
            failures.append("%s: %s %s, expected %s" % (f["path"], f["kind"], f["operation"], want))
        else:
            recognised += 1
    others = [os.path.join(corpus, s) for s in sorted(os.listdir(corpus))
              if s not in ("ecr", "ecr-public")]
    files = run(ecrlint, others)
    skipped = same = 0
    for f in files:
        if f["kind"] == "skipped" and not f["diagnostics"]:
            skipped += 1
            continue
        stem = os.path.basename(f["path"])[:-len(".json")]
        with open(f["path"]) as fh:
            body = json.load(fh)
        keys = set(body) if isinstance(body, dict) else None
        if keys is not None and any(keys <= m for m in ops.get(stem, [])):
            same += 1
            print("indistinguishable from an ECR fixture: %s (taken as %s)" % (f["path"], f["operation"]))
            continue
        failures.append("%s: %s %s with %s" % (f["path"], f["kind"], f["operation"],
                                                [d["rule"] for d in f["diagnostics"]]))
    print("ECR and ECR Public skeletons recognised: %d of %d" % (recognised, recognised + sum(
        1 for x in failures if "expected" in x)))
    print("other services' skeletons skipped with no finding: %d of %d (%d indistinguishable)" %
          (skipped, len(files), same))
    for x in failures[:50]:
        print("FAIL " + x)
    if len(failures) > 50:
        print("... and %d more" % (len(failures) - 50))
    sys.exit(1 if failures else 0)


main()
