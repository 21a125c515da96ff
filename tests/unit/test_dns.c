/*
 * Unit tests for the DNS parser, from hand-made messages (offsets in the
 * comments) and two responses taken from pcaps/site-demo.pcap whose
 * fields tshark printed.  The large cases (long names, many answers) are
 * built by the small writer below.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "dns.h"
#include "test.h"

/* Response header: id 0x1234, QR RD RA, then the four counts. */
#define HDR(qd, an, ns, ar)						\
	0x12, 0x34, 0x81, 0x80, 0x00, (qd), 0x00, (an),			\
	0x00, (ns), 0x00, (ar)
#define T_A		0x00, 0x01
#define T_CNAME		0x00, 0x05
#define T_TXT		0x00, 0x10
#define T_AAAA		0x00, 0x1c
#define T_OPT		0x00, 0x29
#define C_IN		0x00, 0x01
#define TTL_300		0x00, 0x00, 0x01, 0x2c

/* A message being written, for cases too long to spell out. */
struct mb {
	uint8_t	 b[20000];
	size_t	 len;
};

static void
mb_u8(struct mb *m, uint8_t v)
{
	if (m->len >= sizeof(m->b))
		abort();
	m->b[m->len++] = v;
}

static void
mb_u16(struct mb *m, uint16_t v)
{
	mb_u8(m, (uint8_t)(v >> 8));
	mb_u8(m, (uint8_t)v);
}

static void
mb_hdr(struct mb *m, uint16_t qd, uint16_t an)
{
	m->len = 0;
	mb_u16(m, 0x1234);
	mb_u16(m, 0x8180);
	mb_u16(m, qd);
	mb_u16(m, an);
	mb_u16(m, 0);
	mb_u16(m, 0);
}

/* A label of len octets, all c. */
static void
mb_label(struct mb *m, size_t len, char c)
{
	size_t	 i;

	mb_u8(m, (uint8_t)len);
	for (i = 0; i < len; i++)
		mb_u8(m, (uint8_t)c);
}

/* TYPE, CLASS, TTL and RDLENGTH of a record. */
static void
mb_rr(struct mb *m, uint16_t type, uint16_t rdlen)
{
	mb_u16(m, type);
	mb_u16(m, 1);
	mb_u16(m, 0);
	mb_u16(m, 300);
	mb_u16(m, rdlen);
}

/* A string of n copies of c, for the expected names. */
static const char *
rep(char *buf, size_t n, char c)
{
	memset(buf, c, n);
	buf[n] = '\0';
	return buf;
}

/* A response for api.example.com with one A answer, name compressed. */
static void
test_a(void)
{
	static const uint8_t m[] = {
		HDR(1, 1, 0, 0),
		/* 12: api.example.com A IN */
		3, 'a', 'p', 'i', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e',
		3, 'c', 'o', 'm', 0, T_A, C_IN,
		/* 33: -> 12, A IN 300, 192.0.2.1 */
		0xc0, 0x0c, T_A, C_IN, TTL_300, 0x00, 0x04, 192, 0, 2, 1,
	};
	static const uint8_t addr[] = { 192, 0, 2, 1 };
	struct dns_msg	 *d = malloc(sizeof(*d));

	CHECK_EQ(dns_parse(m, sizeof(m), d), DNS_OK);
	CHECK_EQ(d->id, 0x1234);
	CHECK_EQ(d->qr, 1);
	CHECK_EQ(d->opcode, 0);
	CHECK_EQ(d->rd, 1);
	CHECK_EQ(d->ra, 1);
	CHECK_EQ(d->tc, 0);
	CHECK_EQ(d->rcode, 0);
	CHECK_STR(d->qname, "api.example.com");
	CHECK_EQ(d->qtype, 1);
	CHECK_EQ(d->qclass, 1);
	CHECK_EQ(d->nanswers, 1);
	CHECK_STR(dns_rr_name(d, &d->an[0]), "api.example.com");
	CHECK_STR(dns_rr_target(d, &d->an[0]), "");
	CHECK_EQ(d->an[0].type, DNS_TYPE_A);
	CHECK_EQ(d->an[0].class, DNS_CLASS_IN);
	CHECK_EQ(d->an[0].ttl, 300);
	CHECK_EQ(d->an[0].af, 4);
	CHECK(memcmp(d->an[0].addr, addr, 4) == 0);
	CHECK_EQ(d->answers_skipped, 0);
	CHECK_EQ(d->answers_dropped, 0);
	free(d);
}

