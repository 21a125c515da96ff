/*
 * sink.c: the one output interface.  The engine hands every flow record,
 * alert, beacon series and counter to the configured sinks, in the order
 * they were added, and knows none of them by name.  A sink is a table of
 * operations and its state; any operation may be NULL.
 *
 * flush pushes what a sink holds to its output (live: once a second);
 * reopen opens its output again (SIGHUP: after a log rotation; a sink
 * that cannot keeps the old one and says so); lost is how many records it
 * could not write.  attach hands a live run's event loop to a sink that
 * works on it (delivery), detach takes it back before the loop is freed.
 * queue says what waits in a sink to be written or sent (the stats).
 */
#ifndef EGRESSD_SINK_H
#define EGRESSD_SINK_H

#include <stdint.h>

#include "alert.h"
#include "event.h"

struct event_base;

#define SINKS_MAX	16

/* What waits in a sink: the store's rows, a syslog sink's alerts. */
struct sink_queue {
	const char	*kind;		/* "store", "syslog" */
	const char	*name;		/* the sink's name, or NULL */
	const char	*unit;		/* "rows", "alerts" */
	uint64_t	 n;
};

struct sink_ops {
	const char	*name;
	void	(*flow)(void *, const struct event_flow *);
	void	(*alert)(void *, const struct alert *);
	void	(*series)(void *, const struct event_series *);
	void	(*counters)(void *, const struct event_counters *);
	int	(*capture)(void *, const struct event_capture *);
					/* 1: do not read this file */
	void	(*tick)(void *, int64_t);	/* packet time goes on */
	int	(*flush)(void *);	/* -1: an error, said */
	int	(*reopen)(void *);	/* -1: an error, said */
	uint64_t (*lost)(void *);	/* records not written */
	void	(*attach)(void *, struct event_base *);	/* live: the loop */
	void	(*detach)(void *);	/* before the loop is freed */
	void	(*queue)(void *, struct sink_queue *);
	int	(*close)(void *);	/* writes what is kept, frees; -1 as flush */
};

struct sinks;

struct sinks	*sinks_new(void);
void		 sinks_add(struct sinks *, const struct sink_ops *, void *);
int		 sinks_empty(const struct sinks *);
void		 sinks_flow(struct sinks *, const struct event_flow *);
void		 sinks_alert(struct sinks *, const struct alert *);
uint64_t	 sinks_alerts(const struct sinks *);
void		 sinks_series(struct sinks *, const struct event_series *);
void		 sinks_counters(struct sinks *, const struct event_counters *);
int		 sinks_capture(struct sinks *, const struct event_capture *);
void		 sinks_tick(struct sinks *, int64_t);
int		 sinks_flush(struct sinks *);
int		 sinks_reopen(struct sinks *);
void		 sinks_attach(struct sinks *, struct event_base *);
void		 sinks_detach(struct sinks *);
void		 sinks_lost(struct sinks *, struct event_counters *);
uint64_t	 sinks_lost_total(struct sinks *);
size_t		 sinks_queues(struct sinks *, struct sink_queue *, size_t);
int		 sinks_close(struct sinks *);

#endif
