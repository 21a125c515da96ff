/*
 * sink_syslog.c: alerts (and, if asked, beacon series and flow records)
 * to a syslog receiver: the local socket, UDP, TCP with RFC 6587 octet
 * counting, or TLS (RFC 5425), in one of the formats of syslog_msg.h.
 *
 * Alerts are sent from the audit store's outbox, never from memory: the
 * store commits an alert first, and this sink reads the outbox in order,
 * sends, and marks what the receiver has taken as delivered.  A receiver
 * that is away makes the outbox grow (up to queue-limit alerts), the
 * sink reconnects with back-off, and a restart goes on where the last run
 * stopped.  Flow records and series are sent when there is a connection
 * and room, else counted as lost.
 */
#ifndef EGRESSD_SINK_SYSLOG_H
#define EGRESSD_SINK_SYSLOG_H

#include <stddef.h>

struct policy_syslog;
struct sink_syslog;
struct sink_ops;

extern const struct sink_ops sink_syslog_ops;

#define SINK_SYSLOG_LIVE_WAIT	(3 * 1000000LL)	/* at SIGTERM, at most */

struct sink_syslog *sink_syslog_open(const struct policy_syslog *,
		    const char *, int, char *, size_t);

#endif
