/*
 * The writer of the audit store (see store_write.h).
 *
 * Why a thread: a commit costs the SQLite b-trees' work for every row and,
 * now and then, a checkpoint that writes the WAL back into the database;
 * another process may hold the write lock for a while (a backup, a person
 * with the sqlite3 shell), and a disk may be full.  None of that may stall
 * the packet path, so with a second CPU (--threads 2, the default there)
 * the batches go to a thread that owns the connection.
 *
 * Why the result is the same either way: what goes into a batch, and
 * where one batch ends and the next begins, is decided by the packet path
 * alone, from the events and their packet time (sink_sqlite.c).  The
 * writer commits the batches one at a time in the order they were handed
 * over, each in one transaction, so the same statements run in the same
 * order on the same rows whichever thread runs them, and rowids come out
 * the same.  Only wall-clock columns (runs.started, runs.ended,
 * deliveries.updated) differ from run to run.  Offline, when the writer is
 * STORE_QUEUE_MAX batches behind, the packet path waits for it (a capture
 * is read whole into the store); live, it never waits: the flow rows of
 * a batch that finds the queue full are let go and counted (runs.dropped),
 * its alerts, series, counters and capture rows kept.  While writing
 * fails, nobody waits either, and the same rule bounds the queue.  A
 * batch that begins a capture whose hash is still being taken waits for
 * it (filesum.c) before its transaction: the hash is known whole by then
 * and does not depend on when it was waited for.  A hash taken from the
 * bytes the packet path reads is whole only when the reading ends (the
 * packet path keeps such a capture's first batch open until then, up to
 * its rows: sink_sqlite.c); if the writer must wait for one sooner and
 * the queue is full, the hash reads the rest of the file itself (a
 * second read, of that rest only) rather than wait for a reading that
 * waits for the writer.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "app.h"
#include "filesum.h"
#include "log.h"
#include "store.h"
#include "store_write.h"
#include "util.h"
#include "xmalloc.h"

#define STORE_CHUNK	65536
#define STORE_RETAIN_EVERY	(3600 * (int64_t)1000000)	/* packet time */

struct store_chunk {
	struct store_chunk	*prev;
	char			 data[];
};

enum store_st {
	ST_APPLIANCE,
	ST_DESTINATION,
	ST_NAME,
	ST_FLOW,
	ST_ALERT,
	ST_DELIVERY,
	ST_SERIES,
	ST_COUNTER,
	ST_CAPTURE_BEGIN,
	ST_CAPTURE_END,
	ST_RUN,
	ST_RETAIN_FLOWS,
	ST_RETAIN_NAMES,
	ST_RETAIN_SERIES,
	ST_RETAIN_DELIVERIES,
	ST_RETAIN_ALERTS,
	ST_RETAIN_COUNTERS,
	ST_RETAIN_APPLIANCES,
	ST_RETAIN_DESTINATIONS,
	ST_MAX
};

/* Every statement the writer runs, prepared once. */
static const char *const store_sql[ST_MAX] = {
	[ST_APPLIANCE] =
	    "INSERT INTO appliances (address, mac, group_name, first_seen,"
	    " last_seen) VALUES (?1, ?2, ?3, ?4, ?5)"
	    " ON CONFLICT (address) DO UPDATE SET"
	    " mac = coalesce(excluded.mac, mac),"
	    " group_name = coalesce(excluded.group_name, group_name),"
	    " first_seen = min(first_seen, excluded.first_seen),"
	    " last_seen = max(last_seen, excluded.last_seen)"
	    " RETURNING id",
	[ST_DESTINATION] =
	    "INSERT INTO destinations (address, asn, organization, country,"
	    " first_seen, last_seen) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
	    " ON CONFLICT (address) DO UPDATE SET"
	    " asn = coalesce(excluded.asn, asn),"
	    " organization = coalesce(excluded.organization, organization),"
	    " country = coalesce(excluded.country, country),"
	    " first_seen = min(first_seen, excluded.first_seen),"
	    " last_seen = max(last_seen, excluded.last_seen)"
	    " RETURNING id",
	[ST_NAME] =
	    "INSERT INTO names (appliance, name, destination, source,"
	    " first_seen, last_seen) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
	    " ON CONFLICT (appliance, name, destination, source) DO UPDATE SET"
	    " first_seen = min(first_seen, excluded.first_seen),"
	    " last_seen = max(last_seen, excluded.last_seen)",
	[ST_FLOW] =
	    "INSERT INTO flows (hour, appliance, destination, transport, port,"
	    " verdict, flows, records, packets_out, bytes_out, packets_in,"
	    " bytes_in, first_seen, last_seen, group_name, rule, name,"
	    " protocol) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10,"
	    " ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)"
	    " ON CONFLICT (hour, appliance, destination, transport, port,"
	    " verdict) DO UPDATE SET"
	    " flows = flows + excluded.flows,"
	    " records = records + excluded.records,"
	    " packets_out = packets_out + excluded.packets_out,"
	    " bytes_out = bytes_out + excluded.bytes_out,"
	    " packets_in = packets_in + excluded.packets_in,"
	    " bytes_in = bytes_in + excluded.bytes_in,"
	    " first_seen = min(first_seen, excluded.first_seen),"
	    " last_seen = max(last_seen, excluded.last_seen),"
	    " group_name = coalesce(excluded.group_name, group_name),"
	    " rule = coalesce(excluded.rule, rule),"
	    " name = coalesce(excluded.name, name),"
	    " protocol = coalesce(excluded.protocol, protocol)",
	[ST_ALERT] =
	    "INSERT INTO alerts (id, run, ts, action, severity, rule, message,"
	    " source_ip, destination_ip, destination_port, transport,"
	    " network_type, asn, organization, country, registered_country,"
	    " domain, name_source, verdict, group_name, rule_at, count,"
	    " flow_id, beacon_period, beacon_jitter, beacon_beats,"
	    " beacon_missed, beacon_first_seen, beacon_score, beacon_group_by,"
	    " beacon_asn, beacon_carrier, new_addresses, new_addresses_more,"
	    " callhome, tunnel_names, tunnel_encoded, tunnel_answers,"
	    " tunnel_longest_label, tunnel_window, duration, source_bytes,"
	    " destination_bytes, dns_question_name, dns_registered_domain,"
	    " ecs) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10,"
	    " ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22,"
	    " ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31, ?32, ?33, ?34,"
	    " ?35, ?36, ?37, ?38, ?39, ?40, ?41, ?42, ?43, ?44, ?45, ?46)"
	    " RETURNING seq",
	[ST_DELIVERY] =
	    "INSERT INTO deliveries (sink, alert, state)"
	    " SELECT name, ?1, 'pending' FROM outbox_sinks",
	[ST_SERIES] =
	    "INSERT INTO series (appliance, group_by, key, kind, period,"
	    " jitter, beats, missed, score, verdict, first_seen, last_seen,"
	    " beat_times) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10,"
	    " ?11, ?12, ?13)"
	    " ON CONFLICT (appliance, group_by, key) DO UPDATE SET"
	    " kind = excluded.kind, period = excluded.period,"
	    " jitter = excluded.jitter, beats = excluded.beats,"
	    " missed = excluded.missed, score = excluded.score,"
	    " verdict = coalesce(excluded.verdict, verdict),"
	    " first_seen = min(first_seen, excluded.first_seen),"
	    " last_seen = max(last_seen, excluded.last_seen),"
	    " beat_times = coalesce(excluded.beat_times, beat_times)",
	[ST_COUNTER] =
	    "INSERT INTO counters (run, minute, name, value)"
	    " VALUES (?1, ?2, ?3, ?4)",
	[ST_CAPTURE_BEGIN] =
	    "INSERT INTO captures (run, path, size, sha256, state)"
	    " VALUES (?1, ?2, ?3, ?4, 'reading') RETURNING id",
	[ST_CAPTURE_END] =
	    "UPDATE captures SET first_ts = ?2, last_ts = ?3, packets = ?4,"
	    " state = ?5 WHERE id = ?1",
	[ST_RUN] =
	    "UPDATE runs SET"
	    " first_ts = coalesce(min(first_ts, ?2), first_ts, ?2),"
	    " last_ts = coalesce(max(last_ts, ?3), last_ts, ?3),"
	    " batches = batches + 1, records = records + ?4,"
	    " alerts = alerts + ?5, dropped = dropped + ?6 WHERE id = ?1",
	[ST_RETAIN_FLOWS] =
	    "DELETE FROM flows WHERE id IN (SELECT id FROM flows"
	    " WHERE hour <= ?1 - 3600000000 ORDER BY hour LIMIT ?2)",
	[ST_RETAIN_NAMES] =
	    "DELETE FROM names WHERE (appliance, name, destination, source) IN"
	    " (SELECT appliance, name, destination, source FROM names"
	    " WHERE last_seen < ?1 LIMIT ?2)",
	[ST_RETAIN_SERIES] =
	    "DELETE FROM series WHERE (appliance, group_by, key) IN"
	    " (SELECT appliance, group_by, key FROM series"
	    " WHERE last_seen < ?1 LIMIT ?2)",
	[ST_RETAIN_DELIVERIES] =
	    "DELETE FROM deliveries WHERE (sink, alert) IN"
	    " (SELECT d.sink, d.alert FROM deliveries d JOIN alerts a"
	    " ON a.seq = d.alert WHERE a.ts < ?1 AND d.state = 'delivered'"
	    " LIMIT ?2)",
	[ST_RETAIN_ALERTS] =
	    "DELETE FROM alerts WHERE seq IN (SELECT seq FROM alerts"
	    " WHERE ts < ?1 AND NOT EXISTS (SELECT 1 FROM deliveries"
	    " WHERE alert = alerts.seq) ORDER BY ts LIMIT ?2)",
	[ST_RETAIN_COUNTERS] =
	    "DELETE FROM counters WHERE rowid IN (SELECT rowid FROM counters"
	    " WHERE minute < ?1 LIMIT ?2)",
	[ST_RETAIN_APPLIANCES] =
	    "DELETE FROM appliances WHERE id IN (SELECT id FROM appliances"
	    " WHERE last_seen < ?1 LIMIT ?2)",
	[ST_RETAIN_DESTINATIONS] =
	    "DELETE FROM destinations WHERE id IN (SELECT id FROM destinations"
	    " WHERE last_seen < ?1 LIMIT ?2)",
};

