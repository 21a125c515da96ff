/*
 * The record path: a flow record from the flow table is named (ASN and
 * country, the name the appliance resolved, else SNI, else HTTP Host) and
 * judged by the policy (egressd.verdict, the group and the rule that
 * decided), handed to the detectors that work on records, and written to
 * the JSON sink and the summary.  Without a policy (audit mode) a flow to
 * private address space is internal and any other unreviewed.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "detect.h"
#include "geo.h"
#include "mac.h"
#include "pdns.h"
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

/* Is a name an address literal ("10.0.0.5", "[fd00::1]") rather than a domain? */
static int
record_is_literal(const char *name)
{
	uint8_t	buf[16];

	return name[0] == '[' || inet_pton(AF_INET, name, buf) == 1 ||
	    inet_pton(AF_INET6, name, buf) == 1;
}

/* Add a name to a policy query, when there is one. */
static void
record_query_name(struct policy_query *q, const char *name,
    enum policy_evidence ev)
{
	if (name == NULL || q->nnames >= POLICY_MAX_NAMES)
		return;
	q->names[q->nnames].name = name;
	q->names[q->nnames].evidence = ev;
	q->nnames++;
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
	int			 d = !f->app;

	memset(res, 0, sizeof(*res));
	if (r->out.policy == NULL) {
		m->verdict = util_addr_private(f->key.af, f->key.addr[d]) ?
		    "internal" : "unreviewed";
		return;
	}
	memset(&q, 0, sizeof(q));
	q.af = f->key.af;
	q.app_addr = f->key.addr[f->app];
	q.app_mac = mac_of(r->out.macs, f->key.af, q.app_addr);
	q.dst_addr = f->key.addr[d];
	q.proto = f->key.proto;
	q.dport = util_proto_has_ports(f->key.proto) ? f->key.port[d] : 0;
	if (m->geo != NULL) {
		q.asn = m->geo->asn;
		q.country = m->geo->country;
	}
	if (m->name_source != NULL && strcmp(m->name_source, "dns") == 0)
		record_query_name(&q, m->domain, POLICY_EV_DNS);
	if (f->l7 != NULL) {
		record_query_name(&q, f->l7->sni, POLICY_EV_TLS);
		record_query_name(&q, f->l7->http_host, POLICY_EV_HTTP);
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
	struct pdns_name	 pn;
	struct flow_meta	 m;
	struct policy_result	 res;
	char			 where[300];
	int			 d = !f->app;

	memset(&m, 0, sizeof(m));
	if (r->out.geo != NULL &&
	    !util_addr_private(f->key.af, f->key.addr[d]) &&
	    geo_lookup(r->out.geo, f->key.af, f->key.addr[d], &gi))
		m.geo = &gi;
	/*
	 * The name the appliance had resolved when it connected, else what
	 * it told the server.
	 */
	if (r->out.app != NULL && pdns_lookup(r->out.app->pdns, f->key.af,
	    f->key.addr[f->app], f->key.addr[d], f->start, &pn)) {
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
	record_judge(r, f, &m, &res, where, sizeof(where));
	if (r->out.detect != NULL)
		detect_record(r->out.detect, f, &m,
		    r->out.policy != NULL ? &res : NULL);
	if (r->out.json != NULL)
		sink_json_flow(r->out.json, f, reason, &m);
	if (r->out.sum != NULL)
		summary_flow(r->out.sum, f, &m);
}

