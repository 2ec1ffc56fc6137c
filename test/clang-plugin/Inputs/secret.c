// A secret and its gate, in the spelling only the Clang plugin knows.
__attribute__((secret)) int key = 42;

__attribute__((pkguard_secret_access)) int read_key(void) { return key; }
