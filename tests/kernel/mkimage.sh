#!/bin/bash
# mkimage.sh: build the kernel lab's base image from Debian packages: the
# kernel and the modules listed in modules.list (with their dependencies),
# busybox, and the peer tools (can-utils, kcapi-tools, iproute2, bluez,
# python3, bash) with their shared libraries, as one uncompressed cpio.
# Called by lab.sh on a cache miss; /init and the scenarios come later in a
# second cpio. See: Documentation/filesystems/ramfs-rootfs-initramfs.rst
#
#   mkimage.sh OUT_DIR KERNEL_DEB [GUEST_DEB...]
#
# Writes OUT_DIR/kernel, OUT_DIR/base.cpio, OUT_DIR/files (every guest
# path), OUT_DIR/host-files (every host file copied in, for the cache key)
# and OUT_DIR/modules.txt (what happened to each module asked for).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
die() { echo "mkimage.sh: $*" >&2; exit 1; }

[ $# -ge 2 ] || die "usage: mkimage.sh OUT_DIR KERNEL_DEB [GUEST_DEB...]"
out=$1 kernel_deb=$2
shift 2
mkdir -p "$out"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/sockctl-mkimage.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
root=$tmp/root
: >"$tmp/host-files"

# Debian's merged /usr: /bin, /sbin, /lib and /lib64 are links into /usr, so
# the paths ldd and dpkg print land in the right place either way.
mkdir -p "$root"/usr/{bin,sbin,lib,lib64} "$root"/{proc,sys,dev,tmp,run,root,etc,lab,var/tmp}
for d in bin sbin lib lib64; do ln -s "usr/$d" "$root/$d"; done

# copy_file HOST [GUEST]: one file, dereferenced, remembered for the key.
copy_file() {
  local src=$1 dst=$root${2:-$1}
  [ -e "$dst" ] && return 0
  mkdir -p "$(dirname "$dst")"
  cp -L --preserve=mode "$src" "$dst" || die "cannot copy $src"
  # Files unpacked from guest-only packages are keyed by package version.
  case $src in "$tmp"/*) ;; *) echo "$src" >>"$tmp/host-files" ;; esac
}

# libs_of FILE: the shared libraries FILE needs, as ldd resolves them here.
libs_of() {
  local out
  if ! out=$(ldd "$1" 2>&1); then
    case $out in
      *"not a dynamic executable"*|*"statically linked"*) return 0 ;;
      *) die "ldd $1: $out" ;;
    esac
  fi
  case $out in *"not found"*) die "$1 needs a library this host lacks: $out" ;; esac
  awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\// {print $1}' <<<"$out"
}

# copy_bin HOST [GUEST]: an executable and every library it needs.
copy_bin() {
  local lib
  copy_file "$@"
  for lib in $(libs_of "$1"); do copy_file "$lib"; done
}

# --- the kernel and its modules ---------------------------------------------
kx=$tmp/kernel
mkdir -p "$kx"
dpkg-deb -x "$kernel_deb" "$kx" || die "cannot unpack $kernel_deb"
moddir=
for d in "$kx"/lib/modules/* "$kx"/usr/lib/modules/*; do
  if [ -d "$d/kernel" ]; then moddir=$d; break; fi
done
[ -n "$moddir" ] || die "$kernel_deb has no modules"
kver=$(basename "$moddir")
vmlinuz=$kx/boot/vmlinuz-$kver
[ -f "$vmlinuz" ] || die "$kernel_deb has no vmlinuz-$kver"

# Under TCG the bzImage's own decompressor takes seconds. A kernel built with
# CONFIG_PVH is an ELF that QEMU can boot directly, so unpack it here once.
extract_vmlinux() {
  local magic tool off
  for magic in '\xfd7zXZ\x00:xz' '\x28\xb5\x2f\xfd:zstd' '\x1f\x8b\x08\x00:gzip'; do
    tool=${magic##*:}
    command -v "$tool" >/dev/null || continue
    # awk, not head: a reader that quits early gets grep killed by SIGPIPE,
    # and pipefail would make that a silent exit.
    off=$(LC_ALL=C grep -obUaP "${magic%:*}" "$vmlinuz" | awk -F: 'NR == 1 {print $1}')
    [ -n "$off" ] || continue
    tail -c +$((off + 1)) "$vmlinuz" | case $tool in
      xz) xz -dc --single-stream ;;
      *) "$tool" -dc ;;
    esac >"$out/kernel.new" 2>/dev/null
    [ "$(head -c4 "$out/kernel.new")" = $'\x7fELF' ] && return 0
  done
  return 1
}
if grep -qx 'CONFIG_PVH=y' "$kx/boot/config-$kver" && extract_vmlinux; then
  kernel_kind="vmlinux (PVH entry, uncompressed)"
else
  cp "$vmlinuz" "$out/kernel.new"
  kernel_kind="vmlinuz (bzImage)"
fi

# Module names use - and _ interchangeably; key everything on the _ form.
norm() { local n=${1##*/}; n=${n%%.ko*}; REPLY=${n//-/_}; }
declare -A modpath builtin
while IFS= read -r f; do norm "$f"; modpath[$REPLY]=$f; done \
  < <(cd "$moddir" && find kernel -name '*.ko' -o -name '*.ko.xz' -o -name '*.ko.zst' -o -name '*.ko.gz')
while IFS= read -r f; do norm "$f"; builtin[$REPLY]=1; done <"$moddir/modules.builtin"

# The .modinfo section is NUL-separated key=value strings; depends= names
# the modules that must be loaded first.
modinfo_depends() {
  local f=$moddir/$1
  case $f in
    *.xz) xz -dc "$f" ;;
    *.zst) zstd -dc "$f" ;;
    *.gz) gzip -dc "$f" ;;
    *) cat "$f" ;;
  esac | tr '\0' '\n' | sed -n 's/^depends=//p' | tr ',' ' '
}

