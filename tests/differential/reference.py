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
import base64
import binascii
import hashlib
import json
import os
import re

HERE = os.path.dirname(os.path.abspath(__file__))

IPE = "InvalidParameterException"
SER = "SerializationException"

# ECR's own validators (lower-case "must ...", the regex quoted), observed in public reports:
# repositoryName: aws/aws-dotnet-deploy#549 (length), boto/boto3#3191 (pattern); imageTag:
# datawire/forge#99; imageDigest: pulumi/pulumi-aws#2466. The 2026 repository pattern is quoted
# with '/' where the model writes '\/'.
TAG_RE = r"[a-zA-Z0-9-_.]+"
DIGEST_RE = r"[a-zA-Z0-9-_+.]+:[a-fA-F0-9]+"
# A repository's ARN (the user guide's and API reference's form:
# arn:aws:ecr:region:account-id:repository/repository-name; partitions aws, aws-cn, aws-us-gov...).
REPOSITORY_ARN_RE = r"arn:aws[a-z-]*:ecr:[a-z0-9-]+:[0-9]{12}:repository/.+"
# The request members that carry a policy document (repository, registry, lifecycle).
POLICY_MEMBERS = ("policyText", "repositoryPolicy", "lifecyclePolicyText", "lifecyclePolicy")
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


MODELS = {"ecr": os.path.join(HERE, "..", "..", "rules", "models", "ecr-2015-09-21.json"),
          "ecr-public": os.path.join(HERE, "..", "..", "rules", "models", "ecr-public-2020-10-30.json")}


class Model:
    """One service's model. Operations of ECR Public are named `ecr-public:Name`, as ecrlint's
    --operation names them."""

    def __init__(self, service="ecr"):
        with open(MODELS[service], encoding="utf-8") as f:
            m = json.load(f)
        self.service = service
        self.shapes = m["shapes"]
        self.ops = m["operations"]

    def shape(self, name):
        return self.shapes[name]

    def input(self, op):
        return self.ops[op.split(":")[-1]]["input"]["shape"]

    def operations(self):
        prefix = "" if self.service == "ecr" else self.service + ":"
        return [prefix + o for o in self.ops if "input" in self.ops[o]]


def model_for(op, cache={}):
    service = op.split(":")[0] if ":" in op else "ecr"
    if service not in cache:
        cache[service] = Model(service)
    return cache[service]


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
    if t in ("structure", "map"):
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
    if t in ("double", "float", "timestamp"):
        # AWS JSON 1.1 writes timestamps as epoch seconds, a JSON number
        # (https://smithy.io/2.0/aws/protocols/aws-json-1_1-protocol.html#shape-serialization)
        return isinstance(v, Num)
    if t == "boolean":
        return isinstance(v, bool)
    if t == "blob":
        # base64 text (same page); text that is not base64 cannot be read
        return isinstance(v, str) and blob_bytes(v) is not None
    raise NotImplementedError("model type " + t)


def blob_bytes(text):
    """The bytes a base64 member holds, or None when it is not base64."""
    try:
        return base64.b64decode(text, validate=True)
    except (ValueError, binascii.Error):
        return None


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
    elif shape["type"] == "map":
        for k, mv in v.pairs:
            read(model, shape["value"]["shape"], mv, in_list=True)
    elif shape["type"] == "list":
        for item in v:
            read(model, shape["member"]["shape"], item, in_list=True)


# ---- 2. constraints ---------------------------------------------------------------------

def coral(path, text):
    return "Invalid parameter at '%s' failed to satisfy constraint: '%s'" % (path, text)


