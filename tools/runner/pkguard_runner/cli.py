"""Command line of pkguard-run."""

import argparse
import asyncio
import os
import resource
import shlex
import shutil
import signal
import sys
import textwrap

from . import client, exit_codes, kernel_cache, native, shared
from .elf import NotRunnable, check_program
from .exit_codes import (EXIT_CANNOT_EXECUTE, EXIT_NOT_FOUND,
                         EXIT_RUNNER_FAILED, EXIT_TIMEOUT)
from .machine import GuestMachine, MachineConfig, MachineError
from .pku import host_has_pku

DESCRIPTION = """\
Runs PROGRAM under real protection-key (PKU) semantics: natively when this
CPU and kernel support PKU, otherwise inside an emulated x86-64 machine
(QEMU's software emulation) that sees this machine's files. Arguments,
standard input and output, the environment and the working directory pass
through. pkguard-run ends the way PROGRAM did: with its exit status, or
killed by the same signal (a shell shows 128+N)."""

EPILOG = textwrap.fill(
    "exit status of pkguard-run itself: "
    + ", ".join("%d %s" % m for m in exit_codes.MEANINGS) + ".",
    width=74) + """

batch mode: each line of FILE is one command line (shell quoting, '#'
comments). All run in one boot; the summary line counts how many exited 0."""


def parse_arguments(argv, defaults):
    parser = argparse.ArgumentParser(
        prog="pkguard-run", description=DESCRIPTION, epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("program", nargs="?", help="the program to run")
    parser.add_argument("args", nargs=argparse.REMAINDER,
                        help="its arguments")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--vm", action="store_true",
                       help="use the emulated machine even on a PKU host")
    where.add_argument("--native", action="store_true",
                       help="run on this host; fail if it lacks PKU")
    parser.add_argument("--timeout", type=float, default=600, metavar="S",
                        help="kill PROGRAM after S seconds (0: never; "
                             "default %(default)s)")
    parser.add_argument("--shared-vm", metavar="PATH",
                        default=os.environ.get("PKGUARD_RUN_SHARED_VM"),
                        help="run in the machine shared by every invocation "
                             "naming PATH, booting it if needed "
                             "(default: $PKGUARD_RUN_SHARED_VM)")
    parser.add_argument("--idle-exit", type=float, default=30, metavar="S",
                        help="a shared machine shuts down after S idle "
                             "seconds (default %(default)s)")
    parser.add_argument("--writable", action="append", default=[],
                        metavar="DIR",
                        help="a folder PROGRAM may write inside the machine; "
                             "repeatable (default: the working folder and "
                             "/tmp)")
    parser.add_argument("--memory", type=int, default=1024, metavar="MB",
                        help="memory of the machine (default %(default)s)")
    parser.add_argument("--cpus", type=int, default=min(os.cpu_count(), 4),
                        metavar="N", help="processors of the machine "
                                          "(default %(default)s)")
    parser.add_argument("--vm-dir", default=defaults["vm_dir"],
                        help="kernel and modules (default %(default)s)")
    parser.add_argument("--vm-tag", help="name of the QEMU process")
    parser.add_argument("--no-secretmem", action="store_true",
                        help="boot the emulated machine without "
                             "secretmem.enable=1, so that memfd_secret is "
                             "unavailable, as on a stock Debian 12 boot")
    parser.add_argument("--exit-code-for-signal", action="store_true",
                        help="exit with 128+N rather than dying by signal N")
    parser.add_argument("--verbose", action="store_true",
                        help="say where and how PROGRAM ran")
    modes = parser.add_mutually_exclusive_group()
    modes.add_argument("--batch", metavar="FILE",
                       help="run every command line in FILE ('-': standard "
                            "input) in one boot")
    modes.add_argument("--probe", action="store_true",
                       help="print 'native', 'emulated' or 'unavailable' "
                            "and exit")
    modes.add_argument("--serve", metavar="PATH", help=argparse.SUPPRESS)
    modes.add_argument("--stop", metavar="PATH",
                       help="shut down the shared machine named by PATH")
    options = parser.parse_args(argv)
    if not (options.program or options.batch or options.probe
            or options.serve or options.stop):
        parser.error("no PROGRAM given")
    if options.program and (options.batch or options.probe or options.serve
                            or options.stop):
        parser.error("PROGRAM cannot be combined with this mode")
    if options.memory < 128 or options.cpus < 1:
        parser.error("the machine needs at least 128 MB and one processor")
    return options