/* Capture rows begun: the run's capture index to its row. */
struct store_capid {
	int		index;
	int64_t		id;
};

struct store_writer {
	sqlite3			*db;		/* the writer's */
	sqlite3			*rdb;		/* look-ups, the caller's */
	sqlite3_stmt		*st[ST_MAX];
	sqlite3_stmt		*lookup;	/* a capture by its hash */
	sqlite3_stmt		*lookup_size;	/* ... by its size */
	char			*path;
	int			 threaded, live;
	int64_t			 run;
	int64_t			 retention;
	int64_t			 newest;	/* packet time written */
	int64_t			 retained;	/* newest at the last pass */
	int			 retain_more;

	struct store_capid	*capids;
	size_t			 ncapids;

	pthread_t		 thread;
	pthread_mutex_t		 mu;
	pthread_cond_t		 work, space;
	struct store_batch	*head, *tail;
	struct store_batch	*spare;		/* written, emptied */
	size_t			 queued;
	uint64_t		 queued_rows;	/* in the queued batches */
	struct filesum		*sumwait;	/* the hash the writer waits for */
	uint64_t		 handed;		/* batches */
	int			 stop;
	int			 failing;
	int64_t			 retry_at;	/* monotonic ms */
	char			 error[STORE_ERRLEN];
	struct store_stats	 stats;
};

