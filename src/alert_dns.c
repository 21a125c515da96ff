/*
 * What the appliances look up.
 *
 * Every DNS message the application layer parses (app.c) comes here.  A
 * query of an appliance, through any resolver (the site's own included),
 * for a name under a listed public suffix belongs to its registered
 * domain (domain.c); one for a name under no listed suffix (".lan", a
 * made-up one) can only be answered by the server it was sent to, and
 * belongs to that server when it is outside the site (to a server of the
 * site it never leaves).  Left out: mDNS, reverse look-ups (".arpa"),
 * ".local", single labels, queries that ask for no recursion (a resolver's
 * own work for its clients) and those of the site's resolvers.
 *
 * Three detectors read them:
 *   - each query is a beat of the appliance's look-up series of its domain
 *     (alert_beacon_lookup), unless it is part of a look-up under way (a
 *     resolver's retry, the same name asked of another server, or again
 *     at once: ad_retry): a C2 polled through DNS is a beacon like any
 *     other, and the policy judges it by what it looks up (ad_judge): a
 *     deny or allow rule that names the domain, or the address the
 *     appliance was last given for it, whatever the rule's port;
 *   - the tunnel detector counts, per appliance and domain, the unique
 *     names asked, those of them with an encoded label (one of at least
 *     dns-tunnel-label characters, or of ALERT_DNS_RANDOM_LABEL with
 *     ALERT_DNS_RANDOM_BITS of entropy a character or more: base32 or
 *     base64), and answers of the types a tunnel carries data back in
 *     (TXT, NULL, CNAME or MX, when asked for) to unique names.  Each count
 *     decays with dns-tunnel-window (5 minutes) as its time constant: a
 *     burst of N names in much less than the window counts N, a steady
 *     rate r counts r times the window; a dns-tunnel alert when any
 *     reaches its threshold (100 names, 10 encoded, 10 answers), then at
 *     most one an hour for the domain.  A name is unique when it was not
 *     asked in this window or the last (a 1024-bit filter of each): caches
 *     and retries ask for the same names, a tunnel must not.  CDNs
 *     and browsing do not come near: their names repeat, their labels are
 *     words and short hashes, their answers are addresses.  Names that
 *     are an address written backwards under the domain (DNS blocklists,
 *     address registries: a mail server asks thousands) are no names of
 *     a tunnel;
 *   - the poll detector (ad_poll) follows each look-up of a type that
 *     carries data back (TXT, NULL, CNAME, MX): one name asked again within
 *     2 s of each answer, at a steady delay after it, 16 times in a row,
 *     is a dns-poll alert, then at most one an hour for the domain.
 * State is fixed per (appliance, domain), 312 bytes: its counts, the last
 * answer address and the filters, in 4-way sets placed by a hash with a fixed key
 * (the least recently seen of a set gives way), so the results never
 * depend on a random key.  The look-ups under way are AD_LOOKUPS slots of
 * 56 bytes by a hash of (appliance, name, type) with the same key, the
 * newest taking a slot: a look-up pushed out early only makes its retry
 * a beat, as every query was before.
 */
#include "config.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "alert.h"
#include "alert_beacon.h"
#include "alert_dns.h"
#include "decode.h"
#include "dns.h"
#include "domain.h"
#include "event.h"
#include "flow.h"
#include "geo.h"
#include "hash.h"
#include "mac.h"
#include "policy.h"
#include "sink.h"
#include "util.h"
#include "xmalloc.h"

#define AD_WAYS		4
#define AD_TYPE_NULL	10
#define AD_TYPE_MX	15
#define AD_TYPE_TXT	16
#define AD_BITS		1024	/* of a filter of names seen */
#define AD_CACHE	4096	/* names whose domain is known */
#define AD_UNLISTED	(-1)	/* a cached name under no listed suffix */
#define AD_LOOKUPS	4096	/* look-ups followed for their retries
				   and polls */
#define AD_RETRY_US	(10 * 1000000LL)	/* a retry: this soon after
						   the look-up's last query */
#define AD_RETRY_SPAN_US (60 * 1000000LL)	/* a look-up's retries end
						   this long after its first */
#define AD_AGAIN_US	(2 * 1000000LL)	/* asked again, answered or not,
					   this soon after the first: the
					   same (BEACON_MERGE_US) */
#define AD_POLL_AFTER_US AD_AGAIN_US	/* a poll: asked again this soon
					   after the answer */
#define AD_POLL_SPREAD_US (500 * 1000LL)	/* the answer-to-query delays
					   of a run: within this of each
					   other (dns-poll-spread) */
#define AD_POLLS	16	/* re-asks in a run: a dns-poll alert
				   (dns-poll-count) */

/* What one appliance looks up under one domain. */
struct ad_state {
	uint64_t	 tag;		/* 0: empty */
	int64_t		 last;		/* the last event, us */
	float		 names;		/* unique names, decayed */
	float		 encoded;	/* of those, encoded */
	float		 answers;	/* data answers, decayed */
	uint16_t	 longest;	/* label */
	uint8_t		 ans_af;	/* the last answer: 0 none */
	uint8_t		 ans[16];
	int64_t		 epoch;		/* of filter[0]: ts / window */
	uint64_t	 filter[2][AD_BITS / 64];	/* names seen, this
						   window and the last */
};

