/*
 * The IP and transport captures: frag.pcap, ipv6-ext.pcap,
 * snaplen.pcap, duplicates.pcap (SPAN copies), malformed.pcap (one
 * defect a frame) and tcp-states.pcap (every way a flow starts and
 * ends).
 */
#include "config.h"

#include <sys/socket.h>

#include <netinet/in.h>

#include <stdint.h>
#include <string.h>

#include "pcapgen.h"

/*
 * Sends a finished transport packet as fragments of at most fsize bytes
 * (a multiple of 8): IPv4 fragments (RFC 791) or IPv6 Fragment headers
 * (RFC 8200 4.5).  order lists the fragments in sending order, or NULL.
 */
static uint64_t
frag_send(struct conv *cv, int dir, uint64_t t, uint8_t *l4, size_t len,
    size_t fsize, const int *order)
{
	struct pkt	 p, q;
	struct wbuf	 ip, fh;
	size_t		 nfrag = (len + fsize - 1) / fsize, off, n, i;
	uint32_t	 id6 = rnd64(&cv->cap->rng);
	int		 more;

	pkt_from(cv, dir, &p);
	l4_cksum(p.af, p.src, p.dst, p.proto, l4, len);
	for (i = 0; i < nfrag; i++) {
		off = (order != NULL ? (size_t)order[i] : i) * fsize;
		n = len - off < fsize ? len - off : fsize;
		more = off + n < len;
		q = p;
		if (p.af == AF_INET)
			q.frag = (off / 8) | (more ? IP_MF : 0);
		else {
			fh.len = 0;
			put_u8(&fh, p.proto);
			put_u8(&fh, 0);
			put_u16(&fh, off | more);
			put_u32(&fh, id6);
			q.ext = fh.p;
			q.extlen = fh.len;
			q.extfirst = IPPROTO_FRAGMENT;
		}
		ip.len = 0;
		ip_build(&ip, &q, l4 + off, n);
		emit_ip(cv->cap, &cv->link, t, &q, 0, ip.p, ip.len);
		t += rnd_range(&cv->cap->rng, 12, 30);
	}
	return t;
}

/* frag.pcap: IPv4 and IPv6 fragments, in and out of order. */
void
gen_frag(struct cap *c)
{
	static const int backwards[] = { 2, 0, 1 };
	const struct sitedev *d = site_devs;
	struct link	 l20, l0;
	struct conv	 cv;
	struct wbuf	 w, data;
	uint64_t	 t = T0;
	int		 i;

	link_vlan(&l20, 20);
	link_eth(&l0);
	t = mini_dns(c, &l20, t, d[CAM11].ip, d[CAM11].mac, RES_IP, RES_MAC,
	    "api.hik-connect.example", DNS_A) + 100 * MSEC;
	t = mini_ntp(c, &l20, t, d[CAM11].ip, d[CAM11].mac, NTP_IP, NTP_MAC) +
	    100 * MSEC;

	/* 3000-byte UDP datagrams in three fragments, in order */
	conv_init(&cv, c, &l20, IPPROTO_UDP, d[CAM11].ip, d[CAM11].mac,
	    RTP_PORT, NVR_IP, NVR_MAC, 50000);
	cv.df = 0;
	for (i = 0; i < 2; i++) {
		data.len = 0;
		put_pool(&data, c, 3000);
		udp_hdr(&cv, 0, &w, data.p, data.len);
		t = frag_send(&cv, 0, t, w.p, w.len, 1480, NULL) + 40 * MSEC;
	}
	udp_send(&cv, 0, t, data.p, 600);

	/* the last fragment arrives first */
	conv_init(&cv, c, &l20, IPPROTO_UDP, d[CAM12].ip, d[CAM12].mac,
	    RTP_PORT, NVR_IP, NVR_MAC, 50002);
	cv.df = 0;
	data.len = 0;
	put_pool(&data, c, 3000);
	udp_hdr(&cv, 0, &w, data.p, data.len);
	t = frag_send(&cv, 0, t + 100 * MSEC, w.p, w.len, 1480, backwards) +
	    100 * MSEC;

	/* a TCP segment split by a 576-byte MTU */
	conv_init(&cv, c, &l0, IPPROTO_TCP, d[FP31].ip, d[FP31].mac, eport(c),
	    "203.0.113.20", GW40_MAC, 80);
	t = tcp_open(&cv, t);
	data.len = 0;
	put_str(&data, "POST /upload HTTP/1.1\r\nHost: 203.0.113.20\r\n"
	    "Content-Length: 1335\r\n\r\n");
	put_pool(&data, c, 1400 - data.len);
	cv.df = 0;
	tcp_hdr(&cv, 0, &w, TH_ACK | TH_PSH, data.p, data.len);
	t = frag_send(&cv, 0, t + 300, w.p, w.len, 552, NULL);
	cv.df = 1;
	t += turn(&cv, 0);
	w.len = 0;
	put_str(&w, "HTTP/1.1 204 No Content\r\n\r\n");
	t = tcp_send(&cv, 1, t, w.p, w.len);
	tcp_ack(&cv, 0, t + turn(&cv, 1));
	t = tcp_close(&cv, 0, t + 5 * MSEC) + 100 * MSEC;

	/* IPv6 UDP in three Fragment-header fragments */
	conv_init(&cv, c, &l20, IPPROTO_UDP, CAM6_IP, d[CAM11].mac, 5000,
	    CLOUD6_IP, GW20_MAC, 5000);
	data.len = 0;
	put_pool(&data, c, 2500);
	udp_hdr(&cv, 0, &w, data.p, data.len);
	t = frag_send(&cv, 0, t, w.p, w.len, 1232, NULL) + 100 * MSEC;

	t = mini_dns(c, &l20, t, d[CAM12].ip, d[CAM12].mac, RES_IP, RES_MAC,
	    "update.vendor-cloud.example", DNS_A) + 100 * MSEC;
	mini_http(c, &l20, t, d[CAM12].ip, d[CAM12].mac, 0, "198.51.100.44",
	    GW20_MAC, "update.vendor-cloud.example");
}