/* Milliseconds of a monotonic clock. */
static int64_t
store_now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Microseconds of the wall clock. */
static int64_t
store_wall_us(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* n bytes from an arena, aligned for any row. */
void *
store_arena_alloc(struct store_arena *ar, size_t n)
{
	struct store_chunk	*c;
	size_t			 size;

	n = (n + 15) & ~(size_t)15;
	if (ar->chunk == NULL || ar->used + n > ar->size) {
		size = n > STORE_CHUNK / 2 ? n : STORE_CHUNK;
		c = xmalloc(sizeof(*c) + size);
		c->prev = ar->old;
		ar->old = c;
		ar->chunk = c->data;
		ar->used = 0;
		ar->size = size;
	}
	ar->used += n;
	return ar->chunk + ar->used - n;
}

/* A copy of s in an arena; NULL stays NULL. */
const char *
store_arena_str(struct store_arena *ar, const char *s)
{
	size_t	n;
	char	*p;

	if (s == NULL)
		return NULL;
	n = strlen(s) + 1;
	p = store_arena_alloc(ar, n);
	memcpy(p, s, n);
	return p;
}

/* An empty batch. */
struct store_batch *
store_batch_new(void)
{
	struct store_batch	*b;

	b = xcalloc(1, sizeof(*b));
	b->first_ts = INT64_MAX;
	b->last_ts = INT64_MIN;
	return b;
}

/* Free a batch and its strings. */
void
store_batch_free(struct store_batch *b)
{
	struct store_chunk	*c, *p;

	if (b == NULL)
		return;
	for (c = b->arena.old; c != NULL; c = p) {
		p = c->prev;
		free(c);
	}
	free(b->appliances);
	free(b->destinations);
	free(b->names);
	free(b->flows);
	free(b->alerts);
	free(b->series);
	free(b->counters);
	free(b->captures);
	free(b);
}

/*
 * Empty a written batch for another: its arrays keep their size (the
 * flow rows of a batch of 50,000 are megabytes that a new batch would grow
 * into, copying, and fault in again), its strings go.
 */
static void
store_batch_empty(struct store_batch *b)
{
	struct store_chunk	*c, *p;

	for (c = b->arena.old; c != NULL; c = p) {
		p = c->prev;
		free(c);
	}
	memset(&b->arena, 0, sizeof(b->arena));
	b->next = NULL;
	b->seq = 0;
	b->nappliances = b->ndestinations = b->nnames = b->nflows = 0;
	b->nalerts = b->nseries = b->ncounters = b->ncaptures = 0;
	b->records = 0;
	b->dropped = 0;
	b->first_ts = INT64_MAX;
	b->last_ts = INT64_MIN;
}

/* The rows a batch holds. */
size_t
store_batch_rows(const struct store_batch *b)
{
	return b->nappliances + b->ndestinations + b->nnames + b->nflows +
	    b->nalerts + b->nseries + b->ncounters + b->ncaptures;
}

/*
 * Let the flow rows of a batch go (the queue is full): destinations, names
 * and flows, and the appliances past the last one a series needs.
 */
static void
store_batch_shed(struct store_batch *b)
{
	size_t	i, keep = 0;

	for (i = 0; i < b->nseries; i++)
		if (b->series[i].appliance + 1 > keep)
			keep = b->series[i].appliance + 1;
	if (keep < b->nappliances)
		b->nappliances = keep;
	b->ndestinations = 0;
	b->nnames = 0;
	b->nflows = 0;
	b->dropped += b->records;
	b->records = 0;
}

/*
 * Bind text, or NULL when s is NULL or empty.  Not copied: every value
 * bound here lives in the batch or the caller's frame until the statement
 * has run, and store_step (or a failed batch) clears the bindings.
 */
static int
store_bind_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s == NULL || s[0] == '\0')
		return sqlite3_bind_null(st, i);
	return sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
}

/* Bind an integer, or NULL when it is 0 and zero_null says so. */
static int
store_bind_int(sqlite3_stmt *st, int i, int64_t v, int zero_null)
{
	if (v == 0 && zero_null)
		return sqlite3_bind_null(st, i);
	return sqlite3_bind_int64(st, i, v);
}

/* Run a bound statement to its end (or its one row: *id); 0 or -1. */
static int
store_step(sqlite3_stmt *st, int64_t *id)
{
	int	rc;

	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && id != NULL)
		*id = sqlite3_column_int64(st, 0);
	while (rc == SQLITE_ROW)
		rc = sqlite3_step(st);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* An address as text. */
static const char *
store_addr_text(const struct store_addr *a, char *buf, size_t len)
{
	return util_addr_str(a->af, a->addr, buf, len);
}

/* The appliances of a batch; their ids into ids. */
static int
store_put_appliances(struct store_writer *w, const struct store_batch *b,
    int64_t *ids)
{
	sqlite3_stmt	*st = w->st[ST_APPLIANCE];
	char		 addr[UTIL_ADDRSTRLEN], mac[18];
	size_t		 i;

	for (i = 0; i < b->nappliances; i++) {
		const struct store_appliance *a = &b->appliances[i];

		sqlite3_bind_text(st, 1, store_addr_text(&a->key, addr,
		    sizeof(addr)), -1, SQLITE_STATIC);
		if (a->has_mac) {
			snprintf(mac, sizeof(mac),
			    "%02x:%02x:%02x:%02x:%02x:%02x", a->mac[0],
			    a->mac[1], a->mac[2], a->mac[3], a->mac[4],
			    a->mac[5]);
			sqlite3_bind_text(st, 2, mac, -1, SQLITE_STATIC);
		}
		store_bind_text(st, 3, a->group);
		sqlite3_bind_int64(st, 4, a->first);
		sqlite3_bind_int64(st, 5, a->last);
		if (store_step(st, &ids[i]) == -1)
			return -1;
	}
	return 0;
}

/* The destinations of a batch; their ids into ids. */
static int
store_put_destinations(struct store_writer *w, const struct store_batch *b,
    int64_t *ids)
{
	sqlite3_stmt	*st = w->st[ST_DESTINATION];
	char		 addr[UTIL_ADDRSTRLEN];
	size_t		 i;

	for (i = 0; i < b->ndestinations; i++) {
		const struct store_destination *d = &b->destinations[i];

		sqlite3_bind_text(st, 1, store_addr_text(&d->key, addr,
		    sizeof(addr)), -1, SQLITE_STATIC);
		store_bind_int(st, 2, d->asn, 1);
		store_bind_text(st, 3, d->org);
		store_bind_text(st, 4, d->country);
		sqlite3_bind_int64(st, 5, d->first);
		sqlite3_bind_int64(st, 6, d->last);
		if (store_step(st, &ids[i]) == -1)
			return -1;
	}
	return 0;
}

/* The names of a batch. */
static int
store_put_names(struct store_writer *w, const struct store_batch *b,
    const int64_t *aid, const int64_t *did)
{
	sqlite3_stmt	*st = w->st[ST_NAME];
	size_t		 i;

	for (i = 0; i < b->nnames; i++) {
		const struct store_name *n = &b->names[i];

		sqlite3_bind_int64(st, 1, aid[n->appliance]);
		sqlite3_bind_text(st, 2, n->name, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 3, did[n->destination]);
		sqlite3_bind_text(st, 4, app_name_source_name(n->source), -1,
		    SQLITE_STATIC);
		sqlite3_bind_int64(st, 5, n->first);
		sqlite3_bind_int64(st, 6, n->last);
		if (store_step(st, NULL) == -1)
			return -1;
	}
	return 0;
}

/* One flow row. */
static int
store_put_flow(sqlite3_stmt *st, const struct store_flow *f,
    const int64_t *aid, const int64_t *did)
{
	sqlite3_bind_int64(st, 1, f->key.hour);
	sqlite3_bind_int64(st, 2, aid[f->key.appliance]);
	sqlite3_bind_int64(st, 3, did[f->key.destination]);
	sqlite3_bind_int(st, 4, f->key.proto);
	sqlite3_bind_int(st, 5, f->key.port);
	sqlite3_bind_text(st, 6, policy_verdict_name(f->key.verdict),
	    -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 7, (int64_t)f->flows);
	sqlite3_bind_int64(st, 8, (int64_t)f->records);
	sqlite3_bind_int64(st, 9, (int64_t)f->pkts_out);
	sqlite3_bind_int64(st, 10, (int64_t)f->bytes_out);
	sqlite3_bind_int64(st, 11, (int64_t)f->pkts_in);
	sqlite3_bind_int64(st, 12, (int64_t)f->bytes_in);
	sqlite3_bind_int64(st, 13, f->first);
	sqlite3_bind_int64(st, 14, f->last);
	store_bind_text(st, 15, f->group);
	store_bind_text(st, 16, f->rule);
	store_bind_text(st, 17, f->name);
	store_bind_text(st, 18, f->app != APP_NONE ?
	    app_proto_name(f->app) : NULL);
	return store_step(st, NULL);
}

