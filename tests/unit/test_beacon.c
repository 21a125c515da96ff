/* Unit tests for the beacon table: caps, eviction, merging, strobes, grouping, determinism. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "beacon.h"
#include "gapwin.h"
#include "test.h"

#define SEC	1000000LL

static const uint8_t cam1[4] = { 10, 0, 0, 5 };
static const uint8_t cam2[4] = { 10, 0, 0, 6 };

/* A destination address 203.0.113.n. */
static const uint8_t *
dst(int n)
{
	static uint8_t	a[64][4];

	a[n][0] = 203;
	a[n][1] = 0;
	a[n][2] = 113;
	a[n][3] = (uint8_t)n;
	return a[n];
}

/* Feed a beat (d < 0: no address) and collect the alert it raises, if any. */
static int
beat(struct beacon *b, const uint8_t *appliance, int d, const char *name,
    uint32_t asn, int64_t ts, struct beacon_report *r)
{
	struct beacon_report	dummy;

	beacon_beat(b, 4, appliance, d >= 0 ? dst(d) : NULL, name, asn, 0, ts,
	    0, 240);
	return beacon_alert(b, r ? r : &dummy);
}

/*
 * A key seen twice, 3 s apart (two beats) at ts - 3 s and ts: a series
 * exists only once a key comes back.
 */
static void
beat2(struct beacon *b, const uint8_t *appliance, int d, int64_t ts)
{
	beat(b, appliance, d, NULL, 0, ts - 3 * SEC, NULL);
	beat(b, appliance, d, NULL, 0, ts, NULL);
}

/* A first sighting makes no series; the second makes it, with both events. */
static void
test_first_sighting(void)
{
	struct beacon		*b = beacon_new(100, 100);
	struct beacon_report	 r;

	beat(b, cam1, 1, "once.example", 64500, 10 * SEC, NULL);
	CHECK_EQ(beacon_stats(b)->series, 0);
	CHECK_EQ(beacon_stats(b)->first_seen, 3);
	CHECK_EQ(beacon_lookup(b, 4, cam1, BEACON_G_ADDRESS, dst(1), NULL, 0,
	    &r), -1);
	/* Back by address only: that series is made, the others wait. */
	beat(b, cam1, 1, NULL, 0, 70 * SEC, NULL);
	CHECK_EQ(beacon_stats(b)->series, 1);
	CHECK_EQ(beacon_lookup(b, 4, cam1, BEACON_G_ADDRESS, dst(1), NULL, 0,
	    &r), 0);
	CHECK_EQ(r.beats, 2);
	CHECK_EQ(r.events, 2);
	CHECK_EQ(r.first_seen, 10 * SEC);
	CHECK_EQ(beacon_lookup(b, 4, cam1, BEACON_G_NAME, NULL, "once.example",
	    0, &r), -1);
	/* The name and the ASN come back through another address. */
	beat(b, cam1, 2, "once.example", 64500, 130 * SEC, NULL);
	CHECK_EQ(beacon_stats(b)->series, 3);
	CHECK_EQ(beacon_lookup(b, 4, cam1, BEACON_G_NAME, NULL, "once.example",
	    0, &r), 0);
	CHECK_EQ(r.beats, 2);
	CHECK_EQ(r.first_seen, 10 * SEC);
	/* Within the merge window, the second sighting is the same beat. */
	beat(b, cam2, 3, NULL, 0, 200 * SEC, NULL);
	beat(b, cam2, 3, NULL, 0, 201 * SEC, NULL);
	CHECK_EQ(beacon_lookup(b, 4, cam2, BEACON_G_ADDRESS, dst(3), NULL, 0,
	    &r), 0);
	CHECK_EQ(r.beats, 1);
	CHECK_EQ(r.events, 2);
	beacon_free(b);
}

/* The state a series is small and fixed. */
static void
test_size(void)
{
	CHECK(beacon_series_size() <= 256);
}

/* The global cap evicts the least recently used series of any appliance. */
static void
test_global_cap(void)
{
	struct beacon		*b = beacon_new(10, 100);
	struct beacon_report	 r;
	int			 i;

	for (i = 0; i < 20; i++)
		beat2(b, i % 2 ? cam1 : cam2, i, (10 + i * 10) * SEC);
	CHECK_EQ(beacon_stats(b)->series, 10);
	CHECK_EQ(beacon_stats(b)->created, 20);
	CHECK_EQ(beacon_stats(b)->evicted, 10);
	CHECK_EQ(beacon_stats(b)->evicted_appliance, 0);
	CHECK_EQ(beacon_lookup(b, 4, cam2, BEACON_G_ADDRESS, dst(0), NULL, 0,
	    &r), -1);
	CHECK_EQ(beacon_lookup(b, 4, cam1, BEACON_G_ADDRESS, dst(19), NULL, 0,
	    &r), 0);
	CHECK_EQ(r.events, 2);
	beacon_free(b);
}

