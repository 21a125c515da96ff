/*
 * hkdf.c: HMAC-SHA-256 (RFC 2104), HKDF (RFC 5869) and the TLS 1.3
 * HKDF-Expand-Label (RFC 8446 7.1), over sha256.c; for the QUIC Initial
 * keys (RFC 9001 5.2).
 */
#ifndef EGRESSD_HKDF_H
#define EGRESSD_HKDF_H

#include <stddef.h>
#include <stdint.h>

#include "sha256.h"

#define HKDF_EXPAND_MAX		(255 * SHA256_LEN)

void	hkdf_hmac(const uint8_t *key, size_t keylen, const uint8_t *msg,
	    size_t msglen, uint8_t out[SHA256_LEN]);
void	hkdf_extract(const uint8_t *salt, size_t saltlen,
	    const uint8_t *ikm, size_t ikmlen, uint8_t prk[SHA256_LEN]);
int	hkdf_expand(const uint8_t prk[SHA256_LEN], const uint8_t *info,
	    size_t infolen, uint8_t *out, size_t outlen);
int	hkdf_expand_label(const uint8_t secret[SHA256_LEN],
	    const char *label, uint8_t *out, size_t outlen);

#endif
