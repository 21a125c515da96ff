/*
 * Packet decoding: link layer, SPAN tunnels, IPv4/IPv6 and the transport
 * header, into a struct pkt for the flow table.
 *
 * Every byte is untrusted.  All reads go through the pbuf cursor; a short
 * read is "truncated" or "malformed" and bumps a named counter, never more.
 * Lengths are checked in order: captured >= minimum, version, header length,
 * total length against the wire length, then captured against total length
 * (cut by snaplen is truncated, not invalid).
 */
#include "config.h"

#include <stdlib.h>
#include <stddef.h>
#include <string.h>

#include "decode.h"
#include "dedup.h"
#include "frag.h"
#include "hash.h"
#include "pbuf.h"
#include "xmalloc.h"

#define ETHERTYPE_IPV4		0x0800
#define ETHERTYPE_IPV6		0x86dd
#define ETHERTYPE_VLAN		0x8100
#define ETHERTYPE_QINQ		0x88a8
#define ETHERTYPE_QINQ_OLD	0x9100
#define ETHERTYPE_TEB		0x6558
#define ETHERTYPE_ERSPAN_II	0x88be
#define ETHERTYPE_ERSPAN_III	0x22eb
#define ETHERTYPE_PPPOE		0x8864	/* PPPoE session stage */
#define ETHERTYPE_MPLS		0x8847	/* MPLS unicast */
#define ETHERTYPE_MPLS_MCAST	0x8848	/* MPLS multicast */
#define VXLAN_PORT		4789	/* IANA */
#define PPP_IPV4		0x0021
#define PPP_IPV6		0x0057

#define IPPROTO_V_ICMP		1
#define IPPROTO_V_TCP		6
#define IPPROTO_V_UDP		17
#define IPPROTO_V_GRE		47
#define IPPROTO_V_ICMPV6	58
#define IPPROTO_V_SCTP		132
#define IPPROTO_V_AH		51

/* The state of one decode: where the result goes and how deep we are. */
struct dctx {
	struct decoder	*d;
	struct pkt	*pkt;
	int		 tunnels;
	const uint8_t	*ip;		/* innermost IP header, for dedup */
	size_t		 ip_hlen;	/* its fixed header: 20 or 40 */
	struct pbuf	 l4;		/* where its transport begins */
	int		 ah;		/* AH headers walked in IPv4 */
	size_t		 udp_len;	/* of the last UDP header, bounded */
};

static enum decode_result decode_ethertype(struct dctx *, struct pbuf *,
		    size_t, uint16_t);
static enum decode_result decode_ether(struct dctx *, struct pbuf *, size_t);
static enum decode_result decode_transport(struct dctx *, struct pbuf *,
		    size_t, size_t);

static const char *decode_names[] = {
#define DECODE_NAME(e, s)	s,
	DECODE_COUNTERS(DECODE_NAME)
#undef DECODE_NAME
};

/*
 * The fixed keys of the fragment and duplicate tables.  Both are
 * direct-mapped: a packet that lands on a busy slot replaces what was
 * there, so which packets collide decides which duplicates are found and
 * which later fragments find their ports.  Under a random key that changed
 * from run to run (a busy capture gave another duplicate count each time);
 * under a fixed key a capture always gives the same records.  Someone who
 * knows the key can aim collisions at a slot, which costs them no more than
 * a flood would: a duplicate counted twice, or fragments without ports.
 */
static const struct hash_key decode_frag_key = {
	0x6567726573736466ULL, 0x7261676d656e7473ULL
};
static const struct hash_key decode_dedup_key = {
	0x6567726573736464ULL, 0x7570732d7370616eULL
};

/* A decoder with its fragment and duplicate tables. */
struct decoder *
decode_new(void)
{
	struct decoder	*d;

	d = xcalloc(1, sizeof(*d));
	d->frags = frag_new(&decode_frag_key, FRAG_SLOTS);
	d->dedup = dedup_new(&decode_dedup_key, DEDUP_SLOTS);
	return d;
}

/* Free a decoder. */
void
decode_free(struct decoder *d)
{
	if (d == NULL)
		return;
	frag_free(d->frags);
	dedup_free(d->dedup);
	free(d);
}

/* The printable name of a counter. */
const char *
decode_counter_name(enum decode_counter c)
{
	return c < DC_MAX ? decode_names[c] : "?";
}

/* Is this link type one we decode? */
int
decode_dlt_supported(int dlt)
{
	switch (dlt) {
	case DECODE_DLT_NULL:
	case DECODE_DLT_EN10MB:
	case DECODE_DLT_RAW:
	case DECODE_DLT_RAW_OPENBSD:
	case DECODE_DLT_RAW_LT:
	case DECODE_DLT_LOOP:
	case DECODE_DLT_LINUX_SLL:
	case DECODE_DLT_IPV4:
	case DECODE_DLT_IPV6:
	case DECODE_DLT_LINUX_SLL2:
		return 1;
	default:
		return 0;
	}
}

/*
 * The tunnels to enter (DECODE_TUN_*): for a sensor whose mirror arrives
 * in them.  None by default: any host can send GRE, or UDP to port 4789,
 * and would then choose what is recorded beside its own datagram.
 */
void
decode_set_tunnels(struct decoder *d, unsigned int kinds)
{
	d->tunnels = kinds & DECODE_TUN_ALL;
}

/*
 * Enter the tunnels of kinds only when their outer source is in af/plen
 * (the mirror sources: a switch that sends ERSPAN); enables them too.
 * -1 when the table is full or the prefix is not one.
 */
