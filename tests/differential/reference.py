"""reference.py - an independent answer to "what would ECR say to this request?".

Written for the differential test (run.py) and sharing nothing with ecrlint: it reads the AWS
service model (rules/models/ecr-2015-09-21.json, botocore's service-2.json) directly, never the
rule packs, and knows ECR's behaviour only from the public sources cited below. Its answer is

    {"exception": None or {"code": C, "message": M or None}, "failures": [...]}

where a message of None means the text is not known publicly (only the code is compared), and
each failure is {"imageId": {...}, "failureCode": C, "failureReason": R or None}.

How ECR reads a request (AWS JSON 1.1, https://smithy.io/2.0/aws/protocols/aws-json-1_1-protocol.html):
1. The body is read as JSON, in text order; a JSON type that does not fit the model ends the
   request with SerializationException. null means "not set", except inside a list: the
   model's lists are dense and Smithy's servers refuse null there
   (https://smithy.io/2.0/spec/type-refinement-traits.html#sparse-trait). An integer member
   takes an integer in its type's range (integer: 32 bits, long: 64 bits,
   https://smithy.io/2.0/spec/simple-types.html), never a number with fraction or exponent.
   A body of null is the empty structure; unknown members are ignored; a duplicated member
   is read each time it occurs (the last value stays).
2. Then the constraints, member by member in the model's order, each member's own checks in
   the order length, range, pattern, enum, then ECR's own checks of that member; the first
   violation is the InvalidParameterException ECR answers with.
3. BatchGetImage answers problems of one imageIds entry with a failure for that entry.
4. PutImage's checks that need the request to be valid (the digest of the manifest) come last.
"""
import hashlib
import json
import os
import re

HERE = os.path.dirname(os.path.abspath(__file__))
MODEL = os.path.join(HERE, "..", "..", "rules", "models", "ecr-2015-09-21.json")

IPE = "InvalidParameterException"
SER = "SerializationException"

# ECR's own validators (lower-case "must ...", the regex quoted), observed in public reports:
# repositoryName: aws/aws-dotnet-deploy#549 (length), boto/boto3#3191 (pattern); imageTag:
# datawire/forge#99; imageDigest: pulumi/pulumi-aws#2466. The 2026 repository pattern is quoted
# with '/' where the model writes '\/'.
TAG_RE = r"[a-zA-Z0-9-_.]+"
DIGEST_RE = r"[a-zA-Z0-9-_+.]+:[a-fA-F0-9]+"
# BatchGetImage failure reasons (API_ImageFailure; the digest's text from public tests, the
# tag's unknown).
FAILURE_REASON = {
    "InvalidImageDigest": "Invalid request parameters: image digest should satisfy the regex '%s'" % DIGEST_RE,
    "InvalidImageTag": None,
    "MissingDigestAndTag": "Invalid request parameters: both tag and digest cannot be null",
}


class Num:
    """A JSON number as written: its text and whether it is an integer token."""

    def __init__(self, text, integral):
        self.text = text
        self.integral = integral

    def value(self):
        return int(self.text) if self.integral else float(self.text)


class Obj:
    """A JSON object with every member occurrence, in text order."""

    def __init__(self, pairs):
        self.pairs = pairs

    def last(self):
        d = {}
        for k, v in self.pairs:
            d[k] = v
        return d


def _bad_constant(name):
    raise ValueError("not JSON: " + name)


def parse(text):
    """The body as ECR's reader sees it, or raises ValueError."""
    dec = json.JSONDecoder(object_pairs_hook=Obj,
                           parse_int=lambda s: Num(s, True),
                           parse_float=lambda s: Num(s, False),
                           parse_constant=_bad_constant)
    return dec.decode(text)


def jtype(v):
    if v is None:
        return "null"
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, Num):
        return "number"
    if isinstance(v, str):
        return "string"
    if isinstance(v, list):
        return "array"
    return "object"


class Answer(Exception):
    """The request ends here with this exception."""

    def __init__(self, code, message):
        super().__init__(code)
        self.code = code
        self.message = message


class Model:
    def __init__(self, path=MODEL):
        with open(path, encoding="utf-8") as f:
            m = json.load(f)
        self.shapes = m["shapes"]
        self.ops = m["operations"]

    def shape(self, name):
        return self.shapes[name]

    def input(self, op):
        return self.ops[op]["input"]["shape"]


