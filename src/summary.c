/*
 * The offline audit summary: for every appliance-side host, its flows, its
 * outside destinations, bytes each way and its top destinations; then the
 * decode counters and the speed of the run.  Aggregation is bounded: past
 * SUMMARY_MAX_HOSTS hosts or SUMMARY_MAX_PAIRS (host, destination) pairs,
 * the rest is counted as "other".
 */
#include "config.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "decode.h"
#include "geo.h"
#include "hash.h"
#include "summary.h"
#include "util.h"
#include "xmalloc.h"

struct sum_addr {
	uint8_t		af;
	uint8_t		addr[16];
};

struct sum_dest {
	struct sum_dest	*next;		/* hash chain */
	uint32_t	 host;
	struct sum_addr	 a;
	uint16_t	 port;
	uint8_t		 proto;
	uint64_t	 flows, bytes;
	char		*name;		/* the first name seen, or NULL */
};

struct sum_host {
	struct sum_host	*next;
	struct sum_addr	 a;
	uint64_t	 flows, pkts_out, pkts_in, bytes_out, bytes_in;
	uint64_t	 other_flows, other_bytes;	/* past the pair cap */
	struct sum_dest	**dv;		/* its pairs, grouped when printing */
	uint32_t	 ndests;
	uint32_t	 idx;
};

#define SUM_CHUNK	4096		/* pairs allocated at a time */

struct sum_chunk {
	struct sum_chunk	*next;
	size_t			 used;
	struct sum_dest		 d[SUM_CHUNK];
};

struct summary {
	struct hash_key	  key;
	struct sum_chunk *chunks;
	struct sum_host	**hosts;	/* by index */
	uint32_t	  nhosts;
	struct sum_host	**hbuckets;
	struct sum_dest	**dbuckets;
	size_t		  nhb, ndb;
	size_t		  npairs;
	uint64_t	  other_flows;	/* past the host cap */
	uint64_t	  records;
};

/* An empty summary. */
struct summary *
summary_new(void)
{
	struct summary	*s;

	s = xcalloc(1, sizeof(*s));
	hash_key_random(&s->key);
	s->nhb = 4096;
	s->ndb = 262144;		/* 2 MiB: no rehash below 256k pairs */
	s->hbuckets = xcalloc(s->nhb, sizeof(*s->hbuckets));
	s->dbuckets = xcalloc(s->ndb, sizeof(*s->dbuckets));
	return s;
}

/* Free a summary. */
void
summary_free(struct summary *s)
{
	struct sum_chunk	*c, *cn;
	size_t			 i;

	if (s == NULL)
		return;
	for (c = s->chunks; c != NULL; c = cn) {
		cn = c->next;
		for (i = 0; i < c->used; i++)
			free(c->d[i].name);
		free(c);
	}
	for (i = 0; i < s->nhosts; i++)
		free(s->hosts[i]);
	free(s->hosts);
	free(s->hbuckets);
	free(s->dbuckets);
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
	return util_proto_has_ports(f->key.proto) ? f->key.port[!f->app] : 0;
}

/* Find or add a host; NULL past the cap. */
static struct sum_host *
sum_host_get(struct summary *s, const struct sum_addr *a)
{
	struct sum_host	*h;
	size_t		 b;

	b = hash_fast(&s->key, a, sizeof(*a)) & (s->nhb - 1);
	for (h = s->hbuckets[b]; h != NULL; h = h->next)
		if (memcmp(&h->a, a, sizeof(*a)) == 0)
			return h;
	if (s->nhosts >= SUMMARY_MAX_HOSTS)
		return NULL;
	h = xcalloc(1, sizeof(*h));
	h->a = *a;
	h->next = s->hbuckets[b];
	s->hbuckets[b] = h;
	if ((s->nhosts & (s->nhosts - 1)) == 0)
		s->hosts = xreallocarray(s->hosts, s->nhosts ? s->nhosts * 2 :
		    1, sizeof(*s->hosts));
	h->idx = s->nhosts;
	s->hosts[s->nhosts++] = h;
	return h;
}

/* The bucket of a (host, destination) pair. */
static size_t
sum_dest_hash(const struct summary *s, uint32_t hidx, const struct sum_addr *a,
    uint16_t port, uint8_t proto)
{
	struct {
		uint32_t	host;
		uint16_t	port;
		uint8_t		proto;
		struct sum_addr	a;
		uint8_t		pad[8];
	} k;

	memset(&k, 0, sizeof(k));
	k.host = hidx;
	k.a = *a;
	k.proto = proto;
	k.port = port;
	return hash_fast(&s->key, &k, sizeof(k)) & (s->ndb - 1);
}

