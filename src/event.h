/*
 * event.c: what the engine hands to the sinks besides alerts (alert.h):
 * finished flow records, beacon series, and counters with the run they
 * belong to.  Events carry enums and numbers; a sink turns them into
 * words.
 */
#ifndef EGRESSD_EVENT_H
#define EGRESSD_EVENT_H

#include <stddef.h>
#include <stdint.h>

#include "app.h"
#include "flow.h"
#include "policy.h"

struct beacon_report;
struct filesum;
struct geo_info;

#define EVENT_COUNTER_NAME	48

/* A finished flow record and what is known of its destination. */
struct event_flow {
	const struct flow	*flow;
	enum flow_reason	 reason;
	const struct geo_info	*geo;		/* ASN and country, or NULL */
	const char		*domain;	/* destination.domain, or NULL */
	enum app_name_source	 name_source;
	const char		*cname;		/* "a,b" after the name, or NULL */
	enum policy_verdict	 verdict;	/* egressd.verdict */
	const char		*group;		/* egressd.group, or NULL */
	const char		*rule;		/* rule.name, or NULL */
	const char		*rule_file;	/* egressd.rule: where, or NULL */
	int			 rule_line;
	unsigned int		 evidence;	/* POLICY_EV_* a domain rule
						   matched */
};

/* A beacon series found periodic, as it stands. */
struct event_series {
	const struct beacon_report *report;
	const char		*name;		/* BEACON_G_NAME: the name, or
						   NULL if no longer known */
	int			 judged;	/* 0: the beat's verdict was
						   kept under another series */
	enum policy_verdict	 verdict;
	const int64_t		*beat_times;	/* its last beats (us), oldest
						   first, or NULL */
	size_t			 nbeat_times;
	int			 folded;	/* into the alert of an earlier
						   series of its call-home */
};

/* A capture file of an offline run: about to be read, or read. */
struct event_capture {
	const char		*path;		/* "-": standard input */
	int			 index;		/* in the order given */
	struct filesum		*sum;		/* its SHA-256 (filesum.c), or
						   NULL: not a regular file */
	int			 done;		/* 0: begun; 1: read */
	int			 cut;		/* ended in a broken record */
	uint64_t		 packets;	/* done: packets read */
	int64_t			 first_ts, last_ts;	/* done, packets > 0 */
};

/* One counter; share_of >= 0: it is a part of the counter at that index. */
struct event_counter {
	char		name[EVENT_COUNTER_NAME];
	uint64_t	value;
	int		share_of;
};

/* What an offline run was: its inputs, span and head figures. */
struct event_run {
	const char	**files;
	int		  nfiles;
	int64_t		  first_ts, last_ts;	/* packet time */
	double		  seconds;		/* wall clock of the run */
	int		  audit;		/* no policy */
	const char	 *policy;		/* its file, or NULL */
	const char	 *asn_db, *country_db;	/* NULL: none */
	uint64_t	  packets, flow_packets, flow_bytes;
	uint64_t	  duplicates, truncated;
	uint64_t	  flows, records, evicted;
	size_t		  peak;			/* flows live at once */
};

/* Every counter of the engine, in order; run is set at the end of a run. */
struct event_counters {
	struct event_counter	*v;
	size_t			 n, cap;
	const struct event_run	*run;		/* NULL: not the end */
	int64_t			 ts;		/* packet time handed over */
};

void	event_counter(struct event_counters *, const char *, uint64_t);
void	event_counter_share(struct event_counters *, const char *, uint64_t,
	    const char *);
void	event_counters_free(struct event_counters *);

#endif
