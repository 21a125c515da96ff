/*
 * The offline audit summary, a sink: for every appliance-side host, its
 * flows, its outside destinations, bytes each way and its top
 * destinations; every outside destination; the beacon series and the
 * alerts; then the counters and the speed of the run, all printed when the
 * sink is closed.  Aggregation is bounded: past
 * SUMMARY_MAX_HOSTS hosts or SUMMARY_MAX_PAIRS (host, destination) pairs,
 * the rest is counted as "other".
 *
 * Records are taken in batches of SUM_BATCH: a record's two index slots are
 * fetched into the cache when it arrives, and when the batch is full the
 * entries the slots point at are fetched for all its records before any is
 * counted, so the cache misses of a batch overlap instead of following one
 * another (with hundreds of thousands of pairs, nearly every look-up
 * misses).  The records are counted in the order they came.
 */
#include "config.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "alert.h"
#include "app.h"
#include "beacon.h"
#include "event.h"
#include "geo.h"
#include "hash.h"
#include "log.h"
#include "sink.h"
#include "sink_summary.h"
#include "util.h"
#include "xmalloc.h"

struct sum_addr {
	uint8_t		af;
	uint8_t		addr[16];
};

struct sum_dest {
	struct sum_addr	 a;
	uint8_t		 proto;
	uint16_t	 port;
	uint32_t	 host:24;	/* index in hv (SUMMARY_MAX_HOSTS) */
	uint32_t	 app:8;		/* enum app_proto, the first found */
	uint64_t	 flows, bytes;
	char		*name;		/* the first name seen, or NULL */
};

_Static_assert(SUMMARY_MAX_HOSTS < (1 << 24), "host indexes are 24 bits");

struct sum_host {
	struct sum_addr	 a;
	uint32_t	 ndests;
	uint32_t	 outside;	/* outside addresses, when printing */
	uint64_t	 flows, pkts_out, pkts_in, bytes_out, bytes_in;
	uint64_t	 other_flows, other_bytes;	/* past the pair cap */
	struct sum_dest	*dv;		/* copies of its pairs, when printing */
};

/*
 * An open-addressed index over an array of entries: each slot holds the
 * top 32 bits of the entry's hash (its tag) and its index + 1 (0 is
 * empty), so a probe reads one cache line of slots and touches an entry
 * only when the tags agree.  Linear probing, at most half full.  An
 * entry's first slot is the top bits of its tag, so doubling the index
 * reads the old slots in order and writes the new ones nearly in order,
 * without touching an entry or computing a hash.
 */
struct sum_index {
	uint64_t	*slot;
	size_t		 mask;
	unsigned int	 bits;		/* log2 of the slots, at most 32 */
};

/* A flow record waiting in the batch: what summary_flow() counts. */
struct sum_rec {
	struct sum_addr	h, d;
	uint8_t		proto;
	uint8_t		app;		/* enum app_proto, or APP_NONE */
	uint8_t		new_flow;	/* not an active-timeout follow-up */
	uint16_t	port;
	uint16_t	name_len;	/* bytes in name; 0: no name */
	uint64_t	hh, ph;		/* host and pair hashes */
	uint64_t	pkts_out, pkts_in, bytes_out, bytes_in;
	char		name[SUMMARY_NAME_MAX];
};

#define SUM_BATCH	16

/* An alert kept for the summary. */
struct sum_alert {
	uint8_t			 af;
	uint8_t			 src[16];
	int64_t			 ts;
	enum alert_action	 action;
	char			*message;
};

/* A beacon series, as it stood at the end. */
struct sum_series {
	struct beacon_report	 r;
	char			*name;		/* BEACON_G_NAME, or NULL */
	int			 judged;
	int			 folded;
	enum policy_verdict	 verdict;
};

/* A long connection, from its alert. */
struct sum_long {
	uint8_t			 af;
	uint8_t			 src[16], dst[16];
	uint8_t			 proto;
	uint16_t		 dport;
	int64_t			 duration;
	uint64_t		 bytes_out, bytes_in;
	enum policy_verdict	 verdict;
	char			*domain;	/* or NULL */
};

struct sink_summary {
	FILE		 *fp;
	struct geo	 *geo;		/* names outside addresses, or NULL */
	int		  no_beacons;
	struct sum_alert *alerts;
	size_t		  nalerts, alerts_cap;
	uint64_t	  alerts_seen, alerts_dropped;
	struct sum_series *series;
	size_t		  nseries, series_cap;
	struct sum_long	 *longs;
	size_t		  nlongs, longs_cap;
	struct event_counters counters;	/* the last handed over */
	struct event_run  run;
	int		  has_run;

	struct hash_key	  key;
	struct sum_rec	  batch[SUM_BATCH];
	unsigned int	  nbatch;
	struct sum_host	 *hv;		/* hosts, in order of appearance */
	uint32_t	  nhosts, hcap;
	struct sum_dest	 *pv;		/* pairs, in order of appearance */
	size_t		  npairs, pcap;
	struct sum_index  hix, pix;
	uint64_t	  other_flows;	/* past the host cap */
	uint64_t	  records;
};

