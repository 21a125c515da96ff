/* xmalloc.c: allocation that dies on failure, so callers need not check. */
#ifndef EGRESSD_XMALLOC_H
#define EGRESSD_XMALLOC_H

#include <stddef.h>

void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xaligned(size_t, size_t);
void	*xreallocarray(void *, size_t, size_t);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);

#endif
