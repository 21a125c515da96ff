#!/usr/bin/env python3
"""Write the captures of tests/blind/ (What an appliance cannot hide).

Each capture is the smallest form of one way an appliance made its own
traffic unseen (issue 15); the tests beside it say what egressd must
report.  Deterministic: fixed times, no randomness.  Written with the
struct module only: classic pcap, microseconds, little-endian.

    python3 tests/blind/mkcaps.py [DIR]     (default: beside this script)
"""
import os
import struct
import sys

T0 = 1772438400          # 2026-03-02 08:00:00 UTC, as pcaps/pcapgen.c
CAM_MAC = bytes.fromhex("020000000011")
GW_MAC = bytes.fromhex("0200000000fe")


class Pcap:
    """A classic pcap file of one link type."""

    def __init__(self, path, dlt=1, snaplen=262144):
        self.f = open(path, "wb")
        self.f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0,
                                 snaplen, dlt))

    def add(self, sec, usec, frame, wire=None):
        wire = len(frame) if wire is None else wire
        self.f.write(struct.pack("<IIII", sec & 0xffffffff, usec,
                                 len(frame), wire))
        self.f.write(frame)

    def close(self):
        self.f.close()


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def addr4(s):
    return bytes(int(x) for x in s.split("."))


def ether(payload, etype, src=CAM_MAC, dst=GW_MAC):
    return dst + src + struct.pack("!H", etype) + payload


def ipv4(src, dst, proto, payload, ident=0, df=True, ttl=64):
    h = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), ident,
                    0x4000 if df else 0, ttl, proto, 0, addr4(src),
                    addr4(dst))
    h = h[:10] + struct.pack("!H", csum(h)) + h[12:]
    return h + payload


def udp(sport, dport, payload, check=0):
    return struct.pack("!HHHH", sport, dport, 8 + len(payload),
                       check) + payload


def tcp(sport, dport, seq, ack, flags, payload=b""):
    return struct.pack("!HHIIBBHHH", sport, dport, seq, ack, 5 << 4, flags,
                       65535, 0, 0) + payload


def gre_teb(inner_frame):
    """GRE (RFC 2784) carrying an Ethernet frame (TEB, 0x6558)."""
    return struct.pack("!HH", 0, 0x6558) + inner_frame


def dns_query(ident, name):
    q = b"".join(bytes([len(l)]) + l.encode() for l in name.split("."))
    return struct.pack("!HHHHHH", ident, 0x0100, 1, 0, 0, 0) + q + \
        b"\0" + struct.pack("!HH", 1, 1)


