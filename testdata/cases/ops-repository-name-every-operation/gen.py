#!/usr/bin/env python3
"""Writes the inputs and expected.txt of this case (deterministic; the files go next to this
script). Run it again after changing the list below, and review the diff.

ECR answers a bad repositoryName with its own validator's words, lower-case and without
"Member" (`must have length greater than or equal to 2`, `must satisfy regular expression
'<pattern>'`), in every operation that has one, and a bad name in DescribeRepositories'
repositoryNames list at 'repositoryName' in the same words. ECR Public is taken to answer
likewise, with its own model's limit (205) and pattern: inferred, not observed, so its findings
and answers are marked "(inferred)" (confidence low) where ECR's are not. For every such operation of both
services this writes three requests, otherwise valid, named as the AWS CLI names the command
in an ecr/ or ecr-public/ folder (which is how ecrlint tells the operation): the name too short
(short/), too long (long/) and outside the pattern (pattern/). The case checks errors
only (--severity error) and without a client (--client none): ECR's answers to what it
receives, whatever lints other packs add.

BatchGetRepositoryScanningConfiguration's repositoryNames is left out: how ECR reports a bad
name in that list has not been observed.
"""
import json
import os
import re
import shutil

HERE = os.path.dirname(os.path.abspath(__file__))

DIGEST = "sha256:" + "3b" * 32
UPLOAD = "0f7e7d5e-2f1c-4a7b-9d3e-1a2b3c4d5e6f"
MANIFEST = json.dumps({
    "schemaVersion": 2,
    "mediaType": "application/vnd.oci.image.manifest.v1+json",
    "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": "sha256:" + "4c" * 32,
               "size": 1470},
    "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": "sha256:" + "5d" * 32,
                "size": 3208942}]})
LIFECYCLE = json.dumps({"rules": [{"rulePriority": 1, "description": "Expire untagged images after 14 days",
                                   "selection": {"tagStatus": "untagged", "countType": "sinceImagePushed",
                                                 "countUnit": "days", "countNumber": 14},
                                   "action": {"type": "expire"}}]})
POLICY = json.dumps({"Version": "2012-10-17",
                     "Statement": [{"Sid": "AllowPull", "Effect": "Allow",
                                    "Principal": {"AWS": "arn:aws:iam::123456789012:root"},
                                    "Action": ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]}]})

# operation: the other members a valid request has (None: the name is an item of repositoryNames)
ECR = {
    "BatchCheckLayerAvailability": {"layerDigests": [DIGEST]},
    "BatchDeleteImage": {"imageIds": [{"imageTag": "v1"}]},
    "BatchGetImage": {"imageIds": [{"imageTag": "v1"}]},
    "CompleteLayerUpload": {"uploadId": UPLOAD, "layerDigests": [DIGEST]},
    "CreateRepository": {},
    "DeleteLifecyclePolicy": {},
    "DeleteRepository": {},
    "DeleteRepositoryPolicy": {},
    "DescribeImageReplicationStatus": {"imageId": {"imageTag": "v1"}},
    "DescribeImageScanFindings": {"imageId": {"imageTag": "v1"}},
    "DescribeImageSigningStatus": {"imageId": {"imageTag": "v1"}},
    "DescribeImages": {},
    "DescribeRepositories": None,
    "GetDownloadUrlForLayer": {"layerDigest": DIGEST},
    "GetLifecyclePolicy": {},
    "GetLifecyclePolicyPreview": {},
    "GetRepositoryPolicy": {},
    "InitiateLayerUpload": {},
    "ListImageReferrers": {"subjectId": {"imageDigest": DIGEST}},
    "ListImages": {},
    "PutImage": {"imageManifest": MANIFEST},
    "PutImageScanningConfiguration": {"imageScanningConfiguration": {"scanOnPush": True}},
    "PutImageTagMutability": {"imageTagMutability": "IMMUTABLE"},
    "PutLifecyclePolicy": {"lifecyclePolicyText": LIFECYCLE},
    "SetRepositoryPolicy": {"policyText": POLICY},
    "StartImageScan": {"imageId": {"imageTag": "v1"}},
    "StartLifecyclePolicyPreview": {},
    "UpdateImageStorageClass": {"imageId": {"imageTag": "v1"}, "targetStorageClass": "ARCHIVE"},
    "UploadLayerPart": {"uploadId": UPLOAD, "partFirstByte": 0, "partLastByte": 2, "layerPartBlob": "AAAA"},
}
ECR_PUBLIC = {
    "BatchCheckLayerAvailability": {"layerDigests": [DIGEST]},
    "BatchDeleteImage": {"imageIds": [{"imageTag": "v1"}]},
    "CompleteLayerUpload": {"uploadId": UPLOAD, "layerDigests": [DIGEST]},
    "CreateRepository": {},
    "DeleteRepository": {},
    "DeleteRepositoryPolicy": {},
    "DescribeImageTags": {},
    "DescribeImages": {},
    "DescribeRepositories": None,
    "GetRepositoryCatalogData": {},
    "GetRepositoryPolicy": {},
    "InitiateLayerUpload": {},
    "PutImage": {"imageManifest": MANIFEST},
    "PutRepositoryCatalogData": {"catalogData": {"description": "Build cache"}},
    "SetRepositoryPolicy": {"policyText": POLICY},
    "UploadLayerPart": {"uploadId": UPLOAD, "partFirstByte": 0, "partLastByte": 2, "layerPartBlob": "AAAA"},
}
# service folder: (longest name, pattern as ECR quotes it)
SERVICES = {
    "ecr": (256, r"[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*", ECR),
    "ecr-public": (205, r"(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*", ECR_PUBLIC),
}
KINDS = ("short", "long", "pattern")


