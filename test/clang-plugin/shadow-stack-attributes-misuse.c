// Misplaced or contradictory shadow-stack attributes are errors at their
// source location.
// RUN: %clang -fsyntax-only -std=c23 -fplugin=%clang_plugin -Xclang -verify %s
// RUN: %clang -fsyntax-only -x c++ -std=c++17 -fplugin=%clang_plugin -Xclang -verify %s

[[pkguard::shadow_stack]] int on_a_variable; // expected-error-re {{'{{(pkguard::)?}}shadow_stack' applies only to functions}}

struct record {
  [[pkguard::no_shadow_stack]] int field; // expected-error-re {{'{{(pkguard::)?}}no_shadow_stack' applies only to functions}}
};

[[pkguard::shadow_stack]] [[pkguard::no_shadow_stack]] int both(void); // expected-error-re {{'{{(pkguard::)?}}no_shadow_stack' contradicts an earlier pkguard attribute on this function}} expected-note {{previous attribute is here}}

[[pkguard::shadow_stack(1)]] int with_argument(void); // expected-error-re {{'{{(pkguard::)?}}shadow_stack' takes no arguments}}

[[pkguard::shadow_stack]] [[pkguard::shadow_stack]] int repeated(void); // repeating one is harmless

void body(void) {
  __attribute__((pkguard_no_shadow_stack)) int local = 0; // expected-error {{'pkguard_no_shadow_stack' applies only to functions}}
  (void)local;
}
