// C++ adds cases the design cannot protect: values the compiler folds,
// dynamic initialisation and destruction (which run outside any gate),
// references, and uses in lambdas and templates.
// RUN: %clangxx -fsyntax-only -std=c++17 -fplugin=%clang_plugin -Xclang -verify %s

struct with_constructor {
  with_constructor();
  int value;
};
struct with_destructor {
  ~with_destructor();
  int value;
};

[[secret]] constexpr int folded = 3; // expected-error {{secret 'folded' is constexpr, so the compiler may copy its value into the code; drop constexpr}}
[[secret]] const int also_folded = 4; // expected-error {{secret 'also_folded' is const, so the compiler may copy its value into the code; drop const}}
[[secret]] const with_constructor *const const_pointer = nullptr; // expected-error {{secret 'const_pointer' is const}}
[[secret]] with_constructor constructed; // expected-error {{secret 'constructed' needs dynamic initialisation, which would run outside any gate; give it a constant initialiser}}
[[secret]] with_destructor destroyed{1}; // expected-error {{secret 'destroyed' needs a destructor, which would run outside any gate}}
int plain = 5;
[[secret]] int &refers = plain; // expected-error {{'secret' cannot protect a reference: the object it refers to lives elsewhere}}

[[secret]] char key[16] = "k";
[[secret]] const char const_array[4] = "abc"; // expected-error {{secret 'const_array' is const, so the compiler may copy its value into the code; drop const}}

struct holder {
  [[secret]] static int member;
  [[pkguard::secret_access]] static int read() { return member; }
  static int leak() { return member; } // expected-error {{secret 'member' is used in 'holder::leak', which is not a gate for its domain 'default'}} expected-note {{mark 'holder::leak' [[pkguard::secret_access]]}}
};
int holder::member = 1;

[[pkguard::secret_access]] int lambda_inside_gate() {
  auto read = [] { return key[0]; }; // expected-error {{secret 'key' is used in 'a lambda', which is not a gate for its domain 'default'}}
  return read();
}

template <typename T> [[pkguard::secret_access]] T templated_gate() { return key[0]; }
template <typename T> T templated_leak() { return key[1]; } // expected-error {{secret 'key' is used in 'templated_leak', which is not a gate for its domain 'default'}} expected-note {{mark 'templated_leak'}}
int instantiate() { return templated_gate<int>() + templated_leak<int>(); }

// Operands that are never evaluated read no memory, outside a gate too.
unsigned long unevaluated_uses() {
  decltype(key) same_type = {};
  return sizeof(key) + alignof(decltype(key)) + sizeof same_type +
         noexcept(key[0]) + sizeof(holder::member);
}
