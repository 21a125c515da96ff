/*
 * beatq.c: the queue of beats between the packet path and the beacon
 * detector, and the thread that may feed the detector.  What the detector
 * finds comes back through a callback, on the packet path, in the order
 * of the beats, at points the packets alone decide.
 */
#ifndef EGRESSD_BEATQ_H
#define EGRESSD_BEATQ_H

#include <stddef.h>
#include <stdint.h>

struct beacon;
struct beacon_report;

#define BEATQ_LEN	1024	/* beats waiting for their results, at most */
#define BEATQ_NAME	1040	/* a beat's name, NUL included */

/* A series that beat seq made periodic. */
typedef void (*beatq_hit_cb)(void *, uint64_t, const struct beacon_report *);

struct beatq;

struct beatq	*beatq_new(struct beacon *, int, size_t, beatq_hit_cb, void *);
void		 beatq_free(struct beatq *);
void		*beatq_push(struct beatq *, int64_t, uint8_t, const uint8_t *,
		    const uint8_t *, const char *, uint32_t, uint32_t, int64_t,
		    uint32_t);
void		 beatq_tick(struct beatq *, int64_t);
void		 beatq_flush(struct beatq *);
struct beacon	*beatq_beacon(struct beatq *);
uint64_t	 beatq_head(const struct beatq *);
const char	*beatq_name(const struct beatq *, uint64_t);
void		*beatq_ctx(const struct beatq *, uint64_t);

#endif
