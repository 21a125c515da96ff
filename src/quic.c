/*
 * The TLS ClientHello in a client's QUIC Initial packets, read passively.
 * Initial packets are protected with keys derived from the Destination
 * Connection ID of the client's first Initial and a salt published for
 * each version (RFC 9001 5.2, RFC 9369 3.3), so an observer can remove
 * the protection just as the server does.  The AEAD tag is checked: a
 * packet that does not open is not read.
 *
 * Long header, Initial packet (RFC 9000 17.2, 17.2.2):
 *
 *	+-+-+---+---+---+---------------------------------------------+
 *	|1|1|T T|R R|P P| Version (32)                                |
 *	+-+-+---+---+---+-----------------+---------------------------+
 *	| DCID Len (8)  | DCID (0..160)   | SCID Len (8) | SCID ...   |
 *	+---------------+-----------------+--------------+------------+
 *	| Token Length (i) | Token ...    | Length (i)   |
 *	+------------------+--------------+--------------+
 *	| Packet Number (8..32) | Payload: frames, AEAD tag (16)     |
 *	+-----------------------+------------------------------------+
 *
 * T is 0 for Initial in v1 and 1 in v2; R and the packet number length
 * P, and the packet number, are masked by header protection (RFC 9001
 * 5.4) with AES of a 16-byte sample taken 4 bytes after the packet
 * number's start.  A datagram may carry several packets back to back
 * (RFC 9000 12.2); the CRYPTO frames (RFC 9000 19.6) of the Initials
 * are placed by offset, in any order, and the handshake stream from
 * offset 0 is parsed as a bare ClientHello message.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "pbuf.h"
#include "quic.h"
#include "tls.h"
#include "xmalloc.h"

#define QUIC_SAMPLE		16
#define QUIC_PN_MAX		4
#define QUIC_SALT_LEN		20

/* Frame types a client may send in an Initial (RFC 9000 12.4, 19). */
#define QUIC_FRAME_PADDING	0x00
#define QUIC_FRAME_PING		0x01
#define QUIC_FRAME_ACK		0x02
#define QUIC_FRAME_ACK_ECN	0x03
#define QUIC_FRAME_CRYPTO	0x06
#define QUIC_FRAME_CLOSE	0x1c

/* RFC 9001 5.2. */
static const uint8_t quic_salt_v1[QUIC_SALT_LEN] = {
	0x38, 0x76, 0x2c, 0xf7, 0xf5, 0x59, 0x34, 0xb3, 0x4d, 0x17,
	0x9a, 0xe6, 0xa4, 0xc8, 0x0c, 0xad, 0xcc, 0xbb, 0x7f, 0x0a
};

/* RFC 9369 3.3.1. */
static const uint8_t quic_salt_v2[QUIC_SALT_LEN] = {
	0x0d, 0xed, 0xe3, 0xde, 0xf7, 0x00, 0xa6, 0xdb, 0x81, 0x93,
	0x81, 0xbe, 0x6e, 0x26, 0x9d, 0xcb, 0xf9, 0xbd, 0x2e, 0xd9
};

/*
 * A variable-length integer (RFC 9000 16): the two high bits of the
 * first byte give its length, 1, 2, 4 or 8 bytes.
 */
static int
quic_get_varint(struct pbuf *b, uint64_t *v)
{
	uint8_t	c;
	size_t	n, i;

	if (pbuf_peek_u8(b, 0, &c) == -1)
		return -1;
	n = (size_t)1 << (c >> 6);
	if (b->len < n)
		return -1;
	*v = c & 0x3f;
	for (i = 1; i < n; i++)
		*v = *v << 8 | b->p[i];
	return pbuf_skip(b, n);
}

/* The client's Initial keys of a version and DCID; -1 for another version. */
int
quic_initial_keys(uint32_t version, const uint8_t *dcid, size_t dcidlen,
    struct quic_keys *k)
{
	uint8_t		 initial[CRYPTO_SHA256_LEN], client[CRYPTO_SHA256_LEN];
	const uint8_t	*salt;
	const char	*lkey, *liv, *lhp;

