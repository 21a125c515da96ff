/*
 * The TLS ClientHello at the start of a client stream and its JA4
 * fingerprint.  Every byte is hostile: all reads go through pbuf, every
 * length is checked against its container, and what is kept for output
 * is bounded and escaped to printable ASCII.
 *
 * Record layer (RFC 8446 5.1, RFC 5246 6.2.1); a ClientHello may be
 * fragmented over several handshake records, so the handshake bytes of
 * consecutive records are joined before the message is parsed:
 *
 *	+--------+-------------------+-------------------+---------------
 *	| type   | legacy_record_    | length (2)        | fragment ...
 *	| 22 (1) | version (2)       | 1..2^14+2048      |
 *	+--------+-------------------+-------------------+---------------
 *
 * Handshake message (RFC 8446 4):
 *
 *	+--------+-------------------------------+-----------------------
 *	| type   | length (3)                    | ClientHello body ...
 *	| 1 (1)  |                               |
 *	+--------+-------------------------------+-----------------------
 *
 * ClientHello body (RFC 8446 4.1.2; extensions optional before TLS 1.3):
 *
 *	+---------------+---------------------------------------+
 *	| legacy_       | random (32)                           |
 *	| version (2)   |                                       |
 *	+-------+-------+-------------+-------------------------+
 *	| sid   | session_id (0..32)  | cipher_suites len (2)   |
 *	| len(1)|                     | + 2 bytes each          |
 *	+-------+---------------------+-------------------------+
 *	| comp  | compression methods | extensions len (2)      |
 *	| len(1)|                     | + {type(2) len(2) data} |
 *	+-------+---------------------+-------------------------+
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "pbuf.h"
#include "tls.h"
#include "xmalloc.h"

#define TLS_CT_HANDSHAKE	22
#define TLS_HS_CLIENT_HELLO	1
#define TLS_RECORD_HDR		5
#define TLS_RECORD_MAX		(16384 + 2048)
#define TLS_HS_HDR		4
#define TLS_RANDOM_LEN		32
#define TLS_SESSION_ID_MAX	32

#define TLS_EXT_SERVER_NAME	0x0000
#define TLS_EXT_SIG_ALGS	0x000d
#define TLS_EXT_ALPN		0x0010
#define TLS_EXT_VERSIONS	0x002b

#define TLS_SNI_HOST_NAME	0

#define TLS_JA4_HASH_LEN	12	/* hex digits of SHA-256 kept */

/* Where a walk over the records got to. */
struct tls_walk {
	size_t		 avail;		/* handshake bytes present */
	size_t		 want;		/* 4 + message length, 0 if unknown */
	size_t		 need;		/* lower bound on the input length */
	unsigned	 records;
	uint16_t	 version;	/* of the first record */
	uint8_t		 hdr[TLS_HS_HDR];
};

static const char tls_hex[] = "0123456789abcdef";

/* GREASE (RFC 8701 2): both bytes equal, each 0x?a. */
int
tls_is_grease(uint16_t v)
{
	return (v & 0x0f0f) == 0x0a0a && (v >> 8) == (v & 0xff);
}

/* A name for a protocol version, NULL if there is none. */
const char *
tls_version_name(uint16_t v)
{
	switch (v) {
	case 0x0002:
		return "SSLv2";
	case 0x0300:
		return "SSLv3";
	case 0x0301:
		return "TLSv1.0";
	case 0x0302:
		return "TLSv1.1";
	case 0x0303:
		return "TLSv1.2";
	case 0x0304:
		return "TLSv1.3";
	case 0xfeff:
		return "DTLSv1.0";
	case 0xfefd:
		return "DTLSv1.2";
	case 0xfefc:
		return "DTLSv1.3";
	}
	return NULL;
}

/*
 * Check the bytes present of a record header: 0 if they could start a
 * handshake record (type 22, version 3.0 to 3.4), -1 if not.
 */
static int
tls_record_start(const struct pbuf *b)
{
	uint8_t	v;

	if (pbuf_peek_u8(b, 0, &v) == 0 && v != TLS_CT_HANDSHAKE)
		return -1;
	if (pbuf_peek_u8(b, 1, &v) == 0 && v != 3)
		return -1;
	if (pbuf_peek_u8(b, 2, &v) == 0 && v > 4)
		return -1;
	return 0;
}

