/* clock.c: the packet clock, which one packet dated far ahead cannot move. */
#ifndef EGRESSD_CLOCK_H
#define EGRESSD_CLOCK_H

#include <stddef.h>
#include <stdint.h>

#define CLOCK_LEAP	(60 * 1000000LL)	/* us one packet may lead by */
#define CLOCK_CONFIRM	8		/* packets that carry the clock along */

/* One packet: link type, captured bytes, length on the wire, time in us. */
typedef void (*clock_cb)(void *, int, const uint8_t *, size_t, size_t,
    int64_t);

struct clock_stats {
	uint64_t	held;		/* packets that led by more than a leap */
	uint64_t	outliers;	/* ... that the traffic did not follow */
	uint64_t	before_1970;	/* taken for 1970 */
};

struct clock;

struct clock	*clock_new(void);
void		 clock_free(struct clock *);
int		 clock_pass(struct clock *, int64_t);
void		 clock_packet(struct clock *, int, const uint8_t *, size_t,
		    size_t, int64_t, clock_cb, void *);
void		 clock_tick(struct clock *, int64_t, clock_cb, void *);
void		 clock_flush(struct clock *, clock_cb, void *);
int64_t		 clock_now(const struct clock *);
const struct clock_stats *clock_stats(const struct clock *);

#endif
