#!/usr/bin/env python3
"""Runs the ecrlint benchmark and prints one table (see README.md here). Called by run.sh."""
import csv, json, os, resource, statistics, subprocess, sys, time

SMOKE = "--smoke" in sys.argv
ECR, CORPUS, PARSE, PEERS = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
REQ = os.path.join(CORPUS, "requests")
FILES = sorted(os.path.join(REQ, f) for f in os.listdir(REQ))
LARGE = os.path.join(CORPUS, "large")
NODE = "node" if (subprocess.call(["sh", "-c", "command -v node"], stdout=subprocess.DEVNULL) == 0
                  and os.path.isdir(os.path.join(PEERS, "node_modules", "ajv"))) else None
BOTO = os.path.exists("/usr/bin/python3") and subprocess.call(
    ["/usr/bin/python3", "-c", "import botocore"], stderr=subprocess.DEVNULL) == 0
REPEAT = 3 if SMOKE else 5
problems = []

def run(cmd, **kw):
    return subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kw)

def wall(cmd, repeat=REPEAT):
    """Median wall seconds of a command."""
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        r = run(cmd)
        times.append(time.perf_counter() - t)
        if r.returncode not in (0, 1):
            problems.append("%s exited %d" % (cmd[0], r.returncode))
    return statistics.median(times)

def per_process_ms(cmd, n):
    """Median over REPEAT batches of n sequential runs, in ms per process."""
    res = []
    for _ in range(REPEAT):
        t = time.perf_counter()
        for _ in range(n):
            run(cmd)
        res.append((time.perf_counter() - t) / n * 1000)
    return statistics.median(res)

def peak_kib(cmd):
    r = subprocess.run(["/usr/bin/time", "-f", "%M"] + cmd, stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE, text=True)
    return int(r.stderr.strip().splitlines()[-1])

def mb(path):
    return os.path.getsize(path) / 1e6

listfile = os.path.join(CORPUS, "files.txt")
with open(listfile, "w") as f:
    f.write("\n".join(FILES) + "\n")
small = FILES[0]
ecr = [ECR, "--no-config", "-q"]
rows = []
ratios = []

# G1: one small file per process
n1 = 20 if SMOKE else 200
true_ms = per_process_ms(["/bin/true"], n1)
ecr_ms = per_process_ms(ecr + [small], n1)
rows.append(("one file per process", "/bin/true", "%.3f ms" % true_ms))
rows.append(("one file per process", "ecrlint", "%.3f ms" % ecr_ms))
peer_ms = {}
if NODE:
    peer_ms["ajv (node)"] = per_process_ms([NODE, os.path.join(PEERS, "ajv_check.js"), small], 3 if SMOKE else 20)
if BOTO:
    peer_ms["botocore"] = per_process_ms(["/usr/bin/python3", os.path.join(PEERS, "botocore_check.py"), small], 3 if SMOKE else 20)
for k, v in peer_ms.items():
    rows.append(("one file per process", k, "%.1f ms" % v))
ratios.append(("G1 ecrlint / /bin/true per process", ecr_ms / true_ms, "<= 1.3"))
if peer_ms:
    ratios.append(("G1 fastest peer / ecrlint per process", min(peer_ms.values()) / ecr_ms, ">= 100"))

# G2: all request files in one process
N = len(FILES)
t_parse = wall([PARSE] + FILES)
t_ecr1 = wall(ecr + [REQ])
t_ecr2 = wall(ecr + ["-j", "2", REQ])
rows.append(("%d files, one process" % N, "jansson parse only", "%.0f files/s" % (N / t_parse)))
rows.append(("%d files, one process" % N, "ecrlint", "%.0f files/s" % (N / t_ecr1)))
rows.append(("%d files, one process" % N, "ecrlint -j 2", "%.0f files/s" % (N / t_ecr2)))
ratios.append(("G2 ecrlint / jansson parse-only, one thread", t_parse / t_ecr1, ">= 0.8"))
if NODE:
    t_ajv = wall([NODE, os.path.join(PEERS, "ajv_check.js"), "--list", listfile])
    rows.append(("%d files, one process" % N, "ajv (node, library)", "%.0f files/s" % (N / t_ajv)))
    ratios.append(("G2 ecrlint -j 2 / ajv library", t_ajv / t_ecr2, ">= 2"))
if BOTO:
    t_boto = wall(["/usr/bin/python3", os.path.join(PEERS, "botocore_check.py"), "--list", listfile], 1)
    rows.append(("%d files, one process" % N, "botocore ParamValidator", "%.0f files/s" % (N / t_boto)))

