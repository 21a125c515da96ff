/*
 * Beacon detection: is an appliance calling somewhere on a timer?
 *
 * A series is the sequence of beats from one appliance to one destination,
 * keyed four ways (address, name, ASN, and service: the address and the
 * transport and port it is called on).  The service series holds a timer
 * of one service of a server the appliance also uses for others: Windows
 * time every 1024 s to the domain controller that is also its file server
 * and directory was 6 beats among 61 of the address's, gaps of 0.1 to 774
 * s that no rhythm explains; alone, 6 beats of a clean timer.  It is the
 * last the alert names (address, name and ASN first), so a call-home on
 * one port is reported as before, and its key is the address's hash under
 * a fixed key with the service, as an IPv6 address and a port do not fit
 * 16 bytes.  A key in words is spelt here alone (beacon_key_str), for the
 * alerts, the summary, the store and syslog alike.
 *
 * Events closer than BEACON_MERGE_US (2 s) to the previous event of the
 * series are one beat:
 * a retry, a look-up and its connection, a check-in over 3 connections are
 * RTT-scale apart, and the shortest period we must find, 5 s with 50%
 * jitter, never has a gap under 2.5 s.  A fixed window rather than a
 * fraction of the period, so that what a beat is never depends on an
 * estimate.  The merge is chained, so a burst is one beat however long it
 * lasts, unless its events are a second or more apart on average and it
 * has outlasted the window: a timer faster than the window (a poll every
 * 1.3 s), whose beats are then of two or three polls each rather than one
 * endless beat (beacon_starts_beat).  A chain of more than one event a
 * second that is regular (raw gaps with a CV under 0.5) for 60 events and
 * 30 s is a strobe, reported apart.
 *
 * A series of look-ups alone (beats with no address: DNS queries) merges
 * its events within BEACON_MERGE_LOOKUP_US (0.5 s) instead.  What one
 * check-in looks up comes at once (A and AAAA, a few names, tens of
 * milliseconds apart), and a poll through DNS of a new name each time is
 * a check-in each: dnscat2 asks every second, which 2 s merged into beats
 * of two polls, a period of 2.02 s, or a strobe; a poll at 2 s +-15%
 * straddled the window and made no rhythm at all.  The same name asked
 * again (a resolver's retry, another server asked, a client without a
 * cache resolving again for its next connection) is the caller's to leave
 * out (alert_dns.c), as it knows what was answered.
 *
 * Each new beat is judged by two models fitted on what came before it,
 * never on the beat itself (the test is prequential: a flexible model
 * gains nothing by fitting the point it is judged on).  Gaps are kept as
 * 16-bit codes of their logarithm (2048 to a factor of two: a step of
 * 0.034%, up to 49 days), so every fit is in logs and scale-free: a 3 s
 * and a 24 h timer are judged alike.
 *
 *   H1, a timer, fitted to the gaps of its rhythm: the gaps from one beat
 *   of the rhythm to the next, which skip the beats set aside (below).
 *   Period P: the median of the gaps folded by their multiple m in 1..3
 *   (missed beats).  Half-width a (log): twice the MAD of the folded gaps,
 *   widened by 1 + 1.5/n, and for 8 gaps or fewer at least the half-range
 *   times (n + 1)/(n - 1), uniform jitter's unbiased width (its centre
 *   then the mid-range).  From one gap, a is 5%.  a is at least 2.5% of P
 *   (or 60 s), and a timer whose spread is wider than 60% of P, or 30
 *   minutes where H0's daily schedule could explain its gaps (whole days
 *   to 3, within 4 hours), is no timer: no evidence.  The density is a
 *   mixture over m = 1, 2, 3 of flat-topped bumps
 *   exp(-((y - log mP) / (1.1 a/sqrt m))^4)
 *   (uniform jitter has a flat top and hard edges), with a share 1/(n + 2)
 *   of a bump 2.5 times as wide for a young fit's uncertain width,
 *   weighted (1-q), q(1-q), q^2 by the share q of folded gaps that were
 *   missed beats ((k + 0.25)/(n + 1), 2% to 45%).  A young tight fit (4
 *   folded gaps or fewer, within 3% of their mid-range, a period to 40
 *   minutes) has instead,
 *   around each multiple, uniform jitter's own predictive given those
 *   gaps, its centre and half-width unknown (a prior on the half-width
 *   that favours tight timers): a proper density, where the bump's rules
 *   of thumb lost a clean timer nats at its first gaps.  H1 holds 1% of
 *   H0, so a gap no timer explains costs log(1/0.01) = 4.6 nats.
 *
 *   H0, no timer, fitted to every gap between beats: the best, at the
 *   gap, of an exponential (Poisson arrivals), a lognormal, an on/off
 *   mixture of two lognormals (the gaps split at their widest ratio:
 *   sessions, bursts, storms, and the silences between), and for gaps of
 *   whole days a job of the day's schedule (a time of day drawn anew each
 *   day in a window of 4 hours: gaps of whole days give or take a
 *   triangle).  Every lognormal spread is at least sigma0 = 1: a
 *   lognormal narrower than that is itself a jittered timer (50% jitter
 *   has a log spread of 0.2), and a null allowed to take it would call
 *   every timer random.  The daily window is the same line for days.
 *
 * Evidence in proportion to regularity: a gap is worth about
 * log(1/(2 a 0.4)) nats against H0, so ~3.8 for a timer within 5%, 2 at
 * 25%, 1 at 50%.  It is capped at 4 nats: retry loops are round-number
 * timers as precise as any beacon, and what must tell them apart is the
 * count of beats; three gaps (five beats) can bring at most 12 less the
 * reference, four (six beats) bring 14 or more.  The capped ratio, less a
 * reference value of 0.1 nat, drives a CUSUM S = max(0, S + llr - 0.1)
 * (Page's test: evidence against a timer is forgotten, so a beacon that
 * starts in the middle of other traffic or comes back after an outage is
 * found as quickly as a new one).  A series is periodic when S reaches
 * 12 nats (11 when the bytes per beat are regular, within 10% over 8
 * beats and 8 gaps of the rhythm), at most one of the gaps kept is a
 * silence no period explains (3.5 periods or more: retries come in storms
 * at random times), and at most 9 of the last 16 beats were set aside.
 * Under a well-fitted null an excursion crosses 12 nats with probability
 * about e^-12; what keeps false alerts at zero in the matrix is that the
 * nulls' lognormal floor and daily window are wider than the random
 * traffic they must explain.
 *
 * Mixed activity to one destination: once the rhythm has 4 gaps, a beat
 * before its due time that the timer explains less than an extra
 * connection would (0.1 a period), or more than max(0.2, 2.2 a) in log
 * before it, is set aside: another connection to the same place (an
 * upload, a user's session).  It does not move the rhythm's last beat, and
 * it is scored as a random arrival at rate rho/P, rho estimated from how
 * many of the last 16 beats were set aside; every gap also costs
 * rho g/P, the price of allowing them.  When 10 of the last 16 are set
 * aside, the rhythm is not the series' (a first guess from random
 * traffic): it starts again.  A silence of 3.5 periods or more starts the
 * rhythm, and the evidence, again too (an outage, a night; retry storms
 * cannot add up across their pauses).  A young series whose first two
 * gaps agree within 5% (all it has shown) sets aside earlier: a beat
 * under 0.4 period that is not a half or a third of it splits a gap of
 * the rhythm (a SIP REGISTER between a server's hellos), where it would
 * otherwise enter the rhythm's first gaps and spread its fit for 16 beats.
 *
 * A session's set-up before its first check-in (a connection, its
 * opening exchange, a first request) gives a series a first gap that the
 * timer never keeps: 7.45 s before an IEC 104 interrogation every 9.5 s
 * within 2%.  Left in the rhythm, it spread the young fit (found at the
 * 11th check-in).  When a series that is all rhythm has 4 gaps, the last
 * 3 within 5% of each other and the first more than 5 of their
 * half-widths from them (and from their double and triple: a missed beat
 * is the timer's), the first is set-up: the series starts again at its
 * second beat and its gaps since are scored again from an empty state,
 * once a series (beacon_setup).  What it then holds is what a series
 * begun at the second beat would: never more evidence (a retry loop of 5
 * tries after anything still scores 3 gaps, under 12 nats).  What it
 * costs: a sloppy timer whose 3 gaps agree by chance loses its second
 * gap's evidence and is judged by a tight young fit; at 3 half-widths
 * (7.5% at the least) 63 runs of the matrix's 61000 fell out of budget
 * (25% timers, at most 6 in 1000 a row), at 5 half-widths 25.
 * But a first check-in that lasted (an implant's staging, a second of
 * requests inside the connection that then carries its polls) is no
 * set-up: the loop sleeps from the end of an exchange, and from the end
 * of that one (its last event, or the last packet of the flow before the
 * quiet the second beat ends, when within the merge window of it) the
 * first gap is the timer's.  Then the series is scored again from that
 * end, its 4 gaps kept: what a series begun there would hold (5 beats
 * still score 3 gaps).  Gaps stay from beat to beat otherwise: measured
 * from every exchange's end, a fixed-rate timer whose answers vary
 * spreads (the real corpus lost asyncrat, and mining-getwork needed 14
 * check-ins for 6).  Instead a beat whose previous exchange's end is
 * known (the quiet of its flow) is scored as either, a half each: from
 * the previous beat, or from that end (beacon_score).  Where the answer
 * was quick they agree; where it took long, the reading that fits wins
 * and costs at most log 2 (a poll 5.23 s after the previous one, whose
 * answer, a task, took 0.2 s: 5.02 s after it, as every other sleep).
 * The rhythm and H0 keep the gaps from beat to beat.  Only an exchange
 * inside one flow says where it ended: a beat's last event may be
 * another poll of a timer faster than the window (the matrix's fast
 * rows, read so, needed 2 to 4 more check-ins).
 *
 * What it costs, measured by tests/beacon/matrix (1000 seeds; see
 * bench/BEACON-NOTES.md): a timer within 5% is found at its 6th check-in
 * (95th percentile 6: a +-2.5% timer at its 6th in 96% of seeds, 56%
 * before the young fit's predictive), within 25% by the 10th to 12th, 50%
 * jitter or 30% missed beats by about the 13th (95th percentile 30).  Where
 * it stops: 50% jitter with missed beats, and Empire's +-50%, are slower
 * than before; a daily timer within 15 minutes needs about 11 check-ins
 * (H0's daily schedule); the young fit's prior, which finds a tight timer
 * at its 6th check-in, costs a 25% timer whose first gaps agree by chance
 * a check-in now and then (within 12 check-ins in 94.8% of seeds, 96.3%
 * before); extras from a timer's very first beats in a fixed pattern can
 * pull the first fit off until the rhythm is lost and starts again.
 *
 * State per series is fixed: the last 16 gaps between beats and the last
 * 16 of the rhythm, each as 16-bit codes in ascending order with 4 bits
 * each for their arrival (gapwin.h), the running test and the report
 * figures, 256 bytes with its bucket pointer on LP64
 * (beacon_series_size()).  Periods from 2 s (the merge window) to 24 h
 * and more fit the same state: the codes reach 49 days.  A global cap
 * and a per-appliance cap bound the table, least recently used out first.
 * Packet time is the only clock, and no result depends on the random hash
 * key: a capture always gives the same verdicts.
 */
