"""The emulated machine: QEMU with software emulation, which implements PKU.

One machine serves many programs at once. Each program gets a Session whose
frames the machine routes by session id over the one host channel.
"""

import asyncio
import ctypes
import os
import shutil
import signal
import tempfile

from . import initramfs, protocol

PR_SET_PDEATHSIG = 1


class MachineError(Exception):
    """The emulated machine could not be started or stopped working."""


def outermost_folders(folders):
    """The folders that lie in none of the others, shortest first. A folder
    inside another is writable through the outer one's mount; a mount of its
    own would pin its parents in the guest's dentry cache, where their
    attributes go stale: a parent the host chmods after the machine booted
    would keep denying a non-root program the way in."""
    paths = sorted({os.path.realpath(d) for d in folders}, key=len)
    kept = []
    for path in paths:
        # The set made the paths unique: only a strictly outer one counts.
        if not any(path.startswith(k.rstrip("/") + "/") for k in kept):
            kept.append(path)
    return kept


class MachineConfig:
    def __init__(self, vm_dir, agent, init_script, busybox="/bin/busybox",
                 memory_mb=1024, cpus=2, writable=(), tag=None,
                 boot_timeout=90, secretmem=True):
        self.vm_dir = vm_dir
        self.agent = agent
        self.init_script = init_script
        self.busybox = busybox
        self.memory_mb = memory_mb
        self.cpus = cpus
        self.writable = outermost_folders(writable)
        self.tag = tag or "pkguard-run-%d" % os.getpid()
        self.boot_timeout = boot_timeout
        # Debian 12's kernel offers memfd_secret, which keeps pages out of
        # the kernel's direct map and its remote-access paths, only when
        # booted with secretmem.enable=1.
        self.secretmem = secretmem

    def kernel(self):
        """Returns (vmlinuz, module directory) from vm_dir."""
        boot = os.path.join(self.vm_dir, "boot")
        images = sorted(f for f in os.listdir(boot)
                        if f.startswith("vmlinuz-")) if os.path.isdir(boot) else []
        if not images:
            raise MachineError(
                "no kernel in %s; PKGUARD_VM_DIR must name a folder with "
                "Debian's kernel package unpacked (boot/vmlinuz-*, "
                "lib/modules/)" % boot)
        release = images[-1][len("vmlinuz-"):]
        modules = os.path.join(self.vm_dir, "lib", "modules", release)
        return os.path.join(boot, images[-1]), modules

    def check(self):
        for path, what in ((self.agent, "the guest agent"),
                           (self.init_script, "the guest init script"),
                           (self.busybox, "busybox (package busybox-static)")):
            if not os.path.isfile(path):
                raise MachineError("%s is missing: %s" % (what, path))
        if not shutil.which("qemu-system-x86_64"):
            raise MachineError("qemu-system-x86_64 is not installed "
                               "(package qemu-system-x86)")
        self.kernel()


def _die_with_parent():
    # QEMU must not outlive pkguard-run, even when pkguard-run is killed.
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


class Session:
    """One program's stream of frames through a machine."""

    def __init__(self, machine, session_id):
        self.machine = machine
        self.id = session_id
        self.frames = asyncio.Queue()

    async def send(self, kind, payload=b""):
        await self.machine._send(self.id, kind, payload)

    async def receive(self):
        """Returns (kind, payload), or None when the machine has stopped."""
        return await self.frames.get()

    def close(self):
        self.machine.sessions.pop(self.id, None)


