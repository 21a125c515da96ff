/* Unit tests for the application layer: stream reassembly, protocols, names. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "bytes.h"
#include "decode.h"
#include "flow.h"
#include "pdns.h"
#include "test.h"

#define SEC	1000000LL

/* A TLS ClientHello with one cipher suite, SNI and ALPN "h2", in one record. */
static void
hello(struct b *b, const char *sni)
{
	size_t	n = strlen(sni), at_rec, at_hs, at_ext;
	int	i;

	b->n = 0;
	put8(b, 0x16); put16(b, 0x0301);
	at_rec = b->n; put16(b, 0);
	put8(b, 0x01);
	at_hs = b->n; put8(b, 0); put16(b, 0);
	put16(b, 0x0303);
	for (i = 0; i < 32; i++)
		put8(b, (uint8_t)i);
	put8(b, 0);				/* session id */
	put16(b, 2); put16(b, 0x1301);		/* cipher suites */
	put8(b, 1); put8(b, 0);			/* compression */
	at_ext = b->n; put16(b, 0);
	put16(b, 0x0000); put16(b, (uint16_t)(n + 5));	/* server_name */
	put16(b, (uint16_t)(n + 3)); put8(b, 0); put16(b, (uint16_t)n);
	put(b, sni, n);
	put16(b, 0x0010); put16(b, 5); put16(b, 3); put8(b, 2);	/* ALPN */
	put8(b, 'h'); put8(b, '2');
	put16(b, 0x002b); put16(b, 3); put8(b, 2); put16(b, 0x0304);
	b->d[at_ext] = (uint8_t)((b->n - at_ext - 2) >> 8);
	b->d[at_ext + 1] = (uint8_t)(b->n - at_ext - 2);
	b->d[at_hs + 1] = (uint8_t)((b->n - at_hs - 3) >> 8);
	b->d[at_hs + 2] = (uint8_t)(b->n - at_hs - 3);
	b->d[at_rec] = (uint8_t)((b->n - at_rec - 2) >> 8);
	b->d[at_rec + 1] = (uint8_t)(b->n - at_rec - 2);
}

/* A client segment of flow f: bytes [from, to) of the stream at seq base. */
static void
segment(struct app *a, struct flow *f, const struct b *s, size_t from,
    size_t to, uint32_t base)
{
	struct pkt	p;

	memset(&p, 0, sizeof(p));
	p.af = 4;
	p.proto = 6;
	p.sport = 40000;
	p.dport = 443;
	p.tcp_flags = 0x18;
	p.tcp_seq = base + (uint32_t)from;
	p.payload = s->d + from;
	p.payload_len = to - from;
	app_packet(a, f, 0, &p);
}

/* A SYN from the client with its initial sequence number. */
static void
syn(struct app *a, struct flow *f, uint32_t isn)
{
	struct pkt	p;

	memset(&p, 0, sizeof(p));
	p.af = 4;
	p.proto = 6;
	p.tcp_flags = 0x02;
	p.tcp_seq = isn;
	app_packet(a, f, 0, &p);
}