/* The per-appliance cap evicts that appliance's own oldest series only. */
static void
test_appliance_cap(void)
{
	struct beacon		*b = beacon_new(100, 4);
	struct beacon_report	 r;
	int			 i;

	beat2(b, cam2, 40, 5 * SEC);
	for (i = 0; i < 10; i++)
		beat2(b, cam1, i, (10 + i * 10) * SEC);
	CHECK_EQ(beacon_stats(b)->series, 5);
	CHECK_EQ(beacon_stats(b)->evicted_appliance, 6);
	CHECK_EQ(beacon_stats(b)->evicted, 0);
	CHECK_EQ(beacon_lookup(b, 4, cam2, BEACON_G_ADDRESS, dst(40), NULL, 0,
	    &r), 0);
	CHECK_EQ(beacon_lookup(b, 4, cam1, BEACON_G_ADDRESS, dst(5), NULL, 0,
	    &r), -1);
	CHECK_EQ(beacon_lookup(b, 4, cam1, BEACON_G_ADDRESS, dst(6), NULL, 0,
	    &r), 0);
	beacon_free(b);
}

/* A series used again moves to the back of the eviction queue. */
static void
test_lru(void)
{
	struct beacon		*b = beacon_new(3, 3);
	struct beacon_report	 r;

	beat2(b, cam1, 1, 5 * SEC);
	beat2(b, cam1, 2, 15 * SEC);
	beat2(b, cam1, 3, 25 * SEC);
	beat(b, cam1, 1, NULL, 0, 30 * SEC, NULL);	/* 1 is fresh again */
	beat2(b, cam1, 4, 45 * SEC);			/* 2 goes */
	CHECK_EQ(beacon_lookup(b, 4, cam1, BEACON_G_ADDRESS, dst(1), NULL, 0,
	    &r), 0);
	CHECK_EQ(r.beats, 3);
	CHECK_EQ(beacon_lookup(b, 4, cam1, BEACON_G_ADDRESS, dst(2), NULL, 0,
	    &r), -1);
	CHECK_EQ(beacon_lookup(b, 4, cam1, BEACON_G_ADDRESS, dst(3), NULL, 0,
	    &r), 0);
	CHECK_EQ(beacon_stats(b)->evicted_appliance, 1);
	/* The last series of an appliance can go; the appliance with it. */
	beat2(b, cam2, 5, 55 * SEC);
	beat2(b, cam2, 6, 65 * SEC);
	beat2(b, cam2, 7, 75 * SEC);
	CHECK_EQ(beacon_stats(b)->series, 3);
	CHECK_EQ(beacon_lookup(b, 4, cam1, BEACON_G_ADDRESS, dst(4), NULL, 0,
	    &r), -1);
	beat2(b, cam1, 4, 85 * SEC);
	CHECK_EQ(beacon_lookup(b, 4, cam1, BEACON_G_ADDRESS, dst(4), NULL, 0,
	    &r), 0);
	CHECK_EQ(r.events, 2);
	beacon_free(b);
}

/*
 * Events within the merge window of the previous event are one beat,
 * unless the beat outlasts the window with its events a second or more
 * apart (a timer faster than the window).
 */
static void
test_merge(void)
{
	struct beacon		*b = beacon_new(100, 100);
	struct beacon_report	 r;

	beat(b, cam1, 1, NULL, 0, 0, NULL);
	beat(b, cam1, 1, NULL, 0, SEC / 2, NULL);
	beat(b, cam1, 1, NULL, 0, SEC, NULL);
	beat(b, cam1, 1, NULL, 0, 3 * SEC, NULL);	/* 2 s after the last */
	beat(b, cam1, 1, NULL, 0, 2 * SEC, NULL);	/* time went back */
	CHECK_EQ(beacon_lookup(b, 4, cam1, BEACON_G_ADDRESS, dst(1), NULL, 0,
	    &r), 0);
	CHECK_EQ(r.beats, 1);
	CHECK_EQ(r.events, 5);
	CHECK_EQ(r.last_seen, 3 * SEC);
	beat(b, cam1, 1, NULL, 0, 5 * SEC + 1, NULL);	/* just over 2 s */
	CHECK_EQ(beacon_lookup(b, 4, cam1, BEACON_G_ADDRESS, dst(1), NULL, 0,
	    &r), 0);
	CHECK_EQ(r.beats, 2);
	CHECK_EQ(beacon_stats(b)->beats, 2);
	CHECK_EQ(beacon_stats(b)->events, 6);
	/*
	 * Polls 1.5 s apart: each under the window, but past it the beat
	 * ends, so the next poll starts one (3 s beats of two polls).
	 */
	beat(b, cam1, 1, NULL, 0, 6 * SEC + SEC / 2 + 1, NULL);
	beat(b, cam1, 1, NULL, 0, 8 * SEC + 1, NULL);
	CHECK_EQ(beacon_lookup(b, 4, cam1, BEACON_G_ADDRESS, dst(1), NULL, 0,
	    &r), 0);
	CHECK_EQ(r.beats, 3);
	CHECK_EQ(beacon_stats(b)->beats, 3);
	/* Sixty days of silence do not overflow a gap. */
	beat(b, cam1, 1, NULL, 0, 60 * 86400 * SEC, NULL);
	CHECK_EQ(beacon_lookup(b, 4, cam1, BEACON_G_ADDRESS, dst(1), NULL, 0,
	    &r), 0);
	CHECK_EQ(r.beats, 4);
	beacon_free(b);
}

