#!/usr/bin/env python3
"""Write the captures of tests/detect/ (pcap, Ethernet, IPv4): what the
detectors must find, record or leave alone.  Deterministic (fixed seeds):
running it again writes the same bytes.  Python's struct module only.

  browser-dns      a browser's DNS for 2 hours: sites visited at random
                   times, each a burst of look-ups under several domains
  ocsp-crl         OCSP and CRL checks over HTTP at random times, their
                   idle connections kept alive by probes every 10 s for 70 s
  updates          software update checks every few hours, at random
                   minutes, for 3 days (look-up, then a connection)
  mdns-ssdp        mDNS and SSDP every 60 s for an hour, and the unicast
                   SSDP answers of two LAN devices
  ntp-site         NTP to the site's server every 64 s, look-ups of
                   pool.ntp.org every 17 min (its 4 servers, for 20 min)
                   and NTP to those servers every 128 s, 3 hours
  vendor-hb        a camera's vendor heartbeat: a look-up of
                   hb.vendor-cloud.com and a connection every 60 s, 1 hour
  dns-beacon       a C2 polled by TXT look-ups every 30 s through the
                   site's resolver for 30 minutes
  dns-tunnel       a dnscat2-like burst: 40 unique hex names in 40 s
  long-conn        an MQTT session held open 90 minutes to an unknown
                   broker, a ping every 60 s
  two-services     two timers to one unknown server, 1 hour: NTP every
                   64 s and a connection to its port 443 every 150 s
  rotating-hub     a hub's MQTT sessions to a cloud endpoint, 2.8 days:
                   it looks the endpoint's name up (8 addresses, TTL 60
                   s) and connects to the first; about every 4 hours the
                   session ends and it connects to the next address of
                   that answer, without a look-up; after 6 it looks the
                   name up again; an MQTT ping every 240 s.  And a camera
                   that calls one of the same addresses for 2 hours,
                   never having looked it up.
  one-sided        a tap that saw one direction: only the broker's side
                   of a hub's MQTT connections (its SYN/ACK, then its
                   FIN) every 9 s, 59 times; and connections from
                   outside to a camera's port 8443 every 10 s, only the
                   camera's side seen (its SYN/ACK, its answer, its FIN),
                   and every 12 s from another host, both sides seen
  resolver-pair    a hub looks a name up every 10 min +-5% for 8 hours,
                   of the site's resolver (silent every other time), then
                   of OpenDNS 4 s later whatever the first said; once, 2
                   minutes of an outage's loop over both, unanswered
  dns-poll         a C2 polled through DNS: a new name every 2 s +-15%
                   (an A answer each), 2 minutes, no connection after
  txt-poll         a stager polls one name for commands by TXT through
                   the site's resolver, 32 times: each answered
                   SERVFAIL after the resolver's 1 or 2 s timeout
                   (mostly alternating: the other one 7 times in 10),
                   the next query 0.08 to 0.36 s after the answer, a
                   PTR look-up of the resolver before each
  re-resolve       clients without a cache: a lock that asks its cloud
                   name again 0.05 to 1.5 s after each answer, 2 to 5
                   times a check-in, every 5 min +-10% for 2 hours; a
                   desktop that re-resolves a TTL-0 name for each of 40
                   requests in a row, each request 0.05 to 1.9 s
  irc-bot          an IRC bot's connection for 25 minutes: the server
                   pushes other users' lines at random (2.1 s of quiet or
                   more between them, 6 s on average), which the bot only
                   ACKs, and a PING every 90 s, which it answers with a
                   PONG; and a camera's push channel, where the far end
                   sends 32 bytes every 30 s and the camera only ACKs

Usage: mkcaps.py [DIR]  (default: the directory of this script)
"""
import os
import random
import struct
import sys

