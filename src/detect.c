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
 * series turns periodic the detector names the most specific; in audit
 * mode every outside destination is unreviewed, so it is an alert.
 */
#include "config.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "alert.h"
#include "app.h"
#include "beacon.h"
#include "decode.h"
#include "detect.h"
#include "geo.h"
#include "pdns.h"
#include "sha256.h"
#include "sink_json.h"
#include "util.h"
#include "xmalloc.h"

#define DETECT_NAMES	65536	/* names remembered for the reports */

/* A name the beacon detector knows only by its hash. */
struct det_name {
	uint64_t	 hash;
	char		*name;
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
	struct det_name		*names;		/* DETECT_NAMES, open-addressed */
	size_t			 nnames;
	struct det_alert	*alerts;
	size_t			 nalerts;
	uint64_t		 alerts_dropped;
	struct detect_stats	 stats;
};

/* Detectors reading from and writing to in. */
struct detect *
detect_new(const struct detect_in *in)
{
	struct detect	*d;

	d = xcalloc(1, sizeof(*d));
	d->in = *in;
	d->bc = beacon_new(BEACON_MAX_SERIES, BEACON_MAX_PER_APP);
	d->names = xcalloc(DETECT_NAMES, sizeof(*d->names));
	d->alerts = xcalloc(DETECT_MAX_ALERTS, sizeof(*d->alerts));
	return d;
}

/* Free the detectors. */
void
detect_free(struct detect *d)
{
	size_t	i;

	if (d == NULL)
		return;
	for (i = 0; i < DETECT_NAMES; i++)
		free(d->names[i].name);
	for (i = 0; i < d->nalerts; i++) {
		free(d->alerts[i].action);
		free(d->alerts[i].message);
	}
	free(d->names);
	free(d->alerts);
	beacon_free(d->bc);
	free(d);
}

/* The beacon detector, for tests and the benchmark. */
struct beacon *
detect_beacon(struct detect *d)
{
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

	for (i = h & (DETECT_NAMES - 1); d->names[i].name != NULL &&
	    d->names[i].hash != h; i = (i + 1) & (DETECT_NAMES - 1))
		;
	return &d->names[i];
}

