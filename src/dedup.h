/* dedup.c: drop the second copy of a packet that a SPAN port mirrored twice. */
#ifndef EGRESSD_DEDUP_H
#define EGRESSD_DEDUP_H

#include <stddef.h>
#include <stdint.h>

#include "hash.h"

#define DEDUP_SLOTS	4096		/* 16 bytes each */
#define DEDUP_RING	4096		/* packets kept, 24 bytes each */
#define DEDUP_BYTES	(1024 * 1024)	/* their bytes, a ring */
#define DEDUP_WINDOW	1000		/* microseconds */
#define DEDUP_COPIES	3		/* copies of one packet dropped, at most */
#define DEDUP_WORDS	8		/* hashed words, at most: IPv6 and 24 */
#define DEDUP_L4_BYTES	24		/* transport bytes hashed */

/* What dedup_seen made of a packet. */
enum dedup_result {
	DEDUP_NEW,		/* not seen within the window: recorded */
	DEDUP_COPY,		/* a copy of one seen: drop it */
	DEDUP_EXCESS,		/* a copy past DEDUP_COPIES: count it */
};

struct dedup;

struct dedup	*dedup_new(const struct hash_key *, uint32_t);
void		 dedup_free(struct dedup *);
enum dedup_result dedup_seen(struct dedup *, const uint8_t *, size_t,
		    const uint8_t *, size_t, uint32_t, int64_t);

#endif
