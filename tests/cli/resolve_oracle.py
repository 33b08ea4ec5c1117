"""resolve_oracle.py: what Python's socket module answers, for test_resolve.py.

Reads a JSON list of calls on stdin, [FUNCTION, ARG...], runs each with the
socket module and prints one JSON answer per call: {"ok": VALUE} or
{"error": {"type": "gaierror", "errno": N, "message": TEXT}}. Run inside the
test's namespace (dns_lab.DnsLab.python), so it sees the same resolver as sockctl.
"""
import json
import socket
import sys


def name(enum_value, prefix):
    """AddressFamily.AF_INET6 -> "inet6", SocketKind.SOCK_STREAM -> "stream"."""
    try:
        return enum_value.name[len(prefix):].lower()
    except AttributeError:
        return str(int(enum_value))


def call(fn, *args):
    if fn == "getaddrinfo":
        host, port, family, type_, proto, flags = args
        return [[name(f, "AF_"), name(t, "SOCK_"), p, c, list(sa)]
                for f, t, p, c, sa in socket.getaddrinfo(host, port, family, type_, proto, flags)]
    if fn == "getnameinfo":
        sockaddr, flags = args
        return list(socket.getnameinfo(tuple(sockaddr), flags))
    if fn in ("gethostbyname_ex", "gethostbyaddr"):
        return list(getattr(socket, fn)(*args))
    if fn in ("getservbyname", "getservbyport", "getprotobyname", "gethostname", "getfqdn"):
        return getattr(socket, fn)(*args)
    if fn == "constant":
        return getattr(socket, args[0])
    raise ValueError("unknown function " + fn)


def answer(c):
    try:
        return {"ok": call(*c)}
    except socket.gaierror as e:
        return {"error": {"type": "gaierror", "errno": e.errno, "message": e.strerror}}
    except socket.herror as e:
        return {"error": {"type": "herror", "errno": e.errno, "message": e.strerror}}
    except OSError as e:
        return {"error": {"type": "OSError", "errno": e.errno, "message": str(e)}}


if __name__ == "__main__":
    json.dump([answer(c) for c in json.load(sys.stdin)], sys.stdout)
