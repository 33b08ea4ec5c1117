#!/bin/bash
# lab.sh: the kernel lab. Boots Debian's own kernel under QEMU (TCG) with a
# busybox initramfs and runs scenarios (tests/kernel/scenarios/NAME.sh) in it,
# for the socket families this host's kernel lacks: CAN, TIPC, ALG, Bluetooth,
# RDS, SCTP, vsock. Writes RESULTS_DIR/NAME.status (the exit code; 77 = skip)
# and RESULTS_DIR/NAME.log. See tests/kernel/README.md.
set -Eeuo pipefail
# set -e ends the script without a word; say where, or CI shows only a failure.
trap 'echo "lab.sh: line $LINENO: a command failed (exit $?)" >&2' ERR

here=$(cd "$(dirname "$0")" && pwd)
cache=${SOCKCTL_LAB_CACHE:-$here/.cache}

usage() {
  cat <<'EOF'
usage: lab.sh [--sockctl PATH] [--results DIR] [options] [SCENARIO|PATH.sh...]
       lab.sh --shell [--sockctl PATH]

Boot Debian's kernel under QEMU and run kernel lab scenarios (default: all
of tests/kernel/scenarios/*.sh; a PATH with a '/' runs that script the same
way, e.g. a bench). Results go to DIR/NAME.status and DIR/NAME.log.

  --sockctl PATH        copy this binary (and its libraries) to /usr/bin/sockctl
  --results DIR         where results go (default: ./lab-results)
  --shell               boot to an interactive shell instead of running scenarios
  --keep                keep the work directory (initrd, console log)
  --timeout SECS        kill QEMU after SECS for the whole run (default 600)
  --scenario-timeout SECS  per-scenario limit unless it says "# lab-timeout: N"
                        (default 120)
  --lab-status          exit 0 whenever every scenario ran, whatever its result
                        (ctest's per-scenario tests report the results)
  --rebuild             rebuild the image even when the cached one is current

Exit status: 0 all passed or skipped, 1 a scenario failed, 2 the lab itself
failed (no boot, timeout, crash), 64 usage.
EOF
}

die() { echo "lab.sh: $*" >&2; exit 2; }
usage_error() { echo "lab.sh: $* (see lab.sh --help)" >&2; exit 64; }

sockctl= results=$PWD/lab-results shell=0 keep=0 timeout=600 scen_timeout=120
lab_status=0 rebuild=0
scenarios=()
extra=()  # scripts named by path (benches): run like scenarios
while [ $# -gt 0 ]; do
  case $1 in
    --sockctl) [ $# -ge 2 ] || usage_error "$1 needs a value"; sockctl=$2; shift ;;
    --results) [ $# -ge 2 ] || usage_error "$1 needs a value"; results=$2; shift ;;
    --timeout) [ $# -ge 2 ] || usage_error "$1 needs a value"; timeout=$2; shift ;;
    --scenario-timeout) [ $# -ge 2 ] || usage_error "$1 needs a value"; scen_timeout=$2; shift ;;
    --shell) shell=1 ;;
    --keep) keep=1 ;;
    --lab-status) lab_status=1 ;;
    --rebuild) rebuild=1 ;;
    -h|--help) usage; exit 0 ;;
    -*) usage_error "unknown option '$1'" ;;
    */*) [ -f "$1" ] || usage_error "no script '$1'"
         extra+=("$(readlink -f "$1")"); n=${1##*/}; scenarios+=("${n%.sh}") ;;
    *) scenarios+=("${1%.sh}") ;;
  esac
  shift
done
case $timeout$scen_timeout in *[!0-9]*) usage_error "timeouts are whole seconds" ;; esac
if [ -n "$sockctl" ]; then
  [ -f "$sockctl" ] && [ -x "$sockctl" ] || usage_error "--sockctl '$sockctl' is not an executable file"
  sockctl=$(readlink -f "$sockctl")
