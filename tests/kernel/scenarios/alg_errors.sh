#!/bin/bash
# alg_errors.sh: bad input to sockctl alg gives one stderr line naming the
# value, the spec's exit code and nothing on stdout: unknown algorithm 69 with
# the closest names, wrong key/IV/tag length 65 with the sizes the kernel
# takes, odd hex 65, a partial block 65, a missing file 66, usage 64.
. /lab/lib.sh
need_sockctl
need_module algif_hash
need_module algif_skcipher
need_module algif_aead
cd "$LAB_TMP"

K=2b7e151628aed2a6abf7158809cf4f3c
IV=000102030405060708090a0b0c0d0e0f
printf 'sixteen bytes!!!' >p16
printf 'abc' >p3

# fails CODE FRAGMENT ARGS...: sockctl alg ARGS exits CODE, stdout empty,
# stderr one line containing FRAGMENT.
fails() {
  local code=$1 frag=$2 rc=0
  shift 2
  sockctl alg "$@" >out 2>err <p16 || rc=$?
  [ "$rc" = "$code" ] || { echo "exit $rc, want $code: $(cat err)"; return 1; }
  [ ! -s out ] || { echo "stdout not empty"; return 1; }
  [ "$(wc -l <err)" = 1 ] || { echo "not one line: $(cat err)"; return 1; }
  grep -qF -- "$frag" err || { echo "no '$frag' in: $(cat err)"; return 1; }
}

check "unknown hash 69, closest names" fails 69 "unknown hash algorithm 'sha257'" hash sha257
check "unknown hash suggests sha256" fails 69 "'sha256'" hash sha257
check "unknown cipher 69, suggests cbc(aes)" fails 69 "'cbc(aes)'" encrypt 'cbc(aes' --key $K --iv $IV
check "unknown rng 69" fails 69 "unknown rng algorithm 'nosuchrng'" rng nosuchrng -n 1
check "key of 1 byte 65, names 16 to 32" fails 65 "key of 1 bytes for 'cbc(aes)': wrong length: it takes 16 to 32 bytes" \
  encrypt 'cbc(aes)' --key 00 --iv $IV
check "xts key of 17 bytes 65, names 32 to 64" fails 65 "it takes 32 to 64 bytes" encrypt 'xts(aes)' --key ${K}00 --iv $IV
check "IV of 1 byte 65, names 16" fails 65 "IV of 1 bytes for 'cbc(aes)': wrong length: it takes 16 bytes" \
  encrypt 'cbc(aes)' --key $K --iv 00
check "gcm IV of 16 bytes 65, names 12" fails 65 "it takes 12 bytes" encrypt 'gcm(aes)' --key $K --iv $IV
check "missing --iv 64" fails 64 "needs --iv: 16 bytes" encrypt 'cbc(aes)' --key $K
check "missing key 64" fails 64 "needs a key" encrypt 'cbc(aes)' --iv $IV
check "odd hex key 65" fails 65 "bad hex '${K}0'" encrypt 'cbc(aes)' --key ${K}0 --iv $IV
check "odd hex IV 65" fails 65 "bad hex" decrypt 'cbc(aes)' --key $K --iv 0
check "odd hex hmac key 65" fails 65 "bad hex 'abc'" hmac sha256 --key abc
check "partial block for cbc 65" fails 65 "input of 3 bytes for 'cbc(aes)': not a whole number of 16-byte blocks" \
  encrypt 'cbc(aes)' --key $K --iv $IV p3
check "tag length 3 for gcm 65" fails 65 "tag length 3 for 'gcm(aes)'" \
  encrypt 'gcm(aes)' --key $K --iv 000102030405060708090a0b --tag-len 3
check "decrypt shorter than the tag 65" fails 65 "shorter than the 16-byte tag" \
  decrypt 'gcm(aes)' --key $K --iv 000102030405060708090a0b p3
check "--aad on a skcipher 64" fails 64 "is not an AEAD" encrypt 'cbc(aes)' --key $K --iv $IV --aad 00
check "missing file 66" fails 66 "nosuchfile" hash sha256 nosuchfile
check "missing key file 66" fails 66 "nokey" hmac sha256 --key-file nokey
check "--key and --key-file 64" fails 64 "give one of them" hmac sha256 --key 00 --key-file p3
check "list --type bogus 64" fails 64 "--type 'bogus'" list --type bogus
check "list of a pattern nothing matches exits 1" fails 1 "pattern 'zzzz'" list zzzz
printf 'not a sum line\n' >bad.sum
check "--check of a malformed list 65 names the line" fails 65 "line 1 of 'bad.sum'" hash sha256 --check bad.sum
finish
