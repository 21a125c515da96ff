/*
 * The SHA-256 of a whole file (crypto.c: libcrypto, whose contexts are
 * kept per thread).  filesum_start opens the file and hashes it in a
 * thread of its own, which only reads its descriptor and fills its
 * struct filesum; filesum_wait, from any thread and any number of times,
 * waits for it to finish and gives the result.  Signals stay with the
 * threads that had them: the hashing thread blocks them all.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crypto.h"
#include "filesum.h"
#include "xmalloc.h"

#define FILESUM_READ	(1 << 20)

struct filesum {
	pthread_t	 thread;
	pthread_mutex_t	 mu;
	pthread_cond_t	 cv;
	int		 fd;
	int		 threaded;	/* thread to be joined */
	int		 done;		/* under mu */
	int		 err;		/* errno of a failed read, or 0 */
	int64_t		 size;
	char		 hex[FILESUM_HEX];
};

/*
 * Hash what fd holds from where it is to its end, into hex, and count
 * its bytes; 0, or the errno of a failed read.
 */
static int
filesum_fd(int fd, char hex[FILESUM_HEX], int64_t *size)
{
	struct crypto_hash	*h;
	uint8_t			 md[CRYPTO_SHA256_LEN], *buf;
	ssize_t			 n;
	int64_t			 total = 0;
	int			 i, err = 0;

	buf = xmalloc(FILESUM_READ);
	h = crypto_sha256_new();
	for (;;) {
		if ((n = read(fd, buf, FILESUM_READ)) == -1) {
			if (errno == EINTR)
				continue;
			err = errno;
			break;
		}
		if (n == 0)
			break;
		crypto_hash_update(h, buf, (size_t)n);
		total += n;
	}
	free(buf);
	crypto_hash_final(h, md);
	if (err != 0)
		return err;
	for (i = 0; i < CRYPTO_SHA256_LEN; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	*size = total;
	return 0;
}

/* The SHA-256 of a file, as hex, and its size, here and now; 0 or -1. */
int
filesum_file(const char *path, char hex[FILESUM_HEX], int64_t *size)
{
	int	fd, err;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	err = filesum_fd(fd, hex, size);
	close(fd);
	if (err != 0) {
		errno = err;
		return -1;
	}
	return 0;
}

/* The hashing thread: the whole file, then said done. */
static void *
filesum_main(void *arg)
{
	struct filesum	*fs = arg;
	char		 hex[FILESUM_HEX] = "";
	int64_t		 size = -1;
	int		 err;

	err = filesum_fd(fs->fd, hex, &size);
	close(fs->fd);
	pthread_mutex_lock(&fs->mu);
	fs->err = err;
	fs->size = size;
	memcpy(fs->hex, hex, sizeof(hex));
	fs->done = 1;
	pthread_cond_broadcast(&fs->cv);
	pthread_mutex_unlock(&fs->mu);
	return NULL;
}

/*
 * Begin hashing a file in a thread of its own (or here, when no thread
 * can be had); NULL with errno when it cannot be opened.
 */
struct filesum *
filesum_start(const char *path)
{
	struct filesum	*fs;
	sigset_t	 all, old;
	int		 fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return NULL;
	fs = xcalloc(1, sizeof(*fs));
	fs->fd = fd;
	fs->size = -1;
	pthread_mutex_init(&fs->mu, NULL);
	pthread_cond_init(&fs->cv, NULL);
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	fs->threaded = pthread_create(&fs->thread, NULL, filesum_main,
	    fs) == 0;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (!fs->threaded)
		filesum_main(fs);
	return fs;
}

/*
 * Wait for a hash begun with filesum_start: its hex and the bytes hashed;
 * 0, or -1 with the errno of the read that failed.
 */
int
filesum_wait(struct filesum *fs, char hex[FILESUM_HEX], int64_t *size)
{
	int	err;

	pthread_mutex_lock(&fs->mu);
	while (!fs->done)
		pthread_cond_wait(&fs->cv, &fs->mu);
	err = fs->err;
	memcpy(hex, fs->hex, FILESUM_HEX);
	*size = fs->size;
	pthread_mutex_unlock(&fs->mu);
	if (err != 0) {
		errno = err;
		return -1;
	}
	return 0;
}

/* Let the thread finish, and free. */
void
filesum_free(struct filesum *fs)
{
	if (fs == NULL)
		return;
	if (fs->threaded)
		pthread_join(fs->thread, NULL);
	pthread_cond_destroy(&fs->cv);
	pthread_mutex_destroy(&fs->mu);
	free(fs);
}
