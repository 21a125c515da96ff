/*
 * Appliances listed in the policy by MAC address: an address is bound to a
 * listed MAC when a packet from that address carries it as its sender (the
 * innermost link header, so a remote SPAN's inner Ethernet counts), and the
 * latest binding wins.  The policy then finds the group by MAC for flows of
 * that address.  Only listed MACs are bound, so the table holds a handful;
 * it is capped anyway, and past the cap new addresses are not bound.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "mac.h"
#include "xmalloc.h"

struct mac_bind {
	uint8_t		af;		/* 0: empty */
	uint8_t		addr[16];
	uint8_t		mac[6];
};

struct mac_table {
	struct hash_key	 key;
	struct mac_bind	*slots;		/* open addressing, at most half full */
	size_t		 nslots, count, max;
};

/* A table of at most max addresses. */
struct mac_table *
mac_table_new(size_t max)
{
	struct mac_table	*t;

	t = xcalloc(1, sizeof(*t));
	hash_key_random(&t->key);
	t->max = max > 0 ? max : 1;
	for (t->nslots = 16; t->nslots < t->max * 2; t->nslots *= 2)
		;
	t->slots = xcalloc(t->nslots, sizeof(*t->slots));
	return t;
}

/* Free the table. */
void
mac_table_free(struct mac_table *t)
{
	if (t == NULL)
		return;
	free(t->slots);
	free(t);
}

/* The slot of an address: its own, or the empty one it would take. */
static struct mac_bind *
mac_slot(const struct mac_table *t, uint8_t af, const uint8_t *addr)
{
	uint8_t		k[17];
	size_t		i, alen = af == 4 ? 4 : 16;

	memset(k, 0, sizeof(k));
	k[0] = af;
	memcpy(k + 1, addr, alen);
	for (i = hash_fast(&t->key, k, sizeof(k)) & (t->nslots - 1);
	    t->slots[i].af != 0 && (t->slots[i].af != af ||
	    memcmp(t->slots[i].addr, addr, alen) != 0);
	    i = (i + 1) & (t->nslots - 1))
		;
	return &t->slots[i];
}

/* addr was seen sending from mac. */
void
mac_learn(struct mac_table *t, uint8_t af, const uint8_t *addr,
    const uint8_t *mac)
{
	struct mac_bind	*b = mac_slot(t, af, addr);

	if (b->af == 0) {
		if (t->count >= t->max)
			return;
		b->af = af;
		memcpy(b->addr, addr, af == 4 ? 4 : 16);
		t->count++;
	}
	memcpy(b->mac, mac, 6);
}

/* The listed MAC an address was last seen sending from, or NULL. */
const uint8_t *
mac_of(const struct mac_table *t, uint8_t af, const uint8_t *addr)
{
	const struct mac_bind	*b;

	if (t == NULL || t->count == 0)
		return NULL;
	b = mac_slot(t, af, addr);
	return b->af != 0 ? b->mac : NULL;
}

/* Addresses bound. */
size_t
mac_count(const struct mac_table *t)
{
	return t->count;
}