#include "config.h"

#include <sys/queue.h>

#include <ctype.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "beacon.h"
#include "bitfilter.h"
#include "gapwin.h"
#include "hash.h"
#include "util.h"
#include "xmalloc.h"

#define BEACON_NMIN		1	/* gaps of the rhythm before scoring */
#define BEACON_THRESH		12.0	/* nats */
#define BEACON_LLR_MAX		4.0	/* nats a gap: three cannot decide */
#define BEACON_THRESH_SIZE	11.0	/* nats, when sizes are regular */
#define BEACON_SIZE_SD		0.10	/* log-size spread called regular */
#define BEACON_SIZE_MIN		8	/* beats with sizes, and gaps of the
					   rhythm, before it counts */
#define BEACON_DRIFT		0.1	/* nats, CUSUM reference value */
#define BEACON_EPS		0.01	/* share of the null in H1 */
#define BEACON_DAY		86400.0	/* s */
#define BEACON_DAY_W		14400.0	/* s: the least window of a job of
					   the day's schedule (H0) */
#define BEACON_SIGMA0		1.0	/* least lognormal spread of H0 */
#define BEACON_MMAX		3	/* missed beats: gaps up to 3 periods */
#define BEACON_A_MIN		0.025	/* half-width bounds, log */
#define BEACON_A_MIN_S		60.0	/* s: the least half-width at most */
#define BEACON_A_MAX		0.60
#define BEACON_A_MAX_S		1800.0	/* s: a timer's half-width at most,
					   where H0's daily schedule reaches */
#define BEACON_A_SHAPE		1.1	/* bump scale over the half-width */
#define BEACON_TAIL_W		2.5	/* a wider bump, for a young fit */
#define BEACON_YOUNG		4	/* folded gaps a young fit has at
					   most, for uniform jitter's
					   predictive (beacon_p_young) */
#define BEACON_YOUNG_A		0.03	/* ... and their half-range */
#define BEACON_TIGHT		0.75	/* its prior on the half-width:
					   this share as h^-BEACON_BETA */
#define BEACON_BETA		8.0
#define BEACON_BETA_WIDE	1.0	/* the rest as h^-1 */
#define BEACON_Q0		0.25	/* missed beats before any is seen */
#define BEACON_Q_MIN		0.02
#define BEACON_Q_MAX		0.45
#define BEACON_NASIDE		4	/* gaps of the rhythm before any beat
					   is set aside */
