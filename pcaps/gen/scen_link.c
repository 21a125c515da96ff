/*
 * The link-type and tunnel captures: link-*.pcap (the same
 * conversations over SLL, SLL2, raw IP, IPv4, IPv6, DLT_NULL and
 * DLT_LOOP), vlan-qinq.pcap, vxlan.pcap and erspan.pcap.
 */
#include "config.h"

#include <netinet/in.h>

#include <pcap/pcap.h>
#include <stdint.h>

#include "pcapgen.h"

/*
 * TCP and UDP conversations over IPv4 and/or IPv6 for the link-type
 * captures; af6 gives the DLT_NULL/DLT_LOOP family of each IPv6 one.
 */
static void
link_mix(struct cap *c, int dlt, int v4, int v6, const uint32_t *af6)
{
	const struct sitedev *cam = &site_devs[CAM11];
	struct link	 l;
	uint64_t	 t = T0;

	link_dlt(&l, dlt);
	if (v4) {
		t = mini_http(c, &l, t, cam->ip, cam->mac, 0, "203.0.113.7",
		    GW20_MAC, "api.hik-connect.example") + 400 * MSEC;
		t = mini_dns(c, &l, t, cam->ip, cam->mac, RES_IP, RES_MAC,
		    "api.hik-connect.example", DNS_A) + 300 * MSEC;
		t = mini_ntp(c, &l, t, cam->ip, cam->mac, NTP_IP, NTP_MAC) +
		    200 * MSEC;
		t = mini_syslog(c, &l, t, cam->ip, cam->mac, NVR_IP, NVR_MAC,
		    "<134>Mar  2 08:00:03 cam-11 rtspd[212]: stream 101 "
		    "started") + 500 * MSEC;
	}
	if (v6) {
		l.af6 = af6[0];
		t = mini_http(c, &l, t, CAM6_IP, cam->mac, 0, CLOUD6_IP,
		    GW20_MAC, "cloud6.hik-connect.example") + 400 * MSEC;
		l.af6 = af6[1];
		t = mini_dns(c, &l, t, CAM6_IP, cam->mac, RES6_IP, RES_MAC,
		    "cloud6.hik-connect.example", DNS_AAAA) + 300 * MSEC;
		l.af6 = af6[2];
		t = mini_ntp(c, &l, t, CAM6_IP, cam->mac, NTP6_IP, NTP_MAC) +
		    200 * MSEC;
		l.af6 = af6[3];
		t = mini_syslog(c, &l, t, CAM6_IP, cam->mac, NVR6_IP, NVR_MAC,
		    "<134>Mar  2 08:00:06 cam-11 ntpd[98]: synchronized") +
		    500 * MSEC;
	}
	if (v4 && !v6)
		mini_http(c, &l, t, site_devs[ANPR22].ip, site_devs[ANPR22].mac,
		    0, "198.51.100.20", GW30_MAC, "fw.anpr-vendor.example");
	if (v6 && !v4)
		mini_http(c, &l, t, CAM6_IP, cam->mac, 0, "2001:db8:44::44",
		    GW20_MAC, "update.vendor-cloud.example");
}

static const uint32_t af6_linux[4] = { 10, 10, 10, 10 };
static const uint32_t af6_mixed[4] = { 24, 28, 30, 10 };
static const uint32_t af6_openbsd[4] = { 24, 24, 24, 24 };

/* link-sll.pcap: Linux cooked capture v1. */
void
gen_link_sll(struct cap *c)
{
	link_mix(c, DLT_LINUX_SLL, 1, 1, af6_linux);
}

/* link-sll2.pcap: Linux cooked capture v2. */
void
gen_link_sll2(struct cap *c)
{
	link_mix(c, DLT_LINUX_SLL2, 1, 1, af6_linux);
}

/* link-raw.pcap: raw IP, written as LINKTYPE_RAW (101). */
void
gen_link_raw(struct cap *c)
{
	link_mix(c, DLT_RAW, 1, 1, af6_linux);
}

/* link-ipv4.pcap: LINKTYPE_IPV4 (228). */
void
gen_link_ipv4(struct cap *c)
{
	link_mix(c, DLT_IPV4, 1, 0, af6_linux);
}

/* link-ipv6.pcap: LINKTYPE_IPV6 (229). */
void
gen_link_ipv6(struct cap *c)
{
	link_mix(c, DLT_IPV6, 0, 1, af6_linux);
}

