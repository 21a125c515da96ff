/*
 * pcapgen.h: what the files of the capture generator share: the
 * constants, the structures of a capture, a link, a packet and a
 * conversation, the demo site's addresses, and each file's functions
 * the others call.
 */
#ifndef EGRESSD_PCAPGEN_H
#define EGRESSD_PCAPGEN_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <pcap/pcap.h>

/* 2026-03-02 08:00:00 UTC in microseconds */
#define T0		((uint64_t)1772438400000000)
#define SEC		((uint64_t)1000000)
#define MSEC		((uint64_t)1000)
#define MLKEM768_SHARE	1216	/* X25519MLKEM768 key share bytes */
#define QUIC_DGRAM_MIN	1200	/* a client Initial datagram, RFC 9000 14.1 */
#define MIN		(60 * SEC)

#define WBUF_MAX	(72 * 1024)
#define HEAP_ESIZE_MAX	128		/* bytes of one heap element */
#define SNAP_FULL	262144
#define SNAP_BENCH	128
#define POOL_SIZE	(64 * 1024)

#define TH_FIN		0x01
#define TH_SYN		0x02
#define TH_RST		0x04
#define TH_PSH		0x08
#define TH_ACK		0x10

#define IP_DF		0x4000
#define IP_MF		0x2000

#define GRE_ROUTING	0x4000
#define GRE_KEY		0x2000
#define GRE_SEQ		0x1000

#define ETH_IPV4	0x0800
#define ETH_ARP		0x0806
#define ETH_VLAN	0x8100
#define ETH_IPV6	0x86dd
#define ETH_QINQ	0x88a8
#define ETH_LLDP	0x88cc
#define ETH_QINQ_OLD	0x9100

#define DNS_A		1
#define DNS_CNAME	5
#define DNS_SOA		6
#define DNS_AAAA	28

#define FMT_PCAP	0
#define FMT_PCAPNG	1
#define FMT_CUT		2
#define FMT_PCAPNG_MIX	3

#define RTP_PORT	15000	/* cameras' RTP source port */
#define CUT_KEEP	37	/* bytes left of the last record in cut.pcap */
#define CUT_CAPLEN	200

enum {
	DUP_NONE,
	DUP_TTL,		/* copy with TTL - 1, same tag */
	DUP_VLAN,		/* copy with TTL - 1, other VLAN and MACs */
	DUP_EXACT		/* byte-identical copy */
};

enum {
	TUN_ERSPAN1 = 1,	/* GRE 0x88be, no sequence, no header */
	TUN_ERSPAN2,		/* GRE 0x88be + sequence, 8-byte header v1 */
	TUN_ERSPAN3,		/* GRE 0x22eb + sequence, 12-byte header v2 */
	TUN_TEB,		/* GRE 0x6558 with a key */
	TUN_BADGRE,		/* GRE version 3 */
	TUN_BADERSPAN,		/* ERSPAN header version 3 */
	TUN_VXLAN		/* UDP to 4789, VXLAN header (RFC 7348) */
};

/* A packet under construction. */
struct wbuf {
	size_t		 len;
	uint8_t		 p[WBUF_MAX];
};

/* One captured packet waiting in the time-ordered heap. */
struct rec {
	uint64_t	 ts;		/* microseconds since the epoch */
	uint64_t	 seq;		/* generation order, breaks ties */
	uint32_t	 len;		/* length on the wire */
	uint32_t	 caplen;
	uint32_t	 ifid;		/* pcapng interface */
	const char	*comment;	/* pcapng opt_comment */
	uint8_t		*data;
};

/* A capture being generated: records in a min-heap and the PRNG. */
struct cap {
	struct rec	*heap;
	size_t		 n;
	size_t		 size;
	uint64_t	 seq;
	uint64_t	 rng;
	uint32_t	 snaplen;
	uint32_t	 cutnext;	/* caplen of the next record, if set */
	uint32_t	 ifid;
	const char	*comment;
	uint8_t		*pool;		/* random bytes for bulk payloads */
};

