/*
 * site-demo.pcap: 20 minutes of a demo site (cameras with RTSP and RTP,
 * ANPR cameras posting HTTP events, fingerprint readers, DNS, NTP, TLS,
 * a call-home, MQTT, IPv6), and the site's devices and names the other
 * scenarios borrow.
 */
#include "config.h"

#include <netinet/in.h>

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "pcapgen.h"

/* A UK-style number plate. */
static void
plate(struct cap *c, char *buf)
{
	static const char letters[] = "ABCDEFGHJKLMNOPRSTUVWXYZ";
	int		 i;

	for (i = 0; i < 8; i++) {
		if (i == 4)
			buf[i] = ' ';
		else if (i == 2 || i == 3)
			buf[i] = '0' + rnd64(&c->rng) % 10;
		else
			buf[i] = letters[rnd64(&c->rng) %
			    (sizeof(letters) - 1)];
	}
	buf[8] = '\0';
}

const struct sitedev site_devs[] = {
	{ "10.20.1.11", "44:19:b6:2a:01:0b", 20, GW20_MAC },
	{ "10.20.1.12", "44:19:b6:2a:01:0c", 20, GW20_MAC },
	{ "10.20.1.13", "44:19:b6:2a:01:0d", 20, GW20_MAC },
	{ "10.20.1.14", "44:19:b6:2a:01:0e", 20, GW20_MAC },
	{ "10.30.0.21", "3c:ef:8c:30:00:15", 30, GW30_MAC },
	{ "10.30.0.22", "3c:ef:8c:30:00:16", 30, GW30_MAC },
	{ "10.40.0.31", "00:17:fc:40:00:1f", 0, GW40_MAC },
	{ "10.40.0.32", "00:17:fc:40:00:20", 0, GW40_MAC },
};

const struct dnsent dns_tab[] = {
	{ "api.hik-connect.example", NULL, "203.0.113.7", NULL },
	{ "p2p.hik-connect.example", NULL, "203.0.113.77", NULL },
	{ "cloud6.hik-connect.example", NULL, "203.0.113.10", CLOUD6_IP },
	{ "update.vendor-cloud.example", "cdn.vendor-cloud.example",
	    "198.51.100.44", "2001:db8:44::44" },
	{ "mqtt.vendor-cloud.example", NULL, "203.0.113.50", NULL },
	{ "fw.anpr-vendor.example", NULL, "198.51.100.20", NULL },
	{ "time.vendor-cloud.example", NULL, "203.0.113.123", NULL },
	{ NULL, NULL, NULL, NULL }
};

/* MAC a device uses to reach a host on VLAN vlan: direct or the gateway. */
static const char *
dev_peer(const struct sitedev *d, uint16_t vlan, const char *mac)
{
	return d->vlan == vlan ? mac : d->gw;
}

/* Resolves name (A, then AAAA in parallel when both) from device d. */
uint64_t
site_lookup(struct cap *c, const struct sitedev *d, uint64_t t,
    const char *name, int both)
{
	struct link	 l;
	struct conv	 cv;
	uint64_t	 t1;

	link_vlan(&l, d->vlan);
	conv_init(&cv, c, &l, IPPROTO_UDP, d->ip, d->mac, eport(c), RES_IP,
	    dev_peer(d, 20, RES_MAC), 53);
	t1 = dns_lookup(&cv, t, name, DNS_A, dns_tab);
	if (both)
		t1 = dns_lookup(&cv, t + rnd_range(&c->rng, 30, 90), name,
		    DNS_AAAA, dns_tab);
	return t1;
}

/*
 * RTSP session set up by the NVR (RFC 2326 DESCRIBE, SETUP, PLAY, then
 * GET_PARAMETER keepalives) and the camera's RTP/RTCP stream to it.
 */
