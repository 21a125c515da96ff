/*
 * The questions egressctl asks the audit store (see store_query.h).  The
 * statements are constant text; a filter that is not given is bound as
 * NULL and "(:x IS NULL OR ...)" lets every row through.
 */
#include "config.h"

#include <sys/socket.h>
#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store.h"
#include "store_query.h"
#include "xmalloc.h"

/* One command: what it asks and how its rows are shown and sorted. */
struct store_command {
	const char			*name;
	const char			*sql;
	const struct store_column	*cols;
	size_t				 ncols;
	const int			*sort;
	int				 filters;
};

static const struct store_column store_cols_appliances[] = {
	{ "appliance", STORE_C_ADDR }, { "mac", STORE_C_TEXT },
	{ "group", STORE_C_TEXT }, { "first_seen", STORE_C_TIME },
	{ "last_seen", STORE_C_TIME }, { "destinations", STORE_C_INT },
	{ "flows", STORE_C_INT }, { "bytes_out", STORE_C_INT },
	{ "bytes_in", STORE_C_INT },
};
static const int store_sort_appliances[] = { 1, 0 };

static const struct store_column store_cols_destinations[] = {
	{ "destination", STORE_C_ADDR }, { "asn", STORE_C_INT },
	{ "organization", STORE_C_TEXT }, { "country", STORE_C_TEXT },
	{ "name", STORE_C_TEXT }, { "verdicts", STORE_C_TEXT },
	{ "appliances", STORE_C_INT }, { "flows", STORE_C_INT },
	{ "bytes", STORE_C_INT }, { "first_seen", STORE_C_TIME },
	{ "last_seen", STORE_C_TIME },
};
static const int store_sort_destinations[] = { -9, 1, 0 };

static const struct store_column store_cols_names[] = {
	{ "appliance", STORE_C_ADDR }, { "name", STORE_C_TEXT },
	{ "destination", STORE_C_ADDR }, { "source", STORE_C_TEXT },
	{ "first_seen", STORE_C_TIME }, { "last_seen", STORE_C_TIME },
};
static const int store_sort_names[] = { 1, 2, 3, 4, 0 };

static const struct store_column store_cols_alerts[] = {
	{ "time", STORE_C_TIME }, { "action", STORE_C_TEXT },
	{ "severity", STORE_C_INT }, { "appliance", STORE_C_ADDR },
	{ "destination", STORE_C_ADDR }, { "port", STORE_C_INT },
	{ "domain", STORE_C_TEXT }, { "verdict", STORE_C_TEXT },
	{ "id", STORE_C_TEXT }, { "delivery", STORE_C_TEXT },
	{ "message", STORE_C_TEXT },
};
static const int store_sort_alerts[] = { 1, 2, 4, 5, 9, 0 };

static const struct store_column store_cols_beacons[] = {
	{ "appliance", STORE_C_ADDR }, { "by", STORE_C_TEXT },
	{ "key", STORE_C_TEXT }, { "kind", STORE_C_TEXT },
	{ "period_s", STORE_C_REAL }, { "jitter", STORE_C_REAL },
	{ "beats", STORE_C_INT }, { "missed", STORE_C_INT },
	{ "score", STORE_C_REAL }, { "verdict", STORE_C_TEXT },
	{ "first_seen", STORE_C_TIME }, { "last_seen", STORE_C_TIME },
};
static const int store_sort_beacons[] = { 1, 2, 3, 0 };

static const struct store_column store_cols_flows[] = {
	{ "hour", STORE_C_TIME }, { "appliance", STORE_C_ADDR },
	{ "destination", STORE_C_ADDR }, { "transport", STORE_C_PROTO },
	{ "port", STORE_C_INT }, { "verdict", STORE_C_TEXT },
	{ "flows", STORE_C_INT }, { "packets_out", STORE_C_INT },
	{ "bytes_out", STORE_C_INT }, { "packets_in", STORE_C_INT },
	{ "bytes_in", STORE_C_INT }, { "protocol", STORE_C_TEXT },
	{ "name", STORE_C_TEXT },
};
static const int store_sort_flows[] = { 1, 2, 3, 4, 5, 6, 0 };

