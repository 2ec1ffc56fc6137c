"""What pkguard's benchmark scripts share: building, counting, timing."""
import collections
import functools
import os
import re
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))


def run(command, **kwargs):
    return subprocess.run(command, check=True, **kwargs)


def plain_clang(build):
    """The clang the build's plugins are for (PKGUARD_LLVM_VERSION), so that
    plain and pkguard variants differ only by pkguard."""
    with open(os.path.join(build, "CMakeCache.txt")) as cache:
        root = next(line.split("=", 1)[1].strip() for line in cache
                    if line.startswith("PKGUARD_LLVM_ROOT:"))
    return os.path.join(root, "bin", "clang")


def pkguard_clang(build):
    path = os.path.join(build, "bin", "pkguard-clang")
    if not os.path.exists(path):
        sys.exit("no pkguard build in %s; run tools/pkguard-dev build" % build)
    return path


def cpu_model():
    """The CPU's model name, and whether programs here run with protection
    keys (the kernel enabled them: 'ospke')."""
    with open("/proc/cpuinfo") as f:
        text = f.read()
    model = next((l.split(":", 1)[1].strip() for l in text.splitlines()
                  if l.startswith("model name")), "unknown CPU")
    has_pku = any("ospke" in l.split() for l in text.splitlines()
                  if l.startswith("flags"))
    return model, has_pku


def timing_note(has_pku):
    """What the native timings of a benchmark on this host stand for."""
    return ("native times execute the real WRPKRU (this CPU has PKU)"
            if has_pku else
            "no PKU here: native times take the fallback path and say nothing"
            " of what WRPKRU costs; run this on a CPU with PKU for those")


def callgrind(command, count_calls_to=None):
    """(instructions, calls to the named functions or None, program
    output)."""
    with tempfile.NamedTemporaryFile() as out:
        result = subprocess.run(
            ["valgrind", "--tool=callgrind", "--callgrind-out-file=" + out.name]
            + command, capture_output=True, text=True, check=True)
        profile = out.read().decode("utf-8", "replace")
    match = re.search(r"Collected : (\d+)", result.stderr)
    if not match:
        sys.exit("callgrind printed no count:\n" + result.stderr)
    calls = count_calls(profile, count_calls_to) if count_calls_to else None
    return int(match.group(1)), calls, result.stdout


def count_calls(profile, functions):
    """Calls to `functions` (one name or several) in a callgrind profile:
    each 'cfn=' naming one is followed by a 'calls=N' line. Names are
    compressed to '(id)' after their first appearance; recursion shows up as
    NAME'2, NAME'3 (cycles)."""
    names = {functions} if isinstance(functions, str) else set(functions)
    ids = set()
    total = 0
    lines = profile.splitlines()
    for i, line in enumerate(lines):
        match = re.match(r"cfn=(\(\d+\))(?: (.*))?$", line)
        if not match:
            continue
        name = match.group(2) or ""
        if name.split("'")[0] in names:
            ids.add(match.group(1))
        if match.group(1) in ids and i + 1 < len(lines) \
                and lines[i + 1].startswith("calls="):
            total += int(lines[i + 1].split()[0][len("calls="):])
    return total


def interleaved_times(commands, runs, cwd=None):
    """Wall times of each of commands ({name: command}), run in turn, one
    of each per round, for runs rounds: a machine's drift touches every
    variant alike. {name: [seconds per round]}."""
    times = {name: [] for name in commands}
    for _ in range(runs):
        for name, command in commands.items():
            start = time.perf_counter()
            run(command, stdout=subprocess.DEVNULL, cwd=cwd)
            times[name].append(time.perf_counter() - start)
    return times


def median(values):
    ordered = sorted(values)
    middle = len(ordered) // 2
    return (ordered[middle] if len(ordered) % 2 else
            (ordered[middle - 1] + ordered[middle]) / 2)


TimeRatio = collections.namedtuple("TimeRatio", "seconds ratio low high")
TimeRatio.__doc__ = """A variant's median wall time, and its ratio to the
baseline's: the median of the rounds' ratios, with their lowest and
highest (the spread), so that one noisy round shows as spread."""