/* An empty index of 2^bits slots. */
static void
sum_index_init(struct sum_index *ix, unsigned int bits)
{
	ix->bits = bits;
	ix->mask = ((size_t)1 << bits) - 1;
	ix->slot = xcalloc(ix->mask + 1, sizeof(*ix->slot));
}

/*
 * An empty summary, printed to fp when closed; g names outside addresses
 * (NULL: none); no_beacons says beacons were not looked for.
 */
struct sink_summary *
sink_summary_open(FILE *fp, struct geo *g, int no_beacons)
{
	struct sink_summary	*s;

	s = xcalloc(1, sizeof(*s));
	s->fp = fp;
	s->geo = g;
	s->no_beacons = no_beacons;
	hash_key_random(&s->key);
	sum_index_init(&s->hix, 10);
	sum_index_init(&s->pix, 12);
	return s;
}

/* Free a summary. */
static void
sum_free(struct sink_summary *s)
{
	size_t	i;

	for (i = 0; i < s->nalerts; i++)
		free(s->alerts[i].message);
	free(s->alerts);
	for (i = 0; i < s->nseries; i++)
		free(s->series[i].name);
	free(s->series);
	for (i = 0; i < s->nlongs; i++)
		free(s->longs[i].domain);
	free(s->longs);
	event_counters_free(&s->counters);
	for (i = 0; i < s->npairs; i++)
		free(s->pv[i].name);
	free(s->pv);
	free(s->hv);
	free(s->hix.slot);
	free(s->pix.slot);
	free(s);
}

/* Fill an address key from one side of a flow. */
static void
sum_addr_make(struct sum_addr *a, const struct flow *f, int side)
{
	memset(a, 0, sizeof(*a));
	a->af = f->key.af;
	memcpy(a->addr, f->key.addr[side], 16);
}

/* The destination port of a record, 0 for transports without ports. */
static uint16_t
sum_port(const struct flow *f)
{
	return util_proto_has_ports(f->key.proto) ? f->key.port[!f->appliance] : 0;
}

/*
 * The hash of a host, from the words of its address (hashed from words in
 * registers, not from a key just stored: see flow.c).
 */
static uint64_t
sum_host_hash(const struct sink_summary *s, uint8_t af, const uint8_t *addr)
{
	uint64_t	w[3];

	hash_addr_words(af, addr, w);
	w[2] = af;
	return hash_fast_w(&s->key, w, 3);
}

/* The hash of a (host, destination, port, transport) pair. */
static uint64_t
sum_pair_hash(const struct sink_summary *s, uint8_t af, const uint8_t *h,
    const uint8_t *d, uint16_t port, uint8_t proto)
{
	uint64_t	w[5];

	hash_addr_words(af, h, w);
	hash_addr_words(af, d, w + 2);
	w[4] = (uint64_t)af | (uint64_t)proto << 8 | (uint64_t)port << 16;
	return hash_fast_w(&s->key, w, 5);
}

/* The first slot to probe for a hash. */
static size_t
sum_index_home(const struct sum_index *ix, uint64_t h)
{
	return (size_t)(h >> 32 >> (32 - ix->bits));
}

/*
 * Walk the probe sequence of hash h from *pos (start at its home): each
 * call returns the next slot that is empty or carries h's tag, with *idx
 * the entry's index (or -1 when the slot is empty, which ends the walk).
 */
static uint64_t *
sum_index_next(const struct sum_index *ix, uint64_t h, size_t *pos,
    int64_t *idx)
{
	uint64_t	tag = h >> 32, v;
	size_t		i;

	for (i = *pos;; i = (i + 1) & ix->mask) {
		v = ix->slot[i];
		if (v == 0 || v >> 32 == tag) {
			*pos = (i + 1) & ix->mask;
			*idx = (int64_t)(v & 0xffffffff) - 1;
			return &ix->slot[i];
		}
	}
}

/* Double an index once it holds n entries and would be more than half full. */
static void
sum_index_grow(struct sum_index *ix, size_t n)
{
	struct sum_index	old = *ix;
	size_t			i, j;

	if (n * 2 < ix->mask + 1)
		return;
	sum_index_init(ix, old.bits + 1);
	for (i = 0; i <= old.mask; i++) {
		if (old.slot[i] == 0)
			continue;
		for (j = sum_index_home(ix, old.slot[i]); ix->slot[j] != 0;
		    j = (j + 1) & ix->mask)
			;
		ix->slot[j] = old.slot[i];
	}
	free(old.slot);
}

/* Find or add a host; -1 past the cap. */
static int64_t
sum_host_get(struct sink_summary *s, const struct sum_addr *a, uint64_t h)
{
	uint64_t	*slot;
	size_t		 pos = sum_index_home(&s->hix, h);
	int64_t		 idx;

	for (;;) {
		slot = sum_index_next(&s->hix, h, &pos, &idx);
		if (idx < 0)
			break;
		if (memcmp(&s->hv[idx].a, a, sizeof(*a)) == 0)
			return idx;
	}
	if (s->nhosts >= SUMMARY_MAX_HOSTS)
		return -1;
	if (s->nhosts == s->hcap) {
		s->hcap = s->hcap ? s->hcap * 2 : 64;
		s->hv = xreallocarray(s->hv, s->hcap, sizeof(*s->hv));
	}
	idx = s->nhosts++;
	memset(&s->hv[idx], 0, sizeof(s->hv[idx]));
	s->hv[idx].a = *a;
	*slot = (h >> 32) << 32 | (uint64_t)(idx + 1);
	sum_index_grow(&s->hix, s->nhosts);
	return idx;
}

