#!/usr/bin/env python3
"""oracle.py - ecrlint's client answer against botocore's, character for character.

    oracle.py ECRLINT MODELS_DIR [--aws AWS]

For every operation of every model in MODELS_DIR (rules/models/: ECR and ECR Public), requests
are generated from the model: a valid one (required members only, and every member set), and
ones that break each constraint kind botocore checks wherever the shape has it (a required
member left out or null, an unknown member and a member's name in another case, every JSON
type in every member, a string shorter than its min length counted in code points, a list
with fewer items than its min, a number below its min value, as int, bool and float), plus one
request with all of them at once. botocore answers each: the shape comes from the same model
file ecrlint is generated from (botocore.model.ServiceModel), and the message is
str(ParamValidationError) of botocore.validate.ParamValidator().validate(params, shape), as the
AWS CLI and boto3 print it. ecrlint checks them as JSON Lines, one file per operation
(--operation, -f json), and its report's client.error.message must be that text (or null when
botocore has no complaint); a refusal must also be one ECR0021 finding, an error, whose message
is botocore's first line and its problems joined with "; " (none when botocore accepts).

Then the AWS CLI's own checks of --cli-input-json files (not an object, a byte-order mark, not
JSON, not UTF-8): the real `aws` (version 2) runs offline on each file, with a bogus region and
endpoint and no credentials, and its message must be ecrlint's. Without an aws CLI v2 that part
is skipped with a message.

Prints the number of requests compared and of disagreements. Exit status: 0 all agree,
1 some disagree, 77 botocore is not installed (1 when ECRLINT_REQUIRE_PYTHON is set, as CI
sets it), 2 usage or ecrlint failed.
"""
import argparse
import copy
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile

try:
    import botocore
    from botocore.exceptions import ParamValidationError
    from botocore.model import ServiceModel
    from botocore.validate import ParamValidator
except ImportError:
    print("client oracle: skipped: botocore is not installed (apt-get install python3-botocore)")
    sys.exit(1 if os.environ.get("ECRLINT_REQUIRE_PYTHON") else 77)

# Values whose str() and repr() exercise Python's writing of them: quotes of both kinds,
# escapes, code points repr() escapes or keeps, floats in fixed and exponent form, big ints.
ODD = {
    "floats": [1.0, 0.1, 1e16, 1e15, 1e-05, 0.0001, -0.0, 2.5e-300, 1.7976931348623157e308,
               123456.789, 100.0, 3.14159265358979],
    "ints": [0, -7, 9007199254740993, -9223372036854775808],
    "strings": ["it's", 'say "hi"', "both ' and \"", "back\\slash", "tab\tnl\nret\r",
                "\x01\x1f\x7f", "caf\u00e9", "nb\u00a0sp", "\u200bzw", "\U0001f600",
                "\u2028\ufeff\ue000", "\u00ad\u0600", ""],
    "misc": [True, False, None, [], {}, [[1, [2]], {"a": {"b": None}}]],
}
TYPED = ["a-string", 7, 2.5, True, None, ["x", "it's"], {"k": "v", "n": 1}, ODD]


def model_name(path):
    return os.path.splitext(os.path.basename(path))[0]


def valid_value(shape, full, depth=0):
    """A value botocore accepts for shape: the required members only, or every member (full)."""
    t = shape.type_name
    lo = shape.metadata.get("min", 0)
    if t == "structure":
        out = {}
        for name, m in shape.members.items():
            if name in shape.required_members or (full and depth < 6):
                out[name] = valid_value(m, full, depth + 1)
        return out
    if t == "list":
        return [valid_value(shape.member, full, depth + 1) for _ in range(max(lo, 1))]
    if t == "map":
        return {"key": valid_value(shape.value, full, depth + 1)}
    if t in ("string", "blob"):
        return "v" * max(lo, 1)
    if t in ("integer", "long"):
        return max(lo, 1)
    if t in ("double", "float"):
        return float(max(lo, 1))
    if t == "boolean":
        return True
    raise SystemExit(f"client oracle: a type this test does not generate: {t}")


def places(shape, value, path=(), depth=0):
    """(path, shape) of every value inside `value` that the shape describes."""
    yield path, shape
    if depth > 8:
        return
    t = shape.type_name
    if t == "structure" and isinstance(value, dict):
        for name, v in value.items():
            if name in shape.members:
                yield from places(shape.members[name], v, path + (name,), depth + 1)
    elif t == "list" and isinstance(value, list):
        for i, v in enumerate(value[:1]):
            yield from places(shape.member, v, path + (i,), depth + 1)
    elif t == "map" and isinstance(value, dict):
        for k, v in list(value.items())[:1]:
            yield from places(shape.value, v, path + (k,), depth + 1)


def put(doc, path, value):
    """A copy of doc with the value at path replaced (path () replaces the whole)."""
    if not path:
        return copy.deepcopy(value)
    out = copy.deepcopy(doc)
    cur = out
    for p in path[:-1]:
        cur = cur[p]
    cur[path[-1]] = copy.deepcopy(value)
    return out


