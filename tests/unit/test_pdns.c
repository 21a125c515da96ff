/* Unit tests for passive DNS: only answers to the appliance's own queries name addresses. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "dns.h"
#include "pdns.h"
#include "bytes.h"
#include "test.h"

#define SEC	1000000LL

/* A name in wire form, without compression. */
static void
name(struct b *b, const char *s)
{
	const char	*dot;
	size_t		 n;

	while (*s != '\0') {
		dot = strchr(s, '.');
		n = dot ? (size_t)(dot - s) : strlen(s);
		put8(b, (uint8_t)n);
		memcpy(b->d + b->n, s, n);
		b->n += n;
		s += n + (dot ? 1 : 0);
	}
	put8(b, 0);
}

/* A message: header, one question, then answers added by the caller. */
static void
msg(struct b *b, uint16_t id, int qr, const char *q, uint16_t qtype,
    uint16_t ancount)
{
	b->n = 0;
	put16(b, id);
	put16(b, qr ? 0x8180 : 0x0100);
	put16(b, 1);
	put16(b, ancount);
	put16(b, 0);
	put16(b, 0);
	name(b, q);
	put16(b, qtype);
	put16(b, 1);
}

static void
rr_a(struct b *b, const char *owner, uint32_t ttl, const uint8_t a[4])
{
	name(b, owner);
	put16(b, DNS_TYPE_A);
	put16(b, 1);
	put32(b, ttl);
	put16(b, 4);
	memcpy(b->d + b->n, a, 4);
	b->n += 4;
}

static void
rr_cname(struct b *b, const char *owner, const char *target)
{
	size_t	at;

	name(b, owner);
	put16(b, DNS_TYPE_CNAME);
	put16(b, 1);
	put32(b, 300);
	at = b->n;
	put16(b, 0);
	name(b, target);
	b->d[at] = (uint8_t)((b->n - at - 2) >> 8);
	b->d[at + 1] = (uint8_t)(b->n - at - 2);
}

static struct dns_msg *
parse(const struct b *b)
{
	static struct dns_msg	m;

	CHECK_EQ(dns_parse(b->d, b->n, &m), DNS_OK);
	return &m;
}

/*
 * Outstanding queries: every one of PDNS_QUERY_SLOTS queries in flight at
 * once is answered (none lost to where the random hash key places it), and
 * one more query overwrites the oldest, which is then unsolicited.
 */
static void
test_outstanding(void)
{
	struct pdns		*p = pdns_new(8);
	struct b		 b;
	const uint8_t		 res[4] = { 10, 20, 0, 53 };
	const uint8_t		 ip[4] = { 203, 0, 113, 7 };
	uint8_t			 appliance[4] = { 10, 20, 0, 0 };
	uint32_t		 i, n = PDNS_QUERY_SLOTS;
	int			 ok = 0, unsolicited = 0;

	for (i = 0; i <= n; i++) {
		appliance[2] = (uint8_t)(i >> 8);
		appliance[3] = (uint8_t)i;
		msg(&b, (uint16_t)(i >> 16), 0, "q.example", DNS_TYPE_A, 0);
		pdns_query(p, 4, appliance, res, parse(&b), 1 * SEC);
	}
	for (i = 0; i <= n; i++) {
		appliance[2] = (uint8_t)(i >> 8);
		appliance[3] = (uint8_t)i;
		msg(&b, (uint16_t)(i >> 16), 1, "q.example", DNS_TYPE_A, 1);
		rr_a(&b, "q.example", 600, ip);
		if (pdns_answer(p, 4, appliance, res, parse(&b), 2 * SEC) == 1)
			ok++;
		else
			unsolicited++;
	}
	CHECK_EQ(ok, (int)n);
	CHECK_EQ(unsolicited, 1);
	/* Query 0 was the one overwritten, and that is counted. */
	CHECK_EQ(pdns_stats(p)->unsolicited, 1);
	CHECK_EQ(pdns_counter(p, PDNS_C_queries_lost), 1);
	CHECK_STR(pdns_counter_name(PDNS_C_queries_lost),
	    "pdns.queries_given_way");
	appliance[2] = appliance[3] = 0;
	msg(&b, 0, 0, "q.example", DNS_TYPE_A, 0);
	pdns_query(p, 4, appliance, res, parse(&b), 3 * SEC);
	pdns_query(p, 4, appliance, res, parse(&b), 3 * SEC + 1);
	msg(&b, 0, 1, "q.example", DNS_TYPE_A, 1);
	rr_a(&b, "q.example", 600, ip);
	/* A query sent twice is answered twice, then no more. */
	CHECK_EQ(pdns_answer(p, 4, appliance, res, parse(&b), 4 * SEC), 1);
	CHECK_EQ(pdns_answer(p, 4, appliance, res, parse(&b), 4 * SEC), 1);
	CHECK_EQ(pdns_answer(p, 4, appliance, res, parse(&b), 4 * SEC), -1);
	pdns_free(p);
}