_Static_assert(sizeof(struct ad_state) == 312, "a domain's state");

/*
 * One look-up of an appliance (a name and a type), for its retries: when
 * it was first and last asked, and the last two servers that answered it
 * (a 32-bit hash of each address, never 0; 0: none).  Two, not a bit
 * each in a mask: a mask of 64 made one pair of servers in 64 the same
 * server (a site's resolver and 8.8.4.4 shared a bit), and that site's
 * every second resolver asked became a check-in again.
 */
struct ad_lookup {
	uint64_t	 tag;		/* 0: empty */
	int64_t		 first, last;	/* us */
	uint32_t	 answered[2];	/* servers; [0] the newer */
	uint32_t	 ans_after;	/* the first answer since the last
					   query, us after it; 0: none */
	uint32_t	 polls;		/* re-asks of the run (ad_poll) */
	uint32_t	 after_min, after_max;	/* of the run, us */
	int64_t		 poll_first;	/* the run's first query */
};

_Static_assert(sizeof(struct ad_lookup) == 56, "a look-up's state");

/* Where a name's registered domain begins, as the list last said. */
struct ad_cached {
	uint64_t	 hash;		/* of the name; 0: empty */
	uint16_t	 len;		/* of the name */
	int16_t		 off;		/* of the domain, or AD_UNLISTED */
};

struct alert_dns {
	struct alert_dns_in	 in;
	struct ad_state		*sets;		/* ALERT_DNS_SETS * AD_WAYS */
	struct ad_cached	*cache;		/* AD_CACHE, by name hash */
	struct ad_lookup	*lookups;	/* AD_LOOKUPS, by tag */
	int64_t			 window;
	double			 names, encoded, answers;
	unsigned int		 label;
	uint32_t		 poll_count;	/* dns-poll-count */
	int64_t			 poll_spread;	/* dns-poll-spread, us */
	uint64_t		 queries, responses;
	uint64_t		 tunnels, tunnels_recorded, evicted;
	uint64_t		 polls, polls_recorded;
};

static const struct hash_key ad_key = {
	0x616c657274646e73ULL, 0x74756e6e656c7321ULL
};

static enum policy_verdict ad_judge(void *,
		    const struct alert_beacon_lookup *, const uint8_t *);

/* The DNS detectors reading from and writing to in. */
struct alert_dns *
alert_dns_new(const struct alert_dns_in *in)
{
	struct alert_dns		*ad;

	ad = xcalloc(1, sizeof(*ad));
	ad->in = *in;
	ad->sets = xcalloc((size_t)ALERT_DNS_SETS * AD_WAYS,
	    sizeof(*ad->sets));
	ad->cache = xcalloc(AD_CACHE, sizeof(*ad->cache));
	ad->lookups = xcalloc(AD_LOOKUPS, sizeof(*ad->lookups));
	alert_dns_set_policy(ad, in->policy);
	if (in->beacons != NULL)
		alert_beacon_set_judge(in->beacons, ad_judge, ad);
	return ad;
}

/* Judge by p and take its thresholds from now on (a reload). */
void
alert_dns_set_policy(struct alert_dns *ad, const struct policy *p)
{
	const struct policy_options	*o = p != NULL ? &p->opts : NULL;

	ad->in.policy = p;
	ad->window = o && o->dns_tunnel_window ? o->dns_tunnel_window :
	    ALERT_DNS_WINDOW;
	ad->names = o && o->dns_tunnel_names ? (double)o->dns_tunnel_names :
	    ALERT_DNS_NAMES;
	ad->encoded = o && o->dns_tunnel_encoded ?
	    (double)o->dns_tunnel_encoded : ALERT_DNS_ENCODED;
	ad->answers = o && o->dns_tunnel_answers ?
	    (double)o->dns_tunnel_answers : ALERT_DNS_ANSWERS;
	ad->label = o && o->dns_tunnel_label ?
	    (unsigned int)o->dns_tunnel_label : ALERT_DNS_LABEL;
	ad->poll_count = o && o->dns_poll_count ?
	    (uint32_t)o->dns_poll_count : AD_POLLS;
	ad->poll_spread = o && o->dns_poll_spread ? o->dns_poll_spread :
	    AD_POLL_SPREAD_US;
}

/* Free the DNS detectors. */
void
alert_dns_free(struct alert_dns *ad)
{
	if (ad == NULL)
		return;
	free(ad->sets);
	free(ad->cache);
	free(ad->lookups);
	free(ad);
}

/* The tag of (appliance, key), never 0. */
static uint64_t
ad_tag(uint8_t af, const uint8_t *appliance, const char *key)
{
	uint8_t	buf[17 + ALERT_KEY_MAX];
	size_t	n = strnlen(key, ALERT_KEY_MAX);

	buf[0] = af;
	memcpy(buf + 1, appliance, 16);
	memcpy(buf + 17, key, n);
	return hash_bytes(&ad_key, buf, 17 + n) | 1;
}

/* The state of (appliance, key), or NULL. */
static struct ad_state *
ad_find(struct alert_dns *ad, uint64_t tag)
{
	struct ad_state	*set = &ad->sets[(tag >> 1) % ALERT_DNS_SETS *
			    AD_WAYS];
	int		 w;

	for (w = 0; w < AD_WAYS; w++)
		if (set[w].tag == tag)
			return &set[w];
	return NULL;
}

