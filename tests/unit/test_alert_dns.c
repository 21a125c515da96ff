/*
 * Unit tests for what the appliances look up (alert_dns.c, domain.c): the
 * registered domain of a name, the dns-tunnel alert on tunnels and its
 * silence on CDNs, blocklists, mDNS and approved domains, look-ups as
 * beacon beats judged by what they look up, and the dns-poll alert on one
 * name asked again at once after each answer.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alert.h"
#include "alert_beacon.h"
#include "alert_dns.h"
#include "bytes.h"
#include "decode.h"
#include "dns.h"
#include "domain.h"
#include "event.h"
#include "flow.h"
#include "policy.h"
#include "sink.h"
#include "seen.h"
#include "test.h"

#define SEC	1000000LL
#define T0	(1772438400LL * SEC)

struct rig {
	struct alert_windows	*w;
	struct sinks		*sinks;
	struct domain		*domains;
	struct alert_beacon	*ab;
	struct alert_dns	*ad;
	struct policy		*p;
	struct seen		 seen;
	struct dns_msg		 m;
	uint16_t		 id;
	uint8_t			 server[4];	/* the resolver asked */
};

static void
rig_open(struct rig *r, const char *conf)
{
	struct alert_beacon_in	bi;
	struct alert_dns_in	di;

	memset(r, 0, sizeof(*r));
	memcpy(r->server, "\x0a\x00\x00\x35", 4);
	if (conf != NULL) {
		r->p = parse_config_buffer("t.conf", conf, strlen(conf),
		    stderr);
		CHECK(r->p != NULL);
	}
	r->w = alert_windows_new();
	r->sinks = sinks_new();
	seen_init(&r->seen, SEEN_ACTION(ALERT_DNS_TUNNEL) |
	    SEEN_ACTION(ALERT_BEACON) | SEEN_ACTION(ALERT_DNS_POLL));
	sinks_add(r->sinks, &seen_ops, &r->seen);
	r->domains = domain_open();
	memset(&bi, 0, sizeof(bi));
	bi.policy = r->p;
	bi.windows = r->w;
	bi.sinks = r->sinks;
	bi.domains = r->domains;
	bi.threads = 1;
	r->ab = alert_beacon_new(&bi);
	memset(&di, 0, sizeof(di));
	di.policy = r->p;
	di.domains = r->domains;
	di.windows = r->w;
	di.sinks = r->sinks;
	di.beacons = r->ab;
	r->ad = alert_dns_new(&di);
}

static void
rig_close(struct rig *r)
{
	alert_beacon_free(r->ab);
	alert_dns_free(r->ad);
	sinks_close(r->sinks);
	domain_close(r->domains);
	alert_windows_free(r->w);
	policy_free(r->p);
}

/* A counter of the detectors, by name. */
static uint64_t
counter(struct rig *r, const char *name)
{
	struct event_counters	c;
	uint64_t		v = 0;
	size_t			i;

	memset(&c, 0, sizeof(c));
	alert_beacon_counters(r->ab, &c);
	alert_dns_counters(r->ad, &c);
	for (i = 0; i < c.n; i++)
		if (strcmp(c.v[i].name, name) == 0)
			v = c.v[i].value;
	event_counters_free(&c);
	return v;
}

/* A name in wire form. */
static void
put_name(struct b *b, const char *name)
{
	const char	*p = name, *dot;
	size_t		 l;

	while (*p != '\0') {
		dot = strchr(p, '.');
		l = dot != NULL ? (size_t)(dot - p) : strlen(p);
		put8(b, (uint8_t)l);
		put(b, p, l);
		p += l + (dot != NULL);
	}
	put8(b, 0);
}

/*
 * A query for name of type qtype from 10.0.0.5 to the resolver
 * (r->server, 10.0.0.53 unless said; dport 53, or 5353), or its answer:
 * an A record of addr, or
 * a TXT record when addr is NULL and the type asks for it.
 */