	if (version == QUIC_V1) {
		salt = quic_salt_v1;
		lkey = "quic key";
		liv = "quic iv";
		lhp = "quic hp";
	} else if (version == QUIC_V2) {
		salt = quic_salt_v2;
		lkey = "quicv2 key";
		liv = "quicv2 iv";
		lhp = "quicv2 hp";
	} else
		return -1;
	memset(k, 0, sizeof(*k));
	k->version = version;
	crypto_hkdf_extract(salt, QUIC_SALT_LEN, dcid, dcidlen, initial);
	if (crypto_hkdf_expand_label(initial, "client in", client,
	    sizeof(client)) == -1 ||
	    crypto_hkdf_expand_label(client, lkey, k->key,
	    sizeof(k->key)) == -1 ||
	    crypto_hkdf_expand_label(client, liv, k->iv, sizeof(k->iv)) == -1 ||
	    crypto_hkdf_expand_label(client, lhp, k->hp, sizeof(k->hp)) == -1)
		return -1;
	return 0;
}

/*
 * Read the long header at the start of buf: 0 with p filled in, or -1
 * if it is not a long header of any version or is cut short.  Only
 * v1 and v2 are read past the connection IDs.
 */
int
quic_long_header(const uint8_t *buf, size_t len, struct quic_packet *p)
{
	struct pbuf	b;
	uint64_t	tokenlen, plen;
	uint8_t		b0, cidlen, type;

	memset(p, 0, sizeof(*p));
	pbuf_init(&b, buf, len);
	if (pbuf_get_u8(&b, &b0) == -1 || (b0 & 0xc0) != 0xc0 ||
	    pbuf_get_u32(&b, &p->version) == -1 || p->version == 0 ||
	    pbuf_get_u8(&b, &cidlen) == -1 || cidlen > QUIC_CID_MAX)
		return -1;
	p->dcid = b.p;
	p->dcidlen = cidlen;
	if (pbuf_skip(&b, cidlen) == -1 ||
	    pbuf_get_u8(&b, &cidlen) == -1 || cidlen > QUIC_CID_MAX ||
	    pbuf_skip(&b, cidlen) == -1)
		return -1;
	if (p->version != QUIC_V1 && p->version != QUIC_V2) {
		p->len = len;			/* cannot be delimited */
		return 0;
	}
	type = (b0 >> 4) & 3;
	if (p->version == QUIC_V2)
		type = (type + 3) & 3;	/* v2: Retry 0, Initial 1, ... */
	if (type == 3) {			/* Retry: to the end */
		p->len = len;
		return 0;
	}
	p->initial = type == 0;
	if (p->initial && (quic_get_varint(&b, &tokenlen) == -1 ||
	    tokenlen > b.len || pbuf_skip(&b, (size_t)tokenlen) == -1))
		return -1;
	if (quic_get_varint(&b, &plen) == -1 || plen > b.len)
		return -1;
	p->pn_off = len - b.len;
	p->len = p->pn_off + (size_t)plen;
	return 0;
}

/*
 * The full packet number from its low nbits and the next one expected
 * (RFC 9000 17.1, A.3).
 */
static uint64_t
quic_pn_decode(uint64_t expected, uint64_t truncated, unsigned nbits)
{
	uint64_t	win = (uint64_t)1 << nbits, hwin = win / 2;
	uint64_t	cand = (expected & ~(win - 1)) | truncated;

	if (cand + hwin <= expected && cand < ((uint64_t)1 << 62) - win)
		return cand + win;
	if (cand > expected + hwin && cand >= win)
		return cand - win;
	return cand;
}

/*
 * Remove the protection of the Initial packet p at pkt under keys k:
 * buf (p->len bytes) gets the unprotected header, *hdrlen long, then
 * *plainlen bytes of frames.  expected is the packet number expected
 * next.  Returns 0, or -1 if the packet is too short to sample or its
 * tag does not match.
 */