/* The state of (appliance, key), made (the set's oldest giving way). */
static struct ad_state *
ad_get(struct alert_dns *ad, uint64_t tag, int64_t ts)
{
	struct ad_state	*set = &ad->sets[(tag >> 1) % ALERT_DNS_SETS *
			    AD_WAYS], *st;
	int		 w;

	if ((st = ad_find(ad, tag)) != NULL)
		return st;
	st = &set[0];
	for (w = 0; w < AD_WAYS && st->tag != 0; w++)
		if (set[w].tag == 0 || set[w].last < st->last)
			st = &set[w];
	if (st->tag != 0)
		ad->evicted++;
	memset(st, 0, sizeof(*st));
	st->tag = tag;
	st->last = ts;
	return st;
}

/* The counts of a state as they stand at ts. */
static void
ad_decay(const struct alert_dns *ad, struct ad_state *st, int64_t ts)
{
	double	f;

	if (ts <= st->last)
		return;
	f = exp(-(double)(ts - st->last) / (double)ad->window);
	st->names = (float)(st->names * f);
	st->encoded = (float)(st->encoded * f);
	st->answers = (float)(st->answers * f);
	st->last = ts;
}

/* Shannon entropy of n characters, in bits a character. */
double
alert_dns_entropy(const char *s, size_t n)
{
	unsigned int	count[256];
	double		h = 0, q;
	size_t		i;
	unsigned char	c;

	if (n == 0)
		return 0;
	for (i = 0; i < n; i++)
		count[(unsigned char)s[i]] = 0;
	for (i = 0; i < n; i++)
		count[(unsigned char)s[i]]++;
	for (i = 0; i < n; i++) {
		c = (unsigned char)s[i];
		if (count[c] == 0)
			continue;	/* its term is in */
		q = (double)count[c] / (double)n;
		h -= q * log2(q);
		count[c] = 0;
	}
	return h;
}

/*
 * Is a name's part left of its domain (the whole name but its last label
 * when it has none) encoded: a label long enough to be data, or random
 * enough?  *longest gets its longest label.
 */
static int
ad_encoded(const struct alert_dns *ad, const char *qname,
    const char *domain, unsigned int *longest)
{
	size_t		 n = strlen(qname), l;
	const char	*p, *e, *dot;
	int		 enc = 0;

	if (domain != NULL)
		n = strlen(domain) < n ? n - strlen(domain) - 1 : 0;
	else if ((dot = strrchr(qname, '.')) != NULL)
		n = (size_t)(dot - qname);
	*longest = 0;
	for (p = qname, e = qname + n; p < e; p += l + 1) {
		dot = memchr(p, '.', (size_t)(e - p));
		l = dot != NULL ? (size_t)(dot - p) : (size_t)(e - p);
		if (l > *longest)
			*longest = (unsigned int)l;
		if (l >= ad->label || (l >= ALERT_DNS_RANDOM_LABEL &&
		    alert_dns_entropy(p, l) >= ALERT_DNS_RANDOM_BITS))
			enc = 1;
	}
	return enc;
}

/*
 * Does a name begin with an address written backwards (four decimal
 * octets, or 32 hex nibbles), left of its domain: what DNS blocklists and
 * address registries are asked ("4.3.2.1.zen.example")?  Such names are
 * unique by the thousand on a mail server and carry no data but an
 * address.
 */
static int
ad_reversed_addr(const char *qname, const char *domain)
{
	const char	*p = qname, *e;
	size_t		 n = strlen(qname), l;
	int		 labels = 0, dec = 1, nib = 1;

	if (domain == NULL || strlen(domain) >= n)
		return 0;
	e = qname + n - strlen(domain) - 1;
	for (; p < e && labels < 32 && (dec || nib); p += l + 1, labels++) {
		for (l = 0; p + l < e && p[l] != '.'; l++) {
			dec &= isdigit((unsigned char)p[l]) != 0;
			nib &= isxdigit((unsigned char)p[l]) != 0;
		}
		dec &= l >= 1 && l <= 3;
		nib &= l == 1;
		if (dec && labels == 3)
			return 1;
	}
	return nib && labels == 32;
}

/* Move the filters of names seen on to the window of ts. */
static void
ad_filter_epoch(const struct alert_dns *ad, struct ad_state *st, int64_t ts)
{
	int64_t	e = ts / ad->window;

	if (e == st->epoch)
		return;
	if (e == st->epoch + 1)
		memcpy(st->filter[1], st->filter[0], sizeof(st->filter[1]));
	else
		memset(st->filter[1], 0, sizeof(st->filter[1]));
	memset(st->filter[0], 0, sizeof(st->filter[0]));
	st->epoch = e;
}

/*
 * Has a name (by its hash; salt 0: asked, 1: answered with data) been
 * seen this window or the last?  It is marked seen.  Two bits of 1024 a
 * name: 25 names make 1 new one in 400 look seen, a hundred 1 in 25,
 * which only slows a tunnel's count.
 */