#define BEACON_NSPLIT		2	/* gaps of the rhythm before a beat
					   under 0.4 period is set aside */
#define BEACON_A_SPLIT		0.05	/* ... when its half-width is at
					   most this */
#define BEACON_EARLY		0.2	/* log: set aside when earlier */
#define BEACON_SETUP_N		3	/* gaps after a rhythm's first that
					   agree, to call the first set-up */
#define BEACON_SETUP_R		0.04879	/* log 1.05: ... within 5% */
#define BEACON_SETUP_K		5.0	/* ... and the first this many of
					   their half-widths away */
#define BEACON_RETIME_K		2.0	/* ... but from the end of a first
					   check-in that lasted, within this
					   many: the timer's */
#define BEACON_BREAKS		1	/* silences among the gaps kept, at
					   most, to be found */
#define BEACON_RHO0		0.1	/* set aside when the timer explains a
					   beat less than this many extras a
					   period would */
#define BEACON_EXTRAS_LOST	10	/* set aside of the last 16: the
					   rhythm is lost */
#define BEACON_EXTRAS_MAX	9	/* of the last 16 beats set aside, at
					   most, to be found */
#define BEACON_CODE		2048	/* gap codes a factor of 2 */
#define BEACON_LN_MS		6.907755278982137	/* log(1000) */
#define BEACON_GAMMA_5_4	0.9064024770554771	/* Gamma(5/4) */
#define BEACON_FAST_GAP		1.0	/* s: events this far apart on
					   average, past the merge window,
					   are a faster timer's beats */
#define BEACON_STROBE_EVENTS	60
#define BEACON_STROBE_SPAN	(30 * 1000000LL)
#define BEACON_STROBE_CV	0.5
#define BEACON_MIN_BUCKETS	1024
#define BEACON_FIRST_SETS	65536	/* first sightings: 2 ways each */

#define BEACON_F_REPORTED	0x01	/* alerted, or covered by an alert */
#define BEACON_F_LOOKUP		0x02	/* every event a look-up (no address):
					   BEACON_MERGE_LOOKUP_US */
#define BEACON_F_SETUP		0x04	/* the rhythm's first gap was set-up
					   and left it (beacon_setup) */

_Static_assert(BEACON_RING == GAPWIN_N, "gapwin keeps the gaps");
_Static_assert(GAPWIN_N == 16, "16 beats in the extras mask");

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
	uint8_t				 n_all;		/* gaps in all */
	uint8_t				 n_rhythm;	/* gaps in rhythm */
	uint16_t			 chain_events;
	TAILQ_ENTRY(beacon_series)	 lru;		/* global, oldest first */
	TAILQ_ENTRY(beacon_series)	 appliance_lru;	/* the appliance's */
	int64_t				 first_seen;
	int64_t				 beat_start;	/* of the current beat */
	int64_t				 last_event;
	struct gapwin			 all;		/* every gap, coded */
	struct gapwin			 rhythm;	/* between rhythm beats */
	uint8_t				 addr[16];	/* last destination */
	float				 period;	/* s */
	float				 width;		/* half-width, s */
	float				 cusum;		/* nats */
	float				 peak;		/* highest cusum */
	float				 size_mean;	/* log bytes per beat */
	float				 size_var;
	float				 chain_mean;	/* raw gaps in this beat, s */
	float				 chain_m2;
	union {
		uint32_t		 periodic_since;	/* s after first,
							   once found */
		uint32_t		 first_len;	/* until then: ms the
							   first beat lasted
							   (beacon_setup) */
	};
	uint32_t			 since_rhythm;	/* ms, from the last
							   rhythm beat to this */
	uint32_t			 beats;
	uint32_t			 events;
	uint32_t			 beat_bytes;
	uint16_t			 missed;	/* to 65535 */
	uint16_t			 extras;	/* the last 16 beats, 1 if
							   set aside (bit 0: the
							   last) */
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

/* H1, the timer, fitted to the gaps of the rhythm; logs of seconds. */
struct beacon_fit {
	double	mu;		/* log period */
	double	a;		/* half-width, log */
	double	w[BEACON_MMAX];	/* weights of 1, 2, 3 periods */
	double	tail;		/* share of a bump BEACON_TAIL_W as wide */
	int	young;		/* folded gaps of a young fit, or 0 */
	double	lo, hi;		/* ... their least and greatest */
	double	h0, h1;		/* ... its half-width's bounds */
	double	l0;		/* ... the posterior's least half-width */
	double	c[2];		/* ... its prior's weights, in l0 units */
	double	norm;		/* ... its predictive's divisor */
};

