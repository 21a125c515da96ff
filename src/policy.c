/*
 * The policy: appliance groups, approved destinations, global denies and
 * the site's own networks, resolvers and NTP servers, as parse.y read
 * them; the look-up tables built once (policy_finish) so that a flow's
 * verdict costs a few binary searches; and the normal form that
 * "egressd -tv" prints and that parses again to the same policy.
 *
 * Order of a verdict (policy_verdict):
 *  1. a global deny rule that matches: denied (even inside "internal");
 *  2. a destination inside "internal": internal;
 *  3. a site resolver on port 53 (TCP, UDP) or 853 (TCP), a site NTP
 *     server on UDP port 123: approved;
 *  4. the first allow rule of the appliance's group that matches:
 *     approved;
 *  5. anything else, and anything of an appliance in no group: unapproved.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode.h"
#include "log.h"
#include "policy.h"
#include "policy_index.h"
#include "util.h"
#include "xmalloc.h"

#define POLICY_MAX_DOMAIN	253
#define POLICY_MAX_LABEL	63

/*
 * ISO 3166-1 alpha-2: the 249 officially assigned codes, and XK (Kosovo,
 * user-assigned, but what the MaxMind and DB-IP databases return), sorted.
 */
static const char policy_countries[][3] = {
	"AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AQ", "AR", "AS", "AT",
	"AU", "AW", "AX", "AZ", "BA", "BB", "BD", "BE", "BF", "BG", "BH", "BI",
	"BJ", "BL", "BM", "BN", "BO", "BQ", "BR", "BS", "BT", "BV", "BW", "BY",
	"BZ", "CA", "CC", "CD", "CF", "CG", "CH", "CI", "CK", "CL", "CM", "CN",
	"CO", "CR", "CU", "CV", "CW", "CX", "CY", "CZ", "DE", "DJ", "DK", "DM",
	"DO", "DZ", "EC", "EE", "EG", "EH", "ER", "ES", "ET", "FI", "FJ", "FK",
	"FM", "FO", "FR", "GA", "GB", "GD", "GE", "GF", "GG", "GH", "GI", "GL",
	"GM", "GN", "GP", "GQ", "GR", "GS", "GT", "GU", "GW", "GY", "HK", "HM",
	"HN", "HR", "HT", "HU", "ID", "IE", "IL", "IM", "IN", "IO", "IQ", "IR",
	"IS", "IT", "JE", "JM", "JO", "JP", "KE", "KG", "KH", "KI", "KM", "KN",
	"KP", "KR", "KW", "KY", "KZ", "LA", "LB", "LC", "LI", "LK", "LR", "LS",
	"LT", "LU", "LV", "LY", "MA", "MC", "MD", "ME", "MF", "MG", "MH", "MK",
	"ML", "MM", "MN", "MO", "MP", "MQ", "MR", "MS", "MT", "MU", "MV", "MW",
	"MX", "MY", "MZ", "NA", "NC", "NE", "NF", "NG", "NI", "NL", "NO", "NP",
	"NR", "NU", "NZ", "OM", "PA", "PE", "PF", "PG", "PH", "PK", "PL", "PM",
	"PN", "PR", "PS", "PT", "PW", "PY", "QA", "RE", "RO", "RS", "RU", "RW",
	"SA", "SB", "SC", "SD", "SE", "SG", "SH", "SI", "SJ", "SK", "SL", "SM",
	"SN", "SO", "SR", "SS", "ST", "SV", "SX", "SY", "SZ", "TC", "TD", "TF",
	"TG", "TH", "TJ", "TK", "TL", "TM", "TN", "TO", "TR", "TT", "TV", "TW",
	"TZ", "UA", "UG", "UM", "US", "UY", "UZ", "VA", "VC", "VE", "VG", "VI",
	"VN", "VU", "WF", "WS", "XK", "YE", "YT", "ZA", "ZM", "ZW"
};

static const char *const policy_flow_classes[FLOW_C_MAX] = {
	[FLOW_C_TCP_NEW] = "tcp-new",
	[FLOW_C_TCP_EST] = "tcp",
	[FLOW_C_TCP_CLOSED] = "tcp-closed",
	[FLOW_C_UDP] = "udp",
	[FLOW_C_ICMP] = "icmp",
	[FLOW_C_OTHER] = "other",
};

/* One prefix to put in a look-up table, with what it stands for. */
struct policy_pent {
	const struct policy_prefix	*pfx;
	const void			*value;
	size_t				 seq;	/* order written */
};

/* The config word for a flow class of flow.h (flow-idle-timeout). */
const char *
policy_flow_class_name(int c)
{
	if (c < 0 || c >= FLOW_C_MAX)
		return NULL;
	return policy_flow_classes[c];
}

/* Compare two country codes for bsearch. */
static int
policy_country_cmp(const void *a, const void *b)
{
	return strcmp(a, b);
}