static int
ad_filter_seen(struct ad_state *st, uint64_t h, int salt)
{
	unsigned int	b1, b2;
	int		w, seen = 0;

	h ^= (uint64_t)salt * 0x9e3779b97f4a7c15ULL;
	b1 = (unsigned int)(h % AD_BITS);
	b2 = (unsigned int)((h >> 32) % AD_BITS);
	for (w = 0; w < 2; w++)
		seen |= (st->filter[w][b1 / 64] >> (b1 % 64) & 1) &&
		    (st->filter[w][b2 / 64] >> (b2 % 64) & 1);
	st->filter[0][b1 / 64] |= 1ULL << (b1 % 64);
	st->filter[0][b2 / 64] |= 1ULL << (b2 % 64);
	return seen;
}

/* The hash of a name. */
static uint64_t
ad_name_hash(const char *qname)
{
	return hash_bytes(&ad_key, qname, strlen(qname));
}

/* Is a name one the detectors read? */
static int
ad_name_ok(const char *q)
{
	size_t	n = strlen(q);

	if (strchr(q, '.') == NULL)
		return 0;		/* a single label, or the root */
	if ((n >= 5 && strcmp(q + n - 5, ".arpa") == 0) ||
	    (n >= 6 && strcmp(q + n - 6, ".local") == 0))
		return 0;		/* reverse look-ups, mDNS names */
	return 1;
}

/* Does a prefix hold an address? */
static int
ad_prefix_has(const struct policy_prefix *p, uint8_t af, const uint8_t *a)
{
	int	bits = p->plen, i;

	if (p->af != af)
		return 0;
	for (i = 0; bits >= 8; i++, bits -= 8)
		if (p->addr[i] != a[i])
			return 0;
	return bits == 0 || ((p->addr[i] ^ a[i]) & (0xff << (8 - bits))) == 0;
}

/* What is known of a look-up: its name, and where the answer pointed. */
struct ad_what {
	const char		*name;
	uint8_t			 af;		/* of addr: 0, none */
	const uint8_t		*addr;
	uint32_t		 asn;
	const char		*country;
};

/*
 * Does a rule name a look-up?  By its name (domain), or by the address
 * the appliance was given (address, ASN, country); its protocol and ports
 * do not apply: a look-up has none.
 */
static int
ad_rule_names(const struct policy_rule *r, const struct ad_what *w)
{
	size_t	i;

	switch (r->sel) {
	case POLICY_SEL_DOMAIN:
		for (i = 0; i < r->ndomains; i++)
			if (policy_domain_match(r->domains[i], w->name))
				return 1;
		return 0;
	case POLICY_SEL_ADDR:
		for (i = 0; w->af != 0 && i < r->naddrs; i++)
			if (ad_prefix_has(&r->addrs[i], w->af, w->addr))
				return 1;
		return 0;
	case POLICY_SEL_ASN:
		for (i = 0; w->asn != 0 && i < r->nasns; i++)
			if (r->asns[i] == w->asn)
				return 1;
		return 0;
	case POLICY_SEL_COUNTRY:
		for (i = 0; w->country != NULL && w->country[0] != '\0' &&
		    i < r->ncountries; i++)
			if (strcasecmp(r->countries[i], w->country) == 0)
				return 1;
		return 0;
	}
	return 0;
}

/*
 * The verdict on what an appliance looks up, by_answer or by its name
 * alone: denied by a deny rule that names it, approved by a rule of the
 * appliance's group that names it, else unapproved (in audit mode
 * unreviewed).  A rule names a look-up by its name (domain), or, by_answer,
 * by the address the appliance was last given for the domain (address,
 * ASN, country), whatever the rule's port.  An answer never makes a
 * look-up internal: a DNS beacon's server answers what it likes (0.0.0.0
 * or a private address for "no task").  A name under no listed suffix is
 * judged as a flow to the server it was sent to.
 */
static enum policy_verdict
ad_verdict(struct alert_dns *ad, const struct alert_beacon_lookup *lk,
    const uint8_t *mac, int by_answer)
{
	const struct policy		*p = ad->in.policy;
	const struct policy_group	*g;
	const struct ad_state		*st;
	struct policy_query		 q;
	struct policy_result		 res;
	struct geo_info			 gi;
	struct ad_what			 w;
	size_t				 i;

	if (lk->domain == NULL) {
		if (p == NULL)
			return util_addr_inside(lk->af, lk->server) ?
			    POLICY_INTERNAL : POLICY_UNREVIEWED;
		memset(&q, 0, sizeof(q));
		q.af = lk->af;
		q.appliance_addr = lk->appliance;
		q.appliance_mac = mac;
		q.dst_addr = lk->server;
		q.proto = lk->proto;
		q.dport = 53;
		return policy_verdict(p, &q, &res);
	}
	if (p == NULL)
		return POLICY_UNREVIEWED;
	memset(&w, 0, sizeof(w));
	w.name = lk->qname;
	st = by_answer ? ad_find(ad, ad_tag(lk->af, lk->appliance,
	    lk->domain)) : NULL;
	if (st != NULL && st->ans_af != 0) {
		w.af = st->ans_af;
		w.addr = st->ans;
		if (ad->in.geo != NULL && !util_addr_inside(w.af, w.addr) &&
		    geo_lookup(ad->in.geo, w.af, w.addr, &gi)) {
			w.asn = gi.asn;
			w.country = gi.country;
		}
	}
	for (i = 0; i < p->ndenies; i++)
		if (ad_rule_names(p->denies[i], &w))
			return POLICY_DENIED;
	g = policy_group_of(p, lk->af, lk->appliance, mac);
	for (i = 0; g != NULL && i < g->nrules; i++)
		if (ad_rule_names(g->rules[i], &w))
			return POLICY_APPROVED;
	return POLICY_UNAPPROVED;
}

