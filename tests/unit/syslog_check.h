/*
 * A reader of the syslog messages egressd makes, independent of the
 * writer (src/syslog_msg.c): it parses a message by the grammar of its
 * format (RFC 5424 header and structured data, CEF header and
 * extensions, a JSON body), undoes the escapes, and checks that every
 * field reads back as the ECS line it came from says.  Used by
 * tests/unit/test_syslog_msg.c and fuzz/fuzz_syslog.c.
 */
#ifndef EGRESSD_SYSLOG_CHECK_H
#define EGRESSD_SYSLOG_CHECK_H

#include <stddef.h>

#include "syslog_msg.h"

#define SC_FIELDS	64

struct sc_field {
	char	 key[40];
	char	*val;		/* unescaped, NUL-terminated */
	size_t	 n;
};

/* A message read back. */
struct sc_msg {
	int		 pri;
	char		*head[5];	/* TIMESTAMP HOSTNAME APP PROCID MSGID */
	char		*sdid;		/* rfc5424; NULL: "-" */
	char		*cef[7];	/* cef: the 6 header fields after CEF:0 */
	struct sc_field	 f[SC_FIELDS];	/* SD params, CEF extensions */
	int		 nf;
	char		*msg;		/* MSG, unescaped (NULL: none) */
	size_t		 msgn;
};

int		 sc_parse(enum syslog_fmt, const char *, size_t,
		    struct sc_msg *, char *, size_t);
const char	*sc_get(const struct sc_msg *, const char *);
void		 sc_free(struct sc_msg *);
int		 sc_check(enum syslog_fmt, const char *, size_t, const char *,
		    size_t, char *, size_t);

#endif
