// sockopt_test.cpp: -O NAME=VALUE to setsockopt's level, name and optval
// bytes for every value form; the refusals and their exit codes; and
// applying options to a real socket.
#include <doctest/doctest.h>

#include <netinet/in.h>
#include <string>
#include <sys/socket.h>

#include "sockctl/hex.hpp"
#include "sockctl/socket.hpp"
#include "sockctl/sockopt.hpp"

using namespace sockctl;

TEST_CASE("sockopt: parses every value form into the kernel's bytes") {
  struct Row {
    std::string text;
    int level, option;
    std::string name;
    OptValue kind;
    std::string optval;  // hex, native byte order of this (little-endian) machine
  };
  Row const rows[] = {
      {"SO_REUSEADDR=1", 1, 2, "SO_REUSEADDR", OptValue::bool_, "01000000"},
      {"so_reuseaddr=on", 1, 2, "SO_REUSEADDR", OptValue::bool_, "01000000"},
      {"SO_KEEPALIVE=false", 1, 9, "SO_KEEPALIVE", OptValue::bool_, "00000000"},
      {"SO_RCVBUF=65536", 1, 8, "SO_RCVBUF", OptValue::int_, "00000100"},
      {"SO_RCVBUF=0x10000", 1, 8, "SO_RCVBUF", OptValue::int_, "00000100"},
      {"SO_PRIORITY=-1", 1, 12, "SO_PRIORITY", OptValue::int_, "ffffffff"},
      {"SO_MARK=4294967295", 1, 36, "SO_MARK", OptValue::int_, "ffffffff"},
      {"SO_LINGER=on,5", 1, 13, "SO_LINGER", OptValue::linger, "0100000005000000"},
      {"SO_LINGER=0,0", 1, 13, "SO_LINGER", OptValue::linger, "0000000000000000"},
      {"SO_RCVTIMEO=1.5", 1, 20, "SO_RCVTIMEO", OptValue::timeval, "010000000000000020a1070000000000"},
      {"SO_SNDTIMEO=2", 1, 21, "SO_SNDTIMEO", OptValue::timeval, "02000000000000000000000000000000"},
      {"SO_RCVTIMEO=0.000001", 1, 20, "SO_RCVTIMEO", OptValue::timeval, "00000000000000000100000000000000"},
      {"SO_BINDTODEVICE=lo", 1, 25, "SO_BINDTODEVICE", OptValue::ifname, "6c6f"},
      {"SO_BINDTODEVICE=", 1, 25, "SO_BINDTODEVICE", OptValue::ifname, ""},
      {"SO_BINDTOIFINDEX=1", 1, 62, "SO_BINDTOIFINDEX", OptValue::ifindex, "01000000"},
      {"TCP_NODELAY=1", 6, 1, "TCP_NODELAY", OptValue::bool_, "01000000"},
      {"TCP_CONGESTION=cubic", 6, 13, "TCP_CONGESTION", OptValue::text, "6375626963"},
      {"IP_TTL=64", 0, 2, "IP_TTL", OptValue::int_, "40000000"},
      {"IP_MTU_DISCOVER=IP_PMTUDISC_DO", 0, 10, "IP_MTU_DISCOVER", OptValue::int_, "02000000"},
      {"IP_ADD_MEMBERSHIP=224.1.2.3", 0, 35, "IP_ADD_MEMBERSHIP", OptValue::ip_mreqn, "e00102030000000000000000"},
      {"IP_ADD_MEMBERSHIP=224.1.2.3,10.0.0.1", 0, 35, "IP_ADD_MEMBERSHIP", OptValue::ip_mreqn,
       "e00102030a00000100000000"},
      {"IP_DROP_MEMBERSHIP=224.1.2.3,7", 0, 36, "IP_DROP_MEMBERSHIP", OptValue::ip_mreqn, "e00102030000000007000000"},
      {"IP_MULTICAST_IF=10.0.0.1", 0, 32, "IP_MULTICAST_IF", OptValue::ip_multicast_if, "000000000a00000100000000"},
      {"IP_MULTICAST_IF=3", 0, 32, "IP_MULTICAST_IF", OptValue::ip_multicast_if, "000000000000000003000000"},
      {"IP_ADD_SOURCE_MEMBERSHIP=232.1.1.1,10.0.0.2", 0, 39, "IP_ADD_SOURCE_MEMBERSHIP", OptValue::ip_mreq_source,
       "e8010101000000000a000002"},
      {"IP_ADD_SOURCE_MEMBERSHIP=232.1.1.1,10.0.0.2,10.0.0.1", 0, 39, "IP_ADD_SOURCE_MEMBERSHIP",
       OptValue::ip_mreq_source, "e80101010a0000010a000002"},
      {"IP_UNICAST_IF=2", 0, 50, "IP_UNICAST_IF", OptValue::ifindex_be, "00000002"},
      {"IPV6_JOIN_GROUP=ff02::1,2", 41, 20, "IPV6_JOIN_GROUP", OptValue::ipv6_mreq,
       "ff02000000000000000000000000000102000000"},
      {"IPV6_V6ONLY=yes", 41, 26, "IPV6_V6ONLY", OptValue::bool_, "01000000"},
      {"IPV6_MULTICAST_IF=5", 41, 17, "IPV6_MULTICAST_IF", OptValue::ifindex, "05000000"},
      {"PACKET_ADD_MEMBERSHIP=2,promisc", 263, 1, "PACKET_ADD_MEMBERSHIP", OptValue::packet_mreq,
       "02000000010000000000000000000000"},
      {"PACKET_ADD_MEMBERSHIP=2,multicast,01:00:5e:00:00:01", 263, 1, "PACKET_ADD_MEMBERSHIP",
       OptValue::packet_mreq, "02000000000006000100" "5e0000010000"},
      {"CAN_RAW_FILTER=123:7FF", 101, 1, "CAN_RAW_FILTER", OptValue::can_filter, "23010000ff070000"},
      {"CAN_RAW_FILTER=123~7FF,200:700", 101, 1, "CAN_RAW_FILTER", OptValue::can_filter,
       "23010020ff0700000002000000070000"},
      {"CAN_RAW_FILTER=", 101, 1, "CAN_RAW_FILTER", OptValue::can_filter, ""},
      {"CAN_RAW_FD_FRAMES=1", 101, 5, "CAN_RAW_FD_FRAMES", OptValue::bool_, "01000000"},
      {"CAN_RAW_ERR_FILTER=0x1fffffff", 101, 2, "CAN_RAW_ERR_FILTER", OptValue::int_, "ffffff1f"},
      {"TIPC_IMPORTANCE=TIPC_HIGH_IMPORTANCE", 271, 127, "TIPC_IMPORTANCE", OptValue::int_, "02000000"},
      {"TIPC_MCAST_BROADCAST", 271, 133, "TIPC_MCAST_BROADCAST", OptValue::flag, ""},
      {"BT_SECURITY=BT_SECURITY_MEDIUM", 274, 4, "BT_SECURITY", OptValue::int_, "02000000"},
      {"BT_FLUSHABLE=on", 274, 8, "BT_FLUSHABLE", OptValue::bool_, "01000000"},
      {"TIPC_GROUP_LEAVE=", 271, 136, "TIPC_GROUP_LEAVE", OptValue::flag, ""},
      {"ALG_SET_KEY=x:00112233", 279, 1, "ALG_SET_KEY", OptValue::bytes, "00112233"},
      {"SO_ATTACH_FILTER=x:", 1, 26, "SO_ATTACH_FILTER", OptValue::bytes, ""},
      {"SO_REUSEADDR=x:01:00:00:00", 1, 2, "SO_REUSEADDR", OptValue::bytes, "01000000"},
      {"SO_VM_SOCKETS_BUFFER_SIZE=65536", 40, 0, "SO_VM_SOCKETS_BUFFER_SIZE", OptValue::u64, "0000010000000000"},
      {"6:1=1", 6, 1, "TCP_NODELAY", OptValue::bool_, "01000000"},
      {"SOL_TCP:TCP_NODELAY=1", 6, 1, "TCP_NODELAY", OptValue::bool_, "01000000"},
      {"IPPROTO_TCP:1=on", 6, 1, "TCP_NODELAY", OptValue::bool_, "01000000"},
      {"SOL_SOCKET:TCP_NODELAY=1", 1, 1, "SO_DEBUG", OptValue::bool_, "01000000"},
      {"6:99=5", 6, 99, "6:99", OptValue::int_, "05000000"},
      {"6:99=x:0102", 6, 99, "6:99", OptValue::bytes, "0102"},
      {"0x6:0x63=-2", 6, 99, "6:99", OptValue::int_, "feffffff"},
  };
  for (auto const& r : rows) {
    CAPTURE(r.text);
    auto o = parse_sockopt(r.text);
    if (!o) FAIL(o.error().message());
    CHECK(o->text == r.text);
    CHECK(o->level == r.level);
    CHECK(o->option == r.option);
    CHECK(o->name == r.name);
    CHECK(o->kind == r.kind);
    CHECK(hex_encode(o->optval) == r.optval);
    CHECK(!o->null_len);
  }
}

