#!/usr/bin/env python3
"""run.py - the differential test: ecrlint's predicted answer against an independent reference.

    run.py ECRLINT [--service ecr|ecr-public] [--op OPERATION]... [--seed N | --seed random] [--pairs N]

For every operation of ECR and ECR Public (or those of one service, or the ones named: ECR
Public's as ecr-public:Name), generate.py builds requests from the service models
(rules/models/) and reference.py answers each of them from the model alone;
ecrlint checks them all in one run (JSON Lines, --operation). They must agree on every request:
the exception's code, its message where the reference knows the text, each BatchGetImage failure
(imageId, code, reason), and no error finding when the reference says the request is valid.
A disagreement is shrunk (members dropped while it persists) and printed with both answers.
The seed is fixed (CTest), or random on demand (--seed random prints the one it drew).
Exit status: 0 all agree, 1 some disagree, 2 usage or ecrlint failed.
"""
import argparse
import json
import os
import random
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True  # run from the source tree: leave no __pycache__ in it
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import generate  # noqa: E402
import reference  # noqa: E402

OPERATIONS = reference.model_for("ecr").operations() + reference.model_for("ecr-public:").operations()
FIXED_SEED = 20260429

# Deliberate differences: (operation, predicate over the request text, reason). A request they
# match is counted apart and must still be answered; none may hide a plain disagreement.
def _declared_disagrees(text):
    """PutImage whose imageManifestMediaType is not the manifest's own mediaType (or, without
    one, the type of the OCI image manifests generate.py writes)."""
    try:
        d = json.loads(text)
        m = json.loads(d["imageManifest"])
    except (ValueError, KeyError, TypeError):
        return False
    return isinstance(d, dict) and "imageManifestMediaType" in d and isinstance(m, dict) and \
        d["imageManifestMediaType"] != m.get("mediaType", "application/vnd.oci.image.manifest.v1+json")


def _duplicate_first_differs(text):
    """A duplicated top-level member whose first occurrence has another JSON type."""
    try:
        pairs = json.loads(text, object_pairs_hook=list)
    except ValueError:
        return False
    seen = {}
    for k, v in pairs if isinstance(pairs, list) else []:
        if k in seen and type(seen[k]) is not type(v):
            return True
        seen.setdefault(k, v)
    return False


LIFECYCLE_OPS = ("PutLifecyclePolicy", "StartLifecyclePolicyPreview",
                 "CreateRepositoryCreationTemplate", "UpdateRepositoryCreationTemplate")


def _not_a_policy(text):
    """A lifecycle policy member holding text within the model's length that is no policy: too
    short to hold a rule, generated as a run of one character."""
    try:
        d = json.loads(text)
    except ValueError:
        return False
    v = d.get("lifecyclePolicyText", d.get("lifecyclePolicy")) if isinstance(d, dict) else None
    if not isinstance(v, str) or len(v) > 30720:
        return False
    try:
        json.loads(v)
        return False
    except ValueError:
        return True


DELIBERATE = [
    ("PutImage", _declared_disagrees,
     "imageManifestMediaType disagrees with the manifest's mediaType: ecrlint reports ECR5003 "
     "(error) without predicting ECR's answer, which has not been observed; the reference does "
     "not judge a manifest's content"),
    ("*", _duplicate_first_differs,
     "a duplicated member whose first occurrence has another JSON type: ecrlint checks the last "
     "occurrence only (ECR0005's help); the reference reads every occurrence in text order"),
] + [(op, _not_a_policy,
      "a lifecycle policy member whose text is not JSON: ecrlint checks the document inside it "
      "(ECR8301, ECR's answer after the model's checks); the reference checks the model's "
      "constraints only") for op in LIFECYCLE_OPS]


def deliberate_reason(op, text):
    """The reason of the deliberate difference that covers this request, or None."""
    return next((r for o, pred, r in DELIBERATE if o in (op, "*") and pred(text)), None)


def run_ecrlint(ecrlint, op, bodies):
    """ecrlint's report of each body (one JSON Lines run)."""
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as f:
        for b in bodies:
            f.write(b + "\n")
        path = f.name
    try:
        # ECR's answer only: findings botocore alone refuses (unknown members) stay warnings
        p = subprocess.run([ecrlint, "--no-config", "--client", "none", "--operation", op,
                            "--jsonl", "-f", "json", "--fail-on", "none", "--max-file-size", str(1 << 30), path],
                           capture_output=True, check=False)
    finally:
        os.unlink(path)
    if p.returncode != 0:
        sys.stderr.write(p.stderr.decode("utf-8", "replace"))
        raise SystemExit("ecrlint exited with %d" % p.returncode)
    out = {}
    for fr in json.loads(p.stdout)["files"]:
        out[fr["record"]] = fr
    return [out.get(i + 1) for i in range(len(bodies))]