def mutations(shape, base):
    """Requests breaking each constraint kind botocore checks, at every place that has it."""
    for path, s in list(places(shape, base)):
        t = s.type_name
        lo = s.metadata.get("min")
        for v in TYPED:
            yield put(base, path, v)
        at = base
        for p in path:
            at = at[p]
        if t == "structure" and isinstance(at, dict):
            for r in s.required_members:
                d = {k: v for k, v in at.items() if k != r}
                yield put(base, path, d)
                yield put(base, path, dict(at, **{r: None}))
            unknown = dict(at)
            unknown["unknownMember"] = 1
            for name in list(s.members)[:2]:
                unknown[name[0].upper() + name[1:]] = "case"
                unknown[name.lower() + "X"] = ["typo"]
            yield put(base, path, unknown)
            yield put(base, path, {})
        if t in ("string", "blob") and lo:
            for n in range(0, lo):
                yield put(base, path, "x" * n)
                yield put(base, path, "\u00e9\U0001f600"[:n] if n <= 2 else "\u00e9" * n)
        if t == "list" and lo:
            for n in range(0, lo):
                yield put(base, path, at[:n] if isinstance(at, list) else [])
        if t in ("integer", "long", "double", "float") and lo is not None:
            for v in (lo - 1, lo - 0.5, False, True, -(2 ** 40), lo):
                yield put(base, path, v)


def everything(shape, base):
    """One request with a problem in every member at once: order and completeness."""
    doc = {"zUnknown": [1], "AUnknown": None}
    for i, (name, m) in enumerate(shape.members.items()):
        if i % 3 == 0:
            continue  # left out: missing when required
        doc[name] = TYPED[i % len(TYPED)] if i % 3 == 1 else valid_value(m, True)
    doc.update({name[0].upper() + name[1:]: 0 for name in list(shape.members)[:1]})
    return doc


def botocore_message(params, shape):
    """botocore's message for params, and its problems one by one (None, None: no complaint).
    The problems are the lines of its report, which a value's own new lines would split."""
    report = ParamValidator().validate(params, shape)
    if not report.has_errors():
        return None, None
    text = report.generate_report()
    try:
        problems = [report._format_error(e) for e in report._errors]
    except AttributeError:  # a botocore whose ValidationErrors keeps them otherwise
        problems = None
    if problems is not None and "\n".join(problems) != text:
        problems = None
    return str(ParamValidationError(report=text)), problems


REFUSES = "aws CLI / boto3 would refuse it before sending: "


def finding_problems(res, want, problems):
    """What is wrong with the record's ECR0021 findings: one error when botocore refuses, whose
    message is botocore's first line and its problems joined with "; "; none when it accepts."""
    found = [d for d in (res or {}).get("diagnostics", []) if d["rule"] == "ECR0021"]
    if want is None:
        return f"{len(found)} ECR0021 findings, botocore accepts it" if found else None
    if len(found) != 1 or found[0]["severity"] != "error":
        return f"{len(found)} ECR0021 findings ({[d['severity'] for d in found]}), want 1 error"
    if problems is not None:
        one = REFUSES + want.split("\n", 1)[0] + (" " + "; ".join(problems) if problems else "")
        if found[0]["message"] != one:
            return f"ECR0021 says {found[0]['message']!r}, want {one!r}"
    return None


def run_ecrlint(ecrlint, operation, lines, tmp):
    path = os.path.join(tmp, "requests.jsonl")
    with open(path, "w", encoding="utf-8") as f:
        for text in lines:
            f.write(text + "\n")
    p = subprocess.run([ecrlint, "--no-config", "--client", "botocore", "--operation", operation,
                        "--jsonl", "-f", "json", "--fail-on", "none", "-j", "1",
                        "--max-diagnostics", "100000", path],
                       capture_output=True, text=True)
    if p.returncode != 0:
        print(f"ecrlint failed ({p.returncode}) on {operation}: {p.stderr}")
        sys.exit(2)
    files = json.loads(p.stdout)["files"]
    return {f["record"]: f for f in files}


def check_requests(ecrlint, models_dir, tmp):
    compared = disagreements = refused = 0
    for model_path in sorted(glob.glob(os.path.join(models_dir, "*.json"))):
        with open(model_path, encoding="utf-8") as f:
            model = ServiceModel(json.load(f), service_name=model_name(model_path))
        prefix = "" if model.metadata.get("targetPrefix", "").startswith(
            "AmazonEC2ContainerRegistry") else model.metadata["signingName"] + ":"
        for op_name in model.operation_names:
            shape = model.operation_model(op_name).input_shape
            if shape is None:
                continue
            base = valid_value(shape, False)
            full = valid_value(shape, True)
            docs = [base, full]
            for b in (base, full):
                docs.extend(mutations(shape, b))
            docs.append(everything(shape, full))
            texts, seen = [], set()
            for d in docs:
                text = json.dumps(d, ensure_ascii=False)
                if text not in seen:
                    seen.add(text)
                    texts.append(text)
            results = run_ecrlint(ecrlint, prefix + op_name, texts, tmp)
            for i, text in enumerate(texts):
                want, problems = botocore_message(json.loads(text), shape)
                res = results.get(i + 1)
                client = res.get("client") if res else None
                got = (client.get("error") or {}).get("message") if client else "(no client answer)"
                compared += 1
                refused += want is not None
                if got != want:
                    disagreements += 1
                    if disagreements <= 20:
                        print(f"DISAGREE {prefix}{op_name}: {text}\n  botocore: {want!r}\n"
                              f"  ecrlint:  {got!r}")
                wrong = finding_problems(res, want, problems)
                if wrong:
                    disagreements += 1
                    if disagreements <= 20:
                        print(f"DISAGREE {prefix}{op_name}: {text}\n  {wrong}")
    print(f"botocore refuses {refused} of them (each ECR0021's error, its message compared too), "
          f"accepts {compared - refused}")
    return compared, disagreements


