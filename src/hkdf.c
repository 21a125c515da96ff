/*
 * HMAC-SHA-256 (RFC 2104 2), HKDF-Extract and HKDF-Expand (RFC 5869 2.2,
 * 2.3), and HKDF-Expand-Label with an empty context (RFC 8446 7.1):
 *
 *	HkdfLabel:
 *	+------------+-----------+---------------------+-----------+
 *	| length (2) | len (1)   | "tls13 " + label    | ctx len   |
 *	|            | 6..255    |                     | (1) = 0   |
 *	+------------+-----------+---------------------+-----------+
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "hkdf.h"
#include "sha256.h"

#define HKDF_LABEL_PREFIX	"tls13 "
#define HKDF_LABEL_MAX		255

/* HMAC(K, m) = H((K' ^ opad) || H((K' ^ ipad) || m)), K' the padded key. */
void
hkdf_hmac(const uint8_t *key, size_t keylen, const uint8_t *msg,
    size_t msglen, uint8_t out[SHA256_LEN])
{
	struct sha256_ctx	ctx;
	uint8_t			k[SHA256_BLOCK], pad[SHA256_BLOCK];
	uint8_t			inner[SHA256_LEN];
	size_t			i;

	memset(k, 0, sizeof(k));
	if (keylen > SHA256_BLOCK)
		sha256(key, keylen, k);
	else if (keylen > 0)
		memcpy(k, key, keylen);
	for (i = 0; i < SHA256_BLOCK; i++)
		pad[i] = k[i] ^ 0x36;
	sha256_init(&ctx);
	sha256_update(&ctx, pad, sizeof(pad));
	sha256_update(&ctx, msg, msglen);
	sha256_final(&ctx, inner);
	for (i = 0; i < SHA256_BLOCK; i++)
		pad[i] = k[i] ^ 0x5c;
	sha256_init(&ctx);
	sha256_update(&ctx, pad, sizeof(pad));
	sha256_update(&ctx, inner, sizeof(inner));
	sha256_final(&ctx, out);
}

/* PRK = HMAC-Hash(salt, IKM); no salt means HashLen zeros. */
void
hkdf_extract(const uint8_t *salt, size_t saltlen, const uint8_t *ikm,
    size_t ikmlen, uint8_t prk[SHA256_LEN])
{
	static const uint8_t	zeros[SHA256_LEN];

	if (salt == NULL || saltlen == 0) {
		salt = zeros;
		saltlen = sizeof(zeros);
	}
	hkdf_hmac(salt, saltlen, ikm, ikmlen, prk);
}

/*
 * OKM = T(1) | T(2) | ..., T(i) = HMAC-Hash(PRK, T(i-1) | info | i),
 * cut to outlen; -1 if outlen is over 255 * HashLen.
 */
int
hkdf_expand(const uint8_t prk[SHA256_LEN], const uint8_t *info,
    size_t infolen, uint8_t *out, size_t outlen)
{
	struct sha256_ctx	ctx;
	uint8_t			t[SHA256_LEN], inner[SHA256_LEN], i = 0;
	uint8_t			k[SHA256_BLOCK], pad[SHA256_BLOCK];
	size_t			tlen = 0, n, j;

	if (outlen > HKDF_EXPAND_MAX)
		return -1;
	memset(k, 0, sizeof(k));
	memcpy(k, prk, SHA256_LEN);
	while (outlen > 0) {
		i++;
		/* HMAC over three pieces, without copying them together. */
		for (j = 0; j < SHA256_BLOCK; j++)
			pad[j] = k[j] ^ 0x36;
		sha256_init(&ctx);
		sha256_update(&ctx, pad, sizeof(pad));
		sha256_update(&ctx, t, tlen);
		sha256_update(&ctx, info, infolen);
		sha256_update(&ctx, &i, 1);
		sha256_final(&ctx, inner);
		for (j = 0; j < SHA256_BLOCK; j++)
			pad[j] = k[j] ^ 0x5c;
		sha256_init(&ctx);
		sha256_update(&ctx, pad, sizeof(pad));
		sha256_update(&ctx, inner, sizeof(inner));
		sha256_final(&ctx, t);
		tlen = SHA256_LEN;
		n = outlen < SHA256_LEN ? outlen : SHA256_LEN;
		memcpy(out, t, n);
		out += n;
		outlen -= n;
	}
	return 0;
}

/* HKDF-Expand-Label(Secret, Label, "", Length); -1 if it cannot be encoded. */
int
hkdf_expand_label(const uint8_t secret[SHA256_LEN], const char *label,
    uint8_t *out, size_t outlen)
{
	uint8_t	info[2 + 1 + HKDF_LABEL_MAX + 1];
	size_t	plen = strlen(HKDF_LABEL_PREFIX), llen = strlen(label);

	if (outlen > 0xffff || plen + llen > HKDF_LABEL_MAX)
		return -1;
	info[0] = (uint8_t)(outlen >> 8);
	info[1] = (uint8_t)outlen;
	info[2] = (uint8_t)(plen + llen);
	memcpy(info + 3, HKDF_LABEL_PREFIX, plen);
	memcpy(info + 3 + plen, label, llen);
	info[3 + plen + llen] = 0;		/* empty context */
	return hkdf_expand(secret, info, 4 + plen + llen, out, outlen);
}
