/*
 * The audit store as a sink.  Events become rows of a batch: flow records
 * are rolled up per hour (of the record's first packet), appliance,
 * destination, transport, destination port and verdict, and appliances,
 * destinations and names per address (and name) with their first and last
 * sightings, in maps that live as long as the batch; alerts, beacon
 * series, counters and capture files are rows of their own.  A batch ends
 * when it holds batch-rows rows or its first event is batch-interval of
 * packet time old (live, packet time also moves on from the wall clock:
 * sinks_tick), and goes to the writer (store_write.c), which commits it in
 * one transaction.  Nothing here touches SQLite.
 *
 * Capture files are known by their SHA-256 (filesum.c): a file the store
 * holds already is not read again unless forced.  Only a file that could
 * be one held, because a capture of its size is in the store or was begun
 * in this run, is hashed before it is read; any other is certainly new
 * and is read at once while a thread of its own hashes the bytes the
 * reader reads, and the writer waits for that hash before it commits the
 * capture's row (store_write.h).  Both read the descriptor the capture
 * was opened with, before privileges were let go.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alert.h"
#include "app.h"
#include "beacon.h"
#include "crypto.h"
#include "event.h"
#include "filesum.h"
#include "geo.h"
#include "hash.h"
#include "log.h"
#include "mac.h"
#include "sink.h"
#include "sink_json.h"
#include "sink_sqlite.h"
#include "store.h"
#include "store_write.h"
#include "util.h"
#include "xmalloc.h"

#define SQ_HOUR		(3600 * (int64_t)1000000)
#define SQ_MINUTE	(60 * (int64_t)1000000)

/*
 * An index of a batch's rows by key: open addressing, each slot the top
 * 32 bits of the key's hash and the row's index + 1, at most half full.
 */
struct sq_map {
	uint64_t	*slot;
	size_t		 mask;
	size_t		 n;
};

/*
 * A capture file begun in this run: its size and its hash, or the thread
 * taking the hash (hex "" until it is waited for; "" after: none).
 */
struct sq_seen {
	int			 index;
	int64_t			 size;		/* -1: not known */
	char			 hex[STORE_SHA256_HEX];
	struct filesum		*sum;		/* NULL: hashed before reading */
};

/* A capture file read, whose state waits for the run's last batch. */
struct sq_done {
	struct event_capture	 ev;
	char			*path;
};

struct sink_sqlite {
	struct store_writer	*w;
	const struct mac_table	*macs;
	char			*path;
	int			 force;
	size_t			 batch_rows;
	int64_t			 batch_interval;
	struct hash_key		 key;

	struct store_batch	*b;
	int64_t			 batch_start;	/* INT64_MIN: empty */
	int64_t			 now;		/* newest packet time */
	struct sq_map		 appliances, destinations, names, flows;

	struct event_counters	 last;		/* live: the minute before */
	struct sq_seen		*seen;		/* begun in this run */
	size_t			 nseen, cseen;
	struct sq_done		*done;		/* files read, said at close */
	size_t			 ndone, cdone;
	int			 sum_reading;	/* a capture hashed beside its
						   reading is being read */
	int			 failed;
	struct sink_json	*json;		/* an alert's ECS line */
};

/* Grow an array of rows to hold one more. */
static void *
sq_grow(void *v, size_t n, size_t *cap, size_t size)
{
	if (n < *cap)
		return v;
	*cap = *cap ? *cap * 2 : 64;
	return xreallocarray(v, *cap, size);
}

/* Empty a map, keeping (or making) room for a batch's worth. */
static void
sq_map_reset(struct sq_map *m)
{
	if (m->slot == NULL) {
		m->mask = 1023;
		m->slot = xcalloc(m->mask + 1, sizeof(*m->slot));
	} else if (m->n > 0)
		memset(m->slot, 0, (m->mask + 1) * sizeof(*m->slot));
	m->n = 0;
}

/* Double a map that is half full; rows are found again by their tags. */
static void
sq_map_grow(struct sq_map *m)
{
	uint64_t	*old = m->slot;
	size_t		 i, j, oldn = m->mask + 1;

	if (m->n * 2 < m->mask + 1)
		return;
	m->mask = m->mask * 2 + 1;
	m->slot = xcalloc(m->mask + 1, sizeof(*m->slot));
	for (i = 0; i < oldn; i++) {
		if (old[i] == 0)
			continue;
		for (j = (old[i] >> 32) & m->mask; m->slot[j] != 0;
		    j = (j + 1) & m->mask)
			;
		m->slot[j] = old[i];
	}
	free(old);
}