/* AAAA, RFC 3596. */
static void
test_aaaa(void)
{
	static const uint8_t m[] = {
		HDR(1, 1, 0, 0),
		/* 12: v6.example AAAA IN */
		2, 'v', '6', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 0,
		T_AAAA, C_IN,
		/* 28: -> 12, 2001:db8::1 */
		0xc0, 0x0c, T_AAAA, C_IN, TTL_300, 0x00, 0x10,
		0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
	};
	static const uint8_t addr[] = {
		0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
	};
	struct dns_msg	 *d = malloc(sizeof(*d));

	CHECK_EQ(dns_parse(m, sizeof(m), d), DNS_OK);
	CHECK_STR(d->qname, "v6.example");
	CHECK_EQ(d->qtype, DNS_TYPE_AAAA);
	CHECK_EQ(d->nanswers, 1);
	CHECK_EQ(d->an[0].af, 6);
	CHECK(memcmp(d->an[0].addr, addr, 16) == 0);
	free(d);
}

/*
 * www.example.com -> edge.cdn.example.com -> origin.cdn.example.com -> A,
 * each name pointing into the one before, some into its middle.
 */
static void
test_cname_chain(void)
{
	static const uint8_t m[] = {
		HDR(1, 3, 0, 0),
		/* 12: www, 16: example, 24: com */
		3, 'w', 'w', 'w', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e',
		3, 'c', 'o', 'm', 0, T_A, C_IN,
		/* 33: -> 12 CNAME, rdata at 45: edge, 50: cdn, -> 16 */
		0xc0, 0x0c, T_CNAME, C_IN, 0x00, 0x00, 0x0e, 0x10, 0x00, 11,
		4, 'e', 'd', 'g', 'e', 3, 'c', 'd', 'n', 0xc0, 0x10,
		/* 56: -> 45 CNAME, rdata at 68: origin, -> 50 */
		0xc0, 0x2d, T_CNAME, C_IN, TTL_300, 0x00, 9,
		6, 'o', 'r', 'i', 'g', 'i', 'n', 0xc0, 0x32,
		/* 77: -> 68 A 203.0.113.9 */
		0xc0, 0x44, T_A, C_IN, 0x00, 0x00, 0x00, 0x3c, 0x00, 0x04,
		203, 0, 113, 9,
	};
	struct dns_msg	 *d = malloc(sizeof(*d));

	CHECK_EQ(dns_parse(m, sizeof(m), d), DNS_OK);
	CHECK_STR(d->qname, "www.example.com");
	CHECK_EQ(d->nanswers, 3);
	CHECK_EQ(d->an[0].type, DNS_TYPE_CNAME);
	CHECK_EQ(d->an[0].af, 0);
	CHECK_EQ(d->an[0].ttl, 3600);
	CHECK_STR(dns_rr_name(d, &d->an[0]), "www.example.com");
	CHECK_STR(dns_rr_target(d, &d->an[0]), "edge.cdn.example.com");
	CHECK_STR(dns_rr_name(d, &d->an[1]), "edge.cdn.example.com");
	CHECK_STR(dns_rr_target(d, &d->an[1]), "origin.cdn.example.com");
	CHECK_STR(dns_rr_name(d, &d->an[2]), "origin.cdn.example.com");
	CHECK_EQ(d->an[2].ttl, 60);
	CHECK_EQ(d->an[2].addr[3], 9);
	/* each name is stored once */
	CHECK_EQ(d->an[0].target, d->an[1].name);
	CHECK_EQ(d->an[1].target, d->an[2].name);
	free(d);
}

/* Several A records, and types that are not kept in between. */
static void
test_multiple(void)
{
	static const uint8_t m[] = {
		HDR(1, 5, 0, 0),
		/* 12: n.example A IN */
		1, 'n', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 0, T_A, C_IN,
		/* 27: three A, a TXT and an A of class CH between them */
		0xc0, 0x0c, T_A, C_IN, TTL_300, 0x00, 0x04, 10, 0, 0, 1,
		0xc0, 0x0c, T_TXT, C_IN, TTL_300, 0x00, 0x03, 2, 'h', 'i',
		0xc0, 0x0c, T_A, C_IN, TTL_300, 0x00, 0x04, 10, 0, 0, 2,
		0xc0, 0x0c, T_A, 0x00, 0x03, TTL_300, 0x00, 0x04,
		0xc0, 0x0c, 0x00, 0x01,
		0xc0, 0x0c, T_A, C_IN, TTL_300, 0x00, 0x04, 10, 0, 0, 3,
	};
	struct dns_msg	 *d = malloc(sizeof(*d));
	int		  i;

	CHECK_EQ(dns_parse(m, sizeof(m), d), DNS_OK);
	CHECK_EQ(d->nanswers, 3);
	CHECK_EQ(d->answers_skipped, 2);
	CHECK_EQ(d->answers_dropped, 0);
	for (i = 0; i < 3; i++) {
		CHECK_STR(dns_rr_name(d, &d->an[i]), "n.example");
		CHECK_EQ(d->an[i].addr[3], i + 1);
		CHECK_EQ(d->an[i].name, d->an[0].name);
	}
	free(d);
}

