/*
 * The benchmark captures: "pcapgen bench-site" (a large site of
 * appliances on their schedules) and "pcapgen bench-flows" (many short
 * flows), which bench/run.sh makes once and caches.
 */
#include "config.h"

#include <netinet/in.h>

#include <err.h>
#include <inttypes.h>
#include <pcap/pcap.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pcapgen.h"

enum {
	APP_CAMERA,
	APP_ANPR,
	APP_READER
};

enum {
	TASK_RTP,
	TASK_RTCP,
	TASK_DNS,
	TASK_NTP,
	TASK_HOME,
	TASK_TLS,
	TASK_ZK,
	TASK_ANPR
};

/* A periodic job of one appliance in bench-site. */
struct task {
	uint64_t	 next;
	uint32_t	 appliance;
	uint32_t	 kind;
};

_Static_assert(sizeof(struct task) <= HEAP_ESIZE_MAX, "heap element size");

/* Min-heap of tasks by time. */
struct taskq {
	struct task	*t;
	size_t		 n;
	size_t		 size;
};

/* One appliance of bench-site and its long-lived conversations. */
struct appl {
	int		 kind;
	uint32_t	 index;
	char		 ip[48];
	char		 mac[18];
	char		 nvr[48];
	char		 nvrmac[18];
	const char	*gw;
	struct link	 link;
	struct conv	 rtp;
	struct conv	 rtcp;
	struct conv	 ntp;
	struct conv	 zk;
	uint64_t	 period;
	uint32_t	 ssrc;
	uint32_t	 rtpts;
	uint32_t	 pkts;
	uint32_t	 octets;
	uint16_t	 seq;
	uint16_t	 zksess;
	uint16_t	 zkreply;
	uint32_t	 homeseq;
	int		 bypass;
	int		 tls;
};

/* True if task a runs before task b. */
static int
task_before(const void *va, const void *vb)
{
	const struct task	*a = va, *b = vb;

	if (a->next != b->next)
		return a->next < b->next;
	if (a->appliance != b->appliance)
		return a->appliance < b->appliance;
	return a->kind < b->kind;
}

/* Adds a task. */
static void
task_push(struct taskq *q, const struct task *tk)
{
	if (q->n == q->size) {
		q->size = q->size ? q->size * 2 : 256;
		q->t = realloc(q->t, q->size * sizeof(*q->t));
		if (q->t == NULL)
			err(1, "realloc");
	}
	q->t[q->n++] = *tk;
	heap_up(q->t, sizeof(*q->t), q->n, task_before);
}

/* Removes the earliest task. */
static void
task_pop(struct taskq *q, struct task *tk)
{
	*tk = q->t[0];
	q->t[0] = q->t[--q->n];
	heap_down(q->t, sizeof(*q->t), q->n, task_before);
}

/* Schedules a task of appliance i. */
static void
task_add(struct taskq *q, uint32_t appliance, uint32_t kind, uint64_t next)
{
	struct task	 tk;

	tk.next = next;
	tk.appliance = appliance;
	tk.kind = kind;
	task_push(q, &tk);
}

