/*
 * Unit tests for the beacon verdicts (alert_beacon.c): which packets are
 * beats (either side after quiet, the far side's pushes unanswered,
 * keep-alive probes, flows opened from outside, hosts outside the site)
 * and one alert per call-home over a simulated week of a rotating
 * address.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alert.h"
#include "alert_beacon.h"
#include "app.h"
#include "beacon.h"
#include "decode.h"
#include "domain.h"
#include "event.h"
#include "flow.h"
#include "policy.h"
#include "sink.h"
#include "seen.h"
#include "test.h"

#define SEC	1000000LL
#define T0	(1772438400LL * SEC)	/* 2026-03-02 08:00 UTC */
#define DAY	(86400 * SEC)

/* Everything one test holds. */
struct rig {
	struct alert_windows	*w;
	struct sinks		*sinks;
	struct domain		*domains;
	struct alert_beacon	*ab;
	struct seen		 seen;
};

static void
rig_open(struct rig *r, const struct policy *p)
{
	struct alert_beacon_in	in;

	memset(r, 0, sizeof(*r));
	r->w = alert_windows_new();
	r->sinks = sinks_new();
	seen_init(&r->seen, SEEN_ACTION(ALERT_BEACON));
	sinks_add(r->sinks, &seen_ops, &r->seen);
	r->domains = domain_open();
	memset(&in, 0, sizeof(in));
	in.policy = p;
	in.windows = r->w;
	in.sinks = r->sinks;
	in.domains = r->domains;
	in.threads = 1;
	r->ab = alert_beacon_new(&in);
}

static void
rig_close(struct rig *r)
{
	alert_beacon_free(r->ab);
	sinks_close(r->sinks);
	domain_close(r->domains);
	alert_windows_free(r->w);
}

/* A counter of the beacon verdicts, by name. */
static uint64_t
counter(struct rig *r, const char *name)
{
	struct event_counters	c;
	uint64_t		v = 0;
	size_t			i;

	memset(&c, 0, sizeof(c));
	alert_beacon_counters(r->ab, &c);
	for (i = 0; i < c.n; i++)
		if (strcmp(c.v[i].name, name) == 0)
			v = c.v[i].value;
	event_counters_free(&c);
	return v;
}

/* A TCP flow from appliance 10.0.0.5 to dst, opened by side init. */
static void
flow_make(struct flow *f, uint8_t d3, uint64_t id, int init)
{
	memset(f, 0, sizeof(*f));
	f->key.af = 4;
	f->key.proto = 6;
	memcpy(f->key.addr[0], "\x0a\x00\x00\x05", 4);
	memcpy(f->key.addr[1], "\xcb\x00\x71\x00", 4);	/* 203.0.113.x */
	f->key.addr[1][3] = d3;
	f->key.port[0] = 40000;
	f->key.port[1] = 443;
	f->appliance = 0;
	f->init = (uint8_t)init;
	f->id = id;
}

/* One packet of f from side dir at ts, after idle us of quiet. */
static void
packet(struct rig *r, struct flow *f, int dir, int created, int64_t idle,
    int64_t ts, uint8_t flags, uint32_t seq, size_t len)
{
	struct flow_hit	h;
	struct pkt	p;

	memset(&h, 0, sizeof(h));
	memset(&p, 0, sizeof(p));
	h.dir = dir;
	h.created = created;
	h.idle = idle;
	p.ts = ts;
	p.af = 4;
	p.proto = 6;
	p.tcp_flags = flags;
	p.tcp_seq = seq;
	p.payload_len = len;
	f->sides |= (uint8_t)(1U << dir);
	f->tcpf[dir] |= flags;
	alert_beacon_packet(r->ab, f, &h, &p);
}

/*
 * A server that speaks first: its PING every 90 s is the check-in.
 * Without server beats the connection made one beat in 20 minutes.  The
 * first PING is a beat, and the PONG that answers it 0.4 ms later one
 * more, merged with it by the detector; from then on (the appliance has
 * spoken after a quiet spell) the far side's data is a beat only when
 * answered, at the answer: the PONG alone.  17 beats, 16 merged.
 */
