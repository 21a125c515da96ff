/*
 * Beacon verdicts.
 *
 * The beats of each appliance go to the beacon detector (beacon.c) through
 * the beat queue (beatq.c).  A beat is a check-in:
 *   - a connection the appliance opens to an outside address (the first
 *     packet of a flow whose originator, as flow.c infers it from that
 *     packet, is the appliance: its SYN, the server's SYN/ACK when only
 *     the far side is captured); one opened from outside is not, nor the
 *     appliance's answer to it (its SYN/ACK);
 *   - inside a flow, the first packet after ALERT_BEACON_GAP of quiet,
 *     whichever side sends it (the other side's only in a flow the
 *     appliance takes part in: not a LAN device's unicast answers to the
 *     appliance's multicast search, nor a scan): a server-driven
 *     keep-alive that the appliance answers milliseconds later is as much
 *     a check-in as one the appliance starts (a UDP keep-alive on one
 *     5-tuple, a TLS session that polls inside itself, an IRC PING);
 *     but once the appliance has spoken in the flow after a quiet spell
 *     (sent data: begun an exchange, or answered one), data the far side
 *     sends after quiet is a check-in only when the appliance answers it
 *     with data before the next quiet spell, and the check-in is then
 *     that answer.  The far side's pushes that the appliance only ACKs
 *     are the far side's doing: an IRC server relays other users' lines
 *     every few seconds, and each was a beat, so the bot's PONG to the
 *     PING every 90 s was one beat in twenty; a mining pool pushes jobs
 *     at random between the miner's polls every 10 s, and the series
 *     said 5 s.  In a flow where the appliance has never so spoken (a
 *     channel it holds open for the server to push on, say after one
 *     request in its opening exchange), the pushes stay its check-ins;
 *   - a DNS query of the appliance, through any resolver, as a beat of the
 *     series of what it looks up (alert_beacon_lookup: the registered
 *     domain of the name; alert_dns.c finds the queries and leaves out
 *     their retries), where the flows that carry DNS make none of their
 *     own.
 * An ICMP error (a port unreachable, a time exceeded) is no check-in
 * from either side: a stack sends one about a packet it was sent, and the
 * appliance's answers to a LAN device's replies to its multicast search,
 * whose socket had closed, made a beacon of its SSDP search timer.
 * A TCP segment after a quiet spell that carries no data (a keep-alive
 * probe, an ACK, a FIN) is no check-in: the TCP stack keeps a connection,
 * the application says nothing.  A browser keeps idle pooled connections
 * alive with probes every 10 to 45 s for a minute or two, and those probes
 * made false beacons of OCSP look-ups and a wrong period of an agent that
 * polls every 51 s.  But a connection that carries nothing but probes for
 * longer than any client pools one (ALERT_BEACON_KA_IDLE) is a channel held
 * open for the server, a push channel: its probes are its check-ins.  A
 * probe is a segment of no data, or of one byte at the sequence number of
 * the previous probe (the byte Windows and some stacks resend).
 * Each beat carries the bytes the appliance sent in its first packet (the
 * request of a check-in inside a connection, a UDP datagram, the query of
 * a look-up; 0 for a SYN or the server's packet), and the name the
 * appliance had resolved for the address, else the name it told the
 * server (SNI, HTTP Host): a new connection without a resolved name feeds
 * the name series once its first bytes have named it, a round trip later,
 * which the detector merges into the same beat for the other two series.
 * With a policy, only a host the policy makes an appliance (a member of a
 * group, else a host of the internal networks) beats: a flow between two
 * hosts outside the site is not the site's egress.
 *
 * A certificate's checking is no check-in.  A TLS or code-signing stack
 * fetches OCSP answers (RFC 6960), CRLs (RFC 5280 4.2.1.13, the CRL
 * distribution point) and issuers' certificates (RFC 5280 4.2.2.1) over
 * HTTP when its connections need them, and a run of them can be as
 * regular as a timer: six CRLs fetched 4.6 s apart on one connection made
 * a beacon of a Windows host's CRL look-ups.  So a connection whose first
 * request is one (http_pki: by its method, media type (RFC 2585, RFC 6960
 * appendix C) and path) makes no beat, and its service (the appliance, the
 * address and port it calls) is noted; the next connection to a service so
 * noted holds its first beat until its request is read, and makes it
 * (with the connection's start as its time) only if the request is
 * something else, which also forgets the note.  Those flows are still
 * recorded and judged by the policy (an unapproved destination is still
 * one); they only feed no beacon series.  The price: a call-home that
 * dresses as OCSP or a CRL fetch hides its rhythm (not its destination).
 * The notes are a table of ALERT_BEACON_PKI_SLOTS by a fixed hash, so
 * what is kept never depends on a random key.
 *
 * When a series turns periodic the detector names the most specific; the
 * policy decides: to an approved destination it is recorded, to any other
 * (in audit mode every outside destination is unreviewed) it is an alert
 * about the call-home.  A call-home is named by its domain (the registered
 * domain of the name the appliance resolved, told the server, or looked
 * up; for an address or service series whose flow has none, the name the
 * appliance's DNS answers had given the address before the flow opened,
 * however long ago), else its ASN, else its address; the first periodic
 * series of a call-home raises the alert, and later ones (a rotating
 * address, the same beacon seen by name and by its look-ups) are folded
 * into it: counted, their new addresses kept, and told in the next alert,
 * raised only once the call-home's window (beacon-window, a day) has
 * passed.  The verdicts are kept (alert_mark) for the series reports
 * handed to the sinks at the end.
 */
#include "config.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "alert.h"
#include "alert_beacon.h"
#include "app.h"
#include "beacon.h"
#include "beatq.h"
#include "decode.h"
#include "domain.h"
#include "event.h"
#include "geo.h"
#include "hash.h"
#include "http.h"
#include "mac.h"
#include "policy.h"
#include "sink.h"
#include "util.h"
#include "xmalloc.h"

#define AB_TCP_FIN	0x01
#define AB_TCP_SYN	0x02
#define AB_TCP_RST	0x04
#define AB_TCP_ACK	0x10

