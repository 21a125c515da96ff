/*
 * Beacon verdicts.
 *
 * The beats of each appliance go to the beacon detector (beacon.c) through
 * the beat queue (beatq.c).  A beat is a connection the appliance opens to
 * an outside address (its first packet), or its first packet after
 * ALERT_BEACON_GAP of quiet inside a flow that lasts (a UDP keep-alive on
 * one 5-tuple, a TLS session that polls inside itself).  Each beat carries
 * the name the appliance had resolved for the address, else the name it
 * told the server (SNI, HTTP Host): a new connection without a resolved
 * name feeds the name series once its first bytes have named it, a round
 * trip later, which the detector merges into the same beat for the other
 * two series.  When a series turns periodic the detector names the most
 * specific; the policy decides: to an approved destination it is recorded,
 * to any other (in audit mode every outside destination is unreviewed) it
 * is an alert.  The verdicts are kept (alert_mark) for the series reports
 * handed to the sinks at the end.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "alert.h"
#include "alert_beacon.h"
#include "app.h"
#include "beacon.h"
#include "beatq.h"
#include "decode.h"
#include "event.h"
#include "geo.h"
#include "mac.h"
#include "policy.h"
#include "sink.h"
#include "util.h"
#include "xmalloc.h"

#define AB_TCP_SYN	0x02
#define AB_TCP_ACK	0x10

/* What the alert of a beat needs besides (the flow may be gone by then). */
struct ab_ctx {
	struct flow_key		 key;
	uint64_t		 flow_id;
	struct geo_info		 gi;
	enum app_name_source	 name_src;
	uint8_t			 appliance;	/* its side of key */
	uint8_t			 has_geo;
	uint8_t			 has_mac;
	uint8_t			 mac[6];	/* the appliance's, when listed */
};

/* A name the beacon detector knows only by its hash. */
struct ab_name {
	uint64_t	 hash;
	char		*name;
};

struct alert_beacon {
	struct alert_beacon_in	 in;
	struct beacon		*bc;
	struct beatq		*q;
	struct ab_name		*names;		/* open-addressed, half full */
	size_t			 nslots;
	size_t			 nnames;
	uint64_t		 beats;		/* fed to the detector */
	uint64_t		 recorded;	/* periodic, approved: no alert */
};

static void	ab_hit(void *, uint64_t, const struct beacon_report *);

/* Beacon verdicts reading from and writing to in. */
struct alert_beacon *
alert_beacon_new(const struct alert_beacon_in *in)
{
	struct alert_beacon	*ab;

	ab = xcalloc(1, sizeof(*ab));
	ab->in = *in;
	ab->bc = beacon_new(BEACON_MAX_SERIES, BEACON_MAX_PER_APPLIANCE);
	ab->q = beatq_new(ab->bc, in->threads > 1, sizeof(struct ab_ctx),
	    ab_hit, ab);
	ab->nslots = 256;
	ab->names = xcalloc(ab->nslots, sizeof(*ab->names));
	return ab;
}

/* Free the beacon verdicts, every result raised first. */
void
alert_beacon_free(struct alert_beacon *ab)
{
	size_t	i;

	if (ab == NULL)
		return;
	beatq_free(ab->q);
	for (i = 0; i < ab->nslots; i++)
		free(ab->names[i].name);
	free(ab->names);
	beacon_free(ab->bc);
	free(ab);
}

/*
 * The beacon detector, every beat fed, for its counters, tests and the
 * benchmark (see beatq_beacon).
 */
struct beacon *
alert_beacon_detector(struct alert_beacon *ab)
{
	return beatq_beacon(ab->q);
}

/* The slot of a name hash: its own, or the empty one it would take. */
static struct ab_name *
ab_name_slot(struct alert_beacon *ab, uint64_t h)
{
	size_t	i;

	for (i = h & (ab->nslots - 1); ab->names[i].name != NULL &&
	    ab->names[i].hash != h; i = (i + 1) & (ab->nslots - 1))
		;
	return &ab->names[i];
}

/* Double the names' slots. */
static void
ab_names_grow(struct alert_beacon *ab)
{
	struct ab_name	*old = ab->names;
	size_t		 i, n = ab->nslots;

	ab->nslots *= 2;
	ab->names = xcalloc(ab->nslots, sizeof(*ab->names));
	for (i = 0; i < n; i++)
		if (old[i].name != NULL)
			*ab_name_slot(ab, old[i].hash) = old[i];
	free(old);
}

