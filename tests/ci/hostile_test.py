#!/usr/bin/env python3
"""Hostile and odd inputs (issue 5), made at run time in a temporary directory: each must end in
its expected outcome, within a time bound, with every output format well formed.
Usage: hostile_test.py ECRLINT"""
import json, os, shutil, stat, subprocess, sys, tempfile, time
import xml.dom.minidom

ECR = os.path.abspath(sys.argv[1])
tmp = tempfile.mkdtemp(prefix="ecrlint-hostile-")
failures = []
checks = 0

def run(args, timeout=60, stdin=None):
    return subprocess.run([ECR, "--no-config"] + args, cwd=tmp, capture_output=True, timeout=timeout,
                          stdin=stdin if stdin is not None else subprocess.DEVNULL)

def write(name, data):
    p = os.path.join(tmp, name)
    with open(p, "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())
    return name

def expect(name, args, status, check):
    """Run with -f json; `check(file_entry)` returns None or a problem."""
    global checks
    checks += 1
    try:
        r = run(["-f", "json"] + args)
    except subprocess.TimeoutExpired:
        failures.append("%s: timed out" % name)
        return
    if r.returncode != status:
        failures.append("%s: exit %d, expected %d: %s" % (name, r.returncode, status, r.stderr[:300]))
        return
    try:
        report = json.loads(r.stdout)
    except ValueError as e:
        failures.append("%s: JSON report not well formed: %s" % (name, e))
        return
    problem = check(report["files"][0]) if report["files"] else "no file in the report"
    if problem:
        failures.append("%s: %s" % (name, problem))

def rules(f):
    return [d["rule"] for d in f["diagnostics"]]

def has(rule, kind=None):
    def check(f):
        if rule not in rules(f):
            return "no %s finding (got %s)" % (rule, rules(f))
        if kind and f["kind"] != kind:
            return "kind %s, expected %s" % (f["kind"], kind)
    return check

timer_ok = os.path.exists("/usr/bin/time")

req = lambda body: '{"repositoryName": "web", "imageIds": [{"imageTag": "v1"}], %s}' % body

# encodings
expect("invalid UTF-8", [write("a.json", b'{"repositoryName": "w\xffb"}')], 1, has("ECR0001", "error"))
expect("overlong encoding", [write("b.json", b'{"repositoryName": "\xc0\xaf"}')], 1, has("ECR0001"))
# valid JSON that jansson cannot hold is read all the same (ECR0008, ECR0010, ECR0007)
expect("lone surrogate", [write("c.json", '{"repositoryName": "\\ud800"}')], 1, has("ECR0008"))
expect("NUL in a string", [write("d.json", '{"repositoryName": "we\\u0000b"}')], 1, has("ECR1012", "request"))
# ECR's reader is warned about (ECR0006); the AWS CLI refuses such a file (ECR0021)
expect("byte-order mark", ["--client", "none", write("e.json", '\ufeff{"repositoryName": "web", "maxResults": 5}')],
       0, has("ECR0006"))
expect("byte-order mark, as the aws CLI reads it", ["e.json"], 1, has("ECR0021"))
expect("CRLF and tabs", [write("f.json", '{\r\n\t"repositoryName":\t"web",\r\n\t"maxResults": 5\r\n}\r\n')], 0,
       lambda f: None if f["kind"] == "request" and not rules(f) else "findings %s" % rules(f))
expect("trailing garbage", [write("g.json", '{"repositoryName": "web"} trailing')], 1, has("ECR0001"))
expect("duplicate keys", [write("h.json", '{"repositoryName": "a", "repositoryName": "web", "maxResults": 5}')], 0, has("ECR0005"))
# numbers
expect("1e999", [write("i.json", '{"repositoryName": "web", "maxResults": 1e999}')], 1, has("ECR0010"))
expect("-0", ["--operation", "DescribeImages", write("j.json", '{"repositoryName": "web", "maxResults": -0}')], 1, has("ECR3001"))
expect("2^63", [write("k.json", '{"repositoryName": "web", "maxResults": 9223372036854775808}')], 1, has("ECR0010"))
# sizes
expect("10 MB string", [write("l.json", '{"repositoryName": "%s", "maxResults": 5}' % ("a" * 10_000_000))], 1,
       lambda f: None if "ECR1011" in rules(f) and max(len(d["message"]) for d in f["diagnostics"]) < 2000 else "long value quoted whole")
expect("one long line", [write("m.json", req('"acceptedMediaTypes": [%s]' % ", ".join(['"application/vnd.oci.image.manifest.v1+json"'] * 100)))], 0,
       lambda f: None if f["kind"] == "request" else f["kind"])
expect("a million imageIds", ["--operation", "BatchGetImage", write("n.json", '{"repositoryName": "web", "imageIds": [%s]}' % ",".join(['{"imageTag": "v1"}'] * 1_000_000))], 1,
       lambda f: None if f["ecr"]["exception"] and "ECR1021" in rules(f) and len(f["diagnostics"]) <= 1000 else "%s %d" % (f["ecr"], len(f["diagnostics"])))
# Numbers whose hashes differ only in their high bits (n << 24, whole-number reals): the
# duplicate search must stay linear (a quadratic one takes minutes here, over the timeout).
for kind, item in (("integers", lambda i: str(i << 24)), ("reals", lambda i: "%d.0" % i)):
    expect("500,000 distinct %s in imageIds" % kind, ["--operation", "BatchGetImage",
           write("ids-%s.json" % kind, '{"repositoryName": "web", "imageIds": [%s]}' % ",".join(item(i) for i in range(500_000)))], 1,
           lambda f: None if f["kind"] == "request" and "ECR1022" not in rules(f) else rules(f)[:5])
expect("100,000 levels of nesting", [write("o.json", '{"repositoryName": "web", "filter": ' + "[" * 100_000 + "]" * 100_000 + "}")], 1, has("ECR0007"))
expect("empty file", [write("p.json", "")], 1, has("ECR0003", "error"))
# files that are not files
os.mkdir(os.path.join(tmp, "x.json"))
write("x.json/inner.json", '{"repositoryName": "web", "maxResults": 5}')
expect("directory named x.json", ["x.json"], 0, lambda f: None if f["path"].endswith("inner.json") else f["path"])
os.mkfifo(os.path.join(tmp, "fifo.json"))
expect("FIFO", ["fifo.json"], 2, has("ECR0000", "error"))
expect("/dev/zero", ["/dev/zero"], 2, has("ECR0000", "error"))
expect("over the size limit", ["--max-file-size", "100", write("q.json", req('"x": "%s"' % ("y" * 200)))], 1, has("ECR0004", "error"))
unreadable = write("r.json", req('"maxResults": 5'))
os.chmod(os.path.join(tmp, unreadable), 0)
if os.access(os.path.join(tmp, unreadable), os.R_OK):
    print("note: running as root, an unreadable file cannot be made; that case is skipped")
else:
    expect("unreadable file", [unreadable], 2, has("ECR0000"))
os.symlink("loop2.json", os.path.join(tmp, "loop1.json"))
os.symlink("loop1.json", os.path.join(tmp, "loop2.json"))
expect("symlink loop", ["loop1.json"], 2, has("ECR0000"))
os.mkdir(os.path.join(tmp, "tree"))
os.symlink("/etc/passwd", os.path.join(tmp, "tree", "escape.json"))
os.symlink("..", os.path.join(tmp, "tree", "up"))
expect("symlinks leaving the tree", ["tree"], 0,
       lambda f: None if f["kind"] == "skipped" and "symbolic link" in f.get("reason", "") else f)
# hostile file names: every format must stay well formed, and no control character reaches a terminal
os.mkdir(os.path.join(tmp, "names"))
for n in ["new\nline.json", "bad\xff\xfe.json".encode("latin-1").decode("utf-8", "surrogateescape"), "esc\x1b[31mred.json", 'q"uote<&>.json']:
    with open(os.path.join(tmp.encode(), b"names", os.fsencode(n)), "w") as f:
        f.write('{"repositoryName": "A", "maxResults": 0}')
for fmt in ["text", "gcc", "json", "sarif", "github", "junit"]:
    checks += 1
    r = run(["-f", fmt, "names"])
    out = r.stdout
    if r.returncode != 1:
        failures.append("names, %s: exit %d %s" % (fmt, r.returncode, r.stderr[:200]))
    if b"\x1b" in out or (fmt in ("text", "gcc") and b"new\nline" in out):
        failures.append("names, %s: a control character reached the output raw" % fmt)
    try:
        if fmt in ("json", "sarif"):
            json.loads(out)
        if fmt == "junit":
            xml.dom.minidom.parseString(out)
    except Exception as e:
        failures.append("names, %s: output not well formed: %s" % (fmt, e))
# a closed pipe ends quietly
big = write("s.json", '{"repositoryName": "A", "imageIds": [%s]}' % ",".join(["{}"] * 1000))
p = subprocess.Popen("'%s' --no-config -f json %s | head -c 10 >/dev/null" % (ECR, big), shell=True, cwd=tmp,
                     stderr=subprocess.PIPE)
_, err = p.communicate(timeout=60)
checks += 2
if err:
    failures.append("closed pipe: ecrlint wrote to stderr: %s" % err[:200])
# inputs are never modified
before = {n: os.stat(os.path.join(tmp, n)).st_mtime_ns for n in os.listdir(tmp) if os.path.isfile(os.path.join(tmp, n)) and not stat.S_ISFIFO(os.stat(os.path.join(tmp, n)).st_mode)}
run(["-f", "json", "."])
for n, t in before.items():
    if os.stat(os.path.join(tmp, n)).st_mtime_ns != t:
        failures.append("%s was modified" % n)

# a report named by a device, a FIFO's name or a link is written through it, never replaced
for dev in ["/dev/null", "/dev/full"]:
    if os.path.exists(dev):
        checks += 1
        mode = os.stat(dev).st_mode
        r = run(["-f", "json:" + dev, write("d.json", '{"repositoryName": "web"}')])
        if not stat.S_ISCHR(os.stat(dev).st_mode) or os.stat(dev).st_mode != mode:
            failures.append("-f json:%s replaced the device" % dev)
        if dev == "/dev/full" and r.returncode != 2:
            failures.append("-f json:/dev/full: exit %d, expected 2 (no space)" % r.returncode)
checks += 1
target = write("target.json", "")
os.symlink(target, os.path.join(tmp, "link.json"))
run(["-f", "json:link.json", "d.json"])
if not os.path.islink(os.path.join(tmp, "link.json")) or b'"files"' not in open(os.path.join(tmp, target), "rb").read():
    failures.append("-f json:LINK did not write through the link")

# repository and registry policies (issue 17): not JSON, not an object, 10,000 deep, 10 MB,
# 100,000 statements - a clear finding, ECR's generic answer, bounded time and findings
def policy_answer(rule, sentence="Invalid repository policy provided"):
    def check(f):
        exc = (f["ecr"] or {}).get("exception") or {}
        if rule not in rules(f):
            return "no %s finding (got %s)" % (rule, rules(f)[:5])
        if sentence not in (exc.get("message") or ""):
            return "answer %s" % exc
    return check
srp = lambda text: json.dumps({"repositoryName": "web", "policyText": text})
stmt = '{"Sid": "S%d", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"}, "Action": "ecr:BatchGetImage"}'
expect("policy: not JSON", ["--operation", "SetRepositoryPolicy", write("p1.json", srp('{"Version": "2012-10-17", "Statement": ['))], 1, policy_answer("ECR9501"))
expect("policy: not an object", ["--operation", "PutRegistryPolicy", write("p2.json", json.dumps({"policyText": "[1, 2]"}))], 1,
       policy_answer("ECR9502", "Invalid registry policy provided"))
# 20,015 characters: ECR answers the length first; the nesting is a finding all the same
expect("policy: 10,000 deep in a request", ["--operation", "SetRepositoryPolicy", write("p3.json", srp('{"Statement": ' + "[" * 10000 + "]" * 10000 + "}"))], 1,
       policy_answer("ECR9501", "less than or equal to 10240"))
expect("policy: 10,000 deep file", ["--operation", "repository-policy", write("p4.json", '{"Statement": ' + "[" * 10000 + "]" * 10000 + "}")], 1,
       lambda f: None if f["kind"] == "policy" and "ECR0007" in rules(f) else "%s %s" % (f["kind"], rules(f)[:5]))
expect("policy: 10 MB in a request", ["--operation", "SetRepositoryPolicy", write("p5.json", srp('{"Statement": [%s]}' % (stmt % 0).replace('"S0"', '"%s"' % ("s" * 10_000_000))))], 1,
       lambda f: None if "ECR7002" in rules(f) and max(len(d["message"]) for d in f["diagnostics"]) < 2000 else "%s" % rules(f)[:5])
expect("policy: 100,000 statements", ["--operation", "repository-policy", write("p6.json", '{"Version": "2012-10-17", "Statement": [%s]}' % ", ".join(
       (stmt % i).replace("BatchGetImage", "BatchGetImages") for i in range(100_000)))], 1,
       lambda f: None if f["kind"] == "policy" and "ECR9522" in rules(f) and len(f["diagnostics"]) <= 1001 else "%s %d" % (rules(f)[:3], len(f["diagnostics"])))

# lifecycle policies (issue 17): not JSON, not an object, 10,000 deep, 10 MB, 100,000 rules, each
# as a standalone file and as the lifecyclePolicyText of a PutLifecyclePolicy request - a clear
# finding, ECR's answer, bounded time, and memory of the order of what parsing the text takes
def lc_run(name, op, data):
    """Checks data as op with -f json; returns (status, file entry, peak RSS KiB or 0), or None."""
    global checks
    checks += 1
    f = write(name, data)
    rss_file = os.path.join(tmp, name + "-rss")
    timer = ["/usr/bin/time", "-f", "%M", "-o", rss_file] if timer_ok else []
    try:
        r = subprocess.run(timer + [ECR, "--no-config", "-f", "json", "--operation", op, f], cwd=tmp,
                           capture_output=True, timeout=120)
    except subprocess.TimeoutExpired:
        failures.append("%s: timed out" % name)
        return None
    try:
        entry = json.loads(r.stdout)["files"][0]
    except (ValueError, IndexError) as e:
        failures.append("%s: JSON report not well formed: %s (%s)" % (name, e, r.stderr[:200]))
        return None
    rss = int(open(rss_file).read().split()[-1]) if timer_ok else 0
    return r.returncode, entry, rss

def lc_floor(name, data):
    """Peak RSS (KiB) of reading the same text as a JSON file that nothing recognises."""
    if not timer_ok:
        return 0
    f = write(name, data.replace('"rules"', '"xules"'))
    rss_file = os.path.join(tmp, name + "-rss")
    subprocess.run(["/usr/bin/time", "-f", "%M", "-o", rss_file, ECR, "--no-config", "-f", "json", f],
                   cwd=tmp, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120)
    return int(open(rss_file).read().split()[-1])

def lc_expect(name, text, want_rules, answer, request_rules=None, kind="lifecycle-policy"):
    """text as a standalone file and inside PutLifecyclePolicy: exit 1, each of want_rules found
    (request_rules in the request when they differ), ECR's answer containing `answer`, no message
    longer than 2,000 characters, at most 1,001 findings, peak RSS at most twice the parse's
    (three times in the request, which holds the text as a string beside its tree) + 32 MiB."""
    floor = lc_floor("lc-%s-floor.json" % name, text) if len(text) > 1_000_000 else 0
    for form, op, data, want, times in (
            ("file", "lifecycle-policy", text, want_rules, 2),
            ("PutLifecyclePolicy", "PutLifecyclePolicy",
             json.dumps({"registryId": "123456789012", "repositoryName": "web", "lifecyclePolicyText": text}),
             request_rules or want_rules, 3)):
        label = "lifecycle: %s (%s)" % (name, form)
        got = lc_run("lc-%s-%s.json" % (name, form), op, data)
        if got is None:
            continue
        status, f, rss = got
        found = rules(f)
        exc = (f.get("ecr") or {}).get("exception") or {}
        if status != 1:
            failures.append("%s: exit %d, expected 1" % (label, status))
        if f["kind"] != (kind if form == "file" else "request"):
            failures.append("%s: kind %s" % (label, f["kind"]))
        for w in want:
            if w not in found:
                failures.append("%s: no %s finding (got %s)" % (label, w, found[:6]))
        if exc.get("code") != "InvalidParameterException" or answer not in (exc.get("message") or ""):
            failures.append("%s: ECR's answer %s" % (label, exc))
        if len(found) > 1001 or max([len(d["message"]) for d in f["diagnostics"]] or [0]) > 2000:
            failures.append("%s: %d findings, the longest %d characters" % (label, len(found),
                            max([len(d["message"]) for d in f["diagnostics"]] or [0])))
        if floor and rss > times * floor + 32 * 1024:
            failures.append("%s: peak RSS %d KiB against %d KiB to parse the text" % (label, rss, floor))
        if floor:
            print("%s: peak RSS %d KiB (parsing alone %d KiB)" % (label, rss, floor))

MAP = "Could not map policyString into LifecyclePolicy."
TOO_LONG = "Member must have length less than or equal to 30720"
lc_rule = ('{"rulePriority": %d, "description": "keep the last five of release %d", "selection": {"tagStatus": '
           '"tagged", "tagPatternList": ["rel-%d-*"], "countType": "imageCountMoreThan", "countNumber": 5}, '
           '"action": {"type": "expire"}}')
lc_expect("not JSON", '{"rules": [{"rulePriority": 1, "selection": {"tagStatus": "any", "countType": '
          '"imageCountMoreThan", "countNumber": 1}, "action": {"type": "expire"}}', ["ECR8301"], MAP)
lc_expect("not an object", "[%s]" % (lc_rule % (1, 1, 1)), ["ECR8302"], MAP)
lc_expect("a string", json.dumps(lc_rule % (1, 1, 1)), ["ECR8302"], MAP)
# 20,011 characters, under the length limit: nested beyond what ECR's JSON reader takes, a file
# and a request member alike (the file's own reader stops at its depth limit as well, ECR0007)
lc_expect("10,000 deep", '{"rules": ' + "[" * 10000 + "]" * 10000 + "}", ["ECR0007", "ECR8301"],
          MAP, request_rules=["ECR8301"])
# objects 2,000 deep in a rule: within what jansson reads, beyond what ECR's reader takes
lc_expect("2,000 deep objects", '{"rules": [' + '{"a": ' * 2000 + "1" + "}" * 2000 + "]}", ["ECR8301"], MAP)
lc_expect("10 MB", '{"rules": [%s]}' % (lc_rule % (1, 1, 1)).replace("keep the last", "k" * 10_000_000),
          ["ECR8303"], TOO_LONG, request_rules=["ECR7002"])
lc_expect("100,000 rules", '{"rules": [%s]}' % ", ".join(lc_rule % (i + 1, i, i) for i in range(100_000)),
          ["ECR8303", "ECR8111"], TOO_LONG, request_rules=["ECR7002", "ECR8111"])
# a finding in each of 100,000 rules: the report stops at the findings limit
lc_expect("100,000 rules with a null each", '{"rules": [%s]}' % ", ".join(
          (lc_rule % (i + 1, i, i)).replace('"keep the last five of release %d"' % i, "null") for i in range(100_000)),
          ["ECR8303", "ECR8311"], TOO_LONG, request_rules=["ECR7002", "ECR8311"])

# ---- image layouts and archives (issue 21): bounded, never following a link, writing nothing ----
import gzip, hashlib, io, tarfile

def sha256(data):
    return "sha256:" + hashlib.sha256(data).hexdigest()

def layout(name, layers, diff_ids=None, index_extra=None):
    """An OCI layout at tmp/name: one image whose layers are (media type, bytes or a path)."""
    root = os.path.join(tmp, name)
    os.makedirs(os.path.join(root, "blobs", "sha256"))
    def put(data):
        d = sha256(data)
        with open(os.path.join(root, "blobs", "sha256", d[7:]), "wb") as f:
            f.write(data)
        return {"digest": d, "size": len(data)}
    descs = []
    for mt, data in layers:
        descs.append(dict(mediaType=mt, **(put(data) if isinstance(data, bytes) else data)))
    config = {"architecture": "amd64", "os": "linux",
              "rootfs": {"type": "layers", "diff_ids": diff_ids if diff_ids is not None else [d["digest"] for d in descs]}}
    cdesc = dict(mediaType="application/vnd.oci.image.config.v1+json", **put(json.dumps(config).encode()))
    m = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json", "config": cdesc, "layers": descs}
    mdesc = dict(mediaType="application/vnd.oci.image.manifest.v1+json", **put(json.dumps(m).encode()))
    index = {"schemaVersion": 2, "manifests": [mdesc] + (index_extra or [])}
    with open(os.path.join(root, "index.json"), "w") as f:
        json.dump(index, f)
    with open(os.path.join(root, "oci-layout"), "w") as f:
        f.write('{"imageLayoutVersion": "1.0.0"}')
    return root, descs

def image_run(name, args, timeout=120):
    """Runs ecrlint -f json on an image; returns (status, findings [(rule, path)], peak RSS KiB)."""
    global checks
    checks += 1
    p = subprocess.Popen([ECR, "--no-config", "-f", "json"] + args, cwd=tmp, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE)
    try:
        out, err = p.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        p.kill()
        p.communicate()
        failures.append("%s: timed out" % name)
        return None, [], 0
    rss = 0
    try:
        doc = json.loads(out)
    except ValueError as e:
        failures.append("%s: JSON report not well formed: %s (%s)" % (name, e, err[:200]))
        return p.returncode, [], rss
    return p.returncode, [(d["rule"], f["path"]) for f in doc["files"] for d in f["diagnostics"]], rss

def image_expect(name, args, status, want):
    """`want`: (rule, path) pairs that must be found, each exactly once."""
    st, found, _ = image_run(name, args)
    if st is None:
        return
    if st != status:
        failures.append("%s: exit %s, expected %d" % (name, st, status))
    for w in want:
        if found.count(w) != 1:
            failures.append("%s: %s found %d times (findings: %s)" % (name, w, found.count(w), found[:8]))

GZ = "application/vnd.oci.image.layer.v1.tar+gzip"
ZST = "application/vnd.oci.image.layer.v1.tar+zstd"
TAR = "application/vnd.oci.image.layer.v1.tar"

# a blob that is a symbolic link to an endless device: reported, never followed (or this hangs)
root, descs = layout("img-link", [(GZ, gzip.compress(b"x" * 100, mtime=0))])
blob = os.path.join(root, "blobs", "sha256", descs[0]["digest"][7:])
os.unlink(blob)
os.symlink("/dev/zero", blob)
os.symlink("/etc", os.path.join(root, "blobs", "sha512"))  # a linked directory is not entered
image_expect("image: blob linked to /dev/zero", ["--verify-layers", "img-link"], 1,
             [("ECR8007", "img-link/blobs/sha256/" + descs[0]["digest"][7:]), ("ECR8007", "img-link/blobs/sha512")])

# archive entries that would leave the archive, and one larger than the archive holds
def tar_bytes(entries):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.GNU_FORMAT) as t:
        for n, data in entries:
            ti = tarfile.TarInfo(n)
            ti.size = len(data)
            t.addfile(ti, io.BytesIO(data))
    return buf.getvalue()
