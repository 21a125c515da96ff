/* Unit tests for packet decoding, from hand-made bytes: good, truncated and malformed. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "decode.h"
#include "bytes.h"
#include "test.h"

static void
ether(struct b *b, uint16_t type)
{
	static const uint8_t	macs[12] = { 2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2 };

	put(b, macs, 12);
	put16(b, type);
}

/* An IPv4 header with IHL ihl (words), total length len, protocol proto. */
static void
ipv4(struct b *b, uint8_t ihl, uint16_t len, uint8_t proto, uint16_t frag,
    uint16_t id)
{
	static const uint8_t	addrs[8] = { 10, 20, 1, 11, 203, 0, 113, 7 };
	int			i;

	put8(b, (uint8_t)(0x40 | ihl));
	put8(b, 0);
	put16(b, len);
	put16(b, id);
	put16(b, frag);
	put8(b, 64);
	put8(b, proto);
	put16(b, 0);
	put(b, addrs, 8);
	for (i = 5; i < ihl; i++)
		put32(b, 0x01010101);	/* NOP options */
}

static void
tcp(struct b *b, uint16_t sport, uint16_t dport, uint8_t off, uint8_t flags)
{
	put16(b, sport);
	put16(b, dport);
	put32(b, 1);
	put32(b, 0);
	put8(b, (uint8_t)(off << 4));
	put8(b, flags);
	put16(b, 65535);
	put32(b, 0);
}

static void
udp(struct b *b, uint16_t sport, uint16_t dport, uint16_t len)
{
	put16(b, sport);
	put16(b, dport);
	put16(b, len);
	put16(b, 0);
}

/* An IPv6 header; payload length plen, next header nh. */
static void
ipv6(struct b *b, uint16_t plen, uint8_t nh)
{
	uint8_t	a[32] = { 0 };

	a[0] = 0xfd;
	a[15] = 0x11;
	a[16] = 0x20;
	a[17] = 0x01;
	a[18] = 0x0d;
	a[19] = 0xb8;
	a[31] = 0x10;
	put32(b, 0x60000000);
	put16(b, plen);
	put8(b, nh);
	put8(b, 64);
	put(b, a, 32);
}

static enum decode_result
dec(struct decoder *d, int dlt, const struct b *b, size_t wire,
    struct pkt *p)
{
	static int64_t	ts = 1000000;

	ts += 1000000;		/* a second apart: never duplicates */
	return decode_packet(d, dlt, b->d, b->n, wire ? wire : b->n, ts, p);
}

/*
 * Two decoders, the same packets: the same duplicates found, even when
 * more packets are in flight than the duplicate table has slots (which
 * ones collide must not depend on a random key).  20,000 UDP datagrams a
 * microsecond apart, each sent again 0.5 ms later.
 */
static int
dup_run(void)
{
	struct decoder	*d = decode_new();
	struct pkt	 p;
	uint8_t		 ip[44];
	int		 i, k, n;

	for (i = 0; i < 20500; i++)
		for (k = 0; k < 2; k++) {
			n = k == 0 ? i : i - 500;
			if (n < 0 || n >= 20000)
				continue;
			memset(ip, 0, sizeof(ip));
			ip[0] = 0x45;
			ip[3] = sizeof(ip);
			ip[4] = (uint8_t)(n >> 8);	/* IP id */
			ip[5] = (uint8_t)n;
			ip[8] = 64;
			ip[9] = 17;
			ip[12] = 10, ip[15] = 5;
			ip[16] = 198, ip[17] = 51, ip[18] = 100, ip[19] = 7;
			ip[20] = 0xc0, ip[21] = (uint8_t)n;	/* ports */
			ip[22] = 0x13, ip[23] = 0x88;
			ip[25] = 24;
			ip[28] = (uint8_t)(n >> 8), ip[29] = (uint8_t)n;
			(void)decode_packet(d, DECODE_DLT_RAW, ip, sizeof(ip),
			    sizeof(ip), 1000000 + (int64_t)i, &p);
		}
	n = (int)d->counters[DC_DUPLICATE];
	decode_free(d);
	return n;
}

static void
test_duplicates_deterministic(void)
{
	int	a = dup_run(), b = dup_run();

	CHECK(a > 0);
	CHECK(a < 20000);		/* collisions did happen */
	CHECK_EQ(a, b);
}

static void
test_ether_vlan_tcp(void)
{
	struct decoder	*d = decode_new();
	struct b	 b = { .n = 0 };
	struct pkt	 p;

	/* QinQ: 802.1ad outer 100, 802.1Q inner 20, IPv4 with options, TCP SYN. */
	ether(&b, 0x88a8);
	put16(&b, 100);
	put16(&b, 0x8100);
	put16(&b, 0x2000 | 20);		/* PCP bits must not leak into the id */
	put16(&b, 0x0800);
	ipv4(&b, 6, 24 + 20, 6, 0, 1);
	tcp(&b, 40000, 443, 5, 0x02);
	CHECK_EQ(dec(d, DECODE_DLT_EN10MB, &b, 0, &p), DECODE_OK);
	CHECK_EQ(p.af, 4);
	CHECK_EQ(p.proto, 6);
	CHECK_EQ(p.has_mac, 1);			/* the sender's, not the receiver's */
	CHECK_EQ(p.mac[0], 2);
	CHECK_EQ(p.mac[5], 2);
	CHECK_EQ(p.nvlan, 2);
	CHECK_EQ(p.vlan[0], 100);
	CHECK_EQ(p.vlan[1], 20);
	CHECK_EQ(p.sport, 40000);
	CHECK_EQ(p.dport, 443);
	CHECK_EQ(p.tcp_flags, 0x02);
	CHECK_EQ(p.ip_len, 44);
	CHECK_EQ(p.truncated, 0);
	CHECK_EQ(p.src[0], 10);
	CHECK_EQ(p.dst[3], 7);

	/* The same frame cut by snaplen inside the TCP header: ports kept. */
	CHECK_EQ(decode_packet(d, DECODE_DLT_EN10MB, b.d, 18 + 4 + 24 + 8,
	    b.n, 99000000, &p), DECODE_OK);
	CHECK_EQ(p.truncated, 1);
	CHECK_EQ(p.ip_len, 44);
	CHECK_EQ(p.dport, 443);
	CHECK_EQ(d->counters[DC_TRUNCATED], 1);

	/* Cut before the ports: not attributable. */
	CHECK_EQ(decode_packet(d, DECODE_DLT_EN10MB, b.d, 18 + 4 + 24 + 2,
	    b.n, 199000000, &p), DECODE_SKIP);
	CHECK_EQ(d->counters[DC_TCP_SHORT], 1);

	/* Five tags are too deep. */
	b.n = 0;
	ether(&b, 0x8100);
	for (int i = 0; i < 4; i++) {
		put16(&b, 1);
		put16(&b, 0x8100);
	}
	put16(&b, 1);
	put16(&b, 0x0800);
	ipv4(&b, 5, 40, 6, 0, 1);
	tcp(&b, 1, 2, 5, 0);
	CHECK_EQ(dec(d, DECODE_DLT_EN10MB, &b, 0, &p), DECODE_SKIP);
	CHECK_EQ(d->counters[DC_VLAN_TOO_DEEP], 1);
	decode_free(d);
}

