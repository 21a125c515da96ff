/* log.c: messages to stderr in the foreground, to syslog as a daemon. */
#ifndef EGRESSD_LOG_H
#define EGRESSD_LOG_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

/* Room log_escape may need for a string of n bytes. */
#define LOG_ESCAPE_LEN(n)	(4 * (n) + 1)

void	log_init(const char *progname, int foreground, int verbose);
void	log_setverbose(int verbose);
void	log_warn(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_warnx(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_info(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_debug(const char *, ...) __attribute__((format(printf, 1, 2)));
void	fatal(const char *, ...) __attribute__((format(printf, 1, 2), noreturn));
void	fatalx(const char *, ...) __attribute__((format(printf, 1, 2), noreturn));
const char *log_escape(const char *, char *, size_t);
void	log_escape_print(FILE *, const char *);

#endif