T0 = 1772438400          # 2026-03-02 08:00:00 UTC
CAM = bytes([10, 20, 1, 30])
PC = bytes([10, 20, 1, 40])
HUB = bytes([10, 20, 1, 50])
RESOLVER = bytes([10, 20, 0, 53])
OPENDNS = bytes([208, 67, 222, 222])
NTPD = bytes([192, 0, 2, 123])     # the site's NTP server, at its provider
MAC_A = b'\x02\x00\x00\x00\x00\x01'
MAC_B = b'\x02\x00\x00\x00\x00\x02'


def csum(b):
    if len(b) % 2:
        b += b'\0'
    s = sum(struct.unpack('!%dH' % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return (~s) & 0xffff


class Pcap:
    """Packets in memory, sorted by time when written."""

    def __init__(self):
        self.pkts = []
        self.ipid = 1

    def ip(self, t, src, dst, proto, payload):
        self.ipid = (self.ipid + 1) & 0xffff
        h = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(payload),
                        self.ipid, 0, 64, proto, 0, src, dst)
        h = h[:10] + struct.pack('!H', csum(h)) + h[12:]
        eth = MAC_B + MAC_A + b'\x08\x00'
        self.pkts.append((t, len(self.pkts), eth + h + payload))

    def udp(self, t, src, sport, dst, dport, data):
        self.ip(t, src, dst, 17,
                struct.pack('!HHHH', sport, dport, 8 + len(data), 0) + data)

    def tcp(self, t, src, sport, dst, dport, seq, ack, flags, data=b''):
        self.ip(t, src, dst, 6,
                struct.pack('!HHIIBBHHH', sport, dport, seq & 0xffffffff,
                            ack & 0xffffffff, 0x50, flags, 65535, 0, 0) +
                data)

    def write(self, path):
        with open(path, 'wb') as f:
            f.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0,
                                65535, 1))
            for t, _, p in sorted(self.pkts, key=lambda x: (x[0], x[1])):
                us = int(round(t * 1e6))
                f.write(struct.pack('<IIII', us // 1000000, us % 1000000,
                                    len(p), len(p)))
                f.write(p)


def qname(name):
    out = b''
    for label in name.split('.'):
        out += bytes([len(label)]) + label.encode()
    return out + b'\0'


def dns_query(qid, name, qtype, rd=True):
    return struct.pack('!HHHHHH', qid, 0x0100 if rd else 0, 1, 0, 0, 0) + \
        qname(name) + struct.pack('!HH', qtype, 1)


def dns_answer(qid, name, qtype, addrs=(), txt=None, ttl=300, rcode=0):
    an = b''
    n = 0
    for a in addrs:
        an += struct.pack('!HHHIH', 0xc00c, 1, 1, ttl, 4) + a
        n += 1
    if txt is not None:
        an += struct.pack('!HHHIH', 0xc00c, 16, 1, 0, len(txt) + 1) + \
            bytes([len(txt)]) + txt
        n += 1
    return struct.pack('!HHHHHH', qid, 0x8180 | rcode, 1, n, 0, 0) + \
        qname(name) + struct.pack('!HH', qtype, 1) + an