declare -A wanted
load_list=() report=()
queue=()
while read -r m _; do
  case $m in ''|'#'*) continue ;; esac
  norm "$m"; n=$REPLY
  if [ -n "${modpath[$n]:-}" ]; then
    load_list+=("$m"); report+=("$m: module ${modpath[$n]}"); queue+=("$n")
  elif [ -n "${builtin[$n]:-}" ]; then
    report+=("$m: built in")
  else
    report+=("$m: MISSING from $kver")
    echo "mkimage.sh: warning: module $m is neither a module nor built into $kver" >&2
  fi
done <"$here/modules.list"
while [ ${#queue[@]} -gt 0 ]; do
  n=${queue[0]}; queue=("${queue[@]:1}")
  [ -n "${wanted[$n]:-}" ] && continue
  wanted[$n]=1
  for d in $(modinfo_depends "${modpath[$n]}"); do
    norm "$d"; d=$REPLY
    [ -n "${modpath[$d]:-}" ] || die "module $n depends on $d, which $kver lacks"
    queue+=("$d")
  done
done

# busybox insmod cannot read compressed modules, so they go in plain.
gmod=$root/lib/modules/$kver
mkdir -p "$gmod"
for n in "${!wanted[@]}"; do
  rel=${modpath[$n]} dst=$gmod/${modpath[$n]%.ko*}.ko
  mkdir -p "$(dirname "$dst")"
  case $rel in
    *.xz) xz -dc "$moddir/$rel" >"$dst" ;;
    *.zst) zstd -dc "$moddir/$rel" >"$dst" ;;
    *.gz) gzip -dc "$moddir/$rel" >"$dst" ;;
    *) cp "$moddir/$rel" "$dst" ;;
  esac || die "cannot copy module $rel"
done
for f in modules.builtin modules.builtin.modinfo modules.order; do
  if [ -e "$moddir/$f" ]; then cp "$moddir/$f" "$gmod/"; fi
done
# The kernel's request_module() runs /sbin/modprobe, which needs modules.dep
# and modules.alias for the subset that is really in the image.
busybox depmod -b "$root" "$kver" || die "depmod failed"
printf '%s\n' "${load_list[@]}" >"$root/etc/lab-modules"
{
  echo "kernel: $kver, booted as $kernel_kind"
  printf '%s\n' "${report[@]}"
  echo "dependencies added: $(( ${#wanted[@]} - ${#load_list[@]} ))"
} >"$out/modules.txt.new"

# --- busybox, real tools, python3 --------------------------------------------
# The real tools go in first; busybox applets only fill the names left free.
for p in can-utils kcapi-tools iproute2 bash; do
  files=$(dpkg -L "$p") || die "package $p is not installed"
  for f in $(grep -E '^/(usr/)?s?bin/[^/]+$' <<<"$files"); do
    if [ -L "$f" ]; then
      # Keep links as links (rbash, /sbin/ip): no second copy of the binary.
      t=$(readlink -f "$f")
      copy_bin "$t"
      [ -e "$root$f" ] || ln -s "$t" "$root$f"
    elif [ -f "$f" ] && [ -x "$f" ]; then
      copy_bin "$f"
    fi
  done
done

# Guest-only Debian packages (bluez and its test tools) are unpacked here,
# never installed on the host: bluez would pull in udev and dbus.
guest_bins="hciconfig hcitool btmon btmgmt l2test rctest l2ping rfcomm sdptool
btattach btvirt l2cap-tester rfcomm-tester sco-tester hci-tester mgmt-tester"
for deb in "$@"; do
  x=$tmp/deb-$(basename "$deb")
  mkdir -p "$x"
  dpkg-deb -x "$deb" "$x" || die "cannot unpack $deb"
  for b in $guest_bins; do
    for f in "$x"/bin/"$b" "$x"/usr/bin/"$b" "$x"/sbin/"$b" "$x"/usr/sbin/"$b"; do
      if [ -f "$f" ]; then copy_bin "$f" "/usr/bin/$b"; fi
    done
  done
