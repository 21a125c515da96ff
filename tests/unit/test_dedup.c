/* Unit tests for dedup.c: which copies are duplicates, which are not. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "dedup.h"
#include "test.h"

#define SLOTS	4096

static const struct hash_key key = { 0x0123456789abcdefULL,
	0xfedcba9876543210ULL };

/* An IPv4 header (20 bytes) and 40 bytes of TCP, numbered by seed. */
static void
v4_packet(uint8_t *p, unsigned int seed)
{
	size_t	i;

	for (i = 0; i < 60; i++)
		p[i] = (uint8_t)(i * 7 + seed * 13 + (seed >> 8) * 29);
	p[0] = 0x45;
	p[2] = 0;
	p[3] = 60;
	p[8] = 64;	/* TTL */
	p[9] = 6;
}

/* An IPv6 header (40 bytes) and 40 bytes of UDP and payload. */
static void
v6_packet(uint8_t *p, unsigned int seed)
{
	size_t	i;

	for (i = 0; i < 80; i++)
		p[i] = (uint8_t)(i * 11 + seed * 3);
	p[0] = 0x60;
	p[6] = 17;
	p[7] = 64;	/* hop limit */
}

/* A copy of the v4 packet p with byte i changed; a duplicate of p? */
static int
v4_changed(struct dedup *d, const uint8_t *p, size_t i, int64_t ts)
{
	uint8_t	q[60];

	memcpy(q, p, sizeof(q));
	q[i] ^= 0x5a;
	return dedup_seen(d, q, 20, q + 20, 40, 60, ts);
}

static void
test_v4(void)
{
	struct dedup	*d = dedup_new(&key, SLOTS);
	uint8_t		 p[60], q[60];
	int64_t		 t = 1000000;
	size_t		 i;

	v4_packet(p, 1);
	CHECK_EQ(dedup_seen(d, p, 20, p + 20, 40, 60, t), 0);
	CHECK_EQ(dedup_seen(d, p, 20, p + 20, 40, 60, t + 10), 1);
	/* the first copy stays the reference: a third copy is one too */
	CHECK_EQ(dedup_seen(d, p, 20, p + 20, 40, 60, t + 20), 1);
	/* TTL one lower and a new header checksum: still the same packet */
	memcpy(q, p, sizeof(q));
	q[8] = 63;
	q[10] ^= 0x11;
	q[11] ^= 0x22;
	CHECK_EQ(dedup_seen(d, q, 20, q + 20, 40, 60, t + 30), 1);
	/* every other byte matters, to the last one captured */
	for (i = 0; i < 60; i++) {
		if (i == 8 || i == 10 || i == 11)
			continue;
		if (v4_changed(d, p, i, t + 40) != 0) {
			CHECK(!"a changed key byte made a duplicate");
			fprintf(stderr, "  byte %zu\n", i);
		}
	}
	/* another IP length is another packet */
	CHECK_EQ(dedup_seen(d, p, 20, p + 20, 40, 61, t + 60), 0);
	/* the window: 5 ms after the first copy, not later */
	v4_packet(p, 2);
	CHECK_EQ(dedup_seen(d, p, 20, p + 20, 40, 60, t), 0);
	CHECK_EQ(dedup_seen(d, p, 20, p + 20, 40, 60, t + DEDUP_WINDOW), 1);
	v4_packet(p, 3);
	CHECK_EQ(dedup_seen(d, p, 20, p + 20, 40, 60, t), 0);
	CHECK_EQ(dedup_seen(d, p, 20, p + 20, 40, 60,
	    t + DEDUP_WINDOW + 1), 0);
	/* nor backwards in time */
	v4_packet(p, 4);
	CHECK_EQ(dedup_seen(d, p, 20, p + 20, 40, 60, t), 0);
	CHECK_EQ(dedup_seen(d, p, 20, p + 20, 40, 60, t - 1), 0);
	dedup_free(d);
}