/* Find or add a (host, destination) pair; NULL past the cap. */
static struct sum_dest *
sum_dest_get(struct sink_summary *s, uint32_t hidx, const struct sum_addr *a,
    uint16_t port, uint8_t proto, uint64_t h)
{
	struct sum_dest	*d;
	uint64_t	*slot;
	size_t		 pos;
	int64_t		 idx;

	pos = sum_index_home(&s->pix, h);
	for (;;) {
		slot = sum_index_next(&s->pix, h, &pos, &idx);
		if (idx < 0)
			break;
		d = &s->pv[idx];
		if (d->host == hidx && d->port == port && d->proto == proto &&
		    memcmp(&d->a, a, sizeof(*a)) == 0)
			return d;
	}
	if (s->npairs >= SUMMARY_MAX_PAIRS)
		return NULL;
	if (s->npairs == s->pcap) {
		s->pcap = s->pcap ? s->pcap * 2 : 1024;
		s->pv = xreallocarray(s->pv, s->pcap, sizeof(*s->pv));
	}
	idx = (int64_t)s->npairs++;
	d = &s->pv[idx];
	memset(d, 0, sizeof(*d));
	d->host = hidx;
	d->a = *a;
	d->port = port;
	d->proto = proto;
	*slot = (h >> 32) << 32 | (uint64_t)(idx + 1);
	s->hv[hidx].ndests++;
	sum_index_grow(&s->pix, s->npairs);
	return &s->pv[idx];
}

/* Count one record of the batch. */
static void
sum_count(struct sink_summary *s, const struct sum_rec *r)
{
	struct sum_host	*h;
	struct sum_dest	*d;
	int64_t		 hidx;

	s->records++;
	if ((hidx = sum_host_get(s, &r->h, r->hh)) < 0) {
		s->other_flows++;
		return;
	}
	h = &s->hv[hidx];
	h->flows += r->new_flow;
	h->pkts_out += r->pkts_out;
	h->pkts_in += r->pkts_in;
	h->bytes_out += r->bytes_out;
	h->bytes_in += r->bytes_in;
	if ((d = sum_dest_get(s, (uint32_t)hidx, &r->d, r->port, r->proto,
	    r->ph)) == NULL) {
		h->other_flows++;
		h->other_bytes += r->bytes_out + r->bytes_in;
		return;
	}
	d->flows += r->new_flow;
	d->bytes += r->bytes_out + r->bytes_in;
	if (d->name == NULL && r->name_len > 0)
		d->name = xstrndup(r->name, r->name_len);
	if (d->app == APP_NONE)
		d->app = r->app;
}

/* The entry a hash's first tag match in an index points at, or NULL. */
static const void *
sum_index_peek(const struct sum_index *ix, uint64_t h, const void *base,
    size_t size)
{
	size_t	pos = sum_index_home(ix, h);
	int64_t	idx;

	sum_index_next(ix, h, &pos, &idx);
	return idx < 0 ? NULL : (const char *)base + (size_t)idx * size;
}

/* Count the batch: fetch every entry it will read, then count in order. */
static void
sum_drain(struct sink_summary *s)
{
	const void	*e;
	unsigned int	 i;

	for (i = 0; i < s->nbatch; i++) {
		if ((e = sum_index_peek(&s->hix, s->batch[i].hh, s->hv,
		    sizeof(*s->hv))) != NULL)
			__builtin_prefetch(e);
		if ((e = sum_index_peek(&s->pix, s->batch[i].ph, s->pv,
		    sizeof(*s->pv))) != NULL)
			__builtin_prefetch(e);
	}
	for (i = 0; i < s->nbatch; i++)
		sum_count(s, &s->batch[i]);
	s->nbatch = 0;
}

/* Take one flow record into the summary, with what is known of its destination. */
static void
sink_summary_flow(void *arg, const struct event_flow *ev)
{
	struct sink_summary	*s = arg;
	const struct flow	*f = ev->flow;
	struct sum_rec		*r = &s->batch[s->nbatch];
	int			 a = f->appliance;
	size_t			 n;

	sum_addr_make(&r->h, f, a);
	sum_addr_make(&r->d, f, !a);
	r->proto = f->key.proto;
	r->port = sum_port(f);
	/* Active-timeout records continue a flow: count it once. */
	r->new_flow = f->start == f->first;
	r->pkts_out = f->pkts[a];
	r->pkts_in = f->pkts[!a];
	r->bytes_out = f->bytes[a];
	r->bytes_in = f->bytes[!a];
	r->app = f->app != NULL ? (uint8_t)f->app->proto : APP_NONE;
	r->name_len = 0;
	if (ev->domain != NULL) {
		n = strnlen(ev->domain, SUMMARY_NAME_MAX);
		memcpy(r->name, ev->domain, n);
		r->name_len = (uint16_t)n;
	}
	/* from the flow's key, stored long ago, not from r just filled */
	r->hh = sum_host_hash(s, f->key.af, f->key.addr[a]);
	r->ph = sum_pair_hash(s, f->key.af, f->key.addr[a], f->key.addr[!a],
	    r->port, r->proto);
	__builtin_prefetch(&s->hix.slot[sum_index_home(&s->hix, r->hh)]);
	__builtin_prefetch(&s->pix.slot[sum_index_home(&s->pix, r->ph)]);
	if (++s->nbatch == SUM_BATCH)
		sum_drain(s);
}

