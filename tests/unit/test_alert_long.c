/*
 * Unit tests for long-connection (alert_long.c): reported once past the
 * limit with the bytes of all its records, at the record that crosses it
 * or at the end of one that closed between two; never to an approved
 * destination, never for UDP that is not QUIC.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alert.h"
#include "alert_long.h"
#include "app.h"
#include "event.h"
#include "flow.h"
#include "policy.h"
#include "sink.h"
#include "seen.h"
#include "test.h"

#define SEC	1000000LL
#define T0	(1772438400LL * SEC)

/*
 * The records of a connection of proto, open from T0 for secs with a
 * packet every 10 s and a record every 300 s (the active timeout), each
 * of 1000 bytes out and 5000 in; the last record ends it (FLOW_R_END)
 * unless it is still open at the end of the run (FLOW_R_SHUTDOWN).
 */
static void
connection(struct alert_long *al, uint8_t proto, int64_t secs,
    enum policy_verdict v, uint64_t id)
{
	struct event_flow	ev;
	struct flow		f;
	int64_t			rec;

	memset(&f, 0, sizeof(f));
	f.key.af = 4;
	f.key.proto = proto;
	memcpy(f.key.addr[0], "\x0a\x00\x00\x05", 4);
	memcpy(f.key.addr[1], "\xcb\x00\x71\x07", 4);
	f.key.port[0] = 40000;
	f.key.port[1] = 8883;
	f.id = id;
	f.start = T0;
	for (rec = 0; rec < secs; rec += 300) {
		f.first = f.rec_start = T0 + rec * SEC;
		f.last = T0 + (rec + 300 < secs ? rec + 290 : secs) * SEC;
		f.bytes[0] = 1000;
		f.bytes[1] = 5000;
		memset(&ev, 0, sizeof(ev));
		ev.flow = &f;
		ev.reason = rec + 300 < secs ? FLOW_R_ACTIVE : FLOW_R_END;
		ev.verdict = v;
		alert_long_flow(al, &ev);
	}
}

int
main(void)
{
	struct sinks		*sinks = sinks_new();
	struct seen		 seen;
	struct alert_long	*al;

	seen_init(&seen, SEEN_ACTION(ALERT_LONG));
	sinks_add(sinks, &seen_ops, &seen);
	al = alert_long_new(NULL, sinks);

	/* 2 hours, unreviewed: once, at the record past the hour */
	connection(al, 6, 7200, POLICY_UNREVIEWED, 1);
	CHECK_EQ(seen.n, 1);
	CHECK_EQ(seen_latest(&seen)->duration, 3890 * SEC);
	CHECK_EQ(seen_latest(&seen)->bytes_out, 13 * 1000);
	CHECK_EQ(seen_latest(&seen)->bytes_in, 13 * 5000);
	CHECK(strstr(seen_latest(&seen)->message, "open for 1.08 h") !=
	    NULL);

	/* 50 minutes: none; approved: none; NTP over UDP: none */
	connection(al, 6, 3000, POLICY_UNREVIEWED, 2);
	connection(al, 6, 7200, POLICY_APPROVED, 3);
	connection(al, 17, 7200, POLICY_UNAPPROVED, 4);
	CHECK_EQ(seen.n, 1);

	/* closed between two records past the hour: at its end */
	connection(al, 6, 3650, POLICY_DENIED, 5);
	CHECK_EQ(seen.n, 2);
	CHECK_EQ(seen_latest(&seen)->duration, 3650 * SEC);
	CHECK(strstr(seen_latest(&seen)->message, "that was open for") !=
	    NULL);
	alert_long_free(al);
	sinks_close(sinks);
	return test_done("test_alert_long");
}