/* ipv6-ext.pcap: extension header chains, one too deep, one cut short. */
void
gen_ipv6_ext(struct cap *c)
{
	static const uint8_t ra[] = { 5, 2, 0, 0 };	/* router alert */
	static const uint8_t tel[] = { 4, 1, 4 };	/* encap limit */
	static const char *rh0[] = { "fd00:20::1", "fd00:21::1" };
	static const char *srh[] = { "fd00:20::53", "fd00:20::1" };
	const struct sitedev *d = site_devs;
	struct xchain	 hbh, rt0, rt4, dst, ah, chain, deep, cut, ah4;
	struct link	 l;
	struct conv	 cv;
	struct wbuf	 w, ip, req, resp;
	struct pkt	 p;
	uint64_t	 t = T0;
	int		 i;

	link_vlan(&l, 20);

	/* no extension headers, for comparison */
	t = mini_http(c, &l, t, CAM6_IP, d[CAM11].mac, 0, NVR6_IP, NVR_MAC,
	    "[fd00:20::5]") + 200 * MSEC;

	/* hop-by-hop with a router alert, on TCP */
	xc_init(&hbh);
	xc_opts(&hbh, IPPROTO_HOPOPTS, ra, sizeof(ra));
	xc_done(&hbh, IPPROTO_TCP);
	conv_init(&cv, c, &l, IPPROTO_TCP, CAM6_IP, d[CAM11].mac, eport(c),
	    NVR6_IP, NVR_MAC, 554);
	cv.x[0] = cv.x[1] = &hbh;
	t = tcp_open(&cv, t);
	req.len = 0;
	put_str(&req, "OPTIONS rtsp://[fd00:20::5]/ RTSP/1.0\r\n"
	    "CSeq: 1\r\n\r\n");
	resp.len = 0;
	put_str(&resp, "RTSP/1.0 200 OK\r\nCSeq: 1\r\n"
	    "Public: DESCRIBE, SETUP, PLAY, TEARDOWN\r\n\r\n");
	t = tcp_xchg(&cv, t, &req, &resp);
	t = tcp_close(&cv, 0, t + MSEC) + 200 * MSEC;

	/* routing header type 0, segments left 0, on the query only */
	xc_init(&rt0);
	xc_routing(&rt0, 0, 0, rh0, 2);
	xc_done(&rt0, IPPROTO_UDP);
	conv_init(&cv, c, &l, IPPROTO_UDP, CAM6_IP, d[CAM11].mac, eport(c),
	    RES6_IP, RES_MAC, 53);
	cv.x[0] = &rt0;
	t = dns_lookup(&cv, t, "cloud6.hik-connect.example", DNS_AAAA,
	    dns_tab) + 200 * MSEC;

	/* segment routing header (type 4), segments left 0 */
	xc_init(&rt4);
	xc_routing(&rt4, 4, 0, srh, 2);
	xc_done(&rt4, IPPROTO_UDP);
	conv_init(&cv, c, &l, IPPROTO_UDP, CAM6_IP, d[CAM11].mac, eport(c),
	    RES6_IP, RES_MAC, 53);
	cv.x[0] = &rt4;
	t = dns_lookup(&cv, t, "update.vendor-cloud.example", DNS_AAAA,
	    dns_tab) + 200 * MSEC;

	/* destination options both ways */
	xc_init(&dst);
	xc_opts(&dst, IPPROTO_DSTOPTS, tel, sizeof(tel));
	xc_done(&dst, IPPROTO_UDP);
	conv_init(&cv, c, &l, IPPROTO_UDP, CAM6_IP, d[CAM11].mac, 123,
	    NTP6_IP, NTP_MAC, 123);
	cv.x[0] = cv.x[1] = &dst;
	t = ntp_exchange(&cv, t) + 200 * MSEC;

	/* AH on TCP */
	xc_init(&ah);
	xc_ah(&ah, c, 0x0000c0de, 1);
	xc_done(&ah, IPPROTO_TCP);
	conv_init(&cv, c, &l, IPPROTO_TCP, CAM6_IP, d[CAM11].mac, eport(c),
	    NVR6_IP, NVR_MAC, 8000);
	cv.x[0] = cv.x[1] = &ah;
	t = tcp_open(&cv, t);
	t = tcp_close(&cv, 0, t + 2 * MSEC) + 200 * MSEC;

	/* hop-by-hop, dest options, routing, AH, dest options, UDP */
	xc_init(&chain);
	xc_opts(&chain, IPPROTO_HOPOPTS, ra, sizeof(ra));
	xc_opts(&chain, IPPROTO_DSTOPTS, tel, sizeof(tel));
	xc_routing(&chain, 0, 0, rh0, 2);
	xc_ah(&chain, c, 0x0000c0df, 7);
	xc_opts(&chain, IPPROTO_DSTOPTS, NULL, 0);
	xc_done(&chain, IPPROTO_UDP);
	conv_init(&cv, c, &l, IPPROTO_UDP, CAM6_IP, d[CAM11].mac, eport(c),
	    NVR6_IP, NVR_MAC, 514);
	cv.x[0] = &chain;
	w.len = 0;
	put_str(&w, "<134>Mar  2 08:00:02 cam-11 chain: five headers");
	udp_send(&cv, 0, t, w.p, w.len);
	t += 200 * MSEC;

	/* ten extension headers: deeper than a decoder should follow */
	xc_init(&deep);
	xc_opts(&deep, IPPROTO_HOPOPTS, NULL, 0);
	for (i = 0; i < 9; i++)
		xc_opts(&deep, IPPROTO_DSTOPTS, NULL, 0);
	xc_done(&deep, IPPROTO_UDP);
	cv.x[0] = &deep;
	w.len = 0;
	put_str(&w, "<134>Mar  2 08:00:02 cam-11 chain: ten headers");
	udp_send(&cv, 0, t, w.p, w.len);
	t += 200 * MSEC;

	/* the payload length ends inside the destination options header */
	xc_init(&cut);
	xc_opts(&cut, IPPROTO_HOPOPTS, NULL, 0);
	xc_opts(&cut, IPPROTO_DSTOPTS, tel, sizeof(tel));
	xc_done(&cut, IPPROTO_UDP);
	cv.x[0] = &cut;
	w.len = 0;
	put_str(&w, "<134>Mar  2 08:00:02 cam-11 chain: cut short");
	udp_hdr(&cv, 0, &req, w.p, w.len);
	pkt_from(&cv, 0, &p);
	l4_cksum(p.af, p.src, p.dst, p.proto, req.p, req.len);
	ip.len = 0;
	ip_build(&ip, &p, req.p, req.len);
	set_u16(&ip, 4, 12);
	emit_ip(c, &l, t, &p, 0, ip.p, ip.len);
	t += 200 * MSEC;

	/* IPv4 with AH on TCP */
	xc_init(&ah4);
	xc_ah(&ah4, c, 0x0000beef, 1);
	xc_done(&ah4, IPPROTO_TCP);
	conv_init(&cv, c, &l, IPPROTO_TCP, d[CAM11].ip, d[CAM11].mac, eport(c),
	    NVR_IP, NVR_MAC, 8000);
	cv.x[0] = cv.x[1] = &ah4;
	t = tcp_open(&cv, t);
	t = tcp_close(&cv, 0, t + 2 * MSEC) + 200 * MSEC;

	/* IPv4 total length ends inside AH */
	tcp_hdr(&cv, 0, &req, TH_ACK, NULL, 0);
	pkt_from(&cv, 0, &p);
	l4_cksum(p.af, p.src, p.dst, p.proto, req.p, req.len);
	ip.len = 0;
	ip_build(&ip, &p, req.p, req.len);
	set_u16(&ip, 2, 20 + 12);
	ip4_cksum(ip.p, 20);
	emit_ip(c, &l, t, &p, 0, ip.p, ip.len);
}