int
quic_open(const struct quic_keys *k, const uint8_t *pkt,
    const struct quic_packet *p, uint64_t expected, uint8_t *buf,
    size_t *hdrlen, size_t *plainlen, uint64_t *pn)
{
	uint8_t		mask[CRYPTO_AES_BLOCK], nonce[CRYPTO_GCM_IV];
	uint64_t	trunc = 0;
	size_t		pnlen, i, clen;

	if (p->pn_off + QUIC_PN_MAX + QUIC_SAMPLE > p->len)
		return -1;
	crypto_aes128_ecb(k->hp, pkt + p->pn_off + QUIC_PN_MAX, mask);
	memcpy(buf, pkt, p->pn_off);
	buf[0] ^= mask[0] & 0x0f;
	pnlen = (size_t)(buf[0] & 3) + 1;
	for (i = 0; i < pnlen; i++) {
		buf[p->pn_off + i] = pkt[p->pn_off + i] ^ mask[1 + i];
		trunc = trunc << 8 | buf[p->pn_off + i];
	}
	*hdrlen = p->pn_off + pnlen;
	if (*hdrlen + CRYPTO_GCM_TAG > p->len)
		return -1;
	*pn = quic_pn_decode(expected, trunc, (unsigned)(8 * pnlen));
	memcpy(nonce, k->iv, CRYPTO_GCM_IV);
	for (i = 0; i < 8; i++)
		nonce[CRYPTO_GCM_IV - 1 - i] ^= (uint8_t)(*pn >> (8 * i));
	clen = p->len - *hdrlen - CRYPTO_GCM_TAG;
	if (crypto_gcm_open(k->key, nonce, buf, *hdrlen, pkt + *hdrlen, clen,
	    pkt + *hdrlen + clen, buf + *hdrlen) == -1)
		return -1;
	*plainlen = clen;
	return 0;
}

/* Keep CRYPTO bytes at an offset; bytes already present are not replaced. */
static void
quic_stream_add(struct quic_stream *qs, uint64_t off, const uint8_t *p,
    size_t n)
{
	size_t	i, o;

	if (off >= QUIC_CRYPTO_MAX)
		return;
	if (n > QUIC_CRYPTO_MAX - off)
		n = QUIC_CRYPTO_MAX - (size_t)off;
	for (i = 0; i < n; i++) {
		o = (size_t)off + i;
		if (qs->have[o / 8] & (1 << (o % 8)))
			continue;
		qs->have[o / 8] |= (uint8_t)(1 << (o % 8));
		qs->data[o] = p[i];
	}
	while (qs->len < QUIC_CRYPTO_MAX &&
	    (qs->have[qs->len / 8] & (1 << (qs->len % 8))))
		qs->len++;
}

/*
 * The frames of an Initial packet (RFC 9000 19): PADDING, PING, ACK,
 * CRYPTO and CONNECTION_CLOSE are read; another type ends the walk, as
 * it may not appear in an Initial.  -1 when a frame is cut short.
 *
 *	CRYPTO:	| 0x06 (i) | Offset (i) | Length (i) | Data ... |
 *	ACK:	| 0x02..3 (i) | Largest (i) | Delay (i) | Range Count (i) |
 *		| First Range (i) | {Gap (i) Length (i)} ... | [ECN (3i)] |
 *	CLOSE:	| 0x1c (i) | Error (i) | Frame Type (i) | Reason Len (i) | .. |
 */
static int
quic_frames(struct quic_stream *qs, const uint8_t *p, size_t len)
{
	struct pbuf	b;
	uint64_t	type, off, n, count, v, i;

	pbuf_init(&b, p, len);
	while (b.len > 0) {
		if (quic_get_varint(&b, &type) == -1)
			return -1;
		switch (type) {
		case QUIC_FRAME_PADDING:
		case QUIC_FRAME_PING:
			break;
		case QUIC_FRAME_ACK:
		case QUIC_FRAME_ACK_ECN:
			if (quic_get_varint(&b, &v) == -1 ||
			    quic_get_varint(&b, &v) == -1 ||
			    quic_get_varint(&b, &count) == -1 ||
			    quic_get_varint(&b, &v) == -1)
				return -1;
			for (i = 0; i < count; i++)
				if (quic_get_varint(&b, &v) == -1 ||
				    quic_get_varint(&b, &v) == -1)
					return -1;
			if (type == QUIC_FRAME_ACK_ECN &&
			    (quic_get_varint(&b, &v) == -1 ||
			    quic_get_varint(&b, &v) == -1 ||
			    quic_get_varint(&b, &v) == -1))
				return -1;
			break;
		case QUIC_FRAME_CRYPTO:
			if (quic_get_varint(&b, &off) == -1 ||
			    quic_get_varint(&b, &n) == -1 || n > b.len)
				return -1;
			quic_stream_add(qs, off, b.p, (size_t)n);
			if (pbuf_skip(&b, (size_t)n) == -1)
				return -1;
			break;
		case QUIC_FRAME_CLOSE:
			if (quic_get_varint(&b, &v) == -1 ||
			    quic_get_varint(&b, &v) == -1 ||
			    quic_get_varint(&b, &n) == -1 || n > b.len ||
			    pbuf_skip(&b, (size_t)n) == -1)
				return -1;
			break;
		default:
			return 0;
		}
	}
	return 0;
}

