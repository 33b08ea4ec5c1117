// names.cpp: families and socket types by name, and the constant table behind
// `inet const` and -O. Values come from the glibc and linux-libc-dev headers
// themselves (the macros below stringify the C name), so a constant that
// exists on this system cannot drift; families this kernel lacks (CAN, TIPC,
// ALG, SCTP) are in the table all the same. The few numbers written out by
// hand are ones the headers do not export (noted where they appear).
// See: socket(7), ip(7), ipv6(7), tcp(7), udp(7), packet(7), netlink(7),
// vsock(7), Documentation/networking/{can,tipc,timestamping}.rst.
#include "sockctl/names.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <netinet/udp.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <utility>

#include <linux/can.h>
#include <linux/can/bcm.h>
#include <linux/can/isotp.h>
#include <linux/can/j1939.h>
#include <linux/can/raw.h>
#include <linux/if_alg.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/mptcp.h>
#include <linux/net_tstamp.h>
#include <linux/netlink.h>
#include <linux/rds.h>
#include <linux/sctp.h>
#include <linux/tipc.h>
#include <linux/vm_sockets.h>

#include "sockctl/spell.hpp"

namespace sockctl {

namespace {

constexpr std::pair<int, std::string_view> kFamilies[] = {
    {AF_UNSPEC, "unspec"},     {AF_UNIX, "unix"},        {AF_INET, "inet"},
    {AF_AX25, "ax25"},         {AF_IPX, "ipx"},          {AF_APPLETALK, "appletalk"},
    {AF_NETROM, "netrom"},     {AF_BRIDGE, "bridge"},    {AF_ATMPVC, "atmpvc"},
    {AF_X25, "x25"},           {AF_INET6, "inet6"},      {AF_ROSE, "rose"},
    {AF_DECnet, "decnet"},     {AF_NETBEUI, "netbeui"},  {AF_SECURITY, "security"},
    {AF_KEY, "key"},           {AF_NETLINK, "netlink"},  {AF_PACKET, "packet"},
    {AF_ASH, "ash"},           {AF_ECONET, "econet"},    {AF_ATMSVC, "atmsvc"},
    {AF_RDS, "rds"},           {AF_SNA, "sna"},          {AF_IRDA, "irda"},
    {AF_PPPOX, "pppox"},       {AF_WANPIPE, "wanpipe"},  {AF_LLC, "llc"},
    {AF_IB, "ib"},             {AF_MPLS, "mpls"},        {AF_CAN, "can"},
    {AF_TIPC, "tipc"},         {AF_BLUETOOTH, "bluetooth"}, {AF_IUCV, "iucv"},
    {AF_RXRPC, "rxrpc"},       {AF_ISDN, "isdn"},        {AF_PHONET, "phonet"},
    {AF_IEEE802154, "ieee802154"}, {AF_CAIF, "caif"},    {AF_ALG, "alg"},
    {AF_NFC, "nfc"},           {AF_VSOCK, "vsock"},      {AF_KCM, "kcm"},
    {AF_QIPCRTR, "qipcrtr"},   {AF_SMC, "smc"},          {AF_XDP, "xdp"},
    {45, "mctp"},
};

constexpr std::pair<int, std::string_view> kTypes[] = {
    {SOCK_STREAM, "stream"}, {SOCK_DGRAM, "dgram"},     {SOCK_RAW, "raw"},
    {SOCK_RDM, "rdm"},       {SOCK_SEQPACKET, "seqpacket"}, {SOCK_DCCP, "dccp"},
    {SOCK_PACKET, "packet"},
};

// Bluetooth protocol numbers (include/net/bluetooth/bluetooth.h), written
// out so the engine does not need libbluetooth's headers.
constexpr std::pair<int, std::string_view> kBluetoothProtocols[] = {
    {0, "l2cap"}, {1, "hci"}, {2, "sco"}, {3, "rfcomm"}, {4, "bnep"}, {5, "cmtp"}, {6, "hidp"}, {7, "avdtp"},
};

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'a' && x <= 'z') x = static_cast<char>(x - 'a' + 'A');
    if (y >= 'a' && y <= 'z') y = static_cast<char>(y - 'a' + 'A');
    if (x != y) return false;
  }
  return true;
}

bool istarts_with(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && iequals(s.substr(0, prefix.size()), prefix);
}

template <size_t N>
std::optional<int> lookup(std::pair<int, std::string_view> const (&table)[N], std::string_view name,
                          std::string_view prefix) {
  int n = 0;
  auto r = std::from_chars(name.data(), name.data() + name.size(), n);
  if (r.ec == std::errc() && r.ptr == name.data() + name.size()) return n;
  std::string l = lower(name);
  std::string_view v = l;
  if (v.starts_with(prefix)) v.remove_prefix(prefix.size());
  for (auto const& [value, text] : table)
    if (text == v) return value;
  return std::nullopt;
}

// --- the constant table -------------------------------------------------------

constexpr int kSolSctp = 132;     // SOL_SCTP: lksctp's netinet/sctp.h, not glibc
constexpr int kSolUdplite = 136;  // SOL_UDPLITE: include/linux/socket.h, not exported

// K: a constant of a group. O: a socket option at a level, with its value form.
// N: a constant the headers here do not define, with its value written out.
#define K(group, name) Constant{#name, static_cast<int64_t>(name), Group::group}
#define O(level, name, kind) Constant{#name, static_cast<int64_t>(name), Group::option, level, OptValue::kind}
#define N(group, name, value) Constant{name, value, Group::group}
// B: a Bluetooth option (SOL_BLUETOOTH), with its number written out.
#define B(name, value, kind) Constant{name, value, Group::option, SOL_BLUETOOTH, OptValue::kind}