static void
test_server_first(void)
{
	struct rig	r;
	struct flow	f;
	int		i;

	rig_open(&r, NULL);
	flow_make(&f, 36, 1, 0);
	packet(&r, &f, 0, 1, 0, T0, 0x02, 100, 0);
	for (i = 1; i <= 15; i++) {
		packet(&r, &f, 1, 0, 90 * SEC, T0 + i * 90 * SEC, 0x18,
		    5000 + 19 * (uint32_t)i, 19);
		packet(&r, &f, 0, 0, 400, T0 + i * 90 * SEC + 400, 0x18,
		    101 + 19 * (uint32_t)i, 19);
	}
	alert_beacon_flush(r.ab);
	CHECK_EQ(counter(&r, "beacon.beats"), 17);
	CHECK_EQ(r.seen.n, 1);			/* 90 s, zero jitter */
	CHECK_EQ(r.seen.a[0].carrier, ALERT_CARRIER_CONNECTION);
	CHECK_STR(r.seen.a[0].callhome, "203.0.113.36");
	rig_close(&r);
}

/*
 * An IRC bot: the server pushes other users' lines at random, 2.1 s apart
 * or more (6 s on average), each after a quiet spell, which the appliance
 * only ACKs; its PING every 90 s, wherever it falls among them, is
 * answered by a PONG.  The pushes are no check-ins of the appliance's
 * once it has spoken (its registration answered the server's welcome):
 * the PONGs are, and make a 90 s timer, found.  When every push was a
 * beat, the series' rhythm was the pushes', and the PINGs one beat in
 * twenty: no alert.
 */
static void
test_server_chatter(void)
{
	struct rig	 r;
	struct flow	 f;
	const char	*m;
	uint32_t	 rnd = 12345, sseq = 5000, aseq = 101;
	int64_t		 t, ping = T0 + 90 * SEC, last;

	rig_open(&r, NULL);
	flow_make(&f, 38, 8, 0);
	packet(&r, &f, 0, 1, 0, T0, 0x02, 100, 0);
	packet(&r, &f, 1, 0, 20000, T0 + 20000, 0x12, 4999, 0);
	packet(&r, &f, 0, 0, 100, T0 + 20100, 0x10, 101, 0);
	/* the server's welcome after quiet, the registration answering it */
	packet(&r, &f, 1, 0, 3 * SEC, T0 + 3 * SEC, 0x18, sseq, 600);
	sseq += 600;
	packet(&r, &f, 0, 0, 50000, T0 + 3 * SEC + 50000, 0x18, aseq, 40);
	aseq += 40;
	last = T0 + 3 * SEC + 50000;
	for (t = T0 + 6 * SEC; t < T0 + 1400 * SEC; ) {
		if (t > ping) {
			packet(&r, &f, 1, 0, ping - last, ping, 0x18, sseq,
			    19);
			sseq += 19;
			packet(&r, &f, 0, 0, 400, ping + 400, 0x18, aseq, 18);
			aseq += 18;
			last = ping + 400;
			ping += 90 * SEC;
			continue;
		}
		packet(&r, &f, 1, 0, t - last, t, 0x18, sseq, 120);
		sseq += 120;
		packet(&r, &f, 0, 0, 300, t + 300, 0x10, aseq, 0);
		last = t + 300;
		/* Poisson lines, 2.1 s of quiet at least */
		rnd = rnd * 1103515245 + 12345;
		t += 2100000 - (int64_t)(4e6 * log((rnd >> 8 | 1) / 16777216.0));
	}
	alert_beacon_flush(r.ab);
	CHECK_EQ(r.seen.n, 1);
	m = r.seen.n == 1 ? r.seen.a[0].message : "";
	CHECK(strstr(m, " every 90.0 s ") != NULL);
	rig_close(&r);
}

/*
 * A flow opened from outside: neither its opening nor the other side's
 * packets after quiet are beats; the appliance's own are.  When only the
 * appliance's side of it is seen, its SYN/ACK (flow.c: opened by the
 * other side) is no beat; the server's SYN/ACK of a connection the
 * appliance opened is one, when its SYN was not seen.
 */
