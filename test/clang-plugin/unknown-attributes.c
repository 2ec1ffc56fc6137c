// A misspelt pkguard attribute is an error, not Clang's "unknown attribute
// ignored" warning: ignoring it would silently leave the code unprotected.
// The closest of pkguard's attributes is suggested. Other unknown attributes
// keep Clang's warning, and -Wno-unknown-attributes still silences those but
// not pkguard's. A -verify run with wrong expectations fails, so the plugin
// leaves the outcome of -verify intact.
// RUN: %clang -fsyntax-only -std=c23 -fplugin=%clang_plugin -Xclang -verify=expected,warned %s
// RUN: %clang -fsyntax-only -x c++ -std=c++17 -fplugin=%clang_plugin -Xclang -verify=expected,warned %s
// RUN: %clang -fsyntax-only -std=c23 -fplugin=%clang_plugin -Wno-unknown-attributes -Xclang -verify %s
// RUN: not %clang -fsyntax-only -std=c23 -fplugin=%clang_plugin -Xclang -verify=expected,warned,wrong %s 2>&1 \
// RUN:   | FileCheck %s --check-prefix=WRONG
// WRONG: error: {{'expected-error' diagnostics|diagnostics with 'error' severity}} expected but not seen:
// WRONG: this is not the message
//
// Without the plugin, Clang only warns: the twin that shows why.
// RUN: %clang -fsyntax-only -std=c23 %s 2>&1 | FileCheck %s --check-prefix=PLAIN
// PLAIN: warning: unknown attribute '{{(pkguard::)?}}shadow_stak' ignored
// PLAIN-NOT: error:
//
// Like the plugin's other action, this one takes no arguments.
// RUN: not %clang -fsyntax-only -std=c23 -fplugin=%clang_plugin -Xclang -plugin-arg-pkguard-unknown-attributes \
// RUN:   -Xclang x %s 2>&1 | FileCheck %s --check-prefix=ARGUMENT
// ARGUMENT: error: pkguard's Clang plugin takes no arguments, not 'x'
//
// The object file is not written.
// RUN: rm -f %t.o
// RUN: not %clang -c -std=c23 -fplugin=%clang_plugin %s -o %t.o 2>/dev/null
// RUN: not test -e %t.o

[[pkguard::shadow_stak]] void scoped(void) {} // expected-error {{unknown pkguard attribute 'pkguard::shadow_stak': the code it marks would go unprotected}} expected-note {{did you mean 'pkguard::shadow_stack'?}}

__attribute__((pkguard_no_shadow_stak)) void prefixed(void) {} // expected-error {{unknown pkguard attribute 'pkguard_no_shadow_stak'}} expected-note {{did you mean 'pkguard_no_shadow_stack'?}}

[[pkguard::secret_acces("vault")]] int gate(void) { return 0; } // expected-error {{unknown pkguard attribute 'pkguard::secret_acces'}} expected-note {{did you mean 'pkguard::secret_access'?}}

[[pkguard::scret]] int key; // expected-error {{unknown pkguard attribute 'pkguard::scret'}} expected-note {{did you mean 'pkguard::secret'?}}

[[ pkguard :: shadow_stacks ]] void spaced(void) {} // expected-error {{unknown pkguard attribute 'pkguard::shadow_stacks'}} expected-note {{did you mean 'pkguard::shadow_stack'?}}

[[pkguard::protect_everything]] void far_from_any(void) {} // expected-error {{unknown pkguard attribute 'pkguard::protect_everything'}}

[[gnu::not_pkguards]] void others(void) {} // warned-warning-re {{unknown attribute '{{(gnu::)?}}not_pkguards' ignored}}

[[pkguard::shadow_stack]] void known(void) {} // wrong-error {{this is not the message}}

// Known attributes in the wrong place are errors too.
void statement(void) {
  [[pkguard::shadow_stack]]; // expected-error-re {{'{{(pkguard::)?}}shadow_stack' attribute cannot be applied to a statement}}
}
int [[pkguard::secret]] on_a_type; // expected-error-re {{'{{(pkguard::)?}}secret' attribute cannot be applied to types}}