int
decode_add_source(struct decoder *d, unsigned int kinds, uint8_t af,
    const uint8_t *addr, uint8_t plen)
{
	struct decode_source	*s;

	if (d->nsources == DECODE_MAX_SOURCES || (af != 4 && af != 6) ||
	    plen > (af == 4 ? 32 : 128))
		return -1;
	s = &d->sources[d->nsources++];
	s->kinds = kinds & DECODE_TUN_ALL;
	s->af = af;
	s->plen = plen;
	memset(s->addr, 0, sizeof(s->addr));
	memcpy(s->addr, addr, af == 4 ? 4 : 16);
	d->tunnels |= s->kinds;
	d->restricted |= s->kinds;
	return 0;
}

static const struct {
	const char	*name;
	unsigned int	 kind;
} decode_tunnel_names[] = {
	{ "gre", DECODE_TUN_GRE },
	{ "erspan", DECODE_TUN_ERSPAN },
	{ "vxlan", DECODE_TUN_VXLAN },
};

/* The name of one tunnel kind, or NULL. */
const char *
decode_tunnel_name(unsigned int kind)
{
	size_t	i;

	for (i = 0; i < sizeof(decode_tunnel_names) /
	    sizeof(decode_tunnel_names[0]); i++)
		if (decode_tunnel_names[i].kind == kind)
			return decode_tunnel_names[i].name;
	return NULL;
}

/* "gre,erspan,vxlan" (any of them, comma-separated) as kinds; -1 if not. */
int
decode_tunnel_kinds(const char *list, unsigned int *kinds)
{
	const char	*p = list, *e;
	size_t		 i, n;

	*kinds = 0;
	for (;;) {
		e = strchr(p, ',');
		n = e != NULL ? (size_t)(e - p) : strlen(p);
		for (i = 0; i < sizeof(decode_tunnel_names) /
		    sizeof(decode_tunnel_names[0]); i++)
			if (strlen(decode_tunnel_names[i].name) == n &&
			    strncmp(decode_tunnel_names[i].name, p, n) == 0)
				break;
		if (i == sizeof(decode_tunnel_names) /
		    sizeof(decode_tunnel_names[0]))
			return -1;
		*kinds |= decode_tunnel_names[i].kind;
		if (e == NULL)
			return 0;
		p = e + 1;
	}
}

/* Does a prefix hold an address (alen bytes)? */
static int
decode_prefix_has(const struct decode_source *s, const uint8_t *a)
{
	size_t	full = s->plen / 8, rest = s->plen % 8;

	if (memcmp(s->addr, a, full) != 0)
		return 0;
	return rest == 0 ||
	    ((s->addr[full] ^ a[full]) & (0xff00 >> rest) & 0xff) == 0;
}

/* A packet with nothing decoded yet, at ts (src and dst are set later). */
static void
decode_pkt_reset(struct pkt *p, int64_t ts)
{
	memset(p, 0, offsetof(struct pkt, src));
	p->payload = NULL;
	p->payload_len = 0;
	p->ts = ts;
}

/* Count one event and give back the result, for tail calls. */
static enum decode_result
decode_count(struct dctx *c, enum decode_counter ctr, enum decode_result r)
{
	c->d->counters[ctr]++;
	return r;
}

/* The wire length left after consuming the captured bytes up to b. */
static size_t
decode_wire_left(size_t wire, size_t before, const struct pbuf *b)
{
	size_t	used = before - b->len;

	return wire > used ? wire - used : 0;
}

/*
 * TCP (RFC 9293).
 *  0      2      4          8          12    13     14
 *  | sport| dport|   seq    |   ack    |off  |flags |window ...
 */
static enum decode_result
decode_tcp(struct dctx *c, struct pbuf *b, size_t iplen)
{
	struct pkt	*p = c->pkt;
	uint8_t		 off, flags;
	size_t		 hlen;

	if (pbuf_get_u16(b, &p->sport) == -1 ||
	    pbuf_get_u16(b, &p->dport) == -1)
		return decode_count(c, DC_TCP_SHORT, DECODE_SKIP);
	c->d->counters[DC_TCP]++;
	/*
	 * With the ports read, the packet is the flow's even when the rest
	 * is cut by snaplen or malformed: bytes are never hidden by a bad
	 * header.  A malformed header's flags are not believed.
	 */
	if (b->len < 16 || iplen < 20) {
		if (!p->truncated || iplen < 20)
			c->d->counters[DC_TCP_SHORT]++;
		return DECODE_OK;
	}
	p->tcp_seq = ((uint32_t)b->p[0] << 24) | ((uint32_t)b->p[1] << 16) |
	    ((uint32_t)b->p[2] << 8) | b->p[3];
	off = b->p[8] >> 4;
	flags = b->p[9];
	hlen = (size_t)off * 4;
	if (hlen < 20 || hlen > iplen)
		return decode_count(c, DC_TCP_BAD_OFF, DECODE_OK);
	p->tcp_flags = flags;
	if (pbuf_skip(b, hlen - 4) == 0) {
		p->payload = b->p;
		p->payload_len = b->len < iplen - hlen ? b->len : iplen - hlen;
	}
	return DECODE_OK;
}

/*
 * UDP (RFC 768).
 *  0      2      4      6      8
 *  | sport| dport| len  | csum |
 */