#define AB_DNS_SUFFIX	" (dns)"	/* of a look-up series' key */
#define AB_FOLDED	16		/* a series mark: folded into its
					   call-home's alert */

/* What the alert of a beat needs besides (the flow may be gone by then). */
struct ab_ctx {
	struct flow_key		 key;		/* a look-up's: to its server */
	uint64_t		 flow_id;
	int64_t			 start;		/* the flow's first packet */
	struct geo_info		 gi;
	enum app_name_source	 name_src;
	uint8_t			 appliance;	/* its side of key */
	uint8_t			 has_geo;
	uint8_t			 has_mac;
	uint8_t			 mac[6];	/* the appliance's, when listed */
	uint8_t			 carrier;	/* enum alert_carrier */
	uint8_t			 unlisted;	/* a look-up keyed by its server */
	char			 qname[ALERT_BEACON_QNAME];	/* looked up */
};

/* A name the beacon detector knows only by its hash. */
struct ab_name {
	uint64_t	 hash;
	char		*name;
};

/*
 * A call-home: when it last raised its alert, and the series folded into
 * it since, with their new addresses.  Found through the alert mark of
 * (action, appliance, call-home key), which holds its index + 1; tag
 * tells whether the record, reused at the cap, is still that call-home's.
 */
struct ab_home {
	uint64_t		 tag;
	int64_t			 since;
	uint64_t		 count;		/* series folded in since */
	uint64_t		 more;		/* new addresses not kept */
	size_t			 naddrs;
	struct alert_addr	 addrs[ALERT_BEACON_HOME_ADDRS];
	struct alert_addr	 last;		/* of the last alert */
};

/*
 * The keep-alive state of a TCP connection, kept from its first quiet
 * spell: since when it has carried nothing but probes, and the sequence
 * number of each side's last probe.  A slot per connection, by its id;
 * a connection that lost its slot starts over.
 */
struct ab_ka {
	uint64_t	 id;		/* the flow's; 0: empty */
	int64_t		 since;		/* its last data */
	uint32_t	 seq[2];
	uint8_t		 has_seq[2];
};

struct alert_beacon {
	struct alert_beacon_in	 in;
	struct beacon		*bc;
	struct beatq		*q;
	struct ab_name		*names;		/* open-addressed, half full */
	size_t			 nslots;
	size_t			 nnames;
	struct ab_home		*homes;		/* a ring, grown to the cap */
	size_t			 nhomes, homes_next;
	struct hash_key		 home_key;
	struct ab_ka		*ka;		/* ALERT_BEACON_KA_SLOTS */
	uint64_t		*pki;		/* ALERT_BEACON_PKI_SLOTS: tags of
						   services noted */
	alert_beacon_judge_cb	 judge;		/* of look-ups; NULL: none */
	void			*judge_arg;
	int64_t			 window;	/* of a call-home's alerts */
	uint64_t		 beats;		/* fed to the detector */
	uint64_t		 lookups;	/* of those, DNS queries */
	uint64_t		 keepalives;	/* probes that made beats */
	uint64_t		 pki_beats;	/* certificate checks: no beat */
	uint64_t		 recorded;	/* periodic, approved: no alert */
	uint64_t		 folded;	/* series folded into an alert */
};

static void	ab_hit(void *, uint64_t, const struct beacon_report *);

/* Beacon verdicts reading from and writing to in. */
struct alert_beacon *
alert_beacon_new(const struct alert_beacon_in *in)
{
	struct alert_beacon	*ab;

	ab = xcalloc(1, sizeof(*ab));
	ab->in = *in;
	ab->bc = beacon_new(BEACON_MAX_SERIES, BEACON_MAX_PER_APPLIANCE);
	ab->q = beatq_new(ab->bc, in->threads > 1, sizeof(struct ab_ctx),
	    ab_hit, ab);
	ab->nslots = 256;
	ab->names = xcalloc(ab->nslots, sizeof(*ab->names));
	ab->ka = xcalloc(ALERT_BEACON_KA_SLOTS, sizeof(*ab->ka));
	ab->pki = xcalloc(ALERT_BEACON_PKI_SLOTS, sizeof(*ab->pki));
	hash_key_random(&ab->home_key);
	alert_beacon_set_policy(ab, in->policy);
	return ab;
}

/*
 * Judge by p from now on (a reload: the caller flushed the beats judged
 * by the one before); the series and their beats stay.
 */
void
alert_beacon_set_policy(struct alert_beacon *ab, const struct policy *p)
{
	ab->in.policy = p;
	ab->window = ALERT_BEACON_WINDOW;
	if (p != NULL && p->opts.beacon_window != 0)
		ab->window = p->opts.beacon_window;
}

/* Free the beacon verdicts, every result raised first. */
void
alert_beacon_free(struct alert_beacon *ab)
{
	size_t	i;

	if (ab == NULL)
		return;
	beatq_free(ab->q);
	for (i = 0; i < ab->nslots; i++)
		free(ab->names[i].name);
	free(ab->names);
	free(ab->homes);
	free(ab->ka);
	free(ab->pki);
	beacon_free(ab->bc);
	free(ab);
}

/*
 * Look-ups are beats from now on, judged by judge (alert_dns.c), and the
 * flows that carry DNS make none of their own.
 */
void
alert_beacon_set_judge(struct alert_beacon *ab, alert_beacon_judge_cb judge,
    void *arg)
{
	ab->judge = judge;
	ab->judge_arg = arg;
}

/*
 * The beacon detector, every beat fed, for its counters, tests and the
 * benchmark (see beatq_beacon).
 */
struct beacon *
alert_beacon_detector(struct alert_beacon *ab)
{
	return beatq_beacon(ab->q);
}

/* The slot of a name hash: its own, or the empty one it would take. */
static struct ab_name *
ab_name_slot(struct alert_beacon *ab, uint64_t h)
{
	size_t	i;

	for (i = h & (ab->nslots - 1); ab->names[i].name != NULL &&
	    ab->names[i].hash != h; i = (i + 1) & (ab->nslots - 1))
		;
	return &ab->names[i];
}