/* Does row i of an array of rows hold this key?  (sq_map_find) */
typedef int	(*sq_same_fn)(const void *, size_t, const void *);

/*
 * The row of hash h that same says holds key: its index, or -1 with *slot
 * the empty slot its walk ended on, where a new row goes (sq_map_put).
 */
static inline int64_t
sq_map_find(const struct sq_map *m, uint64_t h, const void *rows,
    sq_same_fn same, const void *key, uint64_t **slot)
{
	uint64_t	tag = h >> 32, v;
	size_t		i, row;

	*slot = NULL;
	for (i = (size_t)tag & m->mask;; i = (i + 1) & m->mask) {
		v = m->slot[i];
		if (v == 0) {
			*slot = &m->slot[i];
			return -1;
		}
		row = (size_t)(v & 0xffffffff) - 1;
		if (v >> 32 == tag && same(rows, row, key))
			return (int64_t)row;
	}
}

/* Record that row has hash h, in the slot its walk ended on. */
static void
sq_map_put(struct sq_map *m, uint64_t *slot, uint64_t h, size_t row)
{
	*slot = (h >> 32) << 32 | (uint64_t)(row + 1);
	m->n++;
	sq_map_grow(m);
}

/* Widen a row's span, first to last, to take in another. */
static void
sq_widen(int64_t *rfirst, int64_t *rlast, int64_t first, int64_t last)
{
	if (first < *rfirst)
		*rfirst = first;
	if (last > *rlast)
		*rlast = last;
}

/* The key of an address, zero-padded, and its hash. */
static uint64_t
sq_addr_key(const struct sink_sqlite *s, struct store_addr *k, uint8_t af,
    const uint8_t *addr)
{
	memset(k, 0, sizeof(*k));
	k->af = af;
	memcpy(k->addr, addr, af == 4 ? 4 : 16);
	return hash_fast(&s->key, k, sizeof(*k));
}

/* The appliances row i: has it address key? */
static int
sq_same_appliance(const void *rows, size_t i, const void *key)
{
	const struct store_appliance	*a = rows;

	return memcmp(&a[i].key, key, sizeof(a[i].key)) == 0;
}

/* The destinations row i: has it address key? */
static int
sq_same_destination(const void *rows, size_t i, const void *key)
{
	const struct store_destination	*d = rows;

	return memcmp(&d[i].key, key, sizeof(d[i].key)) == 0;
}

/* The names row i: has it key's appliance, destination, source, name? */
static int
sq_same_name(const void *rows, size_t i, const void *key)
{
	const struct store_name	*n = rows, *k = key;

	return n[i].appliance == k->appliance &&
	    n[i].destination == k->destination && n[i].source == k->source &&
	    strcmp(n[i].name, k->name) == 0;
}

/* The flows row i: has it this key? */
static int
sq_same_flow(const void *rows, size_t i, const void *key)
{
	const struct store_flow	*f = rows;

	return memcmp(&f[i].key, key, sizeof(f[i].key)) == 0;
}

/* A batch's clock: the first and last packet time it covers. */
static void
sq_span(struct sink_sqlite *s, int64_t first, int64_t last)
{
	if (first < s->b->first_ts)
		s->b->first_ts = first;
	if (last > s->b->last_ts)
		s->b->last_ts = last;
}

/* The appliances row of an address (added if new); its index. */
static uint32_t
sq_appliance(struct sink_sqlite *s, uint8_t af, const uint8_t *addr,
    const char *group, int64_t first, int64_t last)
{
	struct store_batch	*b = s->b;
	struct store_appliance	*a;
	struct store_addr	 k;
	const uint8_t		*mac;
	uint64_t		 h, *slot;
	int64_t			 row;

	h = sq_addr_key(s, &k, af, addr);
	if ((row = sq_map_find(&s->appliances, h, b->appliances,
	    sq_same_appliance, &k, &slot)) >= 0) {
		a = &b->appliances[row];
		sq_widen(&a->first, &a->last, first, last);
		if (a->group == NULL && group != NULL)
			a->group = store_arena_str(&b->arena, group);
		return (uint32_t)row;
	}
	b->appliances = sq_grow(b->appliances, b->nappliances,
	    &b->cappliances, sizeof(*b->appliances));
	a = &b->appliances[b->nappliances];
	memset(a, 0, sizeof(*a));
	a->key = k;
	a->group = store_arena_str(&b->arena, group);
	a->first = first;
	a->last = last;
	if (s->macs != NULL && (mac = mac_of(s->macs, af, addr)) != NULL) {
		memcpy(a->mac, mac, 6);
		a->has_mac = 1;
	}
	sq_map_put(&s->appliances, slot, h, b->nappliances);
	return (uint32_t)b->nappliances++;
}

