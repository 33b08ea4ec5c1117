// session_events.cpp: the events listen and connect share. JSON keys are
// documented in sockctl-listen(1) and sockctl-connect(1).
#include "session_events.hpp"

#include <sys/socket.h>
#include <sys/wait.h>

#include <fmt/format.h>

#include "sockctl/payload.hpp"
#include "sockctl/spawn.hpp"

namespace sockctl::cmd {

namespace {

std::string human_bytes(uint64_t n) {
  static constexpr char const* kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  double v = static_cast<double>(n);
  int u = 0;
  while (v >= 1024 && u < 4) {
    v /= 1024;
    ++u;
  }
  return u == 0 ? fmt::format("{} B", n) : fmt::format("{:.1f} {}", v, kUnits[u]);
}

}  // namespace

std::function<Result<void>(std::span<std::byte const>, SockAddr const*)> data_events(Output& out, Scheme const& scheme,
                                                                                     std::optional<SockAddr> peer) {
  return [&out, &scheme, peer](std::span<std::byte const> data, SockAddr const* from) -> Result<void> {
    // A message socket's reads are datagrams even when the sender has no
    // address (an unbound unix-dgram socket).
    auto ev = out.event(from || scheme.type != SOCK_STREAM ? "datagram" : "data");
    if (from)
      ev.address("peer", *from, scheme);
    else if (peer)
      ev.address("peer", *peer, scheme);
    ev.field("bytes", data.size());
    Json payload;
    add_payload(payload, data);
    for (auto const& [k, v] : payload.items()) ev.json(k, v);
    return ev.emit();
  };
}

Result<void> report_closed(Output& out, std::string_view command, RelayStats const& st, Scheme const& scheme,
                           std::optional<SockAddr> const& peer, bool stats) {
  if (out.json()) {
    auto ev = out.event("closed");
    if (peer) ev.address("peer", *peer, scheme);
    ev.field("sent", st.sent).field("received", st.received).field("duration", st.seconds).field("reason", st.ending);
    if (st.error) ev.field("error", st.error->message());
    if (st.child_status) {
      int s = *st.child_status;
      if (WIFEXITED(s))
        ev.field("status", WEXITSTATUS(s));
      else
        ev.field("signal", WTERMSIG(s));
    }
    return ev.emit();
  }
  if (!stats && out.verbosity() < 1) return {};
  std::string who = peer ? format_endpoint(*peer, scheme) : std::string(scheme.name);
  double rate = st.seconds > 0 ? static_cast<double>(st.sent + st.received) / st.seconds : 0;
  std::string line = fmt::format("{}: closed {}: sent {}, received {} in {:.3f} s ({}/s), {}", command, who,
                                 human_bytes(st.sent), human_bytes(st.received), st.seconds,
                                 human_bytes(static_cast<uint64_t>(rate)), st.ending);
  if (st.child_status) line += fmt::format(", {} {}", st.child_name, describe_status(*st.child_status));
  out.note(0, "{}", line);
  return {};
}

Result<Exit> session_exit(RelayStats const& st) {
  if (st.error) return *st.error;
  if (st.child_status && *st.child_status != 0)
    return Error::make(Exit::no, st.child_name, describe_status(*st.child_status));
  return Exit::ok;
}

}  // namespace sockctl::cmd