/*
 * An SSL 2.0 ClientHello (RFC 6101 E.2): a two-byte length with the high
 * bit set, message type 1, and a version of 0.2 or 3.x.
 */
static int
tls_is_ssl2_hello(const struct pbuf *b)
{
	uint8_t	len_hi, type, major, minor;

	if (pbuf_peek_u8(b, 0, &len_hi) == -1 ||
	    pbuf_peek_u8(b, 2, &type) == -1 ||
	    pbuf_peek_u8(b, 3, &major) == -1 ||
	    pbuf_peek_u8(b, 4, &minor) == -1)
		return 0;
	if ((len_hi & 0x80) == 0 || type != 1)
		return 0;
	return (major == 0 && minor == 2) || major == 3;
}

/* The handshake bytes still missing: of the message, or of its header. */
static size_t
tls_walk_missing(const struct tls_walk *w)
{
	if (w->want > 0)
		return w->want - w->avail;
	return TLS_HS_HDR - w->avail;
}

/*
 * Take handshake bytes from one record fragment, copying them to dst
 * (when not NULL) until the message is whole.  Returns TLS_HELLO_NOT if
 * the message is not a ClientHello, else TLS_HELLO_OK.
 */
static int
tls_walk_fragment(struct tls_walk *w, struct pbuf *frag, uint8_t *dst,
    size_t dstlen)
{
	size_t	n;

	while (frag->len > 0 && (w->want == 0 || w->avail < w->want)) {
		if (w->avail < TLS_HS_HDR) {
			if (pbuf_get_u8(frag, &w->hdr[w->avail]) == -1)
				return TLS_HELLO_BAD;
			if (dst != NULL && w->avail < dstlen)
				dst[w->avail] = w->hdr[w->avail];
			w->avail++;
			if (w->hdr[0] != TLS_HS_CLIENT_HELLO)
				return TLS_HELLO_NOT;
			if (w->avail < TLS_HS_HDR)
				continue;
			w->want = TLS_HS_HDR + ((size_t)w->hdr[1] << 16 |
			    (size_t)w->hdr[2] << 8 | w->hdr[3]);
			continue;
		}
		n = w->want - w->avail;
		if (n > frag->len)
			n = frag->len;
		if (dst != NULL) {
			if (w->avail + n > dstlen)
				return TLS_HELLO_BAD;
			memcpy(dst + w->avail, frag->p, n);
		}
		if (pbuf_skip(frag, n) == -1)
			return TLS_HELLO_BAD;
		w->avail += n;
	}
	return TLS_HELLO_OK;
}

/*
 * Walk the records from the start of buf until the handshake message
 * is whole, checking each header, and copy the message to dst if that
 * is not NULL.  Returns TLS_HELLO_OK when the message is whole, MORE with
 * w->need set, or NOT or BAD.
 */
static int
tls_walk(const uint8_t *buf, size_t len, uint8_t *dst, size_t dstlen,
    struct tls_walk *w)
{
	struct pbuf	in, frag;
	uint16_t	version, reclen;
	uint8_t		type;
	size_t		missing, reclost;
	int		rc;

	memset(w, 0, sizeof(*w));
	pbuf_init(&in, buf, len);
	for (;;) {
		if (tls_record_start(&in) == -1)
			return w->records == 0 ? TLS_HELLO_NOT : TLS_HELLO_BAD;
		if (in.len < TLS_RECORD_HDR) {
			w->need = len - in.len + TLS_RECORD_HDR +
			    tls_walk_missing(w);
			return TLS_HELLO_MORE;
		}
		if (pbuf_get_u8(&in, &type) == -1 ||
		    pbuf_get_u16(&in, &version) == -1 ||
		    pbuf_get_u16(&in, &reclen) == -1)
			return TLS_HELLO_BAD;
		if (reclen == 0 || reclen > TLS_RECORD_MAX)
			return TLS_HELLO_BAD;
		if (w->records++ == 0)
			w->version = version;
		reclost = 0;
		if (reclen > in.len) {
			reclost = reclen - in.len;
			reclen = (uint16_t)in.len;
		}
		if (pbuf_sub(&in, reclen, &frag) == -1)
			return TLS_HELLO_BAD;
		rc = tls_walk_fragment(w, &frag, dst, dstlen);
		if (rc != TLS_HELLO_OK)
			return rc;
		if (w->want > 0 && w->avail >= w->want)
			return TLS_HELLO_OK;
		if (reclost > 0) {
			missing = tls_walk_missing(w);
			if (missing <= reclost)
				w->need = len + missing;
			else
				w->need = len + reclost + TLS_RECORD_HDR +
				    (missing - reclost);
			return TLS_HELLO_MORE;
		}
	}
}

