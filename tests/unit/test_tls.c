/* Unit tests for SHA-256, the TLS ClientHello parser and JA4. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "tls.h"
#include "test.h"

#define NITEMS(a)	(sizeof(a) / sizeof((a)[0]))
#define GREASE1		0x0a0a
#define GREASE2		0x7a7a
#define GREASE3		0xfafa

/* Bytes being built. */
struct wb {
	uint8_t	b[32768];
	size_t	n;
};

/* What a test ClientHello carries; lists end at their counts. */
struct hspec {
	uint16_t	 legacy_version;
	const uint16_t	*ciphers;
	size_t		 nciphers;
	const uint16_t	*exts;		/* types in wire order */
	size_t		 nexts;
	const uint8_t	*sni;		/* data of ext 0 as a host_name */
	size_t		 snilen;
	int		 sni_raw_empty;	/* ext 0 with no data at all */
	const char	*const *alpn;	/* data of ext 16 */
	size_t		 nalpn;
	const uint16_t	*versions;	/* data of ext 43 */
	size_t		 nversions;
	const uint16_t	*sigalgs;	/* data of ext 13 */
	size_t		 nsigalgs;
};

/* Append one byte. */
static void
wb_u8(struct wb *w, unsigned v)
{
	if (w->n < sizeof(w->b))
		w->b[w->n++] = (uint8_t)v;
}

/* Append 16 bits, big-endian. */
static void
wb_u16(struct wb *w, unsigned v)
{
	wb_u8(w, v >> 8);
	wb_u8(w, v);
}

/* Append bytes. */
static void
wb_bytes(struct wb *w, const void *p, size_t n)
{
	const uint8_t	*q = p;
	size_t		 i;

	for (i = 0; i < n; i++)
		wb_u8(w, q[i]);
}

/* Fill in a 16-bit length at off, counting what follows it. */
static void
wb_len16(struct wb *w, size_t off)
{
	size_t	n = w->n - off - 2;

	w->b[off] = (uint8_t)(n >> 8);
	w->b[off + 1] = (uint8_t)n;
}

/* The data of one extension of a test hello. */
static void
hello_ext(struct wb *w, const struct hspec *s, uint16_t type)
{
	size_t	at, at2, i;

	switch (type) {
	case 0x0000:
		if (s->sni_raw_empty)
			return;
		at = w->n;
		wb_u16(w, 0);
		wb_u8(w, 0);
		wb_u16(w, (unsigned)s->snilen);
		wb_bytes(w, s->sni, s->snilen);
		wb_len16(w, at);
		return;
	case 0x0010:
		at = w->n;
		wb_u16(w, 0);
		for (i = 0; i < s->nalpn; i++) {
			wb_u8(w, (unsigned)strlen(s->alpn[i]));
			wb_bytes(w, s->alpn[i], strlen(s->alpn[i]));
		}
		wb_len16(w, at);
		return;
	case 0x002b:
		wb_u8(w, (unsigned)(2 * s->nversions));
		for (i = 0; i < s->nversions; i++)
			wb_u16(w, s->versions[i]);
		return;
	case 0x000d:
		at2 = w->n;
		wb_u16(w, 0);
		for (i = 0; i < s->nsigalgs; i++)
			wb_u16(w, s->sigalgs[i]);
		wb_len16(w, at2);
		return;
	case 0x0033:
		/* key_share: x25519, 32 bytes */
		wb_u16(w, 36);
		wb_u16(w, 0x001d);
		wb_u16(w, 32);
		for (i = 0; i < 32; i++)
			wb_u8(w, 0x40 + i);
		return;
	}
	if (tls_is_grease(type))
		wb_u8(w, 0);
}

/* The handshake message (type, length, body) of a test hello. */
static void
hello_msg(struct wb *w, const struct hspec *s)
{
	size_t	hs, at, e, i;

	w->n = 0;
	wb_u8(w, 1);
	hs = w->n;
	wb_u8(w, 0);
	wb_u16(w, 0);
	wb_u16(w, s->legacy_version ? s->legacy_version : 0x0303);
	for (i = 0; i < 32; i++)
		wb_u8(w, i * 7);
	wb_u8(w, 32);
	for (i = 0; i < 32; i++)
		wb_u8(w, 0xa0 + i);
	at = w->n;
	wb_u16(w, 0);
	for (i = 0; i < s->nciphers; i++)
		wb_u16(w, s->ciphers[i]);
	wb_len16(w, at);
	wb_u8(w, 1);
	wb_u8(w, 0);
	if (s->exts != NULL) {
		at = w->n;
		wb_u16(w, 0);
		for (i = 0; i < s->nexts; i++) {
			wb_u16(w, s->exts[i]);
			e = w->n;
			wb_u16(w, 0);
			hello_ext(w, s, s->exts[i]);
			wb_len16(w, e);
		}
		wb_len16(w, at);
	}
	w->b[hs] = (uint8_t)((w->n - 4) >> 16);
	w->b[hs + 1] = (uint8_t)((w->n - 4) >> 8);
	w->b[hs + 2] = (uint8_t)(w->n - 4);
}

