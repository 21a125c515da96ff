/*
 * Unit tests for crypto.c, each function against published known
 * answers: SHA-1 and SHA-256 (FIPS 180 examples: "abc", the 448- and
 * 896-bit messages, a million 'a'), AES-128 (FIPS 197 C.1), AES-128-GCM
 * (the GCM specification, McGrew and Viega, test cases 1-4), HKDF
 * (RFC 5869 A.1, A.3's extract), HKDF-Expand-Label (RFC 9001 A.1) and
 * base64 (RFC 4648 10); and all at once in three threads, each with its
 * own contexts.
 */
#include "config.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "test.h"

#define HEX_MAX		256

static const char m448[] =
    "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
static const char m896[] =
    "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
    "hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";

/* Bytes of a hex string; returns how many. */
static size_t
unhex(const char *s, uint8_t *out, size_t outlen)
{
	size_t		n = 0;
	unsigned	v;

	while (s[0] != '\0' && s[1] != '\0' && n < outlen &&
	    sscanf(s, "%2x", &v) == 1) {
		out[n++] = (uint8_t)v;
		s += 2;
	}
	return n;
}

/* Lowercase hex of bytes (a static buffer). */
static const char *
hex(const uint8_t *p, size_t n)
{
	static char	buf[2 * HEX_MAX + 1];
	size_t		i;

	buf[0] = '\0';
	for (i = 0; i < n && i < HEX_MAX; i++)
		snprintf(buf + 2 * i, 3, "%02x", p[i]);
	return buf;
}

/* The SHA-1 of len bytes against a hex digest. */
static void
check_sha1(const void *p, size_t len, const char *want)
{
	uint8_t	md[CRYPTO_SHA1_LEN];

	crypto_sha1(p, len, md);
	CHECK_STR(hex(md, sizeof(md)), want);
}

