/*
 * The capture-file captures: cut.pcap (its last record cut short),
 * pcapng.pcapng and pcapng-mixed.pcapng (interfaces of four link
 * types).
 */
#include "config.h"

#include <netinet/in.h>

#include <pcap/pcap.h>
#include <stdint.h>
#include <string.h>

#include "pcapgen.h"

/* cut.pcap: ordinary traffic; the file is cut inside the last record. */
void
gen_cut(struct cap *c)
{
	const struct sitedev *cam = &site_devs[CAM11];
	struct link	 l;
	char		 msg[CUT_CAPLEN - 42 + 1];
	uint64_t	 t = T0;

	link_vlan(&l, 0);
	t = mini_http(c, &l, t, cam->ip, cam->mac, 0, "203.0.113.7",
	    GW20_MAC, "api.hik-connect.example") + 200 * MSEC;
	t = mini_dns(c, &l, t, cam->ip, cam->mac, RES_IP, RES_MAC,
	    "api.hik-connect.example", DNS_A) + 200 * MSEC;
	t = mini_ntp(c, &l, t, cam->ip, cam->mac, NTP_IP, NTP_MAC) +
	    200 * MSEC;
	/* 14 + 20 + 8 + 158 = 200 bytes */
	memset(msg, 'x', sizeof(msg) - 1);
	msg[sizeof(msg) - 1] = '\0';
	memcpy(msg, "<134>Mar  2 08:00:01 cam-11 log: ", 33);
	mini_syslog(c, &l, t, cam->ip, cam->mac, NVR_IP, NVR_MAC, msg);
}

/*
 * pcapng-mixed.pcapng: what libpcap will not read, four interfaces of
 * four link types: a USB capture first, whose one record egressd counts
 * and does not decode (usbmon0); a camera's HTTP and DNS on Ethernet
 * (eth0), a call home through a tunnel as raw IP cut to 96 bytes with
 * nanosecond time stamps (tun0), NTP and syslog on a Linux "any" capture
 * (SLL2).
 */
void
gen_pcapng_mixed(struct cap *c)
{
	const struct sitedev *d = site_devs;
	struct link	 le, lr, ls;
	uint64_t	 t = T0;
	uint8_t		 urb[64];
	size_t		 i;

	for (i = 0; i < sizeof(urb); i++)
		urb[i] = (uint8_t)(i * 37);
	c->ifid = 0;
	cap_add(c, t, urb, sizeof(urb), sizeof(urb));
	link_eth(&le);
	link_dlt(&lr, DLT_RAW);
	link_dlt(&ls, DLT_LINUX_SLL2);
	t += 10 * MSEC;
	c->ifid = 1;
	t = mini_http(c, &le, t, d[CAM11].ip, d[CAM11].mac, 0, "203.0.113.7",
	    GW20_MAC, "api.hik-connect.example") + 100 * MSEC;
	t = mini_dns(c, &le, t, d[CAM12].ip, d[CAM12].mac, RES_IP, RES_MAC,
	    "mqtt.vendor-cloud.example", DNS_A) + 100 * MSEC;
	c->ifid = 2;
	t = mini_http(c, &lr, t, d[ANPR22].ip, d[ANPR22].mac, 0,
	    "198.51.100.20", GW30_MAC, "fw.anpr-vendor.example") + 100 * MSEC;
	c->ifid = 3;
	t = mini_ntp(c, &ls, t, d[CAM12].ip, d[CAM12].mac, NTP_IP, NTP_MAC) +
	    100 * MSEC;
	t = mini_syslog(c, &ls, t, CAM6_IP, d[CAM11].mac, NVR6_IP, NVR_MAC,
	    "<134>Mar  2 08:00:01 cam-11 ipv6: address fd00:20::11 ready") +
	    100 * MSEC;
	c->ifid = 2;
	mini_dns(c, &lr, t, d[ANPR22].ip, d[ANPR22].mac, RES_IP, RES_MAC,
	    "fw.anpr-vendor.example", DNS_A);
}

/* pcapng.pcapng: two interfaces, a comment, an ISB at the end. */
void
gen_pcapng(struct cap *c)
{
	const struct sitedev *d = site_devs;
	struct link	 l;
	struct conv	 cv;
	uint64_t	 t = T0;

	link_eth(&l);
	c->ifid = 0;
	c->comment = "pcapgen: first packet, seen on eth0";
	t = mini_http(c, &l, t, d[CAM11].ip, d[CAM11].mac, 0, "203.0.113.7",
	    GW20_MAC, "api.hik-connect.example") + 100 * MSEC;
	c->ifid = 1;
	t = mini_dns(c, &l, t, d[CAM12].ip, d[CAM12].mac, RES_IP, RES_MAC,
	    "mqtt.vendor-cloud.example", DNS_A) + 100 * MSEC;
	t = mini_ntp(c, &l, t, d[CAM12].ip, d[CAM12].mac, NTP_IP, NTP_MAC) +
	    100 * MSEC;
	c->ifid = 0;
	t = mini_syslog(c, &l, t, CAM6_IP, d[CAM11].mac, NVR6_IP, NVR_MAC,
	    "<134>Mar  2 08:00:01 cam-11 ipv6: address fd00:20::11 ready") +
	    100 * MSEC;
	t = mini_syslog(c, &l, t, CAM6_IP, d[CAM11].mac, NVR6_IP, NVR_MAC,
	    "<134>Mar  2 08:00:01 cam-11 ipv6: default router fd00:20::1") +
	    100 * MSEC;
	c->ifid = 1;
	conv_init(&cv, c, &l, IPPROTO_ICMP, d[CAM14].ip, d[CAM14].mac, 0,
	    "198.51.100.1", GW20_MAC, 0);
	t = icmp_echo(&cv, t, 0x3a01, 1) + 100 * MSEC;
	c->ifid = 0;
	mini_udp(c, &l, t, d[CAM11].ip, d[CAM11].mac, RTP_PORT, NVR_IP, NVR_MAC,
	    50000, 3, 1000, 0);
}
