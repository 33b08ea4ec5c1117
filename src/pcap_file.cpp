// pcap_file.cpp: libpcap's file reader, writer and filter compiler behind
// sockctl's own error rules. We open the files ourselves (so errors say
// which file and why, with the spec's exit codes) and hand libpcap a FILE*;
// the writer's FILE gets a 1 MiB buffer so a busy capture writes in big chunks.
// libpcap itself is loaded by the first call that needs it (pcap_loader.hpp).
#include "sockctl/pcap_file.hpp"

#include <cerrno>
#include <fcntl.h>
#include <unistd.h>

#include <fmt/format.h>

#include "pcap_loader.hpp"
#include "sockctl/io.hpp"

namespace sockctl {

namespace {

constexpr std::size_t kWriteBuffer = 1 << 20;

Result<std::FILE*> open_stream(std::string const& path, bool write) {
  int fd = -1;
  if (path == "-") {
    fd = ::fcntl(write ? 1 : 0, F_DUPFD_CLOEXEC, 3);
    if (fd < 0) return Error::sys(write ? "dup stdout" : "dup stdin", errno);
  } else {
    auto opened = open_file(path, write ? O_WRONLY | O_CREAT | O_TRUNC : O_RDONLY, 0644);
    if (!opened) {
      auto e = opened.release_error();
      if (write) e.exit = Exit::io;
      return e;
    }
    fd = opened->release();
  }
  std::FILE* f = ::fdopen(fd, write ? "wb" : "rb");
  if (!f) {
    int err = errno;
    ::close(fd);
    return Error::sys(fmt::format("open '{}'", path), err);
  }
  if (write) std::setvbuf(f, nullptr, _IOFBF, kWriteBuffer);
  return f;
}

}  // namespace

void PcapCloser::operator()(pcap_t* p) const { loaded_pcap().close(p); }

void PcapCloser::operator()(pcap_dumper_t* d) const { loaded_pcap().dump_close(d); }

Result<PcapReader> PcapReader::open(std::string const& path) {
  Pcap const* pcap = TRY(load_pcap());
  std::FILE* f = TRY(open_stream(path, false));
  char err[PCAP_ERRBUF_SIZE] = "";
  pcap_t* p = pcap->fopen_offline_with_tstamp_precision(f, PCAP_TSTAMP_PRECISION_NANO, err);
  if (!p) {
    std::fclose(f);
    return Error::data(fmt::format("read '{}'", path), err);
  }
  PcapReader r;
  r.pcap_.reset(p);
  r.path_ = path;
  return r;
}

Link PcapReader::link() const { return static_cast<Link>(loaded_pcap().datalink(pcap_.get())); }

std::uint32_t PcapReader::snaplen() const { return static_cast<std::uint32_t>(loaded_pcap().snapshot(pcap_.get())); }

Result<std::optional<Record>> PcapReader::next() {
  Pcap const& pcap = loaded_pcap();
  pcap_pkthdr* h = nullptr;
  u_char const* data = nullptr;
  int rc = pcap.next_ex(pcap_.get(), &h, &data);
  if (rc == PCAP_ERROR_BREAK) return std::optional<Record>{};
  if (rc != 1) return Error::data(fmt::format("read '{}'", path_), pcap.geterr(pcap_.get()));
  Record r;
  r.sec = h->ts.tv_sec;
  r.nsec = static_cast<std::uint32_t>(h->ts.tv_usec);  // nanoseconds: opened with nano precision
  r.data = Bytes(data, h->caplen);
  r.len = h->len;
  return std::optional<Record>{r};
}

Result<PcapWriter> PcapWriter::open(std::string const& path, Link link, std::uint32_t snaplen) {
  if (static_cast<int>(link) < 0)
    return Error::usage(fmt::format("write '{}'", path), "this source has no pcap link type");
  Pcap const* pcap = TRY(load_pcap());
  std::FILE* f = TRY(open_stream(path, true));
  PcapWriter w;
  w.path_ = path;
  w.pcap_.reset(pcap->open_dead_with_tstamp_precision(static_cast<int>(link), static_cast<int>(snaplen),
                                                      PCAP_TSTAMP_PRECISION_NANO));
  pcap_dumper_t* d = w.pcap_ ? pcap->dump_fopen(w.pcap_.get(), f) : nullptr;
  if (!d) {
    std::fclose(f);
    return Error::make(Exit::io, fmt::format("write '{}'", path), w.pcap_ ? pcap->geterr(w.pcap_.get()) : "out of memory");
  }
  w.dumper_.reset(d);
  return w;
}

void PcapWriter::write(Record const& r) {
  pcap_pkthdr h{};
  h.ts.tv_sec = r.sec;
  h.ts.tv_usec = r.nsec;
  h.caplen = static_cast<bpf_u_int32>(r.data.size());
  h.len = r.len;
  loaded_pcap().dump(reinterpret_cast<u_char*>(dumper_.get()), &h, r.data.data());
}

Result<void> PcapWriter::flush() {
  Pcap const& pcap = loaded_pcap();
  errno = 0;
  if (pcap.dump_flush(dumper_.get()) != 0 || std::ferror(pcap.dump_file(dumper_.get()))) {
    auto e = Error::sys(fmt::format("write '{}'", path_), errno ? errno : EIO);
    e.exit = Exit::io;
    return e;
  }
  return {};
}

Result<Filter> Filter::compile(std::string const& expression, Link link, std::uint32_t snaplen) {
  Filter f;
  f.expression_ = expression;
  if (static_cast<int>(link) < 0) {
    if (expression.empty()) return f;
    return Error::usage(fmt::format("filter '{}'", expression), "this source has no pcap link type to filter on");
  }
  Pcap const* pcap = TRY(load_pcap());
  std::unique_ptr<pcap_t, PcapCloser> dead(pcap->open_dead(static_cast<int>(link), static_cast<int>(snaplen)));
  if (!dead) return Error::make(Exit::os, "pcap_open_dead", "out of memory");
  if (pcap->compile(dead.get(), &f.program_, expression.c_str(), 1, PCAP_NETMASK_UNKNOWN) != 0)
    return Error::usage(fmt::format("filter '{}'", expression), pcap->geterr(dead.get()));
  return f;
}

Filter::Filter(Filter&& other) noexcept
    : program_(std::exchange(other.program_, bpf_program{})), expression_(std::move(other.expression_)) {}

// A program exists only if compile() loaded libpcap.
Filter::~Filter() {
  if (program_.bf_insns != nullptr) loaded_pcap().freecode(&program_);
}

bool Filter::matches(Record const& r) const {
  if (program_.bf_insns == nullptr) return true;
  pcap_pkthdr h{};
  h.caplen = static_cast<bpf_u_int32>(r.data.size());
  h.len = r.len;
  return loaded_pcap().offline_filter(&program_, &h, r.data.data()) != 0;
}

}  // namespace sockctl