def cli_name(op):
    return re.sub(r"(?<=[a-z])(?=[A-Z])", "-", op).lower()


def main():
    out = []
    for kind in KINDS:
        shutil.rmtree(os.path.join(HERE, kind), ignore_errors=True)
        for service, (longest, pattern, ops) in SERVICES.items():
            folder = os.path.join(HERE, kind, service)
            os.makedirs(folder)
            name, sentence = {
                "short": ("a", "must have length greater than or equal to 2"),
                "long": ("a" * (longest + 1), "must have length less than or equal to %d" % longest),
                "pattern": ("Web", "must satisfy regular expression '%s'" % pattern),
            }[kind]
            message = ("InvalidParameterException: Invalid parameter at 'repositoryName' failed to "
                       "satisfy constraint: '%s'" % sentence)
            if service == "ecr-public":
                message += " (inferred)"
            rule = {"short": "ECR1010", "long": "ECR1011", "pattern": "ECR1012"}[kind]
            for op in sorted(ops, key=lambda o: cli_name(o) + ".json"):  # file-name order
                path = "%s/%s/%s.json" % (kind, service, cli_name(op))
                if ops[op] is None:
                    first = '  "repositoryNames": ["web", '
                    lines = ["{", first + json.dumps(name) + "]"]
                else:
                    first = '  "repositoryName": '
                    lines = ["{", first + json.dumps(name)]
                    for k, v in ops[op].items():
                        lines[-1] += ","
                        lines.append("  %s: %s" % (json.dumps(k), json.dumps(v)))
                lines.append("}")
                with open(os.path.join(HERE, path), "w") as f:
                    f.write("\n".join(lines) + "\n")
                out.append("%s:2:%d: error: %s [%s]" % (path, len(first) + 1, message, rule))
                out.append("%s: ECR would answer %s" % (path, message))
    n = len(out) // 2
    out.append("%d files checked: %d errors, 0 warnings, 0 info, 0 skipped" % (n, n))
    with open(os.path.join(HERE, "expected.txt"), "w") as f:
        f.write("\n".join(out) + "\n")
    with open(os.path.join(HERE, "args"), "w") as f:
        f.write("--severity\nerror\n--client\nnone\n--color\nnever\n" + "\n".join(KINDS) + "\n")
    with open(os.path.join(HERE, "exit"), "w") as f:
        f.write("1\n")


if __name__ == "__main__":
    main()
