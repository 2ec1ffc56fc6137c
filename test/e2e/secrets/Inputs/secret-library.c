// A shared library with a secret of its own, in its own domain, and gates:
// registered with the runtime when dlopen runs its constructor.
[[pkguard::secret("plugin")]] char plugin_token[32] = "plugin-token-42";

[[pkguard::secret_access("plugin")]] int plugin_token_length(void) {
  int n = 0;
  while (plugin_token[n])
    ++n;
  return n;
}

[[pkguard::secret_access("plugin")]] const char *plugin_token_address(void) {
  return plugin_token;
}
