/*
 * store_write.c: the writer of the audit store.  The sink (sink_sqlite.c)
 * gathers rows into a batch; the writer commits each batch in one
 * transaction, in the order handed over, in a thread of its own or in the
 * caller's.  A batch that cannot be written (disk full, read-only, locked)
 * is kept and tried again; a clear line says so, and another when writing
 * resumes.
 */
#ifndef EGRESSD_STORE_WRITE_H
#define EGRESSD_STORE_WRITE_H

#include <stddef.h>
#include <stdint.h>

#include "alert.h"
#include "beacon.h"
#include "geo.h"
#include "policy.h"

#define STORE_QUEUE_MAX		2	/* batches waiting for the writer */
#define STORE_RETRY_MS		1000	/* between attempts after a failure */
#define STORE_RETAIN_ROWS	1000	/* rows a table loses per batch */
#define STORE_SHA256_HEX	65	/* FILESUM_HEX */

struct filesum;

/* An address, zero-padded: a key of the batch's maps. */
struct store_addr {
	uint8_t		af;
	uint8_t		addr[16];
};

struct store_appliance {
	struct store_addr	 key;
	uint8_t			 mac[6];
	uint8_t			 has_mac;
	const char		*group;
	int64_t			 first, last;
};

struct store_destination {
	struct store_addr	 key;
	uint32_t		 asn;		/* 0: unknown */
	char			 country[3];
	const char		*org;		/* NULL: unknown */
	int64_t			 first, last;
};

struct store_name {
	uint32_t		 appliance, destination;	/* rows */
	const char		*name;
	uint8_t			 source;	/* enum app_name_source */
	int64_t			 first, last;
};

/* The key of a flows row: hour, appliance, destination, port, verdict. */
struct store_flow_key {
	int64_t			 hour;
	uint32_t		 appliance, destination;	/* rows */
	uint16_t		 port;
	uint8_t			 proto;
	uint8_t			 verdict;	/* enum policy_verdict */
};

struct store_flow {
	struct store_flow_key	 key;
	uint64_t		 flows, records;
	uint64_t		 pkts_out, bytes_out, pkts_in, bytes_in;
	int64_t			 first, last;
	const char		*group, *rule, *name;
	uint8_t			 app;		/* enum app_proto */
};

/*
 * An alert, its strings, report and tunnel figures copied; addrs is the
 * new addresses as text ("a,b"), ecs its whole JSON line (no newline).
 */
struct store_alert {
	struct alert		 a;
	uint8_t			 src[16], dst[16];
	struct geo_info		 geo;
	struct beacon_report	 beacon;
	struct alert_tunnel	 tunnel;
	const char		*addrs;
	const char		*ecs;
};

struct store_series {
	struct beacon_report	 r;
	uint32_t		 appliance;	/* row */
	const char		*name;		/* BEACON_G_NAME, or NULL */
	int			 judged;
	enum policy_verdict	 verdict;
	const uint8_t		*beat_times;	/* 8-byte LE us, or NULL */
	size_t			 nbeat_times;
};

struct store_counter {
	int64_t			 minute;	/* INT64_MIN: the run's end */
	const char		*name;
	uint64_t		 value;
};

/*
 * A capture file begun (done 0) or read (done 1).  Begun, its hash is
 * sha256 or, while it is still being taken, sum's: the writer waits for
 * it before the transaction that inserts the row, so no row of the
 * capture is ever committed before its hash.
 */
struct store_capture {
	int			 index;		/* in the run */
	int			 done;
	int			 cut;		/* ended in a broken record */
	const char		*path;
	int64_t			 size;		/* -1: unknown */
	char			 sha256[STORE_SHA256_HEX];	/* "": none */
	struct filesum		*sum;		/* the hash still being taken */
	int64_t			 first, last;
	uint64_t		 packets;
};

/* Strings of a batch, in chunks freed with it. */
struct store_arena {
	char			*chunk;
	size_t			 used, size;
	struct store_chunk	*old;
};

/* One transaction's worth of rows. */
struct store_batch {
	struct store_batch	*next;		/* in the writer's queue */
	uint64_t		 seq;
	struct store_arena	 arena;
	struct store_appliance	*appliances;
	struct store_destination *destinations;
	struct store_name	*names;
	struct store_flow	*flows;
	struct store_alert	*alerts;
	struct store_series	*series;
	struct store_counter	*counters;
	struct store_capture	*captures;
	size_t			 nappliances, ndestinations, nnames, nflows;
	size_t			 nalerts, nseries, ncounters, ncaptures;
	size_t			 cappliances, cdestinations, cnames, cflows;
	size_t			 calerts, cseries, ccounters, ccaptures;
	uint64_t		 records;	/* flow records in it */
	uint64_t		 dropped;	/* flow records let go */
	int64_t			 first_ts, last_ts;	/* packet time */
};

/* What a run is, for its row in runs. */
struct store_run {
	const char		*mode;		/* offline, live */
	const char		*source;
	int			 audit;
};

/* How the writer works. */
struct store_config {
	const char		*path;
	int			 threaded;	/* a thread of its own */
	int			 live;		/* never wait for the writer */
	int64_t			 retention;	/* us; 0: keep everything */
};

/* What the writer has done. */
struct store_stats {
	uint64_t		 batches, rows, failures, dropped;
	uint64_t		 records, alerts;	/* committed */
	uint64_t		 lost;		/* batches never written */
};

struct store_writer;

void		*store_arena_alloc(struct store_arena *, size_t);
const char	*store_arena_str(struct store_arena *, const char *);
struct store_batch *store_batch_new(void);
void		 store_batch_free(struct store_batch *);
size_t		 store_batch_rows(const struct store_batch *);

struct store_writer *store_writer_open(const struct store_config *,
		    const struct store_run *, char *, size_t);
struct store_batch *store_writer_batch(struct store_writer *);
void		 store_writer_submit(struct store_writer *,
		    struct store_batch *);
int		 store_writer_capture(struct store_writer *, const char *,
		    int64_t *, char *, size_t);
int		 store_writer_capture_size(struct store_writer *, int64_t);
uint64_t	 store_writer_queued(struct store_writer *);
int		 store_writer_close(struct store_writer *);
const struct store_stats *store_writer_stats(const struct store_writer *);

#endif