constexpr Constant kConstants[] = {
    // Address families (and their PF_ twins).
    K(family, AF_UNSPEC), K(family, AF_UNIX), K(family, AF_LOCAL), K(family, AF_FILE), K(family, AF_INET),
    K(family, AF_AX25), K(family, AF_IPX), K(family, AF_APPLETALK), K(family, AF_NETROM), K(family, AF_BRIDGE),
    K(family, AF_ATMPVC), K(family, AF_X25), K(family, AF_INET6), K(family, AF_ROSE), K(family, AF_DECnet),
    K(family, AF_NETBEUI), K(family, AF_SECURITY), K(family, AF_KEY), K(family, AF_NETLINK), K(family, AF_ROUTE),
    K(family, AF_PACKET), K(family, AF_ASH), K(family, AF_ECONET), K(family, AF_ATMSVC), K(family, AF_RDS),
    K(family, AF_SNA), K(family, AF_IRDA), K(family, AF_PPPOX), K(family, AF_WANPIPE), K(family, AF_LLC),
    K(family, AF_IB), K(family, AF_MPLS), K(family, AF_CAN), K(family, AF_TIPC), K(family, AF_BLUETOOTH),
    K(family, AF_IUCV), K(family, AF_RXRPC), K(family, AF_ISDN), K(family, AF_PHONET), K(family, AF_IEEE802154),
    K(family, AF_CAIF), K(family, AF_ALG), K(family, AF_NFC), K(family, AF_VSOCK), K(family, AF_KCM),
    K(family, AF_QIPCRTR), K(family, AF_SMC), K(family, AF_XDP), K(family, AF_MCTP),
    K(family, PF_UNSPEC), K(family, PF_UNIX), K(family, PF_LOCAL), K(family, PF_FILE), K(family, PF_INET),
    K(family, PF_AX25), K(family, PF_IPX), K(family, PF_APPLETALK), K(family, PF_NETROM), K(family, PF_BRIDGE),
    K(family, PF_ATMPVC), K(family, PF_X25), K(family, PF_INET6), K(family, PF_ROSE), K(family, PF_DECnet),
    K(family, PF_NETBEUI), K(family, PF_SECURITY), K(family, PF_KEY), K(family, PF_NETLINK), K(family, PF_ROUTE),
    K(family, PF_PACKET), K(family, PF_ASH), K(family, PF_ECONET), K(family, PF_ATMSVC), K(family, PF_RDS),
    K(family, PF_SNA), K(family, PF_IRDA), K(family, PF_PPPOX), K(family, PF_WANPIPE), K(family, PF_LLC),
    K(family, PF_IB), K(family, PF_MPLS), K(family, PF_CAN), K(family, PF_TIPC), K(family, PF_BLUETOOTH),
    K(family, PF_IUCV), K(family, PF_RXRPC), K(family, PF_ISDN), K(family, PF_PHONET), K(family, PF_IEEE802154),
    K(family, PF_CAIF), K(family, PF_ALG), K(family, PF_NFC), K(family, PF_VSOCK), K(family, PF_KCM),
    K(family, PF_QIPCRTR), K(family, PF_SMC), K(family, PF_XDP), K(family, PF_MCTP),

    // Socket types and the flags or-ed into them.
    K(socket_type, SOCK_STREAM), K(socket_type, SOCK_DGRAM), K(socket_type, SOCK_RAW), K(socket_type, SOCK_RDM),
    K(socket_type, SOCK_SEQPACKET), K(socket_type, SOCK_DCCP), K(socket_type, SOCK_PACKET),
    K(socket_type, SOCK_CLOEXEC), K(socket_type, SOCK_NONBLOCK),

    // Option levels.
    K(level, SOL_SOCKET), K(level, SOL_IP), K(level, SOL_TCP), K(level, SOL_UDP), K(level, SOL_IPV6),
    K(level, SOL_ICMPV6), N(level, "SOL_SCTP", kSolSctp), N(level, "SOL_UDPLITE", kSolUdplite), K(level, SOL_RAW),
    K(level, SOL_DECNET), K(level, SOL_X25), K(level, SOL_PACKET), K(level, SOL_ATM), K(level, SOL_AAL),
    K(level, SOL_IRDA), K(level, SOL_NETBEUI), K(level, SOL_LLC), K(level, SOL_DCCP), K(level, SOL_NETLINK),
    K(level, SOL_TIPC), K(level, SOL_RXRPC), K(level, SOL_PPPOL2TP), K(level, SOL_BLUETOOTH), K(level, SOL_PNPIPE),
    K(level, SOL_RDS), K(level, SOL_IUCV), K(level, SOL_CAIF), K(level, SOL_ALG), K(level, SOL_NFC),
    K(level, SOL_KCM), K(level, SOL_TLS), K(level, SOL_XDP), K(level, SOL_MPTCP), K(level, SOL_MCTP),
    K(level, SOL_SMC), K(level, SOL_VSOCK), K(level, SOL_CAN_BASE), K(level, SOL_CAN_RAW),
    K(level, SOL_CAN_ISOTP), K(level, SOL_CAN_J1939),

    // SOL_SOCKET options (socket(7)).
    O(SOL_SOCKET, SO_DEBUG, bool_), O(SOL_SOCKET, SO_REUSEADDR, bool_), O(SOL_SOCKET, SO_TYPE, readonly),
    O(SOL_SOCKET, SO_ERROR, readonly), O(SOL_SOCKET, SO_DONTROUTE, bool_), O(SOL_SOCKET, SO_BROADCAST, bool_),
    O(SOL_SOCKET, SO_SNDBUF, int_), O(SOL_SOCKET, SO_RCVBUF, int_), O(SOL_SOCKET, SO_SNDBUFFORCE, int_),
    O(SOL_SOCKET, SO_RCVBUFFORCE, int_), O(SOL_SOCKET, SO_KEEPALIVE, bool_), O(SOL_SOCKET, SO_OOBINLINE, bool_),
    O(SOL_SOCKET, SO_NO_CHECK, bool_), O(SOL_SOCKET, SO_PRIORITY, int_), O(SOL_SOCKET, SO_LINGER, linger),
    O(SOL_SOCKET, SO_BSDCOMPAT, bool_), O(SOL_SOCKET, SO_REUSEPORT, bool_), O(SOL_SOCKET, SO_PASSCRED, bool_),
    O(SOL_SOCKET, SO_PEERCRED, readonly), O(SOL_SOCKET, SO_RCVLOWAT, int_), O(SOL_SOCKET, SO_SNDLOWAT, int_),
    O(SOL_SOCKET, SO_RCVTIMEO, timeval), O(SOL_SOCKET, SO_SNDTIMEO, timeval),
    O(SOL_SOCKET, SO_RCVTIMEO_OLD, timeval), O(SOL_SOCKET, SO_SNDTIMEO_OLD, timeval),
    O(SOL_SOCKET, SO_RCVTIMEO_NEW, timeval), O(SOL_SOCKET, SO_SNDTIMEO_NEW, timeval),
    O(SOL_SOCKET, SO_SECURITY_AUTHENTICATION, int_), O(SOL_SOCKET, SO_SECURITY_ENCRYPTION_TRANSPORT, int_),
    O(SOL_SOCKET, SO_SECURITY_ENCRYPTION_NETWORK, int_), O(SOL_SOCKET, SO_BINDTODEVICE, ifname),
    O(SOL_SOCKET, SO_ATTACH_FILTER, bytes), O(SOL_SOCKET, SO_DETACH_FILTER, int_),
    O(SOL_SOCKET, SO_GET_FILTER, readonly), O(SOL_SOCKET, SO_PEERNAME, readonly),
    O(SOL_SOCKET, SO_TIMESTAMP, bool_), O(SOL_SOCKET, SO_TIMESTAMP_OLD, bool_), O(SOL_SOCKET, SO_TIMESTAMP_NEW, bool_),
    O(SOL_SOCKET, SO_ACCEPTCONN, readonly), O(SOL_SOCKET, SO_PEERSEC, readonly), O(SOL_SOCKET, SO_PASSSEC, bool_),
    O(SOL_SOCKET, SO_TIMESTAMPNS, bool_), O(SOL_SOCKET, SO_TIMESTAMPNS_OLD, bool_),
    O(SOL_SOCKET, SO_TIMESTAMPNS_NEW, bool_), O(SOL_SOCKET, SO_MARK, int_), O(SOL_SOCKET, SO_TIMESTAMPING, int_),
    O(SOL_SOCKET, SO_TIMESTAMPING_OLD, int_), O(SOL_SOCKET, SO_TIMESTAMPING_NEW, int_),
    O(SOL_SOCKET, SO_PROTOCOL, readonly), O(SOL_SOCKET, SO_DOMAIN, readonly), O(SOL_SOCKET, SO_RXQ_OVFL, bool_),
    O(SOL_SOCKET, SO_WIFI_STATUS, bool_), O(SOL_SOCKET, SO_PEEK_OFF, int_), O(SOL_SOCKET, SO_NOFCS, bool_),
    O(SOL_SOCKET, SO_LOCK_FILTER, bool_), O(SOL_SOCKET, SO_SELECT_ERR_QUEUE, bool_),
    O(SOL_SOCKET, SO_BUSY_POLL, int_), O(SOL_SOCKET, SO_MAX_PACING_RATE, int_),
    O(SOL_SOCKET, SO_BPF_EXTENSIONS, readonly), O(SOL_SOCKET, SO_INCOMING_CPU, int_),
    O(SOL_SOCKET, SO_ATTACH_BPF, int_), O(SOL_SOCKET, SO_DETACH_BPF, int_),
    O(SOL_SOCKET, SO_ATTACH_REUSEPORT_CBPF, bytes), O(SOL_SOCKET, SO_ATTACH_REUSEPORT_EBPF, int_),
    O(SOL_SOCKET, SO_CNX_ADVICE, int_), O(SOL_SOCKET, SO_MEMINFO, readonly),
    O(SOL_SOCKET, SO_INCOMING_NAPI_ID, readonly), O(SOL_SOCKET, SO_COOKIE, readonly),
    O(SOL_SOCKET, SO_PEERGROUPS, readonly), O(SOL_SOCKET, SO_ZEROCOPY, bool_), O(SOL_SOCKET, SO_TXTIME, bytes),
    O(SOL_SOCKET, SO_BINDTOIFINDEX, ifindex), O(SOL_SOCKET, SO_DETACH_REUSEPORT_BPF, int_),
    O(SOL_SOCKET, SO_PREFER_BUSY_POLL, bool_), O(SOL_SOCKET, SO_BUSY_POLL_BUDGET, int_),
    O(SOL_SOCKET, SO_NETNS_COOKIE, readonly), O(SOL_SOCKET, SO_BUF_LOCK, int_),
    O(SOL_SOCKET, SO_RESERVE_MEM, int_), O(SOL_SOCKET, SO_TXREHASH, int_), O(SOL_SOCKET, SO_RCVMARK, bool_),
    K(option_value, SOCK_SNDBUF_LOCK), K(option_value, SOCK_RCVBUF_LOCK), K(option_value, SOCK_BUF_LOCK_MASK),
    K(option_value, SOCK_TXREHASH_DEFAULT), K(option_value, SOCK_TXREHASH_DISABLED),
    K(option_value, SOCK_TXREHASH_ENABLED),
    K(option_value, SOF_TIMESTAMPING_TX_HARDWARE), K(option_value, SOF_TIMESTAMPING_TX_SOFTWARE),
    K(option_value, SOF_TIMESTAMPING_RX_HARDWARE), K(option_value, SOF_TIMESTAMPING_RX_SOFTWARE),
    K(option_value, SOF_TIMESTAMPING_SOFTWARE), K(option_value, SOF_TIMESTAMPING_SYS_HARDWARE),
    K(option_value, SOF_TIMESTAMPING_RAW_HARDWARE), K(option_value, SOF_TIMESTAMPING_OPT_ID),
    K(option_value, SOF_TIMESTAMPING_TX_SCHED), K(option_value, SOF_TIMESTAMPING_TX_ACK),
    K(option_value, SOF_TIMESTAMPING_OPT_CMSG), K(option_value, SOF_TIMESTAMPING_OPT_TSONLY),
    K(option_value, SOF_TIMESTAMPING_OPT_STATS), K(option_value, SOF_TIMESTAMPING_OPT_PKTINFO),
    K(option_value, SOF_TIMESTAMPING_OPT_TX_SWHW), K(option_value, SOF_TIMESTAMPING_BIND_PHC),
    K(limit, SOMAXCONN),

    // Protocols of AF_INET and AF_INET6 (socket(2)'s third argument; also their option level).
    K(protocol, IPPROTO_IP), K(protocol, IPPROTO_HOPOPTS), K(protocol, IPPROTO_ICMP), K(protocol, IPPROTO_IGMP),
    K(protocol, IPPROTO_IPIP), K(protocol, IPPROTO_TCP), K(protocol, IPPROTO_EGP), K(protocol, IPPROTO_PUP),
    K(protocol, IPPROTO_UDP), K(protocol, IPPROTO_IDP), K(protocol, IPPROTO_TP), K(protocol, IPPROTO_DCCP),
    K(protocol, IPPROTO_IPV6), K(protocol, IPPROTO_ROUTING), K(protocol, IPPROTO_FRAGMENT),
    K(protocol, IPPROTO_RSVP), K(protocol, IPPROTO_GRE), K(protocol, IPPROTO_ESP), K(protocol, IPPROTO_AH),
    K(protocol, IPPROTO_ICMPV6), K(protocol, IPPROTO_NONE), K(protocol, IPPROTO_DSTOPTS), K(protocol, IPPROTO_MTP),
    K(protocol, IPPROTO_BEETPH), K(protocol, IPPROTO_ENCAP), K(protocol, IPPROTO_PIM), K(protocol, IPPROTO_COMP),
    K(protocol, IPPROTO_SCTP), K(protocol, IPPROTO_MH), K(protocol, IPPROTO_UDPLITE),
    K(protocol, IPPROTO_MPLS), K(protocol, IPPROTO_ETHERNET), K(protocol, IPPROTO_RAW), K(protocol, IPPROTO_MPTCP),
    K(limit, IPPORT_RESERVED), K(limit, IPPORT_USERRESERVED),

    // IPv4 addresses (host byte order, as Python gives them).
    K(address, INADDR_ANY), K(address, INADDR_BROADCAST), K(address, INADDR_NONE), K(address, INADDR_DUMMY),
    K(address, INADDR_LOOPBACK), K(address, INADDR_UNSPEC_GROUP), K(address, INADDR_ALLHOSTS_GROUP),
    K(address, INADDR_ALLRTRS_GROUP), K(address, INADDR_ALLSNOOPERS_GROUP), K(address, INADDR_MAX_LOCAL_GROUP),

    // SOL_IP options (ip(7)).
    O(SOL_IP, IP_TOS, int_), O(SOL_IP, IP_TTL, int_), O(SOL_IP, IP_HDRINCL, bool_), O(SOL_IP, IP_OPTIONS, bytes),
    O(SOL_IP, IP_ROUTER_ALERT, bool_), O(SOL_IP, IP_RECVOPTS, bool_), O(SOL_IP, IP_RETOPTS, bool_),
    O(SOL_IP, IP_RECVRETOPTS, bool_), O(SOL_IP, IP_PKTINFO, bool_), O(SOL_IP, IP_PKTOPTIONS, readonly),
    O(SOL_IP, IP_MTU_DISCOVER, int_), O(SOL_IP, IP_PMTUDISC, int_), O(SOL_IP, IP_RECVERR, bool_),
    O(SOL_IP, IP_RECVTTL, bool_), O(SOL_IP, IP_RECVTOS, bool_), O(SOL_IP, IP_MTU, readonly),
    O(SOL_IP, IP_FREEBIND, bool_), O(SOL_IP, IP_IPSEC_POLICY, bytes), O(SOL_IP, IP_XFRM_POLICY, bytes),
    O(SOL_IP, IP_PASSSEC, bool_), O(SOL_IP, IP_TRANSPARENT, bool_), O(SOL_IP, IP_RECVORIGDSTADDR, bool_),
    O(SOL_IP, IP_MINTTL, int_), O(SOL_IP, IP_NODEFRAG, bool_), O(SOL_IP, IP_CHECKSUM, int_),
    O(SOL_IP, IP_BIND_ADDRESS_NO_PORT, bool_), O(SOL_IP, IP_RECVFRAGSIZE, bool_),
    O(SOL_IP, IP_RECVERR_RFC4884, bool_), O(SOL_IP, IP_MULTICAST_IF, ip_multicast_if),
    O(SOL_IP, IP_MULTICAST_TTL, int_), O(SOL_IP, IP_MULTICAST_LOOP, bool_), O(SOL_IP, IP_ADD_MEMBERSHIP, ip_mreqn),
    O(SOL_IP, IP_DROP_MEMBERSHIP, ip_mreqn), O(SOL_IP, IP_UNBLOCK_SOURCE, ip_mreq_source),
    O(SOL_IP, IP_BLOCK_SOURCE, ip_mreq_source), O(SOL_IP, IP_ADD_SOURCE_MEMBERSHIP, ip_mreq_source),
    O(SOL_IP, IP_DROP_SOURCE_MEMBERSHIP, ip_mreq_source), O(SOL_IP, IP_MSFILTER, bytes),
    O(SOL_IP, IP_MULTICAST_ALL, bool_), O(SOL_IP, IP_UNICAST_IF, ifindex_be),
    O(SOL_IP, IP_LOCAL_PORT_RANGE, int_), O(SOL_IP, IP_PROTOCOL, readonly),
    O(SOL_IP, MCAST_JOIN_GROUP, bytes), O(SOL_IP, MCAST_BLOCK_SOURCE, bytes), O(SOL_IP, MCAST_UNBLOCK_SOURCE, bytes),
    O(SOL_IP, MCAST_LEAVE_GROUP, bytes), O(SOL_IP, MCAST_JOIN_SOURCE_GROUP, bytes),
    O(SOL_IP, MCAST_LEAVE_SOURCE_GROUP, bytes), O(SOL_IP, MCAST_MSFILTER, bytes),
    K(control_message, IP_ORIGDSTADDR),
    K(option_value, IP_PMTUDISC_DONT), K(option_value, IP_PMTUDISC_WANT), K(option_value, IP_PMTUDISC_DO),
    K(option_value, IP_PMTUDISC_PROBE), K(option_value, IP_PMTUDISC_INTERFACE), K(option_value, IP_PMTUDISC_OMIT),
    K(option_value, MCAST_EXCLUDE), K(option_value, MCAST_INCLUDE),
    K(limit, IP_DEFAULT_MULTICAST_TTL), K(limit, IP_DEFAULT_MULTICAST_LOOP), K(limit, IP_MAX_MEMBERSHIPS),

    // SOL_IPV6 options (ipv6(7), RFC 3542).
    O(SOL_IPV6, IPV6_ADDRFORM, int_), O(SOL_IPV6, IPV6_2292PKTINFO, bool_), O(SOL_IPV6, IPV6_2292HOPOPTS, bool_),
    O(SOL_IPV6, IPV6_2292DSTOPTS, bool_), O(SOL_IPV6, IPV6_2292RTHDR, bool_),
    O(SOL_IPV6, IPV6_2292PKTOPTIONS, bytes), O(SOL_IPV6, IPV6_CHECKSUM, int_),
    O(SOL_IPV6, IPV6_2292HOPLIMIT, bool_), O(SOL_IPV6, IPV6_NEXTHOP, bytes), O(SOL_IPV6, IPV6_AUTHHDR, bool_),
    O(SOL_IPV6, IPV6_FLOWINFO, bool_), O(SOL_IPV6, IPV6_UNICAST_HOPS, int_),
    O(SOL_IPV6, IPV6_MULTICAST_IF, ifindex), O(SOL_IPV6, IPV6_MULTICAST_HOPS, int_),
    O(SOL_IPV6, IPV6_MULTICAST_LOOP, bool_), O(SOL_IPV6, IPV6_ADD_MEMBERSHIP, ipv6_mreq),
    O(SOL_IPV6, IPV6_DROP_MEMBERSHIP, ipv6_mreq), O(SOL_IPV6, IPV6_JOIN_GROUP, ipv6_mreq),
    O(SOL_IPV6, IPV6_LEAVE_GROUP, ipv6_mreq), O(SOL_IPV6, IPV6_ROUTER_ALERT, int_),
    O(SOL_IPV6, IPV6_MTU_DISCOVER, int_), O(SOL_IPV6, IPV6_MTU, int_), O(SOL_IPV6, IPV6_RECVERR, bool_),
    O(SOL_IPV6, IPV6_V6ONLY, bool_), O(SOL_IPV6, IPV6_JOIN_ANYCAST, ipv6_mreq),
    O(SOL_IPV6, IPV6_LEAVE_ANYCAST, ipv6_mreq), O(SOL_IPV6, IPV6_MULTICAST_ALL, bool_),
    O(SOL_IPV6, IPV6_ROUTER_ALERT_ISOLATE, bool_), O(SOL_IPV6, IPV6_RECVERR_RFC4884, bool_),
    O(SOL_IPV6, IPV6_FLOWLABEL_MGR, bytes), O(SOL_IPV6, IPV6_FLOWINFO_SEND, bool_),
    O(SOL_IPV6, IPV6_IPSEC_POLICY, bytes), O(SOL_IPV6, IPV6_XFRM_POLICY, bytes), O(SOL_IPV6, IPV6_HDRINCL, bool_),
    O(SOL_IPV6, IPV6_RECVPKTINFO, bool_), O(SOL_IPV6, IPV6_PKTINFO, bytes), O(SOL_IPV6, IPV6_RECVHOPLIMIT, bool_),
    O(SOL_IPV6, IPV6_HOPLIMIT, int_), O(SOL_IPV6, IPV6_RECVHOPOPTS, bool_), O(SOL_IPV6, IPV6_RXHOPOPTS, bool_),
    O(SOL_IPV6, IPV6_HOPOPTS, bytes), O(SOL_IPV6, IPV6_RTHDRDSTOPTS, bytes), O(SOL_IPV6, IPV6_RECVRTHDR, bool_),
    O(SOL_IPV6, IPV6_RTHDR, bytes), O(SOL_IPV6, IPV6_RECVDSTOPTS, bool_), O(SOL_IPV6, IPV6_RXDSTOPTS, bool_),
    O(SOL_IPV6, IPV6_DSTOPTS, bytes), O(SOL_IPV6, IPV6_RECVPATHMTU, bool_), O(SOL_IPV6, IPV6_PATHMTU, readonly),
    O(SOL_IPV6, IPV6_DONTFRAG, bool_), O(SOL_IPV6, IPV6_RECVTCLASS, bool_), O(SOL_IPV6, IPV6_TCLASS, int_),
    O(SOL_IPV6, IPV6_AUTOFLOWLABEL, bool_), O(SOL_IPV6, IPV6_ADDR_PREFERENCES, int_),
    O(SOL_IPV6, IPV6_MINHOPCOUNT, int_), O(SOL_IPV6, IPV6_RECVORIGDSTADDR, bool_),
    O(SOL_IPV6, IPV6_TRANSPARENT, bool_), O(SOL_IPV6, IPV6_UNICAST_IF, ifindex),
    O(SOL_IPV6, IPV6_RECVFRAGSIZE, bool_), O(SOL_IPV6, IPV6_FREEBIND, bool_),
    K(control_message, IPV6_ORIGDSTADDR),
    K(option_value, IPV6_PMTUDISC_DONT), K(option_value, IPV6_PMTUDISC_WANT), K(option_value, IPV6_PMTUDISC_DO),
    K(option_value, IPV6_PMTUDISC_PROBE), K(option_value, IPV6_PMTUDISC_INTERFACE),
    K(option_value, IPV6_PMTUDISC_OMIT), K(option_value, IPV6_PREFER_SRC_TMP),
    K(option_value, IPV6_PREFER_SRC_PUBLIC), K(option_value, IPV6_PREFER_SRC_PUBTMP_DEFAULT),
    K(option_value, IPV6_PREFER_SRC_COA), K(option_value, IPV6_PREFER_SRC_HOME), K(option_value, IPV6_PREFER_SRC_CGA),
    K(option_value, IPV6_PREFER_SRC_NONCGA), K(option_value, IPV6_RTHDR_LOOSE), K(option_value, IPV6_RTHDR_STRICT),
    K(option_value, IPV6_RTHDR_TYPE_0), K(option_value, IPV6_FL_A_GET), K(option_value, IPV6_FL_A_PUT),
    K(option_value, IPV6_FL_A_RENEW), K(option_value, IPV6_FL_F_CREATE), K(option_value, IPV6_FL_F_EXCL),
    K(option_value, IPV6_FL_F_REFLECT), K(option_value, IPV6_FL_F_REMOTE), K(option_value, IPV6_FL_S_NONE),
    K(option_value, IPV6_FL_S_EXCL), K(option_value, IPV6_FL_S_PROCESS), K(option_value, IPV6_FL_S_USER),
    K(option_value, IPV6_FL_S_ANY),
    K(other, IPV6_FLOWINFO_FLOWLABEL), K(other, IPV6_FLOWINFO_PRIORITY),
    K(other, IPV6_PRIORITY_UNCHARACTERIZED), K(other, IPV6_PRIORITY_FILLER), K(other, IPV6_PRIORITY_UNATTENDED),
    K(other, IPV6_PRIORITY_RESERVED1), K(other, IPV6_PRIORITY_BULK), K(other, IPV6_PRIORITY_RESERVED2),
    K(other, IPV6_PRIORITY_INTERACTIVE), K(other, IPV6_PRIORITY_CONTROL), K(other, IPV6_PRIORITY_8),
    K(other, IPV6_PRIORITY_9), K(other, IPV6_PRIORITY_10), K(other, IPV6_PRIORITY_11), K(other, IPV6_PRIORITY_12),
    K(other, IPV6_PRIORITY_13), K(other, IPV6_PRIORITY_14), K(other, IPV6_PRIORITY_15),
    K(other, IPV6_TLV_PAD1), K(other, IPV6_TLV_PADN), K(other, IPV6_TLV_ROUTERALERT), K(other, IPV6_TLV_CALIPSO),
    K(other, IPV6_TLV_IOAM), K(other, IPV6_TLV_JUMBO), K(other, IPV6_TLV_HAO),

    // SOL_TCP options (tcp(7)).
    O(SOL_TCP, TCP_NODELAY, bool_), O(SOL_TCP, TCP_MAXSEG, int_), O(SOL_TCP, TCP_CORK, bool_),
    O(SOL_TCP, TCP_KEEPIDLE, int_), O(SOL_TCP, TCP_KEEPINTVL, int_), O(SOL_TCP, TCP_KEEPCNT, int_),
    O(SOL_TCP, TCP_SYNCNT, int_), O(SOL_TCP, TCP_LINGER2, int_), O(SOL_TCP, TCP_DEFER_ACCEPT, int_),
    O(SOL_TCP, TCP_WINDOW_CLAMP, int_), O(SOL_TCP, TCP_INFO, readonly), O(SOL_TCP, TCP_QUICKACK, bool_),
    O(SOL_TCP, TCP_CONGESTION, text), O(SOL_TCP, TCP_MD5SIG, bytes), O(SOL_TCP, TCP_COOKIE_TRANSACTIONS, bytes),
    O(SOL_TCP, TCP_THIN_LINEAR_TIMEOUTS, bool_), O(SOL_TCP, TCP_THIN_DUPACK, bool_),
    O(SOL_TCP, TCP_USER_TIMEOUT, int_), O(SOL_TCP, TCP_REPAIR, int_), O(SOL_TCP, TCP_REPAIR_QUEUE, int_),
    O(SOL_TCP, TCP_QUEUE_SEQ, int_), O(SOL_TCP, TCP_REPAIR_OPTIONS, bytes), O(SOL_TCP, TCP_FASTOPEN, int_),
    O(SOL_TCP, TCP_TIMESTAMP, int_), O(SOL_TCP, TCP_NOTSENT_LOWAT, int_), O(SOL_TCP, TCP_CC_INFO, readonly),
    O(SOL_TCP, TCP_SAVE_SYN, bool_), O(SOL_TCP, TCP_SAVED_SYN, readonly), O(SOL_TCP, TCP_REPAIR_WINDOW, bytes),
    O(SOL_TCP, TCP_FASTOPEN_CONNECT, bool_), O(SOL_TCP, TCP_ULP, text), O(SOL_TCP, TCP_MD5SIG_EXT, bytes),
    O(SOL_TCP, TCP_FASTOPEN_KEY, bytes), O(SOL_TCP, TCP_FASTOPEN_NO_COOKIE, bool_),
    O(SOL_TCP, TCP_ZEROCOPY_RECEIVE, readonly), O(SOL_TCP, TCP_INQ, bool_), O(SOL_TCP, TCP_TX_DELAY, int_),
    K(control_message, TCP_CM_INQ),
    K(option_value, TCP_REPAIR_ON), K(option_value, TCP_REPAIR_OFF), K(option_value, TCP_REPAIR_OFF_NO_WP),
    K(option_value, TCP_MD5SIG_FLAG_PREFIX), K(option_value, TCP_COOKIE_IN_ALWAYS),
    K(option_value, TCP_COOKIE_OUT_NEVER), K(option_value, TCP_S_DATA_IN), K(option_value, TCP_S_DATA_OUT),
    K(limit, TCP_MSS), K(limit, TCP_MSS_DEFAULT), K(limit, TCP_MSS_DESIRED), K(limit, TCP_MAXWIN),
    K(limit, TCP_MAX_WINSHIFT), K(limit, TCP_MD5SIG_MAXKEYLEN), K(limit, TCP_COOKIE_MIN), K(limit, TCP_COOKIE_MAX),
    K(limit, TCP_COOKIE_PAIR_SIZE),

    // SOL_UDP and SOL_UDPLITE options (udp(7), udplite(7)). The UDP-Lite
    // numbers live in the kernel's include/net/udplite.h only.
    O(SOL_UDP, UDP_CORK, bool_), O(SOL_UDP, UDP_ENCAP, int_), O(SOL_UDP, UDP_NO_CHECK6_TX, bool_),
    O(SOL_UDP, UDP_NO_CHECK6_RX, bool_), O(SOL_UDP, UDP_SEGMENT, int_), O(SOL_UDP, UDP_GRO, bool_),
    Constant{"UDPLITE_SEND_CSCOV", 10, Group::option, kSolUdplite, OptValue::int_},
    Constant{"UDPLITE_RECV_CSCOV", 11, Group::option, kSolUdplite, OptValue::int_},
    K(option_value, UDP_ENCAP_ESPINUDP_NON_IKE), K(option_value, UDP_ENCAP_ESPINUDP),
    K(option_value, UDP_ENCAP_L2TPINUDP), K(option_value, UDP_ENCAP_GTP0), K(option_value, UDP_ENCAP_GTP1U),

    // SOL_SCTP options (the kernel's linux/sctp.h; values are C structs unless noted).
    O(kSolSctp, SCTP_RTOINFO, bytes), O(kSolSctp, SCTP_ASSOCINFO, bytes), O(kSolSctp, SCTP_INITMSG, bytes),
    O(kSolSctp, SCTP_NODELAY, bool_), O(kSolSctp, SCTP_AUTOCLOSE, int_),
    O(kSolSctp, SCTP_SET_PEER_PRIMARY_ADDR, bytes), O(kSolSctp, SCTP_PRIMARY_ADDR, bytes),
    O(kSolSctp, SCTP_ADAPTATION_LAYER, bytes), O(kSolSctp, SCTP_DISABLE_FRAGMENTS, bool_),
    O(kSolSctp, SCTP_PEER_ADDR_PARAMS, bytes), O(kSolSctp, SCTP_DEFAULT_SEND_PARAM, bytes),
    O(kSolSctp, SCTP_EVENTS, bytes), O(kSolSctp, SCTP_I_WANT_MAPPED_V4_ADDR, bool_),
    O(kSolSctp, SCTP_MAXSEG, int_), O(kSolSctp, SCTP_STATUS, readonly),
    O(kSolSctp, SCTP_GET_PEER_ADDR_INFO, readonly), O(kSolSctp, SCTP_DELAYED_ACK_TIME, bytes),
    O(kSolSctp, SCTP_DELAYED_ACK, bytes), O(kSolSctp, SCTP_DELAYED_SACK, bytes), O(kSolSctp, SCTP_CONTEXT, bytes),
    O(kSolSctp, SCTP_FRAGMENT_INTERLEAVE, int_), O(kSolSctp, SCTP_PARTIAL_DELIVERY_POINT, int_),
    O(kSolSctp, SCTP_MAX_BURST, int_), O(kSolSctp, SCTP_AUTH_CHUNK, bytes), O(kSolSctp, SCTP_HMAC_IDENT, bytes),
    O(kSolSctp, SCTP_AUTH_KEY, bytes), O(kSolSctp, SCTP_AUTH_ACTIVE_KEY, bytes),
    O(kSolSctp, SCTP_AUTH_DELETE_KEY, bytes), O(kSolSctp, SCTP_PEER_AUTH_CHUNKS, readonly),
    O(kSolSctp, SCTP_LOCAL_AUTH_CHUNKS, readonly), O(kSolSctp, SCTP_GET_ASSOC_NUMBER, readonly),
    O(kSolSctp, SCTP_GET_ASSOC_ID_LIST, readonly), O(kSolSctp, SCTP_AUTO_ASCONF, bool_),
    O(kSolSctp, SCTP_PEER_ADDR_THLDS, bytes), O(kSolSctp, SCTP_RECVRCVINFO, bool_),
    O(kSolSctp, SCTP_RECVNXTINFO, bool_), O(kSolSctp, SCTP_DEFAULT_SNDINFO, bytes),
    O(kSolSctp, SCTP_AUTH_DEACTIVATE_KEY, bytes), O(kSolSctp, SCTP_REUSE_PORT, bool_),
    O(kSolSctp, SCTP_PEER_ADDR_THLDS_V2, bytes), O(kSolSctp, SCTP_SOCKOPT_BINDX_ADD, bytes),
    O(kSolSctp, SCTP_SOCKOPT_BINDX_REM, bytes), O(kSolSctp, SCTP_SOCKOPT_PEELOFF, readonly),
    O(kSolSctp, SCTP_SOCKOPT_CONNECTX_OLD, bytes), O(kSolSctp, SCTP_GET_PEER_ADDRS, readonly),
    O(kSolSctp, SCTP_GET_LOCAL_ADDRS, readonly), O(kSolSctp, SCTP_SOCKOPT_CONNECTX, bytes),
    O(kSolSctp, SCTP_SOCKOPT_CONNECTX3, readonly), O(kSolSctp, SCTP_GET_ASSOC_STATS, readonly),
    O(kSolSctp, SCTP_PR_SUPPORTED, bytes), O(kSolSctp, SCTP_DEFAULT_PRINFO, bytes),
    O(kSolSctp, SCTP_PR_ASSOC_STATUS, readonly), O(kSolSctp, SCTP_PR_STREAM_STATUS, readonly),
    O(kSolSctp, SCTP_RECONFIG_SUPPORTED, bytes), O(kSolSctp, SCTP_ENABLE_STREAM_RESET, bytes),
    O(kSolSctp, SCTP_RESET_STREAMS, bytes), O(kSolSctp, SCTP_RESET_ASSOC, bytes),
    O(kSolSctp, SCTP_ADD_STREAMS, bytes), O(kSolSctp, SCTP_SOCKOPT_PEELOFF_FLAGS, readonly),
    O(kSolSctp, SCTP_STREAM_SCHEDULER, bytes), O(kSolSctp, SCTP_STREAM_SCHEDULER_VALUE, bytes),
    O(kSolSctp, SCTP_INTERLEAVING_SUPPORTED, bytes), O(kSolSctp, SCTP_SENDMSG_CONNECT, bool_),
    O(kSolSctp, SCTP_EVENT, bytes), O(kSolSctp, SCTP_ASCONF_SUPPORTED, bytes),
    O(kSolSctp, SCTP_AUTH_SUPPORTED, bytes), O(kSolSctp, SCTP_ECN_SUPPORTED, bytes),
    O(kSolSctp, SCTP_EXPOSE_POTENTIALLY_FAILED_STATE, bytes), O(kSolSctp, SCTP_REMOTE_UDP_ENCAPS_PORT, bytes),
    O(kSolSctp, SCTP_PLPMTUD_PROBE_INTERVAL, bytes),
    K(option_value, SCTP_FUTURE_ASSOC), K(option_value, SCTP_CURRENT_ASSOC), K(option_value, SCTP_ALL_ASSOC),
    K(option_value, SCTP_PR_SCTP_NONE), K(option_value, SCTP_PR_SCTP_TTL), K(option_value, SCTP_PR_SCTP_RTX),
    K(option_value, SCTP_PR_SCTP_PRIO), K(option_value, SCTP_BINDX_ADD_ADDR), K(option_value, SCTP_BINDX_REM_ADDR),

    // SOL_MPTCP options (Documentation/networking/mptcp.rst).
    O(SOL_MPTCP, MPTCP_INFO, readonly), O(SOL_MPTCP, MPTCP_TCPINFO, readonly),
    O(SOL_MPTCP, MPTCP_SUBFLOW_ADDRS, readonly),

    // Send and receive flags.
    K(message_flag, MSG_OOB), K(message_flag, MSG_PEEK), K(message_flag, MSG_DONTROUTE),
    K(message_flag, MSG_TRYHARD), K(message_flag, MSG_CTRUNC), K(message_flag, MSG_PROXY),
    K(message_flag, MSG_TRUNC), K(message_flag, MSG_DONTWAIT), K(message_flag, MSG_EOR),
    K(message_flag, MSG_WAITALL), K(message_flag, MSG_FIN), K(message_flag, MSG_SYN), K(message_flag, MSG_CONFIRM),
    K(message_flag, MSG_RST), K(message_flag, MSG_ERRQUEUE), K(message_flag, MSG_NOSIGNAL),
    K(message_flag, MSG_MORE), K(message_flag, MSG_WAITFORONE), K(message_flag, MSG_BATCH),
    K(message_flag, MSG_ZEROCOPY), K(message_flag, MSG_FASTOPEN), K(message_flag, MSG_CMSG_CLOEXEC),
    K(message_flag, MSG_NOTIFICATION),

    // Control messages at SOL_SOCKET.
    K(control_message, SCM_RIGHTS), K(control_message, SCM_CREDENTIALS),
    K(control_message, SCM_TIMESTAMP), K(control_message, SCM_TIMESTAMPNS), K(control_message, SCM_TIMESTAMPING),
    K(control_message, SCM_WIFI_STATUS), K(control_message, SCM_TIMESTAMPING_OPT_STATS),
    K(control_message, SCM_TIMESTAMPING_PKTINFO), K(control_message, SCM_TXTIME),

    K(shutdown, SHUT_RD), K(shutdown, SHUT_WR), K(shutdown, SHUT_RDWR),

    // getaddrinfo(3) and getnameinfo(3).
    K(addrinfo_flag, AI_PASSIVE), K(addrinfo_flag, AI_CANONNAME), K(addrinfo_flag, AI_NUMERICHOST),
    K(addrinfo_flag, AI_V4MAPPED), K(addrinfo_flag, AI_ALL), K(addrinfo_flag, AI_ADDRCONFIG),
    K(addrinfo_flag, AI_IDN), K(addrinfo_flag, AI_CANONIDN), K(addrinfo_flag, AI_NUMERICSERV),
    K(nameinfo_flag, NI_NUMERICHOST), K(nameinfo_flag, NI_NUMERICSERV), K(nameinfo_flag, NI_NOFQDN),
    K(nameinfo_flag, NI_NAMEREQD), K(nameinfo_flag, NI_DGRAM), K(nameinfo_flag, NI_IDN),
    K(limit, NI_MAXHOST), K(limit, NI_MAXSERV),
    K(addrinfo_error, EAI_BADFLAGS), K(addrinfo_error, EAI_NONAME), K(addrinfo_error, EAI_AGAIN),
    K(addrinfo_error, EAI_FAIL), K(addrinfo_error, EAI_FAMILY), K(addrinfo_error, EAI_SOCKTYPE),
    K(addrinfo_error, EAI_SERVICE), K(addrinfo_error, EAI_MEMORY), K(addrinfo_error, EAI_SYSTEM),
    K(addrinfo_error, EAI_OVERFLOW), K(addrinfo_error, EAI_NODATA), K(addrinfo_error, EAI_ADDRFAMILY),
    K(addrinfo_error, EAI_INPROGRESS), K(addrinfo_error, EAI_CANCELED), K(addrinfo_error, EAI_NOTCANCELED),
    K(addrinfo_error, EAI_ALLDONE), K(addrinfo_error, EAI_INTR), K(addrinfo_error, EAI_IDN_ENCODE),

    // SocketCAN (Documentation/networking/can.rst): protocols, id flags and
    // masks, raw options, ISO-TP options, and the BCM opcodes and flags under
    // Python's CAN_BCM_ names (the header calls them TX_SETUP, SETTIMER, ...).
    K(protocol, CAN_RAW), K(protocol, CAN_BCM), K(protocol, CAN_TP16), K(protocol, CAN_TP20),
    K(protocol, CAN_MCNET), K(protocol, CAN_ISOTP), K(protocol, CAN_J1939), K(limit, CAN_NPROTO),
    K(other, CAN_EFF_FLAG), K(other, CAN_RTR_FLAG), K(other, CAN_ERR_FLAG), K(other, CAN_SFF_MASK),
    K(other, CAN_EFF_MASK), K(other, CAN_ERR_MASK), K(other, CAN_INV_FILTER), K(limit, CAN_SFF_ID_BITS),
    K(limit, CAN_EFF_ID_BITS), K(limit, CAN_MAX_DLC), K(limit, CAN_MAX_RAW_DLC), K(limit, CAN_MAX_DLEN),
    K(limit, CANFD_MAX_DLC), K(limit, CANFD_MAX_DLEN), K(other, CANFD_BRS), K(other, CANFD_ESI),
    K(other, CANFD_FDF), K(limit, CAN_MTU), K(limit, CANFD_MTU), K(limit, CANXL_MTU),
    O(SOL_CAN_RAW, CAN_RAW_FILTER, can_filter), O(SOL_CAN_RAW, CAN_RAW_ERR_FILTER, int_),
    O(SOL_CAN_RAW, CAN_RAW_LOOPBACK, bool_), O(SOL_CAN_RAW, CAN_RAW_RECV_OWN_MSGS, bool_),
    O(SOL_CAN_RAW, CAN_RAW_FD_FRAMES, bool_), O(SOL_CAN_RAW, CAN_RAW_JOIN_FILTERS, bool_),
    O(SOL_CAN_RAW, CAN_RAW_XL_FRAMES, bool_), K(limit, CAN_RAW_FILTER_MAX),
    K(control_message, SCM_CAN_RAW_ERRQUEUE),
    O(SOL_CAN_ISOTP, CAN_ISOTP_OPTS, bytes), O(SOL_CAN_ISOTP, CAN_ISOTP_RECV_FC, bytes),
    O(SOL_CAN_ISOTP, CAN_ISOTP_TX_STMIN, int_), O(SOL_CAN_ISOTP, CAN_ISOTP_RX_STMIN, int_),
    O(SOL_CAN_ISOTP, CAN_ISOTP_LL_OPTS, bytes),
    K(option_value, CAN_ISOTP_LISTEN_MODE), K(option_value, CAN_ISOTP_EXTEND_ADDR),
    K(option_value, CAN_ISOTP_TX_PADDING), K(option_value, CAN_ISOTP_RX_PADDING),
    K(option_value, CAN_ISOTP_CHK_PAD_LEN), K(option_value, CAN_ISOTP_CHK_PAD_DATA),
    K(option_value, CAN_ISOTP_HALF_DUPLEX), K(option_value, CAN_ISOTP_FORCE_TXSTMIN),
    K(option_value, CAN_ISOTP_FORCE_RXSTMIN), K(option_value, CAN_ISOTP_RX_EXT_ADDR),
    K(option_value, CAN_ISOTP_WAIT_TX_DONE), K(option_value, CAN_ISOTP_SF_BROADCAST),
    K(option_value, CAN_ISOTP_CF_BROADCAST), K(option_value, CAN_ISOTP_DEFAULT_FLAGS),
    K(option_value, CAN_ISOTP_DEFAULT_EXT_ADDRESS), K(option_value, CAN_ISOTP_DEFAULT_PAD_CONTENT),
    K(option_value, CAN_ISOTP_DEFAULT_FRAME_TXTIME), K(option_value, CAN_ISOTP_DEFAULT_RECV_BS),
    K(option_value, CAN_ISOTP_DEFAULT_RECV_STMIN), K(option_value, CAN_ISOTP_DEFAULT_RECV_WFTMAX),
    K(option_value, CAN_ISOTP_DEFAULT_LL_MTU), K(option_value, CAN_ISOTP_DEFAULT_LL_TX_DL),
    K(option_value, CAN_ISOTP_DEFAULT_LL_TX_FLAGS), K(option_value, CAN_ISOTP_FRAME_TXTIME_ZERO),
    N(other, "CAN_BCM_TX_SETUP", TX_SETUP), N(other, "CAN_BCM_TX_DELETE", TX_DELETE),
    N(other, "CAN_BCM_TX_READ", TX_READ), N(other, "CAN_BCM_TX_SEND", TX_SEND),
    N(other, "CAN_BCM_RX_SETUP", RX_SETUP), N(other, "CAN_BCM_RX_DELETE", RX_DELETE),
    N(other, "CAN_BCM_RX_READ", RX_READ), N(other, "CAN_BCM_TX_STATUS", TX_STATUS),
    N(other, "CAN_BCM_TX_EXPIRED", TX_EXPIRED), N(other, "CAN_BCM_RX_STATUS", RX_STATUS),
    N(other, "CAN_BCM_RX_TIMEOUT", RX_TIMEOUT), N(other, "CAN_BCM_RX_CHANGED", RX_CHANGED),
    N(other, "CAN_BCM_SETTIMER", SETTIMER), N(other, "CAN_BCM_STARTTIMER", STARTTIMER),
    N(other, "CAN_BCM_TX_COUNTEVT", TX_COUNTEVT), N(other, "CAN_BCM_TX_ANNOUNCE", TX_ANNOUNCE),
    N(other, "CAN_BCM_TX_CP_CAN_ID", TX_CP_CAN_ID), N(other, "CAN_BCM_RX_FILTER_ID", RX_FILTER_ID),
    N(other, "CAN_BCM_RX_CHECK_DLC", RX_CHECK_DLC), N(other, "CAN_BCM_RX_NO_AUTOTIMER", RX_NO_AUTOTIMER),
    N(other, "CAN_BCM_RX_ANNOUNCE_RESUME", RX_ANNOUNCE_RESUME),
    N(other, "CAN_BCM_TX_RESET_MULTI_IDX", TX_RESET_MULTI_IDX), N(other, "CAN_BCM_RX_RTR_FRAME", RX_RTR_FRAME),
    N(other, "CAN_BCM_CAN_FD_FRAME", CAN_FD_FRAME),

    // SAE J1939 over CAN (Documentation/networking/j1939.rst).
    O(SOL_CAN_J1939, SO_J1939_FILTER, bytes), O(SOL_CAN_J1939, SO_J1939_PROMISC, bool_),
    O(SOL_CAN_J1939, SO_J1939_SEND_PRIO, int_), O(SOL_CAN_J1939, SO_J1939_ERRQUEUE, bool_),
    K(control_message, SCM_J1939_DEST_ADDR), K(control_message, SCM_J1939_DEST_NAME),
    K(control_message, SCM_J1939_PRIO), K(control_message, SCM_J1939_ERRQUEUE),
    K(address, J1939_NO_ADDR), K(address, J1939_IDLE_ADDR), K(address, J1939_MAX_UNICAST_ADDR),
    K(address, J1939_NO_NAME), K(address, J1939_NO_PGN), K(other, J1939_PGN_REQUEST),
    K(other, J1939_PGN_ADDRESS_CLAIMED), K(other, J1939_PGN_ADDRESS_COMMANDED), K(limit, J1939_PGN_PDU1_MAX),
    K(limit, J1939_PGN_MAX), K(limit, J1939_FILTER_MAX), K(other, J1939_NLA_PAD),
    K(other, J1939_NLA_BYTES_ACKED), K(other, J1939_EE_INFO_NONE), K(other, J1939_EE_INFO_TX_ABORT),

    // TIPC (linux/tipc.h): options at SOL_TIPC, address types and scopes,
    // importance levels, the topology service, and control messages.
    O(SOL_TIPC, TIPC_IMPORTANCE, int_), O(SOL_TIPC, TIPC_SRC_DROPPABLE, bool_),
    O(SOL_TIPC, TIPC_DEST_DROPPABLE, bool_), O(SOL_TIPC, TIPC_CONN_TIMEOUT, int_),
    O(SOL_TIPC, TIPC_NODE_RECVQ_DEPTH, readonly), O(SOL_TIPC, TIPC_SOCK_RECVQ_DEPTH, readonly),
    O(SOL_TIPC, TIPC_MCAST_BROADCAST, flag), O(SOL_TIPC, TIPC_MCAST_REPLICAST, flag),
    O(SOL_TIPC, TIPC_GROUP_JOIN, bytes), O(SOL_TIPC, TIPC_GROUP_LEAVE, flag),
    O(SOL_TIPC, TIPC_SOCK_RECVQ_USED, readonly), O(SOL_TIPC, TIPC_NODELAY, bool_),
    K(option_value, TIPC_LOW_IMPORTANCE), K(option_value, TIPC_MEDIUM_IMPORTANCE),
    K(option_value, TIPC_HIGH_IMPORTANCE), K(option_value, TIPC_CRITICAL_IMPORTANCE),
    K(option_value, TIPC_GROUP_LOOPBACK), K(option_value, TIPC_GROUP_MEMBER_EVTS),
    K(address, TIPC_ADDR_NAMESEQ), K(address, TIPC_ADDR_MCAST), K(address, TIPC_ADDR_NAME),
    K(address, TIPC_ADDR_ID), K(address, TIPC_SERVICE_RANGE), K(address, TIPC_SERVICE_ADDR),
    K(address, TIPC_SOCKET_ADDR), K(address, TIPC_ZONE_SCOPE), K(address, TIPC_CLUSTER_SCOPE),
    K(address, TIPC_NODE_SCOPE), K(address, TIPC_CFG_SRV), K(address, TIPC_TOP_SRV),
    K(address, TIPC_LINK_STATE), K(address, TIPC_NODE_STATE), K(address, TIPC_RESERVED_TYPES),
    K(other, TIPC_SUB_PORTS), K(other, TIPC_SUB_SERVICE), K(other, TIPC_SUB_CANCEL), K(other, TIPC_WAIT_FOREVER),
    K(other, TIPC_PUBLISHED), K(other, TIPC_WITHDRAWN), K(other, TIPC_SUBSCR_TIMEOUT),
    K(control_message, TIPC_ERRINFO), K(control_message, TIPC_RETDATA), K(control_message, TIPC_DESTNAME),
    K(other, TIPC_OK), K(other, TIPC_ERR_NO_NAME), K(other, TIPC_ERR_NO_PORT), K(other, TIPC_ERR_NO_NODE),
    K(other, TIPC_ERR_OVERLOAD), K(other, TIPC_CONN_SHUTDOWN), K(other, TIPC_REKEYING_NOW),
    K(limit, TIPC_MAX_USER_MSG_SIZE), K(limit, TIPC_MAX_MEDIA_NAME), K(limit, TIPC_MAX_IF_NAME),
    K(limit, TIPC_MAX_BEARER_NAME), K(limit, TIPC_MAX_LINK_NAME), K(limit, TIPC_NODEID_LEN),
    K(limit, TIPC_AEAD_KEYLEN_MIN), K(limit, TIPC_AEAD_KEYLEN_MAX), K(limit, TIPC_AEAD_KEY_SIZE_MAX),
    K(other, TIPC_NODE_BITS), K(other, TIPC_CLUSTER_BITS), K(other, TIPC_ZONE_BITS), K(other, TIPC_NODE_OFFSET),
    K(other, TIPC_CLUSTER_OFFSET), K(other, TIPC_ZONE_OFFSET), K(other, TIPC_NODE_SIZE),
    K(other, TIPC_CLUSTER_SIZE), K(other, TIPC_ZONE_SIZE), K(other, TIPC_NODE_MASK), K(other, TIPC_CLUSTER_MASK),
    K(other, TIPC_ZONE_MASK), K(other, TIPC_ZONE_CLUSTER_MASK),

    // Bluetooth options at SOL_BLUETOOTH and their values, from the kernel's
    // include/net/bluetooth/bluetooth.h (no libbluetooth header here). Each
    // takes an int: the kernel reads the bytes its struct needs (bt_security's
    // level, bt_power's force_active, bt_voice's setting) from the front.
    B("BT_SECURITY", 4, int_), B("BT_DEFER_SETUP", 7, bool_), B("BT_FLUSHABLE", 8, bool_),
    B("BT_POWER", 9, bool_), B("BT_CHANNEL_POLICY", 10, int_), B("BT_VOICE", 11, int_),
    B("BT_SNDMTU", 12, readonly), B("BT_RCVMTU", 13, int_), B("BT_PHY", 14, readonly), B("BT_MODE", 15, int_),
    B("BT_PKT_STATUS", 16, bool_),
    N(option_value, "BT_SECURITY_SDP", 0), N(option_value, "BT_SECURITY_LOW", 1),
    N(option_value, "BT_SECURITY_MEDIUM", 2), N(option_value, "BT_SECURITY_HIGH", 3),
    N(option_value, "BT_SECURITY_FIPS", 4), N(option_value, "BT_FLUSHABLE_OFF", 0),
    N(option_value, "BT_FLUSHABLE_ON", 1), N(option_value, "BT_POWER_FORCE_ACTIVE_OFF", 0),
    N(option_value, "BT_POWER_FORCE_ACTIVE_ON", 1), N(option_value, "BT_CHANNEL_POLICY_BREDR_ONLY", 0),
    N(option_value, "BT_CHANNEL_POLICY_BREDR_PREFERRED", 1), N(option_value, "BT_CHANNEL_POLICY_AMP_PREFERRED", 2),
    N(option_value, "BT_VOICE_TRANSPARENT", 0x0003), N(option_value, "BT_VOICE_CVSD_16BIT", 0x0060),
    N(option_value, "BT_MODE_BASIC", 0), N(option_value, "BT_MODE_ERTM", 1), N(option_value, "BT_MODE_STREAMING", 2),
    N(option_value, "BT_MODE_LE_FLOWCTL", 3), N(option_value, "BT_MODE_EXT_FLOWCTL", 4),

    // AF_ALG (Documentation/crypto/userspace-if.rst): the key is an option,
    // the IV, operation and AAD length travel as control messages.
    O(SOL_ALG, ALG_SET_KEY, bytes), O(SOL_ALG, ALG_SET_AEAD_AUTHSIZE, optlen),
    O(SOL_ALG, ALG_SET_DRBG_ENTROPY, bytes),
    K(control_message, ALG_SET_IV), K(control_message, ALG_SET_OP), K(control_message, ALG_SET_AEAD_ASSOCLEN),
    K(option_value, ALG_OP_DECRYPT), K(option_value, ALG_OP_ENCRYPT),

    // AF_PACKET (packet(7)).
    O(SOL_PACKET, PACKET_ADD_MEMBERSHIP, packet_mreq), O(SOL_PACKET, PACKET_DROP_MEMBERSHIP, packet_mreq),
    O(SOL_PACKET, PACKET_RECV_OUTPUT, bool_), O(SOL_PACKET, PACKET_RX_RING, bytes),
    O(SOL_PACKET, PACKET_STATISTICS, readonly), O(SOL_PACKET, PACKET_COPY_THRESH, int_),
    O(SOL_PACKET, PACKET_AUXDATA, bool_), O(SOL_PACKET, PACKET_ORIGDEV, bool_), O(SOL_PACKET, PACKET_VERSION, int_),
    O(SOL_PACKET, PACKET_HDRLEN, readonly), O(SOL_PACKET, PACKET_RESERVE, int_), O(SOL_PACKET, PACKET_TX_RING, bytes),
    O(SOL_PACKET, PACKET_LOSS, bool_), O(SOL_PACKET, PACKET_VNET_HDR, bool_),
    O(SOL_PACKET, PACKET_TX_TIMESTAMP, int_), O(SOL_PACKET, PACKET_TIMESTAMP, int_),
    O(SOL_PACKET, PACKET_FANOUT, int_), O(SOL_PACKET, PACKET_TX_HAS_OFF, bool_),
    O(SOL_PACKET, PACKET_QDISC_BYPASS, bool_), O(SOL_PACKET, PACKET_ROLLOVER_STATS, readonly),
    O(SOL_PACKET, PACKET_FANOUT_DATA, bytes), O(SOL_PACKET, PACKET_IGNORE_OUTGOING, bool_),
    K(other, PACKET_HOST), K(other, PACKET_BROADCAST), K(other, PACKET_MULTICAST), K(other, PACKET_OTHERHOST),
    K(other, PACKET_OUTGOING), K(other, PACKET_LOOPBACK), K(other, PACKET_USER), K(other, PACKET_KERNEL),
    K(other, PACKET_FASTROUTE),
    K(option_value, PACKET_MR_MULTICAST), K(option_value, PACKET_MR_PROMISC), K(option_value, PACKET_MR_ALLMULTI),
    K(option_value, PACKET_MR_UNICAST), K(option_value, PACKET_FANOUT_HASH), K(option_value, PACKET_FANOUT_LB),
    K(option_value, PACKET_FANOUT_CPU), K(option_value, PACKET_FANOUT_ROLLOVER), K(option_value, PACKET_FANOUT_RND),
    K(option_value, PACKET_FANOUT_QM), K(option_value, PACKET_FANOUT_CBPF), K(option_value, PACKET_FANOUT_EBPF),
    K(option_value, PACKET_FANOUT_FLAG_ROLLOVER), K(option_value, PACKET_FANOUT_FLAG_UNIQUEID),
    K(option_value, PACKET_FANOUT_FLAG_DEFRAG), K(option_value, TPACKET_V1), K(option_value, TPACKET_V2),
    K(option_value, TPACKET_V3),
    K(protocol, ETH_P_ALL), K(protocol, ETH_P_IP), K(protocol, ETH_P_ARP), K(protocol, ETH_P_IPV6),
    K(protocol, ETH_P_8021Q), K(protocol, ETH_P_8021AD), K(protocol, ETH_P_LOOP), K(protocol, ETH_P_PAE),
    K(protocol, ETH_P_LLDP), K(protocol, ETH_P_MPLS_UC), K(protocol, ETH_P_CAN), K(protocol, ETH_P_CANFD),

    // AF_NETLINK (netlink(7)): protocols, then options at SOL_NETLINK.
    K(protocol, NETLINK_ROUTE), K(protocol, NETLINK_UNUSED), K(protocol, NETLINK_USERSOCK),
    K(protocol, NETLINK_FIREWALL), K(protocol, NETLINK_SOCK_DIAG), K(protocol, NETLINK_INET_DIAG),
    K(protocol, NETLINK_NFLOG), K(protocol, NETLINK_XFRM), K(protocol, NETLINK_SELINUX), K(protocol, NETLINK_ISCSI),
    K(protocol, NETLINK_AUDIT), K(protocol, NETLINK_FIB_LOOKUP), K(protocol, NETLINK_CONNECTOR),
    K(protocol, NETLINK_NETFILTER), K(protocol, NETLINK_IP6_FW), K(protocol, NETLINK_DNRTMSG),
    K(protocol, NETLINK_KOBJECT_UEVENT), K(protocol, NETLINK_GENERIC), K(protocol, NETLINK_SCSITRANSPORT),
    K(protocol, NETLINK_ECRYPTFS), K(protocol, NETLINK_RDMA), K(protocol, NETLINK_CRYPTO), K(protocol, NETLINK_SMC),
    O(SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, int_), O(SOL_NETLINK, NETLINK_DROP_MEMBERSHIP, int_),
    O(SOL_NETLINK, NETLINK_PKTINFO, bool_), O(SOL_NETLINK, NETLINK_BROADCAST_ERROR, bool_),
    O(SOL_NETLINK, NETLINK_NO_ENOBUFS, bool_), O(SOL_NETLINK, NETLINK_RX_RING, bytes),
    O(SOL_NETLINK, NETLINK_TX_RING, bytes), O(SOL_NETLINK, NETLINK_LISTEN_ALL_NSID, bool_),
    O(SOL_NETLINK, NETLINK_LIST_MEMBERSHIPS, readonly), O(SOL_NETLINK, NETLINK_CAP_ACK, bool_),
    O(SOL_NETLINK, NETLINK_EXT_ACK, bool_), O(SOL_NETLINK, NETLINK_GET_STRICT_CHK, bool_),

    // AF_VSOCK (vsock(7)): options at level AF_VSOCK, which every kernel
    // accepts (SOL_VSOCK is newer), and the well-known addresses.
    O(AF_VSOCK, SO_VM_SOCKETS_BUFFER_SIZE, u64), O(AF_VSOCK, SO_VM_SOCKETS_BUFFER_MIN_SIZE, u64),
    O(AF_VSOCK, SO_VM_SOCKETS_BUFFER_MAX_SIZE, u64), O(AF_VSOCK, SO_VM_SOCKETS_PEER_HOST_VM_ID, readonly),
    O(AF_VSOCK, SO_VM_SOCKETS_TRUSTED, readonly), O(AF_VSOCK, SO_VM_SOCKETS_CONNECT_TIMEOUT, timeval),
    O(AF_VSOCK, SO_VM_SOCKETS_CONNECT_TIMEOUT_OLD, timeval),
    O(AF_VSOCK, SO_VM_SOCKETS_CONNECT_TIMEOUT_NEW, timeval), O(AF_VSOCK, SO_VM_SOCKETS_NONBLOCK_TXRX, bool_),
    K(address, VMADDR_CID_ANY), K(address, VMADDR_CID_HYPERVISOR), K(address, VMADDR_CID_LOCAL),
    K(address, VMADDR_CID_HOST), K(address, VMADDR_PORT_ANY), K(other, VMADDR_FLAG_TO_HOST),
    K(other, VM_SOCKETS_INVALID_VERSION), K(other, IOCTL_VM_SOCKETS_GET_LOCAL_CID),

    // AF_RDS (Documentation/networking/rds.rst).
    O(SOL_RDS, SO_RDS_TRANSPORT, int_), O(SOL_RDS, SO_RDS_MSG_RXPATH_LATENCY, bytes),
    O(SOL_RDS, RDS_CANCEL_SENT_TO, bytes), O(SOL_RDS, RDS_GET_MR, bytes), O(SOL_RDS, RDS_FREE_MR, bytes),
    O(SOL_RDS, RDS_RECVERR, bool_), O(SOL_RDS, RDS_CONG_MONITOR, bool_), O(SOL_RDS, RDS_GET_MR_FOR_DEST, bytes),
};