/* A fast regular series is a strobe, reported once, never a beacon. */
static void
test_strobe(void)
{
	struct beacon		*b = beacon_new(100, 100);
	struct beacon_report	 r;
	int			 i, alerts = 0, strobes = 0;

	for (i = 0; i < 4 * 120; i++)
		if (beat(b, cam1, 1, NULL, 0, i * SEC / 4, &r)) {
			alerts++;
			strobes += r.verdict == BEACON_V_STROBE;
			CHECK(fabs(r.period_s - 0.25) < 0.01);
		}
	CHECK_EQ(alerts, 1);
	CHECK_EQ(strobes, 1);
	CHECK_EQ(beacon_stats(b)->strobes, 1);
	CHECK_EQ(beacon_stats(b)->periodic, 0);
	/* After a pause it is still listed as the strobe it was. */
	beat(b, cam1, 1, NULL, 0, 200 * SEC, NULL);
	CHECK_EQ(beacon_lookup(b, 4, cam1, BEACON_G_ADDRESS, dst(1), NULL, 0,
	    &r), 0);
	CHECK_EQ(r.verdict, BEACON_V_STROBE);
	CHECK(fabs(r.period_s - 0.25) < 0.01);
	CHECK(r.jitter < 0.01);
	CHECK_EQ(r.beats, 2);
	CHECK_EQ(r.events, 4 * 120 + 1);
	beacon_free(b);

	/* Twenty connections in ten seconds are a burst, not a strobe. */
	b = beacon_new(100, 100);
	alerts = 0;
	for (i = 0; i < 20; i++)
		alerts += beat(b, cam1, 1, NULL, 0, i * SEC / 2, NULL);
	CHECK_EQ(alerts, 0);
	CHECK_EQ(beacon_stats(b)->strobes, 0);
	beacon_free(b);
}

/* A 60 s timer: one alert, by address, with its figures; then it keeps counting. */
static void
test_periodic(void)
{
	struct beacon		*b = beacon_new(100, 100);
	struct beacon_report	 r, first;
	int			 i, alerts = 0, at = -1;

	for (i = 0; i < 60; i++)
		if (beat(b, cam1, 1, "c2.example.net", 64500, i * 60 * SEC +
		    (i % 3) * SEC / 10, &r)) {
			if (alerts++ == 0) {
				first = r;
				at = i + 1;
			}
		}
	CHECK_EQ(alerts, 1);
	CHECK_EQ(at, 6);		/* a clean timer: its sixth check-in */
	CHECK_EQ(first.group_by, BEACON_G_ADDRESS);
	CHECK_EQ(first.verdict, BEACON_V_PERIODIC);
	CHECK(fabs(first.period_s - 60) < 0.5);
	CHECK(first.jitter < 0.1);
	CHECK(first.score >= 12);
	CHECK_EQ(first.beats, (uint32_t)at);
	CHECK_EQ(first.missed, 0);
	CHECK_EQ(first.first_seen, 0);
	CHECK_EQ(first.periodic_since / SEC, (at - 1) * 60);
	CHECK_EQ(first.last_seen / SEC, (at - 1) * 60);
	CHECK(memcmp(first.addr, dst(1), 4) == 0);
	CHECK(memcmp(first.appliance, cam1, 4) == 0);
	/* Name and ASN turned periodic on the same beat: covered, not alerted. */
	CHECK_EQ(beacon_stats(b)->periodic, 3);
	CHECK_EQ(beacon_stats(b)->suppressed, 2);
	CHECK_EQ(beacon_stats(b)->alerts, 1);
	CHECK_EQ(beacon_lookup(b, 4, cam1, BEACON_G_NAME, NULL,
	    "C2.Example.NET", 0, &r), 0);
	CHECK_EQ(r.verdict, BEACON_V_PERIODIC);
	CHECK_EQ(r.beats, 60);
	CHECK_EQ(r.name_hash, beacon_name_hash(b, "c2.example.net"));
	CHECK_EQ(beacon_lookup(b, 4, cam1, BEACON_G_ASN, NULL, NULL, 64500,
	    &r), 0);
	CHECK_EQ(r.asn, 64500);
	/* Missed beats are counted from the period. */
	beat(b, cam1, 1, "c2.example.net", 64500, 62 * 60 * SEC, NULL);
	CHECK_EQ(beacon_lookup(b, 4, cam1, BEACON_G_ADDRESS, dst(1), NULL, 0,
	    &r), 0);
	CHECK_EQ(r.missed, 2);
	CHECK_EQ(r.beats, 61);
	beacon_free(b);
}

/*
 * A round-number timer of five beats then silence is a retry loop, never
 * a beacon, however often it comes back; six in a row are a timer.
 */
static void
test_retry_loop(void)
{
	struct beacon		*b = beacon_new(100, 100);
	struct beacon_report	 r;
	int			 i, k, alerts = 0;

	memset(&r, 0, sizeof(r));
	for (k = 0; k < 50; k++)
		for (i = 0; i < 5; i++)
			alerts += beat(b, cam1, 1, NULL, 0, k * 900 * SEC +
			    i * 10 * SEC, NULL);
	CHECK_EQ(alerts, 0);
	beacon_free(b);
	b = beacon_new(100, 100);
	for (i = 0; i < 6; i++)
		alerts += beat(b, cam1, 1, NULL, 0, i * 15 * SEC, &r);
	CHECK_EQ(alerts, 1);
	CHECK(fabs(r.period_s - 15) < 0.1);
	beacon_free(b);
}

