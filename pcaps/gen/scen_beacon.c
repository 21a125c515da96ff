/*
 * Beacon scenarios: "pcapgen beacon NAME SEED FILE" writes one site with
 * one behaviour of its appliance BC_IP (a camera on VLAN 20), and a
 * little unrelated background: camera .11 polls the site's NTP server and
 * asks the site's resolver now and then.  Every check-in is real traffic:
 * a DNS look-up through the site resolver when the cached answer ran out
 * (its TTL is 300 s), a TCP handshake, a TLS session with SNI or an HTTP
 * GET, and a FIN; its timing comes from the scenario's distribution, drawn
 * from the capture's splitmix64 generator seeded by the scenario's name
 * and SEED.  "pcapgen beacon list" prints each scenario, what egressd must
 * make of it (alert, none, approved) and the grouping the alert must name
 * ("-" when any will do).  tests/beacon/captures.sh runs them.
 */
#include "config.h"

#include <netinet/in.h>

#include <err.h>
#include <math.h>
#include <pcap/pcap.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "pcapgen.h"

#define HOUR		(60 * MIN)
#define BC_IP		"10.20.1.21"
#define BC_MAC		"44:19:b6:2a:01:15"
#define BC_NAMES	8

enum { BC_ALERT, BC_NONE, BC_APPROVED };
enum { CI_HTTP, CI_TLS, CI_RAW };
enum { JT_CS, JT_EMPIRE, JT_SLIVER, JT_NTP, JT_FIXED };

/* A call-home loop: everything a timer can vary. */
struct btimer {
	double		 period;	/* s */
	double		 jitter;	/* fraction */
	int		 style;
	double		 missed;	/* share of check-ins lost */
	double		 drift;		/* period growth per check-in */
	int		 split;		/* connections per check-in */
	int		 outage_after;	/* check-ins before a 2 h outage */
	int		 office;	/* only 08:00-18:00 */
	int		 proto;		/* CI_* */
	int		 resolve;	/* look the name up every check-in */
	int		 varied;	/* response sizes vary */
	const char	*name;		/* NULL: no name anywhere */
	const char	*addrs[16];	/* the pool; one for a fixed address */
	double		 span;		/* s */
};

/* The beacon appliance's view of the site while a scenario runs. */
struct bc {
	struct cap		*c;
	struct link		 l;
	const struct sitedev	*d;
	uint64_t		 end;
	const char		*cname[BC_NAMES];	/* cached look-ups */
	const char		*caddr[BC_NAMES];
	uint64_t		 cuntil[BC_NAMES];
	uint32_t		 seq;
};

/* A beacon scenario. */
struct bscen {
	const char	*name;
	int		 expect;	/* BC_* */
	const char	*group;		/* the alert's group_by, or "-" */
	void		(*gen)(struct bc *, const struct btimer *);
	struct btimer	 t;
	const char	*what;
};

static const struct sitedev bc_dev = { BC_IP, BC_MAC, 20, GW20_MAC };

/* Uniform in [0, 1). */
static double
rnd_u01(uint64_t *s)
{
	return (rnd64(s) >> 11) * (1.0 / 9007199254740992.0);
}

/* Exponential with a mean. */
static double
rnd_exp(uint64_t *s, double mean)
{
	return -mean * log(1.0 - rnd_u01(s));
}

/* Standard normal (Box-Muller, one of the pair). */
static double
rnd_norm(uint64_t *s)
{
	double	u, v;

	/* Two draws in a fixed order (an expression would leave it open). */
	u = rnd_u01(s);
	v = rnd_u01(s);
	return sqrt(-2 * log(1.0 - u)) * cos(2 * M_PI * v);
}

/* Seconds to microseconds. */
static uint64_t
usec(double s)
{
	return (uint64_t)llround(s * 1e6);
}

/*
 * The address of name for the appliance at t: the cached answer, or a
 * look-up through the site resolver answering addr (always when force).
 * Returns when the appliance can connect; *out is the address to use.
 */