/* The destinations row of an address (added if new); its index. */
static uint32_t
sq_destination(struct sink_sqlite *s, uint8_t af, const uint8_t *addr,
    const struct geo_info *g, int64_t first, int64_t last)
{
	struct store_batch		*b = s->b;
	struct store_destination	*d;
	struct store_addr		 k;
	uint64_t			 h, *slot;
	int64_t				 row;

	h = sq_addr_key(s, &k, af, addr);
	if ((row = sq_map_find(&s->destinations, h, b->destinations,
	    sq_same_destination, &k, &slot)) >= 0) {
		d = &b->destinations[row];
		sq_widen(&d->first, &d->last, first, last);
		return (uint32_t)row;
	}
	b->destinations = sq_grow(b->destinations, b->ndestinations,
	    &b->cdestinations, sizeof(*b->destinations));
	d = &b->destinations[b->ndestinations];
	memset(d, 0, sizeof(*d));
	d->key = k;
	d->first = first;
	d->last = last;
	if (g != NULL) {
		d->asn = g->asn;
		memcpy(d->country, g->country, sizeof(d->country));
		if (g->asn != 0 && g->org[0] != '\0')
			d->org = store_arena_str(&b->arena, g->org);
	}
	sq_map_put(&s->destinations, slot, h, b->ndestinations);
	return (uint32_t)b->ndestinations++;
}

/* The names row of (appliance, name, destination, source). */
static void
sq_name(struct sink_sqlite *s, uint32_t ai, uint32_t di, const char *name,
    enum app_name_source src, int64_t first, int64_t last)
{
	struct store_batch	*b = s->b;
	struct store_name	*n, k;
	uint64_t		 h, w[2], *slot;
	int64_t			 row;

	memset(&k, 0, sizeof(k));
	k.appliance = ai;
	k.destination = di;
	k.name = name;
	k.source = (uint8_t)src;
	w[0] = (uint64_t)ai << 32 | di;
	w[1] = (uint64_t)src << 56 ^ hash_fast(&s->key, name, strlen(name));
	h = hash_fast_w(&s->key, w, 2);
	if ((row = sq_map_find(&s->names, h, b->names, sq_same_name, &k,
	    &slot)) >= 0) {
		n = &b->names[row];
		sq_widen(&n->first, &n->last, first, last);
		return;
	}
	b->names = sq_grow(b->names, b->nnames, &b->cnames, sizeof(*b->names));
	n = &b->names[b->nnames];
	n->appliance = ai;
	n->destination = di;
	n->name = store_arena_str(&b->arena, name);
	n->source = (uint8_t)src;
	n->first = first;
	n->last = last;
	sq_map_put(&s->names, slot, h, b->nnames++);
}

/* The start of the hour of t. */
static int64_t
sq_hour(int64_t t)
{
	int64_t	r = t % SQ_HOUR;

	return t - (r < 0 ? r + SQ_HOUR : r);
}

/* The flows row of a key (added, zero, if new). */
static struct store_flow *
sq_flow_row(struct sink_sqlite *s, const struct store_flow_key *k)
{
	struct store_batch	*b = s->b;
	struct store_flow	*f;
	uint64_t		 h, *slot;
	int64_t			 row;

	h = hash_fast(&s->key, k, sizeof(*k));
	if ((row = sq_map_find(&s->flows, h, b->flows, sq_same_flow, k,
	    &slot)) >= 0)
		return &b->flows[row];
	b->flows = sq_grow(b->flows, b->nflows, &b->cflows, sizeof(*b->flows));
	f = &b->flows[b->nflows];
	memset(f, 0, sizeof(*f));
	f->key = *k;
	f->first = INT64_MAX;
	f->last = INT64_MIN;
	sq_map_put(&s->flows, slot, h, b->nflows++);
	return f;
}

