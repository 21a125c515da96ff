/*
 * The detectors on the packet path, and the alerts they raise.
 *
 * Beacons: the beats of each appliance go to the beacon detector
 * (beacon.c).  A beat is a connection the appliance opens to an outside
 * address (its first packet), or its first packet after DETECT_BEAT_GAP of
 * quiet inside a flow that lasts (a UDP keep-alive on one 5-tuple, a TLS
 * session that polls inside itself).  Each beat carries the name the
 * appliance had resolved for the address, else the name it told the server
 * (SNI, HTTP Host): a new connection without a resolved name feeds the
 * name series once its first bytes have named it, a round trip later, which
 * the detector merges into the same beat for the other two series.  When a
 * series turns periodic the detector names the most specific; the policy
 * decides: to an approved destination it is recorded, to any other (in
 * audit mode every outside destination is unreviewed) it is an alert.
 * The detector may run in a thread of its own (detect_in.threads = 2): the
 * packet path queues each beat with what its alert needs, the worker feeds
 * the detector, and the packet path raises the alerts in the order of the
 * beats at points the packets alone decide (detect_sync), so the output is
 * the same with a worker or without.
 *
 * Records: every flow record, with its verdict, may raise
 *   unapproved-destination  the first contact of an appliance with an
 *                           unapproved destination (by name when one is
 *                           known, else address), then none for the
 *                           unapproved window; the next after it counts
 *                           the contacts in between;
 *   denied-destination      every contact with a denied destination, at
 *                           most one alert a minute for one appliance and
 *                           destination, each counting the contacts since;
 *   dns-bypass              DNS, DoT or DoH to a resolver that is not one of
 *                           the site's, windowed like unapproved;
 *   exfil-volume            bytes from an appliance to unapproved or denied
 *                           destinations reach the threshold within a window
 *                           (tumbling windows from the appliance's first such
 *                           byte);
 *   unknown-appliance       a host inside the site's internal networks that
 *                           is in no group sends outside, once a window.
 * These are the policy's: in audit mode (no policy) there are none.  The
 * windows run on packet time; their states are capped, least recently used
 * out first.
 */
#include "config.h"

#include <sys/queue.h>

#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "alert.h"
#include "app.h"
#include "beacon.h"
#include "decode.h"
#include "detect.h"
#include "geo.h"
#include "hash.h"
#include "log.h"
#include "mac.h"
#include "policy.h"
#include "sha256.h"
#include "sink_json.h"
#include "summary.h"
#include "util.h"
#include "xmalloc.h"

#define DETECT_NAMES	65536	/* names remembered for the reports */
#define DETECT_TCP_SYN	0x02
#define DETECT_TCP_ACK	0x10

#define DETECT_Q		1024	/* beats waiting for their alerts, at most */
#define DETECT_Q_BATCH		32	/* beats handed to the worker at once */
#define DETECT_Q_US		1000000	/* packet time a beat's alert waits, at most */
#define DETECT_Q_NAME		1040	/* a beat's name, NUL included */
#define DETECT_SPIN		2000	/* polls (about 50 us) before a thread sleeps */

/*
 * A beat on its way to the beacon detector: what the detector reads, one
 * cache line (each crosses from the packet path's core to the worker's).
 * Its name, when it has one, is in the slot of the same index in the
 * ring of names.
 */
struct det_beat {
	_Alignas(64) int64_t	 ts;
	uint32_t		 asn;
	uint8_t			 af;
	uint8_t			 has_name;
	uint8_t			 appliance[16];
	uint8_t			 dst[16];
};

/* What the alert of a beat needs besides (the flow may be gone by then). */
struct det_beat_ctx {
	struct flow_key	 key;
	uint64_t	 flow_id;
	struct geo_info	 gi;
	const char	*name_src;
	uint8_t		 appliance;		/* the appliance's side of key */
	uint8_t		 has_geo;
	uint8_t		 has_mac;
	uint8_t		 mac[6];	/* the appliance's, when listed */
};

/* A series a beat made periodic. */
struct det_hit {
	uint64_t		seq;	/* of the beat */
	struct beacon_report	r;
};

/* A name the beacon detector knows only by its hash. */
struct det_name {
	uint64_t	 hash;
	char		*name;
};

/*
 * The state of one (alert, appliance, destination) or (alert, appliance):
 * keyed by a digest of those, so names of any length cost the same.
 */
struct det_state {
	uint8_t			 digest[16];
	struct det_state	*hnext;
	TAILQ_ENTRY(det_state)	 lru;
	int64_t			 since;		/* window start, or last alert */
	uint64_t		 count;		/* contacts or bytes since */
	int			 alerted;
};

/* Bytes one appliance sent to destinations not approved, this window. */
struct det_exfil {
	uint8_t		 af;		/* 0: empty */
	uint8_t		 alerted;
	uint8_t		 addr[16];
	int64_t		 since;
	uint64_t	 bytes;
};

/* An alert kept for the summary. */
struct det_alert {
	uint8_t		 af;
	uint8_t		 src[16];
	int64_t		 ts;
	char		*action;
	char		*message;
};

struct detect {
	struct detect_in	 in;
	struct beacon		*bc;
	struct det_name		*names;		/* open-addressed, half full */
	size_t			 nslots;
	size_t			 nnames;
	struct det_alert	*alerts;
	size_t			 nalerts, alerts_cap;
	struct det_state	**sbuckets;	/* DETECT_MAX_STATES */
	struct hash_key		 dkey[2];	/* of the state digests */
	struct det_exfil	*ex;		/* open-addressed, half full */
	size_t			 nex, exslots;
	TAILQ_HEAD(, det_state)	 slru;
	size_t			 nstates;
	uint64_t		 alerts_dropped;
	struct detect_stats	 stats;

