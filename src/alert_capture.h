/*
 * alert_capture.c: the sensor's own alert, capture-loss: the kernel or
 * the interface dropped packets the sensor therefore never saw.
 */
#ifndef EGRESSD_ALERT_CAPTURE_H
#define EGRESSD_ALERT_CAPTURE_H

#include <stdint.h>

struct sinks;

/* What was lost on an interface in one stats interval. */
struct alert_capture_loss {
	const char	*ifname;
	int64_t		 ts;		/* the interval's end, packet time */
	int64_t		 interval;	/* us */
	uint64_t	 kernel;	/* drops in the interval */
	uint64_t	 interface;
	uint64_t	 threshold;
};

void	alert_capture_loss(struct sinks *, const struct alert_capture_loss *);

#endif
