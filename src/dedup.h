/* dedup.c: drop the second copy of a packet that a SPAN port mirrored twice. */
#ifndef EGRESSD_DEDUP_H
#define EGRESSD_DEDUP_H

#include <stddef.h>
#include <stdint.h>

#include "hash.h"

#define DEDUP_SLOTS	4096		/* 16 bytes each */
#define DEDUP_RING	4096		/* keys kept, 72 bytes each */
#define DEDUP_WINDOW	5000		/* microseconds */
#define DEDUP_WORDS	8		/* key words, at most: IPv6 and 24 */
#define DEDUP_L4_BYTES	24		/* transport bytes in the key */

struct dedup;

struct dedup	*dedup_new(const struct hash_key *, uint32_t);
void		 dedup_free(struct dedup *);
int		 dedup_seen(struct dedup *, const uint8_t *, size_t,
		    const uint8_t *, size_t, uint32_t, int64_t);

#endif
