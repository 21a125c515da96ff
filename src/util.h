/* util.c: addresses, time stamps and other small shared helpers. */
#ifndef EGRESSD_UTIL_H
#define EGRESSD_UTIL_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#define UTIL_ADDRSTRLEN	46	/* INET6_ADDRSTRLEN */
#define UTIL_TIMESTRLEN	32

const char	*util_addr_str(uint8_t, const uint8_t *, char *, size_t);
char		*util_addr_put(char *, uint8_t, const uint8_t *);
int		 util_addr_private(uint8_t, const uint8_t *);
int		 util_addr_local(uint8_t, const uint8_t *);
int		 util_addr_inside(uint8_t, const uint8_t *);
void		 util_time_str(int64_t, char *, size_t);
void		 util_bytes_str(uint64_t, char *, size_t);
void		 util_period_str(double, char *, size_t);
const char	*util_proto_name(uint8_t);
int		 util_proto_has_ports(uint8_t);
int		 util_thread_start(pthread_t *, void *(*)(void *), void *);

#endif
