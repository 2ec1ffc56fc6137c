// The kernel's remote-access paths, turned on a secret by the program
// itself or by a child it forked: what a file-serving bug that reads an
// attacker-chosen path and offset, or a helper process, would do. Each
// prints what it read, or why it could not.
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

static void through_proc_self_mem(const void *where) {
  int value = 0, fd = open("/proc/self/mem", O_RDONLY);
  ssize_t got = pread(fd, &value, sizeof value, (off_t)(uintptr_t)where);
  if (got == (ssize_t)sizeof value)
    printf("/proc/self/mem: read %d\n", value);
  else
    printf("/proc/self/mem: refused (%s)\n", strerror(errno));
  close(fd);
}

static void through_process_vm_readv(const void *where) {
  int value = 0;
  struct iovec local = {&value, sizeof value};
  struct iovec remote = {(void *)where, sizeof value};
  if (process_vm_readv(getpid(), &local, 1, &remote, 1, 0) == sizeof value)
    printf("process_vm_readv: read %d\n", value);
  else
    printf("process_vm_readv: refused (%s)\n", strerror(errno));
}

static void through_ptrace_from_a_child(const void *where) {
  fflush(stdout);
  pid_t parent = getpid();
  pid_t child = fork();
  if (child == 0) {
    if (ptrace(PTRACE_ATTACH, parent, 0, 0) != 0) {
      printf("ptrace: cannot attach (%s)\n", strerror(errno));
      fflush(stdout);
      _exit(1);
    }
    waitpid(parent, NULL, 0);
    errno = 0;
    long word = ptrace(PTRACE_PEEKDATA, parent, where, 0);
    if (errno == 0)
      printf("ptrace: read %d\n", (int)word);
    else
      printf("ptrace: refused (%s)\n", strerror(errno));
    fflush(stdout);
    ptrace(PTRACE_DETACH, parent, 0, 0);
    _exit(0);
  }
  int status;
  while (waitpid(child, &status, 0) < 0 && errno == EINTR)
    ;
}
