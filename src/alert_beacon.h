/*
 * alert_beacon.c: beacon verdicts.  Which packets are beats, the beats to
 * the detector (through beatq.c), and what a series found periodic raises:
 * an alert, or a record when the policy approves its destination.
 */
#ifndef EGRESSD_ALERT_BEACON_H
#define EGRESSD_ALERT_BEACON_H

#include <stdint.h>

#include "flow.h"

struct alert_windows;
struct app;
struct beacon;
struct event_counters;
struct geo;
struct mac_table;
struct pkt;
struct policy;
struct sinks;

/* A quiet spell inside a flow after which the appliance's next packet is a beat. */
#define ALERT_BEACON_GAP	(2 * 1000000LL)
#define ALERT_BEACON_NAMES	65536	/* names remembered for the reports */

/* What beacon verdicts read and where their alerts go. */
struct alert_beacon_in {
	struct app		*app;		/* passive DNS, or NULL */
	struct geo		*geo;		/* or NULL */
	const struct policy	*policy;	/* NULL: audit mode */
	const struct mac_table	*macs;		/* listed MACs seen, or NULL */
	struct alert_windows	*windows;	/* where verdicts are kept */
	struct sinks		*sinks;
	int			 threads;	/* 2: the detector in a thread
						   of its own */
};

struct alert_beacon;

struct alert_beacon *alert_beacon_new(const struct alert_beacon_in *);
void		 alert_beacon_free(struct alert_beacon *);
void		 alert_beacon_packet(struct alert_beacon *, struct flow *,
		    const struct flow_hit *, const struct pkt *);
void		 alert_beacon_flush(struct alert_beacon *);
void		 alert_beacon_series(struct alert_beacon *);
void		 alert_beacon_counters(struct alert_beacon *,
		    struct event_counters *);
struct beacon	*alert_beacon_detector(struct alert_beacon *);

#endif
