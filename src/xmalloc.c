/* Allocation wrappers: running out of memory is fatal, never silently ignored. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "xmalloc.h"

/* malloc that dies on failure. */
void *
xmalloc(size_t size)
{
	void	*p;

	if (size == 0)
		fatalx("xmalloc: zero size");
	if ((p = malloc(size)) == NULL)
		fatal("xmalloc: allocating %zu bytes", size);
	return p;
}

/*
 * size bytes aligned to align (a power of two, at most 4096), for
 * free(); size is rounded up to a multiple of align, as aligned_alloc
 * wants.
 */
void *
xaligned(size_t align, size_t size)
{
	void	*p;

	if (size == 0)
		fatalx("xaligned: zero size");
	if (size > SIZE_MAX - align)
		fatalx("xaligned: %zu bytes is too many", size);
	size = (size + align - 1) & ~(align - 1);
	if ((p = aligned_alloc(align, size)) == NULL)
		fatal("xaligned: allocating %zu bytes", size);
	return p;
}

/* calloc that dies on failure. */
void *
xcalloc(size_t nmemb, size_t size)
{
	void	*p;

	if (nmemb == 0 || size == 0)
		fatalx("xcalloc: zero size");
	if ((p = calloc(nmemb, size)) == NULL)
		fatal("xcalloc: allocating %zu * %zu bytes", nmemb, size);
	return p;
}

/* realloc of an array with an overflow check, dying on failure. */
void *
xreallocarray(void *ptr, size_t nmemb, size_t size)
{
	void	*p;

	if (nmemb == 0 || size == 0)
		fatalx("xreallocarray: zero size");
	if (nmemb > SIZE_MAX / size)
		fatalx("xreallocarray: %zu * %zu overflows", nmemb, size);
	if ((p = realloc(ptr, nmemb * size)) == NULL)
		fatal("xreallocarray: allocating %zu * %zu bytes", nmemb, size);
	return p;
}

/* strdup that dies on failure. */
char *
xstrdup(const char *s)
{
	char	*p;

	if ((p = strdup(s)) == NULL)
		fatal("xstrdup");
	return p;
}

/* strndup that dies on failure. */
char *
xstrndup(const char *s, size_t n)
{
	char	*p;

	if ((p = strndup(s, n)) == NULL)
		fatal("xstrndup");
	return p;
}
