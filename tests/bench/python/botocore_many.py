#!/usr/bin/python3
"""botocore's ParamValidator on many files in one process:
    botocore_many.py [--verdicts] FILE...
    botocore_many.py [--verdicts] -l LIST
Prints "<valid> valid, <invalid> invalid", or with --verdicts one "<file>\\t<verdict>" line each."""
import os
import sys

from botocore_common import is_valid

args = sys.argv[1:]
verdicts = args[:1] == ["--verdicts"]
if verdicts:
    args = args[1:]
if args[:1] == ["-l"]:
    with open(args[1], encoding="utf-8") as f:
        args = [line.rstrip("\n") for line in f if line.strip()]
valid = 0
out = []
for path in args:
    ok = is_valid(path)
    valid += ok
    if verdicts:
        out.append("%s\t%s" % (os.path.basename(path), "valid" if ok else "invalid"))
print("\n".join(out) if verdicts else "%d valid, %d invalid" % (valid, len(args) - valid))
