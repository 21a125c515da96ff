/*
 * readback FORMAT DB FILE: read the messages a syslog receiver wrote to
 * FILE (one a line, as received) back with tests/unit/syslog_check.c:
 * each must parse in FORMAT, name an alert of the store DB by its
 * event.id, and say field for field what that alert's ECS line says.
 * Prints "ID TIMESTAMP" in the order received (the test compares them
 * with the store; an id alone repeats when a finding is raised again), and "BAD N: why" for a message that does not read back; exit 1
 * if there was one.  DB "-": only parse (flow records, series).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sqlite3.h>

#include "syslog_check.h"
#include "syslog_msg.h"

/* The alert's id as the message gives it. */
static char *
readback_id(enum syslog_fmt f, const struct sc_msg *m)
{
	json_t		*j, *id;
	const char	*v = NULL;
	char		*out = NULL;

	if (f == SYSLOG_FMT_RFC5424)
		v = sc_get(m, "id");
	else if (f == SYSLOG_FMT_CEF)
		v = sc_get(m, "externalId");
	else if ((j = json_loadb(m->msg, m->msgn, 0, NULL)) != NULL) {
		id = json_object_get(json_object_get(j, "event"), "id");
		if (json_is_string(id))
			out = strdup(json_string_value(id));
		json_decref(j);
		return out;
	}
	return v != NULL ? strdup(v) : NULL;
}

/* Parse only: each message by its format's grammar; 0, or 1. */
static int
readback_parse(enum syslog_fmt f, const char *path)
{
	struct sc_msg	 m;
	FILE		*fp;
	char		*line = NULL, why[300];
	size_t		 cap = 0, len;
	ssize_t		 n;
	long		 no = 0;
	int		 bad = 0;

	if ((fp = fopen(path, "r")) == NULL) {
		perror(path);
		return 2;
	}
	while ((n = getline(&line, &cap, fp)) > 0) {
		no++;
		len = (size_t)n;
		if (line[len - 1] == '\n')
			line[--len] = '\0';
		if (sc_parse(f, line, len, &m, why, sizeof(why)) == -1) {
			printf("BAD %ld: %s\n", no, why);
			bad = 1;
		} else
			printf("ok\n");
		sc_free(&m);
	}
	free(line);
	fclose(fp);
	return bad;
}

int
main(int argc, char *argv[])
{
	enum syslog_fmt	 f;
	struct sc_msg	 m;
	sqlite3		*db;
	sqlite3_stmt	*st;
	FILE		*fp;
	char		*line = NULL, *id, *ts = NULL, why[300];
	size_t		 cap = 0, len;
	ssize_t		 n;
	long		 no = 0;
	int		 bad = 0, rc;

	if (argc != 4 || syslog_fmt_byname(argv[1], &f) == -1) {
		fprintf(stderr, "usage: readback rfc5424|cef|json DB FILE\n");
		return 2;
	}
	if (strcmp(argv[2], "-") == 0)
		return readback_parse(f, argv[3]);
	/* the store has no index on id: a copy in a temporary table has */
	if (sqlite3_open_v2(argv[2], &db, SQLITE_OPEN_READONLY, NULL) !=
	    SQLITE_OK || sqlite3_exec(db, "CREATE TEMP TABLE a AS SELECT"
	    " seq, id, ecs FROM alerts;"
	    " CREATE INDEX temp.a_id ON a (id)", NULL, NULL, NULL) !=
	    SQLITE_OK || sqlite3_prepare_v2(db, "SELECT ecs FROM a WHERE"
	    " id = ?1", -1, &st, NULL) != SQLITE_OK) {
		fprintf(stderr, "readback: %s: %s\n", argv[2],
		    sqlite3_errmsg(db));
		return 2;
	}
	if ((fp = fopen(argv[3], "r")) == NULL) {
		perror(argv[3]);
		return 2;
	}
	while ((n = getline(&line, &cap, fp)) > 0) {
		no++;
		len = (size_t)n;
		if (line[len - 1] == '\n')
			line[--len] = '\0';
		why[0] = '\0';
		if (sc_parse(f, line, len, &m, why, sizeof(why)) == -1 ||
		    (id = readback_id(f, &m)) == NULL) {
			printf("BAD %ld: %s\n", no, why[0] ? why : "no id");
			sc_free(&m);
			bad = 1;
			continue;
		}
		ts = strdup(m.head[0]);
		sc_free(&m);
		/* an id repeats for the same finding raised again: any */
		sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
		rc = -1;
		why[0] = '\0';
		while (rc == -1 && sqlite3_step(st) == SQLITE_ROW)
			if (sqlite3_column_text(st, 0) != NULL)
				rc = sc_check(f, line, len,
				    (const char *)sqlite3_column_text(st, 0),
				    (size_t)sqlite3_column_bytes(st, 0), why,
				    sizeof(why));
		if (rc == -1) {
			printf("BAD %ld: id %s: %s\n", no, id, why[0] ? why :
			    "no alert of the store");
			bad = 1;
		} else
			printf("%s %s\n", id, ts);
		free(ts);
		sqlite3_reset(st);
		free(id);
	}
	free(line);
	fclose(fp);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return bad;
}