/* Is an upper-case two-letter string an ISO 3166-1 alpha-2 code we know? */
int
policy_country_valid(const char *cc)
{
	if (strlen(cc) != 2)
		return 0;
	return bsearch(cc, policy_countries, sizeof(policy_countries) /
	    sizeof(policy_countries[0]), sizeof(policy_countries[0]),
	    policy_country_cmp) != NULL;
}

/*
 * Is a lower-case string a domain a rule may name: labels of letters,
 * digits, '-' and '_' (1-63 bytes, no leading or trailing '-'), 253 bytes
 * at most, optionally "*." in front?
 */
int
policy_domain_valid(const char *d)
{
	size_t	label = 0, len;

	if (strncmp(d, "*.", 2) == 0)
		d += 2;
	len = strlen(d);
	if (len == 0 || len > POLICY_MAX_DOMAIN)
		return 0;
	for (; *d != '\0'; d++) {
		if (*d == '.') {
			if (label == 0 || d[-1] == '-')
				return 0;
			label = 0;
			continue;
		}
		if (!(islower((unsigned char)*d) ||
		    isdigit((unsigned char)*d) || *d == '_' ||
		    (*d == '-' && label > 0)))
			return 0;
		if (++label > POLICY_MAX_LABEL)
			return 0;
	}
	return label > 0 && d[-1] != '-';
}

/*
 * Does a name match a rule's domain: exactly, or for "*.suffix" any name
 * that ends in ".suffix" (not the suffix itself)?  Case does not matter;
 * one trailing dot of the name is ignored.
 */
int
policy_domain_match(const char *pattern, const char *name)
{
	size_t	nlen, plen;

	if (name == NULL)
		return 0;
	nlen = strlen(name);
	if (nlen > 0 && name[nlen - 1] == '.')
		nlen--;
	if (nlen == 0)
		return 0;
	if (strncmp(pattern, "*.", 2) == 0) {
		pattern += 1;		/* ".suffix" */
		plen = strlen(pattern);
		return nlen > plen && strncasecmp(name + nlen - plen, pattern,
		    plen) == 0;
	}
	plen = strlen(pattern);
	return nlen == plen && strncasecmp(name, pattern, plen) == 0;
}

/* The size in bytes of an address of af 4 or 6. */
static size_t
policy_alen(uint8_t af)
{
	return af == 4 ? 4 : 16;
}

/* The last address of a prefix. */
static void
policy_prefix_end(const struct policy_prefix *p, uint8_t *end)
{
	size_t	alen = policy_alen(p->af), i;

	memset(end, 0, 16);
	for (i = 0; i < alen; i++) {
		if (p->plen >= (i + 1) * 8)
			end[i] = p->addr[i];
		else if (p->plen <= i * 8)
			end[i] = 0xff;
		else
			end[i] = p->addr[i] | (0xff >> (p->plen - i * 8));
	}
}

/* Are two entries the same prefix? */
static int
policy_pent_same(const struct policy_pent *x, const struct policy_pent *y)
{
	return x->pfx->plen == y->pfx->plen &&
	    memcmp(x->pfx->addr, y->pfx->addr, 16) == 0;
}