#undef K
#undef O
#undef N
#undef B

}  // namespace

std::string family_name(int family) {
  for (auto const& [value, text] : kFamilies)
    if (value == family) return std::string(text);
  return std::to_string(family);
}

std::optional<int> family_from_name(std::string_view name) {
  if (auto v = lookup(kFamilies, name, "af_")) return v;
  return lookup(kFamilies, name, "pf_");
}

std::string type_name(int type) {
  for (auto const& [value, text] : kTypes)
    if (value == type) return std::string(text);
  return std::to_string(type);
}

std::optional<int> type_from_name(std::string_view name) { return lookup(kTypes, name, "sock_"); }

std::string protocol_name(int family, int protocol) {
  // The first name in the table wins where two share a value (IPPROTO_IP
  // before IPPROTO_HOPOPTS), so the order of kConstants matters here.
  auto first_with = [&](std::string_view prefix) -> std::string {
    for (auto const& c : kConstants)
      if (c.group == Group::protocol && c.value == protocol && c.name.starts_with(prefix))
        return lower(c.name.substr(prefix.size()));
    return {};
  };
  switch (family) {
    case AF_INET:
    case AF_INET6:
      return first_with("IPPROTO_");
    case AF_CAN:
      return first_with("CAN_");
    case AF_NETLINK:
      return first_with("NETLINK_");
    case AF_BLUETOOTH:
      for (auto const& [value, text] : kBluetoothProtocols)
        if (value == protocol) return std::string(text);
      return {};
    case AF_PACKET: {
      // AF_PACKET takes the ethertype in network byte order.
      auto host = static_cast<int>(((protocol & 0xff) << 8) | ((protocol >> 8) & 0xff));
      for (auto const& c : kConstants)
        if (c.group == Group::protocol && c.value == host && c.name.starts_with("ETH_P_"))
          return lower(c.name.substr(6));
      return {};
    }
    default:
      return {};
  }
}

