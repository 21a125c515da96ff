/*
 * pcapgen's command line and its table of the bundled captures.
 *
 * pcapgen writes the bundled test captures in pcaps/ and the benchmark
 * captures.  Its files, by family: write.c, the capture being written and
 * its file; link.c, link types, SPAN copies and tunnels; proto.c, IP,
 * transports and payloads; scen_*.c, the scenarios (site, link, ip, file,
 * app, bench, beacon); pcapgen.h, what they share.  Everything is
 * deterministic: a splitmix64 generator with a fixed seed per capture, a
 * fixed start time (2026-03-02 08:00:00 UTC) and no dependence on the
 * clock, the pid or the environment, so two runs write byte-identical
 * files.  Packets are built field by field with write.c's put_* writers;
 * every IPv4 header checksum and every TCP, UDP and ICMP checksum is
 * computed, unless a capture breaks one on purpose.
 *
 * Classic pcap files go through libpcap (pcap_open_dead and pcap_dump);
 * pcapng, which libpcap cannot write, has its own small block writer.
 *
 * Appliances are RFC 1918, 100.64/10 and fc00::/7; everything outside
 * uses the documentation ranges (192.0.2/24, 198.51.100/24, 203.0.113/24,
 * 2001:db8::/32).  "pcapgen all DIR" writes:
 *
 *   site-demo.pcap   20 minutes of a site: RTSP+RTP cameras (VLAN 20), ANPR
 *                    HTTP events (VLAN 30), fingerprint readers on TCP 4370,
 *                    DNS, NTP, TLS with SNI, a 60 s call-home, MQTT for 15
 *                    minutes, IPv6 TLS, ping, a DNS query to 192.0.2.53
 *   link-*.pcap      the same TCP/UDP conversations over Linux SLL and
 *                    SLL2, raw IP (101), IPv4 (228), IPv6 (229), DLT_NULL
 *                    (IPv6 as 24, 28, 30 and 10) and DLT_LOOP
 *   vlan-qinq.pcap   802.1Q, 802.1ad and 0x9100 stacks, one 5-tuple in two
 *                    VLANs, one frame with five tags (too deep)
 *   erspan.pcap      ERSPAN I, II, III (with and without sub-header), GRE
 *                    TEB with a key, GRE version 3, ERSPAN version 3
 *   frag.pcap        IPv4 UDP and TCP fragments, one datagram last fragment
 *                    first, IPv6 Fragment headers
 *   ipv6-ext.pcap    hop-by-hop, routing (types 0 and 4), destination
 *                    options, AH, a chain of five, one of ten (too deep),
 *                    IPv6 and IPv4 ones cut short by the payload length
 *   snaplen.pcap     snaplen 64, and one record of 40 bytes
 *   duplicates.pcap  SPAN copies (TTL - 1; TTL - 1 in another VLAN; exact)
 *                    and a real retransmission 300 ms later
 *   malformed.pcap   one defect per frame, see gen_malformed()
 *   cut.pcap         the last record ends 37 of its 200 bytes in
 *   pcapng.pcapng    two interfaces, a packet comment, a final ISB
 *   vxlan.pcap       mirrored frames in VXLAN (UDP 4789), outer VLAN 99
 *   pcapng-mixed.pcapng  four interfaces of four link types (USB first,
 *                    which egressd does not decode; Ethernet; raw IP with
 *                    a snapshot length of 96 and nanosecond time stamps;
 *                    Linux cooked v2), which libpcap refuses
 *   tcp-states.pcap  every way a flow starts and ends, see gen_tcp_states()
 *   dns-tcp.pcap     DNS over TCP: an answer over two segments, pipelined
 *                    queries, a retransmitted segment; see gen_dns_tcp()
 *   policy.pcap      one case for each policy alert; see gen_policy()
 *   quic.pcap        QUIC v1 client Initials: a ClientHello in one packet,
 *                    one with a post-quantum key share over two datagrams,
 *                    one over two coalesced packets, and one whose tag is
 *                    broken; see gen_quic()
 *
 * "pcapgen beacon list" and "pcapgen beacon SCENARIO SEED FILE" write the
 * beacon scenarios that tests/beacon/captures.sh runs (see bscens[] in
 * scen_beacon.c), and "pcapgen bench-site" and "pcapgen bench-flows" the
 * benchmark captures (scen_bench.c).
 */