/*
 * A session's set-up before its timer: a connection and its opening
 * exchange, then a request every 9.5 s within 2% (an IEC 104 general
 * interrogation); the first gap, 7.45 s, is the set-up's.  It leaves the
 * rhythm, which is found as if it had begun at the second beat: by the
 * 7th check-in (11 when the set-up gap stayed the rhythm's first).  A
 * retry loop of 5 tries after such a gap is still no beacon.
 */
static void
test_setup_gap(void)
{
	static const int	 jit[] = { 0, -90, 80, -30, 40, -60, 20, 70 };
	struct beacon		*b = beacon_new(100, 100);
	struct beacon_report	 r;
	int64_t			 t = 0;
	int			 i, k, at = -1, alerts = 0;

	memset(&r, 0, sizeof(r));
	for (i = 0; i < 20; i++) {
		if (i == 1)
			t += 7450 * SEC / 1000;
		else if (i > 1)
			t += (9500 + jit[i % 8]) * SEC / 1000;
		if (beat(b, cam1, 1, NULL, 0, t, &r) && alerts++ == 0)
			at = i + 1;
	}
	CHECK_EQ(alerts, 1);
	CHECK(at >= 6 && at <= 7);
	CHECK(fabs(r.period_s - 9.5) < 0.2);
	beacon_free(b);
	/* 3 gaps scored, at most 4 nats each less the reference */
	b = beacon_new(100, 100);
	for (i = 0; i < 6; i++)
		alerts += beat(b, cam1, 1, NULL, 0, i == 0 ? 0 : 7 * SEC +
		    (i - 1) * 10 * SEC, NULL);
	CHECK_EQ(beacon_lookup(b, 4, cam1, BEACON_G_ADDRESS, dst(1), NULL, 0,
	    &r), 0);
	CHECK(r.score > 10 && r.score <= 11.7);
	CHECK_EQ(alerts, 1);
	beacon_free(b);
	b = beacon_new(100, 100);
	for (k = 0; k < 50; k++)
		for (i = 0; i < 6; i++)
			alerts += beat(b, cam1, 1, NULL, 0, k * 900 * SEC +
			    (i == 0 ? 0 : 7 * SEC + (i - 1) * 10 * SEC), NULL);
	CHECK_EQ(alerts, 1);
	beacon_free(b);
}

/* A beat inside one connection, quiet us after the flow's last packet. */
static int
beat_in(struct beacon *b, int64_t ts, int64_t quiet, struct beacon_report *r)
{
	beacon_beat(b, 4, cam1, dst(1), NULL, 0, BEACON_SVC(6, 80), ts, quiet,
	    200);
	return beacon_alert(b, r);
}

/*
 * n beats inside one connection at at[i] ms, each quiet[i] ms after the
 * flow's last packet (none known when quiet is NULL), into a new
 * detector: the check-in that made a series periodic first, or 0; r
 * holds the last alert.
 */
static int
found_in(const int *at, const int *quiet, int n, struct beacon_report *r)
{
	struct beacon	*b = beacon_new(100, 100);
	int		 i, found = 0;

	for (i = 0; i < n; i++)
		if (beat_in(b, at[i] * 1000LL, quiet != NULL ?
		    quiet[i] * 1000LL : 0, r) && found == 0)
			found = i + 1;
	beacon_free(b);
	return found;
}

/*
 * An implant's polls inside one HTTP connection (Covenant's Grunt): a
 * staging exchange of a second, then polls 5 s apart, the first of them
 * 5 s after the staging's end (times in ms).  From beat to beat (no quiet
 * known) the first gap is 6 s, set-up, and the timer is found at the 7th
 * check-in; from the staging's end it is the timer's, found at the 6th.
 * The capture itself: its 5th poll's answer (a task) took 0.2 s and the
 * next poll came 5.23 s after the poll, 5.02 s after the answer, and one
 * poll was missed; found at the 6th check-in, never from beat to beat.
 * A quiet that began long after the previous beat (the far side's
 * pushes) says nothing of its end: a 60 s timer stays one.  A retry loop
 * of 5 tries, each an exchange, is still no beacon.
 */
