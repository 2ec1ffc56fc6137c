// A program that dlopens the library named by its argument and prints the
// mode that the library's library_mode() reports.
#include <dlfcn.h>
#include <stdio.h>

int main(int argc, char **argv) {
  if (argc < 2)
    return 2;
  void *library = dlopen(argv[1], RTLD_NOW);
  if (!library) {
    printf("dlopen failed: %s\n", dlerror());
    return 1;
  }
  int (*library_mode)(void) = (int (*)(void))dlsym(library, "library_mode");
  printf("library sees mode %d\n", library_mode());
  return 0;
}