/*
 * Many names: three rounds of 70000 new pairs into a table of 70000, so
 * each round evicts the last, and more pairs go into the filter than it
 * takes before it is rebuilt.  Every pair of the last round still gives
 * its name; pairs evicted or never learned give none.
 */
static void
test_many(void)
{
	struct pdns		*p = pdns_new(70000);
	struct pdns_name	 pn;
	struct b		 b;
	const uint8_t		 res[4] = { 10, 20, 0, 53 };
	uint8_t			 appliance[4] = { 10, 21, 0, 0 };
	uint8_t			 ip[4] = { 203, 0, 0, 0 };
	uint32_t		 i, n = 70000, found = 0, old = 0, wrong = 0;
	uint8_t			 round;

	for (round = 0; round < 3; round++) {
		for (i = 0; i < n; i++) {
			appliance[2] = (uint8_t)(i >> 8);
			appliance[3] = (uint8_t)i;
			ip[1] = round;
			ip[2] = (uint8_t)(i >> 16);
			msg(&b, 1, 0, "many.example", DNS_TYPE_A, 0);
			pdns_query(p, 4, appliance, res, parse(&b), 1 * SEC);
			msg(&b, 1, 1, "many.example", DNS_TYPE_A, 1);
			rr_a(&b, "many.example", 600, ip);
			pdns_answer(p, 4, appliance, res, parse(&b), 1 * SEC);
		}
	}
	CHECK_EQ(pdns_stats(p)->learned, 3 * n);
	CHECK_EQ(pdns_stats(p)->evicted, 2 * n);
	/* every one of them before its TTL ran out: counted (issue 15) */
	CHECK_EQ(pdns_counter(p, PDNS_C_evicted), 2 * n);
	CHECK_EQ(pdns_counter(p, PDNS_C_evicted_live), 2 * n);
	CHECK_STR(pdns_counter_name(PDNS_C_evicted_live),
	    "pdns.names_evicted_unexpired");
	CHECK_EQ(pdns_stats(p)->filter_rebuilds, 1);
	for (i = 0; i < n; i++) {
		appliance[2] = (uint8_t)(i >> 8);
		appliance[3] = (uint8_t)i;
		ip[2] = (uint8_t)(i >> 16);
		ip[1] = 2;
		found += (uint32_t)pdns_lookup(p, 4, appliance, ip, 2 * SEC, &pn);
		ip[1] = 0;
		old += (uint32_t)pdns_lookup(p, 4, appliance, ip, 2 * SEC, &pn);
		ip[1] = 3;		/* never answered */
		wrong += (uint32_t)pdns_lookup(p, 4, appliance, ip, 2 * SEC, &pn);
	}
	CHECK_EQ(found, n);
	CHECK_EQ(old, 0);
	CHECK_EQ(wrong, 0);
	pdns_free(p);
}

/* Ask and be answered: name -> ip for the appliance at time ts. */
static void
resolve(struct pdns *p, const uint8_t *appliance, uint16_t id, const char *name,
    const uint8_t ip[4], uint32_t ttl, int64_t ts)
{
	const uint8_t	res[4] = { 10, 20, 0, 53 };
	struct b	b;

	msg(&b, id, 0, name, DNS_TYPE_A, 0);
	pdns_query(p, 4, appliance, res, parse(&b), ts);
	msg(&b, id, 1, name, DNS_TYPE_A, 1);
	rr_a(&b, name, ttl, ip);
	CHECK_EQ(pdns_answer(p, 4, appliance, res, parse(&b), ts), 1);
}

/*
 * A name belongs to the connections opened under it: not to one opened
 * before the answer, still to one opened before it expired however long
 * that one lasts; the same answer again extends it, another name ends it.
 */
