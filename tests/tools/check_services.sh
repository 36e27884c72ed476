#!/bin/sh
# check_services.sh ROOT - rules/generated/aws_services.c (the folder names of other AWS
# services) must be what src/tools/aws_services.py writes with the installed botocore: every
# service botocore ships listed, nothing edited by hand. Regenerate with
#   cmake --build build --target regen-services
# Exit 77 (skipped) without botocore (Debian: apt-get install python3-botocore).
set -u
root=$1
for p in python3 /usr/bin/python3; do
    if command -v "$p" >/dev/null 2>&1 && "$p" -c 'import botocore' 2>/dev/null; then
        exec "$p" "$root/src/tools/aws_services.py" "$root/rules/generated/aws_services.c" --check
    fi
done
echo "generated-services: skipped: botocore is not installed (apt-get install python3-botocore)"
exit 77
