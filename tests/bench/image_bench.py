#!/usr/bin/env python3
"""image_bench.py [--smoke] [--size MB] ECRLINT - digest verification of an image layout.

Makes (once, in tests/bench/corpus/image-<MB>, git-ignored) an OCI layout of MB megabytes of
random, uncompressed layers (8 blobs), and one of the same size in a single blob; then times,
with the page cache warm, `sha256sum` over the blobs and `ecrlint` over the layout (which
verifies the digest of every blob, and the rest of the image), both on one core (taskset -c 0,
ecrlint -j 1) and ecrlint with -j (every online CPU). Prints medians and the ratio of speeds
(the goal: ecrlint on one core at least 0.9 times sha256sum's speed), and ecrlint's peak RSS
for 8 blobs and for 1 blob 8 times larger (the goal: flat in blob size).
--smoke: 64 MB and 3 repetitions, for CI: it checks that everything runs, its numbers are noise."""
import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import time

args = sys.argv[1:]
smoke = "--smoke" in args
args = [a for a in args if a != "--smoke"]
size_mb = 64 if smoke else 1024
if "--size" in args:
    i = args.index("--size")
    size_mb = int(args[i + 1])
    del args[i:i + 2]
if len(args) != 1:
    sys.exit("usage: image_bench.py [--smoke] [--size MB] ECRLINT")
ECRLINT = os.path.abspath(args[0])
reps = 3 if smoke else 7
here = os.path.dirname(os.path.abspath(__file__))
corpus = os.environ.get("BENCH_DIR", os.path.join(here, "corpus"))


def make_layout(root, nblobs, blob_bytes):
    if os.path.exists(os.path.join(root, "index.json")):
        return
    shutil.rmtree(root, ignore_errors=True)
    bdir = os.path.join(root, "blobs", "sha256")
    os.makedirs(bdir)

    def put(data):
        d = "sha256:" + hashlib.sha256(data).hexdigest()
        with open(os.path.join(bdir, d[7:]), "wb") as f:
            f.write(data)
        return {"digest": d, "size": len(data)}
    layers = []
    for _ in range(nblobs):
        h = hashlib.sha256()
        tmp = os.path.join(bdir, "tmp")
        with open(tmp, "wb") as f:
            left = blob_bytes
            while left:
                chunk = os.urandom(min(left, 1 << 24))
                h.update(chunk)
                f.write(chunk)
                left -= len(chunk)
        d = "sha256:" + h.hexdigest()
        os.rename(tmp, os.path.join(bdir, d[7:]))
        layers.append({"mediaType": "application/vnd.oci.image.layer.v1.tar", "digest": d, "size": blob_bytes})
    config = {"architecture": "amd64", "os": "linux",
              "rootfs": {"type": "layers", "diff_ids": [l["digest"] for l in layers]}}
    cdesc = dict(mediaType="application/vnd.oci.image.config.v1+json", **put(json.dumps(config).encode()))
    m = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json", "config": cdesc,
         "layers": layers}
    mdesc = dict(mediaType="application/vnd.oci.image.manifest.v1+json", **put(json.dumps(m).encode()),
                 annotations={"org.opencontainers.image.ref.name": "bench"})
    with open(os.path.join(root, "index.json"), "w") as f:
        json.dump({"schemaVersion": 2, "manifests": [mdesc]}, f)
    with open(os.path.join(root, "oci-layout"), "w") as f:
        f.write('{"imageLayoutVersion": "1.0.0"}')


def timed(cmd):
    t = time.perf_counter()
    p = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - t
    if p.returncode != 0:
        sys.exit("FAILED: %s: exit %d: %s" % (" ".join(cmd), p.returncode, p.stderr[:300]))
    return elapsed


def peak_rss(cmd):
    """Peak RSS in MiB as GNU time measures it: wait4's would count the pages of the forked
    Python before the exec. NaN without /usr/bin/time."""
    if not os.path.exists("/usr/bin/time"):
        return float("nan")
    out = os.path.join(corpus, "rss.txt")
    subprocess.run(["/usr/bin/time", "-f", "%M", "-o", out] + cmd, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    with open(out) as f:
        kib = int(f.read().split()[-1])
    os.unlink(out)
    return kib / 1024.0


def median_time(cmd):
    timed(cmd)  # warm the cache
    return statistics.median(timed(cmd) for _ in range(reps))


one_core = ["taskset", "-c", "0"] if shutil.which("taskset") else []
L8 = os.path.join(corpus, "image-%d-8" % size_mb)
L1 = os.path.join(corpus, "image-%d-1" % size_mb)
make_layout(L8, 8, size_mb * 1000000 // 8)
make_layout(L1, 1, size_mb * 1000000)
blobs = sorted(os.path.join(L8, "blobs", "sha256", n) for n in os.listdir(os.path.join(L8, "blobs", "sha256")))
total = sum(os.path.getsize(b) for b in blobs)
ncpu = os.cpu_count() or 1

t_sum = median_time(one_core + ["sha256sum"] + blobs)
t_j1 = median_time(one_core + [ECRLINT, "--no-config", "-q", "-j", "1", L8])
t_jn = median_time([ECRLINT, "--no-config", "-q", "-j", str(ncpu), L8])
rss8 = peak_rss([ECRLINT, "--no-config", "-q", "-j", "1", L8])
rss1 = peak_rss([ECRLINT, "--no-config", "-q", "-j", "1", L1])

print("image layout digest verification, %s UTC" % time.strftime("%Y-%m-%d %H:%M", time.gmtime()))
print("layout: %d blobs (8 layers, a config, a manifest), %.0f MB, and the same in 1 layer; page cache warm; medians of %d runs%s"
      % (len(blobs), total / 1e6, reps, " (smoke: numbers are noise)" if smoke else ""))
print()
print("| tool | cores | seconds | MB/s |")
print("|---|--:|--:|--:|")
print("| sha256sum | 1 | %.3f | %.0f |" % (t_sum, total / 1e6 / t_sum))
print("| ecrlint -j 1 | 1 | %.3f | %.0f |" % (t_j1, total / 1e6 / t_j1))
print("| ecrlint -j %d | %d | %.3f | %.0f |" % (ncpu, ncpu, t_jn, total / 1e6 / t_jn))
print()
ratio = t_sum / t_j1
print("| goal | value | target | met |")
print("|---|--:|---|---|")
print("| ecrlint -j 1 speed / sha256sum speed, one core | %.2f | >= 0.9 | %s |" % (ratio, "yes" if ratio >= 0.9 else "no"))
print("| ecrlint -j %d speed / sha256sum speed (one core) | %.2f | (more cores) | n/a |" % (ncpu, t_sum / t_jn))
print("| peak RSS, 8 blobs of %.0f MB / 1 blob of %.0f MB (MiB) | %.1f / %.1f | flat | %s |"
      % (size_mb / 8, size_mb, rss8, rss1, "yes" if rss1 < rss8 * 1.5 + 4 else "no"))