/* snaplen.pcap: snaplen 64, and one record cut to 40 bytes. */
void
gen_snaplen(struct cap *c)
{
	const struct sitedev *d = site_devs;
	struct link	 l20, l30, l0;
	struct conv	 cv;
	struct wbuf	 w;
	uint64_t	 t = T0;

	link_vlan(&l20, 20);
	link_vlan(&l30, 30);
	link_eth(&l0);
	conv_init(&cv, c, &l30, IPPROTO_TCP, d[ANPR22].ip, d[ANPR22].mac,
	    eport(c), "198.51.100.20", GW30_MAC, 80);
	t = http_get(&cv, t, "fw.anpr-vendor.example", "/anpr/firmware/v4.bin",
	    "ANPR-Cam/4.2.1 (iDS-TCM403)", 8000) + 200 * MSEC;
	t = mini_udp(c, &l20, t, d[CAM11].ip, d[CAM11].mac, RTP_PORT, NVR_IP,
	    NVR_MAC, 50000, 10, 1200, 0) + 100 * MSEC;
	t = mini_dns(c, &l20, t, CAM6_IP, d[CAM11].mac, RES6_IP, RES_MAC,
	    "update.vendor-cloud.example", DNS_AAAA) + 200 * MSEC;

	/* the data segment is kept to 40 bytes: 14 + 20 + 6 of TCP */
	conv_init(&cv, c, &l0, IPPROTO_TCP, d[FP32].ip, d[FP32].mac, eport(c),
	    CTRL_IP, CTRL_MAC, 4370);
	t = tcp_open(&cv, t);
	zk_frame(&w, 1000, 0, 0, NULL);
	c->cutnext = 40;
	tcp_seg(&cv, 0, t + 300, TH_ACK | TH_PSH, w.p, w.len);
	t += 300 + turn(&cv, 0);
	zk_frame(&w, 2000, 0x4a1, 0, NULL);
	tcp_seg(&cv, 1, t, TH_ACK | TH_PSH, w.p, w.len);
	tcp_ack(&cv, 0, t + turn(&cv, 1));
	tcp_close(&cv, 0, t + 10 * MSEC);
}