class Checker:
    def __init__(self, model, op):
        self.model = model
        self.op = op.split(":")[-1]
        self.private = model.service == "ecr"
        self.failures = []
        self.item = None  # (echo, failed) of the BatchGetImage imageIds entry being checked
        # ECR's own checks of settings (tag mutability, encryption, tags) run in the service's
        # code, once the model's validation of the whole request has passed: the first one found
        self.late = None

    def service_check(self, code, message):
        if self.late is None:
            self.late = Answer(code, message)

    def fail_item(self, code):
        if self.item is not None and not self.item["failed"]:
            self.item["failed"] = True
            self.failures.append({"imageId": self.item["echo"], "failureCode": code,
                                  "failureReason": FAILURE_REASON[code]})

    @staticmethod
    def coral_string(shape, s):
        """The Coral sentences of every model constraint string s breaks, in the order length,
        pattern, enum."""
        n = len(s)  # code points (Smithy's length trait on strings)
        out = []
        if "min" in shape and n < shape["min"]:
            out.append("Member must have length greater than or equal to %d" % shape["min"])
        if "max" in shape and n > shape["max"]:
            out.append("Member must have length less than or equal to %d" % shape["max"])
        if "pattern" in shape and not re.fullmatch(shape["pattern"], s):
            out.append("Member must satisfy regular expression pattern: %s" % shape["pattern"])
        if "enum" in shape and s not in shape["enum"]:
            out.append("Member must satisfy enum value set: [%s]" % ", ".join(shape["enum"]))
        return out

    def string(self, shape, name, path, s):
        if name == "repositoryName":
            # ECR's own validator of repository names: lower-case "must", the regex quoted,
            # on every operation (boto/boto3#3191, aws/aws-dotnet-deploy#549); ECR Public is
            # taken to answer in the same words, with its model's limits and pattern
            n = len(s)
            if "min" in shape and n < shape["min"]:
                raise Answer(IPE, coral(name, "must have length greater than or equal to %d" % shape["min"]))
            if "max" in shape and n > shape["max"]:
                raise Answer(IPE, coral(name, "must have length less than or equal to %d" % shape["max"]))
            if not re.fullmatch(shape["pattern"], s):
                raise Answer(IPE, coral(name, "must satisfy regular expression '%s'" % shape["pattern"].replace("\\/", "/")))
            return
        broken = self.coral_string(shape, s)
        if broken:
            if self.private and name in POLICY_MEMBERS:
                # ECR writes the members that carry a policy document capitalised in its answers
                # ('LifecyclePolicyText', 'PolicyText': public reports 2019-2026, see policy())
                path = name[0].upper() + name[1:]
            raise Answer(IPE, coral(path, broken[0]))
        if self.private and name == "resourceArn" and not re.fullmatch(REPOSITORY_ARN_RE, s):
            # API_TagResource (and UntagResource, ListTagsForResource): "Currently, the
            # supported resources are Amazon ECR repositories"; the sentence is known only
            # from reports without the request, and is taken to come after the model's checks
            self.service_check(IPE, "The ARN provided is invalid.")
        # ECR's own checks of image identifiers: per-image failures in BatchGetImage's imageIds,
        # request errors elsewhere.
        for member, regex, failure in (("imageDigest", DIGEST_RE, "InvalidImageDigest"),
                                       ("imageTag", TAG_RE, "InvalidImageTag")):
            if self.private and name == member and not re.fullmatch(regex, s):
                if self.item is not None:
                    self.fail_item(failure)
                else:
                    raise Answer(IPE, coral(member, "must satisfy regular expression '%s'" % regex))

    def string_list(self, item_shape, name, path, items):
        """A list of constrained strings. Coral names the list and wraps the item's sentence:
        `Member must satisfy constraint: [Member must satisfy regular expression pattern:
        [0-9]{12}]` (GetAuthorizationToken's registryIds: aws-actions/amazon-ecr-login#27).
        The order of several sentences for one item is not known: the message is then None.
        DescribeRepositories reports a bad name at 'repositoryName', in the repository-name
        validator's words (two public reports, 2021 and 2024); ECR Public's likewise."""
        for s in items:
            if self.op == "DescribeRepositories" and name == "repositoryNames":
                self.string(item_shape, "repositoryName", path, s)
                continue
            broken = self.coral_string(item_shape, s)
            if not broken:
                continue
            if self.private and name == "repositoryNames":
                raise Answer(IPE, None)  # other operations' name lists: not observed
            if len(broken) > 1:
                raise Answer(IPE, None)
            raise Answer(IPE, coral(path, "Member must satisfy constraint: [%s]" % broken[0]))

    def size(self, shape, path, n):
        if "min" in shape and n < shape["min"]:
            raise Answer(IPE, coral(path, "Member must have length greater than or equal to %d" % shape["min"]))
        if "max" in shape and n > shape["max"]:
            raise Answer(IPE, coral(path, "Member must have length less than or equal to %d" % shape["max"]))

    def value(self, shape_name, name, path, v, top=None):
        shape = self.model.shape(shape_name)
        t = shape["type"]
        if t == "string":
            self.string(shape, name, path, v)
            if name == "imageManifest" and self.private:
                self.manifest(v, top)
            if name in ("policyText", "repositoryPolicy") and self.private:
                self.policy(v, name, top)
        elif t in ("integer", "long"):
            x = int(v.text)
            if "min" in shape and x < shape["min"]:
                raise Answer(IPE, coral(path, "Member must have value greater than or equal to %d" % shape["min"]))
            if "max" in shape and x > shape["max"]:
                raise Answer(IPE, coral(path, "Member must have value less than or equal to %d" % shape["max"]))
        elif t == "blob":
            self.size(shape, path, len(blob_bytes(v)))  # Smithy's length of a blob: bytes
        elif t == "map":
            self.size(shape, path, len(v.last()))
            for k, mv in v.last().items():
                if self.coral_string(self.model.shape(shape["key"]["shape"]), k):
                    raise Answer(IPE, None)  # the path of a map key or value is not known
                try:
                    self.value(shape["value"]["shape"], name, path, mv)
                except Answer as a:
                    raise Answer(a.code, None)
        elif t == "list":
            self.size(shape, path, len(v))
            if self.private and shape_name == "TagList" and len(v) > 50:
                self.service_check("TooManyTagsException", None)  # 50 tags per repository
            if self.private and shape_name == "TagKeyList" and \
                    any(len(k) > 128 or k[:4].lower() == "aws:" for k in v if isinstance(k, str)):
                # UntagResource: aws: tags cannot be deleted either (tag restrictions)
                self.service_check("InvalidTagParameterException", None)
            item = self.model.shape(shape["member"]["shape"])
            if item["type"] == "string":
                self.string_list(item, name, path, v)
                return
            # BatchGetImage and BatchDeleteImage answer a bad imageIds entry with a failure for
            # that entry (API_BatchGetImage, API_BatchDeleteImage: failures)
            per_image = self.private and self.op in ("BatchGetImage", "BatchDeleteImage") and name == "imageIds"
            for i, it in enumerate(v):
                if per_image:
                    self.item = {"echo": echo(self.model, shape["member"]["shape"], it), "failed": False}
                self.value(shape["member"]["shape"], name, "%s.%d.member" % (path, i + 1), it)
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
                    if self.private and m in POLICY_MEMBERS:
                        mpath = m[0].upper() + m[1:]  # capitalised when missing too (string())
                    raise Answer(IPE, coral(mpath, "Member must not be null"))
                continue
            self.value(ref["shape"], m, mpath, v, top=d)
        if self.private and shape_name == "ImageIdentifier" and d.get("imageDigest") is None \
                and d.get("imageTag") is None:
            # API_ImageIdentifier: an entry needs a tag or a digest.
            if self.item is not None:
                self.fail_item("MissingDigestAndTag")
            else:
                raise Answer(IPE, None)
        if self.private and "imageTagMutabilityExclusionFilters" in shape["members"]:
            # Tag mutability exclusions (API_CreateRepository, API_PutImageTagMutability): the
            # filters are needed exactly with the two ..._WITH_EXCLUSION settings; the text of
            # the missing case is public (aws/aws-cdk#35246), that of the other one is not.
            mut, filters = d.get("imageTagMutability"), d.get("imageTagMutabilityExclusionFilters")
            with_exclusion = mut in ("IMMUTABLE_WITH_EXCLUSION", "MUTABLE_WITH_EXCLUSION")
            if with_exclusion and filters is None:
                self.service_check(IPE, coral("imageTagMutabilityExclusionFilters",
                                              "ImageTagMutabilityExclusionFilters can't be null when "
                                              "imageTagMutability is set as %s" % mut))
            if mut is not None and not with_exclusion and filters is not None:
                self.service_check(IPE, None)
        if self.private and shape_name.startswith("EncryptionConfiguration") and \
                d.get("encryptionType") == "AES256" and d.get("kmsKey") is not None:
            self.service_check(IPE, None)  # API_EncryptionConfiguration: a KMS key only with KMS types
        if self.private and shape_name == "Tag":
            # API_Tag and the user guide's tag restrictions: key <= 128 and value <= 256
            # characters, the aws: prefix reserved (InvalidTagParameterException, text unknown)
            key, value = d.get("Key"), d.get("Value")
            if key is not None and (len(key) > 128 or key[:4].lower() == "aws:"):
                self.service_check("InvalidTagParameterException", None)
            if value is not None and len(value) > 256:
                self.service_check("InvalidTagParameterException", None)
        if self.private and shape_name == "CreatePullThroughCacheRuleRequest":
            self.pull_through_cache(d)
        if self.private and shape_name == "UpdatePullThroughCacheRuleRequest" and \
                d.get("credentialArn") is None and d.get("customRoleArn") is None:
            # an update changes credentials: one of the two is needed (ECR's sentence from a
            # public report, request partly reconstructed)
            self.service_check(IPE, "Invalid input: Please set either credential arn or role arn "
                                    "to update the credentials")
        if self.private and shape_name == "PutRegistryScanningConfigurationRequest":
            # API_RegistryScanningRule (scanFrequency): ENHANCED scans CONTINUOUS_SCAN or
            # SCAN_ON_PUSH, BASIC (the default scan type) SCAN_ON_PUSH; ECR's text is not known
            supported = {"BASIC": ("SCAN_ON_PUSH",), "ENHANCED": ("SCAN_ON_PUSH", "CONTINUOUS_SCAN")}
            allowed = supported.get(d.get("scanType") or "BASIC", ())
            for rule in d.get("rules") or []:
                f = rule.last().get("scanFrequency")
                if f is not None and f not in allowed:
                    self.service_check(IPE, None)
        if shape_name == "UploadLayerPartRequest":
            # API_UploadLayerPart: the part is the layer's bytes partFirstByte..partLastByte,
            # both included; InvalidLayerPartException otherwise (its text is not known)
            first, last = d["partFirstByte"].value(), d["partLastByte"].value()
            if first > last or last - first + 1 != len(blob_bytes(d["layerPartBlob"])):
                self.service_check("InvalidLayerPartException", None)
        if self.private and shape_name == "DescribeImagesRequest" and d.get("imageIds") is not None:
            # API_DescribeImages: maxResults and nextToken "cannot be used when you specify
            # images with imageIds" (the answer's text is not known).
            for m in ("maxResults", "nextToken"):
                if d.get(m) is not None:
                    raise Answer(IPE, None)

    def pull_through_cache(self, d):
        """CreatePullThroughCacheRule. The registry URL of each upstream registry, from the API
        reference of CreatePullThroughCacheRule (upstreamRegistryUrl) and, for Chainguard, the
        user guide's list of upstream registries; the upstream registries that need a Secrets
        Manager secret (user guide, "Creating a pull through cache rule"); the upstream
        repository prefix only under an ECR prefix other than ROOT (user guide, "Customizing
        repository prefixes"). ECR's sentence for an unsupported URL is public; which of two
        such answers ECR gives first is not, so then only the code is compared."""
        kind, url = d.get("upstreamRegistry"), d.get("upstreamRegistryUrl")
        hosts = {"ecr-public": lambda u: u == "public.ecr.aws",
                 "k8s": lambda u: u == "registry.k8s.io",
                 "quay": lambda u: u == "quay.io",
                 "docker-hub": lambda u: u == "registry-1.docker.io",
                 "github-container-registry": lambda u: u == "ghcr.io",
                 "gitlab-container-registry": lambda u: u == "registry.gitlab.com",
                 "azure-container-registry": lambda u: u.endswith(".azurecr.io") and
                 u[:-len(".azurecr.io")].isalnum() and u[:-len(".azurecr.io")].isascii(),
                 "chainguard": lambda u: u == "cgr.dev",
                 "ecr": ecr_registry_host}
        answers = []
        if kind is None:
            fits = any(f(url) for f in hosts.values())
        else:
            fits = hosts[kind](url)
        if not fits:
            answers.append(("UnsupportedUpstreamRegistryException",
                            "The upstream registry URL %s is invalid. Specify a valid upstream "
                            "registry URL and try again" % url))
        needs_secret = ("docker-hub", "github-container-registry", "gitlab-container-registry",
                        "azure-container-registry", "chainguard")
        if kind in needs_secret and d.get("credentialArn") is None:
            answers.append(("UnsupportedUpstreamRegistryException",
                            "The specified upstream registry requires authentication. Specify a "
                            "valid Secrets Manager ARN"))
        if d.get("ecrRepositoryPrefix") == "ROOT" and d.get("upstreamRepositoryPrefix") is not None:
            answers.append((IPE, None))
        if len(answers) == 1:
            self.service_check(*answers[0])
        elif answers:
            # several at once: the URL is read first (it decides the registry), the order of
            # the others is not known, nor whose text ECR gives
            self.service_check(answers[0][0], None)

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


    def policy(self, text, name, top):
        """A repository or registry policy text: ECR answers one that is not a JSON object with
        its generic sentence, at the member's name capitalised ('PolicyText': public reports
        2019-2026 via aws/aws-cdk#3583 and pulumi/pulumi-aws#2326). An empty text in an
        optional member (a creation template's repositoryPolicy) sets no policy."""
        kind = "registry" if self.op == "PutRegistryPolicy" else "repository"
        if text == "" and name == "repositoryPolicy":
            return
        bad = Answer(IPE, coral(name[0].upper() + name[1:], "Invalid %s policy provided" % kind))
        try:
            p = parse(text)
        except ValueError:
            raise bad
        if not isinstance(p, Obj):
            raise bad


