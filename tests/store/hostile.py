#!/usr/bin/env python3
# Writes a capture (pcap, Ethernet) whose names are hostile: DNS answers,
# a TLS ClientHello's SNI and HTTP Hosts carrying quotes, ', ;, SQL,
# NUL, bytes that are not UTF-8, newlines and control bytes.  The
# appliance 10.0.0.5 resolves each name through 10.0.0.53, then opens a
# TCP connection to the address it got; the SNI and Host names go to
# addresses nobody resolved.
import struct
import sys

T0 = 1772438400  # 2026-03-02T08:00:00Z
APP, RES = bytes([10, 0, 0, 5]), bytes([10, 0, 0, 53])

DNS_NAMES = [
    [b'a"b\'c;d', b'example'],
    [b"x'); DROP TABLE names; --", b'example'],
    [b'nul\x00byte', b'example'],
    [b'bad\xff\xfeutf8', b'example'],
    [b'new\nline\r', b'example'],
    [b'tab\tand\x01ctl', b'example'],
]
SNI = b"sni\"';\xff\x00\n.example"
HOSTS = [b"host\"';--\xff\x01.example", b'h,comma "quoted".example']


def csum(b):
    if len(b) % 2:
        b += b'\0'
    s = sum(struct.unpack('!%dH' % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def ip(src, dst, proto, payload):
    h = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(payload), 1, 0, 64,
                    proto, 0, src, dst)
    h = h[:10] + struct.pack('!H', csum(h)) + h[12:]
    return h + payload


def udp(src, dst, sp, dp, data):
    return ip(src, dst, 17, struct.pack('!HHHH', sp, dp, 8 + len(data), 0)
              + data)


def tcp(src, dst, sp, dp, seq, ack, flags, data=b''):
    return ip(src, dst, 6, struct.pack('!HHIIBBHHH', sp, dp, seq, ack,
                                       5 << 4, flags, 65535, 0, 0) + data)


def eth(pkt):
    return b'\x02\0\0\0\0\x02' + b'\x02\0\0\0\0\x01' + b'\x08\x00' + pkt


def qname(labels):
    return b''.join(bytes([len(l)]) + l for l in labels) + b'\0'


def conversation(out, t, dst, sport, data):
    out.append((t, tcp(APP, dst, sport, 443, 1000, 0, 0x02)))
    out.append((t + 0.01, tcp(dst, APP, 443, sport, 5000, 1001, 0x12)))
    out.append((t + 0.02, tcp(APP, dst, sport, 443, 1001, 5001, 0x10)))
    out.append((t + 0.03, tcp(APP, dst, sport, 443, 1001, 5001, 0x18, data)))
    out.append((t + 0.04, tcp(dst, APP, 443, sport, 5001, 1001 + len(data),
                              0x10)))


def client_hello(name):
    sni = struct.pack('!HBH', len(name) + 3, 0, len(name)) + name
    ext = struct.pack('!HH', 0, len(sni)) + sni
    body = (b'\x03\x03' + b'\x11' * 32 + b'\0' + b'\x00\x02\x13\x01' +
            b'\x01\x00' + struct.pack('!H', len(ext)) + ext)
    hs = b'\x01' + struct.pack('!I', len(body))[1:] + body
    return b'\x16\x03\x01' + struct.pack('!H', len(hs)) + hs


def main(path):
    out = []
    t = float(T0)
    for i, labels in enumerate(DNS_NAMES):
        addr = bytes([192, 0, 2, 10 + i])
        q = qname(labels)
        query = struct.pack('!HHHHHH', 0x100 + i, 0x0100, 1, 0, 0, 0) + \
            q + b'\0\x01\0\x01'
        ans = struct.pack('!HHHHHH', 0x100 + i, 0x8180, 1, 1, 0, 0) + q + \
            b'\0\x01\0\x01' + b'\xc0\x0c\0\x01\0\x01' + \
            struct.pack('!IH', 3600, 4) + addr
        out.append((t, udp(APP, RES, 40000 + i, 53, query)))
        out.append((t + 0.005, udp(RES, APP, 53, 40000 + i, ans)))
        conversation(out, t + 0.1, addr, 41000 + i, b'hello\r\n')
        t += 1
    conversation(out, t, bytes([198, 51, 100, 7]), 42000, client_hello(SNI))
    t += 1
    for i, host in enumerate(HOSTS):
        conversation(out, t, bytes([203, 0, 113, 20 + i]), 43000 + i,
                     b'GET / HTTP/1.1\r\nHost: ' + host + b'\r\n\r\n')
        t += 1
    with open(path, 'wb') as f:
        f.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
        for ts, pkt in out:
            frame = eth(pkt)
            sec = int(ts)
            f.write(struct.pack('<IIII', sec, int(round((ts - sec) * 1e6)),
                                len(frame), len(frame)))
            f.write(frame)


main(sys.argv[1])
