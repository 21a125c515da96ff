/*
 * pcapgen: writes the bundled test captures in pcaps/ and the benchmark
 * captures.  Everything is deterministic: a splitmix64 generator with a
 * fixed seed per capture, a fixed start time (2026-03-02 08:00:00 UTC) and
 * no dependence on the clock, the pid or the environment, so two runs write
 * byte-identical files.  Packets are built field by field with the put_*
 * writers below; every IPv4 header checksum and every TCP, UDP and ICMP
 * checksum is computed, unless a capture breaks one on purpose.
 *
 * Classic pcap files go through libpcap (pcap_open_dead and pcap_dump);
 * pcapng, which libpcap cannot write, has its own small block writer.
 *
 * Appliances are RFC 1918, 100.64/10 and fc00::/7; everything outside
 * uses the documentation ranges (192.0.2/24, 198.51.100/24, 203.0.113/24,
 * 2001:db8::/32).  "pcapgen all DIR" writes:
 *
 *   site-demo.pcap   20 minutes of a site: RTSP+RTP cameras (VLAN 20), ANPR
 *                    HTTP events (VLAN 30), fingerprint readers on TCP 4370,
 *                    DNS, NTP, TLS with SNI, a 60 s call-home, MQTT for 15
 *                    minutes, IPv6 TLS, ping, a DNS query to 192.0.2.53
 *   link-*.pcap      the same TCP/UDP conversations over Linux SLL and
 *                    SLL2, raw IP (101), IPv4 (228), IPv6 (229), DLT_NULL
 *                    (IPv6 as 24, 28, 30 and 10) and DLT_LOOP
 *   vlan-qinq.pcap   802.1Q, 802.1ad and 0x9100 stacks, one 5-tuple in two
 *                    VLANs, one frame with five tags (too deep)
 *   erspan.pcap      ERSPAN I, II, III (with and without sub-header), GRE
 *                    TEB with a key, GRE version 3, ERSPAN version 3
 *   frag.pcap        IPv4 UDP and TCP fragments, one datagram last fragment
 *                    first, IPv6 Fragment headers
 *   ipv6-ext.pcap    hop-by-hop, routing (types 0 and 4), destination
 *                    options, AH, a chain of five, one of ten (too deep),
 *                    IPv6 and IPv4 ones cut short by the payload length
 *   snaplen.pcap     snaplen 64, and one record of 40 bytes
 *   duplicates.pcap  SPAN copies (TTL - 1; TTL - 1 in another VLAN; exact)
 *                    and a real retransmission 300 ms later
 *   malformed.pcap   one defect per frame, see gen_malformed()
 *   cut.pcap         the last record ends 37 of its 200 bytes in
 *   pcapng.pcapng    two interfaces, a packet comment, a final ISB
 *   vxlan.pcap       mirrored frames in VXLAN (UDP 4789), outer VLAN 99
 *   pcapng-mixed.pcapng  four interfaces of four link types (USB first,
 *                    which egressd does not decode; Ethernet; raw IP with
 *                    a snapshot length of 96 and nanosecond time stamps;
 *                    Linux cooked v2), which libpcap refuses
 *   tcp-states.pcap  every way a flow starts and ends, see gen_tcp_states()
 *   dns-tcp.pcap     DNS over TCP: an answer over two segments, pipelined
 *                    queries, a retransmitted segment; see gen_dns_tcp()
 *   policy.pcap      one case for each policy alert; see gen_policy()
 *   quic.pcap        QUIC v1 client Initials: a ClientHello in one packet,
 *                    one with a post-quantum key share over two datagrams,
 *                    one over two coalesced packets, and one whose tag is
 *                    broken; see gen_quic()
 *
 * "pcapgen beacon list" and "pcapgen beacon SCENARIO SEED FILE" write the
 * beacon scenarios that tests/beacon/captures.sh runs (see bscens[]), and
 * "pcapgen bench-site" and "pcapgen bench-flows" the benchmark captures.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <err.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <pcap/pcap.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "quic.h"
#include <strings.h>
#include <time.h>
#include <unistd.h>

/* 2026-03-02 08:00:00 UTC in microseconds */
#define T0		((uint64_t)1772438400000000)
#define SEC		((uint64_t)1000000)
#define MSEC		((uint64_t)1000)
#define MLKEM768_SHARE	1216	/* X25519MLKEM768 key share bytes */
#define QUIC_DGRAM_MIN	1200	/* a client Initial datagram, RFC 9000 14.1 */
#define MIN		(60 * SEC)

#define WBUF_MAX	(72 * 1024)
#define HEAP_ESIZE_MAX	128		/* bytes of one heap element */
#define SNAP_FULL	262144
#define SNAP_BENCH	128
#define POOL_SIZE	(64 * 1024)

#define TH_FIN		0x01
#define TH_SYN		0x02
#define TH_RST		0x04
#define TH_PSH		0x08
#define TH_ACK		0x10

#define IP_DF		0x4000
#define IP_MF		0x2000

#define GRE_ROUTING	0x4000
#define GRE_KEY		0x2000
#define GRE_SEQ		0x1000

#define ETH_IPV4	0x0800
#define ETH_ARP		0x0806
#define ETH_VLAN	0x8100
#define ETH_IPV6	0x86dd
#define ETH_QINQ	0x88a8
#define ETH_LLDP	0x88cc
#define ETH_QINQ_OLD	0x9100

#define DNS_A		1
#define DNS_CNAME	5
#define DNS_SOA		6
#define DNS_AAAA	28

#define FMT_PCAP	0
#define FMT_PCAPNG	1
#define FMT_CUT		2
#define FMT_PCAPNG_MIX	3

#define RTP_PORT	15000	/* cameras' RTP source port */
#define CUT_KEEP	37	/* bytes left of the last record in cut.pcap */
#define CUT_CAPLEN	200

enum {
	DUP_NONE,
	DUP_TTL,		/* copy with TTL - 1, same tag */
	DUP_VLAN,		/* copy with TTL - 1, other VLAN and MACs */
	DUP_EXACT		/* byte-identical copy */
};

enum {
	TUN_ERSPAN1 = 1,	/* GRE 0x88be, no sequence, no header */
	TUN_ERSPAN2,		/* GRE 0x88be + sequence, 8-byte header v1 */
	TUN_ERSPAN3,		/* GRE 0x22eb + sequence, 12-byte header v2 */
	TUN_TEB,		/* GRE 0x6558 with a key */
	TUN_BADGRE,		/* GRE version 3 */
	TUN_BADERSPAN,		/* ERSPAN header version 3 */
	TUN_VXLAN		/* UDP to 4789, VXLAN header (RFC 7348) */
};

/* A packet under construction. */
struct wbuf {
	size_t		 len;
	uint8_t		 p[WBUF_MAX];
};

/* One captured packet waiting in the time-ordered heap. */
struct rec {
	uint64_t	 ts;		/* microseconds since the epoch */
	uint64_t	 seq;		/* generation order, breaks ties */
	uint32_t	 len;		/* length on the wire */
	uint32_t	 caplen;
	uint32_t	 ifid;		/* pcapng interface */
	const char	*comment;	/* pcapng opt_comment */
	uint8_t		*data;
};

/* A capture being generated: records in a min-heap and the PRNG. */
struct cap {
	struct rec	*heap;
	size_t		 n;
	size_t		 size;
	uint64_t	 seq;
	uint64_t	 rng;
	uint32_t	 snaplen;
	uint32_t	 cutnext;	/* caplen of the next record, if set */
	uint32_t	 ifid;
	const char	*comment;
	uint8_t		*pool;		/* random bytes for bulk payloads */
};

/* Where records go: a libpcap dumper or a pcapng stream. */
/* A pcapng interface: its name, link type, snapshot length, units. */
struct ng_iface {
	const char	*name;
	uint16_t	 linktype;
	uint32_t	 snaplen;
	int		 nsec;		/* if_tsresol 9, else microseconds */
};

struct out {
	FILE		*fp;
	pcap_t		*pd;
	pcap_dumper_t	*pdump;
	int		 ng;
	const struct ng_iface *ifs;	/* pcapng */
	uint64_t	 count;
	uint64_t	 lastts;
	uint32_t	 lastcap;
};

/* GRE/ERSPAN encapsulation applied to finished Ethernet frames. */
struct tun {
	int		 kind;
	int		 obit;
	uint16_t	 session;
	uint16_t	 vlan;
	uint16_t	 ovlan;		/* the outer frame's tag, 0: none */
	uint16_t	 ipid;
	uint32_t	 seq;
	uint32_t	 key;
	uint32_t	 index;
	uint8_t		 src[16];
	uint8_t		 dst[16];
	uint8_t		 smac[6];
	uint8_t		 dmac[6];
};

/* How IP packets are framed for one capture link type. */
struct link {
	int		 dlt;
	int		 ntag;
	uint16_t	 tpid[8];
	uint16_t	 tci[8];
	uint32_t	 af6;		/* DLT_NULL/DLT_LOOP family of IPv6 */
	uint32_t	 ifindex;	/* DLT_LINUX_SLL2 */
	struct tun	*tun;
	int		 dup;
	uint16_t	 dupvlan;
	int		 dupmacs;
	uint8_t		 dupsmac[6];
	uint8_t		 dupdmac[6];
};

/* A chain of IPv6 extension headers (or IPv4 AH). */
struct xchain {
	struct wbuf	 b;
	int		 n;
	uint8_t		 first;
	uint8_t		 type[16];
	size_t		 off[16];
};

/* Everything needed to put one IP header in front of a payload. */
struct pkt {
	int		 af;
	const uint8_t	*src;
	const uint8_t	*dst;
	const uint8_t	*smac;
	const uint8_t	*dmac;
	uint8_t		 proto;
	uint8_t		 ttl;
	uint16_t	 id;
	uint16_t	 frag;
	uint32_t	 flowlabel;
	int		 out;		/* sent by the capturing host */
	const uint8_t	*ext;
	size_t		 extlen;
	uint8_t		 extfirst;
	const uint8_t	*opt;
	size_t		 optlen;
};

/* One side of a conversation. */
struct ep {
	uint8_t		 ip[16];
	uint8_t		 mac[6];	/* next-hop MAC of frames to/from it */
	uint16_t	 port;
	uint8_t		 ttl;
	uint16_t	 ipid;
	uint32_t	 seq;
	uint16_t	 win;
};

/* A TCP, UDP or ICMP conversation; ep[0] is the client. */
struct conv {
	struct cap	*cap;
	struct link	 link;
	int		 af;
	uint8_t		 proto;
	int		 df;
	uint16_t	 mss;
	uint32_t	 flowlabel;
	uint64_t	 rtt;
	struct ep	 ep[2];
	const struct xchain *x[2];
	const uint8_t	*opt;
	size_t		 optlen;
};

/* A DNS resource record to put in an answer. */
struct dnsrr {
	const char	*name;
	uint16_t	 type;
	uint32_t	 ttl;
	const char	*data;		/* address, target name or SOA mname */
	const char	*data2;		/* SOA rname */
};

/* DNS message writer with name compression. */
struct dnsw {
	struct wbuf	*w;
	size_t		 base;
	int		 n;
	const char	*sfx[64];
	uint16_t	 off[64];
};

/* A name the site resolver knows. */
struct dnsent {
	const char	*name;
	const char	*cname;
	const char	*a;
	const char	*aaaa;
};

/* A device of the demo site. */
struct sitedev {
	const char	*ip;
	const char	*mac;
	uint16_t	 vlan;
	const char	*gw;
};

/* A bundled capture. */
struct capfile {
	const char	*name;
	void		(*gen)(struct cap *);
	int		 dlt;
	uint32_t	 snaplen;
	int		 fmt;
};

static void	usage(void) __attribute__((__noreturn__));
static void	put_fmt(struct wbuf *, const char *, ...)
		    __attribute__((__format__(__printf__, 2, 3)));

