#!/bin/sh
# build.sh: the one entry point for setting up, building and testing sockctl.
#
#   ./build.sh demo    install what is missing, build, run a short demo
#   ./build.sh test    install what is missing, build, run every test tier
#   ./build.sh build   install what is missing, build only
#
# Idempotent: packages already present are not reinstalled, and the build is
# incremental. Needs root (or sudo) only when a package is missing.
set -eu
cd "$(dirname "$0")"
BUILD=${BUILD:-build}

# Build and test dependencies, Debian package names. Tiers that need more
# (the kernel lab) install their own on first use.
PKGS="cmake ninja-build g++ clang libclang-rt-14-dev ccache pkg-config
libcli11-dev nlohmann-json3-dev doctest-dev libpcap-dev libfmt-dev
python3 socat ncat netcat-openbsd iperf3 iproute2 dnsmasq-base tcpdump tshark util-linux
zsh fish"

install_missing() {
  missing=$(dpkg-query -W -f='${Package} ${Status}\n' $PKGS 2>/dev/null |
    awk '$NF != "installed" {print $1}')
  for p in $PKGS; do
    dpkg-query -W "$p" >/dev/null 2>&1 || missing="$missing $p"
  done
  missing=$(echo $missing | tr ' ' '\n' | sort -u | tr '\n' ' ')
  [ -z "${missing# }" ] && return 0
  echo "build.sh: installing:$missing" >&2
  SUDO=; [ "$(id -u)" = 0 ] || SUDO=sudo
  stamp=/var/lib/apt/periodic/sockctl-update-stamp
  if [ ! -e "$stamp" ] || [ -n "$(find "$stamp" -mmin +720 2>/dev/null)" ]; then
    $SUDO apt-get update -qq && $SUDO mkdir -p "$(dirname $stamp)" && $SUDO touch "$stamp"
  fi
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
}

# configure_and_build [TARGET]: everything, or only TARGET (the demo needs
# only the binary, not the unit tests).
configure_and_build() {
  # Let worktrees and fresh clones share one compiler cache.
  export CCACHE_BASEDIR="$(pwd)" CCACHE_NOHASHDIR=1
  # The engine is built with precompiled headers; ccache caches those builds
  # only when told the PCH is safe to reuse across identical inputs.
  export CCACHE_SLOPPINESS=pch_defines,time_macros,include_file_mtime,include_file_ctime
  if [ ! -f "$BUILD/build.ninja" ]; then
    launcher=; command -v ccache >/dev/null && launcher=-DCMAKE_CXX_COMPILER_LAUNCHER=ccache
    cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo $launcher >/dev/null
  fi
  cmake --build "$BUILD" ${1:+--target "$1"}
}

cmd=${1:-demo}
case "$cmd" in
  build) install_missing; configure_and_build ;;
  demo)
    install_missing; configure_and_build sockctl
    s="$BUILD/sockctl"
    set -x
    "$s" --version
    "$s" inet parse 'tcp:[fe80::1%lo]:8080'
    "$s" inet pton inet6 ::ffff:1.2.3.4
    "$s" inet const SO_REUSEADDR
    "$s" --json inet ifaces
    "$s" resolve localhost
    ;;
  test)
    install_missing; configure_and_build
    ctest --test-dir "$BUILD" --output-on-failure -j2 ${CTEST_ARGS:-}
    ;;
  *) echo "usage: ./build.sh demo|test|build" >&2; exit 64 ;;
esac
