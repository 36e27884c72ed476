#!/usr/bin/env python3
"""image_test.py ECRLINT - image layouts and archives made by the real tools, checked whole.

umoci (init, new, insert, gc) makes a layout; skopeo copies it to its own layout, an OCI archive
and a docker-archive. Each must be checked clean: no error, no finding of the image rules
(ECR8xxx), every image accepted, with and without --verify-layers. Then one defect at a time is
injected into a copy of the layout (a flipped byte in a layer, a missing config, a wrong size, a
wrong diff_id, a dangling index entry, a symbolic link out of the layout, a `..` entry in an
archive), and each must be reported exactly once, by its rule, at its place, while the other
findings stay those of the clean layout. Skipped (exit 77) with a message when umoci or skopeo
is missing (Debian: apt-get install umoci skopeo)."""
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile

ECRLINT = os.path.abspath(sys.argv[1])
failures = []


def run(*args, check=True):
    p = subprocess.run(args, capture_output=True, text=True)
    if check and p.returncode != 0:
        sys.exit("FAILED: %s: exit %d: %s" % (" ".join(args), p.returncode, p.stderr))
    return p


def ecrlint(path, *extra):
    p = run(ECRLINT, "--no-config", "-j", "2", "--format", "json", *extra, path, check=False)
    if p.returncode not in (0, 1):
        sys.exit("FAILED: ecrlint %s: exit %d: %s" % (path, p.returncode, p.stderr))
    return p.returncode, json.loads(p.stdout)


def findings(doc):
    return [(d["rule"], f["path"], d["severity"]) for f in doc["files"] for d in f["diagnostics"]]


