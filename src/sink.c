/*
 * The configured sinks (see sink.h): each event goes to every sink that
 * takes it, in the order the sinks were added.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "sink.h"
#include "xmalloc.h"

struct sink {
	const struct sink_ops	*ops;
	void			*arg;
};

struct sinks {
	struct sink	v[SINKS_MAX];
	int		n;
	uint64_t	alerts;		/* handed out */
};

/* No sinks yet. */
struct sinks *
sinks_new(void)
{
	return xcalloc(1, sizeof(struct sinks));
}

/* Add a sink: its operations and their argument. */
void
sinks_add(struct sinks *s, const struct sink_ops *ops, void *arg)
{
	if (s->n == SINKS_MAX)
		fatalx("more than %d sinks", SINKS_MAX);
	s->v[s->n].ops = ops;
	s->v[s->n].arg = arg;
	s->n++;
}

/* Is there no sink at all? */
int
sinks_empty(const struct sinks *s)
{
	return s == NULL || s->n == 0;
}

/* A finished flow record. */
void
sinks_flow(struct sinks *s, const struct event_flow *ev)
{
	int	i;

	for (i = 0; i < s->n; i++)
		if (s->v[i].ops->flow != NULL)
			s->v[i].ops->flow(s->v[i].arg, ev);
}

/* An alert. */
void
sinks_alert(struct sinks *s, const struct alert *a)
{
	int	i;

	s->alerts++;
	for (i = 0; i < s->n; i++)
		if (s->v[i].ops->alert != NULL)
			s->v[i].ops->alert(s->v[i].arg, a);
}

/* The alerts handed to the sinks so far. */
uint64_t
sinks_alerts(const struct sinks *s)
{
	return s->alerts;
}

/* A beacon series as it stands. */
void
sinks_series(struct sinks *s, const struct event_series *ev)
{
	int	i;

	for (i = 0; i < s->n; i++)
		if (s->v[i].ops->series != NULL)
			s->v[i].ops->series(s->v[i].arg, ev);
}

/* The engine's counters. */
void
sinks_counters(struct sinks *s, const struct event_counters *c)
{
	int	i;

	for (i = 0; i < s->n; i++)
		if (s->v[i].ops->counters != NULL)
			s->v[i].ops->counters(s->v[i].arg, c);
}

/*
 * A capture file begun or read; 1 if a sink asks that it not be read (the
 * store has it already), else 0.
 */
int
sinks_capture(struct sinks *s, const struct event_capture *ev)
{
	int	i, rv = 0;

	for (i = 0; i < s->n; i++)
		if (s->v[i].ops->capture != NULL &&
		    s->v[i].ops->capture(s->v[i].arg, ev) == 1)
			rv = 1;
	return rv;
}

/* Packet time has moved on to now without a packet (live, a quiet link). */
void
sinks_tick(struct sinks *s, int64_t now)
{
	int	i;

	for (i = 0; i < s->n; i++)
		if (s->v[i].ops->tick != NULL)
			s->v[i].ops->tick(s->v[i].arg, now);
}

/* Push what every sink holds to its output; -1 if any failed. */
int
sinks_flush(struct sinks *s)
{
	int	i, rv = 0;

	for (i = 0; i < s->n; i++)
		if (s->v[i].ops->flush != NULL &&
		    s->v[i].ops->flush(s->v[i].arg) == -1)
			rv = -1;
	return rv;
}

/* Open every sink's output again (SIGHUP); -1 if any failed. */
int
sinks_reopen(struct sinks *s)
{
	int	i, rv = 0;

	for (i = 0; i < s->n; i++)
		if (s->v[i].ops->reopen != NULL &&
		    s->v[i].ops->reopen(s->v[i].arg) == -1)
			rv = -1;
	return rv;
}

/* Live: the event loop, to the sinks that work on it. */
void
sinks_attach(struct sinks *s, struct event_base *base)
{
	int	i;

	for (i = 0; i < s->n; i++)
		if (s->v[i].ops->attach != NULL)
			s->v[i].ops->attach(s->v[i].arg, base);
}

/* Before the loop is freed: the sinks let go of it. */
void
sinks_detach(struct sinks *s)
{
	int	i;

	for (i = 0; i < s->n; i++)
		if (s->v[i].ops->detach != NULL)
			s->v[i].ops->detach(s->v[i].arg);
}

/* The records each sink lost, as counters sink.NAME.lost. */
void
sinks_lost(struct sinks *s, struct event_counters *c)
{
	char	name[EVENT_COUNTER_NAME];
	int	i;

	for (i = 0; i < s->n; i++)
		if (s->v[i].ops->lost != NULL) {
			snprintf(name, sizeof(name), "sink.%s.lost",
			    s->v[i].ops->name);
			event_counter(c, name, s->v[i].ops->lost(s->v[i].arg));
		}
}

/* The records every sink lost, together. */
uint64_t
sinks_lost_total(struct sinks *s)
{
	uint64_t	n = 0;
	int		i;

	for (i = 0; i < s->n; i++)
		if (s->v[i].ops->lost != NULL)
			n += s->v[i].ops->lost(s->v[i].arg);
	return n;
}

/*
 * What waits in the sinks that have a queue, in the order they were
 * added, at most n into q; how many.
 */
size_t
sinks_queues(struct sinks *s, struct sink_queue *q, size_t n)
{
	size_t	got = 0;
	int	i;

	for (i = 0; i < s->n && got < n; i++)
		if (s->v[i].ops->queue != NULL) {
			memset(&q[got], 0, sizeof(q[got]));
			s->v[i].ops->queue(s->v[i].arg, &q[got++]);
		}
	return got;
}

/* Close every sink, in order, and free the list; -1 if any failed. */
int
sinks_close(struct sinks *s)
{
	int	i, rv = 0;

	if (s == NULL)
		return 0;
	for (i = 0; i < s->n; i++)
		if (s->v[i].ops->close != NULL &&
		    s->v[i].ops->close(s->v[i].arg) == -1)
			rv = -1;
	free(s);
	return rv;
}
