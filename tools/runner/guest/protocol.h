//===- protocol.h - Host/guest channel of pkguard-run ---------------------===//
//
// Part of pkguard, under the Apache License v2.0 with LLVM Exceptions.
// See LICENSE for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Frames exchanged between pkguard-run on the host and the agent inside the
// emulated machine, over one virtio-serial port. Every frame is a 12-byte
// little-endian header followed by its payload. Several programs can run at
// once; the session id tells their frames apart. This file is mirrored by
// pkguard_runner/protocol.py; keep the two in step.
//
//===----------------------------------------------------------------------===//
#ifndef PKGUARD_RUNNER_PROTOCOL_H
#define PKGUARD_RUNNER_PROTOCOL_H

#include <stdint.h>

struct frame_header {
  uint32_t payload_length;
  uint32_t session;
  uint8_t type;
  uint8_t reserved[3];
};

enum { FRAME_HEADER_SIZE = 12, FRAME_MAX_PAYLOAD = 1 << 20 };

enum frame_type {
  // Host to guest.
  FRAME_RUN = 1,       // u32 argc, u32 envc, then NUL-terminated strings:
                       // cwd, path, argv[argc], env[envc].
  FRAME_STDIN = 2,     // bytes for the program's standard input.
  FRAME_STDIN_EOF = 3, // close the program's standard input.
  FRAME_SIGNAL = 4,    // u32 signal number, sent to the program's group.
  FRAME_SHUTDOWN = 5,  // power the machine off.
  // Guest to host.
  FRAME_READY = 16,    // text: "pku=0|1 kernel=RELEASE".
  FRAME_STDOUT = 17,
  FRAME_STDERR = 18,
  FRAME_EXITED = 19,   // i32 how (0 exited, 1 killed by signal), i32 value,
                       // i32 core dumped.
  FRAME_FAILED = 20,   // i32 errno, then the failed step as text.
};

#endif
