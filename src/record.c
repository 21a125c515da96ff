/*
 * The record path: a flow record from the flow table is named (ASN and
 * country, the name the appliance resolved, else SNI, else HTTP Host) and
 * handed to the JSON sink and the summary.
 *
 * Records are queued, RECORD_QUEUE at a time, and the table slots each will
 * touch are prefetched when it is queued: expiry ends flows in bursts, and
 * the passive DNS and summary look-ups of a burst then overlap their cache
 * misses instead of paying them one after another.  The caller flushes the
 * queue after every call into the flow table that can emit records, before
 * anything else changes the tables, so a record sees exactly the state it
 * would have seen unqueued.  A flow released while its record is queued
 * hands its application record over to the queue.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "geo.h"
#include "pdns.h"
#include "record.h"
#include "sink_json.h"
#include "summary.h"
#include "util.h"
#include "xmalloc.h"

struct record_item {
	struct flow		 f;	/* a copy: the flow may be gone */
	enum flow_reason	 reason;
	struct flow_app		*owned;	/* taken from a released flow */
};

struct record {
	struct record_out	out;
	struct record_item	q[RECORD_QUEUE];
	unsigned int		head, n;
};

/* A record path to the given outputs. */
struct record *
record_new(const struct record_out *out)
{
	struct record	*r;

	r = xcalloc(1, sizeof(*r));
	r->out = *out;
	return r;
}

/* Free a record path; flush it first. */
void
record_free(struct record *r)
{
	if (r == NULL)
		return;
	record_flush(r);
	free(r);
}

/* Is a name an address literal ("10.0.0.5", "[fd00::1]") rather than a domain? */
static int
record_is_literal(const char *name)
{
	uint8_t	buf[16];

	return name[0] == '[' || inet_pton(AF_INET, name, buf) == 1 ||
	    inet_pton(AF_INET6, name, buf) == 1;
}

/* Name one record and write it out. */
static void
record_emit(struct record *r, const struct flow *f, enum flow_reason reason)
{
	struct geo_info		 gi;
	struct pdns_name	 pn;
	struct flow_meta	 m;
	int			 d = !f->app;

	memset(&m, 0, sizeof(m));
	if (r->out.geo != NULL &&
	    !util_addr_private(f->key.af, f->key.addr[d]) &&
	    geo_lookup(r->out.geo, f->key.af, f->key.addr[d], &gi))
		m.geo = &gi;
	/* The name the appliance resolved first, else what it told the server. */
	if (r->out.app != NULL && pdns_lookup(r->out.app->pdns, f->key.af,
	    f->key.addr[f->app], f->key.addr[d], f->last, &pn)) {
		m.domain = pn.name;
		m.name_source = "dns";
		m.cname = pn.cname;
	} else if (f->l7 != NULL && f->l7->sni != NULL &&
	    !record_is_literal(f->l7->sni)) {
		m.domain = f->l7->sni;
		m.name_source = "tls";
	} else if (f->l7 != NULL && f->l7->http_host != NULL &&
	    !record_is_literal(f->l7->http_host)) {
		m.domain = f->l7->http_host;
		m.name_source = "http";
	}
	if (r->out.json != NULL)
		sink_json_flow(r->out.json, f, reason, &m);
	if (r->out.sum != NULL)
		summary_flow(r->out.sum, f, &m);
}

/* Write out the oldest queued record. */
static void
record_pop(struct record *r)
{
	struct record_item	*it = &r->q[r->head];

	record_emit(r, &it->f, it->reason);
	app_info_free(it->owned);
	it->owned = NULL;
	r->head = (r->head + 1) % RECORD_QUEUE;
	r->n--;
}

/* A flow record from the flow table: queue it. */
void
record_flow(struct record *r, const struct flow *f, enum flow_reason reason)
{
	struct record_item	*it;

	if (r->n == RECORD_QUEUE)
		record_pop(r);
	it = &r->q[(r->head + r->n) % RECORD_QUEUE];
	it->f = *f;
	it->reason = reason;
	it->owned = NULL;
	r->n++;
	if (r->out.app != NULL)
		pdns_prefetch(r->out.app->pdns, f->key.af, f->key.addr[f->app],
		    f->key.addr[!f->app]);
	if (r->out.sum != NULL)
		summary_prefetch(r->out.sum, f);
}

/*
 * A flow ends after its last record: free its application layer, or give
 * it to the newest queued record that still points at it.
 */
void
record_release(struct record *r, struct flow *f)
{
	struct record_item	*it;
	unsigned int		 i;

	if (r->out.app == NULL)
		return;
	for (i = r->n; f->l7 != NULL && i > 0; i--) {
		it = &r->q[(r->head + i - 1) % RECORD_QUEUE];
		if (it->f.l7 == f->l7) {
			it->owned = app_flow_take(r->out.app, f);
			return;
		}
	}
	app_flow_free(r->out.app, f);
}

/* Write out every queued record. */
void
record_flush(struct record *r)
{
	while (r->n > 0)
		record_pop(r);
}
