// A library with a secret and its gates.
[[pkguard::secret("library")]] int library_secret = 11;
[[pkguard::secret_access("library")]] int read_library_secret(void) {
  return library_secret;
}
// Calls back into its caller with the library's domain open.
[[pkguard::secret_access("library")]] int
call_with_library_open(int (*callback)(void)) {
  return library_secret * 100 + callback();
}
