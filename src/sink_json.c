/*
 * JSON lines output.  Field names follow the Elastic Common Schema, nested
 * as ECS documents are; what ECS has no name for lives under "egressd".
 * Objects are built with jansson, which escapes every string, so nothing
 * from the wire can break a line or the document.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "alert.h"
#include "app.h"
#include "beacon.h"
#include "community_id.h"
#include "geo.h"
#include "log.h"
#include "sink_json.h"
#include "util.h"
#include "xmalloc.h"

struct sink_json {
	FILE	*fp;
	char	*path;
	int	 is_stdout;
	int	 failed;
};

/* Open path for writing ("-" is standard output); NULL with errno on failure. */
struct sink_json *
sink_json_open(const char *path)
{
	struct sink_json	*s;
	FILE			*fp;

	if (strcmp(path, "-") == 0)
		fp = stdout;
	else if ((fp = fopen(path, "w")) == NULL)
		return NULL;
	s = xcalloc(1, sizeof(*s));
	s->fp = fp;
	s->path = xstrdup(path);
	s->is_stdout = fp == stdout;
	return s;
}

/* Set key to a jansson value, taking the reference. */
static void
sj_set(json_t *o, const char *key, json_t *v)
{
	if (v == NULL)
		fatalx("json: out of memory");
	json_object_set_new(o, key, v);
}

/* The child object named key, created when absent. */
static json_t *
sj_obj(json_t *o, const char *key)
{
	json_t	*c;

	if ((c = json_object_get(o, key)) == NULL) {
		c = json_object();
		sj_set(o, key, c);
	}
	return c;
}

/* A time stamp as an RFC 3339 string. */
static json_t *
sj_time(int64_t us)
{
	char	buf[UTIL_TIMESTRLEN];

	util_time_str(us, buf, sizeof(buf));
	return json_string(buf);
}

/* One endpoint: source or destination. */
static void
sj_endpoint(json_t *o, const struct flow *f, int side)
{
	char	addr[UTIL_ADDRSTRLEN];

	util_addr_str(f->key.af, f->key.addr[side], addr, sizeof(addr));
	sj_set(o, "ip", json_string(addr));
	if (util_proto_has_ports(f->key.proto))
		sj_set(o, "port", json_integer(f->key.port[side]));
	sj_set(o, "packets", json_integer((json_int_t)f->pkts[side]));
	sj_set(o, "bytes", json_integer((json_int_t)f->bytes[side]));
}

/*
 * ECS network.direction, from who opened the flow: from inside (private
 * address space, or multicast, broadcast and the like: util_addr_inside)
 * to outside is outbound, from outside in inbound.
 */
static const char *
sj_direction(const struct flow *f)
{
	int	from = util_addr_inside(f->key.af, f->key.addr[f->init]);
	int	to = util_addr_inside(f->key.af, f->key.addr[!f->init]);

	if (from && to)
		return "internal";
	if (from)
		return "outbound";
	if (to)
		return "inbound";
	return "external";
}

/* The Community ID of the flow, oriented from its initiator. */
static json_t *
sj_community_id(const struct flow *f)
{
	char		 buf[COMMUNITY_ID_LEN];
	int		 s = f->init;
	uint16_t	 sp = f->key.port[s], dp = f->key.port[!s];

	if (f->key.proto == 1 || f->key.proto == 58) {
		sp = f->icmp_type;
		dp = f->icmp_code;
	}
	if (community_id_v1(0, f->key.af, f->key.proto, f->key.addr[s],
	    f->key.addr[!s], sp, dp, buf, sizeof(buf)) == -1)
		return json_null();
	return json_string(buf);
}

/* The network object: transport, type, VLANs, direction, community id. */
static void
sj_network(json_t *root, const struct flow *f)
{
	json_t		*n = sj_obj(root, "network");
	const char	*name = util_proto_name(f->key.proto);

	if (name != NULL)
		sj_set(n, "transport", json_string(name));
	else
		sj_set(n, "transport", json_integer(f->key.proto));
	sj_set(n, "type", json_string(f->key.af == 4 ? "ipv4" : "ipv6"));
	if (f->nvlan > 0)
		sj_set(sj_obj(n, "vlan"), "id", json_integer(f->key.vlan[0]));
	if (f->nvlan > 1)
		sj_set(sj_obj(sj_obj(n, "inner"), "vlan"), "id",
		    json_integer(f->key.vlan[1]));
	sj_set(n, "direction", json_string(sj_direction(f)));
	sj_set(n, "community_id", sj_community_id(f));
}

/* An id as 16 hex digits. */
static json_t *
sj_id(uint64_t id)
{
	char	buf[17];

	snprintf(buf, sizeof(buf), "%016" PRIx64, id);
	return json_string(buf);
}

/*
 * The head of a document: @timestamp, and event.kind, event.category
 * ("network", and cat2 if given) and event.action; the event object.
 */
