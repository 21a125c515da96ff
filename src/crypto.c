/*
 * The cryptography egressd needs, from OpenSSL's libcrypto through its
 * EVP interface; none of it is written here.  SHA-1 and SHA-256 (FIPS
 * 180-4), HKDF with SHA-256 (RFC 5869) and the TLS 1.3 HKDF-Expand-Label
 * (RFC 8446 7.1) that QUIC derives its Initial keys with (RFC 9001 5.1),
 * AES-128 on one block (FIPS 197: QUIC header protection, RFC 9001
 * 5.4.3), AES-128-GCM with a 96-bit IV and a 128-bit tag (NIST SP
 * 800-38D: the Initial payload, RFC 9001 5.3), and base64 (RFC 4648 4).
 *
 * HkdfLabel, with an empty context (all egressd derives):
 *
 *	+------------+-----------+---------------------+-----------+
 *	| length (2) | len (1)   | "tls13 " + label    | ctx len   |
 *	|            | 6..255    |                     | (1) = 0   |
 *	+------------+-----------+---------------------+-----------+
 *
 * Each thread keeps what costs more to make than to use (a QUIC
 * Initial's AES-GCM takes less than setting up its context): the
 * algorithms fetched once, a context for each operation, keyed anew
 * each call.  They are freed when the thread ends, and at exit for the
 * thread that calls exit().
 *
 * libcrypto fails here only for want of memory or of its default
 * provider: as for xmalloc, that is fatal.  A GCM tag that does not
 * match is not a failure but an answer.
 */
#include "config.h"

#include <limits.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/params.h>

#include "crypto.h"
#include "log.h"
#include "xmalloc.h"

#define CRYPTO_LABEL_PREFIX	"tls13 "
#define CRYPTO_LABEL_MAX	255

struct crypto_hash {
	EVP_MD_CTX	*md;
};

/* One thread's algorithms and contexts. */
struct crypto_cache {
	EVP_MD		*sha1;
	EVP_MD		*sha256;
	EVP_MD_CTX	*md;		/* one-shot digests */
	EVP_MD_CTX	*sha1_fresh;	/* SHA-1 initialised, copied to md */
	EVP_CIPHER_CTX	*ecb;		/* AES-128-ECB, no padding */
	EVP_CIPHER_CTX	*gcm;		/* AES-128-GCM */
	EVP_KDF_CTX	*hkdf;		/* HKDF with SHA-256 */
};

static char crypto_sha256_name[] = "SHA256";

static pthread_once_t	crypto_once = PTHREAD_ONCE_INIT;
static pthread_key_t	crypto_key;	/* a thread's struct crypto_cache */

/*
 * The same, found without a call: a record's Community ID asks for it,
 * and pthread_once with pthread_getspecific cost a tenth of its SHA-1's
 * own instructions.  The key stays, for its destructor.
 */
static _Thread_local struct crypto_cache *crypto_mine;

/* Die with libcrypto's reason. */
static void __attribute__((noreturn))
crypto_fatal(const char *what)
{
	char	err[256];

	ERR_error_string_n(ERR_get_error(), err, sizeof(err));
	fatalx("crypto: %s: %s", what, err);
}

/* OSSL_PARAM holds input bytes through a pointer it never writes. */
static void *
crypto_unconst(const void *p)
{
	return (void *)(uintptr_t)p;
}

/* Free a thread's cache: the key's destructor when the thread ends. */
static void
crypto_cache_free(void *arg)
{
	struct crypto_cache	*c = arg;

	if (crypto_mine == c)		/* called in the thread it was for */
		crypto_mine = NULL;
	EVP_KDF_CTX_free(c->hkdf);
	EVP_CIPHER_CTX_free(c->gcm);
	EVP_CIPHER_CTX_free(c->ecb);
	EVP_MD_CTX_free(c->sha1_fresh);
	EVP_MD_CTX_free(c->md);
	EVP_MD_free(c->sha256);
	EVP_MD_free(c->sha1);
	free(c);
}

/* At exit, the cache of the thread that calls exit(). */
static void
crypto_atexit(void)
{
	struct crypto_cache	*c = pthread_getspecific(crypto_key);

	if (c != NULL) {
		(void)pthread_setspecific(crypto_key, NULL);
		crypto_cache_free(c);
	}
}

/*
 * Once per process: the key, and the exit handler, registered after
 * libcrypto's own (OPENSSL_cleanup), so that it runs before it.
 */
