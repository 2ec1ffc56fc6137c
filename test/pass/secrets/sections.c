// Initialised secrets go to pkguard_secrets; zero ones to
// .bss.pkguard_secrets, which takes no space in the file; each is aligned
// to a page and fills whole pages.
// RUN: %pkguard_cc -O2 -c %s -o %t.o
// RUN: llvm-readelf -S -s %t.o | FileCheck %s
// CHECK-DAG: .bss.pkguard_secrets NOBITS {{[0-9a-f]+}} {{[0-9a-f]+}} 010000 00 WA 0 0 4096
// CHECK-DAG: pkguard_secrets PROGBITS {{[0-9a-f]+}} {{[0-9a-f]+}} 001000 00 WA 0 0 4096
// CHECK-DAG: 65536 OBJECT GLOBAL DEFAULT {{[0-9]+}} zero_pool
// CHECK-DAG: 4096 OBJECT GLOBAL DEFAULT {{[0-9]+}} initialised_key

[[secret]] char zero_pool[65536];
[[secret]] char initialised_key[16] = "0123456789abcdef";

[[pkguard::secret_access]] int use(int i) {
  return zero_pool[i] + initialised_key[i & 15];
}
