/*
 * store_outbox.c: the alert outbox for delivering sinks (syslog, issue
 * 17).  A sink registers by name; every alert stored after that gets a
 * pending delivery for it, which the sink fetches in the order alerts
 * were raised and marks delivered.  Each call is one statement, so it
 * runs in its own transaction on the caller's connection.
 */
#ifndef EGRESSD_STORE_OUTBOX_H
#define EGRESSD_STORE_OUTBOX_H

#include <stddef.h>
#include <stdint.h>

#include <sqlite3.h>

int	store_outbox_register(sqlite3 *, const char *, int64_t);
int	store_outbox_pending(sqlite3 *, const char *, int64_t, int64_t *,
	    size_t, size_t *);
int	store_outbox_attempt(sqlite3 *, const char *, int64_t, int64_t);
int	store_outbox_delivered(sqlite3 *, const char *, int64_t, int64_t,
	    int64_t);
int	store_outbox_next(sqlite3 *, const char *, int64_t, size_t,
	    int (*)(void *, int64_t, const char *, size_t), void *);
int	store_outbox_count(sqlite3 *, const char *, int64_t, int64_t *);
int	store_outbox_drop(sqlite3 *, const char *, int64_t, int64_t);

#endif
