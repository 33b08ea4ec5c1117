#!/bin/bash
# lab-timeout: 240
# alg_kat.sh: sockctl alg against known answers (tests/data/alg/kat.txt):
# FIPS 180-4/202 digests, RFC 4231 HMACs, SP 800-38A AES-CBC/CTR both ways,
# GCM spec test cases, RFC 3610 CCM and RFC 8439 ChaCha20-Poly1305 both
# ways; a flipped tag bit exits 65 with no output.
. /lab/lib.sh
need_sockctl
need_module algif_hash
need_module algif_skcipher
need_module algif_aead

kat=/lab/data/alg/kat.txt
[ -f "$kat" ] || fail "no $kat"
cd "$LAB_TMP"
set -o pipefail

# unhex HEX: the bytes ('-' is none).
unhex() { [ "$1" = - ] || printf '%s' "$1" | xxd -r -p; }
hexof() { xxd -p | tr -d '\n'; }
arg() { [ "$1" = - ] && echo "" || echo "$1"; }

# same WANT COMMAND...: the command's stdout, as hex, is WANT.
same() {
  local want=$1 got
  shift
  got=$("$@" | hexof) || return 1
  [ "$got" = "$want" ] || { echo "want $want"; echo "got  $got"; return 1; }
}

# flipped HEX: HEX with the lowest bit of its last byte flipped.
flipped() { printf '%s%02x' "${1%??}" $((0x${1: -2} ^ 1)); }

# bad_tag ARGS...: decrypting exits 65 and writes nothing.
bad_tag() {
  local rc=0
  sockctl alg decrypt "$@" <ct.bad >out.bad 2>err.bad || rc=$?
  [ $rc = 65 ] && [ ! -s out.bad ] && grep -q "does not match" err.bad
}

while read -r kind algo key iv aad input output; do
  case $kind in '#'*|'') continue ;; esac
  unhex "$input" >in.bin
  case $kind in
    hash)
      check "hash $algo of ${#input}/2 bytes" same "$output" sockctl alg hash --raw "$algo" in.bin ;;
    hmac)
      check "hmac $algo key $key" same "$output" sockctl alg hmac --raw "$algo" --key "$key" in.bin ;;
    skcipher)
      unhex "$output" >out.bin
      check "encrypt $algo key $key" same "$output" sockctl alg encrypt "$algo" --key "$key" --iv "$iv" in.bin
      check "decrypt $algo key $key" same "$input" sockctl alg decrypt "$algo" --key "$key" --iv "$iv" out.bin ;;
    aead)
      unhex "$output" >out.bin
      a=(--key "$key" --iv "$iv" --aad "$(arg "$aad")")
      check "encrypt $algo key $key aad '$(arg "$aad")'" same "$output" sockctl alg encrypt "$algo" "${a[@]}" in.bin
      check "decrypt $algo key $key" same "$(arg "$input")" sockctl alg decrypt "$algo" "${a[@]}" out.bin
      unhex "$(flipped "$output")" >ct.bad
      check "decrypt $algo key $key: a flipped tag bit exits 65, no plaintext" bad_tag "$algo" "${a[@]}" ;;
  esac
done <"$kat"
[ "$lab_checks" -gt 80 ] || fail "only $lab_checks checks ran from $kat"
finish
