// decode.hpp: bounds-checked decoders for captured packets and frames, and the
// renderers that print their typed results as a tcpdump-style line or as JSON.
//
// Every byte is hostile: decoders read only through checked accessors, stop at
// the first truncated or malformed layer and report it as Damage. Decoding
// fills a Packet (fixed-size structs, no allocation); the human line and the
// JSON layers are both rendered from it, and only the form in use is built.
// See: tcpdump(8), pcap-linktype(7), https://www.tcpdump.org/linktypes.html
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <variant>

#include <pcap/dlt.h>

#include "sockctl/error.hpp"

namespace sockctl {

using Bytes = std::span<std::uint8_t const>;
using MacAddr = std::array<std::uint8_t, 6>;
/// An IPv4 address in the first 4 bytes, or an IPv6 address.
using IpAddr = std::array<std::uint8_t, 16>;

/// How a record's bytes are laid out: libpcap's DLT_ numbers, so pcap files
/// and pcap_open_dead() take them as they are.
enum class Link : int {
  ethernet = DLT_EN10MB,
  raw = DLT_RAW,  // IPv4 or IPv6, by the version nibble
  ipv4 = DLT_IPV4,
  ipv6 = DLT_IPV6,
  linux_sll = DLT_LINUX_SLL,
  linux_sll2 = DLT_LINUX_SLL2,
  can = DLT_CAN_SOCKETCAN,  // big-endian can_id, as in pcap files
  netlink = DLT_NETLINK,    // a 16-byte cooked header, then netlink messages
  bt_monitor = DLT_BLUETOOTH_LINUX_MONITOR,
  tipc = -1,  // struct tipc_event from the topology service: no pcap link type
};

/// libpcap's name for a link type ("EN10MB"), or "DLT_<n>".
std::string link_name(Link link);

// --- the layers -------------------------------------------------------------
// Field names follow scapy's, the Python words for packet fields.

struct EthernetHeader {
  MacAddr dst{}, src{};
  std::uint16_t type = 0;  // ethertype, or the 802.3 length when below 0x600
};

struct VlanTag {
  std::uint16_t tpid = 0;  // 0x8100, 0x88a8, ...
  std::uint8_t prio = 0;
  bool dei = false;
  std::uint16_t vlan = 0;
  std::uint16_t type = 0;  // the ethertype that follows
};

/// Linux cooked capture header, v1 (16 bytes) or v2 (20 bytes, with ifindex).
struct CookedHeader {
  std::uint8_t version = 1;
  std::uint8_t pkttype = 0;  // PACKET_HOST, PACKET_OUTGOING, ...
  std::uint16_t hatype = 0;  // ARPHRD_*
  std::uint16_t proto = 0;   // ethertype (or ETH_P_* below 0x600)
  std::uint8_t halen = 0;
  std::array<std::uint8_t, 8> addr{};
  std::uint32_t ifindex = 0;  // v2 only
};

struct ArpPacket {
  std::uint16_t hwtype = 0, ptype = 0, op = 0;
  std::uint8_t hwlen = 0, plen = 0;
  bool ether_ipv4 = false;  // the addresses below are filled only then
  MacAddr hwsrc{}, hwdst{};
  std::array<std::uint8_t, 4> psrc{}, pdst{};
  std::uint32_t len = 0;  // bytes on the wire after the link header
};

struct Ipv4Header {
  std::uint8_t ihl = 0;  // header length in bytes
  std::uint8_t tos = 0, ttl = 0, proto = 0;
  std::uint16_t len = 0, id = 0, chksum = 0;
  std::uint16_t frag = 0;  // fragment offset in bytes
  bool df = false, mf = false, evil = false;
  IpAddr src{}, dst{};
};

struct Ipv6Extension {
  std::uint8_t nh = 0;    // which header this is (0 hop-by-hop, 43 routing, 44 fragment, 60 dstopts, 51 ah)
  std::uint16_t len = 0;  // its length in bytes
  std::uint16_t frag = 0;  // fragment: offset in bytes
  bool more = false;       // fragment: M flag
  std::uint32_t id = 0;    // fragment: identification
  std::uint8_t routing_type = 0, segleft = 0;
};

struct Ipv6Header {
  std::uint8_t tc = 0, nh = 0, hlim = 0;
  std::uint32_t fl = 0;
  std::uint16_t plen = 0;
  IpAddr src{}, dst{};
  static constexpr std::size_t kMaxExtensions = 8;
  std::array<Ipv6Extension, kMaxExtensions> ext{};
  std::uint8_t ext_count = 0;
  std::uint8_t proto = 0;  // the upper-layer protocol after the extension chain
  bool later_fragment = false;  // a fragment with offset > 0: no upper-layer header here
};

struct TcpHeader {
  std::uint16_t sport = 0, dport = 0;
  std::uint32_t seq = 0, ack = 0;
  std::uint8_t dataofs = 0;  // header length in bytes
  std::uint16_t flags = 0;   // FIN 0x01 ... CWR 0x80, AE 0x100
  std::uint16_t window = 0, chksum = 0, urgptr = 0;
  Bytes options;          // within the packet's bytes; walked by the renderers
  std::uint32_t len = 0;  // payload bytes, from the IP length
};

struct UdpHeader {
  std::uint16_t sport = 0, dport = 0, len = 0, chksum = 0;
  std::uint32_t ip_len = 0;  // what the IP header says the datagram is
};

/// The header an ICMP error quotes: enough to print "udp port 9 unreachable".
struct QuotedPacket {
  bool present = false;
  std::uint8_t version = 0, proto = 0;
  IpAddr src{}, dst{};
  bool has_ports = false;
  std::uint16_t sport = 0, dport = 0;
};

struct IcmpMessage {
  bool v6 = false;
  std::uint8_t type = 0, code = 0;
  std::uint16_t chksum = 0, id = 0, seq = 0;
  std::uint32_t rest = 0;  // bytes 4..7: gateway, MTU, pointer
  IpAddr target{};         // ICMPv6 neighbour discovery target
  bool has_target = false;
  QuotedPacket quoted;
  std::uint32_t len = 0;   // message length on the wire
};

struct CanFrame {
  enum class Kind : std::uint8_t { classic, fd, xl };
  Kind kind = Kind::classic;
  std::uint32_t can_id = 0;  // without the flag bits; the priority for CAN XL
  bool extended = false, remote = false, error = false;
  std::uint8_t flags = 0;     // FD: CANFD_BRS/ESI; XL: CANXL_SEC/RRS
  std::uint8_t len8_dlc = 0;  // classic: DLC 9..15 of an 8-byte frame
  std::uint8_t sdt = 0, vcid = 0;  // XL
  std::uint32_t af = 0;            // XL acceptance field
  std::uint16_t len = 0;           // data length
  Bytes data;                      // within the record; shorter than len only when truncated
};

/// One record of the Bluetooth monitor channel (btmon's input).
struct HciRecord {
  std::uint16_t index = 0;   // controller: hci<index>, 0xffff for none
  std::uint16_t opcode = 0;  // HCI_MON_*: 0 new index, 2 command, 3 event, 4/5 ACL, ...
  std::uint16_t command = 0;  // command opcode (command, and events that answer one)
  std::uint8_t event = 0;     // event code
  std::uint8_t plen = 0;      // parameter length
  bool has_status = false;
  std::uint8_t status = 0;
  std::uint16_t handle = 0;  // ACL/SCO/ISO connection handle
  std::uint8_t pb_flags = 0;
  std::uint16_t dlen = 0;
  bool has_l2cap = false;
  std::uint16_t l2cap_len = 0, l2cap_cid = 0;
  std::uint8_t bus = 0, type = 0;  // new index
  MacAddr bdaddr{};                // new index, index info (as on air: little-endian)
  std::array<char, 9> name{};      // new index, NUL-terminated
  std::uint16_t manufacturer = 0;  // index info
  std::uint8_t priority = 0;       // user logging
  std::string_view ident, text;    // user logging, system note: within the record
  std::uint32_t len = 0;           // payload bytes after the monitor header
};

/// One netlink message; rtnetlink bodies (links, addresses, routes,
/// neighbours) are decoded into the fields below.
struct NetlinkMessage {
  enum class Body : std::uint8_t { none, link, addr, route, neigh, error, done };
  std::uint16_t protocol = 0;  // NETLINK_ROUTE, ... (from the cooked header)
  std::uint32_t len = 0;
  std::uint16_t type = 0, flags = 0;
  std::uint32_t seq = 0, pid = 0;
  std::uint32_t messages = 1;  // messages in this record (the first is decoded)
  Body body = Body::none;
  std::uint8_t family = 0;     // AF_* of the address, route or neighbour
  std::uint32_t ifindex = 0;   // link, address, neighbour; route: output interface
  std::uint32_t ifflags = 0;   // IFF_* (link), IFA_F_* (address)
  std::uint16_t hatype = 0;    // link: ARPHRD_*
  std::array<char, 16> ifname{};  // link: IFLA_IFNAME; address: IFA_LABEL
  std::uint32_t mtu = 0;
  std::uint8_t operstate = 0xff;
  std::array<std::uint8_t, 32> lladdr{};
  std::uint8_t lladdr_len = 0;
  std::uint8_t prefixlen = 0, scope = 0;  // address: prefix; route: dst_len
  bool has_address = false, has_local = false, has_gateway = false;
  IpAddr address{}, local{}, gateway{};   // route: address = RTA_DST; neighbour: NDA_DST
  std::uint8_t table = 0, route_protocol = 0, route_type = 0;
  std::uint32_t priority = 0;
  std::uint16_t state = 0;  // neighbour: NUD_*
  std::int32_t error = 0;   // NLMSG_ERROR: -errno
};

/// An event of the TIPC topology service: a name published or withdrawn.
struct TipcEvent {
  std::uint32_t event = 0;  // TIPC_PUBLISHED 1, TIPC_WITHDRAWN 2, TIPC_SUBSCR_TIMEOUT 3
  std::uint32_t type = 0, lower = 0, upper = 0;  // the name range found
  std::uint32_t ref = 0, node = 0;               // the socket that published it
};

using Layer = std::variant<EthernetHeader, VlanTag, CookedHeader, ArpPacket, Ipv4Header, Ipv6Header,
                           TcpHeader, UdpHeader, IcmpMessage, CanFrame, HciRecord, NetlinkMessage,
                           TipcEvent>;

/// What stopped a decoder: the layer, what was wrong, and the numbers.
struct Damage {
  std::string_view layer;  // "ip", "tcp", ...; empty when the packet is whole
  std::string_view what;   // "truncated", "bad header length", "extension header loop"
  std::uint32_t got = 0, want = 0;  // truncated: bytes present and needed; otherwise the value
  explicit operator bool() const { return !layer.empty(); }
  /// "tcp truncated: 12 of 20 bytes", "ip bad header length 12", ...
  std::string message() const;
};

/// A decoded record. The layers point into data, which must outlive it.
struct Packet {
  static constexpr std::size_t kMaxLayers = 10;
  Link link = Link::ethernet;
  Bytes data;              // the captured bytes
  std::uint32_t len = 0;   // length on the wire
  std::array<Layer, kMaxLayers> layers;
  std::uint8_t count = 0;
  std::uint32_t network_offset = 0;  // where the link-level headers end (tcpdump -x starts there)
  std::uint32_t payload_offset = 0;  // the first byte no decoder consumed
  Damage damage;