/* Double the pair buckets, rehashing every pair. */
static void
sum_grow(struct summary *s)
{
	struct sum_chunk	*c;
	struct sum_dest		*d;
	size_t			 i, b;

	free(s->dbuckets);
	s->ndb *= 2;
	s->dbuckets = xcalloc(s->ndb, sizeof(*s->dbuckets));
	for (c = s->chunks; c != NULL; c = c->next) {
		for (i = 0; i < c->used; i++) {
			d = &c->d[i];
			b = sum_dest_hash(s, d->host, &d->a, d->port, d->proto);
			d->next = s->dbuckets[b];
			s->dbuckets[b] = d;
		}
	}
}

/* A zeroed pair from the current chunk. */
static struct sum_dest *
sum_dest_alloc(struct summary *s)
{
	struct sum_chunk	*c = s->chunks;

	if (c == NULL || c->used == SUM_CHUNK) {
		c = xmalloc(sizeof(*c));
		c->used = 0;
		c->next = s->chunks;
		s->chunks = c;
	}
	memset(&c->d[c->used], 0, sizeof(c->d[0]));
	return &c->d[c->used++];
}

/* Find or add a (host, destination) pair; NULL past the cap. */
static struct sum_dest *
sum_dest_get(struct summary *s, struct sum_host *h, uint32_t hidx,
    const struct sum_addr *a, uint16_t port, uint8_t proto)
{
	struct sum_dest	*d;
	size_t		 b;

	if (s->npairs >= s->ndb && s->npairs < SUMMARY_MAX_PAIRS)
		sum_grow(s);
	b = sum_dest_hash(s, hidx, a, port, proto);
	for (d = s->dbuckets[b]; d != NULL; d = d->next)
		if (d->host == hidx && d->port == port && d->proto == proto &&
		    memcmp(&d->a, a, sizeof(*a)) == 0)
			return d;
	if (s->npairs >= SUMMARY_MAX_PAIRS)
		return NULL;
	d = sum_dest_alloc(s);
	d->host = hidx;
	d->a = *a;
	d->port = port;
	d->proto = proto;
	d->next = s->dbuckets[b];
	s->dbuckets[b] = d;
	h->ndests++;
	s->npairs++;
	return d;
}