std::span<Constant const> constants() { return kConstants; }

Constant const* find_constant(std::string_view name) {
  for (auto const& c : kConstants)
    if (iequals(c.name, name)) return &c;
  return nullptr;
}

Constant const* find_option(int level, int number) {
  for (auto const& c : kConstants)
    if (c.group == Group::option && c.level == level && c.value == number) return &c;
  return nullptr;
}

std::vector<Constant const*> constants_with_value(int64_t value, std::string_view prefix) {
  std::vector<Constant const*> out;
  for (auto const& c : kConstants)
    if (c.value == value && istarts_with(c.name, prefix)) out.push_back(&c);
  return out;
}

std::vector<Constant const*> constants_with_prefix(std::string_view prefix) {
  std::vector<Constant const*> out;
  for (auto const& c : kConstants)
    if (istarts_with(c.name, prefix)) out.push_back(&c);
  return out;
}

std::vector<std::string_view> suggest_constants(std::string_view wrong, bool options_only) {
  // A name typed without its prefix ("reuseaddr", "nodelay") is the commonest
  // slip; after that, names within a few edits, closest first.
  std::vector<std::pair<size_t, std::string_view>> scored;
  size_t const limit = std::max<size_t>(2, wrong.size() / 4);
  for (auto const& c : kConstants) {
    if (options_only && c.group != Group::option) continue;
    bool suffix = !wrong.empty() && c.name.size() > wrong.size() &&
                  c.name[c.name.size() - wrong.size() - 1] == '_' &&
                  iequals(c.name.substr(c.name.size() - wrong.size()), wrong);
    size_t d = suffix ? 0 : edit_distance(wrong, c.name, true);
    if (d <= limit) scored.emplace_back(d, c.name);
  }
  std::stable_sort(scored.begin(), scored.end(), [](auto const& a, auto const& b) { return a.first < b.first; });
  std::vector<std::string_view> out;
  for (auto const& [d, name] : scored) {
    if (out.size() == 3) break;
    if (std::find(out.begin(), out.end(), name) == out.end()) out.push_back(name);
  }
  return out;
}