static const struct store_column store_cols_captures[] = {
	{ "path", STORE_C_TEXT }, { "size", STORE_C_INT },
	{ "sha256", STORE_C_TEXT }, { "first_packet", STORE_C_TIME },
	{ "last_packet", STORE_C_TIME }, { "packets", STORE_C_INT },
	{ "state", STORE_C_TEXT }, { "run", STORE_C_INT },
};
static const int store_sort_captures[] = { 8, 1, 0 };

static const struct store_column store_cols_stats[] = {
	{ "name", STORE_C_TEXT }, { "value", STORE_C_TEXT },
};
static const int store_sort_stats[] = { 0 };

#define NCOLS(a)	(sizeof(a) / sizeof((a)[0]))

static const struct store_command store_commands[] = {
	{ "appliances",
	  "SELECT a.address, a.mac, a.group_name, a.first_seen, a.last_seen,"
	  " count(DISTINCT f.destination), coalesce(sum(f.flows), 0),"
	  " coalesce(sum(f.bytes_out), 0), coalesce(sum(f.bytes_in), 0)"
	  " FROM appliances a LEFT JOIN flows f ON f.appliance = a.id"
	  " GROUP BY a.id",
	  store_cols_appliances, NCOLS(store_cols_appliances),
	  store_sort_appliances, 0 },
	{ "destinations",
	  "SELECT d.address, d.asn, d.organization, d.country, min(f.name),"
	  " group_concat(DISTINCT f.verdict), count(DISTINCT f.appliance),"
	  " sum(f.flows), sum(f.bytes_out + f.bytes_in), min(f.first_seen),"
	  " max(f.last_seen)"
	  " FROM flows f JOIN destinations d ON d.id = f.destination"
	  " JOIN appliances a ON a.id = f.appliance"
	  " WHERE (:appliance IS NULL OR a.address = :appliance)"
	  " AND (:group IS NULL OR f.group_name = :group)"
	  " AND (:verdict IS NULL OR f.verdict = :verdict)"
	  " AND (:country IS NULL OR d.country = :country)"
	  " AND (:asn IS NULL OR d.asn = :asn)"
	  " GROUP BY d.id",
	  store_cols_destinations, NCOLS(store_cols_destinations),
	  store_sort_destinations, STORE_F_APPLIANCE | STORE_F_GROUP |
	  STORE_F_VERDICT | STORE_F_COUNTRY | STORE_F_ASN },
	{ "names",
	  "SELECT a.address, n.name, d.address, n.source, n.first_seen,"
	  " n.last_seen FROM names n JOIN appliances a ON a.id = n.appliance"
	  " JOIN destinations d ON d.id = n.destination",
	  store_cols_names, NCOLS(store_cols_names), store_sort_names, 0 },
	{ "alerts",
	  "SELECT al.ts, al.action, al.severity, al.source_ip,"
	  " al.destination_ip, al.destination_port, al.domain, al.verdict,"
	  " al.id, (SELECT group_concat(sink || ':' || state, ' ') FROM"
	  " (SELECT sink, state FROM deliveries WHERE alert = al.seq"
	  " ORDER BY sink)), al.message FROM alerts al"
	  " WHERE (:since IS NULL OR al.ts >= :since)"
	  " AND (:until IS NULL OR al.ts < :until)"
	  " AND (:action IS NULL OR al.action = :action)"
	  " AND (:undelivered IS NULL OR EXISTS (SELECT 1 FROM deliveries"
	  " WHERE alert = al.seq AND state <> 'delivered'))",
	  store_cols_alerts, NCOLS(store_cols_alerts), store_sort_alerts,
	  STORE_F_SINCE | STORE_F_UNTIL | STORE_F_ACTION |
	  STORE_F_UNDELIVERED },
	{ "beacons",
	  "SELECT a.address, s.group_by, s.key, s.kind, s.period, s.jitter,"
	  " s.beats, s.missed, s.score, s.verdict, s.first_seen, s.last_seen"
	  " FROM series s JOIN appliances a ON a.id = s.appliance",
	  store_cols_beacons, NCOLS(store_cols_beacons), store_sort_beacons,
	  0 },
	{ "flows",
	  "SELECT f.hour, a.address, d.address, f.transport, f.port,"
	  " f.verdict, f.flows, f.packets_out, f.bytes_out, f.packets_in,"
	  " f.bytes_in, f.protocol, f.name FROM flows f"
	  " JOIN appliances a ON a.id = f.appliance"
	  " JOIN destinations d ON d.id = f.destination"
	  " WHERE (:appliance IS NULL OR a.address = :appliance)"
	  " AND (:destination IS NULL OR d.address = :destination"
	  " OR f.name = :destination)"
	  " AND (:since IS NULL OR f.hour + 3600000000 > :since)"
	  " AND (:until IS NULL OR f.hour < :until)",
	  store_cols_flows, NCOLS(store_cols_flows), store_sort_flows,
	  STORE_F_APPLIANCE | STORE_F_DESTINATION | STORE_F_SINCE |
	  STORE_F_UNTIL },
	{ "captures",
	  "SELECT path, size, sha256, first_ts, last_ts, packets, state, run"
	  " FROM captures",
	  store_cols_captures, NCOLS(store_cols_captures),
	  store_sort_captures, 0 },
	{ "stats",
	  "SELECT 'schema', CAST(:version AS TEXT)"
	  " UNION ALL SELECT key, value FROM (SELECT key, value FROM meta"
	  " ORDER BY key)"
	  " UNION ALL SELECT 'runs', CAST(count(*) AS TEXT) FROM runs"
	  " UNION ALL SELECT 'packet_time', strftime('%Y-%m-%dT%H:%M:%SZ',"
	  " min(first_ts) / 1000000, 'unixepoch') || ' .. ' ||"
	  " strftime('%Y-%m-%dT%H:%M:%SZ', max(last_ts) / 1000000,"
	  " 'unixepoch') FROM runs WHERE first_ts IS NOT NULL"
	  " UNION ALL SELECT 'rows.' || name, CAST(n AS TEXT) FROM ("
	  " SELECT 'appliances' AS name, count(*) AS n FROM appliances"
	  " UNION ALL SELECT 'destinations', count(*) FROM destinations"
	  " UNION ALL SELECT 'names', count(*) FROM names"
	  " UNION ALL SELECT 'flows', count(*) FROM flows"
	  " UNION ALL SELECT 'alerts', count(*) FROM alerts"
	  " UNION ALL SELECT 'deliveries', count(*) FROM deliveries"
	  " UNION ALL SELECT 'series', count(*) FROM series"
	  " UNION ALL SELECT 'captures', count(*) FROM captures"
	  " UNION ALL SELECT 'counters', count(*) FROM counters)"
	  " UNION ALL SELECT 'flows.records', CAST(coalesce(sum(records), 0)"
	  " AS TEXT) FROM flows"
	  " UNION ALL SELECT 'flows.bytes', CAST(coalesce(sum(bytes_out +"
	  " bytes_in), 0) AS TEXT) FROM flows"
	  " UNION ALL SELECT 'runs.dropped', CAST(coalesce(sum(dropped), 0)"
	  " AS TEXT) FROM runs"
	  " UNION ALL SELECT 'counter.' || name, CAST(sum(value) AS TEXT)"
	  " FROM (SELECT name, value FROM counters WHERE minute IS NULL"
	  " ORDER BY name) GROUP BY name",
	  store_cols_stats, NCOLS(store_cols_stats), store_sort_stats, 0 },
};

