/*
 * libFuzzer target for quic_client_initial(): a client's first datagrams
 * on one flow.  Random bytes never pass the AEAD tag, so the input says
 * for each datagram whether it is given as it is or made into a valid
 * Initial around fuzzed plaintext frames:
 *
 *	+-----------+------------+----------------------------------+
 *	| flags (1) | length (2) | bytes ...                        |
 *	+-----------+------------+----------------------------------+
 *
 * flags bit 0: seal the bytes as the frames of an Initial (else raw);
 * bit 1: version 2; bit 2: coalesce with the previous datagram; bits
 * 3-7: the packet number.  Each datagram is passed from a heap copy of
 * exactly its size, so AddressSanitizer sees any read past the end.
 *
 * Invariants besides the sanitizers: the status is one of the five;
 * the contiguous CRYPTO length never shrinks nor passes QUIC_CRYPTO_MAX;
 * a parsed hello's strings are printable and its JA4 starts with 'q';
 * no packet opens once the stream says none did.
 */
#include "config.h"

#include "fuzz.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "quic.h"
#include "tls.h"

#define FQ_DGRAM_MAX	4096

static const uint8_t fq_dcid[8] = {
	0x83, 0x94, 0xc8, 0xf0, 0x3e, 0x51, 0x57, 0x08
};

/* Seal frames as a client Initial at out (room for flen + 64): its length. */
static size_t
fq_seal(uint32_t ver, uint8_t pn, const uint8_t *frames, size_t flen,
    uint8_t *out)
{
	struct quic_keys	k;
	uint8_t			nonce[CRYPTO_GCM_IV], mask[CRYPTO_AES_BLOCK];
	size_t			o = 0, pn_off, plen;

	if (flen < 3)		/* the sample must fit */
		return 0;
	FUZZ_ASSERT(quic_initial_keys(ver, fq_dcid, sizeof(fq_dcid), &k) == 0);
	plen = 1 + flen + CRYPTO_GCM_TAG;
	out[o++] = (uint8_t)(0xc0 | (ver == QUIC_V2 ? 0x10 : 0));
	out[o++] = (uint8_t)(ver >> 24);
	out[o++] = (uint8_t)(ver >> 16);
	out[o++] = (uint8_t)(ver >> 8);
	out[o++] = (uint8_t)ver;
	out[o++] = sizeof(fq_dcid);
	memcpy(out + o, fq_dcid, sizeof(fq_dcid));
	o += sizeof(fq_dcid);
	out[o++] = 0;
	out[o++] = 0;
	out[o++] = (uint8_t)(0x40 | plen >> 8);
	out[o++] = (uint8_t)plen;
	pn_off = o;
	out[o++] = pn;
	memcpy(nonce, k.iv, CRYPTO_GCM_IV);
	nonce[CRYPTO_GCM_IV - 1] ^= pn;
	crypto_gcm_seal(k.key, nonce, out, o, frames, flen, out + o,
	    out + o + flen);
	crypto_aes128_ecb(k.hp, out + pn_off + 4, mask);
	out[0] ^= mask[0] & 0x0f;
	out[pn_off] ^= mask[1];
	return o + flen + CRYPTO_GCM_TAG;
}

/* A NUL-terminated printable string in its array. */
static void
fq_check_str(const char *s, size_t size)
{
	const char	*end = memchr(s, '\0', size);

	FUZZ_ASSERT(end != NULL);
	for (; s < end; s++)
		FUZZ_ASSERT(*s >= 0x21 && *s <= 0x7e);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct quic_stream	qs;
	static struct tls_hello		h;
	static uint8_t			dg[2 * (FQ_DGRAM_MAX + 64)];
	char				ja4[TLS_JA4_LEN];
	uint8_t				*copy;
	size_t				off = 0, n, dlen = 0, plen;
	size_t				lastlen;
	uint8_t				flags;
	int				rc, ndg = 0;

	memset(&qs, 0, sizeof(qs));
	while (off + 3 <= size && ndg < 16) {
		flags = data[off];
		n = (size_t)data[off + 1] << 8 | data[off + 2];
		off += 3;
		if (n > size - off)
			n = size - off;
		if (n > FQ_DGRAM_MAX)
			n = FQ_DGRAM_MAX;
		if (!(flags & 4))
			dlen = 0;
		if (flags & 1)
			plen = fq_seal(flags & 2 ? QUIC_V2 : QUIC_V1,
			    (uint8_t)(flags >> 3), data + off, n, dg + dlen);
		else {
			memcpy(dg + dlen, data + off, n);
			plen = n;
		}
		off += n;
		dlen += plen;
		if (dlen > FQ_DGRAM_MAX)	/* room for one more */
			dlen = 0;
		copy = malloc(dlen > 0 ? dlen : 1);
		FUZZ_ASSERT(copy != NULL);
		memcpy(copy, dg, dlen);
		lastlen = qs.len;
		rc = quic_client_initial(&qs, copy, dlen, &h);
		free(copy);
		ndg++;
		FUZZ_ASSERT(rc == QUIC_OK || rc == QUIC_MORE ||
		    rc == QUIC_NOT || rc == QUIC_UNDECRYPTABLE ||
		    rc == QUIC_BAD);
		FUZZ_ASSERT(qs.len >= lastlen && qs.len <= QUIC_CRYPTO_MAX);
		FUZZ_ASSERT(qs.datagrams == (unsigned)ndg);
		FUZZ_ASSERT(qs.packets > 0 || qs.len == 0);
		if (rc == QUIC_OK) {
			FUZZ_ASSERT(qs.packets > 0);
			fq_check_str(h.sni, sizeof(h.sni));
			FUZZ_ASSERT(tls_ja4(&h, 'q', 0, ja4, sizeof(ja4)) == 0);
			FUZZ_ASSERT(ja4[0] == 'q' && strlen(ja4) == 36);
			break;
		}
		if (rc != QUIC_MORE)
			break;
	}
	return 0;
}
