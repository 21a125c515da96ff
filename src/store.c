/*
 * Opening the audit store.  Writing, the file is created when absent, put
 * in WAL mode (readers never wait for the writer, nor it for them) with
 * synchronous=NORMAL (a commit is in the WAL before COMMIT returns; a
 * crash of the process loses nothing committed, a power cut at most the
 * commits since the last checkpoint) and migrated to the current schema.
 * Reading, it must already have the current schema.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "store.h"

/* Run one constant statement; -1 on failure (sqlite3_errmsg says why). */
int
store_exec(sqlite3 *db, const char *sql)
{
	return sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
}

/* The schema version (PRAGMA user_version) into *v; 0 or -1. */
int
store_version(sqlite3 *db, int *v)
{
	sqlite3_stmt	*st;
	int		 rc;

	if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) !=
	    SQLITE_OK)
		return -1;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : -1;
}

/* Put a database in WAL mode; 0, or -1 with the reason in err. */
static int
store_wal(sqlite3 *db, const char *path, char *err, size_t len)
{
	sqlite3_stmt	*st;
	int		 ok = 0;

	if (sqlite3_prepare_v2(db, "PRAGMA journal_mode = WAL", -1, &st,
	    NULL) != SQLITE_OK) {
		snprintf(err, len, "%s: %s", path, sqlite3_errmsg(db));
		return -1;
	}
	if (sqlite3_step(st) == SQLITE_ROW)
		ok = strcmp((const char *)sqlite3_column_text(st, 0),
		    "wal") == 0;
	else
		snprintf(err, len, "%s: %s", path, sqlite3_errmsg(db));
	sqlite3_finalize(st);
	if (!ok && err[0] == '\0')
		snprintf(err, len, "%s: cannot use WAL mode", path);
	return ok ? 0 : -1;
}

/* Check the schema of a database opened to read; 0 or -1 (err). */
static int
store_check(sqlite3 *db, const char *path, char *err, size_t len)
{
	int	v;

	if (store_version(db, &v) == -1) {
		snprintf(err, len, "%s: %s", path, sqlite3_errmsg(db));
		return -1;
	}
	if (v == 0)
		snprintf(err, len, "%s: not an egressd audit store", path);
	else if (v < STORE_VERSION)
		snprintf(err, len, "%s: schema version %d is older than this "
		    "egressctl reads (%d): egressd -w migrates it", path, v,
		    STORE_VERSION);
	else if (v > STORE_VERSION)
		snprintf(err, len, "%s: schema version %d is newer than this "
		    "egressctl knows (%d): use a newer egressctl", path, v,
		    STORE_VERSION);
	return v == STORE_VERSION ? 0 : -1;
}

/*
 * Open the store at path to read or to write (see store_mode); NULL with
 * the reason in err.  The connection is used by one thread at a time.
 */
sqlite3 *
store_open(const char *path, enum store_mode mode, char *err, size_t len)
{
	sqlite3	*db = NULL;
	int	 flags = SQLITE_OPEN_NOMUTEX;

	err[0] = '\0';
	if (mode == STORE_READ)
		flags |= SQLITE_OPEN_READONLY;
	else
		flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
	if (sqlite3_open_v2(path, &db, flags, NULL) != SQLITE_OK) {
		snprintf(err, len, "%s: %s", path, db != NULL ?
		    sqlite3_errmsg(db) : "out of memory");
		sqlite3_close(db);
		return NULL;
	}
	sqlite3_extended_result_codes(db, 1);
	sqlite3_busy_timeout(db, STORE_BUSY_MS);
	if (mode == STORE_READ) {
		if (store_check(db, path, err, len) == -1)
			goto fail;
		return db;
	}
	/*
	 * 16 KiB pages for a new file (an existing one keeps its own): the
	 * writer inserts each batch's flow rows in index order, and bigger
	 * pages take more of them per page; on the flow-heavy bench capture
	 * a quarter less CPU a row than 4 KiB pages.  Before WAL mode, which
	 * fixes the page size of a new file.
	 */
	if (store_exec(db, "PRAGMA page_size = 16384") == -1 ||
	    store_wal(db, path, err, len) == -1) {
		if (err[0] == '\0')
			snprintf(err, len, "%s: %s", path, sqlite3_errmsg(db));
		goto fail;
	}
	/*
	 * A checkpoint every 64 MiB of WAL (4096 pages of 16 KiB), the size
	 * it is cut back to: on the flow-heavy bench capture 32 MiB cost 3%
	 * more CPU a row, 128 MiB 5% less.
	 */
	if (store_exec(db, "PRAGMA synchronous = NORMAL") == -1 ||
	    store_exec(db, "PRAGMA journal_size_limit = 67108864") == -1 ||
	    store_exec(db, "PRAGMA cache_size = -65536") == -1 ||
	    store_exec(db, "PRAGMA wal_autocheckpoint = 4096") == -1) {
		snprintf(err, len, "%s: %s", path, sqlite3_errmsg(db));
		goto fail;
	}
	if (store_migrate(db, path, err, len) == -1)
		goto fail;
	return db;
fail:
	sqlite3_close(db);
	return NULL;
}

/* Close a database; what is not committed is rolled back. */
void
store_close(sqlite3 *db)
{
	sqlite3_close(db);
}