/* The command named, or NULL. */
static const struct store_command *
store_command(const char *name)
{
	size_t	i;

	for (i = 0; i < NCOLS(store_commands); i++)
		if (strcmp(store_commands[i].name, name) == 0)
			return &store_commands[i];
	return NULL;
}

/* The filters a command takes (STORE_F_*), or -1: no such command. */
int
store_query_filters(const char *name)
{
	const struct store_command	*c = store_command(name);

	return c != NULL ? c->filters : -1;
}

/* An empty result for a command; -1: no such command. */
int
store_query_init(struct store_result *r, const char *name)
{
	const struct store_command	*c = store_command(name);

	memset(r, 0, sizeof(*r));
	if (c == NULL)
		return -1;
	r->cols = c->cols;
	r->ncols = c->ncols;
	r->sort = c->sort;
	return 0;
}

/* Bind a text filter by name, when the statement has it and it is set. */
static void
store_bind_name(sqlite3_stmt *st, const char *name, const char *v)
{
	int	i = sqlite3_bind_parameter_index(st, name);

	if (i > 0 && v != NULL)
		sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
}

/* Bind an integer filter by name, when the statement has it and it is set. */
static void
store_bind_int64(sqlite3_stmt *st, const char *name, int set, int64_t v)
{
	int	i = sqlite3_bind_parameter_index(st, name);

	if (i > 0 && set)
		sqlite3_bind_int64(st, i, v);
}

