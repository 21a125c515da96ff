/*
 * The record path: a flow record from the flow table is named (ASN and
 * country, the name the appliance resolved, else SNI, else HTTP Host) and
 * judged by the policy (egressd.verdict, the group and the rule that
 * decided), handed to the alerts that work on records, then to the sinks.
 * Without a policy (audit mode) a flow to private address space is
 * internal and any other unreviewed.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "alert_record.h"
#include "app.h"
#include "event.h"
#include "geo.h"
#include "mac.h"
#include "policy.h"
#include "record.h"
#include "sink.h"
#include "util.h"
#include "xmalloc.h"

struct record {
	struct record_in	in;
};

/* Judge the records of flows that end from now on by p (a reload). */
void
record_set_policy(struct record *r, const struct policy *p)
{
	r->in.policy = p;
}

/* A record path reading from and writing to in. */
struct record *
record_new(const struct record_in *in)
{
	struct record	*r;

	r = xcalloc(1, sizeof(*r));
	r->in = *in;
	return r;
}

/* Free a record path. */
void
record_free(struct record *r)
{
	free(r);
}

/*
 * The verdict on a record: from the policy, with every name known of the
 * destination as evidence (what the appliance resolved, its SNI, its HTTP
 * Host); in audit mode, internal or unreviewed.
 */
static void
record_judge(struct record *r, struct event_flow *ev)
{
	const struct flow	*f = ev->flow;
	const struct geo_info	*g = ev->geo;
	struct policy_query	 q;
	struct policy_result	 res;

	if (r->in.policy == NULL) {
		ev->verdict = util_addr_inside(f->key.af,
		    f->key.addr[!f->appliance]) ? POLICY_INTERNAL :
		    POLICY_UNREVIEWED;
		return;
	}
	policy_query_flow(&q, f, mac_of(r->in.macs, f->key.af,
	    f->key.addr[f->appliance]), g != NULL ? g->asn : 0,
	    g != NULL ? g->country : NULL);
	if (ev->name_source == APP_NAME_DNS)
		policy_query_name(&q, ev->domain, POLICY_EV_DNS);
	if (f->app != NULL) {
		policy_query_name(&q, f->app->sni, POLICY_EV_TLS);
		policy_query_name(&q, f->app->http_host, POLICY_EV_HTTP);
	}
	policy_verdict(r->in.policy, &q, &res);
	ev->verdict = res.verdict;
	ev->group = res.group != NULL ? res.group->name : NULL;
	ev->rule = res.rule_name;
	ev->rule_file = res.file;
	ev->rule_line = res.line;
	ev->evidence = res.evidence;
}

/* A flow record from the flow table: name it, judge it, hand it on. */
void
record_flow(struct record *r, const struct flow *f, enum flow_reason reason)
{
	struct geo_info		 gi;
	struct event_flow	 ev;
	int			 d = !f->appliance;

	memset(&ev, 0, sizeof(ev));
	ev.flow = f;
	ev.reason = reason;
	if (r->in.geo != NULL &&
	    !util_addr_inside(f->key.af, f->key.addr[d]) &&
	    geo_lookup(r->in.geo, f->key.af, f->key.addr[d], &gi))
		ev.geo = &gi;
	ev.domain = app_flow_name(r->in.app, f, &ev.name_source, &ev.cname);
	record_judge(r, &ev);
	if (r->in.alerts != NULL)
		alert_record_flow(r->in.alerts, &ev);
	sinks_flow(r->in.sinks, &ev);
}