/* link-null.pcap: BSD loopback, family in host (little-endian) order. */
void
gen_link_null(struct cap *c)
{
	link_mix(c, DLT_NULL, 1, 1, af6_mixed);
}

/* link-loop.pcap: OpenBSD loopback, family in network byte order. */
void
gen_link_loop(struct cap *c)
{
	link_mix(c, DLT_LOOP, 1, 1, af6_openbsd);
}

/* vlan-qinq.pcap: 802.1Q, 802.1ad and 0x9100 stacks, one too deep. */
void
gen_vlan(struct cap *c)
{
	const struct sitedev *d = site_devs;
	struct link	 l;
	struct conv	 cv;
	uint64_t	 t = T0;
	int		 i;

	link_vlan(&l, 20);
	t = mini_http(c, &l, t, d[CAM11].ip, d[CAM11].mac, 0, NVR_IP,
	    NVR_MAC, NVR_IP) + 300 * MSEC;

	/* the same 5-tuples in two VLANs: two flows each */
	link_vlan(&l, 100);
	t = mini_udp(c, &l, t, "10.50.0.10", "44:19:b6:50:00:0a", 5004,
	    "10.50.0.20", "bc:ad:28:50:00:14", 5004, 3, 160, 1);
	link_vlan(&l, 200);
	t = mini_udp(c, &l, t + 50 * MSEC, "10.50.0.10", "44:19:b6:60:00:0a",
	    5004, "10.50.0.20", "bc:ad:28:60:00:14", 5004, 3, 160, 1);
	link_vlan(&l, 100);
	t = mini_http(c, &l, t + 100 * MSEC, "10.50.0.10", "44:19:b6:50:00:0a",
	    41000, "10.50.0.20", "bc:ad:28:50:00:14", "10.50.0.20");
	link_vlan(&l, 200);
	t = mini_http(c, &l, t + 100 * MSEC, "10.50.0.10", "44:19:b6:60:00:0a",
	    41000, "10.50.0.20", "bc:ad:28:60:00:14", "10.50.0.20");

	/* 802.1ad S-tag 1000 over C-tag 20 */
	link_eth(&l);
	link_tag(&l, ETH_QINQ, 1000, 0);
	link_tag(&l, ETH_VLAN, 20, 0);
	t = mini_http(c, &l, t + 200 * MSEC, d[CAM12].ip, d[CAM12].mac, 0,
	    "203.0.113.7", GW20_MAC, "api.hik-connect.example");

	/* pre-standard 0x9100 outer tag 2000 over C-tag 30 */
	link_eth(&l);
	link_tag(&l, ETH_QINQ_OLD, 2000, 0);
	link_tag(&l, ETH_VLAN, 30, 0);
	t = mini_dns(c, &l, t + 200 * MSEC, d[ANPR21].ip, d[ANPR21].mac,
	    RES_IP, GW30_MAC, "fw.anpr-vendor.example", DNS_A);

	/* IPv6 in 802.1Q */
	link_vlan(&l, 20);
	conv_init(&cv, c, &l, IPPROTO_ICMPV6, CAM6_IP, d[CAM11].mac, 0,
	    NVR6_IP, NVR_MAC, 0);
	t = icmp_echo(&cv, t + 200 * MSEC, 0x0b17, 1);

	/* five stacked tags: deeper than a decoder should follow */
	link_eth(&l);
	link_tag(&l, ETH_QINQ, 1000, 0);
	for (i = 0; i < 4; i++)
		link_tag(&l, ETH_VLAN, 20 + i, 0);
	mini_query(c, &l, t + 300 * MSEC, d[CAM13].ip, d[CAM13].mac, RES_IP,
	    RES_MAC, "api.hik-connect.example");
}

/*
 * vxlan.pcap: a virtual network's traffic mirrored to the sensor in VXLAN
 * (as cloud traffic mirroring delivers it), the outer frames in VLAN 99:
 * a camera's HTTP call home with its frames tagged VLAN 20, DNS, NTP and
 * an IPv6 syslog message, untagged.
 */
