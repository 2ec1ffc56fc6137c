"""Builds the emulated machine's initramfs: busybox, drivers, init, agent."""

import os
import stat

from .elf import module_dependencies

# Drivers for the host channel (virtio-serial) and the host's files (9p).
WANTED_MODULES = ["virtio_pci", "virtio_console", "9pnet_virtio", "9p"]


class Archive:
    """A cpio archive in the 'newc' format the kernel unpacks."""

    def __init__(self):
        self.data = bytearray()
        self.inode = 1

    def _entry(self, name, mode, content=b""):
        name_bytes = name.encode() + b"\0"
        fields = (self.inode, mode, 0, 0, 1, 0, len(content), 0, 0, 0, 0,
                  len(name_bytes), 0)
        self.inode += 1
        self.data += b"070701" + "".join("%08X" % v for v in fields).encode()
        self.data += name_bytes
        self._pad()
        self.data += content
        self._pad()

    def _pad(self):
        self.data += b"\0" * (-len(self.data) % 4)

    def directory(self, name):
        self._entry(name, stat.S_IFDIR | 0o755)

    def file(self, name, content, mode=0o644):
        self._entry(name, stat.S_IFREG | mode, content)

    def symlink(self, name, target):
        self._entry(name, stat.S_IFLNK | 0o777, target.encode())

    def finish(self):
        self._entry("TRAILER!!!", 0)
        return bytes(self.data)


def module_load_order(module_dir):
    """Modules needed for WANTED_MODULES, each after its dependencies."""
    paths = {}
    for root, _, files in os.walk(module_dir):
        for f in files:
            if f.endswith(".ko"):
                paths[f[:-3].replace("-", "_")] = os.path.join(root, f)
    order = []

    def visit(name, chain):
        if name in order:
            return
        if name in chain:
            raise RuntimeError("kernel module dependency cycle at " + name)
        if name not in paths:
            raise FileNotFoundError("kernel module %s not found in %s"
                                    % (name, module_dir))
        for dep in module_dependencies(paths[name]):
            visit(dep.replace("-", "_"), chain + [name])
        order.append(name)

    for name in WANTED_MODULES:
        visit(name, [])
    return [(name, paths[name]) for name in order]


def build(busybox, module_dir, init_script, agent, writable_mounts):
    """writable_mounts: [(9p tag, absolute host path)], mounted in order."""
    archive = Archive()
    for d in ("bin", "dev", "proc", "sys", "host", "etc", "etc/pkguard",
              "lib", "lib/modules"):
        archive.directory(d)
    with open(busybox, "rb") as f:
        archive.file("bin/busybox", f.read(), 0o755)
    with open(agent, "rb") as f:
        archive.file("bin/pkguard-guest-agent", f.read(), 0o755)
    with open(init_script, "rb") as f:
        archive.file("init", f.read(), 0o755)
    modules = module_load_order(module_dir)
    for name, path in modules:
        with open(path, "rb") as f:
            archive.file("lib/modules/%s.ko" % name, f.read())
    archive.file("etc/pkguard/modules",
                 "".join(name + "\n" for name, _ in modules).encode())
    archive.file("etc/pkguard/mounts",
                 "".join("%s %s\n" % m for m in writable_mounts).encode())
    return archive.finish()