/* Outer Ethernet, IPv4 and UDP to port 4789 around a VXLAN header. */
static void
vxlan_outer(struct b *b, uint16_t inner_len, uint8_t flags)
{
	ether(b, 0x0800);
	ipv4(b, 5, (uint16_t)(20 + 8 + 8 + inner_len), 17, 0, 9);
	udp(b, 49152, 4789, (uint16_t)(8 + 8 + inner_len));
	put8(b, flags);
	put8(b, 0);
	put16(b, 0);
	put32(b, 0x00123400);		/* VNI 0x1234 */
}

/*
 * VXLAN, when told to enter it: the Ethernet frame inside is the packet;
 * whatever it cannot give, the datagram is a UDP flow (nothing hidden).
 */
static void
test_vxlan(void)
{
	struct decoder	*d = decode_new();
	struct b	 b = { .n = 0 }, x;
	struct pkt	 p;
	int		 i;

	/* a tagged frame inside */
	vxlan_outer(&b, 14 + 4 + 20 + 20, 0x08);
	ether(&b, 0x8100);
	put16(&b, 42);
	put16(&b, 0x0800);
	ipv4(&b, 5, 40, 6, 0, 3);
	tcp(&b, 51000, 8443, 5, 0x02);

	/* not entered by default: a UDP datagram to 4789 */
	CHECK_EQ(dec(d, DECODE_DLT_EN10MB, &b, 0, &p), DECODE_OK);
	CHECK_EQ(p.proto, 17);
	CHECK_EQ(p.dport, 4789);
	CHECK_EQ(p.ip_len, 20 + 8 + 8 + 58);
	CHECK_EQ(d->counters[DC_VXLAN], 0);

	/* entered: its VLAN and MAC, its IP bytes, its ports */
	decode_set_tunnels(d, DECODE_TUN_VXLAN);
	CHECK_EQ(dec(d, DECODE_DLT_EN10MB, &b, 0, &p), DECODE_OK);
	CHECK_EQ(p.af, 4);
	CHECK_EQ(p.proto, 6);
	CHECK_EQ(p.sport, 51000);
	CHECK_EQ(p.dport, 8443);
	CHECK_EQ(p.tcp_flags, 0x02);
	CHECK_EQ(p.ip_len, 40);
	CHECK_EQ(p.nvlan, 1);
	CHECK_EQ(p.vlan[0], 42);
	CHECK_EQ(d->counters[DC_VXLAN], 1);

	/* cut by snaplen inside the inner TCP header: the inner IP length */
	CHECK_EQ(decode_packet(d, DECODE_DLT_EN10MB, b.d, b.n - 16, b.n,
	    50000000, &p), DECODE_OK);
	CHECK_EQ(p.truncated, 1);
	CHECK_EQ(p.ip_len, 40);
	CHECK_EQ(p.dport, 8443);

	/* ... and the datagram around it, a UDP flow of its own */
	CHECK_EQ(decode_next(d, &p), DECODE_OK);
	CHECK_EQ(p.proto, 17);
	CHECK_EQ(p.dport, 4789);
	CHECK_EQ(p.ip_len, 20 + 8 + 8 + 58);
	CHECK_EQ(decode_next(d, &p), DECODE_END);

	/* cut inside the inner Ethernet header: the datagram, truncated */
	CHECK_EQ(decode_packet(d, DECODE_DLT_EN10MB, b.d, 14 + 20 + 8 + 8 + 6,
	    b.n, 60000000, &p), DECODE_SKIP);
	CHECK_EQ(decode_next(d, &p), DECODE_OK);
	CHECK_EQ(p.proto, 17);
	CHECK_EQ(p.dport, 4789);
	CHECK_EQ(p.ip_len, 20 + 8 + 8 + 58);
	CHECK_EQ(p.truncated, 1);
	CHECK_EQ(d->counters[DC_VXLAN_NOT_IP], 1);

	/* a UDP length shorter than the IP payload bounds the inner frame:
	 * its IPv4 length claims more than the datagram holds */
	x = b;
	x.d[14 + 20 + 5] = 8 + 8 + 14 + 4 + 30;	/* UDP length */
	CHECK_EQ(dec(d, DECODE_DLT_EN10MB, &x, 0, &p), DECODE_OK);
	CHECK_EQ(p.proto, 6);
	CHECK_EQ(p.ip_len, 30);
	CHECK_EQ(d->counters[DC_IPV4_LEN], 1);

	/* other flags than I alone: a UDP datagram */
	x = b;
	x.d[14 + 20 + 8] = 0x0c;
	CHECK_EQ(dec(d, DECODE_DLT_EN10MB, &x, 0, &p), DECODE_OK);
	CHECK_EQ(p.dport, 4789);

	/* not IP inside (ARP, with bytes after it): the datagram */
	b.n = 0;
	vxlan_outer(&b, 14 + 28, 0x08);
	ether(&b, 0x0806);
	for (i = 0; i < 7; i++)
		put32(&b, 0x01020304);
	CHECK_EQ(dec(d, DECODE_DLT_EN10MB, &b, 0, &p), DECODE_SKIP);
	CHECK_EQ(decode_next(d, &p), DECODE_OK);
	CHECK_EQ(p.proto, 17);
	CHECK_EQ(p.dport, 4789);
	CHECK_EQ(p.ip_len, 20 + 8 + 8 + 42);
	CHECK_EQ(d->counters[DC_VXLAN_NOT_IP], 2);

	/* the I flag, but not the whole header: the datagram */
	b.n = 0;
	vxlan_outer(&b, 0, 0x08);
	b.n -= 4;
	b.d[14 + 3] = 20 + 8 + 4;		/* IP total length */
	b.d[14 + 20 + 5] = 8 + 4;		/* UDP length */
	CHECK_EQ(dec(d, DECODE_DLT_EN10MB, &b, 0, &p), DECODE_OK);
	CHECK_EQ(p.dport, 4789);
	CHECK_EQ(p.ip_len, 32);
	CHECK_EQ(d->counters[DC_VXLAN_SHORT], 1);

	/* a fragment of a datagram to 4789: stays a UDP flow */
	b.n = 0;
	ether(&b, 0x0800);
	ipv4(&b, 5, 20 + 8 + 8 + 16, 17, 0x2000, 77);	/* MF, offset 0 */
	udp(&b, 49152, 4789, 8 + 8 + 1000);
	put8(&b, 0x08);
	put8(&b, 0);
	put16(&b, 0);
	put32(&b, 0x00123400);
	for (i = 0; i < 4; i++)
		put32(&b, 0);
	CHECK_EQ(dec(d, DECODE_DLT_EN10MB, &b, 0, &p), DECODE_OK);
	CHECK_EQ(p.dport, 4789);
	CHECK_EQ(d->counters[DC_VXLAN_FRAGMENT], 1);

	/* four deep: the third tunnel's datagram */
	b.n = 0;
	for (i = 0; i < 4; i++)
		vxlan_outer(&b, (uint16_t)((3 - i) * 50 + 40), 0x08);
	ipv4(&b, 5, 40, 6, 0, 3);
	tcp(&b, 1, 2, 5, 0);
	CHECK_EQ(dec(d, DECODE_DLT_EN10MB, &b, 0, &p), DECODE_OK);
	CHECK_EQ(p.proto, 17);
	CHECK_EQ(p.dport, 4789);
	CHECK_EQ(d->counters[DC_VXLAN_TOO_DEEP], 1);
	decode_free(d);
}