/* A pcapng interface: its name, link type, snapshot length, units. */
struct ng_iface {
	const char	*name;
	uint16_t	 linktype;
	uint32_t	 snaplen;
	int		 nsec;		/* if_tsresol 9, else microseconds */
};

/* Where records go: a libpcap dumper or a pcapng stream. */
struct out {
	FILE		*fp;
	pcap_t		*pd;
	pcap_dumper_t	*pdump;
	int		 ng;
	const struct ng_iface *ifs;	/* pcapng */
	uint64_t	 count;
	uint64_t	 lastts;
	uint32_t	 lastcap;
};

/* GRE/ERSPAN encapsulation applied to finished Ethernet frames. */
struct tun {
	int		 kind;
	int		 obit;
	uint16_t	 session;
	uint16_t	 vlan;
	uint16_t	 ovlan;		/* the outer frame's tag, 0: none */
	uint16_t	 ipid;
	uint32_t	 seq;
	uint32_t	 key;
	uint32_t	 index;
	uint8_t		 src[16];
	uint8_t		 dst[16];
	uint8_t		 smac[6];
	uint8_t		 dmac[6];
};

/* How IP packets are framed for one capture link type. */
struct link {
	int		 dlt;
	int		 ntag;
	uint16_t	 tpid[8];
	uint16_t	 tci[8];
	uint32_t	 af6;		/* DLT_NULL/DLT_LOOP family of IPv6 */
	uint32_t	 ifindex;	/* DLT_LINUX_SLL2 */
	struct tun	*tun;
	int		 dup;
	uint16_t	 dupvlan;
	int		 dupmacs;
	uint8_t		 dupsmac[6];
	uint8_t		 dupdmac[6];
};

/* A chain of IPv6 extension headers (or IPv4 AH). */
struct xchain {
	struct wbuf	 b;
	int		 n;
	uint8_t		 first;
	uint8_t		 type[16];
	size_t		 off[16];
};

/* Everything needed to put one IP header in front of a payload. */
struct pkt {
	int		 af;
	const uint8_t	*src;
	const uint8_t	*dst;
	const uint8_t	*smac;
	const uint8_t	*dmac;
	uint8_t		 proto;
	uint8_t		 ttl;
	uint16_t	 id;
	uint16_t	 frag;
	uint32_t	 flowlabel;
	int		 out;		/* sent by the capturing host */
	const uint8_t	*ext;
	size_t		 extlen;
	uint8_t		 extfirst;
	const uint8_t	*opt;
	size_t		 optlen;
};

/* One side of a conversation. */
struct ep {
	uint8_t		 ip[16];
	uint8_t		 mac[6];	/* next-hop MAC of frames to/from it */
	uint16_t	 port;
	uint8_t		 ttl;
	uint16_t	 ipid;
	uint32_t	 seq;
	uint16_t	 win;
};

/* A TCP, UDP or ICMP conversation; ep[0] is the client. */
struct conv {
	struct cap	*cap;
	struct link	 link;
	int		 af;
	uint8_t		 proto;
	int		 df;
	uint16_t	 mss;
	uint32_t	 flowlabel;
	uint64_t	 rtt;
	struct ep	 ep[2];
	const struct xchain *x[2];
	const uint8_t	*opt;
	size_t		 optlen;
};

/* A DNS resource record to put in an answer. */
struct dnsrr {
	const char	*name;
	uint16_t	 type;
	uint32_t	 ttl;
	const char	*data;		/* address, target name or SOA mname */
	const char	*data2;		/* SOA rname */
};

/* DNS message writer with name compression. */
struct dnsw {
	struct wbuf	*w;
	size_t		 base;
	int		 n;
	const char	*sfx[64];
	uint16_t	 off[64];
};

/* A name the site resolver knows. */
struct dnsent {
	const char	*name;
	const char	*cname;
	const char	*a;
	const char	*aaaa;
};