TEST_CASE("sockopt: none:LEN and optlen options pass a NULL optval") {
  struct Row {
    std::string text;
    socklen_t len;
  };
  Row const rows[] = {{"ALG_SET_AEAD_AUTHSIZE=16", 16}, {"6:99=none:8", 8}, {"SO_REUSEADDR=none:0", 0}};
  for (auto const& r : rows) {
    CAPTURE(r.text);
    auto o = parse_sockopt(r.text);
    REQUIRE(o);
    REQUIRE(o->null_len);
    CHECK(*o->null_len == r.len);
    CHECK(o->optval.empty());
  }
}

TEST_CASE("sockopt: refuses bad names and values, naming them") {
  struct Row {
    std::string text;
    Exit exit;
    std::string fragment;  // in "what: why"
  };
  Row const rows[] = {
      {"SO_REUSEADR=1", Exit::usage,
       "unknown socket option 'SO_REUSEADR' in 'SO_REUSEADR=1', did you mean 'SO_REUSEADDR'?"},
      {"reuseaddr=1", Exit::usage, "did you mean 'SO_REUSEADDR'?"},
      {"nodelay=1", Exit::usage, "did you mean 'TCP_NODELAY', 'SCTP_NODELAY' or 'TIPC_NODELAY'?"},
      {"XYZZY=1", Exit::usage, "unknown socket option 'XYZZY' in 'XYZZY=1'"},
      {"=1", Exit::usage, "bad socket option '=1': missing NAME before '='"},
      {"SO_REUSEADDR", Exit::usage, "bad socket option 'SO_REUSEADDR': missing '=VALUE'; SO_REUSEADDR takes 0|1"},
      {"SO_REUSEADDR=maybe", Exit::usage, "'maybe' is not 0, 1, on, off, yes, no, true or false"},
      {"SO_RCVBUF=abc", Exit::usage, "'abc' is neither a number nor a known constant"},
      {"SO_RCVBUF=SO_RCVBUG", Exit::usage, "did you mean 'SO_RCVBUF'?"},
      {"SO_RCVBUF=12x", Exit::usage, "'12x' is not a number"},
      {"SO_RCVBUF=", Exit::usage, "bad socket option 'SO_RCVBUF='"},
      {"SO_RCVBUF=4294967296", Exit::usage, "4294967296 does not fit a C int"},
      {"SO_RCVBUF=-2147483649", Exit::usage, "does not fit a C int"},
      {"SO_LINGER=5", Exit::usage, "bad socket option 'SO_LINGER=5': SO_LINGER takes ON,SECS"},
      {"SO_LINGER=on,5,6", Exit::usage, "SO_LINGER takes ON,SECS"},
      {"SO_LINGER=on,-1", Exit::usage, "linger time '-1' is not a number of seconds"},
      {"SO_LINGER=perhaps,1", Exit::usage, "'perhaps' is not 0, 1"},
      {"SO_RCVTIMEO=1.2345678", Exit::usage, "'1.2345678' is not a number of seconds (up to six decimals)"},
      {"SO_RCVTIMEO=-1", Exit::usage, "'-1' is not a number of seconds"},
      {"SO_RCVTIMEO=1.", Exit::usage, "'1.' is not a number of seconds"},
      {"SO_RCVTIMEO=.5", Exit::usage, "'.5' is not a number of seconds"},
      {"SO_RCVTIMEO=0x10", Exit::usage, "'0x10' is not a number of seconds"},
      {"SO_TYPE=1", Exit::usage, "SO_TYPE can only be read (getsockopt)"},
      {"TCP_INFO=x:00", Exit::usage, "TCP_INFO can only be read"},
      {"SO_ATTACH_FILTER=1", Exit::usage, "SO_ATTACH_FILTER takes x:HEX (a C struct)"},
      {"SO_BINDTODEVICE=abcdefghijklmnop", Exit::usage, "interface name 'abcdefghijklmnop' is longer than 15 characters"},
      {"IP_ADD_MEMBERSHIP=224.1.2", Exit::usage, "group '224.1.2' is not an IPv4 address"},
      {"IP_ADD_MEMBERSHIP=224.1.2.3,lo,1", Exit::usage, "IP_ADD_MEMBERSHIP takes GROUP[,IFADDR|IFACE]"},
      {"IP_ADD_MEMBERSHIP=224.1.2.3,no-such-if0", Exit::unavailable,
       "interface 'no-such-if0' in socket option 'IP_ADD_MEMBERSHIP=224.1.2.3,no-such-if0': no such interface"},
      {"IP_ADD_SOURCE_MEMBERSHIP=232.1.1.1", Exit::usage, "takes GROUP,SOURCE[,IFADDR]"},
      {"IP_ADD_SOURCE_MEMBERSHIP=232.1.1.1,x", Exit::usage, "source 'x' is not an IPv4 address"},
      {"IPV6_JOIN_GROUP=1.2.3.4", Exit::usage, "group '1.2.3.4' is not an IPv6 address"},
      {"IPV6_JOIN_GROUP=ff02::1,4294967296", Exit::usage, "interface index 4294967296 is too large"},
      {"PACKET_ADD_MEMBERSHIP=1,sometimes", Exit::usage, "membership type 'sometimes' is not promisc"},
      {"PACKET_ADD_MEMBERSHIP=1", Exit::usage, "takes IFACE,promisc|allmulti|multicast|unicast[,MAC]"},
      {"PACKET_ADD_MEMBERSHIP=1,multicast,zz", Exit::data,
       "bad hex 'zz' in socket option 'PACKET_ADD_MEMBERSHIP=1,multicast,zz'"},
      {"PACKET_ADD_MEMBERSHIP=1,multicast,00:11:22:33:44:55:66:77:88", Exit::usage, "longer than 8 bytes"},
      {"CAN_RAW_FILTER=123", Exit::usage, "filter '123' is not ID:MASK or ID~MASK"},
      {"CAN_RAW_FILTER=123456789:7ff", Exit::usage, "filter '123456789:7ff' needs hex ID and MASK of up to 8 digits"},
      {"CAN_RAW_FILTER=123:", Exit::usage, "needs hex ID and MASK"},
      {"CAN_RAW_FILTER=12g:7ff", Exit::usage, "needs hex ID and MASK"},
      {"TIPC_MCAST_BROADCAST=1", Exit::usage, "TIPC_MCAST_BROADCAST takes no value"},
      {"ALG_SET_KEY=x:abc", Exit::data, "bad hex 'x:abc' in socket option 'ALG_SET_KEY=x:abc': odd number of hex digits (3)"},
      {"ALG_SET_KEY=secret", Exit::usage, "ALG_SET_KEY takes x:HEX"},
      {"ALG_SET_AEAD_AUTHSIZE=-1", Exit::usage, "ALG_SET_AEAD_AUTHSIZE takes a length, '-1' is not one"},
      {"AF_INET=2", Exit::usage, "AF_INET is a constant of group family, not a socket option"},
      {"SOL_FOO:1=1", Exit::usage, "unknown level 'SOL_FOO' in socket option 'SOL_FOO:1=1'"},
      {"SOL_TPC:1=1", Exit::usage, "did you mean 'SOL_TCP'"},
      {"-1:1=1", Exit::usage, "unknown level '-1'"},
      {"6:TCP_NODELAI=1", Exit::usage, "unknown socket option 'TCP_NODELAI' in '6:TCP_NODELAI=1', did you mean 'TCP_NODELAY'?"},
      {"6:AF_INET=1", Exit::usage, "unknown socket option 'AF_INET'"},
      {"6:99=abc", Exit::usage, "bad socket option '6:99=abc': 'abc' is neither a number nor a known constant"},
      {"41:20=ff02::1,1,2", Exit::usage, "IPV6_ADD_MEMBERSHIP takes GROUP[,IFACE]"},
      {"6:99=none:x", Exit::usage, "length 'x' is not a number"},
      {"SO_VM_SOCKETS_BUFFER_SIZE=-1", Exit::usage, "'-1' is not an unsigned 64-bit number"},
  };
  for (auto const& r : rows) {
    CAPTURE(r.text);
    auto o = parse_sockopt(r.text);
    REQUIRE_FALSE(o);
    CHECK(o.error().exit == r.exit);
    CHECK_MESSAGE(o.error().message().find(r.fragment) != std::string::npos, o.error().message());
  }
}

