/*
 * The index of an ordered list of rules (the global denies, a group's
 * allows), so that the first rule that matches a flow is found without
 * looking at every rule: a million-rule policy took 1 ms a new flow.
 *
 * Every item a rule names points back to the rule, in posting lists of
 * rule numbers in ascending order (the order written):
 *   - an address or network: by (prefix length, network), one hash table
 *     per family; a destination looks up each prefix length the list has
 *     (at most 33 or 129 probes, however many rules);
 *   - an ASN: a hash table; a country: a 26 x 26 table of its letters;
 *   - a domain: exact names in one hash table, "*.suffix" by the suffix in
 *     another; a name looks up itself, then each suffix after one of its
 *     dots (one probe a label).
 * The rules a query can match are those in the lists it finds; the first
 * of them whose proto and port admit the flow wins.  That is exactly the
 * rule a scan in order finds (policy_index_check in test_policy compares
 * them on random policies), so first match, deny before allow and the
 * proto and port narrowing are what they were.  Matching a domain is
 * ASCII case-insensitive with one trailing dot ignored, as
 * policy_domain_match; the evidence is that of every name of the query the
 * winning rule names, and its name the strongest.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "policy.h"
#include "policy_index.h"
#include "xmalloc.h"

#define PI_NAME_MAX	1024	/* a name as long is lowered on the heap */

/* Rules in the order written, each once. */
struct pi_list {
	uint32_t	*v;
	uint32_t	 n, cap;
};

/* A slot of an address table: a network and its list (+1; 0: empty). */
struct pi_addr {
	uint8_t		 addr[16];
	uint8_t		 plen;
	uint32_t	 list;
};

/* A slot of an ASN table. */
struct pi_asn {
	uint32_t	 asn;
	uint32_t	 list;		/* +1; 0: empty */
};

/* A slot of a name table: the rule's own string. */
struct pi_name {
	uint64_t	 h;
	const char	*s;
	size_t		 len;
	uint32_t	 list;		/* +1; 0: empty */
};

struct pi_addrs {
	struct pi_addr	*slots;
	size_t		 mask, n;
	uint8_t		 plens[129];	/* the lengths present, longest first */
	int		 nplens;
	uint8_t		 has[129];
};

struct pi_names {
	struct pi_name	*slots;
	size_t		 mask, n;
};

struct policy_index {
	struct policy_rule *const *rules;
	size_t			 nrules;
	struct pi_list		*lists;
	uint32_t		 nlists, lcap;
	struct pi_addrs		 addrs[2];	/* IPv4, IPv6 */
	struct pi_asn		*asns;
	size_t			 asn_mask, nasns;
	uint32_t		 countries[26 * 26];	/* list + 1 */
	struct pi_names		 exact, suffix;
};

/* Fixed: which slots collide depends on the policy alone. */
static const struct hash_key pi_key = {
	0x706f6c696379696eULL, 0x6465782d6b657973ULL
};

/* A new, empty list; its number + 1. */
static uint32_t
pi_list_new(struct policy_index *x)
{
	if (x->nlists == x->lcap) {
		x->lcap = x->lcap ? x->lcap * 2 : 64;
		x->lists = xreallocarray(x->lists, x->lcap, sizeof(*x->lists));
	}
	memset(&x->lists[x->nlists], 0, sizeof(x->lists[0]));
	return ++x->nlists;
}

/* Append rule i to list l (+1), unless it is there already. */
static void
pi_list_add(struct policy_index *x, uint32_t l, uint32_t i)
{
	struct pi_list	*p = &x->lists[l - 1];

	if (p->n > 0 && p->v[p->n - 1] == i)
		return;
	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 2;
		p->v = xreallocarray(p->v, p->cap, sizeof(*p->v));
	}
	p->v[p->n++] = i;
}

/* The hash of a network. */
static uint64_t
pi_addr_hash(const uint8_t *addr, uint8_t plen)
{
	uint8_t	k[17];

	memcpy(k, addr, 16);
	k[16] = plen;
	return hash_fast(&pi_key, k, sizeof(k));
}

