/*
 * Framing: how an IP packet is wrapped for each link type (Ethernet
 * with 802.1Q/802.1ad tags, Linux SLL and SLL2, raw IP, DLT_NULL and
 * DLT_LOOP), SPAN copies of it, and the tunnels a mirror arrives in
 * (GRE, ERSPAN I, II and III, VXLAN) around a finished frame.
 */
#include "config.h"

#include <sys/socket.h>

#include <netinet/in.h>

#include <err.h>
#include <pcap/pcap.h>
#include <stdint.h>
#include <string.h>

#include "pcapgen.h"

/* An Ethernet link, untagged. */
void
link_eth(struct link *l)
{
	memset(l, 0, sizeof(*l));
	l->dlt = DLT_EN10MB;
}

/* Adds a VLAN tag (outermost first). */
void
link_tag(struct link *l, uint16_t tpid, uint16_t vid, uint8_t pcp)
{
	if (l->ntag == 8)
		errx(1, "too many tags");
	l->tpid[l->ntag] = tpid;
	l->tci[l->ntag] = (pcp << 13) | vid;
	l->ntag++;
}

/* An Ethernet link with one 802.1Q tag, or none for vid 0. */
void
link_vlan(struct link *l, uint16_t vid)
{
	link_eth(l);
	if (vid != 0)
		link_tag(l, ETH_VLAN, vid, 0);
}

/* A link of another type. */
void
link_dlt(struct link *l, int dlt)
{
	memset(l, 0, sizeof(*l));
	l->dlt = dlt;
	l->af6 = 10;
	l->ifindex = 2;
}

/* Pads an Ethernet frame to the 60-byte minimum (no FCS). */
void
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
void
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
void
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

/* A GRE tunnel from the mirroring switch 192.0.2.1 to the sensor. */
void
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
