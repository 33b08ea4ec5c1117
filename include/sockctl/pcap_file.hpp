// pcap_file.hpp: capture files and filters through libpcap: pcap and pcapng
// files read with pcap_fopen_offline, pcap files written with pcap_dump (so
// tcpdump, tshark and Wireshark read them), filter expressions compiled with
// pcap_compile for a link type.  See: pcap(3PCAP), pcap-savefile(5), pcap-filter(7).
#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>

#include <pcap/pcap.h>

#include "sockctl/decode.hpp"
#include "sockctl/error.hpp"

namespace sockctl {

/// One captured record: when, the bytes kept, and the length on the wire.
struct Record {
  std::int64_t sec = 0;
  std::uint32_t nsec = 0;
  Bytes data;
  std::uint32_t len = 0;
};

/// tcpdump's default snapshot length: whole packets, even 64 KiB GSO ones.
constexpr std::uint32_t kDefaultSnaplen = 262144;

/// Closes through the loaded libpcap (pcap_file.cpp): nothing here links it.
struct PcapCloser {
  void operator()(pcap_t* p) const;
  void operator()(pcap_dumper_t* d) const;
};

class PcapReader {
 public:
  /// Opens a pcap or pcapng file ("-" is stdin). A missing file exits 66, a
  /// denied one 77, one that is not a capture file 65.
  static Result<PcapReader> open(std::string const& path);
  Link link() const;
  std::uint32_t snaplen() const;
  /// The next record (valid until the next call), or nullopt at the end. A
  /// file cut short inside a record, or a record libpcap refuses, exits 65.
  Result<std::optional<Record>> next();

 private:
  std::unique_ptr<pcap_t, PcapCloser> pcap_;
  std::string path_;
};

class PcapWriter {
 public:
  /// Creates FILE ("-" is stdout) for records of this link type, with
  /// nanosecond time stamps. Any failure to create or write it exits 74.
  static Result<PcapWriter> open(std::string const& path, Link link, std::uint32_t snaplen);
  /// Buffered; a failed write shows up in flush().
  void write(Record const& r);
  /// Pushes buffered records to the file.
  Result<void> flush();

 private:
  std::unique_ptr<pcap_t, PcapCloser> pcap_;
  std::unique_ptr<pcap_dumper_t, PcapCloser> dumper_;
  std::string path_;
};

/// A filter expression compiled for a link type. An empty expression keeps
/// everything (but still carries the snapshot length, for the kernel).
class Filter {
 public:
  /// pcap_compile with the optimiser on; a bad expression exits 64 with
  /// libpcap's message, as does a link type libpcap cannot filter.
  static Result<Filter> compile(std::string const& expression, Link link, std::uint32_t snaplen);
  Filter(Filter&& other) noexcept;
  Filter& operator=(Filter&&) = delete;
  ~Filter();

  bool empty() const { return expression_.empty(); }
  std::string const& expression() const { return expression_; }
  bpf_program const& program() const { return program_; }
  /// Runs the program over a record (pcap_offline_filter): for sources the
  /// kernel cannot filter in the same byte layout.
  bool matches(Record const& r) const;

 private:
  Filter() = default;
  bpf_program program_{};
  std::string expression_;
};

}  // namespace sockctl
