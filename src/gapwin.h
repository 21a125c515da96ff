/*
 * gapwin.h: the last GAPWIN_N values of a stream (the gap codes of a
 * beacon series), kept in ascending order.  The fits want them sorted; one
 * value in and one out keeps them so for a fraction of the cost of sorting
 * at every fit.  Which value is the oldest is in 4 bits a value, in the
 * values' order: 0 for the oldest, n - 1 for the newest.  How many values
 * are held (0 to GAPWIN_N) is kept by the caller, so that two windows and
 * their counts pack into the caller's structure without padding.
 */
#ifndef EGRESSD_GAPWIN_H
#define EGRESSD_GAPWIN_H

#include <stdint.h>

#define GAPWIN_N	16

struct gapwin {
	uint64_t	ages;		/* 4 bits a value, as above */
	uint16_t	v[GAPWIN_N];	/* ascending */
};

/* The low 4 * i bits of w (i < 16). */
static inline uint64_t
gapwin_low(uint64_t w, int i)
{
	return w & (((uint64_t)1 << 4 * i) - 1);
}

/* Add x to the *np values of g, the oldest leaving when all GAPWIN_N are taken. */
static inline void
gapwin_add(struct gapwin *g, uint8_t *np, uint16_t x)
{
	uint64_t	w = g->ages;
	int		n = *np, i, r;

	if (n == GAPWIN_N) {
		for (r = 0; r < GAPWIN_N - 1 && (w >> 4 * r & 15) != 0; r++)
			;
		w = r + 1 < GAPWIN_N ?
		    gapwin_low(w, r) | (w >> 4 * (r + 1) << 4 * r) :
		    gapwin_low(w, r);
		w -= 0x0111111111111111ULL;	/* the 15 left age by one */
		n--;
		/* The hole the oldest leaves moves to where x goes. */
		for (i = r; i < n && g->v[i + 1] <= x; i++)
			g->v[i] = g->v[i + 1];
	} else
		i = n;
	for (; i > 0 && g->v[i - 1] > x; i--)
		g->v[i] = g->v[i - 1];
	g->v[i] = x;
	g->ages = gapwin_low(w, i) | (uint64_t)n << 4 * i |
	    (w & ~gapwin_low(w, i)) << 4;
	*np = (uint8_t)(n + 1);
}

#endif
