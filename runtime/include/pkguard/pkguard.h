/*===- pkguard.h - pkguard's public C interface --------------------------===*\
|*                                                                            *|
|* Part of pkguard, under the Apache License v2.0 with LLVM Exceptions.       *|
|* See LICENSE for license information.                                       *|
|* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception                    *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/
/*
 * What a program built with pkguard can ask of its runtime. Everything the
 * compiler plugins do automatically needs none of this; it serves programs
 * that want to know the protection in force, or that run code on stacks
 * pkguard cannot see (coroutines with hand-made stacks).
 */
#ifndef PKGUARD_PKGUARD_H
#define PKGUARD_PKGUARD_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum pkguard_mode {
  /* The runtime has not initialised (no instrumented code has run). */
  PKGUARD_MODE_UNINITIALIZED = 0,
  /* Protection keys enforce the shadow stack and the secrets. */
  PKGUARD_MODE_PROTECTED = 1,
  /* No usable protection keys: the shadow stack is still checked, but its
   * pages and the secrets are ordinary memory. */
  PKGUARD_MODE_UNPROTECTED = 2,
} pkguard_mode;

/* The mode in force. */
pkguard_mode pkguard_get_mode(void);

/* One line saying the mode and, when unprotected, why. */
const char *pkguard_describe_mode(void);

/* The protection key of the shadow stack, or -1 when unprotected. */
int pkguard_shadow_stack_key(void);

/* Where pkguard keeps the shadow copy of the return address stored at
 * `slot`. For debugging and tests: knowing it lets nobody write there. */
void *pkguard_shadow_address(const void *slot);

/* Makes [stack, stack + size) usable by instrumented code, for stacks that
 * pkguard does not create itself (threads, the main stack and sigaltstack
 * are handled automatically). Returns 0, or an errno value. */
int pkguard_register_stack(void *stack, size_t size);

#ifdef __cplusplus
}
#endif

#endif
