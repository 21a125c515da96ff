/*
 * The engine's counters as one list of names and values, built by each
 * module in turn for the sinks (see event.h).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "event.h"
#include "xmalloc.h"

/* Append a counter; returns its index. */
static size_t
event_counter_add(struct event_counters *c, const char *name, uint64_t v)
{
	struct event_counter	*e;

	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 64;
		c->v = xreallocarray(c->v, c->cap, sizeof(*c->v));
	}
	e = &c->v[c->n];
	snprintf(e->name, sizeof(e->name), "%s", name);
	e->value = v;
	e->share_of = -1;
	return c->n++;
}

/* Append a counter. */
void
event_counter(struct event_counters *c, const char *name, uint64_t v)
{
	event_counter_add(c, name, v);
}

/* Append a counter that is a share of the counter named whole (added before). */
void
event_counter_share(struct event_counters *c, const char *name, uint64_t v,
    const char *whole)
{
	size_t	i, k = event_counter_add(c, name, v);

	for (i = k; i-- > 0;)
		if (strcmp(c->v[i].name, whole) == 0) {
			c->v[k].share_of = (int)i;
			break;
		}
}

/* Free the list (not the run it points at). */
void
event_counters_free(struct event_counters *c)
{
	free(c->v);
	c->v = NULL;
	c->n = c->cap = 0;
}
