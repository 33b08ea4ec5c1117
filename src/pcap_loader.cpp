// pcap_loader.cpp: dlopen of libpcap on first use. RTLD_LOCAL keeps its
// symbols (and those of the libraries it needs) out of the global scope;
// RTLD_NOW makes a broken installation fail here, with the library named,
// rather than at the first call.  See: dlopen(3), dlsym(3).
#include "pcap_loader.hpp"

#include <dlfcn.h>

#include <string>

#include <fmt/format.h>

namespace sockctl {

namespace {

struct Loaded {
  Pcap pcap;
  std::string error;  // dlerror's text when loading failed
};

// dlsym returns an object pointer; POSIX guarantees it converts to the
// function pointer it really is.
template <class F>
bool resolve(void* library, char const* name, F& slot) {
  slot = reinterpret_cast<F>(::dlsym(library, name));
  return slot != nullptr;
}

Loaded load() {
  Loaded l;
  void* library = ::dlopen(kPcapLibrary, RTLD_NOW | RTLD_LOCAL);
  if (!library) {
    l.error = ::dlerror();
    return l;
  }
  Pcap& p = l.pcap;
  bool ok = resolve(library, "pcap_close", p.close) && resolve(library, "pcap_compile", p.compile) &&
            resolve(library, "pcap_datalink", p.datalink) && resolve(library, "pcap_dump", p.dump) &&
            resolve(library, "pcap_dump_close", p.dump_close) && resolve(library, "pcap_dump_file", p.dump_file) &&
            resolve(library, "pcap_dump_flush", p.dump_flush) && resolve(library, "pcap_dump_fopen", p.dump_fopen) &&
            resolve(library, "pcap_fopen_offline_with_tstamp_precision", p.fopen_offline_with_tstamp_precision) &&
            resolve(library, "pcap_freecode", p.freecode) && resolve(library, "pcap_geterr", p.geterr) &&
            resolve(library, "pcap_next_ex", p.next_ex) && resolve(library, "pcap_offline_filter", p.offline_filter) &&
            resolve(library, "pcap_open_dead", p.open_dead) &&
            resolve(library, "pcap_open_dead_with_tstamp_precision", p.open_dead_with_tstamp_precision) &&
            resolve(library, "pcap_snapshot", p.snapshot);
  if (!ok) {
    l.error = ::dlerror();
    l.pcap = Pcap{};
    // The library stays mapped: an older libpcap is harmless, only unusable.
  }
  return l;
}

Loaded const& loaded() {
  static Loaded const l = load();
  return l;
}

}  // namespace

Result<Pcap const*> load_pcap() {
  Loaded const& l = loaded();
  if (!l.error.empty()) return Error::make(Exit::unavailable, fmt::format("load '{}'", kPcapLibrary), l.error);
  return &l.pcap;
}

Pcap const& loaded_pcap() { return loaded().pcap; }

}  // namespace sockctl