static void
crypto_init(void)
{
	if (OPENSSL_init_crypto(0, NULL) != 1)
		crypto_fatal("OPENSSL_init_crypto");
	if (pthread_key_create(&crypto_key, crypto_cache_free) != 0 ||
	    atexit(crypto_atexit) != 0)
		fatalx("crypto: cannot keep a cache per thread");
}

/* A cipher context set to the cipher of that name, to be keyed later. */
static EVP_CIPHER_CTX *
crypto_cipher_new(const char *name)
{
	EVP_CIPHER_CTX	*c;
	EVP_CIPHER	*cipher;

	if ((cipher = EVP_CIPHER_fetch(NULL, name, NULL)) == NULL ||
	    (c = EVP_CIPHER_CTX_new()) == NULL ||
	    EVP_CipherInit_ex2(c, cipher, NULL, NULL, 1, NULL) != 1)
		crypto_fatal(name);
	EVP_CIPHER_free(cipher);	/* the context holds it */
	return c;
}

/* This thread's cache, made at its first use. */
static struct crypto_cache *
crypto_cache(void)
{
	struct crypto_cache	*c;
	EVP_KDF			*kdf;
	OSSL_PARAM		 params[2];

	if (crypto_mine != NULL)
		return crypto_mine;
	if (pthread_once(&crypto_once, crypto_init) != 0)
		fatalx("crypto: pthread_once");
	if ((c = pthread_getspecific(crypto_key)) != NULL)
		return crypto_mine = c;
	c = xcalloc(1, sizeof(*c));
	if ((c->sha1 = EVP_MD_fetch(NULL, "SHA1", NULL)) == NULL ||
	    (c->sha256 = EVP_MD_fetch(NULL, crypto_sha256_name,
	    NULL)) == NULL || (c->md = EVP_MD_CTX_new()) == NULL ||
	    (c->sha1_fresh = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestInit_ex2(c->sha1_fresh, c->sha1, NULL) != 1)
		crypto_fatal("SHA");
	c->ecb = crypto_cipher_new("AES-128-ECB");
	if (EVP_CIPHER_CTX_set_padding(c->ecb, 0) != 1)
		crypto_fatal("AES-128-ECB");
	c->gcm = crypto_cipher_new("AES-128-GCM");
	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST,
	    crypto_sha256_name, 0);
	params[1] = OSSL_PARAM_construct_end();
	if ((kdf = EVP_KDF_fetch(NULL, OSSL_KDF_NAME_HKDF, NULL)) == NULL ||
	    (c->hkdf = EVP_KDF_CTX_new(kdf)) == NULL ||
	    EVP_KDF_CTX_set_params(c->hkdf, params) != 1)
		crypto_fatal("HKDF");
	EVP_KDF_free(kdf);		/* the context holds it */
	if (pthread_setspecific(crypto_key, c) != 0)
		fatalx("crypto: pthread_setspecific");
	return crypto_mine = c;
}

/* The digest of one whole message, in this thread's context. */
static void
crypto_digest(EVP_MD_CTX *c, const EVP_MD *md, const void *p, size_t len,
    uint8_t *out)
{
	if (EVP_DigestInit_ex2(c, md, NULL) != 1 ||
	    EVP_DigestUpdate(c, p, len) != 1 ||
	    EVP_DigestFinal_ex(c, out, NULL) != 1)
		crypto_fatal("digest");
}

/*
 * SHA-1 of one message, for the Community ID: a record's.  The context
 * starts as a copy of one initialised once, which OpenSSL 3.0 makes in
 * four-fifths of the instructions of EVP_DigestInit_ex2 (that looks for
 * an engine, and frees and makes the algorithm's context, every call).
 */
void
crypto_sha1(const void *p, size_t len, uint8_t out[CRYPTO_SHA1_LEN])
{
	struct crypto_cache	*c = crypto_cache();

	if (EVP_MD_CTX_copy_ex(c->md, c->sha1_fresh) != 1 ||
	    EVP_DigestUpdate(c->md, p, len) != 1 ||
	    EVP_DigestFinal_ex(c->md, out, NULL) != 1)
		crypto_fatal("SHA-1");
}

/* SHA-256 of one message. */
void
crypto_sha256(const void *p, size_t len, uint8_t out[CRYPTO_SHA256_LEN])
{
	struct crypto_cache	*c = crypto_cache();

	crypto_digest(c->md, c->sha256, p, len, out);
}

