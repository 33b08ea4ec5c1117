// can.hpp: SocketCAN for sockctl. One frame model (the kernel's canfd_frame)
// with can-utils' text syntax, candump's filters, log format and printed form,
// and the raw, broadcast-manager and ISO-TP sockets behind `sockctl can`.
//
// The text forms are can-utils' so that cansend lines, candump output and
// candump/canplayer log files work both ways, but parsing is strict where
// can-utils is lax: a bad length, an id out of range or an odd hex digit is
// an error (exit 65), never a silently truncated frame.
// See: Documentation/networking/can.rst, linux/can.h, can-utils' lib.c.
#pragma once

#include <linux/can.h>
#include <time.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sockctl/decode.hpp"
#include "sockctl/error.hpp"
#include "sockctl/output.hpp"
#include "sockctl/socket.hpp"

namespace sockctl {

// --- the frame ------------------------------------------------------------------

/// One CAN or CAN FD frame as the kernel's bytes: what write(2) takes on a
/// CAN_RAW socket and read(2) fills, without conversion. It is printed through
/// its decoded view, CanFrame (decode.hpp): the one frame model and the one
/// set of printers that `can` and `sniff` share.
struct CanFrameBytes {
  canfd_frame k{};  // can_id carries the EFF/RTR/ERR flags
  bool fd = false;  // CAN FD: CANFD_MTU bytes on the socket, CAN_MTU otherwise

  std::span<std::byte const> bytes() const {
    return {reinterpret_cast<std::byte const*>(&k), fd ? CANFD_MTU : CAN_MTU};
  }
  /// The decoded view (id without flags, kind, flags, len, data into k).
  CanFrame view() const;
};

/// Whether a CAN FD frame can carry len bytes: 0-8, 12, 16, 20, 24, 32, 48, 64.
bool can_fd_length_valid(size_t len);
/// The payload length of an FD data length code (0-15).
size_t can_fd_dlc_to_len(unsigned dlc);

/// Parses can-utils' frame syntax: "123#DEADBEEF", "1F334455#11.22", "123#R",
/// "123#R3", "123#1122334455667788_9" (DLC 9-15 for 8 bytes), CAN FD
/// "123##1AABBCC" (flags nibble: 1 BRS, 2 ESI, 4 FDF) and error frames
/// ("20000080#..." with CAN_ERR_FLAG in the 8-digit id). Errors exit 65 and
/// name the text: "frame '1234#00': 11-bit id above 0x7FF needs the 8-digit form".
Result<CanFrameBytes> parse_can_frame(std::string_view text);
/// The frame in that syntax (append_can_compact of its view): "123#DEADBEEF".
std::string format_can_frame(CanFrameBytes const& f);

// --- filters (candump's syntax) --------------------------------------------------

/// The receive filters of one raw socket.
struct CanFilters {
  std::vector<can_filter> filters;  // CAN_RAW_FILTER; empty keeps the kernel's "all"
  can_err_mask_t err_mask = 0;      // CAN_RAW_ERR_FILTER: error classes to receive
  bool join = false;                // CAN_RAW_JOIN_FILTERS: a frame must match all
};

/// What `can dump` reads from: "IFACE[,FILTER...]" as candump takes it, with
/// FILTER one of ID:MASK (match), ID~MASK (no match), #ERRMASK, j (join).
/// An 8-digit ID sets CAN_EFF_FLAG, as in candump. Errors exit 64.
struct CanSource {
  std::string interface;  // a name, or "any"
  CanFilters filters;
};
Result<CanSource> parse_can_source(std::string_view text);

// --- timestamps and the log format ------------------------------------------------

/// candump's -t: none, (a)bsolute, (d)elta, (z)ero, or (A)bsolute with the date.
enum class CanTimeFormat { none, absolute, delta, zero, date };
/// "absolute", "delta", "zero", "date", or candump's letters a d z A. Errors exit 64.
Result<CanTimeFormat> parse_can_time_format(std::string_view text);

/// Prints timestamps as candump does: "(1700000000.123456) ", "(000.000120) ",
/// "(2023-11-14 22:13:20.123456) ". Remembers the first and previous frame
/// for delta and zero.
class CanClock {
 public:
  explicit CanClock(CanTimeFormat format) : format_(format) {}
  void append(std::string& out, timespec t);
  CanTimeFormat format() const { return format_; }

