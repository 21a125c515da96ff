/* record.c: a finished flow record, named, judged and handed to the sinks. */
#ifndef EGRESSD_RECORD_H
#define EGRESSD_RECORD_H

#include "flow.h"

struct alert_record;
struct app;
struct geo;
struct mac_table;
struct policy;
struct sinks;

/* What names and judges records, and where they go; any may be NULL. */
struct record_in {
	struct geo		*geo;
	struct app		*app;		/* its passive DNS names
						   destinations */
	const struct policy	*policy;	/* NULL: audit mode */
	const struct mac_table	*macs;		/* listed MACs seen */
	struct alert_record	*alerts;	/* alerts from records */
	struct sinks		*sinks;
};

struct record;

struct record	*record_new(const struct record_in *);
void		 record_free(struct record *);
void		 record_set_policy(struct record *, const struct policy *);
void		 record_flow(struct record *, const struct flow *,
		    enum flow_reason);

#endif