/* Double the names' slots. */
static void
ab_names_grow(struct alert_beacon *ab)
{
	struct ab_name	*old = ab->names;
	size_t		 i, n = ab->nslots;

	ab->nslots *= 2;
	ab->names = xcalloc(ab->nslots, sizeof(*ab->names));
	for (i = 0; i < n; i++)
		if (old[i].name != NULL)
			*ab_name_slot(ab, old[i].hash) = old[i];
	free(old);
}

/* Remember a name by its beacon hash (at most ALERT_BEACON_NAMES / 2). */
static void
ab_name_keep(struct alert_beacon *ab, const char *name)
{
	uint64_t	 h = beacon_name_hash(ab->bc, name);
	struct ab_name	*n = ab_name_slot(ab, h);

	if (n->name != NULL || ab->nnames >= ALERT_BEACON_NAMES / 2)
		return;
	if ((ab->nnames + 1) * 2 > ab->nslots) {
		ab_names_grow(ab);
		n = ab_name_slot(ab, h);
	}
	n->hash = h;
	n->name = xstrdup(name);
	ab->nnames++;
}

/* A name from its beacon hash, or NULL. */
static const char *
ab_name_of(struct alert_beacon *ab, uint64_t h)
{
	return ab_name_slot(ab, h)->name;
}

/* What a series is keyed by, as words (beacon_key_str), into buf. */
static void
ab_series_str(struct alert_beacon *ab, const struct beacon_report *r,
    char *buf, size_t len)
{
	const char	*k;

	k = beacon_key_str(r, r->group_by == BEACON_G_NAME ?
	    ab_name_of(ab, r->name_hash) : NULL, buf, len);
	if (k != buf)
		snprintf(buf, len, "%s", k);
}

/* The mark where the verdict on a series is kept (0: none yet). */
static int *
ab_series_mark(struct alert_beacon *ab, const struct beacon_report *r)
{
	char	key[ALERT_KEY_MAX];

	ab_series_str(ab, r, key, sizeof(key));
	return alert_mark(ab->in.windows, beacon_group_name(r->group_by),
	    r->af, r->appliance, key);
}

/*
 * What names a call-home, into key: the registered domain of its name,
 * else its ASN, else its address.
 */
static void
ab_home_key(const struct alert_beacon *ab, const char *name,
    const struct geo_info *g, uint8_t af, const uint8_t *addr, char *key,
    size_t len)
{
	const char	*reg = NULL;

	if (name != NULL && ab->in.domains != NULL)
		reg = domain_registered(ab->in.domains, name);
	if (name != NULL)
		snprintf(key, len, "%s", reg != NULL ? reg : name);
	else if (g != NULL && g->asn != 0)
		snprintf(key, len, "AS%u", g->asn);
	else
		util_addr_str(af, addr, key, len);
}

/*
 * The record of the call-home of an appliance an alert of action would be
 * about; *fresh when it had none (or its record went to another).
 */
static struct ab_home *
ab_home(struct alert_beacon *ab, enum alert_action action, uint8_t af,
    const uint8_t *appliance, const char *key, int *fresh)
{
	const char	*kind = action == ALERT_STROBE ? "callhome-strobe" :
			    "callhome";
	struct ab_home	*h;
	uint8_t		 buf[17 + ALERT_KEY_MAX];
	uint64_t	 tag;
	size_t		 n;
	int		*mark;

	buf[0] = af;
	memcpy(buf + 1, appliance, 16);
	n = strnlen(key, ALERT_KEY_MAX);
	memcpy(buf + 17, key, n);
	tag = hash_bytes(&ab->home_key, buf, 17 + n) ^ (uint64_t)action;
	mark = alert_mark(ab->in.windows, kind, af, appliance, key);
	if (*mark > 0 && (size_t)*mark <= ab->nhomes &&
	    ab->homes[*mark - 1].tag == tag) {
		*fresh = 0;
		return &ab->homes[*mark - 1];
	}
	if (ab->nhomes < ALERT_BEACON_HOMES) {
		if ((ab->nhomes & (ab->nhomes - 1)) == 0)
			ab->homes = xreallocarray(ab->homes,
			    ab->nhomes ? ab->nhomes * 2 : 16,
			    sizeof(*ab->homes));
		ab->homes_next = ab->nhomes++;
	} else
		ab->homes_next = (ab->homes_next + 1) % ALERT_BEACON_HOMES;
	h = &ab->homes[ab->homes_next];
	memset(h, 0, sizeof(*h));
	h->tag = tag;
	*mark = (int)ab->homes_next + 1;
	*fresh = 1;
	return h;
}

/* Note an address of a series folded into a call-home, if new. */
static void
ab_home_addr(struct ab_home *h, uint8_t af, const uint8_t *addr)
{
	size_t	i, n = af == 4 ? 4 : 16;

	if (h->last.af == af && memcmp(h->last.addr, addr, n) == 0)
		return;
	for (i = 0; i < h->naddrs; i++)
		if (h->addrs[i].af == af && memcmp(h->addrs[i].addr, addr,
		    n) == 0)
			return;
	if (h->naddrs == ALERT_BEACON_HOME_ADDRS) {
		h->more++;
		return;
	}
	memset(&h->addrs[h->naddrs], 0, sizeof(h->addrs[0]));
	h->addrs[h->naddrs].af = af;
	memcpy(h->addrs[h->naddrs].addr, addr, n);
	h->naddrs++;
}

/* What a series that turned periodic is about, for its alert. */
struct ab_hitinfo {
	const struct flow	*f;		/* its flow (a look-up's: to the
						   server) */
	const char		*name;		/* the destination's, or NULL */
	enum app_name_source	 name_src;
	const struct geo_info	*gi;
	enum policy_verdict	 v;
	enum alert_carrier	 carrier;
	const char		*qname;		/* a look-up's name */
	const uint8_t		*dst;		/* the alert's address, or NULL */
};