/* Order prefixes by first address, the larger first, then as written. */
static int
policy_pent_cmp(const void *a, const void *b)
{
	const struct policy_pent	*x = a, *y = b;
	int				 c;

	c = memcmp(x->pfx->addr, y->pfx->addr, 16);
	if (c != 0)
		return c;
	if (x->pfx->plen != y->pfx->plen)
		return (int)x->pfx->plen - (int)y->pfx->plen;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Start a span with a value, merging with the span before it. */
static void
policy_span_emit(struct policy_ptable *t, size_t *cap, const uint8_t *start,
    const void *value)
{
	struct policy_span	*last;

	if (t->nspans > 0) {
		last = &t->spans[t->nspans - 1];
		if (memcmp(last->start, start, 16) == 0) {
			last->value = value;
			if (t->nspans > 1 && t->spans[t->nspans - 2].value ==
			    value)
				t->nspans--;
			return;
		}
		if (last->value == value)
			return;
	} else if (value == NULL)
		return;
	if (t->nspans == *cap) {
		*cap = *cap ? *cap * 2 : 8;
		t->spans = xreallocarray(t->spans, *cap, sizeof(*t->spans));
	}
	memcpy(t->spans[t->nspans].start, start, 16);
	t->spans[t->nspans++].value = value;
}

/* The address after a; 0 if a is the last address of its family. */
static int
policy_addr_next(uint8_t *a, size_t alen)
{
	size_t	i;

	for (i = alen; i-- > 0;)
		if (++a[i] != 0)
			return 1;
	return 0;
}

/*
 * Build a look-up table from prefixes of one family that nest or are
 * disjoint (as CIDR prefixes do): the address space cut into spans, each
 * with the value of the most specific prefix that covers it.  The same
 * prefix twice with different values is a conflict, reported through cb
 * (or, without cb, the first one is kept).  Returns the conflicts.
 */
static int
policy_ptable_build(struct policy_ptable *t, struct policy_pent *e, size_t n,
    uint8_t af, void (*cb)(void *, const struct policy_pent *,
    const struct policy_pent *), void *arg)
{
	struct {
		uint8_t		 end[16];
		const void	*value;
	}		 stack[129];
	uint8_t		 next[16];
	size_t		 alen = policy_alen(af), i, sp = 0, cap = 0;
	int		 conflicts = 0;

	qsort(e, n, sizeof(*e), policy_pent_cmp);
	for (i = 0; i < n; i++) {
		if (i > 0 && policy_pent_same(&e[i - 1], &e[i])) {
			if (e[i - 1].value != e[i].value && cb != NULL) {
				cb(arg, &e[i - 1], &e[i]);
				conflicts++;
			}
			e[i] = e[i - 1];
			continue;
		}
		while (sp > 0 && memcmp(stack[sp - 1].end, e[i].pfx->addr,
		    16) < 0) {
			sp--;
			memcpy(next, stack[sp].end, 16);
			if (policy_addr_next(next, alen))
				policy_span_emit(t, &cap, next, sp > 0 ?
				    stack[sp - 1].value : NULL);
		}
		policy_span_emit(t, &cap, e[i].pfx->addr, e[i].value);
		policy_prefix_end(e[i].pfx, stack[sp].end);
		stack[sp++].value = e[i].value;
	}
	while (sp > 0) {
		sp--;
		memcpy(next, stack[sp].end, 16);
		if (policy_addr_next(next, alen))
			policy_span_emit(t, &cap, next, sp > 0 ?
			    stack[sp - 1].value : NULL);
	}
	return conflicts;
}

/* The value of the most specific prefix that holds an address, or NULL. */
static const void *
policy_ptable_lookup(const struct policy_ptable *t, uint8_t af,
    const uint8_t *addr)
{
	uint8_t	key[16];
	size_t	lo = 0, hi = t->nspans, mid;

	memset(key, 0, sizeof(key));
	memcpy(key, addr, policy_alen(af));
	/* The last span that starts at or before the address. */
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (memcmp(t->spans[mid].start, key, 16) <= 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo == 0 ? NULL : t->spans[lo - 1].value;
}

/* The value for an address in a two-family set. */
static const void *
policy_pset_lookup(const struct policy_pset *s, uint8_t af,
    const uint8_t *addr)
{
	if (addr == NULL || (af != 4 && af != 6))
		return NULL;
	return policy_ptable_lookup(af == 4 ? &s->v4 : &s->v6, af, addr);
}

/* Free the tables of a set. */
static void
policy_pset_free(struct policy_pset *s)
{
	free(s->v4.spans);
	free(s->v6.spans);
}

/* Build both tables of a set from entries of either family. */
static int
policy_pset_build(struct policy_pset *s, struct policy_pent *e, size_t n,
    void (*cb)(void *, const struct policy_pent *, const struct policy_pent *),
    void *arg)
{
	size_t	i, n4 = 0;
	int	conflicts;

	/* Family 4 first, then 6. */
	for (i = 0; i < n; i++)
		if (e[i].pfx->af == 4) {
			struct policy_pent tmp = e[n4];

			e[n4++] = e[i];
			e[i] = tmp;
		}
	conflicts = policy_ptable_build(&s->v4, e, n4, 4, cb, arg);
	conflicts += policy_ptable_build(&s->v6, e + n4, n - n4, 6, cb, arg);
	return conflicts;
}

/* A set whose values are the prefixes themselves (first of equals kept). */
static void
policy_pset_of(struct policy_pset *s, const struct policy_prefix *p, size_t n)
{
	struct policy_pent	*e;
	size_t			 i;

	e = xcalloc(n ? n : 1, sizeof(*e));
	for (i = 0; i < n; i++) {
		e[i].pfx = &p[i];
		e[i].value = &p[i];
		e[i].seq = i;
	}
	policy_pset_build(s, e, n, NULL, NULL);
	free(e);
}

/* An empty policy. */
struct policy *
policy_new(void)
{
	return xcalloc(1, sizeof(struct policy));
}

/* Free a rule and everything in it. */
void
policy_rule_free(struct policy_rule *r)
{
	size_t	i;

	if (r == NULL)
		return;
	free(r->addrs);
	policy_pset_free(&r->addrset);
	free(r->asns);
	free(r->countries);
	for (i = 0; i < r->ndomains; i++)
		free(r->domains[i]);
	free(r->domains);
	free(r->protos);
	free(r->ports);
	free(r->name);
	free(r);
}

/* Free a policy whole. */
void
policy_free(struct policy *p)
{
	struct policy_group	*g;
	size_t			 i, j;

	if (p == NULL)
		return;
	free(p->opts.interface);
	free(p->opts.asn_db);
	free(p->opts.country_db);
	free(p->opts.database);
	free(p->opts.json);
	free(p->opts.user);
	free(p->opts.filter);
	free(p->opts.stats_socket);
	free(p->internal);
	free(p->resolvers);
	free(p->ntp);
	for (i = 0; i < POLICY_TUNNEL_KINDS; i++)
		free(p->tunnels[i].from);
	for (i = 0; i < p->ngroups; i++) {
		g = p->groups[i];
		free(g->name);
		free(g->vendor);
		free(g->model);
		free(g->members);
		for (j = 0; j < g->nrules; j++)
			policy_rule_free(g->rules[j]);
		free(g->rules);
		policy_index_free(g->index);
		free(g);
	}
	free(p->groups);
	for (i = 0; i < p->ndenies; i++)
		policy_rule_free(p->denies[i]);
	free(p->denies);
	policy_index_free(p->deny_index);
	for (i = 0; i < p->nsyslogs; i++) {
		free(p->syslogs[i]->name);
		free(p->syslogs[i]->host);
		free(p->syslogs[i]->path);
		free(p->syslogs[i]->ca);
		free(p->syslogs[i]->cert);
		free(p->syslogs[i]->key);
		free(p->syslogs[i]->hostname);
		free(p->syslogs[i]);
	}
	free(p->syslogs);
	for (i = 0; i < p->nfiles; i++)
		free(p->files[i]);
	free(p->files);
	policy_pset_free(&p->internal_set);
	policy_pset_free(&p->resolver_set);
	policy_pset_free(&p->ntp_set);
	policy_pset_free(&p->member_set);
	free(p->macs);
	free(p);
}

/* The policy's own copy of a file name, for the file:line of what it says. */
const char *
policy_file(struct policy *p, const char *name)
{
	size_t	i;

	for (i = 0; i < p->nfiles; i++)
		if (strcmp(p->files[i], name) == 0)
			return p->files[i];
	p->files = xreallocarray(p->files, p->nfiles + 1, sizeof(*p->files));
	p->files[p->nfiles] = xstrdup(name);
	return p->files[p->nfiles++];
}

/* The group of a name, or NULL. */
struct policy_group *
policy_group_find(const struct policy *p, const char *name)
{
	size_t	i;

	for (i = 0; i < p->ngroups; i++)
		if (strcmp(p->groups[i]->name, name) == 0)
			return p->groups[i];
	return NULL;
}

/* A new empty group, in the policy from now on. */
struct policy_group *
policy_group_add(struct policy *p, const char *name, const char *file,
    int line)
{
	struct policy_group	*g;

	g = xcalloc(1, sizeof(*g));
	g->name = xstrdup(name);
	g->file = file;
	g->line = line;
	p->groups = xreallocarray(p->groups, p->ngroups + 1,
	    sizeof(*p->groups));
	p->groups[p->ngroups++] = g;
	return g;
}

/* Give a rule to a group (allow) or to the policy (deny, g NULL). */
void
policy_rule_add(struct policy *p, struct policy_group *g,
    struct policy_rule *r)
{
	r->group = g;
	if (g != NULL) {
		g->rules = xreallocarray(g->rules, g->nrules + 1,
		    sizeof(*g->rules));
		g->rules[g->nrules++] = r;
	} else {
		p->denies = xreallocarray(p->denies, p->ndenies + 1,
		    sizeof(*p->denies));
		p->denies[p->ndenies++] = r;
	}
}

/* Where policy_finish reports to. */
struct policy_err {
	policy_error_cb	 cb;
	void		*arg;
};

/* Report that one address or network is a member of two groups. */
static void
policy_member_conflict(void *arg, const struct policy_pent *a,
    const struct policy_pent *b)
{
	const struct policy_err		*pe = arg;
	const struct policy_group	*ga = a->value, *gb = b->value;
	const struct policy_prefix	*first = a->pfx, *second = b->pfx;
	char				 msg[512], addr[UTIL_ADDRSTRLEN];

	util_addr_str(second->af, second->addr, addr, sizeof(addr));
	snprintf(msg, sizeof(msg), "%s/%u is in group \"%s\" and in group "
	    "\"%s\" (%s:%d) with the same prefix length", addr,
	    second->plen, gb->name, ga->name, first->file, first->line);
	pe->cb(pe->arg, second->file, second->line, msg);
}

/* Order group MACs for bsearch and to find one in two groups. */
static int
policy_mac_cmp(const void *a, const void *b)
{
	return memcmp(((const struct policy_mac *)a)->mac,
	    ((const struct policy_mac *)b)->mac, 6);
}

/* Index the MAC members; a MAC in two groups is an error.  The errors. */
static int
policy_finish_macs(struct policy *p, const struct policy_err *pe)
{
	const struct policy_member	*m;
	struct policy_mac		*x;
	char				 msg[512];
	size_t				 i, j, n = 0;
	int				 errors = 0;

	for (i = 0; i < p->ngroups; i++)
		for (j = 0; j < p->groups[i]->nmembers; j++)
			if (p->groups[i]->members[j].is_mac)
				n++;
	p->macs = xcalloc(n ? n : 1, sizeof(*p->macs));
	for (i = 0; i < p->ngroups; i++)
		for (j = 0; j < p->groups[i]->nmembers; j++) {
			m = &p->groups[i]->members[j];
			if (!m->is_mac)
				continue;
			x = &p->macs[p->nmacs++];
			memcpy(x->mac, m->mac, 6);
			x->member = m;
			x->group = p->groups[i];
		}
	qsort(p->macs, p->nmacs, sizeof(*p->macs), policy_mac_cmp);
	for (i = j = 0; i < p->nmacs; i++) {
		if (j > 0 &&
		    policy_mac_cmp(&p->macs[j - 1], &p->macs[i]) == 0) {
			if (p->macs[j - 1].group != p->macs[i].group) {
				m = p->macs[i].member;
				snprintf(msg, sizeof(msg), "%02x:%02x:%02x:%02x:"
				    "%02x:%02x is in group \"%s\" and in group "
				    "\"%s\" (%s:%d)", m->mac[0], m->mac[1],
				    m->mac[2], m->mac[3], m->mac[4], m->mac[5],
				    p->macs[i].group->name,
				    p->macs[j - 1].group->name,
				    p->macs[j - 1].member->pfx.file,
				    p->macs[j - 1].member->pfx.line);
				pe->cb(pe->arg, m->pfx.file, m->pfx.line, msg);
				errors++;
			}
			continue;
		}
		p->macs[j++] = p->macs[i];
	}
	p->nmacs = j;
	return errors;
}

/* Build the group-membership table; equal prefixes in two groups are errors. */
static int
policy_finish_members(struct policy *p, struct policy_err *pe)
{
	struct policy_pent	*e;
	size_t			 i, j, n = 0;
	int			 errors;

	for (i = 0; i < p->ngroups; i++)
		n += p->groups[i]->nmembers;
	e = xcalloc(n ? n : 1, sizeof(*e));
	n = 0;
	for (i = 0; i < p->ngroups; i++)
		for (j = 0; j < p->groups[i]->nmembers; j++) {
			if (p->groups[i]->members[j].is_mac)
				continue;
			e[n].pfx = &p->groups[i]->members[j].pfx;
			e[n].seq = n;
			e[n++].value = p->groups[i];
		}
	errors = policy_pset_build(&p->member_set, e, n,
	    policy_member_conflict, pe);
	free(e);
	return errors;
}

/* Finish a rule: its address table and its name. */
static void
policy_finish_rule(struct policy_rule *r)
{
	policy_pset_of(&r->addrset, r->addrs, r->naddrs);
	free(r->name);
	r->name = policy_rule_text(r);
}

/*
 * Build the look-up tables once the parse is complete; report what only
 * the whole policy shows (a host in two groups with the same prefix
 * length, a MAC in two groups).  The number of errors.
 */
int
policy_finish(struct policy *p, policy_error_cb cb, void *arg)
{
	struct policy_err	pe = { cb, arg };
	size_t			i, j;
	int			errors = 0;

	policy_pset_of(&p->internal_set, p->internal, p->ninternal);
	policy_pset_of(&p->resolver_set, p->resolvers, p->nresolvers);
	policy_pset_of(&p->ntp_set, p->ntp, p->nntp);
	errors += policy_finish_members(p, &pe);
	errors += policy_finish_macs(p, &pe);
	for (i = 0; i < p->ngroups; i++) {
		for (j = 0; j < p->groups[i]->nrules; j++)
			policy_finish_rule(p->groups[i]->rules[j]);
		policy_index_free(p->groups[i]->index);
		p->groups[i]->index = policy_index_new(p->groups[i]->rules,
		    p->groups[i]->nrules);
	}
	for (i = 0; i < p->ndenies; i++)
		policy_finish_rule(p->denies[i]);
	policy_index_free(p->deny_index);
	p->deny_index = policy_index_new(p->denies, p->ndenies);
	return errors;
}

/* The group that lists a MAC address, or NULL. */
const struct policy_group *
policy_group_of_mac(const struct policy *p, const uint8_t *mac)
{
	struct policy_mac	 key;
	const struct policy_mac	*m;

	if (p->nmacs == 0)
		return NULL;
	memcpy(key.mac, mac, 6);
	m = bsearch(&key, p->macs, p->nmacs, sizeof(*p->macs), policy_mac_cmp);
	return m != NULL ? m->group : NULL;
}

/*
 * The group of an appliance: by its MAC when one is given and listed, else
 * by the most specific prefix that holds its address; NULL for none.
 */
const struct policy_group *
policy_group_of(const struct policy *p, uint8_t af, const uint8_t *addr,
    const uint8_t *mac)
{
	const struct policy_group	*g;

	if (mac != NULL && (g = policy_group_of_mac(p, mac)) != NULL)
		return g;
	return policy_pset_lookup(&p->member_set, af, addr);
}

/* Is an address inside one of the site's internal networks? */
int
policy_is_internal(const struct policy *p, uint8_t af, const uint8_t *addr)
{
	return policy_pset_lookup(&p->internal_set, af, addr) != NULL;
}

/*
 * Is an address outside the site: not one that never leaves it (multicast,
 * broadcast...: util_addr_local), and outside the policy's internal
 * networks, or without them (or without a policy) outside private address
 * space?
 */
int
policy_is_outside(const struct policy *p, uint8_t af, const uint8_t *addr)
{
	if (util_addr_local(af, addr))
		return 0;
	if (p != NULL && p->ninternal > 0)
		return !policy_is_internal(p, af, addr);
	return !util_addr_private(af, addr);
}

/* Is an address one of the site's DNS resolvers? */
int
policy_is_resolver(const struct policy *p, uint8_t af, const uint8_t *addr)
{
	return policy_pset_lookup(&p->resolver_set, af, addr) != NULL;
}

/* Is an address one of the site's NTP servers? */
int
policy_is_ntp_server(const struct policy *p, uint8_t af, const uint8_t *addr)
{
	return policy_pset_lookup(&p->ntp_set, af, addr) != NULL;
}

/* Do a rule's transport and ports admit a flow? */
int
policy_rule_transport(const struct policy_rule *r,
    const struct policy_query *q)
{
	size_t	i;

	if (r->nprotos > 0) {
		for (i = 0; i < r->nprotos; i++)
			if (r->protos[i] == q->proto)
				break;
		if (i == r->nprotos)
			return 0;
	}
	if (r->nports == 0)
		return 1;
	if (!util_proto_has_ports(q->proto))
		return 0;
	for (i = 0; i < r->nports; i++)
		if (q->dport >= r->ports[i].lo && q->dport <= r->ports[i].hi)
			return 1;
	return 0;
}

/*
 * Does a domain rule name the destination?  Every name of the query is
 * tried; the evidence of each that matches is recorded, and the name of
 * the strongest.
 */
static int
policy_rule_domain(const struct policy_rule *r, const struct policy_query *q,
    unsigned int *evidence, const char **name)
{
	const struct policy_name	*n;
	unsigned int			 best = 0;
	size_t				 i;
	int				 k;

	*evidence = 0;
	*name = NULL;
	for (k = 0; k < q->nnames && k < POLICY_MAX_NAMES; k++) {
		n = &q->names[k];
		for (i = 0; i < r->ndomains; i++)
			if (policy_domain_match(r->domains[i], n->name))
				break;
		if (i == r->ndomains)
			continue;
		*evidence |= n->evidence;
		if (best == 0 || (unsigned int)n->evidence < best) {
			best = n->evidence;
			*name = n->name;
		}
	}
	return *evidence != 0;
}

/* Does a rule match a flow?  Domain evidence goes to the result. */
static int
policy_rule_match(const struct policy_rule *r, const struct policy_query *q,
    struct policy_result *res)
{
	size_t	i;

	if (!policy_rule_transport(r, q))
		return 0;
	switch (r->sel) {
	case POLICY_SEL_ADDR:
		return policy_pset_lookup(&r->addrset, q->af, q->dst_addr) !=
		    NULL;
	case POLICY_SEL_ASN:
		for (i = 0; q->asn != 0 && i < r->nasns; i++)
			if (r->asns[i] == q->asn)
				return 1;
		return 0;
	case POLICY_SEL_COUNTRY:
		for (i = 0; q->country != NULL && i < r->ncountries; i++)
			if (strcasecmp(r->countries[i], q->country) == 0)
				return 1;
		return 0;
	case POLICY_SEL_DOMAIN:
		return policy_rule_domain(r, q, &res->evidence, &res->name);
	}
	return 0;
}

/* Fill a result from the rule that decided. */
static enum policy_verdict
policy_decide(struct policy_result *res, enum policy_verdict v,
    const struct policy_rule *r)
{
	res->verdict = v;
	res->rule = r;
	res->rule_name = r->name;
	res->file = r->file;
	res->line = r->line;
	return v;
}

/*
 * Fill a result from a site list entry (internal, resolvers, ntp-servers),
 * or from no entry of the file (p NULL: local addresses).
 */
static enum policy_verdict
policy_decide_site(struct policy_result *res, enum policy_verdict v,
    const char *what, const struct policy_prefix *p)
{
	res->verdict = v;
	res->rule_name = what;
	if (p != NULL) {
		res->file = p->file;
		res->line = p->line;
	}
	return v;
}

/*
 * The first of n rules, in order, that matches a flow, or -1: the scan the
 * index (policy_index.c) stands in for, and falls back on.
 */
long
policy_rules_first(struct policy_rule *const *rules, size_t n,
    const struct policy_query *q, struct policy_result *res)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (policy_rule_match(rules[i], q, res))
			return (long)i;
		res->evidence = 0;
		res->name = NULL;
	}
	return -1;
}

