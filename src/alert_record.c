/*
 * The policy's alerts on finished flow records.  Every record, with its
 * verdict, may raise
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
 *                           is in no group sends outside, once a window;
 *   long-connection         (alert_long.c) a connection to a destination
 *                           not approved open past a limit, once;
 *   duplicate-flood         most of a record's packets were dropped as
 *                           SPAN copies, some past what a mirror port
 *                           makes, windowed like unapproved.
 * These are the policy's: in audit mode (no policy) there are none, but
 * for long-connection, to unreviewed destinations, and duplicate-flood.
 * The windows run on packet time (alert.c).
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alert.h"
#include "alert_long.h"
#include "alert_record.h"
#include "app.h"
#include "hash.h"
#include "policy.h"
#include "sink.h"
#include "util.h"
#include "xmalloc.h"

/* Bytes one appliance sent to destinations not approved, this window. */
struct ar_exfil {
	uint8_t		 af;		/* 0: empty */
	uint8_t		 alerted;
	uint8_t		 addr[16];
	int64_t		 since;
	uint64_t	 bytes;
};

struct alert_record {
	struct alert_long	*longs;		/* long-connection */
	const struct policy	*policy;
	struct alert_windows	*windows;
	struct sinks		*sinks;
	struct hash_key		 key;		/* of the exfil slots */
	struct ar_exfil		*ex;		/* open-addressed, half full */
	size_t			 nex, exslots;
	uint64_t		 copy_flows;	/* records mostly SPAN copies */
};

/* The record alerts of a policy, windowed by w, raised to sinks. */
struct alert_record *
alert_record_new(const struct policy *p, struct alert_windows *w,
    struct sinks *sinks)
{
	struct alert_record	*ar;

	ar = xcalloc(1, sizeof(*ar));
	ar->longs = alert_long_new(p, sinks);
	ar->policy = p;
	ar->windows = w;
	ar->sinks = sinks;
	hash_key_random(&ar->key);
	ar->exslots = 1024;
	ar->ex = xcalloc(ar->exslots, sizeof(*ar->ex));
	return ar;
}

/* Judge by p from now on (a reload); windows and totals stay. */
void
alert_record_set_policy(struct alert_record *ar, const struct policy *p)
{
	ar->policy = p;
	alert_long_set_policy(ar->longs, p);
}

/* Free the record alerts. */
void
alert_record_free(struct alert_record *ar)
{
	if (ar == NULL)
		return;
	alert_long_free(ar->longs);
	free(ar->ex);
	free(ar);
}

/* An alert about one flow record, its destination fields filled. */
static void
ar_alert(struct alert_record *ar, const struct event_flow *ev,
    enum alert_action action, int severity, const char *rule,
    const char *key, uint64_t count, const char *what)
{
	struct alert		 a;
	struct alert_ends	 e;
	char			 more[64], port[16];

	alert_flow(&a, &e, ev, action, severity);
	more[0] = '\0';
	if (count > 0)
		snprintf(more, sizeof(more), "; %" PRIu64 " more contact%s "
		    "since the last alert", count, count == 1 ? "" : "s");
	if (rule != NULL)
		a.rule = rule;
	a.id = alert_id(alert_action_name(action), a.af, a.src, key);
	a.rule_file = ev->rule_file;
	a.rule_line = ev->rule_line;
	a.count = count + 1;
	port[0] = '\0';
	if (a.dport != 0)
		snprintf(port, sizeof(port), " port %u", a.dport);
	snprintf(a.message, sizeof(a.message), "%s talks to %s%s: %s%s",
	    e.who, e.where, port, what, more);
	sinks_alert(ar->sinks, &a);
}

