#!/usr/bin/python3
"""botocore's client-side validation (what the AWS CLI runs before sending): validates every file
named on the command line in one process; the operation comes from the file name. Prints
"valid invalid" counts, or with --verdicts one "file<TAB>verdict" line each."""
import json, os, sys
import botocore.session
from botocore.validate import ParamValidator

args = sys.argv[1:]
verdicts = args[:1] == ["--verdicts"]
if verdicts:
    args = args[1:]
if args[:1] == ["--list"]:
    args = [l for l in open(args[1]).read().split("\n") if l]
model = botocore.session.get_session().get_service_model("ecr")
shapes = {op: model.operation_model(op).input_shape for op in ("BatchGetImage", "DescribeImages")}
validator = ParamValidator()
ok = bad = 0
for f in args:
    op = "DescribeImages" if "describe-images" in f else "BatchGetImage"
    with open(f) as fh:
        body = json.load(fh)
    report = validator.validate(body, shapes[op])
    valid = not report.has_errors()
    ok += valid
    bad += not valid
    if verdicts:
        print("%s\t%s" % (os.path.basename(f), "valid" if valid else "invalid"))
if not verdicts:
    print(ok, bad)