/* PPPoE sessions: IP inside is decoded, PPP control is not IP. */
static void
test_pppoe(void)
{
	struct decoder	*d = decode_new();
	struct b	 b = { .n = 0 };
	struct pkt	 p;

	/* IPv4 over PPPoE in a VLAN, with Ethernet padding after it */
	ether(&b, 0x8100);
	put16(&b, 35);
	put16(&b, 0x8864);
	put8(&b, 0x11);
	put8(&b, 0);
	put16(&b, 0x1234);		/* session */
	put16(&b, 2 + 20 + 8);
	put16(&b, 0x0021);
	ipv4(&b, 5, 28, 17, 0, 7);
	udp(&b, 5353, 53, 8);
	put32(&b, 0);			/* padding */
	CHECK_EQ(dec(d, DECODE_DLT_EN10MB, &b, 0, &p), DECODE_OK);
	CHECK_EQ(p.af, 4);
	CHECK_EQ(p.nvlan, 1);
	CHECK_EQ(p.vlan[0], 35);
	CHECK_EQ(p.sport, 5353);
	CHECK_EQ(p.dport, 53);
	CHECK_EQ(p.ip_len, 28);
	CHECK_EQ(d->counters[DC_PPPOE], 1);

	/* IPv6 (PPP 0x0057) */
	b.n = 0;
	ether(&b, 0x8864);
	put8(&b, 0x11);
	put8(&b, 0);
	put16(&b, 1);
	put16(&b, 2 + 40 + 20);
	put16(&b, 0x0057);
	ipv6(&b, 20, 6);
	tcp(&b, 40000, 80, 5, 0x02);
	CHECK_EQ(dec(d, DECODE_DLT_EN10MB, &b, 0, &p), DECODE_OK);
	CHECK_EQ(p.af, 6);
	CHECK_EQ(p.dport, 80);
	CHECK_EQ(p.ip_len, 60);

	/* a compressed protocol field (0x21: IPv4), and an IPv4 total
	 * length past the frame: the bytes the frame carried after the
	 * Ethernet and PPPoE headers are the IP bytes */
	b.n = 0;
	ether(&b, 0x8864);
	put8(&b, 0x11);
	put8(&b, 0);
	put16(&b, 1);
	put16(&b, 1 + 20 + 8);
	put8(&b, 0x21);
	ipv4(&b, 5, 1400, 17, 0, 8);
	udp(&b, 5353, 53, 8);
	CHECK_EQ(dec(d, DECODE_DLT_EN10MB, &b, 0, &p), DECODE_OK);
	CHECK_EQ(p.af, 4);
	CHECK_EQ(p.dport, 53);
	CHECK_EQ(p.ip_len, b.n - 14 - 7);
	CHECK_EQ(d->counters[DC_IPV4_LEN], 1);
	CHECK_EQ(d->counters[DC_PPPOE], 3);

	/* LCP: PPPoE, but not IP */
	b.n = 0;
	ether(&b, 0x8864);
	put8(&b, 0x11);
	put8(&b, 0);
	put16(&b, 1);
	put16(&b, 6);
	put16(&b, 0xc021);
	put32(&b, 0x09010004);
	CHECK_EQ(dec(d, DECODE_DLT_EN10MB, &b, 0, &p), DECODE_SKIP);
	CHECK_EQ(d->counters[DC_NON_IP], 1);
	CHECK_EQ(d->counters[DC_PPPOE], 4);

	/* a discovery code in a session frame; then a header cut short */
	b.n = 0;
	ether(&b, 0x8864);
	put8(&b, 0x11);
	put8(&b, 0x09);			/* PADI */
	put16(&b, 0);
	put16(&b, 0);
	put16(&b, 0x0021);
	CHECK_EQ(dec(d, DECODE_DLT_EN10MB, &b, 0, &p), DECODE_SKIP);
	CHECK_EQ(d->counters[DC_PPPOE_BAD], 1);
	b.n = 14 + 5;
	CHECK_EQ(dec(d, DECODE_DLT_EN10MB, &b, 0, &p), DECODE_SKIP);
	CHECK_EQ(d->counters[DC_PPPOE_SHORT], 1);
	CHECK_EQ(d->counters[DC_PPPOE], 4);
	decode_free(d);
}

