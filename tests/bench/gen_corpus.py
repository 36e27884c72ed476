#!/usr/bin/env python3
"""Deterministic benchmark corpus for ecrlint (tests/bench/run.sh).

gen_corpus.py DIR [--files N] [--jsonl-lines N] [--response-mb N]

Writes DIR/requests/*.json (70% valid; violations of every kind and valid-at-the-limit values),
DIR/expected.tsv (file, verdict, expected ECR code), DIR/large/describe-images-response.json,
DIR/large/requests.jsonl and DIR/large/index.json (an OCI index just under 4 MiB).
"""
import argparse, hashlib, json, os, random

def digest(seed):
    return "sha256:" + hashlib.sha256(seed.encode()).hexdigest()

VALID_NAMES = ["web", "team/api", "a" * 256, "ab", "a__b", "a--b/c.d_e", "svc-%d"]
LIMITS = [
    ("valid", None, lambda r: r),
]

def valid_request(rng, i):
    op = rng.choice(["BatchGetImage", "DescribeImages"])
    name = rng.choice(VALID_NAMES)
    if "%d" in name:
        name = name % i
    r = {"repositoryName": name}
    if rng.random() < 0.3:
        r["registryId"] = "%012d" % rng.randrange(10**12)
    if op == "BatchGetImage":
        n = rng.choice([1, 2, 5, 100])
        r["imageIds"] = [rng.choice([{"imageTag": "v%d" % k}, {"imageDigest": digest("%d-%d" % (i, k))},
                                     {"imageTag": "t" * 300}]) for k in range(n)]
        if n == 100:  # no duplicates at the limit
            r["imageIds"] = [{"imageTag": "v%d" % k} for k in range(100)]
        if rng.random() < 0.3:
            r["acceptedMediaTypes"] = ["application/vnd.oci.image.manifest.v1+json"]
    else:
        if rng.random() < 0.5:
            r["maxResults"] = rng.choice([1, 100, 1000])
        if rng.random() < 0.3:
            r["filter"] = {"tagStatus": rng.choice(["TAGGED", "UNTAGGED", "ANY"])}
    return op, r, "valid", ""

def invalid_request(rng, i):
    base = {"repositoryName": "web", "imageIds": [{"imageTag": "v1"}]}
    kind = rng.randrange(14)
    op = "BatchGetImage"
    if kind == 0:
        base["repositoryName"] = "a"; code = "InvalidParameterException"
    elif kind == 1:
        base["repositoryName"] = "a" * 257; code = "InvalidParameterException"
    elif kind == 2:
        base["repositoryName"] = rng.choice(["MyRepo", "_a", "a___b", "web/"]); code = "InvalidParameterException"
    elif kind == 3:
        base["registryId"] = "12345"; code = "InvalidParameterException"
    elif kind == 4:
        base["imageIds"] = []; code = "InvalidParameterException"
    elif kind == 5:
        base["imageIds"] = [{"imageTag": "v%d" % k} for k in range(101)]; code = "InvalidParameterException"
    elif kind == 6:
        base["imageIds"] = [{}]; code = "MissingDigestAndTag"
    elif kind == 7:
        base["imageIds"] = [{"imageDigest": "latest"}]; code = "InvalidImageDigest"
    elif kind == 8:
        base["imageIds"] = [{"imageTag": "v 1"}]; code = "InvalidImageTag"
    elif kind == 9:
        base["imageIds"] = "latest"; code = "SerializationException"
    elif kind == 10:
        op = "DescribeImages"; base = {"repositoryName": "web", "maxResults": rng.choice([0, 1001])}
        code = "InvalidParameterException"
    elif kind == 11:
        op = "DescribeImages"; base = {"repositoryName": "web", "maxResults": "10"}; code = "SerializationException"
    elif kind == 12:
        op = "DescribeImages"; base = {"repositoryName": "web", "filter": {"tagStatus": "tagged"}}
        code = "InvalidParameterException"
    else:
        base["acceptedMediaTypes"] = []; code = "InvalidParameterException"
    return op, base, "invalid", code

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--files", type=int, default=10000)
    ap.add_argument("--jsonl-lines", type=int, default=100000)
    ap.add_argument("--response-mb", type=float, default=40)
    a = ap.parse_args()
    rng = random.Random(20261123)
    req = os.path.join(a.dir, "requests"); large = os.path.join(a.dir, "large")
    os.makedirs(req, exist_ok=True); os.makedirs(large, exist_ok=True)
    rows = []
    for i in range(a.files):
        op, body, verdict, code = (valid_request if rng.random() < 0.7 else invalid_request)(rng, i)
        # the operation is in the file name, as teams name fixtures
        name = "%05d-%s.json" % (i, "batch-get-image" if op == "BatchGetImage" else "describe-images")
        with open(os.path.join(req, name), "w") as f:
            json.dump(body, f, indent=2)
        rows.append((name, op, verdict, code))
    with open(os.path.join(a.dir, "expected.tsv"), "w") as f:
        f.write("file\toperation\tverdict\tcode\n")
        for r in rows:
            f.write("\t".join(r) + "\n")
    # a DescribeImages response of about response-mb MB
    detail = lambda k: {"registryId": "012345678910", "repositoryName": "team/web", "imageDigest": digest("d%d" % k),
                        "imageTags": ["v%d" % k, "build-%d" % k], "imageSizeInBytes": 78447648 + k,
                        "imagePushedAt": 1700000000 + k, "imageScanStatus": {"status": "COMPLETE", "description": "The scan was completed successfully."},
                        "imageScanFindingsSummary": {"imageScanCompletedAt": 1700000100 + k, "vulnerabilitySourceUpdatedAt": 1700000000,
                                                     "findingSeverityCounts": {"HIGH": 4, "MEDIUM": 76, "LOW": 50}},
                        "imageManifestMediaType": "application/vnd.oci.image.manifest.v1+json",
                        "artifactMediaType": "application/vnd.oci.image.config.v1+json", "lastRecordedPullTime": 1700000200 + k}
    one = len(json.dumps(detail(0), indent=2)) + 2
    n = int(a.response_mb * 1e6 / one)
    with open(os.path.join(large, "describe-images-response.json"), "w") as f:
        json.dump({"imageDetails": [detail(k) for k in range(n)]}, f, indent=2)
    with open(os.path.join(large, "requests.jsonl"), "w") as f:
        for i in range(a.jsonl_lines):
            op, body, _, _ = (valid_request if rng.random() < 0.7 else invalid_request)(rng, i)
            if op == "DescribeImages" and "imageIds" not in body:
                body.setdefault("maxResults", 10)
            f.write(json.dumps(body) + "\n")
    # an OCI index just under 4 MiB
    entries = []
    size = 100
    k = 0
    while True:
        e = {"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": digest("m%d" % k), "size": 527 + k,
             "platform": {"architecture": "amd64", "os": "linux"}, "annotations": {"org.opencontainers.image.ref.name": "v%d" % k}}
        s = len(json.dumps(e)) + 2
        if size + s > 4194304 - 200:
            break
        entries.append(e); size += s; k += 1
    with open(os.path.join(large, "index.json"), "w") as f:
        json.dump({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json", "manifests": entries}, f)

if __name__ == "__main__":
    main()
