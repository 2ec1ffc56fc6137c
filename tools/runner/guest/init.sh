#!/bin/busybox sh
# Init of pkguard-run's emulated machine: mount the host's file system
# read-only at /host (with the writable folders listed in /etc/pkguard/mounts
# over it), give it this machine's /proc, /sys and /dev, load the drivers for
# the host channel, and hand over to the agent as PID 1.
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev

fail() {
  echo "pkguard-guest-init: $*" >&2
  poweroff -f
}

while read -r module; do
  insmod "/lib/modules/$module.ko" || fail "cannot load $module"
done < /etc/pkguard/modules

mount -t 9p -o trans=virtio,version=9p2000.L,ro,msize=512000 hostroot /host ||
  fail "cannot mount the host's file system"
while read -r tag path; do
  mount -t 9p -o trans=virtio,version=9p2000.L,rw,msize=512000 "$tag" "/host$path" ||
    fail "cannot mount $path writable"
done < /etc/pkguard/mounts
mount -t proc proc /host/proc
mount -t sysfs sysfs /host/sys
mount -t devtmpfs devtmpfs /host/dev
mkdir -p /host/dev/pts /host/dev/shm
mount -t devpts devpts /host/dev/pts
mount -t tmpfs tmpfs /host/dev/shm
mount -t tmpfs tmpfs /host/run

channel=
for port in /sys/class/virtio-ports/*; do
  [ "$(cat "$port/name" 2>/dev/null)" = pkguard ] && channel=/dev/${port##*/}
done
[ -n "$channel" ] || fail "no host channel"
exec /bin/pkguard-guest-agent "$channel" /host