/* A device of the demo site. */
struct sitedev {
	const char	*ip;
	const char	*mac;
	uint16_t	 vlan;
	const char	*gw;
};

#define NVR_IP		"10.20.0.5"
#define NVR_MAC		"bc:ad:28:40:00:05"
#define RES_IP		"10.20.0.53"
#define RES_MAC		"00:25:90:20:00:35"
#define NTP_IP		"10.20.0.123"
#define NTP_MAC		"00:25:90:20:00:7b"
#define CTRL_IP		"10.40.0.2"
#define CTRL_MAC	"00:1b:21:40:00:02"
#define GW20_MAC	"00:00:0c:07:ac:14"
#define GW30_MAC	"00:00:0c:07:ac:1e"
#define GW40_MAC	"00:00:0c:07:ac:28"
#define CAM6_IP		"fd00:20::11"
#define RES6_IP		"fd00:20::53"
#define NTP6_IP		"fd00:20::123"
#define NVR6_IP		"fd00:20::5"
#define CLOUD6_IP	"2001:db8:beef::10"

enum { CAM11, CAM12, CAM13, CAM14, ANPR21, ANPR22, FP31, FP32 };

/* write.c */
uint64_t	rnd64(uint64_t *s);
uint64_t	rnd_range(uint64_t *s, uint64_t lo, uint64_t hi);
void	rnd_fill(uint64_t *s, uint8_t *buf, size_t len);
uint64_t	seed_of(const char *s);
uint8_t	*wb_room(struct wbuf *w, size_t n);
void	put_u8(struct wbuf *w, uint8_t v);
void	put_u16(struct wbuf *w, uint16_t v);
void	put_u32(struct wbuf *w, uint32_t v);
void	put_u32le(struct wbuf *w, uint32_t v);
void	put_bytes(struct wbuf *w, const void *data, size_t len);
void	put_zero(struct wbuf *w, size_t len);
void	put_str(struct wbuf *w, const char *s);
void	put_fmt(struct wbuf *w, const char *fmt, ...)
	    __attribute__((__format__(__printf__, 2, 3)));
void	put_pool(struct wbuf *w, struct cap *c, size_t len);
void	set_u16(struct wbuf *w, size_t off, uint16_t v);
size_t	len16(struct wbuf *w);
void	len16_done(struct wbuf *w, size_t off);
size_t	len24(struct wbuf *w);
void	len24_done(struct wbuf *w, size_t off);
void	*emalloc(size_t n);
void	cap_init(struct cap *c, uint64_t seed, uint32_t snaplen);
void	cap_free(struct cap *c);
void	heap_up(void *base, size_t esize, size_t n, int (*before)(const void *,
	    const void *));
void	heap_down(void *base, size_t esize, size_t n,
	    int (*before)(const void *, const void *));
void	cap_add(struct cap *c, uint64_t ts, const uint8_t *data, size_t len,
	    size_t caplen);
void	out_pcap(struct out *o, const char *path, int dlt, uint32_t snaplen);
void	out_pcapng(struct out *o, const char *path, const struct ng_iface *ifs,
	    int nif);
void	out_close(struct out *o, const char *path);
void	cap_drain(struct cap *c, struct out *o, uint64_t until, uint64_t max);

/* link.c */
void	link_eth(struct link *l);
void	link_tag(struct link *l, uint16_t tpid, uint16_t vid, uint8_t pcp);
void	link_vlan(struct link *l, uint16_t vid);
void	link_dlt(struct link *l, int dlt);
void	eth_pad(struct wbuf *w);
void	emit_ip(struct cap *c, const struct link *l, uint64_t t,
	    const struct pkt *p, int copy, const uint8_t *ip, size_t iplen);
void	emit_pkt(struct cap *c, const struct link *l, uint64_t t,
	    const struct pkt *p, uint8_t *l4, size_t len);
void	tun_init(struct tun *tn, struct cap *c, int kind, uint16_t session,
	    uint16_t vlan);

