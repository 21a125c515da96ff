/*
 * hashloop: the baseline egressd is measured against.  Reads a capture on
 * the buffered path (our own FILE with a 1 MiB buffer handed to
 * pcap_fopen_offline; with -u also without stdio's locking, as egressd
 * reads), decodes Ethernet, 802.1Q/802.1ad tags, IPv4 and IPv6
 * (through the common extension headers) and TCP/UDP ports with every read
 * bounds-checked, and counts packets and IP bytes per bidirectional 5-tuple
 * in an open-addressing table (linear probing, load at most 1/2).
 *
 * It does only what any flow meter must: no timeouts, no records, no
 * duplicate or fragment tracking, no keyed hash.  Later IP fragments count
 * to their addresses with ports 0.
 *
 * usage: hashloop [-u] file	(-u: stdio's locking off, as egressd reads)
 * Prints "packets N flows F ip_packets I skipped S table_bytes T seconds X".
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <pcap/pcap.h>

#include "bufopen.h"

#include "pbuf.h"

#define HL_MIN_SLOTS	4096
#define HL_MAX_VLAN	4
#define HL_MAX_V6EXT	8

#define HL_ETH_IPV4	0x0800
#define HL_ETH_IPV6	0x86dd
#define HL_ETH_VLAN	0x8100
#define HL_ETH_QINQ	0x88a8
#define HL_ETH_QINQ_OLD	0x9100

#define HL_IP_TCP	6
#define HL_IP_UDP	17

#define HL_USED		(1ULL << 63)	/* set in the hash of a used slot */

/*
 * Both ends in canonical order (end 0 sorts before end 1), as five 64-bit
 * words: the addresses (IPv4 in the low half of words 0 and 2), then the
 * ports, the family and the protocol.  Built in registers and hashed from
 * there, never read back from memory just after narrower stores (which
 * the CPU cannot forward to a wider load: a stall on every packet).
 */
struct hl_key {
	uint64_t	w[5];
};

struct hl_slot {
	uint64_t	hash;		/* 0: empty */
	struct hl_key	key;
	uint64_t	pkts;
	uint64_t	bytes;
};

struct hl_table {
	struct hl_slot	*slots;
	size_t		 nslots;	/* a power of two */
	size_t		 count;
};

struct hashloop {
	struct hl_table	 t;
	uint64_t	 packets;
	uint64_t	 ip_packets;
	uint64_t	 skipped;	/* not IP, short or malformed */
};

/* What one decoded packet contributes. */
struct hl_pkt {
	uint8_t		 af;
	uint8_t		 proto;
	uint16_t	 sport, dport;
	uint32_t	 iplen;
	const uint8_t	*src, *dst;
};

/* Seconds of a monotonic clock. */
static double
hl_now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Allocate or die: a benchmark has no way to go on without memory. */
static void *
hl_calloc(size_t n, size_t size)
{
	void	*p;

	if ((p = calloc(n, size)) == NULL) {
		fprintf(stderr, "hashloop: out of memory\n");
		exit(1);
	}
	return p;
}

/* A fast 64-bit mix of the key, five words at a time. */
static uint64_t
hl_hash(const struct hl_key *k)
{
	uint64_t	h = 0x243f6a8885a308d3ULL;
	int		i;

	for (i = 0; i < 5; i++) {
		h = (h ^ k->w[i]) * 0x9e3779b97f4a7c15ULL;
		h ^= h >> 29;
	}
	h *= 0xbf58476d1ce4e5b9ULL;
	h ^= h >> 32;
	return h | HL_USED;
}

/* Double the table and move every used slot. */
static void
hl_grow(struct hl_table *t)
{
	struct hl_slot	*old = t->slots;
	size_t		 i, j, n = t->nslots, mask;

	t->nslots = n * 2;
	t->slots = hl_calloc(t->nslots, sizeof(*t->slots));
	mask = t->nslots - 1;
	for (i = 0; i < n; i++) {
		if (old[i].hash == 0)
			continue;
		for (j = old[i].hash & mask; t->slots[j].hash != 0;
		    j = (j + 1) & mask)
			;
		t->slots[j] = old[i];
	}
	free(old);
}

/* The slot of a key, inserted empty when new. */
static struct hl_slot *
hl_lookup(struct hl_table *t, const struct hl_key *k)
{
	struct hl_slot	*s;
	uint64_t	 h = hl_hash(k);
	size_t		 mask = t->nslots - 1, i;

	for (i = h & mask;; i = (i + 1) & mask) {
		s = &t->slots[i];
		if (s->hash == h && s->key.w[0] == k->w[0] &&
		    s->key.w[1] == k->w[1] && s->key.w[2] == k->w[2] &&
		    s->key.w[3] == k->w[3] && s->key.w[4] == k->w[4])
			return s;
		if (s->hash == 0)
			break;
	}
	if ((t->count + 1) * 2 > t->nslots) {
		hl_grow(t);
		mask = t->nslots - 1;
		for (i = h & mask; t->slots[i].hash != 0; i = (i + 1) & mask)
			;
		s = &t->slots[i];
	}
	s->hash = h;
	s->key = *k;
	t->count++;
	return s;
}