#include "config.h"

#include <sys/stat.h>

#include <err.h>
#include <errno.h>
#include <pcap/pcap.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pcapgen.h"

static void	usage(void) __attribute__((__noreturn__));

/* A bundled capture. */
struct capfile {
	const char	*name;
	void		(*gen)(struct cap *);
	int		 dlt;
	uint32_t	 snaplen;
	int		 fmt;
};

static const struct capfile capfiles[] = {
	{ "site-demo.pcap", gen_site_demo, DLT_EN10MB, SNAP_FULL, FMT_PCAP },
	{ "link-sll.pcap", gen_link_sll, DLT_LINUX_SLL, SNAP_FULL, FMT_PCAP },
	{ "link-sll2.pcap", gen_link_sll2, DLT_LINUX_SLL2, SNAP_FULL,
	    FMT_PCAP },
	{ "link-raw.pcap", gen_link_raw, DLT_RAW, SNAP_FULL, FMT_PCAP },
	{ "link-ipv4.pcap", gen_link_ipv4, DLT_IPV4, SNAP_FULL, FMT_PCAP },
	{ "link-ipv6.pcap", gen_link_ipv6, DLT_IPV6, SNAP_FULL, FMT_PCAP },
	{ "link-null.pcap", gen_link_null, DLT_NULL, SNAP_FULL, FMT_PCAP },
	{ "link-loop.pcap", gen_link_loop, DLT_LOOP, SNAP_FULL, FMT_PCAP },
	{ "vlan-qinq.pcap", gen_vlan, DLT_EN10MB, SNAP_FULL, FMT_PCAP },
	{ "erspan.pcap", gen_erspan, DLT_EN10MB, SNAP_FULL, FMT_PCAP },
	{ "vxlan.pcap", gen_vxlan, DLT_EN10MB, SNAP_FULL, FMT_PCAP },
	{ "frag.pcap", gen_frag, DLT_EN10MB, SNAP_FULL, FMT_PCAP },
	{ "ipv6-ext.pcap", gen_ipv6_ext, DLT_EN10MB, SNAP_FULL, FMT_PCAP },
	{ "snaplen.pcap", gen_snaplen, DLT_EN10MB, 64, FMT_PCAP },
	{ "duplicates.pcap", gen_dup, DLT_EN10MB, SNAP_FULL, FMT_PCAP },
	{ "malformed.pcap", gen_malformed, DLT_EN10MB, SNAP_FULL, FMT_PCAP },
	{ "cut.pcap", gen_cut, DLT_EN10MB, SNAP_FULL, FMT_CUT },
	{ "pcapng.pcapng", gen_pcapng, DLT_EN10MB, SNAP_FULL, FMT_PCAPNG },
	{ "pcapng-mixed.pcapng", gen_pcapng_mixed, DLT_EN10MB, SNAP_FULL,
	    FMT_PCAPNG_MIX },
	{ "tcp-states.pcap", gen_tcp_states, DLT_EN10MB, SNAP_FULL, FMT_PCAP },
	{ "dns-tcp.pcap", gen_dns_tcp, DLT_EN10MB, SNAP_FULL, FMT_PCAP },
	{ "policy.pcap", gen_policy, DLT_EN10MB, SNAP_FULL, FMT_PCAP },
	{ "quic.pcap", gen_quic, DLT_EN10MB, SNAP_FULL, FMT_PCAP },
	{ NULL, NULL, 0, 0, 0 }
};

/* Finds a bundled capture by file name, with or without extension. */
static const struct capfile *
capfile_find(const char *name)
{
	const struct capfile *cf;
	size_t		 n;

	for (cf = capfiles; cf->name != NULL; cf++) {
		n = strcspn(cf->name, ".");
		if (strcmp(cf->name, name) == 0 ||
		    (strlen(name) == n && strncmp(cf->name, name, n) == 0))
			return cf;
	}
	return NULL;
}

