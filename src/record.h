/* record.c: a finished flow record, named and handed to the outputs. */
#ifndef EGRESSD_RECORD_H
#define EGRESSD_RECORD_H

#include "flow.h"

struct app;
struct detect;
struct geo;
struct mac_table;
struct policy;
struct sink_json;
struct summary;

/* Where records go and what names them; any output may be NULL. */
struct record_out {
	struct geo		*geo;
	struct app		*app;	/* its passive DNS names destinations */
	struct sink_json	*json;
	struct summary		*sum;
	const struct policy	*policy;	/* NULL: audit mode */
	struct detect		*detect;	/* alerts from records */
	const struct mac_table	*macs;		/* listed MACs seen, or NULL */
};

struct record;

struct record	*record_new(const struct record_out *);
void		 record_free(struct record *);
void		 record_flow(struct record *, const struct flow *,
		    enum flow_reason);

#endif
