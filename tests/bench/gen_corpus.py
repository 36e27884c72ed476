#!/usr/bin/env python3
"""Deterministic corpus for the ecrlint benchmark (tests/bench/run.sh; see README.md here).

    gen_corpus.py DIR [--files N] [--jsonl-lines N] [--response-mb MB] [--index-bytes N] [--seed S]

Writes into DIR:
  requests/NNNNN-batch-get-image.json, requests/NNNNN-describe-images.json
                        N request bodies, exactly 70% valid (some with warnings only), the rest
                        with one kind of violation each (a few with several)
  expected.tsv          file, operation, verdict (valid/invalid), code, kind: code is the ECR
                        exception code, or the BatchGetImage failure codes in request order
                        joined with ',', or '' for a valid request
  expected-jsonl.tsv    the same for each line of large/requests.jsonl (line number for file)
  large/describe-images-response.json   a DescribeImages response of about MB megabytes
  large/requests.jsonl  one request object per line
  large/index.json      an OCI image index just under ECR's 4 MiB manifest limit (N bytes)
  manifests/*.json      one manifest of each kind (Docker schema 1 and 2, manifest list, OCI
                        manifest, OCI index, OCI artifacts), all valid

Expected verdicts follow ECR's documentation and its observed answers (tests/bench/README.md
names the sources), not ecrlint's output: a request-level violation is
InvalidParameterException, a JSON type that does not fit the model is SerializationException and
wins over every constraint, an exception means no per-image failures, and in BatchGetImage a bad
digest, a bad tag character set or an empty identifier are per-image failures (ImageFailure's
failureCode). Unknown members, duplicate ids, 2026-only names and the like are accepted by ECR:
they are valid (ecrlint may warn).
"""
import argparse
import hashlib
import json
import os
import random
import re

BGI, DI = "BatchGetImage", "DescribeImages"
SLUG = {BGI: "batch-get-image", DI: "describe-images"}
IPE, SER = "InvalidParameterException", "SerializationException"

# The repositoryName pattern of the ECR API reference (its 2026 form, "RN-NEW"; "RN-OLD" is the
# form before it) and the tag and digest patterns ECR quotes in its InvalidParameterException
# messages (observed behaviour of ECR, not documented; tests/bench/README.md); used to check that
# every generated value is what its case says it is.
NAME_RE = re.compile(r"[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*")
TAG_RE = re.compile(r"[a-zA-Z0-9\-_.]+")
DIGEST_RE = re.compile(r"[a-zA-Z0-9\-_+.]+:[a-fA-F0-9]+")

MANIFEST_TYPES = [
    "application/vnd.docker.distribution.manifest.v2+json",
    "application/vnd.oci.image.manifest.v1+json",
    "application/vnd.docker.distribution.manifest.list.v2+json",
    "application/vnd.oci.image.index.v1+json",
    "application/vnd.docker.distribution.manifest.v1+json",
]
WORDS = ["web", "api", "auth", "billing", "worker", "ml", "infra", "base", "nginx", "redis",
         "team", "platform", "data", "etl", "frontend", "backend", "search", "edge", "ci", "tools"]


def hexdigits(rng, n=64):
    return "".join(rng.choice("0123456789abcdef") for _ in range(n))


def digest(rng):
    return "sha256:" + hexdigits(rng)


def name_of_length(rng, length):
    """A repository name valid under RN-NEW (and RN-OLD) of exactly `length` characters."""
    parts = []
    while len("".join(parts)) < length + 8:
        if parts:
            parts.append(rng.choice(["/", "-", "_", "."]))
        parts.append(rng.choice(WORDS) + str(rng.randrange(100)))
    s = "".join(parts)[:length]
    s = s[:-1] + "z" if not s[-1].isalnum() else s
    # A separator right before the last character is fine ("a-z"); two in a row cannot occur.
    assert len(s) == length and NAME_RE.fullmatch(s), s
    return s


def valid_name(rng):
    r = rng.random()
    if r < 0.55:
        return rng.choice(WORDS)
    if r < 0.85:
        return "%s/%s" % (rng.choice(WORDS), rng.choice(WORDS))
    return "%s/%s-%s.v%d_%d" % (rng.choice(WORDS), rng.choice(WORDS), rng.choice(WORDS),
                                rng.randrange(9), rng.randrange(9))