static void
test_inbound(void)
{
	struct rig	r;
	struct flow	f, g;
	int		i;

	rig_open(&r, NULL);
	flow_make(&f, 37, 2, 1);
	packet(&r, &f, 1, 1, 0, T0, 0x02, 100, 0);
	for (i = 1; i <= 5; i++)
		packet(&r, &f, 1, 0, 30 * SEC, T0 + i * 30 * SEC, 0x18,
		    100 + (uint32_t)i * 10, 10);
	alert_beacon_flush(r.ab);
	CHECK_EQ(counter(&r, "beacon.beats"), 0);
	packet(&r, &f, 0, 0, 30 * SEC, T0 + 200 * SEC, 0x18, 7, 10);
	alert_beacon_flush(r.ab);
	CHECK_EQ(counter(&r, "beacon.beats"), 1);
	flow_make(&g, 37, 6, 1);
	packet(&r, &g, 0, 1, 0, T0 + 300 * SEC, 0x12, 900, 0);
	alert_beacon_flush(r.ab);
	CHECK_EQ(counter(&r, "beacon.beats"), 1);
	flow_make(&g, 37, 7, 0);
	packet(&r, &g, 1, 1, 0, T0 + 400 * SEC, 0x12, 900, 0);
	alert_beacon_flush(r.ab);
	CHECK_EQ(counter(&r, "beacon.beats"), 2);
	rig_close(&r);
}

/*
 * Keep-alive probes: on a pooled connection between requests (every 10 s
 * for 70 s, then a request) they are no beats; on a connection that
 * carries nothing else for 5 minutes, they are (a push channel).  A FIN
 * after quiet is none.  One-byte probes repeat their sequence number.
 */
static void
test_keepalive(void)
{
	struct rig	r;
	struct flow	f, g;
	int64_t		t;
	int		i, k;

	rig_open(&r, NULL);
	flow_make(&f, 38, 3, 0);
	packet(&r, &f, 0, 1, 0, T0, 0x02, 1000, 0);		/* 1 */
	packet(&r, &f, 0, 0, 1000, T0 + 1000, 0x18, 1001, 300);
	for (k = 0; k < 3; k++) {
		t = T0 + k * 100 * SEC;
		for (i = 1; i <= 7; i++)
			packet(&r, &f, 0, 0, 10 * SEC, t + i * 10 * SEC, 0x10,
			    1300 + (uint32_t)k * 300, 0);
		packet(&r, &f, 0, 0, 20 * SEC, t + 90 * SEC, 0x18,
		    1301 + (uint32_t)k * 300, 300);		/* 3 more */
	}
	packet(&r, &f, 0, 0, 20 * SEC, T0 + 400 * SEC, 0x11, 9999, 0);
	alert_beacon_flush(r.ab);
	CHECK_EQ(counter(&r, "beacon.beats"), 4);
	CHECK_EQ(counter(&r, "beacon.keepalive_beats"), 0);

	/* a push channel: 1-byte probes every 45 s for 30 minutes */
	flow_make(&g, 39, 4, 0);
	packet(&r, &g, 0, 1, 0, T0, 0x10, 5000, 1);		/* midstream */
	for (i = 1; i <= 40; i++)
		packet(&r, &g, 0, 0, 45 * SEC, T0 + i * 45 * SEC, 0x10, 5000,
		    1);
	alert_beacon_flush(r.ab);
	/*
	 * The first probe after quiet cannot be told from a byte of data (a
	 * beat, from which the channel is idle); probes 8 to 40 are 5 min
	 * past it.
	 */
	CHECK_EQ(counter(&r, "beacon.beats"), 4 + 1 + 1 + 33);
	CHECK_EQ(counter(&r, "beacon.keepalive_beats"), 33);
	CHECK_EQ(r.seen.n, 1);
	rig_close(&r);
}

/* With a policy, a host outside the site and in no group makes no beats. */
static void
test_outside_host(void)
{
	static const char	 conf[] =
	    "internal { 10.0.0.5/32 }\n"
	    "group \"cams\" { hosts { 10.0.0.5 } }\n";
	struct policy		*p;
	struct rig		 r;
	struct flow		 f;
	int			 i;

	p = parse_config_buffer("t.conf", conf, strlen(conf), stderr);
	CHECK(p != NULL);
	rig_open(&r, p);
	flow_make(&f, 40, 5, 0);
	memcpy(f.key.addr[0], "\x0a\x00\x00\x06", 4);	/* 10.0.0.6 */
	for (i = 0; i < 20; i++) {
		f.id = 100 + (uint64_t)i;
		packet(&r, &f, 0, 1, 0, T0 + i * 60 * SEC, 0x02, 1, 0);
	}
	alert_beacon_flush(r.ab);
	CHECK_EQ(counter(&r, "beacon.beats"), 0);
	memcpy(f.key.addr[0], "\x0a\x00\x00\x05", 4);	/* the member */
	for (i = 0; i < 20; i++) {
		f.id = 200 + (uint64_t)i;
		packet(&r, &f, 0, 1, 0, T0 + i * 60 * SEC, 0x02, 1, 0);
	}
	alert_beacon_flush(r.ab);
	CHECK_EQ(counter(&r, "beacon.beats"), 20);
	rig_close(&r);
	policy_free(p);
}