/* Count the packet to its flow, both directions to one entry. */
static void
hl_count(struct hashloop *hl, const struct hl_pkt *p)
{
	struct hl_key	 k;
	struct hl_slot	*s;
	const uint8_t	*a, *b;
	uint32_t	 x, y;
	int		 cmp, swap;

	if (p->af == 4) {
		memcpy(&x, p->src, 4);
		memcpy(&y, p->dst, 4);
		cmp = memcmp(p->src, p->dst, 4);
	} else
		cmp = memcmp(p->src, p->dst, 16);
	swap = !(cmp < 0 || (cmp == 0 && p->sport <= p->dport));
	a = swap ? p->dst : p->src;
	b = swap ? p->src : p->dst;
	if (p->af == 4) {
		k.w[0] = swap ? y : x;
		k.w[1] = 0;
		k.w[2] = swap ? x : y;
		k.w[3] = 0;
	} else {
		memcpy(&k.w[0], a, 8);
		memcpy(&k.w[1], a + 8, 8);
		memcpy(&k.w[2], b, 8);
		memcpy(&k.w[3], b + 8, 8);
	}
	k.w[4] = (uint64_t)(swap ? p->dport : p->sport) |
	    (uint64_t)(swap ? p->sport : p->dport) << 16 |
	    (uint64_t)p->af << 32 | (uint64_t)p->proto << 40;
	s = hl_lookup(&hl->t, &k);
	s->pkts++;
	s->bytes += p->iplen;
	hl->ip_packets++;
}

/* TCP or UDP ports (the first 4 bytes of either header); -1 when cut. */
static int
hl_ports(struct pbuf *b, struct hl_pkt *p)
{
	if (p->proto != HL_IP_TCP && p->proto != HL_IP_UDP)
		return 0;
	return pbuf_get_u16(b, &p->sport) == -1 ||
	    pbuf_get_u16(b, &p->dport) == -1 ? -1 : 0;
}

/*
 * IPv4 (RFC 791).
 *  0        1      2        4      6          8     9       10     12   16
 *  |ver|ihl | tos  | totlen | id   |flags|off | ttl | proto | csum | src| dst|
 */
static int
hl_ipv4(struct pbuf *b, size_t wire, struct hl_pkt *p)
{
	uint16_t	totlen, off;
	size_t		hlen;

	if (b->len < 20 || (b->p[0] >> 4) != 4)
		return -1;
	hlen = (size_t)(b->p[0] & 0x0f) * 4;
	totlen = (uint16_t)((b->p[2] << 8) | b->p[3]);
	off = (uint16_t)(((b->p[6] << 8) | b->p[7]) & 0x1fff);
	if (hlen < 20 || totlen < hlen || totlen > wire || b->len < hlen)
		return -1;
	p->af = 4;
	p->proto = b->p[9];
	p->src = b->p + 12;
	p->dst = b->p + 16;
	p->iplen = totlen;
	p->sport = p->dport = 0;
	pbuf_skip(b, hlen);
	if (b->len > (size_t)(totlen - hlen))
		b->len = totlen - hlen;		/* Ethernet padding */
	return off != 0 ? 0 : hl_ports(b, p);
}

/*
 * IPv6 (RFC 8200), through hop-by-hop, routing, fragment, destination
 * options and AH headers.
 *  0         4       6     7     8     24    40
 *  |ver|tc|fl| plen  | nxt | hop | src | dst |
 */
static int
hl_ipv6(struct pbuf *b, size_t wire, struct hl_pkt *p)
{
	uint16_t	plen, off;
	uint8_t		nxt;
	size_t		elen;
	int		i;

	if (b->len < 40 || (b->p[0] >> 4) != 6)
		return -1;
	plen = (uint16_t)((b->p[4] << 8) | b->p[5]);
	if ((size_t)plen + 40 > wire)
		return -1;
	p->af = 6;
	p->src = b->p + 8;
	p->dst = b->p + 24;
	p->iplen = (uint32_t)plen + 40;
	p->sport = p->dport = 0;
	nxt = b->p[6];
	pbuf_skip(b, 40);
	if (b->len > plen)
		b->len = plen;
	for (i = 0; i < HL_MAX_V6EXT; i++) {
		switch (nxt) {
		case 0:
		case 43:
		case 60:
			if (b->len < 2)
				return -1;
			elen = ((size_t)b->p[1] + 1) * 8;
			break;
		case 51:
			if (b->len < 2)
				return -1;
			elen = ((size_t)b->p[1] + 2) * 4;
			break;
		case 44:
			if (b->len < 8)
				return -1;
			off = (uint16_t)(((b->p[2] << 8) | b->p[3]) & 0xfff8);
			if (off != 0) {
				p->proto = b->p[0];
				return 0;
			}
			elen = 8;
			break;
		default:
			p->proto = nxt;
			return hl_ports(b, p);
		}
		nxt = b->p[0];
		if (pbuf_skip(b, elen) == -1)
			return -1;
	}
	return -1;
}