/* What a re-raised alert tells of the series folded in since the last. */
static void
ab_folded_str(const struct ab_home *h, char *buf, size_t len)
{
	char	a[UTIL_ADDRSTRLEN];
	size_t	i, n;

	buf[0] = '\0';
	if (h->count == 0)
		return;
	n = (size_t)snprintf(buf, len, "; %" PRIu64 " more series of this "
	    "call-home since the last alert", h->count);
	for (i = 0; i < h->naddrs && n < len; i++) {
		util_addr_str(h->addrs[i].af, h->addrs[i].addr, a, sizeof(a));
		n += (size_t)snprintf(buf + n, len - n, "%s%s",
		    i == 0 ? ", new addresses " : ", ", a);
	}
	if (h->more > 0 && n < len)
		snprintf(buf + n, len - n, " and %" PRIu64 " more", h->more);
}

/* A beacon alert from the report of the series that turned periodic. */
static void
ab_alert(struct alert_beacon *ab, const struct beacon_report *r,
    const struct ab_hitinfo *hi, const char *home, const struct ab_home *h)
{
	const struct flow	*f = hi->f;
	const struct geo_info	*gi = hi->gi;
	struct alert		 a;
	const char		*vname = policy_verdict_name(hi->v);
	const char		*an = hi->v == POLICY_UNAPPROVED ||
				    hi->v == POLICY_UNREVIEWED ? "an" : "a";
	char			 who[UTIL_ADDRSTRLEN], key[ALERT_KEY_MAX];
	char			 per[32], net[200], more[300];

	memset(&a, 0, sizeof(a));
	ab_series_str(ab, r, key, sizeof(key));
	util_period_str(r->period_s, per, sizeof(per));
	util_addr_str(r->af, r->appliance, who, sizeof(who));
	net[0] = '\0';
	if (gi != NULL && gi->asn != 0)
		snprintf(net, sizeof(net), " (AS%u %.60s%s%s)", gi->asn,
		    gi->org, gi->country[0] ? ", " : "", gi->country);
	ab_folded_str(h, more, sizeof(more));
	a.action = r->verdict == BEACON_V_STROBE ? ALERT_STROBE : ALERT_BEACON;
	a.severity = ALERT_SEV_BEACON;
	a.rule = alert_action_name(a.action);
	a.ts = r->last_seen;
	a.id = alert_id(alert_action_name(a.action), r->af, r->appliance,
	    home);
	a.flow_id = f->id;
	a.af = r->af;
	a.src = r->appliance;
	a.dst = hi->dst;
	if (hi->dst != NULL) {
		a.proto = f->key.proto;
		a.dport = util_proto_has_ports(f->key.proto) ?
		    f->key.port[!f->appliance] : 0;
	}
	a.geo = gi;
	a.domain = hi->name;
	a.name_source = hi->name_src;
	a.verdict = hi->v;
	a.beacon = r;
	a.count = h->count + 1;
	a.carrier = hi->carrier;
	a.callhome = home;
	a.addrs = h->addrs;
	a.naddrs = h->naddrs;
	a.addrs_more = h->more;
	if (hi->carrier == ALERT_CARRIER_DNS) {
		a.dns_name = hi->qname;
		a.dns_domain = hi->name;
	}
	if (r->verdict == BEACON_V_STROBE)
		snprintf(a.message, sizeof(a.message), "%s sends to %s%s in a "
		    "fast regular stream (%u events, every %s): a strobe, "
		    "not a beacon%s", who, key, net, r->events, per, more);
	else if (hi->carrier == ALERT_CARRIER_DNS)
		snprintf(a.message, sizeof(a.message), "%s looks up %s every "
		    "%s (jitter %.0f%%, %u check-ins, %u missed; the last "
		    "%.80s): a periodic call-home carried by DNS to %s %s "
		    "destination%s", who, key, per, r->jitter * 100, r->beats,
		    r->missed, hi->qname, an, vname, more);
	else
		snprintf(a.message, sizeof(a.message), "%s calls %s%s every %s "
		    "(jitter %.0f%%, %u check-ins, %u missed, grouped by %s): "
		    "a periodic call-home to %s %s destination%s", who, key,
		    net, per, r->jitter * 100, r->beats, r->missed,
		    beacon_group_name(r->group_by), an, vname, more);
	sinks_alert(ab->in.sinks, &a);
}

/*
 * A series the policy does not approve turned periodic: the first of its
 * call-home, or the first after the call-home's window, raises the alert;
 * any other is folded into it.  1 when it raised one.
 */
static int
ab_callhome(struct alert_beacon *ab, const struct beacon_report *r,
    const struct ab_hitinfo *hi)
{
	enum alert_action	 action = r->verdict == BEACON_V_STROBE ?
				    ALERT_STROBE : ALERT_BEACON;
	struct ab_home		*h;
	char			 key[ALERT_KEY_MAX];
	const uint8_t		*addr = hi->dst != NULL ? hi->dst : r->addr;
	int			 fresh;

	ab_home_key(ab, hi->name, hi->gi, r->af, addr, key, sizeof(key));
	h = ab_home(ab, action, r->af, r->appliance, key, &fresh);
	if (!fresh && r->last_seen - h->since < ab->window) {
		h->count++;
		if (hi->dst != NULL)
			ab_home_addr(h, r->af, hi->dst);
		ab->folded++;
		return 0;
	}
	ab_alert(ab, r, hi, key, h);
	h->since = r->last_seen;
	h->count = h->more = 0;
	h->naddrs = 0;
	memset(&h->last, 0, sizeof(h->last));
	if (hi->dst != NULL) {
		h->last.af = r->af;
		memcpy(h->last.addr, hi->dst, r->af == 4 ? 4 : 16);
	}
	return 1;
}

/*
 * The verdict on a beat's destination: by the policy, with the beat's name
 * as its evidence and the appliance's MAC as it was at the beat (NULL when
 * not listed); in audit mode unreviewed.
 */
