/* summary.c: the readable audit summary of an offline run. */
#ifndef EGRESSD_SUMMARY_H
#define EGRESSD_SUMMARY_H

#include <stdint.h>
#include <stdio.h>

#include "flow.h"

struct app;
struct decoder;
struct geo;

#define SUMMARY_MAX_HOSTS	100000
#define SUMMARY_MAX_PAIRS	1000000
#define SUMMARY_TOP		5
#define SUMMARY_NAME_MAX	255	/* characters of a name kept */

struct summary_run {
	const char	**files;
	int		  nfiles;
	int64_t		  first_ts, last_ts;
	double		  seconds;	/* wall clock of the run */
	struct geo	 *geo;		/* NULL: no database */
	const struct app *app;		/* NULL: no application layer */
	void		(*sections)(void *, FILE *);	/* more, or NULL */
	void		(*counters)(void *, FILE *);	/* more, or NULL */
	void		 *sections_arg;			/* of both */
};

struct summary;

struct summary	*summary_new(void);
void		 summary_free(struct summary *);
void		 summary_flow(struct summary *, const struct flow *,
		    const struct flow_meta *);
void		 summary_counter(FILE *, const char *, uint64_t);
void		 summary_print(struct summary *, FILE *,
		    const struct summary_run *, const struct decoder *,
		    const struct flow_stats *);

#endif
