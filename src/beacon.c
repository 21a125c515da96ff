/*
 * Beacon detection: is an appliance calling somewhere on a timer?
 *
 * A series is the sequence of beats from one appliance to one destination,
 * keyed three ways (address, name, ASN).  Events closer than
 * BEACON_MERGE_US (2 s) to the previous event of the series are one beat:
 * a retry, a look-up and its connection, a check-in over 3 connections are
 * RTT-scale apart, and the shortest period we must find, 5 s with 50%
 * jitter, never has a gap under 2.5 s.  A fixed window rather than a
 * fraction of the period, so that what a beat is never depends on an
 * estimate.  The merge is chained, so a burst is one beat however long it
 * lasts; a chain of more than one event a second that is regular (raw gaps
 * with a CV under 0.5) for 60 events and 30 s is a strobe, reported apart.
 *
 * The gaps between beats feed a sequential test.  Each new gap g is judged
 * by two models fitted on the previous BEACON_RING gaps, never on g itself:
 * the test is prequential, so a flexible model gains nothing by fitting
 * the point it is judged on.
 *
 *   H1, a timer.  Period P: the median of the gaps after folding each by
 *   its multiple m = round(g / P) in 1..3 (missed beats), three rounds
 *   from the raw median.  Half-width a: twice the median absolute
 *   deviation of the folded gaps (exact for uniform jitter, what Cobalt
 *   Strike, Empire and Sliver draw), widened by 1 + 1.5/n for the small
 *   samples of a young series, between 3% and 60% of P.  The density is
 *   a mixture over m = 1, 2, 3 of flat-topped bumps
 *   exp(-((g - mP) / (1.1 a sqrt m))^4): uniform jitter has a flat top and
 *   hard edges, where a Gaussian would both waste evidence inside and
 *   forgive gaps outside; weighted (1-q), q(1-q), q^2 by the share q of
 *   folded gaps the fold found missing beats in (2% to 45%).  A 1% share
 *   of the null density stands for gaps no timer explains (an outage, an
 *   extra connection), so such a gap costs log(1/0.01) = 4.6 nats, once.
 *
 *   H0, no timer: the best, at g, of an exponential fit (Poisson arrivals),
 *   a lognormal fit, and an on/off mixture of two lognormals (the sorted
 *   gaps split at their widest ratio: gaps inside sessions, bursts or retry
 *   storms, and the silences between).  Every lognormal spread is at least
 *   sigma0 = 1, a factor e per standard deviation.  The floor is the line
 *   between the hypotheses: a lognormal narrower than that is itself a
 *   jittered timer (uniform 50% jitter has a log spread of 0.2 to 0.3),
 *   and a null allowed to take it would call every timer random.
 *
 * The log-likelihood ratio of each gap, capped at +4 nats so that a few
 * lucky gaps cannot decide, less a reference value of 0.1 nat, drives a
 * CUSUM S = max(0, S + llr - 0.1) (Page's test: it forgets old evidence
 * against a timer, so a beacon that starts in the middle of other traffic
 * or comes back after an outage is found as quickly as a new one; the
 * reference value keeps a process that H1 fits only marginally better than
 * H0 from creeping up).  A series is periodic when S reaches 16 nats, the
 * evidence spans at least 2 minutes of packet time (a retry loop that gives
 * up within a minute or two is not a beacon), and at most one of the last
 * gaps is a silence no period explains (over 3.5 periods): an outage now
 * and then, or a night, is a timer that paused, but one every few beats is
 * retries that come in storms at random times, whose attempts are tight
 * but whose silences only cost 4.6 nats each.  Under a well-fitted
 * null an excursion crosses 16 nats with probability about e^-16: one
 * false series in ~10^7 gaps.  Regular sizes (bytes per beat within about
 * 10% over 8 beats or more) lower the threshold to 12: they raise
 * confidence, and cannot stand in for timing, which must still bring 12.
 *
 * What it costs, measured by tests/beacon/matrix over 1000 seeds: a tight
 * timer is found at its 9th or 10th beat (4 gaps before scoring, then
 * about 4 nats a gap); 25% jitter in about 14; 50% uniform jitter in
 * about 21, and with 30% of the beats missed as well in about 54 (95% by
 * 143); periods under 10 s need 2 minutes.  Where it stops: gaps spread
 * less than a factor of about e but with no period (a gamma of shape 4,
 * human think times with a log spread under 0.8) sit between H0 and H1;
 * a deterministic retry loop that lasts is a timer and is called one.
 *
 * State per series is fixed: the last 16 gaps in milliseconds, kept in
 * ascending order with 4 bits each for their arrival (gapwin.h), the
 * running test and the report figures, 256 bytes with its bucket pointer
 * on LP64 (beacon_series_size()).  A global cap and a per-appliance cap
 * bound the table, least recently used out first.
 * Packet time is the only clock, and no result depends on the random hash
 * key: a capture always gives the same verdicts.
 */
#include "config.h"

#include <sys/queue.h>

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "beacon.h"
#include "bitfilter.h"
#include "gapwin.h"
#include "hash.h"
#include "xmalloc.h"

#define BEACON_NMIN		4	/* gaps kept before scoring */
#define BEACON_THRESH		16.0	/* nats */
#define BEACON_TMIN		120	/* s the evidence must span */
#define BEACON_BREAKS		1	/* silences past 3 periods among the
					   last gaps, at most, to be found */