/* H0, no timer, fitted to every gap; logs of seconds. */
struct beacon_null {
	double	exp_rate;	/* 1/s */
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

/* A service as words, "ADDRESS port N/PROTO", into buf; buf. */
const char *
beacon_svc_str(uint8_t af, const uint8_t *addr, uint32_t svc, char *buf,
    size_t len)
{
	char	a[UTIL_ADDRSTRLEN];

	snprintf(buf, len, "%s port %u/%s", util_addr_str(af, addr, a,
	    sizeof(a)), BEACON_SVC_PORT(svc),
	    util_proto_name(BEACON_SVC_PROTO(svc)));
	return buf;
}

/*
 * What a series is keyed by, as words, the one spelling of alerts, the
 * summary and the store (whose series rows it tells apart): the address;
 * the service ("ADDRESS port N/PROTO"); the name, or "#HASH" when the
 * name is not known; "ASN".  Returns name itself or buf.
 */
const char *
beacon_key_str(const struct beacon_report *r, const char *name, char *buf,
    size_t len)
{
	switch (r->group_by) {
	case BEACON_G_SERVICE:
		return beacon_svc_str(r->af, r->addr, r->svc, buf, len);
	case BEACON_G_NAME:
		if (name != NULL)
			return name;
		snprintf(buf, len, "#%016" PRIx64, r->name_hash);
		return buf;
	case BEACON_G_ASN:
		snprintf(buf, len, "AS%u", r->asn);
		return buf;
	default:
		return util_addr_str(r->af, r->addr, buf, len);
	}
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
	case BEACON_G_SERVICE:
		return "service";
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

/* log(m) and 1/sqrt(m) for m = 0..BEACON_MMAX (0 unused). */
static const double beacon_log_m[BEACON_MMAX + 1] = {
	0, 0, 0.6931471805599453, 1.0986122886681098
};
static const double beacon_isqrt_m[BEACON_MMAX + 1] = {
	0, 1, 0.7071067811865476, 0.5773502691896258
};

/*
 * The code of a gap of ms milliseconds: 2048 log2(ms), rounded, in 16
 * bits (a relative step of 0.034%, up to 49 days).
 */
static uint16_t
beacon_code(uint32_t ms)
{
	long	c;

	if (ms <= 1)
		return 0;
	c = lround(BEACON_CODE * log2((double)ms));
	return c > UINT16_MAX ? UINT16_MAX : (uint16_t)c;
}

/* The log of a coded gap, in seconds. */
static double
beacon_y(uint16_t c)
{
	return c * (M_LN2 / BEACON_CODE) - BEACON_LN_MS;
}

/* The median of n sorted values. */
static double
beacon_median_sorted(const double *v, int n)
{
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/*
 * How many periods a gap spans, from r, the log of its ratio to the
 * period: 1 to BEACON_MMAX, 0 when it is too short for any (under 0.4
 * period), BEACON_MMAX + 1 when too long (3.5 periods or more: a silence).
 */
static int
beacon_multiple(double r)
{
	if (r < -0.916290731874155)		/* log 0.4 */
		return 0;
	if (r < 0.4054651081081644)		/* log 1.5 */
		return 1;
	if (r < 0.9162907318741551)		/* log 2.5 */
		return 2;
	if (r < 1.252762968495368)		/* log 3.5 */
		return 3;
	return BEACON_MMAX + 1;
}

/* Mean and spread of the values [from, to) from their prefix sums. */
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
 * H0 from every gap kept (n >= 1, ascending codes): exponential,
 * lognormal, and on/off: the gaps split at their widest ratio (at least
 * two on each side) into short ones (inside sessions, bursts, storms) and
 * long ones (between them), a lognormal each.
 */
static void
beacon_fit_null(const struct beacon_series *s, struct beacon_null *f)
{
	double	sum[GAPWIN_N + 1], sq[GAPWIN_N + 1], y, lin = 0;
	int	i, n = s->n_all, cut = 0, best = 0, d;

	sum[0] = sq[0] = 0;
	for (i = 0; i < n; i++) {
		y = beacon_y(s->all.v[i]);
		lin += exp(y);
		sum[i + 1] = sum[i] + y;
		sq[i + 1] = sq[i] + y * y;
	}
	f->exp_rate = n / lin;
	beacon_lnfit(sum, sq, 0, n, &f->ln_mu, &f->ln_sd);
	for (i = 2; i <= n - 2; i++)
		if ((d = s->all.v[i] - s->all.v[i - 1]) > best) {
			best = d;
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
	double	d[GAPWIN_N], x, y;
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

static double	beacon_p_day(double);

/*
 * Is a period of p seconds a day or more, and none that a job of the
 * day's schedule makes (H0: whole days within its window, to 3 days)?
 */
static int
beacon_off_schedule(double p)
{
	if (p < BEACON_DAY - BEACON_DAY_W)
		return 0;
	return p >= 3 * BEACON_DAY + BEACON_DAY_W || beacon_p_day(p) == 0;
}

/*
 * A young fit's predictive: the density of the next folded gap x given
 * the n so far (n up to BEACON_YOUNG, within BEACON_YOUNG_A of one
 * another), for uniform jitter of unknown centre c and half-width h:
 * x ~ U(c - h, c + h), c flat, h from h0 (the least half-width) to h1 (a
 * timer's greatest).  Given n gaps of range R, the posterior of h goes as
 * prior(h) (2h - R) (2h)^-n for 2h >= R, and that of c is flat over the
 * 2h - R it can take; x then lands d beyond the range (0 inside it) with
 * density (2h - R - d) / ((2h - R) 2h) while 2h > R + d.  The prior is a
 * mixture of powers of h, 3/4 as h^-8 (a tight timer: most of its weight
 * within a few percent of h0) and 1/4 as h^-1 (scale-free), so that every
 * integral is in closed form and the predictive is a proper density: a
 * young timer's gaps are worth what they show and no more.  The flat-topped
 * bump that a young fit had, its width from the range widened by rule of
 * thumb and a share of a wider bump, was too wide at the centre for a
 * clean timer (a +-2.5% timer found by its 6th check-in in 56% of seeds)
 * and too narrow at its edges.  Why the mixture: a tight prior alone
 * costs a sloppy timer whose first gaps agree by chance a nat or two when
 * the next one falls outside them; the scale-free share bounds that cost
 * by log 4.  Past BEACON_YOUNG_A of half-range the young fit is no tight
 * timer, and the bump below judges it, as before.  Computed in units of
 * L0 = max(h0, R/2), the posterior's lower limit, so that no power
 * overflows.
 */

/* The integral of t^-k from l to u. */
static double
beacon_young_j(double l, double u, double k)
{
	if (fabs(k - 1) < 1e-9)
		return log(u / l);
	return (pow(l, 1 - k) - pow(u, 1 - k)) / (k - 1);
}

/* The prior's powers of h: a tight timer's, and the scale-free rest. */
static const double beacon_young_beta[2] = { BEACON_BETA, BEACON_BETA_WIDE };

/*
 * Set a young fit's predictive up, once a fit: L0, the prior's weights
 * in L0 units (each over its normaliser from h0 to h1 in those units),
 * and the denominator, the posterior's mass of h; norm 0 when no width
 * is left above L0.
 */
static void
beacon_young_set(struct beacon_fit *f)
{
	double	r = f->hi - f->lo, u, l, w = 0, k;
	int	i;

	f->l0 = fmax(f->h0, r / 2);
	u = f->h1 / f->l0;
	f->norm = 0;
	if (u <= 1)
		return;
	l = f->h0 / f->l0;
	f->c[0] = BEACON_TIGHT;
	f->c[1] = 1 - BEACON_TIGHT;
	for (i = 0; i < 2; i++) {
		f->c[i] /= beacon_young_j(l, u, beacon_young_beta[i]);
		k = beacon_young_beta[i] + f->young;
		w += f->c[i] * (2 * beacon_young_j(1, u, k - 1) -
		    r / f->l0 * beacon_young_j(1, u, k));
	}
	f->norm = 2 * f->l0 * w;
}

/* The density of a folded log gap x under a young fit. */
static double
beacon_p_young(const struct beacon_fit *f, double x)
{
	double	u = f->h1 / f->l0, kk, l1, p = 0, k;
	int	i;

	if (f->norm <= 0)
		return 0;
	kk = (f->hi - f->lo + fmax(0, fmax(f->lo - x, x - f->hi))) / f->l0;
	l1 = fmax(1, kk / 2);
	if (l1 >= u)
		return 0;
	for (i = 0; i < 2; i++) {
		k = beacon_young_beta[i] + f->young;
		p += f->c[i] * (2 * beacon_young_j(l1, u, k) - kk *
		    beacon_young_j(l1, u, k + 1));
	}
	p /= f->norm;
	return p > 0 ? p : 0;
}

/*
 * H1, a timer with missed beats, from the gaps of the rhythm (n >= 1,
 * ascending), in logs: the period the median of the gaps folded by their
 * multiples, the half-width from their spread.
 */
static void
beacon_fit_rhythm(const struct beacon_series *s, struct beacon_fit *f)
{
	double	y[GAPWIN_N], vs[GAPWIN_N + 2], t[GAPWIN_N];
	double	run[GAPWIN_N], *v = vs + 1;	/* v[-1], v[nf]: see mad */
	double	mu, a, q, l, amin, amax, h0;
	int	len[BEACON_MMAX + 2], was[BEACON_MMAX + 2], i, n = s->n_rhythm;
	int	nf, k = 0, it, m, at;

	for (i = 0; i < n; i++)
		y[i] = beacon_y(s->rhythm.v[i]);
	mu = beacon_median_sorted(y, n);
	memcpy(v, y, (size_t)n * sizeof(*v));
	v[-1] = -INFINITY;
	nf = n;
	v[nf] = INFINITY;
	/*
	 * Fold by multiples and take the median, until the folding holds;
	 * v stays the sorted folded gaps.  The multiple of a gap never falls
	 * as the gap grows: the gaps too short for any come first (len[0]),
	 * then those of 1, 2 and 3 periods, then those too long; so each
	 * multiple's folds (the log less log m) are a sorted run to merge,
	 * not a list to sort again.  Unfolded, every gap is of multiple 1.
	 */
	memset(was, 0, sizeof(was));
	was[1] = n;
	for (it = 0; it < 3; it++) {
		memset(len, 0, sizeof(len));
		for (i = 0; i < n; i++)
			len[beacon_multiple(y[i] - mu)]++;
		k = len[2] + len[3];
		if (memcmp(len, was, sizeof(len)) == 0)
			break;
		memcpy(was, len, sizeof(was));
		memcpy(v, y + len[0], (size_t)len[1] * sizeof(*v));
		nf = len[1];
		for (m = 2, at = len[0] + len[1]; m <= BEACON_MMAX;
		    at += len[m++]) {
			if (len[m] == 0)
				continue;
			for (i = 0; i < len[m]; i++)
				run[i] = y[at + i] - beacon_log_m[m];
			memcpy(t, v, (size_t)nf * sizeof(*t));
			nf = beacon_merge(t, nf, run, len[m], v);
		}
		v[nf] = INFINITY;
		if (nf == 0)
			break;
		mu = beacon_median_sorted(v, nf);
	}
	/*
	 * 2 MAD, widened for small samples (n = 4: by 38%); from one gap,
	 * twice the least.  Wider than a timer's (60% of the period, 30
	 * minutes): no timer (f->a = 0).  The 30 minutes keep a job of the
	 * day's schedule (H0) from being a daily timer; a period of a day or
	 * more whose gaps that schedule cannot explain has only the 60%.
	 */
	amax = beacon_off_schedule(exp(mu)) ? BEACON_A_MAX :
	    BEACON_A_MAX_S * exp(-mu);
	if (amax > BEACON_A_MAX)
		amax = BEACON_A_MAX;
	a = nf > 0 ? 2 * beacon_mad_sorted(v, nf, mu) : INFINITY;
	if (nf > 0 && nf <= 8 && (v[nf - 1] - v[0]) / 2 > a)
		a = (v[nf - 1] - v[0]) / 2;
	if (a > amax) {
		memset(f, 0, sizeof(*f));
		f->mu = mu;
		return;
	}
	a = 2 * beacon_mad_sorted(v, nf, mu) * (1 + 1.5 / nf);
	/*
	 * Few gaps: uniform jitter's centre and half-width from their
	 * range, when wider.
	 */
	if (nf >= 2 && nf <= 8 && (l = (v[nf - 1] - v[0]) / 2 * (nf + 1) /
	    (nf - 1)) > a) {
		a = l;
		mu = (v[nf - 1] + v[0]) / 2;
	}
	amin = BEACON_A_MIN_S * exp(-mu);
	if (amin > BEACON_A_MIN)
		amin = BEACON_A_MIN;
	h0 = amin;
	if (nf == 1)
		/* one gap says nothing of the width */
		amin = 2 * BEACON_A_MIN;
	if (a < amin)
		a = amin;
	if (a > amax)
		a = amax;
	q = (k + BEACON_Q0) / (nf + 1.0);
	if (q < BEACON_Q_MIN)
		q = BEACON_Q_MIN;
	if (q > BEACON_Q_MAX)
		q = BEACON_Q_MAX;
	f->mu = mu;
	f->a = a;
	f->tail = 1.0 / (nf + 2);
	f->young = 0;
	/*
	 * Only where the least half-width is relative (periods to 40
	 * minutes): past that it is 60 s, far under what a tight timer of
	 * hours or days keeps (56.6 h within 3%), and a prior heaped on it
	 * would call such a timer sloppy.
	 */
	if (nf <= BEACON_YOUNG && (v[nf - 1] - v[0]) / 2 <= BEACON_YOUNG_A &&
	    h0 >= BEACON_A_MIN) {
		f->young = nf;
		f->lo = v[0];
		f->hi = v[nf - 1];
		f->h0 = h0;
		f->h1 = amax;
		beacon_young_set(f);
	}
	f->w[0] = 1 - q;
	f->w[1] = q * (1 - q);
	f->w[2] = q * q;
	l = f->w[0] + f->w[1] + f->w[2];
	for (i = 0; i < BEACON_MMAX; i++)
		f->w[i] /= l;
}

/*
 * The density of a log gap y under H1, the timer, without the null share:
 * flat-topped bumps exp(-z^4) around the multiples of the period, the
 * relative width of m periods 1/sqrt(m) of one's.
 */
static double
beacon_p1(const struct beacon_fit *f, double y)
{
	double	p = 0, al, z;
	int	m;

	if (f->young) {
		/* the same predictive for every multiple, folded */
		for (m = 1; m <= BEACON_MMAX; m++)
			p += f->w[m - 1] * beacon_p_young(f, y -
			    beacon_log_m[m]);
		return p;
	}
	for (m = 1; m <= BEACON_MMAX; m++) {
		al = BEACON_A_SHAPE * f->a * beacon_isqrt_m[m];
		z = (y - f->mu - beacon_log_m[m]) / al;
		z *= z;
		if (z > 8 * BEACON_TAIL_W * BEACON_TAIL_W)	/* nothing */
			continue;
		p += f->w[m - 1] * ((1 - f->tail) * exp(-z * z) + f->tail /
		    BEACON_TAIL_W * exp(-z * z / (BEACON_TAIL_W *
		    BEACON_TAIL_W * BEACON_TAIL_W * BEACON_TAIL_W))) /
		    (2 * al * BEACON_GAMMA_5_4);
	}
	return p;
}

/* A normal density of a log gap, its spread at least BEACON_SIGMA0. */
static double
beacon_normal(double y, double mu, double sd)
{
	double	z;

	if (sd < BEACON_SIGMA0)
		sd = BEACON_SIGMA0;
	z = (y - mu) / sd;
	return exp(-z * z / 2) / (sd * sqrt(2 * M_PI));
}

/*
 * The density of a log gap y = log g under a job of the day's schedule: at
 * a time of day drawn anew each day within a window of BEACON_DAY_W, so
 * that a gap is whole days give or take the difference of two such
 * times (a triangle).  A narrower window would look like a daily timer.
 */
static double
beacon_p_day(double g)
{
	double	d = fmod(g + BEACON_DAY / 2, BEACON_DAY) - BEACON_DAY / 2;

	d = fabs(d);
	if (d >= BEACON_DAY_W)
		return 0;
	return g * (BEACON_DAY_W - d) / (BEACON_DAY_W * BEACON_DAY_W);
}

/* The density of a log gap y (g = e^y s) under H0: the best of its fits. */
static double
beacon_p0(const struct beacon_null *f, double y, double g)
{
	double	p, q;

	p = g * f->exp_rate * exp(-g * f->exp_rate);
	if ((q = beacon_normal(y, f->ln_mu, f->ln_sd)) > p)
		p = q;
	if (f->onoff && (q = f->on_w * beacon_normal(y, f->on_mu,
	    f->on_sd) + (1 - f->on_w) * beacon_normal(y, f->off_mu,
	    f->off_sd)) > p)
		p = q;
	if (g > BEACON_DAY - BEACON_DAY_W && g < 3 * BEACON_DAY +
	    BEACON_DAY_W && (q = beacon_p_day(g)) > p)
		p = q;
	return p;
}

/* Are the bytes per beat regular enough to lower the threshold? */
static int
beacon_sizes_regular(const struct beacon_series *s)
{
	return s->size_n >= BEACON_SIZE_MIN &&
	    s->n_rhythm >= BEACON_SIZE_MIN &&
	    sqrt(s->size_var) <= BEACON_SIZE_SD;
}

/* Seconds from a series' first beat to ts (136 years fit). */
static uint32_t
beacon_secs(const struct beacon_series *s, int64_t ts)
{
	int64_t	d = (ts - s->first_seen) / 1000000;

	return d < 0 ? 0 : d > UINT32_MAX ? UINT32_MAX : (uint32_t)d;
}

/* How many of the last 16 beats were set aside. */
static int
beacon_extras(const struct beacon_series *s)
{
	return __builtin_popcount(s->extras);
}

/*
 * Is a log gap y about a half or a third of the rhythm's period?  Then
 * the rhythm may be the multiple of a faster timer whose beats were
 * missed, and the gap is no other connection to set aside early.
 */
static int
beacon_submultiple(const struct beacon_fit *f, double y)
{
	double	tol = 2 * BEACON_A_SHAPE * f->a;
	int	m;

	for (m = 2; m <= BEACON_MMAX; m++)
		if (fabs(y - f->mu + beacon_log_m[m]) <= tol)
			return 1;
	return 0;
}

/*
 * Does a beat split a gap of a young, clean rhythm (n_rhythm from
 * BEACON_NSPLIT to BEACON_NASIDE, every gap of the series in it, within
 * BEACON_A_SPLIT)?  It comes under 0.4 period (m == 0) and is no half or
 * third of it: another connection, to set aside.
 */
static int
beacon_split(const struct beacon_series *s, const struct beacon_fit *f,
    double yr, int m)
{
	return m == 0 && s->n_rhythm >= BEACON_NSPLIT &&
	    s->n_rhythm < BEACON_NASIDE && s->n_all == s->n_rhythm &&
	    f->a <= BEACON_A_SPLIT && !beacon_submultiple(f, yr);
}

/*
 * Silences no timer of period e^mu explains (3.5 periods or more) among
 * every gap kept and the new one, gc ms: an outage now and then, or a
 * night, is a timer that paused; one every few beats is something else,
 * such as retries that come in storms at random times.
 */
static int
beacon_silences(const struct beacon_series *s, double mu, uint32_t gc)
{
	double	lim = 3.5 * exp(mu) * 1000;
	int	i, n = gc >= lim;
	uint16_t c = beacon_code(lim > UINT32_MAX ? UINT32_MAX :
	    (uint32_t)lim);

	for (i = s->n_all; i > 0 && s->all.v[i - 1] >= c; i--)
		n++;
	return n;
}

/*
 * The rhythm starts again at a beat gc ms after the previous one, and so
 * does the evidence; every gap is still kept for H0.
 */
static void
beacon_restart(struct beacon_series *s, uint32_t gc)
{
	s->n_rhythm = 0;
	s->rhythm.ages = 0;
	s->cusum = 0;
	gapwin_add(&s->all, &s->n_all, beacon_code(gc));
	s->extras = 0;
	s->since_rhythm = 0;
}

static int	beacon_score(struct beacon_series *, uint32_t, uint32_t,
		    int64_t);

/*
 * Is a log gap y the timer's, whose gaps are centred on c (log) with
 * half-width a: within k half-widths of one, two or three periods (a
 * missed beat is the timer's)?
 */
static int
beacon_setup_timer(double y, double c, double a, double k)
{
	int	m;

	for (m = 1; m <= BEACON_MMAX; m++)
		if (fabs(y - c - beacon_log_m[m]) <= k * a)
			return 1;
	return 0;
}

/*
 * Is the first gap of a young series a session's set-up?  The series is
 * all rhythm so far (nothing set aside, no restart), has BEACON_SETUP_N + 1
 * gaps, the last BEACON_SETUP_N within 5% of each other, and the first is
 * more than BEACON_SETUP_K of their half-widths (uniform jitter's from
 * their range, at least BEACON_A_MIN) from their centre and from its
 * double and triple (a missed beat is the timer's).  A connection's
 * opening exchange (a handshake, a STARTDT, a first request) comes before
 * the first check-in and gives a gap the timer never keeps; left in the
 * rhythm it spreads the young fit for 16 beats.  Then the series starts
 * again at its second beat: its gaps since are scored again, from an
 * empty state, as if it had begun there, so that it never has more
 * evidence than such a series (a retry loop of 5 tries after anything:
 * 3 gaps scored, under 12 nats).  But when the first check-in lasted and
 * the first gap, from its end, is the timer's (within BEACON_RETIME_K
 * half-widths), the series starts again at that end instead, all its gaps
 * kept.  The gaps are scored again from beat to beat only (the reading
 * from each exchange's end, beacon_score's, is not redone).  Once a
 * series.  1 when the new scores make it periodic.
 */
static int
beacon_setup(struct beacon_series *s, int64_t ts)
{
	double		y[BEACON_SETUP_N + 1], lo, hi, c, a;
	uint32_t	ms[BEACON_SETUP_N + 1];
	int		i, r, from = 1, newly = 0;

	if ((s->flags & BEACON_F_SETUP) || s->verdict != BEACON_V_NONE ||
	    s->n_rhythm != BEACON_SETUP_N + 1 || s->n_all != s->n_rhythm ||
	    s->beats != s->n_rhythm)
		return 0;
	/* the gaps in arrival order: an age of r is the r-th gap */
	for (i = 0; i < s->n_rhythm; i++) {
		r = (int)(s->rhythm.ages >> 4 * i & 15);
		y[r] = beacon_y(s->rhythm.v[i]);
	}
	lo = hi = y[1];
	for (r = 2; r <= BEACON_SETUP_N; r++) {
		lo = fmin(lo, y[r]);
		hi = fmax(hi, y[r]);
	}
	if (hi - lo > BEACON_SETUP_R)
		return 0;
	c = (hi + lo) / 2;
	a = fmax(BEACON_A_MIN, (hi - lo) / 2 * (BEACON_SETUP_N + 1) /
	    (BEACON_SETUP_N - 1));
	if (beacon_setup_timer(y[0], c, a, BEACON_SETUP_K))
		return 0;
	for (r = 0; r <= BEACON_SETUP_N; r++)
		ms[r] = (uint32_t)lround(exp(y[r] + BEACON_LN_MS));
	/*
	 * A first check-in that lasted (a staging exchange of several
	 * requests, one beat): the timer's sleep began at its end.  From
	 * there the first gap is the timer's, and the series is scored as
	 * one begun at that end.  It stays in the rhythm, so it must fit
	 * as the others do: a gap up to BEACON_SETUP_K half-widths off is
	 * no set-up, but kept it spreads the young fit (a 9.5 s timer
	 * within 2%, a set-up of 1.5 s 12 s before its first check-in:
	 * 10.5 s from its end; the timer was found at its 8th check-in,
	 * not its 6th).
	 */
	if (s->first_len > 0 && s->first_len < ms[0] &&
	    beacon_setup_timer(log((ms[0] - s->first_len) / 1000.0), c, a,
	    BEACON_RETIME_K)) {
		ms[0] -= s->first_len;
		from = 0;
	}
	s->flags |= BEACON_F_SETUP;
	s->n_rhythm = s->n_all = 0;
	s->rhythm.ages = s->all.ages = 0;
	s->cusum = s->peak = 0;
	s->extras = 0;
	s->since_rhythm = 0;
	s->missed = 0;
	for (r = from; r <= BEACON_SETUP_N; r++)
		newly |= beacon_score(s, ms[r], 0, ts);
	return newly;
}

/*
 * Judge a new beat, gc ms after the previous one; 1 when it makes the
 * series periodic.  The rhythm's gap is from its last beat, which may be
 * further back than the previous beat when beats were set aside.
 */
static int
beacon_score(struct beacon_series *s, uint32_t gc, uint32_t len, int64_t ts)
{
	struct beacon_fit	f;
	struct beacon_null	f0;
	uint32_t		gr;
	double			yc, yr, ye, g, p0, p1, pm, lam, rho, llr, thresh;
	int			m, x, newly = 0, extra = 0;

	gr = UINT32_MAX - s->since_rhythm < gc ? UINT32_MAX :
	    s->since_rhythm + gc;
	if (s->n_rhythm >= BEACON_NMIN && s->n_all >= 1) {
		beacon_fit_rhythm(s, &f);
		yr = beacon_y(beacon_code(gr));
		m = beacon_multiple(yr - f.mu);
		if (m > BEACON_MMAX) {
			/*
			 * A silence no period explains: the rhythm, if
			 * there was one, paused or was something else.  It
			 * starts again from here, and so does the evidence.
			 */
			beacon_restart(s, gc);
			return 0;
		}
		if (f.a == 0) {
			/* no timer spreads its beats so: no evidence */
			s->cusum = 0;
			goto keep;
		}
		beacon_fit_null(s, &f0);
		g = gc / 1000.0;
		yc = beacon_y(beacon_code(gc));
		if ((p0 = beacon_p0(&f0, yc, g)) < 1e-300)
			p0 = 1e-300;
		/*
		 * A beat well before the rhythm is due, once the rhythm has
		 * a few gaps to go by, is set aside: another connection to
		 * the same place.  Those come at random, lam a second (rho
		 * per period, from how many of the last 16 beats were).
		 */
		x = beacon_extras(s);
		rho = (x + 0.5) / (GAPWIN_N - x + 1.0);
		lam = rho * exp(-f.mu);
		p1 = beacon_p1(&f, yr) * exp(-yr);	/* per second */
		extra = (s->n_rhythm >= BEACON_NASIDE && yr < f.mu &&
		    (p1 < BEACON_RHO0 * exp(-f.mu) || yr - f.mu <
		    -fmax(BEACON_EARLY, 2 * BEACON_A_SHAPE * f.a))) ||
		    beacon_split(s, &f, yr, m);
		if (extra && x >= BEACON_EXTRAS_LOST) {
			/*
			 * Most beats are set aside: the rhythm is not the
			 * series' (a first guess from random traffic, say).
			 * It starts again from here.
			 */
			beacon_restart(s, gc);
			return 0;
		}
		/*
		 * The loop may time its sleep from the previous check-in's
		 * start or from its end (len ms later, when known): either,
		 * a half each.  Where the exchange was short they agree.
		 */
		pm = p1;
		if (len > 0 && s->since_rhythm == 0 && len < gr) {
			ye = beacon_y(beacon_code(gr - len));
			pm = (p1 + beacon_p1(&f, ye) * exp(-ye)) / 2;
		}
		llr = log((extra ? lam : pm) * g / p0);
		if (llr > BEACON_LLR_MAX)
			llr = BEACON_LLR_MAX;
		llr -= lam * g;
		/* H1 holds a share of H0: what no timer explains costs 4.6 nats */
		llr = llr > 0 ? llr + log1p(BEACON_EPS * (exp(-llr) - 1)) :
		    log((1 - BEACON_EPS) * exp(llr) + BEACON_EPS);
		llr -= BEACON_DRIFT;
		s->cusum = s->cusum + llr > 0 ? s->cusum + llr : 0;
		if (s->cusum > s->peak)
			s->peak = s->cusum;
		if (s->verdict != BEACON_V_STROBE) {
			s->period = (float)exp(f.mu);
			s->width = (float)(f.a * s->period);
		}
		if (!extra && m >= 2)
			s->missed = s->missed + m - 1 > UINT16_MAX ?
			    UINT16_MAX : s->missed + m - 1;
		thresh = beacon_sizes_regular(s) ? BEACON_THRESH_SIZE :
		    BEACON_THRESH;
		if (s->verdict == BEACON_V_NONE && s->cusum >= thresh &&
		    x + extra <= BEACON_EXTRAS_MAX &&
		    beacon_silences(s, f.mu, gc) <= BEACON_BREAKS) {
			s->verdict = BEACON_V_PERIODIC;
			s->periodic_since = beacon_secs(s, ts);
			newly = 1;
		}
	}
keep:
	gapwin_add(&s->all, &s->n_all, beacon_code(gc));
	s->extras = (uint16_t)(s->extras << 1 | extra);
	if (extra)
		s->since_rhythm = gr;
	else {
		gapwin_add(&s->rhythm, &s->n_rhythm, beacon_code(gr));
		s->since_rhythm = 0;
		newly |= beacon_setup(s, ts);
	}
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

/*
 * Does an event at ts start a beat?  After a quiet of more than the merge
 * window, yes; closer to the last, it is part of the beat (a retry, a
 * look-up and its connection, a check-in over three connections) unless
 * the beat has outlasted the window with its events a second or more
 * apart: a timer faster than the window, whose events make beats of a
 * span each (a 1.3 s poll, beats of two polls) rather than one endless
 * beat.  Faster streams stay one beat, for the strobe test.
 */
static int
beacon_starts_beat(const struct beacon_series *s, int64_t ts)
{
	int64_t	w = s->flags & BEACON_F_LOOKUP ? BEACON_MERGE_LOOKUP_US :
		    BEACON_MERGE_US;

	return s->beats == 0 || ts - s->last_event > w ||
	    (ts - s->beat_start > w && s->chain_events >= 2 &&
	    s->chain_mean >= BEACON_FAST_GAP);
}

/* Microseconds as whole ms, at most UINT32_MAX (49 days). */
static uint32_t
beacon_ms(int64_t us)
{
	int64_t	ms = us / 1000;

	return ms > UINT32_MAX ? UINT32_MAX : (uint32_t)ms;
}

/* An event of a series; 1 when it changed the verdict. */
static int
beacon_event(struct beacon_series *s, int64_t ts, int64_t quiet,
    uint64_t bytes)
{
	int64_t		dt, end;
	uint32_t	add = bytes > UINT32_MAX ? UINT32_MAX : (uint32_t)bytes;
	uint32_t	len;
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
	if (!beacon_starts_beat(s, ts)) {
		if (dt < 0)
			dt = 0;
		else
			s->last_event = ts;
		s->beat_bytes = UINT32_MAX - s->beat_bytes < add ?
		    UINT32_MAX : s->beat_bytes + add;
		return beacon_chain(s, dt);
	}
	beacon_close_beat(s);
	/*
	 * How long the previous check-in lasted: to its last event, or to
	 * the last packet of this beat's flow before its quiet (an exchange
	 * inside one connection makes one event) when that came within the
	 * merge window of the last event, as an event of the beat would
	 * have.  Only the exchange's end is a sleep's start: a beat's last
	 * event may be another poll of a timer faster than the window.
	 */
	end = s->last_event;
	len = 0;
	if (quiet > 0 && ts - quiet > end && ts - quiet - end <=
	    BEACON_MERGE_US) {
		end = ts - quiet;
		len = beacon_ms(end - s->beat_start);
	}
	if (s->beats == 1 && s->verdict == BEACON_V_NONE)
		s->first_len = beacon_ms(end - s->beat_start);
	newly = beacon_score(s, beacon_ms(ts - s->beat_start), len, ts);
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
	else if (s->group == BEACON_G_SERVICE)
		r->svc = (uint32_t)hash_load64(s->key + 8);
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
	r->periodic_since = s->first_seen + (s->verdict != BEACON_V_NONE ?
	    s->periodic_since : 0) * 1000000LL;
}

/*
 * The key bytes of a series of one grouping, and its words; for a name,
 * also (fixed, when not NULL) its hash under the fixed key, from the same
 * folding.  A service's key is the address's hash under the fixed key
 * (an IPv6 address and a port do not fit 16 bytes) and the service.
 */
static void
beacon_key(const struct beacon *b, enum beacon_group g, uint8_t af,
    const uint8_t *dst, const char *name, uint32_t asn, uint32_t svc,
    uint8_t *key, uint64_t *kw, uint64_t *fixed)
{
	char		buf[BEACON_NAME_FOLD];
	uint64_t	h = 0, aw[3];
	size_t		n;

	memset(key, 0, 16);
	switch (g) {
	case BEACON_G_ADDRESS:
		memcpy(key, dst, af == 4 ? 4 : 16);
		hash_addr_words(af, dst, kw);
		return;
	case BEACON_G_SERVICE:
		hash_addr_words(af, dst, aw);
		aw[2] = af;
		hash_store64(key, hash_fast_w(&beacon_first_key, aw, 3));
		hash_store64(key + 8, svc);
		kw[0] = hash_load64(key);
		kw[1] = hash_load64(key + 8);
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
 * not NULL, the name series when name is not NULL or empty, the ASN
 * series when asn is not 0, and the service series (the address and the
 * destination's port, BEACON_SVC) when dst is not NULL and svc not 0.
 * Leaves for beacon_alert() the alert this beat raises, if any: the
 * most specific series it made periodic (or a strobe) for the first time,
 * unless a more specific series of the same beat has already alerted (the
 * same beacon, seen more coarsely).
 */
void
beacon_beat(struct beacon *b, uint8_t af, const uint8_t *appliance,
    const uint8_t *dst, const char *name, uint32_t asn, uint32_t svc,
    int64_t ts, int64_t quiet, uint64_t bytes)
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
		    (g == BEACON_G_ASN && asn == 0) ||
		    (g == BEACON_G_SERVICE && (dst == NULL || svc == 0)));
		if (!on[g])
			continue;
		beacon_key(b, g, af, dst, name, asn, svc, key[g], kw, &fixed);
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
			/* the first is taken to be of the same kind */
			if (dst == NULL)
				s[g]->flags |= BEACON_F_LOOKUP;
			beacon_event(s[g], first, 0, first_bytes);
		} else
			beacon_touch(b, a, s[g]);
		if (dst != NULL) {
			memcpy(s[g]->addr, dst, af == 4 ? 4 : 16);
			/* a caller that mixes (the matrix): 2 s again */
			s[g]->flags &= ~BEACON_F_LOOKUP;
		}
		if (beacon_starts_beat(s[g], ts))
			b->stats.beats++;
		newly[g] = beacon_event(s[g], ts, quiet, bytes);
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

/*
 * The state of one series, without touching it; -1 when there is none.
 * For BEACON_G_SERVICE, asn is the service (BEACON_SVC) of the address.
 */
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
	    ((g == BEACON_G_ADDRESS || g == BEACON_G_SERVICE) &&
	    dst == NULL) ||
	    (g == BEACON_G_NAME && name == NULL) ||
	    (a = beacon_appliance_find(b, af, appliance)) == NULL)
		return -1;
	beacon_key(b, g, af, dst, name, asn, asn, key, kw, NULL);
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
