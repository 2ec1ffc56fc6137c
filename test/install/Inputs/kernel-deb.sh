#!/bin/sh
# USAGE: kernel-deb.sh VM_DIR OUT_DIR
# Packs a stand-in for Debian's kernel package from the kernel in VM_DIR:
# its image and the folders of the drivers pkguard-run's machine loads,
# with other drivers beside them, as OUT_DIR/linux-image-RELEASE.deb.
# Prints the package name.
set -eu
vm=$1 out=$2
image=$(ls "$vm"/boot/vmlinuz-* | tail -n 1)
release=${image##*/vmlinuz-}
package=linux-image-$release
stage=$out/$package
modules=lib/modules/$release/kernel
mkdir -p "$stage/DEBIAN" "$stage/boot" "$stage/$modules"
cp "$image" "$stage/boot/"
for folder in drivers/virtio drivers/char net/9p fs/9p fs/netfs fs/fscache; do
  mkdir -p "$stage/$modules/$folder"
  cp -R "$vm/$modules/$folder/." "$stage/$modules/$folder/"
done
printf 'Package: %s\nVersion: 1\nArchitecture: amd64\nMaintainer: pkguard tests\nDescription: stand-in kernel\n' \
  "$package" > "$stage/DEBIAN/control"
dpkg-deb --root-owner-group -Znone -b "$stage" "$out/$package.deb" > /dev/null
rm -rf "$stage"
echo "$package"