/*
 * Wrap a handshake message in records: cuts[] are the message offsets
 * where a new record starts (ascending), ncut of them.
 */
static void
records(struct wb *out, const struct wb *msg, const size_t *cuts,
    size_t ncut)
{
	size_t	start = 0, end, i;

	out->n = 0;
	for (i = 0; i <= ncut; i++) {
		end = i < ncut ? cuts[i] : msg->n;
		wb_u8(out, 22);
		wb_u16(out, 0x0301);
		wb_u16(out, (unsigned)(end - start));
		wb_bytes(out, msg->b + start, end - start);
		start = end;
	}
}

/* Set the lengths of a one-record hello: the handshake cut bytes short. */
static void
fix_lengths(struct wb *w, size_t cut)
{
	size_t	rec = w->n - 5, hs = w->n - 9 - cut;

	w->b[3] = (uint8_t)(rec >> 8);
	w->b[4] = (uint8_t)rec;
	w->b[6] = (uint8_t)(hs >> 16);
	w->b[7] = (uint8_t)(hs >> 8);
	w->b[8] = (uint8_t)hs;
}

/* A test hello in one record. */
static void
hello(struct wb *out, const struct hspec *s)
{
	struct wb	*msg = malloc(sizeof(*msg));

	hello_msg(msg, s);
	records(out, msg, NULL, 0);
	free(msg);
}

/* Parse a buffer copied to the heap at its exact size (for ASan). */
static int
parse(const uint8_t *p, size_t n, struct tls_hello *h)
{
	uint8_t	*copy = malloc(n ? n : 1);
	int	 rc;

	memcpy(copy, p, n);
	rc = tls_client_hello(copy, n, h);
	free(copy);
	return rc;
}

/* The JA4 of a hello as a string in a static buffer (one at a time). */
static const char *
ja4(const struct tls_hello *h, int flags)
{
	static char	buf[TLS_JA4_RAW_LEN];

	if (tls_ja4(h, 't', flags, buf, sizeof(buf)) == -1)
		return "(error)";
	return buf;
}

/* Hex of a digest. */
static const char *
hex(const uint8_t *p, size_t n)
{
	static char	buf[129];
	size_t		i;

	for (i = 0; i < n && 2 * i + 2 < sizeof(buf); i++)
		snprintf(buf + 2 * i, 3, "%02x", p[i]);
	return buf;
}

/* The JA4.md example's extension hash, a SHA-256 cut to 12 digits. */
static void
test_ja4_digest(void)
{
	uint8_t		 md[CRYPTO_SHA256_LEN];
	const char	*ja4c =
	    "0005,000a,000b,000d,0012,0015,0017,001b,0023,002b,002d,0033,"
	    "4469,ff01_0403,0804,0401,0503,0805,0501,0806,0601";

	crypto_sha256(ja4c, strlen(ja4c), md);
	CHECK_STR(hex(md, sizeof(md)), "e5627efa2ab19723084c1033a96c694a"
	    "45826ab5a460d2d3fd5ffcfe97161c95");
}

/*
 * JA4.md "Example" and "Raw Output": the cipher, extension and signature
 * algorithm lists in wire order from its JA4_ro, here with GREASE added
 * (as Chrome sends it), which must change nothing.
 */
static const uint16_t spec_ciphers[] = {
	GREASE1, 0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030,
	0xcca9, 0xcca8, 0xc013, 0xc014, 0x009c, 0x009d, 0x002f, 0x0035
};
static const uint16_t spec_exts[] = {
	GREASE2, 0x001b, 0x0000, 0x0033, 0x0010, 0x4469, 0x0017, 0x002d,
	0x000d, 0x0005, 0x0023, 0x0012, 0x002b, 0xff01, 0x000b, 0x000a,
	0x0015, GREASE3
};
static const uint16_t spec_sigalgs[] = {
	0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601
};
static const uint16_t spec_versions[] = { GREASE1, 0x0304, 0x0303 };
static const char *const alpn_h2[] = { "h2", "http/1.1" };

/* The JA4.md example as a spec. */
static struct hspec
spec_example(void)
{
	struct hspec	s;

	memset(&s, 0, sizeof(s));
	s.ciphers = spec_ciphers;
	s.nciphers = NITEMS(spec_ciphers);
	s.exts = spec_exts;
	s.nexts = NITEMS(spec_exts);
	s.sni = (const uint8_t *)"example.com";
	s.snilen = 11;
	s.alpn = alpn_h2;
	s.nalpn = NITEMS(alpn_h2);
	s.versions = spec_versions;
	s.nversions = NITEMS(spec_versions);
	s.sigalgs = spec_sigalgs;
	s.nsigalgs = NITEMS(spec_sigalgs);
	return s;
}