static void
test_exchange_end(void)
{
	static const int	 at[] = { 47669, 53629, 58663, 63698, 68729,
	    73754, 78781 };
	static const int	 quiet[] = { 0, 4951, 5005, 5001, 5001, 5000,
	    5001 };
	static const int	 at2[] = { 47669, 53629, 58663, 63698, 68729,
	    73954, 84102 };
	static const int	 quiet2[] = { 0, 4951, 5005, 5001, 5001, 5020,
	    9963 };
	struct beacon		*b;
	struct beacon_report	 r;
	int			 i, k, found, alerts = 0;

	memset(&r, 0, sizeof(r));
	CHECK_EQ(found_in(at, quiet, 7, &r), 6);
	CHECK(fabs(r.period_s - 5.03) < 0.05);
	CHECK_EQ(found_in(at, NULL, 7, &r), 7);		/* start to start */
	CHECK_EQ(found_in(at2, quiet2, 7, &r), 6);
	CHECK_EQ(found_in(at2, NULL, 7, &r), 0);
	b = beacon_new(100, 100);
	found = 0;
	for (i = 0; i < 10; i++)
		if (beat_in(b, i * 60 * SEC, i ? 2500000 : 0, &r) && !found)
			found = i + 1;
	CHECK_EQ(found, 6);
	CHECK(fabs(r.period_s - 60) < 0.5);
	beacon_free(b);
	b = beacon_new(100, 100);
	for (k = 0; k < 50; k++)
		for (i = 0; i < 5; i++)
			alerts += beat_in(b, k * 900 * SEC + i * 11500000LL,
			    i ? 10 * SEC : 0, &r);
	CHECK_EQ(alerts, 0);
	beacon_free(b);
}

/*
 * A session's set-up that lasted (events every 0.5 s for 1.5 s) 12 s
 * before the first check-in of a 9.5 s timer within 2%: from the set-up's
 * end the first gap is 10.5 s, 10% off the timer.  It is set-up either
 * way, and the timer is found at its 6th check-in, as after a set-up that
 * did not last; kept in the rhythm as the timer's, the first gap spread
 * the young fit (found at the 8th).
 */
static void
test_setup_lasted(void)
{
	static const int	 gap[] = { 9500, 9380, 9610, 9450, 9560, 9420,
	    9640, 9390, 9530, 9470 };
	struct beacon		*b;
	struct beacon_report	 r;
	int64_t			 ts;
	int			 i, found = 0;

	memset(&r, 0, sizeof(r));
	b = beacon_new(100, 100);
	for (i = 0; i < 4; i++)
		beat(b, cam1, 1, NULL, 0, i * 500000LL, NULL);
	ts = 12 * SEC;
	for (i = 0; i < 10 && !found; i++) {
		if (beat(b, cam1, 1, NULL, 0, ts, &r))
			found = i + 1;
		ts += gap[i] * 1000LL;
	}
	CHECK_EQ(found, 6);
	CHECK(fabs(r.period_s - 9.5) < 0.2);
	beacon_free(b);
}

/*
 * A keep-alive every 60 s, then other connections to the same place in
 * between (from its sixth beat: uploads 20 s after every other beat, a
 * burst now and then): the beats that fit no rhythm are set aside, the
 * period stays 60 s and the series periodic.  (Extras from the very
 * first beats, in a fixed pattern, can pull the first fit off: see
 * bench/BEACON-NOTES.md.)
 */
static void
test_extras(void)
{
	struct beacon		*b = beacon_new(100, 100);
	struct beacon_report	 r;
	int			 i, alerts = 0, at = -1;

	for (i = 0; i < 30; i++) {
		if (beat(b, cam1, 1, NULL, 0, i * 60 * SEC, &r) && at < 0)
			at = i + 1;
		if (i >= 5 && i % 2 && beat(b, cam1, 1, NULL, 0, i * 60 *
		    SEC + 20 * SEC, &r) && at < 0)
			at = i + 1;
		if (i >= 5 && i % 7 == 3) {
			beat(b, cam1, 1, NULL, 0, i * 60 * SEC + 31 * SEC, NULL);
			beat(b, cam1, 1, NULL, 0, i * 60 * SEC + 35 * SEC, NULL);
		}
	}
	CHECK_EQ(at, 6);
	CHECK_EQ(beacon_lookup(b, 4, cam1, BEACON_G_ADDRESS, dst(1), NULL, 0,
	    &r), 0);
	CHECK_EQ(r.verdict, BEACON_V_PERIODIC);
	CHECK(fabs(r.period_s - 60) < 1);
	CHECK(r.jitter < 0.1);
	CHECK_EQ(r.missed, 0);
	(void)alerts;
	beacon_free(b);
}

/* A daily call within two minutes: found in a week, period a day. */
static void
test_daily(void)
{
	struct beacon		*b = beacon_new(100, 100);
	struct beacon_report	 r;
	int			 i, at = -1;
	static const int	 off[] = { 0, 70, -40, 100, 10, -90, 50, 0 };

	for (i = 0; i < 8; i++)
		if (beat(b, cam1, 1, NULL, 0, i * 86400 * SEC + off[i] * SEC,
		    &r) && at < 0)
			at = i + 1;
	CHECK(at >= 6 && at <= 7);
	CHECK_EQ(beacon_lookup(b, 4, cam1, BEACON_G_ADDRESS, dst(1), NULL, 0,
	    &r), 0);
	CHECK(fabs(r.period_s - 86400) < 300);
	beacon_free(b);
}