/* FIPS 180-4 examples, and lengths around the padding boundaries. */
static void
test_sha1(void)
{
	static const struct {
		size_t		 len;
		const char	*md;
	} as[] = {
		/* n times 'a', digests from coreutils sha1sum */
		{ 55, "c1c8bbdc22796e28c0e15163d20899b65621d65a" },
		{ 56, "c2db330f6083854c99d4b5bfb6e8f29f201be699" },
		{ 63, "03f09f5b158a7a8cdad920bddc29b81c18a551f5" },
		{ 64, "0098ba824b5c16427bd7a1122a5a442a25ec644d" },
		{ 65, "11655326c708d70319be2610e8a57d9a5b959d3b" },
		{ 119, "ee971065aaa017e0632a8ca6c77bb3bf8b1dfc56" },
		{ 120, "f34c1488385346a55709ba056ddd08280dd4c6d6" },
		{ 128, "ad5b3fdbcb526778c2839d2f151ea753995e26a0" },
		/* FIPS 180 example: one million 'a' */
		{ 1000000, "34aa973cd4c4daa4f61eeb2bdbad27316534016f" },
	};
	char	*a;
	size_t	 i;

	check_sha1("", 0, "da39a3ee5e6b4b0d3255bfef95601890afd80709");
	check_sha1(NULL, 0, "da39a3ee5e6b4b0d3255bfef95601890afd80709");
	check_sha1("abc", 3, "a9993e364706816aba3e25717850c26c9cd0d89d");
	check_sha1(m448, strlen(m448),
	    "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
	check_sha1(m896, strlen(m896),
	    "a49b2446a02c645bf419f995b67091253a04a259");
	a = malloc(1000000);
	CHECK(a != NULL);
	if (a == NULL)
		return;
	memset(a, 'a', 1000000);
	for (i = 0; i < sizeof(as) / sizeof(as[0]); i++)
		check_sha1(a, as[i].len, as[i].md);
	free(a);
}

/* FIPS 180 examples, one-shot and fed in pieces. */
static void
test_sha256(void)
{
	struct crypto_hash	*h;
	uint8_t			 md[CRYPTO_SHA256_LEN], md2[CRYPTO_SHA256_LEN];
	uint8_t			 buf[130];
	char			*a;
	size_t			 i, j, n;

	crypto_sha256("abc", 3, md);
	CHECK_STR(hex(md, sizeof(md)), "ba7816bf8f01cfea414140de5dae2223"
	    "b00361a396177a9cb410ff61f20015ad");
	crypto_sha256(m448, strlen(m448), md);
	CHECK_STR(hex(md, sizeof(md)), "248d6a61d20638b8e5c026930c3e6039"
	    "a33ce45964ff2167f6ecedd419db06c1");
	crypto_sha256("", 0, md);
	CHECK_STR(hex(md, sizeof(md)), "e3b0c44298fc1c149afbf4c8996fb924"
	    "27ae41e4649b934ca495991b7852b855");

	/* One million 'a', in one go and in uneven pieces. */
	a = malloc(1000000);
	CHECK(a != NULL);
	if (a == NULL)
		return;
	memset(a, 'a', 1000000);
	crypto_sha256(a, 1000000, md);
	CHECK_STR(hex(md, sizeof(md)), "cdc76e5c9914fb9281a1c7e284d73e67"
	    "f1809a48a497200e046d39ccc7112cd0");
	h = crypto_sha256_new();
	for (i = 0; i < 1000000; i += n) {
		n = 1 + (i * 7919) % 131;
		if (n > 1000000 - i)
			n = 1000000 - i;
		crypto_hash_update(h, a + i, n);
	}
	crypto_hash_final(h, md2);
	CHECK(memcmp(md, md2, sizeof(md)) == 0);
	free(a);

	/* "abc" in pieces, one of them empty. */
	h = crypto_sha256_new();
	crypto_hash_update(h, "a", 1);
	crypto_hash_update(h, "", 0);
	crypto_hash_update(h, "bc", 2);
	crypto_hash_final(h, md);
	CHECK_STR(hex(md, sizeof(md)), "ba7816bf8f01cfea414140de5dae2223"
	    "b00361a396177a9cb410ff61f20015ad");

	/* Lengths around the padding boundary, a byte at a time. */
	for (i = 50; i <= sizeof(buf); i++) {
		memset(buf, 'x', i);
		crypto_sha256(buf, i, md);
		h = crypto_sha256_new();
		for (j = 0; j < i; j++)
			crypto_hash_update(h, buf + j, 1);
		crypto_hash_final(h, md2);
		CHECK(memcmp(md, md2, sizeof(md)) == 0);
	}
}

/* FIPS 197 Appendix C.1, and in place. */
static void
test_aes(void)
{
	uint8_t	key[16], in[16], out[16];

	unhex("000102030405060708090a0b0c0d0e0f", key, sizeof(key));
	unhex("00112233445566778899aabbccddeeff", in, sizeof(in));
	crypto_aes128_ecb(key, in, out);
	CHECK_STR(hex(out, 16), "69c4e0d86a7b0430d8cdb78070b4c55a");
	crypto_aes128_ecb(key, in, in);
	CHECK(memcmp(in, out, 16) == 0);
	/* Another key gives another block. */
	key[15] ^= 1;
	unhex("00112233445566778899aabbccddeeff", in, sizeof(in));
	crypto_aes128_ecb(key, in, out);
	CHECK(strcmp(hex(out, 16), "69c4e0d86a7b0430d8cdb78070b4c55a") != 0);
}

/* Seal p under key, iv and aad, check c and tag, and open it again. */
static void
check_gcm(const char *key, const char *iv, const char *p, const char *aad,
    const char *c, const char *tag)
{
	uint8_t	k[16], n[12], pt[64], a[32], ct[64], t[16], back[64];
	size_t	plen, alen;

	CHECK_EQ(unhex(key, k, sizeof(k)), 16);
	CHECK_EQ(unhex(iv, n, sizeof(n)), 12);
	plen = unhex(p, pt, sizeof(pt));
	alen = unhex(aad, a, sizeof(a));
	crypto_gcm_seal(k, n, alen ? a : NULL, alen, plen ? pt : NULL, plen,
	    ct, t);
	CHECK_STR(hex(ct, plen), c);
	CHECK_STR(hex(t, 16), tag);
	memset(back, 0xaa, sizeof(back));
	CHECK_EQ(crypto_gcm_open(k, n, alen ? a : NULL, alen, ct, plen, t,
	    back), 0);
	CHECK(memcmp(back, pt, plen) == 0);
}

/* The GCM specification's test cases 1 to 4; a changed bit fails. */
static void
test_gcm(void)
{
	const char	*k0 = "00000000000000000000000000000000";
	const char	*iv0 = "000000000000000000000000";
	const char	*k3 = "feffe9928665731c6d6a8f9467308308";
	const char	*iv3 = "cafebabefacedbaddecaf888";
	const char	*p3 = "d9313225f88406e5a55909c5aff5269a"
	    "86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525"
	    "b16aedf5aa0de657ba637b391aafd255";
	const char	*c3 = "42831ec2217774244b7221b784d0d49c"
	    "e3aa212f2c02a4e035c17e2329aca12e21d514b25466931c7d8f6a5aac84aa05"
	    "1ba30b396a0aac973d58e091473f5985";
	char		 p4[121], c4[121];
	uint8_t		 k[16], iv[12], p[16], c[16], tag[16], back[16];
	uint8_t		 aad[4] = { 1, 2, 3, 4 };

	check_gcm(k0, iv0, "", "", "", "58e2fccefa7e3061367f1d57a4e7455a");
	check_gcm(k0, iv0, "00000000000000000000000000000000", "",
	    "0388dace60b6a392f328c2b971b2fe78",
	    "ab6e47d42cec13bdf53a67b21257bddf");
	check_gcm(k3, iv3, p3, "", c3, "4d5c2af327cd64a62cf35abd2ba6fab4");
	/* Test case 4: 60 bytes of case 3's, and 20 bytes of AAD. */
	snprintf(p4, sizeof(p4), "%.120s", p3);
	snprintf(c4, sizeof(c4), "%.120s", c3);
	check_gcm(k3, iv3, p4, "feedfacedeadbeeffeedfacedeadbeefabaddad2", c4,
	    "5bc94fbc3221a5db94fae95ae7121a47");

	/* A changed bit of ciphertext, AAD, tag or IV fails; out is zeros. */
	memset(k, 0, sizeof(k));
	memset(iv, 0, sizeof(iv));
	memset(p, 0x5a, sizeof(p));
	crypto_gcm_seal(k, iv, aad, sizeof(aad), p, sizeof(p), c, tag);
	CHECK_EQ(crypto_gcm_open(k, iv, aad, sizeof(aad), c, sizeof(c), tag,
	    back), 0);
	CHECK(memcmp(back, p, sizeof(p)) == 0);
	c[5] ^= 0x10;
	memset(back, 0xaa, sizeof(back));
	CHECK_EQ(crypto_gcm_open(k, iv, aad, sizeof(aad), c, sizeof(c), tag,
	    back), -1);
	CHECK_EQ(back[0], 0);
	CHECK_EQ(back[15], 0);
	c[5] ^= 0x10;
	aad[3] ^= 1;
	CHECK_EQ(crypto_gcm_open(k, iv, aad, sizeof(aad), c, sizeof(c), tag,
	    back), -1);
	aad[3] ^= 1;
	tag[15] ^= 0x80;
	CHECK_EQ(crypto_gcm_open(k, iv, aad, sizeof(aad), c, sizeof(c), tag,
	    back), -1);
	tag[15] ^= 0x80;
	iv[0] ^= 1;
	CHECK_EQ(crypto_gcm_open(k, iv, aad, sizeof(aad), c, sizeof(c), tag,
	    back), -1);
	iv[0] ^= 1;
	CHECK_EQ(crypto_gcm_open(k, iv, aad, sizeof(aad), c, sizeof(c), tag,
	    back), 0);
	CHECK(memcmp(back, p, sizeof(p)) == 0);
}

/* RFC 5869 A.1, and A.3's extract (no salt); the limits of expand. */
static void
test_hkdf(void)
{
	uint8_t	ikm[22], salt[13], info[10], prk[32], okm[42];
	size_t	i;

	memset(ikm, 0x0b, sizeof(ikm));
	for (i = 0; i < sizeof(salt); i++)
		salt[i] = (uint8_t)i;
	for (i = 0; i < sizeof(info); i++)
		info[i] = (uint8_t)(0xf0 + i);
	crypto_hkdf_extract(salt, sizeof(salt), ikm, sizeof(ikm), prk);
	CHECK_STR(hex(prk, 32), "077709362c2e32df0ddc3f0dc47bba63"
	    "90b6c73bb50f9c3122ec844ad7c2b3e5");
	CHECK_EQ(crypto_hkdf_expand(prk, info, sizeof(info), okm,
	    sizeof(okm)), 0);
	CHECK_STR(hex(okm, 42), "3cb25f25faacd57a90434f64d0362f2a"
	    "2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865");
	/* Fewer bytes are the start of the same output. */
	CHECK_EQ(crypto_hkdf_expand(prk, info, sizeof(info), okm, 7), 0);
	CHECK_STR(hex(okm, 7), "3cb25f25faacd5");
	CHECK_EQ(crypto_hkdf_expand(prk, info, sizeof(info), okm,
	    CRYPTO_HKDF_MAX + 1), -1);
	CHECK_EQ(crypto_hkdf_expand(prk, info, 0, okm, sizeof(okm)), -1);

	crypto_hkdf_extract(NULL, 0, ikm, sizeof(ikm), prk);
	CHECK_STR(hex(prk, 32), "19ef24a32c717b167f33a91d6f648bdf"
	    "96596776afdb6377ac434c1c293ccb04");
	/* No input keying material: HMAC(salt, "") (Python's hmac). */
	crypto_hkdf_extract(salt, sizeof(salt), NULL, 0, prk);
	CHECK_STR(hex(prk, 32), "90a33d186b940bac8a4e69efce8b74ba"
	    "4c718640140d54d853b5e30ed8d7706b");
}

/* RFC 9001 A.1: the client's Initial secrets of DCID 8394c8f03e515708. */
static void
test_expand_label(void)
{
	uint8_t	salt[20], dcid[8], initial[32], client[32], out[32];
	char	label[300];

	unhex("38762cf7f55934b34d179ae6a4c80cadccbb7f0a", salt, sizeof(salt));
	unhex("8394c8f03e515708", dcid, sizeof(dcid));
	crypto_hkdf_extract(salt, sizeof(salt), dcid, sizeof(dcid), initial);
	CHECK_STR(hex(initial, 32), "7db5df06e7a69e432496adedb0085192"
	    "3595221596ae2ae9fb8115c1e9ed0a44");
	CHECK_EQ(crypto_hkdf_expand_label(initial, "client in", client, 32), 0);
	CHECK_STR(hex(client, 32), "c00cf151ca5be075ed0ebfb5c80323c4"
	    "2d6b7db67881289af4008f1f6c357aea");
	CHECK_EQ(crypto_hkdf_expand_label(initial, "server in", out, 32), 0);
	CHECK_STR(hex(out, 32), "3c199828fd139efd216c155ad844cc81"
	    "fb82fa8d7446fa7d78be803acdda951b");
	CHECK_EQ(crypto_hkdf_expand_label(client, "quic key", out, 16), 0);
	CHECK_STR(hex(out, 16), "1f369613dd76d5467730efcbe3b1a22d");
	CHECK_EQ(crypto_hkdf_expand_label(client, "quic iv", out, 12), 0);
	CHECK_STR(hex(out, 12), "fa044b2f42a3fd3b46fb255c");
	CHECK_EQ(crypto_hkdf_expand_label(client, "quic hp", out, 16), 0);
	CHECK_STR(hex(out, 16), "9f50449e04a0e810283a1e9933adedd2");

	/* A label longer than its one length byte allows. */
	memset(label, 'x', sizeof(label) - 1);
	label[sizeof(label) - 1] = '\0';
	CHECK_EQ(crypto_hkdf_expand_label(client, label, out, 16), -1);
	label[255 - 6] = '\0';
	CHECK_EQ(crypto_hkdf_expand_label(client, label, out, 16), 0);
}

/* RFC 4648 10, and an output buffer one byte short. */
static void
test_base64(void)
{
	static const char *const vec[][2] = {
		{ "", "" },
		{ "f", "Zg==" },
		{ "fo", "Zm8=" },
		{ "foo", "Zm9v" },
		{ "foob", "Zm9vYg==" },
		{ "fooba", "Zm9vYmE=" },
		{ "foobar", "Zm9vYmFy" },
	};
	uint8_t	md[CRYPTO_SHA1_LEN];
	char	out[64];
	size_t	i, n;

	for (i = 0; i < sizeof(vec) / sizeof(vec[0]); i++) {
		n = strlen(vec[i][0]);
		memset(out, 'z', sizeof(out));
		CHECK_EQ(crypto_base64((const uint8_t *)vec[i][0], n, out,
		    CRYPTO_BASE64_LEN(n)), 0);
		CHECK_STR(out, vec[i][1]);
		CHECK_EQ(crypto_base64((const uint8_t *)vec[i][0], n, out,
		    CRYPTO_BASE64_LEN(n) - 1), -1);
	}
	/* Bytes of every value: "abc"'s SHA-1. */
	crypto_sha1("abc", 3, md);
	CHECK_EQ(crypto_base64(md, sizeof(md), out, sizeof(out)), 0);
	CHECK_STR(out, "qZk+NkcGgWq6PiVxeFDCbJzQ2J0=");
}

/*
 * A thread's share of test_threads: RFC 9001 A.1's keys, FIPS 197 C.1
 * and a GCM round trip, over and over; the failures in *arg.
 */
static void *
crypto_worker(void *arg)
{
	int	*bad = arg, i;
	uint8_t	 salt[20], dcid[8], secret[32], key[16], blk[16], md[20];
	uint8_t	 c[64], tag[16], back[64];

	unhex("38762cf7f55934b34d179ae6a4c80cadccbb7f0a", salt, sizeof(salt));
	unhex("8394c8f03e515708", dcid, sizeof(dcid));
	for (i = 0; i < 300; i++) {
		crypto_hkdf_extract(salt, sizeof(salt), dcid, sizeof(dcid),
		    secret);
		if (crypto_hkdf_expand_label(secret, "client in", secret,
		    32) == -1 ||
		    crypto_hkdf_expand_label(secret, "quic key", key, 16) == -1)
			(*bad)++;
		unhex("1f369613dd76d5467730efcbe3b1a22d", blk, sizeof(blk));
		if (memcmp(key, blk, 16) != 0)
			(*bad)++;
		unhex("000102030405060708090a0b0c0d0e0f", key, sizeof(key));
		unhex("00112233445566778899aabbccddeeff", blk, sizeof(blk));
		crypto_aes128_ecb(key, blk, blk);
		unhex("69c4e0d86a7b0430d8cdb78070b4c55a", key, sizeof(key));
		if (memcmp(key, blk, 16) != 0)
			(*bad)++;
		crypto_gcm_seal(key, salt + 8, salt, sizeof(salt), salt, 20, c,
		    tag);
		if (crypto_gcm_open(key, salt + 8, salt, sizeof(salt), c, 20,
		    tag, back) == -1 || memcmp(back, salt, 20) != 0)
			(*bad)++;
		crypto_sha1("abc", 3, md);
		if (md[0] != 0xa9 || md[19] != 0x9d)
			(*bad)++;
	}
	return NULL;
}

/* Three threads at once get the answers one gets (each has its contexts). */
static void
test_threads(void)
{
	pthread_t	t[2];
	int		bad[3] = { 0, 0, 0 }, i;

	for (i = 0; i < 2; i++)
		CHECK_EQ(pthread_create(&t[i], NULL, crypto_worker, &bad[i]), 0);
	crypto_worker(&bad[2]);
	for (i = 0; i < 2; i++)
		CHECK_EQ(pthread_join(t[i], NULL), 0);
	for (i = 0; i < 3; i++)
		CHECK_EQ(bad[i], 0);
}

int
main(void)
{
	test_sha1();
	test_sha256();
	test_aes();
	test_gcm();
	test_hkdf();
	test_expand_label();
	test_base64();
	test_threads();
	return test_done("test_crypto");
}