  template <class T>
  T const* find() const {
    for (std::size_t i = 0; i < count; ++i)
      if (auto const* l = std::get_if<T>(&layers[i])) return l;
    return nullptr;
  }
};

/// Decodes one record of the given link type into p (replacing what it held).
/// Never reads outside data; what cannot be decoded ends in p.damage.
void decode_packet(Link link, Bytes data, std::uint32_t wire_len, Packet& p);

/// The interface index a record names (cooked v2), or 0.
std::uint32_t packet_ifindex(Packet const& p);

// --- rendering ---------------------------------------------------------------

/// tcpdump's relative TCP sequence numbers: the first seq/ack seen on a
/// connection (in a packet with ACK set) becomes its zero. Bounded in size.
class TcpSeqTracker {
 public:
  struct Relative {
    std::uint32_t seq = 0, ack = 0;
    std::uint32_t sack_base = 0;  // what SACK block edges are relative to
  };
  /// seq and ack relative to the connection's base (as given the first time),
  /// updating the table the way tcpdump does. Call only for packets with ACK.
  Relative relative(TcpHeader const& t, IpAddr const& src, IpAddr const& dst);

 private:
  static constexpr std::size_t kMaxConnections = 65536;
  struct Key {
    IpAddr a{}, b{};
    std::uint32_t ports = 0;
    bool operator==(Key const&) const = default;
  };
  struct KeyHash {
    std::size_t operator()(Key const& k) const noexcept;
  };
  struct Base {
    std::uint32_t seq = 0, ack = 0;
  };
  std::unordered_map<Key, Base, KeyHash> table_;
};

struct LineOptions {
  bool link_header = false;   // -e: MAC addresses, ethertype and VLAN tags
  bool absolute_seq = false;  // -S: no relative sequence numbers
  /// Interface names for cooked v2 records ("lo    In  IP ..."); the index as
  /// text when unset or unknown.
  std::function<std::string_view(std::uint32_t)> interface_name;
};

/// Appends the one-line summary, tcpdump's words, without the time stamp.
void append_summary(std::string& out, Packet const& p, LineOptions const& opt, TcpSeqTracker* seqs);
/// Appends the layers as JSON members: ,"eth":{...},"ip":{...}...,"damage":{...}
/// (each preceded by a comma; the caller has opened the object).
void append_layers_json(std::string& out, Packet const& p);
/// tcpdump -x: 16 bytes per line, "\t0x0000:  4500 0054 ...".
void append_hex_dump(std::string& out, Bytes data);
/// Lower-case hex, no separators.
void append_hex(std::string& out, Bytes data);
/// "HH:MM:SS.uuuuuu" in local time, as tcpdump prints it.
void append_time_of_day(std::string& out, std::int64_t sec, std::uint32_t nsec);
/// Seconds since the epoch with nanoseconds, as a JSON number: 1700000000.123456789.
void append_epoch(std::string& out, std::int64_t sec, std::uint32_t nsec);

// --- CAN, for sniff and the can command ---------------------------------------

/// How the can_id field is stored: host order from a CAN socket, network
/// order in pcap files (LINKTYPE_CAN_SOCKETCAN).
enum class CanIdOrder { host, network };

/// A classic, FD or XL frame. A short header, a length the frame kind does
/// not allow or data past the end exit 65 (Exit::data).
Result<CanFrame> decode_can_frame(Bytes frame, CanIdOrder order);
/// candump's columns: "123   [4]  DE AD BE EF", "12345678   [0]  remote request".
/// indent_sff pads 11-bit ids to the 29-bit column, as candump does once it
/// has seen an extended frame.
void append_can_candump(std::string& out, CanFrame const& f, bool indent_sff = false);
/// can-utils' compact form, as in its log files: "123#DEADBEEF", "123##1AABB",
/// "123#R", "123#1122334455667788_9" (len8_dlc).
void append_can_compact(std::string& out, CanFrame const& f);
/// The JSON members of a frame, without braces, the same in `sniff` and
/// `can dump`: "id":291,"extended":false,"rtr":false,"fd":false,"brs":false,
/// "esi":false,"error":false,"len":4,"data":"deadbeef" (CAN XL adds "xl",
/// "vcid", "sdt", "af", "sec"; a classic DLC above 8, "len8_dlc").
void append_can_json_fields(std::string& out, CanFrame const& f);
/// The same members as a JSON object.
void append_can_json(std::string& out, CanFrame const& f);

}  // namespace sockctl
