"""The emulated machine's kernel: where pkguard-run takes it from.

An installed pkguard carries no kernel. The first run that needs the
emulated machine fetches Debian's current kernel package (the one
linux-image-amd64 depends on) with 'apt-get download', which needs no root,
unpacks it, and keeps in a per-user cache only what the machine boots: the
kernel image and the drivers its initramfs loads. Nothing is installed on
the host.
"""

import glob
import os
import shutil
import subprocess
import sys
import tempfile

from . import initramfs
from .machine import MachineError

KERNEL_METAPACKAGE = "linux-image-amd64"


def cache_dir():
    """The per-user cache, as the XDG base directory specification puts it."""
    base = (os.environ.get("XDG_CACHE_HOME")
            or os.path.join(os.path.expanduser("~"), ".cache"))
    return os.path.join(base, "pkguard", "vm")


def vm_dir(bundled):
    """$PKGUARD_VM_DIR, else the kernel beside pkguard-run, else the cache."""
    if os.environ.get("PKGUARD_VM_DIR"):
        return os.environ["PKGUARD_VM_DIR"]
    return bundled if os.path.isdir(bundled) else cache_dir()


def has_kernel(folder):
    return bool(glob.glob(os.path.join(folder, "boot", "vmlinuz-*")))


def _run(command, cwd=None):
    done = subprocess.run(command, cwd=cwd, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True)
    if done.returncode != 0:
        raise MachineError(
            "cannot fetch a kernel for the emulated machine: '%s' failed:\n%s"
            "set PKGUARD_VM_DIR to a folder with Debian's kernel package "
            "unpacked instead" % (" ".join(command), done.stdout))
    return done.stdout


def kernel_package():
    """The versioned kernel package that the metapackage depends on."""
    for line in _run(["apt-cache", "depends", KERNEL_METAPACKAGE]).splitlines():
        words = line.split()
        if words[:1] == ["Depends:"] and words[1].startswith("linux-image-"):
            return words[1]
    raise MachineError("cannot fetch a kernel for the emulated machine: "
                       "%s depends on no linux-image package"
                       % KERNEL_METAPACKAGE)


def _keep_bootable_parts(unpacked, kept):
    """Copies the kernel image and the initramfs's drivers, paths kept."""
    images = sorted(glob.glob(os.path.join(unpacked, "boot", "vmlinuz-*")))
    if not images:
        raise MachineError("cannot fetch a kernel for the emulated machine: "
                           "the package holds no boot/vmlinuz-*")
    release = os.path.basename(images[-1])[len("vmlinuz-"):]
    os.makedirs(os.path.join(kept, "boot"))
    shutil.copy(images[-1], os.path.join(kept, "boot"))
    modules = os.path.join("lib", "modules", release)
    for _, path in initramfs.module_load_order(os.path.join(unpacked,
                                                            modules)):
        target = os.path.join(kept, os.path.relpath(path, unpacked))
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.copy(path, target)


def fill(folder):
    """Fetches the kernel into folder unless it holds one already."""
    if has_kernel(folder):
        return
    package = kernel_package()
    print("pkguard-run: the emulated machine needs a Linux kernel; fetching "
          "Debian's %s into %s (once; nothing is installed)"
          % (package, folder), file=sys.stderr, flush=True)
    parent = os.path.dirname(folder)
    os.makedirs(parent, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".fetch-", dir=parent) as work:
        _run(["apt-get", "download", "-qq", package], cwd=work)
        debs = glob.glob(os.path.join(work, "*.deb"))
        if len(debs) != 1:
            raise MachineError("cannot fetch a kernel for the emulated "
                               "machine: apt-get download %s left %d "
                               "packages" % (package, len(debs)))
        unpacked = os.path.join(work, "unpacked")
        _run(["dpkg-deb", "-x", debs[0], unpacked])
        kept = os.path.join(work, "kept")
        _keep_bootable_parts(unpacked, kept)
        try:
            os.rename(kept, folder)
        except OSError:
            # Another pkguard-run filled it first.
            if not has_kernel(folder):
                raise
