#!/usr/bin/env python3
"""Real traffic for tests/real/real.sh, made by the kernel's own stack.

  traffic.py serve [CERT KEY]      TCP 8080 (HTTP-like), TCP 7007 (echo),
                                   UDP 5300 (echo; "BIG" asks 3000 bytes
                                   back), DNS on UDP and TCP 53 for the names
                                   in DNS_ZONE, and with a certificate TLS
                                   on TCP 8443, on every address here
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

HTTP_PORT, ECHO_PORT, UDP_PORT, TLS_PORT, DNS_PORT = 8080, 7007, 5300, 8443, 53
# The names the DNS server knows: A and AAAA records.  "pool" answers 150
# addresses, the reachable one last: too big for UDP without EDNS, so the
# client asks again over TCP and the answer spans segments.
DNS_ZONE = {
    "web-a.real.example": (["192.0.2.1"], ["2001:db8::1"]),
    "web-b.real.example": (["198.51.100.1"], ["2001:db8:1::1"]),
    "web-c.real.example": (["203.0.113.1"], ["2001:db8:2::1"]),
    "pool.real.example": (["192.0.2.%d" % i for i in range(100, 249)] +
                          ["198.51.100.1"],
                          ["2001:db8:1::%x" % i for i in range(0x100, 0x195)] +
                          ["2001:db8:1::1"]),
}
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


def udp_serve(s, answer):
    """Answer each datagram with answer(data), from the address it was sent
    to (IP_PKTINFO), as a real server does."""
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
        s.sendmsg([answer(d)], info, 0, peer)


def udp_loop(s):
    udp_serve(s, lambda d: b"B" * 3000 if d.startswith(b"BIG") else d)


# --- DNS (RFC 1035; RFC 7766 over TCP) ----------------------------------------

def dns_name(name):
    return b"".join(bytes([len(p)]) + p.encode() for p in name.split(".")) + \
        b"\0"


def dns_query(qid, name, qtype):
    return struct.pack("!6H", qid, 0x0100, 1, 0, 0, 0) + dns_name(name) + \
        struct.pack("!2H", qtype, 1)


def dns_answer(query, udp):
    """The answer to a query: its records from DNS_ZONE, or NXDOMAIN; over
    UDP, an answer past 512 bytes is sent truncated (TC, no records)."""
    qid, = struct.unpack("!H", query[:2])
    i, labels = 12, []
    while query[i]:
        labels.append(query[i + 1:i + 1 + query[i]].decode())
        i += 1 + query[i]
    qtype, = struct.unpack("!H", query[i + 1:i + 3])
    question = query[12:i + 5]
    name = ".".join(labels).lower()
    recs = DNS_ZONE.get(name, ([], []))[0 if qtype == 1 else 1]
    rcode = 0 if name in DNS_ZONE else 3
    rr = b""
    for a in recs:
        data = socket.inet_pton(socket.AF_INET if qtype == 1
                                else socket.AF_INET6, a)
        rr += struct.pack("!3HIH", 0xC00C, qtype, 1, 600, len(data)) + data
    msg = struct.pack("!6H", qid, 0x8180 | rcode, 1, len(recs), 0, 0) + \
        question + rr
    if udp and len(msg) > 512:
        msg = struct.pack("!6H", qid, 0x8380, 1, 0, 0, 0) + question
    return msg


def dns_udp_loop(s):
    udp_serve(s, lambda d: dns_answer(d, True))


def dns_tcp_conn(c):
    with c:
        buf = b""
        while True:
            d = c.recv(65535)
            if not d:
                return
            buf += d
            while len(buf) >= 2 and len(buf) >= 2 + (buf[0] << 8 | buf[1]):
                n = buf[0] << 8 | buf[1]
                m = dns_answer(buf[2:2 + n], False)
                c.sendall(struct.pack("!H", len(m)) + m)
                buf = buf[2 + n:]


def tls_conn(ctx, c):
    import ssl
    try:
        with ctx.wrap_socket(c, server_side=True) as t:
            req = t.recv(4096)
            t.sendall(b"HTTP/1.0 200 OK\r\nContent-Length: 5\r\n\r\nhello")
            t.unwrap() if req else None
    except (OSError, ssl.SSLError):
        pass


def serve(cert=None, key=None):
    for ls in listeners(socket.SOCK_DGRAM, DNS_PORT):
        threading.Thread(target=dns_udp_loop, args=(ls,), daemon=True).start()
    for ls in listeners(socket.SOCK_STREAM, DNS_PORT):
        threading.Thread(target=accept_loop, args=(ls, dns_tcp_conn),
                         daemon=True).start()
    if cert:
        import ssl
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(cert, key)
        for ls in listeners(socket.SOCK_STREAM, TLS_PORT):
            threading.Thread(
                target=accept_loop,
                args=(ls, lambda c, ctx=ctx: tls_conn(ctx, c)),
                daemon=True).start()
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


def resolve(resolver, name, qtype):
    """Ask resolver over UDP; when the answer is truncated, again over TCP.
    Returns the addresses answered, in order."""
    qid = int.from_bytes(os.urandom(2), "big")
    q = dns_query(qid, name, qtype)
    with socket.socket(family(resolver), socket.SOCK_DGRAM) as s:
        m = udp_ask(s, (resolver, DNS_PORT), q)
    if m[2] & 0x02:
        with connect(resolver, DNS_PORT) as s:
            s.sendall(struct.pack("!H", len(q)) + q)
            buf = b""
            while len(buf) < 2 or len(buf) < 2 + (buf[0] << 8 | buf[1]):
                d = s.recv(65535)
                if not d:
                    raise RuntimeError("DNS over TCP: short answer")
                buf += d
            m = buf[2:]
    an, = struct.unpack("!H", m[6:8])
    i = 12
    while m[i]:
        i += 1 + m[i]
    i += 5
    out = []
    for _ in range(an):
        i += 2      # a pointer to the question
        rtype, _, _, rdlen = struct.unpack("!2HIH", m[i:i + 10])
        i += 10
        fam = socket.AF_INET if rtype == 1 else socket.AF_INET6
        out.append(socket.inet_ntop(fam, m[i:i + rdlen]))
        i += rdlen
    return out


def tls_get(addr, sni):
    import ssl
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    with connect(addr, TLS_PORT) as s:
        with ctx.wrap_socket(s, server_hostname=sni) as t:
            t.sendall(b"GET / HTTP/1.0\r\n\r\n")
            if not t.recv(100):
                raise RuntimeError("no TLS answer")


def do_tls(addr, arg):
    """TLS to addr with server name arg: the SNI alone names it."""
    tls_get(addr, arg or "direct.real.example")


def do_name(addr, arg):
    """Resolve a name with the resolver at addr (arg NAME:KIND[:6]), then
    reach the last address answered: KIND tls (the SNI another name, so
    the records show the DNS name wins) or http (Host: the name)."""
    name, kind, v = (arg.split(":") + ["", ""])[:3]
    addrs = resolve(addr, name, 28 if v == "6" else 1)
    if not addrs:
        raise RuntimeError("%s: no address" % name)
    if kind == "tls":
        tls_get(addrs[-1], "sni-" + name)
        return
    with connect(addrs[-1], HTTP_PORT) as s:
        s.sendall(b"GET /1000 HTTP/1.0\r\nHost: %s\r\n\r\n" %
                  name.encode())
        while s.recv(65536):
            pass


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
        serve(*sys.argv[2:4])
    elif len(sys.argv) == 4 and sys.argv[1] == "tun":
        tun(sys.argv[2], sys.argv[3])
    elif len(sys.argv) >= 3 and sys.argv[1] == "client":
        sys.exit(client(sys.argv[2:]))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
