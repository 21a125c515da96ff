/*
 * SPAN duplicate suppression.  A mirror port that copies both ingress and
 * egress of a switch shows the same IP packet twice, microseconds apart,
 * perhaps with the TTL one lower, a new header checksum and another VLAN tag.
 * A copy is the whole captured IP packet again, byte for byte (TTL / hop
 * limit and the IPv4 header checksum aside), with the same IP length and
 * the same number of bytes captured, within DEDUP_WINDOW of the first.
 *
 * Why the whole packet: the appliance is the adversary.  When only the
 * headers and the first transport bytes were compared, datagrams sent
 * with IP id 0, UDP checksum 0 and the same first payload bytes (20,000
 * of them, 27.4 MB) were taken for copies of each other and all but 52
 * dropped.  A new datagram differs somewhere; a mirror's copy nowhere.
 * What is left to an appliance is to send the very same bytes again, which
 * carries nothing new; even so at most DEDUP_COPIES copies of a packet are
 * dropped (a mirror that sees a packet at the ingress and egress of two
 * ports makes three; pathspider's hour of a real mirror port shows a
 * packet three times at most), and any more within the window are counted
 * as packets (DEDUP_EXCESS, decode.duplicate.excess).
 *
 * Why DEDUP_WINDOW is 1 ms: a mirror copy is the same frame leaving the
 * switch again, behind whatever its mirror port queued: on pathspider's
 * real mirror port 99.9% of copies came within 97 us of the first, the
 * latest at 97 us; the bundled captures' within 0.5 ms.  1 ms is ten
 * times the latest seen and 125 kB of queue at 1 Gb/s.  A TCP
 * retransmission is at least one RTO (200 ms) later, and a stack that
 * sends a datagram twice on purpose rarely does so within 1 ms.
 *
 * Every packet is looked up and, unless it is a copy, recorded, so the
 * cost is per packet and kept small:
 *   - its place: the fixed IP header (20 or 40 bytes) and the first
 *     DEDUP_L4_BYTES transport bytes, read as 64-bit words and hashed by
 *     independent multiplies, with both lengths; a direct-mapped table of
 *     16-byte slots (the top of the hash, the packet, the time);
 *   - its bytes: copied to a byte ring (DEDUP_BYTES, 1 MiB: the last
 *     0.8 ms at 10 Gb/s, far more than the mirror's 97 us, and small
 *     enough to keep the flow table in the cache), the TTL and checksum
 *     zeroed there, in one copy; its length and place to a ring of the
 *     last DEDUP_RING packets.  Only when a slot's tag matches are the
 *     two packets compared, whole.  A packet larger than DEDUP_BYTES / 16
 *     is not kept: never dropped.
 * A collision, packets that share their first bytes (and so a slot), or
 * a packet that has left the rings can only make us miss a copy (count a
 * packet twice), never drop a packet that is not a copy.  The hash key is
 * fixed (see decode.c), so a capture always gives the same records.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "dedup.h"
#include "xmalloc.h"

/* Where a packet is: read on every packet. */
struct dedup_slot {
	uint32_t	tag;		/* top half of the hash */
	uint32_t	pos;		/* ring position + 1; 0: empty */
	int64_t		ts;
};

/* A packet in the ring: where its bytes are. */
struct dedup_entry {
	uint64_t	off;		/* in the byte ring, from its start */
	uint32_t	len;		/* bytes captured, from the IP header */
	uint32_t	iplen;
	uint32_t	copies;		/* dropped so far */
	uint32_t	pad;
};

struct dedup {
	uint64_t		 k[4];		/* hash key words */
	uint32_t		 mask;
	uint32_t		 head;		/* ring position of the next one */
	uint64_t		 woff;		/* byte ring: next write */
	struct dedup_slot	*slots;
	struct dedup_entry	*ring;		/* DEDUP_RING */
	uint8_t			*bytes;		/* DEDUP_BYTES */
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
	d->bytes = xmalloc(DEDUP_BYTES);
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
	free(d->bytes);
	free(d);
}

/*
 * The hashed words of a packet: the IP header (ip_hlen bytes, 20 or 40),
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

/* The keyed hash of nw words (at most 8) and the lengths. */
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

/* Set the byte at off + i of the ring to v. */
static void
dedup_set(struct dedup *d, uint64_t off, size_t i, uint8_t v)
{
	d->bytes[(off + i) & (DEDUP_BYTES - 1)] = v;
}