static enum policy_verdict
ab_verdict(struct alert_beacon *ab, const struct flow *f, const uint8_t *mac,
    const char *name, enum app_name_source name_src, const struct geo_info *g)
{
	struct policy_query	q;
	struct policy_result	res;

	if (ab->in.policy == NULL)
		return POLICY_UNREVIEWED;
	policy_query_flow(&q, f, mac, g != NULL ? g->asn : 0,
	    g != NULL ? g->country : NULL);
	if (name != NULL)
		policy_query_name(&q, name, name_src == APP_NAME_DNS ?
		    POLICY_EV_DNS : name_src == APP_NAME_TLS ? POLICY_EV_TLS :
		    POLICY_EV_HTTP);
	policy_verdict(ab->in.policy, &q, &res);
	return res.verdict;
}

/*
 * The service of a flow's beats: its transport and the port of the
 * destination's side, for TCP, UDP and SCTP; else 0 (no service series).
 */
static uint32_t
ab_svc(const struct flow *f)
{
	if (f->key.proto != 6 && f->key.proto != 17 && f->key.proto != 132)
		return 0;
	return BEACON_SVC(f->key.proto, f->key.port[!f->appliance]);
}

/*
 * Keep the verdict on the destination of a beat for its four series: the
 * one found periodic and the others of the same beat, which the detector
 * reports under the most specific.
 */
static void
ab_keep_verdict(struct alert_beacon *ab, const struct flow *f,
    const char *name, const struct geo_info *g, enum policy_verdict v)
{
	struct alert_windows	*w = ab->in.windows;
	const uint8_t		*who = f->key.addr[f->appliance];
	char			 key[UTIL_ADDRSTRLEN + 16];
	uint32_t		 svc = ab_svc(f);

	util_addr_str(f->key.af, f->key.addr[!f->appliance], key, sizeof(key));
	*alert_mark(w, beacon_group_name(BEACON_G_ADDRESS), f->key.af, who,
	    key) = (int)v + 1;
	if (svc != 0) {
		beacon_svc_str(f->key.af, f->key.addr[!f->appliance], svc,
		    key, sizeof(key));
		*alert_mark(w, beacon_group_name(BEACON_G_SERVICE), f->key.af,
		    who, key) = (int)v + 1;
	}
	if (name != NULL)
		*alert_mark(w, beacon_group_name(BEACON_G_NAME), f->key.af,
		    who, name) = (int)v + 1;
	if (g != NULL && g->asn != 0) {
		snprintf(key, sizeof(key), "AS%u", g->asn);
		*alert_mark(w, beacon_group_name(BEACON_G_ASN), f->key.af,
		    who, key) = (int)v + 1;
	}
}

/* A look-up series turned periodic: judged on what it looks up. */
static void
ab_hit_lookup(struct alert_beacon *ab, const struct beacon_report *r,
    const struct ab_ctx *e, const char *key, struct flow *f)
{
	struct alert_beacon_lookup	 lk;
	struct ab_hitinfo		 hi;
	char				 domain[ALERT_BEACON_QNAME];
	size_t				 n = strlen(key), sl;
	enum policy_verdict		 v;

	sl = strlen(AB_DNS_SUFFIX);
	n = n > sl ? n - sl : 0;
	if (n >= sizeof(domain))
		n = sizeof(domain) - 1;
	memcpy(domain, key, n);
	domain[n] = '\0';
	memset(&lk, 0, sizeof(lk));
	lk.ts = r->last_seen;
	lk.af = e->key.af;
	lk.appliance = e->key.addr[0];
	lk.server = e->key.addr[1];
	lk.qname = e->qname;
	lk.domain = e->unlisted ? NULL : domain;
	lk.flow_id = e->flow_id;
	lk.proto = e->key.proto;
	ab_name_keep(ab, key);	/* kept when found: its only series */
	v = ab->judge(ab->judge_arg, &lk, e->has_mac ? e->mac : NULL);
	*ab_series_mark(ab, r) = (int)v + 1;
	if (v == POLICY_APPROVED || v == POLICY_INTERNAL) {
		ab->recorded++;
		return;
	}
	memset(&hi, 0, sizeof(hi));
	hi.f = f;
	hi.name = lk.domain;
	hi.name_src = APP_NAME_DNS;
	hi.v = v;
	hi.carrier = ALERT_CARRIER_DNS;
	hi.qname = e->qname;
	hi.dst = e->unlisted ? e->key.addr[1] : NULL;
	if (!ab_callhome(ab, r, &hi))
		*ab_series_mark(ab, r) = (int)v + 1 + AB_FOLDED;
}

/*
 * What a series the beat seq made periodic raises: an alert, or a record.
 * A connection's first packet often comes before its name (the SNI or
 * HTTP Host a round trip later, which the flow then feeds as a beat of its
 * own): when the beat has none, the name of a later beat of the same flow
 * still queued is the alert's, and the policy's evidence.  When the flow
 * has no name at all, an address or service series' call-home is named
 * from the appliance's DNS answers for the address before the flow
 * opened, expired or not (app_flow_name_expired): an AWS IoT hub resolves
 * its endpoint's name to 8 addresses with a 60 s TTL and connects to one
 * of them hours later, and each address then raised an alert of its own,
 * nameless, where the one call-home's first alert is what it updates.
 * That name is the alert's (its domain and call-home), not the policy's
 * evidence: the flow's verdict does not take an expired answer either.
 */
