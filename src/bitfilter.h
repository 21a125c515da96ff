/*
 * bitfilter.h: one bit a key, set from the top bits of the key's hash, in
 * front of a table that answers most look-ups "absent" (passive DNS, the
 * beacon series): a clear bit says the key is not in the table without a
 * walk of it, a set bit only "perhaps".  Bits are never cleared one by one:
 * the owner rebuilds the filter from its live keys once it has set
 * BITFILTER_BITS / 8 more bits than it has keys (bitfilter_stale).
 */
#ifndef EGRESSD_BITFILTER_H
#define EGRESSD_BITFILTER_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"

#define BITFILTER_LOG2	20			/* 1 Mbit: 128 KiB */
#define BITFILTER_BITS	(1U << BITFILTER_LOG2)

struct bitfilter {
	uint64_t	*w;
	size_t		 adds;		/* bits set since cleared */
};

/* An empty filter. */
static inline void
bitfilter_init(struct bitfilter *f)
{
	f->w = xcalloc(BITFILTER_BITS / 64, sizeof(*f->w));
	f->adds = 0;
}

/* Free a filter's bits. */
static inline void
bitfilter_free(struct bitfilter *f)
{
	free(f->w);
	f->w = NULL;
}

/* Clear every bit, to set the live keys again. */
static inline void
bitfilter_clear(struct bitfilter *f)
{
	memset(f->w, 0, BITFILTER_BITS / 8);
	f->adds = 0;
}

/* Set the bit of a hash. */
static inline void
bitfilter_add(struct bitfilter *f, uint64_t h)
{
	uint64_t	i = h >> (64 - BITFILTER_LOG2);

	f->w[i >> 6] |= 1ULL << (i & 63);
	f->adds++;
}

/* Is the bit of a hash set: is its key perhaps in the table? */
static inline int
bitfilter_maybe(const struct bitfilter *f, uint64_t h)
{
	uint64_t	i = h >> (64 - BITFILTER_LOG2);

	return (f->w[i >> 6] >> (i & 63)) & 1;
}

/* The word that holds the bit of a hash, to fetch it ahead of a look-up. */
static inline const uint64_t *
bitfilter_word(const struct bitfilter *f, uint64_t h)
{
	return &f->w[(h >> (64 - BITFILTER_LOG2)) >> 6];
}

/* Has it set so many more bits than there are live keys that it wants rebuilding? */
static inline int
bitfilter_stale(const struct bitfilter *f, size_t live)
{
	return f->adds - live >= BITFILTER_BITS / 8;
}

#endif