write("escape.tar", tar_bytes([("oci-layout", b'{"imageLayoutVersion": "1.0.0"}'), ("../../up.txt", b"up"),
                               ("/etc/abs.txt", b"abs"), ("a/../../b.txt", b"b")]))
st, found, _ = image_run("image: '..' and absolute tar entries", ["escape.tar"])
if [r for r, p in found if r == "ECR8013"].__len__() != 3:
    failures.append("image: '..' and absolute tar entries: %s" % found)
for n in ("up.txt", "etc/abs.txt", "b.txt"):
    if os.path.exists(os.path.join(os.path.dirname(tmp), n)) or os.path.exists(os.path.join(tmp, n)):
        failures.append("image: a tar entry was written: %s" % n)
big = tar_bytes([("oci-layout", b'{"imageLayoutVersion": "1.0.0"}'), ("blobs/sha256/" + "a" * 64, b"z" * 4096)])
write("short.tar", big[:512 + 512 + 512 + 1024])  # the second entry claims 4096 bytes, 1024 follow
image_expect("image: tar entry larger than the archive", ["short.tar"], 1, [("ECR8012", "short.tar:blobs/sha256/" + "a" * 64)])

# an index that lists itself: one step of the cycle, then reported
root, descs = layout("img-cycle", [(GZ, gzip.compress(b"y", mtime=0))])
self_digest = sha256(b"placeholder")
cyc = json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json",
                  "manifests": [{"mediaType": "application/vnd.oci.image.index.v1+json", "digest": self_digest, "size": 10}]}).encode()