/* A SHA-256 to feed in pieces. */
struct crypto_hash *
crypto_sha256_new(void)
{
	struct crypto_cache	*c = crypto_cache();
	struct crypto_hash	*h = xmalloc(sizeof(*h));

	if ((h->md = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestInit_ex2(h->md, c->sha256, NULL) != 1)
		crypto_fatal("EVP_DigestInit_ex2");
	return h;
}

/* Feed bytes to a digest. */
void
crypto_hash_update(struct crypto_hash *h, const void *p, size_t len)
{
	if (EVP_DigestUpdate(h->md, p, len) != 1)
		crypto_fatal("EVP_DigestUpdate");
}

/* The digest of all bytes fed; h is freed. */
void
crypto_hash_final(struct crypto_hash *h, uint8_t *out)
{
	if (EVP_DigestFinal_ex(h->md, out, NULL) != 1)
		crypto_fatal("EVP_DigestFinal_ex");
	EVP_MD_CTX_free(h->md);
	free(h);
}

/* One block of AES-128 encryption (ECB, no padding). */
void
crypto_aes128_ecb(const uint8_t key[CRYPTO_AES128_KEY],
    const uint8_t in[CRYPTO_AES_BLOCK], uint8_t out[CRYPTO_AES_BLOCK])
{
	EVP_CIPHER_CTX	*c = crypto_cache()->ecb;
	int		 n;

	if (EVP_EncryptInit_ex2(c, NULL, key, NULL, NULL) != 1 ||
	    EVP_EncryptUpdate(c, out, &n, in, CRYPTO_AES_BLOCK) != 1 ||
	    n != CRYPTO_AES_BLOCK)
		crypto_fatal("AES-128-ECB");
}

/*
 * AES-128-GCM authenticated encryption (SP 800-38D 7.1): len bytes of in
 * to out, and the tag of them and of the aad.
 */
void
crypto_gcm_seal(const uint8_t key[CRYPTO_AES128_KEY],
    const uint8_t iv[CRYPTO_GCM_IV], const uint8_t *aad, size_t aadlen,
    const uint8_t *in, size_t len, uint8_t *out, uint8_t tag[CRYPTO_GCM_TAG])
{
	EVP_CIPHER_CTX	*c;
	uint8_t		 end[CRYPTO_AES_BLOCK];
	int		 n;

	if (aadlen > INT_MAX || len > INT_MAX)
		fatalx("crypto: AES-128-GCM: %zu bytes", len);
	c = crypto_cache()->gcm;
	if (EVP_EncryptInit_ex2(c, NULL, key, iv, NULL) != 1 ||
	    (aadlen > 0 && EVP_EncryptUpdate(c, NULL, &n, aad,
	    (int)aadlen) != 1) ||
	    (len > 0 && EVP_EncryptUpdate(c, out, &n, in, (int)len) != 1) ||
	    EVP_EncryptFinal_ex(c, end, &n) != 1 ||
	    EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_GET_TAG, CRYPTO_GCM_TAG,
	    tag) != 1)
		crypto_fatal("AES-128-GCM seal");
}

/*
 * AES-128-GCM authenticated decryption (SP 800-38D 7.2): 0 with len
 * bytes in out, or -1 if the tag does not match (out is then zeros).
 */
int
crypto_gcm_open(const uint8_t key[CRYPTO_AES128_KEY],
    const uint8_t iv[CRYPTO_GCM_IV], const uint8_t *aad, size_t aadlen,
    const uint8_t *in, size_t len, const uint8_t tag[CRYPTO_GCM_TAG],
    uint8_t *out)
{
	EVP_CIPHER_CTX	*c;
	uint8_t		 end[CRYPTO_AES_BLOCK];
	int		 n, rc = 0;

	if (aadlen > INT_MAX || len > INT_MAX)
		return -1;
	c = crypto_cache()->gcm;
	if (EVP_DecryptInit_ex2(c, NULL, key, iv, NULL) != 1 ||
	    (aadlen > 0 && EVP_DecryptUpdate(c, NULL, &n, aad,
	    (int)aadlen) != 1) ||
	    (len > 0 && EVP_DecryptUpdate(c, out, &n, in, (int)len) != 1) ||
	    EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_TAG, CRYPTO_GCM_TAG,
	    crypto_unconst(tag)) != 1)
		crypto_fatal("AES-128-GCM open");
	if (EVP_DecryptFinal_ex(c, end, &n) != 1) {
		ERR_clear_error();
		if (len > 0)
			memset(out, 0, len);
		rc = -1;
	}
	return rc;
}