static enum decode_result
decode_udp(struct dctx *c, struct pbuf *b, size_t iplen)
{
	struct pkt	*p = c->pkt;
	uint16_t	 len, csum;

	if (pbuf_get_u16(b, &p->sport) == -1 ||
	    pbuf_get_u16(b, &p->dport) == -1)
		return decode_count(c, DC_UDP_SHORT, DECODE_SKIP);
	c->d->counters[DC_UDP]++;
	if (iplen < 8)
		return decode_count(c, DC_UDP_SHORT, DECODE_OK);
	if (pbuf_get_u16(b, &len) == -1 || pbuf_get_u16(b, &csum) == -1)
		return p->truncated ? DECODE_OK :
		    decode_count(c, DC_UDP_SHORT, DECODE_OK);
	/* A first fragment's UDP length is the whole datagram's. */
	if (len < 8 || (p->frag == DECODE_FRAG_NONE && len > iplen))
		return decode_count(c, DC_UDP_BAD_LEN, DECODE_OK);
	if (len > iplen)
		len = (uint16_t)iplen;
	c->udp_len = len;
	p->payload = b->p;
	p->payload_len = b->len < (size_t)len - 8 ? b->len : (size_t)len - 8;
	return DECODE_OK;
}

/* ICMP and ICMPv6: type and code stand in for the ports. */
static enum decode_result
decode_icmp(struct dctx *c, struct pbuf *b, size_t iplen, int v6)
{
	struct pkt	*p = c->pkt;
	uint8_t		 type, code;

	if (pbuf_get_u8(b, &type) == -1 || pbuf_get_u8(b, &code) == -1 ||
	    iplen < 4)
		return decode_count(c, v6 ? DC_ICMPV6_SHORT : DC_ICMP_SHORT,
		    DECODE_SKIP);
	c->d->counters[v6 ? DC_ICMPV6 : DC_ICMP]++;
	p->sport = type;
	p->dport = code;
	return DECODE_OK;
}

/*
 * May the packet decoded so far, of outer source c->pkt->src, be entered
 * as a tunnel of this kind: enabled (decode_set_tunnels), from a listed
 * mirror source when the kind is restricted to some, not too deep?  When
 * it may not, it stays what it is (a GRE or UDP flow) and a counter says
 * why; too_deep is the kind's own counter.
 */
static int
decode_may_enter(struct dctx *c, unsigned int kind, enum decode_counter too_deep)
{
	struct decoder	*d = c->d;
	size_t		 i;

	if (!(d->tunnels & kind)) {
		d->counters[DC_TUNNEL_OFF]++;
		return 0;
	}
	if (d->restricted & kind) {
		for (i = 0; i < d->nsources; i++)
			if ((d->sources[i].kinds & kind) &&
			    d->sources[i].af == c->pkt->af &&
			    decode_prefix_has(&d->sources[i], c->pkt->src))
				break;
		if (i == d->nsources) {
			d->counters[DC_TUNNEL_SOURCE]++;
			return 0;
		}
	}
	if (c->tunnels >= DECODE_MAX_TUNNEL) {
		d->counters[too_deep]++;
		return 0;
	}
	return 1;
}

static enum decode_result decode_finish(struct dctx *, enum decode_result);

/*
 * Enter a tunnel: the datagram that carries it is a packet of its own
 * (its flow gets its bytes, whatever is inside), held for decode_next;
 * the frame inside is decoded as the next packet.
 */
static void
decode_enter(struct dctx *c)
{
	struct decoder		*d = c->d;
	struct decode_held	*h = &d->held[d->nheld++];

	h->r = decode_finish(c, DECODE_OK);
	h->pkt = *c->pkt;
	decode_pkt_reset(c->pkt, h->pkt.ts);
	c->tunnels++;
	c->ip = NULL;
	c->ah = 0;
}

/*
 * ERSPAN (draft-foschiano-erspan).  Type II, 8 bytes:
 *  | ver(4)=1 vlan(12) | cos(3) en(2) t(1) session(10) | rsvd(12) index(20) |
 * Type III, 12 bytes (+8 if O):
 *  | ver(4)=2 vlan(12) | cos bso t session | timestamp(32) | sgt(16) p ft hw d gra o |
 * 0 with b past the header, -1 (counted) when it is short or not this type.
 */
static int
decode_erspan(struct dctx *c, struct pbuf *b, int version)
{
	uint16_t	 w0;
	uint8_t		 last;

	if (pbuf_get_u16(b, &w0) == -1) {
		c->d->counters[DC_ERSPAN_SHORT]++;
		return -1;
	}
	if ((w0 >> 12) != version) {
		c->d->counters[DC_ERSPAN_VERSION]++;
		return -1;
	}
	if (version == 1) {
		if (pbuf_skip(b, 6) == 0)
			return 0;
	} else if (pbuf_peek_u8(b, 9, &last) == 0 && pbuf_skip(b, 10) == 0 &&
	    (!(last & 0x01) || pbuf_skip(b, 8) == 0))
		return 0;
	c->d->counters[DC_ERSPAN_SHORT]++;
	return -1;
}

/*
 * GRE (RFC 2784, 2890) as remote SPAN uses it: ERSPAN or transparent
 * Ethernet bridging, entered only when told (decode_set_tunnels).  The GRE
 * datagram is always a GRE flow of its own; when the tunnel is entered,
 * the frame inside is the next packet.
 *  | C R K S ... ver(3) | protocol | [csum rsvd] [key] [seq] |
 */