/* Order hosts by address family, then address. */
static int
sum_host_cmp(const void *a, const void *b)
{
	const struct sum_host	*x = *(const struct sum_host * const *)a;
	const struct sum_host	*y = *(const struct sum_host * const *)b;

	if (x->a.af != y->a.af)
		return x->a.af < y->a.af ? -1 : 1;
	return memcmp(x->a.addr, y->a.addr, sizeof(x->a.addr));
}

/* Order destinations by bytes, then flows, then address and port. */
static int
sum_dest_cmp(const void *a, const void *b)
{
	const struct sum_dest	*x = *(const struct sum_dest * const *)a;
	const struct sum_dest	*y = *(const struct sum_dest * const *)b;
	int			 c;

	if (x->bytes != y->bytes)
		return x->bytes > y->bytes ? -1 : 1;
	if (x->flows != y->flows)
		return x->flows > y->flows ? -1 : 1;
	if (x->a.af != y->a.af)
		return x->a.af < y->a.af ? -1 : 1;
	if ((c = memcmp(x->a.addr, y->a.addr, sizeof(x->a.addr))) != 0)
		return c;
	if (x->port != y->port)
		return x->port < y->port ? -1 : 1;
	return (int)x->proto - (int)y->proto;
}

/* Order by address, so equal addresses sit together for counting. */
static int
sum_dest_addr_cmp(const void *a, const void *b)
{
	const struct sum_dest	*x = *(const struct sum_dest * const *)a;
	const struct sum_dest	*y = *(const struct sum_dest * const *)b;

	if (x->a.af != y->a.af)
		return x->a.af < y->a.af ? -1 : 1;
	return memcmp(x->a.addr, y->a.addr, sizeof(x->a.addr));
}

/* A destination as address:port/transport. */
static void
sum_dest_str(const struct sum_dest *d, char *buf, size_t len)
{
	char		 addr[UTIL_ADDRSTRLEN];
	const char	*pn = util_proto_name(d->proto);
	char		 pnum[8];

	util_addr_str(d->a.af, d->a.addr, addr, sizeof(addr));
	if (pn == NULL) {
		snprintf(pnum, sizeof(pnum), "%u", d->proto);
		pn = pnum;
	}
	if (util_proto_has_ports(d->proto))
		snprintf(buf, len, d->a.af == 6 ? "[%s]:%u/%s" : "%s:%u/%s",
		    addr, d->port, pn);
	else
		snprintf(buf, len, "%s/%s", addr, pn);
}

/* " AS64500 Example Org (US)" for an outside address, into buf. */
static void
sum_geo_str(struct geo *g, const struct sum_dest *d, char *buf, size_t len)
{
	struct geo_info	gi;
	char		org[40];

	buf[0] = '\0';
	if (g == NULL || util_addr_inside(d->a.af, d->a.addr) ||
	    !geo_lookup(g, d->a.af, d->a.addr, &gi))
		return;
	snprintf(org, sizeof(org), "%.39s", gi.org);
	if (gi.asn != 0)
		snprintf(buf, len, "  AS%u %s%s%s%s", gi.asn, org,
		    gi.country[0] ? " (" : "", gi.country,
		    gi.country[0] ? ")" : "");
	else
		snprintf(buf, len, "  (%s)", gi.country);
}

/*
 * Keep the SUMMARY_TOP best pairs (by sum_dest_cmp) seen so far in top,
 * best first: a selection, so a host with many pairs is never sorted.
 */
static void
sum_top_add(struct sum_dest **top, uint32_t *ntop, struct sum_dest *d)
{
	uint32_t	i;

	if (*ntop == SUMMARY_TOP &&
	    sum_dest_cmp(&d, &top[SUMMARY_TOP - 1]) >= 0)
		return;
	if (*ntop < SUMMARY_TOP)
		(*ntop)++;
	for (i = *ntop - 1; i > 0 && sum_dest_cmp(&d, &top[i - 1]) < 0; i--)
		top[i] = top[i - 1];
	top[i] = d;
}

