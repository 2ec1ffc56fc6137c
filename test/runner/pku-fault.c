// The emulated machine enforces protection keys for real: a write to a page
// whose key is write-disabled faults with SEGV_PKUERR and that key, and the
// same write succeeds once pkey_set opens the key.
//
// REQUIRES: pku
// RUN: %clang -O1 %s -o %t
// RUN: not --crash %pkrun %t write-disabled 2>&1 | FileCheck %s --check-prefix=FAULT
// RUN: %pkrun %t opened 2>&1 | FileCheck %s --check-prefix=OPENED
//
// FAULT: allocated key [[KEY:[0-9]+]]
// FAULT-NEXT: SIGSEGV code=4 (SEGV_PKUERR) pkey=[[KEY]] at the protected page
// FAULT-NOT: written
// OPENED: allocated key
// OPENED-NEXT: written 42 after pkey_set
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static volatile char *page;

static void on_segv(int sig, siginfo_t *info, void *context) {
  (void)context;
  fprintf(stderr, "SIGSEGV code=%d%s pkey=%d%s\n", info->si_code,
          info->si_code == SEGV_PKUERR ? " (SEGV_PKUERR)" : "", info->si_pkey,
          info->si_addr == (void *)page ? " at the protected page" : "");
  signal(sig, SIG_DFL); // returning re-runs the write, which now kills us
}

int main(int argc, char **argv) {
  if (argc != 2)
    return 2;
  struct sigaction action;
  memset(&action, 0, sizeof action);
  action.sa_sigaction = on_segv;
  action.sa_flags = SA_SIGINFO;
  sigaction(SIGSEGV, &action, NULL);

  int key = pkey_alloc(0, PKEY_DISABLE_WRITE);
  if (key < 0) {
    perror("pkey_alloc");
    return 1;
  }
  page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
              -1, 0);
  if (page == MAP_FAILED || pkey_mprotect((void *)page, 4096,
                                          PROT_READ | PROT_WRITE, key) != 0) {
    perror("pkey_mprotect");
    return 1;
  }
  fprintf(stderr, "allocated key %d\n", key);
  if (!strcmp(argv[1], "opened"))
    pkey_set(key, 0);
  page[0] = 42;
  fprintf(stderr, "written %d after pkey_set\n", page[0]);
  return 0;
}