class RunnerError(Exception):
    def __init__(self, message, status=EXIT_RUNNER_FAILED):
        super().__init__(message)
        self.status = status


def resolve_program(program):
    """The host path of program, searched in PATH as a shell would."""
    if "/" not in program:
        found = shutil.which(program)
        if not found:
            raise RunnerError("'%s': command not found" % program,
                              EXIT_NOT_FOUND)
        program = found
    if not os.path.lexists(program):
        raise RunnerError("'%s': no such file" % program, EXIT_NOT_FOUND)
    if os.path.isdir(program):
        raise RunnerError("'%s' is a directory" % program, EXIT_CANNOT_EXECUTE)
    if not os.access(program, os.X_OK):
        raise RunnerError("'%s' is not executable" % program,
                          EXIT_CANNOT_EXECUTE)
    try:
        check_program(program)
    except NotRunnable as e:
        raise RunnerError(str(e), EXIT_CANNOT_EXECUTE)
    return os.path.abspath(program)


def machine_config(options, defaults):
    if options.vm_dir == defaults["kernel_cache"]:
        kernel_cache.fill(options.vm_dir)
    writable = options.writable or [os.getcwd(), "/tmp"]
    return MachineConfig(
        vm_dir=options.vm_dir, agent=defaults["agent"],
        init_script=defaults["init_script"], memory_mb=options.memory,
        cpus=options.cpus, writable=writable, tag=options.vm_tag,
        secretmem=not options.no_secretmem)


def server_command(options, defaults):
    """The pkguard-run --serve command that boots a shared machine."""
    command = [sys.executable, defaults["script"], "--serve",
               options.shared_vm, "--idle-exit", str(options.idle_exit),
               "--memory", str(options.memory), "--cpus", str(options.cpus),
               "--vm-dir", options.vm_dir]
    for d in options.writable or [os.getcwd(), "/tmp"]:
        command += ["--writable", d]
    if options.vm_tag:
        command += ["--vm-tag", options.vm_tag]
    if options.no_secretmem:
        command += ["--no-secretmem"]
    return command


async def run_in_machine(options, defaults, commands, on_outcome):
    """Runs each (path, argv) in one machine, private or shared."""
    cwd, env = os.getcwd(), dict(os.environ)
    single = len(commands) == 1
    if options.shared_vm:
        shared.ensure_server(options.shared_vm,
                             server_command(options, defaults),
                             machine_config(options, defaults).boot_timeout)

        async def one(path, argv, stdin_fd):
            session, info = await shared.connect(options.shared_vm)
            try:
                verbose(options, "running in the shared machine (%s)" % info)
                return await client.run(session, cwd, path, argv, env,
                                        options.timeout, stdin_fd)
            finally:
                session.close()
        machine = None
    else:
        machine = GuestMachine(machine_config(options, defaults))
        await machine.start()
        verbose(options, "booted an emulated machine (%s)"
                % machine.ready_info)

        async def one(path, argv, stdin_fd):
            session = machine.open_session()
            try:
                return await client.run(session, cwd, path, argv, env,
                                        options.timeout, stdin_fd)
            finally:
                session.close()
    try:
        for path, argv in commands:
            outcome = await one(path, argv, 0 if single else None)
            on_outcome(argv, outcome)
    finally:
        if machine is not None:
            await machine.stop()


def verbose(options, message):
    if options.verbose:
        print("pkguard-run: " + message, file=sys.stderr, flush=True)


