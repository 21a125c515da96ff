/*
 * The packet clock.  Packet time stamps are the clock of everything
 * (timeouts, windows, beacons), so one packet dated far ahead, say 2038,
 * used to move it there: every flow ended idle, and every record after it
 * carried 2038.  Here the rule is:
 *
 *   A packet may move the clock forward by at most CLOCK_LEAP (60 s) on
 *   its own.  Packets dated further ahead (and the first packets, when
 *   there is no clock yet) are held, up to CLOCK_CONFIRM (8) of them
 *   within CLOCK_LEAP of each other, until the traffic says whether it
 *   follows them:
 *     - a packet dated more than CLOCK_LEAP after the last one held (the
 *       traffic went on past them), or CLOCK_CONFIRM held: they are let
 *       through at their own times and the clock moves on (a quiet link,
 *       the next capture file, a filtered capture with hours between its
 *       packets);
 *     - a packet dated before them again (more than CLOCK_LEAP before the
 *       first one held): the traffic stayed where the clock is, and they
 *       are outliers (clock.future_outliers), let through at that packet's
 *       time, just before it.
 *   The end of the input lets what is held through at its own times.
 *   Live, the wall clock decides once a second as a packet would
 *   (clock_tick), so nothing is held longer than that.
 *
 * Packets dated before the clock are the flow table's business (they count
 * at the clock's time, flow.ts_backwards); one dated before 1970, which no
 * capture format gives (pcap's seconds are unsigned, pcapng's are held to
 * 1970..9999), is taken for 1970 and counted (clock.before_1970).  The decision depends on packet
 * times alone, so a capture gives the same output live and offline; what
 * is held waits only for the next packets.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "xmalloc.h"

/* A packet held, with its own copy of the bytes. */
struct clock_held {
	int		 dlt;
	uint8_t		*buf;
	size_t		 bufsize, caplen, len;
	int64_t		 ts;
};

struct clock {
	int64_t			 now;		/* the latest time believed */
	int			 set;		/* now is known */
	struct clock_held	 held[CLOCK_CONFIRM];
	int			 nheld;
	struct clock_stats	 stats;
};

/* A clock not yet set. */
struct clock *
clock_new(void)
{
	return xcalloc(1, sizeof(struct clock));
}

/* Free a clock (packets still held are dropped: flush first). */
void
clock_free(struct clock *c)
{
	int	i;

	if (c == NULL)
		return;
	for (i = 0; i < CLOCK_CONFIRM; i++)
		free(c->held[i].buf);
	free(c);
}

/*
 * Let what is held through: outliers at ts (the clock stays), else each at
 * its own time (the clock moves on).
 */
static void
clock_release(struct clock *c, int outliers, int64_t ts, clock_cb cb,
    void *arg)
{
	struct clock_held	*h;
	int			 i;

	for (i = 0; i < c->nheld; i++) {
		h = &c->held[i];
		if (!outliers && (!c->set || h->ts > c->now)) {
			c->now = h->ts;
			c->set = 1;
		}
		cb(arg, h->dlt, h->buf, h->caplen, h->len,
		    outliers ? ts : h->ts);
	}
	if (outliers)
		c->stats.outliers += (uint64_t)c->nheld;
	c->nheld = 0;
}

/* Hold a packet. */
static void
clock_hold(struct clock *c, int dlt, const uint8_t *data, size_t caplen,
    size_t len, int64_t ts)
{
	struct clock_held	*h = &c->held[c->nheld++];

	if (caplen > h->bufsize) {
		free(h->buf);
		h->buf = xmalloc(caplen);
		h->bufsize = caplen;
	}
	if (caplen > 0)
		memcpy(h->buf, data, caplen);
	h->dlt = dlt;
	h->caplen = caplen;
	h->len = len;
	h->ts = ts;
	if (c->set)
		c->stats.held++;
}

/*
 * The common case, without a call back: nothing held, and a packet at ts
 * within a leap of the clock.  1 (the clock moved to ts) when the caller
 * may take the packet at ts now, else 0: then hand it to clock_packet.
 */
int
clock_pass(struct clock *c, int64_t ts)
{
	if (c->nheld > 0 || !c->set || ts < 0 || ts > c->now + CLOCK_LEAP)
		return 0;
	if (ts > c->now)
		c->now = ts;
	return 1;
}

/*
 * One packet at ts: decide about those held before it, then let it through
 * to cb at its time, or hold it (see above).
 */
void
clock_packet(struct clock *c, int dlt, const uint8_t *data, size_t caplen,
    size_t len, int64_t ts, clock_cb cb, void *arg)
{
	if (ts < 0) {
		/* no capture format gives one: the epoch, and a count */
		c->stats.before_1970++;
		ts = 0;
	}
	if (c->nheld > 0) {
		if (ts < c->held[0].ts - CLOCK_LEAP)
			/* back where the traffic was: they were outliers */
			clock_release(c, 1, ts, cb, arg);
		else if (ts > c->held[c->nheld - 1].ts + CLOCK_LEAP)
			clock_release(c, 0, 0, cb, arg);  /* gone on past them */
		else {
			clock_hold(c, dlt, data, caplen, len, ts);
			if (c->nheld == CLOCK_CONFIRM)
				clock_release(c, 0, 0, cb, arg);
			return;
		}
	}
	if (c->set && ts <= c->now + CLOCK_LEAP) {
		if (ts > c->now)
			c->now = ts;
		cb(arg, dlt, data, caplen, len, ts);
		return;
	}
	clock_hold(c, dlt, data, caplen, len, ts);
}

/*
 * Live, once a second: the wall clock says it is ts (a second behind, so
 * that packets still buffered are not late), packets or not.  What is held
 * is decided as a packet at ts would decide it, without waiting for more
 * traffic: held packets no further than a leap ahead of ts go through at
 * their own times; those further ahead are outliers, let through at the
 * clock's time.  Then the clock moves on to ts, so that the first packet
 * after a quiet spell is not held for being ahead of the last one.  Live
 * packets are dated by the same wall clock, so this holds back only what
 * a clock set wrong dated.
 */
void
clock_tick(struct clock *c, int64_t ts, clock_cb cb, void *arg)
{
	int64_t	at = c->set && c->now > ts ? c->now : ts;

	if (c->nheld > 0)
		clock_release(c, c->held[0].ts > ts + CLOCK_LEAP, at, cb, arg);
	if (!c->set || ts > c->now) {
		c->now = ts;
		c->set = 1;
	}
}

/* The end of the input: what is held, at its own times. */
void
clock_flush(struct clock *c, clock_cb cb, void *arg)
{
	clock_release(c, 0, 0, cb, arg);
}

/* The latest time believed; 0 before the first packet. */
int64_t
clock_now(const struct clock *c)
{
	return c->set ? c->now : 0;
}

/* What the clock held and refused. */
const struct clock_stats *
clock_stats(const struct clock *c)
{
	return &c->stats;
}