/* One host's line and its top destinations. */
static void
sum_print_host(FILE *fp, const struct sum_host *h, struct geo *g)
{
	struct sum_dest	*top[SUMMARY_TOP], *d;
	char		 addr[UTIL_ADDRSTRLEN], out[16], in[16], dst[80];
	char		 bytes[16], geo[80];
	uint32_t	 i, n = h->ndests, ntop = 0;

	for (i = 0; i < n; i++)
		sum_top_add(top, &ntop, &h->dv[i]);
	util_addr_str(h->a.af, h->a.addr, addr, sizeof(addr));
	util_bytes_str(h->bytes_out, out, sizeof(out));
	util_bytes_str(h->bytes_in, in, sizeof(in));
	fprintf(fp, "%-39s %7" PRIu64 " %8u %10s %10s\n", addr, h->flows,
	    h->outside, out, in);
	for (i = 0; i < ntop; i++) {
		d = top[i];
		sum_dest_str(d, dst, sizeof(dst));
		util_bytes_str(d->bytes, bytes, sizeof(bytes));
		sum_geo_str(g, d, geo, sizeof(geo));
		fprintf(fp, "    -> %-45s %6" PRIu64 " flow%s %10s%s%s%s%s%s%s\n",
		    dst, d->flows, d->flows == 1 ? " " : "s", bytes,
		    d->app != APP_NONE ? "  " : "",
		    d->app != APP_NONE ? app_proto_name(d->app) : "",
		    util_addr_private(d->a.af, d->a.addr) ? "  (private)" :
		    util_addr_local(d->a.af, d->a.addr) ? "  (local)" : "",
		    d->name ? "  " : "", d->name ? d->name : "", geo);
	}
	if (n > SUMMARY_TOP)
		fprintf(fp, "    -> ... %u more destination%s\n",
		    n - SUMMARY_TOP, n - SUMMARY_TOP == 1 ? "" : "s");
	if (h->other_flows > 0)
		fprintf(fp, "    -> (%" PRIu64 " flows not itemised: summary "
		    "memory cap)\n", h->other_flows);
}

/* One outside address over the whole capture. */
struct sum_row {
	const struct sum_dest	*d;		/* the first pair, for the address */
	const char		*name;
	uint32_t		 hosts;
	uint32_t		 last;		/* index + 1 of its last host */
	uint64_t		 flows, bytes;
};

/* Order rows by bytes, then address. */
static int
sum_row_cmp(const void *a, const void *b)
{
	const struct sum_row	*x = a, *y = b;

	if (x->bytes != y->bytes)
		return x->bytes > y->bytes ? -1 : 1;
	return sum_dest_addr_cmp(&x->d, &y->d);
}

/*
 * One row per outside address, in one pass over the pairs host by host
 * (each in the order it was seen): the row's first name is the first any
 * host knew it by, and each host's count of outside addresses falls out.
 * Returns the rows, *nrows of them, unsorted.
 */
static struct sum_row *
sum_rows(struct sink_summary *s, size_t *nrows)
{
	struct sum_index	 ix;
	struct sum_row		*rows, *r;
	struct sum_dest		*d;
	struct sum_host		*h;
	uint64_t		 hh, *slot;
	size_t			 n = 0, pos, i;
	unsigned int		 bits = 10;
	int64_t			 idx;
	uint32_t		 hi;

	while (((size_t)1 << bits) < s->npairs * 2)
		bits++;
	sum_index_init(&ix, bits);
	rows = xcalloc(s->npairs + 1, sizeof(*rows));
	for (hi = 0; hi < s->nhosts; hi++) {
		h = &s->hv[hi];
		for (i = 0; i < h->ndests; i++) {
			d = &h->dv[i];
			if (util_addr_inside(d->a.af, d->a.addr))
				continue;
			hh = sum_host_hash(s, d->a.af, d->a.addr);
			pos = sum_index_home(&ix, hh);
			for (;;) {
				slot = sum_index_next(&ix, hh, &pos, &idx);
				if (idx < 0 || memcmp(&rows[idx].d->a, &d->a,
				    sizeof(d->a)) == 0)
					break;
			}
			if (idx < 0) {
				idx = (int64_t)n++;
				rows[idx].d = d;
				*slot = (hh >> 32) << 32 | (uint64_t)(idx + 1);
			}
			r = &rows[idx];
			if (r->last != hi + 1) {
				r->last = hi + 1;
				r->hosts++;
				h->outside++;
			}
			r->flows += d->flows;
			r->bytes += d->bytes;
			if (r->name == NULL)
				r->name = d->name;
		}
	}
	free(ix.slot);
	*nrows = n;
	return rows;
}

/*
 * The destination table: one row per outside address, with the appliances
 * that used it, flows, bytes, the name they knew it by and its network.
 */
static void
sum_print_destinations(FILE *fp, struct sum_row *rows, size_t nrows,
    struct geo *g)
{
	size_t	i;
	char	addr[UTIL_ADDRSTRLEN], bytes[16], geo[80];

	if (nrows > 0)
		qsort(rows, nrows, sizeof(*rows), sum_row_cmp);
	fprintf(fp, "\noutside destinations: %zu\n", nrows);
	if (nrows > 0)
		fprintf(fp, "%-39s %10s %7s %10s  %s\n", "address",
		    "appliances", "flows", "bytes", "name, network");
	for (i = 0; i < nrows; i++) {
		util_addr_str(rows[i].d->a.af, rows[i].d->a.addr, addr,
		    sizeof(addr));
		util_bytes_str(rows[i].bytes, bytes, sizeof(bytes));
		sum_geo_str(g, rows[i].d, geo, sizeof(geo));
		fprintf(fp, "%-39s %10u %7" PRIu64 " %10s%s%s%s\n", addr,
		    rows[i].hosts, rows[i].flows, bytes,
		    rows[i].name ? "  " : "", rows[i].name ? rows[i].name : "",
		    geo);
	}
}