def dedup_steer(path):
    """
    Issue 15, item 1: datagrams with IP ID 0, UDP checksum 0, DF and the
    same first 64 payload bytes, 100 us apart, to an outside address.  Each
    is new (a counter in the rest of its payload); egressd took all but a
    few for SPAN copies of each other.  Then bursts of five byte-identical
    datagrams 100 us apart, 2 ms between bursts: the one way left to make
    copies that are not copies, past what a mirror makes.
    """
    pc = Pcap(path)
    head = b"EGRESS-STEER" * 6                      # 72 constant bytes
    t = 0
    for i in range(400):
        body = head + struct.pack("!I", i) + bytes((i * 7 + k) & 0xff
                                                    for k in range(180))
        f = ether(ipv4("10.20.1.50", "198.51.100.9", 17,
                       udp(40000, 9999, body)), 0x0800)
        pc.add(T0 + t // 1000000, t % 1000000, f)
        t += 100
    same = head + b"x" * 200
    for b in range(60):
        t = 2000000 + b * 2000
        for i in range(5):
            f = ether(ipv4("10.20.1.51", "198.51.100.10", 17,
                           udp(40001, 9998, same)), 0x0800)
            pc.add(T0 + t // 1000000, t % 1000000, f)
            t += 100
    pc.close()


def gre_forged(path):
    """
    Item 2: an appliance sends GRE (TEB) to a denied address; the made-up
    inner frame is a DNS query to the site's resolver.  By default egressd
    recorded only the inner DNS flow.
    """
    pc = Pcap(path)
    for i in range(200):
        inner = ether(ipv4("10.20.1.60", "10.20.0.53", 17,
                           udp(5353 + (i % 4), 53,
                               dns_query(i, "time.example"))),
                      0x0800, src=bytes.fromhex("020000000060"))
        f = ether(ipv4("10.20.1.60", "198.51.100.66", 47, gre_teb(inner)),
                  0x0800)
        t = i * 50000
        pc.add(T0 + t // 1000000, t % 1000000, f)
    pc.close()


def gre_deep(path):
    """Item 3: GRE (TEB) four deep around a UDP datagram."""
    pc = Pcap(path)
    for i in range(100):
        frame = ether(ipv4("10.20.1.61", "198.51.100.70", 17,
                           udp(41000, 7000, b"deep" * 10)), 0x0800)
        for d in range(4):
            frame = ether(ipv4("10.20.1.61", "198.51.100.%d" % (71 + d), 47,
                               gre_teb(frame)), 0x0800)
        t = i * 10000
        pc.add(T0 + t // 1000000, t % 1000000, frame)
    pc.close()


def ipv6_ext9(path):
    """Item 3: IPv6 with nine destination options headers, then UDP."""
    pc = Pcap(path)
    src = bytes.fromhex("fd000000000000000000000000000062")
    dst = bytes.fromhex("20010db8000000000000000000000062")
    for i in range(100):
        pay = udp(42000, 8000, b"ext" * 12)
        for _ in range(9):
            nh = 17 if _ == 0 else 60
            pay = bytes([nh, 0]) + b"\x01\x04\0\0\0\0" + pay
        h = struct.pack("!IHBB", 0x60000000, len(pay), 60, 64) + src + dst
        t = i * 10000
        pc.add(T0 + t // 1000000, t % 1000000,
               ether(h + pay, 0x86dd))
    pc.close()


def future(path):
    """
    Item 4: a TCP connection and UDP datagrams every second for two
    minutes; one packet among them is dated 2038.
    """
    pc = Pcap(path)
    for i in range(120):
        sec = T0 + i
        if i == 10:
            sec = 2145916800            # 2038-01-01
        f = ether(ipv4("10.20.1.70", "198.51.100.80", 17,
                       udp(43000, 9000, b"tick %03d" % i)), 0x0800)
        pc.add(sec, 0, f)
    pc.close()


def old_times(path):
    """
    Item 9a: packets whose pcap seconds have the top bit set (0xf0000000,
    2097 as the format's unsigned count, 1961 if read as signed).
    """
    pc = Pcap(path)
    for i in range(3):
        f = ether(ipv4("10.20.1.71", "198.51.100.81", 17,
                       udp(43001, 9001, b"t%d" % i)), 0x0800)
        pc.add(0xf0000000 + i, 0, f)
    pc.close()


def http_big(path):
    """
    Item 5: an HTTP request whose Host comes first and whose header
    section runs past 16 KiB (a long Cookie), over several segments.
    """
    pc = Pcap(path)
    c, s = ("10.20.1.80", 44000), ("198.51.100.90", 80)
    req = (b"GET /upload HTTP/1.1\r\nHost: big.vendor.example\r\n"
           b"User-Agent: cam-fw/9.1\r\nCookie: " + b"a" * 20000 +
           b"\r\n\r\n")
    t = [0]

    def send(frm, to, seq, ack, flags, data=b""):
        mac = (CAM_MAC, GW_MAC) if frm == c else (GW_MAC, CAM_MAC)
        f = ether(ipv4(frm[0], to[0], 6, tcp(frm[1], to[1], seq, ack,
                                             flags, data)),
                  0x0800, src=mac[0], dst=mac[1])
        pc.add(T0 + t[0] // 1000000, t[0] % 1000000, f)
        t[0] += 1000

    send(c, s, 1000, 0, 0x02)
    send(s, c, 5000, 1001, 0x12)
    send(c, s, 1001, 5001, 0x10)
    off = 0
    while off < len(req):
        seg = req[off:off + 1400]
        send(c, s, 1001 + off, 5001, 0x18, seg)
        off += len(seg)
        send(s, c, 5001, 1001 + off, 0x10)
    pc.close()


def mpls(path):
    """
    Item 8: MPLS label stacks (RFC 3032): one label, two in a VLAN, the
    multicast EtherType, IPv6 under three labels, a pseudowire control
    word (RFC 4385) with an Ethernet frame after it, and a stack of 17
    labels (past the depth egressd walks).
    """
    pc = Pcap(path)

    def labels(*ls):
        out = b""
        for k, l in enumerate(ls):
            bos = 1 if k == len(ls) - 1 else 0
            out += struct.pack("!I", l << 12 | bos << 8 | 64)
        return out

    src6 = bytes.fromhex("fd000000000000000000000000000091")
    dst6 = bytes.fromhex("20010db8000000000000000000000091")
    t = 0
    for i in range(20):
        ip = ipv4("10.20.1.90", "198.51.100.91", 17,
                  udp(45000, 514, b"mpls one label %02d" % i))
        pc.add(T0, t, ether(labels(100) + ip, 0x8847))
        t += 1000
        ip = ipv4("10.20.1.90", "198.51.100.92", 6,
                  tcp(45001, 443, 7000 + i, 0, 0x02))
        pc.add(T0, t, ether(struct.pack("!HH", 30, 0x8847) +
                            labels(200, 300) + ip, 0x8100))
        t += 1000
        ip = ipv4("10.20.1.90", "198.51.100.93", 17,
                  udp(45002, 5004, b"mcast %02d" % i))
        pc.add(T0, t, ether(labels(400) + ip, 0x8848))
        t += 1000
        pay = udp(45003, 123, b"\x23" + b"\0" * 47)
        ip6 = struct.pack("!IHBB", 0x60000000, len(pay), 17, 64) + src6 + \
            dst6 + pay
        pc.add(T0, t, ether(labels(16, 17, 2) + ip6, 0x8847))
        t += 1000
        inner = ether(ipv4("10.20.1.94", "198.51.100.94", 17,
                           udp(45004, 53, dns_query(i, "pw.example"))),
                      0x0800)
        pc.add(T0, t, ether(labels(500) + b"\0\0\0\0" + inner, 0x8847))
        t += 1000
        ip = ipv4("10.20.1.90", "198.51.100.95", 17,
                  udp(45005, 9, b"deep"))
        pc.add(T0, t, ether(labels(*range(1000, 1017)) + ip, 0x8847))
        t += 1000
    pc.close()


def pdns_flood(path):
    """
    Item 7: one appliance resolves 1,400 names, each to 200 addresses
    (280,000 in all, more than the 262,144 passive DNS keeps), then opens
    a connection to the first address of the first name.  Written at test
    time (about 5 MB): "mkcaps.py pdns-flood FILE".
    """
    pc = Pcap(path)
    cam, res = "10.20.1.100", "10.20.0.53"
    t = 0
    for n in range(1400):
        name = "n%d.example" % n
        q = dns_query(n & 0xffff, name)
        pc.add(T0 + t // 1000000, t % 1000000,
               ether(ipv4(cam, res, 17, udp(40000, 53, q)), 0x0800))
        t += 100
        an = b""
        for k in range(200):
            a = n * 200 + k
            an += b"\xc0\x0c" + struct.pack("!HHIH", 1, 1, 600, 4) + \
                bytes([240, (a >> 16) & 0xff, (a >> 8) & 0xff, a & 0xff])
        r = struct.pack("!HHHHHH", n & 0xffff, 0x8180, 1, 200, 0, 0) + \
            q[12:] + an
        pc.add(T0 + t // 1000000, t % 1000000,
               ether(ipv4(res, cam, 17, udp(53, 40000, r)), 0x0800,
                     src=GW_MAC, dst=CAM_MAC))
        t += 900
    pc.add(T0 + t // 1000000, t % 1000000,
           ether(ipv4(cam, "240.0.0.0", 6, tcp(40001, 443, 1, 0, 0x02)),
                 0x0800))
    pc.close()


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "pdns-flood":
        pdns_flood(sys.argv[2])
        return
    out = sys.argv[1] if len(sys.argv) > 1 else \
        os.path.dirname(os.path.abspath(__file__))
    dedup_steer(os.path.join(out, "dedup-steer.pcap"))
    gre_forged(os.path.join(out, "gre-forged.pcap"))
    gre_deep(os.path.join(out, "gre-deep.pcap"))
    ipv6_ext9(os.path.join(out, "ipv6-ext9.pcap"))
    future(os.path.join(out, "future.pcap"))
    old_times(os.path.join(out, "old-times.pcap"))
    http_big(os.path.join(out, "http-big.pcap"))
    mpls(os.path.join(out, "mpls.pcap"))


if __name__ == "__main__":
    main()