/*
 * The verdict on a flow, with the group, the rule and the evidence; the
 * rules are found through their indexes (indexed) or by scanning them.
 */
static enum policy_verdict
policy_verdict_by(const struct policy *p, const struct policy_query *q,
    struct policy_result *res, int indexed)
{
	const struct policy_prefix	*site;
	const struct policy_group	*g;
	long				 i;

	memset(res, 0, sizeof(*res));
	res->group = g = policy_group_of(p, q->af, q->appliance_addr, q->appliance_mac);
	i = indexed && p->deny_index != NULL ?
	    policy_index_first(p->deny_index, q, res) :
	    policy_rules_first(p->denies, p->ndenies, q, res);
	if (i >= 0)
		return policy_decide(res, POLICY_DENIED, p->denies[i]);
	if (util_addr_local(q->af, q->dst_addr))
		/* multicast, broadcast...: nothing sent there leaves */
		return policy_decide_site(res, POLICY_INTERNAL, "local", NULL);
	if ((site = policy_pset_lookup(&p->internal_set, q->af,
	    q->dst_addr)) != NULL)
		return policy_decide_site(res, POLICY_INTERNAL, "internal",
		    site);
	if ((site = policy_pset_lookup(&p->resolver_set, q->af,
	    q->dst_addr)) != NULL && (((q->proto == 6 || q->proto == 17) &&
	    q->dport == 53) || (q->proto == 6 && q->dport == 853)))
		return policy_decide_site(res, POLICY_APPROVED, "resolvers",
		    site);
	if ((site = policy_pset_lookup(&p->ntp_set, q->af, q->dst_addr)) !=
	    NULL && q->proto == 17 && q->dport == 123)
		return policy_decide_site(res, POLICY_APPROVED, "ntp-servers",
		    site);
	if (g != NULL) {
		i = indexed && g->index != NULL ?
		    policy_index_first(g->index, q, res) :
		    policy_rules_first(g->rules, g->nrules, q, res);
		if (i >= 0)
			return policy_decide(res, POLICY_APPROVED,
			    g->rules[i]);
	}
	res->verdict = POLICY_UNAPPROVED;
	return res->verdict;
}

