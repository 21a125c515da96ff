/*
 * alert.c: what an alert says, and what makes two alerts the same: the
 * stable id, and the suppression windows and marks kept per (kind,
 * appliance, key).
 */
#ifndef EGRESSD_ALERT_H
#define EGRESSD_ALERT_H

#include <stdint.h>

#include "app.h"
#include "policy.h"

struct beacon_report;
struct geo_info;

/*
 * event.severity, ECS (a number the source defines): ours run from 1 to 10,
 * 10 the most urgent.
 */
#define ALERT_SEV_DENIED	9	/* a denied destination */
#define ALERT_SEV_BEACON	8	/* periodic call-home, not approved */
#define ALERT_SEV_DNS_BYPASS	7
#define ALERT_SEV_EXFIL		7
#define ALERT_SEV_UNAPPROVED	5
#define ALERT_SEV_UNKNOWN	4	/* a host of no group talks outside */

#define ALERT_MSG_MAX		512
#define ALERT_KEY_MAX		300	/* a key's characters (a name, an address) */

#define ALERT_MAX_STATES	100000	/* windows and marks, LRU */
#define ALERT_STATE_BUCKETS	16384	/* their hash chains */

/* event.action */
enum alert_action {
	ALERT_DENIED,		/* denied-destination */
	ALERT_UNAPPROVED,	/* unapproved-destination */
	ALERT_DNS_BYPASS,	/* dns-bypass */
	ALERT_EXFIL,		/* exfil-volume */
	ALERT_UNKNOWN,		/* unknown-appliance */
	ALERT_BEACON,		/* beacon */
	ALERT_STROBE,		/* strobe */
};

/* One alert; the pointers stay valid for the call that hands it out. */
struct alert {
	enum alert_action		 action;
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
	enum app_name_source		 name_source;
	enum policy_verdict		 verdict;	/* egressd.verdict */
	const char			*group;		/* egressd.group */
	const char			*rule_file;	/* egressd.rule, or NULL */
	int				 rule_line;
	uint64_t			 count;		/* contacts it stands
							   for; 0: one */
	const struct beacon_report	*beacon;	/* beacon alerts */
};

/* What the windows have done. */
struct alert_stats {
	uint64_t	suppressed;	/* contacts an alert window covered */
	uint64_t	states_evicted;
};

struct alert_windows;

const char	*alert_action_name(enum alert_action);
uint64_t	 alert_id(const char *, uint8_t, const uint8_t *, const char *);
struct alert_windows *alert_windows_new(void);
void		 alert_windows_free(struct alert_windows *);
int		 alert_window(struct alert_windows *, const char *, uint8_t,
		    const uint8_t *, const char *, int64_t, int64_t,
		    uint64_t *);
int		*alert_mark(struct alert_windows *, const char *, uint8_t,
		    const uint8_t *, const char *);
const struct alert_stats *alert_stats(const struct alert_windows *);

#endif
