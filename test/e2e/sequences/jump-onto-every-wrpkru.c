// An attacker with one hijacked forward edge jumps onto every WRPKRU in
// the program (each shadow-stack prologue, each gate's entry and exit, the
// runtime's own sequences), with EAX chosen to open every key (0), to open
// the secrets while keeping the shadow stack write-disabled (what the old
// checks let through), and to be the window's own value; ECX and EDX are 0,
// as WRPKRU needs, and every other register points at the attacker's code.
// Each jump runs in a child, which, if it ever gets control back, reads a
// secret and writes the shadow stack. Every child must stop with a pkguard
// report and leak nothing. The twin jumps onto a WRPKRU of its own, which no
// check follows: the same forged EAX gives the secret away.
//
// REQUIRES: pku
// RUN: %pkguard_cc_unscanned --pkguard-stats --pkguard-shadow-stack=all -O0 %s -o %t.O0 2>&1 | FileCheck %s --check-prefix=STATS
// RUN: %pkguard_cc_unscanned --pkguard-stats --pkguard-shadow-stack=all -O2 %s -o %t.O2 2>&1 | FileCheck %s --check-prefix=STATS
// The twin's WRPKRU is the only one pkguard-scan reports:
// RUN: not %pkguard_scan %t.O0 | FileCheck %s --check-prefix=SCAN
// RUN: not %pkguard_scan %t.O2 | FileCheck %s --check-prefix=SCAN
// SCAN: .text+0x{{[0-9a-f]+}} (file offset 0x{{[0-9a-f]+}}, address 0x{{[0-9a-f]+}}, in unchecked_twin+0x{{[0-9a-f]+}}): wrpkru:
// SCAN-NOT: wrpkru
// RUN: %pkrun %t.O0 attack 2>&1 | FileCheck %s
// RUN: %pkrun %t.O2 attack 2>&1 | FileCheck %s
// RUN: %pkrun %t.O2 unchecked 2>&1 | FileCheck %s --check-prefix=TWIN
// STATS: pkguard: stats: secrets in '{{.*}}jump-onto-every-wrpkru.c': 1 secrets placed, 2 gates instrumented, 1 domains
// STATS: pkguard: stats: shadow stack (all) in '{{.*}}jump-onto-every-wrpkru.c': {{[1-9][0-9]*}} instrumented
// CHECK: sites: {{[1-9][0-9]*}} WRPKRUs, {{[1-9][0-9]*}} jumps
// CHECK-NOT: LEAKED
// CHECK-NOT: NOT STOPPED
// CHECK: every jump stopped, with a pkguard report unless it ended with the sanctioned rights; nothing leaked
// TWIN: an unchecked WRPKRU gave away the secret: 4711
#define _GNU_SOURCE
#include <link.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <pkguard/pkguard.h>

[[secret]] int pin = 4711;

[[pkguard::secret_access]] int check_pin(int guess) { return guess == pin; }
[[pkguard::secret_access]] const int *pin_address(void) { return &pin; }

// The runtime's read-only block (<pkguard/abi.h>): the window's value.
extern const struct {
  uint32_t open_mask, close_bits;
  int64_t shadow_delta;
  uint32_t restore_expect, window;
} __pkguard_shadow_abi;

static const int *volatile secret_address;
static uintptr_t volatile shadow_probe;

// Where the attacker's code gets control again, if it ever does: from a
// callee of the function jumped into, or from its return.
__attribute__((noinline, force_align_arg_pointer)) static void regained(void) {
  static const char got[] = "regained control\n";
  write(2, got, sizeof got - 1);
  char line[64];
  int n = snprintf(line, sizeof line, "LEAKED %d\n", *secret_address);
  write(1, line, (size_t)n);
  *(volatile uintptr_t *)pkguard_shadow_address((const void *)&shadow_probe) = 0;
  static const char wrote[] = "LEAKED: wrote the shadow stack\n";
  write(1, wrote, sizeof wrote - 1);
  _exit(0);
}

// A shadow-stack function whose body hands control to its argument.
__attribute__((noinline)) void relay(void (*next)(void)) {
  next();
  __asm__ volatile("" ::: "memory");
}

// Every WRPKRU (0f 01 ef) in the executable's code.
enum { kMaxSites = 256 };
static const unsigned char *sites[kMaxSites];
static int site_count;

static int find_sites(struct dl_phdr_info *info, size_t size, void *unused) {
  (void)size;
  (void)unused;
  if (info->dlpi_name && info->dlpi_name[0])
    return 1; // only the executable: it holds the program and the runtime
  for (int i = 0; i < info->dlpi_phnum; ++i) {
    const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
    if (ph->p_type != PT_LOAD || !(ph->p_flags & PF_X))
      continue;
    const unsigned char *code =
        (const unsigned char *)(info->dlpi_addr + ph->p_vaddr);
    for (size_t at = 0; at + 3 <= ph->p_memsz && site_count < kMaxSites; ++at)
      if (code[at] == 0x0f && code[at + 1] == 0x01 && code[at + 2] == 0xef)
        sites[site_count++] = code + at;
  }
  return 1;
}