/* A fresh batch and empty maps. */
static void
sq_batch_begin(struct sink_sqlite *s)
{
	s->b = store_writer_batch(s->w);
	s->batch_start = INT64_MIN;
	sq_map_reset(&s->appliances);
	sq_map_reset(&s->destinations);
	sq_map_reset(&s->names);
	sq_map_reset(&s->flows);
}

/* Hand the batch to the writer, if it holds anything, and begin another. */
static void
sq_batch_end(struct sink_sqlite *s)
{
	if (store_batch_rows(s->b) == 0 && s->b->dropped == 0) {
		s->batch_start = INT64_MIN;
		return;
	}
	store_writer_submit(s->w, s->b);
	sq_batch_begin(s);
}

/*
 * Packet time t has come: end the batch if its first event is
 * batch-interval old.  Called before an event is added.  Not while a
 * capture hashed beside its reading is read: the writer waits for that
 * hash before the batch that begins the capture, and would have it only
 * when the reading ends, so batches then end by their rows alone (a
 * capture of fewer rows than batch-rows ends its first batch when it is
 * read).  Decided by the packet path alone, like every batch's end.
 */
static void
sq_clock(struct sink_sqlite *s, int64_t t)
{
	if (t > s->now)
		s->now = t;
	if (s->batch_start != INT64_MIN && !s->sum_reading &&
	    s->now - s->batch_start >= s->batch_interval)
		sq_batch_end(s);
}

/* An event was added: start the batch's clock, end it when full. */
static void
sq_added(struct sink_sqlite *s)
{
	if (s->batch_start == INT64_MIN)
		s->batch_start = s->now;
	if (store_batch_rows(s->b) >= s->batch_rows)
		sq_batch_end(s);
}

/* A finished flow record: its rollup row, appliance, destination, name. */
static void
sink_sqlite_flow(void *arg, const struct event_flow *ev)
{
	struct sink_sqlite	*s = arg;
	const struct flow	*f = ev->flow;
	struct store_flow_key	 k;
	struct store_flow	*r;
	int			 a = f->appliance;
	uint32_t		 ai, di;

	sq_clock(s, f->last);
	ai = sq_appliance(s, f->key.af, f->key.addr[a], ev->group, f->first,
	    f->last);
	di = sq_destination(s, f->key.af, f->key.addr[!a], ev->geo, f->first,
	    f->last);
	if (ev->domain != NULL && ev->domain[0] != '\0')
		sq_name(s, ai, di, ev->domain, ev->name_source, f->first,
		    f->last);
	memset(&k, 0, sizeof(k));
	k.hour = sq_hour(f->first);
	k.appliance = ai;
	k.destination = di;
	k.proto = f->key.proto;
	k.port = util_proto_has_ports(f->key.proto) ? f->key.port[!a] : 0;
	k.verdict = (uint8_t)ev->verdict;
	r = sq_flow_row(s, &k);
	r->flows += f->start == f->first;	/* not an active-timeout sequel */
	r->records++;
	r->pkts_out += f->pkts[a];
	r->bytes_out += f->bytes[a];
	r->pkts_in += f->pkts[!a];
	r->bytes_in += f->bytes[!a];
	if (f->first < r->first)
		r->first = f->first;
	if (f->last > r->last)
		r->last = f->last;
	if (r->group == NULL && ev->group != NULL)
		r->group = store_arena_str(&s->b->arena, ev->group);
	if (r->rule == NULL && ev->rule != NULL)
		r->rule = store_arena_str(&s->b->arena, ev->rule);
	if (r->name == NULL && ev->domain != NULL)
		r->name = store_arena_str(&s->b->arena, ev->domain);
	if (r->app == APP_NONE && f->app != NULL)
		r->app = (uint8_t)f->app->proto;
	s->b->records++;
	sq_span(s, f->first, f->last);
	sq_added(s);
}

/*
 * A beacon series as it stands (from the end of a run, or an alert); its
 * last STORE_BEAT_TIMES beat times when the event has them.
 */