static void
site_video(struct cap *c, const struct sitedev *d, uint16_t nvrport,
    uint32_t ssrc, uint64_t t, uint64_t end)
{
	struct link	 l;
	struct conv	 rtsp, rtp, rtcp;
	struct wbuf	 req, resp, body;
	char		 url[128], cname[64], sess[16];
	uint32_t	 rtpts, pkts = 0, octets = 0;
	uint16_t	 seq;
	uint64_t	 tr, ts;
	int		 k, cseq = 2;

	link_vlan(&l, d->vlan);
	snprintf(url, sizeof(url), "rtsp://%s:554/Streaming/Channels/101",
	    d->ip);
	snprintf(cname, sizeof(cname), "cam@%s", d->ip);
	snprintf(sess, sizeof(sess), "%08x", (uint32_t)rnd64(&c->rng));
	seq = rnd64(&c->rng);
	rtpts = rnd64(&c->rng);

	conv_init(&rtsp, c, &l, IPPROTO_TCP, NVR_IP, NVR_MAC, eport(c),
	    d->ip, d->mac, 554);
	t = tcp_open(&rtsp, t) + rnd_range(&c->rng, 500, 3000);

	req.len = 0;
	put_fmt(&req, "DESCRIBE %s RTSP/1.0\r\nCSeq: %d\r\n"
	    "Accept: application/sdp\r\nUser-Agent: NVR-RTSP/4.1\r\n\r\n",
	    url, cseq);
	body.len = 0;
	put_fmt(&body, "v=0\r\no=- %" PRIu64 " 1 IN IP4 %s\r\n"
	    "s=Media Presentation\r\nt=0 0\r\na=control:%s/\r\n"
	    "m=video 0 RTP/AVP 96\r\nc=IN IP4 0.0.0.0\r\nb=AS:1024\r\n"
	    "a=recvonly\r\na=rtpmap:96 H264/90000\r\n"
	    "a=fmtp:96 profile-level-id=420029; packetization-mode=1\r\n"
	    "a=control:%s/trackID=1\r\n", t / SEC, d->ip, url, url);
	resp.len = 0;
	put_fmt(&resp, "RTSP/1.0 200 OK\r\nCSeq: %d\r\n"
	    "Content-Type: application/sdp\r\nContent-Base: %s/\r\n"
	    "Content-Length: %zu\r\n\r\n", cseq++, url, body.len);
	put_bytes(&resp, body.p, body.len);
	t = tcp_xchg(&rtsp, t, &req, &resp) + rnd_range(&c->rng, 200, 900);

	req.len = 0;
	put_fmt(&req, "SETUP %s/trackID=1 RTSP/1.0\r\nCSeq: %d\r\n"
	    "Transport: RTP/AVP;unicast;client_port=%u-%u\r\n"
	    "User-Agent: NVR-RTSP/4.1\r\n\r\n", url, cseq, nvrport,
	    nvrport + 1);
	resp.len = 0;
	put_fmt(&resp, "RTSP/1.0 200 OK\r\nCSeq: %d\r\n"
	    "Session: %s;timeout=60\r\nTransport: RTP/AVP;unicast;"
	    "client_port=%u-%u;server_port=%u-%u;ssrc=%08X\r\n\r\n",
	    cseq++, sess, nvrport, nvrport + 1, RTP_PORT, RTP_PORT + 1, ssrc);
	t = tcp_xchg(&rtsp, t, &req, &resp) + rnd_range(&c->rng, 200, 900);

	req.len = 0;
	put_fmt(&req, "PLAY %s/ RTSP/1.0\r\nCSeq: %d\r\nSession: %s\r\n"
	    "Range: npt=0.000-\r\nUser-Agent: NVR-RTSP/4.1\r\n\r\n",
	    url, cseq, sess);
	resp.len = 0;
	put_fmt(&resp, "RTSP/1.0 200 OK\r\nCSeq: %d\r\nSession: %s\r\n"
	    "RTP-Info: url=%s/trackID=1;seq=%u;rtptime=%u\r\n\r\n",
	    cseq++, sess, url, seq, rtpts);
	t = tcp_xchg(&rtsp, t, &req, &resp);

	conv_init(&rtp, c, &l, IPPROTO_UDP, d->ip, d->mac, RTP_PORT, NVR_IP,
	    NVR_MAC, nvrport);
	conv_init(&rtcp, c, &l, IPPROTO_UDP, d->ip, d->mac, RTP_PORT + 1,
	    NVR_IP, NVR_MAC, nvrport + 1);
	for (k = 0;; k++) {
		tr = t + 20 * MSEC + k * SEC + rnd_range(&c->rng, 0, 40 * MSEC);
		if (tr >= end)
			break;
		rtp_packet(&req, c, seq++, rtpts + k * 90000, ssrc,
		    k % 10 == 0, rnd_range(&c->rng, 880, 1000));
		udp_send(&rtp, 0, tr, req.p, req.len);
		pkts++;
		octets += req.len - 12;
		if (k % 5 == 4 && tr + 400 * MSEC < end) {
			ts = tr + 300 * MSEC;
			rtcp_sr(&req, ts, ssrc, rtpts + k * 90000 + 27000,
			    pkts, octets, cname);
			udp_send(&rtcp, 0, ts, req.p, req.len);
			rtcp_rr(&req, ts + 9 * MSEC, ssrc ^ 0x5a5a5a5a, ssrc,
			    seq - 1, ts, "nvr@" NVR_IP);
			udp_send(&rtcp, 1, ts + 9 * MSEC, req.p, req.len);
		}
		if (k % 30 == 29 && tr + 600 * MSEC < end) {
			req.len = 0;
			put_fmt(&req, "GET_PARAMETER %s/ RTSP/1.0\r\n"
			    "CSeq: %d\r\nSession: %s\r\n"
			    "User-Agent: NVR-RTSP/4.1\r\n\r\n", url, cseq,
			    sess);
			resp.len = 0;
			put_fmt(&resp, "RTSP/1.0 200 OK\r\nCSeq: %d\r\n"
			    "Session: %s\r\n\r\n", cseq++, sess);
			tcp_xchg(&rtsp, tr + 500 * MSEC, &req, &resp);
		}
	}
}

