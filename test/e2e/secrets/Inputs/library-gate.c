// A library with a secret and its gate.
[[pkguard::secret("library")]] int library_secret = 11;
[[pkguard::secret_access("library")]] int read_library_secret(void) {
  return library_secret;
}