/* Fewer transport bytes captured: the key is shorter, not zero-filled. */
static void
test_short(void)
{
	struct dedup	*d = dedup_new(&key, SLOTS);
	uint8_t		 p[60];
	int64_t		 t = 2000000;

	v4_packet(p, 5);
	memset(p + 28, 0, 4);
	CHECK_EQ(dedup_seen(d, p, 20, p + 20, 8, 60, t), 0);
	CHECK_EQ(dedup_seen(d, p, 20, p + 20, 8, 60, t + 1), 1);
	/* the same bytes and four zero bytes more: another key */
	CHECK_EQ(dedup_seen(d, p, 20, p + 20, 12, 60, t + 2), 0);
	CHECK_EQ(dedup_seen(d, p, 20, p + 20, 12, 60, t + 3), 1);
	/* no transport bytes at all */
	CHECK_EQ(dedup_seen(d, p, 20, p + 20, 0, 60, t + 4), 0);
	CHECK_EQ(dedup_seen(d, p, 20, p + 20, 0, 60, t + 5), 1);
	/* the short key ignores TTL and checksum too, and only them */
	p[8] = 17;
	p[10] ^= 0x40;
	p[11] ^= 0x04;
	CHECK_EQ(dedup_seen(d, p, 20, p + 20, 8, 60, t + 6), 1);
	p[27] ^= 1;
	CHECK_EQ(dedup_seen(d, p, 20, p + 20, 8, 60, t + 7), 0);
	dedup_free(d);
}

static void
test_v6(void)
{
	struct dedup	*d = dedup_new(&key, SLOTS);
	uint8_t		 p[80], q[80];
	int64_t		 t = 3000000;
	size_t		 i;
	int		 bad = 0;

	v6_packet(p, 1);
	CHECK_EQ(dedup_seen(d, p, 40, p + 40, 40, 80, t), 0);
	memcpy(q, p, sizeof(q));
	q[7] = 63;	/* hop limit */
	CHECK_EQ(dedup_seen(d, q, 40, q + 40, 40, 80, t + 1), 1);
	for (i = 0; i < 64; i++) {
		if (i == 7)
			continue;
		memcpy(q, p, sizeof(q));
		q[i] ^= 0x81;
		bad += dedup_seen(d, q, 40, q + 40, 40, 80, t + 2) != 0;
	}
	CHECK_EQ(bad, 0);
	/* past the 24 transport bytes hashed, bytes count all the same */
	memcpy(q, p, sizeof(q));
	q[64] ^= 0x81;
	CHECK_EQ(dedup_seen(d, q, 40, q + 40, 40, 80, t + 3), 0);
	q[64] ^= 0x81;
	q[79] ^= 0x18;
	CHECK_EQ(dedup_seen(d, q, 40, q + 40, 40, 80, t + 3), 0);
	dedup_free(d);
}

/*
 * Issue 15: datagrams with IP id 0, UDP checksum 0 and the same first 64
 * payload bytes, 100 us apart, differ only further on: none is a copy.
 * The very same datagram again and again: DEDUP_COPIES copies are
 * dropped, the rest within the window counted (excess).
 */
static void
test_steer(void)
{
	struct dedup	*d = dedup_new(&key, SLOTS);
	uint8_t		 p[20 + 8 + 200];
	int64_t		 t = 5000000;
	int		 i, copies = 0, excess = 0;
	enum dedup_result r;

	memset(p, 0x41, sizeof(p));
	p[0] = 0x45;
	p[2] = 0;
	p[3] = sizeof(p);
	p[4] = p[5] = 0;		/* IP id 0 */
	p[8] = 64;
	p[9] = 17;
	p[26] = p[27] = 0;		/* UDP checksum 0 */
	for (i = 0; i < 1000; i++) {
		p[150] = (uint8_t)i;
		p[151] = (uint8_t)(i >> 8);
		copies += dedup_seen(d, p, 20, p + 20, sizeof(p) - 20,
		    sizeof(p), t + i * 100) != DEDUP_NEW;
	}
	CHECK_EQ(copies, 0);
	/* the same bytes every 100 us: 3 copies dropped, 6 counted */
	t += 1000000;
	for (i = 0; i < 10; i++) {
		r = dedup_seen(d, p, 20, p + 20, sizeof(p) - 20, sizeof(p),
		    t + i * 100);
		copies += r == DEDUP_COPY;
		excess += r == DEDUP_EXCESS;
	}
	CHECK_EQ(copies, DEDUP_COPIES);
	CHECK_EQ(excess, 10 - 1 - DEDUP_COPIES);
	/* and 1 ms after the first, a new one */
	CHECK_EQ(dedup_seen(d, p, 20, p + 20, sizeof(p) - 20, sizeof(p),
	    t + DEDUP_WINDOW + 1), DEDUP_NEW);
	dedup_free(d);
}

