// can_gen.cpp: the frames `can gen` sends, in cangen's modes (random,
// incrementing or fixed id, length and data). The random source is a
// xorshift generator: fast enough for a -g 0 flood and repeatable by --seed.
// See: can-utils cangen.c, sockctl-can(1).
#include <cstring>

#include <fmt/format.h>

#include "sockctl/can.hpp"

namespace sockctl {

namespace {

Error bad_mode(std::string_view what, std::string_view text, std::string why) {
  return Error::usage(fmt::format("{} mode '{}'", what, text), std::move(why));
}

}  // namespace

Result<CanGenerator> CanGenerator::make(CanGenOptions const& opts) {
  CanGenerator g;
  g.opts_ = opts;
  g.rng_ = opts.seed ? opts.seed : 0x9E3779B97F4A7C15ULL;
  g.frame_.fd = opts.fd;
  auto mode = [](std::string const& m) {
    return m == "r" ? Mode::random : m == "i" ? Mode::increment : Mode::fixed;
  };
  g.id_mode_ = mode(opts.id);
  g.len_mode_ = mode(opts.len);
  g.data_mode_ = mode(opts.data);
  if (opts.rtr && opts.fd) return Error::usage("gen", "CAN FD has no remote requests");
  if (opts.brs && !opts.fd) return Error::usage("gen", "bit rate switch needs CAN FD (--fd)");
  if (g.id_mode_ == Mode::fixed) {
    // The id is checked as the frame syntax checks it: "123" or "12345678".
    auto f = parse_can_frame(opts.id + "#");
    if (!f) return bad_mode("id", opts.id, "expected r, i or a hex id (3 digits, or 8 for 29 bits)");
    g.fixed_id_ = f->k.can_id;
    if (f->k.can_id & CAN_ERR_FLAG) return bad_mode("id", opts.id, "error frames are not generated");
  }
  size_t max = opts.fd ? CANFD_MAX_DLEN : CAN_MAX_DLEN;
  if (g.len_mode_ == Mode::fixed) {
    char* end = nullptr;
    unsigned long n = std::strtoul(opts.len.c_str(), &end, 10);
    if (opts.len.empty() || *end || n > max || (opts.fd && !can_fd_length_valid(n)))
      return bad_mode("length", opts.len, opts.fd ? "expected r, i or 0-8, 12, 16, 20, 24, 32, 48, 64" : "expected r, i or 0-8");
    g.fixed_len_ = n;
  }
  if (g.data_mode_ == Mode::fixed) {
    // The data is checked as the frame syntax checks it: "DEADBEEF", "11.22".
    auto f = parse_can_frame((opts.fd ? "000##0" : "000#") + opts.data);
    if (!f || f->k.len == 0)
      return bad_mode("data", opts.data, fmt::format("expected r, i or 1 to {} hex bytes", max));
    auto const* data = reinterpret_cast<std::byte const*>(f->k.data);
    g.fixed_data_.assign(data, data + f->k.len);
  }
  return g;
}

uint64_t CanGenerator::random() {
  rng_ ^= rng_ << 13;
  rng_ ^= rng_ >> 7;
  rng_ ^= rng_ << 17;
  return rng_;
}

CanFrameBytes const& CanGenerator::next() {
  canfd_frame& k = frame_.k;
  uint32_t id_mask = opts_.extended ? CAN_EFF_MASK : CAN_SFF_MASK;
  switch (id_mode_) {
    case Mode::random: k.can_id = static_cast<uint32_t>(random()) & id_mask; break;
    case Mode::increment: k.can_id = static_cast<uint32_t>(counter_) & id_mask; break;
    case Mode::fixed: k.can_id = fixed_id_ & CAN_EFF_MASK; break;
  }
  bool extended = id_mode_ == Mode::fixed ? (fixed_id_ & CAN_EFF_FLAG) != 0 : opts_.extended;
  if (extended) k.can_id |= CAN_EFF_FLAG;
  if (opts_.rtr) k.can_id |= CAN_RTR_FLAG;
  size_t max_dlc = opts_.fd ? 15 : 8;
  switch (len_mode_) {
    case Mode::random: k.len = static_cast<uint8_t>(opts_.fd ? can_fd_dlc_to_len(random() % 16) : random() % 9); break;
    case Mode::increment:
      k.len = static_cast<uint8_t>(opts_.fd ? can_fd_dlc_to_len(counter_ % (max_dlc + 1)) : counter_ % (max_dlc + 1));
      break;
    case Mode::fixed: k.len = static_cast<uint8_t>(fixed_len_); break;
  }
  if (data_mode_ == Mode::fixed && len_mode_ != Mode::fixed) k.len = static_cast<uint8_t>(fixed_data_.size());
  std::memset(k.data, 0, sizeof k.data);
  if (!opts_.rtr) {
    switch (data_mode_) {
      case Mode::random:
        for (size_t i = 0; i < k.len; i += 8) {
          uint64_t r = random();
          std::memcpy(k.data + i, &r, std::min<size_t>(8, k.len - i));
        }
        break;
      case Mode::increment:
        // A little-endian counter, as cangen's -D i.
        for (size_t i = 0; i < k.len && i < 8; ++i) k.data[i] = static_cast<uint8_t>(counter_ >> (8 * i));
        break;
      case Mode::fixed: std::memcpy(k.data, fixed_data_.data(), std::min<size_t>(k.len, fixed_data_.size())); break;
    }
  }
  k.flags = opts_.fd ? static_cast<uint8_t>(CANFD_FDF | (opts_.brs ? CANFD_BRS : 0)) : 0;
  ++counter_;
  return frame_;
}

}  // namespace sockctl
