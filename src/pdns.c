/*
 * Passive DNS.  A query an appliance sends is remembered by (appliance,
 * resolver, DNS id, question) for PDNS_QUERY_TIMEOUT; an answer counts only
 * if it matches one, so an unsolicited or spoofed answer cannot rename a
 * destination.  Each A or AAAA record reached from the question through its
 * CNAME chain then maps (appliance, address) to the name asked for, for the
 * record's TTL bounded by PDNS_TTL_FLOOR and PDNS_TTL_CEIL.  The map holds at
 * most a configured number of names; the least recently learned or used goes
 * first, and until then a name past its TTL is still there for
 * pdns_lookup_expired (what an appliance's own answers once called an
 * address, to name a call-home; never for a verdict).  Time is packet
 * time.
 */
#include "config.h"

#include <sys/queue.h>

#include <stdio.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "bitfilter.h"
#include "dns.h"
#include "hash.h"
#include "pdns.h"
#include "xmalloc.h"

#define PDNS_CHAIN_MAX	8		/* CNAME hops followed */

struct pdns_qkey {
	uint8_t		af;
	uint8_t		pad;
	uint16_t	id;
	uint8_t		appliance[16];
	uint8_t		resolver[16];
	uint64_t	qhash;		/* of the question name */
};

/*
 * Outstanding queries sit in a ring in the order they were seen, chained
 * from buckets by ring position: the oldest is overwritten when the ring is
 * full, so which queries are remembered depends on the traffic alone, never
 * on where the random hash key happens to place them.
 */
struct pdns_query {
	struct pdns_qkey key;
	int64_t		 ts;
	uint32_t	 next;		/* ring position + 1 of the next in
					   the chain, 0 at its end */
	uint32_t	 bucket;	/* bucket + 1; 0: answered or
					   overwritten */
};

struct pdns_key {
	uint8_t		af;
	uint8_t		pad[7];
	uint8_t		appliance[16];
	uint8_t		addr[16];
};

_Static_assert(sizeof(struct pdns_key) == 40 &&
    offsetof(struct pdns_key, appliance) == 8 &&
    offsetof(struct pdns_key, addr) == 24, "pdns_key_make's words");

/* A name an address had, from the first answer that gave it. */
struct pdns_rec {
	char		*name;			/* NULL: none */
	char		*cname;
	int64_t		 learned;
	int64_t		 expires;
};

/*
 * An (appliance, address) pair: its name now, and the one before, so a
 * connection opened under the old name keeps it when the address is
 * answered for another name (one CDN address, many names) before the
 * connection reports.
 */
struct pdns_entry {
	struct pdns_entry	*hnext;
	TAILQ_ENTRY(pdns_entry)	 lru;		/* oldest first */
	struct pdns_key		 key;
	struct pdns_rec		 cur, prev;
};

struct pdns {
	struct hash_key		  hkey;
	struct pdns_query	 *queries;	/* the ring */
	uint32_t		 *qbuckets;	/* ring position + 1, 0: none */
	uint32_t		  qnext;	/* next ring position to use */
	uint32_t		  qcap;		/* ring size, to PDNS_QUERY_SLOTS */
	struct pdns_entry	**buckets;
	size_t			  nbuckets;
	struct bitfilter	  filter;	/* of the pairs learned: most
						   flows go to an address
						   their appliance never
						   resolved */
	size_t			  count, max;
	TAILQ_HEAD(, pdns_entry)  lru;
	struct pdns_stats	  stats;
};

/* A table of at most max names. */
struct pdns *
pdns_new(size_t max)
{
	struct pdns	*p;

	p = xcalloc(1, sizeof(*p));
	hash_key_random(&p->hkey);
	p->qcap = 256;
	p->queries = xcalloc(p->qcap, sizeof(*p->queries));
	p->qbuckets = xcalloc(PDNS_QUERY_BUCKETS, sizeof(*p->qbuckets));
	p->max = max > 0 ? max : 1;
	p->nbuckets = 1024;
	p->buckets = xcalloc(p->nbuckets, sizeof(*p->buckets));
	bitfilter_init(&p->filter);
	TAILQ_INIT(&p->lru);
	return p;
}

