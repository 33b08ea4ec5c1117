// netlink.hpp: raw netlink requests and their replies, for
// `connect netlink:PROTO`: each input line is the hex of one datagram of
// netlink messages; the kernel's replies are split into messages, and the
// exchange knows when every request has had its answer (a dump's
// NLMSG_DONE, an acknowledgement, a single reply), since netlink has no EOF.
// See: netlink(7), rtnetlink(7), linux/netlink.h.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sockctl/error.hpp"
#include "sockctl/socket.hpp"

namespace sockctl::netlink {

/// One line of input as the datagram to send: hex (any form hex_decode
/// takes) of one or more messages, each starting with a 16-byte nlmsghdr.
/// A message whose nlmsg_len is 0 is given the length of the bytes left, so a
/// request can be typed without counting. Bad hex or a length that does not
/// fit exits 65, naming the line.
Result<std::vector<std::byte>> parse_request(std::string_view line);

/// The header of one message, and its bytes (header included).
struct Message {
  uint32_t len = 0;
  uint16_t type = 0, flags = 0;
  uint32_t seq = 0, pid = 0;
  int error = 0;  // NLMSG_ERROR: the errno it carries (0 = an acknowledgement)
  std::span<std::byte const> bytes;
};

/// The messages of a datagram. A header that lies about its length exits 65.
Result<std::vector<Message>> split(std::span<std::byte const> datagram);

/// The message in `ip monitor`'s words, as sniff --netlink prints it
/// ("rtnetlink new link 1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 ...").
std::string summary(Message const& m, int protocol);
/// The decoded message as JSON members, "netlink":{...}, as sniff --json has them.
std::string json_members(Message const& m, int protocol);

/// What is still owed an answer: requests sent, replies not yet complete.
class Exchange {
 public:
  /// Notes the requests in a datagram being sent (already checked by
  /// parse_request). A dump waits for NLMSG_DONE, NLM_F_ACK for an
  /// NLMSG_ERROR, any other request for one reply; other messages wait for nothing.
  void sent(std::span<Message const> requests);
  /// Notes a reply message; errors (NLMSG_ERROR with a non-zero errno) are kept.
  void received(Message const& reply);
  /// True while some request has not had its answer.
  bool waiting() const { return !pending_.empty(); }
  /// The first error the kernel answered with: "netlink request seq N: WHY".
  std::optional<Error> const& error() const { return error_; }

 private:
  enum class Wait { done, ack, reply };
  struct Pending {
    uint32_t seq;
    uint16_t type;
    Wait wait;
  };
  std::deque<Pending> pending_;
  std::optional<Error> error_;
};

struct ExchangeOptions {
  int input = 0;                  // descriptor the request lines are read from
  std::optional<double> idle;     // after input's EOF, give up waiting after this much silence (exit 75)
  bool watch = false;             // groups joined: after the answers, notifications until idle silence (exit 0)
};

/// Joins each multicast group set in groups (group g is bit 1 << (g - 1),
/// as in sockaddr_nl.nl_groups) with NETLINK_ADD_MEMBERSHIP.
Result<void> subscribe(Socket& sock, std::uint32_t groups);

/// Sends each request line read from opts.input on sock, hands every reply
/// message to on_reply, and returns once input has ended and every request
/// has its answer. The kernel's first error is returned last (after every
/// reply was handed on); no answer within opts.idle exits 75. With
/// opts.watch it goes on handing over messages (notifications) until
/// opts.idle passes in silence, or forever without it.
Result<void> exchange(Socket& sock, ExchangeOptions const& opts,
                      std::function<Result<void>(Message const&)> const& on_reply);

}  // namespace sockctl::netlink