static enum decode_result
decode_gre(struct dctx *c, struct pbuf *b, size_t wire)
{
	size_t		 before = b->len;
	uint16_t	 flags, proto;
	unsigned int	 kind;
	int		 erspan = 0;

	if (pbuf_get_u16(b, &flags) == -1 || pbuf_get_u16(b, &proto) == -1)
		return decode_count(c, DC_GRE_SHORT, DECODE_OK);
	if ((flags & 0x7) > 1)
		return decode_count(c, DC_GRE_VERSION, DECODE_OK);
	if ((flags & 0x7) != 0 || (flags & 0x4000))
		return DECODE_OK;	/* PPTP or source-routed: not SPAN */
	if (c->pkt->frag != DECODE_FRAG_NONE)
		return DECODE_OK;	/* fragments stay one GRE flow */
	if (proto == ETHERTYPE_TEB)
		kind = DECODE_TUN_GRE;
	else if (proto == ETHERTYPE_ERSPAN_II || proto == ETHERTYPE_ERSPAN_III)
		kind = DECODE_TUN_ERSPAN;
	else
		return DECODE_OK;
	if (!decode_may_enter(c, kind, DC_GRE_TOO_DEEP))
		return DECODE_OK;
	if (((flags & 0x8000) && pbuf_skip(b, 4) == -1) ||
	    ((flags & 0x2000) && pbuf_skip(b, 4) == -1) ||
	    ((flags & 0x1000) && pbuf_skip(b, 4) == -1))
		return decode_count(c, DC_GRE_SHORT, DECODE_OK);
	if (proto == ETHERTYPE_ERSPAN_III)
		erspan = 2;
	else if (proto == ETHERTYPE_ERSPAN_II && (flags & 0x1000))
		erspan = 1;
	/* else TEB, or ERSPAN type I (no sequence number, no header) */
	if (erspan != 0 && decode_erspan(c, b, erspan) == -1)
		return DECODE_OK;
	c->d->counters[DC_GRE]++;
	wire = decode_wire_left(wire, before, b);
	decode_enter(c);
	return decode_ether(c, b, wire);
}

/*
 * VXLAN (RFC 7348), the remote SPAN of virtual networks (cloud traffic
 * mirroring delivers copies in it), when the decoder is told to enter it
 * (decode_set_tunnels): a UDP datagram to port 4789 whose 8-byte header
 * has the I flag carries an Ethernet frame, the next packet.  Not by
 * default: any host may send UDP to 4789.  The datagram is a UDP flow of
 * its own either way.  Its payload was found by decode_udp; wire is what
 * was left on the wire from the UDP header on.
 *  | flags (I = 0x08) | reserved(3) | VNI(3) | reserved |
 */
static enum decode_result
decode_vxlan(struct dctx *c, size_t wire)
{
	struct pkt		*p = c->pkt;
	struct pbuf		 b;
	enum decode_result	 r;
	uint8_t			 flags;

	pbuf_init(&b, p->payload, p->payload_len);
	if (pbuf_peek_u8(&b, 0, &flags) == -1 || flags != 0x08)
		return DECODE_OK;
	if (!decode_may_enter(c, DECODE_TUN_VXLAN, DC_VXLAN_TOO_DEEP))
		return DECODE_OK;
	if (p->frag != DECODE_FRAG_NONE)
		/* its fragments stay one UDP flow */
		return decode_count(c, DC_VXLAN_FRAGMENT, DECODE_OK);
	if (pbuf_skip(&b, 8) == -1)
		return decode_count(c, DC_VXLAN_SHORT, DECODE_OK);
	c->d->counters[DC_VXLAN]++;
	if (c->udp_len < wire)
		wire = c->udp_len;
	decode_enter(c);
	r = decode_ether(c, &b, wire > 16 ? wire - 16 : 0);
	if (r == DECODE_SKIP)
		c->d->counters[DC_VXLAN_NOT_IP]++;	/* its counters say why */
	return r;
}

/*
 * IPsec AH (RFC 4302) in IPv4: | nh | len (4-octet units, minus 2) | ... |,
 * then the transport it protects.  A chain too long or cut short is a
 * flow of protocol AH.
 */
static enum decode_result
decode_ipv4_ah(struct dctx *c, struct pbuf *b, size_t l4len, size_t wire)
{
	uint8_t	nh, hl;
	size_t	ahlen;

	if (++c->ah > DECODE_MAX_IPV6_EXT)
		return decode_count(c, DC_IPV6_EXT_TOO_DEEP, DECODE_OK);
	if (pbuf_peek_u8(b, 0, &nh) == -1 || pbuf_peek_u8(b, 1, &hl) == -1)
		return decode_count(c, DC_AH_SHORT, DECODE_OK);
	ahlen = ((size_t)hl + 2) * 4;
	if (ahlen > l4len || pbuf_skip(b, ahlen) == -1)
		return decode_count(c, DC_AH_SHORT, DECODE_OK);
	c->pkt->proto = nh;
	pbuf_init(&c->l4, b->p, b->len);
	return decode_transport(c, b, l4len - ahlen, wire - ahlen);
}

/* The transport layer, once the IP layer has found it. */
static enum decode_result
decode_transport(struct dctx *c, struct pbuf *b, size_t l4len, size_t wire)
{
	struct pkt		*p = c->pkt;
	enum decode_result	 r;

	switch (p->proto) {
	case IPPROTO_V_TCP:
		return decode_tcp(c, b, l4len);
	case IPPROTO_V_UDP:
		r = decode_udp(c, b, l4len);
		if (r != DECODE_OK || p->dport != VXLAN_PORT ||
		    p->payload == NULL)
			return r;
		return decode_vxlan(c, wire);
	case IPPROTO_V_ICMP:
		if (p->af == 4)
			return decode_icmp(c, b, l4len, 0);
		break;
	case IPPROTO_V_ICMPV6:
		if (p->af == 6)
			return decode_icmp(c, b, l4len, 1);
		break;
	case IPPROTO_V_AH:
		if (p->af == 4)
			return decode_ipv4_ah(c, b, l4len, wire);
		break;
	case IPPROTO_V_SCTP:
		/* SCTP (RFC 9260): | sport | dport | vtag | csum |. */
		if (pbuf_get_u16(b, &p->sport) == 0 &&
		    pbuf_get_u16(b, &p->dport) == 0)
			return DECODE_OK;
		return decode_count(c, DC_SCTP_SHORT, DECODE_SKIP);
	case IPPROTO_V_GRE:
		c->d->counters[DC_OTHER_PROTO]++;
		c->d->other_proto[p->proto]++;
		return decode_gre(c, b, wire);
	}
	c->d->counters[DC_OTHER_PROTO]++;
	c->d->other_proto[p->proto]++;
	return DECODE_OK;
}


