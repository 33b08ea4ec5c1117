// can.cpp: SocketCAN frames (classic, FD, XL) and their candump, compact and
// JSON forms. Engine code shared by `sniff` (LINKTYPE_CAN_SOCKETCAN records,
// big-endian can_id) and `can` (frames from a CAN socket, host order).
// See: Documentation/networking/can.rst, include/uapi/linux/can.h,
// https://www.tcpdump.org/linktypes/LINKTYPE_CAN_SOCKETCAN.html, candump(1).
#include <fmt/format.h>
#include <linux/can.h>

#include "decode/chain.hpp"

namespace sockctl {

namespace decode {

namespace {

// Bits 16..23 of a CAN XL priority word: the virtual CAN network id (newer
// kernel headers call it CANXL_VCID_OFFSET).
constexpr unsigned kXlVcidShift = 16;

bool valid_fd_length(unsigned len) {
  return len <= 8 || len == 12 || len == 16 || len == 20 || len == 24 || len == 32 || len == 48 || len == 64;
}

std::uint32_t id_word(Reader const& r, CanIdOrder order) { return order == CanIdOrder::network ? r.be32(0) : r.h32(0); }

}  // namespace

std::string_view parse_can(Bytes b, CanIdOrder order, CanFrame& f, std::uint32_t& want) {
  Reader r(b);
  f = CanFrame{};
  if (!r.has(0, 8)) {
    want = 8;
    return "truncated";
  }
  // A CAN XL frame is told apart by the XLF bit where classic and FD frames
  // keep their length (at most 64, so the bit is never set there).
  if (r.u8(4) & CANXL_XLF) {
    if (!r.has(0, CANXL_HDR_SIZE)) {
      want = CANXL_HDR_SIZE;
      return "truncated";
    }
    f.kind = CanFrame::Kind::xl;
    std::uint32_t prio = id_word(r, order);
    f.can_id = prio & CANXL_PRIO_MASK;
    f.vcid = static_cast<std::uint8_t>(prio >> kXlVcidShift);
    f.flags = r.u8(4) & static_cast<std::uint8_t>(~CANXL_XLF);
    f.sdt = r.u8(5);
    // The payload length and acceptance field are little-endian in pcap files
    // and host order from a socket: the same bytes on the hosts Linux runs CAN on.
    f.len = order == CanIdOrder::network ? r.le16(6) : r.h16(6);
    f.af = order == CanIdOrder::network ? r.le32(8) : r.h32(8);
    if (f.len < CANXL_MIN_DLEN || f.len > CANXL_MAX_DLEN) {
      want = f.len;
      return "bad length";
    }
    f.data = r.sub(CANXL_HDR_SIZE, f.len);
    if (f.data.size() < f.len) {
      want = CANXL_HDR_SIZE + f.len;
      return "truncated";
    }
    return {};
  }
  std::uint32_t id = id_word(r, order);
  f.extended = (id & CAN_EFF_FLAG) != 0;
  f.remote = (id & CAN_RTR_FLAG) != 0;
  f.error = (id & CAN_ERR_FLAG) != 0;
  f.can_id = id & (f.extended || f.error ? CAN_EFF_MASK : CAN_SFF_MASK);
  f.len = r.u8(4);
  std::uint8_t fd_flags = r.u8(5);
  bool fd = (fd_flags & CANFD_FDF) != 0 || f.len > CAN_MAX_DLEN || b.size() == CANFD_MTU;
  if (fd) {
    f.kind = CanFrame::Kind::fd;
    f.flags = fd_flags & (CANFD_BRS | CANFD_ESI);
    if (!valid_fd_length(f.len)) {
      want = f.len;
      return "bad length";
    }
  } else {
    f.len8_dlc = r.u8(7);
    if (f.len > CAN_MAX_DLEN) {
      want = f.len;
      return "bad length";
    }
  }
  if (f.remote) return {};
  f.data = r.sub(8, f.len);
  if (f.data.size() < f.len) {
    want = 8u + f.len;
    return "truncated";
  }
  return {};
}

Step decode_can(Bytes b, std::uint32_t, Packet& p) {
  CanFrame f;
  std::uint32_t want = 0;
  auto damage = parse_can(b, CanIdOrder::network, f, want);
  if (damage == "truncated" && b.size() < 8) return truncated(p, "can", b.size(), want);
  push(p, f);
  if (damage == "truncated") return truncated(p, "can", b.size(), want);
  if (!damage.empty()) return damaged(p, "can", damage, want);
  std::size_t used = f.kind == CanFrame::Kind::xl ? CANXL_HDR_SIZE + f.data.size() : 8 + f.data.size();
  return {Next::none, 0, used, 0};
}

}  // namespace decode

using namespace decode;

Result<CanFrame> decode_can_frame(Bytes frame, CanIdOrder order) {
  CanFrame f;
  std::uint32_t want = 0;
  auto damage = parse_can(frame, order, f, want);
  if (damage.empty()) return f;
  if (damage == "truncated")
    return Error::data("CAN frame", fmt::format("truncated: {} of {} bytes", frame.size(), want));
  return Error::data("CAN frame", fmt::format("{} {}", damage, want));
}

namespace {

void append_id(std::string& out, CanFrame const& f) {
  if (f.kind == CanFrame::Kind::xl) {
    if (f.vcid) {
      append_hex_number(out, f.vcid, 2, true);
      append_hex_number(out, f.can_id, 3, true);
    } else {
      append_hex_number(out, f.can_id, 3, true);
    }
  } else if (f.error) {
    append_hex_number(out, f.can_id | CAN_ERR_FLAG, 8, true);
  } else {
    append_hex_number(out, f.can_id, f.extended ? 8 : 3, true);
  }
}

// "_9".."_F": the DLC of an 8-byte classic frame that says more than 8
// (len8_dlc), as newer can-utils writes it.
void append_len8_dlc(std::string& out, CanFrame const& f) {
  if (f.len == CAN_MAX_DLEN && f.len8_dlc > CAN_MAX_DLEN && f.len8_dlc <= CAN_MAX_RAW_DLC) {
    out += '_';
    append_hex_number(out, f.len8_dlc, 1, true);
  }
}

}  // namespace

void append_can_candump(std::string& out, CanFrame const& f, bool indent_sff) {
  if (indent_sff && f.kind != CanFrame::Kind::xl && !f.extended && !f.error) out += "     ";
  append_id(out, f);
  switch (f.kind) {
    case CanFrame::Kind::classic: out += "   ["; break;
    case CanFrame::Kind::fd: out += "  ["; break;
    case CanFrame::Kind::xl: out += "  ["; break;
  }
  if (f.kind == CanFrame::Kind::xl)
    append_hex_number(out, f.len, 4);
  else if (f.kind == CanFrame::Kind::fd && f.len < 10)
    out += '0', append_uint(out, f.len);
  else
    append_uint(out, f.len);
  out += "] ";
  if (f.remote) {
    out += " remote request";
    return;
  }
  for (auto byte : f.data) {
    out += ' ';
    append_hex_number(out, byte, 2, true);
  }
  if (f.error) out += "   ERRORFRAME";
  if (f.kind == CanFrame::Kind::xl) {
    out += "   sdt 0x";
    append_hex_number(out, f.sdt, 2);
    out += " af 0x";
    append_hex_number(out, f.af, 8);
  }
}

void append_can_compact(std::string& out, CanFrame const& f) {
  append_id(out, f);
  switch (f.kind) {
    case CanFrame::Kind::classic:
      out += '#';
      if (f.remote) {
        out += 'R';
        if (f.len) append_hex_number(out, f.len, 1, true);
        append_len8_dlc(out, f);
        return;
      }
      break;
    case CanFrame::Kind::fd:
      out += "##";
      append_hex_number(out, f.flags, 1, true);
      break;
    case CanFrame::Kind::xl:
      out += "###";
      append_hex_number(out, f.flags, 2, true);
      append_hex_number(out, f.sdt, 2, true);
      append_hex_number(out, f.af, 8, true);
      out += '#';
      break;
  }
  for (auto byte : f.data) append_hex_number(out, byte, 2, true);
  if (f.kind == CanFrame::Kind::classic) append_len8_dlc(out, f);
}

void append_can_json_fields(std::string& out, CanFrame const& f) {
  auto flag = [&](std::string_view key, bool v) {
    out += ",\"";
    out += key;
    out += v ? "\":true" : "\":false";
  };
  bool fd = f.kind == CanFrame::Kind::fd;
  out += "\"id\":";
  append_uint(out, f.can_id);
  flag("extended", f.extended);
  flag("rtr", f.remote);
  flag("fd", fd);
  flag("brs", fd && (f.flags & CANFD_BRS));
  flag("esi", fd && (f.flags & CANFD_ESI));
  flag("error", f.error);
  if (f.kind == CanFrame::Kind::classic && f.len8_dlc > CAN_MAX_DLEN) {
    out += ",\"len8_dlc\":";
    append_uint(out, f.len8_dlc);
  }
  if (f.kind == CanFrame::Kind::xl) {
    flag("xl", true);
    out += ",\"vcid\":";
    append_uint(out, f.vcid);
    out += ",\"sdt\":";
    append_uint(out, f.sdt);
    out += ",\"af\":";
    append_uint(out, f.af);
    flag("sec", f.flags & CANXL_SEC);
  }
  out += ",\"len\":";
  append_uint(out, f.len);
  out += ",\"data\":\"";
  append_hex(out, f.data);
  out += '"';
}

void append_can_json(std::string& out, CanFrame const& f) {
  out += '{';
  append_can_json_fields(out, f);
  out += '}';
}

}  // namespace sockctl
