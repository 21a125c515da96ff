/*
 * Fragment tracking.  The first fragment of a datagram carries the transport
 * header; later fragments carry only the IP id.  We keep (addresses, id,
 * protocol) -> ports in a direct-mapped table of fixed size: a newer datagram
 * that lands on a busy slot replaces the older one (counted by the caller),
 * so a flood of fragments cannot grow memory.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "frag.h"
#include "xmalloc.h"

struct frag_key {
	uint8_t		af;
	uint8_t		proto;
	uint8_t		pad[2];
	uint32_t	id;
	uint8_t		src[16];
	uint8_t		dst[16];
};

struct frag_slot {
	struct frag_key	 key;
	int64_t		 ts;
	struct frag_info info;
	uint8_t		 used;
};

struct frag_table {
	struct hash_key	 hkey;
	uint32_t	 mask;
	struct frag_slot *slots;
};

/* A table of nslots (a power of two) slots. */
struct frag_table *
frag_new(const struct hash_key *hkey, uint32_t nslots)
{
	struct frag_table	*ft;

	ft = xcalloc(1, sizeof(*ft));
	ft->hkey = *hkey;
	ft->mask = nslots - 1;
	ft->slots = xcalloc(nslots, sizeof(*ft->slots));
	return ft;
}

/* Free the table. */
void
frag_free(struct frag_table *ft)
{
	if (ft == NULL)
		return;
	free(ft->slots);
	free(ft);
}

/* Fill a key with no padding left uninitialised. */
static void
frag_key_make(struct frag_key *k, uint8_t af, const uint8_t *src,
    const uint8_t *dst, uint32_t id, uint8_t proto)
{
	memset(k, 0, sizeof(*k));
	k->af = af;
	k->proto = proto;
	k->id = id;
	memcpy(k->src, src, af == 4 ? 4 : 16);
	memcpy(k->dst, dst, af == 4 ? 4 : 16);
}

/*
 * Remember what a first fragment carries, under the protocol of its IP
 * header (which differs from the transport's behind AH); 1 if a live entry
 * was replaced.
 */
int
frag_put(struct frag_table *ft, uint8_t af, const uint8_t *src,
    const uint8_t *dst, uint32_t id, uint8_t proto,
    const struct frag_info *info, int64_t ts)
{
	struct frag_key		 k;
	struct frag_slot	*s;
	int			 evicted;

	frag_key_make(&k, af, src, dst, id, proto);
	s = &ft->slots[hash_fast(&ft->hkey, &k, sizeof(k)) & ft->mask];
	evicted = s->used && ts - s->ts < FRAG_TIMEOUT &&
	    memcmp(&s->key, &k, sizeof(k)) != 0;
	s->key = k;
	s->ts = ts;
	s->info = *info;
	s->used = 1;
	return evicted;
}

/* Find what the first fragment carried, for a later one; 0 if found, -1 if not. */
int
frag_get(struct frag_table *ft, uint8_t af, const uint8_t *src,
    const uint8_t *dst, uint32_t id, uint8_t proto, struct frag_info *info,
    int64_t ts)
{
	struct frag_key		 k;
	struct frag_slot	*s;

	frag_key_make(&k, af, src, dst, id, proto);
	s = &ft->slots[hash_fast(&ft->hkey, &k, sizeof(k)) & ft->mask];
	if (!s->used || ts - s->ts >= FRAG_TIMEOUT ||
	    memcmp(&s->key, &k, sizeof(k)) != 0)
		return -1;
	*info = s->info;
	return 0;
}

/* Bytes held by the table. */
size_t
frag_memory(const struct frag_table *ft)
{
	return sizeof(*ft) + (ft->mask + 1) * sizeof(*ft->slots);
}