/* Sets up appliance i of bench-site and schedules its tasks. */
static void
appl_init(struct cap *c, struct appl *a, uint32_t i, struct taskq *q)
{
	static const uint8_t net[] = { 20, 30, 40 };
	uint64_t	*r = &c->rng;
	uint32_t	 k = i / 32;

	memset(a, 0, sizeof(*a));
	a->index = i;
	a->kind = i % 20 < 14 ? APP_CAMERA : i % 20 < 17 ? APP_ANPR :
	    APP_READER;
	snprintf(a->ip, sizeof(a->ip), "10.%u.%u.%u", net[a->kind] + i / 62500,
	    1 + (i / 250) % 250, 1 + i % 250);
	snprintf(a->mac, sizeof(a->mac), "%s:%02x:%02x:%02x",
	    a->kind == APP_CAMERA ? "44:19:b6" : a->kind == APP_ANPR ?
	    "3c:ef:8c" : "00:17:fc", (i >> 16) & 0xff, (i >> 8) & 0xff,
	    i & 0xff);
	snprintf(a->nvr, sizeof(a->nvr), "10.19.%u.%u", k / 250, 1 + k % 250);
	snprintf(a->nvrmac, sizeof(a->nvrmac), "bc:ad:28:19:%02x:%02x",
	    (k >> 8) & 0xff, k & 0xff);
	switch (a->kind) {
	case APP_CAMERA:
		link_vlan(&a->link, 20);
		a->gw = GW20_MAC;
		a->period = SEC / rnd_range(r, 80, 160);
		break;
	case APP_ANPR:
		link_vlan(&a->link, 30);
		a->gw = GW30_MAC;
		a->period = SEC / rnd_range(r, 30, 60);
		break;
	default:
		link_vlan(&a->link, 0);
		a->gw = GW40_MAC;
		break;
	}
	a->bypass = i % 37 == 5;
	a->tls = i % 2 == 0;
	a->ssrc = rnd64(r);
	a->rtpts = rnd64(r);
	a->seq = rnd64(r);

	conv_init(&a->ntp, c, &a->link, IPPROTO_UDP, a->ip, a->mac, 123,
	    NTP_IP, a->kind == APP_CAMERA ? NTP_MAC : a->gw, 123);
	task_add(q, i, TASK_NTP, T0 + rnd_range(r, 0, 64 * SEC));
	task_add(q, i, TASK_DNS, T0 + rnd_range(r, 0, 30 * SEC));
	task_add(q, i, TASK_HOME, T0 + rnd_range(r, 0, 60 * SEC));
	if (a->tls)
		task_add(q, i, TASK_TLS, T0 + rnd_range(r, 0, 300 * SEC));
	if (a->kind == APP_READER) {
		conv_init(&a->zk, c, &a->link, IPPROTO_TCP, a->ip, a->mac,
		    eport(c), CTRL_IP, CTRL_MAC, 4370);
		task_add(q, i, TASK_ZK, T0 + rnd_range(r, 0, 2 * SEC));
		return;
	}
	conv_init(&a->rtp, c, &a->link, IPPROTO_UDP, a->ip, a->mac, RTP_PORT,
	    a->nvr, a->kind == APP_CAMERA ? a->nvrmac : a->gw,
	    50000 + 2 * (i % 32));
	conv_init(&a->rtcp, c, &a->link, IPPROTO_UDP, a->ip, a->mac,
	    RTP_PORT + 1, a->nvr, a->kind == APP_CAMERA ? a->nvrmac : a->gw,
	    50001 + 2 * (i % 32));
	task_add(q, i, TASK_RTP, T0 + rnd_range(r, 0, SEC));
	task_add(q, i, TASK_RTCP, T0 + rnd_range(r, 4 * SEC, 6 * SEC));
	if (a->kind == APP_ANPR)
		task_add(q, i, TASK_ANPR, T0 + rnd_range(r, 10 * SEC,
		    60 * SEC));
}