/* A flow row's place in the order of the flows_key index. */
struct store_flow_order {
	int64_t		 hour, appliance, destination;
	uint32_t	 rest;		/* transport, port, verdict */
	uint32_t	 row;
};

/* Compare two flow rows in the order of the flows_key index. */
static int
store_flow_order_cmp(const void *va, const void *vb)
{
	const struct store_flow_order	*a = va, *b = vb;

	if (a->hour != b->hour)
		return a->hour < b->hour ? -1 : 1;
	if (a->appliance != b->appliance)
		return a->appliance < b->appliance ? -1 : 1;
	if (a->destination != b->destination)
		return a->destination < b->destination ? -1 : 1;
	if (a->rest != b->rest)
		return a->rest < b->rest ? -1 : 1;
	return a->row < b->row ? -1 : a->row > b->row;
}

/*
 * The flow rows of a batch, in the order of the flows_key index (hour,
 * appliance, destination, ...), so that each insert finds its index pages
 * where the one before left them instead of all over the b-trees: about
 * a sixth less CPU a row than in the batch's order on the flow-heavy
 * bench capture.  The order depends on the batch and the ids alone.
 */
static int
store_put_flows(struct store_writer *w, const struct store_batch *b,
    const int64_t *aid, const int64_t *did)
{
	sqlite3_stmt		*st = w->st[ST_FLOW];
	struct store_flow_order	*o;
	size_t			 i;
	int			 rc = 0;

	if (b->nflows == 0)
		return 0;
	o = xreallocarray(NULL, b->nflows, sizeof(*o));
	for (i = 0; i < b->nflows; i++) {
		const struct store_flow_key *k = &b->flows[i].key;

		o[i].hour = k->hour;
		o[i].appliance = aid[k->appliance];
		o[i].destination = did[k->destination];
		o[i].rest = (uint32_t)k->proto << 24 | (uint32_t)k->port << 8 |
		    k->verdict;
		o[i].row = (uint32_t)i;
	}
	qsort(o, b->nflows, sizeof(*o), store_flow_order_cmp);
	for (i = 0; i < b->nflows && rc == 0; i++)
		rc = store_put_flow(st, &b->flows[o[i].row], aid, did);
	free(o);
	return rc;
}

/* An id as the 16 hex digits of the JSON lines. */
static const char *
store_id_text(uint64_t id, char *buf, size_t len)
{
	snprintf(buf, len, "%016" PRIx64, id);
	return buf;
}

/* Bind the beacon fields of an alert (24 to 31). */
static void
store_bind_beacon(sqlite3_stmt *st, const struct beacon_report *r)
{
	sqlite3_bind_double(st, 24, r->period_s);
	sqlite3_bind_double(st, 25, r->jitter);
	sqlite3_bind_int64(st, 26, r->beats);
	sqlite3_bind_int64(st, 27, r->missed);
	sqlite3_bind_int64(st, 28, r->first_seen);
	sqlite3_bind_double(st, 29, r->score);
	sqlite3_bind_text(st, 30, beacon_group_name(r->group_by), -1,
	    SQLITE_STATIC);
	if (r->group_by == BEACON_G_ASN)
		sqlite3_bind_int64(st, 31, r->asn);
}

/*
 * Bind what call-home, dns-tunnel and long-connection alerts add, and the
 * ECS line (32 to 46).
 */
static void
store_bind_more(sqlite3_stmt *st, const struct store_alert *sa)
{
	const struct alert	*a = &sa->a;

	if (a->carrier != ALERT_CARRIER_NONE)
		sqlite3_bind_text(st, 32, a->carrier == ALERT_CARRIER_DNS ?
		    "dns" : "connection", -1, SQLITE_STATIC);
	store_bind_text(st, 33, sa->addrs);
	store_bind_int(st, 34, (int64_t)a->addrs_more, 1);
	store_bind_text(st, 35, a->callhome);
	if (a->tunnel != NULL) {
		sqlite3_bind_int64(st, 36, (int64_t)sa->tunnel.names);
		sqlite3_bind_int64(st, 37, (int64_t)sa->tunnel.encoded);
		sqlite3_bind_int64(st, 38, (int64_t)sa->tunnel.answers);
		sqlite3_bind_int64(st, 39, sa->tunnel.longest);
		sqlite3_bind_int64(st, 40, sa->tunnel.window);
	}
	if (a->action == ALERT_LONG) {
		sqlite3_bind_int64(st, 41, a->duration);
		sqlite3_bind_int64(st, 42, (int64_t)a->bytes_out);
		sqlite3_bind_int64(st, 43, (int64_t)a->bytes_in);
	}
	store_bind_text(st, 44, a->dns_name);
	store_bind_text(st, 45, a->dns_domain);
	store_bind_text(st, 46, sa->ecs);
}