/*
 * Write n bytes as printable ASCII to dst (size dstlen, which the caller
 * makes 4 * n + 1): 0x21..0x7e as they are but the backslash, which is
 * doubled, and any other byte as \xHH.  Returns 1 if anything was escaped.
 */
static int
tls_escape(const uint8_t *p, size_t n, char *dst, size_t dstlen)
{
	size_t	i, o = 0;
	int	escaped = 0;

	for (i = 0; i < n; i++) {
		if (p[i] == '\\') {
			if (o + 2 >= dstlen)
				break;
			dst[o++] = '\\';
			dst[o++] = '\\';
			escaped = 1;
		} else if (p[i] >= 0x21 && p[i] <= 0x7e) {
			if (o + 1 >= dstlen)
				break;
			dst[o++] = (char)p[i];
		} else {
			if (o + 4 >= dstlen)
				break;
			dst[o++] = '\\';
			dst[o++] = 'x';
			dst[o++] = tls_hex[p[i] >> 4];
			dst[o++] = tls_hex[p[i] & 0x0f];
			escaped = 1;
		}
	}
	if (dstlen > 0)
		dst[o] = '\0';
	return escaped;
}

/* Keep a list value unless it is GREASE; count it either way. */
static void
tls_keep(uint16_t v, uint16_t *list, size_t max, size_t *n, size_t *seen,
    struct tls_hello *out)
{
	if (tls_is_grease(v)) {
		out->notes |= TLS_NOTE_GREASE;
		return;
	}
	(*seen)++;
	if (*n < max)
		list[(*n)++] = v;
	else
		out->notes |= TLS_NOTE_LIST_CUT;
}

/* Alphanumeric in ASCII, as JA4 means it. */
static int
tls_ja4_alnum(uint8_t c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
	    (c >= 'a' && c <= 'z');
}

/*
 * The JA4 letters of the first ALPN name: its first and last bytes if
 * both are alphanumeric, else the first and last digits of its hex.
 */
static void
tls_ja4_alpn(const uint8_t *p, size_t n, char out[3])
{
	if (n == 0) {
		out[0] = out[1] = '0';
	} else if (tls_ja4_alnum(p[0]) && tls_ja4_alnum(p[n - 1])) {
		out[0] = (char)p[0];
		out[1] = (char)p[n - 1];
	} else {
		out[0] = tls_hex[p[0] >> 4];
		out[1] = tls_hex[p[n - 1] & 0x0f];
	}
	out[2] = '\0';
}

/*
 * server_name (RFC 6066 3):
 *
 *	+-----------------+-----------+-------------+-----------------
 *	| list length (2) | type (1)  | length (2)  | host_name ...
 *	+-----------------+-----------+-------------+-----------------
 *
 * An empty extension or host_name counts as an empty SNI.
 */