static json_t *
sj_event(json_t *root, int64_t ts, const char *kind, const char *cat2,
    const char *action)
{
	json_t	*ev, *cat;

	sj_set(root, "@timestamp", sj_time(ts));
	ev = sj_obj(root, "event");
	sj_set(ev, "kind", json_string(kind));
	cat = json_array();
	json_array_append_new(cat, json_string("network"));
	if (cat2 != NULL)
		json_array_append_new(cat, json_string(cat2));
	sj_set(ev, "category", cat);
	sj_set(ev, "action", json_string(action));
	return ev;
}

/* Write one object as a line; remember a write error. */
static void
sj_write(struct sink_json *s, json_t *o)
{
	if (json_dumpf(o, s->fp, JSON_COMPACT | JSON_PRESERVE_ORDER |
	    JSON_REAL_PRECISION(6)) == -1 ||
	    fputc('\n', s->fp) == EOF)
		s->failed = 1;
}

/*
 * What the databases say of the destination: destination.as.number,
 * destination.as.organization.name, destination.geo.country_iso_code, and
 * the registered country under egressd when it differs.
 */
static void
sj_geo(json_t *root, const struct geo_info *g)
{
	json_t	*dst = sj_obj(root, "destination"), *as;

	if (g->asn != 0) {
		as = sj_obj(dst, "as");
		sj_set(as, "number", json_integer(g->asn));
		if (g->org[0] != '\0')
			sj_set(sj_obj(as, "organization"), "name",
			    json_string(g->org));
	}
	if (g->country[0] != '\0')
		sj_set(sj_obj(dst, "geo"), "country_iso_code",
		    json_string(g->country));
	if (g->reg_country[0] != '\0' &&
	    strcmp(g->reg_country, g->country) != 0)
		sj_set(sj_obj(sj_obj(root, "egressd"), "destination"),
		    "registered_country", json_string(g->reg_country));
}

/* A string member, when the value exists. */
static void
sj_str(json_t *o, const char *key, const char *v)
{
	if (v != NULL && v[0] != '\0')
		sj_set(o, key, json_string(v));
}

/* The destination's name and where it came from. */
static void
sj_names(json_t *root, const struct flow_meta *m)
{
	json_t		*d, *a;
	const char	*p, *c;

	if (m->domain == NULL)
		return;
	sj_str(sj_obj(root, "destination"), "domain", m->domain);
	d = sj_obj(sj_obj(root, "egressd"), "destination");
	sj_str(d, "name_source", m->name_source);
	if (m->cname == NULL || m->cname[0] == '\0')
		return;
	a = json_array();
	for (p = m->cname; p != NULL; p = c ? c + 1 : NULL) {
		c = strchr(p, ',');
		json_array_append_new(a, c ? json_stringn(p, (size_t)(c - p)) :
		    json_string(p));
	}
	sj_set(d, "cname", a);
}

/* The verdict: egressd.verdict, egressd.group, rule.name, egressd.rule. */
static void
sj_verdict(json_t *root, const struct flow_meta *m)
{
	json_t	*e = sj_obj(root, "egressd");

	sj_str(e, "verdict", m->verdict);
	sj_str(e, "group", m->group);
	if (m->rule != NULL)
		sj_set(sj_obj(root, "rule"), "name", json_string(m->rule));
	sj_str(e, "rule", m->rule_at);
	sj_str(e, "evidence", m->evidence);
}

/*
 * What the first bytes said: network.protocol; tls.client.server_name,
 * tls.client.ja4, tls.version_protocol and tls.version (highest offered);
 * http.request.method, url.domain, url.path, user_agent.original.
 */
static void
sj_app(json_t *root, const struct flow_app *fa)
{
	json_t		*t;
	const char	*v;

	if ((v = app_proto_name(fa->proto)) != NULL)
		sj_set(sj_obj(root, "network"), "protocol", json_string(v));
	if (fa->sni != NULL || fa->ja4 != NULL) {
		t = sj_obj(root, "tls");
		sj_str(sj_obj(t, "client"), "server_name", fa->sni);
		sj_str(sj_obj(t, "client"), "ja4", fa->ja4);
		if ((v = fa->tls_version) != NULL &&
		    strncmp(v, "TLSv", 4) == 0) {
			sj_set(t, "version_protocol", json_string("tls"));
			sj_str(t, "version", v + 4);
		}
		if (fa->alpn != NULL)
			sj_str(sj_obj(sj_obj(root, "egressd"), "tls"),
			    "alpn_offered", fa->alpn);
	}
	if (fa->http_method != NULL) {
		sj_str(sj_obj(sj_obj(root, "http"), "request"), "method",
		    fa->http_method);
		sj_str(sj_obj(root, "url"), "domain", fa->http_host);
		sj_str(sj_obj(root, "url"), "path", fa->http_path);
		sj_str(sj_obj(root, "user_agent"), "original", fa->http_ua);
	}
}