/* Pointers that loop, go forward, past the end or into the header. */
static void
test_pointers(void)
{
	/* 12: a pointer to itself */
	static const uint8_t self[] = {
		HDR(1, 0, 0, 0), 0xc0, 0x0c, T_A, C_IN,
	};
	/* 12: 'a' then at 14 a pointer to 14 */
	static const uint8_t self2[] = {
		HDR(1, 0, 0, 0), 1, 'a', 0xc0, 0x0e, T_A, C_IN,
	};
	/* 12: 'a' then a pointer back to 12 */
	static const uint8_t start[] = {
		HDR(1, 0, 0, 0), 1, 'a', 0xc0, 0x0c, T_A, C_IN,
	};
	/*
	 * No question.  12: a TXT record (skipped) whose rdata holds B at
	 * 23: 'b' -> 27; 27: the owner of the second record, A: 'a' -> 23.
	 */
	static const uint8_t ab[] = {
		HDR(0, 2, 0, 0),
		0, T_TXT, C_IN, TTL_300, 0x00, 0x04, 1, 'b', 0xc0, 0x1b,
		1, 'a', 0xc0, 0x17, T_A, C_IN, TTL_300, 0x00, 0x04,
		10, 0, 0, 1,
	};
	/* 12: a pointer forward to 18, where a name is */
	static const uint8_t fwd[] = {
		HDR(1, 0, 0, 0), 0xc0, 0x12, T_A, C_IN,
		1, 'x', 0,
	};
	/* 12: a pointer past the end */
	static const uint8_t past[] = {
		HDR(1, 0, 0, 0), 0xc0, 0xff, T_A, C_IN,
	};
	/* 12: a pointer into the header */
	static const uint8_t hdr[] = {
		HDR(1, 0, 0, 0), 0xc0, 0x04, T_A, C_IN,
	};
	/* 12: the message ends inside the pointer */
	static const uint8_t cut[] = {
		HDR(1, 0, 0, 0), 1, 'a', 0xc0,
	};
	/* 12: labels 01 and 10 are not in use */
	static const uint8_t ext[] = {
		HDR(1, 0, 0, 0), 0x41, 'a', 0, T_A, C_IN,
	};
	static const uint8_t resv[] = {
		HDR(1, 0, 0, 0), 0x81, 'a', 0, T_A, C_IN,
	};
	struct dns_msg	 *d = malloc(sizeof(*d));

	CHECK_EQ(dns_parse(self, sizeof(self), d), DNS_ELOOP);
	CHECK_EQ(dns_parse(self2, sizeof(self2), d), DNS_ELOOP);
	CHECK_EQ(dns_parse(start, sizeof(start), d), DNS_ELOOP);
	CHECK_EQ(dns_parse(ab, sizeof(ab), d), DNS_ELOOP);
	CHECK_EQ(d->answers_skipped, 1);
	CHECK_EQ(dns_parse(fwd, sizeof(fwd), d), DNS_EPOINTER);
	CHECK_EQ(dns_parse(past, sizeof(past), d), DNS_EPOINTER);
	CHECK_EQ(dns_parse(hdr, sizeof(hdr), d), DNS_EPOINTER);
	CHECK_EQ(dns_parse(cut, sizeof(cut), d), DNS_ESHORT);
	CHECK_EQ(dns_parse(ext, sizeof(ext), d), DNS_EBADNAME);
	CHECK_EQ(dns_parse(resv, sizeof(resv), d), DNS_EBADNAME);
	free(d);
}

/*
 * A chain of pointers to pointers: a TXT record's rdata holds the root
 * and then n pointers, each to the one before; the A record's owner
 * points to the last.  Its name takes n + 1 hops.
 */
static enum dns_error
hops(struct dns_msg *d, int n)
{
	struct mb	*m = malloc(sizeof(*m));
	size_t		 prev;
	int		 i;
	enum dns_error	 rc;

	mb_hdr(m, 0, 2);
	mb_u8(m, 0);
	mb_rr(m, 16, (uint16_t)(1 + 2 * n));
	prev = m->len;
	mb_u8(m, 0);
	for (i = 0; i < n; i++) {
		mb_u16(m, (uint16_t)(0xc000 | prev));
		prev = m->len - 2;
	}
	mb_u16(m, (uint16_t)(0xc000 | prev));
	mb_rr(m, 1, 4);
	mb_u16(m, 0x0a00);
	mb_u16(m, 0x0001);
	rc = dns_parse(m->b, m->len, d);
	free(m);
	return rc;
}

static void
test_hops(void)
{
	struct dns_msg	 *d = malloc(sizeof(*d));

	CHECK_EQ(hops(d, DNS_MAX_HOPS - 1), DNS_OK);
	CHECK_EQ(d->nanswers, 1);
	CHECK_STR(dns_rr_name(d, &d->an[0]), ".");
	CHECK_EQ(hops(d, DNS_MAX_HOPS), DNS_ELOOP);
	free(d);
}

