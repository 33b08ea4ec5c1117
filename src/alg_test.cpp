// alg_test.cpp: the parts of the AF_ALG engine that need no kernel: /proc/crypto
// parsing and look-up, suggestions, key sizes, sha256sum lines. The operations
// themselves run in the kernel lab (tests/kernel/scenarios/alg_*.sh).
#include <doctest/doctest.h>

#include <string>

#include "sockctl/alg.hpp"

using namespace sockctl;

namespace {

// A slice of a real /proc/crypto (Debian 6.1), trailing spaces and all.
constexpr std::string_view kProc = R"(name         : sha256
driver       : sha256-avx2
module       : sha256_ssse3
priority     : 170
refcnt       : 1
selftest     : passed
internal     : no
type         : shash
blocksize    : 64
digestsize   : 32

name         : sha256
driver       : sha256-generic
module       : kernel
priority     : 100
refcnt       : 1
selftest     : passed
internal     : no
type         : shash
blocksize    : 64
digestsize   : 32

name         : sha224
driver       : sha224-generic
module       : kernel
priority     : 100
refcnt       : 1
selftest     : passed
internal     : no
type         : shash
blocksize    : 64
digestsize   : 28

name         : cbc(aes)
driver       : cbc-aes-aesni
module       : aesni_intel
priority     : 400
refcnt       : 1
selftest     : passed
internal     : no
type         : skcipher
async        : yes
blocksize    : 16
min keysize  : 16
max keysize  : 32
ivsize       : 16
chunksize    : 16
walksize     : 16

name         : gcm(aes)
driver       : generic-gcm-aesni
module       : aesni_intel
priority     : 400
refcnt       : 1
selftest     : passed
internal     : no
type         : aead
async        : yes
blocksize    : 1
ivsize       : 12
maxauthsize  : 16
geniv        : <none>

name         : stdrng
driver       : drbg_nopr_hmac_sha256
module       : kernel
priority     : 221
refcnt       : 2
selftest     : passed
internal     : no
type         : rng
seedsize     : 0

name         : __cbc(aes)
driver       : __cbc-aes-aesni
module       : aesni_intel
priority     : 400
refcnt       : 1
selftest     : passed
internal     : yes
type         : skcipher
async        : no
blocksize    : 16
min keysize  : 16
max keysize  : 32
ivsize       : 16
chunksize    : 16
walksize     : 16

name         : aes
driver       : aes-aesni
module       : aesni_intel
priority     : 300
refcnt       : 1
selftest     : passed
internal     : no
type         : cipher
blocksize    : 16
min keysize  : 16
max keysize  : 32
)";

}  // namespace

TEST_CASE("alg: parses every entry of /proc/crypto with its sizes") {
  auto algs = parse_proc_crypto(kProc);
  REQUIRE(algs.size() == 8);
  CHECK(algs[0].name == "sha256");
  CHECK(algs[0].driver == "sha256-avx2");
  CHECK(algs[0].module == "sha256_ssse3");
  CHECK(algs[0].priority == 170);
  CHECK(algs[0].selftest == "passed");
  CHECK(algs[0].digestsize == 32u);
  CHECK_FALSE(algs[0].ivsize.has_value());
  CHECK(algs[3].min_keysize == 16u);
  CHECK(algs[3].max_keysize == 32u);
  CHECK(algs[3].ivsize == 16u);
  CHECK(algs[3].async == true);
  CHECK(algs[4].maxauthsize == 16u);
  CHECK(algs[4].geniv == "<none>");
  CHECK(algs[5].seedsize == 0u);
  CHECK(algs[6].internal);
  CHECK(algs[7].type == "cipher");
}

TEST_CASE("alg: text that is not /proc/crypto gives no entries, not a crash") {
  std::string_view const rows[] = {"", "\n\n\n", "garbage without colons\n", ": no key\n\n", "priority : x\n"};
  for (auto text : rows) {
    CAPTURE(text);
    auto algs = parse_proc_crypto(text);
    CHECK(algs.empty());
  }
}

TEST_CASE("alg: AF_ALG types of /proc/crypto types") {
  struct Row {
    std::string_view proc, algif;
  };
  Row const rows[] = {{"shash", "hash"}, {"ahash", "hash"},  {"skcipher", "skcipher"}, {"lskcipher", "skcipher"},
                      {"aead", "aead"},  {"rng", "rng"},     {"cipher", ""},           {"akcipher", ""},
                      {"kpp", ""},       {"compression", ""}};
  for (auto const& r : rows) {
    CAPTURE(r.proc);
    CHECK(algif_type(r.proc) == r.algif);
  }
}