/* Attribute a fragment: the first one records its ports, later ones look them up. */
static enum decode_result
decode_fragment(struct dctx *c, struct pbuf *b, size_t l4len, size_t wire,
    uint32_t id, int later)
{
	struct pkt		*p = c->pkt;
	struct frag_info	 fi;
	enum decode_result	 r;
	uint8_t			 hproto = p->proto;

	if (later) {
		p->frag = DECODE_FRAG_LATER;
		if (frag_get(c->d->frags, p->af, p->src, p->dst, id, hproto,
		    &fi, p->ts) == -1) {
			/* First fragment not seen (yet): ports unknown. */
			c->d->counters[DC_FRAG_ORPHAN]++;
			p->sport = p->dport = 0;
			return DECODE_OK;
		}
		p->proto = fi.proto;
		p->sport = fi.sport;
		p->dport = fi.dport;
		return DECODE_OK;
	}
	p->frag = DECODE_FRAG_FIRST;
	r = decode_transport(c, b, l4len, wire);
	fi.proto = p->proto;
	fi.sport = p->sport;
	fi.dport = p->dport;
	if (r == DECODE_OK && frag_put(c->d->frags, p->af, p->src, p->dst, id,
	    hproto, &fi, p->ts))
		c->d->counters[DC_FRAG_EVICTED]++;
	return r;
}

/*
 * IPv4 (RFC 791).
 *  0    1     2       4    6            8    9     10     12    16    20
 *  |v|hl| tos | len   | id |flags|frag  | ttl|proto| csum | src | dst |opts
 */
static enum decode_result
decode_ipv4(struct dctx *c, struct pbuf *b, size_t wire)
{
	struct pkt	*p = c->pkt;
	struct pbuf	 h;
	uint8_t		 vhl;
	uint16_t	 len, id, frag;
	size_t		 hlen;

	pbuf_init(&h, b->p, b->len);
	if (b->len < 20)
		return decode_count(c, DC_IPV4_SHORT, DECODE_SKIP);
	vhl = b->p[0];
	if ((vhl >> 4) != 4)
		return decode_count(c, DC_IPV4_VERSION, DECODE_SKIP);
	hlen = (size_t)(vhl & 0x0f) * 4;
	if (hlen < 20)
		return decode_count(c, DC_IPV4_HLEN, DECODE_SKIP);
	len = (uint16_t)((b->p[2] << 8) | b->p[3]);
	if (b->len < hlen)
		return decode_count(c, DC_IPV4_SHORT, DECODE_SKIP);
	if (len < hlen)
		return decode_count(c, DC_IPV4_LEN, DECODE_SKIP);
	if (len > wire) {
		/* The header claims more than the frame holds: count what was sent. */
		c->d->counters[DC_IPV4_LEN]++;
		len = (uint16_t)wire;
	}
	p->af = 4;
	p->ip_len = len;
	p->truncated = b->len < len;
	c->d->counters[DC_IPV4]++;
	id = (uint16_t)((b->p[4] << 8) | b->p[5]);
	frag = (uint16_t)((b->p[6] << 8) | b->p[7]);
	p->proto = b->p[9];
	memset(p->src, 0, sizeof(p->src));
	memset(p->dst, 0, sizeof(p->dst));
	memcpy(p->src, b->p + 12, 4);
	memcpy(p->dst, b->p + 16, 4);
	pbuf_skip(&h, hlen);
	if (h.len > len - hlen)
		h.len = len - hlen;	/* Ethernet padding */
	c->ip = b->p;
	c->ip_hlen = 20;
	pbuf_init(&c->l4, h.p, h.len);
	if ((frag & 0x1fff) != 0) {
		c->d->counters[DC_IPV4_FRAG_LATER]++;
		return decode_fragment(c, &h, len - hlen, len - hlen, id, 1);
	}
	if (frag & 0x2000) {
		c->d->counters[DC_IPV4_FRAG_FIRST]++;
		return decode_fragment(c, &h, len - hlen, len - hlen, id, 0);
	}
	return decode_transport(c, &h, len - hlen, len - hlen);
}

/*
 * An IPv6 packet whose extension headers are not walked further (too many,
 * or one cut short): it is a flow of its addresses and of the header it
 * stopped at, without ports; the counter says why.
 */
static enum decode_result
decode_ipv6_stop(struct dctx *c, const struct pbuf *ip, const struct pbuf *h,
    uint8_t nh, enum decode_counter why)
{
	c->pkt->proto = nh;
	c->ip = ip->p;
	c->ip_hlen = 40;
	pbuf_init(&c->l4, h->p, h->len);
	return decode_count(c, why, DECODE_OK);
}

/*
 * IPv6 (RFC 8200) and its extension headers, up to DECODE_MAX_IPV6_EXT.
 *  0        4          8     10   11    12    24    40
 *  |v|tc|flow | paylen | nh | hop | src | dst |
 * Hop-by-hop, routing, destination options, mobility, HIP, shim6:
 *  | nh | len (8-octet units, minus 1) | ...
 * Fragment:  | nh | rsvd | offset(13) res(2) M(1) | id(32) |
 * AH (RFC 4302): | nh | len (4-octet units, minus 2) | ...
 */
