//===- pkguard-clang.cpp - Clang with pkguard's protection ----------------===//
//
// Part of pkguard, under the Apache License v2.0 with LLVM Exceptions.
// See LICENSE for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// One program, three roles, chosen by the name it is started under:
//
//  - pkguard-clang, pkguard-clang++: the compiler wrappers. They run Clang
//    with pkguard's compile flags (both plugins, the policy, <pkguard/...>,
//    __PKGUARD__, and pkguard's linker directory) in front of the user's
//    arguments, then replace themselves by Clang: no process stays behind,
//    so a compile costs Clang's time plus one exec.
//
//  - ld, ld.lld, ld.bfd, ld.gold, ld.mold (links in lib/pkguard/linker/,
//    which the compile flags put first in Clang's program path with -B):
//    pkguard's linker. Clang starts it exactly when it links, with the
//    linker's own arguments, so only here is it known for certain that a
//    link happens and whether it makes an executable (-shared and -r do
//    not). It adds the runtime to executables and runs the real linker of
//    that name. This is why the runtime lands in the right place on both
//    routes, the wrapper and 'clang --config=pkguard.cfg', for stdin
//    inputs, -v, assembly and -shared alike.
//
// Every part is found relative to the program itself (bin/../lib/pkguard,
// bin/../include), so an installed or moved tree works. The compile flags
// and the runtime's link tokens are defined once, here; the configuration
// file lib/pkguard/pkguard.cfg is this program's --pkguard-print-config.
//
// USAGE: pkguard-clang [--pkguard-shadow-stack=all|strong|none]
//                      [--pkguard-stats] [--pkguard-scan] CLANG-ARGS...
//        pkguard-clang --pkguard-print-config | --pkguard-print-link-flags
//
//===----------------------------------------------------------------------===//
#include <pkguard/abi.h>

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace {

using Args = std::vector<std::string>;

constexpr const char *Policies[] = {"all", "strong", "none"};

// What the runtime defines for instrumented shared libraries and what it
// interposes: an executable exports them so that dlopen'ed code sees them.
constexpr const char *ExportedSymbols[] = {
    "__pkguard_*", "pkguard_*",  "pthread_create", "sigaltstack",
    "sigaction",   "signal",     "bsd_signal",     "sysv_signal",
    "longjmp",     "_longjmp",   "siglongjmp",     "__longjmp_chk",
    "dlopen",      "mmap",       "mprotect",       "pkey_alloc",
    "pkey_set",    "clone",      "munmap",         "timer_create",
    "mq_notify"};

// The linkers Clang may start (-fuse-ld=...), each a link to this program
// in lib/pkguard/linker/.
constexpr const char *LinkerNames[] = {"ld", "ld.bfd", "ld.gold", "ld.lld",
                                       "ld.mold"};

// The installation this program belongs to.
struct Layout {
  std::string Bin;     // bin/: this program, pkguard-scan
  std::string Lib;     // lib/pkguard/: plugins, runtime, linker/
  std::string Include; // include/: <pkguard/pkguard.h>

  std::string passPlugin() const { return Lib + "/PkguardPass.so"; }
  std::string clangPlugin() const { return Lib + "/PkguardClang.so"; }
  std::string runtime() const { return Lib + "/libpkguard_rt.a"; }
  std::string sharedRuntime() const { return Lib + "/libpkguard_rt.so"; }
  std::string linkerDir() const { return Lib + "/linker"; }
  std::string scanner() const { return Bin + "/pkguard-scan"; }
};

[[noreturn]] void fail(const std::string &Message) {
  std::fprintf(stderr, "pkguard-clang: error: %s\n", Message.c_str());
  std::exit(2);
}

std::string parentOf(const std::string &Path) {
  size_t Slash = Path.rfind('/');
  return Slash == 0 ? "/" : Path.substr(0, Slash);
}

std::string baseName(const std::string &Path) {
  return Path.substr(Path.rfind('/') + 1);
}

std::string realPath(const std::string &Path) {
  char Resolved[PATH_MAX];
  return realpath(Path.c_str(), Resolved) ? Resolved : "";
}

bool exists(const std::string &Path) {
  struct stat Info;
  return stat(Path.c_str(), &Info) == 0;
}

bool isExecutableFile(const std::string &Path) {
  struct stat Info;
  return stat(Path.c_str(), &Info) == 0 && S_ISREG(Info.st_mode) &&
         access(Path.c_str(), X_OK) == 0;
}

Layout findLayout() {
  std::string Self = realPath("/proc/self/exe");
  if (Self.empty())
    fail("cannot find this program's own path");
  std::string Prefix = parentOf(parentOf(Self));
  return {parentOf(Self), Prefix + "/lib/pkguard", Prefix + "/include"};
}

std::string policyFlag(const std::string &Policy) {
  return "-pkguard-shadow-stack=" + Policy;
}

// The compile flags of both routes. Options that only the compiler proper
// understands go through -Xclang: the integrated assembler, which .s and .S
// inputs reach, knows no pkguard option and would refuse it. The pass
// plugin is loaded with -load as well so that its options exist when
// -mllvm is parsed. Everything is inside --start-no-unused-arguments, as
// assembler inputs and links leave some of it unused.
Args compileFlags(const Layout &L) {
  return {"--start-no-unused-arguments",
          "-fplugin=" + L.clangPlugin(),
          "-fpass-plugin=" + L.passPlugin(),
          "-Xclang", "-load", "-Xclang", L.passPlugin(),
          "-isystem", L.Include,
          "-D__PKGUARD__=" + std::to_string(PKGUARD_VERSION_NUMBER),
          "-B" + L.linkerDir(),
          "--end-no-unused-arguments"};
}

// The linker's arguments that put the runtime into an executable.
Args runtimeLinkTokens(const Layout &L) {
  Args Tokens = {"--whole-archive", L.runtime(), "--no-whole-archive"};
  for (const char *Symbol : ExportedSymbols)
    Tokens.push_back(std::string("--export-dynamic-symbol=") + Symbol);
  return Tokens;
}

// A configuration file for 'clang --config=FILE', one flag per line.
void printConfig(const Layout &L) {
  std::printf("# pkguard's flags for 'clang --config=THIS-FILE'; written by "
              "'pkguard-clang --pkguard-print-config'.\n");
  for (const std::string &Flag : compileFlags(L)) {
    bool TakesValue = Flag == "-Xclang" || Flag == "-isystem";
    std::printf("%s%s", Flag.c_str(), TakesValue ? " " : "\n");
  }
}

// The runtime's link tokens in the driver's spelling, for links that do not
// go through pkguard's linker.
void printLinkFlags(const Layout &L) {
  std::string Line;
  for (const std::string &Token : runtimeLinkTokens(L))
    Line += (Line.empty() ? "-Wl," : ",") + Token;
  std::printf("%s\n", Line.c_str());
}

void printOwnHelp() {
  std::printf(
      "\npkguard OPTIONS (pkguard-clang, pkguard-clang++):\n"
      "  --pkguard-shadow-stack=all|strong|none\n"
      "                          Which functions get a shadow stack (default "
      "strong; also\n"
      "                          $PKGUARD_SHADOW_STACK)\n"
      "  --pkguard-stats         Print, per module, what each pass "
      "instrumented\n"
      "  --pkguard-scan          After a link, fail if the output has "
      "WRPKRU or XRSTOR\n"
      "                          bytes outside pkguard's sequences (also "
      "$PKGUARD_SCAN)\n"
      "  --pkguard-print-config  Print the flags of pkguard.cfg, for clang "
      "--config=\n"
      "  --pkguard-print-link-flags\n"
      "                          Print the runtime's link flags, for links "
      "without pkguard's\n"
      "                          linker\n"
      "  $PKGUARD_CLANG_DIR      The folder of the clang to run (default "
      "%s)\n"
      "  $PKGUARD_VERBOSE        Print the command that runs\n",
      PKGUARD_CLANG_DIR);
}

int waitFor(pid_t Child) {
  int Status;
  while (waitpid(Child, &Status, 0) < 0)
    if (errno != EINTR)
      return 127;
  if (WIFSIGNALED(Status))
    return 128 + WTERMSIG(Status);
  return WEXITSTATUS(Status);
}

std::vector<char *> toArgv(Args &Command) {
  std::vector<char *> Argv;
  for (std::string &Arg : Command)
    Argv.push_back(Arg.data());
  Argv.push_back(nullptr);
  return Argv;
}

[[noreturn]] void execute(Args Command) {
  std::vector<char *> Argv = toArgv(Command);
  execv(Argv[0], Argv.data());
  fail("cannot run " + Command[0] + ": " + std::strerror(errno));
}

enum class Streams { AsTheyAre, FindingsOnly };

// Runs Command and waits for it. FindingsOnly sends its standard output to
// standard error and drops its standard error: the scanner's findings are
// diagnostics of the link, its summary line is noise.
int run(Args Command, Streams Output = Streams::AsTheyAre) {
  pid_t Child = fork();
  if (Child < 0)
    fail(std::string("cannot fork: ") + std::strerror(errno));
  if (Child == 0) {
    if (Output == Streams::FindingsOnly) {
      dup2(STDERR_FILENO, STDOUT_FILENO);
      freopen("/dev/null", "w", stderr);
    }
    execute(std::move(Command));
  }
  return waitFor(Child);
}

// --pkguard-scan: refuses a linked output with WRPKRU or XRSTOR bytes other
// than pkguard's sequences (pkguard-scan's findings, printed).
int scanOutput(const Layout &L, const std::string &Output) {
  int Status = run({L.scanner(), Output}, Streams::FindingsOnly);
  if (Status == 0)
    return 0;
  std::fprintf(stderr,
               "pkguard-clang: error: %s has WRPKRU or XRSTOR bytes outside "
               "pkguard's sequences (see pkguard-scan)\n",
               Output.c_str());
  return 1;
}

// The linker named Name that Clang would have run without pkguard: the
// first in $PATH outside pkguard's own linker folder, else Clang's own.
std::string findRealLinker(const std::string &Name, const std::string &Self) {
  std::string Own = realPath(Self);
  const char *Path = std::getenv("PATH");
  std::string Dirs = std::string(Path ? Path : "") + ":" PKGUARD_CLANG_DIR;
  size_t Start = 0;
  while (Start <= Dirs.size()) {
    size_t End = Dirs.find(':', Start);
    if (End == std::string::npos)
      End = Dirs.size();
    std::string Dir = Dirs.substr(Start, End - Start);
    Start = End + 1;
    if (Dir.empty() || realPath(Dir) == Own)
      continue;
    if (isExecutableFile(Dir + "/" + Name))
      return Dir + "/" + Name;
  }
  fail("no linker '" + Name + "' outside " + Self);
}

bool hasArg(const Args &Arguments, const char *Wanted) {
  for (const std::string &Arg : Arguments)
    if (Arg == Wanted)
      return true;
  return false;
}

// Whether Clang started the linker for an LTO link: it hands the linker
// the bitcode's code-generation options as -plugin-opt=.
bool isLtoLink(const Args &Arguments) {
  for (const std::string &Arg : Arguments)
    if (Arg.rfind("-plugin-opt=", 0) == 0 || Arg.rfind("--plugin-opt=", 0) == 0)
      return true;
  return false;
}

int linkerMain(const std::string &Invoked, Args Arguments) {
  Layout L = findLayout();
  std::string Name = baseName(Invoked);
  // An LTO link instruments what its objects left to it, after link-time
  // inlining (passes/ShadowStack.cpp): the pass plugin must run in its
  // backend, which only lld loads. GNU ld's and gold's LLVM plugin
  // (LLVMgold.so) loads no pass plugin, nor does mold: such links run
  // Clang's own ld.lld instead, which takes their arguments, -plugin
  // included. Clang's own, of the LLVM release that wrote the bitcode: the
  // ld.lld first in $PATH may be another's.
  // lld links LTO objects whether or not Clang says so: it gets the plugin
  // always.
  bool Lto = isLtoLink(Arguments) || Name == "ld.lld";
  std::string Real = Lto ? std::string(PKGUARD_CLANG_DIR) + "/ld.lld"
                         : findRealLinker(Name, parentOf(Invoked));
  if (Lto && !isExecutableFile(Real))
    fail("an LTO link needs " + Real + " (apt-get install lld-"
         PKGUARD_LLVM_VERSION ")");
  if (Lto)
    Arguments.push_back("--load-pass-plugin=" + L.passPlugin());
  if (hasArg(Arguments, "-static"))
    fail("pkguard protects dynamically linked programs; drop -static");
  bool Executable = !hasArg(Arguments, "-shared") && !hasArg(Arguments, "-r");
  if (Executable) {
    if (!exists(L.runtime()))
      fail(L.runtime() + " is missing; build pkguard first");
    // Before the first library, whose archives (libgcc.a,
    // libc_nonshared.a) resolve what the runtime itself calls.
    size_t At = 0;
    while (At < Arguments.size() && Arguments[At].rfind("-l", 0) != 0)
      ++At;
    Args Tokens = runtimeLinkTokens(L);
    Arguments.insert(Arguments.begin() + At, Tokens.begin(), Tokens.end());
  } else if (!hasArg(Arguments, "-r")) {
    // A shared library depends on the shared runtime, found beside the
    // library or in this installation: it then loads into any program, and
    // links under --no-undefined and -z defs. In a program that carries the
    // runtime, the program's definitions come first.
    if (!exists(L.sharedRuntime()))
      fail(L.sharedRuntime() + " is missing; build pkguard first");
    Args Tokens = {L.sharedRuntime(), "--enable-new-dtags", "-rpath",
                   "$ORIGIN", "-rpath", L.Lib};
    Arguments.insert(Arguments.end(), Tokens.begin(), Tokens.end());
  }
  Arguments.insert(Arguments.begin(), Real);
  const char *Scan = std::getenv("PKGUARD_SCAN");
  if (!Scan || !*Scan)
    execute(std::move(Arguments));
  std::string Output = "a.out";
  for (size_t I = 1; I + 1 < Arguments.size(); ++I)
    if (Arguments[I] == "-o")
      Output = Arguments[I + 1];
  int Status = run(std::move(Arguments));
  return Status == 0 ? scanOutput(L, Output) : Status;
}

// The plugins load only into the clang of the LLVM release they are built
// for, and stop any other (compat/LoadGuard.cpp). A clang that
// $PKGUARD_CLANG_DIR names is asked its version first, so that a mismatch is
// this program's error, before any plugin is loaded.
void checkClangVersion(const std::string &Driver) {
  int Pipe[2];
  if (pipe(Pipe) != 0)
    fail(std::string("cannot make a pipe: ") + std::strerror(errno));
  pid_t Child = fork();
  if (Child < 0)
    fail(std::string("cannot fork: ") + std::strerror(errno));
  if (Child == 0) {
    dup2(Pipe[1], STDOUT_FILENO);
    close(Pipe[0]);
    close(Pipe[1]);
    freopen("/dev/null", "w", stderr);
    execute({Driver, "--version"});
  }
  close(Pipe[1]);
  std::string Banner;
  char Buffer[512];
  ssize_t Count;
  while ((Count = read(Pipe[0], Buffer, sizeof Buffer)) > 0 ||
         (Count < 0 && errno == EINTR))
    if (Count > 0)
      Banner.append(Buffer, Count);
  close(Pipe[0]);
  if (waitFor(Child) != 0)
    fail("cannot run " + Driver + " --version");
  const std::string Marker = "clang version ";
  size_t At = Banner.find(Marker);
  if (At == std::string::npos)
    fail(Driver + " does not say which clang version it is");
  At += Marker.size();
  std::string Major = Banner.substr(At, Banner.find('.', At) - At);
  if (Major != PKGUARD_LLVM_VERSION)
    fail("pkguard's plugins are built for LLVM " PKGUARD_LLVM_VERSION
         ", but PKGUARD_CLANG_DIR holds clang " + Major + " (" + Driver +
         "); point it at clang " PKGUARD_LLVM_VERSION
         ", or build pkguard with -DPKGUARD_LLVM_VERSION=" + Major);
}

bool knownPolicy(const std::string &Policy) {
  for (const char *Known : Policies)
    if (Policy == Known)
      return true;
  return false;
}

int compilerMain(const std::string &Invoked, const Args &Arguments) {
  Layout L = findLayout();
  const char *ClangDir = std::getenv("PKGUARD_CLANG_DIR");
  bool PlusPlus = Invoked.size() >= 2 &&
                  Invoked.compare(Invoked.size() - 2, 2, "++") == 0;
  std::string Driver = std::string(ClangDir ? ClangDir : PKGUARD_CLANG_DIR) +
                       (PlusPlus ? "/clang++" : "/clang");
  const char *PolicyFromEnvironment = std::getenv("PKGUARD_SHADOW_STACK");
  std::string Policy = PolicyFromEnvironment ? PolicyFromEnvironment : "strong";
  bool Stats = false, Help = false, Version = false;
  Args UserArgs;
  for (const std::string &Arg : Arguments) {
    if (Arg.rfind("--pkguard-shadow-stack=", 0) == 0)
      Policy = Arg.substr(Arg.find('=') + 1);
    else if (Arg == "--pkguard-stats")
      Stats = true;
    else if (Arg == "--pkguard-scan")
      // pkguard's linker scans what it links.
      setenv("PKGUARD_SCAN", "1", 1);
    else if (Arg == "--pkguard-print-config")
      return printConfig(L), 0;
    else if (Arg == "--pkguard-print-link-flags")
      return printLinkFlags(L), 0;
    else {
      Help |= Arg == "--help";
      Version |= Arg == "--version";
      UserArgs.push_back(Arg);
    }
  }
  if (!knownPolicy(Policy))
    fail("unknown shadow-stack policy '" + Policy +
         "' (expected all, strong or none)");
  for (const std::string &Part : {L.passPlugin(), L.clangPlugin()})
    if (!exists(Part))
      fail(Part + " is missing; build pkguard first");
  if (ClangDir)
    checkClangVersion(Driver);

  Args Command = {Driver};
  Args Flags = compileFlags(L);
  Command.insert(Command.end(), Flags.begin(), Flags.end() - 1);
  // The policy always, even the default, so that build systems and ccache
  // see every setting that changes code generation in the command line.
  Command.insert(Command.end(), {"-Xclang", "-mllvm", "-Xclang",
                                 policyFlag(Policy)});
  if (Stats)
    Command.insert(Command.end(),
                   {"-Xclang", "-mllvm", "-Xclang", "-pkguard-stats"});
  // Under LTO the shadow stack is added at the link, after link-time
  // inlining; this program's links (pkguard's linker) load the pass for it.
  // The last of -flto and -fno-lto counts, as for Clang. The -mllvm option
  // of the user's own, later, still wins.
  bool Lto = false;
  for (const std::string &Arg : UserArgs)
    if (Arg == "-flto" || Arg.rfind("-flto=", 0) == 0)
      Lto = true;
    else if (Arg == "-fno-lto")
      Lto = false;
  if (Lto)
    Command.insert(Command.end(), {"-Xclang", "-mllvm", "-Xclang",
                                   "-pkguard-shadow-stack-at-link"});
  Command.push_back(Flags.back());
  Command.insert(Command.end(), UserArgs.begin(), UserArgs.end());
  if (std::getenv("PKGUARD_VERBOSE")) {
    std::string Line;
    for (const std::string &Arg : Command)
      Line += " " + Arg;
    std::fprintf(stderr, "pkguard-clang:%s\n", Line.c_str());
  }
  if (Version) {
    std::printf("pkguard version %s\n", PKGUARD_VERSION);
    std::fflush(stdout);
  }
  if (!Help)
    execute(std::move(Command));
  int Status = run(std::move(Command));
  std::fflush(stdout);
  printOwnHelp();
  return Status;
}

} // namespace

int main(int Argc, char **Argv) {
  std::string Invoked = Argv[0];
  Args Arguments(Argv + 1, Argv + Argc);
  for (const char *Linker : LinkerNames)
    if (baseName(Invoked) == Linker)
      return linkerMain(Invoked, std::move(Arguments));
  return compilerMain(Invoked, Arguments);
}