/* The verdict on a flow, with the group, the rule and the evidence. */
enum policy_verdict
policy_verdict(const struct policy *p, const struct policy_query *q,
    struct policy_result *res)
{
	return policy_verdict_by(p, q, res, 1);
}

/* The same, every rule scanned in order: for tests and benchmarks. */
enum policy_verdict
policy_verdict_scan(const struct policy *p, const struct policy_query *q,
    struct policy_result *res)
{
	return policy_verdict_by(p, q, res, 0);
}

/*
 * A query for a flow: its appliance (and the MAC it was seen sending from,
 * or NULL), its destination, transport and port, and the destination's ASN
 * and country (0 and NULL when unknown); no names yet.
 */
void
policy_query_flow(struct policy_query *q, const struct flow *f,
    const uint8_t *mac, uint32_t asn, const char *country)
{
	int	d = !f->appliance;

	memset(q, 0, sizeof(*q));
	q->af = f->key.af;
	q->appliance_addr = f->key.addr[f->appliance];
	q->appliance_mac = mac;
	q->dst_addr = f->key.addr[d];
	q->proto = f->key.proto;
	q->dport = util_proto_has_ports(f->key.proto) ? f->key.port[d] : 0;
	q->asn = asn;
	q->country = country;
}

/* Add a name and its evidence to a query, when there is one and room. */
void
policy_query_name(struct policy_query *q, const char *name,
    enum policy_evidence ev)
{
	if (name == NULL || q->nnames >= POLICY_MAX_NAMES)
		return;
	q->names[q->nnames].name = name;
	q->names[q->nnames].evidence = ev;
	q->nnames++;
}

