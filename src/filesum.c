/*
 * The SHA-256 of a whole capture file (crypto.c: libcrypto, whose
 * contexts are kept per thread), on the descriptor the capture was opened
 * with, before any privilege was let go.
 *
 * The capture is read through filesum_stream, a stdio stream whose reads
 * are read(2)s of that descriptor.  filesum_whole hashes the file at once
 * with pread(2), the stream untouched (a capture that may be one the
 * store holds is hashed before it is read).  filesum_start hashes it
 * beside the reading instead, so the file is read once: a thread of its
 * own takes by pread what the stream had read already (its first buffer,
 * read when the capture was opened), then every chunk the stream reads,
 * which the read function copies into a bounded ring before stdio gets
 * it; a reader that finds the ring full waits for the thread.  When the
 * reading ends (filesum_end: at the end of the file, or where libpcap
 * stopped in a broken record), the thread reads and hashes whatever the
 * stream left unread, to the end of the file.  filesum_detach lets the
 * thread go on alone, by pread from where the ring got to, for one who
 * must have the hash before the reading would give it (the store's
 * writer, when the reader is about to wait for it).
 *
 * The thread blocks every signal (util_thread_start): they stay with the
 * threads that had them.  Offline, SIGINT and SIGTERM end the process at
 * once; nothing waits for bytes not yet read.  The ring goes once the
 * reading has ended and the thread has emptied it.  A struct filesum
 * lives as long as its holders (the capture that opened it, its stream,
 * and the store for the capture's row); the last one lets the thread
 * finish and closes the descriptor.
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include "crypto.h"
#include "filesum.h"
#include "util.h"
#include "xmalloc.h"

#define FILESUM_READ	(1 << 20)	/* a pread, and a hash update */
#define FILESUM_RING	(4 << 20)	/* bytes read, not yet hashed */
#define FILESUM_FIRST	(64 << 10)	/* the stream's first read */

struct filesum {
	int		 fd;
	int64_t		 size;		/* fstat's, when opened */
	int64_t		 pos;		/* bytes the stream has read */
	pthread_t	 thread;
	pthread_mutex_t	 mu;
	pthread_cond_t	 cv_data, cv_space, cv_done;
	int		 refs;		/* under mu */
	int		 started;	/* filesum_start was called */
	int		 threaded;	/* a thread to be joined */

	/* the ring, under mu: bytes [from + tail, from + head) of the file */
	uint8_t		*ring;
	int64_t		 from;		/* where the ring's bytes begin */
	uint64_t	 head, tail;
	int		 ended;		/* the stream reads no more */
	int		 detached;	/* the thread reads the rest itself */
	int		 rerr;		/* errno of the stream's failed read */

	int		 done;		/* under mu */
	int		 err;		/* errno of a failed read, or 0 */
	int64_t		 total;		/* bytes hashed */
	int64_t		 apart;		/* of them, read by pread */
	char		 hex[FILESUM_HEX];
};

/*
 * Hash the file from offset off to its end (pread: the descriptor's
 * offset, the stream's, is left alone) and count the bytes; 0 or an
 * errno.
 */
static int
filesum_pread(struct filesum *fs, struct crypto_hash *h, int64_t off,
    int64_t end, uint8_t *buf, int64_t *total)
{
	ssize_t	n;
	size_t	want;

	for (;;) {
		want = FILESUM_READ;
		if (end >= 0 && end - off < (int64_t)want)
			want = (size_t)(end - off);
		if (want == 0)
			return 0;
		if ((n = pread(fs->fd, buf, want, (off_t)off)) == -1) {
			if (errno == EINTR)
				continue;
			return errno;
		}
		if (n == 0)
			return end >= 0 ? EIO : 0;	/* shorter than read */
		crypto_hash_update(h, buf, (size_t)n);
		off += n;
		*total += n;
	}
}