static uint64_t
bc_resolve(struct bc *b, uint64_t t, const char *name, const char *addr,
    int force, const char **out)
{
	struct dnsent	 tab[2];
	struct conv	 cv;
	int		 i, free_i = -1;

	for (i = 0; i < BC_NAMES; i++) {
		if (b->cname[i] == NULL || b->cuntil[i] <= t) {
			if (free_i == -1)
				free_i = i;
			continue;
		}
		if (strcmp(b->cname[i], name) == 0 && !force) {
			*out = b->caddr[i];
			return t;
		}
		if (strcmp(b->cname[i], name) == 0)
			free_i = i;
	}
	if (free_i == -1)
		free_i = 0;
	memset(tab, 0, sizeof(tab));
	tab[0].name = name;
	tab[0].a = addr;
	conv_init(&cv, b->c, &b->l, IPPROTO_UDP, b->d->ip, b->d->mac,
	    eport(b->c), RES_IP, RES_MAC, 53);
	t = dns_lookup(&cv, t, name, DNS_A, tab);
	b->cname[free_i] = name;
	b->caddr[free_i] = addr;
	b->cuntil[free_i] = t + 300 * SEC;
	*out = addr;
	return t + rnd_range(&b->c->rng, 200, 3 * MSEC);
}

/*
 * One connection of a check-in at t to name (or a bare addr): TLS with
 * SNI on 443, an HTTP GET on 80, or a binary exchange on 8443; closed by
 * the client with a FIN.
 */
static void
bc_connect(struct bc *b, uint64_t t, int proto, const char *name,
    const char *addr, size_t up, size_t down)
{
	static const char *paths[] = { "/jquery-3.3.1.min.js", "/pixel.gif",
	    "/api/v2/status", "/updates/check", "/ga.js" };
	struct cap	*c = b->c;
	struct conv	 cv;
	struct wbuf	 req, resp;

	switch (proto) {
	case CI_TLS:
		conv_init(&cv, c, &b->l, IPPROTO_TCP, b->d->ip, b->d->mac,
		    eport(c), addr, b->d->gw, 443);
		t = tcp_open(&cv, t);
		tls_session(&cv, t + rnd_range(&c->rng, 100, 600), name, up,
		    down);
		break;
	case CI_HTTP:
		conv_init(&cv, c, &b->l, IPPROTO_TCP, b->d->ip, b->d->mac,
		    eport(c), addr, b->d->gw, 80);
		http_get(&cv, t, name != NULL ? name : addr,
		    paths[rnd64(&c->rng) % 5],
		    "Mozilla/5.0 (Windows NT 6.1; WOW64; Trident/7.0; rv:11.0)"
		    " like Gecko", down);
		break;
	default:
		conv_init(&cv, c, &b->l, IPPROTO_TCP, b->d->ip, b->d->mac,
		    eport(c), addr, b->d->gw, 8443);
		t = tcp_open(&cv, t);
		req.len = 0;
		put_u32(&req, 0x48420001);
		put_u32(&req, ++b->seq);
		put_pool(&req, c, up);
		resp.len = 0;
		put_u32(&resp, 0x48428001);
		put_u32(&resp, b->seq);
		put_pool(&resp, c, down);
		t = tcp_xchg(&cv, t + rnd_range(&c->rng, 50, 300), &req, &resp);
		tcp_close(&cv, 0, t + rnd_range(&c->rng, 100, 2000));
		break;
	}
}

/* Bytes of a response: about 300, or log-uniform from 100 B to 20 kB. */
static size_t
bc_size(struct bc *b, int varied)
{
	if (varied)
		return (size_t)(100 * exp(rnd_u01(&b->c->rng) * log(200.0)));
	return rnd_range(&b->c->rng, 290, 310);
}

/*
 * One check-in at t to name or to a bare address: resolved (from the
 * cache unless the timer looks up every time), then split connections
 * within a second.
 */
static void
bc_checkin(struct bc *b, const struct btimer *tm, uint64_t t,
    const char *addr)
{
	const char	*a = addr;
	size_t		 size;
	int		 i, n = tm->split > 1 ? tm->split : 1;

	if (tm->name != NULL)
		t = bc_resolve(b, t, tm->name, addr, tm->resolve, &a);
	for (i = 0; i < n; i++) {
		if (i > 0)
			t += rnd_range(&b->c->rng, 100 * MSEC, 450 * MSEC);
		size = bc_size(b, tm->varied);		/* one by one */
		bc_connect(b, t, tm->proto, tm->name, a,
		    rnd_range(&b->c->rng, 120, 160), size);
	}
}

/* The next sleep of a timer, s; k counts the sleeps so far. */
static double
bc_sleep(struct bc *b, const struct btimer *tm, double period, int k)
{
	uint64_t	*r = &b->c->rng;

	switch (tm->style) {
	case JT_EMPIRE:
		return period * (1 + tm->jitter * (2 * rnd_u01(r) - 1));
	case JT_SLIVER:
		return period + tm->jitter * period * rnd_u01(r);
	case JT_NTP:
		return 64.0 * (1 << (k / 16 < 4 ? k / 16 : 4)) *
		    (1 + 0.02 * (rnd_u01(r) - 0.5));
	case JT_FIXED:
		return period * (1 + tm->jitter * (2 * rnd_u01(r) - 1));
	default:
		return period * (1 - tm->jitter * rnd_u01(r));
	}
}

