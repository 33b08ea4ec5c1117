// names.cpp: families and socket types by name. See: socket(2), address_families(7).
#include "sockctl/names.hpp"

#include <array>
#include <charconv>
#include <sys/socket.h>
#include <utility>

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

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
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

}  // namespace sockctl