/* Remember a name by its beacon hash (at most ALERT_BEACON_NAMES / 2). */
static void
ab_name_keep(struct alert_beacon *ab, const char *name)
{
	uint64_t	 h = beacon_name_hash(ab->bc, name);
	struct ab_name	*n = ab_name_slot(ab, h);

	if (n->name != NULL || ab->nnames >= ALERT_BEACON_NAMES / 2)
		return;
	if ((ab->nnames + 1) * 2 > ab->nslots) {
		ab_names_grow(ab);
		n = ab_name_slot(ab, h);
	}
	n->hash = h;
	n->name = xstrdup(name);
	ab->nnames++;
}

/* A name from its beacon hash, or NULL. */
static const char *
ab_name_of(struct alert_beacon *ab, uint64_t h)
{
	return ab_name_slot(ab, h)->name;
}

/* What a series is keyed by, as words: the address, name or network. */
static void
ab_series_str(struct alert_beacon *ab, const struct beacon_report *r,
    char *buf, size_t len)
{
	const char	*name;

	switch (r->group_by) {
	case BEACON_G_NAME:
		name = ab_name_of(ab, r->name_hash);
		snprintf(buf, len, "%s", name != NULL ? name : "(a name)");
		break;
	case BEACON_G_ASN:
		snprintf(buf, len, "AS%u", r->asn);
		break;
	default:
		util_addr_str(r->af, r->addr, buf, len);
		break;
	}
}

/* The mark where the verdict on a series is kept (0: none yet). */
static int *
ab_series_mark(struct alert_beacon *ab, const struct beacon_report *r)
{
	char	key[ALERT_KEY_MAX];

	ab_series_str(ab, r, key, sizeof(key));
	return alert_mark(ab->in.windows, beacon_group_name(r->group_by),
	    r->af, r->appliance, key);
}

/* A beacon alert from the report of the series that turned periodic. */
static void
ab_alert(struct alert_beacon *ab, const struct beacon_report *r,
    const struct flow *f, const char *name, enum app_name_source name_src,
    const struct geo_info *gi, enum policy_verdict v)
{
	struct alert	 a;
	const char	*vname = policy_verdict_name(v);
	char		 who[UTIL_ADDRSTRLEN], key[ALERT_KEY_MAX], per[32];
	char		 net[200];

	memset(&a, 0, sizeof(a));
	ab_series_str(ab, r, key, sizeof(key));
	util_period_str(r->period_s, per, sizeof(per));
	util_addr_str(r->af, r->appliance, who, sizeof(who));
	net[0] = '\0';
	if (gi != NULL && gi->asn != 0)
		snprintf(net, sizeof(net), " (AS%u %.60s%s%s)", gi->asn,
		    gi->org, gi->country[0] ? ", " : "", gi->country);
	a.action = r->verdict == BEACON_V_STROBE ? ALERT_STROBE : ALERT_BEACON;
	a.severity = ALERT_SEV_BEACON;
	a.rule = alert_action_name(a.action);
	a.ts = r->last_seen;
	a.id = alert_id(alert_action_name(a.action), r->af, r->appliance, key);
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
	a.verdict = v;
	a.beacon = r;
	if (r->verdict == BEACON_V_STROBE)
		snprintf(a.message, sizeof(a.message), "%s sends to %s%s in a "
		    "fast regular stream (%u events, every %s): a strobe, "
		    "not a beacon", who, key, net, r->events, per);
	else
		snprintf(a.message, sizeof(a.message), "%s calls %s%s every %s "
		    "(jitter %.0f%%, %u check-ins, %u missed, grouped by %s): "
		    "a periodic call-home to %s %s destination", who, key, net,
		    per, r->jitter * 100, r->beats, r->missed,
		    beacon_group_name(r->group_by),
		    v == POLICY_UNAPPROVED || v == POLICY_UNREVIEWED ? "an" :
		    "a", vname);
	sinks_alert(ab->in.sinks, &a);
}

/*
 * The verdict on a beat's destination: by the policy, with the beat's name
 * as its evidence and the appliance's MAC as it was at the beat (NULL when
 * not listed); in audit mode unreviewed.
 */