	/*
	 * The beats between the packet path and the beacon detector: a ring
	 * of DETECT_Q slots, by sequence number.  [taken, head) wait for
	 * their alerts; [done, given) are the worker's to feed to the
	 * detector; [given, head) are not handed over yet; mark is the head
	 * at the last sync.  What the detector finds goes to a ring of hits
	 * of the same size: [h_taken, h_done) are found and published with
	 * done.  Given, done and h_done change hands through the atomics;
	 * the detector, the hits from h_done on and the beat slots in
	 * [done, given) are the worker's meanwhile (without a worker, the
	 * packet path does its part at each sync).  What each thread writes
	 * often is on a cache line of its own, so that the other's reads do
	 * not take it away at every beat.
	 */
	/* the packet path's, every beat */
	_Alignas(64) struct det_beat	*q;
	struct det_beat_ctx	*qctx;		/* the packet path's alone */
	char			(*qname)[DETECT_Q_NAME];
	struct det_hit		*hits;
	uint64_t		 q_head, q_taken, q_mark;
	int64_t			 q_deadline;	/* packet time of a sync */
	uint64_t		 h_taken;
	int			 threaded;	/* a worker, once started */
	int			 started;
	/* written by the packet path a batch at a time, polled by the worker */
	_Alignas(64) _Atomic uint64_t	 q_given;
	/* the worker's */
	_Alignas(64) _Atomic uint64_t	 q_done;
	_Atomic uint64_t	 h_done;
	uint64_t		 h_next;
	/* sleeping and waking */
	_Alignas(64) _Atomic int	 w_sleeping;
	_Atomic int		 m_sleeping, stop;
	pthread_t		 worker;
	pthread_mutex_t		 mtx;
	pthread_cond_t		 cv_work, cv_done;
};

/* Detectors reading from and writing to in. */
struct detect *
detect_new(const struct detect_in *in)
{
	struct detect	*d;

	d = xaligned(_Alignof(struct detect), sizeof(*d));
	memset(d, 0, sizeof(*d));
	d->in = *in;
	d->bc = beacon_new(BEACON_MAX_SERIES, BEACON_MAX_PER_APPLIANCE);
	d->nslots = 256;
	d->names = xcalloc(d->nslots, sizeof(*d->names));
	d->sbuckets = xcalloc(DETECT_STATE_BUCKETS, sizeof(*d->sbuckets));
	hash_key_random(&d->dkey[0]);
	hash_key_random(&d->dkey[1]);
	d->exslots = 1024;
	d->ex = xcalloc(d->exslots, sizeof(*d->ex));
	TAILQ_INIT(&d->slru);
	d->threaded = in->threads > 1 && !in->no_beacons;
	if (pthread_mutex_init(&d->mtx, NULL) != 0 ||
	    pthread_cond_init(&d->cv_work, NULL) != 0 ||
	    pthread_cond_init(&d->cv_done, NULL) != 0)
		fatalx("detect: pthread init failed");
	return d;
}

/* Free the detectors. */
void
detect_free(struct detect *d)
{
	struct det_state	*st;
	size_t			 i;

	if (d == NULL)
		return;
	detect_flush(d);
	if (d->started) {
		pthread_mutex_lock(&d->mtx);
		atomic_store(&d->stop, 1);
		pthread_cond_signal(&d->cv_work);
		pthread_mutex_unlock(&d->mtx);
		pthread_join(d->worker, NULL);
	}
	pthread_cond_destroy(&d->cv_done);
	pthread_cond_destroy(&d->cv_work);
	pthread_mutex_destroy(&d->mtx);
	free(d->q);
	free(d->qctx);
	free(d->qname);
	free(d->hits);
	for (i = 0; i < d->nslots; i++)
		free(d->names[i].name);
	for (i = 0; i < d->nalerts; i++) {
		free(d->alerts[i].action);
		free(d->alerts[i].message);
	}
	while ((st = TAILQ_FIRST(&d->slru)) != NULL) {
		TAILQ_REMOVE(&d->slru, st, lru);
		free(st);
	}
	free(d->sbuckets);
	free(d->ex);
	free(d->names);
	free(d->alerts);
	beacon_free(d->bc);
	free(d);
}

/*
 * The beacon detector, every beat fed, for its counters, tests and the
 * benchmark: the worker's again once the next beats are handed over, so
 * read it before the next packet.
 */
struct beacon *
detect_beacon(struct detect *d)
{
	detect_flush(d);
	return d->bc;
}

/* Counters. */
const struct detect_stats *
detect_stats(const struct detect *d)
{
	return &d->stats;
}

/* The slot of a name hash: its own, or the empty one it would take. */
static struct det_name *
detect_name_slot(struct detect *d, uint64_t h)
{
	size_t	i;

	for (i = h & (d->nslots - 1); d->names[i].name != NULL &&
	    d->names[i].hash != h; i = (i + 1) & (d->nslots - 1))
		;
	return &d->names[i];
}

/* Double the names' slots. */
static void
detect_names_grow(struct detect *d)
{
	struct det_name	*old = d->names;
	size_t		 i, n = d->nslots;

	d->nslots *= 2;
	d->names = xcalloc(d->nslots, sizeof(*d->names));
	for (i = 0; i < n; i++)
		if (old[i].name != NULL)
			*detect_name_slot(d, old[i].hash) = old[i];
	free(old);
}

/* Remember a name by its beacon hash (at most DETECT_NAMES / 2). */
static void
detect_name_keep(struct detect *d, const char *name)
{
	uint64_t	 h = beacon_name_hash(d->bc, name);
	struct det_name	*n = detect_name_slot(d, h);

	if (n->name != NULL || d->nnames >= DETECT_NAMES / 2)
		return;
	if ((d->nnames + 1) * 2 > d->nslots) {
		detect_names_grow(d);
		n = detect_name_slot(d, h);
	}
	n->hash = h;
	n->name = xstrdup(name);
	d->nnames++;
}

/* A name from its beacon hash, or NULL. */
static const char *
detect_name_of(struct detect *d, uint64_t h)
{
	return detect_name_slot(d, h)->name;
}

/*
 * Is an address outside the site: not one that never leaves it (multicast,
 * broadcast...: util_addr_local), and outside the policy's internal
 * networks, or without them (or a policy) outside private address space?
 */
static int
detect_outside(const struct detect *d, uint8_t af, const uint8_t *addr)
{
	if (util_addr_local(af, addr))
		return 0;	/* multicast, broadcast...: never a call-home */
	if (d->in.policy != NULL && d->in.policy->ninternal > 0)
		return !policy_is_internal(d->in.policy, af, addr);
	return !util_addr_private(af, addr);
}


/* A stable 64-bit id from the fields that make an alert the same alert. */
static uint64_t
detect_id(const char *action, uint8_t af, const uint8_t *src,
    const char *key)
{
	struct sha256_ctx	c;
	uint8_t			md[SHA256_LEN];
	uint64_t		id = 0;
	int			i;

	sha256_init(&c);
	sha256_update(&c, action, strlen(action) + 1);
	sha256_update(&c, &af, 1);
	sha256_update(&c, src, af == 4 ? 4 : 16);
	sha256_update(&c, key, strlen(key) + 1);
	sha256_final(&c, md);
	for (i = 0; i < 8; i++)
		id = id << 8 | md[i];
	return id;
}

