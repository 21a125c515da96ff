/*
 * Alert identity: the stable id a receiver can drop a duplicate by, and the
 * states kept per (kind, appliance, key): suppression windows (an alert,
 * then none for a window, the next counting the contacts in between) and
 * marks (an int a detector keeps there, such as the verdict on a beacon
 * series).  States are keyed by a digest, so names of any length cost the
 * same; they run on packet time and are capped, least recently used out
 * first.
 */
#include "config.h"

#include <sys/queue.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alert.h"
#include "crypto.h"
#include "event.h"
#include "geo.h"
#include "hash.h"
#include "mac.h"
#include "policy.h"
#include "util.h"
#include "xmalloc.h"

/*
 * The state of one (kind, appliance, key): keyed by a digest of those, so
 * names of any length cost the same.
 */
struct alert_state {
	uint8_t			 digest[16];
	struct alert_state	*hnext;
	TAILQ_ENTRY(alert_state) lru;
	int64_t			 since;		/* window start, or last alert */
	uint64_t		 count;		/* contacts since */
	int			 mark;
};

struct alert_windows {
	struct alert_state	**buckets;	/* ALERT_STATE_BUCKETS */
	struct hash_key		 key[2];	/* of the digests */
	TAILQ_HEAD(, alert_state) lru;
	size_t			 n;
	struct alert_stats	 stats;
};

static const char *const alert_action_names[] = {
	[ALERT_DENIED] = "denied-destination",
	[ALERT_UNAPPROVED] = "unapproved-destination",
	[ALERT_DNS_BYPASS] = "dns-bypass",
	[ALERT_EXFIL] = "exfil-volume",
	[ALERT_UNKNOWN] = "unknown-appliance",
	[ALERT_BEACON] = "beacon",
	[ALERT_STROBE] = "strobe",
	[ALERT_DNS_TUNNEL] = "dns-tunnel",
	[ALERT_LONG] = "long-connection",
	[ALERT_CAPTURE_LOSS] = "capture-loss",
	[ALERT_COPIES] = "duplicate-flood",
	[ALERT_DNS_POLL] = "dns-poll",
};

/* event.action of an alert. */
const char *
alert_action_name(enum alert_action a)
{
	return (size_t)a < sizeof(alert_action_names) /
	    sizeof(alert_action_names[0]) ? alert_action_names[a] : "?";
}

/*
 * An alert of action and severity about a flow record, in a: the record's
 * ends, destination, network, name and verdict filled, the rest zero; and
 * the words its message says them in, in e.
 */
void
alert_flow(struct alert *a, struct alert_ends *e, const struct event_flow *ev,
    enum alert_action action, int severity)
{
	const struct flow	*f = ev->flow;
	const struct geo_info	*g = ev->geo;
	char			 who[UTIL_ADDRSTRLEN], net[200];
	int			 di = !f->appliance;

	memset(a, 0, sizeof(*a));
	util_addr_str(f->key.af, f->key.addr[f->appliance], who, sizeof(who));
	util_addr_str(f->key.af, f->key.addr[di], e->dst, sizeof(e->dst));
	net[0] = '\0';
	if (g != NULL && g->asn != 0)
		snprintf(net, sizeof(net), " (AS%u %.60s%s%s)", g->asn,
		    g->org, g->country[0] ? ", " : "", g->country);
	snprintf(e->who, sizeof(e->who), "%s%s%s%s", who,
	    ev->group ? " (group " : "", ev->group ? ev->group : "",
	    ev->group ? ")" : "");
	snprintf(e->where, sizeof(e->where), "%s%s%s%s",
	    ev->domain ? ev->domain : e->dst, ev->domain ? " at " : "",
	    ev->domain ? e->dst : "", net);
	a->action = action;
	a->severity = severity;
	a->rule = alert_action_name(action);
	a->ts = f->last;
	a->flow_id = f->id;
	a->af = f->key.af;
	a->src = f->key.addr[f->appliance];
	a->dst = f->key.addr[di];
	a->proto = f->key.proto;
	a->dport = util_proto_has_ports(f->key.proto) ? f->key.port[di] : 0;
	a->geo = g;
	a->domain = ev->domain;
	a->name_source = ev->name_source;
	a->verdict = ev->verdict;
	a->group = ev->group;
}

/*
 * A stable 64-bit id from the fields that make an alert the same alert:
 * its action, the appliance and a key (the destination's name or address,
 * a beacon series' key), the same on every sensor and in every run.
 */
uint64_t
alert_id(const char *action, uint8_t af, const uint8_t *src, const char *key)
{
	struct crypto_hash	*h;
	uint8_t			 md[CRYPTO_SHA256_LEN];
	uint64_t		 id = 0;
	int			 i;

	h = crypto_sha256_new();
	crypto_hash_update(h, action, strlen(action) + 1);
	crypto_hash_update(h, &af, 1);
	crypto_hash_update(h, src, af == 4 ? 4 : 16);
	crypto_hash_update(h, key, strlen(key) + 1);
	crypto_hash_final(h, md);
	for (i = 0; i < 8; i++)
		id = id << 8 | md[i];
	return id;
}