/* ANPR plate events: an HTTP POST to the NVR every few minutes. */
static void
site_anpr(struct cap *c, const struct sitedev *d, const char *camid,
    uint64_t t, uint64_t end)
{
	struct link	 l;
	struct conv	 cv;
	struct wbuf	 req, resp, body;
	char		 when[32], pl[16];
	const char	*dir;
	uint64_t	 t2;
	unsigned int	 lane, conf;

	link_vlan(&l, d->vlan);
	for (t += rnd_range(&c->rng, 20 * SEC, 90 * SEC); t + 5 * SEC < end;
	    t += rnd_range(&c->rng, 90 * SEC, 240 * SEC)) {
		conv_init(&cv, c, &l, IPPROTO_TCP, d->ip, d->mac, eport(c),
		    NVR_IP, d->gw, 80);
		t2 = tcp_open(&cv, t);
		iso_time(when, sizeof(when), t, 1);
		plate(c, pl);
		body.len = 0;
		/* Drawn one by one: argument order is the compiler's. */
		dir = rnd64(&c->rng) % 2 ? "in" : "out";
		lane = (unsigned)rnd_range(&c->rng, 1, 2);
		conf = (unsigned)rnd_range(&c->rng, 80, 99);
		put_fmt(&body, "{\"camera\":\"%s\",\"time\":\"%s\","
		    "\"plate\":\"%s\",\"confidence\":0.%02u,\"lane\":%u,"
		    "\"direction\":\"%s\"}", camid, when, pl, conf, lane, dir);
		req.len = 0;
		put_fmt(&req, "POST /api/v1/anpr/events HTTP/1.1\r\n"
		    "Host: %s\r\nUser-Agent: ANPR-Cam/4.2.1\r\n"
		    "Content-Type: application/json\r\nContent-Length: %zu\r\n"
		    "Connection: close\r\n\r\n", NVR_IP, body.len);
		put_bytes(&req, body.p, body.len);
		resp.len = 0;
		put_str(&resp, "HTTP/1.1 200 OK\r\nServer: nvr-httpd\r\n"
		    "Content-Type: application/json\r\nContent-Length: 16\r\n"
		    "Connection: close\r\n\r\n{\"status\":\"ok\"}\n");
		t2 = tcp_xchg(&cv, t2, &req, &resp);
		tcp_close(&cv, 1, t2 + rnd_range(&c->rng, 100, 900));
	}
}