static int
tls_ext_sni(struct pbuf *b, struct tls_hello *out)
{
	struct pbuf	list, name;
	uint16_t	n;
	uint8_t		type;
	size_t		keep;
	int		found = 0;

	out->sni_present = 1;
	if (b->len == 0) {
		out->notes |= TLS_NOTE_SNI_EMPTY;
		return 0;
	}
	if (pbuf_get_u16(b, &n) == -1 || pbuf_sub(b, n, &list) == -1 ||
	    b->len != 0)
		return -1;
	while (list.len > 0) {
		if (pbuf_get_u8(&list, &type) == -1 ||
		    pbuf_get_u16(&list, &n) == -1 ||
		    pbuf_sub(&list, n, &name) == -1)
			return -1;
		if (type != TLS_SNI_HOST_NAME || found)
			continue;
		found = 1;
		out->sni_len = name.len;
		keep = name.len;
		if (keep > TLS_SNI_MAX) {
			keep = TLS_SNI_MAX;
			out->notes |= TLS_NOTE_SNI_CUT;
		}
		if (tls_escape(name.p, keep, out->sni, sizeof(out->sni)))
			out->notes |= TLS_NOTE_SNI_ESCAPED;
	}
	if (out->sni[0] == '\0')
		out->notes |= TLS_NOTE_SNI_EMPTY;
	return 0;
}

/*
 * application_layer_protocol_negotiation (RFC 7301 3.1):
 *
 *	+-----------------+---------+-----------+---------+-----------
 *	| list length (2) | len (1) | name ...  | len (1) | name ...
 *	+-----------------+---------+-----------+---------+-----------
 */
static int
tls_ext_alpn(struct pbuf *b, struct tls_hello *out)
{
	struct pbuf	list, name;
	uint16_t	n;
	uint8_t		n8;
	size_t		keep;
	int		first = 1;

	out->alpn_present = 1;
	if (pbuf_get_u16(b, &n) == -1 || pbuf_sub(b, n, &list) == -1 ||
	    b->len != 0)
		return -1;
	while (list.len > 0) {
		if (pbuf_get_u8(&list, &n8) == -1 ||
		    pbuf_sub(&list, n8, &name) == -1)
			return -1;
		if (first) {
			tls_ja4_alpn(name.p, name.len, out->alpn_ja4);
			first = 0;
		}
		if (out->nalpn == TLS_ALPN_MAX) {
			out->notes |= TLS_NOTE_ALPN_CUT;
			continue;
		}
		keep = name.len;
		if (keep > TLS_ALPN_NAME_MAX) {
			keep = TLS_ALPN_NAME_MAX;
			out->notes |= TLS_NOTE_ALPN_CUT;
		}
		if (tls_escape(name.p, keep, out->alpn[out->nalpn],
		    sizeof(out->alpn[0])))
			out->notes |= TLS_NOTE_ALPN_ESCAPED;
		out->nalpn++;
	}
	return 0;
}

/*
 * supported_versions in a ClientHello (RFC 8446 4.2.1):
 *
 *	+------------+-------------+-------------+-----
 *	| length (1) | version (2) | version (2) | ...
 *	+------------+-------------+-------------+-----
 */
static int
tls_ext_versions(struct pbuf *b, struct tls_hello *out)
{
	struct pbuf	list;
	uint16_t	v;
	uint8_t		n;

	out->versions_present = 1;
	if (pbuf_get_u8(b, &n) == -1 || (n & 1) != 0 ||
	    pbuf_sub(b, n, &list) == -1 || b->len != 0)
		return -1;
	while (pbuf_get_u16(&list, &v) == 0) {
		if (tls_is_grease(v))
			out->notes |= TLS_NOTE_GREASE;
		else if (v > out->version_max)
			out->version_max = v;
		if (out->nversions < TLS_VERSIONS_MAX)
			out->versions[out->nversions++] = v;
		else
			out->notes |= TLS_NOTE_LIST_CUT;
	}
	return 0;
}

/*
 * signature_algorithms (RFC 8446 4.2.3):
 *
 *	+-----------------+-------------+-------------+-----
 *	| length (2)      | scheme (2)  | scheme (2)  | ...
 *	+-----------------+-------------+-------------+-----
 */
static int
tls_ext_sigalgs(struct pbuf *b, struct tls_hello *out)
{
	struct pbuf	list;
	uint16_t	n, v;

	if (pbuf_get_u16(b, &n) == -1 || (n & 1) != 0 ||
	    pbuf_sub(b, n, &list) == -1 || b->len != 0)
		return -1;
	while (pbuf_get_u16(&list, &v) == 0)
		tls_keep(v, out->sigalgs, TLS_SIGALGS_MAX, &out->nsigalgs,
		    &out->sigalgs_seen, out);
	return 0;
}