static void
test_split_hello(void)
{
	struct app	*a = app_new();
	struct flow	 f;
	struct b	 h;

	hello(&h, "api.hik-connect.example");
	/* In three segments, the first one sent twice (a retransmission). */
	memset(&f, 0, sizeof(f));
	syn(a, &f, 1000);
	segment(a, &f, &h, 0, 10, 1001);
	CHECK(f.app != NULL && f.app->buf != NULL);	/* waiting for more */
	CHECK(a->buffered > 0);
	segment(a, &f, &h, 0, 10, 1001);
	segment(a, &f, &h, 10, 40, 1001);
	segment(a, &f, &h, 30, h.n, 1001);		/* overlaps 10 bytes */
	CHECK(f.app != NULL);
	if (f.app != NULL) {
		CHECK_EQ(f.app->proto, APP_TLS);
		CHECK_STR(f.app->sni, "api.hik-connect.example");
		CHECK_STR(f.app->alpn, "h2");
		CHECK_STR(f.app->tls_version, "TLSv1.3");
		/* TCP, TLS 1.3, SNI, 1 cipher, 3 extensions, ALPN h2. */
		CHECK(f.app->ja4 != NULL && strncmp(f.app->ja4, "t13d0103h2_", 11) == 0);
		CHECK(f.app->buf == NULL);
	}
	CHECK_EQ(a->buffered, 0);
	CHECK_EQ(a->counters[APP_C_TLS_HELLOS], 1);
	app_flow_free(a, &f);

	/* A segment missing: no name, the buffer is let go. */
	memset(&f, 0, sizeof(f));
	syn(a, &f, 5000);
	segment(a, &f, &h, 0, 10, 5001);
	segment(a, &f, &h, 40, h.n, 5001);
	CHECK(f.app == NULL || f.app->sni == NULL);
	CHECK(f.app_flags & FLOW_APP_DONE);
	CHECK_EQ(a->counters[APP_C_STREAM_GAP], 1);
	CHECK_EQ(a->buffered, 0);
	app_flow_free(a, &f);

	/* On port 853 the same hello is DNS over TLS. */
	memset(&f, 0, sizeof(f));
	{
		struct pkt	p;

		memset(&p, 0, sizeof(p));
		p.af = 4;
		p.proto = 6;
		p.dport = 853;
		p.tcp_seq = 7;
		p.payload = h.d;
		p.payload_len = h.n;
		app_packet(a, &f, 0, &p);
	}
	CHECK(f.app != NULL && f.app->proto == APP_DOT);
	app_flow_free(a, &f);
	app_free(a);
}

static void
test_http_and_nothing(void)
{
	struct app	*a = app_new();
	struct flow	 f;
	struct b	 r;
	const char	*req = "GET /fw/latest.json HTTP/1.1\r\nHost: FW.Vendor.example:8080\r\n"
			    "User-Agent: cam/1.0\r\n\r\n";

	memset(&f, 0, sizeof(f));
	r.n = 0;
	put(&r, req, strlen(req));
	segment(a, &f, &r, 0, 20, 1);
	segment(a, &f, &r, 20, r.n, 1);
	CHECK(f.app != NULL);
	if (f.app != NULL) {
		CHECK_EQ(f.app->proto, APP_HTTP);
		CHECK_STR(f.app->http_method, "GET");
		CHECK_STR(f.app->http_host, "fw.vendor.example");
		CHECK_STR(f.app->http_path, "/fw/latest.json");
		CHECK_STR(f.app->http_ua, "cam/1.0");
	}
	app_flow_free(a, &f);

	/*
	 * Issue 15: the name as soon as its line is read, before the header
	 * section ends (it may never, or run past the buffer), and when a
	 * second Host field makes the request malformed (the first kept).
	 */
	memset(&f, 0, sizeof(f));
	r.n = 0;
	put(&r, req, strlen(req) - 2);
	segment(a, &f, &r, 0, r.n, 1);
	CHECK(f.app != NULL && f.app->http_host != NULL &&
	    strcmp(f.app->http_host, "fw.vendor.example") == 0);
	CHECK(f.app != NULL && f.app->http_ua != NULL &&
	    strcmp(f.app->http_ua, "cam/1.0") == 0);
	CHECK_EQ(a->counters[APP_C_HTTP_PARTIAL], 1);
	app_flow_free(a, &f);
	memset(&f, 0, sizeof(f));
	r.n = 0;
	put(&r, "GET / HTTP/1.1\r\nHost: a.example\r\nHost: b.example\r\n\r\n",
	    52);
	segment(a, &f, &r, 0, r.n, 1);
	CHECK(f.app != NULL && f.app->http_host != NULL &&
	    strcmp(f.app->http_host, "a.example") == 0);
	CHECK_EQ(a->counters[APP_C_HTTP_BAD], 1);
	app_flow_free(a, &f);

	/* Bytes that are neither: nothing is allocated for the flow. */
	memset(&f, 0, sizeof(f));
	r.n = 0;
	put(&r, "\x00\x01\x02\x03binary camera protocol", 26);
	segment(a, &f, &r, 0, r.n, 1);
	CHECK(f.app == NULL);
	CHECK(f.app_flags & FLOW_APP_DONE);
	app_free(a);
}

