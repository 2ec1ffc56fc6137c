#!/bin/sh
# USAGE: install-moved.sh BUILD DIR
# Installs BUILD with 'cmake --install' into a fresh DIR.installed, then
# moves that tree to DIR: what DIR holds must find its parts relative to
# itself.
set -eu
build=$1 dir=$2
rm -rf "$dir" "$dir.installed"
cmake --install "$build" --prefix "$dir.installed" > /dev/null
mv "$dir.installed" "$dir"