std::string_view group_name(Group g) {
  switch (g) {
    case Group::family: return "family";
    case Group::socket_type: return "socket_type";
    case Group::level: return "level";
    case Group::protocol: return "protocol";
    case Group::option: return "option";
    case Group::option_value: return "option_value";
    case Group::message_flag: return "message_flag";
    case Group::control_message: return "control_message";
    case Group::shutdown: return "shutdown";
    case Group::addrinfo_flag: return "addrinfo_flag";
    case Group::nameinfo_flag: return "nameinfo_flag";
    case Group::addrinfo_error: return "addrinfo_error";
    case Group::address: return "address";
    case Group::limit: return "limit";
    case Group::other: return "other";
  }
  return "other";
}

std::string_view value_kind_name(OptValue k) {
  switch (k) {
    case OptValue::none: return "";
    case OptValue::int_: return "int";
    case OptValue::bool_: return "bool";
    case OptValue::u64: return "u64";
    case OptValue::bytes: return "bytes";
    case OptValue::text: return "text";
    case OptValue::ifname: return "ifname";
    case OptValue::ifindex: return "ifindex";
    case OptValue::ifindex_be: return "ifindex_be";
    case OptValue::linger: return "linger";
    case OptValue::timeval: return "timeval";
    case OptValue::ip_mreqn: return "ip_mreqn";
    case OptValue::ip_mreq_source: return "ip_mreq_source";
    case OptValue::ip_multicast_if: return "ip_multicast_if";
    case OptValue::ipv6_mreq: return "ipv6_mreq";
    case OptValue::packet_mreq: return "packet_mreq";
    case OptValue::can_filter: return "can_filter";
    case OptValue::optlen: return "optlen";
    case OptValue::flag: return "flag";
    case OptValue::readonly: return "readonly";
  }
  return "";
}