void
gen_vxlan(struct cap *c)
{
	const struct sitedev *d = site_devs;
	struct tun	 vx;
	struct link	 l;
	uint64_t	 t = T0;

	tun_init(&vx, c, TUN_VXLAN, 0, 0);
	vx.key = 0x3039;			/* VNI 12345 */
	vx.ovlan = 99;
	addr_aton("10.99.0.1", vx.src);
	link_vlan(&l, 20);
	l.tun = &vx;
	t = mini_http(c, &l, t, d[CAM11].ip, d[CAM11].mac, 0, "203.0.113.7",
	    GW20_MAC, "api.hik-connect.example") + 200 * MSEC;
	link_eth(&l);
	l.tun = &vx;
	t = mini_dns(c, &l, t, d[CAM12].ip, d[CAM12].mac, RES_IP, RES_MAC,
	    "mqtt.vendor-cloud.example", DNS_A) + 200 * MSEC;
	t = mini_ntp(c, &l, t, d[CAM12].ip, d[CAM12].mac, NTP_IP, NTP_MAC) +
	    200 * MSEC;
	mini_syslog(c, &l, t, CAM6_IP, d[CAM11].mac, NVR6_IP, NVR_MAC,
	    "<134>Mar  2 08:00:01 cam-11 ipv6: address fd00:20::11 ready");
}

/* erspan.pcap: ERSPAN types I, II, III, GRE TEB and two bad headers. */
void
gen_erspan(struct cap *c)
{
	const struct sitedev *d = site_devs;
	struct tun	 t1, t2, t3, t3o, teb, badg, bade;
	struct link	 l;
	uint64_t	 t = T0;

	/* type II; the mirrored frames keep their VLAN 20 tag */
	tun_init(&t2, c, TUN_ERSPAN2, 100, 20);
	link_vlan(&l, 20);
	l.tun = &t2;
	t = mini_http(c, &l, t, d[CAM11].ip, d[CAM11].mac, 0, "203.0.113.7",
	    GW20_MAC, "api.hik-connect.example") + 200 * MSEC;
	t = mini_dns(c, &l, t, d[CAM11].ip, d[CAM11].mac, RES_IP, RES_MAC,
	    "api.hik-connect.example", DNS_A) + 200 * MSEC;

	/* type III, untagged frames */
	tun_init(&t3, c, TUN_ERSPAN3, 200, 30);
	link_eth(&l);
	l.tun = &t3;
	t = mini_udp(c, &l, t, d[ANPR21].ip, d[ANPR21].mac, RTP_PORT, NVR_IP,
	    GW30_MAC, 50010, 4, 900, 0) + 100 * MSEC;
	t = mini_dns(c, &l, t, d[ANPR21].ip, d[ANPR21].mac, RES_IP, GW30_MAC,
	    "fw.anpr-vendor.example", DNS_A) + 200 * MSEC;

	/* type III with the O bit and a platform sub-header */
	tun_init(&t3o, c, TUN_ERSPAN3, 201, 30);
	t3o.obit = 1;
	l.tun = &t3o;
	t = mini_ntp(c, &l, t, d[ANPR21].ip, d[ANPR21].mac, NTP_IP,
	    GW30_MAC) + 200 * MSEC;

	/* type I: the frame follows the 4-byte GRE header */
	tun_init(&t1, c, TUN_ERSPAN1, 0, 0);
	l.tun = &t1;
	t = mini_http(c, &l, t, d[CAM13].ip, d[CAM13].mac, 0, NVR_IP, NVR_MAC,
	    NVR_IP) + 200 * MSEC;

	/* transparent Ethernet bridging with a key */
	tun_init(&teb, c, TUN_TEB, 0, 0);
	l.tun = &teb;
	t = mini_dns(c, &l, t, d[CAM14].ip, d[CAM14].mac, RES_IP, RES_MAC,
	    "p2p.hik-connect.example", DNS_A) + 200 * MSEC;
	t = mini_ntp(c, &l, t, d[CAM14].ip, d[CAM14].mac, NTP_IP, NTP_MAC) +
	    200 * MSEC;

	/* GRE version 3, otherwise a good ERSPAN type II packet */
	tun_init(&badg, c, TUN_BADGRE, 300, 20);
	l.tun = &badg;
	t = mini_query(c, &l, t, d[CAM12].ip, d[CAM12].mac, RES_IP, RES_MAC,
	    "api.hik-connect.example") + 200 * MSEC;

	/* ERSPAN header version 3 */
	tun_init(&bade, c, TUN_BADERSPAN, 301, 20);
	l.tun = &bade;
	mini_query(c, &l, t, d[CAM12].ip, d[CAM12].mac, RES_IP, RES_MAC,
	    "api.hik-connect.example");
}