/* The verdict on a look-up series (alert_beacon.c asks). */
static enum policy_verdict
ad_judge(void *arg, const struct alert_beacon_lookup *lk, const uint8_t *mac)
{
	return ad_verdict(arg, lk, mac, 1);
}

/* The slot of a look-up, by its tag (ad_lookup_tag). */
static struct ad_lookup *
ad_slot(const struct alert_dns *ad, uint64_t tag)
{
	return &ad->lookups[(tag >> 1) % AD_LOOKUPS];
}

/*
 * What a DNS alert of an appliance's look-ups holds, whichever detector
 * raised it: the look-up's appliance, name and domain (the resolver when
 * the name is under no listed suffix), the call-home key, the verdict and
 * the count since the last alert.
 */
static void
ad_alert_head(struct alert *a, enum alert_action action, int severity,
    const struct alert_beacon_lookup *lk, const char *key, uint64_t n,
    enum policy_verdict v)
{
	memset(a, 0, sizeof(*a));
	a->action = action;
	a->severity = severity;
	a->rule = alert_action_name(action);
	a->ts = lk->ts;
	a->id = alert_id(a->rule, lk->af, lk->appliance, key);
	a->flow_id = lk->flow_id;
	a->af = lk->af;
	a->src = lk->appliance;
	if (lk->domain == NULL) {
		a->dst = lk->server;
		a->proto = lk->proto;
		a->dport = 53;
	}
	a->domain = lk->domain;
	a->name_source = APP_NAME_DNS;
	a->verdict = v;
	a->count = n + 1;
	a->callhome = key;
	a->dns_name = lk->qname;
	a->dns_domain = lk->domain;
}

/* The dns-tunnel alert of an appliance and domain. */
static void
ad_alert(struct alert_dns *ad, const struct ad_state *st,
    const struct alert_beacon_lookup *lk, const char *key, uint64_t n,
    enum policy_verdict v)
{
	struct alert		 a;
	struct alert_tunnel	 t;
	char			 who[UTIL_ADDRSTRLEN], win[32], more[64];

	memset(&t, 0, sizeof(t));
	t.names = (uint64_t)lround(st->names);
	t.encoded = (uint64_t)lround(st->encoded);
	t.answers = (uint64_t)lround(st->answers);
	t.window = ad->window;
	t.longest = st->longest;
	util_addr_str(lk->af, lk->appliance, who, sizeof(who));
	util_period_str((double)ad->window / 1e6, win, sizeof(win));
	more[0] = '\0';
	if (n > 0)
		snprintf(more, sizeof(more), "; %llu more queries since the "
		    "last alert", (unsigned long long)n);
	ad_alert_head(&a, ALERT_DNS_TUNNEL, ALERT_SEV_DNS_TUNNEL, lk, key, n,
	    v);
	a.tunnel = &t;
	snprintf(a.message, sizeof(a.message), "%s asks for about %llu "
	    "unique names under %s within %s (%llu with long or random "
	    "labels, the longest %u characters; %llu TXT, NULL, CNAME or MX "
	    "answers; the last %.80s): data carried in DNS names, a tunnel "
	    "to %s %s destination%s", who, (unsigned long long)t.names, key,
	    win, (unsigned long long)t.encoded, t.longest,
	    (unsigned long long)t.answers, lk->qname,
	    v == POLICY_UNAPPROVED || v == POLICY_UNREVIEWED ? "an" : "a",
	    policy_verdict_name(v), more);
	sinks_alert(ad->in.sinks, &a);
}

/*
 * A run of polls of one look-up (ad_poll) long enough: a dns-poll alert,
 * at most one a domain every ALERT_DNS_TUNNEL_EVERY, unless the policy
 * approves the name.  Judged by the name, as a tunnel: what a poll fetches
 * comes back in the answers, not from the address they give.
 */
static void
ad_poll_check(struct alert_dns *ad, uint64_t tag,
    const struct alert_beacon_lookup *lk, const char *key, uint16_t qtype,
    const uint8_t *mac)
{
	const struct ad_lookup	*l = ad_slot(ad, tag);
	enum policy_verdict	 v;
	struct alert		 a;
	struct alert_poll	 pl;
	char			 who[UTIL_ADDRSTRLEN], srv[UTIL_ADDRSTRLEN];
	char			 more[64];
	uint64_t		 n;

	if (!alert_window(ad->in.windows, alert_action_name(ALERT_DNS_POLL),
	    lk->af, lk->appliance, key, lk->ts, ALERT_DNS_TUNNEL_EVERY, &n))
		return;
	v = ad_verdict(ad, lk, mac, 0);
	if (v == POLICY_APPROVED || v == POLICY_INTERNAL) {
		ad->polls_recorded++;
		return;
	}
	ad->polls++;
	memset(&pl, 0, sizeof(pl));
	pl.polls = l->polls;
	pl.after_min = l->after_min;
	pl.after_max = l->after_max;
	pl.first = l->poll_first;
	pl.qtype = qtype;
	util_addr_str(lk->af, lk->appliance, who, sizeof(who));
	util_addr_str(lk->af, lk->server, srv, sizeof(srv));
	more[0] = '\0';
	if (n > 0)
		snprintf(more, sizeof(more), "; %llu more polls since the "
		    "last alert", (unsigned long long)n);
	ad_alert_head(&a, ALERT_DNS_POLL, ALERT_SEV_DNS_POLL, lk, key, n, v);
	a.poll = &pl;
	snprintf(a.message, sizeof(a.message), "%s asks for %.100s (%s) "
	    "again %llu times in %.0f s through %s, each %.2f to %.2f s "
	    "after the answer to the last: a poll paced by its answers, "
	    "commands fetched over DNS from %s %s destination%s", who,
	    lk->qname, qtype == AD_TYPE_TXT ? "TXT" : qtype == AD_TYPE_MX ?
	    "MX" : qtype == AD_TYPE_NULL ? "NULL" : "CNAME",
	    (unsigned long long)pl.polls,
	    (double)(lk->ts - pl.first) / 1e6, srv,
	    (double)pl.after_min / 1e6, (double)pl.after_max / 1e6,
	    v == POLICY_UNAPPROVED || v == POLICY_UNREVIEWED ? "an" : "a",
	    policy_verdict_name(v), more);
	sinks_alert(ad->in.sinks, &a);
}

