#!/usr/bin/env python3
"""Real traffic for tests/real/real.sh, made by the kernel's own stack.

  traffic.py serve                 TCP 8080 (HTTP-like), TCP 7007 (echo) and
                                   UDP 5300 (echo; "BIG" asks 3000 bytes back)
                                   on every address of this namespace
  traffic.py tun NAME NETNS        a point-to-point "VPN": tun NAME here and
                                   tun NAME in NETNS, packets copied between
  traffic.py client PLAN...        run the PLAN items at once, each
                                   KIND,ADDR[,ARG], and report what failed

Only addresses given on the command line are contacted; real.sh gives only
addresses of the namespaces it made.  Standard library only.
"""
import ctypes
import errno
import fcntl
import os
import select
import socket
import struct
import sys
import threading
import time

HTTP_PORT, ECHO_PORT, UDP_PORT = 8080, 7007, 5300
CLOSED_PORT = 9
IP_MTU_DISCOVER, IP_PMTUDISC_DONT, IP_PKTINFO = 10, 0, 8
IPV6_HOPOPTS, IPV6_DSTOPTS = 54, 59
# A PadN option filling an 8-byte extension header (next header: kernel).
PADN_EXT = bytes([0, 0, 1, 4, 0, 0, 0, 0])


def family(addr):
    return socket.AF_INET6 if ":" in addr else socket.AF_INET


def no_df(s):
    """Let the kernel (and routers) fragment this IPv4 socket's datagrams."""
    if s.family == socket.AF_INET:
        s.setsockopt(socket.IPPROTO_IP, IP_MTU_DISCOVER, IP_PMTUDISC_DONT)


# --- servers -----------------------------------------------------------------

def listeners(kind, port):
    out = []
    for fam, addr in ((socket.AF_INET, "0.0.0.0"), (socket.AF_INET6, "::")):
        s = socket.socket(fam, kind)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if fam == socket.AF_INET6:
            s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
        s.bind((addr, port))
        if kind == socket.SOCK_STREAM:
            s.listen(64)
        out.append(s)
    return out


def http_conn(c):
    with c:
        req = b""
        while b"\r\n\r\n" not in req and len(req) < 4096:
            d = c.recv(4096)
            if not d:
                return
            req += d
        try:
            n = int(req.split(b" ")[1].lstrip(b"/"))
        except (IndexError, ValueError):
            n = 0
        c.sendall(b"HTTP/1.0 200 OK\r\nContent-Length: %d\r\n\r\n" % n)
        block = b"x" * 65536
        while n > 0:
            c.sendall(block[:n])
            n -= min(n, len(block))


def echo_conn(c):
    with c:
        while True:
            try:
                d = c.recv(4096)
            except OSError:
                return
            if not d:
                return
            c.sendall(d)


def accept_loop(ls, handler):
    while True:
        c, _ = ls.accept()
        threading.Thread(target=handler, args=(c,), daemon=True).start()


def udp_loop(s):
    """Answer from the address asked (IP_PKTINFO), as a real server would."""
    no_df(s)
    if s.family == socket.AF_INET:
        s.setsockopt(socket.IPPROTO_IP, IP_PKTINFO, 1)
    else:
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_RECVPKTINFO, 1)
    while True:
        d, anc, _, peer = s.recvmsg(65535, 256)
        info = []
        for level, kind, data in anc:
            if level == socket.IPPROTO_IP and kind == IP_PKTINFO:
                info = [(level, kind, bytes(4) + data[8:12] + bytes(4))]
            elif level == socket.IPPROTO_IPV6 and \
                    kind == socket.IPV6_PKTINFO:
                info = [(level, kind, data[:16] + bytes(4))]
        s.sendmsg([b"B" * 3000 if d.startswith(b"BIG") else d], info, 0,
                  peer)