/* Is t within office hours (08:00 to 18:00 UTC)? */
static int
bc_office(uint64_t t)
{
	uint64_t	 tod = (t / SEC) % 86400;

	return tod >= 8 * 3600 && tod < 18 * 3600;
}

/* A call-home loop from start until the end of the capture. */
static void
bc_timer_from(struct bc *b, const struct btimer *tm, uint64_t start)
{
	uint64_t	*r = &b->c->rng, t;
	double		 period = tm->period, at = 0;
	const char	*addr, *last = NULL;
	int		 k, npool;

	for (npool = 0; npool < 16 && tm->addrs[npool] != NULL; npool++)
		;
	for (k = 0;; k++) {
		at += bc_sleep(b, tm, period, k);
		period *= 1 + tm->drift;
		if (tm->outage_after > 0 && k == tm->outage_after)
			at += 2 * 3600;
		t = start + usec(at);
		if (t + 5 * SEC >= b->end)
			break;
		if (rnd_u01(r) < tm->missed || (tm->office && !bc_office(t)))
			continue;
		/* a pool answers another address than last time */
		do
			addr = tm->addrs[rnd64(r) % npool];
		while (npool > 1 && addr == last);
		last = addr;
		bc_checkin(b, tm, t, addr);
	}
}

/* A timer from a random phase of its first period. */
static void
bc_timer(struct bc *b, const struct btimer *tm)
{
	bc_timer_from(b, tm, T0 + 20 * SEC + usec(rnd_u01(&b->c->rng) *
	    (tm->period < 600 ? tm->period : 600)));
}

/*
 * Someone's occasional use of the same service (a connection every ten
 * minutes on average, all along), and from the second hour on a beacon.
 */
static void
bc_midcapture(struct bc *b, const struct btimer *tm)
{
	struct btimer	 other = *tm;
	double		 at = 0;

	other.varied = 1;
	for (;;) {
		at += rnd_exp(&b->c->rng, 600);
		if (T0 + usec(at) + 5 * SEC >= b->end)
			break;
		bc_checkin(b, &other, T0 + usec(at), tm->addrs[0]);
	}
	bc_timer_from(b, tm, T0 + 2 * HOUR);
}

/* Opens TLS on a connected conversation: hellos and the handshake. */
static uint64_t
bc_tls_open(struct conv *cv, uint64_t t, const char *sni)
{
	t = tls_handshake(cv, t, sni, NULL);
	tcp_ack(cv, 1, t);
	return t;
}

/*
 * A beacon inside one TLS connection kept open: a small request record
 * from the appliance every period +- jitter, a reply, an ACK.
 */
static void
bc_tls_keepalive(struct bc *b, const struct btimer *tm)
{
	struct cap	*c = b->c;
	struct conv	 cv;
	struct wbuf	 w;
	const char	*a;
	uint64_t	 t = T0 + 20 * SEC, tp, last;

	t = bc_resolve(b, t, tm->name, tm->addrs[0], 0, &a);
	conv_init(&cv, c, &b->l, IPPROTO_TCP, b->d->ip, b->d->mac, eport(c),
	    a, b->d->gw, 443);
	t = bc_tls_open(&cv, tcp_open(&cv, t), tm->name);
	for (tp = last = t;;) {
		tp += usec(bc_sleep(b, tm, tm->period, 0));
		if (tp + 10 * SEC >= b->end)
			break;
		w.len = 0;
		tls_appdata(&w, c, rnd_range(&c->rng, 60, 120));
		t = tcp_send(&cv, 0, tp, w.p, w.len);
		t += turn(&cv, 0);
		w.len = 0;
		tls_appdata(&w, c, rnd_range(&c->rng, 100, 300));
		t = tcp_send(&cv, 1, t, w.p, w.len);
		last = t + turn(&cv, 1);
		tcp_ack(&cv, 0, last);
	}
	w.len = 0;
	tls_appdata(&w, c, 19);
	t = tcp_send(&cv, 0, last + SEC, w.p, w.len);
	tcp_close(&cv, 0, t + rnd_range(&c->rng, 20, 80));
}

