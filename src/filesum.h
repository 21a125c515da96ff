/*
 * filesum.c: the SHA-256 of a whole capture file, by which the audit
 * store knows a capture it holds already, taken on the descriptor the
 * capture was opened with: at once, before the file is read, or from the
 * bytes its reader reads (a stdio stream of its own), in a thread that
 * also reads whatever the reader left unread, and waited for by whoever
 * needs it first.
 */
#ifndef EGRESSD_FILESUM_H
#define EGRESSD_FILESUM_H

#include <stdint.h>
#include <stdio.h>

#define FILESUM_HEX	65	/* the digest in hex, NUL included */

struct filesum;

struct filesum	*filesum_open(int, int64_t);
FILE		*filesum_stream(struct filesum *);
int64_t		 filesum_size(const struct filesum *);
int		 filesum_whole(struct filesum *, char hex[FILESUM_HEX],
		    int64_t *);
void		 filesum_start(struct filesum *);
void		 filesum_end(struct filesum *);
void		 filesum_detach(struct filesum *);
int		 filesum_wait(struct filesum *, char hex[FILESUM_HEX],
		    int64_t *);
int64_t		 filesum_apart(struct filesum *);
struct filesum	*filesum_hold(struct filesum *);
void		 filesum_free(struct filesum *);

#endif
