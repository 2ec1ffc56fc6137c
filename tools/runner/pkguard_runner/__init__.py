"""pkguard-run: run programs under real protection-key semantics.

On a host whose CPU and kernel support protection keys the program runs
natively. Elsewhere it runs inside an emulated x86-64 machine (QEMU's
software emulation implements PKU faithfully) that sees the host's file
system, so paths, shared libraries and the working directory are the same.
"""
