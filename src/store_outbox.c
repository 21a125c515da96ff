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

/* Mark every pending alert up to seq delivered to sink (in order). */
int
store_outbox_delivered(sqlite3 *db, const char *sink, int64_t seq,
    int64_t now)
{
	sqlite3_stmt	*st;

	if (sqlite3_prepare_v2(db, "UPDATE deliveries SET state = 'delivered',"
	    " updated = ?3 WHERE sink = ?1 AND alert <= ?2 AND state ="
	    " 'pending'", -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, sink, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, seq);
	sqlite3_bind_int64(st, 3, now);
	return store_outbox_step(st);
}
