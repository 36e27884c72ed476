#!/usr/bin/python3
"""botocore's ParamValidator on one file per process: botocore_one.py FILE. Exit 0 valid, 1 not."""
import os
import sys

from botocore_common import is_valid

ok = is_valid(sys.argv[1])
print("%s\t%s" % (os.path.basename(sys.argv[1]), "valid" if ok else "invalid"))
sys.exit(0 if ok else 1)
