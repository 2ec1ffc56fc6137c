# Finds what pkguard builds against and fails with the Debian package to
# install for anything missing. 'tools/pkguard-dev deps' installs them all.

function(pkguard_require_file path package what)
  if(NOT EXISTS "${path}")
    message(FATAL_ERROR "${what} not found at ${path}. Install it with: apt-get install ${package} (or run tools/pkguard-dev deps)")
  endif()
endfunction()

pkguard_require_file("${PKGUARD_LLVM_ROOT}/lib/cmake/llvm/LLVMConfig.cmake" llvm-${PKGUARD_LLVM_VERSION}-dev "LLVM ${PKGUARD_LLVM_VERSION}'s CMake package")
# llvm-14's broken configuration is installed beside it on Debian 12: look
# in PKGUARD_LLVM_ROOT only.
find_package(LLVM REQUIRED CONFIG PATHS "${PKGUARD_LLVM_ROOT}/lib/cmake/llvm" NO_DEFAULT_PATH)
if(NOT LLVM_VERSION_MAJOR EQUAL PKGUARD_LLVM_VERSION)
  message(FATAL_ERROR "PKGUARD_LLVM_VERSION is ${PKGUARD_LLVM_VERSION}, but ${PKGUARD_LLVM_ROOT} holds LLVM ${LLVM_PACKAGE_VERSION}")
endif()
pkguard_require_file("${PKGUARD_LLVM_ROOT}/lib/cmake/clang/ClangConfig.cmake" libclang-${PKGUARD_LLVM_VERSION}-dev "Clang ${PKGUARD_LLVM_VERSION}'s CMake package")
find_package(Clang REQUIRED CONFIG PATHS "${PKGUARD_LLVM_ROOT}/lib/cmake/clang" NO_DEFAULT_PATH)
separate_arguments(PKGUARD_LLVM_DEFINITIONS NATIVE_COMMAND "${LLVM_DEFINITIONS}")
message(STATUS "pkguard: LLVM ${LLVM_PACKAGE_VERSION} in ${PKGUARD_LLVM_ROOT}")

set(PKGUARD_CLANG "${PKGUARD_LLVM_ROOT}/bin/clang")
set(PKGUARD_CLANGXX "${PKGUARD_LLVM_ROOT}/bin/clang++")
pkguard_require_file("${PKGUARD_CLANG}" clang-${PKGUARD_LLVM_VERSION} "clang ${PKGUARD_LLVM_VERSION}")
foreach(tool opt FileCheck not split-file count)
  pkguard_require_file("${PKGUARD_LLVM_ROOT}/bin/${tool}" llvm-${PKGUARD_LLVM_VERSION}-tools "LLVM tool '${tool}'")
endforeach()
# LLVM 19 ships lit as build/utils/lit/lit.py, LLVM 22 as bin/lit.
set(PKGUARD_LIT "${PKGUARD_LLVM_ROOT}/build/utils/lit/lit.py")
if(NOT EXISTS "${PKGUARD_LIT}")
  set(PKGUARD_LIT "${PKGUARD_LLVM_ROOT}/bin/lit")
endif()
pkguard_require_file("${PKGUARD_LIT}" llvm-${PKGUARD_LLVM_VERSION}-tools "lit")
pkguard_require_file("${PKGUARD_LLVM_ROOT}/bin/ld.lld" lld-${PKGUARD_LLVM_VERSION} "ld.lld ${PKGUARD_LLVM_VERSION}")

find_package(GTest)
if(NOT GTest_FOUND)
  message(FATAL_ERROR "GoogleTest not found. Install it with: apt-get install libgtest-dev (or run tools/pkguard-dev deps)")
endif()

find_package(Python3 REQUIRED COMPONENTS Interpreter)
find_program(PKGUARD_QEMU qemu-system-x86_64)
if(NOT PKGUARD_QEMU)
  message(WARNING "qemu-system-x86_64 not found: programs can run under PKU only on a host with PKU. Install it with: apt-get install qemu-system-x86")
endif()
