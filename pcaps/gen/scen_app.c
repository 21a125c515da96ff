/*
 * The application-layer captures: dns-tcp.pcap (DNS over TCP),
 * policy.pcap (a case for each policy alert) and quic.pcap (client
 * Initials egressd and tshark both decrypt).
 */
#include "config.h"

#include <netinet/in.h>

#include <stdint.h>
#include <stdio.h>

#include "pcapgen.h"

/*
 * A DNS answer for name with n A records, base.1 to base.n, each TTL 600,
 * length-prefixed for TCP (RFC 7766), appended to w.
 */
static void
dns_tcp_answer(struct wbuf *w, uint16_t id, const char *name,
    const char *base, int n)
{
	struct dnsw	 d;
	struct dnsrr	 rr;
	struct wbuf	 m;
	char		 addr[64];
	int		 i;

	m.len = 0;
	dns_init(&d, &m, id, 0x8180, 1, n, 0, 0);
	dns_question(&d, name, DNS_A);
	for (i = 1; i <= n; i++) {
		snprintf(addr, sizeof(addr), "%s.%d", base, i);
		rr.name = name;
		rr.type = DNS_A;
		rr.ttl = 600;
		rr.data = addr;
		rr.data2 = NULL;
		dns_rr(&d, &rr);
	}
	put_u16(w, m.len);
	put_bytes(w, m.p, m.len);
}

/* A length-prefixed DNS query for TCP, appended to w. */
static void
dns_tcp_query(struct wbuf *w, uint16_t id, const char *name)
{
	struct wbuf	 m;

	dns_query(&m, id, name, DNS_A);
	put_u16(w, m.len);
	put_bytes(w, m.p, m.len);
}

/*
 * dns-tcp.pcap: DNS over TCP to the site resolver, and the connections
 * that follow, which egressd must name from it.  One answer of 150
 * addresses spans two segments, and the camera then connects to the
 * 140th (in the second); two queries pipelined in one segment, answered
 * in one; an answer whose second segment is sent twice.  The TLS
 * connections carry an SNI that differs from the name resolved, so the
 * records show which one names the destination.
 */
void
gen_dns_tcp(struct cap *c)
{
	const struct sitedev *d = site_devs;
	struct link	 l;
	struct conv	 cv, tv;
	struct wbuf	 q, a;
	uint64_t	 t = T0;
	uint32_t	 seq;

	link_vlan(&l, 20);
	/* 150 addresses: 2,4 kB, two segments. */
	conv_init(&cv, c, &l, IPPROTO_TCP, d[CAM11].ip, d[CAM11].mac, 41000,
	    RES_IP, RES_MAC, 53);
	t = tcp_open(&cv, t);
	q.len = 0;
	dns_tcp_query(&q, 0x5001, "pool.cdn-video.example");
	a.len = 0;
	dns_tcp_answer(&a, 0x5001, "pool.cdn-video.example", "198.51.100",
	    150);
	t = tcp_xchg(&cv, t, &q, &a);
	t = tcp_close(&cv, 0, t + 5 * MSEC);
	conv_init(&tv, c, &l, IPPROTO_TCP, d[CAM11].ip, d[CAM11].mac, 41001,
	    "198.51.100.140", GW20_MAC, 443);
	t = tcp_open(&tv, t + 20 * MSEC);
	t = tls_session(&tv, t + 200, "edge.cdn-video.example", 300, 900);

	/* Two queries in one segment, both answers in one. */
	conv_init(&cv, c, &l, IPPROTO_TCP, d[CAM12].ip, d[CAM12].mac, 41002,
	    RES_IP, RES_MAC, 53);
	t = tcp_open(&cv, t + SEC);
	q.len = 0;
	dns_tcp_query(&q, 0x5002, "a.pipeline.example");
	dns_tcp_query(&q, 0x5003, "b.pipeline.example");
	a.len = 0;
	dns_tcp_answer(&a, 0x5002, "a.pipeline.example", "203.0.113", 1);
	dns_tcp_answer(&a, 0x5003, "b.pipeline.example", "192.0.2", 2);
	t = tcp_xchg(&cv, t, &q, &a);
	t = tcp_close(&cv, 0, t + 5 * MSEC);
	conv_init(&tv, c, &l, IPPROTO_TCP, d[CAM12].ip, d[CAM12].mac, 41003,
	    "203.0.113.1", GW20_MAC, 443);
	t = tcp_open(&tv, t + 20 * MSEC);
	t = tls_session(&tv, t + 200, "a-sni.pipeline.example", 300, 900);
	conv_init(&tv, c, &l, IPPROTO_TCP, d[CAM12].ip, d[CAM12].mac, 41004,
	    "192.0.2.2", GW20_MAC, 443);
	t = tcp_open(&tv, t + 20 * MSEC);
	t = tls_session(&tv, t + 200, "b-sni.pipeline.example", 300, 900);

	/* The second segment of an answer sent twice (a retransmission). */
	conv_init(&cv, c, &l, IPPROTO_TCP, d[CAM13].ip, d[CAM13].mac, 41005,
	    RES_IP, RES_MAC, 53);
	t = tcp_open(&cv, t + SEC);
	q.len = 0;
	dns_tcp_query(&q, 0x5004, "retx.cdn-video.example");
	a.len = 0;
	dns_tcp_answer(&a, 0x5004, "retx.cdn-video.example", "198.51.100",
	    120);
	t = tcp_send(&cv, 0, t, q.p, q.len) + turn(&cv, 0);
	seq = cv.ep[1].seq;
	t = tcp_send(&cv, 1, t, a.p, a.len);
	cv.ep[1].seq = seq + (uint32_t)cv.mss;
	tcp_seg(&cv, 1, t + 200 * MSEC, TH_ACK | TH_PSH, a.p + cv.mss,
	    a.len - cv.mss);
	t = tcp_close(&cv, 0, t + 205 * MSEC);
	conv_init(&tv, c, &l, IPPROTO_TCP, d[CAM13].ip, d[CAM13].mac, 41006,
	    "198.51.100.120", GW20_MAC, 443);
	t = tcp_open(&tv, t + 20 * MSEC);
	tls_session(&tv, t + 200, "edge2.cdn-video.example", 300, 900);
}