/* duplicates.pcap: SPAN copies and a real retransmission. */
void
gen_dup(struct cap *c)
{
	const struct sitedev *d = site_devs;
	struct link	 l;
	struct conv	 cv;
	struct wbuf	 w, req, resp;
	uint64_t	 t = T0;
	uint32_t	 seq;
	int		 k;

	/* every packet twice, the copy with TTL - 1 */
	link_vlan(&l, 20);
	l.dup = DUP_TTL;
	conv_init(&cv, c, &l, IPPROTO_TCP, NVR_IP, NVR_MAC, eport(c),
	    d[CAM11].ip, d[CAM11].mac, 554);
	t = tcp_open(&cv, t);
	req.len = 0;
	put_str(&req, "OPTIONS rtsp://10.20.1.11:554/ RTSP/1.0\r\nCSeq: 1\r\n"
	    "User-Agent: NVR-RTSP/4.1\r\n\r\n");
	resp.len = 0;
	put_str(&resp, "RTSP/1.0 200 OK\r\nCSeq: 1\r\n"
	    "Public: OPTIONS, DESCRIBE, SETUP, PLAY, TEARDOWN\r\n\r\n");
	t = tcp_xchg(&cv, t + MSEC, &req, &resp);
	t = tcp_close(&cv, 0, t + 2 * MSEC) + 100 * MSEC;

	/* routed: ingress on VLAN 30, egress copy on VLAN 20, TTL - 1 */
	link_vlan(&l, 30);
	l.dup = DUP_VLAN;
	l.dupvlan = 20;
	l.dupmacs = 1;
	mac_aton(GW20_MAC, l.dupsmac);
	mac_aton(NVR_MAC, l.dupdmac);
	conv_init(&cv, c, &l, IPPROTO_UDP, d[ANPR21].ip, d[ANPR21].mac,
	    RTP_PORT, NVR_IP, GW30_MAC, 50010);
	for (k = 0; k < 8; k++) {
		rtp_packet(&w, c, 100 + k, 90000 * k / 25, 0x0badcafe, k == 0,
		    rnd_range(&c->rng, 900, 1100));
		udp_send(&cv, 0, t, w.p, w.len);
		t += 40 * MSEC;
	}

	/* byte-identical copies */
	link_vlan(&l, 20);
	l.dup = DUP_EXACT;
	t = mini_dns(c, &l, t + 100 * MSEC, d[CAM12].ip, d[CAM12].mac,
	    RES_IP, RES_MAC, "api.hik-connect.example", DNS_A) + 100 * MSEC;

	/* a true retransmission 300 ms later, new IP ID, not a duplicate */
	link_vlan(&l, 20);
	conv_init(&cv, c, &l, IPPROTO_TCP, d[CAM12].ip, d[CAM12].mac, eport(c),
	    "203.0.113.7", GW20_MAC, 443);
	t = tcp_open(&cv, t);
	req.len = 0;
	tls_hello(&req, c, "api.hik-connect.example", c->pool);
	seq = cv.ep[0].seq;
	tcp_send(&cv, 0, t, req.p, req.len);
	cv.ep[0].seq = seq;
	t = tcp_send(&cv, 0, t + 300 * MSEC, req.p, req.len);
	t += turn(&cv, 0);
	resp.len = 0;
	tls_server_hello(&resp, c, c->pool);
	tls_ccs(&resp);
	tls_appdata(&resp, c, 2800);
	t = tcp_send(&cv, 1, t, resp.p, resp.len);
	tcp_ack(&cv, 0, t + turn(&cv, 1));
	t = tcp_close(&cv, 0, t + 5 * MSEC) + 100 * MSEC;

	/* not duplicated */
	mini_ntp(c, &l, t, d[CAM13].ip, d[CAM13].mac, NTP_IP, NTP_MAC);
}