/* The published JA4 vectors, built into ClientHello bytes. */
static void
test_ja4_vectors(void)
{
	static const uint16_t	sg_ciphers[] = {
		GREASE2, 0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c,
		0xc030, 0xcca9, 0xcca8, 0xc013, 0xc014, 0x009c, 0x009d,
		0x002f, 0x0035
	};
	/* sigalg-grease.pcapng JA4_ro, GREASE added front and back. */
	static const uint16_t	sg_exts[] = {
		GREASE1, 0xfe0d, 0x0010, 0x0017, 0x0033, 0x44cd, 0xff01,
		0x000a, 0x000d, 0x0023, 0x002b, 0x000b, 0xca34, 0x002d,
		0x0000, 0x0005, 0x001b, 0x0012, GREASE3
	};
	static const uint16_t	sg_sigalgs[] = {
		GREASE2, 0x0904, 0x0905, 0x0906, 0x0403, 0x0804, 0x0401,
		0x0503, 0x0805, 0x0501, 0x0806, 0x0601
	};
	/* tls-handshake.pcapng stream 6 (mtalk.google.com): no ALPN. */
	static const uint16_t	mt_exts[] = {
		0x0033, 0x002b, 0x001b, 0x0000, 0x0012, 0x002d, 0x000d,
		0x000a, 0x0005, 0x0023, 0x0017, 0xff01, 0x000b, 0x0015
	};
	struct wb		*w = malloc(sizeof(*w));
	struct tls_hello	 h;
	struct hspec		 s;
	char			 buf[TLS_JA4_RAW_LEN];

	/* JA4.md: ja4, ja4_r, ja4_o, ja4_ro. */
	s = spec_example();
	hello(w, &s);
	CHECK_EQ(parse(w->b, w->n, &h), TLS_HELLO_OK);
	CHECK_EQ(h.ciphers_seen, 15);
	CHECK_EQ(h.exts_seen, 16);
	CHECK(h.notes & TLS_NOTE_GREASE);
	CHECK_STR(ja4(&h, 0), "t13d1516h2_8daaf6152771_e5627efa2ab1");
	CHECK_STR(ja4(&h, TLS_JA4_RAW), "t13d1516h2_002f,0035,009c,009d,"
	    "1301,1302,1303,c013,c014,c02b,c02c,c02f,c030,cca8,cca9_0005,"
	    "000a,000b,000d,0012,0015,0017,001b,0023,002b,002d,0033,4469,"
	    "ff01_0403,0804,0401,0503,0805,0501,0806,0601");
	CHECK_STR(ja4(&h, TLS_JA4_ORIGINAL),
	    "t13d1516h2_acb858a92679_18f69afefd3d");
	CHECK_STR(ja4(&h, TLS_JA4_ORIGINAL | TLS_JA4_RAW), "t13d1516h2_1301,"
	    "1302,1303,c02b,c02f,c02c,c030,cca9,cca8,c013,c014,009c,009d,"
	    "002f,0035_001b,0000,0033,0010,4469,0017,002d,000d,0005,0023,"
	    "0012,002b,ff01,000b,000a,0015_0403,0804,0401,0503,0805,0501,"
	    "0806,0601");

	/* JA4.md: no signature algorithms, no underscore: 6d807ffa2a79. */
	s.nsigalgs = 0;
	hello(w, &s);
	CHECK_EQ(parse(w->b, w->n, &h), TLS_HELLO_OK);
	CHECK_STR(ja4(&h, 0), "t13d1516h2_8daaf6152771_6d807ffa2a79");

	/* sigalg-grease.pcapng (python testdata and rust snapshot). */
	s = spec_example();
	s.ciphers = sg_ciphers;
	s.nciphers = NITEMS(sg_ciphers);
	s.exts = sg_exts;
	s.nexts = NITEMS(sg_exts);
	s.sigalgs = sg_sigalgs;
	s.nsigalgs = NITEMS(sg_sigalgs);
	hello(w, &s);
	CHECK_EQ(parse(w->b, w->n, &h), TLS_HELLO_OK);
	CHECK_EQ(h.nsigalgs, 11);
	CHECK_STR(ja4(&h, 0), "t13d1517h2_8daaf6152771_cb7bf5808d99");
	CHECK_STR(ja4(&h, TLS_JA4_ORIGINAL),
	    "t13d1517h2_acb858a92679_88bf22a3e888");
	CHECK_STR(ja4(&h, TLS_JA4_RAW), "t13d1517h2_002f,0035,009c,009d,"
	    "1301,1302,1303,c013,c014,c02b,c02c,c02f,c030,cca8,cca9_0005,"
	    "000a,000b,000d,0012,0017,001b,0023,002b,002d,0033,44cd,ca34,"
	    "fe0d,ff01_0904,0905,0906,0403,0804,0401,0503,0805,0501,0806,"
	    "0601");

	/* tls-handshake.pcapng stream 6 (rust snapshot). */
	s = spec_example();
	s.exts = mt_exts;
	s.nexts = NITEMS(mt_exts);
	hello(w, &s);
	CHECK_EQ(parse(w->b, w->n, &h), TLS_HELLO_OK);
	CHECK_EQ(h.alpn_present, 0);
	CHECK_STR(ja4(&h, 0), "t13d151400_8daaf6152771_de4a06bb82e3");

	/* proto letters and buffer sizes */
	CHECK_EQ(tls_ja4(&h, 'q', 0, buf, TLS_JA4_LEN), 0);
	CHECK_STR(buf, "q13d151400_8daaf6152771_de4a06bb82e3");
	CHECK_EQ(strlen(buf), TLS_JA4_LEN - 1);
	CHECK_EQ(tls_ja4(&h, 'x', 0, buf, sizeof(buf)), -1);
	CHECK_EQ(tls_ja4(&h, 't', 0, buf, TLS_JA4_LEN - 1), -1);
	CHECK_EQ(tls_ja4(&h, 't', TLS_JA4_RAW, buf, TLS_JA4_LEN), -1);
	free(w);
}