/* One alert and its pending deliveries; 0 or -1. */
static int
store_put_alert(struct store_writer *w, const struct store_alert *sa)
{
	sqlite3_stmt		*st = w->st[ST_ALERT];
	const struct alert	*a = &sa->a;
	char			 id[17], fid[17], src[UTIL_ADDRSTRLEN];
	char			 dst[UTIL_ADDRSTRLEN], at[320], num[8];
	const char		*pn;
	int64_t			 seq;

	sqlite3_bind_text(st, 1, store_id_text(a->id, id, sizeof(id)), -1,
	    SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, w->run);
	sqlite3_bind_int64(st, 3, a->ts);
	sqlite3_bind_text(st, 4, alert_action_name(a->action), -1,
	    SQLITE_STATIC);
	sqlite3_bind_int(st, 5, a->severity);
	sqlite3_bind_text(st, 6, a->rule, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, a->message, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 8, util_addr_str(a->af, sa->src, src,
	    sizeof(src)), -1, SQLITE_STATIC);
	if (a->dst != NULL) {
		sqlite3_bind_text(st, 9, util_addr_str(a->af, sa->dst, dst,
		    sizeof(dst)), -1, SQLITE_STATIC);
		store_bind_int(st, 10, a->dport, 1);
	}
	if (a->proto != 0) {
		if ((pn = util_proto_name(a->proto)) == NULL) {
			snprintf(num, sizeof(num), "%u", a->proto);
			pn = num;
		}
		sqlite3_bind_text(st, 11, pn, -1, SQLITE_TRANSIENT);
	}
	sqlite3_bind_text(st, 12, a->af == 4 ? "ipv4" : "ipv6", -1,
	    SQLITE_STATIC);
	if (a->geo != NULL) {
		store_bind_int(st, 13, sa->geo.asn, 1);
		if (sa->geo.asn != 0)
			store_bind_text(st, 14, sa->geo.org);
		store_bind_text(st, 15, sa->geo.country);
		if (strcmp(sa->geo.reg_country, sa->geo.country) != 0)
			store_bind_text(st, 16, sa->geo.reg_country);
	}
	if (a->domain != NULL) {
		store_bind_text(st, 17, a->domain);
		store_bind_text(st, 18, app_name_source_name(a->name_source));
	}
	store_bind_text(st, 19, policy_verdict_name(a->verdict));
	store_bind_text(st, 20, a->group);
	if (a->rule_file != NULL) {
		snprintf(at, sizeof(at), "%s:%d", a->rule_file, a->rule_line);
		sqlite3_bind_text(st, 21, at, -1, SQLITE_STATIC);
	}
	if (a->count > 1)
		sqlite3_bind_int64(st, 22, (int64_t)a->count);
	if (a->flow_id != 0)
		sqlite3_bind_text(st, 23, store_id_text(a->flow_id, fid,
		    sizeof(fid)), -1, SQLITE_STATIC);
	if (a->beacon != NULL)
		store_bind_beacon(st, &sa->beacon);
	store_bind_more(st, sa);
	if (store_step(st, &seq) == -1)
		return -1;
	sqlite3_bind_int64(w->st[ST_DELIVERY], 1, seq);
	return store_step(w->st[ST_DELIVERY], NULL);
}

/* The beacon series of a batch. */
static int
store_put_series(struct store_writer *w, const struct store_batch *b,
    const int64_t *aid)
{
	sqlite3_stmt	*st = w->st[ST_SERIES];
	char		 key[320];
	size_t		 i;

	for (i = 0; i < b->nseries; i++) {
		const struct store_series *s = &b->series[i];

		sqlite3_bind_int64(st, 1, aid[s->appliance]);
		sqlite3_bind_text(st, 2, beacon_group_name(s->r.group_by), -1,
		    SQLITE_STATIC);
		sqlite3_bind_text(st, 3, beacon_key_str(&s->r, s->name, key,
		    sizeof(key)), -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 4, s->r.verdict == BEACON_V_STROBE ?
		    "strobe" : "periodic", -1, SQLITE_STATIC);
		sqlite3_bind_double(st, 5, s->r.period_s);
		sqlite3_bind_double(st, 6, s->r.jitter);
		sqlite3_bind_int64(st, 7, s->r.beats);
		sqlite3_bind_int64(st, 8, s->r.missed);
		sqlite3_bind_double(st, 9, s->r.score);
		if (s->judged)
			sqlite3_bind_text(st, 10,
			    policy_verdict_name(s->verdict), -1,
			    SQLITE_STATIC);
		sqlite3_bind_int64(st, 11, s->r.first_seen);
		sqlite3_bind_int64(st, 12, s->r.last_seen);
		if (s->nbeat_times > 0)
			sqlite3_bind_blob(st, 13, s->beat_times,
			    (int)(s->nbeat_times * 8), SQLITE_STATIC);
		if (store_step(st, NULL) == -1)
			return -1;
	}
	return 0;
}

/* The counters of a batch. */
static int
store_put_counters(struct store_writer *w, const struct store_batch *b)
{
	sqlite3_stmt	*st = w->st[ST_COUNTER];
	size_t		 i;

	for (i = 0; i < b->ncounters; i++) {
		const struct store_counter *c = &b->counters[i];

		sqlite3_bind_int64(st, 1, w->run);
		if (c->minute != INT64_MIN)
			sqlite3_bind_int64(st, 2, c->minute);
		sqlite3_bind_text(st, 3, c->name, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 4, (int64_t)c->value);
		if (store_step(st, NULL) == -1)
			return -1;
	}
	return 0;
}

/* The row of a capture begun in this run, or -1. */
static int64_t
store_capid_find(const struct store_writer *w, int index)
{
	size_t	i;

	for (i = 0; i < w->ncapids; i++)
		if (w->capids[i].index == index)
			return w->capids[i].id;
	return -1;
}

/*
 * The capture rows of a batch: begun (inserted, its id into ids[i]) or
 * read (updated).
 */
static int
store_put_captures(struct store_writer *w, const struct store_batch *b,
    int64_t *ids)
{
	sqlite3_stmt	*st;
	int64_t		 id;
	size_t		 i, j;

	for (i = 0; i < b->ncaptures; i++) {
		const struct store_capture *c = &b->captures[i];
		char	 hex[STORE_SHA256_HEX];
		int64_t	 size = c->size;

		ids[i] = -1;
		if (!c->done) {
			memcpy(hex, c->sha256, sizeof(hex));
			if (c->sum != NULL &&
			    filesum_wait(c->sum, hex, &size) == -1) {
				hex[0] = '\0';	/* said by the packet path */
				size = -1;
			}
			st = w->st[ST_CAPTURE_BEGIN];
			sqlite3_bind_int64(st, 1, w->run);
			sqlite3_bind_text(st, 2, c->path, -1, SQLITE_STATIC);
			store_bind_int(st, 3, size, 0);
			if (size < 0)
				sqlite3_bind_null(st, 3);
			store_bind_text(st, 4, hex);
			if (store_step(st, &ids[i]) == -1)
				return -1;
			continue;
		}
		id = store_capid_find(w, c->index);
		for (j = 0; j < i; j++)		/* begun in this batch */
			if (!b->captures[j].done &&
			    b->captures[j].index == c->index)
				id = ids[j];
		st = w->st[ST_CAPTURE_END];
		sqlite3_bind_int64(st, 1, id);
		if (c->packets > 0) {
			sqlite3_bind_int64(st, 2, c->first);
			sqlite3_bind_int64(st, 3, c->last);
		}
		sqlite3_bind_int64(st, 4, (int64_t)c->packets);
		sqlite3_bind_text(st, 5, c->cut ? "cut" : "done", -1,
		    SQLITE_STATIC);
		if (store_step(st, NULL) == -1)
			return -1;
	}
	return 0;
}