/* Queues an Ethernet frame around a payload, padded to 60 bytes. */
static void
eth_raw(struct cap *c, uint64_t t, const char *dmac, const char *smac,
    uint16_t etype, const uint8_t *payload, size_t len)
{
	struct wbuf	 f;
	uint8_t		 m[6];

	f.len = 0;
	mac_aton(dmac, m);
	put_bytes(&f, m, 6);
	mac_aton(smac, m);
	put_bytes(&f, m, 6);
	put_u16(&f, etype);
	put_bytes(&f, payload, len);
	eth_pad(&f);
	cap_add(c, t, f.p, f.len, f.len);
}

/* Writes a good IPv4/UDP packet from cv's client into ip. */
static void
udp4_packet(struct conv *cv, struct wbuf *ip, const char *msg)
{
	struct wbuf	 w;
	struct pkt	 p;

	udp_hdr(cv, 0, &w, (const uint8_t *)msg, strlen(msg));
	pkt_from(cv, 0, &p);
	l4_cksum(p.af, p.src, p.dst, p.proto, w.p, w.len);
	ip->len = 0;
	ip_build(ip, &p, w.p, w.len);
}

/* malformed.pcap: one defect per frame between good traffic. */
void
gen_malformed(struct cap *c)
{
	static const uint8_t ra[] = { 0x94, 0x04, 0x00, 0x00 };
	const struct sitedev *d = site_devs, *cam = &d[CAM12];
	const char	*msg = "<134>Mar  2 08:00:10 cam-12 syslog test";
	struct link	 l;
	struct conv	 cv, v6, gre;
	struct wbuf	 w, ip, inner;
	struct pkt	 p;
	uint8_t		 zero[60];
	uint64_t	 t = T0 + SEC;

	link_eth(&l);
	mini_http(c, &l, T0, d[CAM11].ip, d[CAM11].mac, 0, NVR_IP, NVR_MAC,
	    NVR_IP);
	conv_init(&cv, c, &l, IPPROTO_UDP, cam->ip, cam->mac, 40514, NVR_IP,
	    NVR_MAC, 514);

	/* 1: 10 bytes, shorter than an Ethernet header */
	mac_aton(NVR_MAC, zero);
	mac_aton(cam->mac, zero + 6);
	cap_add(c, t, zero, 10, 10);
	t += SEC;

	/* 2: IPv4 version 5 */
	udp4_packet(&cv, &ip, msg);
	ip.p[0] = 0x55;
	ip4_cksum(ip.p, 20);
	eth_raw(c, t, NVR_MAC, cam->mac, ETH_IPV4, ip.p, ip.len);
	t += SEC;

	/* 3: IHL 3 */
	udp4_packet(&cv, &ip, msg);
	ip.p[0] = 0x43;
	ip4_cksum(ip.p, 20);
	eth_raw(c, t, NVR_MAC, cam->mac, ETH_IPV4, ip.p, ip.len);
	t += SEC;

	/* 4: total length 16, less than the header */
	udp4_packet(&cv, &ip, msg);
	set_u16(&ip, 2, 16);
	ip4_cksum(ip.p, 20);
	eth_raw(c, t, NVR_MAC, cam->mac, ETH_IPV4, ip.p, ip.len);
	t += SEC;

	/* 5: total length 1500, frame much shorter (caplen == len) */
	udp4_packet(&cv, &ip, msg);
	set_u16(&ip, 2, 1500);
	ip4_cksum(ip.p, 20);
	eth_raw(c, t, NVR_MAC, cam->mac, ETH_IPV4, ip.p, ip.len);
	t += SEC;

	/* 6: IHL 6 with a router alert option: valid */
	cv.opt = ra;
	cv.optlen = sizeof(ra);
	udp_send(&cv, 0, t, (const uint8_t *)msg, strlen(msg));
	cv.opt = NULL;
	cv.optlen = 0;
	t += SEC;

	mini_dns(c, &l, t - 500 * MSEC, d[CAM11].ip, d[CAM11].mac, RES_IP,
	    RES_MAC, "api.hik-connect.example", DNS_A);

	/* 7: TCP data offset 3 */
	conv_init(&gre, c, &l, IPPROTO_TCP, cam->ip, cam->mac, 40080, NVR_IP,
	    NVR_MAC, 80);
	tcp_hdr(&gre, 0, &w, TH_ACK | TH_PSH, (const uint8_t *)msg, 20);
	w.p[12] = 3 << 4;
	pkt_from(&gre, 0, &p);
	emit_pkt(c, &l, t, &p, w.p, w.len);
	t += SEC;

	/* 8: TCP header cut at 10 bytes by the IP total length */
	tcp_hdr(&gre, 0, &w, TH_ACK, NULL, 0);
	w.len = 10;
	pkt_from(&gre, 0, &p);
	emit_pkt(c, &l, t, &p, w.p, w.len);
	t += SEC;

	/* 9: UDP length 4 */
	udp_hdr(&cv, 0, &w, (const uint8_t *)msg, 12);
	set_u16(&w, 4, 4);
	pkt_from(&cv, 0, &p);
	emit_pkt(c, &l, t, &p, w.p, w.len);
	t += SEC;

	/* 10: ICMP message of 2 bytes */
	conv_init(&gre, c, &l, IPPROTO_ICMP, cam->ip, cam->mac, 0, NVR_IP,
	    NVR_MAC, 0);
	w.len = 0;
	put_u8(&w, 8);
	put_u8(&w, 0);
	pkt_from(&gre, 0, &p);
	emit_pkt(c, &l, t, &p, w.p, w.len);
	t += SEC;

	/* 11: version 4 in an IPv6 (0x86dd) frame */
	conv_init(&v6, c, &l, IPPROTO_UDP, CAM6_IP, cam->mac, 40514, NVR6_IP,
	    NVR_MAC, 514);
	udp4_packet(&v6, &ip, msg);
	ip.p[0] = 0x40 | (ip.p[0] & 0x0f);
	eth_raw(c, t, NVR_MAC, cam->mac, ETH_IPV6, ip.p, ip.len);
	t += SEC;

	/* 12: ARP who-has (not IP) */
	w.len = 0;
	put_u16(&w, 1);
	put_u16(&w, ETH_IPV4);
	put_u8(&w, 6);
	put_u8(&w, 4);
	put_u16(&w, 1);
	put_bytes(&w, cv.ep[0].mac, 6);
	put_bytes(&w, cv.ep[0].ip, 4);
	put_zero(&w, 6);
	put_bytes(&w, cv.ep[1].ip, 4);
	eth_raw(c, t, "ff:ff:ff:ff:ff:ff", cam->mac, ETH_ARP, w.p, w.len);
	t += SEC;

	/* 13: LLDP from the access switch (not IP) */
	w.len = 0;
	put_u16(&w, (1 << 9) | 7);		/* chassis ID: MAC */
	put_u8(&w, 4);
	mac_aton("00:02:fc:01:00:00", zero);
	put_bytes(&w, zero, 6);
	put_u16(&w, (2 << 9) | 9);		/* port ID: ifName */
	put_u8(&w, 5);
	put_str(&w, "Gi1/0/12");
	put_u16(&w, (3 << 9) | 2);		/* TTL */
	put_u16(&w, 120);
	put_u16(&w, (5 << 9) | 10);		/* system name */
	put_str(&w, "site-sw-01");
	put_u16(&w, 0);
	eth_raw(c, t, "01:80:c2:00:00:0e", "00:02:fc:01:00:0c", ETH_LLDP,
	    w.p, w.len);
	t += SEC;

	/* 14: GRE with the routing bit (RFC 1701, gone in RFC 2784) */
	udp4_packet(&cv, &inner, msg);
	w.len = 0;
	put_u16(&w, GRE_ROUTING);
	put_u16(&w, ETH_IPV4);
	put_u16(&w, 0);				/* checksum (absent) */
	put_u16(&w, 0);				/* offset */
	put_u32(&w, 0);				/* NULL SRE ends the list */
	put_bytes(&w, inner.p, inner.len);
	conv_init(&gre, c, &l, IPPROTO_GRE, "192.0.2.1", "00:02:fc:01:00:01",
	    0, "10.99.0.2", "00:1b:21:99:00:02", 0);
	pkt_from(&gre, 0, &p);
	emit_pkt(c, &l, t, &p, w.p, w.len);
	t += SEC;

	/* 15: sixty zero bytes */
	memset(zero, 0, sizeof(zero));
	cap_add(c, t, zero, sizeof(zero), sizeof(zero));
	t += SEC;

	mini_http(c, &l, t, d[CAM11].ip, d[CAM11].mac, 0, NVR_IP, NVR_MAC,
	    NVR_IP);
	udp_send(&cv, 0, t + 2 * SEC, (const uint8_t *)msg, strlen(msg));
}