def tag(rng):
    kind = rng.random()
    if kind < 0.3:
        return "v%d.%d.%d" % (rng.randrange(5), rng.randrange(30), rng.randrange(100))
    if kind < 0.45:
        return "latest"
    if kind < 0.7:
        return "build-%d" % rng.randrange(100000)
    if kind < 0.9:
        return "sha-" + hexdigits(rng, 7)
    return "release_%d.%02d" % (2020 + rng.randrange(7), 1 + rng.randrange(12))


def tag_of_length(rng, length):
    alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_."
    return "v" + "".join(rng.choice(alphabet) for _ in range(length - 1))


def image_id(rng):
    r = rng.random()
    if r < 0.55:
        return {"imageTag": tag(rng)}
    if r < 0.9:
        return {"imageDigest": digest(rng)}
    return {"imageDigest": digest(rng), "imageTag": tag(rng)}


def image_ids(rng, n):
    """n distinct identifiers."""
    seen, out = set(), []
    while len(out) < n:
        i = image_id(rng)
        key = json.dumps(i, sort_keys=True)
        if key not in seen:
            seen.add(key)
            out.append(i)
    return out


def valid_request(rng, op):
    """A plain valid request of `op`, members in the model's order."""
    r = {}
    if rng.random() < 0.3:
        r["registryId"] = "%012d" % rng.randrange(10 ** 12)
    r["repositoryName"] = valid_name(rng)
    if op == BGI:
        r["imageIds"] = image_ids(rng, rng.choice([1, 1, 1, 2, 3, 5, 10]))
        if rng.random() < 0.4:
            r["acceptedMediaTypes"] = rng.sample(MANIFEST_TYPES[:3], rng.randrange(1, 4))
        return r
    shape = rng.random()
    if shape < 0.3:
        r["imageIds"] = image_ids(rng, rng.choice([1, 2, 4]))
        return r
    if rng.random() < 0.2:
        r["nextToken"] = hexdigits(rng, 40)
    if rng.random() < 0.6:
        r["maxResults"] = rng.choice([10, 50, 100, 500])
    if rng.random() < 0.4:
        r["filter"] = {"tagStatus": rng.choice(["TAGGED", "UNTAGGED", "ANY"])}
    return r


# ---- valid cases, each (kind, ops, build(rng, op) -> body). Limit cases come first so that even
# a small corpus has each of them once.

def with_(op_body, **members):
    op_body.update(members)
    return op_body


def _name(length):
    return lambda rng, op: with_(valid_request(rng, op), repositoryName=name_of_length(rng, length))


def _ids(n):
    def build(rng, op):
        r = valid_request(rng, op)
        r.pop("maxResults", None), r.pop("nextToken", None)
        r["imageIds"] = image_ids(rng, n)
        return r
    return build


def _tag(value):
    return lambda rng, op: {"repositoryName": valid_name(rng), "imageIds": [{"imageTag": value(rng)}]}


def _digest(value):
    return lambda rng, op: with_({"repositoryName": valid_name(rng)}, imageIds=[{"imageDigest": value(rng)}])