#define BEACON_THRESH_SIZE	12.0	/* nats, when sizes are regular */
#define BEACON_SIZE_SD		0.10	/* log-size spread called regular */
#define BEACON_SIZE_MIN		8	/* beats with sizes before it counts */
#define BEACON_LLR_MAX		4.0	/* nats, per gap */
#define BEACON_DRIFT		0.1	/* nats, CUSUM reference value */
#define BEACON_EPS		0.01	/* share of the null in H1 */
#define BEACON_SIGMA0		1.0	/* least lognormal spread of H0 */
#define BEACON_MMAX		3	/* missed beats: gaps up to 3 periods */
#define BEACON_A_MIN		0.03	/* half-width bounds, of the period */
#define BEACON_A_MIN_S		0.02	/* s */
#define BEACON_A_MAX		0.60
#define BEACON_A_SHAPE		1.1	/* bump scale over the half-width */
#define BEACON_Q_MIN		0.02
#define BEACON_Q_MAX		0.45
#define BEACON_GAMMA_5_4	0.9064024770554771	/* Gamma(5/4) */
#define BEACON_STROBE_EVENTS	60
#define BEACON_STROBE_SPAN	(30 * 1000000LL)
#define BEACON_STROBE_CV	0.5
#define BEACON_MIN_BUCKETS	1024
#define BEACON_FIRST_SETS	65536	/* first sightings: 2 ways each */

#define BEACON_F_REPORTED	0x01	/* alerted, or covered by an alert */

_Static_assert(BEACON_RING == GAPWIN_N, "gapwin keeps the gaps");

struct beacon_appliance;

/* One series: 248 bytes on LP64, plus a bucket pointer. */
struct beacon_series {
	/* What a look-up compares, in the first cache line. */
	struct beacon_series		*hnext;
	struct beacon_appliance		*appliance;
	uint8_t				 key[16];
	uint8_t				 group;
	uint8_t				 verdict;
	uint8_t				 flags;
	uint8_t				 size_n;	/* beats with sizes, to 255 */

	uint16_t			 chain_events;
	TAILQ_ENTRY(beacon_series)	 lru;		/* global, oldest first */
	TAILQ_ENTRY(beacon_series)	 appliance_lru;	/* the appliance's */
	int64_t				 first_seen;
	int64_t				 beat_start;	/* of the current beat */
	int64_t				 last_event;
	struct gapwin			 gaps;		/* the last, ms */
	uint8_t				 addr[16];	/* last destination */
	float				 period;	/* s */
	float				 width;		/* half-width, s */
	float				 cusum;		/* nats */
	float				 peak;		/* highest cusum */
	float				 size_mean;	/* log bytes per beat */
	float				 size_var;
	float				 chain_mean;	/* raw gaps in this beat, s */
	float				 chain_m2;
	uint32_t			 periodic_since;	/* s after first */
	uint32_t			 run_start;	/* s after first: evidence */

	uint32_t			 beats;
	uint32_t			 missed;
	uint32_t			 events;
	uint32_t			 beat_bytes;
};

TAILQ_HEAD(beacon_list, beacon_series);

/* An appliance: its series, for the per-appliance cap. */
struct beacon_appliance {
	struct beacon_appliance	*hnext;
	struct beacon_list	 series;	/* oldest first */
	size_t			 count;
	uint8_t			 af;
	uint8_t			 addr[16];
};

/*
 * A first sighting: most (appliance, destination) pairs are seen once and
 * never again, so a series is made only when its key comes back; until
 * then the first event waits here.  Two-way sets placed by a hash with a
 * fixed key, so what is kept never depends on a random key (the
 * detector's results stay the same run to run); the older of a set gives
 * way.
 */
struct beacon_first {
	uint64_t	tag;		/* 0: empty */
	int64_t		ts;
	uint32_t	bytes;
};

struct beacon {
	struct hash_key		  hkey;
	struct bitfilter	  filter;	/* of the series that exist */
	struct beacon_first	 *first;	/* BEACON_FIRST_SETS * 2 */
	struct beacon_series	**buckets;
	size_t			  nbuckets;
	struct beacon_appliance	**abuckets;
	size_t			  nabuckets;
	size_t			  nappliances;
	struct beacon_list	  lru;
	size_t			  count, max, max_appliance;
	struct beacon_appliance	 *cur_appliance;	/* pinned during a beat */
	struct beacon_report	  pending;
	int			  has_pending;
	struct beacon_stats	  stats;
};

/* The H1 and H0 fits of the gaps kept. */
struct beacon_fit {
	double	period;		/* s */
	double	width;		/* half-width a, s */
	double	w[BEACON_MMAX];	/* weights of 1, 2, 3 periods */
	double	exp_mean;	/* s */
	double	ln_mu, ln_sd;
	int	onoff;		/* the on/off mixture below is fitted */
	double	on_w, on_mu, on_sd;	/* short gaps: within sessions */
	double	off_mu, off_sd;		/* long gaps: between them */
};

/* A table of at most max series, at most max_appliance per appliance. */
struct beacon *
beacon_new(size_t max, size_t max_appliance)
{
	struct beacon	*b;

	b = xcalloc(1, sizeof(*b));
	hash_key_random(&b->hkey);
	b->max = max >= 3 ? max : 3;
	b->max_appliance = max_appliance >= 3 ? max_appliance : 3;
	b->nbuckets = BEACON_MIN_BUCKETS;
	b->buckets = xcalloc(b->nbuckets, sizeof(*b->buckets));
	b->nabuckets = BEACON_MIN_BUCKETS;
	bitfilter_init(&b->filter);
	b->abuckets = xcalloc(b->nabuckets, sizeof(*b->abuckets));
	TAILQ_INIT(&b->lru);
	return b;
}

/* Free the table. */
void
beacon_free(struct beacon *b)
{
	struct beacon_series	*s;
	struct beacon_appliance	*a, *next;
	size_t			 i;

	if (b == NULL)
		return;
	while ((s = TAILQ_FIRST(&b->lru)) != NULL) {
		TAILQ_REMOVE(&b->lru, s, lru);
		free(s);
	}
	for (i = 0; i < b->nabuckets; i++)
		for (a = b->abuckets[i]; a != NULL; a = next) {
			next = a->hnext;
			free(a);
		}
	free(b->abuckets);
	free(b->buckets);
	bitfilter_free(&b->filter);
	free(b->first);
	free(b);
}