/* Empty windows. */
struct alert_windows *
alert_windows_new(void)
{
	struct alert_windows	*w;

	w = xcalloc(1, sizeof(*w));
	w->buckets = xcalloc(ALERT_STATE_BUCKETS, sizeof(*w->buckets));
	hash_key_random(&w->key[0]);
	hash_key_random(&w->key[1]);
	TAILQ_INIT(&w->lru);
	return w;
}

/* Free the windows. */
void
alert_windows_free(struct alert_windows *w)
{
	struct alert_state	*st;

	if (w == NULL)
		return;
	while ((st = TAILQ_FIRST(&w->lru)) != NULL) {
		TAILQ_REMOVE(&w->lru, st, lru);
		free(st);
	}
	free(w->buckets);
	free(w);
}

/*
 * The 128-bit digest of what makes states of one kind the same (two
 * SipHash values under random keys: what it identifies cannot be steered
 * from the wire into another's state).
 */
static void
alert_digest(struct alert_windows *w, uint8_t out[16], const char *kind,
    uint8_t af, const uint8_t *appliance, const char *key)
{
	uint8_t		buf[64 + 1 + 16 + ALERT_KEY_MAX];
	size_t		n = 0, l;
	uint64_t	h0, h1;

	l = strlen(kind);
	l = l < 63 ? l : 63;
	memcpy(buf, kind, l);
	buf[l] = '\0';
	n = l + 1;
	buf[n++] = af;
	memcpy(buf + n, appliance, af == 4 ? 4 : 16);
	n += af == 4 ? 4 : 16;
	l = strlen(key);
	l = l < sizeof(buf) - n ? l : sizeof(buf) - n;
	memcpy(buf + n, key, l);
	n += l;
	h0 = hash_bytes(&w->key[0], buf, n);
	h1 = hash_bytes(&w->key[1], buf, n);
	memcpy(out, &h0, 8);
	memcpy(out + 8, &h1, 8);
}

/* Find, or make (the least recently used goes at the cap), a state. */
static struct alert_state *
alert_state(struct alert_windows *w, const uint8_t digest[16], int *fresh)
{
	struct alert_state	*st, **b, **pp;
	uint64_t		 h;

	memcpy(&h, digest, sizeof(h));
	b = &w->buckets[h % ALERT_STATE_BUCKETS];
	for (st = *b; st != NULL; st = st->hnext)
		if (memcmp(st->digest, digest, 16) == 0) {
			TAILQ_REMOVE(&w->lru, st, lru);
			TAILQ_INSERT_TAIL(&w->lru, st, lru);
			*fresh = 0;
			return st;
		}
	if (w->n >= ALERT_MAX_STATES) {
		st = TAILQ_FIRST(&w->lru);
		memcpy(&h, st->digest, sizeof(h));
		for (pp = &w->buckets[h % ALERT_STATE_BUCKETS]; *pp != st;
		    pp = &(*pp)->hnext)
			;
		*pp = st->hnext;
		TAILQ_REMOVE(&w->lru, st, lru);
		w->n--;
		w->stats.states_evicted++;
	} else
		st = xmalloc(sizeof(*st));
	memset(st, 0, sizeof(*st));
	memcpy(st->digest, digest, 16);
	st->hnext = *b;
	*b = st;
	TAILQ_INSERT_TAIL(&w->lru, st, lru);
	w->n++;
	*fresh = 1;
	return st;
}

/*
 * One contact of an appliance under the window of (kind, key) at ts: 1
 * (and *count, the contacts the window covered) when it is to be an
 * alert, which starts a new window; else 0, and it is counted.
 */
int
alert_window(struct alert_windows *w, const char *kind, uint8_t af,
    const uint8_t *appliance, const char *key, int64_t ts, int64_t window,
    uint64_t *count)
{
	struct alert_state	*st;
	uint8_t			 digest[16];
	int			 fresh;

	alert_digest(w, digest, kind, af, appliance, key);
	st = alert_state(w, digest, &fresh);
	if (!fresh && ts - st->since < window) {
		st->count++;
		w->stats.suppressed++;
		return 0;
	}
	*count = st->count;
	st->since = ts;
	st->count = 0;
	return 1;
}

/* The mark of (kind, appliance, key), 0 when new, to read or set. */
int *
alert_mark(struct alert_windows *w, const char *kind, uint8_t af,
    const uint8_t *appliance, const char *key)
{
	uint8_t	digest[16];
	int	fresh;

	alert_digest(w, digest, kind, af, appliance, key);
	return &alert_state(w, digest, &fresh)->mark;
}

/* What the windows have done. */
const struct alert_stats *
alert_stats(const struct alert_windows *w)
{
	return &w->stats;
}

/*
 * Is a host an appliance whose behaviour the detectors judge?  In audit
 * mode any; with a policy, a member of a group, else a host of the
 * internal networks (of private address space when none are given), as
 * the flow table ranks the sides of a flow: a host that is neither is
 * outside the site, and a flow between two such is not the site's egress.
 */
int
alert_appliance(const struct policy *p, const struct mac_table *macs,
    uint8_t af, const uint8_t *addr)
{
	if (p == NULL)
		return 1;
	if (policy_group_of(p, af, addr, mac_of(macs, af, addr)) != NULL)
		return 1;
	return p->ninternal > 0 ? policy_is_internal(p, af, addr) :
	    util_addr_private(af, addr);
}
