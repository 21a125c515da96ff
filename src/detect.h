/* detect.c: the detectors fed by packets and records, and their alerts. */
#ifndef EGRESSD_DETECT_H
#define EGRESSD_DETECT_H

#include <stdint.h>
#include <stdio.h>

#include "flow.h"

struct app;
struct beacon;
struct geo;
struct mac_table;
struct pkt;
struct policy;
struct policy_result;
struct sink_json;

/* A quiet spell inside a flow after which the appliance's next packet is a beat. */
#define DETECT_BEAT_GAP		(2 * 1000000LL)
#define DETECT_MAX_ALERTS	10000	/* kept for the summary */
#define DETECT_MAX_STATES	100000	/* suppression states, LRU */
#define DETECT_STATE_BUCKETS	16384	/* their hash chains */
#define DETECT_DENIED_EVERY	(60 * 1000000LL)	/* rate of one pair */

/* What the detectors read and where their alerts go; any may be NULL. */
struct detect_in {
	struct app		*app;	/* passive DNS */
	struct geo		*geo;
	struct sink_json	*json;
	const struct policy	*policy;	/* NULL: audit mode */
	int			 no_beacons;	/* no beacon detection */
	int			 threads;	/* 2: beacons in a thread of
						   their own */
	const struct mac_table	*macs;		/* listed MACs seen, or NULL */
};

struct detect_stats {
	uint64_t	beats;		/* fed to the beacon detector */
	uint64_t	alerts;
	uint64_t	beacons_recorded;	/* periodic, approved: no alert */
	uint64_t	suppressed;	/* contacts an alert window covered */
	uint64_t	states_evicted;
	uint64_t	copy_flows;	/* records mostly SPAN copies */
};

struct detect;

struct detect	*detect_new(const struct detect_in *);
void		 detect_free(struct detect *);
void		 detect_packet(struct detect *, struct flow *,
		    const struct flow_hit *, const struct pkt *);
void		 detect_record(struct detect *, const struct flow *,
		    const struct flow_meta *, const struct policy_result *);
void		 detect_flush(struct detect *);
void		 detect_print(struct detect *, FILE *);
void		 detect_counters(struct detect *, FILE *);
const struct detect_stats *detect_stats(const struct detect *);
struct beacon	*detect_beacon(struct detect *);

#endif