with open(os.path.join(root, "blobs", "sha256", self_digest[7:]), "wb") as f:
    f.write(cyc)
with open(os.path.join(root, "index.json"), "w") as f:
    json.dump({"schemaVersion": 2, "manifests": [{"mediaType": "application/vnd.oci.image.index.v1+json", "digest": self_digest, "size": len(cyc)}]}, f)
image_expect("image: an index that contains itself", ["img-cycle"], 1,
             [("ECR8010", "img-cycle/blobs/sha256/" + self_digest[7:])])

# truncated gzip and zstd streams under --verify-layers
raw = tar_bytes([("f", os.urandom(300000))])
layers = [(GZ, gzip.compress(raw, mtime=0)[:-5000])]
if shutil.which("zstd"):
    z = subprocess.run(["zstd", "-q", "-c"], input=raw, capture_output=True).stdout
    layers.append((ZST, z[:-5000]))
root, descs = layout("img-trunc", layers, diff_ids=[sha256(raw)] * len(layers))
image_expect("image: truncated gzip/zstd layers", ["--verify-layers", "img-trunc"], 1,
             [("ECR8026", "img-trunc/blobs/sha256/" + d["digest"][7:]) for d in descs])

# 100,000 blobs: bounded in time and memory, each unreferenced one said once. Memory is what a
# blob adds: the peak RSS with 100,000 blobs against that with 10,000 (what the machine adds
# cancels out), under 2 KiB a blob (the listing and each blob's digests; the findings are
# written as they come, not held); not under a sanitizer, whose allocator keeps what is freed.
sanitized = b"libasan" in subprocess.run(["ldd", ECR], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL).stdout