/*
 * After an event of a state: a tunnel when a count reaches its threshold;
 * the alert, at most one a domain every ALERT_DNS_TUNNEL_EVERY, unless the
 * policy approves what is looked up.
 */
static void
ad_check(struct alert_dns *ad, const struct ad_state *st,
    const struct alert_beacon_lookup *lk, const char *key, const uint8_t *mac)
{
	enum policy_verdict	v;
	uint64_t		n;

	/* decayed, a burst of N counts a little under N: rounded */
	if (st->names + 0.5 < ad->names && st->encoded + 0.5 < ad->encoded &&
	    st->answers + 0.5 < ad->answers)
		return;
	if (!alert_window(ad->in.windows, alert_action_name(ALERT_DNS_TUNNEL),
	    lk->af, lk->appliance, key, lk->ts, ALERT_DNS_TUNNEL_EVERY, &n))
		return;
	v = ad_verdict(ad, lk, mac, 0);	/* by name: the data went out */
	if (v == POLICY_APPROVED || v == POLICY_INTERNAL) {
		ad->tunnels_recorded++;
		return;
	}
	ad->tunnels++;
	ad_alert(ad, st, lk, key, n, v);
}

/*
 * The registered domain of a name (a pointer into it), or NULL under no
 * listed suffix: the list asked once for a query and its answer (the last
 * AD_CACHE names, by hash; a hash that is not the name's cannot point
 * anywhere but at a label of it).
 */
static const char *
ad_domain(struct alert_dns *ad, const char *qname, uint64_t h)
{
	struct ad_cached	*c = &ad->cache[h % AD_CACHE];
	size_t			 n = strlen(qname);
	const char		*d = NULL;

	if (c->hash == h && c->len == n && (c->off == AD_UNLISTED ||
	    (c->off < (int)n && (c->off == 0 || qname[c->off - 1] == '.'))))
		return c->off == AD_UNLISTED ? NULL : qname + c->off;
	if (domain_listed(ad->in.domains, qname))
		d = domain_registered(ad->in.domains, qname);
	if (n <= INT16_MAX) {
		c->hash = h;
		c->len = (uint16_t)n;
		c->off = d != NULL ? (int16_t)(d - qname) : AD_UNLISTED;
	}
	return d;
}

/* Is a query type one a tunnel carries data back in? */
static int
ad_data_type(uint16_t t)
{
	return t == DNS_TYPE_CNAME || t == AD_TYPE_NULL || t == AD_TYPE_MX ||
	    t == AD_TYPE_TXT;
}

/*
 * The tag of an appliance's look-up of a name and type (names come
 * lowercased from dns.c), never 0.
 */
static uint64_t
ad_lookup_tag(uint8_t af, const uint8_t *appliance, const struct dns_msg *m)
{
	uint8_t	buf[19 + DNS_NAME_MAX];
	size_t	n = strnlen(m->qname, DNS_NAME_MAX);

	buf[0] = af;
	memcpy(buf + 1, appliance, 16);
	buf[17] = (uint8_t)(m->qtype >> 8);
	buf[18] = (uint8_t)m->qtype;
	memcpy(buf + 19, m->qname, n);
	return hash_bytes(&ad_key, buf, 19 + n) | 1;
}

/* A server's hash in a look-up's answered, never 0. */
static uint32_t
ad_server_id(uint8_t af, const uint8_t *server)
{
	return (uint32_t)hash_bytes(&ad_key, server, af == 4 ? 4 : 16) | 1;
}

