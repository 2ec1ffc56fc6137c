#!/bin/sh
# Usage: in-root.sh ROOT COMMAND...: runs COMMAND chrooted into ROOT, with a
# /proc of its own (pkguard-clang finds itself through /proc/self/exe) that
# goes away with the command, whatever it does, and the environment of a
# fresh login (nothing of this host's, such as lit's TMPDIR).
root=$1
shift
exec unshare --mount --pid --fork --mount-proc="$root/proc" chroot "$root" \
  env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 "$@"
