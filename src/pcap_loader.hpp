// pcap_loader.hpp: libpcap, loaded with dlopen the first time a command needs
// it (a filter, a capture file), so that the one-shot commands do not map it
// and the dozen libraries it pulls in (libdbus, libsystemd, libgcrypt...) at
// every start. The table holds exactly the functions pcap_file.cpp calls.
// See: dlopen(3), pcap(3PCAP), bench/startup.sh.
#pragma once

#include <pcap/pcap.h>

#include "sockctl/error.hpp"

namespace sockctl {

/// The library's soname, as Debian's libpcap0.8 package installs it.
inline constexpr char kPcapLibrary[] = "libpcap.so.0.8";

/// The libpcap functions sockctl uses, named without their pcap_ prefix.
struct Pcap {
  decltype(&::pcap_close) close = nullptr;
  decltype(&::pcap_compile) compile = nullptr;
  decltype(&::pcap_datalink) datalink = nullptr;
  decltype(&::pcap_dump) dump = nullptr;
  decltype(&::pcap_dump_close) dump_close = nullptr;
  decltype(&::pcap_dump_file) dump_file = nullptr;
  decltype(&::pcap_dump_flush) dump_flush = nullptr;
  decltype(&::pcap_dump_fopen) dump_fopen = nullptr;
  decltype(&::pcap_fopen_offline_with_tstamp_precision) fopen_offline_with_tstamp_precision = nullptr;
  decltype(&::pcap_freecode) freecode = nullptr;
  decltype(&::pcap_geterr) geterr = nullptr;
  decltype(&::pcap_next_ex) next_ex = nullptr;
  decltype(&::pcap_offline_filter) offline_filter = nullptr;
  decltype(&::pcap_open_dead) open_dead = nullptr;
  decltype(&::pcap_open_dead_with_tstamp_precision) open_dead_with_tstamp_precision = nullptr;
  decltype(&::pcap_snapshot) snapshot = nullptr;
};

/// Loads libpcap and resolves the table, once per process (thread-safe). A
/// missing library or function exits 69, naming the library.
Result<Pcap const*> load_pcap();

/// The table, for releasing what a successful load_pcap() handed out.
Pcap const& loaded_pcap();

}  // namespace sockctl