class Host:
    """One appliance: its ports, DNS ids and TCP sequence numbers."""

    def __init__(self, cap, addr, rng):
        self.cap, self.addr, self.rng = cap, addr, rng
        self.port = 40000
        self.qid = 1

    def sport(self):
        self.port = 40000 + (self.port - 40000 + 1) % 20000
        return self.port

    def lookup(self, t, name, addrs, qtype=1, server=RESOLVER, txt=None,
               rd=True, ttl=300, after=0.004, rcode=0):
        """A query and its answer after the given time (None: none)."""
        self.qid = (self.qid + 1) & 0xffff
        sp = self.sport()
        self.cap.udp(t, self.addr, sp, server, 53,
                     dns_query(self.qid, name, qtype, rd))
        if after is not None:
            self.cap.udp(t + after, server, 53, self.addr, sp,
                         dns_answer(self.qid, name, qtype, addrs, txt, ttl,
                                    rcode))

    def connect(self, t, dst, dport, req, resp_len, close_after=0.3,
                keepalive=None):
        """A TCP connection: handshake, one request and its answer, then
        keep-alive probes (every keepalive[0] s, keepalive[1] times) and
        the close."""
        sp = self.sport()
        a = self.rng.randrange(1 << 32)
        b = self.rng.randrange(1 << 32)
        c = self.cap
        rtt = 0.02
        c.tcp(t, self.addr, sp, dst, dport, a, 0, 0x02)
        c.tcp(t + rtt, dst, dport, self.addr, sp, b, a + 1, 0x12)
        c.tcp(t + rtt + 0.0001, self.addr, sp, dst, dport, a + 1, b + 1,
              0x10)
        c.tcp(t + rtt + 0.0002, self.addr, sp, dst, dport, a + 1, b + 1,
              0x18, req)
        a += 1 + len(req)
        resp = b'x' * resp_len
        c.tcp(t + 2 * rtt, dst, dport, self.addr, sp, b + 1, a, 0x18, resp)
        b += 1 + len(resp)
        c.tcp(t + 2 * rtt + 0.0001, self.addr, sp, dst, dport, a, b, 0x10)
        end = t + 2 * rtt + close_after
        if keepalive is not None:
            every, n = keepalive
            for k in range(1, n + 1):
                tk = t + 2 * rtt + k * every
                c.tcp(tk, self.addr, sp, dst, dport, a - 1, b, 0x10)
                c.tcp(tk + rtt, dst, dport, self.addr, sp, b, a, 0x10)
            end = t + 2 * rtt + (n + 1) * every
        c.tcp(end, self.addr, sp, dst, dport, a, b, 0x11)
        c.tcp(end + rtt, dst, dport, self.addr, sp, b, a + 1, 0x11)
        c.tcp(end + rtt + 0.0001, self.addr, sp, dst, dport, a + 1, b + 1,
              0x10)


def http(host, path):
    return ('GET %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: t/1\r\n\r\n' %
            (path, host)).encode()


def addr_of(rng):
    return bytes([198, 51, 100, rng.randrange(1, 255)])


def browser_dns(d):
    rng = random.Random(1)
    cap = Pcap()
    pc = Host(cap, PC, rng)
    sites = {
        'news.com': ['www', 'static', 'img', 'api', 'comments'],
        'shop.net': ['www', 'cdn', 'checkout', 'images'],
        'video.org': ['www', 'media', 'r1', 'r2', 'r3', 'r4'],
        'mail.com': ['www', 'inbox', 'attachments'],
        'wiki.org': ['en', 'upload', 'login'],
        'forum.net': ['www', 'avatars'],
    }
    common = ['fonts.googleapis.com', 'ajax.cloudflare.com',
              'www.google-analytics.com', 'connect.facebook.net',
              'cdn.jsdelivr.net', 'stats.doubleclick.net']
    t = T0 + 5
    while t < T0 + 7200:
        site = rng.choice(sorted(sites))
        names = ['%s.%s' % (s, site) for s in
                 rng.sample(sites[site], rng.randrange(1, len(sites[site])
                                                       + 1))]
        names += rng.sample(common, rng.randrange(0, 4))
        for k, n in enumerate(names):
            pc.lookup(t + k * 0.05, n, [addr_of(rng)])
            pc.lookup(t + k * 0.05 + 0.01, n, [], qtype=28)
        t += rng.expovariate(1 / 90.0) + 3
    cap.write(os.path.join(d, 'browser-dns.pcap'))


def ocsp_crl(d):
    rng = random.Random(2)
    cap = Pcap()
    pc = Host(cap, PC, rng)
    responders = [('ocsp.digicert.com', bytes([93, 184, 220, 29])),
                  ('ocsp.pki.goog', bytes([142, 250, 184, 99])),
                  ('crl.microsoft.com', bytes([23, 38, 103, 43]))]
    t = T0 + 3
    while t < T0 + 3600:
        name, a = rng.choice(responders)
        pc.lookup(t, name, [a])
        path = '/crl/x.crl' if name.startswith('crl') else '/MFEwTzBN'
        for k in range(rng.randrange(1, 4)):
            pc.connect(t + 0.1 + k * 0.2, a, 80, http(name, path),
                       rng.randrange(500, 2000), keepalive=(10.2, 7))
        t += rng.expovariate(1 / 150.0) + 20
    cap.write(os.path.join(d, 'ocsp-crl.pcap'))


