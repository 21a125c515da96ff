/*
 * Protocol builders: Internet checksums and addresses, IPv4 and IPv6
 * headers with their extension headers, TCP, UDP and ICMP conversations,
 * and the payloads the captures carry: DNS, NTP, TLS records, RTP and
 * RTCP, the ZKTeco reader protocol, MQTT, HTTP requests, sealed QUIC
 * Initials; and the small conversations (mini_*) many captures share.
 */
#include "config.h"

#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <err.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "crypto.h"
#include "quic.h"

#include "pcapgen.h"

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
int
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
void
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

/*
 * Sets the checksum of a TCP, UDP, ICMP or ICMPv6 header at l4 using the
 * RFC 793/768 pseudo-header (RFC 8200 section 8.1 for IPv6).
 */
void
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
void
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
void
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

/* Starts a conversation; the client is ep[0]. */
void
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
void
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
uint64_t
turn(struct conv *cv, int dir)
{
	if (dir == 0)
		return cv->rtt + rnd_range(&cv->cap->rng, 40, 400);
	return rnd_range(&cv->cap->rng, 20, 200);
}

/* Writes a TCP header (RFC 9293) and payload into w. */
void
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
void
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
uint64_t
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
uint64_t
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
void
tcp_ack(struct conv *cv, int dir, uint64_t t)
{
	tcp_seg(cv, dir, t, TH_ACK, NULL, 0);
}

/* Request from the client, response from the server, client ACK. */
uint64_t
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
uint64_t
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
void
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
void
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
uint64_t
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
void
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
void
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
void
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
void
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
void
xc_done(struct xchain *x, uint8_t proto)
{
	int		 i;

	for (i = 0; i < x->n; i++)
		x->b.p[x->off[i]] = i + 1 < x->n ? x->type[i + 1] : proto;
	x->first = x->n > 0 ? x->type[0] : proto;
}

/* Formats t as an ISO 8601 UTC time. */
void
iso_time(char *buf, size_t len, uint64_t t, int sep)
{
	struct tm	 tm;
	time_t		 s = t / SEC;

	gmtime_r(&s, &tm);
	strftime(buf, len, sep ? "%Y-%m-%dT%H:%M:%SZ" : "%Y-%m-%d %H:%M:%S",
	    &tm);
}

/* Starts a DNS message (RFC 1035 4.1.1) in w. */
void
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
void
dns_question(struct dnsw *d, const char *name, uint16_t type)
{
	dns_name(d, name);
	put_u16(d->w, type);
	put_u16(d->w, 1);
}

/* Writes a resource record of class IN. */
void
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
void
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
uint64_t
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
uint64_t
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
tls_hello_pq(struct wbuf *w, struct cap *c, const char *sni,
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
void
tls_hello(struct wbuf *w, struct cap *c, const char *sni,
    const uint8_t *sid)
{
	tls_hello_pq(w, c, sni, sid, 0);
}

/* ServerHello (RFC 8446 4.1.3) choosing TLS_AES_128_GCM_SHA256. */
void
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
void
tls_ccs(struct wbuf *w)
{
	put_u8(w, 20);
	put_u16(w, 0x0303);
	put_u16(w, 1);
	put_u8(w, 1);
}

/* len bytes of encrypted application data in records of at most 16 KB. */
void
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
uint64_t
tls_handshake(struct conv *cv, uint64_t t, const char *sni, const size_t *up)
{
	struct cap	*c = cv->cap;
	struct wbuf	 w;
	uint8_t		 sid[32];

	rnd_fill(&c->rng, sid, sizeof(sid));
	w.len = 0;
	tls_hello(&w, c, sni, sid);
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
uint64_t
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
void
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
void
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
void
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
void
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
void
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
void
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
void
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

/* A random ephemeral port. */
uint16_t
eport(struct cap *c)
{
	return rnd_range(&c->rng, 32768, 60999);
}

/* An HTTP/1.1 GET with a 200 response; the client closes. */
uint64_t
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

/* HTTP GET to port 80: 9 packets. */
uint64_t
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
uint64_t
mini_dns(struct cap *c, const struct link *l, uint64_t t, const char *cip,
    const char *cmac, const char *sip, const char *smac, const char *name,
    uint16_t type)
{
	struct conv	 cv;

	conv_init(&cv, c, l, IPPROTO_UDP, cip, cmac, eport(c), sip, smac, 53);
	return dns_lookup(&cv, t, name, type, dns_tab);
}

/* NTP request and answer: 2 packets. */
uint64_t
mini_ntp(struct cap *c, const struct link *l, uint64_t t, const char *cip,
    const char *cmac, const char *sip, const char *smac)
{
	struct conv	 cv;

	conv_init(&cv, c, l, IPPROTO_UDP, cip, cmac, 123, sip, smac, 123);
	return ntp_exchange(&cv, t);
}

/* One syslog message (RFC 3164) to port 514. */
uint64_t
mini_syslog(struct cap *c, const struct link *l, uint64_t t, const char *cip,
    const char *cmac, const char *sip, const char *smac, const char *msg)
{
	struct conv	 cv;

	conv_init(&cv, c, l, IPPROTO_UDP, cip, cmac, eport(c), sip, smac, 514);
	udp_send(&cv, 0, t, (const uint8_t *)msg, strlen(msg));
	return t;
}

/* n UDP datagrams of len bytes; both sides take turns if both is set. */
uint64_t
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
uint64_t
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
 * Appends a client Initial packet (RFC 9000 17.2.2) of QUIC v1 with frames,
 * protected as RFC 9001 5 says: AES-128-GCM under the keys of dcid, then
 * header protection; a 2-byte packet number.
 */
void
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
void
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
void
quic_hello(struct wbuf *m, struct cap *c, const char *sni, int pq)
{
	struct wbuf	 rec;
	uint8_t		 sid[32];

	memset(sid, 0, sizeof(sid));
	rec.len = 0;
	tls_hello_pq(&rec, c, sni, sid, pq);
	/* QUIC has no record layer and no session ID (RFC 9001 8.4). */
	m->len = 0;
	put_bytes(m, rec.p + 5, 4 + 2 + 32);
	put_u8(m, 0);
	put_bytes(m, rec.p + 5 + 4 + 2 + 32 + 1 + 32,
	    rec.len - (5 + 4 + 2 + 32 + 1 + 32));
	m->p[3] = (uint8_t)(m->len - 4);
	m->p[2] = (uint8_t)((m->len - 4) >> 8);
}
