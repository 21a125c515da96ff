/* Unit tests for the Community ID v1 flow hash (its SHA-1 in test_crypto.c). */
#include "config.h"

#include <arpa/inet.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "community_id.h"
#include "test.h"

struct cid_vec {
	uint16_t	 seed;
	uint8_t		 proto;
	const char	*src;
	const char	*dst;
	uint16_t	 sport;		/* or ICMP type */
	uint16_t	 dport;		/* or ICMP code */
	const char	*id;
};

/*
 * corelight/community-id-spec, baseline/README.md: the "Default settings"
 * and "A custom seed=1 value" tables.  ICMP rows give type and code.
 * Port-less rows (RSVP) give 0, which must not matter.
 */
static const struct cid_vec spec_tables[] = {
	{ 0, 6, "1.2.3.4", "5.6.7.8", 1122, 3344,
	    "1:wCb3OG7yAFWelaUydu0D+125CLM=" },
	{ 0, 6, "5.6.7.8", "1.2.3.4", 3344, 1122,
	    "1:wCb3OG7yAFWelaUydu0D+125CLM=" },
	{ 0, 17, "1.2.3.4", "5.6.7.8", 1122, 3344,
	    "1:0Mu9InQx6z4ZiCZM/7HXi2WMhOg=" },
	{ 0, 17, "5.6.7.8", "1.2.3.4", 3344, 1122,
	    "1:0Mu9InQx6z4ZiCZM/7HXi2WMhOg=" },
	{ 0, 132, "1.2.3.4", "5.6.7.8", 1122, 3344,
	    "1:EKt4MsxuyaE6mL+hmrEkQ9csDD8=" },
	{ 0, 132, "5.6.7.8", "1.2.3.4", 3344, 1122,
	    "1:EKt4MsxuyaE6mL+hmrEkQ9csDD8=" },
	{ 0, 1, "1.2.3.4", "5.6.7.8", 8, 0,
	    "1:crodRHL2FEsHjbv3UkRrfbs4bZ0=" },
	{ 0, 1, "5.6.7.8", "1.2.3.4", 0, 0,
	    "1:crodRHL2FEsHjbv3UkRrfbs4bZ0=" },
	{ 0, 1, "1.2.3.4", "5.6.7.8", 11, 0,
	    "1:f/YiSyWqczrTgfUCZlBUnvHRcPk=" },
	{ 0, 58, "fe80:1:203:405:607:809:a0b:c0d",
	    "fe80:1011:1213:1415:1617:1819:1a1b:1c1d", 128, 0,
	    "1:0bf7hyMJUwt3fMED7z8LIfRpBeo=" },
	{ 0, 58, "fe80:1011:1213:1415:1617:1819:1a1b:1c1d",
	    "fe80:1:203:405:607:809:a0b:c0d", 129, 0,
	    "1:0bf7hyMJUwt3fMED7z8LIfRpBeo=" },
	{ 0, 58, "fe80:1:203:405:607:809:a0b:c0d",
	    "fe80:1011:1213:1415:1617:1819:1a1b:1c1d", 146, 0,
	    "1:fYC8+pz24E+EhANP1EZhpX0Dw10=" },
	{ 0, 46, "1.2.3.4", "5.6.7.8", 0, 0,
	    "1:ikv3kmf89luf73WPz1jOs49S768=" },
	{ 0, 46, "5.6.7.8", "1.2.3.4", 0, 0,
	    "1:ikv3kmf89luf73WPz1jOs49S768=" },
	{ 0, 46, "fe80:1:203:405:607:809:a0b:c0d",
	    "fe80:1011:1213:1415:1617:1819:1a1b:1c1d", 0, 0,
	    "1:wQ/2mwrnXP4lmJcHdGL5ePjR+e0=" },
	{ 0, 46, "fe80:1011:1213:1415:1617:1819:1a1b:1c1d",
	    "fe80:1:203:405:607:809:a0b:c0d", 0, 0,
	    "1:wQ/2mwrnXP4lmJcHdGL5ePjR+e0=" },

	{ 1, 6, "1.2.3.4", "5.6.7.8", 1122, 3344,
	    "1:HhA1B+6CoLbiKPEs5nhNYN4XWfk=" },
	{ 1, 6, "5.6.7.8", "1.2.3.4", 3344, 1122,
	    "1:HhA1B+6CoLbiKPEs5nhNYN4XWfk=" },
	{ 1, 17, "1.2.3.4", "5.6.7.8", 1122, 3344,
	    "1:OShq+iKDAMVouh/4bMxB9Sz4amw=" },
	{ 1, 17, "5.6.7.8", "1.2.3.4", 3344, 1122,
	    "1:OShq+iKDAMVouh/4bMxB9Sz4amw=" },
	{ 1, 132, "1.2.3.4", "5.6.7.8", 1122, 3344,
	    "1:uitchpn5MMGAQKBJh7bIr/bAr7s=" },
	{ 1, 132, "5.6.7.8", "1.2.3.4", 3344, 1122,
	    "1:uitchpn5MMGAQKBJh7bIr/bAr7s=" },
	{ 1, 1, "1.2.3.4", "5.6.7.8", 8, 0,
	    "1:9pr4ZGTICiuZoIh90RRYE2RyXpU=" },
	{ 1, 1, "5.6.7.8", "1.2.3.4", 0, 0,
	    "1:9pr4ZGTICiuZoIh90RRYE2RyXpU=" },
	{ 1, 1, "1.2.3.4", "5.6.7.8", 11, 0,
	    "1:1DD7cWGC/Yg91YGsQeni8du3pIA=" },
	{ 1, 58, "fe80:1:203:405:607:809:a0b:c0d",
	    "fe80:1011:1213:1415:1617:1819:1a1b:1c1d", 128, 0,
	    "1:IO27GQzPuCtNnwFvjWALMHu5tJE=" },
	{ 1, 58, "fe80:1011:1213:1415:1617:1819:1a1b:1c1d",
	    "fe80:1:203:405:607:809:a0b:c0d", 129, 0,
	    "1:IO27GQzPuCtNnwFvjWALMHu5tJE=" },
	{ 1, 58, "fe80:1:203:405:607:809:a0b:c0d",
	    "fe80:1011:1213:1415:1617:1819:1a1b:1c1d", 146, 0,
	    "1:Cv4IKJe56BNkF0MBW2YxQ3Nwc3s=" },
	{ 1, 46, "1.2.3.4", "5.6.7.8", 0, 0,
	    "1:/buhqeOmaRCopOZFy9HnoJd5XW8=" },
	{ 1, 46, "5.6.7.8", "1.2.3.4", 0, 0,
	    "1:/buhqeOmaRCopOZFy9HnoJd5XW8=" },
	{ 1, 46, "fe80:1:203:405:607:809:a0b:c0d",
	    "fe80:1011:1213:1415:1617:1819:1a1b:1c1d", 0, 0,
	    "1:j6EyyfBzL4vWKHFXgUqb5Az3OxM=" },
	{ 1, 46, "fe80:1011:1213:1415:1617:1819:1a1b:1c1d",
	    "fe80:1:203:405:607:809:a0b:c0d", 0, 0,
	    "1:j6EyyfBzL4vWKHFXgUqb5Az3OxM=" },
};