/* Bind every filter the statement names. */
static void
store_bind_filters(sqlite3_stmt *st, const struct store_filter *f)
{
	store_bind_name(st, ":appliance", f->appliance);
	store_bind_name(st, ":group", f->group);
	store_bind_name(st, ":verdict", f->verdict);
	store_bind_name(st, ":country", f->country);
	store_bind_name(st, ":destination", f->destination);
	store_bind_name(st, ":action", f->action);
	store_bind_int64(st, ":asn", f->has_asn, f->asn);
	store_bind_int64(st, ":since", f->has_since, f->since);
	store_bind_int64(st, ":until", f->has_until, f->until);
	store_bind_int64(st, ":undelivered", f->undelivered, 1);
	store_bind_int64(st, ":version", 1, STORE_VERSION);
}

/* Copy one column of the current row into a cell. */
static void
store_cell_set(struct store_cell *c, sqlite3_stmt *st, int i)
{
	const unsigned char	*t;

	memset(c, 0, sizeof(*c));
	switch (sqlite3_column_type(st, i)) {
	case SQLITE_NULL:
		c->null = 1;
		return;
	case SQLITE_INTEGER:
		c->i = sqlite3_column_int64(st, i);
		c->d = (double)c->i;
		break;
	case SQLITE_FLOAT:
		c->d = sqlite3_column_double(st, i);
		c->i = (int64_t)c->d;
		break;
	default:
		break;
	}
	t = sqlite3_column_text(st, i);
	c->len = (size_t)sqlite3_column_bytes(st, i);
	c->s = xmalloc(c->len + 1);
	memcpy(c->s, t != NULL ? (const char *)t : "", c->len);
	c->s[c->len] = '\0';
}

/* A copy of a string as a text cell. */
static void
store_cell_text(struct store_cell *c, const char *s)
{
	memset(c, 0, sizeof(*c));
	c->len = strlen(s);
	c->s = xstrdup(s);
}

/*
 * Ask one store the command the result was made for, with the filters;
 * its rows are added to r, marked with sensor.  0, or -1 with the reason
 * in err.
 */
int
store_query_run(sqlite3 *db, const char *name, const char *sensor,
    const struct store_filter *f, struct store_result *r, char *err,
    size_t len)
{
	const struct store_command	*c = store_command(name);
	sqlite3_stmt			*st;
	struct store_cell		*row;
	size_t				 i, w;
	int				 rc;

	if (c == NULL) {
		snprintf(err, len, "no command %s", name);
		return -1;
	}
	if (sqlite3_prepare_v2(db, c->sql, -1, &st, NULL) != SQLITE_OK) {
		snprintf(err, len, "%s", sqlite3_errmsg(db));
		return -1;
	}
	store_bind_filters(st, f);
	w = r->ncols + 1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (r->nrows == r->cap) {
			r->cap = r->cap ? r->cap * 2 : 64;
			r->cells = xreallocarray(r->cells, r->cap * w,
			    sizeof(*r->cells));
		}
		row = &r->cells[r->nrows++ * w];
		for (i = 0; i < r->ncols; i++)
			store_cell_set(&row[i], st, (int)i);
		store_cell_text(&row[r->ncols], sensor);
	}
	if (rc != SQLITE_DONE)
		snprintf(err, len, "%s", sqlite3_errmsg(db));
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* An address cell as (family, bytes) for ordering; 0 if it is not one. */
static int
store_addr_key(const struct store_cell *c, uint8_t key[17])
{
	memset(key, 0, 17);
	if (c->null)
		return 0;
	if (inet_pton(AF_INET, c->s, key + 1) == 1)
		key[0] = 4;
	else if (inet_pton(AF_INET6, c->s, key + 1) == 1)
		key[0] = 6;
	return key[0] != 0;
}

