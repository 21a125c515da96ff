/* Unit tests for clock.c: which packets move the packet clock, and when. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "test.h"

#define S	1000000LL		/* a second */
#define T0	(1772438400LL * S)	/* 2026-03-02 08:00:00 */
#define Y2038	(2145916800LL * S)

/* What came through: each packet's first byte and its time. */
struct seen {
	int	n;
	uint8_t	id[64];
	int64_t	ts[64];
};

static void
got(void *arg, int dlt, const uint8_t *data, size_t caplen, size_t len,
    int64_t ts)
{
	struct seen	*s = arg;

	(void)dlt;
	(void)len;
	if (s->n < 64 && caplen > 0) {
		s->id[s->n] = data[0];
		s->ts[s->n++] = ts;
	}
}

/* Packet number id at time ts. */
static void
feed(struct clock *c, struct seen *s, uint8_t id, int64_t ts)
{
	uint8_t	b[4] = { id, 0, 0, 0 };

	clock_packet(c, 1, b, sizeof(b), sizeof(b), ts, got, s);
}

/* One packet dated 2038 among packets a second apart: an outlier. */
static void
test_outlier(void)
{
	struct clock	*c = clock_new();
	struct seen	 s;
	int		 i;

	memset(&s, 0, sizeof(s));
	for (i = 0; i < 10; i++)
		feed(c, &s, (uint8_t)i, i == 5 ? Y2038 : T0 + i * S);
	clock_flush(c, got, &s);
	CHECK_EQ(s.n, 10);
	for (i = 0; i < 10; i++) {
		CHECK_EQ(s.id[i], i);
		/* the outlier goes at the time of the packet after it */
		CHECK_EQ(s.ts[i], T0 + (i == 5 ? 6 : i) * S);
	}
	CHECK_EQ(clock_now(c), T0 + 9 * S);
	CHECK_EQ(clock_stats(c)->outliers, 1);
	CHECK_EQ(clock_stats(c)->held, 1);
	clock_free(c);
}

/* A gap the traffic follows (a quiet hour, the next file): believed. */
static void
test_gap(void)
{
	struct clock	*c = clock_new();
	struct seen	 s;

	int		 i;

	memset(&s, 0, sizeof(s));
	feed(c, &s, 0, T0);
	/* held until CLOCK_CONFIRM packets carry the clock along */
	for (i = 1; i <= CLOCK_CONFIRM; i++) {
		CHECK_EQ(s.n, i == 1 ? 0 : 1);	/* the first waits too */
		feed(c, &s, (uint8_t)i, T0 + 3600 * S + i);
	}
	CHECK_EQ(s.n, CLOCK_CONFIRM + 1);
	for (i = 1; i <= CLOCK_CONFIRM; i++)
		CHECK_EQ(s.ts[i], T0 + 3600 * S + i);
	/* a lone packet every 4 hours (a filtered capture): each followed */
	feed(c, &s, 20, T0 + 4 * 3600 * S);
	feed(c, &s, 21, T0 + 8 * 3600 * S);
	feed(c, &s, 22, T0 + 12 * 3600 * S);
	clock_flush(c, got, &s);
	CHECK_EQ(s.n, CLOCK_CONFIRM + 4);
	CHECK_EQ(s.ts[CLOCK_CONFIRM + 1], T0 + 4 * 3600 * S);
	CHECK_EQ(s.ts[CLOCK_CONFIRM + 2], T0 + 8 * 3600 * S);
	/* the last is believed */
	CHECK_EQ(s.ts[CLOCK_CONFIRM + 3], T0 + 12 * 3600 * S);
	CHECK_EQ(clock_stats(c)->outliers, 0);
	/* within a leap: through at once */
	feed(c, &s, 23, T0 + 12 * 3600 * S + CLOCK_LEAP);
	CHECK_EQ(s.n, CLOCK_CONFIRM + 5);
	clock_free(c);
}

/* The very first packet dated 2038: an outlier too. */
static void
test_first(void)
{
	struct clock	*c = clock_new();
	struct seen	 s;

	memset(&s, 0, sizeof(s));
	feed(c, &s, 0, Y2038);
	feed(c, &s, 1, T0);
	feed(c, &s, 2, T0 + S);
	clock_flush(c, got, &s);
	CHECK_EQ(s.n, 3);
	CHECK_EQ(s.ts[0], T0);
	CHECK_EQ(s.ts[1], T0);
	CHECK_EQ(s.ts[2], T0 + S);
	CHECK_EQ(clock_now(c), T0 + S);
	CHECK_EQ(clock_stats(c)->outliers, 1);
	/* packets dated before the clock go through as they are */
	feed(c, &s, 3, T0 - 100 * S);
	CHECK_EQ(s.n, 4);
	CHECK_EQ(s.ts[3], T0 - 100 * S);
	CHECK_EQ(clock_now(c), T0 + S);
	clock_free(c);
}