static void
test_dns_names(void)
{
	struct app		*a = app_new();
	struct flow		 f;
	struct pkt		 p;
	struct b		 q, r;
	struct pdns_name	 pn;
	const uint8_t		 cam[4] = { 10, 20, 1, 11 }, res[4] = { 10, 20, 0, 53 };
	const uint8_t		 ip[4] = { 203, 0, 113, 7 };
	static const uint8_t	 qname[] = "\x03""api\x07""example\x00";

	q.n = 0;
	put16(&q, 0x1234); put16(&q, 0x0100); put16(&q, 1); put16(&q, 0);
	put16(&q, 0); put16(&q, 0);
	put(&q, qname, sizeof(qname) - 1);
	put16(&q, 1); put16(&q, 1);
	r = q;
	r.d[2] = 0x81; r.d[3] = 0x80;		/* a response */
	r.d[7] = 1;				/* one answer */
	put16(&r, 0xc00c); put16(&r, 1); put16(&r, 1); put32(&r, 600);
	put16(&r, 4); put(&r, ip, 4);

	memset(&f, 0, sizeof(f));
	memset(&p, 0, sizeof(p));
	p.af = 4;
	p.proto = 17;
	p.ts = 10 * SEC;
	memcpy(p.src, cam, 4);
	memcpy(p.dst, res, 4);
	p.sport = 40000;
	p.dport = 53;
	p.payload = q.d;
	p.payload_len = q.n;
	app_packet(a, &f, 0, &p);
	memcpy(p.src, res, 4);
	memcpy(p.dst, cam, 4);
	p.sport = 53;
	p.dport = 40000;
	p.payload = r.d;
	p.payload_len = r.n;
	app_packet(a, &f, 1, &p);
	CHECK(f.app != NULL && f.app->proto == APP_DNS);
	CHECK_EQ(a->counters[APP_C_DNS_MESSAGES], 2);
	CHECK_EQ(pdns_lookup(a->pdns, 4, cam, ip, 20 * SEC, &pn), 1);
	CHECK_STR(pn.name, "api.example");
	/* The same answer again, unasked: counted, not learned anew. */
	app_packet(a, &f, 1, &p);
	CHECK_EQ(a->counters[APP_C_DNS_UNSOLICITED], 1);
	app_flow_free(a, &f);
	app_free(a);
}

/* A DNS-over-TCP segment of side dir: bytes [from, to) of s at seq base. */
static void
dns_segment(struct app *a, struct flow *f, int dir, const struct b *s,
    size_t from, size_t to, uint32_t base)
{
	const uint8_t	cam[4] = { 10, 20, 1, 11 }, res[4] = { 10, 20, 0, 53 };
	struct pkt	p;

	memset(&p, 0, sizeof(p));
	p.af = 4;
	p.proto = 6;
	p.ts = 10 * SEC;
	p.tcp_flags = 0x18;
	p.tcp_seq = base + (uint32_t)from;
	memcpy(dir == 0 ? p.src : p.dst, cam, 4);
	memcpy(dir == 0 ? p.dst : p.src, res, 4);
	p.sport = dir == 0 ? 40000 : 53;
	p.dport = dir == 0 ? 53 : 40000;
	p.payload = s->d + from;
	p.payload_len = to - from;
	app_packet(a, f, dir, &p);
}

/*
 * DNS over TCP (RFC 7766): two queries in one segment; the answers, one
 * of them with 40 addresses, cut across four segments at awkward places
 * (inside a length prefix, inside a message), with a retransmission; then
 * a gap ends the reading of that side.
 */