static void
test_ipv4_malformed(void)
{
	struct decoder	*d = decode_new();
	struct b	 b;
	struct pkt	 p;

	b.n = 0;				/* IHL 3 */
	ether(&b, 0x0800);
	ipv4(&b, 5, 40, 6, 0, 2);
	b.d[14] = 0x43;
	tcp(&b, 1, 2, 5, 0);
	CHECK_EQ(dec(d, DECODE_DLT_EN10MB, &b, 0, &p), DECODE_SKIP);
	CHECK_EQ(d->counters[DC_IPV4_HLEN], 1);

	b.n = 0;				/* version 5 */
	ether(&b, 0x0800);
	ipv4(&b, 5, 40, 6, 0, 3);
	b.d[14] = 0x55;
	tcp(&b, 1, 2, 5, 0);
	CHECK_EQ(dec(d, DECODE_DLT_EN10MB, &b, 0, &p), DECODE_SKIP);
	CHECK_EQ(d->counters[DC_IPV4_VERSION], 1);

	b.n = 0;				/* total length < header */
	ether(&b, 0x0800);
	ipv4(&b, 5, 12, 6, 0, 4);
	tcp(&b, 1, 2, 5, 0);
	CHECK_EQ(dec(d, DECODE_DLT_EN10MB, &b, 0, &p), DECODE_SKIP);
	CHECK_EQ(d->counters[DC_IPV4_LEN], 1);

	/* Total length > the frame: counted with the bytes really sent. */
	b.n = 0;
	ether(&b, 0x0800);
	ipv4(&b, 5, 1500, 6, 0, 5);
	tcp(&b, 1, 2, 5, 0);
	CHECK_EQ(dec(d, DECODE_DLT_EN10MB, &b, 0, &p), DECODE_OK);
	CHECK_EQ(d->counters[DC_IPV4_LEN], 2);
	CHECK_EQ(p.ip_len, 40);
	CHECK_EQ(p.truncated, 0);

	/* TCP data offset 3: counted (ports are good), flags not believed. */
	b.n = 0;
	ether(&b, 0x0800);
	ipv4(&b, 5, 40, 6, 0, 6);
	tcp(&b, 1, 2, 3, 0x04);
	CHECK_EQ(dec(d, DECODE_DLT_EN10MB, &b, 0, &p), DECODE_OK);
	CHECK_EQ(d->counters[DC_TCP_BAD_OFF], 1);
	CHECK_EQ(p.tcp_flags, 0);
	CHECK_EQ(p.dport, 2);

	b.n = 0;				/* UDP length 4 */
	ether(&b, 0x0800);
	ipv4(&b, 5, 28, 17, 0, 7);
	udp(&b, 53, 53, 4);
	CHECK_EQ(dec(d, DECODE_DLT_EN10MB, &b, 0, &p), DECODE_OK);
	CHECK_EQ(d->counters[DC_UDP_BAD_LEN], 1);
	CHECK_EQ(p.payload_len, 0);

	b.n = 0;				/* TCP in 2 bytes: no ports */
	ether(&b, 0x0800);
	ipv4(&b, 5, 22, 6, 0, 17);
	put16(&b, 1);
	CHECK_EQ(dec(d, DECODE_DLT_EN10MB, &b, 0, &p), DECODE_SKIP);
	CHECK_EQ(d->counters[DC_TCP_SHORT], 1);

	b.n = 0;				/* 10-byte Ethernet */
	ether(&b, 0x0800);
	b.n = 10;
	CHECK_EQ(dec(d, DECODE_DLT_EN10MB, &b, 0, &p), DECODE_SKIP);
	CHECK_EQ(d->counters[DC_ETH_SHORT], 1);

	b.n = 0;				/* ARP */
	ether(&b, 0x0806);
	put32(&b, 0);
	CHECK_EQ(dec(d, DECODE_DLT_EN10MB, &b, 0, &p), DECODE_SKIP);
	CHECK_EQ(d->counters[DC_NON_IP], 1);

	b.n = 0;				/* padding after a short packet */
	ether(&b, 0x0800);
	ipv4(&b, 5, 28, 17, 0, 8);
	udp(&b, 123, 123, 8);
	put32(&b, 0xdeadbeef);
	put16(&b, 0);
	CHECK_EQ(dec(d, DECODE_DLT_EN10MB, &b, 0, &p), DECODE_OK);
	CHECK_EQ(p.ip_len, 28);
	CHECK_EQ(p.payload_len, 0);
	CHECK_EQ(p.truncated, 0);

	CHECK_EQ(dec(d, 9999, &b, 0, &p), DECODE_SKIP);
	CHECK_EQ(d->counters[DC_LINK_UNSUPPORTED], 1);
	decode_free(d);
}

static void
test_fragments(void)
{
	struct decoder	*d = decode_new();
	struct b	 b;
	struct pkt	 p;

	b.n = 0;				/* first fragment: MF, offset 0 */
	ether(&b, 0x0800);
	ipv4(&b, 5, 20 + 16, 17, 0x2000, 77);
	udp(&b, 5000, 6000, 3000);
	put32(&b, 0);
	put32(&b, 0);
	CHECK_EQ(dec(d, DECODE_DLT_EN10MB, &b, 0, &p), DECODE_OK);
	CHECK_EQ(p.frag, DECODE_FRAG_FIRST);
	CHECK_EQ(p.sport, 5000);

	b.n = 0;				/* later fragment: no header */
	ether(&b, 0x0800);
	ipv4(&b, 5, 20 + 16, 17, 2, 77);
	put32(&b, 0xffffffff);
	put32(&b, 0xffffffff);
	put32(&b, 0);
	put32(&b, 0);
	CHECK_EQ(dec(d, DECODE_DLT_EN10MB, &b, 0, &p), DECODE_OK);
	CHECK_EQ(p.frag, DECODE_FRAG_LATER);
	CHECK_EQ(p.sport, 5000);
	CHECK_EQ(p.dport, 6000);
	CHECK_EQ(p.ip_len, 36);

	b.d[14 + 5] = 78;			/* another id: orphan */
	CHECK_EQ(dec(d, DECODE_DLT_EN10MB, &b, 0, &p), DECODE_OK);
	CHECK_EQ(p.sport, 0);
	CHECK_EQ(d->counters[DC_FRAG_ORPHAN], 1);
	decode_free(d);
}