/*
 * Open one Initial packet with the flow's keys, or, if they fail (a
 * first packet, or new keys after a Retry), with keys from its own
 * DCID, and read its frames.  Returns QUIC_MORE, UNDECRYPTABLE or BAD.
 */
static int
quic_initial(struct quic_stream *qs, const uint8_t *pkt,
    const struct quic_packet *p)
{
	struct quic_keys	 k;
	uint8_t			*buf;
	uint64_t		 pn, expected;
	size_t			 hdrlen, plainlen;
	int			 opened = 0, rc;

	expected = qs->have_pn ? qs->largest_pn + 1 : 0;
	buf = xmalloc(p->len);
	if (qs->have_keys && qs->keys.version == p->version &&
	    quic_open(&qs->keys, pkt, p, expected, buf, &hdrlen, &plainlen,
	    &pn) == 0)
		opened = 1;
	else if (quic_initial_keys(p->version, p->dcid, p->dcidlen, &k) == 0 &&
	    quic_open(&k, pkt, p, expected, buf, &hdrlen, &plainlen,
	    &pn) == 0) {
		opened = 1;
		qs->keys = k;
		qs->have_keys = 1;
	}
	if (!opened) {
		free(buf);
		return QUIC_UNDECRYPTABLE;
	}
	qs->packets++;
	if (!qs->have_pn || pn > qs->largest_pn)
		qs->largest_pn = pn;
	qs->have_pn = 1;
	rc = quic_frames(qs, buf + hdrlen, plainlen) == 0 ? QUIC_MORE :
	    QUIC_BAD;
	free(buf);
	return rc;
}

/* Does a long header of v1 or v2 start here, however short the rest? */
static int
quic_is_v1v2(const uint8_t *d, size_t len)
{
	struct pbuf	b;
	uint32_t	version;
	uint8_t		b0;

	pbuf_init(&b, d, len);
	if (pbuf_get_u8(&b, &b0) == -1 || (b0 & 0xc0) != 0xc0 ||
	    pbuf_get_u32(&b, &version) == -1)
		return 0;
	return version == QUIC_V1 || version == QUIC_V2;
}

/*
 * One UDP datagram from the client: its Initial packets are opened and
 * their CRYPTO data joined in qs.  Returns QUIC_OK when the ClientHello
 * is whole (parsed into out), MORE while it is not, NOT if the datagram
 * does not start with a v1 or v2 long header, UNDECRYPTABLE, or BAD
 * (also for a first v1 or v2 packet cut short, as by the snap length).
 */
int
quic_client_initial(struct quic_stream *qs, const uint8_t *d, size_t len,
    struct tls_hello *out)
{
	struct quic_packet	p;
	size_t			off = 0;
	int			rc, initials = 0;

	qs->datagrams++;
	while (off < len) {
		if (quic_long_header(d + off, len - off, &p) == -1)
			break;	/* a short header, padding, or cut */
		if (p.version != QUIC_V1 && p.version != QUIC_V2)
			break;
		if (p.initial) {
			rc = quic_initial(qs, d + off, &p);
			if (rc != QUIC_MORE)
				return rc;
			initials++;
		}
		off += p.len;
	}
	if (off == 0)
		return quic_is_v1v2(d, len) ? QUIC_BAD : QUIC_NOT;
	if (initials == 0 || qs->len == 0)
		return QUIC_MORE;
	switch (tls_client_hello_msg(qs->data, qs->len, out)) {
	case TLS_HELLO_OK:
		return QUIC_OK;
	case TLS_HELLO_MORE:
		return out->need <= QUIC_CRYPTO_MAX ? QUIC_MORE : QUIC_BAD;
	default:
		return QUIC_BAD;
	}
}