/*
 * Copy every pair, grouped by host, in one pass over the pairs: each host's
 * dv points at its slice of the array returned, so printing reads memory in
 * order.  The hosts, sorted by address, go into *order.
 */
static struct sum_dest *
sum_group(struct sink_summary *s, struct sum_host ***order)
{
	struct sum_dest		 *all;
	struct sum_host		**hv;
	size_t			 *off, i, n = 0;
	uint32_t		  h;

	all = xcalloc(s->npairs + 1, sizeof(*all));
	off = xcalloc((size_t)s->nhosts + 1, sizeof(*off));
	hv = xcalloc((size_t)s->nhosts + 1, sizeof(*hv));
	for (h = 0; h < s->nhosts; h++) {
		off[h] = n;
		s->hv[h].dv = all + n;
		n += s->hv[h].ndests;
		hv[h] = &s->hv[h];
	}
	for (i = 0; i < s->npairs; i++)
		all[off[s->pv[i].host]++] = s->pv[i];
	free(off);
	if (s->nhosts > 0)
		qsort(hv, s->nhosts, sizeof(*hv), sum_host_cmp);
	*order = hv;
	return all;
}

/* Order kept alerts: appliance, then time. */
static int
sum_alert_cmp(const void *a, const void *b)
{
	const struct sum_alert	*x = a, *y = b;
	int			 c;

	if (x->af != y->af)
		return x->af < y->af ? -1 : 1;
	if ((c = memcmp(x->src, y->src, 16)) != 0)
		return c;
	return x->ts < y->ts ? -1 : x->ts > y->ts;
}

/* What became of a series: an alert, a record, or see the one above. */
static const char *
sum_series_fate(const struct sum_series *e)
{
	if (e->r.verdict == BEACON_V_STROBE)
		return "strobe";
	if (!e->judged)
		return "(as the series above)";
	if (e->folded)
		return "(folded into its call-home's alert)";
	switch (e->verdict) {
	case POLICY_APPROVED:
		return "approved (recorded)";
	case POLICY_INTERNAL:
		return "internal (recorded)";
	case POLICY_UNREVIEWED:
		return "unreviewed (alert)";
	case POLICY_DENIED:
		return "denied (alert)";
	case POLICY_UNAPPROVED:
		break;
	}
	return "unapproved (alert)";
}

/* The beacons section: every periodic series, in the order handed over. */
static void
sum_print_series(FILE *fp, const struct sink_summary *s)
{
	const struct sum_series	*e;
	char			 who[UTIL_ADDRSTRLEN], key[300], per[32];
	size_t			 i;

	if (s->no_beacons)
		fprintf(fp, "\nbeacons: not looked for (--no-beacons)\n");
	else
		fprintf(fp, "\nbeacons: %zu periodic series\n", s->nseries);
	if (s->nseries > 0)
		fprintf(fp, "%-39s %-7s %-32s %10s %6s %5s %6s  %s\n",
		    "appliance", "by", "destination", "period", "jitter",
		    "beats", "missed", "verdict");
	for (i = 0; i < s->nseries; i++) {
		e = &s->series[i];
		util_addr_str(e->r.af, e->r.appliance, who, sizeof(who));
		util_period_str(e->r.period_s, per, sizeof(per));
		fprintf(fp, "%-39s %-7s %-32.32s %10s %5.0f%% %5u %6u  %s\n",
		    who, beacon_group_name(e->r.group_by),
		    beacon_key_str(&e->r, e->name, key, sizeof(key)), per,
		    e->r.jitter * 100, e->r.beats, e->r.missed,
		    sum_series_fate(e));
	}
}

/*
 * The long connections section: every connection to a destination not
 * approved that stayed open past long-connection, in the order reported.
 */
static void
sum_print_longs(FILE *fp, const struct sink_summary *s)
{
	const struct sum_long	*l;
	char			 who[UTIL_ADDRSTRLEN], dst[UTIL_ADDRSTRLEN];
	char			 d[300], port[16], dur[32], bo[16], bi[16];
	size_t			 i;

	if (s->nlongs == 0)
		return;		/* a section only when there are some */
	fprintf(fp, "\nlong connections: %zu\n", s->nlongs);
	fprintf(fp, "%-39s %-32s %-11s %10s %10s %10s  %s\n",
		    "appliance", "destination", "port", "open for",
		    "bytes out", "bytes in", "verdict");
	for (i = 0; i < s->nlongs; i++) {
		l = &s->longs[i];
		util_addr_str(l->af, l->src, who, sizeof(who));
		util_addr_str(l->af, l->dst, dst, sizeof(dst));
		if (l->domain != NULL)
			snprintf(d, sizeof(d), "%s (%s)", l->domain, dst);
		else
			snprintf(d, sizeof(d), "%s", dst);
		if (l->dport != 0)
			snprintf(port, sizeof(port), "%s/%u",
			    util_proto_name(l->proto) ?
			    util_proto_name(l->proto) : "?", l->dport);
		else
			snprintf(port, sizeof(port), "%s",
			    util_proto_name(l->proto) ?
			    util_proto_name(l->proto) : "-");
		util_period_str((double)l->duration / 1e6, dur, sizeof(dur));
		util_bytes_str(l->bytes_out, bo, sizeof(bo));
		util_bytes_str(l->bytes_in, bi, sizeof(bi));
		fprintf(fp, "%-39s %-32.32s %-11s %10s %10s %10s  %s\n", who,
		    d, port, dur, bo, bi, policy_verdict_name(l->verdict));
	}
}