def updates(d):
    rng = random.Random(3)
    cap = Pcap()
    cam = Host(cap, CAM, rng)
    a = bytes([203, 0, 113, 80])
    hour = 0
    while hour < 72:
        t = T0 + hour * 3600 + rng.randrange(0, 3600)
        cam.lookup(t, 'update.camvendor.com', [a])
        cam.connect(t + 0.1, a, 443, b'\x16\x03\x01' + b'u' * 200, 3000)
        hour += rng.randrange(2, 7)
    cap.write(os.path.join(d, 'updates.pcap'))


def mdns_ssdp(d):
    rng = random.Random(4)
    cap = Pcap()
    mdns = bytes([224, 0, 0, 251])
    ssdp = bytes([239, 255, 255, 250])
    tv = bytes([10, 20, 1, 91])
    for i in range(60):
        t = T0 + i * 60 + rng.uniform(0, 0.5)
        cap.udp(t, CAM, 5353, mdns, 5353,
                dns_query(0, '_googlecast._tcp.local', 12, rd=False))
        cap.udp(t + 0.2, CAM, 60064, ssdp, 1900,
                b'M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\n'
                b'MAN: "ssdp:discover"\r\nMX: 1\r\nST: ssdp:all\r\n\r\n')
        for k in range(3):
            cap.udp(t + 0.25 + k * 0.05, tv, 1900, CAM, 60064,
                    b'HTTP/1.1 200 OK\r\nLOCATION: http://10.20.1.91/d\r\n'
                    b'ST: upnp:rootdevice\r\n\r\n')
        cap.udp(t + 30, CAM, 1900, ssdp, 1900,
                b'NOTIFY * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\n'
                b'NTS: ssdp:alive\r\n\r\n')
    cap.write(os.path.join(d, 'mdns-ssdp.pcap'))


def ntp(sport, t):
    return bytes([0x23, 0, 6, 0xe9]) + b'\0' * 40 + struct.pack('!I', t)


def ntp_site(d):
    rng = random.Random(5)
    cap = Pcap()
    pool = [bytes([212, 96, 160, 147]), bytes([31, 31, 74, 35]),
            bytes([81, 2, 248, 189]), bytes([88, 198, 12, 78])]
    t = T0 + 1
    while t < T0 + 3 * 3600:
        cap.udp(t, CAM, 123, NTPD, 123, ntp(123, int(t)))
        cap.udp(t + 0.001, NTPD, 123, CAM, 123, ntp(123, int(t)))
        t += 64 + rng.uniform(-1, 1)
    cam = Host(cap, CAM, rng)
    t = T0 + 10
    while t < T0 + 3 * 3600:
        cam.lookup(t, 'pool.ntp.org', pool, ttl=1200)
        t += 1024 + rng.uniform(-5, 5)
    for i, a in enumerate(pool):
        t = T0 + 11 + i * 3
        while t < T0 + 3 * 3600:
            cap.udp(t, CAM, 123, a, 123, ntp(123, int(t)))
            cap.udp(t + 0.03, a, 123, CAM, 123, ntp(123, int(t)))
            t += 128 + rng.uniform(-2, 2)
    cap.write(os.path.join(d, 'ntp-site.pcap'))


def vendor_hb(d):
    rng = random.Random(6)
    cap = Pcap()
    cam = Host(cap, CAM, rng)
    a = bytes([203, 0, 113, 50])
    t = T0 + 2
    while t < T0 + 3600:
        cam.lookup(t, 'hb.vendor-cloud.com', [a])
        cam.connect(t + 0.05, a, 443, b'\x16\x03\x01' + b'h' * 180, 400)
        t += 60 + rng.uniform(-1.5, 1.5)
    cap.write(os.path.join(d, 'vendor-hb.pcap'))