/*
 * The bytes of the last packets are kept in a ring of DEDUP_BYTES: a copy
 * of a packet whose bytes were written over is not found (counted twice),
 * and a packet too large to keep is never a copy.
 */
static void
test_bytes(void)
{
	struct dedup	*d = dedup_new(&key, SLOTS);
	static uint8_t	 big[DEDUP_BYTES / 16 - 100], p[60];
	int64_t		 t = 6000000;
	int		 i, n;

	v4_packet(p, 77);
	CHECK_EQ(dedup_seen(d, p, 20, p + 20, 40, 60, t), DEDUP_NEW);
	memset(big, 0, sizeof(big));
	big[0] = 0x45;
	big[9] = 17;
	n = DEDUP_BYTES / (int)sizeof(big) + 1;
	for (i = 0; i < n; i++) {
		big[4] = (uint8_t)i;
		CHECK_EQ(dedup_seen(d, big, 20, big + 20, sizeof(big) - 20,
		    sizeof(big), t + 1), DEDUP_NEW);
	}
	CHECK_EQ(dedup_seen(d, p, 20, p + 20, 40, 60, t + 2), DEDUP_NEW);
	/* one that wraps around the end of the ring is found */
	CHECK_EQ(dedup_seen(d, big, 20, big + 20, sizeof(big) - 20,
	    sizeof(big), t + 3), DEDUP_COPY);
	dedup_free(d);
}

/*
 * The keys are kept for the last DEDUP_RING packets: a copy that comes
 * after that many other packets is not found, one before is.
 */
static void
test_ring(void)
{
	struct dedup	*d = dedup_new(&key, 1U << 20);
	uint8_t		 p[60], q[60];
	int64_t		 t = 4000000;
	unsigned int	 i;

	v4_packet(p, 9999);
	CHECK_EQ(dedup_seen(d, p, 20, p + 20, 40, 60, t), 0);
	for (i = 0; i < DEDUP_RING - 2; i++) {
		v4_packet(q, 20000 + i);
		q[4] = (uint8_t)(i >> 8);	/* IP id: all distinct */
		q[5] = (uint8_t)i;
		(void)dedup_seen(d, q, 20, q + 20, 40, 60, t + 1);
	}
	CHECK_EQ(dedup_seen(d, p, 20, p + 20, 40, 60, t + 2), 1);
	v4_packet(p, 9998);
	CHECK_EQ(dedup_seen(d, p, 20, p + 20, 40, 60, t), 0);
	for (i = 0; i < DEDUP_RING; i++) {
		v4_packet(q, 30000 + i);
		q[4] = (uint8_t)(i >> 8);
		q[5] = (uint8_t)i;
		(void)dedup_seen(d, q, 20, q + 20, 40, 60, t + 1);
	}
	CHECK_EQ(dedup_seen(d, p, 20, p + 20, 40, 60, t + 2), 0);
	dedup_free(d);
}

/* A header longer than a key holds is never a duplicate (not compared). */
static void
test_odd(void)
{
	struct dedup	*d = dedup_new(&key, SLOTS);
	uint8_t		 p[128];

	memset(p, 1, sizeof(p));
	CHECK_EQ(dedup_seen(d, p, 60, p + 60, 24, 128, 1), 0);
	CHECK_EQ(dedup_seen(d, p, 60, p + 60, 24, 128, 2), 0);
	dedup_free(d);
}

int
main(void)
{
	test_v4();
	test_short();
	test_v6();
	test_ring();
	test_odd();
	test_steer();
	test_bytes();
	return test_done("test_dedup");
}