/* The name of a verdict, as egressd.verdict has it. */
const char *
policy_verdict_name(enum policy_verdict v)
{
	switch (v) {
	case POLICY_INTERNAL:
		return "internal";
	case POLICY_APPROVED:
		return "approved";
	case POLICY_UNAPPROVED:
		return "unapproved";
	case POLICY_DENIED:
		return "denied";
	case POLICY_UNREVIEWED:
		return "unreviewed";
	}
	return NULL;
}

/* The name of the strongest evidence in a set of POLICY_EV_* bits. */
const char *
policy_evidence_name(unsigned int ev)
{
	if (ev & POLICY_EV_DNS)
		return "dns";
	if (ev & POLICY_EV_TLS)
		return "tls";
	if (ev & POLICY_EV_HTTP)
		return "http";
	return NULL;
}

/* The flow table's configuration: defaults, then what the policy sets. */
void
policy_flow_config(const struct policy *p, struct flow_config *fc)
{
	int	c;

	flow_config_default(fc);
	if (p == NULL)
		return;
	for (c = 0; c < FLOW_C_MAX; c++)
		if (p->opts.idle_timeout[c] != 0)
			fc->timeout[c] = p->opts.idle_timeout[c];
	if (p->opts.active_timeout != 0)
		fc->active_timeout = p->opts.active_timeout;
	if (p->opts.max_flows != 0)
		fc->max_flows = (size_t)p->opts.max_flows;
}

