/*
 * notify.c: telling the service manager (systemd) how the daemon is doing,
 * through libsystemd's sd_notify: ready, reloading, stopping, the watchdog
 * and a status line.  Without $NOTIFY_SOCKET every call does nothing.
 */
#ifndef NOTIFY_H
#define NOTIFY_H

#include <stdint.h>

void	 notify_ready(const char *status);
void	 notify_reloading(void);
void	 notify_stopping(void);
void	 notify_status(const char *status);
void	 notify_watchdog(void);
uint64_t notify_watchdog_usec(void);

#endif
