/*
 * The capture-loss alert.  It has no appliance: its source is the
 * unspecified address 0.0.0.0 (the sensor itself), its key the interface
 * and the interval, so each interval over the threshold is one alert.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "alert.h"
#include "alert_capture.h"
#include "sink.h"

/* Raise capture-loss for what l says was dropped. */
void
alert_capture_loss(struct sinks *sinks, const struct alert_capture_loss *l)
{
	static const uint8_t	 sensor[16];
	struct alert		 a;
	char			 key[ALERT_KEY_MAX];

	memset(&a, 0, sizeof(a));
	a.action = ALERT_CAPTURE_LOSS;
	a.severity = ALERT_SEV_CAPTURE_LOSS;
	a.rule = alert_action_name(ALERT_CAPTURE_LOSS);
	a.ts = l->ts;
	a.af = 4;
	a.src = sensor;
	a.verdict = POLICY_UNREVIEWED;
	snprintf(key, sizeof(key), "%.200s %" PRId64, l->ifname, l->ts);
	a.id = alert_id(a.rule, a.af, a.src, key);
	snprintf(a.message, sizeof(a.message), "%.64s: %" PRIu64 " packets "
	    "dropped in %" PRId64 " s (%" PRIu64 " by the kernel, %" PRIu64
	    " by the interface), at or over the threshold of %" PRIu64 ": "
	    "flows, beacons and alerts may be missing", l->ifname,
	    l->kernel + l->interface, l->interval / 1000000, l->kernel,
	    l->interface, l->threshold);
	sinks_alert(sinks, &a);
}
