/*
 * libFuzzer target for the configuration parser (parse.y): the input is
 * read as a configuration from memory (include is an error there).
 *
 * Besides the sanitizers, a configuration that parses is checked: its
 * normal form parses again and prints the very same text (the round trip
 * of "egressd -tv"); every address a group lists, the first and the last
 * of each network, belongs to a group that holds it with a prefix at
 * least as long (most specific wins); and verdicts for a few flows of
 * each group are consistent with their result fields.
 */
#include "config.h"

#include "fuzz.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy.h"

/* The normal form of a policy as a string (free it). */
static char *
print_policy(const struct policy *p, size_t *len)
{
	FILE	*fp;
	char	*s = NULL;

	*len = 0;
	fp = open_memstream(&s, len);
	FUZZ_ASSERT(fp != NULL);
	policy_print(fp, p);
	FUZZ_ASSERT(fclose(fp) == 0 && s != NULL);
	return s;
}

/* Does a prefix hold an address of its family? */
static int
prefix_holds(const struct policy_prefix *p, uint8_t af, const uint8_t *a)
{
	unsigned int	i, bits = p->plen;

	if (p->af != af)
		return 0;
	for (i = 0; bits >= 8; i++, bits -= 8)
		if (p->addr[i] != a[i])
			return 0;
	return bits == 0 || ((p->addr[i] ^ a[i]) & (0xff << (8 - bits))) == 0;
}

/* The longest prefix of a group that holds an address, or -1. */
static int
group_plen(const struct policy_group *g, uint8_t af, const uint8_t *a)
{
	size_t	i;
	int	best = -1;

	for (i = 0; i < g->nmembers; i++)
		if (!g->members[i].is_mac &&
		    prefix_holds(&g->members[i].pfx, af, a) &&
		    g->members[i].pfx.plen > best)
			best = g->members[i].pfx.plen;
	return best;
}

/* An address of a member's network: the first, or the last. */
static void
member_addr(const struct policy_prefix *p, int last, uint8_t *a)
{
	unsigned int	i, alen = p->af == 4 ? 4 : 16;

	memcpy(a, p->addr, 16);
	if (!last)
		return;
	for (i = 0; i < alen; i++) {
		if (p->plen >= (i + 1) * 8)
			continue;
		if (p->plen <= i * 8)
			a[i] = 0xff;
		else
			a[i] |= 0xff >> (p->plen - i * 8);
	}
}

/* Most specific wins, and a verdict agrees with itself. */
static void
check_groups(const struct policy *p)
{
	const struct policy_group	*g, *found;
	const struct policy_prefix	*m;
	struct policy_query		 q;
	struct policy_result		 r;
	uint8_t				 a[16], dst[16];
	size_t				 i, j;
	int				 last;

	for (i = 0; i < p->ngroups; i++) {
		g = p->groups[i];
		for (j = 0; j < g->nmembers; j++) {
			if (g->members[j].is_mac) {
				FUZZ_ASSERT(policy_group_of(p, 4,
				    (const uint8_t *)"\0\0\0\0",
				    g->members[j].mac) == g);
				continue;
			}
			m = &g->members[j].pfx;
			for (last = 0; last < 2; last++) {
				member_addr(m, last, a);
				found = policy_group_of(p, m->af, a, NULL);
				FUZZ_ASSERT(found != NULL);
				FUZZ_ASSERT(group_plen(found, m->af, a) >=
				    m->plen);

				memset(&q, 0, sizeof(q));
				memset(dst, 0x5a, sizeof(dst));
				q.af = m->af;
				q.appliance_addr = a;
				q.dst_addr = last ? a : dst;
				q.proto = 6;
				q.dport = 443;
				q.asn = 64500;
				q.country = "KP";
				q.names[0].name = "www.example.com";
				q.names[0].evidence = POLICY_EV_TLS;
				q.nnames = 1;
				policy_verdict(p, &q, &r);
				FUZZ_ASSERT(r.group == found);
				FUZZ_ASSERT(policy_verdict_name(r.verdict) !=
				    NULL);
				if (r.verdict == POLICY_DENIED ||
				    (r.verdict == POLICY_APPROVED &&
				    r.rule != NULL))
					FUZZ_ASSERT(r.rule != NULL &&
					    r.rule_name == r.rule->name &&
					    r.line > 0);
				if (r.evidence != 0)
					FUZZ_ASSERT(r.rule != NULL &&
					    r.rule->sel == POLICY_SEL_DOMAIN &&
					    r.name != NULL);
				if (r.verdict == POLICY_UNAPPROVED)
					FUZZ_ASSERT(r.rule_name == NULL);
			}
		}
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct policy	*p, *again;
	char		*text, *text2;
	size_t		 len, len2;

	p = parse_config_buffer("fuzz.conf", (const char *)data, size, NULL);
	if (p == NULL)
		return 0;
	text = print_policy(p, &len);
	again = parse_config_buffer("normal.conf", text, len, stderr);
	FUZZ_ASSERT(again != NULL);
	text2 = print_policy(again, &len2);
	FUZZ_ASSERT(len == len2 && memcmp(text, text2, len) == 0);
	check_groups(p);
	policy_free(again);
	policy_free(p);
	free(text);
	free(text2);
	return 0;
}
