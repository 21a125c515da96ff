/*
 * The beats between the packet path and the beacon detector (beacon.c).
 *
 * The packet path pushes each beat with what the detector reads, its name
 * and a context of the caller's (what the beat's alert needs besides).  The
 * detector may run in a thread of its own: the packet path hands the worker
 * BEATQ_BATCH beats at a time, the worker feeds them to the detector and
 * keeps what it finds, and the packet path takes those results back, in the
 * order of the beats, at points the packets alone decide (beatq_tick):
 * a beat has waited BEATQ_US of packet time, the queue is full, packet time
 * went back over a second, or the input ends.  So the results, and what the
 * caller makes of them, are the same with a worker or without, run after
 * run.  Without a worker the packet path feeds the detector at those same
 * points.
 */
#include "config.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "beacon.h"
#include "beatq.h"
#include "log.h"
#include "util.h"
#include "xmalloc.h"

#define BEATQ_BATCH	32	/* beats handed to the worker at once */
#define BEATQ_US	1000000	/* packet time a beat's result waits, at most */
#define BEATQ_SPIN	2000	/* polls (about 50 us) before a thread sleeps */

/*
 * A beat on its way to the beacon detector: what the detector reads, one
 * cache line (each crosses from the packet path's core to the worker's).
 * Its name, when it has one, is in the slot of the same index in the ring
 * of names.
 */
struct beatq_beat {
	_Alignas(64) int64_t	 ts;
	int64_t			 quiet;		/* of its flow before it, us */
	uint32_t		 asn;
	uint32_t		 svc;		/* BEACON_SVC, or 0 */
	uint32_t		 bytes;		/* the appliance sent in it */
	uint8_t			 af;
	uint8_t			 has_name;
	uint8_t			 has_dst;
	uint8_t			 appliance[16];
	uint8_t			 dst[16];
};

_Static_assert(sizeof(struct beatq_beat) == 64, "a beat is one cache line");

/* A series a beat made periodic. */
struct beatq_hit {
	uint64_t		seq;	/* of the beat */
	struct beacon_report	r;
};

struct beatq {
	/*
	 * A ring of BEATQ_LEN slots, by sequence number.  [taken, head)
	 * wait for their results; [done, given) are the worker's to feed to
	 * the detector; [given, head) are not handed over yet; mark is the
	 * head at the last sync.  What the detector finds goes to a ring of
	 * hits of the same size: [h_taken, h_done) are found and published
	 * with done.  Given, done and h_done change hands through the
	 * atomics; the detector, the hits from h_done on and the beat slots
	 * in [done, given) are the worker's meanwhile (without a worker, the
	 * packet path does its part at each sync).  What each thread writes
	 * often is on a cache line of its own, so that the other's reads do
	 * not take it away at every beat.
	 */
	/* the packet path's, every beat */
	_Alignas(64) struct beatq_beat	*q;
	char			*ctx;		/* the packet path's alone */
	size_t			 ctx_size;
	char			(*name)[BEATQ_NAME];
	struct beatq_hit	*hits;
	uint64_t		 head, taken, mark;
	int64_t			 deadline;	/* packet time of a sync */
	uint64_t		 h_taken;
	int			 threaded;	/* a worker, once started */
	int			 started;
	struct beacon		*bc;
	beatq_hit_cb		 hit;
	void			*arg;
	/* written by the packet path a batch at a time, polled by the worker */
	_Alignas(64) _Atomic uint64_t	 given;
	/* the worker's */
	_Alignas(64) _Atomic uint64_t	 done;
	_Atomic uint64_t	 h_done;
	uint64_t		 h_next;
	/* sleeping and waking */
	_Alignas(64) _Atomic int	 w_sleeping;
	_Atomic int		 m_sleeping, stop;
	pthread_t		 worker;
	pthread_mutex_t		 mtx;
	pthread_cond_t		 cv_work, cv_done;
};

/*
 * A queue in front of detector bc, fed by a worker thread when threaded;
 * every beat carries ctx_size bytes for the caller, and what the detector
 * finds goes to hit(arg, ...).
 */
struct beatq *
beatq_new(struct beacon *bc, int threaded, size_t ctx_size, beatq_hit_cb hit,
    void *arg)
{
	struct beatq	*q;

	q = xaligned(_Alignof(struct beatq), sizeof(*q));
	memset(q, 0, sizeof(*q));
	q->bc = bc;
	q->threaded = threaded;
	q->ctx_size = ctx_size;
	q->hit = hit;
	q->arg = arg;
	if (pthread_mutex_init(&q->mtx, NULL) != 0 ||
	    pthread_cond_init(&q->cv_work, NULL) != 0 ||
	    pthread_cond_init(&q->cv_done, NULL) != 0)
		fatalx("beatq: pthread init failed");
	return q;
}

