#!/usr/bin/env python3
"""Writes the image layouts and archives in this folder: the examples of the ECR8xxx rules
(rules/image.json), one mistake each, and the clean ones they are compared with.

    python3 testdata/images/make.py

Deterministic (gzip and tar headers carry no time), standard library only. The layouts are
written by hand here; the real tools (umoci, skopeo) make their own at test time
(tests/tools/image_test.sh)."""
import gzip
import hashlib
import io
import json
import os
import shutil
import tarfile

HERE = os.path.dirname(os.path.abspath(__file__))
OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
OCI_INDEX = "application/vnd.oci.image.index.v1+json"
OCI_CONFIG = "application/vnd.oci.image.config.v1+json"
GZIP_LAYER = "application/vnd.oci.image.layer.v1.tar+gzip"


def dumps(obj):
    return json.dumps(obj, separators=(",", ":")).encode()


def layer_tar(name, content):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as t:
        info = tarfile.TarInfo(name)
        info.size = len(content)
        info.mtime = 0
        t.addfile(info, io.BytesIO(content))
    return buf.getvalue()


def gz(data):
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb", mtime=0) as g:
        g.write(data)
    return out.getvalue()


def sha(data):
    return "sha256:" + hashlib.sha256(data).hexdigest()


class Layout:
    """A layout in memory: blobs by digest, and index.json's entries."""

    def __init__(self):
        self.blobs = {}
        self.index = []
        self.extra = {}  # path -> bytes or ("symlink", target)
        self.oci_layout = dumps({"imageLayoutVersion": "1.0.0"})
        self.index_doc = None

    def blob(self, data):
        d = sha(data)
        self.blobs[d] = data
        return {"digest": d, "size": len(data)}

    def image(self, files=(("hello.txt", b"hello\n"),), arch="amd64", config_edit=None,
              layer_mt=GZIP_LAYER, layers=None, manifest_edit=None):
        descs, diffs = [], []
        for name, content in files:
            raw = layer_tar(name, content)
            comp = gz(raw)
            descs.append(dict(mediaType=layer_mt, **self.blob(comp)))
            diffs.append(sha(raw))
        if layers is not None:
            descs, diffs = layers(descs, diffs)
        config = {"architecture": arch, "os": "linux", "config": {},
                  "rootfs": {"type": "layers", "diff_ids": diffs},
                  "history": [{"created_by": "layer %d" % i} for i in range(len(descs))]}
        if config_edit:
            config_edit(config)
        cdesc = dict(mediaType=OCI_CONFIG, **self.blob(dumps(config)))
        manifest = {"schemaVersion": 2, "mediaType": OCI_MANIFEST, "config": cdesc,
                    "layers": descs}
        if manifest_edit:
            manifest_edit(manifest)
        return dict(mediaType=OCI_MANIFEST, **self.blob(dumps(manifest)))

    def tag(self, desc, tag, platform=None):
        d = dict(desc)
        d["annotations"] = {"org.opencontainers.image.ref.name": tag}
        if platform:
            d["platform"] = platform
        self.index.append(d)
        return d

    def files(self):
        out = {"oci-layout": self.oci_layout}
        idx = self.index_doc if self.index_doc is not None else {"schemaVersion": 2, "mediaType": OCI_INDEX, "manifests": self.index}
        if idx is not False:
            out["index.json"] = dumps(idx)
        for d, data in self.blobs.items():
            alg, hexa = d.split(":")
            out["blobs/%s/%s" % (alg, hexa)] = data
        out.update(self.extra)
        return out

    def write(self, name):
        root = os.path.join(HERE, name)
        shutil.rmtree(root, ignore_errors=True)
        os.makedirs(root)
        for path, data in sorted(self.files().items()):
            full = os.path.join(root, path)
            os.makedirs(os.path.dirname(full), exist_ok=True)
            if data is None:
                continue
            if isinstance(data, tuple):
                os.symlink(data[1], full)
            else:
                with open(full, "wb") as f:
                    f.write(data)

    def tar(self, name, edit=None):
        files = self.files()
        if edit:
            files = edit(files)
        write_tar(name, files)


def write_tar(name, files, truncate=None):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.USTAR_FORMAT) as t:
        for path, data in files:
            info = tarfile.TarInfo(path)
            info.mtime = 0
            info.size = len(data)
            t.addfile(info, io.BytesIO(data))
    data = buf.getvalue()
    if truncate:
        data = data[:truncate]
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)


def good():
    lay = Layout()
    lay.tag(lay.image(), "1.0", {"architecture": "amd64", "os": "linux"})
    return lay


def with_image(**kw):
    lay = Layout()
    lay.tag(lay.image(**kw), "1.0", {"architecture": "amd64", "os": "linux"})
    return lay


def docker_archive(name, diff_edit=None, manifest=None):
    raw = layer_tar("hello.txt", b"hello\n")
    diff = sha(raw)
    if diff_edit:
        diff = diff_edit(diff)
    config = dumps({"architecture": "amd64", "os": "linux", "config": {},
                    "rootfs": {"type": "layers", "diff_ids": [diff]},
                    "history": [{"created_by": "layer 0"}]})
    chex = hashlib.sha256(config).hexdigest()
    lhex = hashlib.sha256(raw).hexdigest()
    m = manifest if manifest is not None else [{"Config": chex + ".json", "RepoTags": ["web:1.0"], "Layers": [lhex + "/layer.tar"]}]
    write_tar(name, [("manifest.json", dumps(m)), (chex + ".json", config), (lhex + "/layer.tar", raw)])