def find_aws(given):
    """An AWS CLI of version 2: the one given, else the first on PATH."""
    cands = [given] if given else []
    for d in os.environ.get("PATH", "").split(os.pathsep):
        p = os.path.join(d, "aws")
        if os.access(p, os.X_OK):
            cands.append(p)
    for c in cands:
        try:
            v = subprocess.run([c, "--version"], capture_output=True, text=True, timeout=60)
        except (OSError, subprocess.TimeoutExpired):
            continue
        if (v.stdout + v.stderr).startswith("aws-cli/2."):
            return c
    return None


CLI_FILES = {
    "list.json": b"[1, 2]",
    "string.json": b'"latest"',
    "null.json": b"null",
    "number.json": b"12",
    "bom.json": b'\xef\xbb\xbf{"repositoryName": "web", "imageIds": [{"imageTag": "v1"}]}',
    "broken.json": b'{"repositoryName": "web",',
    "empty.json": b"",
    "latin1.json": b'{"repositoryName": "caf\xe9", "imageIds": [{"imageTag": "v1"}]}',
    "unknown.json": b'{"RepositoryName": "web", "imageIds": [{"imageTag": "v1"}]}',
}


def check_cli(ecrlint, aws, tmp):
    """The AWS CLI's reading of --cli-input-json files, run for real (nothing is sent: every
    file fails before the request is made; the endpoint is a closed local port anyway)."""
    compared = disagreements = 0
    env = dict(os.environ, AWS_ACCESS_KEY_ID="", AWS_SECRET_ACCESS_KEY="",
               AWS_CONFIG_FILE=os.devnull, AWS_SHARED_CREDENTIALS_FILE=os.devnull,
               AWS_EC2_METADATA_DISABLED="true", AWS_PAGER="", LC_ALL="C.UTF-8")
    for name, data in CLI_FILES.items():
        with open(os.path.join(tmp, name), "wb") as f:
            f.write(data)
        p = subprocess.run([aws, "ecr", "batch-get-image", "--cli-input-json", "file://" + name,
                            "--region", "xx-bogus-1", "--endpoint-url", "http://127.0.0.1:9",
                            "--cli-connect-timeout", "1", "--cli-read-timeout", "1"],
                           capture_output=True, text=True, cwd=tmp, env=env, timeout=120)
        want = p.stderr.strip("\n")
        e = subprocess.run([ecrlint, "--no-config", "--client", "botocore", "--operation",
                            "BatchGetImage", "-f", "json", "--fail-on", "none", name],
                           capture_output=True, text=True, cwd=tmp)
        if e.returncode != 0:
            print(f"ecrlint failed ({e.returncode}) on {name}: {e.stderr}")
            sys.exit(2)
        res = json.loads(e.stdout)["files"][0]
        client = res.get("client") or {}
        got = (client.get("error") or {}).get("message")
        compared += 1
        # the AWS CLI refuses each: one line, or botocore's (no value here holds a new line)
        wrong = finding_problems(res, want, want.split("\n")[1:])
        if got != want or wrong:
            disagreements += 1
            print(f"DISAGREE aws CLI on {name} {data!r}\n  aws:     {want!r}\n  ecrlint: {got!r}"
                  f"\n  {wrong or ''}")
    return compared, disagreements


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("ecrlint")
    ap.add_argument("models")
    ap.add_argument("--aws", help="the AWS CLI v2 to ask (default: the first on PATH)")
    args = ap.parse_args()
    args.ecrlint = os.path.abspath(args.ecrlint)
    tmp = tempfile.mkdtemp(prefix="ecrlint-client-")
    try:
        compared, bad = check_requests(args.ecrlint, args.models, tmp)
        print(f"botocore {botocore.__version__}: {compared} requests compared, "
              f"{bad} disagreements")
        aws = find_aws(args.aws)
        if aws:
            c2, b2 = check_cli(args.ecrlint, aws, tmp)
            print(f"aws CLI ({aws}): {c2} --cli-input-json files compared, {b2} disagreements")
            compared += c2
            bad += b2
        else:
            print("aws CLI v2 not found: its --cli-input-json checks are not compared")
            if os.environ.get("ECRLINT_REQUIRE_PYTHON"):
                bad += 1
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"total: {compared} compared, {bad} disagreements")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
