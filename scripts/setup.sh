#!/bin/sh
# setup.sh — on a fresh Debian 12 machine: install what fahras needs, build
# it, and run the main job on the bundled sample.
set -eu
cd "$(dirname "$0")/.."
sh scripts/install-deps.sh
make -j2
sh scripts/demo.sh