/* The JA4.md ALPN rules: letters, single letter, hex, none, empty. */
static void
test_ja4_alpn(void)
{
	static const struct {
		const char	*name;
		const char	*want;
	} cases[] = {
		{ "h2", "h2" },
		{ "http/1.1", "h1" },
		{ "x", "xx" },
		{ "\xab", "ab" },
		{ "\xab\xcd", "ad" },
		{ "0\xab", "3b" },
		{ "01\xab\xcd", "3d" },
		{ "0\xab\xcd" "1", "01" },
		{ "", "00" },
	};
	struct wb		*w = malloc(sizeof(*w));
	struct tls_hello	 h;
	struct hspec		 s;
	const char		*names[2];
	char			 a[3];
	size_t			 i;

	for (i = 0; i < NITEMS(cases); i++) {
		s = spec_example();
		names[0] = cases[i].name;
		names[1] = "h2";
		s.alpn = names;
		s.nalpn = 2;
		hello(w, &s);
		CHECK_EQ(parse(w->b, w->n, &h), TLS_HELLO_OK);
		memcpy(a, ja4(&h, 0) + 8, 2);
		a[2] = '\0';
		CHECK_STR(a, cases[i].want);
		CHECK_EQ(h.nalpn, 2);
	}

	/* An ALPN extension with an empty list, and none at all. */
	s = spec_example();
	s.nalpn = 0;
	hello(w, &s);
	CHECK_EQ(parse(w->b, w->n, &h), TLS_HELLO_OK);
	CHECK_EQ(h.alpn_present, 1);
	CHECK(strncmp(ja4(&h, 0), "t13d151600_", 11) == 0);
	free(w);
}

/* Version letters, SNI letter, counts over 99, empty lists. */
static void
test_ja4_fields(void)
{
	static const uint16_t	only_grease[] = { GREASE1, GREASE3 };
	static const uint16_t	no_sni[] = { 0x000d, 0x002b };
	static const uint16_t	draft[] = { 0x7f1c, 0x0304 };
	uint16_t		 many[120];
	struct wb		*w = malloc(sizeof(*w));
	struct tls_hello	 h;
	struct hspec		 s;
	size_t			 i;

	/* No supported_versions: the legacy version decides. */
	memset(&s, 0, sizeof(s));
	s.ciphers = spec_ciphers;
	s.nciphers = NITEMS(spec_ciphers);
	s.legacy_version = 0x0301;
	hello(w, &s);
	CHECK_EQ(parse(w->b, w->n, &h), TLS_HELLO_OK);
	CHECK_EQ(h.legacy_version, 0x0301);
	CHECK_EQ(h.exts_seen, 0);
	CHECK_STR(ja4(&h, 0), "t10i150000_8daaf6152771_000000000000");
	s.legacy_version = 0x0300;
	hello(w, &s);
	CHECK_EQ(parse(w->b, w->n, &h), TLS_HELLO_OK);
	CHECK(strncmp(ja4(&h, 0), "ts3i", 4) == 0);
	s.legacy_version = 0x0303;
	s.exts = no_sni;
	s.nexts = NITEMS(no_sni);
	s.versions = only_grease;
	s.nversions = NITEMS(only_grease);
	hello(w, &s);
	CHECK_EQ(parse(w->b, w->n, &h), TLS_HELLO_OK);
	CHECK_EQ(h.nversions, 2);
	CHECK_EQ(h.version_max, 0);
	CHECK(strncmp(ja4(&h, 0), "t00i1502", 8) == 0);
	/* a draft version above 0x0304 is the highest and unknown */
	s.versions = draft;
	s.nversions = NITEMS(draft);
	hello(w, &s);
	CHECK_EQ(parse(w->b, w->n, &h), TLS_HELLO_OK);
	CHECK(strncmp(ja4(&h, 0), "t00i", 4) == 0);

	/* Only GREASE ciphers: b is zeros; 120 ciphers count as 99. */
	s.ciphers = only_grease;
	s.nciphers = NITEMS(only_grease);
	hello(w, &s);
	CHECK_EQ(parse(w->b, w->n, &h), TLS_HELLO_OK);
	CHECK(strstr(ja4(&h, 0), "i0002") != NULL);
	CHECK(strstr(ja4(&h, 0), "_000000000000_") != NULL);
	for (i = 0; i < NITEMS(many); i++)
		many[i] = (uint16_t)(0x1000 + i);
	s.ciphers = many;
	s.nciphers = NITEMS(many);
	hello(w, &s);
	CHECK_EQ(parse(w->b, w->n, &h), TLS_HELLO_OK);
	CHECK_EQ(h.ciphers_seen, 120);
	CHECK(strncmp(ja4(&h, 0), "t00i9902", 8) == 0);
	free(w);
}

