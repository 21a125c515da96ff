/*
 * sha256.c: SHA-256 (FIPS 180-4), for the JA4 TLS client fingerprint.
 */
#ifndef EGRESSD_SHA256_H
#define EGRESSD_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_LEN	32	/* digest bytes */
#define SHA256_BLOCK	64	/* message block bytes */

struct sha256_ctx {
	uint32_t	h[8];
	uint64_t	nbytes;			/* message bytes so far */
	uint8_t		buf[SHA256_BLOCK];	/* a partial block */
	size_t		nbuf;
};

void	sha256_init(struct sha256_ctx *);
void	sha256_update(struct sha256_ctx *, const void *, size_t);
void	sha256_final(struct sha256_ctx *, uint8_t out[SHA256_LEN]);

/* The digest of one whole message. */
void	sha256(const void *, size_t, uint8_t out[SHA256_LEN]);

#endif