/*
 * corelight/community-id-spec, baseline/baseline_deflt.json and
 * baseline_seed1.json (pycommunityid over pcaps/combined.pcap.gz).  Their
 * ICMP ports are port equivalents, (type, counterpart) or (type, code);
 * read as (type, code) they map to themselves, so they serve as is.
 */
static const struct cid_vec spec_json[] = {
	{ 0, 58, "fe80::200:86ff:fe05:80da", "fe80::260:97ff:fe07:69ea",
	    135, 136, "1:dGHyGvjMfljg6Bppwm3bg0LO8TY=" },
	{ 0, 58, "fe80::260:97ff:fe07:69ea", "fe80::200:86ff:fe05:80da",
	    136, 135, "1:dGHyGvjMfljg6Bppwm3bg0LO8TY=" },
	{ 0, 58, "fe80::260:97ff:fe07:69ea", "fe80::200:86ff:fe05:80da",
	    135, 136, "1:zavyT/cezQr1fmImYCwYnMXbgck=" },
	{ 0, 58, "fe80::200:86ff:fe05:80da", "fe80::260:97ff:fe07:69ea",
	    136, 135, "1:zavyT/cezQr1fmImYCwYnMXbgck=" },
	{ 0, 58, "3ffe:501:1800:2345::2", "3ffe:507:0:1:200:86ff:fe05:80da",
	    3, 0, "1:2ObVBgIn28oZvibYZhZMBgh7WdQ=" },
	{ 0, 58, "3ffe:501:410:0:2c0:dfff:fe47:33e",
	    "3ffe:507:0:1:200:86ff:fe05:80da",
	    1, 4, "1:hLZd0XGWojozrvxqE0dWB1iM6R0=" },
	{ 0, 58, "3ffe:507:0:1:200:86ff:fe05:80da", "3ffe:501:0:1001::2",
	    128, 129, "1:+TW+HtLHvV1xnGhV1lv7XoJrqQg=" },
	{ 0, 58, "3ffe:501:0:1001::2", "3ffe:507:0:1:200:86ff:fe05:80da",
	    129, 128, "1:+TW+HtLHvV1xnGhV1lv7XoJrqQg=" },
	{ 0, 58, "fe80::200:86ff:fe05:80da", "ff02::2",
	    133, 134, "1:hO+sN4H+MG5MY/8hIrXPqc4ZQz0=" },
	{ 0, 58, "fe80::260:97ff:fe07:69ea", "ff02::1",
	    134, 133, "1:pkvHqCL88/tg1k4cPigmZXUtL00=" },
	{ 0, 1, "192.168.0.89", "192.168.0.1",
	    8, 0, "1:X0snYXpgwiv9TZtqg64sgzUn6Dk=" },
	{ 0, 1, "192.168.0.1", "192.168.0.89",
	    0, 8, "1:X0snYXpgwiv9TZtqg64sgzUn6Dk=" },
	{ 0, 1, "10.0.0.1", "10.0.0.2",
	    11, 0, "1:YHxtAirCG//0OzkcVAukqKQN9xM=" },
	{ 0, 6, "2001:470:e5bf:dead:4957:2174:e82c:4887",
	    "2607:f8b0:400c:c03::1a",
	    63943, 25, "1:/qFaeAR+gFe1KYjMzVDsMv+wgU4=" },
	{ 0, 6, "2607:f8b0:400c:c03::1a",
	    "2001:470:e5bf:dead:4957:2174:e82c:4887",
	    25, 63943, "1:/qFaeAR+gFe1KYjMzVDsMv+wgU4=" },
	{ 0, 132, "192.168.170.8", "192.168.170.56",
	    7, 7, "1:MP2EtRCAUIZvTw6MxJHLV7N7JDs=" },
	{ 0, 132, "192.168.170.56", "192.168.170.8",
	    7, 7, "1:MP2EtRCAUIZvTw6MxJHLV7N7JDs=" },
	{ 0, 6, "128.232.110.120", "66.35.250.204",
	    34855, 80, "1:LQU9qZlK+B5F3KDmev6m5PMibrg=" },
	{ 0, 6, "66.35.250.204", "128.232.110.120",
	    80, 34855, "1:LQU9qZlK+B5F3KDmev6m5PMibrg=" },
	{ 0, 17, "192.168.1.52", "8.8.8.8",
	    54585, 53, "1:d/FP5EW3wiY1vCndhwleRRKHowQ=" },
	{ 0, 17, "8.8.8.8", "192.168.1.52",
	    53, 54585, "1:d/FP5EW3wiY1vCndhwleRRKHowQ=" },
	{ 0, 46, "10.1.12.1", "10.1.12.2",
	    0, 0, "1:KHlLkgoJW7ifUTyTSgyVfkFHzKw=" },
	{ 0, 46, "10.1.12.2", "10.1.12.1",
	    0, 0, "1:KHlLkgoJW7ifUTyTSgyVfkFHzKw=" },

	{ 1, 58, "fe80::200:86ff:fe05:80da", "fe80::260:97ff:fe07:69ea",
	    135, 136, "1:kHa1FhMYIT6Ym2Vm2AOtoOARDzY=" },
	{ 1, 58, "fe80::260:97ff:fe07:69ea", "fe80::200:86ff:fe05:80da",
	    135, 136, "1:2hSqmsDZ2kdcY9kbiUzOEBic0iM=" },
	{ 1, 58, "3ffe:501:1800:2345::2", "3ffe:507:0:1:200:86ff:fe05:80da",
	    3, 0, "1:lVEtCZpYu84Xqaa++3lXFyuu2n4=" },
	{ 1, 58, "3ffe:501:410:0:2c0:dfff:fe47:33e",
	    "3ffe:507:0:1:200:86ff:fe05:80da",
	    1, 4, "1:W8MHwXpWzpoSTD+cGcaJr4u0ys8=" },
	{ 1, 58, "3ffe:501:0:1001::2", "3ffe:507:0:1:200:86ff:fe05:80da",
	    129, 128, "1:GfZxjAkDk2MkegpBYHV6tadtFXQ=" },
	{ 1, 58, "fe80::200:86ff:fe05:80da", "ff02::2",
	    133, 134, "1:L7Ka0ZMYu+J3bL4ulW2PrqyXNo8=" },
	{ 1, 1, "192.168.0.1", "192.168.0.89",
	    0, 8, "1:03g6IloqVBdcZlPyX8r0hgoE7kA=" },
	{ 1, 1, "10.0.0.1", "10.0.0.2",
	    11, 0, "1:XjUibYHaafLQ3pxQeiMI8g25q20=" },
	{ 1, 6, "2607:f8b0:400c:c03::1a",
	    "2001:470:e5bf:dead:4957:2174:e82c:4887",
	    25, 63943, "1:eJYTW6AOzFLlSUoESovMjnu7rMw=" },
	{ 1, 132, "192.168.170.8", "192.168.170.56",
	    7, 7, "1:5w3ZRjeKBzqT3zsaEECDGjUbYeg=" },
	{ 1, 6, "66.35.250.204", "128.232.110.120",
	    80, 34855, "1:3V71V58M3Ksw/yuFALMcW0LAHvc=" },
	{ 1, 17, "192.168.1.52", "8.8.8.8",
	    54585, 53, "1:Q9We8WO3piVF8yEQBNJF4uiSVrI=" },
	{ 1, 46, "10.1.12.2", "10.1.12.1",
	    0, 0, "1:rYir8gphR31noO9iDRQmF/BteEI=" },
};