/*
 * A smart-lock hub polls its AWS IoT endpoint every 60 s (a few seconds
 * of jitter) over a week, the endpoint's address rotating every 5 hours:
 * every address is a new periodic series (33 alerts a week before), but
 * one call-home, named by the registered domain of its SNI.  At most one
 * alert a day; each after the first counts the series folded in since
 * and lists their new addresses.
 */
static void
test_week_rotating(void)
{
	static const char	*sni = "a1b2c3d4e5f6g7-ats.iot.eu-west-1."
				    "amazonaws.com";
	struct flow_app		 fa;
	struct rig		 r;
	struct flow		 f;
	int64_t			 t, jit;
	uint64_t		 id = 1000;
	int			 i, addr = 0;

	rig_open(&r, NULL);
	memset(&fa, 0, sizeof(fa));
	fa.sni = (char *)(uintptr_t)sni;
	for (t = T0, i = 0; t < T0 + 7 * DAY; t += 60 * SEC + jit, i++) {
		jit = (int64_t)((i * 7919) % 5 - 2) * SEC;	/* -2..2 s */
		addr = (int)((t - T0) / (5 * 3600 * SEC));
		flow_make(&f, (uint8_t)(10 + addr), id++, 0);
		f.app = &fa;
		packet(&r, &f, 0, 1, 0, t, 0x02, 1, 0);
	}
	alert_beacon_flush(r.ab);
	CHECK(r.seen.n >= 7 && r.seen.n <= 8);
	for (i = 0; i < r.seen.n; i++) {
		CHECK_STR(r.seen.a[i].callhome, "amazonaws.com");
		if (i == 0)
			continue;
		CHECK(r.seen.a[i].ts - r.seen.a[i - 1].ts >= DAY);
		CHECK(r.seen.a[i].count >= 2);		/* folded series */
		CHECK(r.seen.a[i].naddrs >= 1);
	}
	CHECK(counter(&r, "beacon.folded") >= 25);
	printf("week: %d alerts, %llu series folded, addresses rotated %d "
	    "times\n", r.seen.n,
	    (unsigned long long)counter(&r, "beacon.folded"), addr);
	rig_close(&r);
}

/*
 * ICMP errors the appliance sends (a port unreachable for each LAN
 * device's answer to its multicast search, every 120 s) are its stack
 * answering, no check-ins; an echo request every 120 s is one.
 */
static void
test_icmp_error(void)
{
	struct rig	r;
	struct flow	f;
	struct flow_hit	h;
	struct pkt	p;
	int		i, k;
	static const uint8_t type[2] = { 3, 8 };

	rig_open(&r, NULL);
	for (k = 0; k < 2; k++) {
		for (i = 0; i < 20; i++) {
			flow_make(&f, (uint8_t)(50 + k), 300 + (uint64_t)i, 0);
			f.key.proto = 1;
			f.key.port[0] = type[k];
			f.key.port[1] = 3;
			memset(&h, 0, sizeof(h));
			memset(&p, 0, sizeof(p));
			h.created = 1;
			p.ts = T0 + i * 120 * SEC;
			p.af = 4;
			p.proto = 1;
			p.sport = type[k];
			p.dport = k == 0 ? 3 : 0;
			p.payload_len = 64;
			f.sides = 1;
			alert_beacon_packet(r.ab, &f, &h, &p);
		}
		alert_beacon_flush(r.ab);
		CHECK_EQ(counter(&r, "beacon.beats"), (uint64_t)(20 * k));
		CHECK_EQ(r.seen.n, k);
	}
	rig_close(&r);
}