/* Rotating addresses under one name: the name series alerts. */
static void
test_rotate(void)
{
	struct beacon		*b = beacon_new(1000, 1000);
	struct beacon_report	 r;
	int			 i, alerts = 0, name_alerts = 0;
	uint32_t		 x = 12345;

	for (i = 0; i < 40; i++) {
		x = x * 1103515245 + 12345;
		if (beat(b, cam1, 1 + (int)((x >> 16) % 16), "cdn.example.net",
		    0, i * 60 * SEC, &r)) {
			alerts++;
			name_alerts += r.group_by == BEACON_G_NAME;
		}
	}
	CHECK_EQ(alerts, 1);
	CHECK_EQ(name_alerts, 1);
	beacon_free(b);

	/*
	 * Look-ups of the name (no address) then a connection 50 ms later:
	 * one beat each time, and the name series alerts even on the
	 * check-ins whose connection never happened.
	 */
	b = beacon_new(1000, 1000);
	alerts = name_alerts = 0;
	for (i = 0; i < 40; i++) {
		if (beat(b, cam1, -1, "c2.example.org", 0, i * 60 * SEC, &r)) {
			alerts++;
			name_alerts += r.group_by == BEACON_G_NAME;
		}
		if (i % 4 != 3 && beat(b, cam1, 1 + i % 16, "c2.example.org",
		    0, i * 60 * SEC + SEC / 20, &r))
			alerts++;
	}
	CHECK_EQ(alerts, 1);
	CHECK_EQ(name_alerts, 1);
	CHECK_EQ(beacon_lookup(b, 4, cam1, BEACON_G_NAME, NULL,
	    "c2.example.org", 0, &r), 0);
	CHECK_EQ(r.beats, 40);
	CHECK_EQ(r.events, 70);
	CHECK_EQ(r.missed, 0);
	CHECK_EQ(beacon_lookup(b, 4, cam1, BEACON_G_ADDRESS, NULL, NULL, 0,
	    &r), -1);
	beacon_free(b);
}

/*
 * A coarser series that turns periodic after a finer one of the same beat
 * has alerted is the same beacon: suppressed.  A finer one that turns
 * periodic after a coarser one alerted may be another beacon: alerted.
 */
static void
test_suppress(void)
{
	struct beacon		*b = beacon_new(1000, 1000);
	struct beacon_report	 r;
	uint32_t		 x = 7;
	int64_t			 t;
	int			 i, n = 0, groups[8];

	/* Address 1 on a 60 s timer, address 3 of the same ASN at random. */
	t = 10 * SEC;
	for (i = 0; i < 30; i++) {
		if (beat(b, cam1, 1, NULL, 64500, i * 60 * SEC, &r) && n < 8)
			groups[n++] = r.group_by;
		while (t < (i + 1) * 60 * SEC) {
			if (beat(b, cam1, 3, NULL, 64500, t, &r) && n < 8)
				groups[n++] = r.group_by;
			x = x * 1103515245 + 12345;
			/* exponential, mean 40 s */
			t += (int64_t)(-40 * log(((x >> 8) + 1) / 16777217.0) *
			    SEC);
		}
	}
	CHECK_EQ(n, 1);
	CHECK_EQ(groups[0], BEACON_G_ADDRESS);
	CHECK_EQ(beacon_lookup(b, 4, cam1, BEACON_G_ASN, NULL, NULL, 64500,
	    &r), 0);
	CHECK_EQ(r.verdict, BEACON_V_NONE);
	/* The noise stops: the ASN series turns periodic, silently. */
	for (; i < 60; i++)
		if (beat(b, cam1, 1, NULL, 64500, i * 60 * SEC, &r) && n < 8)
			groups[n++] = r.group_by;
	CHECK_EQ(n, 1);
	CHECK_EQ(beacon_lookup(b, 4, cam1, BEACON_G_ASN, NULL, NULL, 64500,
	    &r), 0);
	CHECK_EQ(r.verdict, BEACON_V_PERIODIC);
	CHECK_EQ(beacon_stats(b)->suppressed, 1);
	/* Another timer in the same ASN: its address alerts. */
	for (; i < 90; i++)
		if (beat(b, cam1, 2, NULL, 64500, i * 60 * SEC + 7 * SEC, &r) &&
		    n < 8)
			groups[n++] = r.group_by;
	CHECK_EQ(n, 2);
	CHECK_EQ(groups[1], BEACON_G_ADDRESS);
	CHECK(memcmp(r.addr, dst(2), 4) == 0);
	beacon_free(b);
}

struct listing {
	char	buf[4096];
	size_t	len;
};

/* Append a report to a listing. */
static void
list_one(const struct beacon_report *r, void *arg)
{
	struct listing	*l = arg;
	int		 n;

	n = snprintf(l->buf + l->len, sizeof(l->buf) - l->len,
	    "%s %d %u.%u %.3f %.3f %.3f %u %u %u %lld %lld\n",
	    beacon_group_name(r->group_by), r->verdict, r->addr[3], r->asn,
	    r->period_s, r->jitter, r->score, r->beats, r->missed, r->events,
	    (long long)r->first_seen, (long long)r->periodic_since);
	if (n > 0 && (size_t)n < sizeof(l->buf) - l->len)
		l->len += (size_t)n;
}