/*
 * Cases the spec does not cover, from Wireshark's own implementation:
 * TShark 4.0.17 (--enable-protocol communityid, -o communityid.seed:N)
 * over a raw-IP pcap made by hand, one well-formed packet per row (tshark
 * hashes truncated ICMP differently).  TShark 4.0 gives no id for
 * port-less protocols over IPv6, so its GRE and ESP rows are IPv4 only.
 */
static const struct cid_vec tshark_vecs[] = {
	{ 0, 47, "10.0.0.1", "10.0.0.2", 0, 0,
	    "1:+KlEHDT0vJgzs/eNmzHq0aSpRYw=" },
	{ 0, 47, "10.0.0.2", "10.0.0.1", 0, 0,
	    "1:+KlEHDT0vJgzs/eNmzHq0aSpRYw=" },
	{ 0, 50, "192.0.2.10", "198.51.100.7", 0, 0,
	    "1:xOxO+fCn1M8oEy+e0z7BCpG/aAE=" },
	{ 0, 1, "192.0.2.10", "198.51.100.7", 13, 0,	/* timestamp */
	    "1:HFUwv4ES0zgSI7YCwSUu3F0WP4I=" },
	{ 0, 1, "198.51.100.7", "192.0.2.10", 14, 0,	/* ... reply */
	    "1:HFUwv4ES0zgSI7YCwSUu3F0WP4I=" },
	{ 0, 1, "198.51.100.7", "192.0.2.10", 3, 3,	/* port unreach */
	    "1:SmcSX37ZXqA4QnqS1NzMTllkgDQ=" },
	{ 0, 1, "192.0.2.10", "198.51.100.7", 3, 3,
	    "1:/HEhqnsygQ2zt27np+aX9hEqFbk=" },
	{ 0, 58, "fe80::1", "ff02::1", 130, 0,		/* MLD query */
	    "1:twZ7KwCQHfwWp6Uon6NxD1a+VvM=" },
	{ 0, 58, "fe80::2", "fe80::1", 1, 4,		/* port unreach */
	    "1:KP7k20289QLlEmMHLKdRgaeGmfo=" },
	{ 0, 6, "10.1.1.1", "10.1.1.1", 5000, 80,	/* ports decide */
	    "1:o3EHEbnf96Hs5U1WvXZsJhITuoA=" },
	{ 0, 6, "10.1.1.1", "10.1.1.1", 80, 5000,
	    "1:o3EHEbnf96Hs5U1WvXZsJhITuoA=" },
	{ 0, 17, "2001:db8::5", "2001:db8::4", 53, 40000,
	    "1:HRYn5ab9g/QHEIpgaRlBQaJ0PpE=" },
	{ 0, 132, "192.0.2.1", "192.0.2.2", 1000, 2000,
	    "1:shbz0b/UQHKJxKMc3bjCkPyAboo=" },
	{ 0, 1, "10.0.0.2", "10.0.0.1", 0, 0,		/* echo reply */
	    "1:YcMyyWJfhc95EW1GfXt6jlZ3DiQ=" },

	{ 1, 47, "10.0.0.2", "10.0.0.1", 0, 0,
	    "1:BuvF116GIMVorQSVAHuZSothg0Q=" },
	{ 1, 50, "192.0.2.10", "198.51.100.7", 0, 0,
	    "1:9xGdlcQRZ0c4cQK6jDgNZayuoZc=" },
	{ 1, 1, "198.51.100.7", "192.0.2.10", 14, 0,
	    "1:UhdKBEtw0Ava2cQ5X/+eGXb6r9s=" },
	{ 1, 1, "198.51.100.7", "192.0.2.10", 3, 3,
	    "1:y7KPDICaJNzyDpJIE+zUQya1Hg0=" },
	{ 1, 1, "192.0.2.10", "198.51.100.7", 3, 3,
	    "1:35Mkvo3fZCnwFY1dEaxz2Ch+Jrs=" },
	{ 1, 58, "fe80::1", "ff02::1", 130, 0,
	    "1:XVPPcpMd+5oixnrlUaQAO3QtmQA=" },
	{ 1, 58, "fe80::2", "fe80::1", 1, 4,
	    "1:eDQBEUy7T7DBQPWmFIDM++sUoVY=" },
	{ 1, 6, "10.1.1.1", "10.1.1.1", 5000, 80,
	    "1:5VZKOrLzuaSGPUtM3uMUqwwjaGI=" },
	{ 1, 17, "2001:db8::5", "2001:db8::4", 53, 40000,
	    "1:F3bLMbd8OGzYq5uLwg/hsv56/ks=" },
	{ 1, 132, "192.0.2.1", "192.0.2.2", 1000, 2000,
	    "1:335Ez/URy7JC7uuTMC3Mif4kgns=" },
	{ 1, 1, "10.0.0.2", "10.0.0.1", 0, 0,
	    "1:mBrOsj9MaMJrgwFQ2kYifZ7GP3Q=" },
};