/* One hello split across records at many points gives the same result. */
static void
test_fragmented(void)
{
	static const size_t	cuts1[] = { 1, 2, 3, 4, 5, 40, 100, 200 };
	struct wb		*msg = malloc(sizeof(*msg));
	struct wb		*w = malloc(sizeof(*w));
	struct tls_hello	 h;
	struct hspec		 s = spec_example();
	size_t			 cut[3], i;

	hello_msg(msg, &s);
	for (i = 0; i < NITEMS(cuts1); i++) {
		cut[0] = cuts1[i];
		records(w, msg, cut, 1);
		CHECK_EQ(parse(w->b, w->n, &h), TLS_HELLO_OK);
		CHECK_EQ(h.records, 2);
		CHECK(h.notes & TLS_NOTE_FRAGMENTED);
		CHECK_STR(h.sni, "example.com");
		CHECK_STR(ja4(&h, 0), "t13d1516h2_8daaf6152771_e5627efa2ab1");
	}
	cut[0] = 2;
	cut[1] = 3;
	cut[2] = msg->n - 1;
	records(w, msg, cut, 3);
	CHECK_EQ(parse(w->b, w->n, &h), TLS_HELLO_OK);
	CHECK_EQ(h.records, 4);
	CHECK_STR(ja4(&h, 0), "t13d1516h2_8daaf6152771_e5627efa2ab1");

	/* A second record that is not a handshake is malformed. */
	cut[0] = 100;
	records(w, msg, cut, 1);
	w->b[5 + 100] = 23;
	CHECK_EQ(parse(w->b, w->n, &h), TLS_HELLO_BAD);
	w->b[5 + 100] = 22;
	w->b[5 + 100 + 2] = 9;
	CHECK_EQ(parse(w->b, w->n, &h), TLS_HELLO_BAD);
	free(msg);
	free(w);
}

/* Every prefix of a hello is MORE, with a need that holds. */
static void
test_more(void)
{
	struct wb		*msg = malloc(sizeof(*msg));
	struct wb		*w = malloc(sizeof(*w));
	struct tls_hello	 h;
	struct hspec		 s = spec_example();
	size_t			 k, cut = 150;
	int			 exact = 1;

	/* One record: from the handshake header on, need is exact. */
	hello(w, &s);
	for (k = 0; k < w->n; k++) {
		if (parse(w->b, k, &h) != TLS_HELLO_MORE) {
			CHECK_EQ(k, -1);
			break;
		}
		CHECK(h.need > k && h.need <= w->n);
		if (k >= 9 && h.need != w->n)
			exact = 0;
	}
	CHECK(exact);
	CHECK_EQ(parse(w->b, 3, &h), TLS_HELLO_MORE);
	CHECK_EQ(h.need, 9);
	CHECK_EQ(parse(w->b, w->n, &h), TLS_HELLO_OK);
	CHECK_EQ(h.need, 0);
	/* bytes after the hello do not matter */
	CHECK_EQ(parse(w->b, w->n + 100, &h), TLS_HELLO_OK);

	/* Two records: need is a lower bound, exact in the second. */
	hello_msg(msg, &s);
	records(w, msg, &cut, 1);
	for (k = 0; k < w->n; k++) {
		if (parse(w->b, k, &h) != TLS_HELLO_MORE) {
			CHECK_EQ(k, -1);
			break;
		}
		CHECK(h.need > k && h.need <= w->n);
		if (k >= 5 + cut + 5)
			CHECK_EQ(h.need, w->n);
	}
	CHECK_EQ(parse(w->b, 5 + cut, &h), TLS_HELLO_MORE);
	CHECK_EQ(h.need, w->n);
	CHECK_EQ(h.records, 1);
	CHECK_EQ(parse(w->b, w->n, &h), TLS_HELLO_OK);
	CHECK_STR(ja4(&h, 0), "t13d1516h2_8daaf6152771_e5627efa2ab1");
	free(msg);
	free(w);
}

/* A bare handshake message, as QUIC carries it. */
static void
test_bare_message(void)
{
	struct wb		*msg = malloc(sizeof(*msg));
	struct tls_hello	 h;
	struct hspec		 s = spec_example();
	char			 buf[TLS_JA4_LEN];
	size_t			 k;

	hello_msg(msg, &s);
	CHECK_EQ(tls_client_hello_msg(msg->b, msg->n, &h), TLS_HELLO_OK);
	CHECK_EQ(h.records, 0);
	CHECK_STR(h.sni, "example.com");
	CHECK_EQ(tls_ja4(&h, 'q', 0, buf, sizeof(buf)), 0);
	CHECK_STR(buf, "q13d1516h2_8daaf6152771_e5627efa2ab1");
	for (k = 0; k < msg->n; k++) {
		if (tls_client_hello_msg(msg->b, k, &h) != TLS_HELLO_MORE) {
			CHECK_EQ(k, -1);
			break;
		}
		CHECK(h.need > k && h.need <= msg->n);
		if (k >= 4)
			CHECK_EQ(h.need, msg->n);
	}
	msg->b[0] = 2;
	CHECK_EQ(tls_client_hello_msg(msg->b, msg->n, &h), TLS_HELLO_NOT);
	CHECK_EQ(tls_client_hello_msg(msg->b, 1, &h), TLS_HELLO_NOT);
	msg->b[0] = 1;
	msg->b[4 + 2 + 32] = 33;
	CHECK_EQ(tls_client_hello_msg(msg->b, msg->n, &h), TLS_HELLO_BAD);
	free(msg);
}