def expect(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


def check_clean(path, what, *extra):
    rc, doc = ecrlint(path, *extra)
    found = findings(doc)
    images = [f["image"] for f in doc["files"] if f["kind"] == "image"]
    expect(rc == 0 and not [x for x in found if x[0].startswith("ECR8") or x[2] == "error"],
           "%s is clean: %s" % (what, [x for x in found if x[2] != "warning"] or "no error"))
    expect(images and images[0]["images"] and all(i["accepted"] for i in images[0]["images"]),
           "%s: every image accepted: %s" % (what, [i["summary"] for i in images[0]["images"]] if images else None))
    return found


def sha(data):
    return "sha256:" + hashlib.sha256(data).hexdigest()


def blob_path(layout, digest):
    return os.path.join(layout, "blobs", *digest.split(":"))


def read_json(path):
    with open(path, "rb") as f:
        return json.loads(f.read())


def write_blob(layout, obj):
    data = json.dumps(obj, separators=(",", ":")).encode()
    d = sha(data)
    with open(blob_path(layout, d), "wb") as f:
        f.write(data)
    return d, len(data)


def layout_parts(layout):
    index = read_json(os.path.join(layout, "index.json"))
    mdesc = index["manifests"][0]
    manifest = read_json(blob_path(layout, mdesc["digest"]))
    return index, mdesc, manifest


def main():
    for tool in ("umoci", "skopeo"):
        if not shutil.which(tool):
            print("SKIPPED: %s not found (apt-get install umoci skopeo)" % tool)
            return 77
    work = tempfile.mkdtemp(prefix="ecrlint-image.")
    try:
        return test(work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def test(work):
    os.chdir(work)
    L = "L"
    run("umoci", "init", "--layout", L)
    run("umoci", "new", "--image", L + ":app")
    for i, text in enumerate((b"first layer\n", os.urandom(200000))):
        name = "f%d" % i
        with open(name, "wb") as f:
            f.write(text)
        run("umoci", "insert", "--image", L + ":app", name, "/" + name)
    run("umoci", "gc", "--layout", L)

    clean = check_clean(L, "umoci layout")
    check_clean(L, "umoci layout --verify-layers", "--verify-layers")
    run("skopeo", "copy", "-q", "oci:%s:app" % L, "oci:S:app")
    check_clean("S", "skopeo layout", "--verify-layers")
    run("skopeo", "copy", "-q", "oci:%s:app" % L, "oci-archive:A.tar:app")
    check_clean("A.tar", "skopeo oci-archive", "--verify-layers")
    run("skopeo", "copy", "-q", "oci:%s:app" % L, "docker-archive:D.tar:web:1.0")
    check_clean("D.tar", "skopeo docker-archive", "--verify-layers")
    # archives compressed as a whole (image.tar.gz), read through libarchive's filters, streaming
    for tool, ext in (("gzip", "gz"), ("zstd", "zst")):
        if not shutil.which(tool):
            print("skip %s archives: %s not installed" % (ext, tool))
            continue
        for tar in ("A.tar", "D.tar"):
            with open("%s.%s" % (tar, ext), "wb") as out:
                subprocess.run([tool, "-c", tar], stdout=out, check=True)
            check_clean("%s.%s" % (tar, ext), "%s compressed with %s" % (tar, tool), "--verify-layers")
    if shutil.which("gzip"):
        whole = open("A.tar.gz", "rb").read()
        with open("T.tar.gz", "wb") as f:
            f.write(whole[:len(whole) // 2])
        rc, doc = ecrlint("T.tar.gz")
        mine = [x[:2] for x in findings(doc) if x[0] == "ECR8012"]
        expect(rc == 1 and len(mine) == 1 and mine[0][1].startswith("T.tar.gz"),
               "a .tar.gz cut in half: its end is missed, said once (found %s)" % mine)
    # a referrer (an SBOM, OCI 1.1) added to the umoci layout, copied by skopeo with it: ECR's
    # answer for its push, the subject named; then one whose subject is not there, said once
    R = "R"
    shutil.rmtree(R, ignore_errors=True)
    shutil.copytree(L, R, symlinks=True)
    index, mdesc, _ = layout_parts(R)
    empty = write_blob(R, {})
    sbom = write_blob(R, {"spdxVersion": "SPDX-2.3", "name": "app"})

    def add_referrer(subject, tag):
        m = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
             "artifactType": "application/spdx+json",
             "config": {"mediaType": "application/vnd.oci.empty.v1+json", "digest": empty[0], "size": empty[1]},
             "layers": [{"mediaType": "application/spdx+json", "digest": sbom[0], "size": sbom[1]}],
             "subject": subject}
        d, n = write_blob(R, m)
        index["manifests"].append({"mediaType": m["mediaType"], "digest": d, "size": n,
                                   "annotations": {"org.opencontainers.image.ref.name": tag}})
        with open(os.path.join(R, "index.json"), "w") as f:
            json.dump(index, f)

    add_referrer({k: mdesc[k] for k in ("mediaType", "digest", "size")}, "app-sbom")
    # skopeo copies the referrer alone: its subject is then not in the copy
    run("skopeo", "copy", "-q", "oci:%s:app-sbom" % R, "oci:RS:app-sbom")
    for where, alone in ((R, 0), ("RS", 1)):
        rc, doc = ecrlint(where)
        images = [i for f in doc["files"] if f["kind"] == "image" for i in f["image"]["images"]]
        ref = [i for i in images if i.get("subject")]
        expect(rc == 0 and len(ref) == 1 and ref[0]["subject"] == mdesc["digest"] and ref[0]["accepted"]
               and "referrer of " + mdesc["digest"][:19] in ref[0]["summary"]
               and len([x for x in findings(doc) if x[0] == "ECR8044"]) == alone,
               "%s: a referrer, %s: %s" % (where, "its subject not copied with it (said once)" if alone
                                           else "beside its subject", [i["summary"] for i in ref]))
    add_referrer({"mediaType": mdesc["mediaType"], "digest": sha(b"elsewhere"), "size": 9}, "app-sig")
    rc, doc = ecrlint(R)
    mine = [x[:2] for x in findings(doc) if x[0] == "ECR8044"]
    expect(len(mine) == 1 and mine[0][1].startswith(R + "/blobs/sha256/"),
           "a referrer whose subject is not in the layout: said once (found %s)" % mine)

    _, doc = ecrlint("D.tar", "--repository", "Not A Name")
    expect(any(x[0].startswith("ECR1") and x[1] == "D.tar" for x in findings(doc)),
           "--repository is checked as PutImage's repositoryName")

    clean_rules = sorted(x[0] for x in clean)

    def defect(what, make, rule, place, *extra):
        """A copy of L with one defect (make returns its place), checked."""
        D = "defect"
        shutil.rmtree(D, ignore_errors=True)
        shutil.copytree(L, D, symlinks=True)
        index, mdesc, manifest = layout_parts(D)
        where = make(D, index, mdesc, manifest)
        rc, doc = ecrlint(D, *extra)
        found = findings(doc)
        mine = [x for x in found if x[0].startswith("ECR8")]
        want = (rule, os.path.join(D, where) if where else D)
        expect([x[:2] for x in mine] == [want],
               "%s: reported once, as %s at %s (found %s)" % (what, rule, want[1], [x[:2] for x in mine]))
        others = sorted(x[0] for x in found if not x[0].startswith("ECR8"))
        expect(others == clean_rules, "%s: the other findings are the clean layout's" % what)
        expect(rc == 1, "%s: exit 1" % what)
        return D

    def flip(D, index, mdesc, manifest):
        layer = manifest["layers"][-1]["digest"]
        p = blob_path(D, layer)
        with open(p, "r+b") as f:
            f.seek(1000)
            b = f.read(1)
            f.seek(1000)
            f.write(bytes([b[0] ^ 0x20]))
        return "blobs/sha256/" + layer.split(":")[1]

    defect("a flipped byte in a layer", flip, "ECR8006",
           "blobs/sha256/" + layout_parts(L)[2]["layers"][-1]["digest"].split(":")[1])

    def missing_config(D, index, mdesc, manifest):
        os.unlink(blob_path(D, manifest["config"]["digest"]))
        return "blobs/sha256/" + mdesc["digest"].split(":")[1]

    defect("a missing config", missing_config, "ECR8004",
           "blobs/sha256/" + layout_parts(L)[1]["digest"].split(":")[1])

    def wrong_size(D, index, mdesc, manifest):
        index["manifests"][0]["size"] += 7
        with open(os.path.join(D, "index.json"), "w") as f:
            json.dump(index, f)
        return "blobs/sha256/" + mdesc["digest"].split(":")[1]

    defect("a wrong size", wrong_size, "ECR8005",
           "blobs/sha256/" + layout_parts(L)[1]["digest"].split(":")[1])

    new_config = {}

    def wrong_diff_id(D, index, mdesc, manifest):
        cdesc = manifest["config"]
        config = read_json(blob_path(D, cdesc["digest"]))
        config["rootfs"]["diff_ids"][0] = sha(b"not this layer")
        os.unlink(blob_path(D, cdesc["digest"]))
        cd, cs = write_blob(D, config)
        manifest["config"]["digest"], manifest["config"]["size"] = cd, cs
        os.unlink(blob_path(D, mdesc["digest"]))
        md, ms = write_blob(D, manifest)
        index["manifests"][0]["digest"], index["manifests"][0]["size"] = md, ms
        with open(os.path.join(D, "index.json"), "w") as f:
            json.dump(index, f)
        new_config["place"] = "blobs/sha256/" + cd.split(":")[1]
        return new_config["place"]

    # the place depends on the rewritten config: computed by the defect itself
    D = "defect"
    shutil.rmtree(D, ignore_errors=True)
    shutil.copytree(L, D, symlinks=True)
    index, mdesc, manifest = layout_parts(D)
    place = wrong_diff_id(D, index, mdesc, manifest)
    rc, doc = ecrlint(D, "--verify-layers")
    mine = [x[:2] for x in findings(doc) if x[0].startswith("ECR8")]
    expect(mine == [("ECR8025", os.path.join(D, place))],
           "a wrong diff_id (--verify-layers): reported once at the config (found %s)" % mine)
    rc, doc = ecrlint(D)
    expect(not [x for x in findings(doc) if x[0].startswith("ECR8")],
           "a wrong diff_id is not looked for without --verify-layers")

    def dangling(D, index, mdesc, manifest):
        index["manifests"].append({"mediaType": "application/vnd.oci.image.manifest.v1+json",
                                   "digest": sha(b"nowhere"), "size": 7})
        with open(os.path.join(D, "index.json"), "w") as f:
            json.dump(index, f)
        return "index.json"

    defect("a dangling index entry", dangling, "ECR8004", "index.json")

    def symlink(D, index, mdesc, manifest):
        layer = manifest["layers"][0]["digest"]
        os.unlink(blob_path(D, layer))
        os.symlink("/etc/passwd", blob_path(D, layer))
        return "blobs/sha256/" + layer.split(":")[1]

    D = defect("a symbolic link out of the layout", symlink, "ECR8007",
               "blobs/sha256/" + layout_parts(L)[2]["layers"][0]["digest"].split(":")[1])
    # the place is named in every format
    layer = layout_parts(L)[2]["layers"][0]["digest"].split(":")[1]
    for fmt in ("text", "gcc", "sarif", "github", "junit"):
        out = run(ECRLINT, "--no-config", "--format", fmt, D, check=False).stdout
        expect(("defect/blobs/sha256/" + layer) in out, "the place is named in the %s format" % fmt)

    # an archive entry that would leave the archive
    with tarfile.open("A.tar") as src, tarfile.open("E.tar", "w", format=tarfile.USTAR_FORMAT) as dst:
        for m in src.getmembers():
            dst.addfile(m, src.extractfile(m) if m.isfile() else None)
        evil = tarfile.TarInfo("../../outside.txt")
        evil.size = 4
        dst.addfile(evil, io.BytesIO(b"evil"))
    rc, doc = ecrlint("E.tar")
    mine = [x[:2] for x in findings(doc) if x[0].startswith("ECR8")]
    expect(mine == [("ECR8013", "E.tar")], "a '..' entry in an archive: reported once (found %s)" % mine)
    expect(not os.path.exists(os.path.join(work_parent(), "outside.txt")), "nothing was written outside")

    if failures:
        print("%d failures" % len(failures))
        return 1
    print("all image checks passed")
    return 0


def work_parent():
    return os.path.dirname(os.getcwd())


if __name__ == "__main__":
    sys.exit(main())
