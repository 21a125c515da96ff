/*
 * The reference for the JSON lines (tests/unit/test_sink_json.c,
 * fuzz/fuzz_json.c): the object-tree renderer sink_json.c had before it
 * wrote records itself, through jansson, with what changed since: an
 * object with no member is left out, a string that is not valid UTF-8
 * has each byte that begins no valid character (as jansson itself judges
 * one) replaced by U+FFFD where jansson refused it, an infinite or NaN
 * real is null, and "file:line" is not cut at 300 bytes.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "alert.h"
#include "app.h"
#include "beacon.h"
#include "community_id.h"
#include "event.h"
#include "flow.h"
#include "geo.h"
#include "json_ref.h"
#include "policy.h"
#include "util.h"

/*
 * n bytes of s with every byte that does not begin a character jansson
 * takes (json_stringn of its first 1 to 4 bytes) replaced by U+FFFD.
 */
static char *
ref_sanitize(const char *s, size_t n, size_t *outlen)
{
	char	*o = malloc(3 * n + 1);
	size_t	 i = 0, k, len = 0;
	json_t	*t;

	if (o == NULL)
		abort();
	while (i < n) {
		for (k = 1; k <= 4 && i + k <= n; k++) {
			if ((t = json_stringn(s + i, k)) != NULL) {
				json_decref(t);
				break;
			}
		}
		if (k <= 4 && i + k <= n) {
			memcpy(o + len, s + i, k);
			len += k;
			i += k;
		} else {
			memcpy(o + len, "\xef\xbf\xbd", 3);
			len += 3;
			i++;
		}
	}
	o[len] = '\0';
	*outlen = len;
	return o;
}

/* json_stringn, after ref_sanitize. */
static json_t *
ref_stringn(const char *s, size_t n)
{
	size_t	 len;
	char	*c = ref_sanitize(s, n, &len);
	json_t	*v = json_stringn(c, len);

	free(c);
	return v;
}

/* json_string, after ref_sanitize. */
static json_t *
ref_string(const char *s)
{
	return ref_stringn(s, strlen(s));
}

/* json_real, null when not finite. */
static json_t *
ref_real(double d)
{
	json_t	*v = json_real(d);

	return v != NULL ? v : json_null();
}

/* Set key to a jansson value, taking the reference. */
static void
sj_set(json_t *o, const char *key, json_t *v)
{
	if (v == NULL)
		abort();
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
	return ref_string(buf);
}

/* One endpoint: source or destination. */
static void
sj_endpoint(json_t *o, const struct flow *f, int side)
{
	char	addr[UTIL_ADDRSTRLEN];

	util_addr_str(f->key.af, f->key.addr[side], addr, sizeof(addr));
	sj_set(o, "ip", ref_string(addr));
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
	return ref_string(buf);
}

/* The network object: transport, type, VLANs, direction, community id. */
static void
sj_network(json_t *root, const struct flow *f)
{
	json_t		*n = sj_obj(root, "network");
	const char	*name = util_proto_name(f->key.proto);

	if (name != NULL)
		sj_set(n, "transport", ref_string(name));
	else
		sj_set(n, "transport", json_integer(f->key.proto));
	sj_set(n, "type", ref_string(f->key.af == 4 ? "ipv4" : "ipv6"));
	if (f->nvlan > 0)
		sj_set(sj_obj(n, "vlan"), "id", json_integer(f->key.vlan[0]));
	if (f->nvlan > 1)
		sj_set(sj_obj(sj_obj(n, "inner"), "vlan"), "id",
		    json_integer(f->key.vlan[1]));
	sj_set(n, "direction", ref_string(sj_direction(f)));
	sj_set(n, "community_id", sj_community_id(f));
}

/* An id as 16 hex digits. */
static json_t *
sj_id(uint64_t id)
{
	char	buf[17];

	snprintf(buf, sizeof(buf), "%016" PRIx64, id);
	return ref_string(buf);
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
	sj_set(ev, "kind", ref_string(kind));
	cat = json_array();
	json_array_append_new(cat, ref_string("network"));
	if (cat2 != NULL)
		json_array_append_new(cat, ref_string(cat2));
	sj_set(ev, "category", cat);
	sj_set(ev, "action", ref_string(action));
	return ev;
}