/* SNI: empty, escaped, the longest kept, and longer. */
static void
test_sni(void)
{
	static const uint8_t	 odd[] = "a\x01" "b\\c d\xff\xc3(.ex\x7f" "ample";
	uint8_t			 name[300];
	struct wb		*w = malloc(sizeof(*w));
	struct tls_hello	 h;
	struct hspec		 s = spec_example();
	char			 want[TLS_SNI_STRLEN];
	size_t			 i;

	/* A zero-length host_name, and a server_name with no data. */
	s.snilen = 0;
	hello(w, &s);
	CHECK_EQ(parse(w->b, w->n, &h), TLS_HELLO_OK);
	CHECK_EQ(h.sni_present, 1);
	CHECK_STR(h.sni, "");
	CHECK(h.notes & TLS_NOTE_SNI_EMPTY);
	CHECK(strncmp(ja4(&h, 0), "t13d", 4) == 0);
	s.sni_raw_empty = 1;
	hello(w, &s);
	CHECK_EQ(parse(w->b, w->n, &h), TLS_HELLO_OK);
	CHECK_EQ(h.sni_present, 1);
	CHECK_STR(h.sni, "");
	CHECK(h.notes & TLS_NOTE_SNI_EMPTY);
	s.sni_raw_empty = 0;

	/* Control bytes, a backslash, a space, invalid UTF-8, DEL. */
	s.sni = odd;
	s.snilen = sizeof(odd) - 1;
	hello(w, &s);
	CHECK_EQ(parse(w->b, w->n, &h), TLS_HELLO_OK);
	CHECK_STR(h.sni,
	    "a\\x01b\\\\c\\x20d\\xff\\xc3(.ex\\x7fample");
	CHECK_EQ(h.sni_len, sizeof(odd) - 1);
	CHECK(h.notes & TLS_NOTE_SNI_ESCAPED);

	/* 255 bytes are kept whole; 300 are cut to 255. */
	for (i = 0; i < sizeof(name); i++)
		name[i] = (uint8_t)('a' + i % 26);
	s.sni = name;
	s.snilen = 255;
	hello(w, &s);
	CHECK_EQ(parse(w->b, w->n, &h), TLS_HELLO_OK);
	CHECK_EQ(strlen(h.sni), 255);
	CHECK((h.notes & TLS_NOTE_SNI_CUT) == 0);
	CHECK(memcmp(h.sni, name, 255) == 0);
	s.snilen = 300;
	hello(w, &s);
	CHECK_EQ(parse(w->b, w->n, &h), TLS_HELLO_OK);
	CHECK_EQ(h.sni_len, 300);
	CHECK_EQ(strlen(h.sni), 255);
	CHECK(h.notes & TLS_NOTE_SNI_CUT);

	/* 255 bytes that all need escaping fill the buffer exactly. */
	memset(name, 0xff, 255);
	s.snilen = 255;
	hello(w, &s);
	CHECK_EQ(parse(w->b, w->n, &h), TLS_HELLO_OK);
	for (i = 0; i < 255; i++)
		memcpy(want + 4 * i, "\\xff", 4);
	want[4 * 255] = '\0';
	CHECK_STR(h.sni, want);
	free(w);
}