def dns_beacon(d):
    rng = random.Random(7)
    cap = Pcap()
    cam = Host(cap, CAM, rng)
    t = T0 + 4
    while t < T0 + 1800:
        cam.lookup(t, 'cmd.update-check.net', [], qtype=16, txt=b'sleep')
        t += 30 + rng.uniform(-1, 1)
    cap.write(os.path.join(d, 'dns-beacon.pcap'))


def dns_tunnel(d):
    rng = random.Random(8)
    cap = Pcap()
    cam = Host(cap, CAM, rng)
    for i in range(40):
        label = '%030x' % rng.randrange(1 << 120)
        cam.lookup(T0 + 1 + i * 1.01, '%s.tun-zone.com' % label, [],
                   qtype=16, txt=b'ok')
    cap.write(os.path.join(d, 'dns-tunnel.pcap'))


def resolver_pair(d):
    rng = random.Random(13)
    cap = Pcap()
    hub = Host(cap, HUB, rng)
    name = 'plug.doorcloud.cn'
    a = [bytes([203, 0, 113, 120])]
    t = T0 + 10
    k = 0
    while t < T0 + 8 * 3600:
        # every other time the gateway is silent; OpenDNS asked anyway
        hub.lookup(t, name, a, after=None if k % 2 else 0.3)
        hub.lookup(t + 4.0 + rng.uniform(0, 0.05), name, a, server=OPENDNS,
                   after=0.1)
        if k == 20:
            # an outage: 2 minutes of both asked in a loop, no answer
            u = t + 30
            while u < t + 150:
                for dt in (0, 1, 2, 4):
                    hub.lookup(u + dt, name, a, after=None)
                for dt in (8, 9, 11):
                    hub.lookup(u + dt, name, a, server=OPENDNS, after=None)
                u += 14.1
        t += 600 * (1 + rng.uniform(-0.05, 0.05))
        k += 1
    cap.write(os.path.join(d, 'resolver-pair.pcap'))


def dns_poll(d):
    rng = random.Random(14)
    cap = Pcap()
    pc = Host(cap, PC, rng)
    t = T0 + 2
    n = 0
    while t < T0 + 120:
        pc.lookup(t, 'q%04d.cmd-relay.net' % n, [bytes([10, 0, 0, n % 4])],
                  after=0.05)
        t += 2.0 * (1 + rng.uniform(-0.15, 0.15))
        n += 1
    cap.write(os.path.join(d, 'dns-poll.pcap'))


def txt_poll(d):
    rng = random.Random(15)
    cap = Pcap()
    pc = Host(cap, PC, rng)
    t = T0 + 5
    timeout = 2.0
    for _ in range(32):
        # nslookup: the resolver's name first (NXDOMAIN), then the poll
        pc.lookup(t, '53.0.20.10.in-addr.arpa', (), qtype=12, after=0.005,
                  rcode=3)
        t += 0.006
        if rng.random() < 0.7:     # mostly the other timeout
            timeout = 3.0 - timeout
        wait = timeout + rng.uniform(0.005, 0.015)
        pc.lookup(t, 'c.1-1.7731.ns.cmd-zone.org', (), qtype=16,
                  after=wait, rcode=2)
        t += wait + rng.uniform(0.08, 0.36) - 0.006
    cap.write(os.path.join(d, 'txt-poll.pcap'))