def time_ratio(times, name, baseline):
    ratios = [t / b for t, b in zip(times[name], times[baseline])]
    return TimeRatio(median(times[name]), median(ratios), min(ratios),
                     max(ratios))


def format_ratio(ratio):
    return "%.3fx (%.3f-%.3f)" % (ratio.ratio, ratio.low, ratio.high)


@functools.lru_cache(maxsize=None)
def disassembly(binary):
    """objdump's disassembly of a binary, read once per binary."""
    return run(["objdump", "-d", "--no-show-raw-insn", binary],
               capture_output=True, text=True).stdout


def wrpkru_in(binary, function):
    """WRPKRU instructions in one function of a binary."""
    return sum(m == "wrpkru" for _, m, _ in function_body(binary, function))


SequencePaths = collections.namedtuple(
    "SequencePaths", "pku pku_most wrpkru unchanged fallback")
SequencePaths.__doc__ = """One of pkguard's sequences, read from its code:
instructions besides WRPKRU on its shortest and its longest PKU paths that
open a window (pku, pku_most; a prologue's shortest is its ordinary miss,
its longest the one that puts a forged PKRU right), the WRPKRU they run,
the instructions of its PKU path that opens no window because nothing
would change (unchanged; None where none), and of its fallback path. Each
includes the jecxz."""


def function_body(binary, function):
    """One function's instructions, as [(address, mnemonic, operands)]."""
    text = disassembly(binary)
    body = re.search(r"<%s>:\n(.*?)\n\n" % re.escape(function), text, re.S)
    lines = []
    for line in body.group(1).splitlines() if body else []:
        match = re.match(r"\s*([0-9a-f]+):\s*(\S+)\s*(.*)", line)
        if match:
            lines.append((int(match.group(1), 16), match.group(2),
                          match.group(3)))
    return lines


def jump_target(operands):
    return int(operands.split()[0], 16)


def sequence_paths(binary, function):
    """pkguard's sequences in one function of a binary, as SequencePaths,
    one for each `jecxz` that switches between the paths. A sequence ends
    where its fallback path's jmp goes; its paths are those through its
    conditional jumps that stay inside it (the others go to reports)."""
    lines = function_body(binary, function)
    index = {address: i for i, (address, _, _) in enumerate(lines)}
    sequences = []
    for i, (_, mnemonic, operands) in enumerate(lines):
        if mnemonic != "jecxz":
            continue
        target = jump_target(operands)
        fallback, end = 1, None
        for address, m, o in lines[i + 1:index[target]]:
            fallback += 1
            if m == "jmp":
                end = jump_target(o)
                break
        paths = []

        def walk(at, instructions, wrpkru):
            while at < len(lines) and lines[at][0] != end:
                address, m, o = lines[at]
                instructions += 1
                wrpkru += m == "wrpkru"
                if m == "jmp":
                    at = index[jump_target(o)]
                    continue
                if m.startswith("j"):
                    branch = jump_target(o)
                    if lines[index[target]][0] <= branch <= end:
                        walk(index[branch], instructions, wrpkru)
                at += 1
            paths.append((instructions, wrpkru))

        walk(index[target], 1, 0)
        wrpkru = max(w for _, w in paths)
        windowed = [n - w for n, w in paths if w == wrpkru]
        unchanged = [n for n, w in paths if w == 0]
        sequences.append(SequencePaths(
            min(windowed), max(windowed), wrpkru,
            min(unchanged) if unchanged else None, fallback))
    return sequences


def sequence_starts(binary):
    """The jecxz that starts each of pkguard's sequences, as {address (in
    the file): (the function it lies in, the address of the fallback path's
    store where it has one that runs exactly when a window would open, or
    None)}, and main's address. A prologue's fallback path compares the
    shadow with the return address before it stores (cmp, je, mov); a
    gate's runs its store whatever the rights, which it does not track."""
    starts, function, main = {}, None, None
    lines = disassembly(binary).splitlines()
    for i, line in enumerate(lines):
        header = re.match(r"([0-9a-f]+) <(.*)>:$", line)
        if header:
            function = header.group(2)
            if function == "main":
                main = int(header.group(1), 16)
            continue
        jecxz = re.match(r"\s*([0-9a-f]+):\s*jecxz\s", line)
        if not jecxz:
            continue
        following = [re.match(r"\s*([0-9a-f]+):\s*(\S+)", next_line)
                     for next_line in lines[i + 1:i + 4]]
        store = None
        if all(following) and [m.group(2) for m in following] == \
                ["cmp", "je", "mov"]:
            store = int(following[2].group(1), 16)
        starts[int(jecxz.group(1), 16)] = (function, store)
    return starts, main


