//===- agent.c - Program runner inside pkguard-run's emulated machine -----===//
//
// Part of pkguard, under the Apache License v2.0 with LLVM Exceptions.
// See LICENSE for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// The guest half of pkguard-run. The init script mounts the host's file
// system at a root directory and starts this agent as PID 1. The agent reads
// RUN frames from a virtio-serial port, runs each program in that root (so
// paths, shared libraries and the working directory match the host), streams
// its standard input, output and error, and reports how it ended. Many
// programs may run at once, which lets one boot serve a whole test suite.
//
// USAGE: pkguard-guest-agent CHANNEL-DEVICE ROOT-DIRECTORY
//
//===----------------------------------------------------------------------===//
#define _GNU_SOURCE
#include "protocol.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/reboot.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum { MAX_SESSIONS = 64, READ_CHUNK = 65536 };

// How long to keep draining a program's output after it exited, before its
// leftover children are killed so that they cannot hold the pipes open.
static const int DRAIN_AFTER_EXIT_MS = 500;

struct session {
  bool in_use;
  uint32_t id;
  pid_t pid;
  int stdin_fd, stdout_fd, stderr_fd;
  char *pending_stdin;
  size_t pending_length;
  bool stdin_eof_requested;
  bool exited;
  int wait_status;
  long long exit_deadline_ms;
};

static struct session sessions[MAX_SESSIONS];
static int channel_fd = -1;
static int signal_fd = -1;
static sigset_t child_signal;

static void die(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fputs("pkguard-guest-agent: ", stderr);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
  reboot(RB_POWER_OFF);
  _exit(1);
}

static long long now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void write_all(int fd, const void *data, size_t length) {
  const char *p = data;
  while (length > 0) {
    ssize_t n = write(fd, p, length);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      die("channel write failed: %s", strerror(errno));
    p += n;
    length -= (size_t)n;
  }
}

static void send_frame(uint32_t session, uint8_t type, const void *payload,
                       uint32_t length) {
  struct frame_header header = {length, session, type, {0, 0, 0}};
  char buffer[FRAME_HEADER_SIZE + READ_CHUNK];
  if (length <= READ_CHUNK) {
    // One write per frame keeps frames whole on the port.
    memcpy(buffer, &header, FRAME_HEADER_SIZE);
    memcpy(buffer + FRAME_HEADER_SIZE, payload, length);
    write_all(channel_fd, buffer, FRAME_HEADER_SIZE + length);
    return;
  }
  write_all(channel_fd, &header, FRAME_HEADER_SIZE);
  write_all(channel_fd, payload, length);
}

static void send_failure(uint32_t session, int error, const char *step) {
  char payload[256];
  int32_t code = error;
  memcpy(payload, &code, sizeof code);
  size_t step_length = strnlen(step, sizeof payload - sizeof code);
  memcpy(payload + sizeof code, step, step_length);
  send_frame(session, FRAME_FAILED, payload, sizeof code + step_length);
}

static struct session *find_session(uint32_t id) {
  for (int i = 0; i < MAX_SESSIONS; ++i)
    if (sessions[i].in_use && sessions[i].id == id)
      return &sessions[i];
  return NULL;
}

static void close_fd(int *fd) {
  if (*fd >= 0)
    close(*fd);
  *fd = -1;
}

static void finish_session(struct session *s) {
  // Whatever the program left running dies with it, as in a test harness.
  kill(-s->pid, SIGKILL);
  int32_t report[3] = {0, 0, 0};
  if (WIFSIGNALED(s->wait_status)) {
    report[0] = 1;
    report[1] = WTERMSIG(s->wait_status);
    report[2] = WCOREDUMP(s->wait_status) ? 1 : 0;
  } else {
    report[1] = WEXITSTATUS(s->wait_status);
  }
  send_frame(s->id, FRAME_EXITED, report, sizeof report);
  close_fd(&s->stdin_fd);
  close_fd(&s->stdout_fd);
  close_fd(&s->stderr_fd);
  free(s->pending_stdin);
  memset(s, 0, sizeof *s);
}