/*
 * Is a query part of a look-up under way, not a new one?  A stub resolver
 * that gets no answer asks again, of the same server or of the next it
 * knows (1, 2 and 4 s later on Windows, 5 s with glibc), and some ask
 * every server they know whatever the first said (a smart-lock hub asks
 * its gateway, then OpenDNS 4 s later, at each reconnect; in an outage it
 * loops over both for minutes).  Each is the same check-in: fed as beats,
 * those pairs, hours apart, made a series "every 3.9 s", and an outage's
 * loop a periodic one.  So a query of the name and type of a look-up is
 * part of it
 *   - within AD_AGAIN_US of its first query, answered or not: a client
 *     without a cache resolves the name again for the next connection of
 *     the same check-in (a lock asks 1.3 s after the answer), as the
 *     connections of one check-in merge within BEACON_MERGE_US;
 *   - or, within AD_RETRY_US of its last query, when the server asked has
 *     not answered the look-up: another server, or the same one still
 *     silent.
 * The same server asked again after its answer (any answer: an address,
 * NXDOMAIN, SERVFAIL), past AD_AGAIN_US, is the application asking again:
 * a new look-up, a check-in.  A look-up's retries end AD_RETRY_SPAN_US
 * after its first query, past any stub's own (glibc's 2 servers, 2 tries
 * each, 5 s: 20 s), so that where no answer is ever seen (a tap that saw
 * one direction) a poll faster than AD_RETRY_US still makes a beat a
 * span.  Only the beacon series is spared the retries: the tunnel
 * detector counts unique names, which a retry is not.
 */
static int
ad_retry(struct alert_dns *ad, uint64_t tag, uint32_t server, int64_t ts)
{
	struct ad_lookup	*l = ad_slot(ad, tag);
	int			 answered;

	answered = l->answered[0] == server || l->answered[1] == server;
	if (l->tag == tag && ts >= l->last && (ts - l->first <= AD_AGAIN_US ||
	    (ts - l->last <= AD_RETRY_US && ts - l->first <= AD_RETRY_SPAN_US &&
	    !answered))) {
		l->last = ts;
		return 1;
	}
	if (l->tag != tag) {	/* another look-up's slot: no run */
		memset(l, 0, sizeof(*l));
		l->tag = tag;
	}
	l->first = l->last = ts;
	l->answered[0] = l->answered[1] = 0;
	return 0;
}

/*
 * Is a query of a look-up a poll paced by its answers, and how many in a
 * row?  A loop that asks a name, reads the answer (a command in a TXT
 * record, or "nothing yet") and asks again a short, steady time after it
 * has no timer of its own: its period is the server's answer time, and a
 * resolver that times out at 1 or 2 s (SERVFAIL) makes gaps of two values
 * in no order, which no period fits, and most of them within AD_AGAIN_US
 * of the look-up's first query, so no beats (ad_retry).  Measured from
 * the answer, its rhythm is plain: a PowerShell stager asked one name
 * 0.08 to 0.36 s after each answer, 31 times (its 1 and 2 s gaps the site
 * resolver's timeouts).  Nothing benign does so many: a stub resolver's
 * or a browser's cache answers a name asked again at once, and a client
 * without one (a lock re-resolving for its next connection) asks it again
 * once or twice a check-in.  So a query that comes within
 * AD_POLL_AFTER_US of the first answer to the look-up's last query is a
 * re-ask; a run of them, while the delays stay steady (within
 * dns-poll-spread, AD_POLL_SPREAD_US by default, of each other: a client
 * re-resolving for each of its connections asks after each connection's
 * own time), is counted, and dns-poll-count (AD_POLLS) make a dns-poll
 * alert.  The caller asks only of the types a
 * tunnel carries data back in (TXT, NULL, CNAME, MX: ad_data_type), which
 * the commands must come in: a test script's dig asking an address again
 * a second after each answer is none (a loop paced by its own sleep is
 * the beacon detector's).  A query with no answer since the last (a
 * retry, or a tap that sees one direction) neither counts nor breaks the
 * run; one later than that after the answer, or out of step, starts it
 * again.  Called before ad_retry, which moves the look-up's last query
 * on.  The run's length, or 0 when this query is none of one.
 */
static uint32_t
ad_poll(struct alert_dns *ad, uint64_t tag, int64_t ts)
{
	struct ad_lookup	*l = ad_slot(ad, tag);
	int64_t			 d;
	uint32_t		 lo, hi;

	if (l->tag != tag || ts < l->last)
		return 0;
	if (l->ans_after == 0)
		return 0;
	d = ts - l->last - (int64_t)l->ans_after;
	l->ans_after = 0;
	if (d < 0 || d > AD_POLL_AFTER_US) {
		l->polls = 0;
		return 0;
	}
	lo = l->polls > 0 && l->after_min < (uint32_t)d ? l->after_min :
	    (uint32_t)d;
	hi = l->polls > 0 && l->after_max > (uint32_t)d ? l->after_max :
	    (uint32_t)d;
	if (l->polls == 0 || (int64_t)(hi - lo) > ad->poll_spread) {
		l->polls = 1;		/* a run begins with this re-ask */
		l->after_min = l->after_max = (uint32_t)d;
		l->poll_first = l->last;
		return 1;
	}
	l->polls++;
	l->after_min = lo;
	l->after_max = hi;
	return l->polls;
}

/*
 * An answer to a look-up from a server at ts.  A truncated one is none:
 * the client asks the same server again, over TCP (RFC 7766 5).
 */
static void
ad_answered(struct alert_dns *ad, uint64_t tag, uint32_t server,
    const struct dns_msg *m, int64_t ts)
{
	struct ad_lookup	*l = ad_slot(ad, tag);

	if (l->tag != tag || m->tc)
		return;
	if (l->ans_after == 0 && ts >= l->last)
		l->ans_after = ts - l->last >= UINT32_MAX ? UINT32_MAX :
		    ts - l->last > 0 ? (uint32_t)(ts - l->last) : 1;
	if (l->answered[0] == server)
		return;
	l->answered[1] = l->answered[0];	/* the older goes, or moves up */
	l->answered[0] = server;
}

