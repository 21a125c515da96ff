/*
 * The beacon scenario matrix: a deterministic generator of beat series for
 * every scenario of issue 5, each run over MATRIX_SEEDS seeds through the
 * real beacon_beat() API, with its expected outcome.
 *
 *   must detect: the first alert comes within the scenario's budget of
 *     observed check-ins (a check-in made of several connections counts
 *     once; missed check-ins are not counted) and names the grouping the
 *     scenario expects, in at least 95% of the seeds;
 *   record: approved periodic traffic (NTP, DHCP, a vendor heartbeat): the
 *     detector must find it the same way; policy, not this module, then
 *     records it instead of alerting;
 *   strobe: found as a strobe, never as a beacon;
 *   must not alert: no beacon alert in any seed.
 *
 * The budgets were set from "matrix -s 1000": the 95th percentile of
 * check-ins to detect, plus about 15%, so that they describe the
 * detector as it is (see bench/BEACON-NOTES.md), not a wish.
 *
 * Next to it runs a baseline written from its one-line description, a
 * Maltrail-like rule: per destination address, a ring of the last 16 gaps
 * between connection starts, a beacon when at least 8 gaps are in the ring
 * and their coefficient of variation is at most 0.2.
 *
 * Prints the matrix and the totals; exits 1 when an expectation fails.
 * "matrix -v NAME" prints each run of the scenarios whose name starts with
 * NAME; "-s N" runs N seeds instead of 20.  The median and the 95th
 * percentile of check-ins to detect are over every run that alerted by
 * the expected grouping, within the budget or not.
 */
#include "config.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "beacon.h"

#define MATRIX_SEEDS	100		/* default; -s changes it */
#define MAX_SEEDS	1000
#define MATRIX_PASS	0.95
#define SEC		1000000LL
#define MIN		(60 * SEC)
#define HOUR		(60 * MIN)
#define DAY		(24 * HOUR)
#define MAX_DST		64
#define ML_RING		16
#define ML_MIN_GAPS	8
#define ML_CV		0.2

enum kind {
	K_DETECT,
	K_RECORD,
	K_STROBE,
	K_NOT
};

/*
 * What a timer's regularity is, for the beats-to-detect figures per class
 * and their budgets: jitter (the range of a sleep, of the longest) at
 * most 5%, at most 25%, 50% or 30% of the check-ins missed, both, wider
 * than 50%; then the rest (grouping, mixed activity, long periods).
 */
enum jclass {
	J_5,
	J_25,
	J_50,
	J_BOTH,
	J_WIDE,
	J_OTHER,
	J_MAX
};

enum style {
	S_CS,		/* uniform in [S(1-j), S] */
	S_EMPIRE,	/* uniform in [S(1-j), S(1+j)] */
	S_SLIVER,	/* S plus uniform in [0, jS] */
	S_NTP		/* 64 s doubling to 1024 s every 16 polls */
};

/* A timer: everything a call-home loop can vary. */
struct timer {
	double		period;		/* s */
	double		jitter;
	enum style	style;
	double		missed;		/* probability a check-in is lost */
	double		drift;		/* period growth per beat */
	int		split;		/* connections per check-in */
	int		pool;		/* destinations rotated over (>= 1) */
	int		named;		/* the destinations share a name */
	int		asns;		/* ASNs the pool spreads over */
	int		outage_after;	/* check-ins before a 2 h outage */
	int		office;		/* only 08:00-18:00 */
	int		varied;		/* sizes vary (else ~constant) */
	int		count;		/* check-ins, then it stops (0: none) */
	double		extras;		/* other connections to the same place,
					   at random times, per check-in */
	double		upload;		/* share of check-ins followed by an
					   upload at another phase */
	double		burst;		/* share of periods with a burst of
					   requests (a user session) */
	int		others;		/* other sites the appliance talks to */
	int		lookup;		/* carried by DNS look-ups alone */
	double		setup;		/* a session's set-up: a beat this
					   share of a period short of the
					   first check-in (not one) */
	double		staging;	/* the first check-in an exchange
					   this long (s) inside one
					   connection that carries them
					   all; the sleeps from its end */
};

struct event {
	int64_t		ts;
	int64_t		quiet;		/* of its connection before it, us */
	uint32_t	bytes;
	int		dst;
	int		truth;		/* check-in number, or -1 */
	int		seq;
};

struct dst {
	uint8_t		addr[4];
	const char	*name;
	uint32_t	asn;
	uint32_t	svc;		/* BEACON_SVC: HTTPS unless said */
	int		lookup;		/* a DNS look-up: the name alone */
};

/* One run's traffic. */
struct gen {
	uint64_t	s[4];		/* xoshiro256** */
	struct event	*ev;
	size_t		n, cap;
	struct dst	dst[MAX_DST];
	int		ndst;
	int		truth;		/* check-ins emitted */
};

struct scenario {
	const char		*name;
	enum kind		 kind;
	enum jclass		 jclass;
	int			 budget;	/* check-ins */
	enum beacon_group	 group;		/* expected grouping */
	void			(*gen)(struct gen *,
				    const struct scenario *);
	struct timer		 t;
	int64_t			 span;		/* traffic generated */
};

/* What one run gave, for us and the baseline. */
struct outcome {
	int	alerted;		/* beacon alerts */
	int	strobes;
	int	beats;			/* check-ins at the first alert */
	int	group;
	int	ml_alerted;
	int	ml_beats;
};