/* Free a queue, its results taken and its worker stopped, first. */
void
beatq_free(struct beatq *q)
{
	if (q == NULL)
		return;
	beatq_flush(q);
	if (q->started) {
		pthread_mutex_lock(&q->mtx);
		atomic_store(&q->stop, 1);
		pthread_cond_signal(&q->cv_work);
		pthread_mutex_unlock(&q->mtx);
		pthread_join(q->worker, NULL);
	}
	pthread_cond_destroy(&q->cv_done);
	pthread_cond_destroy(&q->cv_work);
	pthread_mutex_destroy(&q->mtx);
	free(q->q);
	free(q->ctx);
	free(q->name);
	free(q->hits);
	free(q);
}

/* Feed the beats [from, to) to the beacon detector; keep what they find. */
static void
beatq_run(struct beatq *q, uint64_t from, uint64_t to)
{
	const struct beatq_beat	*e;
	uint64_t		 i;

	for (i = from; i < to; i++) {
		e = &q->q[i % BEATQ_LEN];
		beacon_beat(q->bc, e->af, e->appliance,
		    e->has_dst ? e->dst : NULL,
		    e->has_name ? q->name[i % BEATQ_LEN] : NULL, e->asn,
		    e->svc, e->ts, e->quiet, e->bytes);
		/* at most one a beat: never more than BEATQ_LEN unread */
		if (beacon_alert(q->bc, &q->hits[q->h_next % BEATQ_LEN].r))
			q->hits[q->h_next++ % BEATQ_LEN].seq = i;
	}
	atomic_store(&q->h_done, q->h_next);
	atomic_store(&q->done, to);
}

/* A short wait in a polling loop. */
static inline void
beatq_pause(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#elif defined(__aarch64__) || defined(__arm__)
	__asm__ __volatile__("yield");
#endif
}

/*
 * Wake the other thread if it sleeps on cv (it set *sleeping, holding the
 * mutex, before it last looked at what it waits for).
 */
static void
beatq_wake(struct beatq *q, _Atomic int *sleeping, pthread_cond_t *cv)
{
	if (atomic_load(sleeping)) {
		pthread_mutex_lock(&q->mtx);
		pthread_cond_signal(cv);
		pthread_mutex_unlock(&q->mtx);
	}
}

/*
 * The worker: feeds the beats it is given to the beacon detector, polls a
 * little for more, then sleeps until it is given some or told to stop.
 */
static void *
beatq_worker(void *arg)
{
	struct beatq	*q = arg;
	uint64_t	 done = atomic_load(&q->done), given;
	int		 spin;

	for (;;) {
		for (spin = 0; (given = atomic_load(&q->given)) == done &&
		    spin < BEATQ_SPIN; spin++)
			beatq_pause();
		if (given == done) {
			pthread_mutex_lock(&q->mtx);
			atomic_store(&q->w_sleeping, 1);
			while ((given = atomic_load(&q->given)) == done &&
			    !atomic_load(&q->stop))
				pthread_cond_wait(&q->cv_work, &q->mtx);
			atomic_store(&q->w_sleeping, 0);
			pthread_mutex_unlock(&q->mtx);
			if (given == done)
				return NULL;		/* stop */
		}
		beatq_run(q, done, given);
		done = given;
		beatq_wake(q, &q->m_sleeping, &q->cv_done);
	}
}

/* Start the worker; without one, the packet path feeds the detector. */
static void
beatq_start(struct beatq *q)
{
	q->started = 1;
	if (util_thread_start(&q->worker, beatq_worker, q) != 0) {
		log_warnx("no thread for beacon detection: it runs in the "
		    "packet path");
		q->started = q->threaded = 0;
	}
}

/* Hand the worker the beats queued. */
static void
beatq_give(struct beatq *q)
{
	atomic_store(&q->given, q->head);
	beatq_wake(q, &q->w_sleeping, &q->cv_work);
}

/*
 * The beats before sequence number to fed to the detector (waiting for the
 * worker if it has not done them yet), then their results handed back in
 * order.  Called at points the packets alone decide (see beatq_tick), so
 * the output is the same with a worker or without, run after run.
 */
static void
beatq_sync(struct beatq *q, uint64_t to)
{
	const struct beatq_hit	*h;
	uint64_t		 hdone;
	int			 spin;

	if (q->threaded) {
		if (atomic_load(&q->given) != q->head)
			beatq_give(q);
		for (spin = 0; atomic_load(&q->done) < to &&
		    spin < BEATQ_SPIN; spin++)
			beatq_pause();
		if (atomic_load(&q->done) < to) {
			pthread_mutex_lock(&q->mtx);
			atomic_store(&q->m_sleeping, 1);
			while (atomic_load(&q->done) < to)
				pthread_cond_wait(&q->cv_done, &q->mtx);
			atomic_store(&q->m_sleeping, 0);
			pthread_mutex_unlock(&q->mtx);
		}
	} else if (atomic_load(&q->done) < to) {
		beatq_run(q, atomic_load(&q->done), to);
		atomic_store(&q->given, to);
	}
	hdone = atomic_load(&q->h_done);
	for (; q->h_taken < hdone; q->h_taken++) {
		h = &q->hits[q->h_taken % BEATQ_LEN];
		if (h->seq >= to)
			break;
		q->hit(q->arg, h->seq, &h->r);
	}
	q->taken = to;
}