/* Generates one bundled capture into path. */
static void
capfile_write(const struct capfile *cf, const char *path)
{
	static const struct ng_iface two_eth[] = {
		{ "eth0", DLT_EN10MB, SNAP_FULL, 0 },
		{ "eth1", DLT_EN10MB, SNAP_FULL, 0 },
	};
	static const struct ng_iface mixed[] = {
		{ "usbmon0", 220, SNAP_FULL, 0 },	/* USB_LINUX_MMAPPED */
		{ "eth0", DLT_EN10MB, SNAP_FULL, 0 },
		{ "tun0", 101, 96, 1 },			/* LINKTYPE_RAW */
		{ "any", DLT_LINUX_SLL2, SNAP_FULL, 0 },
	};
	struct cap	 c;
	struct out	 o;
	struct stat	 st;

	cap_init(&c, seed_of(cf->name), cf->snaplen);
	cf->gen(&c);
	if (cf->fmt == FMT_PCAPNG)
		out_pcapng(&o, path, two_eth, 2);
	else if (cf->fmt == FMT_PCAPNG_MIX)
		out_pcapng(&o, path, mixed, 4);
	else
		out_pcap(&o, path, cf->dlt, cf->snaplen);
	cap_drain(&c, &o, UINT64_MAX, UINT64_MAX);
	out_close(&o, path);
	cap_free(&c);
	if (cf->fmt != FMT_CUT)
		return;
	/* keep the last record's header and CUT_KEEP of its bytes */
	if (o.lastcap != CUT_CAPLEN)
		errx(1, "%s: last record is %u bytes", path, o.lastcap);
	if (stat(path, &st) == -1)
		err(1, "%s", path);
	if (truncate(path, st.st_size - CUT_CAPLEN + CUT_KEEP) == -1)
		err(1, "%s", path);
}

/* Parses a positive count no larger than max. */
static uint64_t
parse_count(const char *s, uint64_t max)
{
	char		*end;
	unsigned long long v;

	if (*s < '0' || *s > '9')
		usage();
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0' || v == 0 || v > max)
		usage();
	return v;
}

/* One line of usage on stderr, exit 1. */
static void
usage(void)
{
	fprintf(stderr, "usage: pcapgen all DIR | pcapgen NAME FILE | "
	    "pcapgen bench-site FILE [-n PACKETS] [-a APPLIANCES] | "
	    "pcapgen bench-flows FILE [-n PACKETS] [-f FLOWS] | "
	    "pcapgen beacon list | pcapgen beacon SCENARIO SEED FILE\n");
	exit(1);
}

/*
 * pcapgen all DIR | NAME FILE | bench-site FILE ... | bench-flows FILE ... |
 * beacon list | beacon SCENARIO SEED FILE
 */
int
main(int argc, char *argv[])
{
	const struct capfile *cf;
	char		 path[4096];
	uint64_t	 n, m;
	int		 i, site;

	if (argc < 3)
		usage();
	if (strcmp(argv[1], "all") == 0) {
		if (argc != 3)
			usage();
		for (cf = capfiles; cf->name != NULL; cf++) {
			if ((size_t)snprintf(path, sizeof(path), "%s/%s",
			    argv[2], cf->name) >= sizeof(path))
				errx(1, "%s: path too long", argv[2]);
			capfile_write(cf, path);
		}
		return 0;
	}
	if (strcmp(argv[1], "bench-site") == 0 ||
	    strcmp(argv[1], "bench-flows") == 0) {
		site = argv[1][6] == 's';
		n = site ? 5000000 : 2000000;
		m = site ? 200 : 250000;
		for (i = 3; i < argc; i += 2) {
			if (i + 1 >= argc)
				usage();
			if (strcmp(argv[i], "-n") == 0)
				n = parse_count(argv[i + 1], UINT32_MAX);
			else if (strcmp(argv[i], site ? "-a" : "-f") == 0)
				m = parse_count(argv[i + 1],
				    site ? 50000 : UINT32_MAX);
			else
				usage();
		}
		if (site)
			bench_site(argv[2], n, m);
		else
			bench_flows(argv[2], n, m);
		return 0;
	}
	if (strcmp(argv[1], "beacon") == 0) {
		if (argc == 3 && strcmp(argv[2], "list") == 0)
			beacon_list();
		else if (argc == 5)
			beacon_write(argv[2], parse_count(argv[3], UINT32_MAX),
			    argv[4]);
		else
			usage();
		return 0;
	}
	if ((cf = capfile_find(argv[1])) == NULL)
		errx(1, "unknown capture %s", argv[1]);
	if (argc != 3)
		usage();
	capfile_write(cf, argv[2]);
	return 0;
}