/* splitmix64, to seed the generator from a small number. */
static uint64_t
splitmix64(uint64_t *x)
{
	uint64_t	z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Rotate left. */
static uint64_t
rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

/* xoshiro256**: the next 64 random bits. */
static uint64_t
rnd(struct gen *g)
{
	uint64_t	r = rotl(g->s[1] * 5, 7) * 9, t = g->s[1] << 17;

	g->s[2] ^= g->s[0];
	g->s[3] ^= g->s[1];
	g->s[1] ^= g->s[2];
	g->s[0] ^= g->s[3];
	g->s[2] ^= t;
	g->s[3] = rotl(g->s[3], 45);
	return r;
}

/* Uniform in [0, 1). */
static double
u01(struct gen *g)
{
	return (rnd(g) >> 11) * (1.0 / 9007199254740992.0);
}

/* Uniform in (0, 1]. */
static double
u01_open(struct gen *g)
{
	return 1.0 - u01(g);
}

/* Exponential with a mean. */
static double
rexp(struct gen *g, double mean)
{
	return -mean * log(u01_open(g));
}

/* Standard normal (Box-Muller, one of the pair). */
static double
rnorm(struct gen *g)
{
	return sqrt(-2 * log(u01_open(g))) * cos(2 * M_PI * u01(g));
}

/* Seconds to microseconds. */
static int64_t
us(double s)
{
	return (int64_t)llround(s * 1e6);
}

/* Add an event. */
static void
emit(struct gen *g, int64_t ts, int dst, uint32_t bytes, int truth)
{
	if (g->n == g->cap) {
		g->cap = g->cap ? g->cap * 2 : 1024;
		g->ev = realloc(g->ev, g->cap * sizeof(*g->ev));
		if (g->ev == NULL)
			abort();
	}
	g->ev[g->n].ts = ts;
	g->ev[g->n].quiet = 0;
	g->ev[g->n].dst = dst;
	g->ev[g->n].bytes = bytes;
	g->ev[g->n].truth = truth;
	g->ev[g->n].seq = (int)g->n;
	g->n++;
}

/* Add a destination; returns its index. */
static int
dst_add(struct gen *g, const char *name, uint32_t asn)
{
	struct dst	*d = &g->dst[g->ndst];

	if (g->ndst == MAX_DST)
		abort();
	d->addr[0] = 203;
	d->addr[1] = 0;
	d->addr[2] = (uint8_t)(113 + asn % 8);
	d->addr[3] = (uint8_t)(10 + g->ndst);
	d->name = name;
	d->asn = asn;
	d->svc = BEACON_SVC(6, 443);
	return g->ndst++;
}

/* Bytes of one connection: about 240, or anything from 100 B to 100 kB. */
static uint32_t
size_of(struct gen *g, int varied)
{
	if (varied)
		return (uint32_t)(100 * exp(u01(g) * log(1000.0)));
	return (uint32_t)(236 + (rnd(g) % 9));
}

/* The next sleep of a timer, s. */
static double
timer_sleep(struct gen *g, const struct timer *t, double period, int k)
{
	switch (t->style) {
	case S_EMPIRE:
		return period * (1 + t->jitter * (2 * u01(g) - 1));
	case S_SLIVER:
		return period + t->jitter * period * u01(g);
	case S_NTP:
		return 64.0 * (1 << (k / 16 < 4 ? k / 16 : 4)) *
		    (1 + 0.02 * (u01(g) - 0.5));
	default:
		return period * (1 - t->jitter * u01(g));
	}
}

/* Is a time (us since midnight of day 0) in office hours? */
static int
office_hours(int64_t ts)
{
	int64_t	tod = ts % DAY;

	return tod >= 8 * HOUR && tod < 18 * HOUR;
}

/*
 * A user session beside a timer: 4 to 8 requests 2.2 to 5 s apart (each a
 * beat of its own) from a time in the period.
 */
static void
gen_session(struct gen *g, double at, int d)
{
	int	i, n = 4 + (int)(rnd(g) % 5);

	for (i = 0; i < n; i++, at += 2.2 + 2.8 * u01(g))
		emit(g, us(at), d, size_of(g, 1), -1);
}

/*
 * A call-home loop from start to end, over destinations first..first+pool;
 * returns the time of its last check-in (us), or start.  Beside each
 * check-in, what else the appliance may send to the same place: an upload
 * at another phase (40% of a period later), a user session.
 */
static int64_t
gen_timer_from(struct gen *g, const struct timer *t, int64_t start,
    int64_t end, int first)
{
	double	period = t->period, at = start / 1e6, was = -1;
	int64_t	ts, last = start;
	int	k, c, d;

	for (k = 0; t->count == 0 || g->truth < t->count; k++) {
		at += timer_sleep(g, t, period, k);
		period *= 1 + t->drift;
		if (t->outage_after > 0 && k == t->outage_after)
			at += 2 * 3600;
		ts = us(at);
		if (ts >= end)
			break;
		if (u01(g) < t->missed || (t->office && !office_hours(ts)))
			continue;
		d = first + (t->pool > 1 ? (int)(rnd(g) % t->pool) : 0);
		if (k == 0 && t->setup > 0)
			emit(g, us(at - (1 - t->setup) * period), d,
			    size_of(g, t->varied), -1);
		last = ts;
		for (c = 0; c < (t->split > 0 ? t->split : 1); c++) {
			if (c > 0)
				ts += us(0.1 + 0.6 * u01(g));
			emit(g, ts, d, size_of(g, t->varied), g->truth);
		}
		if (t->staging > 0) {
			/* one event a check-in in its connection */
			if (was >= 0) {
				g->ev[g->n - 1].quiet = ts - us(was);
				was = at;
			} else
				at = was = at + t->staging;
		}
		g->truth++;
		if (t->upload > 0 && u01(g) < t->upload)
			emit(g, last + us(0.4 * period * (1 + 0.02 *
			    (u01(g) - 0.5))), d, size_of(g, 1), -1);
		if (t->burst > 0 && u01(g) < t->burst)
			gen_session(g, at + u01(g) * period, d);
	}
	return last;
}

/* Poisson arrivals to destination d from start to end at a mean gap, s. */
static void
gen_random_to(struct gen *g, int d, int64_t start, int64_t end, double mean)
{
	double	at = start / 1e6;

	for (;;) {
		at += rexp(g, mean);
		if (us(at) >= end)
			break;
		emit(g, us(at), d, size_of(g, 1), -1);
	}
}

/* Destinations of a timer: a pool, named or not, over some ASNs. */
static int
timer_dsts(struct gen *g, const struct timer *t)
{
	int	i, first = g->ndst, pool = t->pool > 1 ? t->pool : 1;
	int	asns = t->asns > 1 ? t->asns : 1;

	if (t->lookup) {	/* one name's look-ups, nothing else */
		g->dst[dst_add(g, "poll.example-dns.net (dns)", 0)].lookup = 1;
		return first;
	}
	for (i = 0; i < pool; i++)
		dst_add(g, t->named ? "updates.example-cdn.net" : NULL,
		    64500 + (uint32_t)(i % asns));
	return first;
}

/*
 * A call-home loop that starts at a random phase; with other connections
 * to the same place at random times (extras per check-in), and to other
 * sites (each at random, a minute apart on average, for as long).
 */
static void
gen_timer(struct gen *g, const struct scenario *sc)
{
	const struct timer	*t = &sc->t;
	int			 first = timer_dsts(g, t), i, d;
	int64_t			 start = (int64_t)(u01(g) * t->period * 1e6);
	int64_t			 last;
	static const char	*sites[] = { "www.example.com",
	    "time.example.org", "cdn.example.net", "api.example.io",
	    "mail.example.com", "img.example.net", "ads.example.org",
	    "static.example.com", "news.example.net", "dns.example.org",
	    "login.example.com", "store.example.io" };

	if (t->office)
		start += 17 * HOUR;
	last = gen_timer_from(g, t, start, start + sc->span, first);
	if (t->extras > 0)
		gen_random_to(g, first, start, last, t->period / t->extras);
	for (i = 0; i < t->others; i++) {
		d = dst_add(g, sites[i % 12], 64600 + (uint32_t)i);
		gen_random_to(g, d, start, last, 60);
	}
}

/*
 * A timer on one service of a server the appliance also uses for others
 * (Windows time to the domain controller that is also its file server and
 * directory): connections to another port of the same address at random,
 * two minutes apart on average.
 */
static void
gen_busy(struct gen *g, const struct scenario *sc)
{
	const struct timer	*t = &sc->t;
	int			 first = timer_dsts(g, t), d;
	int64_t			 start = (int64_t)(u01(g) * t->period * 1e6);
	int64_t			 last;

	g->dst[first].svc = BEACON_SVC(17, 123);
	d = dst_add(g, NULL, g->dst[first].asn);
	memcpy(g->dst[d].addr, g->dst[first].addr, sizeof(g->dst[d].addr));
	g->dst[d].svc = BEACON_SVC(6, 445);
	last = gen_timer_from(g, t, start, start + sc->span, first);
	gen_random_to(g, d, 0, last, 120);
}

/* Three hours of someone's occasional use of the same service, then a beacon. */
static void
gen_midcapture(struct gen *g, const struct scenario *sc)
{
	int	d = timer_dsts(g, &sc->t);
	double	at = 0;

	for (;;) {
		at += rexp(g, 600);
		if (at >= 3 * 3600)
			break;
		emit(g, us(at), d, size_of(g, 1), -1);
	}
	gen_timer_from(g, &sc->t, 3 * HOUR, 3 * HOUR + sc->span, d);
}

/* Gaps drawn from a distribution, in seconds, until span. */
static void
gen_gaps(struct gen *g, const struct scenario *sc, int lognormal)
{
	int	d = dst_add(g, "api.example.com", 64510);
	double	at = 0;

	for (;;) {
		if (lognormal)	/* median 60 s, sigma 1.5 */
			at += 60 * exp(1.5 * rnorm(g));
		else
			at += rexp(g, sc->t.period);
		if (us(at) >= sc->span)
			break;
		emit(g, us(at), d, size_of(g, 0), -1);
	}
}

/* Poisson arrivals. */
static void
gen_poisson(struct gen *g, const struct scenario *sc)
{
	gen_gaps(g, sc, 0);
}

/* Lognormal gaps. */
static void
gen_lognormal(struct gen *g, const struct scenario *sc)
{
	gen_gaps(g, sc, 1);
}

/*
 * A person: sessions at random times of the waking day, each a few
 * minutes to an hour of page loads (1 to 5 connections within a second)
 * with think times drawn from a lognormal around 20 s.
 */
static void
gen_human(struct gen *g, const struct scenario *sc)
{
	int	d = dst_add(g, "portal.example.com", 64511), i, n;
	double	at = 7 * 3600, end, t;

	for (;;) {
		at += rexp(g, 2 * 3600);
		if (fmod(at, 86400) < 7 * 3600)
			at += 7 * 3600 - fmod(at, 86400);
		if (us(at) >= sc->span)
			break;
		end = at + rexp(g, 25 * 60);
		for (t = at; t < end; t += 20 * exp(0.8 * rnorm(g))) {
			n = 1 + (int)(rnd(g) % 5);
			for (i = 0; i < n; i++)
				emit(g, us(t + 0.3 * i * u01(g)), d,
				    size_of(g, 1), -1);
		}
		at = end;
	}
}

/*
 * SYN retry storms: at random times a client cannot connect and retries
 * for a while, each attempt a new connection whose SYN the kernel
 * retransmits after 1, 3 and 7 s, the next attempt 0.5 to 3 s after
 * giving up.  A beat is an attempt: a SYN sent again is not one (the flow
 * layer's rule).  Fed every SYN, the kernel's backoff is itself a precise
 * timer.
 */
static void
gen_storms(struct gen *g, const struct scenario *sc)
{
	int	d = dst_add(g, "telemetry.example.net", 64512), i, n;
	double	at = 0, t;
	static const double rtx[] = { 0, 1, 3, 7 };

	for (;;) {
		at += rexp(g, 15 * 60);
		if (us(at) >= sc->span)
			break;
		n = 3 + (int)(rnd(g) % 10);
		for (i = 0, t = at; i < n; i++) {
			int	r, last = (int)(rnd(g) % 4);

			for (r = 0; r <= last; r++)
				if (r == 0)
					emit(g, us(t), d, 74, -1);
			t += rtx[last] + 0.5 + 2.5 * u01(g);
		}
		at = t;
	}
}

/*
 * One long transfer: a connection start, then a beat for the first packet
 * after each stall (the flow layer's idle-gap rule) at random times.
 */
static void
gen_transfer(struct gen *g, const struct scenario *sc)
{
	int	d = dst_add(g, "backup.example.org", 64513);
	double	at = u01(g) * 3600;

	emit(g, us(at), d, 1500, -1);
	for (;;) {
		at += 5 + rexp(g, 240);
		if (us(at) >= sc->span)
			break;
		emit(g, us(at), d, 1500, -1);
	}
}

/* Random timing: uniform times over the span, sizes anywhere. */
static void
gen_random(struct gen *g, const struct scenario *sc)
{
	int	d = dst_add(g, "cdn.example.com", 64514), i;

	for (i = 0; i < 400; i++)
		emit(g, (int64_t)(u01(g) * (double)sc->span), d,
		    size_of(g, 1), -1);
}

/* Event bursts: 20 connections within 10 s, in random hours. */
static void
gen_bursts(struct gen *g, const struct scenario *sc)
{
	int	d = dst_add(g, "events.example.com", 64515), i;
	int64_t	h, t0;

	for (h = 0; h < sc->span; h += HOUR) {
		if (u01(g) < 0.5)
			continue;
		t0 = h + (int64_t)(u01(g) * (HOUR - 10 * SEC));
		for (i = 0; i < 20; i++)
			emit(g, t0 + (int64_t)(u01(g) * 10 * SEC), d,
			    size_of(g, 1), -1);
	}
}

/* A strobe: four connections a second, regularly, for five minutes. */
static void
gen_strobe(struct gen *g, const struct scenario *sc)
{
	int	d = dst_add(g, "poll.example.com", 64516);
	double	at = u01(g);

	for (; us(at) < sc->span; at += 0.25 * (1 + 0.1 * (u01(g) - 0.5)))
		emit(g, us(at), d, 120, g->truth++);
}

/*
 * A nightly job (a backup) at a time of night drawn anew each night,
 * uniformly between 01:00 and 04:00: a daily rhythm, but one of the clock
 * and the calendar, not a timer.
 */
static void
gen_nightly(struct gen *g, const struct scenario *sc)
{
	int	d = dst_add(g, "vault.example.net", 64517);
	int64_t	day;

	for (day = 0; day < sc->span; day += DAY)
		emit(g, day + HOUR + (int64_t)(u01(g) * 3 * HOUR), d,
		    size_of(g, 1), -1);
}

/*
 * A browser's look-ups of one site's names: a visit at random times (a
 * minute and a half apart on average, 3 s at least), each 1 to 6 names,
 * the first at once and the others as the page loads, in the next 2.5 s,
 * each asked for A and AAAA 10 ms apart.
 */
static void
gen_browse_dns(struct gen *g, const struct scenario *sc)
{
	int	d = dst_add(g, "news.example.com (dns)", 0), i, n;
	double	at = 0, t;

	g->dst[d].lookup = 1;
	for (;;) {
		at += 3 + rexp(g, 90);
		if (us(at) >= sc->span)
			break;
		n = 1 + (int)(rnd(g) % 6);
		for (i = 0; i < n; i++) {
			t = at + (i > 0 ? 2.5 * u01(g) : 0);
			emit(g, us(t), d, 40, -1);
			emit(g, us(t + 0.01), d, 40, -1);
		}
	}
}

/*
 * Software update checks every few hours at random minutes: the next one
 * 2 to 6 whole hours on, at a random minute of that hour.
 */
static void
gen_updates(struct gen *g, const struct scenario *sc)
{
	int	d = dst_add(g, "update.example.com", 64518);
	int64_t	hour = (int64_t)(rnd(g) % 6) * HOUR;

	for (;;) {
		hour += (2 + (int64_t)(rnd(g) % 5)) * HOUR;
		if (hour >= sc->span)
			break;
		emit(g, hour + (int64_t)(u01(g) * HOUR), d, size_of(g, 0), -1);
	}
}

/*
 * A person checking something every few minutes from 07:00 to 23:00: a
 * lognormal gap (median the timer's period, log spread its jitter).
 */
static void
gen_checker(struct gen *g, const struct scenario *sc)
{
	int	d = dst_add(g, "dashboard.example.com", 64519);
	double	at = 7 * 3600;

	for (;;) {
		at += sc->t.period * exp(sc->t.jitter * rnorm(g));
		if (fmod(at, 86400) >= 23 * 3600)
			at += 86400 - fmod(at, 86400) + 7 * 3600;
		if (us(at) >= sc->span)
			break;
		emit(g, us(at), d, size_of(g, 1), -1);
	}
}

/*
 * Retry loops that stop: at random times a client retries a failed
 * request on a round-number timer (5, 10 or 30 s, to the millisecond) 3
 * to 5 times, then gives up for 5 minutes or more (20 on average).
 */
static void
gen_retries(struct gen *g, const struct scenario *sc)
{
	static const double	every[] = { 5, 10, 30 };
	int			d = dst_add(g, "sync.example.net", 64520), i, n;
	double			at = 0, step;

	for (;;) {
		at += 5 * 60 + rexp(g, 15 * 60);
		if (us(at) >= sc->span)
			break;
		step = every[rnd(g) % 3];
		n = 3 + (int)(rnd(g) % 3);
		for (i = 0; i < n; i++, at += step + 0.001 * u01(g))
			emit(g, us(at), d, 300, -1);
	}
}

/*
 * Heavy-tailed gaps: Lomax (Pareto of the second kind), shape 1.5, scale
 * 30 s (a mean of a minute, no variance).
 */
static void
gen_lomax(struct gen *g, const struct scenario *sc)
{
	int	d = dst_add(g, "files.example.org", 64521);
	double	at = 0;

	for (;;) {
		at += 30 * (pow(u01_open(g), -1 / 1.5) - 1);
		if (us(at) >= sc->span)
			break;
		emit(g, us(at), d, size_of(g, 1), -1);
	}
}

#define CS(p, j, m)	{ .period = (p), .jitter = (j), .style = S_CS, \
			    .missed = (m) }