/* Parse an address; returns the af (4 or 6) or 0. */
static uint8_t
parse_addr(const char *s, uint8_t *addr)
{
	if (inet_pton(AF_INET, s, addr) == 1)
		return 4;
	if (inet_pton(AF_INET6, s, addr) == 1)
		return 6;
	return 0;
}

/* Check every vector of a table. */
static void
check_vecs(const struct cid_vec *v, size_t n)
{
	uint8_t	 src[16], dst[16], af;
	char	 id[COMMUNITY_ID_LEN];
	size_t	 i;

	for (i = 0; i < n; i++) {
		af = parse_addr(v[i].src, src);
		CHECK(af != 0);
		CHECK_EQ(parse_addr(v[i].dst, dst), af);
		CHECK_EQ(community_id_v1(v[i].seed, af, v[i].proto, src, dst,
		    v[i].sport, v[i].dport, id, sizeof(id)), 0);
		CHECK_STR(id, v[i].id);
	}
}

/* Compute an id from text addresses. */
static int
cid(uint16_t seed, uint8_t proto, const char *s, const char *d,
    uint16_t sport, uint16_t dport, char *id, size_t idlen)
{
	uint8_t	 src[16], dst[16], af;

	af = parse_addr(s, src);
	if (parse_addr(d, dst) != af)
		return -1;
	return community_id_v1(seed, af, proto, src, dst, sport, dport,
	    id, idlen);
}

