/*
 * Community ID version 1 (corelight community-id-spec): a flow identifier
 * that other monitors compute alike, so their logs join on one string.
 *
 *	"1:" base64(SHA-1(seed . saddr . daddr . proto . 0 [. sport . dport]))
 *
 * Hash input, all in network byte order, 32-bit aligned:
 *
 *	+-------------------------------+-------------------------------+
 *	|          seed (2)             |  saddr (4 or 16) ...          |
 *	+-------------------------------+-------------------------------+
 *	|  ... daddr (4 or 16) ...                                      |
 *	+---------------+---------------+-------------------------------+
 *	|   proto (1)   |   pad 0 (1)   |  (sport (2)    dport (2))     |
 *	+---------------+---------------+-------------------------------+
 *
 * The endpoints are ordered so that the smaller address (then port) comes
 * first and both directions give one id; ICMP types and codes map to port
 * equivalents as Zeek maps them, and one-way ICMP messages keep their order.
 * Ports are hashed only for TCP, UDP, SCTP, ICMP and ICMPv6.
 *
 * SHA-1 is written from FIPS 180-4, base64 from RFC 4648.
 */
#include "config.h"

#include <netinet/in.h>

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "community_id.h"

#define COMMUNITY_ID_B64_LEN	28	/* base64 of the 20-byte digest */
#define COMMUNITY_ID_INPUT_MAX	40	/* 2 + 16 + 16 + 1 + 1 + 2 + 2 */
#define COMMUNITY_ID_NITEMS(a)	(sizeof(a) / sizeof((a)[0]))
#define COMMUNITY_ID_ROTL(x, n)	(uint32_t)(((x) << (n)) | ((x) >> (32 - (n))))

/* ICMP request/reply types that pair up into one flow (as in Zeek). */
static const uint8_t community_id_icmp4_pairs[][2] = {
	{ 8, 0 },	/* echo request, echo reply */
	{ 13, 14 },	/* timestamp, timestamp reply */
	{ 15, 16 },	/* information request, information reply */
	{ 10, 9 },	/* router solicitation, router advertisement */
	{ 17, 18 },	/* address mask request, address mask reply */
};

/* ICMPv6 request/reply types that pair up into one flow (as in Zeek). */
static const uint8_t community_id_icmp6_pairs[][2] = {
	{ 128, 129 },	/* echo request, echo reply */
	{ 130, 131 },	/* multicast listener query, report */
	{ 133, 134 },	/* router solicitation, router advertisement */
	{ 135, 136 },	/* neighbor solicitation, neighbor advertisement */
	{ 139, 140 },	/* node information query, node information reply */
	{ 144, 145 },	/* home agent address discovery request, reply */
};

static const char community_id_b64_alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* Read a 32-bit big-endian word. */
static uint32_t
community_id_get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

/* Write a 32-bit word big-endian. */
static void
community_id_put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* Fold one 512-bit block into the SHA-1 state (FIPS 180-4, 6.1.2). */
static void
community_id_sha1_block(uint32_t h[5], const uint8_t *block)
{
	uint32_t	 w[80], a, b, c, d, e, f, k, t;
	int		 i;

	for (i = 0; i < 16; i++)
		w[i] = community_id_get32(block + 4 * i);
	for (i = 16; i < 80; i++)
		w[i] = COMMUNITY_ID_ROTL(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^
		    w[i - 16], 1);

	a = h[0];
	b = h[1];
	c = h[2];
	d = h[3];
	e = h[4];
	for (i = 0; i < 80; i++) {
		if (i < 20) {
			f = (b & c) ^ (~b & d);			/* Ch */
			k = 0x5a827999;
		} else if (i < 40) {
			f = b ^ c ^ d;				/* Parity */
			k = 0x6ed9eba1;
		} else if (i < 60) {
			f = (b & c) ^ (b & d) ^ (c & d);	/* Maj */
			k = 0x8f1bbcdc;
		} else {
			f = b ^ c ^ d;				/* Parity */
			k = 0xca62c1d6;
		}
		t = COMMUNITY_ID_ROTL(a, 5) + f + e + k + w[i];
		e = d;
		d = c;
		c = COMMUNITY_ID_ROTL(b, 30);
		b = a;
		a = t;
	}
	h[0] += a;
	h[1] += b;
	h[2] += c;
	h[3] += d;
	h[4] += e;
}

/* SHA-1 digest of a buffer (FIPS 180-4, 5.1.1 padding and 6.1). */
void
community_id_sha1(const void *data, size_t len,
    uint8_t out[COMMUNITY_ID_SHA1_LEN])
{
	const uint8_t	*p = data;
	uint8_t		 tail[128];
	uint32_t	 h[5] = {
		0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0
	};
	uint64_t	 bits = (uint64_t)len * 8;
	size_t		 rest, tlen;
	int		 i;

	for (rest = len; rest >= 64; rest -= 64, p += 64)
		community_id_sha1_block(h, p);

	/* The message ends with 1 bit, zeros, and its 64-bit bit length. */
	memset(tail, 0, sizeof(tail));
	if (rest > 0)
		memcpy(tail, p, rest);
	tail[rest] = 0x80;
	tlen = rest < 56 ? 64 : 128;
	community_id_put32(tail + tlen - 8, (uint32_t)(bits >> 32));
	community_id_put32(tail + tlen - 4, (uint32_t)bits);
	community_id_sha1_block(h, tail);
	if (tlen == 128)
		community_id_sha1_block(h, tail + 64);

	for (i = 0; i < 5; i++)
		community_id_put32(out + 4 * i, h[i]);
}