#define EMP(p, j)	{ .period = (p), .jitter = (j), .style = S_EMPIRE }
#define D		K_DETECT
#define A		BEACON_G_ADDRESS

static const struct scenario scenarios[] = {
	/* Jitter at most 5%: found within 6 check-ins. */
	{ "cs60 j0 m0",    D, J_5, 6, A, gen_timer, CS(60, 0, 0), 4 * HOUR },
	{ "cs60 j5 m0",    D, J_5, 6, A, gen_timer, CS(60, .05, 0), 4 * HOUR },
	{ "cs10 j1",       D, J_5, 6, A, gen_timer, CS(10, .01, 0), HOUR },
	{ "drift 0.1%/beat", D, J_5, 6, A, gen_timer,
	    { .period = 60, .drift = .001 }, 6 * HOUR },
	{ "rat 20 s j1 (in one connection)", D, J_5, 6, A, gen_timer,
	    CS(20, .01, 0), HOUR },
	{ "loader 15 s j0, 6 check-ins", D, J_5, 6, A, gen_timer,
	    { .period = 15, .count = 6 }, HOUR },
	{ "loader 121 s j0, 6 check-ins", D, J_5, 6, A, gen_timer,
	    { .period = 121, .count = 6 }, HOUR },
	{ "bot 5.8 s j1, 11, 12 other sites", D, J_5, 6, A, gen_timer,
	    { .period = 5.8, .jitter = .01, .count = 11, .others = 12 }, HOUR },
	{ "aws iot 17 min +-2%", D, J_5, 6, A, gen_timer, EMP(1020, .02), DAY },
	{ "smart lock daily +-2 min, 7", D, J_5, 7, A, gen_timer,
	    { .period = 86400, .jitter = 2 / 1440.0, .style = S_EMPIRE,
	    .count = 7 }, 8 * DAY },
	{ "approved: ntp 64->1024 s", K_RECORD, J_5, 6, A, gen_timer,
	    { .period = 64, .style = S_NTP }, DAY },
	{ "approved: ntp 4096 s +-1%", K_RECORD, J_5, 6, A, gen_timer,
	    EMP(4096, .01), 2 * DAY },
	{ "approved: dhcp renew 30 min", K_RECORD, J_5, 6, A, gen_timer,
	    CS(1800, .01, 0), DAY },
	{ "approved: vendor heartbeat 10 s", K_RECORD, J_5, 6, A, gen_timer,
	    CS(10, .05, 0), HOUR },
	/* At most 25%: within 12. */
	{ "cs60 j10 m0",   D, J_25, 12, A, gen_timer, CS(60, .1, 0), 4 * HOUR },
	{ "cs60 j25 m0",   D, J_25, 12, A, gen_timer, CS(60, .25, 0), 4 * HOUR },
	{ "cs60 j0 m10",   D, J_25, 12, A, gen_timer, CS(60, 0, .1), 4 * HOUR },
	{ "cs60 j10 m10",  D, J_25, 12, A, gen_timer, CS(60, .1, .1), 4 * HOUR },
	{ "cs5 j20",       D, J_25, 12, A, gen_timer, CS(5, .2, 0), HOUR },
	{ "cs10 j20",      D, J_25, 12, A, gen_timer, CS(10, .2, 0), HOUR },
	{ "cs15m j25",     D, J_25, 12, A, gen_timer, CS(900, .25, 0), DAY },
	{ "cs1h j20 (24h)", D, J_25, 12, A, gen_timer, CS(3600, .2, 0), DAY },
	{ "cs4h j20 (4d)", D, J_25, 17, A, gen_timer, CS(4 * 3600, .2, 0), 4 * DAY },
	{ "cs6h j10 (3d)", D, J_25, 12, A, gen_timer, CS(6 * 3600, .1, 0), 3 * DAY },
	/* 50% jitter, or 30% of the check-ins missed: within 20. */
	{ "cs60 j50 m0",   D, J_50, 53, A, gen_timer, CS(60, .5, 0), 4 * HOUR },
	{ "cs60 j0 m30",   D, J_50, 25, A, gen_timer, CS(60, 0, .3), 4 * HOUR },
	{ "cs60 j10 m30",  D, J_50, 29, A, gen_timer, CS(60, .1, .3), 4 * HOUR },
	{ "cs60 j25 m30",  D, J_50, 38, A, gen_timer, CS(60, .25, .3), 4 * HOUR },
	{ "cs60 j25 m10",  D, J_50, 20, A, gen_timer, CS(60, .25, .1), 4 * HOUR },
	{ "sliver 60+30",  D, J_50, 20, A, gen_timer,
	    { .period = 60, .jitter = .5, .style = S_SLIVER }, 4 * HOUR },
	{ "curl 3 s +-25%", D, J_50, 26, A, gen_timer, EMP(3, .25), 10 * MIN },
	{ "agent 48 s +-20%", D, J_50, 20, A, gen_timer, EMP(48, .2), 4 * HOUR },
	/* Both, and wider than 50%. */
	{ "cs60 j50 m10",  D, J_BOTH, 88, A, gen_timer, CS(60, .5, .1), 8 * HOUR },
	{ "cs60 j50 m30",  D, J_BOTH, 378, A, gen_timer, CS(60, .5, .3), 8 * HOUR },
	{ "agent 9 s +-38%", D, J_WIDE, 71, A, gen_timer, EMP(9, .38), 4 * HOUR },
	{ "agent 63 s +-46%", D, J_WIDE, 130, A, gen_timer, EMP(63, .46), 8 * HOUR },
	{ "empire 60+-50%", D, J_WIDE, 198, A, gen_timer, EMP(60, .5), 8 * HOUR },
	/* Long periods. */
	{ "daily 24 h +-15 min (14 d)", D, J_OTHER, 13, A, gen_timer,
	    EMP(86400, 15 / 1440.0), 14 * DAY },
	/* Grouping, interruptions. */
	{ "rotate 16 addrs, one name", D, J_OTHER, 12, BEACON_G_NAME, gen_timer,
	    { .period = 60, .jitter = .25, .pool = 16, .named = 1 }, 4 * HOUR },
	{ "cdn: 12 addrs over 3 ASNs, one name", D, J_OTHER, 12, BEACON_G_NAME,
	    gen_timer, { .period = 60, .jitter = .25, .pool = 12, .named = 1,
	    .asns = 3 }, 4 * HOUR },
	{ "rotate 16 addrs, one ASN, no name", D, J_OTHER, 12, BEACON_G_ASN,
	    gen_timer, { .period = 60, .jitter = .25, .pool = 16 }, 4 * HOUR },
	{ "starts mid-capture", D, J_OTHER, 48, A, gen_midcapture,
	    CS(60, .25, 0), 8 * HOUR },
	{ "2 h outage",    D, J_OTHER, 21, A, gen_timer,
	    { .period = 60, .jitter = .25, .missed = .1, .outage_after = 5 },
	    6 * HOUR },
	{ "office hours",  D, J_OTHER, 11, A, gen_timer,
	    { .period = 300, .jitter = .2, .office = 1 }, 3 * DAY },
	{ "split over 3 connections", D, J_OTHER, 13, A, gen_timer,
	    { .period = 60, .jitter = .25, .split = 3, .varied = 1 }, 4 * HOUR },
	/* Mixed activity to the same place. */
	{ "keep-alive 60 s j5 + 20% extras", D, J_OTHER, 17, A, gen_timer,
	    { .period = 60, .jitter = .05, .extras = .2 }, 4 * HOUR },
	{ "keep-alive 60 s j5 + 50% extras", D, J_OTHER, 30, A, gen_timer,
	    { .period = 60, .jitter = .05, .extras = .5 }, 4 * HOUR },
	{ "keep-alive 60 s j5 + 100% extras", D, J_OTHER, 73, A, gen_timer,
	    { .period = 60, .jitter = .05, .extras = 1 }, 4 * HOUR },
	{ "keep-alive 60 s j25 + 50% extras", D, J_OTHER, 52, A, gen_timer,
	    { .period = 60, .jitter = .25, .extras = .5 }, 4 * HOUR },
	{ "rat 10 s j0.5, uploads at 40%", D, J_OTHER, 34, A, gen_timer,
	    { .period = 10, .jitter = .005, .upload = .46 }, 20 * MIN },
	{ "poll 5.1 s j5, 28, downloads", D, J_OTHER, 17, A, gen_timer,
	    { .period = 5.1, .jitter = .05, .count = 28, .upload = .2 }, HOUR },
	{ "keep-alive 60 s j5 + user sessions", D, J_OTHER, 82, A, gen_timer,
	    { .period = 60, .jitter = .05, .burst = .3 }, 4 * HOUR },
	/* Must be found but another verdict. */
	{ "strobe 4/s", K_STROBE, J_OTHER, 0, A, gen_strobe, CS(0.25, 0, 0), 5 * MIN },
	/* Must not alert. */
	{ "poisson 10 s", K_NOT, J_OTHER, 0, 0, gen_poisson, CS(10, 0, 0), DAY },
	{ "poisson 60 s", K_NOT, J_OTHER, 0, 0, gen_poisson, CS(60, 0, 0), DAY },
	{ "poisson 10 min", K_NOT, J_OTHER, 0, 0, gen_poisson, CS(600, 0, 0), 7 * DAY },
	{ "lognormal sigma 1.5", K_NOT, J_OTHER, 0, 0, gen_lognormal, CS(60, 0, 0), DAY },
	{ "lomax 1.5, mean 60 s", K_NOT, J_OTHER, 0, 0, gen_lomax, CS(0, 0, 0), DAY },
	{ "human on/off sessions", K_NOT, J_OTHER, 0, 0, gen_human, CS(0, 0, 0), 5 * DAY },
	{ "person checking ~3 min, sigma .8", K_NOT, J_OTHER, 0, 0, gen_checker,
	    { .period = 180, .jitter = .8 }, 5 * DAY },
	{ "syn retry storms", K_NOT, J_OTHER, 0, 0, gen_storms, CS(0, 0, 0), DAY },
	{ "retry loops that stop (3-5 tries)", K_NOT, J_OTHER, 0, 0, gen_retries,
	    CS(0, 0, 0), DAY },
	{ "one long transfer", K_NOT, J_OTHER, 0, 0, gen_transfer, CS(0, 0, 0), 6 * HOUR },
	{ "random timing, varied sizes", K_NOT, J_OTHER, 0, 0, gen_random, CS(0, 0, 0), DAY },
	{ "event bursts 20 in 10 s", K_NOT, J_OTHER, 0, 0, gen_bursts, CS(0, 0, 0), 5 * DAY },
	{ "nightly backup 01:00-04:00 (30 d)", K_NOT, J_OTHER, 0, 0, gen_nightly,
	    CS(0, 0, 0), 30 * DAY },
	{ "update checks every 2-6 h (10 d)", K_NOT, J_OTHER, 0, 0, gen_updates,
	    CS(0, 0, 0), 10 * DAY },
	/* Periods past the day's schedule (a scanner's re-probe). */
	{ "re-probe 56.6 h +-3% (21 d)", D, J_OTHER, 9, A, gen_timer,
	    EMP(203900, .03), 21 * DAY },
	{ "poisson 2 d (60 d)", K_NOT, J_OTHER, 0, 0, gen_poisson,
	    CS(2 * 86400, 0, 0), 60 * DAY },
	/*
	 * Last, so that the seeds of the rows above stay theirs (a row's
	 * seeds follow its index).
	 */
	{ "approved: w32time 1024 s, busy server", K_RECORD, J_5, 6,
	    BEACON_G_SERVICE, gen_busy, { .period = 1024 }, DAY },
	/*
	 * Faster than the 2 s merge window: beats of two or three polls
	 * (last, so that the rows above keep their seeds).
	 */
	{ "fast 1.2 s +-2%", D, J_OTHER, 13, A, gen_timer, EMP(1.2, .02),
	    10 * MIN },
	{ "fast 1.3 s +-10%", D, J_OTHER, 22, A, gen_timer, EMP(1.3, .1),
	    10 * MIN },
	{ "fast 1.8 s +-5%", D, J_OTHER, 17, A, gen_timer, EMP(1.8, .05),
	    10 * MIN },
	/*
	 * Carried by DNS: one name's look-ups alone, a series that merges
	 * within 0.5 s (last, so that the rows above keep their seeds).
	 */
	{ "dns: look-ups every 60 s j10", D, J_OTHER, 9, BEACON_G_NAME,
	    gen_timer, { .period = 60, .jitter = .1, .lookup = 1 }, 4 * HOUR },
	{ "dns: a poll every 1 s +-18%", D, J_OTHER, 17, BEACON_G_NAME,
	    gen_timer, { .period = 1, .jitter = .18, .style = S_EMPIRE,
	    .lookup = 1 }, 10 * MIN },
	{ "dns: a poll every 2 s +-15%", D, J_OTHER, 15, BEACON_G_NAME,
	    gen_timer, { .period = 2, .jitter = .15, .style = S_EMPIRE,
	    .lookup = 1 }, 10 * MIN },
	{ "dns: a browser's look-ups of one site", K_NOT, J_OTHER, 0, 0,
	    gen_browse_dns, CS(0, 0, 0), DAY },
	/*
	 * A session's set-up before its timer: a connection and its opening
	 * exchange 20% of a period before the first check-in (last, so that
	 * the rows above keep their seeds).
	 */
	{ "timer after a set-up gap 20% short", D, J_5, 6, A, gen_timer,
	    { .period = 9.5, .jitter = .02, .style = S_EMPIRE, .setup = .2 },
	    HOUR },
	/*
	 * An implant's staging: its first check-in an exchange of 0.9 s
	 * inside the one connection that carries every poll, its sleeps
	 * from the end of each; with a check-in now and then missed (a
	 * task run instead).  Last, so that the rows above keep their seeds.
	 */
	{ "staging 0.9 s, then 5 s +-2%", D, J_5, 6, A, gen_timer,
	    { .period = 5, .jitter = .02, .style = S_EMPIRE, .staging = .9 },
	    HOUR },
	{ "staging 0.9 s, then 5 s +-2%, 10% missed", D, J_25, 12, A,
	    gen_timer, { .period = 5, .jitter = .02, .style = S_EMPIRE,
	    .staging = .9, .missed = .1 }, HOUR },
};
#define NSCENARIOS	(sizeof(scenarios) / sizeof(scenarios[0]))

