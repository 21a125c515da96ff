/*
 * libFuzzer target for tls_client_hello() and tls_ja4(): the input is the
 * first client bytes of a TCP stream.  The whole input and some of its
 * prefixes are parsed, each from a heap copy of exactly its length, so
 * AddressSanitizer sees any read past the end.
 *
 * Invariants checked besides the sanitizers:
 *	- the strings are NUL-terminated in their arrays, printable ASCII,
 *	  and every backslash starts \\ or \xHH;
 *	- kept counts are within their arrays and the seen counts;
 *	- MORE promises need > length; a prefix that MORE says is too short
 *	  for the message (length < need) never parses whole at that length;
 *	- an answer other than MORE for a prefix is final: the whole input
 *	  gives the same answer and, for OK, the same hello and JA4;
 *	- the input read as a bare handshake message (QUIC) parses the same
 *	  as that message cut into handshake records;
 *	- JA4 has the shape [tqd]..[di]dddd.._hhhhhhhhhhhh_hhhhhhhhhhhh and
 *	  its raw form fits TLS_JA4_RAW_LEN.
 */
#include "config.h"

#include "fuzz.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tls.h"



/* A bounded, NUL-terminated, printable and well-escaped string. */
static void
ft_check_str(const char *s, size_t size)
{
	const char	*end = memchr(s, '\0', size);
	const char	*p;

	FUZZ_ASSERT(end != NULL);
	for (p = s; p < end; p++) {
		FUZZ_ASSERT(*p >= 0x21 && *p <= 0x7e);
		if (*p != '\\')
			continue;
		FUZZ_ASSERT(p + 1 < end);
		if (p[1] == '\\') {
			p++;
			continue;
		}
		FUZZ_ASSERT(p[1] == 'x' && p + 3 < end);
		FUZZ_ASSERT(strchr("0123456789abcdef", p[2]) != NULL);
		FUZZ_ASSERT(strchr("0123456789abcdef", p[3]) != NULL);
		p += 3;
	}
}