# ---- 1. reading: JSON types ---------------------------------------------------------------

def type_message(expected, v):
    """SerializationException's text for value v where `expected` is modelled, or None when it
    is not known publicly. The known texts were observed on an AWS JSON 1.x service
    (floci-io/floci#2686, aws/aws-sdk-js-v3#7215)."""
    t = jtype(v)
    if t == "object" and expected in ("list", "string", "integer", "long"):
        return "Start of structure or map found where not expected."
    if t == "array" and expected in ("structure", "string", "integer", "long", "map"):
        return "Start of list found where not expected"
    if expected == "list":
        return "Expected list or null"
    if expected == "string":
        return {"number": "NUMBER_VALUE can not be converted to a String",
                "true": "TRUE_VALUE can not be converted to a String",
                "false": "FALSE_VALUE can not be converted to a String"}.get(t)
    return None


def fits(shape, v):
    t = shape["type"]
    if t == "structure":
        return isinstance(v, Obj)
    if t == "list":
        return isinstance(v, list)
    if t == "string":
        return isinstance(v, str)
    if t in ("integer", "long"):
        if not isinstance(v, Num) or not v.integral:
            return False
        bits = 31 if t == "integer" else 63
        return -(1 << bits) <= int(v.text) < (1 << bits)
    if t == "boolean":
        return isinstance(v, bool)
    raise NotImplementedError("model type " + t)


def read(model, shape_name, v, in_list=False):
    shape = model.shape(shape_name)
    if v is None and not in_list:
        return
    if v is None or not fits(shape, v):
        raise Answer(SER, None if v is None else type_message(shape["type"], v))
    if shape["type"] == "structure":
        for k, mv in v.pairs:  # text order, every occurrence
            if k in shape["members"]:
                read(model, shape["members"][k]["shape"], mv)
    elif shape["type"] == "list":
        for item in v:
            read(model, shape["member"]["shape"], item, in_list=True)


# ---- 2. constraints ---------------------------------------------------------------------

def coral(path, text):
    return "Invalid parameter at '%s' failed to satisfy constraint: '%s'" % (path, text)


