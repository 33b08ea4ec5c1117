// netlink_text.cpp: a netlink message in words and in JSON, through the one
// netlink decoder sniff uses: the message is given the 16-byte cooked header
// of LINKTYPE_NETLINK (ARPHRD_NETLINK and the protocol) and decoded as a
// captured record would be.
// See: src/decode/netlink.cpp, https://www.tcpdump.org/linktypes/LINKTYPE_NETLINK.html
#include <linux/if_arp.h>

#include <vector>

#include "sockctl/decode.hpp"
#include "sockctl/netlink.hpp"

namespace sockctl::netlink {

namespace {

void decode(Message const& m, int protocol, std::vector<std::uint8_t>& record, Packet& p) {
  record.assign(16, 0);
  record[2] = ARPHRD_NETLINK >> 8;
  record[3] = ARPHRD_NETLINK & 0xff;
  record[14] = static_cast<std::uint8_t>(protocol >> 8);
  record[15] = static_cast<std::uint8_t>(protocol);
  auto const* bytes = reinterpret_cast<std::uint8_t const*>(m.bytes.data());
  record.insert(record.end(), bytes, bytes + m.bytes.size());
  decode_packet(Link::netlink, record, static_cast<std::uint32_t>(record.size()), p);
}

}  // namespace

std::string summary(Message const& m, int protocol) {
  std::vector<std::uint8_t> record;
  Packet p;
  decode(m, protocol, record, p);
  std::string out;
  append_summary(out, p, {}, nullptr);
  return out;
}

std::string json_members(Message const& m, int protocol) {
  std::vector<std::uint8_t> record;
  Packet p;
  decode(m, protocol, record, p);
  std::string out;
  append_layers_json(out, p);
  // append_layers_json opens each member with a comma for an object already begun.
  if (!out.empty() && out.front() == ',') out.erase(0, 1);
  return out;
}

}  // namespace sockctl::netlink
