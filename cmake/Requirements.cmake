# Finds what pkguard builds against and fails with the Debian package to
# install for anything missing. 'tools/pkguard-dev deps' installs them all.

function(pkguard_require_file path package what)
  if(NOT EXISTS "${path}")
    message(FATAL_ERROR "${what} not found at ${path}. Install it with: apt-get install ${package} (or run tools/pkguard-dev deps)")
  endif()
endfunction()

pkguard_require_file("${PKGUARD_LLVM_ROOT}/lib/cmake/llvm/LLVMConfig.cmake" llvm-19-dev "LLVM 19's CMake package")
# llvm-14's broken configuration is installed beside it on Debian 12: look
# in PKGUARD_LLVM_ROOT only.
find_package(LLVM REQUIRED CONFIG PATHS "${PKGUARD_LLVM_ROOT}/lib/cmake/llvm" NO_DEFAULT_PATH)
if(NOT LLVM_VERSION_MAJOR EQUAL 19)
  message(FATAL_ERROR "pkguard needs LLVM 19, found ${LLVM_PACKAGE_VERSION} in ${PKGUARD_LLVM_ROOT}")
endif()
pkguard_require_file("${PKGUARD_LLVM_ROOT}/lib/cmake/clang/ClangConfig.cmake" libclang-19-dev "Clang 19's CMake package")
find_package(Clang REQUIRED CONFIG PATHS "${PKGUARD_LLVM_ROOT}/lib/cmake/clang" NO_DEFAULT_PATH)
separate_arguments(PKGUARD_LLVM_DEFINITIONS NATIVE_COMMAND "${LLVM_DEFINITIONS}")
message(STATUS "pkguard: LLVM ${LLVM_PACKAGE_VERSION} in ${PKGUARD_LLVM_ROOT}")

set(PKGUARD_CLANG "${PKGUARD_LLVM_ROOT}/bin/clang")
set(PKGUARD_CLANGXX "${PKGUARD_LLVM_ROOT}/bin/clang++")
pkguard_require_file("${PKGUARD_CLANG}" clang-19 "clang 19")
foreach(tool opt FileCheck not split-file count)
  pkguard_require_file("${PKGUARD_LLVM_ROOT}/bin/${tool}" llvm-19-tools "LLVM tool '${tool}'")
endforeach()
set(PKGUARD_LIT "${PKGUARD_LLVM_ROOT}/build/utils/lit/lit.py")
pkguard_require_file("${PKGUARD_LIT}" llvm-19-tools "lit")
pkguard_require_file("${PKGUARD_LLVM_ROOT}/bin/ld.lld" lld-19 "ld.lld 19")

find_package(GTest)
if(NOT GTest_FOUND)
  message(FATAL_ERROR "GoogleTest not found. Install it with: apt-get install libgtest-dev (or run tools/pkguard-dev deps)")
endif()

find_package(Python3 REQUIRED COMPONENTS Interpreter)
find_program(PKGUARD_QEMU qemu-system-x86_64)
if(NOT PKGUARD_QEMU)
  message(WARNING "qemu-system-x86_64 not found: programs can run under PKU only on a host with PKU. Install it with: apt-get install qemu-system-x86")
endif()