/* Double an address table. */
static void
pi_addrs_grow(struct pi_addrs *t)
{
	struct pi_addr	*old = t->slots;
	size_t		 n = t->mask + 1, i, j;

	t->mask = n * 2 - 1;
	t->slots = xcalloc(n * 2, sizeof(*t->slots));
	for (i = 0; old != NULL && i < n; i++) {
		if (old[i].list == 0)
			continue;
		j = pi_addr_hash(old[i].addr, old[i].plen) & t->mask;
		while (t->slots[j].list != 0)
			j = (j + 1) & t->mask;
		t->slots[j] = old[i];
	}
	free(old);
}

/* The slot of a network in its table: its own, or the empty one it takes. */
static struct pi_addr *
pi_addrs_slot(const struct pi_addrs *t, const uint8_t *addr, uint8_t plen)
{
	size_t	j;

	for (j = pi_addr_hash(addr, plen) & t->mask; t->slots[j].list != 0;
	    j = (j + 1) & t->mask)
		if (t->slots[j].plen == plen &&
		    memcmp(t->slots[j].addr, addr, 16) == 0)
			break;
	return &t->slots[j];
}

/* Rule i names a network. */
static void
pi_addrs_add(struct policy_index *x, const struct policy_prefix *p,
    uint32_t i)
{
	struct pi_addrs	*t = &x->addrs[p->af == 6];
	struct pi_addr	*s;

	if ((t->n + 1) * 2 > t->mask + 1)
		pi_addrs_grow(t);
	s = pi_addrs_slot(t, p->addr, p->plen);
	if (s->list == 0) {
		memcpy(s->addr, p->addr, 16);
		s->plen = p->plen;
		s->list = pi_list_new(x);
		t->n++;
		t->has[p->plen] = 1;
	}
	pi_list_add(x, s->list, i);
}

/* The slot of an ASN. */
static struct pi_asn *
pi_asn_slot(const struct policy_index *x, uint32_t asn)
{
	size_t	j;

	for (j = hash_mum(asn, pi_key.k0) & x->asn_mask;
	    x->asns[j].list != 0 && x->asns[j].asn != asn;
	    j = (j + 1) & x->asn_mask)
		;
	return &x->asns[j];
}

/* Rule i names an ASN. */
static void
pi_asn_add(struct policy_index *x, uint32_t asn, uint32_t i)
{
	struct pi_asn	*old = x->asns, *s;
	size_t		 n = x->asn_mask + 1, k;

	if ((x->nasns + 1) * 2 > n) {
		x->asn_mask = n * 2 - 1;
		x->asns = xcalloc(n * 2, sizeof(*x->asns));
		for (k = 0; old != NULL && k < n; k++)
			if (old[k].list != 0)
				*pi_asn_slot(x, old[k].asn) = old[k];
		free(old);
	}
	s = pi_asn_slot(x, asn);
	if (s->list == 0) {
		s->asn = asn;
		s->list = pi_list_new(x);
		x->nasns++;
	}
	pi_list_add(x, s->list, i);
}

/* The slot of a name of len bytes (lower case). */
static struct pi_name *
pi_names_slot(const struct pi_names *t, const char *s, size_t len,
    uint64_t h)
{
	size_t	j;

	for (j = h & t->mask; t->slots[j].list != 0; j = (j + 1) & t->mask)
		if (t->slots[j].h == h && t->slots[j].len == len &&
		    memcmp(t->slots[j].s, s, len) == 0)
			break;
	return &t->slots[j];
}

/* Rule i names s (a "*.suffix" rule: the suffix, in t = suffix). */
static void
pi_names_add(struct policy_index *x, struct pi_names *t, const char *s,
    uint32_t i)
{
	struct pi_name	*old = t->slots, *slot;
	size_t		 n = t->mask + 1, k, len = strlen(s);
	uint64_t	 h = hash_fast(&pi_key, s, len);

	if ((t->n + 1) * 2 > n) {
		t->mask = n * 2 - 1;
		t->slots = xcalloc(n * 2, sizeof(*t->slots));
		for (k = 0; old != NULL && k < n; k++)
			if (old[k].list != 0)
				*pi_names_slot(t, old[k].s, old[k].len,
				    old[k].h) = old[k];
		free(old);
	}
	slot = pi_names_slot(t, s, len, h);
	if (slot->list == 0) {
		slot->h = h;
		slot->s = s;
		slot->len = len;
		slot->list = pi_list_new(x);
		t->n++;
	}
	pi_list_add(x, slot->list, i);
}