/* Drop every object with no member, innermost first. */
static void
ref_prune(json_t *o)
{
	const char	*k;
	json_t		*v;
	void		*tmp;
	size_t		 i;

	if (json_is_array(o)) {
		json_array_foreach(o, i, v)
			ref_prune(v);
		return;
	}
	if (!json_is_object(o))
		return;
	json_object_foreach_safe(o, tmp, k, v) {
		ref_prune(v);
		if (json_is_object(v) && json_object_size(v) == 0)
			json_object_del(o, k);
	}
}

/* The object as a line, appended to *out (of *len bytes). */
static void
sj_write(struct ref_out *s, json_t *o)
{
	char	*d;
	size_t	 n;

	ref_prune(o);
	if ((d = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER |
	    JSON_REAL_PRECISION(6))) == NULL)
		abort();
	n = strlen(d);
	if ((s->p = realloc(s->p, s->len + n + 2)) == NULL)
		abort();
	memcpy(s->p + s->len, d, n);
	s->p[s->len + n] = '\n';
	s->len += n + 1;
	s->p[s->len] = '\0';
	free(d);
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
			    ref_string(g->org));
	}
	if (g->country[0] != '\0')
		sj_set(sj_obj(dst, "geo"), "country_iso_code",
		    ref_string(g->country));
	if (g->reg_country[0] != '\0' &&
	    strcmp(g->reg_country, g->country) != 0)
		sj_set(sj_obj(sj_obj(root, "egressd"), "destination"),
		    "registered_country", ref_string(g->reg_country));
}

/* A string member, when the value exists. */
static void
sj_str(json_t *o, const char *key, const char *v)
{
	if (v != NULL && v[0] != '\0')
		sj_set(o, key, ref_string(v));
}

/* The destination's name and where it came from. */
static void
sj_names(json_t *root, const struct event_flow *ev)
{
	json_t		*d, *a;
	const char	*p, *c;

	if (ev->domain == NULL)
		return;
	sj_str(sj_obj(root, "destination"), "domain", ev->domain);
	d = sj_obj(sj_obj(root, "egressd"), "destination");
	sj_str(d, "name_source", app_name_source_name(ev->name_source));
	if (ev->cname == NULL || ev->cname[0] == '\0')
		return;
	a = json_array();
	for (p = ev->cname; p != NULL; p = c ? c + 1 : NULL) {
		c = strchr(p, ',');
		json_array_append_new(a, c ? ref_stringn(p, (size_t)(c - p)) :
		    ref_string(p));
	}
	sj_set(d, "cname", a);
}

/* Where a rule was said, "file:line", as a JSON string. */
static json_t *
sj_rule_at(const char *file, int line)
{
	char	*buf;
	json_t	*v;

	if (asprintf(&buf, "%s:%d", file, line) == -1)
		abort();
	v = ref_string(buf);
	free(buf);
	return v;
}

