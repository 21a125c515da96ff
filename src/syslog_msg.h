/*
 * syslog_msg.c: an event's ECS JSON line (as sink_json writes it, and as
 * the store keeps an alert's) made into one syslog message, in one of
 * three formats:
 *
 *   rfc5424  RFC 5424, the key fields in structured data egressd@32473
 *   cef      the same header, a CEF:0 message as MSG
 *   json     the same header, the ECS line itself as MSG
 *
 * Every value from the wire is escaped for the format it goes into, and
 * no control character survives outside the JSON line's own escapes: a
 * message is one line, whatever the names in it hold.  Framing (octet
 * counting, a datagram) is the transport's.
 */
#ifndef EGRESSD_SYSLOG_MSG_H
#define EGRESSD_SYSLOG_MSG_H

#include <stddef.h>

/* 32473 is the private enterprise number for documentation (RFC 5612). */
#define SYSLOG_MSG_SDID		"egressd@32473"
#define SYSLOG_MSG_HOSTMAX	255
#define SYSLOG_FACILITY_DEFAULT	16	/* local0 */

enum syslog_fmt {
	SYSLOG_FMT_RFC5424,
	SYSLOG_FMT_CEF,
	SYSLOG_FMT_JSON,
};

/* A message being built. */
struct syslog_buf {
	char	*p;
	size_t	 len, cap;
};

/* What every message's header says of its sender. */
struct syslog_head {
	const char	*hostname;	/* NULL: "-" */
	int		 pid;
	int		 facility;	/* 0 to 23 */
};

const char	*syslog_fmt_name(enum syslog_fmt);
int		 syslog_fmt_byname(const char *, enum syslog_fmt *);
int		 syslog_severity(int);
int		 syslog_msg(enum syslog_fmt, const struct syslog_head *,
		    const char *, size_t, struct syslog_buf *);
const char	*syslog_msg_field(enum syslog_fmt, const char *,
		    const char **);
void		 syslog_buf_free(struct syslog_buf *);

#endif