/* A TLS connection from a camera: handshake, session, close. */
static uint64_t
policy_tls(struct cap *c, const struct link *l, uint64_t t, const char *cip,
    const char *cmac, uint16_t cport, const char *sip, uint16_t sport,
    const char *sni, size_t up, size_t down)
{
	struct conv	cv;

	conv_init(&cv, c, l, IPPROTO_TCP, cip, cmac, cport, sip, GW20_MAC,
	    sport);
	t = tcp_open(&cv, t);
	t = tls_session(&cv, t + 200, sni, up, down);
	return tcp_close(&cv, 0, t + 5 * MSEC);
}

/*
 * policy.pcap: one case for each policy alert, for tests/policy/alerts.conf
 * (group "faces" is 10.20.1.21 to .23; 10.20.1.99 is in no group):
 *   unapproved   .21 to telemetry.unknown-vendor.example (203.0.113.66),
 *                twice, 10 minutes apart (the second within the window);
 *   dns-bypass   .21 DNS over TLS to 192.0.2.53:853, and DNS over HTTPS
 *                to dns.google at 198.51.100.53;
 *   exfil        .22 uploads 25 clips of 60 kB, at random times, to
 *                storage.unknown-vendor.example (198.51.100.80; the
 *                config's threshold is 1 MB);
 *   denied       .23 to 203.0.113.200 (KP in the demo database), twice
 *                within a minute (one alert), then again 2 minutes later;
 *   unknown      .99 asks an outside NTP server (203.0.113.123).
 * And what is allowed: .21 to api.faces-cloud.example (203.0.113.7); and
 * what no rule names but never leaves the site, so raises nothing: .21's
 * mDNS query (224.0.0.251:5353) and SSDP search (239.255.255.250:1900).
 */
void
gen_policy(struct cap *c)
{
	static const char msearch[] = "M-SEARCH * HTTP/1.1\r\n"
	    "HOST: 239.255.255.250:1900\r\nMAN: \"ssdp:discover\"\r\n"
	    "MX: 2\r\nST: upnp:rootdevice\r\n\r\n";
	struct link	 l;
	struct conv	 cv;
	struct wbuf	 w;
	uint64_t	 t = T0, u;
	int		 i;

	link_vlan(&l, 20);
	mini_dns(c, &l, t, "10.20.1.21", "44:19:b6:2a:01:15", RES_IP, RES_MAC,
	    "api.hik-connect.example", DNS_A);
	policy_tls(c, &l, t + 50 * MSEC, "10.20.1.21", "44:19:b6:2a:01:15",
	    41100, "203.0.113.7", 443, "api.hik-connect.example", 400, 900);
	policy_tls(c, &l, t + 10 * SEC, "10.20.1.21", "44:19:b6:2a:01:15",
	    41101, "203.0.113.66", 443, "telemetry.unknown-vendor.example",
	    600, 300);
	policy_tls(c, &l, t + 610 * SEC, "10.20.1.21", "44:19:b6:2a:01:15",
	    41102, "203.0.113.66", 443, "telemetry.unknown-vendor.example",
	    600, 300);
	policy_tls(c, &l, t + 30 * SEC, "10.20.1.21", "44:19:b6:2a:01:15",
	    41103, "192.0.2.53", 853, "dot.example-resolver.example", 300,
	    500);
	policy_tls(c, &l, t + 40 * SEC, "10.20.1.21", "44:19:b6:2a:01:15",
	    41104, "198.51.100.53", 443, "dns.google", 300, 500);
	for (i = 0, u = t + 60 * SEC; i < 25; i++) {
		policy_tls(c, &l, u, "10.20.1.22", "44:19:b6:2a:01:16",
		    (uint16_t)(42000 + i), "198.51.100.80", 443,
		    "storage.unknown-vendor.example", 60000, 2000);
		u += rnd_range(&c->rng, 2, 90) * SEC;	/* at random */
	}
	policy_tls(c, &l, t + 90 * SEC, "10.20.1.23", "44:19:b6:2a:01:17",
	    41106, "203.0.113.200", 443, "update.example-kp.example", 500,
	    800);
	policy_tls(c, &l, t + 110 * SEC, "10.20.1.23", "44:19:b6:2a:01:17",
	    41107, "203.0.113.200", 443, "update.example-kp.example", 500,
	    800);
	policy_tls(c, &l, t + 230 * SEC, "10.20.1.23", "44:19:b6:2a:01:17",
	    41108, "203.0.113.200", 443, "update.example-kp.example", 500,
	    800);
	mini_ntp(c, &l, t + 20 * SEC, "10.20.1.99", "00:11:22:33:44:99",
	    "203.0.113.123", GW20_MAC);
	conv_init(&cv, c, &l, IPPROTO_UDP, "10.20.1.21", "44:19:b6:2a:01:15",
	    5353, "224.0.0.251", "01:00:5e:00:00:fb", 5353);
	dns_query(&w, 0, "_rtsp._tcp.local", DNS_A);
	udp_send(&cv, 0, t + 5 * SEC, w.p, w.len);
	conv_init(&cv, c, &l, IPPROTO_UDP, "10.20.1.21", "44:19:b6:2a:01:15",
	    eport(c), "239.255.255.250", "01:00:5e:7f:ff:fa", 1900);
	udp_send(&cv, 0, t + 6 * SEC, (const uint8_t *)msearch,
	    sizeof(msearch) - 1);
}