// Jumps onto `to` as a hijacked call would, with the registers the
// attacker chose.
__attribute__((noinline)) static void jump(const void *to, uint32_t eax) {
  void (*back)(void) = regained;
  __asm__ volatile("movq %1, %%rdi\n\t"
                   "movq %1, %%rsi\n\t"
                   "movq %1, %%rbx\n\t"
                   "movq %1, %%r12\n\t"
                   "movq %1, %%r13\n\t"
                   "movq %1, %%r14\n\t"
                   "movq %1, %%r15\n\t"
                   "movl %2, %%eax\n\t"
                   "xorl %%ecx, %%ecx\n\t"
                   "xorl %%edx, %%edx\n\t"
                   "callq *%0" ::"r"(to),
                   "r"(back), "r"(eax)
                   : "rax", "rbx", "rcx", "rdx", "rsi", "rdi", "r12", "r13",
                     "r14", "r15", "memory");
}

// Runs one jump in a child. Returns 1 when it stopped as it must: killed,
// nothing on its standard output, and, unless `report_optional`, a pkguard
// report.
static int stopped(const unsigned char *site, uint32_t eax,
                   int report_optional) {
  int out[2], err[2];
  if (pipe(out) || pipe(err))
    exit(3);
  fflush(stdout);
  pid_t child = fork();
  if (child == 0) {
    dup2(out[1], 1);
    dup2(err[1], 2);
    jump(site, eax);
    // The code jumped into returned: the attacker has control again.
    regained();
  }
  close(out[1]);
  close(err[1]);
  static char said[4096], complained[16384];
  memset(said, 0, sizeof said);
  memset(complained, 0, sizeof complained);
  size_t n = 0, m = 0;
  ssize_t got;
  while ((got = read(out[0], said + n, sizeof said - 1 - n)) > 0)
    n += (size_t)got;
  while ((got = read(err[0], complained + m, sizeof complained - 1 - m)) > 0)
    m += (size_t)got;
  close(out[0]);
  close(err[0]);
  int status;
  waitpid(child, &status, 0);
  int reported = strstr(complained, "pkguard: ERROR: ") != NULL;
  if (n > 0 || !WIFSIGNALED(status) || !(reported || report_optional)) {
    printf("NOT STOPPED: WRPKRU at %p, EAX %#x, %s %d: %s%s\n",
           (const void *)site, eax,
           WIFSIGNALED(status) ? "signal" : "exit status",
           WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status), said,
           reported ? "" : "(no pkguard report)");
    fprintf(stderr, "%s", complained);
    return 0;
  }
  return 1;
}

// The twin: a WRPKRU that no check follows (and no prologue precedes, so
// that it is the first in the function).
[[pkguard::no_shadow_stack]] __attribute__((noinline)) static void
unchecked_twin(void) {
  __asm__ volatile("xorl %%eax, %%eax\n\t"
                   "xorl %%ecx, %%ecx\n\t"
                   "xorl %%edx, %%edx\n\t"
                   ".byte 0x0f, 0x01, 0xef" ::: "eax", "ecx", "edx", "memory");
}

static int is_window(const unsigned char *site) {
  return site[-2] == 0x31 && site[-1] == 0xd2; // xorl %edx, %edx
}

// The reports' "close every key" WRPKRU: whatever EAX brings, it loops
// until it has written its constant, so it ends with the rights the
// sanctioned code has there, and the code after it owes no report.
static int is_close_all(const unsigned char *site) {
  static const unsigned char before[] = {0xb8, 0xfc, 0xff, 0xff, 0xff,
                                         0x31, 0xc9, 0x31, 0xd2};
  return !memcmp(site - sizeof before, before, sizeof before);
}

int main(int argc, char **argv) {
  if (check_pin(4711) != 1 || pkguard_get_mode() != PKGUARD_MODE_PROTECTED)
    return 2;
  secret_address = pin_address();
  if (argc > 1 && !strcmp(argv[1], "unchecked")) {
    unchecked_twin();
    printf("an unchecked WRPKRU gave away the secret: %d\n", *secret_address);
    return 0;
  }
  dl_iterate_phdr(find_sites, NULL);
  const unsigned char *twin = (const unsigned char *)unchecked_twin;
  int shadow_key = pkguard_shadow_stack_key();
  const uint32_t forged[] = {0, 2u << (2 * shadow_key)};
  uint32_t window = __pkguard_shadow_abi.window;
  int jumps = 0, failures = 0;
  for (int i = 0; i < site_count; ++i) {
    if (sites[i] >= twin && sites[i] < twin + 32)
      continue;
    for (unsigned v = 0; v < sizeof forged / sizeof *forged; ++v, ++jumps)
      failures += !stopped(sites[i], forged[v], is_close_all(sites[i]));
    // The window's own value, onto a window, is the sanctioned sequence:
    // the rights it ends with are the thread's, and whatever the code does
    // next is no pkguard matter, so long as nothing leaks.
    failures += !stopped(sites[i], window,
                         is_window(sites[i]) || is_close_all(sites[i]));
    ++jumps;
  }
  printf("sites: %d WRPKRUs, %d jumps\n", site_count - 1, jumps);
  if (failures == 0)
    printf("every jump stopped, with a pkguard report unless it ended with "
           "the sanctioned rights; nothing leaked\n");
  // relay() is a target only; this keeps its address taken.
  return failures != 0 || (argc > 99 && (relay((void (*)(void))abort), 0));
}