/* Take one flow record into the summary, with what is known of its destination. */
void
summary_flow(struct summary *s, const struct flow *f, const struct flow_meta *m)
{
	struct sum_addr	 ha, da;
	struct sum_host	*h;
	struct sum_dest	*d;
	uint32_t	 hidx;
	int		 a = f->app;
	uint16_t	 port;

	s->records++;
	sum_addr_make(&ha, f, a);
	if ((h = sum_host_get(s, &ha)) == NULL) {
		s->other_flows++;
		return;
	}
	/* Active-timeout records continue a flow: count it once. */
	if (f->start == f->first)
		h->flows++;
	h->pkts_out += f->pkts[a];
	h->pkts_in += f->pkts[!a];
	h->bytes_out += f->bytes[a];
	h->bytes_in += f->bytes[!a];
	hidx = h->idx;
	sum_addr_make(&da, f, !a);
	port = sum_port(f);
	if ((d = sum_dest_get(s, h, hidx, &da, port, f->key.proto)) == NULL) {
		h->other_flows++;
		h->other_bytes += f->bytes[0] + f->bytes[1];
		return;
	}
	if (f->start == f->first)
		d->flows++;
	d->bytes += f->bytes[0] + f->bytes[1];
	if (d->name == NULL && m != NULL && m->domain != NULL)
		d->name = xstrndup(m->domain, SUMMARY_NAME_MAX);
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
	if (g == NULL || util_addr_private(d->a.af, d->a.addr) ||
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

/* One host's line and its top destinations. */
static void
sum_print_host(FILE *fp, const struct sum_host *h, struct geo *g)
{
	struct sum_dest	**v;
	char		  addr[UTIL_ADDRSTRLEN], out[16], in[16], dst[80];
	char		  bytes[16], geo[80];
	uint32_t	  i, n = 0, outside = 0;

	v = h->ndests ? xcalloc(h->ndests, sizeof(*v)) : NULL;
	for (n = 0; n < h->ndests; n++)
		v[n] = h->dv[n];
	if (n > 0)
		qsort(v, n, sizeof(*v), sum_dest_addr_cmp);
	for (i = 0; i < n; i++)
		if (!util_addr_private(v[i]->a.af, v[i]->a.addr) &&
		    (i == 0 || sum_dest_addr_cmp(&v[i - 1], &v[i]) != 0))
			outside++;
	util_addr_str(h->a.af, h->a.addr, addr, sizeof(addr));
	util_bytes_str(h->bytes_out, out, sizeof(out));
	util_bytes_str(h->bytes_in, in, sizeof(in));
	fprintf(fp, "%-39s %7" PRIu64 " %8u %10s %10s\n", addr, h->flows,
	    outside, out, in);
	if (n > 0)
		qsort(v, n, sizeof(*v), sum_dest_cmp);
	for (i = 0; i < n && i < SUMMARY_TOP; i++) {
		sum_dest_str(v[i], dst, sizeof(dst));
		util_bytes_str(v[i]->bytes, bytes, sizeof(bytes));
		sum_geo_str(g, v[i], geo, sizeof(geo));
		fprintf(fp, "    -> %-45s %6" PRIu64 " flow%s %10s%s%s%s%s\n",
		    dst, v[i]->flows, v[i]->flows == 1 ? " " : "s", bytes,
		    util_addr_private(v[i]->a.af, v[i]->a.addr) ?
		    "  (private)" : "", v[i]->name ? "  " : "",
		    v[i]->name ? v[i]->name : "", geo);
	}
	if (n > SUMMARY_TOP)
		fprintf(fp, "    -> ... %u more destination%s\n",
		    n - SUMMARY_TOP, n - SUMMARY_TOP == 1 ? "" : "s");
	if (h->other_flows > 0)
		fprintf(fp, "    -> (%" PRIu64 " flows not itemised: summary "
		    "memory cap)\n", h->other_flows);
	free(v);
}

/* One outside address over the whole capture. */
struct sum_row {
	const struct sum_dest	*d;		/* the first pair, for the address */
	const char		*name;
	uint32_t		 hosts;
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

/* A pair with its address as integers, so sorting compares words. */
struct sum_sortkey {
	uint64_t		 hi, lo;	/* address, big-endian halves */
	uint32_t		 host;
	uint8_t			 af;
	struct sum_dest		*d;
};

/* Order sort keys by address, then host. */
static int
sum_sortkey_cmp(const void *a, const void *b)
{
	const struct sum_sortkey	*x = a, *y = b;

	if (x->af != y->af)
		return x->af < y->af ? -1 : 1;
	if (x->hi != y->hi)
		return x->hi < y->hi ? -1 : 1;
	if (x->lo != y->lo)
		return x->lo < y->lo ? -1 : 1;
	return x->host < y->host ? -1 : x->host > y->host;
}

/* The sort key of a pair. */
static void
sum_sortkey_make(struct sum_sortkey *k, struct sum_dest *d)
{
	int	i;

	k->hi = k->lo = 0;
	for (i = 0; i < 8; i++) {
		k->hi = k->hi << 8 | d->a.addr[i];
		k->lo = k->lo << 8 | d->a.addr[8 + i];
	}
	k->af = d->a.af;
	k->host = d->host;
	k->d = d;
}

/*
 * The destination table: one row per outside address, with the appliances
 * that used it, flows, bytes, the name they knew it by and its network.
 */
static void
sum_print_destinations(struct summary *s, FILE *fp, struct geo *g)
{
	struct sum_sortkey	*v;
	struct sum_chunk	*c;
	struct sum_row		*rows;
	size_t			 n = 0, nrows = 0, i;
	int			 newaddr;
	char			 addr[UTIL_ADDRSTRLEN], bytes[16], geo[80];

	v = xcalloc(s->npairs + 1, sizeof(*v));
	for (c = s->chunks; c != NULL; c = c->next)
		for (i = 0; i < c->used; i++)
			if (!util_addr_private(c->d[i].a.af, c->d[i].a.addr))
				sum_sortkey_make(&v[n++], &c->d[i]);
	qsort(v, n, sizeof(*v), sum_sortkey_cmp);
	rows = xcalloc(n + 1, sizeof(*rows));
	for (i = 0; i < n; i++) {
		newaddr = i == 0 || v[i - 1].af != v[i].af ||
		    v[i - 1].hi != v[i].hi || v[i - 1].lo != v[i].lo;
		if (newaddr)
			rows[nrows++].d = v[i].d;
		if (newaddr || v[i - 1].host != v[i].host)
			rows[nrows - 1].hosts++;
		rows[nrows - 1].flows += v[i].d->flows;
		rows[nrows - 1].bytes += v[i].d->bytes;
		if (rows[nrows - 1].name == NULL)
			rows[nrows - 1].name = v[i].d->name;
	}
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
	free(rows);
	free(v);
}

/* Which databases name the destinations, or that none does. */
static void
sum_print_geo(FILE *fp, struct geo *g)
{
	const char	*asn = g ? geo_path(g, 0) : NULL;
	const char	*cc = g ? geo_path(g, 1) : NULL;

	if (asn == NULL && cc == NULL) {
		fprintf(fp, "databases none: no ASN or country for destinations "
		    "(see --asn-db, --country-db)\n");
		return;
	}
	fprintf(fp, "databases ASN %s, country %s\n", asn ? asn : "none",
	    cc ? cc : "none");
}

/*
 * Group every pair by its host in one pass over the chunks (memory order,
 * not list order): each host's dv points at its slice of the array returned.
 */
static struct sum_dest **
sum_group(struct summary *s)
{
	struct sum_dest		**all;
	struct sum_chunk	 *c;
	size_t			 *off, i, n = 0;
	uint32_t		  h;

	all = xcalloc(s->npairs + 1, sizeof(*all));
	off = xcalloc((size_t)s->nhosts + 1, sizeof(*off));
	for (h = 0; h < s->nhosts; h++) {
		off[h] = n;
		s->hosts[h]->dv = all + n;
		n += s->hosts[h]->ndests;
	}
	for (c = s->chunks; c != NULL; c = c->next)
		for (i = 0; i < c->used; i++)
			all[off[c->d[i].host]++] = &c->d[i];
	free(off);
	return all;
}

/* Print the whole summary. */
void
summary_print(struct summary *s, FILE *fp, const struct summary_run *run,
    const struct decoder *dec, const struct flow_stats *fs)
{
	char		 t0[UTIL_TIMESTRLEN], t1[UTIL_TIMESTRLEN], b[16];
	const uint64_t	*c = dec->counters;
	struct sum_dest	**all;
	uint32_t	 i;
	int		 k;

	fprintf(fp, "egressd %s audit (audit mode: no policy; hosts in "
	    "private address space are taken for appliances)\n",
	    PACKAGE_VERSION);
	for (k = 0; k < run->nfiles; k++)
		fprintf(fp, "capture   %s\n", run->files[k]);
	if (c[DC_PACKETS] > 0) {
		util_time_str(run->first_ts, t0, sizeof(t0));
		util_time_str(run->last_ts, t1, sizeof(t1));
		fprintf(fp, "time      %s .. %s (%.1f s)\n", t0, t1,
		    (double)(run->last_ts - run->first_ts) / 1e6);
	}
	util_bytes_str(c[DC_FLOW_BYTES], b, sizeof(b));
	fprintf(fp, "packets   %" PRIu64 " read, %" PRIu64 " in flows (%s), "
	    "%" PRIu64 " duplicates dropped, %" PRIu64 " truncated\n",
	    c[DC_PACKETS], c[DC_FLOW_PACKETS], b,
	    c[DC_DUPLICATE], c[DC_TRUNCATED]);
	fprintf(fp, "flows     %" PRIu64 " flows, %" PRIu64 " records, peak %zu"
	    " live, %" PRIu64 " evicted\n", fs->created, fs->records,
	    fs->peak, fs->evicted);
	sum_print_geo(fp, run->geo);

	all = sum_group(s);
	if (s->nhosts > 0)
		qsort(s->hosts, s->nhosts, sizeof(*s->hosts), sum_host_cmp);
	fprintf(fp, "\nappliances: %u host%s\n", s->nhosts,
	    s->nhosts == 1 ? "" : "s");
	fprintf(fp, "%-39s %7s %8s %10s %10s\n", "host", "flows", "outside",
	    "bytes out", "bytes in");
	for (i = 0; i < s->nhosts; i++)
		sum_print_host(fp, s->hosts[i], run->geo);
	if (s->other_flows > 0)
		fprintf(fp, "(%" PRIu64 " flow records of further hosts not "
		    "itemised: summary memory cap)\n", s->other_flows);
	sum_print_destinations(s, fp, run->geo);
	free(all);

	fprintf(fp, "\ncounters (non-zero)\n");
	for (k = 0; k < DC_MAX; k++)
		if (c[k] != 0)
			fprintf(fp, "  %-28s %12" PRIu64 "\n",
			    decode_counter_name((enum decode_counter)k), c[k]);
	for (k = 0; k < 256; k++)
		if (dec->other_proto[k] != 0)
			fprintf(fp, "  decode.ip.proto.%-12d %12" PRIu64 "\n", k,
			    dec->other_proto[k]);
	if (fs->ts_backwards != 0)
		fprintf(fp, "  %-28s %12" PRIu64 "\n", "flow.ts_backwards",
		    fs->ts_backwards);
	if (run->app != NULL)
		for (k = 0; k < APP_C_MAX; k++)
			if (run->app->counters[k] != 0)
				fprintf(fp, "  %-28s %12" PRIu64 "\n",
				    app_counter_name((enum app_counter)k),
				    run->app->counters[k]);
	if (run->geo != NULL && geo_stats(run->geo)->lookups > 0)
		fprintf(fp, "  %-28s %12" PRIu64 "\n  %-28s %12" PRIu64 "\n",
		    "geo.lookups", geo_stats(run->geo)->lookups, "geo.cache_hits",
		    geo_stats(run->geo)->hits);
	fprintf(fp, "\nrun       %" PRIu64 " packets in %.3f s, %.2f M "
	    "packets/s\n", c[DC_PACKETS], run->seconds,
	    run->seconds > 0 ? (double)c[DC_PACKETS] / run->seconds / 1e6 : 0);
}
