// alg.cpp: `sockctl alg list|hash|hmac|encrypt|decrypt|rng`: the kernel's
// crypto API over AF_ALG: digests in sha256sum's format (and --check), skcipher
// and AEAD streams stdin -> stdout, random bytes, and /proc/crypto as a table.
// Replaces: libkcapi's kcapi-dgst, kcapi-enc, kcapi-rng.
// See: Documentation/crypto/userspace-if.rst, sockctl-alg(1).
#include <fcntl.h>
#include <fnmatch.h>

#include "command.hpp"
#include "sockctl/alg.hpp"
#include "sockctl/io.hpp"

namespace sockctl::cmd {
namespace {

struct ListOptions {
  std::string pattern;
  std::string type;
};

struct HashOptions {
  std::string algorithm;
  std::vector<std::string> files;
  std::string key_hex, key_file;
  std::string check;
  bool raw = false;
  bool hmac = false;
};

struct CipherOptions {
  std::string algorithm;
  std::string file = "-";
  std::string key_hex, key_file;
  std::string iv_hex;
  std::string aad_hex, aad_file;
  std::optional<size_t> tag_len;
  Direction dir = Direction::encrypt;
};

struct RngOptions {
  std::string algorithm = "stdrng";
  std::optional<uint64_t> bytes;
  std::optional<std::string> seed_hex;
  bool hex = false;
};

// --X HEX or --X-file FILE, at most one; nullopt when neither was given.
Result<std::optional<Bytes>> hex_or_file(std::string const& hex, std::string const& file, std::string_view flag) {
  if (!hex.empty() && !file.empty())
    return Error::usage(fmt::format("--{} and --{}-file", flag, flag), "give one of them");
  if (!file.empty()) {
    auto text = TRY(read_file(file));
    return std::optional<Bytes>(Bytes(reinterpret_cast<std::byte const*>(text.data()),
                                      reinterpret_cast<std::byte const*>(text.data()) + text.size()));
  }
  if (hex.empty()) return std::optional<Bytes>();
  return std::optional<Bytes>(TRY(hex_decode(hex)));
}

// An input by name ("-" is stdin), kept open while it is read.
struct OpenInput {
  Fd fd;
  Input input;
};

Result<OpenInput> open_input(std::string const& name) {
  if (name == "-") return OpenInput{Fd(), Input{0, "-"}};
  auto fd = TRY(open_file(name, O_RDONLY));
  int n = fd.get();
  return OpenInput{std::move(fd), Input{n, name}};
}

Json algorithm_json(AlgTfm const& tfm) {
  Json j;
  j["algorithm"] = tfm.name();
  j["type"] = tfm.type();
  j["driver"] = tfm.info() ? Json(tfm.info()->driver) : Json(nullptr);
  return j;
}

std::string sizes_text(CryptoAlg const& a) {
  std::string s;
  auto put = [&](char const* what, std::optional<unsigned> v) {
    if (v) s += fmt::format("{}{} {}", s.empty() ? "" : " ", what, *v);
  };
  put("block", a.blocksize);
  put("digest", a.digestsize);
  put("iv", a.ivsize);
  if (a.min_keysize) s += fmt::format("{}key {}", s.empty() ? "" : " ", key_sizes_text(a));
  put("tag", a.maxauthsize);
  put("seed", a.seedsize);
  return s;
}

Result<Exit> run_list(ListOptions const& opt, Output& out) {
  static constexpr std::string_view kTypes[] = {"hash", "skcipher", "aead", "rng"};
  if (!opt.type.empty() && std::find(std::begin(kTypes), std::end(kTypes), opt.type) == std::end(kTypes))
    return Error::usage(fmt::format("--type '{}'", opt.type), "not one of hash, skcipher, aead, rng");
  auto algs = TRY(read_proc_crypto());
  // A pattern with a wildcard is a glob; a plain one matches anywhere in the name or driver.
  bool glob = opt.pattern.find_first_of("*?[") != std::string::npos;
  auto matches = [&](std::string const& s) {
    return glob ? fnmatch(opt.pattern.c_str(), s.c_str(), 0) == 0 : s.find(opt.pattern) != std::string::npos;
  };
  Json doc = Json::array();
  std::string human = fmt::format("{:<28} {:<32} {:<9} {:>5}  {}\n", "NAME", "DRIVER", "TYPE", "PRIO", "SIZES");
  for (auto const& a : algs) {
    if (!opt.type.empty() && algif_type(a.type) != opt.type) continue;
    if (!opt.pattern.empty() && !matches(a.name) && !matches(a.driver)) continue;
    doc.push_back(crypto_alg_json(a));
    human += fmt::format("{:<28} {:<32} {:<9} {:>5}  {}\n", a.name, a.driver, a.type, a.priority, sizes_text(a));
  }
  if (doc.empty() && !opt.pattern.empty())
    return Error::make(Exit::no, fmt::format("pattern '{}'", opt.pattern), "no algorithm in /proc/crypto matches");
  TRY(out.document(doc, [&] { return human; }));
  return Exit::ok;
}

Result<AlgTfm> open_hash(HashOptions const& opt) {
  if (!opt.hmac) return AlgTfm::open("hash", opt.algorithm);
  // "sha256" means hmac(sha256); a name with a template ("cmac(aes)") is used as given.
  auto name = opt.algorithm.find('(') == std::string::npos ? "hmac(" + opt.algorithm + ")" : opt.algorithm;
  auto key = TRY(hex_or_file(opt.key_hex, opt.key_file, "key"));
  if (!key) return Error::usage(fmt::format("'{}'", name), "needs a key (--key HEX or --key-file FILE)");
  auto tfm = TRY(AlgTfm::open("hash", name));
  TRY(tfm.set_key(*key));
  return tfm;
}

Result<Exit> run_check(HashOptions const& opt, AlgTfm& tfm, Output& out) {
  auto list = TRY(read_file(opt.check));
  Json results = Json::array();
  std::string human;
  size_t failed = 0, lineno = 0;
  for (std::string_view rest = list; !rest.empty();) {
    auto nl = rest.find('\n');
    auto line = rest.substr(0, nl);
    rest.remove_prefix(nl == std::string_view::npos ? rest.size() : nl + 1);
    ++lineno;
    auto sum = parse_sum_line(line);
    if (!sum)
      return Error::data(fmt::format("line {} of '{}'", lineno, opt.check), "not a 'DIGEST  FILE' line");
    auto in = TRY(open_input(sum->file));
    auto digest = hex_encode(TRY(hash_input(tfm, in.input)));
    bool ok = std::equal(digest.begin(), digest.end(), sum->digest.begin(), sum->digest.end(),
                         [](char a, char b) { return std::tolower(a) == std::tolower(b); });
    failed += !ok;
    results.push_back({{"file", sum->file}, {"ok", ok}});
    human += fmt::format("{}: {}\n", sum->file, ok ? "OK" : "FAILED");
  }
  Json doc = algorithm_json(tfm);
  doc["checked"] = results;
  doc["failed"] = failed;
  TRY(out.document(doc, [&] { return human; }));
  if (failed == 0) return Exit::ok;
  out.warn("alg", fmt::format("{} of {} computed digests did not match", failed, results.size()));
  return Exit::no;
}

Result<Exit> run_hash(HashOptions opt, Output& out) {
  if (opt.raw && (out.json() || !opt.check.empty()))
    return Error::usage("--raw", out.json() ? "cannot be combined with --json" : "cannot be combined with --check");
  if (!opt.check.empty() && !opt.files.empty())
    return Error::usage(fmt::format("file '{}'", opt.files[0]), "--check reads the file names from its list");
  auto tfm = TRY(open_hash(opt));
  if (!opt.check.empty()) return run_check(opt, tfm, out);
  if (opt.files.empty()) opt.files.push_back("-");
  Json digests = Json::array();
  std::string human;
  for (auto const& file : opt.files) {
    auto in = TRY(open_input(file));
    uint64_t bytes = 0;
    auto digest = TRY(hash_input(tfm, in.input, &bytes));
    if (opt.raw) TRY(out.write({reinterpret_cast<char const*>(digest.data()), digest.size()}));
    digests.push_back({{"file", file}, {"bytes", bytes}, {"digest", hex_encode(digest)}});
    human += sum_line(hex_encode(digest), file) + '\n';
  }
  if (opt.raw) {
    TRY(out.finish());
    return Exit::ok;
  }
  Json doc = algorithm_json(tfm);
  doc["digests"] = digests;
  TRY(out.document(doc, [&] { return human; }));
  return Exit::ok;
}

Result<Exit> run_cipher(CipherOptions const& opt, Output& out) {
  // Arguments are checked before the kernel is asked anything.
  auto key = TRY(hex_or_file(opt.key_hex, opt.key_file, "key"));
  if (!key) return Error::usage(fmt::format("'{}'", opt.algorithm), "needs a key (--key HEX or --key-file FILE)");
  auto aad = TRY(hex_or_file(opt.aad_hex, opt.aad_file, "aad"));
  auto iv = TRY(hex_decode(opt.iv_hex));
  auto in = TRY(open_input(opt.file));
  auto tfm = TRY(AlgTfm::open_cipher(opt.algorithm));
  bool aead = tfm.type() == "aead";
  if (!aead && (aad || opt.tag_len))
    return Error::usage(aad ? "--aad" : "--tag-len", fmt::format("'{}' is not an AEAD", opt.algorithm));
  auto const* info = tfm.info();
  if (opt.iv_hex.empty() && info && info->ivsize.value_or(0) > 0)
    return Error::usage(fmt::format("'{}'", opt.algorithm), fmt::format("needs --iv: {} bytes in hex", *info->ivsize));
  TRY(tfm.set_key(*key));
  if (opt.tag_len) TRY(tfm.set_authsize(*opt.tag_len));

  Json doc = algorithm_json(tfm);
  doc["operation"] = opt.dir == Direction::encrypt ? "encrypt" : "decrypt";
  // With --json the output goes into the document as hex; without, straight to stdout.
  Bytes collected;
  uint64_t bytes_out = 0;
  Sink sink = [&](std::span<std::byte const> chunk) -> Result<void> {
    bytes_out += chunk.size();
    if (out.json()) {
      collected.insert(collected.end(), chunk.begin(), chunk.end());
      return {};
    }
    return out.write({reinterpret_cast<char const*>(chunk.data()), chunk.size()});
  };
  uint64_t bytes_in = 0;
  if (aead) {
    auto data = TRY(read_fd(in.input.fd, in.input.name));
    size_t tag_len = opt.tag_len.value_or(info ? info->maxauthsize.value_or(16) : 16);
    auto input = std::as_bytes(std::span(data));
    auto result = TRY(aead_run(tfm, opt.dir, iv, aad.value_or(Bytes{}), input, tag_len));
    bytes_in = data.size();
    TRY(sink(result));
    doc["tag_len"] = tag_len;
    doc["aad_bytes"] = aad ? aad->size() : 0;
  } else {
    bytes_in = TRY(skcipher_stream(tfm, opt.dir, iv, in.input, sink));
  }
  if (!out.json()) {
    TRY(out.finish());
    return Exit::ok;
  }
  doc["bytes_in"] = bytes_in;
  doc["bytes_out"] = bytes_out;
  doc["output"] = hex_encode(collected);
  TRY(out.document(doc, [] { return std::string(); }));
  return Exit::ok;
}

Result<Exit> run_rng(RngOptions const& opt, Output& out) {
  std::optional<Bytes> seed;
  if (opt.seed_hex) seed = TRY(hex_decode(*opt.seed_hex));
  auto tfm = TRY(AlgTfm::open("rng", opt.algorithm));
  TRY(rng_seed(tfm, seed));
  uint64_t n = opt.bytes.value_or(0);
  if (!out.json() && !opt.hex) {
    TRY(rng_read(tfm, n, [&](std::span<std::byte const> b) {
      return out.write({reinterpret_cast<char const*>(b.data()), b.size()});
    }));
    TRY(out.finish());
    return Exit::ok;
  }
  Bytes data;
  TRY(rng_read(tfm, n, [&](std::span<std::byte const> b) -> Result<void> {
    data.insert(data.end(), b.begin(), b.end());
    return {};
  }));
  Json doc = algorithm_json(tfm);
  doc["bytes"] = n;
  doc["data"] = hex_encode(data);
  TRY(out.document(doc, [&] { return hex_encode(data) + '\n'; }));
  return Exit::ok;
}

void add_list(CLI::App& parent, Dispatch& dispatch) {
  auto opt = std::make_shared<ListOptions>();
  auto* sub = parent.add_subcommand("list", "List the kernel's algorithms from /proc/crypto");
  sub->add_option("pattern", opt->pattern, "Only names or drivers containing PATTERN (a glob with * ? [)");
  sub->add_option("-t,--type", opt->type, "Only algorithms AF_ALG serves as TYPE: hash, skcipher, aead, rng")
      ->type_name("TYPE");
  dispatch.on(sub, [opt](Output& out) { return run_list(*opt, out); });
}

void add_hash(CLI::App& parent, Dispatch& dispatch, bool hmac) {
  auto opt = std::make_shared<HashOptions>();
  opt->hmac = hmac;
  auto* sub = hmac ? parent.add_subcommand("hmac", "Print the HMAC of each FILE (or stdin) under a key")
                   : parent.add_subcommand("hash", "Print the digest of each FILE (or stdin), as sha256sum does");
  sub->add_option("algorithm", opt->algorithm,
                  hmac ? "Digest ALGO, e.g. sha256 for hmac(sha256), or a keyed hash such as cmac(aes)"
                       : "Digest ALGO, e.g. sha256, sha3-512, blake2b-256")
      ->required()
      ->type_name("ALGO");
  sub->add_option("files", opt->files, "FILE to digest; - or none for stdin")->type_name("FILE");
  if (hmac) {
    sub->add_option("-k,--key", opt->key_hex, "Key as HEX")->type_name("HEX");
    sub->add_option("--key-file", opt->key_file, "Read the key's raw bytes from FILE")->type_name("FILE");
  }
  sub->add_option("-c,--check", opt->check, "Verify the digests listed in FILE (sha256sum's format)")
      ->type_name("FILE");
  sub->add_flag("--raw", opt->raw, "Write the binary digests to stdout, nothing else");
  dispatch.on(sub, [opt](Output& out) { return run_hash(*opt, out); });
}

void add_cipher(CLI::App& parent, Dispatch& dispatch, Direction dir) {
  auto opt = std::make_shared<CipherOptions>();
  opt->dir = dir;
  bool enc = dir == Direction::encrypt;
  auto* sub = parent.add_subcommand(enc ? "encrypt" : "decrypt",
                                    enc ? "Encrypt FILE (or stdin) to stdout with a skcipher or an AEAD"
                                        : "Decrypt FILE (or stdin) to stdout with a skcipher or an AEAD");
  sub->add_option("algorithm", opt->algorithm, "Cipher ALGO, e.g. cbc(aes), ctr(aes), xts(aes), gcm(aes)")
      ->required()
      ->type_name("ALGO");
  sub->add_option("file", opt->file, "FILE to read instead of stdin")->type_name("FILE");
  sub->add_option("-k,--key", opt->key_hex, "Key as HEX")->type_name("HEX");
  sub->add_option("--key-file", opt->key_file, "Read the key's raw bytes from FILE")->type_name("FILE");
  sub->add_option("--iv", opt->iv_hex, "Initialisation vector (nonce) as HEX")->type_name("HEX");
  sub->add_option("--aad", opt->aad_hex, "AEAD associated data as HEX")->type_name("HEX");
  sub->add_option("--aad-file", opt->aad_file, "Read the AEAD associated data from FILE")->type_name("FILE");
  sub->add_option("--tag-len", opt->tag_len, "AEAD tag length in BYTES (default the largest)")->type_name("BYTES");
  dispatch.on(sub, [opt](Output& out) { return run_cipher(*opt, out); });
}

void add_rng(CLI::App& parent, Dispatch& dispatch) {
  auto opt = std::make_shared<RngOptions>();
  auto* sub = parent.add_subcommand("rng", "Write random bytes from a kernel RNG to stdout");
  sub->add_option("algorithm", opt->algorithm, "RNG ALGO, e.g. stdrng, drbg_nopr_hmac_sha256 (default stdrng)")
      ->type_name("ALGO");
  sub->add_option("-n,--bytes", opt->bytes, "How many BYTES to write")->required()->type_name("BYTES");
  sub->add_option("--seed", opt->seed_hex, "Seed as HEX (default: fresh bytes from getrandom)")->type_name("HEX");
  sub->add_flag("--hex", opt->hex, "Write hex digits and a newline instead of raw bytes");
  dispatch.on(sub, [opt](Output& out) { return run_rng(*opt, out); });
}

}  // namespace

void add_alg(CLI::App& app, Dispatch& dispatch) {
  auto* sub = app.add_subcommand("alg", "Hash, encrypt and draw random bytes with the kernel's crypto (AF_ALG)");
  sub->require_subcommand(1);
  add_list(*sub, dispatch);
  add_hash(*sub, dispatch, false);
  add_hash(*sub, dispatch, true);
  add_cipher(*sub, dispatch, Direction::encrypt);
  add_cipher(*sub, dispatch, Direction::decrypt);
  add_rng(*sub, dispatch);
}

}  // namespace sockctl::cmd
