/*
 * SHA-256, written from FIPS 180-4 (August 2015): 4.1.2 functions,
 * 4.2.2 constants, 5.1.1 padding, 5.3.3 initial hash value, 6.2.2
 * the hash computation.  Big-endian words throughout.
 *
 * Padded message, a multiple of 512 bits:
 *
 *	+---------------------+------+-------------+--------------------+
 *	| message (l bits)    | 0x80 | 0x00 ...    | l (64 bits, BE)    |
 *	+---------------------+------+-------------+--------------------+
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "sha256.h"

#define SHA256_ROTR(x, n)	(((x) >> (n)) | ((x) << (32 - (n))))
#define SHA256_CH(x, y, z)	(((x) & (y)) ^ (~(x) & (z)))
#define SHA256_MAJ(x, y, z)	(((x) & (y)) ^ ((x) & (z)) ^ ((y) & (z)))
#define SHA256_BSIG0(x)	\
	(SHA256_ROTR(x, 2) ^ SHA256_ROTR(x, 13) ^ SHA256_ROTR(x, 22))
#define SHA256_BSIG1(x)	\
	(SHA256_ROTR(x, 6) ^ SHA256_ROTR(x, 11) ^ SHA256_ROTR(x, 25))
#define SHA256_SSIG0(x)	(SHA256_ROTR(x, 7) ^ SHA256_ROTR(x, 18) ^ ((x) >> 3))
#define SHA256_SSIG1(x)	(SHA256_ROTR(x, 17) ^ SHA256_ROTR(x, 19) ^ ((x) >> 10))

/* The first 32 bits of the fractional parts of the cube roots of the first 64 primes. */
static const uint32_t sha256_k[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5,
	0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
	0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
	0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
	0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc,
	0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
	0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
	0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
	0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
	0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3,
	0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5,
	0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
	0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

/* Fold one 512-bit block into the hash state (FIPS 180-4, 6.2.2). */
static void
sha256_block(uint32_t h[8], const uint8_t *p)
{
	uint32_t	w[64], a, b, c, d, e, f, g, hh, t1, t2;
	int		t;

	for (t = 0; t < 16; t++)
		w[t] = (uint32_t)p[4 * t] << 24 | (uint32_t)p[4 * t + 1] << 16 |
		    (uint32_t)p[4 * t + 2] << 8 | (uint32_t)p[4 * t + 3];
	for (t = 16; t < 64; t++)
		w[t] = SHA256_SSIG1(w[t - 2]) + w[t - 7] +
		    SHA256_SSIG0(w[t - 15]) + w[t - 16];

	a = h[0]; b = h[1]; c = h[2]; d = h[3];
	e = h[4]; f = h[5]; g = h[6]; hh = h[7];
	for (t = 0; t < 64; t++) {
		t1 = hh + SHA256_BSIG1(e) + SHA256_CH(e, f, g) + sha256_k[t] +
		    w[t];
		t2 = SHA256_BSIG0(a) + SHA256_MAJ(a, b, c);
		hh = g;
		g = f;
		f = e;
		e = d + t1;
		d = c;
		c = b;
		b = a;
		a = t1 + t2;
	}
	h[0] += a; h[1] += b; h[2] += c; h[3] += d;
	h[4] += e; h[5] += f; h[6] += g; h[7] += hh;
}

/* Start a message with the initial hash value (FIPS 180-4, 5.3.3). */
void
sha256_init(struct sha256_ctx *ctx)
{
	static const uint32_t	h0[8] = {
		0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
		0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
	};

	memcpy(ctx->h, h0, sizeof(ctx->h));
	ctx->nbytes = 0;
	ctx->nbuf = 0;
}

/* Add message bytes, hashing each block as it fills. */
void
sha256_update(struct sha256_ctx *ctx, const void *data, size_t len)
{
	const uint8_t	*p = data;
	size_t		 n;

	if (len == 0)
		return;
	ctx->nbytes += len;
	if (ctx->nbuf > 0) {
		n = SHA256_BLOCK - ctx->nbuf;
		if (n > len)
			n = len;
		memcpy(ctx->buf + ctx->nbuf, p, n);
		ctx->nbuf += n;
		p += n;
		len -= n;
		if (ctx->nbuf < SHA256_BLOCK)
			return;
		sha256_block(ctx->h, ctx->buf);
		ctx->nbuf = 0;
	}
	for (; len >= SHA256_BLOCK; p += SHA256_BLOCK, len -= SHA256_BLOCK)
		sha256_block(ctx->h, p);
	if (len > 0) {
		memcpy(ctx->buf, p, len);
		ctx->nbuf = len;
	}
}

/* Pad (FIPS 180-4, 5.1.1), hash the last blocks and write the digest. */
void
sha256_final(struct sha256_ctx *ctx, uint8_t out[SHA256_LEN])
{
	uint64_t	bits = ctx->nbytes * 8;
	int		i;

	ctx->buf[ctx->nbuf++] = 0x80;
	if (ctx->nbuf > SHA256_BLOCK - 8) {
		memset(ctx->buf + ctx->nbuf, 0, SHA256_BLOCK - ctx->nbuf);
		sha256_block(ctx->h, ctx->buf);
		ctx->nbuf = 0;
	}
	memset(ctx->buf + ctx->nbuf, 0, SHA256_BLOCK - 8 - ctx->nbuf);
	for (i = 0; i < 8; i++)
		ctx->buf[SHA256_BLOCK - 1 - i] = (uint8_t)(bits >> (8 * i));
	sha256_block(ctx->h, ctx->buf);

	for (i = 0; i < 8; i++) {
		out[4 * i] = (uint8_t)(ctx->h[i] >> 24);
		out[4 * i + 1] = (uint8_t)(ctx->h[i] >> 16);
		out[4 * i + 2] = (uint8_t)(ctx->h[i] >> 8);
		out[4 * i + 3] = (uint8_t)ctx->h[i];
	}
	memset(ctx, 0, sizeof(*ctx));
}

/* Hash one whole message. */
void
sha256(const void *data, size_t len, uint8_t out[SHA256_LEN])
{
	struct sha256_ctx	ctx;

	sha256_init(&ctx);
	sha256_update(&ctx, data, len);
	sha256_final(&ctx, out);
}
