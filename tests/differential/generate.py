"""generate.py - valid and violating requests for one operation, built from the service model.

For every member of the operation's input (and of the structures below it) the model's
constraints give the values to try: lengths at and across every boundary, counted in code points
and written with one-byte, two-byte and astral characters; ranges and list sizes at and across
their limits; near misses of patterns and case variants of enums; every wrong JSON type; null;
unknown and duplicated members. Each of those is tried alone in an otherwise valid request, and
random pairs of them (two violations at once) are written in the model's member order and in
reverse. Same seed, same requests.
"""
import base64
import hashlib
import json
import random

ASCII, TWO, ASTRAL = "a", "\u00e9", "\U0001F600"

# Values that a pattern accepts or nearly accepts, by pattern (the model's patterns and ECR's
# own regexes of image identifiers); the generator does not reason about regexes beyond these.
NEAR = {
    "[0-9]{12}": ["123456789012", "12345678901", "1234567890123", "12345678901a", "１２３４５６７８９０１２"],
    "repositoryName": ["web", "a__b", "a--b", "a---b", "a___b", "a_-b", "_a", "a_", "a/b", "a//b",
                       "team/web.app", "Web", "a.b_c-d/e", "a..b", "a/", "/a", "ab\n", "ab" + TWO],
    "imageTag": ["v1", "latest", "v1.2_3-x", "-lead", ".", "v 1", "v:1", "v/1", "v" + TWO, "v" + ASTRAL, "v1\n"],
    # CreatePullThroughCacheRule: each upstream registry's URL, and near misses of them
    "upstreamRegistryUrl": ["public.ecr.aws", "registry.k8s.io", "quay.io", "registry-1.docker.io",
                            "ghcr.io", "registry.gitlab.com", "myreg.azurecr.io", "my-reg.azurecr.io",
                            "cgr.dev", "docker.io", "https://quay.io", "quay.io/",
                            "123456789012.dkr.ecr.eu-west-1.amazonaws.com",
                            "123456789012.dkr.ecr-fips.us-east-1.amazonaws.com",
                            "123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn",
                            "12345678901.dkr.ecr.us-east-1.amazonaws.com", "x", ""],
    "imageDigest": ["sha256:" + "a" * 64, "sha256:abc", "sha256:ABC", "x+y.z_w-v:0", "sha256-abc",
                    "sha256:", ":abc", "sha256:xyz", "sha256:abc\n", TWO + ":ab"],
}


# A valid value for each pattern of the two models (the generator does not invent strings
# from regexes).
VALID_BY_PATTERN = {
    "^\\S+$": "AQID",
    "^arn:aws(-\\w+)*:secretsmanager:[a-zA-Z0-9-:]+:secret:ecr\\-pullthroughcache\\/[a-zA-Z0-9\\/_+=.@-]+$":
        "arn:aws:secretsmanager:us-east-1:123456789012:secret:ecr-pullthroughcache/hub",
    "^[0-9a-zA-Z._*-]{1,128}$": "release-*",
    "^$|arn:aws[a-z0-9-]*:kms:[a-z0-9-]+:[0-9]{12}:key\\/[a-z0-9-]+": "arn:aws:kms:us-east-1:123456789012:key/k-1",
    "[a-zA-Z0-9-_+.]+:[a-fA-F0-9]+": "sha256:" + "b" * 64,
    "^([a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*(\\/[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*)*\\/?|ROOT)$": "team",
    "^arn:aws(-[a-z]+)*:iam::[0-9]{12}:(role|user)/[\\w+=,.@-]+(/[\\w+=,.@-]+)*$": "arn:aws:iam::123456789012:role/ci",
    "[0-9a-z-]{2,25}": "us-east-1",
    "[0-9]{12}": "123456789012",
    "^(?:[a-z0-9]+(?:[._-][a-z0-9]*)*/)*[a-z0-9]*(?:[._-][a-z0-9]*)*$": "prod",
    "^[a-z0-9*](?:[._\\-/a-z0-9*]?[a-z0-9*]+)*$": "prod*",
    "^arn:aws(-[a-z]+)*:signer:[a-z0-9-]+:[0-9]{12}:\\/signing-profiles\\/[a-zA-Z0-9_]{2,}$":
        "arn:aws:signer:us-east-1:123456789012:/signing-profiles/ci_profile",
    "^(?:[a-z0-9*]+(?:[._-][a-z0-9*]+)*/)*[a-z0-9*]+(?:[._-][a-z0-9*]+)*$": "prod*",
    "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}": "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0",
    "[a-z][a-z0-9]+(?:[._-][a-z0-9]+)*": "myalias",
    "(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*": "web",
    "[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*(\\/[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*)*": "web",
}


