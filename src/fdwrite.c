/*
 * Buffers written to a descriptor by a thread of its own.  The caller
 * hands over one buffer (fdwrite_put) and fills another while the thread
 * writes it; before it hands over the next, or touches the descriptor
 * itself, it waits for the first (fdwrite_wait), which gives back how much
 * of it was written and the errno of the write that failed.  So at most
 * one buffer is in the thread's hands, nothing is dropped when the disk is
 * slower than the caller (the caller waits), and the bytes reach the
 * descriptor in the order they were handed over.  The thread knows only
 * the descriptor and the bytes: what a failure means is the caller's to
 * decide.  It is started at the first buffer, blocks every signal (they
 * stay with the threads that had them), and when no thread can be had
 * the buffer is written at once, by the caller.
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>

#include "fdwrite.h"
#include "log.h"
#include "util.h"
#include "xmalloc.h"

struct fdwrite {
	pthread_t	 thread;
	pthread_mutex_t	 mu;
	pthread_cond_t	 cv_put, cv_done;
	int		 started;	/* 1: a thread; -1: none to be had */
	int		 busy;		/* put, not yet waited for (caller's) */
	int		 quit;		/* under mu */
	int		 given;		/* a buffer to write; under mu */
	atomic_int	 done;		/* the buffer is written; under mu */
	int		 fd;		/* the buffer: under mu */
	const char	*p;
	size_t		 len;
	size_t		 off;		/* what was written: under mu */
	int		 err;
};

/* Write len bytes of p to fd; the bytes written, and errno if cut short. */
static size_t
fdwrite_all(int fd, const char *p, size_t len, int *err)
{
	size_t	off = 0;
	ssize_t	n;

	*err = 0;
	while (off < len) {
		if ((n = write(fd, p + off, len - off)) == -1) {
			if (errno == EINTR)
				continue;
			*err = errno;
			break;
		}
		off += (size_t)n;
	}
	return off;
}

/* The thread: each buffer given, written, then said done. */
static void *
fdwrite_main(void *arg)
{
	struct fdwrite	*w = arg;
	size_t		 off;
	int		 err;

	pthread_mutex_lock(&w->mu);
	for (;;) {
		while (!w->given && !w->quit)
			pthread_cond_wait(&w->cv_put, &w->mu);
		if (!w->given)
			break;
		w->given = 0;
		pthread_mutex_unlock(&w->mu);
		off = fdwrite_all(w->fd, w->p, w->len, &err);
		pthread_mutex_lock(&w->mu);
		w->off = off;
		w->err = err;
		atomic_store_explicit(&w->done, 1, memory_order_release);
		pthread_cond_signal(&w->cv_done);
	}
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

/* A writer with no thread yet (it starts at the first buffer). */
struct fdwrite *
fdwrite_new(void)
{
	struct fdwrite	*w;

	w = xcalloc(1, sizeof(*w));
	if (pthread_mutex_init(&w->mu, NULL) != 0 ||
	    pthread_cond_init(&w->cv_put, NULL) != 0 ||
	    pthread_cond_init(&w->cv_done, NULL) != 0)
		fatalx("fdwrite: pthread init failed");
	atomic_init(&w->done, 0);
	return w;
}

/* Start the thread, with every signal blocked; -1 when none can be had. */
static int
fdwrite_start(struct fdwrite *w)
{
	return util_thread_start(&w->thread, fdwrite_main, w) == 0 ? 1 : -1;
}

/*
 * Hand over len bytes at p to be written to fd; the caller leaves them
 * alone until fdwrite_wait.  One buffer at a time: the last one put must
 * have been waited for.
 */
void
fdwrite_put(struct fdwrite *w, int fd, const char *p, size_t len)
{
	if (w->busy)
		fatalx("fdwrite: a buffer put before the last was waited for");
	if (w->started == 0)
		w->started = fdwrite_start(w);
	w->busy = 1;
	if (w->started == -1) {
		w->off = fdwrite_all(fd, p, len, &w->err);
		atomic_store_explicit(&w->done, 1, memory_order_relaxed);
		return;
	}
	pthread_mutex_lock(&w->mu);
	w->fd = fd;
	w->p = p;
	w->len = len;
	w->given = 1;
	atomic_store_explicit(&w->done, 0, memory_order_relaxed);
	pthread_cond_signal(&w->cv_put);
	pthread_mutex_unlock(&w->mu);
}

/* Is a buffer put and not waited for? */
int
fdwrite_busy(struct fdwrite *w)
{
	return w->busy;
}

/* Would fdwrite_wait return at once (nothing put, or written already)? */
int
fdwrite_done(struct fdwrite *w)
{
	return !w->busy ||
	    atomic_load_explicit(&w->done, memory_order_acquire);
}

/*
 * Wait until the buffer put last is written, or its write failed: the
 * bytes of it written, and in *err the errno of the write that failed
 * (else 0).  Nothing put: 0, and 0.
 */
size_t
fdwrite_wait(struct fdwrite *w, int *err)
{
	size_t	off;

	*err = 0;
	if (!w->busy)
		return 0;
	w->busy = 0;
	if (w->started == -1) {
		*err = w->err;
		return w->off;
	}
	pthread_mutex_lock(&w->mu);
	while (!atomic_load_explicit(&w->done, memory_order_relaxed))
		pthread_cond_wait(&w->cv_done, &w->mu);
	off = w->off;
	*err = w->err;
	pthread_mutex_unlock(&w->mu);
	return off;
}

/* Let the last buffer be written, end the thread, and free. */
void
fdwrite_free(struct fdwrite *w)
{
	int	err;

	if (w == NULL)
		return;
	fdwrite_wait(w, &err);
	if (w->started == 1) {
		pthread_mutex_lock(&w->mu);
		w->quit = 1;
		pthread_cond_signal(&w->cv_put);
		pthread_mutex_unlock(&w->mu);
		pthread_join(w->thread, NULL);
	}
	pthread_cond_destroy(&w->cv_done);
	pthread_cond_destroy(&w->cv_put);
	pthread_mutex_destroy(&w->mu);
	free(w);
}
