/* sink_sqlite.c: the SQLite audit store (-w, database) as a sink. */
#ifndef EGRESSD_SINK_SQLITE_H
#define EGRESSD_SINK_SQLITE_H

#include <stddef.h>
#include <stdint.h>

struct mac_table;
struct sink_ops;
struct sink_sqlite;

#define SINK_SQLITE_BATCH_ROWS		50000		/* rows a transaction */
#define SINK_SQLITE_BATCH_LIVE		1000000		/* us of packet time */
#define SINK_SQLITE_BATCH_OFFLINE	60000000
#define SINK_SQLITE_RETENTION		(90 * 86400 * (int64_t)1000000)

/* What a run of the store is. */
struct sink_sqlite_config {
	const char		*path;
	const char		*source;	/* interface, first capture */
	int			 live;
	int			 audit;		/* no policy */
	int			 threaded;	/* the writer in a thread */
	int			 force;		/* read known captures again */
	size_t			 batch_rows;	/* 0: the default */
	int64_t			 batch_interval;	/* us; 0: the default */
	int64_t			 retention;	/* us; 0: keep everything */
	const struct mac_table	*macs;		/* appliances' MACs, or NULL */
};

extern const struct sink_ops sink_sqlite_ops;

struct sink_sqlite *sink_sqlite_open(const struct sink_sqlite_config *,
		    char *, size_t);

#endif
