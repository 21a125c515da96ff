/*
 * The record path: a flow record from the flow table is named (ASN and
 * country, the name the appliance resolved, else SNI, else HTTP Host) and
 * judged by the policy (egressd.verdict, the group and the rule that
 * decided), handed to the detectors that work on records, and written to
 * the JSON sink and the summary.  Without a policy (audit mode) a flow to
 * private address space is internal and any other unreviewed.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "detect.h"
#include "geo.h"
#include "mac.h"
#include "policy.h"
#include "record.h"
#include "sink_json.h"
#include "summary.h"
#include "util.h"
#include "xmalloc.h"

struct record {
	struct record_out	out;
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
record_judge(struct record *r, const struct flow *f, struct flow_meta *m,
    struct policy_result *res, char *where, size_t wlen)
{
	struct policy_query	 q;
	int			 d = !f->appliance;

	memset(res, 0, sizeof(*res));
	if (r->out.policy == NULL) {
		m->verdict = util_addr_inside(f->key.af, f->key.addr[d]) ?
		    "internal" : "unreviewed";
		return;
	}
	policy_query_flow(&q, f, mac_of(r->out.macs, f->key.af,
	    f->key.addr[f->appliance]), m->geo != NULL ? m->geo->asn : 0,
	    m->geo != NULL ? m->geo->country : NULL);
	if (m->name_source != NULL && strcmp(m->name_source, "dns") == 0)
		policy_query_name(&q, m->domain, POLICY_EV_DNS);
	if (f->app != NULL) {
		policy_query_name(&q, f->app->sni, POLICY_EV_TLS);
		policy_query_name(&q, f->app->http_host, POLICY_EV_HTTP);
	}
	policy_verdict(r->out.policy, &q, res);
	m->verdict = policy_verdict_name(res->verdict);
	m->group = res->group != NULL ? res->group->name : NULL;
	m->rule = res->rule_name;
	if (res->file != NULL) {
		snprintf(where, wlen, "%s:%d", res->file, res->line);
		m->rule_at = where;
	}
	m->evidence = policy_evidence_name(res->evidence);
}

/* A flow record from the flow table: name it and write it out. */
void
record_flow(struct record *r, const struct flow *f, enum flow_reason reason)
{
	struct geo_info		 gi;
	struct flow_meta	 m;
	struct policy_result	 res;
	char			 where[300];
	int			 d = !f->appliance;

	memset(&m, 0, sizeof(m));
	if (r->out.geo != NULL &&
	    !util_addr_inside(f->key.af, f->key.addr[d]) &&
	    geo_lookup(r->out.geo, f->key.af, f->key.addr[d], &gi))
		m.geo = &gi;
	m.domain = app_flow_name(r->out.app, f, &m.name_source, &m.cname);
	record_judge(r, f, &m, &res, where, sizeof(where));
	if (r->out.detect != NULL)
		detect_record(r->out.detect, f, &m,
		    r->out.policy != NULL ? &res : NULL);
	if (r->out.json != NULL)
		sink_json_flow(r->out.json, f, reason, &m);
	if (r->out.sum != NULL)
		summary_flow(r->out.sum, f, &m);
}