/* proto.c */
int	addr_aton(const char *s, uint8_t *ip);
void	mac_aton(const char *s, uint8_t *m);
void	l4_cksum(int af, const uint8_t *src, const uint8_t *dst, uint8_t proto,
	    uint8_t *l4, size_t len);
void	ip4_cksum(uint8_t *ip, size_t hlen);
void	ip_build(struct wbuf *w, const struct pkt *p, const uint8_t *l4,
	    size_t len);
void	conv_init(struct conv *cv, struct cap *c, const struct link *l,
	    uint8_t proto, const char *cip, const char *cmac, uint16_t cport,
	    const char *sip, const char *smac, uint16_t sport);
void	pkt_from(struct conv *cv, int dir, struct pkt *p);
uint64_t	turn(struct conv *cv, int dir);
void	tcp_hdr(struct conv *cv, int dir, struct wbuf *w, uint8_t flags,
	    const uint8_t *data, size_t len);
void	tcp_seg(struct conv *cv, int dir, uint64_t t, uint8_t flags,
	    const uint8_t *data, size_t len);
uint64_t	tcp_open(struct conv *cv, uint64_t t);
uint64_t	tcp_send(struct conv *cv, int dir, uint64_t t,
	    const uint8_t *data, size_t len);
void	tcp_ack(struct conv *cv, int dir, uint64_t t);
uint64_t	tcp_xchg(struct conv *cv, uint64_t t, const struct wbuf *req,
	    const struct wbuf *resp);
uint64_t	tcp_close(struct conv *cv, int dir, uint64_t t);
void	udp_hdr(struct conv *cv, int dir, struct wbuf *w, const uint8_t *data,
	    size_t len);
void	udp_send(struct conv *cv, int dir, uint64_t t, const uint8_t *data,
	    size_t len);
uint64_t	icmp_echo(struct conv *cv, uint64_t t, uint16_t id,
	    uint16_t seq);
void	xc_init(struct xchain *x);
void	xc_opts(struct xchain *x, uint8_t t, const uint8_t *opts, size_t len);
void	xc_routing(struct xchain *x, uint8_t rtype, uint8_t left,
	    const char **addrs, int n);
void	xc_ah(struct xchain *x, struct cap *c, uint32_t spi, uint32_t seq);
void	xc_done(struct xchain *x, uint8_t proto);
void	iso_time(char *buf, size_t len, uint64_t t, int sep);
void	dns_init(struct dnsw *d, struct wbuf *w, uint16_t id, uint16_t flags,
	    int qd, int an, int ns, int ar);
void	dns_question(struct dnsw *d, const char *name, uint16_t type);
void	dns_rr(struct dnsw *d, const struct dnsrr *rr);
void	dns_query(struct wbuf *w, uint16_t id, const char *name, uint16_t type);
uint64_t	dns_lookup(struct conv *cv, uint64_t t, const char *name,
	    uint16_t type, const struct dnsent *tab);
uint64_t	ntp_exchange(struct conv *cv, uint64_t t);
void	tls_hello(struct wbuf *w, struct cap *c, const char *sni,
	    const uint8_t *sid);
void	tls_server_hello(struct wbuf *w, struct cap *c, const uint8_t *sid);
void	tls_ccs(struct wbuf *w);
void	tls_appdata(struct wbuf *w, struct cap *c, size_t len);
uint64_t	tls_handshake(struct conv *cv, uint64_t t, const char *sni,
	    const size_t *up);
uint64_t	tls_session(struct conv *cv, uint64_t t, const char *sni,
	    size_t up, size_t down);
void	rtp_packet(struct wbuf *w, struct cap *c, uint16_t seq, uint32_t ts,
	    uint32_t ssrc, int idr, size_t len);
void	rtcp_sr(struct wbuf *w, uint64_t t, uint32_t ssrc, uint32_t rtpts,
	    uint32_t pkts, uint32_t octets, const char *cname);
void	rtcp_rr(struct wbuf *w, uint64_t t, uint32_t ssrc, uint32_t src,
	    uint32_t hiseq, uint64_t srtime, const char *cname);
void	zk_frame(struct wbuf *w, uint16_t cmd, uint16_t session, uint16_t reply,
	    const char *data);
void	mqtt_connect(struct wbuf *w, const char *id, uint16_t keepalive);
void	mqtt_publish(struct wbuf *w, const char *topic, const char *msg);
void	mqtt_short(struct wbuf *w, uint8_t type);
uint16_t	eport(struct cap *c);
uint64_t	http_get(struct conv *cv, uint64_t t, const char *host,
	    const char *path, const char *ua, size_t bodylen);
uint64_t	mini_http(struct cap *c, const struct link *l, uint64_t t,
	    const char *cip, const char *cmac, uint16_t cport, const char *sip,
	    const char *smac, const char *host);
uint64_t	mini_dns(struct cap *c, const struct link *l, uint64_t t,
	    const char *cip, const char *cmac, const char *sip,
	    const char *smac, const char *name, uint16_t type);
uint64_t	mini_ntp(struct cap *c, const struct link *l, uint64_t t,
	    const char *cip, const char *cmac, const char *sip,
	    const char *smac);
uint64_t	mini_syslog(struct cap *c, const struct link *l, uint64_t t,
	    const char *cip, const char *cmac, const char *sip,
	    const char *smac, const char *msg);
uint64_t	mini_udp(struct cap *c, const struct link *l, uint64_t t,
	    const char *cip, const char *cmac, uint16_t cport, const char *sip,
	    const char *smac, uint16_t sport, int n, size_t len, int both);
uint64_t	mini_query(struct cap *c, const struct link *l, uint64_t t,
	    const char *cip, const char *cmac, const char *sip,
	    const char *smac, const char *name);
void	quic_seal(struct wbuf *w, const uint8_t *dcid, size_t dcidlen,
	    const uint8_t *scid, size_t scidlen, uint32_t pn,
	    const uint8_t *frames, size_t flen);
void	quic_crypto(struct wbuf *w, const struct wbuf *m, size_t from,
	    size_t to, size_t pad);
void	quic_hello(struct wbuf *m, struct cap *c, const char *sni, int pq);

/* scen_site.c */
extern const struct sitedev site_devs[];
extern const struct dnsent dns_tab[];
uint64_t	site_lookup(struct cap *c, const struct sitedev *d, uint64_t t,
	    const char *name, int both);
void	site_ntp(struct cap *c, const struct sitedev *d, uint64_t t,
	    uint64_t end);
void	gen_site_demo(struct cap *c);

/* scen_link.c */
void	gen_link_sll(struct cap *c);
void	gen_link_sll2(struct cap *c);
void	gen_link_raw(struct cap *c);
void	gen_link_ipv4(struct cap *c);
void	gen_link_ipv6(struct cap *c);
void	gen_link_null(struct cap *c);
void	gen_link_loop(struct cap *c);
void	gen_vlan(struct cap *c);
void	gen_vxlan(struct cap *c);
void	gen_erspan(struct cap *c);

/* scen_ip.c */
void	gen_frag(struct cap *c);
void	gen_ipv6_ext(struct cap *c);
void	gen_snaplen(struct cap *c);
void	gen_dup(struct cap *c);
void	gen_malformed(struct cap *c);
void	gen_tcp_states(struct cap *c);

/* scen_file.c */
void	gen_cut(struct cap *c);
void	gen_pcapng_mixed(struct cap *c);
void	gen_pcapng(struct cap *c);

/* scen_app.c */
void	gen_dns_tcp(struct cap *c);
void	gen_policy(struct cap *c);
void	gen_quic(struct cap *c);

/* scen_bench.c */
void	bench_site(const char *path, uint64_t npkt, uint32_t napps);
void	bench_flows(const char *path, uint64_t npkt, uint64_t nflows);

/* scen_beacon.c */
void	beacon_list(void);
void	beacon_write(const char *name, uint64_t seed, const char *path);

#endif