TEST_CASE("sockopt: parse_sockopts stops at the first bad one") {
  std::vector<std::string> good{"SO_REUSEADDR=1", "TCP_NODELAY=1"};
  auto all = parse_sockopts(good);
  REQUIRE(all);
  CHECK(all->size() == 2);
  std::vector<std::string> bad{"SO_REUSEADDR=1", "SO_BOGUS=1", "IP_TTL=x"};
  auto fails = parse_sockopts(bad);
  REQUIRE_FALSE(fails);
  CHECK(fails.error().what.find("SO_BOGUS") != std::string::npos);
}

TEST_CASE("sockopt: applies options to a real socket, and maps the kernel's refusals") {
  auto s = Socket::open(AF_INET, SOCK_DGRAM, 0);
  REQUIRE(s);
  std::vector<std::string> texts{"SO_REUSEADDR=1", "SO_RCVBUF=65536", "IP_TTL=7", "SO_LINGER=on,3",
                                 "SO_RCVTIMEO=1.25", "IP_MTU_DISCOVER=IP_PMTUDISC_DO"};
  auto opts = parse_sockopts(texts);
  REQUIRE(opts);
  REQUIRE(apply_sockopts(*s, *opts));
  CHECK(*s->getsockopt_int(SOL_SOCKET, SO_REUSEADDR) == 1);
  CHECK(*s->getsockopt_int(SOL_SOCKET, SO_RCVBUF) >= 65536);
  CHECK(*s->getsockopt_int(IPPROTO_IP, IP_TTL) == 7);
  CHECK(*s->getsockopt_int(IPPROTO_IP, IP_MTU_DISCOVER) == IP_PMTUDISC_DO);
  ::linger l{};
  socklen_t len = sizeof l;
  REQUIRE(::getsockopt(s->fd(), SOL_SOCKET, SO_LINGER, &l, &len) == 0);
  CHECK(l.l_onoff == 1);
  CHECK(l.l_linger == 3);
  ::timeval tv{};
  len = sizeof tv;
  REQUIRE(::getsockopt(s->fd(), SOL_SOCKET, SO_RCVTIMEO, &tv, &len) == 0);
  CHECK(tv.tv_sec == 1);
  // The kernel keeps timeouts in jiffies: 1.25 s comes back rounded to a tick.
  CHECK(tv.tv_usec >= 240000);
  CHECK(tv.tv_usec <= 260000);

  struct Row {
    std::string text;
    Exit exit;
    std::string fragment;
  };
  Row const refusals[] = {
      {"SOL_SOCKET:9999=1", Exit::unavailable, "set socket option 'SOL_SOCKET:9999=1'"},
      {"IP_TTL=300", Exit::usage, "set socket option 'IP_TTL=300': Invalid argument"},
      {"TCP_NODELAY=1", Exit::unavailable, "Protocol not available"},
  };
  for (auto const& r : refusals) {
    CAPTURE(r.text);
    auto o = parse_sockopt(r.text);
    REQUIRE(o);
    auto applied = apply_sockopts(*s, std::span(&*o, 1));
    REQUIRE_FALSE(applied);
    CHECK(applied.error().exit == r.exit);
    CHECK_MESSAGE(applied.error().message().find(r.fragment) != std::string::npos, applied.error().message());
  }
  s->set_label("udp4:127.0.0.1:9");
  auto o = parse_sockopt("IP_TTL=300");
  REQUIRE(o);
  auto applied = apply_sockopts(*s, std::span(&*o, 1));
  REQUIRE_FALSE(applied);
  CHECK(applied.error().what == "set socket option 'IP_TTL=300' on 'udp4:127.0.0.1:9'");
}