/*
 * One HKDF-SHA-256 step (mode EXTRACT_ONLY or EXPAND_ONLY) of key with
 * the salt or info (pname) into out.  The context is this thread's: each
 * call sets the key and the one input its mode reads, never empty
 * (libcrypto 3.0 expands only with an info, and mishandles an empty one
 * given to a context used before).
 */
static void
crypto_hkdf(int mode, const uint8_t *key, size_t keylen, const char *pname,
    const uint8_t *pv, size_t plen, uint8_t *out, size_t outlen)
{
	OSSL_PARAM	 params[4], *p = params;

	if (key == NULL)		/* libcrypto reads NULL as no key */
		key = (const uint8_t *)"";
	*p++ = OSSL_PARAM_construct_int(OSSL_KDF_PARAM_MODE, &mode);
	*p++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY,
	    crypto_unconst(key), keylen);
	*p++ = OSSL_PARAM_construct_octet_string(pname, crypto_unconst(pv),
	    plen);
	*p = OSSL_PARAM_construct_end();
	if (EVP_KDF_derive(crypto_cache()->hkdf, out, outlen, params) != 1)
		crypto_fatal("HKDF");
}

/* PRK = HKDF-Extract(salt, IKM); no salt is HashLen zeros (RFC 5869 2.2). */
void
crypto_hkdf_extract(const uint8_t *salt, size_t saltlen, const uint8_t *ikm,
    size_t ikmlen, uint8_t prk[CRYPTO_SHA256_LEN])
{
	static const uint8_t	zeros[CRYPTO_SHA256_LEN];

	if (salt == NULL || saltlen == 0) {
		salt = zeros;
		saltlen = sizeof(zeros);
	}
	crypto_hkdf(EVP_KDF_HKDF_MODE_EXTRACT_ONLY, ikm, ikmlen,
	    OSSL_KDF_PARAM_SALT, salt, saltlen, prk, CRYPTO_SHA256_LEN);
}

/*
 * OKM = HKDF-Expand(PRK, info, L) (RFC 5869 2.3); -1 if L is over 255
 * HashLen, or info is empty (libcrypto 3.0 needs one).
 */
int
crypto_hkdf_expand(const uint8_t prk[CRYPTO_SHA256_LEN], const uint8_t *info,
    size_t infolen, uint8_t *out, size_t outlen)
{
	if (outlen == 0 || outlen > CRYPTO_HKDF_MAX || infolen == 0)
		return -1;
	crypto_hkdf(EVP_KDF_HKDF_MODE_EXPAND_ONLY, prk, CRYPTO_SHA256_LEN,
	    OSSL_KDF_PARAM_INFO, info, infolen, out, outlen);
	return 0;
}

/* HKDF-Expand-Label(Secret, Label, "", Length); -1 if it cannot be encoded. */
int
crypto_hkdf_expand_label(const uint8_t secret[CRYPTO_SHA256_LEN],
    const char *label, uint8_t *out, size_t outlen)
{
	uint8_t	info[2 + 1 + CRYPTO_LABEL_MAX + 1];
	size_t	plen = strlen(CRYPTO_LABEL_PREFIX), llen = strlen(label);

	if (outlen > 0xffff || plen + llen > CRYPTO_LABEL_MAX)
		return -1;
	info[0] = (uint8_t)(outlen >> 8);
	info[1] = (uint8_t)outlen;
	info[2] = (uint8_t)(plen + llen);
	memcpy(info + 3, CRYPTO_LABEL_PREFIX, plen);
	memcpy(info + 3 + plen, label, llen);
	info[3 + plen + llen] = 0;		/* empty context */
	return crypto_hkdf_expand(secret, info, 4 + plen + llen, out, outlen);
}

/* Base64 with padding (RFC 4648 4) and a NUL; -1 if out is too small. */
int
crypto_base64(const uint8_t *in, size_t len, char *out, size_t outlen)
{
	if (len > INT_MAX / 4 || outlen < CRYPTO_BASE64_LEN(len))
		return -1;
	(void)EVP_EncodeBlock((unsigned char *)out, in, (int)len);
	return 0;
}