/* One flow record, with what is known of its destination (m may be NULL). */
void
sink_json_flow(struct sink_json *s, const struct flow *f, enum flow_reason r,
    const struct flow_meta *m)
{
	json_t	*root, *ev, *fl;

	root = json_object();
	ev = sj_event(root, f->last, "event", NULL, "flow");
	sj_set(ev, "start", sj_time(f->first));
	sj_set(ev, "end", sj_time(f->last));
	sj_set(ev, "id", sj_id(f->id));
	sj_endpoint(sj_obj(root, "source"), f, f->appliance);
	sj_endpoint(sj_obj(root, "destination"), f, !f->appliance);
	sj_network(root, f);
	if (m != NULL && m->geo != NULL)
		sj_geo(root, m->geo);
	if (m != NULL)
		sj_names(root, m);
	if (f->app != NULL)
		sj_app(root, f->app);
	if (m != NULL)
		sj_verdict(root, m);
	fl = sj_obj(sj_obj(root, "egressd"), "flow");
	sj_set(fl, "state", json_string(flow_state_name(f->state)));
	sj_set(fl, "one_sided", json_boolean(f->sides != 3));
	sj_set(fl, "truncated", json_boolean(f->truncated));
	if (f->app != NULL && f->app->copies > 0)
		sj_set(fl, "duplicates", json_integer(f->app->copies));
	sj_set(fl, "reason", json_string(flow_reason_name(r)));
	if (f->key.proto == 1 || f->key.proto == 58) {
		sj_set(fl, "icmp_type", json_integer(f->icmp_type));
		sj_set(fl, "icmp_code", json_integer(f->icmp_code));
	}
	sj_write(s, root);
	json_decref(root);
}

/* An address as a JSON string. */
static json_t *
sj_addr(uint8_t af, const uint8_t *addr)
{
	char	buf[UTIL_ADDRSTRLEN];

	util_addr_str(af, addr, buf, sizeof(buf));
	return json_string(buf);
}

/* What a beacon alert adds: the period and how regular it is. */
static void
sj_beacon(json_t *root, const struct beacon_report *r)
{
	json_t	*b = sj_obj(sj_obj(root, "egressd"), "beacon");

	sj_set(b, "period_s", json_real(r->period_s));
	sj_set(b, "jitter", json_real(r->jitter));
	sj_set(b, "beats", json_integer(r->beats));
	sj_set(b, "missed", json_integer(r->missed));
	sj_set(b, "first_seen", sj_time(r->first_seen));
	sj_set(b, "score", json_real(r->score));
	sj_set(b, "group_by", json_string(beacon_group_name(r->group_by)));
	if (r->group_by == BEACON_G_ASN)
		sj_set(b, "asn", json_integer(r->asn));
}

/*
 * An alert: event.kind "alert", the same ECS fields as a flow record for
 * what is known, rule.name, event.severity and a message to read.
 */
void
sink_json_alert(struct sink_json *s, const struct alert *a)
{
	json_t		*root, *ev, *dst, *n;
	const char	*pn;

	root = json_object();
	ev = sj_event(root, a->ts, "alert", "intrusion_detection", a->action);
	sj_set(ev, "severity", json_integer(a->severity));
	sj_set(ev, "id", sj_id(a->id));
	sj_set(sj_obj(root, "rule"), "name", json_string(a->rule));
	sj_set(root, "message", json_string(a->message));
	sj_set(sj_obj(root, "source"), "ip", sj_addr(a->af, a->src));
	if (a->dst != NULL) {
		dst = sj_obj(root, "destination");
		sj_set(dst, "ip", sj_addr(a->af, a->dst));
		if (a->dport != 0)
			sj_set(dst, "port", json_integer(a->dport));
	}
	if (a->geo != NULL)
		sj_geo(root, a->geo);
	if (a->domain != NULL) {
		sj_str(sj_obj(root, "destination"), "domain", a->domain);
		sj_str(sj_obj(sj_obj(root, "egressd"), "destination"),
		    "name_source", a->name_source);
	}
	n = sj_obj(root, "network");
	if (a->proto != 0) {
		if ((pn = util_proto_name(a->proto)) != NULL)
			sj_set(n, "transport", json_string(pn));
		else
			sj_set(n, "transport", json_integer(a->proto));
	}
	sj_set(n, "type", json_string(a->af == 4 ? "ipv4" : "ipv6"));
	sj_str(sj_obj(root, "egressd"), "verdict", a->verdict);
	sj_str(sj_obj(root, "egressd"), "group", a->group);
	sj_str(sj_obj(root, "egressd"), "rule", a->rule_at);
	if (a->count > 1)
		sj_set(sj_obj(root, "egressd"), "count",
		    json_integer((json_int_t)a->count));
	if (a->flow_id != 0)
		sj_set(sj_obj(root, "egressd"), "flow_id", sj_id(a->flow_id));
	if (a->beacon != NULL)
		sj_beacon(root, a->beacon);
	sj_write(s, root);
	json_decref(root);
}

/* Flush and close; -1 (with a message) if anything failed to be written. */
int
sink_json_close(struct sink_json *s)
{
	int	rv = 0;

	if (s == NULL)
		return 0;
	if (fflush(s->fp) == EOF || ferror(s->fp))
		s->failed = 1;
	if (!s->is_stdout && fclose(s->fp) == EOF)
		s->failed = 1;
	if (s->failed) {
		log_warnx("%s: write error", s->path);
		rv = -1;
	}
	free(s->path);
	free(s);
	return rv;
}