def re_resolve(d):
    rng = random.Random(16)
    cap = Pcap()
    cam = Host(cap, CAM, rng)
    a = [bytes([203, 0, 113, 140])]
    t = T0 + 7
    while t < T0 + 7200:
        u = t
        for _ in range(rng.randrange(2, 6)):
            cam.lookup(u, 'api.lockvendor-cloud.com', a, ttl=60, after=0.03)
            u += 0.03 + rng.uniform(0.05, 1.5)
        t += 300 * (1 + rng.uniform(-0.1, 0.1))
    pc = Host(cap, PC, rng)
    t = T0 + 600
    for _ in range(40):
        pc.lookup(t, 'feed.newsdesk-cdn.net', [bytes([203, 0, 113, 141])],
                  ttl=0, after=0.02)
        t += 0.02 + rng.uniform(0.05, 1.9)
    cap.write(os.path.join(d, 're-resolve.pcap'))


def long_conn(d):
    rng = random.Random(9)
    cap = Pcap()
    a = bytes([203, 0, 113, 77])
    sp, x, y = 45555, 1000, 9000
    cap.tcp(T0, CAM, sp, a, 8883, x, 0, 0x02)
    cap.tcp(T0 + 0.03, a, 8883, CAM, sp, y, x + 1, 0x12)
    cap.tcp(T0 + 0.0301, CAM, sp, a, 8883, x + 1, y + 1, 0x10)
    x, y = x + 1, y + 1
    t = T0 + 1
    while t < T0 + 5400:
        msg = b'\xc0\x00'                      # PINGREQ
        cap.tcp(t, CAM, sp, a, 8883, x, y, 0x18, msg)
        x += len(msg)
        cap.tcp(t + 0.03, a, 8883, CAM, sp, y, x, 0x18, b'\xd0\x00')
        y += 2
        t += 60 + rng.uniform(-1, 1)
    cap.tcp(T0 + 5400, CAM, sp, a, 8883, x, y, 0x11)
    cap.tcp(T0 + 5400.03, a, 8883, CAM, sp, y, x + 1, 0x11)
    cap.tcp(T0 + 5400.0301, CAM, sp, a, 8883, x + 1, y + 1, 0x10)
    cap.write(os.path.join(d, 'long-conn.pcap'))


def two_services(d):
    rng = random.Random(10)
    cap = Pcap()
    cam = Host(cap, CAM, rng)
    a = bytes([203, 0, 113, 90])
    t = T0 + 3
    while t < T0 + 3600:
        cap.udp(t, CAM, 123, a, 123, ntp(123, int(t)))
        cap.udp(t + 0.02, a, 123, CAM, 123, ntp(123, int(t)))
        t += 64 + rng.uniform(-0.5, 0.5)
    t = T0 + 20
    while t < T0 + 3600:
        cam.connect(t, a, 443, b'\x16\x03\x01' + b'k' * 120, 300)
        t += 150 + rng.uniform(-1, 1)
    cap.write(os.path.join(d, 'two-services.pcap'))


def mqtt_session(cap, rng, src, sp, dst, t, end):
    """An MQTT session over TLS to dst:8883 from t to end: the handshake,
    a ClientHello without a name, then a PINGREQ every 240 s (+-2 s) and
    its PINGRESP, then the close."""
    x, y = rng.randrange(1 << 32), rng.randrange(1 << 32)
    cap.tcp(t, src, sp, dst, 8883, x, 0, 0x02)
    cap.tcp(t + 0.03, dst, 8883, src, sp, y, x + 1, 0x12)
    cap.tcp(t + 0.0301, src, sp, dst, 8883, x + 1, y + 1, 0x10)
    x, y = x + 1, y + 1
    hello = b'\x16\x03\x01' + b'm' * 180
    cap.tcp(t + 0.031, src, sp, dst, 8883, x, y, 0x18, hello)
    x += len(hello)
    cap.tcp(t + 0.06, dst, 8883, src, sp, y, x, 0x18, b's' * 1200)
    y += 1200
    tp = t + 240 + rng.uniform(-2, 2)
    while tp < end:
        cap.tcp(tp, src, sp, dst, 8883, x, y, 0x18, b'\xc0\x00')
        x += 2
        cap.tcp(tp + 0.03, dst, 8883, src, sp, y, x, 0x18, b'\xd0\x00')
        y += 2
        tp += 240 + rng.uniform(-2, 2)
    cap.tcp(end, src, sp, dst, 8883, x, y, 0x11)
    cap.tcp(end + 0.03, dst, 8883, src, sp, y, x + 1, 0x11)
    cap.tcp(end + 0.0301, src, sp, dst, 8883, x + 1, y + 1, 0x10)


