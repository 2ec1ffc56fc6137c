"""The Debian source packages bench/realworld builds and tests: how each is
built with a given compiler, how its own test suite runs and is counted,
and the workload whose cost is measured. Sources are the folders that
'tools/pkguard-dev deps' fetches into build/realworld."""
import glob
import os
import pwd
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

from benchlib import ROOT, run

LUA_SCRIPTS = os.path.join(ROOT, "bench", "realworld-lua")
# sqlite's own tests refuse to pass as root (they check that files they
# make unreadable cannot be read); they run as this user, which the script
# creates when it runs as root.
SQLITE_TEST_USER = "pkguard-test"
# The TCL suite's files in the subset: these families of sqlite's test/,
# less the few that take seconds each here.
SQLITE_TEST_FAMILIES = ["select", "func", "expr", "where", "join", "insert",
                        "update", "delete", "trigger", "view", "window",
                        "with", "json", "printf", "like", "date", "cast",
                        "collate", "types", "autoinc", "subquery", "limit",
                        "orderby", "distinct", "upsert"]
SQLITE_SLOW_TESTS = {"with1", "where8", "windowfault", "wherefault", "joinD",
                     "triggerC", "view3", "window3", "selectG"}
# The quick subset that runs under protection keys, in the emulated machine
# where the host has no PKU: one file of each of the main families.
SQLITE_QUICK_TESTS = ["select1", "expr", "func", "where", "join", "insert",
                      "update", "delete", "trigger1", "window1", "json101"]


class Compiler:
    """A C and a C++ compiler command: path and flags."""

    def __init__(self, cc, cxx, flags):
        self.cc, self.cxx, self.flags = cc, cxx, flags

    def c_command(self):
        return " ".join([self.cc] + self.flags)

    def cxx_command(self):
        return " ".join([self.cxx] + self.flags)


def output_of(command, cwd, **kwargs):
    """What a command printed (standard output and error), and its status."""
    result = subprocess.run(command, cwd=cwd, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True,
                            errors="replace", **kwargs)
    return result.stdout, result.returncode


def build_log(commands, cwd):
    """Runs build commands in order, failing on the first that fails; their
    output, where --pkguard-stats writes its lines."""
    log = ""
    for command in commands:
        text, status = output_of(command, cwd)
        log += text
        if status:
            raise RuntimeError("%s failed in %s:\n%s" %
                               (" ".join(command), cwd, text[-3000:]))
    return log


def configure_and_make(tree, compiler, configure_options, targets):
    """An autoconf-style package: ./configure with CC, then make."""
    return build_log([["env", "CC=" + compiler.c_command(), "CFLAGS=-O2",
                       "./configure"] + configure_options,
                      ["make", "-j2"] + targets], tree)


class Compressor:
    """A compressor's workload: its best compression of its own sources."""

    def probe(self, tree):
        return ["sh", "-c", "echo hello | ./%s" % self.program]

    def workload(self, tree, scratch):
        return [os.path.join(tree, self.program), "-9", "-c",
                compressible_input(tree, self.name, scratch)]


class Zlib(Compressor):
    name = "zlib"
    directory = "zlib-*"
    program = "minigzip"
    workload_description = "minigzip -9 on its C sources (x10)"

    def build(self, tree, compiler):
        return configure_and_make(tree, compiler, ["--static"],
                                  ["minigzip", "example"])

    def test(self, tree, runner=(), quick=False):
        text, status = output_of(list(runner) + ["make", "teststatic"], tree)
        passed = len(re.findall(r"\*\*\* zlib test OK \*\*\*", text))
        return passed, int(status != 0 or passed == 0)


class Bzip2(Compressor):
    name = "bzip2"
    directory = "bzip2-*"
    program = "bzip2-static"
    workload_description = "bzip2 -9 on its C sources (x10)"

    def build(self, tree, compiler):
        # Debian's Makefile links bzip2 with the shared libbz2, which its
        # tests load from the tree; the workload runs a static link of the
        # same code. Its CFLAGS have -g, whose DWARF 5 this Valgrind cannot
        # read.
        cc = compiler.c_command()
        return build_log([["make", "-j2", "CC=" + cc,
                           "CFLAGS=-Wall -O2 -D_FILE_OFFSET_BITS=64",
                           "bzip2", "libbz2.a"],
                          cc.split() + ["-o", self.program, "bzip2.o",
                                        "libbz2.a"]], tree)

    def test(self, tree, runner=(), quick=False):
        text, status = output_of(list(runner) + ["make", "test"], tree)
        passed = len(re.findall(r"(?m)^cmp sample\d\.\w+ sample\d\.\w+[ \t]*$", text))
        failed = len(re.findall(r"differ", text))
        return passed - failed, failed or int(status != 0)


