/*
 * seeds: write the seed corpus of a fuzz target.
 *
 *	seeds target outdir [capture ...]
 *
 * For "decode" (fuzz_decode, input format in frames.h): a set of hand-made
 * conversations covering every link type, VLAN and tunnel, IPv4/IPv6 with
 * extension headers and fragments, each transport, duplicates, truncation,
 * timeouts and eviction; then the packets of each capture, a few
 * consecutive packets per seed.  Seed names are stable, so a rerun
 * overwrites its own seeds and leaves the rest of the corpus alone.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture.h"

#include "frames.h"

#define SEEDS_BUFLEN		(128 * 1024)
#define SEEDS_PKTS_PER_SEED	8
#define SEEDS_BYTES_PER_SEED	4096
#define SEEDS_MAX_PER_CAPTURE	512

#define MS			1000LL
#define SEC			1000000LL

#define ETHERTYPE_IPV4		0x0800
#define ETHERTYPE_ARP		0x0806
#define ETHERTYPE_IPV6		0x86dd
#define ETHERTYPE_VLAN		0x8100
#define ETHERTYPE_QINQ		0x88a8
#define ETHERTYPE_QINQ_OLD	0x9100
#define ETHERTYPE_TEB		0x6558
#define ETHERTYPE_ERSPAN_II	0x88be
#define ETHERTYPE_ERSPAN_III	0x22eb

#define TH_FIN			0x01
#define TH_SYN			0x02
#define TH_RST			0x04
#define TH_PSH			0x08
#define TH_ACK			0x10

struct sbuf {
	uint8_t		b[SEEDS_BUFLEN];
	size_t		len;
};

/* A seed being written: its bytes and where it goes. */
struct seed {
	struct sbuf	 buf;
	const char	*dir;
	char		 name[256];
	int		 nframes;
	int64_t		 last_ts;
};

/* The state of reading one capture into seeds. */
struct seeds_capture {
	struct seed	 seed;
	const char	*base;
	int		 index;
	int		 dlt_sel;
	int		 skipped;
};

static const uint8_t host4[4] = { 10, 0, 0, 5 };
static const uint8_t peer4[4] = { 93, 184, 216, 34 };
static const uint8_t dns4[4] = { 8, 8, 8, 8 };
static const uint8_t host6[16] = { 0xfd, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 5 };
static const uint8_t peer6[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0x34 };

static int	seeds_written;

