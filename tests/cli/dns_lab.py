"""dns_lab.py: a private DNS world for resolve's tests and bench.

DnsLab starts a real DNS server (dnsmasq, from Debian's dnsmasq-base) on a
free loopback address with generated records, writes a resolv.conf, hosts and
nsswitch.conf that point at it, and runs commands inside `unshare -m` with
those files bind-mounted over /etc, so glibc in the namespace asks only our
server. The machine's own files are never touched, and the server is stopped
by its pid.

As a program it serves the bench: `dns_lab.py [--addn-hosts FILE] -- CMD...`
runs CMD inside the namespace while the server runs.
"""
import json
import os
import random
import select
import shutil
import subprocess
import sys
import tempfile
import threading

DNSMASQ = shutil.which("dnsmasq") or "/usr/sbin/dnsmasq"

# The records every test can rely on. host-record also answers the PTR.
RECORDS = """
local=/test/
local=/10.in-addr.arpa/
host-record=one.test,10.0.0.1
host-record=both.test,10.0.0.2,fd00::2
host-record=multi.test,10.0.1.1
host-record=multi.test,10.0.1.2
host-record=multi.test,10.0.1.3
host-record=multi.test,fd00::1:1
host-record=multi.test,fd00::1:2
host-record=v6only.test,fd00::66
cname=alias.test,one.test
cname=alias2.test,alias.test
cname=chain-multi.test,multi.test
"""

# Names only /etc/hosts knows, and the usual localhost lines.
HOSTS = """127.0.0.1 localhost
::1 localhost ip6-localhost ip6-loopback
10.9.9.9 hostsonly.test hostsonly-alias
10.9.9.10 hostsonly2.test
"""


def can_unshare():
    """The namespace needs root (CAP_SYS_ADMIN for unshare -m and mount)."""
    return os.geteuid() == 0 and shutil.which("unshare") is not None


class DnsLab:
    def __init__(self, records=RECORDS, hosts=HOSTS, search="test", addn_hosts=None):
        self.records = records
        self.hosts = hosts
        self.search = search
        self.addn_hosts = addn_hosts
        self.dir = None
        self.proc = None
        self.drain = None
        self.address = None

    def start(self, attempts=20):
        self.dir = tempfile.mkdtemp(prefix="sockctl-dns-")
        last = ""
        for _ in range(attempts):
            # 127.53.0.0/16 is on lo already; a random address lets two runs coexist.
            address = f"127.53.{random.randint(0, 255)}.{random.randint(1, 254)}"
            self._write_files(address)
            self.proc = subprocess.Popen(
                [DNSMASQ, "--keep-in-foreground", "--log-facility=-", "--pid-file=",
                 "--conf-file=" + self._path("dnsmasq.conf")],
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            # dnsmasq binds before it logs "started"; a failed bind exits instead.
            log = self._read_until_started(timeout=10)
            if log is None:
                self.address = address
                self.drain = threading.Thread(target=self._drain, args=(self.proc.stderr,), daemon=True)
                self.drain.start()
                return self
            last = log
            self.proc.wait(5)
            self.proc.stderr.close()
        self.proc = None
        raise RuntimeError("dnsmasq did not start: " + last)

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.drain:
            self.drain.join(5)
            self.drain = None
        if self.proc:
            self.proc.stderr.close()
        self.proc = None
        if self.dir:
            shutil.rmtree(self.dir, ignore_errors=True)
            self.dir = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def namespace_argv(self, argv):
        """argv run inside a private mount namespace that sees our /etc files."""
        script = ('mount --bind "$1" /etc/resolv.conf && mount --bind "$2" /etc/hosts && '
                  'mount --bind "$3" /etc/nsswitch.conf && shift 3 && exec "$@"')
        return ["unshare", "-m", "--propagation", "private", "sh", "-c", script, "sh",
                self._path("resolv.conf"), self._path("hosts"), self._path("nsswitch.conf"), *argv]

    def run(self, argv, input=b"", timeout=30):
        if isinstance(input, str):
            input = input.encode()
        return subprocess.run(self.namespace_argv(argv), input=input, capture_output=True,
                              timeout=timeout)

    def python(self, calls, timeout=60):
        """Runs socket-module calls in the namespace (resolve_oracle.py); one answer per call."""
        oracle = os.path.join(os.path.dirname(os.path.abspath(__file__)), "resolve_oracle.py")
        p = self.run([sys.executable, oracle], input=json.dumps(calls), timeout=timeout)
        if p.returncode != 0:
            raise RuntimeError("resolve_oracle.py failed: " + p.stderr.decode())
        return json.loads(p.stdout)

    def _path(self, name):
        return os.path.join(self.dir, name)

    def _write_files(self, address):
        conf = ["no-resolv", "no-hosts", "no-round-robin", "bind-interfaces", "port=53",
                "listen-address=" + address, "cache-size=10000"]
        if self.addn_hosts:
            conf.append("addn-hosts=" + os.path.abspath(self.addn_hosts))
        with open(self._path("dnsmasq.conf"), "w") as f:
            f.write("\n".join(conf) + "\n" + self.records)
        with open(self._path("resolv.conf"), "w") as f:
            f.write(f"nameserver {address}\nsearch {self.search}\noptions timeout:1 attempts:1\n")
        with open(self._path("hosts"), "w") as f:
            f.write(self.hosts)
        with open(self._path("nsswitch.conf"), "w") as f:
            f.write("hosts: files dns\nnetworks: files\nprotocols: files\nservices: files\n")

    def _read_until_started(self, timeout):
        """None once dnsmasq says it started; its log if it exits or stays silent."""
        log = b""
        fd = self.proc.stderr.fileno()
        while True:
            r, _, _ = select.select([fd], [], [], timeout)
            if not r:
                self.proc.kill()
                return log.decode(errors="replace") + " (no 'started' within %ss)" % timeout
            chunk = os.read(fd, 4096)
            if not chunk:
                return log.decode(errors="replace")
            log += chunk
            if b"started, version" in log:
                return None

    @staticmethod
    def _drain(pipe):
        # dnsmasq keeps logging to the pipe; reading it to EOF (its exit)
        # keeps it from ever blocking on a full pipe.
        while pipe.read1(4096):
            pass


def main(argv):
    addn_hosts = None
    if argv[:1] == ["--addn-hosts"]:
        addn_hosts, argv = argv[1], argv[2:]
    if argv[:1] == ["--"]:
        argv = argv[1:]
    if not argv:
        print("usage: dns_lab.py [--addn-hosts FILE] -- CMD...", file=sys.stderr)
        return 64
    with DnsLab(addn_hosts=addn_hosts) as lab:
        env = dict(os.environ, DNS_LAB_SERVER=lab.address)
        return subprocess.run(lab.namespace_argv(argv), env=env).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