/* A UDP keep-alive on one 5-tuple: a datagram and its answer. */
static void
bc_udp_keepalive(struct bc *b, const struct btimer *tm)
{
	struct cap	*c = b->c;
	struct conv	 cv;
	struct wbuf	 w;
	const char	*a;
	uint64_t	 t = T0 + 20 * SEC;
	uint32_t	 n = 0;

	t = bc_resolve(b, t, tm->name, tm->addrs[0], 0, &a);
	conv_init(&cv, c, &b->l, IPPROTO_UDP, b->d->ip, b->d->mac, eport(c),
	    a, b->d->gw, 6060);
	for (t += MSEC; t + 5 * SEC < b->end;
	    t += usec(bc_sleep(b, tm, tm->period, 0))) {
		w.len = 0;
		put_u32(&w, 0x4b410001);	/* "KA" hello */
		put_u32(&w, ++n);
		put_pool(&w, c, 12);
		udp_send(&cv, 0, t, w.p, w.len);
		w.len = 0;
		put_u32(&w, 0x4b418001);
		put_u32(&w, n);
		put_pool(&w, c, 12);
		udp_send(&cv, 1, t + turn(&cv, 0), w.p, w.len);
	}
}

/*
 * A server that speaks first on a UDP association the appliance opened
 * (a SIP registration): its hello every period, the appliance's echo 1 to
 * 2 ms later; the appliance registers again 0.15 to 0.28 period after
 * the second hello and every fifth after it, splitting a gap of the
 * rhythm (not at a half or a third of it, which a faster timer with
 * missed beats would also give).
 */
static void
bc_server_hello(struct bc *b, const struct btimer *tm)
{
	struct cap	*c = b->c;
	struct conv	 cv;
	struct wbuf	 w;
	const char	*a;
	uint64_t	 t = T0 + 20 * SEC, reg;
	int		 k;

	t = bc_resolve(b, t, tm->name, tm->addrs[0], 0, &a);
	conv_init(&cv, c, &b->l, IPPROTO_UDP, b->d->ip, b->d->mac, 5060,
	    a, b->d->gw, 5060);
	w.len = 0;
	put_bytes(&w, "REGISTER sip:", 13);
	put_pool(&w, c, 300);
	udp_send(&cv, 0, t, w.p, w.len);
	udp_send(&cv, 1, t + turn(&cv, 0), w.p, 40);
	for (k = 0;; k++) {
		t += usec(bc_sleep(b, tm, tm->period, k));
		if (t + 5 * SEC >= b->end)
			break;
		w.len = 0;
		put_bytes(&w, "hello", 5);
		udp_send(&cv, 1, t, w.p, w.len);
		udp_send(&cv, 0, t + rnd_range(&c->rng, MSEC, 2 * MSEC), w.p,
		    w.len);
		if (k % 5 != 1)
			continue;
		reg = t + usec(tm->period * (0.15 + 0.13 * rnd_u01(&c->rng)));
		w.len = 0;
		put_bytes(&w, "REGISTER sip:", 13);
		put_pool(&w, c, 300);
		udp_send(&cv, 0, reg, w.p, w.len);
		udp_send(&cv, 1, reg + turn(&cv, 0), w.p, 40);
	}
}

/*
 * An outside host sends a datagram to a closed port of the appliance
 * every period (answers to a search whose socket has closed, a scan),
 * and the appliance's stack answers each with an ICMP port unreachable
 * (RFC 792) quoting it: the appliance's packets on a timer, no check-in.
 */
static void
bc_unreach(struct bc *b, const struct btimer *tm)
{
	struct cap	*c = b->c;
	struct conv	 in, icmp;
	struct wbuf	 w, q;
	struct pkt	 p;
	uint64_t	 t = T0 + 20 * SEC;
	uint16_t	 port;
	int		 k;

	conv_init(&icmp, c, &b->l, IPPROTO_ICMP, b->d->ip, b->d->mac, 0,
	    tm->addrs[0], b->d->gw, 0);
	for (k = 0;; k++) {
		t += usec(bc_sleep(b, tm, tm->period, k));
		if (t + 5 * SEC >= b->end)
			break;
		port = eport(c);
		conv_init(&in, c, &b->l, IPPROTO_UDP, b->d->ip, b->d->mac,
		    port, tm->addrs[0], b->d->gw, 1900);
		w.len = 0;
		put_bytes(&w, "HTTP/1.1 200 OK\r\nST: upnp:rootdevice\r\n", 39);
		put_pool(&w, c, 200);
		udp_send(&in, 1, t, w.p, w.len);
		/* the quoted datagram: its IP header and first 8 bytes */
		udp_hdr(&in, 1, &q, w.p, w.len);
		pkt_from(&in, 1, &p);
		w.len = 0;
		ip_build(&w, &p, q.p, 8);
		q.len = 0;
		put_u8(&q, 3);			/* destination unreachable */
		put_u8(&q, 3);			/* port */
		put_u16(&q, 0);
		put_u32(&q, 0);
		put_bytes(&q, w.p, w.len);
		pkt_from(&icmp, 0, &p);
		emit_pkt(c, &icmp.link, t + rnd_range(&c->rng, 100, 400), &p,
		    q.p, q.len);
	}
}

