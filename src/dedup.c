/*
 * SPAN duplicate suppression.  A mirror port that copies both ingress and
 * egress of a switch shows the same IP packet twice, microseconds apart,
 * perhaps with the TTL one lower, a new header checksum and another VLAN tag.
 * We hash the fixed IP header with TTL/hop limit and the IPv4 header
 * checksum masked, the first transport bytes and the IP length (the caller
 * builds that key), under a random key (so
 * nobody can forge a collision to hide a packet), in a direct-mapped table;
 * the same hash within DEDUP_WINDOW is a duplicate.  A TCP retransmission is
 * at least one RTO (200 ms) later and is not affected.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "dedup.h"
#include "xmalloc.h"

struct dedup_slot {
	uint64_t	hash;
	int64_t		ts;
};

struct dedup {
	struct hash_key		 key;
	uint32_t		 mask;
	struct dedup_slot	*slots;
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
	return d;
}

/* Free the table. */
void
dedup_free(struct dedup *d)
{
	if (d == NULL)
		return;
	free(d->slots);
	free(d);
}

/*
 * Has this key (the IP header, caplen bytes of it, then transport bytes;
 * iplen: the IP length on the wire) been seen within the window?  Records
 * it either way.
 */
int
dedup_seen(struct dedup *d, uint8_t af, const uint8_t *ip, size_t caplen,
    uint32_t iplen, int64_t ts)
{
	uint8_t			 buf[DEDUP_BYTES + 4];
	size_t			 n = caplen < DEDUP_BYTES ? caplen : DEDUP_BYTES;
	struct dedup_slot	*s;
	uint64_t		 h;

	memcpy(buf, ip, n);
	if (af == 4 && n >= 12) {
		buf[8] = 0;			/* TTL */
		buf[10] = buf[11] = 0;		/* header checksum */
	} else if (af == 6 && n >= 8)
		buf[7] = 0;			/* hop limit */
	memcpy(buf + n, &iplen, 4);
	h = hash_bytes(&d->key, buf, n + 4);
	s = &d->slots[h & d->mask];
	if (s->hash == h && s->ts != 0 && ts >= s->ts &&
	    ts - s->ts <= DEDUP_WINDOW)
		return 1;
	s->hash = h;
	s->ts = ts;
	return 0;
}