static void
sq_series(struct sink_sqlite *s, const struct beacon_report *r,
    const char *name, int judged, enum policy_verdict verdict,
    const int64_t *beats, size_t nbeats)
{
	uint8_t			*p;
	size_t			 i;
	struct store_batch	*b = s->b;
	struct store_series	*e;
	uint32_t		 ai;

	ai = sq_appliance(s, r->af, r->appliance, NULL, r->first_seen,
	    r->last_seen);
	b->series = sq_grow(b->series, b->nseries, &b->cseries,
	    sizeof(*b->series));
	e = &b->series[b->nseries++];
	memset(e, 0, sizeof(*e));
	e->r = *r;
	e->appliance = ai;
	e->name = store_arena_str(&b->arena, name);
	e->judged = judged;
	e->verdict = verdict;
	if (nbeats > STORE_BEAT_TIMES) {
		beats += nbeats - STORE_BEAT_TIMES;
		nbeats = STORE_BEAT_TIMES;
	}
	if (beats == NULL || nbeats == 0)
		return;
	p = store_arena_alloc(&b->arena, nbeats * 8);
	for (i = 0; i < nbeats; i++)
		hash_store64(p + 8 * i, (uint64_t)beats[i]);
	e->beat_times = p;
	e->nbeat_times = nbeats;
}

/* The new addresses of an alert as "a,b" in the batch, or NULL. */
static const char *
sq_addrs(struct store_arena *arena, const struct alert *a)
{
	char	*p, buf[UTIL_ADDRSTRLEN];
	size_t	 i, n = 0, len;

	if (a->naddrs == 0)
		return NULL;
	p = store_arena_alloc(arena, a->naddrs * (UTIL_ADDRSTRLEN + 1));
	for (i = 0; i < a->naddrs; i++) {
		util_addr_str(a->addrs[i].af, a->addrs[i].addr, buf,
		    sizeof(buf));
		len = strlen(buf);
		if (i > 0)
			p[n++] = ',';
		memcpy(p + n, buf, len);
		n += len;
	}
	p[n] = '\0';
	return p;
}

/*
 * The alert's whole ECS JSON line as the JSON lines sink writes it (its
 * writer, into memory), without the newline, in the batch.
 */
static const char *
sq_ecs(struct sink_sqlite *s, struct store_arena *arena,
    const struct alert *a)
{
	const char	*line;
	char		*p;
	size_t		 len;

	sink_json_ops.alert(s->json, a);
	line = sink_json_lines(s->json, &len);
	while (len > 0 && line[len - 1] == '\n')
		len--;
	p = store_arena_alloc(arena, len + 1);
	memcpy(p, line, len);
	p[len] = '\0';
	return p;
}

/*
 * An alert, every field copied into the batch.  The copy keeps the
 * alert's pointers only as flags (dst, geo, beacon: set or not); the
 * writer reads the copies beside it, and the strings point into the
 * batch.
 */
static void
sink_sqlite_alert(void *arg, const struct alert *a)
{
	struct sink_sqlite	*s = arg;
	struct store_batch	*b;
	struct store_alert	*sa;
	size_t			 n = a->af == 4 ? 4 : 16;

	sq_clock(s, a->ts);
	b = s->b;
	if (a->beacon != NULL)
		sq_series(s, a->beacon, a->beacon->group_by == BEACON_G_NAME ?
		    a->domain : NULL, 1, a->verdict, NULL, 0);
	b->alerts = sq_grow(b->alerts, b->nalerts, &b->calerts,
	    sizeof(*b->alerts));
	sa = &b->alerts[b->nalerts++];
	memset(sa, 0, sizeof(*sa));
	sa->a = *a;
	memcpy(sa->src, a->src, n);
	if (a->dst != NULL)
		memcpy(sa->dst, a->dst, n);
	if (a->geo != NULL) {
		sa->geo = *a->geo;
		sa->geo.org = store_arena_str(&b->arena, a->geo->org);
	}
	if (a->beacon != NULL)
		sa->beacon = *a->beacon;
	sa->a.rule = store_arena_str(&b->arena, a->rule);
	sa->a.domain = store_arena_str(&b->arena, a->domain);
	sa->a.group = store_arena_str(&b->arena, a->group);
	sa->a.rule_file = store_arena_str(&b->arena, a->rule_file);
	sa->a.callhome = store_arena_str(&b->arena, a->callhome);
	sa->a.dns_name = store_arena_str(&b->arena, a->dns_name);
	sa->a.dns_domain = store_arena_str(&b->arena, a->dns_domain);
	if (a->tunnel != NULL)
		sa->tunnel = *a->tunnel;
	sa->addrs = sq_addrs(&b->arena, a);
	sa->a.addrs = NULL;
	sa->ecs = sq_ecs(s, &b->arena, a);
	sq_span(s, a->ts, a->ts);
	sq_added(s);
}

