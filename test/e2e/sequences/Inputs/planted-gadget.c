// A library, built without pkguard, that brings a WRPKRU of its own: one
// that opens every key.
void open_every_key(void) {
  __asm__ volatile(".byte 0x0f, 0x01, 0xef" ::"a"(0), "c"(0), "d"(0)
                   : "memory");
}