class Checker:
    def __init__(self, model, op):
        self.model = model
        self.op = op
        self.failures = []
        self.item = None  # (echo, failed) of the BatchGetImage imageIds entry being checked

    def fail_item(self, code):
        if self.item is not None and not self.item["failed"]:
            self.item["failed"] = True
            self.failures.append({"imageId": self.item["echo"], "failureCode": code,
                                  "failureReason": FAILURE_REASON[code]})

    def string(self, shape, name, path, s):
        n = len(s)  # code points (Smithy's length trait on strings)
        own = name == "repositoryName"  # ECR's own validator answers, lower-case
        word = "must" if own else "Member must"
        where = name if own else path
        if "min" in shape and n < shape["min"]:
            raise Answer(IPE, coral(where, "%s have length greater than or equal to %d" % (word, shape["min"])))
        if "max" in shape and n > shape["max"]:
            raise Answer(IPE, coral(where, "%s have length less than or equal to %d" % (word, shape["max"])))
        if "pattern" in shape and not re.fullmatch(shape["pattern"], s):
            if own:
                raise Answer(IPE, coral(name, "must satisfy regular expression '%s'" % shape["pattern"].replace("\\/", "/")))
            raise Answer(IPE, coral(path, "Member must satisfy regular expression pattern: %s" % shape["pattern"]))
        if "enum" in shape and s not in shape["enum"]:
            raise Answer(IPE, coral(path, "Member must satisfy enum value set: [%s]" % ", ".join(shape["enum"])))
        # ECR's own checks of image identifiers: per-image failures in BatchGetImage's imageIds,
        # request errors elsewhere.
        for member, regex, failure in (("imageDigest", DIGEST_RE, "InvalidImageDigest"),
                                       ("imageTag", TAG_RE, "InvalidImageTag")):
            if name == member and not re.fullmatch(regex, s):
                if self.item is not None:
                    self.fail_item(failure)
                else:
                    raise Answer(IPE, coral(member, "must satisfy regular expression '%s'" % regex))

    def value(self, shape_name, name, path, v, top=None):
        shape = self.model.shape(shape_name)
        t = shape["type"]
        if t == "string":
            self.string(shape, name, path, v)
            if name == "imageManifest":
                self.manifest(v, top)
        elif t in ("integer", "long"):
            x = int(v.text)
            if "min" in shape and x < shape["min"]:
                raise Answer(IPE, coral(path, "Member must have value greater than or equal to %d" % shape["min"]))
            if "max" in shape and x > shape["max"]:
                raise Answer(IPE, coral(path, "Member must have value less than or equal to %d" % shape["max"]))
        elif t == "list":
            if "min" in shape and len(v) < shape["min"]:
                raise Answer(IPE, coral(path, "Member must have length greater than or equal to %d" % shape["min"]))
            if "max" in shape and len(v) > shape["max"]:
                raise Answer(IPE, coral(path, "Member must have length less than or equal to %d" % shape["max"]))
            per_image = self.op == "BatchGetImage" and name == "imageIds"
            for i, item in enumerate(v):
                if per_image:
                    self.item = {"echo": echo(self.model, shape["member"]["shape"], item), "failed": False}
                self.value(shape["member"]["shape"], name, "%s.%d.member" % (path, i + 1), item)
                self.item = None
        elif t == "structure":
            self.structure(shape_name, path, v)

    def structure(self, shape_name, path, obj):
        shape = self.model.shape(shape_name)
        d = obj.last()
        for m, ref in shape["members"].items():  # the model's order
            mpath = m if not path else path + "." + m
            v = d.get(m)
            if v is None:
                if m in shape.get("required", []):
                    raise Answer(IPE, coral(mpath, "Member must not be null"))
                continue
            self.value(ref["shape"], m, mpath, v, top=d)
        if shape_name == "ImageIdentifier" and d.get("imageDigest") is None and d.get("imageTag") is None:
            # API_ImageIdentifier: an entry needs a tag or a digest.
            if self.item is not None:
                self.fail_item("MissingDigestAndTag")
            else:
                raise Answer(IPE, None)
        if shape_name == "DescribeImagesRequest" and d.get("imageIds") is not None:
            # API_DescribeImages: maxResults and nextToken "cannot be used when you specify
            # images with imageIds" (the answer's text is not known).
            for m in ("maxResults", "nextToken"):
                if d.get(m) is not None:
                    raise Answer(IPE, None)

    def manifest(self, text, top):
        """PutImage: ECR reads the manifest and needs its media type, from the manifest or from
        imageManifestMediaType; else 'Invalid JSON syntax' (aws/aws-cli#6745, boto/boto3#3295)."""
        bad = Answer(IPE, coral("ImageManifest", "Invalid JSON syntax"))
        try:
            m = parse(text)
        except ValueError:
            raise bad
        if not isinstance(m, Obj):
            raise bad
        mt = m.last().get("mediaType")
        if not isinstance(mt, str) and not isinstance(top.get("imageManifestMediaType"), str):
            raise bad


def echo(model, shape_name, item):
    """The imageId a failure echoes: what ECR read, i.e. the members that are set."""
    shape = model.shape(shape_name)
    d = item.last()
    return {m: d[m] for m in shape["members"] if d.get(m) is not None}


def after_validation(op, obj):
    """PutImage: the digest ECR computes over the manifest's bytes must equal imageDigest
    (API_PutImage, ImageDigestDoesNotMatchException)."""
    if op != "PutImage":
        return
    d = obj.last()
    want, text = d.get("imageDigest"), d.get("imageManifest")
    if want is None:
        return
    got = "sha256:" + hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    if want != got:
        reg = d.get("registryId")
        msg = None
        if reg is not None:
            msg = ("The image with digest '%s' in repository '%s' and registry ID '%s' does not "
                   "match the image digest that Amazon ECR has calculated." % (want, d["repositoryName"], reg))
        raise Answer("ImageDigestDoesNotMatchException", msg)


def answer(model, op, text):
    """ECR's answer to the body `text` of operation `op`."""
    try:
        if not text.strip():
            raise Answer(SER, None)
        try:
            body = parse(text)
        except (ValueError, RecursionError):
            raise Answer(SER, None)
        if body is None:
            body = Obj([])
        root = model.input(op)
        read(model, root, body)
        ck = Checker(model, op)
        ck.structure(root, "", body)
        after_validation(op, body)
        return {"exception": None, "failures": ck.failures}
    except Answer as a:
        return {"exception": {"code": a.code, "message": a.message}, "failures": []}