/* Labels of 63 and 64 octets; names of 255 and 256 octets. */
static void
test_lengths(void)
{
	struct dns_msg	*d = malloc(sizeof(*d));
	struct mb	*m = malloc(sizeof(*m));
	char		 want[DNS_NAME_MAX], a[64], b[64];
	size_t		 qstart, elen;

	mb_hdr(m, 1, 0);
	mb_label(m, 63, 'x');
	mb_u8(m, 0);
	mb_u16(m, 1);
	mb_u16(m, 1);
	CHECK_EQ(dns_parse(m->b, m->len, d), DNS_OK);
	CHECK_STR(d->qname, rep(want, 63, 'x'));

	mb_hdr(m, 1, 0);
	mb_label(m, 64, 'x');
	mb_u8(m, 0);
	mb_u16(m, 1);
	mb_u16(m, 1);
	CHECK_EQ(dns_parse(m->b, m->len, d), DNS_EBADNAME);

	/* 3 * (1 + 63) + (1 + 61) + 1 = 255 */
	mb_hdr(m, 1, 0);
	mb_label(m, 63, 'a');
	mb_label(m, 63, 'b');
	mb_label(m, 63, 'c');
	mb_label(m, 61, 'd');
	mb_u8(m, 0);
	mb_u16(m, 1);
	mb_u16(m, 1);
	CHECK_EQ(dns_parse(m->b, m->len, d), DNS_OK);
	snprintf(want, sizeof(want), "%s.", rep(a, 63, 'a'));
	strcat(want, rep(b, 63, 'b'));
	strcat(want, ".");
	strcat(want, rep(a, 63, 'c'));
	strcat(want, ".");
	strcat(want, rep(b, 61, 'd'));
	CHECK_STR(d->qname, want);
	CHECK_EQ(strlen(d->qname), 253);

	/* one more octet: 256 */
	mb_hdr(m, 1, 0);
	mb_label(m, 63, 'a');
	mb_label(m, 63, 'b');
	mb_label(m, 63, 'c');
	mb_label(m, 62, 'd');
	mb_u8(m, 0);
	mb_u16(m, 1);
	mb_u16(m, 1);
	CHECK_EQ(dns_parse(m->b, m->len, d), DNS_ETOOLONG);

	/*
	 * The limit counts what pointers add: a 192-octet question, then
	 * an owner of a 63-octet label and a pointer to it: 64 + 192 = 256.
	 * With a 62-octet label it is 255.
	 */
	for (elen = 63; elen >= 62; elen--) {
		mb_hdr(m, 1, 1);
		qstart = m->len;
		mb_label(m, 63, 'a');
		mb_label(m, 63, 'b');
		mb_label(m, 62, 'c');
		mb_u8(m, 0);
		mb_u16(m, 1);
		mb_u16(m, 1);
		mb_label(m, elen, 'e');
		mb_u16(m, (uint16_t)(0xc000 | qstart));
		mb_rr(m, 1, 4);
		mb_u16(m, 0x0a00);
		mb_u16(m, 0x0001);
		CHECK_EQ(dns_parse(m->b, m->len, d),
		    elen == 63 ? DNS_ETOOLONG : DNS_OK);
		CHECK_EQ(strlen(d->qname), 63 + 63 + 62 + 2);
		CHECK_EQ(d->nanswers, elen == 63 ? 0 : 1);
	}
	CHECK_EQ(strlen(dns_rr_name(d, &d->an[0])), 62 + 63 + 63 + 62 + 3);
	free(m);
	free(d);
}

/* Every cut of a good message is an error, and the header survives. */
static void
test_truncated(void)
{
	static const uint8_t m[] = {
		HDR(1, 1, 0, 0),
		/* 12: host.example A IN */
		4, 'h', 'o', 's', 't', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 0,
		T_A, C_IN,
		/* 30: -> 12 A 192.0.2.7 */
		0xc0, 0x0c, T_A, C_IN, TTL_300, 0x00, 0x04, 192, 0, 2, 7,
	};
	/* the rdlength says 8 but 4 follow */
	static const uint8_t rdlen[] = {
		HDR(1, 1, 0, 0),
		1, 'h', 0, T_A, C_IN,
		0xc0, 0x0c, T_A, C_IN, TTL_300, 0x00, 0x08, 192, 0, 2, 7,
	};
	struct dns_msg	 *d = malloc(sizeof(*d));
	size_t		  n;
	int		  bad = 0;

	CHECK_EQ(dns_parse(m, 0, d), DNS_ESHORT);
	CHECK_EQ(dns_parse(m, 11, d), DNS_ESHORT);	/* header */
	CHECK_EQ(dns_parse(m, 20, d), DNS_ESHORT);	/* in the qname */
	CHECK_EQ(d->id, 0x1234);
	CHECK_STR(d->qname, "");
	CHECK_EQ(dns_parse(m, 27, d), DNS_ESHORT);	/* in the qtype */
	CHECK_STR(d->qname, "host.example");
	CHECK_EQ(dns_parse(m, sizeof(m) - 1, d), DNS_ESHORT);	/* rdata */
	CHECK_EQ(d->nanswers, 0);
	for (n = 0; n < sizeof(m); n++)
		if (dns_parse(m, n, d) != DNS_ESHORT)
			bad++;
	CHECK_EQ(bad, 0);
	CHECK_EQ(dns_parse(m, sizeof(m), d), DNS_OK);
	CHECK_EQ(dns_parse(rdlen, sizeof(rdlen), d), DNS_ESHORT);
	free(d);
}