/* Length fields that do not fit their containers. */
static void
test_malformed(void)
{
	static const uint16_t	odd_ciphers[] = { 0x1301, 0x1302 };
	struct wb		*w = malloc(sizeof(*w));
	struct tls_hello	 h;
	struct hspec		 s = spec_example();
	size_t			 ext0, off;

	hello(w, &s);
	/* extensions block: 2 + 5 + 4 + 2 + 32 + 1 + 32 + 2 + 32 + 2 */
	ext0 = 5 + 4 + 2 + 32 + 1 + 32 + 2 + 2 * NITEMS(spec_ciphers) + 2;
	CHECK_EQ(w->b[ext0 + 2], GREASE2 >> 8);

	/* The first extension's length runs past the block. */
	w->b[ext0 + 4] = 0x7f;
	CHECK_EQ(parse(w->b, w->n, &h), TLS_HELLO_BAD);
	hello(w, &s);
	/* The block's length runs past the message. */
	w->b[ext0] += 1;
	CHECK_EQ(parse(w->b, w->n, &h), TLS_HELLO_BAD);
	hello(w, &s);
	/* The SNI list runs past its extension (ext 0 is third here). */
	off = ext0 + 2 + 4 + 1 + 4 + 0;
	CHECK_EQ(w->b[off + 1], 0x00);
	CHECK_EQ(w->b[off + 3], 16);
	w->b[off + 5] += 1;
	CHECK_EQ(parse(w->b, w->n, &h), TLS_HELLO_BAD);
	w->b[off + 5] -= 2;
	CHECK_EQ(parse(w->b, w->n, &h), TLS_HELLO_BAD);

	/* An odd cipher suites length. */
	memset(&s, 0, sizeof(s));
	s.ciphers = odd_ciphers;
	s.nciphers = NITEMS(odd_ciphers);
	hello(w, &s);
	off = 5 + 4 + 2 + 32 + 1 + 32;
	CHECK_EQ(w->b[off + 1], 4);
	CHECK_EQ(parse(w->b, w->n, &h), TLS_HELLO_OK);
	w->b[off + 1] = 3;
	CHECK_EQ(parse(w->b, w->n, &h), TLS_HELLO_BAD);

	/* A session id over 32 bytes. */
	hello(w, &s);
	w->b[5 + 4 + 2 + 32] = 33;
	CHECK_EQ(parse(w->b, w->n, &h), TLS_HELLO_BAD);

	/* A handshake length shorter than the body: a cut body. */
	hello(w, &s);
	fix_lengths(w, 10);
	CHECK_EQ(parse(w->b, w->n, &h), TLS_HELLO_BAD);
	fix_lengths(w, 0);
	CHECK_EQ(parse(w->b, w->n, &h), TLS_HELLO_OK);

	/* Trailing bytes after the extensions are noted, not fatal. */
	memset(&s, 0, sizeof(s));
	s = spec_example();
	hello(w, &s);
	w->b[w->n++] = 0;
	w->b[w->n++] = 0;
	fix_lengths(w, 0);
	CHECK_EQ(parse(w->b, w->n, &h), TLS_HELLO_OK);
	CHECK(h.notes & TLS_NOTE_TRAILING);

	/* Record length 0 and over 2^14 + 2048. */
	CHECK_EQ(parse((const uint8_t *)"\x16\x03\x01\x00\x00", 5, &h),
	    TLS_HELLO_BAD);
	CHECK_EQ(parse((const uint8_t *)"\x16\x03\x01\x48\x01", 5, &h),
	    TLS_HELLO_BAD);
	CHECK_EQ(parse((const uint8_t *)"\x16\x03\x01\x48\x00", 5, &h),
	    TLS_HELLO_MORE);
	/* A zero-length ClientHello. */
	CHECK_EQ(parse((const uint8_t *)"\x16\x03\x01\x00\x04\x01\x00\x00\x00",
	    9, &h), TLS_HELLO_BAD);
	free(w);
}

/* What is not a TLS ClientHello. */
static void
test_not_tls(void)
{
	static const uint8_t	ssl2[] = {
		0x80, 0x2e, 0x01, 0x00, 0x02, 0x00, 0x15, 0x00, 0x00, 0x00,
		0x10, 0x01, 0x00, 0x80
	};
	static const uint8_t	server_hello[] = {
		0x16, 0x03, 0x03, 0x00, 0x04, 0x02, 0x00, 0x00, 0x00
	};
	static const uint8_t	appdata[] = { 0x17, 0x03, 0x03, 0x00, 0x10 };
	const char		*http = "GET / HTTP/1.1\r\nHost: a\r\n\r\n";
	struct tls_hello	 h;

	CHECK_EQ(parse((const uint8_t *)http, strlen(http), &h),
	    TLS_HELLO_NOT);
	CHECK_EQ(parse((const uint8_t *)http, 1, &h), TLS_HELLO_NOT);
	CHECK_EQ(parse(ssl2, sizeof(ssl2), &h), TLS_HELLO_NOT);
	CHECK(h.notes & TLS_NOTE_SSL2);
	CHECK_EQ(parse(appdata, sizeof(appdata), &h), TLS_HELLO_NOT);
	CHECK_EQ(parse(server_hello, sizeof(server_hello), &h),
	    TLS_HELLO_NOT);
	CHECK_EQ(parse(server_hello, 6, &h), TLS_HELLO_NOT);
	CHECK_EQ(parse((const uint8_t *)"\x16", 1, &h), TLS_HELLO_MORE);
	CHECK_EQ(parse((const uint8_t *)"\x16\x03", 2, &h), TLS_HELLO_MORE);
	CHECK_EQ(parse((const uint8_t *)"\x16\x02", 2, &h), TLS_HELLO_NOT);
	CHECK_EQ(parse((const uint8_t *)"\x16\x03\x05", 3, &h),
	    TLS_HELLO_NOT);
	CHECK_EQ(parse((const uint8_t *)"\x16\x03\x00\x00\x30\x01", 6, &h),
	    TLS_HELLO_MORE);
	CHECK_EQ(h.record_version, 0x0300);
	CHECK_EQ(parse((const uint8_t *)"", 0, &h), TLS_HELLO_MORE);
}

