/*
 * SPAN duplicate suppression.  A mirror port that copies both ingress and
 * egress of a switch shows the same IP packet twice, microseconds apart,
 * perhaps with the TTL one lower, a new header checksum and another VLAN tag.
 * The caller builds a key from the fixed IP header (TTL / hop limit and the
 * IPv4 checksum masked) and the first transport bytes; the same key and
 * IP length within DEDUP_WINDOW is a duplicate.  The table is direct-mapped
 * and keeps the whole key, so a hash collision can only make us miss a
 * duplicate (count a packet twice), never hide a packet.  A TCP
 * retransmission is at least one RTO (200 ms) later and is not affected.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "dedup.h"
#include "xmalloc.h"

/* The slots are read on every packet, the keys only on a hash match. */
struct dedup_slot {
	uint64_t	hash;		/* DEDUP_USED set: in use */
	int64_t		ts;
};

#define DEDUP_USED	(1ULL << 63)

struct dedup_key {
	uint32_t	iplen;
	uint8_t		len;
	uint8_t		key[DEDUP_BYTES];
};

struct dedup {
	struct hash_key		 key;
	uint32_t		 mask;
	struct dedup_slot	*slots;
	struct dedup_key	*keys;
};

/* A table of nslots (a power of two) slots. */
struct dedup *
dedup_new(const struct hash_key *key, uint32_t nslots)
{
	struct dedup	*d;

	d = xcalloc(1, sizeof(*d));
	d->key = *key;
	d->mask = nslots - 1;
	d->slots = xcalloc(nslots, sizeof(*d->slots));
	d->keys = xcalloc(nslots, sizeof(*d->keys));
	return d;
}

/* Free the table. */
void
dedup_free(struct dedup *d)
{
	if (d == NULL)
		return;
	free(d->slots);
	free(d->keys);
	free(d);
}

/*
 * Has this key (the IP header, then transport bytes; at most DEDUP_BYTES)
 * with this IP length been seen within the window?  Records it either way.
 */
int
dedup_seen(struct dedup *d, const uint8_t *buf, size_t len, uint32_t iplen,
    int64_t ts)
{
	size_t			 n = len < DEDUP_BYTES ? len : DEDUP_BYTES;
	uint64_t		 h = (hash_fast(&d->key, buf, n) ^ iplen) |
				    DEDUP_USED;
	size_t			 i = h & d->mask;
	struct dedup_slot	*s = &d->slots[i];
	struct dedup_key	*k = &d->keys[i];

	if (s->hash == h && ts >= s->ts &&
	    ts - s->ts <= DEDUP_WINDOW && k->iplen == iplen && k->len == n &&
	    memcmp(k->key, buf, n) == 0)
		return 1;
	s->hash = h;
	s->ts = ts;
	k->iplen = iplen;
	k->len = (uint8_t)n;
	memcpy(k->key, buf, n);
	return 0;
}
