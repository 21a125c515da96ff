/*
 * AES-128-GCM, written from NIST SP 800-38D (November 2007): 6.3 the
 * multiplication in GF(2^128) (Algorithm 1, a bit at a time on 64-bit
 * halves: no tables; it runs over a few Initial packets per flow), 6.4
 * GHASH, 6.5 GCTR, 7.1 and 7.2 authenticated encryption and decryption
 * with a 96-bit IV.
 *
 *	J0 = IV || 0^31 || 1
 *	C  = GCTR(inc32(J0), P)
 *	S  = GHASH(A || 0^v || C || 0^u || [len(A)]64 || [len(C)]64)
 *	T  = E(K, J0) xor S
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "aes.h"
#include "gcm.h"

/* A block as two big-endian 64-bit halves. */
static void
gcm_load(const uint8_t b[AES_BLOCK], uint64_t *hi, uint64_t *lo)
{
	int	i;

	*hi = *lo = 0;
	for (i = 0; i < 8; i++) {
		*hi = *hi << 8 | b[i];
		*lo = *lo << 8 | b[8 + i];
	}
}

/*
 * X = X * Y in GF(2^128) (Algorithm 1): bit 0 is the high bit of byte 0;
 * V is shifted right, folding R = 11100001 || 0^120 back in.  Branch-free
 * masks, on two 64-bit halves.
 */
static void
gcm_mul(uint8_t x[AES_BLOCK], const uint8_t y[AES_BLOCK])
{
	uint64_t	xh, xl, vh, vl, zh = 0, zl = 0, m, bit;
	int		i;

	gcm_load(x, &xh, &xl);
	gcm_load(y, &vh, &vl);
	for (i = 0; i < 128; i++) {
		bit = i < 64 ? xh >> (63 - i) : xl >> (127 - i);
		m = 0 - (bit & 1);
		zh ^= vh & m;
		zl ^= vl & m;
		m = 0 - (vl & 1);
		vl = vl >> 1 | vh << 63;
		vh = (vh >> 1) ^ (0xe100000000000000ULL & m);
	}
	for (i = 0; i < 8; i++) {
		x[i] = (uint8_t)(zh >> (56 - 8 * i));
		x[8 + i] = (uint8_t)(zl >> (56 - 8 * i));
	}
}

/* Fold bytes into the GHASH state y, the last block padded with zeros. */
static void
gcm_ghash(const struct gcm *g, uint8_t y[AES_BLOCK], const uint8_t *p,
    size_t len)
{
	size_t	i, n;

	while (len > 0) {
		n = len < AES_BLOCK ? len : AES_BLOCK;
		for (i = 0; i < n; i++)
			y[i] ^= p[i];
		gcm_mul(y, g->h);
		p += n;
		len -= n;
	}
}

/* Add one to the low 32 bits of a counter block (inc32). */
static void
gcm_inc32(uint8_t cb[AES_BLOCK])
{
	int	i;

	for (i = AES_BLOCK - 1; i >= AES_BLOCK - 4; i--)
		if (++cb[i] != 0)
			break;
}

/* XOR the keystream from counter block cb on in, to out (GCTR). */
static void
gcm_ctr(const struct gcm *g, const uint8_t cb0[AES_BLOCK], const uint8_t *in,
    size_t len, uint8_t *out)
{
	uint8_t	cb[AES_BLOCK], ks[AES_BLOCK];
	size_t	i, n;

	memcpy(cb, cb0, AES_BLOCK);
	while (len > 0) {
		aes128_encrypt(&g->aes, cb, ks);
		n = len < AES_BLOCK ? len : AES_BLOCK;
		for (i = 0; i < n; i++)
			out[i] = in[i] ^ ks[i];
		gcm_inc32(cb);
		in += n;
		out += n;
		len -= n;
	}
}

/* The tag of aad and the ciphertext c under counter block j0. */
static void
gcm_tag(const struct gcm *g, const uint8_t j0[AES_BLOCK], const uint8_t *aad,
    size_t aadlen, const uint8_t *c, size_t len, uint8_t tag[GCM_TAG])
{
	uint8_t		s[AES_BLOCK], lens[AES_BLOCK];
	uint64_t	abits = (uint64_t)aadlen * 8, cbits = (uint64_t)len * 8;
	int		i;

	memset(s, 0, sizeof(s));
	gcm_ghash(g, s, aad, aadlen);
	gcm_ghash(g, s, c, len);
	for (i = 0; i < 8; i++) {
		lens[i] = (uint8_t)(abits >> (56 - 8 * i));
		lens[8 + i] = (uint8_t)(cbits >> (56 - 8 * i));
	}
	gcm_ghash(g, s, lens, sizeof(lens));
	gcm_ctr(g, j0, s, GCM_TAG, tag);
}

/* The pre-counter block J0 of a 96-bit IV. */
static void
gcm_j0(const uint8_t iv[GCM_IV], uint8_t j0[AES_BLOCK])
{
	memcpy(j0, iv, GCM_IV);
	j0[12] = j0[13] = j0[14] = 0;
	j0[15] = 1;
}

/* Set up a key: its round keys and hash subkey. */
void
gcm_init(struct gcm *g, const uint8_t key[AES128_KEY])
{
	static const uint8_t	zero[AES_BLOCK];

	aes128_init(&g->aes, key);
	aes128_encrypt(&g->aes, zero, g->h);
}

/* Encrypt len bytes of in to out and compute the tag (7.1). */
void
gcm_seal(const struct gcm *g, const uint8_t iv[GCM_IV], const uint8_t *aad,
    size_t aadlen, const uint8_t *in, size_t len, uint8_t *out,
    uint8_t tag[GCM_TAG])
{
	uint8_t	j0[AES_BLOCK], cb[AES_BLOCK];

	gcm_j0(iv, j0);
	memcpy(cb, j0, AES_BLOCK);
	gcm_inc32(cb);
	gcm_ctr(g, cb, in, len, out);
	gcm_tag(g, j0, aad, aadlen, out, len, tag);
}

/*
 * Check the tag of len bytes of ciphertext and decrypt them to out
 * (7.2): 0, or -1 when the tag is wrong (out is then left untouched).
 */
int
gcm_open(const struct gcm *g, const uint8_t iv[GCM_IV], const uint8_t *aad,
    size_t aadlen, const uint8_t *in, size_t len, const uint8_t tag[GCM_TAG],
    uint8_t *out)
{
	uint8_t	j0[AES_BLOCK], cb[AES_BLOCK], t[GCM_TAG], diff = 0;
	int	i;

	gcm_j0(iv, j0);
	gcm_tag(g, j0, aad, aadlen, in, len, t);
	for (i = 0; i < GCM_TAG; i++)
		diff |= t[i] ^ tag[i];
	if (diff != 0)
		return -1;
	memcpy(cb, j0, AES_BLOCK);
	gcm_inc32(cb);
	gcm_ctr(g, cb, in, len, out);
	return 0;
}