/* Lowercase hex digits, n of them. */
static int
ft_hex(const char *s, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') ||
		    (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return 1;
}

/* What a parsed hello may hold, and the shape of its JA4. */
static void
ft_check_hello(const struct tls_hello *h, char *ja4, size_t ja4len)
{
	static char	raw[TLS_JA4_RAW_LEN];
	size_t		i;

	ft_check_str(h->sni, sizeof(h->sni));
	FUZZ_ASSERT(strlen(h->sni) <= 4 * TLS_SNI_MAX);
	FUZZ_ASSERT(h->sni_present || h->sni[0] == '\0');
	FUZZ_ASSERT(h->nalpn <= TLS_ALPN_MAX);
	for (i = 0; i < h->nalpn; i++)
		ft_check_str(h->alpn[i], sizeof(h->alpn[i]));
	FUZZ_ASSERT(h->nversions <= TLS_VERSIONS_MAX);
	FUZZ_ASSERT(h->nciphers <= TLS_CIPHERS_MAX);
	FUZZ_ASSERT(h->nciphers <= h->ciphers_seen);
	FUZZ_ASSERT(h->nexts <= TLS_EXTS_MAX && h->nexts <= h->exts_seen);
	FUZZ_ASSERT(h->nsigalgs <= TLS_SIGALGS_MAX);
	FUZZ_ASSERT(h->nsigalgs <= h->sigalgs_seen);
	for (i = 0; i < h->nciphers; i++)
		FUZZ_ASSERT(!tls_is_grease(h->ciphers[i]));
	for (i = 0; i < h->nexts; i++)
		FUZZ_ASSERT(!tls_is_grease(h->exts[i]));

	FUZZ_ASSERT(ja4len >= TLS_JA4_LEN);
	FUZZ_ASSERT(tls_ja4(h, 't', 0, ja4, ja4len) == 0);
	FUZZ_ASSERT(strlen(ja4) == TLS_JA4_LEN - 1);
	FUZZ_ASSERT(ja4[3] == 'd' || ja4[3] == 'i');
	FUZZ_ASSERT(ft_hex(ja4 + 4, 4) && ja4[10] == '_' && ja4[23] == '_');
	FUZZ_ASSERT(ft_hex(ja4 + 11, 12) && ft_hex(ja4 + 24, 12));
	FUZZ_ASSERT(tls_ja4(h, 'q', TLS_JA4_RAW | TLS_JA4_ORIGINAL, raw,
	    sizeof(raw)) == 0);
	FUZZ_ASSERT(raw[0] == 'q' && memcmp(raw + 1, ja4 + 1, 9) == 0);
	FUZZ_ASSERT(tls_ja4(h, 't', TLS_JA4_RAW, raw, sizeof(raw)) == 0);
}

/* Parse the first n bytes from a heap copy of exactly that size. */
static int
ft_parse(const uint8_t *data, size_t n, struct tls_hello *h)
{
	uint8_t	*copy = malloc(n > 0 ? n : 1);
	int	 rc;

	FUZZ_ASSERT(copy != NULL);
	if (n > 0)
		memcpy(copy, data, n);
	rc = tls_client_hello(copy, n, h);
	free(copy);
	FUZZ_ASSERT(rc == TLS_HELLO_OK || rc == TLS_HELLO_MORE ||
	    rc == TLS_HELLO_NOT || rc == TLS_HELLO_BAD);
	if (rc == TLS_HELLO_MORE)
		FUZZ_ASSERT(h->need > n);
	return rc;
}

/*
 * Read the input as a bare handshake message, then wrap the message in
 * records of a size the input picks, and compare the two parses.
 */
static void
ft_message(const uint8_t *data, size_t size)
{
	static struct tls_hello	 bare, wrapped;
	char			 ja4[TLS_JA4_LEN], wja4[TLS_JA4_LEN];
	uint8_t			*rec;
	size_t			 msglen, chunk, nrec, off, o, n;
	int			 rc, wrc;

	rc = tls_client_hello_msg(data, size, &bare);
	FUZZ_ASSERT(bare.records == 0);
	if (rc == TLS_HELLO_MORE) {
		FUZZ_ASSERT(bare.need > size);
		return;
	}
	if (rc == TLS_HELLO_OK)
		ft_check_hello(&bare, ja4, sizeof(ja4));
	if (rc == TLS_HELLO_NOT || size < 4)
		return;
	msglen = 4 + ((size_t)data[1] << 16 | (size_t)data[2] << 8 | data[3]);
	FUZZ_ASSERT(msglen <= size);
	chunk = 1 + (size_t)data[size - 1] * 67 % 16384;
	nrec = (msglen + chunk - 1) / chunk;
	rec = malloc(msglen + 5 * nrec);
	FUZZ_ASSERT(rec != NULL);
	for (off = 0, o = 0; off < msglen; off += n) {
		n = msglen - off < chunk ? msglen - off : chunk;
		rec[o++] = 22;
		rec[o++] = 3;
		rec[o++] = 3;
		rec[o++] = (uint8_t)(n >> 8);
		rec[o++] = (uint8_t)n;
		memcpy(rec + o, data + off, n);
		o += n;
	}
	wrc = tls_client_hello(rec, o, &wrapped);
	free(rec);
	FUZZ_ASSERT(wrc == rc);
	FUZZ_ASSERT(wrapped.records == nrec);
	if (rc != TLS_HELLO_OK)
		return;
	ft_check_hello(&wrapped, wja4, sizeof(wja4));
	FUZZ_ASSERT(strcmp(ja4, wja4) == 0);
	FUZZ_ASSERT(strcmp(bare.sni, wrapped.sni) == 0);
	FUZZ_ASSERT(bare.nalpn == wrapped.nalpn);
	FUZZ_ASSERT(bare.notes == (wrapped.notes & ~(uint32_t)TLS_NOTE_FRAGMENTED));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct tls_hello	full, part;
	char			ja4[TLS_JA4_LEN], pja4[TLS_JA4_LEN];
	size_t			cuts[7], i, n;
	int			rc, prc;

	rc = ft_parse(data, size, &full);
	if (rc == TLS_HELLO_OK)
		ft_check_hello(&full, ja4, sizeof(ja4));
	else
		ft_check_str(full.sni, sizeof(full.sni));

	cuts[0] = 1;
	cuts[1] = 5;
	cuts[2] = 9;
	cuts[3] = size / 3;
	cuts[4] = size / 2;
	cuts[5] = size - size / 4;
	cuts[6] = size > 0 ? size - 1 : 0;
	for (i = 0; i < 7; i++) {
		n = cuts[i];
		if (n == 0 || n >= size)
			continue;
		prc = ft_parse(data, n, &part);
		if (prc == TLS_HELLO_MORE) {
			if (size < part.need)
				FUZZ_ASSERT(rc != TLS_HELLO_OK);
			continue;
		}
		FUZZ_ASSERT(prc == rc);
		if (prc != TLS_HELLO_OK)
			continue;
		ft_check_hello(&part, pja4, sizeof(pja4));
		FUZZ_ASSERT(strcmp(ja4, pja4) == 0);
		FUZZ_ASSERT(strcmp(full.sni, part.sni) == 0);
		FUZZ_ASSERT(full.records == part.records);
	}
	ft_message(data, size);
	return 0;
}
