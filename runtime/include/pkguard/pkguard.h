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
 * that want to know the protection in force, that run code on stacks pkguard
 * cannot see (coroutines with hand-made stacks), or whose secrets do not fit
 * a global variable and a gate function: heap secrets and scoped access.
 */
#ifndef PKGUARD_PKGUARD_H
#define PKGUARD_PKGUARD_H

#include <stddef.h>

/* pkguard's Clang plugin defines the attribute `secret`. Without it (plain
 * clang, gcc) the attributes are ignored: [[secret]] variables are ordinary
 * memory and gates are ordinary functions. The compiler's own warning
 * ("unknown attribute 'secret' ignored") does not say why, so say it here.
 * The runtime itself, built without the plugin on purpose, defines
 * PKGUARD_RUNTIME_BUILD. */
#if defined(__has_attribute) && !defined(PKGUARD_RUNTIME_BUILD)
#if !__has_attribute(secret)
#warning "pkguard: compiled without pkguard's Clang plugin: [[secret]] is ignored and secrets are unprotected; build with pkguard-clang or clang --config=pkguard.cfg"
#endif
#endif

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

typedef enum pkguard_secret_memory {
  /* Secrets lie in ordinary pages: the protection key stops the program's
   * own accesses, but the kernel's remote-access paths (pread of
   * /proc/self/mem, process_vm_readv, ptrace) read them. */
  PKGUARD_SECRETS_IN_ORDINARY_MEMORY = 0,
  /* Secrets lie in memfd_secret pages, outside the kernel's direct map:
   * those paths fail on them as well. */
  PKGUARD_SECRETS_OUTSIDE_DIRECT_MAP = 1,
} pkguard_secret_memory;

/* Where the secrets placed so far lie. */
pkguard_secret_memory pkguard_get_secret_memory(void);

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

/* Secrets on the heap. Returns zeroed memory of `size` bytes on pages of
 * their own, between guard pages, tagged with the key of `domain` (NULL:
 * the default domain), kept out of core dumps and locked in memory where
 * allowed. Like static secrets, it can be used only inside a gate of its
 * domain or between pkguard_secret_open and pkguard_secret_close. Returns
 * NULL, with errno set, when no memory is left. */
void *pkguard_secret_alloc(const char *domain, size_t size);

/* Zeroes and unmaps memory from pkguard_secret_alloc; NULL is ignored. Any
 * other pointer is a fatal error. */
void pkguard_secret_free(void *secret);

/* What pkguard_secret_open found, for pkguard_secret_close to put back. */
typedef struct pkguard_secret_scope {
  unsigned int saved;
} pkguard_secret_scope;

/* Opens `domain` (NULL: the default domain) in the calling thread until the
 * matching pkguard_secret_close; scopes nest. For code that cannot be a
 * [[pkguard::secret_access]] function. */
pkguard_secret_scope pkguard_secret_open(const char *domain);
void pkguard_secret_close(pkguard_secret_scope scope);

#ifdef __cplusplus
}

namespace pkguard {

/* Opens a secret domain for the lifetime of the object. */
class secret_scope {
public:
  explicit secret_scope(const char *domain = nullptr)
      : scope_(pkguard_secret_open(domain)) {}
  ~secret_scope() { pkguard_secret_close(scope_); }
  secret_scope(const secret_scope &) = delete;
  secret_scope &operator=(const secret_scope &) = delete;

private:
  pkguard_secret_scope scope_;
};

} /* namespace pkguard */
#endif

#endif