/* A beacon series at the end of a run. */
static void
sink_sqlite_series(void *arg, const struct event_series *ev)
{
	struct sink_sqlite	*s = arg;

	sq_clock(s, ev->report->last_seen);
	sq_series(s, ev->report, ev->name, ev->judged, ev->verdict,
	    ev->beat_times, ev->nbeat_times);
	sq_added(s);
}

/* One counter row. */
static void
sq_counter(struct sink_sqlite *s, int64_t minute, const char *name,
    uint64_t v)
{
	struct store_batch	*b = s->b;
	struct store_counter	*c;

	b->counters = sq_grow(b->counters, b->ncounters, &b->ccounters,
	    sizeof(*b->counters));
	c = &b->counters[b->ncounters++];
	c->minute = minute;
	c->name = store_arena_str(&b->arena, name);
	c->value = v;
}

/*
 * Counters: at the end of a run, every one that is not zero; live, every
 * minute, what each added since the minute before.
 */
static void
sink_sqlite_counters(void *arg, const struct event_counters *c)
{
	struct sink_sqlite	*s = arg;
	const struct event_counter *e, *p;
	int64_t			 minute;
	size_t			 i;

	if (c->ts != 0)
		sq_clock(s, c->ts);
	minute = s->now - s->now % SQ_MINUTE;
	for (i = 0; i < c->n; i++) {
		e = &c->v[i];
		if (c->run != NULL) {
			if (e->value != 0)
				sq_counter(s, INT64_MIN, e->name, e->value);
			continue;
		}
		p = i < s->last.n && strcmp(s->last.v[i].name, e->name) == 0 ?
		    &s->last.v[i] : NULL;
		if (e->value > (p != NULL ? p->value : 0))
			sq_counter(s, minute, e->name, e->value -
			    (p != NULL ? p->value : 0));
	}
	if (c->run == NULL) {
		s->last.n = 0;
		for (i = 0; i < c->n; i++)
			event_counter(&s->last, c->v[i].name, c->v[i].value);
	}
	sq_added(s);
}

/* Note a capture begun in this run. */
static void
sq_seen_add(struct sink_sqlite *s, int index, int64_t size, const char *hex,
    struct filesum *sum)
{
	struct sq_seen	*e;

	s->seen = sq_grow(s->seen, s->nseen, &s->cseen, sizeof(*s->seen));
	e = &s->seen[s->nseen++];
	e->index = index;
	e->size = size;
	snprintf(e->hex, sizeof(e->hex), "%s", hex);
	e->sum = sum;
}

/*
 * The hash of a capture begun in this run, waited for if its thread is
 * still taking it; "" when it could not be taken.
 */
static const char *
sq_seen_hex(struct sq_seen *e)
{
	int64_t	size;

	if (e->sum != NULL && e->hex[0] == '\0' &&
	    filesum_wait(e->sum, e->hex, &size) == -1)
		e->hex[0] = '\0';
	return e->hex;
}

/*
 * Was a capture with this hash (and size) begun in this run?  Note it if
 * not.
 */
static int
sq_seen(struct sink_sqlite *s, int index, const char *hex, int64_t size)
{
	size_t	i;

	for (i = 0; i < s->nseen; i++)
		if (s->seen[i].size == size &&
		    strcmp(sq_seen_hex(&s->seen[i]), hex) == 0)
			return 1;
	sq_seen_add(s, index, size, hex, NULL);
	return 0;
}

/*
 * Is a capture about to be read in the store already?  1 (said) when it
 * should not be read again, else 0 and its row begun.
 */
static int
sq_capture_known(struct sink_sqlite *s, const struct event_capture *ev,
    const char *hex, int64_t size)
{
	char	state[16];
	int64_t	run = 0;

	if (!sq_seen(s, ev->index, hex, size) &&
	    store_writer_capture(s->w, hex, &run, state, sizeof(state)) != 1)
		return 0;
	if (s->force) {
		log_info("%s: in %s already; read again (--force)", ev->path,
		    s->path);
		return 0;
	}
	if (run == 0)
		log_warnx("%s: the same capture was given before in this run; "
		    "not read twice", ev->path);
	else if (strcmp(state, "reading") == 0)
		log_warnx("%s: read only in part into %s by run %" PRId64
		    " (it stopped before the end); its rows are kept and "
		    "reading it again would count them twice: not read "
		    "(--force reads it)", ev->path, s->path, run);
	else
		log_warnx("%s: in %s already (read by run %" PRId64 "); not "
		    "read again (--force reads it)", ev->path, s->path, run);
	return 1;
}