/*
 * The 128-bit digest of what makes alerts of one kind the same, for the
 * state tables (two SipHash values under random keys: what it identifies
 * cannot be steered from the wire into another's state).
 */
static void
detect_digest(struct detect *d, uint8_t out[16], const char *action,
    uint8_t af, const uint8_t *appliance, const char *key)
{
	uint8_t		buf[64 + 1 + 16 + 300];
	size_t		n = 0, l;
	uint64_t	h0, h1;

	l = strlen(action);
	l = l < 63 ? l : 63;
	memcpy(buf, action, l);
	buf[l] = '\0';
	n = l + 1;
	buf[n++] = af;
	memcpy(buf + n, appliance, af == 4 ? 4 : 16);
	n += af == 4 ? 4 : 16;
	l = strlen(key);
	l = l < sizeof(buf) - n ? l : sizeof(buf) - n;
	memcpy(buf + n, key, l);
	n += l;
	h0 = hash_bytes(&d->dkey[0], buf, n);
	h1 = hash_bytes(&d->dkey[1], buf, n);
	memcpy(out, &h0, 8);
	memcpy(out + 8, &h1, 8);
}

/* Find, or make (the least recently used goes at the cap), a state. */
static struct det_state *
detect_state(struct detect *d, const uint8_t digest[16], int *fresh)
{
	struct det_state	*st, **b, **pp;
	uint64_t		 h;

	memcpy(&h, digest, sizeof(h));
	b = &d->sbuckets[h % DETECT_STATE_BUCKETS];
	for (st = *b; st != NULL; st = st->hnext)
		if (memcmp(st->digest, digest, 16) == 0) {
			TAILQ_REMOVE(&d->slru, st, lru);
			TAILQ_INSERT_TAIL(&d->slru, st, lru);
			*fresh = 0;
			return st;
		}
	if (d->nstates >= DETECT_MAX_STATES) {
		st = TAILQ_FIRST(&d->slru);
		memcpy(&h, st->digest, sizeof(h));
		for (pp = &d->sbuckets[h % DETECT_STATE_BUCKETS]; *pp != st;
		    pp = &(*pp)->hnext)
			;
		*pp = st->hnext;
		TAILQ_REMOVE(&d->slru, st, lru);
		d->nstates--;
		d->stats.states_evicted++;
	} else
		st = xmalloc(sizeof(*st));
	memset(st, 0, sizeof(*st));
	memcpy(st->digest, digest, 16);
	st->hnext = *b;
	*b = st;
	TAILQ_INSERT_TAIL(&d->slru, st, lru);
	d->nstates++;
	*fresh = 1;
	return st;
}

/* Hand an alert to the JSON sink and keep it for the summary. */
static void
detect_raise(struct detect *d, const struct alert *a)
{
	struct det_alert	*k;

	d->stats.alerts++;
	if (d->in.json != NULL)
		sink_json_alert(d->in.json, a);
	if (d->nalerts >= DETECT_MAX_ALERTS) {
		d->alerts_dropped++;
		return;
	}
	if (d->nalerts == d->alerts_cap) {
		d->alerts_cap = d->alerts_cap ? d->alerts_cap * 2 : 16;
		d->alerts = xreallocarray(d->alerts, d->alerts_cap,
		    sizeof(*d->alerts));
	}
	k = &d->alerts[d->nalerts++];
	memset(k, 0, sizeof(*k));
	k->af = a->af;
	memcpy(k->src, a->src, a->af == 4 ? 4 : 16);
	k->ts = a->ts;
	k->action = xstrdup(a->action);
	k->message = xstrdup(a->message);
}

/* "every 60 s" / "every 15.0 min" / "every 1.00 h": a period to read. */
static void
detect_period_str(double s, char *buf, size_t len)
{
	if (s < 120)
		snprintf(buf, len, "%.1f s", s);
	else if (s < 3600)
		snprintf(buf, len, "%.1f min", s / 60);
	else
		snprintf(buf, len, "%.2f h", s / 3600);
}

/* What a series is keyed by, as words: the address, name or network. */
static void
detect_series_str(struct detect *d, const struct beacon_report *r,
    char *buf, size_t len)
{
	char		 addr[UTIL_ADDRSTRLEN];
	const char	*name;

	switch (r->group_by) {
	case BEACON_G_NAME:
		name = detect_name_of(d, r->name_hash);
		snprintf(buf, len, "%s", name != NULL ? name : "(a name)");
		break;
	case BEACON_G_ASN:
		snprintf(buf, len, "AS%u", r->asn);
		break;
	default:
		util_addr_str(r->af, r->addr, addr, sizeof(addr));
		snprintf(buf, len, "%s", addr);
		break;
	}
}

/* A beacon alert from the report of the series that turned periodic. */
static void
detect_beacon_alert(struct detect *d, const struct beacon_report *r,
    const struct flow *f, const char *name, const char *name_src,
    const struct geo_info *gi, const char *verdict)
{
	struct alert	a;
	char		appliance[UTIL_ADDRSTRLEN], key[300], per[32], net[200];

	memset(&a, 0, sizeof(a));
	detect_series_str(d, r, key, sizeof(key));
	detect_period_str(r->period_s, per, sizeof(per));
	util_addr_str(r->af, r->appliance, appliance, sizeof(appliance));
	net[0] = '\0';
	if (gi != NULL && gi->asn != 0)
		snprintf(net, sizeof(net), " (AS%u %.60s%s%s)", gi->asn,
		    gi->org, gi->country[0] ? ", " : "", gi->country);
	a.action = r->verdict == BEACON_V_STROBE ? "strobe" : "beacon";
	a.severity = ALERT_SEV_BEACON;
	a.rule = a.action;
	a.ts = r->last_seen;
	a.id = detect_id(a.action, r->af, r->appliance, key);
	a.flow_id = f->id;
	a.af = r->af;
	a.src = r->appliance;
	a.dst = r->addr;
	a.proto = f->key.proto;
	a.dport = util_proto_has_ports(f->key.proto) ?
	    f->key.port[!f->appliance] : 0;
	a.geo = gi;
	a.domain = name;
	a.name_source = name_src;
	a.verdict = verdict;
	a.beacon = r;
	if (r->verdict == BEACON_V_STROBE)
		snprintf(a.message, sizeof(a.message), "%s sends to %s%s in a "
		    "fast regular stream (%u events, every %s): a strobe, "
		    "not a beacon", appliance, key, net, r->events, per);
	else
		snprintf(a.message, sizeof(a.message), "%s calls %s%s every %s "
		    "(jitter %.0f%%, %u check-ins, %u missed, grouped by %s): "
		    "a periodic call-home to %s %s destination", appliance, key, net,
		    per, r->jitter * 100, r->beats, r->missed,
		    beacon_group_name(r->group_by),
		    strcmp(verdict, "unapproved") == 0 ||
		    strcmp(verdict, "unreviewed") == 0 ? "an" : "a", verdict);
	detect_raise(d, &a);
}