std::string_view value_syntax(OptValue k) {
  switch (k) {
    case OptValue::none: return "";
    case OptValue::int_: return "INT";
    case OptValue::bool_: return "0|1";
    case OptValue::u64: return "INT";
    case OptValue::bytes: return "x:HEX";
    case OptValue::text: return "TEXT";
    case OptValue::ifname: return "IFACE";
    case OptValue::ifindex: return "IFACE|INDEX";
    case OptValue::ifindex_be: return "IFACE|INDEX";
    case OptValue::linger: return "ON,SECS";
    case OptValue::timeval: return "SECS";
    case OptValue::ip_mreqn: return "GROUP[,IFADDR|IFACE]";
    case OptValue::ip_mreq_source: return "GROUP,SOURCE[,IFADDR]";
    case OptValue::ip_multicast_if: return "IFADDR|IFACE";
    case OptValue::ipv6_mreq: return "GROUP[,IFACE]";
    case OptValue::packet_mreq: return "IFACE,promisc|allmulti|multicast|unicast[,MAC]";
    case OptValue::can_filter: return "ID:MASK|ID~MASK[,...]";
    case OptValue::optlen: return "LEN";
    case OptValue::flag: return "(none)";
    case OptValue::readonly: return "(read only)";
  }
  return "";
}

std::string level_name(int level) {
  for (auto const& c : kConstants)
    if (c.group == Group::level && c.value == level) return std::string(c.name);
  if (level == AF_VSOCK) return "AF_VSOCK";
  return std::to_string(level);
}

}  // namespace sockctl
