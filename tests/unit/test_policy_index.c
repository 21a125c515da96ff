/*
 * Unit tests for policy_index.c: on many random policies (addresses and
 * networks of both families that nest and repeat, ASNs, countries, exact
 * and "*.suffix" domains, proto and port narrowing, denies and allows in
 * several groups) and many random flows, the verdict through the indexes
 * is the verdict of the scan in order (policy_verdict_scan, the code
 * before the index): the same verdict, group, rule, evidence and name.
 */
#include "config.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "policy.h"
#include "test.h"

/* splitmix64: the same policies and flows every run. */
static uint64_t
rnd(uint64_t *s)
{
	uint64_t	z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static unsigned int
pick(uint64_t *s, unsigned int n)
{
	return (unsigned int)(rnd(s) % n);
}

static const char *v4[] = {
	"203.0.113.0/24", "203.0.113.0/25", "203.0.113.128/26",
	"203.0.113.7", "203.0.113.200", "198.51.100.0/24", "198.51.100.9",
	"0.0.0.0/0", "203.0.0.0/16", "192.0.2.0/28", "192.0.2.15",
	"10.20.0.0/16", "203.0.113.7/32"
};
static const char *v6[] = {
	"2001:db8::/32", "2001:db8:1::/48", "2001:db8:1::7", "::/0",
	"2001:db8:1:2::/64", "2001:db8:ffff::1"
};
static const char *domains[] = {
	"a.example", "*.example", "*.b.example", "c.a.example", "b.example",
	"*.a.example", "x.y.b.example", "*.y.b.example", "cdn.vendor.example",
	"*.vendor.example", "vendor.example", "*.c.a.example"
};
static const char *names[] = {
	"a.example", "A.Example.", "b.example", "x.b.example",
	"x.y.b.example", "z.x.y.b.example", "c.a.example", "d.c.a.example",
	"example", ".example", "..example", "cdn.vendor.example",
	"CDN.VENDOR.EXAMPLE", "vendor.example.", "other.test", "x..a.example",
	"a.example..", "q.a.example"
};
static const char *countries[] = { "US", "CN", "DE", "NL", "FR" };
static const char *qcountries[] = { "US", "us", "Cn", "DE", "NL", "RU",
	"", "U", "USA" };
static const char *protos[] = { "tcp", "udp", "icmp", "{ tcp, udp }",
	"sctp", "6" };
static const char *ports[] = { "443", "53", "{ 80, 443 }", "1000-2000",
	"{ 1-100, 8000-8080 }", "123" };
static const char *qaddrs4[] = {
	"203.0.113.7", "203.0.113.200", "203.0.113.130", "203.0.113.1",
	"198.51.100.9", "198.51.100.10", "192.0.2.15", "192.0.2.3",
	"203.0.5.5", "8.8.8.8", "10.20.3.4"
};
static const char *qaddrs6[] = {
	"2001:db8:1::7", "2001:db8:1:2::9", "2001:db8:ffff::1", "2001:db9::1",
	"2001:db8:2::1"
};

/* Append a random rule's "to ..." and options to buf. */
static void
rule(uint64_t *s, char *buf, size_t len)
{
	size_t	n = strlen(buf);
	int	i, k;

	switch (pick(s, 5)) {
	case 0:
		snprintf(buf + n, len - n, "to { ");
		for (i = 0, k = 1 + (int)pick(s, 3); i < k; i++) {
			n = strlen(buf);
			snprintf(buf + n, len - n, "%s%s", i ? ", " : "",
			    pick(s, 3) ? v4[pick(s, 13)] : v6[pick(s, 6)]);
		}
		n = strlen(buf);
		snprintf(buf + n, len - n, " }");
		break;
	case 1:
		snprintf(buf + n, len - n, "to asn { %u, %u }",
		    64500 + pick(s, 6), 64500 + pick(s, 6));
		break;
	case 2:
		snprintf(buf + n, len - n, "to country { %s, %s }",
		    countries[pick(s, 5)], countries[pick(s, 5)]);
		break;
	default:
		snprintf(buf + n, len - n, "to domain { ");
		for (i = 0, k = 1 + (int)pick(s, 3); i < k; i++) {
			n = strlen(buf);
			snprintf(buf + n, len - n, "%s\"%s\"", i ? ", " : "",
			    domains[pick(s, 12)]);
		}
		n = strlen(buf);
		snprintf(buf + n, len - n, " }");
		break;
	}
	/* a port only with a transport that has ports (or none) */
	k = pick(s, 3) == 0;
	n = strlen(buf);
	if (pick(s, 3) == 0) {
		i = (int)pick(s, 6);
		if (k && i == 2)
			i = 0;
		snprintf(buf + n, len - n, " proto %s", protos[i]);
	}
	n = strlen(buf);
	if (k)
		snprintf(buf + n, len - n, " port %s", ports[pick(s, 6)]);
	n = strlen(buf);
	snprintf(buf + n, len - n, "\n");
}

/* A random policy: 0-6 denies, two groups of 0-20 allows each. */
static struct policy *
policy(uint64_t *s)
{
	static char	 text[65536];
	struct policy	*p;
	int		 i, g, n;

	text[0] = '\0';
	for (i = 0, n = (int)pick(s, 7); i < n; i++) {
		strcat(text, "deny ");
		rule(s, text, sizeof(text));
	}
	for (g = 0; g < 2; g++) {
		n = (int)strlen(text);
		snprintf(text + n, sizeof(text) - (size_t)n,
		    "group \"g%d\" {\n\thosts { 10.%d.0.0/16, fd0%d::/16 }\n",
		    g, g, g);
		for (i = 0, n = (int)pick(s, 21); i < n; i++) {
			strcat(text, "\tallow ");
			rule(s, text, sizeof(text));
		}
		strcat(text, "}\n");
	}
	p = parse_config_buffer("r.conf", text, strlen(text), stderr);
	if (p == NULL)
		fprintf(stderr, "%s", text);
	return p;
}

/* A random flow of an appliance of group 0, 1 or none. */
static void
query(uint64_t *s, struct policy_query *q, uint8_t *app, uint8_t *dst)
{
	const char	*a;
	int		 i, n;
	static const enum policy_evidence ev[] = { POLICY_EV_DNS,
		POLICY_EV_TLS, POLICY_EV_HTTP };

	memset(q, 0, sizeof(*q));
	q->af = pick(s, 3) ? 4 : 6;
	memset(app, 0, 16);
	if (q->af == 4) {
		app[0] = 10;
		app[1] = (uint8_t)pick(s, 3);
		app[3] = 5;
		a = qaddrs4[pick(s, 11)];
		inet_pton(AF_INET, a, dst);
	} else {
		app[0] = 0xfd;
		app[1] = (uint8_t)pick(s, 3);
		app[15] = 5;
		a = qaddrs6[pick(s, 5)];
		inet_pton(AF_INET6, a, dst);
	}
	q->appliance_addr = app;
	q->dst_addr = dst;
	q->proto = (uint8_t[]){ 6, 17, 1, 58, 132, 47 }[pick(s, 6)];
	q->dport = (uint16_t[]){ 443, 53, 80, 1500, 8080, 123, 0, 50 }
	    [pick(s, 8)];
	q->asn = pick(s, 3) ? 64500 + pick(s, 7) : 0;
	q->country = pick(s, 4) ? qcountries[pick(s, 9)] : NULL;
	for (i = 0, n = (int)pick(s, 4); i < n; i++)
		policy_query_name(q, names[pick(s, 18)], ev[pick(s, 3)]);
}

/* The same answer both ways. */
static int
same(const struct policy_result *a, const struct policy_result *b)
{
	return a->verdict == b->verdict && a->group == b->group &&
	    a->rule == b->rule && a->evidence == b->evidence &&
	    a->name == b->name && a->line == b->line;
}

static void
test_random(void)
{
	struct policy		*p;
	struct policy_query	 q;
	struct policy_result	 a, b;
	uint8_t			 app[16], dst[16];
	uint64_t		 s = 15;
	int			 i, k, bad = 0, matched = 0, domain = 0;

	for (i = 0; i < 1000; i++) {
		if ((p = policy(&s)) == NULL) {
			CHECK(!"a random policy did not parse");
			continue;
		}
		for (k = 0; k < 200; k++) {
			query(&s, &q, app, dst);
			policy_verdict(p, &q, &a);
			policy_verdict_scan(p, &q, &b);
			if (!same(&a, &b)) {
				if (bad++ < 5)
					fprintf(stderr, "policy %d query %d: "
					    "rule %s / %s\n", i, k,
					    a.rule_name ? a.rule_name : "-",
					    b.rule_name ? b.rule_name : "-");
			}
			matched += a.rule != NULL;
			domain += a.evidence != 0;
		}
		policy_free(p);
	}
	CHECK_EQ(bad, 0);
	/* the flows did meet the rules, domain rules too */
	CHECK(matched > 50000);
	CHECK(domain > 5000);
	printf("random: %d of 200000 verdicts by a rule, %d by a domain\n",
	    matched, domain);
}

int
main(void)
{
	test_random();
	return test_done("test_policy_index");
}