/*
 * The verdict on a beat's destination: by the policy, with the beat's name
 * as its evidence and the appliance's MAC as it was at the beat (NULL when
 * not listed); in audit mode unreviewed.
 */
static enum policy_verdict
detect_beat_verdict(struct detect *d, const struct flow *f, const uint8_t *mac,
    const char *name, const char *name_src, const struct geo_info *g,
    const char **vname)
{
	struct policy_query	q;
	struct policy_result	res;

	if (d->in.policy == NULL) {
		*vname = "unreviewed";
		return POLICY_UNAPPROVED;
	}
	policy_query_flow(&q, f, mac, g != NULL ? g->asn : 0,
	    g != NULL ? g->country : NULL);
	if (name != NULL)
		policy_query_name(&q, name, strcmp(name_src, "dns") == 0 ?
		    POLICY_EV_DNS : strcmp(name_src, "tls") == 0 ?
		    POLICY_EV_TLS : POLICY_EV_HTTP);
	policy_verdict(d->in.policy, &q, &res);
	*vname = policy_verdict_name(res.verdict);
	return res.verdict;
}

/* Where the verdict on a series is kept, for the summary. */
static struct det_state *
detect_verdict_state(struct detect *d, enum beacon_group g, uint8_t af,
    const uint8_t *appliance, const char *key)
{
	uint8_t	digest[16];
	int	fresh;

	detect_digest(d, digest, beacon_group_name(g), af, appliance, key);
	return detect_state(d, digest, &fresh);
}

/* The verdict state of a periodic series. */
static struct det_state *
detect_series_state(struct detect *d, const struct beacon_report *r)
{
	char	key[300];

	detect_series_str(d, r, key, sizeof(key));
	return detect_verdict_state(d, r->group_by, r->af, r->appliance, key);
}

/*
 * Keep the verdict on the destination of a beat for its three series: the
 * one found periodic and the others of the same beat, which the detector
 * reports under the most specific.
 */
static void
detect_keep_verdict(struct detect *d, const struct flow *f, const char *name,
    const struct geo_info *g, enum policy_verdict v)
{
	char	key[UTIL_ADDRSTRLEN];

	util_addr_str(f->key.af, f->key.addr[!f->appliance], key, sizeof(key));
	detect_verdict_state(d, BEACON_G_ADDRESS, f->key.af,
	    f->key.addr[f->appliance], key)->alerted = (int)v + 1;
	if (name != NULL)
		detect_verdict_state(d, BEACON_G_NAME, f->key.af,
		    f->key.addr[f->appliance], name)->alerted = (int)v + 1;
	if (g != NULL && g->asn != 0) {
		snprintf(key, sizeof(key), "AS%u", g->asn);
		detect_verdict_state(d, BEACON_G_ASN, f->key.af,
		    f->key.addr[f->appliance], key)->alerted = (int)v + 1;
	}
}

/*
 * What a series the beat seq made periodic raises: an alert, or a record.
 * A connection's first packet often comes before its name (the SNI or
 * HTTP Host a round trip later, which the flow then feeds as a beat of its
 * own): when the beat has none, the name of a later beat of the same flow
 * still queued is the alert's, and the policy's evidence.
 */
static void
detect_beat_alert(struct detect *d, uint64_t seq,
    const struct beacon_report *r)
{
	size_t			 i = seq % DETECT_Q, k;
	const struct det_beat_ctx *e = &d->qctx[i];
	struct flow		 f;
	const struct geo_info	*g = e->has_geo ? &e->gi : NULL;
	const char		*name = d->q[i].has_name ? d->qname[i] : NULL;
	const char		*name_src = e->name_src, *vname;
	enum policy_verdict	 v;
	uint64_t		 j;

	for (j = seq + 1; name == NULL && j < d->q_head; j++) {
		k = j % DETECT_Q;
		if (d->qctx[k].flow_id == e->flow_id && d->q[k].has_name) {
			name = d->qname[k];
			name_src = d->qctx[k].name_src;
		}
	}
	memset(&f, 0, sizeof(f));	/* what the verdict and alert read */
	f.key = e->key;
	f.appliance = e->appliance;
	f.id = e->flow_id;
	v = detect_beat_verdict(d, &f, e->has_mac ? e->mac : NULL, name,
	    name_src, g, &vname);
	detect_series_state(d, r)->alerted = (int)v + 1;
	detect_keep_verdict(d, &f, name, g, v);
	if (v == POLICY_APPROVED || v == POLICY_INTERNAL)
		d->stats.beacons_recorded++;
	else
		detect_beacon_alert(d, r, &f, name, name_src, g, vname);
}

/* Feed the beats [from, to) to the beacon detector; keep what they find. */
static void
detect_beacon_run(struct detect *d, uint64_t from, uint64_t to)
{
	const struct det_beat	*e;
	uint64_t		 i;

	for (i = from; i < to; i++) {
		e = &d->q[i % DETECT_Q];
		beacon_beat(d->bc, e->af, e->appliance, e->dst,
		    e->has_name ? d->qname[i % DETECT_Q] : NULL, e->asn,
		    e->ts, 0);
		/* at most one a beat: never more than DETECT_Q unread */
		if (beacon_alert(d->bc, &d->hits[d->h_next % DETECT_Q].r))
			d->hits[d->h_next++ % DETECT_Q].seq = i;
	}
	atomic_store(&d->h_done, d->h_next);
	atomic_store(&d->q_done, to);
}

/* A short wait in a polling loop. */
static inline void
detect_pause(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#elif defined(__aarch64__) || defined(__arm__)
	__asm__ __volatile__("yield");
#endif
}

/*
 * Wake the other thread if it sleeps on cv (it set *sleeping, holding the
 * mutex, before it last looked at what it waits for).
 */