def many_run(n):
    """Checks img-many with n unreferenced blobs; returns (status, ECR8009 count, seconds, KiB)."""
    global checks
    checks += 1
    rss_file = os.path.join(tmp, "many-rss")
    timer = ["/usr/bin/time", "-f", "%e %M", "-o", rss_file] if timer_ok else []
    report = os.path.join(tmp, "many-report.json")
    start = time.monotonic()
    with open(report, "wb") as rep:
        rc = subprocess.run(timer + [ECR, "--no-config", "-f", "json", "img-many"], cwd=tmp, stdout=rep,
                            stderr=subprocess.DEVNULL, timeout=120).returncode
    secs = time.monotonic() - start
    doc = json.load(open(report))
    os.unlink(report)
    unref = sum(1 for f in doc["files"] for d in f["diagnostics"] if d["rule"] == "ECR8009")
    rss = int(open(rss_file).read().split()[-1]) if timer_ok else 0
    print("image: %d blobs: %.2f s, peak RSS %d KiB" % (n, secs, rss))
    return rc, unref, secs, rss


root, descs = layout("img-many", [(GZ, gzip.compress(b"z", mtime=0))])
bdir = os.path.join(root, "blobs", "sha256")
made = 0
results = {}
for n in (10000, 100000):
    for i in range(made, n):
        with open(os.path.join(bdir, "%064x" % i), "wb") as f:
            f.write(b"%d" % i)
    made = n
    results[n] = many_run(n)
    rc, unref, secs, rss = results[n]
    if rc != 0 or unref != n:
        failures.append("image: %d blobs: exit %s, %d unreferenced" % (n, rc, unref))
    if secs > 30:
        failures.append("image: %d blobs: %.1f s, over 30 s" % (n, secs))
