/*
 * The sd_notify(3) protocol through libsystemd.  A failure to notify is
 * said once at debug level: a daemon run by hand has no one to tell.
 */
#include "config.h"

#include <stdio.h>
#include <time.h>

#include <systemd/sd-daemon.h>

#include "log.h"
#include "notify.h"

/* Send one notification; a failure is logged at debug level. */
static void
notify_send(const char *what)
{
	int	rv;

	if ((rv = sd_notify(0, what)) < 0)
		log_debug("sd_notify: %s: error %d", what, -rv);
}

/* Capture, store and policy are up (again, after a reload). */
void
notify_ready(const char *status)
{
	char	buf[512];

	snprintf(buf, sizeof(buf), "READY=1\nSTATUS=%s", status);
	notify_send(buf);
}

/*
 * A reload begins; READY=1 ends it.  MONOTONIC_USEC is what systemd 253's
 * Type=notify-reload asks for; older managers ignore it.
 */
void
notify_reloading(void)
{
	struct timespec	ts;
	char		buf[128];

	clock_gettime(CLOCK_MONOTONIC, &ts);
	snprintf(buf, sizeof(buf), "RELOADING=1\nMONOTONIC_USEC=%llu",
	    (unsigned long long)ts.tv_sec * 1000000ULL +
	    (unsigned long long)ts.tv_nsec / 1000);
	notify_send(buf);
}

/* Shutting down: the flows are being flushed. */
void
notify_stopping(void)
{
	notify_send("STOPPING=1\nSTATUS=stopping: writing the open flows");
}

/* A free-form line for systemctl status. */
void
notify_status(const char *status)
{
	char	buf[512];

	snprintf(buf, sizeof(buf), "STATUS=%s", status);
	notify_send(buf);
}

/* Still alive. */
void
notify_watchdog(void)
{
	notify_send("WATCHDOG=1");
}

/* The watchdog interval the manager asked for in microseconds; 0: none. */
uint64_t
notify_watchdog_usec(void)
{
	uint64_t	usec = 0;

	if (sd_watchdog_enabled(0, &usec) <= 0)
		return 0;
	return usec;
}