/* The alerts section: every alert kept, by appliance, then time. */
static void
sum_print_alerts(FILE *fp, struct sink_summary *s)
{
	char	who[UTIL_ADDRSTRLEN];
	size_t	i;

	if (s->nalerts > 0)
		qsort(s->alerts, s->nalerts, sizeof(*s->alerts),
		    sum_alert_cmp);
	fprintf(fp, "\nalerts: %" PRIu64 "\n", s->alerts_seen);
	for (i = 0; i < s->nalerts; i++) {
		if (i == 0 || memcmp(s->alerts[i].src, s->alerts[i - 1].src,
		    16) != 0) {
			util_addr_str(s->alerts[i].af, s->alerts[i].src, who,
			    sizeof(who));
			fprintf(fp, "%s\n", who);
		}
		fprintf(fp, "    %-24s %s\n",
		    alert_action_name(s->alerts[i].action),
		    s->alerts[i].message);
	}
	if (s->alerts_dropped > 0)
		fprintf(fp, "(%" PRIu64 " more alerts not listed: summary cap)\n",
		    s->alerts_dropped);
}

/*
 * The counters section: every counter that is not zero, and every share
 * of a counter that is not (with its percentage).
 */
static void
sum_print_counters(FILE *fp, const struct event_counters *c)
{
	const struct event_counter	*e, *w;
	size_t				 i;

	fprintf(fp, "\ncounters (non-zero)\n");
	for (i = 0; i < c->n; i++) {
		e = &c->v[i];
		w = e->share_of >= 0 ? &c->v[e->share_of] : NULL;
		if (w != NULL && w->value != 0)
			fprintf(fp, "  %-28s %12" PRIu64 " (%.1f%%)\n", e->name,
			    e->value, 100.0 * (double)e->value /
			    (double)w->value);
		else if (e->value != 0)
			fprintf(fp, "  %-28s %12" PRIu64 "\n", e->name,
			    e->value);
	}
}

/* Which databases name the destinations, or that none does. */
static void
sum_print_geo(FILE *fp, const struct event_run *run)
{
	if (run->asn_db == NULL && run->country_db == NULL) {
		fprintf(fp, "databases none: no ASN or country for destinations "
		    "(see --asn-db, --country-db)\n");
		return;
	}
	fprintf(fp, "databases ASN %s, country %s\n",
	    run->asn_db ? run->asn_db : "none",
	    run->country_db ? run->country_db : "none");
}

/*
 * A line of the head that ends in a name the operator gave (a file), its
 * control characters escaped.
 */
static void
sum_print_name(FILE *fp, const char *head, const char *name,
    const char *tail)
{
	fputs(head, fp);
	log_escape_print(fp, name);
	fprintf(fp, "%s\n", tail);
}

/* The head of the summary: what was read, when, and how much. */
static void
sum_print_head(FILE *fp, const struct event_run *run)
{
	char	t0[UTIL_TIMESTRLEN], t1[UTIL_TIMESTRLEN], b[16];
	int	k;

	if (run->audit || run->policy == NULL)
		fprintf(fp, "egressd %s audit (audit mode: no policy; hosts "
		    "in private address space are taken for appliances)\n",
		    PACKAGE_VERSION);
	else
		sum_print_name(fp, "egressd " PACKAGE_VERSION " audit (policy ",
		    run->policy, ")");
	for (k = 0; k < run->nfiles; k++)
		sum_print_name(fp, "capture   ", run->files[k], "");
	if (run->packets > 0) {
		util_time_str(run->first_ts, t0, sizeof(t0));
		util_time_str(run->last_ts, t1, sizeof(t1));
		fprintf(fp, "time      %s .. %s (%.1f s)\n", t0, t1,
		    (double)(run->last_ts - run->first_ts) / 1e6);
	}
	util_bytes_str(run->flow_bytes, b, sizeof(b));
	fprintf(fp, "packets   %" PRIu64 " read, %" PRIu64 " in flows (%s), "
	    "%" PRIu64 " duplicates dropped, %" PRIu64 " truncated\n",
	    run->packets, run->flow_packets, b, run->duplicates,
	    run->truncated);
	fprintf(fp, "flows     %" PRIu64 " flows, %" PRIu64 " records, peak %zu"
	    " live, %" PRIu64 " evicted\n", run->flows, run->records,
	    run->peak, run->evicted);
	sum_print_geo(fp, run);
}