// Reads the NUL-terminated string at *cursor, or returns NULL when the
// payload ends first.
static char *take_string(char **cursor, char *end) {
  char *start = *cursor;
  char *nul = memchr(start, '\0', (size_t)(end - start));
  if (!nul)
    return NULL;
  *cursor = nul + 1;
  return start;
}

static void exec_child(char *cwd, char *path, char **argv, char **envp,
                       int error_fd) {
  struct {
    int32_t error;
    char step[16];
  } failure = {0, ""};
  if (chdir(cwd) != 0) {
    failure.error = errno;
    strcpy(failure.step, "chdir");
  } else {
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    for (int sig = 1; sig < NSIG; ++sig)
      signal(sig, SIG_DFL);
    execve(path, argv, envp);
    failure.error = errno;
    strcpy(failure.step, "execve");
  }
  (void)!write(error_fd, &failure, sizeof failure);
  _exit(127);
}

static void start_program(uint32_t id, char *payload, uint32_t length) {
  if (find_session(id) || length < 8) {
    send_failure(id, EINVAL, "request");
    return;
  }
  uint32_t argc, envc;
  memcpy(&argc, payload, 4);
  memcpy(&envc, payload + 4, 4);
  char *cursor = payload + 8, *end = payload + length;
  char *cwd = take_string(&cursor, end);
  char *path = cwd ? take_string(&cursor, end) : NULL;
  if (!path || argc == 0 || argc > 65536 || envc > 65536) {
    send_failure(id, EINVAL, "request");
    return;
  }
  char **argv = calloc(argc + 1, sizeof *argv);
  char **envp = calloc(envc + 1, sizeof *envp);
  bool complete = argv && envp;
  for (uint32_t i = 0; complete && i < argc; ++i)
    complete = (argv[i] = take_string(&cursor, end)) != NULL;
  for (uint32_t i = 0; complete && i < envc; ++i)
    complete = (envp[i] = take_string(&cursor, end)) != NULL;

  struct session *s = NULL;
  for (int i = 0; complete && i < MAX_SESSIONS && !s; ++i)
    if (!sessions[i].in_use)
      s = &sessions[i];
  int in[2] = {-1, -1}, out[2] = {-1, -1}, err[2] = {-1, -1},
      status[2] = {-1, -1};
  if (!complete || !s) {
    send_failure(id, complete ? EAGAIN : EINVAL, "request");
  } else if (pipe2(in, O_CLOEXEC) || pipe2(out, O_CLOEXEC) ||
             pipe2(err, O_CLOEXEC) || pipe2(status, O_CLOEXEC)) {
    send_failure(id, errno, "pipe");
  } else {
    pid_t pid = fork();
    if (pid == 0) {
      setsid();
      dup2(in[0], 0);
      dup2(out[1], 1);
      dup2(err[1], 2);
      exec_child(cwd, path, argv, envp, status[1]);
    }
    if (pid < 0) {
      send_failure(id, errno, "fork");
    } else {
      close_fd(&status[1]);
      struct {
        int32_t error;
        char step[16];
      } failure;
      ssize_t n;
      do
        n = read(status[0], &failure, sizeof failure);
      while (n < 0 && errno == EINTR);
      memset(s, 0, sizeof *s);
      s->in_use = true;
      s->id = id;
      s->pid = pid;
      s->stdin_fd = in[1];
      s->stdout_fd = out[0];
      s->stderr_fd = err[0];
      in[1] = out[0] = err[0] = -1;
      fcntl(s->stdin_fd, F_SETFL, O_NONBLOCK);
      if (n == (ssize_t)sizeof failure) {
        failure.step[sizeof failure.step - 1] = '\0';
        send_failure(id, failure.error, failure.step);
        // The child exits at once; its status is reaped but not reported.
        waitpid(pid, NULL, 0);
        close_fd(&s->stdin_fd);
        close_fd(&s->stdout_fd);
        close_fd(&s->stderr_fd);
        memset(s, 0, sizeof *s);
      }
    }
  }
  int *fds[] = {&in[0], &in[1], &out[0], &out[1], &err[0], &err[1],
                &status[0], &status[1]};
  for (size_t i = 0; i < sizeof fds / sizeof *fds; ++i)
    close_fd(fds[i]);
  free(argv);
  free(envp);
}