def differs(ref, got):
    """Why ecrlint's report `got` does not give the reference's answer `ref`, or None."""
    if got is None:
        return "no report"
    ecr = got.get("ecr") or {"exception": None, "failures": []}
    re_, ge = ref["exception"], ecr["exception"]
    if (re_ is None) != (ge is None):
        return "exception"
    if re_ is not None:
        if re_["code"] != ge["code"]:
            return "exception code"
        if re_["message"] is not None and re_["message"] != ge["message"]:
            return "exception message"
        return None
    rf, gf = ref["failures"], ecr["failures"]
    if len(rf) != len(gf):
        return "number of failures"
    for a, b in zip(rf, gf):
        if a["imageId"] != b["imageId"] or a["failureCode"] != b["failureCode"]:
            return "failure"
        if a["failureReason"] is not None and a["failureReason"] != b["failureReason"]:
            return "failure reason"
    if not rf and any(d["severity"] == "error" for d in got["diagnostics"]):
        return "error finding on a valid request"
    return None


def shrink(ecrlint, model, op, text):
    """Drops top-level members (and list items) while the disagreement persists."""
    try:
        body = json.loads(text, object_pairs_hook=list)
    except ValueError:
        return text
    if not isinstance(body, list):
        return text

    def enc(pairs):
        return "{" + ",".join(json.dumps(k) + ":" + json.dumps(v, ensure_ascii=False) for k, v in pairs) + "}"

    def still(pairs):
        t = enc(pairs)
        return differs(reference.answer(model, op, t), run_ecrlint(ecrlint, op, [t])[0]) is not None

    if not still(body):
        return text  # re-encoding changed the number forms: keep the original
    i = 0
    while i < len(body):
        cand = body[:i] + body[i + 1:]
        if still(cand):
            body = cand
        else:
            i += 1
    return enc(body)


def short(text, n=300):
    return text if len(text) <= n else text[:n] + " ... (%d characters)" % len(text)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("ecrlint")
    ap.add_argument("--op", action="append", choices=OPERATIONS)
    ap.add_argument("--service", choices=["ecr", "ecr-public"])
    ap.add_argument("--seed", default=str(FIXED_SEED))
    ap.add_argument("--pairs", type=int, default=400)
    a = ap.parse_args()
    seed = random.SystemRandom().randrange(1 << 32) if a.seed == "random" else int(a.seed)
    total = agree = deliberate = 0
    bad = 0
    print("seed %d" % seed)
    ops = a.op or [o for o in OPERATIONS
                   if a.service is None or (o.startswith("ecr-public:") == (a.service == "ecr-public"))]
    for op in ops:
        model = reference.model_for(op)
        reqs = generate.Gen(model, op, seed).requests(a.pairs)
        bodies = [t for _, t in reqs]
        reports = run_ecrlint(a.ecrlint, op, bodies)
        n_ok = n_del = 0
        for (label, text), got in zip(reqs, reports):
            ref = reference.answer(model, op, text)
            why = differs(ref, got)
            if why is None:
                n_ok += 1
                continue
            reason = deliberate_reason(op, text)
            if reason:
                n_del += 1
                continue
            bad += 1
            if bad <= 5:
                small = shrink(a.ecrlint, model, op, text)
                got_small = run_ecrlint(a.ecrlint, op, [small])[0]
                print("DISAGREE %s (%s): %s" % (op, label, why))
                print("  request:   %s" % short(small))
                print("  reference: %s" % short(json.dumps(reference.answer(model, op, small), ensure_ascii=False), 600))
                print("  ecrlint:   %s" % short(json.dumps(got_small.get("ecr") if got_small else None, ensure_ascii=False), 600))
                if got_small:
                    print("  findings:  %s" % ", ".join("%s %s %s" % (d["rule"], d["severity"], d["pointer"])
                                                      for d in got_small["diagnostics"]))
        print("%s: %d requests, %d agree, %d deliberate differences, %d disagree"
              % (op, len(reqs), n_ok, n_del, len(reqs) - n_ok - n_del))
        total += len(reqs)
        agree += n_ok
        deliberate += n_del
    print("all: %d requests, %d agree (%.2f%%), %d deliberate, %d disagree"
          % (total, agree, 100.0 * agree / total, deliberate, total - agree - deliberate))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