VALID_LIMITS = [
    ("limit:name-2-chars", (BGI, DI), _name(2)),
    ("limit:name-256-chars", (BGI, DI), _name(256)),
    ("limit:name-2026-pattern", (BGI, DI), lambda rng, op: with_(valid_request(rng, op), repositoryName=rng.choice(
        ["a__b", "a--b", "a---b", "team/a__b", "my--repo/x__y", "web__api"]))),
    ("limit:registry-id-12-digits", (BGI, DI), lambda rng, op: with_(
        {"registryId": rng.choice(["000000000000", "123456789012", "999999999999"])}, **valid_request(rng, op))),
    ("limit:image-ids-100", (BGI, DI), _ids(100)),
    ("limit:image-ids-1", (BGI, DI), _ids(1)),
    ("limit:tag-300-chars", (BGI, DI), _tag(lambda rng: tag_of_length(rng, 300))),
    ("limit:tag-1-char", (BGI, DI), _tag(lambda rng: rng.choice("a7_.-"))),
    ("limit:tag-leading-dot-or-dash", (BGI, DI), _tag(lambda rng: rng.choice([".hidden", "-rc1", "_x", "--"]))),
    ("limit:digest-short-hex", (BGI, DI), _digest(lambda rng: rng.choice(["sha256:abc", "sha256:0", "x:f"]))),
    ("limit:digest-upper-hex", (BGI, DI), _digest(lambda rng: "sha256:" + hexdigits(rng).upper())),
    ("limit:digest-other-algorithm", (BGI, DI), _digest(lambda rng: "sha512:" + hexdigits(rng, 128))),
    ("limit:accepted-media-types-100", (BGI,), lambda rng, op: with_(valid_request(rng, op), acceptedMediaTypes=[
        MANIFEST_TYPES[k % 5] if k < 5 else "application/vnd.example.type%d+json" % k for k in range(100)])),
    ("limit:accepted-media-types-1", (BGI,), lambda rng, op: with_(valid_request(rng, op),
                                                                    acceptedMediaTypes=[rng.choice(MANIFEST_TYPES)])),
    ("limit:max-results-1", (DI,), lambda rng, op: {"repositoryName": valid_name(rng), "maxResults": 1}),
    ("limit:max-results-1000", (DI,), lambda rng, op: {"repositoryName": valid_name(rng), "maxResults": 1000}),
    ("limit:tag-status-each", (DI,), lambda rng, op: {"repositoryName": valid_name(rng), "filter": {
        "tagStatus": rng.choice(["TAGGED", "UNTAGGED", "ANY"])}}),
    ("limit:image-status-each", (DI,), lambda rng, op: {"repositoryName": valid_name(rng), "filter": {
        "tagStatus": "ANY", "imageStatus": rng.choice(["ACTIVE", "ARCHIVED", "ACTIVATING", "ANY"])}}),
    ("limit:filter-with-image-ids", (DI,), lambda rng, op: {"repositoryName": valid_name(rng), "imageIds": image_ids(
        rng, 3), "filter": {"tagStatus": "TAGGED"}}),
    ("limit:name-only", (DI,), lambda rng, op: {"repositoryName": valid_name(rng)}),
    ("warn:unknown-member", (BGI, DI), lambda rng, op: with_(valid_request(rng, op), **{
        rng.choice(["region", "profile", "comment", "maxResult"]): rng.choice(["us-east-1", "ci", 5])})),
    ("warn:duplicate-image-ids", (BGI, DI), lambda rng, op: with_({"repositoryName": valid_name(rng)}, imageIds=[
        {"imageTag": "latest"}, {"imageTag": "v1"}, {"imageTag": "latest"}])),
    ("warn:null-optional-member", (BGI, DI), lambda rng, op: with_(valid_request(rng, op), registryId=None)),
]


# ---- invalid cases, each (kind, ops, build(rng, op) -> (body, code)).

def _set(value, code, ops=(BGI, DI)):
    """A valid request with members replaced: value(rng) -> dict of members."""
    def build(rng, op):
        r = valid_request(rng, op)
        r.update(value(rng))
        return r, code
    return ops, build


def _bgi_entries(entries, code_bgi, code_di=IPE):
    """imageIds with one bad entry among good ones: a per-image failure in BatchGetImage,
    InvalidParameterException in DescribeImages (observed behaviour of ECR, not documented)."""
    def build(rng, op):
        good = image_ids(rng, rng.randrange(0, 3))
        bad = entries(rng)
        ids = good[:1] + [bad] + good[1:]
        return {"repositoryName": valid_name(rng), "imageIds": ids}, (code_bgi if op == BGI else code_di)
    return build


BAD_NAMES = ["MyRepo", "Web", "_a", "a_", "a___b", "a_-b", "web/", "/web", "a//b", "a b", "a.", ".a",
             "a..b", "café", "a:b", "a@b", "UPPER/case", "-a", "a-"]
BAD_DIGESTS = ["latest", "sha256:", ":abc", "sha256 abc", "sha256:xyz", "sha256:abc g", "sha256", "sha256:abc:def",
               "sha256/abc", "sha256:" + "z" * 64]
