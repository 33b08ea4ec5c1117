// alg.hpp: the kernel crypto API over AF_ALG: /proc/crypto as data, a bound
// transform (hash, skcipher, aead, rng) with its key, and the operations
// sockctl alg runs on it, fed by splice where the input allows.
// Replaces: libkcapi's kcapi-dgst, kcapi-enc, kcapi-rng.
// See: Documentation/crypto/userspace-if.rst, linux/if_alg.h, sockctl-alg(1).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sockctl/error.hpp"
#include "sockctl/hex.hpp"
#include "sockctl/json.hpp"
#include "sockctl/socket.hpp"

namespace sockctl {

/// One entry of /proc/crypto. Sizes are in bytes; absent when the entry has none.
struct CryptoAlg {
  std::string name, driver, module, type, selftest, geniv;
  int priority = 0;
  bool internal = false;
  std::optional<bool> async;
  std::optional<unsigned> blocksize, digestsize, ivsize, min_keysize, max_keysize, maxauthsize, seedsize,
      chunksize, walksize;
};

/// Parses /proc/crypto's text: entries separated by blank lines, "key : value".
std::vector<CryptoAlg> parse_proc_crypto(std::string_view text);
/// Reads and parses /proc/crypto (exit 69 when it cannot be read: no crypto API).
Result<std::vector<CryptoAlg>> read_proc_crypto();
/// The entry as JSON: every field /proc/crypto gave, keys as in the man page.
Json crypto_alg_json(CryptoAlg const& a);

/// The AF_ALG type that serves a /proc/crypto type ("shash" -> "hash"); "" when none does.
std::string_view algif_type(std::string_view proc_type);
/// The entry the kernel would pick for NAME (a name or a driver) of an AF_ALG
/// type: the highest priority among those that match; nullptr when none does.
CryptoAlg const* find_alg(std::vector<CryptoAlg> const& algs, std::string_view type, std::string_view name);
/// Up to n names of type TYPE closest to NAME (edit distance), for "did you mean".
std::vector<std::string> closest_algs(std::vector<CryptoAlg> const& algs, std::string_view type,
                                      std::string_view name, size_t n = 3);

/// "16", "16 or 24", "16 to 32": the key lengths an entry accepts, for messages.
std::string key_sizes_text(CryptoAlg const& a);

/// A transform socket bound to "alg:TYPE:NAME", with its /proc/crypto entry
/// once the kernel has instantiated it. Operation sockets are accepted from it.
class AlgTfm {
 public:
  /// socket + bind. An unknown name exits 69 naming the closest ones the kernel offers.
  static Result<AlgTfm> open(std::string_view type, std::string_view name);
  /// open() that returns nullopt for a name the kernel does not know (ENOENT).
  static Result<std::optional<AlgTfm>> try_open(std::string_view type, std::string_view name);
  /// open() for "skcipher", then "aead": encrypt/decrypt take either kind.
  static Result<AlgTfm> open_cipher(std::string_view name);

  /// ALG_SET_KEY (for rng: the seed). A rejected length exits 65 naming the accepted sizes.
  Result<void> set_key(std::span<std::byte const> key);
  /// ALG_SET_AEAD_AUTHSIZE: the tag length in bytes; a rejected one exits 65.
  Result<void> set_authsize(size_t bytes);
  /// accept(2): a new operation socket sharing the key.
  Result<Socket> operation();

  std::string const& type() const { return type_; }
  std::string const& name() const { return name_; }
  /// The /proc/crypto entry behind the name; nullptr when /proc/crypto does not show it.
  CryptoAlg const* info() const { return info_ ? &*info_ : nullptr; }

 private:
  AlgTfm(Socket s, std::string type, std::string name);
  Socket sock_;
  std::string type_, name_;
  std::optional<CryptoAlg> info_;
};

/// Where operation output goes, in order, chunk by chunk.
using Sink = std::function<Result<void>(std::span<std::byte const>)>;

/// An input: a descriptor and what to call it in errors ("-" is stdin).
struct Input {
  int fd = 0;
  std::string name = "-";
};

/// The digest of everything read from in (hash or, once keyed, hmac); bytes counts the input.
Result<Bytes> hash_input(AlgTfm& tfm, Input const& in, uint64_t* bytes = nullptr);

enum class Direction { encrypt, decrypt };

/// Streams in through a skcipher to sink, any length, chunk by chunk; the IV
/// carries from chunk to chunk as in one operation. Returns the input byte count.
/// A length the cipher cannot take (a partial block for cbc) exits 65.
Result<uint64_t> skcipher_stream(AlgTfm& tfm, Direction dir, std::span<std::byte const> iv, Input const& in,
                                 Sink const& sink);

/// One AEAD operation. Encrypt returns ciphertext || tag; decrypt takes
/// ciphertext || tag and returns the plaintext, or exits 65 on a bad tag
/// (nothing of the plaintext is returned then). tag_len is what set_authsize set.
Result<Bytes> aead_run(AlgTfm& tfm, Direction dir, std::span<std::byte const> iv, std::span<std::byte const> aad,
                       std::span<std::byte const> input, size_t tag_len);

/// Seeds an rng (ALG_SET_KEY): with seed, or with seedsize bytes from getrandom(2).
Result<void> rng_seed(AlgTfm& tfm, std::optional<Bytes> const& seed);
/// n bytes from an rng transform to sink.
Result<void> rng_read(AlgTfm& tfm, uint64_t n, Sink const& sink);

/// One line of a sha256sum-style list.
struct SumLine {
  std::string digest;  // hex, as written
  std::string file;
};
/// "HEX  FILE" as sha256sum writes it; a name with '\\' or a newline is
/// escaped and the line starts with '\\'.
std::string sum_line(std::string_view hex, std::string_view file);
/// Parses "HEX  FILE" or "HEX *FILE" (binary mode), escapes included; nullopt
/// when the line is not one.
std::optional<SumLine> parse_sum_line(std::string_view line);

}  // namespace sockctl
