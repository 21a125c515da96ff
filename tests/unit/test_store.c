/*
 * The audit store: schema creation and migration from version 1, a newer
 * schema refused, rows written through the writer read back byte for
 * byte (hostile text included), the outbox, egressctl's time forms and
 * the escaping of every output format.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alert.h"
#include "store.h"
#include "store_outbox.h"
#include "store_print.h"
#include "store_query.h"
#include "store_write.h"
#include "test.h"

static char	tmpdir[] = "/tmp/test_store.XXXXXX";

/* A path in the test's directory. */
static const char *
path_of(const char *name)
{
	static char	buf[256];

	snprintf(buf, sizeof(buf), "%s/%s", tmpdir, name);
	return buf;
}

/* One integer from a query. */
static long long
query_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt	*st;
	long long	 v = -1;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return -2;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* A new file gets the whole schema at the current version. */
static void
test_create(void)
{
	char	 err[STORE_ERRLEN];
	sqlite3	*db;
	int	 v = 0;

	db = store_open(path_of("new.db"), STORE_WRITE, err, sizeof(err));
	CHECK(db != NULL);
	if (db == NULL)
		return;
	CHECK(store_version(db, &v) == 0);
	CHECK_EQ(v, STORE_VERSION);
	CHECK_EQ(query_int(db, "SELECT count(*) FROM sqlite_schema WHERE "
	    "type = 'table' AND name IN ('meta', 'runs', 'captures', "
	    "'appliances', 'destinations', 'names', 'flows', 'alerts', "
	    "'outbox_sinks', 'deliveries', 'series', 'counters')"), 12);
	CHECK_EQ(query_int(db, "SELECT count(*) FROM pragma_table_info("
	    "'series') WHERE name = 'beat_times'"), 1);
	store_close(db);
	/* opened again: nothing to do, still the same version */
	db = store_open(path_of("new.db"), STORE_READ, err, sizeof(err));
	CHECK(db != NULL);
	store_close(db);
}

/* Load tests/store/NAME.sql into a new file DB of schema version v. */
static void
load_sql(const char *name, const char *dbname, int version)
{
	char		 file[512], *sql;
	const char	*src = getenv("top_srcdir");
	FILE		*fp;
	long		 n;
	sqlite3		*db;
	int		 v = 0;

	snprintf(file, sizeof(file), "%s/tests/store/%s.sql",
	    src != NULL ? src : ".", name);
	CHECK((fp = fopen(file, "r")) != NULL);
	if (fp == NULL)
		return;
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	rewind(fp);
	sql = calloc(1, (size_t)n + 1);
	CHECK(fread(sql, 1, (size_t)n, fp) == (size_t)n);
	fclose(fp);
	CHECK(sqlite3_open(path_of(dbname), &db) == SQLITE_OK);
	CHECK(sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK);
	free(sql);
	CHECK(store_version(db, &v) == 0);
	CHECK_EQ(v, version);
	sqlite3_close(db);
}

/*
 * A file of version 2 (tests/store/v2.sql, with beacon, dns-tunnel and
 * long-connection alerts) is migrated to 3: its alerts are kept, with the
 * new columns empty, and a new alert can be stored whole.
 */
