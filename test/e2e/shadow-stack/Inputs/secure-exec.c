// Runs a program in secure-execution mode, as a setuid-root program run by
// an ordinary user would be: real user nobody, effective user root.
#define _GNU_SOURCE
#include <stdio.h>
#include <unistd.h>

int main(int argc, char **argv) {
  if (argc < 2 || setresuid(65534, 0, 0)) {
    perror("secure-exec");
    return 1;
  }
  execv(argv[1], argv + 1);
  perror("secure-exec");
  return 1;
}