/* Base64 with padding (RFC 4648, 4) into out; -1 if out is too small. */
static int
community_id_base64(const uint8_t *in, size_t len, char *out, size_t outlen)
{
	const char	*abc = community_id_b64_alphabet;
	uint32_t	 v;
	size_t		 i, o = 0;

	if (outlen < (len + 2) / 3 * 4 + 1)
		return -1;
	for (i = 0; i + 3 <= len; i += 3) {
		v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 |
		    (uint32_t)in[i + 2];
		out[o++] = abc[(v >> 18) & 0x3f];
		out[o++] = abc[(v >> 12) & 0x3f];
		out[o++] = abc[(v >> 6) & 0x3f];
		out[o++] = abc[v & 0x3f];
	}
	if (i < len) {
		v = (uint32_t)in[i] << 16;
		if (i + 1 < len)
			v |= (uint32_t)in[i + 1] << 8;
		out[o++] = abc[(v >> 18) & 0x3f];
		out[o++] = abc[(v >> 12) & 0x3f];
		out[o++] = i + 1 < len ? abc[(v >> 6) & 0x3f] : '=';
		out[o++] = '=';
	}
	out[o] = '\0';
	return 0;
}

/*
 * Turn an ICMP type (in *sport) and code (in *dport) into port
 * equivalents: a type with a counterpart becomes (type, counterpart),
 * anything else stays (type, code).  Returns 1 for a one-way message.
 */
static int
community_id_icmp_oneway(const uint8_t (*pairs)[2], size_t npairs,
    uint16_t *sport, uint16_t *dport)
{
	size_t	i;

	for (i = 0; i < npairs; i++) {
		if (*sport == pairs[i][0]) {
			*dport = pairs[i][1];
			return 0;
		}
		if (*sport == pairs[i][1]) {
			*dport = pairs[i][0];
			return 0;
		}
	}
	return 1;
}

/*
 * The type that answers (or is answered by) an ICMP type, or -1 for a
 * one-way message; *reply is set when type is the answering half.
 */
int
community_id_icmp_counterpart(uint8_t af, uint8_t type, int *reply)
{
	const uint8_t	(*pairs)[2] = af == 4 ? community_id_icmp4_pairs :
			    community_id_icmp6_pairs;
	size_t		  i, n = af == 4 ?
			    COMMUNITY_ID_NITEMS(community_id_icmp4_pairs) :
			    COMMUNITY_ID_NITEMS(community_id_icmp6_pairs);

	*reply = 0;
	for (i = 0; i < n; i++) {
		if (type == pairs[i][0])
			return pairs[i][1];
		if (type == pairs[i][1]) {
			*reply = 1;
			return pairs[i][0];
		}
	}
	return -1;
}

/* Compute the version 1 Community ID of a flow into out. */
int
community_id_v1(uint16_t seed, uint8_t af, uint8_t proto,
    const uint8_t *saddr, const uint8_t *daddr, uint16_t sport,
    uint16_t dport, char *out, size_t outlen)
{
	uint8_t		 in[COMMUNITY_ID_INPUT_MAX];
	uint8_t		 digest[COMMUNITY_ID_SHA1_LEN];
	const uint8_t	*a1, *a2;
	uint16_t	 p1, p2;
	size_t		 alen, n = 0;
	int		 ported = 1, oneway = 0, cmp;

	if (out != NULL && outlen > 0)
		out[0] = '\0';
	if (af == 4)
		alen = 4;
	else if (af == 6)
		alen = 16;
	else
		return -1;
	if (out == NULL || outlen < 2 + COMMUNITY_ID_B64_LEN + 1)
		return -1;

	switch (proto) {
	case IPPROTO_ICMP:
		oneway = community_id_icmp_oneway(community_id_icmp4_pairs,
		    COMMUNITY_ID_NITEMS(community_id_icmp4_pairs),
		    &sport, &dport);
		break;
	case IPPROTO_ICMPV6:
		oneway = community_id_icmp_oneway(community_id_icmp6_pairs,
		    COMMUNITY_ID_NITEMS(community_id_icmp6_pairs),
		    &sport, &dport);
		break;
	case IPPROTO_TCP:
	case IPPROTO_UDP:
	case IPPROTO_SCTP:
		break;
	default:
		ported = 0;
		sport = dport = 0;
		break;
	}

	cmp = memcmp(saddr, daddr, alen);
	if (oneway || cmp < 0 || (cmp == 0 && sport < dport)) {
		a1 = saddr;
		a2 = daddr;
		p1 = sport;
		p2 = dport;
	} else {
		a1 = daddr;
		a2 = saddr;
		p1 = dport;
		p2 = sport;
	}

	in[n++] = (uint8_t)(seed >> 8);
	in[n++] = (uint8_t)seed;
	memcpy(in + n, a1, alen);
	n += alen;
	memcpy(in + n, a2, alen);
	n += alen;
	in[n++] = proto;
	in[n++] = 0;
	if (ported) {
		in[n++] = (uint8_t)(p1 >> 8);
		in[n++] = (uint8_t)p1;
		in[n++] = (uint8_t)(p2 >> 8);
		in[n++] = (uint8_t)p2;
	}
	community_id_sha1(in, n, digest);

	out[0] = '1';
	out[1] = ':';
	return community_id_base64(digest, sizeof(digest), out + 2,
	    outlen - 2);
}