# Limits that ECR documents but its model does not carry (API_Tag, the user guide's tag
# restrictions): sizes and lengths are tried across them as across the model's.
DOCUMENTED_MAX = {"TagKey": 128, "TagValue": 256, "TagList": 50}


def lengths_of(lo, hi):
    out = set()
    for n in (lo, hi):
        if n is None:
            continue
        out.update(x for x in (n - 1, n, n + 1) if x >= 0)
    out.add(lo or 0)
    return sorted(out)


def text_of(n, ch):
    return ch * n


def manifest(pad=0, ch=ASCII, media_type=True):
    """A valid OCI image manifest, padded by an annotation to `pad` more code points."""
    m = {"schemaVersion": 2}
    if media_type:
        m["mediaType"] = "application/vnd.oci.image.manifest.v1+json"
    m["config"] = {"mediaType": "application/vnd.oci.image.config.v1+json",
                   "digest": "sha256:" + hashlib.sha256(b"{}").hexdigest(), "size": 2}
    m["layers"] = [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
                    "digest": "sha256:" + hashlib.sha256(b"layer").hexdigest(), "size": 5}]
    if pad:
        m["annotations"] = {"pad": ch * pad}
    return json.dumps(m, separators=(",", ":"), ensure_ascii=False)


LIFECYCLE_MEMBERS = ("lifecyclePolicyText", "lifecyclePolicy")


def lifecycle_policy(pad=0, ch=ASCII):
    """A valid lifecycle policy, its description padded to `pad` more code points."""
    rule = {"rulePriority": 1, "description": "d" + ch * pad,
            "selection": {"tagStatus": "untagged", "countType": "sinceImagePushed",
                          "countUnit": "days", "countNumber": 14},
            "action": {"type": "expire"}}
    return json.dumps({"rules": [rule]}, separators=(",", ":"), ensure_ascii=False)


def manifest_of_length(n, ch):
    """A valid manifest of exactly n code points, padded with ch."""
    base = len(manifest(1, ch)) - 1
    return manifest(n - base, ch)


def policy(pad=0, ch=ASCII):
    """A valid repository policy (and registry policy), padded in its Sid to `pad` more code
    points."""
    p = {"Version": "2012-10-17",
         "Statement": [{"Sid": "Pull" + ch * pad, "Effect": "Allow",
                        "Principal": {"AWS": "arn:aws:iam::123456789012:root"},
                        "Action": ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]}]}
    return json.dumps(p, separators=(",", ":"), ensure_ascii=False)


def policy_of_length(n, ch):
    """A valid policy of exactly n code points, padded with ch."""
    return policy(n - len(policy(0, ch)), ch)


POLICY_MEMBERS = ("policyText", "repositoryPolicy")