/* Remember a name by its beacon hash (at most DETECT_NAMES / 2). */
static void
detect_name_keep(struct detect *d, const char *name)
{
	uint64_t	 h = beacon_name_hash(d->bc, name);
	struct det_name	*n = detect_name_slot(d, h);

	if (n->name != NULL || d->nnames >= DETECT_NAMES / 2)
		return;
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

/* Is an address outside the site? */
static int
detect_outside(const struct detect *d, uint8_t af, const uint8_t *addr)
{
	(void)d;
	return !util_addr_private(af, addr);
}

/*
 * The name of a flow's destination for a beat at ts: what the appliance
 * had resolved, else what its first bytes told the server, else NULL.
 * *src says which.
 */
static const char *
detect_flow_name(struct detect *d, const struct flow *f, int64_t ts,
    const char **src)
{
	struct pdns_name	pn;

	if (d->in.app != NULL && pdns_lookup(d->in.app->pdns, f->key.af,
	    f->key.addr[f->app], f->key.addr[!f->app], ts, &pn)) {
		*src = "dns";
		return pn.name;
	}
	*src = "tls";
	if (f->l7 != NULL && f->l7->sni != NULL)
		return f->l7->sni;
	*src = "http";
	if (f->l7 != NULL && f->l7->http_host != NULL)
		return f->l7->http_host;
	*src = NULL;
	return NULL;
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
	k = &d->alerts[d->nalerts++];
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
	else if (s < 7200)
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
    const struct geo_info *gi)
{
	struct alert	a;
	char		app[UTIL_ADDRSTRLEN], key[300], per[32], net[200];

	memset(&a, 0, sizeof(a));
	detect_series_str(d, r, key, sizeof(key));
	detect_period_str(r->period_s, per, sizeof(per));
	util_addr_str(r->af, r->app, app, sizeof(app));
	net[0] = '\0';
	if (gi != NULL && gi->asn != 0)
		snprintf(net, sizeof(net), " (AS%u %.60s%s%s)", gi->asn,
		    gi->org, gi->country[0] ? ", " : "", gi->country);
	a.action = r->verdict == BEACON_V_STROBE ? "strobe" : "beacon";
	a.severity = ALERT_SEV_BEACON;
	a.rule = a.action;
	a.ts = r->last_seen;
	a.id = detect_id(a.action, r->af, r->app, key);
	a.flow_id = f->id;
	a.af = r->af;
	a.src = r->app;
	a.dst = r->addr;
	a.proto = f->key.proto;
	a.dport = util_proto_has_ports(f->key.proto) ?
	    f->key.port[!f->app] : 0;
	a.geo = gi;
	a.domain = name;
	a.name_source = name_src;
	a.verdict = "unreviewed";
	a.beacon = r;
	if (r->verdict == BEACON_V_STROBE)
		snprintf(a.message, sizeof(a.message), "%s sends to %s%s in a "
		    "fast regular stream (%u events, every %s): a strobe, "
		    "not a beacon", app, key, net, r->events, per);
	else
		snprintf(a.message, sizeof(a.message), "%s calls %s%s every %s "
		    "(jitter %.0f%%, %u check-ins, %u missed, grouped by %s): "
		    "a periodic call-home to an unreviewed destination", app,
		    key, net, per, r->jitter * 100, r->beats, r->missed,
		    beacon_group_name(r->group_by));
	detect_raise(d, &a);
}

/* Feed one beat of flow f at ts, with the name given, and raise what it finds. */
static void
detect_beat(struct detect *d, const struct flow *f, int64_t ts,
    const char *name, const char *name_src)
{
	struct beacon_report	 r;
	struct geo_info		 gi, *g = NULL;
	const uint8_t		*dst = f->key.addr[!f->app];

	if (d->in.geo != NULL && geo_lookup(d->in.geo, f->key.af, dst, &gi))
		g = &gi;
	if (name != NULL)
		detect_name_keep(d, name);
	d->stats.beats++;
	beacon_beat(d->bc, f->key.af, f->key.addr[f->app], dst, name,
	    g != NULL ? g->asn : 0, ts, 0);
	if (beacon_alert(d->bc, &r))
		detect_beacon_alert(d, &r, f, name, name_src, g);
}

/* One packet, after its flow and application layer have seen it: beats. */
void
detect_packet(struct detect *d, struct flow *f, const struct flow_hit *h,
    const struct pkt *p)
{
	const char	*name, *src;

	if (h->dir != f->app ||
	    !detect_outside(d, f->key.af, f->key.addr[!f->app]))
		return;
	if (h->created) {
		name = detect_flow_name(d, f, p->ts, &src);
		if (name == NULL && f->key.proto == 6)
			f->l7_flags |= FLOW_L7_BEAT_NAME;
		detect_beat(d, f, p->ts, name, src);
	} else if (h->idle >= DETECT_BEAT_GAP) {
		name = detect_flow_name(d, f, f->start, &src);
		detect_beat(d, f, p->ts, name, src);
	} else if ((f->l7_flags & FLOW_L7_BEAT_NAME) && p->payload_len > 0) {
		/* The first bytes may have named it: a beat for that name. */
		f->l7_flags &= (uint8_t)~FLOW_L7_BEAT_NAME;
		name = detect_flow_name(d, f, f->start, &src);
		if (name != NULL)
			detect_beat(d, f, p->ts, name, src);
	}
}

/* Order reports: appliance, then what the series is keyed by. */
static int
detect_report_cmp(const void *a, const void *b)
{
	const struct beacon_report	*x = a, *y = b;
	int				 c;

	if (x->af != y->af)
		return x->af < y->af ? -1 : 1;
	if ((c = memcmp(x->app, y->app, 16)) != 0)
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
	char			 app[UTIL_ADDRSTRLEN], key[300], per[32];
	size_t			 i;

	beacon_foreach(d->bc, detect_collect, &rs);
	if (rs.n > 0)
		qsort(rs.v, rs.n, sizeof(*rs.v), detect_report_cmp);
	fprintf(fp, "\nbeacons: %zu periodic series\n", rs.n);
	if (rs.n > 0)
		fprintf(fp, "%-39s %-7s %-32s %10s %6s %5s %6s  %s\n",
		    "appliance", "by", "destination", "period", "jitter",
		    "beats", "missed", "verdict");
	for (i = 0; i < rs.n; i++) {
		r = &rs.v[i];
		util_addr_str(r->af, r->app, app, sizeof(app));
		detect_series_str(d, r, key, sizeof(key));
		detect_period_str(r->period_s, per, sizeof(per));
		fprintf(fp, "%-39s %-7s %-32.32s %10s %5.0f%% %5u %6u  %s\n",
		    app, beacon_group_name(r->group_by), key, per,
		    r->jitter * 100, r->beats, r->missed,
		    r->verdict == BEACON_V_STROBE ? "strobe" : "unreviewed");
	}
	free(rs.v);

	if (d->nalerts > 0)
		qsort(d->alerts, d->nalerts, sizeof(*d->alerts),
		    detect_alert_cmp);
	fprintf(fp, "\nalerts: %" PRIu64 "\n", d->stats.alerts);
	for (i = 0; i < d->nalerts; i++) {
		if (i == 0 || memcmp(d->alerts[i].src, d->alerts[i - 1].src,
		    16) != 0) {
			util_addr_str(d->alerts[i].af, d->alerts[i].src, app,
			    sizeof(app));
			fprintf(fp, "%s\n", app);
		}
		fprintf(fp, "    %-24s %s\n", d->alerts[i].action,
		    d->alerts[i].message);
	}
	if (d->alerts_dropped > 0)
		fprintf(fp, "(%" PRIu64 " more alerts not listed: summary cap)\n",
		    d->alerts_dropped);
}