/* A fingerprint reader's persistent session with its controller. */
static void
site_reader(struct cap *c, const struct sitedev *d, uint64_t t,
    uint64_t end, unsigned user0)
{
	struct link	 l;
	struct conv	 cv;
	struct wbuf	 req, resp;
	char		 ev[64], when[32];
	uint16_t	 sess = rnd64(&c->rng), reply;

	link_vlan(&l, d->vlan);
	conv_init(&cv, c, &l, IPPROTO_TCP, d->ip, d->mac, eport(c), CTRL_IP,
	    CTRL_MAC, 4370);
	t = tcp_open(&cv, t);
	zk_frame(&req, 1000, 0, 0, NULL);		/* CMD_CONNECT */
	zk_frame(&resp, 2000, sess, 0, NULL);		/* CMD_ACK_OK */
	t = tcp_xchg(&cv, t, &req, &resp);
	for (reply = 1;; reply++) {
		t += rnd_range(&c->rng, 40 * SEC, 150 * SEC);
		if (t + SEC >= end)
			break;
		iso_time(when, sizeof(when), t, 0);
		snprintf(ev, sizeof(ev), "%05u\t%s\t1\t0\t1",
		    user0 + (unsigned)rnd_range(&c->rng, 0, 40), when);
		zk_frame(&req, 500, sess, reply, ev);	/* attendance event */
		zk_frame(&resp, 2000, sess, reply, NULL);
		tcp_xchg(&cv, t, &req, &resp);
	}
}

/* NTP polls every 64 s. */
void
site_ntp(struct cap *c, const struct sitedev *d, uint64_t t, uint64_t end)
{
	struct link	 l;
	struct conv	 cv;

	link_vlan(&l, d->vlan);
	conv_init(&cv, c, &l, IPPROTO_UDP, d->ip, d->mac, 123, NTP_IP,
	    dev_peer(d, 20, NTP_MAC), 123);
	for (; t + SEC < end; t += 64 * SEC + rnd_range(&c->rng, 0, 500 * MSEC))
		ntp_exchange(&cv, t);
}

/* Camera call-home: a short TCP session every 60 s +-10%. */
static void
site_callhome(struct cap *c, const struct sitedev *d, const char *dst,
    uint64_t t, uint64_t end)
{
	struct link	 l;
	struct conv	 cv;
	struct wbuf	 req, resp;
	uint32_t	 n;
	uint64_t	 t2;

	link_vlan(&l, d->vlan);
	for (n = 1; t + 2 * SEC < end; n++) {
		conv_init(&cv, c, &l, IPPROTO_TCP, d->ip, d->mac, eport(c),
		    dst, d->gw, 8443);
		t2 = tcp_open(&cv, t);
		req.len = 0;
		put_u32(&req, 0x48420001);
		put_u32(&req, n);
		put_str(&req, "DS-2CD2143G2-I#J");
		put_pool(&req, c, 24);
		resp.len = 0;
		put_u32(&resp, 0x48428001);
		put_u32(&resp, n);
		put_pool(&resp, c, 8);
		t2 = tcp_xchg(&cv, t2 + rnd_range(&c->rng, 50, 300), &req,
		    &resp);
		tcp_close(&cv, 0, t2 + rnd_range(&c->rng, 100, 2000));
		t += rnd_range(&c->rng, 54 * SEC, 66 * SEC);
	}
}

/* TCP connection plus TLS session from a site device. */
static uint64_t
site_tls(struct cap *c, const struct sitedev *d, uint64_t t,
    const char *sip, const char *sni, size_t up, size_t down)
{
	struct link	 l;
	struct conv	 cv;

	link_vlan(&l, d->vlan);
	conv_init(&cv, c, &l, IPPROTO_TCP, strchr(sip, ':') ? CAM6_IP : d->ip,
	    d->mac, eport(c), sip, d->gw, 443);
	t = tcp_open(&cv, t);
	return tls_session(&cv, t + rnd_range(&c->rng, 100, 600), sni, up,
	    down);
}

/* MQTT session to the vendor broker kept open with 30 s PINGREQs. */
static void
site_mqtt(struct cap *c, const struct sitedev *d, uint64_t t, uint64_t stop)
{
	struct link	 l;
	struct conv	 cv;
	struct wbuf	 req, resp;
	uint64_t	 tp;

	link_vlan(&l, d->vlan);
	conv_init(&cv, c, &l, IPPROTO_TCP, d->ip, d->mac, eport(c),
	    "203.0.113.50", d->gw, 1883);
	t = tcp_open(&cv, t);
	mqtt_connect(&req, "cam-10-20-1-12", 60);
	mqtt_short(&resp, 0x20);
	t = tcp_xchg(&cv, t, &req, &resp);
	mqtt_publish(&req, "devices/cam-10-20-1-12/status",
	    "{\"online\":true,\"fw\":\"V5.7.3\"}");
	t = tcp_send(&cv, 0, t + 2 * MSEC, req.p, req.len);
	tcp_ack(&cv, 1, t + turn(&cv, 0));
	for (tp = t + 30 * SEC; tp < stop; tp += 30 * SEC) {
		mqtt_short(&req, 0xc0);
		mqtt_short(&resp, 0xd0);
		t = tcp_xchg(&cv, tp, &req, &resp);
	}
	mqtt_short(&req, 0xe0);
	t = tcp_send(&cv, 0, t + 30 * SEC, req.p, req.len);
	tcp_close(&cv, 0, t + 50);
}

