// Every misuse of the secret attributes is an error at its source location.
// RUN: %clang -fsyntax-only -std=c23 -fplugin=%clang_plugin -Xclang -verify %s

[[secret]] static char key[16] = "k";
[[secret]] const int folded_in_c = 3; // expected-error {{secret 'folded_in_c' is const, so the compiler may copy its value into the code; drop const (outside gates the secret cannot be written anyway)}}
[[secret]] const unsigned char const_key[4] = {1, 2, 3, 4}; // expected-error {{secret 'const_key' is const, so the compiler may copy its value into the code}}
[[pkguard::secret("tls")]] char tls_key[16];

void parameter(int p [[secret]]); // expected-error {{'secret' cannot protect a parameter: it lives on the stack}}

void local(void) {
  int on_stack [[secret]] = 0; // expected-error {{'secret' cannot protect a local variable: it lives on the stack; make it static}}
  [[secret]] static int fine;
  (void)on_stack;
  (void)fine; // expected-error {{secret 'fine' is used in 'local', which is not a gate for its domain 'default'}}
}
// expected-note@-6 {{mark 'local' [[pkguard::secret_access]] to let it read and write the secrets of domain 'default'}}

struct record {
  int field [[secret]]; // expected-error {{'secret' cannot protect a field: protection covers whole pages, so make the whole object a secret}}
};

thread_local int per_thread [[secret]]; // expected-error {{'secret' cannot protect a thread-local variable: each thread's copy lives outside the secret pages}}

[[secret]] void function(void); // expected-error {{'secret' applies to variables, not functions; a function that may read secrets is marked [[pkguard::secret_access]]}}

[[pkguard::secret(42)]] int not_a_string; // expected-error-re {{the domain of '{{(pkguard::)?}}secret' must be a plain string literal, as in ("tls_keys")}}
[[pkguard::secret("no-dashes")]] int bad_name; // expected-error {{invalid secret domain name 'no-dashes': use 1 to 32 letters, digits and underscores}}
[[pkguard::secret("a", "b")]] int two_domains; // expected-error-re {{'{{(pkguard::)?}}secret' attribute takes no more than 1 argument}}
[[pkguard::secret("a")]] [[pkguard::secret("b")]] int conflicting; // expected-error {{a secret belongs to one domain; 'conflicting' is already in domain 'a'}}
[[secret]] __attribute__((section("mine"))) int placed; // expected-error {{secret 'placed' cannot be placed in section 'mine': pkguard places secrets in their own pages}}

char *escape = key; // expected-error {{the address of secret 'key' escapes into 'escape', outside any gate}}

int leak(void) { // expected-note {{mark 'leak' [[pkguard::secret_access]] to let it read and write the secrets of domain 'default'}}
  return key[0] + (int)sizeof(key); // expected-error {{secret 'key' is used in 'leak', which is not a gate for its domain 'default'}}
}

[[pkguard::secret_access("tls")]] int wrong_domain(void) { // expected-note {{'wrong_domain' is a gate for domain 'tls' only; a gate opens one domain}}
  return key[0] + tls_key[0]; // expected-error {{secret 'key' is used in 'wrong_domain', which is not a gate for its domain 'default'}}
}

[[pkguard::secret_access]] int gate(void) { return key[0]; }
[[pkguard::secret_access("tls")]] int tls_gate(void) { return tls_key[0]; }

[[pkguard::secret_access]] int on_variable; // expected-error-re {{'{{(pkguard::)?}}secret_access' applies only to functions}}
[[pkguard::secret_access("a")]] [[pkguard::secret_access("b")]] void two_gates(void); // expected-error {{a gate opens one domain; 'two_gates' already opens domain 'a'}}

// Operands that are never evaluated read no memory, outside a gate too.
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
unsigned long unevaluated_uses(void) {
  typeof(key) copy_of_type = {0};
  return ARRAY_SIZE(key) + __alignof__(key) + sizeof copy_of_type +
         _Generic(key[0], char: 1, default: 2);
}