BAD_TAGS = ["v 1", "v1:latest", "tag/slash", "ümlaut", "a+b", "@x", "semi;colon", "tab\tchar", "quo\"te"]
TYPE_ERRORS = [  # member -> a value of the wrong JSON type
    (BGI, {"imageIds": "latest"}), (BGI, {"imageIds": {"imageTag": "v1"}}), (BGI, {"repositoryName": 42}),
    (BGI, {"registryId": 123456789012}), (BGI, {"acceptedMediaTypes": MANIFEST_TYPES[0]}),
    (BGI, {"imageIds": [{"imageTag": 1}]}), (BGI, {"acceptedMediaTypes": [MANIFEST_TYPES[1], 7]}),
    (BGI, {"imageIds": [["v1"]]}), (BGI, {"imageIds": [{"imageDigest": True}]}),
    (DI, {"maxResults": "10"}), (DI, {"maxResults": True}), (DI, {"nextToken": 5}), (DI, {"filter": "TAGGED"}),
    (DI, {"filter": {"tagStatus": ["TAGGED"]}}), (DI, {"repositoryName": ["web"]}), (DI, {"imageIds": "latest"}),
]

assert not any(NAME_RE.fullmatch(x) for x in BAD_NAMES)
assert not any(DIGEST_RE.fullmatch(x) for x in BAD_DIGESTS + ["md5", "bad"])
assert not any(TAG_RE.fullmatch(x) for x in BAD_TAGS)

INVALID = [
    ("name-too-short", *_set(lambda rng: {"repositoryName": rng.choice(["a", "7", ""])}, IPE)),
    ("name-too-long", *_set(lambda rng: {"repositoryName": name_of_length(rng, rng.choice([257, 258, 300, 1000]))}, IPE)),
    ("name-pattern", *_set(lambda rng: {"repositoryName": rng.choice(BAD_NAMES)}, IPE)),
    ("name-missing", (BGI, DI), lambda rng, op: ({"imageIds": image_ids(rng, 1)} if op == BGI else
                                                  {"maxResults": 20}, IPE)),
    ("name-null", *_set(lambda rng: {"repositoryName": None}, IPE)),
    ("registry-id-pattern", *_set(lambda rng: {"registryId": rng.choice(
        ["12345", "1234567890123", "12345678901a", "", " 123456789012", "123-456-7890"])}, IPE)),
    ("image-ids-empty", (BGI, DI), lambda rng, op: ({"repositoryName": valid_name(rng), "imageIds": []}, IPE)),
    ("image-ids-over-100", (BGI, DI), lambda rng, op: ({"repositoryName": valid_name(rng), "imageIds": image_ids(
        rng, rng.choice([101, 102, 150]))}, IPE)),
    ("image-ids-missing", (BGI,), lambda rng, op: ({"repositoryName": valid_name(rng), "acceptedMediaTypes": [
        MANIFEST_TYPES[0]]}, IPE)),
    ("image-id-empty-object", (BGI,), _bgi_entries(lambda rng: {}, "MissingDigestAndTag")),
    ("digest-pattern", (BGI, DI), _bgi_entries(lambda rng: {"imageDigest": rng.choice(BAD_DIGESTS)},
                                               "InvalidImageDigest")),
    ("tag-charset", (BGI, DI), _bgi_entries(lambda rng: {"imageTag": rng.choice(BAD_TAGS)}, "InvalidImageTag")),
    ("tag-too-long", (BGI, DI), _bgi_entries(lambda rng: {"imageTag": tag_of_length(rng, rng.choice([301, 400]))},
                                             IPE, IPE)),
    ("tag-empty", (BGI, DI), _bgi_entries(lambda rng: {"imageTag": ""}, IPE, IPE)),
    ("several-failures", (BGI,), lambda rng, op: ({"repositoryName": valid_name(rng), "imageIds": [
        {"imageTag": "v 1"}, {"imageTag": "ok"}, {"imageDigest": "md5"}, {}]},
        "InvalidImageTag,InvalidImageDigest,MissingDigestAndTag")),
    ("exception-beats-failure", (BGI,), lambda rng, op: ({"repositoryName": "a", "imageIds": [
        {"imageDigest": "bad"}, {}]}, IPE)),
    ("accepted-media-types-empty", *_set(lambda rng: {"acceptedMediaTypes": []}, IPE, (BGI,))),
    ("accepted-media-types-over-100", *_set(lambda rng: {"acceptedMediaTypes": [
        "application/vnd.example.t%d+json" % k for k in range(rng.choice([101, 120]))]}, IPE, (BGI,))),
    ("max-results-below-1", (DI,), lambda rng, op: ({"repositoryName": valid_name(rng),
                                                      "maxResults": rng.choice([0, -1, -1000])}, IPE)),
    ("max-results-above-1000", (DI,), lambda rng, op: ({"repositoryName": valid_name(rng),
                                                         "maxResults": rng.choice([1001, 5000, 2 ** 31 - 1])}, IPE)),
    ("tag-status-enum", (DI,), lambda rng, op: ({"repositoryName": valid_name(rng), "filter": {
        "tagStatus": rng.choice(["tagged", "ALL", "", "Untagged", "NONE"])}}, IPE)),
    ("image-status-enum", (DI,), lambda rng, op: ({"repositoryName": valid_name(rng), "filter": {
        "imageStatus": rng.choice(["DELETED", "active", "ARCHIVE"])}}, IPE)),
    ("max-results-with-image-ids", (DI,), lambda rng, op: ({"repositoryName": valid_name(rng), "imageIds": image_ids(
        rng, 2), "maxResults": 10}, IPE)),
    ("next-token-with-image-ids", (DI,), lambda rng, op: ({"repositoryName": valid_name(rng), "imageIds": image_ids(
        rng, 1), "nextToken": hexdigits(rng, 32)}, IPE)),
    ("type-error", (BGI, DI), lambda rng, op: (with_(valid_request(rng, op), **rng.choice(
        [m for o, m in TYPE_ERRORS if o == op])), SER)),
    ("type-error-beats-constraint", (BGI, DI), lambda rng, op: (
        {"repositoryName": "a", "imageIds": "latest"} if op == BGI else
        {"repositoryName": "a", "maxResults": "10", "filter": {"tagStatus": "bad"}}, SER)),
]


