/*
 * policyloop: what a decision costs under a policy of a million rules and
 * a table of a million entries, and what loading it costs.
 *
 *	policyloop [RULES [ENTRIES [QUERIES]]]
 *
 * Makes the text of a policy: one group with RULES allow rules (a quarter
 * each to a /32 on port 443, an ASN, a domain, a "*.suffix" over TCP) and
 * a deny rule whose list holds ENTRIES addresses (as a table would: no
 * "table" statement exists yet).  Loads it with parse_config_buffer
 * (timed: the parse, the normal forms and every index; the indexes alone
 * too), then times QUERIES flows through policy_verdict (the indexes) and
 * a few hundred through policy_verdict_scan (every rule in order, as
 * before the index), and checks that both give the same verdicts.  The
 * text goes through a buffer: a file holds at most 4 MiB, and a group
 * cannot be split over included files, so through files a million rules
 * are deny rules over several files; the index is the same for both.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "policy.h"
#include "policy_index.h"

/* Seconds of a monotonic clock. */
static double
now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* splitmix64: the same flows every run. */
static uint64_t
rnd(uint64_t *s)
{
	uint64_t	z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* The text of the policy, in *len bytes. */
static char *
policy_text(long rules, long entries, size_t *len)
{
	char	*buf = NULL;
	FILE	*fp;
	long	 i;

	if ((fp = open_memstream(&buf, len)) == NULL)
		exit(1);
	fprintf(fp, "internal 10.0.0.0/8\n"
	    "group \"cams\" {\n\thosts 10.1.0.0/16\n");
	for (i = 0; i < rules; i++) {
		switch (i % 4) {
		case 0:
			fprintf(fp, "\tallow to 20.%ld.%ld.%ld port 443\n",
			    (i >> 16) & 0xff, (i >> 8) & 0xff, i & 0xff);
			break;
		case 1:
			fprintf(fp, "\tallow to asn %ld\n", 100000 + i);
			break;
		case 2:
			fprintf(fp, "\tallow to domain \"h%ld.example\"\n", i);
			break;
		default:
			fprintf(fp, "\tallow to domain \"*.s%ld.example\" "
			    "proto tcp\n", i);
			break;
		}
	}
	fprintf(fp, "}\ndeny to {\n");
	for (i = 0; i < entries; i++)
		fprintf(fp, "\t30.%ld.%ld.%ld\n", (i >> 16) & 0xff,
		    (i >> 8) & 0xff, i & 0xff);
	fprintf(fp, "}\n");
	fclose(fp);
	return buf;
}

/* A random flow: to a listed address, ASN or name, or to nothing listed. */
static void
query(uint64_t *s, long rules, long entries, struct policy_query *q,
    uint8_t *app, uint8_t *dst, char *name, size_t len)
{
	long	i = (long)(rnd(s) % (uint64_t)rules);

	memset(q, 0, sizeof(*q));
	q->af = 4;
	app[0] = 10, app[1] = 1, app[2] = 0, app[3] = 5;
	q->appliance_addr = app;
	q->dst_addr = dst;
	q->proto = 6;
	q->dport = 443;
	dst[0] = 40, dst[1] = (uint8_t)(i >> 16), dst[2] = (uint8_t)(i >> 8),
	    dst[3] = (uint8_t)i;
	switch (rnd(s) % 6) {
	case 0:
		dst[0] = 20;
		break;
	case 1:
		q->asn = (uint32_t)(100000 + i);
		break;
	case 2:
		snprintf(name, len, "h%ld.example", i);
		policy_query_name(q, name, POLICY_EV_DNS);
		break;
	case 3:
		snprintf(name, len, "cdn.eu.s%ld.example", i);
		policy_query_name(q, name, POLICY_EV_TLS);
		break;
	case 4:
		i = (long)(rnd(s) % (uint64_t)entries);
		dst[0] = 30, dst[1] = (uint8_t)(i >> 16),
		    dst[2] = (uint8_t)(i >> 8), dst[3] = (uint8_t)i;
		break;
	default:	/* listed nowhere */
		q->asn = 7;
		snprintf(name, len, "nowhere%ld.test", i);
		policy_query_name(q, name, POLICY_EV_HTTP);
		break;
	}
}

int
main(int argc, char *argv[])
{
	struct policy		*p;
	struct policy_index	*x;
	struct policy_query	 q;
	struct policy_result	 a, b;
	uint8_t			 app[16], dst[16];
	char			 name[64], *text;
	size_t			 len;
	long			 rules = 1000000, entries = 1000000, n = 1000000;
	long			 i, nscan, matched = 0, differ = 0;
	uint64_t		 s = 1;
	double			 t0, load, tidx, tindex, tscan;

	if (argc > 1)
		rules = atol(argv[1]);
	if (argc > 2)
		entries = atol(argv[2]);
	if (argc > 3)
		n = atol(argv[3]);
	if (rules < 4 || entries < 1 || n < 1) {
		fprintf(stderr, "usage: policyloop [RULES [ENTRIES "
		    "[QUERIES]]]\n");
		return 2;
	}
	text = policy_text(rules, entries, &len);
	t0 = now();
	if ((p = parse_config_buffer("bench.conf", text, len, stderr)) == NULL)
		return 1;
	load = now() - t0;
	free(text);
	/* the indexes alone, built again */
	t0 = now();
	x = policy_index_new(p->groups[0]->rules, p->groups[0]->nrules);
	policy_index_free(x);
	x = policy_index_new(p->denies, p->ndenies);
	policy_index_free(x);
	tidx = now() - t0;

	t0 = now();
	for (i = 0; i < n; i++) {
		query(&s, rules, entries, &q, app, dst, name, sizeof(name));
		policy_verdict(p, &q, &a);
		matched += a.rule != NULL;
	}
	tindex = now() - t0;
	/* the scan, on fewer flows: each looks at every rule before its own */
	nscan = n < 300 ? n : 300;
	s = 2;
	t0 = now();
	for (i = 0; i < nscan; i++) {
		query(&s, rules, entries, &q, app, dst, name, sizeof(name));
		policy_verdict_scan(p, &q, &b);
	}
	tscan = now() - t0;
	s = 2;
	for (i = 0; i < nscan; i++) {
		query(&s, rules, entries, &q, app, dst, name, sizeof(name));
		policy_verdict(p, &q, &a);
		policy_verdict_scan(p, &q, &b);
		differ += a.rule != b.rule || a.verdict != b.verdict ||
		    a.evidence != b.evidence;
	}
	printf("policy: %ld rules in one group, a deny rule of %ld entries "
	    "(%.1f MB of text)\n", rules, entries, (double)len / 1e6);
	printf("load (parse, normal forms, indexes): %.2f s, of which the "
	    "indexes %.2f s\n", load, tidx);
	printf("decision, indexed: %.0f ns a flow (%ld flows, %ld by a "
	    "rule)\n", tindex / (double)n * 1e9, n, matched);
	printf("decision, every rule scanned: %.0f ns a flow (%ld flows)\n",
	    tscan / (double)nscan * 1e9, nscan);
	printf("verdicts that differ: %ld of %ld\n", differ, nscan);
	policy_free(p);
	return differ != 0;
}