/*
 * The extensions block: type (2), length (2), data, to its end.  The
 * first of each type is parsed; a repeat is counted and noted.
 */
static int
tls_extensions(struct pbuf *b, struct tls_hello *out)
{
	uint64_t	seen[65536 / 64];
	struct pbuf	data;
	uint16_t	type, len;
	uint64_t	bit;
	int		rc;

	memset(seen, 0, sizeof(seen));
	while (b->len > 0) {
		if (pbuf_get_u16(b, &type) == -1 ||
		    pbuf_get_u16(b, &len) == -1 ||
		    pbuf_sub(b, len, &data) == -1)
			return -1;
		tls_keep(type, out->exts, TLS_EXTS_MAX, &out->nexts,
		    &out->exts_seen, out);
		bit = (uint64_t)1 << (type % 64);
		if (seen[type / 64] & bit) {
			out->notes |= TLS_NOTE_DUP_EXT;
			continue;
		}
		seen[type / 64] |= bit;
		switch (type) {
		case TLS_EXT_SERVER_NAME:
			rc = tls_ext_sni(&data, out);
			break;
		case TLS_EXT_ALPN:
			rc = tls_ext_alpn(&data, out);
			break;
		case TLS_EXT_VERSIONS:
			rc = tls_ext_versions(&data, out);
			break;
		case TLS_EXT_SIG_ALGS:
			rc = tls_ext_sigalgs(&data, out);
			break;
		default:
			rc = 0;
			break;
		}
		if (rc == -1)
			return -1;
	}
	return 0;
}

/* The ClientHello body, after the handshake header. */
static int
tls_hello_body(struct pbuf *b, struct tls_hello *out)
{
	struct pbuf	suites, exts;
	uint16_t	n, v;
	uint8_t		n8;

	if (pbuf_get_u16(b, &out->legacy_version) == -1 ||
	    pbuf_skip(b, TLS_RANDOM_LEN) == -1 ||
	    pbuf_get_u8(b, &n8) == -1 || n8 > TLS_SESSION_ID_MAX ||
	    pbuf_skip(b, n8) == -1 ||
	    pbuf_get_u16(b, &n) == -1 || (n & 1) != 0 ||
	    pbuf_sub(b, n, &suites) == -1 ||
	    pbuf_get_u8(b, &n8) == -1 || pbuf_skip(b, n8) == -1)
		return -1;
	while (pbuf_get_u16(&suites, &v) == 0)
		tls_keep(v, out->ciphers, TLS_CIPHERS_MAX, &out->nciphers,
		    &out->ciphers_seen, out);
	if (b->len == 0)
		return 0;
	if (pbuf_get_u16(b, &n) == -1 || pbuf_sub(b, n, &exts) == -1)
		return -1;
	if (b->len > 0)
		out->notes |= TLS_NOTE_TRAILING;
	return tls_extensions(&exts, out);
}

/* Start a hello with nothing seen. */
static void
tls_hello_init(struct tls_hello *out)
{
	memset(out, 0, sizeof(*out));
	memcpy(out->alpn_ja4, "00", sizeof(out->alpn_ja4));
}

/* Parse a bare ClientHello handshake message (QUIC CRYPTO data). */
int
tls_client_hello_msg(const uint8_t *buf, size_t len, struct tls_hello *out)
{
	struct pbuf	in, body;
	uint8_t		type, len_hi;
	uint16_t	len_lo;
	size_t		n;

	tls_hello_init(out);
	pbuf_init(&in, buf, len);
	if (pbuf_peek_u8(&in, 0, &type) == 0 && type != TLS_HS_CLIENT_HELLO)
		return TLS_HELLO_NOT;
	if (pbuf_get_u8(&in, &type) == -1 || pbuf_get_u8(&in, &len_hi) == -1 ||
	    pbuf_get_u16(&in, &len_lo) == -1) {
		out->need = TLS_HS_HDR + 1;
		return TLS_HELLO_MORE;
	}
	n = (size_t)len_hi << 16 | len_lo;
	if (pbuf_sub(&in, n, &body) == -1) {
		out->need = TLS_HS_HDR + n;
		return TLS_HELLO_MORE;
	}
	return tls_hello_body(&body, out) == 0 ? TLS_HELLO_OK : TLS_HELLO_BAD;
}

