#!/usr/bin/env python3
"""Builds a `docker save` image tarball of at least 300 MB from this machine's real files, for
bench/image.sh. Three layers, uncompressed as `docker save` writes them:
  1. base: the dpkg database, os-release, shared libraries, Python's dist-packages, Java jars
  2. runtime: gcc's libraries and the Go programs in /usr/local/bin
  3. app: a node_modules tree, a whiteout of one program and an opaque /usr/lib/gcc
Usage: image.py OUT.tar NODE_MODULES_DIR"""

import io
import json
import os
import sys
import tarfile
import tempfile

MB = 1 << 20


def add_tree(tar, root, arcroot, budget):
    """Adds regular files under root (sorted, no symlinks followed) up to budget bytes."""
    used = 0
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(filenames):
            path = os.path.join(dirpath, name)
            if os.path.islink(path) or not os.path.isfile(path):
                continue
            size = os.path.getsize(path)
            if used + size > budget:
                return used
            arcname = os.path.join(arcroot, os.path.relpath(path, root)).lstrip("/")
            try:
                tar.add(path, arcname=arcname, recursive=False)
            except OSError:
                continue
            used += size
    return used


def add_bytes(tar, name, data, mode=0o644):
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = mode
    tar.addfile(info, io.BytesIO(data))


def add_symlink(tar, name, target):
    info = tarfile.TarInfo(name)
    info.type = tarfile.SYMTYPE
    info.linkname = target
    tar.addfile(info)


def main():
    out, node_modules = sys.argv[1], sys.argv[2]
    work = tempfile.mkdtemp(dir=os.path.dirname(out))
    layers = []

    path = os.path.join(work, "1.tar")
    with tarfile.open(path, "w", format=tarfile.PAX_FORMAT) as tar:
        tar.add("/var/lib/dpkg/status", arcname="var/lib/dpkg/status")
        tar.add("/usr/lib/os-release", arcname="usr/lib/os-release")
        add_symlink(tar, "etc/os-release", "../usr/lib/os-release")
        add_tree(tar, "/usr/lib/x86_64-linux-gnu", "usr/lib/x86_64-linux-gnu", 200 * MB)
        add_tree(tar, "/usr/lib/python3/dist-packages", "usr/lib/python3/dist-packages", 60 * MB)
        add_tree(tar, "/usr/share/java", "usr/share/java", 20 * MB)
    layers.append(path)

    path = os.path.join(work, "2.tar")
    with tarfile.open(path, "w", format=tarfile.PAX_FORMAT) as tar:
        add_tree(tar, "/usr/lib/gcc", "usr/lib/gcc", 120 * MB)
        for program in ("terraform", "docker"):
            if os.path.isfile("/usr/local/bin/" + program):
                tar.add("/usr/local/bin/" + program, arcname="usr/local/bin/" + program)
    layers.append(path)

    path = os.path.join(work, "3.tar")
    with tarfile.open(path, "w", format=tarfile.PAX_FORMAT) as tar:
        if os.path.isdir(node_modules):
            add_tree(tar, node_modules, "srv/app/node_modules", 120 * MB)
        add_bytes(tar, "usr/local/bin/.wh.docker", b"")
        add_bytes(tar, "usr/lib/gcc/.wh..wh..opq", b"")
    layers.append(path)

    names = []
    with tarfile.open(out + ".part", "w", format=tarfile.PAX_FORMAT) as image:
        for i, layer in enumerate(layers):
            name = "%064x/layer.tar" % (i + 1)
            image.add(layer, arcname=name)
            names.append(name)
            os.remove(layer)
        manifest = [{"Config": "config.json", "RepoTags": ["vigil-bench:1"], "Layers": names}]
        add_bytes(image, "config.json", b'{"architecture":"amd64","os":"linux"}')
        add_bytes(image, "manifest.json", json.dumps(manifest).encode())
    os.rmdir(work)
    os.replace(out + ".part", out)


if __name__ == "__main__":
    main()
