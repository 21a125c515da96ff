/*
 * fdwrite.c: one buffer at a time written to a descriptor by a thread of
 * its own, so that the caller fills the next buffer meanwhile; the caller
 * waits for the one written before it hands over another.
 */
#ifndef EGRESSD_FDWRITE_H
#define EGRESSD_FDWRITE_H

#include <stddef.h>

struct fdwrite;

struct fdwrite	*fdwrite_new(void);
void		 fdwrite_put(struct fdwrite *, int, const char *, size_t);
int		 fdwrite_busy(struct fdwrite *);
int		 fdwrite_done(struct fdwrite *);
size_t		 fdwrite_wait(struct fdwrite *, int *);
void		 fdwrite_free(struct fdwrite *);

#endif