class GuestMachine:
    def __init__(self, config):
        self.config = config
        self.process = None
        self.workdir = None
        self.writer = None
        self.reader_task = None
        self.sessions = {}
        self.next_session = 1
        self.ready_info = ""
        self.stopped = asyncio.Event()

    @property
    def console_log(self):
        return os.path.join(self.workdir, "console.log")

    def _console_tail(self):
        try:
            with open(self.console_log, "rb") as f:
                lines = f.read().decode("utf-8", "replace").splitlines()
            return "\n".join(lines[-15:])
        except OSError:
            return ""

    def _qemu_command(self, initrd, channel):
        kernel, _ = self.config.kernel()
        command = [
            "qemu-system-x86_64", "-name", self.config.tag,
            "-nodefaults", "-no-user-config", "-display", "none",
            "-monitor", "none", "-no-reboot",
            "-accel", "tcg", "-cpu", "max",
            "-smp", str(self.config.cpus), "-m", str(self.config.memory_mb),
            "-kernel", kernel, "-initrd", initrd,
            # no_timer_check: on a loaded host TCG's timer can look broken
            # to the kernel's IO-APIC check, which then panics at boot.
            "-append", "console=ttyS0 quiet panic=-1 random.trust_cpu=on"
                       " no_timer_check"
                       + (" secretmem.enable=1" if self.config.secretmem
                          else ""),
            "-serial", "file:" + self.console_log,
            "-virtfs", "local,path=/,mount_tag=hostroot,security_model=none,"
                       "readonly=on,multidevs=remap",
            "-device", "virtio-serial-pci,id=channels",
            "-chardev", "socket,id=host,path=" + channel,
            "-device", "virtserialport,bus=channels.0,chardev=host,name=pkguard",
        ]
        for index, path in enumerate(self.config.writable):
            command += ["-virtfs", "local,path=%s,mount_tag=rw%d,"
                        "security_model=none,multidevs=remap" % (path, index)]
        return command

    async def start(self):
        self.config.check()
        _, module_dir = self.config.kernel()
        self.workdir = tempfile.mkdtemp(prefix="pkguard-vm-")
        mounts = [("rw%d" % i, p) for i, p in enumerate(self.config.writable)]
        initrd = os.path.join(self.workdir, "initrd.cpio")
        with open(initrd, "wb") as f:
            f.write(initramfs.build(self.config.busybox, module_dir,
                                    self.config.init_script, self.config.agent,
                                    mounts))
        channel = os.path.join(self.workdir, "channel")
        connected = asyncio.get_running_loop().create_future()

        def on_connect(reader, writer):
            if not connected.done():
                connected.set_result((reader, writer))
            else:
                writer.close()

        server = await asyncio.start_unix_server(on_connect, path=channel)
        try:
            self.process = await asyncio.create_subprocess_exec(
                *self._qemu_command(initrd, channel),
                stdin=asyncio.subprocess.DEVNULL,
                stdout=asyncio.subprocess.DEVNULL,
                stderr=asyncio.subprocess.PIPE, preexec_fn=_die_with_parent)
            exited = asyncio.ensure_future(self.process.wait())
            done, _ = await asyncio.wait(
                [connected, exited], timeout=self.config.boot_timeout,
                return_when=asyncio.FIRST_COMPLETED)
            if connected not in done:
                raise MachineError(await self._boot_failure(exited in done))
            reader, self.writer = connected.result()
            frame = await asyncio.wait_for(protocol.read_frame(reader),
                                           self.config.boot_timeout)
            if frame is None or frame[1] != protocol.READY:
                raise MachineError(await self._boot_failure(False))
            self.ready_info = frame[2].decode("utf-8", "replace")
        except BaseException:
            await self.stop()
            raise
        finally:
            server.close()
        self.reader_task = asyncio.ensure_future(self._route(reader))

    async def _boot_failure(self, qemu_exited):
        if qemu_exited:
            error = (await self.process.stderr.read()).decode("utf-8", "replace")
            reason = "QEMU exited with status %d" % self.process.returncode
            if error.strip():
                reason += ": " + error.strip()
        else:
            reason = "the machine did not come up within %d s" \
                % self.config.boot_timeout
        tail = self._console_tail()
        return reason + ("\nlast console lines:\n" + tail if tail else "")

    async def _route(self, reader):
        try:
            while True:
                frame = await protocol.read_frame(reader)
                if frame is None:
                    break
                session = self.sessions.get(frame[0])
                if session:
                    session.frames.put_nowait((frame[1], frame[2]))
        except (protocol.ProtocolError, ConnectionError):
            pass
        self.stopped.set()
        for session in list(self.sessions.values()):
            session.frames.put_nowait(None)

    async def _send(self, session_id, kind, payload):
        if self.stopped.is_set() or self.writer is None:
            raise MachineError("the emulated machine has stopped")
        self.writer.write(protocol.encode(session_id, kind, payload))
        await self.writer.drain()

    def open_session(self):
        session = Session(self, self.next_session)
        self.next_session += 1
        self.sessions[session.id] = session
        if self.stopped.is_set():
            session.frames.put_nowait(None)
        return session

    async def stop(self):
        if self.writer is not None and not self.stopped.is_set():
            try:
                self.writer.write(protocol.encode(0, protocol.SHUTDOWN))
                await self.writer.drain()
            except (ConnectionError, RuntimeError):
                pass
        if self.process is not None and self.process.returncode is None:
            try:
                await asyncio.wait_for(self.process.wait(), 10)
            except asyncio.TimeoutError:
                self.process.kill()
                await self.process.wait()
        if self.reader_task is not None:
            self.reader_task.cancel()
        if self.writer is not None:
            self.writer.close()
        if self.workdir is not None:
            shutil.rmtree(self.workdir, ignore_errors=True)
            self.workdir = None