TEST_CASE("alg: find_alg picks the highest priority by name or driver, of the right type") {
  auto algs = parse_proc_crypto(kProc);
  struct Row {
    std::string_view type, name, driver;  // driver "" = not found
  };
  Row const rows[] = {
      {"hash", "sha256", "sha256-avx2"},
      {"hash", "sha256-generic", "sha256-generic"},
      {"skcipher", "cbc(aes)", "cbc-aes-aesni"},
      {"aead", "gcm(aes)", "generic-gcm-aesni"},
      {"rng", "stdrng", "drbg_nopr_hmac_sha256"},
      {"hash", "cbc(aes)", ""},
      {"skcipher", "aes", ""},
      {"hash", "sha512", ""},
  };
  for (auto const& r : rows) {
    CAPTURE(r.name);
    auto const* a = find_alg(algs, r.type, r.name);
    if (r.driver.empty()) {
      CHECK(a == nullptr);
    } else {
      REQUIRE(a != nullptr);
      CHECK(a->driver == r.driver);
    }
  }
}

TEST_CASE("alg: suggestions are the closest names of the same type, internal ones never") {
  auto algs = parse_proc_crypto(kProc);
  struct Row {
    std::string_view type, name;
    std::vector<std::string> want;
  };
  Row const rows[] = {
      {"hash", "sha257", {"sha256", "sha224"}},
      {"hash", "SHA256", {"sha256", "sha224"}},
      {"skcipher", "cbc(aes", {"cbc(aes)"}},
      {"skcipher", "__cbc(aes)", {"cbc(aes)"}},
      {"aead", "gcm(aes)x", {"gcm(aes)"}},
      {"hash", "whirlpool", {}},
  };
  for (auto const& r : rows) {
    CAPTURE(r.name);
    CHECK(closest_algs(algs, r.type, r.name, 2) == r.want);
  }
}

TEST_CASE("alg: key sizes are written the way messages need them") {
  CryptoAlg fixed, range, none;
  fixed.min_keysize = fixed.max_keysize = 32;
  range.min_keysize = 16;
  range.max_keysize = 32;
  CHECK(key_sizes_text(fixed) == "32");
  CHECK(key_sizes_text(range) == "16 to 32");
  CHECK(key_sizes_text(none) == "a length the kernel accepts");
}

TEST_CASE("alg: JSON of an entry carries what /proc/crypto said, nothing more") {
  auto algs = parse_proc_crypto(kProc);
  auto j = crypto_alg_json(algs[3]);
  CHECK(j["name"] == "cbc(aes)");
  CHECK(j["min_keysize"] == 16);
  CHECK(j["ivsize"] == 16);
  CHECK_FALSE(j.contains("digestsize"));
  CHECK(crypto_alg_json(algs[0]).dump().find("\"digestsize\":32") != std::string::npos);
}

TEST_CASE("alg: sha256sum lines written and read back, escapes included") {
  struct Row {
    std::string file, line;
  };
  Row const rows[] = {
      {"-", "ab12  -"},
      {"a b.txt", "ab12  a b.txt"},
      {"back\\slash", "\\ab12  back\\\\slash"},
      {"new\nline", "\\ab12  new\\nline"},
  };
  for (auto const& r : rows) {
    CAPTURE(r.file);
    CHECK(sum_line("ab12", r.file) == r.line);
    auto parsed = parse_sum_line(r.line);
    REQUIRE(parsed);
    CHECK(parsed->digest == "ab12");
    CHECK(parsed->file == r.file);
  }
  auto binary = parse_sum_line("AB12 *file.bin");
  REQUIRE(binary);
  CHECK(binary->file == "file.bin");
}

TEST_CASE("alg: lines that are not sha256sum lines are refused") {
  std::string_view const rows[] = {"", "ab12", "ab12 ", "ab12  ", "ab12 file", "zz12  file", " ab12  file",
                                   "\\ab12  bad\\escape", "\\ab12  trailing\\"};
  for (auto line : rows) {
    CAPTURE(line);
    CHECK_FALSE(parse_sum_line(line).has_value());
  }
}