/* Order two cells of a column type: NULL first, then by value. */
static int
store_cell_cmp(const struct store_cell *a, const struct store_cell *b,
    enum store_col type)
{
	uint8_t	ka[17], kb[17];
	int	aa, ab, c;

	if (a->null || b->null)
		return b->null - a->null;
	switch (type) {
	case STORE_C_INT:
	case STORE_C_TIME:
	case STORE_C_PROTO:
		return a->i < b->i ? -1 : a->i > b->i;
	case STORE_C_REAL:
		return a->d < b->d ? -1 : a->d > b->d;
	case STORE_C_ADDR:
		aa = store_addr_key(a, ka);
		ab = store_addr_key(b, kb);
		if (aa && ab && (c = memcmp(ka, kb, sizeof(ka))) != 0)
			return c;
		if (aa != ab)
			return ab - aa;
		break;
	case STORE_C_TEXT:
		break;
	}
	c = memcmp(a->s, b->s, a->len < b->len ? a->len : b->len);
	return c != 0 ? c : (a->len > b->len) - (a->len < b->len);
}

/* Two rows in the order of a result's sort key, then sensor, then all. */
static int
store_row_cmp(const struct store_result *r, const struct store_cell *a,
    const struct store_cell *b)
{
	size_t	i;
	int	k, c, col;

	for (k = 0; r->sort[k] != 0; k++) {
		col = abs(r->sort[k]) - 1;
		c = store_cell_cmp(&a[col], &b[col], r->cols[col].type);
		if (c != 0)
			return r->sort[k] < 0 ? -c : c;
	}
	if ((c = store_cell_cmp(&a[r->ncols], &b[r->ncols], STORE_C_TEXT)) != 0)
		return c;
	for (i = 0; i < r->ncols; i++)
		if ((c = store_cell_cmp(&a[i], &b[i], r->cols[i].type)) != 0)
			return c;
	return 0;
}

/*
 * Sort the rows (a merge sort, stable, so rows equal in every column keep
 * the order their store gave; stats keeps its order).
 */
void
store_query_sort(struct store_result *r)
{
	struct store_cell	*tmp, *src, *dst, *t;
	size_t			 w = r->ncols + 1, width, lo, mid, hi, i, j, k;

	if (r->nrows < 2 || r->sort[0] == 0)
		return;
	tmp = xreallocarray(NULL, r->nrows * w, sizeof(*tmp));
	src = r->cells;
	dst = tmp;
	for (width = 1; width < r->nrows; width *= 2) {
		for (lo = 0; lo < r->nrows; lo += 2 * width) {
			mid = lo + width < r->nrows ? lo + width : r->nrows;
			hi = lo + 2 * width < r->nrows ? lo + 2 * width :
			    r->nrows;
			for (i = lo, j = mid, k = lo; k < hi; k++) {
				if (i < mid && (j >= hi || store_row_cmp(r,
				    &src[i * w], &src[j * w]) <= 0))
					memcpy(&dst[k * w], &src[i++ * w],
					    w * sizeof(*dst));
				else
					memcpy(&dst[k * w], &src[j++ * w],
					    w * sizeof(*dst));
			}
		}
		t = src;
		src = dst;
		dst = t;
	}
	if (src != r->cells) {
		memcpy(r->cells, src, r->nrows * w * sizeof(*src));
		free(src);
	} else
		free(dst);
}

/* Free a result's rows. */
void
store_query_free(struct store_result *r)
{
	size_t	i;

	for (i = 0; i < r->nrows * (r->ncols + 1); i++)
		free(r->cells[i].s);
	free(r->cells);
	r->cells = NULL;
	r->nrows = r->cap = 0;
}