static void
ab_hit(void *arg, uint64_t seq, const struct beacon_report *r)
{
	struct alert_beacon	*ab = arg;
	const struct ab_ctx	*e = beatq_ctx(ab->q, seq), *k;
	const struct geo_info	*g = e->has_geo ? &e->gi : NULL;
	const char		*name = beatq_name(ab->q, seq), *home;
	enum app_name_source	 name_src = e->name_src;
	struct ab_hitinfo	 hi;
	enum policy_verdict	 v;
	struct flow		 f;
	uint64_t		 j;

	memset(&f, 0, sizeof(f));	/* what the verdict and alert read */
	f.key = e->key;
	f.appliance = e->appliance;
	f.id = e->flow_id;
	f.start = e->start;
	if (e->carrier == ALERT_CARRIER_DNS) {
		ab_hit_lookup(ab, r, e, name, &f);
		return;
	}
	for (j = seq + 1; name == NULL && j < beatq_head(ab->q); j++) {
		k = beatq_ctx(ab->q, j);
		if (k->flow_id == e->flow_id &&
		    (name = beatq_name(ab->q, j)) != NULL)
			name_src = k->name_src;
	}
	v = ab_verdict(ab, &f, e->has_mac ? e->mac : NULL, name, name_src, g);
	*ab_series_mark(ab, r) = (int)v + 1;
	ab_keep_verdict(ab, &f, name, g, v);
	if (v == POLICY_APPROVED || v == POLICY_INTERNAL) {
		ab->recorded++;
		return;
	}
	home = name;
	if (home == NULL && (r->group_by == BEACON_G_ADDRESS ||
	    r->group_by == BEACON_G_SERVICE) &&
	    (home = app_flow_name_expired(ab->in.app, &f)) != NULL)
		name_src = APP_NAME_DNS;
	memset(&hi, 0, sizeof(hi));
	hi.f = &f;
	hi.name = home;
	hi.name_src = name_src;
	hi.gi = g;
	hi.v = v;
	hi.carrier = ALERT_CARRIER_CONNECTION;
	hi.dst = r->addr;
	if (!ab_callhome(ab, r, &hi))
		*ab_series_mark(ab, r) = (int)v + 1 + AB_FOLDED;
}

/* The appliance's MAC, when listed, into the beat's context. */
static void
ab_ctx_mac(struct alert_beacon *ab, struct ab_ctx *c, uint8_t af,
    const uint8_t *who)
{
	const uint8_t	*mac;

	c->has_mac = 0;
	if (ab->in.macs != NULL && (mac = mac_of(ab->in.macs, af, who)) !=
	    NULL) {
		memcpy(c->mac, mac, sizeof(c->mac));
		c->has_mac = 1;
	}
}

/*
 * Queue one beat of flow f at ts, with the name given (a copy: the flow
 * may be gone when its alert is raised) and the bytes the appliance sent.
 */
static void
ab_beat(struct alert_beacon *ab, const struct flow *f, int64_t ts,
    int64_t quiet, const char *name, enum app_name_source name_src,
    uint32_t bytes)
{
	struct ab_ctx	*c;
	struct geo_info	 gi;
	const uint8_t	*who = f->key.addr[f->appliance];
	const uint8_t	*dst = f->key.addr[!f->appliance];
	int		 has_geo;

	has_geo = ab->in.geo != NULL &&
	    geo_lookup(ab->in.geo, f->key.af, dst, &gi);
	c = beatq_push(ab->q, ts, f->key.af, who, dst, name,
	    has_geo ? gi.asn : 0, ab_svc(f), quiet, bytes);
	c->key = f->key;
	c->appliance = f->appliance;
	c->flow_id = f->id;
	c->start = f->start;
	c->has_geo = (uint8_t)has_geo;
	if (has_geo)
		c->gi = gi;
	c->name_src = name_src;
	c->carrier = ALERT_CARRIER_CONNECTION;
	c->unlisted = 0;
	c->qname[0] = '\0';
	ab_ctx_mac(ab, c, f->key.af, who);
	if (name != NULL)
		ab_name_keep(ab, name);
	ab->beats++;
}

/*
 * A DNS query of an appliance: a beat of the series of what it looks up,
 * keyed "domain (dns)", or "server (dns)" for a name under no listed
 * suffix.
 */
void
alert_beacon_lookup(struct alert_beacon *ab,
    const struct alert_beacon_lookup *lk)
{
	struct ab_ctx	*c;
	char		 key[ALERT_KEY_MAX];
	const char	*k = lk->domain;
	size_t		 alen = lk->af == 4 ? 4 : 16, n;

	if (ab->judge == NULL)
		return;
	if (k == NULL)
		k = util_addr_str(lk->af, lk->server, key, sizeof(key));
	n = strnlen(k, 250);
	memmove(key, k, n);
	memcpy(key + n, AB_DNS_SUFFIX, sizeof(AB_DNS_SUFFIX));
	c = beatq_push(ab->q, lk->ts, lk->af, lk->appliance, NULL, key, 0, 0,
	    0, lk->bytes);
	memset(&c->key, 0, sizeof(c->key));
	c->key.af = lk->af;
	memcpy(c->key.addr[0], lk->appliance, alen);
	memcpy(c->key.addr[1], lk->server, alen);
	c->key.proto = lk->proto;
	c->key.port[0] = lk->sport;
	c->key.port[1] = 53;
	c->appliance = 0;
	c->flow_id = lk->flow_id;
	c->start = lk->ts;
	c->has_geo = 0;
	c->name_src = APP_NAME_DNS;
	c->carrier = ALERT_CARRIER_DNS;
	c->unlisted = lk->domain == NULL;
	n = strnlen(lk->qname, sizeof(c->qname) - 1);
	memcpy(c->qname, lk->qname, n);
	c->qname[n] = '\0';
	ab_ctx_mac(ab, c, lk->af, lk->appliance);
	ab->beats++;
	ab->lookups++;
}

/*
 * Is a TCP segment after a quiet spell a check-in?  One that carries data
 * is (2); one that carries none (a keep-alive probe, an ACK, a FIN) only
 * when it is a probe of a connection that has carried nothing else for
 * ALERT_BEACON_KA_IDLE (1).  A one-byte segment is a probe when it is at
 * the sequence number of its side's previous one.
 */
static int
ab_tcp_checkin(struct alert_beacon *ab, const struct flow *f,
    const struct flow_hit *h, const struct pkt *p)
{
	struct ab_ka	*k = &ab->ka[f->id & (ALERT_BEACON_KA_SLOTS - 1)];
	int		 d = h->dir != 0;

	if (k->id != f->id) {
		memset(k, 0, sizeof(*k));
		k->id = f->id;
		k->since = p->ts - h->idle;	/* the packet before the quiet */
	}
	if (p->payload_len > 1 || (p->payload_len == 1 &&
	    (!k->has_seq[d] || k->seq[d] != p->tcp_seq))) {
		/* data: the connection is in use */
		k->since = p->ts;
		k->has_seq[!d] = 0;
		k->seq[d] = p->tcp_seq;
		k->has_seq[d] = p->payload_len == 1;
		return 2;
	}
	if (p->tcp_flags & (AB_TCP_FIN | AB_TCP_RST | AB_TCP_SYN))
		return 0;
	k->seq[d] = p->tcp_seq;
	k->has_seq[d] = 1;
	if (p->ts - k->since < ALERT_BEACON_KA_IDLE)
		return 0;
	ab->keepalives++;
	return 1;
}