static void
test_connection_time(void)
{
	struct pdns		*p = pdns_new(16);
	struct pdns_name	 pn;
	const uint8_t		 cam[4] = { 10, 20, 1, 11 };
	const uint8_t		 ip[4] = { 203, 0, 113, 50 };

	resolve(p, cam, 1, "mqtt.example", ip, 600, 100 * SEC);
	CHECK_EQ(pdns_lookup(p, 4, cam, ip, 99 * SEC, &pn), 0);
	CHECK_EQ(pdns_lookup(p, 4, cam, ip, 100 * SEC, &pn), 1);
	CHECK_EQ(pdns_lookup(p, 4, cam, ip, 700 * SEC, &pn), 1);
	CHECK_EQ(pdns_lookup(p, 4, cam, ip, 701 * SEC, &pn), 0);
	/* An expired entry stays for a connection opened in time. */
	CHECK_EQ(pdns_lookup(p, 4, cam, ip, 650 * SEC, &pn), 1);
	CHECK_STR(pn.name, "mqtt.example");
	/* Re-resolved before it expired: the same entry, longer. */
	resolve(p, cam, 2, "mqtt.example", ip, 600, 650 * SEC);
	CHECK_EQ(pdns_stats(p)->refreshed, 1);
	CHECK_EQ(pdns_lookup(p, 4, cam, ip, 100 * SEC, &pn), 1);
	CHECK_EQ(pdns_lookup(p, 4, cam, ip, 1250 * SEC, &pn), 1);
	/*
	 * Another name for the address takes over from then on; connections
	 * opened before keep the old one.  A third name: the first is gone.
	 */
	resolve(p, cam, 3, "other.example", ip, 600, 1200 * SEC);
	CHECK_EQ(pdns_lookup(p, 4, cam, ip, 1199 * SEC, &pn), 1);
	CHECK_STR(pn.name, "mqtt.example");
	CHECK_EQ(pdns_lookup(p, 4, cam, ip, 1200 * SEC, &pn), 1);
	CHECK_STR(pn.name, "other.example");
	resolve(p, cam, 4, "third.example", ip, 600, 1300 * SEC);
	CHECK_EQ(pdns_lookup(p, 4, cam, ip, 1250 * SEC, &pn), 1);
	CHECK_STR(pn.name, "other.example");
	CHECK_EQ(pdns_lookup(p, 4, cam, ip, 1199 * SEC, &pn), 0);
	CHECK_EQ(pdns_lookup(p, 4, cam, ip, 1300 * SEC, &pn), 1);
	CHECK_STR(pn.name, "third.example");
	CHECK_EQ(pdns_stats(p)->learned, 3);
	pdns_free(p);
}

/*
 * What names a call-home: the name the appliance's answer gave the
 * address, for a connection opened hours after it expired too, but never
 * for one opened before the answer, nor for another appliance.  The
 * flow's own name (pdns_lookup) still ends with the TTL.
 */
static void
test_expired(void)
{
	struct pdns		*p = pdns_new(16);
	struct pdns_name	 pn;
	const uint8_t		 hub[4] = { 10, 20, 1, 50 };
	const uint8_t		 cam[4] = { 10, 20, 1, 30 };
	const uint8_t		 ip[4] = { 203, 0, 113, 103 };

	resolve(p, hub, 1, "x-ats.iot.example.com", ip, 60, 100 * SEC);
	CHECK_EQ(pdns_lookup(p, 4, hub, ip, 4 * 3600 * SEC, &pn), 0);
	CHECK_EQ(pdns_lookup_expired(p, 4, hub, ip, 4 * 3600 * SEC, &pn), 1);
	CHECK_STR(pn.name, "x-ats.iot.example.com");
	CHECK_EQ(pdns_lookup_expired(p, 4, hub, ip, 99 * SEC, &pn), 0);
	CHECK_EQ(pdns_lookup_expired(p, 4, cam, ip, 4 * 3600 * SEC, &pn), 0);
	/* another name later: a connection opened between keeps the first */
	resolve(p, hub, 2, "y.example.net", ip, 60, 5 * 3600 * SEC);
	CHECK_EQ(pdns_lookup_expired(p, 4, hub, ip, 4 * 3600 * SEC, &pn), 1);
	CHECK_STR(pn.name, "x-ats.iot.example.com");
	CHECK_EQ(pdns_lookup_expired(p, 4, hub, ip, 9 * 3600 * SEC, &pn), 1);
	CHECK_STR(pn.name, "y.example.net");
	pdns_free(p);
}

