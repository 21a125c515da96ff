/*
 * SPAN duplicate suppression.  A mirror port that copies both ingress and
 * egress of a switch shows the same IP packet twice, microseconds apart,
 * perhaps with the TTL one lower, a new header checksum and another VLAN tag.
 * The key is the fixed IP header (TTL / hop limit and the IPv4 checksum
 * masked) and the first DEDUP_L4_BYTES transport bytes; the same key, key
 * length and IP length within DEDUP_WINDOW is a duplicate.  A TCP
 * retransmission is at least one RTO (200 ms) later and is not affected.
 *
 * Every packet is looked up and, unless it is a duplicate, recorded, so
 * the cost is per packet and kept small:
 *   - the key is read from the packet as 64-bit words (6 for IPv4, 8 for
 *     IPv6), masked in registers, and hashed by independent multiplies,
 *     never copied to a buffer and read back;
 *   - a direct-mapped table of 16-byte slots (the top of the hash, where
 *     the key is, the time) places it: a slot is read and written once;
 *   - the keys themselves go to a ring, one after the other, the last
 *     DEDUP_RING packets: written in sequence, read only when a slot's
 *     tag matches, and then compared whole.
 * A collision or a key that has left the ring can only make us miss a
 * duplicate (count a packet twice), never hide a packet.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "dedup.h"
#include "xmalloc.h"

/* Where a key is: read on every packet. */
struct dedup_slot {
	uint32_t	tag;		/* top half of the hash */
	uint32_t	pos;		/* ring position + 1; 0: empty */
	int64_t		ts;
};

/* A key in the ring. */
struct dedup_key {
	uint64_t	w[DEDUP_WORDS];
	uint32_t	iplen;
	uint32_t	len;		/* key bytes (IP header and transport) */
};

struct dedup {
	uint64_t		 k[4];		/* hash key words */
	uint32_t		 mask;
	uint32_t		 head;		/* ring position of the next key */
	struct dedup_slot	*slots;
	struct dedup_key	*ring;		/* DEDUP_RING */
};

/* A table of nslots (a power of two) slots. */
struct dedup *
dedup_new(const struct hash_key *key, uint32_t nslots)
{
	struct dedup	*d;

	d = xcalloc(1, sizeof(*d));
	d->k[0] = key->k0;
	d->k[1] = key->k1;
	d->k[2] = hash_mum(key->k0, 0x9e3779b97f4a7c15ULL) ^ key->k1;
	d->k[3] = hash_mum(key->k1, 0xe7037ed1a0b428dbULL) ^ key->k0;
	d->mask = nslots - 1;
	d->slots = xcalloc(nslots, sizeof(*d->slots));
	d->ring = xcalloc(DEDUP_RING, sizeof(*d->ring));
	return d;
}

/* Free the table. */
void
dedup_free(struct dedup *d)
{
	if (d == NULL)
		return;
	free(d->slots);
	free(d->ring);
	free(d);
}

/*
 * The key words of a packet: the IP header (ip_hlen bytes, 20 or 40),
 * then n <= DEDUP_L4_BYTES transport bytes, as little-endian words of the
 * byte string, zero past its end; returns the number of words (at least
 * 4 are written).
 */
static int
dedup_words(const uint8_t *ip, size_t ip_hlen, const uint8_t *l4, size_t n,
    uint64_t *w)
{
	uint8_t	b[DEDUP_WORDS * 8];
	int	i, nw;

	if (ip_hlen == 20 && n == DEDUP_L4_BYTES) {
		/* IPv4 and a whole transport key: straight from the packet */
		w[0] = hash_load64(ip);
		w[1] = hash_load64(ip + 8) & ~0x00000000ffff00ffULL;
		w[2] = hash_load32(ip + 16) | hash_load32(l4) << 32;
		w[3] = hash_load64(l4 + 4);
		w[4] = hash_load64(l4 + 12);
		w[5] = hash_load32(l4 + 20);
		return 6;
	}
	if (ip_hlen == 40 && n == DEDUP_L4_BYTES) {
		w[0] = hash_load64(ip) & ~(0xffULL << 56);
		for (i = 1; i < 5; i++)
			w[i] = hash_load64(ip + 8 * i);
		for (i = 0; i < 3; i++)
			w[5 + i] = hash_load64(l4 + 8 * i);
		return 8;
	}
	/* Anything else through a buffer: the same words. */
	memset(b, 0, sizeof(b));
	memcpy(b, ip, ip_hlen);
	if (ip_hlen == 20) {
		b[8] = 0;			/* TTL */
		b[10] = b[11] = 0;		/* header checksum */
	} else
		b[7] = 0;			/* hop limit */
	memcpy(b + ip_hlen, l4, n);
	nw = (int)((ip_hlen + n + 7) / 8);
	for (i = 0; i < DEDUP_WORDS; i++)	/* the hash reads at least 4 */
		w[i] = hash_load64(b + 8 * i);
	return nw;
}

/* The keyed hash of nw key words (at most 8) and the lengths. */
static inline uint64_t
dedup_hash(const struct dedup *d, const uint64_t *w, int nw, uint64_t lens)
{
	uint64_t	a, b, c, e = 0;

	/* Four independent products, so they run side by side. */
	a = hash_mum(w[0] ^ d->k[0], w[1] ^ d->k[1]);
	b = hash_mum(w[2] ^ d->k[2], w[3] ^ d->k[3]);
	c = hash_mum((nw > 4 ? w[4] : 0) ^ d->k[1],
	    (nw > 5 ? w[5] : 0) ^ d->k[2]);
	if (nw > 6)
		e = hash_mum(w[6] ^ d->k[3], (nw > 7 ? w[7] : 0) ^ d->k[0]);
	return hash_mum(a ^ c ^ lens, b ^ e ^ d->k[3]);
}

/*
 * Is this packet, of IP header ip (ip_hlen bytes: 20 or 40) and transport
 * bytes l4 (l4len of them captured), with this IP length, a copy of one
 * seen within the window?  Records it either way.
 */
int
dedup_seen(struct dedup *d, const uint8_t *ip, size_t ip_hlen,
    const uint8_t *l4, size_t l4len, uint32_t iplen, int64_t ts)
{
	struct dedup_slot	*s;
	struct dedup_key	*k, *o;
	uint64_t		 h;
	size_t			 n = l4len < DEDUP_L4_BYTES ? l4len :
				    DEDUP_L4_BYTES;
	uint32_t		 len;
	int			 nw;

	if (ip_hlen > DEDUP_WORDS * 8 - DEDUP_L4_BYTES)
		return 0;		/* no such header: nothing to compare */
	len = (uint32_t)(ip_hlen + n);
	k = &d->ring[d->head & (DEDUP_RING - 1)];
	nw = dedup_words(ip, ip_hlen, l4, n, k->w);
	k->iplen = iplen;
	k->len = len;
	h = dedup_hash(d, k->w, nw, (uint64_t)len << 32 | iplen);
	s = &d->slots[h & d->mask];
	if (s->pos != 0 && s->tag == (uint32_t)(h >> 32) && ts >= s->ts &&
	    ts - s->ts <= DEDUP_WINDOW &&
	    d->head - (s->pos - 1) < DEDUP_RING) {
		o = &d->ring[(s->pos - 1) & (DEDUP_RING - 1)];
		if (o->iplen == iplen && o->len == len &&
		    memcmp(o->w, k->w, (size_t)nw * 8) == 0)
			return 1;	/* k is not kept: the next key takes it */
	}
	s->tag = (uint32_t)(h >> 32);
	s->pos = d->head + 1;
	s->ts = ts;
	d->head++;
	return 0;
}
