/*
 * A sink for the unit tests of the detectors (test_alert_beacon.c,
 * test_alert_dns.c, test_alert_long.c): it keeps what a test checks of
 * each alert of the actions it asks for, the first SEEN_MAX of them.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "alert.h"
#include "seen.h"
#include "sink.h"

/* Start empty, keeping the alerts of actions (SEEN_ACTION bits). */
void
seen_init(struct seen *s, unsigned int actions)
{
	memset(s, 0, sizeof(*s));
	s->actions = actions;
}

/* The sink's alert: kept if its action is asked for and there is room. */
static void
seen_alert(void *arg, const struct alert *a)
{
	struct seen		*s = arg;
	struct seen_alert	*k;

	if ((s->actions & SEEN_ACTION(a->action)) == 0)
		return;
	if (s->n++ >= SEEN_MAX)
		return;
	k = &s->a[s->n - 1];
	k->action = a->action;
	k->ts = a->ts;
	k->count = a->count;
	k->naddrs = a->naddrs;
	k->carrier = a->carrier;
	k->duration = a->duration;
	k->bytes_out = a->bytes_out;
	k->bytes_in = a->bytes_in;
	k->polls = a->poll != NULL ? a->poll->polls : 0;
	snprintf(k->callhome, sizeof(k->callhome), "%s",
	    a->callhome ? a->callhome : "");
	snprintf(k->dns_domain, sizeof(k->dns_domain), "%s",
	    a->dns_domain ? a->dns_domain : "");
	snprintf(k->message, sizeof(k->message), "%s", a->message);
}

const struct sink_ops seen_ops = {
	.name = "seen",
	.alert = seen_alert,
};

/* How many of the kept alerts are of action. */
int
seen_count(const struct seen *s, enum alert_action action)
{
	int	i, n = 0;

	for (i = 0; i < s->n && i < SEEN_MAX; i++)
		if (s->a[i].action == action)
			n++;
	return n;
}

/* The last kept alert of action (an empty one if there is none). */
const struct seen_alert *
seen_last(const struct seen *s, enum alert_action action)
{
	static const struct seen_alert	none;
	int				i;

	for (i = (s->n < SEEN_MAX ? s->n : SEEN_MAX) - 1; i >= 0; i--)
		if (s->a[i].action == action)
			return &s->a[i];
	return &none;
}

/* The last kept alert (an empty one if there is none). */
const struct seen_alert *
seen_latest(const struct seen *s)
{
	static const struct seen_alert	none;

	if (s->n == 0)
		return &none;
	return &s->a[(s->n < SEEN_MAX ? s->n : SEEN_MAX) - 1];
}
