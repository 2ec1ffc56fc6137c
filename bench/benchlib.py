"""What pkguard's benchmark scripts share: building, counting, timing."""
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
    with open("/proc/cpuinfo") as f:
        text = f.read()
    model = next((l.split(":", 1)[1].strip() for l in text.splitlines()
                  if l.startswith("model name")), "unknown CPU")
    has_pku = any("pku" in l.split() for l in text.splitlines()
                  if l.startswith("flags"))
    return model, has_pku


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


def best_time(command, runs):
    best = None
    for _ in range(runs):
        start = time.perf_counter()
        run(command, stdout=subprocess.DEVNULL)
        elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
    return best


@functools.lru_cache(maxsize=None)
def disassembly(binary):
    """objdump's disassembly of a binary, read once per binary."""
    return run(["objdump", "-d", "--no-show-raw-insn", binary],
               capture_output=True, text=True).stdout


def wrpkru_in(binary, function):
    """WRPKRU instructions in one function of a binary."""
    text = disassembly(binary)
    body = re.search(r"<%s>:\n(.*?)\n\n" % re.escape(function), text, re.S)
    return body.group(1).count("wrpkru") if body else 0


def sequence_paths(binary, function):
    """The instructions pkguard's sequences execute in one function of a
    binary, read from its code: for each `jecxz` that switches between the
    paths, (PKU path, of which WRPKRU, fallback path). The PKU path runs
    from the jecxz's target through the jne after the closing check
    (cmp %gs:0x0,%eax); the fallback path from after the jecxz to its jmp
    over the PKU path. Both include the jecxz."""
    text = disassembly(binary)
    body = re.search(r"<%s>:\n(.*?)\n\n" % re.escape(function), text, re.S)
    if not body:
        return []
    lines = []
    for line in body.group(1).splitlines():
        match = re.match(r"\s*([0-9a-f]+):\s*(\S+)\s*(.*)", line)
        if match:
            lines.append((int(match.group(1), 16), match.group(2),
                          match.group(3)))
    index = {address: i for i, (address, _, _) in enumerate(lines)}
    paths = []
    for i, (_, mnemonic, operands) in enumerate(lines):
        if mnemonic != "jecxz":
            continue
        target = int(operands.split()[0], 16)
        pku, wrpkru, previous = 1, 0, None
        for _, m, o in lines[index[target]:]:
            pku += 1
            wrpkru += m == "wrpkru"
            if m == "jne" and previous == ("cmp", "%gs:0x0,%eax"):
                break
            previous = (m, o)
        fallback = 1
        for _, m, _ in lines[i + 1:index[target]]:
            fallback += 1
            if m == "jmp":
                break
        paths.append((pku - wrpkru, wrpkru, fallback))
    return paths


def sequence_starts(binary):
    """The jecxz that starts each of pkguard's sequences, as {address (in
    the file): the function it lies in}, and main's address."""
    starts, function, main = {}, None, None
    for line in disassembly(binary).splitlines():
        header = re.match(r"([0-9a-f]+) <(.*)>:$", line)
        if header:
            function = header.group(2)
            if function == "main":
                main = int(header.group(1), 16)
            continue
        jecxz = re.match(r"\s*([0-9a-f]+):\s*jecxz\s", line)
        if jecxz:
            starts[int(jecxz.group(1), 16)] = function
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


def sequence_executions(command, cwd, out):
    """A run of command under callgrind (cwd: where it runs, out:
    callgrind's output file): its instructions, how many times pkguard's
    sequences ran in each function of the main executable (command[0]), as
    {function: count}, and what it printed. The counts are exact: each
    sequence starts with one jecxz, and callgrind counts every instruction.
    Every such call runs 2 WRPKRU on a CPU with PKU."""
    output = run(["valgrind", "--tool=callgrind", "--dump-instr=yes",
                  "--dump-line=no", "--callgrind-out-file=" + out] + command,
                 cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                 text=True, errors="replace").stdout
    total, counts, main_at = parse_callgrind(out, os.path.realpath(command[0]))
    starts, main = sequence_starts(command[0])
    calls = {}
    if main is None or main_at is None:
        return total, calls, output
    # callgrind's addresses are where valgrind loaded the program; main
    # ties them to objdump's.
    base = main_at - main
    for start, function in starts.items():
        count = counts.get(base + start, 0)
        if count:
            calls[function] = calls.get(function, 0) + count
    return total, calls, output


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
