/*
 * readloop: the cost of reading a capture and nothing else.  Counts the
 * packets of a file with pcap_dispatch, opened either the plain way
 * (pcap_open_offline, libpcap's default stdio buffer), or buffered (our
 * own FILE with a 1 MiB buffer handed to pcap_fopen_offline), or the way
 * egressd opens it (buffered, and without stdio's locking: -u).
 *
 * usage: readloop [-p | -u] file
 * Prints "packets N bytes B seconds S".
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <pcap/pcap.h>

#include "bufopen.h"


struct readloop {
	uint64_t	packets;
	uint64_t	bytes;		/* wire lengths */
};

/* Print the synopsis and fail. */
static void
usage(void)
{
	fprintf(stderr, "usage: readloop [-p | -u] file\n"
	    "  -p  plain pcap_open_offline (default: fopen, 1 MiB setvbuf, "
	    "pcap_fopen_offline)\n"
	    "  -u  buffered and unlocked (__fsetlocking), as egressd reads\n");
	exit(2);
}

/* Seconds of a monotonic clock. */
static double
readloop_now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* libpcap's callback: count the packet, touch nothing else. */
static void
readloop_packet(u_char *user, const struct pcap_pkthdr *h, const u_char *data)
{
	struct readloop	*r = (struct readloop *)user;

	r->packets++;
	r->bytes += h->len;
}

/* Open path the plain way or through our own buffered FILE; NULL on error. */
static pcap_t *
readloop_open(const char *path, int plain, int unlocked, char *buf,
    char *err)
{
	if (plain)
		return pcap_open_offline(path, err);
	return bench_open_buffered(path, buf, unlocked, err);
}

int
main(int argc, char *argv[])
{
	char		 err[PCAP_ERRBUF_SIZE];
	struct readloop	 r = { 0, 0 };
	pcap_t		*pc;
	char		*buf;
	double		 t0, t1;
	int		 ch, n, plain = 0, unlocked = 0;

	while ((ch = getopt(argc, argv, "pu")) != -1) {
		switch (ch) {
		case 'p':
			plain = 1;
			break;
		case 'u':
			unlocked = 1;
			break;
		default:
			usage();
		}
	}
	if (argc - optind != 1 || (plain && unlocked))
		usage();
	if ((buf = malloc(BENCH_BUFSIZE)) == NULL) {
		fprintf(stderr, "readloop: out of memory\n");
		return 1;
	}
	t0 = readloop_now();
	if ((pc = readloop_open(argv[optind], plain, unlocked, buf, err)) ==
	    NULL) {
		fprintf(stderr, "readloop: %s: %s\n", argv[optind], err);
		return 1;
	}
	while ((n = pcap_dispatch(pc, -1, readloop_packet, (u_char *)&r)) > 0)
		;
	t1 = readloop_now();
	if (n < 0) {
		fprintf(stderr, "readloop: %s: %s\n", argv[optind],
		    pcap_geterr(pc));
		return 1;
	}
	pcap_close(pc);
	free(buf);
	printf("packets %" PRIu64 " bytes %" PRIu64 " seconds %.6f\n",
	    r.packets, r.bytes, t1 - t0);
	return 0;
}