/*
 * A capture file that is certainly new: a regular file whose size no
 * capture in the store has, nor any begun in this run.  Its hash is begun
 * beside its reading (filesum_start), held for its row, and its size is
 * *size; 0 when it may be one held already and must be hashed first.
 */
static int
sq_capture_new(struct sink_sqlite *s, const struct event_capture *ev,
    int64_t *size)
{
	int64_t	n = filesum_size(ev->sum);
	size_t	i;

	for (i = 0; i < s->nseen; i++)
		if (s->seen[i].size == n)
			break;
	if (i < s->nseen || store_writer_capture_size(s->w, n) != 0) {
		log_debug("%s: a capture of %jd bytes is in the store or this "
		    "run: hashed before it is read", ev->path, (intmax_t)n);
		return 0;
	}
	filesum_start(ev->sum);
	filesum_hold(ev->sum);
	*size = n;
	log_debug("%s: no capture of %jd bytes in the store or this run: "
	    "new, hashed while it is read", ev->path, (intmax_t)n);
	return 1;
}

/*
 * A capture file read: the hash its thread took is waited for here, at a
 * point the packets decide, to say a failure as if it had been taken
 * before.
 */
static void
sq_capture_read(struct sink_sqlite *s, const struct event_capture *ev)
{
	size_t	i;

	for (i = 0; i < s->nseen; i++) {
		if (s->seen[i].index != ev->index || s->seen[i].sum == NULL)
			continue;
		if (sq_seen_hex(&s->seen[i])[0] == '\0')
			log_warn("%s: cannot take its SHA-256", ev->path);
		else
			log_debug("%s: SHA-256 taken, %jd bytes of it read "
			    "apart from the reading", ev->path,
			    (intmax_t)filesum_apart(s->seen[i].sum));
		return;
	}
}

/*
 * Can a capture be hashed?  Only a regular file (ev->sum): not standard
 * input, a pipe, a FIFO or a device, whose bytes go once to the reader
 * and are read unhashed.
 */
static int
sq_hashable(const struct event_capture *ev)
{
	if (ev->sum != NULL)
		return 1;
	if (strcmp(ev->path, "-") != 0)
		log_debug("%s: not a regular file: read without its SHA-256",
		    ev->path);
	return 0;
}

/*
 * A capture file: before it is read, its hash (or the thread that takes
 * it), and whether to read it; once read, what it held.  1: do not read
 * it.
 */
static int
sink_sqlite_capture(void *arg, const struct event_capture *ev)
{
	struct sink_sqlite	*s = arg;
	struct store_batch	*b;
	struct store_capture	*c;
	struct filesum		*sum = NULL;
	char			 hex[STORE_SHA256_HEX] = "";
	int64_t			 size = -1;

	if (!ev->done && sq_hashable(ev)) {
		if (sq_capture_new(s, ev, &size)) {
			sum = ev->sum;
			sq_seen_add(s, ev->index, size, "", sum);
			s->sum_reading = 1;
		} else if (filesum_whole(ev->sum, hex, &size) == -1) {
			log_warn("%s: cannot take its SHA-256", ev->path);
			hex[0] = '\0';
			size = -1;
		} else if (sq_capture_known(s, ev, hex, size))
			return 1;
	}
	if (ev->done)
		s->sum_reading = 0;
	if (ev->done && ev->packets > 0)
		sq_clock(s, ev->last_ts);
	if (ev->done) {
		sq_capture_read(s, ev);
		/*
		 * A file read is done only once every row its packets make
		 * is stored, and flows still open when it ends are written
		 * at the end of the run: its state goes in the run's last
		 * batch, so a run cut short leaves it "reading".
		 */
		s->done = sq_grow(s->done, s->ndone, &s->cdone,
		    sizeof(*s->done));
		s->done[s->ndone].ev = *ev;
		s->done[s->ndone++].path = xstrdup(ev->path);
		return 0;
	}
	b = s->b;
	b->captures = sq_grow(b->captures, b->ncaptures, &b->ccaptures,
	    sizeof(*b->captures));
	c = &b->captures[b->ncaptures++];
	memset(c, 0, sizeof(*c));
	c->index = ev->index;
	c->done = ev->done;
	c->cut = ev->cut;
	c->path = store_arena_str(&b->arena, ev->path);
	c->size = size;
	memcpy(c->sha256, hex, sizeof(hex));
	c->sum = sum;
	c->packets = ev->packets;
	c->first = ev->first_ts;
	c->last = ev->last_ts;
	sq_added(s);
	return 0;
}

