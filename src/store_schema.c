/*
 * The schema of the audit store and its migrations.  PRAGMA user_version
 * is the schema's version: 0 is a new file, which gets the whole current
 * schema; an older version is brought forward one step at a time, each
 * step in the transaction that sets the version it reaches; a newer one
 * is refused.
 *
 * Times are microseconds since 1970 (UTC) in packet time, except the
 * wall-clock columns of runs.  Addresses are text in their usual form.
 * Every statement is constant text: values only ever travel as bound
 * parameters.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "store.h"

/* The current schema, for a new file. */
static const char *const store_schema[] = {
	/* Facts about the file: what made it, when. */
	"CREATE TABLE meta ("
	"  key TEXT PRIMARY KEY,"
	"  value TEXT NOT NULL"
	") WITHOUT ROWID",

	/* Every run of egressd that wrote here. */
	"CREATE TABLE runs ("
	"  id INTEGER PRIMARY KEY,"
	"  started INTEGER NOT NULL,"		/* wall clock */
	"  ended INTEGER,"			/* wall clock; NULL: not closed */
	"  mode TEXT NOT NULL,"			/* offline, live */
	"  source TEXT NOT NULL,"		/* interface, first capture */
	"  version TEXT NOT NULL,"		/* egressd's */
	"  audit INTEGER NOT NULL,"		/* 1: no policy */
	"  first_ts INTEGER,"			/* packet time committed */
	"  last_ts INTEGER,"
	"  batches INTEGER NOT NULL DEFAULT 0,"	/* transactions committed */
	"  records INTEGER NOT NULL DEFAULT 0,"	/* flow records stored */
	"  alerts INTEGER NOT NULL DEFAULT 0,"
	"  dropped INTEGER NOT NULL DEFAULT 0"	/* flow records not stored */
	")",

	/* Every capture file read, recognised by its SHA-256. */
	"CREATE TABLE captures ("
	"  id INTEGER PRIMARY KEY,"
	"  run INTEGER NOT NULL,"
	"  path TEXT NOT NULL,"
	"  size INTEGER,"
	"  sha256 TEXT,"			/* hex; NULL: standard input */
	"  first_ts INTEGER,"
	"  last_ts INTEGER,"
	"  packets INTEGER NOT NULL DEFAULT 0,"
	"  state TEXT NOT NULL"			/* reading, done, cut */
	")",
	"CREATE INDEX captures_sha256 ON captures (sha256)",

	"CREATE TABLE appliances ("
	"  id INTEGER PRIMARY KEY,"
	"  address TEXT NOT NULL UNIQUE,"
	"  mac TEXT,"
	"  group_name TEXT,"
	"  first_seen INTEGER NOT NULL,"
	"  last_seen INTEGER NOT NULL"
	")",

	"CREATE TABLE destinations ("
	"  id INTEGER PRIMARY KEY,"
	"  address TEXT NOT NULL UNIQUE,"
	"  asn INTEGER,"
	"  organization TEXT,"
	"  country TEXT,"
	"  first_seen INTEGER NOT NULL,"
	"  last_seen INTEGER NOT NULL"
	")",

	/* What an appliance called a destination, and how it knew. */
	"CREATE TABLE names ("
	"  appliance INTEGER NOT NULL,"
	"  name TEXT NOT NULL,"
	"  destination INTEGER NOT NULL,"
	"  source TEXT NOT NULL,"		/* dns, tls, http */
	"  first_seen INTEGER NOT NULL,"
	"  last_seen INTEGER NOT NULL,"
	"  PRIMARY KEY (appliance, name, destination, source)"
	") WITHOUT ROWID",

	/*
	 * Flow records rolled up per hour, appliance, destination,
	 * transport, destination port and verdict.  A rowid table, so rows
	 * are appended and only the narrow indexes take random inserts: a
	 * commit rewrites every page it touches, and a wide b-tree keyed at
	 * random is touched all over by any batch.
	 */
	"CREATE TABLE flows ("
	"  id INTEGER PRIMARY KEY,"
	"  hour INTEGER NOT NULL,"		/* the hour's first us */
	"  appliance INTEGER NOT NULL,"
	"  destination INTEGER NOT NULL,"
	"  transport INTEGER NOT NULL,"		/* IP protocol number */
	"  port INTEGER NOT NULL,"		/* 0: none */
	"  verdict TEXT NOT NULL,"
	"  flows INTEGER NOT NULL,"		/* begun (not continued) */
	"  records INTEGER NOT NULL,"
	"  packets_out INTEGER NOT NULL,"
	"  bytes_out INTEGER NOT NULL,"
	"  packets_in INTEGER NOT NULL,"
	"  bytes_in INTEGER NOT NULL,"
	"  first_seen INTEGER NOT NULL,"
	"  last_seen INTEGER NOT NULL,"
	"  group_name TEXT,"
	"  rule TEXT,"
	"  name TEXT,"
	"  protocol TEXT"
	")",
	"CREATE UNIQUE INDEX flows_key ON flows (hour, appliance, destination,"
	"  transport, port, verdict)",
	"CREATE INDEX flows_appliance ON flows (appliance, hour)",
	"CREATE INDEX flows_destination ON flows (destination, hour)",

	/* Every alert, with every field of its JSON line. */
	"CREATE TABLE alerts ("
	"  seq INTEGER PRIMARY KEY,"		/* order raised: the outbox's */
	"  id TEXT NOT NULL,"			/* event.id */
	"  run INTEGER NOT NULL,"
	"  ts INTEGER NOT NULL,"		/* @timestamp */
	"  action TEXT NOT NULL,"
	"  severity INTEGER NOT NULL,"
	"  rule TEXT NOT NULL,"
	"  message TEXT NOT NULL,"
	"  source_ip TEXT NOT NULL,"
	"  destination_ip TEXT,"
	"  destination_port INTEGER,"
	"  transport TEXT,"
	"  network_type TEXT NOT NULL,"
	"  asn INTEGER,"
	"  organization TEXT,"
	"  country TEXT,"
	"  registered_country TEXT,"
	"  domain TEXT,"
	"  name_source TEXT,"
	"  verdict TEXT,"
	"  group_name TEXT,"
	"  rule_at TEXT,"			/* egressd.rule, file:line */
	"  count INTEGER,"
	"  flow_id TEXT,"
	"  beacon_period REAL,"
	"  beacon_jitter REAL,"
	"  beacon_beats INTEGER,"
	"  beacon_missed INTEGER,"
	"  beacon_first_seen INTEGER,"
	"  beacon_score REAL,"
	"  beacon_group_by TEXT,"
	"  beacon_asn INTEGER,"
	"  beacon_carrier TEXT,"		/* version 3 from here */
	"  new_addresses TEXT,"			/* comma-separated */
	"  new_addresses_more INTEGER,"
	"  callhome TEXT,"
	"  tunnel_names INTEGER,"
	"  tunnel_encoded INTEGER,"
	"  tunnel_answers INTEGER,"
	"  tunnel_longest_label INTEGER,"
	"  tunnel_window INTEGER,"		/* us */
	"  duration INTEGER,"			/* long-connection, us */
	"  source_bytes INTEGER,"
	"  destination_bytes INTEGER,"
	"  dns_question_name TEXT,"
	"  dns_registered_domain TEXT,"
	"  ecs TEXT"				/* the JSON line, whole */
	")",
	"CREATE INDEX alerts_ts ON alerts (ts)",

	/* The outbox: the delivery sinks, and each alert's state in each. */
	"CREATE TABLE outbox_sinks ("
	"  name TEXT PRIMARY KEY,"
	"  added INTEGER NOT NULL"		/* wall clock */
	") WITHOUT ROWID",
	"CREATE TABLE deliveries ("
	"  sink TEXT NOT NULL,"
	"  alert INTEGER NOT NULL,"		/* alerts.seq */
	"  state TEXT NOT NULL,"		/* pending, delivered */
	"  attempts INTEGER NOT NULL DEFAULT 0,"
	"  updated INTEGER,"			/* wall clock */
	"  PRIMARY KEY (sink, alert)"
	") WITHOUT ROWID",
	"CREATE INDEX deliveries_alert ON deliveries (alert)",

	/* Beacon series: the periodic ones, as they last stood. */
	"CREATE TABLE series ("
	"  appliance INTEGER NOT NULL,"
	"  group_by TEXT NOT NULL,"		/* address, name, asn */
	"  key TEXT NOT NULL,"
	"  kind TEXT NOT NULL,"			/* periodic, strobe */
	"  period REAL NOT NULL,"
	"  jitter REAL NOT NULL,"
	"  beats INTEGER NOT NULL,"
	"  missed INTEGER NOT NULL,"
	"  score REAL NOT NULL,"
	"  verdict TEXT,"			/* NULL: judged under another */
	"  first_seen INTEGER NOT NULL,"
	"  last_seen INTEGER NOT NULL,"
	"  beat_times BLOB,"			/* version 2 */
	"  PRIMARY KEY (appliance, group_by, key)"
	") WITHOUT ROWID",

	/*
	 * Counters: the values at the end of a run (minute NULL), and live
	 * what each minute added; only those that are not zero.
	 */
	"CREATE TABLE counters ("
	"  run INTEGER NOT NULL,"
	"  minute INTEGER,"			/* packet time */
	"  name TEXT NOT NULL,"
	"  value INTEGER NOT NULL"
	")",
	"CREATE INDEX counters_run ON counters (run, minute)",
	NULL
};

