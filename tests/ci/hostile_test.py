#!/usr/bin/env python3
"""Hostile and odd inputs (issue 5), made at run time in a temporary directory: each must end in
its expected outcome, within a time bound, with every output format well formed.
Usage: hostile_test.py ECRLINT"""
import json, os, shutil, stat, subprocess, sys, tempfile
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

req = lambda body: '{"repositoryName": "web", "imageIds": [{"imageTag": "v1"}], %s}' % body

# encodings
expect("invalid UTF-8", [write("a.json", b'{"repositoryName": "w\xffb"}')], 1, has("ECR0001", "error"))
expect("overlong encoding", [write("b.json", b'{"repositoryName": "\xc0\xaf"}')], 1, has("ECR0001"))
# valid JSON that jansson cannot hold is read all the same (ECR0008, ECR0010, ECR0007)
expect("lone surrogate", [write("c.json", '{"repositoryName": "\\ud800"}')], 1, has("ECR0008"))
expect("NUL in a string", [write("d.json", '{"repositoryName": "we\\u0000b"}')], 1, has("ECR1012", "request"))
expect("byte-order mark", [write("e.json", '\ufeff{"repositoryName": "web", "maxResults": 5}')], 0, has("ECR0006"))
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

shutil.rmtree(tmp, ignore_errors=True)
for f in failures:
    print("FAIL:", f)
print("%d passed, %d failed" % (checks - len(failures), len(failures)))
sys.exit(1 if failures else 0)
