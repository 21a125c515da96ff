/*
 * alert_beacon.c: beacon verdicts.  Which packets are beats, the beats to
 * the detector (through beatq.c), and what a series found periodic raises:
 * an alert, or a record when the policy approves its destination.
 */
#ifndef EGRESSD_ALERT_BEACON_H
#define EGRESSD_ALERT_BEACON_H

#include <stdint.h>

#include "flow.h"
#include "policy.h"

struct alert_windows;
struct app;
struct beacon;
struct domain;
struct event_counters;
struct geo;
struct mac_table;
struct pkt;
struct policy;
struct sinks;

/* A quiet spell inside a flow after which its next packet is a beat. */
#define ALERT_BEACON_GAP	(2 * 1000000LL)
/*
 * How long a TCP connection must have carried nothing but keep-alive
 * probes before its probes are beats: longer than clients keep an idle
 * pooled connection open (a browser's: 2 to 5 minutes).
 */
#define ALERT_BEACON_KA_IDLE	(300 * 1000000LL)
#define ALERT_BEACON_NAMES	65536	/* names remembered for the reports */
#define ALERT_BEACON_WINDOW	(86400 * 1000000LL)	/* one call-home, one
							   alert a day */
#define ALERT_BEACON_HOMES	16384	/* call-homes remembered, at most */
#define ALERT_BEACON_HOME_ADDRS	8	/* new addresses listed per alert */
#define ALERT_BEACON_KA_SLOTS	4096	/* connections' keep-alive state */
#define ALERT_BEACON_QNAME	256	/* of a look-up's name, kept */
#define ALERT_BEACON_PKI_SLOTS	4096	/* services that only checked
					   certificates */

/* What beacon verdicts read and where their alerts go. */
struct alert_beacon_in {
	struct app		*app;		/* passive DNS, or NULL */
	struct geo		*geo;		/* or NULL */
	const struct policy	*policy;	/* NULL: audit mode */
	const struct mac_table	*macs;		/* listed MACs seen, or NULL */
	struct alert_windows	*windows;	/* where verdicts are kept */
	struct sinks		*sinks;
	const struct domain	*domains;	/* registered domains, or NULL */
	int			 threads;	/* 2: the detector in a thread
						   of its own */
};

/*
 * One DNS query of an appliance, a beat of the series of what it looks up:
 * the registered domain of the name, or for a name under no listed suffix
 * the server it was sent to (only that server can answer it).
 */
struct alert_beacon_lookup {
	int64_t		 ts;
	uint8_t		 af;
	const uint8_t	*appliance;
	const uint8_t	*server;	/* the resolver, or the server asked */
	const char	*qname;		/* the name asked for */
	const char	*domain;	/* its registered domain, or NULL: keyed
					   by the server */
	uint32_t	 bytes;		/* of the query */
	uint64_t	 flow_id;	/* of the query's flow */
	uint16_t	 sport;		/* the query's ports */
	uint8_t		 proto;
};

/* The verdict on what an appliance looks up (alert_dns.c judges it). */
typedef enum policy_verdict (*alert_beacon_judge_cb)(void *,
    const struct alert_beacon_lookup *, const uint8_t *);

struct alert_beacon;

struct alert_beacon *alert_beacon_new(const struct alert_beacon_in *);
void		 alert_beacon_free(struct alert_beacon *);
void		 alert_beacon_set_policy(struct alert_beacon *,
		    const struct policy *);
void		 alert_beacon_packet(struct alert_beacon *, struct flow *,
		    const struct flow_hit *, const struct pkt *);
void		 alert_beacon_lookup(struct alert_beacon *,
		    const struct alert_beacon_lookup *);
void		 alert_beacon_set_judge(struct alert_beacon *,
		    alert_beacon_judge_cb, void *);
void		 alert_beacon_flush(struct alert_beacon *);
void		 alert_beacon_series(struct alert_beacon *);
void		 alert_beacon_counters(struct alert_beacon *,
		    struct event_counters *);
struct beacon	*alert_beacon_detector(struct alert_beacon *);

#endif
