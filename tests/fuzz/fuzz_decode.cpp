// fuzz_decode.cpp: every packet decoder of `sniff` on hostile records.
// Byte 0 picks the link type (Ethernet, raw IP, cooked v1/v2, CAN, netlink,
// Bluetooth monitor, TIPC events); the rest is one captured record, copied to
// a buffer of exactly its size so ASan sees any read past its end. The line
// and the JSON are rendered for every record; the JSON must parse, a damaged
// record must say what is damaged, and offsets must stay inside the record.
// See: tests/fuzz/README.md, src/decode/decode_test.cpp for the same properties as tables.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>

#include "sockctl/decode.hpp"
#include "sockctl/json.hpp"

using namespace sockctl;

namespace {

[[noreturn]] void fail(std::string_view what, std::string_view detail) {
  std::fprintf(stderr, "fuzz_decode: %.*s\n  %.*s\n", int(what.size()), what.data(), int(detail.size()),
               detail.data());
  std::abort();
}

constexpr Link kLinks[] = {Link::ethernet,   Link::raw,     Link::ipv4,       Link::ipv6,
                           Link::linux_sll,  Link::linux_sll2, Link::can,     Link::netlink,
                           Link::bt_monitor, Link::tipc};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
  if (size < 1) return 0;
  Link link = kLinks[data[0] % std::size(kLinks)];
  std::size_t n = size - 1;
  auto record = std::make_unique<std::uint8_t[]>(n ? n : 1);
  std::copy(data + 1, data + size, record.get());
  Bytes bytes(record.get(), n);

  // The wire length is at least what was captured; sometimes more (a snapshot).
  std::uint32_t wire = static_cast<std::uint32_t>(n) + (data[0] >> 4) * 100;
  static Packet packet;
  decode_packet(link, bytes, wire, packet);
  if (packet.network_offset > n || packet.payload_offset > n)
    fail("an offset points past the record", std::to_string(packet.payload_offset));
  if (packet.damage && packet.damage.message().empty()) fail("damage without a message", packet.damage.layer);

  static TcpSeqTracker seqs;
  LineOptions opt;
  opt.link_header = data[0] & 0x80;
  std::string line;
  append_summary(line, packet, opt, &seqs);
  if (line.find('\n') != std::string::npos) fail("a summary spans lines", line);

  std::string json = "{\"event\":\"packet\"";
  append_layers_json(json, packet);
  json += '}';
  if (!Json::accept(json)) fail("the layers are not valid JSON", json);

  std::string hex;
  append_hex_dump(hex, bytes.subspan(packet.network_offset));

  for (auto order : {CanIdOrder::host, CanIdOrder::network}) {
    auto frame = decode_can_frame(bytes, order);
    if (!frame) {
      if (frame.error().exit != Exit::data) fail("a CAN frame refused without exit 65", frame.error().why);
      continue;
    }
    if (!frame->data.empty() &&
        (frame->data.data() < bytes.data() || frame->data.data() + frame->data.size() > bytes.data() + n))
      fail("CAN data outside the frame", "");
    std::string out;
    append_can_candump(out, *frame);
    append_can_compact(out, *frame);
    std::string can_json;
    append_can_json(can_json, *frame);
    if (!Json::accept(can_json)) fail("a CAN frame's JSON is not valid", can_json);
  }
  return 0;
}