/*
 * A packet at now.  Once a beat has waited BEATQ_US of packet time (or
 * packet time went back over a second: files out of order), hand back the
 * results of the beats queued before the last sync, which the worker has
 * had that long to feed (so the packet path seldom waits), and mark the
 * rest for the next.  A beat's result comes back at most twice BEATQ_US
 * after it.
 */
void
beatq_tick(struct beatq *q, int64_t now)
{
	uint64_t	to;

	if (q->head == q->taken || (now < q->deadline &&
	    now >= q->deadline - 2 * BEATQ_US))
		return;
	to = q->mark;
	q->mark = q->head;
	if (to != q->taken)
		beatq_sync(q, to);
	else if (q->threaded && atomic_load(&q->given) != q->head)
		beatq_give(q);
	q->deadline = now + BEATQ_US;
}

/* Hand back the results of every beat queued so far. */
void
beatq_flush(struct beatq *q)
{
	if (q == NULL)
		return;
	if (q->head != q->taken)
		beatq_sync(q, q->head);
	q->mark = q->head;
}

/*
 * Queue one beat at ts: the appliance, the destination or NULL (a beat of
 * the name alone), its name (copied) or NULL, its ASN or 0, its service
 * (BEACON_SVC) or 0, the quiet of its flow before it (us, 0 when none:
 * beacon_beat) and the bytes the appliance sent in it or 0.  Returns the
 * beat's context, ctx_size bytes for the caller to fill before the next
 * call (its result comes back with its sequence number, beatq_head()
 * before this call).
 */
void *
beatq_push(struct beatq *q, int64_t ts, uint8_t af, const uint8_t *appliance,
    const uint8_t *dst, const char *name, uint32_t asn, uint32_t svc,
    int64_t quiet, uint32_t bytes)
{
	struct beatq_beat	*e;
	size_t			 i, n;

	if (q->q == NULL) {
		q->q = xaligned(_Alignof(struct beatq_beat),
		    BEATQ_LEN * sizeof(*q->q));
		q->ctx = xcalloc(BEATQ_LEN, q->ctx_size ? q->ctx_size : 1);
		q->name = xcalloc(BEATQ_LEN, sizeof(*q->name));
		q->hits = xcalloc(BEATQ_LEN, sizeof(*q->hits));
	}
	if (q->head - q->taken == BEATQ_LEN)
		beatq_flush(q);
	if (q->head == q->taken)
		q->deadline = ts + BEATQ_US;
	i = q->head % BEATQ_LEN;
	e = &q->q[i];
	e->ts = ts;
	e->quiet = quiet;
	e->asn = asn;
	e->svc = svc;
	e->bytes = bytes;
	e->af = af;
	e->has_name = name != NULL;
	e->has_dst = dst != NULL;
	memcpy(e->appliance, appliance, 16);
	if (dst != NULL)
		memcpy(e->dst, dst, 16);
	if (name != NULL) {
		n = strnlen(name, BEATQ_NAME - 1);
		memcpy(q->name[i], name, n);
		q->name[i][n] = '\0';
	}
	q->head++;
	if (q->threaded) {
		if (!q->started)
			beatq_start(q);
		if (q->head - atomic_load_explicit(&q->given,
		    memory_order_relaxed) >= BEATQ_BATCH)
			beatq_give(q);
	}
	return q->ctx + i * q->ctx_size;
}

/*
 * The beacon detector, every beat fed, for its counters, reports, tests
 * and the benchmark: the worker's again once the next beats are handed
 * over, so read it before the next packet.
 */
struct beacon *
beatq_beacon(struct beatq *q)
{
	beatq_flush(q);
	return q->bc;
}

/* The sequence number the next beat will take. */
uint64_t
beatq_head(const struct beatq *q)
{
	return q->head;
}

/* The name of beat seq, still queued, or NULL. */
const char *
beatq_name(const struct beatq *q, uint64_t seq)
{
	return q->q[seq % BEATQ_LEN].has_name ? q->name[seq % BEATQ_LEN] :
	    NULL;
}

/* The caller's context of beat seq, still queued. */
void *
beatq_ctx(const struct beatq *q, uint64_t seq)
{
	return q->ctx + (seq % BEATQ_LEN) * q->ctx_size;
}
