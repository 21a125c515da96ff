/*
 * The record path: a flow record from the flow table is named (ASN and
 * country, the name the appliance resolved, else SNI, else HTTP Host) and
 * handed to the JSON sink and the summary.  Later stages (policy, beacons)
 * hang off here.
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

/* A flow record from the flow table: name it and write it out. */
void
record_flow(struct record *r, const struct flow *f, enum flow_reason reason)
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
	if (r->out.json != NULL)
		sink_json_flow(r->out.json, f, reason, &m);
	if (r->out.sum != NULL)
		summary_flow(r->out.sum, f, &m);
}

