/*
 * Unit tests for the policy: verdict precedence (deny, internal, site
 * resolvers and NTP, allow), the group of an appliance (most specific
 * prefix, MACs; checked against a brute force on random prefixes),
 * domain evidence, transports and ports, and the parse errors that only
 * the whole policy shows.
 */
#include "config.h"

#include <sys/stat.h>
#include <arpa/inet.h>
#include <stdlib.h>
#include <unistd.h>

#include "policy.h"
#include "test.h"
#include "xmalloc.h"

/* A policy from text; NULL on errors, which go to errbuf if given. */
static struct policy *
conf(const char *text, char *errbuf, size_t errlen)
{
	struct policy	*p;
	FILE		*fp = stderr;
	char		*s = NULL;
	size_t		 len = 0;

	if (errbuf != NULL && (fp = open_memstream(&s, &len)) == NULL)
		abort();
	p = parse_config_buffer("t.conf", text, strlen(text), fp);
	if (errbuf != NULL) {
		fclose(fp);
		snprintf(errbuf, errlen, "%s", s);
		free(s);
	}
	return p;
}

/* An address of family 4 or 6 from text, into a static buffer of n. */
static const uint8_t *
addr(const char *s, int n)
{
	static uint8_t	buf[4][16];
	uint8_t		*b = buf[n];

	memset(b, 0, 16);
	if (inet_pton(strchr(s, ':') ? AF_INET6 : AF_INET, s, b) != 1)
		abort();
	return b;
}

/* A query from the appliance to dst, proto, port. */
static void
query(struct policy_query *q, const char *appliance, const char *dst,
    uint8_t proto, uint16_t port)
{
	memset(q, 0, sizeof(*q));
	q->af = strchr(appliance, ':') ? 6 : 4;
	q->appliance_addr = addr(appliance, 0);
	q->dst_addr = addr(dst, 1);
	q->proto = proto;
	q->dport = port;
	q->country = "";
}

/* The name of the group of an address, or "-". */
static const char *
group_of(const struct policy *p, const char *a)
{
	const struct policy_group	*g;

	g = policy_group_of(p, strchr(a, ':') ? 6 : 4, addr(a, 2), NULL);
	return g != NULL ? g->name : "-";
}

/* The verdict name of a query. */
static const char *
verdict(const struct policy *p, const struct policy_query *q,
    struct policy_result *r)
{
	return policy_verdict_name(policy_verdict(p, q, r));
}

