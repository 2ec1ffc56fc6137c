//===- raw_pkru.h - An unchecked WRPKRU, for tests only -------------------===//
//
// The runtime writes PKRU only through its checked sequences; the tests set
// rights of keys they allocate themselves directly.
//
//===----------------------------------------------------------------------===//
#ifndef PKGUARD_TEST_UNIT_RAW_PKRU_H
#define PKGUARD_TEST_UNIT_RAW_PKRU_H

#include <stdint.h>

inline void write_pkru(uint32_t pkru) {
  asm volatile(".byte 0x0f, 0x01, 0xef" ::"a"(pkru), "c"(0), "d"(0) : "memory");
}

#endif