/* RDATA whose length is wrong for its type. */
static void
test_bad_rdata(void)
{
	static const uint8_t a5[] = {
		HDR(1, 2, 0, 0),
		1, 'h', 0, T_A, C_IN,
		/* 19: a good one, then an A of 5 octets */
		0xc0, 0x0c, T_A, C_IN, TTL_300, 0x00, 0x04, 192, 0, 2, 7,
		0xc0, 0x0c, T_A, C_IN, TTL_300, 0x00, 0x05, 192, 0, 2, 8, 0,
	};
	static const uint8_t aaaa4[] = {
		HDR(1, 1, 0, 0),
		1, 'h', 0, T_AAAA, C_IN,
		0xc0, 0x0c, T_AAAA, C_IN, TTL_300, 0x00, 0x04, 192, 0, 2, 7,
	};
	/* a CNAME whose name ends before its rdata: one octet over */
	static const uint8_t cname[] = {
		HDR(1, 1, 0, 0),
		1, 'h', 0, T_A, C_IN,
		0xc0, 0x0c, T_CNAME, C_IN, TTL_300, 0x00, 0x04, 1, 'x', 0, 0,
	};
	/* a CNAME whose name runs past its rdata */
	static const uint8_t cname2[] = {
		HDR(1, 1, 0, 0),
		1, 'h', 0, T_A, C_IN,
		0xc0, 0x0c, T_CNAME, C_IN, TTL_300, 0x00, 0x02, 1, 'x', 0,
	};
	struct dns_msg	 *d = malloc(sizeof(*d));

	CHECK_EQ(dns_parse(a5, sizeof(a5), d), DNS_EBADRDATA);
	CHECK_EQ(d->nanswers, 1);		/* what came before stays */
	CHECK_EQ(d->an[0].addr[3], 7);
	CHECK_EQ(dns_parse(aaaa4, sizeof(aaaa4), d), DNS_EBADRDATA);
	CHECK_EQ(dns_parse(cname, sizeof(cname), d), DNS_EBADRDATA);
	CHECK_EQ(dns_parse(cname2, sizeof(cname2), d), DNS_ESHORT);
	free(d);
}

/* NXDOMAIN: no answers, an SOA in authority that is not read. */
static void
test_nxdomain(void)
{
	static const uint8_t m[] = {
		0xab, 0xcd, 0x81, 0x83, 0x00, 0x01, 0x00, 0x00,
		0x00, 0x01, 0x00, 0x00,
		/* 12: nope.example A IN */
		4, 'n', 'o', 'p', 'e', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 0,
		T_A, C_IN,
		/* 30: -> 17 SOA, rdata cut short: never looked at */
		0xc0, 0x11, 0x00, 0x06, C_IN, TTL_300, 0x00, 0x02, 0, 0,
	};
	struct dns_msg	 *d = malloc(sizeof(*d));

	CHECK_EQ(dns_parse(m, sizeof(m), d), DNS_OK);
	CHECK_EQ(d->id, 0xabcd);
	CHECK_EQ(d->rcode, 3);
	CHECK_EQ(d->nscount, 1);
	CHECK_EQ(d->nanswers, 0);
	CHECK_STR(d->qname, "nope.example");
	free(d);
}

/* Bytes that are not letters, digits or hyphens, and upper case. */
static void
test_escapes(void)
{
	static const uint8_t m[] = {
		HDR(1, 1, 0, 0),
		/* 12: "A.\<00><1f> <7f><ff>z-_" then "Example" */
		11, 'A', '.', '\\', 0x00, 0x1f, ' ', 0x7f, 0xff, 'z', '-', '_',
		7, 'E', 'x', 'A', 'm', 'P', 'L', 'e', 0, T_A, C_IN,
		/* 37: the same name in other case, no compression */
		11, 'a', '.', '\\', 0x00, 0x1f, ' ', 0x7f, 0xff, 'Z', '-', '_',
		7, 'e', 'X', 'a', 'M', 'p', 'l', 'E', 0,
		T_A, C_IN, TTL_300, 0x00, 0x04, 192, 0, 2, 1,
	};
	/* the root, as asked for by a priming query */
	static const uint8_t root[] = {
		HDR(1, 0, 0, 0), 0, 0x00, 0x02, C_IN,
	};
	struct dns_msg	 *d = malloc(sizeof(*d));
	const char	 *want = "a\\.\\\\\\000\\031\\032\\127\\255z-_.example";

	CHECK_EQ(dns_parse(m, sizeof(m), d), DNS_OK);
	CHECK_STR(d->qname, want);
	CHECK_EQ(d->nanswers, 1);
	CHECK_STR(dns_rr_name(d, &d->an[0]), want);
	CHECK_EQ(dns_parse(root, sizeof(root), d), DNS_OK);
	CHECK_STR(d->qname, ".");
	CHECK_EQ(d->qtype, 2);
	free(d);
}