/* GREASE values, and ones that look alike but are not. */
static void
test_grease(void)
{
	unsigned	i, n = 0;

	for (i = 0; i < 0x10000; i++)
		if (tls_is_grease((uint16_t)i)) {
			CHECK_EQ(i, 0x0a0a + 0x1010 * n);
			n++;
		}
	CHECK_EQ(n, 16);
	CHECK(!tls_is_grease(0x0a1a));
	CHECK(!tls_is_grease(0x0b0b));
	CHECK_STR(tls_version_name(0x0304), "TLSv1.3");
	CHECK(tls_version_name(GREASE1) == NULL);
}

/* A repeated extension: counted twice, the first one parsed. */
static void
test_duplicate(void)
{
	static const uint16_t	exts[] = {
		0x0000, 0x0010, 0x0000, 0x002b, 0x000d
	};
	struct wb		*w = malloc(sizeof(*w));
	struct tls_hello	 h;
	struct hspec		 s = spec_example();
	size_t			 second;

	s.exts = exts;
	s.nexts = NITEMS(exts);
	hello(w, &s);
	/* rename the second host_name: it must not be the one kept */
	second = (size_t)((uint8_t *)memmem(w->b + 60, w->n - 60,
	    "example.com", 11) - w->b);
	second = (size_t)((uint8_t *)memmem(w->b + second + 1,
	    w->n - second - 1, "example.com", 11) - w->b);
	w->b[second] = 'X';
	CHECK_EQ(parse(w->b, w->n, &h), TLS_HELLO_OK);
	CHECK(h.notes & TLS_NOTE_DUP_EXT);
	CHECK_EQ(h.exts_seen, 5);
	CHECK_STR(h.sni, "example.com");
	CHECK(strncmp(ja4(&h, 0), "t13d1505h2_", 11) == 0);
	free(w);
}

/*
 * pcaps/site-demo.pcap frame 78, the TCP payload.  tshark 4.0.17 shows
 * SNI api.hik-connect.example, ALPN h2,http/1.1, supported versions
 * 0x0304,0x0303; tshark 4.0 has no JA4 field, so the JA4 was computed
 * from its ciphersuite, extension.type and sig_hash_alg fields with
 * Python's hashlib, following JA4.md.
 */
static const char site_demo_hex[] =
    "16030100ff010000fb030321c3ac7e9e60b520cc4f77acff0b788ef7098e7af9b6"
    "cdff19afb760ccebfca020cd5efad5c04cf49f3808319a42441518a5ea6056b9dd"
    "c9b25121945ac2f372900016130113021303c02bc02fc02cc030cca9cca8009c00"
    "9d0100009c0000001c001a0000176170692e68696b2d636f6e6e6563742e657861"
    "6d706c6500170000ff01000100000a00080006001d00170018000b000201000010"
    "000e000c02683208687474702f312e31000d001200100403080404010503080505"
    "0108060601002b00050403040303002d00020101003300260024001d0020ae2c75"
    "6812ac9c78819e2996a8e3e194acbc9d56ed505e0c8690552a18b3f5b2";

/* The site-demo ClientHello agrees with tshark. */
static void
test_site_demo(void)
{
	static const uint16_t	ciphers[] = {
		0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030,
		0xcca9, 0xcca8, 0x009c, 0x009d
	};
	static const uint16_t	exts[] = {
		0, 23, 65281, 10, 11, 16, 13, 43, 45, 51
	};
	uint8_t			buf[sizeof(site_demo_hex) / 2];
	struct tls_hello	h;
	size_t			i, n = strlen(site_demo_hex) / 2;
	unsigned		v;

	for (i = 0; i < n; i++) {
		sscanf(site_demo_hex + 2 * i, "%2x", &v);
		buf[i] = (uint8_t)v;
	}
	CHECK_EQ(n, 260);
	CHECK_EQ(parse(buf, n, &h), TLS_HELLO_OK);
	CHECK_EQ(h.records, 1);
	CHECK_EQ(h.record_version, 0x0301);
	CHECK_EQ(h.legacy_version, 0x0303);
	CHECK_STR(h.sni, "api.hik-connect.example");
	CHECK_EQ(h.nalpn, 2);
	CHECK_STR(h.alpn[0], "h2");
	CHECK_STR(h.alpn[1], "http/1.1");
	CHECK_EQ(h.nversions, 2);
	CHECK_EQ(h.versions[0], 0x0304);
	CHECK_EQ(h.versions[1], 0x0303);
	CHECK_EQ(h.nciphers, NITEMS(ciphers));
	CHECK(memcmp(h.ciphers, ciphers, sizeof(ciphers)) == 0);
	CHECK_EQ(h.nexts, NITEMS(exts));
	CHECK(memcmp(h.exts, exts, sizeof(exts)) == 0);
	CHECK_EQ(h.nsigalgs, 8);
	CHECK_EQ(h.notes, 0);
	CHECK_STR(ja4(&h, 0), "t13d1110h2_47af8f603342_560390466015");
}

int
main(void)
{
	test_ja4_digest();
	test_ja4_vectors();
	test_ja4_alpn();
	test_ja4_fields();
	test_fragmented();
	test_more();
	test_bare_message();
	test_sni();
	test_malformed();
	test_not_tls();
	test_grease();
	test_duplicate();
	test_site_demo();
	return test_done("test_tls");
}