static void
dns(struct rig *r, int64_t ts, const char *name, uint16_t qtype, int answer,
    const uint8_t *addr, uint16_t port, int rd)
{
	struct b	b;
	struct flow	f;
	struct pkt	p;

	memset(&b, 0, sizeof(b));
	put16(&b, ++r->id);
	put16(&b, (uint16_t)((answer ? 0x8080 : 0) | (rd ? 0x0100 : 0)));
	put16(&b, 1);
	put16(&b, answer && (addr != NULL || qtype != 1) ? 1 : 0);
	put16(&b, 0);
	put16(&b, 0);
	put_name(&b, name);
	put16(&b, qtype);
	put16(&b, 1);
	if (answer && addr != NULL) {
		put16(&b, 0xc00c); put16(&b, 1); put16(&b, 1);
		put32(&b, 300); put16(&b, 4); put(&b, addr, 4);
	} else if (answer && qtype == 5) {		/* CNAME */
		put16(&b, 0xc00c); put16(&b, qtype); put16(&b, 1);
		put32(&b, 0); put16(&b, 6); put8(&b, 4); put(&b, "abcd", 4);
		put8(&b, 0);
	} else if (answer && qtype == 15) {		/* MX */
		put16(&b, 0xc00c); put16(&b, qtype); put16(&b, 1);
		put32(&b, 0); put16(&b, 8); put16(&b, 10); put8(&b, 4);
		put(&b, "abcd", 4); put8(&b, 0);
	} else if (answer && qtype != 1) {		/* TXT and others */
		put16(&b, 0xc00c); put16(&b, qtype); put16(&b, 1);
		put32(&b, 0); put16(&b, 5); put8(&b, 4); put(&b, "abcd", 4);
	}
	CHECK_EQ(dns_parse(b.d, b.n, &r->m), DNS_OK);
	memset(&f, 0, sizeof(f));
	memset(&p, 0, sizeof(p));
	f.key.af = p.af = 4;
	f.key.proto = p.proto = 17;
	memcpy(f.key.addr[0], "\x0a\x00\x00\x05", 4);
	memcpy(f.key.addr[1], r->server, 4);
	f.id = 77;
	p.ts = ts;
	p.payload_len = b.n;
	memcpy(answer ? p.dst : p.src, f.key.addr[0], 4);
	memcpy(answer ? p.src : p.dst, f.key.addr[1], 4);
	p.sport = answer ? port : 33000;
	p.dport = answer ? 33000 : port;
	alert_dns_message(r->ad, &f, &p, &r->m);
}

/* A query and its answer. */
static void
ask(struct rig *r, int64_t ts, const char *name, uint16_t qtype,
    const uint8_t *addr)
{
	dns(r, ts, name, qtype, 0, NULL, 53, 1);
	dns(r, ts + 2000, name, qtype, 1, addr, 53, 1);
}

static void
test_domain(void)
{
	struct domain	*d = domain_open();

	CHECK(d != NULL);
	CHECK_STR(domain_registered(d, "a.b.vendor.com"), "vendor.com");
	CHECK_STR(domain_registered(d, "x.city.example.co.uk"),
	    "example.co.uk");
	CHECK_STR(domain_registered(d, "d111.cloudfront.net"),
	    "d111.cloudfront.net");
	CHECK(domain_registered(d, "localhost") == NULL);
	CHECK(domain_listed(d, "www.vendor.com"));
	CHECK(!domain_listed(d, "cam.lan"));
	CHECK(!domain_listed(d, "dnscat.0a1b2c3d4e"));
	domain_close(d);
}

static void
test_entropy(void)
{
	CHECK(fabs(alert_dns_entropy("aaaa", 4)) < 1e-9);
	CHECK(fabs(alert_dns_entropy("abcd", 4) - 2.0) < 1e-9);
	CHECK(alert_dns_entropy("kq3zt8wmx0bv7rj2", 16) >= 3.9);
	CHECK(alert_dns_entropy("r3---sn-4g5e6nz7", 16) < 3.9);
}