int
main(void)
{
	struct pdns		*p = pdns_new(2);
	struct pdns_name	 pn;
	struct b		 b;
	const uint8_t		 cam[4] = { 10, 20, 1, 11 };
	const uint8_t		 other[4] = { 10, 20, 1, 12 };
	const uint8_t		 res[4] = { 10, 20, 0, 53 };
	const uint8_t		 ip1[4] = { 203, 0, 113, 7 };
	const uint8_t		 ip2[4] = { 198, 51, 100, 44 };
	const uint8_t		 ip3[4] = { 192, 0, 2, 9 };

	/* An answer nobody asked for is ignored. */
	msg(&b, 7, 1, "evil.example", DNS_TYPE_A, 1);
	rr_a(&b, "evil.example", 60, ip1);
	CHECK_EQ(pdns_answer(p, 4, cam, res, parse(&b), 1 * SEC), -1);
	CHECK_EQ(pdns_lookup(p, 4, cam, ip1, 2 * SEC, &pn), 0);

	/* Query then answer: learned, for that appliance only. */
	msg(&b, 7, 0, "api.hik-connect.example", DNS_TYPE_A, 0);
	pdns_query(p, 4, cam, res, parse(&b), 10 * SEC);
	msg(&b, 8, 1, "api.hik-connect.example", DNS_TYPE_A, 1);
	rr_a(&b, "api.hik-connect.example", 60, ip1);
	CHECK_EQ(pdns_answer(p, 4, cam, res, parse(&b), 10 * SEC + 500), -1);
	msg(&b, 7, 1, "api.hik-connect.example", DNS_TYPE_A, 1);
	rr_a(&b, "api.hik-connect.example", 60, ip1);
	CHECK_EQ(pdns_answer(p, 4, other, res, parse(&b), 10 * SEC + 500), -1);
	CHECK_EQ(pdns_answer(p, 4, cam, res, parse(&b), 10 * SEC + 600), 1);
	CHECK_EQ(pdns_lookup(p, 4, cam, ip1, 20 * SEC, &pn), 1);
	CHECK_STR(pn.name, "api.hik-connect.example");
	CHECK_STR(pn.cname, "");
	CHECK_EQ(pdns_lookup(p, 4, other, ip1, 20 * SEC, &pn), 0);
	/* The same answer again matches no query any more. */
	CHECK_EQ(pdns_answer(p, 4, cam, res, parse(&b), 10 * SEC + 700), -1);
	/* TTL 60 s is raised to the floor of 300 s, and then expires. */
	CHECK_EQ(pdns_lookup(p, 4, cam, ip1, 300 * SEC, &pn), 1);
	CHECK_EQ(pdns_lookup(p, 4, cam, ip1, 311 * SEC, &pn), 0);

	/* A CNAME chain in any order; an unrelated A is not learned. */
	msg(&b, 9, 0, "update.vendor.example", DNS_TYPE_A, 0);
	pdns_query(p, 4, cam, res, parse(&b), 400 * SEC);
	msg(&b, 9, 1, "update.vendor.example", DNS_TYPE_A, 4);
	rr_a(&b, "edge.cdn.example", 600, ip2);
	rr_cname(&b, "cdn.vendor.example", "edge.cdn.example");
	rr_cname(&b, "update.vendor.example", "cdn.vendor.example");
	rr_a(&b, "unrelated.example", 600, ip3);
	CHECK_EQ(pdns_answer(p, 4, cam, res, parse(&b), 400 * SEC + 1), 1);
	CHECK_EQ(pdns_lookup(p, 4, cam, ip2, 401 * SEC, &pn), 1);
	CHECK_STR(pn.name, "update.vendor.example");
	CHECK_STR(pn.cname, "cdn.vendor.example,edge.cdn.example");
	CHECK_EQ(pdns_lookup(p, 4, cam, ip3, 401 * SEC, &pn), 0);

	/* A query too old is no longer matched. */
	msg(&b, 10, 0, "late.example", DNS_TYPE_A, 0);
	pdns_query(p, 4, cam, res, parse(&b), 500 * SEC);
	msg(&b, 10, 1, "late.example", DNS_TYPE_A, 1);
	rr_a(&b, "late.example", 600, ip3);
	CHECK_EQ(pdns_answer(p, 4, cam, res, parse(&b), 531 * SEC), -1);

	/*
	 * The cap: two names.  The expired api.hik-connect.example is still
	 * held (a connection opened under it may still report), so a.example
	 * evicts it, the least recently used, and b.example evicts
	 * update.vendor.example.
	 */
	msg(&b, 11, 0, "a.example", DNS_TYPE_A, 0);
	pdns_query(p, 4, other, res, parse(&b), 600 * SEC);
	msg(&b, 11, 1, "a.example", DNS_TYPE_A, 1);
	rr_a(&b, "a.example", 600, ip1);
	CHECK_EQ(pdns_answer(p, 4, other, res, parse(&b), 600 * SEC), 1);
	msg(&b, 12, 0, "b.example", DNS_TYPE_A, 0);
	pdns_query(p, 4, other, res, parse(&b), 601 * SEC);
	msg(&b, 12, 1, "b.example", DNS_TYPE_A, 1);
	rr_a(&b, "b.example", 600, ip3);
	CHECK_EQ(pdns_answer(p, 4, other, res, parse(&b), 601 * SEC), 1);
	CHECK_EQ(pdns_stats(p)->evicted, 2);
	CHECK_EQ(pdns_lookup(p, 4, cam, ip1, 20 * SEC, &pn), 0);
	CHECK_EQ(pdns_lookup(p, 4, cam, ip2, 401 * SEC, &pn), 0);
	CHECK_EQ(pdns_lookup(p, 4, other, ip1, 602 * SEC, &pn), 1);
	CHECK_EQ(pdns_lookup(p, 4, other, ip3, 602 * SEC, &pn), 1);
	CHECK_EQ(pdns_stats(p)->unsolicited, 5);
	pdns_free(p);
	test_outstanding();
	test_many();
	test_connection_time();
	test_expired();
	return test_done("test_pdns");
}