/*
 * Copy len bytes to the byte ring at off, around its end if need be, with
 * the TTL and checksum (IPv4: hlen 20) or the hop limit zeroed.
 */
static inline void
dedup_put(struct dedup *d, uint64_t off, const uint8_t *p, size_t len,
    size_t hlen)
{
	size_t	at = (size_t)(off & (DEDUP_BYTES - 1)), first;
	uint8_t	*b = d->bytes + at;

	if (at + len <= DEDUP_BYTES) {
		memcpy(b, p, len);
		if (hlen == 20) {
			b[8] = 0;
			b[10] = b[11] = 0;
		} else
			b[7] = 0;
		return;
	}
	first = DEDUP_BYTES - at;
	memcpy(b, p, first);
	memcpy(d->bytes, p + first, len - first);
	if (hlen == 20) {
		dedup_set(d, off, 8, 0);
		dedup_set(d, off, 10, 0);
		dedup_set(d, off, 11, 0);
	} else
		dedup_set(d, off, 7, 0);
}

/* Are len bytes of the ring at a and at b the same? */
static int
dedup_same(const struct dedup *d, uint64_t a, uint64_t b, size_t len)
{
	size_t	i, n, x, y;

	for (i = 0; i < len; i += n) {
		x = (size_t)((a + i) & (DEDUP_BYTES - 1));
		y = (size_t)((b + i) & (DEDUP_BYTES - 1));
		n = len - i;
		if (n > DEDUP_BYTES - x)
			n = DEDUP_BYTES - x;
		if (n > DEDUP_BYTES - y)
			n = DEDUP_BYTES - y;
		if (memcmp(d->bytes + x, d->bytes + y, n) != 0)
			return 0;
	}
	return 1;
}

/*
 * Is this packet, of IP header ip (ip_hlen bytes: 20 or 40, the fixed
 * header) and transport bytes l4 (l4len of them captured, to the end of
 * the captured packet), with this IP length, a copy of one seen within
 * the window?  A packet that is not a copy is recorded.
 */
enum dedup_result
dedup_seen(struct dedup *d, const uint8_t *ip, size_t ip_hlen,
    const uint8_t *l4, size_t l4len, uint32_t iplen, int64_t ts)
{
	struct dedup_slot	*s;
	struct dedup_entry	*e, *o;
	uint64_t		 h, w[DEDUP_WORDS];
	size_t			 n = l4len < DEDUP_L4_BYTES ? l4len :
				    DEDUP_L4_BYTES, len;
	int			 nw;

	if ((ip_hlen != 20 && ip_hlen != 40) || l4 < ip + ip_hlen)
		return DEDUP_NEW;	/* no such header: nothing to compare */
	len = (size_t)(l4 - ip) + l4len;
	if (len > DEDUP_BYTES / 16)
		return DEDUP_NEW;	/* too large to keep: never dropped */
	nw = dedup_words(ip, ip_hlen, l4, n, w);
	h = dedup_hash(d, w, nw, (uint64_t)len << 32 | iplen);
	/* Its bytes go to the ring, TTL and checksum zeroed. */
	dedup_put(d, d->woff, ip, len, ip_hlen);
	s = &d->slots[h & d->mask];
	if (s->pos != 0 && s->tag == (uint32_t)(h >> 32) && ts >= s->ts &&
	    ts - s->ts <= DEDUP_WINDOW &&
	    d->head - (s->pos - 1) < DEDUP_RING) {
		o = &d->ring[(s->pos - 1) & (DEDUP_RING - 1)];
		if (o->iplen == iplen && o->len == len &&
		    d->woff + len - o->off <= DEDUP_BYTES &&
		    dedup_same(d, o->off, d->woff, len)) {
			/* its bytes are not kept: the next packet's take them */
			if (o->copies >= DEDUP_COPIES)
				return DEDUP_EXCESS;
			o->copies++;
			return DEDUP_COPY;
		}
	}
	e = &d->ring[d->head & (DEDUP_RING - 1)];
	e->off = d->woff;
	e->len = (uint32_t)len;
	e->iplen = iplen;
	e->copies = 0;
	d->woff += len;
	s->tag = (uint32_t)(h >> 32);
	s->pos = d->head + 1;
	s->ts = ts;
	d->head++;
	return DEDUP_NEW;
}