/* dnscat2: a dozen unique hex names a second, TXT, MX and CNAME. */
static void
test_dnscat(void)
{
	static const uint16_t	types[] = { 16, 15, 5 };
	struct rig		r;
	char			name[128];
	int			i;

	rig_open(&r, NULL);
	for (i = 0; i < 12; i++) {
		snprintf(name, sizeof(name), "%04x01b8d3%024x.biillpi.com",
		    i * 7919 % 65536, (unsigned int)(i * 2654435761u));
		ask(&r, T0 + i * SEC, name, types[i % 3], NULL);
	}
	CHECK_EQ(seen_count(&r.seen, ALERT_DNS_TUNNEL), 1);
	CHECK_STR(seen_latest(&r.seen)->dns_domain, "biillpi.com");
	rig_close(&r);

	/* the same under a policy that allows the domain: recorded */
	rig_open(&r, "group \"g\" { hosts { 10.0.0.5 }\n"
	    "\tallow to domain *.biillpi.com port 443 }\n");
	for (i = 0; i < 12; i++) {
		snprintf(name, sizeof(name), "%04x01b8d3%024x.biillpi.com",
		    i * 7919 % 65536, (unsigned int)(i * 2654435761u));
		ask(&r, T0 + i * SEC, name, types[i % 3], NULL);
	}
	CHECK_EQ(seen_count(&r.seen, ALERT_DNS_TUNNEL), 0);
	CHECK_EQ(counter(&r, "dns.tunnels_recorded"), 1);
	rig_close(&r);
}

/*
 * Short unique names by the hundred: the rate alone is a tunnel.  The
 * count decays with the window (5 min) as its time constant: a unique
 * name a second reaches 100 at the 122nd (300 (1 - e^(-122/300))).
 */
static void
test_rate(void)
{
	static const uint8_t	a[4] = { 198, 51, 100, 7 };
	struct rig		r;
	char			name[64];
	int			i;

	rig_open(&r, NULL);
	for (i = 0; i < 150; i++) {
		snprintf(name, sizeof(name), "x%d.exfil.com", i);
		ask(&r, T0 + i * SEC, name, 1, a);
		if (i == 115)
			CHECK_EQ(seen_count(&r.seen, ALERT_DNS_TUNNEL), 0);
	}
	CHECK_EQ(seen_count(&r.seen, ALERT_DNS_TUNNEL), 1);
	rig_close(&r);
}

/*
 * What must stay quiet: a CDN's rotating names, a blocklist asked about
 * hundreds of addresses, mDNS, reverse look-ups, queries asking for no
 * recursion, a slow trickle of long names.
 */