static enum decode_result
decode_ipv6(struct dctx *c, struct pbuf *b, size_t wire)
{
	struct pkt	*p = c->pkt;
	struct pbuf	 h;
	uint16_t	 plen, fragw;
	uint32_t	 id = 0;
	uint8_t		 nh, hl;
	size_t		 len, extlen, before;
	int		 n, frag = 0;

	pbuf_init(&h, b->p, b->len);
	if (b->len < 40)
		return decode_count(c, DC_IPV6_SHORT, DECODE_SKIP);
	if ((b->p[0] >> 4) != 6)
		return decode_count(c, DC_IPV6_VERSION, DECODE_SKIP);
	plen = (uint16_t)((b->p[4] << 8) | b->p[5]);
	nh = b->p[6];
	len = 40 + (size_t)plen;
	if (plen == 0 && nh == 0)
		len = wire;		/* jumbogram (RFC 2675) */
	if (len > wire) {
		c->d->counters[DC_IPV6_LEN]++;
		len = wire;
	}
	p->af = 6;
	p->ip_len = (uint32_t)len;
	p->truncated = b->len < len;
	c->d->counters[DC_IPV6]++;
	memcpy(p->src, b->p + 8, 16);
	memcpy(p->dst, b->p + 24, 16);
	pbuf_skip(&h, 40);
	if (h.len > len - 40)
		h.len = len - 40;
	before = h.len;
	for (n = 0;; n++) {
		switch (nh) {
		case 0: case 43: case 60: case 135: case 139: case 140:
		case 44: case 51:
			break;
		default:
			goto transport;
		}
		if (n >= DECODE_MAX_IPV6_EXT)
			return decode_ipv6_stop(c, b, &h, nh,
			    DC_IPV6_EXT_TOO_DEEP);
		if (pbuf_peek_u8(&h, 1, &hl) == -1)
			return decode_ipv6_stop(c, b, &h, nh,
			    DC_IPV6_EXT_SHORT);
		if (nh == 44) {
			extlen = 8;
			if (h.len < 8)
				return decode_ipv6_stop(c, b, &h, nh,
				    DC_IPV6_EXT_SHORT);
			fragw = (uint16_t)((h.p[2] << 8) | h.p[3]);
			id = ((uint32_t)h.p[4] << 24) | ((uint32_t)h.p[5] << 16) |
			    ((uint32_t)h.p[6] << 8) | h.p[7];
			if ((fragw & 0xfff8) != 0)
				frag = 2;
			else if (fragw & 1)
				frag = 1;
		} else if (nh == 51)
			extlen = ((size_t)hl + 2) * 4;
		else
			extlen = ((size_t)hl + 1) * 8;
		if (h.len < extlen)
			return decode_ipv6_stop(c, b, &h, nh,
			    DC_IPV6_EXT_SHORT);
		nh = h.p[0];
		pbuf_skip(&h, extlen);
		if (frag == 2)
			break;
	}
transport:
	p->proto = nh;
	extlen = before - h.len;
	c->ip = b->p;
	c->ip_hlen = 40;
	pbuf_init(&c->l4, h.p, h.len);
	if (frag == 2) {
		c->d->counters[DC_IPV6_FRAG_LATER]++;
		return decode_fragment(c, &h, len - 40 - extlen,
		    len - 40 - extlen, id, 1);
	}
	if (frag == 1) {
		c->d->counters[DC_IPV6_FRAG_FIRST]++;
		return decode_fragment(c, &h, len - 40 - extlen,
		    len - 40 - extlen, id, 0);
	}
	return decode_transport(c, &h, len - 40 - extlen, len - 40 - extlen);
}

/* An IP packet of either version, by its first nibble. */
static enum decode_result
decode_ip(struct dctx *c, struct pbuf *b, size_t wire)
{
	uint8_t	v;

	if (pbuf_peek_u8(b, 0, &v) == -1)
		return decode_count(c, DC_IPV4_SHORT, DECODE_SKIP);
	switch (v >> 4) {
	case 4:
		return decode_ipv4(c, b, wire);
	case 6:
		return decode_ipv6(c, b, wire);
	default:
		return decode_count(c, DC_RAW_VERSION, DECODE_SKIP);
	}
}

/*
 * A PPPoE session header (RFC 2516) and the PPP protocol after it:
 * | ver 1, type 1 | code 0 | session(2) | length(2) | protocol(1 or 2) |.
 * The protocol is one byte when it is odd (Protocol-Field-Compression,
 * RFC 1661 6.5, which RFC 2516 allows).  The EtherType of what it carries,
 * 0 for anything but IP (LCP, IPCP...), -1 when short or malformed.
 */
static int
decode_pppoe(struct dctx *c, struct pbuf *b)
{
	uint8_t		vt, code, p0, p1 = 0;
	uint16_t	session, len, proto;

	if (pbuf_get_u8(b, &vt) == -1 || pbuf_get_u8(b, &code) == -1 ||
	    pbuf_get_u16(b, &session) == -1 || pbuf_get_u16(b, &len) == -1 ||
	    pbuf_get_u8(b, &p0) == -1 ||
	    (!(p0 & 1) && pbuf_get_u8(b, &p1) == -1)) {
		c->d->counters[DC_PPPOE_SHORT]++;
		return -1;
	}
	if (vt != 0x11 || code != 0) {
		c->d->counters[DC_PPPOE_BAD]++;
		return -1;
	}
	proto = (p0 & 1) ? p0 : (uint16_t)(p0 << 8 | p1);
	c->d->counters[DC_PPPOE]++;
	return proto == PPP_IPV4 ? ETHERTYPE_IPV4 :
	    proto == PPP_IPV6 ? ETHERTYPE_IPV6 : 0;
}

