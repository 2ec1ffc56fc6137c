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

// The poll set: the host channel, the SIGCHLD signalfd, then up to three
// pipes per session (its output, its error and, while input waits, its input).
enum { POLL_CHANNEL = 0, POLL_SIGNALS = 1, POLL_FIRST_SESSION = 2 };
enum { MAX_POLL_FDS = POLL_FIRST_SESSION + 3 * MAX_SESSIONS };

// The status of a child that could not start its program, as a shell's child
// exits when exec fails. The host is told why in a FAILED frame instead, so
// it sees this status only if that report could not be written.
enum { EXIT_CANNOT_START = 127 };

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

// What a child writes to its status pipe when it could not start the
// program. The pipe is close-on-exec, so a successful execve closes it
// unwritten.
struct exec_failure {
  int32_t error;
  char step[16];
};

// A parsed RUN request. The strings point into the frame's payload; only the
// two arrays are allocated.
struct run_request {
  char *cwd, *path;
  char **argv, **envp;
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

// step is a NUL-terminated string; a longer one than fits is cut short.
static void send_failure(uint32_t session, int error, const char *step) {
  char payload[256];
  int32_t code = error;
  memcpy(payload, &code, sizeof code);
  size_t step_length = strlen(step);
  if (step_length > sizeof payload - sizeof code)
    step_length = sizeof payload - sizeof code;
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

// Every program runs in a session (and process group) of its own, so a
// signal for it reaches whatever it started too.
static void signal_program(const struct session *s, int sig) {
  kill(-s->pid, sig);
}

// Gives a session's pipes and buffer back and frees its slot.
static void release_session(struct session *s) {
  close_fd(&s->stdin_fd);
  close_fd(&s->stdout_fd);
  close_fd(&s->stderr_fd);
  free(s->pending_stdin);
  memset(s, 0, sizeof *s);
}

static void finish_session(struct session *s) {
  // Whatever the program left running dies with it, as in a test harness.
  signal_program(s, SIGKILL);
  int32_t report[3] = {0, 0, 0};
  if (WIFSIGNALED(s->wait_status)) {
    report[0] = 1;
    report[1] = WTERMSIG(s->wait_status);
    report[2] = WCOREDUMP(s->wait_status) ? 1 : 0;
  } else {
    report[1] = WEXITSTATUS(s->wait_status);
  }
  send_frame(s->id, FRAME_EXITED, report, sizeof report);
  release_session(s);
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

// Parses a RUN payload (see protocol.h) into *r; returns 0, or the errno to
// report when the request is malformed. The arrays in *r are the caller's to
// free, whatever the result.
static int parse_run_request(char *payload, uint32_t length,
                             struct run_request *r) {
  if (length < 8)
    return EINVAL;
  uint32_t argc, envc;
  memcpy(&argc, payload, 4);
  memcpy(&envc, payload + 4, 4);
  char *cursor = payload + 8, *end = payload + length;
  r->cwd = take_string(&cursor, end);
  r->path = r->cwd ? take_string(&cursor, end) : NULL;
  if (!r->path || argc == 0 || argc > 65536 || envc > 65536)
    return EINVAL;
  r->argv = calloc(argc + 1, sizeof *r->argv);
  r->envp = calloc(envc + 1, sizeof *r->envp);
  bool complete = r->argv && r->envp;
  for (uint32_t i = 0; complete && i < argc; ++i)
    complete = (r->argv[i] = take_string(&cursor, end)) != NULL;
  for (uint32_t i = 0; complete && i < envc; ++i)
    complete = (r->envp[i] = take_string(&cursor, end)) != NULL;
  return complete ? 0 : EINVAL;
}

static struct session *free_session_slot(void) {
  for (int i = 0; i < MAX_SESSIONS; ++i)
    if (!sessions[i].in_use)
      return &sessions[i];
  return NULL;
}

// Runs in the forked child: becomes a session leader (so the agent can
// signal everything the program starts), takes the pipes as its standard
// streams, and executes the program with the signal state of a fresh process.
// Reports on error_fd why it could not.
static void exec_child(const struct run_request *r, int stdin_fd,
                       int stdout_fd, int stderr_fd, int error_fd) {
  setsid();
  dup2(stdin_fd, 0);
  dup2(stdout_fd, 1);
  dup2(stderr_fd, 2);
  struct exec_failure failure = {0, ""};
  if (chdir(r->cwd) != 0) {
    failure.error = errno;
    strcpy(failure.step, "chdir");
  } else {
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    for (int sig = 1; sig < NSIG; ++sig)
      signal(sig, SIG_DFL);
    execve(r->path, r->argv, r->envp);
    failure.error = errno;
    strcpy(failure.step, "execve");
  }
  (void)!write(error_fd, &failure, sizeof failure);
  _exit(EXIT_CANNOT_START);
}

// Waits until the child has either executed its program (the status pipe
// closes unwritten) or reported why not; returns true, with *failure filled
// in, in the second case.
static bool read_exec_failure(int status_fd, struct exec_failure *failure) {
  ssize_t n;
  do
    n = read(status_fd, failure, sizeof *failure);
  while (n < 0 && errno == EINTR);
  if (n != (ssize_t)sizeof *failure)
    return false;
  failure->step[sizeof failure->step - 1] = '\0';
  return true;
}

// Fills the free slot s for a program that is running, taking over its end
// of each pipe (the caller's copies become -1).
static void adopt_program(struct session *s, uint32_t id, pid_t pid,
                          int *stdin_fd, int *stdout_fd, int *stderr_fd) {
  memset(s, 0, sizeof *s);
  s->in_use = true;
  s->id = id;
  s->pid = pid;
  s->stdin_fd = *stdin_fd;
  s->stdout_fd = *stdout_fd;
  s->stderr_fd = *stderr_fd;
  *stdin_fd = *stdout_fd = *stderr_fd = -1;
  // Input is written as the program reads it, never blocking the agent.
  fcntl(s->stdin_fd, F_SETFL, O_NONBLOCK);
}

// Starts the program of request r in the free slot s, or sends the FAILED
// frame that says which step failed.
static void spawn_program(struct session *s, uint32_t id,
                          const struct run_request *r) {
  int in[2] = {-1, -1}, out[2] = {-1, -1}, err[2] = {-1, -1},
      status[2] = {-1, -1};
  if (pipe2(in, O_CLOEXEC) || pipe2(out, O_CLOEXEC) ||
      pipe2(err, O_CLOEXEC) || pipe2(status, O_CLOEXEC)) {
    send_failure(id, errno, "pipe");
  } else {
    pid_t pid = fork();
    if (pid == 0)
      exec_child(r, in[0], out[1], err[1], status[1]);
    if (pid < 0) {
      send_failure(id, errno, "fork");
    } else {
      close_fd(&status[1]);
      struct exec_failure failure;
      if (read_exec_failure(status[0], &failure)) {
        send_failure(id, failure.error, failure.step);
        // The child exits at once; its status is reaped but not reported.
        waitpid(pid, NULL, 0);
      } else {
        adopt_program(s, id, pid, &in[1], &out[0], &err[0]);
      }
    }
  }
  // The agent's copies of every pipe end the session did not take.
  int *fds[] = {&in[0], &in[1], &out[0], &out[1], &err[0], &err[1],
                &status[0], &status[1]};
  for (size_t i = 0; i < sizeof fds / sizeof *fds; ++i)
    close_fd(fds[i]);
}

// Handles a RUN frame: a malformed request, or one for a session id already
// in use, fails with EINVAL; one that finds every slot taken, with EAGAIN.
static void start_program(uint32_t id, char *payload, uint32_t length) {
  struct run_request request = {NULL, NULL, NULL, NULL};
  int error =
      find_session(id) ? EINVAL : parse_run_request(payload, length, &request);
  struct session *s = error ? NULL : free_session_slot();
  if (!error && !s)
    error = EAGAIN;
  if (error)
    send_failure(id, error, "request");
  else
    spawn_program(s, id, &request);
  free(request.argv);
  free(request.envp);
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
      signal_program(s, (int)sig);
    }
    break;
  case FRAME_SHUTDOWN:
    for (int i = 0; i < MAX_SESSIONS; ++i)
      if (sessions[i].in_use)
        signal_program(&sessions[i], SIGKILL);
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

// Opens the host channel, then makes the host's file system, mounted at
// root, this process's root, so that programs see the host's paths.
static void enter_root(const char *channel, const char *root) {
  channel_fd = open(channel, O_RDWR | O_CLOEXEC);
  if (channel_fd < 0)
    die("cannot open %s: %s", channel, strerror(errno));
  if (chroot(root) != 0 || chdir("/") != 0)
    die("cannot enter %s: %s", root, strerror(errno));
}

// Turns SIGCHLD into readable events on signal_fd, so that one poll waits
// for the host, the programs' pipes and their exits alike. Writes to a pipe
// whose reader has gone fail with EPIPE rather than killing the agent.
static void watch_children(void) {
  sigemptyset(&child_signal);
  sigaddset(&child_signal, SIGCHLD);
  sigprocmask(SIG_BLOCK, &child_signal, NULL);
  signal(SIGPIPE, SIG_IGN);
  signal_fd = signalfd(-1, &child_signal, SFD_NONBLOCK | SFD_CLOEXEC);
  if (signal_fd < 0)
    die("signalfd: %s", strerror(errno));
}

struct poll_set {
  struct pollfd fds[MAX_POLL_FDS];
  struct session *owners[MAX_POLL_FDS]; // NULL for the channel and signals.
  int count;
};

static void add_poll_fd(struct poll_set *set, int fd, short events,
                        struct session *owner) {
  set->owners[set->count] = owner;
  set->fds[set->count++] = (struct pollfd){fd, events, 0};
}

// Finishes a session whose program has exited once its output is drained or
// its drain deadline has passed; returns true then. A program that exited
// but is still draining lowers *timeout_ms to the time left to its deadline.
static bool finish_if_done(struct session *s, long long now, int *timeout_ms) {
  if (!s->exited)
    return false;
  bool drained = s->stdout_fd < 0 && s->stderr_fd < 0;
  if (drained || now >= s->exit_deadline_ms) {
    finish_session(s);
    return true;
  }
  int left = (int)(s->exit_deadline_ms - now);
  *timeout_ms = *timeout_ms < 0 || left < *timeout_ms ? left : *timeout_ms;
  return false;
}

// Watches a session's open output pipes, and its input pipe while input is
// waiting to be written.
static void watch_session(struct poll_set *set, struct session *s) {
  int *fds_of[] = {&s->stdout_fd, &s->stderr_fd, &s->stdin_fd};
  short events[] = {POLLIN, POLLIN, POLLOUT};
  for (int k = 0; k < 3; ++k) {
    if (*fds_of[k] < 0 || (k == 2 && s->pending_length == 0))
      continue;
    add_poll_fd(set, *fds_of[k], events[k], s);
  }
}

// Fills set with what to wait for and finishes the sessions that are done;
// returns poll's timeout in milliseconds (-1: none).
static int build_poll_set(struct poll_set *set) {
  set->count = 0;
  add_poll_fd(set, channel_fd, POLLIN, NULL);
  add_poll_fd(set, signal_fd, POLLIN, NULL);
  long long now = now_ms();
  int timeout = -1;
  for (int i = 0; i < MAX_SESSIONS; ++i) {
    struct session *s = &sessions[i];
    if (!s->in_use || finish_if_done(s, now, &timeout))
      continue;
    watch_session(set, s);
  }
  return timeout;
}

// Acts on what poll reported: exits (which only mark their sessions;
// build_poll_set finishes them), then the programs' pipes, then the host's
// frames. An entry whose pipe was closed meanwhile no longer matches one of
// its session's fds and is skipped.
static void handle_poll_events(const struct poll_set *set) {
  if (set->fds[POLL_SIGNALS].revents)
    reap_children();
  for (int i = POLL_FIRST_SESSION; i < set->count; ++i) {
    struct session *s = set->owners[i];
    if (!set->fds[i].revents || !s->in_use)
      continue;
    if (set->fds[i].fd == s->stdout_fd)
      forward_output(s, &s->stdout_fd, FRAME_STDOUT);
    else if (set->fds[i].fd == s->stderr_fd)
      forward_output(s, &s->stderr_fd, FRAME_STDERR);
    else if (set->fds[i].fd == s->stdin_fd)
      flush_stdin(s);
  }
  if (set->fds[POLL_CHANNEL].revents)
    read_channel();
}

int main(int argc, char **argv) {
  if (argc != 3)
    die("usage: pkguard-guest-agent CHANNEL-DEVICE ROOT-DIRECTORY");
  enter_root(argv[1], argv[2]);
  watch_children();
  report_ready();
  for (;;) {
    struct poll_set set;
    int timeout = build_poll_set(&set);
    if (poll(set.fds, (nfds_t)set.count, timeout) < 0 && errno != EINTR)
      die("poll: %s", strerror(errno));
    handle_poll_events(&set);
  }
}