static void
test_ipv6_ext(void)
{
	struct decoder	*d = decode_new();
	struct b	 b;
	struct pkt	 p;
	int		 i;

	/* Hop-by-hop, routing, AH, destination options, then UDP, raw link. */
	b.n = 0;
	ipv6(&b, 8 + 24 + 16 + 8 + 8, 0);
	put8(&b, 43); put8(&b, 0); put16(&b, 0); put32(&b, 0);
	put8(&b, 51); put8(&b, 2); put16(&b, 0); put32(&b, 0);
	put32(&b, 0); put32(&b, 0); put32(&b, 0); put32(&b, 0);
	put8(&b, 60); put8(&b, 2); put16(&b, 0); put32(&b, 0);
	put32(&b, 0); put32(&b, 0);
	put8(&b, 17); put8(&b, 0); put16(&b, 0); put32(&b, 0);
	udp(&b, 5353, 53, 8);
	CHECK_EQ(dec(d, DECODE_DLT_RAW, &b, 0, &p), DECODE_OK);
	CHECK_EQ(p.af, 6);
	CHECK_EQ(p.proto, 17);
	CHECK_EQ(p.sport, 5353);
	CHECK_EQ(p.ip_len, 40 + 64);

	/* The same packet 1 ms later: a SPAN duplicate. */
	CHECK_EQ(decode_packet(d, DECODE_DLT_RAW, b.d, b.n, b.n, 500000000,
	    &p), DECODE_OK);
	CHECK_EQ(decode_packet(d, DECODE_DLT_RAW, b.d, b.n, b.n, 500001000,
	    &p), DECODE_DUP);
	/* Another UDP checksum behind 64 bytes of headers: not a duplicate. */
	b.d[b.n - 1] = 0x55;
	CHECK_EQ(decode_packet(d, DECODE_DLT_RAW, b.d, b.n, b.n, 500002000,
	    &p), DECODE_OK);
	CHECK_EQ(d->counters[DC_DUPLICATE], 1);

	/* Ten destination options headers: too deep. */
	b.n = 0;
	ipv6(&b, 80 + 8, 60);
	for (i = 0; i < 10; i++) {
		put8(&b, i == 9 ? 17 : 60);
		put8(&b, 0); put16(&b, 0); put32(&b, 0);
	}
	udp(&b, 1, 2, 8);
	/* too deep: a flow of its addresses and the header it stopped at */
	CHECK_EQ(dec(d, DECODE_DLT_IPV6, &b, 0, &p), DECODE_OK);
	CHECK_EQ(d->counters[DC_IPV6_EXT_TOO_DEEP], 1);
	CHECK_EQ(p.proto, 60);
	CHECK_EQ(p.sport, 0);
	CHECK_EQ(p.dport, 0);
	CHECK_EQ(p.ip_len, 40 + 88);
	CHECK_EQ(p.dst[0], 0x20);

	/* An extension header longer than the payload: likewise. */
	b.n = 0;
	ipv6(&b, 8, 0);
	put8(&b, 17); put8(&b, 4); put16(&b, 0); put32(&b, 0);
	CHECK_EQ(dec(d, DECODE_DLT_IPV6, &b, 0, &p), DECODE_OK);
	CHECK_EQ(p.proto, 0);
	CHECK_EQ(d->counters[DC_IPV6_EXT_SHORT], 1);

	/* Fragment header, first then later fragment. */
	b.n = 0;
	ipv6(&b, 8 + 8, 44);
	put8(&b, 17); put8(&b, 0); put16(&b, 1); put32(&b, 0xabcd);
	udp(&b, 7000, 8000, 100);
	CHECK_EQ(dec(d, DECODE_DLT_IPV6, &b, 0, &p), DECODE_OK);
	CHECK_EQ(p.frag, DECODE_FRAG_FIRST);
	b.n = 0;
	ipv6(&b, 8 + 8, 44);
	put8(&b, 17); put8(&b, 0); put16(&b, 8 << 3); put32(&b, 0xabcd);
	put32(&b, 0); put32(&b, 0);
	CHECK_EQ(dec(d, DECODE_DLT_IPV6, &b, 0, &p), DECODE_OK);
	CHECK_EQ(p.frag, DECODE_FRAG_LATER);
	CHECK_EQ(p.sport, 7000);
	decode_free(d);
}

static void
test_links(void)
{
	struct decoder	*d = decode_new();
	struct b	 b, ip;
	struct pkt	 p;

	ip.n = 0;
	ipv4(&ip, 5, 28, 17, 0, 9);
	udp(&ip, 1111, 53, 8);

	b.n = 0;				/* SLL, a 6-byte address */
	put16(&b, 0); put16(&b, 1); put16(&b, 6);
	put32(&b, 0x0a0b0c0d); put32(&b, 0x0e0f0000);
	put16(&b, 0x0800);
	put(&b, ip.d, ip.n);
	CHECK_EQ(dec(d, DECODE_DLT_LINUX_SLL, &b, 0, &p), DECODE_OK);
	CHECK_EQ(p.dport, 53);
	CHECK_EQ(p.has_mac, 1);
	CHECK_EQ(p.mac[0], 0x0a);
	CHECK_EQ(p.mac[5], 0x0f);
	b.d[5] = 4;				/* halen 4: no MAC */
	ip.d[5]++;
	memcpy(b.d + 16, ip.d, ip.n);
	CHECK_EQ(dec(d, DECODE_DLT_LINUX_SLL, &b, 0, &p), DECODE_OK);
	CHECK_EQ(p.has_mac, 0);

	b.n = 0;				/* SLL2 */
	put16(&b, 0x0800); put16(&b, 0); put32(&b, 2);
	put16(&b, 1); put8(&b, 0); put8(&b, 6);
	put32(&b, 0x1a1b1c1d); put32(&b, 0x1e1f0000);
	put(&b, ip.d, ip.n);
	ip.d[5]++;				/* another IP id: no duplicate */
	CHECK_EQ(dec(d, DECODE_DLT_LINUX_SLL2, &b, 0, &p), DECODE_OK);
	CHECK_EQ(p.dport, 53);
	CHECK_EQ(p.has_mac, 1);
	CHECK_EQ(p.mac[0], 0x1a);
	CHECK_EQ(p.mac[5], 0x1f);

	b.n = 0;				/* BSD null, little-endian AF_INET */
	put8(&b, 2); put8(&b, 0); put8(&b, 0); put8(&b, 0);
	put(&b, ip.d, ip.n);
	CHECK_EQ(dec(d, DECODE_DLT_NULL, &b, 0, &p), DECODE_OK);
	b.d[0] = 0; b.d[3] = 2;			/* big-endian writer */
	CHECK_EQ(dec(d, DECODE_DLT_NULL, &b, 0, &p), DECODE_OK);
	CHECK_EQ(dec(d, DECODE_DLT_LOOP, &b, 0, &p), DECODE_OK);
	b.d[3] = 99;
	CHECK_EQ(dec(d, DECODE_DLT_LOOP, &b, 0, &p), DECODE_SKIP);
	CHECK_EQ(d->counters[DC_NULL_FAMILY], 1);

	CHECK_EQ(dec(d, DECODE_DLT_IPV4, &ip, 0, &p), DECODE_OK);
	ip.d[0] = 0x75;
	CHECK_EQ(dec(d, DECODE_DLT_RAW, &ip, 0, &p), DECODE_SKIP);
	CHECK_EQ(d->counters[DC_RAW_VERSION], 1);
	decode_free(d);
}