/* Mixed traffic through one table; the alerts and the listing, as text. */
static void
run_mixed(struct listing *alerts, struct listing *all)
{
	struct beacon		*b = beacon_new(64, 16);
	struct beacon_report	 r;
	uint32_t		 x = 99;
	int64_t			 t;
	int			 i;

	memset(alerts, 0, sizeof(*alerts));
	memset(all, 0, sizeof(*all));
	for (i = 0; i < 3000; i++) {
		x = x * 1103515245 + 12345;
		t = (int64_t)i * 7 * SEC;
		if (i % 5 == 0) {
			if (beat(b, cam1, 1, "a.example", 64501, t, &r))
				list_one(&r, alerts);
		} else if (beat(b, (x >> 20) % 2 ? cam1 : cam2,
		    2 + (int)((x >> 8) % 30), (x >> 12) % 3 ? "b.example" :
		    NULL, 64502 + (x >> 4) % 3, t + (x >> 10) % 5000000, &r))
			list_one(&r, alerts);
	}
	beacon_foreach(b, list_one, all);
	beacon_free(b);
}

/* Two tables, two random hash keys, the same verdicts. */
static void
test_determinism(void)
{
	static struct listing	a1, l1, a2, l2;

	run_mixed(&a1, &l1);
	run_mixed(&a2, &l2);
	CHECK(a1.len > 0);
	CHECK(l1.len > 0);
	CHECK_EQ(a1.len, a2.len);
	CHECK_EQ(l1.len, l2.len);
	CHECK(memcmp(a1.buf, a2.buf, a1.len) == 0);
	CHECK(memcmp(l1.buf, l2.buf, l1.len) == 0);
}

/*
 * More names in flight than the first-sighting table holds (2 x 65536):
 * which first sightings give way must not depend on the random key, so two
 * tables make the same series from the same beats.
 */
static void
run_names(uint64_t *created, uint64_t *lost, uint64_t *series)
{
	struct beacon	*b = beacon_new(1000000, 1000000);
	char		 name[32];
	int		 i, pass;

	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < 300000; i++) {
			snprintf(name, sizeof(name), "n%d.example", i);
			beacon_beat(b, 4, cam1, NULL, name, 0, 0,
			    (int64_t)(pass * 300000 + i) * 10 * SEC, 0, 0);
		}
	*created = beacon_stats(b)->created;
	*lost = beacon_stats(b)->first_lost;
	*series = beacon_stats(b)->series;
	beacon_free(b);
}

static void
test_determinism_names(void)
{
	uint64_t	c1, l1, s1, c2, l2, s2;

	run_names(&c1, &l1, &s1);
	run_names(&c2, &l2, &s2);
	CHECK(l1 > 0);			/* the table did overflow */
	CHECK(c1 > 0);
	CHECK_EQ(c1, c2);
	CHECK_EQ(l1, l2);
	CHECK_EQ(s1, s2);
}

/*
 * The window of gaps against the obvious one (a FIFO of the last 16,
 * sorted): random values, runs of one value (ties), the extremes, and
 * every place the oldest can sit when it leaves.
 */
static void
test_gapwin(void)
{
	struct gapwin	w;
	uint16_t	fifo[GAPWIN_N], sorted[GAPWIN_N], x, t;
	uint64_t	r = 0x9e3779b97f4a7c15ULL;
	uint8_t		wn = 0;
	int		n = 0, i, j, step, bad = 0, full = 0;

	memset(&w, 0, sizeof(w));
	for (step = 0; step < 200000; step++) {
		r ^= r << 13;
		r ^= r >> 7;
		r ^= r << 17;
		switch (step / 20000 % 4) {
		case 0:
			x = (uint16_t)(r >> 48);
			break;
		case 1:
			x = (uint16_t)(r >> 48) % 8;	/* many ties */
			break;
		case 2:
			x = r & 1 ? 0 : UINT16_MAX;
			break;
		default:
			x = (uint16_t)step;		/* oldest the least */
			break;
		}
		gapwin_add(&w, &wn, x);
		if (n == GAPWIN_N) {
			memmove(fifo, fifo + 1, sizeof(fifo) - sizeof(*fifo));
			n--;
			full++;
		}
		fifo[n++] = x;
		memcpy(sorted, fifo, (size_t)n * sizeof(*sorted));
		for (i = 1; i < n; i++)
			for (j = i; j > 0 && sorted[j - 1] > sorted[j]; j--) {
				t = sorted[j];
				sorted[j] = sorted[j - 1];
				sorted[j - 1] = t;
			}
		if (wn != n || memcmp(w.v, sorted,
		    (size_t)n * sizeof(*sorted)) != 0)
			bad++;
		/* and the ages name the arrivals: the one of age a is fifo[a] */
		for (i = 0; i < wn; i++)
			if (w.v[i] != fifo[w.ages >> 4 * i & 15])
				bad++;
	}
	CHECK_EQ(bad, 0);
	CHECK(full > 100000);
	/* Descending values: the oldest is always the largest, last. */
	memset(&w, 0, sizeof(w));
	wn = 0;
	for (i = 0; i < 40; i++)
		gapwin_add(&w, &wn, (uint16_t)(1000 - i));
	CHECK_EQ(wn, GAPWIN_N);
	CHECK_EQ(w.v[0], 1000 - 39);
	CHECK_EQ(w.v[GAPWIN_N - 1], 1000 - 24);
}

/*
 * A timer on one service of a busy server: Windows time every 1024 s to
 * the domain controller, which the appliance also reaches on another port
 * at random (about 2 minutes apart).  The address series mixes both and
 * finds nothing; the service series holds the timer alone and is found
 * within 6 check-ins, reported with its port.
 */