def rotating_hub(d):
    rng = random.Random(10)
    cap = Pcap()
    hub = Host(cap, HUB, rng)
    name = 'a3k7x9q2m1-ats.iot.eu-west-1.lockhub-cloud.com'
    t = T0 + 600
    for n in range(3):
        answer = [bytes([203, 0, 113, 100 + 8 * n + k]) for k in range(8)]
        hub.lookup(t, name, answer, ttl=60)
        t += 0.05
        for k in range(6):
            end = t + 3.9 * 3600 - rng.uniform(0, 1200)
            mqtt_session(cap, rng, HUB, hub.sport(), answer[k], t, end)
            t = end + 5 + rng.uniform(0, 5)
    # the camera never looked the address up: no name of its own
    mqtt_session(cap, rng, CAM, 45000, bytes([203, 0, 113, 103]),
                 T0 + 3600, T0 + 3 * 3600)
    cap.write(os.path.join(d, 'rotating-hub.pcap'))


def one_sided(d):
    rng = random.Random(11)
    cap = Pcap()
    broker = bytes([203, 0, 113, 60])
    t = T0 + 5
    for i in range(59):
        sp = 41000 + i
        b = rng.randrange(1 << 32)
        a = rng.randrange(1 << 32)
        cap.tcp(t + 0.03, broker, 1883, HUB, sp, b, a + 1, 0x12)
        cap.tcp(t + 0.28, broker, 1883, HUB, sp, b + 1, a + 1, 0x11)
        t += 9.055 + rng.uniform(-0.03, 0.03)
    for i in range(50):
        # the camera's side only: an outside client's connection to it
        t = T0 + 3 + i * 10 + rng.uniform(-0.05, 0.05)
        cp = 52000 + i
        b = rng.randrange(1 << 32)
        a = rng.randrange(1 << 32)
        cli = bytes([198, 51, 100, 20])
        cap.tcp(t, CAM, 8443, cli, cp, b, a + 1, 0x12)
        cap.tcp(t + 0.05, CAM, 8443, cli, cp, b + 1, a + 41, 0x18,
                b'r' * 300)
        cap.tcp(t + 0.06, CAM, 8443, cli, cp, b + 301, a + 41, 0x11)
    for i in range(40):
        # both sides: another client's connection to the camera
        t = T0 + 4 + i * 12 + rng.uniform(-0.05, 0.05)
        cp = 53000 + i
        b = rng.randrange(1 << 32)
        a = rng.randrange(1 << 32)
        cli = bytes([198, 51, 100, 21])
        cap.tcp(t, cli, cp, CAM, 8443, a, 0, 0x02)
        cap.tcp(t + 0.02, CAM, 8443, cli, cp, b, a + 1, 0x12)
        cap.tcp(t + 0.0201, cli, cp, CAM, 8443, a + 1, b + 1, 0x10)
        cap.tcp(t + 0.021, cli, cp, CAM, 8443, a + 1, b + 1, 0x18,
                b'q' * 40)
        cap.tcp(t + 0.05, CAM, 8443, cli, cp, b + 1, a + 41, 0x18,
                b'r' * 300)
        cap.tcp(t + 0.06, CAM, 8443, cli, cp, b + 301, a + 41, 0x11)
        cap.tcp(t + 0.08, cli, cp, CAM, 8443, a + 41, b + 302, 0x11)
        cap.tcp(t + 0.0801, CAM, 8443, cli, cp, b + 302, a + 42, 0x10)
    cap.write(os.path.join(d, 'one-sided.pcap'))