static enum policy_verdict
ab_verdict(struct alert_beacon *ab, const struct flow *f, const uint8_t *mac,
    const char *name, enum app_name_source name_src, const struct geo_info *g)
{
	struct policy_query	q;
	struct policy_result	res;

	if (ab->in.policy == NULL)
		return POLICY_UNREVIEWED;
	policy_query_flow(&q, f, mac, g != NULL ? g->asn : 0,
	    g != NULL ? g->country : NULL);
	if (name != NULL)
		policy_query_name(&q, name, name_src == APP_NAME_DNS ?
		    POLICY_EV_DNS : name_src == APP_NAME_TLS ? POLICY_EV_TLS :
		    POLICY_EV_HTTP);
	policy_verdict(ab->in.policy, &q, &res);
	return res.verdict;
}

/*
 * Keep the verdict on the destination of a beat for its three series: the
 * one found periodic and the others of the same beat, which the detector
 * reports under the most specific.
 */
static void
ab_keep_verdict(struct alert_beacon *ab, const struct flow *f,
    const char *name, const struct geo_info *g, enum policy_verdict v)
{
	struct alert_windows	*w = ab->in.windows;
	const uint8_t		*who = f->key.addr[f->appliance];
	char			 key[UTIL_ADDRSTRLEN];

	util_addr_str(f->key.af, f->key.addr[!f->appliance], key, sizeof(key));
	*alert_mark(w, beacon_group_name(BEACON_G_ADDRESS), f->key.af, who,
	    key) = (int)v + 1;
	if (name != NULL)
		*alert_mark(w, beacon_group_name(BEACON_G_NAME), f->key.af,
		    who, name) = (int)v + 1;
	if (g != NULL && g->asn != 0) {
		snprintf(key, sizeof(key), "AS%u", g->asn);
		*alert_mark(w, beacon_group_name(BEACON_G_ASN), f->key.af,
		    who, key) = (int)v + 1;
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
ab_hit(void *arg, uint64_t seq, const struct beacon_report *r)
{
	struct alert_beacon	*ab = arg;
	const struct ab_ctx	*e = beatq_ctx(ab->q, seq), *k;
	const struct geo_info	*g = e->has_geo ? &e->gi : NULL;
	const char		*name = beatq_name(ab->q, seq);
	enum app_name_source	 name_src = e->name_src;
	enum policy_verdict	 v;
	struct flow		 f;
	uint64_t		 j;

	for (j = seq + 1; name == NULL && j < beatq_head(ab->q); j++) {
		k = beatq_ctx(ab->q, j);
		if (k->flow_id == e->flow_id &&
		    (name = beatq_name(ab->q, j)) != NULL)
			name_src = k->name_src;
	}
	memset(&f, 0, sizeof(f));	/* what the verdict and alert read */
	f.key = e->key;
	f.appliance = e->appliance;
	f.id = e->flow_id;
	v = ab_verdict(ab, &f, e->has_mac ? e->mac : NULL, name, name_src, g);
	*ab_series_mark(ab, r) = (int)v + 1;
	ab_keep_verdict(ab, &f, name, g, v);
	if (v == POLICY_APPROVED || v == POLICY_INTERNAL)
		ab->recorded++;
	else
		ab_alert(ab, r, &f, name, name_src, g, v);
}

/*
 * Queue one beat of flow f at ts, with the name given (a copy: the flow
 * may be gone when its alert is raised).
 */
static void
ab_beat(struct alert_beacon *ab, const struct flow *f, int64_t ts,
    const char *name, enum app_name_source name_src)
{
	struct ab_ctx	*c;
	struct geo_info	 gi;
	const uint8_t	*who = f->key.addr[f->appliance];
	const uint8_t	*dst = f->key.addr[!f->appliance], *mac;
	int		 has_geo;

	has_geo = ab->in.geo != NULL &&
	    geo_lookup(ab->in.geo, f->key.af, dst, &gi);
	c = beatq_push(ab->q, ts, f->key.af, who, dst, name,
	    has_geo ? gi.asn : 0);
	c->key = f->key;
	c->appliance = f->appliance;
	c->flow_id = f->id;
	c->has_geo = (uint8_t)has_geo;
	if (has_geo)
		c->gi = gi;
	c->name_src = name_src;
	c->has_mac = 0;
	if (ab->in.macs != NULL &&
	    (mac = mac_of(ab->in.macs, f->key.af, who)) != NULL) {
		memcpy(c->mac, mac, sizeof(c->mac));
		c->has_mac = 1;
	}
	if (name != NULL)
		ab_name_keep(ab, name);
	ab->beats++;
}

/* One packet, after its flow and application layer have seen it: beats. */
void
alert_beacon_packet(struct alert_beacon *ab, struct flow *f,
    const struct flow_hit *h, const struct pkt *p)
{
	const char		*name, *cname;
	enum app_name_source	 src;
	int			 named;

	beatq_tick(ab->q, p->ts);
	if (h->dir != f->appliance)
		return;
	/*
	 * Which packets are beats first, the destination's place after (it
	 * costs more): a new flow; the first packet after a quiet spell (but
	 * a SYN sent again is the same connection's retry); the first bytes
	 * of a flow begun without a name, which may name it.
	 */
	named = 0;
	if (!h->created && (h->idle < ALERT_BEACON_GAP ||
	    (f->key.proto == 6 && (p->tcp_flags & (AB_TCP_SYN |
	    AB_TCP_ACK)) == AB_TCP_SYN))) {
		if (!(f->app_flags & FLOW_APP_BEAT_NAME) ||
		    p->payload_len == 0)
			return;
		f->app_flags &= (uint8_t)~FLOW_APP_BEAT_NAME;
		named = 1;
	}
	if (!policy_is_outside(ab->in.policy, f->key.af,
	    f->key.addr[!f->appliance]))
		return;
	name = app_flow_name(ab->in.app, f, &src, &cname);
	if (h->created && name == NULL && f->key.proto == 6)
		f->app_flags |= FLOW_APP_BEAT_NAME;
	if (!named || name != NULL)
		ab_beat(ab, f, p->ts, name, src);
}

/* Raise the alerts of every beat seen so far. */
void
alert_beacon_flush(struct alert_beacon *ab)
{
	if (ab != NULL)
		beatq_flush(ab->q);
}

/* Order reports: appliance, then what the series is keyed by. */
static int
ab_report_cmp(const void *a, const void *b)
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

struct ab_reports {
	struct beacon_report	*v;
	size_t			 n, cap;
};

/* Collect one periodic series. */
static void
ab_collect(const struct beacon_report *r, void *arg)
{
	struct ab_reports	*rs = arg;

	if (rs->n == rs->cap) {
		rs->cap = rs->cap ? rs->cap * 2 : 64;
		rs->v = xreallocarray(rs->v, rs->cap, sizeof(*rs->v));
	}
	rs->v[rs->n++] = *r;
}

/*
 * Hand every periodic series to the sinks as it stands, in order of
 * appliance and key, with the verdict kept for it.
 */
void
alert_beacon_series(struct alert_beacon *ab)
{
	struct ab_reports	 rs = { NULL, 0, 0 };
	struct event_series	 ev;
	size_t			 i;
	int			 mark;

	beacon_foreach(alert_beacon_detector(ab), ab_collect, &rs);
	if (rs.n > 0)
		qsort(rs.v, rs.n, sizeof(*rs.v), ab_report_cmp);
	for (i = 0; i < rs.n; i++) {
		memset(&ev, 0, sizeof(ev));
		ev.report = &rs.v[i];
		if (rs.v[i].group_by == BEACON_G_NAME)
			ev.name = ab_name_of(ab, rs.v[i].name_hash);
		mark = *ab_series_mark(ab, &rs.v[i]);
		ev.judged = mark != 0;
		ev.verdict = mark != 0 ? (enum policy_verdict)(mark - 1) :
		    POLICY_UNREVIEWED;
		sinks_series(ab->in.sinks, &ev);
	}
	free(rs.v);
}

/* The detector's counters and the verdicts'. */
void
alert_beacon_counters(struct alert_beacon *ab, struct event_counters *c)
{
	const struct beacon_stats	*b;

	b = beacon_stats(alert_beacon_detector(ab));
	event_counter(c, "beacon.beats", b->events);
	event_counter(c, "beacon.series_beats", b->beats);
	event_counter(c, "beacon.first_sightings", b->first_seen);
	event_counter(c, "beacon.first_given_way", b->first_lost);
	event_counter(c, "beacon.series", b->series);
	event_counter(c, "beacon.series_created", b->created);
	event_counter(c, "beacon.evicted", b->evicted);
	event_counter(c, "beacon.evicted_per_appliance", b->evicted_appliance);
	event_counter(c, "beacon.periodic", b->periodic);
	event_counter(c, "beacon.strobes", b->strobes);
	event_counter(c, "beacon.reports", b->alerts);
	event_counter(c, "beacon.reports_suppressed", b->suppressed);
	event_counter(c, "beacon.recorded", ab->recorded);
}
