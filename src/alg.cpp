// alg.cpp: AF_ALG operations (hash, skcipher, aead, rng) and /proc/crypto.
//
// The kernel's interface: a transform socket is bound to "TYPE:NAME" and keyed
// with setsockopt(ALG_SET_KEY); each accept(2) on it gives an operation socket.
// Input goes in with sendmsg, whose first message carries ALG_SET_OP, ALG_SET_IV
// and ALG_SET_AEAD_ASSOCLEN as control messages, or with splice; the result
// comes out with recv. MSG_MORE (SPLICE_F_MORE) says more input follows.
//
// Zero-copy. A regular file goes file -> our pipe -> socket with splice(2):
// the page cache pages are handed to the socket and the bytes never enter
// user space. A pipe on stdin is spliced straight into the socket (no pipe of
// ours, no vmsplice: the data never was in our memory, so there is nothing to
// gift). Anything else (a terminal, a socket) is read and sent.
//
// The kernel's limits. A skcipher's input waits in the socket's send buffer
// until a recv runs the cipher over it: send more than fits and the sender
// blocks for ever, since we are also the reader. So input goes in chunks a
// little smaller than the send buffer (raised with SO_SNDBUFFORCE where we
// may), each followed by a recv of the whole chunksizes ready. Between
// chunks the kernel keeps the IV it got back from the cipher, so a stream
// in chunks equals one operation for the modes that chain their IV (ecb, cbc,
// ctr, cfb, ofb, pcbc). Others (xts, cts, chacha20, rfc3686...) do not return
// the next IV, and an AEAD needs its whole input at once: those run as one
// operation over input held in memory, with both buffers raised to fit it.
// A hash has no limit: its update runs on every page as it arrives.
// See: Documentation/crypto/userspace-if.rst, crypto/algif_*.c, splice(2).
#include "sockctl/alg.hpp"

#include <fcntl.h>
#include <linux/if_alg.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cctype>
#include <charconv>
#include <cstring>

#include <fmt/format.h>

#include "sockctl/cmsg.hpp"
#include "sockctl/endpoint.hpp"
#include "sockctl/io.hpp"
#include "sockctl/spell.hpp"

#ifndef SOL_ALG
#define SOL_ALG 279
#endif

