/*
 * aes.c: the AES-128 block cipher (FIPS 197), encryption only, for the
 * QUIC Initial packet protection (RFC 9001 5).
 */
#ifndef EGRESSD_AES_H
#define EGRESSD_AES_H

#include <stdint.h>

#define AES_BLOCK	16	/* bytes in a block */
#define AES128_KEY	16	/* bytes in a key */
#define AES128_ROUNDS	10

struct aes128 {
	/* The round keys, 11 blocks. */
	uint8_t	rk[(AES128_ROUNDS + 1) * AES_BLOCK];
};

void	aes128_init(struct aes128 *, const uint8_t key[AES128_KEY]);
void	aes128_encrypt(const struct aes128 *, const uint8_t in[AES_BLOCK],
	    uint8_t out[AES_BLOCK]);

#endif