/* Events in time order (ties in the order they were made). */
static int
event_cmp(const void *a, const void *b)
{
	const struct event	*x = a, *y = b;

	if (x->ts != y->ts)
		return x->ts < y->ts ? -1 : 1;
	return x->seq - y->seq;
}

/* The baseline's state for one destination address. */
struct ml {
	int64_t	last;
	double	gaps[ML_RING];
	int	n, head, alerted;
};

/* The Maltrail-like rule on one connection start; 1 when it alerts. */
static int
ml_event(struct ml *m, int64_t ts)
{
	double	sum = 0, sq = 0, mean, sd;
	int	i;

	if (m->last == 0 && m->n == 0 && m->head == 0) {
		m->last = ts ? ts : 1;
		return 0;
	}
	m->gaps[m->head] = (ts - m->last) / 1e6;
	m->head = (m->head + 1) % ML_RING;
	if (m->n < ML_RING)
		m->n++;
	m->last = ts;
	if (m->alerted || m->n < ML_MIN_GAPS)
		return 0;
	for (i = 0; i < m->n; i++)
		sum += m->gaps[i];
	mean = sum / m->n;
	for (i = 0; i < m->n; i++)
		sq += (m->gaps[i] - mean) * (m->gaps[i] - mean);
	sd = sqrt(sq / m->n);
	if (mean <= 0 || sd / mean > ML_CV)
		return 0;
	m->alerted = 1;
	return 1;
}