def compressible_input(tree, name, scratch):
    """The compressors' input: the package's C sources, ten times over. Its
    name is the same for every variant, since the programs do work per
    character of it."""
    data = os.path.join(scratch, name + "-input")
    if not os.path.exists(data):
        with open(data, "wb") as out:
            for _ in range(10):
                for c in sorted(glob.glob(os.path.join(tree, "*.c"))):
                    with open(c, "rb") as f:
                        out.write(f.read())
    return data


class Lua:
    """Lua 5.4 from Debian's lua5.4. Debian ships no copy of Lua's official
    test suite, so a checked set of scripts (bench/realworld-lua, each
    asserting what it computes and printing 'OK name') stands in for it.
    The workload is the shadow-stack benchmark's (bench/workloads)."""
    name = "lua5.4"
    directory = "lua5.4-*"
    program = "src/lua"
    workload_description = "bench/workloads/lua-mix.lua 1"
    flags = ["-std=gnu99", "-DLUA_COMPAT_5_3", "-DLUA_USE_LINUX"]

    def build(self, tree, compiler):
        # Lua's own Makefile, as Debian patches it, builds through libtool
        # and a generated header; the same objects are built directly here.
        src = os.path.join(tree, "src")
        with open(os.path.join(src, "lua5.4-deb-multiarch.h"), "w") as f:
            f.write('#define DEB_HOST_MULTIARCH "x86_64-linux-gnu"\n')
        cc = compiler.c_command().split() + self.flags
        core = sorted(os.path.basename(c) for c in
                      glob.glob(os.path.join(src, "*.c"))
                      if os.path.basename(c) not in ("lua.c", "luac.c"))
        with ThreadPoolExecutor(max_workers=2) as pool:
            logs = list(pool.map(
                lambda c: build_log([cc + ["-c", c]], src), core))
        return "".join(logs) + build_log(
            [["ar", "rcs", "liblua.a"] + [c[:-2] + ".o" for c in core],
             cc + ["-o", "lua", "lua.c", "liblua.a", "-Wl,-E", "-lm", "-ldl"]],
            src)

    def test(self, tree, runner=(), quick=False):
        passed = failed = 0
        lua = os.path.join(tree, self.program)
        for script in sorted(glob.glob(os.path.join(LUA_SCRIPTS, "*.lua"))):
            text, status = output_of(list(runner) + [lua, script], tree)
            name = os.path.basename(script)[:-len(".lua")]
            if status == 0 and ("OK %s\n" % name) in text:
                passed += 1
            else:
                failed += 1
        return passed, failed

    def probe(self, tree):
        return [os.path.join(tree, self.program), "-e", "print(1)"]

    def workload(self, tree, scratch):
        return [os.path.join(tree, self.program),
                os.path.join(ROOT, "bench", "workloads", "lua-mix.lua"), "1"]


def unprivileged(command):
    """A command run as the test user when this runs as root."""
    if os.geteuid() != 0:
        return command
    return ["runuser", "-u", SQLITE_TEST_USER, "--"] + command


def ensure_test_user(tree):
    """As root: the test user exists and owns the tree (and can reach it)."""
    if os.geteuid() != 0:
        return
    try:
        pwd.getpwnam(SQLITE_TEST_USER)
    except KeyError:
        run(["useradd", "--system", "--no-create-home", "--shell",
             "/usr/sbin/nologin", SQLITE_TEST_USER])
    run(["chown", "-R", SQLITE_TEST_USER + ":", tree])
    parent = os.path.dirname(tree)
    os.chmod(parent, os.stat(parent).st_mode | 0o711)


def sqlite_test_files(tree, quick):
    if quick:
        return [os.path.join(tree, "test", name + ".test")
                for name in SQLITE_QUICK_TESTS]
    files = []
    for family in SQLITE_TEST_FAMILIES:
        files += glob.glob(os.path.join(tree, "test", family + "*.test"))
    return sorted(f for f in set(files) if
                  os.path.basename(f)[:-len(".test")] not in SQLITE_SLOW_TESTS)