/* Counters. */
const struct beacon_stats *
beacon_stats(const struct beacon *b)
{
	return &b->stats;
}

/* Bytes a series costs: its state and its share of the bucket array. */
size_t
beacon_series_size(void)
{
	return sizeof(struct beacon_series) + sizeof(struct beacon_series *);
}

/* The word for a grouping, as alerts and the summary spell it. */
const char *
beacon_group_name(enum beacon_group g)
{
	switch (g) {
	case BEACON_G_ADDRESS:
		return "address";
	case BEACON_G_NAME:
		return "name";
	case BEACON_G_ASN:
		return "asn";
	default:
		return "?";
	}
}

/*
 * A name case folded (DNS names are case-blind) into buf, its first
 * BEACON_NAME_FOLD bytes: what its hashes are of.  Returns the length.
 */
#define BEACON_NAME_FOLD	256
static size_t
beacon_name_fold(const char *name, char *buf)
{
	size_t	i;

	for (i = 0; name[i] != '\0' && i < BEACON_NAME_FOLD; i++)
		buf[i] = (char)tolower((unsigned char)name[i]);
	return i;
}

/* The keyed hash of a name, case folded: what keys its series. */
uint64_t
beacon_name_hash(const struct beacon *b, const char *name)
{
	char	buf[BEACON_NAME_FOLD];

	return hash_fast(&b->hkey, buf, beacon_name_fold(name, buf));
}

/* The bucket of an appliance. */
static struct beacon_appliance **
beacon_appliance_bucket(struct beacon *b, uint8_t af, const uint8_t *addr)
{
	uint64_t	w[3];

	hash_addr_words(af, addr, w);
	w[2] = af;
	return &b->abuckets[hash_fast_w(&b->hkey, w, 3) & (b->nabuckets - 1)];
}

/* Are 16 bytes the same? */
static int
beacon_same16(const uint8_t *x, const uint8_t *y)
{
	return hash_load64(x) == hash_load64(y) &&
	    hash_load64(x + 8) == hash_load64(y + 8);
}

/* Find an appliance, or NULL. */
static struct beacon_appliance *
beacon_appliance_find(struct beacon *b, uint8_t af, const uint8_t *addr)
{
	struct beacon_appliance	*a;
	uint64_t		 w[2], aw[2];

	hash_addr_words(af, addr, w);
	for (a = *beacon_appliance_bucket(b, af, addr); a != NULL; a = a->hnext) {
		if (a->af != af)
			continue;
		hash_addr_words(af, a->addr, aw);
		if (aw[0] == w[0] && aw[1] == w[1])
			return a;
	}
	return NULL;
}

/* Double the appliance buckets. */
static void
beacon_appliance_grow(struct beacon *b)
{
	struct beacon_appliance	**old = b->abuckets, *a, *next, **pp;
	size_t			  i, n = b->nabuckets;

	b->nabuckets *= 2;
	b->abuckets = xcalloc(b->nabuckets, sizeof(*b->abuckets));
	for (i = 0; i < n; i++)
		for (a = old[i]; a != NULL; a = next) {
			next = a->hnext;
			pp = beacon_appliance_bucket(b, a->af, a->addr);
			a->hnext = *pp;
			*pp = a;
		}
	free(old);
}

/* Find or add an appliance. */
static struct beacon_appliance *
beacon_appliance_get(struct beacon *b, uint8_t af, const uint8_t *addr)
{
	struct beacon_appliance	*a, **pp;

	if ((a = beacon_appliance_find(b, af, addr)) != NULL)
		return a;
	if (b->nappliances >= b->nabuckets)
		beacon_appliance_grow(b);
	a = xcalloc(1, sizeof(*a));
	a->af = af;
	memcpy(a->addr, addr, af == 4 ? 4 : 16);
	TAILQ_INIT(&a->series);
	pp = beacon_appliance_bucket(b, af, addr);
	a->hnext = *pp;
	*pp = a;
	b->nappliances++;
	return a;
}

/* Unlink and free an appliance that has no series left. */
static void
beacon_appliance_remove(struct beacon *b, struct beacon_appliance *a)
{
	struct beacon_appliance	**pp;

	for (pp = beacon_appliance_bucket(b, a->af, a->addr); *pp != a;
	    pp = &(*pp)->hnext)
		;
	*pp = a->hnext;
	free(a);
	b->nappliances--;
}

/*
 * What places a series and a first sighting, as the words hash_fast_w
 * takes: the appliance's address (2), the series key (2), then family and
 * grouping.  It needs no look-up, so that every look-up of a beat can be
 * placed (and its cache lines fetched) before the appliance is found.
 */
static void
beacon_skey(uint8_t af, const uint8_t *appliance, uint8_t group,
    const uint64_t kw[2], uint64_t sw[5])
{
	hash_addr_words(af, appliance, sw);
	sw[2] = kw[0];
	sw[3] = kw[1];
	sw[4] = (uint64_t)af | (uint64_t)group << 8;
}

/* The hash of a series that exists: its low bits place it, its top in the filter. */
static uint64_t
beacon_series_hash(const struct beacon *b, const struct beacon_series *s)
{
	uint64_t	kw[2] = { hash_load64(s->key), hash_load64(s->key + 8) };
	uint64_t	sw[5];

	beacon_skey(s->appliance->af, s->appliance->addr, s->group, kw, sw);
	return hash_fast_w(&b->hkey, sw, 5);
}

/* The bucket of a series that exists. */
static struct beacon_series **
beacon_series_bucket(struct beacon *b, const struct beacon_series *s)
{
	return &b->buckets[beacon_series_hash(b, s) & (b->nbuckets - 1)];
}

/*
 * Rebuild the filter of the series that exist from the live series (most
 * beats are of keys with no series yet, seen once or never again, and the
 * filter answers those without a walk of the table).
 */