/* One seed of one scenario through the detector and the baseline. */
static void
run(const struct scenario *sc, uint64_t seed, struct outcome *o, int verbose)
{
	static const uint8_t	 appliance[4] = { 10, 0, 0, 5 };
	struct gen		 g;
	struct beacon		*b;
	struct beacon_report	 r;
	struct ml		 ml[MAX_DST];
	size_t			 i;
	int			 seen = 0;
	uint64_t		 x = seed * 1000003 + (uint64_t)(sc - scenarios);

	memset(&g, 0, sizeof(g));
	for (i = 0; i < 4; i++)
		g.s[i] = splitmix64(&x);
	memset(o, 0, sizeof(*o));
	memset(ml, 0, sizeof(ml));
	sc->gen(&g, sc);
	qsort(g.ev, g.n, sizeof(*g.ev), event_cmp);

	b = beacon_new(4096, 1024);
	for (i = 0; i < g.n; i++) {
		const struct event	*e = &g.ev[i];
		const struct dst	*d = &g.dst[e->dst];

		if (e->truth >= 0 && e->truth + 1 > seen)
			seen = e->truth + 1;
		if (d->lookup)
			beacon_beat(b, 4, appliance, NULL, d->name, 0, 0,
			    e->ts, 0, e->bytes);
		else
			beacon_beat(b, 4, appliance, d->addr, d->name, d->asn,
			    d->svc, e->ts, e->quiet, e->bytes);
		if (beacon_alert(b, &r)) {
			if (r.verdict == BEACON_V_STROBE) {
				o->strobes++;
				continue;
			}
			if (o->alerted++ == 0) {
				o->beats = seen;
				o->group = r.group_by;
			}
			if (verbose)
				printf("    alert %s at %.0f s: period %.1f s, "
				    "jitter %.2f, beats %u, missed %u, "
				    "score %.1f, check-ins %d\n",
				    beacon_group_name(r.group_by),
				    e->ts / 1e6, r.period_s, r.jitter, r.beats,
				    r.missed, r.score, seen);
		}
		if (ml_event(&ml[e->dst], e->ts) && o->ml_alerted++ == 0)
			o->ml_beats = seen;
	}
	if (verbose)
		printf("    seed %" PRIu64 ": %zu events, %d check-ins, "
		    "alerts %d strobes %d, baseline %d\n", seed, g.n, g.truth,
		    o->alerted, o->strobes, o->ml_alerted);
	beacon_free(b);
	free(g.ev);
}

