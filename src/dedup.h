/* dedup.c: drop the second copy of a packet that a SPAN port mirrored twice. */
#ifndef EGRESSD_DEDUP_H
#define EGRESSD_DEDUP_H

#include <stddef.h>
#include <stdint.h>

#include "hash.h"

#define DEDUP_SLOTS	4096		/* L2-sized: 4096 * 88 bytes */
#define DEDUP_WINDOW	5000		/* microseconds */
#define DEDUP_BYTES	64		/* key bytes hashed, at most */
#define DEDUP_L4_BYTES	24		/* transport bytes in the key */

struct dedup;

struct dedup	*dedup_new(const struct hash_key *, uint32_t);
void		 dedup_free(struct dedup *);
int		 dedup_seen(struct dedup *, const uint8_t *, size_t, uint32_t,
		    int64_t);

#endif