/*
 * Is a packet an ICMP error (RFC 792: destination unreachable, source
 * quench, redirect, time exceeded, parameter problem; RFC 4443: types
 * under 128)?  The decoder gives the type as the source port.  A stack
 * sends one about a packet it was sent (a port unreachable for an answer
 * to a search whose socket has closed): never a check-in of its own.
 */
static int
ab_icmp_error(const struct flow *f, const struct pkt *p)
{
	if (f->key.proto == 1)
		return p->sport == 3 || p->sport == 4 || p->sport == 5 ||
		    p->sport == 11 || p->sport == 12;
	return f->key.proto == 58 && p->sport < 128;
}

/* The fixed key of the certificate-check notes. */
static const struct hash_key ab_pki_key = {
	0x6365727463686b30ULL, 0x7365727669636573ULL
};

/* The note of a flow's service: its tag (never 0) and slot. */
static uint64_t *
ab_pki_slot(struct alert_beacon *ab, const struct flow *f, uint64_t *tag)
{
	uint64_t	w[6];

	hash_addr_words(f->key.af, f->key.addr[f->appliance], w);
	hash_addr_words(f->key.af, f->key.addr[!f->appliance], w + 2);
	w[4] = (uint64_t)f->key.af << 24 | (uint64_t)f->key.proto << 16 |
	    f->key.port[!f->appliance];
	w[5] = 0;
	*tag = hash_fast_w(&ab_pki_key, w, 6) | 1;
	return &ab->pki[*tag >> 40 & (ALERT_BEACON_PKI_SLOTS - 1)];
}

/* Is a flow a certificate's checking (its first request)? */
static int
ab_is_pki(const struct flow *f)
{
	return f->app != NULL && f->app->pki != HTTP_PKI_NONE;
}

/*
 * A connection the appliance opened, its first request read: note its
 * service when the request is a certificate's checking, else forget the
 * note; then a beat held for it is dropped, or made at the connection's
 * start.
 */
static void
ab_pki_note(struct alert_beacon *ab, struct flow *f)
{
	const char		*name, *cname;
	enum app_name_source	 src;
	uint64_t		 tag, *slot;
	int			 held = (f->app_flags & FLOW_APP_BEAT_HELD) != 0;

	f->app_flags |= FLOW_APP_PKI_NOTED;
	f->app_flags &= (uint8_t)~FLOW_APP_BEAT_HELD;
	if (f->init != f->appliance)
		return;
	slot = ab_pki_slot(ab, f, &tag);
	if (ab_is_pki(f)) {
		*slot = tag;
		ab->pki_beats += (uint64_t)held;
		return;
	}
	if (*slot == tag)
		*slot = 0;
	if (held) {
		name = app_flow_name(ab->in.app, f, &src, &cname);
		ab_beat(ab, f, f->start, 0, name, src, 0);
	}
}

/* Does a flow carry DNS that alert_dns.c reads as look-ups? */
static int
ab_is_dns(const struct alert_beacon *ab, const struct flow *f)
{
	return ab->judge != NULL && f->app != NULL &&
	    f->app->proto == APP_DNS;
}

/* One packet, after its flow and application layer have seen it: beats. */
void
alert_beacon_packet(struct alert_beacon *ab, struct flow *f,
    const struct flow_hit *h, const struct pkt *p)
{
	const char		*name, *cname;
	enum app_name_source	 src;
	uint64_t		 tag;
	int			 mine = h->dir == f->appliance, named = 0;
	int			 opened = f->init == f->appliance, answer = 0;
	int			 data = f->key.proto != 6;
	int64_t			 quiet = 0;

	beatq_tick(ab->q, p->ts);
	if (ab_icmp_error(f, p))
		return;
	if (f->key.proto == 6 && (f->app_flags & (FLOW_APP_DONE |
	    FLOW_APP_PKI_NOTED)) == FLOW_APP_DONE)
		ab_pki_note(ab, f);
	/*
	 * Which packets are beats first, the destination's place after (it
	 * costs more): the first packet of a flow the appliance opens,
	 * whichever side sent it (a tap that sees one direction has only
	 * the server's SYN/ACK); the first packet after a quiet spell, from
	 * either side of a flow the appliance takes part in (but a SYN sent
	 * again is the same connection's retry); the first bytes of a flow
	 * begun without a name, which may name it; the appliance's answer
	 * to an exchange the far side began (its first data since).
	 */
	if (h->created) {
		if (!opened)
			return;
	} else if (h->idle >= ALERT_BEACON_GAP && !(f->key.proto == 6 &&
	    (p->tcp_flags & (AB_TCP_SYN | AB_TCP_ACK)) == AB_TCP_SYN)) {
		if (!mine && !(f->sides & (1U << f->appliance)))
			return;
		quiet = h->idle;
	} else if (mine && (f->app_flags & FLOW_APP_BEAT_NAME) &&
	    p->payload_len > 0) {
		f->app_flags &= (uint8_t)~FLOW_APP_BEAT_NAME;
		named = 1;
		answer = (f->app_flags & FLOW_APP_FAR_OPEN) != 0;
		data = 1;
	} else if (mine && (f->app_flags & FLOW_APP_FAR_OPEN) &&
	    (f->key.proto != 6 || p->payload_len > 0))
		answer = 1;
	else
		return;
	if (ab_is_dns(ab, f) || !policy_is_outside(ab->in.policy, f->key.af,
	    f->key.addr[!f->appliance]))
		return;
	if (!h->created && !named && f->key.proto == 6) {
		if ((data = ab_tcp_checkin(ab, f, h, p)) == 0)
			return;
		data = data == 2;
	}
	if (!h->created && data && (!named || answer)) {
		/*
		 * An exchange inside the flow, begun after a quiet spell or
		 * answered: the appliance's data is its check-in, and once
		 * it has spoken so, the far side's only when it answers.
		 */
		if (mine) {
			f->app_flags |= FLOW_APP_HEARD;
			f->app_flags &= (uint8_t)~FLOW_APP_FAR_OPEN;
		} else {
			f->app_flags |= FLOW_APP_FAR_OPEN;
			if (f->app_flags & FLOW_APP_HEARD)
				return;
		}
	} else if (answer && !named)
		return;
	if (!alert_appliance(ab->in.policy, ab->in.macs, f->key.af,
	    f->key.addr[f->appliance]))
		return;
	if (ab_is_pki(f)) {
		ab->pki_beats++;
		return;
	}
	if (h->created && f->key.proto == 6 && opened &&
	    *ab_pki_slot(ab, f, &tag) == tag) {
		/* a service noted: what does this connection ask? */
		f->app_flags |= FLOW_APP_BEAT_HELD;
		return;
	}
	name = app_flow_name(ab->in.app, f, &src, &cname);
	if (h->created && name == NULL && f->key.proto == 6)
		f->app_flags |= FLOW_APP_BEAT_NAME;
	if (!named || answer || name != NULL)
		ab_beat(ab, f, p->ts, quiet, name, src, mine ?
		    (uint32_t)p->payload_len : 0);
}