def irc_bot(d):
    rng = random.Random(12)
    cap = Pcap()
    srv = bytes([198, 51, 100, 66])
    sp, x, y = 49321, rng.randrange(1 << 32), rng.randrange(1 << 32)
    cap.tcp(T0, HUB, sp, srv, 6667, x, 0, 0x02)
    cap.tcp(T0 + 0.03, srv, 6667, HUB, sp, y, x + 1, 0x12)
    cap.tcp(T0 + 0.0301, HUB, sp, srv, 6667, x + 1, y + 1, 0x10)
    x, y = x + 1, y + 1
    reg = b'NICK bot123\r\nUSER bot123 0 * :bot\r\n'
    cap.tcp(T0 + 0.031, HUB, sp, srv, 6667, x, y, 0x18, reg)
    x += len(reg)
    motd = b':irc.example.net 001 bot123 :Welcome\r\n' * 12
    cap.tcp(T0 + 0.2, srv, 6667, HUB, sp, y, x, 0x18, motd)
    y += len(motd)
    cap.tcp(T0 + 0.2001, HUB, sp, srv, 6667, x, y, 0x10)
    join = b'JOIN #ops\r\n'
    cap.tcp(T0 + 0.25, HUB, sp, srv, 6667, x, y, 0x18, join)
    x += len(join)
    t, ping = T0 + 3, T0 + 90 + rng.uniform(0, 5)
    while t < T0 + 1500:
        if t > ping:
            msg = b'PING :irc.example.net\r\n'
            cap.tcp(ping, srv, 6667, HUB, sp, y, x, 0x18, msg)
            y += len(msg)
            msg = b'PONG :irc.example.net\r\n'
            cap.tcp(ping + 0.0004, HUB, sp, srv, 6667, x, y, 0x18, msg)
            x += len(msg)
            ping += 90 + rng.uniform(-0.3, 0.3)
            continue
        line = (':u%d!u@h PRIVMSG #ops :%s\r\n' %
                (rng.randrange(50), 'z' * rng.randrange(20, 90))).encode()
        cap.tcp(t, srv, 6667, HUB, sp, y, x, 0x18, line)
        y += len(line)
        cap.tcp(t + 0.04, HUB, sp, srv, 6667, x, y, 0x10)
        t += 2.1 + rng.expovariate(1 / 4.0)
    cap.tcp(T0 + 1500, HUB, sp, srv, 6667, x, y, 0x11)
    cap.tcp(T0 + 1500.03, srv, 6667, HUB, sp, y, x + 1, 0x11)
    cap.tcp(T0 + 1500.0301, HUB, sp, srv, 6667, x + 1, y + 1, 0x10)
    # the camera's push channel: it never sends data
    a = bytes([203, 0, 113, 31])
    sp, x, y = 45100, rng.randrange(1 << 32), rng.randrange(1 << 32)
    cap.tcp(T0 + 1, CAM, sp, a, 1234, x, 0, 0x02)
    cap.tcp(T0 + 1.0002, a, 1234, CAM, sp, y, x + 1, 0x12)
    cap.tcp(T0 + 1.0003, CAM, sp, a, 1234, x + 1, y + 1, 0x10)
    x, y = x + 1, y + 1
    t = T0 + 1.2
    while t < T0 + 1500:
        cap.tcp(t, a, 1234, CAM, sp, y, x, 0x18, b'p' * 32)
        y += 32
        cap.tcp(t + 0.0001, CAM, sp, a, 1234, x, y, 0x10)
        t += 30 + rng.uniform(-0.01, 0.01)
    cap.write(os.path.join(d, 'irc-bot.pcap'))


def main():
    d = sys.argv[1] if len(sys.argv) > 1 else \
        os.path.dirname(os.path.abspath(__file__))
    for f in (browser_dns, ocsp_crl, updates, mdns_ssdp, ntp_site,
              vendor_hb, dns_beacon, dns_tunnel, long_conn, two_services,
              rotating_hub, one_sided, resolver_pair, dns_poll,
              irc_bot, txt_poll, re_resolve):
        f(d)


if __name__ == '__main__':
    main()