/* One network for a BPF expression: "net ADDR/LEN", host bits cleared. */
static void
policy_bpf_net(FILE *fp, const char *sep, uint8_t af, const uint8_t *addr,
    int plen)
{
	uint8_t	a[16];
	char	buf[UTIL_ADDRSTRLEN];
	int	n = af == 4 ? 4 : 16, i;

	memcpy(a, addr, (size_t)n);
	for (i = 0; i < n; i++)
		if (plen <= i * 8)
			a[i] = 0;
		else if (plen < (i + 1) * 8)
			a[i] &= (uint8_t)(0xff << ((i + 1) * 8 - plen));
	fprintf(fp, "%snet %s/%d", sep, util_addr_str(af, a, buf, sizeof(buf)),
	    plen);
}

/*
 * The hosts a BPF filter keeps: every group member, every internal net;
 * MAC members only on an Ethernet link (other links have no MAC address,
 * and libpcap refuses the term there).
 */
static void
policy_bpf_hosts(FILE *fp, const struct policy *p, int ethernet)
{
	static const struct { uint8_t af, addr[16]; int plen; } priv[] = {
		{ 4, { 10 }, 8 }, { 4, { 172, 16 }, 12 },
		{ 4, { 192, 168 }, 16 }, { 4, { 100, 64 }, 10 },
		{ 6, { 0xfc }, 7 },
	};
	const struct policy_member	*m;
	const char			*sep = "";
	size_t				 i, j;

	for (i = 0; i < p->ngroups; i++)
		for (j = 0; j < p->groups[i]->nmembers; j++) {
			m = &p->groups[i]->members[j];
			if (m->is_mac && !ethernet)
				continue;
			if (m->is_mac)
				fprintf(fp, "%sether host "
				    "%02x:%02x:%02x:%02x:%02x:%02x", sep,
				    m->mac[0], m->mac[1], m->mac[2], m->mac[3],
				    m->mac[4], m->mac[5]);
			else
				policy_bpf_net(fp, sep, m->pfx.af,
				    m->pfx.addr, m->pfx.plen);
			sep = " or ";
		}
	for (i = 0; i < p->ninternal; i++, sep = " or ")
		policy_bpf_net(fp, sep, p->internal[i].af,
		    p->internal[i].addr, p->internal[i].plen);
	if (p->ninternal == 0)	/* the default internal networks */
		for (i = 0; i < sizeof(priv) / sizeof(priv[0]); i++,
		    sep = " or ")
			policy_bpf_net(fp, sep, priv[i].af, priv[i].addr,
			    priv[i].plen);
}