def clean(op, body):
    """Takes out of a valid DescribeImages request the members it may not combine with imageIds
    (maxResults, nextToken), for the valid cases that add imageIds to a random base."""
    if op == DI and "imageIds" in body:
        body.pop("maxResults", None)
        body.pop("nextToken", None)
    return body


def make_case(rng, valid, n_done):
    """One (op, body, verdict, code, kind). The first cases walk through every kind in turn."""
    table = VALID_LIMITS if valid else INVALID
    if n_done < 2 * len(table):
        kind, ops, build = table[n_done % len(table)]
        op = ops[(n_done // len(table)) % len(ops)]
    elif valid and rng.random() < 0.75:
        op = rng.choice([BGI, DI])
        return op, clean(op, valid_request(rng, op)), "valid", "", "plain"
    else:
        kind, ops, build = rng.choice(table)
        op = rng.choice(ops)
    if valid:
        return op, clean(op, build(rng, op)), "valid", "", kind
    body, code = build(rng, op)  # not cleaned: a type error wins over any combination
    return op, body, "invalid", code, kind


def dump(rng, body):
    """Files as people write them: mostly indented, some compact, some with a final newline."""
    style = rng.random()
    if style < 0.6:
        return json.dumps(body, indent=2, ensure_ascii=False) + "\n"
    if style < 0.8:
        return json.dumps(body, indent=4, ensure_ascii=False)
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"))


def write_requests(out, n, rng):
    os.makedirs(os.path.join(out, "requests"), exist_ok=True)
    n_valid = round(n * 0.7)
    verdicts = [True] * n_valid + [False] * (n - n_valid)
    rng.shuffle(verdicts)
    done = {True: 0, False: 0}
    rows = []
    for i, valid in enumerate(verdicts):
        op, body, verdict, code, kind = make_case(rng, valid, done[valid])
        done[valid] += 1
        name = "%05d-%s.json" % (i, SLUG[op])
        with open(os.path.join(out, "requests", name), "w", encoding="utf-8") as f:
            f.write(dump(rng, body))
        rows.append((name, op, verdict, code, kind))
    write_tsv(os.path.join(out, "expected.tsv"), rows)


def write_tsv(path, rows):
    """The second column is the operation for requests, "manifest" or "response" otherwise."""
    with open(path, "w", encoding="utf-8") as f:
        f.write("file\toperation\tverdict\tcode\tkind\n")
        for r in rows:
            f.write("\t".join(str(x) for x in r) + "\n")


def ambiguous_describe(op, body):
    """A DescribeImages line that only its file name could tell from BatchGetImage: JSON Lines
    have no file name, so such lines are not used there."""
    return op == DI and not ({"maxResults", "nextToken", "filter"} & set(body)) and "imageIds" in body


def write_jsonl(out, lines, rng):
    path = os.path.join(out, "large", "requests.jsonl")
    rows = []
    done = {True: 0, False: 0}
    with open(path, "w", encoding="utf-8") as f:
        for i in range(1, lines + 1):
            valid = rng.random() < 0.7
            while True:
                op, body, verdict, code, kind = make_case(rng, valid, done[valid])
                done[valid] += 1
                if not ambiguous_describe(op, body) and "name-missing" not in kind:
                    break
            f.write(json.dumps(body, ensure_ascii=False, separators=(",", ":")) + "\n")
            rows.append((i, op, verdict, code, kind))
    write_tsv(os.path.join(out, "expected-jsonl.tsv"), rows)


def image_detail(rng, k):
    """One ImageDetail as DescribeImages returns it (MODEL-NEW members)."""
    pushed = 1600000000 + k * 37 + rng.randrange(30)
    artifact = rng.random() < 0.1
    d = {
        "registryId": "123456789012",
        "repositoryName": rng.choice(["team/web", "platform/api", "ml/trainer", "base/debian"]),
        "imageDigest": digest(rng),
    }
    if rng.random() < 0.85:
        d["imageTags"] = [tag(rng) for _ in range(rng.choice([1, 1, 2, 3]))]
    d.update({
        "imageSizeInBytes": rng.randrange(2_000_000, 900_000_000),
        "imagePushedAt": pushed + rng.randrange(1000) / 1000,
        "imageManifestMediaType": "application/vnd.oci.image.manifest.v1+json" if artifact or rng.random() < 0.5
        else "application/vnd.docker.distribution.manifest.v2+json",
        "artifactMediaType": "application/vnd.cncf.helm.config.v1+json" if artifact
        else "application/vnd.docker.container.image.v1+json",
        "lastRecordedPullTime": pushed + rng.randrange(1, 10 ** 7) + 0.5,
        "imageStatus": "ACTIVE",
    })
    if not artifact and rng.random() < 0.8:
        d["imageScanStatus"] = {"status": "COMPLETE", "description": "The scan was completed successfully."}
        d["imageScanFindingsSummary"] = {
            "imageScanCompletedAt": pushed + 60.25,
            "vulnerabilitySourceUpdatedAt": pushed - 3600.5,
            "findingSeverityCounts": {s: rng.randrange(0, 80) for s in ("CRITICAL", "HIGH", "MEDIUM", "LOW")
                                      if rng.random() < 0.7},
        }
    return d


def write_response(out, megabytes, rng):
    """{"imageDetails": [...]} indented as the AWS CLI prints it, of about `megabytes` MB."""
    path = os.path.join(out, "large", "describe-images-response.json")
    target = int(megabytes * 1_000_000)
    written = 0
    with open(path, "w", encoding="utf-8") as f:
        f.write('{\n    "imageDetails": [\n')
        k = 0
        while written < target - 200:
            item = json.dumps(image_detail(rng, k), indent=4)
            item = "        " + item.replace("\n", "\n        ")
            sep = ",\n" if k else ""
            f.write(sep + item)
            written += len(sep) + len(item)
            k += 1
        f.write('\n    ]\n}\n')  # the AWS CLI pages through and prints no nextToken


def descriptor(rng, media_type, size=None):
    return {"mediaType": media_type, "digest": digest(rng), "size": size or rng.randrange(1000, 90_000_000)}


PLATFORMS = [{"architecture": "amd64", "os": "linux"}, {"architecture": "arm64", "os": "linux", "variant": "v8"},
             {"architecture": "arm", "os": "linux", "variant": "v7"}, {"architecture": "ppc64le", "os": "linux"},
             {"architecture": "s390x", "os": "linux"}, {"architecture": "amd64", "os": "windows",
                                                         "os.version": "10.0.20348.2340"}]


def write_index(out, limit, rng):
    """An OCI image index with as many entries as fit in `limit` bytes (< 4,194,304)."""
    head = '{\n  "schemaVersion": 2,\n  "mediaType": "application/vnd.oci.image.index.v1+json",\n  "manifests": [\n'
    tail = '\n  ],\n  "annotations": {\n    "org.opencontainers.image.created": "2026-04-29T10:00:00Z"\n  }\n}\n'
    parts, size, k = [], len(head) + len(tail), 0
    while True:
        e = descriptor(rng, "application/vnd.oci.image.manifest.v1+json", rng.randrange(400, 4000))
        e["platform"] = PLATFORMS[k % len(PLATFORMS)]
        e["annotations"] = {"org.opencontainers.image.ref.name": "v%d.%d" % (k // 100, k % 100),
                            "org.opencontainers.image.revision": hexdigits(rng, 40)}
        text = "    " + json.dumps(e, indent=2).replace("\n", "\n    ")
        add = len(text) + (2 if parts else 0)
        if size + add > limit:
            break
        parts.append(text)
        size += add
        k += 1
    data = head + ",\n".join(parts) + tail
    assert len(data.encode()) <= limit
    with open(os.path.join(out, "large", "index.json"), "w", encoding="utf-8") as f:
        f.write(data)


def write_manifests(out, rng):
    """One manifest of each kind ECR stores, all valid."""
    d = os.path.join(out, "manifests")
    os.makedirs(d, exist_ok=True)
    docker_layer = "application/vnd.docker.image.rootfs.diff.tar.gzip"
    oci_layer = "application/vnd.oci.image.layer.v1.tar+gzip"
    empty = {"mediaType": "application/vnd.oci.empty.v1+json",
             "digest": "sha256:" + hashlib.sha256(b"{}").hexdigest(), "size": 2, "data": "e30="}
    m = {
        "docker-schema2.json": {
            "schemaVersion": 2, "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
            "config": descriptor(rng, "application/vnd.docker.container.image.v1+json", 7023),
            "layers": [descriptor(rng, docker_layer) for _ in range(4)]},
        "docker-manifest-list.json": {
            "schemaVersion": 2, "mediaType": "application/vnd.docker.distribution.manifest.list.v2+json",
            "manifests": [dict(descriptor(rng, "application/vnd.docker.distribution.manifest.v2+json", 1152),
                               platform=p) for p in PLATFORMS[:3]]},
        "oci-manifest.json": {
            "schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "config": descriptor(rng, "application/vnd.oci.image.config.v1+json", 1470),
            "layers": [descriptor(rng, oci_layer) for _ in range(3)],
            "annotations": {"org.opencontainers.image.source": "https://example.com/team/web"}},
        "oci-index.json": {
            "schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json",
            "manifests": [dict(descriptor(rng, "application/vnd.oci.image.manifest.v1+json", 1000), platform=p)
                          for p in PLATFORMS[:4]]},
        "oci-artifact-helm.json": {
            "schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "config": descriptor(rng, "application/vnd.cncf.helm.config.v1+json", 317),
            "layers": [descriptor(rng, "application/vnd.cncf.helm.chart.content.v1.tar+gzip", 4021)]},
        "oci-artifact-sbom.json": {
            "schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "artifactType": "application/spdx+json", "config": empty,
            "layers": [descriptor(rng, "application/spdx+json", 81234)],
            "subject": descriptor(rng, "application/vnd.oci.image.manifest.v1+json", 1470),
            "annotations": {"org.opencontainers.image.created": "2026-04-29T10:00:00Z"}},
    }
    # Docker schema 1 (unsigned): fsLayers and history run from the top layer down, one each.
    layers = [{"blobSum": digest(rng)} for _ in range(3)]
    history = []
    ids = [hexdigits(rng) for _ in range(3)]
    for i in range(3):
        h = {"id": ids[i], "created": "2026-01-0%dT00:00:00Z" % (3 - i)}
        if i + 1 < 3:
            h["parent"] = ids[i + 1]
        if i == 0:
            h.update({"architecture": "amd64", "os": "linux", "config": {"Cmd": ["/bin/sh"]}})
        history.append({"v1Compatibility": json.dumps(h, separators=(",", ":"))})
    m["docker-schema1.json"] = {"schemaVersion": 1, "name": "team/web", "tag": "v1", "architecture": "amd64",
                                "fsLayers": layers, "history": history}
    for name, body in m.items():
        with open(os.path.join(d, name), "w", encoding="utf-8") as f:
            f.write(json.dumps(body, indent=3) + "\n")
    return m


def write_responses(out, manifests, rng):
    """A few small responses, as kept for mocked answers: one page of DescribeImages (with its
    nextToken) and a BatchGetImage answer with an image and a failure. All valid."""
    d = os.path.join(out, "responses")
    os.makedirs(d, exist_ok=True)
    stored = json.dumps(manifests["docker-schema2.json"], indent=3)
    r = {
        "describe-images-page.json": {"imageDetails": [image_detail(rng, k) for k in range(3)],
                                      "nextToken": hexdigits(rng, 64)},
        "describe-images-last-page.json": {"imageDetails": [image_detail(rng, k) for k in range(2)]},
        "batch-get-image-response.json": {
            "images": [{"registryId": "123456789012", "repositoryName": "team/web",
                        "imageId": {"imageDigest": "sha256:" + hashlib.sha256(stored.encode()).hexdigest(),
                                    "imageTag": "v1"},
                        "imageManifest": stored,
                        "imageManifestMediaType": "application/vnd.docker.distribution.manifest.v2+json"}],
            "failures": [{"imageId": {"imageTag": "v2"}, "failureCode": "ImageNotFound",
                          "failureReason": "Requested image not found"}]},
    }
    for name, body in r.items():
        with open(os.path.join(d, name), "w", encoding="utf-8") as f:
            f.write(json.dumps(body, indent=4) + "\n")
    # What each is: the schema 1 manifest has no mediaType member, so ECR refuses it unless the
    # PutImage request declares its type (imageManifestMediaType, API_PutImage.html); everything
    # else is accepted.
    rows = [("manifests/" + n, "manifest", "valid", "", "manifest") for n in sorted(manifests)]
    rows = [(f, k, "invalid", IPE, "manifest:no-media-type") if f.endswith("schema1.json") else (f, k, v, c, t)
            for f, k, v, c, t in rows]
    rows += [("responses/" + n, "response", "valid", "", "response") for n in sorted(r)]
    rows += [("large/describe-images-response.json", "response", "valid", "", "response"),
             ("large/index.json", "manifest", "valid", "", "manifest")]
    write_tsv(os.path.join(out, "expected-other.tsv"), rows)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dir")
    ap.add_argument("--files", type=int, default=10000)
    ap.add_argument("--jsonl-lines", type=int, default=100000)
    ap.add_argument("--response-mb", type=float, default=40)
    ap.add_argument("--index-bytes", type=int, default=4_194_304 - 1024)
    ap.add_argument("--seed", type=int, default=6)
    a = ap.parse_args()
    os.makedirs(os.path.join(a.dir, "large"), exist_ok=True)
    # Each output has its own stream, so changing one size does not change the others.
    write_requests(a.dir, a.files, random.Random("requests-%d" % a.seed))
    write_jsonl(a.dir, a.jsonl_lines, random.Random("jsonl-%d" % a.seed))
    write_response(a.dir, a.response_mb, random.Random("response-%d" % a.seed))
    write_index(a.dir, a.index_bytes, random.Random("index-%d" % a.seed))
    manifests = write_manifests(a.dir, random.Random("manifests-%d" % a.seed))
    write_responses(a.dir, manifests, random.Random("responses-%d" % a.seed))


if __name__ == "__main__":
    main()
