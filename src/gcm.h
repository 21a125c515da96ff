/*
 * gcm.c: AES-128-GCM (NIST SP 800-38D) with a 96-bit IV and a 128-bit
 * tag, the AEAD of the QUIC Initial packets (RFC 9001 5.3).
 */
#ifndef EGRESSD_GCM_H
#define EGRESSD_GCM_H

#include <stddef.h>
#include <stdint.h>

#include "aes.h"

#define GCM_IV		12	/* bytes of IV (nonce) */
#define GCM_TAG		16	/* bytes of tag */

struct gcm {
	struct aes128	aes;
	uint8_t		h[AES_BLOCK];	/* hash subkey E(K, 0^128) */
};

void	gcm_init(struct gcm *, const uint8_t key[AES128_KEY]);
void	gcm_seal(const struct gcm *, const uint8_t iv[GCM_IV],
	    const uint8_t *aad, size_t aadlen, const uint8_t *in, size_t len,
	    uint8_t *out, uint8_t tag[GCM_TAG]);
int	gcm_open(const struct gcm *, const uint8_t iv[GCM_IV],
	    const uint8_t *aad, size_t aadlen, const uint8_t *in, size_t len,
	    const uint8_t tag[GCM_TAG], uint8_t *out);

#endif
