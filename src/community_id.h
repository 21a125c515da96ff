/*
 * community_id.c: Community ID version 1 flow hashes, the flow identifier
 * that Zeek, Suricata and Wireshark log (corelight community-id-spec).
 */
#ifndef EGRESSD_COMMUNITY_ID_H
#define EGRESSD_COMMUNITY_ID_H

#include <stddef.h>
#include <stdint.h>

#define COMMUNITY_ID_STRLEN	30	/* "1:" + 28 base64 chars */
#define COMMUNITY_ID_LEN	32	/* that and the NUL, round up */

/*
 * af is 4 or 6; saddr and daddr are 4 or 16 bytes in network order;
 * sport and dport are host-order ports, or the ICMP type and code for
 * ICMP (proto 1) and ICMPv6 (proto 58).  Writes "1:<base64>" to out,
 * COMMUNITY_ID_STRLEN bytes and a NUL.
 */
int	community_id_v1(uint16_t seed, uint8_t af, uint8_t proto,
	    const uint8_t *saddr, const uint8_t *daddr, uint16_t sport,
	    uint16_t dport, char *out, size_t outlen);

int	community_id_icmp_counterpart(uint8_t af, uint8_t type, int *reply);

#endif