class Sqlite:
    name = "sqlite3"
    directory = "sqlite3-*"
    program = "speedtest1"
    workload_description = "speedtest1 --size 5 --memdb"

    def build(self, tree, compiler):
        return configure_and_make(
            tree, compiler, ["--disable-shared", "--with-tcl=/usr/lib/tcl8.6"],
            ["testfixture", "speedtest1"])

    def test(self, tree, runner=(), quick=False):
        """Each file of the subset through testfixture: its own count of
        tests and errors; a file that ends without one counts as failed."""
        ensure_test_user(tree)
        passed = failed = 0
        for test in sqlite_test_files(tree, quick):
            text, _ = output_of(
                list(runner) + unprivileged(["./testfixture", test]), tree)
            match = re.search(r"(?m)^(\d+) errors out of (\d+) tests", text)
            if match:
                errors, total = int(match.group(1)), int(match.group(2))
                passed += total - errors
                failed += errors
            else:
                failed += 1
        return passed, failed

    def probe(self, tree):
        return [os.path.join(tree, self.program), "--size", "1", "--memdb"]

    def workload(self, tree, scratch):
        return [os.path.join(tree, self.program), "--size", "5", "--memdb"]


# googletest's own ctest tests that the benchmark builds and runs: the C++
# ones, less the largest (gtest_unittest and the printers' and parameter
# tests take minutes each to compile on two cores), keeping those with
# exceptions, threads and death tests (fork).
GOOGLETEST_TESTS = ["googletest-port-test", "gtest_stress_test",
                    "gtest_throw_on_failure_ex_test",
                    "gtest-death-test_ex_catch_test",
                    "googletest-death-test-test", "gtest_environment_test",
                    "gtest_repeat_test", "gtest_premature_exit_test",
                    "googletest-message-test", "gtest_skip_test",
                    "googletest-filepath-test", "googletest-listener-test"]
# The quick subset that runs under protection keys: exceptions, threads and
# death tests (fork), each at least once.
GOOGLETEST_QUICK_TESTS = ["googletest-port-test", "gtest_stress_test",
                          "gtest_throw_on_failure_ex_test",
                          "googletest-death-test-test",
                          "googletest-message-test"]


class Googletest:
    """googletest's own ctest suite (a subset, GOOGLETEST_TESTS): C++ with
    exceptions (EXPECT_THROW, the throw-on-failure tests), threads (the
    stress and port tests) and death tests."""
    name = "googletest"
    directory = "googletest-*"
    program = "build/googletest/googletest-port-test"
    workload_description = "googletest-port-test (threads, mutexes, its own checks)"

    def build(self, tree, compiler):
        flags = " ".join(compiler.flags)
        return build_log([["cmake", "-S", ".", "-B", "build", "-G", "Ninja",
                           "-DCMAKE_BUILD_TYPE=None",
                           "-DCMAKE_C_COMPILER=" + compiler.cc,
                           "-DCMAKE_CXX_COMPILER=" + compiler.cxx,
                           "-DCMAKE_C_FLAGS=" + flags,
                           "-DCMAKE_CXX_FLAGS=" + flags,
                           "-Dgtest_build_tests=ON", "-DBUILD_GMOCK=OFF"],
                          ["ninja", "-C", "build", "-j2"] + GOOGLETEST_TESTS],
                         tree)

    def test(self, tree, runner=(), quick=False):
        tests = GOOGLETEST_QUICK_TESTS if quick else GOOGLETEST_TESTS
        text, status = output_of(
            list(runner) + ["ctest", "-j2", "-R", "^(%s)$" % "|".join(tests)],
            os.path.join(tree, "build"))
        match = re.search(r"(\d+) tests failed out of (\d+)", text)
        if not match:
            return 0, 1
        failed, total = int(match.group(1)), int(match.group(2))
        return total - failed, failed or int(status != 0)

    def probe(self, tree):
        return [os.path.join(tree, self.program), "--gtest_list_tests"]

    def workload(self, tree, scratch):
        return [os.path.join(tree, self.program)]


PACKAGES = {p.name: p for p in
            (Zlib(), Bzip2(), Lua(), Sqlite(), Googletest())}


def main():
    """Builds one package into a copy of its source, for the tests under
    test/realworld, with the same recipe the benchmark uses."""
    import argparse
    import shutil
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("package", choices=sorted(PACKAGES))
    parser.add_argument("source", help="the unpacked Debian source")
    parser.add_argument("tree", help="where the copy is built")
    parser.add_argument("--cc", required=True, help="the C compiler's path")
    parser.add_argument("--cxx", required=True, help="the C++ compiler's path")
    parser.epilog = "Compiler flags follow a '--'."
    arguments = sys.argv[1:]
    split = arguments.index("--") if "--" in arguments else len(arguments)
    options = parser.parse_args(arguments[:split])
    options.flags = arguments[split + 1:]
    shutil.copytree(options.source, options.tree, symlinks=True)
    package = PACKAGES[options.package]
    print(package.build(options.tree, Compiler(options.cc, options.cxx,
                                               options.flags)), end="")


if __name__ == "__main__":
    main()