/* The place of a country code (two letters, either case), or -1. */
static int
pi_country(const char *cc)
{
	int	a, b;

	if (cc == NULL || cc[0] == '\0' || cc[1] == '\0' || cc[2] != '\0')
		return -1;
	a = (cc[0] | 0x20) - 'a';
	b = (cc[1] | 0x20) - 'a';
	if (a < 0 || a >= 26 || b < 0 || b >= 26)
		return -1;
	return a * 26 + b;
}

/* The index of rules[0..n), which must outlive it. */
struct policy_index *
policy_index_new(struct policy_rule *const *rules, size_t n)
{
	struct policy_index	*x;
	const struct policy_rule *r;
	size_t			 i, k;
	uint32_t		 ri;
	int			 c, p;

	x = xcalloc(1, sizeof(*x));
	x->rules = rules;
	x->nrules = n;
	for (i = 0; i < n; i++) {
		r = rules[i];
		ri = (uint32_t)i;
		switch (r->sel) {
		case POLICY_SEL_ADDR:
			for (k = 0; k < r->naddrs; k++)
				pi_addrs_add(x, &r->addrs[k], ri);
			break;
		case POLICY_SEL_ASN:
			for (k = 0; k < r->nasns; k++)
				if (r->asns[k] != 0)
					pi_asn_add(x, r->asns[k], ri);
			break;
		case POLICY_SEL_COUNTRY:
			for (k = 0; k < r->ncountries; k++) {
				if ((c = pi_country(r->countries[k])) == -1)
					continue;
				if (x->countries[c] == 0)
					x->countries[c] = pi_list_new(x);
				pi_list_add(x, x->countries[c], ri);
			}
			break;
		case POLICY_SEL_DOMAIN:
			for (k = 0; k < r->ndomains; k++) {
				if (strncmp(r->domains[k], "*.", 2) == 0)
					pi_names_add(x, &x->suffix,
					    r->domains[k] + 2, ri);
				else
					pi_names_add(x, &x->exact,
					    r->domains[k], ri);
			}
			break;
		}
	}
	for (k = 0; k < 2; k++)
		for (p = 128; p >= 0; p--)
			if (x->addrs[k].has[p])
				x->addrs[k].plens[x->addrs[k].nplens++] =
				    (uint8_t)p;
	return x;
}

/* Free an index (not the rules). */
void
policy_index_free(struct policy_index *x)
{
	uint32_t	i;

	if (x == NULL)
		return;
	for (i = 0; i < x->nlists; i++)
		free(x->lists[i].v);
	free(x->lists);
	free(x->addrs[0].slots);
	free(x->addrs[1].slots);
	free(x->asns);
	free(x->exact.slots);
	free(x->suffix.slots);
	free(x);
}

/*
 * The candidates' lists, gathered for one query: at most 129 networks, an
 * ASN, a country and, for each name, itself and the suffixes after its
 * dots that some rule names.  More than that (names of thousands of
 * labels, all named by rules) and the rules are scanned instead.
 */
#define PI_MAX_LISTS	(129 + 2 + POLICY_MAX_NAMES * (PI_NAME_MAX + 2))

struct pi_found {
	const struct pi_list	*l[PI_MAX_LISTS];
	int			 name[PI_MAX_LISTS];	/* query name, or -1 */
	int			 n;
	int			 full;		/* lists were left out */
};

/* Note a list (+1; 0: none) the query finds, for query name k or -1. */
static void
pi_found_add(const struct policy_index *x, struct pi_found *f, uint32_t l,
    int k)
{
	if (l == 0)
		return;
	if (f->n == PI_MAX_LISTS) {
		f->full = 1;
		return;
	}
	f->l[f->n] = &x->lists[l - 1];
	f->name[f->n++] = k;
}