static void
test_quiet(void)
{
	static const uint8_t	a[4] = { 198, 51, 100, 9 };
	struct rig		r;
	char			name[128];
	int			i;

	rig_open(&r, NULL);
	for (i = 0; i < 600; i++) {
		snprintf(name, sizeof(name), "rr%d---sn-4g5e%dnz%d."
		    "googlevideo.com", i % 5, i % 7, i % 3);
		ask(&r, T0 + i * SEC, name, 1, a);
		snprintf(name, sizeof(name), "%d.%d.%d.%d.zen.spamhaus.org",
		    i % 251, i / 251, (i * 7) % 256, 10 + i % 200);
		ask(&r, T0 + i * SEC + 500000, name, 1, a);
		snprintf(name, sizeof(name), "cam%08x%08x%08x.local",
		    (unsigned int)i, (unsigned int)i, (unsigned int)i);
		dns(&r, T0 + i * SEC, name, 16, 0, NULL, 5353, 0);
		snprintf(name, sizeof(name), "%d.1.168.192.in-addr.arpa", i);
		ask(&r, T0 + i * SEC + 700000, name, 12, NULL);
		snprintf(name, sizeof(name), "%08x%08x%08x.resolver.com",
		    (unsigned int)i, (unsigned int)i * 3, (unsigned int)i);
		dns(&r, T0 + i * SEC, name, 1, 0, NULL, 53, 0);
	}
	/* a long label every 2 minutes for a day: never 10 within 5 min */
	for (i = 0; i < 720; i++) {
		snprintf(name, sizeof(name), "%032x.telemetry.vendor.com",
		    (unsigned int)i * 2654435761u);
		ask(&r, T0 + 1000 * SEC + i * 120 * SEC, name, 1, a);
	}
	CHECK_EQ(seen_count(&r.seen, ALERT_DNS_TUNNEL), 0);
	if (seen_count(&r.seen, ALERT_DNS_TUNNEL) > 0)
		printf("%s\n", seen_latest(&r.seen)->message);
	CHECK_EQ(counter(&r, "dns.queries"), 600 * 2 + 720);
	rig_close(&r);
}

/*
 * A look-up every 60 s, through the site's resolver: a beacon carried by
 * DNS, unless the policy allows the domain (at any port) or the address
 * its answer gives; a deny rule naming it denies it.
 */
static void
test_lookups(void)
{
	static const uint8_t	a[4] = { 198, 51, 100, 7 };
	static const char	*confs[] = {
		NULL,
		"resolvers { 10.0.0.53 }\n"
		"group \"g\" { hosts { 10.0.0.5 }\n"
		"\tallow to domain *.vendor.com port 443 }\n",
		"resolvers { 10.0.0.53 }\n"
		"group \"g\" { hosts { 10.0.0.5 }\n"
		"\tallow to 198.51.100.0/24 }\n",
		"resolvers { 10.0.0.53 }\n"
		"group \"g\" { hosts { 10.0.0.5 } }\n",
	};
	struct rig		r;
	int			i, k;

	for (k = 0; k < 4; k++) {
		rig_open(&r, confs[k]);
		for (i = 0; i < 30; i++)
			ask(&r, T0 + i * 60 * SEC, "api.eu.vendor.com", 1, a);
		alert_beacon_flush(r.ab);
		CHECK_EQ(counter(&r, "beacon.lookups"), 30);
		CHECK_EQ(seen_count(&r.seen, ALERT_BEACON),
		    k == 0 || k == 3 ? 1 : 0);
		CHECK_EQ(counter(&r, "beacon.recorded"), k == 1 || k == 2 ?
		    1 : 0);
		if (seen_count(&r.seen, ALERT_BEACON) > 0) {
			CHECK_EQ(seen_last(&r.seen, ALERT_BEACON)->carrier,
			    ALERT_CARRIER_DNS);
			CHECK_STR(seen_latest(&r.seen)->dns_domain, "vendor.com");
		}
		rig_close(&r);
	}
}

/*
 * A resolver's retries are no beats: a look-up asked again of a server
 * that has not answered it (the same one, silent, or another), within 10
 * s of its last query and 60 s of its first, or of any server within 2 s
 * of its first, is the same check-in.  The same server asked again after
 * its answer, 2 s on, is a new one.  dns.queries counts every query,
 * beacon.lookups the beats.
 */
