// A function with a stack buffer that a caller-chosen string can overflow.
char copy_first(const char *text) {
  char buffer[16];
  __builtin_strcpy(buffer, text);
  return buffer[0];
}
