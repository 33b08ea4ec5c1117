// hci.cpp: records of the Bluetooth monitor channel (what btmon reads): HCI
// commands, events and data packets of every controller, index changes and
// notes, summarised in btmon's words.
// See: https://www.tcpdump.org/linktypes/LINKTYPE_BLUETOOTH_LINUX_MONITOR.html,
// the Bluetooth Core spec vol 4 part E, bluez's monitor/bt.h.
#include "decode/chain.hpp"

namespace sockctl::decode {

namespace {

enum MonitorOpcode : std::uint16_t {
  kNewIndex = 0, kDelIndex = 1, kCommand = 2, kEvent = 3, kAclTx = 4, kAclRx = 5, kScoTx = 6, kScoRx = 7,
  kOpenIndex = 8, kCloseIndex = 9, kIndexInfo = 10, kVendorDiag = 11, kSystemNote = 12, kUserLogging = 13,
  kCtrlOpen = 14, kCtrlClose = 15, kCtrlCommand = 16, kCtrlEvent = 17, kIsoTx = 18, kIsoRx = 19,
};

std::string_view command_name(std::uint16_t op) {
  switch (op) {
    case 0x0401: return "Inquiry";
    case 0x0402: return "Inquiry Cancel";
    case 0x0405: return "Create Connection";
    case 0x0406: return "Disconnect";
    case 0x0409: return "Accept Connection Request";
    case 0x0419: return "Remote Name Request";
    case 0x0c01: return "Set Event Mask";
    case 0x0c03: return "Reset";
    case 0x0c05: return "Set Event Filter";
    case 0x0c13: return "Write Local Name";
    case 0x0c14: return "Read Local Name";
    case 0x0c1a: return "Write Scan Enable";
    case 0x0c24: return "Write Class of Device";
    case 0x1001: return "Read Local Version Information";
    case 0x1002: return "Read Local Supported Commands";
    case 0x1003: return "Read Local Supported Features";
    case 0x1005: return "Read Buffer Size";
    case 0x1009: return "Read BD ADDR";
    case 0x2001: return "LE Set Event Mask";
    case 0x2002: return "LE Read Buffer Size";
    case 0x2003: return "LE Read Local Supported Features";
    case 0x2005: return "LE Set Random Address";
    case 0x2006: return "LE Set Advertising Parameters";
    case 0x2008: return "LE Set Advertising Data";
    case 0x200a: return "LE Set Advertise Enable";
    case 0x200b: return "LE Set Scan Parameters";
    case 0x200c: return "LE Set Scan Enable";
    case 0x200d: return "LE Create Connection";
    default: return "Unknown";
  }
}

std::string_view event_name(std::uint8_t code) {
  switch (code) {
    case 0x01: return "Inquiry Complete";
    case 0x02: return "Inquiry Result";
    case 0x03: return "Connect Complete";
    case 0x04: return "Connect Request";
    case 0x05: return "Disconnect Complete";
    case 0x07: return "Remote Name Req Complete";
    case 0x0e: return "Command Complete";
    case 0x0f: return "Command Status";
    case 0x10: return "Hardware Error";
    case 0x13: return "Number of Completed Packets";
    case 0x3e: return "LE Meta Event";
    case 0xff: return "Vendor";
    default: return "Unknown";
  }
}

std::string_view opcode_name(std::uint16_t op) {
  static constexpr std::string_view kNames[] = {
      "New Index", "Delete Index", "Command", "Event", "ACL Data TX", "ACL Data RX", "SCO Data TX",
      "SCO Data RX", "Open Index", "Close Index", "Index Info", "Vendor Diagnostic", "System Note",
      "User Logging", "Control Open", "Control Close", "Control Command", "Control Event", "ISO Data TX",
      "ISO Data RX"};
  return op < std::size(kNames) ? kNames[op] : std::string_view{};
}

}  // namespace

Step decode_hci(Bytes b, std::uint32_t wire, Packet& p) {
  Reader r(b);
  if (!r.has(0, 4)) return truncated(p, "hci", b.size(), 4);
  HciRecord h;
  h.index = r.be16(0);
  h.opcode = r.be16(2);
  h.len = wire - 4;
  Reader d(r.sub(4));
  std::size_t need = 0;
  switch (h.opcode) {
    case kNewIndex:
      need = 16;
      if (!d.has(0, need)) break;
      h.type = d.u8(0);
      h.bus = d.u8(1);
      d.copy(2, h.bdaddr.data(), 6);
      d.copy(8, reinterpret_cast<std::uint8_t*>(h.name.data()), 8);
      h.name[8] = '\0';
      break;
    case kCommand:
      need = 3;
      if (!d.has(0, need)) break;
      h.command = d.le16(0);
      h.plen = d.u8(2);
      need += h.plen;
      break;
    case kEvent:
      need = 2;
      if (!d.has(0, need)) break;
      h.event = d.u8(0);
      h.plen = d.u8(1);
      // Command Complete and Command Status say which command they answer.
      if (h.event == 0x0e && h.plen >= 3 && d.has(2, 3)) {
        h.command = d.le16(3);
        if (h.plen >= 4 && d.has(5, 1)) {
          h.has_status = true;
          h.status = d.u8(5);
        }
      } else if (h.event == 0x0f && h.plen >= 4 && d.has(2, 4)) {
        h.has_status = true;
        h.status = d.u8(2);
        h.command = d.le16(4);
      }
      need += h.plen;
      break;
    case kAclTx:
    case kAclRx:
      need = 4;
      if (!d.has(0, need)) break;
      h.handle = d.le16(0) & 0x0fff;
      h.pb_flags = static_cast<std::uint8_t>(d.le16(0) >> 12);
      h.dlen = d.le16(2);
      // A first (or complete) fragment starts with the L2CAP basic header.
      if ((h.pb_flags & 0x3) != 0x1 && h.dlen >= 4 && d.has(4, 4)) {
        h.has_l2cap = true;
        h.l2cap_len = d.le16(4);
        h.l2cap_cid = d.le16(6);
      }
      need += h.dlen;
      break;
    case kScoTx:
    case kScoRx:
      need = 3;
      if (!d.has(0, need)) break;
      h.handle = d.le16(0) & 0x0fff;
      h.dlen = d.u8(2);
      need += h.dlen;
      break;
    case kIsoTx:
    case kIsoRx:
      need = 4;
      if (!d.has(0, need)) break;
      h.handle = d.le16(0) & 0x0fff;
      h.pb_flags = static_cast<std::uint8_t>(d.le16(0) >> 12);
      h.dlen = d.le16(2) & 0x3fff;
      need += h.dlen;
      break;
    case kIndexInfo:
      need = 8;
      if (!d.has(0, need)) break;
      d.copy(0, h.bdaddr.data(), 6);
      h.manufacturer = d.le16(6);
      break;
    case kSystemNote: {
      Bytes t = d.sub(0);
      h.text = c_string(reinterpret_cast<char const*>(t.data()), t.size());
      break;
    }
    case kUserLogging: {
      need = 2;
      if (!d.has(0, need)) break;
      h.priority = d.u8(0);
      std::uint8_t ident_len = d.u8(1);
      need += ident_len;
      if (!d.has(2, ident_len)) break;
      Bytes ident = d.sub(2, ident_len);
      h.ident = c_string(reinterpret_cast<char const*>(ident.data()), ident.size());
      Bytes text = d.sub(2u + ident_len);
      h.text = c_string(reinterpret_cast<char const*>(text.data()), text.size());
      break;
    }
    default: break;
  }
  push(p, h);
  if (d.size() < need) return truncated(p, "hci", b.size(), 4 + need);
  return {Next::none, 0, b.size(), 0};
}

namespace {

void append_bdaddr(std::string& out, MacAddr const& a) {
  // On air (and in these records) a BD_ADDR is little-endian; people read it
  // most significant byte first.
  for (int i = 5; i >= 0; --i) {
    append_hex_number(out, a[static_cast<std::size_t>(i)], 2, true);
    if (i) out += ':';
  }
}

void append_command(std::string& out, std::uint16_t op) {
  out += command_name(op);
  out += " (0x";
  append_hex_number(out, op >> 10, 2);
  out += "|0x";
  append_hex_number(out, op & 0x3ff, 4);
  out += ')';
}

}  // namespace

void human_hci(std::string& out, HciRecord const& h) {
  out += "HCI ";
  if (h.index == 0xffff) {
    out += "- ";
  } else {
    out += "hci";
    append_uint(out, h.index);
    out += ' ';
  }
  switch (h.opcode) {
    case kCommand:
      out += "< Command: ";
      append_command(out, h.command);
      out += " plen ";
      append_uint(out, h.plen);
      return;
    case kEvent:
      out += "> Event: ";
      out += event_name(h.event);
      out += " (0x";
      append_hex_number(out, h.event, 2);
      out += ") plen ";
      append_uint(out, h.plen);
      if (h.event == 0x0e || h.event == 0x0f) {
        out += ", ";
        append_command(out, h.command);
        if (h.has_status) {
          out += " status 0x";
          append_hex_number(out, h.status, 2);
        }
      }
      return;
    case kAclTx:
    case kAclRx:
    case kScoTx:
    case kScoRx:
    case kIsoTx:
    case kIsoRx:
      out += (h.opcode & 1) ? "> " : "< ";
      out += opcode_name(h.opcode);
      out += ": handle ";
      append_uint(out, h.handle);
      if (h.opcode != kScoTx && h.opcode != kScoRx) {
        out += " flags 0x";
        append_hex_number(out, h.pb_flags, 2);
      }
      out += " dlen ";
      append_uint(out, h.dlen);
      if (h.has_l2cap) {
        out += ", L2CAP cid 0x";
        append_hex_number(out, h.l2cap_cid, 4);
        out += " len ";
        append_uint(out, h.l2cap_len);
      }
      return;
    case kNewIndex:
      out += "= New Index: ";
      append_bdaddr(out, h.bdaddr);
      out += " (";
      out += h.type == 0 ? "Primary" : h.type == 1 ? "AMP" : "Unknown";
      out += ",bus ";
      append_uint(out, h.bus);
      out += ',';
      append_printable(out, c_string(h.name.data(), h.name.size()));
      out += ')';
      return;
    case kIndexInfo:
      out += "= Index Info: ";
      append_bdaddr(out, h.bdaddr);
      out += " (manufacturer ";
      append_uint(out, h.manufacturer);
      out += ')';
      return;
    case kSystemNote:
      out += "= Note: ";
      append_printable(out, h.text);
      return;
    case kUserLogging:
      out += "= ";
      append_printable(out, h.ident);
      out += ": ";
      append_printable(out, h.text);
      return;
    default:
      if (auto name = opcode_name(h.opcode); !name.empty()) {
        out += h.opcode >= kCtrlOpen ? "@ " : "= ";
        out += name;
      } else {
        out += "opcode ";
        append_uint(out, h.opcode);
      }
      out += ", length ";
      append_uint(out, h.len);
  }
}

void json_hci(std::string& out, HciRecord const& h) {
  JsonObject o(out, "hci");
  o.num("index", h.index).num("opcode", h.opcode);
  if (auto name = opcode_name(h.opcode); !name.empty()) o.plain("type", name);
  switch (h.opcode) {
    case kCommand:
      o.num("command", h.command).num("ogf", h.command >> 10).num("ocf", h.command & 0x3ff);
      o.plain("name", command_name(h.command)).num("plen", h.plen);
      break;
    case kEvent:
      o.num("event", h.event).plain("name", event_name(h.event)).num("plen", h.plen);
      if (h.event == 0x0e || h.event == 0x0f) o.num("command", h.command);
      if (h.has_status) o.num("status", h.status);
      break;
    case kAclTx:
    case kAclRx:
    case kScoTx:
    case kScoRx:
    case kIsoTx:
    case kIsoRx:
      o.num("handle", h.handle).num("flags", h.pb_flags).num("dlen", h.dlen);
      if (h.has_l2cap) o.num("l2cap_cid", h.l2cap_cid).num("l2cap_len", h.l2cap_len);
      break;
    case kNewIndex: {
      std::string addr;
      append_bdaddr(addr, h.bdaddr);
      o.plain("bdaddr", addr).num("bus", h.bus).num("dev_type", h.type).str("name", c_string(h.name.data(), h.name.size()));
      break;
    }
    case kIndexInfo: {
      std::string addr;
      append_bdaddr(addr, h.bdaddr);
      o.plain("bdaddr", addr).num("manufacturer", h.manufacturer);
      break;
    }
    case kSystemNote: o.str("text", h.text); break;
    case kUserLogging: o.num("priority", h.priority).str("ident", h.ident).str("text", h.text); break;
    default: break;
  }
  o.num("len", h.len);
}

}  // namespace sockctl::decode