fi
if [ ${#scenarios[@]} -eq 0 ]; then
  for f in "$here"/scenarios/*.sh; do
    if [ -e "$f" ]; then n=${f##*/}; scenarios+=("${n%.sh}"); fi
  done
fi
for n in "${scenarios[@]}"; do
  case $n in *[!A-Za-z0-9_]*|'') usage_error "bad scenario name '$n' (letters, digits, _)" ;; esac
  [ -f "$here/scenarios/$n.sh" ] || [[ " ${extra[*]##*/} " == *" $n.sh "* ]] ||
    usage_error "no scenario tests/kernel/scenarios/$n.sh"
done
[ $shell = 1 ] || [ ${#scenarios[@]} -gt 0 ] || usage_error "no scenarios to run"

now() { echo "$EPOCHREALTIME"; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

# --- host packages -----------------------------------------------------------
SUDO=
[ "$(id -u)" = 0 ] || SUDO=sudo
apt_updated=0
apt_update() {
  if [ $apt_updated = 0 ]; then
    echo "lab.sh: apt-get update" >&2
    $SUDO apt-get update -qq || die "apt-get update failed"
    apt_updated=1
  fi
}

# Peer tools run on the host too, so they are installed normally; only the
# guest's kernel and bluez are unpacked into the cache (see fetch_guest_debs).
host_pkgs="qemu-system-x86 busybox-static cpio xz-utils can-utils kcapi-tools iproute2 python3 bash"
install_host_pkgs() {
  local p missing=
  for p in $host_pkgs; do
    [ "$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null)" = installed ] || missing="$missing $p"
  done
  [ -n "$missing" ] || return 0
  for p in $missing; do
    apt-cache show "$p" >/dev/null 2>&1 || apt_update
  done
  echo "lab.sh: installing:$missing" >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
    -o DPkg::Lock::Timeout=300 $missing >/dev/null ||
    die "apt-get install$missing failed"
}

# candidate PKG: the version apt would fetch.
candidate() {
  local v
  v=$(apt-cache policy "$1" 2>/dev/null | awk '$1 == "Candidate:" { print $2 }')
  [ -n "$v" ] && [ "$v" != "(none)" ] || die "apt has no package $1"
  echo "$v"
}

# The guest's packages: linux-image-amd64 is a metapackage naming the real
# kernel package. bluez would pull udev and dbus onto the host, so it and its
# test tools are only unpacked. apt-cache is slow to start, so the answer is
# kept until apt's package lists change.
resolve_guest_pkgs() {
  local stamp meta kpkg
  stamp=$(stat -c '%n %Y %s' /var/lib/apt/lists/*Packages* 2>/dev/null | sha256sum | cut -c1-16)
  if [ -f "$cache/guest-pkgs" ] && [ "$(head -n1 "$cache/guest-pkgs")" = "$stamp" ]; then
    mapfile -t guest_pkgs < <(tail -n +2 "$cache/guest-pkgs")
    return 0
  fi
  apt-cache show linux-image-amd64 bluez bluez-test-tools >/dev/null 2>&1 || apt_update
  meta=$(candidate linux-image-amd64)
  kpkg=$(apt-cache show "linux-image-amd64=$meta" |
    sed -n 's/^Depends:.*\(linux-image-[0-9][^ ,]*\).*/\1/p' | awk 'NR == 1')
  [ -n "$kpkg" ] || die "cannot find the kernel package behind linux-image-amd64 $meta"
  guest_pkgs=("$kpkg=$(candidate "$kpkg")" "bluez=$(candidate bluez)" "bluez-test-tools=$(candidate bluez-test-tools)")
  # apt-get update may have changed the lists: stamp them anew.
  stamp=$(stat -c '%n %Y %s' /var/lib/apt/lists/*Packages* 2>/dev/null | sha256sum | cut -c1-16)
  printf '%s\n' "$stamp" "${guest_pkgs[@]}" >"$cache/guest-pkgs"
}

# fetch_deb PKG=VERSION: path of the .deb in the cache, downloaded once.
fetch_deb() {
  local spec=$1 dir=$cache/debs/${1//[:\/]/_} f
  for f in "$dir"/*.deb; do
    if [ -f "$f" ]; then echo "$f"; return 0; fi
  done
  mkdir -p "$dir.tmp"
  rm -f "$dir.tmp"/*.deb
  local sandbox=()
  [ "$(id -u)" != 0 ] || sandbox=(-o APT::Sandbox::User=root)
  if ! (cd "$dir.tmp" && apt-get download -qq "${sandbox[@]}" "$spec") >&2; then
    apt_update
    (cd "$dir.tmp" && apt-get download -qq "${sandbox[@]}" "$spec") >&2 || die "cannot download $spec"
  fi
  rm -rf "$dir" && mv "$dir.tmp" "$dir"
  for f in "$dir"/*.deb; do
    if [ -f "$f" ]; then echo "$f"; return 0; fi
  done
  die "apt-get download $spec left no .deb"
}

# --- the cached base image ---------------------------------------------------
# The key covers what goes into the image: the image builder and module list,
# the guest package versions, and size and mtime of every host file copied in
# at the last build (a host package upgrade changes them).
image_key() {
  {
    cat "$here/mkimage.sh" "$here/modules.list"
    printf '%s\n' "${guest_pkgs[@]}"
    if [ -f "$cache/image/host-files" ]; then
      tr '\n' '\0' <"$cache/image/host-files" | xargs -0 stat -L -c '%n %s %Y' 2>&1 || true
    fi
  } | sha256sum | cut -d' ' -f1
}

ensure_image() {
  local key t0 debs=() p
  mkdir -p "$cache"
  exec {lock}>"$cache/lock"
  flock "$lock"
  resolve_guest_pkgs
  key=$(image_key)
  if [ $rebuild = 0 ] && [ -f "$cache/image/key" ] && [ "$(cat "$cache/image/key")" = "$key" ]; then
    echo "lab.sh: image cached (${guest_pkgs[0]})"
    return 0
  fi
  t0=$(now)
  echo "lab.sh: building the image (${guest_pkgs[*]})"
  for p in "${guest_pkgs[@]}"; do debs+=("$(fetch_deb "$p")"); done
  rm -rf "$cache/image.new"
  "$here/mkimage.sh" "$cache/image.new" "${debs[@]}" || die "image build failed"
  rm -rf "$cache/image" && mv "$cache/image.new" "$cache/image"
  image_key >"$cache/image/key"
  # Old package versions are of no further use.
  for p in "$cache"/debs/*; do
    case " ${debs[*]} " in *" $p/"*) ;; *) rm -rf "$p" ;; esac
  done
  echo "lab.sh: image built in $(since "$t0") s"
}

# --- the per-run overlay -----------------------------------------------------
# A second cpio appended to the base image (the kernel unpacks concatenated
# archives in turn) carries /init, the scenarios and sockctl, so changing
# them never rebuilds the base image.
make_overlay() {
  local o=$work/overlay n lib
  mkdir -p "$o/lab/scenarios" "$o/usr/bin"
  install -m 755 "$here/guest/init" "$o/init"
  install -m 644 "$here/guest/lib.sh" "$o/lab/lib.sh"
  for n in "$here"/scenarios/*.sh "${extra[@]}"; do
    if [ -f "$n" ]; then install -m 755 "$n" "$o/lab/scenarios/"; fi
  done
  # Test data (vectors, captures) for scenarios: tests/data as /lab/data.
  if [ -d "$here/../data" ]; then cp -R "$here/../data" "$o/lab/data"; fi
  nonce=$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')
  {
    echo "LAB_NONCE=$nonce"
    echo "LAB_MODE=$([ $shell = 1 ] && echo shell || echo run)"
    echo "LAB_SCENARIOS='${scenarios[*]}'"
    echo "LAB_SCENARIO_TIMEOUT=$scen_timeout"
  } >"$o/lab/config"
  if [ -n "$sockctl" ]; then
    install -m 755 "$sockctl" "$o/usr/bin/sockctl"
    # Only libraries the base image lacks; its file list says which. sockctl
    # loads libpcap with dlopen when sniff needs it (src/pcap_loader.hpp), so
    # ldd does not name it: it and the libraries it needs come along too.
    local out object pcap libs=
    # awk reads to the end: a reader that quits early can kill the writer with
    # SIGPIPE, which pipefail turns into a silent exit under set -e.
    pcap=$(ldconfig -p | awk '$1 == "libpcap.so.0.8" && !found {print $NF; found = 1}')
    [ -n "$pcap" ] || die "this host lacks libpcap.so.0.8, which sockctl sniff loads"
    for object in "$sockctl" "$pcap"; do
      out=$(ldd "$object" 2>&1) || continue
      case $out in *"not found"*) die "$object needs a library this host lacks: $out" ;; esac
      libs="$libs $(awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\// {print $1}' <<<"$out")"
    done
    for lib in $libs "$pcap"; do
      grep -qxF "$lib" "$cache/image/files" && continue
      grep -qxF "/usr$lib" "$cache/image/files" && continue
      mkdir -p "$o$(dirname "$lib")"
      cp -L "$lib" "$o$lib"
    done
  fi
  # Merged /usr: the base image's /bin and /lib are symlinks the overlay
  # must not replace with directories.
  (cd "$o" && for d in bin sbin lib lib64; do
    if [ -d "$d" ]; then mkdir -p "usr/$d" && cp -a "$d/." "usr/$d/" && rm -rf "$d"; fi
  done)
  (cd "$o" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) >"$work/overlay.cpio" ||
    die "cpio failed"
  cat "$cache/image/base.cpio" "$work/overlay.cpio" >"$work/initrd"
}

# --- boot and collect ---------------------------------------------------------
# KVM is not available on these machines: TCG, one CPU (more would only add
# lock-step overhead), panic=-1 with -no-reboot so a guest crash ends QEMU.
set_qemu() {
  # cryptomgr.notests: the crypto self-tests would add seconds under TCG
  # (we test sockctl, not the kernel's ciphers).
  local append="console=ttyS0 panic=-1 quiet cryptomgr.notests mitigations=off"
  [ $shell = 1 ] || append="$append loglevel=3"
  qemu=(qemu-system-x86_64 -accel tcg -cpu max -smp 1 -m 1024 -nographic -no-reboot -nic none
    -kernel "$cache/image/kernel" -initrd "$work/initrd" -append "$append")
}

# Lines between @@LAB-BEGIN and @@LAB-END go to NAME.log. Blank lines are held
# back, so the one blank the guest adds before @@LAB-END can be dropped.
section= blanks=0 t_begin=
emit() {
  local line=$1
  if [ -z "$line" ]; then blanks=$((blanks + 1)); return; fi
  while [ $blanks -gt 0 ]; do echo >>"$section"; blanks=$((blanks - 1)); done
  printf '%s\n' "$line" >>"$section"
}
close_section() {
  [ $blanks -gt 0 ] && blanks=$((blanks - 1))
  while [ $blanks -gt 0 ]; do echo >>"$section"; blanks=$((blanks - 1)); done
  section=
}

report() {
  local name=$1 status=$2 word why
  case $status in
    0) word=pass ;;
    77)
      why=$(grep -m1 '^SKIP:' "$results/$name.log" | cut -c7- || true)
      [ -n "$why" ] || why=$(tail -n1 "$results/$name.log")
      word="SKIP ($why)" ;;
    124) word="FAIL (timed out)" ;;
    *) word="FAIL (exit $status)" ;;
  esac
  printf 'lab.sh:   %-24s %s  %s s\n' "$name" "$word" "$(since "$t_begin")"
}

run_lab() {
  local t0 line deadline rest rc=0 booted=0 done=0 failed=0 ran=0 name status why
  mkdir -p "$results"
  for name in "${scenarios[@]}"; do rm -f "$results/$name.status" "$results/$name.log"; done
  rm -f "$results"/lab-*.txt
  : >"$results/lab-console.txt"
  t0=$(now)
  deadline=$(( ${EPOCHSECONDS} + timeout ))
  exec {qfd}< <(exec "${qemu[@]}" </dev/null 2>&1)
  qpid=$!
  while :; do
    rest=$(( deadline - EPOCHSECONDS ))
    if [ $rest -le 0 ]; then rc=142; break; fi
    rc=0
    IFS= read -r -t "$rest" -u "$qfd" line || rc=$?
    if [ $rc != 0 ]; then
      [ -z "$line" ] || printf '%s\n' "$line" >>"$results/lab-console.txt"
      break
    fi
    line=${line%$'\r'}
    # Firmware and terminal escapes can precede a marker on its line.
    case $line in ?*@@LAB-*) line=@@LAB-${line#*@@LAB-} ;; esac
    printf '%s\n' "$line" >>"$results/lab-console.txt"
    case $line in
      "@@LAB-BOOT $nonce "*)
        booted=1
        echo "lab.sh: kernel up, /init started after $(since "$t0") s (guest uptime ${line##* } s)" ;;
      "@@LAB-READY $nonce "*)
        echo "lab.sh: modules and interfaces ready after $(since "$t0") s" ;;
      "@@LAB-BEGIN $nonce "*)
        name=${line##* } section=$results/$name.log blanks=0 t_begin=$(now)
        : >"$section" ;;
      "@@LAB-END $nonce "*)
        status=${line##* } name=${line% *} name=${name##* }
        close_section
        echo "$status" >"$results/$name.status"
        ran=$((ran + 1))
        [ "$status" = 0 ] || [ "$status" = 77 ] || failed=$((failed + 1))
        report "$name" "$status" ;;
      "@@LAB-DMESG-BEGIN $nonce")
        section=$results/lab-dmesg.txt blanks=0; : >"$section" ;;
      "@@LAB-DMESG-END $nonce")
        close_section ;;
      "@@LAB-DONE $nonce "*)
        done=1 ;;
      *)
        if [ -n "$section" ]; then
          emit "$line"
        elif [ -n "$line" ] && [ $booted = 1 ] && [ $done = 0 ]; then
          # Outside any scenario: init's own messages and kernel errors.
          # (Firmware chatter before boot is only in lab-console.txt.)
          printf 'lab.sh: guest: %s\n' "$line"
        fi ;;
    esac
  done
  if [ $rc -gt 128 ]; then
    echo "lab.sh: timed out after $timeout s; killing QEMU (pid $qpid)" >&2
    kill "$qpid" 2>/dev/null || true
    for _ in 1 2 3 4 5 6 7 8 9 10; do
      kill -0 "$qpid" 2>/dev/null || break
      sleep 0.5
    done
    kill -KILL "$qpid" 2>/dev/null || true
  fi
  wait "$qpid" 2>/dev/null || true
  qpid=
  exec {qfd}<&-
  echo "lab.sh: $ran of ${#scenarios[@]} scenarios ran, $failed failed, total $(since "$t0") s"

  if [ $done = 0 ] || [ $ran -lt ${#scenarios[@]} ]; then
    why="the guest stopped"
    [ $rc -le 128 ] || why="the lab timed out after $timeout s"
    for name in "${scenarios[@]}"; do
      if [ ! -f "$results/$name.status" ]; then
        echo "lab.sh: $name did not complete: $why (see lab-console.txt)" >>"$results/$name.log"
      fi
    done
    [ $booted = 1 ] || echo "lab.sh: the guest never reached /init" >&2
    echo "lab.sh: the lab did not finish; last console lines:" >&2
    tail -n 30 "$results/lab-console.txt" | sed 's/^/  | /' >&2
    return 2
  fi
  [ $failed = 0 ] || [ $lab_status = 1 ] || return 1
  return 0
}

# --- main ---------------------------------------------------------------------
command -v dpkg-query >/dev/null || die "needs a Debian host (dpkg, apt)"
install_host_pkgs
ensure_image
work=$(mktemp -d "${TMPDIR:-/tmp}/sockctl-lab.XXXXXX")
qpid=
# On any exit (including ctest's SIGTERM) QEMU must not outlive us.
cleanup() {
  if [ -n "$qpid" ]; then kill "$qpid" 2>/dev/null || true; fi
  if [ $keep = 1 ]; then echo "lab.sh: kept $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 2' INT TERM HUP
[ -n "$sockctl" ] || echo "lab.sh: warning: no --sockctl given; scenarios that need it will fail" >&2
make_overlay
exec {lock}>&-

set_qemu
if [ $shell = 1 ]; then
  "${qemu[@]}"
  exit 0
fi
echo "lab.sh: running ${#scenarios[@]} scenarios: ${scenarios[*]}"
rc=0
run_lab || rc=$?
exit $rc