def end_like(outcome, options):
    """Exits the way the program ended."""
    if outcome.error:
        print("pkguard-run: error: " + outcome.error, file=sys.stderr)
        sys.exit(outcome.exit_code or EXIT_RUNNER_FAILED)
    if outcome.timed_out:
        print("pkguard-run: error: the program timed out after %g s and was "
              "killed" % options.timeout, file=sys.stderr)
        sys.exit(EXIT_TIMEOUT)
    sys.stdout.flush()
    sys.stderr.flush()
    if outcome.signal_number is not None and not options.exit_code_for_signal:
        # Die by the same signal, so callers such as 'not --crash' see a
        # crash; no core file of pkguard-run itself.
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        signal.signal(outcome.signal_number, signal.SIG_DFL)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {outcome.signal_number})
        os.kill(os.getpid(), outcome.signal_number)
    sys.exit(outcome.shell_status())


def read_batch(source):
    text = sys.stdin.read() if source == "-" else open(source).read()
    commands = []
    for number, line in enumerate(text.splitlines(), 1):
        try:
            words = shlex.split(line, comments=True)
        except ValueError as e:
            raise RunnerError("%s:%d: %s" % (source, number, e))
        if words:
            commands.append((resolve_program(words[0]), words))
    if not commands:
        raise RunnerError("%s holds no command" % source)
    return commands


def run_batch(options, defaults):
    commands = read_batch(options.batch)
    results = []

    def report(argv, outcome):
        results.append(outcome)
        if outcome.error:
            text = "error: " + outcome.error
        else:
            text = outcome.describe()
        print("pkguard-run: [%d/%d] %s: %s"
              % (len(results), len(commands), shlex.join(argv), text),
              file=sys.stderr, flush=True)

    if not options.vm and host_has_pku():
        for path, argv in commands:
            report(argv, native.run(path, argv, dict(os.environ),
                                    options.timeout))
    else:
        asyncio.run(run_in_machine(options, defaults, commands, report))
    succeeded = sum(1 for o in results if o.shell_status() == 0
                    and not o.error)
    print("pkguard-run: batch: %d commands, %d exited 0, %d did not"
          % (len(results), succeeded, len(results) - succeeded),
          file=sys.stderr)
    return 0 if succeeded == len(results) else 1


def probe(options, defaults):
    if host_has_pku():
        return "native"
    try:
        machine_config(options, defaults).check()
        return "emulated"
    except MachineError:
        return "unavailable"


def main(argv, defaults):
    options = parse_arguments(argv, defaults)
    try:
        if options.probe:
            print(probe(options, defaults))
            return 0
        if options.stop:
            if not shared.request_stop(options.stop):
                verbose(options, "no shared machine was running")
            return 0
        if options.serve:
            options.shared_vm = options.serve
            asyncio.run(shared.serve(options.serve,
                                     machine_config(options, defaults),
                                     options.idle_exit))
            return 0
        if options.batch:
            return run_batch(options, defaults)
        path = resolve_program(options.program)
        argv = [options.program] + options.args
        if options.native or (not options.vm and host_has_pku()):
            if not host_has_pku():
                raise RunnerError("this host has no usable PKU; drop "
                                  "--native to use the emulated machine")
            verbose(options, "running natively: this host has PKU")
            end_like(native.run(path, argv, dict(os.environ),
                                options.timeout), options)
        outcomes = []
        asyncio.run(run_in_machine(options, defaults, [(path, argv)],
                                   lambda _, o: outcomes.append(o)))
        end_like(outcomes[0], options)
    except RunnerError as e:
        print("pkguard-run: error: %s" % e, file=sys.stderr)
        return e.status
    except (MachineError, OSError) as e:
        print("pkguard-run: error: %s" % e, file=sys.stderr)
        return EXIT_RUNNER_FAILED
    except KeyboardInterrupt:
        return exit_codes.for_signal(signal.SIGINT)