 private:
  CanTimeFormat format_;
  std::optional<timespec> last_;
};

/// One line of a candump log: "(1700000000.123456) vcan0 123#DEADBEEF".
struct CanLogRecord {
  timespec time{};
  std::string_view interface;  // points into the parsed line
  CanFrameBytes frame;
};
/// Parses a log line that starts with '(' (callers skip others, as canplayer
/// does). Accepts candump's padding of the interface name and a trailing
/// direction token ("R"/"T"). Errors exit 65.
Result<CanLogRecord> parse_can_log_line(std::string_view line);
/// Appends a log line, newline included (microseconds, as candump writes them).
void append_can_log_line(std::string& out, timespec t, std::string_view interface, CanFrame const& f);

// --- interfaces and raw sockets ------------------------------------------------------

/// A CAN network interface as sockctl uses it.
struct CanInterface {
  std::string name;    // as given, or "any"
  unsigned index = 0;  // 0 for "any"
  bool fd = false;     // MTU allows CAN FD frames (CANFD_MTU)
};

/// Looks up a CAN interface by name ("any": index 0). A missing interface and
/// one that is not CAN (ARPHRD_CAN) both exit 69; a kernel without AF_CAN too.
Result<CanInterface> can_interface(std::string_view name);

/// The interface name for an index, cached ("any" for 0): received frames
/// carry only the index.
class CanNames {
 public:
  std::string const& name(int ifindex);

 private:
  std::vector<std::pair<int, std::string>> cache_;
};

/// How a raw socket is set up.
struct CanRawOptions {
  bool fd = false;          // CAN_RAW_FD_FRAMES: send and receive FD frames
  bool loopback = true;     // CAN_RAW_LOOPBACK: other sockets here see our frames
  bool receive = false;     // timestamps (SO_TIMESTAMPNS) and drop counts (SO_RXQ_OVFL)
  std::optional<int> rcvbuf;  // SO_RCVBUF, then SO_RCVBUFFORCE (needs CAP_NET_ADMIN: 77)
};

/// A CAN_RAW socket bound to an interface with the filters applied.
Result<Socket> open_can_raw(CanInterface const& iface, CanFilters const& filters, CanRawOptions const& opts);

/// Writes one frame; a full device queue (ENOBUFS) is waited out, not lost.
Result<void> send_can_frame(Socket& s, CanFrameBytes const& f);

/// One frame as received, with the kernel's timestamp and drop count.
struct CanReceived {
  CanFrameBytes frame;
  timespec time{};
  int ifindex = 0;
  uint32_t drops = 0;  // SO_RXQ_OVFL: frames this socket has dropped so far
  bool local = false;  // sent from this host (MSG_DONTROUTE): candump -x's "TX"
};

/// Receives frames in batches (recvmmsg): one system call for as many frames
/// as are queued, up to the batch size, which is what lets `can dump` keep
/// up with a flood.
class CanReceiver {
 public:
  explicit CanReceiver(size_t batch = 64);
  ~CanReceiver();
  CanReceiver(CanReceiver&&) noexcept;
  CanReceiver& operator=(CanReceiver&&) noexcept;
  /// Frames queued on s now (none when nothing is waiting; never blocks).
  Result<std::span<CanReceived const>> receive(Socket& s);