/* Free an entry's strings and the entry. */
static void
pdns_entry_free(struct pdns_entry *e)
{
	free(e->cur.name);
	free(e->cur.cname);
	free(e->prev.name);
	free(e->prev.cname);
	free(e);
}

/* Free the table. */
void
pdns_free(struct pdns *p)
{
	struct pdns_entry	*e;

	if (p == NULL)
		return;
	while ((e = TAILQ_FIRST(&p->lru)) != NULL) {
		TAILQ_REMOVE(&p->lru, e, lru);
		pdns_entry_free(e);
	}
	free(p->buckets);
	bitfilter_free(&p->filter);
	free(p->queries);
	free(p->qbuckets);
	free(p);
}

/* Counters. */
const struct pdns_stats *
pdns_stats(const struct pdns *p)
{
	return &p->stats;
}

static const char *pdns_counter_names[] = {
#define PDNS_NAME(f, s)	s,
	PDNS_COUNTERS(PDNS_NAME)
#undef PDNS_NAME
};

/* The printable name of a counter. */
const char *
pdns_counter_name(enum pdns_counter c)
{
	return c < PDNS_C_MAX ? pdns_counter_names[c] : "?";
}

/* The value of a counter. */
uint64_t
pdns_counter(const struct pdns *p, enum pdns_counter c)
{
	switch (c) {
#define PDNS_VALUE(f, s)	case PDNS_C_##f: return p->stats.f;
	PDNS_COUNTERS(PDNS_VALUE)
#undef PDNS_VALUE
	default:
		return 0;
	}
}

/* The query key of a message between an appliance and a resolver. */
static void
pdns_qkey_make(struct pdns *p, uint8_t af, const uint8_t *appliance,
    const uint8_t *resolver, const struct dns_msg *m, struct pdns_qkey *k)
{
	size_t	alen = af == 4 ? 4 : 16;

	memset(k, 0, sizeof(*k));
	k->af = af;
	k->id = m->id;
	memcpy(k->appliance, appliance, alen);
	memcpy(k->resolver, resolver, alen);
	k->qhash = hash_fast(&p->hkey, m->qname, strlen(m->qname));
}

/* The bucket of a query key, + 1. */
static uint32_t
pdns_qbucket(const struct pdns *p, const struct pdns_qkey *k)
{
	return (uint32_t)(hash_fast(&p->hkey, k, sizeof(*k)) &
	    (PDNS_QUERY_BUCKETS - 1)) + 1;
}

/* Take the query at ring position i out of its chain. */
static void
pdns_qunlink(struct pdns *p, uint32_t i)
{
	struct pdns_query	*q = &p->queries[i];
	uint32_t		*link;

	if (q->bucket == 0)
		return;
	for (link = &p->qbuckets[q->bucket - 1]; *link != i + 1;
	    link = &p->queries[*link - 1].next)
		;
	*link = q->next;
	q->bucket = 0;
}

/* An appliance asked a resolver: remember the question. */
void
pdns_query(struct pdns *p, uint8_t af, const uint8_t *appliance,
    const uint8_t *resolver, const struct dns_msg *m, int64_t ts)
{
	struct pdns_query	*q;
	uint32_t		 i;

	if (m->qdcount == 0 || m->qname[0] == '\0')
		return;
	p->stats.queries++;
	if (p->qnext == p->qcap) {
		/*
		 * The ring is full for the first time at this size: it grows
		 * (every entry keeps its position) until PDNS_QUERY_SLOTS,
		 * then wraps.
		 */
		if (p->qcap < PDNS_QUERY_SLOTS) {
			p->queries = xreallocarray(p->queries, p->qcap * 2,
			    sizeof(*p->queries));
			memset(p->queries + p->qcap, 0, p->qcap *
			    sizeof(*p->queries));
			p->qcap *= 2;
		} else
			p->qnext = 0;
	}
	i = p->qnext++;
	/* the oldest query gives way: lost if its answer may still come */
	if (p->queries[i].bucket != 0 &&
	    ts - p->queries[i].ts <= PDNS_QUERY_TIMEOUT)
		p->stats.queries_lost++;
	pdns_qunlink(p, i);
	q = &p->queries[i];
	pdns_qkey_make(p, af, appliance, resolver, m, &q->key);
	q->ts = ts;
	q->bucket = pdns_qbucket(p, &q->key);
	q->next = p->qbuckets[q->bucket - 1];
	p->qbuckets[q->bucket - 1] = i + 1;
}

