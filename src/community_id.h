/*
 * community_id.c: Community ID version 1 flow hashes, the flow identifier
 * that Zeek, Suricata and Wireshark log (corelight community-id-spec).
 */
#ifndef EGRESSD_COMMUNITY_ID_H
#define EGRESSD_COMMUNITY_ID_H

#include <stddef.h>
#include <stdint.h>

#define COMMUNITY_ID_LEN	32	/* "1:" + 28 base64 chars + NUL, round up */
#define COMMUNITY_ID_SHA1_LEN	20

/*
 * af is 4 or 6; saddr and daddr are 4 or 16 bytes in network order;
 * sport and dport are host-order ports, or the ICMP type and code for
 * ICMP (proto 1) and ICMPv6 (proto 58).  Writes "1:<base64>" to out.
 */
int	community_id_v1(uint16_t seed, uint8_t af, uint8_t proto,
	    const uint8_t *saddr, const uint8_t *daddr, uint16_t sport,
	    uint16_t dport, char *out, size_t outlen);

int	community_id_icmp_counterpart(uint8_t af, uint8_t type, int *reply);

/* SHA-1 (FIPS 180-4), exported for the unit tests. */
void	community_id_sha1(const void *data, size_t len,
	    uint8_t out[COMMUNITY_ID_SHA1_LEN]);

#endif