/*
 * An MPLS label stack (RFC 3032), up to DECODE_MAX_MPLS labels:
 *  | label(20) | TC(3) | S(1) | TTL(8) |   ... until S, bottom of stack.
 * Nothing in MPLS says what is below the stack: the first nibble after it
 * is taken for the IP version (4 or 6), as routers do; 0 is a pseudowire
 * control word (RFC 4385) before a frame that is not IP, counted.  The
 * EtherType of what it carries, 0 for anything but IP, -1 when short or
 * too deep.
 */
static int
decode_mpls(struct dctx *c, struct pbuf *b)
{
	uint32_t	lse;
	uint8_t		v;
	int		n;

	c->d->counters[DC_MPLS]++;
	for (n = 0;; n++) {
		if (n >= DECODE_MAX_MPLS) {
			c->d->counters[DC_MPLS_TOO_DEEP]++;
			return -1;
		}
		if (pbuf_get_u32(b, &lse) == -1) {
			c->d->counters[DC_MPLS_SHORT]++;
			return -1;
		}
		if (lse & 0x100)
			break;
	}
	if (pbuf_peek_u8(b, 0, &v) == -1) {
		c->d->counters[DC_MPLS_SHORT]++;
		return -1;
	}
	switch (v >> 4) {
	case 4:
		return ETHERTYPE_IPV4;
	case 6:
		return ETHERTYPE_IPV6;
	case 0:
		c->d->counters[DC_MPLS_PW]++;
		return 0;
	default:
		c->d->counters[DC_MPLS_NOT_IP]++;
		return 0;
	}
}

/*
 * An EtherType and what follows, walking 802.1Q (0x8100), 802.1ad (0x88a8)
 * and the older QinQ 0x9100 tags: | TCI (pcp 3, dei 1, vid 12) | type |,
 * a PPPoE session header (a DSL uplink) and an MPLS label stack.
 */
static enum decode_result
decode_ethertype(struct dctx *c, struct pbuf *b, size_t wire, uint16_t type)
{
	struct pkt	*p = c->pkt;
	size_t		 before = b->len;
	uint16_t	 tci;
	int		 tags = 0, inner;

	while (type == ETHERTYPE_VLAN || type == ETHERTYPE_QINQ ||
	    type == ETHERTYPE_QINQ_OLD) {
		if (++tags > DECODE_MAX_VLAN)
			return decode_count(c, DC_VLAN_TOO_DEEP, DECODE_SKIP);
		if (pbuf_get_u16(b, &tci) == -1 ||
		    pbuf_get_u16(b, &type) == -1)
			return decode_count(c, DC_VLAN_SHORT, DECODE_SKIP);
		if (p->nvlan < 2)
			p->vlan[p->nvlan++] = tci & 0x0fff;
	}
	if (type == ETHERTYPE_PPPOE) {
		if ((inner = decode_pppoe(c, b)) == -1)
			return DECODE_SKIP;
		type = (uint16_t)inner;
	} else if (type == ETHERTYPE_MPLS || type == ETHERTYPE_MPLS_MCAST) {
		if ((inner = decode_mpls(c, b)) == -1)
			return DECODE_SKIP;
		if (inner == 0)
			return DECODE_SKIP;	/* counted: not IP */
		type = (uint16_t)inner;
	}
	wire = decode_wire_left(wire, before, b);
	switch (type) {
	case ETHERTYPE_IPV4:
		return decode_ipv4(c, b, wire);
	case ETHERTYPE_IPV6:
		return decode_ipv6(c, b, wire);
	default:
		return decode_count(c, DC_NON_IP, DECODE_SKIP);
	}
}

/* Ethernet II: | dst(6) | src(6) | type(2) |. */
static enum decode_result
decode_ether(struct dctx *c, struct pbuf *b, size_t wire)
{
	uint16_t	type;

	if (pbuf_skip(b, 6) == -1 || pbuf_get_bytes(b, c->pkt->mac, 6) == -1 ||
	    pbuf_get_u16(b, &type) == -1)
		return decode_count(c, DC_ETH_SHORT, DECODE_SKIP);
	c->pkt->has_mac = 1;
	return decode_ethertype(c, b, wire > 14 ? wire - 14 : 0, type);
}

/* Linux cooked v1: | pkttype(2) | hatype(2) | halen(2) | addr(8) | proto(2) |. */
static enum decode_result
decode_sll(struct dctx *c, struct pbuf *b, size_t wire)
{
	uint16_t	type, halen;
	uint8_t		addr[8];

	if (pbuf_skip(b, 4) == -1 || pbuf_get_u16(b, &halen) == -1 ||
	    pbuf_get_bytes(b, addr, 8) == -1 || pbuf_get_u16(b, &type) == -1)
		return decode_count(c, DC_SLL_SHORT, DECODE_SKIP);
	if (halen == 6) {
		memcpy(c->pkt->mac, addr, 6);
		c->pkt->has_mac = 1;
	}
	return decode_ethertype(c, b, wire > 16 ? wire - 16 : 0, type);
}