done
for b in $guest_bins; do
  [ -e "$root/usr/bin/$b" ] || die "no guest package provided $b"
done

# python3: the interpreter and its standard library, from the package file
# lists (so nothing another package dropped into the same directory), with
# the host's byte-code so imports need no compiling under TCG.
py=$(readlink -f /usr/bin/python3)
pyv=${py##*/python}
pylist=$tmp/python-files
dpkg -L "python$pyv-minimal" "libpython$pyv-minimal" "libpython$pyv-stdlib" python3-minimal \
  | grep -E "^(/usr/bin/python3|/usr/lib/python$pyv/|/etc/python$pyv/)" \
  | grep -vE "^/usr/lib/python$pyv/(test|idlelib|tkinter|turtledemo|ensurepip|lib2to3|pydoc_data)/" \
  | grep -vE "/lib-dynload/(_dbm|_gdbm|_sqlite3|nis|_curses|_curses_panel|audioop|ossaudiodev|_test[a-z]*|_ctypes_test|_xxtestfuzz|_xxsubinterpreters|xxlimited[_0-9]*)\." \
  >"$pylist.src" || die "python3 $pyv is not installed"
while IFS= read -r f; do
  if [ -d "$f" ] && [ ! -L "$f" ]; then continue; fi
  echo "${f#/}"
  pyc=${f%/*}/__pycache__/${f##*/}
  pyc=${pyc%.py}.cpython-${pyv/./}.pyc
  if [ "${f%.py}" != "$f" ] && [ -f "$pyc" ]; then echo "${pyc#/}"; fi
done <"$pylist.src" >"$pylist"
tar -C / --no-recursion -cf - -T "$pylist" | tar -C "$root" --keep-directory-symlink -xf - \
  || die "cannot copy python3"
sed 's|^|/|' "$pylist" >>"$tmp/host-files"
for f in /usr/bin/python$pyv /usr/lib/python$pyv/lib-dynload/*.so; do
  for lib in $(libs_of "$f"); do copy_file "$lib"; done
done

# bash is /bin/sh: Debian's busybox sh runs its own applets ahead of PATH,
# so a scenario's `ip` would not be iproute2's.
ln -s bash "$root/usr/bin/sh"
copy_file /bin/busybox /usr/bin/busybox
declare -A taken
for f in "$root"/usr/bin/* "$root"/usr/sbin/*; do taken[${f##*/}]=1; done
while IFS= read -r a; do
  if [ -z "${taken[${a##*/}]:-}" ]; then ln -s /usr/bin/busybox "$root/${a#/}"; fi
done < <(busybox --list-full)

# --- /etc ------------------------------------------------------------------
printf 'root:x:0:0:root:/root:/bin/bash\nnobody:x:65534:65534:nobody:/nonexistent:/bin/sh\n' >"$root/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"
printf '127.0.0.1\tlocalhost lab\n::1\tlocalhost ip6-localhost ip6-loopback\n' >"$root/etc/hosts"
# No DNS in the guest: without this glibc would try it before /etc/hosts.
printf 'passwd: files\ngroup: files\nhosts: files\nnetworks: files\nprotocols: files\nservices: files\n' \
  >"$root/etc/nsswitch.conf"
for f in /etc/protocols /etc/services /etc/ethertypes; do
  if [ -f "$f" ]; then copy_file "$f"; fi
done
echo lab >"$root/etc/hostname"
# Scenarios create the interfaces they need; dummy would add a dummy0.
mkdir -p "$root/etc/modprobe.d"
echo 'options dummy numdummies=0' >"$root/etc/modprobe.d/lab.conf"

# --- the archive -----------------------------------------------------------
# Uncompressed: under TCG the kernel would take longer to inflate it than
# QEMU takes to read the bytes.
(cd "$root" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) \
  >"$out/base.cpio.new" || die "cpio failed"
(cd "$root" && find . -mindepth 1 | sed 's|^\.||' | LC_ALL=C sort) >"$out/files.new"
LC_ALL=C sort -u "$tmp/host-files" >"$out/host-files.new"
for f in kernel base.cpio files host-files modules.txt; do mv "$out/$f.new" "$out/$f"; done
echo "mkimage.sh: kernel $kver, ${#load_list[@]} modules (+$(( ${#wanted[@]} - ${#load_list[@]} )) deps), image $(( $(stat -c %s "$out/base.cpio") / 1048576 )) MiB" >&2