/* Runs one task of a bench-site appliance; sets its next time. */
static void
task_run(struct cap *c, struct appl *a, struct task *tk)
{
	static const char *names[] = { "api.hik-connect.example",
	    "update.vendor-cloud.example", "mqtt.vendor-cloud.example",
	    "time.vendor-cloud.example", "p2p.hik-connect.example" };
	uint64_t	*r = &c->rng, t = tk->next;
	struct conv	 cv;
	struct wbuf	 w, resp;
	char		 dst[INET_ADDRSTRLEN], ev[64];
	const char	*name;
	size_t		 up, down;

	switch (tk->kind) {
	case TASK_RTP:
		rtp_packet(&w, c, a->seq++, a->rtpts, a->ssrc,
		    a->pkts % 64 == 0, rnd_range(r, 1240, 1400));
		udp_send(&a->rtp, 0, t, w.p, w.len);
		a->pkts++;
		a->octets += w.len - 12;
		a->rtpts += 3000;
		tk->next += a->period + rnd_range(r, 0, a->period / 8);
		break;
	case TASK_RTCP:
		rtcp_sr(&w, t, a->ssrc, a->rtpts, a->pkts, a->octets, a->ip);
		udp_send(&a->rtcp, 0, t, w.p, w.len);
		rtcp_rr(&w, t + 5 * MSEC, a->ssrc ^ 0x5a5a5a5a, a->ssrc,
		    a->seq - 1, t, a->nvr);
		udp_send(&a->rtcp, 1, t + 5 * MSEC, w.p, w.len);
		tk->next += 5 * SEC;
		break;
	case TASK_DNS:
		name = names[rnd64(r) % (sizeof(names) / sizeof(names[0]))];
		conv_init(&cv, c, &a->link, IPPROTO_UDP, a->ip, a->mac,
		    eport(c), a->bypass ? "192.0.2.53" : RES_IP,
		    a->kind == APP_CAMERA && !a->bypass ? RES_MAC : a->gw, 53);
		dns_lookup(&cv, t, name, DNS_A, dns_tab);
		if (rnd64(r) % 2)
			dns_lookup(&cv, t + 50, name, DNS_AAAA, dns_tab);
		tk->next += rnd_range(r, 30 * SEC, 90 * SEC);
		break;
	case TASK_NTP:
		ntp_exchange(&a->ntp, t);
		tk->next += 64 * SEC;
		break;
	case TASK_HOME:
		snprintf(dst, sizeof(dst), "203.0.113.%u", 90 + a->index % 10);
		conv_init(&cv, c, &a->link, IPPROTO_TCP, a->ip, a->mac,
		    eport(c), dst, a->gw, 8443);
		t = tcp_open(&cv, t);
		w.len = 0;
		put_u32(&w, 0x48420001);
		put_u32(&w, ++a->homeseq);
		put_pool(&w, c, 40);
		resp.len = 0;
		put_u32(&resp, 0x48428001);
		put_u32(&resp, a->homeseq);
		put_pool(&resp, c, 8);
		t = tcp_xchg(&cv, t + 100, &w, &resp);
		tcp_close(&cv, 0, t + 500);
		tk->next += rnd_range(r, 54 * SEC, 66 * SEC);
		break;
	case TASK_TLS:
		conv_init(&cv, c, &a->link, IPPROTO_TCP, a->ip, a->mac,
		    eport(c), a->index % 3 ? "203.0.113.7" : "198.51.100.44",
		    a->gw, 443);
		t = tcp_open(&cv, t);
		down = rnd_range(r, 1000, 20000);	/* one by one */
		up = rnd_range(r, 200, 800);
		tls_session(&cv, t + 200, a->index % 3 ?
		    "api.hik-connect.example" : "update.vendor-cloud.example",
		    up, down);
		tk->next += rnd_range(r, 240 * SEC, 600 * SEC);
		break;
	case TASK_ZK:
		if (a->zkreply++ == 0) {
			a->zksess = rnd64(r);
			t = tcp_open(&a->zk, t);
			zk_frame(&w, 1000, 0, 0, NULL);
		} else {
			snprintf(ev, sizeof(ev), "%05u\t%" PRIu64 "\t1\t0\t1",
			    (unsigned)rnd_range(r, 1, 9999), t / SEC);
			zk_frame(&w, 500, a->zksess, a->zkreply, ev);
		}
		zk_frame(&resp, 2000, a->zksess, a->zkreply, NULL);
		tcp_xchg(&a->zk, t, &w, &resp);
		tk->next += rnd_range(r, 10 * SEC, 60 * SEC);
		break;
	case TASK_ANPR:
		conv_init(&cv, c, &a->link, IPPROTO_TCP, a->ip, a->mac,
		    eport(c), a->nvr, a->gw, 80);
		t = tcp_open(&cv, t);
		snprintf(ev, sizeof(ev), "{\"plate\":\"XX%02u XXX\"}",
		    (unsigned)rnd_range(r, 10, 99));
		w.len = 0;
		put_fmt(&w, "POST /api/v1/anpr/events HTTP/1.1\r\nHost: %s\r\n"
		    "Content-Type: application/json\r\nContent-Length: %zu\r\n"
		    "\r\n%s", a->nvr, strlen(ev), ev);
		resp.len = 0;
		put_str(&resp, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
		t = tcp_xchg(&cv, t, &w, &resp);
		tcp_close(&cv, 1, t + 300);
		tk->next += rnd_range(r, 20 * SEC, 90 * SEC);
		break;
	}
}

/*
 * bench-site: napps appliances, mostly RTP video to NVRs, with DNS, NTP,
 * TLS, access-control and call-home traffic; npkt packets, snaplen 128.
 */
void
bench_site(const char *path, uint64_t npkt, uint32_t napps)
{
	struct cap	 c;
	struct out	 o;
	struct taskq	 q;
	struct task	 tk;
	struct appl	*a;
	uint32_t	 i;

	cap_init(&c, seed_of("bench-site"), SNAP_BENCH);
	out_pcap(&o, path, DLT_EN10MB, SNAP_BENCH);
	memset(&q, 0, sizeof(q));
	if ((a = calloc(napps, sizeof(*a))) == NULL)
		err(1, "calloc");
	for (i = 0; i < napps; i++)
		appl_init(&c, &a[i], i, &q);
	while (o.count < npkt) {
		task_pop(&q, &tk);
		cap_drain(&c, &o, tk.next, npkt);
		if (o.count >= npkt)
			break;
		task_run(&c, &a[tk.appliance], &tk);
		task_push(&q, &tk);
	}
	out_close(&o, path);
	cap_free(&c);
	free(q.t);
	free(a);
}

/* A random outside address: documentation IPv4 or 2001:db8::/32. */
static void
bench_outside(uint64_t *r, int v6, char *buf, size_t len)
{
	static const char *nets[] = { "192.0.2", "198.51.100", "203.0.113" };
	uint64_t	 v = rnd64(r);

	if (v6)
		snprintf(buf, len, "2001:db8:%x:%x::%x",
		    (unsigned)(v & 0xffff), (unsigned)((v >> 16) & 0xffff),
		    (unsigned)((v >> 32) & 0xffff) | 1);
	else
		snprintf(buf, len, "%s.%u", nets[v % 3],
		    (unsigned)(1 + (v >> 8) % 254));
}

enum {
	FLOW_TCP,		/* handshake, exchanges, FIN close */
	FLOW_REJECT,		/* SYN answered by RST */
	FLOW_DNS,		/* query and answer */
	FLOW_UDP,		/* datagrams both ways */
	FLOW_SCAN,		/* inbound SYN answered by RST */
	FLOW_SYN,		/* one unanswered SYN */
	FLOW_ONEWAY		/* one UDP datagram */
};

/*
 * Picks the kind of the next bench-flows conversation so that flows
 * average per packets: the usual mix from 4.38 packets up, then fewer
 * full TCP sessions, then single-packet flows below two.
 */
static int
flow_kind(uint64_t *r, double per)
{
	static const int two[] = { FLOW_REJECT, FLOW_DNS, FLOW_SCAN };
	double		 u = (rnd64(r) >> 11) * (1.0 / 9007199254740992.0);
	unsigned	 k;

	if (per >= 0.55 * 6 + 0.45 * 2.4) {
		k = rnd64(r) % 100;
		return k < 55 ? FLOW_TCP : k < 65 ? FLOW_REJECT :
		    k < 85 ? FLOW_DNS : k < 95 ? FLOW_UDP : FLOW_SCAN;
	}
	if (per >= 2)
		return u < (per - 2) / 4 ? FLOW_TCP : two[rnd64(r) % 3];
	if (u < 2 - per)
		return rnd64(r) % 2 ? FLOW_SYN : FLOW_ONEWAY;
	return two[rnd64(r) % 3];
}

/* One short conversation of bench-flows starting at t. */
static void
bench_flow(struct cap *c, uint64_t t, int kind, uint16_t *ports,
    uint32_t nclients, unsigned maxx)
{
	static const uint16_t sports[] = { 443, 443, 443, 80, 8443, 1883,
	    8883, 5671 };
	static const uint16_t scans[] = { 22, 23, 80, 554, 8000, 37777 };
	uint64_t	*r = &c->rng;
	uint32_t	 k = rnd64(r) % nclients;
	int		 v6 = k % 10 == 0, i, n;
	char		 ip[INET6_ADDRSTRLEN], mac[18], out[INET6_ADDRSTRLEN];
	struct link	 l;
	struct conv	 cv;
	struct wbuf	 w, resp;
	uint16_t	 cport, sport;

	if (v6)
		snprintf(ip, sizeof(ip), "fd00:64::%x", k + 1);
	else
		snprintf(ip, sizeof(ip), "10.100.%u.%u", k / 250, 1 + k % 250);
	snprintf(mac, sizeof(mac), "44:19:b6:64:%02x:%02x", (k >> 8) & 0xff,
	    k & 0xff);
	link_vlan(&l, k % 4 ? 100 + k % 4 : 0);
	bench_outside(r, v6, out, sizeof(out));
	cport = ports[k];
	ports[k] = cport >= 60999 ? 32768 : cport + 1;

	switch (kind) {
	case FLOW_TCP:
		conv_init(&cv, c, &l, IPPROTO_TCP, ip, mac, cport, out,
		    GW40_MAC, sports[rnd64(r) % 8]);
		t = tcp_open(&cv, t);
		n = rnd_range(r, 0, maxx);
		for (i = 0; i < n; i++) {
			w.len = 0;
			put_pool(&w, c, rnd_range(r, 80, 600));
			resp.len = 0;
			put_pool(&resp, c, rnd_range(r, 100, 1400));
			t = tcp_xchg(&cv, t + rnd_range(r, 100, 5000), &w,
			    &resp);
		}
		tcp_close(&cv, 0, t + rnd_range(r, 100, 20000));
		break;
	case FLOW_REJECT:
	case FLOW_SYN:
		conv_init(&cv, c, &l, IPPROTO_TCP, ip, mac, cport, out,
		    GW40_MAC, sports[rnd64(r) % 8]);
		tcp_seg(&cv, 0, t, TH_SYN, NULL, 0);
		if (kind == FLOW_REJECT)
			tcp_seg(&cv, 1, t + turn(&cv, 0), TH_RST | TH_ACK,
			    NULL, 0);
		break;
	case FLOW_DNS:
		conv_init(&cv, c, &l, IPPROTO_UDP, ip, mac, cport, out,
		    GW40_MAC, 53);
		dns_lookup(&cv, t, dns_tab[rnd64(r) % 7].name,
		    v6 ? DNS_AAAA : DNS_A, dns_tab);
		break;
	case FLOW_UDP:
	case FLOW_ONEWAY:
		conv_init(&cv, c, &l, IPPROTO_UDP, ip, mac, cport, out,
		    GW40_MAC, rnd_range(r, 5000, 6000));
		n = kind == FLOW_UDP ? rnd_range(r, 1, 4) : 1;
		for (i = 0; i < n; i++) {
			w.len = 0;
			put_pool(&w, c, rnd_range(r, 60, 600));
			udp_send(&cv, 0, t, w.p, w.len);
			if (kind == FLOW_ONEWAY)
				break;
			t += turn(&cv, 0);
			udp_send(&cv, 1, t, w.p, w.len);
			t += rnd_range(r, 1000, 50000);
		}
		break;
	case FLOW_SCAN:
		/* inbound, answered with a reset */
		sport = scans[rnd64(r) % 6];		/* one by one */
		cport = (uint16_t)rnd_range(r, 1024, 65535);
		conv_init(&cv, c, &l, IPPROTO_TCP, out, GW40_MAC, cport, ip,
		    mac, sport);
		tcp_seg(&cv, 0, t, TH_SYN, NULL, 0);
		tcp_seg(&cv, 1, t + rnd_range(r, 30, 200), TH_RST | TH_ACK,
		    NULL, 0);
		break;
	}
}

/* bench-flows: about nflows short conversations in npkt packets. */
void
bench_flows(const char *path, uint64_t npkt, uint64_t nflows)
{
	struct cap	 c;
	struct out	 o;
	uint16_t	*ports;
	uint32_t	 nclients = 4000, i;
	uint64_t	 t = T0, gap;
	double		 per = (double)npkt / nflows, x;
	unsigned	 maxx;

	/* full mix: 0.55 (6 + 3x) + 0.45 * 2.4 packets per flow */
	x = (per - 0.55 * 6 - 0.45 * 2.4) / (0.55 * 3);
	maxx = x > 0 ? (unsigned)(2 * x + 0.5) : 0;
	gap = 300 * SEC / nflows;
	if (gap == 0)
		gap = 1;

	cap_init(&c, seed_of("bench-flows"), SNAP_BENCH);
	out_pcap(&o, path, DLT_EN10MB, SNAP_BENCH);
	ports = emalloc(nclients * sizeof(*ports));
	for (i = 0; i < nclients; i++)
		ports[i] = rnd_range(&c.rng, 32768, 60999);
	while (o.count < npkt) {
		cap_drain(&c, &o, t, npkt);
		if (o.count >= npkt)
			break;
		bench_flow(&c, t, flow_kind(&c.rng, per), ports, nclients,
		    maxx);
		t += rnd_range(&c.rng, 0, 2 * gap);
	}
	out_close(&o, path);
	cap_free(&c);
	free(ports);
}