/* Gaps drawn from an exponential (style JT_FIXED) or a lognormal. */
static void
bc_gaps(struct bc *b, const struct btimer *tm, int lognormal)
{
	uint64_t	*r = &b->c->rng, t;
	double		 at = 0;

	for (;;) {
		if (lognormal)		/* median period, sigma 1.5 */
			at += tm->period * exp(1.5 * rnd_norm(r));
		else
			at += rnd_exp(r, tm->period);
		t = T0 + usec(at);
		if (t + 5 * SEC >= b->end)
			break;
		bc_checkin(b, tm, t, tm->addrs[0]);
	}
}

/* Poisson arrivals. */
static void
bc_poisson(struct bc *b, const struct btimer *tm)
{
	bc_gaps(b, tm, 0);
}

/* Lognormal gaps. */
static void
bc_lognormal(struct bc *b, const struct btimer *tm)
{
	bc_gaps(b, tm, 1);
}

/*
 * A person at the appliance's browser: sessions at random times of the
 * waking day, each some minutes of page loads (one to three connections
 * within a second, to a few names of one site) with lognormal think times
 * around 30 s, then a long random silence.
 */
static void
bc_human(struct bc *b, const struct btimer *tm)
{
	static const char *names[] = { "portal.example.com",
	    "static.example.com", "api.example.com", "fonts.example.net" };
	static const char *addrs[] = { "198.51.100.80", "198.51.100.81",
	    "203.0.113.82", "192.0.2.83" };
	struct btimer	 page = *tm;
	uint64_t	*r = &b->c->rng;
	double		 at = 0, end, t;
	int		 k;

	for (;;) {
		at += rnd_exp(r, 2 * 3600);
		if (fmod(at + 8 * 3600, 86400) < 7 * 3600)
			at += 7 * 3600 - fmod(at + 8 * 3600, 86400);
		if (T0 + usec(at) + 5 * SEC >= b->end)
			break;
		end = at + rnd_exp(r, 15 * 60);
		for (t = at; t < end && T0 + usec(t) + 5 * SEC < b->end;
		    t += 30 * exp(0.8 * rnd_norm(r))) {
			k = rnd64(r) % 4;
			page.name = names[k];
			page.split = 1 + rnd64(r) % 3;
			bc_checkin(b, &page, T0 + usec(t), addrs[k]);
		}
		at = end;
	}
}

/*
 * SYN retry storms to a dead server: at random times the appliance
 * tries to connect, the kernel retransmits the SYN after 1, 2, 4 and 8 s
 * and gives up; the application tries again 0.5 to 3 s later, one to
 * five times in all.
 */
static void
bc_storms(struct bc *b, const struct btimer *tm)
{
	static const double rtx[] = { 0, 1, 3, 7, 15 };
	uint64_t	*r = &b->c->rng, t;
	struct conv	 cv;
	const char	*a;
	double		 at = 0, ta;
	int		 i, j, n;

	for (;;) {
		at += rnd_exp(r, 20 * 60);
		if (T0 + usec(at) + 120 * SEC >= b->end)
			break;
		t = bc_resolve(b, T0 + usec(at), tm->name, tm->addrs[0], 0,
		    &a);
		ta = (double)(t - T0) / SEC;
		n = 1 + rnd64(r) % 5;
		for (i = 0; i < n; i++) {
			conv_init(&cv, b->c, &b->l, IPPROTO_TCP, b->d->ip,
			    b->d->mac, eport(b->c), a, b->d->gw, 443);
			for (j = 0; j < 5; j++) {
				tcp_seg(&cv, 0, T0 + usec(ta + rtx[j]) +
				    rnd_range(r, 0, 3 * MSEC), TH_SYN, NULL, 0);
				cv.ep[0].seq--;		/* the same SYN again */
			}
			ta += rtx[4] + 0.5 + 2.5 * rnd_u01(r);
		}
		at = ta;
	}
}

/*
 * One long transfer: a TLS connection over which the appliance streams
 * for an hour, a record every 0.8 to 1.6 s (never 2 s of quiet), the
 * server acknowledging every second one.
 */