/*
 * Take the newest remembered query an answer replies to out of the table:
 * 0, or -1 if there is none in time.
 */
static int
pdns_qmatch(struct pdns *p, uint8_t af, const uint8_t *appliance,
    const uint8_t *resolver, const struct dns_msg *m, int64_t ts)
{
	struct pdns_qkey	 k;
	struct pdns_query	*q;
	uint32_t		 i;

	pdns_qkey_make(p, af, appliance, resolver, m, &k);
	for (i = p->qbuckets[pdns_qbucket(p, &k) - 1]; i != 0; i = q->next) {
		q = &p->queries[i - 1];
		if (memcmp(&q->key, &k, sizeof(k)) != 0)
			continue;
		if (ts < q->ts || ts - q->ts > PDNS_QUERY_TIMEOUT)
			return -1;
		pdns_qunlink(p, i - 1);
		return 0;
	}
	return -1;
}

/* The hash of a key: its low bits place it in a bucket, its top in the filter. */
static uint64_t
pdns_hash(const struct pdns *p, const struct pdns_key *k)
{
	return hash_fast(&p->hkey, k, sizeof(*k));
}

/* The bucket chain of a hash. */
static struct pdns_entry **
pdns_bucket(struct pdns *p, uint64_t h)
{
	return &p->buckets[h & (p->nbuckets - 1)];
}

/* Remove and free an entry. */
static void
pdns_remove(struct pdns *p, struct pdns_entry *e)
{
	struct pdns_entry	**pp;

	for (pp = pdns_bucket(p, pdns_hash(p, &e->key)); *pp != e;
	    pp = &(*pp)->hnext)
		;
	*pp = e->hnext;
	TAILQ_REMOVE(&p->lru, e, lru);
	pdns_entry_free(e);
	p->count--;
}

/* A key as the little-endian words of its bytes (pdns_key_make). */
struct pdns_kw {
	uint64_t	w[5];
};

/* Is a stored key the one of these words? */
static inline int
pdns_key_eq(const struct pdns_key *a, const struct pdns_kw *kw)
{
	const uint8_t	*x = (const uint8_t *)a;
	uint64_t	 d = 0;
	int		 i;

	for (i = 0; i < 5; i++)
		d |= hash_load64(x + 8 * i) ^ kw->w[i];
	return d == 0;
}

/* Find the entry of a key, of hash h. */
static struct pdns_entry *
pdns_find(struct pdns *p, const struct pdns_kw *kw, uint64_t h)
{
	struct pdns_entry	*e;

	if (!bitfilter_maybe(&p->filter, h))
		return NULL;
	for (e = *pdns_bucket(p, h); e != NULL; e = e->hnext)
		if (pdns_key_eq(&e->key, kw))
			return e;
	return NULL;
}

/*
 * The key of an (appliance, address) pair as words, and its hash: put
 * together in registers and hashed from there (a key stored and read
 * straight back waits for its stores); pdns_key_store() writes it out.
 */
static uint64_t
pdns_key_make(const struct pdns *p, struct pdns_kw *kw, uint8_t af,
    const uint8_t *appliance, const uint8_t *addr)
{
	kw->w[0] = af;
	hash_addr_words(af, appliance, kw->w + 1);
	hash_addr_words(af, addr, kw->w + 3);
	return hash_fast_w(&p->hkey, kw->w, 5);
}

/* The key of these words, in memory. */
static void
pdns_key_store(struct pdns_key *k, const struct pdns_kw *kw)
{
	int	i;

	for (i = 0; i < 5; i++)
		hash_store64((uint8_t *)k + 8 * i, kw->w[i]);
}