/* Deny, then internal, then the first allow; unknown appliances. */
static void
test_precedence(void)
{
	struct policy		*p;
	struct policy_query	 q;
	struct policy_result	 r;

	p = conf("internal { 10.0.0.0/8 }\n"
	    "group \"cams\" {\n"
	    "\thosts { 10.1.0.0/16 }\n"
	    "\tallow to asn 64500\n"
	    "\tallow to 203.0.113.0/24 port 443\n"
	    "\tallow to 203.0.113.5\n"
	    "}\n"
	    "deny to asn 64500 proto udp\n"
	    "deny to 10.9.9.9\n"
	    "deny to country kp\n", NULL, 0);
	CHECK(p != NULL);
	if (p == NULL)
		return;

	/* An allow by ASN, then a deny for UDP to the same ASN. */
	query(&q, "10.1.0.7", "198.51.100.1", 6, 80);
	q.asn = 64500;
	CHECK_STR(verdict(p, &q, &r), "approved");
	CHECK_STR(r.group->name, "cams");
	CHECK_STR(r.rule_name, "allow to asn 64500");
	CHECK_STR(r.file, "t.conf");
	CHECK_EQ(r.line, 4);
	CHECK_EQ(r.evidence, 0);
	q.proto = 17;
	CHECK_STR(verdict(p, &q, &r), "denied");
	CHECK_STR(r.rule_name, "deny to asn 64500 proto udp");
	CHECK_EQ(r.line, 8);
	CHECK_STR(r.group->name, "cams");

	/* A deny beats internal; the rest of internal is internal. */
	query(&q, "10.1.0.7", "10.9.9.9", 6, 443);
	CHECK_STR(verdict(p, &q, &r), "denied");
	CHECK_EQ(r.line, 9);
	query(&q, "10.1.0.7", "10.9.9.8", 6, 443);
	CHECK_STR(verdict(p, &q, &r), "internal");
	CHECK_STR(r.rule_name, "internal");
	CHECK_EQ(r.line, 1);
	CHECK(r.rule == NULL);

	/*
	 * Multicast, the broadcast, link-local: nothing sent there leaves,
	 * so internal without being listed; a deny still comes first.
	 */
	query(&q, "10.1.0.7", "239.255.255.250", 17, 1900);
	CHECK_STR(verdict(p, &q, &r), "internal");
	CHECK_STR(r.rule_name, "local");
	CHECK(r.file == NULL);
	query(&q, "10.1.0.7", "255.255.255.255", 17, 67);
	CHECK_STR(verdict(p, &q, &r), "internal");
	query(&q, "fd00::7", "ff02::fb", 17, 5353);
	CHECK_STR(verdict(p, &q, &r), "internal");
	query(&q, "10.1.0.7", "169.254.1.1", 6, 80);
	CHECK_STR(verdict(p, &q, &r), "internal");
	query(&q, "10.1.0.7", "224.0.0.251", 17, 5353);
	q.country = "KP";
	CHECK_STR(verdict(p, &q, &r), "denied");

	/* The first allow that matches decides. */
	query(&q, "10.1.0.7", "203.0.113.5", 6, 443);
	CHECK_STR(verdict(p, &q, &r), "approved");
	CHECK_EQ(r.line, 5);
	query(&q, "10.1.0.7", "203.0.113.5", 6, 80);
	CHECK_STR(verdict(p, &q, &r), "approved");
	CHECK_EQ(r.line, 6);
	query(&q, "10.1.0.7", "203.0.113.6", 6, 80);
	CHECK_STR(verdict(p, &q, &r), "unapproved");
	CHECK(r.rule == NULL && r.rule_name == NULL);
	CHECK_STR(r.group->name, "cams");

	/* Country: any case, "" or NULL is unknown; ASN 0 is unknown. */
	q.country = "KP";
	CHECK_STR(verdict(p, &q, &r), "denied");
	q.country = "kp";
	CHECK_STR(verdict(p, &q, &r), "denied");
	q.country = NULL;
	CHECK_STR(verdict(p, &q, &r), "unapproved");
	q.asn = 0;
	CHECK_STR(verdict(p, &q, &r), "unapproved");

	/* An appliance in no group: nothing is approved, denies still hold. */
	query(&q, "10.2.0.7", "203.0.113.5", 6, 443);
	CHECK_STR(verdict(p, &q, &r), "unapproved");
	CHECK(r.group == NULL);
	q.country = "KP";
	CHECK_STR(verdict(p, &q, &r), "denied");
	CHECK(r.group == NULL);
	policy_free(p);
}