/* The run's row: what this batch adds. */
static int
store_put_run(struct store_writer *w, const struct store_batch *b)
{
	sqlite3_stmt	*st = w->st[ST_RUN];

	sqlite3_bind_int64(st, 1, w->run);
	if (b->first_ts <= b->last_ts) {
		sqlite3_bind_int64(st, 2, b->first_ts);
		sqlite3_bind_int64(st, 3, b->last_ts);
	}
	sqlite3_bind_int64(st, 4, (int64_t)b->records);
	sqlite3_bind_int64(st, 5, (int64_t)b->nalerts);
	sqlite3_bind_int64(st, 6, (int64_t)b->dropped);
	return store_step(st, NULL);
}

/*
 * Retention: delete at most STORE_RETAIN_ROWS rows of each table that are
 * older than the newest packet time written less the retention, so that
 * no transaction grows long; what is left goes with the next batches.  A
 * pass runs when packet time has gone an eighth of the retention (at most
 * STORE_RETAIN_EVERY) past the last one, or the last left rows behind.
 * A flows row goes when its hour has ended before the cutoff.
 */
static int
store_retain(struct store_writer *w, int64_t newest)
{
	static const enum store_st order[] = {
		ST_RETAIN_FLOWS, ST_RETAIN_NAMES, ST_RETAIN_SERIES,
		ST_RETAIN_DELIVERIES, ST_RETAIN_ALERTS, ST_RETAIN_COUNTERS,
		ST_RETAIN_APPLIANCES, ST_RETAIN_DESTINATIONS
	};
	sqlite3_stmt	*st;
	int64_t		 cutoff;
	size_t		 i;
	int		 more = 0;

	if (w->retention <= 0 || newest == INT64_MIN)
		return 0;
	if (!w->retain_more && w->retained != INT64_MIN &&
	    newest - w->retained < (w->retention / 8 < STORE_RETAIN_EVERY ?
	    w->retention / 8 : STORE_RETAIN_EVERY))
		return 0;
	w->retained = newest;
	cutoff = newest - w->retention;
	for (i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		st = w->st[order[i]];
		sqlite3_bind_int64(st, 1, cutoff);
		sqlite3_bind_int(st, 2, STORE_RETAIN_ROWS);
		if (store_step(st, NULL) == -1)
			return -1;
		if (sqlite3_changes(w->db) >= STORE_RETAIN_ROWS)
			more = 1;
	}
	w->retain_more = more;
	return 0;
}

/*
 * Wait for the hashes of the captures a batch begins, outside the
 * transaction: the store stays free for others meanwhile.  A hash taken
 * beside the reading is whole only once the reading ends: in the thread,
 * the packet path may go on meanwhile (store_writer_submit); in the
 * caller's, which is the reading, the hash must read the rest itself.
 */
static void
store_wait_sums(struct store_writer *w, const struct store_batch *b)
{
	struct filesum	*sum;
	char		 hex[STORE_SHA256_HEX];
	int64_t		 size;
	size_t		 i;

	for (i = 0; i < b->ncaptures; i++) {
		if (b->captures[i].done || (sum = b->captures[i].sum) == NULL)
			continue;
		if (!w->threaded) {
			filesum_detach(sum);
			(void)filesum_wait(sum, hex, &size);
			continue;
		}
		pthread_mutex_lock(&w->mu);
		w->sumwait = sum;
		pthread_cond_broadcast(&w->space);
		pthread_mutex_unlock(&w->mu);
		(void)filesum_wait(sum, hex, &size);
		pthread_mutex_lock(&w->mu);
		w->sumwait = NULL;
		pthread_mutex_unlock(&w->mu);
	}
}

/* Write one batch in one transaction; 0, or -1 (rolled back, w->error). */
static int
store_write_batch(struct store_writer *w, const struct store_batch *b)
{
	int64_t		*aid, *did, *cid;
	int64_t		 newest = w->newest;
	size_t		 i, n;
	int		 rc = -1;

	n = b->nappliances + b->ndestinations + b->ncaptures + 3;
	aid = xcalloc(n, sizeof(*aid));
	did = aid + b->nappliances + 1;
	cid = did + b->ndestinations + 1;
	if (b->last_ts > newest)
		newest = b->last_ts;
	store_wait_sums(w, b);
	if (store_exec(w->db, "BEGIN IMMEDIATE") == -1)
		goto out;
	if (store_put_appliances(w, b, aid) == -1 ||
	    store_put_destinations(w, b, did) == -1 ||
	    store_put_names(w, b, aid, did) == -1 ||
	    store_put_flows(w, b, aid, did) == -1 ||
	    store_put_series(w, b, aid) == -1 ||
	    store_put_counters(w, b) == -1 ||
	    store_put_captures(w, b, cid) == -1 ||
	    store_put_run(w, b) == -1 ||
	    store_retain(w, newest) == -1)
		goto out;
	for (i = 0; i < b->nalerts; i++)
		if (store_put_alert(w, &b->alerts[i]) == -1)
			goto out;
	if (store_exec(w->db, "COMMIT") == -1)
		goto out;
	rc = 0;
	w->newest = newest;
	for (i = 0; i < b->ncaptures; i++) {
		if (b->captures[i].done)
			continue;
		w->capids = xreallocarray(w->capids, w->ncapids + 1,
		    sizeof(*w->capids));
		w->capids[w->ncapids].index = b->captures[i].index;
		w->capids[w->ncapids++].id = cid[i];
	}
out:
	if (rc == -1) {
		snprintf(w->error, sizeof(w->error), "%s",
		    sqlite3_errmsg(w->db));
		for (i = 0; i < ST_MAX; i++) {
			sqlite3_reset(w->st[i]);
			sqlite3_clear_bindings(w->st[i]);
		}
		if (!sqlite3_get_autocommit(w->db))
			store_exec(w->db, "ROLLBACK");
	}
	free(aid);
	return rc;
}

/*
 * Try the batch at the head of the queue; called with the lock held, which
 * is let go while writing.  0: written and freed; -1: it failed (said once
 * until writing works again).
 */
static int
store_writer_try(struct store_writer *w)
{
	struct store_batch	*b = w->head;
	int			 rc;

	if (w->threaded)
		pthread_mutex_unlock(&w->mu);
	rc = store_write_batch(w, b);
	if (w->threaded)
		pthread_mutex_lock(&w->mu);
	if (rc == 0) {
		w->head = b->next;
		if (w->head == NULL)
			w->tail = NULL;
		w->queued--;
		w->queued_rows -= store_batch_rows(b);
		w->stats.batches++;
		w->stats.rows += store_batch_rows(b);
		w->stats.records += b->records;
		w->stats.alerts += b->nalerts;
		log_debug("store: batch %" PRIu64 " committed: %" PRIu64
		    " batches, %" PRIu64 " records, %" PRIu64 " alerts in all",
		    b->seq, w->stats.batches, w->stats.records,
		    w->stats.alerts);
		if (w->failing)
			log_warnx("store: %s: writing again; %zu batch%s "
			    "waiting", w->path, w->queued,
			    w->queued == 1 ? "" : "es");
		w->failing = 0;
		store_batch_empty(b);
		store_batch_free(w->spare);
		w->spare = b;
		return 0;
	}
	w->stats.failures++;
	if (!w->failing)
		log_warnx("store: %s: cannot write: %s; capture and alerts go "
		    "on, %zu batch%s kept, trying again every %d ms", w->path,
		    w->error, w->queued, w->queued == 1 ? "" : "es",
		    STORE_RETRY_MS);
	w->failing = 1;
	w->retry_at = store_now_ms() + STORE_RETRY_MS;
	return -1;
}