static void
bc_transfer(struct bc *b, const struct btimer *tm)
{
	struct cap	*c = b->c;
	struct conv	 cv;
	struct wbuf	 w;
	const char	*a;
	uint64_t	 t = T0 + 60 * SEC, stop = t + HOUR;
	int		 n = 0;

	t = bc_resolve(b, t, tm->name, tm->addrs[0], 0, &a);
	conv_init(&cv, c, &b->l, IPPROTO_TCP, b->d->ip, b->d->mac, eport(c),
	    a, b->d->gw, 443);
	t = bc_tls_open(&cv, tcp_open(&cv, t), tm->name);
	while (t < stop) {
		t += rnd_range(&c->rng, 800 * MSEC, 1600 * MSEC);
		w.len = 0;
		tls_appdata(&w, c, rnd_range(&c->rng, 100, 600));
		t = tcp_send(&cv, 0, t, w.p, w.len);
		if (++n % 2 == 0)
			tcp_ack(&cv, 1, t + turn(&cv, 0));
	}
	tcp_close(&cv, 0, t + 200 * MSEC);
}

/* Random timing: connections at uniform times, sizes anywhere. */
static void
bc_random(struct bc *b, const struct btimer *tm)
{
	uint64_t	*r = &b->c->rng, span = b->end - T0 - 10 * SEC;
	int		 i;

	for (i = 0; i < 300; i++)
		bc_checkin(b, tm, T0 + rnd64(r) % span, tm->addrs[0]);
}

/* Event bursts: 20 connections within 10 s, in half of the hours. */
static void
bc_bursts(struct bc *b, const struct btimer *tm)
{
	uint64_t	*r = &b->c->rng, h, t0;
	int		 i;

	for (h = T0; h + HOUR <= b->end; h += HOUR) {
		if (rnd64(r) % 2)
			continue;
		t0 = h + rnd64(r) % (HOUR - 20 * SEC);
		for (i = 0; i < 20; i++)
			bc_checkin(b, tm, t0 + rnd64(r) % (10 * SEC),
			    tm->addrs[0]);
	}
}

/* NTP to an outside server, the poll interval doubling from 64 s. */
static void
bc_ntp(struct bc *b, const struct btimer *tm)
{
	struct conv	 cv;
	uint64_t	 t = T0 + 20 * SEC;
	int		 k;

	conv_init(&cv, b->c, &b->l, IPPROTO_UDP, b->d->ip, b->d->mac, 123,
	    tm->addrs[0], b->d->gw, 123);
	for (k = 0; t + 5 * SEC < b->end; k++) {
		ntp_exchange(&cv, t);
		t += usec(bc_sleep(b, tm, tm->period, k));
	}
}

/* Unrelated background: camera .11's NTP and DNS, all to the site. */
static void
bc_background(struct cap *c, uint64_t end)
{
	const struct sitedev *d = &site_devs[CAM11];
	uint64_t	 t;

	site_ntp(c, d, T0 + 3 * SEC, end);
	for (t = T0 + 10 * SEC; t + 5 * SEC < end;
	    t += rnd_range(&c->rng, 240 * SEC, 360 * SEC))
		site_lookup(c, d, t, "api.hik-connect.example", 1);
}

/* The C2 of most scenarios, and a Cobalt Strike HTTP timer to it. */
#define C2		.name = "cdn.beacon-c2.example", \
			    .addrs = { "203.0.113.66" }
#define CSH(p, j, m, h)	{ .proto = CI_HTTP, C2, .period = (p), \
			    .jitter = (j), .missed = (m), .span = (h) * 3600.0 }