static void
detect_wake(struct detect *d, _Atomic int *sleeping, pthread_cond_t *cv)
{
	if (atomic_load(sleeping)) {
		pthread_mutex_lock(&d->mtx);
		pthread_cond_signal(cv);
		pthread_mutex_unlock(&d->mtx);
	}
}

/*
 * The worker: feeds the beats it is given to the beacon detector, polls a
 * little for more, then sleeps until it is given some or told to stop.
 */
static void *
detect_worker(void *arg)
{
	struct detect	*d = arg;
	uint64_t	 done = atomic_load(&d->q_done), given;
	int		 spin;

	for (;;) {
		for (spin = 0; (given = atomic_load(&d->q_given)) == done &&
		    spin < DETECT_SPIN; spin++)
			detect_pause();
		if (given == done) {
			pthread_mutex_lock(&d->mtx);
			atomic_store(&d->w_sleeping, 1);
			while ((given = atomic_load(&d->q_given)) == done &&
			    !atomic_load(&d->stop))
				pthread_cond_wait(&d->cv_work, &d->mtx);
			atomic_store(&d->w_sleeping, 0);
			pthread_mutex_unlock(&d->mtx);
			if (given == done)
				return NULL;		/* stop */
		}
		detect_beacon_run(d, done, given);
		done = given;
		detect_wake(d, &d->m_sleeping, &d->cv_done);
	}
}

