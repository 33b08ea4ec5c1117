// bytes.hpp: the checked reads every decoder uses, and the cheap appenders
// every renderer uses. Internal to src/decode/.
//
// A Reader never reads past its span: an out-of-range read returns 0, so a
// decoder that forgot a length check prints garbage instead of crashing. The
// decoders still check lengths first, to report the damage.
#pragma once

#include <charconv>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "sockctl/decode.hpp"

namespace sockctl::decode {

class Reader {
 public:
  explicit Reader(Bytes b) : b_(b) {}
  std::size_t size() const { return b_.size(); }
  bool has(std::size_t off, std::size_t n) const { return off <= b_.size() && n <= b_.size() - off; }
  std::uint8_t u8(std::size_t off) const { return off < b_.size() ? b_[off] : 0; }
  std::uint16_t be16(std::size_t off) const {
    return has(off, 2) ? static_cast<std::uint16_t>(b_[off] << 8 | b_[off + 1]) : 0;
  }
  std::uint32_t be32(std::size_t off) const {
    return has(off, 4) ? static_cast<std::uint32_t>(b_[off]) << 24 | static_cast<std::uint32_t>(b_[off + 1]) << 16 |
                             static_cast<std::uint32_t>(b_[off + 2]) << 8 | b_[off + 3]
                       : 0;
  }
  std::uint16_t le16(std::size_t off) const {
    return has(off, 2) ? static_cast<std::uint16_t>(b_[off] | b_[off + 1] << 8) : 0;
  }
  std::uint32_t le32(std::size_t off) const {
    return has(off, 4) ? static_cast<std::uint32_t>(b_[off]) | static_cast<std::uint32_t>(b_[off + 1]) << 8 |
                             static_cast<std::uint32_t>(b_[off + 2]) << 16 |
                             static_cast<std::uint32_t>(b_[off + 3]) << 24
                       : 0;
  }
  /// Host byte order (netlink, TIPC events): the bytes as the kernel wrote them.
  std::uint16_t h16(std::size_t off) const {
    std::uint16_t v = 0;
    if (has(off, 2)) std::memcpy(&v, b_.data() + off, 2);
    return v;
  }
  std::uint32_t h32(std::size_t off) const {
    std::uint32_t v = 0;
    if (has(off, 4)) std::memcpy(&v, b_.data() + off, 4);
    return v;
  }
  /// Copies n bytes into dst (zeros where the span ends).
  void copy(std::size_t off, std::uint8_t* dst, std::size_t n) const {
    for (std::size_t i = 0; i < n; ++i) dst[i] = u8(off + i);
  }
  /// The bytes from off, at most n (empty when off is past the end).
  Bytes sub(std::size_t off, std::size_t n = SIZE_MAX) const {
    if (off >= b_.size()) return {};
    return b_.subspan(off, n < b_.size() - off ? n : b_.size() - off);
  }

 private:
  Bytes b_;
};

// --- appenders -----------------------------------------------------------------

inline void append_uint(std::string& out, std::uint64_t v) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, r.ptr);
}
inline void append_int(std::string& out, std::int64_t v) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, r.ptr);
}
/// Lower-case hex with at least `digits` digits, no prefix.
void append_hex_number(std::string& out, std::uint64_t v, int digits = 1, bool upper = false);
void append_mac(std::string& out, std::uint8_t const* mac, std::size_t len = 6);
void append_ipv4(std::string& out, std::uint8_t const* a);
void append_ipv6(std::string& out, std::uint8_t const* a);
/// IPv4 or IPv6 by version.
inline void append_ip(std::string& out, IpAddr const& a, bool v6) {
  v6 ? append_ipv6(out, a.data()) : append_ipv4(out, a.data());
}
/// A fixed-size, maybe unterminated C string, up to its first NUL.
std::string_view c_string(char const* s, std::size_t max);
/// Appends text from a packet to a one-line summary: control bytes become
/// '.', so a hostile name cannot break the line or move the cursor.
void append_printable(std::string& out, std::string_view s);

// --- JSON members: `,"key":value`, keys are literals that need no escaping ----

/// Writes one JSON object member by member; the first member has no comma.
class JsonObject {
 public:
  /// Opens `,"key":{` (or `{` when key is empty) in out.
  JsonObject(std::string& out, std::string_view key);
  ~JsonObject() { out_ += '}'; }
  JsonObject(JsonObject const&) = delete;
  JsonObject& operator=(JsonObject const&) = delete;

  JsonObject& num(std::string_view key, std::uint64_t v) {
    this->key(key);
    append_uint(out_, v);
    return *this;
  }
  JsonObject& snum(std::string_view key, std::int64_t v) {
    this->key(key);
    append_int(out_, v);
    return *this;
  }
  JsonObject& boolean(std::string_view key, bool v) {
    this->key(key);
    out_ += v ? "true" : "false";
    return *this;
  }
  /// A string value that is escaped.
  JsonObject& str(std::string_view key, std::string_view v);
  /// A string value known to need no escaping (addresses, names from tables).
  JsonObject& plain(std::string_view key, std::string_view v) {
    this->key(key);
    out_ += '"';
    out_ += v;
    out_ += '"';
    return *this;
  }
  JsonObject& ipv4(std::string_view key, std::uint8_t const* a) {
    this->key(key);
    out_ += '"';
    append_ipv4(out_, a);
    out_ += '"';
    return *this;
  }
  JsonObject& ip(std::string_view key, IpAddr const& a, bool v6) {
    this->key(key);
    out_ += '"';
    append_ip(out_, a, v6);
    out_ += '"';
    return *this;
  }
  JsonObject& mac(std::string_view key, std::uint8_t const* m, std::size_t len = 6) {
    this->key(key);
    out_ += '"';
    append_mac(out_, m, len);
    out_ += '"';
    return *this;
  }
  JsonObject& hex(std::string_view key, Bytes b) {
    this->key(key);
    out_ += '"';
    append_hex(out_, b);
    out_ += '"';
    return *this;
  }
  /// Starts a member whose value the caller writes into out().
  JsonObject& key(std::string_view key) {
    if (!first_) out_ += ',';
    first_ = false;
    out_ += '"';
    out_ += key;
    out_ += "\":";
    return *this;
  }
  std::string& out() { return out_; }

 private:
  std::string& out_;
  bool first_ = true;
};

}  // namespace sockctl::decode
