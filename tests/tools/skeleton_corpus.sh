#!/bin/sh
# skeleton_corpus.sh ECRLINT ROOT - recognition among every AWS service's CLI skeletons.
#
# Builds, at test time, the `aws <service> <command> --generate-cli-skeleton` file of every
# operation of every service model botocore ships (tests/tools/skeletons.py; Debian:
# apt-get install python3-botocore), laid out as <service>/<command>.json, then checks with
# tests/tools/check_skeletons.py that every ECR and ECR Public skeleton is recognised as its
# operation and every other service's is skipped with no finding. Exit 77 (skipped) without
# botocore.
set -u
ecrlint=$1
root=$2
py=
for p in python3 /usr/bin/python3; do
    if command -v "$p" >/dev/null 2>&1 && "$p" -c 'import botocore' 2>/dev/null; then
        py=$p
        break
    fi
done
if [ -z "$py" ]; then
    echo "skeleton_corpus: skipped: botocore is not installed (apt-get install python3-botocore)"
    exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$py" "$root/tests/tools/skeletons.py" "$tmp/skel" || exit 1
"$py" "$root/tests/tools/check_skeletons.py" "$ecrlint" "$root/rules/models" "$tmp/skel"