/* Start the worker; without one, the packet path feeds the detector. */
static void
detect_start(struct detect *d)
{
	sigset_t	all, old;

	d->started = 1;
	sigfillset(&all);		/* signals are the main thread's */
	pthread_sigmask(SIG_SETMASK, &all, &old);
	if (pthread_create(&d->worker, NULL, detect_worker, d) != 0) {
		log_warnx("no thread for beacon detection: it runs in the "
		    "packet path");
		d->started = d->threaded = 0;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
}

/* Hand the worker the beats queued. */
static void
detect_give(struct detect *d)
{
	atomic_store(&d->q_given, d->q_head);
	detect_wake(d, &d->w_sleeping, &d->cv_work);
}

/*
 * The beats before sequence number to fed to the detector (waiting for the
 * worker if it has not done them yet), then their alerts raised in order.
 * Called at points the packets alone decide (see detect_tick), so the
 * output is the same with a worker or without, run after run.
 */
static void
detect_sync(struct detect *d, uint64_t to)
{
	const struct det_hit	*h;
	uint64_t		 hdone;
	int			 spin;

	if (d->threaded) {
		if (atomic_load(&d->q_given) != d->q_head)
			detect_give(d);
		for (spin = 0; atomic_load(&d->q_done) < to &&
		    spin < DETECT_SPIN; spin++)
			detect_pause();
		if (atomic_load(&d->q_done) < to) {
			pthread_mutex_lock(&d->mtx);
			atomic_store(&d->m_sleeping, 1);
			while (atomic_load(&d->q_done) < to)
				pthread_cond_wait(&d->cv_done, &d->mtx);
			atomic_store(&d->m_sleeping, 0);
			pthread_mutex_unlock(&d->mtx);
		}
	} else if (atomic_load(&d->q_done) < to) {
		detect_beacon_run(d, atomic_load(&d->q_done), to);
		atomic_store(&d->q_given, to);
	}
	hdone = atomic_load(&d->h_done);
	for (; d->h_taken < hdone; d->h_taken++) {
		h = &d->hits[d->h_taken % DETECT_Q];
		if (h->seq >= to)
			break;
		detect_beat_alert(d, h->seq, &h->r);
	}
	d->q_taken = to;
}

/*
 * A beat has waited DETECT_Q_US of packet time: raise the alerts of the
 * beats queued before the last sync, which the worker has had that long to
 * feed (so the packet path seldom waits), and mark the rest for the next.
 * A beat's alert comes out at most twice DETECT_Q_US after it.
 */
static void
detect_tick(struct detect *d, int64_t now)
{
	uint64_t	to = d->q_mark;

	d->q_mark = d->q_head;
	if (to != d->q_taken)
		detect_sync(d, to);
	else if (d->threaded && atomic_load(&d->q_given) != d->q_head)
		detect_give(d);
	d->q_deadline = now + DETECT_Q_US;
}

/* Raise the alerts of every beat seen so far. */
void
detect_flush(struct detect *d)
{
	if (d == NULL)
		return;
	if (d->q_head != d->q_taken)
		detect_sync(d, d->q_head);
	d->q_mark = d->q_head;
}

/*
 * Queue one beat of flow f at ts, with the name given (a copy: the flow
 * may be gone when its alert is raised).
 */
static void
detect_beat(struct detect *d, const struct flow *f, int64_t ts,
    const char *name, const char *name_src)
{
	struct det_beat		*e;
	struct det_beat_ctx	*c;
	const uint8_t		*dst = f->key.addr[!f->appliance], *mac;
	size_t			 i, n;

	if (d->q == NULL) {
		d->q = xaligned(_Alignof(struct det_beat),
		    DETECT_Q * sizeof(*d->q));
		d->qctx = xcalloc(DETECT_Q, sizeof(*d->qctx));
		d->qname = xcalloc(DETECT_Q, sizeof(*d->qname));
		d->hits = xcalloc(DETECT_Q, sizeof(*d->hits));
	}
	if (d->q_head - d->q_taken == DETECT_Q)
		detect_flush(d);
	if (d->q_head == d->q_taken)
		d->q_deadline = ts + DETECT_Q_US;
	i = d->q_head % DETECT_Q;
	c = &d->qctx[i];
	c->key = f->key;
	c->appliance = f->appliance;
	c->flow_id = f->id;
	c->has_geo = d->in.geo != NULL &&
	    geo_lookup(d->in.geo, f->key.af, dst, &c->gi);
	c->name_src = name_src;
	c->has_mac = 0;
	if (d->in.macs != NULL && (mac = mac_of(d->in.macs, f->key.af,
	    f->key.addr[f->appliance])) != NULL) {
		memcpy(c->mac, mac, sizeof(c->mac));
		c->has_mac = 1;
	}
	e = &d->q[i];
	e->ts = ts;
	e->asn = c->has_geo ? c->gi.asn : 0;
	e->af = f->key.af;
	e->has_name = name != NULL;
	memcpy(e->appliance, f->key.addr[f->appliance], 16);
	memcpy(e->dst, dst, 16);
	if (name != NULL) {
		detect_name_keep(d, name);
		n = strnlen(name, DETECT_Q_NAME - 1);
		memcpy(d->qname[i], name, n);
		d->qname[i][n] = '\0';
	}
	d->stats.beats++;
	d->q_head++;
	if (!d->threaded)
		return;
	if (!d->started)
		detect_start(d);
	if (d->q_head - atomic_load_explicit(&d->q_given,
	    memory_order_relaxed) >= DETECT_Q_BATCH)
		detect_give(d);
}

/* One packet, after its flow and application layer have seen it: beats. */
void
detect_packet(struct detect *d, struct flow *f, const struct flow_hit *h,
    const struct pkt *p)
{
	const char	*name, *src, *cname;
	int		 named;

	/* (or packet time went back over a second: files out of order) */
	if (d->q_head != d->q_taken && (p->ts >= d->q_deadline ||
	    p->ts < d->q_deadline - 2 * DETECT_Q_US))
		detect_tick(d, p->ts);
	if (d->in.no_beacons || h->dir != f->appliance)
		return;
	/*
	 * Which packets are beats first, the destination's place after (it
	 * costs more): a new flow; the first packet after a quiet spell (but
	 * a SYN sent again is the same connection's retry); the first bytes
	 * of a flow begun without a name, which may name it.
	 */
	named = 0;
	if (!h->created && (h->idle < DETECT_BEAT_GAP || (f->key.proto == 6 &&
	    (p->tcp_flags & (DETECT_TCP_SYN | DETECT_TCP_ACK)) ==
	    DETECT_TCP_SYN))) {
		if (!(f->app_flags & FLOW_APP_BEAT_NAME) || p->payload_len == 0)
			return;
		f->app_flags &= (uint8_t)~FLOW_APP_BEAT_NAME;
		named = 1;
	}
	if (!detect_outside(d, f->key.af, f->key.addr[!f->appliance]))
		return;
	name = app_flow_name(d->in.app, f, &src, &cname);
	if (h->created && name == NULL && f->key.proto == 6)
		f->app_flags |= FLOW_APP_BEAT_NAME;
	if (!named || name != NULL)
		detect_beat(d, f, p->ts, name, src);
}

/*
 * One contact under a window: 1 (and *count, the contacts the window
 * covered) when it is to be an alert, else 0 and it is counted.
 */
static int
detect_window(struct detect *d, const char *action, uint8_t af,
    const uint8_t *appliance, const char *key, int64_t ts, int64_t window,
    uint64_t *count)
{
	struct det_state	*st;
	uint8_t			 digest[16];
	int			 fresh;

	detect_digest(d, digest, action, af, appliance, key);
	st = detect_state(d, digest, &fresh);
	if (!fresh && ts - st->since < window) {
		st->count++;
		d->stats.suppressed++;
		return 0;
	}
	*count = st->count;
	st->since = ts;
	st->count = 0;
	return 1;
}

static void detect_record_alert(struct detect *, const struct flow *,
		    const struct flow_meta *, const char *, int, const char *,
		    const char *, uint64_t, const char *);

/*
 * A flow record most of whose packets were dropped as SPAN copies is
 * counted (alert.copy_flows); when some were also past what a mirror port
 * makes (app_mostly_copies), the appliance is making its traffic look like
 * copies so that it is not counted: duplicate-flood, in audit mode too, at
 * most one an appliance and destination for the unapproved window.
 * Self-contained: it may move to wherever the record path's detectors go.
 */
static void
detect_copies(struct detect *d, const struct flow *f,
    const struct flow_meta *m)
{
	const struct policy	*p = d->in.policy;
	int64_t			 window = POLICY_DEFAULT_UNAPPROVED_WINDOW;
	char			 key[UTIL_ADDRSTRLEN];
	uint64_t		 n;

	int			 mostly;

	if ((mostly = app_mostly_copies(f)) == 0)
		return;
	d->stats.copy_flows++;
	if (mostly < 2)
		return;
	if (p != NULL && p->opts.unapproved_window != 0)
		window = p->opts.unapproved_window;
	util_addr_str(f->key.af, f->key.addr[!f->appliance], key, sizeof(key));
	if (detect_window(d, "duplicate-flood", f->key.af,
	    f->key.addr[f->appliance], key, f->last, window, &n))
		detect_record_alert(d, f, m, "duplicate-flood",
		    ALERT_SEV_COPIES, "duplicate-flood", key, n, "most of its "
		    "packets were byte-identical copies, more than a mirror "
		    "port makes (egressd.flow.duplicates)");
}

/* An alert about one flow record, its destination fields filled. */
static void
detect_record_alert(struct detect *d, const struct flow *f,
    const struct flow_meta *m, const char *action, int severity,
    const char *rule, const char *key, uint64_t count, const char *what)
{
	struct alert	 a;
	char		 appliance[UTIL_ADDRSTRLEN], dst[UTIL_ADDRSTRLEN], net[200];
	char		 more[64], port[16];
	int		 di = !f->appliance;

	memset(&a, 0, sizeof(a));
	util_addr_str(f->key.af, f->key.addr[f->appliance], appliance, sizeof(appliance));
	util_addr_str(f->key.af, f->key.addr[di], dst, sizeof(dst));
	net[0] = more[0] = '\0';
	if (m->geo != NULL && m->geo->asn != 0)
		snprintf(net, sizeof(net), " (AS%u %.60s%s%s)", m->geo->asn,
		    m->geo->org, m->geo->country[0] ? ", " : "",
		    m->geo->country);
	if (count > 0)
		snprintf(more, sizeof(more), "; %" PRIu64 " more contact%s "
		    "since the last alert", count, count == 1 ? "" : "s");
	a.action = action;
	a.severity = severity;
	a.rule = rule;
	a.ts = f->last;
	a.id = detect_id(action, f->key.af, f->key.addr[f->appliance], key);
	a.flow_id = f->id;
	a.af = f->key.af;
	a.src = f->key.addr[f->appliance];
	a.dst = f->key.addr[di];
	a.proto = f->key.proto;
	a.dport = util_proto_has_ports(f->key.proto) ? f->key.port[di] : 0;
	a.geo = m->geo;
	a.domain = m->domain;
	a.name_source = m->name_source;
	a.verdict = m->verdict;
	a.group = m->group;
	a.rule_at = m->rule_at;
	a.count = count + 1;
	port[0] = '\0';
	if (a.dport != 0)
		snprintf(port, sizeof(port), " port %u", a.dport);
	snprintf(a.message, sizeof(a.message), "%s%s%s%s talks to %s%s%s%s%s: "
	    "%s%s", appliance, m->group ? " (group " : "",
	    m->group ? m->group : "", m->group ? ")" : "",
	    m->domain ? m->domain : dst, m->domain ? " at " : "",
	    m->domain ? dst : "", net, port, what, more);
	detect_raise(d, &a);
}

/* The exfil slot of an appliance: its own, or the empty one it would take. */
static struct det_exfil *
detect_exfil_slot(struct det_exfil *v, size_t nslots, const struct hash_key *k,
    uint8_t af, const uint8_t *addr)
{
	size_t	i, alen = af == 4 ? 4 : 16;

	for (i = hash_fast(k, addr, alen) & (nslots - 1); v[i].af != 0 &&
	    (v[i].af != af || memcmp(v[i].addr, addr, alen) != 0);
	    i = (i + 1) & (nslots - 1))
		;
	return &v[i];
}

/* The exfil state of an appliance, made when new; NULL past the cap. */
static struct det_exfil *
detect_exfil_get(struct detect *d, uint8_t af, const uint8_t *addr)
{
	struct det_exfil	*e, *old;
	size_t			 i, n;

	e = detect_exfil_slot(d->ex, d->exslots, &d->dkey[0], af, addr);
	if (e->af != 0)
		return e;
	if (d->nex >= DETECT_MAX_STATES)
		return NULL;
	if ((d->nex + 1) * 2 > d->exslots) {
		old = d->ex;
		n = d->exslots;
		d->exslots *= 2;
		d->ex = xcalloc(d->exslots, sizeof(*d->ex));
		for (i = 0; i < n; i++)
			if (old[i].af != 0)
				*detect_exfil_slot(d->ex, d->exslots,
				    &d->dkey[0], old[i].af, old[i].addr) = old[i];
		free(old);
		e = detect_exfil_slot(d->ex, d->exslots, &d->dkey[0], af,
		    addr);
	}
	e->af = af;
	memcpy(e->addr, addr, af == 4 ? 4 : 16);
	e->since = INT64_MIN;
	d->nex++;
	return e;
}

/*
 * Bytes out to destinations not approved, in tumbling windows per
 * appliance: an alert the first time a window reaches the threshold.
 */
static void
detect_exfil(struct detect *d, const struct flow *f,
    const struct flow_meta *m)
{
	const struct policy	*p = d->in.policy;
	struct det_exfil	*e;
	uint64_t		 limit = POLICY_DEFAULT_EXFIL_THRESHOLD;
	int64_t			 window = POLICY_DEFAULT_EXFIL_WINDOW;
	char			 what[160], b[16], w[32];

	if (p != NULL && p->opts.exfil_threshold != 0)
		limit = p->opts.exfil_threshold;
	if (p != NULL && p->opts.exfil_window != 0)
		window = p->opts.exfil_window;
	if ((e = detect_exfil_get(d, f->key.af, f->key.addr[f->appliance])) == NULL)
		return;
	if (e->since == INT64_MIN || f->last - e->since >= window) {
		e->since = f->first;
		e->bytes = 0;
		e->alerted = 0;
	}
	e->bytes += f->bytes[f->appliance];
	if (e->alerted || e->bytes < limit)
		return;
	e->alerted = 1;
	util_bytes_str(e->bytes, b, sizeof(b));
	detect_period_str((double)window / 1e6, w, sizeof(w));
	snprintf(what, sizeof(what), "%s sent to destinations not approved "
	    "within %s (threshold reached)", b, w);
	detect_record_alert(d, f, m, "exfil-volume", ALERT_SEV_EXFIL,
	    "exfil-volume", "", 0, what);
}

/* The alerts a flow record may raise, from its verdict. */
void
detect_record(struct detect *d, const struct flow *f,
    const struct flow_meta *m, const struct policy_result *res)
{
	const struct policy	*p = d->in.policy;
	const uint8_t		*appliance = f->key.addr[f->appliance];
	const uint8_t		*dst = f->key.addr[!f->appliance];
	char			 key[300];
	uint64_t		 n;
	int64_t			 window = POLICY_DEFAULT_UNAPPROVED_WINDOW;
	int			 first = f->start == f->first, outside;
	uint8_t			 ap = f->app != NULL ? f->app->proto : APP_NONE;

	detect_copies(d, f, m);
	if (p == NULL)
		return;		/* audit mode: no policy, no policy alerts */
	if (p->opts.unapproved_window != 0)
		window = p->opts.unapproved_window;
	outside = detect_outside(d, f->key.af, dst);
	if (m->domain != NULL)
		snprintf(key, sizeof(key), "%s", m->domain);
	else
		util_addr_str(f->key.af, dst, key, sizeof(key));

	if (strcmp(m->verdict, "denied") == 0 && detect_window(d,
	    "denied-destination", f->key.af, appliance, key, f->last,
	    DETECT_DENIED_EVERY, &n))
		detect_record_alert(d, f, m, "denied-destination",
		    ALERT_SEV_DENIED, m->rule ? m->rule : "denied-destination",
		    key, n, "a denied destination");
	else if (first && strcmp(m->verdict, "unapproved") == 0 &&
	    detect_window(d, "unapproved-destination", f->key.af, appliance, key,
	    f->start, window, &n))
		detect_record_alert(d, f, m, "unapproved-destination",
		    ALERT_SEV_UNAPPROVED, "unapproved-destination", key, n,
		    m->group != NULL ? "no rule of its group allows it" :
		    "it is in no group, so nothing allows it");

	if (first && (ap == APP_DNS || ap == APP_DOT || ap == APP_DOH) &&
	    !policy_is_resolver(p, f->key.af, dst) &&
	    !util_addr_local(f->key.af, dst)) {	/* mDNS is no bypass */
		util_addr_str(f->key.af, dst, key, sizeof(key));
		if (detect_window(d, "dns-bypass", f->key.af, appliance, key,
		    f->start, window, &n))
			detect_record_alert(d, f, m, "dns-bypass",
			    ALERT_SEV_DNS_BYPASS, "dns-bypass", key, n,
			    ap == APP_DOT ? "DNS over TLS to a resolver that is "
			    "not the site's" : ap == APP_DOH ? "DNS over HTTPS "
			    "to a resolver that is not the site's" : "DNS to a "
			    "resolver that is not the site's");
	}

	if (strcmp(m->verdict, "unapproved") == 0 ||
	    strcmp(m->verdict, "denied") == 0)
		detect_exfil(d, f, m);

	if (first && res != NULL && res->group == NULL &&
	    outside && policy_is_internal(p, f->key.af, appliance) &&
	    detect_window(d, "unknown-appliance", f->key.af, appliance, "",
	    f->start, window, &n))
		detect_record_alert(d, f, m, "unknown-appliance",
		    ALERT_SEV_UNKNOWN, "unknown-appliance", "", n,
		    "a host of the site in no group sends outside");
}

/* Order reports: appliance, then what the series is keyed by. */
static int
detect_report_cmp(const void *a, const void *b)
{
	const struct beacon_report	*x = a, *y = b;
	int				 c;

	if (x->af != y->af)
		return x->af < y->af ? -1 : 1;
	if ((c = memcmp(x->appliance, y->appliance, 16)) != 0)
		return c;
	if (x->group_by != y->group_by)
		return x->group_by < y->group_by ? -1 : 1;
	if ((c = memcmp(x->addr, y->addr, 16)) != 0)
		return c;
	if (x->asn != y->asn)
		return x->asn < y->asn ? -1 : 1;
	return x->first_seen < y->first_seen ? -1 : x->first_seen > y->first_seen;
}

struct det_reports {
	struct beacon_report	*v;
	size_t			 n, cap;
};

/* Collect one periodic series. */
static void
detect_collect(const struct beacon_report *r, void *arg)
{
	struct det_reports	*rs = arg;

	if (rs->n == rs->cap) {
		rs->cap = rs->cap ? rs->cap * 2 : 64;
		rs->v = xreallocarray(rs->v, rs->cap, sizeof(*rs->v));
	}
	rs->v[rs->n++] = *r;
}

/* Order kept alerts: appliance, then time. */
static int
detect_alert_cmp(const void *a, const void *b)
{
	const struct det_alert	*x = a, *y = b;
	int			 c;

	if (x->af != y->af)
		return x->af < y->af ? -1 : 1;
	if ((c = memcmp(x->src, y->src, 16)) != 0)
		return c;
	return x->ts < y->ts ? -1 : x->ts > y->ts;
}

/* The summary's beacons and alerts sections. */
void
detect_print(struct detect *d, FILE *fp)
{
	struct det_reports	 rs = { NULL, 0, 0 };
	struct beacon_report	*r;
	struct det_state	*st;
	char			 appliance[UTIL_ADDRSTRLEN], key[300], per[32];
	size_t			 i;

	detect_flush(d);
	beacon_foreach(d->bc, detect_collect, &rs);
	if (rs.n > 0)
		qsort(rs.v, rs.n, sizeof(*rs.v), detect_report_cmp);
	if (d->in.no_beacons)
		fprintf(fp, "\nbeacons: not looked for (--no-beacons)\n");
	else
		fprintf(fp, "\nbeacons: %zu periodic series\n", rs.n);
	if (rs.n > 0)
		fprintf(fp, "%-39s %-7s %-32s %10s %6s %5s %6s  %s\n",
		    "appliance", "by", "destination", "period", "jitter",
		    "beats", "missed", "verdict");
	for (i = 0; i < rs.n; i++) {
		r = &rs.v[i];
		util_addr_str(r->af, r->appliance, appliance, sizeof(appliance));
		detect_series_str(d, r, key, sizeof(key));
		detect_period_str(r->period_s, per, sizeof(per));
		st = detect_series_state(d, r);
		fprintf(fp, "%-39s %-7s %-32.32s %10s %5.0f%% %5u %6u  %s\n",
		    appliance, beacon_group_name(r->group_by), key, per,
		    r->jitter * 100, r->beats, r->missed,
		    r->verdict == BEACON_V_STROBE ? "strobe" :
		    st->alerted == 0 ? "(as the series above)" :
		    st->alerted - 1 ==
		    POLICY_APPROVED ? "approved (recorded)" : st->alerted - 1 ==
		    POLICY_INTERNAL ? "internal (recorded)" :
		    d->in.policy == NULL ? "unreviewed (alert)" :
		    st->alerted - 1 == POLICY_DENIED ? "denied (alert)" :
		    "unapproved (alert)");
	}
	free(rs.v);

	if (d->nalerts > 0)
		qsort(d->alerts, d->nalerts, sizeof(*d->alerts),
		    detect_alert_cmp);
	fprintf(fp, "\nalerts: %" PRIu64 "\n", d->stats.alerts);
	for (i = 0; i < d->nalerts; i++) {
		if (i == 0 || memcmp(d->alerts[i].src, d->alerts[i - 1].src,
		    16) != 0) {
			util_addr_str(d->alerts[i].af, d->alerts[i].src, appliance,
			    sizeof(appliance));
			fprintf(fp, "%s\n", appliance);
		}
		fprintf(fp, "    %-24s %s\n", d->alerts[i].action,
		    d->alerts[i].message);
	}
	if (d->alerts_dropped > 0)
		fprintf(fp, "(%" PRIu64 " more alerts not listed: summary cap)\n",
		    d->alerts_dropped);
}

/* The detectors' counters that are not zero, as the summary lists them. */
void
detect_counters(struct detect *d, FILE *fp)
{
	const struct beacon_stats	*b;

	detect_flush(d);
	b = beacon_stats(d->bc);
	summary_counter(fp, "beacon.beats", b->events);
	summary_counter(fp, "beacon.series_beats", b->beats);
	summary_counter(fp, "beacon.first_sightings", b->first_seen);
	summary_counter(fp, "beacon.first_given_way", b->first_lost);
	summary_counter(fp, "beacon.series", b->series);
	summary_counter(fp, "beacon.series_created", b->created);
	summary_counter(fp, "beacon.evicted", b->evicted);
	summary_counter(fp, "beacon.evicted_per_appliance", b->evicted_appliance);
	summary_counter(fp, "beacon.periodic", b->periodic);
	summary_counter(fp, "beacon.strobes", b->strobes);
	summary_counter(fp, "beacon.reports", b->alerts);
	summary_counter(fp, "beacon.reports_suppressed", b->suppressed);
	summary_counter(fp, "beacon.recorded", d->stats.beacons_recorded);
	summary_counter(fp, "alert.suppressed", d->stats.suppressed);
	summary_counter(fp, "alert.states_evicted", d->stats.states_evicted);
	summary_counter(fp, "alert.copy_flows", d->stats.copy_flows);
}