static void
test_erspan(void)
{
	struct decoder	*d = decode_new();
	struct b	 b, inner;
	struct pkt	 p;

	inner.n = 0;
	ether(&inner, 0x8100);
	put16(&inner, 30);
	put16(&inner, 0x0800);
	ipv4(&inner, 5, 40, 6, 0, 10);
	tcp(&inner, 50000, 80, 5, 0x10);

	/* GRE with sequence number, ERSPAN type II, in IPv4. */
	b.n = 0;
	ether(&b, 0x0800);
	ipv4(&b, 5, (uint16_t)(20 + 8 + 8 + inner.n), 47, 0, 11);
	put16(&b, 0x1000); put16(&b, 0x88be); put32(&b, 1);
	put16(&b, 0x1000 | 30); put16(&b, 0); put32(&b, 0);
	put(&b, inner.d, inner.n);
	/* not entered by default: a GRE flow, nothing else */
	CHECK_EQ(dec(d, DECODE_DLT_EN10MB, &b, 0, &p), DECODE_OK);
	CHECK_EQ(p.proto, 47);
	CHECK_EQ(p.ip_len, 20 + 8 + 8 + inner.n);
	CHECK_EQ(decode_next(d, &p), DECODE_END);
	CHECK_EQ(d->counters[DC_TUNNEL_OFF], 1);
	CHECK_EQ(d->counters[DC_GRE], 0);
	/* GRE (TEB) alone does not enter ERSPAN */
	decode_set_tunnels(d, DECODE_TUN_GRE);
	CHECK_EQ(dec(d, DECODE_DLT_EN10MB, &b, 0, &p), DECODE_OK);
	CHECK_EQ(p.proto, 47);
	CHECK_EQ(d->counters[DC_TUNNEL_OFF], 2);
	/* entered: the mirrored packet, then the GRE datagram itself */
	decode_set_tunnels(d, DECODE_TUN_ERSPAN);
	CHECK_EQ(dec(d, DECODE_DLT_EN10MB, &b, 0, &p), DECODE_OK);
	CHECK_EQ(p.proto, 6);
	CHECK_EQ(p.dport, 80);
	CHECK_EQ(p.vlan[0], 30);
	CHECK_EQ(p.ip_len, 40);
	CHECK_EQ(d->counters[DC_GRE], 1);
	CHECK_EQ(decode_next(d, &p), DECODE_OK);
	CHECK_EQ(p.proto, 47);
	CHECK_EQ(p.ip_len, 20 + 8 + 8 + inner.n);
	CHECK_EQ(decode_next(d, &p), DECODE_END);

	/* ERSPAN type III with the O bit: 12 + 8 bytes. */
	b.n = 0;
	ether(&b, 0x0800);
	ipv4(&b, 5, (uint16_t)(20 + 4 + 20 + inner.n), 47, 0, 12);
	put16(&b, 0); put16(&b, 0x22eb);
	put16(&b, 0x2000); put16(&b, 0); put32(&b, 0); put16(&b, 0);
	put16(&b, 1);
	put32(&b, 0); put32(&b, 0);
	put(&b, inner.d, inner.n);
	inner.d[18 + 5]++;
	CHECK_EQ(dec(d, DECODE_DLT_EN10MB, &b, 0, &p), DECODE_OK);
	CHECK_EQ(p.dport, 80);

	/* Wrong ERSPAN version: the GRE flow, nothing inside. */
	b.d[14 + 20 + 4] = 0x50;
	CHECK_EQ(dec(d, DECODE_DLT_EN10MB, &b, 0, &p), DECODE_OK);
	CHECK_EQ(p.proto, 47);
	CHECK_EQ(decode_next(d, &p), DECODE_END);
	CHECK_EQ(d->counters[DC_ERSPAN_VERSION], 1);

	/* AH in IPv4, then TCP. */
	b.n = 0;
	ipv4(&b, 5, 20 + 16 + 20, 51, 0, 14);
	put8(&b, 6); put8(&b, 2); put16(&b, 0); put32(&b, 0x100);
	put32(&b, 1); put32(&b, 0);
	tcp(&b, 33000, 8000, 5, 0x02);
	CHECK_EQ(dec(d, DECODE_DLT_RAW, &b, 0, &p), DECODE_OK);
	CHECK_EQ(p.proto, 6);
	CHECK_EQ(p.dport, 8000);
	CHECK_EQ(p.tcp_flags, 0x02);
	b.d[20 + 1] = 200;			/* AH longer than the packet */
	CHECK_EQ(dec(d, DECODE_DLT_RAW, &b, 0, &p), DECODE_OK);
	CHECK_EQ(p.proto, 51);			/* a flow of protocol AH */
	CHECK_EQ(d->counters[DC_AH_SHORT], 1);

	/* GRE carrying IPv4 is a GRE flow, not remote SPAN. */
	b.n = 0;
	ether(&b, 0x0800);
	ipv4(&b, 5, 20 + 4 + 20, 47, 0, 13);
	put16(&b, 0); put16(&b, 0x0800);
	ipv4(&b, 5, 20, 6, 0, 1);
	CHECK_EQ(dec(d, DECODE_DLT_EN10MB, &b, 0, &p), DECODE_OK);
	CHECK_EQ(p.proto, 47);
	decode_free(d);
}

/* GRE (TEB) around a frame: outer Ethernet, IPv4 from src, GRE. */
static void
gre_wrap(struct b *out, const struct b *frame, uint8_t src_last)
{
	out->n = 0;
	ether(out, 0x0800);
	ipv4(out, 5, (uint16_t)(20 + 4 + frame->n), 47, 0, 21);
	out->d[14 + 15] = src_last;		/* 10.20.1.x */
	put16(out, 0);
	put16(out, 0x6558);
	put(out, frame->d, frame->n);
}

/*
 * Issue 15: a tunnel is entered only when told, and only from the listed
 * mirror sources when there are; every datagram around a packet is a flow
 * of its own, and one too deep stays the flow of its last IP header.
 */
