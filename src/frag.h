/* frag.c: remember the ports of first fragments so later fragments find their flow. */
#ifndef EGRESSD_FRAG_H
#define EGRESSD_FRAG_H

#include <stdint.h>

#include "hash.h"

#define FRAG_SLOTS	16384		/* bounded memory: direct-mapped */
#define FRAG_TIMEOUT	(30 * 1000000LL)	/* microseconds */

struct frag_table;

/* What later fragments learn from the first: the transport and its ports. */
struct frag_info {
	uint8_t		proto;
	uint16_t	sport, dport;
};

struct frag_table *frag_new(const struct hash_key *, uint32_t);
void	frag_free(struct frag_table *);
int	frag_put(struct frag_table *, uint8_t, const uint8_t *,
	    const uint8_t *, uint32_t, uint8_t, const struct frag_info *,
	    int64_t);
int	frag_get(struct frag_table *, uint8_t, const uint8_t *,
	    const uint8_t *, uint32_t, uint8_t, struct frag_info *, int64_t);
size_t	frag_memory(const struct frag_table *);

#endif
