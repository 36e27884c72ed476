"""check_skeletons.py ECRLINT MODELS CORPUS - recognition of CLI skeletons (see skeleton_corpus.sh).

CORPUS/<service>/<command>.json are CLI skeletons. Files under ecr/ and ecr-public/ must be
recognised as their operation (ECR Public's written ecr-public:<Operation>). The others are
checked twice:

1. As laid out, every one must be skipped with no finding, all of them: most folders are named
   after their service, which is evidence against ECR by itself (rules/generated/aws_services.c);
   the services whose names are ordinary folder names (config, batch, ...) are not in that list,
   and their files must be skipped for their names and members alone.
2. Moved into folders that name no service (<service>.skeletons/), so that only their names and
   members speak: every one must still be skipped, except a file whose name is an ECR or ECR
   Public operation's CLI command and whose members are all members of that operation. That
   file is the very file that operation's fixture would be (CodeCommit's delete-repository.json
   holds only a repositoryName): without its folder nothing tells it apart, ecrlint may take it,
   and it is listed. The exception is computed here from the models, independently of ecrlint.
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


def count_files(folders):
    return sum(1 for d in folders for _, _, fs in os.walk(d) for f in fs if f.endswith(".json"))


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
    ecr_total = count_files(ours)
    if recognised + len(failures) != ecr_total:
        failures.append("ecrlint reported %d of the %d ECR and ECR Public skeletons" %
                        (recognised + len(failures), ecr_total))

    # 1. in their services' folders: every file skipped, no exception
    others = [os.path.join(corpus, s) for s in sorted(os.listdir(corpus))
              if s not in ("ecr", "ecr-public")]
    total = count_files(others)
    files = run(ecrlint, others)
    skipped = by_folder = 0
    for f in files:
        if f["kind"] == "skipped" and not f["diagnostics"]:
            skipped += 1
            if "folder named after another AWS service" in (f.get("reason") or ""):
                by_folder += 1
            continue
        failures.append("%s: %s %s with %s" % (f["path"], f["kind"], f["operation"],
                                                [d["rule"] for d in f["diagnostics"]]))
    if len(files) != total:
        failures.append("ecrlint reported %d of the %d other services' skeletons" % (len(files), total))

    # 2. in folders that name no service: names and members alone
    moved = []
    for d in others:
        os.rename(d, d + ".skeletons")
        moved.append(d + ".skeletons")
    files2 = run(ecrlint, moved)
    skipped2 = same = 0
    for f in files2:
        if f["kind"] == "skipped" and not f["diagnostics"]:
            skipped2 += 1
            continue
        stem = os.path.basename(f["path"])[:-len(".json")]
        with open(f["path"]) as fh:
            body = json.load(fh)
        keys = set(body) if isinstance(body, dict) else None
        if keys is not None and any(keys <= m for m in ops.get(stem, [])):
            same += 1
            print("indistinguishable from an ECR fixture without its folder: %s (taken as %s)" %
                  (f["path"], f["operation"]))
            continue
        failures.append("%s: %s %s with %s" % (f["path"], f["kind"], f["operation"],
                                                [d["rule"] for d in f["diagnostics"]]))
    if len(files2) != total:
        failures.append("ecrlint reported %d of the %d moved skeletons" % (len(files2), total))

    print("ECR and ECR Public skeletons recognised: %d of %d" % (recognised, ecr_total))
    print("other services' skeletons skipped with no finding: %d of %d (%d for their folder)" %
          (skipped, total, by_folder))
    print("the same in folders that name no service: %d of %d skipped (%d indistinguishable)" %
          (skipped2, total, same))
    for x in failures[:50]:
        print("FAIL " + x)
    if len(failures) > 50:
        print("... and %d more" % (len(failures) - 50))
    sys.exit(1 if failures else 0)


main()
