# What 'cmake --install' lays out, and the Debian package 'cpack -G DEB'
# makes of it. The tree is relocatable: every program finds its parts
# relative to itself, the CMake package relative to its own file and
# pkguard.pc relative to ${pcfiledir}, so the tree can be moved anywhere.
#
#   bin/                       pkguard-clang, pkguard-clang++, pkguard-run, pkguard-scan
#   lib/pkguard/               both plugins and the runtime
#   lib/pkguard/runner/        pkguard-run's Python package
#   lib/pkguard/vm/            the guest agent and init script (no kernel:
#                              pkguard-run fetches one per user on first use)
#   lib/cmake/pkguard/         find_package(pkguard)
#   lib/pkgconfig/pkguard.pc
#   include/pkguard/           <pkguard/pkguard.h>
#   share/doc/pkguard/         README, LICENSE, docs
#   share/man/man1/            a page per program
#
# Fixed folder names rather than GNUInstallDirs: the wrappers and pkguard-run
# look for ../lib/pkguard beside their own bin/, whatever the prefix.

include(CMakePackageConfigHelpers)

set(PKGUARD_INSTALL_LIBDIR lib/pkguard)
set(PKGUARD_INSTALL_INCLUDEDIR include)
set(PKGUARD_INSTALL_CMAKEDIR lib/cmake/pkguard)

# Source paths (the runtime's CHECK messages name their file, debug
# information names every file) relative to the source tree, so that the
# installed tree carries no path of this machine.
foreach(target PkguardPass PkguardClang pkguard_rt pkguard_rt_shared pkguard-scan pkguard-clang pkguard-guest-agent)
  target_compile_options(${target} PRIVATE "-ffile-prefix-map=${PROJECT_SOURCE_DIR}/=")
endforeach()

install(TARGETS PkguardPass PkguardClang LIBRARY DESTINATION ${PKGUARD_INSTALL_LIBDIR})
install(TARGETS pkguard_rt ARCHIVE DESTINATION ${PKGUARD_INSTALL_LIBDIR})
install(TARGETS pkguard_rt_shared LIBRARY DESTINATION ${PKGUARD_INSTALL_LIBDIR})
install(FILES runtime/include/pkguard/pkguard.h
  DESTINATION ${PKGUARD_INSTALL_INCLUDEDIR}/pkguard)

install(TARGETS pkguard-scan pkguard-clang RUNTIME DESTINATION bin)
# pkguard-clang++ and pkguard's linkers (lib/pkguard/linker/ld, ...) are
# relative links to pkguard-clang, installed as links.
install(FILES "${PKGUARD_BIN_DIR}/pkguard-clang++" DESTINATION bin)
install(DIRECTORY "${PKGUARD_LIB_DIR}/linker" DESTINATION ${PKGUARD_INSTALL_LIBDIR})
# The one-flag route's configuration file names absolute paths (Clang 19
# expands nothing relative in it), so it is written for the prefix the
# tree is installed at: the installed wrapper prints it, with a staging
# folder (DESTDIR, as cpack uses) replaced by the final prefix.
install(CODE [[
  set(pkguard_staged "$ENV{DESTDIR}${CMAKE_INSTALL_PREFIX}")
  execute_process(
    COMMAND "${pkguard_staged}/bin/pkguard-clang" --pkguard-print-config
    OUTPUT_VARIABLE pkguard_config COMMAND_ERROR_IS_FATAL ANY)
  string(REPLACE "${pkguard_staged}" "${CMAKE_INSTALL_PREFIX}" pkguard_config
    "${pkguard_config}")
  file(WRITE "${pkguard_staged}/lib/pkguard/pkguard.cfg" "${pkguard_config}")
  message(STATUS "Writing: ${pkguard_staged}/lib/pkguard/pkguard.cfg")
]])

install(PROGRAMS tools/runner/pkguard-run DESTINATION bin)
install(DIRECTORY tools/runner/pkguard_runner
  DESTINATION ${PKGUARD_INSTALL_LIBDIR}/runner
  FILES_MATCHING PATTERN "*.py" PATTERN "__pycache__" EXCLUDE)
install(TARGETS pkguard-guest-agent RUNTIME DESTINATION ${PKGUARD_INSTALL_LIBDIR}/vm)
install(PROGRAMS tools/runner/guest/init.sh DESTINATION ${PKGUARD_INSTALL_LIBDIR}/vm)

install(FILES README.md LICENSE DESTINATION share/doc/pkguard)
install(DIRECTORY docs/ DESTINATION share/doc/pkguard/docs
  FILES_MATCHING PATTERN "*.md" PATTERN "man" EXCLUDE)
install(FILES
  docs/man/pkguard-clang.1 docs/man/pkguard-clang++.1
  docs/man/pkguard-run.1 docs/man/pkguard-scan.1
  DESTINATION share/man/man1)

# find_package(pkguard): pkguard::runtime and pkguard_harden().
configure_package_config_file(cmake/pkguardConfig.cmake.in
  "${PROJECT_BINARY_DIR}/cmake/pkguardConfig.cmake"
  INSTALL_DESTINATION ${PKGUARD_INSTALL_CMAKEDIR}
  PATH_VARS PKGUARD_INSTALL_LIBDIR PKGUARD_INSTALL_INCLUDEDIR)
write_basic_package_version_file(
  "${PROJECT_BINARY_DIR}/cmake/pkguardConfigVersion.cmake"
  COMPATIBILITY SameMinorVersion)
install(FILES
  "${PROJECT_BINARY_DIR}/cmake/pkguardConfig.cmake"
  "${PROJECT_BINARY_DIR}/cmake/pkguardConfigVersion.cmake"
  DESTINATION ${PKGUARD_INSTALL_CMAKEDIR})

configure_file(cmake/pkguard.pc.in "${PROJECT_BINARY_DIR}/cmake/pkguard.pc" @ONLY)
install(FILES "${PROJECT_BINARY_DIR}/cmake/pkguard.pc" DESTINATION lib/pkgconfig)

# cpack -G DEB (from the build folder): pkguard_<version>_amd64.deb, for
# /usr. The wrappers run Debian's clang of the version pkguard was built
# for; pkguard-run needs QEMU and busybox for its emulated machine, and apt
# to fetch that machine's kernel.
set(CPACK_PACKAGE_NAME pkguard)
set(CPACK_PACKAGE_VENDOR pkguard)
set(CPACK_PACKAGE_CONTACT "pkguard developers")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
  "memory-protection-key hardening for C and C++ (Clang plugins and runtime)")
set(CPACK_PACKAGE_DESCRIPTION
  "Shadow stacks and key-protected secrets for C and C++ programs, as plugins for Clang ${LLVM_VERSION_MAJOR}, with the compiler wrappers pkguard-clang and pkguard-clang++, pkguard-run (runs programs under PKU, emulated where the CPU lacks it) and pkguard-scan.")
set(CPACK_RESOURCE_FILE_LICENSE "${PROJECT_SOURCE_DIR}/LICENSE")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_PACKAGE_ARCHITECTURE amd64)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS
  "clang-${LLVM_VERSION_MAJOR}, python3, qemu-system-x86, busybox-static, apt, dpkg")
# ld.lld for -flto builds with -fuse-ld=lld.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "lld-${LLVM_VERSION_MAJOR}")
include(CPack)