/* Both directions of a flow give one id; one-way ICMP keeps its order. */
static void
test_direction(void)
{
	char	 a[COMMUNITY_ID_LEN], b[COMMUNITY_ID_LEN];

	/* TCP, and IPv6 UDP, swapped endpoints */
	CHECK_EQ(cid(0, 6, "192.0.2.1", "203.0.113.9", 40000, 443,
	    a, sizeof(a)), 0);
	CHECK_EQ(cid(0, 6, "203.0.113.9", "192.0.2.1", 443, 40000,
	    b, sizeof(b)), 0);
	CHECK_STR(a, b);
	CHECK_EQ(cid(7, 17, "2001:db8::1", "2001:db8:ffff::1", 53, 5353,
	    a, sizeof(a)), 0);
	CHECK_EQ(cid(7, 17, "2001:db8:ffff::1", "2001:db8::1", 5353, 53,
	    b, sizeof(b)), 0);
	CHECK_STR(a, b);

	/* ICMP echo request and reply, the reply code does not matter */
	CHECK_EQ(cid(0, 1, "192.0.2.1", "198.51.100.2", 8, 0,
	    a, sizeof(a)), 0);
	CHECK_EQ(cid(0, 1, "198.51.100.2", "192.0.2.1", 0, 0,
	    b, sizeof(b)), 0);
	CHECK_STR(a, b);
	CHECK_EQ(cid(0, 1, "198.51.100.2", "192.0.2.1", 0, 9,
	    b, sizeof(b)), 0);
	CHECK_STR(a, b);

	/* ICMPv6 echo request and reply */
	CHECK_EQ(cid(0, 58, "2001:db8::9", "2001:db8::1", 128, 0,
	    a, sizeof(a)), 0);
	CHECK_EQ(cid(0, 58, "2001:db8::1", "2001:db8::9", 129, 0,
	    b, sizeof(b)), 0);
	CHECK_STR(a, b);

	/* destination unreachable is one-way: the order stays */
	CHECK_EQ(cid(0, 1, "198.51.100.2", "192.0.2.1", 3, 1,
	    a, sizeof(a)), 0);
	CHECK_EQ(cid(0, 1, "192.0.2.1", "198.51.100.2", 3, 1,
	    b, sizeof(b)), 0);
	CHECK(strcmp(a, b) != 0);
	CHECK_EQ(cid(0, 58, "2001:db8::9", "2001:db8::1", 1, 4,
	    a, sizeof(a)), 0);
	CHECK_EQ(cid(0, 58, "2001:db8::1", "2001:db8::9", 1, 4,
	    b, sizeof(b)), 0);
	CHECK(strcmp(a, b) != 0);

	/* the seed matters */
	CHECK_EQ(cid(0, 6, "192.0.2.1", "203.0.113.9", 40000, 443,
	    a, sizeof(a)), 0);
	CHECK_EQ(cid(1, 6, "192.0.2.1", "203.0.113.9", 40000, 443,
	    b, sizeof(b)), 0);
	CHECK(strcmp(a, b) != 0);
}