static void
test_service(void)
{
	struct beacon		*b = beacon_new(1000, 1000);
	struct beacon_report	 r, got;
	const uint32_t		 ntp = BEACON_SVC(17, 123);
	const uint32_t		 smb = BEACON_SVC(6, 445);
	uint64_t		 x = 12345;
	int64_t			 tick = 100 * SEC, other = 0;
	int			 checkins = 0, at = 0, found = 0;

	memset(&got, 0, sizeof(got));
	while (checkins < 8) {
		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		other += (int64_t)(3 + (x >> 33) % 237) * SEC;
		while (tick <= other && checkins < 8) {
			beacon_beat(b, 4, cam1, dst(9), NULL, 0, ntp, tick, 0, 76);
			checkins++;
			if (beacon_alert(b, &r) && !found) {
				got = r;
				found = 1;
				at = checkins;
			}
			tick += 1024 * SEC;
		}
		beacon_beat(b, 4, cam1, dst(9), NULL, 0, smb, other, 0, 900);
		if (beacon_alert(b, &r) && !found) {
			got = r;
			found = 1;
			at = -1;
		}
	}
	CHECK(found);
	CHECK_EQ(got.group_by, BEACON_G_SERVICE);
	CHECK_EQ(got.svc, ntp);
	CHECK(at >= 1 && at <= 6);
	CHECK(fabs(got.period_s - 1024) < 10);
	CHECK_EQ(beacon_lookup(b, 4, cam1, BEACON_G_ADDRESS, dst(9), NULL, 0,
	    &r), 0);
	CHECK_EQ(r.verdict, BEACON_V_NONE);
	CHECK_EQ(beacon_lookup(b, 4, cam1, BEACON_G_SERVICE, dst(9), NULL, smb,
	    &r), 0);
	CHECK_EQ(r.verdict, BEACON_V_NONE);
	CHECK_EQ(beacon_lookup(b, 4, cam1, BEACON_G_SERVICE, dst(9), NULL, ntp,
	    &r), 0);
	CHECK_EQ(r.verdict, BEACON_V_PERIODIC);
	CHECK_EQ(r.svc, ntp);
	/* no service (ICMP, a look-up): no service series */
	beacon_beat(b, 4, cam2, dst(9), NULL, 0, 0, 10 * SEC, 0, 0);
	beacon_beat(b, 4, cam2, dst(9), NULL, 0, 0, 70 * SEC, 0, 0);
	CHECK_EQ(beacon_lookup(b, 4, cam2, BEACON_G_SERVICE, dst(9), NULL, 0,
	    &r), -1);
	CHECK_EQ(beacon_lookup(b, 4, cam2, BEACON_G_ADDRESS, dst(9), NULL, 0,
	    &r), 0);
	beacon_free(b);
}

/* A series' key as words, one spelling for alerts, summary and store. */
static void
test_key_str(void)
{
	struct beacon_report	r;
	char			buf[128];

	memset(&r, 0, sizeof(r));
	r.af = 4;
	memcpy(r.addr, "\xcb\x00\x71\x5a", 4);
	r.group_by = BEACON_G_ADDRESS;
	CHECK_STR(beacon_key_str(&r, NULL, buf, sizeof(buf)), "203.0.113.90");
	r.group_by = BEACON_G_SERVICE;
	r.svc = BEACON_SVC(17, 123);
	CHECK_STR(beacon_key_str(&r, NULL, buf, sizeof(buf)),
	    "203.0.113.90 port 123/udp");
	r.af = 6;
	memset(r.addr, 0, 16);
	r.addr[0] = 0x20, r.addr[1] = 0x01, r.addr[2] = 0x0d;
	r.addr[3] = 0xb8, r.addr[15] = 1;
	r.svc = BEACON_SVC(6, 443);
	CHECK_STR(beacon_key_str(&r, NULL, buf, sizeof(buf)),
	    "2001:db8::1 port 443/tcp");
	r.group_by = BEACON_G_NAME;
	r.name_hash = 0xabcdefULL;
	CHECK_STR(beacon_key_str(&r, "cdn.example.com", buf, sizeof(buf)),
	    "cdn.example.com");
	/* a name no longer known is still told from others by its hash */
	CHECK_STR(beacon_key_str(&r, NULL, buf, sizeof(buf)),
	    "#0000000000abcdef");
	r.group_by = BEACON_G_ASN;
	r.asn = 64496;
	CHECK_STR(beacon_key_str(&r, NULL, buf, sizeof(buf)), "AS64496");
	/* cut to the buffer, never past it */
	r.group_by = BEACON_G_SERVICE;
	CHECK_STR(beacon_key_str(&r, NULL, buf, 8), "2001:db");
}

int
main(void)
{
	test_gapwin();
	test_first_sighting();
	test_size();
	test_global_cap();
	test_appliance_cap();
	test_lru();
	test_merge();
	test_strobe();
	test_periodic();
	test_rotate();
	test_suppress();
	test_retry_loop();
	test_setup_gap();
	test_exchange_end();
	test_setup_lasted();
	test_extras();
	test_daily();
	test_determinism();
	test_determinism_names();
	test_service();
	test_key_str();
	return test_done("test_beacon");
}