/* Raise the alerts of every beat seen so far. */
void
alert_beacon_flush(struct alert_beacon *ab)
{
	if (ab != NULL)
		beatq_flush(ab->q);
}

/* Order reports: appliance, then what the series is keyed by. */
static int
ab_report_cmp(const void *a, const void *b)
{
	const struct beacon_report	*x = a, *y = b;
	int				 c;

	if (x->af != y->af)
		return x->af < y->af ? -1 : 1;
	if ((c = memcmp(x->appliance, y->appliance, 16)) != 0)
		return c;
	if (x->group_by != y->group_by)
		return x->group_by < y->group_by ? -1 : 1;
	if ((c = memcmp(x->addr, y->addr, 16)) != 0)
		return c;
	if (x->asn != y->asn)
		return x->asn < y->asn ? -1 : 1;
	if (x->svc != y->svc)
		return x->svc < y->svc ? -1 : 1;
	return x->first_seen < y->first_seen ? -1 : x->first_seen > y->first_seen;
}

struct ab_reports {
	struct beacon_report	*v;
	size_t			 n, cap;
};

/* Collect one periodic series. */
static void
ab_collect(const struct beacon_report *r, void *arg)
{
	struct ab_reports	*rs = arg;

	if (rs->n == rs->cap) {
		rs->cap = rs->cap ? rs->cap * 2 : 64;
		rs->v = xreallocarray(rs->v, rs->cap, sizeof(*rs->v));
	}
	rs->v[rs->n++] = *r;
}

/*
 * Is a service series the same as its address's: periodic alike, on the
 * same beats (a call-home on one port)?  Then it says nothing more.
 */
static int
ab_service_same(struct alert_beacon *ab, const struct beacon_report *r)
{
	struct beacon_report	a;

	return beacon_lookup(alert_beacon_detector(ab), r->af, r->appliance,
	    BEACON_G_ADDRESS, r->addr, NULL, 0, &a) == 0 &&
	    a.verdict == r->verdict && a.beats == r->beats;
}

/*
 * Hand every periodic series to the sinks as it stands, in order of
 * appliance and key, with the verdict kept for it; a service series only
 * when it is not its address's over again.
 */
void
alert_beacon_series(struct alert_beacon *ab)
{
	struct ab_reports	 rs = { NULL, 0, 0 };
	struct event_series	 ev;
	size_t			 i;
	int			 mark;

	beacon_foreach(alert_beacon_detector(ab), ab_collect, &rs);
	if (rs.n > 0)
		qsort(rs.v, rs.n, sizeof(*rs.v), ab_report_cmp);
	for (i = 0; i < rs.n; i++) {
		if (rs.v[i].group_by == BEACON_G_SERVICE &&
		    ab_service_same(ab, &rs.v[i]))
			continue;
		memset(&ev, 0, sizeof(ev));
		ev.report = &rs.v[i];
		if (rs.v[i].group_by == BEACON_G_NAME)
			ev.name = ab_name_of(ab, rs.v[i].name_hash);
		mark = *ab_series_mark(ab, &rs.v[i]);
		ev.judged = mark != 0;
		ev.verdict = mark != 0 ? (enum policy_verdict)((mark - 1) %
		    AB_FOLDED) : POLICY_UNREVIEWED;
		ev.folded = mark > AB_FOLDED;
		sinks_series(ab->in.sinks, &ev);
	}
	free(rs.v);
}

/* The detector's counters and the verdicts'. */
void
alert_beacon_counters(struct alert_beacon *ab, struct event_counters *c)
{
	const struct beacon_stats	*b;

	b = beacon_stats(alert_beacon_detector(ab));
	event_counter(c, "beacon.beats", b->events);
	event_counter(c, "beacon.series_beats", b->beats);
	event_counter(c, "beacon.first_sightings", b->first_seen);
	event_counter(c, "beacon.first_given_way", b->first_lost);
	event_counter(c, "beacon.series", b->series);
	event_counter(c, "beacon.series_created", b->created);
	event_counter(c, "beacon.evicted", b->evicted);
	event_counter(c, "beacon.evicted_per_appliance", b->evicted_appliance);
	event_counter(c, "beacon.periodic", b->periodic);
	event_counter(c, "beacon.strobes", b->strobes);
	event_counter(c, "beacon.reports", b->alerts);
	event_counter(c, "beacon.reports_suppressed", b->suppressed);
	event_counter(c, "beacon.recorded", ab->recorded);
	event_counter(c, "beacon.folded", ab->folded);
	event_counter(c, "beacon.lookups", ab->lookups);
	event_counter(c, "beacon.keepalive_beats", ab->keepalives);
	event_counter(c, "beacon.certificate_checks", ab->pki_beats);
}