/* The verdict: egressd.verdict, egressd.group, rule.name, egressd.rule. */
static void
sj_verdict(json_t *root, const struct event_flow *ev)
{
	json_t	*e = sj_obj(root, "egressd");

	sj_str(e, "verdict", policy_verdict_name(ev->verdict));
	sj_str(e, "group", ev->group);
	if (ev->rule != NULL)
		sj_set(sj_obj(root, "rule"), "name", ref_string(ev->rule));
	if (ev->rule_file != NULL)
		sj_set(e, "rule", sj_rule_at(ev->rule_file, ev->rule_line));
	sj_str(e, "evidence", policy_evidence_name(ev->evidence));
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
		sj_set(sj_obj(root, "network"), "protocol", ref_string(v));
	if (fa->sni != NULL || fa->ja4 != NULL) {
		t = sj_obj(root, "tls");
		sj_str(sj_obj(t, "client"), "server_name", fa->sni);
		sj_str(sj_obj(t, "client"), "ja4", fa->ja4);
		if ((v = fa->tls_version) != NULL &&
		    strncmp(v, "TLSv", 4) == 0) {
			sj_set(t, "version_protocol", ref_string("tls"));
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

/* One flow record, with what is known of its destination. */
void
json_ref_flow(struct ref_out *s, const struct event_flow *e)
{
	const struct flow	*f = e->flow;
	enum flow_reason	 r = e->reason;
	json_t			*root, *ev, *fl;

	root = json_object();
	ev = sj_event(root, f->last, "event", NULL, "flow");
	sj_set(ev, "start", sj_time(f->first));
	sj_set(ev, "end", sj_time(f->last));
	sj_set(ev, "id", sj_id(f->id));
	sj_endpoint(sj_obj(root, "source"), f, f->appliance);
	sj_endpoint(sj_obj(root, "destination"), f, !f->appliance);
	sj_network(root, f);
	if (e->geo != NULL)
		sj_geo(root, e->geo);
	sj_names(root, e);
	if (f->app != NULL)
		sj_app(root, f->app);
	sj_verdict(root, e);
	fl = sj_obj(sj_obj(root, "egressd"), "flow");
	sj_set(fl, "state", ref_string(flow_state_name(f->state)));
	sj_set(fl, "one_sided", json_boolean(f->sides != 3));
	sj_set(fl, "truncated", json_boolean(f->truncated));
	if (f->app != NULL && f->app->copies > 0)
		sj_set(fl, "duplicates", json_integer(f->app->copies));
	sj_set(fl, "reason", ref_string(flow_reason_name(r)));
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
	return ref_string(buf);
}

/* What a beacon alert adds: the period and how regular it is. */
static void
sj_beacon(json_t *root, const struct beacon_report *r)
{
	json_t	*b = sj_obj(sj_obj(root, "egressd"), "beacon");

	sj_set(b, "period_s", ref_real(r->period_s));
	sj_set(b, "jitter", ref_real(r->jitter));
	sj_set(b, "beats", json_integer(r->beats));
	sj_set(b, "missed", json_integer(r->missed));
	sj_set(b, "first_seen", sj_time(r->first_seen));
	sj_set(b, "score", ref_real(r->score));
	sj_set(b, "group_by", ref_string(beacon_group_name(r->group_by)));
	if (r->group_by == BEACON_G_ASN)
		sj_set(b, "asn", json_integer(r->asn));
}

/*
 * An alert: event.kind "alert", the same ECS fields as a flow record for
 * what is known, rule.name, event.severity and a message to read.
 */
void
json_ref_alert(struct ref_out *s, const struct alert *a)
{
	json_t			*root, *ev, *dst, *n;
	const char		*pn;

	root = json_object();
	ev = sj_event(root, a->ts, "alert", "intrusion_detection",
	    alert_action_name(a->action));
	sj_set(ev, "severity", json_integer(a->severity));
	sj_set(ev, "id", sj_id(a->id));
	sj_set(sj_obj(root, "rule"), "name", ref_string(a->rule));
	sj_set(root, "message", ref_string(a->message));
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
		    "name_source", app_name_source_name(a->name_source));
	}
	n = sj_obj(root, "network");
	if (a->proto != 0) {
		if ((pn = util_proto_name(a->proto)) != NULL)
			sj_set(n, "transport", ref_string(pn));
		else
			sj_set(n, "transport", json_integer(a->proto));
	}
	sj_set(n, "type", ref_string(a->af == 4 ? "ipv4" : "ipv6"));
	sj_str(sj_obj(root, "egressd"), "verdict",
	    policy_verdict_name(a->verdict));
	sj_str(sj_obj(root, "egressd"), "group", a->group);
	if (a->rule_file != NULL)
		sj_set(sj_obj(root, "egressd"), "rule",
		    sj_rule_at(a->rule_file, a->rule_line));
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