/* RFC 2181 8: a TTL with the top bit set is 0. */
static void
test_ttl(void)
{
	static const uint8_t m[] = {
		HDR(1, 3, 0, 0),
		1, 'h', 0, T_A, C_IN,
		0xc0, 0x0c, T_A, C_IN, 0x7f, 0xff, 0xff, 0xff, 0x00, 0x04,
		10, 0, 0, 1,
		0xc0, 0x0c, T_A, C_IN, 0x80, 0x00, 0x00, 0x00, 0x00, 0x04,
		10, 0, 0, 2,
		0xc0, 0x0c, T_A, C_IN, 0xff, 0xff, 0xff, 0xff, 0x00, 0x04,
		10, 0, 0, 3,
	};
	struct dns_msg	 *d = malloc(sizeof(*d));

	CHECK_EQ(dns_parse(m, sizeof(m), d), DNS_OK);
	CHECK_EQ(d->nanswers, 3);
	CHECK_EQ(d->an[0].ttl, 0x7fffffff);
	CHECK_EQ(d->an[1].ttl, 0);
	CHECK_EQ(d->an[2].ttl, 0);
	free(d);
}

/* QDCOUNT 0 is read (RFC 9619), more than 1 is an error. */
static void
test_qdcount(void)
{
	static const uint8_t none[] = {
		HDR(0, 1, 0, 0),
		1, 'h', 0, T_A, C_IN, TTL_300, 0x00, 0x04, 10, 0, 0, 1,
	};
	static const uint8_t two[] = {
		HDR(2, 0, 0, 0),
		1, 'h', 0, T_A, C_IN,
		1, 'i', 0, T_A, C_IN,
	};
	struct dns_msg	 *d = malloc(sizeof(*d));

	CHECK_EQ(dns_parse(none, sizeof(none), d), DNS_OK);
	CHECK_STR(d->qname, "");
	CHECK_EQ(d->nanswers, 1);
	CHECK_STR(dns_rr_name(d, &d->an[0]), "h");
	CHECK_EQ(dns_parse(two, sizeof(two), d), DNS_EBADCOUNT);
	CHECK_STR(d->qname, "h");
	CHECK_EQ(d->qdcount, 2);
	free(d);
}

/* EDNS (RFC 6891): an OPT record in the query and in the response. */
static void
test_edns(void)
{
	static const uint8_t q[] = {
		0x55, 0x66, 0x01, 0x20, 0x00, 0x01, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x01,
		1, 'e', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 0, T_AAAA, C_IN,
		/* root, OPT, payload 1232, DO, a cookie option */
		0, T_OPT, 0x04, 0xd0, 0x00, 0x00, 0x80, 0x00, 0x00, 0x0c,
		0x00, 0x0a, 0x00, 0x08, 1, 2, 3, 4, 5, 6, 7, 8,
	};
	static const uint8_t r[] = {
		0x55, 0x66, 0x81, 0xa0, 0x00, 0x01, 0x00, 0x01,
		0x00, 0x00, 0x00, 0x01,
		1, 'e', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 0, T_AAAA, C_IN,
		0xc0, 0x0c, T_AAAA, C_IN, TTL_300, 0x00, 0x10,
		0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x0e,
		0, T_OPT, 0x04, 0xd0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	};
	struct dns_msg	 *d = malloc(sizeof(*d));

	CHECK_EQ(dns_parse(q, sizeof(q), d), DNS_OK);
	CHECK_EQ(d->qr, 0);
	CHECK_EQ(d->arcount, 1);
	CHECK_STR(d->qname, "e.example");
	CHECK_EQ(d->nanswers, 0);
	CHECK_EQ(dns_parse(r, sizeof(r), d), DNS_OK);
	CHECK_EQ(d->qr, 1);
	CHECK_EQ(d->nanswers, 1);
	CHECK_EQ(d->an[0].addr[15], 0x0e);
	free(d);
}

