// family_traits.hpp: where families differ in ways a relay must know: which
// have a real half-close, which run message sockets without connections,
// how large one message may be, which send() flags they refuse.
// See: tipc(7) of tipc-utils, net/bluetooth/l2cap_sock.c, RFC 4960 section 9
// (SCTP has no half-closed state), RFC 6458 (SCTP sockets API), net/rds/send.c.
#pragma once

#include <cstddef>
#include <span>

#include "sockctl/error.hpp"
#include "sockctl/socket.hpp"

namespace sockctl {

/// True when shutdown(SHUT_WR) passes EOF on and the peer can still answer
/// (TCP, unix, vsock, ...). TIPC refuses SHUT_WR, Bluetooth L2CAP, RFCOMM and
/// SCO close the whole channel, SCTP has no half-closed state: over these a
/// relay keeps reading the reply after its own EOF instead.
bool has_half_close(int family, int type, int protocol);

/// True for sockets of a connection type that the kernel runs one-to-many,
/// without listen() or accept(): RDS (SOCK_SEQPACKET).
bool is_connectionless_family(int family, int type);

/// The largest message one send() on this socket takes: L2CAP's outgoing
/// MTU (BT_SNDMTU; seqpacket and stream alike), otherwise fallback.
std::size_t message_limit(int fd, int family, int type, int protocol, std::size_t fallback);

/// True when the peer's ordinary close reaches a reader as ECONNRESET, not
/// EOF: RFCOMM and L2CAP report a channel the remote closed that way.
bool closes_with_reset(int family);

/// True when close() alone tells the peer of an error, and only
/// shutdown(SHUT_RDWR) first ends the connection as EOF: TIPC stream and
/// seqpacket (close sends TIPC_ERR_NO_PORT, shutdown TIPC_CONN_SHUTDOWN).
bool closes_with_shutdown(int family, int type);

/// flags without those the family refuses: RDS accepts only MSG_DONTWAIT
/// (it fails MSG_NOSIGNAL with EOPNOTSUPP).
int send_flags(int family, int flags);

/// True when send() on a connected socket cannot find the peer and every
/// message must name it: one-to-many SCTP (SOCK_SEQPACKET) sockets, where
/// send() without an address fails with EPIPE.
bool sends_need_address(int family, int type, int protocol);

/// True when the socket must be bound to a local address before it sends:
/// RDS picks its transport from the bound address and refuses (ENOTCONN) to
/// send from an unbound socket; nor does it accept the wildcard.
bool needs_bound_source(int family);

/// Asks the kernel to say when a peer leaves where no EOF would: a one-to-many
/// SCTP socket reports associations ending as SCTP_ASSOC_CHANGE notifications
/// (recvmsg's MSG_NOTIFICATION). Other sockets are left alone.
Result<void> report_peers_leaving(Socket& s);

/// True when one socket binds every address of a name (multi-homing): SCTP.
/// Other families get one socket per address.
bool binds_addresses_together(int family, int protocol);

/// Adds more local addresses to a bound multi-homed (SCTP) socket, as
/// sctp_bindx(SCTP_BINDX_ADD_ADDR) does.
Result<void> bind_more(Socket& s, std::span<SockAddr const> more);

/// recvmsg's msg_flags bit on an event of the socket rather than data:
/// SCTP's MSG_NOTIFICATION (linux/sctp.h; glibc's headers lack it).
inline constexpr int kMsgNotification = 0x8000;

/// True when a message flagged kMsgNotification says its association ended
/// (shut down, lost, or never started): the peer's EOF.
bool is_peer_gone(std::span<std::byte const> notification);

}  // namespace sockctl