static void
test_tunnels(void)
{
	struct decoder	*d = decode_new();
	struct b	 frame, b;
	struct pkt	 p;
	uint8_t		 net[4] = { 10, 20, 1, 0 }, one[4] = { 10, 20, 1, 9 };
	unsigned int	 kinds;
	int		 i, n;

	CHECK_EQ(decode_tunnel_kinds("gre,erspan,vxlan", &kinds), 0);
	CHECK_EQ(kinds, DECODE_TUN_ALL);
	CHECK_EQ(decode_tunnel_kinds("vxlan", &kinds), 0);
	CHECK_EQ(kinds, DECODE_TUN_VXLAN);
	CHECK_EQ(decode_tunnel_kinds("gre,", &kinds), -1);
	CHECK_EQ(decode_tunnel_kinds("l2tp", &kinds), -1);
	CHECK_STR(decode_tunnel_name(DECODE_TUN_ERSPAN), "erspan");

	/* A UDP datagram in GRE four deep. */
	frame.n = 0;
	ether(&frame, 0x0800);
	ipv4(&frame, 5, 20 + 8 + 4, 17, 0, 1);
	udp(&frame, 41000, 7000, 8 + 4);
	put32(&frame, 0x64656570);
	for (i = 0; i < 4; i++) {
		gre_wrap(&b, &frame, (uint8_t)(61 + i));
		frame = b;
	}
	/* by default: the outermost GRE datagram, a flow with its bytes */
	CHECK_EQ(dec(d, DECODE_DLT_EN10MB, &b, 0, &p), DECODE_OK);
	CHECK_EQ(p.proto, 47);
	CHECK_EQ(p.src[3], 64);
	CHECK_EQ(p.ip_len, b.n - 14);
	CHECK_EQ(decode_next(d, &p), DECODE_END);
	/* entered: three tunnels deep, the fourth datagram stays GRE */
	decode_set_tunnels(d, DECODE_TUN_GRE);
	CHECK_EQ(dec(d, DECODE_DLT_EN10MB, &b, 0, &p), DECODE_OK);
	CHECK_EQ(p.proto, 47);
	CHECK_EQ(p.src[3], 61);
	CHECK_EQ(d->counters[DC_GRE_TOO_DEEP], 1);
	for (n = 0; decode_next(d, &p) == DECODE_OK; n++) {
		CHECK_EQ(p.proto, 47);
		CHECK_EQ(p.src[3], 64 - n);
	}
	CHECK_EQ(n, 3);
	CHECK_EQ(d->counters[DC_GRE], 3);

	/* Three deep: the UDP datagram inside, then the three around it. */
	frame.n = 0;
	ether(&frame, 0x0800);
	ipv4(&frame, 5, 20 + 8 + 4, 17, 0, 1);
	udp(&frame, 41000, 7000, 8 + 4);
	put32(&frame, 0x64656570);
	for (i = 0; i < 3; i++) {
		gre_wrap(&b, &frame, (uint8_t)(61 + i));
		frame = b;
	}
	CHECK_EQ(dec(d, DECODE_DLT_EN10MB, &b, 0, &p), DECODE_OK);
	CHECK_EQ(p.proto, 17);
	CHECK_EQ(p.dport, 7000);
	for (n = 0; decode_next(d, &p) == DECODE_OK; n++)
		CHECK_EQ(p.proto, 47);
	CHECK_EQ(n, 3);

	/* Only from listed mirror sources: 10.20.1.9 alone, then its /24. */
	decode_free(d);
	d = decode_new();
	CHECK_EQ(decode_add_source(d, DECODE_TUN_GRE, 4, one, 32), 0);
	CHECK_EQ(dec(d, DECODE_DLT_EN10MB, &b, 0, &p), DECODE_OK);
	CHECK_EQ(p.proto, 47);
	CHECK_EQ(decode_next(d, &p), DECODE_END);
	CHECK_EQ(d->counters[DC_TUNNEL_SOURCE], 1);
	CHECK_EQ(decode_add_source(d, DECODE_TUN_GRE, 4, net, 24), 0);
	CHECK_EQ(dec(d, DECODE_DLT_EN10MB, &b, 0, &p), DECODE_OK);
	CHECK_EQ(p.proto, 17);
	CHECK_EQ(decode_add_source(d, DECODE_TUN_GRE, 4, net, 33), -1);
	decode_free(d);
}

/* MPLS label stack (RFC 3032) in front of IPv4, IPv6 and what is not IP. */
static void
mpls(struct b *b, int labels)
{
	int	i;

	for (i = 0; i < labels; i++)
		put32(b, (uint32_t)(100 + i) << 12 |
		    (i == labels - 1 ? 0x100u : 0) | 64);
}

