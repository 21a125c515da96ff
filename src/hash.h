/*
 * hash.h: SipHash-1-3, a keyed hash, for every table indexed by packet
 * fields.  The key is drawn at random at start-up so that nobody on the
 * wire can aim packets at one bucket (hash flooding) or forge collisions.
 * Written from the SipHash paper (Aumasson, Bernstein 2012).
 */
#ifndef EGRESSD_HASH_H
#define EGRESSD_HASH_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct hash_key {
	uint64_t	k0, k1;
};

#define HASH_ROTL(x, b)	(uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))

#define HASH_SIPROUND(v0, v1, v2, v3) do {				\
	v0 += v1; v1 = HASH_ROTL(v1, 13); v1 ^= v0; v0 = HASH_ROTL(v0, 32); \
	v2 += v3; v3 = HASH_ROTL(v3, 16); v3 ^= v2;			\
	v0 += v3; v3 = HASH_ROTL(v3, 21); v3 ^= v0;			\
	v2 += v1; v1 = HASH_ROTL(v1, 17); v1 ^= v2; v2 = HASH_ROTL(v2, 32); \
} while (0)

/* Read 8 bytes (4: hash_load32) little-endian, unaligned. */
static inline uint64_t
hash_load64(const uint8_t *p)
{
	uint64_t	v;

	memcpy(&v, p, 8);
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	v = __builtin_bswap64(v);
#endif
	return v;
}

/* Store v as 8 little-endian bytes: what hash_load64 reads back. */
static inline void
hash_store64(uint8_t *p, uint64_t v)
{
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	v = __builtin_bswap64(v);
#endif
	memcpy(p, &v, 8);
}

static inline uint64_t
hash_load32(const uint8_t *p)
{
	uint32_t	v;

	memcpy(&v, p, 4);
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	v = __builtin_bswap32(v);
#endif
	return v;
}

/* SipHash-1-3 of len bytes under key. */
static inline uint64_t
hash_bytes(const struct hash_key *key, const void *data, size_t len)
{
	const uint8_t	*p = data;
	uint64_t	 v0 = key->k0 ^ 0x736f6d6570736575ULL;
	uint64_t	 v1 = key->k1 ^ 0x646f72616e646f6dULL;
	uint64_t	 v2 = key->k0 ^ 0x6c7967656e657261ULL;
	uint64_t	 v3 = key->k1 ^ 0x7465646279746573ULL;
	uint64_t	 m, b = (uint64_t)len << 56;
	size_t		 i, left = len & 7;

	for (i = 0; i + 8 <= len; i += 8) {
		m = hash_load64(p + i);
		v3 ^= m;
		HASH_SIPROUND(v0, v1, v2, v3);
		v0 ^= m;
	}
	while (left > 0) {
		left--;
		b |= (uint64_t)p[i + left] << (8 * left);
	}
	v3 ^= b;
	HASH_SIPROUND(v0, v1, v2, v3);
	v0 ^= b;
	v2 ^= 0xff;
	HASH_SIPROUND(v0, v1, v2, v3);
	HASH_SIPROUND(v0, v1, v2, v3);
	HASH_SIPROUND(v0, v1, v2, v3);
	return v0 ^ v1 ^ v2 ^ v3;
}

/* The 64x64->128 multiply folded to 64 bits: the mixing step of hash_fast. */
static inline uint64_t
hash_mum(uint64_t a, uint64_t b)
{
#ifdef __SIZEOF_INT128__
	unsigned __int128	r = (unsigned __int128)a * b;

	return (uint64_t)r ^ (uint64_t)(r >> 64);
#else
	uint64_t	r = a * (b | 1);

	return r ^ (r >> 32) ^ b;
#endif
}

/*
 * A keyed multiply-mix hash for the per-packet tables (flows, duplicates,
 * fragments).  Sixteen bytes per 128-bit multiply, each word mixed with a
 * half of the random key, in the style of the seeded hashes that language
 * runtimes use against hash flooding: bucket positions cannot be predicted
 * without the key.  Where a collision would matter (duplicates), the
 * tables compare the whole key as well, so the hash only ever places.
 */
static inline uint64_t
hash_fast(const struct hash_key *key, const void *data, size_t len)
{
	const uint8_t	*p = data;
	uint64_t	 h = key->k0 ^ ((uint64_t)len * 0x9e3779b97f4a7c15ULL);
	uint64_t	 a, b;
	uint8_t		 tail[16];

	while (len >= 16) {
		h = hash_mum(hash_load64(p) ^ key->k0 ^ h,
		    hash_load64(p + 8) ^ key->k1);
		p += 16;
		len -= 16;
	}
	if (len > 0) {
		memset(tail, 0, sizeof(tail));
		memcpy(tail, p, len);
		h = hash_mum(hash_load64(tail) ^ key->k0 ^ h,
		    hash_load64(tail + 8) ^ key->k1);
	}
	a = h ^ key->k1;
	b = h ^ 0xe7037ed1a0b428dbULL;
	return hash_mum(a, b) ^ h;
}

/*
 * The 16 bytes of an address as keys hold it (IPv4: its 4 bytes, then
 * zeros) as two little-endian words, for hash_fast_w.  An IPv4 address is
 * read as its 4 bytes alone, whatever follows them in memory.
 */
static inline void
hash_addr_words(uint8_t af, const uint8_t *addr, uint64_t w[2])
{
	if (af == 4) {
		w[0] = hash_load32(addr);
		w[1] = 0;
	} else {
		w[0] = hash_load64(addr);
		w[1] = hash_load64(addr + 8);
	}
}

/*
 * hash_fast of the 8n bytes whose little-endian words are w[0..n), from the
 * words: the same value, for keys put together in registers.
 */
static inline uint64_t
hash_fast_w(const struct hash_key *key, const uint64_t *w, size_t n)
{
	uint64_t	h = key->k0 ^ ((uint64_t)(8 * n) * 0x9e3779b97f4a7c15ULL);
	size_t		i;

	for (i = 0; i + 2 <= n; i += 2)
		h = hash_mum(w[i] ^ key->k0 ^ h, w[i + 1] ^ key->k1);
	if (i < n)
		h = hash_mum(w[i] ^ key->k0 ^ h, key->k1);
	return hash_mum(h ^ key->k1, h ^ 0xe7037ed1a0b428dbULL) ^ h;
}

void	hash_key_random(struct hash_key *);

#endif