/*
 * Version 2: the beat times of a beacon series, its last
 * STORE_BEAT_TIMES beats as 8-byte little-endian microseconds, oldest
 * first (the report's timelines).
 */
static const char *const store_v1_v2[] = {
	"ALTER TABLE series ADD COLUMN beat_times BLOB",
	NULL
};

/*
 * Version 3: what call-home, dns-tunnel and long-connection alerts add,
 * and the alert's whole ECS JSON line, so that a delivering sink can send
 * it again in full after a restart.  Alerts stored before have none.
 */
static const char *const store_v2_v3[] = {
	"ALTER TABLE alerts ADD COLUMN beacon_carrier TEXT",
	"ALTER TABLE alerts ADD COLUMN new_addresses TEXT",
	"ALTER TABLE alerts ADD COLUMN new_addresses_more INTEGER",
	"ALTER TABLE alerts ADD COLUMN callhome TEXT",
	"ALTER TABLE alerts ADD COLUMN tunnel_names INTEGER",
	"ALTER TABLE alerts ADD COLUMN tunnel_encoded INTEGER",
	"ALTER TABLE alerts ADD COLUMN tunnel_answers INTEGER",
	"ALTER TABLE alerts ADD COLUMN tunnel_longest_label INTEGER",
	"ALTER TABLE alerts ADD COLUMN tunnel_window INTEGER",
	"ALTER TABLE alerts ADD COLUMN duration INTEGER",
	"ALTER TABLE alerts ADD COLUMN source_bytes INTEGER",
	"ALTER TABLE alerts ADD COLUMN destination_bytes INTEGER",
	"ALTER TABLE alerts ADD COLUMN dns_question_name TEXT",
	"ALTER TABLE alerts ADD COLUMN dns_registered_domain TEXT",
	"ALTER TABLE alerts ADD COLUMN ecs TEXT",
	NULL
};