static void
test_migrate_v2(void)
{
	char		 err[STORE_ERRLEN];
	sqlite3		*db;
	int		 v = 0;

	load_sql("v2", "v2.db", 2);
	db = store_open(path_of("v2.db"), STORE_WRITE, err, sizeof(err));
	CHECK(db != NULL);
	if (db == NULL)
		return;
	CHECK(store_version(db, &v) == 0);
	CHECK_EQ(v, STORE_VERSION);
	CHECK_EQ(query_int(db, "SELECT count(*) FROM alerts"), 6);
	CHECK_EQ(query_int(db, "SELECT count(*) FROM alerts WHERE action ="
	    " 'dns-tunnel' AND tunnel_names IS NULL AND ecs IS NULL"), 1);
	CHECK_EQ(query_int(db, "SELECT count(*) FROM pragma_table_info("
	    "'alerts') WHERE name IN ('beacon_carrier', 'new_addresses',"
	    " 'new_addresses_more', 'callhome', 'tunnel_names',"
	    " 'tunnel_encoded', 'tunnel_answers', 'tunnel_longest_label',"
	    " 'tunnel_window', 'duration', 'source_bytes',"
	    " 'destination_bytes', 'dns_question_name',"
	    " 'dns_registered_domain', 'ecs')"), 15);
	CHECK(sqlite3_exec(db, "INSERT INTO alerts (id, run, ts, action,"
	    " severity, rule, message, source_ip, network_type, callhome,"
	    " ecs) VALUES ('00', 1, 0, 'beacon', 8, 'r', 'm', '10.0.0.1',"
	    " 'ipv4', 'x.example', '{}')", NULL, NULL, NULL) == SQLITE_OK);
	store_close(db);
}

/* A file of version 1 (tests/store/v1.sql) is migrated, its rows kept. */
static void
test_migrate(void)
{
	char		 err[STORE_ERRLEN];
	sqlite3		*db;
	int		 v = 0;

	load_sql("v1", "v1.db", 1);

	/* egressctl refuses it until egressd has migrated it */
	db = store_open(path_of("v1.db"), STORE_READ, err, sizeof(err));
	CHECK(db == NULL);
	CHECK(strstr(err, "schema version 1 is older") != NULL);

	db = store_open(path_of("v1.db"), STORE_WRITE, err, sizeof(err));
	CHECK(db != NULL);
	if (db == NULL)
		return;
	CHECK(store_version(db, &v) == 0);
	CHECK_EQ(v, STORE_VERSION);
	CHECK_EQ(query_int(db, "SELECT count(*) FROM pragma_table_info("
	    "'series') WHERE name = 'beat_times'"), 1);
	CHECK_EQ(query_int(db, "SELECT count(*) FROM pragma_table_info("
	    "'alerts') WHERE name = 'ecs'"), 1);
	CHECK_EQ(query_int(db, "SELECT count(*) FROM flows"), 29);
	CHECK_EQ(query_int(db, "SELECT count(*) FROM alerts"), 2);
	CHECK_EQ(query_int(db, "SELECT count(*) FROM series"), 5);
	CHECK_EQ(query_int(db, "SELECT sum(records) FROM flows"), 209);
	CHECK_EQ(query_int(db, "SELECT count(*) FROM series WHERE "
	    "beat_times IS NOT NULL"), 0);

	/* a version newer than this program's is refused, and not touched */
	CHECK(sqlite3_exec(db, "PRAGMA user_version = 7", NULL, NULL,
	    NULL) == SQLITE_OK);
	store_close(db);
	db = store_open(path_of("v1.db"), STORE_WRITE, err, sizeof(err));
	CHECK(db == NULL);
	CHECK(strstr(err, "schema version 7 is newer than this egressd") !=
	    NULL);
	db = store_open(path_of("v1.db"), STORE_READ, err, sizeof(err));
	CHECK(db == NULL);
	CHECK(strstr(err, "newer") != NULL);
}

/* Names that try to break out of SQL or of a line. */
static const char *const hostile[] = {
	"a\"b'c;d.example",
	"x'); DROP TABLE names; --",
	"new\nline\r.example",
	"bad\xff\xfeutf8.example",
	"tab\tand\x01ctl.example",
	"\xc3\xa9t\xc3\xa9.example",
};

