// An instrumented function in another translation unit, small enough that
// the link-time optimiser would inline it into its caller.
[[pkguard::shadow_stack]] int sum_bytes(const char *bytes) {
  return bytes[0] + bytes[1];
}