static void flush_stdin(struct session *s) {
  while (s->pending_length > 0 && s->stdin_fd >= 0) {
    ssize_t n = write(s->stdin_fd, s->pending_stdin, s->pending_length);
    if (n < 0) {
      if (errno == EAGAIN || errno == EINTR)
        return;
      // The program closed its input; what it did not read is dropped.
      s->pending_length = 0;
      close_fd(&s->stdin_fd);
      return;
    }
    memmove(s->pending_stdin, s->pending_stdin + n, s->pending_length - n);
    s->pending_length -= (size_t)n;
  }
  if (s->pending_length == 0 && s->stdin_eof_requested)
    close_fd(&s->stdin_fd);
}

static void queue_stdin(struct session *s, const char *data, uint32_t length) {
  if (s->stdin_fd < 0)
    return;
  char *grown = realloc(s->pending_stdin, s->pending_length + length);
  if (!grown)
    die("out of memory for standard input");
  memcpy(grown + s->pending_length, data, length);
  s->pending_stdin = grown;
  s->pending_length += length;
  flush_stdin(s);
}

static void handle_frame(const struct frame_header *h, char *payload) {
  struct session *s = find_session(h->session);
  switch (h->type) {
  case FRAME_RUN:
    start_program(h->session, payload, h->payload_length);
    break;
  case FRAME_STDIN:
    if (s)
      queue_stdin(s, payload, h->payload_length);
    break;
  case FRAME_STDIN_EOF:
    if (s) {
      s->stdin_eof_requested = true;
      flush_stdin(s);
    }
    break;
  case FRAME_SIGNAL:
    if (s && h->payload_length == 4) {
      uint32_t sig;
      memcpy(&sig, payload, 4);
      kill(-s->pid, (int)sig);
    }
    break;
  case FRAME_SHUTDOWN:
    for (int i = 0; i < MAX_SESSIONS; ++i)
      if (sessions[i].in_use)
        kill(-sessions[i].pid, SIGKILL);
    sync();
    reboot(RB_POWER_OFF);
    _exit(0);
  default:
    die("unknown frame type %u", h->type);
  }
}

static char *channel_buffer;
static size_t channel_length;

static void read_channel(void) {
  enum { CAPACITY = FRAME_HEADER_SIZE + FRAME_MAX_PAYLOAD };
  if (!channel_buffer && !(channel_buffer = malloc(CAPACITY)))
    die("out of memory");
  ssize_t n = read(channel_fd, channel_buffer + channel_length,
                   CAPACITY - channel_length);
  if (n < 0 && (errno == EINTR || errno == EAGAIN))
    return;
  if (n < 0)
    die("channel read failed: %s", strerror(errno));
  if (n == 0) {
    // The host closed the port; wait for it to reopen.
    usleep(10000);
    return;
  }
  channel_length += (size_t)n;
  size_t offset = 0;
  while (channel_length - offset >= FRAME_HEADER_SIZE) {
    struct frame_header h;
    memcpy(&h, channel_buffer + offset, FRAME_HEADER_SIZE);
    if (h.payload_length > FRAME_MAX_PAYLOAD)
      die("oversized frame (%u bytes)", h.payload_length);
    if (channel_length - offset < FRAME_HEADER_SIZE + h.payload_length)
      break;
    char *payload = channel_buffer + offset + FRAME_HEADER_SIZE;
    handle_frame(&h, payload);
    offset += FRAME_HEADER_SIZE + h.payload_length;
  }
  memmove(channel_buffer, channel_buffer + offset, channel_length - offset);
  channel_length -= offset;
}

// Forwards what a program wrote; returns false at end of file.
static bool forward_output(struct session *s, int *fd, uint8_t type) {
  char buffer[READ_CHUNK];
  ssize_t n = read(*fd, buffer, sizeof buffer);
  if (n < 0 && (errno == EINTR || errno == EAGAIN))
    return true;
  if (n <= 0) {
    close_fd(fd);
    return false;
  }
  send_frame(s->id, type, buffer, (uint32_t)n);
  return true;
}