/* Rows through the writer come back byte for byte; the outbox works. */
static void
test_writer(void)
{
	struct store_config	 c;
	struct store_run	 r = { "offline", "test", 1 };
	struct store_writer	*w;
	struct store_batch	*b;
	struct store_name	*n;
	struct store_alert	*a;
	sqlite3_stmt		*st;
	sqlite3			*db;
	char			 err[STORE_ERRLEN];
	int64_t			 seq[4];
	size_t			 i, got;
	int			 found;

	memset(&c, 0, sizeof(c));
	c.path = path_of("w.db");
	CHECK((db = store_open(c.path, STORE_WRITE, err, sizeof(err))) !=
	    NULL);
	CHECK(store_outbox_register(db, "syslog:test", 1) == 0);
	store_close(db);
	CHECK((w = store_writer_open(&c, &r, err, sizeof(err))) != NULL);
	if (w == NULL)
		return;
	b = store_batch_new();
	b->appliances = calloc(1, sizeof(*b->appliances));
	b->appliances[0].key.af = 4;
	memcpy(b->appliances[0].key.addr, "\x0a\x00\x00\x05", 4);
	b->appliances[0].first = 1;
	b->appliances[0].last = 2;
	b->nappliances = 1;
	b->destinations = calloc(1, sizeof(*b->destinations));
	b->destinations[0].key.af = 4;
	memcpy(b->destinations[0].key.addr, "\xc0\x00\x02\x07", 4);
	b->destinations[0].first = 1;
	b->destinations[0].last = 2;
	b->ndestinations = 1;
	b->names = calloc(sizeof(hostile) / sizeof(hostile[0]),
	    sizeof(*b->names));
	for (i = 0; i < sizeof(hostile) / sizeof(hostile[0]); i++) {
		n = &b->names[b->nnames++];
		n->name = store_arena_str(&b->arena, hostile[i]);
		n->source = 1;
		n->first = 1;
		n->last = 2;
	}
	b->alerts = calloc(1, sizeof(*b->alerts));
	a = &b->alerts[b->nalerts++];
	a->a.action = ALERT_BEACON;
	a->a.rule = "beacon";
	a->a.af = 4;
	snprintf(a->a.message, sizeof(a->a.message), "%s", hostile[1]);
	a->a.ts = 5;
	a->a.id = 0x1234;
	store_writer_submit(w, b);
	CHECK(store_writer_close(w) == 0);

	CHECK((db = store_open(c.path, STORE_READ, err, sizeof(err))) !=
	    NULL);
	if (db == NULL)
		return;
	CHECK(sqlite3_prepare_v2(db, "SELECT name FROM names", -1, &st,
	    NULL) == SQLITE_OK);
	for (i = 0; i < sizeof(hostile) / sizeof(hostile[0]); i++) {
		found = 0;
		sqlite3_reset(st);
		while (sqlite3_step(st) == SQLITE_ROW)
			if ((size_t)sqlite3_column_bytes(st, 0) ==
			    strlen(hostile[i]) && memcmp(sqlite3_column_blob(st,
			    0), hostile[i], strlen(hostile[i])) == 0)
				found = 1;
		CHECK(found);
	}
	sqlite3_finalize(st);
	CHECK_EQ(query_int(db, "SELECT count(*) FROM names"),
	    sizeof(hostile) / sizeof(hostile[0]));
	CHECK_EQ(query_int(db, "SELECT count(*) FROM deliveries WHERE "
	    "state = 'pending'"), 1);
	store_close(db);
	db = store_open(c.path, STORE_WRITE, err, sizeof(err));
	CHECK(store_outbox_pending(db, "syslog:test", 0, seq, 4, &got) == 0);
	CHECK_EQ(got, 1);
	CHECK(store_outbox_attempt(db, "syslog:test", seq[0], 3) == 0);
	CHECK(store_outbox_delivered(db, "syslog:test", 0, seq[0], 4) == 0);
	CHECK(store_outbox_pending(db, "syslog:test", 0, seq, 4, &got) == 0);
	CHECK_EQ(got, 0);
	CHECK_EQ(query_int(db, "SELECT attempts FROM deliveries"), 1);
	store_close(db);
}