/* More answers than are kept, and more names than the store holds. */
static void
test_many(void)
{
	struct dns_msg	*d = malloc(sizeof(*d));
	struct mb	*m = malloc(sizeof(*m));
	int		 i, n = 0, many = DNS_MAX_ANSWERS + 8;

	mb_hdr(m, 1, (uint16_t)many);
	mb_label(m, 4, 'm');
	mb_u8(m, 0);
	mb_u16(m, 1);
	mb_u16(m, 1);
	for (i = 0; i < many; i++) {
		mb_u16(m, 0xc00c);
		mb_rr(m, 1, 4);
		mb_u16(m, 0x0a00);
		mb_u16(m, (uint16_t)i);
	}
	CHECK_EQ(dns_parse(m->b, m->len, d), DNS_OK);
	CHECK_EQ(d->nanswers, DNS_MAX_ANSWERS);
	CHECK_EQ(d->answers_dropped, many - DNS_MAX_ANSWERS);
	CHECK_EQ(d->an[DNS_MAX_ANSWERS - 1].addr[2],
	    (DNS_MAX_ANSWERS - 1) >> 8);
	CHECK_EQ(d->an[DNS_MAX_ANSWERS - 1].addr[3],
	    (DNS_MAX_ANSWERS - 1) & 0xff);

	/* 30 CNAMEs, each owner and target 4 * 60 octets and distinct */
	mb_hdr(m, 0, 30);
	for (i = 0; i < 30; i++) {
		mb_label(m, 60, (char)('a' + i % 26));
		mb_label(m, 60, 'x');
		mb_label(m, 60, 'y');
		mb_label(m, 60, (char)('0' + i / 26));
		mb_u8(m, 0);
		mb_rr(m, 5, 4 * 61 + 1);
		mb_label(m, 60, 't');
		mb_label(m, 60, (char)('a' + i % 26));
		mb_label(m, 60, 'z');
		mb_label(m, 60, (char)('0' + i / 26));
		mb_u8(m, 0);
	}
	CHECK_EQ(dns_parse(m->b, m->len, d), DNS_OK);
	CHECK(d->answers_dropped > 0);
	CHECK_EQ(d->nanswers + d->answers_dropped, 30);
	/* 1 + 16 * 2 * 244 octets of names fit in 8192, a 17th does not */
	CHECK_EQ(d->nanswers, 16);
	for (i = 0; i < d->nanswers; i++)
		if (strlen(dns_rr_name(d, &d->an[i])) == 4 * 61 - 1 &&
		    strlen(dns_rr_target(d, &d->an[i])) == 4 * 61 - 1)
			n++;
	CHECK_EQ(n, d->nanswers);
	free(m);
	free(d);
}

/* DNS over TCP: two messages in one buffer and a third cut short. */
static void
test_tcp(void)
{
	static const uint8_t s[] = {
		0x00, 0x1b,
		0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x00,
		1, 't', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 0, T_A, C_IN,
		0x00, 0x2b,
		0x00, 0x01, 0x81, 0x80, 0x00, 0x01, 0x00, 0x01,
		0x00, 0x00, 0x00, 0x00,
		1, 't', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 0, T_A, C_IN,
		0xc0, 0x0c, T_A, C_IN, TTL_300, 0x00, 0x04, 192, 0, 2, 99,
		0x00, 0x1b,
		0x00, 0x02, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00,
	};
	struct dns_msg	 *d = malloc(sizeof(*d));
	const uint8_t	 *p = s, *msg = NULL;
	size_t		  left = sizeof(s), used, mlen = 0;

	used = dns_tcp_next(p, left, &msg, &mlen);
	CHECK_EQ(used, 2 + 27);
	CHECK(msg == s + 2);
	CHECK_EQ(mlen, 27);
	CHECK_EQ(dns_parse(msg, mlen, d), DNS_OK);
	CHECK_EQ(d->qr, 0);
	CHECK_STR(d->qname, "t.example");
	p += used;
	left -= used;

	used = dns_tcp_next(p, left, &msg, &mlen);
	CHECK_EQ(used, 2 + 43);
	CHECK_EQ(dns_parse(msg, mlen, d), DNS_OK);
	CHECK_EQ(d->qr, 1);
	CHECK_EQ(d->nanswers, 1);
	CHECK_EQ(d->an[0].addr[3], 99);
	p += used;
	left -= used;

	CHECK_EQ(left, 10);
	CHECK_EQ(dns_tcp_next(p, left, &msg, &mlen), 0);
	CHECK_EQ(dns_tcp_next(p, 1, &msg, &mlen), 0);
	CHECK_EQ(dns_tcp_next(p, 0, &msg, &mlen), 0);
	/* a length of zero frames an empty message, which is short */
	CHECK_EQ(dns_tcp_next((const uint8_t *)"\0\0", 2, &msg, &mlen), 2);
	CHECK_EQ(mlen, 0);
	CHECK_EQ(dns_parse(msg, mlen, d), DNS_ESHORT);
	free(d);
}

/*
 * Frames 1533 and 1534 of pcaps/site-demo.pcap, UDP payload.  tshark
 * -e dns.qry.name -e dns.a -e dns.aaaa -e dns.cname -e dns.resp.ttl:
 *   update.vendor-cloud.example 198.51.100.44 - cdn.vendor-cloud.example 3600,300
 *   update.vendor-cloud.example - 2001:db8:44::44 cdn.vendor-cloud.example 3600,300
 */