def compressed_name(value, names):
    """A callgrind name field, '(id) name' the first time an id appears and
    '(id)' after: the name, remembering it in names."""
    match = re.match(r"\((\d+)\)\s*(.*)", value)
    if not match:
        return value.strip()
    if match.group(2).strip():
        names[match.group(1)] = match.group(2).strip()
    return names.get(match.group(1))


SequenceCounts = collections.namedtuple("SequenceCounts", "calls windows")
SequenceCounts.__doc__ = """How many times pkguard's sequences ran in one
function (calls), and how many of those would open a window, 2 WRPKRU, on a
CPU with PKU (windows: a prologue's when its shadow slot did not hold the
return address yet; every gate's, as if it changed the rights)."""


def sequence_executions(command, cwd, out):
    """A run of command under callgrind (cwd: where it runs, out:
    callgrind's output file): its instructions, {function: SequenceCounts}
    for the main executable (command[0]), and what it printed. The counts
    are exact: each sequence starts with one jecxz, a prologue's fallback
    path stores exactly when its window would open, and callgrind counts
    every instruction."""
    output = run(["valgrind", "--tool=callgrind", "--dump-instr=yes",
                  "--dump-line=no", "--callgrind-out-file=" + out] + command,
                 cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                 text=True, errors="replace").stdout
    total, counts, main_at = parse_callgrind(out, os.path.realpath(command[0]))
    starts, main = sequence_starts(command[0])
    executions = {}
    if main is None or main_at is None:
        return total, executions, output
    # callgrind's addresses are where valgrind loaded the program; main
    # ties them to objdump's.
    base = main_at - main
    for start, (function, store) in starts.items():
        calls = counts.get(base + start, 0)
        if not calls:
            continue
        windows = counts.get(base + store, 0) if store is not None else calls
        before = executions.get(function, SequenceCounts(0, 0))
        executions[function] = SequenceCounts(before.calls + calls,
                                              before.windows + windows)
    return total, executions, output


def total_calls(executions):
    return sum(c.calls for c in executions.values())


def total_windows(executions):
    return sum(c.windows for c in executions.values())


def parse_callgrind(out, program):
    """From callgrind's output file out (--dump-instr=yes): total
    instructions, the execution count of every instruction of the
    executable at the real path program, and where its main starts among
    them. callgrind gives an object's instructions as offsets into it, so
    those of other objects (libc, the dynamic loader) are left out by
    object."""
    counts = {}
    total = 0
    position = 0
    after_call = False
    functions, objects = {}, {}
    function = None
    in_program = False
    main = None
    with open(out) as f:
        for line in f:
            key, _, value = line.partition("=")
            if key in ("fn", "cfn"):
                name = compressed_name(value, functions)
                function = name if key == "fn" else function
                continue
            if key in ("ob", "cob"):
                name = compressed_name(value, objects)
                if key == "ob":
                    in_program = os.path.realpath(name) == program
                continue
            if key == "calls":
                after_call = True
                continue
            if line.startswith("summary:"):
                total = int(line.split()[1])
                continue
            if not line or not (line[0] in "+-*" or line.startswith("0x")):
                continue
            words = line.split()
            where = words[0]
            if where.startswith("0x"):
                position = int(where, 16)
            elif where[0] in "+-":
                position += int(where)
            if after_call:
                after_call = False
                continue
            if not in_program:
                continue
            cost = int(words[1]) if len(words) > 1 else 0
            counts[position] = counts.get(position, 0) + cost
            if function == "main":
                main = position if main is None else min(main, position)
    return total, counts, main