/* Packet time moves on without events (live): end a batch that is due. */
static void
sink_sqlite_tick(void *arg, int64_t now)
{
	sq_clock(arg, now);
}

/* Hand over what the batch holds. */
static int
sink_sqlite_flush(void *arg)
{
	sq_batch_end(arg);
	return 0;
}

/* The rows gathered or handed over, not yet committed. */
static void
sink_sqlite_queue(void *arg, struct sink_queue *q)
{
	struct sink_sqlite	*s = arg;

	q->kind = "store";
	q->unit = "rows";
	q->n = store_batch_rows(s->b) + store_writer_queued(s->w);
}

/* Write everything, close the store; -1 if rows were lost (said). */
static int
sink_sqlite_close(void *arg)
{
	struct sink_sqlite	*s = arg;
	struct store_batch	*b = s->b;
	struct store_capture	*c;
	size_t			 i;
	int			 rv;

	for (i = 0; i < s->ndone; i++) {
		b->captures = sq_grow(b->captures, b->ncaptures,
		    &b->ccaptures, sizeof(*b->captures));
		c = &b->captures[b->ncaptures++];
		memset(c, 0, sizeof(*c));
		c->index = s->done[i].ev.index;
		c->done = 1;
		c->cut = s->done[i].ev.cut;
		c->path = store_arena_str(&b->arena, s->done[i].path);
		c->size = -1;
		c->packets = s->done[i].ev.packets;
		c->first = s->done[i].ev.first_ts;
		c->last = s->done[i].ev.last_ts;
		free(s->done[i].path);
	}
	if (s->ndone > 0)
		sq_added(s);
	free(s->done);
	sq_batch_end(s);
	store_batch_free(s->b);
	rv = store_writer_close(s->w);
	free(s->appliances.slot);
	free(s->destinations.slot);
	free(s->names.slot);
	free(s->flows.slot);
	event_counters_free(&s->last);
	sink_json_ops.close(s->json);
	for (i = 0; i < s->nseen; i++)
		filesum_free(s->seen[i].sum);
	free(s->seen);
	free(s->path);
	free(s);
	return rv;
}

/*
 * Open the store for a run (see sink_sqlite.h); NULL with the reason in
 * err.
 */
struct sink_sqlite *
sink_sqlite_open(const struct sink_sqlite_config *c, char *err, size_t len)
{
	struct sink_sqlite	*s;
	struct store_config	 sc;
	struct store_run	 r;

	memset(&sc, 0, sizeof(sc));
	sc.path = c->path;
	sc.threaded = c->threaded;
	sc.live = c->live;
	sc.retention = c->retention;
	memset(&r, 0, sizeof(r));
	r.mode = c->live ? "live" : "offline";
	r.source = c->source;
	r.audit = c->audit;
	s = xcalloc(1, sizeof(*s));
	if ((s->w = store_writer_open(&sc, &r, err, len)) == NULL) {
		free(s);
		return NULL;
	}
	s->path = xstrdup(c->path);
	s->macs = c->macs;
	s->force = c->force;
	s->batch_rows = c->batch_rows > 0 ? c->batch_rows :
	    SINK_SQLITE_BATCH_ROWS;
	s->batch_interval = c->batch_interval > 0 ? c->batch_interval :
	    c->live ? SINK_SQLITE_BATCH_LIVE : SINK_SQLITE_BATCH_OFFLINE;
	s->now = INT64_MIN;
	s->json = sink_json_memory();
	hash_key_random(&s->key);
	sq_batch_begin(s);
	return s;
}

const struct sink_ops sink_sqlite_ops = {
	.name = "sqlite",
	.flow = sink_sqlite_flow,
	.alert = sink_sqlite_alert,
	.series = sink_sqlite_series,
	.counters = sink_sqlite_counters,
	.capture = sink_sqlite_capture,
	.tick = sink_sqlite_tick,
	.flush = sink_sqlite_flush,
	.queue = sink_sqlite_queue,
	.close = sink_sqlite_close,
};
