/* Logging in the OpenBSD daemon style: stderr when in the foreground, syslog otherwise. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "log.h"

/* A byte log_escape leaves as it is: not a control character. */
#define LOG_PLAIN(c)	((c) >= 0x20 && (c) != 0x7f)

static const char	*log_progname = "egressd";
static int		 log_foreground = 1;
static int		 log_verbose;

/* Set where messages go and how much is said. */
void
log_init(const char *progname, int foreground, int verbose)
{
	log_progname = progname;
	log_foreground = foreground;
	log_verbose = verbose;
	if (!foreground)
		openlog(progname, LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

/* Change the verbosity after start-up (-v). */
void
log_setverbose(int verbose)
{
	log_verbose = verbose;
}

/*
 * s with each control character (below 0x20, and 0x7f) as \DDD, in out
 * (outlen bytes, cut short if it is too small): a name the operator or
 * the wire gave (a file name with a newline or a terminal escape) can
 * neither start a line of its own nor drive a terminal.  Returns out.
 */
const char *
log_escape(const char *s, char *out, size_t outlen)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 o = 0;

	if (outlen == 0)
		return out;
	for (; *p != '\0'; p++) {
		if (LOG_PLAIN(*p)) {
			if (o + 1 >= outlen)
				break;
			out[o++] = (char)*p;
			continue;
		}
		if (o + 4 >= outlen)
			break;
		out[o++] = '\\';
		out[o++] = (char)('0' + *p / 100);
		out[o++] = (char)('0' + *p / 10 % 10);
		out[o++] = (char)('0' + *p % 10);
	}
	out[o] = '\0';
	return out;
}

/*
 * s written to fp as log_escape would give it, however long: for a name
 * the operator gave, printed whole in a line of its own making.
 */
void
log_escape_print(FILE *fp, const char *s)
{
	const unsigned char	*p;

	for (p = (const unsigned char *)s; *p != '\0'; p++)
		if (LOG_PLAIN(*p))
			putc(*p, fp);
		else
			fprintf(fp, "\\%03u", *p);
}

/* Write one message at a syslog priority, with an optional errno text. */
static void __attribute__((format(printf, 3, 0)))
log_vwrite(int pri, int err, const char *fmt, va_list ap)
{
	char	raw[1024], buf[LOG_ESCAPE_LEN(sizeof(raw))];

	vsnprintf(raw, sizeof(raw), fmt, ap);
	log_escape(raw, buf, sizeof(buf));
	if (log_foreground) {
		if (err)
			fprintf(stderr, "%s: %s: %s\n", log_progname, buf,
			    strerror(err));
		else
			fprintf(stderr, "%s: %s\n", log_progname, buf);
		fflush(stderr);
	} else if (err)
		syslog(pri, "%s: %s", buf, strerror(err));
	else
		syslog(pri, "%s", buf);
}

/* A warning with the text of errno appended. */
void
log_warn(const char *fmt, ...)
{
	va_list	ap;
	int	saved = errno;

	va_start(ap, fmt);
	log_vwrite(LOG_WARNING, saved, fmt, ap);
	va_end(ap);
	errno = saved;
}

/* A warning without errno. */
void
log_warnx(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_vwrite(LOG_WARNING, 0, fmt, ap);
	va_end(ap);
}

/* An informational message, shown with -v. */
void
log_info(const char *fmt, ...)
{
	va_list	ap;

	if (log_verbose < 1)
		return;
	va_start(ap, fmt);
	log_vwrite(LOG_INFO, 0, fmt, ap);
	va_end(ap);
}

/* A debugging message, shown with -vv. */
void
log_debug(const char *fmt, ...)
{
	va_list	ap;

	if (log_verbose < 2)
		return;
	va_start(ap, fmt);
	log_vwrite(LOG_DEBUG, 0, fmt, ap);
	va_end(ap);
}

/* Die with errno text: only at start-up or in impossible states. */
void
fatal(const char *fmt, ...)
{
	va_list	ap;
	int	saved = errno;

	va_start(ap, fmt);
	log_vwrite(LOG_CRIT, saved, fmt, ap);
	va_end(ap);
	exit(1);
}

/* Die without errno text. */
void
fatalx(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_vwrite(LOG_CRIT, 0, fmt, ap);
	va_end(ap);
	exit(1);
}