static void
test_dns_tcp(void)
{
	struct app		*a = app_new();
	struct flow		 f;
	struct b		 q, r;
	struct pdns_name	 pn;
	const uint8_t		 cam[4] = { 10, 20, 1, 11 };
	uint8_t			 ip[4] = { 203, 0, 113, 0 };
	static const uint8_t	 n1[] = "\x03""one\x07""example\x00";
	static const uint8_t	 n2[] = "\x03""two\x07""example\x00";
	size_t			 at, i, cut1, cut2;

	/* Queries 1 (one.example) and 2 (two.example), length-prefixed. */
	q.n = 0;
	put16(&q, 12 + sizeof(n1) - 1 + 4);
	put16(&q, 1); put16(&q, 0x0100); put16(&q, 1); put16(&q, 0);
	put16(&q, 0); put16(&q, 0); put(&q, n1, sizeof(n1) - 1);
	put16(&q, 1); put16(&q, 1);
	put16(&q, 12 + sizeof(n2) - 1 + 4);
	put16(&q, 2); put16(&q, 0x0100); put16(&q, 1); put16(&q, 0);
	put16(&q, 0); put16(&q, 0); put(&q, n2, sizeof(n2) - 1);
	put16(&q, 1); put16(&q, 1);
	/* Answer 1: one.example, 20 A records; answer 2: two.example, one. */
	r.n = 0;
	at = r.n; put16(&r, 0);
	put16(&r, 1); put16(&r, 0x8180); put16(&r, 1); put16(&r, 20);
	put16(&r, 0); put16(&r, 0); put(&r, n1, sizeof(n1) - 1);
	put16(&r, 1); put16(&r, 1);
	for (i = 0; i < 20; i++) {
		ip[3] = (uint8_t)(i + 1);
		put16(&r, 0xc00c); put16(&r, 1); put16(&r, 1); put32(&r, 600);
		put16(&r, 4); put(&r, ip, 4);
	}
	r.d[at] = (uint8_t)((r.n - at - 2) >> 8);
	r.d[at + 1] = (uint8_t)(r.n - at - 2);
	cut2 = r.n + 1;			/* inside the next length prefix */
	at = r.n; put16(&r, 0);
	put16(&r, 2); put16(&r, 0x8180); put16(&r, 1); put16(&r, 1);
	put16(&r, 0); put16(&r, 0); put(&r, n2, sizeof(n2) - 1);
	put16(&r, 1); put16(&r, 1);
	ip[3] = 200;
	put16(&r, 0xc00c); put16(&r, 1); put16(&r, 1); put32(&r, 600);
	put16(&r, 4); put(&r, ip, 4);
	r.d[at] = (uint8_t)((r.n - at - 2) >> 8);
	r.d[at + 1] = (uint8_t)(r.n - at - 2);
	cut1 = 100;			/* inside answer 1 */

	memset(&f, 0, sizeof(f));
	dns_segment(a, &f, 0, &q, 0, q.n, 1000);
	CHECK_EQ(pdns_stats(a->pdns)->queries, 2);
	dns_segment(a, &f, 1, &r, 0, 1, 5000);		/* half a length */
	dns_segment(a, &f, 1, &r, 1, cut1, 5000);
	CHECK_EQ(pdns_stats(a->pdns)->learned, 0);
	CHECK(a->buffered > 0);
	dns_segment(a, &f, 1, &r, 1, cut1, 5000);	/* retransmitted */
	dns_segment(a, &f, 1, &r, cut1, cut2, 5000);
	CHECK_EQ(pdns_stats(a->pdns)->learned, 20);
	ip[3] = 20;
	CHECK_EQ(pdns_lookup(a->pdns, 4, cam, ip, 20 * SEC, &pn), 1);
	CHECK_STR(pn.name, "one.example");
	dns_segment(a, &f, 1, &r, cut2, r.n, 5000);
	CHECK_EQ(pdns_stats(a->pdns)->learned, 21);
	ip[3] = 200;
	CHECK_EQ(pdns_lookup(a->pdns, 4, cam, ip, 20 * SEC, &pn), 1);
	CHECK_STR(pn.name, "two.example");
	CHECK_EQ(a->buffered, 0);
	CHECK_EQ(a->counters[APP_C_DNS_MESSAGES], 4);
	CHECK_EQ(a->counters[APP_C_DNS_BAD], 0);
	/* A byte missing: that side is read no further. */
	dns_segment(a, &f, 1, &r, 0, 20, 5000 + (uint32_t)r.n + 5);
	CHECK_EQ(a->counters[APP_C_DNS_TCP_GAP], 1);
	dns_segment(a, &f, 1, &r, 0, r.n, 5000 + (uint32_t)r.n);
	CHECK_EQ(a->counters[APP_C_DNS_MESSAGES], 4);
	/* A partial message at the end of a flow is freed with it. */
	app_flow_free(a, &f);
	memset(&f, 0, sizeof(f));
	dns_segment(a, &f, 1, &r, 0, 50, 9000);
	CHECK(a->buffered > 0);
	app_flow_free(a, &f);
	CHECK_EQ(a->buffered, 0);
	app_free(a);
}

int
main(void)
{
	test_split_hello();
	test_http_and_nothing();
	test_dns_names();
	test_dns_tcp();
	return test_done("test_app");
}