/* Print a message and exit. */
static void __attribute__((format(printf, 1, 2), noreturn))
seeds_fatal(const char *fmt, ...)
{
	va_list	ap;

	fprintf(stderr, "seeds: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	exit(1);
}

/* Append n bytes. */
static void
seeds_putn(struct sbuf *s, const void *p, size_t n)
{
	if (n > sizeof(s->b) - s->len)
		seeds_fatal("seed buffer full");
	if (n > 0)
		memcpy(s->b + s->len, p, n);
	s->len += n;
}

/* Append one byte. */
static void
seeds_put8(struct sbuf *s, uint8_t v)
{
	seeds_putn(s, &v, 1);
}

/* Append 16 bits in network order. */
static void
seeds_put16(struct sbuf *s, uint16_t v)
{
	seeds_put8(s, (uint8_t)(v >> 8));
	seeds_put8(s, (uint8_t)v);
}

/* Append 32 bits in network order. */
static void
seeds_put32(struct sbuf *s, uint32_t v)
{
	seeds_put16(s, (uint16_t)(v >> 16));
	seeds_put16(s, (uint16_t)v);
}

/* Append n zero bytes. */
static void
seeds_zero(struct sbuf *s, size_t n)
{
	while (n-- > 0)
		seeds_put8(s, 0);
}

/* TCP header without options (RFC 9293), then the payload. */
static void
seeds_tcp(struct sbuf *s, uint16_t sport, uint16_t dport, uint8_t flags,
    const char *payload)
{
	s->len = 0;
	seeds_put16(s, sport);
	seeds_put16(s, dport);
	seeds_put32(s, 0x01020304);
	seeds_put32(s, (flags & TH_ACK) ? 0x0a0b0c0d : 0);
	seeds_put8(s, 5 << 4);
	seeds_put8(s, flags);
	seeds_put16(s, 65535);
	seeds_put32(s, 0);
	if (payload != NULL)
		seeds_putn(s, payload, strlen(payload));
}

/* UDP header (RFC 768) with the given length field, then the payload. */
static void
seeds_udp_len(struct sbuf *s, uint16_t sport, uint16_t dport,
    const void *payload, size_t plen, uint16_t len)
{
	s->len = 0;
	seeds_put16(s, sport);
	seeds_put16(s, dport);
	seeds_put16(s, len);
	seeds_put16(s, 0);
	seeds_putn(s, payload, plen);
}

/* UDP header and payload with a correct length. */
static void
seeds_udp(struct sbuf *s, uint16_t sport, uint16_t dport,
    const void *payload, size_t plen)
{
	seeds_udp_len(s, sport, dport, payload, plen, (uint16_t)(8 + plen));
}

/* ICMP or ICMPv6 echo-style header: type, code, checksum, id, sequence. */
static void
seeds_icmp(struct sbuf *s, uint8_t type, uint8_t code)
{
	s->len = 0;
	seeds_put8(s, type);
	seeds_put8(s, code);
	seeds_put16(s, 0);
	seeds_put16(s, 0x1234);
	seeds_put16(s, 1);
	seeds_putn(s, "abcdefgh", 8);
}

/* SCTP common header (RFC 9260). */
static void
seeds_sctp(struct sbuf *s, uint16_t sport, uint16_t dport)
{
	s->len = 0;
	seeds_put16(s, sport);
	seeds_put16(s, dport);
	seeds_put32(s, 0xdeadbeef);
	seeds_put32(s, 0);
}

/* IPv4 (RFC 791) around l4, with the given total length field. */
static void
seeds_ip4_len(struct sbuf *s, uint8_t proto, const uint8_t *src,
    const uint8_t *dst, uint16_t id, uint16_t frag, uint8_t ttl,
    const struct sbuf *l4, uint16_t totlen)
{
	s->len = 0;
	seeds_put8(s, 0x45);
	seeds_put8(s, 0);
	seeds_put16(s, totlen);
	seeds_put16(s, id);
	seeds_put16(s, frag);
	seeds_put8(s, ttl);
	seeds_put8(s, proto);
	seeds_put16(s, 0);
	seeds_putn(s, src, 4);
	seeds_putn(s, dst, 4);
	seeds_putn(s, l4->b, l4->len);
}

/* IPv4 around l4 with a correct length. */
static void
seeds_ip4(struct sbuf *s, uint8_t proto, const uint8_t *src,
    const uint8_t *dst, uint16_t id, uint16_t frag, const struct sbuf *l4)
{
	seeds_ip4_len(s, proto, src, dst, id, frag, 64, l4,
	    (uint16_t)(20 + l4->len));
}

/* IPv6 (RFC 8200): nh names the first of ext (may be empty), then l4. */
static void
seeds_ip6(struct sbuf *s, uint8_t nh, const uint8_t *src, const uint8_t *dst,
    const struct sbuf *ext, const struct sbuf *l4)
{
	size_t	elen = ext != NULL ? ext->len : 0;

	s->len = 0;
	seeds_put32(s, 0x60000000);
	seeds_put16(s, (uint16_t)(elen + l4->len));
	seeds_put8(s, nh);
	seeds_put8(s, 64);
	seeds_putn(s, src, 16);
	seeds_putn(s, dst, 16);
	if (ext != NULL)
		seeds_putn(s, ext->b, ext->len);
	seeds_putn(s, l4->b, l4->len);
}

/* An 8-byte IPv6 options header (hop-by-hop or destination) with padding. */
static void
seeds_ip6_opts(struct sbuf *ext, uint8_t nh)
{
	seeds_put8(ext, nh);
	seeds_put8(ext, 0);
	seeds_put8(ext, 1);		/* PadN */
	seeds_put8(ext, 4);
	seeds_zero(ext, 4);
}

/* An IPv6 fragment header: offset in bytes, M flag, identification. */
static void
seeds_ip6_frag(struct sbuf *ext, uint8_t nh, uint16_t off, int more,
    uint32_t id)
{
	seeds_put8(ext, nh);
	seeds_put8(ext, 0);
	seeds_put16(ext, (uint16_t)((off & 0xfff8) | (more ? 1 : 0)));
	seeds_put32(ext, id);
}

/* Ethernet II around inner, with nvlan tags of the given tag types. */
static void
seeds_eth(struct sbuf *s, uint16_t type, const uint16_t *tagtype,
    const uint16_t *vid, int nvlan, const struct sbuf *inner)
{
	static const uint8_t	mac[12] = { 0x00, 0x11, 0x22, 0x33, 0x44,
	    0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb };
	int			i;

	s->len = 0;
	seeds_putn(s, mac, sizeof(mac));
	for (i = 0; i < nvlan; i++) {
		seeds_put16(s, tagtype[i]);
		seeds_put16(s, vid[i]);
	}
	seeds_put16(s, type);
	seeds_putn(s, inner->b, inner->len);
}

/* Ethernet II around inner, untagged. */
static void
seeds_eth0(struct sbuf *s, uint16_t type, const struct sbuf *inner)
{
	seeds_eth(s, type, NULL, NULL, 0, inner);
}

/* Linux cooked v1 around inner. */
static void
seeds_sll(struct sbuf *s, uint16_t proto, const struct sbuf *inner)
{
	s->len = 0;
	seeds_put16(s, 4);		/* sent by us */
	seeds_put16(s, 1);		/* ARPHRD_ETHER */
	seeds_put16(s, 6);
	seeds_putn(s, "\x00\x11\x22\x33\x44\x55\x00\x00", 8);
	seeds_put16(s, proto);
	seeds_putn(s, inner->b, inner->len);
}

/* Linux cooked v2 around inner. */
static void
seeds_sll2(struct sbuf *s, uint16_t proto, const struct sbuf *inner)
{
	s->len = 0;
	seeds_put16(s, proto);
	seeds_put16(s, 0);
	seeds_put32(s, 2);		/* ifindex */
	seeds_put16(s, 1);
	seeds_put8(s, 4);
	seeds_put8(s, 6);
	seeds_putn(s, "\x00\x11\x22\x33\x44\x55\x00\x00", 8);
	seeds_putn(s, inner->b, inner->len);
}

/* BSD loopback header around inner: family little- or big-endian. */
static void
seeds_null(struct sbuf *s, uint32_t family, int big_endian,
    const struct sbuf *inner)
{
	s->len = 0;
	if (big_endian)
		seeds_put32(s, family);
	else {
		seeds_put8(s, (uint8_t)family);
		seeds_put8(s, (uint8_t)(family >> 8));
		seeds_put8(s, (uint8_t)(family >> 16));
		seeds_put8(s, (uint8_t)(family >> 24));
	}
	seeds_putn(s, inner->b, inner->len);
}

/* GRE (RFC 2784, 2890) around inner; key and sequence when flagged. */
static void
seeds_gre(struct sbuf *s, uint16_t flags, uint16_t proto,
    const struct sbuf *hdr, const struct sbuf *inner)
{
	s->len = 0;
	seeds_put16(s, flags);
	seeds_put16(s, proto);
	if (flags & 0x8000)
		seeds_put32(s, 0);		/* checksum, reserved */
	if (flags & 0x2000)
		seeds_put32(s, 42);		/* key */
	if (flags & 0x1000)
		seeds_put32(s, 7);		/* sequence */
	if (hdr != NULL)
		seeds_putn(s, hdr->b, hdr->len);
	seeds_putn(s, inner->b, inner->len);
}

/* Start a seed with its config byte. */
static void
seeds_begin(struct seed *sd, const char *dir, const char *name, uint8_t cfg)
{
	sd->buf.len = 0;
	sd->dir = dir;
	snprintf(sd->name, sizeof(sd->name), "%s", name);
	sd->nframes = 0;
	sd->last_ts = 0;
	seeds_put8(&sd->buf, cfg);
}

/* Append a frame: link selector, clock step, wire extra, captured bytes. */
static void
seeds_frame_raw(struct seed *sd, int sel, int64_t delta, const uint8_t *p,
    size_t caplen, size_t wirelen)
{
	if (caplen > FRAMES_MAXCAP) {
		if (wirelen < caplen)
			wirelen = caplen;
		caplen = FRAMES_MAXCAP;
	}
	seeds_put8(&sd->buf, (uint8_t)sel);
	seeds_put8(&sd->buf, frames_delta_code(delta));
	seeds_put8(&sd->buf, frames_wire_code(wirelen > caplen ?
	    wirelen - caplen : 0));
	seeds_put16(&sd->buf, (uint16_t)caplen);
	seeds_putn(&sd->buf, p, caplen);
	sd->nframes++;
}

/* Append a whole frame of link type dlt, delta after the previous one. */
static void
seeds_frame(struct seed *sd, int dlt, int64_t delta, const struct sbuf *f)
{
	seeds_frame_raw(sd, frames_dlt_index(dlt), delta, f->b, f->len,
	    f->len);
}

/* Append a frame cut to caplen bytes by the snap length. */
static void
seeds_frame_cut(struct seed *sd, int dlt, int64_t delta,
    const struct sbuf *f, size_t caplen)
{
	seeds_frame_raw(sd, frames_dlt_index(dlt), delta, f->b,
	    caplen < f->len ? caplen : f->len, f->len);
}

/* Write the seed to its file. */
static void
seeds_write(struct seed *sd)
{
	char	 path[1024];
	FILE	*fp;

	if (sd->nframes == 0)
		return;
	snprintf(path, sizeof(path), "%s/%s", sd->dir, sd->name);
	if ((fp = fopen(path, "wb")) == NULL)
		seeds_fatal("%s: %s", path, strerror(errno));
	if (fwrite(sd->buf.b, 1, sd->buf.len, fp) != sd->buf.len ||
	    fclose(fp) == EOF)
		seeds_fatal("%s: write error", path);
	seeds_written++;
}

/* An Ethernet IPv4 TCP frame from a to b (dir 0) or back (dir 1). */
static void
seeds_tcp4_eth(struct sbuf *f, int dir, uint8_t flags, const char *payload)
{
	struct sbuf	l4, ip;

	if (dir == 0) {
		seeds_tcp(&l4, 40000, 443, flags, payload);
		seeds_ip4(&ip, 6, host4, peer4, 1, 0x4000, &l4);
	} else {
		seeds_tcp(&l4, 443, 40000, flags, payload);
		seeds_ip4(&ip, 6, peer4, host4, 1, 0x4000, &l4);
	}
	seeds_eth0(f, ETHERTYPE_IPV4, &ip);
}

/* TCP: handshake, data, teardown; a port reuse after reset; mid-stream. */
static void
seeds_hand_tcp(const char *dir)
{
	static struct seed	sd;
	static struct sbuf	f;
	static char		big[1461];

	seeds_begin(&sd, dir, "hand-tcp4-session", FRAMES_CFG_FLOWS);
	seeds_tcp4_eth(&f, 0, TH_SYN, NULL);
	seeds_frame(&sd, DECODE_DLT_EN10MB, 0, &f);
	seeds_tcp4_eth(&f, 1, TH_SYN | TH_ACK, NULL);
	seeds_frame(&sd, DECODE_DLT_EN10MB, 20 * MS, &f);
	seeds_tcp4_eth(&f, 0, TH_ACK, NULL);
	seeds_frame(&sd, DECODE_DLT_EN10MB, 1 * MS, &f);
	seeds_tcp4_eth(&f, 0, TH_ACK | TH_PSH,
	    "GET / HTTP/1.1\r\nHost: example.com\r\n\r\n");
	seeds_frame(&sd, DECODE_DLT_EN10MB, 1 * MS, &f);
	seeds_tcp4_eth(&f, 1, TH_ACK | TH_PSH, "HTTP/1.1 200 OK\r\n\r\n");
	seeds_frame(&sd, DECODE_DLT_EN10MB, 30 * MS, &f);
	seeds_tcp4_eth(&f, 0, TH_ACK | TH_FIN, NULL);
	seeds_frame(&sd, DECODE_DLT_EN10MB, 1 * MS, &f);
	seeds_tcp4_eth(&f, 1, TH_ACK | TH_FIN, NULL);
	seeds_frame(&sd, DECODE_DLT_EN10MB, 20 * MS, &f);
	seeds_tcp4_eth(&f, 0, TH_ACK, NULL);
	seeds_frame(&sd, DECODE_DLT_EN10MB, 1 * MS, &f);
	seeds_tcp4_eth(&f, 0, TH_SYN, NULL);
	seeds_frame(&sd, DECODE_DLT_EN10MB, 15 * SEC, &f);
	seeds_write(&sd);

	seeds_begin(&sd, dir, "hand-tcp4-reuse", FRAMES_CFG_FLOWS);
	seeds_tcp4_eth(&f, 0, TH_SYN, NULL);
	seeds_frame(&sd, DECODE_DLT_EN10MB, 0, &f);
	seeds_tcp4_eth(&f, 1, TH_RST | TH_ACK, NULL);
	seeds_frame(&sd, DECODE_DLT_EN10MB, 20 * MS, &f);
	seeds_tcp4_eth(&f, 0, TH_SYN, NULL);
	seeds_frame(&sd, DECODE_DLT_EN10MB, 1 * SEC, &f);
	seeds_tcp4_eth(&f, 0, TH_SYN, NULL);
	seeds_frame(&sd, DECODE_DLT_EN10MB, 40 * SEC, &f);
	seeds_write(&sd);

	seeds_begin(&sd, dir, "hand-tcp4-midstream",
	    FRAMES_CFG_FLOWS | FRAMES_CFG_SHORT);
	seeds_tcp4_eth(&f, 1, TH_ACK | TH_PSH, "midstream data");
	seeds_frame(&sd, DECODE_DLT_EN10MB, 0, &f);
	seeds_tcp4_eth(&f, 0, TH_ACK, NULL);
	seeds_frame(&sd, DECODE_DLT_EN10MB, 100 * MS, &f);
	seeds_tcp4_eth(&f, 1, TH_ACK | TH_PSH, "more");
	seeds_frame(&sd, DECODE_DLT_EN10MB, 400 * MS, &f);
	seeds_write(&sd);

	/* A full-size packet cut by a 54-byte snap length. */
	seeds_begin(&sd, dir, "hand-tcp4-snaplen", FRAMES_CFG_FLOWS);
	memset(big, 'x', sizeof(big) - 1);
	seeds_tcp4_eth(&f, 0, TH_ACK | TH_PSH, big);
	seeds_frame_cut(&sd, DECODE_DLT_EN10MB, 0, &f, 54);
	seeds_frame_cut(&sd, DECODE_DLT_EN10MB, 1 * MS, &f, 40);
	seeds_frame_cut(&sd, DECODE_DLT_EN10MB, 1 * MS, &f, 30);
	seeds_write(&sd);
}

/* UDP and DNS under VLAN tags, IPv6 with extension headers, a jumbogram. */
static void
seeds_hand_udp(const char *dir)
{
	static const uint8_t	query[] = { 0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0,
	    0, 0, 0, 0, 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'c', 'o',
	    'm', 0, 0, 1, 0, 1 };
	static const uint16_t	dot1q[] = { ETHERTYPE_VLAN };
	static const uint16_t	qinq[] = { ETHERTYPE_QINQ, ETHERTYPE_VLAN };
	static const uint16_t	qinq_old[] = { ETHERTYPE_QINQ_OLD,
	    ETHERTYPE_VLAN, ETHERTYPE_VLAN, ETHERTYPE_VLAN, ETHERTYPE_VLAN };
	static const uint16_t	vid[] = { 100, 200, 300, 400, 500 };
	static struct seed	sd;
	static struct sbuf	l4, ip, ext, f, tcp, tip;
	int64_t			unit;
	int			mode, i;

	seeds_begin(&sd, dir, "hand-udp4-dns-vlan", FRAMES_CFG_FLOWS);
	seeds_udp(&l4, 53000, 53, query, sizeof(query));
	seeds_ip4(&ip, 17, host4, dns4, 2, 0, &l4);
	seeds_eth(&f, ETHERTYPE_IPV4, dot1q, vid, 1, &ip);
	seeds_frame(&sd, DECODE_DLT_EN10MB, 0, &f);
	seeds_udp(&l4, 53, 53000, query, sizeof(query));
	seeds_ip4(&ip, 17, dns4, host4, 3, 0, &l4);
	seeds_eth(&f, ETHERTYPE_IPV4, dot1q, vid, 1, &ip);
	seeds_frame(&sd, DECODE_DLT_EN10MB, 8 * MS, &f);
	seeds_eth(&f, ETHERTYPE_IPV4, qinq, vid, 2, &ip);
	seeds_frame(&sd, DECODE_DLT_EN10MB, 1 * MS, &f);
	seeds_eth(&f, ETHERTYPE_IPV4, qinq_old, vid, 5, &ip);
	seeds_frame(&sd, DECODE_DLT_EN10MB, 1 * MS, &f);
	seeds_write(&sd);

	/* Hop-by-hop, then destination options, then UDP. */
	seeds_begin(&sd, dir, "hand-udp6-ext", FRAMES_CFG_FLOWS);
	ext.len = 0;
	seeds_ip6_opts(&ext, 60);
	seeds_ip6_opts(&ext, 17);
	seeds_udp(&l4, 5353, 443, "quic-ish", 8);
	seeds_ip6(&ip, 0, host6, peer6, &ext, &l4);
	seeds_eth0(&f, ETHERTYPE_IPV6, &ip);
	seeds_frame(&sd, DECODE_DLT_EN10MB, 0, &f);
	seeds_ip6(&ip, 17, peer6, host6, NULL, &l4);
	seeds_eth0(&f, ETHERTYPE_IPV6, &ip);
	seeds_frame(&sd, DECODE_DLT_EN10MB, 5 * MS, &f);
	seeds_write(&sd);

	/* RFC 2675 jumbogram: payload length 0, hop-by-hop first. */
	seeds_begin(&sd, dir, "hand-udp6-jumbo", FRAMES_CFG_FLOWS);
	ext.len = 0;
	seeds_put8(&ext, 17);
	seeds_put8(&ext, 0);
	seeds_put8(&ext, 0xc2);
	seeds_put8(&ext, 4);
	seeds_put32(&ext, 70000);
	seeds_udp_len(&l4, 1000, 2000, "jumbo", 5, 0);
	seeds_ip6(&ip, 0, host6, peer6, &ext, &l4);
	ip.b[4] = ip.b[5] = 0;
	seeds_frame_raw(&sd, frames_dlt_index(DECODE_DLT_RAW), 0, ip.b,
	    ip.len, 70000);
	seeds_write(&sd);

	/*
	 * A UDP flow every 50 s (ms with short timeouts) for 400: records at
	 * the active timeout; then one that ends idle.  TCP the same.
	 */
	for (mode = 0; mode < 2; mode++) {
		unit = mode ? MS : SEC;
		seeds_begin(&sd, dir, mode ? "hand-timeouts-ms" :
		    "hand-timeouts", (uint8_t)(FRAMES_CFG_FLOWS |
		    (mode ? FRAMES_CFG_SHORT : 0)));
		seeds_udp(&l4, 40001, 123, "ntp", 3);
		seeds_ip4(&ip, 17, host4, peer4, 4, 0, &l4);
		seeds_tcp(&tcp, 40001, 443, TH_ACK, NULL);
		seeds_ip4(&tip, 6, host4, peer4, 4, 0, &tcp);
		for (i = 0; i < 8; i++) {
			seeds_frame(&sd, DECODE_DLT_RAW, 50 * unit, &ip);
			seeds_frame(&sd, DECODE_DLT_RAW, 0, &tip);
		}
		seeds_udp(&l4, 40002, 123, "ntp", 3);
		seeds_ip4(&ip, 17, host4, peer4, 5, 0, &l4);
		seeds_frame(&sd, DECODE_DLT_RAW, 1000 * unit, &ip);
		seeds_write(&sd);
	}

	/* A bad UDP length, and a UDP header cut short. */
	seeds_begin(&sd, dir, "hand-udp4-bad", FRAMES_CFG_FLOWS);
	seeds_udp_len(&l4, 1, 2, "x", 1, 4);
	seeds_ip4(&ip, 17, host4, peer4, 6, 0, &l4);
	seeds_frame(&sd, DECODE_DLT_RAW, 0, &ip);
	seeds_udp_len(&l4, 1, 2, "x", 1, 100);
	seeds_ip4(&ip, 17, host4, peer4, 7, 0, &l4);
	seeds_frame(&sd, DECODE_DLT_RAW, 0, &ip);
	seeds_frame_cut(&sd, DECODE_DLT_RAW, 0, &ip, 24);
	seeds_write(&sd);
}

/* ICMP and ICMPv6 echo pairs, an error, SCTP, ESP, AH and GRE flows. */
static void
seeds_hand_other(const char *dir)
{
	static struct seed	sd;
	static struct sbuf	l4, ip, ext, f, gre, inner;

	seeds_begin(&sd, dir, "hand-icmp", FRAMES_CFG_FLOWS);
	seeds_icmp(&l4, 8, 0);
	seeds_ip4(&ip, 1, host4, peer4, 8, 0, &l4);
	seeds_frame(&sd, DECODE_DLT_IPV4, 0, &ip);
	seeds_icmp(&l4, 0, 0);
	seeds_ip4(&ip, 1, peer4, host4, 9, 0, &l4);
	seeds_frame(&sd, DECODE_DLT_IPV4, 10 * MS, &ip);
	seeds_icmp(&l4, 3, 3);
	seeds_ip4(&ip, 1, peer4, host4, 10, 0, &l4);
	seeds_frame(&sd, DECODE_DLT_IPV4, 10 * MS, &ip);
	seeds_icmp(&l4, 128, 0);
	seeds_ip6(&ip, 58, host6, peer6, NULL, &l4);
	seeds_frame(&sd, DECODE_DLT_IPV6, 10 * MS, &ip);
	seeds_icmp(&l4, 129, 0);
	seeds_ip6(&ip, 58, peer6, host6, NULL, &l4);
	seeds_frame(&sd, DECODE_DLT_IPV6, 10 * MS, &ip);
	seeds_write(&sd);

	seeds_begin(&sd, dir, "hand-protos", FRAMES_CFG_FLOWS);
	seeds_sctp(&l4, 2905, 2905);
	seeds_ip4(&ip, 132, host4, peer4, 11, 0, &l4);
	seeds_frame(&sd, DECODE_DLT_RAW_OPENBSD, 0, &ip);
	seeds_sctp(&l4, 0, 0);
	l4.len = 2;
	seeds_ip4(&ip, 132, host4, peer4, 12, 0, &l4);
	seeds_frame(&sd, DECODE_DLT_RAW_OPENBSD, 1 * MS, &ip);
	l4.len = 0;
	seeds_putn(&l4, "\x00\x00\x10\x01\x00\x00\x00\x01espdata!", 16);
	seeds_ip6(&ip, 50, host6, peer6, NULL, &l4);
	seeds_frame(&sd, DECODE_DLT_RAW_LT, 1 * MS, &ip);
	/* AH (length in 4-octet units minus 2), then TCP. */
	ext.len = 0;
	seeds_put8(&ext, 6);
	seeds_put8(&ext, 4);
	seeds_zero(&ext, 22);
	seeds_tcp(&l4, 40003, 22, TH_SYN, NULL);
	seeds_ip6(&ip, 51, host6, peer6, &ext, &l4);
	seeds_frame(&sd, DECODE_DLT_RAW_LT, 1 * MS, &ip);
	/* The same in IPv4. */
	seeds_putn(&ext, l4.b, l4.len);
	seeds_ip4(&ip, 51, host4, peer4, 13, 0, &ext);
	seeds_frame(&sd, DECODE_DLT_RAW, 1 * MS, &ip);
	/* Plain GRE carrying IPv4: a GRE flow of its own. */
	seeds_udp(&l4, 1, 2, "in", 2);
	seeds_ip4(&inner, 17, host4, peer4, 13, 0, &l4);
	seeds_gre(&gre, 0, ETHERTYPE_IPV4, NULL, &inner);
	seeds_ip4(&ip, 47, host4, peer4, 14, 0, &gre);
	seeds_frame(&sd, DECODE_DLT_RAW, 1 * MS, &ip);
	seeds_eth0(&f, ETHERTYPE_ARP, &l4);
	seeds_frame(&sd, DECODE_DLT_EN10MB, 1 * MS, &f);
	seeds_write(&sd);
}

/* IPv4 and IPv6 fragments: first, later, and an orphan; also at time 0. */
static void
seeds_hand_frag(const char *dir, const char *name4, const char *name6,
    uint8_t cfg)
{
	static struct seed	sd;
	static struct sbuf	l4, ip, ext;

	seeds_begin(&sd, dir, name4, cfg);
	/* The first fragment's UDP length is the whole datagram's. */
	seeds_udp_len(&l4, 40004, 4500, "first-fragment..", 16, 2000);
	seeds_ip4(&ip, 17, host4, peer4, 0x4242, 0x2000, &l4);
	seeds_frame(&sd, DECODE_DLT_RAW, 0, &ip);
	l4.len = 0;
	seeds_putn(&l4, "later-fragment..", 16);
	seeds_ip4(&ip, 17, host4, peer4, 0x4242, 3, &l4);
	seeds_frame(&sd, DECODE_DLT_RAW, 1 * MS, &ip);
	seeds_ip4(&ip, 17, host4, peer4, 0x4343, 3, &l4);
	seeds_frame(&sd, DECODE_DLT_RAW, 1 * MS, &ip);
	seeds_ip4(&ip, 17, host4, peer4, 0x4242, 6, &l4);
	seeds_frame(&sd, DECODE_DLT_RAW, 40 * SEC, &ip);
	/* A first fragment under AH, and a later one. */
	ext.len = 0;
	seeds_put8(&ext, 17);
	seeds_put8(&ext, 4);
	seeds_zero(&ext, 22);
	seeds_udp_len(&l4, 40004, 4500, "first-fragment..", 16, 2000);
	seeds_putn(&ext, l4.b, l4.len);
	seeds_ip4(&ip, 51, host4, peer4, 0x4444, 0x2000, &ext);
	seeds_frame(&sd, DECODE_DLT_RAW, 1 * MS, &ip);
	l4.len = 0;
	seeds_putn(&l4, "later-fragment..", 16);
	seeds_ip4(&ip, 51, host4, peer4, 0x4444, 6, &l4);
	seeds_frame(&sd, DECODE_DLT_RAW, 1 * MS, &ip);
	seeds_write(&sd);

	seeds_begin(&sd, dir, name6, cfg);
	ext.len = 0;
	seeds_ip6_frag(&ext, 17, 0, 1, 0x01020304);
	seeds_udp_len(&l4, 40005, 4500, "first-fragment..", 16, 3000);
	seeds_ip6(&ip, 44, host6, peer6, &ext, &l4);
	seeds_frame(&sd, DECODE_DLT_RAW, 0, &ip);
	ext.len = 0;
	seeds_ip6_frag(&ext, 17, 1448, 0, 0x01020304);
	l4.len = 0;
	seeds_putn(&l4, "later-fragment..", 16);
	seeds_ip6(&ip, 44, host6, peer6, &ext, &l4);
	seeds_frame(&sd, DECODE_DLT_RAW, 1 * MS, &ip);
	seeds_write(&sd);
}

/* SPAN tunnels: GRE transparent bridging, ERSPAN types I, II and III. */
static void
seeds_hand_tunnel(const char *dir)
{
	static const uint16_t	dot1q[] = { ETHERTYPE_VLAN };
	static const uint16_t	vid[] = { 42 };
	static struct seed	sd;
	static struct sbuf	l4, ip, eth, hdr, gre, outer, f;

	seeds_begin(&sd, dir, "hand-gre-span", FRAMES_CFG_FLOWS);
	seeds_tcp(&l4, 40006, 443, TH_SYN, NULL);
	seeds_ip4(&ip, 6, host4, peer4, 15, 0, &l4);
	seeds_eth(&eth, ETHERTYPE_IPV4, dot1q, vid, 1, &ip);

	seeds_gre(&gre, 0, ETHERTYPE_TEB, NULL, &eth);
	seeds_ip4(&outer, 47, dns4, host4, 16, 0, &gre);
	seeds_eth0(&f, ETHERTYPE_IPV4, &outer);
	seeds_frame(&sd, DECODE_DLT_EN10MB, 0, &f);

	/* ERSPAN type I: no sequence number, no header. */
	seeds_gre(&gre, 0, ETHERTYPE_ERSPAN_II, NULL, &eth);
	seeds_ip4(&outer, 47, dns4, host4, 17, 0, &gre);
	seeds_frame(&sd, DECODE_DLT_RAW, 10 * MS, &outer);

	/* ERSPAN type II: version 1, 8 bytes. */
	hdr.len = 0;
	seeds_put16(&hdr, 0x1000 | 42);
	seeds_put16(&hdr, 0x0001);
	seeds_put32(&hdr, 0);
	seeds_gre(&gre, 0x1000, ETHERTYPE_ERSPAN_II, &hdr, &eth);
	seeds_ip4(&outer, 47, dns4, host4, 18, 0, &gre);
	seeds_frame(&sd, DECODE_DLT_RAW, 10 * MS, &outer);

	/* ERSPAN type III: version 2, 12 bytes and the 8-byte subheader. */
	hdr.len = 0;
	seeds_put16(&hdr, 0x2000 | 42);
	seeds_put16(&hdr, 0x0001);
	seeds_put32(&hdr, 0x11223344);
	seeds_put16(&hdr, 0);
	seeds_put16(&hdr, 0x0001);
	seeds_zero(&hdr, 8);
	seeds_gre(&gre, 0x1000, ETHERTYPE_ERSPAN_III, &hdr, &eth);
	seeds_ip6(&outer, 47, peer6, host6, NULL, &gre);
	seeds_eth0(&f, ETHERTYPE_IPV6, &outer);
	seeds_frame(&sd, DECODE_DLT_EN10MB, 10 * MS, &f);

	/* GRE with checksum and key, and TEB nested past the limit. */
	seeds_gre(&gre, 0xa000, ETHERTYPE_TEB, NULL, &eth);
	seeds_ip4(&outer, 47, dns4, host4, 19, 0, &gre);
	seeds_eth0(&eth, ETHERTYPE_IPV4, &outer);
	seeds_gre(&gre, 0, ETHERTYPE_TEB, NULL, &eth);
	seeds_ip4(&outer, 47, dns4, host4, 20, 0, &gre);
	seeds_eth0(&eth, ETHERTYPE_IPV4, &outer);
	seeds_gre(&gre, 0, ETHERTYPE_TEB, NULL, &eth);
	seeds_ip4(&outer, 47, dns4, host4, 21, 0, &gre);
	seeds_frame(&sd, DECODE_DLT_RAW, 10 * MS, &outer);
	seeds_eth0(&eth, ETHERTYPE_IPV4, &outer);
	seeds_gre(&gre, 0, ETHERTYPE_TEB, NULL, &eth);
	seeds_ip4(&outer, 47, dns4, host4, 22, 0, &gre);
	seeds_frame(&sd, DECODE_DLT_RAW, 10 * MS, &outer);
	seeds_write(&sd);
}

/* Every other link type, duplicates, time going back, and eviction. */
static void
seeds_hand_link(const char *dir)
{
	static struct seed	sd;
	static struct sbuf	l4, ip4, ip6, f;
	char			name[64];
	int			i, n;

	seeds_udp(&l4, 40007, 443, "link", 4);
	seeds_ip4(&ip4, 17, host4, peer4, 23, 0, &l4);
	seeds_ip6(&ip6, 17, host6, peer6, NULL, &l4);

	seeds_begin(&sd, dir, "hand-links", FRAMES_CFG_FLOWS);
	seeds_sll(&f, ETHERTYPE_IPV4, &ip4);
	seeds_frame(&sd, DECODE_DLT_LINUX_SLL, 0, &f);
	seeds_sll2(&f, ETHERTYPE_IPV6, &ip6);
	seeds_frame(&sd, DECODE_DLT_LINUX_SLL2, 10 * MS, &f);
	seeds_null(&f, 2, 0, &ip4);
	seeds_frame(&sd, DECODE_DLT_NULL, 10 * MS, &f);
	seeds_null(&f, 24, 1, &ip6);
	seeds_frame(&sd, DECODE_DLT_NULL, 10 * MS, &f);
	seeds_null(&f, 30, 0, &ip6);
	seeds_frame(&sd, DECODE_DLT_NULL, 10 * MS, &f);
	seeds_null(&f, 2, 1, &ip4);
	seeds_frame(&sd, DECODE_DLT_LOOP, 10 * MS, &f);
	seeds_null(&f, 28, 1, &ip6);
	seeds_frame(&sd, DECODE_DLT_LOOP, 10 * MS, &f);
	seeds_frame(&sd, DECODE_DLT_RAW, 10 * MS, &ip6);
	seeds_frame(&sd, FRAMES_DLT_UNSUPPORTED, 10 * MS, &ip4);
	seeds_write(&sd);

	/* A SPAN copy: same packet, TTL one lower, another VLAN; then later. */
	seeds_begin(&sd, dir, "hand-dedup",
	    FRAMES_CFG_FLOWS | FRAMES_CFG_EPOCH);
	seeds_eth0(&f, ETHERTYPE_IPV4, &ip4);
	seeds_frame(&sd, DECODE_DLT_EN10MB, 0, &f);
	ip4.b[8]--;
	ip4.b[10] = 0x55;
	seeds_sll(&f, ETHERTYPE_IPV4, &ip4);
	seeds_frame(&sd, DECODE_DLT_LINUX_SLL, 100, &f);
	seeds_frame(&sd, DECODE_DLT_LINUX_SLL, 1 * MS, &f);
	seeds_frame(&sd, DECODE_DLT_LINUX_SLL, 300 * MS, &f);
	seeds_frame(&sd, DECODE_DLT_RAW, 0, &ip6);
	seeds_frame(&sd, DECODE_DLT_RAW, 0, &ip6);
	seeds_frame(&sd, DECODE_DLT_RAW, -1, &ip6);
	seeds_frame(&sd, DECODE_DLT_RAW, 2 * SEC, &ip6);
	seeds_write(&sd);

	/* More flows than a four-flow table holds, in both timeout modes. */
	for (i = 0; i < 2; i++) {
		snprintf(name, sizeof(name), "hand-evict-%d", i);
		seeds_begin(&sd, dir, name, (uint8_t)(3 |
		    (i ? FRAMES_CFG_SHORT : 0)));
		for (n = 0; n < 12; n++) {
			seeds_udp(&l4, (uint16_t)(41000 + n), 443, "e", 1);
			seeds_ip4(&ip4, 17, host4, peer4, (uint16_t)n, 0, &l4);
			seeds_frame(&sd, DECODE_DLT_RAW, 2 * MS, &ip4);
		}
		seeds_tcp(&l4, 41000, 443, TH_SYN, NULL);
		seeds_ip4(&ip4, 6, host4, peer4, 99, 0, &l4);
		seeds_frame(&sd, DECODE_DLT_RAW, 2 * MS, &ip4);
		seeds_write(&sd);
	}
}

/* The hand-made seeds of the decode target. */
static void
seeds_decode_hand(const char *dir)
{
	seeds_hand_tcp(dir);
	seeds_hand_udp(dir);
	seeds_hand_other(dir);
	seeds_hand_frag(dir, "hand-frag4", "hand-frag6", FRAMES_CFG_FLOWS);
	seeds_hand_frag(dir, "hand-frag4-epoch", "hand-frag6-epoch",
	    FRAMES_CFG_FLOWS | FRAMES_CFG_EPOCH);
	seeds_hand_tunnel(dir);
	seeds_hand_link(dir);
}

/* One packet of a capture: add it to the current seed, flushing when full. */
static void
seeds_capture_packet(void *arg, int dlt, const uint8_t *data, size_t caplen,
    size_t wirelen, int64_t ts)
{
	struct seeds_capture	*sc = arg;
	struct seed		*sd = &sc->seed;
	int64_t			 delta;

	if (sc->index >= SEEDS_MAX_PER_CAPTURE) {
		sc->skipped++;
		return;
	}
	if (sd->nframes == 0) {
		snprintf(sd->name, sizeof(sd->name), "%s-%04d", sc->base,
		    sc->index);
		delta = 0;
	} else
		delta = ts - sd->last_ts;
	sd->last_ts = ts;
	seeds_frame_raw(sd, sc->dlt_sel, delta, data, caplen, wirelen);
	if (sd->nframes >= SEEDS_PKTS_PER_SEED ||
	    sd->buf.len >= SEEDS_BYTES_PER_SEED) {
		seeds_write(sd);
		sd->buf.len = 1;
		sd->nframes = 0;
		sc->index++;
	}
}

/* Turn the packets of one capture into seeds named after it. */
static int
seeds_decode_capture(const char *dir, const char *path)
{
	static struct seeds_capture	 sc;
	char				 err[CAPTURE_ERRLEN], base[128];
	struct capture			*cap;
	const char			*slash, *dot;
	size_t				 n;
	int				 rv;

	if ((cap = capture_open_file(path, 0, err, sizeof(err))) == NULL) {
		fprintf(stderr, "seeds: %s: %s\n", path, err);
		return -1;
	}
	memset(&sc, 0, sizeof(sc));
	if ((sc.dlt_sel = frames_dlt_index(capture_dlt(cap))) == -1 ||
	    capture_dlt(cap) == FRAMES_DLT_UNSUPPORTED) {
		fprintf(stderr, "seeds: %s: link type %s not decoded, "
		    "skipped\n", path, capture_dlt_name(cap));
		capture_close(cap);
		return 0;
	}
	slash = strrchr(path, '/');
	slash = slash != NULL ? slash + 1 : path;
	dot = strrchr(slash, '.');
	n = dot != NULL && dot != slash ? (size_t)(dot - slash) :
	    strlen(slash);
	if (n >= sizeof(base))
		n = sizeof(base) - 1;
	memcpy(base, slash, n);
	base[n] = '\0';
	sc.base = base;
	seeds_begin(&sc.seed, dir, base, FRAMES_CFG_FLOWS);
	rv = capture_read(cap, seeds_capture_packet, &sc, err, sizeof(err));
	seeds_write(&sc.seed);
	if (rv == -1)
		fprintf(stderr, "seeds: %s: %s (seeds kept)\n", path, err);
	if (sc.skipped > 0)
		fprintf(stderr, "seeds: %s: %d packets past the first %d "
		    "seeds left out\n", path, sc.skipped,
		    SEEDS_MAX_PER_CAPTURE);
	capture_close(cap);
	return 0;
}

/* Write the seeds of one target: hand-made ones, then the captures'. */
int
main(int argc, char *argv[])
{
	int	i, rv = 0;

	if (argc < 3) {
		fprintf(stderr, "usage: seeds target outdir [capture ...]\n");
		return 2;
	}
	if (strcmp(argv[1], "decode") != 0)
		seeds_fatal("unknown target %s", argv[1]);
	seeds_decode_hand(argv[2]);
	for (i = 3; i < argc; i++)
		if (seeds_decode_capture(argv[2], argv[i]) == -1)
			rv = 1;
	printf("seeds: %d seeds for %s in %s\n", seeds_written, argv[1],
	    argv[2]);
	return rv;
}