per_blob = (results[100000][3] - results[10000][3]) * 1024 / 90000
if timer_ok:
    print("image: %.0f bytes of peak RSS a blob" % per_blob)
if timer_ok and not sanitized and per_blob > 2048:
    failures.append("image: 100,000 blobs: %.0f bytes of peak RSS a blob, over 2 KiB" % per_blob)
shutil.rmtree(root)

# a 2 GiB layer (sparse: no disk) streamed with flat memory: its peak RSS is compared with the same
# image's with a 1 MiB layer, so that what the machine adds (libraries, threads per core) cancels out
def zero_layer_run(name, size):
    """Checks a layout whose one layer is SIZE zero bytes (sparse); returns (status, rules, peak RSS KiB)."""
    h = hashlib.sha256()
    zeros = bytes(1 << 20)
    left = size
    while left:
        n = min(left, len(zeros))
        h.update(zeros[:n])
        left -= n
    digest = "sha256:" + h.hexdigest()
    root, _ = layout(name, [(TAR, {"digest": digest, "size": size})], diff_ids=[digest])
    with open(os.path.join(root, "blobs", "sha256", digest[7:]), "wb") as f:
        f.truncate(size)
    # peak RSS as GNU time measures it (a forked Python's pages would count in wait4's)
    rss_file = os.path.join(tmp, name + "-rss")
    timer = ["/usr/bin/time", "-f", "%M", "-o", rss_file] if timer_ok else []
    report = os.path.join(tmp, name + "-report.json")
    with open(report, "wb") as rep:
        rc = subprocess.run(timer + [ECR, "--no-config", "-f", "json", "--verify-layers", name], cwd=tmp,
                            stdout=rep, stderr=subprocess.DEVNULL, timeout=300).returncode
    doc = json.load(open(report))
    os.unlink(report)
    rules = [d["rule"] for f in doc["files"] for d in f["diagnostics"]]
    rss = int(open(rss_file).read().split()[-1]) if timer_ok else 0
    shutil.rmtree(root)
    return rc, rules, rss

checks += 1
rc_small, found_small, rss_small = zero_layer_run("img-small", 1 << 20)
rc, found, rss = zero_layer_run("img-big", 2 << 30)
if rc != 0 or found or rc_small != 0 or found_small:
    failures.append("image: 1 MiB and 2 GiB layers: exits %d, %d, findings %s, %s" % (rc_small, rc, found_small, found))
if timer_ok:
    print("image: peak RSS %d KiB with a 2 GiB layer, %d KiB with 1 MiB" % (rss, rss_small))
if timer_ok and rss - rss_small > 16 * 1024:
    failures.append("image: 2 GiB layer: peak RSS %d KiB against %d KiB for 1 MiB, not flat" % (rss, rss_small))

# nothing was written inside the layouts or archives
checks += 1
for d in ("img-link", "img-cycle", "img-trunc"):
    for base, dirs, files in os.walk(os.path.join(tmp, d)):
        for n in files:
            if n.endswith(".tmp") or n.startswith("."):
                failures.append("image: %s was written" % os.path.join(base, n))

shutil.rmtree(tmp, ignore_errors=True)
for f in failures:
    print("FAIL:", f)
print("%d passed, %d failed" % (checks - len(failures), len(failures)))
sys.exit(1 if failures else 0)