/* The group of an address or MAC; equal specificity is an error. */
static void
test_groups(void)
{
	struct policy	*p;
	const uint8_t	 mac[6] = { 0x02, 0, 0x5e, 0x10, 0, 0x01 };
	const uint8_t	 other[6] = { 0x02, 0, 0x5e, 0x10, 0, 0x02 };
	char		 err[1024];

	p = conf("group \"all\" { hosts { 0.0.0.0/0, ::/0 } }\n"
	    "group \"site\" { hosts { 10.0.0.0/8 } }\n"
	    "group \"wing\" { hosts { 10.1.0.0/16, fd00:1::/32 } }\n"
	    "group \"door\" { hosts { 10.1.2.3, 02:00:5E:10:00:01 } }\n"
	    "group \"top\" { hosts { 255.255.255.255, "
	    "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff } }\n",
	    NULL, 0);
	CHECK(p != NULL);
	if (p == NULL)
		return;
	CHECK_STR(group_of(p, "10.2.0.1"), "site");
	CHECK_STR(group_of(p, "10.1.0.1"), "wing");
	CHECK_STR(group_of(p, "10.1.2.3"), "door");
	CHECK_STR(group_of(p, "10.1.2.2"), "wing");
	CHECK_STR(group_of(p, "10.1.2.4"), "wing");
	CHECK_STR(group_of(p, "10.1.255.255"), "wing");
	CHECK_STR(group_of(p, "10.2.0.0"), "site");
	CHECK_STR(group_of(p, "10.0.255.255"), "site");
	CHECK_STR(group_of(p, "9.255.255.255"), "all");
	CHECK_STR(group_of(p, "11.0.0.0"), "all");
	CHECK_STR(group_of(p, "0.0.0.0"), "all");
	CHECK_STR(group_of(p, "255.255.255.254"), "all");
	CHECK_STR(group_of(p, "255.255.255.255"), "top");
	CHECK_STR(group_of(p, "fd00:1::5"), "wing");
	CHECK_STR(group_of(p, "fd00:2::5"), "all");
	CHECK_STR(group_of(p, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"),
	    "top");
	/* A listed MAC beats every prefix; an unknown one changes nothing. */
	CHECK_STR(policy_group_of(p, 4, addr("10.1.0.1", 0), mac)->name,
	    "door");
	CHECK_STR(policy_group_of(p, 6, addr("fd00:2::5", 0), mac)->name,
	    "door");
	CHECK_STR(policy_group_of(p, 4, addr("10.1.0.1", 0), other)->name,
	    "wing");
	policy_free(p);

	p = conf("group \"a\" { hosts { 10.1.0.0/16 } }\n", NULL, 0);
	CHECK(p != NULL);
	if (p != NULL) {
		CHECK_STR(group_of(p, "10.0.255.255"), "-");
		CHECK_STR(group_of(p, "10.2.0.0"), "-");
		CHECK_STR(group_of(p, "::1"), "-");
		policy_free(p);
	}

	/* Equal specificity in two groups is an error; in one, not. */
	p = conf("group \"a\" { hosts { 10.1.0.0/16, 10.9.0.1 } }\n"
	    "group \"b\" {\n"
	    "\thosts { 10.1.0.0/24, 10.9.0.1/32 }\n"
	    "}\n", err, sizeof(err));
	CHECK(p == NULL);
	CHECK_STR(err, "t.conf:3: 10.9.0.1/32 is in group \"b\" and in group "
	    "\"a\" (t.conf:1) with the same prefix length\n");
	p = conf("group \"a\" { hosts { 10.1.0.0/16, 10.1.0.0/16 } }\n",
	    err, sizeof(err));
	CHECK(p != NULL);
	CHECK_STR(err, "");
	policy_free(p);
	p = conf("group \"a\" { hosts { aa:bb:cc:dd:ee:ff } }\n"
	    "group \"b\" { hosts { AA:BB:CC:DD:EE:FF } }\n", err, sizeof(err));
	CHECK(p == NULL);
	CHECK_STR(err, "t.conf:2: aa:bb:cc:dd:ee:ff is in group \"b\" and in "
	    "group \"a\" (t.conf:1)\n");
}

/* A small deterministic generator (xorshift64). */
static uint64_t
rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* Does prefix a/plen hold address x (IPv4, host order)? */
static int
holds4(uint32_t a, int plen, uint32_t x)
{
	uint32_t	mask = plen == 0 ? 0 : 0xffffffffU << (32 - plen);

	return (a & mask) == (x & mask);
}

/*
 * Random prefixes, each its own group (so no two are equal), near each
 * other so that they nest; the span table must agree with a brute-force
 * most-specific search on addresses at and around every boundary.
 */
static void
test_groups_random(void)
{
	enum { N = 300, ROUNDS = 20 };
	static uint32_t	 net[N];
	static int	 len[N];
	uint64_t	 seed = 0x9e3779b97f4a7c15ULL;
	struct policy	*p;
	FILE		*fp;
	char		*text = NULL, name[16];
	size_t		 textlen = 0;
	uint32_t	 x, probes[6];
	int		 round, i, j, k, n, best, bad = 0;
	const struct policy_group *g;
	uint8_t		 a[4];

	for (round = 0; round < ROUNDS; round++) {
		if ((fp = open_memstream(&text, &textlen)) == NULL)
			abort();
		for (n = 0; n < N;) {
			len[n] = (int)(rnd(&seed) % 33);
			net[n] = (uint32_t)(0x0a000000U |
			    (rnd(&seed) & 0x0003ffffU));
			if (len[n] < 8)
				net[n] = (uint32_t)rnd(&seed);
			net[n] &= len[n] == 0 ? 0 : 0xffffffffU <<
			    (32 - len[n]);
			for (j = 0; j < n; j++)
				if (net[j] == net[n] && len[j] == len[n])
					break;
			if (j < n)
				continue;
			fprintf(fp, "group \"g%d\" { hosts { %u.%u.%u.%u/%d } "
			    "}\n", n, net[n] >> 24, (net[n] >> 16) & 0xff,
			    (net[n] >> 8) & 0xff, net[n] & 0xff, len[n]);
			n++;
		}
		fclose(fp);
		p = conf(text, NULL, 0);
		free(text);
		text = NULL;
		CHECK(p != NULL);
		if (p == NULL)
			return;
		for (i = 0; i < N; i++) {
			uint32_t last = net[i] | (len[i] == 32 ? 0 :
			    0xffffffffU >> len[i]);

			probes[0] = net[i];
			probes[1] = net[i] - 1;
			probes[2] = last;
			probes[3] = last + 1;
			probes[4] = net[i] + (uint32_t)(rnd(&seed) %
			    ((uint64_t)(last - net[i]) + 1));
			probes[5] = (uint32_t)rnd(&seed);
			for (k = 0; k < 6; k++) {
				x = probes[k];
				for (best = -1, j = 0; j < N; j++)
					if (holds4(net[j], len[j], x) &&
					    (best == -1 || len[j] > len[best]))
						best = j;
				a[0] = x >> 24;
				a[1] = (x >> 16) & 0xff;
				a[2] = (x >> 8) & 0xff;
				a[3] = x & 0xff;
				g = policy_group_of(p, 4, a, NULL);
				if (best == -1)
					bad += g != NULL;
				else {
					snprintf(name, sizeof(name), "g%d",
					    best);
					bad += g == NULL ||
					    strcmp(g->name, name) != 0;
				}
			}
		}
		policy_free(p);
	}
	CHECK_EQ(bad, 0);
}

/* Exact and *.suffix names, and which evidence matched. */
static void
test_domains(void)
{
	struct policy		*p;
	struct policy_query	 q;
	struct policy_result	 r;

	CHECK(policy_domain_match("*.x.example", "a.x.example"));
	CHECK(policy_domain_match("*.x.example", "a.b.X.Example."));
	CHECK(!policy_domain_match("*.x.example", "x.example"));
	CHECK(!policy_domain_match("*.x.example", "ax.example"));
	CHECK(!policy_domain_match("*.x.example", ".x.example."));
	CHECK(policy_domain_match("x.example", "X.EXAMPLE"));
	CHECK(policy_domain_match("x.example", "x.example."));
	CHECK(!policy_domain_match("x.example", "a.x.example"));
	CHECK(!policy_domain_match("x.example", ""));
	CHECK(!policy_domain_match("x.example", "."));
	CHECK(!policy_domain_match("x.example", NULL));
	CHECK(policy_domain_valid("a-b.c_d.example"));
	CHECK(policy_domain_valid("*.example"));
	CHECK(!policy_domain_valid("*.*.example"));
	CHECK(!policy_domain_valid("a..example"));
	CHECK(!policy_domain_valid("example."));
	CHECK(!policy_domain_valid("-a.example"));

	p = conf("group \"cams\" {\n"
	    "\thosts { 10.1.0.0/16 }\n"
	    "\tallow to domain { \"*.cloud.example\", \"api.example\" } "
	    "port 443\n"
	    "}\n"
	    "deny to domain \"evil.example\"\n", NULL, 0);
	CHECK(p != NULL);
	if (p == NULL)
		return;
	query(&q, "10.1.0.7", "198.51.100.1", 6, 443);
	q.names[0].name = "eu.cloud.example";
	q.names[0].evidence = POLICY_EV_DNS;
	q.names[1].name = "EU.Cloud.Example";
	q.names[1].evidence = POLICY_EV_TLS;
	q.names[2].name = "www.other.example";
	q.names[2].evidence = POLICY_EV_HTTP;
	q.nnames = 3;
	CHECK_STR(verdict(p, &q, &r), "approved");
	CHECK_EQ(r.evidence, POLICY_EV_DNS | POLICY_EV_TLS);
	CHECK_STR(r.name, "eu.cloud.example");
	CHECK_STR(policy_evidence_name(r.evidence), "dns");
	CHECK_STR(r.rule_name, "allow to domain { \"*.cloud.example\", "
	    "\"api.example\" } port 443");
	CHECK_EQ(r.line, 3);

	/* SNI alone, then HTTP Host alone: the evidence says so. */
	q.names[0].name = "unrelated.example";
	CHECK_STR(verdict(p, &q, &r), "approved");
	CHECK_EQ(r.evidence, POLICY_EV_TLS);
	CHECK_STR(r.name, "EU.Cloud.Example");
	CHECK_STR(policy_evidence_name(r.evidence), "tls");
	q.names[1].name = "cloud.example";	/* the bare suffix: no */
	q.names[2].name = "api.example";
	CHECK_STR(verdict(p, &q, &r), "approved");
	CHECK_EQ(r.evidence, POLICY_EV_HTTP);
	CHECK_STR(policy_evidence_name(r.evidence), "http");
	CHECK_STR(r.name, "api.example");
	q.names[2].name = "www.api.example";
	CHECK_STR(verdict(p, &q, &r), "unapproved");
	CHECK_EQ(r.evidence, 0);
	CHECK(r.name == NULL);
	/* The right name on the wrong port is not approved. */
	q.names[2].name = "api.example";
	q.dport = 80;
	CHECK_STR(verdict(p, &q, &r), "unapproved");
	CHECK_EQ(r.evidence, 0);
	/* A deny on any evidence, even SNI alone. */
	q.names[1].name = "evil.example";
	CHECK_STR(verdict(p, &q, &r), "denied");
	CHECK_EQ(r.evidence, POLICY_EV_TLS);
	CHECK_STR(r.name, "evil.example");
	q.nnames = 0;
	CHECK_STR(verdict(p, &q, &r), "unapproved");
	policy_free(p);
}

/* Transports, ports and ranges narrow a rule. */
static void
test_ports(void)
{
	struct policy		*p;
	struct policy_query	 q;
	struct policy_result	 r;

	p = conf("group \"g\" {\n"
	    "\thosts { 10.1.0.0/16, fd00:1::/64 }\n"
	    "\tallow to 198.51.100.1 port { 80, 8000-8010 }\n"
	    "\tallow to 198.51.100.2 proto udp port 53\n"
	    "\tallow to 198.51.100.3 proto icmp\n"
	    "\tallow to 198.51.100.4 proto { tcp, 47 }\n"
	    "\tallow to 2001:db8::/32 proto tcp port 443\n"
	    "}\n", NULL, 0);
	CHECK(p != NULL);
	if (p == NULL)
		return;
	query(&q, "10.1.0.7", "198.51.100.1", 6, 80);
	CHECK_STR(verdict(p, &q, &r), "approved");
	q.proto = 17;
	q.dport = 8005;
	CHECK_STR(verdict(p, &q, &r), "approved");
	q.dport = 8000;
	CHECK_STR(verdict(p, &q, &r), "approved");
	q.dport = 8010;
	CHECK_STR(verdict(p, &q, &r), "approved");
	q.dport = 8011;
	CHECK_STR(verdict(p, &q, &r), "unapproved");
	q.dport = 7999;
	CHECK_STR(verdict(p, &q, &r), "unapproved");
	q.proto = 132;
	q.dport = 80;
	CHECK_STR(verdict(p, &q, &r), "approved");
	q.proto = 1;		/* ICMP has no ports */
	CHECK_STR(verdict(p, &q, &r), "unapproved");

	query(&q, "10.1.0.7", "198.51.100.2", 17, 53);
	CHECK_STR(verdict(p, &q, &r), "approved");
	q.proto = 6;
	CHECK_STR(verdict(p, &q, &r), "unapproved");
	query(&q, "10.1.0.7", "198.51.100.3", 1, 0);
	CHECK_STR(verdict(p, &q, &r), "approved");
	q.proto = 6;
	CHECK_STR(verdict(p, &q, &r), "unapproved");
	query(&q, "10.1.0.7", "198.51.100.4", 47, 0);
	CHECK_STR(verdict(p, &q, &r), "approved");
	q.proto = 17;
	CHECK_STR(verdict(p, &q, &r), "unapproved");

	query(&q, "fd00:1::9", "2001:db8:5::1", 6, 443);
	CHECK_STR(verdict(p, &q, &r), "approved");
	CHECK_STR(r.rule_name, "allow to 2001:db8::/32 proto tcp port 443");
	q.dport = 444;
	CHECK_STR(verdict(p, &q, &r), "unapproved");
	/* An IPv4 rule never matches an IPv6 flow and back. */
	query(&q, "fd00:1::9", "::ffff:198.51.100.1", 6, 80);
	CHECK_STR(verdict(p, &q, &r), "unapproved");
	policy_free(p);
}

/* internal, resolvers and ntp-servers. */
static void
test_site(void)
{
	struct policy		*p;
	struct policy_query	 q;
	struct policy_result	 r;

	p = conf("internal { 10.0.0.0/8, fd00::/8 }\n"
	    "resolvers { 10.20.0.53, 192.0.2.53 }\n"
	    "ntp-servers 192.0.2.123\n"
	    "group \"g\" { hosts { 10.1.0.0/16 } }\n", NULL, 0);
	CHECK(p != NULL);
	if (p == NULL)
		return;
	CHECK(policy_is_internal(p, 4, addr("10.200.0.1", 0)));
	CHECK(!policy_is_internal(p, 4, addr("11.0.0.1", 0)));
	CHECK(policy_is_internal(p, 6, addr("fd12::1", 0)));
	CHECK(!policy_is_internal(p, 6, addr("fe80::1", 0)));
	CHECK(policy_is_resolver(p, 4, addr("192.0.2.53", 0)));
	CHECK(!policy_is_resolver(p, 4, addr("192.0.2.54", 0)));
	CHECK(policy_is_ntp_server(p, 4, addr("192.0.2.123", 0)));
	CHECK(!policy_is_ntp_server(p, 4, addr("192.0.2.53", 0)));
	CHECK(!policy_is_internal(p, 5, addr("10.200.0.1", 0)));

	/* An outside resolver is approved for DNS only, to any appliance. */
	query(&q, "10.1.0.7", "192.0.2.53", 17, 53);
	CHECK_STR(verdict(p, &q, &r), "approved");
	CHECK_STR(r.rule_name, "resolvers");
	CHECK_EQ(r.line, 2);
	CHECK_STR(r.group->name, "g");
	q.proto = 6;
	q.dport = 853;
	CHECK_STR(verdict(p, &q, &r), "approved");
	q.dport = 443;
	CHECK_STR(verdict(p, &q, &r), "unapproved");
	query(&q, "10.2.0.7", "192.0.2.53", 6, 53);
	CHECK_STR(verdict(p, &q, &r), "approved");
	CHECK(r.group == NULL);
	/* An inside resolver is internal first. */
	query(&q, "10.1.0.7", "10.20.0.53", 17, 53);
	CHECK_STR(verdict(p, &q, &r), "internal");
	query(&q, "10.1.0.7", "192.0.2.123", 17, 123);
	CHECK_STR(verdict(p, &q, &r), "approved");
	CHECK_STR(r.rule_name, "ntp-servers");
	CHECK_EQ(r.line, 3);
	q.proto = 6;
	CHECK_STR(verdict(p, &q, &r), "unapproved");
	policy_free(p);
}

/* Options reach the flow table's configuration. */
static void
test_options(void)
{
	struct policy		*p;
	struct flow_config	 fc, dflt;

	flow_config_default(&dflt);
	policy_flow_config(NULL, &fc);
	CHECK(memcmp(&fc, &dflt, sizeof(fc)) == 0);
	p = conf("flow-idle-timeout udp 90s\n"
	    "flow-active-timeout 2m\n"
	    "max-flows 5000\n"
	    "exfil-threshold 2G\n"
	    "unapproved-window 2h\n", NULL, 0);
	CHECK(p != NULL);
	if (p == NULL)
		return;
	policy_flow_config(p, &fc);
	CHECK_EQ(fc.timeout[FLOW_C_UDP], 90 * 1000000LL);
	CHECK_EQ(fc.timeout[FLOW_C_TCP_EST], dflt.timeout[FLOW_C_TCP_EST]);
	CHECK_EQ(fc.active_timeout, 120 * 1000000LL);
	CHECK_EQ(fc.max_flows, 5000);
	CHECK(flow_config_check(&fc) == NULL);
	CHECK_EQ(p->opts.exfil_threshold, 2000000000LL);
	CHECK_EQ(p->opts.unapproved_window, 7200 * 1000000LL);
	CHECK_EQ(p->opts.exfil_window, 0);
	policy_free(p);
}

/* Every code of the tz database's ISO 3166 table is known, and no more. */
static void
test_countries(void)
{
	FILE	*fp;
	char	 line[256];
	int	 n = 0, bad = 0;

	CHECK(policy_country_valid("KP"));
	CHECK(policy_country_valid("XK"));
	CHECK(!policy_country_valid("UK"));
	CHECK(!policy_country_valid("EU"));
	CHECK(!policy_country_valid("kp"));
	CHECK(!policy_country_valid("K"));
	CHECK(!policy_country_valid(""));
	if ((fp = fopen("/usr/share/zoneinfo/iso3166.tab", "r")) == NULL)
		return;
	while (fgets(line, sizeof(line), fp) != NULL) {
		if (line[0] == '#' || line[2] != '\t')
			continue;
		line[2] = '\0';
		n++;
		bad += !policy_country_valid(line);
	}
	fclose(fp);
	CHECK_EQ(n, 249);
	CHECK_EQ(bad, 0);
}

/* A policy printed and read again prints the same. */
static void
test_roundtrip(void)
{
	struct policy	*p, *q;
	FILE		*fp;
	char		*a = NULL, *b = NULL;
	size_t		 alen = 0, blen = 0;

	p = conf("x = \"{ 192.0.2.1, 192.0.2.0/25 }\"\n"
	    "group \"q\\\"uote\" {\n"
	    "\thosts { 10.0.0.0/8 }\n"
	    "\tallow to $x proto { tcp, udp } port { 1, 2-3 }\n"
	    "\tallow to domain \"*.A.example\"\n"
	    "}\n"
	    "exfil-threshold 1500\n"
	    "flow-idle-timeout icmp 1001ms\n", NULL, 0);
	CHECK(p != NULL);
	if (p == NULL)
		return;
	fp = open_memstream(&a, &alen);
	policy_print(fp, p);
	fclose(fp);
	CHECK_STR(a, "flow-idle-timeout icmp 1001ms\n"
	    "exfil-threshold 1500\n"
	    "\n"
	    "group \"q\\\"uote\" {\n"
	    "\thosts { 10.0.0.0/8 }\n"
	    "\tallow to { 192.0.2.1, 192.0.2.0/25 } proto { tcp, udp } "
	    "port { 1, 2-3 }\n"
	    "\tallow to domain \"*.a.example\"\n"
	    "}\n");
	q = conf(a, NULL, 0);
	CHECK(q != NULL);
	if (q != NULL) {
		fp = open_memstream(&b, &blen);
		policy_print(fp, q);
		fclose(fp);
		CHECK_STR(b, a);
		policy_free(q);
	}
	policy_free(p);
	free(a);
	free(b);
}

/* The errors of a config from memory, as one string. */
static const char *
errors_of(const char *text)
{
	static char	 err[4096];
	struct policy	*p;

	p = conf(text, err, sizeof(err));
	policy_free(p);
	return p != NULL ? "(parsed)" : err;
}

/* What bounds the parse: macro nesting and size, includes from memory. */
static void
test_limits(void)
{
	FILE	*fp;
	char	*text = NULL;
	size_t	 len = 0;
	int	 i;

	CHECK_STR(errors_of("include \"x.conf\"\n"), "t.conf:1: include: not "
	    "possible in a configuration read from memory\n");

	/* m0 uses m1 ... m40: 32 macros within each other at most. */
	fp = open_memstream(&text, &len);
	for (i = 0; i < 40; i++)
		fprintf(fp, "m%d = \"$m%d\"\n", i, i + 1);
	fprintf(fp, "m40 = \"192.0.2.1\"\ndeny to $m9\ndeny to $m0\n");
	fclose(fp);
	CHECK_STR(errors_of(text), "t.conf:43: macros nested too deep\n");
	free(text);

	/* Each doubles the one before: 2^30 words from a few lines. */
	text = NULL;
	fp = open_memstream(&text, &len);
	fprintf(fp, "a0 = \"192.0.2.1\"\n");
	for (i = 1; i <= 30; i++)
		fprintf(fp, "a%d = \"$a%d, $a%d\"\n", i, i - 1, i - 1);
	fprintf(fp, "deny to { $a30 }\n");
	fclose(fp);
	CHECK_STR(errors_of(text), "t.conf:32: macros expand to more than "
	    "1048576 bytes in all\n");
	free(text);

	/* Quoted strings are UTF-8: 2, 3 and 4 bytes; nothing else. */
	CHECK_STR(errors_of("group \"caf\xc3\xa9 \xe2\x82\xac "
	    "\xf0\x9f\x93\xb7\" { hosts 10.0.0.1 }\n"), "(parsed)");
	CHECK_STR(errors_of("json \"\xc3\"\n"),
	    "t.conf:1: quoted string is not UTF-8\n");
	CHECK_STR(errors_of("json \"\xc0\xaf\"\n"),	/* overlong '/' */
	    "t.conf:1: quoted string is not UTF-8\n");
	CHECK_STR(errors_of("json \"\xe0\x80\xaf\"\n"),	/* overlong */
	    "t.conf:1: quoted string is not UTF-8\n");
	CHECK_STR(errors_of("json \"\xed\xa0\x80\"\n"),	/* surrogate */
	    "t.conf:1: quoted string is not UTF-8\n");
	CHECK_STR(errors_of("json \"\xf4\x90\x80\x80\"\n"), /* > U+10FFFF */
	    "t.conf:1: quoted string is not UTF-8\n");
	CHECK_STR(errors_of("json \"\xe2\x82x\"\n"),
	    "t.conf:1: quoted string is not UTF-8\n");
	CHECK_STR(errors_of("json \"\xf8\x88\x80\x80\x80\"\n"),
	    "t.conf:1: quoted string is not UTF-8\n");
	CHECK_STR(errors_of("json \"\x80\"\n"),
	    "t.conf:1: quoted string is not UTF-8\n");
	/* Outside quotes only ASCII words. */
	CHECK_STR(errors_of("json caf\xc3\xa9\n"),
	    "t.conf:1: unexpected byte 0xc3\n");
	CHECK_STR(errors_of("\n\x01\n"), "t.conf:2: unexpected byte 0x01\n");
	/* Numbers too large for their unit. */
	CHECK_STR(errors_of("exfil-window 9223372036854775807\n"),
	    "t.conf:1: exfil-window: 9223372036854775807 is too large\n");
	CHECK_STR(errors_of("exfil-window 99999999999999999999s\n"),
	    "t.conf:1: exfil-window: 99999999999999999999s is too large\n");
	CHECK_STR(errors_of("exfil-threshold 9223372036854775T\n"),
	    "t.conf:1: exfil-threshold: 9223372036854775T is too large\n");
}

/* Write a file of the test's directory. */
static void
put(const char *path, const char *text)
{
	FILE	*fp;

	if ((fp = fopen(path, "w")) == NULL)
		abort();
	fputs(text, fp);
	fclose(fp);
}

/* The errors of parse_config on a file (its stderr), as one string. */
static const char *
file_errors(const char *path)
{
	static char	 err[4096];
	struct policy	*p;
	FILE		*tmp;
	size_t		 n;
	int		 saved;

	fflush(stderr);
	if ((tmp = tmpfile()) == NULL || (saved = dup(2)) == -1 ||
	    dup2(fileno(tmp), 2) == -1)
		abort();
	p = parse_config(path);
	fflush(stderr);
	if (dup2(saved, 2) == -1)
		abort();
	close(saved);
	rewind(tmp);
	n = fread(err, 1, sizeof(err) - 1, tmp);
	err[n] = '\0';
	fclose(tmp);
	policy_free(p);
	return p != NULL ? "(parsed)" : err;
}

/* Includes from files: depth, relative names, size. */
static void
test_includes(void)
{
	struct policy	*p;
	FILE		*fp;
	char		 dir[] = "/tmp/test_policy.XXXXXX", path[64], text[64];
	char		 cwd[4096];
	size_t		 i;
	int		 n;

	if (mkdtemp(dir) == NULL || getcwd(cwd, sizeof(cwd)) == NULL ||
	    chdir(dir) == -1)
		abort();
	/* A file named without a directory includes beside itself. */
	put("top.conf", "include \"sub.conf\"\n");
	put("sub.conf", "deny to asn 64500\n");
	p = parse_config("top.conf");
	CHECK(p != NULL && p->ndenies == 1);
	CHECK(p != NULL && strcmp(p->denies[0]->file, "sub.conf") == 0);
	policy_free(p);

	/* inc0 includes inc1 ... inc20: 16 deep at most (inc4 to inc20). */
	for (n = 0; n < 20; n++) {
		snprintf(path, sizeof(path), "inc%d.conf", n);
		snprintf(text, sizeof(text), "include \"inc%d.conf\"\n", n + 1);
		put(path, text);
	}
	put("inc20.conf", "\n");
	CHECK_STR(file_errors("inc0.conf"), "inc16.conf:1: include "
	    "\"inc17.conf\": files included more than 16 deep\n");
	CHECK_STR(file_errors("inc3.conf"), "inc19.conf:1: include "
	    "\"inc20.conf\": files included more than 16 deep\n");
	CHECK_STR(file_errors("inc4.conf"), "(parsed)");

	/* 4 MiB at most. */
	if ((fp = fopen("big.conf", "w")) == NULL)
		abort();
	for (i = 0; i < 4 * 1024 * 1024 / 16 + 1; i++)
		fputs("# 16 bytes line\n", fp);
	fclose(fp);
	CHECK_STR(file_errors("big.conf"), "big.conf: larger than 4 MiB\n");
	put("big-inc.conf", "include \"big.conf\"\n");
	CHECK_STR(file_errors("big-inc.conf"),
	    "big-inc.conf:1: big.conf: larger than 4 MiB\n");
	CHECK_STR(file_errors("none.conf"),
	    "none.conf: No such file or directory\n");
	CHECK_STR(file_errors("."), ".: not a regular file\n");

	for (n = 0; n <= 20; n++) {
		snprintf(path, sizeof(path), "inc%d.conf", n);
		unlink(path);
	}
	unlink("top.conf");
	unlink("sub.conf");
	unlink("big.conf");
	unlink("big-inc.conf");
	if (chdir(cwd) == -1 || rmdir(dir) == -1)
		abort();
}

int
main(void)
{
	test_precedence();
	test_groups();
	test_groups_random();
	test_domains();
	test_ports();
	test_site();
	test_options();
	test_countries();
	test_roundtrip();
	test_limits();
	test_includes();
	return test_done("test_policy");
}