namespace sockctl {

namespace {

constexpr size_t kPage = 4096;
// The size of our pipe, and the most one splice moves.
constexpr size_t kChunk = 1 << 20;
// The largest chunk of a skcipher stream. The kernel charges the scatterlists
// of one operation to the socket's option memory (net.core.optmem_max, 20 KiB
// by default): 1 MiB in and out needs about 20 KiB of them and fails with
// ENOMEM, 256 KiB about 6 KiB.
constexpr size_t kStreamChunk = 256 << 10;
// algif_rng answers at most 128 bytes per recv (MAXSIZE in crypto/algif_rng.c).
constexpr size_t kRngMax = 128;

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

std::optional<unsigned> number(std::string_view s) {
  unsigned v = 0;
  auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  if (r.ec != std::errc() || r.ptr != s.data() + s.size()) return std::nullopt;
  return v;
}

void set_field(CryptoAlg& a, std::string_view key, std::string_view value) {
  struct Size {
    std::string_view key;
    std::optional<unsigned> CryptoAlg::*field;
  };
  static constexpr Size kSizes[] = {
      {"blocksize", &CryptoAlg::blocksize},     {"digestsize", &CryptoAlg::digestsize},
      {"ivsize", &CryptoAlg::ivsize},           {"min keysize", &CryptoAlg::min_keysize},
      {"max keysize", &CryptoAlg::max_keysize}, {"maxauthsize", &CryptoAlg::maxauthsize},
      {"seedsize", &CryptoAlg::seedsize},       {"chunksize", &CryptoAlg::chunksize},
      {"walksize", &CryptoAlg::walksize},
  };
  for (auto const& s : kSizes)
    if (key == s.key) {
      a.*s.field = number(value);
      return;
    }
  if (key == "name") a.name = value;
  else if (key == "driver") a.driver = value;
  else if (key == "module") a.module = value;
  else if (key == "type") a.type = value;
  else if (key == "selftest") a.selftest = value;
  else if (key == "geniv") a.geniv = value;
  else if (key == "internal") a.internal = value == "yes";
  else if (key == "async") a.async = value == "yes";
  else if (key == "priority") a.priority = static_cast<int>(number(value).value_or(0));
}

// The names and drivers of one AF_ALG type, for suggestions.
std::vector<std::string_view> names_of(std::vector<CryptoAlg> const& algs, std::string_view type) {
  std::vector<std::string_view> out;
  for (auto const& a : algs)
    if (!a.internal && algif_type(a.type) == type) {
      out.push_back(a.name);
      out.push_back(a.driver);
    }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

Error unknown_alg(std::vector<std::string_view> types, std::string_view name) {
  std::vector<std::string> near;
  if (auto algs = read_proc_crypto()) {
    std::vector<std::pair<size_t, std::string>> ranked;
    for (auto type : types)
      for (auto const& n : closest_algs(*algs, type, name, 3)) ranked.emplace_back(edit_distance(n, name, true), n);
    std::stable_sort(ranked.begin(), ranked.end(), [](auto const& a, auto const& b) { return a.first < b.first; });
    for (size_t i = 0; i < ranked.size() && near.size() < 3; ++i)
      if (std::find(near.begin(), near.end(), ranked[i].second) == near.end()) near.push_back(ranked[i].second);
  }
  std::string why = "the kernel offers no such algorithm (see 'sockctl alg list')";
  if (!near.empty()) {
    why += ", closest: '" + near[0] + "'";
    for (size_t i = 1; i < near.size(); ++i) why += (i + 1 == near.size() ? " or '" : ", '") + near[i] + "'";
  }
  return Error::make(Exit::unavailable, fmt::format("unknown {} algorithm '{}'", fmt::join(types, " or "), name), why);
}

// Modes whose implementations hand the next IV back, so that a stream cut into
// operations equals one operation (see the essay at the top).
bool chains_iv(std::string_view name) {
  for (std::string_view mode : {"ecb", "cbc", "ctr", "cfb", "ofb", "pcbc"})
    if (name.starts_with(mode) && name.size() > mode.size() && (name[mode.size()] == '(' || name[mode.size()] == '-'))
      return true;
  return false;
}

// Raises the socket's buffers so that `bytes` fit in one operation. Root may
// go past net.core.wmem_max (SO_*BUFFORCE); others get what the sysctl allows.
// Returns the usable send buffer: the kernel's sk_sndbuf rounded to pages.
Result<size_t> raise_buffers(Socket& op, size_t bytes) {
  int want = static_cast<int>(std::min<size_t>(bytes, (1u << 30)));
  for (auto [force, plain] : {std::pair{SO_SNDBUFFORCE, SO_SNDBUF}, std::pair{SO_RCVBUFFORCE, SO_RCVBUF}})
    if (!op.setsockopt_int(SOL_SOCKET, force, want)) TRY(op.setsockopt_int(SOL_SOCKET, plain, want));
  int snd = TRY(op.getsockopt_int(SOL_SOCKET, SO_SNDBUF));
  int rcv = TRY(op.getsockopt_int(SOL_SOCKET, SO_RCVBUF));
  return static_cast<size_t>(std::min(snd, rcv)) & ~(kPage - 1);
}

// Control messages for the first sendmsg of an operation.
Result<CmsgBuilder> op_control(Direction dir, std::span<std::byte const> iv, std::optional<uint32_t> assoclen) {
  CmsgBuilder c;
  uint32_t op = dir == Direction::encrypt ? ALG_OP_ENCRYPT : ALG_OP_DECRYPT;
  TRY(c.add_value(SOL_ALG, ALG_SET_OP, op));
  if (!iv.empty()) {
    Bytes v(sizeof(uint32_t) + iv.size());
    uint32_t len = static_cast<uint32_t>(iv.size());
    std::memcpy(v.data(), &len, sizeof len);
    std::memcpy(v.data() + sizeof len, iv.data(), iv.size());
    TRY(c.add(SOL_ALG, ALG_SET_IV, v));
  }
  if (assoclen) TRY(c.add_value(SOL_ALG, ALG_SET_AEAD_ASSOCLEN, *assoclen));
  return c;
}

// recv until `want` bytes arrived: the kernel hands out what its receive
// buffer allows per call.
Result<void> recv_exact(Socket& op, std::span<std::byte> into) {
  while (!into.empty()) {
    size_t n = TRY(op.recv(into));
    if (n == 0) return Error::make(Exit::os, "recv from the AF_ALG operation", "ended early");
    into = into.subspan(n);
  }
  return {};
}

// Moves input into an operation socket: spliced where it can be, read and
// sent where it cannot (see the essay at the top).
class Feeder {
 public:
  static Result<Feeder> make(Input const& in) {
    struct stat st {};
    if (::fstat(in.fd, &st) < 0) return Error::sys(fmt::format("stat '{}'", in.name), errno);
    Feeder f(in);
    if (S_ISFIFO(st.st_mode)) {
      // A bigger pipe lets the writer run further ahead: fewer wake-ups and
      // splices. The pipe is shared, but only its capacity changes; when the
      // size is refused (pipe-max-size, pipe-user-pages-soft) it stays as it is.
      (void)::fcntl(in.fd, F_SETPIPE_SZ, static_cast<int>(kChunk));
      f.mode_ = Mode::splice_direct;
    } else if (S_ISREG(st.st_mode) || S_ISBLK(st.st_mode)) {
      int p[2];
      if (::pipe2(p, O_CLOEXEC) < 0) return Error::sys("pipe", errno);
      f.pipe_r_.reset(p[0]);
      f.pipe_w_.reset(p[1]);
      // A bigger pipe means fewer splices; the default 64 KiB still works.
      int size = ::fcntl(p[1], F_SETPIPE_SZ, static_cast<int>(kChunk));
      f.pipe_size_ = size > 0 ? static_cast<size_t>(size) : 65536;
      f.mode_ = Mode::splice_via_pipe;
    }
    return f;
  }

  /// Moves up to max bytes into op, with MSG_MORE; 0 at end of input.
  Result<size_t> feed(Socket& op, size_t max) {
    if (mode_ == Mode::splice_direct) {
      auto n = splice_once(in_.fd, op.fd(), max);
      if (n || n.error().err != EINVAL) return n;
      mode_ = Mode::copy;
    } else if (mode_ == Mode::splice_via_pipe) {
      auto n = splice_once(in_.fd, pipe_w_.get(), std::min(max, pipe_size_));
      if (!n && n.error().err == EINVAL) {
        mode_ = Mode::copy;
      } else {
        size_t got = TRY(std::move(n));
        for (size_t left = got; left > 0;) left -= TRY(splice_once(pipe_r_.get(), op.fd(), left));
        return got;
      }
    }
    if (buf_.empty()) buf_.resize(std::min(kChunk, size_t{256} << 10));
    size_t got = TRY(read_some(in_.fd, std::span(buf_).first(std::min(max, buf_.size())), in_.name));
    for (auto rest = std::span<std::byte const>(buf_).first(got); !rest.empty();)
      rest = rest.subspan(TRY(op.send(rest, MSG_MORE)));
    return got;
  }

 private:
  enum class Mode { copy, splice_direct, splice_via_pipe };
  explicit Feeder(Input const& in) : in_(in) {}

  Result<size_t> splice_once(int from, int to, size_t len) {
    for (;;) {
      ssize_t n = ::splice(from, nullptr, to, nullptr, len, SPLICE_F_MORE);
      if (n >= 0) return static_cast<size_t>(n);
      if (errno != EINTR) return Error::sys(fmt::format("splice from '{}'", in_.name), errno);
    }
  }

  Input in_;
  Mode mode_ = Mode::copy;
  Fd pipe_r_, pipe_w_;
  size_t pipe_size_ = 0;
  Bytes buf_;
};

// The alignment a skcipher stream is cut at: its chunk size (ctr's counter
// block), never less than its block size.
size_t stream_align(CryptoAlg const* info) {
  size_t a = 16;
  if (info) a = std::max<size_t>({1, info->blocksize.value_or(1), info->chunksize.value_or(1)});
  return a;
}

Result<void> check_iv(AlgTfm const& tfm, std::span<std::byte const> iv) {
  auto const* info = tfm.info();
  if (!info || !info->ivsize || *info->ivsize == iv.size()) return {};
  if (*info->ivsize == 0)
    return Error::data(fmt::format("IV of {} bytes for '{}'", iv.size(), tfm.name()), "it takes no IV");
  return Error::data(fmt::format("IV of {} bytes for '{}'", iv.size(), tfm.name()),
                     fmt::format("wrong length: it takes {} bytes", *info->ivsize));
}

Error rejected_input(AlgTfm const& tfm, uint64_t bytes, Error e) {
  if (e.err == ENOMEM)
    return Error::data(fmt::format("input of {} bytes for '{}'", bytes, tfm.name()),
                       "more than one kernel operation takes (its scatterlists outgrow net.core.optmem_max)");
  if (e.err != EINVAL) return e;
  auto const* info = tfm.info();
  std::string why = "the kernel rejected its length";
  if (info && info->blocksize && *info->blocksize > 1)
    why = fmt::format("not a whole number of {}-byte blocks", *info->blocksize);
  return Error::data(fmt::format("input of {} bytes for '{}'", bytes, tfm.name()), why);
}

// One skcipher operation over input held in memory (modes that do not chain).
Result<uint64_t> skcipher_once(AlgTfm& tfm, Socket& op, Direction dir, std::span<std::byte const> iv, Input const& in,
                               Sink const& sink) {
  auto data = TRY(read_fd(in.fd, in.name));
  auto bytes = std::as_bytes(std::span(data));
  size_t room = TRY(raise_buffers(op, data.size() + 2 * kPage));
  if (room < data.size() + kPage)
    return Error::data(fmt::format("input of {} bytes for '{}'", data.size(), tfm.name()),
                       fmt::format("more than one operation can take ({} bytes of socket buffer)", room));
  auto control = TRY(op_control(dir, iv, std::nullopt));
  auto sent = op.sendmsg({bytes, control.bytes()});
  if (!sent) return rejected_input(tfm, data.size(), sent.release_error());
  Bytes outbuf(data.size());
  if (!data.empty()) {
    auto r = recv_exact(op, outbuf);
    if (!r) return rejected_input(tfm, data.size(), r.release_error());
  }
  TRY(sink(outbuf));
  return data.size();
}

}  // namespace

std::vector<CryptoAlg> parse_proc_crypto(std::string_view text) {
  std::vector<CryptoAlg> out;
  CryptoAlg cur;
  bool open = false;
  auto close = [&] {
    if (open && !cur.name.empty()) out.push_back(std::move(cur));
    cur = CryptoAlg{};
    open = false;
  };
  while (!text.empty()) {
    auto nl = text.find('\n');
    auto line = text.substr(0, nl);
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    if (trim(line).empty()) {
      close();
      continue;
    }
    auto colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    set_field(cur, trim(line.substr(0, colon)), trim(line.substr(colon + 1)));
    open = true;
  }
  close();
  return out;
}

Result<std::vector<CryptoAlg>> read_proc_crypto() {
  auto text = read_file("/proc/crypto");
  if (!text) return Error::make(Exit::unavailable, "read '/proc/crypto'", text.error().why);
  return parse_proc_crypto(*text);
}

Json crypto_alg_json(CryptoAlg const& a) {
  Json j;
  j["name"] = a.name;
  j["driver"] = a.driver;
  j["module"] = a.module;
  j["type"] = a.type;
  j["priority"] = a.priority;
  j["selftest"] = a.selftest;
  j["internal"] = a.internal;
  if (a.async) j["async"] = *a.async;
  auto put = [&](char const* key, std::optional<unsigned> v) {
    if (v) j[key] = *v;
  };
  put("blocksize", a.blocksize);
  put("digestsize", a.digestsize);
  put("ivsize", a.ivsize);
  put("min_keysize", a.min_keysize);
  put("max_keysize", a.max_keysize);
  put("maxauthsize", a.maxauthsize);
  put("seedsize", a.seedsize);
  put("chunksize", a.chunksize);
  put("walksize", a.walksize);
  if (!a.geniv.empty()) j["geniv"] = a.geniv;
  return j;
}

std::string_view algif_type(std::string_view proc_type) {
  if (proc_type == "shash" || proc_type == "ahash") return "hash";
  if (proc_type == "skcipher" || proc_type == "lskcipher") return "skcipher";
  if (proc_type == "aead") return "aead";
  if (proc_type == "rng") return "rng";
  return {};
}

CryptoAlg const* find_alg(std::vector<CryptoAlg> const& algs, std::string_view type, std::string_view name) {
  CryptoAlg const* best = nullptr;
  for (auto const& a : algs)
    if (algif_type(a.type) == type && (a.name == name || a.driver == name) && (!best || a.priority > best->priority))
      best = &a;
  return best;
}

std::vector<std::string> closest_algs(std::vector<CryptoAlg> const& algs, std::string_view type,
                                      std::string_view name, size_t n) {
  auto names = names_of(algs, type);
  std::stable_sort(names.begin(), names.end(), [&](auto a, auto b) {
    return edit_distance(a, name, true) < edit_distance(b, name, true);
  });
  std::vector<std::string> out;
  // Only names within reach: half the name's length, at least 2 edits.
  size_t reach = std::max<size_t>(2, name.size() / 2);
  for (auto s : names)
    if (out.size() < n && edit_distance(s, name, true) <= reach) out.emplace_back(s);
  return out;
}

std::string key_sizes_text(CryptoAlg const& a) {
  if (!a.min_keysize || !a.max_keysize) return "a length the kernel accepts";
  if (*a.min_keysize == *a.max_keysize) return fmt::format("{}", *a.min_keysize);
  return fmt::format("{} to {}", *a.min_keysize, *a.max_keysize);
}

AlgTfm::AlgTfm(Socket s, std::string type, std::string name)
    : sock_(std::move(s)), type_(std::move(type)), name_(std::move(name)) {}

Result<std::optional<AlgTfm>> AlgTfm::try_open(std::string_view type, std::string_view name) {
  auto ep = TRY(parse_endpoint(fmt::format("alg:{}:{}", type, name)));
  auto sock = Socket::open(AF_ALG, SOCK_SEQPACKET, 0);
  if (!sock) {
    auto e = sock.release_error();
    e.what = "socket(AF_ALG)";
    return e;
  }
  sock->set_label(ep.text);
  if (auto r = sock->bind(*ep.address); !r) {
    if (r.error().err == ENOENT) return std::optional<AlgTfm>();
    return r.release_error();
  }
  AlgTfm tfm(sock.release_value(), std::string(type), std::string(name));
  // Bound, the algorithm is instantiated (templates too), so /proc/crypto shows it.
  if (auto algs = read_proc_crypto())
    if (auto const* a = find_alg(*algs, type, name)) tfm.info_ = *a;
  return std::optional<AlgTfm>(std::move(tfm));
}

Result<AlgTfm> AlgTfm::open(std::string_view type, std::string_view name) {
  auto tfm = TRY(try_open(type, name));
  if (!tfm) return unknown_alg({type}, name);
  return std::move(*tfm);
}

Result<AlgTfm> AlgTfm::open_cipher(std::string_view name) {
  auto sk = TRY(try_open("skcipher", name));
  if (sk) return std::move(*sk);
  auto ae = TRY(try_open("aead", name));
  if (ae) return std::move(*ae);
  return unknown_alg({"skcipher", "aead"}, name);
}

Result<void> AlgTfm::set_key(std::span<std::byte const> key) {
  if (auto r = sock_.setsockopt(SOL_ALG, ALG_SET_KEY, key.data(), static_cast<socklen_t>(key.size())); !r) {
    int err = r.error().err;
    auto what = fmt::format("{} of {} bytes for '{}'", type_ == "rng" ? "seed" : "key", key.size(), name_);
    if (err == ENOSYS || err == EOPNOTSUPP) return Error::usage(what, "it takes no key");
    if (err != EINVAL) return r.release_error();
    if (info_ && info_->min_keysize)
      return Error::data(what, fmt::format("wrong length: it takes {} bytes", key_sizes_text(*info_)));
    return Error::data(what, "the kernel rejected it");
  }
  return {};
}

Result<void> AlgTfm::set_authsize(size_t bytes) {
  if (auto r = sock_.setsockopt(SOL_ALG, ALG_SET_AEAD_AUTHSIZE, nullptr, static_cast<socklen_t>(bytes)); !r) {
    if (r.error().err != EINVAL) return r.release_error();
    auto what = fmt::format("tag length {} for '{}'", bytes, name_);
    if (info_ && info_->maxauthsize)
      return Error::data(what, fmt::format("not one it takes (at most {} bytes)", *info_->maxauthsize));
    return Error::data(what, "not one it takes");
  }
  return {};
}

Result<Socket> AlgTfm::operation() {
  auto op = TRY(sock_.accept());
  op.set_label(sock_.label());
  return op;
}

Result<Bytes> hash_input(AlgTfm& tfm, Input const& in, uint64_t* bytes) {
  auto op = TRY(tfm.operation());
  auto feeder = TRY(Feeder::make(in));
  uint64_t total = 0;
  while (size_t n = TRY(feeder.feed(op, kChunk))) total += n;
  // The recv finishes the hash (final after MSG_MORE updates, or init+final
  // of nothing for empty input).
  Bytes digest(256);
  size_t n = TRY(op.recv(digest));
  digest.resize(n);
  if (bytes) *bytes = total;
  return digest;
}

Result<uint64_t> skcipher_stream(AlgTfm& tfm, Direction dir, std::span<std::byte const> iv, Input const& in,
                                 Sink const& sink) {
  TRY(check_iv(tfm, iv));
  auto op = TRY(tfm.operation());
  if (!chains_iv(tfm.info() ? tfm.info()->name : tfm.name())) return skcipher_once(tfm, op, dir, iv, in, sink);

  size_t align = stream_align(tfm.info());
  size_t room = TRY(raise_buffers(op, 2 * kStreamChunk + 2 * kPage));
  // A page of the send buffer stays free: the kernel waits for a whole free page.
  size_t chunk = std::min(kStreamChunk, room - kPage);
  chunk -= chunk % align;
  if (chunk == 0) return Error::make(Exit::os, fmt::format("socket buffer of {} bytes", room), "too small for one block");
  auto control = TRY(op_control(dir, iv, std::nullopt));
  TRY(op.sendmsg({{}, control.bytes()}, MSG_MORE));

  auto feeder = TRY(Feeder::make(in));
  Bytes out(chunk);
  uint64_t total = 0;
  size_t pending = 0;
  bool eof = false;
  while (!eof) {
    while (pending < chunk) {
      size_t n = TRY(feeder.feed(op, chunk - pending));
      if (n == 0) {
        eof = true;
        break;
      }
      pending += n;
      total += n;
    }
    // With more to come the kernel runs only whole chunksizes; the rest waits.
    size_t ready = eof ? 0 : pending - pending % align;
    if (eof) {
      // The end: a send without MSG_MORE lets the last partial block through.
      TRY(op.sendmsg({{}, {}}));
      ready = pending;
    }
    if (ready == 0) continue;
    auto r = recv_exact(op, std::span(out).first(ready));
    if (!r) return rejected_input(tfm, total, r.release_error());
    TRY(sink(std::span(out).first(ready)));
    pending -= ready;
  }
  return total;
}

Result<Bytes> aead_run(AlgTfm& tfm, Direction dir, std::span<std::byte const> iv, std::span<std::byte const> aad,
                       std::span<std::byte const> input, size_t tag_len) {
  TRY(check_iv(tfm, iv));
  if (dir == Direction::decrypt && input.size() < tag_len)
    return Error::data(fmt::format("input of {} bytes for '{}'", input.size(), tfm.name()),
                       fmt::format("shorter than the {}-byte tag", tag_len));
  auto op = TRY(tfm.operation());
  Bytes msg(aad.begin(), aad.end());
  msg.insert(msg.end(), input.begin(), input.end());
  size_t room = TRY(raise_buffers(op, msg.size() + tag_len + 2 * kPage));
  if (room < msg.size() + tag_len + kPage)
    return Error::data(fmt::format("input of {} bytes for '{}'", input.size(), tfm.name()),
                       fmt::format("more than one operation can take ({} bytes of socket buffer)", room));
  auto control = TRY(op_control(dir, iv, static_cast<uint32_t>(aad.size())));
  auto sent = op.sendmsg({msg, control.bytes()});
  if (!sent) return rejected_input(tfm, input.size(), sent.release_error());
  // The output repeats the AAD in front of the ciphertext (or plaintext).
  size_t out_len = aad.size() + (dir == Direction::encrypt ? input.size() + tag_len : input.size() - tag_len);
  // Even an empty output takes one recv: the recv is what runs the cipher and
  // checks the tag, and a recv for zero bytes would not run it.
  Bytes out(std::max<size_t>(out_len, 1));
  Result<void> r = out_len ? recv_exact(op, out) : Result<void>();
  if (r && out_len == 0)
    if (auto n = op.recv(out); !n) r = n.release_error();
  if (!r) {
    if (r.error().err == EBADMSG)
      return Error::data(fmt::format("tag of the input for '{}'", tfm.name()),
                         "does not match: the data, the AAD, the key, the IV or the tag length differ");
    return rejected_input(tfm, input.size(), r.release_error());
  }
  out.resize(out_len);
  out.erase(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(aad.size()));
  return out;
}

Result<void> rng_seed(AlgTfm& tfm, std::optional<Bytes> const& seed) {
  if (seed) return tfm.set_key(*seed);
  // Without a seed: seedsize bytes from getrandom(2) (ansi_cprng needs 48),
  // or an empty one, which makes drbg seed itself from the kernel's sources.
  Bytes fresh(tfm.info() ? tfm.info()->seedsize.value_or(0) : 0);
  for (size_t got = 0; got < fresh.size();) {
    ssize_t n = ::getrandom(fresh.data() + got, fresh.size() - got, 0);
    if (n < 0 && errno != EINTR) return Error::sys("getrandom", errno);
    if (n > 0) got += static_cast<size_t>(n);
  }
  return tfm.set_key(fresh);
}

Result<void> rng_read(AlgTfm& tfm, uint64_t n, Sink const& sink) {
  auto op = TRY(tfm.operation());
  Bytes buf(4096);
  while (n > 0) {
    size_t want = std::min<uint64_t>(n, buf.size());
    size_t got = 0;
    while (got < want) {
      size_t step = std::min(kRngMax, want - got);
      size_t r = TRY(op.recv(std::span(buf).subspan(got, step)));
      if (r == 0) return Error::make(Exit::os, fmt::format("recv from '{}'", tfm.name()), "no random bytes");
      got += r;
    }
    TRY(sink(std::span(buf).first(want)));
    n -= want;
  }
  return {};
}

std::string sum_line(std::string_view hex, std::string_view file) {
  bool escape = file.find_first_of("\\\n") != std::string_view::npos;
  std::string line = escape ? "\\" : "";
  line += hex;
  line += "  ";
  for (char c : file) {
    if (c == '\\') line += "\\\\";
    else if (c == '\n') line += "\\n";
    else line += c;
  }
  return line;
}

std::optional<SumLine> parse_sum_line(std::string_view line) {
  bool escaped = line.starts_with('\\');
  if (escaped) line.remove_prefix(1);
  auto sp = line.find(' ');
  if (sp == std::string_view::npos || sp == 0 || sp + 2 > line.size()) return std::nullopt;
  if (line[sp + 1] != ' ' && line[sp + 1] != '*') return std::nullopt;
  SumLine out{std::string(line.substr(0, sp)), {}};
  if (!std::all_of(out.digest.begin(), out.digest.end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); }))
    return std::nullopt;
  auto name = line.substr(sp + 2);
  if (name.empty()) return std::nullopt;
  for (size_t i = 0; i < name.size(); ++i) {
    if (!escaped || name[i] != '\\') {
      out.file += name[i];
      continue;
    }
    if (++i == name.size()) return std::nullopt;
    if (name[i] == 'n') out.file += '\n';
    else if (name[i] == '\\') out.file += '\\';
    else return std::nullopt;
  }
  return out;
}

}  // namespace sockctl