/* The steps forward: migrations[v] takes version v to v + 1. */
static const char *const *const store_migrations[] = {
	NULL,
	store_v1_v2,
	store_v2_v3,
};

/* Run a list of statements; -1 with the message in err. */
static int
store_exec_list(sqlite3 *db, const char *const *sql, char *err, size_t len)
{
	for (; *sql != NULL; sql++)
		if (sqlite3_exec(db, *sql, NULL, NULL, NULL) != SQLITE_OK) {
			snprintf(err, len, "%s", sqlite3_errmsg(db));
			return -1;
		}
	return 0;
}

/* Set PRAGMA user_version: the one pragma that takes no parameter. */
static int
store_set_version(sqlite3 *db, int v, char *err, size_t len)
{
	static const char *const set[] = {
		"PRAGMA user_version = 0", "PRAGMA user_version = 1",
		"PRAGMA user_version = 2", "PRAGMA user_version = 3",
	};

	if (v < 0 || v >= (int)(sizeof(set) / sizeof(set[0]))) {
		snprintf(err, len, "no statement for schema version %d", v);
		return -1;
	}
	return store_exec_list(db, (const char *const []){ set[v], NULL },
	    err, len);
}

/*
 * Bring the schema of db to STORE_VERSION: create it in a new file, or
 * migrate forward step by step.  A version newer than this program's is
 * an error.  0, or -1 with the reason in err.
 */
int
store_migrate(sqlite3 *db, const char *path, char *err, size_t len)
{
	char	msg[STORE_ERRLEN];
	int	v, rc;

	if (store_exec(db, "BEGIN IMMEDIATE") == -1) {
		snprintf(err, len, "%s: %s", path, sqlite3_errmsg(db));
		return -1;
	}
	if (store_version(db, &v) == -1) {
		snprintf(err, len, "%s: %s", path, sqlite3_errmsg(db));
		goto fail;
	}
	if (v > STORE_VERSION) {
		snprintf(err, len, "%s: schema version %d is newer than this "
		    "egressd knows (%d): use a newer egressd", path, v,
		    STORE_VERSION);
		goto fail;
	}
	if (v == 0)
		rc = store_exec_list(db, store_schema, msg, sizeof(msg));
	else
		for (rc = 0; rc == 0 && v < STORE_VERSION; v++)
			rc = store_exec_list(db, store_migrations[v], msg,
			    sizeof(msg));
	if (rc == -1 ||
	    store_set_version(db, STORE_VERSION, msg, sizeof(msg)) == -1) {
		snprintf(err, len, "%s: schema version %d: %s", path, v, msg);
		goto fail;
	}
	if (store_exec(db, "COMMIT") == -1) {
		snprintf(err, len, "%s: %s", path, sqlite3_errmsg(db));
		goto fail;
	}
	return 0;
fail:
	store_exec(db, "ROLLBACK");
	return -1;
}
