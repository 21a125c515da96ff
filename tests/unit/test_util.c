/* Unit tests for the formatting helpers the summary and the records use, and hash_fast_w. */
#include "config.h"

#include <sys/socket.h>
#include <arpa/inet.h>
#include <stdlib.h>

#include "hash.h"
#include "test.h"
#include "util.h"

static const char *
bytes(uint64_t n)
{
	static char	buf[32];

	util_bytes_str(n, buf, sizeof(buf));
	return buf;
}

/*
 * hash_fast_w, the hash of a key from its words, is hash_fast of the same
 * bytes, for any key and bytes.
 */
static void
test_hash48(void)
{
	struct hash_key	key;
	uint8_t		b[48];
	uint64_t	x = 0x243f6a8885a308d3ULL, w[6];
	int		i, j, bad = 0;

	for (i = 0; i < 10000; i++) {
		for (j = 0; j < 48; j++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			b[j] = (uint8_t)(i % 3 == 0 && j % 8 > 3 ? 0 : x);
		}
		key.k0 = x * 3;
		key.k1 = x ^ 0x9e3779b97f4a7c15ULL;
		for (j = 0; j < 6; j++)
			w[j] = hash_load64(b + 8 * j);
		bad += hash_fast_w(&key, w, 6) != hash_fast(&key, b, 48);
		/* and odd counts of words, a tail of 8 bytes */
		bad += hash_fast_w(&key, w, 5) != hash_fast(&key, b, 40);
		bad += hash_fast_w(&key, w, 3) != hash_fast(&key, b, 24);
	}
	CHECK_EQ(bad, 0);
}

/* Addresses no packet to leaves the site by: never outside, never called. */
static void
test_addr_local(void)
{
	static const struct {
		uint8_t	af;
		uint8_t	a[16];
		int	local;
	} t[] = {
		{ 4, { 224, 0, 0, 1 }, 1 },		/* all hosts */
		{ 4, { 239, 255, 255, 250 }, 1 },	/* SSDP */
		{ 4, { 255, 255, 255, 255 }, 1 },
		{ 4, { 0, 0, 0, 0 }, 1 },
		{ 4, { 127, 0, 0, 1 }, 1 },
		{ 4, { 169, 254, 1, 2 }, 1 },
		{ 4, { 223, 255, 255, 255 }, 0 },
		{ 4, { 240, 0, 0, 1 }, 0 },		/* reserved, not multicast */
		{ 4, { 255, 255, 255, 254 }, 0 },
		{ 4, { 169, 255, 0, 1 }, 0 },
		{ 4, { 8, 8, 8, 8 }, 0 },
		{ 4, { 10, 0, 0, 1 }, 0 },		/* private, not local */
		{ 6, { 0xff, 0x02, [15] = 0xfb }, 1 },	/* mDNS */
		{ 6, { 0xfe, 0x80, [15] = 1 }, 1 },
		{ 6, { 0xfe, 0xbf, [15] = 1 }, 1 },
		{ 6, { 0xfe, 0xc0, [15] = 1 }, 0 },
		{ 6, { [15] = 1 }, 1 },			/* ::1 */
		{ 6, { [15] = 0 }, 1 },			/* :: */
		{ 6, { [15] = 2 }, 0 },
		{ 6, { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 }, 0 },
	};
	size_t	i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		CHECK_EQ(util_addr_local(t[i].af, t[i].a), t[i].local);
		CHECK_EQ(util_addr_inside(t[i].af, t[i].a), t[i].local ||
		    util_addr_private(t[i].af, t[i].a));
	}
	CHECK(util_addr_inside(4, (const uint8_t[]){ 10, 0, 0, 1 }));
	CHECK(!util_addr_inside(4, (const uint8_t[]){ 8, 8, 8, 8 }));
}

/*
 * util_addr_str writes every IPv6 address as inet_ntop(3) does (RFC 5952
 * text, dotted quads after ::ffff: and six zero groups): 400,000 addresses
 * whose groups are mostly 0, 1, 0xffff or a few bits, so that runs of
 * zeros of every length and place, ties between runs and the embedded
 * IPv4 forms all come up; and util_addr_put's end is the string's end.
 */