/* About 20 minutes of the demo site. */
void
gen_site_demo(struct cap *c)
{
	const struct sitedev *d = site_devs;
	struct link	 l;
	struct conv	 cv;
	uint64_t	 end = T0 + 20 * MIN, t;
	int		 i;

	site_video(c, &d[CAM11], 50000, 0x1a2b3c4d, T0 + 800 * MSEC, end);
	site_video(c, &d[CAM12], 50002, 0x5e6f7081, T0 + 2300 * MSEC, end);
	site_reader(c, &d[FP31], T0 + 1500 * MSEC, end, 1000);
	site_reader(c, &d[FP32], T0 + 4200 * MSEC, end, 2000);
	site_anpr(c, &d[ANPR21], "anpr-21", T0, end);
	site_anpr(c, &d[ANPR22], "anpr-22", T0 + 30 * SEC, end);
	for (i = CAM11; i <= ANPR22; i++)
		site_ntp(c, &d[i], T0 + (3 + 7 * i) * SEC +
		    rnd_range(&c->rng, 0, SEC), end);
	for (i = CAM11; i <= CAM14; i++)
		for (t = T0 + (10 + 60 * i) * SEC; t < end; t += 300 * SEC)
			site_lookup(c, &d[i], t + rnd_range(&c->rng, 0, SEC),
			    "api.hik-connect.example", 1);

	/* camera .11: TLS to the cloud it just resolved */
	site_tls(c, &d[CAM11], T0 + 12 * SEC, "203.0.113.7",
	    "api.hik-connect.example", 420, 1800);

	/* camera .12: MQTT for 15 minutes, a firmware check via a CNAME */
	site_lookup(c, &d[CAM12], T0 + 25 * SEC, "mqtt.vendor-cloud.example",
	    0);
	site_mqtt(c, &d[CAM12], T0 + 30 * SEC, T0 + 15 * MIN + 30 * SEC);
	t = site_lookup(c, &d[CAM12], T0 + 400 * SEC,
	    "update.vendor-cloud.example", 1);
	site_tls(c, &d[CAM12], t + 3 * MSEC, "198.51.100.44",
	    "update.vendor-cloud.example", 380, 24000);

	/* camera .13: call-home every 60 s to a bare address */
	site_callhome(c, &d[CAM13], "203.0.113.99", T0 + 45 * SEC, end);

	/* camera .14: ping and a lookup that bypasses the site resolver */
	link_vlan(&l, 20);
	conv_init(&cv, c, &l, IPPROTO_ICMP, d[CAM14].ip, d[CAM14].mac, 0,
	    "198.51.100.1", GW20_MAC, 0);
	icmp_echo(&cv, T0 + 200 * SEC, 0x2f1c, 1);
	conv_init(&cv, c, &l, IPPROTO_UDP, d[CAM14].ip, d[CAM14].mac,
	    eport(c), "192.0.2.53", GW20_MAC, 53);
	dns_lookup(&cv, T0 + 600 * SEC, "p2p.hik-connect.example", DNS_A,
	    dns_tab);

	/* camera .11 over IPv6 */
	t = site_lookup(c, &d[CAM11], T0 + 298 * SEC,
	    "cloud6.hik-connect.example", 1);
	site_tls(c, &d[CAM11], t + 2 * MSEC, CLOUD6_IP,
	    "cloud6.hik-connect.example", 300, 900);

	/* ANPR .22: firmware check over plain HTTP */
	t = site_lookup(c, &d[ANPR22], T0 + 120 * SEC, "fw.anpr-vendor.example",
	    0);
	link_vlan(&l, 30);
	conv_init(&cv, c, &l, IPPROTO_TCP, d[ANPR22].ip, d[ANPR22].mac,
	    eport(c), "198.51.100.20", GW30_MAC, 80);
	http_get(&cv, t + MSEC, "fw.anpr-vendor.example",
	    "/anpr/firmware/latest.json", "ANPR-Cam/4.2.1 (iDS-TCM403)", 320);
}