static void
test_site_demo(void)
{
	static const uint8_t f1533[] = {
		0xf2, 0x8e, 0x81, 0x80, 0x00, 0x01, 0x00, 0x02, 0x00, 0x00,
		0x00, 0x00, 0x06, 0x75, 0x70, 0x64, 0x61, 0x74, 0x65, 0x0c,
		0x76, 0x65, 0x6e, 0x64, 0x6f, 0x72, 0x2d, 0x63, 0x6c, 0x6f,
		0x75, 0x64, 0x07, 0x65, 0x78, 0x61, 0x6d, 0x70, 0x6c, 0x65,
		0x00, 0x00, 0x01, 0x00, 0x01, 0xc0, 0x0c, 0x00, 0x05, 0x00,
		0x01, 0x00, 0x00, 0x0e, 0x10, 0x00, 0x06, 0x03, 0x63, 0x64,
		0x6e, 0xc0, 0x13, 0xc0, 0x39, 0x00, 0x01, 0x00, 0x01, 0x00,
		0x00, 0x01, 0x2c, 0x00, 0x04, 0xc6, 0x33, 0x64, 0x2c,
	};
	static const uint8_t f1534[] = {
		0xb1, 0x45, 0x81, 0x80, 0x00, 0x01, 0x00, 0x02, 0x00, 0x00,
		0x00, 0x00, 0x06, 0x75, 0x70, 0x64, 0x61, 0x74, 0x65, 0x0c,
		0x76, 0x65, 0x6e, 0x64, 0x6f, 0x72, 0x2d, 0x63, 0x6c, 0x6f,
		0x75, 0x64, 0x07, 0x65, 0x78, 0x61, 0x6d, 0x70, 0x6c, 0x65,
		0x00, 0x00, 0x1c, 0x00, 0x01, 0xc0, 0x0c, 0x00, 0x05, 0x00,
		0x01, 0x00, 0x00, 0x0e, 0x10, 0x00, 0x06, 0x03, 0x63, 0x64,
		0x6e, 0xc0, 0x13, 0xc0, 0x39, 0x00, 0x1c, 0x00, 0x01, 0x00,
		0x00, 0x01, 0x2c, 0x00, 0x10, 0x20, 0x01, 0x0d, 0xb8, 0x00,
		0x44, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x44,
	};
	static const uint8_t a[] = { 198, 51, 100, 44 };
	static const uint8_t aaaa[] = {
		0x20, 0x01, 0x0d, 0xb8, 0x00, 0x44, 0, 0, 0, 0, 0, 0, 0, 0,
		0x00, 0x44,
	};
	struct dns_msg	 *d = malloc(sizeof(*d));

	CHECK_EQ(dns_parse(f1533, sizeof(f1533), d), DNS_OK);
	CHECK_EQ(d->id, 0xf28e);
	CHECK_STR(d->qname, "update.vendor-cloud.example");
	CHECK_EQ(d->nanswers, 2);
	CHECK_STR(dns_rr_target(d, &d->an[0]), "cdn.vendor-cloud.example");
	CHECK_EQ(d->an[0].ttl, 3600);
	CHECK_STR(dns_rr_name(d, &d->an[1]), "cdn.vendor-cloud.example");
	CHECK_EQ(d->an[1].ttl, 300);
	CHECK_EQ(d->an[1].af, 4);
	CHECK(memcmp(d->an[1].addr, a, 4) == 0);

	CHECK_EQ(dns_parse(f1534, sizeof(f1534), d), DNS_OK);
	CHECK_EQ(d->qtype, DNS_TYPE_AAAA);
	CHECK_EQ(d->nanswers, 2);
	CHECK_STR(dns_rr_target(d, &d->an[0]), "cdn.vendor-cloud.example");
	CHECK_EQ(d->an[1].af, 6);
	CHECK_EQ(d->an[1].ttl, 300);
	CHECK(memcmp(d->an[1].addr, aaaa, 16) == 0);
	free(d);
}

static void
test_error_names(void)
{
	CHECK_STR(dns_error_name(DNS_OK), "dns.ok");
	CHECK_STR(dns_error_name(DNS_ESHORT), "dns.short");
	CHECK_STR(dns_error_name(DNS_ELOOP), "dns.name_loop");
	CHECK_STR(dns_error_name(DNS_EBADRDATA), "dns.bad_rdata");
	CHECK_STR(dns_error_name(DNS_EMAX), "dns.?");
}

int
main(void)
{
	test_a();
	test_aaaa();
	test_cname_chain();
	test_multiple();
	test_pointers();
	test_hops();
	test_lengths();
	test_truncated();
	test_bad_rdata();
	test_nxdomain();
	test_escapes();
	test_ttl();
	test_qdcount();
	test_edns();
	test_many();
	test_tcp();
	test_site_demo();
	test_error_names();
	return test_done("test_dns");
}
