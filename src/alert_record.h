/*
 * alert_record.c: the policy's alerts on finished flow records
 * (denied-destination, unapproved-destination, dns-bypass, exfil-volume,
 * unknown-appliance), and duplicate-flood, policy or not.
 */
#ifndef EGRESSD_ALERT_RECORD_H
#define EGRESSD_ALERT_RECORD_H

#include "event.h"

struct alert_windows;
struct policy;
struct sinks;

/* One alert for one (appliance, destination), at most, in this time. */
#define ALERT_DENIED_EVERY	(60 * 1000000LL)
#define ALERT_MAX_EXFIL		100000	/* appliances with exfil state */

struct alert_record;

struct alert_record *alert_record_new(const struct policy *,
		    struct alert_windows *, struct sinks *);
void		 alert_record_free(struct alert_record *);
void		 alert_record_set_policy(struct alert_record *,
		    const struct policy *);
void		 alert_record_flow(struct alert_record *,
		    const struct event_flow *);
uint64_t	 alert_record_copy_flows(const struct alert_record *);

#endif