/*
 * A DNS message of a flow (app.c hands every one over): a query of an
 * appliance is a beat of its look-up series, unless it retries a look-up
 * under way (ad_retry), and a name for the tunnel detector; an answer to
 * it ends the look-up's retries from its server, keeps the address it
 * gave, and counts when it carries data.
 */
void
alert_dns_message(void *arg, const struct flow *f, const struct pkt *p,
    const struct dns_msg *m)
{
	struct alert_dns		*ad = arg;
	const struct policy		*pol = ad->in.policy;
	struct alert_beacon_lookup	 lk;
	struct ad_state			*st;
	const uint8_t			*who, *server, *mac;
	const char			*domain = NULL;
	char				 key[ALERT_KEY_MAX];
	uint64_t			 h, tag = 0;
	uint32_t			 sid = 0, polls = 0;
	unsigned int			 longest;
	size_t				 alen = p->af == 4 ? 4 : 16, n;
	int				 i, ans = -1;

	if (m->opcode != 0 || m->qdcount == 0 ||
	    (m->qclass & 0x7fff) != DNS_CLASS_IN || p->sport == 5353 ||
	    p->dport == 5353)
		return;
	who = m->qr ? p->dst : p->src;
	server = m->qr ? p->src : p->dst;
	if (memcmp(who, f->key.addr[f->appliance], alen) != 0 ||
	    util_addr_local(p->af, server) || (!m->qr && !m->rd) ||
	    !ad_name_ok(m->qname) ||
	    (pol != NULL && policy_is_resolver(pol, p->af, who)) ||
	    !alert_appliance(pol, ad->in.macs, p->af, who))
		return;
	tag = ad_lookup_tag(p->af, who, m);
	sid = ad_server_id(p->af, server);
	if (m->qr)
		ad_answered(ad, tag, sid, m, p->ts);
	if (m->qr) {
		/* an answer matters with an address, or data */
		for (i = 0; i < m->nanswers && ans == -1; i++)
			if (m->an[i].af != 0)
				ans = i;
		if (ans == -1 && (m->rcode != 0 || m->ancount == 0 ||
		    !ad_data_type(m->qtype)))
			return;
	}
	h = ad_name_hash(m->qname);
	if ((domain = ad_domain(ad, m->qname, h)) != NULL) {
		n = strnlen(domain, sizeof(key) - 1);
		memcpy(key, domain, n);
		key[n] = '\0';
	} else if (policy_is_outside(pol, p->af, server))
		util_addr_str(p->af, server, key, sizeof(key));
	else
		return;		/* a name of the site, from the site */
	memset(&lk, 0, sizeof(lk));
	lk.ts = p->ts;
	lk.af = p->af;
	lk.appliance = who;
	lk.server = server;
	lk.qname = m->qname;
	lk.domain = domain;
	lk.bytes = (uint32_t)p->payload_len;
	lk.flow_id = f->id;
	lk.sport = m->qr ? p->dport : p->sport;
	lk.proto = p->proto;
	st = ad_get(ad, ad_tag(p->af, who, key), p->ts);
	ad_decay(ad, st, p->ts);
	ad_filter_epoch(ad, st, p->ts);
	mac = NULL;
	if (!m->qr) {
		ad->queries++;
		if (ad_data_type(m->qtype))
			polls = ad_poll(ad, tag, p->ts);
		if (!ad_retry(ad, tag, sid, p->ts) && ad->in.beacons != NULL)
			alert_beacon_lookup(ad->in.beacons, &lk);
		if (polls >= ad->poll_count) {
			mac = mac_of(ad->in.macs, p->af, who);
			ad_poll_check(ad, tag, &lk, key, m->qtype, mac);
		}
		if (ad_reversed_addr(m->qname, domain) ||
		    ad_filter_seen(st, h, 0))
			return;
		st->names += 1;
		if (ad_encoded(ad, m->qname, domain, &longest))
			st->encoded += 1;
		if (longest > st->longest)
			st->longest = (uint16_t)longest;
	} else {
		ad->responses++;
		if (ans != -1) {
			st->ans_af = m->an[ans].af;
			memset(st->ans, 0, sizeof(st->ans));
			memcpy(st->ans, m->an[ans].addr,
			    m->an[ans].af == 4 ? 4 : 16);
		}
		if (m->rcode != 0 || m->ancount == 0 ||
		    !ad_data_type(m->qtype))
			return;
		if (ad_filter_seen(st, h, 1))
			return;
		st->answers += 1;
	}
	if (mac == NULL)
		mac = mac_of(ad->in.macs, p->af, who);
	ad_check(ad, st, &lk, key, mac);
}

/* The DNS detectors' counters. */
void
alert_dns_counters(struct alert_dns *ad, struct event_counters *c)
{
	event_counter(c, "dns.queries", ad->queries);
	event_counter(c, "dns.answers", ad->responses);
	event_counter(c, "dns.tunnels", ad->tunnels);
	event_counter(c, "dns.tunnels_recorded", ad->tunnels_recorded);
	event_counter(c, "dns.polls", ad->polls);
	event_counter(c, "dns.polls_recorded", ad->polls_recorded);
	event_counter(c, "dns.states_evicted", ad->evicted);
}