static void
beacon_filter_rebuild(struct beacon *b)
{
	struct beacon_series	*s;

	bitfilter_clear(&b->filter);
	TAILQ_FOREACH(s, &b->lru, lru)
		bitfilter_add(&b->filter, beacon_series_hash(b, s));
}

/* Find a series of hash h, or NULL. */
static struct beacon_series *
beacon_find(struct beacon *b, struct beacon_appliance *a, uint8_t group,
    const uint8_t *key, uint64_t h)
{
	struct beacon_series	*s;

	if (!bitfilter_maybe(&b->filter, h))
		return NULL;
	for (s = b->buckets[h & (b->nbuckets - 1)]; s != NULL; s = s->hnext)
		if (s->appliance == a && s->group == group &&
		    beacon_same16(s->key, key))
			return s;
	return NULL;
}

/* Unlink and free a series (and its appliance when it was the last). */
static void
beacon_remove(struct beacon *b, struct beacon_series *s)
{
	struct beacon_series	**pp;
	struct beacon_appliance	 *a = s->appliance;

	for (pp = beacon_series_bucket(b, s); *pp != s;
	    pp = &(*pp)->hnext)
		;
	*pp = s->hnext;
	TAILQ_REMOVE(&b->lru, s, lru);
	TAILQ_REMOVE(&a->series, s, appliance_lru);
	free(s);
	b->count--;
	b->stats.series--;
	if (--a->count == 0 && a != b->cur_appliance)
		beacon_appliance_remove(b, a);
}

/* Double the series buckets. */
static void
beacon_grow(struct beacon *b)
{
	struct beacon_series	*s, **pp;

	free(b->buckets);
	b->nbuckets *= 2;
	b->buckets = xcalloc(b->nbuckets, sizeof(*b->buckets));
	TAILQ_FOREACH(s, &b->lru, lru) {
		pp = beacon_series_bucket(b, s);
		s->hnext = *pp;
		*pp = s;
	}
}

/* The fixed key that places first sightings. */
static const struct hash_key beacon_first_key = {
	0x6567726573736430ULL, 0x6669727374736565ULL
};

/* The two-way set of a first-sighting tag. */
static struct beacon_first *
beacon_first_set(struct beacon *b, uint64_t tag)
{
	return &b->first[(tag >> 32) % BEACON_FIRST_SETS * 2];
}

/*
 * A key with no series yet: the first time (or again after its sighting
 * gave way), remember the event and return 0; the second time, return 1
 * with the first event in *ts and *bytes, and forget it.
 */
static int
beacon_first_seen(struct beacon *b, uint64_t tag, int64_t *ts,
    uint64_t *bytes)
{
	struct beacon_first	*set, *w;

	if (b->first == NULL)		/* made when first needed */
		b->first = xcalloc((size_t)BEACON_FIRST_SETS * 2,
		    sizeof(*b->first));
	set = beacon_first_set(b, tag);
	w = set[0].tag == tag ? &set[0] : set[1].tag == tag ? &set[1] : NULL;
	if (w != NULL) {
		*ts = w->ts;
		*bytes = w->bytes;
		w->tag = 0;
		return 1;
	}
	w = set[0].tag == 0 ? &set[0] : set[1].tag == 0 ? &set[1] :
	    set[0].ts <= set[1].ts ? &set[0] : &set[1];
	if (w->tag != 0)
		b->stats.first_lost++;
	w->tag = tag;
	w->ts = *ts;
	w->bytes = *bytes > UINT32_MAX ? UINT32_MAX : (uint32_t)*bytes;
	b->stats.first_seen++;
	return 0;
}

/* A series is used: the most recently used, globally and of its appliance. */
static void
beacon_touch(struct beacon *b, struct beacon_appliance *a, struct beacon_series *s)
{
	TAILQ_REMOVE(&b->lru, s, lru);
	TAILQ_INSERT_TAIL(&b->lru, s, lru);
	TAILQ_REMOVE(&a->series, s, appliance_lru);
	TAILQ_INSERT_TAIL(&a->series, s, appliance_lru);
}

/* Add a series, most recently used; evicts to stay in caps. */
static struct beacon_series *
beacon_create(struct beacon *b, struct beacon_appliance *a, uint8_t group,
    const uint8_t *key, uint64_t h)
{
	struct beacon_series	*s, **pp;

	if (a->count >= b->max_appliance) {
		beacon_remove(b, TAILQ_FIRST(&a->series));
		b->stats.evicted_appliance++;
	}
	if (b->count >= b->max) {
		beacon_remove(b, TAILQ_FIRST(&b->lru));
		b->stats.evicted++;
	}
	if (b->count >= b->nbuckets)
		beacon_grow(b);
	s = xcalloc(1, sizeof(*s));
	s->appliance = a;
	s->group = group;
	memcpy(s->key, key, 16);
	pp = &b->buckets[h & (b->nbuckets - 1)];
	s->hnext = *pp;
	*pp = s;
	TAILQ_INSERT_TAIL(&b->lru, s, lru);
	TAILQ_INSERT_TAIL(&a->series, s, appliance_lru);
	a->count++;
	b->count++;
	b->stats.series++;
	b->stats.created++;
	bitfilter_add(&b->filter, h);
	if (bitfilter_stale(&b->filter, b->count))
		beacon_filter_rebuild(b);
	return s;
}

