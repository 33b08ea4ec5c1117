// names_test.cpp: the constant table: look-ups by name and by value, option
// levels and value forms, did-you-mean, and the table's own consistency.
#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <set>
#include <string>
#include <sys/socket.h>

#include "sockctl/names.hpp"

using namespace sockctl;

TEST_CASE("names: constants by name, case-insensitively") {
  struct Row {
    std::string name;
    std::string canonical;
    int64_t value;
    Group group;
    int level;
    OptValue kind;
  };
  Row const rows[] = {
      {"SO_REUSEADDR", "SO_REUSEADDR", 2, Group::option, 1, OptValue::bool_},
      {"so_reuseaddr", "SO_REUSEADDR", 2, Group::option, 1, OptValue::bool_},
      {"So_LiNgEr", "SO_LINGER", 13, Group::option, 1, OptValue::linger},
      {"SO_RCVTIMEO", "SO_RCVTIMEO", 20, Group::option, 1, OptValue::timeval},
      {"SO_BINDTODEVICE", "SO_BINDTODEVICE", 25, Group::option, 1, OptValue::ifname},
      {"SO_TYPE", "SO_TYPE", 3, Group::option, 1, OptValue::readonly},
      {"TCP_NODELAY", "TCP_NODELAY", 1, Group::option, 6, OptValue::bool_},
      {"TCP_CONGESTION", "TCP_CONGESTION", 13, Group::option, 6, OptValue::text},
      {"IP_TTL", "IP_TTL", 2, Group::option, 0, OptValue::int_},
      {"IP_ADD_MEMBERSHIP", "IP_ADD_MEMBERSHIP", 35, Group::option, 0, OptValue::ip_mreqn},
      {"IP_UNICAST_IF", "IP_UNICAST_IF", 50, Group::option, 0, OptValue::ifindex_be},
      {"IPV6_JOIN_GROUP", "IPV6_JOIN_GROUP", 20, Group::option, 41, OptValue::ipv6_mreq},
      {"IPV6_V6ONLY", "IPV6_V6ONLY", 26, Group::option, 41, OptValue::bool_},
      {"CAN_RAW_FD_FRAMES", "CAN_RAW_FD_FRAMES", 5, Group::option, 101, OptValue::bool_},
      {"CAN_RAW_FILTER", "CAN_RAW_FILTER", 1, Group::option, 101, OptValue::can_filter},
      {"TIPC_IMPORTANCE", "TIPC_IMPORTANCE", 127, Group::option, 271, OptValue::int_},
      {"TIPC_MCAST_BROADCAST", "TIPC_MCAST_BROADCAST", 133, Group::option, 271, OptValue::flag},
      {"BT_SECURITY", "BT_SECURITY", 4, Group::option, 274, OptValue::int_},
      {"bt_sndmtu", "BT_SNDMTU", 12, Group::option, 274, OptValue::readonly},
      {"ALG_SET_KEY", "ALG_SET_KEY", 1, Group::option, 279, OptValue::bytes},
      {"ALG_SET_AEAD_AUTHSIZE", "ALG_SET_AEAD_AUTHSIZE", 5, Group::option, 279, OptValue::optlen},
      {"PACKET_ADD_MEMBERSHIP", "PACKET_ADD_MEMBERSHIP", 1, Group::option, 263, OptValue::packet_mreq},
      {"NETLINK_ADD_MEMBERSHIP", "NETLINK_ADD_MEMBERSHIP", 1, Group::option, 270, OptValue::int_},
      {"SCTP_NODELAY", "SCTP_NODELAY", 3, Group::option, 132, OptValue::bool_},
      {"MPTCP_INFO", "MPTCP_INFO", 1, Group::option, 284, OptValue::readonly},
      {"SO_VM_SOCKETS_BUFFER_SIZE", "SO_VM_SOCKETS_BUFFER_SIZE", 0, Group::option, 40, OptValue::u64},
      {"UDPLITE_SEND_CSCOV", "UDPLITE_SEND_CSCOV", 10, Group::option, 136, OptValue::int_},
      {"SOL_SOCKET", "SOL_SOCKET", 1, Group::level, 0, OptValue::none},
      {"SOL_CAN_RAW", "SOL_CAN_RAW", 101, Group::level, 0, OptValue::none},
      {"SOL_TIPC", "SOL_TIPC", 271, Group::level, 0, OptValue::none},
      {"SOL_ALG", "SOL_ALG", 279, Group::level, 0, OptValue::none},
      {"AF_INET6", "AF_INET6", 10, Group::family, 0, OptValue::none},
      {"af_decnet", "AF_DECnet", 12, Group::family, 0, OptValue::none},
      {"SOCK_CLOEXEC", "SOCK_CLOEXEC", 0x80000, Group::socket_type, 0, OptValue::none},
      {"IPPROTO_MPTCP", "IPPROTO_MPTCP", 262, Group::protocol, 0, OptValue::none},
      {"MSG_NOSIGNAL", "MSG_NOSIGNAL", 0x4000, Group::message_flag, 0, OptValue::none},
      {"SCM_RIGHTS", "SCM_RIGHTS", 1, Group::control_message, 0, OptValue::none},
      {"SHUT_RDWR", "SHUT_RDWR", 2, Group::shutdown, 0, OptValue::none},
      {"AI_PASSIVE", "AI_PASSIVE", 1, Group::addrinfo_flag, 0, OptValue::none},
      {"NI_MAXHOST", "NI_MAXHOST", 1025, Group::limit, 0, OptValue::none},
      {"EAI_NONAME", "EAI_NONAME", -2, Group::addrinfo_error, 0, OptValue::none},
      {"INADDR_BROADCAST", "INADDR_BROADCAST", 0xffffffff, Group::address, 0, OptValue::none},
      {"INADDR_LOOPBACK", "INADDR_LOOPBACK", 0x7f000001, Group::address, 0, OptValue::none},
      {"CAN_EFF_FLAG", "CAN_EFF_FLAG", 0x80000000, Group::other, 0, OptValue::none},
      {"CAN_BCM_TX_SETUP", "CAN_BCM_TX_SETUP", 1, Group::other, 0, OptValue::none},
      {"TIPC_WAIT_FOREVER", "TIPC_WAIT_FOREVER", -1, Group::other, 0, OptValue::none},
      {"IP_PMTUDISC_DO", "IP_PMTUDISC_DO", 2, Group::option_value, 0, OptValue::none},
  };
  for (auto const& r : rows) {
    CAPTURE(r.name);
    auto* c = find_constant(r.name);
    REQUIRE(c);
    CHECK(c->name == r.canonical);
    CHECK(c->value == r.value);
    CHECK(c->group == r.group);
    CHECK(c->level == r.level);
    CHECK(c->kind == r.kind);
  }
}