class Gen:
    def __init__(self, model, op, seed):
        self.model = model
        self.op = op
        self.rng = random.Random(seed)

    # A valid value for each shape (the base request holds one of each member).
    def valid(self, shape_name, name):
        s = self.model.shape(shape_name)
        t = s["type"]
        if t == "structure":
            return {m: self.valid(r["shape"], m) for m, r in s["members"].items()
                    if self.keep_in_base(m)}
        if t == "list":
            return [self.valid(s["member"]["shape"], name)] * max(1, s.get("min", 1))
        if t == "map":
            return {"k": self.valid(s["value"]["shape"], name)}
        if t in ("integer", "long"):
            # UploadLayerPart: the base part's three bytes ("AQID") are bytes 0 to 2
            return 2 if name == "partLastByte" else s.get("min", 1)
        if t in ("double", "float", "timestamp"):
            return 1
        if t == "boolean":
            return True
        if t == "blob":
            return "AQID"
        if "enum" in s:
            return s["enum"][0]
        if "pattern" in s:
            return VALID_BY_PATTERN[s["pattern"]]
        known = {"repositoryName": "web", "imageTag": "v1", "imageDigest": "sha256:" + "a" * 64,
                 "imageManifest": manifest(),
                 "policyText": policy(), "repositoryPolicy": policy(),
                 "imageManifestMediaType": "application/vnd.oci.image.manifest.v1+json",
                 "acceptedMediaTypes": "application/vnd.oci.image.manifest.v1+json",
                 "nextToken": "t0k", "lifecyclePolicyText": lifecycle_policy(),
                 "lifecyclePolicy": lifecycle_policy(),
                 # the upstream registry of the base request is the model's first, ecr
                 "upstreamRegistryUrl": "123456789012.dkr.ecr.us-east-1.amazonaws.com"}
        if name in known:
            return known[name]
        return "x" * max(1, s.get("min", 1))

    def keep_in_base(self, m):
        # Valid requests leave out the members that conflict with others or that must agree
        # with another (PutImage's digest is set where it is computed).
        return not (self.op == "DescribeImages" and m in ("maxResults", "nextToken")) and \
            not (self.op == "PutImage" and m == "imageDigest") and \
            m not in ("imageTagMutabilityExclusionFilters", "kmsKey")

    def base(self):
        return self.valid(self.model.input(self.op), "")

    # Values to try for a member of a shape: (label, value); a value is a Python value
    # serialised as JSON, or a Raw for text written as is.
    def values(self, shape_name, name):
        s = self.model.shape(shape_name)
        t = s["type"]
        out = []
        wrong = {"number": 5, "true": True, "false": False, "string": "5", "object": {}, "array": []}
        right = {"string": ("string", "blob"), "number": ("integer", "long", "double", "float", "timestamp"),
                 "true": ("boolean",), "false": ("boolean",), "array": ("list",), "object": ("structure", "map")}
        for label, v in wrong.items():
            if t not in right[label]:
                out.append(("type-" + label, v))
        out.append(("null", None))
        if t == "string":
            key = s.get("pattern") if s.get("pattern") in NEAR else name
            if key in NEAR:
                out += [("near", v) for v in NEAR[key]]
            elif "pattern" in s:
                good = VALID_BY_PATTERN[s["pattern"]]
                out += [("near", good), ("near", good + " "), ("near", good.upper()), ("near", "-" + good)]
            lo, hi = s.get("min"), s.get("max") or DOCUMENTED_MAX.get(shape_name)
            if shape_name == "TagKey" and self.model.service == "ecr":
                out += [("reserved", "aws:team"), ("reserved", "AWS:team"), ("reserved", "awsteam")]
            if lo is not None or hi is not None:
                for n in lengths_of(lo, hi):
                    if name == "imageManifest":
                        if n < 40:
                            out.append(("length", "x" * n))
                            continue
                        # 4 MiB apiece: one-byte characters across the limit, two-byte ones
                        # at it (twice as many bytes as code points)
                        for ch in (ASCII,) if n != hi else (ASCII, TWO):
                            out.append(("length", manifest_of_length(n, ch)))
                    elif name in POLICY_MEMBERS and n >= len(policy()):
                        out += [("length", policy_of_length(n, c)) for c in (ASCII, TWO, ASTRAL)]
                    elif name in LIFECYCLE_MEMBERS and n >= len(lifecycle_policy()):
                        # the document is the lifecycle rules' business (ECR8xxx): a valid
                        # policy of each length; shorter text is no policy (run.py)
                        for ch in (ASCII, TWO, ASTRAL):
                            out.append(("length", lifecycle_policy(n - len(lifecycle_policy()), ch)))
                    elif name == "repositoryName":
                        out += [("length", text_of(n, ASCII)), ("length", text_of(n, TWO))]
                    else:
                        for ch in (ASCII, TWO, ASTRAL):
                            out.append(("length", text_of(n, ch)))
            if "enum" in s:
                for e in s["enum"]:
                    out += [("enum", e), ("enum-case", e.lower()), ("enum-case", e.title()), ("enum-space", e + " ")]
            if name in ("imageManifestMediaType", "nextToken"):
                out += [("free", ""), ("free", TWO * 3), ("free", ASTRAL)]
            if name in POLICY_MEMBERS:
                # a policy's content beyond being a JSON object is the policy rules' business
                # (ECR95xx), not the model's: only these forms
                out += [("policy", "x"), ("policy", "[]"), ("policy", "5"), ("policy", policy())]
            if name == "imageManifest":
                # the manifest's content beyond its syntax and media type is the manifest
                # rules' business (ECR5xxx), not the model's: only these forms
                out += [("manifest", "x"), ("manifest", "[]"), ("manifest", "5"),
                        ("manifest", manifest(media_type=False))]
        elif t in ("integer", "long"):
            lo, hi = s.get("min"), s.get("max")
            for n in lengths_of(lo, hi):
                out.append(("range", n))
            out += [("range", -1), ("range", 2 ** 31 - 1), ("range", 2 ** 31), ("range", -2 ** 31),
                    ("range", -2 ** 31 - 1), ("range", 2 ** 63 - 1),
                    ("float", Raw("1.0")), ("float", Raw("1e2")), ("float", Raw("1.5e2")),
                    ("float", Raw("10.5")), ("float", Raw("1001.0")), ("float", Raw("-0.0"))]
        elif t == "list":
            item = self.valid(s["member"]["shape"], name)
            for n in lengths_of(s.get("min"), s.get("max") or DOCUMENTED_MAX.get(shape_name)):
                out.append(("size", [item] * n))
            out.append(("null-item", [item, None]))
            out.append(("null-item", [None]))
            for label, v in self.values(s["member"]["shape"], name):
                out.append(("item-" + label, [v]))
                out.append(("item2-" + label, [item, v]))
        elif t == "blob":
            out += [("base64", "AQ=="), ("base64", "not base64!"), ("base64", "AQI"), ("base64", "")]
            lo, hi = s.get("min"), s.get("max")
            for n in lengths_of(lo, hi):
                if n <= 600000:  # a 20 MiB part is left to the unit tests
                    out.append(("length", base64.b64encode(b"\x01" * n).decode()))
        elif t == "map":
            out.append(("empty", {}))
            out.append(("null-value", {"k": None}))
        elif t == "structure":
            for m, r in s["members"].items():
                for label, v in self.values(r["shape"], m):
                    out.append((m + "-" + label, {m: v}))
            out.append(("empty", {}))
            out.append(("unknown", {"x": 1}))
        return out

    def mutations(self):
        """(label, member, value) for every top-level member, plus unknown and duplicates."""
        shape = self.model.shape(self.model.input(self.op))
        out = []
        for m, r in shape["members"].items():
            for label, v in self.values(r["shape"], m):
                out.append(("%s:%s" % (m, label), m, v))
        return out

    def requests(self, pairs):
        """Every single mutation, `pairs` random pairs, and the special forms."""
        base = self.base()
        order = list(self.model.shape(self.model.input(self.op))["members"])
        reqs = [("valid", dump(base, order))]
        muts = self.mutations()
        for label, m, v in muts:
            d = dict(base)
            d[m] = v
            reqs.append((label, dump(d, order)))
            if m in base:
                d = dict(base)
                del d[m]
                reqs.append(("%s:absent" % m, dump(d, order)))
        small = [x for x in muts if len(encode(x[2])) < 10000]  # pairs without the 4 MiB ones
        for i in range(pairs if len(small) >= 2 else 0):
            (l1, m1, v1), (l2, m2, v2) = self.rng.sample(small, 2)
            if m1 == m2:
                continue
            d = dict(base)
            d[m1] = v1
            d[m2] = v2
            reqs.append(("pair %s + %s" % (l1, l2), dump(d, order)))
            reqs.append(("pair-reversed %s + %s" % (l1, l2), dump(d, order[::-1])))
        # unknown and duplicated members, a body of null
        body = dump(base, order)
        reqs.append(("unknown member", body[:-1] + ',"x":1}'))
        # a duplicated member: repositoryName where the operation has one, else its first
        # string member
        shape = self.model.shape(self.model.input(self.op))
        strings = [m for m, r in shape["members"].items() if self.model.shape(r["shape"])["type"] == "string"]
        dup = "repositoryName" if "repositoryName" in strings else (strings[0] if strings else "x")
        same = json.dumps(base.get(dup, "web"))
        reqs.append(("unknown near-miss", body[:-1] + ',"%s":%s}' % (dup[0].upper() + dup[1:], same)))
        reqs.append(("duplicate same", body[:-1] + ',"%s":%s}' % (dup, same)))
        reqs.append(("duplicate second bad", body[:-1] + ',"%s":"A"}' % dup))
        reqs.append(("duplicate second wrong type", body[:-1] + ',"%s":5}' % dup))
        reqs.append(("duplicate first wrong type", '{"%s":5,' % dup + body[1:]))
        reqs.append(("duplicate first null", '{"%s":null,' % dup + body[1:]))
        # valid JSON that a parser may not hold: huge numbers, deep nesting, lone surrogates
        for num in ("1e400", "-1e400", "1" * 30, "-" + "9" * 25, "1e-400", "0.0000001"):
            reqs.append(("number " + num, body[:-1] + ',"x":' + num + "}"))
        reqs.append(("deep unknown", body[:-1] + ',"x":' + "[" * 600 + "]" * 600 + "}"))
        reqs.append(("lone surrogate unknown", body[:-1] + ',"x":"a\\udc00"}'))
        reqs.append(("null body", "null"))
        reqs.append(("empty object", "{}"))
        reqs.append(("not an object", "[]"))
        reqs.append(("not JSON", '{"%s":}' % dup))
        if self.op == "PutImage":
            for digest in ("sha256:" + hashlib.sha256(base["imageManifest"].encode()).hexdigest(),
                           "sha256:" + "0" * 64):
                for reg in (None, "123456789012"):
                    d = dict(base)
                    d["imageDigest"] = digest
                    if reg is None:
                        d.pop("registryId", None)
                    reqs.append(("digest", dump(d, order)))
        return reqs


class Raw:
    """JSON text written as is (a number form that Python would not write)."""

    def __init__(self, text):
        self.text = text


def encode(v):
    if isinstance(v, Raw):
        return v.text
    if isinstance(v, dict):
        return "{" + ",".join(json.dumps(k) + ":" + encode(x) for k, x in v.items()) + "}"
    if isinstance(v, list):
        return "[" + ",".join(encode(x) for x in v) + "]"
    return json.dumps(v, ensure_ascii=False)


def dump(d, order):
    keys = [k for k in order if k in d] + [k for k in d if k not in order]
    return "{" + ",".join(json.dumps(k) + ":" + encode(d[k]) for k in keys) + "}"