# G3: large inputs
for name, ecr_args, parse_args in [
        ("DescribeImages response", [os.path.join(LARGE, "describe-images-response.json")],
         [os.path.join(LARGE, "describe-images-response.json")]),
        ("JSON Lines requests", ["--jsonl", os.path.join(LARGE, "requests.jsonl")],
         ["--lines", os.path.join(LARGE, "requests.jsonl")]),
        ("OCI index manifest", [os.path.join(LARGE, "index.json")], [os.path.join(LARGE, "index.json")])]:
    size = mb(ecr_args[-1])
    tp = wall([PARSE] + parse_args)
    te = wall(ecr + ecr_args)
    rows.append(("%s (%.1f MB)" % (name, size), "jansson parse only", "%.1f MB/s" % (size / tp)))
    rows.append(("%s (%.1f MB)" % (name, size), "ecrlint", "%.1f MB/s" % (size / te)))
    ratios.append(("G3 ecrlint / jansson parse-only MB/s, %s" % name, tp / te, ">= 0.9"))

# G4: memory
few = FILES[: max(1, N // 10)]
rss_few = peak_kib(ecr + few)
rss_all = peak_kib(ecr + [REQ])
rss_parse_big = peak_kib([PARSE, os.path.join(LARGE, "describe-images-response.json")])
rss_ecr_big = peak_kib(ecr + [os.path.join(LARGE, "describe-images-response.json")])
rows.append(("peak RSS", "ecrlint, %d files" % len(few), "%.1f MiB" % (rss_few / 1024)))
rows.append(("peak RSS", "ecrlint, %d files" % N, "%.1f MiB" % (rss_all / 1024)))
rows.append(("peak RSS", "jansson, largest file", "%.1f MiB" % (rss_parse_big / 1024)))
rows.append(("peak RSS", "ecrlint, largest file", "%.1f MiB" % (rss_ecr_big / 1024)))
ratios.append(("G4 ecrlint peak RSS for %d files (MiB)" % N, rss_all / 1024, "< 10"))
ratios.append(("G4 ecrlint / jansson peak RSS, largest file", rss_ecr_big / rss_parse_big, "small multiple"))

# G5: accuracy against the corpus's expected verdicts
expected = {r["file"]: r for r in csv.DictReader(open(os.path.join(CORPUS, "expected.tsv")), delimiter="\t")}
rep = json.loads(subprocess.run([ECR, "--no-config", "-f", "json", REQ], stdout=subprocess.PIPE).stdout)
wrong = 0
false_alarms = 0
for f in rep["files"]:
    e = expected[os.path.basename(f["path"])]
    got = (f["ecr"]["exception"] or {}).get("code") or (f["ecr"]["failures"][0]["failureCode"] if f["ecr"]["failures"] else "")
    if got != e["code"] or f["operation"] != e["operation"]:
        wrong += 1
        false_alarms += e["verdict"] == "valid"
acc = 100.0 * (N - wrong) / N
rows.append(("accuracy (%d files)" % N, "ecrlint", "%.2f%%, %d false alarms" % (acc, false_alarms)))
for peer, cmd in (("ajv", [NODE, os.path.join(PEERS, "ajv_check.js")] if NODE else None),
                  ("botocore", ["/usr/bin/python3", os.path.join(PEERS, "botocore_check.py")] if BOTO else None)):
    if not cmd:
        continue
    out = subprocess.run(cmd + ["--verdicts", "--list", listfile], stdout=subprocess.PIPE, text=True).stdout
    v = dict(l.split("\t") for l in out.splitlines() if "\t" in l)
    ok = sum(1 for k, e in expected.items() if v.get(k) == e["verdict"])
    missed = sum(1 for k, e in expected.items() if e["verdict"] == "invalid" and v.get(k) == "valid")
    rows.append(("accuracy (%d files)" % N, peer, "%.2f%% (verdict only), misses %d invalid" % (100.0 * ok / N, missed)))
ratios.append(("G5 ecrlint accuracy (%)", acc, "100"))

import platform
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
print("ecrlint benchmark%s: %s, %d cores, %s, %s" % (" (smoke)" if SMOKE else "", cpu, os.cpu_count(),
      platform.platform(), time.strftime("%Y-%m-%d")))
print()
print("| measurement | what | result |")
print("|---|---|---|")
for r in rows:
    print("| %s | %s | %s |" % r)
print()
print("| goal | measured | target |")
print("|---|---|---|")
for name, v, target in ratios:
    print("| %s | %.2f | %s |" % (name, v, target))
if problems:
    print("\nproblems:", "; ".join(sorted(set(problems))))
if acc < 100.0 or problems:
    sys.exit(1)