/* The newest packet time a store holds into *t; 0 (none: INT64_MIN) or -1. */
int
store_query_newest(sqlite3 *db, int64_t *t)
{
	sqlite3_stmt	*st;
	int		 rc;

	*t = INT64_MIN;
	if (sqlite3_prepare_v2(db, "SELECT max(last_ts) FROM runs", -1, &st,
	    NULL) != SQLITE_OK)
		return -1;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
		*t = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : -1;
}

/* n digits at *p as a number, moving *p on; -1 if they are not digits. */
static int
store_digits(const char **p, int n)
{
	int	v = 0;

	for (; n > 0; n--, (*p)++) {
		if (!isdigit((unsigned char)**p))
			return -1;
		v = v * 10 + (**p - '0');
	}
	return v;
}

/* Days from 1970-01-01 to a date of the proleptic Gregorian calendar. */
static int64_t
store_days(int y, int m, int d)
{
	y -= m <= 2;
	return (int64_t)365 * y + y / 4 - y / 100 + y / 400 +
	    (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1 - 719468;
}

/* An RFC 3339 time (or a date alone) into *us; 0 or -1. */
static int
store_rfc3339(const char *s, int64_t *us)
{
	const char	*p = s;
	int		 y, mo, d, h = 0, mi = 0, se = 0, oh, om, sign;
	int64_t		 frac = 0, scale = 100000;

	if ((y = store_digits(&p, 4)) < 0 || *p++ != '-' ||
	    (mo = store_digits(&p, 2)) < 1 || mo > 12 || *p++ != '-' ||
	    (d = store_digits(&p, 2)) < 1 || d > 31)
		return -1;
	if (*p == '\0')
		goto done;
	if ((*p != 'T' && *p != 't' && *p != ' ') || (p++,
	    (h = store_digits(&p, 2)) < 0) || h > 23 || *p++ != ':' ||
	    (mi = store_digits(&p, 2)) < 0 || mi > 59 || *p++ != ':' ||
	    (se = store_digits(&p, 2)) < 0 || se > 60)
		return -1;
	if (*p == '.') {
		for (p++; isdigit((unsigned char)*p); p++, scale /= 10)
			frac += scale > 0 ? (*p - '0') * scale : 0;
	}
	if (*p == 'Z' || *p == 'z')
		p++;
	else if (*p == '+' || *p == '-') {
		sign = *p++ == '+' ? 1 : -1;
		if ((oh = store_digits(&p, 2)) < 0 || *p++ != ':' ||
		    (om = store_digits(&p, 2)) < 0)
			return -1;
		mi -= sign * om;
		h -= sign * oh;
	} else
		return -1;
	if (*p != '\0')
		return -1;
done:
	*us = ((store_days(y, mo, d) * 86400 + (int64_t)h * 3600 +
	    (int64_t)mi * 60 + se) * 1000000) + frac;
	return 0;
}

/*
 * A time for --since and --until: RFC 3339 (2026-03-02T08:00:00Z, with an
 * offset or a fraction, or a date alone), or a span back from newest (the
 * newest packet time stored): 90s, 30m, 24h, 7d, 2w.  0 or -1.
 */
int
store_time_parse(const char *s, int64_t newest, int64_t *us)
{
	static const struct { char unit; int64_t n; } units[] = {
		{ 's', 1000000 }, { 'm', 60000000 }, { 'h', 3600000000LL },
		{ 'd', 86400000000LL }, { 'w', 7 * 86400000000LL },
	};
	char		*end;
	long long	 n;
	size_t		 i;

	if (store_rfc3339(s, us) == 0)
		return 0;
	if (!isdigit((unsigned char)s[0]))
		return -1;
	n = strtoll(s, &end, 10);
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (end[0] == units[i].unit && end[1] == '\0' &&
		    n <= INT64_MAX / units[i].n) {
			*us = (newest == INT64_MIN ? 0 : newest) -
			    n * units[i].n;
			return 0;
		}
	return -1;
}
