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
 * SHA-1 and base64 are libcrypto's (crypto.c).
 */
#include "config.h"

#include <netinet/in.h>

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "community_id.h"
#include "crypto.h"

#define COMMUNITY_ID_B64_LEN	28	/* base64 of the 20-byte digest */
#define COMMUNITY_ID_INPUT_MAX	40	/* 2 + 16 + 16 + 1 + 1 + 2 + 2 */
#define COMMUNITY_ID_NITEMS(a)	(sizeof(a) / sizeof((a)[0]))

/* The JSON sink writes the string in place by this length, no strlen. */
_Static_assert(COMMUNITY_ID_STRLEN == 2 + COMMUNITY_ID_B64_LEN,
    "\"1:\" and the base64 of the digest");

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
	uint8_t		 digest[CRYPTO_SHA1_LEN];
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
	crypto_sha1(in, n, digest);

	out[0] = '1';
	out[1] = ':';
	return crypto_base64(digest, sizeof(digest), out + 2, outlen - 2);
}
