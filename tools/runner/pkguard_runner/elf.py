"""Just enough ELF reading to vet a program and to list kernel module deps."""

import struct

EM_X86_64 = 62
MACHINES = {3: "i386", 8: "MIPS", 20: "PowerPC", 21: "PowerPC64", 22: "s390",
            40: "ARM", 62: "x86-64", 183: "AArch64", 243: "RISC-V"}


class NotRunnable(Exception):
    """A program pkguard-run cannot run; the message says why."""


def check_program(path):
    """Raises NotRunnable unless path is an x86-64 ELF or a #! script."""
    try:
        with open(path, "rb") as f:
            head = f.read(64)
    except IsADirectoryError:
        raise NotRunnable("'%s' is a directory" % path)
    except OSError as e:
        raise NotRunnable("cannot read '%s': %s" % (path, e.strerror))
    if head.startswith(b"#!"):
        return
    if not head.startswith(b"\x7fELF"):
        raise NotRunnable("'%s' is neither an ELF program nor a script" % path)
    if len(head) < 20 or head[4] != 2 or head[5] != 1:
        raise NotRunnable("'%s' is not a 64-bit little-endian ELF file" % path)
    kind, machine = struct.unpack_from("<HH", head, 16)
    if machine != EM_X86_64:
        name = MACHINES.get(machine, "machine %d" % machine)
        raise NotRunnable("'%s' is built for %s, not x86-64" % (path, name))
    if kind not in (2, 3):  # ET_EXEC, ET_DYN
        raise NotRunnable("'%s' is an ELF object, not a program" % path)


def module_dependencies(path):
    """The 'depends=' list of a kernel module's .modinfo section."""
    with open(path, "rb") as f:
        data = f.read()
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 0x3A)
    sections = [struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize)
                for i in range(shnum)]
    names_offset = sections[shstrndx][4]
    for section in sections:
        start = names_offset + section[0]
        name = data[start:data.index(b"\0", start)]
        if name == b".modinfo":
            info = data[section[4]:section[4] + section[5]].split(b"\0")
            for entry in info:
                if entry.startswith(b"depends="):
                    return [d for d in entry[8:].decode().split(",") if d]
    return []