/* Sort ints. */
static int
int_cmp(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

/* The median of n ints (sorts them), or -1 for none. */
static double
median(int *v, int n)
{
	if (n == 0)
		return -1;
	qsort(v, (size_t)n, sizeof(*v), int_cmp);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
}

/* Print a median, or "-". */
static void
print_med(double m)
{
	if (m < 0)
		printf(" %6s", "-");
	else
		printf(" %6.1f", m);
}

/* The q-quantile of n sorted ints (nearest rank), or -1 for none. */
static int
quantile(const int *v, int n, double q)
{
	int	k = (int)ceil(q * n);

	if (n == 0)
		return -1;
	return v[k < 1 ? 0 : k > n ? n - 1 : k - 1];
}

/* Check-ins to detect over the runs of one class of regularity. */
struct jdist {
	int	*v;		/* of every run found by the expected grouping */
	int	 n;
	int	 runs;
	int	 within;	/* within the scenario's budget */
};

int
main(int argc, char **argv)
{
	static const char *kinds[] = { "detect", "record", "strobe", "not" };
	static const char *jnames[] = { "jitter <= 5%", "jitter <= 25%",
	    "50% jitter or 30% missed", "both", "wider than 50%",
	    "grouping, mixed, other" };
	static const char *jshort[] = { "j5", "j25", "j50", "both", "wide",
	    "other" };
	const char	*only = NULL;
	struct outcome	 o;
	struct jdist	 jd[J_MAX];
	static int	 beats[MAX_SEEDS], mlb[MAX_SEEDS];
	int		 seeds = MATRIX_SEEDS, c;
	int		*all, *mlall, nall = 0, nmlall = 0, fail = 0;
	int		 runs_det = 0, hit_det = 0, ml_hit_det = 0;
	int		 runs_not = 0, false_alerts = 0, ml_false = 0;
	size_t		 i;
	int		 s, nb, nmb, ok, grp, det, mldet, fa, mlfa, st, j;

	while ((c = getopt(argc, argv, "s:v:")) != -1) {
		switch (c) {
		case 's':
			seeds = atoi(optarg);
			break;
		case 'v':
			only = optarg;
			break;
		default:
			fprintf(stderr, "usage: matrix [-s seeds] [-v name]\n");
			return 2;
		}
	}
	if (seeds < 1 || seeds > MAX_SEEDS)
		return 2;
	all = calloc(NSCENARIOS * (size_t)seeds, sizeof(*all));
	mlall = calloc(NSCENARIOS * (size_t)seeds, sizeof(*mlall));
	if (all == NULL || mlall == NULL)
		return 2;
	memset(jd, 0, sizeof(jd));
	for (j = 0; j < J_MAX; j++)
		if ((jd[j].v = calloc(NSCENARIOS * (size_t)seeds,
		    sizeof(int))) == NULL)
			return 2;
	printf("beacon matrix: %d seeds per scenario, pass = %.0f%% within "
	    "budget (check-ins), no false alert\n", seeds,
	    MATRIX_PASS * 100);
	printf("%-36s %-6s %-5s %6s %5s %6s %6s %4s %5s %5s | %8s %6s %5s\n",
	    "scenario", "expect", "class", "budget", "runs", "found", "median",
	    "p95", "false", "strb", "baseline", "median", "false");
	for (i = 0; i < NSCENARIOS; i++) {
		const struct scenario	*sc = &scenarios[i];
		struct jdist		*d = &jd[sc->jclass];
		int			 verbose = only != NULL &&
		    strncmp(sc->name, only, strlen(only)) == 0;

		if (only != NULL && !verbose)
			continue;
		if (verbose)
			printf("%s:\n", sc->name);
		nb = nmb = grp = det = mldet = fa = mlfa = st = 0;
		for (s = 0; s < seeds; s++) {
			run(sc, (uint64_t)s, &o, verbose);
			st += o.strobes > 0;
			if (sc->kind == K_NOT || sc->kind == K_STROBE) {
				fa += o.alerted > 0;
				mlfa += o.ml_alerted > 0;
				continue;
			}
			d->runs++;
			if (o.alerted && o.group == (int)sc->group) {
				beats[nb++] = o.beats;
				d->v[d->n++] = o.beats;
			}
			if (o.alerted && o.beats <= sc->budget &&
			    o.group == (int)sc->group) {
				det++;
				d->within++;
				all[nall++] = o.beats;
			} else if (verbose)
				printf("    seed %d: MISSED (alerts %d, at %d "
				    "check-ins, by %s)\n", s, o.alerted,
				    o.beats, beacon_group_name(o.group));
			if (o.ml_alerted)
				mlb[nmb++] = o.ml_beats;
			if (o.ml_alerted && o.ml_beats <= sc->budget) {
				mldet++;
				mlall[nmlall++] = o.ml_beats;
			}
		}
		switch (sc->kind) {
		case K_NOT:
			ok = fa == 0;
			runs_not += seeds;
			false_alerts += fa;
			ml_false += mlfa;
			break;
		case K_STROBE:
			ok = fa == 0 && st >= MATRIX_PASS * seeds;
			break;
		default:
			ok = det >= MATRIX_PASS * seeds;
			runs_det += seeds;
			hit_det += det;
			ml_hit_det += mldet;
			break;
		}
		if (!ok)
			fail = 1;
		printf("%-36s %-6s %-5s %6d %5d %6d", sc->name, kinds[sc->kind],
		    sc->kind == K_NOT || sc->kind == K_STROBE ? "-" :
		    jshort[sc->jclass], sc->budget, seeds,
		    sc->kind == K_STROBE ? st : det);
		print_med(median(beats, nb));
		printf(" %4d", quantile(beats, nb, 0.95));
		printf(" %5d %5d | %8d", fa, st, sc->kind == K_NOT ||
		    sc->kind == K_STROBE ? mlfa : mldet);
		print_med(median(mlb, nmb));
		printf(" %5d%s\n", mlfa, ok ? "" : "  FAIL");
	}
	printf("\ncheck-ins to detect by class (runs found by the expected "
	    "grouping, within budget or not):\n");
	printf("  %-26s %5s %7s %6s %4s %4s %4s %6s\n", "class", "runs",
	    "within", "median", "p90", "p95", "max", "never");
	for (j = 0; j < J_MAX; j++) {
		struct jdist	*d = &jd[j];

		if (d->runs == 0)
			continue;
		printf("  %-26s %5d %7d", jnames[j], d->runs, d->within);
		print_med(median(d->v, d->n));
		printf(" %4d %4d %4d %6d\n", quantile(d->v, d->n, 0.90),
		    quantile(d->v, d->n, 0.95), quantile(d->v, d->n, 1.0),
		    d->runs - d->n);
	}
	printf("\ntotals over %d must-detect/record runs and %d must-not runs:\n",
	    runs_det, runs_not);
	printf("  egressd:  detection rate %.1f%%, false alerts %d, median "
	    "check-ins to detect %.1f\n", runs_det ? 100.0 * hit_det /
	    runs_det : 0, false_alerts, median(all, nall));
	printf("  baseline: detection rate %.1f%%, false alerts %d, median "
	    "check-ins to detect %.1f (Maltrail-like: 16 gaps, CV <= 0.2 "
	    "after 8)\n", runs_det ? 100.0 * ml_hit_det / runs_det : 0,
	    ml_false, median(mlall, nmlall));
	printf("beacon matrix: %s\n", fail ? "FAIL" : "pass");
	for (j = 0; j < J_MAX; j++)
		free(jd[j].v);
	free(all);
	free(mlall);
	return fail;
}