def ecr_registry_host(u):
    """<accountId>.dkr.ecr.<region>.amazonaws.com (API_CreatePullThroughCacheRule); the FIPS
    endpoints (dkr.ecr-fips) and the China Regions' amazonaws.com.cn are ECR's registry hosts
    too (https://docs.aws.amazon.com/general/latest/gr/ecr.html)."""
    parts = u.split(".")
    if u.endswith(".amazonaws.com.cn"):
        parts = parts[:-1]
    return len(parts) == 6 and len(parts[0]) == 12 and parts[0].isdigit() and parts[0].isascii() \
        and parts[1] == "dkr" and parts[2] in ("ecr", "ecr-fips") and parts[3] != "" and \
        all(c in "abcdefghijklmnopqrstuvwxyz0123456789-" for c in parts[3]) and \
        parts[4:] == ["amazonaws", "com"]


def echo(model, shape_name, item):
    """The imageId a failure echoes: what ECR read, i.e. the members that are set."""
    shape = model.shape(shape_name)
    d = item.last()
    return {m: d[m] for m in shape["members"] if d.get(m) is not None}


def after_validation(op, obj):
    """PutImage: the digest ECR computes over the manifest's bytes must equal imageDigest
    (API_PutImage, ImageDigestDoesNotMatchException)."""
    if op != "PutImage":  # ECR's; ECR Public's PutImage is named ecr-public:PutImage
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
        if ck.late is not None:
            raise ck.late
        after_validation(op, body)
        return {"exception": None, "failures": ck.failures}
    except Answer as a:
        return {"exception": {"code": a.code, "message": a.message}, "failures": []}