/* The writer thread: commit what is queued, in order, until told to stop. */
static void *
store_writer_main(void *arg)
{
	struct store_writer	*w = arg;
	struct timespec		 ts;
	int64_t			 now, at;
	int			 last_try = 0;

	pthread_mutex_lock(&w->mu);
	for (;;) {
		while (w->head == NULL && !w->stop)
			pthread_cond_wait(&w->work, &w->mu);
		if (w->head == NULL)
			break;
		now = store_now_ms();
		if (w->failing && now < w->retry_at && !w->stop) {
			clock_gettime(CLOCK_REALTIME, &ts);
			at = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000 +
			    (w->retry_at - now);
			ts.tv_sec = at / 1000;
			ts.tv_nsec = (at % 1000) * 1000000;
			pthread_cond_timedwait(&w->work, &w->mu, &ts);
			continue;
		}
		if (w->failing && w->stop) {
			if (last_try)	/* stopping: one more go, no more */
				break;
			last_try = 1;
		}
		store_writer_try(w);
		pthread_cond_broadcast(&w->space);
	}
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

/*
 * A batch to fill: the last one the writer wrote, emptied, if it has not
 * been taken yet, else a new one.
 */
struct store_batch *
store_writer_batch(struct store_writer *w)
{
	struct store_batch	*b;

	if (w->threaded)
		pthread_mutex_lock(&w->mu);
	b = w->spare;
	w->spare = NULL;
	if (w->threaded)
		pthread_mutex_unlock(&w->mu);
	return b != NULL ? b : store_batch_new();
}

/*
 * Hand a batch over (the writer frees it).  Offline, wait while the writer
 * is STORE_QUEUE_MAX batches behind and writing works; otherwise a batch
 * that finds the queue full loses its flow rows (counted).  A writer that
 * waits for the hash of the capture being read would wait for this very
 * reading: before waiting, the hash is let read the rest itself.
 */
void
store_writer_submit(struct store_writer *w, struct store_batch *b)
{
	if (w->threaded) {
		pthread_mutex_lock(&w->mu);
		while (!w->live && !w->failing &&
		    w->queued >= STORE_QUEUE_MAX) {
			if (w->sumwait != NULL)
				filesum_detach(w->sumwait);
			pthread_cond_wait(&w->space, &w->mu);
		}
	}
	if (w->queued >= STORE_QUEUE_MAX)
		store_batch_shed(b);
	w->stats.dropped += b->dropped;
	b->seq = ++w->handed;
	log_debug("store: batch %" PRIu64 " handed over (%zu rows)", b->seq,
	    store_batch_rows(b));
	b->next = NULL;
	if (w->tail != NULL)
		w->tail->next = b;
	else
		w->head = b;
	w->tail = b;
	w->queued++;
	w->queued_rows += store_batch_rows(b);
	if (w->threaded) {
		pthread_cond_signal(&w->work);
		pthread_mutex_unlock(&w->mu);
		return;
	}
	/* In the caller's thread: everything waiting, unless failing. */
	if (w->failing && store_now_ms() < w->retry_at)
		return;
	while (w->head != NULL && store_writer_try(w) == 0)
		;
}

/* The rows handed over and not yet committed (the stats' store queue). */
uint64_t
store_writer_queued(struct store_writer *w)
{
	uint64_t	n;

	if (w->threaded)
		pthread_mutex_lock(&w->mu);
	n = w->queued_rows;
	if (w->threaded)
		pthread_mutex_unlock(&w->mu);
	return n;
}

/* Prepare every statement; -1 with the reason in err. */
static int
store_writer_prepare(struct store_writer *w, char *err, size_t len)
{
	int	i;

	for (i = 0; i < ST_MAX; i++)
		if (sqlite3_prepare_v3(w->db, store_sql[i], -1,
		    SQLITE_PREPARE_PERSISTENT, &w->st[i], NULL) != SQLITE_OK) {
			snprintf(err, len, "%s: %s", w->path,
			    sqlite3_errmsg(w->db));
			return -1;
		}
	if (sqlite3_prepare_v2(w->rdb, "SELECT run, state FROM captures"
	    " WHERE sha256 = ?1 ORDER BY state = 'done' DESC, id DESC LIMIT 1",
	    -1, &w->lookup, NULL) != SQLITE_OK) {
		snprintf(err, len, "%s: %s", w->path, sqlite3_errmsg(w->rdb));
		return -1;
	}
	if (sqlite3_prepare_v2(w->rdb, "SELECT 1 FROM captures WHERE size = ?1"
	    " OR (size IS NULL AND sha256 IS NOT NULL) LIMIT 1", -1,
	    &w->lookup_size, NULL) != SQLITE_OK) {
		snprintf(err, len, "%s: %s", w->path, sqlite3_errmsg(w->rdb));
		return -1;
	}
	return 0;
}

/* The run's row, and what the file is; -1 with the reason in err. */
static int
store_writer_begin(struct store_writer *w, const struct store_run *r,
    char *err, size_t len)
{
	sqlite3_stmt	*st = NULL;
	char		 host[256], now[UTIL_TIMESTRLEN];
	int64_t		 wall = store_wall_us();
	int		 rc = -1;

	if (gethostname(host, sizeof(host)) == -1)
		snprintf(host, sizeof(host), "unknown");
	host[sizeof(host) - 1] = '\0';
	util_time_str(wall, now, sizeof(now));
	if (sqlite3_prepare_v2(w->db, "INSERT OR IGNORE INTO meta (key, value)"
	    " VALUES ('created', ?1), ('sensor', ?2)", -1, &st, NULL) !=
	    SQLITE_OK)
		goto out;
	sqlite3_bind_text(st, 1, now, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, host, -1, SQLITE_STATIC);
	if (store_step(st, NULL) == -1)
		goto out;
	sqlite3_finalize(st);
	if (sqlite3_prepare_v2(w->db, "INSERT INTO runs (started, mode, source,"
	    " version, audit) VALUES (?1, ?2, ?3, ?4, ?5)", -1, &st, NULL) !=
	    SQLITE_OK)
		goto out;
	sqlite3_bind_int64(st, 1, wall);
	sqlite3_bind_text(st, 2, r->mode, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, r->source, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, PACKAGE_VERSION, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 5, r->audit);
	if (store_step(st, NULL) == -1)
		goto out;
	w->run = sqlite3_last_insert_rowid(w->db);
	rc = 0;
out:
	if (rc == -1)
		snprintf(err, len, "%s: %s", w->path, sqlite3_errmsg(w->db));
	sqlite3_finalize(st);
	return rc;
}

/*
 * Open the store for a run: the file, its schema, the run's row, the
 * statements, and the thread if asked.  NULL with the reason in err.
 */
struct store_writer *
store_writer_open(const struct store_config *c, const struct store_run *r,
    char *err, size_t len)
{
	struct store_writer	*w;
	char			 rerr[STORE_ERRLEN];

	w = xcalloc(1, sizeof(*w));
	w->path = xstrdup(c->path);
	w->threaded = c->threaded;
	w->live = c->live;
	w->retention = c->retention;
	w->newest = INT64_MIN;
	w->retained = INT64_MIN;
	if ((w->db = store_open(c->path, STORE_WRITE, err, len)) == NULL)
		goto fail;
	if (!c->threaded)
		sqlite3_busy_timeout(w->db, 250);
	if (store_writer_begin(w, r, err, len) == -1)
		goto fail;
	if ((w->rdb = store_open(c->path, STORE_READ, rerr, sizeof(rerr))) ==
	    NULL) {
		snprintf(err, len, "%s", rerr);
		goto fail;
	}
	if (store_writer_prepare(w, err, len) == -1)
		goto fail;
	if (w->threaded) {
		pthread_mutex_init(&w->mu, NULL);
		pthread_cond_init(&w->work, NULL);
		pthread_cond_init(&w->space, NULL);
		if ((errno = util_thread_start(&w->thread, store_writer_main,
		    w)) != 0) {
			snprintf(err, len, "%s: cannot start the writer: %s",
			    c->path, strerror(errno));
			pthread_mutex_destroy(&w->mu);
			pthread_cond_destroy(&w->work);
			pthread_cond_destroy(&w->space);
			w->threaded = 0;
			goto fail;
		}
	}
	return w;
fail:
	w->threaded = 0;
	store_writer_close(w);
	return NULL;
}

/*
 * Is a capture with this SHA-256 (hex) in the store already?  1 (with
 * the run that read it and its state: done, cut, reading), 0, or -1.
 */
int
store_writer_capture(struct store_writer *w, const char *sha256,
    int64_t *run, char *state, size_t len)
{
	sqlite3_stmt	*st = w->lookup;
	int		 rc;

	sqlite3_bind_text(st, 1, sha256, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*run = sqlite3_column_int64(st, 0);
		snprintf(state, len, "%s", sqlite3_column_text(st, 1));
	} else if (rc != SQLITE_DONE)
		log_warnx("store: %s: %s", w->path, sqlite3_errmsg(w->rdb));
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

/*
 * Could the store hold a capture of this many bytes?  1 when a capture of
 * that size is in it (or one whose size is not known but whose hash is),
 * 0 when none is: a file of that size is certainly new; -1 on an error.
 */
int
store_writer_capture_size(struct store_writer *w, int64_t size)
{
	sqlite3_stmt	*st = w->lookup_size;
	int		 rc;

	sqlite3_bind_int64(st, 1, size);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		log_warnx("store: %s: %s", w->path, sqlite3_errmsg(w->rdb));
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

/* What the writer has done. */
const struct store_stats *
store_writer_stats(const struct store_writer *w)
{
	return &w->stats;
}

/*
 * Mark the run's end (wall clock), and let retention catch up with the
 * last packet time written, in transactions of its usual size.
 */
static void
store_writer_end(struct store_writer *w)
{
	sqlite3_stmt	*st;
	int		 i;

	w->retain_more = w->retention > 0;
	for (i = 0; i < 1000 && w->retain_more; i++) {
		if (store_exec(w->db, "BEGIN IMMEDIATE") == -1)
			break;
		if (store_retain(w, w->newest) == -1 ||
		    store_exec(w->db, "COMMIT") == -1) {
			log_warnx("store: %s: %s", w->path,
			    sqlite3_errmsg(w->db));
			store_exec(w->db, "ROLLBACK");
			break;
		}
	}

	if (w->run == 0 || sqlite3_prepare_v2(w->db, "UPDATE runs SET ended ="
	    " ?2 WHERE id = ?1", -1, &st, NULL) != SQLITE_OK)
		return;
	sqlite3_bind_int64(st, 1, w->run);
	sqlite3_bind_int64(st, 2, store_wall_us());
	if (store_step(st, NULL) == -1)
		log_warnx("store: %s: %s", w->path, sqlite3_errmsg(w->db));
	sqlite3_finalize(st);
}

/*
 * Write what is queued (one more attempt if writing fails), stop the
 * thread, mark the run's end and close.  0, or -1 if batches were lost
 * (said).
 */
int
store_writer_close(struct store_writer *w)
{
	struct store_batch	*b, *next;
	int			 i, rv = 0;

	if (w == NULL)
		return 0;
	if (w->threaded) {
		pthread_mutex_lock(&w->mu);
		w->stop = 1;
		pthread_cond_signal(&w->work);
		pthread_mutex_unlock(&w->mu);
		pthread_join(w->thread, NULL);
		pthread_mutex_destroy(&w->mu);
		pthread_cond_destroy(&w->work);
		pthread_cond_destroy(&w->space);
	} else if (w->head != NULL) {
		w->retry_at = 0;
		while (w->head != NULL && store_writer_try(w) == 0)
			;
	}
	for (b = w->head; b != NULL; b = next) {
		next = b->next;
		w->stats.lost++;
		store_batch_free(b);
	}
	store_batch_free(w->spare);
	if (w->stats.lost > 0) {
		log_warnx("store: %s: %" PRIu64 " batch%s could not be written: "
		    "%s", w->path, w->stats.lost, w->stats.lost == 1 ? "" :
		    "es", w->error);
		rv = -1;
	}
	if (w->db != NULL && w->stats.lost == 0)
		store_writer_end(w);
	for (i = 0; i < ST_MAX; i++)
		sqlite3_finalize(w->st[i]);
	sqlite3_finalize(w->lookup);
	sqlite3_finalize(w->lookup_size);
	store_close(w->rdb);
	store_close(w->db);
	free(w->capids);
	free(w->path);
	free(w);
	return rv;
}