/* Parse the ClientHello at the start of a client stream. */
int
tls_client_hello(const uint8_t *buf, size_t len, struct tls_hello *out)
{
	struct tls_walk	 w;
	struct pbuf	 body, in;
	uint8_t		*msg = NULL;
	int		 rc;

	tls_hello_init(out);
	pbuf_init(&in, buf, len);
	if (tls_is_ssl2_hello(&in)) {
		out->notes |= TLS_NOTE_SSL2;
		return TLS_HELLO_NOT;
	}
	rc = tls_walk(buf, len, NULL, 0, &w);
	out->records = w.records;
	out->need = w.need;
	out->record_version = w.version;
	if (rc != TLS_HELLO_OK)
		return rc;
	if (w.records > 1)
		out->notes |= TLS_NOTE_FRAGMENTED;

	if (w.records == 1) {
		/* The whole message lies in the first record. */
		if (pbuf_skip(&in, TLS_RECORD_HDR + TLS_HS_HDR) == -1 ||
		    pbuf_sub(&in, w.want - TLS_HS_HDR, &body) == -1)
			return TLS_HELLO_BAD;
	} else {
		msg = xmalloc(w.want);
		if (tls_walk(buf, len, msg, w.want, &w) != TLS_HELLO_OK) {
			free(msg);
			return TLS_HELLO_BAD;
		}
		pbuf_init(&body, msg + TLS_HS_HDR, w.want - TLS_HS_HDR);
	}
	rc = tls_hello_body(&body, out) == 0 ? TLS_HELLO_OK : TLS_HELLO_BAD;
	free(msg);
	return rc;
}

/* Order 16-bit values for qsort. */
static int
tls_cmp_u16(const void *a, const void *b)
{
	uint16_t	x = *(const uint16_t *)a, y = *(const uint16_t *)b;

	return (x > y) - (x < y);
}

/*
 * Append 4-digit lowercase hex values, comma-separated, to s (of size
 * slen, long enough), skipping SNI and ALPN if asked.  Returns the
 * number written.
 */
static size_t
tls_ja4_list(char *s, size_t slen, size_t off, const uint16_t *v, size_t n,
    int skip_sni_alpn)
{
	size_t	i, count = 0;

	for (i = 0; i < n; i++) {
		if (skip_sni_alpn &&
		    (v[i] == TLS_EXT_SERVER_NAME || v[i] == TLS_EXT_ALPN))
			continue;
		if (off + 6 > slen)
			break;
		if (count > 0)
			s[off++] = ',';
		s[off++] = tls_hex[v[i] >> 12];
		s[off++] = tls_hex[(v[i] >> 8) & 0x0f];
		s[off++] = tls_hex[(v[i] >> 4) & 0x0f];
		s[off++] = tls_hex[v[i] & 0x0f];
		count++;
	}
	s[off] = '\0';
	return count;
}

/* The first 12 hex digits of the SHA-256 of s, or 12 zeros if empty. */
static void
tls_ja4_hash(const char *s, int empty, char out[TLS_JA4_HASH_LEN + 1])
{
	uint8_t	md[CRYPTO_SHA256_LEN];
	int	i;

	if (empty) {
		memset(out, '0', TLS_JA4_HASH_LEN);
	} else {
		crypto_sha256(s, strlen(s), md);
		for (i = 0; i < TLS_JA4_HASH_LEN / 2; i++) {
			out[2 * i] = tls_hex[md[i] >> 4];
			out[2 * i + 1] = tls_hex[md[i] & 0x0f];
		}
	}
	out[TLS_JA4_HASH_LEN] = '\0';
}

