/*
 * Long connections.  A connection held open is a channel: cameras and hubs
 * keep one to their vendor's cloud, an implant to its controller.  Which
 * of them are approved is for the policy to say; one to a destination it
 * does not approve (unapproved, denied, or in audit mode unreviewed) that
 * stays open past long-connection (an hour) is reported once, with how
 * long it has been open and the bytes each way so far.  A connection is
 * TCP, or QUIC over UDP; other UDP associations (NTP, a keep-alive on one
 * 5-tuple) are left to the beacon detector.
 *
 * Long flows are seen at their records: the flow table writes one every
 * active timeout (5 minutes) while a flow lasts and one when it ends, so
 * the report comes at the first record past the limit, at most an active
 * timeout late, or at the last record of a connection that closed
 * between the two.  The bytes of a connection's records are added up
 * from its first record on, in a table of connections that have had one
 * (capped: past ALERT_LONG_MAX, a connection is still reported, at the
 * record that crosses the limit, with the bytes of that record only).
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alert.h"
#include "alert_long.h"
#include "app.h"
#include "policy.h"
#include "sink.h"
#include "util.h"
#include "xmalloc.h"

/* A connection with a record written, still open. */
struct al_conn {
	uint64_t	 id;		/* the flow's */
	struct al_conn	*next;
	uint64_t	 bytes[2];	/* of its records so far, by side */
	int		 reported;
};

struct alert_long {
	const struct policy	*policy;
	struct sinks		*sinks;
	int64_t			 limit;
	struct al_conn		*buckets[ALERT_LONG_BUCKETS];
	size_t			 n;
};

/* Long-connection alerts under a policy (NULL: audit mode), to sinks. */
struct alert_long *
alert_long_new(const struct policy *p, struct sinks *sinks)
{
	struct alert_long	*al;

	al = xcalloc(1, sizeof(*al));
	al->sinks = sinks;
	alert_long_set_policy(al, p);
	return al;
}

/* Judge by p from now on, with its limit (a reload). */
void
alert_long_set_policy(struct alert_long *al, const struct policy *p)
{
	al->policy = p;
	al->limit = ALERT_LONG_LIMIT;
	if (p != NULL && p->opts.long_connection != 0)
		al->limit = p->opts.long_connection;
}

/* Free the connections followed. */
void
alert_long_free(struct alert_long *al)
{
	struct al_conn	*c;
	size_t		 i;

	if (al == NULL)
		return;
	for (i = 0; i < ALERT_LONG_BUCKETS; i++)
		while ((c = al->buckets[i]) != NULL) {
			al->buckets[i] = c->next;
			free(c);
		}
	free(al);
}

/* The link to a connection's entry, or to the NULL at its chain's end. */
static struct al_conn **
al_find(struct alert_long *al, uint64_t id)
{
	struct al_conn	**pp;

	for (pp = &al->buckets[id % ALERT_LONG_BUCKETS]; *pp != NULL &&
	    (*pp)->id != id; pp = &(*pp)->next)
		;
	return pp;
}

/* The alert: how long, how much, to where. */
static void
al_alert(struct alert_long *al, const struct event_flow *ev,
    const uint64_t bytes[2], int open)
{
	const struct flow	*f = ev->flow;
	struct alert		 a;
	struct alert_ends	 e;
	char			 key[ALERT_KEY_MAX], dur[32], bo[16], bi[16];

	alert_flow(&a, &e, ev, ALERT_LONG, ALERT_SEV_LONG);
	a.duration = f->last - f->start;
	a.bytes_out = bytes[f->appliance];
	a.bytes_in = bytes[!f->appliance];
	/* the same connection is the same alert: its ends and its start */
	snprintf(key, sizeof(key), "%s %u %" PRId64, e.dst, a.dport, f->start);
	a.id = alert_id(a.rule, a.af, a.src, key);
	util_period_str((double)a.duration / 1e6, dur, sizeof(dur));
	util_bytes_str(a.bytes_out, bo, sizeof(bo));
	util_bytes_str(a.bytes_in, bi, sizeof(bi));
	snprintf(a.message, sizeof(a.message), "%s holds a connection to %s "
	    "port %u %s %s (%s out, %s in): a long connection to %s %s "
	    "destination", e.who, e.where, a.dport, open ? "open for" :
	    "that was open for", dur, bo, bi, ev->verdict == POLICY_UNAPPROVED ||
	    ev->verdict == POLICY_UNREVIEWED ? "an" : "a",
	    policy_verdict_name(ev->verdict));
	sinks_alert(al->sinks, &a);
}

/* Is a flow a connection, whose length is its own? */
static int
al_is_connection(const struct flow *f)
{
	return f->key.proto == 6 || (f->key.proto == 17 && f->app != NULL &&
	    f->app->proto == APP_QUIC);
}

/*
 * A flow record: add up a connection's bytes, and report it once when it
 * has been open past the limit to a destination not approved.
 */
void
alert_long_flow(struct alert_long *al, const struct event_flow *ev)
{
	const struct flow	*f = ev->flow;
	struct al_conn		**pp, *c;
	uint64_t		 bytes[2];
	int			 open = ev->reason == FLOW_R_ACTIVE;

	if (!al_is_connection(f))
		return;
	pp = al_find(al, f->id);
	c = *pp;
	if (c == NULL && open && al->n < ALERT_LONG_MAX) {
		c = *pp = xcalloc(1, sizeof(*c));
		c->id = f->id;
		al->n++;
	}
	bytes[0] = f->bytes[0];
	bytes[1] = f->bytes[1];
	if (c != NULL) {
		bytes[0] = c->bytes[0] += f->bytes[0];
		bytes[1] = c->bytes[1] += f->bytes[1];
	}
	/* untracked (at the cap): the record that crosses the limit */
	if ((c != NULL ? !c->reported : f->rec_start - f->start <= al->limit) &&
	    f->last - f->start >= al->limit &&
	    ev->verdict != POLICY_APPROVED && ev->verdict != POLICY_INTERNAL) {
		al_alert(al, ev, bytes, open);
		if (c != NULL)
			c->reported = 1;
	}
	if (!open && c != NULL) {
		*pp = c->next;
		free(c);
		al->n--;
	}
}