/* The lists an address finds: each prefix length the table has. */
static void
pi_find_addr(const struct policy_index *x, struct pi_found *f, uint8_t af,
    const uint8_t *addr)
{
	const struct pi_addrs	*t = &x->addrs[af == 6];
	const struct pi_addr	*s;
	uint8_t			 net[16];
	size_t			 alen = af == 4 ? 4 : 16, full;
	int			 i;

	if (addr == NULL || t->n == 0)
		return;
	for (i = 0; i < t->nplens; i++) {
		memset(net, 0, sizeof(net));
		full = t->plens[i] / 8;
		if (full > alen)
			continue;
		memcpy(net, addr, full);
		if (t->plens[i] % 8 != 0 && full < alen)
			net[full] = addr[full] &
			    (uint8_t)(0xff00 >> (t->plens[i] % 8));
		s = pi_addrs_slot(t, net, t->plens[i]);
		pi_found_add(x, f, s->list, -1);
	}
}

/* The lists a name finds: itself, and "*.suffix" for each suffix. */
static void
pi_find_name(const struct policy_index *x, struct pi_found *f,
    const char *name, int k)
{
	char	 buf[PI_NAME_MAX], *low = buf;
	size_t	 len, j;

	if (name == NULL)
		return;
	len = strlen(name);
	if (len > 0 && name[len - 1] == '.')
		len--;
	if (len == 0)
		return;
	if (len > sizeof(buf))
		low = xmalloc(len);
	for (j = 0; j < len; j++)
		low[j] = name[j] >= 'A' && name[j] <= 'Z' ?
		    (char)(name[j] + 'a' - 'A') : name[j];
	if (x->exact.n > 0)
		pi_found_add(x, f, pi_names_slot(&x->exact, low, len,
		    hash_fast(&pi_key, low, len))->list, k);
	for (j = 1; x->suffix.n > 0 && j < len; j++)
		if (low[j] == '.' && j + 1 < len)
			pi_found_add(x, f, pi_names_slot(&x->suffix,
			    low + j + 1, len - j - 1, hash_fast(&pi_key,
			    low + j + 1, len - j - 1))->list, k);
	if (low != buf)
		free(low);
}

/* Is rule i in a list? */
static int
pi_list_has(const struct pi_list *l, uint32_t i)
{
	uint32_t	lo = 0, hi = l->n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (l->v[mid] < i)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < l->n && l->v[lo] == i;
}

/*
 * The first rule of the list that matches a query, or -1.  For a domain
 * rule, res->evidence and res->name are set as the scan sets them.
 */
long
policy_index_first(const struct policy_index *x, const struct policy_query *q,
    struct policy_result *res)
{
	struct pi_found	 f;
	const struct policy_rule *r;
	uint32_t	 best = UINT32_MAX, v;
	unsigned int	 ev, strongest = 0;
	int		 i, k, c;
	uint32_t	 j;

	res->evidence = 0;
	res->name = NULL;
	if (x == NULL || x->nrules == 0)
		return -1;
	f.n = 0;
	f.full = 0;
	if (q->af == 4 || q->af == 6)
		pi_find_addr(x, &f, q->af, q->dst_addr);
	if (q->asn != 0 && x->nasns > 0)
		pi_found_add(x, &f, pi_asn_slot(x, q->asn)->list, -1);
	if ((c = pi_country(q->country)) != -1)
		pi_found_add(x, &f, x->countries[c], -1);
	for (k = 0; k < q->nnames && k < POLICY_MAX_NAMES; k++)
		pi_find_name(x, &f, q->names[k].name, k);
	if (f.full)
		return policy_rules_first(x->rules, x->nrules, q, res);
	for (i = 0; i < f.n; i++)
		for (j = 0; j < f.l[i]->n && (v = f.l[i]->v[j]) < best; j++)
			if (policy_rule_transport(x->rules[v], q)) {
				best = v;
				break;
			}
	if (best == UINT32_MAX)
		return -1;
	r = x->rules[best];
	if (r->sel != POLICY_SEL_DOMAIN)
		return (long)best;
	/* every name of the query the rule names, the strongest first */
	for (k = 0; k < q->nnames && k < POLICY_MAX_NAMES; k++) {
		for (i = 0; i < f.n; i++)
			if (f.name[i] == k && pi_list_has(f.l[i], best))
				break;
		if (i == f.n)
			continue;
		ev = q->names[k].evidence;
		res->evidence |= ev;
		if (strongest == 0 || ev < strongest) {
			strongest = ev;
			res->name = q->names[k].name;
		}
	}
	return (long)best;
}
