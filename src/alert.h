/* alert.h: what an alert says, for the sinks and the summary. */
#ifndef EGRESSD_ALERT_H
#define EGRESSD_ALERT_H

#include <stdint.h>

struct beacon_report;
struct geo_info;

/*
 * event.severity, ECS (a number the source defines): ours run from 1 to 10,
 * 10 the most urgent.
 */
#define ALERT_SEV_DENIED	9	/* a denied destination */
#define ALERT_SEV_BEACON	8	/* periodic call-home, not approved */
#define ALERT_SEV_DNS_BYPASS	7
#define ALERT_SEV_COPIES	7	/* traffic passed off as SPAN copies */
#define ALERT_SEV_EXFIL		7
#define ALERT_SEV_UNAPPROVED	5
#define ALERT_SEV_UNKNOWN	4	/* a host of no group talks outside */

#define ALERT_MSG_MAX		512

/* One alert; the pointers stay valid for the call that hands it out. */
struct alert {
	const char			*action;	/* event.action */
	int				 severity;
	const char			*rule;		/* rule.name */
	char				 message[ALERT_MSG_MAX];
	int64_t				 ts;		/* @timestamp, us */
	uint64_t			 id;		/* event.id, stable */
	uint64_t			 flow_id;	/* 0: none */
	uint8_t				 af;
	const uint8_t			*src;		/* the appliance */
	const uint8_t			*dst;		/* NULL: none */
	uint8_t				 proto;		/* 0: unknown */
	uint16_t			 dport;		/* 0: none */
	const struct geo_info		*geo;		/* NULL: unknown */
	const char			*domain;	/* NULL: none */
	const char			*name_source;	/* "dns", "tls", "http" */
	const char			*verdict;	/* egressd.verdict */
	const char			*group;		/* egressd.group */
	const char			*rule_at;	/* egressd.rule */
	uint64_t			 count;		/* contacts it stands
							   for; 0: one */
	const struct beacon_report	*beacon;	/* beacon alerts */
};

#endif
