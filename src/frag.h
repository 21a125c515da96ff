/* frag.c: remember the ports of first fragments so later fragments find their flow. */
#ifndef EGRESSD_FRAG_H
#define EGRESSD_FRAG_H

#include <stdint.h>

#include "hash.h"

#define FRAG_SLOTS	16384		/* bounded memory: direct-mapped */
#define FRAG_TIMEOUT	(30 * 1000000LL)	/* microseconds */

struct frag_table;

struct frag_table *frag_new(const struct hash_key *, uint32_t);
void	frag_free(struct frag_table *);
int	frag_put(struct frag_table *, uint8_t, const uint8_t *,
	    const uint8_t *, uint32_t, uint8_t, uint16_t, uint16_t, int64_t);
int	frag_get(struct frag_table *, uint8_t, const uint8_t *,
	    const uint8_t *, uint32_t, uint8_t, uint16_t *, uint16_t *, int64_t);
size_t	frag_memory(const struct frag_table *);

#endif
