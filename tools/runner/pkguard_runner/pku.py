"""Whether this machine runs programs under protection keys (PKU).

The deciding test is the one the guest agent reports in its READY frame
(probe_pku in guest/agent.c): the kernel hands out a protection key, which is
freed again at once. The kernel does so only when the CPU has PKU and the
kernel was built and booted with protection keys, so one system call answers
for both. The host reads the CPU's flag first as well, which the call would
imply anyway; it costs nothing and spares a CPU without PKU the call.

There are two copies because they run in different places: this one decides
on the host whether pkguard-run can run a program natively; the agent's runs
inside the emulated machine, a static C program in an initramfs with no
Python. Keep the two in step.
"""

import ctypes
import functools
import platform

# x86-64 system call numbers; the probe only asks them of an x86-64 kernel.
SYS_PKEY_ALLOC = 330
SYS_PKEY_FREE = 331


def cpu_advertises_pku(cpuinfo="/proc/cpuinfo"):
    """True when the 'flags' line of cpuinfo lists pku."""
    try:
        with open(cpuinfo) as f:
            flags = next((line.split(":", 1)[1].split() for line in f
                          if line.startswith("flags")), [])
    except OSError:
        return False
    return "pku" in flags


def kernel_hands_out_keys():
    """True when pkey_alloc succeeds, which takes both a PKU CPU and a kernel
    built and booted with protection keys; the key is freed again."""
    libc = ctypes.CDLL(None, use_errno=True)
    key = libc.syscall(SYS_PKEY_ALLOC, 0, 0)
    if key < 0:
        return False
    libc.syscall(SYS_PKEY_FREE, key)
    return True


@functools.lru_cache(maxsize=None)
def host_has_pku():
    """True when this CPU advertises PKU and the kernel hands out keys.

    The answer cannot change while pkguard-run runs, so it is asked once."""
    return (platform.machine() == "x86_64" and cpu_advertises_pku()
            and kernel_hands_out_keys())