/* GRE and ESP carry no ports: whatever is passed is left out. */
static void
test_portless(void)
{
	char	 a[COMMUNITY_ID_LEN], b[COMMUNITY_ID_LEN];

	CHECK_EQ(cid(0, 47, "10.0.0.1", "10.0.0.2", 1234, 80,
	    a, sizeof(a)), 0);
	CHECK_STR(a, "1:+KlEHDT0vJgzs/eNmzHq0aSpRYw=");
	CHECK_EQ(cid(0, 50, "2001:db8::2", "2001:db8::1", 1, 2,
	    a, sizeof(a)), 0);
	CHECK_EQ(cid(0, 50, "2001:db8::1", "2001:db8::2", 0, 0,
	    b, sizeof(b)), 0);
	CHECK_STR(a, b);
}

/* Short buffers and bad address families fail cleanly. */
static void
test_errors(void)
{
	const uint8_t	 s[16] = { 10, 0, 0, 1 }, d[16] = { 10, 0, 0, 2 };
	char		 id[COMMUNITY_ID_LEN];

	memset(id, 'x', sizeof(id));
	CHECK_EQ(community_id_v1(0, 4, 6, s, d, 1, 2, id, 30), -1);
	CHECK_EQ(id[0], '\0');
	CHECK_EQ(community_id_v1(0, 4, 6, s, d, 1, 2, id, 0), -1);
	CHECK_EQ(community_id_v1(0, 4, 6, s, d, 1, 2, NULL, 0), -1);
	CHECK_EQ(community_id_v1(0, 4, 6, s, d, 1, 2, id, 31), 0);
	CHECK_EQ(strlen(id), 30);
	CHECK_EQ(community_id_v1(0, 5, 6, s, d, 1, 2, id, sizeof(id)), -1);
	CHECK_EQ(community_id_v1(0, 0, 6, s, d, 1, 2, id, sizeof(id)), -1);
	CHECK_EQ(community_id_v1(0, 6, 6, s, d, 1, 2, id, sizeof(id)), 0);
	CHECK_EQ(strlen(id), 30);
}

/* Run every test; the exit status is what automake expects. */
int
main(void)
{
	check_vecs(spec_tables, sizeof(spec_tables) / sizeof(spec_tables[0]));
	check_vecs(spec_json, sizeof(spec_json) / sizeof(spec_json[0]));
	check_vecs(tshark_vecs, sizeof(tshark_vecs) / sizeof(tshark_vecs[0]));
	test_direction();
	test_portless();
	test_errors();
	return test_done("test_community_id");
}