/*
 * One connection of the appliance to 203.0.113.d3 port 80 at ts: its SYN,
 * then (30 ms later, through the application layer as egressd reads it)
 * its request, then its FIN 200 ms later.
 */
static void
http_conn(struct rig *r, struct app *a, uint8_t d3, uint64_t id, int64_t ts,
    const char *req)
{
	struct flow	f;
	struct flow_hit	h;
	struct pkt	p;
	int		i;

	flow_make(&f, d3, id, 0);
	f.key.port[1] = 80;
	f.start = f.first = ts;
	for (i = 0; i < 3; i++) {
		memset(&h, 0, sizeof(h));
		memset(&p, 0, sizeof(p));
		h.created = i == 0;
		h.idle = i == 0 ? 0 : i == 1 ? 30000 : 200000;
		p.ts = ts + (i == 0 ? 0 : i == 1 ? 30000 : 230000);
		p.af = 4;
		p.proto = 6;
		p.sport = 40000;
		p.dport = 80;
		p.tcp_flags = i == 0 ? 0x02 : i == 1 ? 0x18 : 0x11;
		p.tcp_seq = i == 0 ? 1000 : 1001;
		if (i == 1) {
			p.payload = (const uint8_t *)req;
			p.payload_len = strlen(req);
		}
		f.sides |= 1;
		app_packet(a, &f, 0, &p);
		alert_beacon_packet(r->ab, &f, &h, &p);
	}
	app_flow_free(a, &f);
}

/*
 * A certificate's checking is no check-in: an OCSP POST every 10 minutes
 * to an unreviewed destination, twelve times, raises no beacon alert; the
 * same timing with a GET of a page does.  A CRL fetched on the same
 * rhythm, and an OCSP GET (RFC 6960 appendix A.1), likewise none; and a
 * service noted for them that then answers an ordinary request makes beats
 * again.
 */
static void
test_pki(void)
{
	static const char	*ocsp_post = "POST / HTTP/1.1\r\n"
	    "Host: ocsp.ca.example\r\n"
	    "Content-Type: application/ocsp-request\r\n"
	    "Content-Length: 83\r\n\r\n";
	static const char	*crl = "GET /crl/Example-CA-2026.crl HTTP/1.1\r\n"
	    "Host: crl.ca.example\r\n\r\n";
	static const char	*page = "GET /api/v1/status HTTP/1.1\r\n"
	    "Host: api.vendor.example\r\n\r\n";
	const char		*reqs[3] = { ocsp_post, crl, page };
	struct rig		 r;
	struct app		*a;
	int			 k, i;
	uint64_t		 id = 100;

	for (k = 0; k < 3; k++) {
		rig_open(&r, NULL);
		a = app_new();
		for (i = 0; i < 12; i++)
			http_conn(&r, a, (uint8_t)(60 + k), id++,
			    T0 + i * 600 * SEC, reqs[k]);
		alert_beacon_flush(r.ab);
		if (k < 2) {
			CHECK_EQ(r.seen.n, 0);
			/*
			 * The first SYN is a beat (its request not yet
			 * read); its request, which would name it, and the
			 * 11 SYNs held after it are none.
			 */
			CHECK_EQ(counter(&r, "beacon.beats"), 1);
			CHECK_EQ(counter(&r, "beacon.certificate_checks"), 12);
		} else {
			CHECK_EQ(r.seen.n, 1);
			CHECK_EQ(counter(&r, "beacon.certificate_checks"), 0);
		}
		/* the service then carries an ordinary request: beats again */
		if (k == 0) {
			for (i = 12; i < 20; i++)
				http_conn(&r, a, 60, id++,
				    T0 + i * 600 * SEC, page);
			alert_beacon_flush(r.ab);
			/*
			 * The first: its held SYN; the 7 after it their SYN
			 * and the request that names it.
			 */
			CHECK_EQ(counter(&r, "beacon.beats"), 1 + 1 + 7 * 2);
			CHECK_EQ(r.seen.n, 1);
		}
		app_free(a);
		rig_close(&r);
	}
}

int
main(void)
{
	test_server_first();
	test_server_chatter();
	test_inbound();
	test_keepalive();
	test_outside_host();
	test_week_rotating();
	test_icmp_error();
	test_pki();
	return test_done("test_alert_beacon");
}
