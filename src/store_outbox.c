/*
 * The alert outbox (see store_outbox.h): deliveries are keyed by sink and
 * alert (alerts.seq, the order raised), so a sink reads its queue in
 * order from the primary key alone.
 */
#include "config.h"

#include "store_outbox.h"

/* Run one prepared statement to its end; 0 or -1. */
static int
store_outbox_step(sqlite3_stmt *st)
{
	int	rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		;
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/*
 * Register a delivering sink (wall clock now, us): alerts stored from now
 * on wait for it.
 */
int
store_outbox_register(sqlite3 *db, const char *sink, int64_t now)
{
	sqlite3_stmt	*st;

	if (sqlite3_prepare_v2(db, "INSERT OR IGNORE INTO outbox_sinks (name,"
	    " added) VALUES (?1, ?2)", -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, sink, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, now);
	return store_outbox_step(st);
}

/*
 * The alerts (seq) after `after` that wait for sink, oldest first, at
 * most n into seq; *got says how many.  0 or -1.
 */
int
store_outbox_pending(sqlite3 *db, const char *sink, int64_t after,
    int64_t *seq, size_t n, size_t *got)
{
	sqlite3_stmt	*st;
	int		 rc;

	*got = 0;
	if (sqlite3_prepare_v2(db, "SELECT alert FROM deliveries WHERE sink ="
	    " ?1 AND alert > ?2 AND state = 'pending' ORDER BY alert LIMIT ?3",
	    -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, sink, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, after);
	sqlite3_bind_int64(st, 3, (int64_t)n);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && *got < n)
		seq[(*got)++] = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : -1;
}

/* Count an attempt to deliver an alert (wall clock now, us). */
int
store_outbox_attempt(sqlite3 *db, const char *sink, int64_t seq, int64_t now)
{
	sqlite3_stmt	*st;

	if (sqlite3_prepare_v2(db, "UPDATE deliveries SET attempts ="
	    " attempts + 1, updated = ?3 WHERE sink = ?1 AND alert = ?2", -1,
	    &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, sink, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, seq);
	sqlite3_bind_int64(st, 3, now);
	return store_outbox_step(st);
}

/*
 * Mark every pending alert after `after` up to seq delivered to sink (in
 * order; after bounds the range read, 0: from the start).
 */
int
store_outbox_delivered(sqlite3 *db, const char *sink, int64_t after,
    int64_t seq, int64_t now)
{
	sqlite3_stmt	*st;

	if (sqlite3_prepare_v2(db, "UPDATE deliveries SET state = 'delivered',"
	    " updated = ?3 WHERE sink = ?1 AND alert > ?4 AND alert <= ?2"
	    " AND state = 'pending'", -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, sink, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, seq);
	sqlite3_bind_int64(st, 3, now);
	sqlite3_bind_int64(st, 4, after);
	return store_outbox_step(st);
}

/*
 * The alerts after `after` that wait for sink, oldest first, at most n:
 * fn gets each one's seq and ECS line (NULL: stored before schema 3) and
 * returns 0 to go on.  The number handed over, or -1.
 */
int
store_outbox_next(sqlite3 *db, const char *sink, int64_t after, size_t n,
    int (*fn)(void *, int64_t, const char *, size_t), void *arg)
{
	sqlite3_stmt	*st;
	int		 rc, got = 0;

	if (sqlite3_prepare_v2(db, "SELECT d.alert, a.ecs FROM deliveries d"
	    " JOIN alerts a ON a.seq = d.alert WHERE d.sink = ?1 AND"
	    " d.alert > ?2 AND d.state = 'pending' ORDER BY d.alert"
	    " LIMIT ?3", -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, sink, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, after);
	sqlite3_bind_int64(st, 3, (int64_t)n);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		got++;
		if (fn(arg, sqlite3_column_int64(st, 0),
		    (const char *)sqlite3_column_text(st, 1),
		    (size_t)sqlite3_column_bytes(st, 1)) != 0) {
			rc = SQLITE_DONE;
			break;
		}
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? got : -1;
}

/* How many alerts after `after` wait for sink, into *n; 0 or -1. */
int
store_outbox_count(sqlite3 *db, const char *sink, int64_t after, int64_t *n)
{
	sqlite3_stmt	*st;
	int		 rc;

	*n = 0;
	if (sqlite3_prepare_v2(db, "SELECT count(*) FROM deliveries WHERE"
	    " sink = ?1 AND alert > ?2 AND state = 'pending'", -1, &st,
	    NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, sink, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, after);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		*n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : -1;
}

/*
 * Give up the n oldest alerts waiting for sink (a full queue): their
 * state becomes 'dropped'; the alerts stay in the store.  0 or -1.
 */
int
store_outbox_drop(sqlite3 *db, const char *sink, int64_t n, int64_t now)
{
	sqlite3_stmt	*st;

	if (sqlite3_prepare_v2(db, "UPDATE deliveries SET state = 'dropped',"
	    " updated = ?3 WHERE sink = ?1 AND alert IN (SELECT alert FROM"
	    " deliveries WHERE sink = ?1 AND state = 'pending' ORDER BY"
	    " alert LIMIT ?2)", -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, sink, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, n);
	sqlite3_bind_int64(st, 3, now);
	return store_outbox_step(st);
}