/*
 * The capture filter the inventory makes: the packets of a group member
 * or a host of an internal network (either way), also inside one or two
 * VLAN tags, and mirror encapsulations (GRE and ERSPAN; VXLAN when vxlan
 * or the policy's tunnel statements enter it) whole.  NULL without
 * groups (audit mode sees everything).  A link without Ethernet headers
 * (ethernet 0: raw IP, Linux cooked, loopback) gets neither VLAN nor MAC
 * terms: libpcap compiles neither for it.  Allocated.
 */
char *
policy_bpf(const struct policy *p, int vxlan, int ethernet)
{
	FILE	*fp;
	char	*hosts = NULL, *out = NULL;
	size_t	 len = 0, i;

	if (p == NULL || p->ngroups == 0)
		return NULL;
	for (i = 0; i < POLICY_TUNNEL_KINDS; i++)	/* tunnel vxlan */
		if ((1u << i) == DECODE_TUN_VXLAN && p->tunnels[i].given)
			vxlan = 1;
	if ((fp = open_memstream(&hosts, &len)) == NULL)
		fatal("open_memstream");
	policy_bpf_hosts(fp, p, ethernet);
	if (fclose(fp) != 0)
		fatal("open_memstream");
	if ((fp = open_memstream(&out, &len)) == NULL)
		fatal("open_memstream");
	fprintf(fp, "(%s) or ip proto 47 or ip6 proto 47%s", hosts,
	    vxlan ? " or udp port 4789" : "");
	if (ethernet)
		fprintf(fp, " or (vlan and ((%s) or (vlan and (%s))))", hosts,
		    hosts);
	if (fclose(fp) != 0)
		fatal("open_memstream");
	free(hosts);
	return out;
}

/*
 * The decoder's tunnels from the policy: the kinds it enters, and the
 * mirror sources of those it enters only from them.  Nothing without a
 * policy.
 */
void
policy_decode_config(const struct policy *p, struct decoder *d)
{
	const struct policy_tunnel	*t;
	unsigned int			 kinds = 0;
	size_t				 i, j;

	if (p == NULL)
		return;
	for (i = 0; i < POLICY_TUNNEL_KINDS; i++)
		if (p->tunnels[i].given && p->tunnels[i].nfrom == 0)
			kinds |= 1u << i;
	decode_set_tunnels(d, kinds);
	for (i = 0; i < POLICY_TUNNEL_KINDS; i++) {
		t = &p->tunnels[i];
		for (j = 0; j < t->nfrom; j++)
			(void)decode_add_source(d, 1u << i, t->from[j].af,
			    t->from[j].addr, t->from[j].plen);
	}
}