/* Double the buckets, kept at least twice as many as the names. */
static void
pdns_grow(struct pdns *p)
{
	struct pdns_entry	*e, **b;

	free(p->buckets);
	p->nbuckets *= 2;
	p->buckets = xcalloc(p->nbuckets, sizeof(*p->buckets));
	TAILQ_FOREACH(e, &p->lru, lru) {
		b = pdns_bucket(p, pdns_hash(p, &e->key));
		e->hnext = *b;
		*b = e;
	}
}

/* Rebuild the filter from the live pairs alone. */
static void
pdns_filter_rebuild(struct pdns *p)
{
	struct pdns_entry	*e;

	bitfilter_clear(&p->filter);
	p->stats.filter_rebuilds++;
	TAILQ_FOREACH(e, &p->lru, lru)
		bitfilter_add(&p->filter, pdns_hash(p, &e->key));
}

/* Set a record to a new name. */
static void
pdns_rec_set(struct pdns_rec *r, const char *name, const char *cname,
    int64_t ts, int64_t exp)
{
	r->name = xstrdup(name);
	r->cname = xstrdup(cname);
	r->learned = ts;
	r->expires = exp;
}

/*
 * Learn (appliance, address) -> name at ts, until exp.  The same name
 * again only extends it (so a connection made under the first answer
 * keeps its name while the appliance re-resolves); another name takes
 * over from then on, the old one kept for the connections made before.
 */
static void
pdns_learn(struct pdns *p, uint8_t af, const uint8_t *appliance,
    const uint8_t *addr, const char *name, const char *cname, int64_t ts,
    int64_t exp)
{
	struct pdns_kw		 kw;
	struct pdns_entry	*e, **b;
	uint64_t		 h;

	h = pdns_key_make(p, &kw, af, appliance, addr);
	if ((e = pdns_find(p, &kw, h)) != NULL) {
		TAILQ_REMOVE(&p->lru, e, lru);
		TAILQ_INSERT_TAIL(&p->lru, e, lru);
		if (strcmp(e->cur.name, name) == 0 &&
		    strcmp(e->cur.cname, cname) == 0 && ts <= e->cur.expires) {
			if (exp > e->cur.expires)
				e->cur.expires = exp;
			p->stats.refreshed++;
			return;
		}
		free(e->prev.name);
		free(e->prev.cname);
		e->prev = e->cur;
		pdns_rec_set(&e->cur, name, cname, ts, exp);
		p->stats.learned++;
		return;
	}
	if (p->count >= p->max) {
		/* a flow opened under a name still valid will have none */
		if (TAILQ_FIRST(&p->lru)->cur.expires >= ts)
			p->stats.evicted_live++;
		pdns_remove(p, TAILQ_FIRST(&p->lru));
		p->stats.evicted++;
	} else if (p->count * 2 >= p->nbuckets)
		pdns_grow(p);
	e = xcalloc(1, sizeof(*e));
	pdns_key_store(&e->key, &kw);
	pdns_rec_set(&e->cur, name, cname, ts, exp);
	b = pdns_bucket(p, h);
	e->hnext = *b;
	*b = e;
	TAILQ_INSERT_TAIL(&p->lru, e, lru);
	p->count++;
	p->stats.learned++;
	bitfilter_add(&p->filter, h);
	if (bitfilter_stale(&p->filter, p->count))
		pdns_filter_rebuild(p);
}

/*
 * The resolver answered the appliance.  If the appliance asked this, learn
 * the addresses its question resolved to; returns how many, or -1 for an
 * answer nobody asked for (which is ignored).
 */