TEST_CASE("names: unknown names are not found") {
  for (std::string name : {"", "SO_", "SO_REUSEADR", "REUSEADDR", "SO_REUSEADDR ", " SO_REUSEADDR", "SO-REUSEADDR",
                           "ALG_SET_PUBKEY", "2"}) {
    CAPTURE(name);
    CHECK(find_constant(name) == nullptr);
  }
}

TEST_CASE("names: every name is unique and every option's level has a name") {
  std::set<std::string> seen;
  for (auto const& c : constants()) {
    std::string upper(c.name);
    for (auto& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    CAPTURE(c.name);
    CHECK(seen.insert(upper).second);
    CHECK((c.group == Group::option) == (c.kind != OptValue::none));
    if (c.group == Group::option) {
      std::string level = level_name(c.level);
      CHECK((level.starts_with("SOL_") || level == "AF_VSOCK"));
      CHECK(find_option(c.level, static_cast<int>(c.value)) != nullptr);
    }
  }
  CHECK(seen.size() > 700);
}

TEST_CASE("names: options by level and number") {
  struct Row {
    int level, number;
    std::string name;  // "" = none
  };
  Row const rows[] = {
      {1, 2, "SO_REUSEADDR"}, {6, 1, "TCP_NODELAY"}, {0, 2, "IP_TTL"}, {41, 26, "IPV6_V6ONLY"},
      {101, 1, "CAN_RAW_FILTER"}, {271, 127, "TIPC_IMPORTANCE"}, {1, 9999, ""}, {9999, 1, ""},
      // Aliases share a number; the first in the table answers.
      {1, 20, "SO_RCVTIMEO"}, {41, 20, "IPV6_ADD_MEMBERSHIP"},
  };
  for (auto const& r : rows) {
    CAPTURE(r.name);
    auto* c = find_option(r.level, r.number);
    if (r.name.empty()) {
      CHECK(c == nullptr);
    } else {
      REQUIRE(c);
      CHECK(c->name == r.name);
    }
  }
}

TEST_CASE("names: constants by value, filtered by prefix") {
  auto names = [](std::vector<Constant const*> const& v) {
    std::set<std::string> out;
    for (auto* c : v) out.insert(std::string(c->name));
    return out;
  };
  CHECK(names(constants_with_value(2, "SO_")) ==
        std::set<std::string>{"SO_REUSEADDR", "SO_J1939_PROMISC", "SO_VM_SOCKETS_BUFFER_MAX_SIZE"});
  CHECK(names(constants_with_value(2, "so_reuse")) == std::set<std::string>{"SO_REUSEADDR"});
  CHECK(names(constants_with_value(10, "AF_")) == std::set<std::string>{"AF_INET6"});
  CHECK(names(constants_with_value(-2, "EAI_")) == std::set<std::string>{"EAI_NONAME"});
  CHECK(names(constants_with_value(0xffffffff, "INADDR_")) ==
        std::set<std::string>{"INADDR_BROADCAST", "INADDR_NONE"});
  CHECK(constants_with_value(123456789).empty());
  auto all2 = names(constants_with_value(2));
  for (std::string n : {"AF_INET", "SOCK_DGRAM", "SO_REUSEADDR", "IP_TTL", "SHUT_RDWR", "MSG_PEEK"})
    CHECK(all2.count(n) == 1);
}

TEST_CASE("names: constants by prefix") {
  auto shut = constants_with_prefix("shut_");
  REQUIRE(shut.size() == 3);
  CHECK(shut[0]->name == "SHUT_RD");
  CHECK(constants_with_prefix("").size() == constants().size());
  CHECK(constants_with_prefix("NO_SUCH_PREFIX_").empty());
  for (auto* c : constants_with_prefix("CAN_RAW_")) CHECK(c->name.starts_with("CAN_RAW_"));
}

TEST_CASE("names: did you mean") {
  struct Row {
    std::string wrong;
    bool options_only;
    std::string first;  // "" = no suggestion
  };
  Row const rows[] = {
      {"SO_REUSEADR", false, "SO_REUSEADDR"},
      {"so_reuseadr", true, "SO_REUSEADDR"},
      {"reuseaddr", true, "SO_REUSEADDR"},
      {"nodelay", true, "TCP_NODELAY"},
      {"TCP_NODELY", true, "TCP_NODELAY"},
      {"IP_TLL", true, "IP_TTL"},
      {"AF_INTE6", false, "AF_INET6"},
      {"CAN_RAW_FD_FRAME", true, "CAN_RAW_FD_FRAMES"},
      {"xyzzy", false, ""},
      {"", false, ""},
  };
  for (auto const& r : rows) {
    CAPTURE(r.wrong);
    auto s = suggest_constants(r.wrong, r.options_only);
    if (r.first.empty()) {
      CHECK(s.empty());
    } else {
      REQUIRE(!s.empty());
      CHECK(s.front() == r.first);
      CHECK(s.size() <= 3);
    }
  }
  // Options only: AF_INET is not offered for a misspelt option.
  for (auto n : suggest_constants("AF_INET", true)) CHECK(find_constant(n)->group == Group::option);
}

TEST_CASE("names: protocol names by family") {
  struct Row {
    int family, protocol;
    std::string name;
  };
  Row const rows[] = {
      {AF_INET, 6, "tcp"},         {AF_INET6, 17, "udp"},        {AF_INET6, 0, "ip"},
      {AF_INET, 1, "icmp"},        {AF_INET6, 58, "icmpv6"},     {AF_INET, 262, "mptcp"},
      {AF_INET, 132, "sctp"},      {AF_INET, 255, "raw"},        {AF_INET, 999, ""},
      {AF_CAN, 1, "raw"},          {AF_CAN, 2, "bcm"},           {AF_CAN, 6, "isotp"},
      {AF_NETLINK, 0, "route"},    {AF_NETLINK, 16, "generic"},  {AF_BLUETOOTH, 3, "rfcomm"},
      {AF_BLUETOOTH, 0, "l2cap"},  {AF_PACKET, htons(0x0806), "arp"}, {AF_PACKET, htons(3), "all"},
      {AF_UNIX, 0, ""},            {AF_TIPC, 0, ""},             {AF_UNSPEC, 6, ""},
  };
  for (auto const& r : rows) {
    CAPTURE(r.family);
    CAPTURE(r.protocol);
    CHECK(protocol_name(r.family, r.protocol) == r.name);
  }
}

TEST_CASE("names: level names") {
  struct Row {
    int level;
    std::string name;
  };
  Row const rows[] = {{1, "SOL_SOCKET"},   {0, "SOL_IP"},     {6, "SOL_TCP"},    {17, "SOL_UDP"},
                      {41, "SOL_IPV6"},    {132, "SOL_SCTP"}, {101, "SOL_CAN_RAW"}, {271, "SOL_TIPC"},
                      {279, "SOL_ALG"},    {263, "SOL_PACKET"}, {270, "SOL_NETLINK"}, {40, "AF_VSOCK"},
                      {9999, "9999"}};
  for (auto const& r : rows) CHECK(level_name(r.level) == r.name);
}

TEST_CASE("names: families and types agree with the table") {
  for (auto const& c : constants()) {
    if (c.group != Group::family || !c.name.starts_with("AF_")) continue;
    CAPTURE(c.name);
    auto v = family_from_name(c.name);
    if (c.name == "AF_LOCAL" || c.name == "AF_FILE" || c.name == "AF_ROUTE") continue;  // aliases
    REQUIRE(v);
    CHECK(*v == c.value);
  }
  CHECK(family_name(AF_INET6) == "inet6");
  CHECK(family_name(12345) == "12345");
  CHECK(type_name(SOCK_SEQPACKET) == "seqpacket");
  CHECK(type_from_name("SOCK_DGRAM") == SOCK_DGRAM);
}

TEST_CASE("names: every value form has a name and a syntax") {
  for (auto const& c : constants()) {
    if (c.group != Group::option) continue;
    CAPTURE(c.name);
    CHECK(!value_kind_name(c.kind).empty());
    CHECK(!value_syntax(c.kind).empty());
    CHECK(!group_name(c.group).empty());
  }
}