/*
 * Outliers in a row, fewer than CLOCK_CONFIRM: all outliers; as many as
 * that: the traffic has moved there.
 */
static void
test_run(void)
{
	struct clock	*c = clock_new();
	struct seen	 s;
	int		 i;

	memset(&s, 0, sizeof(s));
	feed(c, &s, 0, T0);
	for (i = 1; i < CLOCK_CONFIRM; i++)
		feed(c, &s, (uint8_t)i, Y2038 + i);
	CHECK_EQ(s.n, 1);
	feed(c, &s, 9, T0 + S);
	CHECK_EQ(s.n, CLOCK_CONFIRM + 1);
	for (i = 1; i < CLOCK_CONFIRM; i++)
		CHECK_EQ(s.ts[i], T0 + S);
	CHECK_EQ(clock_now(c), T0 + S);
	CHECK_EQ(clock_stats(c)->outliers, CLOCK_CONFIRM - 1);
	for (i = 0; i < CLOCK_CONFIRM; i++)
		feed(c, &s, (uint8_t)(10 + i), Y2038 + i);
	CHECK_EQ(s.n, 2 * CLOCK_CONFIRM + 1);
	CHECK_EQ(s.ts[2 * CLOCK_CONFIRM], Y2038 + CLOCK_CONFIRM - 1);
	CHECK_EQ(clock_now(c), Y2038 + CLOCK_CONFIRM - 1);
	clock_free(c);
}

/* A time before 1970 (no capture format gives one): 1970, counted. */
static void
test_epoch(void)
{
	struct clock	*c = clock_new();
	struct seen	 s;

	memset(&s, 0, sizeof(s));
	feed(c, &s, 0, -5 * S);
	feed(c, &s, 1, 0);
	clock_flush(c, got, &s);
	CHECK_EQ(s.n, 2);
	CHECK_EQ(s.ts[0], 0);
	CHECK_EQ(clock_stats(c)->before_1970, 1);
	clock_free(c);
}

/*
 * Live, the wall clock's tick decides what is held without waiting for
 * more packets: a first packet on a quiet link goes through within the
 * tick, a packet dated 2038 is an outlier at the clock's time, and after
 * a quiet spell the clock has moved on, so the next packet is not held.
 */
static void
test_tick(void)
{
	struct clock	*c = clock_new();
	struct seen	 s;

	memset(&s, 0, sizeof(s));
	feed(c, &s, 0, T0);		/* the first: held */
	CHECK_EQ(s.n, 0);
	clock_tick(c, T0 + S, got, &s);
	CHECK_EQ(s.n, 1);
	CHECK_EQ(s.ts[0], T0);
	CHECK_EQ(clock_now(c), T0 + S);
	feed(c, &s, 1, Y2038);		/* far ahead of the wall: held */
	CHECK_EQ(s.n, 1);
	clock_tick(c, T0 + 2 * S, got, &s);
	CHECK_EQ(s.n, 2);
	CHECK_EQ(s.id[1], 1);
	CHECK_EQ(s.ts[1], T0 + 2 * S);
	CHECK_EQ(clock_stats(c)->outliers, 1);
	CHECK_EQ(clock_now(c), T0 + 2 * S);
	/* ten quiet minutes, then a packet: straight through */
	clock_tick(c, T0 + 600 * S, got, &s);
	CHECK_EQ(s.n, 2);
	feed(c, &s, 2, T0 + 600 * S + 500000);
	CHECK_EQ(s.n, 3);
	CHECK_EQ(s.ts[2], T0 + 600 * S + 500000);
	/* a tick behind the clock does not move it back */
	clock_tick(c, T0 + 599 * S, got, &s);
	CHECK_EQ(clock_now(c), T0 + 600 * S + 500000);
	/* held within a leap of the wall: through at its own time */
	feed(c, &s, 3, T0 + 700 * S);
	CHECK_EQ(s.n, 3);
	clock_tick(c, T0 + 650 * S, got, &s);
	CHECK_EQ(s.n, 4);
	CHECK_EQ(s.ts[3], T0 + 700 * S);
	CHECK_EQ(clock_now(c), T0 + 700 * S);
	CHECK_EQ(clock_stats(c)->outliers, 1);
	clock_free(c);
}

int
main(void)
{
	test_epoch();
	test_outlier();
	test_gap();
	test_first();
	test_run();
	test_tick();
	return test_done("test_clock");
}
