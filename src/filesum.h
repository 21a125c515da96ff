/*
 * filesum.c: the SHA-256 of a whole file, by which the audit store knows
 * a capture it holds already: taken at once, or in a thread of its own
 * on a descriptor of its own while the caller reads the same file, and
 * waited for by whoever needs it first.
 */
#ifndef EGRESSD_FILESUM_H
#define EGRESSD_FILESUM_H

#include <stdint.h>

#define FILESUM_HEX	65	/* the digest in hex, NUL included */

struct filesum;

int		 filesum_file(const char *, char hex[FILESUM_HEX], int64_t *);
struct filesum	*filesum_start(const char *);
int		 filesum_wait(struct filesum *, char hex[FILESUM_HEX],
		    int64_t *);
void		 filesum_free(struct filesum *);

#endif