def serve():
    for ls in listeners(socket.SOCK_STREAM, HTTP_PORT):
        threading.Thread(target=accept_loop, args=(ls, http_conn),
                         daemon=True).start()
    for ls in listeners(socket.SOCK_STREAM, ECHO_PORT):
        threading.Thread(target=accept_loop, args=(ls, echo_conn),
                         daemon=True).start()
    for s in listeners(socket.SOCK_DGRAM, UDP_PORT):
        threading.Thread(target=udp_loop, args=(s,), daemon=True).start()
    print("serving", flush=True)
    while True:
        time.sleep(3600)


# --- tun relay ---------------------------------------------------------------

def open_tun(name):
    TUNSETIFF, IFF_TUN, IFF_NO_PI = 0x400454CA, 0x0001, 0x1000
    fd = os.open("/dev/net/tun", os.O_RDWR)
    fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH", name.encode(),
                                           IFF_TUN | IFF_NO_PI))
    return fd


def tun(name, netns):
    libc = ctypes.CDLL(None, use_errno=True)
    a = open_tun(name)
    nsfd = os.open("/run/netns/" + netns, os.O_RDONLY)
    if libc.setns(nsfd, 0x40000000) != 0:       # CLONE_NEWNET
        sys.exit("setns: " + os.strerror(ctypes.get_errno()))
    b = open_tun(name)
    peer = {a: b, b: a}
    print("relaying", flush=True)
    while True:
        for fd in select.select([a, b], [], [])[0]:
            try:
                os.write(peer[fd], os.read(fd, 65535))
            except OSError as e:
                if e.errno not in (errno.EIO, errno.EINVAL):
                    raise


# --- clients -----------------------------------------------------------------

def connect(addr, port, timeout=3.0):
    s = socket.socket(family(addr), socket.SOCK_STREAM)
    s.settimeout(timeout)
    s.connect((addr, port))
    return s


def do_http(addr, arg):
    n = int(arg or 100000)
    with connect(addr, HTTP_PORT) as s:
        s.sendall(b"GET /%d HTTP/1.0\r\nHost: test\r\n\r\n" % n)
        got = 0
        while True:
            d = s.recv(65536)
            if not d:
                break
            got += len(d)
    if got < n:
        raise RuntimeError("short body: %d of %d" % (got, n))


def do_echo(addr, arg):
    """Many short connections, one after another; the client closes first."""
    for i in range(int(arg or 10)):
        with connect(addr, ECHO_PORT) as s:
            s.sendall(b"hello %d\n" % i)
            if not s.recv(100):
                raise RuntimeError("no echo")


def do_abort(addr, arg):
    """Connections ended by an RST from the client (SO_LINGER 0)."""
    for i in range(int(arg or 3)):
        s = connect(addr, ECHO_PORT)
        s.sendall(b"bye %d\n" % i)
        s.recv(100)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                     struct.pack("ii", 1, 0))
        s.close()


def do_refused(addr, arg):
    try:
        connect(addr, CLOSED_PORT).close()
    except ConnectionRefusedError:
        return
    raise RuntimeError("not refused")


def do_nosyn(addr, arg):
    """A SYN into a blackhole: the SYN and one retransmission, no answer."""
    try:
        connect(addr, HTTP_PORT, timeout=float(arg or 1.3)).close()
    except (socket.timeout, TimeoutError):
        return
    raise RuntimeError("answered")


def do_unreach(addr, arg):
    """A SYN answered by an ICMP destination unreachable."""
    try:
        connect(addr, HTTP_PORT, timeout=2.0).close()
    except ConnectionRefusedError:
        raise RuntimeError("refused, not unreachable")
    except OSError:         # EHOSTUNREACH, or a timeout
        return
    raise RuntimeError("answered")


def udp_ask(s, dest, data, tries=3, wait=0.4):
    s.settimeout(wait)
    for _ in range(tries):
        s.sendto(data, dest)
        try:
            return s.recv(65535)
        except socket.timeout:
            continue        # an IPv6 path MTU just learnt, say
    raise RuntimeError("no UDP answer")


