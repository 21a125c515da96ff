/*
 * seen.c: the unit tests' sink that keeps the alerts it is handed, of
 * the actions a test asks for.
 */
#ifndef EGRESSD_SEEN_H
#define EGRESSD_SEEN_H

#include <stddef.h>
#include <stdint.h>

#include "alert.h"

struct sink_ops;

#define SEEN_MAX	64		/* alerts kept; more are counted */
#define SEEN_ACTION(a)	(1u << (a))	/* for the mask of seen_init */

/* What a test asks of one alert. */
struct seen_alert {
	enum alert_action	 action;
	int64_t			 ts;
	uint64_t		 count;
	size_t			 naddrs;
	enum alert_carrier	 carrier;
	int64_t			 duration;
	uint64_t		 bytes_out, bytes_in;
	uint64_t		 polls;		/* dns-poll: re-asks */
	char			 callhome[64];
	char			 dns_domain[300];
	char			 message[ALERT_MSG_MAX];
};

/* The alerts of the actions in the mask, in the order raised. */
struct seen {
	unsigned int		 actions;
	int			 n;		/* of those, kept or not */
	struct seen_alert	 a[SEEN_MAX];
};

extern const struct sink_ops seen_ops;

void	seen_init(struct seen *, unsigned int);
int	seen_count(const struct seen *, enum alert_action);
const struct seen_alert *seen_last(const struct seen *, enum alert_action);
const struct seen_alert *seen_latest(const struct seen *);

#endif