/*
 * Ethernet II with up to HL_MAX_VLAN 802.1Q / 802.1ad tags.
 *  0     6     12     14
 *  | dst | src | type | [tci type]... | payload
 */
static void
hl_packet(u_char *user, const struct pcap_pkthdr *h, const u_char *data)
{
	struct hashloop	*hl = (struct hashloop *)user;
	struct hl_pkt	 p;
	struct pbuf	 b;
	uint16_t	 type;
	size_t		 wire;
	int		 i, rv;

	hl->packets++;
	pbuf_init(&b, data, h->caplen);
	if (pbuf_skip(&b, 12) == -1 || pbuf_get_u16(&b, &type) == -1)
		goto skip;
	for (i = 0; type == HL_ETH_VLAN || type == HL_ETH_QINQ ||
	    type == HL_ETH_QINQ_OLD; i++) {
		if (i == HL_MAX_VLAN || pbuf_skip(&b, 2) == -1 ||
		    pbuf_get_u16(&b, &type) == -1)
			goto skip;
	}
	if (h->len < h->caplen)
		goto skip;
	wire = h->len - (h->caplen - b.len);
	if (type == HL_ETH_IPV4)
		rv = hl_ipv4(&b, wire, &p);
	else if (type == HL_ETH_IPV6)
		rv = hl_ipv6(&b, wire, &p);
	else
		goto skip;
	if (rv == -1)
		goto skip;
	hl_count(hl, &p);
	return;
skip:
	hl->skipped++;
}

/* Every packet counted to a flow must be in the table: a self-check. */
static int
hl_check(const struct hashloop *hl)
{
	uint64_t	pkts = 0;
	size_t		i, n = 0;

	for (i = 0; i < hl->t.nslots; i++) {
		if (hl->t.slots[i].hash == 0)
			continue;
		pkts += hl->t.slots[i].pkts;
		n++;
	}
	return pkts == hl->ip_packets && n == hl->t.count &&
	    hl->ip_packets + hl->skipped == hl->packets ? 0 : -1;
}

int
main(int argc, char *argv[])
{
	char		 err[PCAP_ERRBUF_SIZE];
	struct hashloop	 hl;
	pcap_t		*pc;
	char		*buf;
	double		 t0, t1;
	int		 n, unlocked = 0;

	if (argc == 3 && strcmp(argv[1], "-u") == 0) {
		unlocked = 1;
		argv++;
		argc--;
	}
	if (argc != 2) {
		fprintf(stderr, "usage: hashloop [-u] file\n"
		    "  -u  stdio's locking off, as egressd reads\n");
		return 2;
	}
	memset(&hl, 0, sizeof(hl));
	buf = hl_calloc(1, BENCH_BUFSIZE);
	t0 = hl_now();
	hl.t.nslots = HL_MIN_SLOTS;
	hl.t.slots = hl_calloc(hl.t.nslots, sizeof(*hl.t.slots));
	if ((pc = bench_open_buffered(argv[1], buf, unlocked, err)) == NULL) {
		fprintf(stderr, "hashloop: %s: %s\n", argv[1], err);
		return 1;
	}
	if (pcap_datalink(pc) != DLT_EN10MB) {
		fprintf(stderr, "hashloop: %s: link type %d, only Ethernet\n",
		    argv[1], pcap_datalink(pc));
		return 1;
	}
	while ((n = pcap_dispatch(pc, -1, hl_packet, (u_char *)&hl)) > 0)
		;
	t1 = hl_now();
	if (n < 0) {
		fprintf(stderr, "hashloop: %s: %s\n", argv[1], pcap_geterr(pc));
		return 1;
	}
	pcap_close(pc);
	free(buf);
	if (hl_check(&hl) == -1) {
		fprintf(stderr, "hashloop: table does not add up\n");
		return 1;
	}
	printf("packets %" PRIu64 " flows %zu ip_packets %" PRIu64
	    " skipped %" PRIu64 " table_bytes %zu seconds %.6f\n",
	    hl.packets, hl.t.count, hl.ip_packets, hl.skipped,
	    hl.t.nslots * sizeof(*hl.t.slots), t1 - t0);
	free(hl.t.slots);
	return 0;
}
