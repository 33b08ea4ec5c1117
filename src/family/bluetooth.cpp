// bluetooth.cpp: AF_BLUETOOTH endpoints: "l2cap:BDADDR:PSM",
// "rfcomm:BDADDR:CHANNEL", "sco:BDADDR" and "hci:DEV[:raw|user|monitor|control]".
// A BDADDR is written most significant byte first as BlueZ prints it, or 'any'.
// See: include/sockctl/bluetooth.hpp, Bluetooth Core spec vol 3 part A 4.2 (PSM).
#include <endian.h>

#include <fmt/format.h>

#include "family/family.hpp"
#include "sockctl/bluetooth.hpp"

namespace sockctl::family {

namespace {

using namespace sockctl::bt;

std::optional<bdaddr_t> parse_bdaddr(std::string_view s) {
  bdaddr_t b{};
  if (s == "any") return b;
  if (s.size() != 17) return std::nullopt;
  for (int i = 0; i < 6; ++i) {
    if (i > 0 && s[i * 3 - 1] != ':') return std::nullopt;
    auto octet = parse_number(s.substr(i * 3, 2), 0xff, 16);
    if (!octet) return std::nullopt;
    b.b[5 - i] = static_cast<uint8_t>(*octet);
  }
  return b;
}

Result<bdaddr_t> bdaddr(std::string_view s, Endpoint const& ep) {
  if (s.empty()) return bad_endpoint(ep, "missing Bluetooth address (XX:XX:XX:XX:XX:XX or any)");
  if (auto b = parse_bdaddr(s)) return *b;
  return bad_endpoint(ep, fmt::format("'{}' is not a Bluetooth address (XX:XX:XX:XX:XX:XX in hex, or any)", s));
}

std::string bdaddr_text(bdaddr_t const& b) {
  return fmt::format("{:02X}:{:02X}:{:02X}:{:02X}:{:02X}:{:02X}", b.b[5], b.b[4], b.b[3], b.b[2], b.b[1], b.b[0]);
}

// "BDADDR:N" split at the last ':', since the address has colons of its own.
// what names N: "PSM", "channel".
Result<std::pair<bdaddr_t, std::string_view>> bdaddr_and(std::string_view body, std::string_view what,
                                                          Endpoint const& ep) {
  if (parse_bdaddr(body)) return bad_endpoint(ep, fmt::format("missing {} after the address", what));
  auto parts = split_last(body, ':');
  if (!parts) return bad_endpoint(ep, fmt::format("expected BDADDR:{}", what == "PSM" ? "PSM" : "CHANNEL"));
  if (parts->second.empty()) return bad_endpoint(ep, fmt::format("missing {}", what));
  return std::pair{TRY(bdaddr(parts->first, ep)), parts->second};
}

// --- l2cap ---

Result<void> parse_l2cap(std::string_view body, Endpoint& ep, ParseOptions const&) {
  auto [addr, psm_s] = TRY(bdaddr_and(body, "PSM", ep));
  auto psm = parse_number(psm_s, 0xffff);
  if (!psm) return bad_endpoint(ep, fmt::format("PSM '{}' is not a number up to 65535 (decimal or 0x hex)", psm_s));
  // PSM 0 asks bind() for a free dynamic PSM, as port 0 does. Any other must
  // be odd with bit 8 clear (least significant bit of the high octet), or the
  // kernel refuses it for BR/EDR.
  if (*psm != 0 && ((*psm & 1) == 0 || (*psm & 0x100) != 0))
    return bad_endpoint(ep, fmt::format("PSM {0} ({0:#06x}) is not valid: a PSM is odd and has bit 8 (0x0100) clear, "
                                        "e.g. 4097 (0x1001)",
                                        *psm));
  sockaddr_l2 l2{};
  l2.l2_family = AF_BLUETOOTH;
  l2.l2_psm = htole16(static_cast<uint16_t>(*psm));
  l2.l2_bdaddr = addr;
  ep.address = SockAddr::of(l2);
  return {};
}

// The kernel's getsockname also fills the channel id it picked and the address
// type; the grammar has no place for them, so the text leaves them out and the
// JSON fields show them.
std::string format_l2cap(SockAddr const& a, Scheme const& s, int) {
  auto const* l2 = a.as<sockaddr_l2>(AF_BLUETOOTH);
  if (!l2) return format_unprintable(a, s.name);
  return fmt::format("{}:{}:{}", s.name, bdaddr_text(l2->l2_bdaddr), le16toh(l2->l2_psm));
}

void l2cap_fields(SockAddr const& a, Json& j) {
  if (auto const* l2 = a.as<sockaddr_l2>(AF_BLUETOOTH)) {
    j["bdaddr"] = bdaddr_text(l2->l2_bdaddr);
    j["psm"] = le16toh(l2->l2_psm);
    j["cid"] = le16toh(l2->l2_cid);
    j["bdaddr_type"] = l2->l2_bdaddr_type;
  }
}

// --- rfcomm ---

Result<void> parse_rfcomm(std::string_view body, Endpoint& ep, ParseOptions const&) {
  auto [addr, channel_s] = TRY(bdaddr_and(body, "channel", ep));
  // Channel 0 lets listen() pick a free channel, as port 0 does.
  auto channel = parse_number(channel_s, 30, 10);
  if (!channel)
    return bad_endpoint(ep, fmt::format("channel '{}' is not a number from 1 to 30 (or 0: listen picks one)",
                                        channel_s));
  sockaddr_rc rc{};
  rc.rc_family = AF_BLUETOOTH;
  rc.rc_bdaddr = addr;
  rc.rc_channel = static_cast<uint8_t>(*channel);
  ep.address = SockAddr::of(rc);
  return {};
}

std::string format_rfcomm(SockAddr const& a, Scheme const& s, int) {
  auto const* rc = a.as<sockaddr_rc>(AF_BLUETOOTH);
  if (!rc || rc->rc_channel > 30) return format_unprintable(a, s.name);
  return fmt::format("{}:{}:{}", s.name, bdaddr_text(rc->rc_bdaddr), rc->rc_channel);
}

void rfcomm_fields(SockAddr const& a, Json& j) {
  if (auto const* rc = a.as<sockaddr_rc>(AF_BLUETOOTH)) {
    j["bdaddr"] = bdaddr_text(rc->rc_bdaddr);
    j["channel"] = rc->rc_channel;
  }
}

// --- sco ---

Result<void> parse_sco(std::string_view body, Endpoint& ep, ParseOptions const&) {
  sockaddr_sco sco{};
  sco.sco_family = AF_BLUETOOTH;
  sco.sco_bdaddr = TRY(bdaddr(body, ep));
  ep.address = SockAddr::of(sco);
  return {};
}

std::string format_sco(SockAddr const& a, Scheme const& s, int) {
  auto const* sco = a.as<sockaddr_sco>(AF_BLUETOOTH);
  if (!sco) return format_unprintable(a, s.name);
  return fmt::format("{}:{}", s.name, bdaddr_text(sco->sco_bdaddr));
}

void sco_fields(SockAddr const& a, Json& j) {
  if (auto const* sco = a.as<sockaddr_sco>(AF_BLUETOOTH)) j["bdaddr"] = bdaddr_text(sco->sco_bdaddr);
}

// --- hci ---

constexpr std::pair<uint16_t, std::string_view> kChannels[] = {
    {kChannelRaw, "raw"},
    {kChannelUser, "user"},
    {kChannelMonitor, "monitor"},
    {kChannelControl, "control"},
    {kChannelLogging, "logging"},
};

std::optional<std::string_view> channel_name(uint16_t channel) {
  for (auto const& [value, name] : kChannels)
    if (value == channel) return name;
  return std::nullopt;
}

// The monitor, control and logging channels see every controller: the kernel
// takes them only with HCI_DEV_NONE.
bool channel_is_global(uint16_t channel) { return channel >= kChannelMonitor; }

Result<void> parse_hci(std::string_view body, Endpoint& ep, ParseOptions const&) {
  std::string_view dev_s = body, channel_s = "raw";
  if (auto parts = split_first(body, ':')) std::tie(dev_s, channel_s) = *parts;
  std::optional<uint16_t> channel;
  for (auto const& [value, name] : kChannels)
    if (channel_s == name) channel = value;
  if (!channel)
    return bad_endpoint(ep, fmt::format("HCI channel '{}' is not raw, user, monitor, control or logging", channel_s));
  if (dev_s.empty()) return bad_endpoint(ep, "missing HCI device (a number, or none)");
  auto dev = dev_s == "none" ? std::optional<uint64_t>(kDevNone) : parse_number(dev_s, kDevNone, 10);
  if (!dev) return bad_endpoint(ep, fmt::format("HCI device '{}' is not a number up to 65535 or none", dev_s));
  if (*channel == kChannelUser && *dev == kDevNone) return bad_endpoint(ep, "the user channel needs a device");
  sockaddr_hci hci{};
  hci.hci_family = AF_BLUETOOTH;
  // "hci:0:monitor" (the spec's example) means the monitor; since the channel
  // takes no device, the device is replaced by none and printed so.
  hci.hci_dev = channel_is_global(*channel) ? kDevNone : static_cast<uint16_t>(*dev);
  hci.hci_channel = *channel;
  ep.address = SockAddr::of(hci);
  return {};
}

std::string format_hci(SockAddr const& a, Scheme const& s, int) {
  auto const* hci = a.as<sockaddr_hci>(AF_BLUETOOTH);
  auto channel = hci ? channel_name(hci->hci_channel) : std::nullopt;
  if (!channel || (channel_is_global(hci->hci_channel) && hci->hci_dev != kDevNone) ||
      (hci->hci_channel == kChannelUser && hci->hci_dev == kDevNone))
    return format_unprintable(a, s.name);
  std::string dev = hci->hci_dev == kDevNone ? "none" : std::to_string(hci->hci_dev);
  if (hci->hci_channel == kChannelRaw) return fmt::format("{}:{}", s.name, dev);
  return fmt::format("{}:{}:{}", s.name, dev, *channel);
}

void hci_fields(SockAddr const& a, Json& j) {
  if (auto const* hci = a.as<sockaddr_hci>(AF_BLUETOOTH)) {
    j["dev"] = hci->hci_dev;
    if (auto name = channel_name(hci->hci_channel))
      j["channel"] = *name;
    else
      j["channel"] = hci->hci_channel;
  }
}

}  // namespace

FamilyCodec const kL2cap{parse_l2cap, format_l2cap, l2cap_fields, nullptr};
FamilyCodec const kRfcomm{parse_rfcomm, format_rfcomm, rfcomm_fields, nullptr};
FamilyCodec const kSco{parse_sco, format_sco, sco_fields, nullptr};
FamilyCodec const kHci{parse_hci, format_hci, hci_fields, nullptr};

}  // namespace sockctl::family
