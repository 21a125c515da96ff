/*
 * crypto.c: the cryptography egressd uses, from OpenSSL's libcrypto
 * through EVP: SHA-1 (Community ID), SHA-256 (JA4, alert ids), HKDF
 * (RFC 5869) and HKDF-Expand-Label (RFC 8446 7.1) for the QUIC Initial
 * keys (RFC 9001 5.2), AES-128 for their header protection (5.4),
 * AES-128-GCM for their payload (5.3), and base64 (RFC 4648 4).
 */
#ifndef EGRESSD_CRYPTO_H
#define EGRESSD_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

#define CRYPTO_SHA1_LEN		20	/* digest bytes */
#define CRYPTO_SHA256_LEN	32
#define CRYPTO_AES_BLOCK	16	/* AES block bytes */
#define CRYPTO_AES128_KEY	16	/* AES-128 key bytes */
#define CRYPTO_GCM_IV		12	/* AES-GCM IV (nonce) bytes */
#define CRYPTO_GCM_TAG		16	/* AES-GCM tag bytes */
#define CRYPTO_HKDF_MAX		(255 * CRYPTO_SHA256_LEN)

/* base64 of n bytes, with padding and the NUL. */
#define CRYPTO_BASE64_LEN(n)	(((n) + 2) / 3 * 4 + 1)

struct crypto_hash;

void	crypto_sha1(const void *, size_t, uint8_t out[CRYPTO_SHA1_LEN]);
void	crypto_sha256(const void *, size_t, uint8_t out[CRYPTO_SHA256_LEN]);

/* An incremental SHA-256: final gives the digest and frees. */
struct crypto_hash *crypto_sha256_new(void);
void	crypto_hash_update(struct crypto_hash *, const void *, size_t);
void	crypto_hash_final(struct crypto_hash *, uint8_t *out);

void	crypto_aes128_ecb(const uint8_t key[CRYPTO_AES128_KEY],
	    const uint8_t in[CRYPTO_AES_BLOCK], uint8_t out[CRYPTO_AES_BLOCK]);
void	crypto_gcm_seal(const uint8_t key[CRYPTO_AES128_KEY],
	    const uint8_t iv[CRYPTO_GCM_IV], const uint8_t *aad, size_t aadlen,
	    const uint8_t *in, size_t len, uint8_t *out,
	    uint8_t tag[CRYPTO_GCM_TAG]);
int	crypto_gcm_open(const uint8_t key[CRYPTO_AES128_KEY],
	    const uint8_t iv[CRYPTO_GCM_IV], const uint8_t *aad, size_t aadlen,
	    const uint8_t *in, size_t len, const uint8_t tag[CRYPTO_GCM_TAG],
	    uint8_t *out);

void	crypto_hkdf_extract(const uint8_t *salt, size_t saltlen,
	    const uint8_t *ikm, size_t ikmlen, uint8_t prk[CRYPTO_SHA256_LEN]);
int	crypto_hkdf_expand(const uint8_t prk[CRYPTO_SHA256_LEN],
	    const uint8_t *info, size_t infolen, uint8_t *out, size_t outlen);
int	crypto_hkdf_expand_label(const uint8_t secret[CRYPTO_SHA256_LEN],
	    const char *label, uint8_t *out, size_t outlen);

int	crypto_base64(const uint8_t *, size_t, char *out, size_t outlen);

#endif
