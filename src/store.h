/*
 * store.c: the SQLite audit store: opening a database file (WAL,
 * synchronous=NORMAL, a busy timeout), its schema, versioned with PRAGMA
 * user_version and migrated forward on open.  The writer (store_write.c)
 * and the queries of egressctl (store_query.c) open through it.
 */
#ifndef EGRESSD_STORE_H
#define EGRESSD_STORE_H

#include <stddef.h>
#include <stdint.h>

#include <sqlite3.h>

#define STORE_VERSION		3	/* the schema this program writes */
#define STORE_BEAT_TIMES	256	/* beat times kept a series */
#define STORE_BUSY_MS		5000	/* the busy timeout */
#define STORE_ERRLEN		512

/* How a database is opened. */
enum store_mode {
	STORE_READ,		/* an existing file, read-only (egressctl) */
	STORE_WRITE,		/* created if absent, migrated forward */
};

sqlite3	*store_open(const char *, enum store_mode, char *, size_t);
int	 store_version(sqlite3 *, int *);
int	 store_migrate(sqlite3 *, const char *, char *, size_t);
int	 store_exec(sqlite3 *, const char *);
void	 store_close(sqlite3 *);

#endif