static void reap_children(void) {
  struct signalfd_siginfo info;
  while (read(signal_fd, &info, sizeof info) > 0) {
  }
  int status;
  pid_t pid;
  while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
    for (int i = 0; i < MAX_SESSIONS; ++i) {
      struct session *s = &sessions[i];
      if (s->in_use && s->pid == pid && !s->exited) {
        s->exited = true;
        s->wait_status = status;
        s->exit_deadline_ms = now_ms() + DRAIN_AFTER_EXIT_MS;
      }
    }
  }
}

// Whether programs here run under protection keys. The kernel hands out a
// key (freed again at once) only when the CPU has PKU and the kernel was
// built and booted with protection keys, so one call answers for both.
// pkguard_runner/pku.py asks the host the same question; it cannot share
// this code, which runs inside the machine, so keep the two in step.
static bool probe_pku(void) {
  long key = syscall(SYS_pkey_alloc, 0, 0);
  if (key < 0)
    return false;
  syscall(SYS_pkey_free, key);
  return true;
}

static void report_ready(void) {
  struct utsname u;
  uname(&u);
  char text[256];
  int length = snprintf(text, sizeof text, "pku=%d kernel=%s",
                        probe_pku() ? 1 : 0, u.release);
  send_frame(0, FRAME_READY, text, (uint32_t)length);
}

int main(int argc, char **argv) {
  if (argc != 3)
    die("usage: pkguard-guest-agent CHANNEL-DEVICE ROOT-DIRECTORY");
  channel_fd = open(argv[1], O_RDWR | O_CLOEXEC);
  if (channel_fd < 0)
    die("cannot open %s: %s", argv[1], strerror(errno));
  if (chroot(argv[2]) != 0 || chdir("/") != 0)
    die("cannot enter %s: %s", argv[2], strerror(errno));

  sigemptyset(&child_signal);
  sigaddset(&child_signal, SIGCHLD);
  sigprocmask(SIG_BLOCK, &child_signal, NULL);
  signal(SIGPIPE, SIG_IGN);
  signal_fd = signalfd(-1, &child_signal, SFD_NONBLOCK | SFD_CLOEXEC);
  if (signal_fd < 0)
    die("signalfd: %s", strerror(errno));

  report_ready();
  for (;;) {
    struct pollfd fds[2 + 3 * MAX_SESSIONS];
    struct session *owners[2 + 3 * MAX_SESSIONS];
    int count = 0;
    fds[count++] = (struct pollfd){channel_fd, POLLIN, 0};
    fds[count++] = (struct pollfd){signal_fd, POLLIN, 0};
    long long now = now_ms();
    int timeout = -1;
    for (int i = 0; i < MAX_SESSIONS; ++i) {
      struct session *s = &sessions[i];
      if (!s->in_use)
        continue;
      bool drained = s->stdout_fd < 0 && s->stderr_fd < 0;
      if (s->exited && (drained || now >= s->exit_deadline_ms)) {
        finish_session(s);
        continue;
      }
      if (s->exited) {
        int left = (int)(s->exit_deadline_ms - now);
        timeout = timeout < 0 || left < timeout ? left : timeout;
      }
      int *fds_of[] = {&s->stdout_fd, &s->stderr_fd, &s->stdin_fd};
      short events[] = {POLLIN, POLLIN, POLLOUT};
      for (int k = 0; k < 3; ++k) {
        if (*fds_of[k] < 0 || (k == 2 && s->pending_length == 0))
          continue;
        owners[count] = s;
        fds[count++] = (struct pollfd){*fds_of[k], events[k], 0};
      }
    }
    if (poll(fds, (nfds_t)count, timeout) < 0 && errno != EINTR)
      die("poll: %s", strerror(errno));
    if (fds[1].revents)
      reap_children();
    for (int i = 2; i < count; ++i) {
      struct session *s = owners[i];
      if (!fds[i].revents || !s->in_use)
        continue;
      if (fds[i].fd == s->stdout_fd)
        forward_output(s, &s->stdout_fd, FRAME_STDOUT);
      else if (fds[i].fd == s->stderr_fd)
        forward_output(s, &s->stderr_fd, FRAME_STDERR);
      else if (fds[i].fd == s->stdin_fd)
        flush_stdin(s);
    }
    if (fds[0].revents)
      read_channel();
  }
}