/* The digest in hex, and the context freed. */
static void
filesum_hex(struct crypto_hash *h, char hex[FILESUM_HEX])
{
	uint8_t	md[CRYPTO_SHA256_LEN];
	int	i;

	crypto_hash_final(h, md);
	for (i = 0; i < CRYPTO_SHA256_LEN; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
}

/* Say the hash taken (err 0) or not, to whoever waits. */
static void
filesum_done(struct filesum *fs, int err, const char *hex, int64_t total,
    int64_t apart)
{
	pthread_mutex_lock(&fs->mu);
	fs->err = err;
	fs->total = err == 0 ? total : -1;
	fs->apart = apart;
	snprintf(fs->hex, sizeof(fs->hex), "%s", err == 0 ? hex : "");
	fs->done = 1;
	pthread_cond_broadcast(&fs->cv_done);
	pthread_mutex_unlock(&fs->mu);
}

#ifdef HAVE_FOPENCOOKIE
/*
 * Hand what the stream read (n bytes at buf) to the thread, waiting while
 * the ring is full; nothing once the thread reads alone or the reading
 * has ended.
 */
static void
filesum_push(struct filesum *fs, const uint8_t *buf, size_t n)
{
	uint64_t	at;
	size_t		k;

	pthread_mutex_lock(&fs->mu);
	while (n > 0 && !fs->detached && !fs->ended) {
		if (fs->head - fs->tail == FILESUM_RING) {
			pthread_cond_wait(&fs->cv_space, &fs->mu);
			continue;
		}
		at = fs->head % FILESUM_RING;
		k = FILESUM_RING - (size_t)(fs->head - fs->tail);
		if (k > FILESUM_RING - at)
			k = FILESUM_RING - (size_t)at;
		if (k > n)
			k = n;
		/* the thread reads only [tail, head): copy unlocked */
		pthread_mutex_unlock(&fs->mu);
		memcpy(fs->ring + at, buf, k);
		pthread_mutex_lock(&fs->mu);
		fs->head += k;
		buf += k;
		n -= k;
		pthread_cond_signal(&fs->cv_data);
	}
	pthread_mutex_unlock(&fs->mu);
}

/* The stream's reads: read(2), and a copy for the hash once begun. */
static ssize_t
filesum_read(void *arg, char *buf, size_t len)
{
	struct filesum	*fs = arg;
	ssize_t		 n;

	/*
	 * The first read is small: what was read before a hash is begun
	 * beside the reading (what opening the capture needed) is read
	 * again by the hash.
	 */
	if (fs->pos == 0 && len > FILESUM_FIRST)
		len = FILESUM_FIRST;
	while ((n = read(fs->fd, buf, len)) == -1 && errno == EINTR)
		;
	if (n == -1) {
		if (fs->started) {
			pthread_mutex_lock(&fs->mu);
			fs->rerr = errno;
			pthread_mutex_unlock(&fs->mu);
		}
		return -1;
	}
	fs->pos += n;
	if (fs->started && n > 0)
		filesum_push(fs, (const uint8_t *)buf, (size_t)n);
	return n;
}

/* The stream closed: it reads no more, and lets go of the sum. */
static int
filesum_close(void *arg)
{
	struct filesum	*fs = arg;

	filesum_end(fs);
	filesum_free(fs);
	return 0;
}
#endif

/*
 * The hashing thread: what the stream read before it was begun, then the
 * ring until the reading ends or it is let go, then the rest of the file.
 */
static void *
filesum_main(void *arg)
{
	struct filesum		*fs = arg;
	struct crypto_hash	*h;
	uint8_t			*buf;
	char			 hex[FILESUM_HEX];
	int64_t			 total = 0, apart, ringed, off;
	size_t			 k;
	int			 err;

	buf = xmalloc(FILESUM_READ);
	h = crypto_sha256_new();
	err = filesum_pread(fs, h, 0, fs->from, buf, &total);
	apart = total;
	pthread_mutex_lock(&fs->mu);
	while (err == 0) {
		while (fs->head == fs->tail && !fs->ended && !fs->detached)
			pthread_cond_wait(&fs->cv_data, &fs->mu);
		if (fs->head == fs->tail)
			break;
		k = (size_t)(fs->head - fs->tail);
		if (k > FILESUM_RING - fs->tail % FILESUM_RING)
			k = FILESUM_RING - (size_t)(fs->tail % FILESUM_RING);
		if (k > FILESUM_READ)
			k = FILESUM_READ;
		pthread_mutex_unlock(&fs->mu);
		crypto_hash_update(h, fs->ring + fs->tail % FILESUM_RING, k);
		total += (int64_t)k;
		pthread_mutex_lock(&fs->mu);
		fs->tail += k;
		pthread_cond_signal(&fs->cv_space);
	}
	/* the ring empty and ended or let go (or failed): no more is put */
	fs->detached = 1;
	off = fs->from + (int64_t)fs->tail;
	if (fs->ended) {
		/*
		 * The reader ended it (capture_read, the stream's close or
		 * the last holder, after both): no copy into the ring can be
		 * under way, so it goes now rather than when the last holder
		 * lets go, at the end of a run of many files.
		 */
		free(fs->ring);
		fs->ring = NULL;
	}
	if (err == 0)
		err = fs->rerr;
	pthread_mutex_unlock(&fs->mu);
	if (err == 0) {
		ringed = total;
		err = filesum_pread(fs, h, off, -1, buf, &total);
		apart += total - ringed;
	}
	free(buf);
	filesum_hex(h, hex);
	filesum_done(fs, err, hex, total, apart);
	return NULL;
}

/*
 * The sum of a capture file opened as fd (a regular file, whose size
 * fstat gave), which it now owns; read it through filesum_stream.
 */
struct filesum *
filesum_open(int fd, int64_t size)
{
	struct filesum	*fs;

	fs = xcalloc(1, sizeof(*fs));
	fs->fd = fd;
	fs->size = size;
	fs->refs = 1;
	fs->total = -1;
	pthread_mutex_init(&fs->mu, NULL);
	pthread_cond_init(&fs->cv_data, NULL);
	pthread_cond_init(&fs->cv_space, NULL);
	pthread_cond_init(&fs->cv_done, NULL);
	return fs;
}

/*
 * The stream to read the file through, which holds the sum until it is
 * closed; NULL with errno.  Without fopencookie it is a stream of its
 * own on the same file, and the thread reads the whole file itself.
 */
FILE *
filesum_stream(struct filesum *fs)
{
	FILE	*fp;
#ifdef HAVE_FOPENCOOKIE
	cookie_io_functions_t	io = {
		.read = filesum_read,
		.close = filesum_close,
	};

	if ((fp = fopencookie(fs, "rb", io)) != NULL)
		filesum_hold(fs);
#else
	int	fd;

	if ((fd = dup(fs->fd)) == -1)
		return NULL;
	if ((fp = fdopen(fd, "rb")) == NULL)
		close(fd);
	else
		filesum_detach(fs);	/* nothing is handed over */
#endif
	return fp;
}

/* The file's size when it was opened. */
int64_t
filesum_size(const struct filesum *fs)
{
	return fs->size;
}

/*
 * The SHA-256 of the whole file, as hex, and its size, here and now,
 * before it is read; 0, or -1 with errno.
 */
int
filesum_whole(struct filesum *fs, char hex[FILESUM_HEX], int64_t *size)
{
	struct crypto_hash	*h;
	uint8_t			*buf;
	int64_t			 total = 0;
	int			 err;

	buf = xmalloc(FILESUM_READ);
	h = crypto_sha256_new();
	err = filesum_pread(fs, h, 0, -1, buf, &total);
	free(buf);
	filesum_hex(h, hex);
	if (err != 0) {
		errno = err;
		return -1;
	}
	*size = total;
	return 0;
}

/*
 * Begin hashing the file beside its reading (once, from the reading
 * thread, before it reads on), in a thread of its own; without one, the
 * whole file here and now.
 */
void
filesum_start(struct filesum *fs)
{
	char		hex[FILESUM_HEX];
	int64_t		total = -1;
	int		err = 0;

	if (fs->started)
		return;
	fs->ring = xmalloc(FILESUM_RING);
	fs->from = fs->pos;
	fs->started = 1;
	fs->threaded = util_thread_start(&fs->thread, filesum_main, fs) == 0;
	if (fs->threaded)
		return;
	filesum_detach(fs);
	if (filesum_whole(fs, hex, &total) == -1)
		err = errno;
	filesum_done(fs, err, hex, total, total);
}

/* The stream reads no more: the thread hashes the rest of the file. */
void
filesum_end(struct filesum *fs)
{
	pthread_mutex_lock(&fs->mu);
	fs->ended = 1;
	pthread_cond_signal(&fs->cv_data);
	pthread_mutex_unlock(&fs->mu);
}

/*
 * The hash is wanted before the reading would give it: the thread reads
 * the rest of the file itself, and the stream hands it nothing more.
 */
void
filesum_detach(struct filesum *fs)
{
	pthread_mutex_lock(&fs->mu);
	if (!fs->detached) {
		fs->detached = 1;
		pthread_cond_signal(&fs->cv_data);
		pthread_cond_broadcast(&fs->cv_space);
	}
	pthread_mutex_unlock(&fs->mu);
}

/*
 * Wait for a hash begun with filesum_start: its hex and the bytes hashed;
 * 0, or -1 with the errno of the read that failed.  Not from the reading
 * thread before the reading ends (filesum_detach first).
 */
int
filesum_wait(struct filesum *fs, char hex[FILESUM_HEX], int64_t *size)
{
	int	err;

	pthread_mutex_lock(&fs->mu);
	while (!fs->done)
		pthread_cond_wait(&fs->cv_done, &fs->mu);
	err = fs->err;
	memcpy(hex, fs->hex, FILESUM_HEX);
	*size = fs->total;
	pthread_mutex_unlock(&fs->mu);
	if (err != 0) {
		errno = err;
		return -1;
	}
	return 0;
}

/*
 * Of the bytes a hash begun with filesum_start took (once waited for),
 * how many it read itself rather than from the reading.
 */
int64_t
filesum_apart(struct filesum *fs)
{
	int64_t	n;

	pthread_mutex_lock(&fs->mu);
	n = fs->apart;
	pthread_mutex_unlock(&fs->mu);
	return n;
}

/* One more holder of the sum. */
struct filesum *
filesum_hold(struct filesum *fs)
{
	pthread_mutex_lock(&fs->mu);
	fs->refs++;
	pthread_mutex_unlock(&fs->mu);
	return fs;
}

/*
 * A holder lets go; the last lets the thread finish (the reading has
 * ended by then), closes the file and frees.
 */
void
filesum_free(struct filesum *fs)
{
	int	refs;

	if (fs == NULL)
		return;
	pthread_mutex_lock(&fs->mu);
	refs = --fs->refs;
	pthread_mutex_unlock(&fs->mu);
	if (refs > 0)
		return;
	if (fs->threaded) {
		filesum_end(fs);
		pthread_join(fs->thread, NULL);
	}
	close(fs->fd);
	pthread_cond_destroy(&fs->cv_data);
	pthread_cond_destroy(&fs->cv_space);
	pthread_cond_destroy(&fs->cv_done);
	pthread_mutex_destroy(&fs->mu);
	free(fs->ring);
	free(fs);
}
