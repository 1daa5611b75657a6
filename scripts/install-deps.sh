#!/bin/sh
# install-deps.sh — install what fahras needs from Debian 12 packages.
#
#   sh scripts/install-deps.sh          build and test: compilers, SQLite,
#                                       utf8proc, cmocka, valgrind, GNU time,
#                                       clang's sanitizer and libFuzzer runtimes
#   sh scripts/install-deps.sh --eval   also the evaluation/benchmark anchors:
#                                       Lucene 4.10 + JDK, Snowball, Python 3,
#                                       PostgreSQL 15, GNU time
# Idempotent: packages already present are not fetched again.  Needs root
# (or sudo) for apt-get.
set -eu
PKGS="gcc clang libclang-rt-14-dev make libc6-dev libutf8proc-dev libcmocka-dev libsqlite3-dev sqlite3 valgrind time"
if [ "${1:-}" = "--eval" ]; then
    PKGS="$PKGS default-jdk-headless liblucene4.10-java libstemmer-dev python3 postgresql-15 libpq-dev time"
fi
missing=""
for p in $PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -z "$missing" ]; then
    echo "install-deps: all packages present"
    exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "install-deps: installing$missing"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing
