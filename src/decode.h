/* decode.c: link, tunnel, IP and transport headers of one packet. */
#ifndef EGRESSD_DECODE_H
#define EGRESSD_DECODE_H

#include <stddef.h>
#include <stdint.h>

/*
 * Every malformed or unusual case has a named counter; the names are what
 * the summary and the stats print.  X(enum, "name").
 */
#define DECODE_COUNTERS(X)						\
	X(DC_PACKETS,		"decode.packets")			\
	X(DC_FLOW_PACKETS,	"decode.flow_packets")			\
	X(DC_FLOW_BYTES,	"decode.flow_ip_bytes")			\
	X(DC_IPV4,		"decode.ipv4.packets")			\
	X(DC_IPV6,		"decode.ipv6.packets")			\
	X(DC_TCP,		"decode.tcp.packets")			\
	X(DC_UDP,		"decode.udp.packets")			\
	X(DC_ICMP,		"decode.icmp.packets")			\
	X(DC_ICMPV6,		"decode.icmpv6.packets")		\
	X(DC_OTHER_PROTO,	"decode.ip.other_proto")		\
	X(DC_TRUNCATED,		"decode.truncated")			\
	X(DC_DUPLICATE,		"decode.duplicate")			\
	X(DC_DUPLICATE_EXCESS,	"decode.duplicate.excess")		\
	X(DC_NON_IP,		"decode.link.non_ip")			\
	X(DC_LINK_UNSUPPORTED,	"decode.link.unsupported")		\
	X(DC_ETH_SHORT,		"decode.eth.short")			\
	X(DC_VLAN_SHORT,	"decode.vlan.short")			\
	X(DC_VLAN_TOO_DEEP,	"decode.vlan.too_deep")			\
	X(DC_PPPOE,		"decode.pppoe.packets")			\
	X(DC_PPPOE_SHORT,	"decode.pppoe.short")			\
	X(DC_PPPOE_BAD,		"decode.pppoe.bad_header")		\
	X(DC_SLL_SHORT,		"decode.sll.short")			\
	X(DC_SLL2_SHORT,	"decode.sll2.short")			\
	X(DC_NULL_SHORT,	"decode.null.short")			\
	X(DC_NULL_FAMILY,	"decode.null.unknown_family")		\
	X(DC_RAW_VERSION,	"decode.raw.bad_version")		\
	X(DC_GRE,		"decode.gre.packets")			\
	X(DC_GRE_SHORT,		"decode.gre.short")			\
	X(DC_GRE_VERSION,	"decode.gre.bad_version")		\
	X(DC_GRE_TOO_DEEP,	"decode.gre.too_deep")			\
	X(DC_ERSPAN_SHORT,	"decode.erspan.short")			\
	X(DC_ERSPAN_VERSION,	"decode.erspan.bad_version")		\
	X(DC_VXLAN,		"decode.vxlan.packets")			\
	X(DC_VXLAN_SHORT,	"decode.vxlan.short")			\
	X(DC_VXLAN_TOO_DEEP,	"decode.vxlan.too_deep")		\
	X(DC_VXLAN_NOT_IP,	"decode.vxlan.not_ip")			\
	X(DC_VXLAN_FRAGMENT,	"decode.vxlan.fragment")		\
	X(DC_TUNNEL_OFF,	"decode.tunnel.not_entered")		\
	X(DC_TUNNEL_SOURCE,	"decode.tunnel.not_from_mirror")	\
	X(DC_MPLS,		"decode.mpls.packets")			\
	X(DC_MPLS_SHORT,	"decode.mpls.short")			\
	X(DC_MPLS_TOO_DEEP,	"decode.mpls.too_deep")			\
	X(DC_MPLS_PW,		"decode.mpls.pseudowire")		\
	X(DC_MPLS_NOT_IP,	"decode.mpls.not_ip")			\
	X(DC_IPV4_SHORT,	"decode.ipv4.short")			\
	X(DC_IPV4_VERSION,	"decode.ipv4.bad_version")		\
	X(DC_IPV4_HLEN,		"decode.ipv4.bad_hlen")			\
	X(DC_IPV4_LEN,		"decode.ipv4.bad_len")			\
	X(DC_IPV4_FRAG_FIRST,	"decode.ipv4.frag_first")		\
	X(DC_IPV4_FRAG_LATER,	"decode.ipv4.frag_later")		\
	X(DC_IPV6_SHORT,	"decode.ipv6.short")			\
	X(DC_IPV6_VERSION,	"decode.ipv6.bad_version")		\
	X(DC_IPV6_LEN,		"decode.ipv6.bad_len")			\
	X(DC_IPV6_EXT_SHORT,	"decode.ipv6.ext_short")		\
	X(DC_IPV6_EXT_TOO_DEEP,	"decode.ipv6.ext_too_deep")		\
	X(DC_IPV6_FRAG_FIRST,	"decode.ipv6.frag_first")		\
	X(DC_IPV6_FRAG_LATER,	"decode.ipv6.frag_later")		\
	X(DC_FRAG_ORPHAN,	"decode.frag.orphan")			\
	X(DC_FRAG_EVICTED,	"decode.frag.evicted")			\
	X(DC_TCP_SHORT,		"decode.tcp.short")			\
	X(DC_TCP_BAD_OFF,	"decode.tcp.bad_offset")		\
	X(DC_UDP_SHORT,		"decode.udp.short")			\
	X(DC_UDP_BAD_LEN,	"decode.udp.bad_len")			\
	X(DC_AH_SHORT,		"decode.ah.short")			\
	X(DC_SCTP_SHORT,	"decode.sctp.short")			\
	X(DC_ICMP_SHORT,	"decode.icmp.short")			\
	X(DC_ICMPV6_SHORT,	"decode.icmpv6.short")

#define DECODE_ENUM(e, s)	e,
enum decode_counter {
	DECODE_COUNTERS(DECODE_ENUM)
	DC_MAX
};
#undef DECODE_ENUM

/* Link types we decode (DLT values as pcap_datalink() returns them). */
#define DECODE_DLT_NULL		0
#define DECODE_DLT_EN10MB	1
#define DECODE_DLT_RAW		12
#define DECODE_DLT_RAW_OPENBSD	14
#define DECODE_DLT_RAW_LT	101
#define DECODE_DLT_LOOP		108
#define DECODE_DLT_LINUX_SLL	113
#define DECODE_DLT_IPV4		228
#define DECODE_DLT_IPV6		229
#define DECODE_DLT_LINUX_SLL2	276

#define DECODE_MAX_VLAN		4	/* tags walked before giving up */
#define DECODE_MAX_TUNNEL	3	/* GRE/ERSPAN/VXLAN nesting */
#define DECODE_MAX_IPV6_EXT	8	/* extension headers walked */
#define DECODE_MAX_MPLS		16	/* labels walked (SR-MPLS stacks) */
#define DECODE_MAX_SOURCES	64	/* mirror sources a tunnel may name */

/* Tunnels that may be entered (decode_set_tunnels); none by default. */
#define DECODE_TUN_GRE		0x01	/* GRE transparent Ethernet bridging */
#define DECODE_TUN_ERSPAN	0x02	/* ERSPAN I, II, III in GRE */
#define DECODE_TUN_VXLAN	0x04	/* VXLAN, UDP port 4789 */
#define DECODE_TUN_ALL		0x07

enum decode_result {
	DECODE_OK,		/* an IP packet, counted to a flow */
	DECODE_SKIP,		/* not IP, or not attributable: counted only */
	DECODE_DUP,		/* a SPAN duplicate, dropped */
	DECODE_END,		/* decode_next: no more packets in the frame */
};

enum decode_frag {
	DECODE_FRAG_NONE,
	DECODE_FRAG_FIRST,
	DECODE_FRAG_LATER,
};

/* What the flow table needs from one decoded packet. */
struct pkt {
	int64_t		 ts;		/* microseconds since the epoch */
	uint32_t	 ip_len;	/* IP bytes on the wire (header included) */
	uint8_t		 af;		/* 4 or 6 */
	uint8_t		 proto;		/* IP protocol of the transport */
	uint8_t		 tcp_flags;
	uint8_t		 truncated;	/* cut by snaplen */
	uint8_t		 frag;		/* enum decode_frag */
	uint8_t		 nvlan;
	uint16_t	 vlan[2];	/* outer, inner */
	uint16_t	 sport, dport;	/* ports, or ICMP type/code */
	uint32_t	 tcp_seq;
	uint8_t		 has_mac;	/* mac is set */
	uint8_t		 copy;		/* a copy past those a mirror makes */
	uint8_t		 mac[6];	/* sender's, of the innermost link */
	uint8_t		 src[16], dst[16];	/* IPv4 in the first 4 bytes */
	const uint8_t	*payload;	/* captured transport payload */
	size_t		 payload_len;
};

struct frag_table;
struct dedup;

/* A mirror source a tunnel is entered from: an address or network. */
struct decode_source {
	unsigned int	 kinds;		/* DECODE_TUN_* */
	uint8_t		 af;		/* 4 or 6 */
	uint8_t		 plen;
	uint8_t		 addr[16];
};

/*
 * A packet of the frame being decoded, waiting for decode_next: the
 * datagrams of the tunnels around the packet decode_packet gave.
 */
struct decode_held {
	struct pkt		 pkt;
	enum decode_result	 r;
};

struct decoder {
	uint64_t		 counters[DC_MAX];
	uint64_t		 other_proto[256];	/* per IP protocol */
	struct frag_table	*frags;
	struct dedup		*dedup;
	unsigned int		 tunnels;	/* DECODE_TUN_* to enter */
	unsigned int		 restricted;	/* ... only from sources */
	struct decode_source	 sources[DECODE_MAX_SOURCES];
	size_t			 nsources;
	struct decode_held	 held[DECODE_MAX_TUNNEL];
	int			 nheld, next;
};

struct decoder	*decode_new(void);
void		 decode_free(struct decoder *);
int		 decode_dlt_supported(int);
void		 decode_set_tunnels(struct decoder *, unsigned int);
int		 decode_add_source(struct decoder *, unsigned int, uint8_t,
		    const uint8_t *, uint8_t);
int		 decode_tunnel_kinds(const char *, unsigned int *);
const char	*decode_tunnel_name(unsigned int);
enum decode_result decode_packet(struct decoder *, int, const uint8_t *,
		    size_t, size_t, int64_t, struct pkt *);
enum decode_result decode_next(struct decoder *, struct pkt *);
const char	*decode_counter_name(enum decode_counter);

#endif