/* The median of n sorted values. */
static double
beacon_median_sorted(const double *v, int n)
{
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* How many periods a gap spans, or 0 when no multiple in 1..3 explains it. */
static int
beacon_multiple(double g, double period)
{
	double	r = g / period;
	int	m;

	if (r < 0.4 || r > BEACON_MMAX + 0.5)
		return 0;
	m = (int)(r + 0.5);
	return m < 1 ? 1 : m;
}

/* Mean and spread of the logs [from, to) from their prefix sums. */
static void
beacon_lnfit(const double *sum, const double *sq, int from, int to,
    double *mu, double *sd)
{
	double	n = to - from, var;

	*mu = (sum[to] - sum[from]) / n;
	var = (sq[to] - sq[from]) / n - *mu * *mu;
	*sd = var > 0 ? sqrt(var) : 0;
}

/*
 * The nulls from the sorted gaps v: exponential, lognormal, and on/off:
 * the gaps split at their widest ratio (at least two on each side) into
 * short ones (inside sessions, bursts, storms) and long ones (between
 * them), a lognormal each.
 */
static void
beacon_fit_null(const double *v, int n, struct beacon_fit *f)
{
	double	sum[BEACON_RING + 1], sq[BEACON_RING + 1], l, lin = 0;
	double	best = 0, r;
	int	i, cut = 0;

	sum[0] = sq[0] = 0;
	for (i = 0; i < n; i++) {
		lin += v[i];
		l = log(v[i]);
		sum[i + 1] = sum[i] + l;
		sq[i + 1] = sq[i] + l * l;
	}
	f->exp_mean = lin / n;
	beacon_lnfit(sum, sq, 0, n, &f->ln_mu, &f->ln_sd);
	for (i = 2; i <= n - 2; i++)
		if ((r = v[i] / v[i - 1]) > best) {
			best = r;
			cut = i;
		}
	f->onoff = cut > 0;
	if (!f->onoff) {
		f->on_w = f->on_mu = f->on_sd = f->off_mu = f->off_sd = 0;
		return;
	}
	f->on_w = (double)cut / n;
	beacon_lnfit(sum, sq, 0, cut, &f->on_mu, &f->on_sd);
	beacon_lnfit(sum, sq, cut, n, &f->off_mu, &f->off_sd);
}

/*
 * The median of |v[i] - c| over sorted v, c its median: the deviations
 * either side of c are each sorted, so merging them from c outwards
 * gives them in order, and the median is halfway.  v[-1] and v[n] are
 * -inf and +inf, so that a side that runs out is never taken.
 */
static double
beacon_mad_sorted(const double *v, int n, double c)
{
	double	d[BEACON_RING], x, y;
	int	lo = (n - 1) / 2, hi = lo + 1, i, left;

	for (i = 0; i <= n / 2; i++) {
		x = c - v[lo];
		y = v[hi] - c;
		left = x <= y;
		d[i] = left ? x : y;
		lo -= left;
		hi += !left;
	}
	return beacon_median_sorted(d, n);
}

/*
 * Merge ascending runs a (na values) and b (nb values) into out; returns
 * na + nb.
 */
static int
beacon_merge(const double *a, int na, const double *b, int nb, double *out)
{
	int	i = 0, j = 0, o = 0;

	while (i < na && j < nb)
		out[o++] = b[j] < a[i] ? b[j++] : a[i++];
	while (i < na)
		out[o++] = a[i++];
	while (j < nb)
		out[o++] = b[j++];
	return o;
}

/*
 * Fit H1 (a timer with missed beats) and H0 to the gaps kept, which are
 * in ascending order.
 */
static void
beacon_fit(const struct beacon_series *s, struct beacon_fit *f)
{
	double	g[BEACON_RING], vs[BEACON_RING + 2], t[BEACON_RING];
	double	run[BEACON_RING], *v = vs + 1;	/* v[-1], v[nf]: see mad */
	double	period, a, q, l;
	int	len[BEACON_MMAX + 2], was[BEACON_MMAX + 2], i, n = s->gaps.n;
	int	nf, k = 0, it, m, at;

	for (i = 0; i < n; i++)
		g[i] = s->gaps.v[i] / 1000.0;
	beacon_fit_null(g, n, f);
	period = beacon_median_sorted(g, n);
	memcpy(v, g, (size_t)n * sizeof(*v));
	v[-1] = -INFINITY;
	nf = n;
	v[nf] = INFINITY;
	/*
	 * Fold by multiples and take the median, until the folding holds;
	 * v stays the sorted folded gaps.  The multiple of a gap never falls
	 * as the gap grows, until the gaps too long for any (0 again): so
	 * the gaps of each multiple are a stretch of the sorted gaps, and
	 * their folds sorted runs to merge, not a list to sort again; and
	 * the lengths of the stretches say the whole folding (len[0] the
	 * gaps too short, or all of them when none has a multiple; those
	 * too long are the rest).  Gaps are 2 s or more, so the period is
	 * never 0.  Unfolded, every gap is of multiple 1.  (A gap of
	 * exactly 3.5 periods rounds to a multiple of 4: a run of its own.)
	 */
	memset(was, 0, sizeof(was));
	was[1] = n;
	for (it = 0; it < 3; it++) {
		memset(len, 0, sizeof(len));
		for (i = 0; i < n; i++) {
			m = beacon_multiple(g[i], period);
			len[m] += m > 0 || i == len[0];
		}
		k = len[2] + len[3] + len[4];
		if (memcmp(len, was, sizeof(len)) == 0)
			break;
		memcpy(was, len, sizeof(was));
		/* The runs of multiples 2 to 4 merged into that of 1, if any. */
		memcpy(v, g + len[0], (size_t)len[1] * sizeof(*v));
		nf = len[1];
		/* (m = 4: a gap of exactly 3.5 periods) */
		for (m = 2, at = len[0] + len[1]; m <= BEACON_MMAX + 1;
		    at += len[m++]) {
			if (len[m] == 0)
				continue;
			for (i = 0; i < len[m]; i++)
				run[i] = g[at + i] / m;
			memcpy(t, v, (size_t)nf * sizeof(*t));
			nf = beacon_merge(t, nf, run, len[m], v);
		}
		v[nf] = INFINITY;
		if (nf == 0)
			break;
		period = beacon_median_sorted(v, nf);
	}
	if (nf > 0)
		/* 2 MAD, widened for small samples (n = 4: by 38%). */
		a = 2 * beacon_mad_sorted(v, nf, period) * (1 + 1.5 / nf);
	else
		a = BEACON_A_MAX * period;
	if (a < BEACON_A_MIN * period)
		a = BEACON_A_MIN * period;
	if (a < BEACON_A_MIN_S)
		a = BEACON_A_MIN_S;
	if (a > BEACON_A_MAX * period)
		a = BEACON_A_MAX * period;
	q = (k + 0.5) / (nf + 1.0);
	if (q < BEACON_Q_MIN)
		q = BEACON_Q_MIN;
	if (q > BEACON_Q_MAX)
		q = BEACON_Q_MAX;
	f->period = period;
	f->width = a;
	f->w[0] = 1 - q;
	f->w[1] = q * (1 - q);
	f->w[2] = q * q;
	l = f->w[0] + f->w[1] + f->w[2];
	for (i = 0; i < BEACON_MMAX; i++)
		f->w[i] /= l;
}

/* The density of a gap under H1, the timer, without the null share. */
static double
beacon_p1(const struct beacon_fit *f, double g)
{
	double	p = 0, al, z;
	int	m;

	for (m = 1; m <= BEACON_MMAX; m++) {
		al = BEACON_A_SHAPE * f->width * sqrt(m);
		z = (g - m * f->period) / al;
		z *= z;
		if (z > 8)	/* e^-64: nothing */
			continue;
		p += f->w[m - 1] * exp(-z * z) / (2 * al * BEACON_GAMMA_5_4);
	}
	return p;
}

/* A lognormal density at g (lg its log), its spread at least BEACON_SIGMA0. */
static double
beacon_lognormal(double g, double lg, double mu, double sd)
{
	double	z;

	if (sd < BEACON_SIGMA0)
		sd = BEACON_SIGMA0;
	z = (lg - mu) / sd;
	return exp(-z * z / 2) / (g * sd * sqrt(2 * M_PI));
}

/* The density of a gap under H0: the best of its three fits. */
static double
beacon_p0(const struct beacon_fit *f, double g)
{
	double	p, q, lg = log(g);

	p = exp(-g / f->exp_mean) / f->exp_mean;
	if ((q = beacon_lognormal(g, lg, f->ln_mu, f->ln_sd)) > p)
		p = q;
	if (f->onoff && (q = f->on_w * beacon_lognormal(g, lg, f->on_mu,
	    f->on_sd) + (1 - f->on_w) * beacon_lognormal(g, lg, f->off_mu,
	    f->off_sd)) > p)
		p = q;
	return p;
}

/* Are the bytes per beat regular enough to lower the threshold? */
static int
beacon_sizes_regular(const struct beacon_series *s)
{
	return s->size_n >= BEACON_SIZE_MIN &&
	    sqrt(s->size_var) <= BEACON_SIZE_SD;
}

/* Seconds from a series' first beat to ts (136 years fit). */
static uint32_t
beacon_secs(const struct beacon_series *s, int64_t ts)
{
	int64_t	d = (ts - s->first_seen) / 1000000;

	return d < 0 ? 0 : d > UINT32_MAX ? UINT32_MAX : (uint32_t)d;
}

/*
 * Silences no timer of period p explains (longer than 3.5 periods) among
 * the last gaps and the new one, gms: an outage now and then is a timer
 * that paused, but one every few beats is something else, such as
 * retries that come in storms at random times.
 */
static int
beacon_ring_breaks(const struct beacon_series *s, double p, uint32_t gms)
{
	double	lim = 3.5 * p * 1000;
	int	i, n = gms > lim;

	for (i = 0; i < s->gaps.n; i++)
		n += s->gaps.v[i] > lim;
	return n;
}

/* Judge a new gap (ms); 1 when it makes the series periodic. */
static int
beacon_score(struct beacon_series *s, uint32_t gms, int64_t ts)
{
	struct beacon_fit	f;
	double			g = gms / 1000.0, p0, llr, thresh;
	int			m, newly = 0;

	if (s->gaps.n >= BEACON_NMIN) {
		beacon_fit(s, &f);
		p0 = beacon_p0(&f, g);
		llr = log((1 - BEACON_EPS) * beacon_p1(&f, g) / p0 +
		    BEACON_EPS);
		if (llr > BEACON_LLR_MAX)
			llr = BEACON_LLR_MAX;
		llr -= BEACON_DRIFT;
		if (s->cusum <= 0 && llr > 0)
			s->run_start = beacon_secs(s, s->beat_start);
		s->cusum = s->cusum + llr > 0 ? s->cusum + llr : 0;
		if (s->cusum > s->peak)
			s->peak = s->cusum;
		if (s->verdict != BEACON_V_STROBE) {
			s->period = f.period;
			s->width = f.width;
		}
		m = (int)(g / f.period + 0.5);
		if (m >= 2)
			s->missed += m - 1;
		thresh = beacon_sizes_regular(s) ? BEACON_THRESH_SIZE :
		    BEACON_THRESH;
		if (s->verdict == BEACON_V_NONE && s->cusum >= thresh &&
		    beacon_secs(s, ts) - s->run_start >= BEACON_TMIN &&
		    beacon_ring_breaks(s, f.period, gms) <= BEACON_BREAKS) {
			s->verdict = BEACON_V_PERIODIC;
			s->periodic_since = beacon_secs(s, ts);
			newly = 1;
		}
	}
	gapwin_add(&s->gaps, gms);
	return newly;
}

/* Close the current beat: its bytes join the size statistics. */
static void
beacon_close_beat(struct beacon_series *s)
{
	double	x, d, w;

	if (s->beat_bytes == 0)
		return;
	x = log((double)s->beat_bytes);
	if (s->size_n < 255)
		s->size_n++;
	/* A mean and variance over about the last 16 beats. */
	w = 1.0 / (s->size_n < 16 ? s->size_n : 16);
	d = x - s->size_mean;
	s->size_mean += (float)(w * d);
	s->size_var = (float)((1 - w) * (s->size_var + w * d * d));
}

/* One more event inside the current beat; 1 when it makes a strobe. */
static int
beacon_chain(struct beacon_series *s, int64_t dt)
{
	double	x = dt / 1e6, d, mean, sd;
	int	n;

	if (s->chain_events < UINT16_MAX)
		s->chain_events++;
	n = s->chain_events - 1;	/* raw gaps */
	d = x - s->chain_mean;
	s->chain_mean += (float)(d / n);
	s->chain_m2 += (float)(d * (x - s->chain_mean));
	if (s->verdict != BEACON_V_NONE || n + 1 < BEACON_STROBE_EVENTS ||
	    s->last_event - s->beat_start < BEACON_STROBE_SPAN)
		return 0;
	mean = s->chain_mean;
	sd = sqrt(s->chain_m2 / (n - 1));
	if (mean >= 1.0 || sd > BEACON_STROBE_CV * mean)
		return 0;
	s->verdict = BEACON_V_STROBE;
	s->period = mean;
	s->width = sd;
	s->periodic_since = beacon_secs(s, s->last_event);
	return 1;
}

/* An event of a series; 1 when it changed the verdict. */
static int
beacon_event(struct beacon_series *s, int64_t ts, uint64_t bytes)
{
	int64_t		dt, gap;
	uint32_t	add = bytes > UINT32_MAX ? UINT32_MAX : (uint32_t)bytes;
	int		newly;

	s->events++;
	if (s->beats == 0) {
		s->first_seen = s->beat_start = s->last_event = ts;
		s->beats = 1;
		s->beat_bytes = add;
		s->chain_events = 1;
		return 0;
	}
	dt = ts - s->last_event;
	if (dt <= BEACON_MERGE_US) {
		if (dt < 0)
			dt = 0;
		else
			s->last_event = ts;
		s->beat_bytes = UINT32_MAX - s->beat_bytes < add ?
		    UINT32_MAX : s->beat_bytes + add;
		return beacon_chain(s, dt);
	}
	beacon_close_beat(s);
	gap = (ts - s->beat_start) / 1000;
	newly = beacon_score(s, gap > UINT32_MAX ? UINT32_MAX : (uint32_t)gap,
	    ts);
	s->beat_start = s->last_event = ts;
	s->beats++;
	s->beat_bytes = add;
	s->chain_events = 1;
	s->chain_mean = s->chain_m2 = 0;
	return newly;
}

/* Fill a report from a series. */
static void
beacon_fill(const struct beacon_series *s, struct beacon_report *r)
{
	memset(r, 0, sizeof(*r));
	r->group_by = s->group;
	r->verdict = s->verdict;
	r->af = s->appliance->af;
	memcpy(r->appliance, s->appliance->addr, sizeof(r->appliance));
	memcpy(r->addr, s->addr, sizeof(r->addr));
	if (s->group == BEACON_G_NAME)
		memcpy(&r->name_hash, s->key, sizeof(r->name_hash));
	else if (s->group == BEACON_G_ASN)
		memcpy(&r->asn, s->key, sizeof(r->asn));
	r->period_s = s->period;
	if (s->verdict == BEACON_V_STROBE)
		r->jitter = s->period > 0 ? s->width / s->period : 0;
	else
		r->jitter = s->period > 0 ?
		    2 * s->width / (s->period + s->width) : 0;
	r->score = s->peak;
	r->size_cv = s->size_n >= 2 ? sqrt(s->size_var) : -1;
	r->beats = s->beats;
	r->missed = s->missed;
	r->events = s->events;
	r->first_seen = s->first_seen;
	r->last_seen = s->last_event;
	r->periodic_since = s->first_seen + s->periodic_since * 1000000LL;
}

/*
 * The key bytes of a series of one grouping, and its words; for a name,
 * also (fixed, when not NULL) its hash under the fixed key, from the same
 * folding.
 */
static void
beacon_key(const struct beacon *b, enum beacon_group g, uint8_t af,
    const uint8_t *dst, const char *name, uint32_t asn, uint8_t *key,
    uint64_t *kw, uint64_t *fixed)
{
	char		buf[BEACON_NAME_FOLD];
	uint64_t	h = 0;
	size_t		n;

	memset(key, 0, 16);
	switch (g) {
	case BEACON_G_ADDRESS:
		memcpy(key, dst, af == 4 ? 4 : 16);
		hash_addr_words(af, dst, kw);
		return;
	case BEACON_G_NAME:
		n = beacon_name_fold(name, buf);
		h = hash_fast(&b->hkey, buf, n);
		if (fixed != NULL)
			*fixed = hash_fast(&beacon_first_key, buf, n);
		memcpy(key, &h, sizeof(h));
		break;
	default:
		memcpy(key, &asn, sizeof(asn));
		h = asn;
		break;
	}
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	kw[0] = hash_load64(key);	/* native bytes: read them back */
#else
	kw[0] = h;			/* its bytes, as the key holds them */
#endif
	kw[1] = 0;
}

/*
 * A beat from an appliance to a destination, at packet time ts (us), with
 * the bytes the appliance sent.  Updates the address series when dst is
 * not NULL, the name series when name is not NULL or empty, and the ASN
 * series when asn is not 0.  Leaves for beacon_alert() the alert this beat raises, if any: the
 * most specific series it made periodic (or a strobe) for the first time,
 * unless a more specific series of the same beat has already alerted (the
 * same beacon, seen more coarsely).
 */
void
beacon_beat(struct beacon *b, uint8_t af, const uint8_t *appliance,
    const uint8_t *dst, const char *name, uint32_t asn, int64_t ts,
    uint64_t bytes)
{
	struct beacon_series	*s[BEACON_G_MAX];
	struct beacon_appliance	*a;
	uint8_t			 key[BEACON_G_MAX][16];
	uint64_t		 h[BEACON_G_MAX], tag[BEACON_G_MAX], kw[2], sw[5];
	uint64_t		 fixed = 0;
	int64_t			 first;
	uint64_t		 first_bytes;
	int			 on[BEACON_G_MAX], newly[BEACON_G_MAX], g;
	int			 alert = -1, covered = 0;

	b->stats.events++;
	b->has_pending = 0;
	/*
	 * Place every look-up first and fetch its cache lines (the
	 * appliance's bucket; the filter word, the bucket and the
	 * first-sighting set of each series), so that their misses overlap
	 * instead of following one another.
	 */
	__builtin_prefetch(beacon_appliance_bucket(b, af, appliance));
	for (g = 0; g < BEACON_G_MAX; g++) {
		on[g] = !((g == BEACON_G_ADDRESS && dst == NULL) ||
		    (g == BEACON_G_NAME && (name == NULL || *name == '\0')) ||
		    (g == BEACON_G_ASN && asn == 0));
		if (!on[g])
			continue;
		beacon_key(b, g, af, dst, name, asn, key[g], kw, &fixed);
		beacon_skey(af, appliance, (uint8_t)g, kw, sw);
		h[g] = hash_fast_w(&b->hkey, sw, 5);
		if (g == BEACON_G_NAME) {
			/* a name's key is under the random key: not here */
			kw[0] = fixed;
			kw[1] = 0;
			beacon_skey(af, appliance, (uint8_t)g, kw, sw);
		}
		/* the first-sighting tag, never 0 (0 is empty) */
		tag[g] = hash_fast_w(&beacon_first_key, sw, 5) | 1;
		__builtin_prefetch(bitfilter_word(&b->filter, h[g]));
		__builtin_prefetch(&b->buckets[h[g] & (b->nbuckets - 1)]);
		if (b->first != NULL)
			__builtin_prefetch(beacon_first_set(b, tag[g]));
	}
	/* An appliance has state only once it has a series. */
	a = b->cur_appliance = beacon_appliance_find(b, af, appliance);
	for (g = 0; g < BEACON_G_MAX; g++) {
		s[g] = NULL;
		newly[g] = 0;
		if (!on[g])
			continue;
		if (a == NULL ||
		    (s[g] = beacon_find(b, a, (uint8_t)g, key[g], h[g])) == NULL) {
			first = ts;
			first_bytes = bytes;
			if (!beacon_first_seen(b, tag[g], &first,
			    &first_bytes)) {
				b->stats.beats++;
				continue;
			}
			if (a == NULL)
				a = b->cur_appliance = beacon_appliance_get(b, af, appliance);
			s[g] = beacon_create(b, a, (uint8_t)g, key[g], h[g]);
			beacon_event(s[g], first, first_bytes);
		} else
			beacon_touch(b, a, s[g]);
		if (dst != NULL)
			memcpy(s[g]->addr, dst, af == 4 ? 4 : 16);
		if (s[g]->beats == 0 ||
		    ts - s[g]->last_event > BEACON_MERGE_US)
			b->stats.beats++;
		newly[g] = beacon_event(s[g], ts, bytes);
	}
	b->cur_appliance = NULL;
	if (a != NULL && a->count == 0)	/* its series all evicted */
		beacon_appliance_remove(b, a);
	for (g = 0; g < BEACON_G_MAX; g++) {
		if (s[g] == NULL)
			continue;
		if (newly[g]) {
			if (s[g]->verdict == BEACON_V_STROBE)
				b->stats.strobes++;
			else
				b->stats.periodic++;
			if (alert == -1 && !covered)
				alert = g;
			else
				b->stats.suppressed++;
			s[g]->flags |= BEACON_F_REPORTED;
		} else if (s[g]->flags & BEACON_F_REPORTED)
			covered = 1;
	}
	if (alert != -1) {
		beacon_fill(s[alert], &b->pending);
		b->has_pending = 1;
	}
}

/* The alert the last beat raises: 1 and a report, or 0 for none. */
int
beacon_alert(struct beacon *b, struct beacon_report *r)
{
	if (!b->has_pending)
		return 0;
	*r = b->pending;
	b->has_pending = 0;
	b->stats.alerts++;
	return 1;
}

/* The state of one series, without touching it; -1 when there is none. */
int
beacon_lookup(struct beacon *b, uint8_t af, const uint8_t *appliance,
    enum beacon_group g, const uint8_t *dst, const char *name, uint32_t asn,
    struct beacon_report *r)
{
	struct beacon_appliance	*a;
	struct beacon_series	*s;
	uint8_t			 key[16];
	uint64_t		 kw[2], sw[5];

	if ((unsigned)g >= BEACON_G_MAX ||
	    (g == BEACON_G_ADDRESS && dst == NULL) ||
	    (g == BEACON_G_NAME && name == NULL) ||
	    (a = beacon_appliance_find(b, af, appliance)) == NULL)
		return -1;
	beacon_key(b, g, af, dst, name, asn, key, kw, NULL);
	beacon_skey(af, appliance, (uint8_t)g, kw, sw);
	if ((s = beacon_find(b, a, (uint8_t)g, key,
	    hash_fast_w(&b->hkey, sw, 5))) == NULL)
		return -1;
	beacon_fill(s, r);
	return 0;
}

/* Call fn for every periodic series and strobe, least recently used first. */
void
beacon_foreach(struct beacon *b, void (*fn)(const struct beacon_report *,
    void *), void *arg)
{
	struct beacon_series	*s;
	struct beacon_report	 r;

	TAILQ_FOREACH(s, &b->lru, lru) {
		if (s->verdict == BEACON_V_NONE)
			continue;
		beacon_fill(s, &r);
		fn(&r, arg);
	}
}