/* Issue 14: MPLS unicast and multicast, with VLANs, stacks, limits. */
static void
test_mpls(void)
{
	struct decoder	*d = decode_new();
	struct b	 b;
	struct pkt	 p;

	b.n = 0;
	ether(&b, 0x8847);
	mpls(&b, 1);
	ipv4(&b, 5, 40, 6, 0, 3);
	tcp(&b, 40000, 443, 5, 0x02);
	CHECK_EQ(dec(d, DECODE_DLT_EN10MB, &b, 0, &p), DECODE_OK);
	CHECK_EQ(p.af, 4);
	CHECK_EQ(p.dport, 443);
	CHECK_EQ(p.ip_len, 40);
	CHECK_EQ(d->counters[DC_MPLS], 1);

	/* multicast EtherType, in a VLAN, three labels, IPv6 */
	b.n = 0;
	ether(&b, 0x8100);
	put16(&b, 30);
	put16(&b, 0x8848);
	mpls(&b, 3);
	ipv6(&b, 8, 17);
	udp(&b, 5000, 123, 8);
	CHECK_EQ(dec(d, DECODE_DLT_EN10MB, &b, 0, &p), DECODE_OK);
	CHECK_EQ(p.af, 6);
	CHECK_EQ(p.dport, 123);
	CHECK_EQ(p.vlan[0], 30);
	CHECK_EQ(p.ip_len, 48);

	/* a pseudowire control word: not IP, counted */
	b.n = 0;
	ether(&b, 0x8847);
	mpls(&b, 1);
	put32(&b, 0);
	ether(&b, 0x0800);
	ipv4(&b, 5, 28, 17, 0, 3);
	udp(&b, 1, 53, 8);
	CHECK_EQ(dec(d, DECODE_DLT_EN10MB, &b, 0, &p), DECODE_SKIP);
	CHECK_EQ(d->counters[DC_MPLS_PW], 1);

	/* another first nibble: not IP */
	b.n = 0;
	ether(&b, 0x8847);
	mpls(&b, 2);
	put32(&b, 0x10000000);
	CHECK_EQ(dec(d, DECODE_DLT_EN10MB, &b, 0, &p), DECODE_SKIP);
	CHECK_EQ(d->counters[DC_MPLS_NOT_IP], 1);

	/* DECODE_MAX_MPLS labels are walked, one more is too deep */
	b.n = 0;
	ether(&b, 0x8847);
	mpls(&b, DECODE_MAX_MPLS);
	ipv4(&b, 5, 28, 17, 0, 3);
	udp(&b, 1, 9, 8);
	CHECK_EQ(dec(d, DECODE_DLT_EN10MB, &b, 0, &p), DECODE_OK);
	b.n = 0;
	ether(&b, 0x8847);
	mpls(&b, DECODE_MAX_MPLS + 1);
	ipv4(&b, 5, 28, 17, 0, 3);
	udp(&b, 1, 9, 8);
	CHECK_EQ(dec(d, DECODE_DLT_EN10MB, &b, 0, &p), DECODE_SKIP);
	CHECK_EQ(d->counters[DC_MPLS_TOO_DEEP], 1);

	/* no bottom of stack before the end, and nothing after it */
	b.n = 0;
	ether(&b, 0x8847);
	put32(&b, 100 << 12 | 64);
	put16(&b, 0);
	CHECK_EQ(dec(d, DECODE_DLT_EN10MB, &b, 0, &p), DECODE_SKIP);
	b.n = 0;
	ether(&b, 0x8847);
	mpls(&b, 1);
	CHECK_EQ(dec(d, DECODE_DLT_EN10MB, &b, 0, &p), DECODE_SKIP);
	CHECK_EQ(d->counters[DC_MPLS_SHORT], 2);

	/* Linux cooked capture of MPLS */
	b.n = 0;
	put16(&b, 0); put16(&b, 1); put16(&b, 6);
	put32(&b, 0x02000000); put32(&b, 0x00010000);
	put16(&b, 0x8847);
	mpls(&b, 1);
	ipv4(&b, 5, 28, 17, 0, 3);
	udp(&b, 1, 9, 8);
	CHECK_EQ(dec(d, DECODE_DLT_LINUX_SLL, &b, 0, &p), DECODE_OK);
	CHECK_EQ(p.dport, 9);
	decode_free(d);
}

static void
test_duplicates(void)
{
	struct decoder	*d = decode_new();
	struct b	 b;
	struct pkt	 p;

	b.n = 0;
	ether(&b, 0x0800);
	ipv4(&b, 5, 40, 6, 0, 42);
	tcp(&b, 40000, 443, 5, 0x10);
	CHECK_EQ(decode_packet(d, DECODE_DLT_EN10MB, b.d, b.n, b.n, 5000000,
	    &p), DECODE_OK);
	b.d[14 + 8] = 63;			/* TTL one lower, new checksum */
	b.d[14 + 10] = 0x12;
	CHECK_EQ(decode_packet(d, DECODE_DLT_EN10MB, b.d, b.n, b.n, 5000100,
	    &p), DECODE_DUP);
	CHECK_EQ(d->counters[DC_DUPLICATE], 1);
	/* A retransmission 300 ms later is not a duplicate. */
	CHECK_EQ(decode_packet(d, DECODE_DLT_EN10MB, b.d, b.n, b.n, 5300000,
	    &p), DECODE_OK);
	decode_free(d);
}

/* Bugs the fuzzer and its author found: keep them found. */
static void
test_regressions(void)
{
	struct decoder	*d = decode_new();
	struct b	 b;
	struct pkt	 p;

	/* A packet without payload does not keep the previous one's. */
	b.n = 0;
	ipv4(&b, 5, 20 + 8 + 4, 17, 0, 30);
	udp(&b, 1000, 2000, 12);
	put32(&b, 0x01020304);
	CHECK_EQ(dec(d, DECODE_DLT_RAW, &b, 0, &p), DECODE_OK);
	CHECK_EQ(p.payload_len, 4);
	b.n = 0;
	ipv4(&b, 5, 28, 1, 0, 31);
	put8(&b, 8); put8(&b, 0); put16(&b, 0); put32(&b, 0);
	CHECK_EQ(dec(d, DECODE_DLT_RAW, &b, 0, &p), DECODE_OK);
	CHECK(p.payload == NULL);
	CHECK_EQ(p.payload_len, 0);

	/* Time 0 is a time like any other for fragments and duplicates. */
	b.n = 0;
	ipv4(&b, 5, 20 + 16, 17, 0x2000, 90);
	udp(&b, 4000, 4001, 3000);
	put32(&b, 0); put32(&b, 0);
	CHECK_EQ(decode_packet(d, DECODE_DLT_RAW, b.d, b.n, b.n, 0, &p),
	    DECODE_OK);
	CHECK_EQ(decode_packet(d, DECODE_DLT_RAW, b.d, b.n, b.n, 10, &p),
	    DECODE_DUP);
	b.d[7] = 2;				/* offset 16: a later fragment */
	CHECK_EQ(decode_packet(d, DECODE_DLT_RAW, b.d, b.n, b.n, 20000, &p),
	    DECODE_OK);
	CHECK_EQ(p.sport, 4000);

	/* Fragments behind AH find the transport and ports of the first. */
	b.n = 0;
	ipv4(&b, 5, 20 + 12 + 20, 51, 0x2000, 91);
	put8(&b, 6); put8(&b, 1); put16(&b, 0); put32(&b, 0x200);
	put32(&b, 7);
	tcp(&b, 44000, 9000, 5, 0x18);
	CHECK_EQ(dec(d, DECODE_DLT_RAW, &b, 0, &p), DECODE_OK);
	CHECK_EQ(p.proto, 6);
	b.n = 0;
	ipv4(&b, 5, 20 + 8, 51, 4, 91);
	put32(&b, 0); put32(&b, 0);
	CHECK_EQ(dec(d, DECODE_DLT_RAW, &b, 0, &p), DECODE_OK);
	CHECK_EQ(p.frag, DECODE_FRAG_LATER);
	CHECK_EQ(p.proto, 6);
	CHECK_EQ(p.dport, 9000);
	CHECK_EQ(d->counters[DC_FRAG_ORPHAN], 0);
	decode_free(d);
}

int
main(void)
{
	test_ether_vlan_tcp();
	test_pppoe();
	test_vxlan();
	test_tunnels();
	test_mpls();
	test_ipv4_malformed();
	test_fragments();
	test_ipv6_ext();
	test_links();
	test_erspan();
	test_duplicates();
	test_duplicates_deterministic();
	test_regressions();
	return test_done("test_decode");
}