static void
test_addr6_ntop(void)
{
	static const unsigned	 pick[] = { 0, 0, 0, 0, 1, 0xffff, 0xa, 0x1b,
	    0x2c3, 0xfe80 };
	char			 ours[UTIL_ADDRSTRLEN], libc[INET6_ADDRSTRLEN];
	char			 put[UTIL_ADDRSTRLEN], *end;
	uint8_t			 a[16];
	unsigned		 w, seed = 5952;
	int			 i, k, bad = 0, badend = 0;

	for (i = 0; i < 400000; i++) {
		for (k = 0; k < 8; k++) {
			seed = seed * 1103515245u + 12345u;
			w = (seed >> 16) % 13;
			w = w < 10 ? pick[w] : (seed >> 3) & 0xffff;
			a[2 * k] = (uint8_t)(w >> 8);
			a[2 * k + 1] = (uint8_t)w;
		}
		if (i < 256) {		/* every mask of zero groups */
			for (k = 0; k < 8; k++)
				if (i & (1 << k))
					a[2 * k] = a[2 * k + 1] = 0;
		}
		util_addr_str(6, a, ours, sizeof(ours));
		if (inet_ntop(AF_INET6, a, libc, sizeof(libc)) == NULL ||
		    strcmp(ours, libc) != 0) {
			if (bad++ < 5)
				fprintf(stderr, "addr6: %s, inet_ntop %s\n",
				    ours, libc);
		}
		end = util_addr_put(put, 6, a);
		if ((size_t)(end - put) != strlen(ours) ||
		    memcmp(put, ours, strlen(ours)) != 0)
			badend++;
	}
	CHECK_EQ(bad, 0);
	CHECK_EQ(badend, 0);
}

/*
 * IPv4 as inet_ntop(3) writes it, from the octet table: every value in
 * every place (256 x 4 addresses, the others varied too), and
 * util_addr_put's end is the string's end.
 */
static void
test_addr4_ntop(void)
{
	char		 ours[UTIL_ADDRSTRLEN], libc[INET_ADDRSTRLEN];
	char		 put[UTIL_ADDRSTRLEN], *end;
	uint8_t		 a[4];
	int		 v, k, bad = 0;

	for (v = 0; v < 256; v++) {
		for (k = 0; k < 4; k++) {
			a[0] = (uint8_t)(v * 7 + k);
			a[1] = (uint8_t)(255 - v);
			a[2] = (uint8_t)(v / 3);
			a[3] = (uint8_t)(v * 31);
			a[k] = (uint8_t)v;
			util_addr_str(4, a, ours, sizeof(ours));
			end = util_addr_put(put, 4, a);
			if (inet_ntop(AF_INET, a, libc, sizeof(libc)) == NULL ||
			    strcmp(ours, libc) != 0 ||
			    (size_t)(end - put) != strlen(libc) ||
			    memcmp(put, libc, strlen(libc)) != 0) {
				if (bad++ < 5)
					fprintf(stderr, "addr4: %s, inet_ntop "
					    "%s\n", ours, libc);
			}
		}
	}
	CHECK_EQ(bad, 0);
}

int
main(void)
{
	char		 buf[UTIL_ADDRSTRLEN], t[UTIL_TIMESTRLEN];
	const uint8_t	 a4[4] = { 10, 0, 255, 7 }, z4[4] = { 0, 0, 0, 0 };
	const uint8_t	 a6[16] = { 0xfd, 0, 0, 0x20, [15] = 0x11 };

	test_hash48();
	test_addr_local();
	test_addr6_ntop();
	test_addr4_ntop();
	CHECK_STR(util_addr_str(4, a4, buf, sizeof(buf)), "10.0.255.7");
	CHECK_STR(util_addr_str(4, z4, buf, sizeof(buf)), "0.0.0.0");
	CHECK_STR(util_addr_str(6, a6, buf, sizeof(buf)), "fd00:20::11");

	CHECK_STR(bytes(0), "0 B");
	CHECK_STR(bytes(999), "999 B");
	CHECK_STR(bytes(1000), "1.0 kB");
	CHECK_STR(bytes(1049), "1.0 kB");
	CHECK_STR(bytes(1050), "1.1 kB");
	CHECK_STR(bytes(999949), "999.9 kB");
	CHECK_STR(bytes(999950), "1.0 MB");
	CHECK_STR(bytes(2554816), "2.6 MB");
	CHECK_STR(bytes(6800000000ULL), "6.8 GB");
	CHECK_STR(bytes(UINT64_MAX), "18446.7 PB");

	util_time_str(1772438400123456LL, t, sizeof(t));
	CHECK_STR(t, "2026-03-02T08:00:00.123456Z");
	util_time_str(0, t, sizeof(t));
	CHECK_STR(t, "1970-01-01T00:00:00.000000Z");

	CHECK(util_addr_private(4, a4));
	CHECK(!util_addr_private(4, (const uint8_t[]){ 172, 32, 0, 1 }));
	CHECK(util_addr_private(4, (const uint8_t[]){ 172, 31, 0, 1 }));
	CHECK(util_addr_private(4, (const uint8_t[]){ 100, 127, 0, 1 }));
	CHECK(!util_addr_private(4, (const uint8_t[]){ 100, 128, 0, 1 }));
	CHECK(util_addr_private(6, a6));
	return test_done("test_util");
}
