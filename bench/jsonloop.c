/*
 * jsonloop: what one JSON line costs the sink alone.  Writes N flow
 * records of the flow-heavy capture's kind (TCP to an outside address
 * with its ASN, country, a name learned by DNS, TLS with SNI, JA4 and
 * ALPN, and its verdict), each to a new address and port, through the
 * JSON lines sink to FILE (default /dev/null), and prints the time a
 * record, the Community ID (a SHA-1 a record) included.
 *
 * usage: jsonloop [-n RECORDS] [FILE]
 * Prints "records N bytes B seconds S ns_per_record R cpu_ns_per_record C"
 * (C from the process's CPU time: what a busy machine does not inflate).
 */
#include "config.h"

#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "app.h"
#include "event.h"
#include "flow.h"
#include "geo.h"
#include "sink.h"
#include "sink_json.h"

/* Seconds of a clock. */
static double
now(clockid_t id)
{
	struct timespec	ts;

	clock_gettime(id, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int
main(int argc, char *argv[])
{
	struct sink_json	*s;
	struct event_flow	 ev;
	struct flow		 f;
	struct flow_app		 fa;
	struct geo_info		 g;
	struct stat		 st;
	const char		*path = "/dev/null";
	char			 sni[] = "api.vendor-cloud.example";
	char			 ja4[] = "t13d1516h2_8daaf6152771_b186095e22b6";
	char			 ver[] = "TLSv1.3", alpn[] = "h2";
	long			 i, n = 1000000;
	double			 t0, t1, c0, c1;
	int			 ch;

	while ((ch = getopt(argc, argv, "n:")) != -1) {
		switch (ch) {
		case 'n':
			n = atol(optarg);
			break;
		default:
			fprintf(stderr, "usage: jsonloop [-n RECORDS] [FILE]\n");
			return 2;
		}
	}
	if (optind < argc)
		path = argv[optind];
	if (n < 1 || (s = sink_json_open(path)) == NULL) {
		perror(path);
		return 1;
	}
	memset(&f, 0, sizeof(f));
	memset(&fa, 0, sizeof(fa));
	memset(&g, 0, sizeof(g));
	memset(&ev, 0, sizeof(ev));
	f.key.af = 4;
	f.key.proto = 6;
	memcpy(f.key.addr[0], "\x0a\x14\x01\x0b", 4);
	memcpy(f.key.addr[1], "\xcb\x00\x71\x07", 4);
	f.key.port[1] = 443;
	f.init = 0;
	f.appliance = 0;
	f.sides = 3;
	f.state = FLOW_S_CLOSED;
	f.pkts[0] = 5;
	f.pkts[1] = 3;
	f.bytes[0] = 860;
	f.bytes[1] = 4321;
	fa.proto = 2;
	fa.sni = sni;
	fa.ja4 = ja4;
	fa.tls_version = ver;
	fa.alpn = alpn;
	f.app = &fa;
	g.asn = 64500;
	memcpy(g.country, "US", 3);
	memcpy(g.reg_country, "CN", 3);
	g.org = "Example Vendor Cloud Ltd";
	ev.flow = &f;
	ev.reason = FLOW_R_END;
	ev.geo = &g;
	ev.domain = sni;
	ev.name_source = APP_NAME_DNS;
	ev.verdict = POLICY_UNREVIEWED;
	t0 = now(CLOCK_MONOTONIC);
	c0 = now(CLOCK_PROCESS_CPUTIME_ID);
	for (i = 0; i < n; i++) {
		f.key.addr[1][3] = (uint8_t)i;
		f.key.addr[1][2] = (uint8_t)(i >> 8);
		f.key.port[0] = (uint16_t)(32768 + i % 28000);
		f.first = 1772438400000000LL + i * 1200;
		f.last = f.first + 150000;
		f.id = (uint64_t)i * 0x9e3779b97f4a7c15ULL;
		sink_json_ops.flow(s, &ev);
	}
	if (sink_json_ops.close(s) == -1)
		return 1;
	t1 = now(CLOCK_MONOTONIC);
	c1 = now(CLOCK_PROCESS_CPUTIME_ID);
	if (stat(path, &st) == -1 || !S_ISREG(st.st_mode))
		st.st_size = 0;
	printf("records %ld bytes %lld seconds %.6f ns_per_record %.0f "
	    "cpu_ns_per_record %.0f\n", n, (long long)st.st_size, t1 - t0,
	    (t1 - t0) * 1e9 / (double)n, (c1 - c0) * 1e9 / (double)n);
	return 0;
}
