# lit configuration of pkguard's tests.
#
# Programs that must run under protection-key semantics go through
# %pkrun, which is pkguard-run sharing one emulated machine among all tests
# (or running natively on a PKU host). A suite that cannot run programs
# under PKU fails here rather than skipping its security tests, unless lit
# is given --param allow_no_pku=1.
import os
import shutil
import subprocess

import lit.formats

config.name = "pkguard"
# The external shell: tests use $? and background jobs.
config.test_format = lit.formats.ShTest(execute_external=True)
config.suffixes = [".ll", ".c", ".cpp", ".test"]
config.excludes = ["Inputs", "unit", "lit.cfg.py", "lit.site.cfg.py"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.pkguard_obj_root, "test")

config.environment["PATH"] = os.pathsep.join(
    [config.llvm_tools_dir, config.pkguard_bin_dir, config.environment["PATH"]])
for name in ("HOME", "TMPDIR", "PKGUARD_VM_DIR"):
    if name in os.environ:
        config.environment[name] = os.environ[name]
# Tests decide their own runtime options.
config.environment.pop("PKGUARD_OPTIONS", None)

lib = config.pkguard_lib_dir
pass_plugin = os.path.join(lib, "PkguardPass.so")
clang_plugin = os.path.join(lib, "PkguardClang.so")
clang = os.path.join(config.llvm_tools_dir, "clang")
clangxx = os.path.join(config.llvm_tools_dir, "clang++")
runner = os.path.join(config.pkguard_bin_dir, "pkguard-run")

config.substitutions += [
    ("%clangxx", clangxx),
    ("%clang_plugin", clang_plugin),
    ("%clang", clang),
    ("%pass_plugin", pass_plugin),
    ("%opt_pkguard", "opt -load-pass-plugin=%s" % pass_plugin),
    # Every program the tests build with pkguard is scanned at its link
    # (pkguard-clang --pkguard-scan): none may carry WRPKRU or XRSTOR bytes
    # but pkguard's own sequences. Twins that plant such bytes on purpose
    # build with the _unscanned forms.
    ("%pkguard_cc_unscanned", os.path.join(config.pkguard_bin_dir, "pkguard-clang")),
    ("%pkguard_cxx_unscanned", os.path.join(config.pkguard_bin_dir, "pkguard-clang++")),
    ("%pkguard_cc", os.path.join(config.pkguard_bin_dir, "pkguard-clang") + " --pkguard-scan"),
    ("%pkguard_cxx", os.path.join(config.pkguard_bin_dir, "pkguard-clang++") + " --pkguard-scan"),
    # The one-flag route: clang --config=%pkguard_config.
    ("%pkguard_config", os.path.join(lib, "pkguard.cfg")),
    ("%pkguard_scan", os.path.join(config.pkguard_bin_dir, "pkguard-scan")),
    ("%runtime_include", os.path.join(config.pkguard_src_root, "runtime", "include")),
    ("%runtime", os.path.join(lib, "libpkguard_rt.a")),
    # Every test writes under the build tree or /tmp; the shared machine
    # must let it, whichever test boots it.
    ("%pkrun", "%s --shared-vm %s --timeout 300 --writable %s --writable /tmp"
     % (runner, config.pkguard_shared_vm, config.pkguard_obj_root)),
    ("%pkguard_run", runner),
    ("%pkguard_src", config.pkguard_src_root),
    ("%pkguard_build", config.pkguard_obj_root),
    # Debian source packages that 'tools/pkguard-dev deps' fetched.
    ("%realworld_src", os.path.join(config.pkguard_obj_root, "realworld")),
]

where = subprocess.run([runner, "--probe"], capture_output=True, text=True,
                       env=config.environment).stdout.strip()
if where in ("native", "emulated"):
    config.available_features.add("pku")
    config.available_features.add("pku-" + where)
elif not lit_config.params.get("allow_no_pku"):
    lit_config.fatal("programs cannot run under protection keys here (%s): "
                     "this CPU lacks PKU and the emulated machine is missing; "
                     "run 'tools/pkguard-dev deps'" % (where or "pkguard-run failed"))
# Whether programs run directly on this host get protection keys.
config.available_features.add("host-pku" if where == "native" else "host-no-pku")
# The other LLVM release pkguard builds for, when installed: the plugins
# must refuse it cleanly (test/*/wrong-llvm-version.test).
other_llvm = {"19": "22", "22": "19"}[config.llvm_version]
other_tools_dir = "/usr/lib/llvm-%s/bin" % other_llvm
config.substitutions += [
    ("%llvm_version", config.llvm_version),
    ("%llvm_bin", config.llvm_tools_dir),
    ("%other_llvm_version", other_llvm),
    ("%other_llvm_bin", other_tools_dir),
]
if os.path.exists(os.path.join(other_tools_dir, "clang")) and \
        os.path.exists(os.path.join(other_tools_dir, "opt")):
    config.available_features.add("other-llvm")
if shutil.which("valgrind"):
    config.available_features.add("valgrind")