/*
 * quic.pcap: QUIC v1 client Initials (RFC 9000, RFC 9001) that egressd
 * and tshark both decrypt: a ClientHello in one Initial; one with an
 * X25519MLKEM768 share (about 1.5 kB) over two datagrams; one in two
 * Initials coalesced in one datagram, its second half first; and an
 * Initial whose AEAD tag is broken, which neither may read.  Each
 * server answers with a datagram of random short-header bytes.
 */
void
gen_quic(struct cap *c)
{
	static const struct {
		const char	*dst;
		const char	*sni;
		int		 pq, split, coalesce, broken;
	} flows[] = {
		{ "203.0.113.60", "quic.vendor-cloud.example", 0, 0, 0, 0 },
		{ "198.51.100.61", "pq.vendor-cloud.example", 1, 1, 0, 0 },
		{ "203.0.113.62", "coalesced.vendor-cloud.example", 0, 1, 1, 0 },
		{ "192.0.2.63", "broken.vendor-cloud.example", 0, 0, 0, 1 },
	};
	const struct sitedev *d = site_devs;
	struct link	 l;
	struct conv	 cv;
	struct wbuf	 m, fr, dg, fr2;
	uint8_t		 dcid[8], scid[8];
	uint64_t	 t = T0;
	size_t		 i, half;

	link_vlan(&l, 20);
	for (i = 0; i < sizeof(flows) / sizeof(flows[0]); i++) {
		conv_init(&cv, c, &l, IPPROTO_UDP, d[CAM11 + i].ip,
		    d[CAM11 + i].mac, 51000 + (uint16_t)i, flows[i].dst,
		    GW20_MAC, 443);
		rnd_fill(&c->rng, dcid, sizeof(dcid));
		rnd_fill(&c->rng, scid, sizeof(scid));
		quic_hello(&m, c, flows[i].sni, flows[i].pq);
		half = flows[i].split ? m.len / 2 : m.len;
		dg.len = 0;
		fr.len = 0;
		if (flows[i].coalesce) {
			/* The second half first, then the first. */
			quic_crypto(&fr, &m, half, m.len, 0);
			quic_seal(&dg, dcid, 8, scid, 8, 0, fr.p, fr.len);
			fr2.len = 0;
			put_u8(&fr2, 0x01);		/* PING */
			quic_crypto(&fr2, &m, 0, half, QUIC_DGRAM_MIN -
			    dg.len - 40);
			quic_seal(&dg, dcid, 8, scid, 8, 1, fr2.p, fr2.len);
		} else {
			quic_crypto(&fr, &m, 0, half, QUIC_DGRAM_MIN - 40);
			quic_seal(&dg, dcid, 8, scid, 8, 0, fr.p, fr.len);
		}
		if (flows[i].broken)
			dg.p[dg.len - 1] ^= 0x5a;
		udp_send(&cv, 0, t, dg.p, dg.len);
		t += 2 * MSEC;
		if (flows[i].split && !flows[i].coalesce) {
			dg.len = 0;
			fr.len = 0;
			quic_crypto(&fr, &m, half, m.len, QUIC_DGRAM_MIN - 40);
			quic_seal(&dg, dcid, 8, scid, 8, 1, fr.p, fr.len);
			udp_send(&cv, 0, t, dg.p, dg.len);
			t += 2 * MSEC;
		}
		dg.len = 0;
		put_u8(&dg, 0x40 | (uint8_t)(rnd64(&c->rng) & 0x3f));
		put_bytes(&dg, scid, sizeof(scid));	/* the client's SCID */
		put_pool(&dg, c, 300);
		udp_send(&cv, 1, t + 30 * MSEC, dg.p, dg.len);
		t += SEC;
	}
}