static const struct bscen bscens[] = {
	{ "cs60-j0-m0", BC_ALERT, "-", bc_timer, CSH(60, 0, 0, 1),
	    "Cobalt Strike HTTP beacon, 60 s, no jitter" },
	{ "cs60-j0-m30", BC_ALERT, "-", bc_timer, CSH(60, 0, .3, 2),
	    "60 s, no jitter, 30% of check-ins missed" },
	{ "cs60-j25-m0", BC_ALERT, "-", bc_timer, CSH(60, .25, 0, 2),
	    "60 s, jitter 25%" },
	{ "cs60-j25-m30", BC_ALERT, "-", bc_timer, CSH(60, .25, .3, 3),
	    "60 s, jitter 25%, 30% missed" },
	{ "cs60-j50-m0", BC_ALERT, "-", bc_timer, CSH(60, .5, 0, 3),
	    "60 s, jitter 50%" },
	{ "cs60-j50-m30", BC_ALERT, "-", bc_timer, CSH(60, .5, .3, 6),
	    "60 s, jitter 50%, 30% missed" },
	{ "cs5-j20", BC_ALERT, "-", bc_timer, CSH(5, .2, 0, .25),
	    "5 s, jitter 20%, 15 minutes" },
	{ "cs15m-j25", BC_ALERT, "-", bc_timer, CSH(900, .25, 0, 12),
	    "15 min, jitter 25%, 12 hours" },
	{ "cs1h-j20", BC_ALERT, "-", bc_timer, CSH(3600, .2, 0, 24),
	    "1 h, jitter 20%, 24 hours" },
	{ "sliver-60+30", BC_ALERT, "-", bc_timer,
	    { .proto = CI_TLS, C2, .period = 60, .jitter = .5,
	    .style = JT_SLIVER, .span = 3 * 3600.0 },
	    "Sliver HTTPS, 60 s plus up to 30 s" },
	{ "empire-60+-50", BC_ALERT, "-", bc_timer,
	    { .proto = CI_TLS, C2, .period = 60, .jitter = .5,
	    .style = JT_EMPIRE, .span = 4 * 3600.0 },
	    "Empire HTTPS, 60 s +-50%" },
	{ "tls-keepalive", BC_ALERT, "-", bc_tls_keepalive,
	    { .proto = CI_TLS, C2, .period = 60, .jitter = .1,
	    .style = JT_FIXED, .span = 3600.0 },
	    "polls inside one TLS connection, 60 s +-10%" },
	{ "udp-keepalive", BC_ALERT, "-", bc_udp_keepalive,
	    { .name = "relay.p2p-cam.example", .addrs = { "198.51.100.9" },
	    .period = 30, .jitter = .1, .style = JT_FIXED, .span = 3600.0 },
	    "UDP keep-alive on one 5-tuple, 30 s +-10%" },
	{ "sip-hello", BC_ALERT, "-", bc_server_hello,
	    { .name = "sip.voip-c2.example", .addrs = { "198.51.100.49" },
	    .period = 49, .jitter = .01, .style = JT_FIXED,
	    .span = 480.0 },
	    "server-first hello every 49 s on UDP, the appliance's REGISTER between" },
	{ "icmp-unreach", BC_NONE, "-", bc_unreach,
	    { .addrs = { "198.51.100.91" }, .period = 120, .jitter = .005,
	    .style = JT_FIXED, .span = 3600.0 },
	    "port unreachables every 120 s answering an outside host's datagrams" },
	{ "rotate-name", BC_ALERT, "name", bc_timer,
	    { .proto = CI_TLS, .resolve = 1, .period = 60, .jitter = .25,
	    .span = 2 * 3600.0, .name = "cdn.beacon-c2.example",
	    .addrs = { "203.0.113.11", "203.0.113.12", "203.0.113.13",
	    "203.0.113.14", "203.0.113.15", "203.0.113.16", "203.0.113.17",
	    "203.0.113.18" } },
	    "resolves before each check-in, 8 addresses, 60 s 25%" },
	{ "cdn-asns", BC_ALERT, "name", bc_timer,
	    { .proto = CI_TLS, .resolve = 1, .period = 60, .jitter = .25,
	    .span = 2 * 3600.0, .name = "edge.cdn-c2.example",
	    .addrs = { "198.51.100.31", "198.51.100.32", "198.51.100.33",
	    "203.0.113.131", "203.0.113.132", "203.0.113.133",
	    "192.0.2.31", "192.0.2.32", "192.0.2.33" } },
	    "one CDN name over AS64502, AS64501 and AS64503" },
	{ "rotate-asn", BC_ALERT, "asn", bc_timer,
	    { .proto = CI_RAW, .period = 60, .jitter = .25,
	    .span = 2 * 3600.0, .addrs = { "203.0.113.141", "203.0.113.142",
	    "203.0.113.143", "203.0.113.144", "203.0.113.145",
	    "203.0.113.146", "203.0.113.147", "203.0.113.148" } },
	    "bare addresses rotating in AS64501, no name" },
	{ "midcapture", BC_ALERT, "-", bc_midcapture, CSH(60, .25, 0, 4),
	    "other traffic to the same place, beacon from the 2nd hour" },
	{ "outage-2h", BC_ALERT, "-", bc_timer,
	    { .proto = CI_HTTP, C2, .period = 60, .jitter = .25,
	    .missed = .1, .outage_after = 5, .span = 4.5 * 3600 },
	    "60 s 25%, 2 h outage after 5 check-ins" },
	{ "office-hours", BC_ALERT, "-", bc_timer,
	    { .proto = CI_HTTP, C2, .period = 300, .jitter = .2, .office = 1,
	    .span = 48 * 3600.0 },
	    "5 min 20%, only 08:00-18:00, two days" },
	{ "split3", BC_ALERT, "-", bc_timer,
	    { .proto = CI_HTTP, C2, .period = 60, .jitter = .25, .split = 3,
	    .varied = 1, .span = 1.5 * 3600 },
	    "each check-in 3 connections within 1 s" },
	{ "drift", BC_ALERT, "-", bc_timer,
	    { .proto = CI_HTTP, C2, .period = 60, .drift = .001,
	    .span = 3 * 3600.0 },
	    "60 s growing 0.1% per check-in" },
	{ "poisson60", BC_NONE, "-", bc_poisson,
	    { .proto = CI_HTTP, C2, .period = 60, .span = 12 * 3600.0 },
	    "Poisson, mean 60 s, constant sizes" },
	{ "lognormal", BC_NONE, "-", bc_lognormal,
	    { .proto = CI_HTTP, C2, .period = 60, .span = 24 * 3600.0 },
	    "lognormal gaps, median 60 s, sigma 1.5" },
	{ "human", BC_NONE, "-", bc_human,
	    { .proto = CI_HTTP, C2, .span = 24 * 3600.0 },
	    "on/off browsing sessions to four names" },
	{ "syn-storms", BC_NONE, "-", bc_storms,
	    { .name = "telemetry.dead-vendor.example",
	    .addrs = { "192.0.2.200" }, .span = 24 * 3600.0 },
	    "SYN retransmitted after 1, 2, 4, 8 s, at random times" },
	{ "long-transfer", BC_NONE, "-", bc_transfer,
	    { .name = "backup.example.org", .addrs = { "198.51.100.200" },
	    .span = 3900.0 },
	    "one TLS connection streaming for an hour" },
	{ "random-sizes", BC_NONE, "-", bc_random,
	    { .proto = CI_HTTP, C2, .varied = 1, .span = 24 * 3600.0 },
	    "300 connections at random times, 100 B to 20 kB" },
	{ "bursts", BC_NONE, "-", bc_bursts,
	    { .proto = CI_HTTP, C2, .span = 48 * 3600.0 },
	    "20 connections in 10 s, in random hours" },
	{ "ntp-doubling", BC_APPROVED, "-", bc_ntp,
	    { .style = JT_NTP, .period = 64, .addrs = { "192.0.2.123" },
	    .span = 24 * 3600.0 },
	    "NTP to an outside server, 64 s doubling to 1024 s" },
	{ "vendor-10s", BC_APPROVED, "-", bc_timer,
	    { .proto = CI_TLS, .period = 10, .jitter = .05,
	    .style = JT_FIXED, .name = "hb.vendor-cloud.example",
	    .addrs = { "203.0.113.60" }, .span = 1800.0 },
	    "vendor heartbeat every 10 s to an approved domain" },
	{ "cloud-5min", BC_APPROVED, "-", bc_timer,
	    { .proto = CI_TLS, .period = 300, .jitter = .1,
	    .style = JT_FIXED, .name = "status.cam-cloud.example",
	    .addrs = { "198.51.100.70" }, .span = 12 * 3600.0 },
	    "cloud heartbeat every 5 min to an approved domain" },
	{ NULL, 0, NULL, NULL, { .span = 0 }, NULL }
};