/* tcp-states.pcap: every way a TCP (and UDP/ICMP) flow starts and ends. */
void
gen_tcp_states(struct cap *c)
{
	const struct sitedev *d = site_devs;
	struct link	 l20, l30, l0;
	struct conv	 cv;
	struct wbuf	 w, req, resp;
	uint64_t	 t, t2;
	uint32_t	 seq;
	int		 k;

	link_vlan(&l20, 20);
	link_vlan(&l30, 30);
	link_eth(&l0);

	/* capture starts mid-handshake: the first packet is the SYN-ACK */
	conv_init(&cv, c, &l20, IPPROTO_TCP, d[CAM11].ip, d[CAM11].mac, 40002,
	    "203.0.113.5", GW20_MAC, 443);
	cv.ep[0].seq++;
	t = T0;
	tcp_seg(&cv, 1, t, TH_SYN | TH_ACK, NULL, 0);
	t += turn(&cv, 1);
	tcp_ack(&cv, 0, t);
	tls_session(&cv, t + 200, "api.hik-connect.example", 200, 600);

	/* handshake, data, FIN close */
	conv_init(&cv, c, &l20, IPPROTO_TCP, d[CAM11].ip, d[CAM11].mac, 40001,
	    "203.0.113.5", GW20_MAC, 443);
	t = tcp_open(&cv, T0 + 2 * SEC);
	tls_session(&cv, t + 200, "api.hik-connect.example", 200, 600);

	/* closed by a reset from the server */
	conv_init(&cv, c, &l20, IPPROTO_TCP, d[CAM12].ip, d[CAM12].mac,
	    eport(c), "203.0.113.6", GW20_MAC, 8080);
	t = tcp_open(&cv, T0 + 4 * SEC);
	req.len = 0;
	put_str(&req, "GET /cgi-bin/status HTTP/1.1\r\n"
	    "Host: 203.0.113.6\r\n\r\n");
	t = tcp_send(&cv, 0, t + 200, req.p, req.len);
	tcp_seg(&cv, 1, t + turn(&cv, 0), TH_RST | TH_ACK, NULL, 0);

	/* a SYN nobody answers, retransmitted after 1 s and 3 s */
	conv_init(&cv, c, &l20, IPPROTO_TCP, d[CAM13].ip, d[CAM13].mac,
	    eport(c), "203.0.113.8", GW20_MAC, 23);
	seq = cv.ep[0].seq;
	for (k = 0; k < 3; k++) {
		cv.ep[0].seq = seq;
		tcp_seg(&cv, 0, T0 + 6 * SEC + (k == 0 ? 0 : (1 << k) - 1) *
		    SEC, TH_SYN, NULL, 0);
	}

	/* first seen mid-stream: no handshake */
	conv_init(&cv, c, &l20, IPPROTO_TCP, d[CAM14].ip, d[CAM14].mac, 45000,
	    "198.51.100.7", GW20_MAC, 443);
	t = T0 + 8 * SEC;
	w.len = 0;
	tls_appdata(&w, c, 300);
	t = tcp_send(&cv, 0, t, w.p, w.len) + turn(&cv, 0);
	w.len = 0;
	tls_appdata(&w, c, 1200);
	t = tcp_send(&cv, 1, t, w.p, w.len) + turn(&cv, 1);
	tcp_ack(&cv, 0, t);
	tcp_close(&cv, 0, t + 20 * MSEC);

	/* one direction only: the server's packets take another path */
	conv_init(&cv, c, &l30, IPPROTO_TCP, d[ANPR21].ip, d[ANPR21].mac,
	    eport(c), "203.0.113.9", GW30_MAC, 443);
	t = T0 + 10 * SEC;
	tcp_seg(&cv, 0, t, TH_SYN, NULL, 0);
	cv.ep[1].seq++;
	t += cv.rtt;
	tcp_ack(&cv, 0, t);
	w.len = 0;
	tls_hello(&w, c, "api.hik-connect.example", c->pool);
	t = tcp_send(&cv, 0, t + 100, w.p, w.len);
	cv.ep[1].seq += 3000;
	t += cv.rtt;
	tcp_ack(&cv, 0, t);
	tcp_seg(&cv, 0, t + 30 * MSEC, TH_FIN | TH_ACK, NULL, 0);
	cv.ep[1].seq++;
	tcp_ack(&cv, 0, t + 30 * MSEC + cv.rtt);

	/* port reuse: a new SYN on the same 5-tuple after a FIN close */
	conv_init(&cv, c, &l20, IPPROTO_TCP, d[CAM12].ip, d[CAM12].mac, 50000,
	    "198.51.100.10", GW20_MAC, 80);
	t = http_get(&cv, T0 + 12 * SEC, "198.51.100.10", "/ping",
	    "cam-agent/1.0", 40);
	seq = cv.ep[0].seq;
	conv_init(&cv, c, &l20, IPPROTO_TCP, d[CAM12].ip, d[CAM12].mac, 50000,
	    "198.51.100.10", GW20_MAC, 80);
	cv.ep[0].seq = seq + 250000;
	http_get(&cv, t + 2 * SEC, "198.51.100.10", "/ping", "cam-agent/1.0",
	    40);

	/* UDP idle for 90 s, then again */
	conv_init(&cv, c, &l20, IPPROTO_UDP, d[CAM13].ip, d[CAM13].mac, 47808,
	    "198.51.100.11", GW20_MAC, 9999);
	t = T0 + 20 * SEC;
	for (k = 0; k < 6; k++) {
		w.len = 0;
		put_fmt(&w, "{\"seq\":%d,\"temp\":41.5}", k);
		udp_send(&cv, 0, t, w.p, w.len);
		udp_send(&cv, 1, t + turn(&cv, 0), w.p, 10);
		t += k == 2 ? 90 * SEC : 2 * SEC;
	}

	/* open for 12 minutes, a message a minute */
	conv_init(&cv, c, &l0, IPPROTO_TCP, d[FP31].ip, d[FP31].mac, eport(c),
	    "203.0.113.20", GW40_MAC, 8883);
	t = tcp_open(&cv, T0 + 25 * SEC);
	for (k = 1; k <= 12; k++) {
		w.len = 0;
		tls_appdata(&w, c, 64);
		t2 = T0 + 25 * SEC + k * MIN;
		tcp_send(&cv, 0, t2, w.p, w.len);
		tcp_ack(&cv, 1, t2 + turn(&cv, 0));
	}
	tcp_close(&cv, 0, T0 + 25 * SEC + 12 * MIN + 30 * SEC);

	/* ICMP and ICMPv6 echo */
	conv_init(&cv, c, &l20, IPPROTO_ICMP, d[CAM14].ip, d[CAM14].mac, 0,
	    "198.51.100.1", GW20_MAC, 0);
	icmp_echo(&cv, T0 + 30 * SEC, 0x1d2e, 1);
	icmp_echo(&cv, T0 + 31 * SEC, 0x1d2e, 2);
	conv_init(&cv, c, &l20, IPPROTO_ICMPV6, CAM6_IP, d[CAM11].mac, 0,
	    "2001:db8::1", GW20_MAC, 0);
	icmp_echo(&cv, T0 + 32 * SEC, 0x1d2f, 1);

	/* between two private hosts */
	conv_init(&cv, c, &l0, IPPROTO_TCP, d[FP32].ip, d[FP32].mac, eport(c),
	    CTRL_IP, CTRL_MAC, 4370);
	t = tcp_open(&cv, T0 + 35 * SEC);
	zk_frame(&req, 1000, 0, 0, NULL);
	zk_frame(&resp, 2000, 0x77, 0, NULL);
	t = tcp_xchg(&cv, t, &req, &resp);
	tcp_close(&cv, 0, t + 5 * MSEC);

	/* between two public hosts, passing through */
	conv_init(&cv, c, &l0, IPPROTO_TCP, "198.51.100.1", "00:02:fc:01:00:01",
	    eport(c), "203.0.113.1", GW40_MAC, 80);
	http_get(&cv, T0 + 37 * SEC, "203.0.113.1", "/", "Mozilla/5.0", 300);

	/* a private host and a CGNAT (100.64/10) one */
	mini_dns(c, &l20, T0 + 39 * SEC, d[CAM11].ip, d[CAM11].mac,
	    "100.64.1.1", GW20_MAC, "api.hik-connect.example", DNS_A);

	/* two fd00::/8 hosts */
	conv_init(&cv, c, &l20, IPPROTO_TCP, CAM6_IP, d[CAM11].mac, eport(c),
	    NVR6_IP, NVR_MAC, 80);
	http_get(&cv, T0 + 41 * SEC, "[fd00:20::5]", "/status.json",
	    "cam-agent/1.0", 200);
}