/* Print the whole summary. */
static void
sum_print(struct sink_summary *s, FILE *fp)
{
	const struct event_run	 *run = &s->run;
	struct sum_dest		 *all;
	struct sum_host		**hosts;
	struct sum_row		 *rows;
	size_t			  nrows;
	uint32_t		  i;

	sum_drain(s);
	sum_print_head(fp, run);
	all = sum_group(s, &hosts);
	rows = sum_rows(s, &nrows);
	fprintf(fp, "\nappliances: %u host%s\n", s->nhosts,
	    s->nhosts == 1 ? "" : "s");
	fprintf(fp, "%-39s %7s %8s %10s %10s\n", "host", "flows", "outside",
	    "bytes out", "bytes in");
	for (i = 0; i < s->nhosts; i++)
		sum_print_host(fp, hosts[i], s->geo);
	if (s->other_flows > 0)
		fprintf(fp, "(%" PRIu64 " flow records of further hosts not "
		    "itemised: summary memory cap)\n", s->other_flows);
	sum_print_destinations(fp, rows, nrows, s->geo);
	sum_print_series(fp, s);
	sum_print_longs(fp, s);
	sum_print_alerts(fp, s);
	free(rows);
	free(hosts);
	free(all);
	sum_print_counters(fp, &s->counters);
	fprintf(fp, "\nrun       %" PRIu64 " packets in %.3f s, %.2f M "
	    "packets/s\n", run->packets, run->seconds,
	    run->seconds > 0 ? (double)run->packets / run->seconds / 1e6 : 0);
}

/* Keep a long-connection alert for its section. */
static void
sum_long_keep(struct sink_summary *s, const struct alert *a)
{
	struct sum_long	*l;

	if (s->nlongs >= SUMMARY_MAX_ALERTS)
		return;
	if (s->nlongs == s->longs_cap) {
		s->longs_cap = s->longs_cap ? s->longs_cap * 2 : 16;
		s->longs = xreallocarray(s->longs, s->longs_cap,
		    sizeof(*s->longs));
	}
	l = &s->longs[s->nlongs++];
	memset(l, 0, sizeof(*l));
	l->af = a->af;
	memcpy(l->src, a->src, a->af == 4 ? 4 : 16);
	if (a->dst != NULL)
		memcpy(l->dst, a->dst, a->af == 4 ? 4 : 16);
	l->proto = a->proto;
	l->dport = a->dport;
	l->duration = a->duration;
	l->bytes_out = a->bytes_out;
	l->bytes_in = a->bytes_in;
	l->verdict = a->verdict;
	l->domain = a->domain != NULL ? xstrdup(a->domain) : NULL;
}

/* Keep an alert for the alerts section (at most SUMMARY_MAX_ALERTS). */
static void
sink_summary_alert(void *arg, const struct alert *a)
{
	struct sink_summary	*s = arg;
	struct sum_alert	*k;

	s->alerts_seen++;
	if (a->action == ALERT_LONG)
		sum_long_keep(s, a);
	if (s->nalerts >= SUMMARY_MAX_ALERTS) {
		s->alerts_dropped++;
		return;
	}
	if (s->nalerts == s->alerts_cap) {
		s->alerts_cap = s->alerts_cap ? s->alerts_cap * 2 : 16;
		s->alerts = xreallocarray(s->alerts, s->alerts_cap,
		    sizeof(*s->alerts));
	}
	k = &s->alerts[s->nalerts++];
	memset(k, 0, sizeof(*k));
	k->af = a->af;
	memcpy(k->src, a->src, a->af == 4 ? 4 : 16);
	k->ts = a->ts;
	k->action = a->action;
	k->message = xstrdup(a->message);
}

/* Keep a beacon series for the beacons section. */
static void
sink_summary_series(void *arg, const struct event_series *ev)
{
	struct sink_summary	*s = arg;
	struct sum_series	*e;

	if (s->nseries == s->series_cap) {
		s->series_cap = s->series_cap ? s->series_cap * 2 : 64;
		s->series = xreallocarray(s->series, s->series_cap,
		    sizeof(*s->series));
	}
	e = &s->series[s->nseries++];
	e->r = *ev->report;
	e->name = ev->name != NULL ? xstrdup(ev->name) : NULL;
	e->judged = ev->judged;
	e->folded = ev->folded;
	e->verdict = ev->verdict;
}

/* Keep the counters (the last handed over are printed) and the run. */
static void
sink_summary_counters(void *arg, const struct event_counters *c)
{
	struct sink_summary	*s = arg;
	size_t			 i;

	s->counters.n = 0;
	for (i = 0; i < c->n; i++) {
		event_counter(&s->counters, c->v[i].name, c->v[i].value);
		s->counters.v[i].share_of = c->v[i].share_of;
	}
	if (c->run != NULL) {
		s->run = *c->run;
		s->has_run = 1;
	}
}

/* Print the summary and free it; -1 (said) if it could not be written. */
static int
sink_summary_close(void *arg)
{
	struct sink_summary	*s = arg;
	int			 rv = 0;

	if (s->has_run) {
		sum_print(s, s->fp);
		if (fflush(s->fp) == EOF || ferror(s->fp)) {
			log_warn("stdout");
			rv = -1;
		}
	}
	sum_free(s);
	return rv;
}

const struct sink_ops sink_summary_ops = {
	.name = "summary",
	.flow = sink_summary_flow,
	.alert = sink_summary_alert,
	.series = sink_summary_series,
	.counters = sink_summary_counters,
	.close = sink_summary_close,
};