def do_udp(addr, arg):
    """Query and answer from a new socket (a new port) each time."""
    for i in range(int(arg or 5)):
        with socket.socket(family(addr), socket.SOCK_DGRAM) as s:
            udp_ask(s, (addr, UDP_PORT), b"query %d" % i + b"." * (i * 37))


def do_udpempty(addr, arg):
    with socket.socket(family(addr), socket.SOCK_DGRAM) as s:
        udp_ask(s, (addr, UDP_PORT), b"")


def do_udpbig(addr, arg):
    """3000 bytes each way: fragments, refragmented by the router in IPv4."""
    with socket.socket(family(addr), socket.SOCK_DGRAM) as s:
        no_df(s)
        if len(udp_ask(s, (addr, UDP_PORT), b"BIG" + b"q" * 2997)) != 3000:
            raise RuntimeError("short answer")


def do_udpclosed(addr, arg):
    """A datagram to a closed port: an ICMP port unreachable quotes it."""
    with socket.socket(family(addr), socket.SOCK_DGRAM) as s:
        s.connect((addr, UDP_PORT + 99))
        s.settimeout(1.0)
        s.send(b"anyone?")
        try:
            s.recv(100)
        except ConnectionRefusedError:
            return
    raise RuntimeError("no port unreachable")


def do_v6opts(addr, arg):
    """UDP behind an IPv6 extension header (hop-by-hop or destination)."""
    opt = IPV6_HOPOPTS if arg == "hop" else IPV6_DSTOPTS
    with socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) as s:
        s.setsockopt(socket.IPPROTO_IPV6, opt, PADN_EXT)
        udp_ask(s, (addr, UDP_PORT), b"with options")


def do_same(addr, arg):
    """Identical datagrams back to back from one unconnected socket, as a
    metrics client sends "hits:1|c": same IP header (IPv4 ID 0 with DF)."""
    with socket.socket(family(addr), socket.SOCK_DGRAM) as s:
        for _ in range(int(arg or 3)):
            s.sendto(b"hits:1|c", (addr, UDP_PORT))
        time.sleep(0.3)


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def do_ping(addr, arg):
    """Echo requests of 3000 bytes: fragmented IPv4 and IPv6."""
    size = int(arg or 3000)
    v6 = ":" in addr
    proto = socket.IPPROTO_ICMPV6 if v6 else socket.IPPROTO_ICMP
    with socket.socket(family(addr), socket.SOCK_RAW, proto) as s:
        no_df(s)
        s.settimeout(0.4)
        for seq in range(1, 4):
            body = struct.pack("!HH", os.getpid() & 0xFFFF, seq) + b"p" * size
            if v6:          # the kernel fills in the ICMPv6 checksum
                msg = struct.pack("!BBH", 128, 0, 0) + body
            else:
                msg = struct.pack("!BBH", 8, 0, 0) + body
                msg = msg[:2] + struct.pack("!H", checksum(msg)) + msg[4:]
            s.sendto(msg, (addr, 0))
            end = time.time() + 0.4
            while time.time() < end:
                try:
                    d = s.recv(65535)
                except socket.timeout:
                    break
                t = d[0] if v6 else d[(d[0] & 15) * 4]
                if t in (0, 129):
                    return
    raise RuntimeError("no echo reply")


def client(plan):
    failed = []

    def run(item):
        kind, addr, arg = (item.split(",") + ["", ""])[:3]
        try:
            globals()["do_" + kind](addr, arg)
        except Exception as e:      # report every failure, not the first
            failed.append("%s: %s" % (item, e))

    threads = [threading.Thread(target=run, args=(i,)) for i in plan]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for f in failed:
        print("traffic: " + f, file=sys.stderr)
    return 1 if failed else 0


def main():
    if len(sys.argv) >= 2 and sys.argv[1] == "serve":
        serve()
    elif len(sys.argv) == 4 and sys.argv[1] == "tun":
        tun(sys.argv[2], sys.argv[3])
    elif len(sys.argv) >= 3 and sys.argv[1] == "client":
        sys.exit(client(sys.argv[2:]))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
