/* bytes.h: building packets and messages byte by byte in the unit tests. */
#ifndef EGRESSD_TEST_BYTES_H
#define EGRESSD_TEST_BYTES_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Bytes under construction; running past the end aborts the test. */
struct b {
	uint8_t	d[512];
	size_t	n;
};

static inline void
put(struct b *b, const void *p, size_t n)
{
	if (b->n + n > sizeof(b->d))
		abort();
	memcpy(b->d + b->n, p, n);
	b->n += n;
}

static inline void
put8(struct b *b, uint8_t v)
{
	put(b, &v, 1);
}

static inline void
put16(struct b *b, uint16_t v)
{
	put8(b, (uint8_t)(v >> 8));
	put8(b, (uint8_t)v);
}

static inline void
put32(struct b *b, uint32_t v)
{
	put16(b, (uint16_t)(v >> 16));
	put16(b, (uint16_t)v);
}

#endif