def main():
    good().write("good")
    good().tar("good-oci.tar", lambda f: sorted(f.items()))
    docker_archive("good-docker.tar")

    lay = good()
    lay.oci_layout = dumps({})
    lay.write("ECR8001")

    lay = good()
    lay.index_doc = False
    lay.write("ECR8002")

    lay = good()
    lay.index.append({"mediaType": OCI_MANIFEST, "digest": "nope", "size": 1})
    lay.write("ECR8003")

    lay = good()
    lay.tag({"mediaType": OCI_MANIFEST, "digest": sha(b"absent"), "size": 6}, "2.0")
    lay.write("ECR8004")

    lay = good()
    lay.index[0]["size"] += 1
    lay.write("ECR8005")

    lay = good()
    layer = [d for d, b in lay.blobs.items() if b[:2] == b"\x1f\x8b"][0]
    lay.blobs[layer] = lay.blobs[layer][:-1] + bytes([lay.blobs[layer][-1] ^ 1])
    lay.write("ECR8006")

    lay = good()
    lay.extra["blobs/sha256/" + layer.split(":")[1]] = ("symlink", "/etc/hostname")
    lay.write("ECR8007")

    lay = with_image(layer_mt="application/vnd.oci.image.layer.v1.tar+zstd")
    lay.write("ECR8008")

    lay = good()
    lay.blob(b"not referenced\n")
    lay.write("ECR8009")

    lay = good()
    desc = lay.index[0]
    for _ in range(9):
        inner = dict(desc)
        inner.pop("annotations", None)
        desc = dict(mediaType=OCI_INDEX, **lay.blob(dumps({"schemaVersion": 2, "mediaType": OCI_INDEX, "manifests": [inner]})))
    lay.index = []
    lay.tag(desc, "1.0")
    lay.write("ECR8010")

    def edit_os(c):
        del c["os"]
    with_image(config_edit=edit_os).write("ECR8020")

    def edit_rootfs(c):
        c["rootfs"]["type"] = "tarballs"
    with_image(config_edit=edit_rootfs).write("ECR8021")

    def edit_diffs(c):
        c["rootfs"]["diff_ids"].append(c["rootfs"]["diff_ids"][0])
        c["history"].append({"created_by": "nothing", "empty_layer": True})
    with_image(config_edit=edit_diffs).write("ECR8022")

    def edit_history(c):
        c["history"].append({"created_by": "another"})
    with_image(config_edit=edit_history).write("ECR8023")

    lay = Layout()
    lay.tag(lay.image(), "1.0", {"architecture": "arm64", "os": "linux"})
    lay.write("ECR8024")

    docker_archive("ECR8025.tar", diff_edit=lambda d: sha(b"another layer"))

    def huge(descs, diffs):
        descs[0]["size"] = 52000 * 1024 * 1024 + 1
        return descs, diffs
    with_image(layers=huge).write("ECR8040")

    def many(descs, diffs):
        return descs * 4201, diffs * 4201
    with_image(layers=many).write("ECR8041")

    lay = Layout()
    img = lay.image()
    for i in range(1001):
        lay.tag(img, "t%d" % i, {"architecture": "amd64", "os": "linux"})
    lay.write("ECR8042")

    lay = good()
    lay.tag(lay.image(files=(("other.txt", b"other\n"),)), "1.0", {"architecture": "amd64", "os": "linux"})
    lay.write("ECR8043")

    # a referrer (an SBOM, OCI 1.1) beside its subject, and one whose subject is elsewhere
    def referrer(lay, subject):
        empty = dict(mediaType="application/vnd.oci.empty.v1+json", **lay.blob(b"{}"))
        sbom = dict(mediaType="application/spdx+json", **lay.blob(dumps({"spdxVersion": "SPDX-2.3"})))
        m = {"schemaVersion": 2, "mediaType": OCI_MANIFEST, "artifactType": "application/spdx+json",
             "config": empty, "layers": [sbom], "subject": subject}
        return dict(mediaType=OCI_MANIFEST, **lay.blob(dumps(m)))
    lay = good()
    lay.tag(referrer(lay, {k: lay.index[0][k] for k in ("mediaType", "digest", "size")}), "1.0-sbom")
    lay.write("referrer")
    lay = good()
    lay.tag(referrer(lay, dict(mediaType=OCI_MANIFEST, digest=sha(b"elsewhere"), size=9)), "1.0-sbom")
    lay.write("ECR8044")

    files = sorted(good().files().items())
    write_tar("ECR8012.tar", files, truncate=1536)
    write_tar("ECR8013.tar", files + [("../escape.txt", b"outside\n")])
    docker_archive("ECR8014.tar", manifest={"Config": "x.json"})

    lay = good()
    layer = [d for d, b in lay.blobs.items() if b[:2] == b"\x1f\x8b"][0]
    data = lay.blobs[layer]
    # a gzip stream cut short, under the name of its digest: its descriptor says so
    cut = data[: len(data) - 12]
    lay2 = Layout()

    def truncated(descs, diffs):
        lay2.blobs.pop(descs[0]["digest"])
        return [dict(mediaType=GZIP_LAYER, **lay2.blob(cut))], diffs
    lay2.tag(lay2.image(layers=truncated), "1.0", {"architecture": "amd64", "os": "linux"})
    lay2.write("ECR8026")

    lay3 = Layout()

    def blake3(descs, diffs):
        data = lay3.blobs.pop(descs[0]["digest"])
        fake = "blake3:" + hashlib.sha256(b"blake3 stand-in").hexdigest()
        lay3.extra["blobs/blake3/" + fake.split(":")[1]] = data
        return [dict(mediaType=GZIP_LAYER, digest=fake, size=len(data))], diffs
    lay3.tag(lay3.image(layers=blake3), "1.0", {"architecture": "amd64", "os": "linux"})
    lay3.write("ECR8011")


if __name__ == "__main__":
    main()