/* --since and --until: RFC 3339, offsets, dates, spans back from newest. */
static void
test_times(void)
{
	int64_t	t = 0, newest = 1772438400000000LL;	/* 2026-03-02 08:00 */

	CHECK(store_time_parse("2026-03-02T08:00:00Z", 0, &t) == 0);
	CHECK_EQ(t, newest);
	CHECK(store_time_parse("2026-03-02T09:00:00+01:00", 0, &t) == 0);
	CHECK_EQ(t, newest);
	CHECK(store_time_parse("2026-03-02T08:00:00.25Z", 0, &t) == 0);
	CHECK_EQ(t, newest + 250000);
	CHECK(store_time_parse("2026-03-02", 0, &t) == 0);
	CHECK_EQ(t, newest - 8 * 3600000000LL);
	CHECK(store_time_parse("1970-01-01T00:00:00Z", 0, &t) == 0);
	CHECK_EQ(t, 0);
	CHECK(store_time_parse("24h", newest, &t) == 0);
	CHECK_EQ(t, newest - 86400000000LL);
	CHECK(store_time_parse("7d", newest, &t) == 0);
	CHECK_EQ(t, newest - 7 * 86400000000LL);
	CHECK(store_time_parse("90s", newest, &t) == 0);
	CHECK_EQ(t, newest - 90000000);
	CHECK(store_time_parse("24x", newest, &t) == -1);
	CHECK(store_time_parse("h", newest, &t) == -1);
	CHECK(store_time_parse("2026-13-02", newest, &t) == -1);
	CHECK(store_time_parse("2026-03-02T08:00:00", newest, &t) == -1);
	CHECK(store_time_parse("", newest, &t) == -1);
}

/* Print a one-column result of one text cell in a format. */
static char *
print_one(const char *s, size_t len, enum store_format f)
{
	static const struct store_column col[] = { { "name", STORE_C_TEXT } };
	static const int	 sort[] = { 0 };
	struct store_result	 r;
	struct store_cell	 cells[2];
	char			*out = NULL, text[64], sensor[] = "sensor";
	size_t			 n = 0;
	FILE			*fp;

	memset(&r, 0, sizeof(r));
	memset(cells, 0, sizeof(cells));
	r.cols = col;
	r.ncols = 1;
	r.sort = sort;
	r.cells = cells;
	r.nrows = 1;
	memcpy(text, s, len);
	text[len] = '\0';
	cells[0].s = text;
	cells[0].len = len;
	cells[1].s = sensor;
	cells[1].len = 6;
	fp = open_memstream(&out, &n);
	store_print(fp, &r, f, 0);
	fclose(fp);
	return out;
}

/* Control bytes, NUL and invalid UTF-8 are \xHH in every format. */
static void
test_print(void)
{
	char	*o;

	o = print_one("a\nb\0c\xff\"d,e", 10, STORE_FMT_TABLE);
	CHECK_STR(o, "name\na\\x0ab\\x00c\\xff\"d,e\n");
	free(o);
	o = print_one("a\nb\0c\xff\"d,e", 10, STORE_FMT_CSV);
	CHECK_STR(o, "name\r\n\"a\\x0ab\\x00c\\xff\"\"d,e\"\r\n");
	free(o);
	o = print_one("a\nb\0c\xff\"d,e", 10, STORE_FMT_JSON);
	CHECK_STR(o, "{\"name\":\"a\\\\x0ab\\\\x00c\\\\xff\\\"d,e\"}\n");
	free(o);
	o = print_one("x'); DROP TABLE names; --", 25, STORE_FMT_CSV);
	CHECK_STR(o, "name\r\n\"x'); DROP TABLE names; --\"\r\n");
	free(o);
	o = print_one("\xc3\xa9t\xc3\xa9", 5, STORE_FMT_TABLE);
	CHECK_STR(o, "name\n\xc3\xa9t\xc3\xa9\n");
	free(o);
	o = print_one("\xed\xa0\x80", 3, STORE_FMT_TABLE);	/* a surrogate */
	CHECK_STR(o, "name\n\\xed\\xa0\\x80\n");
	free(o);
}

int
main(void)
{
	char	cmd[300];

	if (mkdtemp(tmpdir) == NULL) {
		perror("mkdtemp");
		return 99;
	}
	test_create();
	test_migrate();
	test_migrate_v2();
	test_writer();
	test_times();
	test_print();
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", tmpdir);
	return test_done("test_store");
}
