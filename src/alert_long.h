/*
 * alert_long.c: long-connection, a connection to a destination the policy
 * does not approve that stays open past a limit, reported once.
 */
#ifndef EGRESSD_ALERT_LONG_H
#define EGRESSD_ALERT_LONG_H

#include "event.h"

struct policy;
struct sinks;

#define ALERT_LONG_LIMIT	(3600 * 1000000LL)	/* default: 1 h */
#define ALERT_LONG_MAX		100000	/* connections followed at once */
#define ALERT_LONG_BUCKETS	4096

struct alert_long;

struct alert_long *alert_long_new(const struct policy *, struct sinks *);
void		 alert_long_set_policy(struct alert_long *,
		    const struct policy *);
void		 alert_long_free(struct alert_long *);
void		 alert_long_flow(struct alert_long *, const struct event_flow *);

#endif