/* Linux cooked v2: | proto(2) | rsvd(2) | ifindex(4) | hatype(2) | pkttype | halen | addr(8) |. */
static enum decode_result
decode_sll2(struct dctx *c, struct pbuf *b, size_t wire)
{
	uint16_t	type;
	uint8_t		halen, addr[8];

	if (pbuf_get_u16(b, &type) == -1 || pbuf_skip(b, 9) == -1 ||
	    pbuf_get_u8(b, &halen) == -1 || pbuf_get_bytes(b, addr, 8) == -1)
		return decode_count(c, DC_SLL2_SHORT, DECODE_SKIP);
	if (halen == 6) {
		memcpy(c->pkt->mac, addr, 6);
		c->pkt->has_mac = 1;
	}
	return decode_ethertype(c, b, wire > 20 ? wire - 20 : 0, type);
}

/*
 * BSD loopback: a 4-byte address family, in the capturing host's byte order
 * (DLT_NULL) or network order (DLT_LOOP).  AF_INET6 is 24, 28 or 30
 * depending on the BSD that wrote it.
 */
static enum decode_result
decode_null(struct dctx *c, struct pbuf *b, size_t wire, int network_order)
{
	uint32_t	fam;

	if ((network_order ? pbuf_get_u32(b, &fam) : pbuf_get_u32le(b, &fam))
	    == -1)
		return decode_count(c, DC_NULL_SHORT, DECODE_SKIP);
	if (!network_order && (fam & 0xffff0000) && !(fam & 0x0000ffff))
		fam = __builtin_bswap32(fam);	/* big-endian writer */
	wire = wire > 4 ? wire - 4 : 0;
	switch (fam) {
	case 2:
		return decode_ipv4(c, b, wire);
	case 24: case 28: case 30:
		return decode_ipv6(c, b, wire);
	default:
		return decode_count(c, DC_NULL_FAMILY, DECODE_SKIP);
	}
}

/*
 * Is the packet just decoded a SPAN duplicate: its whole captured IP
 * packet (from its fixed header c->ip to the end of its transport bytes
 * c->l4) seen again within the window (dedup.c)?  A copy past the few a
 * mirror makes is counted as a packet, and as an excess.
 */
static int
decode_is_dup(struct dctx *c)
{
	if (c->ip == NULL)
		return 0;
	switch (dedup_seen(c->d->dedup, c->ip, c->ip_hlen, c->l4.p, c->l4.len,
	    c->pkt->ip_len, c->pkt->ts)) {
	case DEDUP_COPY:
		c->d->counters[DC_DUPLICATE]++;
		return 1;
	case DEDUP_EXCESS:
		c->d->counters[DC_DUPLICATE_EXCESS]++;
		c->pkt->copy = 1;
		return 0;
	default:
		return 0;
	}
}

/*
 * A packet decoded: a SPAN duplicate is DECODE_DUP, any other IP packet is
 * counted into the flow totals.
 */
static inline __attribute__((always_inline)) enum decode_result
decode_finish(struct dctx *c, enum decode_result r)
{
	struct decoder	*d = c->d;

	if (r != DECODE_OK)
		return r;
	if (decode_is_dup(c))
		return DECODE_DUP;
	d->counters[DC_FLOW_PACKETS]++;
	d->counters[DC_FLOW_BYTES] += c->pkt->ip_len;
	if (c->pkt->truncated)
		d->counters[DC_TRUNCATED]++;
	return r;
}

/*
 * Decode one captured frame of link type dlt: caplen bytes of data, wirelen
 * on the wire, at ts microseconds.  Fills *p when the result is DECODE_OK
 * (or DECODE_DUP).  A frame may hold more than one packet: the datagrams
 * of the tunnels it was carried in; decode_next gives them after this one.
 */
enum decode_result
decode_packet(struct decoder *d, int dlt, const uint8_t *data, size_t caplen,
    size_t wirelen, int64_t ts, struct pkt *p)
{
	struct dctx		 c = { d, p, 0, NULL, 0, { NULL, 0 }, 0, 0 };
	struct pbuf		 b;
	enum decode_result	 r;

	d->counters[DC_PACKETS]++;
	d->nheld = d->next = 0;
	decode_pkt_reset(p, ts);
	if (wirelen < caplen)
		wirelen = caplen;
	pbuf_init(&b, data, caplen);
	switch (dlt) {
	case DECODE_DLT_EN10MB:
		r = decode_ether(&c, &b, wirelen);
		break;
	case DECODE_DLT_LINUX_SLL:
		r = decode_sll(&c, &b, wirelen);
		break;
	case DECODE_DLT_LINUX_SLL2:
		r = decode_sll2(&c, &b, wirelen);
		break;
	case DECODE_DLT_RAW:
	case DECODE_DLT_RAW_OPENBSD:
	case DECODE_DLT_RAW_LT:
		r = decode_ip(&c, &b, wirelen);
		break;
	case DECODE_DLT_IPV4:
		r = decode_ipv4(&c, &b, wirelen);
		break;
	case DECODE_DLT_IPV6:
		r = decode_ipv6(&c, &b, wirelen);
		break;
	case DECODE_DLT_NULL:
		r = decode_null(&c, &b, wirelen, 0);
		break;
	case DECODE_DLT_LOOP:
		r = decode_null(&c, &b, wirelen, 1);
		break;
	default:
		r = decode_count(&c, DC_LINK_UNSUPPORTED, DECODE_SKIP);
		break;
	}
	return decode_finish(&c, r);
}

/*
 * The next packet of the frame decode_packet was given: the datagram of
 * each tunnel the packet it gave came in, outermost first; DECODE_END when
 * there is none left.
 */
enum decode_result
decode_next(struct decoder *d, struct pkt *p)
{
	if (d->next >= d->nheld)
		return DECODE_END;
	*p = d->held[d->next].pkt;
	return d->held[d->next++].r;
}