 private:
  struct Buffers;
  std::unique_ptr<Buffers> b_;
};

/// The socket's total of dropped frames (SO_MEMINFO), including drops after
/// the last frame received, which no SO_RXQ_OVFL message reports.
Result<uint32_t> can_drops(Socket const& s);

// --- frames and PDUs as text lines (connect, listen) -----------------------------------

/// An ISO-TP payload typed as hex, isotpsend's input: bytes separated by white
/// space ("22 F1 90", a lone digit is one byte) or run together ("22F190").
/// Errors exit 65 and name the token.
Result<std::vector<std::byte>> parse_isotp_hex(std::string_view text);
/// A payload as isotprecv prints it: "62 F1 90 " and a newline.
void append_isotp_hex(std::string& out, std::span<std::byte const> data);

/// A received frame as `can dump --json` prints it, newline excluded:
/// {"event":"frame","interface":...,"timestamp":...,"id":...,...}.
void append_can_frame_event(std::string& out, std::string_view interface, CanReceived const& r);

/// How `connect` and `listen` move frames (can:) or PDUs (can-isotp:) as text.
struct CanLineOptions {
  int input = -1;                 // lines to send are read from this fd; -1: none
  std::string input_name = "stdin";
  bool fd = false;                // the interface takes CAN FD frames
  bool echo = false;              // send every frame or PDU received back
  std::optional<uint64_t> count;  // stop after receiving this many
  std::optional<double> idle;     // stop after SECS with nothing sent or received
  double linger = 1.0;            // after the input's EOF: stop after SECS of silence
};

/// How an exchange went: counted in frames or PDUs, not bytes.
struct CanLineStats {
  uint64_t sent = 0, received = 0;
  double seconds = 0;
  std::string ending;  // "eof", "idle", "count" or "interrupted"
};

/// CAN_RAW: each input line is a frame in can-utils' syntax (a candump log
/// line's frame too; blank lines and '#' comments are skipped), sent as it is
/// read; each frame received goes to on_frame. A malformed line stops the
/// exchange with exit 65 naming the line.
Result<CanLineStats> exchange_can_frames(Socket& s, CanLineOptions const& opts,
                                         std::function<Result<void>(CanReceived const&)> const& on_frame);
/// CAN_ISOTP: each input line is one PDU in hex (parse_isotp_hex), 1 to 4095
/// bytes; each PDU received goes to on_pdu.
Result<CanLineStats> exchange_isotp_pdus(Socket& s, CanLineOptions const& opts,
                                         std::function<Result<void>(std::span<std::byte const>)> const& on_pdu);

// --- broadcast manager (CAN_BCM) ------------------------------------------------------

/// A BCM socket connected to an interface (index 0: every interface).
Result<Socket> open_can_bcm(CanInterface const& iface);

/// Sends frames (all with one id) cyclically every period_us; count > 0 stops
/// after that many and reports TX_EXPIRED.
Result<void> bcm_tx_setup(Socket& s, std::span<CanFrameBytes const> frames, uint64_t period_us, uint32_t count);

/// Watches an id: the kernel reports a frame when the bits of mask's data
/// change (and on length changes), and a timeout when no frame came for
/// timeout_us; throttle_us limits how often changes are reported.
Result<void> bcm_rx_setup(Socket& s, CanFrameBytes const& mask, uint64_t timeout_us, uint64_t throttle_us);

/// What the broadcast manager reports.
struct CanBcmEvent {
  enum class Kind { changed, timeout, expired } kind = Kind::changed;
  CanFrameBytes frame;  // changed: the new frame; otherwise only the id is set
  timespec time{};
  int ifindex = 0;
};
/// The next report queued on s (nullopt when none; never blocks).
Result<std::optional<CanBcmEvent>> bcm_receive(Socket& s);

// --- ISO-TP (CAN_ISOTP) ---------------------------------------------------------------

/// The largest payload sent: ISO 15765-2's 12-bit length without the escape sequence.
constexpr size_t kIsotpMaxPayload = 4095;

struct CanIsotpOptions {
  std::optional<uint8_t> tx_pad;  // pad frames to full length with this byte
  std::optional<uint8_t> rx_pad;  // require received frames padded with this byte
  uint8_t block_size = 0;         // frames per flow control (0: all)
  uint8_t stmin = 0;              // minimum separation time, ISO 15765-2 encoding
  bool fd = false;                // CAN FD link layer (64-byte frames)
};

/// Encodes a separation time in milliseconds as ISO 15765-2's STmin byte:
/// 0-127 ms, or 0.1-0.9 ms (0xF1-0xF9). Errors exit 64.
Result<uint8_t> isotp_stmin(double ms);

/// An ISO-TP socket bound to addr (a resolved "can-isotp:IFACE:TXID:RXID").
Result<Socket> open_can_isotp(SockAddr const& addr, CanIsotpOptions const& opts);

// --- traffic generator (cangen) --------------------------------------------------------

/// What `can gen` sends, in cangen's terms: each of id, len and data is "r"
/// (random), "i" (incrementing) or a fixed value (hex id, decimal length, hex data).
struct CanGenOptions {
  std::string id = "r", len = "r", data = "r";
  bool extended = false, fd = false, brs = false, rtr = false;
  uint64_t seed = 1;
};

/// Makes the frames `can gen` sends. Bad modes exit 64; fixed values are
/// checked as parse_can_frame checks them.
class CanGenerator {
 public:
  static Result<CanGenerator> make(CanGenOptions const& opts);
  /// The next frame.
  CanFrameBytes const& next();

 private:
  enum class Mode { random, increment, fixed };
  uint64_t random();

  CanGenOptions opts_;
  Mode id_mode_ = Mode::random, len_mode_ = Mode::random, data_mode_ = Mode::random;
  uint32_t fixed_id_ = 0;
  size_t fixed_len_ = 0;
  std::vector<std::byte> fixed_data_;
  uint64_t counter_ = 0, rng_ = 0;
  CanFrameBytes frame_;
};

}  // namespace sockctl