/* The two JA4 version letters of a protocol version. */
static const char *
tls_ja4_version(uint16_t v)
{
	switch (v) {
	case 0x0304:
		return "13";
	case 0x0303:
		return "12";
	case 0x0302:
		return "11";
	case 0x0301:
		return "10";
	case 0x0300:
		return "s3";
	case 0x0002:
		return "s2";
	case 0xfeff:
		return "d1";
	case 0xfefd:
		return "d2";
	case 0xfefc:
		return "d3";
	}
	return "00";
}

/*
 * JA4 = a_b_c (FoxIO JA4.md):
 *	a: proto, version, 'd' SNI or 'i' none, ciphers and extensions
 *	   (GREASE aside, 2 digits up to 99), ALPN letters;
 *	b: SHA-256 of the ciphers in hex order, 12 digits;
 *	c: SHA-256 of the extensions in hex order but SNI and ALPN, then
 *	   '_' and the signature algorithms in wire order if any.
 * TLS_JA4_ORIGINAL keeps wire order and SNI and ALPN in c; TLS_JA4_RAW
 * writes the lists instead of their hashes.  A supported_versions with
 * no version but GREASE gives "00".
 */
int
tls_ja4(const struct tls_hello *h, char proto, int flags, char *out,
    size_t outlen)
{
	uint16_t	ciphers[TLS_CIPHERS_MAX], exts[TLS_EXTS_MAX];
	char		clist[TLS_CIPHERS_MAX * 5 + 1];
	char		elist[TLS_EXTS_MAX * 5 + 1 + TLS_SIGALGS_MAX * 5 + 1];
	char		a[16], bhash[TLS_JA4_HASH_LEN + 1];
	char		chash[TLS_JA4_HASH_LEN + 1];
	size_t		nc, ne, off;
	size_t		hc = h->nciphers, he = h->nexts, hs = h->nsigalgs;
	int		orig = (flags & TLS_JA4_ORIGINAL) != 0, n;
	char		al0 = h->alpn_ja4[0], al1 = h->alpn_ja4[1];

	if (proto != 't' && proto != 'q' && proto != 'd')
		return -1;
	if (outlen < ((flags & TLS_JA4_RAW) ? TLS_JA4_RAW_LEN : TLS_JA4_LEN))
		return -1;

	if (hc > TLS_CIPHERS_MAX)
		hc = TLS_CIPHERS_MAX;
	if (he > TLS_EXTS_MAX)
		he = TLS_EXTS_MAX;
	if (hs > TLS_SIGALGS_MAX)
		hs = TLS_SIGALGS_MAX;
	if (!tls_ja4_alnum((uint8_t)al0) || !tls_ja4_alnum((uint8_t)al1))
		al0 = al1 = '0';

	snprintf(a, sizeof(a), "%c%s%c%02u%02u%c%c", proto,
	    tls_ja4_version(h->versions_present ? h->version_max :
	    h->legacy_version), h->sni_present ? 'd' : 'i',
	    (unsigned)(h->ciphers_seen > 99 ? 99 : h->ciphers_seen),
	    (unsigned)(h->exts_seen > 99 ? 99 : h->exts_seen), al0, al1);

	memcpy(ciphers, h->ciphers, hc * sizeof(ciphers[0]));
	memcpy(exts, h->exts, he * sizeof(exts[0]));
	if (!orig) {
		qsort(ciphers, hc, sizeof(ciphers[0]), tls_cmp_u16);
		qsort(exts, he, sizeof(exts[0]), tls_cmp_u16);
	}
	nc = tls_ja4_list(clist, sizeof(clist), 0, ciphers, hc, 0);
	ne = tls_ja4_list(elist, sizeof(elist), 0, exts, he, !orig);
	if (hs > 0) {
		off = strlen(elist);
		elist[off++] = '_';
		tls_ja4_list(elist, sizeof(elist), off, h->sigalgs, hs, 0);
	}

	if (flags & TLS_JA4_RAW)
		n = snprintf(out, outlen, "%s_%s_%s", a, clist, elist);
	else {
		tls_ja4_hash(clist, nc == 0, bhash);
		tls_ja4_hash(elist, ne == 0, chash);
		n = snprintf(out, outlen, "%s_%s_%s", a, bhash, chash);
	}
	return n < 0 || (size_t)n >= outlen ? -1 : 0;
}