static void
test_retries(void)
{
	static const uint8_t	a[4] = { 198, 51, 100, 7 };
	static const char	*name = "plug.doorcloud.cn";
	struct rig		r;
	int			i;

	rig_open(&r, NULL);
	/* the gateway silent, asked again at 1 and 2 s, then OpenDNS */
	dns(&r, T0, name, 1, 0, NULL, 53, 1);
	dns(&r, T0 + SEC, name, 1, 0, NULL, 53, 1);
	dns(&r, T0 + 2 * SEC, name, 1, 0, NULL, 53, 1);
	memcpy(r.server, "\xd0\x43\xde\xde", 4);
	ask(&r, T0 + 6 * SEC, name, 1, a);
	CHECK_EQ(counter(&r, "dns.queries"), 4);
	CHECK_EQ(counter(&r, "beacon.lookups"), 1);
	/* the gateway answers, OpenDNS asked 4 s later all the same */
	memcpy(r.server, "\x0a\x00\x00\x35", 4);
	ask(&r, T0 + 600 * SEC, name, 1, a);
	memcpy(r.server, "\xd0\x43\xde\xde", 4);
	ask(&r, T0 + 604 * SEC, name, 1, a);
	CHECK_EQ(counter(&r, "beacon.lookups"), 2);
	/* OpenDNS answered: asked again 3 s on, a new check-in; 1.2 s, not */
	ask(&r, T0 + 607 * SEC, name, 1, a);
	CHECK_EQ(counter(&r, "beacon.lookups"), 3);
	ask(&r, T0 + 608 * SEC + 200000, name, 1, a);
	CHECK_EQ(counter(&r, "beacon.lookups"), 3);
	/* another type is another look-up */
	ask(&r, T0 + 608 * SEC + 300000, name, 16, NULL);
	CHECK_EQ(counter(&r, "beacon.lookups"), 4);
	/* an outage: asked every 3 s for 3 minutes, never answered */
	for (i = 0; i < 60; i++)
		dns(&r, T0 + 1200 * SEC + i * 3 * SEC, name, 1, 0, NULL, 53, 1);
	CHECK_EQ(counter(&r, "beacon.lookups"), 4 + 3);
	CHECK_EQ(counter(&r, "dns.queries"), 9 + 60);
	/*
	 * Two servers are two, whatever their hashes: 10.20.0.53 and
	 * 8.8.4.4 shared a bit of the 64-bit mask the answers were first
	 * kept in, so 8.8.4.4 asked after 10.20.0.53's answer was taken
	 * for a server asked again after its own, a check-in.
	 */
	memcpy(r.server, "\x0a\x14\x00\x35", 4);
	ask(&r, T0 + 3600 * SEC, name, 1, a);
	memcpy(r.server, "\x08\x08\x04\x04", 4);
	ask(&r, T0 + 3604 * SEC, name, 1, a);
	CHECK_EQ(counter(&r, "beacon.lookups"), 4 + 3 + 1);
	rig_close(&r);
}

/*
 * n polls of one TXT name from t: each answered after waits[i % nw] s,
 * asked again after[i % na] s after the answer.  The time after the last.
 */
static int64_t
poll_run(struct rig *r, int64_t t, const char *name, int n,
    const double *waits, int nw, const double *after, int na)
{
	int	i;

	for (i = 0; i < n; i++) {
		dns(r, t, name, 16, 0, NULL, 53, 1);
		t += (int64_t)(waits[i % nw] * SEC);
		dns(r, t, name, 16, 1, NULL, 53, 1);
		t += (int64_t)(after[i % na] * SEC);
	}
	return t;
}

/*
 * A name asked again at once after each answer, again and again, is a
 * poll paced by its answers: the resolver's 1 and 2 s timeouts make its
 * gaps, 0.1 to 0.4 s after each answer the next query.  16 re-asks in a
 * row, their delays within 0.5 s of each other, are a dns-poll alert,
 * once; 15 are none, and so are delays of a request's own length (0.1
 * and 1.5 s), a re-ask more than 2 s after the answer, and a policy that
 * approves the name (recorded).  A retry with no answer between does
 * not break the run.
 */