/* pcapgen beacon list: name, expectation, grouping, description. */
void
beacon_list(void)
{
	static const char *expect[] = { "alert", "none", "approved" };
	const struct bscen *s;

	for (s = bscens; s->name != NULL; s++)
		printf("%s\t%s\t%s\t%s\t%s\n", s->name, expect[s->expect],
		    s->group, BC_IP, s->what);
}

/* pcapgen beacon NAME SEED FILE: one scenario as an Ethernet capture. */
void
beacon_write(const char *name, uint64_t seed, const char *path)
{
	const struct bscen *s;
	struct cap	 c;
	struct out	 o;
	struct bc	 b;

	for (s = bscens; s->name != NULL; s++)
		if (strcmp(s->name, name) == 0)
			break;
	if (s->name == NULL)
		errx(1, "unknown beacon scenario %s", name);
	cap_init(&c, seed_of(name) ^ (seed * 0x9e3779b97f4a7c15ULL),
	    SNAP_FULL);
	memset(&b, 0, sizeof(b));
	b.c = &c;
	b.d = &bc_dev;
	link_vlan(&b.l, bc_dev.vlan);
	b.end = T0 + usec(s->t.span);
	bc_background(&c, b.end);
	s->gen(&b, &s->t);
	out_pcap(&o, path, DLT_EN10MB, SNAP_FULL);
	cap_drain(&c, &o, UINT64_MAX, UINT64_MAX);
	out_close(&o, path);
	cap_free(&c);
}