int
pdns_answer(struct pdns *p, uint8_t af, const uint8_t *appliance,
    const uint8_t *resolver, const struct dns_msg *m, int64_t ts)
{
	const char		*chain[PDNS_CHAIN_MAX + 1];
	char			 cname[1024];
	size_t			 nchain = 1, i, j, len;
	int64_t			 ttl;
	int			 n = 0, grew;

	p->stats.answers++;
	if (m->qname[0] == '\0' ||
	    pdns_qmatch(p, af, appliance, resolver, m, ts) == -1) {
		p->stats.unsolicited++;
		return -1;
	}
	/* Follow the CNAME chain from the question, in any record order. */
	chain[0] = m->qname;
	do {
		grew = 0;
		for (i = 0; i < m->nanswers && nchain <= PDNS_CHAIN_MAX; i++) {
			if (m->an[i].type != DNS_TYPE_CNAME ||
			    strcmp(dns_rr_name(m, &m->an[i]),
			    chain[nchain - 1]) != 0)
				continue;
			chain[nchain++] = dns_rr_target(m, &m->an[i]);
			grew = 1;
			break;
		}
	} while (grew && nchain <= PDNS_CHAIN_MAX);
	cname[0] = '\0';
	for (j = 1, len = 0; j < nchain; j++) {
		len = strlen(cname);
		snprintf(cname + len, sizeof(cname) - len, "%s%s",
		    j > 1 ? "," : "", chain[j]);
	}
	for (i = 0; i < m->nanswers; i++) {
		const struct dns_rr	*rr = &m->an[i];

		if (rr->af != af)
			continue;	/* keyed by the family the appliance used */
		for (j = 0; j < nchain; j++)
			if (strcmp(dns_rr_name(m, rr), chain[j]) == 0)
				break;
		if (j == nchain)
			continue;
		ttl = rr->ttl < PDNS_TTL_FLOOR ? PDNS_TTL_FLOOR :
		    rr->ttl > PDNS_TTL_CEIL ? PDNS_TTL_CEIL : rr->ttl;
		pdns_learn(p, af, appliance, rr->addr, m->qname, cname, ts,
		    ts + ttl * 1000000LL);
		n++;
	}
	return n;
}

/*
 * The record of an (appliance, address) pair that was learned at or
 * before ts (the current one, else the one before), or NULL.
 */
static struct pdns_entry *
pdns_rec_at(struct pdns *p, uint8_t af, const uint8_t *appliance,
    const uint8_t *addr, int64_t ts, struct pdns_rec **rec)
{
	struct pdns_kw		 kw;
	struct pdns_entry	*e;
	struct pdns_rec		*r;
	uint64_t		 h;

	if (p->count == 0)
		return NULL;
	h = pdns_key_make(p, &kw, af, appliance, addr);
	if ((e = pdns_find(p, &kw, h)) == NULL)
		return NULL;
	r = ts >= e->cur.learned ? &e->cur : &e->prev;
	if (r->name == NULL || ts < r->learned)
		return NULL;
	*rec = r;
	return e;
}

/*
 * The name the appliance had resolved for an address when it opened a
 * connection to it at ts (the flow's first packet): learned at or before
 * ts and not expired by then.  1 and *out set, else 0.  An entry is not
 * dropped when it has expired, since a connection opened under it may
 * still be reporting; the least recently used make room.  The strings stay
 * valid until the next call that changes the table.
 */
int
pdns_lookup(struct pdns *p, uint8_t af, const uint8_t *appliance,
    const uint8_t *addr, int64_t ts, struct pdns_name *out)
{
	struct pdns_entry	*e;
	struct pdns_rec		*r;

	if ((e = pdns_rec_at(p, af, appliance, addr, ts, &r)) == NULL ||
	    ts > r->expires)
		return 0;
	TAILQ_REMOVE(&p->lru, e, lru);
	TAILQ_INSERT_TAIL(&p->lru, e, lru);
	out->name = r->name;
	out->cname = r->cname;
	return 1;
}

/*
 * The name the appliance's answers had given an address by ts, whether
 * or not its TTL had run out: not the flow's name (pdns_lookup), but what
 * names a call-home whose appliance keeps the addresses a name resolved
 * to and connects to them hours later (an AWS IoT hub: a 60 s TTL, a new
 * connection every few hours, no new look-up).  It changes nothing in the
 * table (not even its order of use).  1 and *out set, else 0.
 */
int
pdns_lookup_expired(struct pdns *p, uint8_t af, const uint8_t *appliance,
    const uint8_t *addr, int64_t ts, struct pdns_name *out)
{
	struct pdns_rec	*r;

	if (pdns_rec_at(p, af, appliance, addr, ts, &r) == NULL)
		return 0;
	out->name = r->name;
	out->cname = r->cname;
	return 1;
}