/* Next value of the splitmix64 generator. */
static uint64_t
rnd64(uint64_t *s)
{
	uint64_t	 z;

	z = (*s += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Uniform value in [lo, hi]. */
static uint64_t
rnd_range(uint64_t *s, uint64_t lo, uint64_t hi)
{
	return lo + rnd64(s) % (hi - lo + 1);
}

/* Fills buf with random bytes. */
static void
rnd_fill(uint64_t *s, uint8_t *buf, size_t len)
{
	uint64_t	 v = 0;
	size_t		 i;

	for (i = 0; i < len; i++) {
		if (i % 8 == 0)
			v = rnd64(s);
		buf[i] = v & 0xff;
		v >>= 8;
	}
}

/* 64-bit FNV-1a of a string, used as the seed of a capture. */
static uint64_t
seed_of(const char *s)
{
	uint64_t	 h = 0xcbf29ce484222325ULL;

	for (; *s != '\0'; s++)
		h = (h ^ (uint8_t)*s) * 0x100000001b3ULL;
	return h;
}

/* Room for n more bytes at the end of w. */
static uint8_t *
wb_room(struct wbuf *w, size_t n)
{
	uint8_t		*p;

	if (n > sizeof(w->p) - w->len)
		errx(1, "packet buffer overflow");
	p = w->p + w->len;
	w->len += n;
	return p;
}

/* Appends one byte. */
static void
put_u8(struct wbuf *w, uint8_t v)
{
	*wb_room(w, 1) = v;
}

/* Appends 16 bits in network byte order. */
static void
put_u16(struct wbuf *w, uint16_t v)
{
	uint8_t		*p = wb_room(w, 2);

	p[0] = v >> 8;
	p[1] = v & 0xff;
}

/* Appends 32 bits in network byte order. */
static void
put_u32(struct wbuf *w, uint32_t v)
{
	uint8_t		*p = wb_room(w, 4);

	p[0] = v >> 24;
	p[1] = (v >> 16) & 0xff;
	p[2] = (v >> 8) & 0xff;
	p[3] = v & 0xff;
}

/* Appends 32 bits little-endian. */
static void
put_u32le(struct wbuf *w, uint32_t v)
{
	uint8_t		*p = wb_room(w, 4);

	p[0] = v & 0xff;
	p[1] = (v >> 8) & 0xff;
	p[2] = (v >> 16) & 0xff;
	p[3] = v >> 24;
}

/* Appends 16 bits in host byte order (pcapng). */
static void
put_h16(struct wbuf *w, uint16_t v)
{
	memcpy(wb_room(w, 2), &v, 2);
}

/* Appends 32 bits in host byte order (pcapng). */
static void
put_h32(struct wbuf *w, uint32_t v)
{
	memcpy(wb_room(w, 4), &v, 4);
}

/* Appends 64 bits in host byte order (pcapng). */
static void
put_h64(struct wbuf *w, uint64_t v)
{
	memcpy(wb_room(w, 8), &v, 8);
}

/* Appends len bytes. */
static void
put_bytes(struct wbuf *w, const void *data, size_t len)
{
	if (len > 0)
		memcpy(wb_room(w, len), data, len);
}

/* Appends len zero bytes. */
static void
put_zero(struct wbuf *w, size_t len)
{
	if (len > 0)
		memset(wb_room(w, len), 0, len);
}

/* Appends a string without its NUL. */
static void
put_str(struct wbuf *w, const char *s)
{
	put_bytes(w, s, strlen(s));
}

/* Appends printf output without its NUL. */
static void
put_fmt(struct wbuf *w, const char *fmt, ...)
{
	va_list		 ap;
	size_t		 room = sizeof(w->p) - w->len;
	int		 n;

	va_start(ap, fmt);
	n = vsnprintf((char *)w->p + w->len, room, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= room)
		errx(1, "packet buffer overflow");
	w->len += n;
}

/* Appends len bytes of the random pool. */
static void
put_pool(struct wbuf *w, struct cap *c, size_t len)
{
	size_t		 off, n;

	while (len > 0) {
		off = rnd64(&c->rng) % (POOL_SIZE / 2);
		n = len < POOL_SIZE / 2 ? len : POOL_SIZE / 2;
		put_bytes(w, c->pool + off, n);
		len -= n;
	}
}

/* Overwrites 16 bits at off in network byte order. */
static void
set_u16(struct wbuf *w, size_t off, uint16_t v)
{
	w->p[off] = v >> 8;
	w->p[off + 1] = v & 0xff;
}

/* Reserves a 16-bit length field; returns its offset for len16_done. */
static size_t
len16(struct wbuf *w)
{
	put_u16(w, 0);
	return w->len - 2;
}

/* Fills a 16-bit length field with the bytes written after it. */
static void
len16_done(struct wbuf *w, size_t off)
{
	set_u16(w, off, w->len - off - 2);
}

/* Reserves a 24-bit length field (TLS handshake). */
static size_t
len24(struct wbuf *w)
{
	put_zero(w, 3);
	return w->len - 3;
}

/* Fills a 24-bit length field with the bytes written after it. */
static void
len24_done(struct wbuf *w, size_t off)
{
	size_t		 n = w->len - off - 3;

	w->p[off] = n >> 16;
	w->p[off + 1] = (n >> 8) & 0xff;
	w->p[off + 2] = n & 0xff;
}

/* Pads with zeros to a multiple of four bytes (pcapng). */
static void
put_pad4(struct wbuf *w)
{
	put_zero(w, (4 - w->len % 4) % 4);
}

/* Adds bytes to a ones'-complement sum (RFC 1071). */
static uint32_t
cksum_add(uint32_t sum, const uint8_t *p, size_t len)
{
	uint64_t	 s = sum;

	while (len > 1) {
		s += (p[0] << 8) | p[1];
		p += 2;
		len -= 2;
	}
	if (len > 0)
		s += p[0] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return s;
}

/* Final Internet checksum of a sum. */
static uint16_t
cksum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return ~sum & 0xffff;
}

/* Parses an IPv4 or IPv6 address; returns its family. */
static int
addr_aton(const char *s, uint8_t *ip)
{
	memset(ip, 0, 16);
	if (inet_pton(AF_INET, s, ip) == 1)
		return AF_INET;
	if (inet_pton(AF_INET6, s, ip) == 1)
		return AF_INET6;
	errx(1, "bad address %s", s);
}

/* Parses a colon-separated MAC address. */
static void
mac_aton(const char *s, uint8_t *m)
{
	unsigned int	 b[6];
	int		 i;

	if (sscanf(s, "%x:%x:%x:%x:%x:%x", &b[0], &b[1], &b[2], &b[3],
	    &b[4], &b[5]) != 6)
		errx(1, "bad MAC %s", s);
	for (i = 0; i < 6; i++)
		m[i] = b[i];
}

/* True for RFC 1918, 100.64/10 and fc00::/7: the appliance side. */
static int
addr_inside(int af, const uint8_t *ip)
{
	if (af == AF_INET)
		return ip[0] == 10 ||
		    (ip[0] == 172 && (ip[1] & 0xf0) == 16) ||
		    (ip[0] == 192 && ip[1] == 168) ||
		    (ip[0] == 100 && (ip[1] & 0xc0) == 64);
	return (ip[0] & 0xfe) == 0xfc;
}

/* Allocates or dies. */
static void *
xmalloc(size_t n)
{
	void		*p;

	if ((p = malloc(n)) == NULL)
		err(1, "malloc");
	return p;
}

/* Starts an empty capture with its own seed. */
static void
cap_init(struct cap *c, uint64_t seed, uint32_t snaplen)
{
	memset(c, 0, sizeof(*c));
	c->rng = seed;
	c->snaplen = snaplen;
	c->pool = xmalloc(POOL_SIZE);
	rnd_fill(&c->rng, c->pool, POOL_SIZE);
}

/* Frees what is left of a capture. */
static void
cap_free(struct cap *c)
{
	size_t		 i;

	for (i = 0; i < c->n; i++)
		free(c->heap[i].data);
	free(c->heap);
	free(c->pool);
}

_Static_assert(sizeof(struct rec) <= HEAP_ESIZE_MAX, "heap element size");

/* Swap two heap elements of esize bytes (at most HEAP_ESIZE_MAX). */
static void
heap_swap(uint8_t *a, uint8_t *b, size_t esize)
{
	uint8_t	tmp[HEAP_ESIZE_MAX];

	memcpy(tmp, a, esize);
	memcpy(a, b, esize);
	memcpy(b, tmp, esize);
}

/* Min-heap: move the last of n elements up to its place. */
static void
heap_up(void *base, size_t esize, size_t n,
    int (*before)(const void *, const void *))
{
	uint8_t	*v = base;
	size_t	 i = n - 1, up;

	while (i > 0) {
		up = (i - 1) / 2;
		if (!before(v + i * esize, v + up * esize))
			break;
		heap_swap(v + i * esize, v + up * esize, esize);
		i = up;
	}
}

/* Min-heap: move the first of n elements down to its place. */
static void
heap_down(void *base, size_t esize, size_t n,
    int (*before)(const void *, const void *))
{
	uint8_t	*v = base;
	size_t	 i = 0, l, m;

	for (;;) {
		l = 2 * i + 1;
		m = i;
		if (l < n && before(v + l * esize, v + m * esize))
			m = l;
		if (l + 1 < n && before(v + (l + 1) * esize, v + m * esize))
			m = l + 1;
		if (m == i)
			break;
		heap_swap(v + m * esize, v + i * esize, esize);
		i = m;
	}
}

/* True if a goes out before b. */
static int
rec_before(const void *va, const void *vb)
{
	const struct rec	*a = va, *b = vb;

	return a->ts < b->ts || (a->ts == b->ts && a->seq < b->seq);
}

/* Queues a frame of wire length len, keeping caplen bytes of it. */
static void
cap_add(struct cap *c, uint64_t ts, const uint8_t *data, size_t len,
    size_t caplen)
{
	struct rec	 r;

	if (caplen > len)
		caplen = len;
	if (caplen > c->snaplen)
		caplen = c->snaplen;
	if (c->cutnext != 0 && caplen > c->cutnext)
		caplen = c->cutnext;
	c->cutnext = 0;
	r.ts = ts;
	r.seq = c->seq++;
	r.len = len;
	r.caplen = caplen;
	r.ifid = c->ifid;
	r.comment = c->comment;
	c->comment = NULL;
	r.data = xmalloc(caplen > 0 ? caplen : 1);
	memcpy(r.data, data, caplen);

	if (c->n == c->size) {
		c->size = c->size ? c->size * 2 : 1024;
		c->heap = realloc(c->heap, c->size * sizeof(*c->heap));
		if (c->heap == NULL)
			err(1, "realloc");
	}
	c->heap[c->n++] = r;
	heap_up(c->heap, sizeof(*c->heap), c->n, rec_before);
}

/* Removes the earliest record. */
static void
cap_pop(struct cap *c, struct rec *r)
{
	*r = c->heap[0];
	c->heap[0] = c->heap[--c->n];
	heap_down(c->heap, sizeof(*c->heap), c->n, rec_before);
}

/* Opens a classic pcap file through libpcap. */
static void
out_pcap(struct out *o, const char *path, int dlt, uint32_t snaplen)
{
	memset(o, 0, sizeof(*o));
	if ((o->fp = fopen(path, "wb")) == NULL)
		err(1, "%s", path);
	setvbuf(o->fp, NULL, _IOFBF, 1 << 20);
	if ((o->pd = pcap_open_dead(dlt, snaplen)) == NULL)
		errx(1, "pcap_open_dead");
	if ((o->pdump = pcap_dump_fopen(o->pd, o->fp)) == NULL)
		errx(1, "%s: %s", path, pcap_geterr(o->pd));
}

/* Writes one pcapng block: type, length, body, length. */
static void
ng_block(struct out *o, uint32_t type, const struct wbuf *body)
{
	uint32_t	 len = 12 + body->len;

	if (fwrite(&type, 4, 1, o->fp) != 1 ||
	    fwrite(&len, 4, 1, o->fp) != 1 ||
	    fwrite(body->p, body->len, 1, o->fp) != 1 ||
	    fwrite(&len, 4, 1, o->fp) != 1)
		err(1, "pcapng write");
}

/* Appends one pcapng option, padded. */
static void
ng_opt(struct wbuf *w, uint16_t code, const void *data, size_t len)
{
	put_h16(w, code);
	put_h16(w, len);
	put_bytes(w, data, len);
	put_pad4(w);
}

/* Opens a pcapng file with these interfaces. */
static void
out_pcapng(struct out *o, const char *path, const struct ng_iface *ifs,
    int nif)
{
	struct wbuf	 w;
	const char	*appname = "egressd pcapgen";
	int		 i;

	memset(o, 0, sizeof(*o));
	o->ng = 1;
	o->ifs = ifs;
	if ((o->fp = fopen(path, "wb")) == NULL)
		err(1, "%s", path);

	/* Section Header Block */
	w.len = 0;
	put_h32(&w, 0x1a2b3c4d);
	put_h16(&w, 1);
	put_h16(&w, 0);
	put_h64(&w, UINT64_MAX);
	ng_opt(&w, 4, appname, strlen(appname));		/* shb_userappl */
	ng_opt(&w, 0, NULL, 0);
	ng_block(o, 0x0a0d0d0a, &w);

	/* Interface Description Blocks; if_tsresol 10^-6 unless nsec */
	for (i = 0; i < nif; i++) {
		uint8_t	res = 9;

		w.len = 0;
		put_h16(&w, ifs[i].linktype);
		put_h16(&w, 0);
		put_h32(&w, ifs[i].snaplen);
		ng_opt(&w, 2, ifs[i].name, strlen(ifs[i].name)); /* if_name */
		if (ifs[i].nsec)
			ng_opt(&w, 9, &res, 1);		/* if_tsresol */
		ng_opt(&w, 0, NULL, 0);
		ng_block(o, 1, &w);
	}
}

/* Writes one record. */
static void
out_write(struct out *o, const struct rec *r)
{
	struct pcap_pkthdr	 h;
	struct wbuf		 w;
	uint64_t		 ts = r->ts;
	uint32_t		 caplen = r->caplen;

	o->count++;
	o->lastts = r->ts;
	o->lastcap = r->caplen;
	if (!o->ng) {
		h.ts.tv_sec = r->ts / SEC;
		h.ts.tv_usec = r->ts % SEC;
		h.caplen = r->caplen;
		h.len = r->len;
		pcap_dump((u_char *)o->pdump, &h, r->data);
		return;
	}
	/* Enhanced Packet Block, in its interface's units and snaplen */
	if (o->ifs[r->ifid].nsec)
		ts *= 1000;
	if (caplen > o->ifs[r->ifid].snaplen)
		caplen = o->ifs[r->ifid].snaplen;
	w.len = 0;
	put_h32(&w, r->ifid);
	put_h32(&w, ts >> 32);
	put_h32(&w, ts & 0xffffffff);
	put_h32(&w, caplen);
	put_h32(&w, r->len);
	put_bytes(&w, r->data, caplen);
	put_pad4(&w);
	if (r->comment != NULL) {
		ng_opt(&w, 1, r->comment, strlen(r->comment));
		ng_opt(&w, 0, NULL, 0);
	}
	ng_block(o, 6, &w);
}

/* Flushes and closes the output. */
static void
out_close(struct out *o, const char *path)
{
	struct wbuf	 w;
	uint64_t	 drop = 0;

	if (!o->ng) {
		if (pcap_dump_flush(o->pdump) == -1)
			errx(1, "%s: write failed", path);
		pcap_dump_close(o->pdump);
		pcap_close(o->pd);
		return;
	}
	/* Interface Statistics Block for interface 0 */
	w.len = 0;
	put_h32(&w, 0);
	put_h32(&w, o->lastts >> 32);
	put_h32(&w, o->lastts & 0xffffffff);
	ng_opt(&w, 4, &o->count, 8);		/* isb_ifrecv */
	ng_opt(&w, 5, &drop, 8);		/* isb_ifdrop */
	ng_opt(&w, 0, NULL, 0);
	ng_block(o, 5, &w);
	if (fclose(o->fp) == EOF)
		err(1, "%s", path);
}

/* Writes queued records up to time until, at most max in all. */
static void
cap_drain(struct cap *c, struct out *o, uint64_t until, uint64_t max)
{
	struct rec	 r;

	while (c->n > 0 && c->heap[0].ts <= until && o->count < max) {
		cap_pop(c, &r);
		out_write(o, &r);
		free(r.data);
	}
}

/* An Ethernet link, untagged. */
static void
link_eth(struct link *l)
{
	memset(l, 0, sizeof(*l));
	l->dlt = DLT_EN10MB;
}

/* Adds a VLAN tag (outermost first). */
static void
link_tag(struct link *l, uint16_t tpid, uint16_t vid, uint8_t pcp)
{
	if (l->ntag == 8)
		errx(1, "too many tags");
	l->tpid[l->ntag] = tpid;
	l->tci[l->ntag] = (pcp << 13) | vid;
	l->ntag++;
}

/* An Ethernet link with one 802.1Q tag, or none for vid 0. */
static void
link_vlan(struct link *l, uint16_t vid)
{
	link_eth(l);
	if (vid != 0)
		link_tag(l, ETH_VLAN, vid, 0);
}

/* A link of another type. */
static void
link_dlt(struct link *l, int dlt)
{
	memset(l, 0, sizeof(*l));
	l->dlt = dlt;
	l->af6 = 10;
	l->ifindex = 2;
}

/*
 * Sets the checksum of a TCP, UDP, ICMP or ICMPv6 header at l4 using the
 * RFC 793/768 pseudo-header (RFC 8200 section 8.1 for IPv6).
 */
static void
l4_cksum(int af, const uint8_t *src, const uint8_t *dst, uint8_t proto,
    uint8_t *l4, size_t len)
{
	uint8_t		 ph[40];
	uint32_t	 sum;
	size_t		 off;
	uint16_t	 ck;
	int		 pseudo = 1;

	switch (proto) {
	case IPPROTO_TCP:
		off = 16;
		break;
	case IPPROTO_UDP:
		off = 6;
		break;
	case IPPROTO_ICMP:
		off = 2;
		pseudo = 0;
		break;
	case IPPROTO_ICMPV6:
		off = 2;
		break;
	default:
		return;
	}
	if (len < off + 2)
		return;
	l4[off] = l4[off + 1] = 0;
	sum = 0;
	if (pseudo && af == AF_INET) {
		memcpy(ph, src, 4);
		memcpy(ph + 4, dst, 4);
		ph[8] = 0;
		ph[9] = proto;
		ph[10] = len >> 8;
		ph[11] = len & 0xff;
		sum = cksum_add(0, ph, 12);
	} else if (pseudo) {
		memcpy(ph, src, 16);
		memcpy(ph + 16, dst, 16);
		ph[32] = len >> 24;
		ph[33] = (len >> 16) & 0xff;
		ph[34] = (len >> 8) & 0xff;
		ph[35] = len & 0xff;
		ph[36] = ph[37] = ph[38] = 0;
		ph[39] = proto;
		sum = cksum_add(0, ph, 40);
	}
	ck = cksum_fold(cksum_add(sum, l4, len));
	if (ck == 0 && proto == IPPROTO_UDP)
		ck = 0xffff;
	l4[off] = ck >> 8;
	l4[off + 1] = ck & 0xff;
}

/* Recomputes the header checksum of the IPv4 header at ip. */
static void
ip4_cksum(uint8_t *ip, size_t hlen)
{
	uint16_t	 ck;

	ip[10] = ip[11] = 0;
	ck = cksum_fold(cksum_add(0, ip, hlen));
	ip[10] = ck >> 8;
	ip[11] = ck & 0xff;
}

/*
 * Writes an IPv4 (RFC 791) or IPv6 (RFC 8200) header, the extension
 * headers and the payload.
 */
static void
ip_build(struct wbuf *w, const struct pkt *p, const uint8_t *l4, size_t len)
{
	size_t		 off = w->len, hl;
	uint8_t		 nh = p->extlen > 0 ? p->extfirst : p->proto;

	if (p->af == AF_INET) {
		hl = 20 + p->optlen;
		put_u8(w, 0x40 | hl / 4);
		put_u8(w, 0);
		put_u16(w, hl + p->extlen + len);
		put_u16(w, p->id);
		put_u16(w, p->frag);
		put_u8(w, p->ttl);
		put_u8(w, nh);
		put_u16(w, 0);
		put_bytes(w, p->src, 4);
		put_bytes(w, p->dst, 4);
		put_bytes(w, p->opt, p->optlen);
		ip4_cksum(w->p + off, hl);
	} else {
		put_u32(w, 0x60000000 | (p->flowlabel & 0xfffff));
		put_u16(w, p->extlen + len);
		put_u8(w, nh);
		put_u8(w, p->ttl);
		put_bytes(w, p->src, 16);
		put_bytes(w, p->dst, 16);
	}
	put_bytes(w, p->ext, p->extlen);
	put_bytes(w, l4, len);
}

/* Pads an Ethernet frame to the 60-byte minimum (no FCS). */
static void
eth_pad(struct wbuf *w)
{
	if (w->len < 60)
		put_zero(w, 60 - w->len);
}

/*
 * Puts the link-layer header for l in front of an IP packet.  copy selects
 * the second (SPAN egress) copy of a duplicated packet.
 */
static void
link_frame(struct wbuf *w, const struct link *l, const struct pkt *p,
    int copy, const uint8_t *ip, size_t iplen)
{
	const uint8_t	*sm = p->smac, *dm = p->dmac;
	uint16_t	 etype = p->af == AF_INET ? ETH_IPV4 : ETH_IPV6;
	uint32_t	 fam = p->af == AF_INET ? 2 : l->af6;
	uint16_t	 tci;
	int		 i;

	w->len = 0;
	switch (l->dlt) {
	case DLT_EN10MB:
		if (copy && l->dupmacs) {
			sm = l->dupsmac;
			dm = l->dupdmac;
		}
		put_bytes(w, dm, 6);
		put_bytes(w, sm, 6);
		for (i = 0; i < l->ntag; i++) {
			tci = l->tci[i];
			if (copy && i == 0 && l->dupvlan != 0)
				tci = (tci & 0xf000) | l->dupvlan;
			put_u16(w, l->tpid[i]);
			put_u16(w, tci);
		}
		put_u16(w, etype);
		put_bytes(w, ip, iplen);
		eth_pad(w);
		break;
	case DLT_LINUX_SLL:
		put_u16(w, p->out ? 4 : 0);	/* outgoing or to us */
		put_u16(w, 1);			/* ARPHRD_ETHER */
		put_u16(w, 6);
		put_bytes(w, sm, 6);
		put_zero(w, 2);
		put_u16(w, etype);
		put_bytes(w, ip, iplen);
		break;
	case DLT_LINUX_SLL2:
		put_u16(w, etype);
		put_u16(w, 0);
		put_u32(w, l->ifindex);
		put_u16(w, 1);
		put_u8(w, p->out ? 4 : 0);
		put_u8(w, 6);
		put_bytes(w, sm, 6);
		put_zero(w, 2);
		put_bytes(w, ip, iplen);
		break;
	case DLT_NULL:
		put_u32le(w, fam);
		put_bytes(w, ip, iplen);
		break;
	case DLT_LOOP:
		put_u32(w, fam);
		put_bytes(w, ip, iplen);
		break;
	default:			/* DLT_RAW, DLT_IPV4, DLT_IPV6 */
		put_bytes(w, ip, iplen);
		break;
	}
}

/*
 * Wraps a mirrored Ethernet frame in GRE (RFC 2784/2890) and, for ERSPAN,
 * its header, and queues the outer packet from the switch to the sensor.
 *
 * ERSPAN type II (version 1):
 *   | Ver=1 | VLAN (12)  | COS | En | T | Session ID (10) |
 *   | Reserved (12)      | Index (20)                      |
 * ERSPAN type III (version 2):
 *   | Ver=2 | VLAN (12)  | COS | BSO | T | Session ID (10) |
 *   | Timestamp (32)                                        |
 *   | SGT (16)  | P | FT (5) | HW ID (6) | D | Gra (2) | O  |
 *   [ 8-byte platform specific sub-header when O is set ]
 */
/*
 * Queues a tunnel's outer packet: IPv4 from tn->src to tn->dst around the
 * payload g (protocol proto, TTL ttl), in an Ethernet frame tagged with
 * tn->ovlan when set.
 */
static void
tun_send(struct cap *c, struct tun *tn, uint64_t t, uint8_t proto,
    uint8_t ttl, const struct wbuf *g)
{
	struct wbuf	 ip, f;
	struct pkt	 p;

	memset(&p, 0, sizeof(p));
	p.af = AF_INET;
	p.src = tn->src;
	p.dst = tn->dst;
	p.proto = proto;
	p.ttl = ttl;
	p.id = tn->ipid++;
	ip.len = 0;
	ip_build(&ip, &p, g->p, g->len);
	f.len = 0;
	put_bytes(&f, tn->dmac, 6);
	put_bytes(&f, tn->smac, 6);
	if (tn->ovlan != 0) {
		put_u16(&f, ETH_VLAN);
		put_u16(&f, tn->ovlan);
	}
	put_u16(&f, ETH_IPV4);
	put_bytes(&f, ip.p, ip.len);
	eth_pad(&f);
	cap_add(c, t, f.p, f.len, f.len);
}

static void
tun_wrap(struct cap *c, struct tun *tn, uint64_t t, const uint8_t *frame,
    size_t flen)
{
	struct wbuf	 g;
	uint16_t	 flags = 0, proto = 0x88be;
	int		 seq = 0, hdr = 0, ver = 1;

	if (tn->kind == TUN_VXLAN) {
		/* UDP (checksum 0: none, as VTEPs send), then VXLAN */
		g.len = 0;
		put_u16(&g, 49152 + (uint16_t)((flen * 2654435761u) >> 18));
		put_u16(&g, 4789);
		put_u16(&g, 8 + 8 + flen);
		put_u16(&g, 0);
		put_u8(&g, 0x08);			/* I: the VNI is valid */
		put_zero(&g, 3);
		put_u32(&g, (uint32_t)tn->key << 8);	/* VNI, reserved */
		put_bytes(&g, frame, flen);
		tun_send(c, tn, t, IPPROTO_UDP, 64, &g);
		return;
	}
	switch (tn->kind) {
	case TUN_ERSPAN1:
		break;
	case TUN_ERSPAN2:
		seq = 1;
		hdr = 2;
		break;
	case TUN_ERSPAN3:
		seq = 1;
		hdr = 3;
		proto = 0x22eb;
		break;
	case TUN_TEB:
		flags = GRE_KEY;
		proto = 0x6558;
		break;
	case TUN_BADGRE:
		flags = 3;		/* GRE version 3 */
		seq = 1;
		hdr = 2;
		break;
	case TUN_BADERSPAN:
		seq = 1;
		hdr = 2;
		ver = 3;
		break;
	}
	g.len = 0;
	put_u16(&g, flags | (seq ? GRE_SEQ : 0));
	put_u16(&g, proto);
	if (flags & GRE_KEY)
		put_u32(&g, tn->key);
	if (seq)
		put_u32(&g, tn->seq++);
	if (hdr == 2) {
		/* En 3: the mirrored frame keeps its 802.1Q tag */
		put_u16(&g, (ver << 12) | tn->vlan);
		put_u16(&g, (0 << 13) | (3 << 11) | tn->session);
		put_u32(&g, tn->index & 0xfffff);
	} else if (hdr == 3) {
		put_u16(&g, (2 << 12) | tn->vlan);
		put_u16(&g, tn->session);
		put_u32(&g, (t / 100) & 0xffffffff);	/* 100 us ticks */
		put_u16(&g, 0);
		/* P=1 FT=0 (Ethernet) HW ID 5, D=0, Gra=0 */
		put_u16(&g, 0x8000 | (5 << 4) | (tn->obit ? 1 : 0));
		if (tn->obit) {
			/* platform ID 3: port index, timestamp seconds */
			put_u32(&g, (3u << 26) | (tn->index & 0xffff));
			put_u32(&g, t / SEC);
		}
	}
	put_bytes(&g, frame, flen);
	tun_send(c, tn, t, IPPROTO_GRE, 60, &g);
}

/* Frames a finished IP packet and queues it. */
static void
emit_ip(struct cap *c, const struct link *l, uint64_t t, const struct pkt *p,
    int copy, const uint8_t *ip, size_t iplen)
{
	struct wbuf	 f;

	link_frame(&f, l, p, copy, ip, iplen);
	if (l->tun != NULL)
		tun_wrap(c, l->tun, t, f.p, f.len);
	else
		cap_add(c, t, f.p, f.len, f.len);
}

/*
 * Checksums a transport header and payload, adds the IP header and queues
 * the packet, plus its SPAN duplicate when the link asks for one.
 */
static void
emit_pkt(struct cap *c, const struct link *l, uint64_t t, const struct pkt *p,
    uint8_t *l4, size_t len)
{
	struct wbuf	 ip;
	struct pkt	 q;

	l4_cksum(p->af, p->src, p->dst, p->proto, l4, len);
	ip.len = 0;
	ip_build(&ip, p, l4, len);
	emit_ip(c, l, t, p, 0, ip.p, ip.len);
	if (l->dup == DUP_NONE)
		return;
	q = *p;
	if (l->dup != DUP_EXACT)
		q.ttl--;
	ip.len = 0;
	ip_build(&ip, &q, l4, len);
	emit_ip(c, l, t + rnd_range(&c->rng, 50, 500), &q,
	    l->dup == DUP_VLAN, ip.p, ip.len);
}

/* Starts a conversation; the client is ep[0]. */
static void
conv_init(struct conv *cv, struct cap *c, const struct link *l, uint8_t proto,
    const char *cip, const char *cmac, uint16_t cport,
    const char *sip, const char *smac, uint16_t sport)
{
	struct ep	*e;
	int		 i, far;

	memset(cv, 0, sizeof(*cv));
	cv->cap = c;
	cv->link = *l;
	cv->proto = proto;
	cv->af = addr_aton(cip, cv->ep[0].ip);
	if (addr_aton(sip, cv->ep[1].ip) != cv->af)
		errx(1, "family mismatch %s %s", cip, sip);
	if (cmac != NULL)
		mac_aton(cmac, cv->ep[0].mac);
	if (smac != NULL)
		mac_aton(smac, cv->ep[1].mac);
	cv->ep[0].port = cport;
	cv->ep[1].port = sport;
	far = !addr_inside(cv->af, cv->ep[0].ip) ||
	    !addr_inside(cv->af, cv->ep[1].ip);
	for (i = 0; i < 2; i++) {
		e = &cv->ep[i];
		e->ttl = addr_inside(cv->af, e->ip) ? 64 :
		    64 - rnd_range(&c->rng, 6, 14);
		e->ipid = rnd64(&c->rng);
		e->seq = rnd64(&c->rng);
		e->win = i == 0 ? 64240 : 65160;
	}
	cv->rtt = far ? rnd_range(&c->rng, 12000, 90000) :
	    rnd_range(&c->rng, 150, 900);
	cv->df = 1;
	cv->mss = cv->af == AF_INET ? 1460 : 1440;
	if (cv->af == AF_INET6)
		cv->flowlabel = rnd64(&c->rng) & 0xfffff;
}

/* Fills the IP parameters of a packet sent by side dir. */
static void
pkt_from(struct conv *cv, int dir, struct pkt *p)
{
	struct ep	*s = &cv->ep[dir], *r = &cv->ep[!dir];

	memset(p, 0, sizeof(*p));
	p->af = cv->af;
	p->src = s->ip;
	p->dst = r->ip;
	p->smac = s->mac;
	p->dmac = r->mac;
	p->proto = cv->proto;
	p->ttl = s->ttl;
	p->id = s->ipid++;
	p->frag = cv->df ? IP_DF : 0;
	p->flowlabel = cv->flowlabel;
	p->out = dir == 0;
	if (cv->x[dir] != NULL) {
		p->ext = cv->x[dir]->b.p;
		p->extlen = cv->x[dir]->b.len;
		p->extfirst = cv->x[dir]->first;
	}
	p->opt = cv->opt;
	p->optlen = cv->optlen;
}

/*
 * Delay until the other side's answer to a packet from dir shows up; the
 * sensor sits next to the client, so server answers take a round trip.
 */
static uint64_t
turn(struct conv *cv, int dir)
{
	if (dir == 0)
		return cv->rtt + rnd_range(&cv->cap->rng, 40, 400);
	return rnd_range(&cv->cap->rng, 20, 200);
}

/* Writes a TCP header (RFC 9293) and payload into w. */
static void
tcp_hdr(struct conv *cv, int dir, struct wbuf *w, uint8_t flags,
    const uint8_t *data, size_t len)
{
	struct ep	*s = &cv->ep[dir], *r = &cv->ep[!dir];
	int		 syn = (flags & TH_SYN) != 0;

	w->len = 0;
	put_u16(w, s->port);
	put_u16(w, r->port);
	put_u32(w, s->seq);
	put_u32(w, (flags & TH_ACK) ? r->seq : 0);
	put_u8(w, (syn ? 8 : 5) << 4);
	put_u8(w, flags);
	put_u16(w, syn ? s->win : s->win >> 7);
	put_u16(w, 0);
	put_u16(w, 0);
	if (syn) {
		/* MSS, NOP, window scale 7, NOP, NOP, SACK permitted */
		put_u8(w, 2);
		put_u8(w, 4);
		put_u16(w, cv->mss);
		put_u8(w, 1);
		put_u8(w, 3);
		put_u8(w, 3);
		put_u8(w, 7);
		put_u8(w, 1);
		put_u8(w, 1);
		put_u8(w, 4);
		put_u8(w, 2);
	}
	put_bytes(w, data, len);
	s->seq += len + syn + ((flags & TH_FIN) != 0);
}

/* Sends one TCP segment from side dir at time t. */
static void
tcp_seg(struct conv *cv, int dir, uint64_t t, uint8_t flags,
    const uint8_t *data, size_t len)
{
	struct wbuf	 w;
	struct pkt	 p;

	tcp_hdr(cv, dir, &w, flags, data, len);
	pkt_from(cv, dir, &p);
	emit_pkt(cv->cap, &cv->link, t, &p, w.p, w.len);
}

/* Three-way handshake; returns when the client can first send. */
static uint64_t
tcp_open(struct conv *cv, uint64_t t)
{
	tcp_seg(cv, 0, t, TH_SYN, NULL, 0);
	t += turn(cv, 0);
	tcp_seg(cv, 1, t, TH_SYN | TH_ACK, NULL, 0);
	t += turn(cv, 1);
	tcp_seg(cv, 0, t, TH_ACK, NULL, 0);
	return t + rnd_range(&cv->cap->rng, 30, 300);
}

/*
 * Sends data from dir in MSS-sized segments, PSH on the last; the peer
 * ACKs every second full segment, always before its own next packet (the
 * answers in turn() take longer).  Returns the time of the last segment.
 */
static uint64_t
tcp_send(struct conv *cv, int dir, uint64_t t, const uint8_t *data,
    size_t len)
{
	size_t		 n, nseg = 0;

	for (;;) {
		n = len > cv->mss ? cv->mss : len;
		tcp_seg(cv, dir, t, TH_ACK | (n == len ? TH_PSH : 0), data, n);
		data += n;
		len -= n;
		if (len == 0)
			break;
		if (++nseg % 2 == 0)
			tcp_seg(cv, !dir, t + (dir == 0 ? cv->rtt + 30 : 15),
			    TH_ACK, NULL, 0);
		t += rnd_range(&cv->cap->rng, 12, 40);
	}
	return t;
}

/* Pure ACK from dir. */
static void
tcp_ack(struct conv *cv, int dir, uint64_t t)
{
	tcp_seg(cv, dir, t, TH_ACK, NULL, 0);
}

/* Request from the client, response from the server, client ACK. */
static uint64_t
tcp_xchg(struct conv *cv, uint64_t t, const struct wbuf *req,
    const struct wbuf *resp)
{
	t = tcp_send(cv, 0, t, req->p, req->len);
	t += turn(cv, 0);
	t = tcp_send(cv, 1, t, resp->p, resp->len);
	t += turn(cv, 1);
	tcp_ack(cv, 0, t);
	return t;
}

/* FIN from dir, FIN/ACK back, last ACK; returns the time of the last. */
static uint64_t
tcp_close(struct conv *cv, int dir, uint64_t t)
{
	tcp_seg(cv, dir, t, TH_FIN | TH_ACK, NULL, 0);
	t += turn(cv, dir);
	tcp_seg(cv, !dir, t, TH_FIN | TH_ACK, NULL, 0);
	t += turn(cv, !dir);
	tcp_seg(cv, dir, t, TH_ACK, NULL, 0);
	return t;
}

/* Writes a UDP header (RFC 768) and payload into w. */
static void
udp_hdr(struct conv *cv, int dir, struct wbuf *w, const uint8_t *data,
    size_t len)
{
	w->len = 0;
	put_u16(w, cv->ep[dir].port);
	put_u16(w, cv->ep[!dir].port);
	put_u16(w, len + 8);
	put_u16(w, 0);
	put_bytes(w, data, len);
}

/* Sends one UDP datagram from side dir. */
static void
udp_send(struct conv *cv, int dir, uint64_t t, const uint8_t *data,
    size_t len)
{
	struct wbuf	 w;
	struct pkt	 p;

	udp_hdr(cv, dir, &w, data, len);
	pkt_from(cv, dir, &p);
	emit_pkt(cv->cap, &cv->link, t, &p, w.p, w.len);
}

/* Echo request and reply (RFC 792, RFC 4443), Linux ping payload. */
static uint64_t
icmp_echo(struct conv *cv, uint64_t t, uint16_t id, uint16_t seq)
{
	struct wbuf	 w;
	struct pkt	 p;
	int		 dir, i;
	uint64_t	 sec = t / SEC, usec = t % SEC;

	for (dir = 0; dir < 2; dir++) {
		w.len = 0;
		if (cv->af == AF_INET)
			put_u8(&w, dir ? 0 : 8);
		else
			put_u8(&w, dir ? 129 : 128);
		put_u8(&w, 0);
		put_u16(&w, 0);
		put_u16(&w, id);
		put_u16(&w, seq);
		put_u32le(&w, sec & 0xffffffff);
		put_u32le(&w, sec >> 32);
		put_u32le(&w, usec);
		put_u32le(&w, 0);
		for (i = 0x10; i < 0x38; i++)
			put_u8(&w, i);
		pkt_from(cv, dir, &p);
		emit_pkt(cv->cap, &cv->link, t, &p, w.p, w.len);
		if (dir == 0)
			t += turn(cv, 0);
	}
	return t;
}

/* Starts an empty extension header chain. */
static void
xc_init(struct xchain *x)
{
	x->b.len = 0;
	x->n = 0;
	x->first = 0;
}

/* Opens a header of type t: its next-header byte is filled in later. */
static void
xc_hdr(struct xchain *x, uint8_t t)
{
	if (x->n == 16)
		errx(1, "extension chain too long");
	x->type[x->n] = t;
	x->off[x->n] = x->b.len;
	x->n++;
	put_u8(&x->b, 0);
}

/*
 * Hop-by-hop (0) or destination options (60) header (RFC 8200 4.3, 4.6),
 * padded with Pad1/PadN to a multiple of 8 bytes.
 */
static void
xc_opts(struct xchain *x, uint8_t t, const uint8_t *opts, size_t len)
{
	size_t		 start = x->b.len, pad;

	xc_hdr(x, t);
	put_u8(&x->b, 0);
	put_bytes(&x->b, opts, len);
	pad = (8 - (2 + len) % 8) % 8;
	if (pad == 1)
		put_u8(&x->b, 0);
	else if (pad > 1) {
		put_u8(&x->b, 1);
		put_u8(&x->b, pad - 2);
		put_zero(&x->b, pad - 2);
	}
	x->b.p[start + 1] = (x->b.len - start) / 8 - 1;
}

/*
 * Routing header (RFC 8200 4.4): type 0 (RFC 2460) or a segment routing
 * header, type 4 (RFC 8754), with n addresses.
 */
static void
xc_routing(struct xchain *x, uint8_t rtype, uint8_t left,
    const char **addrs, int n)
{
	uint8_t		 a[16];
	int		 i;

	xc_hdr(x, IPPROTO_ROUTING);
	put_u8(&x->b, 2 * n);
	put_u8(&x->b, rtype);
	put_u8(&x->b, left);
	if (rtype == 4) {
		put_u8(&x->b, n - 1);	/* last entry */
		put_u8(&x->b, 0);	/* flags */
		put_u16(&x->b, 0);	/* tag */
	} else
		put_u32(&x->b, 0);
	for (i = 0; i < n; i++) {
		if (addr_aton(addrs[i], a) != AF_INET6)
			errx(1, "routing header needs IPv6");
		put_bytes(&x->b, a, 16);
	}
}

/*
 * Authentication header (RFC 4302): payload length in 4-byte units minus
 * 2, SPI, sequence number and a 12-byte ICV (HMAC-SHA1-96).
 */
static void
xc_ah(struct xchain *x, struct cap *c, uint32_t spi, uint32_t seq)
{
	uint8_t		 icv[12];

	xc_hdr(x, IPPROTO_AH);
	put_u8(&x->b, (12 + sizeof(icv)) / 4 - 2);
	put_u16(&x->b, 0);
	put_u32(&x->b, spi);
	put_u32(&x->b, seq);
	rnd_fill(&c->rng, icv, sizeof(icv));
	put_bytes(&x->b, icv, sizeof(icv));
}

/* Links the next-header fields; the last one points at proto. */
static void
xc_done(struct xchain *x, uint8_t proto)
{
	int		 i;

	for (i = 0; i < x->n; i++)
		x->b.p[x->off[i]] = i + 1 < x->n ? x->type[i + 1] : proto;
	x->first = x->n > 0 ? x->type[0] : proto;
}

/* Formats t as an ISO 8601 UTC time. */
static void
iso_time(char *buf, size_t len, uint64_t t, int sep)
{
	struct tm	 tm;
	time_t		 s = t / SEC;

	gmtime_r(&s, &tm);
	strftime(buf, len, sep ? "%Y-%m-%dT%H:%M:%SZ" : "%Y-%m-%d %H:%M:%S",
	    &tm);
}

/* Starts a DNS message (RFC 1035 4.1.1) in w. */
static void
dns_init(struct dnsw *d, struct wbuf *w, uint16_t id, uint16_t flags,
    int qd, int an, int ns, int ar)
{
	d->w = w;
	d->base = w->len;
	d->n = 0;
	put_u16(w, id);
	put_u16(w, flags);
	put_u16(w, qd);
	put_u16(w, an);
	put_u16(w, ns);
	put_u16(w, ar);
}

/*
 * Writes a domain name, replacing the longest suffix already in the
 * message with a compression pointer (RFC 1035 4.1.4).
 */
static void
dns_name(struct dnsw *d, const char *name)
{
	const char	*p = name, *dot;
	size_t		 n, off;
	int		 i;

	while (*p != '\0') {
		for (i = 0; i < d->n; i++) {
			if (strcasecmp(d->sfx[i], p) == 0) {
				put_u16(d->w, 0xc000 | d->off[i]);
				return;
			}
		}
		off = d->w->len - d->base;
		if (d->n < 64 && off < 0x3fff) {
			d->sfx[d->n] = p;
			d->off[d->n] = off;
			d->n++;
		}
		dot = strchr(p, '.');
		n = dot != NULL ? (size_t)(dot - p) : strlen(p);
		if (n == 0 || n > 63)
			errx(1, "bad DNS label in %s", name);
		put_u8(d->w, n);
		put_bytes(d->w, p, n);
		p += n;
		if (*p == '.')
			p++;
	}
	put_u8(d->w, 0);
}

/* Writes a question entry. */
static void
dns_question(struct dnsw *d, const char *name, uint16_t type)
{
	dns_name(d, name);
	put_u16(d->w, type);
	put_u16(d->w, 1);
}

/* Writes a resource record of class IN. */
static void
dns_rr(struct dnsw *d, const struct dnsrr *rr)
{
	uint8_t		 a[16];
	size_t		 off;

	dns_name(d, rr->name);
	put_u16(d->w, rr->type);
	put_u16(d->w, 1);
	put_u32(d->w, rr->ttl);
	off = len16(d->w);
	switch (rr->type) {
	case DNS_A:
		if (addr_aton(rr->data, a) != AF_INET)
			errx(1, "A record needs IPv4");
		put_bytes(d->w, a, 4);
		break;
	case DNS_AAAA:
		if (addr_aton(rr->data, a) != AF_INET6)
			errx(1, "AAAA record needs IPv6");
		put_bytes(d->w, a, 16);
		break;
	case DNS_CNAME:
		dns_name(d, rr->data);
		break;
	case DNS_SOA:
		dns_name(d, rr->data);
		dns_name(d, rr->data2);
		put_u32(d->w, 2026030201);
		put_u32(d->w, 7200);
		put_u32(d->w, 3600);
		put_u32(d->w, 1209600);
		put_u32(d->w, 300);
		break;
	}
	len16_done(d->w, off);
}

/* A standard recursive query. */
static void
dns_query(struct wbuf *w, uint16_t id, const char *name, uint16_t type)
{
	struct dnsw	 d;

	w->len = 0;
	dns_init(&d, w, id, 0x0100, 1, 0, 0, 0);
	dns_question(&d, name, type);
}

/* An answer for a name in tab, or NODATA with the zone's SOA. */
static void
dns_answer(struct wbuf *w, uint16_t id, const char *name, uint16_t type,
    const struct dnsent *tab)
{
	struct dnsw	 d;
	struct dnsrr	 an[2], soa;
	const struct dnsent *e;
	const char	*zone, *addr;
	char		 mname[256], rname[256];
	int		 n = 0, i;

	for (e = tab; e->name != NULL; e++)
		if (strcasecmp(e->name, name) == 0)
			break;
	if (e->name == NULL)
		errx(1, "no DNS entry for %s", name);
	if (e->cname != NULL) {
		an[n].name = name;
		an[n].type = DNS_CNAME;
		an[n].ttl = 3600;
		an[n].data = e->cname;
		an[n].data2 = NULL;
		n++;
	}
	addr = type == DNS_A ? e->a : e->aaaa;
	if (addr != NULL) {
		an[n].name = e->cname != NULL ? e->cname : name;
		an[n].type = type;
		an[n].ttl = 300;
		an[n].data = addr;
		an[n].data2 = NULL;
		n++;
	}
	w->len = 0;
	dns_init(&d, w, id, 0x8180, 1, n, addr == NULL, 0);
	dns_question(&d, name, type);
	for (i = 0; i < n; i++)
		dns_rr(&d, &an[i]);
	if (addr == NULL) {
		zone = strchr(e->cname != NULL ? e->cname : name, '.');
		if (zone == NULL)
			errx(1, "no zone for %s", name);
		zone++;
		snprintf(mname, sizeof(mname), "ns1.%s", zone);
		snprintf(rname, sizeof(rname), "hostmaster.%s", zone);
		soa.name = zone;
		soa.type = DNS_SOA;
		soa.ttl = 300;
		soa.data = mname;
		soa.data2 = rname;
		dns_rr(&d, &soa);
	}
}

/* Query and answer on a UDP conversation; returns the answer time. */
static uint64_t
dns_lookup(struct conv *cv, uint64_t t, const char *name, uint16_t type,
    const struct dnsent *tab)
{
	struct wbuf	 w;
	uint16_t	 id = rnd64(&cv->cap->rng);

	dns_query(&w, id, name, type);
	udp_send(cv, 0, t, w.p, w.len);
	t += turn(cv, 0);
	dns_answer(&w, id, name, type, tab);
	udp_send(cv, 1, t, w.p, w.len);
	return t;
}

/* Appends an NTP timestamp: seconds since 1900 and a binary fraction. */
static void
put_ntpts(struct wbuf *w, uint64_t t)
{
	put_u32(w, (t / SEC + 2208988800ULL) & 0xffffffff);
	put_u32(w, ((t % SEC) << 32) / SEC);
}

/*
 * NTPv4 packet (RFC 5905 7.3), 48 bytes: a client request (mode 3) sent
 * at t, or the server's answer (mode 4) to a request sent at org.
 */
static void
ntp_packet(struct wbuf *w, int server, uint64_t org, uint64_t t)
{
	w->len = 0;
	if (!server) {
		put_u8(w, (0 << 6) | (4 << 3) | 3);
		put_u8(w, 0);			/* stratum */
		put_u8(w, 6);			/* poll 64 s */
		put_u8(w, 0xe9);		/* precision 2^-23 */
		put_zero(w, 12);		/* delay, dispersion, refid */
		put_zero(w, 24);		/* reference, origin, receive */
		put_ntpts(w, t);
		return;
	}
	put_u8(w, (0 << 6) | (4 << 3) | 4);
	put_u8(w, 2);
	put_u8(w, 6);
	put_u8(w, 0xe7);
	put_u32(w, 0x000003a5);		/* root delay */
	put_u32(w, 0x00000512);		/* root dispersion */
	put_u32(w, 0xc0000201);		/* refid 192.0.2.1 */
	put_ntpts(w, t - 37 * SEC);
	put_ntpts(w, org);
	put_ntpts(w, t - 30);
	put_ntpts(w, t - 12);
}

/* One NTP exchange on a UDP conversation. */
static uint64_t
ntp_exchange(struct conv *cv, uint64_t t)
{
	struct wbuf	 w;
	uint64_t	 org = t;

	ntp_packet(&w, 0, 0, t);
	udp_send(cv, 0, t, w.p, w.len);
	t += turn(cv, 0);
	ntp_packet(&w, 1, org, t);
	udp_send(cv, 1, t, w.p, w.len);
	return t;
}

/* Opens a TLS record (RFC 8446 5.1) of a type; returns the length. */
static size_t
tls_record(struct wbuf *w, uint8_t type, uint16_t version)
{
	put_u8(w, type);
	put_u16(w, version);
	return len16(w);
}

/*
 * A TLS 1.3 ClientHello (RFC 8446 4.1.2) in a TLS 1.0 record, with SNI,
 * ALPN h2 and http/1.1, supported_versions and an x25519 key_share; with
 * pq, an X25519MLKEM768 share (1216 bytes) before it, as browsers send.
 */
static void
tls_client_hello_pq(struct wbuf *w, struct cap *c, const char *sni,
    const uint8_t *sid, int pq)
{
	static const uint16_t suites[] = { 0x1301, 0x1302, 0x1303, 0xc02b,
	    0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8, 0x009c, 0x009d };
	static const uint16_t sigalgs[] = { 0x0403, 0x0804, 0x0401, 0x0503,
	    0x0805, 0x0501, 0x0806, 0x0601 };
	uint8_t		 rnd[32];
	size_t		 rec, hs, exts, e, l2, i;

	rec = tls_record(w, 22, 0x0301);
	put_u8(w, 1);
	hs = len24(w);
	put_u16(w, 0x0303);
	rnd_fill(&c->rng, rnd, sizeof(rnd));
	put_bytes(w, rnd, sizeof(rnd));
	put_u8(w, 32);
	put_bytes(w, sid, 32);
	put_u16(w, sizeof(suites));
	for (i = 0; i < sizeof(suites) / sizeof(suites[0]); i++)
		put_u16(w, suites[i]);
	put_u8(w, 1);
	put_u8(w, 0);
	exts = len16(w);

	put_u16(w, 0);				/* server_name */
	e = len16(w);
	l2 = len16(w);
	put_u8(w, 0);
	put_u16(w, strlen(sni));
	put_str(w, sni);
	len16_done(w, l2);
	len16_done(w, e);

	put_u16(w, 23);				/* extended_master_secret */
	put_u16(w, 0);
	put_u16(w, 65281);			/* renegotiation_info */
	put_u16(w, 1);
	put_u8(w, 0);

	put_u16(w, 10);				/* supported_groups */
	put_u16(w, 8);
	put_u16(w, 6);
	put_u16(w, 0x001d);
	put_u16(w, 0x0017);
	put_u16(w, 0x0018);

	put_u16(w, 11);				/* ec_point_formats */
	put_u16(w, 2);
	put_u8(w, 1);
	put_u8(w, 0);

	put_u16(w, 16);				/* ALPN */
	e = len16(w);
	l2 = len16(w);
	put_u8(w, 2);
	put_str(w, "h2");
	put_u8(w, 8);
	put_str(w, "http/1.1");
	len16_done(w, l2);
	len16_done(w, e);

	put_u16(w, 13);				/* signature_algorithms */
	put_u16(w, sizeof(sigalgs) + 2);
	put_u16(w, sizeof(sigalgs));
	for (i = 0; i < sizeof(sigalgs) / sizeof(sigalgs[0]); i++)
		put_u16(w, sigalgs[i]);

	put_u16(w, 43);				/* supported_versions */
	put_u16(w, 5);
	put_u8(w, 4);
	put_u16(w, 0x0304);
	put_u16(w, 0x0303);

	put_u16(w, 45);				/* psk_key_exchange_modes */
	put_u16(w, 2);
	put_u8(w, 1);
	put_u8(w, 1);

	put_u16(w, 51);				/* key_share */
	e = len16(w);
	l2 = len16(w);
	if (pq) {
		put_u16(w, 0x11ec);
		put_u16(w, MLKEM768_SHARE);
		put_pool(w, c, MLKEM768_SHARE);
	}
	put_u16(w, 0x001d);
	put_u16(w, 32);
	rnd_fill(&c->rng, rnd, sizeof(rnd));
	put_bytes(w, rnd, sizeof(rnd));
	len16_done(w, l2);
	len16_done(w, e);

	len16_done(w, exts);
	len24_done(w, hs);
	len16_done(w, rec);
}

/* The ClientHello above with its x25519 share only. */
static void
tls_client_hello(struct wbuf *w, struct cap *c, const char *sni,
    const uint8_t *sid)
{
	tls_client_hello_pq(w, c, sni, sid, 0);
}

/* ServerHello (RFC 8446 4.1.3) choosing TLS_AES_128_GCM_SHA256. */
static void
tls_server_hello(struct wbuf *w, struct cap *c, const uint8_t *sid)
{
	uint8_t		 rnd[32];
	size_t		 rec, hs, exts;

	rec = tls_record(w, 22, 0x0303);
	put_u8(w, 2);
	hs = len24(w);
	put_u16(w, 0x0303);
	rnd_fill(&c->rng, rnd, sizeof(rnd));
	put_bytes(w, rnd, sizeof(rnd));
	put_u8(w, 32);
	put_bytes(w, sid, 32);
	put_u16(w, 0x1301);
	put_u8(w, 0);
	exts = len16(w);
	put_u16(w, 43);
	put_u16(w, 2);
	put_u16(w, 0x0304);
	put_u16(w, 51);
	put_u16(w, 36);
	put_u16(w, 0x001d);
	put_u16(w, 32);
	rnd_fill(&c->rng, rnd, sizeof(rnd));
	put_bytes(w, rnd, sizeof(rnd));
	len16_done(w, exts);
	len24_done(w, hs);
	len16_done(w, rec);
}

/* The middlebox-compatibility ChangeCipherSpec record. */
static void
tls_ccs(struct wbuf *w)
{
	put_u8(w, 20);
	put_u16(w, 0x0303);
	put_u16(w, 1);
	put_u8(w, 1);
}

/* len bytes of encrypted application data in records of at most 16 KB. */
static void
tls_appdata(struct wbuf *w, struct cap *c, size_t len)
{
	size_t		 n;

	while (len > 0) {
		n = len > 16401 ? 16401 : len;
		put_u8(w, 23);
		put_u16(w, 0x0303);
		put_u16(w, n);
		put_pool(w, c, n);
		len -= n;
	}
}

/*
 * The TLS 1.3 handshake on an open TCP connection: the client's hello, the
 * server's hello and encrypted handshake, the client's Finished (with its
 * first up bytes of data in the same flight, when up is not NULL).
 * Returns the time the server has it.
 */
static uint64_t
tls_handshake(struct conv *cv, uint64_t t, const char *sni, const size_t *up)
{
	struct cap	*c = cv->cap;
	struct wbuf	 w;
	uint8_t		 sid[32];

	rnd_fill(&c->rng, sid, sizeof(sid));
	w.len = 0;
	tls_client_hello(&w, c, sni, sid);
	t = tcp_send(cv, 0, t, w.p, w.len);
	t += turn(cv, 0);
	w.len = 0;
	tls_server_hello(&w, c, sid);
	tls_ccs(&w);
	tls_appdata(&w, c, rnd_range(&c->rng, 2400, 3600));
	t = tcp_send(cv, 1, t, w.p, w.len);
	t += turn(cv, 1);
	w.len = 0;
	tls_ccs(&w);
	tls_appdata(&w, c, 53);
	if (up != NULL)
		tls_appdata(&w, c, *up);
	t = tcp_send(cv, 0, t, w.p, w.len);
	return t + turn(cv, 0);
}

/*
 * A TLS 1.3 session on an open TCP connection: hellos, the encrypted
 * handshake, up bytes of request and down bytes of response, then
 * close_notify and a client FIN.  Returns the time of the last packet.
 */
static uint64_t
tls_session(struct conv *cv, uint64_t t, const char *sni, size_t up,
    size_t down)
{
	struct cap	*c = cv->cap;
	struct wbuf	 w;

	t = tls_handshake(cv, t, sni, &up);
	w.len = 0;
	tls_appdata(&w, c, 2 * 250);
	tls_appdata(&w, c, down);
	t = tcp_send(cv, 1, t, w.p, w.len);
	t += turn(cv, 1);
	tcp_ack(cv, 0, t);
	t += rnd_range(&c->rng, 2 * MSEC, 40 * MSEC);
	w.len = 0;
	tls_appdata(&w, c, 19);
	t = tcp_send(cv, 0, t, w.p, w.len);
	return tcp_close(cv, 0, t + rnd_range(&c->rng, 20, 80));
}

/*
 * RTP (RFC 3550 5.1) carrying one H.264 NAL unit (RFC 6184), payload
 * type 96; len is the NAL size.
 */
static void
rtp_packet(struct wbuf *w, struct cap *c, uint16_t seq, uint32_t ts,
    uint32_t ssrc, int idr, size_t len)
{
	w->len = 0;
	put_u8(w, 0x80);
	put_u8(w, 0x80 | 96);
	put_u16(w, seq);
	put_u32(w, ts);
	put_u32(w, ssrc);
	put_u8(w, idr ? 0x65 : 0x41);
	put_pool(w, c, len - 1);
}

/* RTCP SDES chunk with a CNAME (RFC 3550 6.5), padded to 32 bits. */
static void
rtcp_sdes(struct wbuf *w, uint32_t ssrc, const char *cname)
{
	size_t		 start = w->len, n = strlen(cname), len;

	len = (4 + 4 + 2 + n + 1 + 3) / 4 * 4;
	put_u8(w, 0x81);
	put_u8(w, 202);
	put_u16(w, len / 4 - 1);
	put_u32(w, ssrc);
	put_u8(w, 1);
	put_u8(w, n);
	put_str(w, cname);
	put_zero(w, len - (w->len - start));
}

/* Compound RTCP sender report plus SDES (RFC 3550 6.4.1). */
static void
rtcp_sr(struct wbuf *w, uint64_t t, uint32_t ssrc, uint32_t rtpts,
    uint32_t pkts, uint32_t octets, const char *cname)
{
	w->len = 0;
	put_u8(w, 0x80);
	put_u8(w, 200);
	put_u16(w, 6);
	put_u32(w, ssrc);
	put_ntpts(w, t);
	put_u32(w, rtpts);
	put_u32(w, pkts);
	put_u32(w, octets);
	rtcp_sdes(w, ssrc, cname);
}

/* Compound RTCP receiver report with one block plus SDES (6.4.2). */
static void
rtcp_rr(struct wbuf *w, uint64_t t, uint32_t ssrc, uint32_t src,
    uint32_t hiseq, uint64_t srtime, const char *cname)
{
	uint64_t	 ntp = ((t / SEC + 2208988800ULL) << 16) |
	    (((t % SEC) << 16) / SEC);
	uint64_t	 sr = ((srtime / SEC + 2208988800ULL) << 16) |
	    (((srtime % SEC) << 16) / SEC);

	w->len = 0;
	put_u8(w, 0x81);
	put_u8(w, 201);
	put_u16(w, 7);
	put_u32(w, ssrc);
	put_u32(w, src);
	put_u32(w, 0);			/* fraction and cumulative lost */
	put_u32(w, hiseq);
	put_u32(w, 12);			/* jitter */
	put_u32(w, sr & 0xffffffff);	/* LSR */
	put_u32(w, (ntp - sr) & 0xffffffff);	/* DLSR */
	rtcp_sdes(w, ssrc, cname);
}

/* A ZKTeco-style TCP frame (port 4370): magic, length, command header. */
static void
zk_frame(struct wbuf *w, uint16_t cmd, uint16_t session, uint16_t reply,
    const char *data)
{
	size_t		 n = data != NULL ? strlen(data) : 0, i;
	uint32_t	 sum;
	uint8_t		 hdr[8];

	hdr[0] = cmd & 0xff;
	hdr[1] = cmd >> 8;
	hdr[2] = hdr[3] = 0;
	hdr[4] = session & 0xff;
	hdr[5] = session >> 8;
	hdr[6] = reply & 0xff;
	hdr[7] = reply >> 8;
	sum = 0;
	for (i = 0; i < 8; i += 2)
		sum += hdr[i] | (hdr[i + 1] << 8);
	for (i = 0; i + 1 < n; i += 2)
		sum += (uint8_t)data[i] | ((uint8_t)data[i + 1] << 8);
	if (n % 2)
		sum += (uint8_t)data[n - 1];
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	sum = ~sum & 0xffff;
	hdr[2] = sum & 0xff;
	hdr[3] = sum >> 8;

	w->len = 0;
	put_u32(w, 0x5050827d);
	put_u32le(w, 8 + n);
	put_bytes(w, hdr, 8);
	if (n > 0)
		put_str(w, data);
}

/* Appends an MQTT remaining-length varint (MQTT 3.1.1 2.2.3). */
static void
mqtt_len(struct wbuf *w, size_t n)
{
	do {
		put_u8(w, (n & 0x7f) | (n > 0x7f ? 0x80 : 0));
		n >>= 7;
	} while (n > 0);
}

/* MQTT 3.1.1 CONNECT with a client id and a keepalive. */
static void
mqtt_connect(struct wbuf *w, const char *id, uint16_t keepalive)
{
	w->len = 0;
	put_u8(w, 0x10);
	mqtt_len(w, 10 + 2 + strlen(id));
	put_u16(w, 4);
	put_str(w, "MQTT");
	put_u8(w, 4);
	put_u8(w, 0x02);
	put_u16(w, keepalive);
	put_u16(w, strlen(id));
	put_str(w, id);
}

/* MQTT PUBLISH, QoS 0. */
static void
mqtt_publish(struct wbuf *w, const char *topic, const char *msg)
{
	w->len = 0;
	put_u8(w, 0x30);
	mqtt_len(w, 2 + strlen(topic) + strlen(msg));
	put_u16(w, strlen(topic));
	put_str(w, topic);
	put_str(w, msg);
}

/* A two-byte MQTT control packet (CONNACK is four). */
static void
mqtt_short(struct wbuf *w, uint8_t type)
{
	w->len = 0;
	put_u8(w, type);
	if (type == 0x20) {
		put_u8(w, 2);
		put_u16(w, 0);
	} else
		put_u8(w, 0);
}

/* A UK-style number plate. */
static void
plate(struct cap *c, char *buf)
{
	static const char letters[] = "ABCDEFGHJKLMNOPRSTUVWXYZ";
	int		 i;

	for (i = 0; i < 8; i++) {
		if (i == 4)
			buf[i] = ' ';
		else if (i == 2 || i == 3)
			buf[i] = '0' + rnd64(&c->rng) % 10;
		else
			buf[i] = letters[rnd64(&c->rng) %
			    (sizeof(letters) - 1)];
	}
	buf[8] = '\0';
}

#define NVR_IP		"10.20.0.5"
#define NVR_MAC		"bc:ad:28:40:00:05"
#define RES_IP		"10.20.0.53"
#define RES_MAC		"00:25:90:20:00:35"
#define NTP_IP		"10.20.0.123"
#define NTP_MAC		"00:25:90:20:00:7b"
#define CTRL_IP		"10.40.0.2"
#define CTRL_MAC	"00:1b:21:40:00:02"
#define GW20_MAC	"00:00:0c:07:ac:14"
#define GW30_MAC	"00:00:0c:07:ac:1e"
#define GW40_MAC	"00:00:0c:07:ac:28"
#define CAM6_IP		"fd00:20::11"
#define RES6_IP		"fd00:20::53"
#define NTP6_IP		"fd00:20::123"
#define NVR6_IP		"fd00:20::5"
#define CLOUD6_IP	"2001:db8:beef::10"

enum { CAM11, CAM12, CAM13, CAM14, ANPR21, ANPR22, FP31, FP32 };

static const struct sitedev site_devs[] = {
	{ "10.20.1.11", "44:19:b6:2a:01:0b", 20, GW20_MAC },
	{ "10.20.1.12", "44:19:b6:2a:01:0c", 20, GW20_MAC },
	{ "10.20.1.13", "44:19:b6:2a:01:0d", 20, GW20_MAC },
	{ "10.20.1.14", "44:19:b6:2a:01:0e", 20, GW20_MAC },
	{ "10.30.0.21", "3c:ef:8c:30:00:15", 30, GW30_MAC },
	{ "10.30.0.22", "3c:ef:8c:30:00:16", 30, GW30_MAC },
	{ "10.40.0.31", "00:17:fc:40:00:1f", 0, GW40_MAC },
	{ "10.40.0.32", "00:17:fc:40:00:20", 0, GW40_MAC },
};

static const struct dnsent dns_tab[] = {
	{ "api.hik-connect.example", NULL, "203.0.113.7", NULL },
	{ "p2p.hik-connect.example", NULL, "203.0.113.77", NULL },
	{ "cloud6.hik-connect.example", NULL, "203.0.113.10", CLOUD6_IP },
	{ "update.vendor-cloud.example", "cdn.vendor-cloud.example",
	    "198.51.100.44", "2001:db8:44::44" },
	{ "mqtt.vendor-cloud.example", NULL, "203.0.113.50", NULL },
	{ "fw.anpr-vendor.example", NULL, "198.51.100.20", NULL },
	{ "time.vendor-cloud.example", NULL, "203.0.113.123", NULL },
	{ NULL, NULL, NULL, NULL }
};

/* A random ephemeral port. */
static uint16_t
eport(struct cap *c)
{
	return rnd_range(&c->rng, 32768, 60999);
}

/* MAC a device uses to reach a host on VLAN vlan: direct or the gateway. */
static const char *
dev_peer(const struct sitedev *d, uint16_t vlan, const char *mac)
{
	return d->vlan == vlan ? mac : d->gw;
}

/* Resolves name (A, then AAAA in parallel when both) from device d. */
static uint64_t
site_lookup(struct cap *c, const struct sitedev *d, uint64_t t,
    const char *name, int both)
{
	struct link	 l;
	struct conv	 cv;
	uint64_t	 t1;

	link_vlan(&l, d->vlan);
	conv_init(&cv, c, &l, IPPROTO_UDP, d->ip, d->mac, eport(c), RES_IP,
	    dev_peer(d, 20, RES_MAC), 53);
	t1 = dns_lookup(&cv, t, name, DNS_A, dns_tab);
	if (both)
		t1 = dns_lookup(&cv, t + rnd_range(&c->rng, 30, 90), name,
		    DNS_AAAA, dns_tab);
	return t1;
}

/*
 * RTSP session set up by the NVR (RFC 2326 DESCRIBE, SETUP, PLAY, then
 * GET_PARAMETER keepalives) and the camera's RTP/RTCP stream to it.
 */
static void
site_video(struct cap *c, const struct sitedev *d, uint16_t nvrport,
    uint32_t ssrc, uint64_t t, uint64_t end)
{
	struct link	 l;
	struct conv	 rtsp, rtp, rtcp;
	struct wbuf	 req, resp, body;
	char		 url[128], cname[64], sess[16];
	uint32_t	 rtpts, pkts = 0, octets = 0;
	uint16_t	 seq;
	uint64_t	 tr, ts;
	int		 k, cseq = 2;

	link_vlan(&l, d->vlan);
	snprintf(url, sizeof(url), "rtsp://%s:554/Streaming/Channels/101",
	    d->ip);
	snprintf(cname, sizeof(cname), "cam@%s", d->ip);
	snprintf(sess, sizeof(sess), "%08x", (uint32_t)rnd64(&c->rng));
	seq = rnd64(&c->rng);
	rtpts = rnd64(&c->rng);

	conv_init(&rtsp, c, &l, IPPROTO_TCP, NVR_IP, NVR_MAC, eport(c),
	    d->ip, d->mac, 554);
	t = tcp_open(&rtsp, t) + rnd_range(&c->rng, 500, 3000);

	req.len = 0;
	put_fmt(&req, "DESCRIBE %s RTSP/1.0\r\nCSeq: %d\r\n"
	    "Accept: application/sdp\r\nUser-Agent: NVR-RTSP/4.1\r\n\r\n",
	    url, cseq);
	body.len = 0;
	put_fmt(&body, "v=0\r\no=- %" PRIu64 " 1 IN IP4 %s\r\n"
	    "s=Media Presentation\r\nt=0 0\r\na=control:%s/\r\n"
	    "m=video 0 RTP/AVP 96\r\nc=IN IP4 0.0.0.0\r\nb=AS:1024\r\n"
	    "a=recvonly\r\na=rtpmap:96 H264/90000\r\n"
	    "a=fmtp:96 profile-level-id=420029; packetization-mode=1\r\n"
	    "a=control:%s/trackID=1\r\n", t / SEC, d->ip, url, url);
	resp.len = 0;
	put_fmt(&resp, "RTSP/1.0 200 OK\r\nCSeq: %d\r\n"
	    "Content-Type: application/sdp\r\nContent-Base: %s/\r\n"
	    "Content-Length: %zu\r\n\r\n", cseq++, url, body.len);
	put_bytes(&resp, body.p, body.len);
	t = tcp_xchg(&rtsp, t, &req, &resp) + rnd_range(&c->rng, 200, 900);

	req.len = 0;
	put_fmt(&req, "SETUP %s/trackID=1 RTSP/1.0\r\nCSeq: %d\r\n"
	    "Transport: RTP/AVP;unicast;client_port=%u-%u\r\n"
	    "User-Agent: NVR-RTSP/4.1\r\n\r\n", url, cseq, nvrport,
	    nvrport + 1);
	resp.len = 0;
	put_fmt(&resp, "RTSP/1.0 200 OK\r\nCSeq: %d\r\n"
	    "Session: %s;timeout=60\r\nTransport: RTP/AVP;unicast;"
	    "client_port=%u-%u;server_port=%u-%u;ssrc=%08X\r\n\r\n",
	    cseq++, sess, nvrport, nvrport + 1, RTP_PORT, RTP_PORT + 1, ssrc);
	t = tcp_xchg(&rtsp, t, &req, &resp) + rnd_range(&c->rng, 200, 900);

	req.len = 0;
	put_fmt(&req, "PLAY %s/ RTSP/1.0\r\nCSeq: %d\r\nSession: %s\r\n"
	    "Range: npt=0.000-\r\nUser-Agent: NVR-RTSP/4.1\r\n\r\n",
	    url, cseq, sess);
	resp.len = 0;
	put_fmt(&resp, "RTSP/1.0 200 OK\r\nCSeq: %d\r\nSession: %s\r\n"
	    "RTP-Info: url=%s/trackID=1;seq=%u;rtptime=%u\r\n\r\n",
	    cseq++, sess, url, seq, rtpts);
	t = tcp_xchg(&rtsp, t, &req, &resp);

	conv_init(&rtp, c, &l, IPPROTO_UDP, d->ip, d->mac, RTP_PORT, NVR_IP,
	    NVR_MAC, nvrport);
	conv_init(&rtcp, c, &l, IPPROTO_UDP, d->ip, d->mac, RTP_PORT + 1,
	    NVR_IP, NVR_MAC, nvrport + 1);
	for (k = 0;; k++) {
		tr = t + 20 * MSEC + k * SEC + rnd_range(&c->rng, 0, 40 * MSEC);
		if (tr >= end)
			break;
		rtp_packet(&req, c, seq++, rtpts + k * 90000, ssrc,
		    k % 10 == 0, rnd_range(&c->rng, 880, 1000));
		udp_send(&rtp, 0, tr, req.p, req.len);
		pkts++;
		octets += req.len - 12;
		if (k % 5 == 4 && tr + 400 * MSEC < end) {
			ts = tr + 300 * MSEC;
			rtcp_sr(&req, ts, ssrc, rtpts + k * 90000 + 27000,
			    pkts, octets, cname);
			udp_send(&rtcp, 0, ts, req.p, req.len);
			rtcp_rr(&req, ts + 9 * MSEC, ssrc ^ 0x5a5a5a5a, ssrc,
			    seq - 1, ts, "nvr@" NVR_IP);
			udp_send(&rtcp, 1, ts + 9 * MSEC, req.p, req.len);
		}
		if (k % 30 == 29 && tr + 600 * MSEC < end) {
			req.len = 0;
			put_fmt(&req, "GET_PARAMETER %s/ RTSP/1.0\r\n"
			    "CSeq: %d\r\nSession: %s\r\n"
			    "User-Agent: NVR-RTSP/4.1\r\n\r\n", url, cseq,
			    sess);
			resp.len = 0;
			put_fmt(&resp, "RTSP/1.0 200 OK\r\nCSeq: %d\r\n"
			    "Session: %s\r\n\r\n", cseq++, sess);
			tcp_xchg(&rtsp, tr + 500 * MSEC, &req, &resp);
		}
	}
}

/* ANPR plate events: an HTTP POST to the NVR every few minutes. */
static void
site_anpr(struct cap *c, const struct sitedev *d, const char *camid,
    uint64_t t, uint64_t end)
{
	struct link	 l;
	struct conv	 cv;
	struct wbuf	 req, resp, body;
	char		 when[32], pl[16];
	const char	*dir;
	uint64_t	 t2;
	unsigned int	 lane, conf;

	link_vlan(&l, d->vlan);
	for (t += rnd_range(&c->rng, 20 * SEC, 90 * SEC); t + 5 * SEC < end;
	    t += rnd_range(&c->rng, 90 * SEC, 240 * SEC)) {
		conv_init(&cv, c, &l, IPPROTO_TCP, d->ip, d->mac, eport(c),
		    NVR_IP, d->gw, 80);
		t2 = tcp_open(&cv, t);
		iso_time(when, sizeof(when), t, 1);
		plate(c, pl);
		body.len = 0;
		/* Drawn one by one: argument order is the compiler's. */
		dir = rnd64(&c->rng) % 2 ? "in" : "out";
		lane = (unsigned)rnd_range(&c->rng, 1, 2);
		conf = (unsigned)rnd_range(&c->rng, 80, 99);
		put_fmt(&body, "{\"camera\":\"%s\",\"time\":\"%s\","
		    "\"plate\":\"%s\",\"confidence\":0.%02u,\"lane\":%u,"
		    "\"direction\":\"%s\"}", camid, when, pl, conf, lane, dir);
		req.len = 0;
		put_fmt(&req, "POST /api/v1/anpr/events HTTP/1.1\r\n"
		    "Host: %s\r\nUser-Agent: ANPR-Cam/4.2.1\r\n"
		    "Content-Type: application/json\r\nContent-Length: %zu\r\n"
		    "Connection: close\r\n\r\n", NVR_IP, body.len);
		put_bytes(&req, body.p, body.len);
		resp.len = 0;
		put_str(&resp, "HTTP/1.1 200 OK\r\nServer: nvr-httpd\r\n"
		    "Content-Type: application/json\r\nContent-Length: 16\r\n"
		    "Connection: close\r\n\r\n{\"status\":\"ok\"}\n");
		t2 = tcp_xchg(&cv, t2, &req, &resp);
		tcp_close(&cv, 1, t2 + rnd_range(&c->rng, 100, 900));
	}
}

/* An HTTP/1.1 GET with a 200 response; the client closes. */
static uint64_t
http_get(struct conv *cv, uint64_t t, const char *host, const char *path,
    const char *ua, size_t bodylen)
{
	struct cap	*c = cv->cap;
	struct wbuf	 req, resp;
	size_t		 i;

	req.len = 0;
	put_fmt(&req, "GET %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: %s\r\n"
	    "Accept: */*\r\nConnection: keep-alive\r\n\r\n", path, host, ua);
	resp.len = 0;
	put_fmt(&resp, "HTTP/1.1 200 OK\r\nServer: nginx\r\n"
	    "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n",
	    bodylen);
	put_str(&resp, "{\"data\":\"");
	for (i = 0; i + 11 < bodylen; i++)
		put_u8(&resp, 'a' + rnd64(&c->rng) % 26);
	put_str(&resp, "\"}");
	t = tcp_open(cv, t);
	t = tcp_xchg(cv, t + rnd_range(&c->rng, 50, 400), &req, &resp);
	return tcp_close(cv, 0, t + rnd_range(&c->rng, 1 * MSEC, 30 * MSEC));
}

/* A fingerprint reader's persistent session with its controller. */
static void
site_reader(struct cap *c, const struct sitedev *d, uint64_t t,
    uint64_t end, unsigned user0)
{
	struct link	 l;
	struct conv	 cv;
	struct wbuf	 req, resp;
	char		 ev[64], when[32];
	uint16_t	 sess = rnd64(&c->rng), reply;

	link_vlan(&l, d->vlan);
	conv_init(&cv, c, &l, IPPROTO_TCP, d->ip, d->mac, eport(c), CTRL_IP,
	    CTRL_MAC, 4370);
	t = tcp_open(&cv, t);
	zk_frame(&req, 1000, 0, 0, NULL);		/* CMD_CONNECT */
	zk_frame(&resp, 2000, sess, 0, NULL);		/* CMD_ACK_OK */
	t = tcp_xchg(&cv, t, &req, &resp);
	for (reply = 1;; reply++) {
		t += rnd_range(&c->rng, 40 * SEC, 150 * SEC);
		if (t + SEC >= end)
			break;
		iso_time(when, sizeof(when), t, 0);
		snprintf(ev, sizeof(ev), "%05u\t%s\t1\t0\t1",
		    user0 + (unsigned)rnd_range(&c->rng, 0, 40), when);
		zk_frame(&req, 500, sess, reply, ev);	/* attendance event */
		zk_frame(&resp, 2000, sess, reply, NULL);
		tcp_xchg(&cv, t, &req, &resp);
	}
}

/* NTP polls every 64 s. */
static void
site_ntp(struct cap *c, const struct sitedev *d, uint64_t t, uint64_t end)
{
	struct link	 l;
	struct conv	 cv;

	link_vlan(&l, d->vlan);
	conv_init(&cv, c, &l, IPPROTO_UDP, d->ip, d->mac, 123, NTP_IP,
	    dev_peer(d, 20, NTP_MAC), 123);
	for (; t + SEC < end; t += 64 * SEC + rnd_range(&c->rng, 0, 500 * MSEC))
		ntp_exchange(&cv, t);
}

/* Camera call-home: a short TCP session every 60 s +-10%. */
static void
site_callhome(struct cap *c, const struct sitedev *d, const char *dst,
    uint64_t t, uint64_t end)
{
	struct link	 l;
	struct conv	 cv;
	struct wbuf	 req, resp;
	uint32_t	 n;
	uint64_t	 t2;

	link_vlan(&l, d->vlan);
	for (n = 1; t + 2 * SEC < end; n++) {
		conv_init(&cv, c, &l, IPPROTO_TCP, d->ip, d->mac, eport(c),
		    dst, d->gw, 8443);
		t2 = tcp_open(&cv, t);
		req.len = 0;
		put_u32(&req, 0x48420001);
		put_u32(&req, n);
		put_str(&req, "DS-2CD2143G2-I#J");
		put_pool(&req, c, 24);
		resp.len = 0;
		put_u32(&resp, 0x48428001);
		put_u32(&resp, n);
		put_pool(&resp, c, 8);
		t2 = tcp_xchg(&cv, t2 + rnd_range(&c->rng, 50, 300), &req,
		    &resp);
		tcp_close(&cv, 0, t2 + rnd_range(&c->rng, 100, 2000));
		t += rnd_range(&c->rng, 54 * SEC, 66 * SEC);
	}
}

/* TCP connection plus TLS session from a site device. */
static uint64_t
site_tls(struct cap *c, const struct sitedev *d, uint64_t t,
    const char *sip, const char *sni, size_t up, size_t down)
{
	struct link	 l;
	struct conv	 cv;

	link_vlan(&l, d->vlan);
	conv_init(&cv, c, &l, IPPROTO_TCP, strchr(sip, ':') ? CAM6_IP : d->ip,
	    d->mac, eport(c), sip, d->gw, 443);
	t = tcp_open(&cv, t);
	return tls_session(&cv, t + rnd_range(&c->rng, 100, 600), sni, up,
	    down);
}

/* MQTT session to the vendor broker kept open with 30 s PINGREQs. */
static void
site_mqtt(struct cap *c, const struct sitedev *d, uint64_t t, uint64_t stop)
{
	struct link	 l;
	struct conv	 cv;
	struct wbuf	 req, resp;
	uint64_t	 tp;

	link_vlan(&l, d->vlan);
	conv_init(&cv, c, &l, IPPROTO_TCP, d->ip, d->mac, eport(c),
	    "203.0.113.50", d->gw, 1883);
	t = tcp_open(&cv, t);
	mqtt_connect(&req, "cam-10-20-1-12", 60);
	mqtt_short(&resp, 0x20);
	t = tcp_xchg(&cv, t, &req, &resp);
	mqtt_publish(&req, "devices/cam-10-20-1-12/status",
	    "{\"online\":true,\"fw\":\"V5.7.3\"}");
	t = tcp_send(&cv, 0, t + 2 * MSEC, req.p, req.len);
	tcp_ack(&cv, 1, t + turn(&cv, 0));
	for (tp = t + 30 * SEC; tp < stop; tp += 30 * SEC) {
		mqtt_short(&req, 0xc0);
		mqtt_short(&resp, 0xd0);
		t = tcp_xchg(&cv, tp, &req, &resp);
	}
	mqtt_short(&req, 0xe0);
	t = tcp_send(&cv, 0, t + 30 * SEC, req.p, req.len);
	tcp_close(&cv, 0, t + 50);
}

/* About 20 minutes of the demo site. */
static void
gen_site_demo(struct cap *c)
{
	const struct sitedev *d = site_devs;
	struct link	 l;
	struct conv	 cv;
	uint64_t	 end = T0 + 20 * MIN, t;
	int		 i;

	site_video(c, &d[CAM11], 50000, 0x1a2b3c4d, T0 + 800 * MSEC, end);
	site_video(c, &d[CAM12], 50002, 0x5e6f7081, T0 + 2300 * MSEC, end);
	site_reader(c, &d[FP31], T0 + 1500 * MSEC, end, 1000);
	site_reader(c, &d[FP32], T0 + 4200 * MSEC, end, 2000);
	site_anpr(c, &d[ANPR21], "anpr-21", T0, end);
	site_anpr(c, &d[ANPR22], "anpr-22", T0 + 30 * SEC, end);
	for (i = CAM11; i <= ANPR22; i++)
		site_ntp(c, &d[i], T0 + (3 + 7 * i) * SEC +
		    rnd_range(&c->rng, 0, SEC), end);
	for (i = CAM11; i <= CAM14; i++)
		for (t = T0 + (10 + 60 * i) * SEC; t < end; t += 300 * SEC)
			site_lookup(c, &d[i], t + rnd_range(&c->rng, 0, SEC),
			    "api.hik-connect.example", 1);

	/* camera .11: TLS to the cloud it just resolved */
	site_tls(c, &d[CAM11], T0 + 12 * SEC, "203.0.113.7",
	    "api.hik-connect.example", 420, 1800);

	/* camera .12: MQTT for 15 minutes, a firmware check via a CNAME */
	site_lookup(c, &d[CAM12], T0 + 25 * SEC, "mqtt.vendor-cloud.example",
	    0);
	site_mqtt(c, &d[CAM12], T0 + 30 * SEC, T0 + 15 * MIN + 30 * SEC);
	t = site_lookup(c, &d[CAM12], T0 + 400 * SEC,
	    "update.vendor-cloud.example", 1);
	site_tls(c, &d[CAM12], t + 3 * MSEC, "198.51.100.44",
	    "update.vendor-cloud.example", 380, 24000);

	/* camera .13: call-home every 60 s to a bare address */
	site_callhome(c, &d[CAM13], "203.0.113.99", T0 + 45 * SEC, end);

	/* camera .14: ping and a lookup that bypasses the site resolver */
	link_vlan(&l, 20);
	conv_init(&cv, c, &l, IPPROTO_ICMP, d[CAM14].ip, d[CAM14].mac, 0,
	    "198.51.100.1", GW20_MAC, 0);
	icmp_echo(&cv, T0 + 200 * SEC, 0x2f1c, 1);
	conv_init(&cv, c, &l, IPPROTO_UDP, d[CAM14].ip, d[CAM14].mac,
	    eport(c), "192.0.2.53", GW20_MAC, 53);
	dns_lookup(&cv, T0 + 600 * SEC, "p2p.hik-connect.example", DNS_A,
	    dns_tab);

	/* camera .11 over IPv6 */
	t = site_lookup(c, &d[CAM11], T0 + 298 * SEC,
	    "cloud6.hik-connect.example", 1);
	site_tls(c, &d[CAM11], t + 2 * MSEC, CLOUD6_IP,
	    "cloud6.hik-connect.example", 300, 900);

	/* ANPR .22: firmware check over plain HTTP */
	t = site_lookup(c, &d[ANPR22], T0 + 120 * SEC, "fw.anpr-vendor.example",
	    0);
	link_vlan(&l, 30);
	conv_init(&cv, c, &l, IPPROTO_TCP, d[ANPR22].ip, d[ANPR22].mac,
	    eport(c), "198.51.100.20", GW30_MAC, 80);
	http_get(&cv, t + MSEC, "fw.anpr-vendor.example",
	    "/anpr/firmware/latest.json", "ANPR-Cam/4.2.1 (iDS-TCM403)", 320);
}

/* HTTP GET to port 80: 9 packets. */
static uint64_t
mini_http(struct cap *c, const struct link *l, uint64_t t, const char *cip,
    const char *cmac, uint16_t cport, const char *sip, const char *smac,
    const char *host)
{
	struct conv	 cv;

	conv_init(&cv, c, l, IPPROTO_TCP, cip, cmac, cport ? cport : eport(c),
	    sip, smac, 80);
	return http_get(&cv, t, host, "/status.json", "curl/7.88.1",
	    rnd_range(&c->rng, 120, 600));
}

/* DNS query and answer: 2 packets. */
static uint64_t
mini_dns(struct cap *c, const struct link *l, uint64_t t, const char *cip,
    const char *cmac, const char *sip, const char *smac, const char *name,
    uint16_t type)
{
	struct conv	 cv;

	conv_init(&cv, c, l, IPPROTO_UDP, cip, cmac, eport(c), sip, smac, 53);
	return dns_lookup(&cv, t, name, type, dns_tab);
}

/* NTP request and answer: 2 packets. */
static uint64_t
mini_ntp(struct cap *c, const struct link *l, uint64_t t, const char *cip,
    const char *cmac, const char *sip, const char *smac)
{
	struct conv	 cv;

	conv_init(&cv, c, l, IPPROTO_UDP, cip, cmac, 123, sip, smac, 123);
	return ntp_exchange(&cv, t);
}

/* One syslog message (RFC 3164) to port 514. */
static uint64_t
mini_syslog(struct cap *c, const struct link *l, uint64_t t, const char *cip,
    const char *cmac, const char *sip, const char *smac, const char *msg)
{
	struct conv	 cv;

	conv_init(&cv, c, l, IPPROTO_UDP, cip, cmac, eport(c), sip, smac, 514);
	udp_send(&cv, 0, t, (const uint8_t *)msg, strlen(msg));
	return t;
}

/* n UDP datagrams of len bytes; both sides take turns if both is set. */
static uint64_t
mini_udp(struct cap *c, const struct link *l, uint64_t t, const char *cip,
    const char *cmac, uint16_t cport, const char *sip, const char *smac,
    uint16_t sport, int n, size_t len, int both)
{
	struct conv	 cv;
	struct wbuf	 w;
	int		 i, dir = 0;

	conv_init(&cv, c, l, IPPROTO_UDP, cip, cmac, cport, sip, smac, sport);
	for (i = 0; i < n; i++) {
		w.len = 0;
		put_pool(&w, c, len);
		udp_send(&cv, dir, t, w.p, w.len);
		if (both) {
			t += turn(&cv, dir);
			dir = !dir;
		} else
			t += rnd_range(&c->rng, 20 * MSEC, 40 * MSEC);
	}
	return t;
}

/* A DNS query that gets no answer: 1 packet. */
static uint64_t
mini_query(struct cap *c, const struct link *l, uint64_t t, const char *cip,
    const char *cmac, const char *sip, const char *smac, const char *name)
{
	struct conv	 cv;
	struct wbuf	 w;

	conv_init(&cv, c, l, IPPROTO_UDP, cip, cmac, eport(c), sip, smac, 53);
	dns_query(&w, rnd64(&c->rng), name, DNS_A);
	udp_send(&cv, 0, t, w.p, w.len);
	return t;
}

/*
 * TCP and UDP conversations over IPv4 and/or IPv6 for the link-type
 * captures; af6 gives the DLT_NULL/DLT_LOOP family of each IPv6 one.
 */
static void
link_mix(struct cap *c, int dlt, int v4, int v6, const uint32_t *af6)
{
	const struct sitedev *cam = &site_devs[CAM11];
	struct link	 l;
	uint64_t	 t = T0;

	link_dlt(&l, dlt);
	if (v4) {
		t = mini_http(c, &l, t, cam->ip, cam->mac, 0, "203.0.113.7",
		    GW20_MAC, "api.hik-connect.example") + 400 * MSEC;
		t = mini_dns(c, &l, t, cam->ip, cam->mac, RES_IP, RES_MAC,
		    "api.hik-connect.example", DNS_A) + 300 * MSEC;
		t = mini_ntp(c, &l, t, cam->ip, cam->mac, NTP_IP, NTP_MAC) +
		    200 * MSEC;
		t = mini_syslog(c, &l, t, cam->ip, cam->mac, NVR_IP, NVR_MAC,
		    "<134>Mar  2 08:00:03 cam-11 rtspd[212]: stream 101 "
		    "started") + 500 * MSEC;
	}
	if (v6) {
		l.af6 = af6[0];
		t = mini_http(c, &l, t, CAM6_IP, cam->mac, 0, CLOUD6_IP,
		    GW20_MAC, "cloud6.hik-connect.example") + 400 * MSEC;
		l.af6 = af6[1];
		t = mini_dns(c, &l, t, CAM6_IP, cam->mac, RES6_IP, RES_MAC,
		    "cloud6.hik-connect.example", DNS_AAAA) + 300 * MSEC;
		l.af6 = af6[2];
		t = mini_ntp(c, &l, t, CAM6_IP, cam->mac, NTP6_IP, NTP_MAC) +
		    200 * MSEC;
		l.af6 = af6[3];
		t = mini_syslog(c, &l, t, CAM6_IP, cam->mac, NVR6_IP, NVR_MAC,
		    "<134>Mar  2 08:00:06 cam-11 ntpd[98]: synchronized") +
		    500 * MSEC;
	}
	if (v4 && !v6)
		mini_http(c, &l, t, site_devs[ANPR22].ip, site_devs[ANPR22].mac,
		    0, "198.51.100.20", GW30_MAC, "fw.anpr-vendor.example");
	if (v6 && !v4)
		mini_http(c, &l, t, CAM6_IP, cam->mac, 0, "2001:db8:44::44",
		    GW20_MAC, "update.vendor-cloud.example");
}

static const uint32_t af6_linux[4] = { 10, 10, 10, 10 };
static const uint32_t af6_mixed[4] = { 24, 28, 30, 10 };
static const uint32_t af6_openbsd[4] = { 24, 24, 24, 24 };

/* link-sll.pcap: Linux cooked capture v1. */
static void
gen_link_sll(struct cap *c)
{
	link_mix(c, DLT_LINUX_SLL, 1, 1, af6_linux);
}

/* link-sll2.pcap: Linux cooked capture v2. */
static void
gen_link_sll2(struct cap *c)
{
	link_mix(c, DLT_LINUX_SLL2, 1, 1, af6_linux);
}

/* link-raw.pcap: raw IP, written as LINKTYPE_RAW (101). */
static void
gen_link_raw(struct cap *c)
{
	link_mix(c, DLT_RAW, 1, 1, af6_linux);
}

/* link-ipv4.pcap: LINKTYPE_IPV4 (228). */
static void
gen_link_ipv4(struct cap *c)
{
	link_mix(c, DLT_IPV4, 1, 0, af6_linux);
}

/* link-ipv6.pcap: LINKTYPE_IPV6 (229). */
static void
gen_link_ipv6(struct cap *c)
{
	link_mix(c, DLT_IPV6, 0, 1, af6_linux);
}

/* link-null.pcap: BSD loopback, family in host (little-endian) order. */
static void
gen_link_null(struct cap *c)
{
	link_mix(c, DLT_NULL, 1, 1, af6_mixed);
}

/* link-loop.pcap: OpenBSD loopback, family in network byte order. */
static void
gen_link_loop(struct cap *c)
{
	link_mix(c, DLT_LOOP, 1, 1, af6_openbsd);
}

/* vlan-qinq.pcap: 802.1Q, 802.1ad and 0x9100 stacks, one too deep. */
static void
gen_vlan(struct cap *c)
{
	const struct sitedev *d = site_devs;
	struct link	 l;
	struct conv	 cv;
	uint64_t	 t = T0;
	int		 i;

	link_vlan(&l, 20);
	t = mini_http(c, &l, t, d[CAM11].ip, d[CAM11].mac, 0, NVR_IP,
	    NVR_MAC, NVR_IP) + 300 * MSEC;

	/* the same 5-tuples in two VLANs: two flows each */
	link_vlan(&l, 100);
	t = mini_udp(c, &l, t, "10.50.0.10", "44:19:b6:50:00:0a", 5004,
	    "10.50.0.20", "bc:ad:28:50:00:14", 5004, 3, 160, 1);
	link_vlan(&l, 200);
	t = mini_udp(c, &l, t + 50 * MSEC, "10.50.0.10", "44:19:b6:60:00:0a",
	    5004, "10.50.0.20", "bc:ad:28:60:00:14", 5004, 3, 160, 1);
	link_vlan(&l, 100);
	t = mini_http(c, &l, t + 100 * MSEC, "10.50.0.10", "44:19:b6:50:00:0a",
	    41000, "10.50.0.20", "bc:ad:28:50:00:14", "10.50.0.20");
	link_vlan(&l, 200);
	t = mini_http(c, &l, t + 100 * MSEC, "10.50.0.10", "44:19:b6:60:00:0a",
	    41000, "10.50.0.20", "bc:ad:28:60:00:14", "10.50.0.20");

	/* 802.1ad S-tag 1000 over C-tag 20 */
	link_eth(&l);
	link_tag(&l, ETH_QINQ, 1000, 0);
	link_tag(&l, ETH_VLAN, 20, 0);
	t = mini_http(c, &l, t + 200 * MSEC, d[CAM12].ip, d[CAM12].mac, 0,
	    "203.0.113.7", GW20_MAC, "api.hik-connect.example");

	/* pre-standard 0x9100 outer tag 2000 over C-tag 30 */
	link_eth(&l);
	link_tag(&l, ETH_QINQ_OLD, 2000, 0);
	link_tag(&l, ETH_VLAN, 30, 0);
	t = mini_dns(c, &l, t + 200 * MSEC, d[ANPR21].ip, d[ANPR21].mac,
	    RES_IP, GW30_MAC, "fw.anpr-vendor.example", DNS_A);

	/* IPv6 in 802.1Q */
	link_vlan(&l, 20);
	conv_init(&cv, c, &l, IPPROTO_ICMPV6, CAM6_IP, d[CAM11].mac, 0,
	    NVR6_IP, NVR_MAC, 0);
	t = icmp_echo(&cv, t + 200 * MSEC, 0x0b17, 1);

	/* five stacked tags: deeper than a decoder should follow */
	link_eth(&l);
	link_tag(&l, ETH_QINQ, 1000, 0);
	for (i = 0; i < 4; i++)
		link_tag(&l, ETH_VLAN, 20 + i, 0);
	mini_query(c, &l, t + 300 * MSEC, d[CAM13].ip, d[CAM13].mac, RES_IP,
	    RES_MAC, "api.hik-connect.example");
}

/* A GRE tunnel from the mirroring switch 192.0.2.1 to the sensor. */
static void
tun_init(struct tun *tn, struct cap *c, int kind, uint16_t session,
    uint16_t vlan)
{
	memset(tn, 0, sizeof(*tn));
	tn->kind = kind;
	tn->session = session;
	tn->vlan = vlan;
	tn->seq = 1;
	tn->key = 0x00001234;
	tn->index = 0x1000b;
	tn->ipid = rnd64(&c->rng);
	addr_aton("192.0.2.1", tn->src);
	addr_aton("10.99.0.2", tn->dst);
	mac_aton("00:02:fc:01:00:01", tn->smac);
	mac_aton("00:1b:21:99:00:02", tn->dmac);
}

/*
 * vxlan.pcap: a virtual network's traffic mirrored to the sensor in VXLAN
 * (as cloud traffic mirroring delivers it), the outer frames in VLAN 99:
 * a camera's HTTP call home with its frames tagged VLAN 20, DNS, NTP and
 * an IPv6 syslog message, untagged.
 */
static void
gen_vxlan(struct cap *c)
{
	const struct sitedev *d = site_devs;
	struct tun	 vx;
	struct link	 l;
	uint64_t	 t = T0;

	tun_init(&vx, c, TUN_VXLAN, 0, 0);
	vx.key = 0x3039;			/* VNI 12345 */
	vx.ovlan = 99;
	addr_aton("10.99.0.1", vx.src);
	link_vlan(&l, 20);
	l.tun = &vx;
	t = mini_http(c, &l, t, d[CAM11].ip, d[CAM11].mac, 0, "203.0.113.7",
	    GW20_MAC, "api.hik-connect.example") + 200 * MSEC;
	link_eth(&l);
	l.tun = &vx;
	t = mini_dns(c, &l, t, d[CAM12].ip, d[CAM12].mac, RES_IP, RES_MAC,
	    "mqtt.vendor-cloud.example", DNS_A) + 200 * MSEC;
	t = mini_ntp(c, &l, t, d[CAM12].ip, d[CAM12].mac, NTP_IP, NTP_MAC) +
	    200 * MSEC;
	mini_syslog(c, &l, t, CAM6_IP, d[CAM11].mac, NVR6_IP, NVR_MAC,
	    "<134>Mar  2 08:00:01 cam-11 ipv6: address fd00:20::11 ready");
}

/* erspan.pcap: ERSPAN types I, II, III, GRE TEB and two bad headers. */
static void
gen_erspan(struct cap *c)
{
	const struct sitedev *d = site_devs;
	struct tun	 t1, t2, t3, t3o, teb, badg, bade;
	struct link	 l;
	uint64_t	 t = T0;

	/* type II; the mirrored frames keep their VLAN 20 tag */
	tun_init(&t2, c, TUN_ERSPAN2, 100, 20);
	link_vlan(&l, 20);
	l.tun = &t2;
	t = mini_http(c, &l, t, d[CAM11].ip, d[CAM11].mac, 0, "203.0.113.7",
	    GW20_MAC, "api.hik-connect.example") + 200 * MSEC;
	t = mini_dns(c, &l, t, d[CAM11].ip, d[CAM11].mac, RES_IP, RES_MAC,
	    "api.hik-connect.example", DNS_A) + 200 * MSEC;

	/* type III, untagged frames */
	tun_init(&t3, c, TUN_ERSPAN3, 200, 30);
	link_eth(&l);
	l.tun = &t3;
	t = mini_udp(c, &l, t, d[ANPR21].ip, d[ANPR21].mac, RTP_PORT, NVR_IP,
	    GW30_MAC, 50010, 4, 900, 0) + 100 * MSEC;
	t = mini_dns(c, &l, t, d[ANPR21].ip, d[ANPR21].mac, RES_IP, GW30_MAC,
	    "fw.anpr-vendor.example", DNS_A) + 200 * MSEC;

	/* type III with the O bit and a platform sub-header */
	tun_init(&t3o, c, TUN_ERSPAN3, 201, 30);
	t3o.obit = 1;
	l.tun = &t3o;
	t = mini_ntp(c, &l, t, d[ANPR21].ip, d[ANPR21].mac, NTP_IP,
	    GW30_MAC) + 200 * MSEC;

	/* type I: the frame follows the 4-byte GRE header */
	tun_init(&t1, c, TUN_ERSPAN1, 0, 0);
	l.tun = &t1;
	t = mini_http(c, &l, t, d[CAM13].ip, d[CAM13].mac, 0, NVR_IP, NVR_MAC,
	    NVR_IP) + 200 * MSEC;

	/* transparent Ethernet bridging with a key */
	tun_init(&teb, c, TUN_TEB, 0, 0);
	l.tun = &teb;
	t = mini_dns(c, &l, t, d[CAM14].ip, d[CAM14].mac, RES_IP, RES_MAC,
	    "p2p.hik-connect.example", DNS_A) + 200 * MSEC;
	t = mini_ntp(c, &l, t, d[CAM14].ip, d[CAM14].mac, NTP_IP, NTP_MAC) +
	    200 * MSEC;

	/* GRE version 3, otherwise a good ERSPAN type II packet */
	tun_init(&badg, c, TUN_BADGRE, 300, 20);
	l.tun = &badg;
	t = mini_query(c, &l, t, d[CAM12].ip, d[CAM12].mac, RES_IP, RES_MAC,
	    "api.hik-connect.example") + 200 * MSEC;

	/* ERSPAN header version 3 */
	tun_init(&bade, c, TUN_BADERSPAN, 301, 20);
	l.tun = &bade;
	mini_query(c, &l, t, d[CAM12].ip, d[CAM12].mac, RES_IP, RES_MAC,
	    "api.hik-connect.example");
}

/*
 * Sends a finished transport packet as fragments of at most fsize bytes
 * (a multiple of 8): IPv4 fragments (RFC 791) or IPv6 Fragment headers
 * (RFC 8200 4.5).  order lists the fragments in sending order, or NULL.
 */
static uint64_t
frag_send(struct conv *cv, int dir, uint64_t t, uint8_t *l4, size_t len,
    size_t fsize, const int *order)
{
	struct pkt	 p, q;
	struct wbuf	 ip, fh;
	size_t		 nfrag = (len + fsize - 1) / fsize, off, n, i;
	uint32_t	 id6 = rnd64(&cv->cap->rng);
	int		 more;

	pkt_from(cv, dir, &p);
	l4_cksum(p.af, p.src, p.dst, p.proto, l4, len);
	for (i = 0; i < nfrag; i++) {
		off = (order != NULL ? (size_t)order[i] : i) * fsize;
		n = len - off < fsize ? len - off : fsize;
		more = off + n < len;
		q = p;
		if (p.af == AF_INET)
			q.frag = (off / 8) | (more ? IP_MF : 0);
		else {
			fh.len = 0;
			put_u8(&fh, p.proto);
			put_u8(&fh, 0);
			put_u16(&fh, off | more);
			put_u32(&fh, id6);
			q.ext = fh.p;
			q.extlen = fh.len;
			q.extfirst = IPPROTO_FRAGMENT;
		}
		ip.len = 0;
		ip_build(&ip, &q, l4 + off, n);
		emit_ip(cv->cap, &cv->link, t, &q, 0, ip.p, ip.len);
		t += rnd_range(&cv->cap->rng, 12, 30);
	}
	return t;
}

/* frag.pcap: IPv4 and IPv6 fragments, in and out of order. */
static void
gen_frag(struct cap *c)
{
	static const int backwards[] = { 2, 0, 1 };
	const struct sitedev *d = site_devs;
	struct link	 l20, l0;
	struct conv	 cv;
	struct wbuf	 w, data;
	uint64_t	 t = T0;
	int		 i;

	link_vlan(&l20, 20);
	link_eth(&l0);
	t = mini_dns(c, &l20, t, d[CAM11].ip, d[CAM11].mac, RES_IP, RES_MAC,
	    "api.hik-connect.example", DNS_A) + 100 * MSEC;
	t = mini_ntp(c, &l20, t, d[CAM11].ip, d[CAM11].mac, NTP_IP, NTP_MAC) +
	    100 * MSEC;

	/* 3000-byte UDP datagrams in three fragments, in order */
	conv_init(&cv, c, &l20, IPPROTO_UDP, d[CAM11].ip, d[CAM11].mac,
	    RTP_PORT, NVR_IP, NVR_MAC, 50000);
	cv.df = 0;
	for (i = 0; i < 2; i++) {
		data.len = 0;
		put_pool(&data, c, 3000);
		udp_hdr(&cv, 0, &w, data.p, data.len);
		t = frag_send(&cv, 0, t, w.p, w.len, 1480, NULL) + 40 * MSEC;
	}
	udp_send(&cv, 0, t, data.p, 600);

	/* the last fragment arrives first */
	conv_init(&cv, c, &l20, IPPROTO_UDP, d[CAM12].ip, d[CAM12].mac,
	    RTP_PORT, NVR_IP, NVR_MAC, 50002);
	cv.df = 0;
	data.len = 0;
	put_pool(&data, c, 3000);
	udp_hdr(&cv, 0, &w, data.p, data.len);
	t = frag_send(&cv, 0, t + 100 * MSEC, w.p, w.len, 1480, backwards) +
	    100 * MSEC;

	/* a TCP segment split by a 576-byte MTU */
	conv_init(&cv, c, &l0, IPPROTO_TCP, d[FP31].ip, d[FP31].mac, eport(c),
	    "203.0.113.20", GW40_MAC, 80);
	t = tcp_open(&cv, t);
	data.len = 0;
	put_str(&data, "POST /upload HTTP/1.1\r\nHost: 203.0.113.20\r\n"
	    "Content-Length: 1335\r\n\r\n");
	put_pool(&data, c, 1400 - data.len);
	cv.df = 0;
	tcp_hdr(&cv, 0, &w, TH_ACK | TH_PSH, data.p, data.len);
	t = frag_send(&cv, 0, t + 300, w.p, w.len, 552, NULL);
	cv.df = 1;
	t += turn(&cv, 0);
	w.len = 0;
	put_str(&w, "HTTP/1.1 204 No Content\r\n\r\n");
	t = tcp_send(&cv, 1, t, w.p, w.len);
	tcp_ack(&cv, 0, t + turn(&cv, 1));
	t = tcp_close(&cv, 0, t + 5 * MSEC) + 100 * MSEC;

	/* IPv6 UDP in three Fragment-header fragments */
	conv_init(&cv, c, &l20, IPPROTO_UDP, CAM6_IP, d[CAM11].mac, 5000,
	    CLOUD6_IP, GW20_MAC, 5000);
	data.len = 0;
	put_pool(&data, c, 2500);
	udp_hdr(&cv, 0, &w, data.p, data.len);
	t = frag_send(&cv, 0, t, w.p, w.len, 1232, NULL) + 100 * MSEC;

	t = mini_dns(c, &l20, t, d[CAM12].ip, d[CAM12].mac, RES_IP, RES_MAC,
	    "update.vendor-cloud.example", DNS_A) + 100 * MSEC;
	mini_http(c, &l20, t, d[CAM12].ip, d[CAM12].mac, 0, "198.51.100.44",
	    GW20_MAC, "update.vendor-cloud.example");
}

/* ipv6-ext.pcap: extension header chains, one too deep, one cut short. */
static void
gen_ipv6_ext(struct cap *c)
{
	static const uint8_t ra[] = { 5, 2, 0, 0 };	/* router alert */
	static const uint8_t tel[] = { 4, 1, 4 };	/* encap limit */
	static const char *rh0[] = { "fd00:20::1", "fd00:21::1" };
	static const char *srh[] = { "fd00:20::53", "fd00:20::1" };
	const struct sitedev *d = site_devs;
	struct xchain	 hbh, rt0, rt4, dst, ah, chain, deep, cut, ah4;
	struct link	 l;
	struct conv	 cv;
	struct wbuf	 w, ip, req, resp;
	struct pkt	 p;
	uint64_t	 t = T0;
	int		 i;

	link_vlan(&l, 20);

	/* no extension headers, for comparison */
	t = mini_http(c, &l, t, CAM6_IP, d[CAM11].mac, 0, NVR6_IP, NVR_MAC,
	    "[fd00:20::5]") + 200 * MSEC;

	/* hop-by-hop with a router alert, on TCP */
	xc_init(&hbh);
	xc_opts(&hbh, IPPROTO_HOPOPTS, ra, sizeof(ra));
	xc_done(&hbh, IPPROTO_TCP);
	conv_init(&cv, c, &l, IPPROTO_TCP, CAM6_IP, d[CAM11].mac, eport(c),
	    NVR6_IP, NVR_MAC, 554);
	cv.x[0] = cv.x[1] = &hbh;
	t = tcp_open(&cv, t);
	req.len = 0;
	put_str(&req, "OPTIONS rtsp://[fd00:20::5]/ RTSP/1.0\r\n"
	    "CSeq: 1\r\n\r\n");
	resp.len = 0;
	put_str(&resp, "RTSP/1.0 200 OK\r\nCSeq: 1\r\n"
	    "Public: DESCRIBE, SETUP, PLAY, TEARDOWN\r\n\r\n");
	t = tcp_xchg(&cv, t, &req, &resp);
	t = tcp_close(&cv, 0, t + MSEC) + 200 * MSEC;

	/* routing header type 0, segments left 0, on the query only */
	xc_init(&rt0);
	xc_routing(&rt0, 0, 0, rh0, 2);
	xc_done(&rt0, IPPROTO_UDP);
	conv_init(&cv, c, &l, IPPROTO_UDP, CAM6_IP, d[CAM11].mac, eport(c),
	    RES6_IP, RES_MAC, 53);
	cv.x[0] = &rt0;
	t = dns_lookup(&cv, t, "cloud6.hik-connect.example", DNS_AAAA,
	    dns_tab) + 200 * MSEC;

	/* segment routing header (type 4), segments left 0 */
	xc_init(&rt4);
	xc_routing(&rt4, 4, 0, srh, 2);
	xc_done(&rt4, IPPROTO_UDP);
	conv_init(&cv, c, &l, IPPROTO_UDP, CAM6_IP, d[CAM11].mac, eport(c),
	    RES6_IP, RES_MAC, 53);
	cv.x[0] = &rt4;
	t = dns_lookup(&cv, t, "update.vendor-cloud.example", DNS_AAAA,
	    dns_tab) + 200 * MSEC;

	/* destination options both ways */
	xc_init(&dst);
	xc_opts(&dst, IPPROTO_DSTOPTS, tel, sizeof(tel));
	xc_done(&dst, IPPROTO_UDP);
	conv_init(&cv, c, &l, IPPROTO_UDP, CAM6_IP, d[CAM11].mac, 123,
	    NTP6_IP, NTP_MAC, 123);
	cv.x[0] = cv.x[1] = &dst;
	t = ntp_exchange(&cv, t) + 200 * MSEC;

	/* AH on TCP */
	xc_init(&ah);
	xc_ah(&ah, c, 0x0000c0de, 1);
	xc_done(&ah, IPPROTO_TCP);
	conv_init(&cv, c, &l, IPPROTO_TCP, CAM6_IP, d[CAM11].mac, eport(c),
	    NVR6_IP, NVR_MAC, 8000);
	cv.x[0] = cv.x[1] = &ah;
	t = tcp_open(&cv, t);
	t = tcp_close(&cv, 0, t + 2 * MSEC) + 200 * MSEC;

	/* hop-by-hop, dest options, routing, AH, dest options, UDP */
	xc_init(&chain);
	xc_opts(&chain, IPPROTO_HOPOPTS, ra, sizeof(ra));
	xc_opts(&chain, IPPROTO_DSTOPTS, tel, sizeof(tel));
	xc_routing(&chain, 0, 0, rh0, 2);
	xc_ah(&chain, c, 0x0000c0df, 7);
	xc_opts(&chain, IPPROTO_DSTOPTS, NULL, 0);
	xc_done(&chain, IPPROTO_UDP);
	conv_init(&cv, c, &l, IPPROTO_UDP, CAM6_IP, d[CAM11].mac, eport(c),
	    NVR6_IP, NVR_MAC, 514);
	cv.x[0] = &chain;
	w.len = 0;
	put_str(&w, "<134>Mar  2 08:00:02 cam-11 chain: five headers");
	udp_send(&cv, 0, t, w.p, w.len);
	t += 200 * MSEC;

	/* ten extension headers: deeper than a decoder should follow */
	xc_init(&deep);
	xc_opts(&deep, IPPROTO_HOPOPTS, NULL, 0);
	for (i = 0; i < 9; i++)
		xc_opts(&deep, IPPROTO_DSTOPTS, NULL, 0);
	xc_done(&deep, IPPROTO_UDP);
	cv.x[0] = &deep;
	w.len = 0;
	put_str(&w, "<134>Mar  2 08:00:02 cam-11 chain: ten headers");
	udp_send(&cv, 0, t, w.p, w.len);
	t += 200 * MSEC;

	/* the payload length ends inside the destination options header */
	xc_init(&cut);
	xc_opts(&cut, IPPROTO_HOPOPTS, NULL, 0);
	xc_opts(&cut, IPPROTO_DSTOPTS, tel, sizeof(tel));
	xc_done(&cut, IPPROTO_UDP);
	cv.x[0] = &cut;
	w.len = 0;
	put_str(&w, "<134>Mar  2 08:00:02 cam-11 chain: cut short");
	udp_hdr(&cv, 0, &req, w.p, w.len);
	pkt_from(&cv, 0, &p);
	l4_cksum(p.af, p.src, p.dst, p.proto, req.p, req.len);
	ip.len = 0;
	ip_build(&ip, &p, req.p, req.len);
	set_u16(&ip, 4, 12);
	emit_ip(c, &l, t, &p, 0, ip.p, ip.len);
	t += 200 * MSEC;

	/* IPv4 with AH on TCP */
	xc_init(&ah4);
	xc_ah(&ah4, c, 0x0000beef, 1);
	xc_done(&ah4, IPPROTO_TCP);
	conv_init(&cv, c, &l, IPPROTO_TCP, d[CAM11].ip, d[CAM11].mac, eport(c),
	    NVR_IP, NVR_MAC, 8000);
	cv.x[0] = cv.x[1] = &ah4;
	t = tcp_open(&cv, t);
	t = tcp_close(&cv, 0, t + 2 * MSEC) + 200 * MSEC;

	/* IPv4 total length ends inside AH */
	tcp_hdr(&cv, 0, &req, TH_ACK, NULL, 0);
	pkt_from(&cv, 0, &p);
	l4_cksum(p.af, p.src, p.dst, p.proto, req.p, req.len);
	ip.len = 0;
	ip_build(&ip, &p, req.p, req.len);
	set_u16(&ip, 2, 20 + 12);
	ip4_cksum(ip.p, 20);
	emit_ip(c, &l, t, &p, 0, ip.p, ip.len);
}

/* snaplen.pcap: snaplen 64, and one record cut to 40 bytes. */
static void
gen_snaplen(struct cap *c)
{
	const struct sitedev *d = site_devs;
	struct link	 l20, l30, l0;
	struct conv	 cv;
	struct wbuf	 w;
	uint64_t	 t = T0;

	link_vlan(&l20, 20);
	link_vlan(&l30, 30);
	link_eth(&l0);
	conv_init(&cv, c, &l30, IPPROTO_TCP, d[ANPR22].ip, d[ANPR22].mac,
	    eport(c), "198.51.100.20", GW30_MAC, 80);
	t = http_get(&cv, t, "fw.anpr-vendor.example", "/anpr/firmware/v4.bin",
	    "ANPR-Cam/4.2.1 (iDS-TCM403)", 8000) + 200 * MSEC;
	t = mini_udp(c, &l20, t, d[CAM11].ip, d[CAM11].mac, RTP_PORT, NVR_IP,
	    NVR_MAC, 50000, 10, 1200, 0) + 100 * MSEC;
	t = mini_dns(c, &l20, t, CAM6_IP, d[CAM11].mac, RES6_IP, RES_MAC,
	    "update.vendor-cloud.example", DNS_AAAA) + 200 * MSEC;

	/* the data segment is kept to 40 bytes: 14 + 20 + 6 of TCP */
	conv_init(&cv, c, &l0, IPPROTO_TCP, d[FP32].ip, d[FP32].mac, eport(c),
	    CTRL_IP, CTRL_MAC, 4370);
	t = tcp_open(&cv, t);
	zk_frame(&w, 1000, 0, 0, NULL);
	c->cutnext = 40;
	tcp_seg(&cv, 0, t + 300, TH_ACK | TH_PSH, w.p, w.len);
	t += 300 + turn(&cv, 0);
	zk_frame(&w, 2000, 0x4a1, 0, NULL);
	tcp_seg(&cv, 1, t, TH_ACK | TH_PSH, w.p, w.len);
	tcp_ack(&cv, 0, t + turn(&cv, 1));
	tcp_close(&cv, 0, t + 10 * MSEC);
}

/* duplicates.pcap: SPAN copies and a real retransmission. */
static void
gen_dup(struct cap *c)
{
	const struct sitedev *d = site_devs;
	struct link	 l;
	struct conv	 cv;
	struct wbuf	 w, req, resp;
	uint64_t	 t = T0;
	uint32_t	 seq;
	int		 k;

	/* every packet twice, the copy with TTL - 1 */
	link_vlan(&l, 20);
	l.dup = DUP_TTL;
	conv_init(&cv, c, &l, IPPROTO_TCP, NVR_IP, NVR_MAC, eport(c),
	    d[CAM11].ip, d[CAM11].mac, 554);
	t = tcp_open(&cv, t);
	req.len = 0;
	put_str(&req, "OPTIONS rtsp://10.20.1.11:554/ RTSP/1.0\r\nCSeq: 1\r\n"
	    "User-Agent: NVR-RTSP/4.1\r\n\r\n");
	resp.len = 0;
	put_str(&resp, "RTSP/1.0 200 OK\r\nCSeq: 1\r\n"
	    "Public: OPTIONS, DESCRIBE, SETUP, PLAY, TEARDOWN\r\n\r\n");
	t = tcp_xchg(&cv, t + MSEC, &req, &resp);
	t = tcp_close(&cv, 0, t + 2 * MSEC) + 100 * MSEC;

	/* routed: ingress on VLAN 30, egress copy on VLAN 20, TTL - 1 */
	link_vlan(&l, 30);
	l.dup = DUP_VLAN;
	l.dupvlan = 20;
	l.dupmacs = 1;
	mac_aton(GW20_MAC, l.dupsmac);
	mac_aton(NVR_MAC, l.dupdmac);
	conv_init(&cv, c, &l, IPPROTO_UDP, d[ANPR21].ip, d[ANPR21].mac,
	    RTP_PORT, NVR_IP, GW30_MAC, 50010);
	for (k = 0; k < 8; k++) {
		rtp_packet(&w, c, 100 + k, 90000 * k / 25, 0x0badcafe, k == 0,
		    rnd_range(&c->rng, 900, 1100));
		udp_send(&cv, 0, t, w.p, w.len);
		t += 40 * MSEC;
	}

	/* byte-identical copies */
	link_vlan(&l, 20);
	l.dup = DUP_EXACT;
	t = mini_dns(c, &l, t + 100 * MSEC, d[CAM12].ip, d[CAM12].mac,
	    RES_IP, RES_MAC, "api.hik-connect.example", DNS_A) + 100 * MSEC;

	/* a true retransmission 300 ms later, new IP ID, not a duplicate */
	link_vlan(&l, 20);
	conv_init(&cv, c, &l, IPPROTO_TCP, d[CAM12].ip, d[CAM12].mac, eport(c),
	    "203.0.113.7", GW20_MAC, 443);
	t = tcp_open(&cv, t);
	req.len = 0;
	tls_client_hello(&req, c, "api.hik-connect.example", c->pool);
	seq = cv.ep[0].seq;
	tcp_send(&cv, 0, t, req.p, req.len);
	cv.ep[0].seq = seq;
	t = tcp_send(&cv, 0, t + 300 * MSEC, req.p, req.len);
	t += turn(&cv, 0);
	resp.len = 0;
	tls_server_hello(&resp, c, c->pool);
	tls_ccs(&resp);
	tls_appdata(&resp, c, 2800);
	t = tcp_send(&cv, 1, t, resp.p, resp.len);
	tcp_ack(&cv, 0, t + turn(&cv, 1));
	t = tcp_close(&cv, 0, t + 5 * MSEC) + 100 * MSEC;

	/* not duplicated */
	mini_ntp(c, &l, t, d[CAM13].ip, d[CAM13].mac, NTP_IP, NTP_MAC);
}

/* Queues an Ethernet frame around a payload, padded to 60 bytes. */
static void
eth_raw(struct cap *c, uint64_t t, const char *dmac, const char *smac,
    uint16_t etype, const uint8_t *payload, size_t len)
{
	struct wbuf	 f;
	uint8_t		 m[6];

	f.len = 0;
	mac_aton(dmac, m);
	put_bytes(&f, m, 6);
	mac_aton(smac, m);
	put_bytes(&f, m, 6);
	put_u16(&f, etype);
	put_bytes(&f, payload, len);
	eth_pad(&f);
	cap_add(c, t, f.p, f.len, f.len);
}

/* Writes a good IPv4/UDP packet from cv's client into ip. */
static void
udp4_packet(struct conv *cv, struct wbuf *ip, const char *msg)
{
	struct wbuf	 w;
	struct pkt	 p;

	udp_hdr(cv, 0, &w, (const uint8_t *)msg, strlen(msg));
	pkt_from(cv, 0, &p);
	l4_cksum(p.af, p.src, p.dst, p.proto, w.p, w.len);
	ip->len = 0;
	ip_build(ip, &p, w.p, w.len);
}

/* malformed.pcap: one defect per frame between good traffic. */
static void
gen_malformed(struct cap *c)
{
	static const uint8_t ra[] = { 0x94, 0x04, 0x00, 0x00 };
	const struct sitedev *d = site_devs, *cam = &d[CAM12];
	const char	*msg = "<134>Mar  2 08:00:10 cam-12 syslog test";
	struct link	 l;
	struct conv	 cv, v6, gre;
	struct wbuf	 w, ip, inner;
	struct pkt	 p;
	uint8_t		 zero[60];
	uint64_t	 t = T0 + SEC;

	link_eth(&l);
	mini_http(c, &l, T0, d[CAM11].ip, d[CAM11].mac, 0, NVR_IP, NVR_MAC,
	    NVR_IP);
	conv_init(&cv, c, &l, IPPROTO_UDP, cam->ip, cam->mac, 40514, NVR_IP,
	    NVR_MAC, 514);

	/* 1: 10 bytes, shorter than an Ethernet header */
	mac_aton(NVR_MAC, zero);
	mac_aton(cam->mac, zero + 6);
	cap_add(c, t, zero, 10, 10);
	t += SEC;

	/* 2: IPv4 version 5 */
	udp4_packet(&cv, &ip, msg);
	ip.p[0] = 0x55;
	ip4_cksum(ip.p, 20);
	eth_raw(c, t, NVR_MAC, cam->mac, ETH_IPV4, ip.p, ip.len);
	t += SEC;

	/* 3: IHL 3 */
	udp4_packet(&cv, &ip, msg);
	ip.p[0] = 0x43;
	ip4_cksum(ip.p, 20);
	eth_raw(c, t, NVR_MAC, cam->mac, ETH_IPV4, ip.p, ip.len);
	t += SEC;

	/* 4: total length 16, less than the header */
	udp4_packet(&cv, &ip, msg);
	set_u16(&ip, 2, 16);
	ip4_cksum(ip.p, 20);
	eth_raw(c, t, NVR_MAC, cam->mac, ETH_IPV4, ip.p, ip.len);
	t += SEC;

	/* 5: total length 1500, frame much shorter (caplen == len) */
	udp4_packet(&cv, &ip, msg);
	set_u16(&ip, 2, 1500);
	ip4_cksum(ip.p, 20);
	eth_raw(c, t, NVR_MAC, cam->mac, ETH_IPV4, ip.p, ip.len);
	t += SEC;

	/* 6: IHL 6 with a router alert option: valid */
	cv.opt = ra;
	cv.optlen = sizeof(ra);
	udp_send(&cv, 0, t, (const uint8_t *)msg, strlen(msg));
	cv.opt = NULL;
	cv.optlen = 0;
	t += SEC;

	mini_dns(c, &l, t - 500 * MSEC, d[CAM11].ip, d[CAM11].mac, RES_IP,
	    RES_MAC, "api.hik-connect.example", DNS_A);

	/* 7: TCP data offset 3 */
	conv_init(&gre, c, &l, IPPROTO_TCP, cam->ip, cam->mac, 40080, NVR_IP,
	    NVR_MAC, 80);
	tcp_hdr(&gre, 0, &w, TH_ACK | TH_PSH, (const uint8_t *)msg, 20);
	w.p[12] = 3 << 4;
	pkt_from(&gre, 0, &p);
	emit_pkt(c, &l, t, &p, w.p, w.len);
	t += SEC;

	/* 8: TCP header cut at 10 bytes by the IP total length */
	tcp_hdr(&gre, 0, &w, TH_ACK, NULL, 0);
	w.len = 10;
	pkt_from(&gre, 0, &p);
	emit_pkt(c, &l, t, &p, w.p, w.len);
	t += SEC;

	/* 9: UDP length 4 */
	udp_hdr(&cv, 0, &w, (const uint8_t *)msg, 12);
	set_u16(&w, 4, 4);
	pkt_from(&cv, 0, &p);
	emit_pkt(c, &l, t, &p, w.p, w.len);
	t += SEC;

	/* 10: ICMP message of 2 bytes */
	conv_init(&gre, c, &l, IPPROTO_ICMP, cam->ip, cam->mac, 0, NVR_IP,
	    NVR_MAC, 0);
	w.len = 0;
	put_u8(&w, 8);
	put_u8(&w, 0);
	pkt_from(&gre, 0, &p);
	emit_pkt(c, &l, t, &p, w.p, w.len);
	t += SEC;

	/* 11: version 4 in an IPv6 (0x86dd) frame */
	conv_init(&v6, c, &l, IPPROTO_UDP, CAM6_IP, cam->mac, 40514, NVR6_IP,
	    NVR_MAC, 514);
	udp4_packet(&v6, &ip, msg);
	ip.p[0] = 0x40 | (ip.p[0] & 0x0f);
	eth_raw(c, t, NVR_MAC, cam->mac, ETH_IPV6, ip.p, ip.len);
	t += SEC;

	/* 12: ARP who-has (not IP) */
	w.len = 0;
	put_u16(&w, 1);
	put_u16(&w, ETH_IPV4);
	put_u8(&w, 6);
	put_u8(&w, 4);
	put_u16(&w, 1);
	put_bytes(&w, cv.ep[0].mac, 6);
	put_bytes(&w, cv.ep[0].ip, 4);
	put_zero(&w, 6);
	put_bytes(&w, cv.ep[1].ip, 4);
	eth_raw(c, t, "ff:ff:ff:ff:ff:ff", cam->mac, ETH_ARP, w.p, w.len);
	t += SEC;

	/* 13: LLDP from the access switch (not IP) */
	w.len = 0;
	put_u16(&w, (1 << 9) | 7);		/* chassis ID: MAC */
	put_u8(&w, 4);
	mac_aton("00:02:fc:01:00:00", zero);
	put_bytes(&w, zero, 6);
	put_u16(&w, (2 << 9) | 9);		/* port ID: ifName */
	put_u8(&w, 5);
	put_str(&w, "Gi1/0/12");
	put_u16(&w, (3 << 9) | 2);		/* TTL */
	put_u16(&w, 120);
	put_u16(&w, (5 << 9) | 10);		/* system name */
	put_str(&w, "site-sw-01");
	put_u16(&w, 0);
	eth_raw(c, t, "01:80:c2:00:00:0e", "00:02:fc:01:00:0c", ETH_LLDP,
	    w.p, w.len);
	t += SEC;

	/* 14: GRE with the routing bit (RFC 1701, gone in RFC 2784) */
	udp4_packet(&cv, &inner, msg);
	w.len = 0;
	put_u16(&w, GRE_ROUTING);
	put_u16(&w, ETH_IPV4);
	put_u16(&w, 0);				/* checksum (absent) */
	put_u16(&w, 0);				/* offset */
	put_u32(&w, 0);				/* NULL SRE ends the list */
	put_bytes(&w, inner.p, inner.len);
	conv_init(&gre, c, &l, IPPROTO_GRE, "192.0.2.1", "00:02:fc:01:00:01",
	    0, "10.99.0.2", "00:1b:21:99:00:02", 0);
	pkt_from(&gre, 0, &p);
	emit_pkt(c, &l, t, &p, w.p, w.len);
	t += SEC;

	/* 15: sixty zero bytes */
	memset(zero, 0, sizeof(zero));
	cap_add(c, t, zero, sizeof(zero), sizeof(zero));
	t += SEC;

	mini_http(c, &l, t, d[CAM11].ip, d[CAM11].mac, 0, NVR_IP, NVR_MAC,
	    NVR_IP);
	udp_send(&cv, 0, t + 2 * SEC, (const uint8_t *)msg, strlen(msg));
}

/* cut.pcap: ordinary traffic; the file is cut inside the last record. */
static void
gen_cut(struct cap *c)
{
	const struct sitedev *cam = &site_devs[CAM11];
	struct link	 l;
	char		 msg[CUT_CAPLEN - 42 + 1];
	uint64_t	 t = T0;

	link_vlan(&l, 0);
	t = mini_http(c, &l, t, cam->ip, cam->mac, 0, "203.0.113.7",
	    GW20_MAC, "api.hik-connect.example") + 200 * MSEC;
	t = mini_dns(c, &l, t, cam->ip, cam->mac, RES_IP, RES_MAC,
	    "api.hik-connect.example", DNS_A) + 200 * MSEC;
	t = mini_ntp(c, &l, t, cam->ip, cam->mac, NTP_IP, NTP_MAC) +
	    200 * MSEC;
	/* 14 + 20 + 8 + 158 = 200 bytes */
	memset(msg, 'x', sizeof(msg) - 1);
	msg[sizeof(msg) - 1] = '\0';
	memcpy(msg, "<134>Mar  2 08:00:01 cam-11 log: ", 33);
	mini_syslog(c, &l, t, cam->ip, cam->mac, NVR_IP, NVR_MAC, msg);
}

/*
 * pcapng-mixed.pcapng: what libpcap will not read, four interfaces of
 * four link types: a USB capture first, whose one record egressd counts
 * and does not decode (usbmon0); a camera's HTTP and DNS on Ethernet
 * (eth0), a call home through a tunnel as raw IP cut to 96 bytes with
 * nanosecond time stamps (tun0), NTP and syslog on a Linux "any" capture
 * (SLL2).
 */
static void
gen_pcapng_mixed(struct cap *c)
{
	const struct sitedev *d = site_devs;
	struct link	 le, lr, ls;
	uint64_t	 t = T0;
	uint8_t		 urb[64];
	size_t		 i;

	for (i = 0; i < sizeof(urb); i++)
		urb[i] = (uint8_t)(i * 37);
	c->ifid = 0;
	cap_add(c, t, urb, sizeof(urb), sizeof(urb));
	link_eth(&le);
	link_dlt(&lr, DLT_RAW);
	link_dlt(&ls, DLT_LINUX_SLL2);
	t += 10 * MSEC;
	c->ifid = 1;
	t = mini_http(c, &le, t, d[CAM11].ip, d[CAM11].mac, 0, "203.0.113.7",
	    GW20_MAC, "api.hik-connect.example") + 100 * MSEC;
	t = mini_dns(c, &le, t, d[CAM12].ip, d[CAM12].mac, RES_IP, RES_MAC,
	    "mqtt.vendor-cloud.example", DNS_A) + 100 * MSEC;
	c->ifid = 2;
	t = mini_http(c, &lr, t, d[ANPR22].ip, d[ANPR22].mac, 0,
	    "198.51.100.20", GW30_MAC, "fw.anpr-vendor.example") + 100 * MSEC;
	c->ifid = 3;
	t = mini_ntp(c, &ls, t, d[CAM12].ip, d[CAM12].mac, NTP_IP, NTP_MAC) +
	    100 * MSEC;
	t = mini_syslog(c, &ls, t, CAM6_IP, d[CAM11].mac, NVR6_IP, NVR_MAC,
	    "<134>Mar  2 08:00:01 cam-11 ipv6: address fd00:20::11 ready") +
	    100 * MSEC;
	c->ifid = 2;
	mini_dns(c, &lr, t, d[ANPR22].ip, d[ANPR22].mac, RES_IP, RES_MAC,
	    "fw.anpr-vendor.example", DNS_A);
}

/* pcapng.pcapng: two interfaces, a comment, an ISB at the end. */
static void
gen_pcapng(struct cap *c)
{
	const struct sitedev *d = site_devs;
	struct link	 l;
	struct conv	 cv;
	uint64_t	 t = T0;

	link_eth(&l);
	c->ifid = 0;
	c->comment = "pcapgen: first packet, seen on eth0";
	t = mini_http(c, &l, t, d[CAM11].ip, d[CAM11].mac, 0, "203.0.113.7",
	    GW20_MAC, "api.hik-connect.example") + 100 * MSEC;
	c->ifid = 1;
	t = mini_dns(c, &l, t, d[CAM12].ip, d[CAM12].mac, RES_IP, RES_MAC,
	    "mqtt.vendor-cloud.example", DNS_A) + 100 * MSEC;
	t = mini_ntp(c, &l, t, d[CAM12].ip, d[CAM12].mac, NTP_IP, NTP_MAC) +
	    100 * MSEC;
	c->ifid = 0;
	t = mini_syslog(c, &l, t, CAM6_IP, d[CAM11].mac, NVR6_IP, NVR_MAC,
	    "<134>Mar  2 08:00:01 cam-11 ipv6: address fd00:20::11 ready") +
	    100 * MSEC;
	t = mini_syslog(c, &l, t, CAM6_IP, d[CAM11].mac, NVR6_IP, NVR_MAC,
	    "<134>Mar  2 08:00:01 cam-11 ipv6: default router fd00:20::1") +
	    100 * MSEC;
	c->ifid = 1;
	conv_init(&cv, c, &l, IPPROTO_ICMP, d[CAM14].ip, d[CAM14].mac, 0,
	    "198.51.100.1", GW20_MAC, 0);
	t = icmp_echo(&cv, t, 0x3a01, 1) + 100 * MSEC;
	c->ifid = 0;
	mini_udp(c, &l, t, d[CAM11].ip, d[CAM11].mac, RTP_PORT, NVR_IP, NVR_MAC,
	    50000, 3, 1000, 0);
}

/*
 * A DNS answer for name with n A records, base.1 to base.n, each TTL 600,
 * length-prefixed for TCP (RFC 7766), appended to w.
 */
static void
dns_tcp_answer(struct wbuf *w, uint16_t id, const char *name,
    const char *base, int n)
{
	struct dnsw	 d;
	struct dnsrr	 rr;
	struct wbuf	 m;
	char		 addr[64];
	int		 i;

	m.len = 0;
	dns_init(&d, &m, id, 0x8180, 1, n, 0, 0);
	dns_question(&d, name, DNS_A);
	for (i = 1; i <= n; i++) {
		snprintf(addr, sizeof(addr), "%s.%d", base, i);
		rr.name = name;
		rr.type = DNS_A;
		rr.ttl = 600;
		rr.data = addr;
		rr.data2 = NULL;
		dns_rr(&d, &rr);
	}
	put_u16(w, m.len);
	put_bytes(w, m.p, m.len);
}

/* A length-prefixed DNS query for TCP, appended to w. */
static void
dns_tcp_query(struct wbuf *w, uint16_t id, const char *name)
{
	struct wbuf	 m;

	dns_query(&m, id, name, DNS_A);
	put_u16(w, m.len);
	put_bytes(w, m.p, m.len);
}

/*
 * dns-tcp.pcap: DNS over TCP to the site resolver, and the connections
 * that follow, which egressd must name from it.  One answer of 150
 * addresses spans two segments, and the camera then connects to the
 * 140th (in the second); two queries pipelined in one segment, answered
 * in one; an answer whose second segment is sent twice.  The TLS
 * connections carry an SNI that differs from the name resolved, so the
 * records show which one names the destination.
 */
static void
gen_dns_tcp(struct cap *c)
{
	const struct sitedev *d = site_devs;
	struct link	 l;
	struct conv	 cv, tv;
	struct wbuf	 q, a;
	uint64_t	 t = T0;
	uint32_t	 seq;

	link_vlan(&l, 20);
	/* 150 addresses: 2,4 kB, two segments. */
	conv_init(&cv, c, &l, IPPROTO_TCP, d[CAM11].ip, d[CAM11].mac, 41000,
	    RES_IP, RES_MAC, 53);
	t = tcp_open(&cv, t);
	q.len = 0;
	dns_tcp_query(&q, 0x5001, "pool.cdn-video.example");
	a.len = 0;
	dns_tcp_answer(&a, 0x5001, "pool.cdn-video.example", "198.51.100",
	    150);
	t = tcp_xchg(&cv, t, &q, &a);
	t = tcp_close(&cv, 0, t + 5 * MSEC);
	conv_init(&tv, c, &l, IPPROTO_TCP, d[CAM11].ip, d[CAM11].mac, 41001,
	    "198.51.100.140", GW20_MAC, 443);
	t = tcp_open(&tv, t + 20 * MSEC);
	t = tls_session(&tv, t + 200, "edge.cdn-video.example", 300, 900);

	/* Two queries in one segment, both answers in one. */
	conv_init(&cv, c, &l, IPPROTO_TCP, d[CAM12].ip, d[CAM12].mac, 41002,
	    RES_IP, RES_MAC, 53);
	t = tcp_open(&cv, t + SEC);
	q.len = 0;
	dns_tcp_query(&q, 0x5002, "a.pipeline.example");
	dns_tcp_query(&q, 0x5003, "b.pipeline.example");
	a.len = 0;
	dns_tcp_answer(&a, 0x5002, "a.pipeline.example", "203.0.113", 1);
	dns_tcp_answer(&a, 0x5003, "b.pipeline.example", "192.0.2", 2);
	t = tcp_xchg(&cv, t, &q, &a);
	t = tcp_close(&cv, 0, t + 5 * MSEC);
	conv_init(&tv, c, &l, IPPROTO_TCP, d[CAM12].ip, d[CAM12].mac, 41003,
	    "203.0.113.1", GW20_MAC, 443);
	t = tcp_open(&tv, t + 20 * MSEC);
	t = tls_session(&tv, t + 200, "a-sni.pipeline.example", 300, 900);
	conv_init(&tv, c, &l, IPPROTO_TCP, d[CAM12].ip, d[CAM12].mac, 41004,
	    "192.0.2.2", GW20_MAC, 443);
	t = tcp_open(&tv, t + 20 * MSEC);
	t = tls_session(&tv, t + 200, "b-sni.pipeline.example", 300, 900);

	/* The second segment of an answer sent twice (a retransmission). */
	conv_init(&cv, c, &l, IPPROTO_TCP, d[CAM13].ip, d[CAM13].mac, 41005,
	    RES_IP, RES_MAC, 53);
	t = tcp_open(&cv, t + SEC);
	q.len = 0;
	dns_tcp_query(&q, 0x5004, "retx.cdn-video.example");
	a.len = 0;
	dns_tcp_answer(&a, 0x5004, "retx.cdn-video.example", "198.51.100",
	    120);
	t = tcp_send(&cv, 0, t, q.p, q.len) + turn(&cv, 0);
	seq = cv.ep[1].seq;
	t = tcp_send(&cv, 1, t, a.p, a.len);
	cv.ep[1].seq = seq + (uint32_t)cv.mss;
	tcp_seg(&cv, 1, t + 200 * MSEC, TH_ACK | TH_PSH, a.p + cv.mss,
	    a.len - cv.mss);
	t = tcp_close(&cv, 0, t + 205 * MSEC);
	conv_init(&tv, c, &l, IPPROTO_TCP, d[CAM13].ip, d[CAM13].mac, 41006,
	    "198.51.100.120", GW20_MAC, 443);
	t = tcp_open(&tv, t + 20 * MSEC);
	tls_session(&tv, t + 200, "edge2.cdn-video.example", 300, 900);
}

/* A TLS connection from a camera: handshake, session, close. */
static uint64_t
policy_tls(struct cap *c, const struct link *l, uint64_t t, const char *cip,
    const char *cmac, uint16_t cport, const char *sip, uint16_t sport,
    const char *sni, size_t up, size_t down)
{
	struct conv	cv;

	conv_init(&cv, c, l, IPPROTO_TCP, cip, cmac, cport, sip, GW20_MAC,
	    sport);
	t = tcp_open(&cv, t);
	t = tls_session(&cv, t + 200, sni, up, down);
	return tcp_close(&cv, 0, t + 5 * MSEC);
}

/*
 * policy.pcap: one case for each policy alert, for tests/policy/alerts.conf
 * (group "faces" is 10.20.1.21 to .23; 10.20.1.99 is in no group):
 *   unapproved   .21 to telemetry.unknown-vendor.example (203.0.113.66),
 *                twice, 10 minutes apart (the second within the window);
 *   dns-bypass   .21 DNS over TLS to 192.0.2.53:853, and DNS over HTTPS
 *                to dns.google at 198.51.100.53;
 *   exfil        .22 uploads 25 clips of 60 kB, at random times, to
 *                storage.unknown-vendor.example (198.51.100.80; the
 *                config's threshold is 1 MB);
 *   denied       .23 to 203.0.113.200 (KP in the demo database), twice
 *                within a minute (one alert), then again 2 minutes later;
 *   unknown      .99 asks an outside NTP server (203.0.113.123).
 * And what is allowed: .21 to api.faces-cloud.example (203.0.113.7); and
 * what no rule names but never leaves the site, so raises nothing: .21's
 * mDNS query (224.0.0.251:5353) and SSDP search (239.255.255.250:1900).
 */
static void
gen_policy(struct cap *c)
{
	static const char msearch[] = "M-SEARCH * HTTP/1.1\r\n"
	    "HOST: 239.255.255.250:1900\r\nMAN: \"ssdp:discover\"\r\n"
	    "MX: 2\r\nST: upnp:rootdevice\r\n\r\n";
	struct link	 l;
	struct conv	 cv;
	struct wbuf	 w;
	uint64_t	 t = T0, u;
	int		 i;

	link_vlan(&l, 20);
	mini_dns(c, &l, t, "10.20.1.21", "44:19:b6:2a:01:15", RES_IP, RES_MAC,
	    "api.hik-connect.example", DNS_A);
	policy_tls(c, &l, t + 50 * MSEC, "10.20.1.21", "44:19:b6:2a:01:15",
	    41100, "203.0.113.7", 443, "api.hik-connect.example", 400, 900);
	policy_tls(c, &l, t + 10 * SEC, "10.20.1.21", "44:19:b6:2a:01:15",
	    41101, "203.0.113.66", 443, "telemetry.unknown-vendor.example",
	    600, 300);
	policy_tls(c, &l, t + 610 * SEC, "10.20.1.21", "44:19:b6:2a:01:15",
	    41102, "203.0.113.66", 443, "telemetry.unknown-vendor.example",
	    600, 300);
	policy_tls(c, &l, t + 30 * SEC, "10.20.1.21", "44:19:b6:2a:01:15",
	    41103, "192.0.2.53", 853, "dot.example-resolver.example", 300,
	    500);
	policy_tls(c, &l, t + 40 * SEC, "10.20.1.21", "44:19:b6:2a:01:15",
	    41104, "198.51.100.53", 443, "dns.google", 300, 500);
	for (i = 0, u = t + 60 * SEC; i < 25; i++) {
		policy_tls(c, &l, u, "10.20.1.22", "44:19:b6:2a:01:16",
		    (uint16_t)(42000 + i), "198.51.100.80", 443,
		    "storage.unknown-vendor.example", 60000, 2000);
		u += rnd_range(&c->rng, 2, 90) * SEC;	/* at random */
	}
	policy_tls(c, &l, t + 90 * SEC, "10.20.1.23", "44:19:b6:2a:01:17",
	    41106, "203.0.113.200", 443, "update.example-kp.example", 500,
	    800);
	policy_tls(c, &l, t + 110 * SEC, "10.20.1.23", "44:19:b6:2a:01:17",
	    41107, "203.0.113.200", 443, "update.example-kp.example", 500,
	    800);
	policy_tls(c, &l, t + 230 * SEC, "10.20.1.23", "44:19:b6:2a:01:17",
	    41108, "203.0.113.200", 443, "update.example-kp.example", 500,
	    800);
	mini_ntp(c, &l, t + 20 * SEC, "10.20.1.99", "00:11:22:33:44:99",
	    "203.0.113.123", GW20_MAC);
	conv_init(&cv, c, &l, IPPROTO_UDP, "10.20.1.21", "44:19:b6:2a:01:15",
	    5353, "224.0.0.251", "01:00:5e:00:00:fb", 5353);
	dns_query(&w, 0, "_rtsp._tcp.local", DNS_A);
	udp_send(&cv, 0, t + 5 * SEC, w.p, w.len);
	conv_init(&cv, c, &l, IPPROTO_UDP, "10.20.1.21", "44:19:b6:2a:01:15",
	    eport(c), "239.255.255.250", "01:00:5e:7f:ff:fa", 1900);
	udp_send(&cv, 0, t + 6 * SEC, (const uint8_t *)msearch,
	    sizeof(msearch) - 1);
}

/*
 * Appends a client Initial packet (RFC 9000 17.2.2) of QUIC v1 with frames,
 * protected as RFC 9001 5 says: AES-128-GCM under the keys of dcid, then
 * header protection; a 2-byte packet number.
 */
static void
quic_seal(struct wbuf *w, const uint8_t *dcid, size_t dcidlen,
    const uint8_t *scid, size_t scidlen, uint32_t pn, const uint8_t *frames,
    size_t flen)
{
	struct quic_keys k;
	uint8_t		 nonce[CRYPTO_GCM_IV], mask[CRYPTO_AES_BLOCK];
	uint8_t		 tag[CRYPTO_GCM_TAG], *ct;
	size_t		 start = w->len, pn_off, hdrlen;

	if (quic_initial_keys(QUIC_V1, dcid, dcidlen, &k) == -1)
		errx(1, "quic_initial_keys");
	put_u8(w, 0xc1);			/* Initial, pn length 2 */
	put_u32(w, QUIC_V1);
	put_u8(w, dcidlen);
	put_bytes(w, dcid, dcidlen);
	put_u8(w, scidlen);
	put_bytes(w, scid, scidlen);
	put_u8(w, 0);				/* no token */
	put_u16(w, 0x4000 | (2 + flen + CRYPTO_GCM_TAG));
	pn_off = w->len - start;
	put_u16(w, pn);
	hdrlen = w->len - start;
	memcpy(nonce, k.iv, CRYPTO_GCM_IV);
	nonce[CRYPTO_GCM_IV - 2] ^= (uint8_t)(pn >> 8);
	nonce[CRYPTO_GCM_IV - 1] ^= (uint8_t)pn;
	ct = wb_room(w, flen);
	crypto_gcm_seal(k.key, nonce, w->p + start, hdrlen, frames, flen, ct,
	    tag);
	put_bytes(w, tag, CRYPTO_GCM_TAG);
	crypto_aes128_ecb(k.hp, w->p + start + pn_off + 4, mask);
	w->p[start] ^= mask[0] & 0x0f;
	w->p[start + pn_off] ^= mask[1];
	w->p[start + pn_off + 1] ^= mask[2];
}

/*
 * Appends a CRYPTO frame (RFC 9000 19.6) with bytes [from, to) of the
 * handshake message m, then PADDING up to pad bytes of frames.
 */
static void
quic_crypto(struct wbuf *w, const struct wbuf *m, size_t from, size_t to,
    size_t pad)
{
	size_t	start = w->len;

	put_u8(w, 0x06);
	put_u16(w, 0x4000 | from);
	put_u16(w, 0x4000 | (to - from));
	put_bytes(w, m->p + from, to - from);
	if (w->len - start < pad)
		put_zero(w, pad - (w->len - start));
}

/* The bare ClientHello handshake message, as QUIC carries it. */
static void
quic_hello(struct wbuf *m, struct cap *c, const char *sni, int pq)
{
	struct wbuf	 rec;
	uint8_t		 sid[32];

	memset(sid, 0, sizeof(sid));
	rec.len = 0;
	tls_client_hello_pq(&rec, c, sni, sid, pq);
	/* QUIC has no record layer and no session ID (RFC 9001 8.4). */
	m->len = 0;
	put_bytes(m, rec.p + 5, 4 + 2 + 32);
	put_u8(m, 0);
	put_bytes(m, rec.p + 5 + 4 + 2 + 32 + 1 + 32,
	    rec.len - (5 + 4 + 2 + 32 + 1 + 32));
	m->p[3] = (uint8_t)(m->len - 4);
	m->p[2] = (uint8_t)((m->len - 4) >> 8);
}

/*
 * quic.pcap: QUIC v1 client Initials (RFC 9000, RFC 9001) that egressd
 * and tshark both decrypt: a ClientHello in one Initial; one with an
 * X25519MLKEM768 share (about 1.5 kB) over two datagrams; one in two
 * Initials coalesced in one datagram, its second half first; and an
 * Initial whose AEAD tag is broken, which neither may read.  Each
 * server answers with a datagram of random short-header bytes.
 */
static void
gen_quic(struct cap *c)
{
	static const struct {
		const char	*dst;
		const char	*sni;
		int		 pq, split, coalesce, broken;
	} flows[] = {
		{ "203.0.113.60", "quic.vendor-cloud.example", 0, 0, 0, 0 },
		{ "198.51.100.61", "pq.vendor-cloud.example", 1, 1, 0, 0 },
		{ "203.0.113.62", "coalesced.vendor-cloud.example", 0, 1, 1, 0 },
		{ "192.0.2.63", "broken.vendor-cloud.example", 0, 0, 0, 1 },
	};
	const struct sitedev *d = site_devs;
	struct link	 l;
	struct conv	 cv;
	struct wbuf	 m, fr, dg, fr2;
	uint8_t		 dcid[8], scid[8];
	uint64_t	 t = T0;
	size_t		 i, half;

	link_vlan(&l, 20);
	for (i = 0; i < sizeof(flows) / sizeof(flows[0]); i++) {
		conv_init(&cv, c, &l, IPPROTO_UDP, d[CAM11 + i].ip,
		    d[CAM11 + i].mac, 51000 + (uint16_t)i, flows[i].dst,
		    GW20_MAC, 443);
		rnd_fill(&c->rng, dcid, sizeof(dcid));
		rnd_fill(&c->rng, scid, sizeof(scid));
		quic_hello(&m, c, flows[i].sni, flows[i].pq);
		half = flows[i].split ? m.len / 2 : m.len;
		dg.len = 0;
		fr.len = 0;
		if (flows[i].coalesce) {
			/* The second half first, then the first. */
			quic_crypto(&fr, &m, half, m.len, 0);
			quic_seal(&dg, dcid, 8, scid, 8, 0, fr.p, fr.len);
			fr2.len = 0;
			put_u8(&fr2, 0x01);		/* PING */
			quic_crypto(&fr2, &m, 0, half, QUIC_DGRAM_MIN -
			    dg.len - 40);
			quic_seal(&dg, dcid, 8, scid, 8, 1, fr2.p, fr2.len);
		} else {
			quic_crypto(&fr, &m, 0, half, QUIC_DGRAM_MIN - 40);
			quic_seal(&dg, dcid, 8, scid, 8, 0, fr.p, fr.len);
		}
		if (flows[i].broken)
			dg.p[dg.len - 1] ^= 0x5a;
		udp_send(&cv, 0, t, dg.p, dg.len);
		t += 2 * MSEC;
		if (flows[i].split && !flows[i].coalesce) {
			dg.len = 0;
			fr.len = 0;
			quic_crypto(&fr, &m, half, m.len, QUIC_DGRAM_MIN - 40);
			quic_seal(&dg, dcid, 8, scid, 8, 1, fr.p, fr.len);
			udp_send(&cv, 0, t, dg.p, dg.len);
			t += 2 * MSEC;
		}
		dg.len = 0;
		put_u8(&dg, 0x40 | (uint8_t)(rnd64(&c->rng) & 0x3f));
		put_bytes(&dg, scid, sizeof(scid));	/* the client's SCID */
		put_pool(&dg, c, 300);
		udp_send(&cv, 1, t + 30 * MSEC, dg.p, dg.len);
		t += SEC;
	}
}

/* tcp-states.pcap: every way a TCP (and UDP/ICMP) flow starts and ends. */
static void
gen_tcp_states(struct cap *c)
{
	const struct sitedev *d = site_devs;
	struct link	 l20, l30, l0;
	struct conv	 cv;
	struct wbuf	 w, req, resp;
	uint64_t	 t, t2;
	uint32_t	 seq;
	int		 k;

	link_vlan(&l20, 20);
	link_vlan(&l30, 30);
	link_eth(&l0);

	/* capture starts mid-handshake: the first packet is the SYN-ACK */
	conv_init(&cv, c, &l20, IPPROTO_TCP, d[CAM11].ip, d[CAM11].mac, 40002,
	    "203.0.113.5", GW20_MAC, 443);
	cv.ep[0].seq++;
	t = T0;
	tcp_seg(&cv, 1, t, TH_SYN | TH_ACK, NULL, 0);
	t += turn(&cv, 1);
	tcp_ack(&cv, 0, t);
	tls_session(&cv, t + 200, "api.hik-connect.example", 200, 600);

	/* handshake, data, FIN close */
	conv_init(&cv, c, &l20, IPPROTO_TCP, d[CAM11].ip, d[CAM11].mac, 40001,
	    "203.0.113.5", GW20_MAC, 443);
	t = tcp_open(&cv, T0 + 2 * SEC);
	tls_session(&cv, t + 200, "api.hik-connect.example", 200, 600);

	/* closed by a reset from the server */
	conv_init(&cv, c, &l20, IPPROTO_TCP, d[CAM12].ip, d[CAM12].mac,
	    eport(c), "203.0.113.6", GW20_MAC, 8080);
	t = tcp_open(&cv, T0 + 4 * SEC);
	req.len = 0;
	put_str(&req, "GET /cgi-bin/status HTTP/1.1\r\n"
	    "Host: 203.0.113.6\r\n\r\n");
	t = tcp_send(&cv, 0, t + 200, req.p, req.len);
	tcp_seg(&cv, 1, t + turn(&cv, 0), TH_RST | TH_ACK, NULL, 0);

	/* a SYN nobody answers, retransmitted after 1 s and 3 s */
	conv_init(&cv, c, &l20, IPPROTO_TCP, d[CAM13].ip, d[CAM13].mac,
	    eport(c), "203.0.113.8", GW20_MAC, 23);
	seq = cv.ep[0].seq;
	for (k = 0; k < 3; k++) {
		cv.ep[0].seq = seq;
		tcp_seg(&cv, 0, T0 + 6 * SEC + (k == 0 ? 0 : (1 << k) - 1) *
		    SEC, TH_SYN, NULL, 0);
	}

	/* first seen mid-stream: no handshake */
	conv_init(&cv, c, &l20, IPPROTO_TCP, d[CAM14].ip, d[CAM14].mac, 45000,
	    "198.51.100.7", GW20_MAC, 443);
	t = T0 + 8 * SEC;
	w.len = 0;
	tls_appdata(&w, c, 300);
	t = tcp_send(&cv, 0, t, w.p, w.len) + turn(&cv, 0);
	w.len = 0;
	tls_appdata(&w, c, 1200);
	t = tcp_send(&cv, 1, t, w.p, w.len) + turn(&cv, 1);
	tcp_ack(&cv, 0, t);
	tcp_close(&cv, 0, t + 20 * MSEC);

	/* one direction only: the server's packets take another path */
	conv_init(&cv, c, &l30, IPPROTO_TCP, d[ANPR21].ip, d[ANPR21].mac,
	    eport(c), "203.0.113.9", GW30_MAC, 443);
	t = T0 + 10 * SEC;
	tcp_seg(&cv, 0, t, TH_SYN, NULL, 0);
	cv.ep[1].seq++;
	t += cv.rtt;
	tcp_ack(&cv, 0, t);
	w.len = 0;
	tls_client_hello(&w, c, "api.hik-connect.example", c->pool);
	t = tcp_send(&cv, 0, t + 100, w.p, w.len);
	cv.ep[1].seq += 3000;
	t += cv.rtt;
	tcp_ack(&cv, 0, t);
	tcp_seg(&cv, 0, t + 30 * MSEC, TH_FIN | TH_ACK, NULL, 0);
	cv.ep[1].seq++;
	tcp_ack(&cv, 0, t + 30 * MSEC + cv.rtt);

	/* port reuse: a new SYN on the same 5-tuple after a FIN close */
	conv_init(&cv, c, &l20, IPPROTO_TCP, d[CAM12].ip, d[CAM12].mac, 50000,
	    "198.51.100.10", GW20_MAC, 80);
	t = http_get(&cv, T0 + 12 * SEC, "198.51.100.10", "/ping",
	    "cam-agent/1.0", 40);
	seq = cv.ep[0].seq;
	conv_init(&cv, c, &l20, IPPROTO_TCP, d[CAM12].ip, d[CAM12].mac, 50000,
	    "198.51.100.10", GW20_MAC, 80);
	cv.ep[0].seq = seq + 250000;
	http_get(&cv, t + 2 * SEC, "198.51.100.10", "/ping", "cam-agent/1.0",
	    40);

	/* UDP idle for 90 s, then again */
	conv_init(&cv, c, &l20, IPPROTO_UDP, d[CAM13].ip, d[CAM13].mac, 47808,
	    "198.51.100.11", GW20_MAC, 9999);
	t = T0 + 20 * SEC;
	for (k = 0; k < 6; k++) {
		w.len = 0;
		put_fmt(&w, "{\"seq\":%d,\"temp\":41.5}", k);
		udp_send(&cv, 0, t, w.p, w.len);
		udp_send(&cv, 1, t + turn(&cv, 0), w.p, 10);
		t += k == 2 ? 90 * SEC : 2 * SEC;
	}

	/* open for 12 minutes, a message a minute */
	conv_init(&cv, c, &l0, IPPROTO_TCP, d[FP31].ip, d[FP31].mac, eport(c),
	    "203.0.113.20", GW40_MAC, 8883);
	t = tcp_open(&cv, T0 + 25 * SEC);
	for (k = 1; k <= 12; k++) {
		w.len = 0;
		tls_appdata(&w, c, 64);
		t2 = T0 + 25 * SEC + k * MIN;
		tcp_send(&cv, 0, t2, w.p, w.len);
		tcp_ack(&cv, 1, t2 + turn(&cv, 0));
	}
	tcp_close(&cv, 0, T0 + 25 * SEC + 12 * MIN + 30 * SEC);

	/* ICMP and ICMPv6 echo */
	conv_init(&cv, c, &l20, IPPROTO_ICMP, d[CAM14].ip, d[CAM14].mac, 0,
	    "198.51.100.1", GW20_MAC, 0);
	icmp_echo(&cv, T0 + 30 * SEC, 0x1d2e, 1);
	icmp_echo(&cv, T0 + 31 * SEC, 0x1d2e, 2);
	conv_init(&cv, c, &l20, IPPROTO_ICMPV6, CAM6_IP, d[CAM11].mac, 0,
	    "2001:db8::1", GW20_MAC, 0);
	icmp_echo(&cv, T0 + 32 * SEC, 0x1d2f, 1);

	/* between two private hosts */
	conv_init(&cv, c, &l0, IPPROTO_TCP, d[FP32].ip, d[FP32].mac, eport(c),
	    CTRL_IP, CTRL_MAC, 4370);
	t = tcp_open(&cv, T0 + 35 * SEC);
	zk_frame(&req, 1000, 0, 0, NULL);
	zk_frame(&resp, 2000, 0x77, 0, NULL);
	t = tcp_xchg(&cv, t, &req, &resp);
	tcp_close(&cv, 0, t + 5 * MSEC);

	/* between two public hosts, passing through */
	conv_init(&cv, c, &l0, IPPROTO_TCP, "198.51.100.1", "00:02:fc:01:00:01",
	    eport(c), "203.0.113.1", GW40_MAC, 80);
	http_get(&cv, T0 + 37 * SEC, "203.0.113.1", "/", "Mozilla/5.0", 300);

	/* a private host and a CGNAT (100.64/10) one */
	mini_dns(c, &l20, T0 + 39 * SEC, d[CAM11].ip, d[CAM11].mac,
	    "100.64.1.1", GW20_MAC, "api.hik-connect.example", DNS_A);

	/* two fd00::/8 hosts */
	conv_init(&cv, c, &l20, IPPROTO_TCP, CAM6_IP, d[CAM11].mac, eport(c),
	    NVR6_IP, NVR_MAC, 80);
	http_get(&cv, T0 + 41 * SEC, "[fd00:20::5]", "/status.json",
	    "cam-agent/1.0", 200);
}

enum {
	APP_CAMERA,
	APP_ANPR,
	APP_READER
};

enum {
	TASK_RTP,
	TASK_RTCP,
	TASK_DNS,
	TASK_NTP,
	TASK_HOME,
	TASK_TLS,
	TASK_ZK,
	TASK_ANPR
};

/* A periodic job of one appliance in bench-site. */
struct task {
	uint64_t	 next;
	uint32_t	 appliance;
	uint32_t	 kind;
};

_Static_assert(sizeof(struct task) <= HEAP_ESIZE_MAX, "heap element size");

/* Min-heap of tasks by time. */
struct taskq {
	struct task	*t;
	size_t		 n;
	size_t		 size;
};

/* One appliance of bench-site and its long-lived conversations. */
struct appl {
	int		 kind;
	uint32_t	 index;
	char		 ip[48];
	char		 mac[18];
	char		 nvr[48];
	char		 nvrmac[18];
	const char	*gw;
	struct link	 link;
	struct conv	 rtp;
	struct conv	 rtcp;
	struct conv	 ntp;
	struct conv	 zk;
	uint64_t	 period;
	uint32_t	 ssrc;
	uint32_t	 rtpts;
	uint32_t	 pkts;
	uint32_t	 octets;
	uint16_t	 seq;
	uint16_t	 zksess;
	uint16_t	 zkreply;
	uint32_t	 homeseq;
	int		 bypass;
	int		 tls;
};

/* True if task a runs before task b. */
static int
task_before(const void *va, const void *vb)
{
	const struct task	*a = va, *b = vb;

	if (a->next != b->next)
		return a->next < b->next;
	if (a->appliance != b->appliance)
		return a->appliance < b->appliance;
	return a->kind < b->kind;
}

/* Adds a task. */
static void
task_push(struct taskq *q, const struct task *tk)
{
	if (q->n == q->size) {
		q->size = q->size ? q->size * 2 : 256;
		q->t = realloc(q->t, q->size * sizeof(*q->t));
		if (q->t == NULL)
			err(1, "realloc");
	}
	q->t[q->n++] = *tk;
	heap_up(q->t, sizeof(*q->t), q->n, task_before);
}

/* Removes the earliest task. */
static void
task_pop(struct taskq *q, struct task *tk)
{
	*tk = q->t[0];
	q->t[0] = q->t[--q->n];
	heap_down(q->t, sizeof(*q->t), q->n, task_before);
}

/* Schedules a task of appliance i. */
static void
task_add(struct taskq *q, uint32_t appliance, uint32_t kind, uint64_t next)
{
	struct task	 tk;

	tk.next = next;
	tk.appliance = appliance;
	tk.kind = kind;
	task_push(q, &tk);
}

/* Sets up appliance i of bench-site and schedules its tasks. */
static void
appl_init(struct cap *c, struct appl *a, uint32_t i, struct taskq *q)
{
	static const uint8_t net[] = { 20, 30, 40 };
	uint64_t	*r = &c->rng;
	uint32_t	 k = i / 32;

	memset(a, 0, sizeof(*a));
	a->index = i;
	a->kind = i % 20 < 14 ? APP_CAMERA : i % 20 < 17 ? APP_ANPR :
	    APP_READER;
	snprintf(a->ip, sizeof(a->ip), "10.%u.%u.%u", net[a->kind] + i / 62500,
	    1 + (i / 250) % 250, 1 + i % 250);
	snprintf(a->mac, sizeof(a->mac), "%s:%02x:%02x:%02x",
	    a->kind == APP_CAMERA ? "44:19:b6" : a->kind == APP_ANPR ?
	    "3c:ef:8c" : "00:17:fc", (i >> 16) & 0xff, (i >> 8) & 0xff,
	    i & 0xff);
	snprintf(a->nvr, sizeof(a->nvr), "10.19.%u.%u", k / 250, 1 + k % 250);
	snprintf(a->nvrmac, sizeof(a->nvrmac), "bc:ad:28:19:%02x:%02x",
	    (k >> 8) & 0xff, k & 0xff);
	switch (a->kind) {
	case APP_CAMERA:
		link_vlan(&a->link, 20);
		a->gw = GW20_MAC;
		a->period = SEC / rnd_range(r, 80, 160);
		break;
	case APP_ANPR:
		link_vlan(&a->link, 30);
		a->gw = GW30_MAC;
		a->period = SEC / rnd_range(r, 30, 60);
		break;
	default:
		link_vlan(&a->link, 0);
		a->gw = GW40_MAC;
		break;
	}
	a->bypass = i % 37 == 5;
	a->tls = i % 2 == 0;
	a->ssrc = rnd64(r);
	a->rtpts = rnd64(r);
	a->seq = rnd64(r);

	conv_init(&a->ntp, c, &a->link, IPPROTO_UDP, a->ip, a->mac, 123,
	    NTP_IP, a->kind == APP_CAMERA ? NTP_MAC : a->gw, 123);
	task_add(q, i, TASK_NTP, T0 + rnd_range(r, 0, 64 * SEC));
	task_add(q, i, TASK_DNS, T0 + rnd_range(r, 0, 30 * SEC));
	task_add(q, i, TASK_HOME, T0 + rnd_range(r, 0, 60 * SEC));
	if (a->tls)
		task_add(q, i, TASK_TLS, T0 + rnd_range(r, 0, 300 * SEC));
	if (a->kind == APP_READER) {
		conv_init(&a->zk, c, &a->link, IPPROTO_TCP, a->ip, a->mac,
		    eport(c), CTRL_IP, CTRL_MAC, 4370);
		task_add(q, i, TASK_ZK, T0 + rnd_range(r, 0, 2 * SEC));
		return;
	}
	conv_init(&a->rtp, c, &a->link, IPPROTO_UDP, a->ip, a->mac, RTP_PORT,
	    a->nvr, a->kind == APP_CAMERA ? a->nvrmac : a->gw,
	    50000 + 2 * (i % 32));
	conv_init(&a->rtcp, c, &a->link, IPPROTO_UDP, a->ip, a->mac,
	    RTP_PORT + 1, a->nvr, a->kind == APP_CAMERA ? a->nvrmac : a->gw,
	    50001 + 2 * (i % 32));
	task_add(q, i, TASK_RTP, T0 + rnd_range(r, 0, SEC));
	task_add(q, i, TASK_RTCP, T0 + rnd_range(r, 4 * SEC, 6 * SEC));
	if (a->kind == APP_ANPR)
		task_add(q, i, TASK_ANPR, T0 + rnd_range(r, 10 * SEC,
		    60 * SEC));
}

/* Runs one task of a bench-site appliance; sets its next time. */
static void
task_run(struct cap *c, struct appl *a, struct task *tk)
{
	static const char *names[] = { "api.hik-connect.example",
	    "update.vendor-cloud.example", "mqtt.vendor-cloud.example",
	    "time.vendor-cloud.example", "p2p.hik-connect.example" };
	uint64_t	*r = &c->rng, t = tk->next;
	struct conv	 cv;
	struct wbuf	 w, resp;
	char		 dst[INET_ADDRSTRLEN], ev[64];
	const char	*name;
	size_t		 up, down;

	switch (tk->kind) {
	case TASK_RTP:
		rtp_packet(&w, c, a->seq++, a->rtpts, a->ssrc,
		    a->pkts % 64 == 0, rnd_range(r, 1240, 1400));
		udp_send(&a->rtp, 0, t, w.p, w.len);
		a->pkts++;
		a->octets += w.len - 12;
		a->rtpts += 3000;
		tk->next += a->period + rnd_range(r, 0, a->period / 8);
		break;
	case TASK_RTCP:
		rtcp_sr(&w, t, a->ssrc, a->rtpts, a->pkts, a->octets, a->ip);
		udp_send(&a->rtcp, 0, t, w.p, w.len);
		rtcp_rr(&w, t + 5 * MSEC, a->ssrc ^ 0x5a5a5a5a, a->ssrc,
		    a->seq - 1, t, a->nvr);
		udp_send(&a->rtcp, 1, t + 5 * MSEC, w.p, w.len);
		tk->next += 5 * SEC;
		break;
	case TASK_DNS:
		name = names[rnd64(r) % (sizeof(names) / sizeof(names[0]))];
		conv_init(&cv, c, &a->link, IPPROTO_UDP, a->ip, a->mac,
		    eport(c), a->bypass ? "192.0.2.53" : RES_IP,
		    a->kind == APP_CAMERA && !a->bypass ? RES_MAC : a->gw, 53);
		dns_lookup(&cv, t, name, DNS_A, dns_tab);
		if (rnd64(r) % 2)
			dns_lookup(&cv, t + 50, name, DNS_AAAA, dns_tab);
		tk->next += rnd_range(r, 30 * SEC, 90 * SEC);
		break;
	case TASK_NTP:
		ntp_exchange(&a->ntp, t);
		tk->next += 64 * SEC;
		break;
	case TASK_HOME:
		snprintf(dst, sizeof(dst), "203.0.113.%u", 90 + a->index % 10);
		conv_init(&cv, c, &a->link, IPPROTO_TCP, a->ip, a->mac,
		    eport(c), dst, a->gw, 8443);
		t = tcp_open(&cv, t);
		w.len = 0;
		put_u32(&w, 0x48420001);
		put_u32(&w, ++a->homeseq);
		put_pool(&w, c, 40);
		resp.len = 0;
		put_u32(&resp, 0x48428001);
		put_u32(&resp, a->homeseq);
		put_pool(&resp, c, 8);
		t = tcp_xchg(&cv, t + 100, &w, &resp);
		tcp_close(&cv, 0, t + 500);
		tk->next += rnd_range(r, 54 * SEC, 66 * SEC);
		break;
	case TASK_TLS:
		conv_init(&cv, c, &a->link, IPPROTO_TCP, a->ip, a->mac,
		    eport(c), a->index % 3 ? "203.0.113.7" : "198.51.100.44",
		    a->gw, 443);
		t = tcp_open(&cv, t);
		down = rnd_range(r, 1000, 20000);	/* one by one */
		up = rnd_range(r, 200, 800);
		tls_session(&cv, t + 200, a->index % 3 ?
		    "api.hik-connect.example" : "update.vendor-cloud.example",
		    up, down);
		tk->next += rnd_range(r, 240 * SEC, 600 * SEC);
		break;
	case TASK_ZK:
		if (a->zkreply++ == 0) {
			a->zksess = rnd64(r);
			t = tcp_open(&a->zk, t);
			zk_frame(&w, 1000, 0, 0, NULL);
		} else {
			snprintf(ev, sizeof(ev), "%05u\t%" PRIu64 "\t1\t0\t1",
			    (unsigned)rnd_range(r, 1, 9999), t / SEC);
			zk_frame(&w, 500, a->zksess, a->zkreply, ev);
		}
		zk_frame(&resp, 2000, a->zksess, a->zkreply, NULL);
		tcp_xchg(&a->zk, t, &w, &resp);
		tk->next += rnd_range(r, 10 * SEC, 60 * SEC);
		break;
	case TASK_ANPR:
		conv_init(&cv, c, &a->link, IPPROTO_TCP, a->ip, a->mac,
		    eport(c), a->nvr, a->gw, 80);
		t = tcp_open(&cv, t);
		snprintf(ev, sizeof(ev), "{\"plate\":\"XX%02u XXX\"}",
		    (unsigned)rnd_range(r, 10, 99));
		w.len = 0;
		put_fmt(&w, "POST /api/v1/anpr/events HTTP/1.1\r\nHost: %s\r\n"
		    "Content-Type: application/json\r\nContent-Length: %zu\r\n"
		    "\r\n%s", a->nvr, strlen(ev), ev);
		resp.len = 0;
		put_str(&resp, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
		t = tcp_xchg(&cv, t, &w, &resp);
		tcp_close(&cv, 1, t + 300);
		tk->next += rnd_range(r, 20 * SEC, 90 * SEC);
		break;
	}
}

/*
 * bench-site: napps appliances, mostly RTP video to NVRs, with DNS, NTP,
 * TLS, access-control and call-home traffic; npkt packets, snaplen 128.
 */
static void
bench_site(const char *path, uint64_t npkt, uint32_t napps)
{
	struct cap	 c;
	struct out	 o;
	struct taskq	 q;
	struct task	 tk;
	struct appl	*a;
	uint32_t	 i;

	cap_init(&c, seed_of("bench-site"), SNAP_BENCH);
	out_pcap(&o, path, DLT_EN10MB, SNAP_BENCH);
	memset(&q, 0, sizeof(q));
	if ((a = calloc(napps, sizeof(*a))) == NULL)
		err(1, "calloc");
	for (i = 0; i < napps; i++)
		appl_init(&c, &a[i], i, &q);
	while (o.count < npkt) {
		task_pop(&q, &tk);
		cap_drain(&c, &o, tk.next, npkt);
		if (o.count >= npkt)
			break;
		task_run(&c, &a[tk.appliance], &tk);
		task_push(&q, &tk);
	}
	out_close(&o, path);
	cap_free(&c);
	free(q.t);
	free(a);
}

/* A random outside address: documentation IPv4 or 2001:db8::/32. */
static void
bench_outside(uint64_t *r, int v6, char *buf, size_t len)
{
	static const char *nets[] = { "192.0.2", "198.51.100", "203.0.113" };
	uint64_t	 v = rnd64(r);

	if (v6)
		snprintf(buf, len, "2001:db8:%x:%x::%x",
		    (unsigned)(v & 0xffff), (unsigned)((v >> 16) & 0xffff),
		    (unsigned)((v >> 32) & 0xffff) | 1);
	else
		snprintf(buf, len, "%s.%u", nets[v % 3],
		    (unsigned)(1 + (v >> 8) % 254));
}

enum {
	FLOW_TCP,		/* handshake, exchanges, FIN close */
	FLOW_REJECT,		/* SYN answered by RST */
	FLOW_DNS,		/* query and answer */
	FLOW_UDP,		/* datagrams both ways */
	FLOW_SCAN,		/* inbound SYN answered by RST */
	FLOW_SYN,		/* one unanswered SYN */
	FLOW_ONEWAY		/* one UDP datagram */
};

/*
 * Picks the kind of the next bench-flows conversation so that flows
 * average per packets: the usual mix from 4.38 packets up, then fewer
 * full TCP sessions, then single-packet flows below two.
 */
static int
flow_kind(uint64_t *r, double per)
{
	static const int two[] = { FLOW_REJECT, FLOW_DNS, FLOW_SCAN };
	double		 u = (rnd64(r) >> 11) * (1.0 / 9007199254740992.0);
	unsigned	 k;

	if (per >= 0.55 * 6 + 0.45 * 2.4) {
		k = rnd64(r) % 100;
		return k < 55 ? FLOW_TCP : k < 65 ? FLOW_REJECT :
		    k < 85 ? FLOW_DNS : k < 95 ? FLOW_UDP : FLOW_SCAN;
	}
	if (per >= 2)
		return u < (per - 2) / 4 ? FLOW_TCP : two[rnd64(r) % 3];
	if (u < 2 - per)
		return rnd64(r) % 2 ? FLOW_SYN : FLOW_ONEWAY;
	return two[rnd64(r) % 3];
}

/* One short conversation of bench-flows starting at t. */
static void
bench_flow(struct cap *c, uint64_t t, int kind, uint16_t *ports,
    uint32_t nclients, unsigned maxx)
{
	static const uint16_t sports[] = { 443, 443, 443, 80, 8443, 1883,
	    8883, 5671 };
	static const uint16_t scans[] = { 22, 23, 80, 554, 8000, 37777 };
	uint64_t	*r = &c->rng;
	uint32_t	 k = rnd64(r) % nclients;
	int		 v6 = k % 10 == 0, i, n;
	char		 ip[INET6_ADDRSTRLEN], mac[18], out[INET6_ADDRSTRLEN];
	struct link	 l;
	struct conv	 cv;
	struct wbuf	 w, resp;
	uint16_t	 cport, sport;

	if (v6)
		snprintf(ip, sizeof(ip), "fd00:64::%x", k + 1);
	else
		snprintf(ip, sizeof(ip), "10.100.%u.%u", k / 250, 1 + k % 250);
	snprintf(mac, sizeof(mac), "44:19:b6:64:%02x:%02x", (k >> 8) & 0xff,
	    k & 0xff);
	link_vlan(&l, k % 4 ? 100 + k % 4 : 0);
	bench_outside(r, v6, out, sizeof(out));
	cport = ports[k];
	ports[k] = cport >= 60999 ? 32768 : cport + 1;

	switch (kind) {
	case FLOW_TCP:
		conv_init(&cv, c, &l, IPPROTO_TCP, ip, mac, cport, out,
		    GW40_MAC, sports[rnd64(r) % 8]);
		t = tcp_open(&cv, t);
		n = rnd_range(r, 0, maxx);
		for (i = 0; i < n; i++) {
			w.len = 0;
			put_pool(&w, c, rnd_range(r, 80, 600));
			resp.len = 0;
			put_pool(&resp, c, rnd_range(r, 100, 1400));
			t = tcp_xchg(&cv, t + rnd_range(r, 100, 5000), &w,
			    &resp);
		}
		tcp_close(&cv, 0, t + rnd_range(r, 100, 20000));
		break;
	case FLOW_REJECT:
	case FLOW_SYN:
		conv_init(&cv, c, &l, IPPROTO_TCP, ip, mac, cport, out,
		    GW40_MAC, sports[rnd64(r) % 8]);
		tcp_seg(&cv, 0, t, TH_SYN, NULL, 0);
		if (kind == FLOW_REJECT)
			tcp_seg(&cv, 1, t + turn(&cv, 0), TH_RST | TH_ACK,
			    NULL, 0);
		break;
	case FLOW_DNS:
		conv_init(&cv, c, &l, IPPROTO_UDP, ip, mac, cport, out,
		    GW40_MAC, 53);
		dns_lookup(&cv, t, dns_tab[rnd64(r) % 7].name,
		    v6 ? DNS_AAAA : DNS_A, dns_tab);
		break;
	case FLOW_UDP:
	case FLOW_ONEWAY:
		conv_init(&cv, c, &l, IPPROTO_UDP, ip, mac, cport, out,
		    GW40_MAC, rnd_range(r, 5000, 6000));
		n = kind == FLOW_UDP ? rnd_range(r, 1, 4) : 1;
		for (i = 0; i < n; i++) {
			w.len = 0;
			put_pool(&w, c, rnd_range(r, 60, 600));
			udp_send(&cv, 0, t, w.p, w.len);
			if (kind == FLOW_ONEWAY)
				break;
			t += turn(&cv, 0);
			udp_send(&cv, 1, t, w.p, w.len);
			t += rnd_range(r, 1000, 50000);
		}
		break;
	case FLOW_SCAN:
		/* inbound, answered with a reset */
		sport = scans[rnd64(r) % 6];		/* one by one */
		cport = (uint16_t)rnd_range(r, 1024, 65535);
		conv_init(&cv, c, &l, IPPROTO_TCP, out, GW40_MAC, cport, ip,
		    mac, sport);
		tcp_seg(&cv, 0, t, TH_SYN, NULL, 0);
		tcp_seg(&cv, 1, t + rnd_range(r, 30, 200), TH_RST | TH_ACK,
		    NULL, 0);
		break;
	}
}

/* bench-flows: about nflows short conversations in npkt packets. */
static void
bench_flows(const char *path, uint64_t npkt, uint64_t nflows)
{
	struct cap	 c;
	struct out	 o;
	uint16_t	*ports;
	uint32_t	 nclients = 4000, i;
	uint64_t	 t = T0, gap;
	double		 per = (double)npkt / nflows, x;
	unsigned	 maxx;

	/* full mix: 0.55 (6 + 3x) + 0.45 * 2.4 packets per flow */
	x = (per - 0.55 * 6 - 0.45 * 2.4) / (0.55 * 3);
	maxx = x > 0 ? (unsigned)(2 * x + 0.5) : 0;
	gap = 300 * SEC / nflows;
	if (gap == 0)
		gap = 1;

	cap_init(&c, seed_of("bench-flows"), SNAP_BENCH);
	out_pcap(&o, path, DLT_EN10MB, SNAP_BENCH);
	ports = xmalloc(nclients * sizeof(*ports));
	for (i = 0; i < nclients; i++)
		ports[i] = rnd_range(&c.rng, 32768, 60999);
	while (o.count < npkt) {
		cap_drain(&c, &o, t, npkt);
		if (o.count >= npkt)
			break;
		bench_flow(&c, t, flow_kind(&c.rng, per), ports, nclients,
		    maxx);
		t += rnd_range(&c.rng, 0, 2 * gap);
	}
	out_close(&o, path);
	cap_free(&c);
	free(ports);
}

/*
 * Beacon scenarios: "pcapgen beacon NAME SEED FILE" writes one site with
 * one behaviour of its appliance BC_IP (a camera on VLAN 20), and a
 * little unrelated background: camera .11 polls the site's NTP server and
 * asks the site's resolver now and then.  Every check-in is real traffic:
 * a DNS look-up through the site resolver when the cached answer ran out
 * (its TTL is 300 s), a TCP handshake, a TLS session with SNI or an HTTP
 * GET, and a FIN; its timing comes from the scenario's distribution, drawn
 * from the capture's splitmix64 generator seeded by the scenario's name
 * and SEED.  "pcapgen beacon list" prints each scenario, what egressd must
 * make of it (alert, none, approved) and the grouping the alert must name
 * ("-" when any will do).  tests/beacon/captures.sh runs them.
 */

#define HOUR		(60 * MIN)
#define BC_IP		"10.20.1.21"
#define BC_MAC		"44:19:b6:2a:01:15"
#define BC_NAMES	8

enum { BC_ALERT, BC_NONE, BC_APPROVED };
enum { CI_HTTP, CI_TLS, CI_RAW };
enum { JT_CS, JT_EMPIRE, JT_SLIVER, JT_NTP, JT_FIXED };

/* A call-home loop: everything a timer can vary. */
struct btimer {
	double		 period;	/* s */
	double		 jitter;	/* fraction */
	int		 style;
	double		 missed;	/* share of check-ins lost */
	double		 drift;		/* period growth per check-in */
	int		 split;		/* connections per check-in */
	int		 outage_after;	/* check-ins before a 2 h outage */
	int		 office;	/* only 08:00-18:00 */
	int		 proto;		/* CI_* */
	int		 resolve;	/* look the name up every check-in */
	int		 varied;	/* response sizes vary */
	const char	*name;		/* NULL: no name anywhere */
	const char	*addrs[16];	/* the pool; one for a fixed address */
	double		 span;		/* s */
};

/* The beacon appliance's view of the site while a scenario runs. */
struct bc {
	struct cap		*c;
	struct link		 l;
	const struct sitedev	*d;
	uint64_t		 end;
	const char		*cname[BC_NAMES];	/* cached look-ups */
	const char		*caddr[BC_NAMES];
	uint64_t		 cuntil[BC_NAMES];
	uint32_t		 seq;
};

/* A beacon scenario. */
struct bscen {
	const char	*name;
	int		 expect;	/* BC_* */
	const char	*group;		/* the alert's group_by, or "-" */
	void		(*gen)(struct bc *, const struct btimer *);
	struct btimer	 t;
	const char	*what;
};

static const struct sitedev bc_dev = { BC_IP, BC_MAC, 20, GW20_MAC };

/* Uniform in [0, 1). */
static double
rnd_u01(uint64_t *s)
{
	return (rnd64(s) >> 11) * (1.0 / 9007199254740992.0);
}

/* Exponential with a mean. */
static double
rnd_exp(uint64_t *s, double mean)
{
	return -mean * log(1.0 - rnd_u01(s));
}

/* Standard normal (Box-Muller, one of the pair). */
static double
rnd_norm(uint64_t *s)
{
	double	u, v;

	/* Two draws in a fixed order (an expression would leave it open). */
	u = rnd_u01(s);
	v = rnd_u01(s);
	return sqrt(-2 * log(1.0 - u)) * cos(2 * M_PI * v);
}

/* Seconds to microseconds. */
static uint64_t
usec(double s)
{
	return (uint64_t)llround(s * 1e6);
}

/*
 * The address of name for the appliance at t: the cached answer, or a
 * look-up through the site resolver answering addr (always when force).
 * Returns when the appliance can connect; *out is the address to use.
 */
static uint64_t
bc_resolve(struct bc *b, uint64_t t, const char *name, const char *addr,
    int force, const char **out)
{
	struct dnsent	 tab[2];
	struct conv	 cv;
	int		 i, free_i = -1;

	for (i = 0; i < BC_NAMES; i++) {
		if (b->cname[i] == NULL || b->cuntil[i] <= t) {
			if (free_i == -1)
				free_i = i;
			continue;
		}
		if (strcmp(b->cname[i], name) == 0 && !force) {
			*out = b->caddr[i];
			return t;
		}
		if (strcmp(b->cname[i], name) == 0)
			free_i = i;
	}
	if (free_i == -1)
		free_i = 0;
	memset(tab, 0, sizeof(tab));
	tab[0].name = name;
	tab[0].a = addr;
	conv_init(&cv, b->c, &b->l, IPPROTO_UDP, b->d->ip, b->d->mac,
	    eport(b->c), RES_IP, RES_MAC, 53);
	t = dns_lookup(&cv, t, name, DNS_A, tab);
	b->cname[free_i] = name;
	b->caddr[free_i] = addr;
	b->cuntil[free_i] = t + 300 * SEC;
	*out = addr;
	return t + rnd_range(&b->c->rng, 200, 3 * MSEC);
}

/*
 * One connection of a check-in at t to name (or a bare addr): TLS with
 * SNI on 443, an HTTP GET on 80, or a binary exchange on 8443; closed by
 * the client with a FIN.
 */
static void
bc_connect(struct bc *b, uint64_t t, int proto, const char *name,
    const char *addr, size_t up, size_t down)
{
	static const char *paths[] = { "/jquery-3.3.1.min.js", "/pixel.gif",
	    "/api/v2/status", "/updates/check", "/ga.js" };
	struct cap	*c = b->c;
	struct conv	 cv;
	struct wbuf	 req, resp;

	switch (proto) {
	case CI_TLS:
		conv_init(&cv, c, &b->l, IPPROTO_TCP, b->d->ip, b->d->mac,
		    eport(c), addr, b->d->gw, 443);
		t = tcp_open(&cv, t);
		tls_session(&cv, t + rnd_range(&c->rng, 100, 600), name, up,
		    down);
		break;
	case CI_HTTP:
		conv_init(&cv, c, &b->l, IPPROTO_TCP, b->d->ip, b->d->mac,
		    eport(c), addr, b->d->gw, 80);
		http_get(&cv, t, name != NULL ? name : addr,
		    paths[rnd64(&c->rng) % 5],
		    "Mozilla/5.0 (Windows NT 6.1; WOW64; Trident/7.0; rv:11.0)"
		    " like Gecko", down);
		break;
	default:
		conv_init(&cv, c, &b->l, IPPROTO_TCP, b->d->ip, b->d->mac,
		    eport(c), addr, b->d->gw, 8443);
		t = tcp_open(&cv, t);
		req.len = 0;
		put_u32(&req, 0x48420001);
		put_u32(&req, ++b->seq);
		put_pool(&req, c, up);
		resp.len = 0;
		put_u32(&resp, 0x48428001);
		put_u32(&resp, b->seq);
		put_pool(&resp, c, down);
		t = tcp_xchg(&cv, t + rnd_range(&c->rng, 50, 300), &req, &resp);
		tcp_close(&cv, 0, t + rnd_range(&c->rng, 100, 2000));
		break;
	}
}

/* Bytes of a response: about 300, or log-uniform from 100 B to 20 kB. */
static size_t
bc_size(struct bc *b, int varied)
{
	if (varied)
		return (size_t)(100 * exp(rnd_u01(&b->c->rng) * log(200.0)));
	return rnd_range(&b->c->rng, 290, 310);
}

/*
 * One check-in at t to name or to a bare address: resolved (from the
 * cache unless the timer looks up every time), then split connections
 * within a second.
 */
static void
bc_checkin(struct bc *b, const struct btimer *tm, uint64_t t,
    const char *addr)
{
	const char	*a = addr;
	size_t		 size;
	int		 i, n = tm->split > 1 ? tm->split : 1;

	if (tm->name != NULL)
		t = bc_resolve(b, t, tm->name, addr, tm->resolve, &a);
	for (i = 0; i < n; i++) {
		if (i > 0)
			t += rnd_range(&b->c->rng, 100 * MSEC, 450 * MSEC);
		size = bc_size(b, tm->varied);		/* one by one */
		bc_connect(b, t, tm->proto, tm->name, a,
		    rnd_range(&b->c->rng, 120, 160), size);
	}
}

/* The next sleep of a timer, s; k counts the sleeps so far. */
static double
bc_sleep(struct bc *b, const struct btimer *tm, double period, int k)
{
	uint64_t	*r = &b->c->rng;

	switch (tm->style) {
	case JT_EMPIRE:
		return period * (1 + tm->jitter * (2 * rnd_u01(r) - 1));
	case JT_SLIVER:
		return period + tm->jitter * period * rnd_u01(r);
	case JT_NTP:
		return 64.0 * (1 << (k / 16 < 4 ? k / 16 : 4)) *
		    (1 + 0.02 * (rnd_u01(r) - 0.5));
	case JT_FIXED:
		return period * (1 + tm->jitter * (2 * rnd_u01(r) - 1));
	default:
		return period * (1 - tm->jitter * rnd_u01(r));
	}
}

/* Is t within office hours (08:00 to 18:00 UTC)? */
static int
bc_office(uint64_t t)
{
	uint64_t	 tod = (t / SEC) % 86400;

	return tod >= 8 * 3600 && tod < 18 * 3600;
}

/* A call-home loop from start until the end of the capture. */
static void
bc_timer_from(struct bc *b, const struct btimer *tm, uint64_t start)
{
	uint64_t	*r = &b->c->rng, t;
	double		 period = tm->period, at = 0;
	const char	*addr, *last = NULL;
	int		 k, npool;

	for (npool = 0; npool < 16 && tm->addrs[npool] != NULL; npool++)
		;
	for (k = 0;; k++) {
		at += bc_sleep(b, tm, period, k);
		period *= 1 + tm->drift;
		if (tm->outage_after > 0 && k == tm->outage_after)
			at += 2 * 3600;
		t = start + usec(at);
		if (t + 5 * SEC >= b->end)
			break;
		if (rnd_u01(r) < tm->missed || (tm->office && !bc_office(t)))
			continue;
		/* a pool answers another address than last time */
		do
			addr = tm->addrs[rnd64(r) % npool];
		while (npool > 1 && addr == last);
		last = addr;
		bc_checkin(b, tm, t, addr);
	}
}

/* A timer from a random phase of its first period. */
static void
bc_timer(struct bc *b, const struct btimer *tm)
{
	bc_timer_from(b, tm, T0 + 20 * SEC + usec(rnd_u01(&b->c->rng) *
	    (tm->period < 600 ? tm->period : 600)));
}

/*
 * Someone's occasional use of the same service (a connection every ten
 * minutes on average, all along), and from the second hour on a beacon.
 */
static void
bc_midcapture(struct bc *b, const struct btimer *tm)
{
	struct btimer	 other = *tm;
	double		 at = 0;

	other.varied = 1;
	for (;;) {
		at += rnd_exp(&b->c->rng, 600);
		if (T0 + usec(at) + 5 * SEC >= b->end)
			break;
		bc_checkin(b, &other, T0 + usec(at), tm->addrs[0]);
	}
	bc_timer_from(b, tm, T0 + 2 * HOUR);
}

/* Opens TLS on a connected conversation: hellos and the handshake. */
static uint64_t
bc_tls_open(struct conv *cv, uint64_t t, const char *sni)
{
	t = tls_handshake(cv, t, sni, NULL);
	tcp_ack(cv, 1, t);
	return t;
}

/*
 * A beacon inside one TLS connection kept open: a small request record
 * from the appliance every period +- jitter, a reply, an ACK.
 */
static void
bc_tls_keepalive(struct bc *b, const struct btimer *tm)
{
	struct cap	*c = b->c;
	struct conv	 cv;
	struct wbuf	 w;
	const char	*a;
	uint64_t	 t = T0 + 20 * SEC, tp, last;

	t = bc_resolve(b, t, tm->name, tm->addrs[0], 0, &a);
	conv_init(&cv, c, &b->l, IPPROTO_TCP, b->d->ip, b->d->mac, eport(c),
	    a, b->d->gw, 443);
	t = bc_tls_open(&cv, tcp_open(&cv, t), tm->name);
	for (tp = last = t;;) {
		tp += usec(bc_sleep(b, tm, tm->period, 0));
		if (tp + 10 * SEC >= b->end)
			break;
		w.len = 0;
		tls_appdata(&w, c, rnd_range(&c->rng, 60, 120));
		t = tcp_send(&cv, 0, tp, w.p, w.len);
		t += turn(&cv, 0);
		w.len = 0;
		tls_appdata(&w, c, rnd_range(&c->rng, 100, 300));
		t = tcp_send(&cv, 1, t, w.p, w.len);
		last = t + turn(&cv, 1);
		tcp_ack(&cv, 0, last);
	}
	w.len = 0;
	tls_appdata(&w, c, 19);
	t = tcp_send(&cv, 0, last + SEC, w.p, w.len);
	tcp_close(&cv, 0, t + rnd_range(&c->rng, 20, 80));
}

/* A UDP keep-alive on one 5-tuple: a datagram and its answer. */
static void
bc_udp_keepalive(struct bc *b, const struct btimer *tm)
{
	struct cap	*c = b->c;
	struct conv	 cv;
	struct wbuf	 w;
	const char	*a;
	uint64_t	 t = T0 + 20 * SEC;
	uint32_t	 n = 0;

	t = bc_resolve(b, t, tm->name, tm->addrs[0], 0, &a);
	conv_init(&cv, c, &b->l, IPPROTO_UDP, b->d->ip, b->d->mac, eport(c),
	    a, b->d->gw, 6060);
	for (t += MSEC; t + 5 * SEC < b->end;
	    t += usec(bc_sleep(b, tm, tm->period, 0))) {
		w.len = 0;
		put_u32(&w, 0x4b410001);	/* "KA" hello */
		put_u32(&w, ++n);
		put_pool(&w, c, 12);
		udp_send(&cv, 0, t, w.p, w.len);
		w.len = 0;
		put_u32(&w, 0x4b418001);
		put_u32(&w, n);
		put_pool(&w, c, 12);
		udp_send(&cv, 1, t + turn(&cv, 0), w.p, w.len);
	}
}

/* Gaps drawn from an exponential (style JT_FIXED) or a lognormal. */
static void
bc_gaps(struct bc *b, const struct btimer *tm, int lognormal)
{
	uint64_t	*r = &b->c->rng, t;
	double		 at = 0;

	for (;;) {
		if (lognormal)		/* median period, sigma 1.5 */
			at += tm->period * exp(1.5 * rnd_norm(r));
		else
			at += rnd_exp(r, tm->period);
		t = T0 + usec(at);
		if (t + 5 * SEC >= b->end)
			break;
		bc_checkin(b, tm, t, tm->addrs[0]);
	}
}

/* Poisson arrivals. */
static void
bc_poisson(struct bc *b, const struct btimer *tm)
{
	bc_gaps(b, tm, 0);
}

/* Lognormal gaps. */
static void
bc_lognormal(struct bc *b, const struct btimer *tm)
{
	bc_gaps(b, tm, 1);
}

/*
 * A person at the appliance's browser: sessions at random times of the
 * waking day, each some minutes of page loads (one to three connections
 * within a second, to a few names of one site) with lognormal think times
 * around 30 s, then a long random silence.
 */
static void
bc_human(struct bc *b, const struct btimer *tm)
{
	static const char *names[] = { "portal.example.com",
	    "static.example.com", "api.example.com", "fonts.example.net" };
	static const char *addrs[] = { "198.51.100.80", "198.51.100.81",
	    "203.0.113.82", "192.0.2.83" };
	struct btimer	 page = *tm;
	uint64_t	*r = &b->c->rng;
	double		 at = 0, end, t;
	int		 k;

	for (;;) {
		at += rnd_exp(r, 2 * 3600);
		if (fmod(at + 8 * 3600, 86400) < 7 * 3600)
			at += 7 * 3600 - fmod(at + 8 * 3600, 86400);
		if (T0 + usec(at) + 5 * SEC >= b->end)
			break;
		end = at + rnd_exp(r, 15 * 60);
		for (t = at; t < end && T0 + usec(t) + 5 * SEC < b->end;
		    t += 30 * exp(0.8 * rnd_norm(r))) {
			k = rnd64(r) % 4;
			page.name = names[k];
			page.split = 1 + rnd64(r) % 3;
			bc_checkin(b, &page, T0 + usec(t), addrs[k]);
		}
		at = end;
	}
}

/*
 * SYN retry storms to a dead server: at random times the appliance
 * tries to connect, the kernel retransmits the SYN after 1, 2, 4 and 8 s
 * and gives up; the application tries again 0.5 to 3 s later, one to
 * five times in all.
 */
static void
bc_storms(struct bc *b, const struct btimer *tm)
{
	static const double rtx[] = { 0, 1, 3, 7, 15 };
	uint64_t	*r = &b->c->rng, t;
	struct conv	 cv;
	const char	*a;
	double		 at = 0, ta;
	int		 i, j, n;

	for (;;) {
		at += rnd_exp(r, 20 * 60);
		if (T0 + usec(at) + 120 * SEC >= b->end)
			break;
		t = bc_resolve(b, T0 + usec(at), tm->name, tm->addrs[0], 0,
		    &a);
		ta = (double)(t - T0) / SEC;
		n = 1 + rnd64(r) % 5;
		for (i = 0; i < n; i++) {
			conv_init(&cv, b->c, &b->l, IPPROTO_TCP, b->d->ip,
			    b->d->mac, eport(b->c), a, b->d->gw, 443);
			for (j = 0; j < 5; j++) {
				tcp_seg(&cv, 0, T0 + usec(ta + rtx[j]) +
				    rnd_range(r, 0, 3 * MSEC), TH_SYN, NULL, 0);
				cv.ep[0].seq--;		/* the same SYN again */
			}
			ta += rtx[4] + 0.5 + 2.5 * rnd_u01(r);
		}
		at = ta;
	}
}

/*
 * One long transfer: a TLS connection over which the appliance streams
 * for an hour, a record every 0.8 to 1.6 s (never 2 s of quiet), the
 * server acknowledging every second one.
 */
static void
bc_transfer(struct bc *b, const struct btimer *tm)
{
	struct cap	*c = b->c;
	struct conv	 cv;
	struct wbuf	 w;
	const char	*a;
	uint64_t	 t = T0 + 60 * SEC, stop = t + HOUR;
	int		 n = 0;

	t = bc_resolve(b, t, tm->name, tm->addrs[0], 0, &a);
	conv_init(&cv, c, &b->l, IPPROTO_TCP, b->d->ip, b->d->mac, eport(c),
	    a, b->d->gw, 443);
	t = bc_tls_open(&cv, tcp_open(&cv, t), tm->name);
	while (t < stop) {
		t += rnd_range(&c->rng, 800 * MSEC, 1600 * MSEC);
		w.len = 0;
		tls_appdata(&w, c, rnd_range(&c->rng, 100, 600));
		t = tcp_send(&cv, 0, t, w.p, w.len);
		if (++n % 2 == 0)
			tcp_ack(&cv, 1, t + turn(&cv, 0));
	}
	tcp_close(&cv, 0, t + 200 * MSEC);
}

/* Random timing: connections at uniform times, sizes anywhere. */
static void
bc_random(struct bc *b, const struct btimer *tm)
{
	uint64_t	*r = &b->c->rng, span = b->end - T0 - 10 * SEC;
	int		 i;

	for (i = 0; i < 300; i++)
		bc_checkin(b, tm, T0 + rnd64(r) % span, tm->addrs[0]);
}

/* Event bursts: 20 connections within 10 s, in half of the hours. */
static void
bc_bursts(struct bc *b, const struct btimer *tm)
{
	uint64_t	*r = &b->c->rng, h, t0;
	int		 i;

	for (h = T0; h + HOUR <= b->end; h += HOUR) {
		if (rnd64(r) % 2)
			continue;
		t0 = h + rnd64(r) % (HOUR - 20 * SEC);
		for (i = 0; i < 20; i++)
			bc_checkin(b, tm, t0 + rnd64(r) % (10 * SEC),
			    tm->addrs[0]);
	}
}

/* NTP to an outside server, the poll interval doubling from 64 s. */
static void
bc_ntp(struct bc *b, const struct btimer *tm)
{
	struct conv	 cv;
	uint64_t	 t = T0 + 20 * SEC;
	int		 k;

	conv_init(&cv, b->c, &b->l, IPPROTO_UDP, b->d->ip, b->d->mac, 123,
	    tm->addrs[0], b->d->gw, 123);
	for (k = 0; t + 5 * SEC < b->end; k++) {
		ntp_exchange(&cv, t);
		t += usec(bc_sleep(b, tm, tm->period, k));
	}
}

/* Unrelated background: camera .11's NTP and DNS, all to the site. */
static void
bc_background(struct cap *c, uint64_t end)
{
	const struct sitedev *d = &site_devs[CAM11];
	uint64_t	 t;

	site_ntp(c, d, T0 + 3 * SEC, end);
	for (t = T0 + 10 * SEC; t + 5 * SEC < end;
	    t += rnd_range(&c->rng, 240 * SEC, 360 * SEC))
		site_lookup(c, d, t, "api.hik-connect.example", 1);
}

/* The C2 of most scenarios, and a Cobalt Strike HTTP timer to it. */
#define C2		.name = "cdn.beacon-c2.example", \
			    .addrs = { "203.0.113.66" }
#define CSH(p, j, m, h)	{ .proto = CI_HTTP, C2, .period = (p), \
			    .jitter = (j), .missed = (m), .span = (h) * 3600.0 }

static const struct bscen bscens[] = {
	{ "cs60-j0-m0", BC_ALERT, "-", bc_timer, CSH(60, 0, 0, 1),
	    "Cobalt Strike HTTP beacon, 60 s, no jitter" },
	{ "cs60-j0-m30", BC_ALERT, "-", bc_timer, CSH(60, 0, .3, 2),
	    "60 s, no jitter, 30% of check-ins missed" },
	{ "cs60-j25-m0", BC_ALERT, "-", bc_timer, CSH(60, .25, 0, 2),
	    "60 s, jitter 25%" },
	{ "cs60-j25-m30", BC_ALERT, "-", bc_timer, CSH(60, .25, .3, 3),
	    "60 s, jitter 25%, 30% missed" },
	{ "cs60-j50-m0", BC_ALERT, "-", bc_timer, CSH(60, .5, 0, 3),
	    "60 s, jitter 50%" },
	{ "cs60-j50-m30", BC_ALERT, "-", bc_timer, CSH(60, .5, .3, 6),
	    "60 s, jitter 50%, 30% missed" },
	{ "cs5-j20", BC_ALERT, "-", bc_timer, CSH(5, .2, 0, .25),
	    "5 s, jitter 20%, 15 minutes" },
	{ "cs15m-j25", BC_ALERT, "-", bc_timer, CSH(900, .25, 0, 12),
	    "15 min, jitter 25%, 12 hours" },
	{ "cs1h-j20", BC_ALERT, "-", bc_timer, CSH(3600, .2, 0, 24),
	    "1 h, jitter 20%, 24 hours" },
	{ "sliver-60+30", BC_ALERT, "-", bc_timer,
	    { .proto = CI_TLS, C2, .period = 60, .jitter = .5,
	    .style = JT_SLIVER, .span = 3 * 3600.0 },
	    "Sliver HTTPS, 60 s plus up to 30 s" },
	{ "empire-60+-50", BC_ALERT, "-", bc_timer,
	    { .proto = CI_TLS, C2, .period = 60, .jitter = .5,
	    .style = JT_EMPIRE, .span = 4 * 3600.0 },
	    "Empire HTTPS, 60 s +-50%" },
	{ "tls-keepalive", BC_ALERT, "-", bc_tls_keepalive,
	    { .proto = CI_TLS, C2, .period = 60, .jitter = .1,
	    .style = JT_FIXED, .span = 3600.0 },
	    "polls inside one TLS connection, 60 s +-10%" },
	{ "udp-keepalive", BC_ALERT, "-", bc_udp_keepalive,
	    { .name = "relay.p2p-cam.example", .addrs = { "198.51.100.9" },
	    .period = 30, .jitter = .1, .style = JT_FIXED, .span = 3600.0 },
	    "UDP keep-alive on one 5-tuple, 30 s +-10%" },
	{ "rotate-name", BC_ALERT, "name", bc_timer,
	    { .proto = CI_TLS, .resolve = 1, .period = 60, .jitter = .25,
	    .span = 2 * 3600.0, .name = "cdn.beacon-c2.example",
	    .addrs = { "203.0.113.11", "203.0.113.12", "203.0.113.13",
	    "203.0.113.14", "203.0.113.15", "203.0.113.16", "203.0.113.17",
	    "203.0.113.18" } },
	    "resolves before each check-in, 8 addresses, 60 s 25%" },
	{ "cdn-asns", BC_ALERT, "name", bc_timer,
	    { .proto = CI_TLS, .resolve = 1, .period = 60, .jitter = .25,
	    .span = 2 * 3600.0, .name = "edge.cdn-c2.example",
	    .addrs = { "198.51.100.31", "198.51.100.32", "198.51.100.33",
	    "203.0.113.131", "203.0.113.132", "203.0.113.133",
	    "192.0.2.31", "192.0.2.32", "192.0.2.33" } },
	    "one CDN name over AS64502, AS64501 and AS64503" },
	{ "rotate-asn", BC_ALERT, "asn", bc_timer,
	    { .proto = CI_RAW, .period = 60, .jitter = .25,
	    .span = 2 * 3600.0, .addrs = { "203.0.113.141", "203.0.113.142",
	    "203.0.113.143", "203.0.113.144", "203.0.113.145",
	    "203.0.113.146", "203.0.113.147", "203.0.113.148" } },
	    "bare addresses rotating in AS64501, no name" },
	{ "midcapture", BC_ALERT, "-", bc_midcapture, CSH(60, .25, 0, 4),
	    "other traffic to the same place, beacon from the 2nd hour" },
	{ "outage-2h", BC_ALERT, "-", bc_timer,
	    { .proto = CI_HTTP, C2, .period = 60, .jitter = .25,
	    .missed = .1, .outage_after = 5, .span = 4.5 * 3600 },
	    "60 s 25%, 2 h outage after 5 check-ins" },
	{ "office-hours", BC_ALERT, "-", bc_timer,
	    { .proto = CI_HTTP, C2, .period = 300, .jitter = .2, .office = 1,
	    .span = 48 * 3600.0 },
	    "5 min 20%, only 08:00-18:00, two days" },
	{ "split3", BC_ALERT, "-", bc_timer,
	    { .proto = CI_HTTP, C2, .period = 60, .jitter = .25, .split = 3,
	    .varied = 1, .span = 1.5 * 3600 },
	    "each check-in 3 connections within 1 s" },
	{ "drift", BC_ALERT, "-", bc_timer,
	    { .proto = CI_HTTP, C2, .period = 60, .drift = .001,
	    .span = 3 * 3600.0 },
	    "60 s growing 0.1% per check-in" },
	{ "poisson60", BC_NONE, "-", bc_poisson,
	    { .proto = CI_HTTP, C2, .period = 60, .span = 12 * 3600.0 },
	    "Poisson, mean 60 s, constant sizes" },
	{ "lognormal", BC_NONE, "-", bc_lognormal,
	    { .proto = CI_HTTP, C2, .period = 60, .span = 24 * 3600.0 },
	    "lognormal gaps, median 60 s, sigma 1.5" },
	{ "human", BC_NONE, "-", bc_human,
	    { .proto = CI_HTTP, C2, .span = 24 * 3600.0 },
	    "on/off browsing sessions to four names" },
	{ "syn-storms", BC_NONE, "-", bc_storms,
	    { .name = "telemetry.dead-vendor.example",
	    .addrs = { "192.0.2.200" }, .span = 24 * 3600.0 },
	    "SYN retransmitted after 1, 2, 4, 8 s, at random times" },
	{ "long-transfer", BC_NONE, "-", bc_transfer,
	    { .name = "backup.example.org", .addrs = { "198.51.100.200" },
	    .span = 3900.0 },
	    "one TLS connection streaming for an hour" },
	{ "random-sizes", BC_NONE, "-", bc_random,
	    { .proto = CI_HTTP, C2, .varied = 1, .span = 24 * 3600.0 },
	    "300 connections at random times, 100 B to 20 kB" },
	{ "bursts", BC_NONE, "-", bc_bursts,
	    { .proto = CI_HTTP, C2, .span = 48 * 3600.0 },
	    "20 connections in 10 s, in random hours" },
	{ "ntp-doubling", BC_APPROVED, "-", bc_ntp,
	    { .style = JT_NTP, .period = 64, .addrs = { "192.0.2.123" },
	    .span = 24 * 3600.0 },
	    "NTP to an outside server, 64 s doubling to 1024 s" },
	{ "vendor-10s", BC_APPROVED, "-", bc_timer,
	    { .proto = CI_TLS, .period = 10, .jitter = .05,
	    .style = JT_FIXED, .name = "hb.vendor-cloud.example",
	    .addrs = { "203.0.113.60" }, .span = 1800.0 },
	    "vendor heartbeat every 10 s to an approved domain" },
	{ "cloud-5min", BC_APPROVED, "-", bc_timer,
	    { .proto = CI_TLS, .period = 300, .jitter = .1,
	    .style = JT_FIXED, .name = "status.cam-cloud.example",
	    .addrs = { "198.51.100.70" }, .span = 12 * 3600.0 },
	    "cloud heartbeat every 5 min to an approved domain" },
	{ NULL, 0, NULL, NULL, { .span = 0 }, NULL }
};

/* pcapgen beacon list: name, expectation, grouping, description. */
static void
beacon_list(void)
{
	static const char *expect[] = { "alert", "none", "approved" };
	const struct bscen *s;

	for (s = bscens; s->name != NULL; s++)
		printf("%s\t%s\t%s\t%s\t%s\n", s->name, expect[s->expect],
		    s->group, BC_IP, s->what);
}

/* pcapgen beacon NAME SEED FILE: one scenario as an Ethernet capture. */
static void
beacon_write(const char *name, uint64_t seed, const char *path)
{
	const struct bscen *s;
	struct cap	 c;
	struct out	 o;
	struct bc	 b;

	for (s = bscens; s->name != NULL; s++)
		if (strcmp(s->name, name) == 0)
			break;
	if (s->name == NULL)
		errx(1, "unknown beacon scenario %s", name);
	cap_init(&c, seed_of(name) ^ (seed * 0x9e3779b97f4a7c15ULL),
	    SNAP_FULL);
	memset(&b, 0, sizeof(b));
	b.c = &c;
	b.d = &bc_dev;
	link_vlan(&b.l, bc_dev.vlan);
	b.end = T0 + usec(s->t.span);
	bc_background(&c, b.end);
	s->gen(&b, &s->t);
	out_pcap(&o, path, DLT_EN10MB, SNAP_FULL);
	cap_drain(&c, &o, UINT64_MAX, UINT64_MAX);
	out_close(&o, path);
	cap_free(&c);
}

static const struct capfile capfiles[] = {
	{ "site-demo.pcap", gen_site_demo, DLT_EN10MB, SNAP_FULL, FMT_PCAP },
	{ "link-sll.pcap", gen_link_sll, DLT_LINUX_SLL, SNAP_FULL, FMT_PCAP },
	{ "link-sll2.pcap", gen_link_sll2, DLT_LINUX_SLL2, SNAP_FULL,
	    FMT_PCAP },
	{ "link-raw.pcap", gen_link_raw, DLT_RAW, SNAP_FULL, FMT_PCAP },
	{ "link-ipv4.pcap", gen_link_ipv4, DLT_IPV4, SNAP_FULL, FMT_PCAP },
	{ "link-ipv6.pcap", gen_link_ipv6, DLT_IPV6, SNAP_FULL, FMT_PCAP },
	{ "link-null.pcap", gen_link_null, DLT_NULL, SNAP_FULL, FMT_PCAP },
	{ "link-loop.pcap", gen_link_loop, DLT_LOOP, SNAP_FULL, FMT_PCAP },
	{ "vlan-qinq.pcap", gen_vlan, DLT_EN10MB, SNAP_FULL, FMT_PCAP },
	{ "erspan.pcap", gen_erspan, DLT_EN10MB, SNAP_FULL, FMT_PCAP },
	{ "vxlan.pcap", gen_vxlan, DLT_EN10MB, SNAP_FULL, FMT_PCAP },
	{ "frag.pcap", gen_frag, DLT_EN10MB, SNAP_FULL, FMT_PCAP },
	{ "ipv6-ext.pcap", gen_ipv6_ext, DLT_EN10MB, SNAP_FULL, FMT_PCAP },
	{ "snaplen.pcap", gen_snaplen, DLT_EN10MB, 64, FMT_PCAP },
	{ "duplicates.pcap", gen_dup, DLT_EN10MB, SNAP_FULL, FMT_PCAP },
	{ "malformed.pcap", gen_malformed, DLT_EN10MB, SNAP_FULL, FMT_PCAP },
	{ "cut.pcap", gen_cut, DLT_EN10MB, SNAP_FULL, FMT_CUT },
	{ "pcapng.pcapng", gen_pcapng, DLT_EN10MB, SNAP_FULL, FMT_PCAPNG },
	{ "pcapng-mixed.pcapng", gen_pcapng_mixed, DLT_EN10MB, SNAP_FULL,
	    FMT_PCAPNG_MIX },
	{ "tcp-states.pcap", gen_tcp_states, DLT_EN10MB, SNAP_FULL, FMT_PCAP },
	{ "dns-tcp.pcap", gen_dns_tcp, DLT_EN10MB, SNAP_FULL, FMT_PCAP },
	{ "policy.pcap", gen_policy, DLT_EN10MB, SNAP_FULL, FMT_PCAP },
	{ "quic.pcap", gen_quic, DLT_EN10MB, SNAP_FULL, FMT_PCAP },
	{ NULL, NULL, 0, 0, 0 }
};

/* Finds a bundled capture by file name, with or without extension. */
static const struct capfile *
capfile_find(const char *name)
{
	const struct capfile *cf;
	size_t		 n;

	for (cf = capfiles; cf->name != NULL; cf++) {
		n = strcspn(cf->name, ".");
		if (strcmp(cf->name, name) == 0 ||
		    (strlen(name) == n && strncmp(cf->name, name, n) == 0))
			return cf;
	}
	return NULL;
}

/* Generates one bundled capture into path. */
static void
capfile_write(const struct capfile *cf, const char *path)
{
	static const struct ng_iface two_eth[] = {
		{ "eth0", DLT_EN10MB, SNAP_FULL, 0 },
		{ "eth1", DLT_EN10MB, SNAP_FULL, 0 },
	};
	static const struct ng_iface mixed[] = {
		{ "usbmon0", 220, SNAP_FULL, 0 },	/* USB_LINUX_MMAPPED */
		{ "eth0", DLT_EN10MB, SNAP_FULL, 0 },
		{ "tun0", 101, 96, 1 },			/* LINKTYPE_RAW */
		{ "any", DLT_LINUX_SLL2, SNAP_FULL, 0 },
	};
	struct cap	 c;
	struct out	 o;
	struct stat	 st;

	cap_init(&c, seed_of(cf->name), cf->snaplen);
	cf->gen(&c);
	if (cf->fmt == FMT_PCAPNG)
		out_pcapng(&o, path, two_eth, 2);
	else if (cf->fmt == FMT_PCAPNG_MIX)
		out_pcapng(&o, path, mixed, 4);
	else
		out_pcap(&o, path, cf->dlt, cf->snaplen);
	cap_drain(&c, &o, UINT64_MAX, UINT64_MAX);
	out_close(&o, path);
	cap_free(&c);
	if (cf->fmt != FMT_CUT)
		return;
	/* keep the last record's header and CUT_KEEP of its bytes */
	if (o.lastcap != CUT_CAPLEN)
		errx(1, "%s: last record is %u bytes", path, o.lastcap);
	if (stat(path, &st) == -1)
		err(1, "%s", path);
	if (truncate(path, st.st_size - CUT_CAPLEN + CUT_KEEP) == -1)
		err(1, "%s", path);
}

/* Parses a positive count no larger than max. */
static uint64_t
parse_count(const char *s, uint64_t max)
{
	char		*end;
	unsigned long long v;

	if (*s < '0' || *s > '9')
		usage();
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0' || v == 0 || v > max)
		usage();
	return v;
}

/* One line of usage on stderr, exit 1. */
static void
usage(void)
{
	fprintf(stderr, "usage: pcapgen all DIR | pcapgen NAME FILE | "
	    "pcapgen bench-site FILE [-n PACKETS] [-a APPLIANCES] | "
	    "pcapgen bench-flows FILE [-n PACKETS] [-f FLOWS] | "
	    "pcapgen beacon list | pcapgen beacon SCENARIO SEED FILE\n");
	exit(1);
}

/*
 * pcapgen all DIR | NAME FILE | bench-site FILE ... | bench-flows FILE ... |
 * beacon list | beacon SCENARIO SEED FILE
 */
int
main(int argc, char *argv[])
{
	const struct capfile *cf;
	char		 path[4096];
	uint64_t	 n, m;
	int		 i, site;

	if (argc < 3)
		usage();
	if (strcmp(argv[1], "all") == 0) {
		if (argc != 3)
			usage();
		for (cf = capfiles; cf->name != NULL; cf++) {
			if ((size_t)snprintf(path, sizeof(path), "%s/%s",
			    argv[2], cf->name) >= sizeof(path))
				errx(1, "%s: path too long", argv[2]);
			capfile_write(cf, path);
		}
		return 0;
	}
	if (strcmp(argv[1], "bench-site") == 0 ||
	    strcmp(argv[1], "bench-flows") == 0) {
		site = argv[1][6] == 's';
		n = site ? 5000000 : 2000000;
		m = site ? 200 : 250000;
		for (i = 3; i < argc; i += 2) {
			if (i + 1 >= argc)
				usage();
			if (strcmp(argv[i], "-n") == 0)
				n = parse_count(argv[i + 1], UINT32_MAX);
			else if (strcmp(argv[i], site ? "-a" : "-f") == 0)
				m = parse_count(argv[i + 1],
				    site ? 50000 : UINT32_MAX);
			else
				usage();
		}
		if (site)
			bench_site(argv[2], n, m);
		else
			bench_flows(argv[2], n, m);
		return 0;
	}
	if (strcmp(argv[1], "beacon") == 0) {
		if (argc == 3 && strcmp(argv[2], "list") == 0)
			beacon_list();
		else if (argc == 5)
			beacon_write(argv[2], parse_count(argv[3], UINT32_MAX),
			    argv[4]);
		else
			usage();
		return 0;
	}
	if ((cf = capfile_find(argv[1])) == NULL)
		errx(1, "unknown capture %s", argv[1]);
	if (argc != 3)
		usage();
	capfile_write(cf, argv[2]);
	return 0;
}