static void
test_polls(void)
{
	static const double	waits[] = { 1.0, 2.0, 2.0, 1.0, 2.0 };
	static const double	quick[] = { 0.2, 0.1, 0.35, 0.15 };
	static const double	uneven[] = { 0.1, 1.5 };
	static const double	slow[] = { 2.3 };
	const char		*name = "c.1-1.901.ns.cmd-zone.org";
	struct rig		r;
	int64_t			t;

	rig_open(&r, NULL);
	t = poll_run(&r, T0, name, 16, waits, 5, quick, 4);
	CHECK_EQ(seen_count(&r.seen, ALERT_DNS_POLL), 0);	/* 15 re-asks */
	dns(&r, t, name, 16, 0, NULL, 53, 1);
	CHECK_EQ(seen_count(&r.seen, ALERT_DNS_POLL), 1);
	CHECK_STR(seen_last(&r.seen, ALERT_DNS_POLL)->dns_domain,
	    "cmd-zone.org");
	CHECK_EQ(seen_last(&r.seen, ALERT_DNS_POLL)->polls, 16);
	poll_run(&r, t + 1000, name, 40, waits, 5, quick, 4);
	CHECK_EQ(seen_count(&r.seen, ALERT_DNS_POLL), 1);	/* an hour */
	CHECK_EQ(counter(&r, "dns.polls"), 1);
	/* a retry, unanswered, between two answered polls: still one run */
	t = poll_run(&r, T0 + 7200 * SEC, "x.other-zone.net", 8, waits, 5,
	    quick, 4);
	dns(&r, t, "x.other-zone.net", 16, 0, NULL, 53, 1);
	t = poll_run(&r, t + SEC, "x.other-zone.net", 9, waits, 5, quick, 4);
	CHECK_EQ(counter(&r, "dns.polls"), 2);
	rig_close(&r);

	/* a client re-asking after each request, of its own length */
	rig_open(&r, NULL);
	poll_run(&r, T0, name, 60, waits, 5, uneven, 2);
	/* or asking again past 2 s after the answer */
	poll_run(&r, T0 + 7200 * SEC, "y.cmd-zone.org", 60, waits, 5,
	    slow, 1);
	CHECK_EQ(seen_count(&r.seen, ALERT_DNS_POLL), 0);
	CHECK_EQ(counter(&r, "dns.polls"), 0);
	rig_close(&r);

	/* dns-poll-count and dns-poll-spread from the configuration */
	rig_open(&r, "dns-poll-count 8\n"
	    "group \"g\" { hosts { 10.0.0.5 } }\n");
	t = poll_run(&r, T0, name, 8, waits, 5, quick, 4);
	CHECK_EQ(seen_count(&r.seen, ALERT_DNS_POLL), 0);	/* 7 re-asks */
	dns(&r, t, name, 16, 0, NULL, 53, 1);
	CHECK_EQ(seen_count(&r.seen, ALERT_DNS_POLL), 1);
	CHECK_EQ(seen_last(&r.seen, ALERT_DNS_POLL)->polls, 8);
	rig_close(&r);
	rig_open(&r, "dns-poll-spread 100ms\n"
	    "group \"g\" { hosts { 10.0.0.5 } }\n");
	poll_run(&r, T0, name, 60, waits, 5, quick, 4);	/* 0.1 to 0.35 */
	CHECK_EQ(seen_count(&r.seen, ALERT_DNS_POLL), 0);
	rig_close(&r);

	/* approved by name: recorded */
	rig_open(&r, "resolvers { 10.0.0.53 }\n"
	    "group \"g\" { hosts { 10.0.0.5 }\n"
	    "\tallow to domain *.cmd-zone.org }\n");
	poll_run(&r, T0, name, 20, waits, 5, quick, 4);
	CHECK_EQ(seen_count(&r.seen, ALERT_DNS_POLL), 0);
	CHECK_EQ(counter(&r, "dns.polls_recorded"), 1);
	rig_close(&r);
}

int
main(void)
{
	test_domain();
	test_entropy();
	test_dnscat();
	test_rate();
	test_quiet();
	test_lookups();
	test_retries();
	test_polls();
	return test_done("test_alert_dns");
}