/* The exfil slot of an appliance: its own, or the empty one it would take. */
static struct ar_exfil *
ar_exfil_slot(struct ar_exfil *v, size_t nslots, const struct hash_key *k,
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
static struct ar_exfil *
ar_exfil_get(struct alert_record *ar, uint8_t af, const uint8_t *addr)
{
	struct ar_exfil	*e, *old;
	size_t		 i, n;

	e = ar_exfil_slot(ar->ex, ar->exslots, &ar->key, af, addr);
	if (e->af != 0)
		return e;
	if (ar->nex >= ALERT_MAX_EXFIL)
		return NULL;
	if ((ar->nex + 1) * 2 > ar->exslots) {
		old = ar->ex;
		n = ar->exslots;
		ar->exslots *= 2;
		ar->ex = xcalloc(ar->exslots, sizeof(*ar->ex));
		for (i = 0; i < n; i++)
			if (old[i].af != 0)
				*ar_exfil_slot(ar->ex, ar->exslots, &ar->key,
				    old[i].af, old[i].addr) = old[i];
		free(old);
		e = ar_exfil_slot(ar->ex, ar->exslots, &ar->key, af, addr);
	}
	e->af = af;
	memcpy(e->addr, addr, af == 4 ? 4 : 16);
	e->since = INT64_MIN;
	ar->nex++;
	return e;
}

/*
 * Bytes out to destinations not approved, in tumbling windows per
 * appliance: an alert the first time a window reaches the threshold.
 */
static void
ar_exfil(struct alert_record *ar, const struct event_flow *ev)
{
	const struct policy	*p = ar->policy;
	const struct flow	*f = ev->flow;
	struct ar_exfil		*e;
	uint64_t		 limit = POLICY_DEFAULT_EXFIL_THRESHOLD;
	int64_t			 window = POLICY_DEFAULT_EXFIL_WINDOW;
	char			 what[160], b[16], w[32];

	if (p->opts.exfil_threshold != 0)
		limit = p->opts.exfil_threshold;
	if (p->opts.exfil_window != 0)
		window = p->opts.exfil_window;
	if ((e = ar_exfil_get(ar, f->key.af, f->key.addr[f->appliance])) ==
	    NULL)
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
	util_period_str((double)window / 1e6, w, sizeof(w));
	snprintf(what, sizeof(what), "%s sent to destinations not approved "
	    "within %s (threshold reached)", b, w);
	ar_alert(ar, ev, ALERT_EXFIL, ALERT_SEV_EXFIL, NULL, "", 0, what);
}

/* DNS, DoT or DoH to a resolver that is not one of the site's. */
static void
ar_dns_bypass(struct alert_record *ar, const struct event_flow *ev,
    int64_t window)
{
	const struct flow	*f = ev->flow;
	const uint8_t		*dst = f->key.addr[!f->appliance];
	char			 key[ALERT_KEY_MAX];
	uint64_t		 n;
	uint8_t			 ap = f->app != NULL ? f->app->proto :
				    APP_NONE;

	if (ap != APP_DNS && ap != APP_DOT && ap != APP_DOH)
		return;
	if (policy_is_resolver(ar->policy, f->key.af, dst) ||
	    util_addr_local(f->key.af, dst))	/* mDNS is no bypass */
		return;
	util_addr_str(f->key.af, dst, key, sizeof(key));
	if (alert_window(ar->windows, alert_action_name(ALERT_DNS_BYPASS),
	    f->key.af, f->key.addr[f->appliance], key, f->start, window, &n))
		ar_alert(ar, ev, ALERT_DNS_BYPASS, ALERT_SEV_DNS_BYPASS, NULL,
		    key, n, ap == APP_DOT ? "DNS over TLS to a resolver that "
		    "is not the site's" : ap == APP_DOH ? "DNS over HTTPS to a "
		    "resolver that is not the site's" : "DNS to a resolver "
		    "that is not the site's");
}

/*
 * A flow record most of whose packets were dropped as SPAN copies is
 * counted (alert.copy_flows); when some were also past what a mirror port
 * makes (app_mostly_copies), the appliance is making its traffic look like
 * copies so that it is not counted: duplicate-flood, in audit mode too, at
 * most one an appliance and destination for the unapproved window.
 */
static void
ar_copies(struct alert_record *ar, const struct event_flow *ev)
{
	const struct policy	*p = ar->policy;
	const struct flow	*f = ev->flow;
	int64_t			 window = POLICY_DEFAULT_UNAPPROVED_WINDOW;
	char			 key[ALERT_KEY_MAX];
	uint64_t		 n;
	int			 mostly;

	if ((mostly = app_mostly_copies(f)) == 0)
		return;
	ar->copy_flows++;
	if (mostly < 2)
		return;
	if (p != NULL && p->opts.unapproved_window != 0)
		window = p->opts.unapproved_window;
	util_addr_str(f->key.af, f->key.addr[!f->appliance], key, sizeof(key));
	if (alert_window(ar->windows, alert_action_name(ALERT_COPIES),
	    f->key.af, f->key.addr[f->appliance], key, f->last, window, &n))
		ar_alert(ar, ev, ALERT_COPIES, ALERT_SEV_COPIES, NULL, key, n,
		    "most of its packets were byte-identical copies, more "
		    "than a mirror port makes (egressd.flow.duplicates)");
}

/* Records that were mostly SPAN copies (alert.copy_flows). */
uint64_t
alert_record_copy_flows(const struct alert_record *ar)
{
	return ar->copy_flows;
}

/* The alerts a flow record may raise, from its verdict. */
void
alert_record_flow(struct alert_record *ar, const struct event_flow *ev)
{
	const struct policy	*p = ar->policy;
	const struct flow	*f = ev->flow;
	const uint8_t		*who = f->key.addr[f->appliance];
	const uint8_t		*dst = f->key.addr[!f->appliance];
	const char		*kind;
	char			 key[ALERT_KEY_MAX];
	uint64_t		 n;
	int64_t			 window = POLICY_DEFAULT_UNAPPROVED_WINDOW;
	int			 first = f->start == f->first;

	alert_long_flow(ar->longs, ev);	/* audit mode too: unreviewed */
	ar_copies(ar, ev);		/* audit mode too */
	if (p == NULL)
		return;		/* audit mode: no policy, no policy alerts */
	if (p->opts.unapproved_window != 0)
		window = p->opts.unapproved_window;
	if (ev->domain != NULL)
		snprintf(key, sizeof(key), "%s", ev->domain);
	else
		util_addr_str(f->key.af, dst, key, sizeof(key));

	kind = alert_action_name(ALERT_DENIED);
	if (ev->verdict == POLICY_DENIED && alert_window(ar->windows, kind,
	    f->key.af, who, key, f->last, ALERT_DENIED_EVERY, &n))
		ar_alert(ar, ev, ALERT_DENIED, ALERT_SEV_DENIED, ev->rule,
		    key, n, "a denied destination");
	kind = alert_action_name(ALERT_UNAPPROVED);
	if (first && ev->verdict == POLICY_UNAPPROVED &&
	    alert_window(ar->windows, kind, f->key.af, who, key, f->start,
	    window, &n))
		ar_alert(ar, ev, ALERT_UNAPPROVED, ALERT_SEV_UNAPPROVED,
		    NULL, key, n, ev->group != NULL ? "no rule of its group "
		    "allows it" : "it is in no group, so nothing allows it");

	if (first)
		ar_dns_bypass(ar, ev, window);

	if (ev->verdict == POLICY_UNAPPROVED || ev->verdict == POLICY_DENIED)
		ar_exfil(ar, ev);

	kind = alert_action_name(ALERT_UNKNOWN);
	if (first && ev->group == NULL &&
	    policy_is_outside(p, f->key.af, dst) &&
	    policy_is_internal(p, f->key.af, who) &&
	    alert_window(ar->windows, kind, f->key.af, who, "", f->start,
	    window, &n))
		ar_alert(ar, ev, ALERT_UNKNOWN, ALERT_SEV_UNKNOWN, NULL, "",
		    n, "a host of the site in no group sends outside");
}
